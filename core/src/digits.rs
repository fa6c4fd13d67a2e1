//! Numbers written as ASCII digits without the formatting machinery.
//!
//! A response writes thousands of amounts, indices and months, and `Display` for a `Decimal`,
//! an `Exact` or a `u32` goes through `core::fmt` and, for the first two, allocates: in a
//! course response with the explanation that was a quarter of the time (callgrind). These
//! functions write **the same bytes** as the `Display` they stand in for (unit and property
//! tests compare them). Nothing here is used in a calculation.
//!
//! Two forms: [`Digits`], a buffer on the stack whose `as_str` hands serde a `&str` (the
//! serde path: `ser_decimal`, `to_json`), and the `push_*` functions, which append
//! `itoa`'s digits to a text without checking them again as UTF-8 (the hand-written writers
//! of the quotes and the explanation, and the names' blanks). A property test keeps the two
//! the same for every magnitude, scale and trimming.

use rust_decimal::Decimal;

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

    /// Writes the next digit from the right (`written` so far), and the decimal point
    /// before it once `scale` decimals are written.
    fn digit(&mut self, d: u8, written: &mut u32, scale: u32) {
        if *written == scale && scale > 0 {
            self.push_front(b'.');
        }
        self.push_front(b'0' + d);
        *written += 1;
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        let bytes = self.buf.get(self.start..).unwrap_or_default();
        // Only ASCII digits, '-' and '.' are ever written.
        std::str::from_utf8(bytes).unwrap_or_default()
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
        while scale > 0 && mag % 10 == 0 {
            mag /= 10;
            scale -= 1;
        }
    }
    let mut out = Digits::new();
    // 128-bit division is a call into the runtime: the digits beyond 64 bits are taken
    // that way, the rest (all of every amount a response writes) in 64 bits.
    let mut written = 0;
    let mut small = loop {
        if let Ok(small) = u64::try_from(mag) {
            break small;
        }
        out.digit((mag % 10) as u8, &mut written, scale);
        mag /= 10;
    };
    loop {
        out.digit((small % 10) as u8, &mut written, scale);
        small /= 10;
        if small == 0 && written > scale {
            break;
        }
    }
    if negative {
        out.push_front(b'-');
    }
    Some(out)
}

/// Appends what [`plain`] writes to `out`, from `itoa`'s digits: the hand-written writers
/// (`course/json.rs`, `explain/json.rs`) append thousands of numbers to their text, and
/// [`Digits::as_str`] checks its bytes as UTF-8 every time (8 % of writing an explanation).
/// `false`, with nothing written, beyond 38 decimals.
pub(crate) fn push_plain(
    out: &mut String,
    negative: bool,
    mag: u128,
    scale: u32,
    trim: bool,
) -> bool {
    if scale > MAX_SCALE {
        return false;
    }
    let mut buf = itoa::Buffer::new();
    // In 64 bits when the magnitude fits (nearly every amount): half the work of 128.
    let mut digits = match u64::try_from(mag) {
        Ok(small) => buf.format(small),
        Err(_) => buf.format(mag),
    };
    let mut scale = scale as usize;
    if trim {
        if mag == 0 {
            scale = 0;
        }
        while scale > 0 {
            match digits.strip_suffix('0') {
                Some(rest) => {
                    digits = rest;
                    scale -= 1;
                }
                None => break,
            }
        }
    }
    if negative {
        out.push('-');
    }
    match digits.len().checked_sub(scale) {
        _ if scale == 0 => out.push_str(digits),
        Some(point) if point > 0 => match digits.split_at_checked(point) {
            Some((int, frac)) => {
                out.push_str(int);
                out.push('.');
                out.push_str(frac);
            }
            None => out.push_str(digits),
        },
        _ => {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(digits);
        }
    }
    true
}

/// Appends a `Decimal` as its `Display` writes it.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn push_decimal(out: &mut String, d: &Decimal) {
    // A Decimal's scale is at most 28.
    push_plain(
        out,
        d.is_sign_negative(),
        d.mantissa().unsigned_abs(),
        d.scale(),
        false,
    );
}

/// Appends a whole number as its `Display` writes it.
pub(crate) fn push_int(out: &mut String, v: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// The numbers 00 to 99, two digits each: [`push_u32`] copies a pair where it would divide
/// and push twice.
const PAIRS: &str = "0001020304050607080910111213141516171819\
                     2021222324252627282930313233343536373839\
                     4041424344454647484950515253545556575859\
                     6061626364656667686970717273747576777879\
                     8081828384858687888990919293949596979899";

/// `n` (below 100) as two digits.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn pair(n: u32) -> &'static str {
    let i = n as usize * 2;
    PAIRS.get(i..i + 2).unwrap_or("00")
}

/// [`push_int`] for the small counts and ids the hot writers write by the thousand (a
/// node's kind, its blanks' texts and its inputs; a line's days): below 10,000 the digits
/// are copied in pairs from a table, without `itoa`'s buffer and the copy out of it (a
/// pair where pushing digit by digit divided and checked the text's room once a digit).
#[inline]
pub(crate) fn push_u32(out: &mut String, v: u32) {
    match v {
        0..=9 => out.push(char::from(b'0' + v as u8)),
        10..=99 => out.push_str(pair(v)),
        100..=999 => {
            out.push(char::from(b'0' + (v / 100) as u8));
            out.push_str(pair(v % 100));
        }
        1000..=9999 => {
            out.push_str(pair(v / 100));
            out.push_str(pair(v % 100));
        }
        _ => push_int(out, v),
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
        }
        let negative_zero = Decimal::from_parts(0, 0, 0, true, 2);
        assert_eq!(decimal(&negative_zero).as_str(), negative_zero.to_string());
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

    proptest! {
        #[test]
        fn a_decimal_is_written_as_display_writes_it(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28,
        ) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let text = decimal(&d);
            prop_assert_eq!(text.as_str(), d.to_string());
            let mut pushed = String::from("x");
            push_decimal(&mut pushed, &d);
            prop_assert_eq!(&pushed[1..], d.to_string());
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
            for w in [w, w % 10, w % 100, w % 1000, w % 10_000, w % 100_000] {
                let mut pushed = String::from("x");
                push_u32(&mut pushed, w);
                prop_assert_eq!(pushed, format!("x{w}"));
            }
        }

        #[test]
        fn pushed_plain_text_is_the_plain_text(
            negative in any::<bool>(),
            mag in prop_oneof![any::<u128>(), 0u128..1_000_000, Just(0u128)],
            zeros in 0u32..6,
            scale in 0u32..=40,
            trim in any::<bool>(),
        ) {
            let mag = mag.checked_mul(10u128.pow(zeros)).unwrap_or(mag);
            let mut pushed = String::from("x");
            let written = push_plain(&mut pushed, negative, mag, scale, trim);
            match plain(negative, mag, scale, trim) {
                Some(text) => {
                    prop_assert!(written);
                    prop_assert_eq!(&pushed[1..], text.as_str());
                }
                None => {
                    prop_assert!(!written);
                    prop_assert_eq!(pushed, "x");
                }
            }
        }
    }
}
