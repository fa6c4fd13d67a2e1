//! Decimal numbers in the request formats, read exactly from their text.
//!
//! Every number in a request may be written as a **string** (`"1234.50"`) or as a plain JSON
//! or TOML **number** (`1234.5`, `1e3`). Both are read from their text, digit by digit: no
//! number ever passes through binary floating point. A number that a 96-bit decimal cannot
//! hold exactly (more than 28 significant digits, or beyond about 7.9 × 10²⁸) is refused
//! with `invalid_number`, never rounded. Output is always a string.
//!
//! JSON numbers reach the model types through serde_json's `arbitrary_precision` protocol
//! (a one-entry map whose key is [`NUMBER_TOKEN`] and whose value is the number's text),
//! which takst's own reader (`format::read`) speaks too.

use std::fmt;

use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::error::Bilingual;

/// The key under which serde_json (with `arbitrary_precision`) and takst's reader hand a
/// number's text to a visitor.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// How a number was written, which decides the grammar it must follow.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// A JSON or TOML string: `-?digits(.digits)?`, nothing else.
    String,
    /// A JSON or TOML number token: a sign, an exponent (`1e3`) are allowed.
    Number,
}

fn invalid(text: &str, written: Written) -> Bilingual {
    match written {
        Written::String => Bilingual::new(
            format!(
                "invalid number: {text:?} is not a decimal number (write e.g. \"1234.50\": \
                 digits, an optional \".\" and decimals, no spaces, separators or exponent)"
            ),
            format!(
                "Ugyldigt tal: {text:?} er ikke et decimaltal. Et tal i en tekst skrives fx \
                 \"1234.50\": cifre, eventuelt \".\" og decimaler, uden mellemrum, \
                 tusindtalsseparator eller eksponent."
            ),
        ),
        Written::Number => Bilingual::new(
            format!("invalid number: {text} is not a decimal number"),
            format!("Ugyldigt tal: `{text}` er ikke et decimaltal."),
        ),
    }
}

fn too_large(text: &str) -> Bilingual {
    Bilingual::new(
        format!(
            "invalid number: {text} cannot be held exactly by a 96-bit decimal (at most 28 \
             significant digits, below about 7.9 × 10^28)"
        ),
        format!(
            "Ugyldigt tal: `{text}` kan ikke gemmes præcist som et 96-bit decimaltal (højst 28 \
             betydende cifre og under ca. 7,9 × 10^28)."
        ),
    )
}

/// Parses a decimal written as `text`, exactly.
///
/// A string follows `-?[0-9]+(\.[0-9]+)?`; a number token may also have a leading `+` and
/// an exponent. Trailing zeros after the point are kept (`"1462.80"` has two decimals)
/// unless they are what keeps the value from fitting.
pub(crate) fn parse_text(text: &str, written: Written) -> Result<Decimal, Bilingual> {
    let parts = split(text, written)?;
    match parts.quick() {
        Some(value) => value.map_err(|()| too_large(text)),
        None => parts.general(),
    }
}

/// A number's text taken apart by its grammar: sign, integer digits, decimals, exponent.
#[derive(Clone, Copy)]
struct Parts<'a> {
    text: &'a str,
    negative: bool,
    int: &'a str,
    frac: &'a str,
    exponent: i64,
}

/// Checks `text` against the grammar of a number `written` so, and takes it apart.
fn split(text: &str, written: Written) -> Result<Parts<'_>, Bilingual> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') if written == Written::Number => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int_len = digits(i);
    if int_len == 0 {
        return Err(invalid(text, written));
    }
    let int = &text[i..i + int_len];
    i += int_len;
    let mut frac = "";
    if bytes.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return Err(invalid(text, written));
        }
        frac = &text[i + 1..i + 1 + n];
        i += 1 + n;
    }
    let mut exponent: i64 = 0;
    if written == Written::Number && matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let sign = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let n = digits(i);
        if n == 0 {
            return Err(invalid(text, written));
        }
        // Anything beyond ±1000 is out of range whatever the digits (zero aside).
        let e: i64 = text[i..i + n]
            .parse::<i64>()
            .unwrap_or(i64::MAX)
            .min(100_000);
        exponent = sign * e;
        i += n;
    }
    if i != bytes.len() {
        return Err(invalid(text, written));
    }
    Ok(Parts {
        text,
        negative,
        int,
        frac,
        exponent,
    })
}

