//! Invoice lines: each calendar month of each phase (or add-on) is one line, days × the
//! tariff in force that year (or an add-on's quantity × price × the month's share of days),
//! rounded to øre once; month, year and course totals are sums of lines.

use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::danish::date as da_date;
use crate::error::{Error, ErrorCode, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, LineName, Op, Step, Subj, Unit};
use crate::sheet::AddOnUnit;

use super::calendar::{self, AddOnSpan, Origin, Plan};
use super::engine::{Priced, Sums, Texts};
use super::model::{Billing, Invoicing};
use super::tariffs::{InForce, Tariffs};
use super::*;

const LINE_DAYS: Desc = Desc {
    key: "course[{a}].line[{b}].days",
    label: "Fakturerede dage, {l}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some(
        "kalenderen: dage i måneden inden for fasen (første og sidste dag efter \
         faktureringsreglerne)",
    ),
    path: "courses[{a}]",
};
const LINE: Desc = Desc {
    key: "course[{a}].line[{b}]",
    label: "{l}",
    unit: Unit::Kr,
    rule: "fakturerede dage × gældende takst, afrundet",
    source: Some("fakturalinje pr. kalendermåned pr. fase"),
    path: "courses[{a}]",
};
const LINE_MONTH: Desc = Desc {
    key: "course[{a}].line[{b}]",
    label: "{l}",
    unit: Unit::Kr,
    rule: "hel kalendermåned til månedstakst",
    source: Some("fakturering: hele måneder til månedstakst"),
    path: "courses[{a}]",
};
const LINE_DAYS_IN_MONTH: Desc = Desc {
    key: "course[{a}].line[{b}].days_in_month",
    label: "Dage i måneden, {l}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen"),
    path: "courses[{a}]",
};
const LINE_QUANTITY: Desc = Desc {
    key: "course[{a}].line[{b}].quantity_per_month",
    label: "Mængde pr. måned, {l}",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("forløbets tillægsydelse (quantity_per_month)"),
    path: "courses[{a}]",
};
const LINE_UNITS_PRODUCT: Desc = Desc {
    key: "course[{a}].line[{b}].month_amount_days",
    label: "Mængde × pris × dage, {l}",
    unit: Unit::Kr,
    rule: "mængde pr. måned × pris × fakturerede dage",
    source: Some("tillægsydelse pr. time eller km"),
    path: "courses[{a}]",
};
const LINE_UNITS: Desc = Desc {
    key: "course[{a}].line[{b}]",
    label: "{l}",
    unit: Unit::Kr,
    rule: "mængde pr. måned × pris × fakturerede dage ÷ dage i måneden, afrundet",
    source: Some("tillægsydelse pr. time eller km"),
    path: "courses[{a}]",
};
const ORIGINAL_LINE_DAYS: Desc = Desc {
    key: "course[{a}].original.line[{b}].days",
    label: "Oprindelig plan: fakturerede dage, {l}",
    ..LINE_DAYS
};
const ORIGINAL_LINE: Desc = Desc {
    key: "course[{a}].original.line[{b}]",
    label: "Oprindelig plan: {l}",
    ..LINE
};
const ORIGINAL_LINE_MONTH: Desc = Desc {
    key: "course[{a}].original.line[{b}]",
    label: "Oprindelig plan: {l}",
    ..LINE_MONTH
};
const ORIGINAL_LINE_DAYS_IN_MONTH: Desc = Desc {
    key: "course[{a}].original.line[{b}].days_in_month",
    label: "Oprindelig plan: dage i måneden, {l}",
    ..LINE_DAYS_IN_MONTH
};
const ORIGINAL_LINE_QUANTITY: Desc = Desc {
    key: "course[{a}].original.line[{b}].quantity_per_month",
    label: "Oprindelig plan: mængde pr. måned, {l}",
    ..LINE_QUANTITY
};
const ORIGINAL_LINE_UNITS_PRODUCT: Desc = Desc {
    key: "course[{a}].original.line[{b}].month_amount_days",
    label: "Oprindelig plan: mængde × pris × dage, {l}",
    ..LINE_UNITS_PRODUCT
};
const ORIGINAL_LINE_UNITS: Desc = Desc {
    key: "course[{a}].original.line[{b}]",
    label: "Oprindelig plan: {l}",
    ..LINE_UNITS
};
const MONTH_TOTAL: Desc = Desc {
    key: "course[{a}].month.{ym}",
    label: "Forløbet i {mn}",
    unit: Unit::Kr,
    rule: "sum af månedens fakturalinjer",
    source: None,
    path: "courses[{a}]",
};
const ORIGINAL_MONTH_TOTAL: Desc = Desc {
    key: "course[{a}].original.month.{ym}",
    label: "Oprindelig plan i {mn}",
    ..MONTH_TOTAL
};
const YEAR_TOTAL: Desc = Desc {
    key: "course[{a}].year.{b}",
    label: "Forløbet i {b}",
    unit: Unit::Kr,
    rule: "sum af årets måneder",
    source: None,
    path: "courses[{a}]",
};
const TOTAL: Desc = Desc {
    key: "course[{a}].total",
    label: "Forløbets samlede pris",
    unit: Unit::Kr,
    rule: "sum af alle fakturalinjer",
    source: None,
    path: "courses[{a}]",
};
const ORIGINAL_TOTAL: Desc = Desc {
    key: "course[{a}].original.total",
    label: "Den oprindelige plans samlede pris",
    ..TOTAL
};

