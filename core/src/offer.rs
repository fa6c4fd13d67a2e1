//! The input model: one offer (tilbud) and its budget for one year.
//!
//! See `docs/format.md` for the request format with examples; every field here is documented
//! and appears in the committed JSON Schema (`schema/request.schema.json`).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::danish::int;
use crate::name::Name;
use crate::num;
use crate::rounding::Rounding;

/// An offer (tilbud) with its budget for one year: the input from which tariffs are computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// A short stable identifier, e.g. `"elbaek"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Name>,
    /// The offer's name, e.g. `"Elbæk"`.
    pub name: Name,
    /// The provider (region, municipality or private), e.g. `"Region Midtjylland"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Name>,
    /// The budget year the tariffs apply to.
    pub year: i32,
    /// Residential places (døgn) or day places (dag).
    pub kind: PlaceKind,
    /// Places in the calculation.
    pub capacity: Capacity,
    /// Days a place is billed in a year: a number (334) or `"actual"`. Default 365.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_basis: Option<DayBasis>,
    /// Budgeted occupancy.
    pub occupancy: Occupancy,
    /// A short-term, acute or respite offer: the occupancy band's floor is then 90 %.
    #[serde(default)]
    pub short_term: bool,
    /// The cost base, line by line (takstberegningsgrundlag).
    pub costs: Vec<CostLine>,
    /// The differentiated services (modules, packages, levels). Empty: average tariff only.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Band width for packages (basis + package model). Needed by services with `package`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_scheme: Option<PackageScheme>,
    /// Part-time fractions of the day tariff by days attended per week (day offers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part_time: Vec<PartTime>,
    /// Add-ons (tillægsydelser) billed on top of a main service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_ons: Vec<AddOn>,
    /// Conventions and thresholds; every one has a default.
    #[serde(default)]
    pub settings: Settings,
}

/// Residential (døgn) or day (dag) places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// Residential places, billed per døgn.
    Residential,
    /// Day places, billed per day.
    Day,
}

impl PlaceKind {
    /// "døgn" or "dag".
    pub fn day_word_da(self) -> &'static str {
        match self {
            PlaceKind::Residential => "døgn",
            PlaceKind::Day => "dag",
        }
    }

    /// The plural: "døgn" or "dage".
    pub fn days_word_da(self) -> &'static str {
        match self {
            PlaceKind::Residential => "døgn",
            PlaceKind::Day => "dage",
        }
    }
}

/// Places in the calculation, given directly or as treatment citizens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Capacity {
    /// Number of places, e.g. `{"places": 12}`. Fractions are allowed.
    Places(
        #[serde(deserialize_with = "num::de")]
        #[schemars(with = "num::Num")]
        Decimal,
    ),
    /// Treatment places (SEL §§ 101/101a, SUL § 141): citizens expected to be treated in the
    /// year; places = citizens ÷ 10.
    TreatmentCitizens(
        #[serde(deserialize_with = "num::de")]
        #[schemars(with = "num::Num")]
        Decimal,
    ),
}

/// Days a place is billed in a year *(convention)*; when absent, 365.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum DayBasis {
    /// A fixed number of days, e.g. 365, or 334 for school homes (1–366).
    Days(u32),
    /// The string `"actual"`: the days of the budget year (366 in a leap year).
    Named(DayBasisName),
}

/// A day basis that is neither a whole number of days nor `"actual"`: the value as serde
/// words it (`integer `400``), and as the Danish message shows it.
fn not_days(value: &str, value_da: &str) -> crate::error::Bilingual {
    crate::error::Bilingual::new(
        format!(
            "invalid value: {value}, expected a whole number of days (e.g. 365 or 334) or \
             \"actual\""
        ),
        format!(
            "Ugyldig værdi: {value_da}. Dagbasis skal være et helt antal dage (fx 365 eller \
             334) eller \"actual\"."
        ),
    )
}

