//! The price and wage index (PL): the series read once, checked (rates in (−100 %, 100 %],
//! values at most doubling a year), and the factor from a sheet's year to a later year as a
//! figure of the explanation — cumulative (the exact product of the rates), or from index
//! values.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};

use super::super::model::{later_holds, IndexMethod, Indexation};
use super::*;

const RATE: Desc = Desc {
    key: "index.{b}.rate_pct",
    label: "PL-fremskrivning {b}, procent",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "index.rates_pct[{a}].pct",
};
const VALUE: Desc = Desc {
    key: "index.{b}.value",
    label: "PL-indeks {b}",
    unit: Unit::Number,
    rule: "",
    source: None,
    path: "index.values[{a}].value",
};
const HUNDRED: Desc = Desc {
    key: "const.hundred",
    label: "Hundrede",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("procent"),
    path: "index",
};
const LEVEL: Desc = Desc {
    key: "index.{b}.level",
    label: "100 + PL-fremskrivning {b}",
    unit: Unit::Number,
    rule: "100 + procent",
    source: None,
    path: "index.rates_pct",
};
const STEP: Desc = Desc {
    key: "index.{b}.step",
    label: "PL-faktor {b}",
    unit: Unit::Ratio,
    rule: "(100 + procent) ÷ 100",
    source: Some("PL-fremskrivning af takster"),
    path: "index.rates_pct",
};
const FACTOR_RATES: Desc = Desc {
    key: "index.{a}-{b}.factor",
    label: "Samlet PL-faktor fra {a} til {b}",
    unit: Unit::Ratio,
    rule: "produktet af årenes PL-faktorer",
    source: Some("PL-fremskrivning, kumulativ (standard)"),
    path: "index.rates_pct",
};
/// The same three for a year `later_pct` gives, and a factor over years it gives (all of
/// them, or the listed rates' years and then its own: `index`), at the path the request has.
const LEVEL_LATER: Desc = LEVEL.at("index.later_pct");
const STEP_LATER: Desc = STEP.at("index.later_pct");
const FACTOR_LATER: Desc = FACTOR_RATES.at("index.later_pct");
const FACTOR_MIXED: Desc = FACTOR_RATES.at("index");
/// A year's rate from `later_pct`.
const RATE_LATER: Desc = RATE.at("index.later_pct");
const FACTOR_VALUES: Desc = Desc {
    key: "index.{a}-{b}.factor",
    label: "Samlet PL-faktor fra {a} til {b}",
    unit: Unit::Ratio,
    rule: "indeks i år {b} ÷ indeks i år {a}",
    source: Some("PL-fremskrivning efter indeksserie"),
    path: "index.values",
};
const INDEXED: Desc = Desc {
    key: "{tk}",
    label: "{tl}",
    unit: Unit::KrPerDay,
    rule: "takst × PL-faktor, afrundet én gang pr. år",
    source: Some("PL-fremskrivning af takster"),
    path: "index",
};
const INDEXED_MONTH: Desc = Desc {
    key: "{tk}",
    label: "{tl}",
    unit: Unit::KrPerMonth,
    rule: "månedstakst × PL-faktor, afrundet én gang pr. år",
    source: Some("PL-fremskrivning af takster"),
    path: "index",
};

/// The index series, read once: a list by year (a few dozen years at most, looked up by
/// binary search; a map cost a `Pricer` more to fill than all its look-ups).
#[derive(Default)]
pub(super) struct Series {
    /// The years, by year ascending.
    pub(super) by_year: Vec<SeriesYear>,
    /// Factors made so far, by the years they run from and to: one node for every tariff
    /// indexed over the same years (each tariff made its own before, under the same key).
    factors: rustc_hash::FxHashMap<(i32, i32), Fig>,
    /// `later_pct` and the year after which it holds (the last of `rates_pct`; `None`: every
    /// year). Each year it gives is put in `by_year` when first used, at [`LATER`].
    pub(super) later: Option<(Option<i32>, Decimal)>,
}

