//! Time-limited courses (domain reference §5): a citizen's phases over the calendar, priced
//! day by day at the tariff of each day's year, invoiced per calendar month per phase, with
//! changes, termination, the comparison with the flat average tariff, and caseloads.
//!
//! | file | rule |
//! |---|---|
//! | [`model`] | the course, its phases and changes, the billing conventions, the index |
//! | [`calendar`] | phases to dated segments (month phases from the course start, month-end clamping), changes, notice, calendar months |
//! | [`tariffs`] | the tariff in force for a service in a year: the year's sheet or PL indexation |
//! | this file | invoice lines, totals, the comparison with the flat tariff, the change report |
//! | [`caseload`] | many courses to a budget per paying municipality, month and year |
//!
//! Every invoice line is days × the tariff in force, rounded to øre once; the course total is
//! the sum of the lines, so the schedule always adds up to the total.

pub(crate) mod calendar;
pub(crate) mod caseload;
pub(crate) mod model;
pub(crate) mod tariffs;

use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, LineName, Op, Step, Subj, Unit};
use crate::sheet::{AddOnUnit, TariffSheet};

use calendar::{AddOnSpan, Origin, Plan, Segment};
use model::{Billing, Course, Invoicing};
use tariffs::{InForce, Key, Tariffs};

pub use caseload::{Caseload, MunicipalityBudget};
pub use model::{
    AddOnChange, AddOnUse, Change, EndAddOn, IndexMethod, Indexation, Notice, Phase, ServiceChange,
    Termination, YearRate, YearValue,
};
pub use tariffs::TariffSource;

/// A calendar month, written `"2026-03"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i16,
    /// The month, 1–12.
    pub month: i8,
}

impl Month {
    fn code(self) -> u32 {
        (self.year.max(0) as u32) * 100 + self.month.max(0) as u32
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
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
    pub quantity_per_month: Option<Decimal>,
    /// How the line is priced.
    pub basis: Basis,
    /// The tariff in force: a day tariff, a month tariff, or an add-on's unit price.
    #[schemars(with = "crate::num::Num")]
    pub tariff: Decimal,
    /// The year whose tariff applies.
    pub tariff_year: i32,
    /// Where the tariff came from.
    pub source: TariffSource,
    /// The amount, rounded once.
    #[schemars(with = "crate::num::Num")]
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
    pub amount: Decimal,
}

/// An amount for a year.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct YearAmount {
    /// The year.
    pub year: i32,
    /// The amount.
    #[schemars(with = "crate::num::Num")]
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
    pub course: Decimal,
    /// The same days at the average tariff.
    #[schemars(with = "crate::num::Num")]
    pub flat: Decimal,
    /// course − flat.
    #[schemars(with = "crate::num::Num")]
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
    pub course: Decimal,
    /// days × the average tariff in force.
    #[schemars(with = "crate::num::Num")]
    pub flat: Decimal,
    /// course − flat.
    #[schemars(with = "crate::num::Num")]
    pub difference: Decimal,
}

/// What the changes did to the price: credit (negative) and debit (positive) per month.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ChangeReport {
    /// Per month: the original plan, the changed course, and the difference.
    pub months: Vec<MonthChange>,
    /// The original plan in total.
    #[schemars(with = "crate::num::Num")]
    pub original: Decimal,
    /// The changed course in total.
    #[schemars(with = "crate::num::Num")]
    pub changed: Decimal,
    /// changed − original.
    #[schemars(with = "crate::num::Num")]
    pub difference: Decimal,
}

