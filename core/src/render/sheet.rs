//! The tariff sheet (takstblad) as Danish text, for a terminal or a printout.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::danish::{exact as shown, number as da_number};
use crate::error::Warning;
use crate::format::request::Response;
use crate::sheet::{AddOnUnit, TariffSheet};
use crate::tariff::{Computed, CostBase, Neutrality};

/// Drops the spaces that empty columns leave at the ends of lines.
fn tidy(text: &str) -> String {
    text.lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

fn opt(v: Option<Decimal>) -> String {
    v.map(da_number).unwrap_or_default()
}

impl TariffSheet {
    /// The sheet as plain text (Danish), for a terminal or a printout.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// let text = takst::Offer::sample().compute().unwrap().sheet.to_text();
    /// assert!(text.starts_with("TAKSTBLAD 2026"));
    /// assert!(text.contains("Udredningsmodul                                 4.801"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let o = &self.offer;
        let w = o.kind.day_word_da();
        let provider = o
            .provider
            .as_deref()
            .map(|p| format!(" · {p}"))
            .unwrap_or_default();
        let _ = writeln!(out, "TAKSTBLAD {} · {}{provider}", o.year, o.name);
        if let Some(src) = &self.source {
            let _ = writeln!(out, "Kilde: {src}");
        }
        let _ = writeln!(
            out,
            "Dagbasis {} dage · afrunding: {}",
            self.day_basis, self.rounding
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<40} {:>12} {:>14} {:>14}",
            "Ydelse",
            format!("pr. {w}"),
            "pr. måned",
            "pr. år"
        );
        let _ = writeln!(out, "{}", "-".repeat(83));
        if let Some(a) = &self.average {
            let _ = writeln!(
                out,
                "{:<40} {:>12} {:>14} {:>14}",
                "Gennemsnitstakst",
                da_number(a.day),
                opt(a.month),
                opt(a.year)
            );
        }
        for s in &self.services {
            let t = &s.tariff;
            let _ = writeln!(
                out,
                "{:<40} {:>12} {:>14} {:>14}",
                s.name,
                da_number(t.day),
                opt(t.month),
                opt(t.year)
            );
            if let (Some(b), Some(p)) = (s.basis, s.package_part) {
                let _ = writeln!(
                    out,
                    "{:<40} {:>12}",
                    format!(
                        "  heraf basistakst {} + pakke {}",
                        da_number(b),
                        da_number(p)
                    ),
                    ""
                );
            }
        }
        if let Some(ps) = &self.package_scheme {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Pakker: basistakst {} + afrund((n − ½) × interval {}) pr. {w}; {} timer pr. uge mellem to pakker",
                da_number(ps.basis),
                da_number(ps.interval),
                da_number(ps.band_hours_per_week)
            );
            let packages: Vec<_> = self
                .services
                .iter()
                .filter_map(|s| Some((s, s.package?, s.hours_to_per_week?)))
                .collect();
            if !packages.is_empty() {
                let _ = writeln!(
                    out,
                    "  {:<38} {:>6} {:>18} {:>12}",
                    "Pakke",
                    "nr.",
                    "timer/uge t.o.m.",
                    format!("pr. {w}")
                );
                for (s, n, to) in packages {
                    let _ = writeln!(
                        out,
                        "  {:<38} {:>6} {:>18} {:>12}",
                        s.name,
                        n,
                        da_number(to),
                        da_number(s.tariff.day)
                    );
                }
            }
        }
        if !self.part_time.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Deltid (pr. fremmødedag)");
            let names: std::collections::HashMap<&str, &str> = self
                .services
                .iter()
                .map(|s| (s.id.as_str(), s.name.as_str()))
                .collect();
            for pt in &self.part_time {
                let name = match pt.of.as_str() {
                    "average" => "Gennemsnitstakst",
                    id => names.get(id).copied().unwrap_or(id),
                };
                let _ = writeln!(
                    out,
                    "  {:<38} {} dage/uge ({} %) {:>12}",
                    name,
                    pt.days_per_week,
                    da_number(pt.pct),
                    da_number(pt.day)
                );
            }
        }
        if !self.add_ons.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Tillægsydelser");
            for a in &self.add_ons {
                let unit = match a.unit {
                    AddOnUnit::Hour => "pr. time",
                    AddOnUnit::Km => "pr. km",
                    AddOnUnit::Day => "pr. kalenderdag",
                };
                let _ = writeln!(
                    out,
                    "  {:<38} {:>12} kr. {unit}",
                    a.name,
                    da_number(a.price)
                );
            }
        }
        if let Some(r) = self.regulation_per_day {
            let what = if r.is_sign_negative() {
                "et overskud tilbageføres"
            } else {
                "et underskud dækkes"
            };
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Heraf efterregulering af tidligere års resultat ({what}): {} kr. pr. {}",
                da_number(r),
                self.offer.kind.day_word_da()
            );
        }
        tidy(&out)
    }
}

impl Computed {
    /// The tariff sheet followed by the cost base, revenue neutrality and warnings.
    pub fn to_text(&self) -> String {
        statement(
            &self.sheet,
            &self.cost_base,
            &self.neutrality,
            &self.warnings,
        )
    }
}

