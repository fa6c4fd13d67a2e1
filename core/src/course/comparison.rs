//! The comparison with the flat average tariff: the course's service lines, month by month,
//! against the same billed days at the offer's average tariff.

use crate::error::{Error, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};

use super::calendar::{self};
use super::engine::Sums;
use super::lines::amount_of;
use super::tariffs::Key;
use super::*;

const FLAT_DAYS: Desc = Desc {
    key: "course[{a}].flat.{ym}.days",
    label: "Fakturerede dage i {mn}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen: forløbets dage i måneden"),
    path: "courses[{a}]",
};
const FLAT_MONTH: Desc = Desc {
    key: "course[{a}].flat.{ym}",
    label: "Samme dage til gennemsnitstaksten i {mn}",
    unit: Unit::Kr,
    rule: "dage × gennemsnitstakst, afrundet",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};
const FLAT_FULL_MONTH: Desc = Desc {
    key: "course[{a}].flat.{ym}",
    label: "Gennemsnittets månedstakst for hele {mn}",
    unit: Unit::Kr,
    rule: "gennemsnittets månedstakst, afrundet",
    source: Some(
        "sammenligning med den flade gennemsnitstakst, faktureret som forløbet (hele måneder)",
    ),
    path: "courses[{a}]",
};
const FLAT_PART_TIME: Desc = Desc {
    key: "course[{a}].flat.{ym}",
    label: "Samme dage til gennemsnittets deltidstakst i {mn}",
    unit: Unit::Kr,
    rule: "dage × gennemsnittets deltidstakst for samme dage pr. uge, afrundet",
    source: Some("sammenligning med den flade gennemsnitstakst, faktureret som forløbet (deltid)"),
    path: "courses[{a}]",
};
const FLAT_LINE_DAYS: Desc = Desc {
    key: "course[{a}].line[{b}].flat.days",
    label: "Linjens dage",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen: linjens dage"),
    path: "courses[{a}]",
};
const FLAT_LINE: Desc = Desc {
    key: "course[{a}].line[{b}].flat",
    label: "Linjens dage til gennemsnitstaksten",
    unit: Unit::Kr,
    rule: "dage × gennemsnittets takst for samme dage pr. uge",
    source: Some("sammenligning med den flade gennemsnitstakst, faktureret som forløbet"),
    path: "courses[{a}]",
};
const FLAT_MONTH_LINES: Desc = Desc {
    key: "course[{a}].flat.{ym}",
    label: "Samme dage til gennemsnitstaksterne i {mn}",
    unit: Unit::Kr,
    rule: "sum af linjernes dage × gennemsnittets takst for samme dage pr. uge, afrundet",
    source: Some("sammenligning med den flade gennemsnitstakst, faktureret som forløbet (deltid)"),
    path: "courses[{a}]",
};
const COURSE_MONTH: Desc = Desc {
    key: "course[{a}].services.{ym}",
    label: "Forløbets ydelseslinjer i {mn}",
    unit: Unit::Kr,
    rule: "sum af månedens ydelseslinjer (uden tillæg)",
    source: None,
    path: "courses[{a}]",
};
const FLAT_TOTAL: Desc = Desc {
    key: "course[{a}].flat",
    label: "Samme dage til gennemsnitstaksten",
    unit: Unit::Kr,
    rule: "sum af månederne",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};
const MONTH_DIFFERENCE: Desc = Desc {
    key: "course[{a}].difference.{ym}",
    label: "Forløbsmodellen mod gennemsnitstaksten i {mn}",
    unit: Unit::Kr,
    rule: "forløbets ydelseslinjer − samme dage til gennemsnitstaksten",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};
const COURSE_SERVICES: Desc = Desc {
    key: "course[{a}].services",
    label: "Forløbets ydelseslinjer",
    unit: Unit::Kr,
    rule: "sum af månederne",
    source: None,
    path: "courses[{a}]",
};
const DIFFERENCE: Desc = Desc {
    key: "course[{a}].difference",
    label: "Forløbsmodellen mod gennemsnitstaksten",
    unit: Unit::Kr,
    rule: "forløbets ydelseslinjer − samme dage til gennemsnitstaksten",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};

