//! A quote as JSON without the serde machinery: **the bytes serde writes** (`Quote`'s
//! `Serialize`, which stays the reference and what `Response::to_json` uses).
//!
//! A course's quote is some 7 KB of JSON (16 invoice lines of 14 fields each, the months,
//! the comparison), and serde_json wrote it field by field through its generic serializer:
//! every field name escaped byte by byte, every amount, month and date handed over as a
//! string and checked again (perf: the writing was half of `evaluate_json` without the
//! explanation). Here a field name and the punctuation around it are one constant, numbers
//! and dates are written from their digits, and a name is copied whole when nothing in it
//! needs escaping. The text is written as bytes into a buffer sized beforehand (a
//! [`Cursor`]: a bounds check and a store a piece, where a `String` checked its length and
//! capacity and encoded ASCII a `char` at a time), checked as UTF-8 once and appended.
//! `Response::into_json` writes a response's quotes so; every debug build checks that it
//! gives the same bytes as `to_json`, and `core/tests/writer.rs` does on every example and
//! conformance request.

use rust_decimal::Decimal;

use crate::date::year_month_word;
use crate::digits;
use crate::json_text::{list, put_str, write_sized, Cursor, Repeated};
use crate::sheet::AddOnUnit;

use super::model::IndexMethod;
use super::quote::{
    Basis, ChangeReport, Comparison, InvoiceLine, Month, MonthAmount, MonthChange, MonthComparison,
    Quote, Scheduled, YearAmount,
};
use super::tariffs::TariffSource;

impl Quote {
    /// Appends the quote as compact JSON, the bytes `serde_json::to_string(self)` gives:
    /// written as bytes into `scratch` (kept for the next quote, and grown to the size the
    /// text needs when it is short), checked as UTF-8 once and copied to `out`.
    pub(crate) fn write_json(&self, out: &mut String, scratch: &mut Vec<u8>) -> bool {
        write_sized(out, scratch, self.room(), |cursor| self.write(cursor))
    }

