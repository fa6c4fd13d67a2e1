//! A quote as JSON without the serde machinery: **the bytes serde writes** (`Quote`'s
//! `Serialize`, which stays the reference and what `Response::to_json` uses).
//!
//! A course's quote is some 7 KB of JSON (16 invoice lines of 14 fields each, the months,
//! the comparison), and serde_json wrote it field by field through its generic serializer:
//! every field name escaped byte by byte, every amount, month and date handed over as a
//! string and checked again (perf: the writing was half of `evaluate_json` without the
//! explanation). Here a field name and the punctuation around it are one constant, numbers
//! and dates are written from their digits, and a name is copied whole when nothing in it
//! needs escaping. `Response::into_json` writes a response's quotes so; every debug build
//! checks that it gives the same bytes as `to_json`, and `core/tests/writer.rs` does on
//! every example and conformance request.

use rust_decimal::Decimal;

use crate::digits;
use crate::json_text::{push_ascii, push_serde, push_str};
use crate::sheet::AddOnUnit;

use super::model::IndexMethod;
use super::quote::{
    Basis, ChangeReport, Comparison, InvoiceLine, Month, MonthAmount, MonthChange, MonthComparison,
    Quote, Scheduled, YearAmount,
};
use super::tariffs::TariffSource;

impl Quote {
    /// Appends the quote as compact JSON, the bytes `serde_json::to_string(self)` gives.
    pub(crate) fn write_json(&self, out: &mut String) {
        out.push('{');
        let mut first = true;
        let mut key = |out: &mut String, name: &str| {
            if !std::mem::take(&mut first) {
                out.push(',');
            }
            out.push_str(name);
        };
        if let Some(id) = &self.id {
            key(out, "\"id\":");
            push_str(out, id);
        }
        if let Some(m) = &self.municipality {
            key(out, "\"municipality\":");
            push_str(out, m);
        }
        key(out, "\"offer\":");
        push_str(out, &self.offer);
        out.push_str(",\"offer_name\":");
        push_str(out, &self.offer_name);
        out.push_str(",\"schedule\":");
        list(out, &self.schedule, scheduled);
        out.push_str(",\"lines\":");
        list(out, &self.lines, line);
        out.push_str(",\"months\":");
        list(out, &self.months, |out, m: &MonthAmount| {
            month_field(out, "{\"month\":", m.month);
            amount(out, ",\"amount\":", &m.amount);
            out.push('}');
        });
        out.push_str(",\"years\":");
        list(out, &self.years, |out, y: &YearAmount| {
            out.push_str("{\"year\":");
            int(out, y.year);
            amount(out, ",\"amount\":", &y.amount);
            out.push('}');
        });
        amount(out, ",\"total\":", &self.total);
        out.push_str(",\"days\":");
        int(out, self.days);
        if let Some(c) = &self.comparison {
            out.push_str(",\"comparison\":");
            comparison(out, c);
        }
        if let Some(c) = &self.changes {
            out.push_str(",\"changes\":");
            changes(out, c);
        }
        out.push('}');
    }
}

fn list<T>(out: &mut String, items: &[T], mut each: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, item);
    }
    out.push(']');
}

fn scheduled(out: &mut String, s: &Scheduled) {
    out.push_str("{\"phase\":");
    int(out, s.phase);
    out.push_str(",\"service\":");
    push_str(out, &s.service);
    out.push_str(",\"name\":");
    push_str(out, &s.name);
    if let Some(days) = s.part_time_days {
        out.push_str(",\"part_time_days\":");
        int(out, days);
    }
    date(out, ",\"from\":", s.from);
    date(out, ",\"to\":", s.to);
    out.push_str(",\"days\":");
    int(out, s.days);
    out.push('}');
}

fn line(out: &mut String, l: &InvoiceLine) {
    month_field(out, "{\"month\":", l.month);
    out.push_str(",\"phase\":");
    int(out, l.phase);
    out.push_str(",\"service\":");
    push_str(out, &l.service);
    if let Some(add_on) = &l.add_on {
        out.push_str(",\"add_on\":");
        push_str(out, add_on);
    }
    out.push_str(",\"name\":");
    push_str(out, &l.name);
    if let Some(unit) = l.unit {
        out.push_str(",\"unit\":");
        out.push_str(unit_json(unit));
    }
    date(out, ",\"from\":", l.from);
    date(out, ",\"to\":", l.to);
    out.push_str(",\"days\":");
    int(out, l.days);
    if let Some(q) = &l.quantity_per_month {
        amount(out, ",\"quantity_per_month\":", q);
    }
    out.push_str(",\"basis\":");
    out.push_str(basis_json(l.basis));
    amount(out, ",\"tariff\":", &l.tariff);
    out.push_str(",\"tariff_year\":");
    int(out, l.tariff_year);
    out.push_str(",\"source\":");
    source(out, &l.source);
    amount(out, ",\"amount\":", &l.amount);
    date(out, ",\"invoice_date\":", l.invoice_date);
    out.push('}');
}

