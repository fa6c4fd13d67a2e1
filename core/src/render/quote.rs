//! A priced course as Danish text: the schedule, the invoice lines month by month, the
//! totals, the comparison with the flat average tariff and the change report.
//!
//! Services and add-ons are named as on the tariff sheet; every row can be recomputed by
//! hand (days × day tariff, or quantity × price × the month's share of days); dates are
//! written `15.03.2026` and months `marts 2026` throughout.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::course::{Basis, InvoiceLine, Month, Quote, TariffSource};
use crate::danish::number as da;
use crate::sheet::AddOnUnit;

/// One Danish date format in every text: "15. september 2026".
fn date(d: jiff::civil::Date) -> String {
    crate::danish::date(d)
}

/// "marts 2026".
fn month(m: Month) -> String {
    crate::danish::month(m.year, m.month)
}

/// A tariff or price in kroner with øre: "4.801,00 kr.".
fn kr(d: Decimal) -> String {
    let mut d = d;
    if d.scale() < 2 {
        d.rescale(2);
    }
    format!("{} kr.", da(d))
}

/// How the line's amount is computed, in words a reader can recompute.
fn how(l: &InvoiceLine) -> String {
    match (l.basis, l.unit) {
        (Basis::FullMonth, _) => format!("hel måned × {}", kr(l.tariff)),
        (Basis::PerUnit, unit) => {
            let q = l.quantity_per_month.unwrap_or_default().normalize();
            let unit = match (unit, q == Decimal::ONE) {
                (Some(AddOnUnit::Km), _) => "km",
                (_, true) => "time",
                _ => "timer",
            };
            let days_in_month = jiff::civil::Date::new(l.month.year, l.month.month, 1)
                .map(|d| i64::from(d.days_in_month()))
                .unwrap_or(0);
            let share = if i64::from(l.days) == days_in_month {
                String::new()
            } else {
                format!(" × {}/{days_in_month} dage", l.days)
            };
            format!("{} {unit} × {}{share}", da(q), kr(l.tariff))
        }
        (Basis::PerDay, _) => format!("{} dage × {}", l.days, kr(l.tariff)),
    }
}

fn source(s: TariffSource) -> String {
    match s {
        TariffSource::Sheet { year } => format!("takstblad {year}"),
        TariffSource::Indexed { base_year, .. } => format!("{base_year} + PL"),
        TariffSource::Carried { year } => format!("{year} (ingen PL)"),
    }
}

impl Quote {
    /// The quote as plain text (Danish): one line per calendar month per phase, with the
    /// tariff in force, how the amount is computed and where the tariff came from.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// use takst::{Billing, Course, Indexation, Pricer};
    /// let sheets = [takst::Offer::sample().compute().unwrap().sheet];
    /// let (index, billing) = (Indexation::default(), Billing::default());
    /// let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap();
    /// let course: Course = serde_json::from_str(
    ///     r#"{"start": "2026-03-01", "phases": [{"service": "udredning", "months": 1}]}"#,
    /// ).unwrap();
    /// let text = pricer.price(&course).unwrap().to_text();
    /// assert!(text.contains("Udredningsmodul"));           // the sheet's name, not the id
    /// assert!(text.contains("31 dage × 4.801,00 kr."));    // recomputable by hand
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
        let offer = if self.offer_name.is_empty() {
            &self.offer
        } else {
            &self.offer_name
        };
        let _ = writeln!(out, "FORLØB{who} · {offer}{kommune}");
        for s in &self.schedule {
            let _ = writeln!(
                out,
                "  Fase {}: {}, {} – {} ({} dage)",
                s.phase + 1,
                s.name,
                date(s.from),
                date(s.to),
                s.days
            );
        }
        let _ = writeln!(out);

        let rows: Vec<[String; 5]> = self
            .lines
            .iter()
            .map(|l| {
                let what = match &l.add_on {
                    Some(_) => format!("+ {}", l.name),
                    None => l.name.to_string(),
                };
                [month(l.month), what, how(l), source(l.source), da(l.amount)]
            })
            .collect();
        let head = ["Måned", "Ydelse", "Beregning", "Takst fra", "Beløb"];
        let mut w = head.map(|h| h.chars().count());
        for r in &rows {
            for (k, cell) in r.iter().enumerate() {
                w[k] = w[k].max(cell.chars().count());
            }
        }
        let row = |cells: &[String; 5]| -> String {
            let pad = |s: &str, n: usize| {
                format!("{s}{}", " ".repeat(n.saturating_sub(s.chars().count())))
            };
            let amount = &cells[4];
            format!(
                "{}  {}  {}  {}  {}{}",
                pad(&cells[0], w[0]),
                pad(&cells[1], w[1]),
                pad(&cells[2], w[2]),
                pad(&cells[3], w[3]),
                " ".repeat(w[4].saturating_sub(amount.chars().count())),
                amount
            )
        };
        let width = w.iter().sum::<usize>() + 8;
        if rows.is_empty() {
            // A quote asked for without its lines (`options.lines`).
            let _ = writeln!(out, "(Fakturalinjerne er ikke med i svaret.)");
        } else {
            let _ = writeln!(out, "{}", row(&head.map(String::from)));
            let _ = writeln!(out, "{}", "-".repeat(width));
            for r in &rows {
                let _ = writeln!(out, "{}", row(r));
            }
        }
        let _ = writeln!(out, "{}", "-".repeat(width));
        let total = |label: String, amount: Decimal| -> String {
            let amount = da(amount);
            format!(
                "{label}{}{amount}",
                " ".repeat(width.saturating_sub(label.chars().count() + amount.chars().count()))
            )
        };
        for y in &self.years {
            let _ = writeln!(out, "{}", total(format!("I alt {}", y.year), y.amount));
        }
        let _ = writeln!(
            out,
            "{}",
            total(format!("I alt, {} dage", self.days), self.total)
        );
        if let Some(c) = &self.comparison {
            // Add-ons are billed alike either way; without the lines in the quote, the
            // total above the service lines says that it has some.
            let add_ons = if self.lines.is_empty() {
                c.course != self.total
            } else {
                self.lines.iter().any(|l| l.add_on.is_some())
            };
            let _ = writeln!(out);
            if add_ons {
                let _ = writeln!(
                    out,
                    "Sammenligning med gennemsnitstaksten (samme dage, uden tillægsydelser:"
                );
                let _ = writeln!(
                    out,
                    "tillægsydelserne faktureres ens i begge modeller og indgår ikke)"
                );
            } else {
                let _ = writeln!(out, "Sammenligning med gennemsnitstaksten (samme dage)");
            }
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
                    "  {:<15} {:<7} {:>14} → {:>14} {:>14}",
                    month(m.month),
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
