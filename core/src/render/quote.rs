//! A priced course as Danish text: the schedule, the invoice lines month by month, the
//! totals, the comparison with the flat average tariff and the change report.

use std::fmt::Write;

use crate::course::{Basis, Quote, TariffSource};
use crate::danish::{date, number as da};

impl Quote {
    /// The quote as plain text (Danish): one line per calendar month per phase, with the
    /// tariff in force and where it came from.
    ///
    /// # Example
    ///
    /// ```
    /// use takst::{Billing, Course, Indexation, Pricer};
    /// let sheets = [takst::Offer::sample().compute().unwrap().sheet];
    /// let (index, billing) = (Indexation::default(), Billing::default());
    /// let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap();
    /// let course: Course = serde_json::from_str(
    ///     r#"{"start": "2026-03-01", "phases": [{"service": "udredning", "months": 1}]}"#,
    /// ).unwrap();
    /// let text = pricer.price(&course).unwrap().to_text();
    /// assert!(text.contains("I alt"));
    /// assert!(text.contains("148.831,00"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let who = self
            .id
            .as_deref()
            .map(|i| format!(" · {i}"))
            .unwrap_or_default();
        let kommune = self
            .municipality
            .as_deref()
            .map(|m| format!(" · betales af {m}"))
            .unwrap_or_default();
        let _ = writeln!(out, "FORLØB{who} · {}{kommune}", self.offer);
        for s in &self.schedule {
            let part = s
                .part_time_days
                .map(|d| format!(", deltid {d} dage/uge"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  Fase {}: {}{part}, {} – {} ({} dage)",
                s.phase + 1,
                s.service,
                date(s.from),
                date(s.to),
                s.days
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<8} {:<24} {:>5} {:>20} {:<18} {:>14}",
            "Måned", "Ydelse", "Dage", "Takst", "Takstgrundlag", "Beløb"
        );
        let _ = writeln!(out, "{}", "-".repeat(94));
        for l in &self.lines {
            let what = match &l.add_on {
                Some(a) => format!("+ {a}"),
                None => l.service.to_string(),
            };
            let source = match l.source {
                TariffSource::Sheet { year } => format!("takstblad {year}"),
                TariffSource::Indexed { base_year, .. } => format!("{base_year} + PL"),
                TariffSource::Carried { year } => format!("{year} (ingen PL!)"),
            };
            let basis = match l.basis {
                Basis::PerDay => "",
                Basis::FullMonth => " (måned)",
                Basis::PerUnit => " (pr. enhed)",
            };
            let _ = writeln!(
                out,
                "{:<8} {:<24} {:>5} {:>20} {:<18} {:>14}",
                l.month.to_string(),
                what,
                l.days,
                format!("{}{basis}", da(l.tariff)),
                source,
                da(l.amount)
            );
        }
        let _ = writeln!(out, "{}", "-".repeat(94));
        for y in &self.years {
            let _ = writeln!(
                out,
                "{:<80} {:>13}",
                format!("I alt {}", y.year),
                da(y.amount)
            );
        }
        let _ = writeln!(
            out,
            "{:<80} {:>13}",
            format!("I alt ({} dage)", self.days),
            da(self.total)
        );
        if let Some(c) = &self.comparison {
            let _ = writeln!(out);
            let _ = writeln!(out, "Sammenligning med gennemsnitstaksten (samme dage)");
            let _ = writeln!(out, "  {:<58} {:>14}", "Forløbets ydelser", da(c.course));
            let _ = writeln!(
                out,
                "  {:<58} {:>14}",
                "Samme dage til gennemsnitstaksten",
                da(c.flat)
            );
            let word = if c.difference.is_sign_negative() {
                "billigere"
            } else {
                "dyrere"
            };
            let _ = writeln!(
                out,
                "  {:<58} {:>14}",
                format!("Forløbsmodellen er {word} med"),
                da(c.difference.abs())
            );
        }
        if let Some(ch) = &self.changes {
            let _ = writeln!(out);
            let _ = writeln!(out, "Ændringer i forhold til den oprindelige plan");
            for m in &ch.months {
                let kind = if m.difference.is_sign_negative() {
                    "kredit"
                } else {
                    "debet"
                };
                let _ = writeln!(
                    out,
                    "  {:<10} {:<8} {:>14} → {:>14} {:>14}",
                    m.month.to_string(),
                    kind,
                    da(m.original),
                    da(m.changed),
                    da(m.difference)
                );
            }
            let _ = writeln!(out, "  {:<58} {:>14}", "Samlet virkning", da(ch.difference));
        }
        out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
    }
}