/// One month of a change report.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MonthChange {
    /// The month.
    pub month: Month,
    /// The original plan's amount.
    #[schemars(with = "crate::num::Num")]
    pub original: Decimal,
    /// The changed course's amount.
    #[schemars(with = "crate::num::Num")]
    pub changed: Decimal,
    /// changed − original: a credit when negative, a debit when positive.
    #[schemars(with = "crate::num::Num")]
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
    /// The invoice lines, by month.
    pub lines: Vec<InvoiceLine>,
    /// Totals per month.
    pub months: Vec<MonthAmount>,
    /// Totals per year.
    pub years: Vec<YearAmount>,
    /// The course total: the sum of the lines.
    #[schemars(with = "crate::num::Num")]
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
    fn clear(&mut self) {
        self.id = None;
        self.municipality = None;
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

const LINE_DAYS: Desc = Desc {
    key: "course[{a}].line[{b}].days",
    label: "Fakturerede dage, {l}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some(
        "kalenderen: dage i måneden inden for fasen (første og sidste dag efter \
         faktureringsreglerne)",
    ),
    path: "courses[{a}]",
};
const LINE: Desc = Desc {
    key: "course[{a}].line[{b}]",
    label: "{l}",
    unit: Unit::Kr,
    rule: "fakturerede dage × gældende takst, afrundet",
    source: Some("fakturalinje pr. kalendermåned pr. fase"),
    path: "courses[{a}]",
};
const LINE_MONTH: Desc = Desc {
    key: "course[{a}].line[{b}]",
    label: "{l}",
    unit: Unit::Kr,
    rule: "hel kalendermåned til månedstakst",
    source: Some("fakturering: hele måneder til månedstakst"),
    path: "courses[{a}]",
};
const LINE_DAYS_IN_MONTH: Desc = Desc {
    key: "course[{a}].line[{b}].days_in_month",
    label: "Dage i måneden, {l}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen"),
    path: "courses[{a}]",
};
const LINE_QUANTITY: Desc = Desc {
    key: "course[{a}].line[{b}].quantity_per_month",
    label: "Mængde pr. måned, {l}",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("forløbets tillægsydelse (quantity_per_month)"),
    path: "courses[{a}]",
};
const LINE_UNITS_PRODUCT: Desc = Desc {
    key: "course[{a}].line[{b}].month_amount_days",
    label: "Mængde × pris × dage, {l}",
    unit: Unit::Kr,
    rule: "mængde pr. måned × pris × fakturerede dage",
    source: Some("tillægsydelse pr. time eller km"),
    path: "courses[{a}]",
};
const LINE_UNITS: Desc = Desc {
    key: "course[{a}].line[{b}]",
    label: "{l}",
    unit: Unit::Kr,
    rule: "mængde pr. måned × pris × fakturerede dage ÷ dage i måneden, afrundet",
    source: Some("tillægsydelse pr. time eller km"),
    path: "courses[{a}]",
};
const ORIGINAL_LINE_DAYS: Desc = Desc {
    key: "course[{a}].original.line[{b}].days",
    label: "Oprindelig plan: fakturerede dage, {l}",
    ..LINE_DAYS
};
const ORIGINAL_LINE: Desc = Desc {
    key: "course[{a}].original.line[{b}]",
    label: "Oprindelig plan: {l}",
    ..LINE
};
const ORIGINAL_LINE_MONTH: Desc = Desc {
    key: "course[{a}].original.line[{b}]",
    label: "Oprindelig plan: {l}",
    ..LINE_MONTH
};
const ORIGINAL_LINE_DAYS_IN_MONTH: Desc = Desc {
    key: "course[{a}].original.line[{b}].days_in_month",
    label: "Oprindelig plan: dage i måneden, {l}",
    ..LINE_DAYS_IN_MONTH
};
const ORIGINAL_LINE_QUANTITY: Desc = Desc {
    key: "course[{a}].original.line[{b}].quantity_per_month",
    label: "Oprindelig plan: mængde pr. måned, {l}",
    ..LINE_QUANTITY
};
const ORIGINAL_LINE_UNITS_PRODUCT: Desc = Desc {
    key: "course[{a}].original.line[{b}].month_amount_days",
    label: "Oprindelig plan: mængde × pris × dage, {l}",
    ..LINE_UNITS_PRODUCT
};
const ORIGINAL_LINE_UNITS: Desc = Desc {
    key: "course[{a}].original.line[{b}]",
    label: "Oprindelig plan: {l}",
    ..LINE_UNITS
};
const MONTH_TOTAL: Desc = Desc {
    key: "course[{a}].month.{ym}",
    label: "Forløbet i {mn}",
    unit: Unit::Kr,
    rule: "sum af månedens fakturalinjer",
    source: None,
    path: "courses[{a}]",
};
const ORIGINAL_MONTH_TOTAL: Desc = Desc {
    key: "course[{a}].original.month.{ym}",
    label: "Oprindelig plan i {mn}",
    ..MONTH_TOTAL
};
const YEAR_TOTAL: Desc = Desc {
    key: "course[{a}].year.{b}",
    label: "Forløbet i {b}",
    unit: Unit::Kr,
    rule: "sum af årets måneder",
    source: None,
    path: "courses[{a}]",
};
const TOTAL: Desc = Desc {
    key: "course[{a}].total",
    label: "Forløbets samlede pris",
    unit: Unit::Kr,
    rule: "sum af alle fakturalinjer",
    source: None,
    path: "courses[{a}]",
};
const ORIGINAL_TOTAL: Desc = Desc {
    key: "course[{a}].original.total",
    label: "Den oprindelige plans samlede pris",
    ..TOTAL
};
const CHANGE_MONTH: Desc = Desc {
    key: "course[{a}].change.{ym}",
    label: "Ændring i {mn} (kredit når negativ, debet når positiv)",
    unit: Unit::Kr,
    rule: "ændret forløb − oprindelig plan",
    source: Some("initiativpligt: forløbet genberegnes fra ændringen"),
    path: "courses[{a}].changes",
};
const CHANGE_TOTAL: Desc = Desc {
    key: "course[{a}].change",
    label: "Ændringernes samlede virkning",
    unit: Unit::Kr,
    rule: "ændret forløb − oprindelig plan",
    source: Some("initiativpligt: forløbet genberegnes fra ændringen"),
    path: "courses[{a}].changes",
};
const FLAT_DAYS: Desc = Desc {
    key: "course[{a}].flat.{ym}.days",
    label: "Fakturerede dage i {mn}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen: forløbets dage i måneden"),
    path: "courses[{a}]",
};
const FLAT_MONTH: Desc = Desc {
    key: "course[{a}].flat.{ym}",
    label: "Samme dage til gennemsnitstaksten i {mn}",
    unit: Unit::Kr,
    rule: "dage × gennemsnitstakst, afrundet",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};
const COURSE_MONTH: Desc = Desc {
    key: "course[{a}].services.{ym}",
    label: "Forløbets ydelseslinjer i {mn}",
    unit: Unit::Kr,
    rule: "sum af månedens ydelseslinjer (uden tillæg)",
    source: None,
    path: "courses[{a}]",
};
const FLAT_TOTAL: Desc = Desc {
    key: "course[{a}].flat",
    label: "Samme dage til gennemsnitstaksten",
    unit: Unit::Kr,
    rule: "sum af månederne",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};
