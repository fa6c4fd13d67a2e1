//! Money beyond the tariff (domain reference §6–8): the year-end settlement
//! (efterregulering), partnership financing, base funding, special arrangements, ambulant
//! services by the hour and the buyer's net cost.
//!
//! Each model reads its own section of the request, checks it (every problem reported at its
//! path), and computes its figures in the request's one explanation graph, so that every
//! amount it returns explains itself like a tariff does. Amounts are exact until a named
//! rounding step; splits among municipalities use the largest-remainder method and sum
//! exactly to the amount split.

/// A largest-remainder split's descriptions, written once per use.
macro_rules! split_descs {
    ($vis:vis $name:ident, $key:literal, $label:literal, $path:literal) => {
        $vis const $name: $crate::finance::SplitDescs = $crate::finance::SplitDescs {
            weighted: &$crate::finance::desc(
                concat!($key, ".weighted"),
                concat!($label, ": beløb × vægt"),
                $crate::explain::Unit::Kr,
                "beløbet ganget med vægten",
                None,
                $path,
            ),
            floor: &$crate::finance::desc(
                concat!($key, ".floor"),
                concat!($label, ": andel rundet ned"),
                $crate::explain::Unit::Kr,
                "beløb × vægt ÷ summen af vægtene, rundet ned til hele øre",
                Some("største-rest-metoden"),
                $path,
            ),
            unit: &$crate::finance::desc(
                concat!($key, ".remainder"),
                concat!($label, ": restøre"),
                $crate::explain::Unit::Kr,
                "de øre, som nedrundingen efterlader, går ét ad gangen til de andele, der har \
                 den største rest",
                Some("største-rest-metoden"),
                $path,
            ),
            part: &$crate::finance::desc(
                $key,
                $label,
                $crate::explain::Unit::Kr,
                "beløbet fordelt efter vægt, så andelene summerer præcist til beløbet",
                Some("største-rest-metoden"),
                $path,
            ),
        };
    };
}

pub(crate) mod ambulant;
pub(crate) mod buyer;
pub(crate) mod funding;
pub(crate) mod partnership;
pub(crate) mod settlement;
pub(crate) mod special;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::rounding::{RoundMode, Rounding};

pub use ambulant::{
    Ambulant, AmbulantProduct, AmbulantResult, Overhead, ProductPrice, ProductPricing,
};
pub use buyer::{
    Bracket, Buyer, BuyerCase, BuyerCost, BuyerResult, BuyerYear, RefundLevels, RefundMethod,
    RefundTable, VatRefund,
};
pub use funding::{
    BaseFunding, FundingResult, FundingSource, MunicipalityContribution, Population, SourceKind,
    SourceResult, Split, Weight,
};
pub use partnership::{
    KeyBasis, Partner, PartnerResult, Partnership, PartnershipResult, UsageLevel,
};
pub use settlement::{
    BilledDays, Outcome, Reserve, ReserveState, ReserveStatus, Settlement, SettlementResult,
};
pub use special::{CostItem, EarlyEnd, EarlyEndResult, SpecialArrangement, SpecialResult};

/// An amount for one municipality (or partner, or citizen).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Share {
    /// The municipality.
    pub municipality: String,
    /// The amount in kroner.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}

/// A `Desc` for a figure; `rule` empty for inputs.
pub(crate) const fn desc(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    rule: &'static str,
    source: Option<&'static str>,
    path: &'static str,
) -> Desc {
    Desc {
        key,
        label,
        unit,
        rule,
        source,
        path,
    }
}

/// The value of a figure as a decimal, for the typed result. Every figure handed to this is
/// a sum, difference or rounding of decimals, so it has one; anything else is a bug.
pub(crate) fn dec(f: &Fig, path: &str) -> Result<Decimal, Error> {
    f.v.to_decimal().ok_or_else(|| {
        Error::new(
            ErrorCode::Overflow,
            path,
            "the figure has no exact 96-bit decimal form; check the size of the amounts",
            "Tallet kan ikke skrives præcist som et 96-bit decimaltal; kontrollér beløbenes \
             størrelse.",
        )
    })
}

