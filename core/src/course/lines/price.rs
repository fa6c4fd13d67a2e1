//! Pricing a plan's lines: a service line for each calendar month of each segment, days ×
//! the tariff in force that year (or the month tariff for a full month), and each add-on's
//! lines; sorted by month, then totalled.

use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::course::calendar::{self, AddOnSpan, Plan};
use crate::course::engine::{share, Priced, Texts};
use crate::course::model::{Billing, Invoicing};
use crate::course::tariffs::InForce;
use crate::course::*;
use crate::error::{Error, ErrorCode, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Explanation, Op, Step, Subj};
use crate::sheet::AddOnUnit;

use super::desc::{line_name, what, Descs};
use super::totals::{totals, Totals};
use super::warnings::{add_on_path, carried, day_basis, origin_path};
use super::Lines;

impl<'s> Engine<'s> {
    /// Prices a plan's lines into `quote` (lines sorted by month, month and year totals);
    /// returns the total.
    #[allow(clippy::too_many_arguments)]
    pub(in crate::course) fn lines(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        plan: &Plan<'_>,
        d: &'static Descs,
        quote: &mut Quote,
        which: Lines,
    ) -> Result<Totals, Error> {
        let b = self.conventions();
        let Some((first, last)) = plan.span() else {
            self.segments.clear();
            return Ok(Totals::default());
        };
        let unbilled = [
            (!b.first_day).then_some(first),
            (!b.last_day).then_some(last),
        ];
        // The lines are written over those of the course priced before (the quote's, or the
        // original plan's buffer), and the buffer is cut to this course's at the end.
        let mut lines = std::mem::take(&mut quote.lines);
        if lines.is_empty() {
            std::mem::swap(&mut lines, &mut self.spare_lines);
        }
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
        let mut short_basis = matches!(which, Lines::Quote { .. })
            && b.invoicing == Invoicing::PerDay
            && self.tariffs.any_short_day_basis(offer);
        // Billed in whole months, a month that adjacent segments of one service cover whole
        // is billed once, by the segment at its first day.
        let spans = (b.invoicing == Invoicing::FullMonths && plan.segments.len() > 1)
            .then(|| calendar::full_month_spans(&plan.segments, unbilled));
        // The segments' keys and texts, written over the previous plan's (held apart
        // while the lines borrow them).
        let mut segments = std::mem::take(&mut self.segments);
        for (i, seg) in plan.segments.iter().enumerate() {
            let path = || origin_path(c, seg.origin);
            self.segment_texts(offer, seg, c, &mut segments, i)?;
            let Some((from, to)) = spans.as_ref().map_or(Some((seg.from, seg.to)), |s| s[i]) else {
                continue;
            };
            let (key, Texts { id: service, name }) = &segments[i];
            let key = *key;
            let mut current: Option<(i32, Arc<InForce>)> = None;
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
                let line_index = ex.line_name(|| line_name(name, piece.from, piece.to));
                let subj = Subj::two(c, line_index as u32);
                let full = b.invoicing == Invoicing::FullMonths && piece.full_month;
                let (fig, amount, tariff, basis) = match (full, &t.month) {
                    (true, Some((month_tariff, month_fig))) => {
                        let (fig, amount) = ex.derive_rounded_whole(
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
                        if full && matches!(which, Lines::Quote { .. }) {
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
                        let (fig, amount) = ex.derive_rounded_whole_pair(
                            d.line,
                            subj,
                            Op::Product,
                            &days,
                            &t.day_fig,
                            b.line_rounding,
                            Step::Derived,
                        )?;
                        (fig, amount, t.day, Basis::PerDay)
                    }
                };
                put(
                    &mut lines,
                    self.figs.len(),
                    Line {
                        month,
                        phase: seg.phase,
                        service,
                        add_on: None,
                        name,
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
                    },
                );
                self.figs.push(Priced {
                    fig,
                    service_line: true,
                    part_time: seg.part_time.unwrap_or(0),
                    line: line_index as u32,
                });
                Ok(())
            })?;
        }
        segments.truncate(plan.segments.len());
        self.segments = segments;
        for span in &plan.add_ons {
            self.add_on_lines(ex, c, offer, span, plan, unbilled, d, &mut lines)?;
        }
        // (one figure per line written)
        lines.truncate(self.figs.len());
        // By month (stable: phase order within a month).
        if lines.windows(2).any(|w| w[0].month > w[1].month) {
            let order = crate::order::positions(lines.len(), &mut |a, b| {
                lines[a].month.cmp(&lines[b].month)
            });
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
        let b = self.conventions();
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
        let mut current: Option<(i32, Arc<InForce>)> = None;
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
                    let (fig, amount) = ex.derive_rounded_whole(
                        d.line,
                        subj,
                        Op::Product,
                        &[days, t.day_fig.clone()],
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
                        &[quantity, t.day_fig.clone(), days],
                    )?;
                    let (fig, amount) = ex.derive_rounded_whole(
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
            put(
                lines,
                self.figs.len(),
                Line {
                    month,
                    phase: span.phase,
                    service: &service,
                    add_on: Some(&id),
                    name: &name,
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
                },
            );
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

/// An invoice line's fields, its names borrowed: what [`put`] writes.
struct Line<'a> {
    month: Month,
    phase: u32,
    service: &'a Arc<str>,
    add_on: Option<&'a Arc<str>>,
    name: &'a Arc<str>,
    unit: Option<AddOnUnit>,
    from: Date,
    to: Date,
    days: u32,
    quantity_per_month: Option<Decimal>,
    basis: Basis,
    tariff: Decimal,
    tariff_year: i32,
    source: TariffSource,
    amount: Decimal,
    invoice_date: Date,
}

/// Writes `line` as line `at` of `lines`: over the line of the course priced before that is
/// there, field by field, else pushed. A warm `Pricer` so neither copies a line it has built
/// into the buffer (some 60 instructions a line, `bench profile lines`) nor drops the
/// previous course's names to clone the same ones again: a name that is already the same
/// shared text (the same service as the line before at that place) is left where it is.
/// Lines are written in order, so `at` is at most `lines.len()`.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn put(lines: &mut Vec<InvoiceLine>, at: usize, line: Line<'_>) {
    let Some(slot) = lines.get_mut(at) else {
        lines.push(InvoiceLine {
            month: line.month,
            phase: line.phase,
            service: line.service.clone(),
            add_on: line.add_on.cloned(),
            name: line.name.clone(),
            unit: line.unit,
            from: line.from,
            to: line.to,
            days: line.days,
            quantity_per_month: line.quantity_per_month,
            basis: line.basis,
            tariff: line.tariff,
            tariff_year: line.tariff_year,
            source: line.source,
            amount: line.amount,
            invoice_date: line.invoice_date,
        });
        return;
    };
    // Every field named, so that a field added to the line is written here too (not left
    // as the previous course's).
    let InvoiceLine {
        month,
        phase,
        service,
        add_on,
        name,
        unit,
        from,
        to,
        days,
        quantity_per_month,
        basis,
        tariff,
        tariff_year,
        source,
        amount,
        invoice_date,
    } = slot;
    *month = line.month;
    *phase = line.phase;
    share(service, line.service);
    match (add_on, line.add_on) {
        (Some(slot), Some(id)) => share(slot, id),
        (slot, id) => *slot = id.cloned(),
    }
    share(name, line.name);
    *unit = line.unit;
    *from = line.from;
    *to = line.to;
    *days = line.days;
    *quantity_per_month = line.quantity_per_month;
    *basis = line.basis;
    *tariff = line.tariff;
    *tariff_year = line.tariff_year;
    *source = line.source;
    *amount = line.amount;
    *invoice_date = line.invoice_date;
}

/// The calendar months from `first`'s month to `last`'s, both counted (0 when `last` is
/// before `first`).
fn months_between(first: Date, last: Date) -> usize {
    let index = |d: Date| i32::from(d.year()) * 12 + i32::from(d.month());
    usize::try_from(index(last) - index(first) + 1).unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::civil::Date;
    use rust_decimal::Decimal;

    use super::{put, Line};
    use crate::course::{Basis, InvoiceLine, Month, TariffSource};
    use crate::sheet::AddOnUnit;

    /// A line written over another (with or without an add-on, another service or the same
    /// shared one) is the line pushed into an empty buffer.
    #[test]
    fn a_line_written_over_another_is_the_line_pushed() {
        let (a, b, x): (Arc<str>, Arc<str>, Arc<str>) = ("a".into(), "b".into(), "x".into());
        let day = |d| Date::new(2026, 3, d).unwrap_or_default();
        let line = |k: u32, add_on: Option<&'static Arc<str>>| {
            move |service: &Arc<str>, name: &Arc<str>, out: &mut Vec<InvoiceLine>, at| {
                put(
                    out,
                    at,
                    Line {
                        month: Month {
                            year: 2026,
                            month: 3,
                        },
                        phase: k,
                        service,
                        add_on,
                        name,
                        unit: add_on.map(|_| AddOnUnit::Hour),
                        from: day(k as i8 + 1),
                        to: day(k as i8 + 2),
                        days: k,
                        quantity_per_month: add_on.map(|_| Decimal::new(25, 1)),
                        basis: Basis::PerDay,
                        tariff: Decimal::new(i64::from(k) * 100 + 1, 2),
                        tariff_year: 2026,
                        source: TariffSource::Sheet { year: 2026 },
                        amount: Decimal::new(i64::from(k) * 7, 0),
                        invoice_date: day(1),
                    },
                )
            }
        };
        static ADD_ON: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| "t".into());
        let writes = [line(1, None), line(2, Some(&ADD_ON)), line(3, None)];
        for before in 0..writes.len() {
            for after in 0..writes.len() {
                for (s, n) in [(&a, &b), (&x, &a)] {
                    let mut pushed = Vec::new();
                    writes[after](s, n, &mut pushed, 0);
                    let mut over = Vec::new();
                    writes[before](&a, &b, &mut over, 0);
                    writes[after](s, n, &mut over, 0);
                    assert_eq!(over, pushed, "{before} then {after}");
                    assert!(Arc::ptr_eq(&over[0].service, s) && Arc::ptr_eq(&over[0].name, n));
                }
            }
        }
    }
}
