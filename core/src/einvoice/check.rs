//! Checks of the `einvoicing` section before any document is made: the identifiers' forms
//! (GLN with its check digit, CVR, VAT number, IBAN), the references (never a CPR number),
//! and text that XML can carry. Every problem is reported with its path.

use std::collections::HashMap;

use crate::error::{Error, ErrorCode};

use super::model::{Address, Contact, Einvoicing, PaymentMeans, Profile, Vat};

/// The problems found so far.
pub(crate) struct Problems(pub Vec<Error>);

/// What a field is, in English and in Danish.
pub(crate) type What<'a> = (&'a str, &'a str);

impl Problems {
    pub(crate) fn fail(
        &mut self,
        code: ErrorCode,
        path: impl Into<String>,
        en: impl Into<String>,
        da: impl Into<String>,
    ) {
        self.0.push(Error::new(code, path, en, da));
    }

    /// Text that goes into a document: not blank, no characters XML 1.0 cannot carry.
    pub(crate) fn text(&mut self, value: &str, path: &str, (what, hvad): What<'_>) {
        if value.trim().is_empty() {
            self.fail(
                ErrorCode::InvalidValue,
                path,
                format!("{what} must not be empty (the rules forbid empty elements)"),
                format!("Feltet ({hvad}) må ikke være tomt: reglerne forbyder tomme elementer."),
            );
        } else if let Some(c) = value.chars().find(|c| !xml_char(*c)) {
            let code = format!("U+{:04X}", u32::from(c));
            self.fail(
                ErrorCode::InvalidValue,
                path,
                format!("{what} contains the character {code}, which XML cannot carry"),
                format!("Feltet ({hvad}) indeholder tegnet `{code}`, som XML ikke kan bære."),
            );
        }
    }

    /// A reference the municipality gives: text, and never a CPR number.
    pub(crate) fn reference(&mut self, value: &str, path: &str, what: What<'_>) {
        self.text(value, path, what);
        if looks_like_cpr(value) {
            self.fail(
                ErrorCode::InvalidValue,
                path,
                format!(
                    "{} looks like a CPR number (DDMMYY-XXXX, or ten digits starting with a \
                     date); an invoice must never identify the citizen by CPR number: use the \
                     municipality's case or bevilling number",
                    what.0
                ),
                format!(
                    "Feltet ({}) ligner et CPR-nummer (DDMMÅÅ-XXXX eller ti cifre, der begynder \
                     med en dato); en faktura må aldrig udpege borgeren ved CPR-nummer: brug \
                     kommunens sags- eller bevillingsnummer.",
                    what.1
                ),
            );
        }
    }

