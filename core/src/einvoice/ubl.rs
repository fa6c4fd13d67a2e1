//! The UBL 2.1 writer: an invoice or credit note in the Peppol BIS Billing 3.0 profile or in
//! OIOUBL 3, elements in the order of the UBL schema. Every text goes through quick-xml's
//! escaping text and attribute events; nothing is concatenated into markup.

use std::io;

use jiff::civil::Date;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use rust_decimal::Decimal;

use super::document::EinvoiceKind;
use super::group::{Doc, DocLine};
use super::model::{Address, Contact, Einvoicing, PaymentMeans, Profile, Vat};

const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const NS_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

const PEPPOL_CUSTOMIZATION: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
const PEPPOL_PROFILE: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
const OIOUBL_INVOICE: &str = "urn:fdc:oioubl.dk:trns:billing:invoice:3.0";
const OIOUBL_CREDIT_NOTE: &str = "urn:fdc:oioubl.dk:trns:billing:creditnote:3.0";
const OIOUBL_PROFILE: &str = "urn:fdc:oioubl.dk:bis:billing_with_response:3";

const CURRENCY: &str = "DKK";

type W = Writer<Vec<u8>>;

/// An element with text content.
fn text(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// An element with one attribute and text content.
fn text_attr(w: &mut W, name: &str, attr: (&str, &str), value: &str) -> io::Result<()> {
    w.create_element(name)
        .with_attribute(attr)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// An element with child elements.
fn node(w: &mut W, name: &str, inner: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
    w.create_element(name).write_inner_content(inner)?;
    Ok(())
}

fn amount(w: &mut W, name: &str, value: Decimal) -> io::Result<()> {
    text_attr(w, name, ("currencyID", CURRENCY), &money(value))
}

/// An amount with exactly two decimals.
fn money(mut value: Decimal) -> String {
    value.rescale(2);
    value.to_string()
}

fn date(w: &mut W, name: &str, d: Date) -> io::Result<()> {
    text(w, name, &d.to_string())
}

/// The document's UBL XML.
pub(crate) fn write(e: &Einvoicing, d: &Doc, number: &str) -> io::Result<String> {
    let oioubl = e.profile == Profile::Oioubl3;
    let credit = d.kind == EinvoiceKind::CreditNote;
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let (root, ns) = if credit {
        ("CreditNote", NS_CREDIT_NOTE)
    } else {
        ("Invoice", NS_INVOICE)
    };
    w.create_element(root)
        .with_attribute(("xmlns", ns))
        .with_attribute(("xmlns:cac", NS_CAC))
        .with_attribute(("xmlns:cbc", NS_CBC))
        .write_inner_content(|w| {
            if oioubl {
                text(w, "cbc:UBLVersionID", "2.1")?;
                let c = if credit {
                    OIOUBL_CREDIT_NOTE
                } else {
                    OIOUBL_INVOICE
                };
                text(w, "cbc:CustomizationID", c)?;
                text(w, "cbc:ProfileID", OIOUBL_PROFILE)?;
            } else {
                text(w, "cbc:CustomizationID", PEPPOL_CUSTOMIZATION)?;
                text(w, "cbc:ProfileID", PEPPOL_PROFILE)?;
            }
            text(w, "cbc:ID", number)?;
            date(w, "cbc:IssueDate", d.issue_date)?;
            if credit {
                text(w, "cbc:CreditNoteTypeCode", "381")?;
            } else {
                if let Some(due) = d.due_date {
                    date(w, "cbc:DueDate", due)?;
                }
                text(w, "cbc:InvoiceTypeCode", "380")?;
            }
            text(w, "cbc:Note", &d.note)?;
            text(w, "cbc:DocumentCurrencyCode", CURRENCY)?;
            if let Some(r) = &d.refs.buyer_reference {
                text(w, "cbc:BuyerReference", r)?;
            }
            node(w, "cac:InvoicePeriod", |w| {
                date(w, "cbc:StartDate", d.period.0)?;
                date(w, "cbc:EndDate", d.period.1)
            })?;
            if let Some(r) = &d.refs.order_reference {
                node(w, "cac:OrderReference", |w| text(w, "cbc:ID", r))?;
            }
            node(w, "cac:AccountingSupplierParty", |w| seller(w, e, oioubl))?;
            node(w, "cac:AccountingCustomerParty", |w| buyer(w, e, d, oioubl))?;
            if !credit {
                payment_means(w, &e.payment_means, number)?;
            }
            tax_total(w, e, d.net, d.vat)?;
            node(w, "cac:LegalMonetaryTotal", |w| {
                amount(w, "cbc:LineExtensionAmount", d.net)?;
                amount(w, "cbc:TaxExclusiveAmount", d.net)?;
                amount(w, "cbc:TaxInclusiveAmount", d.total)?;
                amount(w, "cbc:PayableAmount", d.total)
            })?;
            for (k, l) in d.lines.iter().enumerate() {
                line(w, e, l, k + 1, credit, oioubl)?;
            }
            Ok(())
        })?;
    String::from_utf8(w.into_inner()).map_err(io::Error::other)
}

fn address(w: &mut W, a: &Address, oioubl: bool) -> io::Result<()> {
    node(w, "cac:PostalAddress", |w| {
        if oioubl {
            text(w, "cbc:StreetName", &a.street)?;
            if let Some(s) = &a.additional_street {
                text(w, "cbc:AdditionalStreetName", s)?;
            }
            text(w, "cbc:BuildingNumber", &a.building_number)?;
        } else {
            text(
                w,
                "cbc:StreetName",
                &format!("{} {}", a.street, a.building_number),
            )?;
            if let Some(s) = &a.additional_street {
                text(w, "cbc:AdditionalStreetName", s)?;
            }
        }
        text(w, "cbc:CityName", &a.city)?;
        text(w, "cbc:PostalZone", &a.postal_zone)?;
        node(w, "cac:Country", |w| {
            text(w, "cbc:IdentificationCode", &a.country)
        })
    })
}

fn contact(w: &mut W, name: Option<&str>, c: Option<&Contact>) -> io::Result<()> {
    let name = name.or(c.and_then(|c| c.name.as_deref()));
    let telephone = c.and_then(|c| c.telephone.as_deref());
    let email = c.and_then(|c| c.email.as_deref());
    if name.is_none() && telephone.is_none() && email.is_none() {
        return Ok(());
    }
    node(w, "cac:Contact", |w| {
        if let Some(n) = name {
            text(w, "cbc:Name", n)?;
        }
        if let Some(t) = telephone {
            text(w, "cbc:Telephone", t)?;
        }
        if let Some(m) = email {
            text(w, "cbc:ElectronicMail", m)?;
        }
        Ok(())
    })
}

fn seller(w: &mut W, e: &Einvoicing, oioubl: bool) -> io::Result<()> {
    let s = &e.seller;
    node(w, "cac:Party", |w| {
        let (scheme, id) = match &s.gln {
            Some(g) => ("0088", g.as_str()),
            None => ("0184", s.cvr.as_str()),
        };
        text_attr(w, "cbc:EndpointID", ("schemeID", scheme), id)?;
        node(w, "cac:PartyIdentification", |w| {
            text_attr(w, "cbc:ID", ("schemeID", scheme), id)
        })?;
        node(w, "cac:PartyName", |w| text(w, "cbc:Name", &s.name))?;
        address(w, &s.address, oioubl)?;
        node(w, "cac:PartyTaxScheme", |w| {
            if oioubl {
                text_attr(w, "cbc:CompanyID", ("schemeID", "0198"), &s.vat_number)?;
            } else {
                text(w, "cbc:CompanyID", &s.vat_number)?;
            }
            node(w, "cac:TaxScheme", |w| text(w, "cbc:ID", "VAT"))
        })?;
        node(w, "cac:PartyLegalEntity", |w| {
            text(w, "cbc:RegistrationName", &s.name)?;
            text_attr(w, "cbc:CompanyID", ("schemeID", "0184"), &s.cvr)
        })?;
        contact(w, None, s.contact.as_ref())
    })
}

fn buyer(w: &mut W, e: &Einvoicing, d: &Doc, oioubl: bool) -> io::Result<()> {
    let b = &e.buyers[d.buyer];
    node(w, "cac:Party", |w| {
        text_attr(w, "cbc:EndpointID", ("schemeID", "0088"), &b.gln)?;
        node(w, "cac:PartyIdentification", |w| {
            text_attr(w, "cbc:ID", ("schemeID", "0088"), &b.gln)
        })?;
        node(w, "cac:PartyName", |w| text(w, "cbc:Name", &b.name))?;
        address(w, &b.address, oioubl)?;
        node(w, "cac:PartyLegalEntity", |w| {
            text(w, "cbc:RegistrationName", &b.name)?;
            if let Some(cvr) = &b.cvr {
                text_attr(w, "cbc:CompanyID", ("schemeID", "0184"), cvr)?;
            }
            Ok(())
        })?;
        contact(w, d.refs.person_reference.as_deref(), b.contact.as_ref())
    })
}

fn payment_means(w: &mut W, m: &PaymentMeans, number: &str) -> io::Result<()> {
    node(w, "cac:PaymentMeans", |w| match m {
        PaymentMeans::BankAccount(a) => {
            text(w, "cbc:PaymentMeansCode", "42")?;
            text(w, "cbc:PaymentID", number)?;
            node(w, "cac:PayeeFinancialAccount", |w| {
                text(w, "cbc:ID", &a.account)?;
                node(w, "cac:FinancialInstitutionBranch", |w| {
                    text(w, "cbc:ID", &a.registration)
                })
            })
        }
        PaymentMeans::Iban(a) => {
            text(w, "cbc:PaymentMeansCode", "58")?;
            text(w, "cbc:PaymentID", number)?;
            node(w, "cac:PayeeFinancialAccount", |w| {
                text(w, "cbc:ID", &a.iban)?;
                if let Some(bic) = &a.bic {
                    node(w, "cac:FinancialInstitutionBranch", |w| {
                        text(w, "cbc:ID", bic)
                    })?;
                }
                Ok(())
            })
        }
        PaymentMeans::Nemkonto => text(w, "cbc:PaymentMeansCode", "97"),
    })
}

/// `cac:TaxCategory` (or `cac:ClassifiedTaxCategory` on an item).
fn tax_category(w: &mut W, e: &Einvoicing, name: &str, with_reason: bool) -> io::Result<()> {
    node(w, name, |w| {
        match &e.vat {
            Vat::Exempt(x) => {
                text(w, "cbc:ID", "E")?;
                text(w, "cbc:Percent", "0")?;
                if with_reason {
                    text(w, "cbc:TaxExemptionReasonCode", &x.reason_code)?;
                    text(w, "cbc:TaxExemptionReason", &x.reason)?;
                }
            }
            Vat::Standard(r) => {
                text(w, "cbc:ID", "S")?;
                text(w, "cbc:Percent", &r.rate_pct.normalize().to_string())?;
            }
        }
        node(w, "cac:TaxScheme", |w| text(w, "cbc:ID", "VAT"))
    })
}

fn tax_total(w: &mut W, e: &Einvoicing, taxable: Decimal, tax: Decimal) -> io::Result<()> {
    node(w, "cac:TaxTotal", |w| {
        amount(w, "cbc:TaxAmount", tax)?;
        node(w, "cac:TaxSubtotal", |w| {
            amount(w, "cbc:TaxableAmount", taxable)?;
            amount(w, "cbc:TaxAmount", tax)?;
            tax_category(w, e, "cac:TaxCategory", true)
        })
    })
}

fn line(
    w: &mut W,
    e: &Einvoicing,
    l: &DocLine,
    id: usize,
    credit: bool,
    oioubl: bool,
) -> io::Result<()> {
    let (name, quantity) = if credit {
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    } else {
        ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    };
    node(w, name, |w| {
        text(w, "cbc:ID", &id.to_string())?;
        if let Some(n) = &l.note {
            text(w, "cbc:Note", n)?;
        }
        text_attr(
            w,
            quantity,
            ("unitCode", l.unit),
            &l.quantity.normalize().to_string(),
        )?;
        amount(w, "cbc:LineExtensionAmount", l.amount)?;
        node(w, "cac:InvoicePeriod", |w| {
            date(w, "cbc:StartDate", l.from)?;
            date(w, "cbc:EndDate", l.to)
        })?;
        if oioubl {
            // OIOUBL wants each line's tax (OIOUBL-BIL-131); the document's VAT is computed
            // on the document's lines, as EN 16931 requires.
            let tax = match &e.vat {
                Vat::Exempt(_) => Decimal::ZERO,
                Vat::Standard(r) => {
                    super::group::line_vat(l.amount, r.rate_pct).unwrap_or(Decimal::ZERO)
                }
            };
            tax_total(w, e, l.amount, tax)?;
        }
        node(w, "cac:Item", |w| {
            text(w, "cbc:Name", &l.name)?;
            node(w, "cac:SellersItemIdentification", |w| {
                text(w, "cbc:ID", &l.item_id)
            })?;
            tax_category(w, e, "cac:ClassifiedTaxCategory", false)
        })?;
        node(w, "cac:Price", |w| {
            text_attr(
                w,
                "cbc:PriceAmount",
                ("currencyID", CURRENCY),
                &l.price.to_string(),
            )
        })
    })
}
