//! A caseload: many citizens' courses across offers, summed per paying municipality per
//! month and per year — a budget. Courses are added one by one and only the sums are kept,
//! so memory stays flat however many courses are added.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::{Month, MonthAmount, Quote, YearAmount};

/// The budget view of many courses, built course by course.
///
/// # Example
///
/// ```
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
///     caseload.add(&pricer.price(&course).unwrap());
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

/// One municipality's sums.
#[derive(Clone, Debug, Default)]
struct Sums {
    courses: u32,
    months: BTreeMap<Month, Decimal>,
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
    pub fn add(&mut self, quote: &Quote) {
        let key = quote.municipality.as_deref().unwrap_or_default();
        let sums = match self.by_municipality.get_mut(key) {
            Some(sums) => sums,
            None => self.by_municipality.entry(key.to_owned()).or_default(),
        };
        sums.courses += 1;
        for m in &quote.months {
            *sums.months.entry(m.month).or_default() += m.amount;
        }
    }

    /// The budget per municipality (by name), with month and year totals.
    pub fn budget(&self) -> Vec<MunicipalityBudget> {
        self.by_municipality
            .iter()
            .map(|(municipality, sums)| {
                let mut years: Vec<YearAmount> = Vec::new();
                for (&m, &amount) in &sums.months {
                    match years.last_mut() {
                        Some(y) if y.year == i32::from(m.year) => y.amount += amount,
                        _ => years.push(YearAmount {
                            year: i32::from(m.year),
                            amount,
                        }),
                    }
                }
                MunicipalityBudget {
                    municipality: municipality.clone(),
                    courses: sums.courses,
                    months: sums
                        .months
                        .iter()
                        .map(|(&month, &amount)| MonthAmount { month, amount })
                        .collect(),
                    total: years.iter().map(|y| y.amount).sum(),
                    years,
                }
            })
            .collect()
    }
}