const MONTH_DIFFERENCE: Desc = Desc {
    key: "course[{a}].difference.{ym}",
    label: "Forløbsmodellen mod gennemsnitstaksten i {mn}",
    unit: Unit::Kr,
    rule: "forløbets ydelseslinjer − samme dage til gennemsnitstaksten",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};
const COURSE_SERVICES: Desc = Desc {
    key: "course[{a}].services",
    label: "Forløbets ydelseslinjer",
    unit: Unit::Kr,
    rule: "sum af månederne",
    source: None,
    path: "courses[{a}]",
};
const DIFFERENCE: Desc = Desc {
    key: "course[{a}].difference",
    label: "Forløbsmodellen mod gennemsnitstaksten",
    unit: Unit::Kr,
    rule: "forløbets ydelseslinjer − samme dage til gennemsnitstaksten",
    source: Some("sammenligning med den flade gennemsnitstakst"),
    path: "courses[{a}]",
};

const YEAR_SERVICES: Desc = Desc {
    key: "course[{a}].services.year.{b}",
    label: "Forløbets ydelseslinjer i {b}",
    unit: Unit::Kr,
    rule: "sum af årets ydelseslinjer (uden tillægsydelser)",
    source: None,
    path: "courses[{a}]",
};
const YEAR_DAYS: Desc = Desc {
    key: "course[{a}].days.{b}",
    label: "Fakturerede dage på forløbets ydelser i {b}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen: forløbets fakturerede dage i året"),
    path: "courses[{a}]",
};

/// One course's billing in one calendar year, for the sections that take their figures
/// from the courses (the settlement's revenue and billed days).
#[derive(Clone, Debug)]
pub(crate) struct CourseYear {
    /// The course's place in the request.
    pub course: usize,
    /// The offer it is at (its key).
    pub offer: u32,
    /// The calendar year.
    pub year: i32,
    /// The service lines billed for days of the year (add-ons are priced and settled apart).
    pub amount: Fig,
    /// Days billed at the course's services in the year.
    pub days: Fig,
}

/// The Desc set of a plan: the course as priced, or its original plan.
struct Descs {
    days: &'static Desc,
    line: &'static Desc,
    month_line: &'static Desc,
    days_in_month: &'static Desc,
    quantity: &'static Desc,
    units_product: &'static Desc,
    units: &'static Desc,
    month_total: &'static Desc,
    total: &'static Desc,
}

const PRICED: Descs = Descs {
    days: &LINE_DAYS,
    line: &LINE,
    month_line: &LINE_MONTH,
    days_in_month: &LINE_DAYS_IN_MONTH,
    quantity: &LINE_QUANTITY,
    units_product: &LINE_UNITS_PRODUCT,
    units: &LINE_UNITS,
    month_total: &MONTH_TOTAL,
    total: &TOTAL,
};

const ORIGINAL: Descs = Descs {
    days: &ORIGINAL_LINE_DAYS,
    line: &ORIGINAL_LINE,
    month_line: &ORIGINAL_LINE_MONTH,
    days_in_month: &ORIGINAL_LINE_DAYS_IN_MONTH,
    quantity: &ORIGINAL_LINE_QUANTITY,
    units_product: &ORIGINAL_LINE_UNITS_PRODUCT,
    units: &ORIGINAL_LINE_UNITS,
    month_total: &ORIGINAL_MONTH_TOTAL,
    total: &ORIGINAL_TOTAL,
};

/// A line under construction, with its figure.
#[derive(Clone)]
struct Priced {
    fig: Fig,
    service_line: bool,
}

/// Buffers reused from course to course.
#[derive(Default)]
struct Scratch<'c> {
    plan: Plan<'c>,
    original: Plan<'c>,
}

/// Prices courses from a set of tariff sheets.
pub(crate) struct Engine<'s> {
    pub tariffs: Tariffs<'s>,
    pub billing: &'s Billing,
    /// Lines of the plan being priced (reused).
    figs: Vec<Priced>,
    original_lines: Vec<InvoiceLine>,
    labels: rustc_hash::FxHashMap<(u32, Key), Arc<str>>,
    names: rustc_hash::FxHashMap<(u32, Key), Arc<str>>,
    zero: Option<Fig>,
    /// When set, each priced course's billing per calendar year is recorded here.
    pub years: Option<Vec<CourseYear>>,
}