impl Parts<'_> {
    /// The common case, without building a string: 1 to 29 significant digits (an `i128`
    /// holds them) at a scale a decimal has (0 to 28), so no trailing zero needs dropping
    /// and no power of ten multiplying. `None` otherwise, for [`Parts::general`]; `Err` for
    /// digits beyond what 96 bits hold. The same value as `general` gives, which a property
    /// test checks.
    fn quick(self) -> Option<Result<Decimal, ()>> {
        let scale = self.frac.len() as i64 - self.exponent;
        let digits = || self.int.bytes().chain(self.frac.bytes());
        let leading = digits().take_while(|&b| b == b'0').count();
        let count = self.int.len() + self.frac.len() - leading;
        if count == 0 || count > 29 || !(0..=i64::from(Decimal::MAX_SCALE)).contains(&scale) {
            return None;
        }
        let m = digits()
            .skip(leading)
            .fold(0i128, |m, b| m * 10 + i128::from(b - b'0'));
        let m = if self.negative { -m } else { m };
        Some(Decimal::try_from_i128_with_scale(m, scale as u32).map_err(|_| ()))
    }

    /// Any number: its significant digits as one string, trailing zeros dropped while they
    /// keep the value from fitting, a negative scale multiplied out.
    fn general(self) -> Result<Decimal, Bilingual> {
        let Parts {
            text,
            negative,
            int,
            frac,
            exponent,
        } = self;
        // All significant digits, and the power of ten of the last one.
        let all_digits = format!("{int}{frac}");
        let significant = all_digits.trim_start_matches('0');
        if significant.is_empty() {
            // Zero, at the written scale when that scale is representable.
            let scale = (frac.len() as i64 - exponent).clamp(0, i64::from(Decimal::MAX_SCALE));
            return Ok(Decimal::new(0, scale as u32));
        }
        let mut scale = frac.len() as i64 - exponent;
        let mut mantissa = significant;
        // Trailing zeros may be dropped to make the value fit (they change nothing).
        while (scale > i64::from(Decimal::MAX_SCALE) || mantissa.len() > 29)
            && mantissa.ends_with('0')
        {
            mantissa = &mantissa[..mantissa.len() - 1];
            scale -= 1;
        }
        if scale > i64::from(Decimal::MAX_SCALE) || mantissa.len() > 29 {
            return Err(too_large(text));
        }
        let mut m: i128 = mantissa.parse().map_err(|_| too_large(text))?;
        if scale < 0 {
            let factor = crate::exact::pow10(u32::try_from(-scale).map_err(|_| too_large(text))?)
                .ok_or_else(|| too_large(text))?;
            m = m.checked_mul(factor).ok_or_else(|| too_large(text))?;
            scale = 0;
        }
        if negative {
            m = -m;
        }
        Decimal::try_from_i128_with_scale(m, scale as u32).map_err(|_| too_large(text))
    }
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number, as a string (\"1234.50\") or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_text(v, Written::String).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        parse_text(&v.to_string(), Written::Number).map_err(E::custom)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        parse_text(&v.to_string(), Written::Number).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Err(E::custom(Bilingual::new(
            format!(
                "invalid number: {v} arrived as binary floating point and cannot be read \
                 exactly; give it as a string, or read the request with takst's own reader \
                 (Request::from_json / from_toml)"
            ),
            "Ugyldigt tal: tallet kom som binært kommatal og kan ikke læses præcist; angiv \
             det som en tekst, eller læs forespørgslen med takst's egen læser \
             (`Request::from_json` / `from_toml`).",
        )))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        match map.next_key::<std::borrow::Cow<'de, str>>()? {
            Some(k) if k == NUMBER_TOKEN => {
                let text: std::borrow::Cow<'de, str> = map.next_value()?;
                parse_text(&text, Written::Number).map_err(de::Error::custom)
            }
            _ => Err(de::Error::custom(Bilingual::new(
                "invalid type: map, expected a decimal number, as a string (\"1234.50\") or a \
                 number",
                "Forkert type: et objekt, men her forventes et decimaltal, som tekst \
                 (\"1234.50\") eller som tal.",
            ))),
        }
    }
}

/// `#[serde(deserialize_with = "num::de")]` for a `Decimal` field.
pub(crate) fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor)
}

/// `#[serde(default, deserialize_with = "num::de_opt")]` for an `Option<Decimal>` field.
pub(crate) fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a decimal number or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            de(d).map(Some)
        }
    }
    d.deserialize_option(Opt)
}

