//! Tests of exact arithmetic: values worked out by hand, the fast paths' forms against the
//! general path, and the text against the general writer. (The property tests against big
//! rationals are in `core/tests/`.)

use super::text::write_decimal;
use super::*;

fn q(n: i128, d: i128) -> Exact {
    Exact::new(n, d).unwrap()
}

#[test]
fn a_value_is_three_words() {
    assert_eq!(std::mem::size_of::<Exact>(), 24);
}

#[test]
fn arithmetic_is_exact() {
    let third = q(1, 3);
    let sum = third
        .checked_add(&third)
        .and_then(|s| s.checked_add(&third))
        .unwrap();
    assert_eq!(sum, Exact::ONE);
    assert_eq!(q(10, 4), q(5, 2));
    assert_eq!(q(-1, 2).to_string(), "-0.5");
    assert_eq!(q(1, -3).to_string(), "-1/3");
    assert_eq!(q(1, 8).to_decimal(), Some(Decimal::new(125, 3)));
    assert_eq!(q(0, 5).to_string(), "0");
    assert_eq!(q(7, 1000).to_string(), "0.007");
    assert!(Exact::ONE.checked_div(&Exact::ZERO).is_none());
    assert!(Exact::new(1, 0).is_none());
}

/// The raw parts, to check that two ways of computing give the same form, not only the
/// same value.
fn form(e: &Exact) -> (I256, I256) {
    e.nd()
}

#[test]
fn a_sum_at_once_is_the_sum_one_by_one() {
    let cases: Vec<Vec<Exact>> = vec![
        vec![],
        vec![q(150, 100)],
        vec![q(150, 100), q(-2_525, 100), q(7, 100)],
        vec![q(i64::MAX.into(), 100), q(i64::MAX.into(), 100), q(1, 100)],
        vec![q(1, 3), q(1, 3), q(1, 3)],
        vec![q(150, 100), q(3, 1), q(7, 10)],
        vec![q(1, 1), q(2, 1)],
        vec![q(i128::from(i64::MAX) * 4, 7), q(1, 7)],
    ];
    for values in &cases {
        for from in 0..=values.len() {
            let one_by_one = values[from..]
                .iter()
                .try_fold(Exact::ZERO, |acc, v| acc.checked_add(v));
            let at_once = Exact::checked_sum(from, values.len(), |i| &values[i]);
            assert_eq!(at_once, one_by_one, "{values:?} from {from}");
            assert_eq!(
                at_once.as_ref().map(form),
                one_by_one.as_ref().map(form),
                "{values:?} from {from}"
            );
        }
    }
    // Decimal amounts to Decimal: the fast path and the general one agree.
    for (n, d) in [
        (12_345, 100),
        (-5, 10),
        (0, 1),
        (7, 1_000_000_000_000_000_000),
    ] {
        let e = q(n, d);
        let expected = Decimal::try_from_i128_with_scale(n, d.ilog10()).ok();
        assert_eq!(e.to_decimal(), expected);
    }
}

#[test]
fn comparison_never_overflows() {
    let big = q(i128::MAX, 3);
    let bigger = q(i128::MAX, 2);
    assert!(big < bigger);
    assert!(q(i128::MIN + 1, 7) < q(-1, i128::MAX));
    assert!(q(i128::MAX - 1, i128::MAX) < Exact::ONE);
    assert_eq!(q(6, 4).cmp(&q(3, 2)), Ordering::Equal);
    assert!(q(-7, 2) < q(-3, 1));
}

#[test]
fn overflow_reduces_before_giving_up() {
    // 10^30/10^30 × 10^30/10^30 overflows unreduced but is 1.
    let one = q(10i128.pow(30), 10i128.pow(30));
    assert_eq!(one.checked_mul(&one), Some(Exact::ONE));
    let huge = q(i128::MAX, 1);
    let square = huge.checked_mul(&huge).unwrap();
    assert!(square.checked_mul(&square).is_none());
    assert!(square.checked_mul(&q(4, 1)).is_none());
    // Ten years of +1.96 % times a month tariff fit.
    let step = q(10196, 10000);
    let mut f = q(146024, 1);
    for _ in 0..20 {
        f = f.checked_mul(&step).unwrap();
    }
    assert!(f > q(146024, 1));
}