impl<'s> Engine<'s> {
    pub fn new(tariffs: Tariffs<'s>, billing: &'s Billing) -> Engine<'s> {
        Engine {
            tariffs,
            billing,
            figs: Vec::new(),
            original_lines: Vec::new(),
            labels: rustc_hash::FxHashMap::default(),
            names: rustc_hash::FxHashMap::default(),
            zero: None,
            years: None,
        }
    }

    /// The shared id text of a key.
    fn label(&mut self, offer: u32, key: Key, text: impl FnOnce() -> String) -> Arc<str> {
        self.labels
            .entry((offer, key))
            .or_insert_with(|| Arc::from(text()))
            .clone()
    }

    /// Prices course `c` into `quote`.
    pub fn price(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        course: &Course,
        quote: &mut Quote,
    ) -> Result<(), Error> {
        quote.clear();
        let offer = self
            .tariffs
            .offer(course.offer.as_deref(), || calendar::at(c, ".offer"))?;
        quote.id = course.id.clone();
        quote.municipality = course.municipality.clone();
        quote
            .offer
            .push_str(self.tariffs.offers[offer as usize].key);
        quote.offer_name.push_str(self.tariffs.offer_name(offer));

        let mut scratch = Scratch::default();
        calendar::phases(c, course, &mut scratch.plan)?;
        let changed = !course.changes.is_empty();
        if changed {
            scratch.original = scratch.plan.clone();
            calendar::apply_changes(
                c,
                course,
                &self.billing.notice,
                &mut scratch.plan,
                &mut quote.warnings,
            )?;
        }
        let scale = self.billing.line_rounding.increment.scale();
        let totals = self.lines(ex, c, offer, &scratch.plan, &PRICED, quote, Lines::Quote)?;
        if let Some(years) = self.years.as_mut() {
            course_years(ex, c, offer, &quote.lines, &self.figs, years)?;
        }
        quote.total = match totals.total {
            Some(ref t) => amount_of(t.clone(), c, scale)?,
            None => Decimal::ZERO,
        };
        for seg in &scratch.plan.segments {
            let service = self.segment_label(offer, seg, c)?;
            let name = self.segment_name(offer, seg, c)?;
            quote.schedule.push(Scheduled {
                phase: seg.phase,
                service,
                name,
                part_time_days: seg.part_time,
                from: seg.from,
                to: seg.to,
                days: calendar::days_inclusive(seg.from, seg.to) as u32,
            });
        }
        if self.billing.comparison {
            self.compare(ex, c, offer, quote)?;
        }
        if changed {
            let mut original = Quote::default();
            std::mem::swap(&mut original.lines, &mut self.original_lines);
            let original_totals = self.lines(
                ex,
                c,
                offer,
                &scratch.original,
                &ORIGINAL,
                &mut original,
                Lines::Original,
            )?;
            std::mem::swap(&mut original.lines, &mut self.original_lines);
            quote.original_lines.clone_from(&self.original_lines);
            quote.changes = Some(change_report(
                ex,
                c,
                &totals,
                &original_totals,
                &mut self.zero,
                scale,
            )?);
        }
        Ok(())
    }

    fn segment_label(
        &mut self,
        offer: u32,
        seg: &Segment<'_>,
        c: usize,
    ) -> Result<Arc<str>, Error> {
        let key = self.tariffs.key(offer, seg.service, seg.part_time, || {
            origin_path(c, seg.origin)
        })?;
        let service = seg.service;
        Ok(self.label(offer, key, || match service {
            calendar::Service::Id(id) => id.to_string(),
            calendar::Service::Package(n) => format!("package[{n}]"),
        }))
    }

    /// The name a segment's lines bill by (shared by its lines).
    fn segment_name(&mut self, offer: u32, seg: &Segment<'_>, c: usize) -> Result<Arc<str>, Error> {
        let key = self.tariffs.key(offer, seg.service, seg.part_time, || {
            origin_path(c, seg.origin)
        })?;
        let tariffs = &self.tariffs;
        Ok(self
            .names
            .entry((offer, key))
            .or_insert_with(|| Arc::from(what(tariffs, offer, seg.service, seg.part_time, None)))
            .clone())
    }

    /// Prices a plan's lines into `quote` (lines sorted by month, month and year totals);
    /// returns the total.
    #[allow(clippy::too_many_arguments)]
    fn lines(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        plan: &Plan<'_>,
        d: &'static Descs,
        quote: &mut Quote,
        which: Lines,
    ) -> Result<Totals, Error> {
        let b = self.billing;
        let Some((first, last)) = plan.span() else {
            return Ok(Totals::default());
        };
        let unbilled = [
            (!b.first_day).then_some(first),
            (!b.last_day).then_some(last),
        ];
        let mut lines = std::mem::take(&mut quote.lines);
        lines.clear();
        self.figs.clear();
        let mut warn_years: Vec<i32> = Vec::new();
        for seg in &plan.segments {
            let path = || origin_path(c, seg.origin);
            let key = self.tariffs.key(offer, seg.service, seg.part_time, path)?;
            let service = self.segment_label(offer, seg, c)?;
            let name = self.segment_name(offer, seg, c)?;
            let mut current: Option<(i32, InForce)> = None;
            calendar::months(seg.from, seg.to, unbilled, |piece| {
                if piece.days <= 0 {
                    return Ok(());
                }
                let year = i32::from(piece.year);
                let t = match &current {
                    Some((y, t)) if *y == year => t.clone(),
                    _ => {
                        let t = self.tariffs.in_force(ex, offer, key, year, path)?;
                        current = Some((year, t.clone()));
                        t
                    }
                };
                if let TariffSource::Carried { year: used } = t.source {
                    if !warn_years.contains(&year) {
                        warn_years.push(year);
                        quote.warnings.push(carried(c, year, used));
                    }
                }
                let month = Month {
                    year: piece.year,
                    month: piece.month,
                };
                let line_index = ex
                    .line_name(|| line_name(&self.tariffs, offer, seg, None, piece.from, piece.to));
                let subj = Subj::two(c, line_index as u32);
                let full = b.invoicing == Invoicing::FullMonths && piece.full_month;
                let (fig, amount, tariff, basis) = match (full, t.month) {
                    (true, Some((month_tariff, month_fig))) => {
                        let (fig, amount) = ex.derive_rounded(
                            d.month_line,
                            subj,
                            Op::Round,
                            &[month_fig],
                            b.line_rounding,
                            Step::Derived,
                        )?;
                        (fig, amount, month_tariff, Basis::FullMonth)
                    }
                    _ => {
                        if full && which == Lines::Quote {
                            quote.warnings.push(Warning::new(
                                WarningCode::NoMonthTariff,
                                origin_path(c, seg.origin),
                                format!(
                                    "{month} is a full month, but the tariff has no month \
                                     tariff: billed per day"
                                ),
                                format!(
                                    "{} er en hel måned, men ydelsen har ingen \
                                     månedstakst, så måneden afregnes pr. dag.",
                                    crate::danish::capitalize(&crate::danish::month(
                                        month.year,
                                        month.month
                                    )),
                                ),
                            ));
                        }
                        let days = ex.constant_at(d.days, subj, Exact::from(piece.days))?;
                        let (fig, amount) = ex.derive_rounded(
                            d.line,
                            subj,
                            Op::Product,
                            &[days, t.day_fig],
                            b.line_rounding,
                            Step::Derived,
                        )?;
                        (fig, amount, t.day, Basis::PerDay)
                    }
                };
                lines.push(InvoiceLine {
                    month,
                    phase: seg.phase,
                    service: service.clone(),
                    add_on: None,
                    name: name.clone(),
                    unit: None,
                    from: piece.from,
                    to: piece.to,
                    days: piece.days as u32,
                    quantity_per_month: None,
                    basis,
                    tariff,
                    tariff_year: year,
                    source: t.source,
                    amount,
                    invoice_date: invoice_date(b, piece.from),
                });
                self.figs.push(Priced {
                    fig,
                    service_line: true,
                });
                Ok(())
            })?;
        }
        for span in &plan.add_ons {
            self.add_on_lines(ex, c, offer, span, plan, unbilled, d, &mut lines)?;
        }
        // By month (stable: phase order within a month).
        let mut order: Vec<usize> = (0..lines.len()).collect();
        order.sort_by_key(|&i| lines[i].month);
        if order.windows(2).any(|w| w[0] > w[1]) {
            lines = order.iter().map(|&i| lines[i].clone()).collect();
            self.figs = order.iter().map(|&i| self.figs[i].clone()).collect();
        }
        quote.days = lines
            .iter()
            .zip(&self.figs)
            .filter(|(_, f)| f.service_line)
            .map(|(l, _)| l.days)
            .sum();
        let scale = b.line_rounding.increment.scale();
        let totals = totals(ex, c, &lines, &self.figs, d, quote, which, scale)?;
        quote.lines = lines;
        Ok(totals)
    }

    #[allow(clippy::too_many_arguments)]
    fn add_on_lines(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        span: &AddOnSpan<'_>,
        plan: &Plan<'_>,
        unbilled: [Option<Date>; 2],
        d: &'static Descs,
        lines: &mut Vec<InvoiceLine>,
    ) -> Result<(), Error> {
        let b = self.billing;
        let path = || add_on_path(c, span);
        let key = self.tariffs.add_on_key(offer, span.id, path)?;
        let id = self.label(offer, key, || span.id.to_string());
        let tariffs = &self.tariffs;
        let name = self
            .names
            .entry((offer, key))
            .or_insert_with(|| {
                Arc::from(what(
                    tariffs,
                    offer,
                    calendar::Service::Id(span.id),
                    None,
                    Some(span.id),
                ))
            })
            .clone();
        // The service the add-on rides on: the segment at its first day.
        let service = plan
            .segments
            .iter()
            .find(|s| s.from <= span.from && span.from <= s.to)
            .map(|s| self.segment_label(offer, s, c))
            .transpose()?
            .unwrap_or_else(|| id.clone());
        let mut current: Option<(i32, InForce)> = None;
        calendar::months(span.from, span.to, unbilled, |piece| {
            if piece.days <= 0 {
                return Ok(());
            }
            let year = i32::from(piece.year);
            let t = match &current {
                Some((y, t)) if *y == year => t.clone(),
                _ => {
                    let t = self.tariffs.in_force(ex, offer, key, year, path)?;
                    current = Some((year, t.clone()));
                    t
                }
            };
            let month = Month {
                year: piece.year,
                month: piece.month,
            };
            let line_index = ex.line_name(|| {
                line_name(
                    &self.tariffs,
                    offer,
                    &Segment {
                        phase: span.phase,
                        service: calendar::Service::Id(span.id),
                        part_time: None,
                        from: span.from,
                        to: span.to,
                        origin: span.origin,
                    },
                    Some(span.id),
                    piece.from,
                    piece.to,
                )
            });
            let subj = Subj::two(c, line_index as u32);
            let days = ex.constant_at(d.days, subj, Exact::from(piece.days))?;
            let (fig, amount, quantity, basis) = match t.unit {
                AddOnUnit::Day => {
                    if span.quantity.is_some() {
                        return Err(Error::new(
                            ErrorCode::InvalidValue,
                            add_on_path(c, span) + ".quantity_per_month",
                            format!(
                                "the add-on {:?} is priced per day and takes no quantity",
                                span.id
                            ),
                            format!(
                                "Tillægsydelsen {:?} afregnes pr. dag og har ingen mængde.",
                                span.id
                            ),
                        ));
                    }
                    let (fig, amount) = ex.derive_rounded(
                        d.line,
                        subj,
                        Op::Product,
                        &[days, t.day_fig],
                        b.line_rounding,
                        Step::Derived,
                    )?;
                    (fig, amount, None, Basis::PerDay)
                }
                AddOnUnit::Hour | AddOnUnit::Km => {
                    let Some(q) = span.quantity else {
                        return Err(Error::new(
                            ErrorCode::MissingValue,
                            add_on_path(c, span) + ".quantity_per_month",
                            format!(
                                "the add-on {:?} is priced per hour or km: give quantity_per_month",
                                span.id
                            ),
                            format!(
                                "Tillægsydelsen {:?} afregnes pr. time eller km; angiv \
                                 `quantity_per_month`.",
                                span.id
                            ),
                        ));
                    };
                    if q < Decimal::ZERO {
                        return Err(Error::new(
                            ErrorCode::Negative,
                            add_on_path(c, span) + ".quantity_per_month",
                            "the quantity must not be negative",
                            format!(
                                "Mængden må ikke være under 0, men er {}.",
                                crate::danish::number(q)
                            ),
                        ));
                    }
                    let quantity = ex.constant_at(d.quantity, subj, q.into())?;
                    let dim = ex.constant_at(
                        d.days_in_month,
                        subj,
                        Exact::from(i64::from(piece.days_in_month)),
                    )?;
                    // quantity × price × days ÷ days in month, rounded once.
                    let product = ex.derive(
                        d.units_product,
                        subj,
                        Op::Product,
                        &[quantity, t.day_fig, days],
                    )?;
                    let (fig, amount) = ex.derive_rounded(
                        d.units,
                        subj,
                        Op::Quotient,
                        &[product, dim],
                        b.line_rounding,
                        Step::Derived,
                    )?;
                    (fig, amount, Some(q), Basis::PerUnit)
                }
            };
            lines.push(InvoiceLine {
                month,
                phase: span.phase,
                service: service.clone(),
                add_on: Some(id.clone()),
                name: name.clone(),
                unit: Some(t.unit),
                from: piece.from,
                to: piece.to,
                days: piece.days as u32,
                quantity_per_month: quantity,
                basis,
                tariff: t.day,
                tariff_year: year,
                source: t.source,
                amount,
                invoice_date: invoice_date(b, piece.from),
            });
            self.figs.push(Priced {
                fig,
                service_line: false,
            });
            Ok(())
        })
    }

    /// The comparison with the flat average tariff: the same billed service days.
    fn compare(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        offer: u32,
        quote: &mut Quote,
    ) -> Result<(), Error> {
        let b = self.billing;
        let scale = b.line_rounding.increment.scale();
        let mut months = Vec::new();
        let mut course_figs = Vec::new();
        let mut flat_figs = Vec::new();
        let lines = std::mem::take(&mut quote.lines);
        let mut i = 0;
        while i < lines.len() {
            let month = lines[i].month;
            let mut j = i;
            let (mut days, mut members) = (0u32, Vec::new());
            while j < lines.len() && lines[j].month == month {
                if self.figs[j].service_line {
                    days += lines[j].days;
                    members.push(self.figs[j].fig.clone());
                }
                j += 1;
            }
            i = j;
            if members.is_empty() {
                continue;
            }
            let year = i32::from(month.year);
            let avg = match self
                .tariffs
                .in_force(ex, offer, Key::Average, year, || calendar::at(c, ""))
            {
                Ok(t) => t,
                Err(_) => {
                    quote.warnings.push(Warning::new(
                        WarningCode::NoAverageTariff,
                        calendar::at(c, ""),
                        "the tariff sheet has no average tariff, so the course is not compared with it",
                        "Takstbladet har ingen gennemsnitstakst, så forløbet sammenlignes ikke \
                         med den.",
                    ));
                    quote.lines = lines;
                    return Ok(());
                }
            };
            let subj = Subj::two(c, month.code());
            let day_fig = ex.constant_at(&FLAT_DAYS, subj, Exact::from(days))?;
            let (flat, flat_amount) = ex.derive_rounded(
                &FLAT_MONTH,
                subj,
                Op::Product,
                &[day_fig, avg.day_fig],
                b.line_rounding,
                Step::Derived,
            )?;
            let course = ex.derive(&COURSE_MONTH, subj, Op::Sum, &members)?;
            let difference = ex.derive(
                &MONTH_DIFFERENCE,
                subj,
                Op::Difference,
                &[course.clone(), flat.clone()],
            )?;
            months.push(MonthComparison {
                month,
                days,
                course: amount_of(course.clone(), c, scale)?,
                flat: flat_amount,
                difference: amount_of(difference, c, scale)?,
            });
            course_figs.push(course);
            flat_figs.push(flat);
        }
        quote.lines = lines;
        let subj = Subj::one(c);
        let course = ex.derive(&COURSE_SERVICES, subj, Op::Sum, &course_figs)?;
        let flat = ex.derive(&FLAT_TOTAL, subj, Op::Sum, &flat_figs)?;
        let difference = ex.derive(
            &DIFFERENCE,
            subj,
            Op::Difference,
            &[course.clone(), flat.clone()],
        )?;
        quote.comparison = Some(Comparison {
            months,
            course: amount_of(course, c, scale)?,
            flat: amount_of(flat, c, scale)?,
            difference: amount_of(difference, c, scale)?,
        });
        Ok(())
    }
}

