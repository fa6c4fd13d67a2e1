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

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde::Deserialize;

use crate::danish::int;
use crate::error::{split, Bilingual, Error, ErrorCode, Errors};
use crate::num::NUMBER_TOKEN;

use super::da::{fallback_da, json_da, syntax_da, toml_da};

/// A parsed JSON or TOML document.
#[derive(Debug)]
pub(crate) enum Tree<'a> {
    Null,
    Bool(bool),
    /// An integer that fits 128 bits.
    Int(i128),
    /// Any other number, as written.
    Num(Cow<'a, str>),
    Str(Cow<'a, str>),
    Arr(Vec<Tree<'a>>),
    /// Entries in document order; a key may repeat.
    Obj(Vec<(Cow<'a, str>, Tree<'a>)>),
}

impl Tree<'_> {
    /// What the node is, in English and in Danish.
    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            Tree::Null => ("null", "null"),
            Tree::Bool(_) => ("a boolean", "en sandhedsværdi"),
            Tree::Int(_) | Tree::Num(_) => ("a number", "et tal"),
            Tree::Str(_) => ("a string", "en tekst"),
            Tree::Arr(_) => ("a list", "en liste"),
            Tree::Obj(_) => ("an object", "et objekt"),
        }
    }

    /// The value of a top-level key of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Tree<'_>> {
        match self {
            Tree::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A string that borrows from the input when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Tree<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tree<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree<'de>, E> {
                Ok(Tree::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree<'de>, E> {
                Ok(Tree::Int(i128::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree<'de>, E> {
                Ok(Tree::Int(i128::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree<'de>, E> {
                Err(E::custom(Bilingual::new(
                    format!("invalid number: {v} arrived as binary floating point"),
                    "Tallet kom som binært kommatal og kan ikke læses præcist.",
                )))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Tree<'de>, E> {
                Ok(Tree::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree<'de>, E> {
                Ok(Tree::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Tree<'de>, E> {
                Ok(Tree::Str(Cow::Owned(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Tree<'de>, E> {
                Ok(Tree::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Tree<'de>, E> {
                Ok(Tree::Null)
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Tree<'de>, D::Error> {
                Tree::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Tree::Arr(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    // serde_json's arbitrary_precision hands a number over as a one-entry
                    // map under this key, with the number's text as the value.
                    if entries.is_empty() && key == NUMBER_TOKEN {
                        let Text(number) = map.next_value::<Text<'de>>()?;
                        return Ok(Tree::Num(number));
                    }
                    entries.push((key, map.next_value()?));
                }
                Ok(Tree::Obj(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses JSON text: one value, nothing after it but whitespace.
pub(crate) fn parse_json(text: &str) -> Result<Tree<'_>, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let tree = Tree::deserialize(&mut de).and_then(|t| de.end().map(|()| t));
    tree.map_err(|e| {
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        let message = match message.as_str() {
            "trailing characters" => {
                "trailing characters: the request must be one JSON value and nothing after it"
                    .to_string()
            }
            // A malformed number token (`1e`, `01`, `-`) is a syntax error of the text.
            m if m.starts_with("invalid number") => {
                "malformed number: a JSON number is digits with an optional sign, point, \
                 decimals and exponent (12, -12.5, 1e3), without leading zeros"
                    .to_string()
            }
            _ => message,
        };
        let message_da = syntax_da("JSON", json_da(&message), e.line(), e.column());
        Error::new(ErrorCode::Syntax, "", message, message_da).at(e.line(), e.column())
    })
}

/// Parses TOML text.
pub(crate) fn parse_toml(text: &str) -> Result<Tree<'_>, Error> {
    let table = toml::de::DeTable::parse(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| line_column(text, s.start))
            .unwrap_or((0, 0));
        let message = e.message().trim_end().to_string();
        let message_da = syntax_da("TOML", toml_da(&message), line, column);
        Error::new(ErrorCode::Syntax, "", message, message_da).at(line, column)
    })?;
    Ok(from_toml_table(table.into_inner()))
}

/// Line and column (from 1, column in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn from_toml_table(table: toml::de::DeTable<'_>) -> Tree<'_> {
    let mut entries: Vec<_> = table.into_iter().collect();
    // Document order (the table itself is ordered by key).
    entries.sort_by_key(|(k, _)| k.span().start);
    Tree::Obj(
        entries
            .into_iter()
            .map(|(k, v)| (k.into_inner(), from_toml_value(v.into_inner())))
            .collect(),
    )
}

fn from_toml_value(value: toml::de::DeValue<'_>) -> Tree<'_> {
    use toml::de::DeValue;
    match value {
        DeValue::String(s) => Tree::Str(s),
        DeValue::Integer(i) => {
            let text = i.as_str();
            match i128::from_str_radix(text, i.radix()) {
                Ok(v) if i.radix() == 10 || v >= 0 => Tree::Int(v),
                _ if i.radix() == 10 => Tree::Num(Cow::Owned(text.to_string())),
                _ => Tree::Num(Cow::Owned(i.to_string())),
            }
        }
        DeValue::Float(f) => Tree::Num(Cow::Owned(f.as_str().to_string())),
        DeValue::Boolean(b) => Tree::Bool(b),
        // A TOML date (`start = 2026-03-01`) is read like the string "2026-03-01".
        DeValue::Datetime(d) => Tree::Str(Cow::Owned(d.to_string())),
        DeValue::Array(items) => Tree::Arr(
            items
                .into_iter()
                .map(|v| from_toml_value(v.into_inner()))
                .collect(),
        ),
        DeValue::Table(t) => from_toml_table(t),
    }
}

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
}

impl Reader {
    fn report(&self, code: ErrorCode, path: &Path<'_>, message: String, message_da: String) {
        let path = path.to_string();
        let mut errors = self.errors.borrow_mut();
        if errors.len() >= self.max_errors {
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
    };
    let path = Path::Root(root);
    for _ in 0..MAX_PASSES {
        *reader.new_poison.borrow_mut() = false;
        let de = De {
            node: tree,
            path,
            r: &reader,
            poison: false,
        };
        match T::deserialize(de) {
            Ok(value) => {
                let errors = reader.errors.take();
                return match Errors::from_vec(errors) {
                    None => Ok(value),
                    Some(e) => Err(e),
                };
            }
            Err(DeError::Reported) if *reader.new_poison.borrow() => continue,
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
    let errors = reader.errors.take();
    Err(Errors::from_vec(errors).unwrap_or_else(|| {
        Errors::from(Error::new(
            ErrorCode::Internal,
            root,
            "the request could not be read; please report it",
            "Forespørgslen kunne ikke læses (en fejl i takst); indberet den venligst.",
        ))
    }))
}

/// Deserializes one node of the tree.
struct De<'t, 'p, 'r> {
    node: &'t Tree<'t>,
    path: Path<'p>,
    r: &'r Reader,
    /// Read as a stand-in: any value the visitor accepts, no problems reported.
    poison: bool,
}

impl<'t, 'p, 'r> De<'t, 'p, 'r> {
    fn stand_in(&self) -> bool {
        self.poison || self.r.is_poisoned(self.node)
    }

    /// A visitor's own failure: recorded at this node, which is read as a stand-in on the
    /// next pass.
    fn settle<T>(&self, result: Result<T, DeError>) -> Result<T, DeError> {
        if self.stand_in() {
            // A stand-in a visitor refuses: nothing to report (the real problem is).
            return result.map_err(|_| DeError::Reported);
        }
        match result {
            Err(DeError::Custom(message)) => {
                self.r.report_custom(&self.path, &message);
                self.r.poison(self.node);
                Err(DeError::Reported)
            }
            Err(DeError::Missing(field)) => {
                let path = Path::Key(&self.path, field);
                self.r.report(
                    ErrorCode::MissingField,
                    &path,
                    format!("missing field `{field}`"),
                    format!("Feltet `{field}` mangler."),
                );
                self.r.add_missing(self.node, field);
                Err(DeError::Reported)
            }
            other => other,
        }
    }

    /// The node is not what the field takes: `expected` in English and in Danish.
    fn wrong_type(&self, (expected, expected_da): (&str, &str)) {
        if matches!(self.node, Tree::Null) {
            let message = format!("no value (null) where a value is required: give {expected}");
            let message_da =
                format!("Der er ingen værdi (null), hvor der kræves en: angiv {expected_da}.");
            self.r
                .report(ErrorCode::MissingValue, &self.path, message, message_da);
            return;
        }
        let (kind, kind_da) = self.node.kind();
        let message = format!("invalid type: {kind}, expected {expected}");
        let message_da = format!("Forkert type: {kind_da}, men her forventes {expected_da}.");
        self.r
            .report(ErrorCode::InvalidType, &self.path, message, message_da);
    }

    fn integer<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        min: i128,
        max: i128,
    ) -> Result<V::Value, DeError> {
        if self.stand_in() {
            return visitor.visit_u64(0);
        }
        let value = match self.node {
            Tree::Int(i) => Some(*i),
            Tree::Num(text) => match crate::num::parse_text(text, crate::num::Written::Number) {
                Ok(d) if d.fract().is_zero() => {
                    let d = d.normalize();
                    Some(d.mantissa())
                }
                Ok(_) => {
                    self.r.report(
                        ErrorCode::InvalidValue,
                        &self.path,
                        format!("invalid value: {text} must be a whole number"),
                        format!("Ugyldig værdi: `{text}` skal være et helt tal."),
                    );
                    return visitor.visit_u64(0);
                }
                Err(m) => {
                    self.r
                        .report(ErrorCode::InvalidNumber, &self.path, m.en, m.da);
                    return visitor.visit_u64(0);
                }
            },
            _ => None,
        };
        let Some(v) = value else {
            self.wrong_type(("a whole number", "et helt tal"));
            return visitor.visit_u64(0);
        };
        if v < min || v > max {
            self.r.report(
                ErrorCode::OutOfRange,
                &self.path,
                format!("{v} is out of range: give a whole number from {min} to {max}"),
                format!(
                    "Tallet {} er uden for det mulige: angiv et helt tal fra {} til {}.",
                    int(v),
                    int(min),
                    int(max)
                ),
            );
            return visitor.visit_u64(0);
        }
        let result = match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => visitor.visit_u64(u),
            (_, Ok(i)) => visitor.visit_i64(i),
            _ => visitor.visit_i128(v),
        };
        self.settle(result)
    }
}

/// A number's text handed to a visitor the way serde_json's `arbitrary_precision` does.
struct NumberMap<'a> {
    text: Option<&'a str>,
}

impl<'de> MapAccess<'de> for NumberMap<'_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(NUMBER_TOKEN.into_deserializer()).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let text = self.text.take().unwrap_or("0");
        seed.deserialize(text.into_deserializer())
    }
}

/// A struct read as a stand-in: every field present, each a stand-in.
struct StandInFields<'t, 'p, 'r> {
    fields: std::slice::Iter<'static, &'static str>,
    node: &'t Tree<'t>,
    path: Path<'p>,
    r: &'r Reader,
}

impl<'de> MapAccess<'de> for StandInFields<'_, '_, '_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.fields.next() {
            Some(f) => seed.deserialize((*f).into_deserializer()).map(Some),
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        seed.deserialize(De {
            node: self.node,
            path: self.path,
            r: self.r,
            poison: true,
        })
    }
}

/// A list's items.
struct Items<'t, 'p, 'r> {
    items: std::iter::Enumerate<std::slice::Iter<'t, Tree<'t>>>,
    path: Path<'p>,
    r: &'r Reader,
}

impl<'de> SeqAccess<'de> for Items<'_, '_, '_> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some((i, node)) = self.items.next() else {
            return Ok(None);
        };
        let parent = self.path;
        seed.deserialize(De {
            node,
            path: Path::Index(&parent, i),
            r: self.r,
            poison: false,
        })
        .map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An empty list or map, for stand-ins.
struct Empty;

impl<'de> SeqAccess<'de> for Empty {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        _: T,
    ) -> Result<Option<T::Value>, DeError> {
        Ok(None)
    }
}

