//! The computation: the financing base and expected days (given or taken from the
//! request's offer), the full tariff, the partners' fixed payment split by the key, the
//! partner tariff, the usage levels, the revenue and the residue rounding leaves; and the
//! warnings that come with them.

use rust_decimal::Decimal;

use super::check::check;
use super::desc::*;
use super::{KeyBasis, PartnerResult, Partnership, PartnershipResult, UsageLevel};
use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj};
use crate::finance::{dec, given_or_offer, input, rounding_or_offer, split, Chain, ORE};
use crate::rounding::Rounding;

impl Partnership {
    /// The partnership in `ex`, taking the financing base and expected days it does not give
    /// from the request's offer (`chain`).
    pub(crate) fn compute(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<PartnershipResult, Errors> {
        check(self)?;
        let result = self.figures(ex, chain)?;
        warnings.extend(self.without_share());
        warnings.extend(self.billed_in_full(chain));
        Ok(result)
    }

    /// Each partner whose share of the fixed payment is 0 (0 expected days, or a weight of 0
    /// in an agreed key) but who gets the partner tariff.
    fn without_share(&self) -> impl Iterator<Item = Warning> + '_ {
        self.partners.iter().enumerate().filter_map(|(i, m)| {
            let (zero, field, what, what_da) = match self.key {
                KeyBasis::ExpectedDays => (
                    m.expected_days.is_zero(),
                    "expected_days",
                    "0 expected days",
                    "0 forventede dage",
                ),
                KeyBasis::Agreed => (
                    m.key.is_some_and(|k| k.is_zero()),
                    "key",
                    "a weight of 0 in the key",
                    "vægten 0 i fordelingsnøglen",
                ),
            };
            zero.then(|| {
                Warning::new(
                    WarningCode::PartnerWithoutShare,
                    format!("partnership.partners[{i}].{field}"),
                    format!(
                        "partner {:?} has {what}, so it pays nothing of the fixed payment, yet \
                         it gets the partner tariff: the days it uses are billed below the full \
                         tariff without being in the partner days the tariff is built on",
                        m.municipality
                    ),
                    format!(
                        "Partneren {:?} har {what_da} og betaler derfor intet af det faste \
                         bidrag, men får partnertaksten: de dage, den bruger, afregnes under den \
                         fulde takst uden at være med i de partnerdage, taksten bygger på.",
                        m.municipality
                    ),
                )
            })
        })
    }

    /// The request's courses of partner municipalities at the offer (every one of them when
    /// the request's sheets are of several offers and none is computed: which the
    /// partnership is of cannot be told) are billed at their sheet's tariffs: takst does not
    /// bill the partner tariff, and a settlement that takes its revenue from the courses does
    /// not count the partners' fixed payment. Warned of once, naming them.
    fn billed_in_full(&self, chain: &Chain<'_>) -> Option<Warning> {
        let partner = |m: &str| self.partners.iter().any(|p| p.municipality == m);
        let mut courses = 0usize;
        let mut towns: Vec<&str> = Vec::new();
        for (i, m) in chain.municipalities.iter().enumerate() {
            let at_offer = chain.at_offer.get(i).copied().unwrap_or(true);
            if let Some(m) = m.filter(|m| at_offer && partner(m)) {
                courses += 1;
                if !towns.contains(&m) {
                    towns.push(m);
                }
            }
        }
        if courses == 0 {
            return None;
        }
        let names = towns.join(", ");
        let (settled, settled_da) = if chain.revenue_from_courses {
            (
                "; the settlement's revenue, taken from the courses, leaves out the partners' \
                 fixed payment",
                "; efterreguleringens indtægt, taget fra forløbene, er uden partnernes faste \
                 betaling",
            )
        } else {
            ("", "")
        };
        Some(Warning::new(
            WarningCode::PartnerBilledFullTariff,
            "partnership",
            format!(
                "{courses} course(s) of the partner municipalities {names} are billed at their \
                 tariff sheet's tariffs, not at the partner tariff: takst does not bill the \
                 partnership's tariffs{settled}"
            ),
            format!(
                "{} forløb i partnerkommunerne {names} afregnes efter takstbladets takster, \
                 ikke efter partnertaksten: takst afregner ikke partnerskabets takster{settled_da}.",
                crate::danish::int(courses)
            ),
        ))
    }

