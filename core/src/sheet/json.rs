//! A tariff sheet as JSON without the serde machinery: **the bytes serde writes**
//! (`TariffSheet`'s `Serialize`, which stays the reference and what `Response::to_json`
//! uses), as the quotes' writer does (`course/json.rs`).
//!
//! A response to a catalogue echoes the sheet it read, so the browser calculator had every
//! recompute write its 1.3 KB sheet through serde_json's generic serializer: 15 % of the
//! core's instructions for the page's request (callgrind), and serde's code for the sheet's
//! eight types in a module that otherwise writes no sheet. Here each key and the
//! punctuation around it are one constant, amounts are written from their digits and a
//! name is copied whole when nothing in it needs escaping. Every debug build checks that
//! `Response::into_json` gives the bytes of `to_json`, and `core/tests/writer.rs` does on
//! every example and conformance request.

use rust_decimal::Decimal;

use crate::digits;
use crate::json_text::{list, put_str, write_sized, Cursor};
use crate::offer::{PlaceKind, ServiceKind, Stage};
use crate::rounding::{RoundMode, Rounding};

use super::{AddOnTariff, AddOnUnit, PartTimeTariff, ServiceTariff, Tariff, TariffSheet};

impl TariffSheet {
    /// Appends the sheet as compact JSON, the bytes `serde_json::to_string(self)` gives
    /// (false, appending nothing, if the text could not be written: see [`write_sized`]).
    pub(crate) fn write_json(&self, out: &mut String, scratch: &mut Vec<u8>) -> bool {
        write_sized(out, scratch, self.room(), |cursor| self.write(cursor))
    }

    /// Room for the text with names of ordinary length (a service some 250 bytes with its
    /// name, an add-on some 90); a longer one is written on the second pass.
    fn room(&self) -> usize {
        self.services
            .len()
            .saturating_add(self.add_ons.len())
            .saturating_add(self.part_time.len())
            .saturating_mul(320)
            .saturating_add(768)
    }

    fn write(&self, out: &mut Cursor<'_>) {
        out.put(b"{\"format\":\"takst/tariff-sheet\",\"version\":");
        digits::put_u32(out, self.version);
        let o = &self.offer;
        out.put(b",\"offer\":{");
        if let Some(id) = &o.id {
            out.put(b"\"id\":\"");
            put_str(out, id);
            out.put(b"\",");
        }
        out.put(b"\"name\":\"");
        put_str(out, &o.name);
        out.put(b"\"");
        if let Some(p) = &o.provider {
            out.put(b",\"provider\":\"");
            put_str(out, p);
            out.put(b"\"");
        }
        match o.kind {
            PlaceKind::Residential => out.put(b",\"kind\":\"residential\",\"year\":"),
            PlaceKind::Day => out.put(b",\"kind\":\"day\",\"year\":"),
        }
        digits::put_int(out, o.year);
        out.put(b"}");
        if let Some(source) = &self.source {
            out.put(b",\"source\":\"");
            put_str(out, source);
            out.put(b"\"");
        }
        out.put(b",\"day_basis\":");
        digits::put_u32(out, self.day_basis);
        out.put(b",\"rounding\":");
        rounding(out, &self.rounding);
        if let Some(average) = &self.average {
            out.put(b",\"average\":");
            tariff(out, average);
        }
        out.put(b",\"services\":");
        list(out, &self.services, service);
        if let Some(p) = &self.package_scheme {
            out.put(b",\"package_scheme\":{\"basis\":\"");
            digits::put_decimal(out, &p.basis);
            out.put(b"\",\"interval\":\"");
            digits::put_decimal(out, &p.interval);
            out.put(b"\",\"band_hours_per_week\":\"");
            digits::put_decimal(out, &p.band_hours_per_week);
            out.put(b"\"}");
        }
        if !self.part_time.is_empty() {
            out.put(b",\"part_time\":");
            list(out, &self.part_time, part_time);
        }
        if !self.add_ons.is_empty() {
            out.put(b",\"add_ons\":");
            list(out, &self.add_ons, add_on);
        }
        amount(out, b",\"regulation_per_day\":\"", &self.regulation_per_day);
        if let Some(r) = &self.derived_rounding {
            out.put(b",\"derived_rounding\":");
            rounding(out, r);
        }
        out.put(b"}");
    }
}

/// An optional amount with its key (`key` ends in the value's opening quote), left out
/// when absent.
fn amount(out: &mut Cursor<'_>, key: &[u8], v: &Option<Decimal>) {
    if let Some(v) = v {
        out.put(key);
        digits::put_decimal(out, v);
        out.put(b"\"");
    }
}

fn rounding(out: &mut Cursor<'_>, r: &Rounding) {
    out.put(b"{\"increment\":\"");
    digits::put_decimal(out, &r.increment);
    out.put(match r.mode {
        RoundMode::HalfAwayFromZero => b"\",\"mode\":\"half_away_from_zero\"}",
        RoundMode::HalfEven => b"\",\"mode\":\"half_even\"}",
        RoundMode::HalfTowardZero => b"\",\"mode\":\"half_toward_zero\"}",
        RoundMode::Up => b"\",\"mode\":\"up\"}",
        RoundMode::Down => b"\",\"mode\":\"down\"}",
        RoundMode::Ceiling => b"\",\"mode\":\"ceiling\"}",
        RoundMode::Floor => b"\",\"mode\":\"floor\"}",
    });
}

