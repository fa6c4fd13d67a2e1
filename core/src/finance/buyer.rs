//! The buyer's side (domain reference §8): the municipality's net cost of its citizens'
//! courses and other costs, after the indirect VAT refund on private providers' prices
//! (price × VAT-bearing share × 25/125) and the state refund for very expensive single cases
//! (SEL § 176), applied marginally by brackets that are data per year.

use std::collections::HashMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::Quote;
use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::num;
use crate::tariff::validate::{At, Check, YEARS};

use super::{dec, desc, input, year_subj, ORE};

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
    pub vat_bearing_pct: Decimal,
    /// The SEL § 176 refund brackets, per year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refund: Vec<RefundTable>,
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

/// One refund bracket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bracket {
    /// The threshold, kroner per citizen per year.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    pub from: Decimal,
    /// The refund rate above it, in per cent.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
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
    pub gross: Decimal,
    /// The indirect VAT refund.
    #[schemars(with = "crate::num::Num")]
    pub vat_refund: Decimal,
    /// The SEL § 176 refund (of the cost net of the VAT refund).
    #[schemars(with = "crate::num::Num")]
    pub refund_176: Decimal,
    /// gross − VAT refund − § 176 refund.
    #[schemars(with = "crate::num::Num")]
    pub net: Decimal,
}

/// Totals for a year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerYear {
    /// The year.
    pub year: i32,
    /// Gross cost.
    #[schemars(with = "crate::num::Num")]
    pub gross: Decimal,
    /// VAT refunds.
    #[schemars(with = "crate::num::Num")]
    pub vat_refund: Decimal,
    /// § 176 refunds.
    #[schemars(with = "crate::num::Num")]
    pub refund_176: Decimal,
    /// Net cost.
    #[schemars(with = "crate::num::Num")]
    pub net: Decimal,
}

/// The indirect VAT refund convention applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct VatRefund {
    /// Whether the provider is private (no refund otherwise).
    pub private_provider: bool,
    /// The VAT-bearing share, per cent.
    #[schemars(with = "crate::num::Num")]
    pub vat_bearing_pct: Decimal,
}

/// The municipality's net cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuyerResult {
    /// The municipality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// The VAT refund convention.
    pub vat: VatRefund,
    /// Per citizen and year.
    pub cases: Vec<BuyerCase>,
    /// Per year.
    pub years: Vec<BuyerYear>,
}

