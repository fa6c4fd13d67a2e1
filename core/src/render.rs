//! Text output: the tariff sheet (takstblad) and explanation trees, Danish-formatted
//! (thousands separated by ".", decimals by ",").

use std::collections::HashSet;
use std::fmt::Write;

use rust_decimal::Decimal;

use crate::explain::{Explanation, NodeId, Op};
use crate::rounding::{RoundMode, Rounding};
use crate::sheet::{AddOnUnit, TariffSheet};
use crate::tariff::Computed;

/// Formats a decimal the Danish way, keeping its scale: `1234567.5` → `"1.234.567,5"`.
///
/// # Example
///
/// ```
/// use rust_decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// assert_eq!(takst::da_number(d("1234567.50")), "1.234.567,50");
/// assert_eq!(takst::da_number(d("-950")), "-950");
/// ```
pub fn da_number(value: Decimal) -> String {
    let text = value.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Display form of an unrounded figure: at most four decimals, marked "…" when cut.
/// For reading only; never used in a calculation.
fn shown(value: Decimal) -> String {
    const SHOW: Rounding = Rounding {
        increment: Decimal::from_parts(1, 0, 0, false, 4),
        mode: RoundMode::HalfAwayFromZero,
    };
    let v = value.normalize();
    if v.scale() <= 4 {
        return da_number(v);
    }
    format!("{}…", da_number(SHOW.apply(v).unwrap_or(v).normalize()))
}

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
    /// ```
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
                "Pakker: basistakst {} + afrund((n − ½) × {}) pr. {w}; {} timer pr. uge mellem to pakker",
                da_number(ps.basis),
                shown(ps.interval),
                da_number(ps.band_hours_per_week)
            );
        }
        if !self.part_time.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Deltid (pr. fremmødedag)");
            for pt in &self.part_time {
                let name = if pt.of == "average" {
                    "Gennemsnitstakst".to_string()
                } else {
                    self.services
                        .iter()
                        .find(|s| s.id == pt.of)
                        .map_or(pt.of.clone(), |s| s.name.clone())
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
        tidy(&out)
    }
}

impl Computed {
    /// The tariff sheet followed by the cost base, revenue neutrality and warnings.
    pub fn to_text(&self) -> String {
        let mut out = self.sheet.to_text();
        let cb = &self.cost_base;
        let w = self.sheet.offer.kind.days_word_da();
        let _ = writeln!(out);
        let _ = writeln!(out, "Omkostningsgrundlag (SEL § 174)");
        for c in &cb.categories {
            let _ = writeln!(
                out,
                "  {:<56} {:>18}",
                c.category.label_da(),
                shown(c.amount)
            );
        }
        let _ = writeln!(out, "  {:<56} {:>18}", "I alt", shown(cb.total));
        let _ = writeln!(
            out,
            "  {:<56} {:>18}",
            "  heraf fordelt pr. belægningsdag",
            shown(cb.common)
        );
        let _ = writeln!(
            out,
            "  {:<56} {:>18}",
            "  heraf fordelt efter støttetimer",
            shown(cb.support)
        );
        let _ = writeln!(
            out,
            "Kapacitet: {} pladser × {} dage × {} % belægning = {} forventede {w}",
            da_number(cb.places),
            cb.day_basis,
            da_number(cb.occupancy_pct),
            shown(cb.expected_days)
        );
        let n = &self.neutrality;
        let _ = writeln!(out);
        let _ = writeln!(out, "Provenuneutralitet");
        for s in &n.by_service {
            let name = self.sheet.services.iter().find(|t| t.id == s.id);
            let name = name.map_or("Gennemsnitstakst", |t| t.name.as_str());
            let left = format!(
                "{name}: {} {w} × {}",
                shown(s.expected_days),
                da_number(s.day)
            );
            let _ = writeln!(out, "  {left:<56} {:>18}", shown(s.revenue));
        }
        let _ = writeln!(
            out,
            "  {:<56} {:>18}",
            "Forventet takstindtægt",
            shown(n.revenue)
        );
        let _ = writeln!(
            out,
            "  {:<56} {:>18}",
            "Omkostningsgrundlag",
            shown(n.cost_base)
        );
        let _ = writeln!(out, "  {:<56} {:>18}", "Afrundingsrest", shown(n.residue));
        if !self.warnings.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Advarsler");
            for wrn in &self.warnings {
                let _ = writeln!(out, "  ! {wrn}");
            }
        }
        tidy(&out)
    }
}

impl Explanation {
    /// The figure with this key and everything it was computed from, as an indented tree.
    /// A figure that was already shown is referred to rather than repeated.
    ///
    /// # Example
    ///
    /// ```
    /// let computed = takst::Offer::sample().compute().unwrap();
    /// let text = computed.explanation.render("average.day").unwrap();
    /// assert!(text.contains("Omkostningsgrundlag"));
    /// assert!(text.contains("SEL § 174"));
    /// ```
    pub fn render(&self, key: &str) -> Option<String> {
        let node = self.find(key)?;
        let mut out = String::new();
        let mut seen = HashSet::new();
        self.render_node(node.id, "", "", &mut seen, &mut out);
        Some(out)
    }

    fn render_node(
        &self,
        id: NodeId,
        first: &str,
        rest: &str,
        seen: &mut HashSet<NodeId>,
        out: &mut String,
    ) {
        let Some(n) = self.get(id) else { return };
        let unit = n.unit.suffix_da();
        let value = if n.rounding.is_some() {
            da_number(n.value)
        } else {
            shown(n.value)
        };
        let _ = writeln!(out, "{first}{} = {value} {unit}", n.label);
        if !seen.insert(id) && !n.inputs.is_empty() {
            let _ = writeln!(out, "{rest}   (se ovenfor)");
            return;
        }
        let mut facts = Vec::new();
        match &n.op {
            Op::Input { path } => facts.push(format!("angivet: {path}")),
            _ => facts.push(format!("regel: {}", n.rule)),
        }
        if let Some(r) = &n.rounding {
            facts.push(format!(
                "afrundet fra {} ({}; {})",
                shown(r.before),
                r.policy,
                r.step
            ));
        }
        if let Some(src) = &n.source {
            if !matches!(n.op, Op::Input { .. }) || !src.starts_with("input:") {
                facts.push(format!("kilde: {src}"));
            }
        }
        for f in facts {
            let _ = writeln!(out, "{rest}   {f}");
        }
        let count = n.inputs.len();
        for (i, input) in n.inputs.iter().enumerate() {
            let last = i + 1 == count;
            let (branch, cont) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            self.render_node(
                *input,
                &format!("{rest}{branch}"),
                &format!("{rest}{cont}"),
                seen,
                out,
            );
        }
    }
}
