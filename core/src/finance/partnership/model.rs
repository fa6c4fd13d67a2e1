//! The section as given: the financing base and expected days, the partners' fixed share,
//! the partners, and how the share is split among them.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::num;
use crate::rounding::Rounding;

fn twenty_five() -> Decimal {
    Decimal::from(25)
}
fn levels() -> Vec<Decimal> {
    [50, 75, 100, 125, 150].map(Decimal::from).to_vec()
}
fn is_levels(v: &[Decimal]) -> bool {
    v == levels().as_slice()
}

/// A partnership: a fixed share of the financing base paid by partner municipalities.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let out = takst::evaluate_json(r#"{"version": 1, "partnership": {
///     "financing_base": "20000000", "expected_days": "4000", "fixed_share_pct": 25,
///     "partners": [{"municipality": "Aarhus", "expected_days": "1500"},
///                  {"municipality": "Randers", "expected_days": "500"}]}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// let p = &v["partnership"];
/// assert_eq!(p["full_tariff"], "5000");      // 20,000,000 ÷ 4,000
/// assert_eq!(p["partner_tariff"], "2500");   // 5,000 − 5,000,000 ÷ 2,000
/// assert_eq!(p["partners"][0]["contribution"], "3750000.00");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partnership {
    /// The partnership's or offer's name, for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The financing base (the cost base the tariffs and the fixed payments cover), a year.
    /// Default: the cost base of the request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub financing_base: Option<Decimal>,
    /// All expected days of the offer in the year (places × day basis × occupancy).
    /// Default: the expected days of the request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub expected_days: Option<Decimal>,
    /// The partners' fixed share of the financing base, in per cent. Default 25.
    #[serde(default = "twenty_five", deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub fixed_share_pct: Decimal,
    /// The partner municipalities.
    pub partners: Vec<Partner>,
    /// How the fixed share is split among the partners: by their expected days (default)
    /// or by an agreed key (`key` on each partner).
    #[serde(default)]
    pub key: KeyBasis,
    /// Usage levels to show each partner's cost at, in per cent of its expected days.
    /// Default 50, 75, 100, 125, 150.
    #[serde(
        default = "levels",
        deserialize_with = "num::de_vec",
        skip_serializing_if = "is_levels"
    )]
    #[schemars(with = "Vec<num::Num>")]
    pub usage_pct: Vec<Decimal>,
    /// How the published tariffs are rounded. Default: as the request's offer publishes its
    /// tariffs (`offer.settings.published_rounding`, listed in `chained`), and whole kroner,
    /// half away from zero, without an offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
}

/// How the partners' fixed share is split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyBasis {
    /// By the partners' expected days.
    #[default]
    ExpectedDays,
    /// By the agreed `key` of each partner (any positive weights, e.g. per cent).
    Agreed,
}

/// A partner municipality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The municipality.
    pub municipality: String,
    /// The days it expects to use in the year.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// Its weight in the agreed key (when `key` is `agreed`), e.g. 60 for 60 %.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub key: Option<Decimal>,
}
