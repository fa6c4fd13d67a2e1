//! Tests of takst's JSON parser (`json.rs`) against serde_json's reading of the same text
//! into the same tree (what takst used before it): the tree, or the error's message, line
//! and column.

use std::fmt;

use bumpalo::Bump;
use proptest::prelude::*;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::error::Bilingual;
use crate::num::NUMBER_TOKEN;

use super::json::{json, SyntaxError};
use super::tree::{closed, Builder, Tree};

/// serde_json's reading of JSON text into the tree, which takst's parser replaced: what the
/// tests compare that parser with.
pub(super) fn json_value_by_serde<'a>(
    text: &'a str,
    b: &mut Builder<'a>,
) -> Result<Tree<'a>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Node(b, text)
        .deserialize(&mut de)
        .and_then(|t| de.end().map(|()| t))
}

/// One more level open, or the error of nesting too deep (the limit is serde_json's,
/// `MAX_DEPTH`, or none).
fn enter<E: de::Error>(b: &mut Builder<'_>) -> Result<(), E> {
    b.depth += 1;
    if b.depth > b.max_depth {
        return Err(E::custom(
            "nested deeper than 127 levels (recursion limit exceeded)",
        ));
    }
    Ok(())
}

/// A key: borrowed from the input when it has no escapes, else copied into the arena; and
/// whether it is serde_json's number token rather than a key of the text.
struct Key<'s, 'a>(&'s Builder<'a>, &'a str);

impl<'de> DeserializeSeed<'de> for Key<'_, 'de> {
    type Value = (&'de str, bool);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, 'de> {
    type Value = (&'de str, bool);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        // serde_json (`arbitrary_precision`) hands a number over as a one-entry map under its
        // token, a `&'static str` of its own. A key the text writes is borrowed from the text
        // (or copied, when it has escapes), so the same words written as a key are a key: the
        // address tells them apart, where the words cannot.
        let input = self.1.as_bytes().as_ptr_range();
        let token = v == NUMBER_TOKEN && !input.contains(&v.as_ptr());
        Ok((v, token))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0.text(v), false))
    }
}

/// One value, built into the arena.
struct Node<'s, 'a>(&'s mut Builder<'a>, &'a str);

impl<'de> DeserializeSeed<'de> for Node<'_, 'de> {
    type Value = Tree<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Tree<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, 'de> {
    type Value = Tree<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree<'de>, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree<'de>, E> {
        Ok(Tree::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree<'de>, E> {
        Ok(i64::try_from(v).map_or(Tree::UInt(v), Tree::Int))
    }
    // Unreachable with serde_json's `arbitrary_precision`, which hands every number over as
    // its text; the value is not written, so `f64` formatting is not linked.
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Tree<'de>, E> {
        Err(E::custom(Bilingual::new(
            "invalid number: it arrived as binary floating point",
            "Tallet kom som binært kommatal og kan ikke læses præcist.",
        )))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Tree<'de>, E> {
        Ok(Tree::Str(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree<'de>, E> {
        Ok(Tree::Str(self.0.text(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Tree<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let (b, input) = (self.0, self.1);
        enter(b)?;
        let start = b.items.len();
        while let Some(item) = seq.next_element_seed(Node(&mut *b, input))? {
            b.items.push(item);
        }
        b.depth -= 1;
        Ok(Tree::Arr(closed(b.bump, &mut b.items, start)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
        let (b, input) = (self.0, self.1);
        let first = map.next_key_seed(Key(&*b, input))?;
        let mut read = None;
        if let Some((key, true)) = first {
            // serde_json's arbitrary_precision hands a number over as a one-entry map under
            // its token, with the number's text as the value: a leaf, which opens no level.
            match map.next_value_seed(Node(&mut *b, input))? {
                Tree::Str(number) => return Ok(Tree::Num(number)),
                value => read = Some((key, value)),
            }
        }
        enter(b)?;
        let start = b.entries.len();
        if let Some((key, _)) = first {
            let entry = match read {
                Some(entry) => entry,
                None => (key, map.next_value_seed(Node(&mut *b, input))?),
            };
            b.entries.push(entry);
            while let Some((key, _)) = map.next_key_seed(Key(&*b, input))? {
                let value = map.next_value_seed(Node(&mut *b, input))?;
                b.entries.push((key, value));
            }
        }
        b.depth -= 1;
        Ok(Tree::Obj(closed(b.bump, &mut b.entries, start)))
    }
}

/// serde_json's error as takst's parser states it: the message without its position, and
/// the position.
fn as_syntax(e: &serde_json::Error) -> (String, usize, usize) {
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    (message, e.line(), e.column())
}

/// The two readings of `text` from a builder at `depth` of `max_depth` levels: the same
/// tree, or the same error at the same place.
fn compare(text: &str, depth: usize, max_depth: usize) -> Result<(), TestCaseError> {
    let (bump, serde_bump) = (Bump::new(), Bump::new());
    let mut b = Builder::new(&bump);
    (b.depth, b.max_depth) = (depth, max_depth);
    let mine = json(text, &mut b);
    let mut s = Builder::new(&serde_bump);
    (s.depth, s.max_depth) = (depth, max_depth);
    let theirs = json_value_by_serde(text, &mut s);
    match (mine, theirs) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{:?}", text),
        (
            Err(SyntaxError {
                message,
                line,
                column,
            }),
            Err(e),
        ) => {
            prop_assert_eq!(
                (message.to_string(), line, column),
                as_syntax(&e),
                "{:?}",
                text
            )
        }
        (a, b) => prop_assert!(false, "{text:?}: takst {a:?}, serde_json {b:?}"),
    }
    Ok(())
}

/// JSON values of takst's kind and beyond, written compactly or with whitespace.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,4})?([eE][-+]?[0-9]{1,2})?",
        Just("-0".to_string()),
        Just("18446744073709551615".to_string()),
        Just("18446744073709551616".to_string()),
        Just("-9223372036854775808".to_string()),
        Just("-9223372036854775809".to_string()),
        "\"([a-zæøå €$:./-]|\\\\[\"\\\\/bfnrt]|\\\\u00[eE]6|\\\\ud83d\\\\ude00|\\\\u[dD]83[dD]|\\\\udE00|\u{7f}|\u{1f}){0,8}\"",
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        let spaced = prop_oneof![Just(""), Just(" "), Just("\n\t"), Just("\r\n  ")];
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..5), spaced.clone())
                .prop_map(|(items, s)| format!("[{s}{}{s}]", items.join(&format!("{s},{s}")))),
            (
                prop::collection::vec(("\"([a-z_]|\\\\\"|\\\\\\\\|\\\\u0041){0,6}\"", inner), 0..5),
                spaced
            )
                .prop_map(|(entries, s)| {
                    let e: Vec<String> = entries
                        .iter()
                        .map(|(k, v)| format!("{k}{s}:{s}{v}"))
                        .collect();
                    format!("{{{s}{}{s}}}", e.join(","))
                }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// Well-formed texts (and those with a lone surrogate or a control character in a
    /// string): the same tree, or the same error.
    #[test]
    fn reads_as_serde_json_did(text in value(), depth in 0usize..3) {
        compare(&text, depth, usize::MAX)?;
        compare(&text, depth + 124, 127)?;
    }

    /// The same texts with a byte cut, changed or put in: the same tree or the same error,
    /// message, line and column.
    #[test]
    fn mangled_texts_too(
        text in value(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"\"\\,:[]{}0-+.eEu tnf\n\x01x".to_vec()),
        how in 0u8..3,
    ) {
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len() + 1);
        match how {
            0 => { if i < bytes.len() { bytes.remove(i); } }
            1 => { if i < bytes.len() { bytes[i] = byte; } else { bytes.push(byte); } }
            _ => bytes.insert(i, byte),
        }
        if let Ok(text) = String::from_utf8(bytes) {
            compare(&text, 0, usize::MAX)?;
            compare(&text, 125, 127)?;
        }
    }
}

/// Broken texts of every kind serde_json names, and the limits.
#[test]
fn each_error_as_serde_json_gave_it() {
    let texts = [
        "",
        " ",
        "\n\n ",
        "1.",
        "[1.]",
        "1.x",
        "-",
        "-a",
        "01",
        "-01",
        "1.e3",
        "1e",
        "1e+",
        "1ex",
        "1.5.",
        "--1",
        "+1",
        ".5",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1,",
        "[1",
        "[",
        "]",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\"}",
        "{\"a\":1 \"b\":2}",
        "{,}",
        "tru",
        "nul",
        "falsey",
        "nulx",
        "t",
        "\"\\x\"",
        "\"\u{1}\"",
        "\"abc",
        "\"a\\",
        "\"\\u12\"",
        "\"\\u12",
        "\"\\uzzzz\"",
        "\"\\ud800\"",
        "\"\\ud800\\n\"",
        "\"\\ud800\\u0041\"",
        "\"\\udc00\"",
        "\"\\ud800",
        "\"\\ud800\\",
        "1 2",
        "[1]]",
        "{}}",
        "[1],",
        "{\"a\":1},",
        "NaN",
        "'a'",
        "\"\\\"",
        "[\n1,\n2\n,]",
        "{\n\"a\":\n}",
        "\"\\ud83d\\ude00\"",
        "1E5",
        "-0.0e-0",
        "[\"\\u00e6\", 1e400]",
    ];
    for text in texts {
        compare(text, 0, usize::MAX).unwrap_or_else(|e| panic!("{e}"));
        compare(text, 126, 127).unwrap_or_else(|e| panic!("{e}"));
    }
    for n in [126, 127, 128, 129, 200] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")] {
            let deep = format!("{}1{}", open.repeat(n), close.repeat(n));
            compare(&deep, 0, usize::MAX).unwrap_or_else(|e| panic!("{e}"));
            compare(&deep, 3, 127).unwrap_or_else(|e| panic!("{e}"));
            let cut = format!("{} {}", open.repeat(n), close.repeat(n / 2));
            compare(&cut, 0, usize::MAX).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