impl<'de> Deserialize<'de> for DayBasis {
    /// A whole number of days or `"actual"`, with a message that says so (serde's untagged
    /// enums only say that nothing matched).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = DayBasis;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number of days (e.g. 365 or 334) or \"actual\"")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DayBasis, E> {
                u32::try_from(v)
                    .map(DayBasis::Days)
                    .map_err(|_| E::custom(not_days(&format!("integer `{v}`"), &int(v))))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DayBasis, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(not_days(&format!("integer `{v}`"), &int(v))))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DayBasis, E> {
                match v {
                    "actual" => Ok(DayBasis::Named(DayBasisName::Actual)),
                    _ => Err(E::custom(not_days(
                        &format!("string {v:?}"),
                        &format!("{v:?}"),
                    ))),
                }
            }
            /// A number given as text (`365.0`, `3.65e2`): it must be a whole number.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<DayBasis, A::Error> {
                let d = num::de(serde::de::value::MapAccessDeserializer::new(map))?;
                let whole = (d.fract().is_zero())
                    .then(|| u32::try_from(d.normalize().mantissa()).ok())
                    .flatten();
                whole.map(DayBasis::Days).ok_or_else(|| {
                    serde::de::Error::custom(not_days(&d.to_string(), &crate::danish::number(d)))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Named day bases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayBasisName {
    /// The actual days of the budget year.
    Actual,
}

/// Budgeted occupancy in per cent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Occupancy {
    /// Occupancy given directly, e.g. `{"budgeted_pct": 97}`.
    BudgetedPct(
        #[serde(deserialize_with = "num::de")]
        #[schemars(with = "num::Num")]
        Decimal,
    ),
    /// Actual occupancy of previous years (normally two); the budget uses their mean.
    PreviousYearsPct(
        #[serde(deserialize_with = "num::de_vec")]
        #[schemars(with = "Vec<num::Num>")]
        Vec<Decimal>,
    ),
}

/// One line of the cost base.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostLine {
    /// What the line is, e.g. "Pædagogisk personale".
    pub label: String,
    /// The kind of cost, which decides how the line enters the cost base.
    pub category: Category,
    /// The annual amount in kroner. Income categories (`other_income`, `base_funding`) are
    /// entered as positive amounts and subtracted. Only `regulation` may be negative.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub amount: Option<Decimal>,
    /// For `overhead` only, instead of `amount`: a percentage of `pct_base`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub pct: Option<Decimal>,
    /// The categories `pct` is taken of (their lines with amounts). Default: the direct costs
    /// (`wages`, `operating`, `property`). Costs only: `overhead` cannot be part of its own
    /// base, and income (`other_income`, `base_funding`) and `regulation` are not costs.
    /// Left out to take the default; `null` is `missing_value`, as in every field with a
    /// default.
    #[serde(
        default,
        deserialize_with = "given",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<Category>")]
    pub pct_base: Option<Vec<Category>>,
    /// How the line is shared among services. Default: per occupied day.
    #[serde(default)]
    pub key: AllocationKey,
    /// Where the figure comes from (budget account, agreement), shown in the explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The category of a cost line.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Direct wages by staff group (lønninger).
    Wages,
    /// Other direct running costs: food, transport, activities, supplies (øvrig drift).
    Operating,
    /// Property: rent, maintenance, utilities (ejendomsudgifter).
    Property,
    /// Indirect costs: central management and administration (overhead).
    Overhead,
    /// Depreciation (afskrivninger).
    Depreciation,
    /// Imputed interest on capital (forrentning).
    Interest,
    /// Imputed civil-servant pension (tjenestemandspension).
    Pension,
    /// Non-deductible VAT of a provider that is not a public authority (ikke-fradragsberettiget moms).
    Vat,
    /// Other income, e.g. residents' own payments (andre indtægter); subtracted.
    OtherIncome,
    /// Base funding outside the tariff (basisøkonomi, objektiv finansiering); subtracted.
    BaseFunding,
    /// Regulation of an earlier year's result (efterregulering; year N−2 under the usual
    /// agreements, N−1 under older ones): positive covers a deficit, negative returns a
    /// surplus.
    Regulation,
}

impl Category {
    /// All categories, in tariff-sheet order.
    pub const ALL: [Category; 11] = [
        Category::Wages,
        Category::Operating,
        Category::Property,
        Category::Overhead,
        Category::Depreciation,
        Category::Interest,
        Category::Pension,
        Category::Vat,
        Category::OtherIncome,
        Category::BaseFunding,
        Category::Regulation,
    ];

    /// The category's machine name, as in the format.
    pub fn name(self) -> &'static str {
        match self {
            Category::Wages => "wages",
            Category::Operating => "operating",
            Category::Property => "property",
            Category::Overhead => "overhead",
            Category::Depreciation => "depreciation",
            Category::Interest => "interest",
            Category::Pension => "pension",
            Category::Vat => "vat",
            Category::OtherIncome => "other_income",
            Category::BaseFunding => "base_funding",
            Category::Regulation => "regulation",
        }
    }

    /// Danish label.
    pub fn label_da(self) -> &'static str {
        match self {
            Category::Wages => "Lønninger",
            Category::Operating => "Øvrig drift",
            Category::Property => "Ejendomsudgifter",
            Category::Overhead => "Central ledelse og administration (overhead)",
            Category::Depreciation => "Afskrivninger",
            Category::Interest => "Forrentning",
            Category::Pension => "Tjenestemandspension",
            Category::Vat => "Ikke-fradragsberettiget moms",
            Category::OtherIncome => "Andre indtægter (fradrag)",
            Category::BaseFunding => "Basisfinansiering (fradrag)",
            Category::Regulation => "Efterregulering af tidligere års resultat",
        }
    }

    /// Direct costs: the base of a percentage overhead.
    pub fn is_direct(self) -> bool {
        matches!(
            self,
            Category::Wages | Category::Operating | Category::Property
        )
    }

    /// Entered as a positive amount and subtracted from the cost base.
    pub fn is_income(self) -> bool {
        matches!(self, Category::OtherIncome | Category::BaseFunding)
    }
}

/// How a cost line is shared among services.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllocationKey {
    /// Common costs, shared equally per occupied day (management, property, night cover).
    #[default]
    Days,
    /// Care costs, shared by the support hours a service gives.
    SupportHours,
}