    fn digits(&mut self, value: &str, len: usize, path: &str, (what, hvad): What<'_>) -> bool {
        let ok = value.len() == len && value.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            self.fail(
                ErrorCode::InvalidValue,
                path,
                format!("{what} must be {len} digits, got {value:?}"),
                format!("Feltet ({hvad}) skal være {len} cifre, men er {value:?}."),
            );
        }
        ok
    }

    pub(crate) fn gln(&mut self, value: &str, path: &str, what: What<'_>) {
        if self.digits(value, 13, path, what) && !gln_check_digit_ok(value) {
            self.fail(
                ErrorCode::InvalidValue,
                path,
                format!(
                    "{} {value} has a wrong check digit (GS1 modulus 10)",
                    what.0
                ),
                format!(
                    "Feltet ({}) \"{value}\" har et forkert kontrolciffer (GS1 modulus 10).",
                    what.1
                ),
            );
        }
    }

    pub(crate) fn cvr(&mut self, value: &str, path: &str, what: What<'_>) {
        self.digits(value, 8, path, what);
    }

    fn address(&mut self, a: &Address, path: &str) {
        let at = |f: &str| format!("{path}.{f}");
        self.text(&a.street, &at("street"), ("the street", "vejnavn"));
        self.text(
            &a.building_number,
            &at("building_number"),
            ("the building number", "husnummer"),
        );
        if let Some(s) = &a.additional_street {
            self.text(
                s,
                &at("additional_street"),
                ("the second address line", "anden adresselinje"),
            );
        }
        self.text(&a.city, &at("city"), ("the city", "by"));
        self.text(
            &a.postal_zone,
            &at("postal_zone"),
            ("the postal code", "postnummer"),
        );
        if a.country.len() != 2 || !a.country.bytes().all(|b| b.is_ascii_uppercase()) {
            self.fail(
                ErrorCode::InvalidValue,
                at("country"),
                format!(
                    "the country must be an ISO 3166-1 code of two capital letters, got {:?}",
                    a.country
                ),
                format!(
                    "Landet skal være en ISO 3166-1-kode på to store bogstaver, men er {:?}.",
                    a.country
                ),
            );
        }
    }

    fn contact(&mut self, c: &Contact, path: &str, oioubl: bool) {
        if let Some(n) = &c.name {
            self.reference(
                n,
                &format!("{path}.name"),
                ("the contact's name", "kontaktens navn"),
            );
        }
        match &c.telephone {
            Some(t) => {
                self.text(t, &format!("{path}.telephone"), ("the telephone", "telefonnummer"));
                if !(t.starts_with('+') || t.starts_with("00")) {
                    self.fail(
                        ErrorCode::InvalidValue,
                        format!("{path}.telephone"),
                        format!("write the telephone with its country code (+45…), got {t:?}"),
                        format!("Skriv telefonnummeret med landekode (+45…); det er {t:?}."),
                    );
                }
            }
            None if oioubl => self.fail(
                ErrorCode::MissingField,
                format!("{path}.telephone"),
                "OIOUBL requires a contact's telephone, with its country code (rule OIOUBL-COMMON-126)",
                "OIOUBL kræver kontaktens telefonnummer med landekode (regel OIOUBL-COMMON-126).",
            ),
            None => {}
        }
        match &c.email {
            Some(e) => {
                self.text(
                    e,
                    &format!("{path}.email"),
                    ("the e-mail address", "e-mailadresse"),
                );
                if !email_ok(e) {
                    self.fail(
                        ErrorCode::InvalidValue,
                        format!("{path}.email"),
                        format!("not an e-mail address: {e:?}"),
                        format!("Det er ikke en e-mailadresse: {e:?}."),
                    );
                }
            }
            None if oioubl => self.fail(
                ErrorCode::MissingField,
                format!("{path}.email"),
                "OIOUBL requires a contact's e-mail address (rule OIOUBL-COMMON-127)",
                "OIOUBL kræver kontaktens e-mailadresse (regel OIOUBL-COMMON-127).",
            ),
            None => {}
        }
    }
}

