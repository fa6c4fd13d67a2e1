//! Checking the section: every problem reported at its path.

use rust_decimal::Decimal;

use super::{Bracket, Buyer};
use crate::error::{ErrorCode, Errors};
use crate::tariff::validate::{At, Check, YEARS};

/// A table of SEL § 176 brackets at `at` (`….brackets`): thresholds not negative and
/// rising, rates from 0 to 100 %, at most 100 brackets.
fn check_brackets(c: &mut Check, brackets: &[Bracket], at: &str) {
    for (k, br) in brackets.iter().enumerate() {
        let path = format!("{at}[{k}]");
        c.non_negative(
            br.from,
            format!("{path}.from"),
            ("a threshold", "en beløbsgrænse"),
        );
        c.percent(
            br.pct,
            format!("{path}.pct"),
            ("a refund rate", "en refusionssats"),
        );
        if k > 0 && br.from <= brackets[k - 1].from {
            c.fail(
                ErrorCode::OutOfRange,
                format!("{path}.from"),
                format!(
                    "the thresholds must rise: {} follows {}",
                    br.from,
                    brackets[k - 1].from
                ),
                format!(
                    "Beløbsgrænserne skal stige: {} kommer efter {}.",
                    crate::danish::number(br.from),
                    crate::danish::number(brackets[k - 1].from)
                ),
            );
        }
    }
    if brackets.len() > 100 {
        c.fail(
            ErrorCode::LimitExceeded,
            at,
            "at most 100 brackets",
            "Der må højst være 100 refusionsgrænser.",
        );
    }
}

pub(super) fn check(b: &Buyer) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    c.percent(
        b.vat_bearing_pct,
        "buyer.vat_bearing_pct",
        ("the VAT-bearing share", "den momsbærende andel"),
    );
    for (i, t) in b.refund.iter().enumerate() {
        if !YEARS.contains(&t.year) {
            c.fail(
                ErrorCode::OutOfRange,
                At("buyer.refund", i, ".year"),
                format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
                format!(
                    "Året skal være fra {} til {}, men er {}.",
                    YEARS.start(),
                    YEARS.end(),
                    t.year
                ),
            );
        }
        if b.refund[..i].iter().any(|o| o.year == t.year) {
            c.fail(
                ErrorCode::DuplicateId,
                At("buyer.refund", i, ".year"),
                format!("the brackets of {} are given twice", t.year),
                format!("Refusionsgrænserne for {} er angivet to gange.", t.year),
            );
        }
        check_brackets(&mut c, &t.brackets, &format!("buyer.refund[{i}].brackets"));
    }
    c.rounding(&b.vat_rounding, "buyer.vat_rounding");
    if let Some(l) = &b.refund_levels {
        if !YEARS.contains(&l.year) {
            c.fail(
                ErrorCode::OutOfRange,
                "buyer.refund_levels.year",
                format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
                format!(
                    "Året skal være fra {} til {}, men er {}.",
                    YEARS.start(),
                    YEARS.end(),
                    l.year
                ),
            );
        }
        c.rounding(&l.rounding, "buyer.refund_levels.rounding");
        check_brackets(&mut c, &l.brackets, "buyer.refund_levels.brackets");
        for (k, r) in l.rates_pct.iter().enumerate() {
            let path = format!("buyer.refund_levels.rates_pct[{k}]");
            if r.year <= l.year || !YEARS.contains(&r.year) {
                c.fail(
                    ErrorCode::OutOfRange,
                    format!("{path}.year"),
                    format!(
                        "a rate regulates from the price level of {} onwards: give a year after \
                         it, up to {}",
                        l.year,
                        YEARS.end()
                    ),
                    format!(
                        "En sats regulerer fra prisniveauet i {} og frem: angiv et år efter det, \
                         højst {}.",
                        l.year,
                        YEARS.end()
                    ),
                );
            }
            if l.rates_pct[..k].iter().any(|o| o.year == r.year) {
                c.fail(
                    ErrorCode::DuplicateId,
                    format!("{path}.year"),
                    format!("the rate of {} is given twice", r.year),
                    format!("Satsen for {} er angivet to gange.", r.year),
                );
            }
            if r.pct <= Decimal::from(-100) || r.pct > Decimal::ONE_HUNDRED {
                c.fail(
                    ErrorCode::OutOfRange,
                    format!("{path}.pct"),
                    format!(
                        "a yearly rate must be above −100 % and at most 100 %, got {} %",
                        r.pct
                    ),
                    format!(
                        "En årlig sats skal være over −100 % og højst 100 %, men er {} %.",
                        crate::danish::number(r.pct)
                    ),
                );
            }
        }
    }
    for (i, cost) in b.costs.iter().enumerate() {
        c.non_negative(
            cost.amount,
            At("buyer.costs", i, ".amount"),
            ("a cost", "en udgift"),
        );
        if !YEARS.contains(&cost.year) {
            c.fail(
                ErrorCode::OutOfRange,
                At("buyer.costs", i, ".year"),
                format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
                format!(
                    "Året skal være fra {} til {}, men er {}.",
                    YEARS.start(),
                    YEARS.end(),
                    cost.year
                ),
            );
        }
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