/// The Desc set of a plan: the course as priced, or its original plan.
pub(super) struct Descs {
    days: &'static Desc,
    line: &'static Desc,
    month_line: &'static Desc,
    days_in_month: &'static Desc,
    quantity: &'static Desc,
    units_product: &'static Desc,
    units: &'static Desc,
    month_total: &'static Desc,
    total: &'static Desc,
}

pub(super) const PRICED: Descs = Descs {
    days: &LINE_DAYS,
    line: &LINE,
    month_line: &LINE_MONTH,
    days_in_month: &LINE_DAYS_IN_MONTH,
    quantity: &LINE_QUANTITY,
    units_product: &LINE_UNITS_PRODUCT,
    units: &LINE_UNITS,
    month_total: &MONTH_TOTAL,
    total: &TOTAL,
};

pub(super) const ORIGINAL: Descs = Descs {
    days: &ORIGINAL_LINE_DAYS,
    line: &ORIGINAL_LINE,
    month_line: &ORIGINAL_LINE_MONTH,
    days_in_month: &ORIGINAL_LINE_DAYS_IN_MONTH,
    quantity: &ORIGINAL_LINE_QUANTITY,
    units_product: &ORIGINAL_LINE_UNITS_PRODUCT,
    units: &ORIGINAL_LINE_UNITS,
    month_total: &ORIGINAL_MONTH_TOTAL,
    total: &ORIGINAL_TOTAL,
};

