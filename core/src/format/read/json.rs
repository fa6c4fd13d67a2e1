//! Step 1 of reading JSON: the text parsed straight into a [`Tree`], with serde_json's
//! grammar and serde_json's syntax errors.
//!
//! takst read JSON text through serde_json's deserializer until December 2026. With
//! `arbitrary_precision` it hands every number over as a one-entry map whose text it has
//! copied into a `String`, every key through a seed and every value through a visitor: some
//! 40 instructions a byte, more than a third of `evaluate_json` on the calculator's request
//! (callgrind). This parser reads the bytes once, in place, and builds the same tree:
//!
//! - a string without escapes is borrowed from the text, one with escapes copied into the
//!   arena with its escapes read (`\u` with UTF-16 surrogate pairs; a lone surrogate is an
//!   error);
//! - an integer that fits 64 bits is its value (`i64`, or `u64` beyond it); `-0` and any
//!   other number keep their text as serde_json gives it: as written, with an exponent
//!   written `e`, signed (`1E3` is `1e+3`);
//! - a syntax error has serde_json's message, line and column (the column in bytes, of the
//!   byte read last or of the one looked at next, as serde_json decides for each error), so
//!   the messages users see, their Danish texts (`da.rs`) and the conformance cases did not
//!   change. So do the limits: 127 levels of lists and objects (serde_json's recursion
//!   limit), and the builder's own (`MAX_DEPTH`, counted with the levels it has open).
//!
//! The tests compare it with serde_json's reading on random and mangled texts: the tree, or
//! the error's message, line and column.

use super::tree::{closed, Builder, Tree};

/// A syntax error: serde_json's message, and where it is (line from 1; column in bytes from 1,
/// 0 before the first byte of a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub message: &'static str,
    pub line: usize,
    pub column: usize,
}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const CONTROL: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING: &str = "trailing characters";
const HEX_END: &str = "unexpected end of hex escape";
const RECURSION: &str = "recursion limit exceeded";
/// The builder's limit (a document's levels with the ones it has open).
const TOO_DEEP: &str = "nested deeper than 127 levels (recursion limit exceeded)";

/// Levels serde_json counts down from: the 128th open list or object is an error.
const RECURSION_LIMIT: u8 = 128;

/// A stop at an error, which the parser keeps (`failed`, or `too_deep` for the builder's
/// depth error, which, as serde_json's custom errors, is placed where the value it arose in
/// has been read to). So a result is as small as its value.
struct Stop;

type Parsed<T> = Result<T, Stop>;

/// `text` as one JSON value (whitespace around it) in the builder's arena, with its scratch
/// stacks: what `tree::parse_json` and a document builder's `json` parse with.
pub(super) fn json<'a>(text: &'a str, b: &mut Builder<'a>) -> Result<Tree<'a>, SyntaxError> {
    json_holding(text, b, None).map(|(tree, _)| tree)
}

/// What the root object's `catalogue` entries were: how many (a key may repeat), how many
/// were the text held (`held`, given to [`json_holding`]) and so left out, and where
/// in the text the last one read is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RootCatalogue {
    pub keys: usize,
    pub held: usize,
    pub span: Option<(usize, usize)>,
}

