//! A caseload: many citizens' courses across offers, summed per paying municipality per
//! month and per year — a budget. Courses are added one by one and only the sums are kept,
//! so memory stays flat however many courses are added.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::{Month, MonthAmount, Quote, YearAmount};
use crate::error::{Error, ErrorCode};

/// The budget view of many courses, built course by course.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// use takst::{Billing, Caseload, Course, Indexation, Pricer};
///
/// let sheets = [takst::Offer::sample().compute().unwrap().sheet];
/// let (index, billing) = (Indexation::default(), Billing::default());
/// let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap();
/// let mut caseload = Caseload::default();
/// for (kommune, start) in [("Aarhus", "2026-01-01"), ("Aarhus", "2026-02-01"), ("Silkeborg", "2026-01-01")] {
///     let course: Course = serde_json::from_str(&format!(
///         r#"{{"municipality": "{kommune}", "start": "{start}", "phases": [{{"service": "udvikling", "days": 10}}]}}"#
///     )).unwrap();
///     caseload.add(&pricer.price(&course).unwrap()).unwrap();
/// }
/// let budget = caseload.budget();
/// assert_eq!(budget.len(), 2);
/// assert_eq!(budget[0].municipality, "Aarhus");
/// assert_eq!(budget[0].total.to_string(), "74320.00"); // 2 × 10 døgn × 3,716
/// ```
#[derive(Clone, Debug, Default)]
pub struct Caseload {
    /// Per paying municipality, by name: its courses and its sums per month (one map, not a
    /// second one for the number of courses: one `BTreeMap` instantiation less in the
    /// browser module).
    by_municipality: BTreeMap<String, Sums>,
}

/// One municipality's sums: its months, and its years and total kept as they go, so that a
/// sum too large for a decimal is found when a course is added, not when the budget is read.
#[derive(Clone, Debug, Default)]
struct Sums {
    courses: u32,
    months: BTreeMap<Month, Decimal>,
    /// Per year, in order (at most the 301 years takst prices).
    years: Vec<(i32, Decimal)>,
    total: Decimal,
}

/// One municipality's budget.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MunicipalityBudget {
    /// The paying municipality (`""` for courses without one).
    pub municipality: String,
    /// Courses added.
    pub courses: u32,
    /// Per month.
    pub months: Vec<MonthAmount>,
    /// Per year.
    pub years: Vec<YearAmount>,
    /// In total.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub total: Decimal,
}

impl Caseload {
    /// Adds a priced course to the budget.
    ///
    /// A sum that a decimal cannot hold (beyond about 7.9 × 10^28 kr, or more than 4,294,967,295
    /// courses for one municipality) is an `overflow` error, never a rounded or wrapped sum. The
    /// budget is then incomplete (the course may be partly added) and is not to be read.
    pub fn add(&mut self, quote: &Quote) -> Result<(), Error> {
        let key = quote.municipality.as_deref().unwrap_or_default();
        let sums = match self.by_municipality.get_mut(key) {
            Some(sums) => sums,
            None => self.by_municipality.entry(key.to_owned()).or_default(),
        };
        sums.courses = sums.courses.checked_add(1).ok_or_else(overflow)?;
        for m in &quote.months {
            let month = sums.months.entry(m.month).or_default();
            *month = crate::decimal::add(*month, m.amount).ok_or_else(overflow)?;
            let year = i32::from(m.month.year);
            let at = match sums.years.binary_search_by_key(&year, |&(y, _)| y) {
                Ok(at) => at,
                Err(at) => {
                    sums.years.insert(at, (year, Decimal::ZERO));
                    at
                }
            };
            let y = &mut sums.years[at].1;
            *y = crate::decimal::add(*y, m.amount).ok_or_else(overflow)?;
            sums.total = crate::decimal::add(sums.total, m.amount).ok_or_else(overflow)?;
        }
        Ok(())
    }

    /// The budget per municipality (by name), with month and year totals.
    pub fn budget(&self) -> Vec<MunicipalityBudget> {
        self.by_municipality
            .iter()
            .map(|(municipality, sums)| MunicipalityBudget {
                municipality: municipality.clone(),
                courses: sums.courses,
                months: sums
                    .months
                    .iter()
                    .map(|(&month, &amount)| MonthAmount { month, amount })
                    .collect(),
                years: sums
                    .years
                    .iter()
                    .map(|&(year, amount)| YearAmount { year, amount })
                    .collect(),
                total: sums.total,
            })
            .collect()
    }
}

/// A sum of the budget that does not fit.
#[cold]
fn overflow() -> Error {
    Error::new(
        ErrorCode::Overflow,
        "",
        "the caseload budget's sums grow beyond what a 96-bit decimal holds (about 7.9 × 10^28); \
         split the caseload",
        "Budgettets summer bliver større, end et 96-bit decimaltal kan rumme (omkring 7,9 × \
         10^28); del sagerne op.",
    )
}
