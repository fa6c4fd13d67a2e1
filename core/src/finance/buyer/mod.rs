//! The buyer's side (domain reference §8): the municipality's net cost of its citizens'
//! courses and other costs, after the indirect VAT refund on private providers' prices
//! (price × VAT-bearing share × 25/125, rounded to whole kroner by default: BEK 891/2025
//! § 10) and the state refund for very expensive single cases (SEL § 176), applied
//! marginally by brackets.
//!
//! The refund is worked out month by month by default (BEK 1485/2023 § 3: each month's
//! expense for the citizen against 1/12 of the thresholds; an expense that is not monthly is
//! spread evenly over the year's 12 months), or on the year's expense as a setting. The
//! thresholds are data: per year, or at a price level (the law's 2022 level) indexed to the
//! year and rounded to a stated increment.

use std::collections::HashMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::{MonthAmount, Quote, YearRate};
use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::num;
use crate::rounding::{RoundMode, Rounding};
use crate::tariff::validate::{At, Check, YEARS};

use super::{dec, desc, input, year_subj, ORE};

mod sel176;

use sel176::*;

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}
fn is_hundred(d: &Decimal) -> bool {
    *d == Decimal::ONE_HUNDRED
}
fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_false(b: &bool) -> bool {
    !*b
}
fn kroner() -> Rounding {
    Rounding::KRONER
}
fn is_kroner(r: &Rounding) -> bool {
    *r == Rounding::KRONER
}
fn ten_thousand() -> Rounding {
    Rounding {
        increment: Decimal::from(10_000),
        mode: RoundMode::HalfAwayFromZero,
    }
}

/// How the SEL § 176 refund is worked out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundMethod {
    /// Month by month (BEK 1485/2023 § 3): each month's expense against 1/12 of the
    /// thresholds, each month's refund rounded to øre; a yearly cost is spread evenly over
    /// the 12 months. The default.
    #[default]
    Monthly,
    /// On the year's expense against the yearly thresholds, rounded to øre once.
    Annual,
}

/// The buying municipality's view: net cost after refunds.
///
/// # Example
///
/// SEL § 176 with the 2020 brackets (none below 1,090,000 kr, 25 % up to 2,050,000 kr,
/// 50 % above), for a citizen costing 2,500,000 kr:
///
/// ```
/// let out = takst::evaluate_json(r#"{"version": 1, "buyer": {
///     "refund": [{"year": 2020, "brackets": [{"from": "1090000", "pct": 25},
///                                             {"from": "2050000", "pct": 50}]}],
///     "costs": [{"citizen": "A", "year": 2020, "amount": "2500000"}]}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// // 25 % × 960,000 + 50 % × 450,000 = 240,000 + 225,000
/// assert_eq!(v["buyer"]["cases"][0]["refund_176"], "465000.00");
/// assert_eq!(v["buyer"]["cases"][0]["net"], "2035000.00");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// The buying municipality, for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The provider is private (not a public authority): the municipality gets the indirect
    /// VAT refund on the price. Default false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub private_provider: bool,
    /// The share of the price that bears VAT, in per cent. Default 100.
    #[serde(
        default = "hundred",
        deserialize_with = "num::de",
        skip_serializing_if = "is_hundred"
    )]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_bearing_pct: Decimal,
    /// How the VAT refund is rounded. Default whole kroner, half away from zero (BEK
    /// 891/2025 § 10).
    #[serde(default = "kroner", skip_serializing_if = "is_kroner")]
    pub vat_rounding: Rounding,
    /// How the SEL § 176 refund is worked out: `monthly` (default) or `annual`.
    #[serde(default)]
    pub refund_method: RefundMethod,
    /// The SEL § 176 refund brackets, per year (a year given here is used as given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refund: Vec<RefundTable>,
    /// The SEL § 176 brackets at a price level, indexed to each year of the costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_levels: Option<RefundLevels>,
    /// Costs per citizen and year besides the request's courses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub costs: Vec<BuyerCost>,
    /// Count the request's courses (each course a citizen, by its id). Default true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub include_courses: bool,
}

/// The SEL § 176 brackets of one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundTable {
    /// The year.
    pub year: i32,
    /// The brackets, by rising threshold: `pct` of the net cost above `from` (up to the next
    /// bracket's `from`) is refunded. Nothing is refunded below the first threshold.
    pub brackets: Vec<Bracket>,
}

