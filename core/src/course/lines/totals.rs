//! A plan's totals: month, year and course totals as sums of lines, an amount as a
//! `Decimal` with the lines' scale, and a course's service lines per calendar year.

use rust_decimal::Decimal;

use crate::course::calendar;
use crate::course::engine::{Priced, Sums};
use crate::course::*;
use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::explain::{Explanation, Fig, Op, Subj};

use super::desc::{Descs, YEAR_DAYS, YEAR_SERVICES, YEAR_TOTAL};
use super::Lines;

/// Records a course's service lines per calendar year (lines are in month order).
pub(in crate::course) fn course_years(
    ex: &mut Explanation,
    c: usize,
    offer: u32,
    lines: &[InvoiceLine],
    figs: &[Priced],
    out: &mut Vec<CourseYear>,
) -> Result<(), Error> {
    let mut i = 0;
    while i < lines.len() {
        let year = lines[i].month.year;
        let (mut members, mut days) = (Vec::new(), 0i64);
        while i < lines.len() && lines[i].month.year == year {
            if figs[i].service_line {
                members.push(figs[i].fig.clone());
                days += i64::from(lines[i].days);
            }
            i += 1;
        }
        if members.is_empty() {
            continue;
        }
        let subj = Subj::two(c, year.unsigned_abs().into());
        out.push(CourseYear {
            course: c,
            offer,
            year: i32::from(year),
            amount: ex.derive(&YEAR_SERVICES, subj, Op::Sum, &members)?,
            days: ex.constant_at(&YEAR_DAYS, subj, Exact::from(days))?,
        });
    }
    Ok(())
}

/// The figures of a plan's totals.
#[derive(Default)]
pub(in crate::course) struct Totals {
    pub(in crate::course) total: Option<Fig>,
    pub(in crate::course) months: Vec<(Month, Fig)>,
}

/// Month totals, year totals and the total of sorted lines.
#[allow(clippy::too_many_arguments)]
pub(super) fn totals(
    ex: &mut Explanation,
    c: usize,
    lines: &[InvoiceLine],
    figs: &[Priced],
    d: &'static Descs,
    quote: &mut Quote,
    which: Lines,
    scale: u32,
    sums: &mut Sums,
) -> Result<Totals, Error> {
    // The month figures are kept only for the change report (a course without changes
    // allocated and filled them for nothing: `bench profile` −1.7 %).
    let keep_months = which != Lines::Quote { changed: false };
    let mut out = Totals {
        total: None,
        // at most one month per line
        months: if keep_months {
            Vec::with_capacity(lines.len())
        } else {
            Vec::new()
        },
    };
    let month_figs = &mut sums.months;
    month_figs.clear();
    // Where the year's months start among `month_figs`: a year's sum is of the months since
    // (not gathered a second time).
    let mut year_start = 0;
    let mut i = 0;
    while i < lines.len() {
        let month = lines[i].month;
        let mut j = i;
        while j < lines.len() && lines[j].month == month {
            j += 1;
        }
        // The month's lines' figures, read where they are (not copied into a buffer).
        let month_lines = &figs[i..j];
        let f = ex.derive_each(
            d.month_total,
            Subj::two(c, month.code()),
            Op::Sum,
            month_lines.len(),
            |k| &month_lines[k].fig,
        )?;
        quote.months.push(MonthAmount {
            month,
            amount: amount_of(&f, c, scale)?,
        });
        if keep_months {
            out.months.push((month, f.clone()));
        }
        month_figs.push(f);
        // A year ends where the next month is of another year.
        let next_year = lines.get(j).map(|l| l.month.year);
        if matches!(which, Lines::Quote { .. }) && next_year != Some(month.year) {
            let y = ex.derive(
                &YEAR_TOTAL,
                Subj::two(c, month.year as u32),
                Op::Sum,
                &month_figs[year_start..],
            )?;
            quote.years.push(YearAmount {
                year: i32::from(month.year),
                amount: amount_of(&y, c, scale)?,
            });
            year_start = month_figs.len();
        }
        i = j;
    }
    out.total = Some(ex.derive(d.total, Subj::one(c), Op::Sum, month_figs)?);
    Ok(out)
}

/// A sum of rounded amounts as a `Decimal` (it always has a finite decimal form), written
/// with the scale of the lines (`"375507.00"`).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(in crate::course) fn amount_of(f: &Fig, c: usize, scale: u32) -> Result<Decimal, Error> {
    let too_large = || {
        Error::new(
            ErrorCode::Overflow,
            calendar::at(c, ""),
            "the amount is too large",
            "Beløbet er for stort til at regne med.",
        )
    };
    if let Some(d) = f.v.decimal_with_scale(scale) {
        return Ok(d);
    }
    let mut d = f.v.to_decimal().ok_or_else(too_large)?;
    if d.scale() < scale {
        // `rescale` comes as close as 96 bits allow: an amount beyond about 7.9 × 10²⁶ kr
        // cannot be written in øre, and is too large rather than written in tenths.
        d.rescale(scale);
        if d.scale() < scale {
            return Err(too_large());
        }
    }
    Ok(d)
}

/// One course's billing in one calendar year, for the sections that take their figures
/// from the courses (the settlement's revenue and billed days).
#[derive(Clone, Debug)]
pub(crate) struct CourseYear {
    /// The course's place in the request.
    pub course: usize,
    /// The offer it is at (its key).
    pub offer: u32,
    /// The calendar year.
    pub year: i32,
    /// The service lines billed for days of the year (add-ons are priced and settled apart).
    pub amount: Fig,
    /// Days billed at the course's services in the year.
    pub days: Fig,
}
