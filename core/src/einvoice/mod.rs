//! E-invoices (issue 18): the courses' invoice lines as the documents a Danish municipality's
//! system accepts through NemHandel — UBL 2.1 invoices and credit notes in the Peppol BIS
//! Billing 3.0 profile (default) or OIOUBL 3.
//!
//! | file | what |
//! |---|---|
//! | `model` | the request's `einvoicing` section: profile, grouping, parties, references, dates, payment means, VAT, numbering |
//! | `check` | the section's checks: GLN check digits, CVR and VAT numbers, IBAN, never a CPR number in a reference, text XML can carry |
//! | `group` | course lines to document lines, grouped per course or per municipality and month; corrections of months already invoiced; a settlement's refunds; totals and VAT |
//! | `ubl` | the UBL writer per profile (quick-xml: every user string escaped) |
//! | `document` | the documents as the response lists them |
//!
//! Each invoice line is a course line: quantity in days (`DAY`) × the day tariff in force =
//! the line's amount to the øre, with the line's period and the service's name from the
//! tariff sheet; an add-on is its own line (`HUR`, `KMT`, or `DAY` for one priced per day);
//! a whole month at the month tariff is 1 `MON`. A document's total is the sum of its lines
//! (plus VAT when the provider charges it), so the documents of a course sum to its quote.
//!
//! Without the `einvoice` feature (the browser module) the section is still recognised, and
//! a request that has it is answered with the error `unsupported`.

mod document;

pub use document::{Einvoice, EinvoiceKind, EinvoiceSource};

#[cfg(feature = "einvoice")]
mod check;
#[cfg(feature = "einvoice")]
mod group;
#[cfg(feature = "einvoice")]
mod model;
#[cfg(feature = "einvoice")]
mod ubl;

#[cfg(feature = "einvoice")]
pub use model::{
    Address, BankAccount, Buyer, Contact, CourseReferences, Einvoicing, Exemption, Grouping,
    IbanAccount, Numbering, PaymentMeans, Profile, Seller, StandardRate, Vat,
};

#[cfg(feature = "einvoice")]
pub use generate::{generate, Sources};

#[cfg(feature = "einvoice")]
mod generate {
    use crate::course::model::Billing;
    use crate::course::Quote;
    use crate::error::{Error, ErrorCode, Errors};
    use crate::finance::SettlementResult;
    use crate::sheet::TariffSheet;

    use super::check::{self, Problems};
    use super::document::Einvoice;
    use super::group;
    use super::model::Einvoicing;