/// SEL § 176 thresholds stated at a price level (the law states them at 2022 level:
/// 860,000 / 1,680,000 / 2,120,000 kr at 25 / 50 / 75 %), indexed to a year by the yearly
/// rates and rounded to the increment the published amounts move in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundLevels {
    /// The price level's year, e.g. 2022.
    pub year: i32,
    /// The brackets at that level.
    pub brackets: Vec<Bracket>,
    /// The yearly regulation rates after the level's year, e.g. `[{ "year": 2023, "pct":
    /// "4.7" }]`; a year of costs needs every rate up to it.
    #[serde(default)]
    pub rates_pct: Vec<YearRate>,
    /// Rounding of an indexed threshold. Default 10,000 kr, half away from zero.
    #[serde(default = "ten_thousand")]
    pub rounding: Rounding,
}

/// One refund bracket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bracket {
    /// The threshold, kroner per citizen per year.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub from: Decimal,
    /// The refund rate above it, in per cent.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub pct: Decimal,
}

/// A cost for a citizen in a year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyerCost {
    /// The citizen (an id, never a CPR number).
    pub citizen: String,
    /// The year.
    pub year: i32,
    /// The gross cost (the price paid).
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}

/// A citizen's year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerCase {
    /// The citizen.
    pub citizen: String,
    /// The year.
    pub year: i32,
    /// The gross cost.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub gross: Decimal,
    /// The indirect VAT refund.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_refund: Decimal,
    /// The SEL § 176 refund (of the cost net of the VAT refund).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub refund_176: Decimal,
    /// With the monthly method: each month's refund (their sum is `refund_176`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refund_176_months: Vec<MonthAmount>,
    /// gross − VAT refund − § 176 refund.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub net: Decimal,
}

/// Totals for a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerYear {
    /// The year.
    pub year: i32,
    /// Gross cost.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub gross: Decimal,
    /// VAT refunds.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_refund: Decimal,
    /// § 176 refunds.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub refund_176: Decimal,
    /// Net cost.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub net: Decimal,
}

/// The indirect VAT refund convention applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct VatRefund {
    /// Whether the provider is private (no refund otherwise).
    pub private_provider: bool,
    /// The VAT-bearing share, per cent.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub vat_bearing_pct: Decimal,
    /// How the refund is rounded.
    pub rounding: Rounding,
}

/// The municipality's net cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerResult {
    /// The municipality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The VAT refund convention.
    pub vat: VatRefund,
    /// How the SEL § 176 refund was worked out.
    pub refund_method: RefundMethod,
    /// Per citizen and year.
    pub cases: Vec<BuyerCase>,
    /// Per year.
    pub years: Vec<BuyerYear>,
}

// Keyed by the cost's place in `buyer.costs`: a citizen may have several costs in a year.
const GROSS_PART: Desc = desc(
    "buyer.costs[{a}]",
    "Udgift, {mb} (udgift nr. {a1})",
    Unit::Kr,
    "",
    None,
    "buyer.costs[{a}].amount",
);
/// The most courses of one citizen in one year that the buyer's statement takes (their
/// count is in their figures' subjects: [`course_subj`]).
const MAX_COURSES_A_YEAR: usize = 10_000;

/// The subject of a citizen's `n`-th course (from 0, in the order of `courses`) in the
/// month or year of `s` (its `b`: a month's code, 202601, or a year), read back by the
/// `{n}`, `{n1}`, `{nb}`, `{nym}` and `{nmn}` blanks: the code × 10,000 + n. Years are at
/// most 2200 and n below [`MAX_COURSES_A_YEAR`], so the code stays below 2.3 × 10^9.
pub(super) fn course_subj(s: Subj, n: usize) -> Subj {
    Subj {
        a: s.a,
        b: s.b.saturating_mul(10_000).saturating_add(n as u32),
    }
}

