//! The course model: a citizen's time-limited course at one offer, and the conventions it
//! is billed by (domain reference §5).

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};
use crate::num;
use crate::rounding::Rounding;

/// A citizen's course at one offer: a start date and a sequence of phases.
///
/// Month phases count from the course start (month ends clamp: a 1-month phase from 31
/// January ends 27 February); a phase of *n* days ends on its start + *n* − 1, and month
/// phases after it count from the day after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// An identifier for the citizen's course (never a CPR number), e.g. `"borger-17"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The paying municipality (betalingskommune), for caseload budgets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The offer whose tariffs apply (its id in the tariff sheets). Needed only when the
    /// request has sheets of more than one offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    /// The first day of the course.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub start: Date,
    /// The phases, in order.
    pub phases: Vec<Phase>,
    /// Changes during the course (initiativpligt), applied in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        not(feature = "billing"),
        serde(deserialize_with = "crate::format::request::not_read_list")
    )]
    pub changes: Vec<Change>,
}

/// One phase: a service for a duration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// The service (module, package, level) id in the tariff sheet, or `"average"` for
    /// the average tariff. Give `service` or `package`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// A package number of the sheet's package scheme, priced as basis + round((n − ½) ×
    /// interval) also when the sheet does not list it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<u32>,
    /// Duration in calendar months. Give one of `months`, `days` or `until`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    /// Duration in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Open-ended: the phase runs up to and including this date.
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub until: Option<Date>,
    /// Part-time day places: days attended per week, priced at the sheet's part-time
    /// tariff for the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_time_days: Option<u32>,
    /// Add-ons billed with the phase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_ons: Vec<AddOnUse>,
}

/// An add-on billed with a phase (or added by a change).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOnUse {
    /// The add-on's id in the tariff sheet.
    pub id: String,
    /// For add-ons priced per hour or per km: the quantity per calendar month (a part of a
    /// month gets its share by days). Add-ons priced per day are billed per calendar day and
    /// take no quantity.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub quantity_per_month: Option<Decimal>,
}

/// A change during the course. The course is re-priced from the change, and the quote shows
/// the difference to the original plan month by month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Intensify or reduce: another service from `from` to the end of the phase in effect
    /// then (or to `until`).
    Service(ServiceChange),
    /// An add-on from a date (to `until`, or the end of the course).
    AddOn(AddOnChange),
    /// An add-on ends: it is not billed from `from`.
    EndAddOn(EndAddOn),
    /// Termination with notice: billing runs to the end of the notice period.
    Terminate(Termination),
}

/// Another service from a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceChange {
    /// The first day of the new service.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub from: Date,
    /// The new service id (or give `package`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The new package number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<u32>,
    /// The last day of the new service; default the end of the phase in effect at `from`.
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub until: Option<Date>,
}

/// An add-on from a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOnChange {
    /// The first day billed.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub from: Date,
    /// The add-on's id in the tariff sheet.
    pub id: String,
    /// For add-ons per hour or km: quantity per calendar month.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub quantity_per_month: Option<Decimal>,
    /// The last day billed; default the end of the course.
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub until: Option<Date>,
}

/// The end of an add-on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAddOn {
    /// The first day no longer billed.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub from: Date,
    /// The add-on's id.
    pub id: String,
}

/// Termination with notice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Termination {
    /// The day notice is given.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub notice_given: Date,
    /// The notice period; default the billing settings' notice (one month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
}

/// A notice period *(convention)*: the course ends (ophørsdag) on the day notice is given
/// plus the period, billed up to and including that day — or, with `to_month_end`, up to the
/// end of that month.
///
/// Read from `{ months, days, to_month_end }`, of which `months` or `days` must be given: a
/// missing one is 0, so `{ "to_month_end": true }` alone would be no notice at all where the
/// default is a month; it is refused (`invalid_value`), and `{ "days": 0 }` is day to day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [{"required": ["months"]}, {"required": ["days"]}]))]
pub struct Notice {
    /// Calendar months (month ends clamp).
    #[serde(default)]
    pub months: u32,
    /// Days (0: day to day, as for acute places).
    #[serde(default)]
    pub days: u32,
    /// Extend to the last day of the month in which the notice expires.
    #[serde(default)]
    pub to_month_end: bool,
}

