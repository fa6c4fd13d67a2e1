//! Reading requests: JSON or TOML text → a tree → the typed model, with every problem
//! reported at once, each at its path.
//!
//! Two steps:
//!
//! 1. The text is parsed into a [`Tree`]: objects keep every key in document order
//!    (duplicates included, so they can be reported at their path), and numbers keep their
//!    text, so nothing passes through binary floating point. A syntax error stops here,
//!    with its line and column.
//! 2. The model types' own `serde::Deserialize` implementations are driven over the tree by
//!    a deserializer that knows the path of every node. It reports unknown fields,
//!    duplicate keys, wrong types, unknown words and objects written as positional lists
//!    itself, and hands the visitor a harmless stand-in value so that reading goes on and
//!    finds the next problem. A problem only a visitor can see (a missing field, a value a
//!    custom visitor refuses) ends the pass; the node is then marked and the tree is read
//!    again with a stand-in there, until no new problem appears. Each extra pass finds at
//!    least one new problem, and the number of passes is bounded.
mod access;
mod deserializer;
mod document;
mod json;
#[cfg(test)]
mod json_tests;
mod tree;

pub(crate) use document::write_json;
pub use document::{Arena, Built, Document, DocumentBuilder, Text};

pub(crate) use json::RootCatalogue;
pub(crate) use tree::{parse_json, parse_json_holding, parse_toml, Tree};

/// The arena a text's tree is parsed into, sized for it at once: a node is 24 bytes and an
/// object's entry 40, about twice the bytes of text they are written with in a request
/// (measured on the examples; a block grows further as it must).
pub(crate) fn arena(text: &str) -> bumpalo::Bump {
    bumpalo::Bump::with_capacity(text.len().saturating_mul(2))
}

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeOwned};

use crate::error::{split, Bilingual, Error, ErrorCode, Errors};

use super::da::fallback_da;
use deserializer::De;

