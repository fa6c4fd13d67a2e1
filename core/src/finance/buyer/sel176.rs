//! SEL § 176 (the state refund for very expensive single cases): the marginal brackets, month
//! by month (BEK 1485/2023 § 3) or for the year, and thresholds at a price level indexed to a
//! year.

use crate::course::{Month, MonthAmount};
use crate::error::Error;
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};

use super::super::{desc, input, year_subj, ORE};
use super::compute::{Case, Part};
use super::desc::*;
use super::*;

pub(super) const MONTH_FROM: Desc = desc(
    "buyer.refund.{b}.bracket[{a}].from_month",
    "Månedlig tærskel {b}, trin {a1}",
    Unit::Kr,
    "årets tærskel ÷ 12",
    Some("BEK 1485/2023 § 3: 1/12 af beløbsgrænserne i SEL § 176, stk. 1"),
    "buyer.refund",
);
pub(super) const MONTH_CAPPED: Desc = desc(
    "buyer.{m}.{kym}.bracket[{k}].capped",
    "Udgift op til næste tærskel i {kmn}, trin {k1}, {m}",
    Unit::Kr,
    "det mindste af månedens udgift og næste trins månedlige tærskel",
    None,
    "buyer.refund",
);
pub(super) const MONTH_OVER: Desc = desc(
    "buyer.{m}.{kym}.bracket[{k}].over",
    "Udgift over trinnets tærskel i {kmn}, trin {k1}, {m}",
    Unit::Kr,
    "udgift op til næste tærskel − trinnets månedlige tærskel",
    None,
    "buyer.refund",
);
pub(super) const MONTH_IN_BRACKET: Desc = desc(
    "buyer.{m}.{kym}.bracket[{k}].amount",
    "Udgift i trinnet i {kmn}, trin {k1}, {m}",
    Unit::Kr,
    "det største af udgiften over tærsklen og 0",
    None,
    "buyer.refund",
);
pub(super) const MONTH_BRACKET_REFUND: Desc = desc(
    "buyer.{m}.{kym}.bracket[{k}].refund",
    "Refusion i trinnet i {kmn}, trin {k1}, {m}",
    Unit::Kr,
    "udgift i trinnet × refusionssats",
    Some("SEL § 176"),
    "buyer.refund",
);
pub(super) const MONTH_REFUND: Desc = desc(
    "buyer.{m}.{ym}.refund_176",
    "Statsrefusion i {mn}, {m}",
    Unit::Kr,
    "summen af trinnenes refusion i måneden, rundet til hele øre",
    Some("SEL § 176, BEK 1485/2023 § 3"),
    "buyer.refund",
);
pub(super) const YEAR_REFUND: Desc = desc(
    "buyer.{m}.{b}.refund_176",
    "Statsrefusion for særligt dyre enkeltsager, {m}, {b}",
    Unit::Kr,
    "summen af månedernes refusion",
    Some("SEL § 176, BEK 1485/2023 § 3"),
    "buyer.refund",
);
pub(super) const LEVEL_FROM: Desc = desc(
    "buyer.refund_levels.bracket[{a}].from",
    "Tærskel i prisniveau, trin {a1}",
    Unit::Kr,
    "",
    Some("SEL § 176, stk. 1 (beløb i lovens prisniveau)"),
    "buyer.refund_levels.brackets",
);
pub(super) const LEVEL_RATE: Desc = desc(
    "buyer.refund_levels.rate.{b}",
    "Regulering {b}, pct.",
    Unit::Percent,
    "",
    None,
    "buyer.refund_levels.rates_pct",
);
pub(super) const LEVEL_FACTOR_STEP: Desc = desc(
    "buyer.refund_levels.step.{b}",
    "Reguleringsfaktor {b}",
    Unit::Ratio,
    "1 + sats ÷ 100",
    None,
    "buyer.refund_levels.rates_pct",
);
pub(super) const LEVEL_FACTOR: Desc = desc(
    "buyer.refund_levels.factor.{b}",
    "Samlet regulering fra prisniveauet til {b}",
    Unit::Ratio,
    "produktet af årenes reguleringsfaktorer",
    None,
    "buyer.refund_levels.rates_pct",
);
pub(super) const INDEXED_FROM_EXACT: Desc = desc(
    "buyer.refund.{b}.bracket[{a}].from.exact",
    "Tærskel {b} før afrunding, trin {a1}",
    Unit::Kr,
    "tærskel i prisniveau × samlet regulering",
    Some("SEL § 176, stk. 1"),
    "buyer.refund_levels",
);
pub(super) const INDEXED_FROM: Desc = desc(
    "buyer.refund.{b}.bracket[{a}].from",
    "Tærskel {b}, trin {a1}",
    Unit::Kr,
    "tærsklen reguleret til året, afrundet",
    Some("SEL § 176, stk. 1"),
    "buyer.refund_levels.rounding",
);
pub(super) const ONE: Desc = desc("const.one", "Én", Unit::Ratio, "fast værdi", None, "buyer");
pub(super) const LEVEL_PCT: Desc = desc(
    "buyer.refund_levels.bracket[{a}].pct",
    "Refusionssats, trin {a1}",
    Unit::Percent,
    "",
    Some("SEL § 176, stk. 1"),
    "buyer.refund_levels.brackets",
);

