//! The financing models as Danish statements (text), fit to attach to the annual accounts:
//! every step from the inputs to the result, amounts in Danish notation.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::danish::number as da;
use crate::finance::{
    AmbulantResult, BuyerResult, FundingResult, Outcome, PartnershipResult, SettlementResult,
    SpecialResult,
};
use crate::format::scenario::ScenarioResult;
use crate::tariff::NoticeResult;

const WIDTH: usize = 72;

/// An amount in kroner with at least two decimals (øre), never rounded.
fn kr(amount: Decimal) -> String {
    let mut a = amount;
    if a.scale() < 2 {
        a.rescale(2);
    }
    da(a)
}

fn row(out: &mut String, label: &str, amount: Decimal) {
    let value = format!("{} kr.", kr(amount));
    let pad = WIDTH
        .saturating_sub(label.chars().count() + value.chars().count())
        .max(1);
    let _ = writeln!(out, "  {label}{}{value}", " ".repeat(pad));
}

fn text_row(out: &mut String, label: &str, value: &str) {
    let pad = WIDTH
        .saturating_sub(label.chars().count() + value.chars().count())
        .max(1);
    let _ = writeln!(out, "  {label}{}{value}", " ".repeat(pad));
}

/// " · name" after a statement's heading, or nothing.
fn titled(name: Option<&str>) -> String {
    name.map(|n| format!(" · {n}")).unwrap_or_default()
}

fn rule(out: &mut String) {
    let _ = writeln!(out, "  {}", "-".repeat(WIDTH));
}

/// One Danish date format in every text: "15. september 2026".
fn date(d: jiff::civil::Date) -> String {
    crate::danish::date(d)
}

impl SettlementResult {
    /// The settlement as a Danish statement.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// let r = takst::evaluate(&takst::Request::from_json(r#"{"version": 1, "settlement": {
    ///     "year": 2026, "budget": "8000000", "actual_costs": "7648000",
    ///     "revenue": "8418000"}}"#).unwrap());
    /// let text = r.settlement.unwrap().to_text();
    /// assert!(text.contains("Overskud"));
    /// assert!(text.contains("-370.000,00 kr."));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let name = titled(self.name.as_deref());
        let _ = writeln!(out, "EFTERREGULERING {}{name}", self.year);
        let _ = writeln!(out);
        let from = |field: &str, source: &'static str| {
            if self.chained.iter().any(|c| c == field) {
                source
            } else {
                ""
            }
        };
        row(
            &mut out,
            &format!(
                "Faktiske takstindtægter{}",
                from("revenue", " (fra forløbene)")
            ),
            self.revenue,
        );
        row(
            &mut out,
            "− Faktiske omkostninger (regnskab)",
            self.actual_costs,
        );
        rule(&mut out);
        let what = match self.outcome {
            Outcome::Surplus => "Overskud",
            Outcome::Deficit => "Underskud",
            Outcome::Balance => "Resultat (balance)",
        };
        row(&mut out, what, self.result);
        let _ = writeln!(out);
        row(
            &mut out,
            &format!(
                "Budgetteret takstgrundlag{}",
                from("budget", " (fra tilbuddet)")
            ),
            self.budget,
        );
        row(
            &mut out,
            "Loft over hensættelse (rundet ned til øre)",
            self.set_aside_cap,
        );
        row(&mut out, "Hensat af overskuddet", self.set_aside);
        row(
            &mut out,
            "Efterregulering (− tilbageføres, + dækkes)",
            self.regulation,
        );
        let _ = writeln!(out);
        if self.refunded {
            let _ = writeln!(
                out,
                "  Overskuddet tilbagebetales kommunerne nu som kreditnotaer og indgår ikke i \
                 et senere års takstgrundlag."
            );
        } else {
            let _ = writeln!(out, "  Reguleringen indgår i takstgrundlaget:");
            for y in &self.regulation_years {
                row(&mut out, &format!("  {}", y.year), y.amount);
            }
        }
        if !self.municipalities.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "  Fordelt på betalingskommuner efter fakturerede dage{}:",
                from("municipalities", " (fra forløbene)")
            );
            for m in &self.municipalities {
                row(&mut out, &format!("  {}", m.municipality), m.amount);
            }
        }
        if !self.reserves.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "  Hensættelser      hensat          anvendt         tilbage   senest   status"
            );
            for r in &self.reserves {
                let _ = writeln!(
                    out,
                    "  {:<8} {:>15} {:>15} {:>15}   {:<6}   {}",
                    r.year,
                    kr(r.amount),
                    kr(r.used),
                    kr(r.remaining),
                    r.use_by,
                    r.state.da()
                );
            }
            row(
                &mut out,
                "Hensættelser til rådighed i alt",
                self.reserves_remaining,
            );
        }
        let _ = writeln!(out);
        let check = crate::decimal::add(self.revenue, self.regulation)
            .and_then(|x| crate::decimal::sub(x, self.set_aside));
        if let Some(c) = check {
            row(&mut out, "Kontrol: indtægter + regulering − hensat", c);
            row(
                &mut out,
                "         faktiske omkostninger",
                self.actual_costs,
            );
        }
        out
    }
}

