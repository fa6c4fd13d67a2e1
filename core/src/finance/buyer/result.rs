//! The figures returned: each citizen's year, each year's totals, and the VAT refund
//! convention they were worked out with.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::RefundMethod;
use crate::course::MonthAmount;
use crate::rounding::Rounding;

/// A citizen's year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerCase {
    /// The citizen.
    pub citizen: String,
    /// The year.
    pub year: i32,
    /// The gross cost.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub gross: Decimal,
    /// The indirect VAT refund.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_refund: Decimal,
    /// The SEL § 176 refund (of the cost net of the VAT refund).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub refund_176: Decimal,
    /// With the monthly method: each month's refund (their sum is `refund_176`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refund_176_months: Vec<MonthAmount>,
    /// gross − VAT refund − § 176 refund.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub net: Decimal,
}

/// Totals for a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerYear {
    /// The year.
    pub year: i32,
    /// Gross cost.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub gross: Decimal,
    /// VAT refunds.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_refund: Decimal,
    /// § 176 refunds.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub refund_176: Decimal,
    /// Net cost.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub net: Decimal,
}

/// The indirect VAT refund convention applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct VatRefund {
    /// Whether the provider is private (no refund otherwise).
    pub private_provider: bool,
    /// The VAT-bearing share, per cent.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_bearing_pct: Decimal,
    /// How the refund is rounded.
    pub rounding: Rounding,
}

/// The municipality's net cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerResult {
    /// The municipality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The VAT refund convention.
    pub vat: VatRefund,
    /// How the SEL § 176 refund was worked out.
    pub refund_method: RefundMethod,
    /// Per citizen and year.
    pub cases: Vec<BuyerCase>,
    /// Per year.
    pub years: Vec<BuyerYear>,
}
