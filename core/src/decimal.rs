//! Sums, differences and products of `Decimal`s that are exact or fail.
//!
//! rust_decimal's `checked_add`, `checked_sub` and `checked_mul` return `None` only when
//! the result does not fit 96 bits at all. When it fits only with fewer decimals, they round
//! it: 7,922,816,251,426,433,759,354,395.033 + 79,228,162,514,264,337,593,543,950 comes back
//! as …345.03, the 0.003 gone. takst never changes a value silently, so here a result that
//! lost digits is `None` too, like one that does not fit: the callers report it as an
//! overflow at their field. (For amounts in øre that is above about 7.9 × 10²⁶ kr.)

use rust_decimal::Decimal;

/// a + b, exactly; `None` when the sum does not fit a `Decimal` at the operands' scale.
pub(crate) fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    // rust_decimal hands a zero term's partner back as it is (0.00 + 5 is 5): exact.
    (a.is_zero() || b.is_zero() || sum.scale() >= a.scale().max(b.scale())).then_some(sum)
}

/// a − b, exactly; `None` when the difference does not fit at the operands' scale.
pub(crate) fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    let difference = a.checked_sub(b)?;
    (a.is_zero() || b.is_zero() || difference.scale() >= a.scale().max(b.scale()))
        .then_some(difference)
}

/// a × b, exactly; `None` when the product does not fit a `Decimal` with the decimals of
/// both factors (their scales added, at most 28).
pub(crate) fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let product = a.checked_mul(b)?;
    let scale = a.scale() + b.scale();
    // A product with a zero factor is 0 (rust_decimal writes it without decimals); any
    // other zero is one too small to hold, rounded away.
    let exact = if product.is_zero() {
        a.is_zero() || b.is_zero()
    } else {
        scale <= Decimal::MAX_SCALE && product.scale() >= scale
    };
    exact.then_some(product)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn digits_lost_are_none() {
        // rust_decimal rounds these; they are `None` here.
        let (a, b) = (
            d("7922816251426433759354395.033"),
            d("79228162514264337593543950"),
        );
        assert_eq!(a.checked_add(b), Some(d("87150978765690771352898345.03")));
        assert_eq!(add(a, b), None);
        assert_eq!(sub(a, -b), None);
        let big = d("792281625142643375935439503.34");
        assert_eq!(
            add(big, d("0.01")).map(|x| x.to_string()),
            Some("792281625142643375935439503.35".into())
        );
        assert_eq!(add(big, d("0.001")), None);
        assert_eq!(mul(d("0.12345678901234"), d("0.123456789012345")), None);
        // What fits is the exact value, with both scales kept; a zero term or factor, which
        // rust_decimal writes with fewer decimals, is exact too.
        let text = |v: Option<Decimal>| v.map(|x| x.to_string());
        for (got, want) in [
            (add(d("1.50"), d("-1.5")), "0.00"),
            (sub(d("10"), d("0.005")), "9.995"),
            (mul(d("1462.80"), d("31")), "45346.80"),
            (mul(d("2.5"), d("0.25")), "0.625"),
            (add(d("0.0"), d("5")), "5"),
            (add(d("1.5"), d("0.00")), "1.5"),
            (sub(d("0.00"), d("1.5")), "-1.5"),
            (mul(d("1.50"), d("0")), "0"),
        ] {
            assert_eq!(text(got), Some(want.to_string()));
        }
        // A product too small to hold is not zero.
        assert_eq!(mul(d("0.000000000000001"), d("0.000000000000001")), None);
    }

    proptest! {
        /// Whatever fits is the exact result (computed in i128 at the common scale), and
        /// `None` only when the exact result needs more than 96 bits at that scale.
        #[test]
        fn exact_or_none(
            m1 in prop_oneof![Just(0i128), -(1i128 << 96) + 1..(1i128 << 96), -1000i128..1000],
            s1 in 0u32..=6,
            m2 in prop_oneof![Just(0i128), -(1i128 << 96) + 1..(1i128 << 96), -1000i128..1000],
            s2 in 0u32..=6,
        ) {
            let (a, b) = (Decimal::from_i128_with_scale(m1, s1), Decimal::from_i128_with_scale(m2, s2));
            let s = s1.max(s2);
            let (x, y) = (m1 * 10i128.pow(s - s1), m2 * 10i128.pow(s - s2));
            let fits = |v: i128| v.unsigned_abs() < (1u128 << 96);
            // Compared by value: a zero term or factor may come back with fewer decimals.
            let at = |v: Decimal, scale: u32| v.mantissa() * 10i128.pow(scale - v.scale());
            for (got, exact) in [(add(a, b), x + y), (sub(a, b), x - y)] {
                match got {
                    Some(v) => prop_assert_eq!(at(v, s), exact),
                    None => prop_assert!(!fits(exact)),
                }
            }
            let (p, ps) = (m1.checked_mul(m2), s1 + s2);
            match mul(a, b) {
                Some(v) => prop_assert_eq!(Some(at(v, ps)), p),
                None => prop_assert!(!p.is_some_and(fits)),
            }
        }
    }
}
