//! The computation: the citizen-years' gross parts (their courses and costs), the refund
//! brackets of a year (given, or indexed from the price level), the VAT refund, the state
//! refund and the net cost.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::check::check;
use super::desc::*;
use super::sel176::*;
use super::{Buyer, BuyerCase, BuyerResult, BuyerYear, RefundMethod, VatRefund};
use crate::course::{MonthAmount, Quote};
use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Explanation, Fig, Op, Step, Subj};
use crate::finance::{dec, input, year_subj, ORE};

/// One part of a citizen-year's cost: a course's amount by month, or a yearly cost.
pub(super) enum Part {
    /// A course: its place in `courses`, and its months' amounts in the year.
    Course(usize, Vec<MonthAmount>),
    /// A cost of `buyer.costs`: its index there, and its amount.
    Cost(usize, Decimal),
}

/// One citizen-year's gross parts, in the order first seen.
pub(super) struct Case {
    pub(super) citizen: String,
    pub(super) year: i32,
    pub(super) parts: Vec<Part>,
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
                let mut names: Vec<&str> = crate::order::sorted_by_key(
                    &others.iter().map(|o| o.1).collect::<Vec<_>>(),
                    |n| *n,
                );
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
        let years = crate::order::sorted_by(years, |a, b| a.year.cmp(&b.year));
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
