//! JSON text written without the serde machinery, for the response's writers (the
//! explanation's nodes, the courses' quotes, the sheet, the warnings and errors): strings
//! copied whole when nothing in them needs escaping, and otherwise escaped as serde_json
//! escapes them (the tests compare the bytes with serde_json's on any string). Numbers and
//! dates are written from their digits (`digits.rs`, `date::ascii`).

use serde::ser::Impossible;
use serde::Serialize;

use crate::error::{Error, Warning};

/// A string as JSON: between quotes as it is when nothing in it needs escaping, otherwise
/// escaped as serde_json writes it.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn push_str(out: &mut String, s: &str) {
    out.push('"');
    if needs_escape(s.as_bytes()) {
        push_escaped(out, s);
    } else {
        out.push_str(s);
    }
    out.push('"');
}

/// A string's text between its quotes with serde_json's escapes: `\"`, `\\`, the short
/// ones for newline, carriage return, tab, backspace and form feed, and `\u00xx` (lowercase)
/// for the other control characters; every other character as it is.
#[cold]
#[inline(never)]
fn push_escaped(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // (`i` is at an ASCII byte: a character's boundary.)
        out.push_str(s.get(plain..i).unwrap_or_default());
        plain = i + 1;
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(short);
        }
    }
    out.push_str(s.get(plain..).unwrap_or_default());
}

/// A response's warnings as JSON, as serde_json writes `Vec<Warning>`: false, having written
/// part of the list, if a code is not a name (never: every code is a unit variant).
pub(crate) fn push_warnings(out: &mut String, warnings: &[Warning]) -> bool {
    push_list(out, warnings, |out, w| {
        push_problem(out, &w.code(), w.path(), w.message(), w.message_da())
    })
}

/// A response's errors as JSON, as serde_json writes `Vec<Error>` (`line` and `column` when
/// set).
pub(crate) fn push_errors(out: &mut String, errors: &[Error]) -> bool {
    push_list(out, errors, |out, e| {
        if !push_problem(out, &e.code(), e.path(), e.message(), e.message_da()) {
            return false;
        }
        let (line, column) = e.line_column();
        for (key, n) in [(",\"line\":", line), (",\"column\":", column)] {
            if let Some(n) = n {
                out.push_str(key);
                out.push_str(itoa::Buffer::new().format(n));
            }
        }
        true
    })
}

/// A list of objects, each written by `fields` after its `{` and closed here.
fn push_list<T>(out: &mut String, items: &[T], fields: impl Fn(&mut String, &T) -> bool) -> bool {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if !fields(out, item) {
            return false;
        }
        out.push('}');
    }
    out.push(']');
    true
}

/// A warning's or error's fields up to its Danish message, after its `{`; the caller closes
/// it.
fn push_problem(
    out: &mut String,
    code: &impl Serialize,
    path: &str,
    message: &str,
    message_da: &str,
) -> bool {
    let Ok(code) = code.serialize(UnitVariant) else {
        return false;
    };
    out.push_str("{\"code\":\"");
    out.push_str(code);
    out.push_str("\",\"path\":");
    push_str(out, path);
    out.push_str(",\"message\":");
    push_str(out, message);
    out.push_str(",\"message_da\":");
    push_str(out, message_da);
    true
}

/// Reads the name serde writes for a unit variant (an error's or a warning's code: its
/// `rename_all` and `rename` applied), and refuses any other value.
struct UnitVariant;

/// Not a unit variant.
#[derive(Debug)]
struct NotAUnitVariant;

impl std::fmt::Display for NotAUnitVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a unit variant")
    }
}

impl std::error::Error for NotAUnitVariant {}

impl serde::ser::Error for NotAUnitVariant {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotAUnitVariant
    }
}

/// Methods of [`UnitVariant`] that refuse their value.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<&'static str, NotAUnitVariant> {
            Err(NotAUnitVariant)
        })*
    };
}

