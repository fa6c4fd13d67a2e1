//! Tests of the rounding policies (the module's own, beside it to keep `rounding.rs` to the rules).
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The year and month of a 128-bit day tariff (a service's over unrelated
/// denominators, the realistic offer's) are rounded without the year before rounding
/// or its quotient being made, as those round; so are a 64-bit day tariff's.
#[test]
fn a_year_and_month_are_rounded_without_being_made() {
    use super::Rounding;
    use crate::exact::Exact;
    let (one, twelve, days) = (Exact::ONE, Exact::from(12i64), Exact::from(365i64));
    for day in [
        Exact::new(
            18_113_275_466_104_960_000_000_000,
            3_202_753_337_756_160_000_000,
        ),
        Exact::new(756_774, 334),
        Exact::new(-1_141_111, 334),
    ] {
        let day = day.unwrap();
        for r in [Rounding::KRONER, Rounding::ORE] {
            for over in [&one, &twelve] {
                let made = day
                    .checked_mul(&days)
                    .and_then(|y| y.checked_div(over))
                    .and_then(|m| r.apply_exact_both(&m));
                let unmade = r.apply_ratio_both(&day, &days, over);
                assert!(unmade.is_some());
                assert_eq!(unmade.as_ref().map(|u| u.0), made.as_ref().map(|m| m.0));
                assert_eq!(unmade.map(|u| u.1.stored()), made.map(|m| m.1.stored()));
            }
        }
    }
}

proptest! {
    /// A product and quotient rounded without being made (`apply_ratio_both`) are the
    /// product and quotient made and rounded, to the form of the rounded figure: values
    /// in each form (64-bit, 128-bit, wide), factors of 64-bit parts (one, days, any)
    /// and divisors of 64-bit parts of either sign and zero, every mode, increments of
    /// any size and scale. Where it does not apply it says so (`None`), and the figure
    /// is made.
    #[test]
    fn a_product_and_quotient_rounded_without_being_made_are_those_rounded(
        n in any::<i128>(), d in 1i128..=i128::MAX, small in any::<i64>(),
        sd in 1i64..=i64::MAX, a in 1i64..=i64::MAX, b in 1i64..=i64::MAX, k in 1i64..400,
        m in 1i64..=1_000_000, scale in 0u32..=28, mode in 0usize..7, shift in 0u32..=100,
        e in any::<i64>(), f in 1i64..=i64::MAX,
    ) {
        use super::{RoundMode, Rounding};
        use crate::exact::Exact;
        let r = Rounding { increment: Decimal::new(m, scale), mode: RoundMode::ALL[mode] };
        let wide = Exact::new(n, d).and_then(|x| x.checked_mul(&Exact::new(n, 7)?));
        let values = [
            Exact::new(n, d),
            Exact::new(n >> shift, d >> shift.min(60)),
            Exact::new(small.into(), sd.into()),
            Exact::new(small.into(), 100),
            Exact::new(i128::from(small) << 40, 3_202_753_337_756_160_000_000),
            wide,
        ];
        let divisors = [
            Exact::new(a.into(), b.into()),
            Exact::new(k.into(), 1),
            Exact::new(12, 1),
            Exact::new((-a).into(), b.into()),
            Some(Exact::ZERO),
        ];
        let factors = [Exact::new(1, 1), Exact::new(k.into(), 1), Exact::new(e.into(), f.into())];
        for v in values.iter().flatten() {
            for t in factors.iter().flatten() {
                for q in divisors.iter().flatten() {
                    let Some((after, figure)) = r.apply_ratio_both(v, t, q) else {
                        continue;
                    };
                    let made = v
                        .checked_mul(t)
                        .and_then(|x| x.checked_div(q))
                        .and_then(|x| r.apply_exact_both(&x));
                    prop_assert_eq!(Some(after), made.as_ref().map(|m| m.0));
                    prop_assert_eq!(Some(figure.stored()), made.map(|m| m.1.stored()));
                }
                // The year and month at once are the two rounded alone, or `None` when
                // either is (the caller then makes both).
                let twelve = Exact::from(12i64);
                let pair = r.apply_ratio_pair_both(v, t, &twelve);
                let alone = r
                    .apply_ratio_both(v, t, &twelve)
                    .zip(r.apply_ratio_both(v, t, &Exact::ONE));
                let stored = |x: Option<((Decimal, Exact), (Decimal, Exact))>| {
                    x.map(|((a, b), (c, d))| (a, b.stored(), c, d.stored()))
                };
                prop_assert_eq!(stored(pair), stored(alone));
                // And a value's parts are rounded as the value made from them is.
                if let Some((pn, pd)) = v.small_parts() {
                    if let Some((after, figure)) = r.apply_parts_both(pn, pd) {
                        let made = r.apply_exact_both(v);
                        prop_assert_eq!(Some(after), made.as_ref().map(|m| m.0));
                        prop_assert_eq!(Some(figure.stored()), made.map(|m| m.1.stored()));
                    }
                }
            }
        }
        // Parts not reduced, as a sum of two 64-bit values leaves them (`sum2_parts`:
        // over one denominator, or its products): rounded as the sum made is, the day
        // and its year and month (`publish_sum_unkept`).
        let terms = [
            (Exact::new(small.into(), sd.into()), Exact::new(e.into(), f.into())),
            (Exact::new(small.into(), sd.into()), Exact::new(e.into(), sd.into())),
            (Exact::new(small.into(), 100), Exact::new(e.into(), 1000)),
            (Exact::new(6, 4), Exact::new(3, 4)),
        ];
        let basis = Exact::from(k);
        let twelve = Exact::from(12i64);
        for (x, y) in terms.iter().filter_map(|(x, y)| x.clone().zip(y.clone())) {
            let Some((pn, pd)) = x.sum2_parts(&y) else { continue };
            let Some(sum) = Exact::checked_sum(0, 2, |i| if i == 0 { &x } else { &y }) else {
                continue;
            };
            if let Some((after, figure)) = r.apply_parts_both(pn, pd) {
                let made = r.apply_exact_both(&sum);
                prop_assert_eq!(Some(after), made.as_ref().map(|m| m.0));
                prop_assert_eq!(Some(figure.stored()), made.map(|m| m.1.stored()));
            }
            if let Some(((mv, mf), (yv, yf))) = r.apply_ratio_pair_parts(pn, pd, &basis, &twelve) {
                let made = r.apply_ratio_pair_both(&sum, &basis, &twelve);
                let made = made.map(|((a, b), (c, d))| (a, b.stored(), c, d.stored()));
                prop_assert_eq!(Some((mv, mf.stored(), yv, yf.stored())), made);
            }
        }
    }

    /// A policy of whole increments of 10^−s rounding half away from zero (the
    /// published tariffs', `half_up_power`) rounds a value's parts, and their product
    /// and quotient at once, as the figures made and rounded: values of either sign in
    /// the 64- and 128-bit forms, unreduced, factors and divisors of 64-bit parts of
    /// either sign. Where it gives `None` the caller makes the figures.
    #[test]
    fn whole_increments_half_up_are_rounded_as_made(
        n in any::<i128>(), d in 1i128..=i128::MAX, small in any::<i64>(),
        sd in 1i64..=i64::MAX, scale in 0u32..=28, k in 1i64..400, e in any::<i64>(),
        a in any::<i64>(), shift in 0u32..=100,
    ) {
        use super::{RoundMode, Rounding};
        use crate::exact::Exact;
        let r = Rounding { increment: Decimal::new(1, scale), mode: RoundMode::HalfAwayFromZero };
        let values = [
            (n, d),
            (n >> shift, (d >> shift.min(60)).max(1)),
            (small.into(), sd.into()),
            (small.into(), 100),
            (i128::from(small) << 40, 3_202_753_337_756_160_000_000),
            (18_113_275_466_104_960_000_000_000, 3_202_753_337_756_160_000_000),
            (i128::from(small.unsigned_abs() % 1000) * 2 + 1, 2),
        ];
        let factors = [Exact::from(k), Exact::from(365i64), Exact::from(e)];
        let divisors = [Exact::from(12i64), Exact::from(k), Exact::from(a), Exact::ONE];
        for (pn, pd) in values {
            let Some(v) = Exact::new(pn, pd) else { continue };
            if let Some((after, figure)) = r.apply_parts_both(pn, pd) {
                let made = r.apply_exact_both(&v);
                prop_assert_eq!(Some(after), made.as_ref().map(|m| m.0));
                prop_assert_eq!(Some(figure.stored()), made.map(|m| m.1.stored()));
            }
            for t in &factors {
                for q in &divisors {
                    let Some(((mv, mf), (yv, yf))) = r.apply_ratio_pair_parts(pn, pd, t, q) else {
                        continue;
                    };
                    let year = v.checked_mul(t);
                    let month = year.as_ref().and_then(|y| y.checked_div(q));
                    let made = |x: Option<Exact>| {
                        x.and_then(|x| r.apply_exact_both(&x)).map(|(a, b)| (a, b.stored()))
                    };
                    prop_assert_eq!(Some((yv, yf.stored())), made(year));
                    prop_assert_eq!(Some((mv, mf.stored())), made(month));
                }
            }
        }
    }

    /// The floor quotient and remainder by one division are `div_euclid`'s and
    /// `rem_euclid`'s, at the edges of the range too.
    #[test]
    fn one_division_gives_the_euclidean_quotient_and_remainder(
        n in any::<i128>(), d in 1i128..=i128::MAX, small in 1i128..1000, k in 0u32..127,
    ) {
        let ns = [n, i128::MIN, i128::MIN + 1, i128::MAX, -1, 0, n >> k];
        for den in [d, small, 1, i128::MAX, d >> k.min(100)] {
            if den <= 0 {
                continue;
            }
            for num in ns {
                prop_assert_eq!(
                    super::floor_div_rem(num, den),
                    Some((num.div_euclid(den), num.rem_euclid(den)))
                );
            }
        }
        prop_assert_eq!(super::floor_div_rem(n, 0), None);
        prop_assert_eq!(super::floor_div_rem(n, -d), None);
    }

    /// The rounded figure made from the mantissa is the one converted from the `Decimal`.
    #[test]
    fn the_rounded_figure_is_the_decimal_converted(
        n in any::<i128>(), d in 1i128..=i128::MAX, small in any::<i64>(),
        m in 1i64..=1_000_000, scale in 0u32..=28, mode in 0usize..7,
    ) {
        use super::{RoundMode, Rounding};
        use crate::exact::Exact;
        let r = Rounding { increment: Decimal::new(m, scale), mode: RoundMode::ALL[mode] };
        for v in [Exact::new(n, d), Exact::new(i128::from(small), 100), Exact::new(n, 1)] {
            let Some(v) = v else { continue };
            let both = r.apply_exact_both(&v);
            let after = r.apply_exact(&v);
            prop_assert_eq!(both.as_ref().map(|b| b.0), after);
            prop_assert_eq!(both.map(|b| b.1), after.map(Exact::from));
        }
    }

    /// A value over a divisor of the increment's power of ten is a whole number of
    /// increments, as the general path finds it: any numerator, denominators that divide
    /// the power and that do not, increments of 1 and of more, in each mode.
    #[test]
    fn a_value_at_the_increment_is_its_own_mantissa(
        n in any::<i64>(), scale in 0u32..=18, other in 0u32..=18, m in 1i64..=1_000,
        mode in 0usize..7,
    ) {
        use super::{RoundMode, Rounding};
        use crate::exact::Exact;
        for increment in [Decimal::new(1, scale), Decimal::new(m, scale)] {
            let r = Rounding { increment, mode: RoundMode::ALL[mode] };
            for d in [10i64.pow(scale), 10i64.pow(other), m, 1, 2, 4, 5, 20, 25, 125] {
                let Some(v) = Exact::new(i128::from(n), i128::from(d)) else { continue };
                if let Some(k) = r.at_increment(&v) {
                    prop_assert_eq!(Some(k), r.rounded_mantissa(&v));
                }
                prop_assert_eq!(r.apply_whole_both(&v), r.apply_exact_both(&v));
                let forms = |b: Option<(Decimal, Exact)>| b.map(|(d, e)| (d.serialize(), e.stored()));
                prop_assert_eq!(forms(r.apply_whole_both(&v)), forms(r.apply_exact_both(&v)));
            }
        }
    }

    /// The products and the doubled remainder of the 128-bit path are the checked
    /// products they stand for, overflow included.
    #[test]
    fn a_product_by_one_and_a_doubling_are_the_checked_products(
        x in any::<i128>(), y in any::<i128>(), small in 1i128..=1_000_000,
    ) {
        for x in [x, i128::MAX, i128::MIN, i128::MAX / 2 + 1, 0] {
            for y in [y, small, 1, 2, -1] {
                prop_assert_eq!(super::times(x, y), x.checked_mul(y));
            }
            prop_assert_eq!(x.checked_add(x), x.checked_mul(2));
        }
    }

    #[test]
    fn a_decimal_from_64_bits_is_the_one_from_128(
        m in any::<i128>(), small in any::<i64>(), scale in 0u32..=30,
    ) {
        for m in [m, i128::from(small), 0, -1, i128::from(i64::MIN), i128::from(i64::MAX)] {
            let ours = super::decimal(m, scale);
            let theirs = Decimal::try_from_i128_with_scale(m, scale).ok();
            // The same bits: value, scale and sign.
            prop_assert_eq!(ours.map(|d| d.serialize()), theirs.map(|d| d.serialize()));
        }
    }
}