/// The position of a year's rate that `later_pct` gives (it has none in `rates_pct`).
const LATER: usize = usize::MAX;

/// One year of the index series. Its node sits beside its value rather than in a list of
/// its own: one allocation less for a `Pricer` (a cold course paid for both lists).
pub(super) struct SeriesYear {
    pub(super) year: i32,
    /// The rate or the value.
    pub(super) value: Decimal,
    /// Its position in the request.
    pub(super) at: usize,
    /// Its node, once made: step (rates) or value (values).
    pub(super) fig: Option<Fig>,
}

impl Series {
    /// Where `year` is in `by_year`.
    fn find(&self, year: i32) -> Option<usize> {
        self.by_year.binary_search_by_key(&year, |s| s.year).ok()
    }

    /// The rate `later_pct` gives `year` (after the last listed year), if it gives one.
    fn later(&self, year: i32) -> Option<Decimal> {
        let (after, rate) = self.later?;
        later_holds(after, year).then_some(rate)
    }

    /// Whether the series has a value of `year`: listed, or given by `later_pct`.
    fn has(&self, year: i32) -> bool {
        self.find(year).is_some() || self.later(year).is_some()
    }

    /// Where `year` is in `by_year`, a year that `later_pct` gives put in its place first.
    fn find_or_later(&mut self, year: i32) -> Option<usize> {
        match self.by_year.binary_search_by_key(&year, |s| s.year) {
            Ok(k) => Some(k),
            Err(k) => {
                let value = self.later(year)?;
                let s = SeriesYear {
                    year,
                    value,
                    at: LATER,
                    fig: None,
                };
                self.by_year.insert(k, s);
                Some(k)
            }
        }
    }
}

/// The highest yearly PL rate accepted, in per cent. Real rates are a few per cent; a rate
/// above this is a typing error (or not a price and wage index), not a year to price.
pub(crate) const MAX_RATE_PCT: i64 = 100;

/// −100 % < `pct` ≤ [`MAX_RATE_PCT`], compared on the mantissa at the rate's own scale:
/// `Decimal`'s comparison of two scales rescales one, and was half of checking an index.
fn rate_in_range(pct: Decimal) -> bool {
    // Both bounds are 100 %, 10^(scale + 2) at the rate's scale: looked up, not multiplied
    // (two overflow-checked 128-bit products were most of checking a rate, callgrind).
    // scale ≤ 28, so the bound is at most 10^30, within an i128.
    const _: () = assert!(MAX_RATE_PCT == 100);
    let Some(hundred) = crate::exact::pow10(pct.scale() + 2) else {
        return false;
    };
    let m = pct.mantissa();
    m > -hundred && m <= hundred
}

/// A yearly rate outside (−100 %, [`MAX_RATE_PCT`] %], at `path`.
fn out_of_range(path: String, pct: Decimal) -> Error {
    Error::new(
        ErrorCode::OutOfRange,
        path,
        format!("a yearly rate must be above −100 % and at most {MAX_RATE_PCT} %, got {pct} %"),
        format!(
            "En årlig PL-sats skal være over −100 % og højst {MAX_RATE_PCT} %, men er {} %.",
            crate::danish::number(pct)
        ),
    )
}