impl serde::Serializer for UnitVariant {
    type Ok = &'static str;
    type Error = NotAUnitVariant;
    type SerializeSeq = Impossible<&'static str, NotAUnitVariant>;
    type SerializeTuple = Impossible<&'static str, NotAUnitVariant>;
    type SerializeTupleStruct = Impossible<&'static str, NotAUnitVariant>;
    type SerializeTupleVariant = Impossible<&'static str, NotAUnitVariant>;
    type SerializeMap = Impossible<&'static str, NotAUnitVariant>;
    type SerializeStruct = Impossible<&'static str, NotAUnitVariant>;
    type SerializeStructVariant = Impossible<&'static str, NotAUnitVariant>;

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<&'static str, NotAUnitVariant> {
        Ok(variant)
    }

    refuse! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotAUnitVariant> {
        Err(NotAUnitVariant)
    }
}

/// The bytes of a string as JSON between its quotes: as serde_json escapes it (`\"`, `\\`,
/// `\n` and the other short escapes, `\u00XX` for the other control characters).
pub(crate) fn escaped_len(s: &str) -> usize {
    if !needs_escape(s.as_bytes()) {
        return s.len();
    }
    s.bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum()
}

/// Whether a text has a byte JSON escapes (a quote, a backslash, a control character), 16
/// bytes at a time without an exit inside a block, so that the compiler vectorises it; the
/// rest eight at a time as one word, the last word overlapping the bytes before it (which
/// need no escape) rather than padded by a copy (a copy of a length the compiler does not
/// know is a call: two thirds of checking a quote's short names).
fn needs_escape(bytes: &[u8]) -> bool {
    let escaped = |b: u8| u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\');
    let Some(last) = bytes.last_chunk::<8>() else {
        return short_escapes(bytes);
    };
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(0, |any, &b| any | escaped(b)) != 0 {
            return true;
        }
    }
    let word = |w: &[u8; 8]| word_escapes(u64::from_le_bytes(*w));
    blocks.remainder().first_chunk::<8>().is_some_and(word) || word(last)
}

/// [`needs_escape`] for fewer than eight bytes: shifted into one word, padded with bytes
/// that need no escape.
fn short_escapes(bytes: &[u8]) -> bool {
    const PAD: u64 = u64::from_le_bytes([b'a'; 8]);
    word_escapes(bytes.iter().fold(PAD, |w, &b| (w << 8) | u64::from(b)))
}