    /// What the documents are made from.
    #[derive(Clone, Copy, Debug)]
    pub struct Sources<'a> {
        /// The priced courses, in request order (error paths name `courses[i]`).
        pub quotes: &'a [Quote],
        /// The tariff sheets the courses were priced from (for the services' names).
        pub sheets: &'a [&'a TariffSheet],
        /// The billing conventions the courses were priced by (when corrections are issued).
        pub billing: &'a Billing,
        /// The settlement, for `settlement_refunds`.
        pub settlement: Option<&'a SettlementResult>,
    }

    /// The e-invoices of priced courses (and a settlement's refunds), numbered and written.
    ///
    /// Every missing or malformed input is reported, each with its path (`einvoicing.buyers[0].gln`,
    /// `courses[3].municipality`, …).
    ///
    /// # Example
    ///
    /// ```
    /// use takst::einvoice::{self, Einvoicing, EinvoiceKind, Sources};
    /// use takst::{Billing, Course, Indexation, Pricer};
    ///
    /// let sheets = [takst::Offer::sample().compute().unwrap().sheet];
    /// let (index, billing) = (Indexation::default(), Billing::default());
    /// let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap();
    /// let course: Course = serde_json::from_str(r#"{
    ///     "id": "borger-17", "municipality": "Aarhus", "start": "2026-09-15",
    ///     "phases": [{"service": "udredning", "months": 2}]
    /// }"#).unwrap();
    /// let quotes = [pricer.price(&course).unwrap()];
    /// let einvoicing: Einvoicing = serde_json::from_str(r#"{
    ///     "seller": {"name": "Region Midtjylland", "cvr": "29190925", "vat_number": "DK29190925",
    ///                "address": {"street": "Skottenborg", "building_number": "26",
    ///                            "city": "Viborg", "postal_zone": "8800"}},
    ///     "buyers": [{"municipality": "Aarhus", "name": "Aarhus Kommune", "gln": "5798005770213",
    ///                 "order_reference": "BEV-2026-0042", "person_reference": "Sagsbehandler HJ",
    ///                 "address": {"street": "Rådhuspladsen", "building_number": "2",
    ///                             "city": "Aarhus C", "postal_zone": "8000"}}],
    ///     "payment_terms_days": 30,
    ///     "payment_means": {"bank_account": {"registration": "1234", "account": "0001234567"}}
    /// }"#).unwrap();
    /// let docs = einvoice::generate(&einvoicing, &Sources {
    ///     quotes: &quotes, sheets: &[&sheets[0]], billing: &billing, settlement: None,
    /// }).unwrap();
    /// // September, October and November 2026: one invoice each, summing to the quote.
    /// assert_eq!(docs.len(), 3);
    /// assert!(docs.iter().all(|d| d.kind == EinvoiceKind::Invoice));
    /// let sum: takst::Decimal = docs.iter().map(|d| d.total).sum();
    /// assert_eq!(sum, quotes[0].total);
    /// // 16 døgn of September at 4,801 kr.
    /// assert!(docs[0].xml.contains(r#"<cbc:InvoicedQuantity unitCode="DAY">16</cbc:InvoicedQuantity>"#));
    /// assert!(docs[0].xml.contains("<cbc:Name>Udredningsmodul</cbc:Name>"));
    /// ```
    pub fn generate(e: &Einvoicing, src: &Sources<'_>) -> Result<Vec<Einvoice>, Errors> {
        let mut p = Problems(Vec::new());
        let buyers = check::section(e, &mut p);
        let docs = group::documents(e, src, &buyers, &mut p);
        if let Some(errors) = Errors::from_vec(std::mem::take(&mut p.0)) {
            return Err(errors);
        }
        let mut out = Vec::with_capacity(docs.len());
        for (k, d) in docs.into_iter().enumerate() {
            let running = u64::try_from(k)
                .ok()
                .and_then(|k| e.number.start.checked_add(k));
            let Some(running) = running else {
                return Err(Error::new(
                    ErrorCode::OutOfRange,
                    "einvoicing.number.start",
                    "the document numbers run beyond the largest number",
                    "Bilagsnumrene løber ud over det største tal.",
                )
                .into());
            };
            let number = format!("{}{running}", e.number.prefix);
            let xml = super::ubl::write(e, &d, &number).map_err(|err| {
                Error::new(
                    ErrorCode::Internal,
                    "einvoicing",
                    format!("the document {number} could not be written: {err}"),
                    format!("Bilaget \"{number}\" kunne ikke skrives."),
                )
            })?;
            let buyer = &e.buyers[d.buyer];
            out.push(Einvoice {
                kind: d.kind,
                source: d.source,
                file_name: file_name(&number),
                number,
                municipality: buyer.municipality.clone(),
                course: d.course.and_then(|c| src.quotes[c].id.clone()),
                month: d.month,
                issue_date: d.issue_date,
                due_date: d.due_date,
                net: d.net,
                vat: d.vat,
                total: d.total,
                xml,
            });
        }
        Ok(out)
    }

    /// The number as a file name: letters, digits, `-`, `_` and `.` kept, the rest `_`.
    fn file_name(number: &str) -> String {
        let safe: String = number
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{safe}.xml")
    }
}

/// The request's `einvoicing` section in a build without e-invoices: recognised (so a
/// request that has it is answered with `unsupported`), not read.
#[cfg(not(feature = "einvoice"))]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Einvoicing;

#[cfg(not(feature = "einvoice"))]
impl<'de> serde::Deserialize<'de> for Einvoicing {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Einvoicing, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Einvoicing)
    }
}

#[cfg(not(feature = "einvoice"))]
impl serde::Serialize for Einvoicing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        s.serialize_map(Some(0))?.end()
    }
}

#[cfg(not(feature = "einvoice"))]
impl schemars::JsonSchema for Einvoicing {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Einvoicing".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "object" })
    }
}