    fn figures(&self, ex: &mut Explanation, chain: &Chain<'_>) -> Result<PartnershipResult, Error> {
        let none = Subj::NONE;
        let offer = chain.offer.as_ref();
        let mut chained = Vec::new();
        let base = given_or_offer(
            ex,
            self.financing_base,
            offer.map(|o| &o.cost_base),
            (&BASE, &BASE_CHAINED),
            "partnership",
            "financing_base",
            &mut chained,
        )?;
        let days = given_or_offer(
            ex,
            self.expected_days,
            offer.map(|o| &o.expected_days),
            (&DAYS, &DAYS_CHAINED),
            "partnership",
            "expected_days",
            &mut chained,
        )?;
        let rounding = rounding_or_offer(self.rounding, offer, &mut chained);
        let publish = |ex: &mut Explanation, d: &'static Desc, f: Fig| {
            ex.round(d, none, f, rounding, Step::Published)
        };
        let (base_dec, days_dec) = (dec(&base, P)?, dec(&days, P)?.normalize());
        let expected: Decimal = self
            .partners
            .iter()
            .fold(Decimal::ZERO, |a, m| a.saturating_add(m.expected_days));
        if expected > days_dec {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                "partnership.partners",
                format!(
                    "the partners expect {expected} days, more than the offer's {days_dec} \
                     expected days"
                ),
                format!(
                    "Partnerne forventer {} dage, flere end tilbuddets {} forventede dage.",
                    crate::danish::number(expected),
                    crate::danish::number(days_dec)
                ),
            ));
        }
        let full_exact = ex.derive(
            &FULL_EXACT,
            none,
            Op::Quotient,
            &[base.clone(), days.clone()],
        )?;
        let (full, full_dec) = publish(ex, &FULL, full_exact.clone())?;
        let pct = input(ex, &SHARE_PCT, none, self.fixed_share_pct)?;
        let fixed_exact = ex.derive(&FIXED_EXACT, none, Op::PercentOf, &[base.clone(), pct])?;
        let (fixed, fixed_dec) = ex.round(&FIXED, none, fixed_exact.clone(), ORE, Step::Derived)?;

        let mut subjects = Vec::with_capacity(self.partners.len());
        let mut pdays = Vec::with_capacity(self.partners.len());
        for m in &self.partners {
            let s = Subj::one(ex.party(|| m.municipality.clone()));
            subjects.push(s);
            pdays.push(input(ex, &PARTNER_DAYS, s, m.expected_days)?);
        }
        let partner_days = ex.derive(&PARTNER_DAYS_SUM, none, Op::Sum, &pdays)?;
        // From the fixed payment actually paid (the partners' contributions sum to it
        // exactly), so that revenue at the expected days is the financing base exactly.
        let per_day = ex.derive(
            &PER_DAY,
            none,
            Op::Quotient,
            &[fixed.clone(), partner_days.clone()],
        )?;
        let partner_exact =
            ex.derive(&PARTNER_EXACT, none, Op::Difference, &[full_exact, per_day])?;
        if partner_exact.v.is_negative() {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                "partnership.partners",
                format!(
                    "the partner tariff would be negative: the partners expect {} of the {} \
                     days but pay {} % of the financing base ({fixed_dec} kr); they must expect \
                     at least that share of the days",
                    dec(&partner_days, P)?,
                    days_dec,
                    self.fixed_share_pct
                ),
                format!(
                    "Partnertaksten ville blive negativ: partnerne forventer {} af de {} dage, \
                     men betaler {} % af finansieringsgrundlaget ({} kr.); de skal mindst \
                     forvente den andel af dagene.",
                    crate::danish::number(dec(&partner_days, P)?),
                    crate::danish::number(days_dec),
                    crate::danish::number(self.fixed_share_pct),
                    crate::danish::number(fixed_dec)
                ),
            ));
        }
        let (partner, partner_dec) = publish(ex, &PARTNER_TARIFF, partner_exact)?;
        let others = ex.derive(
            &NON_PARTNER_DAYS,
            none,
            Op::Difference,
            &[days, partner_days.clone()],
        )?;

        let (weights, weight_sum) = match self.key {
            KeyBasis::ExpectedDays => (pdays.clone(), partner_days.clone()),
            KeyBasis::Agreed => {
                let mut keys = Vec::with_capacity(self.partners.len());
                for (m, s) in self.partners.iter().zip(&subjects) {
                    keys.push(input(ex, &KEY, *s, m.key.unwrap_or_default())?);
                }
                let sum = ex.derive(&KEY_SUM, none, Op::Sum, &keys)?;
                (keys, sum)
            }
        };
        let contributions = split(
            ex,
            &fixed,
            &weights,
            &weight_sum,
            ORE.increment,
            &CONTRIBUTION,
            |k| subjects[k],
            "partnership.partners",
        )?;

        let gap = ex.derive(&GAP, none, Op::Difference, &[full.clone(), partner.clone()])?;
        let mut level_figs = Vec::with_capacity(self.usage_pct.len());
        let mut levels = Vec::with_capacity(self.usage_pct.len());
        for (l, pct) in self.usage_pct.iter().enumerate() {
            let level = level_subj(ex, l, *pct);
            level_figs.push(input(ex, &LEVEL, Subj::two(0, level), *pct)?);
            levels.push(level);
        }
        let mut partners = Vec::with_capacity(self.partners.len());
        for (k, m) in self.partners.iter().enumerate() {
            let s = subjects[k];
            let (contribution, contribution_dec) = &contributions[k];
            let break_even_days = if gap.v.is_zero() {
                None
            } else {
                Some(
                    ex.derive_rounded(
                        &BREAK_EVEN,
                        s,
                        Op::Quotient,
                        &[contribution.clone(), gap.clone()],
                        Rounding::ORE,
                        Step::Display,
                    )?
                    .1,
                )
            };
            let mut usage = Vec::with_capacity(self.usage_pct.len());
            for (l, level) in level_figs.iter().enumerate() {
                let sl = Subj::two(s.a as usize, levels[l]);
                let used = ex.derive(
                    &LEVEL_DAYS,
                    sl,
                    Op::PercentOf,
                    &[pdays[k].clone(), level.clone()],
                )?;
                let (paid, _) = ex.derive_rounded(
                    &LEVEL_TARIFF,
                    sl,
                    Op::Product,
                    &[used.clone(), partner.clone()],
                    ORE,
                    Step::Derived,
                )?;
                let as_partner =
                    ex.derive(&LEVEL_COST, sl, Op::Sum, &[contribution.clone(), paid])?;
                let (as_non, _) = ex.derive_rounded(
                    &LEVEL_FULL,
                    sl,
                    Op::Product,
                    &[used.clone(), full.clone()],
                    ORE,
                    Step::Derived,
                )?;
                let saving = ex.derive(
                    &LEVEL_SAVING,
                    sl,
                    Op::Difference,
                    &[as_non.clone(), as_partner.clone()],
                )?;
                usage.push(UsageLevel {
                    usage_pct: self.usage_pct[l],
                    days: dec(&used, P)?,
                    as_partner: dec(&as_partner, P)?,
                    as_non_partner: dec(&as_non, P)?,
                    saving: dec(&saving, P)?,
                });
            }
            partners.push(PartnerResult {
                municipality: m.municipality.clone(),
                expected_days: m.expected_days,
                contribution: *contribution_dec,
                break_even_days,
                usage,
            });
        }

        let (rev_p, _) = ex.derive_rounded(
            &REV_PARTNERS,
            none,
            Op::Product,
            &[partner_days.clone(), partner],
            ORE,
            Step::Derived,
        )?;
        let (rev_o, _) = ex.derive_rounded(
            &REV_OTHERS,
            none,
            Op::Product,
            &[others.clone(), full],
            ORE,
            Step::Derived,
        )?;
        let revenue = ex.derive(&REVENUE, none, Op::Sum, &[fixed, rev_p, rev_o])?;
        let residue = ex.derive(&RESIDUE, none, Op::Difference, &[revenue.clone(), base])?;
        Ok(PartnershipResult {
            name: self.name.clone(),
            financing_base: base_dec,
            expected_days: days_dec,
            fixed_payment: fixed_dec,
            full_tariff: full_dec,
            partner_tariff: partner_dec,
            partner_days: dec(&partner_days, P)?,
            non_partner_days: dec(&others, P)?,
            revenue: dec(&revenue, P)?,
            residue: dec(&residue, P)?,
            partners,
            chained,
        })
    }
}