/// Checks the section; returns the buyers by municipality.
pub(crate) fn section(e: &Einvoicing, p: &mut Problems) -> HashMap<String, usize> {
    let oioubl = e.profile == Profile::Oioubl3;
    let s = &e.seller;
    p.text(
        &s.name,
        "einvoicing.seller.name",
        ("the seller's name", "sælgers navn"),
    );
    p.cvr(
        &s.cvr,
        "einvoicing.seller.cvr",
        ("the seller's CVR number", "sælgers CVR-nummer"),
    );
    let vat = s.vat_number.as_bytes();
    if !(vat.len() == 10 && vat.starts_with(b"DK") && vat[2..].iter().all(u8::is_ascii_digit)) {
        p.fail(
            ErrorCode::InvalidValue,
            "einvoicing.seller.vat_number",
            format!(
                "the seller's VAT (SE) number must be DK and 8 digits, got {:?}",
                s.vat_number
            ),
            format!(
                "Sælgers momsnummer (SE-nummer) skal være DK og 8 cifre, men er {:?}.",
                s.vat_number
            ),
        );
    }
    if let Some(g) = &s.gln {
        p.gln(
            g,
            "einvoicing.seller.gln",
            ("the seller's GLN", "sælgers GLN-nummer"),
        );
    }
    p.address(&s.address, "einvoicing.seller.address");
    if let Some(c) = &s.contact {
        p.contact(c, "einvoicing.seller.contact", oioubl);
    }

    let mut buyers = HashMap::new();
    if e.buyers.is_empty() {
        p.fail(
            ErrorCode::MissingValue,
            "einvoicing.buyers",
            "give the paying municipalities the documents are addressed to",
            "Angiv de betalende kommuner, som fakturaerne sendes til.",
        );
    }
    for (i, b) in e.buyers.iter().enumerate() {
        let at = |f: &str| format!("einvoicing.buyers[{i}].{f}");
        p.text(
            &b.municipality,
            &at("municipality"),
            ("the municipality", "kommunen"),
        );
        if buyers.insert(b.municipality.clone(), i).is_some() {
            p.fail(
                ErrorCode::DuplicateId,
                at("municipality"),
                format!("the municipality {:?} is listed twice", b.municipality),
                format!("Kommunen {:?} står der to gange.", b.municipality),
            );
        }
        p.text(&b.name, &at("name"), ("the buyer's name", "køberens navn"));
        p.gln(
            &b.gln,
            &at("gln"),
            (
                "the municipality's EAN/GLN location number",
                "kommunens EAN/GLN-lokationsnummer",
            ),
        );
        match &b.cvr {
            Some(c) => p.cvr(
                c,
                &at("cvr"),
                ("the municipality's CVR number", "kommunens CVR-nummer"),
            ),
            None if oioubl => p.fail(
                ErrorCode::MissingField,
                at("cvr"),
                "OIOUBL requires the buyer's CVR number (rules OIOUBL-COMMON-100, -101)",
                "OIOUBL kræver køberens CVR-nummer (regel OIOUBL-COMMON-100 og -101).",
            ),
            None => {}
        }
        p.address(&b.address, &at("address"));
        for (value, field, what) in [
            (
                &b.buyer_reference,
                "buyer_reference",
                ("the buyer reference", "køberens reference"),
            ),
            (
                &b.order_reference,
                "order_reference",
                ("the order reference", "ordrereferencen"),
            ),
            (
                &b.person_reference,
                "person_reference",
                ("the person reference", "personreferencen"),
            ),
        ] {
            if let Some(v) = value {
                p.reference(v, &at(field), what);
            }
        }
        match &b.contact {
            Some(c) => p.contact(c, &at("contact"), oioubl),
            None if oioubl && b.person_reference.is_some() => p.fail(
                ErrorCode::MissingField,
                at("contact"),
                "OIOUBL writes the person reference as a contact, which needs a telephone and an \
                 e-mail address (rules OIOUBL-COMMON-126, -127)",
                "OIOUBL skriver personreferencen som en kontakt, der skal have telefonnummer og \
                 e-mailadresse (regel OIOUBL-COMMON-126 og -127).",
            ),
            None => {}
        }
    }
    for (k, c) in e.courses.iter().enumerate() {
        let at = |f: &str| format!("einvoicing.courses[{k}].{f}");
        p.reference(&c.course, &at("course"), ("the course", "forløbet"));
        for (value, field, what) in [
            (
                &c.buyer_reference,
                "buyer_reference",
                ("the buyer reference", "køberens reference"),
            ),
            (
                &c.order_reference,
                "order_reference",
                ("the order reference", "ordrereferencen"),
            ),
            (
                &c.person_reference,
                "person_reference",
                ("the person reference", "personreferencen"),
            ),
        ] {
            if let Some(v) = value {
                p.reference(v, &at(field), what);
            }
        }
    }
    match (e.payment_terms_days, e.due_date) {
        (None, None) => p.fail(
            ErrorCode::MissingValue,
            "einvoicing.payment_terms_days",
            "give payment_terms_days (days from the issue date) or due_date",
            "Angiv `payment_terms_days` (dage fra udstedelsesdatoen) eller `due_date`.",
        ),
        (Some(_), Some(_)) => p.fail(
            ErrorCode::Conflict,
            "einvoicing.due_date",
            "give payment_terms_days or due_date, not both",
            "Angiv enten `payment_terms_days` eller `due_date`, ikke begge.",
        ),
        _ => {}
    }
    if e.payment_terms_days.is_some_and(|d| d > 366) {
        p.fail(
            ErrorCode::OutOfRange,
            "einvoicing.payment_terms_days",
            "payment terms of more than a year (366 days) are not accepted",
            "En betalingsfrist på mere end et år (366 dage) accepteres ikke.",
        );
    }
    match &e.payment_means {
        PaymentMeans::BankAccount(a) => {
            p.digits(
                &a.registration,
                4,
                "einvoicing.payment_means.bank_account.registration",
                ("the registration number", "registreringsnummeret"),
            );
            let n = a.account.len();
            if !(1..=10).contains(&n) || !a.account.bytes().all(|b| b.is_ascii_digit()) {
                p.fail(
                    ErrorCode::InvalidValue,
                    "einvoicing.payment_means.bank_account.account",
                    format!(
                        "the account number must be 1 to 10 digits, got {:?}",
                        a.account
                    ),
                    format!(
                        "Kontonummeret skal være 1 til 10 cifre, men er {:?}.",
                        a.account
                    ),
                );
            }
        }
        PaymentMeans::Iban(a) => {
            if !iban_ok(&a.iban) {
                p.fail(
                    ErrorCode::InvalidValue,
                    "einvoicing.payment_means.iban.iban",
                    format!(
                        "not an IBAN (two letters, two check digits, up to 30 letters and \
                         digits, without spaces, with a valid check): {:?}",
                        a.iban
                    ),
                    format!(
                        "Det er ikke et IBAN (to bogstaver, to kontrolcifre, op til 30 bogstaver \
                         og cifre uden mellemrum, og kontrollen skal passe): {:?}.",
                        a.iban
                    ),
                );
            }
            if let Some(bic) = &a.bic {
                let ok = (bic.len() == 8 || bic.len() == 11)
                    && bic
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
                if !ok {
                    p.fail(
                        ErrorCode::InvalidValue,
                        "einvoicing.payment_means.iban.bic",
                        format!("a BIC is 8 or 11 capital letters and digits, got {bic:?}"),
                        format!("En BIC er 8 eller 11 store bogstaver og cifre; den er {bic:?}."),
                    );
                }
            }
        }
        PaymentMeans::Nemkonto => {}
    }
    match &e.vat {
        Vat::Exempt(x) => {
            p.text(
                &x.reason,
                "einvoicing.vat.exempt.reason",
                ("the exemption reason", "fritagelsesgrunden"),
            );
            if !VATEX_E.contains(&x.reason_code.as_str()) {
                p.fail(
                    ErrorCode::InvalidValue,
                    "einvoicing.vat.exempt.reason_code",
                    format!(
                        "{:?} is not a VATEX code for category E (exempt); use one of {}",
                        x.reason_code,
                        VATEX_E.join(", ")
                    ),
                    format!(
                        "{:?} er ikke en VATEX-kode for kategori E (momsfritaget); brug en af \
                         `{}`.",
                        x.reason_code,
                        VATEX_E.join(", ")
                    ),
                );
            }
        }
        Vat::Standard(r) => {
            if r.rate_pct <= rust_decimal::Decimal::ZERO
                || r.rate_pct > rust_decimal::Decimal::ONE_HUNDRED
            {
                p.fail(
                    ErrorCode::OutOfRange,
                    "einvoicing.vat.standard.rate_pct",
                    format!(
                        "the VAT rate must be above 0 and at most 100 %, got {}",
                        r.rate_pct
                    ),
                    format!(
                        "Momssatsen skal være over 0 og højst 100 %, men er {} %.",
                        crate::danish::number(r.rate_pct)
                    ),
                );
            }
        }
    }
    if !e.number.prefix.is_empty() {
        p.text(
            &e.number.prefix,
            "einvoicing.number.prefix",
            ("the number prefix", "nummerets præfiks"),
        );
        if e.number.prefix.chars().count() > 40 {
            p.fail(
                ErrorCode::OutOfRange,
                "einvoicing.number.prefix",
                "the number prefix is longer than 40 characters",
                "Nummerets præfiks er længere end 40 tegn.",
            );
        }
    }
    buyers
}

