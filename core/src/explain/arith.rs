//! The arithmetic of a node: the one implementation of every operation, and the error an
//! operation that cannot be computed becomes.

use super::names::{blank, fill, pieces, Names, Piece};
use super::{Desc, Op, Subj};
use crate::error::{Error, ErrorCode};
use crate::exact::Exact;

/// An arithmetic failure, before it is given a path.
pub(super) enum Fail {
    Overflow,
    DivisionByZero,
    Malformed,
}

/// Applies `op` to `n` values, the i-th given by `v(i)`: the one implementation of every
/// operation, used to compute a figure and to recompute it.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(super) fn apply<'a>(op: Op, n: usize, v: impl Fn(usize) -> &'a Exact) -> Result<Exact, Fail> {
    let sum = |from: usize| Exact::checked_sum(from, n, &v).ok_or(Fail::Overflow);
    match op {
        Op::Input | Op::Constant | Op::Round if n == 1 => Ok(v(0).clone()),
        Op::Sum => sum(0),
        // a − b, without first summing b alone (the same value in the same form).
        Op::Difference if n == 2 && v(1).is_small() => v(0).checked_sub(v(1)).ok_or(Fail::Overflow),
        Op::Difference if n >= 1 => v(0).checked_sub(&sum(1)?).ok_or(Fail::Overflow),
        // 1 × x is x in the same form, so the product starts from the first factor; with
        // two or more, from the product of the first two (a 128-bit first factor is not
        // copied to be multiplied).
        Op::Product if n == 1 => Ok(v(0).clone()),
        Op::Product if n >= 2 => (2..n)
            .try_fold(v(0).checked_mul(v(1)).ok_or(Fail::Overflow)?, |acc, i| {
                acc.checked_mul(v(i))
            })
            .ok_or(Fail::Overflow),
        Op::Product => Ok(Exact::ONE),
        Op::Quotient if n == 2 => {
            let divisor = v(1);
            if divisor.is_zero() {
                Err(Fail::DivisionByZero)
            } else {
                v(0).checked_div(divisor).ok_or(Fail::Overflow)
            }
        }
        Op::Negate if n == 1 => v(0).checked_neg().ok_or(Fail::Overflow),
        Op::Mean if n > 0 => sum(0)?
            .checked_div(&Exact::from(n as i64))
            .ok_or(Fail::Overflow),
        Op::Mean => Err(Fail::DivisionByZero),
        Op::Min | Op::Max if n > 0 => {
            let mut best = v(0);
            for i in 1..n {
                let x = v(i);
                if (op == Op::Min && x < best) || (op == Op::Max && x > best) {
                    best = x;
                }
            }
            Ok(best.clone())
        }
        Op::PercentOf if n == 2 => v(0)
            .checked_mul(v(1))
            .and_then(|x| x.checked_div(&Exact::from(100i64)))
            .ok_or(Fail::Overflow),
        // A node with the wrong number of inputs: only a bug can make one.
        _ => Err(Fail::Malformed),
    }
}