impl<'de> Deserialize<'de> for Notice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Notice, D::Error> {
        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum Field {
            Months,
            Days,
            ToMonthEnd,
        }
        // Read field by field in the notice's own visitor, so that which periods are given is
        // known, and a notice without one is refused at its path.
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Notice;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("struct Notice")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Notice, A::Error> {
                use serde::de::Error as _;
                let (mut months, mut days, mut to_month_end) = (None, None, None);
                while let Some(key) = map.next_key()? {
                    match key {
                        Field::Months if months.is_some() => {
                            return Err(A::Error::duplicate_field("months"))
                        }
                        Field::Days if days.is_some() => {
                            return Err(A::Error::duplicate_field("days"))
                        }
                        Field::ToMonthEnd if to_month_end.is_some() => {
                            return Err(A::Error::duplicate_field("to_month_end"))
                        }
                        Field::Months => months = Some(map.next_value()?),
                        Field::Days => days = Some(map.next_value()?),
                        Field::ToMonthEnd => to_month_end = Some(map.next_value()?),
                    }
                }
                let to_month_end = to_month_end.unwrap_or(false);
                if months.is_none() && days.is_none() {
                    return Err(serde::de::Error::custom(crate::error::Bilingual::new(
                        "invalid value: a notice without months or days, expected its period \
                         (e.g. { \"months\": 1 }; { \"days\": 0 } is day to day)",
                        "Ugyldig værdi: et opsigelsesvarsel uden måneder eller dage; angiv \
                         perioden (fx { \"months\": 1 }; { \"days\": 0 } er fra dag til dag).",
                    )));
                }
                Ok(Notice {
                    months: months.unwrap_or(0),
                    days: days.unwrap_or(0),
                    to_month_end,
                })
            }
        }
        d.deserialize_struct("Notice", &["months", "days", "to_month_end"], V)
    }
}

impl Notice {
    /// One month: the notice period of a termination without its own.
    pub const DEFAULT: Notice = Notice {
        months: 1,
        days: 0,
        to_month_end: false,
    };
}

impl Default for Notice {
    /// One month ([`Notice::DEFAULT`]).
    fn default() -> Self {
        Notice::DEFAULT
    }
}

/// How courses are billed *(conventions)*; every field has a default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Billing {
    /// The arrival day is billed. Default true.
    pub first_day: bool,
    /// The end day (ophørsdag) is billed ("til og med ophørsdagen"). Default true.
    pub last_day: bool,
    /// One line per calendar month per phase, priced per day (default), or full calendar
    /// months at the month tariff and partial months per day.
    pub invoicing: Invoicing,
    /// A-conto billing: each month is invoiced in advance, on its first day, instead of in
    /// arrears on the first day of the next month. Default false.
    pub in_advance: bool,
    /// The notice period of a termination without its own. Default one month.
    pub notice: Notice,
    /// Rounding of invoice lines. Default øre, half away from zero.
    pub line_rounding: Rounding,
    /// Show the same billed days on the offer's flat average tariff. Default true.
    pub comparison: bool,
}

impl Billing {
    /// The default conventions, as a constant.
    pub const DEFAULT: Billing = Billing {
        first_day: true,
        last_day: true,
        invoicing: Invoicing::PerDay,
        in_advance: false,
        notice: Notice::DEFAULT,
        line_rounding: Rounding::ORE,
        comparison: true,
    };
}

impl Default for Billing {
    /// [`Billing::DEFAULT`].
    fn default() -> Self {
        Billing::DEFAULT
    }
}