/// The VATEX codes for category E (exemptions of the VAT directive's articles 132 and 135,
/// and 143) from the code list the EN 16931 rules check (BR-CL-22).
pub(crate) const VATEX_E: &[&str] = &[
    "VATEX-EU-132-1G",
    "VATEX-EU-132",
    "VATEX-EU-132-1A",
    "VATEX-EU-132-1B",
    "VATEX-EU-132-1C",
    "VATEX-EU-132-1D",
    "VATEX-EU-132-1E",
    "VATEX-EU-132-1F",
    "VATEX-EU-132-1H",
    "VATEX-EU-132-1I",
    "VATEX-EU-132-1J",
    "VATEX-EU-132-1K",
    "VATEX-EU-132-1L",
    "VATEX-EU-132-1M",
    "VATEX-EU-132-1N",
    "VATEX-EU-132-1O",
    "VATEX-EU-132-1P",
    "VATEX-EU-132-1Q",
    "VATEX-EU-135-1",
    "VATEX-EU-143",
];

/// A character XML 1.0 can carry.
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// The GS1 modulus 10 check digit of a 13-digit GLN.
pub(crate) fn gln_check_digit_ok(gln: &str) -> bool {
    let d: Vec<u32> = gln.bytes().map(|b| u32::from(b - b'0')).collect();
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    // From the right, the digits before the check digit weigh 3, 1, 3, …
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, x)| if i % 2 == 0 { x * 3 } else { *x })
        .sum();
    (10 - sum % 10) % 10 == check
}