    /// Room for the text with names of ordinary length: a line is some 270 bytes, a month
    /// of the comparison some 100.
    fn room(&self) -> usize {
        let months = self
            .months
            .len()
            .saturating_add(self.comparison.as_ref().map_or(0, |c| c.months.len()))
            .saturating_add(self.changes.as_ref().map_or(0, |c| c.months.len()));
        self.lines
            .len()
            .saturating_mul(352)
            .saturating_add(self.schedule.len().saturating_mul(256))
            .saturating_add(months.saturating_mul(128))
            .saturating_add(self.years.len().saturating_mul(64))
            .saturating_add(512)
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn write(&self, out: &mut Cursor<'_>) {
        out.put(b"{");
        if let Some(id) = &self.id {
            out.put(b"\"id\":\"");
            put_str(out, id);
            out.put(b"\",");
        }
        if let Some(m) = &self.municipality {
            out.put(b"\"municipality\":\"");
            put_str(out, m);
            out.put(b"\",");
        }
        out.put(b"\"offer\":\"");
        put_str(out, &self.offer);
        out.put(b"\",\"offer_name\":\"");
        put_str(out, &self.offer_name);
        out.put(b"\",\"schedule\":");
        list(out, &self.schedule, scheduled);
        if !self.lines.is_empty() {
            out.put(b",\"lines\":");
            let mut names = Names::default();
            list(out, &self.lines, |out, l| line(out, l, &mut names));
        }
        out.put(b",\"months\":");
        list(out, &self.months, |out, m: &MonthAmount| {
            out.put(b"{\"month\":\"");
            month(out, m.month);
            out.put(b"\",\"amount\":\"");
            digits::put_decimal(out, &m.amount);
            out.put(b"\"}");
        });
        out.put(b",\"years\":");
        list(out, &self.years, |out, y: &YearAmount| {
            out.put(b"{\"year\":");
            int(out, y.year);
            out.put(b",\"amount\":\"");
            digits::put_decimal(out, &y.amount);
            out.put(b"\"}");
        });
        out.put(b",\"total\":\"");
        digits::put_decimal(out, &self.total);
        out.put(b"\",\"days\":");
        int(out, self.days);
        if let Some(c) = &self.comparison {
            out.put(b",\"comparison\":");
            comparison(out, c);
        }
        if let Some(c) = &self.changes {
            out.put(b",\"changes\":");
            changes(out, c);
        }
        out.put(b"}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn scheduled(out: &mut Cursor<'_>, s: &Scheduled) {
    out.put(b"{\"phase\":");
    int(out, s.phase);
    out.put(b",\"service\":\"");
    put_str(out, &s.service);
    out.put(b"\",\"name\":\"");
    put_str(out, &s.name);
    out.put(b"\"");
    if let Some(days) = s.part_time_days {
        out.put(b",\"part_time_days\":");
        int(out, days);
    }
    out.put(b",\"from\":\"");
    date(out, s.from);
    out.put(b"\",\"to\":\"");
    date(out, s.to);
    out.put(b"\",\"days\":");
    int(out, s.days);
    out.put(b"}");
}

/// The names a quote's lines repeat from one line to the next (their service's).
#[derive(Default)]
struct Names<'q> {
    service: Repeated<'q>,
    add_on: Repeated<'q>,
    name: Repeated<'q>,
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn line<'q>(out: &mut Cursor<'_>, l: &'q InvoiceLine, names: &mut Names<'q>) {
    out.put(b"{\"month\":\"");
    month(out, l.month);
    out.put(b"\",\"phase\":");
    int(out, l.phase);
    out.put(b",\"service\":\"");
    names.service.put(out, &l.service);
    if let Some(add_on) = &l.add_on {
        out.put(b"\",\"add_on\":\"");
        names.add_on.put(out, add_on);
    }
    out.put(b"\",\"name\":\"");
    names.name.put(out, &l.name);
    out.put(b"\"");
    if let Some(u) = l.unit {
        unit(out, u);
    }
    out.put(b",\"from\":\"");
    date(out, l.from);
    out.put(b"\",\"to\":\"");
    date(out, l.to);
    out.put(b"\",\"days\":");
    int(out, l.days);
    if let Some(q) = &l.quantity_per_month {
        out.put(b",\"quantity_per_month\":\"");
        digits::put_decimal(out, q);
        out.put(b"\"");
    }
    basis(out, l.basis);
    out.put(b",\"tariff\":\"");
    digits::put_decimal(out, &l.tariff);
    out.put(b"\",\"tariff_year\":");
    int(out, l.tariff_year);
    out.put(b",\"source\":");
    source(out, &l.source);
    out.put(b",\"amount\":\"");
    digits::put_decimal(out, &l.amount);
    out.put(b"\",\"invoice_date\":\"");
    date(out, l.invoice_date);
    out.put(b"\"}");
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn comparison(out: &mut Cursor<'_>, c: &Comparison) {
    out.put(b"{\"months\":");
    list(out, &c.months, |out, m: &MonthComparison| {
        out.put(b"{\"month\":\"");
        month(out, m.month);
        out.put(b"\",\"days\":");
        int(out, m.days);
        compared(out, &m.course, &m.flat, &m.difference);
    });
    compared(out, &c.course, &c.flat, &c.difference);
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn changes(out: &mut Cursor<'_>, c: &ChangeReport) {
    out.put(b"{\"months\":");
    list(out, &c.months, |out, m: &MonthChange| {
        out.put(b"{\"month\":\"");
        month(out, m.month);
        out.put(b"\"");
        changed(out, &m.original, &m.changed, &m.difference);
    });
    changed(out, &c.original, &c.changed, &c.difference);
}

/// The last fields of a comparison (and of each of its months), and the object's closing
/// brace. (Each key a constant of its own: keys taken from an array in a loop were copied
/// by a call to `memcpy` each.)
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn compared(out: &mut Cursor<'_>, course: &Decimal, flat: &Decimal, difference: &Decimal) {
    out.put(b",\"course\":\"");
    digits::put_decimal(out, course);
    out.put(b"\",\"flat\":\"");
    digits::put_decimal(out, flat);
    out.put(b"\",\"difference\":\"");
    digits::put_decimal(out, difference);
    out.put(b"\"}");
}

/// The same for a change report.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn changed(out: &mut Cursor<'_>, original: &Decimal, changed: &Decimal, difference: &Decimal) {
    out.put(b",\"original\":\"");
    digits::put_decimal(out, original);
    out.put(b"\",\"changed\":\"");
    digits::put_decimal(out, changed);
    out.put(b"\",\"difference\":\"");
    digits::put_decimal(out, difference);
    out.put(b"\"}");
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn source(out: &mut Cursor<'_>, s: &TariffSource) {
    match s {
        TariffSource::Sheet { year } => {
            out.put(b"{\"from\":\"sheet\",\"year\":");
            int(out, *year);
        }
        TariffSource::Indexed { base_year, method } => {
            out.put(b"{\"from\":\"indexed\",\"base_year\":");
            int(out, *base_year);
            match method {
                IndexMethod::Cumulative => out.put(b",\"method\":\"cumulative\""),
                IndexMethod::Chained => out.put(b",\"method\":\"chained\""),
            }
        }
        TariffSource::Carried { year } => {
            out.put(b"{\"from\":\"carried\",\"year\":");
            int(out, *year);
        }
    }
    out.put(b"}");
}

/// The `basis` field, key and value. (A constant written in each arm: one chosen by a
/// match is of a length the compiler does not know, copied by a call to `memcpy`.)
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn basis(out: &mut Cursor<'_>, b: Basis) {
    match b {
        Basis::PerDay => out.put(b",\"basis\":\"per_day\""),
        Basis::FullMonth => out.put(b",\"basis\":\"full_month\""),
        Basis::PerUnit => out.put(b",\"basis\":\"per_unit\""),
    }
}

/// The `unit` field, key and value.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn unit(out: &mut Cursor<'_>, u: AddOnUnit) {
    match u {
        AddOnUnit::Hour => out.put(b",\"unit\":\"hour\""),
        AddOnUnit::Km => out.put(b",\"unit\":\"km\""),
        AddOnUnit::Day => out.put(b",\"unit\":\"day\""),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn int(out: &mut Cursor<'_>, v: impl itoa::Integer + TryInto<u32>) {
    match v.try_into() {
        Ok(small) => digits::put_u32(out, small),
        Err(_) => digits::put_int(out, v),
    }
}

/// A month between its quotes: `2026-03`.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn month(out: &mut Cursor<'_>, m: Month) {
    match year_month_word(m.year, m.month) {
        Some(word) => out.put_prefix(&word, 7),
        None => put_str(out, &beyond(&m)),
    }
}

/// A date between its quotes: `2026-03-01`, a word and a pair.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn date(out: &mut Cursor<'_>, d: jiff::civil::Date) {
    match year_month_word(d.year(), d.month()) {
        Some(word) => {
            out.put(&word);
            out.put(&crate::date::day_ascii(d));
        }
        None => put_str(out, &beyond(&d)),
    }
}

/// A month or date beyond the years 0–9999, as its `Display` writes it (which serde writes;
/// out of line: `month` and `date` are inlined).
#[cold]
#[inline(never)]
fn beyond(v: &dyn std::fmt::Display) -> String {
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::{basis, source, unit};
    use crate::course::model::IndexMethod;
    use crate::course::quote::Basis;
    use crate::course::tariffs::TariffSource;
    use crate::json_text::Cursor;
    use crate::sheet::AddOnUnit;

    /// What `write` puts in a cursor.
    fn written(write: impl FnOnce(&mut Cursor<'_>)) -> String {
        let mut buf = [0; 64];
        let mut out = Cursor::new(&mut buf);
        write(&mut out);
        let len = out.finish().unwrap();
        String::from_utf8(buf[..len].to_vec()).unwrap()
    }

    #[test]
    fn enums_are_written_as_serde_writes_them() {
        for b in [Basis::PerDay, Basis::FullMonth, Basis::PerUnit] {
            let json = serde_json::to_string(&b).unwrap_or_default();
            assert_eq!(written(|out| basis(out, b)), format!(",\"basis\":{json}"));
        }
        for u in [AddOnUnit::Hour, AddOnUnit::Km, AddOnUnit::Day] {
            let json = serde_json::to_string(&u).unwrap_or_default();
            assert_eq!(written(|out| unit(out, u)), format!(",\"unit\":{json}"));
        }
        for s in [
            TariffSource::Sheet { year: 2026 },
            TariffSource::Carried { year: -3 },
            TariffSource::Indexed {
                base_year: 2025,
                method: IndexMethod::Cumulative,
            },
            TariffSource::Indexed {
                base_year: 2025,
                method: IndexMethod::Chained,
            },
        ] {
            let json = serde_json::to_string(&s).unwrap_or_default();
            assert_eq!(written(|out| source(out, &s)), json);
        }
    }

    /// A quote longer than its room (a long name, escapes, non-ASCII), with months and
    /// dates beyond the years 0–9999 and amounts beyond the fast path: written again at
    /// the size the first pass counted, the bytes serde's.
    #[test]
    fn a_quote_longer_than_its_room_is_written_as_serde_writes_it() {
        use crate::course::quote::Month;
        use crate::course::quote::{MonthAmount, Quote, Scheduled, YearAmount};
        use rust_decimal::Decimal;
        let name = format!("Længerevarende \"forløb\" \\ {}\u{1}", "ø".repeat(3000));
        let amounts = [
            "-0.05",
            "123456789.12",
            "0",
            "-19038.7",
            "7.9228162514264337593543950335",
        ];
        let quote = Quote {
            id: Some(name.clone()),
            offer: "elbaek".into(),
            offer_name: name.clone(),
            schedule: vec![Scheduled {
                phase: 0,
                service: "udredning".into(),
                name: name.as_str().into(),
                part_time_days: Some(3),
                from: jiff::civil::date(-5, 1, 1),
                to: jiff::civil::date(9999, 12, 31),
                days: 123_456,
            }],
            months: [(10_000, 1), (2026, 13), (-1, 5), (2026, 3), (0, 12)]
                .into_iter()
                .zip(amounts)
                .map(|((year, month), amount)| MonthAmount {
                    month: Month { year, month },
                    amount: amount.parse().unwrap(),
                })
                .collect(),
            years: vec![YearAmount {
                year: -2026,
                amount: Decimal::from_parts(u32::MAX, u32::MAX, 0, true, 2),
            }],
            total: Decimal::from_parts(5, 0, 0, false, 28),
            days: u32::MAX,
            ..Quote::default()
        };
        let (mut out, mut scratch) = (String::new(), Vec::new());
        assert!(quote.write_json(&mut out, &mut scratch));
        assert_eq!(out, serde_json::to_string(&quote).unwrap());
        // The room kept serves the next quote without a second pass.
        let mut again = String::new();
        assert!(quote.write_json(&mut again, &mut scratch));
        assert_eq!(again, out);
    }
}
