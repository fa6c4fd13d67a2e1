//! What a request's `einvoicing` section gives: the profile and grouping, the parties, the
//! references the municipality asks for, the dates, payment means, VAT and numbering.

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::Month;
use crate::num;

/// E-invoices from the priced courses (and a settlement's refunds): one invoice per paying
/// municipality per course per month by default, UBL 2.1 XML in the Peppol BIS Billing 3.0
/// profile (or OIOUBL 3).
///
/// Every field that the validation rules need is required here, so a missing one is an
/// error with its path rather than a document the municipality's system rejects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Einvoicing {
    /// The document profile. Default `peppol_bis3`.
    #[serde(default)]
    pub profile: Profile,
    /// Which lines make one document. Default `per_course`.
    #[serde(default)]
    pub grouping: Grouping,
    /// The provider who invoices.
    pub seller: Seller,
    /// The paying municipalities, each linked to courses by `municipality`.
    pub buyers: Vec<Buyer>,
    /// References of single courses (the citizen's bevilling or case number, the case
    /// worker), overriding the buyer's for that course.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<CourseReferences>,
    /// The issue date of every document. Default: each month's invoice date by the billing
    /// conventions (in arrears the first of the next month, a conto the first of the month).
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub issue_date: Option<Date>,
    /// Days from the issue date to the due date. Give this or `due_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms_days: Option<u32>,
    /// One due date for every invoice. Give this or `payment_terms_days`.
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub due_date: Option<Date>,
    /// How the municipality pays.
    pub payment_means: PaymentMeans,
    /// VAT. Default: exempt (social services), category E with its exemption reason.
    #[serde(default)]
    pub vat: Vat,
    /// Document numbers: `prefix` + a running number from `start`.
    #[serde(default)]
    pub number: Numbering,
    /// The last month already invoiced (`"YYYY-MM"`), by the courses as originally planned.
    /// Months up to it get no invoice again; where a change lowered a month's amount, a
    /// credit note for the difference (where it raised it, an invoice for the difference).
    #[serde(
        default,
        with = "month_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Month>")]
    pub invoiced_through: Option<Month>,
    /// Refund each paying municipality's share of a returned surplus (the settlement's
    /// split by municipality) as a credit note. Default `false`: a surplus lowers the tariffs
    /// of a later year instead.
    #[serde(default, skip_serializing_if = "is_false")]
    pub settlement_refunds: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The document profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Peppol BIS Billing 3.0 (EN 16931), as NemHandel carries it.
    #[default]
    #[serde(rename = "peppol_bis3")]
    PeppolBis3,
    /// OIOUBL 3 (the Danish Business Authority's profile of EN 16931).
    #[serde(rename = "oioubl3")]
    Oioubl3,
}

/// Which lines make one document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// One document per paying municipality per course per month.
    #[default]
    PerCourse,
    /// One document per paying municipality per month, covering all its citizens' courses
    /// (each line names its course).
    PerMunicipality,
}

/// A postal address (Danish form: street and building number, postal code and city).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street name.
    pub street: String,
    /// Building number (OIOUBL writes it apart; Peppol after the street).
    pub building_number: String,
    /// A second address line (floor, department, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_street: Option<String>,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_zone: String,
    /// ISO 3166-1 alpha-2 country code. Default `"DK"`.
    #[serde(default = "dk")]
    pub country: String,
}

fn dk() -> String {
    "DK".to_string()
}

/// A contact point.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name or department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Telephone, with country code (`+45…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The provider who invoices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Seller {
    /// Legal name.
    pub name: String,
    /// CVR number (8 digits), the legal registration (scheme 0184).
    pub cvr: String,
    /// VAT (SE) number, `DK` + 8 digits: EN 16931 needs it on an exempt invoice too
    /// (BR-E-02) and on one with VAT (BR-S-02).
    pub vat_number: String,
    /// EAN/GLN location number (13 digits): when given it is the electronic address
    /// (scheme 0088); otherwise the CVR number is (scheme 0184).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gln: Option<String>,
    /// Postal address.
    pub address: Address,
    /// Who to contact about the invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

/// A paying municipality as the documents address it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// The municipality as the courses name it (`courses[i].municipality`).
    pub municipality: String,
    /// Legal name (`"Aarhus Kommune"`).
    pub name: String,
    /// EAN/GLN location number (13 digits with a valid check digit): the electronic address
    /// the invoice is sent to (scheme 0088).
    pub gln: String,
    /// CVR number (8 digits). Required by OIOUBL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvr: Option<String>,
    /// Postal address.
    pub address: Address,
    /// The buyer reference (BT-10) the municipality asks for. A document needs this or
    /// `order_reference`; never a CPR number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_reference: Option<String>,
    /// The order reference (BT-13): the municipality's case or bevilling number. Never a
    /// CPR number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_reference: Option<String>,
    /// The person reference: the municipality's contact for the case (BT-56). Never a CPR
    /// number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_reference: Option<String>,
    /// The contact's telephone (with country code) and e-mail, written with the person
    /// reference. OIOUBL requires both whenever a contact is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