impl<'de> MapAccess<'de> for Empty {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _: K,
    ) -> Result<Option<K::Value>, DeError> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _: V) -> Result<V::Value, DeError> {
        Err(custom("no value", "Ingen værdi."))
    }
}

/// An enum variant: its name, and the node holding its content (if any).
struct Variant<'t, 'p, 'r> {
    name: &'static str,
    content: Option<&'t Tree<'t>>,
    node: &'t Tree<'t>,
    path: Path<'p>,
    r: &'r Reader,
    poison: bool,
}

impl<'de, 't, 'p, 'r> EnumAccess<'de> for Variant<'t, 'p, 'r> {
    type Error = DeError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), DeError> {
        let v = seed.deserialize(self.name.into_deserializer())?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, '_, '_> {
    type Error = DeError;
    fn unit_variant(self) -> Result<(), DeError> {
        match self.content {
            None | Some(Tree::Null) => Ok(()),
            Some(_) if self.poison => Ok(()),
            Some(other) => {
                self.r.report(
                    ErrorCode::InvalidType,
                    &self.path,
                    format!(
                        "invalid type: {} after \"{}\", which takes no value",
                        other.kind().0,
                        self.name
                    ),
                    format!(
                        "Forkert type: {} efter \"{}\", som ikke tager nogen værdi.",
                        other.kind().1,
                        self.name
                    ),
                );
                Ok(())
            }
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        let parent = self.path;
        match self.content {
            Some(node) if !self.poison => seed.deserialize(De {
                node,
                path: Path::Key(&parent, self.name),
                r: self.r,
                poison: false,
            }),
            _ => {
                if !self.poison {
                    self.r.report(
                        ErrorCode::InvalidType,
                        &self.path,
                        format!(
                            "invalid type: \"{}\" needs a value, e.g. {{\"{}\": …}}",
                            self.name, self.name
                        ),
                        format!(
                            "Forkert type: \"{}\" skal have en værdi, fx {{\"{}\": …}}.",
                            self.name, self.name
                        ),
                    );
                }
                seed.deserialize(De {
                    node: self.node,
                    path: parent,
                    r: self.r,
                    poison: true,
                })
            }
        }
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(Empty)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let parent = self.path;
        match self.content {
            Some(node) if !self.poison => {
                let de = De {
                    node,
                    path: Path::Key(&parent, self.name),
                    r: self.r,
                    poison: false,
                };
                de::Deserializer::deserialize_struct(de, "", fields, visitor)
            }
            _ => visitor.visit_map(StandInFields {
                fields: fields.iter(),
                node: self.node,
                path: parent,
                r: self.r,
            }),
        }
    }
}

impl<'t, 'p, 'r> De<'t, 'p, 'r> {
    /// Reports repeated keys and (for structs) unknown keys; returns the entries to read.
    fn check_keys(
        &self,
        entries: &'t [(Cow<'t, str>, Tree<'t>)],
        fields: Option<&'static [&'static str]>,
    ) -> Vec<Entry<'t>> {
        let mut keep: Vec<Entry<'t>> = Vec::with_capacity(entries.len());
        // Objects are small: a short list beats hashing until they are not.
        let small = entries.len() <= 16;
        let mut seen_small: Vec<&str> = Vec::new();
        let mut seen_big: HashSet<&str> = HashSet::new();
        for entry in entries {
            let key = entry.0.as_ref();
            let repeated = if small {
                let r = seen_small.contains(&key);
                seen_small.push(key);
                r
            } else {
                !seen_big.insert(key)
            };
            if repeated {
                let path = Path::Key(&self.path, key);
                self.r.report(
                    ErrorCode::DuplicateKey,
                    &path,
                    format!("the key \"{key}\" appears more than once"),
                    format!("Nøglen \"{key}\" står mere end én gang."),
                );
                continue;
            }
            if let Some(fields) = fields {
                if !fields.contains(&key) {
                    let path = Path::Key(&self.path, key);
                    let (message, message_da) = if fields.is_empty() {
                        (
                            format!("unknown field `{key}`: no fields are expected here"),
                            format!("Feltet `{key}` findes ikke; her forventes ingen felter."),
                        )
                    } else {
                        let list = fields
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        (
                            format!("unknown field `{key}`, expected one of {list}"),
                            format!("Feltet `{key}` findes ikke her; forventede et af: {list}."),
                        )
                    };
                    self.r
                        .report(ErrorCode::UnknownField, &path, message, message_da);
                    continue;
                }
            }
            keep.push((key, Some(&entry.1)));
        }
        // Fields found missing on an earlier pass, as stand-ins.
        for field in self.r.missing_of(self.node) {
            keep.push((field, None));
        }
        keep
    }
}

