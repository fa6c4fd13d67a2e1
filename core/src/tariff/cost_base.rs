//! The cost base (takstberegningsgrundlag, SEL § 174; domain reference §2).
//!
//! ```text
//! cost base = direct costs (wages, operating, property)
//!           + overhead (an amount, or a percentage of a stated base)
//!           + depreciation + interest + civil-servant pension + non-deductible VAT
//!           − other income − base funding
//!           ± regulation of an earlier year's result
//! ```
//!
//! Every line keeps its label, category and allocation key. The lines keyed per occupied
//! day are the common costs, those keyed per support hour the support costs.
//!
//! A percentage overhead is taken of category subtotals computed once, so an offer with
//! many percentage lines costs no more than one subtotal per category named.

use crate::danish::{exact as da_exact, number as da};
use crate::error::{Error, ErrorCode, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Fig, Op, Origin, Subj, Unit};
use crate::offer::{AllocationKey, Category};

use super::Calc;

pub(crate) const SEL_174: &str =
    "SEL § 174: takst fastsættes ud fra alle budgetterede direkte og indirekte langsigtede \
     omkostninger";

const COST_AMOUNT: Desc = Desc {
    key: "cost[{a}]",
    label: "{c}",
    unit: Unit::Kr,
    rule: "",
    source: None,
    path: "offer.costs[{a}].amount",
};
const COST_SIGNED: Desc = Desc {
    key: "cost[{a}].signed",
    label: "{c} (fradrag)",
    unit: Unit::Kr,
    rule: "indtægter trækkes fra omkostningsgrundlaget",
    source: None,
    path: "offer.costs[{a}].amount",
};
const COST_PCT: Desc = Desc {
    key: "cost[{a}].pct",
    label: "{c}, procentsats",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "offer.costs[{a}].pct",
};
const COST_PCT_BASE: Desc = Desc {
    key: "cost[{a}].base",
    label: "Grundlag for {c}",
    unit: Unit::Kr,
    rule: "sum af de kategorier, procentsatsen tages af (pct_base)",
    source: None,
    path: "offer.costs[{a}].pct_base",
};
const COST_FROM_PCT: Desc = Desc {
    key: "cost[{a}]",
    label: "{c}",
    unit: Unit::Kr,
    rule: "grundlag × procentsats ÷ 100",
    source: Some("rammeaftale: overhead i procent af et grundlag"),
    path: "offer.costs[{a}].pct",
};
const COST_FROM_PCT_OF_DIRECT: Desc = Desc {
    key: "cost[{a}]",
    label: "{c}",
    unit: Unit::Kr,
    rule: "direkte omkostninger × procentsats ÷ 100",
    source: Some("rammeaftale: overhead i procent af de direkte omkostninger"),
    path: "offer.costs[{a}].pct",
};

