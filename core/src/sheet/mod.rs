//! The published tariff sheet (takstblad): a provider's computed tariffs as a file.
//!
//! This is the format the browser calculator and notebooks read, and the format of a tariff
//! catalogue that is given rather than computed (e.g. national packages whose tariffs are
//! set by KKR): a request may carry a sheet as its `catalogue`. It holds published figures
//! only; how each was computed is in the [`Explanation`](crate::Explanation) of the
//! response that produced it. Schema: `schema/tariff-sheet.schema.json`.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::name::Name;
use crate::num;
use crate::offer::{PlaceKind, ServiceKind, Stage};
use crate::rounding::Rounding;

mod json;

/// The format marker of a tariff sheet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SheetFormat {
    /// `"takst/tariff-sheet"`.
    #[default]
    #[serde(rename = "takst/tariff-sheet")]
    TariffSheet,
}

/// A published tariff sheet (takstblad), version 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffSheet {
    /// Always `"takst/tariff-sheet"`.
    pub format: SheetFormat,
    /// Format version; this library writes and reads 1.
    pub version: u32,
    /// The offer the tariffs belong to.
    pub offer: SheetOffer,
    /// Who set the tariffs: "computed by takst 0.1.0 from the cost base", "KKR 2026", …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Name>,
    /// Days a place is billed in a year.
    pub day_basis: u32,
    /// The rounding of the published tariffs.
    pub rounding: Rounding,
    /// The average tariff of the offer (absent from catalogues that have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Tariff>,
    /// The differentiated services.
    #[serde(default)]
    pub services: Vec<ServiceTariff>,
    /// The package scheme, so that any package can be priced from the sheet, including
    /// those beyond the last listed: package n = basis + round((n − ½) × interval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_scheme: Option<SheetPackageScheme>,
    /// Part-time day tariffs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part_time: Vec<PartTimeTariff>,
    /// Add-ons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_ons: Vec<AddOnTariff>,
    /// The regulation of an earlier year's result in the tariffs, per day (the regulation ÷ expected days,
    /// rounded like derived amounts, to øre by default), as agreements publish it: positive
    /// the tariffs cover an earlier deficit, negative they return a surplus. Informative: the
    /// tariffs already contain it.
    #[serde(
        default,
        deserialize_with = "crate::num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<crate::num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub regulation_per_day: Option<Decimal>,
    /// The rounding of the figures derived from the tariffs (part-time tariffs, levels in per
    /// cent, add-ons priced as a fraction of a day), when it is not the default (to øre, half
    /// away from zero): a reader checking a part-time tariff against its percentage of the
    /// day tariff allows for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_rounding: Option<Rounding>,
}

/// The offer a sheet belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetOffer {
    /// Stable identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Name>,
    /// Name.
    pub name: Name,
    /// Provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Name>,
    /// Residential or day places.
    pub kind: PlaceKind,
    /// The tariff year.
    pub year: i32,
}

/// A day tariff with the month and year tariffs derived from the same unrounded figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tariff {
    /// Per day (døgn for residential places).
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub day: Decimal,
    /// Per month.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub month: Option<Decimal>,
    /// Per place per year.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub year: Option<Decimal>,
}

/// The tariff of one service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceTariff {
    /// Service id.
    pub id: Name,
    /// Name.
    pub name: Name,
    /// Kind of service.
    #[serde(default)]
    pub kind: ServiceKind,
    /// Stage along a course, for modules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// The tariff (for packages: basis + package part).
    pub tariff: Tariff,
    /// For packages: the package number n in the package scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<u32>,
    /// For packages: the basis tariff included in `tariff.day`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub basis: Option<Decimal>,
    /// For packages: the package part included in `tariff.day`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub package_part: Option<Decimal>,
    /// Support hours per week the tariff pays for.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub hours_per_week: Option<Decimal>,
    /// For packages: the band's upper end, support hours per week "til og med" (n × band,
    /// to one decimal), as the regions publish it.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub hours_to_per_week: Option<Decimal>,
    /// Expected share of occupied days, in per cent.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub share_pct: Option<Decimal>,
}

/// The package scheme as published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetPackageScheme {
    /// Basis tariff per day (common costs).
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub basis: Decimal,
    /// The interval: the price per day of the hours between two packages, a published
    /// figure rounded like the tariffs (Region Syddanmark publishes e.g. 349 kr).
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub interval: Decimal,
    /// Support hours per week between two packages.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub band_hours_per_week: Decimal,
}

/// A part-time day tariff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartTimeTariff {
    /// `"average"` or a service id.
    pub of: Name,
    /// Days attended per week.
    pub days_per_week: u32,
    /// Percentage of the full-time day tariff.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub pct: Decimal,
    /// The part-time day tariff, to øre.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub day: Decimal,
}

/// The unit an add-on is billed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddOnUnit {
    /// Per hour.
    Hour,
    /// Per kilometre.
    Km,
    /// Per calendar day.
    Day,
}

/// An add-on's price.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOnTariff {
    /// Add-on id.
    pub id: Name,
    /// Name.
    pub name: Name,
    /// What one unit is.
    pub unit: AddOnUnit,
    /// Price per unit.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub price: Decimal,
}