// A citizen may have several courses in a year: each its own figure.
const COURSE_PART: Desc = desc(
    "buyer.{m}.{nb}.course[{n}]",
    "Forløbets pris, {m}, {nb} (forløb {n1})",
    Unit::Kr,
    "forløbets beløb for året (se forløbets tilbud)",
    None,
    "courses",
);
const GROSS: Desc = desc(
    "buyer.{m}.{b}.gross",
    "Bruttoudgift, {m}, {b}",
    Unit::Kr,
    "summen af udgifterne til borgeren i året",
    None,
    "buyer",
);
const VAT_PCT: Desc = desc(
    "buyer.vat_bearing_pct",
    "Momsbærende andel, pct.",
    Unit::Percent,
    "",
    None,
    "buyer.vat_bearing_pct",
);
const VAT_FRACTION: Desc = desc(
    "buyer.vat_fraction",
    "Momsbrøk 25/125",
    Unit::Ratio,
    "moms på 25 % udgør 25/125 af en pris med moms",
    Some("momskompensation, indirekte momsrefusion"),
    "buyer",
);
const VAT_BASE: Desc = desc(
    "buyer.{m}.{b}.vat_bearing",
    "Momsbærende del af prisen, {m}, {b}",
    Unit::Kr,
    "bruttoudgift × momsbærende andel",
    None,
    "buyer.vat_bearing_pct",
);
const VAT_REFUND_EXACT: Desc = desc(
    "buyer.{m}.{b}.vat_refund.exact",
    "Indirekte momsrefusion før afrunding, {m}, {b}",
    Unit::Kr,
    "momsbærende del × 25/125",
    Some("indirekte momsrefusion ved køb hos private leverandører"),
    "buyer",
);
const VAT_REFUND: Desc = desc(
    "buyer.{m}.{b}.vat_refund",
    "Indirekte momsrefusion, {m}, {b}",
    Unit::Kr,
    "momsrefusionen afrundet",
    Some("BEK 891/2025 § 10: afrundes til hele kroner"),
    "buyer.vat_rounding",
);
const TWELVE: Desc = desc(
    "const.months",
    "Måneder i et år",
    Unit::Number,
    "fast værdi",
    None,
    "buyer",
);
const MONTH_COURSE: Desc = desc(
    "buyer.{m}.{nym}.course[{n}]",
    "Forløbets pris i {nmn}, {m} (forløb {n1})",
    Unit::Kr,
    "forløbets beløb for måneden (se forløbets tilbud)",
    None,
    "courses",
);
// Keyed by the cost's place in `buyer.costs` (a citizen may have several costs in a year)
// and the month.
const MONTH_SPREAD: Desc = desc(
    "buyer.costs[{a}].{ym}",
    "Udgift nr. {a1} fordelt på {mn}",
    Unit::Kr,
    "årets udgift ÷ 12",
    Some("BEK 1485/2023 § 3, stk. 4: enkeltstående udgifter fordeles ligeligt på årets 12 måneder"),
    "buyer.costs[{a}].amount",
);
const MONTH_GROSS: Desc = desc(
    "buyer.{m}.{ym}.gross",
    "Udgift i {mn}, {m}",
    Unit::Kr,
    "summen af månedens udgifter til borgeren",
    None,
    "buyer",
);
const MONTH_VAT_BASE: Desc = desc(
    "buyer.{m}.{ym}.vat_bearing",
    "Momsbærende del af månedens udgift, {mn}, {m}",
    Unit::Kr,
    "månedens udgift × momsbærende andel",
    None,
    "buyer.vat_bearing_pct",
);
const MONTH_VAT: Desc = desc(
    "buyer.{m}.{ym}.vat_refund",
    "Momsrefusion i {mn}, {m}",
    Unit::Kr,
    "månedens udgift × momsbærende andel × 25/125",
    Some("indirekte momsrefusion ved køb hos private leverandører"),
    "buyer",
);
const MONTH_NET_OF_VAT: Desc = desc(
    "buyer.{m}.{ym}.net_of_vat",
    "Udgift efter momsrefusion i {mn}, {m}",
    Unit::Kr,
    "månedens udgift − månedens momsrefusion",
    None,
    "buyer",
);
const NET_OF_VAT: Desc = desc(
    "buyer.{m}.{b}.net_of_vat",
    "Udgift efter momsrefusion, {m}, {b}",
    Unit::Kr,
    "bruttoudgift − momsrefusion",
    None,
    "buyer",
);
const ZERO: Desc = desc("const.zero", "Nul", Unit::Kr, "fast værdi", None, "buyer");
const NET: Desc = desc(
    "buyer.{m}.{b}.net",
    "Nettoudgift, {m}, {b}",
    Unit::Kr,
    "udgift efter momsrefusion − statsrefusion",
    None,
    "buyer",
);