#[test]
fn powers_of_ten_are_told_from_other_64_bit_denominators() {
    for k in 0..=19u32 {
        assert_eq!(log10_64(10u64.pow(k)), Some(k));
        assert_eq!(log10_u128(10u128.pow(k)), Some(k));
    }
    // Beyond i64 and between powers: 2^11 × 5^18 × 427 has 19 digits and is no power.
    for d in [
        3_335_937_500_000_000_000u64,
        u64::MAX,
        2,
        99,
        101,
        10u64.pow(19) + 1,
    ] {
        assert_eq!(log10_64(d), None, "{d}");
    }
    assert_eq!(log10_64(0), None);
    assert_eq!(pow10_64(18), Some(10i64.pow(18)));
    assert_eq!(pow10_64(19), None);
    assert_eq!(pow10(19), Some(10i128.pow(19)));
    assert_eq!(
        Exact::from(Decimal::new(-5, 28)).to_decimal(),
        Some(Decimal::new(-5, 28))
    );
}

#[test]
fn decimals_convert_both_ways() {
    let d = Decimal::new(-146280, 2);
    assert_eq!(Exact::from(d).to_decimal(), Some(d));
    assert_eq!(Exact::from(d).to_string(), "-1462.8");
    assert_eq!(q(2, 3).approx(4), Some(Decimal::new(6667, 4)));
}

#[test]
fn an_approximation_never_looks_shorter_than_its_value() {
    let approx = |v: &Exact, places| v.approx(places).unwrap().to_string();
    // 1000.5 ∓ 1/(3 × 10^13): the nearest 12-decimal number is the tie 1000.5 itself, which
    // would read as a tie rounded the wrong way; the neighbour on the value's side instead.
    let below = q(30_014_999_999_999_999, 30_000_000_000_000);
    let above = q(30_015_000_000_000_001, 30_000_000_000_000);
    assert_eq!(approx(&below, 12), "1000.499999999999");
    assert_eq!(approx(&above, 12), "1000.500000000001");
    assert_eq!(
        approx(&below.checked_neg().unwrap(), 12),
        "-1000.499999999999"
    );
    assert_eq!(
        approx(&above.checked_neg().unwrap(), 12),
        "-1000.500000000001"
    );
    // The same to 4 decimals (the Danish messages' "…"): 4800.49999… is not "4800.5".
    let day = q(14_401_499_999, 3_000_000);
    assert_eq!(day.approx(4).unwrap().normalize().to_string(), "4800.4999");
    assert_eq!(crate::danish::exact(&day), "4.800,4999…");
    // Not zero: a tiny value keeps its sign and a last digit.
    assert_eq!(approx(&q(1, 3_000_000_000_000_000), 12), "0.000000000001");
    assert_eq!(approx(&q(-1, 3_000_000_000_000_000), 12), "-0.000000000001");
    // The nearest when it does not end in 0, or when it is the value.
    assert_eq!(approx(&q(2, 3), 4), "0.6667");
    assert_eq!(approx(&q(1, 3), 4), "0.3333");
    assert_eq!(approx(&q(2001, 2), 12), "1000.500000000000");
    assert_eq!(approx(&q(2001, 2), 0), "1001");
}

proptest::proptest! {
    #[test]
    fn an_approximation_is_a_neighbour_of_its_value(
        n in -(1i128 << 80)..(1i128 << 80), d in 1i128..(1i128 << 60), form in 0usize..4,
        places in 0u32..=14, near in -3i128..=3,
    ) {
        // Any fraction; one over a power of ten (exact at some places); and values a hair
        // from a point of `places` decimals ending in 0 or 5 (a tie one place shorter).
        let ten = 10i128.pow(places);
        let k = n % (1i128 << 40);
        let (n, d) = match form {
            0 => (n, d),
            1 => (n, ten * (1 + d % 1000)),
            2 => ((k - k % 10) * 1_000_000 + near, ten * 1_000_000),
            _ => ((k - k % 10 + 5) * 1_000_000 + near, ten * 10_000_000),
        };
        let v = q(n, d);
        let step = Decimal::new(1, places);
        let at = |mode| crate::Rounding::new(step, mode).and_then(|r| r.apply_exact(&v));
        // Beyond 96 bits there is no `Decimal`, and nothing to check.
        if let (Some(a), Some(floor), Some(ceil), Some(nearest)) = (
            v.approx(places),
            at(crate::RoundMode::Floor),
            at(crate::RoundMode::Ceiling),
            at(crate::RoundMode::HalfAwayFromZero),
        ) {
            proptest::prop_assert!(a == floor || a == ceil);
            proptest::prop_assert_eq!(a.scale(), places);
            if places == 0 || nearest.mantissa() % 10 != 0 || v == nearest {
                proptest::prop_assert_eq!(a, nearest);
            } else {
                proptest::prop_assert_ne!(a, nearest);
                proptest::prop_assert_ne!(a.mantissa() % 10, 0);
            }
        }
    }
}

