//! Numbers written as ASCII digits without the formatting machinery.
//!
//! A response writes thousands of amounts, indices and months, and `Display` for a `Decimal`,
//! an `Exact` or a `u32` goes through `core::fmt` and, for the first two, allocates: in a
//! course response with the explanation that was a quarter of the time (callgrind). These
//! functions write **the same bytes** as the `Display` they stand in for (unit and property
//! tests compare them). Nothing here is used in a calculation.
//!
//! Three forms: [`Digits`], a buffer on the stack whose `as_str` hands serde a `&str` (the
//! serde path: `ser_decimal`, `to_json`); [`push_int`], which appends `itoa`'s digits to a
//! text (the names' blanks); and the `put_*` functions, which write into a [`Cursor`] (the
//! hand-written writers of the quotes and the explanation), an amount as words of bytes.
//! Property tests keep them the same as `Display` for every magnitude, scale and trimming.

use rust_decimal::Decimal;

use crate::json_text::Cursor;

/// Room for a 128-bit magnitude (39 digits) with its sign, a decimal point and a leading
/// zero, or for up to 38 decimals.
const ROOM: usize = 48;

/// The most decimals written here (more go through `Display`).
const MAX_SCALE: u32 = 38;

/// A number's text, written from the end of a buffer on the stack.
pub(crate) struct Digits {
    buf: [u8; ROOM],
    start: usize,
}

impl Digits {
    fn new() -> Digits {
        Digits {
            buf: [b'0'; ROOM],
            start: ROOM,
        }
    }

    fn push_front(&mut self, byte: u8) {
        debug_assert!(self.start > 0, "a number longer than {ROOM} bytes");
        // The callers write at most 42 bytes (see ROOM); a longer write would be a bug
        // here, and it keeps the bytes written rather than panicking.
        if let Some(i) = self.start.checked_sub(1) {
            if let Some(slot) = self.buf.get_mut(i) {
                *slot = byte;
                self.start = i;
            }
        }
    }

    /// Writes two digits in front.
    fn push_pair_front(&mut self, pair: [u8; 2]) {
        if let Some(i) = self.start.checked_sub(2) {
            if let Some(slot) = self.buf.get_mut(i..self.start) {
                slot.copy_from_slice(&pair);
                self.start = i;
            }
        }
    }

    /// Writes the next digit from the right (`written` so far), and the decimal point
    /// before it once `scale` decimals are written.
    fn digit(&mut self, d: u8, written: &mut u32, scale: u32) {
        if *written == scale && scale > 0 {
            self.push_front(b'.');
        }
        self.push_front(b'0' + d);
        *written += 1;
    }

    /// Writes `v` in front, a pair of digits at a time, as `scale` decimals after a point
    /// and at least one digit before it (the digits of an amount: `"81617.00"`).
    fn push_u64_front(&mut self, mut v: u64, scale: u32) {
        let mut decimals = scale;
        while decimals >= 2 {
            self.push_pair_front(pair((v % 100) as u32));
            v /= 100;
            decimals -= 2;
        }
        if decimals == 1 {
            self.push_front(b'0' + (v % 10) as u8);
            v /= 10;
        }
        if scale > 0 {
            self.push_front(b'.');
        }
        while v >= 100 {
            self.push_pair_front(pair((v % 100) as u32));
            v /= 100;
        }
        if v >= 10 {
            self.push_pair_front(pair(v as u32));
        } else {
            self.push_front(b'0' + v as u8);
        }
    }