fn tariff(out: &mut Cursor<'_>, t: &Tariff) {
    out.put(b"{\"day\":\"");
    digits::put_decimal(out, &t.day);
    out.put(b"\"");
    amount(out, b",\"month\":\"", &t.month);
    amount(out, b",\"year\":\"", &t.year);
    out.put(b"}");
}

/// An object's opening, its `id` and its `name`, up to the name's closing quote.
fn id_and_name(out: &mut Cursor<'_>, id: &str, name: &str) {
    out.put(b"{\"id\":\"");
    put_str(out, id);
    out.put(b"\",\"name\":\"");
    put_str(out, name);
}

fn service(out: &mut Cursor<'_>, s: &ServiceTariff) {
    id_and_name(out, &s.id, &s.name);
    out.put(match s.kind {
        ServiceKind::Service => b"\",\"kind\":\"service\"",
        ServiceKind::Module => b"\",\"kind\":\"module\"",
        ServiceKind::Package => b"\",\"kind\":\"package\"",
        ServiceKind::Level => b"\",\"kind\":\"level\"",
    });
    match s.stage {
        Some(Stage::Assessment) => out.put(b",\"stage\":\"assessment\""),
        Some(Stage::Development) => out.put(b",\"stage\":\"development\""),
        Some(Stage::LongTerm) => out.put(b",\"stage\":\"long_term\""),
        None => {}
    }
    out.put(b",\"tariff\":");
    tariff(out, &s.tariff);
    if let Some(n) = s.package {
        out.put(b",\"package\":");
        digits::put_u32(out, n);
    }
    amount(out, b",\"basis\":\"", &s.basis);
    amount(out, b",\"package_part\":\"", &s.package_part);
    amount(out, b",\"hours_per_week\":\"", &s.hours_per_week);
    amount(out, b",\"hours_to_per_week\":\"", &s.hours_to_per_week);
    amount(out, b",\"share_pct\":\"", &s.share_pct);
    out.put(b"}");
}

fn part_time(out: &mut Cursor<'_>, p: &PartTimeTariff) {
    out.put(b"{\"of\":\"");
    put_str(out, &p.of);
    out.put(b"\",\"days_per_week\":");
    digits::put_u32(out, p.days_per_week);
    out.put(b",\"pct\":\"");
    digits::put_decimal(out, &p.pct);
    out.put(b"\",\"day\":\"");
    digits::put_decimal(out, &p.day);
    out.put(b"\"}");
}

fn add_on(out: &mut Cursor<'_>, a: &AddOnTariff) {
    id_and_name(out, &a.id, &a.name);
    out.put(match a.unit {
        AddOnUnit::Hour => b"\",\"unit\":\"hour\",\"price\":\"",
        AddOnUnit::Km => b"\",\"unit\":\"km\",\"price\":\"",
        AddOnUnit::Day => b"\",\"unit\":\"day\",\"price\":\"",
    });
    digits::put_decimal(out, &a.price);
    out.put(b"\"}");
}

#[cfg(test)]
mod tests {
    use crate::offer::Offer;
    use crate::tariff::Explain;

    /// The sample offer's sheet, and one with every optional field and a name to escape,
    /// as serde writes them.
    #[test]
    fn a_sheet_is_written_as_serde_writes_it() {
        let check = |sheet: &super::TariffSheet| {
            let mut out = String::from("x");
            let mut scratch = Vec::new();
            assert!(sheet.write_json(&mut out, &mut scratch));
            assert_eq!(out.get(1..), serde_json::to_string(sheet).ok().as_deref());
        };
        let Ok(sheet) = Offer::sample().compute_with(Explain::No).map(|r| r.sheet) else {
            panic!("the sample offer computes");
        };
        check(&sheet);
        let text = r#"{"format":"takst/tariff-sheet","version":1,
            "offer":{"name":"A \"quoted\"\nname","kind":"day","year":-3},
            "source":"KKR","day_basis":334,
            "rounding":{"increment":"0.01","mode":"floor"},
            "services":[{"id":"basis","name":"Basis","tariff":{"day":"100.5"},
                "package":2,"basis":"1","package_part":"2","hours_per_week":"3",
                "hours_to_per_week":"4","share_pct":"5","kind":"package","stage":"long_term"}],
            "package_scheme":{"basis":"100","interval":"10.5","band_hours_per_week":"2"},
            "part_time":[{"of":"basis","days_per_week":3,"pct":"60","day":"60.30"}],
            "add_ons":[{"id":"a","name":"Ø","unit":"km","price":"3.79"}],
            "regulation_per_day":"-28.24",
            "derived_rounding":{"increment":"1","mode":"half_even"}}"#;
        let Ok(sheet) = serde_json::from_str::<super::TariffSheet>(text) else {
            panic!("the sheet reads");
        };
        check(&sheet);
        // Longer than the room counted: written on the second pass.
        let mut long = sheet.clone();
        long.offer.name = "n".repeat(5000).as_str().into();
        check(&long);
    }
}