fn comparison(out: &mut String, c: &Comparison) {
    out.push_str("{\"months\":");
    list(out, &c.months, |out, m: &MonthComparison| {
        month_field(out, "{\"month\":", m.month);
        out.push_str(",\"days\":");
        int(out, m.days);
        amounts(
            out,
            [
                ("course", &m.course),
                ("flat", &m.flat),
                ("difference", &m.difference),
            ],
        );
    });
    amounts(
        out,
        [
            ("course", &c.course),
            ("flat", &c.flat),
            ("difference", &c.difference),
        ],
    );
}

fn changes(out: &mut String, c: &ChangeReport) {
    out.push_str("{\"months\":");
    list(out, &c.months, |out, m: &MonthChange| {
        month_field(out, "{\"month\":", m.month);
        amounts(
            out,
            [
                ("original", &m.original),
                ("changed", &m.changed),
                ("difference", &m.difference),
            ],
        );
    });
    amounts(
        out,
        [
            ("original", &c.original),
            ("changed", &c.changed),
            ("difference", &c.difference),
        ],
    );
}

/// The last fields of a comparison or change report (and of each of its months): three
/// amounts, and the object's closing brace.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn amounts(out: &mut String, fields: [(&str, &Decimal); 3]) {
    for (name, value) in fields {
        out.push_str(",\"");
        out.push_str(name);
        out.push_str("\":\"");
        digits::push_decimal(out, value);
        out.push('"');
    }
    out.push('}');
}

fn source(out: &mut String, s: &TariffSource) {
    match s {
        TariffSource::Sheet { year } => {
            out.push_str("{\"from\":\"sheet\",\"year\":");
            int(out, *year);
        }
        TariffSource::Indexed { base_year, method } => {
            out.push_str("{\"from\":\"indexed\",\"base_year\":");
            int(out, *base_year);
            out.push_str(",\"method\":");
            out.push_str(match method {
                IndexMethod::Cumulative => "\"cumulative\"",
                IndexMethod::Chained => "\"chained\"",
            });
        }
        TariffSource::Carried { year } => {
            out.push_str("{\"from\":\"carried\",\"year\":");
            int(out, *year);
        }
    }
    out.push('}');
}

fn basis_json(b: Basis) -> &'static str {
    match b {
        Basis::PerDay => "\"per_day\"",
        Basis::FullMonth => "\"full_month\"",
        Basis::PerUnit => "\"per_unit\"",
    }
}

fn unit_json(u: AddOnUnit) -> &'static str {
    match u {
        AddOnUnit::Hour => "\"hour\"",
        AddOnUnit::Km => "\"km\"",
        AddOnUnit::Day => "\"day\"",
    }
}

/// `name` (a field's key with its punctuation) and an amount as the string its `Display`
/// writes.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn amount(out: &mut String, name: &str, d: &Decimal) {
    out.push_str(name);
    out.push('"');
    digits::push_decimal(out, d);
    out.push('"');
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn int(out: &mut String, v: impl itoa::Integer + TryInto<u32>) {
    match v.try_into() {
        Ok(small) => digits::push_u32(out, small),
        Err(_) => digits::push_int(out, v),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn month_field(out: &mut String, name: &str, m: Month) {
    out.push_str(name);
    match m.ascii() {
        Some(bytes) => {
            out.push('"');
            push_ascii(out, &bytes);
            out.push('"');
        }
        None => push_serde(out, &m),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn date(out: &mut String, name: &str, d: jiff::civil::Date) {
    out.push_str(name);
    match crate::date::ascii(d) {
        Some(bytes) => {
            out.push('"');
            push_ascii(out, &bytes);
            out.push('"');
        }
        None => date_beyond(out, d),
    }
}

/// A date beyond the years 0–9999 as serde writes it (out of line: `date` is inlined).
#[cold]
#[inline(never)]
fn date_beyond(out: &mut String, d: jiff::civil::Date) {
    push_serde(out, &d.to_string());
}

#[cfg(test)]
mod tests {
    use super::{basis_json, source, unit_json};
    use crate::course::model::IndexMethod;
    use crate::course::quote::Basis;
    use crate::course::tariffs::TariffSource;
    use crate::sheet::AddOnUnit;

    #[test]
    fn enums_are_written_as_serde_writes_them() {
        for b in [Basis::PerDay, Basis::FullMonth, Basis::PerUnit] {
            assert_eq!(basis_json(b), serde_json::to_string(&b).unwrap_or_default());
        }
        for u in [AddOnUnit::Hour, AddOnUnit::Km, AddOnUnit::Day] {
            assert_eq!(unit_json(u), serde_json::to_string(&u).unwrap_or_default());
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
            let mut out = String::new();
            source(&mut out, &s);
            assert_eq!(out, serde_json::to_string(&s).unwrap_or_default());
        }
    }
}
