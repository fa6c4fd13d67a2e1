//! The computation: the cost base and expected days (given or taken from the request's
//! offer), each source and its split among the municipalities, the day tariff without and
//! with base funding, the revenue and the residue rounding leaves.

use rust_decimal::Decimal;

use super::check::check;
use super::desc::*;
use super::{
    BaseFunding, FundingResult, FundingSource, MunicipalityContribution, SourceResult, Split,
};
use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Explanation, Fig, Op, Step, Subj};
use crate::finance::{dec, given_or_offer, input, rounding_or_offer, split, Chain, Share, ORE};

impl BaseFunding {
    /// Base funding in `ex`, taking the cost base and expected days it does not give from
    /// the request's offer (`chain`).
    pub(crate) fn compute(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<FundingResult, Errors> {
        check(self)?;
        Ok(self.figures(ex, warnings, chain)?)
    }

    /// A source's split: a rate per inhabitant is split by population.
    fn split_of(src: &FundingSource) -> Option<Split> {
        match (src.split, src.per_inhabitant) {
            (None, Some(_)) => Some(Split::Population),
            (split, _) => split,
        }
    }

    fn figures(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<FundingResult, Error> {
        let none = Subj::NONE;
        let mut chained = Vec::new();
        let offer = chain.offer.as_ref();
        // The offer's own base funding (its cost lines of category `base_funding`, negative
        // in its cost base), when the cost base is taken from it.
        let offer_funding = offer
            .filter(|_| self.cost_base.is_none())
            .map(|o| o.base_funding.as_ref());
        let base = match (offer, offer_funding) {
            // The offer's cost base is net of its own base funding: the section subtracts
            // its sources from the cost base before them, so they are not subtracted twice.
            (Some(o), Some(Some(lines))) => {
                chained.push("cost_base".to_string());
                ex.derive(
                    &COST_BASE_BEFORE_OFFER_FUNDING,
                    none,
                    Op::Difference,
                    &[o.cost_base.clone(), lines.clone()],
                )?
            }
            _ => given_or_offer(
                ex,
                self.cost_base,
                offer.map(|o| &o.cost_base),
                (&COST_BASE, &COST_BASE_CHAINED),
                "base_funding",
                "cost_base",
                &mut chained,
            )?,
        };
        let days = given_or_offer(
            ex,
            self.expected_days,
            offer.map(|o| &o.expected_days),
            (&DAYS, &DAYS_CHAINED),
            "base_funding",
            "expected_days",
            &mut chained,
        )?;
        let rounding = rounding_or_offer(self.rounding, offer, &mut chained);
        let cost_base_dec = dec(&base, P)?;
        let without_exact = ex.derive(
            &WITHOUT_EXACT,
            none,
            Op::Quotient,
            &[base.clone(), days.clone()],
        )?;
        let (_, without) = ex.round(&WITHOUT, none, without_exact, rounding, Step::Published)?;

        // Municipalities: one party each, and the population when given.
        let towns: Vec<Subj> = self
            .municipalities
            .iter()
            .map(|m| Subj::one(ex.party(|| m.municipality.clone())))
            .collect();
        let by_population = if self
            .sources
            .iter()
            .any(|s| Self::split_of(s) == Some(Split::Population))
        {
            let mut pops = Vec::with_capacity(self.municipalities.len());
            for (m, t) in self.municipalities.iter().zip(&towns) {
                pops.push(input(
                    ex,
                    &POPULATION,
                    *t,
                    m.population.unwrap_or_default(),
                )?);
            }
            let sum = ex.derive(&POPULATION_SUM, none, Op::Sum, &pops)?;
            Some((pops, sum))
        } else {
            None
        };
        let mut totals: Vec<Vec<Fig>> = vec![Vec::new(); self.municipalities.len()];
        let mut amounts: Vec<Decimal> = vec![Decimal::ZERO; self.municipalities.len()];

        let mut figs = Vec::with_capacity(self.sources.len());
        let mut sources = Vec::with_capacity(self.sources.len());
        for (i, src) in self.sources.iter().enumerate() {
            let party = ex.party(|| src.label.clone());
            let s = Subj::one(party);
            let mut contributions = Vec::new();
            if let (Some(rate), Some((pops, _))) = (src.per_inhabitant, &by_population) {
                // Each municipality pays rate × its population, to øre; the amount is the sum.
                let rate = input(ex, &RATE, s, rate)?;
                let mut parts = Vec::with_capacity(pops.len());
                for (k, pop) in pops.iter().enumerate() {
                    let (fig, part) = ex.derive_rounded(
                        &RATE_PART_EXACT,
                        Subj::two(party, towns[k].a),
                        Op::Product,
                        &[rate.clone(), pop.clone()],
                        ORE,
                        Step::Derived,
                    )?;
                    totals[k].push(fig.clone());
                    amounts[k] = crate::decimal::add(amounts[k], part).ok_or_else(|| {
                        Error::new(
                            ErrorCode::Overflow,
                            P,
                            "the contributions are too large",
                            "Bidragene er for store til at regne med.",
                        )
                    })?;
                    contributions.push(Share {
                        municipality: self.municipalities[k].municipality.clone(),
                        amount: part,
                    });
                    parts.push(fig);
                }
                let amount = ex.derive(&RATE_AMOUNT, s, Op::Sum, &parts)?;
                sources.push(SourceResult {
                    label: src.label.clone(),
                    kind: src.kind,
                    amount: dec(&amount, P)?,
                    contributions,
                });
                figs.push(amount);
                continue;
            }
            let amount = input(ex, &SOURCE, s, src.amount.unwrap_or_default())?;
            if let Some(how) = src.split {
                let path = format!("base_funding.sources[{i}]");
                // Weights per listed municipality (0 for one not in a key).
                let (weights, sum) = match (how, &by_population) {
                    (Split::Population, Some((pops, sum))) => (pops.clone(), sum.clone()),
                    (Split::Population, None) => {
                        return Err(Error::new(
                            ErrorCode::Internal,
                            path,
                            "no populations",
                            "Der mangler indbyggertal (en fejl i takst).",
                        ))
                    }
                    (Split::Key, _) => {
                        let mut ws = Vec::with_capacity(self.municipalities.len());
                        for (k, m) in self.municipalities.iter().enumerate() {
                            let w = src
                                .key
                                .iter()
                                .find(|w| w.municipality == m.municipality)
                                .map_or(Decimal::ZERO, |w| w.weight);
                            ws.push(input(ex, &WEIGHT, Subj::two(party, towns[k].a), w)?);
                        }
                        let sum = ex.derive(&WEIGHT_SUM, s, Op::Sum, &ws)?;
                        (ws, sum)
                    }
                };
                let parts = split(
                    ex,
                    &amount,
                    &weights,
                    &sum,
                    ORE.increment,
                    &PART,
                    |k| Subj::two(party, towns[k].a),
                    &path,
                )?;
                for (k, (fig, part)) in parts.into_iter().enumerate() {
                    totals[k].push(fig);
                    amounts[k] = crate::decimal::add(amounts[k], part).ok_or_else(|| {
                        Error::new(
                            ErrorCode::Overflow,
                            P,
                            "the contributions are too large",
                            "Bidragene er for store til at regne med.",
                        )
                    })?;
                    contributions.push(Share {
                        municipality: self.municipalities[k].municipality.clone(),
                        amount: part,
                    });
                }
            }
            sources.push(SourceResult {
                label: src.label.clone(),
                kind: src.kind,
                amount: dec(&amount, P)?,
                contributions,
            });
            figs.push(amount);
        }
        let total = ex.derive(&TOTAL, none, Op::Sum, &figs)?;
        if total.v > base.v {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                "base_funding.sources",
                format!(
                    "base funding of {} exceeds the cost base of {cost_base_dec}: the tariff \
                     would be negative",
                    dec(&total, P)?
                ),
                format!(
                    "Basisfinansieringen på {} kr. overstiger omkostningsgrundlaget på {} kr., \
                     så taksten ville blive negativ.",
                    crate::danish::number(dec(&total, P)?),
                    crate::danish::number(cost_base_dec)
                ),
            ));
        }
        if let Some(lines) = offer_funding {
            not_in_offer(&total, lines, warnings)?;
        }
        let tariff_base = ex.derive(
            &TARIFF_BASE,
            none,
            Op::Difference,
            &[base.clone(), total.clone()],
        )?;
        let with_exact = ex.derive(
            &WITH_EXACT,
            none,
            Op::Quotient,
            &[tariff_base.clone(), days.clone()],
        )?;
        let (with, with_dec) = ex.round(&WITH, none, with_exact, rounding, Step::Published)?;

        let mut municipalities = Vec::new();
        for (k, m) in self.municipalities.iter().enumerate() {
            if totals[k].is_empty() {
                continue;
            }
            ex.derive(&MUNICIPALITY_TOTAL, towns[k], Op::Sum, &totals[k])?;
            municipalities.push(MunicipalityContribution {
                municipality: m.municipality.clone(),
                population: m.population,
                amount: amounts[k],
            });
        }
        let days_dec = dec(&days, P)?.normalize();
        let (rev_tariff, _) = ex.derive_rounded(
            &REV_TARIFF,
            none,
            Op::Product,
            &[days, with],
            ORE,
            Step::Derived,
        )?;
        let revenue = ex.derive(&REVENUE, none, Op::Sum, &[total.clone(), rev_tariff])?;
        let residue = ex.derive(&RESIDUE, none, Op::Difference, &[revenue.clone(), base])?;
        Ok(FundingResult {
            name: self.name.clone(),
            cost_base: cost_base_dec,
            funding: dec(&total, P)?,
            tariff_base: dec(&tariff_base, P)?,
            expected_days: days_dec,
            day_tariff_without: without,
            day_tariff: with_dec,
            sources,
            municipalities,
            revenue: dec(&revenue, P)?,
            residue: dec(&residue, P)?,
            chained,
        })
    }
}