/// [`json`], with the text of an object read before (`held`): a `catalogue` entry of the
/// root object whose value is written with exactly these bytes is not parsed again, and
/// stands as `null` in the tree. `held` must be the whole text of one object that this parser
/// read without an error as the value of a root `catalogue` (so at the same depth, under the
/// same limits): as an object's text ends at its closing brace, a text that starts with it
/// has that object there, and the parser would read the same tree from it.
pub(super) fn json_holding<'a>(
    text: &'a str,
    b: &mut Builder<'a>,
    held: Option<&'a str>,
) -> Result<(Tree<'a>, RootCatalogue), SyntaxError> {
    let mut p = Parser {
        text,
        at: 0,
        depth_left: RECURSION_LIMIT,
        failed: None,
        too_deep: false,
        held: held.filter(|h| h.starts_with('{')),
        catalogue: RootCatalogue::default(),
    };
    let tree = p.value(b).and_then(|tree| match p.space() {
        Some(_) => Err(p.peek_error(TRAILING)),
        None => Ok((tree, p.catalogue)),
    });
    // Every stop has recorded its error (`error`, `peek_error`, or `too_deep` placed by
    // `value`); were one not to, the text would still be refused, never read as empty.
    tree.map_err(|Stop| {
        p.failed.unwrap_or(SyntaxError {
            message: EXPECTED_VALUE,
            line: 1,
            column: 0,
        })
    })
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
    /// The next byte to read.
    at: usize,
    depth_left: u8,
    failed: Option<SyntaxError>,
    too_deep: bool,
    held: Option<&'a str>,
    catalogue: RootCatalogue,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    /// JSON's whitespace skipped; the byte after it.
    fn space(&mut self) -> Option<u8> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.at += 1,
                other => return other,
            }
        }
    }

    /// Line and column of the byte before `i` (serde_json's position of an index).
    fn position(&self, i: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let before = bytes.get(..i).unwrap_or(bytes);
        let start = memchr::memrchr(b'\n', before).map_or(0, |n| n + 1);
        let line = 1 + memchr::memchr_iter(b'\n', before.get(..start).unwrap_or(before)).count();
        (line, i - start)
    }

    /// An error at the byte read last.
    #[cold]
    fn error(&mut self, message: &'static str) -> Stop {
        let (line, column) = self.position(self.at);
        self.failed = Some(SyntaxError {
            message,
            line,
            column,
        });
        Stop
    }

    /// An error at the byte looked at next.
    #[cold]
    fn peek_error(&mut self, message: &'static str) -> Stop {
        let (line, column) = self.position((self.at + 1).min(self.text.len()));
        self.failed = Some(SyntaxError {
            message,
            line,
            column,
        });
        Stop
    }

    fn value(&mut self, b: &mut Builder<'a>) -> Parsed<Tree<'a>> {
        let Some(c) = self.space() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        let value = match c {
            b'n' => self.word(b"ull", Tree::Null),
            b't' => self.word(b"rue", Tree::Bool(true)),
            b'f' => self.word(b"alse", Tree::Bool(false)),
            b'-' => {
                self.at += 1;
                self.number(b, false)
            }
            b'0'..=b'9' => self.number(b, true),
            b'"' => {
                self.at += 1;
                self.string(b).map(Tree::Str)
            }
            b'[' | b'{' => {
                self.depth_left -= 1;
                if self.depth_left == 0 {
                    return Err(self.peek_error(RECURSION));
                }
                self.at += 1;
                let value = if c == b'[' {
                    self.list(b)
                } else {
                    self.object(b)
                };
                // The closing bracket is looked for after an error too (serde_json's
                // order, which places the depth error), but the first error stands.
                let kept = self.failed;
                let end = if c == b'[' {
                    self.end_list()
                } else {
                    self.end_object()
                };
                if value.is_err() {
                    self.failed = kept;
                }
                self.depth_left += 1;
                value.and_then(|value| end.map(|()| value))
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        };
        // The builder's depth error is placed where this value has been read to.
        if value.is_err() && self.too_deep {
            self.too_deep = false;
            return Err(self.error(TOO_DEEP));
        }
        value
    }

    /// `null`, `true` or `false` from its first letter on.
    fn word(&mut self, rest: &[u8], tree: Tree<'a>) -> Parsed<Tree<'a>> {
        self.at += 1;
        for &expected in rest {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(c) if c != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(tree)
    }

    /// One level more in the builder (its limit, not serde_json's).
    fn enter(&mut self, b: &mut Builder<'a>) -> Parsed<()> {
        b.depth += 1;
        if b.depth > b.max_depth {
            self.too_deep = true;
            return Err(Stop);
        }
        Ok(())
    }

    /// A list's items, after its `[`; the `]` is [`end_list`](Self::end_list)'s.
    fn list(&mut self, b: &mut Builder<'a>) -> Parsed<Tree<'a>> {
        self.enter(b)?;
        let start = b.items.len();
        let mut first = true;
        loop {
            match self.space() {
                None => return Err(self.peek_error(EOF_LIST)),
                Some(b']') => break,
                Some(_) if first => first = false,
                Some(b',') => {
                    self.at += 1;
                    match self.space() {
                        Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                        Some(_) => {}
                        None => return Err(self.peek_error(EOF_VALUE)),
                    }
                }
                Some(_) => return Err(self.peek_error(EXPECTED_LIST_END)),
            }
            let item = self.value(b)?;
            b.items.push(item);
        }
        b.depth -= 1;
        Ok(Tree::Arr(closed(b.bump, &mut b.items, start)))
    }

    fn end_list(&mut self) -> Parsed<()> {
        match self.space() {
            Some(b']') => {
                self.at += 1;
                Ok(())
            }
            Some(b',') => {
                self.at += 1;
                match self.space() {
                    Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                    _ => Err(self.peek_error(TRAILING)),
                }
            }
            Some(_) => Err(self.peek_error(TRAILING)),
            None => Err(self.peek_error(EOF_LIST)),
        }
    }

    /// The next key of an object, after its `{` or the entry before: `None` at its `}`.
    fn key(&mut self, b: &Builder<'a>, first: bool) -> Parsed<Option<&'a str>> {
        match self.space() {
            None => return Err(self.peek_error(EOF_OBJECT)),
            Some(b'}') => return Ok(None),
            Some(b'"') if first => {}
            Some(_) if first => return Err(self.peek_error(KEY_STRING)),
            Some(b',') => {
                self.at += 1;
                match self.space() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => return Err(self.peek_error(KEY_STRING)),
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            }
            Some(_) => return Err(self.peek_error(EXPECTED_OBJECT_END)),
        }
        self.at += 1;
        self.string(b).map(Some)
    }

    /// The value of an entry, from the colon after its key.
    fn entry_value(&mut self, b: &mut Builder<'a>, key: &str) -> Parsed<Tree<'a>> {
        match self.space() {
            Some(b':') => self.at += 1,
            Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
            None => return Err(self.peek_error(EOF_OBJECT)),
        }
        // (One level down from the limit: inside the root object, and only there.)
        if key == "catalogue" && self.depth_left == RECURSION_LIMIT - 1 {
            return self.catalogue(b);
        }
        self.value(b)
    }

    /// The value of the root object's `catalogue`: left out (`null`) when it is written as
    /// the text held, else read, and where it is kept.
    fn catalogue(&mut self, b: &mut Builder<'a>) -> Parsed<Tree<'a>> {
        self.catalogue.keys += 1;
        self.space();
        let start = self.at;
        let rest = self.text.as_bytes().get(start..).unwrap_or_default();
        if let Some(held) = self.held.filter(|h| rest.starts_with(h.as_bytes())) {
            self.at += held.len();
            self.catalogue.held += 1;
            return Ok(Tree::Null);
        }
        let value = self.value(b)?;
        self.catalogue.span = Some((start, self.at));
        Ok(value)
    }

    /// An object's entries, after its `{`; the `}` is [`end_object`](Self::end_object)'s.
    /// Its first key is read before the level is counted, as serde_json's reading did (it
    /// looked for a number's token there).
    fn object(&mut self, b: &mut Builder<'a>) -> Parsed<Tree<'a>> {
        let first = self.key(b, true)?;
        self.enter(b)?;
        let start = b.entries.len();
        let mut key = first;
        while let Some(k) = key {
            let value = self.entry_value(b, k)?;
            b.entries.push((k, value));
            key = self.key(b, false)?;
        }
        b.depth -= 1;
        Ok(Tree::Obj(closed(b.bump, &mut b.entries, start)))
    }

    fn end_object(&mut self) -> Parsed<()> {
        match self.space() {
            Some(b'}') => {
                self.at += 1;
                Ok(())
            }
            Some(b',') => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Err(self.peek_error(TRAILING)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    /// A string after its opening quote: borrowed from the text without escapes.
    fn string(&mut self, b: &Builder<'a>) -> Parsed<&'a str> {
        let start = self.at;
        let rest = self.text.as_bytes().get(start..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|&c| STOP[usize::from(c)])
            .unwrap_or(rest.len());
        self.at = start + n;
        if rest.get(n) == Some(&b'"') {
            self.at += 1;
            return Ok(self.text.get(start..start + n).unwrap_or_default());
        }
        self.string_rest(b, start)
    }

    /// The rest of a string from its first escape (or control character, or the end of the
    /// text): copied into the arena with its escapes read.
    #[cold]
    fn string_rest(&mut self, b: &Builder<'a>, mut start: usize) -> Parsed<&'a str> {
        let mut copy = String::new();
        loop {
            let plain = self.text.get(start..self.at).unwrap_or_default();
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => {
                    copy.push_str(plain);
                    self.at += 1;
                    return Ok(b.text(&copy));
                }
                Some(b'\\') => {
                    copy.push_str(plain);
                    self.at += 1;
                    copy.push(self.escape()?);
                    start = self.at;
                }
                Some(_) => {
                    self.at += 1;
                    return Err(self.error(CONTROL));
                }
            }
            let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
            self.at += rest
                .iter()
                .position(|&c| STOP[usize::from(c)])
                .unwrap_or(rest.len());
        }
    }

    /// The character an escape stands for, after its backslash.
    fn escape(&mut self) -> Parsed<char> {
        Ok(match self.next() {
            None => return Err(self.error(EOF_STRING)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode(),
            Some(_) => return Err(self.error(INVALID_ESCAPE)),
        })
    }

    /// A `\u` escape after its `u`: a character of the Basic Multilingual Plane, or a
    /// surrogate pair (`\ud83d\ude00`).
    fn unicode(&mut self) -> Parsed<char> {
        let n = self.hex()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(LONE_SURROGATE));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            return char::from_u32(u32::from(n)).ok_or_else(|| self.error(LONE_SURROGATE));
        }
        for expected in [b'\\', b'u'] {
            match self.next() {
                None => return Err(self.error(EOF_STRING)),
                Some(c) if c != expected => return Err(self.error(HEX_END)),
                Some(_) => {}
            }
        }
        let low = self.hex()?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(self.error(LONE_SURROGATE));
        }
        let c = ((u32::from(n) - 0xD800) << 10 | (u32::from(low) - 0xDC00)) + 0x1_0000;
        char::from_u32(c).ok_or_else(|| self.error(LONE_SURROGATE))
    }

    /// Four hex digits.
    fn hex(&mut self) -> Parsed<u16> {
        let Some(digits) = self.text.as_bytes().get(self.at..self.at + 4) else {
            self.at = self.text.len();
            return Err(self.error(EOF_STRING));
        };
        self.at += 4;
        let mut n = 0u16;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error(INVALID_ESCAPE)),
            };
            n = n << 4 | u16::from(v);
        }
        Ok(n)
    }

    /// A number, after its minus sign if it has one.
    fn number(&mut self, b: &Builder<'a>, positive: bool) -> Parsed<Tree<'a>> {
        let start = self.at - usize::from(!positive);
        match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(b'0') => {
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integer = false;
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(self.peek_error(match self.peek() {
                    Some(_) => INVALID_NUMBER,
                    None => EOF_VALUE,
                }));
            }
            self.digits();
        }
        let mantissa_end = self.at;
        let mut exponent = None;
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            let sign = match self.peek() {
                Some(c @ (b'+' | b'-')) => {
                    self.at += 1;
                    c
                }
                _ => b'+',
            };
            let digits = self.at;
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(c) if !c.is_ascii_digit() => return Err(self.error(INVALID_NUMBER)),
                Some(_) => self.digits(),
            }
            exponent = Some((sign, digits));
        }
        let written = self.text.get(start..self.at).unwrap_or_default();
        if let Some((sign, digits)) = exponent {
            // serde_json's text of it: the exponent as `e`, with its sign.
            let mantissa = self.text.get(start..mantissa_end).unwrap_or_default();
            let digits = self.text.get(digits..self.at).unwrap_or_default();
            let sign = if sign == b'-' { "e-" } else { "e+" };
            return Ok(Tree::Num(b.text(&[mantissa, sign, digits].concat())));
        }
        if integer {
            if positive {
                if let Ok(u) = written.parse::<u64>() {
                    return Ok(i64::try_from(u).map_or(Tree::UInt(u), Tree::Int));
                }
            } else if written != "-0" {
                if let Ok(i) = written.parse::<i64>() {
                    return Ok(Tree::Int(i));
                }
            }
        }
        Ok(Tree::Num(written))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
    }
}
