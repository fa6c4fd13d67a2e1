//! The section as given: the cost base and expected days, the sources of base funding and
//! who pays them, and the municipalities a municipal source is split among.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::num;
use crate::rounding::Rounding;

/// Base funding of an offer.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let out = takst::evaluate_json(r#"{"version": 1, "base_funding": {
///     "cost_base": "10000000", "expected_days": "2000",
///     "sources": [{"label": "Statens basisbevilling", "kind": "state", "amount": "1000000"}]}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// assert_eq!(v["base_funding"]["day_tariff_without"], "5000");
/// assert_eq!(v["base_funding"]["day_tariff"], "4500");   // (10,000,000 − 1,000,000) ÷ 2,000
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaseFunding {
    /// The offer's name, for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The cost base before base funding. Default: the cost base of the request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub cost_base: Option<Decimal>,
    /// The expected days the tariff is paid for. Default: the expected days of the
    /// request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub expected_days: Option<Decimal>,
    /// The sources of base funding.
    pub sources: Vec<FundingSource>,
    /// The municipalities that municipal funding is split among, with their populations
    /// (needed when a source is split by population).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<Population>,
    /// How the day tariff is rounded. Default: as the request's offer publishes its tariffs
    /// (`offer.settings.published_rounding`, listed in `chained`), and whole kroner, half away
    /// from zero, without an offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
}

/// Who pays a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The state (a grant).
    State,
    /// A fund or foundation.
    Fund,
    /// The municipalities (objective financing, drawing rights, subscriptions): split among
    /// them by `split`.
    Municipalities,
    /// Another payer.
    Other,
}

impl SourceKind {
    /// The Danish word.
    pub fn da(self) -> &'static str {
        match self {
            SourceKind::State => "staten",
            SourceKind::Fund => "fond",
            SourceKind::Municipalities => "kommunerne",
            SourceKind::Other => "anden",
        }
    }
}

/// How a municipal source is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// By the municipalities' populations.
    Population,
    /// By the agreed `key` of the source.
    Key,
}

/// One source of base funding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingSource {
    /// What it is, e.g. "Objektiv finansiering": one label per source (it keys the
    /// source's figures).
    pub label: String,
    /// Who pays.
    pub kind: SourceKind,
    /// The annual amount. Give `amount` or `per_inhabitant`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub amount: Option<Decimal>,
    /// For `municipalities`: a rate in kroner per inhabitant (objective financing, e.g.
    /// 0.88 kr): each municipality pays rate × its population, rounded to øre, and the
    /// source's amount is the sum. Implies `split = "population"`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub per_inhabitant: Option<Decimal>,
    /// For `municipalities`: how the amount is split among them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// For `split = "key"`: each municipality's weight (municipalities listed in
    /// `municipalities`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<Weight>,
}

/// A municipality and its population.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// The municipality.
    pub municipality: String,
    /// Its population (needed for splits by population).
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub population: Option<Decimal>,
}

/// A municipality's weight in an agreed key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Weight {
    /// The municipality (one listed in `municipalities`).
    pub municipality: String,
    /// Its weight, e.g. 12.5 for 12.5 %.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub weight: Decimal,
}