/// The subtotal of each category; key and label follow the category.
const fn category_desc(key: &'static str, label: &'static str) -> Desc {
    Desc {
        key,
        label,
        unit: Unit::Kr,
        rule: "sum af linjerne i kategorien",
        source: None,
        path: "offer.costs",
    }
}
const CATEGORY: [Desc; 11] = [
    category_desc("cost_base.wages", "Lønninger"),
    category_desc("cost_base.operating", "Øvrig drift"),
    category_desc("cost_base.property", "Ejendomsudgifter"),
    category_desc(
        "cost_base.overhead",
        "Central ledelse og administration (overhead)",
    ),
    category_desc("cost_base.depreciation", "Afskrivninger"),
    category_desc("cost_base.interest", "Forrentning"),
    category_desc("cost_base.pension", "Tjenestemandspension"),
    category_desc("cost_base.vat", "Ikke-fradragsberettiget moms"),
    category_desc("cost_base.other_income", "Andre indtægter (fradrag)"),
    category_desc("cost_base.base_funding", "Basisfinansiering (fradrag)"),
    category_desc(
        "cost_base.regulation",
        "Efterregulering af tidligere års resultat",
    ),
];
const DIRECT: Desc = Desc {
    key: "cost_base.direct",
    label: "Direkte omkostninger",
    unit: Unit::Kr,
    rule: "løn + øvrig drift + ejendomsudgifter",
    source: None,
    path: "offer.costs",
};
const TOTAL: Desc = Desc {
    key: "cost_base",
    label: "Omkostningsgrundlag (takstberegningsgrundlag)",
    unit: Unit::Kr,
    rule: "direkte + indirekte omkostninger + afskrivninger + forrentning + \
           tjenestemandspension + moms − indtægter ± efterregulering",
    source: Some(SEL_174),
    path: "offer.costs",
};
const COMMON: Desc = Desc {
    key: "cost_base.common",
    label: "Fællesomkostninger (fordeles pr. belægningsdag)",
    unit: Unit::Kr,
    rule: "sum af linjer med fordelingsnøgle pr. belægningsdag",
    source: None,
    path: "offer.costs",
};
const SUPPORT: Desc = Desc {
    key: "cost_base.support",
    label: "Støtteomkostninger (fordeles efter støttetimer)",
    unit: Unit::Kr,
    rule: "sum af linjer med fordelingsnøgle pr. støttetime",
    source: None,
    path: "offer.costs",
};
const HUNDRED: Desc = Desc {
    key: "const.hundred",
    label: "Hundrede",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("procent"),
    path: "offer.costs",
};
const OVERHEAD_SHARE: Desc = Desc {
    key: "cost_base.overhead_share",
    label: "Overhead i forhold til direkte omkostninger",
    unit: Unit::Ratio,
    rule: "overhead ÷ direkte omkostninger",
    source: None,
    path: "offer.costs",
};
const OVERHEAD_PCT: Desc = Desc {
    key: "cost_base.overhead_pct",
    label: "Overhead i % af direkte omkostninger",
    unit: Unit::Percent,
    rule: "forhold × 100",
    source: Some("rammeaftale: loft over overhead i % af de direkte omkostninger"),
    path: "offer.costs",
};

/// The most cost lines whose indices are sorted in a buffer on the stack (a larger offer
/// sorts them in one on the heap: an allocation and its free, some 150 instructions, on a
/// computation of some 25,000).
const ON_STACK: usize = 32;

/// The cost base's figures.
pub(crate) struct Base {
    /// Each line's signed contribution, in line order.
    pub lines: Vec<Fig>,
    /// Subtotals of the categories that have lines, by category (sheet order).
    pub categories: [Option<Fig>; 11],
    pub direct: Fig,
    pub common: Fig,
    pub support: Fig,
    pub total: Fig,
}

/// Whether a line is keyed per occupied day (a common cost).
fn days(l: &crate::offer::CostLine) -> bool {
    l.key == AllocationKey::Days
}

/// A category's place in [`Category::ALL`] (the enum's own order).
fn index(cat: Category) -> usize {
    cat as usize
}

/// Where a figure that is not there is read (never: [`present`] counts only the others).
static NO_FIG: Fig = Fig::NONE;

/// The `Some` figures among `figs`, in order, as references on the stack, and how many: as
/// many places as figures, so none can be left out.
fn present<const N: usize>(figs: [&Option<Fig>; N]) -> ([&Fig; N], usize) {
    let mut out = [&NO_FIG; N];
    let mut n = 0;
    for (slot, f) in out.iter_mut().zip(figs.into_iter().flatten()) {
        *slot = f;
        n += 1;
    }
    (out, n)
}

