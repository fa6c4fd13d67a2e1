//! The figures returned: the full and partner tariffs, each partner's contribution, and
//! what a partner pays at each usage level against the full tariff.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

/// A partner's cost at one usage level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct UsageLevel {
    /// The usage, in per cent of the partner's expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub usage_pct: Decimal,
    /// The days used.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub days: Decimal,
    /// Cost as a partner: the fixed contribution + days × the partner tariff.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub as_partner: Decimal,
    /// Cost for the same days at the full tariff, as a non-partner.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub as_non_partner: Decimal,
    /// as_non_partner − as_partner: positive, the partnership pays off.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub saving: Decimal,
}

/// One partner's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PartnerResult {
    /// The municipality.
    pub municipality: String,
    /// Its expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// Its share of the fixed payment, to øre (the shares sum exactly to the fixed payment).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub contribution: Decimal,
    /// Days at which the partnership costs it the same as the full tariff would
    /// (contribution ÷ (full − partner tariff)), to 0.01 days; absent when the tariffs are
    /// equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub break_even_days: Option<Decimal>,
    /// Its cost at each usage level.
    pub usage: Vec<UsageLevel>,
}

/// The partnership's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PartnershipResult {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The financing base.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub financing_base: Decimal,
    /// All expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// The partners' fixed payment in all, to øre.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub fixed_payment: Decimal,
    /// The full tariff per day, paid by non-partners (published, rounded).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub full_tariff: Decimal,
    /// The partners' tariff per day (published, rounded once from the exact value).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub partner_tariff: Decimal,
    /// The partners' expected days together.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub partner_days: Decimal,
    /// The non-partners' expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub non_partner_days: Decimal,
    /// Revenue at the expected days with the published tariffs.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub revenue: Decimal,
    /// revenue − financing base: what rounding the tariffs leaves (0 before rounding).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub residue: Decimal,
    /// Each partner.
    pub partners: Vec<PartnerResult>,
    /// The fields taken from the request's offer rather than given (`financing_base`,
    /// `expected_days`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chained: Vec<String>,
}
