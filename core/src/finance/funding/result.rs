//! The figures returned: each source and how it was split, each municipality's
//! contribution, and the day tariff with and without base funding.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::SourceKind;
use crate::finance::Share;

/// A source and how it was split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SourceResult {
    /// The label.
    pub label: String,
    /// Who pays.
    pub kind: SourceKind,
    /// The amount.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
    /// For municipal sources: each municipality's part (the parts sum exactly to the amount).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<Share>,
}

/// A municipality's base funding from all municipal sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct MunicipalityContribution {
    /// The municipality.
    pub municipality: String,
    /// Its population, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub population: Option<Decimal>,
    /// Its contribution in all.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}

/// The figures of base funding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FundingResult {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The cost base before base funding.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub cost_base: Decimal,
    /// Base funding in all.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub funding: Decimal,
    /// What the tariffs must cover: cost base − base funding.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub tariff_base: Decimal,
    /// The expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// The day tariff without base funding (published, for comparison).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub day_tariff_without: Decimal,
    /// The day tariff with base funding (published).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub day_tariff: Decimal,
    /// Each source.
    pub sources: Vec<SourceResult>,
    /// Each municipality's contribution from the municipal sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<MunicipalityContribution>,
    /// The fields taken from the request's offer rather than given (`cost_base`,
    /// `expected_days`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chained: Vec<String>,
    /// Base funding + expected days × the published day tariff.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub revenue: Decimal,
    /// revenue − cost base: what rounding the tariff leaves.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub residue: Decimal,
}
