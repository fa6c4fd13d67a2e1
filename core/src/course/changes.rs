//! The change report: a changed course priced against its original plan, the difference
//! month by month as credit and debit (initiativpligt).

use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Op, Subj, Unit};

use super::calendar::{self};
use super::lines::{amount_of, Totals};
use super::*;

const CHANGE_MONTH: Desc = Desc {
    key: "course[{a}].change.{ym}",
    label: "Ændring i {mn} (kredit når negativ, debet når positiv)",
    unit: Unit::Kr,
    rule: "ændret forløb − oprindelig plan",
    source: Some("initiativpligt: forløbet genberegnes fra ændringen"),
    path: "courses[{a}].changes",
};
const CHANGE_TOTAL: Desc = Desc {
    key: "course[{a}].change",
    label: "Ændringernes samlede virkning",
    unit: Unit::Kr,
    rule: "ændret forløb − oprindelig plan",
    source: Some("initiativpligt: forløbet genberegnes fra ændringen"),
    path: "courses[{a}].changes",
};

const ZERO: Desc = Desc {
    key: "const.zero",
    label: "Nul",
    unit: Unit::Kr,
    rule: "fast værdi",
    source: Some("en måned uden fakturalinjer"),
    path: "courses",
};

/// The change report: each month of the changed course against the original plan.
pub(super) fn change_report(
    ex: &mut Explanation,
    c: usize,
    changed: &Totals,
    original: &Totals,
    scale: u32,
) -> Result<ChangeReport, Error> {
    let zero_fig = |ex: &mut Explanation| ex.constant(&ZERO, Exact::ZERO);
    let mut months: Vec<MonthChange> = Vec::new();
    let (mut a, mut b) = (0, 0);
    let (new, old) = (&changed.months, &original.months);
    loop {
        let (month, x, y) = match (new.get(a), old.get(b)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                a += 1;
                b += 1;
                (x.0, x.1.clone(), y.1.clone())
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                a += 1;
                (x.0, x.1.clone(), zero_fig(ex)?)
            }
            (Some(x), None) => {
                a += 1;
                (x.0, x.1.clone(), zero_fig(ex)?)
            }
            (_, Some(y)) => {
                b += 1;
                (y.0, zero_fig(ex)?, y.1.clone())
            }
            (None, None) => break,
        };
        let diff = ex.derive(
            &CHANGE_MONTH,
            Subj::two(c, month.code()),
            Op::Difference,
            &[x.clone(), y.clone()],
        )?;
        if !diff.v.is_zero() {
            months.push(MonthChange {
                month,
                original: amount_of(&y, c, scale)?,
                changed: amount_of(&x, c, scale)?,
                difference: amount_of(&diff, c, scale)?,
            });
        }
    }
    let (Some(new_total), Some(old_total)) = (changed.total.clone(), original.total.clone()) else {
        return Err(Error::new(
            ErrorCode::Internal,
            calendar::at(c, ""),
            "a plan without a total",
            "En plan uden total (en fejl i takst).",
        ));
    };
    let diff = ex.derive(
        &CHANGE_TOTAL,
        Subj::one(c),
        Op::Difference,
        &[new_total.clone(), old_total.clone()],
    )?;
    Ok(ChangeReport {
        months,
        original: amount_of(&old_total, c, scale)?,
        changed: amount_of(&new_total, c, scale)?,
        difference: amount_of(&diff, c, scale)?,
    })
}