/// References of one course, overriding the buyer's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseReferences {
    /// The course's id (`courses[i].id`).
    pub course: String,
    /// The buyer reference (BT-10) for this course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_reference: Option<String>,
    /// The order reference (BT-13): the citizen's bevilling or case number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_reference: Option<String>,
    /// The person reference (the case worker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_reference: Option<String>,
}

/// How the municipality pays (Danish payment means codes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum PaymentMeans {
    /// Transfer to a Danish bank account (code 42): registration and account number.
    BankAccount(BankAccount),
    /// SEPA credit transfer to an IBAN (code 58).
    Iban(IbanAccount),
    /// To the seller's NemKonto (code 97): no account on the invoice.
    Nemkonto,
}

/// A Danish bank account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankAccount {
    /// Registration number (4 digits).
    pub registration: String,
    /// Account number (up to 10 digits).
    pub account: String,
}

/// An IBAN account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IbanAccount {
    /// The IBAN (`DK50…`), without spaces.
    pub iban: String,
    /// The bank's BIC (8 or 11 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
}

/// VAT on the documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Vat {
    /// Exempt (category E): social services are (momsloven § 13, stk. 1, nr. 2).
    Exempt(Exemption),
    /// The provider charges VAT (category S) at a rate, computed on each document's lines
    /// and rounded half away from zero to øre.
    Standard(StandardRate),
}

impl Default for Vat {
    fn default() -> Vat {
        Vat::Exempt(Exemption::default())
    }
}

/// The exemption reason written with category E.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    /// The reason in words. Default: the Danish VAT act's exemption of social services.
    #[serde(default = "exemption_reason")]
    pub reason: String,
    /// The VATEX code. Default `VATEX-EU-132-1G` (VAT directive art. 132(1)(g): services
    /// closely linked to welfare and social security work).
    #[serde(default = "exemption_code")]
    pub reason_code: String,
}

fn exemption_reason() -> String {
    "Momsfritaget social ydelse, jf. momslovens § 13, stk. 1, nr. 2".to_string()
}

fn exemption_code() -> String {
    "VATEX-EU-132-1G".to_string()
}

impl Default for Exemption {
    fn default() -> Exemption {
        Exemption {
            reason: exemption_reason(),
            reason_code: exemption_code(),
        }
    }
}

/// A VAT rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardRate {
    /// The rate in per cent. Default 25.
    #[serde(default = "twenty_five", deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub rate_pct: Decimal,
}

fn twenty_five() -> Decimal {
    Decimal::from(25)
}

/// Document numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Numbering {
    /// Written before the running number (`"TK-2026-"`). Default empty.
    #[serde(default)]
    pub prefix: String,
    /// The first running number. Default 1.
    #[serde(default = "one")]
    pub start: u64,
}

fn one() -> u64 {
    1
}

impl Default for Numbering {
    fn default() -> Numbering {
        Numbering {
            prefix: String::new(),
            start: 1,
        }
    }
}

/// `"YYYY-MM"` for an optional month.
mod month_option {
    use std::fmt;

    use serde::de::{self, Deserializer, Visitor};
    use serde::Serializer;

    use crate::course::Month;

    /// Parses exactly `YYYY-MM`.
    pub(super) fn parse(text: &str) -> Option<Month> {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .filter(|d| d.iter().all(u8::is_ascii_digit))
                .and_then(|_| text.get(r))
        };
        if b.len() != 7 || b.get(4) != Some(&b'-') {
            return None;
        }
        let year: i16 = digits(0..4)?.parse().ok()?;
        let month: i8 = digits(5..7)?.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    struct Opt;

    impl<'de> Visitor<'de> for Opt {
        type Value = Option<Month>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a month as a string \"YYYY-MM\", or null")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            parse(v).map(Some).ok_or_else(|| {
                E::custom(crate::error::Bilingual::new(
                    "not a month: write a month as YYYY-MM, e.g. 2027-01",
                    "Det er ikke en måned: skriv en måned som ÅÅÅÅ-MM, fx 2027-01.",
                ))
            })
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(Opt)
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Month>, D::Error> {
        d.deserialize_option(Opt)
    }

    pub(super) fn serialize<S: Serializer>(m: &Option<Month>, s: S) -> Result<S::Ok, S::Error> {
        match m {
            Some(m) => s.collect_str(m),
            None => s.serialize_none(),
        }
    }
}
