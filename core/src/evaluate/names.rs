//! Municipality names that are one municipality to a reader and two to takst.
//!
//! takst matches municipalities by their names as written: a course's paying municipality
//! against the partners, the settlement's split, the buyer's statement, the e-invoices'
//! buyers, and the caseload sums by it. "Aarhus", "aarhus" and "Aarhus " are three
//! municipalities there, so a name typed two ways splits a budget or leaves a partner's
//! course at the full tariff with nothing to say why. A request whose names differ only in
//! letter case or spaces is warned of (`municipality_spelling`), once per further spelling,
//! at the first place it is written; nothing is matched differently.

use rustc_hash::FxHashMap;

use crate::error::{Warning, WarningCode};
use crate::format::request::Request;

/// Warns of each municipality name the request writes in more than one way.
pub(super) fn request_spellings(request: &Request, warnings: &mut Vec<Warning>) {
    // Each distinct spelling once, in the order first written, with where: a request of
    // 100,000 courses has a few dozen names. (One map type, the one the tariffs' ids use:
    // every other kind of map is more code in the browser module.)
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    let mut spellings: Vec<(&str, Place)> = Vec::new();
    for (i, c) in request.courses.iter().enumerate() {
        if let Some(m) = c.municipality.as_deref() {
            note_name(&mut seen, &mut spellings, m, Place::Course(i));
        }
    }
    provider_names(request, &mut seen, &mut spellings);
    #[cfg(feature = "einvoice")]
    if let Some(e) = &request.einvoicing {
        for (k, b) in e.buyers.iter().enumerate() {
            note_name(
                &mut seen,
                &mut spellings,
                &b.municipality,
                Place::EinvoiceBuyer(k),
            );
        }
    }
    warn_of(&spellings, warnings);
}

/// The `municipality_spelling` warnings of courses given as (course number, paying
/// municipality), in the courses' order: those [`evaluate`](crate::evaluate) gives a request
/// whose only municipality names are these courses', in the same order, with the same texts.
///
/// For a table of courses priced as several requests (as the Python package's
/// `price_courses` prices a table in chunks): each request's own warnings see only its
/// courses, so a name written "Aarhus" in the first chunk and "aarhus " in the tenth is
/// warned of by none of them. Given every course by its row in the whole table, this warns
/// as one request of the whole table does. A name given again is passed over at once, so a
/// caller may give each request's names each once, in the requests' order.
///
/// ```
/// let w = takst::municipality_spellings([(0, "Aarhus"), (1, "Skive"), (2500, "aarhus ")]);
/// assert_eq!(w.len(), 1);
/// assert_eq!(w[0].path(), "courses[2500].municipality");
/// assert!(w[0].message().contains("(courses[0].municipality)"));
/// ```
pub fn municipality_spellings<'a>(
    courses: impl IntoIterator<Item = (usize, &'a str)>,
) -> Vec<Warning> {
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    let mut spellings: Vec<(&str, Place)> = Vec::new();
    for (i, m) in courses {
        note_name(&mut seen, &mut spellings, m, Place::Course(i));
    }
    let mut warnings = Vec::new();
    warn_of(&spellings, &mut warnings);
    warnings
}

/// A warning for each spelling whose reading (see [`normalised`]) an earlier one has.
fn warn_of(spellings: &[(&str, Place)], warnings: &mut Vec<Warning>) {
    if spellings.len() < 2 {
        return;
    }
    let normal: Vec<String> = spellings.iter().map(|(name, _)| normalised(name)).collect();
    let mut first: FxHashMap<&str, u32> = FxHashMap::default();
    for (k, (name, place)) in spellings.iter().enumerate() {
        let k = u32::try_from(k).unwrap_or(u32::MAX);
        let f = *first.entry(&normal[k as usize]).or_insert(k);
        if f == k {
            continue;
        }
        let Some((earlier, at)) = spellings.get(f as usize) else {
            continue;
        };
        let at = at.path();
        warnings.push(Warning::new(
            WarningCode::MunicipalitySpelling,
            place.path(),
            // Quoted as Rust debug-quotes a text, so that a no-break space or a tab shows.
            format!(
                "the municipality {earlier:?} ({at}) is written {name:?} here: takst compares \
                 names as written, so they are two municipalities"
            ),
            format!(
                "Kommunen {earlier:?} ({at}) er skrevet {name:?} her: takst sammenligner navne, \
                 som de er skrevet, så det er to kommuner."
            ),
        ));
    }
}

