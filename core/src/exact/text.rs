//! How an exact value is written: the decimal when it has a finite decimal form, otherwise
//! the fraction in lowest terms; the common widths without 256-bit arithmetic.

use std::fmt;

use ethnum::I256;
use rust_decimal::Decimal;

use super::{log10_64, log10_u128, pow10, reduce128, Exact};
use crate::json_text::{push_utf8, Cursor};

impl fmt::Display for Exact {
    /// The exact decimal (`"63064.5"`), or the fraction in lowest terms (`"378387/167"`) when
    /// the value has no finite decimal form.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if let Some(text) = self.plain_text() {
            return f.write_str(text.as_str());
        }
        let mut text = String::new();
        if self.push_text128(&mut text).is_some() {
            return f.write_str(&text);
        }
        self.fmt_wide(f)
    }
}

impl Exact {
    /// The text in 256-bit arithmetic: what [`push_text128`](Self::push_text128) must equal
    /// where the parts fit 128 bits (a property test compares them).
    pub(super) fn fmt_wide(&self, f: &mut impl fmt::Write) -> fmt::Result {
        match self.decimal_or_fraction() {
            Ok((n, scale)) => write_decimal(f, n, scale),
            Err((n, d)) => write!(f, "{n}/{d}"),
        }
    }
}

impl Exact {
    /// The text of a value whose denominator is a power of ten and whose parts fit 128 bits
    /// (nearly every figure), written without the formatting machinery: the same bytes as
    /// the general path below.
    pub(crate) fn plain_text(&self) -> Option<crate::digits::Digits> {
        let (n, d) = self.parts128()?;
        let scale = log10_u128(u128::try_from(d).ok()?)?;
        crate::digits::plain(n < 0, n.unsigned_abs(), scale, true)
    }

    /// Writes [`plain_text`](Self::plain_text) into `out` and says whether the value has a
    /// `Decimal` form (at most 28 places and 96 bits, as [`to_decimal`](Self::to_decimal));
    /// `None`, with nothing written, when there is no plain text.
    pub(crate) fn put_plain_text(&self, out: &mut Cursor<'_>) -> Option<bool> {
        if let Some((n, d)) = self.parts64() {
            // Nearly every figure: a 64-bit power of ten has at most 19 places, and a 64-bit
            // mantissa fits 96 bits, so the value always has a `Decimal` form.
            let scale = u64::try_from(d).ok().and_then(log10_64)?;
            let mag = u128::from(n.unsigned_abs());
            return crate::digits::put_plain(out, n < 0, mag, scale, true).then_some(true);
        }
        let (n, d) = self.parts128()?;
        let scale = u128::try_from(d).ok().and_then(log10_u128)?;
        crate::digits::put_plain(out, n < 0, n.unsigned_abs(), scale, true)
            .then(|| scale <= Decimal::MAX_SCALE && n.unsigned_abs() < 1u128 << 96)
    }
}

impl Exact {
    /// Appends the text of a value whose parts fit 128 bits, the same bytes as `Display`
    /// writes: the decimal when it has a finite decimal form (a denominator of 2s and 5s,
    /// such as 2,000), otherwise `n/d` in lowest terms. `Display` reduces in 256 bits, and
    /// `to_decimal` does again: most of the cost of writing an offer's explanation, whose
    /// averages and quotients are such values. Returns the value as a `Decimal` (`None`
    /// when it has none: a fraction, or a decimal beyond 28 places or 96 bits), or `None`,
    /// with nothing written, when the parts do not fit or the text is too long for them.
    /// For a denominator that is already a power of ten the `Decimal` is of the reduced
    /// value, which `to_decimal` (keeping the scale as given) may not have: callers write
    /// those with [`put_plain_text`](Self::put_plain_text) first.
    pub(crate) fn push_text128(&self, out: &mut String) -> Option<Option<Decimal>> {
        // Room for a sign and 39 digits on each side of the slash, or 39 digits, a sign, a
        // point and 38 zeros after it: a text that does not fit (never) is not written.
        let mut buf = [0; 128];
        let mut cursor = Cursor::new(&mut buf);
        let decimal = self.put_text128(&mut cursor)?;
        let len = cursor.finish().ok()?;
        push_utf8(out, buf.get(..len)?).then_some(decimal)
    }

    /// [`push_text128`](Self::push_text128) into a cursor (the explanation's writer).
    pub(crate) fn put_text128(&self, out: &mut Cursor<'_>) -> Option<Option<Decimal>> {
        // (A value whose parts fit 128 bits is never held in the wide form: `Exact::wide`
        // narrows.)
        let (n, d) = self.parts128()?;
        let (n, d) = reduce128(n, d);
        // d = 2^a × 5^b has a finite decimal form with max(a, b) places.
        let twos = d.trailing_zeros();
        let mut rest = d >> twos;
        let mut fives = 0;
        while rest % 5 == 0 && rest > 1 {
            rest /= 5;
            fives += 1;
        }
        if rest > 1 {
            let mut digits = itoa::Buffer::new();
            out.put(digits.format(n).as_bytes());
            out.put(b"/");
            out.put(digits.format(d).as_bytes());
            return Some(None);
        }
        let scale = twos.max(fives);
        let mantissa = pow10(scale)
            .and_then(|p| p.checked_div(d))
            .and_then(|f| n.checked_mul(f))?;
        if !crate::digits::put_plain(out, n < 0, mantissa.unsigned_abs(), scale, true) {
            return None;
        }
        Some(if scale > Decimal::MAX_SCALE {
            None
        } else {
            Decimal::try_from_i128_with_scale(mantissa, scale).ok()
        })
    }
}

/// Writes mantissa × 10^−scale in plain notation, without trailing zeros.
pub(super) fn write_decimal(f: &mut impl fmt::Write, n: I256, scale: u32) -> fmt::Result {
    let digits = n.unsigned_abs().to_string();
    let scale = scale as usize;
    let (int, frac) = if digits.len() > scale {
        let (i, fr) = digits.split_at(digits.len() - scale);
        (i.to_string(), fr.to_string())
    } else {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat(scale - digits.len())),
        )
    };
    let frac = frac.trim_end_matches('0');
    if n < I256::ZERO {
        f.write_char('-')?;
    }
    if frac.is_empty() {
        f.write_str(&int)
    } else {
        write!(f, "{int}.{frac}")
    }
}

impl fmt::Debug for Exact {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Exact({self})")
    }
}

impl serde::Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.plain_text() {
            Some(text) => s.serialize_str(text.as_str()),
            None => s.collect_str(self),
        }
    }
}