const GROSS_PART: Desc = desc(
    "buyer.{m}.{b}.cost",
    "Udgift, {m}, {b}",
    Unit::Kr,
    "",
    None,
    "buyer.costs",
);
const COURSE_PART: Desc = desc(
    "buyer.{m}.{b}.course",
    "Forløbets pris, {m}, {b}",
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
const VAT_REFUND: Desc = desc(
    "buyer.{m}.{b}.vat_refund",
    "Indirekte momsrefusion, {m}, {b}",
    Unit::Kr,
    "momsbærende del × 25/125, rundet til hele øre",
    Some("indirekte momsrefusion ved køb hos private leverandører"),
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
const FROM: Desc = desc(
    "buyer.refund.{b}.bracket[{a}].from",
    "Tærskel {b}, trin {a}",
    Unit::Kr,
    "",
    Some("SEL § 176"),
    "buyer.refund",
);
const PCT: Desc = desc(
    "buyer.refund.{b}.bracket[{a}].pct",
    "Refusionssats {b}, trin {a}",
    Unit::Percent,
    "",
    Some("SEL § 176"),
    "buyer.refund",
);
const ZERO: Desc = desc("const.zero", "Nul", Unit::Kr, "fast værdi", None, "buyer");
const CAPPED: Desc = desc(
    "buyer.{m}.{b}.bracket_capped",
    "Udgift op til næste tærskel, {m}, {b}",
    Unit::Kr,
    "det mindste af udgiften efter momsrefusion og næste trins tærskel",
    None,
    "buyer.refund",
);
const OVER: Desc = desc(
    "buyer.{m}.{b}.bracket_over",
    "Udgift over trinnets tærskel, {m}, {b}",
    Unit::Kr,
    "udgift op til næste tærskel − trinnets tærskel",
    None,
    "buyer.refund",
);
const IN_BRACKET: Desc = desc(
    "buyer.{m}.{b}.bracket_amount",
    "Udgift i trinnet, {m}, {b}",
    Unit::Kr,
    "det største af udgiften over tærsklen og 0",
    None,
    "buyer.refund",
);
const BRACKET_REFUND: Desc = desc(
    "buyer.{m}.{b}.bracket_refund",
    "Refusion i trinnet, {m}, {b}",
    Unit::Kr,
    "udgift i trinnet × refusionssats",
    Some("SEL § 176"),
    "buyer.refund",
);
const REFUND: Desc = desc(
    "buyer.{m}.{b}.refund_176",
    "Statsrefusion for særligt dyre enkeltsager, {m}, {b}",
    Unit::Kr,
    "summen af trinnenes refusion, rundet til hele øre",
    Some("SEL § 176"),
    "buyer.refund",
);
const NET: Desc = desc(
    "buyer.{m}.{b}.net",
    "Nettoudgift, {m}, {b}",
    Unit::Kr,
    "udgift efter momsrefusion − statsrefusion",
    None,
    "buyer",
);

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
        for (k, br) in t.brackets.iter().enumerate() {
            let path = format!("buyer.refund[{i}].brackets[{k}]");
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
            if k > 0 && br.from <= t.brackets[k - 1].from {
                c.fail(
                    ErrorCode::OutOfRange,
                    format!("{path}.from"),
                    format!(
                        "the thresholds must rise: {} follows {}",
                        br.from,
                        t.brackets[k - 1].from
                    ),
                    format!(
                        "Beløbsgrænserne skal stige: {} kommer efter {}.",
                        crate::danish::number(br.from),
                        crate::danish::number(t.brackets[k - 1].from)
                    ),
                );
            }
        }
        if t.brackets.len() > 100 {
            c.fail(
                ErrorCode::LimitExceeded,
                At("buyer.refund", i, ".brackets"),
                "at most 100 brackets",
                "Der må højst være 100 refusionsgrænser.",
            );
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

/// One citizen-year's gross parts, in the order first seen.
struct Case {
    citizen: String,
    year: i32,
    parts: Vec<(bool, Decimal)>,
}

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

    fn figures(
        &self,
        courses: &[Quote],
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
    ) -> Result<BuyerResult, Error> {
        let mut cases: Vec<Case> = Vec::new();
        let mut at: HashMap<(String, i32), usize> = HashMap::new();
        let mut add = |citizen: String, year: i32, course: bool, amount: Decimal| {
            let k = *at.entry((citizen.clone(), year)).or_insert_with(|| {
                cases.push(Case {
                    citizen,
                    year,
                    parts: Vec::new(),
                });
                cases.len() - 1
            });
            cases[k].parts.push((course, amount));
        };
        if self.include_courses {
            for (i, q) in courses.iter().enumerate() {
                let citizen = q.id.clone().unwrap_or_else(|| format!("forløb {}", i + 1));
                for y in &q.years {
                    add(citizen.clone(), y.year, true, y.amount);
                }
            }
        }
        for c in &self.costs {
            add(c.citizen.clone(), c.year, false, c.amount);
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
        // The brackets of each year, read once.
        let mut tables: HashMap<i32, Vec<(Fig, Fig)>> = HashMap::new();
        for t in &self.refund {
            let mut rows = Vec::with_capacity(t.brackets.len());
            for (k, b) in t.brackets.iter().enumerate() {
                let s = year_subj(k, t.year);
                rows.push((input(ex, &FROM, s, b.from)?, input(ex, &PCT, s, b.pct)?));
            }
            tables.insert(t.year, rows);
        }

        let mut out = Vec::with_capacity(cases.len());
        let mut missing: Vec<i32> = Vec::new();
        for case in &cases {
            let party = ex.party(|| case.citizen.clone());
            let s = year_subj(party, case.year);
            let mut parts = Vec::with_capacity(case.parts.len());
            for (course, amount) in &case.parts {
                parts.push(if *course {
                    ex.constant_at(&COURSE_PART, s, Exact::from(*amount))?
                } else {
                    input(ex, &GROSS_PART, s, *amount)?
                });
            }
            let gross = ex.derive(&GROSS, s, Op::Sum, &parts)?;
            let (net_of_vat, vat_refund) = match &vat {
                Some((pct, fraction)) => {
                    let base =
                        ex.derive(&VAT_BASE, s, Op::PercentOf, &[gross.clone(), pct.clone()])?;
                    let (refund, refund_dec) = ex.derive_rounded(
                        &VAT_REFUND,
                        s,
                        Op::Product,
                        &[base, fraction.clone()],
                        ORE,
                        Step::Derived,
                    )?;
                    (
                        ex.derive(&NET_OF_VAT, s, Op::Difference, &[gross.clone(), refund])?,
                        refund_dec,
                    )
                }
                None => (gross.clone(), Decimal::ZERO),
            };
            let (net, refund_176) = match tables.get(&case.year) {
                Some(rows) if !rows.is_empty() => {
                    let mut refunds = Vec::with_capacity(rows.len());
                    for (k, (from, pct)) in rows.iter().enumerate() {
                        let capped = match rows.get(k + 1) {
                            Some((next, _)) => {
                                ex.derive(&CAPPED, s, Op::Min, &[net_of_vat.clone(), next.clone()])?
                            }
                            None => net_of_vat.clone(),
                        };
                        let over = ex.derive(&OVER, s, Op::Difference, &[capped, from.clone()])?;
                        let inside = ex.derive(&IN_BRACKET, s, Op::Max, &[over, zero.clone()])?;
                        refunds.push(ex.derive(
                            &BRACKET_REFUND,
                            s,
                            Op::PercentOf,
                            &[inside, pct.clone()],
                        )?);
                    }
                    let (refund, refund_dec) =
                        ex.derive_rounded(&REFUND, s, Op::Sum, &refunds, ORE, Step::Derived)?;
                    (
                        ex.derive(&NET, s, Op::Difference, &[net_of_vat, refund])?,
                        refund_dec,
                    )
                }
                _ => {
                    if !self.refund.is_empty() && !missing.contains(&case.year) {
                        missing.push(case.year);
                    }
                    (net_of_vat, Decimal::ZERO)
                }
            };
            out.push(BuyerCase {
                citizen: case.citizen.clone(),
                year: case.year,
                gross: dec(&gross, "buyer")?,
                vat_refund,
                refund_176,
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
            y.gross = y.gross.checked_add(c.gross).ok_or_else(overflow)?;
            y.vat_refund = y
                .vat_refund
                .checked_add(c.vat_refund)
                .ok_or_else(overflow)?;
            y.refund_176 = y
                .refund_176
                .checked_add(c.refund_176)
                .ok_or_else(overflow)?;
            y.net = y.net.checked_add(c.net).ok_or_else(overflow)?;
        }
        years.sort_by_key(|y| y.year);
        Ok(BuyerResult {
            municipality: self.municipality.clone(),
            vat: VatRefund {
                private_provider: self.private_provider,
                vat_bearing_pct: self.vat_bearing_pct,
            },
            cases: out,
            years,
        })
    }
}