fn note_name<'r>(
    seen: &mut FxHashMap<&'r str, u32>,
    spellings: &mut Vec<(&'r str, Place)>,
    name: &'r str,
    place: Place,
) {
    let next = u32::try_from(spellings.len()).unwrap_or(u32::MAX);
    if !name.is_empty() && *seen.entry(name).or_insert(next) == next {
        spellings.push((name, place));
    }
}

/// The names the provider's sections give.
#[cfg(feature = "provider")]
fn provider_names<'r>(
    request: &'r Request,
    seen: &mut FxHashMap<&'r str, u32>,
    spellings: &mut Vec<(&'r str, Place)>,
) {
    if let Some(s) = &request.settlement {
        for (k, m) in s.municipalities.iter().enumerate() {
            note_name(seen, spellings, &m.municipality, Place::Settlement(k));
        }
    }
    if let Some(p) = &request.partnership {
        for (k, m) in p.partners.iter().enumerate() {
            note_name(seen, spellings, &m.municipality, Place::Partner(k));
        }
    }
    if let Some(b) = &request.base_funding {
        for (k, m) in b.municipalities.iter().enumerate() {
            note_name(seen, spellings, &m.municipality, Place::Funding(k));
        }
    }
    if let Some(m) = request
        .buyer
        .as_ref()
        .and_then(|b| b.municipality.as_deref())
    {
        note_name(seen, spellings, m, Place::Buyer);
    }
}

#[cfg(not(feature = "provider"))]
fn provider_names<'r>(
    _: &'r Request,
    _: &mut FxHashMap<&'r str, u32>,
    _: &mut Vec<(&'r str, Place)>,
) {
}

/// Where a name is written (its path made only for a warning).
#[derive(Clone, Copy)]
enum Place {
    Course(usize),
    #[cfg_attr(not(feature = "provider"), allow(dead_code))]
    Settlement(usize),
    #[cfg_attr(not(feature = "provider"), allow(dead_code))]
    Partner(usize),
    #[cfg_attr(not(feature = "provider"), allow(dead_code))]
    Funding(usize),
    #[cfg_attr(not(feature = "provider"), allow(dead_code))]
    Buyer,
    #[cfg_attr(not(feature = "einvoice"), allow(dead_code))]
    EinvoiceBuyer(usize),
}

impl Place {
    fn path(self) -> String {
        match self {
            Place::Course(i) => format!("courses[{i}].municipality"),
            Place::Settlement(k) => format!("settlement.municipalities[{k}].municipality"),
            Place::Partner(k) => format!("partnership.partners[{k}].municipality"),
            Place::Funding(k) => format!("base_funding.municipalities[{k}].municipality"),
            Place::Buyer => "buyer.municipality".to_string(),
            Place::EinvoiceBuyer(k) => format!("einvoicing.buyers[{k}].municipality"),
        }
    }
}

/// A name as a reader takes it: its ends and repeated spaces dropped, in lower case (the
/// letters of Danish names without Unicode's case tables, which the browser module leaves
/// out: A–Z, Æ, Ø, Å and the accented capitals of Latin-1).
fn normalised(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    // Spaces as a typist makes them (ASCII and the no-break space), without Unicode's
    // tables of white space.
    for word in name
        .split(|c: char| c.is_ascii_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            // Latin-1's capitals À–Þ (but ×) are their small letters less 0x20.
            'À'..='Þ' if c != '×' => char::from_u32(u32::from(c) + 0x20).unwrap_or(c),
            _ => c,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalised;

    #[test]
    fn names_differing_in_case_and_spaces_are_one() {
        assert_eq!(normalised("  Aarhus "), "aarhus");
        assert_eq!(normalised("ÅRHUS"), "århus");
        assert_eq!(normalised("Lyngby-Taarbæk"), normalised("lyngby-taarbæk"));
        assert_eq!(
            normalised("Ringkøbing-Skjern"),
            normalised("RINGKØBING-SKJERN")
        );
        assert_eq!(normalised("Høje  Taastrup"), normalised("Høje Taastrup"));
        assert_ne!(normalised("Århus"), normalised("Aarhus"));
        assert_eq!(normalised("×"), "×");
    }
}