/// Every problem of the price and wage index, each at its path: rates in (−100 %, 100 %],
/// index values positive and no more than doubling a year, no year twice, one form only.
pub(crate) fn check_index(indexation: &Indexation) -> Vec<Error> {
    let mut errors = Vec::new();
    if !indexation.rates_pct.is_empty() && !indexation.values.is_empty() {
        errors.push(Error::new(
            ErrorCode::Conflict,
            "index",
            "give the index as rates_pct or as values, not both",
            "Angiv PL-fremskrivningen som `rates_pct` eller som `values`, ikke begge.",
        ));
    }
    // Years listed in ascending order (as every published series is) cannot repeat, and are
    // not put in a set to find out.
    fn ascending(mut years: impl Iterator<Item = i32>) -> bool {
        let Some(mut last) = years.next() else {
            return true;
        };
        years.all(|y| std::mem::replace(&mut last, y) < y)
    }
    let rates_ascending = ascending(indexation.rates_pct.iter().map(|r| r.year));
    let values_ascending = ascending(indexation.values.iter().map(|v| v.year));
    let mut years = rustc_hash::FxHashSet::default();
    for (i, r) in indexation.rates_pct.iter().enumerate() {
        if !rates_ascending && !years.insert(r.year) {
            errors.push(Error::new(
                ErrorCode::DuplicateId,
                format!("index.rates_pct[{i}].year"),
                format!("the rate of {} is given twice", r.year),
                format!("PL-satsen for {} er angivet to gange.", r.year),
            ));
        }
        if !rate_in_range(r.pct) {
            errors.push(out_of_range(format!("index.rates_pct[{i}].pct"), r.pct));
        }
    }
    if let Some(later) = indexation.later_pct {
        if !indexation.values.is_empty() {
            errors.push(Error::new(
                ErrorCode::Conflict,
                "index.later_pct",
                "later_pct is the rate of the years after rates_pct: it goes with rates, not \
                 with index values",
                "`later_pct` er PL-satsen for årene efter `rates_pct`: den hører til satser, \
                 ikke til indeksværdier (`values`).",
            ));
        }
        if !rate_in_range(later) {
            errors.push(out_of_range("index.later_pct".into(), later));
        }
    }
    years.clear();
    let mut values: Vec<(i32, Decimal, usize)> = Vec::new();
    for (i, v) in indexation.values.iter().enumerate() {
        if !values_ascending && !years.insert(v.year) {
            errors.push(Error::new(
                ErrorCode::DuplicateId,
                format!("index.values[{i}].year"),
                format!("the index of {} is given twice", v.year),
                format!("Indekset for {} er angivet to gange.", v.year),
            ));
        }
        if v.value <= Decimal::ZERO {
            errors.push(Error::new(
                ErrorCode::NotPositive,
                format!("index.values[{i}].value"),
                "an index value must be greater than 0",
                format!(
                    "En indeksværdi skal være større end 0, men er {}.",
                    crate::danish::number(v.value)
                ),
            ));
        } else {
            values.push((v.year, v.value, i));
        }
    }
    // Between two listed years the index may at most double a year (the rates' bound).
    let values = crate::order::sorted_by_key(&values, |v| v.0);
    for w in values.windows(2) {
        let ((y0, v0, _), (y1, v1, i)) = (w[0], w[1]);
        let gap = u32::try_from(y1 - y0).unwrap_or(0);
        let most = (0..gap).try_fold(v0, |m, _| m.checked_mul(Decimal::TWO));
        if gap > 0 && most.is_some_and(|m| v1 > m) {
            errors.push(Error::new(
                ErrorCode::OutOfRange,
                format!("index.values[{i}].value"),
                format!(
                    "the index rises from {v0} in {y0} to {v1} in {y1}: more than doubling a \
                     year is not a price and wage index"
                ),
                format!(
                    "Indekset stiger fra {} i {y0} til {} i {y1}: mere end en fordobling om året \
                     er ikke en PL-fremskrivning.",
                    crate::danish::number(v0),
                    crate::danish::number(v1)
                ),
            ));
        }
    }
    if indexation.rounding.increment <= Decimal::ZERO {
        errors.push(Error::new(
            ErrorCode::NotPositive,
            "index.rounding.increment",
            "the rounding increment must be greater than 0",
            format!(
                "Afrundingstrinnet skal være større end 0, men er {}.",
                crate::danish::number(indexation.rounding.increment)
            ),
        ));
    }
    errors
}