impl<'s> Engine<'s> {
    /// Prices a plan's lines into `quote` (lines sorted by month, month and year totals);
    /// returns the total.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lines(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        plan: &Plan<'_>,
        d: &'static Descs,
        quote: &mut Quote,
        which: Lines,
    ) -> Result<Totals, Error> {
        let b = self.billing;
        self.segments.clear();
        let Some((first, last)) = plan.span() else {
            return Ok(Totals::default());
        };
        let unbilled = [
            (!b.first_day).then_some(first),
            (!b.last_day).then_some(last),
        ];
        let mut lines = std::mem::take(&mut quote.lines);
        lines.clear();
        self.figs.clear();
        // A service line per calendar month of the span, and one more where a segment
        // begins within a month: reserved at once rather than grown (a hint, never a limit;
        // add-on lines grow the vectors as needed).
        let months = months_between(first, last);
        lines.reserve(months + plan.segments.len());
        self.figs.reserve(months + plan.segments.len());
        quote.months.reserve(months);
        // And the sums' inputs, so that a course priced by a new engine (one course from a
        // sheet) does not grow them from empty: a month's lines, the months, and the
        // comparison's flat months.
        self.segments.reserve(plan.segments.len());
        self.sums
            .members
            .reserve(plan.segments.len() + plan.add_ons.len());
        self.sums.months.reserve(months);
        if b.comparison {
            self.sums.flats.reserve(months);
        }
        // And the graph's room for them, when it is kept: some eleven nodes a line (its
        // days, the tariff in force, the amount and its rounding, the month and year totals,
        // the comparison's); an arena of 100 courses grown from empty copied its 160-byte
        // slots seven times over (callgrind: 3 % of a response with the explanation).
        ex.reserve((months + plan.segments.len()).saturating_mul(12));
        // A sheet whose day tariffs are a year's cost over fewer days than the calendar's,
        // warned of once, at the first line billed per day from it, unless the course bills
        // full months (its part months per day are then the convention itself).
        let mut short_basis = which == Lines::Quote
            && b.invoicing == Invoicing::PerDay
            && self.tariffs.any_short_day_basis(offer);
        // Billed in whole months, a month that adjacent segments of one service cover whole
        // is billed once, by the segment at its first day.
        let spans = (b.invoicing == Invoicing::FullMonths && plan.segments.len() > 1)
            .then(|| calendar::full_month_spans(&plan.segments, unbilled));
        for (i, seg) in plan.segments.iter().enumerate() {
            let path = || origin_path(c, seg.origin);
            let (key, texts) = self.segment_texts(offer, seg, c)?;
            self.segments.push((key, texts.clone()));
            let Some((from, to)) = spans.as_ref().map_or(Some((seg.from, seg.to)), |s| s[i]) else {
                continue;
            };
            let Texts { id: service, name } = texts;
            let mut current: Option<(i32, InForce)> = None;
            calendar::months(from, to, unbilled, |piece| {
                if piece.days <= 0 {
                    return Ok(());
                }
                let year = i32::from(piece.year);
                // The tariff in force, looked up once per year of the segment.
                let t = match &mut current {
                    Some((y, t)) if *y == year => t,
                    slot => {
                        let t = self.tariffs.in_force(ex, offer, key, year, path)?;
                        &mut slot.insert((year, t)).1
                    }
                };
                let t = &*t;
                if let TariffSource::Carried { year: used } = t.source {
                    if !self.carried_years.contains(&year) {
                        self.carried_years.push(year);
                        quote.warnings.push(carried(c, year, used, which));
                    }
                }
                let month = Month {
                    year: piece.year,
                    month: piece.month,
                };
                let line_index = ex.line_name(|| line_name(&name, piece.from, piece.to));
                let subj = Subj::two(c, line_index as u32);
                let full = b.invoicing == Invoicing::FullMonths && piece.full_month;
                let (fig, amount, tariff, basis) = match (full, &t.month) {
                    (true, Some((month_tariff, month_fig))) => {
                        let (fig, amount) = ex.derive_rounded(
                            d.month_line,
                            subj,
                            Op::Round,
                            std::slice::from_ref(month_fig),
                            b.line_rounding,
                            Step::Derived,
                        )?;
                        (fig, amount, *month_tariff, Basis::FullMonth)
                    }
                    _ => {
                        if full && which == Lines::Quote {
                            quote.warnings.push(Warning::new(
                                WarningCode::NoMonthTariff,
                                origin_path(c, seg.origin),
                                format!(
                                    "{month} is a full month, but the tariff has no month \
                                     tariff: billed per day"
                                ),
                                format!(
                                    "{} er en hel måned, men ydelsen har ingen \
                                     månedstakst, så måneden afregnes pr. dag.",
                                    crate::danish::capitalize(&crate::danish::month(
                                        month.year,
                                        month.month
                                    )),
                                ),
                            ));
                        }
                        if short_basis {
                            if let Some(n) = self.tariffs.short_day_basis(offer, t.source) {
                                quote.warnings.push(day_basis(c, n));
                                short_basis = false;
                            }
                        }
                        let days = ex.constant_at(d.days, subj, Exact::from(piece.days))?;
                        let (fig, amount) = ex.derive_rounded(
                            d.line,
                            subj,
                            Op::Product,
                            &[days, t.day_fig.clone()],
                            b.line_rounding,
                            Step::Derived,
                        )?;
                        (fig, amount, t.day, Basis::PerDay)
                    }
                };
                lines.push(InvoiceLine {
                    month,
                    phase: seg.phase,
                    service: service.clone(),
                    add_on: None,
                    name: name.clone(),
                    unit: None,
                    from: piece.from,
                    to: piece.to,
                    days: piece.days as u32,
                    quantity_per_month: None,
                    basis,
                    tariff,
                    tariff_year: year,
                    source: t.source,
                    amount,
                    invoice_date: invoice_date(b, piece.from),
                });
                self.figs.push(Priced {
                    fig,
                    service_line: true,
                    part_time: seg.part_time.unwrap_or(0),
                    line: line_index as u32,
                });
                Ok(())
            })?;
        }
        for span in &plan.add_ons {
            self.add_on_lines(ex, c, offer, span, plan, unbilled, d, &mut lines)?;
        }
        // By month (stable: phase order within a month).
        if lines.windows(2).any(|w| w[0].month > w[1].month) {
            let mut order: Vec<usize> = (0..lines.len()).collect();
            order.sort_by_key(|&i| lines[i].month);
            lines = order.iter().map(|&i| lines[i].clone()).collect();
            self.figs = order.iter().map(|&i| self.figs[i].clone()).collect();
        }
        quote.days = lines
            .iter()
            .zip(&self.figs)
            .filter(|(_, f)| f.service_line)
            .map(|(l, _)| l.days)
            .sum();
        let scale = b.line_rounding.increment.scale();
        let totals = totals(
            ex,
            c,
            &lines,
            &self.figs,
            d,
            quote,
            which,
            scale,
            &mut self.sums,
        )?;
        quote.lines = lines;
        Ok(totals)
    }

    #[allow(clippy::too_many_arguments)]
    fn add_on_lines(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        span: &AddOnSpan<'_>,
        plan: &Plan<'_>,
        unbilled: [Option<Date>; 2],
        d: &'static Descs,
        lines: &mut Vec<InvoiceLine>,
    ) -> Result<(), Error> {
        let b = self.billing;
        let path = || add_on_path(c, span);
        let key = self.tariffs.add_on_key(offer, span.id, path)?;
        let Texts { id, name } = self.texts(offer, key, |tariffs| {
            let service = calendar::Service::Id(span.id);
            let name = what(tariffs, offer, service, None, Some(span.id));
            (Arc::from(span.id), name)
        });
        // The service the add-on rides on: the segment at its first day (its texts as the
        // plan's service lines found them).
        let service = plan
            .segments
            .iter()
            .zip(&self.segments)
            .find(|(s, _)| s.from <= span.from && span.from <= s.to)
            .map_or_else(|| id.clone(), |(_, (_, t))| t.id.clone());
        let mut current: Option<(i32, InForce)> = None;
        calendar::months(span.from, span.to, unbilled, |piece| {
            if piece.days <= 0 {
                return Ok(());
            }
            let year = i32::from(piece.year);
            let t = match &current {
                Some((y, t)) if *y == year => t.clone(),
                _ => {
                    let t = self.tariffs.in_force(ex, offer, key, year, path)?;
                    current = Some((year, t.clone()));
                    t
                }
            };
            let month = Month {
                year: piece.year,
                month: piece.month,
            };
            let line_index = ex.line_name(|| line_name(&name, piece.from, piece.to));
            let subj = Subj::two(c, line_index as u32);
            let days = ex.constant_at(d.days, subj, Exact::from(piece.days))?;
            let (fig, amount, quantity, basis) = match t.unit {
                AddOnUnit::Day => {
                    if span.quantity.is_some() {
                        return Err(Error::new(
                            ErrorCode::InvalidValue,
                            add_on_path(c, span) + ".quantity_per_month",
                            format!(
                                "the add-on {:?} is priced per day and takes no quantity",
                                span.id
                            ),
                            format!(
                                "Tillægsydelsen {:?} afregnes pr. dag og har ingen mængde.",
                                span.id
                            ),
                        ));
                    }
                    let (fig, amount) = ex.derive_rounded(
                        d.line,
                        subj,
                        Op::Product,
                        &[days, t.day_fig],
                        b.line_rounding,
                        Step::Derived,
                    )?;
                    (fig, amount, None, Basis::PerDay)
                }
                AddOnUnit::Hour | AddOnUnit::Km => {
                    let Some(q) = span.quantity else {
                        return Err(Error::new(
                            ErrorCode::MissingValue,
                            add_on_path(c, span) + ".quantity_per_month",
                            format!(
                                "the add-on {:?} is priced per hour or km: give quantity_per_month",
                                span.id
                            ),
                            format!(
                                "Tillægsydelsen {:?} afregnes pr. time eller km; angiv \
                                 `quantity_per_month`.",
                                span.id
                            ),
                        ));
                    };
                    if q < Decimal::ZERO {
                        return Err(Error::new(
                            ErrorCode::Negative,
                            add_on_path(c, span) + ".quantity_per_month",
                            "the quantity must not be negative",
                            format!(
                                "Mængden må ikke være under 0, men er {}.",
                                crate::danish::number(q)
                            ),
                        ));
                    }
                    let quantity = ex.constant_at(d.quantity, subj, q.into())?;
                    let dim = ex.constant_at(
                        d.days_in_month,
                        subj,
                        Exact::from(i64::from(piece.days_in_month)),
                    )?;
                    // quantity × price × days ÷ days in month, rounded once.
                    let product = ex.derive(
                        d.units_product,
                        subj,
                        Op::Product,
                        &[quantity, t.day_fig, days],
                    )?;
                    let (fig, amount) = ex.derive_rounded(
                        d.units,
                        subj,
                        Op::Quotient,
                        &[product, dim],
                        b.line_rounding,
                        Step::Derived,
                    )?;
                    (fig, amount, Some(q), Basis::PerUnit)
                }
            };
            lines.push(InvoiceLine {
                month,
                phase: span.phase,
                service: service.clone(),
                add_on: Some(id.clone()),
                name: name.clone(),
                unit: Some(t.unit),
                from: piece.from,
                to: piece.to,
                days: piece.days as u32,
                quantity_per_month: quantity,
                basis,
                tariff: t.day,
                tariff_year: year,
                source: t.source,
                amount,
                invoice_date: invoice_date(b, piece.from),
            });
            self.figs.push(Priced {
                fig,
                service_line: false,
                part_time: 0,
                line: line_index as u32,
            });
            Ok(())
        })
    }
}