    /// [`push_u64_front`](Self::push_u64_front) for a magnitude beyond 64 bits, a digit at
    /// a time.
    fn push_u128_front(&mut self, mut mag: u128, scale: u32) {
        // 128-bit division is a call into the runtime: the digits beyond 64 bits are taken
        // that way, the rest in 64 bits.
        let mut written = 0;
        let mut small = loop {
            if let Ok(small) = u64::try_from(mag) {
                break small;
            }
            self.digit((mag % 10) as u8, &mut written, scale);
            mag /= 10;
        };
        loop {
            self.digit((small % 10) as u8, &mut written, scale);
            small /= 10;
            if small == 0 && written > scale {
                break;
            }
        }
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits, '-' and '.' are ever written.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The text's bytes (ASCII).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }
}

/// `±mag × 10^−scale` in plain notation: with exactly `scale` decimals (as `Decimal`'s
/// `Display` writes it, `"81617.00"`), or, when `trim`, without trailing zeros and without
/// the point when nothing is left after it (as `Exact`'s, `"81617"`). At least one integer
/// digit (`"0.05"`). `None` beyond 38 decimals.
#[inline]
pub(crate) fn plain(negative: bool, mut mag: u128, mut scale: u32, trim: bool) -> Option<Digits> {
    if scale > MAX_SCALE {
        return None;
    }
    if trim {
        // In 64 bits when the magnitude fits (128-bit division is a call into the runtime).
        if let Ok(mut small) = u64::try_from(mag) {
            while scale > 0 && small % 10 == 0 {
                small /= 10;
                scale -= 1;
            }
            mag = u128::from(small);
        }
        while scale > 0 && mag % 10 == 0 {
            mag /= 10;
            scale -= 1;
        }
    }
    let mut out = Digits::new();
    match u64::try_from(mag) {
        // Every amount a response writes: in 64 bits, two digits a step.
        Ok(small) => out.push_u64_front(small, scale),
        Err(_) => out.push_u128_front(mag, scale),
    }
    if negative {
        out.push_front(b'-');
    }
    Some(out)
}

/// Eight digits of `v` (below 10⁸), the first in the lowest byte, each 0–9: the number
/// split into halves, quarters and digits by multiplying by reciprocals in all lanes of a
/// word at once (each lane wide enough that no product reaches the next), where writing
/// them a pair at a time divided four times and looked up a table four times.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn eight_digits(v: u32) -> u64 {
    // No lane's product or difference leaves it (wrapping: without the overflow checks the
    // release build would otherwise make of every step).
    let v = u64::from(v);
    // Lanes of 32 bits: v / 10⁴ and v % 10⁴.
    let halves = (v / 10_000) | ((v % 10_000) << 32);
    // Lanes of 16 bits: x / 100 and x % 100 for x below 10⁴ ((x × 10486) >> 20 is x / 100).
    let hundreds = (halves.wrapping_mul(10_486) >> 20) & 0x0000_007f_0000_007f;
    let quarters = hundreds | (halves.wrapping_sub(hundreds.wrapping_mul(100)) << 16);
    // Lanes of 8 bits: y / 10 and y % 10 for y below 100 ((y × 103) >> 10 is y / 10).
    let tens = (quarters.wrapping_mul(103) >> 10) & 0x000f_000f_000f_000f;
    tens | (quarters.wrapping_sub(tens.wrapping_mul(10)) << 8)
}

/// `v` (below 10⁸) as ASCII digits in the first bytes of a word, and their count.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn small_ascii(v: u32) -> ([u8; 8], usize) {
    let digits = eight_digits(v);
    // Leading zeros dropped (all but the last for 0).
    let zeros = (digits.trailing_zeros() / 8).min(7);
    let ascii = (digits | u64::from_le_bytes([b'0'; 8])) >> (zeros * 8);
    (ascii.to_le_bytes(), 8 - zeros as usize)
}

/// Appends a `Decimal` of 0, 1 or 2 decimals below 10⁸ before its point (every amount of
/// a quote) as its `Display` writes it, each part a store of a word; `false`, with nothing
/// written, for any other.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn put_small_decimal(out: &mut Cursor<'_>, d: &Decimal) -> bool {
    let Ok(mag) = u64::try_from(d.mantissa().unsigned_abs()) else {
        return false;
    };
    put_small(out, d.is_sign_negative(), mag, d.scale())
}

/// [`put_small_decimal`] for `±mag × 10^−scale` written with exactly `scale` decimals.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn put_small(out: &mut Cursor<'_>, negative: bool, mag: u64, scale: u32) -> bool {
    // The point and the decimals after it, as the bytes of a word, and how many they are.
    let (int, tail, tail_len) = match scale {
        0 => (mag, 0, 0),
        1 => (
            mag / 10,
            u32::from_le_bytes([b'.', b'0' + (mag % 10) as u8, 0, 0]),
            2,
        ),
        2 => {
            let [a, b] = pair((mag % 100) as u32);
            (mag / 100, u32::from_le_bytes([b'.', a, b, 0]), 3)
        }
        _ => return false,
    };
    let Some(int) = u32::try_from(int).ok().filter(|i| *i < 100_000_000) else {
        return false;
    };
    if negative {
        out.put(b"-");
    }
    let (digits, len) = small_ascii(int);
    out.put_prefix(&digits, len);
    out.put_prefix(&tail.to_le_bytes(), tail_len);
    true
}