/// Records a decimal read from the request.
pub(crate) fn input(
    ex: &mut Explanation,
    d: &'static Desc,
    s: Subj,
    value: Decimal,
) -> Result<Fig, Error> {
    ex.input(d, s, Exact::from(value))
}

/// The figures the financing sections take from the other sections of the same request
/// (the chain: budget → tariffs → courses → settlement). A figure a section gives itself
/// overrides the chained one; the explanation says which it is.
#[derive(Default)]
pub(crate) struct Chain<'r> {
    /// The computed offer's figures (cost base, expected days, year).
    pub offer: Option<crate::tariff::OfferFigs>,
    /// Each priced course's billing per calendar year, at the request's offer.
    pub years: Vec<crate::course::CourseYear>,
    /// Whether each course (by its place in the request) is priced at the offer; empty when
    /// the request's sheets have no one offer the sections read.
    pub at_offer: Vec<bool>,
    /// The paying municipality of each course (by its place in the request).
    pub municipalities: Vec<Option<&'r str>>,
    /// The request's e-invoices refund a returned surplus to the municipalities as credit
    /// notes (`einvoicing.settlement_refunds`), so it enters no later year's cost base.
    pub settlement_refunds: bool,
    /// The request's settlement takes its revenue from the courses (gives none itself).
    pub revenue_from_courses: bool,
}

impl Chain<'_> {
    /// Whether the request has courses at the offer (so `years` speaks for them).
    pub fn has_courses(&self) -> bool {
        self.at_offer.contains(&true)
    }
}

/// A figure given in the section (at `given`'s path), or else taken from another section
/// (`chained` says from where, in its rule and path), or else the error `missing`.
pub(crate) fn given_or_chained(
    ex: &mut Explanation,
    given: Option<Decimal>,
    chained: Option<&Fig>,
    d_given: &'static Desc,
    d_chained: &'static Desc,
    missing: impl FnOnce() -> Error,
) -> Result<Fig, Error> {
    match (given, chained) {
        (Some(v), _) => input(ex, d_given, Subj::NONE, v),
        (None, Some(f)) => ex.derive(d_chained, Subj::NONE, Op::Sum, std::slice::from_ref(f)),
        (None, None) => Err(missing()),
    }
}

/// The rounding of a section's published tariff: its own, or else as the request's offer
/// publishes its tariffs (`rounding` is then listed in `chained`: the section's tariff and
/// the offer's are one convention), or else whole kroner, half away from zero.
pub(crate) fn rounding_or_offer(
    given: Option<crate::rounding::Rounding>,
    offer: Option<&crate::tariff::OfferFigs>,
    chained: &mut Vec<String>,
) -> crate::rounding::Rounding {
    match (given, offer) {
        (Some(r), _) => r,
        (None, Some(o)) => {
            chained.push("rounding".to_string());
            o.published_rounding
        }
        (None, None) => crate::rounding::Rounding::KRONER,
    }
}

/// A figure of `section` that it gives or takes from the request's offer (`offer`, that
/// offer's figure): `field` is listed in `chained` when taken, and without either it is
/// `missing_value` at `section.field`.
pub(crate) fn given_or_offer(
    ex: &mut Explanation,
    given: Option<Decimal>,
    offer: Option<&Fig>,
    descs: (&'static Desc, &'static Desc),
    section: &str,
    field: &str,
    chained: &mut Vec<String>,
) -> Result<Fig, Error> {
    if given.is_none() && offer.is_some() {
        chained.push(field.to_string());
    }
    given_or_chained(ex, given, offer, descs.0, descs.1, || {
        Error::new(
            ErrorCode::MissingValue,
            format!("{section}.{field}"),
            "give it, or an offer in the same request to take it from",
            "Angiv værdien, eller angiv et tilbud i samme forespørgsel, som den kan tages fra.",
        )
    })
}