/// A field with a default that is given: its value, `null` refused as any value's absence is
/// (`missing_value`). For an `Option` that stands for the default when left out.
fn given<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// One differentiated service: a module, package or level.
///
/// A service is priced in exactly one of three ways: by `hours_per_week` (its support hours),
/// by `package` (a band of the package scheme) or by `pct_of` (a percentage of another
/// service's tariff).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unique id, e.g. `"udredning"`.
    pub id: Name,
    /// Name shown on the tariff sheet, e.g. "Udredningsmodul".
    pub name: Name,
    /// What kind of service this is. Default: `service`.
    #[serde(default)]
    pub kind: ServiceKind,
    /// For modules: where along the course it lies (tariffs should fall along it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Support (staff) hours per week the service gives one citizen.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub hours_per_week: Option<Decimal>,
    /// Package number n ≥ 1 in the package scheme: support hours = (n − ½) × band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<u32>,
    /// A percentage of another service's published tariff, kept to øre (levels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pct_of: Option<PctOf>,
    /// Expected share of the offer's occupied days, in per cent. The shares of all
    /// services should sum to 100.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub share_pct: Decimal,
}

/// The kind of a service (a label; the pricing follows from the fields given).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// A service without a more specific kind.
    #[default]
    Service,
    /// A module along a course (udredning, udvikling, længerevarende).
    Module,
    /// A package on top of the basis tariff (basistakst + ydelsespakke).
    Package,
    /// A level (niveau).
    Level,
}

/// The stage of a module along a course.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Udredningsmodul: assessment (highest tariff).
    Assessment,
    /// Udviklingsmodul: development with systematic goal work.
    Development,
    /// Længerevarende udviklingsforløb: long-term development (lowest tariff).
    LongTerm,
}

/// A tariff set as a percentage of another service's tariff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PctOf {
    /// The id of a service priced by hours or package, or `"average"`.
    pub service: String,
    /// The percentage, e.g. 85.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub pct: Decimal,
}

/// The package scheme (basis + package, Region Syddanmark).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageScheme {
    /// Support hours per week between two packages: 7 for residential packages (one hour a
    /// day); day packages are often 2⅓ hours apart (give e.g. "2.3333").
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub band_hours_per_week: Decimal,
}

/// A part-time fraction of the day tariff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartTime {
    /// Days attended per week (1–7).
    pub days_per_week: u32,
    /// Percentage of the full-time day tariff, e.g. 60.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub pct: Decimal,
}

/// An add-on (tillægsydelse) billed on top of a main service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOn {
    /// Unique id among the add-ons.
    pub id: Name,
    /// Name shown on the tariff sheet.
    pub name: Name,
    /// How the add-on is priced.
    pub price: AddOnPrice,
}

/// How an add-on is priced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AddOnPrice {
    /// A price per hour, in kroner.
    PerHour(
        #[serde(deserialize_with = "num::de")]
        #[schemars(with = "num::Num")]
        Decimal,
    ),
    /// A price per kilometre, in kroner.
    PerKm(
        #[serde(deserialize_with = "num::de")]
        #[schemars(with = "num::Num")]
        Decimal,
    ),
    /// A fraction of a day tariff, billed per calendar day (e.g. 2 hours a week = 2/5).
    DayFraction(DayFraction),
}

/// A fraction of a service's day tariff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayFraction {
    /// The service whose day tariff is the base, or `"average"`.
    pub of: String,
    /// Numerator of the fraction.
    pub numerator: u32,
    /// Denominator of the fraction (> 0).
    pub denominator: u32,
}

/// Conventions and thresholds. Every field has a default taken from the domain reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Rounding of published tariffs (average, module, package, basis). Default: whole
    /// kroner, half away from zero.
    pub published_rounding: Rounding,
    /// Rounding of derived amounts (levels as %, part-time fractions, add-ons). Default:
    /// øre, half away from zero.
    pub derived_rounding: Rounding,
    /// Agreed occupancy band in per cent. Default 95–98 (90–98 for short-term offers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupancy_band_pct: Option<Band>,
    /// Cap on overhead as a percentage of direct costs. Default 6.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub overhead_cap_pct: Decimal,
    /// Warn when the rounding residue exceeds this percentage of the cost base (0–100).
    /// Default 0.1.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub residue_warning_pct: Decimal,
    /// The highest budgeted occupancy that is accepted, in per cent. Above it the offer is
    /// refused (`out_of_range`): it would promise more occupied days than the places have.
    /// Default 100.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub max_occupancy_pct: Decimal,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            published_rounding: Rounding::KRONER,
            derived_rounding: Rounding::ORE,
            occupancy_band_pct: None,
            overhead_cap_pct: Decimal::from(6),
            residue_warning_pct: Decimal::new(1, 1),
            max_occupancy_pct: Decimal::ONE_HUNDRED,
        }
    }
}

/// A closed band of percentages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest value inside the band.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub min: Decimal,
    /// Highest value inside the band.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub max: Decimal,
}