/// Whether any of a word's eight bytes is below 0x20, a quote or a backslash (the bit tricks
/// of "Bit Twiddling Hacks": `hasless` and `haszero`, exact as to whether any byte is one).
fn word_escapes(x: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    (below | zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\')))) != 0
}

/// A text written as bytes into a buffer sized beforehand (the quotes' writer): a write is
/// a bounds check and a copy, where a `String`'s push loads and checks its length and
/// capacity every time and pushes ASCII a `char` at a time (callgrind: a fifth of writing
/// a quote was those checks and encodings). Only ASCII and whole `&str`s are written, so
/// the text is UTF-8, and the caller checks it once. What does not fit is not written but
/// counted: the caller learns the size to give the buffer, and writes again.
pub(crate) struct Cursor<'a> {
    /// The room left (empty once a write did not fit).
    rest: &'a mut [u8],
    /// The buffer's length.
    room: usize,
    /// The room left when a write did not fit.
    unused: usize,
    /// The bytes that did not fit.
    short: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Cursor<'a> {
        Cursor {
            room: buf.len(),
            rest: buf,
            unused: 0,
            short: 0,
        }
    }

    /// Appends bytes (ASCII, or a whole `&str`'s).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        // Splitting the room (rather than indexing at a position) leaves one comparison: the
        // part split off has the length of `bytes`, which the copy then need not check.
        let left = self.rest.len();
        match std::mem::take(&mut self.rest).split_at_mut_checked(bytes.len()) {
            Some((to, rest)) => {
                to.copy_from_slice(bytes);
                self.rest = rest;
            }
            // Not written, nor anything after it (no room is left), but counted.
            None => {
                self.unused = self.unused.saturating_add(left);
                self.short = self.short.saturating_add(bytes.len());
            }
        }
    }

    /// Appends the first `len` bytes of `bytes` (ASCII): with room for all of them, all are
    /// copied, one store of a word rather than a copy of a length the compiler does not
    /// know (a call), and the bytes past `len` are left to the next write.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn put_prefix<const N: usize>(&mut self, bytes: &[u8; N], len: usize) {
        let len = len.min(N);
        if let Some(window) = self.rest.first_chunk_mut::<N>() {
            *window = *bytes;
            if let Some((_, rest)) = std::mem::take(&mut self.rest).split_at_mut_checked(len) {
                self.rest = rest;
                return;
            }
        }
        self.put(bytes.get(..len).unwrap_or_default());
    }

    /// Appends a text whose length the compiler does not know (a name): one of 8 to 16
    /// bytes as two words that may overlap, rather than by a call to `memcpy`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn put_text(&mut self, bytes: &[u8]) {
        let len = bytes.len();
        if let (Some(head), Some(tail), true) =
            (bytes.first_chunk::<8>(), bytes.last_chunk::<8>(), len <= 16)
        {
            if let Some(window) = self.rest.first_chunk_mut::<16>() {
                if let Some(at) = window.get_mut(len - 8..len) {
                    at.copy_from_slice(tail);
                }
                if let Some(at) = window.first_chunk_mut::<8>() {
                    *at = *head;
                }
                if let Some((_, rest)) = std::mem::take(&mut self.rest).split_at_mut_checked(len) {
                    self.rest = rest;
                    return;
                }
            }
        }
        self.put(bytes);
    }

    /// The room left (none once a write did not fit).
    pub(crate) fn left(&self) -> usize {
        self.rest.len()
    }

    /// The length of the text written so far, or `None` once a write did not fit.
    pub(crate) fn written(&self) -> Option<usize> {
        (self.short == 0).then(|| self.room.saturating_sub(self.rest.len()))
    }

    /// The length of the text written, or, when it did not fit, the room it needs.
    pub(crate) fn finish(self) -> Result<usize, usize> {
        let written = self
            .room
            .saturating_sub(self.unused.saturating_add(self.rest.len()));
        match self.short {
            0 => Ok(written),
            short => Err(written.saturating_add(short)),
        }
    }
}

// The writers' buffer (`write_sized`), kept from one response to the next on the
// thread: a buffer made anew was zeroed to its room for every response (`resize`), 6 % of
// the calculator's request (callgrind). Only the bytes a pass has just written are ever
// read from it, so what an earlier response left in it is never seen.
thread_local! {
    static SCRATCH: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The largest buffer kept for the thread's next response (a large explanation's rows grow
/// it past this; such a buffer is let go).
const KEEP: usize = 1 << 16;

/// The thread's buffer (an empty one while another writer has it).
pub(crate) fn take_scratch() -> Vec<u8> {
    SCRATCH.take()
}

/// Keeps the buffer for the thread's next response, unless it has grown large.
pub(crate) fn keep_scratch(scratch: Vec<u8>) {
    if scratch.len() <= KEEP {
        SCRATCH.set(scratch);
    }
}

/// Appends the text `write` writes, into `scratch` first (kept from one text to the next,
/// and grown to `room` when it is shorter): a second pass has the room the first counted;
/// a third is never needed, and a text that still did not fit (or is not UTF-8) is `false`:
/// the caller then answers an `internal` error, never a text with a piece left out.
pub(crate) fn write_sized(
    out: &mut String,
    scratch: &mut Vec<u8>,
    room: usize,
    write: impl Fn(&mut Cursor<'_>),
) -> bool {
    if scratch.len() < room {
        scratch.resize(room, 0);
    }
    for _ in 0..2 {
        let mut cursor = Cursor::new(scratch);
        write(&mut cursor);
        match cursor.finish() {
            Ok(len) => return push_utf8(out, scratch.get(..len).unwrap_or_default()),
            Err(needed) => scratch.resize(needed, 0),
        }
    }
    false
}

/// A list as JSON, each item written by `each` (the quotes' and the sheet's writers).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn list<'q, T>(
    out: &mut Cursor<'_>,
    items: &'q [T],
    mut each: impl FnMut(&mut Cursor<'_>, &'q T),
) {
    out.put(b"[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.put(b",");
        }
        each(out, item);
    }
    out.put(b"]");
}

