//! Step 1 of reading: the text parsed into a [`Tree`] that keeps every key in document order
//! (repeated ones too) and every number as its text; a syntax error with line and column.

use std::borrow::Cow;

use bumpalo::Bump;

use crate::error::{Error, ErrorCode};

use super::json::{json, json_holding, RootCatalogue, SyntaxError};

use super::super::da::{json_da, syntax_da, toml_da};

/// A parsed JSON or TOML document. Its nodes, lists and copied strings live in an arena
/// ([`Bump`]) that the reader drops at once when it is done; strings without escapes borrow
/// from the text. So parsing allocates a few growing blocks rather than a vector per object
/// and a kept string per number, and nothing is freed node by node (callgrind, a batch of 1,000
/// courses: the per-node vectors' `malloc`, growth and `free` were some 40 % of reading).
/// Not `Copy`, on purpose: the reader tells nodes apart by their address (a `clone` is
/// shallow: it shares its children). Two trees are equal when they are the same JSON value
/// written the same way: the same keys in the same order, numbers as the same text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tree<'a> {
    Null,
    Bool(bool),
    /// An integer that fits 64 bits (TOML's integers; JSON's when they fit).
    Int(i64),
    /// A positive integer beyond `i64` that fits 64 bits (`u64`, as serde_json read it).
    UInt(u64),
    /// Any other number, as written.
    Num(&'a str),
    Str(&'a str),
    Arr(&'a [Tree<'a>]),
    /// Entries in document order; a key may repeat.
    Obj(&'a [(&'a str, Tree<'a>)]),
}

impl Tree<'_> {
    /// What the node is, in English and in Danish.
    pub(super) fn kind(&self) -> (&'static str, &'static str) {
        match self {
            Tree::Null => ("null", "null"),
            Tree::Bool(_) => ("a boolean", "en sandhedsværdi"),
            Tree::Int(_) | Tree::UInt(_) | Tree::Num(_) => ("a number", "et tal"),
            Tree::Str(_) => ("a string", "en tekst"),
            Tree::Arr(_) => ("a list", "en liste"),
            Tree::Obj(_) => ("an object", "et objekt"),
        }
    }

    /// The value of a top-level key of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Tree<'_>> {
        match self {
            Tree::Obj(entries) => entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// What parsing builds with: the arena, and the items and entries of the lists and objects
/// still open (each is moved into the arena as one slice when it closes, so the scratch
/// vectors are the only ones that grow).
pub(super) struct Builder<'a> {
    pub bump: &'a Bump,
    pub items: Vec<Tree<'a>>,
    pub entries: Vec<(&'a str, Tree<'a>)>,
    /// Lists and objects open, and how many may be (serde_json stops a text at 128 of its
    /// own; a document builder counts the levels it opened itself as well).
    pub depth: usize,
    pub max_depth: usize,
}

impl<'a> Builder<'a> {
    pub fn new(bump: &'a Bump) -> Builder<'a> {
        Builder {
            bump,
            items: Vec::new(),
            entries: Vec::new(),
            depth: 0,
            max_depth: usize::MAX,
        }
    }

    pub(super) fn text(&self, s: &str) -> &'a str {
        self.bump.alloc_str(s)
    }
}

/// The items or entries of a list or object that closes, from `start` on in the scratch
/// stack: moved into the arena as one slice (copied whole: a node holds only references and
/// numbers) and taken off the stack.
pub(super) fn closed<'a, T: Clone>(bump: &'a Bump, stack: &mut Vec<T>, start: usize) -> &'a [T] {
    let slice = bump.alloc_slice_clone(stack.get(start..).unwrap_or_default());
    stack.truncate(start);
    slice
}

/// Levels of lists and objects a document may nest: serde_json's for text (the 128th level is
/// its "recursion limit exceeded"), and a document builder's (the error's text says 127).
pub(super) const MAX_DEPTH: usize = 127;
const _: () = assert!(MAX_DEPTH == 127);

/// Parses JSON text into `bump`: one value, nothing after it but whitespace.
pub(crate) fn parse_json<'a>(text: &'a str, bump: &'a Bump) -> Result<Tree<'a>, Error> {
    json(text, &mut Builder::new(bump)).map_err(|e| syntax_error(e, text))
}

/// [`parse_json`], with the text of a catalogue read before: a root `catalogue` written
/// with exactly that text stands as `null` (`json::json_holding`).
pub(crate) fn parse_json_holding<'a>(
    text: &'a str,
    bump: &'a Bump,
    held: Option<&'a str>,
) -> Result<(Tree<'a>, RootCatalogue), Error> {
    json_holding(text, &mut Builder::new(bump), held).map_err(|e| syntax_error(e, text))
}