/// Warns when the base funding taken with the offer's cost base is not the funding the
/// offer's tariffs are computed with (its cost lines of category `base_funding`, `lines`,
/// negative; none: 0): the section's `day_tariff` is then not the tariff the offer publishes
/// and its courses are billed at.
fn not_in_offer(
    total: &Fig,
    lines: Option<&Fig>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let in_offer = match lines {
        Some(f) => f.v.checked_neg().ok_or_else(|| {
            Error::new(
                ErrorCode::Overflow,
                "base_funding.sources",
                "the offer's base funding is too large",
                "Tilbuddets basisfinansiering er for stor til at regne med.",
            )
        })?,
        None => Exact::from(0i64),
    };
    if in_offer == total.v {
        return Ok(());
    }
    let sources = dec(total, P)?.normalize();
    let (en, da) = if lines.is_none() {
        (
            "the offer has no cost lines of category base_funding, so its tariffs, and the \
             courses billed at them, are computed without this funding"
                .to_string(),
            "tilbuddet har ingen omkostningslinjer af kategorien base_funding, så dets takster, \
             og de forløb, der afregnes efter dem, er beregnet uden denne finansiering"
                .to_string(),
        )
    } else {
        let offer = in_offer
            .decimal_with_scale(2)
            .unwrap_or_default()
            .normalize();
        (
            format!(
                "the offer's cost lines of category base_funding total {offer} kr, and its \
                 tariffs, and the courses billed at them, are computed with that"
            ),
            format!(
                "tilbuddets omkostningslinjer af kategorien base_funding giver {} kr., og dets \
                 takster, og de forløb, der afregnes efter dem, er beregnet med det beløb",
                crate::danish::number(offer)
            ),
        )
    };
    warnings.push(Warning::new(
        WarningCode::BaseFundingNotInOffer,
        "base_funding.sources",
        format!(
            "the sources total {sources} kr, but {en}: the section's day_tariff is not the offer's"
        ),
        format!(
            "Kilderne giver i alt {} kr., men {da}: afsnittets takst pr. dag er ikke tilbuddets.",
            crate::danish::number(sources)
        ),
    ));
    Ok(())
}