/// Records a course's service lines per calendar year (lines are in month order).
fn course_years(
    ex: &mut Explanation,
    c: usize,
    offer: u32,
    lines: &[InvoiceLine],
    figs: &[Priced],
    out: &mut Vec<CourseYear>,
) -> Result<(), Error> {
    let mut i = 0;
    while i < lines.len() {
        let year = lines[i].month.year;
        let (mut members, mut days) = (Vec::new(), 0i64);
        while i < lines.len() && lines[i].month.year == year {
            if figs[i].service_line {
                members.push(figs[i].fig.clone());
                days += i64::from(lines[i].days);
            }
            i += 1;
        }
        if members.is_empty() {
            continue;
        }
        let subj = Subj::two(c, year.unsigned_abs().into());
        out.push(CourseYear {
            course: c,
            offer,
            year: i32::from(year),
            amount: ex.derive(&YEAR_SERVICES, subj, Op::Sum, &members)?,
            days: ex.constant_at(&YEAR_DAYS, subj, Exact::from(days))?,
        });
    }
    Ok(())
}

/// Which lines are being priced.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    Quote,
    Original,
}

/// The figures of a plan's totals.
#[derive(Default)]
struct Totals {
    total: Option<Fig>,
    months: Vec<(Month, Fig)>,
}