/// An entry handed to a visitor: a key and its node, or a stand-in for a missing field.
type Entry<'t> = (&'t str, Option<&'t Tree<'t>>);

/// Entries already checked, handed to a visitor.
struct Checked<'t, 'p, 'r> {
    entries: std::vec::IntoIter<Entry<'t>>,
    value: Option<Entry<'t>>,
    /// The object node, for stand-ins.
    node: &'t Tree<'t>,
    path: Path<'p>,
    r: &'r Reader,
}

impl<'t, 'p, 'r> Checked<'t, 'p, 'r> {
    fn new(de: &De<'t, 'p, 'r>, entries: Vec<Entry<'t>>) -> Self {
        Checked {
            entries: entries.into_iter(),
            value: None,
            node: de.node,
            path: de.path,
            r: de.r,
        }
    }
}

impl<'de> MapAccess<'de> for Checked<'_, '_, '_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some(entry) => {
                self.value = Some(entry);
                seed.deserialize(entry.0.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((key, node)) = self.value.take() else {
            return Err(custom("a value without a key", "En værdi uden nøgle."));
        };
        let parent = self.path;
        seed.deserialize(De {
            node: node.unwrap_or(self.node),
            path: Path::Key(&parent, key),
            r: self.r,
            poison: node.is_none(),
        })
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

impl<'de> de::Deserializer<'de> for De<'_, '_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.stand_in() {
            return visitor.visit_map(NumberMap { text: Some("0") });
        }
        let result = match self.node {
            Tree::Null => visitor.visit_unit(),
            Tree::Bool(b) => visitor.visit_bool(*b),
            Tree::Int(i) => match (u64::try_from(*i), i64::try_from(*i)) {
                (Ok(u), _) => visitor.visit_u64(u),
                (_, Ok(v)) => visitor.visit_i64(v),
                _ => visitor.visit_map(NumberMap {
                    text: Some(&i.to_string()),
                }),
            },
            Tree::Num(text) => visitor.visit_map(NumberMap { text: Some(text) }),
            Tree::Str(s) => visitor.visit_str(s),
            Tree::Arr(items) => {
                let parent = self.path;
                return self.settle(visitor.visit_seq(Items {
                    items: items.iter().enumerate(),
                    path: parent,
                    r: self.r,
                }));
            }
            Tree::Obj(entries) => {
                let keep = self.check_keys(entries, None);
                return self.settle(visitor.visit_map(Checked::new(&self, keep)));
            }
        };
        self.settle(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            if let Tree::Bool(b) = self.node {
                return self.settle(visitor.visit_bool(*b));
            }
            self.wrong_type(("true or false", "true eller false"));
        }
        visitor.visit_bool(false)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i128::from(i8::MIN), i128::from(i8::MAX))
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i128::from(i16::MIN), i128::from(i16::MAX))
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i128::from(i32::MIN), i128::from(i32::MAX))
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i128::from(i64::MIN), i128::from(i64::MAX))
    }
    fn deserialize_i128<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i128::MIN, i128::MAX)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, i128::from(u8::MAX))
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, i128::from(u16::MAX))
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, i128::from(u32::MAX))
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, i128::from(u64::MAX))
    }
    fn deserialize_u128<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, i128::MAX)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(v)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            self.r.report(
                ErrorCode::Internal,
                &self.path,
                "takst reads no binary floating-point numbers".into(),
                "Binære kommatal kan ikke læses (en fejl i takst).".into(),
            );
        }
        visitor.visit_map(NumberMap { text: Some("0") })
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            if let Tree::Str(s) = self.node {
                return self.settle(visitor.visit_str(s));
            }
            self.wrong_type(("a string", "en tekst"));
        }
        // A stand-in that strings and dates alike accept.
        let stand_in = De {
            poison: true,
            ..self
        };
        stand_in.settle(visitor.visit_str(STAND_IN_TEXT))
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.stand_in() || matches!(self.node, Tree::Null) {
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() && !matches!(self.node, Tree::Null) {
            self.wrong_type(("null", "null"));
        }
        visitor.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(v)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            if let Tree::Arr(items) = self.node {
                let parent = self.path;
                let result = visitor.visit_seq(Items {
                    items: items.iter().enumerate(),
                    path: parent,
                    r: self.r,
                });
                return self.settle(result);
            }
            self.wrong_type(("a list", "en liste"));
        }
        visitor.visit_seq(Empty)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            if let Tree::Obj(entries) = self.node {
                let keep = self.check_keys(entries, None);
                let result = visitor.visit_map(Checked::new(&self, keep));
                return self.settle(result);
            }
            self.wrong_type(("an object", "et objekt"));
        }
        visitor.visit_map(Empty)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            match self.node {
                Tree::Obj(entries) => {
                    let keep = self.check_keys(entries, Some(fields));
                    let result = visitor.visit_map(Checked::new(&self, keep));
                    return self.settle(result);
                }
                Tree::Arr(_) => self.r.report(
                    ErrorCode::InvalidType,
                    &self.path,
                    format!(
                        "invalid type: a list, expected an object with named fields ({}); \
                         values by position are not part of the format",
                        fields.join(", ")
                    ),
                    format!(
                        "Forkert type: en liste, men her forventes et objekt med navngivne felter \
                         ({}); værdier efter placering er ikke en del af formatet.",
                        fields.join(", ")
                    ),
                ),
                _ => self.wrong_type(("an object", "et objekt")),
            }
        }
        let parent = self.path;
        visitor.visit_map(StandInFields {
            fields: fields.iter(),
            node: self.node,
            path: parent,
            r: self.r,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let first = variants.first().copied().unwrap_or("");
        let stand_in = |de: &Self| Variant {
            name: first,
            content: None,
            node: de.node,
            path: de.path,
            r: de.r,
            poison: true,
        };
        if self.stand_in() {
            return visitor.visit_enum(stand_in(&self));
        }
        let words = || {
            variants
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let chosen: Option<(&'static str, Option<&Tree<'_>>)> = match self.node {
            Tree::Str(s) => match variants.iter().find(|v| **v == s.as_ref()) {
                Some(v) => Some((v, None)),
                None => {
                    self.r.report(
                        ErrorCode::InvalidValue,
                        &self.path,
                        format!("unknown value \"{s}\", expected one of {}", words()),
                        format!(
                            "Værdien \"{s}\" kendes ikke; forventede en af: {}.",
                            words()
                        ),
                    );
                    None
                }
            },
            Tree::Obj(entries) => {
                let keep = self.check_keys(entries, Some(variants));
                match keep.as_slice() {
                    [(key, value)] => variants.iter().find(|v| **v == *key).map(|v| (*v, *value)),
                    [] => {
                        if entries.is_empty() {
                            self.r.report(
                                ErrorCode::MissingValue,
                                &self.path,
                                format!("give one of {}", words()),
                                format!("Angiv en af: {}.", words()),
                            );
                        }
                        None
                    }
                    _ => {
                        self.r.report(
                            ErrorCode::Conflict,
                            &self.path,
                            format!("give only one of {}", words()),
                            format!("Angiv kun en af: {}.", words()),
                        );
                        None
                    }
                }
            }
            _ => {
                let words = words();
                self.wrong_type((&format!("one of {words}"), &format!("en af: {words}")));
                None
            }
        };
        match chosen {
            Some((name, content)) => {
                let parent = self.path;
                let result = visitor.visit_enum(Variant {
                    name,
                    content,
                    node: self.node,
                    path: parent,
                    r: self.r,
                    poison: false,
                });
                self.settle(result)
            }
            None => visitor.visit_enum(stand_in(&self)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}