/// A string as JSON between the quotes the caller writes: as it is when nothing in it
/// needs escaping, otherwise as serde_json escapes it.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn put_str(out: &mut Cursor<'_>, s: &str) {
    if needs_escape(s.as_bytes()) {
        out.put(escaped(s).as_bytes());
    } else {
        out.put_text(s.as_bytes());
    }
}

/// [`put_str`] for a field whose value repeats (an invoice line's service and name: its
/// phase's, the same `Arc<str>`): the last value found to need no escaping is remembered,
/// by its address and length, and the same value is copied without being looked through
/// again.
#[derive(Default)]
pub(crate) struct Repeated<'a>(Option<&'a str>);

impl<'a> Repeated<'a> {
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn put(&mut self, out: &mut Cursor<'_>, s: &'a str) {
        // Equal wide pointers: the same bytes (borrowed, so unchanged).
        if self.0.is_some_and(|clean| std::ptr::eq(clean, s)) {
            out.put_text(s.as_bytes());
        } else if needs_escape(s.as_bytes()) {
            out.put(escaped(s).as_bytes());
        } else {
            self.0 = Some(s);
            out.put_text(s.as_bytes());
        }
    }
}

/// A string as serde_json escapes it, without its quotes (out of line, and not given the
/// cursor, which can then stay in registers in the writer that inlines [`put_str`]).
#[cold]
#[inline(never)]
fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(escaped_len(s));
    push_escaped(&mut out, s);
    out
}

