//! Sums, differences and products of `Decimal`s that are exact or fail.
//!
//! rust_decimal's `checked_add`, `checked_sub` and `checked_mul` return `None` only when
//! the result does not fit 96 bits at all. When it fits only with fewer decimals, they round
//! it: 7,922,816,251,426,433,759,354,395.033 + 79,228,162,514,264,337,593,543,950 comes back
//! as …345.03, the 0.003 gone. takst never changes a value silently, so here a sum that lost
//! digits is `None`, which the callers report as an overflow at their field (for amounts in
//! øre, above about 7.9 × 10²⁶ kr): a sum keeps its terms' decimals, or there is none. A
//! product that lost only zeros is computed again exactly (see [`mul`]).

use rust_decimal::Decimal;

use crate::exact::Exact;

/// a + b, exactly and with the decimals of the terms (an amount in øre stays in øre);
/// `None` when no `Decimal` holds it so.
pub(crate) fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    // rust_decimal hands a zero term's partner back as it is (0.00 + 5 is 5): exact.
    (a.is_zero() || b.is_zero() || sum.scale() >= a.scale().max(b.scale())).then_some(sum)
}

/// a − b, exactly and with the decimals of the terms; `None` when no `Decimal` holds it so.
pub(crate) fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    let difference = a.checked_sub(b)?;
    (a.is_zero() || b.is_zero() || difference.scale() >= a.scale().max(b.scale()))
        .then_some(difference)
}

/// a × b, exactly; `None` when no `Decimal` holds the exact product. Its scale is the
/// factors' scales added, unless a `Decimal` cannot have that many (over 28, or over 96
/// bits) and the extra decimals are zeros, which then go: a product here is compared or
/// rounded, never written as an amount. (Used by e-invoices, which a build without the
/// `einvoice` feature leaves out.)
#[cfg_attr(not(feature = "einvoice"), allow(dead_code))]
pub(crate) fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale() + b.scale();
    match a.checked_mul(b) {
        // A product with a zero factor is 0 (rust_decimal writes it without decimals); any
        // other zero is one too small to hold, rounded away.
        Some(p) if p.is_zero() && (a.is_zero() || b.is_zero()) => Some(p),
        Some(p) if !p.is_zero() && scale <= Decimal::MAX_SCALE && p.scale() >= scale => Some(p),
        _ => exactly(a, b),
    }
}

/// A product rust_decimal rounded (or could not hold at the factors' scale), computed
/// exactly: a `Decimal` when the exact product has one, with its trailing zeros dropped as
/// far as it must (1.00000000000000 × 1.000000000000000 is 1.0000000000000000000000000000).
#[cold]
#[cfg_attr(not(feature = "einvoice"), allow(dead_code))]
fn exactly(a: Decimal, b: Decimal) -> Option<Decimal> {
    Exact::from(a).checked_mul(&Exact::from(b))?.to_decimal()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A decimal from its text (for tests).
    pub(crate) fn d(s: &str) -> Decimal {
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
        assert_eq!(mul(d("0.12345678901233"), d("0.123456789012345")), None);
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
            // Exact results that rust_decimal could only write with fewer decimals, which
            // are zeros: the same value, shorter.
            (
                mul(d("1.00000000000000"), d("1.000000000000000")),
                "1.0000000000000000000000000000",
            ),
        ] {
            assert_eq!(text(got), Some(want.to_string()));
        }
        // A sum that fits only without its last decimal, even a zero, keeps it or is none.
        assert_eq!(
            add(
                d("7922816251426433759354395.030"),
                d("75000000000000000000000000.000")
            ),
            None
        );
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
            // Whether a Decimal can hold m × 10^-scale: with at most 28 decimals and 96 bits,
            // once trailing zeros are dropped.
            let writable = |mut m: i128, mut scale: u32| {
                while scale > 0 && (scale > 28 || m.unsigned_abs() >= 1u128 << 96) && m % 10 == 0 {
                    m /= 10;
                    scale -= 1;
                }
                scale <= 28 && m.unsigned_abs() < 1u128 << 96
            };
            // Compared by value: a result may come back with fewer decimals (zero terms, or
            // an exact result rust_decimal could only write shorter).
            let at = |v: Decimal, scale: u32| v.mantissa() * 10i128.pow(scale - v.scale());
            let fits = |v: i128| v.unsigned_abs() < 1u128 << 96;
            for (got, exact) in [(add(a, b), x + y), (sub(a, b), x - y)] {
                match got {
                    // The terms' decimals kept (a zero term may hand back the other as it is).
                    Some(v) => {
                        prop_assert_eq!(at(v, s), exact);
                        prop_assert!(v.scale() == s || m1 == 0 || m2 == 0);
                    }
                    None => prop_assert!(!fits(exact)),
                }
            }
            let (p, ps) = (m1.checked_mul(m2), s1 + s2);
            match mul(a, b) {
                Some(v) => prop_assert_eq!(Some(at(v, ps)), p),
                None => prop_assert!(!p.is_some_and(|p| writable(p, ps))),
            }
        }

        /// Small numbers at any scale: products with up to 56 decimals, which are exact
        /// when their trailing zeros bring them to 28, and sums at up to 28.
        #[test]
        fn exact_or_none_at_any_scale(
            m1 in -1_000_000i128..1_000_000,
            s1 in 0u32..=28,
            m2 in -1_000_000i128..1_000_000,
            s2 in 0u32..=28,
        ) {
            let (a, b) = (Decimal::from_i128_with_scale(m1, s1), Decimal::from_i128_with_scale(m2, s2));
            let (mut p, mut ps) = (m1 * m2, s1 + s2);
            while ps > 28 && p % 10 == 0 {
                p /= 10;
                ps -= 1;
            }
            let want = (ps <= 28).then(|| Decimal::from_i128_with_scale(p, ps));
            let got = mul(a, b);
            prop_assert_eq!(got, want);
            // The factors' decimals added, when a Decimal can have them.
            if let (Some(got), true) = (got, s1 + s2 <= 28 && m1 != 0 && m2 != 0) {
                prop_assert_eq!(got.scale(), s1 + s2);
            }
            let s = s1.max(s2);
            let sum = m1 * 10i128.pow(s - s1) + m2 * 10i128.pow(s - s2);
            let want = (sum.unsigned_abs() < 1u128 << 96).then(|| Decimal::from_i128_with_scale(sum, s));
            let got = add(a, b);
            prop_assert_eq!(got, want);
            // And with the terms' decimals (Decimal's == compares values only).
            if let (Some(got), false) = (got, m1 == 0 || m2 == 0) {
                prop_assert_eq!(got.scale(), s);
            }
        }
    }
}
