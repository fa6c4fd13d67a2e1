//! What a kind of figure is: the static description its nodes share (key, label, rule,
//! source and request path as templates), the subject that fills its blanks, and the
//! vocabulary a node is told in (its unit, the operation that made it, where its value came
//! from, the step at which it was rounded).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::exact::Exact;
use crate::rounding::Rounding;

/// The unit of a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unit {
    /// Kroner (an annual amount unless the label says otherwise).
    Kr,
    /// Kroner per (occupied) day or døgn.
    KrPerDay,
    /// Kroner per month.
    KrPerMonth,
    /// Kroner per place per year.
    KrPerYear,
    /// Kroner per hour.
    KrPerHour,
    /// Kroner per kilometre.
    KrPerKm,
    /// Kroner per occupied day per weekly support hour (the support rate).
    KrPerDayPerWeeklyHour,
    /// Days.
    Days,
    /// Places.
    Places,
    /// Citizens.
    Citizens,
    /// Per cent (97 means 97 %).
    Percent,
    /// A plain ratio (0.97).
    Ratio,
    /// Support hours per week.
    HoursPerWeek,
    /// Occupied day × weekly support hour.
    DayHours,
    /// A count or other pure number.
    Number,
    /// Hours.
    Hours,
}

impl Unit {
    /// Whether the unit is kroner (per anything): amounts shown with øre.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Unit::Kr
                | Unit::KrPerDay
                | Unit::KrPerMonth
                | Unit::KrPerYear
                | Unit::KrPerHour
                | Unit::KrPerKm
                | Unit::KrPerDayPerWeeklyHour
        )
    }

    /// Danish unit suffix for text output; `day_word` is "døgn" or "dag".
    pub fn suffix_da(self, day_word: &str) -> String {
        match self {
            Unit::Kr => "kr.".into(),
            Unit::KrPerDay => format!("kr. pr. {day_word}"),
            Unit::KrPerMonth => "kr. pr. måned".into(),
            Unit::KrPerYear => "kr. pr. år".into(),
            Unit::KrPerHour => "kr. pr. time".into(),
            Unit::KrPerKm => "kr. pr. km".into(),
            Unit::KrPerDayPerWeeklyHour => format!("kr. pr. {day_word} pr. ugentlig time"),
            Unit::Days => "dage".into(),
            Unit::Places => "pladser".into(),
            Unit::Citizens => "borgere".into(),
            Unit::Percent => "%".into(),
            Unit::Ratio | Unit::Number => String::new(),
            Unit::HoursPerWeek => "timer pr. uge".into(),
            Unit::DayHours => "dag-timer".into(),
            Unit::Hours => "timer".into(),
        }
    }
}

/// How a node's value was obtained from its inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Op {
    /// Read from the request (its `path` says where).
    Input,
    /// A constant of a rule or convention (365 days, 12 months, 10 citizens per place).
    Constant,
    /// Σ inputs.
    Sum,
    /// first input − Σ the others.
    Difference,
    /// Π inputs.
    Product,
    /// first input ÷ second input.
    Quotient,
    /// −input.
    Negate,
    /// Arithmetic mean of the inputs.
    Mean,
    /// first input × second input ÷ 100 (an amount times a percentage).
    PercentOf,
    /// The input, rounded by the node's rounding policy.
    Round,
    /// The smallest input (e.g. a surplus, but at most the cap on setting aside).
    Min,
    /// The largest input (e.g. an amount, but not below zero).
    Max,
}

/// The static description of a kind of figure. Its texts are templates whose blanks are
/// filled from the node's two subject indices when the node is rendered (the blanks are
/// listed in `names.rs`).
#[derive(Debug)]
pub(crate) struct Desc {
    /// Stable key, e.g. `service.{s}.day`.
    pub key: &'static str,
    /// Danish label, e.g. `{S}, pr. {w}`.
    pub label: &'static str,
    pub unit: Unit,
    /// The rule in words.
    pub rule: &'static str,
    /// Law, agreement or convention.
    pub source: Option<&'static str>,
    /// For inputs: the request field read. For computed figures: the request field an
    /// arithmetic failure is reported at.
    pub path: &'static str,
}

impl Desc {
    /// The same figure read from (or reported at) another request field.
    pub(crate) const fn at(self, path: &'static str) -> Desc {
        Desc { path, ..self }
    }
}

/// The two indices that fill a [`Desc`]'s blanks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Subj {
    pub a: u32,
    pub b: u32,
}

/// `b` of a subject that refers to the average tariff rather than a service.
pub(crate) const AVERAGE_TARGET: u32 = u32::MAX;

impl Subj {
    pub const NONE: Subj = Subj { a: 0, b: 0 };
    pub fn one(a: usize) -> Subj {
        Subj { a: a as u32, b: 0 }
    }
    pub fn two(a: usize, b: u32) -> Subj {
        Subj { a: a as u32, b }
    }
}

/// The named step at which a figure was rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// A published tariff (average, module, package, basis, package interval): by default
    /// whole kroner.
    Published,
    /// A derived amount (levels in %, part-time, add-ons, invoice lines): by default øre.
    Derived,
    /// A figure rounded for display on the tariff sheet (hours "til og med").
    Display,
}

impl Step {
    /// Danish name of the step.
    pub fn da(self) -> &'static str {
        match self {
            Step::Published => "offentliggjort takst",
            Step::Derived => "afledt beløb",
            Step::Display => "visning på takstbladet",
        }
    }
}

/// A rounding applied at a named step.
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(with = "super::json::RoundingStepSchema")]
pub struct RoundingStep {
    /// The step.
    pub step: Step,
    /// The policy applied.
    pub policy: Rounding,
    /// The exact value before rounding (a fraction `p/q` when it has no finite decimal
    /// form; then `before_approx` gives it to 12 decimals for display).
    pub before: Exact,
    /// The value after rounding (equal to the node's value).
    #[schemars(with = "crate::num::Num")]
    pub after: Decimal,
}

/// Where an input's value comes from beyond the request path: the request's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    None,
    /// The `source` of cost line a.
    CostLine,
    /// The `source` of the tariff sheet with this index.
    Sheet(u32),
}