/// A JSON syntax error with its line and column, in English and Danish.
pub(super) fn syntax_error(e: SyntaxError, text: &str) -> Error {
    let SyntaxError {
        message,
        line,
        column,
    } = e;
    if let Some((message, message_da)) = not_json_word(text, line, column) {
        let message_da = syntax_da("JSON", Some(message_da), line, column);
        return Error::new(ErrorCode::Syntax, "", message, message_da).at(line, column);
    }
    let message = match message {
        "trailing characters" => {
            "trailing characters: the request must be one JSON value and nothing after it"
        }
        // A malformed number token (`1e`, `01`, `-`) is a syntax error of the text.
        "invalid number" => {
            "malformed number: a JSON number is digits with an optional sign, point, decimals \
             and exponent (12, -12.5, 1e3), without leading zeros"
        }
        m => m,
    };
    let message_da = syntax_da("JSON", json_da(message), line, column);
    Error::new(ErrorCode::Syntax, "", message, message_da).at(line, column)
}

/// What a syntax error at `line` and `column` (serde_json's: from 1, the column in bytes) is
/// when the text there is something other formats write for a value and JSON has not: NaN or
/// an infinity (what Python's `json.dumps` writes for a float that is not finite), Python's
/// `True`, `False` or `None`, or a text in single quotes. `None` for any other error.
fn not_json_word(text: &str, line: usize, column: usize) -> Option<(String, String)> {
    let bytes = text.as_bytes();
    // The byte offset of the line: after its `line - 1`-th newline.
    let start = match line.checked_sub(1)? {
        0 => 0,
        n => memchr::memchr_iter(b'\n', bytes).nth(n - 1)? + 1,
    };
    let at = start.checked_add(column.checked_sub(1)?)?;
    if bytes.get(at) == Some(&b'\'') {
        return Some((
            "a JSON text is written in double quotes (\"…\"), not single quotes".into(),
            "en tekst skrives i JSON i dobbelte anførselstegn (\"…\"), ikke enkelte".into(),
        ));
    }
    // The word around the error: serde_json stops at its first letter, after a sign, or
    // after the letters that could begin `null`, `true` or `false`.
    let letter = |b: &u8| b.is_ascii_alphabetic();
    let from = bytes
        .get(..at)?
        .iter()
        .rposition(|b| !letter(b))
        .map_or(0, |i| i + 1);
    let to = bytes
        .get(from..)?
        .iter()
        .position(|b| !letter(b))
        .map_or(bytes.len(), |i| from + i);
    let w = text.get(from..to)?;
    if ["nan", "infinity", "inf"]
        .iter()
        .any(|n| w.eq_ignore_ascii_case(n))
    {
        // With its sign, if it has one (`-Infinity`).
        let signed = from
            .checked_sub(1)
            .filter(|&i| matches!(bytes.get(i), Some(b'-' | b'+')));
        let w = text.get(signed.unwrap_or(from)..to)?;
        return Some((
            ["`", w, "` is not a JSON number: JSON has no NaN or infinity (give a finite amount, e.g. as a decimal string: \"12.50\")"].concat(),
            ["`", w, "` er ikke et JSON-tal: JSON har hverken NaN eller uendelig (angiv et endeligt beløb, f.eks. som decimaltekst: \"12.50\")"].concat(),
        ));
    }
    if matches!(w, "True" | "False" | "None") {
        return Some((
            ["`", w, "` is Python, not JSON: write true, false or null"].concat(),
            [
                "`",
                w,
                "` er Python, ikke JSON: skriv true, false eller null",
            ]
            .concat(),
        ));
    }
    None
}

/// Parses TOML text into `bump`.
pub(crate) fn parse_toml<'a>(text: &'a str, bump: &'a Bump) -> Result<Tree<'a>, Error> {
    let table = toml::de::DeTable::parse(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| line_column(text, s.start))
            .unwrap_or((0, 0));
        let message = e.message().trim_end().to_string();
        let message_da = syntax_da("TOML", toml_da(&message), line, column);
        Error::new(ErrorCode::Syntax, "", message, message_da).at(line, column)
    })?;
    Ok(from_toml_table(table.into_inner(), bump))
}

/// Line and column (from 1, column in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn from_toml_table<'a>(table: toml::de::DeTable<'a>, bump: &'a Bump) -> Tree<'a> {
    // Document order (the table itself is ordered by key).
    let entries = crate::order::sorted_by(table.into_iter().collect(), |(a, _), (b, _)| {
        a.span().start.cmp(&b.span().start)
    });
    Tree::Obj(
        bump.alloc_slice_fill_iter(entries.into_iter().map(|(k, v)| {
            (
                text(k.into_inner(), bump),
                from_toml_value(v.into_inner(), bump),
            )
        })),
    )
}

/// An integer as a node of 64 bits, when it fits one.
fn int<'a>(v: i128) -> Option<Tree<'a>> {
    match (i64::try_from(v), u64::try_from(v)) {
        (Ok(i), _) => Some(Tree::Int(i)),
        (_, Ok(u)) => Some(Tree::UInt(u)),
        _ => None,
    }
}