/// Every problem of the billing conventions, each at its path (`billing.…`).
pub(crate) fn check_billing(b: &Billing) -> Vec<Error> {
    let mut errors = Vec::new();
    if b.line_rounding.increment <= Decimal::ZERO {
        errors.push(Error::new(
            ErrorCode::NotPositive,
            "billing.line_rounding.increment",
            format!(
                "the rounding increment of invoice lines must be greater than 0, got {}",
                b.line_rounding.increment
            ),
            format!(
                "Afrundingstrinnet for fakturalinjer skal være større end 0, men er {}.",
                crate::danish::number(b.line_rounding.increment)
            ),
        ));
    }
    errors
}

/// How a calendar month is invoiced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Invoicing {
    /// Days × day tariff for every month (the default).
    #[default]
    PerDay,
    /// A calendar month billed in full at the month tariff; partial months per day.
    FullMonths,
}

/// Price and wage indexation (PL) of tariffs for years without a sheet.
///
/// Give `rates_pct` (the yearly rate: the tariff of year y is that of y − 1 × (1 + rate ÷
/// 100)) and/or `later_pct` (the rate of every year after the last in `rates_pct`), or
/// `values` (an index series: the tariff of year y is that of the sheet's year × value(y) ÷
/// value(sheet year)).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indexation {
    /// Cumulative (default): the sheet's tariff × the exact cumulative index, rounded once per
    /// year. Chained: each year's rounded tariff × that year's rate.
    #[serde(default)]
    pub method: IndexMethod,
    /// Yearly rates, e.g. `[{ "year": 2027, "pct": "2.1" }]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates_pct: Vec<YearRate>,
    /// The rate of every year after the last in `rates_pct` (of every year when it is
    /// empty), in per cent, e.g. `"1.96"`: a projection at one rate, however far a course
    /// reaches. Not with `values`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::digits::ser_opt_decimal"
    )]
    #[schemars(with = "Option<num::Num>")]
    pub later_pct: Option<Decimal>,
    /// Index values, e.g. `[{ "year": 2026, "value": "100" }, { "year": 2027, "value": "102.1" }]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<YearValue>,
    /// Rounding of an indexed tariff. Default øre, half away from zero.
    #[serde(default = "ore")]
    pub rounding: Rounding,
}

fn ore() -> Rounding {
    Rounding::ORE
}

impl Indexation {
    /// `later_pct` with the year after which it holds: the last of `rates_pct`, or `None`
    /// when none is listed (it holds for every year).
    pub(crate) fn later(&self) -> Option<(Option<i32>, Decimal)> {
        let rate = self.later_pct?;
        Some((self.rates_pct.iter().map(|r| r.year).max(), rate))
    }

    /// The rate that takes the tariffs into `year`: the year's own in `rates_pct`, else
    /// `later_pct` for a year after the last listed one.
    pub fn rate_pct(&self, year: i32) -> Option<Decimal> {
        if let Some(r) = self.rates_pct.iter().find(|r| r.year == year) {
            return Some(r.pct);
        }
        let (after, rate) = self.later()?;
        later_holds(after, year).then_some(rate)
    }
}

/// Whether `later_pct`, holding after the year `after` (every year when `None`), gives
/// `year` its rate.
pub(crate) fn later_holds(after: Option<i32>, year: i32) -> bool {
    after.is_none_or(|last| year > last)
}

/// How indexed tariffs are derived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndexMethod {
    /// The sheet's tariff × the cumulative index, rounded once per year.
    #[default]
    Cumulative,
    /// The previous year's rounded tariff × the year's rate, rounded.
    Chained,
}

/// The PL rate of one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearRate {
    /// The year the rate takes the tariffs into.
    pub year: i32,
    /// The rate in per cent, e.g. 1.96.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub pct: Decimal,
}

/// An index value of one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearValue {
    /// The year.
    pub year: i32,
    /// The index value (any base), e.g. 103.56.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub value: Decimal,
}