impl PartnershipResult {
    /// The partnership as a Danish statement.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let name = titled(self.name.as_deref());
        let _ = writeln!(out, "PARTNERSKAB{name}");
        let _ = writeln!(out);
        row(&mut out, "Finansieringsgrundlag", self.financing_base);
        text_row(
            &mut out,
            "Forventede dage i alt",
            &format!("{} dage", da(self.expected_days)),
        );
        row(&mut out, "Partnernes faste betaling", self.fixed_payment);
        row(
            &mut out,
            "Fuld takst pr. dag (ikke-partnere)",
            self.full_tariff,
        );
        row(&mut out, "Partnertakst pr. dag", self.partner_tariff);
        let _ = writeln!(out);
        for p in &self.partners {
            let _ = writeln!(
                out,
                "  {} · forventer {} dage · fast bidrag {} kr.",
                p.municipality,
                da(p.expected_days),
                kr(p.contribution)
            );
            match p.break_even_days {
                Some(d) => {
                    let _ = writeln!(out, "    break-even ved {} dage", da(d));
                }
                None => {
                    let _ = writeln!(out, "    ingen break-even (taksterne er ens)");
                }
            }
            let _ = writeln!(
                out,
                "    {:>8} {:>10} {:>18} {:>18} {:>16}",
                "forbrug", "dage", "som partner", "til fuld takst", "besparelse"
            );
            for u in &p.usage {
                let _ = writeln!(
                    out,
                    "    {:>7}% {:>10} {:>18} {:>18} {:>16}",
                    da(u.usage_pct),
                    da(u.days),
                    kr(u.as_partner),
                    kr(u.as_non_partner),
                    kr(u.saving)
                );
            }
        }
        let _ = writeln!(out);
        row(
            &mut out,
            "Indtægt ved forventede dage (offentliggjorte takster)",
            self.revenue,
        );
        row(&mut out, "Afrundingsrest", self.residue);
        out
    }
}

impl FundingResult {
    /// Base funding as a Danish statement.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let name = titled(self.name.as_deref());
        let _ = writeln!(out, "BASISFINANSIERING{name}");
        let _ = writeln!(out);
        row(
            &mut out,
            "Takstgrundlag før basisfinansiering",
            self.cost_base,
        );
        for s in &self.sources {
            row(
                &mut out,
                &format!("− {} ({})", s.label, s.kind.da()),
                s.amount,
            );
        }
        rule(&mut out);
        row(
            &mut out,
            "Takstgrundlag efter basisfinansiering",
            self.tariff_base,
        );
        text_row(
            &mut out,
            "Forventede dage",
            &format!("{} dage", da(self.expected_days)),
        );
        row(
            &mut out,
            "Dagtakst uden basisfinansiering",
            self.day_tariff_without,
        );
        row(&mut out, "Dagtakst med basisfinansiering", self.day_tariff);
        if !self.municipalities.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "  Kommunernes bidrag:");
            for m in &self.municipalities {
                row(&mut out, &format!("  {}", m.municipality), m.amount);
            }
        }
        let _ = writeln!(out);
        row(
            &mut out,
            "Finansiering i alt ved forventede dage",
            self.revenue,
        );
        row(&mut out, "Afrundingsrest", self.residue);
        out
    }
}

impl SpecialResult {
    /// A special arrangement as a Danish statement.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "SÆRFORANSTALTNING · {} · {} – {} ({} dage)",
            self.name,
            date(self.start),
            date(self.end),
            self.days
        );
        let _ = writeln!(out);
        row(&mut out, "Faste omkostninger", self.fixed_costs);
        row(&mut out, "Personale og drift", self.staffing);
        row(&mut out, "Tillæg", self.markup);
        rule(&mut out);
        row(&mut out, "Pris for perioden", self.price);
        row(&mut out, "Pris pr. dag", self.day_price);
        row(&mut out, "Faktureret for hele perioden", self.billed);
        if let Some(e) = &self.early_end {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "  Ved ophør {}: {} dage faktureret, {} dage ikke",
                date(e.date),
                e.billed_days,
                e.unbilled_days
            );
            row(&mut out, "Indtægt til ophør", e.revenue);
            row(&mut out, "Udækkede faste omkostninger", e.uncovered_fixed);
            row(
                &mut out,
                "Udækket personale (opsigelse)",
                e.uncovered_staffing,
            );
            row(&mut out, "Udækket i alt (tomgangsrisiko)", e.uncovered);
        }
        out
    }
}

