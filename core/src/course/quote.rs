//! What a priced course is: the schedule, the invoice lines month by month, the totals,
//! the comparison with the flat average tariff and the change report — the response's
//! `courses[i]`.

use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::Warning;
use crate::sheet::AddOnUnit;

use super::tariffs::TariffSource;

/// A calendar month, written `"2026-03"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i16,
    /// The month, 1–12.
    pub month: i8,
}

impl Month {
    pub(crate) fn code(self) -> u32 {
        (self.year.max(0) as u32) * 100 + self.month.max(0) as u32
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Month {
    /// `"YYYY-MM"` as ASCII bytes without the formatting machinery (a response writes one per
    /// invoice line and month), for years 0–9999 and months 1–12; `None` otherwise.
    pub(crate) fn ascii(self) -> Option<[u8; 7]> {
        crate::date::year_month_ascii(self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.ascii() {
            Some(bytes) => match std::str::from_utf8(&bytes) {
                Ok(text) => s.serialize_str(text),
                Err(_) => s.collect_str(self),
            },
            None => s.collect_str(self),
        }
    }
}

impl JsonSchema for Month {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Month".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A calendar month, YYYY-MM.",
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"
        })
    }
}

/// How an invoice line is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Billed days × the day tariff.
    PerDay,
    /// A whole calendar month at the month tariff.
    FullMonth,
    /// An add-on per hour or km: quantity per month × price × the month's share of days.
    PerUnit,
}

/// One invoice line: one calendar month of one phase (or add-on), priced at the tariff in
/// force that year. The line records the tariff and where it came from, so re-pricing
/// never rewrites history.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct InvoiceLine {
    /// The calendar month.
    pub month: Month,
    /// The phase (index in the course's phases) the days belong to.
    pub phase: u32,
    /// The service billed (an add-on line names the add-on in `add_on`).
    pub service: Arc<str>,
    /// For an add-on line: the add-on's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_on: Option<Arc<str>>,
    /// What the line bills, by its name on the tariff sheet: the service's name (with its
    /// part-time days), or the add-on's.
    pub name: Arc<str>,
    /// For an add-on line: the unit its price is per (day, hour, km).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<AddOnUnit>,
    /// The first day of the line.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub from: Date,
    /// The last day of the line.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub to: Date,
    /// Days billed.
    pub days: u32,
    /// For add-ons per hour or km: the quantity per month (the line bills its share by days).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub quantity_per_month: Option<Decimal>,
    /// How the line is priced.
    pub basis: Basis,
    /// The tariff in force: a day tariff, a month tariff, or an add-on's unit price.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub tariff: Decimal,
    /// The year whose tariff applies.
    pub tariff_year: i32,
    /// Where the tariff came from.
    pub source: TariffSource,
    /// The amount, rounded once.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
    /// The day the line is invoiced: in arrears, the first of the next month; a conto, the
    /// first of the month.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub invoice_date: Date,
}

/// A dated piece of the course at one service (phases after changes).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Scheduled {
    /// The phase.
    pub phase: u32,
    /// The service.
    pub service: Arc<str>,
    /// The service's name on the tariff sheet.
    pub name: Arc<str>,
    /// Part-time days per week, if part-time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_time_days: Option<u32>,
    /// First day.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub from: Date,
    /// Last day.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub to: Date,
    /// Calendar days from `from` to `to`.
    pub days: u32,
}

/// An amount for a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct MonthAmount {
    /// The month.
    pub month: Month,
    /// The amount.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}

/// An amount for a year.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct YearAmount {
    /// The year.
    pub year: i32,
    /// The amount.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}

/// The course model against the flat average tariff for the same billed days.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Comparison {
    /// Per month: the course's service lines, the same days at the average tariff, and the
    /// difference (negative: the course model costs less).
    pub months: Vec<MonthComparison>,
    /// The service lines in total (add-ons are billed alike under both models).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub course: Decimal,
    /// The same days at the average tariff.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub flat: Decimal,
    /// course − flat.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub difference: Decimal,
}

/// One month of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MonthComparison {
    /// The month.
    pub month: Month,
    /// Days billed at the course's services.
    pub days: u32,
    /// The course's service lines.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub course: Decimal,
    /// days × the average tariff in force.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub flat: Decimal,
    /// course − flat.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub difference: Decimal,
}

/// What the changes did to the price: credit (negative) and debit (positive) per month.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ChangeReport {
    /// Per month: the original plan, the changed course, and the difference.
    pub months: Vec<MonthChange>,
    /// The original plan in total.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub original: Decimal,
    /// The changed course in total.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub changed: Decimal,
    /// changed − original.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub difference: Decimal,
}

/// One month of a change report.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MonthChange {
    /// The month.
    pub month: Month,
    /// The original plan's amount.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub original: Decimal,
    /// The changed course's amount.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub changed: Decimal,
    /// changed − original: a credit when negative, a debit when positive.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub difference: Decimal,
}

/// A priced course.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
pub struct Quote {
    /// The course's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The paying municipality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The offer (its id on the tariff sheet).
    pub offer: String,
    /// The offer's name on the tariff sheet.
    pub offer_name: String,
    /// The course's pieces as dated (after changes and termination).
    pub schedule: Vec<Scheduled>,
    /// The invoice lines, by month (left out of a response asked for without them:
    /// `options.lines`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<InvoiceLine>,
    /// Totals per month.
    pub months: Vec<MonthAmount>,
    /// Totals per year.
    pub years: Vec<YearAmount>,
    /// The course total: the sum of the lines.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub total: Decimal,
    /// Days billed at the course's services.
    pub days: u32,
    /// The comparison with the flat average tariff (when the sheet has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// The difference the changes made (when the course has changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<ChangeReport>,
    /// Doubtful aspects (also listed in the response's warnings).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
    /// The original plan's invoice lines, when the course has changes (the response shows
    /// only their month totals, in `changes`): what was invoiced for months invoiced before
    /// the changes, from which e-invoicing writes the credit notes.
    #[serde(skip)]
    pub original_lines: Vec<InvoiceLine>,
}

impl Quote {
    /// Empties the quote for the next course, keeping its buffers; `id` and `municipality`
    /// are left for the engine to overwrite (`clone_from`, which keeps their texts'
    /// buffers), and the comparison for it to take apart.
    pub(super) fn clear(&mut self) {
        self.offer.clear();
        self.offer_name.clear();
        self.schedule.clear();
        self.lines.clear();
        self.months.clear();
        self.years.clear();
        self.total = Decimal::ZERO;
        self.days = 0;
        self.comparison = None;
        self.changes = None;
        self.warnings.clear();
        self.original_lines.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::Month;

    #[test]
    fn a_month_is_written_as_its_display() {
        for (year, month) in [
            (2026, 3),
            (2027, 12),
            (0, 1),
            (9999, 12),
            (10000, 1),
            (-1, 5),
            (2026, 13),
            (2026, 0),
        ] {
            let m = Month { year, month };
            let json = serde_json::to_string(&m).unwrap_or_default();
            assert_eq!(json, format!("\"{m}\""), "{year}-{month}");
        }
        assert_eq!(
            serde_json::to_string(&Month {
                year: 2026,
                month: 9
            })
            .unwrap_or_default(),
            "\"2026-09\""
        );
    }
}