impl Response {
    /// The response as Danish text: the tariff sheet (with the cost base and revenue
    /// neutrality when the offer was computed), each course quote, the warnings — or the
    /// errors.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// let request = takst::Request::from_json(r#"{"version": 1, "catalogue": {}}"#);
    /// assert!(request.is_err()); // errors while reading come before a response
    /// let request = takst::Request::from_json(r#"{"version": 1, "offer": null}"#).unwrap();
    /// let text = takst::evaluate(&request).to_text();
    /// assert!(text.starts_with("FEJL"));
    /// let computed = takst::Offer::sample().compute().unwrap();
    /// assert!(computed.to_text().starts_with("TAKSTBLAD 2026"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if !self.ok {
            out.push_str("FEJL\n");
            for e in &self.errors {
                let _ = writeln!(out, "  ! {}: {}", e.path(), e.message_da());
            }
            return out;
        }
        // The statement lists the warnings; without it they are listed at the end.
        let mut stated = false;
        match (&self.tariff_sheet, &self.cost_base, &self.neutrality) {
            (Some(sheet), Some(cb), Some(n)) => {
                out.push_str(&statement(sheet, cb, n, &self.warnings));
                stated = true;
            }
            (Some(sheet), _, _) => out.push_str(&sheet.to_text()),
            // An offer computed, asked for without its sheet (`options.tariff_sheet`): the
            // statement is made from the sheet.
            (None, Some(_), _) => out.push_str("(Takstbladet er ikke med i svaret.)\n"),
            _ => {}
        }
        for q in &self.courses {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&q.to_text());
        }
        let mut section = |text: String| {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&text);
        };
        if let Some(n) = &self.tariff_notice {
            section(n.to_text());
        }
        if let Some(s) = &self.settlement {
            section(s.to_text());
        }
        if let Some(p) = &self.partnership {
            section(p.to_text());
        }
        if let Some(b) = &self.base_funding {
            section(b.to_text());
        }
        for s in &self.special_arrangements {
            section(s.to_text());
        }
        if let Some(a) = &self.ambulant {
            section(a.to_text());
        }
        if let Some(b) = &self.buyer {
            section(b.to_text());
        }
        for s in &self.scenarios {
            section(s.to_text(40));
        }
        if !stated && !self.warnings.is_empty() {
            let _ = writeln!(out, "\nAdvarsler");
            for wrn in &self.warnings {
                let _ = writeln!(out, "  ! {}: {}", wrn.path(), wrn.message_da());
            }
        }
        tidy(&out)
    }
}

/// The sheet followed by the cost base, revenue neutrality and warnings.
/// An amount in kroner as Danish text: øre with two decimals, never one ("2.051.942,40").
fn kr(value: &crate::Exact) -> String {
    crate::danish::figure(value, crate::explain::Unit::Kr)
}

/// Amounts shown in one column, as [`kr`] shows each, but with øre on every one whose exact
/// value fits them when any has øre: the revenue check's "15.538.550,00" under
/// "15.537.979,92", not "15.538.550" (never a value rounded: one of more decimals keeps its
/// own form).
fn kr_column(values: &[&crate::Exact]) -> Vec<String> {
    let decimals: Vec<_> = values
        .iter()
        .map(|v| v.to_decimal().map(|d| d.normalize()))
        .collect();
    let øre = decimals
        .iter()
        .flatten()
        .any(|d| (1..=2).contains(&d.scale()));
    values
        .iter()
        .zip(decimals)
        .map(|(v, d)| match d {
            Some(mut d) if øre && d.scale() <= 2 => {
                d.rescale(2);
                crate::danish::number(d)
            }
            _ => kr(v),
        })
        .collect()
}

fn statement(sheet: &TariffSheet, cb: &CostBase, n: &Neutrality, warnings: &[Warning]) -> String {
    {
        let mut out = sheet.to_text();
        let w = sheet.offer.kind.days_word_da();
        let _ = writeln!(out);
        let _ = writeln!(out, "Omkostningsgrundlag (SEL § 174)");
        for c in &cb.categories {
            let _ = writeln!(out, "  {:<56} {:>18}", c.category.label_da(), kr(&c.amount));
        }
        let _ = writeln!(out, "  {:<56} {:>18}", "I alt", kr(&cb.total));
        let _ = writeln!(
            out,
            "  {:<56} {:>18}",
            "  heraf fordelt pr. belægningsdag",
            kr(&cb.common)
        );
        let _ = writeln!(
            out,
            "  {:<56} {:>18}",
            "  heraf fordelt efter støttetimer",
            kr(&cb.support)
        );
        let places = if cb.places == crate::Exact::ONE {
            "plads"
        } else {
            "pladser"
        };
        let _ = writeln!(
            out,
            "Kapacitet: {} {places} × {} dage × {} % belægning = {} forventede {w}",
            shown(&cb.places),
            cb.day_basis,
            shown(&cb.occupancy_pct),
            shown(&cb.expected_days)
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "Provenuneutralitet");
        let names: std::collections::HashMap<&str, &str> = sheet
            .services
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect();
        // One column of amounts: the services' revenue, the total, the cost base, the rest.
        let mut amounts: Vec<&crate::Exact> = n.by_service.iter().map(|s| &s.revenue).collect();
        amounts.extend([&n.revenue, &n.cost_base, &n.residue]);
        let shown_amounts = kr_column(&amounts);
        let mut column = shown_amounts.iter();
        let mut next = || column.next().map_or("", String::as_str);
        for s in &n.by_service {
            let name = names
                .get(s.id.as_str())
                .copied()
                .unwrap_or("Gennemsnitstakst");
            let left = format!(
                "{name}: {} {w} × {}",
                shown(&s.expected_days),
                da_number(s.day)
            );
            let _ = writeln!(out, "  {left:<56} {:>18}", next());
        }
        for label in [
            "Forventet takstindtægt",
            "Omkostningsgrundlag",
            "Rest (indtægt − omkostningsgrundlag)",
        ] {
            let _ = writeln!(out, "  {label:<56} {:>18}", next());
        }
        if !warnings.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Advarsler");
            for wrn in warnings {
                let _ = writeln!(out, "  ! {}: {}", wrn.path(), wrn.message_da());
            }
        }
        tidy(&out)
    }
}