impl<'s> Engine<'s> {
    /// The comparison with the flat average tariff: the same billed service days.
    pub(super) fn compare(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        quote: &mut Quote,
    ) -> Result<(), Error> {
        let b = self.conventions();
        let scale = b.line_rounding.increment.scale();
        let mut months = std::mem::take(&mut self.compared);
        months.clear();
        months.reserve(quote.months.len());
        let mut sums = std::mem::take(&mut self.sums);
        let Sums {
            members,
            months: course_figs,
            flats: flat_figs,
        } = &mut sums;
        course_figs.clear();
        flat_figs.clear();
        // Whether the course was told that part-time days are compared at the full day.
        let mut warned = false;
        // The average tariff in force (its day and month figures), looked up once per year.
        let mut avg: Option<(i32, Fig, Option<Fig>)> = None;
        let lines = std::mem::take(&mut quote.lines);
        let mut i = 0;
        while i < lines.len() {
            let month = lines[i].month;
            let mut j = i;
            let mut days = 0u32;
            // How the month's service lines are billed, for the flat side to be billed
            // alike: a full month at the month tariff (a full month is one line), or part
            // time at one number of days a week (`None` when the month's lines differ).
            let mut full_month = false;
            let (mut fewest, mut most) = (u32::MAX, 0u32);
            let mut services = 0;
            let first = i;
            while j < lines.len() && lines[j].month == month {
                if self.figs[j].service_line {
                    days += lines[j].days;
                    services += 1;
                    full_month |= lines[j].basis == Basis::FullMonth;
                    fewest = fewest.min(self.figs[j].part_time);
                    most = most.max(self.figs[j].part_time);
                }
                j += 1;
            }
            i = j;
            if services == 0 {
                continue;
            }
            let part_time = (fewest == most).then_some(most);
            let year = i32::from(month.year);
            if !matches!(&avg, Some((y, ..)) if *y == year) {
                match self
                    .tariffs
                    .in_force(ex, offer, Key::Average, year, || calendar::at(c, ""))
                {
                    Ok(t) => {
                        let month = t.month.as_ref().map(|m| m.1.clone());
                        avg = Some((year, t.day_fig.clone(), month));
                    }
                    Err(_) => {
                        quote.warnings.push(Warning::new(
                            WarningCode::NoAverageTariff,
                            calendar::at(c, ""),
                            "the tariff sheet has no average tariff, so the course is not compared with it",
                            "Takstbladet har ingen gennemsnitstakst, så forløbet sammenlignes ikke \
                             med den.",
                        ));
                        quote.lines = lines;
                        self.sums = sums;
                        return Ok(());
                    }
                }
            }
            let Some((_, avg_day, avg_month)) = &avg else {
                continue;
            };
            let subj = Subj::two(c, month.code());
            let (flat, flat_amount) = match (full_month, avg_month, part_time) {
                // Billed as the course is: the whole month at the average's month tariff.
                (true, Some(avg_month), _) => ex.derive_rounded_whole(
                    &FLAT_FULL_MONTH,
                    subj,
                    Op::Round,
                    std::slice::from_ref(avg_month),
                    b.line_rounding,
                    Step::Derived,
                )?,
                // One number of days a week (full time, or part time): the month's days at
                // the average's tariff for it.
                (_, _, Some(d)) => {
                    let part = match d {
                        0 => None,
                        _ => self.flat_part_time(ex, c, offer, year, d, &mut warned, quote),
                    };
                    let (desc, tariff) = match &part {
                        Some(part) => (&FLAT_PART_TIME, part),
                        None => (&FLAT_MONTH, avg_day),
                    };
                    let day_fig = ex.constant_at(&FLAT_DAYS, subj, Exact::from(days))?;
                    ex.derive_rounded_whole_pair(
                        desc,
                        subj,
                        Op::Product,
                        &day_fig,
                        tariff,
                        b.line_rounding,
                        Step::Derived,
                    )?
                }
                // Lines of different days a week: each line's days at the average's tariff
                // for its days a week, summed and rounded once for the month.
                (_, _, None) => {
                    let mut flats = Vec::with_capacity(services);
                    for (k, priced) in lines.iter().enumerate().take(i).skip(first) {
                        let (service_line, d, line) = (
                            self.figs[k].service_line,
                            self.figs[k].part_time,
                            self.figs[k].line,
                        );
                        if !service_line {
                            continue;
                        }
                        let tariff = self
                            .flat_part_time(ex, c, offer, year, d, &mut warned, quote)
                            .unwrap_or_else(|| avg_day.clone());
                        let s = Subj::two(c, line);
                        let days = ex.constant_at(&FLAT_LINE_DAYS, s, Exact::from(priced.days))?;
                        flats.push(ex.derive(&FLAT_LINE, s, Op::Product, &[days, tariff])?);
                    }
                    ex.derive_rounded_whole(
                        &FLAT_MONTH_LINES,
                        subj,
                        Op::Sum,
                        &flats,
                        b.line_rounding,
                        Step::Derived,
                    )?
                }
            };
            // The month's service lines' figures: read where they are when the month has
            // no other line (the usual month), else gathered from among its add-ons' lines.
            let month_figs = &self.figs[first..i];
            let course = if services == month_figs.len() {
                ex.derive_each(&COURSE_MONTH, subj, Op::Sum, services, |k| {
                    &month_figs[k].fig
                })?
            } else {
                members.clear();
                let service_lines = month_figs.iter().filter(|f| f.service_line);
                members.extend(service_lines.map(|f| f.fig.clone()));
                ex.derive(&COURSE_MONTH, subj, Op::Sum, members)?
            };
            // Read where they are (`derive_pair`), not copied into an array of inputs.
            let difference =
                ex.derive_pair(&MONTH_DIFFERENCE, subj, Op::Difference, &course, &flat)?;
            months.push(MonthComparison {
                month,
                days,
                course: amount_of(&course, c, scale)?,
                flat: flat_amount,
                difference: amount_of(&difference, c, scale)?,
            });
            course_figs.push(course);
            flat_figs.push(flat);
        }
        quote.lines = lines;
        let subj = Subj::one(c);
        let course = ex.derive(&COURSE_SERVICES, subj, Op::Sum, course_figs)?;
        let flat = ex.derive(&FLAT_TOTAL, subj, Op::Sum, flat_figs)?;
        self.sums = sums;
        let difference = ex.derive_pair(&DIFFERENCE, subj, Op::Difference, &course, &flat)?;
        quote.comparison = Some(Comparison {
            months,
            course: amount_of(&course, c, scale)?,
            flat: amount_of(&flat, c, scale)?,
            difference: amount_of(&difference, c, scale)?,
        });
        Ok(())
    }
}

