use proptest::prelude::*;
use rust_decimal::Decimal;

use super::rounding::Period;

fn period(value: Decimal, periods: i64, day: Decimal, basis: i64, steps: i64) -> Period {
    Period {
        value,
        periods,
        day,
        basis,
        step: Decimal::ONE,
        steps,
    }
}

#[test]
fn the_boundaries_worked_by_hand() {
    // Day 2,000 over 365 days, whole kroner: a month within 15.71 kr of 60,833.33.
    let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
    let check = |m: &str| period(d(m), 12, d("2000"), 365, 1).beyond_rounding();
    assert_eq!(check("60818"), Some(false));
    assert_eq!(check("60849"), Some(false));
    assert_eq!(check("60817"), Some(true));
    assert_eq!(check("60850"), Some(true));
    // Rounded up or down, twice the room: 60,802 is within 31.42 kr.
    assert_eq!(
        period(d("60802"), 12, d("2000"), 365, 2).beyond_rounding(),
        Some(false)
    );
    // Beyond 64 bits in integers of one scale: the exact arithmetic decides.
    let long = period(
        d("7922816251426433759354395033"),
        12,
        d("60833.333333333333333333333"),
        365,
        1,
    );
    assert_eq!(long.in_integers(), None);
    assert_eq!(long.beyond_rounding(), long.in_exact());
    assert_eq!(long.beyond_rounding(), Some(true));
}

proptest! {
    #[test]
    fn the_integers_agree_with_exact_arithmetic(
        value in (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        day in (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        step in (1i64..1_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
        basis in 1i64..=366,
        month in any::<bool>(),
        steps in 1i64..=2,
    ) {
        let p = Period {
            value,
            periods: if month { 12 } else { 1 },
            day,
            basis,
            step: step.max(Decimal::ONE),
            steps,
        };
        if let Some(fast) = p.in_integers() {
            prop_assert_eq!(Some(fast), p.in_exact());
        }
    }
}