/// Records a course's service lines per calendar year (lines are in month order).
pub(super) fn course_years(
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

/// The calendar months from `first`'s month to `last`'s, both counted (0 when `last` is
/// before `first`).
fn months_between(first: Date, last: Date) -> usize {
    let index = |d: Date| i32::from(d.year()) * 12 + i32::from(d.month());
    usize::try_from(index(last) - index(first) + 1).unwrap_or(0)
}

/// Which lines are being priced.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lines {
    Quote,
    Original,
}

/// The figures of a plan's totals.
#[derive(Default)]
pub(super) struct Totals {
    pub(super) total: Option<Fig>,
    pub(super) months: Vec<(Month, Fig)>,
}

/// Month totals, year totals and the total of sorted lines.
#[allow(clippy::too_many_arguments)]
fn totals(
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
    let mut out = Totals {
        total: None,
        // at most one month per line
        months: Vec::with_capacity(lines.len()),
    };
    let Sums {
        members,
        months: month_figs,
        ..
    } = sums;
    month_figs.clear();
    // Where the year's months start among `month_figs`: a year's sum is of the months since
    // (not gathered a second time).
    let mut year_start = 0;
    let mut i = 0;
    while i < lines.len() {
        let month = lines[i].month;
        members.clear();
        let mut j = i;
        while j < lines.len() && lines[j].month == month {
            members.push(figs[j].fig.clone());
            j += 1;
        }
        let f = ex.derive(d.month_total, Subj::two(c, month.code()), Op::Sum, members)?;
        quote.months.push(MonthAmount {
            month,
            amount: amount_of(&f, c, scale)?,
        });
        out.months.push((month, f.clone()));
        month_figs.push(f);
        // A year ends where the next month is of another year.
        let next_year = lines.get(j).map(|l| l.month.year);
        if which == Lines::Quote && next_year != Some(month.year) {
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
pub(super) fn amount_of(f: &Fig, c: usize, scale: u32) -> Result<Decimal, Error> {
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

fn invoice_date(b: &Billing, day: Date) -> Date {
    let first = day.first_of_month();
    if b.in_advance {
        return first;
    }
    // The first of the next month (without jiff's span arithmetic: this runs per line).
    let next = if first.month() == 12 {
        first.year().checked_add(1).map(|y| (y, 1))
    } else {
        Some((first.year(), first.month() + 1))
    };
    next.and_then(|(y, m)| Date::new(y, m, 1).ok())
        .unwrap_or(first)
}

pub(super) fn carried(c: usize, year: i32, used: i32, which: Lines) -> Warning {
    let (of, of_da) = match which {
        Lines::Quote => ("", ""),
        Lines::Original => (
            " (of the original plan, which the change report prices)",
            " (i den oprindelige plan, som ændringsopgørelsen prissætter)",
        ),
    };
    Warning::new(
        WarningCode::TariffYearUnknown,
        calendar::at(c, ""),
        format!(
            "no tariff sheet or price and wage index reaches {year}; the days of {year}{of} are \
             priced at the tariff of {used}"
        ),
        format!(
            "Intet takstblad og ingen PL-fremskrivning dækker {year}; dagene i {year}{of_da} er \
             prissat med taksten for {used}."
        ),
    )
}

/// Warns that a course bills every calendar day at day tariffs made for `n` days a year.
#[cold]
fn day_basis(c: usize, n: u32) -> Warning {
    Warning::new(
        WarningCode::DayBasisBilledDaily,
        calendar::at(c, ""),
        format!(
            "the tariff sheet's day tariffs are a year's cost over {n} days (day_basis), and \
             the course bills every calendar day of its phases at them, so a whole year billed \
             per day costs more than the year tariff; give the phases as the days the offer \
             bills, or bill full months at the month tariff (billing.invoicing = \"full_months\")"
        ),
        format!(
            "Takstbladets dagtakster er årets omkostninger fordelt på {n} dage (dagbasis), og \
             forløbet afregner alle kalenderdage i sine faser med dem, så et helt år afregnet pr. \
             dag koster mere end årstaksten; angiv faserne som de dage, tilbuddet afregner, \
             eller afregn hele måneder med månedstaksten (billing.invoicing = \"full_months\")."
        ),
    )
}

pub(super) fn origin_path(c: usize, o: Origin) -> String {
    match o {
        Origin::Phase(j) => calendar::at(c, format_args!(".phases[{j}]")),
        Origin::Change(k) => calendar::at(c, format_args!(".changes[{k}].service")),
    }
}

/// Warns of an add-on billed twice for the same days: a day add-on given again for days it
/// is already billed (twice in a phase, or added by a change while it runs), or an hour or km
/// add-on listed twice in one phase. An hour or km add-on added by a change while it runs is
/// not warned of: that is how more hours are bought. Both are billed either way. The plan
/// billed is looked at, and the original plan a change report prices beside it (a
/// duplicate that a termination cut from the billed plan is still in the original's
/// figures); each span is warned of once.
pub(super) fn add_ons_twice(
    c: usize,
    plan: &Plan<'_>,
    original: Option<&Plan<'_>>,
    unit_of: impl Fn(&str) -> Option<AddOnUnit>,
    warnings: &mut Vec<Warning>,
) {
    let billed = twice(plan, &unit_of);
    for &k in &billed {
        warnings.push(twice_warning(c, &plan.add_ons[k]));
    }
    let Some(original) = original else { return };
    let again = twice(original, &unit_of);
    if again.is_empty() {
        return;
    }
    // The original plan's spans are its phases' add-ons in order, so a billed span from a
    // phase is found there by (phase, place in the phase's list).
    let spot = |a: &AddOnSpan<'_>| (a.phase, a.index);
    let mut warned = vec![false; original.add_ons.len()];
    for &k in &billed {
        let a = &plan.add_ons[k];
        if matches!(a.origin, Origin::Phase(_)) {
            if let Ok(i) = original.add_ons.binary_search_by_key(&spot(a), spot) {
                warned[i] = true;
            }
        }
    }
    for k in again {
        if !warned[k] {
            warnings.push(twice_warning(c, &original.add_ons[k]));
        }
    }
}

/// The spans billed twice: each span (by its place in `plan.add_ons`) that starts on a day an
/// earlier span of the same add-on still bills, when that is doubtful (above). The spans are
/// sorted by add-on and start, so a long list costs its sort, not a comparison of every pair.
fn twice(plan: &Plan<'_>, unit_of: &impl Fn(&str) -> Option<AddOnUnit>) -> Vec<usize> {
    let spans = &plan.add_ons;
    let mut out = Vec::new();
    if spans.len() < 2 {
        return out;
    }
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_unstable_by(|&x, &y| {
        let (a, b) = (&spans[x], &spans[y]);
        (a.id, a.from, x).cmp(&(b.id, b.from, y))
    });
    // The add-on met last, the last day its spans so far bill, the span that reaches it, and
    // whether the add-on is billed per day.
    let mut reach: Option<(&str, Date, Origin, bool)> = None;
    for k in order {
        let a = &spans[k];
        match reach {
            Some((id, to, origin, per_day)) if id == a.id && a.from <= to => {
                let same_list = matches!(a.origin, Origin::Phase(_)) && a.origin == origin;
                if per_day || same_list {
                    out.push(k);
                }
                if a.to > to {
                    reach = Some((id, a.to, a.origin, per_day));
                }
            }
            _ => reach = Some((a.id, a.to, a.origin, unit_of(a.id) == Some(AddOnUnit::Day))),
        }
    }
    out
}

fn twice_warning(c: usize, a: &AddOnSpan<'_>) -> Warning {
    Warning::new(
        WarningCode::AddOnTwice,
        add_on_path(c, a),
        format!(
            "the add-on {:?} is given again from {}, for days it is already billed: both are \
             billed",
            a.id, a.from
        ),
        format!(
            "Tillægsydelsen {:?} er angivet igen fra {}, for dage, hvor den allerede afregnes: \
             begge afregnes.",
            a.id,
            da_date(a.from)
        ),
    )
}

fn add_on_path(c: usize, a: &AddOnSpan<'_>) -> String {
    match a.origin {
        Origin::Phase(j) => calendar::at(c, format_args!(".phases[{j}].add_ons[{}]", a.index)),
        Origin::Change(k) => calendar::at(c, format_args!(".changes[{k}].add_on")),
    }
}

/// A line's name for the explanation: what it bills (the quote line's `name`, the same text
/// [`what`] makes, shared rather than made again per line) and its days.
fn line_name(what: &Arc<str>, from: Date, to: Date) -> LineName {
    LineName {
        what: what.clone(),
        from: Some(from),
        to: Some(to),
    }
}

/// What a line bills, in words: the service's or add-on's name on the sheet ("Pakke 3",
/// "Gennemsnitstakst"), with its part-time days. Shared by the lines of its key: made once,
/// straight into the shared text.
pub(super) fn what(
    tariffs: &Tariffs<'_>,
    offer: u32,
    service: calendar::Service<'_>,
    part_time: Option<u32>,
    add_on: Option<&str>,
) -> Arc<str> {
    let what: std::borrow::Cow<'_, str> = match (add_on, service) {
        (Some(id), _) => tariffs.add_on_name_of(offer, id).unwrap_or(id).into(),
        (None, calendar::Service::Id("average")) => "Gennemsnitstakst".into(),
        (None, calendar::Service::Id(id)) => tariffs.name_of(offer, id).unwrap_or(id).into(),
        (None, calendar::Service::Package(n)) => format!("Pakke {n}").into(),
    };
    match part_time {
        Some(d) => Arc::from(format!("{what}, deltid {d} dage om ugen")),
        None => Arc::from(what.as_ref()),
    }
}

const YEAR_SERVICES: Desc = Desc {
    key: "course[{a}].services.year.{b}",
    label: "Forløbets ydelseslinjer i {b}",
    unit: Unit::Kr,
    rule: "sum af årets ydelseslinjer (uden tillægsydelser)",
    source: None,
    path: "courses[{a}]",
};
const YEAR_DAYS: Desc = Desc {
    key: "course[{a}].days.{b}",
    label: "Fakturerede dage på forløbets ydelser i {b}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen: forløbets fakturerede dage i året"),
    path: "courses[{a}]",
};

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