/// Month totals, year totals and the total of sorted lines.
#[allow(clippy::too_many_arguments)]
fn totals(
    ex: &mut Explanation,
    c: usize,
    lines: &[InvoiceLine],
    figs: &[Priced],
    d: &'static Descs,
    quote: &mut Quote,
    which: Lines,
    scale: u32,
) -> Result<Totals, Error> {
    let mut out = Totals::default();
    let mut members: Vec<Fig> = Vec::new();
    let mut year_members: Vec<Fig> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let month = lines[i].month;
        members.clear();
        let mut j = i;
        while j < lines.len() && lines[j].month == month {
            members.push(figs[j].fig.clone());
            j += 1;
        }
        let f = ex.derive(d.month_total, Subj::two(c, month.code()), Op::Sum, &members)?;
        quote.months.push(MonthAmount {
            month,
            amount: amount_of(f.clone(), c, scale)?,
        });
        out.months.push((month, f.clone()));
        year_members.push(f);
        // A year ends where the next month is of another year.
        let next_year = lines.get(j).map(|l| l.month.year);
        if which == Lines::Quote && next_year != Some(month.year) {
            let y = ex.derive(
                &YEAR_TOTAL,
                Subj::two(c, month.year as u32),
                Op::Sum,
                &year_members,
            )?;
            quote.years.push(YearAmount {
                year: i32::from(month.year),
                amount: amount_of(y, c, scale)?,
            });
            year_members.clear();
        }
        i = j;
    }
    let month_figs: Vec<Fig> = out.months.iter().map(|(_, f)| f.clone()).collect();
    out.total = Some(ex.derive(d.total, Subj::one(c), Op::Sum, &month_figs)?);
    Ok(out)
}