/// Whether a text has a CPR number in it: `DDMMYY-XXXX`, or ten digits in a row starting with
/// a date (DDMMYY). Runs of more than ten digits are not CPR numbers.
pub(crate) fn looks_like_cpr(text: &str) -> bool {
    let b = text.as_bytes();
    let date = |d: &[u8]| -> bool {
        let n = |i: usize| u32::from(d[i] - b'0') * 10 + u32::from(d[i + 1] - b'0');
        let (day, month) = (n(0), n(2));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 => 29,
            _ => return false,
        };
        (1..=days).contains(&day)
    };
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let run = &b[start..i];
        if run.len() == 10 && date(run) {
            return true;
        }
        // DDMMYY-XXXX (also with a space instead of the hyphen).
        if run.len() == 6
            && matches!(b.get(i), Some(b'-' | b' '))
            && b.len() >= i + 5
            && b[i + 1..i + 5].iter().all(u8::is_ascii_digit)
            && !b.get(i + 5).is_some_and(u8::is_ascii_digit)
            && date(run)
        {
            return true;
        }
    }
    false
}

fn email_ok(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b));
    let (host, tld) = match domain.rsplit_once('.') {
        Some(x) => x,
        None => return false,
    };
    local_ok
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-".contains(&b))
        && !tld.is_empty()
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
}

/// An IBAN: two letters, two digits, up to 30 letters and digits, modulus 97 = 1.
pub(crate) fn iban_ok(iban: &str) -> bool {
    let b = iban.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b[4..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gln_check_digits() {
        assert!(gln_check_digit_ok("5798009811578"));
        assert!(gln_check_digit_ok("7300010000001"));
        assert!(!gln_check_digit_ok("5798009811579"));
    }

    #[test]
    fn cpr_numbers_are_recognised() {
        for cpr in [
            "010190-1234",
            "0101901234",
            "Sag 311299-4321",
            "ref 3112994321 x",
            "290200 1234",
        ] {
            assert!(looks_like_cpr(cpr), "{cpr}");
        }
        for not in [
            "2026-1234",
            "BEV-2026-0042",
            "12345678",
            "3213991234",
            "01019012345",
            "9900001234",
            "AB-123",
        ] {
            assert!(!looks_like_cpr(not), "{not}");
        }
    }

    #[test]
    fn ibans() {
        assert!(iban_ok("DK5000400440116243"));
        assert!(!iban_ok("DK5000400440116244"));
        assert!(!iban_ok("DK50 0040 0440 1162 43"));
    }
}