/// A string of the TOML document: borrowed when it is, else copied into the arena.
fn text<'a>(s: Cow<'a, str>, bump: &'a Bump) -> &'a str {
    match s {
        Cow::Borrowed(s) => s,
        Cow::Owned(s) => bump.alloc_str(&s),
    }
}

fn from_toml_value<'a>(value: toml::de::DeValue<'a>, bump: &'a Bump) -> Tree<'a> {
    use toml::de::DeValue;
    match value {
        DeValue::String(s) => Tree::Str(text(s, bump)),
        DeValue::Integer(i) => {
            let digits = i.as_str();
            match i128::from_str_radix(digits, i.radix()) {
                Ok(v) if i.radix() == 10 || v >= 0 => int(v).unwrap_or_else(|| {
                    // Beyond 64 bits (which TOML does not have): the digits, as JSON's.
                    Tree::Num(bump.alloc_str(&v.to_string()))
                }),
                _ if i.radix() == 10 => Tree::Num(bump.alloc_str(digits)),
                _ => Tree::Num(bump.alloc_str(&i.to_string())),
            }
        }
        DeValue::Float(f) => Tree::Num(bump.alloc_str(f.as_str())),
        DeValue::Boolean(b) => Tree::Bool(b),
        // A TOML date (`start = 2026-03-01`) is read like the string "2026-03-01".
        DeValue::Datetime(d) => Tree::Str(bump.alloc_str(&d.to_string())),
        DeValue::Array(items) => Tree::Arr(
            bump.alloc_slice_fill_iter(
                items
                    .into_iter()
                    .map(|v| from_toml_value(v.into_inner(), bump)),
            ),
        ),
        DeValue::Table(t) => from_toml_table(t, bump),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings with escapes are copied into the arena, the rest borrowed; numbers keep their
    /// text; lists and objects keep their order and repeated keys.
    #[test]
    fn json_into_the_arena() {
        let text = r#"{"a\u00e6": ["x\"y", 12, -1.50, 1e3, null, true, [], {}],
                      "plain": {"k": "v", "k": 170141183460469231731687303715884105728}}"#;
        let bump = Bump::new();
        let tree = parse_json(text, &bump).unwrap_or_else(|e| panic!("{e}"));
        let Tree::Obj([(k, Tree::Arr(items)), (plain, Tree::Obj(entries))]) = tree else {
            panic!("{tree:?}")
        };
        assert_eq!((*k, *plain), ("aæ", "plain"));
        assert!(matches!(
            items,
            [
                Tree::Str("x\"y"),
                Tree::Int(12),
                Tree::Num("-1.50"),
                // serde_json writes the exponent's sign (its text, not a value).
                Tree::Num("1e+3"),
                Tree::Null,
                Tree::Bool(true),
                Tree::Arr([]),
                Tree::Obj([]),
            ]
        ));
        // Beyond 128 bits an integer is kept as its text.
        assert!(matches!(
            entries,
            [
                ("k", Tree::Str("v")),
                ("k", Tree::Num("170141183460469231731687303715884105728"))
            ]
        ));
        // A string without escapes borrows from the text.
        let Tree::Str(v) = &entries[0].1 else {
            panic!()
        };
        assert!(text.as_bytes().as_ptr_range().contains(&v.as_ptr()));
    }

    /// Integers beyond `i64` keep their value (serde_json's `u64`), and beyond 64 bits their
    /// text; a node is 24 bytes (a 16-byte slice or text and its tag), an object's entry 40.
    #[test]
    fn integers_and_the_size_of_a_node() {
        let bump = Bump::new();
        let text = "[9223372036854775807, 9223372036854775808, 18446744073709551616, -9223372036854775808]";
        let tree = parse_json(text, &bump).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            tree,
            Tree::Arr([
                Tree::Int(i64::MAX),
                Tree::UInt(9223372036854775808),
                Tree::Num("18446744073709551616"),
                Tree::Int(i64::MIN),
            ])
        ));
        assert_eq!(std::mem::size_of::<Tree<'_>>(), 24);
        assert_eq!(std::mem::size_of::<(&str, Tree<'_>)>(), 40);
    }

    #[test]
    fn toml_into_the_arena() {
        let text = "b = \"\\u00e6\"\na = [1, 2.50, 0x10]\n[t]\nd = 2026-03-01\n";
        let bump = Bump::new();
        let tree = parse_toml(text, &bump).unwrap_or_else(|e| panic!("{e}"));
        let Tree::Obj([("b", Tree::Str("æ")), ("a", Tree::Arr(a)), ("t", Tree::Obj(t))]) = tree
        else {
            panic!("{tree:?}")
        };
        assert!(matches!(
            a,
            [Tree::Int(1), Tree::Num("2.50"), Tree::Int(16)]
        ));
        assert!(matches!(t, [("d", Tree::Str("2026-03-01"))]));
    }
}