/// A sum of rounded amounts as a `Decimal` (it always has a finite decimal form), written
/// with the scale of the lines (`"375507.00"`).
fn amount_of(f: Fig, c: usize, scale: u32) -> Result<Decimal, Error> {
    let mut d = f.v.to_decimal().ok_or_else(|| {
        Error::new(
            ErrorCode::Overflow,
            calendar::at(c, ""),
            "the amount is too large",
            "Beløbet er for stort til at regne med.",
        )
    })?;
    if d.scale() < scale {
        d.rescale(scale);
    }
    Ok(d)
}

const ZERO: Desc = Desc {
    key: "const.zero",
    label: "Nul",
    unit: Unit::Kr,
    rule: "fast værdi",
    source: Some("en måned uden fakturalinjer"),
    path: "courses",
};

/// The change report: each month of the changed course against the original plan.
fn change_report(
    ex: &mut Explanation,
    c: usize,
    changed: &Totals,
    original: &Totals,
    zero: &mut Option<Fig>,
    scale: u32,
) -> Result<ChangeReport, Error> {
    let mut zero_fig = |ex: &mut Explanation| -> Result<Fig, Error> {
        match zero {
            Some(z) => Ok(z.clone()),
            None => {
                let z = ex.constant(&ZERO, Exact::ZERO)?;
                *zero = Some(z.clone());
                Ok(z)
            }
        }
    };
    let mut months: Vec<MonthChange> = Vec::new();
    let (mut a, mut b) = (0, 0);
    let (new, old) = (&changed.months, &original.months);
    loop {
        let (month, x, y) = match (new.get(a), old.get(b)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                a += 1;
                b += 1;
                (x.0, x.1.clone(), y.1.clone())
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                a += 1;
                (x.0, x.1.clone(), zero_fig(ex)?)
            }
            (Some(x), None) => {
                a += 1;
                (x.0, x.1.clone(), zero_fig(ex)?)
            }
            (_, Some(y)) => {
                b += 1;
                (y.0, zero_fig(ex)?, y.1.clone())
            }
            (None, None) => break,
        };
        let diff = ex.derive(
            &CHANGE_MONTH,
            Subj::two(c, month.code()),
            Op::Difference,
            &[x.clone(), y.clone()],
        )?;
        if !diff.v.is_zero() {
            months.push(MonthChange {
                month,
                original: amount_of(y, c, scale)?,
                changed: amount_of(x, c, scale)?,
                difference: amount_of(diff, c, scale)?,
            });
        }
    }
    let (Some(new_total), Some(old_total)) = (changed.total.clone(), original.total.clone()) else {
        return Err(Error::new(
            ErrorCode::Internal,
            calendar::at(c, ""),
            "a plan without a total",
            "En plan uden total (en fejl i takst).",
        ));
    };
    let diff = ex.derive(
        &CHANGE_TOTAL,
        Subj::one(c),
        Op::Difference,
        &[new_total.clone(), old_total.clone()],
    )?;
    Ok(ChangeReport {
        months,
        original: amount_of(old_total, c, scale)?,
        changed: amount_of(new_total, c, scale)?,
        difference: amount_of(diff, c, scale)?,
    })
}