pub(crate) fn compute(c: &mut Calc<'_>) -> Result<Base, Error> {
    let o = c.o;
    let lines = &o.costs;
    // Each line's figure, and the lines grouped by category (a counting sort of their
    // indices: one buffer, each category a contiguous run). The figures are read where they
    // are: a sum's inputs are given by index, not copied.
    let mut contribution = vec![Fig::NONE; lines.len()];
    // Lines per category, and how many are keyed per occupied day (counted here, in the
    // one pass over the lines that reads them all, rather than in a pass of its own).
    let mut start = [0usize; 12];
    let mut split = 0;
    for l in lines {
        start[index(l.category) + 1] += 1;
        split += usize::from(days(l));
    }
    for k in 0..11 {
        start[k + 1] += start[k];
    }
    let mut next = start;
    // The lines' indices by category, then by key: on the stack for an offer of up to
    // `ON_STACK` lines (a realistic one has twenty), else on the heap. Every place is
    // written before it is read (each line's index once in each sort), so the buffer's
    // first contents never matter.
    let mut on_stack = [0usize; ON_STACK];
    let mut on_heap = Vec::new();
    let by_category = super::buffer(&mut on_stack, &mut on_heap, lines.len(), 0);

    // Amount lines first: a percentage overhead needs the subtotals of its base.
    for (i, line) in lines.iter().enumerate() {
        let Some(amount) = line.amount else { continue };
        let origin = if line.source.is_some() {
            Origin::CostLine
        } else {
            Origin::None
        };
        let mut fig = c.ex.input_from(
            &COST_AMOUNT,
            Subj::one(i),
            Exact::from_decimal(amount),
            origin,
        )?;
        if line.category.is_income() {
            fig =
                c.ex.derive(&COST_SIGNED, Subj::one(i), Op::Negate, &[fig])?;
        }
        contribution[i] = fig;
        let k = index(line.category);
        by_category[next[k]] = i;
        next[k] += 1;
    }

    // Subtotals of every category but overhead (which may hold percentage lines).
    let overhead = index(Category::Overhead);
    let mut subtotal: [Option<Fig>; 11] = [const { None }; 11];
    for k in 0..11 {
        let run = &by_category[start[k]..next[k]];
        if k == overhead || run.is_empty() {
            continue;
        }
        subtotal[k] =
            Some(
                c.ex.derive_each(&CATEGORY[k], Subj::NONE, Op::Sum, run.len(), |j| {
                    &contribution[run[j]]
                })?,
            );
    }
    let (direct_parts, n_direct) = present([
        &subtotal[index(Category::Wages)],
        &subtotal[index(Category::Operating)],
        &subtotal[index(Category::Property)],
    ]);
    let direct =
        c.ex.derive_each(&DIRECT, Subj::NONE, Op::Sum, n_direct, |j| direct_parts[j])?;

    // Percentage overhead lines.
    for (i, line) in lines.iter().enumerate() {
        let Some(pct) = line.pct else { continue };
        let p = c.ex.input(&COST_PCT, Subj::one(i), pct.into())?;
        let fig = match &line.pct_base {
            None => {
                if n_direct == 0 {
                    empty_base(c, i);
                }
                c.ex.derive_pair(
                    &COST_FROM_PCT_OF_DIRECT,
                    Subj::one(i),
                    Op::PercentOf,
                    &direct,
                    &p,
                )?
            }
            Some(categories) => {
                let mut named = [false; 11];
                for cat in categories {
                    named[index(*cat)] = true;
                }
                let none = None;
                let (parts, n) = present(std::array::from_fn::<_, 11, _>(|k| {
                    match (subtotal.get(k), named.get(k)) {
                        (Some(f), Some(true)) => f,
                        _ => &none,
                    }
                }));
                if n == 0 {
                    empty_base(c, i);
                }
                let base =
                    c.ex.derive_each(&COST_PCT_BASE, Subj::one(i), Op::Sum, n, |j| parts[j])?;
                c.ex.derive(&COST_FROM_PCT, Subj::one(i), Op::PercentOf, &[base, p])?
            }
        };
        contribution[i] = fig;
        let k = index(line.category);
        by_category[next[k]] = i;
        next[k] += 1;
    }
    let run = &by_category[start[overhead]..next[overhead]];
    if !run.is_empty() {
        subtotal[overhead] =
            Some(
                c.ex.derive_each(&CATEGORY[overhead], Subj::NONE, Op::Sum, run.len(), |j| {
                    &contribution[run[j]]
                })?,
            );
    }
    // Every line has an amount or a percentage (validation sees to it), so every run is full.
    if next.iter().zip(&start[1..]).any(|(n, end)| n != end) {
        return Err(Error::new(
            ErrorCode::Internal,
            "offer.costs",
            "a cost line has neither amount nor percentage",
            "En omkostningslinje har hverken beløb eller procentsats.",
        ));
    }

    let (parts, n) = present(subtotal.each_ref());
    let total =
        c.ex.derive_each(&TOTAL, Subj::NONE, Op::Sum, n, |j| parts[j])?;
    if total.v <= Exact::ZERO {
        return Err(Error::new(
            ErrorCode::NotPositive,
            "offer.costs",
            format!(
                "the cost base is {} kr: income and regulation exceed the costs, so there is \
                 nothing for a tariff to cover",
                total.v.short()
            ),
            format!(
                "Omkostningsgrundlaget er {} kr.: indtægter og regulering overstiger \
                 omkostningerne, så der er intet, en takst skal dække.",
                da_exact(&total.v)
            ),
        ));
    }

    // Common lines first, then support lines, by index in the same buffer (read to the end
    // above): a counting sort by key, as by category.
    let mut at = [0, split];
    for (i, l) in lines.iter().enumerate() {
        let k = usize::from(!days(l));
        by_category[at[k]] = i;
        at[k] += 1;
    }
    let (common_lines, support_lines) = by_category.split_at(split);
    let common =
        c.ex.derive_each(&COMMON, Subj::NONE, Op::Sum, common_lines.len(), |j| {
            &contribution[common_lines[j]]
        })?;
    let support =
        c.ex.derive_each(&SUPPORT, Subj::NONE, Op::Sum, support_lines.len(), |j| {
            &contribution[support_lines[j]]
        })?;

    if let Some(overhead) = &subtotal[overhead] {
        overhead_cap(c, overhead, &direct)?;
    }
    Ok(Base {
        lines: contribution,
        categories: subtotal,
        direct,
        common,
        support,
        total,
    })
}