impl AmbulantResult {
    /// An ambulant service's hourly rate and products as a Danish statement.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let name = titled(self.name.as_deref());
        let _ = writeln!(out, "AMBULANT YDELSE{name}");
        let _ = writeln!(out);
        row(&mut out, "Personaleomkostninger", self.staff_costs);
        row(&mut out, "Overhead", self.overhead);
        rule(&mut out);
        row(&mut out, "Omkostninger i alt", self.costs);
        text_row(
            &mut out,
            "Produktive timer",
            &format!("{} timer", da(self.productive_hours)),
        );
        row(&mut out, "Timepris", self.hourly_rate);
        if !self.products.is_empty() {
            let _ = writeln!(out);
            for p in &self.products {
                row(
                    &mut out,
                    &format!("{} ({} timer)", p.name, da(p.hours)),
                    p.price,
                );
            }
        }
        out
    }
}

impl BuyerResult {
    /// The buyer's net cost as a Danish statement.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let name = titled(self.municipality.as_deref());
        let _ = writeln!(out, "NETTOUDGIFT{name}");
        let vat = if self.vat.private_provider {
            format!(
                "indirekte momsrefusion af {} % momsbærende andel",
                da(self.vat.vat_bearing_pct)
            )
        } else {
            "ingen momsrefusion (offentlig leverandør)".to_string()
        };
        let _ = writeln!(out, "  {vat}; statsrefusion efter SEL § 176");
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "  {:<16} {:>5} {:>15} {:>14} {:>14} {:>15}",
            "borger", "år", "brutto", "momsrefusion", "§ 176", "netto"
        );
        for c in &self.cases {
            let _ = writeln!(
                out,
                "  {:<16} {:>5} {:>15} {:>14} {:>14} {:>15}",
                c.citizen,
                c.year,
                kr(c.gross),
                kr(c.vat_refund),
                kr(c.refund_176),
                kr(c.net)
            );
        }
        rule(&mut out);
        for y in &self.years {
            let _ = writeln!(
                out,
                "  {:<16} {:>5} {:>15} {:>14} {:>14} {:>15}",
                "i alt",
                y.year,
                kr(y.gross),
                kr(y.vat_refund),
                kr(y.refund_176),
                kr(y.net)
            );
        }
        out
    }
}

impl ScenarioResult {
    /// What the scenario changed, as Danish text (at most `max` figures; 0 for all).
    pub fn to_text(&self, max: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "SCENARIE · {} · {} tal ændret",
            self.name,
            self.changes.len()
        );
        let shown = if max == 0 { self.changes.len() } else { max };
        for c in self.changes.iter().take(shown) {
            let v = |x: &Option<crate::Exact>| {
                x.as_ref()
                    .map_or("–".to_string(), |x| crate::danish::figure(x, c.unit))
            };
            let _ = writeln!(
                out,
                "  {:<48} {:>16} → {:>16}  ({})",
                c.label,
                v(&c.before),
                v(&c.after),
                v(&c.change)
            );
        }
        if self.changes.len() > shown {
            let _ = writeln!(out, "  … og {} tal mere", self.changes.len() - shown);
        }
        out
    }
}

impl NoticeResult {
    /// The tariff-change notice as Danish text: each tariff of year N and N+1, the change
    /// and its drivers, which sum to it.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// let offer = |year: i32, pct: i32, wages: &str| serde_json::json!({
    ///     "name": "Åen", "year": year, "kind": "residential", "capacity": {"places": 3},
    ///     "occupancy": {"budgeted_pct": pct},
    ///     "costs": [{"label": "Løn", "category": "wages", "amount": wages}]});
    /// let request = serde_json::json!({"version": 1, "offer": offer(2026, 96, "2102400"),
    ///     "tariff_notice": {"previous": offer(2025, 96, "2000000"), "pl_pct": "2.5"}});
    /// let r = takst::evaluate(&takst::Request::from_json(&request.to_string()).unwrap());
    /// let text = r.tariff_notice.unwrap().to_text();
    /// assert!(text.contains("VARSLING AF TAKSTÆNDRINGER 2025 → 2026"));
    /// assert!(text.contains("PL-fremskrivning"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "VARSLING AF TAKSTÆNDRINGER {} → {} · {}",
            self.from_year, self.to_year, self.name
        );
        let _ = writeln!(
            out,
            "Ændringen af hver takst fordelt på årsager (trin for trin, PL-fremskrivning {} %)",
            da(self.pl_pct.normalize())
        );
        for t in &self.tariffs {
            let _ = writeln!(out);
            let _ = writeln!(out, "  {}", t.name);
            text_row(
                &mut out,
                &format!("Takst {}", self.from_year),
                &da(t.previous),
            );
            text_row(&mut out, &format!("Takst {}", self.to_year), &da(t.new));
            let pct = t
                .change_pct
                .map(|p| format!(" ({} %)", da(p)))
                .unwrap_or_default();
            text_row(&mut out, "Ændring", &format!("{}{pct}", da(t.change)));
            for d in &t.drivers {
                text_row(
                    &mut out,
                    &format!("  heraf {}", d.driver.da()),
                    &da(d.amount),
                );
            }
        }
        if !self.added.is_empty() {
            let _ = writeln!(out, "\n  Nye ydelser: {}", self.added.join(", "));
        }
        if !self.removed.is_empty() {
            let _ = writeln!(out, "  Udgåede ydelser: {}", self.removed.join(", "));
        }
        out
    }
}