fn invoice_date(b: &Billing, day: Date) -> Date {
    let first = day.first_of_month();
    if b.in_advance {
        first
    } else {
        first.checked_add(jiff::ToSpan::months(1)).unwrap_or(first)
    }
}

fn carried(c: usize, year: i32, used: i32) -> Warning {
    Warning::new(
        WarningCode::TariffYearUnknown,
        calendar::at(c, ""),
        format!(
            "no tariff sheet or price and wage index reaches {year}; the days of {year} are \
             priced at the tariff of {used}"
        ),
        format!(
            "Intet takstblad og ingen PL-fremskrivning dækker {year}; dagene i {year} er \
             prissat med taksten for {used}."
        ),
    )
}

fn origin_path(c: usize, o: Origin) -> String {
    match o {
        Origin::Phase(j) => calendar::at(c, format_args!(".phases[{j}]")),
        Origin::Change(k) => calendar::at(c, format_args!(".changes[{k}].service")),
    }
}

fn add_on_path(c: usize, a: &AddOnSpan<'_>) -> String {
    match a.origin {
        Origin::Phase(j) => calendar::at(c, format_args!(".phases[{j}].add_ons[{}]", a.index)),
        Origin::Change(k) => calendar::at(c, format_args!(".changes[{k}].add_on")),
    }
}

fn line_name(
    tariffs: &Tariffs<'_>,
    offer: u32,
    seg: &Segment<'_>,
    add_on: Option<&str>,
    from: Date,
    to: Date,
) -> LineName {
    LineName {
        what: what(tariffs, offer, seg.service, seg.part_time, add_on),
        from: Some(from),
        to: Some(to),
    }
}

/// What a line bills, in words: the service's or add-on's name on the sheet ("Pakke 3",
/// "Gennemsnitstakst"), with its part-time days.
fn what(
    tariffs: &Tariffs<'_>,
    offer: u32,
    service: calendar::Service<'_>,
    part_time: Option<u32>,
    add_on: Option<&str>,
) -> String {
    let what = match (add_on, service) {
        (Some(id), _) => tariffs.add_on_name_of(offer, id).unwrap_or(id).to_string(),
        (None, calendar::Service::Id("average")) => "Gennemsnitstakst".to_string(),
        (None, calendar::Service::Id(id)) => tariffs.name_of(offer, id).unwrap_or(id).to_string(),
        (None, calendar::Service::Package(n)) => format!("Pakke {n}"),
    };
    match part_time {
        Some(d) => format!("{what}, deltid {d} dage om ugen"),
        None => what,
    }
}

/// Tariff sheets validated and held for pricing courses, as a Rust API (the request path
/// prices courses in the same explanation as the tariffs).
pub struct Pricer<'s> {
    ex: Explanation,
    engine: Engine<'s>,
}

impl<'s> Pricer<'s> {
    /// Holds `sheets` (each checked like a catalogue) for pricing courses with the given
    /// index and billing conventions.
    ///
    /// # Example
    ///
    /// ```
    /// use takst::{Billing, Course, Indexation, Pricer};
    ///
    /// let sheet = takst::Offer::sample().compute().unwrap().sheet;
    /// let (index, billing) = (Indexation::default(), Billing::default());
    /// let sheets = [sheet];
    /// let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap();
    /// let course: Course = serde_json::from_str(r#"{
    ///     "start": "2026-03-01",
    ///     "phases": [{"service": "udredning", "months": 1}, {"service": "udvikling", "months": 2}]
    /// }"#).unwrap();
    /// let quote = pricer.price(&course).unwrap();
    /// // March at 4,801 and April–May at 3,716 kr per døgn: 31 × 4,801 + 61 × 3,716.
    /// assert_eq!(quote.total.to_string(), "375507.00");
    /// assert_eq!(quote.lines.len(), 3);
    /// ```
    pub fn new(
        sheets: &'s [TariffSheet],
        indexation: &'s model::Indexation,
        billing: &'s Billing,
    ) -> Result<Pricer<'s>, Errors> {
        let mut ex = Explanation::new(false);
        let mut held = Vec::with_capacity(sheets.len());
        for (k, sheet) in sheets.iter().enumerate() {
            let (_, figs) = crate::format::catalogue::read(
                sheet,
                crate::format::catalogue::Place::Listed(k),
                &mut ex,
            )?;
            held.push((sheet, figs));
        }
        let tariffs = Tariffs::new(held, indexation)?;
        Ok(Pricer {
            ex,
            engine: Engine::new(tariffs, billing),
        })
    }

    /// Prices a course.
    pub fn price(&mut self, course: &Course) -> Result<Quote, Errors> {
        let mut quote = Quote::default();
        self.price_into(course, &mut quote)?;
        Ok(quote)
    }

    /// Prices a course into `quote`, reusing its buffers (for pricing many courses).
    pub fn price_into(&mut self, course: &Course, quote: &mut Quote) -> Result<(), Errors> {
        self.price_at(0, course, quote)
    }

    /// [`Self::price_into`] for course number `index` of a batch: error paths name it
    /// (`courses[17].phases[1].service`).
    pub fn price_at(
        &mut self,
        index: usize,
        course: &Course,
        quote: &mut Quote,
    ) -> Result<(), Errors> {
        self.engine
            .price(&mut self.ex, index, course, quote)
            .map_err(Errors::from)
    }
}
