//! What each figure of a course's lines is: the descriptions of the lines and totals, for
//! the course as priced ([`PRICED`]) and for its original plan ([`ORIGINAL`]); and what a line
//! bills, in words.

use std::sync::Arc;

use jiff::civil::Date;

use crate::course::calendar;
use crate::course::tariffs::Tariffs;
use crate::explain::{Desc, LineName, Unit};

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
pub(super) const YEAR_TOTAL: Desc = Desc {
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

/// The Desc set of a plan: the course as priced, or its original plan.
pub(in crate::course) struct Descs {
    pub(super) days: &'static Desc,
    pub(super) line: &'static Desc,
    pub(super) month_line: &'static Desc,
    pub(super) days_in_month: &'static Desc,
    pub(super) quantity: &'static Desc,
    pub(super) units_product: &'static Desc,
    pub(super) units: &'static Desc,
    pub(super) month_total: &'static Desc,
    pub(super) total: &'static Desc,
}

pub(in crate::course) const PRICED: Descs = Descs {
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

pub(in crate::course) const ORIGINAL: Descs = Descs {
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

pub(super) const YEAR_SERVICES: Desc = Desc {
    key: "course[{a}].services.year.{b}",
    label: "Forløbets ydelseslinjer i {b}",
    unit: Unit::Kr,
    rule: "sum af årets ydelseslinjer (uden tillægsydelser)",
    source: None,
    path: "courses[{a}]",
};
pub(super) const YEAR_DAYS: Desc = Desc {
    key: "course[{a}].days.{b}",
    label: "Fakturerede dage på forløbets ydelser i {b}",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("kalenderen: forløbets fakturerede dage i året"),
    path: "courses[{a}]",
};

/// A line's name for the explanation: what it bills (the quote line's `name`, the same text
/// [`what`] makes, shared rather than made again per line) and its days.
pub(super) fn line_name(what: &Arc<str>, from: Date, to: Date) -> LineName {
    LineName {
        what: what.clone(),
        from: Some(from),
        to: Some(to),
    }
}

/// What a line bills, in words: the service's or add-on's name on the sheet ("Pakke 3",
/// "Gennemsnitstakst"), with its part-time days. Shared by the lines of its key: made once,
/// straight into the shared text.
pub(in crate::course) fn what(
    tariffs: &Tariffs<'_>,
    offer: u32,
    service: calendar::Service<'_>,
    part_time: Option<u32>,
    add_on: Option<&str>,
) -> Arc<str> {
    let what: std::borrow::Cow<'_, str> = match (add_on, service) {
        (Some(id), _) => tariffs.add_on_name_of(offer, id).unwrap_or(id).into(),
        (None, calendar::Service::Id("average")) => "Gennemsnitstakst".into(),
        (None, calendar::Service::Id(id)) => tariffs.name_of(offer, id).unwrap_or(id).into(),
        (None, calendar::Service::Package(n)) => format!("Pakke {n}").into(),
    };
    match part_time {
        Some(d) => Arc::from(format!("{what}, deltid {d} dage om ugen")),
        None => Arc::from(what.as_ref()),
    }
}