pub(super) const FROM: Desc = desc(
    "buyer.refund.{b}.bracket[{a}].from",
    "Tærskel {b}, trin {a1}",
    Unit::Kr,
    "",
    Some("SEL § 176"),
    "buyer.refund",
);
pub(super) const PCT: Desc = desc(
    "buyer.refund.{b}.bracket[{a}].pct",
    "Refusionssats {b}, trin {a1}",
    Unit::Percent,
    "",
    Some("SEL § 176"),
    "buyer.refund",
);

pub(super) const CAPPED: Desc = desc(
    "buyer.{m}.{kb}.bracket[{k}].capped",
    "Udgift op til næste tærskel, trin {k1}, {m}, {kb}",
    Unit::Kr,
    "det mindste af udgiften efter momsrefusion og næste trins tærskel",
    None,
    "buyer.refund",
);
pub(super) const OVER: Desc = desc(
    "buyer.{m}.{kb}.bracket[{k}].over",
    "Udgift over trinnets tærskel, trin {k1}, {m}, {kb}",
    Unit::Kr,
    "udgift op til næste tærskel − trinnets tærskel",
    None,
    "buyer.refund",
);
pub(super) const IN_BRACKET: Desc = desc(
    "buyer.{m}.{kb}.bracket[{k}].amount",
    "Udgift i trinnet, trin {k1}, {m}, {kb}",
    Unit::Kr,
    "det største af udgiften over tærsklen og 0",
    None,
    "buyer.refund",
);
pub(super) const BRACKET_REFUND: Desc = desc(
    "buyer.{m}.{kb}.bracket[{k}].refund",
    "Refusion i trinnet, trin {k1}, {m}, {kb}",
    Unit::Kr,
    "udgift i trinnet × refusionssats",
    Some("SEL § 176"),
    "buyer.refund",
);
pub(super) const REFUND: Desc = desc(
    "buyer.{m}.{b}.refund_176",
    "Statsrefusion for særligt dyre enkeltsager, {m}, {b}",
    Unit::Kr,
    "summen af trinnenes refusion, rundet til hele øre",
    Some("SEL § 176"),
    "buyer.refund",
);

/// The descriptions of one set of bracket figures (yearly or monthly).
pub(super) struct Steps {
    capped: &'static Desc,
    over: &'static Desc,
    inside: &'static Desc,
    refund: &'static Desc,
}

pub(super) const ANNUAL_STEPS: Steps = Steps {
    capped: &CAPPED,
    over: &OVER,
    inside: &IN_BRACKET,
    refund: &BRACKET_REFUND,
};

pub(super) const MONTH_STEPS: Steps = Steps {
    capped: &MONTH_CAPPED,
    over: &MONTH_OVER,
    inside: &MONTH_IN_BRACKET,
    refund: &MONTH_BRACKET_REFUND,
};

/// The subject of bracket `k`'s figures for the month or year of `s` (its `b`: a month's
/// code, 202601, or a year), read back by the `{k}`, `{kym}`, `{kmn}` and `{kb}` blanks: the
/// code times 100 plus the bracket. A request has at most 100 brackets and its years are
/// four-digit, so the code stays below 10^8.
fn bracket_subj(s: Subj, k: usize) -> Subj {
    Subj {
        a: s.a,
        b: s.b.saturating_mul(100).saturating_add(k as u32),
    }
}

/// The refund of each bracket, marginally: rate × the part of `expense` between the
/// bracket's threshold and the next one's.
pub(super) fn brackets(
    ex: &mut Explanation,
    s: Subj,
    expense: &Fig,
    thresholds: &[Fig],
    rates: &[Fig],
    zero: &Fig,
    d: &Steps,
) -> Result<Vec<Fig>, Error> {
    let mut refunds = Vec::with_capacity(thresholds.len());
    for (k, (from, pct)) in thresholds.iter().zip(rates).enumerate() {
        let s = bracket_subj(s, k);
        let capped = match thresholds.get(k + 1) {
            Some(next) => ex.derive(d.capped, s, Op::Min, &[expense.clone(), next.clone()])?,
            None => expense.clone(),
        };
        let over = ex.derive(d.over, s, Op::Difference, &[capped, from.clone()])?;
        let inside = ex.derive(d.inside, s, Op::Max, &[over, zero.clone()])?;
        refunds.push(ex.derive(d.refund, s, Op::PercentOf, &[inside, pct.clone()])?);
    }
    Ok(refunds)
}

/// The price level's brackets and the cumulative regulation factors, made once.
pub(super) struct LevelFigs {
    pub(super) brackets: Vec<(Fig, Fig)>,
    /// The cumulative factor by year, from the level's year (1) on.
    factors: Vec<(i32, Fig)>,
}