/// Writes what [`plain`] writes into a cursor (the explanation's writer: an exact value);
/// `false`, with nothing written, beyond 38 decimals.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn put_plain(
    out: &mut Cursor<'_>,
    negative: bool,
    mag: u128,
    scale: u32,
    trim: bool,
) -> bool {
    if scale > MAX_SCALE {
        return false;
    }
    // Nearly every figure of an explanation: in 64 bits, trimmed to at most two decimals
    // and below 10⁸ before its point, a word at a time.
    if let Ok(mut small) = u64::try_from(mag) {
        let mut scale = scale;
        if trim {
            if small == 0 {
                scale = 0;
            }
            while scale > 0 && small % 10 == 0 {
                small /= 10;
                scale -= 1;
            }
        }
        if put_small(out, negative, small, scale) {
            return true;
        }
    }
    match plain(negative, mag, scale, trim) {
        Some(digits) => {
            put_digits(out, &digits);
            true
        }
        None => false,
    }
}

/// The bytes of a [`Digits`]: up to 16 as one store of a word (the text is the end of its
/// buffer, shifted to the start of the word), rather than a copy of a length the compiler
/// does not know (a call).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn put_digits(out: &mut Cursor<'_>, digits: &Digits) {
    let bytes = digits.as_bytes();
    let len = bytes.len();
    if len <= 16 {
        let word = digits.buf.last_chunk::<16>().and_then(|tail| {
            u128::from_le_bytes(*tail).checked_shr(16u32.saturating_sub(len as u32) * 8)
        });
        if let Some(word) = word {
            out.put_prefix(&word.to_le_bytes(), len);
            return;
        }
    }
    out.put(bytes);
}

/// Appends a whole number as its `Display` writes it.
pub(crate) fn push_int(out: &mut String, v: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// The numbers 00 to 99, two digits each: [`put_u32`] copies a pair where it would divide
/// twice.
const PAIRS: &str = "0001020304050607080910111213141516171819\
                     2021222324252627282930313233343536373839\
                     4041424344454647484950515253545556575859\
                     6061626364656667686970717273747576777879\
                     8081828384858687888990919293949596979899";

/// `n` (below 100) as two ASCII digits (for dates and months too).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn pair(n: u32) -> [u8; 2] {
    let i = n as usize * 2;
    match PAIRS.as_bytes().get(i..i + 2) {
        Some(&[a, b]) => [a, b],
        _ => *b"00",
    }
}

/// A small count or id as its `Display` writes it (the hot writers write them by the
/// thousand: a node's kind, its blanks' texts and its inputs; a line's days): below 10,000
/// one copy of the digits from the table.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn put_u32(out: &mut Cursor<'_>, v: u32) {
    match v {
        0..=9 => out.put(&[b'0' + v as u8]),
        10..=99 => out.put(&pair(v)),
        100..=999 => {
            let [b, c] = pair(v % 100);
            out.put(&[b'0' + (v / 100) as u8, b, c]);
        }
        1000..=9999 => {
            let ([a, b], [c, d]) = (pair(v / 100), pair(v % 100));
            out.put(&[a, b, c, d]);
        }
        _ => put_int(out, v),
    }
}

/// [`push_int`] for a [`Cursor`].
pub(crate) fn put_int(out: &mut Cursor<'_>, v: impl itoa::Integer) {
    out.put(itoa::Buffer::new().format(v).as_bytes());
}

/// A `Decimal` as its `Display` writes it, into a [`Cursor`]: an amount a word at a time ([`put_small_decimal`]),
/// any other `Decimal` from [`decimal`]'s buffer.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn put_decimal(out: &mut Cursor<'_>, d: &Decimal) {
    if !put_small_decimal(out, d) {
        out.put(decimal(d).as_bytes());
    }
}

/// A `Decimal` as its `Display` writes it (the form a response gives every amount).
#[inline]
pub(crate) fn decimal(d: &Decimal) -> Digits {
    // A Decimal's scale is at most 28 and its mantissa 96 bits: `plain` always writes it.
    plain(
        d.is_sign_negative(),
        d.mantissa().unsigned_abs(),
        d.scale(),
        false,
    )
    .unwrap_or_else(Digits::new)
}

/// Serialises a `Decimal` as the string its `Display` writes, as `rust_decimal`'s own
/// `Serialize` does, without the formatting machinery (for `#[serde(serialize_with)]`).
pub(crate) fn ser_decimal<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(decimal(d).as_str())
}

