//! What a build without the `provider` or the `billing` feature (a calculator's browser
//! module) refuses: the sections it does not read, found in the parsed tree before anything
//! is read (or in a `Request` built in Rust), each an `unsupported` error at its path; and the
//! reading functions that keep those fields' types without serde's code for them.

use crate::error::{Error, ErrorCode, Errors};
use crate::format::read::Tree;

/// The sections of a request that only a build with the `provider` feature computes.
#[cfg(not(feature = "provider"))]
pub(crate) const PROVIDER_SECTIONS: [&str; 9] = [
    "offer",
    "tariff_notice",
    "settlement",
    "partnership",
    "base_funding",
    "special_arrangements",
    "ambulant",
    "buyer",
    "scenarios",
];

/// In a build without the `provider` feature (the browser calculator's module): one
/// `unsupported` error for each provider section the request has (`has(key)`), or none.
#[cfg(not(feature = "provider"))]
pub(crate) fn unsupported_sections(has: impl Fn(&str) -> bool) -> Option<Errors> {
    let errors = PROVIDER_SECTIONS
        .iter()
        .filter(|key| has(key))
        .map(|key| {
            Error::new(
                ErrorCode::Unsupported,
                *key,
                format!(
                    "this build of takst (the calculator's browser module) prices courses from \
                     catalogues only and does not compute `{key}`; use the full module \
                     (takst_wasm_bg.wasm), the Rust library or the Python package"
                ),
                format!(
                    "Denne udgave af takst (beregnerens browsermodul) beregner kun forløb ud fra \
                     takstblade og ikke `{key}`; brug det fulde modul (takst_wasm_bg.wasm), \
                     Rust-biblioteket eller Python-pakken."
                ),
            )
        })
        .collect();
    Errors::from_vec(errors)
}

/// In a build without the `billing` feature (the calculator's first browser module): one
/// `unsupported` error for what it does not read, in the request's order: the `billing`
/// section (`billing`), each course's changes (`courses`, by index: their `changes`, at most
/// one more than `max` of them), the caseload budget (`caseload`: `options.caseload`).
#[cfg(not(feature = "billing"))]
pub(crate) fn unsupported_billing(
    billing: bool,
    courses: impl Iterator<Item = usize>,
    caseload: bool,
    max: usize,
) -> Option<Errors> {
    let mut errors = Vec::new();
    if billing {
        errors.push(billing_refused("billing".to_string(), "billing"));
    }
    // (One more than the limit, for the list to be cut with its note.)
    for i in courses.take(max.saturating_add(1)) {
        errors.push(billing_refused(
            crate::course::calendar::at(i, ".changes"),
            "changes",
        ));
    }
    if caseload {
        errors.push(billing_refused(
            "options.caseload".to_string(),
            "options.caseload",
        ));
    }
    Errors::from_vec(errors)
}

/// The `unsupported` error at `path` for `key`, which a build without the `billing` feature
/// does not read.
#[cfg(not(feature = "billing"))]
pub(crate) fn billing_refused(path: String, key: &str) -> Error {
    Error::new(
        ErrorCode::Unsupported,
        path,
        format!(
            "this build of takst (the calculator's first browser module) prices courses as \
             planned, under the default billing conventions, and does not read `{key}`; use \
             the calculator's module (takst_beregner_bg.wasm), the full module, the Rust \
             library or the Python package"
        ),
        format!(
            "Denne udgave af takst (beregnerens første browsermodul) prissætter forløb, som de \
             er planlagt, efter standardreglerne for fakturering og læser ikke `{key}`; brug \
             beregnerens modul (takst_beregner_bg.wasm), det fulde modul, Rust-biblioteket \
             eller Python-pakken."
        ),
    )
}

/// [`unsupported_billing`] of a request's tree, before its fields are read: a `billing` key
/// whatever its value (a full build reads `null` there as an error, and `{}` as no section:
/// neither is this build's to answer), a course's `changes` that is a list with items (an
/// empty list, like anything else there, is read as a full build reads it), and
/// `options.caseload` that is `true`.
#[cfg(not(feature = "billing"))]
pub(super) fn unsupported_billing_in(tree: &Tree<'_>, max: usize) -> Option<Errors> {
    let courses = match tree.get("courses") {
        Some(Tree::Arr(courses)) => *courses,
        _ => &[],
    };
    unsupported_billing(
        tree.get("billing").is_some(),
        courses
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.get("changes"), Some(Tree::Arr([_, ..]))))
            .map(|(i, _)| i),
        matches!(
            tree.get("options").and_then(|o| o.get("caseload")),
            Some(Tree::Bool(true))
        ),
        max,
    )
}

/// A provider section in a build without the `provider` feature (or a `billing` section, or a
/// course's `changes`, without the `billing` feature): refused by [`unsupported_sections`]
/// (or [`unsupported_billing_in`]) before the request's fields are read, so takst's own
/// reader finds here only what gives no section (`null`, as a full build reads it; a
/// `billing` key is refused whatever its value, so here it is only the stand-in of a request
/// that is no object). Read through serde by someone else, anything else is an error: never
/// a section silently dropped (a `billing` of `null` reads there as none, which a full build
/// refuses as a wrong type).
#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
pub(crate) fn not_read<'de, D: serde::Deserializer<'de>, T: Default>(d: D) -> Result<T, D::Error> {
    d.deserialize_option(NotRead).map(|()| T::default())
}

/// The list sections' [`not_read`]: an empty list gives no section, as in a full build.
#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
pub(crate) fn not_read_list<'de, D: serde::Deserializer<'de>, T: Default>(
    d: D,
) -> Result<T, D::Error> {
    d.deserialize_seq(NotRead).map(|()| T::default())
}

/// Accepts what gives no section (`null`, `[]`), and nothing else. Not generic in the
/// section's type, so it is compiled once.
#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
struct NotRead;

#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
impl<'de> serde::de::Visitor<'de> for NotRead {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(NOT_READ)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(serde::de::Error::custom(NOT_READ))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match seq.next_element::<serde::de::IgnoredAny>()? {
            None => Ok(()),
            Some(_) => Err(serde::de::Error::custom(NOT_READ)),
        }
    }
}

#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
const NOT_READ: &str = "a section this build of takst does not read (it is built without the \
                        `provider` or the `billing` feature: a calculator's browser module)";

/// Whether a provider section's value in a request gives the section: not when it is `null`
/// (an optional section) or an empty list (a list section), which a full build reads as
/// absent.
#[cfg(not(feature = "provider"))]
pub(super) fn gives_section(key: &str, value: &Tree<'_>) -> bool {
    match value {
        Tree::Null => LIST_SECTIONS.contains(&key),
        Tree::Arr([]) => !LIST_SECTIONS.contains(&key),
        _ => true,
    }
}

/// The provider sections that are lists.
#[cfg(not(feature = "provider"))]
const LIST_SECTIONS: [&str; 2] = ["special_arrangements", "scenarios"];
