//! Step 1 of reading, the quick way: JSON text of the usual kind parsed straight into a
//! [`Tree`], without serde_json's visitor protocol.
//!
//! serde_json (with `arbitrary_precision`) hands every number over as a one-entry map whose
//! text it has copied into a `String`, every key through a seed, every value through a
//! visitor: some 40 instructions a byte, more than a third of `evaluate_json` on the
//! calculator's request (callgrind). Here the bytes are read once, in place.
//!
//! This parser takes only what it can read to **the tree serde_json's reading gives**, and
//! returns `None` for anything else, which is then read by serde_json from the start (so a
//! syntax error has serde_json's message, line and column, and a rare form its exact
//! reading): any syntax error, a `\u` escape, a number with an exponent, nesting deeper
//! than [`QUICK_DEPTH`] levels. What it takes, it reads as serde_json does: a string without
//! escapes borrowed from the text, one with escapes copied into the arena; an integer that
//! fits 64 bits as its value (`-0` as text, as serde_json keeps it), any other number as
//! written. A property test compares the two readings on random and mangled texts.

use super::tree::{closed, Builder, Tree};

/// Levels of lists and objects (with those the builder has open) this parser takes; deeper
/// text is serde_json's to read, which knows the limits and their errors.
const QUICK_DEPTH: usize = 100;

/// `text` as one JSON value (whitespace around it) in the builder's arena, or `None` when
/// it is left to serde_json; the builder's stacks and depth are then as they were.
pub(super) fn json<'a>(text: &'a str, b: &mut Builder<'a>) -> Option<Tree<'a>> {
    let (items, entries, depth) = (b.items.len(), b.entries.len(), b.depth);
    let mut p = Parser { text, at: 0 };
    let tree = p.value(b).filter(|_| {
        p.space();
        p.at == text.len()
    });
    if tree.is_none() {
        b.items.truncate(items);
        b.entries.truncate(entries);
        b.depth = depth;
    }
    tree
}

