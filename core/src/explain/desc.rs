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

    /// The Danish unit as a template of the explanation, its day word the blank `day`
    /// (`w`, `bw`, `sw`, `ow`, `pw` or `tw`: [`Desc::day_blank`]): what a node's `unit_da`
    /// is filled from, in every binding, and what [`Unit::suffix_da`] fills.
    pub(crate) fn template_da(self, day: &str) -> &'static str {
        macro_rules! per_day {
            ($before:literal, $after:literal) => {
                match day {
                    "bw" => concat!($before, "{bw}", $after),
                    "sw" => concat!($before, "{sw}", $after),
                    "ow" => concat!($before, "{ow}", $after),
                    "pw" => concat!($before, "{pw}", $after),
                    "tw" => concat!($before, "{tw}", $after),
                    _ => concat!($before, "{w}", $after),
                }
            };
        }
        match self {
            Unit::Kr => "kr.",
            Unit::KrPerDay => per_day!("kr. pr. ", ""),
            Unit::KrPerMonth => "kr. pr. måned",
            Unit::KrPerYear => "kr. pr. år",
            Unit::KrPerHour => "kr. pr. time",
            Unit::KrPerKm => "kr. pr. km",
            Unit::KrPerDayPerWeeklyHour => per_day!("kr. pr. ", " pr. ugentlig time"),
            Unit::Days => "dage",
            Unit::Places => "pladser",
            Unit::Citizens => "borgere",
            Unit::Percent => "%",
            Unit::Ratio | Unit::Number => "",
            Unit::HoursPerWeek => "timer pr. uge",
            Unit::DayHours => "dag-timer",
            Unit::Hours => "timer",
        }
    }

    /// Whether the unit is per day (its Danish words name the day: "døgn" or "dag").
    pub(crate) fn per_day(self) -> bool {
        matches!(self, Unit::KrPerDay | Unit::KrPerDayPerWeeklyHour)
    }

    /// Danish unit suffix for text output; `day_word` is "døgn" or "dag".
    pub fn suffix_da(self, day_word: &str) -> String {
        self.template_da("w").replace("{w}", day_word)
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

    /// The blank of the day word its figure is told in: the one its label names, or else
    /// that of the sheet its key names (a catalogue's figure is in the words of its own
    /// offer's kind, a residential offer's "døgn", a day offer's "dag", also in a request
    /// of both), or else `w`, the first sheet's (the offer's own figures).
    ///
    /// The blanks are read as the templates are filled (`names::pieces`): searching for each
    /// blank's text (`str::contains`, ten searches a kind) made writing an offer's
    /// explanation a third slower.
    pub(crate) fn day_blank(&self) -> &'static str {
        use super::names::{pieces, Piece};
        let find = |text: &str, of: fn(&str) -> Option<&'static str>| {
            pieces(text).find_map(|piece| match piece {
                Piece::Blank(name) => of(name),
                Piece::Text(_) => None,
            })
        };
        let own = |name: &str| {
            ["bw", "sw", "ow", "pw", "tw"]
                .into_iter()
                .find(|w| *w == name)
        };
        let by_key = |name: &str| match name {
            "bk" => Some("bw"),
            "sk" => Some("sw"),
            "ok" => Some("ow"),
            "pk" => Some("pw"),
            "tk" => Some("tw"),
            _ => None,
        };
        find(self.label, own)
            .or_else(|| find(self.key, by_key))
            .unwrap_or("w")
    }

    /// The template of its Danish unit ([`Unit::template_da`] in its day word; only a unit
    /// per day has one to look for).
    pub(crate) fn unit_da(&self) -> &'static str {
        let day = if self.unit.per_day() {
            self.day_blank()
        } else {
            "w"
        };
        self.unit.template_da(day)
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