/// A table of SEL § 176 brackets at `at` (`….brackets`): thresholds not negative and
/// rising, rates from 0 to 100 %, at most 100 brackets.
fn check_brackets(c: &mut Check, brackets: &[Bracket], at: &str) {
    for (k, br) in brackets.iter().enumerate() {
        let path = format!("{at}[{k}]");
        c.non_negative(
            br.from,
            format!("{path}.from"),
            ("a threshold", "en beløbsgrænse"),
        );
        c.percent(
            br.pct,
            format!("{path}.pct"),
            ("a refund rate", "en refusionssats"),
        );
        if k > 0 && br.from <= brackets[k - 1].from {
            c.fail(
                ErrorCode::OutOfRange,
                format!("{path}.from"),
                format!(
                    "the thresholds must rise: {} follows {}",
                    br.from,
                    brackets[k - 1].from
                ),
                format!(
                    "Beløbsgrænserne skal stige: {} kommer efter {}.",
                    crate::danish::number(br.from),
                    crate::danish::number(brackets[k - 1].from)
                ),
            );
        }
    }
    if brackets.len() > 100 {
        c.fail(
            ErrorCode::LimitExceeded,
            at,
            "at most 100 brackets",
            "Der må højst være 100 refusionsgrænser.",
        );
    }
}

