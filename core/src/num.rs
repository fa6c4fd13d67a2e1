//! Decimal numbers in the request formats.
//!
//! Every number in a request may be written as a JSON/TOML **string** (`"1234.50"`) or as a
//! plain **number** (`1234.5`). Strings are parsed exactly. A number that arrives as an
//! integer is exact too. A number that the parser has already turned into binary floating
//! point (JSON `97.5`, TOML `97.5`) is taken from its shortest round-trip decimal form, which
//! is the literal the user wrote whenever that literal has at most 15 significant digits; a
//! float with more significant digits than that cannot be trusted to be what was written and
//! is rejected with a message asking for a string. Output is always a string.

use std::fmt;

use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, Visitor};

/// Most significant digits a binary float can carry back to its decimal literal unchanged.
const FLOAT_SAFE_DIGITS: usize = 15;

/// Parses a decimal written as text (`"1234.50"`, `"-3"`, `"0.97"`).
pub(crate) fn parse(text: &str) -> Result<Decimal, String> {
    Decimal::from_str_exact(text).map_err(|_| {
        format!("invalid number: {text:?} is not a decimal number (write e.g. \"1234.50\")")
    })
}

fn from_f64(v: f64) -> Result<Decimal, String> {
    if !v.is_finite() {
        return Err(format!("invalid number: {v} is not a finite number"));
    }
    // Rust's Display for f64 prints the shortest decimal that round-trips, never exponents.
    let text = v.to_string();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant > FLOAT_SAFE_DIGITS {
        return Err(format!(
            "invalid number: {text} has more than {FLOAT_SAFE_DIGITS} significant digits and \
             may not be what was written; give it as a string, e.g. \"{text}\""
        ));
    }
    parse(&text)
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number, as a string (\"1234.50\") or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::from_i128_with_scale(v, 0)
            .checked_add(Decimal::ZERO)
            .ok_or_else(|| E::custom("invalid number: too large"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        from_f64(v).map_err(E::custom)
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
            "description": "A decimal number. Output is always a string such as \"1234.50\". \
                Input may be a string (exact) or a number with at most 15 significant digits.",
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

    #[test]
    fn floats_come_back_as_written() {
        assert_eq!(from_f64(97.5), Ok(dec!(97.5)));
        assert_eq!(from_f64(0.1), Ok(dec!(0.1)));
        assert_eq!(from_f64(8_418_000.0), Ok(dec!(8418000)));
        assert_eq!(from_f64(1234567.89), Ok(dec!(1234567.89)));
    }

    #[test]
    fn floats_with_too_many_digits_are_refused() {
        let err = from_f64(0.1 + 0.2).unwrap_err();
        assert!(err.contains("significant digits"), "{err}");
    }

    #[test]
    fn strings_are_exact() {
        assert_eq!(
            parse("1234.50").map(|d| d.to_string()),
            Ok("1234.50".to_string())
        );
        assert!(parse("12,5").is_err());
        assert!(parse("").is_err());
    }
}
