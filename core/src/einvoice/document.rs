//! The documents e-invoicing writes, as the response lists them.

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::course::Month;

/// An invoice or a credit note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EinvoiceKind {
    /// An invoice (type code 380).
    Invoice,
    /// A credit note (type code 381), with positive amounts.
    CreditNote,
}

/// What a document bills or credits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EinvoiceSource {
    /// A month of course lines.
    Course,
    /// The difference a change made to a month already invoiced: a credit note where the
    /// month became cheaper, an invoice where it became dearer.
    CourseChange,
    /// A municipality's share of a returned surplus (settlement).
    Settlement,
}

/// One e-invoice document: its figures and its UBL 2.1 XML.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Einvoice {
    /// Invoice or credit note.
    pub kind: EinvoiceKind,
    /// What it bills or credits.
    pub source: EinvoiceSource,
    /// The document number.
    pub number: String,
    /// The paying municipality (as the courses name it).
    pub municipality: String,
    /// The course's id, when the document is for one course.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course: Option<String>,
    /// The month billed (absent for a settlement's credit note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<Month>,
    /// The issue date.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub issue_date: Date,
    /// The due date (invoices only).
    #[serde(with = "crate::date::option", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub due_date: Option<Date>,
    /// The sum of the lines (LineExtensionAmount), positive.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub net: Decimal,
    /// The VAT (0.00 when exempt).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat: Decimal,
    /// What is to be paid or credited: net + VAT (PayableAmount), positive.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub total: Decimal,
    /// A file name for the document (the number, made safe, and `.xml`).
    pub file_name: String,
    /// The document, UBL 2.1 XML in UTF-8.
    pub xml: String,
}