/// The path of a node: a linked list on the stack, rendered only when a problem is found.
#[derive(Clone, Copy)]
pub(crate) enum Path<'p> {
    Root(&'static str),
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Path::Root(prefix) => f.write_str(prefix),
            Path::Key(parent, key) => {
                let p = parent.to_string();
                if p.is_empty() {
                    f.write_str(key)
                } else {
                    write!(f, "{p}.{key}")
                }
            }
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// The errors found so far, and the nodes to read as stand-ins on the next pass.
struct Reader {
    errors: RefCell<Vec<Error>>,
    seen: RefCell<HashSet<(ErrorCode, String)>>,
    poisoned: RefCell<HashSet<usize>>,
    /// Fields found missing, per object node: supplied as stand-ins on the next pass.
    missing: RefCell<std::collections::HashMap<usize, Vec<&'static str>>>,
    new_poison: RefCell<bool>,
    max_errors: usize,
    /// Whether a new problem was found once `max_errors` were listed: the list then ends with
    /// the note that says so, as the problems of a request found after reading do (it listed
    /// 1,000 without a word, where 1,001 problems priced were 1,000 and the note).
    cut: std::cell::Cell<bool>,
}

impl Reader {
    fn report(&self, code: ErrorCode, path: &Path<'_>, message: String, message_da: String) {
        let path = path.to_string();
        let mut errors = self.errors.borrow_mut();
        if errors.len() >= self.max_errors {
            if !self.seen.borrow().contains(&(code, path)) {
                self.cut.set(true);
            }
            return;
        }
        if self.seen.borrow_mut().insert((code, path.clone())) {
            errors.push(Error::new(code, path, message, message_da));
        }
    }

    /// A message a visitor reported (from [`Bilingual`], or serde's own in English only).
    fn report_custom(&self, path: &Path<'_>, message: &str) {
        let (en, da) = split(message);
        let code = classify(en);
        let da = da.map_or_else(|| fallback_da(code, en), str::to_string);
        self.report(code, path, en.to_string(), da);
    }

    fn poison(&self, node: &Tree<'_>) {
        if self
            .poisoned
            .borrow_mut()
            .insert(node as *const Tree<'_> as usize)
        {
            *self.new_poison.borrow_mut() = true;
        }
    }

    fn add_missing(&self, node: &Tree<'_>, field: &'static str) {
        let mut missing = self.missing.borrow_mut();
        let fields = missing.entry(node as *const Tree<'_> as usize).or_default();
        if fields.contains(&field) {
            // Supplied already and missing again: read the whole node as a stand-in.
            drop(missing);
            self.poison(node);
        } else {
            fields.push(field);
            *self.new_poison.borrow_mut() = true;
        }
    }

    /// Whether an earlier pass found fields of this object missing.
    fn has_missing(&self, node: &Tree<'_>) -> bool {
        let missing = self.missing.borrow();
        !missing.is_empty() && missing.contains_key(&(node as *const Tree<'_> as usize))
    }

    fn missing_of(&self, node: &Tree<'_>) -> Vec<&'static str> {
        let missing = self.missing.borrow();
        if missing.is_empty() {
            return Vec::new();
        }
        missing
            .get(&(node as *const Tree<'_> as usize))
            .cloned()
            .unwrap_or_default()
    }

    fn is_poisoned(&self, node: &Tree<'_>) -> bool {
        let set = self.poisoned.borrow();
        !set.is_empty() && set.contains(&(node as *const Tree<'_> as usize))
    }
}

/// The error type of the tree deserializer.
#[derive(Debug)]
pub(crate) enum DeError {
    /// Already recorded; the pass ends.
    Reported,
    /// A required field is missing.
    Missing(&'static str),
    /// Anything a visitor reports.
    Custom(String),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            DeError::Reported => f.write_str("reported"),
            DeError::Missing(field) => write!(f, "missing field `{field}`"),
            DeError::Custom(m) => f.write_str(split(m).0),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    /// The message in its alternate form: a [`Bilingual`] message keeps its Danish text.
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::Custom(format!("{msg:#}"))
    }
    fn missing_field(field: &'static str) -> Self {
        DeError::Missing(field)
    }
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DeError::Custom(format!(
            "invalid type: {}, expected {exp}",
            Unexpected(unexp)
        ))
    }
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DeError::Custom(format!(
            "invalid value: {}, expected {exp}",
            Unexpected(unexp)
        ))
    }
}

/// serde's words for what a visitor was handed, as serde writes them, but for a binary
/// floating-point number: the tree deserializer never hands one over (numbers stay text),
/// so its value is not written, and the module does not carry `f64` formatting for it.
struct Unexpected<'a>(de::Unexpected<'a>);

impl fmt::Display for Unexpected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        use de::Unexpected::*;
        match self.0 {
            Bool(b) => write!(f, "boolean `{b}`"),
            Unsigned(i) => write!(f, "integer `{i}`"),
            Signed(i) => write!(f, "integer `{i}`"),
            Float(_) => f.write_str("floating point number"),
            Char(c) => write!(f, "character `{c}`"),
            Str(s) => write!(f, "string {s:?}"),
            Bytes(_) => f.write_str("byte array"),
            Unit => f.write_str("unit value"),
            Option => f.write_str("Option value"),
            NewtypeStruct => f.write_str("newtype struct"),
            Seq => f.write_str("sequence"),
            Map => f.write_str("map"),
            Enum => f.write_str("enum"),
            UnitVariant => f.write_str("unit variant"),
            NewtypeVariant => f.write_str("newtype variant"),
            TupleVariant => f.write_str("tuple variant"),
            StructVariant => f.write_str("struct variant"),
            Other(other) => f.write_str(other),
        }
    }
}

/// A visitor's failure in both languages.
fn custom(en: &str, da: &str) -> DeError {
    DeError::Custom(format!("{:#}", Bilingual::new(en, da)))
}

/// The code of a message a visitor reported (its English text).
fn classify(message: &str) -> ErrorCode {
    if message.starts_with("invalid type: null") {
        ErrorCode::MissingValue
    } else if message.starts_with("invalid number") {
        ErrorCode::InvalidNumber
    } else if message.starts_with("invalid type") {
        ErrorCode::InvalidType
    } else {
        ErrorCode::InvalidValue
    }
}

/// The text a stand-in string carries: a valid string, and a valid date.
const STAND_IN_TEXT: &str = "2000-01-01";

/// The most passes one read may take (each finds at least one new problem).
const MAX_PASSES: usize = 64;

/// Reads a `T` from a tree, reporting every problem found (up to `max_errors`).
pub(crate) fn typed<T: DeserializeOwned>(
    tree: &Tree<'_>,
    root: &'static str,
    max_errors: usize,
) -> Result<T, Errors> {
    let reader = Reader {
        errors: RefCell::new(Vec::new()),
        seen: RefCell::new(HashSet::new()),
        poisoned: RefCell::new(HashSet::new()),
        missing: RefCell::new(std::collections::HashMap::new()),
        new_poison: RefCell::new(false),
        max_errors: max_errors.max(1),
        cut: std::cell::Cell::new(false),
    };
    let path = Path::Root(root);
    // Whether the passes ran out while each still found new problems: the list is then not
    // every problem, and says so.
    let mut ran_out = false;
    for pass in 1..=MAX_PASSES {
        *reader.new_poison.borrow_mut() = false;
        let de = De {
            node: tree,
            path,
            r: &reader,
            poison: false,
        };
        match T::deserialize(de) {
            Ok(value) => {
                let mut errors = reader.errors.take();
                if reader.cut.get() {
                    errors.push(crate::evaluate::too_many_problems(reader.max_errors));
                }
                return match Errors::from_vec(errors) {
                    None => Ok(value),
                    Some(e) => Err(e),
                };
            }
            Err(DeError::Reported) if *reader.new_poison.borrow() => {
                ran_out = pass == MAX_PASSES;
                continue;
            }
            Err(DeError::Reported) => break,
            Err(DeError::Missing(field)) => {
                let message = format!("missing field `{field}`");
                reader.report(
                    classify(&message),
                    &path,
                    message,
                    format!("Feltet `{field}` mangler."),
                );
                break;
            }
            Err(DeError::Custom(message)) => {
                reader.report_custom(&path, &message);
                break;
            }
        }
    }
    let mut errors = reader.errors.take();
    if reader.cut.get() {
        errors.push(crate::evaluate::too_many_problems(reader.max_errors));
    }
    if ran_out && errors.len() < reader.max_errors {
        errors.push(Error::new(
            ErrorCode::LimitExceeded,
            root,
            format!(
                "the reading stopped after {MAX_PASSES} passes, each finding more problems: \
                 there may be more, found once these are fixed"
            ),
            format!(
                "Læsningen stoppede efter {MAX_PASSES} gennemløb, der hver fandt flere fejl: der \
                 kan være flere, som findes, når disse er rettet."
            ),
        ));
    }
    Err(Errors::from_vec(errors).unwrap_or_else(|| {
        Errors::from(Error::new(
            ErrorCode::Internal,
            root,
            "the request could not be read; please report it",
            "Forespørgslen kunne ikke læses (en fejl i takst); indberet den venligst.",
        ))
    }))
}