/// The bytes that end a string's plain run: its closing quote, a backslash, a control
/// character.
static STOP: [bool; 256] = {
    let mut stop = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        stop[c] = true;
        c += 1;
    }
    stop[b'"' as usize] = true;
    stop[b'\\' as usize] = true;
    stop
};

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// JSON's whitespace, as serde_json skips it.
    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn value(&mut self, b: &mut Builder<'a>) -> Option<Tree<'a>> {
        self.space();
        match self.peek()? {
            b'{' => self.object(b),
            b'[' => self.list(b),
            b'"' => self.string(b).map(Tree::Str),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.word("true", Tree::Bool(true)),
            b'f' => self.word("false", Tree::Bool(false)),
            b'n' => self.word("null", Tree::Null),
            _ => None,
        }
    }

    fn word(&mut self, word: &str, tree: Tree<'a>) -> Option<Tree<'a>> {
        let rest = self.text.as_bytes().get(self.at..)?;
        rest.starts_with(word.as_bytes()).then(|| {
            self.at += word.len();
            tree
        })
    }

    /// One level more, unless that is beyond what this parser takes.
    fn enter(&mut self, b: &mut Builder<'a>) -> Option<()> {
        if b.depth >= QUICK_DEPTH.min(b.max_depth) {
            return None;
        }
        b.depth += 1;
        self.at += 1;
        Some(())
    }

    fn list(&mut self, b: &mut Builder<'a>) -> Option<Tree<'a>> {
        self.enter(b)?;
        let start = b.items.len();
        self.space();
        if self.peek()? == b']' {
            self.at += 1;
        } else {
            loop {
                let item = self.value(b)?;
                b.items.push(item);
                self.space();
                match self.peek()? {
                    b',' => self.at += 1,
                    b']' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        b.depth -= 1;
        Some(Tree::Arr(closed(b.bump, &mut b.items, start)))
    }

    fn object(&mut self, b: &mut Builder<'a>) -> Option<Tree<'a>> {
        self.enter(b)?;
        let start = b.entries.len();
        self.space();
        if self.peek()? == b'}' {
            self.at += 1;
        } else {
            loop {
                self.space();
                if self.peek()? != b'"' {
                    return None;
                }
                let key = self.string(b)?;
                self.space();
                if self.peek()? != b':' {
                    return None;
                }
                self.at += 1;
                let value = self.value(b)?;
                b.entries.push((key, value));
                self.space();
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        b.depth -= 1;
        Some(Tree::Obj(closed(b.bump, &mut b.entries, start)))
    }

    /// A string at its opening quote: borrowed from the text without escapes.
    fn string(&mut self, b: &Builder<'a>) -> Option<&'a str> {
        let start = self.at + 1;
        let rest = self.text.as_bytes().get(start..)?;
        let end = rest.iter().position(|&c| STOP[usize::from(c)])?;
        self.at = start + end;
        match rest.get(end)? {
            b'"' => {
                self.at += 1;
                self.text.get(start..start + end)
            }
            b'\\' => self.escaped(b, start),
            // A control character is serde_json's error to report.
            _ => None,
        }
    }

    /// The rest of a string with escapes, from its first backslash: copied into the arena
    /// with the escapes read (`\u` is left to serde_json).
    fn escaped(&mut self, b: &Builder<'a>, start: usize) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let mut s = String::from(self.text.get(start..self.at)?);
        let mut run = self.at;
        loop {
            match *bytes.get(self.at)? {
                b'"' => {
                    s.push_str(self.text.get(run..self.at)?);
                    self.at += 1;
                    return Some(b.text(&s));
                }
                b'\\' => {
                    s.push_str(self.text.get(run..self.at)?);
                    s.push(match *bytes.get(self.at + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        _ => return None,
                    });
                    self.at += 2;
                    run = self.at;
                }
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
    }

    /// A number without an exponent: an integer that fits 64 bits as its value, any other
    /// as written (serde_json's `arbitrary_precision` keeps `-0` as text too).
    fn number(&mut self) -> Option<Tree<'a>> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let digits = |from: usize| {
            bytes
                .get(from..)
                .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
        };
        let first = start + usize::from(negative);
        let n = digits(first);
        // No digit, or a leading zero before another digit.
        if n == 0 || (n > 1 && bytes.get(first) == Some(&b'0')) {
            return None;
        }
        self.at = first + n;
        let mut integer = true;
        if self.peek() == Some(b'.') {
            let f = digits(self.at + 1);
            if f == 0 {
                return None;
            }
            self.at += 1 + f;
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            return None;
        }
        let text = self.text.get(start..self.at)?;
        if integer {
            if !negative {
                if let Ok(u) = text.parse::<u64>() {
                    return Some(i64::try_from(u).map_or(Tree::UInt(u), Tree::Int));
                }
            } else if text != "-0" {
                if let Ok(i) = text.parse::<i64>() {
                    return Some(Tree::Int(i));
                }
            }
        }
        Some(Tree::Num(text))
    }
}

#[cfg(test)]
mod tests {
    use bumpalo::Bump;
    use proptest::prelude::*;

    use super::super::tree::{json_value_by_serde, Builder};
    use super::*;

    /// The quick reading of `text` against serde_json's: the same tree whenever it reads.
    fn compare(text: &str, depth: usize, max_depth: usize) -> Result<bool, TestCaseError> {
        let (bump, slow_bump) = (Bump::new(), Bump::new());
        let mut b = Builder::new(&bump);
        (b.depth, b.max_depth) = (depth, max_depth);
        b.items.push(Tree::Null);
        let quick = json(text, &mut b);
        // The stacks are left as they were (what was on them stays).
        prop_assert_eq!((b.items.len(), b.entries.len(), b.depth), (1, 0, depth));
        let Some(quick) = quick else {
            return Ok(false);
        };
        let mut s = Builder::new(&slow_bump);
        (s.depth, s.max_depth) = (depth, max_depth);
        let slow = json_value_by_serde(text, &mut s);
        prop_assert!(
            slow.is_ok(),
            "{text:?}: quick {quick:?}, serde_json {slow:?}"
        );
        prop_assert_eq!(Ok(quick), slow.map_err(|e| e.to_string()));
        Ok(true)
    }

    /// JSON values of takst's kind, written compactly or with whitespace.
    fn value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
            "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,4})?([eE][-+]?[0-9]{1,2})?",
            Just("-0".to_string()),
            Just("18446744073709551615".to_string()),
            Just("-9223372036854775809".to_string()),
            "\"([a-zæøå $:./-]|\\\\[\"\\\\/bfnrt]|\\\\u00e6|\u{7f}|\u{1f}){0,8}\"",
        ];
        leaf.prop_recursive(6, 48, 5, |inner| {
            let spaced = prop_oneof![Just(""), Just(" "), Just("\n\t"), Just("\r\n  ")];
            prop_oneof![
                (prop::collection::vec(inner.clone(), 0..5), spaced.clone())
                    .prop_map(|(items, s)| format!("[{s}{}{s}]", items.join(&format!("{s},{s}")))),
                (
                    prop::collection::vec(("\"([a-z_]|\\\\\"|\\\\\\\\){0,6}\"", inner), 0..5),
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
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Whatever the quick way reads, it reads to serde_json's tree; and it reads the
        /// usual texts (no exponent, no `\u`, no control character) itself.
        #[test]
        fn reads_as_serde_json_does(text in value(), depth in 0usize..3) {
            let read = compare(&text, depth, usize::MAX)?;
            let exponent = text.as_bytes().windows(2).any(|w| w[0].is_ascii_digit() && matches!(w[1], b'e' | b'E'));
            if !exponent && !text.contains("\\u") && !text.contains('\u{1f}') {
                prop_assert!(read, "{text:?} was left to serde_json");
            }
        }

        /// Mangled texts (a byte cut, changed or doubled): the quick way reads none that
        /// serde_json refuses, and reads the rest to its tree.
        #[test]
        fn mangled_texts_too(text in value(), at in any::<prop::sample::Index>(), byte in prop::sample::select(b"\"\\,:[]{}0-.e tnf\x01".to_vec()), how in 0u8..3) {
            let mut bytes = text.into_bytes();
            let i = at.index(bytes.len().max(1)).min(bytes.len());
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

    /// Texts serde_json refuses: the quick way reads none of them (and leaves the stacks).
    #[test]
    fn what_serde_json_refuses_is_left_to_it() {
        for text in [
            "",
            " ",
            "1.",
            "[1.]",
            "-",
            "-a",
            "01",
            "-01",
            "1.e3",
            "1.5.",
            "--1",
            "+1",
            ".5",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "{\"a\"}",
            "tru",
            "nul",
            "falsey",
            "\"\\x\"",
            "\"\u{1}\"",
            "\"abc",
            "1 2",
            "[",
            "]",
            "{",
            "[1]]",
            "NaN",
            "'a'",
            "\"\\\"",
        ] {
            let (bump, slow) = (Bump::new(), Bump::new());
            let mut b = Builder::new(&bump);
            assert!(json(text, &mut b).is_none(), "{text:?}");
            assert!(
                json_value_by_serde(text, &mut Builder::new(&slow)).is_err(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_left_to_serde_json() {
        let deep = format!("{}{}", "[".repeat(101), "]".repeat(101));
        let bump = Bump::new();
        let mut b = Builder::new(&bump);
        assert!(json(&deep, &mut b).is_none());
        let shallow = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(json(&shallow, &mut b).is_some());
        // With the builder's own levels.
        b.depth = 127;
        b.max_depth = 127;
        assert!(json("[]", &mut b).is_none());
        assert!(json("1", &mut b).is_some());
    }
}