/// The descriptions of the figures of one largest-remainder split.
pub(crate) struct SplitDescs {
    /// total × weight.
    pub weighted: &'static Desc,
    /// (total × weight) ÷ Σ weights, rounded toward zero (used when a remainder unit follows).
    pub floor: &'static Desc,
    /// One increment, given to the parts with the largest remainders.
    pub unit: &'static Desc,
    /// The part.
    pub part: &'static Desc,
}

/// Splits `total` in proportion to `weights` (their sum is `weight_sum`) into multiples of
/// `increment` that sum exactly to `total`, by the largest-remainder method, in the graph:
/// each part is its exact share rounded toward zero (a named rounding step) plus, for the
/// parts with the largest remainders, one increment (a constant of the method).
///
/// `total` must be a multiple of `increment` (round it first); `subj(k)` names part k.
#[allow(clippy::too_many_arguments)]
pub(crate) fn split(
    ex: &mut Explanation,
    total: &Fig,
    weights: &[Fig],
    weight_sum: &Fig,
    increment: Decimal,
    d: &SplitDescs,
    subj: impl Fn(usize) -> Subj,
    path: &str,
) -> Result<Vec<(Fig, Decimal)>, Error> {
    let total_dec = dec(total, path)?;
    let weight_decs = weights
        .iter()
        .map(|w| dec(w, path))
        .collect::<Result<Vec<_>, _>>()?;
    let parts = crate::rounding::allocate(total_dec, &weight_decs, increment).map_err(|e| {
        use crate::rounding::AllocateError as A;
        match e {
            A::ZeroWeights => Error::new(
                ErrorCode::DivisionByZero,
                path,
                "the amount cannot be split: the weights (days, population or key) sum to zero",
                "Beløbet kan ikke fordeles: vægtene (dage, indbyggertal eller fordelingsnøgle) \
                 giver tilsammen 0.",
            ),
            A::Overflow => too_large(path),
            other => Error::new(
                ErrorCode::Internal,
                path,
                format!("split: {other}"),
                "Beløbet kunne ikke fordeles (en fejl i takst).",
            ),
        }
    })?;
    let down = Rounding {
        increment,
        mode: RoundMode::Down,
    };
    let mut out = Vec::with_capacity(parts.len());
    for (k, (w, part)) in weights.iter().zip(parts).enumerate() {
        let s = subj(k);
        let weighted = ex.derive(d.weighted, s, Op::Product, &[total.clone(), w.clone()])?;
        let floor_exact = weighted
            .v
            .checked_div(&weight_sum.v)
            .and_then(|x| down.apply_exact(&x))
            .ok_or_else(|| too_large(path))?;
        let extra = part - floor_exact;
        let fig = if extra.is_zero() {
            ex.derive_rounded(
                d.part,
                s,
                Op::Quotient,
                &[weighted, weight_sum.clone()],
                down,
                Step::Derived,
            )?
            .0
        } else {
            let (floor, _) = ex.derive_rounded(
                d.floor,
                s,
                Op::Quotient,
                &[weighted, weight_sum.clone()],
                down,
                Step::Derived,
            )?;
            let unit = ex.constant_at(d.unit, s, Exact::from(extra))?;
            ex.derive(d.part, s, Op::Sum, &[floor, unit])?
        };
        out.push((fig, part));
    }
    Ok(out)
}

/// The amounts at `path` are too large for 96-bit decimals.
pub(crate) fn too_large(path: &str) -> Error {
    Error::new(
        ErrorCode::Overflow,
        path,
        "the amounts are too large",
        "Beløbene er for store til at regne med.",
    )
}

/// `Rounding::ORE` at the derived step.
pub(crate) const ORE: Rounding = Rounding::ORE;

/// The subject of a figure about party `a` in `year` (`{m}` and `{b}`).
pub(crate) fn year_subj(a: usize, year: i32) -> Subj {
    Subj::two(a, year.unsigned_abs())
}