/// `#[serde(deserialize_with = "num::de_vec")]` for a `Vec<Decimal>` field.
pub(crate) fn de_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Item(#[serde(deserialize_with = "de")] Decimal);
    let items: Vec<Item> = serde::Deserialize::deserialize(d)?;
    Ok(items.into_iter().map(|Item(v)| v).collect())
}

/// JSON Schema of a decimal field: a decimal string or a number.
///
/// Used with `#[schemars(with = "num::Num")]`; never constructed.
pub(crate) struct Num;

impl JsonSchema for Num {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A decimal number, read exactly. Output is always a string such as \
                \"1234.50\". Input may be a string (digits, an optional point and decimals) or \
                a JSON/TOML number; either is read from its text, never through binary \
                floating point, and one that a 96-bit decimal cannot hold exactly is refused.",
            "anyOf": [
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" },
                { "type": "number" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn n(t: &str) -> Result<Decimal, String> {
        parse_text(t, Written::Number).map_err(|e| e.en)
    }
    fn s(t: &str) -> Result<Decimal, String> {
        parse_text(t, Written::String).map_err(|e| e.en)
    }

    #[test]
    fn numbers_are_read_from_their_text() {
        assert_eq!(n("97.5"), Ok(dec!(97.5)));
        assert_eq!(n("1000000.00000000001"), Ok(dec!(1000000.00000000001)));
        assert_eq!(n("20000000000000000001"), Ok(dec!(20000000000000000001)));
        assert_eq!(n("1e3"), Ok(dec!(1000)));
        assert_eq!(n("1.5E-3"), Ok(dec!(0.0015)));
        assert_eq!(n("+7"), Ok(dec!(7)));
        assert_eq!(n("-0"), Ok(dec!(0)));
        assert_eq!(s("1462.80").map(|d| d.to_string()), Ok("1462.80".into()));
        // The usual amounts take the quick way.
        for t in [
            "1462.80",
            "-28.24",
            "0.5",
            "1334927",
            "79228162514264337593543950335",
        ] {
            assert!(split(t, Written::String).unwrap().quick().is_some(), "{t}");
        }
        // Trailing zeros beyond 28 decimals change nothing and are dropped.
        assert_eq!(
            s("1.0000000000000000000000000000000000000"),
            Ok(dec!(1.0000000000000000000000000000))
        );
    }

    #[test]
    fn what_cannot_be_held_exactly_is_refused() {
        for bad in [
            "1e400",
            "1e-400",
            "100000000000000000000000000000",
            "0.00000000000000000000000000001",
            "1.00000000000000000000000000001",
        ] {
            let err = n(bad).unwrap_err();
            assert!(err.contains("cannot be held exactly"), "{bad}: {err}");
        }
    }

    proptest::proptest! {
        /// The quick way and the general way read every number they both take to the same
        /// value at the same scale, and refuse the same ones.
        #[test]
        fn the_quick_way_reads_as_the_general_way(
            negative in proptest::bool::ANY,
            zeros in 0usize..4,
            int in "[0-9]{1,32}",
            frac in proptest::option::of("[0-9]{1,32}"),
            exponent in proptest::option::of(-40i64..40),
        ) {
            let mut text = String::new();
            if negative {
                text.push('-');
            }
            text.push_str(&"0".repeat(zeros));
            text.push_str(&int);
            if let Some(frac) = &frac {
                text.push('.');
                text.push_str(frac);
            }
            if let Some(e) = exponent {
                text.push_str(&format!("e{e}"));
            }
            let parts = split(&text, Written::Number).unwrap();
            if let Some(quick) = parts.quick() {
                let general = parts.general();
                match (quick, general) {
                    (Ok(a), Ok(b)) => proptest::prop_assert_eq!(a.to_string(), b.to_string()),
                    (Err(()), Err(_)) => {}
                    (a, b) => proptest::prop_assert!(false, "{text}: {a:?} against {b:?}"),
                }
            }
        }
    }

    #[test]
    fn strings_follow_the_strict_pattern() {
        for bad in [
            "9_500_000",
            "12,5",
            "",
            " 1",
            "1.",
            ".5",
            "1e3",
            "+1",
            "0x10",
            "NaN",
            "inf",
        ] {
            assert!(s(bad).is_err(), "{bad:?} must be refused");
        }
        assert_eq!(s("-3"), Ok(dec!(-3)));
    }
}