fn check(b: &Buyer) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    c.percent(
        b.vat_bearing_pct,
        "buyer.vat_bearing_pct",
        ("the VAT-bearing share", "den momsbærende andel"),
    );
    for (i, t) in b.refund.iter().enumerate() {
        if !YEARS.contains(&t.year) {
            c.fail(
                ErrorCode::OutOfRange,
                At("buyer.refund", i, ".year"),
                format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
                format!(
                    "Året skal være fra {} til {}, men er {}.",
                    YEARS.start(),
                    YEARS.end(),
                    t.year
                ),
            );
        }
        if b.refund[..i].iter().any(|o| o.year == t.year) {
            c.fail(
                ErrorCode::DuplicateId,
                At("buyer.refund", i, ".year"),
                format!("the brackets of {} are given twice", t.year),
                format!("Refusionsgrænserne for {} er angivet to gange.", t.year),
            );
        }
        check_brackets(&mut c, &t.brackets, &format!("buyer.refund[{i}].brackets"));
    }
    c.rounding(&b.vat_rounding, "buyer.vat_rounding");
    if let Some(l) = &b.refund_levels {
        if !YEARS.contains(&l.year) {
            c.fail(
                ErrorCode::OutOfRange,
                "buyer.refund_levels.year",
                format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
                format!(
                    "Året skal være fra {} til {}, men er {}.",
                    YEARS.start(),
                    YEARS.end(),
                    l.year
                ),
            );
        }
        c.rounding(&l.rounding, "buyer.refund_levels.rounding");
        check_brackets(&mut c, &l.brackets, "buyer.refund_levels.brackets");
        for (k, r) in l.rates_pct.iter().enumerate() {
            let path = format!("buyer.refund_levels.rates_pct[{k}]");
            if r.year <= l.year || !YEARS.contains(&r.year) {
                c.fail(
                    ErrorCode::OutOfRange,
                    format!("{path}.year"),
                    format!(
                        "a rate regulates from the price level of {} onwards: give a year after \
                         it, up to {}",
                        l.year,
                        YEARS.end()
                    ),
                    format!(
                        "En sats regulerer fra prisniveauet i {} og frem: angiv et år efter det, \
                         højst {}.",
                        l.year,
                        YEARS.end()
                    ),
                );
            }
            if l.rates_pct[..k].iter().any(|o| o.year == r.year) {
                c.fail(
                    ErrorCode::DuplicateId,
                    format!("{path}.year"),
                    format!("the rate of {} is given twice", r.year),
                    format!("Satsen for {} er angivet to gange.", r.year),
                );
            }
            if r.pct <= Decimal::from(-100) || r.pct > Decimal::ONE_HUNDRED {
                c.fail(
                    ErrorCode::OutOfRange,
                    format!("{path}.pct"),
                    format!(
                        "a yearly rate must be above −100 % and at most 100 %, got {} %",
                        r.pct
                    ),
                    format!(
                        "En årlig sats skal være over −100 % og højst 100 %, men er {} %.",
                        crate::danish::number(r.pct)
                    ),
                );
            }
        }
    }
    for (i, cost) in b.costs.iter().enumerate() {
        c.non_negative(
            cost.amount,
            At("buyer.costs", i, ".amount"),
            ("a cost", "en udgift"),
        );
        if !YEARS.contains(&cost.year) {
            c.fail(
                ErrorCode::OutOfRange,
                At("buyer.costs", i, ".year"),
                format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
                format!(
                    "Året skal være fra {} til {}, men er {}.",
                    YEARS.start(),
                    YEARS.end(),
                    cost.year
                ),
            );
        }
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// One part of a citizen-year's cost: a course's amount by month, or a yearly cost.
enum Part {
    /// A course: its place in `courses`, and its months' amounts in the year.
    Course(usize, Vec<MonthAmount>),
    /// A cost of `buyer.costs`: its index there, and its amount.
    Cost(usize, Decimal),
}

/// One citizen-year's gross parts, in the order first seen.
struct Case {
    citizen: String,
    year: i32,
    parts: Vec<Part>,
}

/// The brackets of one year: (threshold, rate) figures.
type Table = Vec<(Fig, Fig)>;

impl Buyer {
    /// The net cost of the costs and (when `include_courses`) the priced courses.
    pub(crate) fn compute(
        &self,
        courses: &[Quote],
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
    ) -> Result<BuyerResult, Errors> {
        check(self)?;
        Ok(self.figures(courses, ex, warnings)?)
    }

    /// The brackets of `year`: as given for the year, or indexed from the price level;
    /// `None` when neither reaches the year.
    fn table(
        &self,
        ex: &mut Explanation,
        year: i32,
        levels: &mut Option<LevelFigs>,
    ) -> Result<Option<Table>, Error> {
        if let Some(t) = self.refund.iter().find(|t| t.year == year) {
            let mut rows = Vec::with_capacity(t.brackets.len());
            for (k, b) in t.brackets.iter().enumerate() {
                let s = year_subj(k, t.year);
                rows.push((input(ex, &FROM, s, b.from)?, input(ex, &PCT, s, b.pct)?));
            }
            return Ok(Some(rows));
        }
        let Some(l) = &self.refund_levels else {
            return Ok(None);
        };
        if year < l.year {
            return Ok(None);
        }
        let lv = match levels {
            Some(lv) => lv,
            None => levels.insert(LevelFigs::new(ex, l)?),
        };
        let Some(factor) = lv.factor(ex, l, year)? else {
            return Ok(None);
        };
        let mut rows = Vec::with_capacity(l.brackets.len());
        for (k, (from, pct)) in lv.brackets.iter().enumerate() {
            let s = year_subj(k, year);
            let exact = ex.derive(
                &INDEXED_FROM_EXACT,
                s,
                Op::Product,
                &[from.clone(), factor.clone()],
            )?;
            let (indexed, _) = ex.round(&INDEXED_FROM, s, exact, l.rounding, Step::Published)?;
            rows.push((indexed, pct.clone()));
        }
        Ok(Some(rows))
    }

    fn figures(
        &self,
        courses: &[Quote],
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
    ) -> Result<BuyerResult, Error> {
        let mut cases: Vec<Case> = Vec::new();
        let mut at: HashMap<(String, i32), usize> = HashMap::new();
        let mut add = |citizen: String, year: i32, part: Part| {
            let k = *at.entry((citizen.clone(), year)).or_insert_with(|| {
                cases.push(Case {
                    citizen,
                    year,
                    parts: Vec::new(),
                });
                cases.len() - 1
            });
            cases[k].parts.push(part);
        };
        if self.include_courses {
            // The statement is the buyer's: a course another municipality pays is not its
            // citizen's, and is left out, said in a warning (a course without a paying
            // municipality is taken as the buyer's).
            let mut others: Vec<(usize, &str)> = Vec::new();
            for (i, q) in courses.iter().enumerate() {
                if let (Some(own), Some(theirs)) = (&self.municipality, &q.municipality) {
                    if own != theirs {
                        others.push((i, theirs));
                        continue;
                    }
                }
                let citizen = q.id.clone().unwrap_or_else(|| format!("forløb {}", i + 1));
                for y in &q.years {
                    let months = q
                        .months
                        .iter()
                        .filter(|m| i32::from(m.month.year) == y.year)
                        .cloned()
                        .collect();
                    add(citizen.clone(), y.year, Part::Course(i, months));
                }
            }
            if let (Some(own), Some(&(first, _))) = (&self.municipality, others.first()) {
                let mut names: Vec<&str> = others.iter().map(|o| o.1).collect();
                names.sort_unstable();
                names.dedup();
                let names = names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let n = others.len();
                warnings.push(Warning::new(
                    WarningCode::BuyerOtherMunicipality,
                    format!("courses[{first}].municipality"),
                    format!(
                        "{n} course{} paid by {names} {} not in the statement of {own:?}",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "is" } else { "are" },
                    ),
                    format!(
                        "{n} forløb, som {names} betaler, er ikke med i opgørelsen for {own:?}."
                    ),
                ));
            }
        }
        for (k, c) in self.costs.iter().enumerate() {
            add(c.citizen.clone(), c.year, Part::Cost(k, c.amount));
        }

        // A citizen's courses of a year are counted in their figures' subjects: the first
        // course past the most a year is named.
        for c in &cases {
            let over = c
                .parts
                .iter()
                .filter_map(|p| match p {
                    Part::Course(i, _) => Some(*i),
                    Part::Cost(..) => None,
                })
                .nth(MAX_COURSES_A_YEAR);
            if let Some(i) = over {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    format!("courses[{i}]"),
                    format!(
                        "citizen {:?} has more than {} courses in {}; the buyer's statement \
                         takes at most {} a year",
                        c.citizen, MAX_COURSES_A_YEAR, c.year, MAX_COURSES_A_YEAR
                    ),
                    format!(
                        "Borgeren {:?} har mere end {} forløb i {}; køberens opgørelse tager \
                         højst {} om året.",
                        c.citizen,
                        crate::danish::int(MAX_COURSES_A_YEAR),
                        c.year,
                        crate::danish::int(MAX_COURSES_A_YEAR)
                    ),
                ));
            }
        }
        let none = Subj::NONE;
        let vat = if self.private_provider {
            let pct = input(ex, &VAT_PCT, none, self.vat_bearing_pct)?;
            let fraction = ex.constant(&VAT_FRACTION, Exact::from(Decimal::new(2, 1)))?;
            Some((pct, fraction))
        } else {
            None
        };
        let zero = ex.constant(&ZERO, Exact::ZERO)?;
        let monthly = self.refund_method == RefundMethod::Monthly;
        let twelve = if monthly {
            Some(ex.constant(&TWELVE, Exact::from(12i64))?)
        } else {
            None
        };
        // The brackets of each year, made once (and, monthly, their twelfths).
        let mut tables: HashMap<i32, Option<(Table, Vec<Fig>)>> = HashMap::new();
        let mut levels: Option<LevelFigs> = None;

        let mut out = Vec::with_capacity(cases.len());
        let mut missing: Vec<i32> = Vec::new();
        for case in &cases {
            let party = ex.party(|| case.citizen.clone());
            let s = year_subj(party, case.year);
            let mut parts = Vec::with_capacity(case.parts.len());
            let mut yearly = Vec::new();
            let mut course = 0;
            for part in &case.parts {
                parts.push(match part {
                    Part::Course(_, months) => {
                        let total = months
                            .iter()
                            .try_fold(Decimal::ZERO, |a, m| crate::decimal::add(a, m.amount))
                            .ok_or_else(|| {
                                Error::new(
                                    ErrorCode::Overflow,
                                    "buyer",
                                    "the costs are too large",
                                    "Udgifterne er for store til at regne med.",
                                )
                            })?;
                        let f = ex.constant_at(
                            &COURSE_PART,
                            course_subj(s, course),
                            Exact::from(total),
                        )?;
                        course += 1;
                        f
                    }
                    Part::Cost(k, amount) => {
                        let f = input(ex, &GROSS_PART, Subj::two(*k, party as u32), *amount)?;
                        yearly.push((*k, f.clone()));
                        f
                    }
                });
            }
            let gross = ex.derive(&GROSS, s, Op::Sum, &parts)?;
            let (net_of_vat, vat_refund) = match &vat {
                Some((pct, fraction)) => {
                    let base =
                        ex.derive(&VAT_BASE, s, Op::PercentOf, &[gross.clone(), pct.clone()])?;
                    let exact =
                        ex.derive(&VAT_REFUND_EXACT, s, Op::Product, &[base, fraction.clone()])?;
                    let (refund, refund_dec) =
                        ex.round(&VAT_REFUND, s, exact, self.vat_rounding, Step::Derived)?;
                    (
                        ex.derive(&NET_OF_VAT, s, Op::Difference, &[gross.clone(), refund])?,
                        refund_dec,
                    )
                }
                None => (gross.clone(), Decimal::ZERO),
            };
            if let std::collections::hash_map::Entry::Vacant(entry) = tables.entry(case.year) {
                let table = match self.table(ex, case.year, &mut levels)? {
                    Some(rows) => {
                        let mut twelfths = Vec::new();
                        if let Some(twelve) = &twelve {
                            for (k, (from, _)) in rows.iter().enumerate() {
                                twelfths.push(ex.derive(
                                    &MONTH_FROM,
                                    year_subj(k, case.year),
                                    Op::Quotient,
                                    &[from.clone(), twelve.clone()],
                                )?);
                            }
                        }
                        Some((rows, twelfths))
                    }
                    None => None,
                };
                entry.insert(table);
            }
            let table = tables.get(&case.year).and_then(|t| t.as_ref());
            let (refund, refund_176, refund_176_months) = match table {
                Some((rows, twelfths)) if !rows.is_empty() => {
                    if let Some(twelve) = &twelve {
                        let (fig, months) = self.monthly_refund(
                            ex, case, party, &yearly, rows, twelfths, twelve, &vat, &zero,
                        )?;
                        (fig.clone(), dec(&fig, "buyer")?, months)
                    } else {
                        let thresholds: Vec<Fig> = rows.iter().map(|r| r.0.clone()).collect();
                        let rates: Vec<Fig> = rows.iter().map(|r| r.1.clone()).collect();
                        let refunds = brackets(
                            ex,
                            s,
                            &net_of_vat,
                            &thresholds,
                            &rates,
                            &zero,
                            &ANNUAL_STEPS,
                        )?;
                        let (refund, refund_dec) =
                            ex.derive_rounded(&REFUND, s, Op::Sum, &refunds, ORE, Step::Derived)?;
                        (refund, refund_dec, Vec::new())
                    }
                }
                _ => {
                    if (!self.refund.is_empty() || self.refund_levels.is_some())
                        && !missing.contains(&case.year)
                    {
                        missing.push(case.year);
                    }
                    (zero.clone(), Decimal::ZERO, Vec::new())
                }
            };
            let net = ex.derive(&NET, s, Op::Difference, &[net_of_vat, refund])?;
            out.push(BuyerCase {
                citizen: case.citizen.clone(),
                year: case.year,
                gross: dec(&gross, "buyer")?,
                vat_refund,
                refund_176,
                refund_176_months,
                net: dec(&net, "buyer")?,
            });
        }
        for year in missing {
            warnings.push(Warning::new(
                WarningCode::RefundYearUnknown,
                "buyer.refund",
                format!("no SEL § 176 brackets are given for {year}: no state refund is counted that year"),
                format!(
                    "Der er ikke angivet refusionsgrænser efter SEL § 176 for {year}, så der er \
                     ikke medregnet statsrefusion for det år."
                ),
            ));
        }

        let mut years: Vec<BuyerYear> = Vec::new();
        for c in &out {
            let y = match years.iter().position(|y| y.year == c.year) {
                Some(k) => &mut years[k],
                None => {
                    years.push(BuyerYear {
                        year: c.year,
                        gross: Decimal::ZERO,
                        vat_refund: Decimal::ZERO,
                        refund_176: Decimal::ZERO,
                        net: Decimal::ZERO,
                    });
                    let last = years.len() - 1;
                    &mut years[last]
                }
            };
            let overflow = || {
                Error::new(
                    ErrorCode::Overflow,
                    "buyer",
                    "the totals are too large",
                    "Summerne er for store til at regne med.",
                )
            };
            y.gross = crate::decimal::add(y.gross, c.gross).ok_or_else(overflow)?;
            y.vat_refund = crate::decimal::add(y.vat_refund, c.vat_refund).ok_or_else(overflow)?;
            y.refund_176 = crate::decimal::add(y.refund_176, c.refund_176).ok_or_else(overflow)?;
            y.net = crate::decimal::add(y.net, c.net).ok_or_else(overflow)?;
        }
        years.sort_by_key(|y| y.year);
        Ok(BuyerResult {
            municipality: self.municipality.clone(),
            vat: VatRefund {
                private_provider: self.private_provider,
                vat_bearing_pct: self.vat_bearing_pct,
                rounding: self.vat_rounding,
            },
            refund_method: self.refund_method,
            cases: out,
            years,
        })
    }
}
