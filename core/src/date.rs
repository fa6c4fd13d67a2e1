//! Dates in the request formats: exactly `YYYY-MM-DD`, a day of the Gregorian calendar.
//!
//! The calendar arithmetic is jiff's (`jiff::civil::Date`); only the reading is takst's own,
//! for two reasons. It is strict: jiff's ISO 8601 parser also accepts `2026-03-01T00:00`
//! (dropping the time), `20260301` and `+002026-03-01`, and a request must not have a value
//! silently cut short. And it is small: jiff's parser and its error texts (time zones,
//! durations, …) were a large part of the WebAssembly module, where a date is all takst
//! ever reads.

use std::fmt;

use jiff::civil::Date;
use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

use crate::error::Bilingual;

/// What a date must look like (the end of every message about one).
const FORM: &str = "write a date as YYYY-MM-DD, e.g. 2026-03-01";
/// The same in Danish.
const FORM_DA: &str = "Datoen skal skrives ÅÅÅÅ-MM-DD, fx 2026-03-01.";

fn not_a_date() -> Bilingual {
    Bilingual::new(
        format!("not a date: {FORM}"),
        format!("Ikke en gyldig dato. {FORM_DA}"),
    )
}

/// Parses `YYYY-MM-DD` (four-digit year, two-digit month and day).
///
/// ```text
/// "2026-03-01"  → 1 March 2026
/// "2026-02-29"  → error: 2026-02 has 28 days
/// "2026-3-1", "2026-03-01T00:00", "20260301" → error: not YYYY-MM-DD
/// ```
pub(crate) fn parse(text: &str) -> Result<Date, Bilingual> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i16> {
        b.get(r)?.iter().try_fold(0i16, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i16::from(c - b'0'))
        })
    };
    let (year, month, day) = match (b.len(), b.get(4), b.get(7)) {
        (10, Some(b'-'), Some(b'-')) => match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(not_a_date()),
        },
        _ => return Err(not_a_date()),
    };
    if !(1..=12).contains(&month) {
        return Err(Bilingual::new(
            format!("month {month} does not exist: {FORM}"),
            format!("Måned {month} findes ikke. {FORM_DA}"),
        ));
    }
    // Both fit an i8 now (month 1–12, day at most 99).
    let (m, d) = (month as i8, day as i8);
    let first = Date::new(year, m, 1).map_err(|_| {
        Bilingual::new(
            format!("year {year} is out of range"),
            format!("År {year} er uden for det mulige."),
        )
    })?;
    if day == 0 || d > first.days_in_month() {
        return Err(Bilingual::new(
            format!(
                "day {day} does not exist: {year:04}-{month:02} has {} days",
                first.days_in_month()
            ),
            format!(
                "Dag {day} findes ikke: {} har {} dage.",
                crate::danish::month(year, m),
                first.days_in_month()
            ),
        ));
    }
    Date::new(year, m, d).map_err(|_| not_a_date())
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date as a string \"YYYY-MM-DD\"")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        parse(v).map_err(E::custom)
    }
}

/// `#[serde(with = "crate::date")]` for a `Date` field: read with [`parse`].
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// `#[serde(with = "crate::date")]` for a `Date` field: written as `YYYY-MM-DD`.
pub(crate) fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    match ascii(*date).as_ref().map(|b| std::str::from_utf8(b)) {
        Some(Ok(text)) => s.serialize_str(text),
        _ => s.collect_str(date),
    }
}

/// `YYYY-MM-DD` as ASCII bytes without the formatting machinery (a response writes three
/// per invoice line): what jiff's `Display` writes, for the years 0–9999 it writes so;
/// `None` for the others (jiff writes a sign and six digits).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn ascii(date: Date) -> Option<[u8; 10]> {
    let [y1, y2, y3, y4, dash, m1, m2, dash2] = year_month_word(date.year(), date.month())?;
    let [d1, d2] = day_ascii(date);
    Some([y1, y2, y3, y4, dash, m1, m2, dash2, d1, d2])
}

/// A date's day, two ASCII digits.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn day_ascii(date: Date) -> [u8; 2] {
    crate::digits::pair(u32::from(date.day().unsigned_abs()))
}

/// `YYYY-MM` as ASCII bytes, for years 0–9999 and months 1–12; `None` otherwise (a date's
/// first seven bytes, and a calendar month's `"2026-03"`).
pub(crate) fn year_month_ascii(year: i16, month: i8) -> Option<[u8; 7]> {
    let [y1, y2, y3, y4, dash, m1, m2, _] = year_month_word(year, month)?;
    Some([y1, y2, y3, y4, dash, m1, m2])
}

