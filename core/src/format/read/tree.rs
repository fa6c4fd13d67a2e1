//! Step 1 of reading: the text parsed into a [`Tree`] that keeps every key in document order
//! (repeated ones too) and every number as its text; a syntax error with line and column.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::error::{Bilingual, Error, ErrorCode};
use crate::num::NUMBER_TOKEN;

use super::super::da::{json_da, syntax_da, toml_da};

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
    pub(super) fn kind(&self) -> (&'static str, &'static str) {
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
            // Unreachable with serde_json's `arbitrary_precision`, which hands every number
            // over as its text; the value is not written, so `f64` formatting is not linked.
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Tree<'de>, E> {
                Err(E::custom(Bilingual::new(
                    "invalid number: it arrived as binary floating point",
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
                    let value = map.next_value()?;
                    if entries.is_empty() && key == NUMBER_TOKEN {
                        if let Tree::Str(number) = value {
                            return Ok(Tree::Num(number));
                        }
                    }
                    entries.push((key, value));
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
