//! The section as given: the buyer, its refund tables (per year, or at a price level), its
//! costs beside the courses, and how the refund is worked out.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::YearRate;
use crate::num;
use crate::rounding::{RoundMode, Rounding};

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}
fn is_hundred(d: &Decimal) -> bool {
    *d == Decimal::ONE_HUNDRED
}
fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_false(b: &bool) -> bool {
    !*b
}
fn kroner() -> Rounding {
    Rounding::KRONER
}
fn is_kroner(r: &Rounding) -> bool {
    *r == Rounding::KRONER
}
fn ten_thousand() -> Rounding {
    Rounding {
        increment: Decimal::from(10_000),
        mode: RoundMode::HalfAwayFromZero,
    }
}

/// How the SEL § 176 refund is worked out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundMethod {
    /// Month by month (BEK 1485/2023 § 3): each month's expense against 1/12 of the
    /// thresholds, each month's refund rounded to øre; a yearly cost is spread evenly over
    /// the 12 months. The default.
    #[default]
    Monthly,
    /// On the year's expense against the yearly thresholds, rounded to øre once.
    Annual,
}

/// The buying municipality's view: net cost after refunds.
///
/// # Example
///
/// SEL § 176 with the 2020 brackets (none below 1,090,000 kr, 25 % up to 2,050,000 kr,
/// 50 % above), for a citizen costing 2,500,000 kr:
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let out = takst::evaluate_json(r#"{"version": 1, "buyer": {
///     "refund": [{"year": 2020, "brackets": [{"from": "1090000", "pct": 25},
///                                             {"from": "2050000", "pct": 50}]}],
///     "costs": [{"citizen": "A", "year": 2020, "amount": "2500000"}]}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// // 25 % × 960,000 + 50 % × 450,000 = 240,000 + 225,000
/// assert_eq!(v["buyer"]["cases"][0]["refund_176"], "465000.00");
/// assert_eq!(v["buyer"]["cases"][0]["net"], "2035000.00");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// The buying municipality, for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The provider is private (not a public authority): the municipality gets the indirect
    /// VAT refund on the price. Default false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub private_provider: bool,
    /// The share of the price that bears VAT, in per cent. Default 100.
    #[serde(
        default = "hundred",
        deserialize_with = "num::de",
        skip_serializing_if = "is_hundred"
    )]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_bearing_pct: Decimal,
    /// How the VAT refund is rounded. Default whole kroner, half away from zero (BEK
    /// 891/2025 § 10).
    #[serde(default = "kroner", skip_serializing_if = "is_kroner")]
    pub vat_rounding: Rounding,
    /// How the SEL § 176 refund is worked out: `monthly` (default) or `annual`.
    #[serde(default)]
    pub refund_method: RefundMethod,
    /// The SEL § 176 refund brackets, per year (a year given here is used as given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refund: Vec<RefundTable>,
    /// The SEL § 176 brackets at a price level, indexed to each year of the costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_levels: Option<RefundLevels>,
    /// Costs per citizen and year besides the request's courses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub costs: Vec<BuyerCost>,
    /// Count the request's courses (each course a citizen, by its id). Default true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub include_courses: bool,
}

/// The SEL § 176 brackets of one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundTable {
    /// The year.
    pub year: i32,
    /// The brackets, by rising threshold: `pct` of the net cost above `from` (up to the next
    /// bracket's `from`) is refunded. Nothing is refunded below the first threshold.
    pub brackets: Vec<Bracket>,
}

/// SEL § 176 thresholds stated at a price level (the law states them at 2022 level:
/// 860,000 / 1,680,000 / 2,120,000 kr at 25 / 50 / 75 %), indexed to a year by the yearly
/// rates and rounded to the increment the published amounts move in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundLevels {
    /// The price level's year, e.g. 2022.
    pub year: i32,
    /// The brackets at that level.
    pub brackets: Vec<Bracket>,
    /// The yearly regulation rates after the level's year, e.g. `[{ "year": 2023, "pct":
    /// "4.7" }]`; a year of costs needs every rate up to it.
    #[serde(default)]
    pub rates_pct: Vec<YearRate>,
    /// Rounding of an indexed threshold. Default 10,000 kr, half away from zero.
    #[serde(default = "ten_thousand")]
    pub rounding: Rounding,
}

/// One refund bracket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bracket {
    /// The threshold, kroner per citizen per year.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub from: Decimal,
    /// The refund rate above it, in per cent.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub pct: Decimal,
}

/// A cost for a citizen in a year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyerCost {
    /// The citizen (an id, never a CPR number).
    pub citizen: String,
    /// The year.
    pub year: i32,
    /// The gross cost (the price paid).
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}
