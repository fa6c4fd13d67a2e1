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
        let b = self.billing;
        let scale = b.line_rounding.increment.scale();
        let mut months = Vec::with_capacity(quote.months.len());
        let mut sums = std::mem::take(&mut self.sums);
        let Sums {
            members,
            months: course_figs,
            years: flat_figs,
        } = &mut sums;
        course_figs.clear();
        flat_figs.clear();
        // The average tariff in force, looked up once per year.
        let mut avg: Option<(i32, Fig)> = None;
        let lines = std::mem::take(&mut quote.lines);
        let mut i = 0;
        while i < lines.len() {
            let month = lines[i].month;
            let mut j = i;
            let mut days = 0u32;
            members.clear();
            while j < lines.len() && lines[j].month == month {
                if self.figs[j].service_line {
                    days += lines[j].days;
                    members.push(self.figs[j].fig.clone());
                }
                j += 1;
            }
            i = j;
            if members.is_empty() {
                continue;
            }
            let year = i32::from(month.year);
            let avg_day = match &avg {
                Some((y, fig)) if *y == year => Ok(fig.clone()),
                _ => self
                    .tariffs
                    .in_force(ex, offer, Key::Average, year, || calendar::at(c, ""))
                    .map(|t| t.day_fig),
            };
            let avg_day = match avg_day {
                Ok(fig) => {
                    avg = Some((year, fig.clone()));
                    fig
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
            };
            let subj = Subj::two(c, month.code());
            let day_fig = ex.constant_at(&FLAT_DAYS, subj, Exact::from(days))?;
            let (flat, flat_amount) = ex.derive_rounded(
                &FLAT_MONTH,
                subj,
                Op::Product,
                &[day_fig, avg_day],
                b.line_rounding,
                Step::Derived,
            )?;
            let course = ex.derive(&COURSE_MONTH, subj, Op::Sum, members)?;
            let difference = ex.derive(
                &MONTH_DIFFERENCE,
                subj,
                Op::Difference,
                &[course.clone(), flat.clone()],
            )?;
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
        let difference = ex.derive(
            &DIFFERENCE,
            subj,
            Op::Difference,
            &[course.clone(), flat.clone()],
        )?;
        quote.comparison = Some(Comparison {
            months,
            course: amount_of(&course, c, scale)?,
            flat: amount_of(&flat, c, scale)?,
            difference: amount_of(&difference, c, scale)?,
        });
        Ok(())
    }
}
