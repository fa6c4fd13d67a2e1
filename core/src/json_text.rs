//! JSON text written without the serde machinery, for the response's two hot writers (the
//! explanation's nodes and the courses' quotes): strings copied whole when nothing in them
//! needs escaping, and otherwise escaped by serde_json, so that the bytes are always
//! serde_json's own. Numbers and dates are written from their digits (`digits.rs`,
//! `date::ascii`).

use serde::Serialize;

/// A string as JSON: between quotes as it is when nothing in it needs escaping, otherwise
/// as serde_json writes it.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn push_str(out: &mut String, s: &str) {
    if needs_escape(s.as_bytes()) {
        push_serde(out, s);
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
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

/// A small value as serde_json writes it.
pub(crate) fn push_serde<T: Serialize + ?Sized>(out: &mut String, v: &T) {
    out.push_str(&serde_json::to_string(v).unwrap_or_default());
}

/// ASCII bytes (digits, a date) as text, without the UTF-8 check `str::from_utf8` makes.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn push_ascii(out: &mut String, bytes: &[u8]) {
    out.extend(bytes.iter().map(|&b| char::from(b)));
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
        fn escaped_len_is_serde_json_s(s in any::<String>()) {
            prop_assert_eq!(super::escaped_len(&s) + 2, serde_json::to_string(&s).unwrap_or_default().len());
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

    #[test]
    fn escaped_bytes_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for b in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
                    let mut s: String = "a".repeat(len);
                    s.replace_range(at..=at, &b.to_string());
                    let mut out = String::new();
                    super::push_str(&mut out, &s);
                    assert_eq!(out, serde_json::to_string(&s).unwrap_or_default());
                }
            }
        }
    }
}
