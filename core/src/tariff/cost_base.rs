//! The cost base (takstberegningsgrundlag, SEL § 174; domain reference §2).
//!
//! ```text
//! cost base = direct costs (wages, operating, property)
//!           + overhead (an amount, or a percentage of a stated base)
//!           + depreciation + interest + civil-servant pension + non-deductible VAT
//!           − other income − base funding
//!           ± regulation from year N−2
//! ```
//!
//! Every line keeps its label, category and allocation key. The lines keyed per occupied
//! day are the common costs, those keyed per support hour the support costs.
//!
//! A percentage overhead is taken of category subtotals computed once, so an offer with
//! many percentage lines costs no more than one subtotal per category named.

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
    category_desc("cost_base.regulation", "Efterregulering fra år N−2"),
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

/// The cost base's figures.
pub(crate) struct Base {
    /// Each line's signed contribution, in line order.
    pub lines: Vec<Fig>,
    /// Subtotals of the categories that have lines, in sheet order.
    pub categories: Vec<(Category, Fig)>,
    pub direct: Fig,
    pub common: Fig,
    pub support: Fig,
    pub total: Fig,
}

fn index(cat: Category) -> usize {
    Category::ALL.iter().position(|c| *c == cat).unwrap_or(0)
}

pub(crate) fn compute(c: &mut Calc<'_>) -> Result<Base, Error> {
    let o = c.o;
    let lines = &o.costs;
    let mut contribution: Vec<Option<Fig>> = vec![None; lines.len()];
    // Members of each category, in line order.
    let mut members: [Vec<Fig>; 11] = Default::default();

    // Amount lines first: a percentage overhead needs the subtotals of its base.
    for (i, line) in lines.iter().enumerate() {
        let Some(amount) = line.amount else { continue };
        let origin = if line.source.is_some() {
            Origin::CostLine
        } else {
            Origin::None
        };
        let mut fig =
            c.ex.input_from(&COST_AMOUNT, Subj::one(i), amount.into(), origin)?;
        if line.category.is_income() {
            fig =
                c.ex.derive(&COST_SIGNED, Subj::one(i), Op::Negate, &[fig])?;
        }
        contribution[i] = Some(fig);
        members[index(line.category)].push(fig);
    }

    // Subtotals of every category but overhead (which may hold percentage lines).
    let mut subtotal: [Option<Fig>; 11] = [None; 11];
    for (k, cat) in Category::ALL.iter().enumerate() {
        if *cat == Category::Overhead || members[k].is_empty() {
            continue;
        }
        subtotal[k] = Some(c.ex.derive(&CATEGORY[k], Subj::NONE, Op::Sum, &members[k])?);
    }
    let direct_parts: Vec<Fig> = [Category::Wages, Category::Operating, Category::Property]
        .iter()
        .filter_map(|cat| subtotal[index(*cat)])
        .collect();
    let direct = c.ex.derive(&DIRECT, Subj::NONE, Op::Sum, &direct_parts)?;

    // Percentage overhead lines.
    for (i, line) in lines.iter().enumerate() {
        let Some(pct) = line.pct else { continue };
        let p = c.ex.input(&COST_PCT, Subj::one(i), pct.into())?;
        let fig = match &line.pct_base {
            None => {
                if direct_parts.is_empty() {
                    empty_base(c, i);
                }
                c.ex.derive(
                    &COST_FROM_PCT_OF_DIRECT,
                    Subj::one(i),
                    Op::PercentOf,
                    &[direct, p],
                )?
            }
            Some(categories) => {
                let parts: Vec<Fig> = categories
                    .iter()
                    .filter_map(|cat| subtotal[index(*cat)])
                    .collect();
                if parts.is_empty() {
                    empty_base(c, i);
                }
                let base = c.ex.derive(&COST_PCT_BASE, Subj::one(i), Op::Sum, &parts)?;
                c.ex.derive(&COST_FROM_PCT, Subj::one(i), Op::PercentOf, &[base, p])?
            }
        };
        contribution[i] = Some(fig);
        members[index(line.category)].push(fig);
    }
    let overhead = index(Category::Overhead);
    if !members[overhead].is_empty() {
        subtotal[overhead] =
            Some(c.ex.derive(&CATEGORY[overhead], Subj::NONE, Op::Sum, &members[overhead])?);
    }

    // Every line has either an amount or a percentage (validation sees to it).
    let lines_fig: Vec<Fig> = contribution.into_iter().flatten().collect();
    if lines_fig.len() != lines.len() {
        return Err(Error::new(
            ErrorCode::Internal,
            "offer.costs",
            "a cost line has neither amount nor percentage",
        ));
    }
    let categories: Vec<(Category, Fig)> = Category::ALL
        .iter()
        .zip(subtotal)
        .filter_map(|(cat, f)| f.map(|f| (*cat, f)))
        .collect();
    let parts: Vec<Fig> = categories.iter().map(|(_, f)| *f).collect();
    let total = c.ex.derive(&TOTAL, Subj::NONE, Op::Sum, &parts)?;
    if total.v <= Exact::ZERO {
        return Err(Error::new(
            ErrorCode::NotPositive,
            "offer.costs",
            format!(
                "the cost base is {} kr: income and regulation exceed the costs, so there is \
                 nothing for a tariff to cover",
                total.v.short()
            ),
        ));
    }

    let keyed = |key: AllocationKey| -> Vec<Fig> {
        lines
            .iter()
            .zip(&lines_fig)
            .filter(|(l, _)| l.key == key)
            .map(|(_, f)| *f)
            .collect()
    };
    let common =
        c.ex.derive(&COMMON, Subj::NONE, Op::Sum, &keyed(AllocationKey::Days))?;
    let support = c.ex.derive(
        &SUPPORT,
        Subj::NONE,
        Op::Sum,
        &keyed(AllocationKey::SupportHours),
    )?;

    if let Some(overhead) = subtotal[overhead] {
        overhead_cap(c, overhead, direct)?;
    }
    Ok(Base {
        lines: lines_fig,
        categories,
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
    );
}

/// Overhead above the agreed cap (a percentage of the direct costs) is a warning.
fn overhead_cap(c: &mut Calc<'_>, overhead: Fig, direct: Fig) -> Result<(), Error> {
    if direct.v <= Exact::ZERO {
        return Ok(());
    }
    let hundred = c.ex.constant(&HUNDRED, Exact::from(100i64))?;
    let ratio = c.ex.derive(
        &OVERHEAD_SHARE,
        Subj::NONE,
        Op::Quotient,
        &[overhead, direct],
    )?;
    let pct =
        c.ex.derive(&OVERHEAD_PCT, Subj::NONE, Op::Product, &[ratio, hundred])?;
    let cap = c.o.settings.overhead_cap_pct;
    if pct.v > Exact::from(cap) {
        let shown = pct
            .v
            .approx(2)
            .map_or_else(|| pct.v.short(), |d| d.to_string());
        c.warn(
            WarningCode::OverheadAboveCap,
            "offer.costs",
            format!("overhead is {shown} % of direct costs, above the agreed cap of {cap} %"),
        );
    }
    Ok(())
}