/// The general path of `Display`, for comparison with the fast one.
fn general(v: &Exact) -> String {
    let mut out = String::new();
    match v.decimal_parts() {
        Some((n, scale)) => write_decimal(&mut out, n, scale).unwrap(),
        None => {
            let (n, d) = v.reduced().nd();
            out = format!("{n}/{d}");
        }
    }
    out
}

proptest::proptest! {
    #[test]
    fn a_difference_is_the_sum_with_the_negation(
        a in proptest::prelude::any::<i64>(), b in 1i64..=i64::MAX,
        c in proptest::prelude::any::<i64>(), d in 1i64..=i64::MAX,
        k in 0u32..=18, edge in 0usize..4,
    ) {
        // Any 64-bit parts, amounts over powers of ten, one denominator (the inlined case),
        // and the edges of the range.
        let p = 10i64.pow(k);
        let c = [c, i64::MIN, i64::MAX, -(c / 7)][edge];
        for (x, y) in [
            (q(a.into(), b.into()), q(c.into(), d.into())),
            (q(a.into(), p.into()), q(c.into(), 100)),
            (q(a.into(), b.into()), q(c.into(), b.into())),
        ] {
            let by_sum = y.checked_neg().and_then(|m| x.checked_add(&m));
            let direct = x.checked_sub(&y);
            proptest::prop_assert_eq!(direct.as_ref().map(form), by_sum.as_ref().map(form));
            proptest::prop_assert_eq!(direct.as_ref().map(Exact::is_small), by_sum.as_ref().map(Exact::is_small));
            proptest::prop_assert_eq!(direct.as_ref().map(Exact::stored), by_sum.as_ref().map(Exact::stored));
        }
    }

    /// A product in 128 bits is `checked_mul`'s, and fails where it fails: factors of 64
    /// bits (in any order and sign, at the edges), and beyond 64 bits.
    #[test]
    fn a_product_in_128_bits_is_checked_mul_s(
        x in proptest::prelude::any::<i128>(), y in proptest::prelude::any::<i128>(),
        a in proptest::prelude::any::<i64>(), b in proptest::prelude::any::<i64>(),
        shift in 0u32..=64, edge in 0usize..4,
    ) {
        let b = [b, i64::MIN, i64::MAX, -1][edge];
        for (x, y) in [
            (x, y),
            (i128::from(a), i128::from(b)),
            (i128::from(a) << shift, i128::from(b)),
            (i128::from(b), i128::from(a) << shift),
            (x >> shift, i128::from(b)),
        ] {
            proptest::prop_assert_eq!(times128(x, y), x.checked_mul(y));
        }
    }

    /// A quotient by a 64-bit divisor is the product by the inverse the general path
    /// makes (`narrow` of its parts, swapped), to the stored form, and fails where it fails:
    /// dividends of each form, divisors of either sign, zero and −2^63.
    #[test]
    fn a_quotient_by_a_64_bit_value_is_the_general_one_to_the_form(
        a in proptest::prelude::any::<i64>(), b in 1i64..=i64::MAX,
        n in proptest::prelude::any::<i64>(), d in 1i64..=i64::MAX, edge in 0usize..5,
    ) {
        let n = [n, 0, i64::MIN, -1, 100][edge];
        let y = q(n.into(), d.into());
        let general = |x: &Exact| {
            let (n, d) = y.parts128()?;
            let inverse = if n > 0 {
                Exact::narrow(d, n)
            } else if n < 0 {
                Exact::narrow(-d, -n)
            } else {
                return None;
            };
            x.checked_mul(&inverse)
        };
        let dividends = [
            q(a.into(), b.into()),
            q(i128::from(a) << 64, b.into()),
            q(i128::from(a) << 64, b.into()).checked_mul(&q(i128::MAX / 3, 7)).unwrap_or(Exact::ONE),
        ];
        for x in &dividends {
            proptest::prop_assert_eq!(
                x.checked_div(&y).as_ref().map(Exact::stored),
                general(x).as_ref().map(Exact::stored)
            );
        }
    }

    /// A product of two 64-bit values is the one the 128-bit products narrow to, to the
    /// stored form: any parts, small ones (days × a tariff), and the edges of the range.
    #[test]
    fn a_product_in_64_bits_is_the_general_one_to_the_form(
        a in proptest::prelude::any::<i64>(), b in 1i64..=i64::MAX,
        c in proptest::prelude::any::<i64>(), d in 1i64..=i64::MAX,
        days in 0i64..=31, k in 0u32..=18, edge in 0usize..4,
    ) {
        let c = [c, i64::MIN, i64::MAX, -(c / 7)][edge];
        for (x, y) in [
            (q(a.into(), b.into()), q(c.into(), d.into())),
            (q(days.into(), 1), q(a.into(), 10i128.pow(k))),
            (q(a.into(), 1), q(c.into(), 1)),
        ] {
            let fast = x.checked_mul(&y);
            let general = x.mul_rest(&y);
            proptest::prop_assert_eq!(fast.as_ref().map(Exact::stored), general.as_ref().map(Exact::stored));
        }
    }

    /// A sum at once (one 128-bit accumulator while the values have 64-bit parts) is the
    /// sum one by one with `checked_add`, to the stored form: amounts over powers of ten,
    /// any 64-bit denominators (sums whose denominators outgrow 64 bits, and 128 bits),
    /// values at the edge of the range, and 128-bit and wide values among them.
    #[test]
    fn a_sum_at_once_is_the_sum_one_by_one_to_the_form(
        terms in proptest::collection::vec(
            (proptest::prelude::any::<i64>(), 1i64..=i64::MAX, 0u32..=18, 0usize..8),
            0..12,
        ),
        from in 0usize..4,
    ) {
        let values: Vec<Exact> = terms
            .iter()
            .map(|&(n, d, k, kind)| match kind {
                0 | 1 => q(n.into(), 10i128.pow(k)),
                2 => q(n.into(), 1),
                3 => q(n.into(), d.into()),
                4 => q((n % 1000).into(), (d % 1000 + 1).into()),
                5 => q(i64::MAX.into(), 10i128.pow(k)),
                6 => q(i128::from(n) << 64, d.into()),
                _ => q(i128::from(n) << 64, d.into())
                    .checked_mul(&q(i128::MAX / 3, 7))
                    .unwrap_or(Exact::ONE),
            })
            .collect();
        let from = from.min(values.len());
        let one_by_one = values[from..]
            .iter()
            .try_fold(Exact::ZERO, |acc, v| acc.checked_add(v));
        let at_once = Exact::checked_sum(from, values.len(), |i| &values[i]);
        proptest::prop_assert_eq!(at_once.as_ref().map(Exact::stored), one_by_one.as_ref().map(Exact::stored));
    }

    /// The parts of a sum of two 64-bit values (`sum2_parts`) make the sum of the two, to
    /// the form: over one denominator, powers of ten, and any 64-bit denominators.
    #[test]
    fn the_parts_of_a_sum_of_two_make_the_sum(
        a in proptest::prelude::any::<i64>(), b in 1i64..=i64::MAX,
        c in proptest::prelude::any::<i64>(), d in 1i64..=i64::MAX, k in 0u32..=18,
    ) {
        for (x, y) in [
            (q(a.into(), b.into()), q(c.into(), d.into())),
            (q(a.into(), b.into()), q(c.into(), b.into())),
            (q(a.into(), 10i128.pow(k)), q(c.into(), 1000)),
            (q(a.into(), 1), q(c.into(), d.into())),
        ] {
            let sum = Exact::checked_sum(0, 2, |i| if i == 0 { &x } else { &y });
            let parts = x.sum2_parts(&y).map(|(n, d)| Exact::narrow(n, d));
            proptest::prop_assert!(x.is_small() && y.is_small());
            proptest::prop_assert_eq!(parts.map(|p| p.stored()), sum.map(|s| s.stored()));
        }
    }

    #[test]
    fn a_decimal_enters_and_leaves_as_the_general_path_has_it(
        m in -(1i128 << 96) + 1..(1i128 << 96),
        scale in 0u32..=28,
        small in proptest::prelude::any::<i64>(),
    ) {
        // Any Decimal (96-bit mantissa, scale 0 to 28), mantissas that fit 64 bits, and the
        // edges of 64 bits (the fast path reads the mantissa's words; −0 too).
        let edges = [i128::from(i64::MIN), i128::from(i64::MAX), 1 << 63, -(1 << 63) - 1, 1 << 64];
        let decimals = [m, i128::from(small)]
            .into_iter()
            .chain(edges)
            .map(|m| Decimal::from_i128_with_scale(m, scale))
            .chain([Decimal::from_parts(0, 0, 0, true, scale)]);
        for d in decimals {
            let fast = Exact::from(d);
            let general = Exact::narrow(d.mantissa(), 10i128.pow(d.scale()));
            proptest::prop_assert_eq!(form(&fast), form(&general));
            let small_form = |v: &Exact| matches!(v.0, Repr::Small(..));
            proptest::prop_assert_eq!(small_form(&fast), small_form(&general));
            let back = fast.to_decimal();
            proptest::prop_assert_eq!(back, Some(d));
            proptest::prop_assert_eq!(back.map(|b| b.scale()), Some(d.scale()));
        }
    }

    #[test]
    fn a_decimal_at_a_scale_is_the_general_path_s(
        small in proptest::prelude::any::<i64>(), k in 0u32..=20, scale in 0u32..=30,
    ) {
        // Every 64-bit mantissa over 10^k (k beyond 18 leaves the 64-bit form), and every
        // scale the lines could ask (a Decimal holds 28).
        let Some(v) = 10i128.checked_pow(k).and_then(|d| Exact::new(i128::from(small), d)) else {
            return Ok(());
        };
        let general = v.to_decimal().map(|mut d| {
            if d.scale() < scale {
                d.rescale(scale);
            }
            d
        });
        if let Some(fast) = v.decimal_with_scale(scale) {
            // The same value with the same scale: the same text.
            proptest::prop_assert_eq!(Some(fast.to_string()), general.map(|d| d.to_string()));
            proptest::prop_assert_eq!(fast.scale(), scale);
        }
    }

    #[test]
    fn a_sum_of_amounts_at_the_lines_scale_is_the_general_path_s(
        n in -1_000_000_000_000_000i64..=1_000_000_000_000_000, k in 0u32..=4, extra in 0u32..=6,
        other in proptest::prelude::any::<i64>(), other_k in 0u32..=20,
    ) {
        // Amounts as the lines' sums hold them (a mantissa over 10^k, as a Decimal enters),
        // at a scale of k or more decimals; and any 64-bit mantissa at any scale.
        let scale = k + extra;
        for (m, k) in [(n, k), (other, other_k)] {
            let Ok(d) = Decimal::try_new(m, k) else { continue };
            let v = Exact::from(d);
            let general = v.to_decimal().map(|mut d| {
                if d.scale() < scale {
                    d.rescale(scale);
                }
                d
            });
            // The fast path answers whenever the parts are 64-bit over 10^k, k ≤ scale ≤
            // 28, and the mantissa at the scale fits 64 bits.
            let expected = k <= 18
                && k <= scale
                && scale <= 28
                && 10i64.checked_pow(scale - k).and_then(|p| m.checked_mul(p)).is_some();
            let fast = v.decimal_with_scale(scale);
            proptest::prop_assert_eq!(fast.is_some(), expected);
            if let (Some(fast), Some(general)) = (fast, general) {
                proptest::prop_assert_eq!(fast.serialize(), general.serialize());
            }
        }
    }

    #[test]
    fn a_decimal_value_is_written_as_the_general_path_writes_it(
        n in proptest::prelude::any::<i128>(), k in 0u32..=38, small in proptest::prelude::any::<i64>(),
    ) {
        let d = 10i128.checked_pow(k).unwrap();
        for v in [Exact::new(n, d), Exact::new(i128::from(small), d)].into_iter().flatten() {
            let fast = v.plain_text().map(|t| t.as_str().to_string());
            proptest::prop_assert!(fast.is_none() || fast.as_deref() == Some(general(&v).as_str()));
            proptest::prop_assert_eq!(v.to_string(), general(&v));
            proptest::prop_assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{}\"", general(&v)));
        }
    }

    #[test]
    fn a_value_with_128_bit_parts_is_written_as_the_general_path_writes_it(
        n in proptest::prelude::any::<i128>(), small in proptest::prelude::any::<i64>(),
        twos in 0u32..=40, fives in 0u32..=20, other in 1i128..=1000,
    ) {
        // Denominators of 2s and 5s (a decimal), with another factor (a fraction), in
        // 64 and 128 bits, and through a product.
        let d = 2i128.checked_pow(twos).and_then(|t| 5i128.checked_pow(fives).and_then(|f| t.checked_mul(f)));
        let Some(d) = d else { return Ok(()) };
        for den in [d, d.saturating_mul(other)] {
            for num in [n, i128::from(small)] {
                let Some(v) = Exact::new(num, den) else { continue };
                let wide = v.checked_mul(&q(3, 3));
                for v in [Some(v), wide].into_iter().flatten() {
                    let mut text = String::new();
                    let written = v.push_text128(&mut text);
                    let mut general_text = String::new();
                    v.fmt_wide(&mut general_text).unwrap();
                    proptest::prop_assert_eq!(&general_text, &general(&v));
                    if let Some(decimal) = written {
                        proptest::prop_assert_eq!(&text, &general_text);
                        proptest::prop_assert_eq!(decimal, v.to_decimal());
                    } else {
                        proptest::prop_assert!(text.is_empty());
                    }
                    proptest::prop_assert_eq!(v.to_string(), general_text);
                }
            }
        }
    }
}