/// `YYYY-MM-` (a date's first eight bytes), for years 0–9999 and months 1–12, as one word
/// the quotes' writer stores at once: two digits at a time from a table, where dividing by
/// 1,000, 100 and 10 was a multiplication and a shift a digit.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn year_month_word(year: i16, month: i8) -> Option<[u8; 8]> {
    let y = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
    let m = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let [y1, y2] = crate::digits::pair(u32::from(y / 100));
    let [y3, y4] = crate::digits::pair(u32::from(y % 100));
    let [m1, m2] = crate::digits::pair(u32::from(m));
    Some([y1, y2, y3, y4, b'-', m1, m2, b'-'])
}

/// `#[serde(default, with = "crate::date::option")]` for an `Option<Date>` field.
pub(crate) mod option {
    use std::fmt;

    use jiff::civil::Date;
    use serde::de::{self, Deserializer, Visitor};
    use serde::Serializer;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        struct Opt;
        impl<'de> Visitor<'de> for Opt {
            type Value = Option<Date>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as a string \"YYYY-MM-DD\", or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::deserialize(d).map(Some)
            }
        }
        d.deserialize_option(Opt)
    }

    pub(crate) fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => super::serialize(d, s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    fn parse(text: &str) -> Result<jiff::civil::Date, String> {
        super::parse(text).map_err(|e| e.en)
    }

    #[test]
    fn a_date_is_written_as_jiff_displays_it() {
        let mut day = jiff::civil::Date::MIN;
        let mut checked = 0;
        while day < jiff::civil::Date::MAX {
            match super::ascii(day) {
                Some(bytes) => {
                    assert_eq!(
                        std::str::from_utf8(&bytes).ok(),
                        Some(day.to_string().as_str())
                    );
                    checked += 1;
                }
                None => assert!(day.year() < 0, "{day}"),
            }
            let json = serde_json::to_string(&Wrapped(day)).unwrap_or_default();
            assert_eq!(json, format!("\"{day}\""));
            day = day
                .checked_add(jiff::Span::new().days(97))
                .unwrap_or(jiff::civil::Date::MAX);
        }
        assert!(checked > 35_000, "{checked}");
    }

    #[derive(serde::Serialize)]
    struct Wrapped(#[serde(with = "super")] jiff::civil::Date);

    #[test]
    fn reads_yyyy_mm_dd() {
        assert_eq!(parse("2026-03-01"), Ok(date(2026, 3, 1)));
        assert_eq!(parse("2028-02-29"), Ok(date(2028, 2, 29)));
        assert_eq!(parse("0001-01-01"), Ok(date(1, 1, 1)));
        assert_eq!(parse("9999-12-31"), Ok(date(9999, 12, 31)));
    }

    #[test]
    fn refuses_other_forms_and_days_that_do_not_exist() {
        for text in [
            "",
            "2026-3-1",
            "2026-03-01T00:00",
            "20260301",
            "+002026-03-01",
            "-002026-03-01",
            " 2026-03-01",
            "2026-03-01Z",
            "2026-W05-1",
            "2026/03/01",
            "2026-03-0x",
            "٢٠٢٦-03-01",
            "2026-0３-01",
        ] {
            let e = parse(text).expect_err(text);
            assert!(e.contains("YYYY-MM-DD"), "{text}: {e}");
        }
        assert_eq!(
            parse("2026-02-29").unwrap_err(),
            "day 29 does not exist: 2026-02 has 28 days"
        );
        assert_eq!(
            parse("2026-04-00").unwrap_err(),
            "day 0 does not exist: 2026-04 has 30 days"
        );
        assert!(parse("2026-13-01")
            .unwrap_err()
            .starts_with("month 13 does not exist"));
        assert!(parse("2026-00-10")
            .unwrap_err()
            .starts_with("month 0 does not exist"));
        assert_eq!(
            super::parse("2026-02-29").unwrap_err().da,
            "Dag 29 findes ikke: februar 2026 har 28 dage."
        );
        assert_eq!(
            super::parse("2026-3-1").unwrap_err().da,
            "Ikke en gyldig dato. Datoen skal skrives ÅÅÅÅ-MM-DD, fx 2026-03-01."
        );
    }
}