/// Appends bytes a [`Cursor`] wrote (UTF-8 by construction: checked, never assumed); false,
/// appending nothing, if they are not (never met: only ASCII and whole `&str`s are written),
/// for the caller to answer an `internal` error rather than a text with a piece missing.
pub(crate) fn push_utf8(out: &mut String, bytes: &[u8]) -> bool {
    // simdutf8's check answers as std's does (bytes are UTF-8 or not); 3 to 4 times faster
    // on the ASCII these writers mostly write.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => {
            out.push_str(text);
            true
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_string_is_written_as_serde_json_writes_it(s in any::<String>()) {
            let mut out = String::new();
            super::push_str(&mut out, &s);
            prop_assert_eq!(out, serde_json::to_string(&s).unwrap_or_default());
        }

        #[test]
        fn a_string_put_is_written_as_serde_json_writes_it(s in any::<String>(), room in 0usize..64) {
            let mut buf = vec![0; room];
            let mut cursor = super::Cursor::new(&mut buf);
            cursor.put(b"\"");
            super::put_str(&mut cursor, &s);
            cursor.put(b"\"");
            let json = serde_json::to_string(&s).unwrap_or_default();
            match cursor.finish() {
                Ok(len) => {
                    let mut out = String::new();
                    prop_assert!(super::push_utf8(&mut out, &buf[..len]));
                    prop_assert_eq!(out, json);
                }
                // Too long for the room: nothing lost, the size needed is the text's.
                Err(needed) => prop_assert_eq!(needed, json.len()),
            }
        }

        #[test]
        fn escaped_len_is_serde_json_s(s in any::<String>()) {
            prop_assert_eq!(super::escaped_len(&s) + 2, serde_json::to_string(&s).unwrap_or_default().len());
        }

        #[test]
        fn warnings_and_errors_are_written_as_serde_json_writes_them(
            texts in proptest::collection::vec((any::<String>(), any::<String>(), "[ -~æøå\\n\\u{1}]{0,12}"), 0..4),
            at in proptest::option::of((0usize..5_000_000_000, 0usize..5_000_000_000)),
        ) {
            use crate::error::{Error, ErrorCode, Warning, WarningCode};
            let codes = [ErrorCode::Syntax, ErrorCode::UnknownField, ErrorCode::LimitExceeded];
            let warning_codes = [WarningCode::ServiceMixNot100, WarningCode::OccupancyBelowBand];
            let mut errors = Vec::new();
            let mut warnings = Vec::new();
            for (k, (path, message, message_da)) in texts.into_iter().enumerate() {
                let e = Error::new(codes[k % codes.len()], path.clone(), message.clone(), message_da.clone());
                errors.push(match at { Some((line, column)) => e.at(line, column), None => e });
                warnings.push(Warning::new(warning_codes[k % warning_codes.len()], path, message, message_da));
            }
            let mut out = String::new();
            prop_assert!(super::push_errors(&mut out, &errors));
            prop_assert_eq!(&out, &serde_json::to_string(&errors).unwrap_or_default());
            out.clear();
            prop_assert!(super::push_warnings(&mut out, &warnings));
            prop_assert_eq!(&out, &serde_json::to_string(&warnings).unwrap_or_default());
        }
    }

    /// Every byte at every place of a word, among bytes that need no escape and others
    /// that do.
    #[test]
    fn a_word_needs_an_escape_when_one_byte_does() {
        for fill in [b'a', 0x7f, 0xff, b' ', 0x21, 0x5b, 0x5d] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut word = [fill; 8];
                    word[at] = b;
                    let expected = word.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
                    assert_eq!(
                        super::word_escapes(u64::from_le_bytes(word)),
                        expected,
                        "{word:?}"
                    );
                }
            }
        }
    }

    /// Bytes that are not UTF-8 are refused whole, never appended in part.
    #[test]
    fn bytes_that_are_not_utf8_are_refused() {
        let mut out = String::from("{");
        assert!(!super::push_utf8(&mut out, b"\"ab\xc3"));
        assert_eq!(out, "{");
        assert!(super::push_utf8(&mut out, "\"æ\"".as_bytes()));
        assert_eq!(out, "{\"æ\"");
        // Texts long enough for the SIMD check, with one bad byte anywhere (a lone
        // continuation byte, a cut sequence, a surrogate's encoding) or none.
        let text = "{\"name\":\"Bostedet Ærø\",\"amount\":\"1234.50\"}".repeat(9);
        for bad in [&b"\x80"[..], b"\xc3", b"\xed\xa0\x80", b"\xff"] {
            for at in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
                let mut bytes = text.as_bytes().to_vec();
                bytes.splice(at..at, bad.iter().copied());
                let mut out = String::new();
                assert!(!super::push_utf8(&mut out, &bytes), "{bad:?} at {at}");
                assert!(out.is_empty());
            }
        }
        let mut out = String::new();
        assert!(super::push_utf8(&mut out, text.as_bytes()));
        assert_eq!(out, text);
    }

    #[test]
    fn escaped_bytes_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for b in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
                    let mut s: String = "a".repeat(len);
                    s.replace_range(at..=at, &b.to_string());
                    let mut out = String::new();
                    super::push_str(&mut out, &s);
                    let json = serde_json::to_string(&s).unwrap_or_default();
                    assert_eq!(out, json);
                    let mut buf = [0; 256];
                    let mut cursor = super::Cursor::new(&mut buf);
                    super::put_str(&mut cursor, &s);
                    // A repeated field, with the same text and with a clean one between.
                    let mut repeated = super::Repeated::default();
                    for t in [s.as_str(), s.as_str(), "a", s.as_str()] {
                        let mut buf = [0; 256];
                        let mut cursor = super::Cursor::new(&mut buf);
                        repeated.put(&mut cursor, t);
                        let mut alone = [0; 256];
                        let mut by_itself = super::Cursor::new(&mut alone);
                        super::put_str(&mut by_itself, t);
                        let (len, alone_len) = (cursor.finish(), by_itself.finish());
                        assert_eq!(len, alone_len);
                        assert_eq!(buf[..len.unwrap()], alone[..alone_len.unwrap()]);
                    }
                    let written = cursor.finish().ok().and_then(|len| buf.get(..len));
                    assert_eq!(written, json.get(1..json.len() - 1).map(str::as_bytes));
                }
            }
        }
    }
}