impl Tariffs<'_> {
    /// The latest year ≤ `year` that the index series reaches from `base`.
    pub(super) fn reach(&self, base: i32, year: i32) -> i32 {
        let has = |y: i32| self.series.has(y);
        if !self.indexation.values.is_empty() {
            if !has(base) {
                return base;
            }
            return (base..=year).rev().find(|y| has(*y)).unwrap_or(base);
        }
        let mut reach = base;
        while reach < year && has(reach + 1) {
            reach += 1;
        }
        reach
    }

    /// The index node of a year: the step (1 + rate ÷ 100) or the index value.
    fn series_fig(&mut self, ex: &mut Explanation, year: i32) -> Result<Fig, Error> {
        let at = self.series.find_or_later(year);
        let Some(s) = at.and_then(|k| self.series.by_year.get(k)) else {
            return Err(Error::new(
                ErrorCode::Internal,
                "index",
                "an index year without a value",
                "Et indeksår uden værdi (en fejl i takst).",
            ));
        };
        if let Some(f) = &s.fig {
            return Ok(f.clone());
        }
        let (value, subj) = (s.value, Subj::two(s.at, year as u32));
        let fig = if self.indexation.values.is_empty() {
            let (rate, level, step) = if s.at == LATER {
                (&RATE_LATER, &LEVEL_LATER, &STEP_LATER)
            } else {
                (&RATE, &LEVEL, &STEP)
            };
            let rate = ex.input(rate, subj, value.into())?;
            let hundred = ex.constant(&HUNDRED, Exact::from(100i64))?;
            let level = ex.derive(level, subj, Op::Sum, &[hundred.clone(), rate])?;
            ex.derive(step, subj, Op::Quotient, &[level, hundred])?
        } else {
            ex.input(&VALUE, subj, value.into())?
        };
        if let Some(s) = at.and_then(|k| self.series.by_year.get_mut(k)) {
            s.fig = Some(fig.clone());
        }
        Ok(fig)
    }

    /// The factor from `from` to `to` (cumulative), made once for all the tariffs it
    /// indexes.
    fn factor(&mut self, ex: &mut Explanation, from: i32, to: i32) -> Result<Fig, Error> {
        if let Some(f) = self.series.factors.get(&(from, to)) {
            return Ok(f.clone());
        }
        let subj = Subj::two(from as usize, to as u32);
        // The rates' path: the listed ones', `later_pct`'s, or both (`index`).
        let rates = match self.series.later {
            Some((after, _)) if later_holds(after, from + 1) => &FACTOR_LATER,
            Some((after, _)) if later_holds(after, to) => &FACTOR_MIXED,
            _ => &FACTOR_RATES,
        };
        let fig = if self.indexation.values.is_empty() && to == from + 1 {
            // One year's factor, the commonest (a course into the next year): its one step,
            // with no list made for it.
            let step = self.series_fig(ex, to)?;
            ex.derive(rates, subj, Op::Product, std::slice::from_ref(&step))?
        } else if self.indexation.values.is_empty() {
            let mut steps = Vec::with_capacity((to - from).max(0) as usize);
            for y in from + 1..=to {
                steps.push(self.series_fig(ex, y)?);
            }
            ex.derive(rates, subj, Op::Product, &steps)?
        } else {
            let a = self.series_fig(ex, from)?;
            let b = self.series_fig(ex, to)?;
            ex.derive(&FACTOR_VALUES, subj, Op::Quotient, &[b, a])?
        };
        self.series.factors.insert((from, to), fig.clone());
        Ok(fig)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn index(
        &mut self,
        ex: &mut Explanation,
        offer: u32,
        key: Key,
        base: InForce,
        base_year: i32,
        year: i32,
        held: usize,
    ) -> Result<InForce, Error> {
        let r = self.indexation.rounding;
        let source = TariffSource::Indexed {
            base_year,
            method: self.indexation.method,
        };
        // The indexed tariff's key and label, made only when the graph is kept.
        let name = |ex: &mut Explanation, this: &Self, y: i32, month: bool| {
            ex.tariff_name(this.held[held].base().sheet, |prefix, word| {
                let what = this.key_text(offer, key);
                let label = this.key_label(offer, key);
                let (part, words) = if month {
                    ("month", "månedstakst".to_string())
                } else {
                    ("day", format!("takst pr. {word}"))
                };
                (
                    format!("{prefix}tariff.{what}.{y}.{part}"),
                    format!("{label}, {words} {y} (PL-fremskrevet)"),
                )
            })
        };
        // One year's indexation of a tariff in force (its day and, when published, its
        // month tariff) by `factor`, as the tariff of year `y`.
        let step = |ex: &mut Explanation, this: &Self, t: InForce, factor: Fig, y: i32| {
            let n = name(ex, this, y, false);
            let (day_fig, day) = ex.derive_rounded(
                &INDEXED,
                Subj::one(n),
                Op::Product,
                &[t.day_fig, factor.clone()],
                r,
                Step::Derived,
            )?;
            let month = match t.month {
                Some((_, m)) => {
                    let n = name(ex, this, y, true);
                    let (f, v) = ex.derive_rounded(
                        &INDEXED_MONTH,
                        Subj::one(n),
                        Op::Product,
                        &[m, factor],
                        r,
                        Step::Derived,
                    )?;
                    Some((v, f))
                }
                None => None,
            };
            Ok::<_, Error>(InForce {
                day,
                day_fig,
                month,
                source,
                unit: t.unit,
            })
        };
        match self.indexation.method {
            // The base year's tariff times the product of the rates, rounded once.
            IndexMethod::Cumulative => {
                let factor = self.factor(ex, base_year, year)?;
                step(ex, self, base, factor, year)
            }
            // Year by year, each year's tariff rounded before the next year's rate. A year
            // between already in force (this tariff priced in an earlier year of the course)
            // is taken up where it is, and the years made on the way are kept: each year's
            // tariff is one figure, whichever later year needed it first.
            //
            // The chain steps through the years the series has: every year up to the reach
            // for rates, the listed years for index values (a year without a value is passed
            // over, and its own days are carried from the year before, with a warning, as
            // in a cumulative indexation).
            IndexMethod::Chained => {
                let listed = |this: &Self, y: i32| this.series.has(y);
                let (mut t, mut from) = (base, base_year);
                for y in (base_year + 1..year).rev() {
                    if !listed(self, y) {
                        continue;
                    }
                    if let Some(done) = self.cache.get(&(offer, key, y)) {
                        (t, from) = (InForce::clone(done), y);
                        break;
                    }
                }
                for y in from + 1..=year {
                    if !listed(self, y) {
                        continue;
                    }
                    let factor = self.factor(ex, from, y)?;
                    t = step(ex, self, t, factor, y)?;
                    from = y;
                    if y < year {
                        self.cache.insert((offer, key, y), Arc::new(t.clone()));
                    }
                }
                Ok(t)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_rate_bounds_at_every_scale() {
        for (pct, within) in [
            ("-100", false),
            ("-100.000", false),
            ("-99.99", true),
            ("-100.0000000000000000000000001", false),
            ("0", true),
            ("100", true),
            ("100.0000000000000000000000000", true),
            ("100.0000000000000000000000001", false),
            ("100.01", false),
            ("7922816251426433759354395033", false),
            ("-7922816251426433759354395033", false),
        ] {
            let d: Decimal = pct.parse().unwrap();
            assert_eq!(rate_in_range(d), within, "{pct}");
        }
    }

    proptest! {
        /// The mantissa comparison is `Decimal`'s comparison with the two bounds.
        #[test]
        fn the_rate_bounds_are_decimal_comparisons(m in any::<i64>(), wide in any::<bool>(), scale in 0u32..=28) {
            let mantissa = if wide { i128::from(m) << 30 } else { i128::from(m % 1_000_000) };
            let d = Decimal::try_from_i128_with_scale(mantissa, scale).unwrap();
            let by_decimal = d > Decimal::from(-100) && d <= Decimal::from(MAX_RATE_PCT);
            prop_assert_eq!(rate_in_range(d), by_decimal);
        }
    }
}