impl Engine<'_> {
    /// The average's part-time day tariff for `d` days a week in `year` (the sheet's
    /// part-time row of the average), or `None` for full time (`d` 0) and when the sheet has
    /// none: the full average day tariff is then what there is, said once per course.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn flat_part_time(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        year: i32,
        d: u32,
        warned: &mut bool,
        quote: &mut Quote,
    ) -> Option<Fig> {
        if d == 0 {
            return None;
        }
        let key = Key::PartTime(u32::MAX, d);
        match self
            .tariffs
            .in_force(ex, offer, key, year, || calendar::at(c, ""))
        {
            Ok(t) => Some(t.day_fig.clone()),
            Err(_) => {
                if !std::mem::replace(warned, true) {
                    quote.warnings.push(full_day(c, year, d));
                }
                None
            }
        }
    }
}

/// The warning that a course's part-time days are compared at the full average day tariff:
/// the sheet has no average part-time tariff for their days a week (the first such year).
#[cold]
fn full_day(c: usize, year: i32, d: u32) -> Warning {
    Warning::new(
        WarningCode::ComparisonAtFullDay,
        calendar::at(c, ""),
        format!(
            "the tariff sheet has no average part-time tariff for {d} days a week in {year}, so \
             the course's part-time days are compared at the full average day tariff"
        ),
        format!(
            "Takstbladet har ingen deltidstakst for gennemsnittet ved {d} dage om ugen i {year}, \
             så forløbets deltidsdage sammenlignes med den fulde gennemsnitstakst pr. dag."
        ),
    )
}