fn empty_base(c: &mut Calc<'_>, i: usize) {
    c.warn(
        WarningCode::EmptyOverheadBase,
        format!("offer.costs[{i}].pct"),
        "the percentage is taken of categories that no cost line has, so the line is 0 kr",
        "Procentsatsen beregnes af kategorier, som ingen omkostningslinje har, så linjen er 0 kr.",
    );
}

/// Overhead above the agreed cap (a percentage of the direct costs) is a warning; so is
/// overhead without direct costs, which no cap can measure.
fn overhead_cap(c: &mut Calc<'_>, overhead: &Fig, direct: &Fig) -> Result<(), Error> {
    if direct.v <= Exact::ZERO {
        if overhead.v > Exact::ZERO {
            let cap = c.o.settings.overhead_cap_pct;
            let (shown, shown_da) = (overhead.v.short(), da_exact(&overhead.v));
            c.warn(
                WarningCode::OverheadAboveCap,
                "offer.costs",
                format!(
                    "overhead is {shown} kr and there are no direct costs (wages, operating, \
                     property) to measure it against the agreed cap of {cap} %"
                ),
                format!(
                    "Overhead er {shown_da} kr., og der er ingen direkte omkostninger (løn, \
                     øvrig drift, ejendomsudgifter) at måle den mod det aftalte loft på {} %.",
                    da(cap)
                ),
            );
        }
        return Ok(());
    }
    // Without the graph the share and the percentage are read by the comparison with the
    // cap alone: for overhead and direct costs in the 64-bit form (whose share and
    // percentage are always made, never an error) it is overhead × 100 against cap × direct
    // (direct > 0), without the division; the two figures are made only for the warning's
    // text (callgrind `bench profile offer`: 21,961 → 21,828 instructions an offer). A product
    // that cannot be held leaves the decision to them.
    if !c.ex.keeps() && overhead.v.is_small() && direct.v.is_small() {
        let cap = Exact::from(c.o.settings.overhead_cap_pct);
        let scaled = overhead.v.checked_mul(&Exact::from(100i64));
        if let (Some(scaled), Some(allowed)) = (scaled, cap.checked_mul(&direct.v)) {
            if scaled <= allowed {
                return Ok(());
            }
        }
    }
    let hundred = c.ex.constant(&HUNDRED, Exact::from(100i64))?;
    let ratio =
        c.ex.derive_pair(&OVERHEAD_SHARE, Subj::NONE, Op::Quotient, overhead, direct)?;
    let pct =
        c.ex.derive(&OVERHEAD_PCT, Subj::NONE, Op::Product, &[ratio, hundred])?;
    let cap = c.o.settings.overhead_cap_pct;
    if pct.v > cap {
        // Exact to four decimals, else marked "…" (two decimals unmarked showed 15.0004 % as
        // 15.00, and 10.001 % as 10.00 % "above the cap of 10 %").
        let (shown, shown_da) = (pct.v.short(), da_exact(&pct.v));
        c.warn(
            WarningCode::OverheadAboveCap,
            "offer.costs",
            format!("overhead is {shown} % of direct costs, above the agreed cap of {cap} %"),
            format!(
                "Overhead udgør {shown_da} % af de direkte omkostninger, over det aftalte loft \
                 på {} %.",
                da(cap)
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_index_in_sheet_order() {
        for (i, cat) in Category::ALL.iter().enumerate() {
            assert_eq!(index(*cat), i);
            assert_eq!(CATEGORY[i].key, format!("cost_base.{}", cat.name()));
        }
    }
}