#[cold]
#[inline(never)]
pub(super) fn fail(d: &'static Desc, s: Subj, f: Fail) -> Error {
    let mut path = String::new();
    fill(d.path, s, &Names::default(), &mut path);
    // The figure in Danish: its label when its blanks fill without names ("Samlet PL-faktor
    // fra 2026 til 2040"; the names are not at hand here, and a name's blank filled without
    // them would read "0"), else its rule when that fills so, else just "the figure".
    let filled = |template: &str| {
        let mut out = String::new();
        let complete = pieces(template).all(|piece| match piece {
            Piece::Text(text) => {
                out.push_str(text);
                true
            }
            Piece::Blank(name) => blank(name, s, &Names::default(), &mut out),
        });
        (complete && !out.is_empty()).then_some(out)
    };
    let figure = match (filled(d.label), filled(d.rule)) {
        (Some(label), _) => format!("Tallet \"{label}\""),
        (None, Some(rule)) => format!("Tallet ({rule})"),
        (None, None) => String::from("Tallet"),
    };
    // A long cumulative indexation by rates of many decimals is the one way a real request
    // meets the limit: the exact product of the years' factors outgrows it.
    let (hint, hint_da) = if path.starts_with("index") {
        (
            " (a long cumulative indexation by rates of many decimals does this: give the \
             rates with fewer decimals, index by the chained method, or give the index as \
             values)",
            " (en lang kumulativ PL-fremskrivning med satser med mange decimaler gør det: \
             angiv satserne med færre decimaler, fremskriv kædet, eller angiv indekset som \
             værdier)",
        )
    } else {
        ("", "")
    };
    match f {
        Fail::Overflow => Error::new(
            ErrorCode::Overflow,
            path,
            format!(
                "a figure computed from this input cannot be held exactly: its fraction \
                 outgrows 256-bit integers; check the size of the figures given here{hint}"
            ),
            format!(
                "{figure} kan ikke holdes præcist: brøken vokser ud over 256-bit heltal; \
                 kontrollér størrelsen af de tal, der er angivet her{hint_da}."
            ),
        ),
        Fail::DivisionByZero => Error::new(
            ErrorCode::DivisionByZero,
            path,
            "a figure computed from this input would divide by zero",
            format!("{figure} kan ikke beregnes, fordi det ville kræve division med 0."),
        ),
        Fail::Malformed => Error::new(
            ErrorCode::Internal,
            path,
            "a figure was given the wrong number of inputs (a bug in takst)",
            format!("{figure}: en beregning fik et forkert antal inddata (en fejl i takst)."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{apply, fail, Fail, Op};
    use crate::exact::Exact;
    use crate::explain::{Desc, Subj, Unit};

    /// An error names its figure in Danish by its label when the label's blanks fill from
    /// the subject alone, by its rule when the label needs names, and never as "0".
    #[test]
    fn an_overflow_names_its_figure_as_far_as_it_can() {
        const FACTOR: Desc = Desc {
            key: "index.{a}-{b}.factor",
            label: "Samlet PL-faktor fra {a} til {b}",
            unit: Unit::Ratio,
            rule: "produktet af årenes PL-faktorer",
            source: None,
            path: "index.rates_pct",
        };
        const NAMED: Desc = Desc {
            label: "{tl}",
            rule: "takst × PL-faktor",
            path: "index",
            ..FACTOR
        };
        const BARE: Desc = Desc {
            label: "{S}",
            rule: "",
            ..NAMED
        };
        for (d, da) in [
            (
                &FACTOR,
                "Tallet \"Samlet PL-faktor fra 2026 til 2040\" kan ikke",
            ),
            (&NAMED, "Tallet (takst × PL-faktor) kan ikke"),
            (&BARE, "Tallet kan ikke"),
        ] {
            let e = fail(d, Subj::two(2026, 2040), Fail::Overflow);
            assert!(e.message_da().starts_with(da), "{e:?}");
            assert!(!e.message().contains("Tallet"), "{e:?}");
        }
    }

    proptest! {
        /// `a − b` is computed as it was before its fast path, `a` less the sum of the rest,
        /// to the form: for a left value in each of the three forms, and a right value over
        /// any 64-bit denominator, a power of ten, or at the edge of the range.
        #[test]
        fn a_difference_is_the_first_less_the_sum_of_the_rest(
            a in any::<i64>(), b in 1i64..=i64::MAX, c in any::<i64>(), d in 1i64..=i64::MAX,
            k in 0u32..=18,
        ) {
            let big = Exact::new(i128::MAX / 3, 7).and_then(|x| x.checked_mul(&Exact::new(i128::MAX / 5, 11)?));
            let left = [
                Exact::new(a.into(), b.into()),
                Exact::new(i128::from(a) << 64, b.into()),
                big.and_then(|x| x.checked_add(&Exact::new(a.into(), b.into())?)),
            ];
            let right = [
                Exact::new(c.into(), d.into()),
                Exact::new(c.into(), 10i128.pow(k)),
                Exact::new(i64::MIN.into(), d.into()),
            ];
            for x in left.iter().flatten() {
                for y in right.iter().flatten() {
                    let v = |i: usize| if i == 0 { x } else { y };
                    let before = Exact::checked_sum(1, 2, v).and_then(|sum| x.checked_sub(&sum));
                    let now = apply(Op::Difference, 2, v).ok();
                    prop_assert_eq!(now.as_ref().map(Exact::stored), before.as_ref().map(Exact::stored));
                }
            }
        }
    }
}