impl LevelFigs {
    pub(super) fn new(ex: &mut Explanation, l: &RefundLevels) -> Result<LevelFigs, Error> {
        let mut brackets = Vec::with_capacity(l.brackets.len());
        for (k, b) in l.brackets.iter().enumerate() {
            let s = Subj::one(k);
            brackets.push((
                input(ex, &LEVEL_FROM, s, b.from)?,
                input(ex, &LEVEL_PCT, s, b.pct)?,
            ));
        }
        let one = ex.constant(&ONE, Exact::ONE)?;
        Ok(LevelFigs {
            brackets,
            factors: vec![(l.year, one)],
        })
    }

    /// The cumulative factor from the level's year to `year`; `None` when a rate is missing.
    pub(super) fn factor(
        &mut self,
        ex: &mut Explanation,
        l: &RefundLevels,
        year: i32,
    ) -> Result<Option<Fig>, Error> {
        loop {
            let Some((last, fig)) = self.factors.last().cloned() else {
                return Ok(None);
            };
            if last >= year {
                return Ok(self
                    .factors
                    .iter()
                    .find(|(y, _)| *y == year)
                    .map(|(_, f)| f.clone()));
            }
            let next = last + 1;
            let Some(rate) = l.rates_pct.iter().find(|r| r.year == next) else {
                return Ok(None);
            };
            let s = year_subj(0, next);
            let pct = input(ex, &LEVEL_RATE, s, rate.pct)?;
            let hundred = ex.constant(&HUNDRED, Exact::from(100i64))?;
            let share = ex.derive(&LEVEL_SHARE, s, Op::Quotient, &[pct, hundred])?;
            let one = ex.constant(&ONE, Exact::ONE)?;
            let step = ex.derive(&LEVEL_FACTOR_STEP, s, Op::Sum, &[one, share])?;
            let factor = ex.derive(&LEVEL_FACTOR, s, Op::Product, &[fig, step])?;
            self.factors.push((next, factor));
        }
    }
}

pub(super) const HUNDRED: Desc = desc(
    "const.hundred",
    "Hundrede",
    Unit::Number,
    "fast værdi",
    None,
    "buyer",
);
pub(super) const LEVEL_SHARE: Desc = desc(
    "buyer.refund_levels.share.{b}",
    "Regulering {b} som brøk",
    Unit::Ratio,
    "sats ÷ 100",
    None,
    "buyer.refund_levels.rates_pct",
);

impl Buyer {
    /// The SEL § 176 refund month by month: each month's expense (a course's month, a
    /// yearly cost ÷ 12), net of the VAT refund, against the thresholds ÷ 12; each month's
    /// refund rounded to øre; the year's refund their sum.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn monthly_refund(
        &self,
        ex: &mut Explanation,
        case: &Case,
        party: usize,
        yearly: &[(usize, Fig)],
        rows: &[(Fig, Fig)],
        twelfths: &[Fig],
        twelve: &Fig,
        vat: &Option<(Fig, Fig)>,
        zero: &Fig,
    ) -> Result<(Fig, Vec<MonthAmount>), Error> {
        let rates: Vec<Fig> = rows.iter().map(|r| r.1.clone()).collect();
        let mut month_refunds = Vec::with_capacity(12);
        let mut months = Vec::with_capacity(12);
        for m in 1..=12i8 {
            let month = Month {
                year: i16::try_from(case.year).unwrap_or(i16::MAX),
                month: m,
            };
            let s = year_subj(party, case.year * 100 + i32::from(m));
            let mut members = Vec::new();
            let courses = case.parts.iter().filter_map(|p| match p {
                Part::Course(_, list) => Some(list),
                Part::Cost(..) => None,
            });
            for (n, list) in courses.enumerate() {
                if let Some(a) = list.iter().find(|a| a.month == month) {
                    members.push(ex.constant_at(
                        &MONTH_COURSE,
                        super::desc::course_subj(s, n),
                        Exact::from(a.amount),
                    )?);
                }
            }
            for (k, y) in yearly {
                members.push(ex.derive(
                    &MONTH_SPREAD,
                    Subj::two(*k, s.b),
                    Op::Quotient,
                    &[y.clone(), twelve.clone()],
                )?);
            }
            if members.is_empty() {
                continue;
            }
            let gross = ex.derive(&MONTH_GROSS, s, Op::Sum, &members)?;
            let expense = match vat {
                Some((pct, fraction)) => {
                    let base = ex.derive(
                        &MONTH_VAT_BASE,
                        s,
                        Op::PercentOf,
                        &[gross.clone(), pct.clone()],
                    )?;
                    let refund =
                        ex.derive(&MONTH_VAT, s, Op::Product, &[base, fraction.clone()])?;
                    ex.derive(&MONTH_NET_OF_VAT, s, Op::Difference, &[gross, refund])?
                }
                None => gross,
            };
            let refunds = brackets(ex, s, &expense, twelfths, &rates, zero, &MONTH_STEPS)?;
            let (refund, amount) =
                ex.derive_rounded(&MONTH_REFUND, s, Op::Sum, &refunds, ORE, Step::Derived)?;
            month_refunds.push(refund);
            months.push(MonthAmount { month, amount });
        }
        let s = year_subj(party, case.year);
        let total = ex.derive(&YEAR_REFUND, s, Op::Sum, &month_refunds)?;
        Ok((total, months))
    }
}