/// [`ser_decimal`] for an optional amount (`None` is written as `null`).
pub(crate) fn ser_opt_decimal<S: serde::Serializer>(
    d: &Option<Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(decimal(d).as_str()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edges_are_written_as_display_writes_them() {
        for text in [
            "0",
            "0.00",
            "-0.5",
            "0.05",
            "81617.00",
            "-19038.7",
            "1",
            "10",
            "100.0",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "7.9228162514264337593543950335",
        ] {
            let d: Decimal = text.parse().unwrap();
            assert_eq!(decimal(&d).as_str(), d.to_string(), "{text}");
            assert_eq!(put(48, |c| put_decimal(c, &d)), Ok(d.to_string()), "{text}");
        }
        let negative_zero = Decimal::from_parts(0, 0, 0, true, 2);
        assert_eq!(decimal(&negative_zero).as_str(), negative_zero.to_string());
        assert_eq!(
            put(48, |c| put_decimal(c, &negative_zero)),
            Ok(negative_zero.to_string())
        );
        for v in [0, 7, 10, u64::MAX] {
            let mut pushed = String::new();
            push_int(&mut pushed, v);
            assert_eq!(pushed, v.to_string());
        }
        assert_eq!(
            plain(false, u128::MAX, 38, true).map(|t| t.as_str().len()),
            Some(40)
        );
        assert_eq!(
            plain(true, 5, 38, false).map(|t| t.as_str().len()),
            Some(41)
        );
        assert!(plain(false, 1, 39, false).is_none());
        assert_eq!(
            plain(false, 1200, 2, true).map(|t| t.as_str().to_string()),
            Some("12".into())
        );
        assert_eq!(
            plain(false, 0, 3, true).map(|t| t.as_str().to_string()),
            Some("0".into())
        );
    }

    /// What `write` puts in a cursor of `room` bytes, or the length it needs.
    fn put(room: usize, write: impl FnOnce(&mut Cursor<'_>)) -> Result<String, usize> {
        let mut buf = vec![0; room];
        let mut cursor = Cursor::new(&mut buf);
        write(&mut cursor);
        let len = cursor.finish()?;
        Ok(String::from_utf8(buf[..len].to_vec()).unwrap())
    }

    proptest! {
        #[test]
        fn a_decimal_is_written_as_display_writes_it(
            lo in any::<u32>(),
            // Magnitudes of 32, 64 and 96 bits (an amount is one of the first).
            mid in prop_oneof![Just(0u32), 0u32..100, any::<u32>()],
            hi in prop_oneof![Just(0u32), any::<u32>()],
            negative in any::<bool>(), scale in 0u32..=28, room in 0usize..48,
        ) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let text = decimal(&d);
            prop_assert_eq!(text.as_str(), d.to_string());
            prop_assert_eq!(put(48, |c| put_decimal(c, &d)), Ok(d.to_string()));
            // In a room too small, nothing is written but the length is counted.
            let short = put(room, |c| put_decimal(c, &d));
            prop_assert!(short == Ok(d.to_string()) || short == Err(d.to_string().len()));
            let json = serde_json::to_string(&d).unwrap_or_default();
            let mut ours = Vec::new();
            ser_decimal(&d, &mut serde_json::Serializer::new(&mut ours)).unwrap();
            prop_assert_eq!(String::from_utf8(ours).unwrap_or_default(), json);
        }

        #[test]
        fn a_whole_number_is_written_as_display_writes_it(v in any::<u64>(), w in any::<u32>()) {
            let mut pushed = String::new();
            push_int(&mut pushed, v);
            prop_assert_eq!(pushed, v.to_string());
            prop_assert_eq!(put(20, |c| put_int(c, v)), Ok(v.to_string()));
            for w in [w, w % 10, w % 100, w % 1000, w % 10_000, w % 100_000] {
                prop_assert_eq!(put(10, |c| put_u32(c, w)), Ok(w.to_string()));
                let short = put(3, |c| put_u32(c, w));
                prop_assert!(short == Ok(w.to_string()) || short == Err(w.to_string().len()));
            }
        }

        #[test]
        fn put_plain_text_is_the_plain_text(
            negative in any::<bool>(),
            mag in prop_oneof![any::<u128>(), 0u128..1_000_000, Just(0u128)],
            zeros in 0u32..6,
            scale in 0u32..=40,
            trim in any::<bool>(),
            room in 0usize..64,
        ) {
            let mag = mag.checked_mul(10u128.pow(zeros)).unwrap_or(mag);
            let mut written = true;
            let put_all = put(64, |c| written = put_plain(c, negative, mag, scale, trim));
            match plain(negative, mag, scale, trim) {
                Some(text) => {
                    prop_assert!(written);
                    prop_assert_eq!(put_all, Ok(text.as_str().to_string()));
                    // In a room too small, nothing is written but the length is counted.
                    let short = put(room, |c| { put_plain(c, negative, mag, scale, trim); });
                    prop_assert!(short == Ok(text.as_str().to_string()) || short == Err(text.as_str().len()));
                }
                None => {
                    prop_assert!(!written);
                    prop_assert_eq!(put_all, Ok(String::new()));
                }
            }
        }
    }
}
