//! From an offer's budget to its tariffs, one rule per file:
//!
//! | file | rule |
//! |---|---|
//! | [`cost_base`] | the cost base (takstberegningsgrundlag), overhead as a percentage, the split into common and support costs |
//! | [`capacity`] | places, day basis, budgeted occupancy, expected days |
//! | [`average`] | the average tariff, and how any day tariff is published per day, month and year |
//! | [`services`] | differentiated services: modules and levels by support hours, basis + packages |
//! | [`derived`] | amounts derived from published tariffs: levels in %, part-time, add-ons |
//! | [`neutrality`] | revenue neutrality: Σ tariff × expected days against the cost base |
//! | [`validate`] | structural checks before anything is computed |
//!
//! The general mechanism (domain reference §4): every cost line has an allocation key. Lines
//! keyed per occupied day are common costs, shared equally; lines keyed per support hour are
//! care costs, shared by the weekly support hours each service gives. Then
//!
//! ```text
//! tariff(s) = common ÷ expected days + support ÷ (expected days × mean weekly hours) × hours(s)
//! ```
//!
//! where the mean is weighted by the services' shares of the occupied days. With shares that
//! sum to 100 % this is revenue neutral before rounding. Every figure is exact until its one
//! named rounding step.

pub(crate) mod average;
pub(crate) mod capacity;
pub(crate) mod cost_base;
pub(crate) mod derived;
pub(crate) mod neutrality;
pub(crate) mod notice;
pub(crate) mod services;
pub(crate) mod validate;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Entry, Explanation, Fig, PartTimeName, SheetBase, SheetName};
use crate::name::SharedName;
use crate::offer::{AllocationKey, Category, Offer};
use crate::sheet::{SheetFormat, SheetOffer, TariffSheet};

/// The source a computed sheet names.
static COMPUTED_SOURCE: SharedName = SharedName::new(concat!(
    "beregnet af takst ",
    env!("CARGO_PKG_VERSION"),
    " ud fra omkostningsgrundlaget"
));

pub use neutrality::{Neutrality, ServiceRevenue};
pub use notice::{Driver, DriverAmount, NoticeResult, TariffChange, TariffNotice};

/// Whether a computation keeps the explanation of its figures.
///
/// The figures are the same either way: the explanation is built by the arithmetic, and
/// without it the arithmetic simply keeps nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Explain {
    /// Keep every figure's node (the default). Only in a build with the `explain` feature
    /// (a default one): without it, a computation asked to keep them is refused (`unsupported`).
    #[default]
    Yes,
    /// Compute only; [`Computed::explanation`] is empty.
    No,
}

/// Everything computed from an offer.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Computed {
    /// The published tariffs.
    pub sheet: TariffSheet,
    /// The cost base line by line, and the capacity it is spread over.
    pub cost_base: CostBase,
    /// Σ tariff × expected days against the cost base.
    pub neutrality: Neutrality,
    /// Legal but doubtful aspects of the calculation.
    pub warnings: Vec<Warning>,
    /// How every figure came about (empty when computed with [`Explain::No`]).
    pub explanation: Explanation,
}

/// The cost base and capacity.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CostBase {
    /// Each line's signed contribution (income lines negative).
    pub lines: Vec<CostBaseLine>,
    /// Subtotal per category, in sheet order.
    pub categories: Vec<CategoryTotal>,
    /// Direct costs (wages, operating, property): the default base of a percentage overhead.
    pub direct: Exact,
    /// Lines keyed per occupied day.
    pub common: Exact,
    /// Lines keyed per support hour.
    pub support: Exact,
    /// The cost base the tariffs must cover.
    pub total: Exact,
    /// Places in the calculation.
    pub places: Exact,
    /// Budgeted occupancy in per cent.
    pub occupancy_pct: Exact,
    /// Days a place is billed in a year.
    pub day_basis: u32,
    /// places × day basis × occupancy.
    pub expected_days: Exact,
}

/// One cost line's contribution, in the order of the offer's `costs` (whose labels and
/// sources they are).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CostBaseLine {
    /// Its category.
    pub category: Category,
    /// Its allocation key.
    pub key: AllocationKey,
    /// Signed contribution to the cost base.
    pub amount: Exact,
}

/// A category subtotal.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CategoryTotal {
    /// The category.
    pub category: Category,
    /// Signed subtotal.
    pub amount: Exact,
}

/// The state of one computation: the offer, the arena its figures are built in, and the
/// warnings found.
pub(crate) struct Calc<'o> {
    pub o: &'o Offer,
    /// The caller's arena, borrowed: it is 400 bytes, and was moved in and taken out again
    /// (callgrind `bench profile offer`: 21,033 → 20,988 instructions an offer).
    pub ex: &'o mut Explanation,
    pub warnings: Vec<Warning>,
    /// Whether the published figures are handed back as nodes ([`SheetFigs`], for pricing
    /// courses from them); a computation of the offer alone builds none of them.
    pub figs: bool,
}

impl<'o> Calc<'o> {
    /// Records a warning, with its message in English and in Danish.
    pub fn warn(
        &mut self,
        code: WarningCode,
        path: impl Into<String>,
        message: impl Into<String>,
        message_da: impl Into<String>,
    ) {
        self.warnings
            .push(Warning::new(code, path, message, message_da));
    }
}

/// A published value as a `Decimal` (rounded figures always have one).
pub(crate) fn decimal(v: &Exact) -> Decimal {
    v.to_decimal().unwrap_or_default()
}

impl Offer {
    /// Computes the tariffs of the offer, with warnings and the explanation of every figure.
    ///
    /// All structural problems are reported together; an arithmetic failure (a division by
    /// zero, an overflow) names the request field it comes from.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// let offer = takst::Offer::from_toml(r#"
    ///     name = "Eksempel"
    ///     year = 2026
    ///     kind = "residential"
    ///     capacity = { places = 10 }
    ///     occupancy = { budgeted_pct = 95 }
    ///     costs = [ { label = "Alt", category = "wages", amount = 9_500_000 } ]
    /// "#).unwrap();
    /// let computed = offer.compute().unwrap();
    /// // 9,500,000 / (10 × 365 × 0.95) = 2,739.73 → 2,740 kr per døgn.
    /// assert_eq!(computed.sheet.average.unwrap().day.to_string(), "2740");
    /// ```
    pub fn compute(&self) -> Result<Computed, Errors> {
        self.compute_with(Explain::Yes)
    }

    /// Computes the tariffs, keeping the explanation or not. The figures are identical.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// use takst::{Explain, Offer};
    /// let lean = Offer::sample().compute_with(Explain::No).unwrap();
    /// let full = Offer::sample().compute().unwrap();
    /// assert!(lean.explanation.is_empty());
    /// assert_eq!(lean.sheet, full.sheet);
    /// ```
    ///
    /// In a build without the `explain` feature no explanation is kept: `Explain::Yes` (and
    /// so [`Offer::compute`]) is answered with the error `unsupported`, never with an empty
    /// explanation in its place.
    pub fn compute_with(&self, explain: Explain) -> Result<Computed, Errors> {
        #[cfg(not(feature = "explain"))]
        if explain == Explain::Yes {
            return Err(Error::new(
                crate::error::ErrorCode::Unsupported,
                "",
                "this build of takst (without the `explain` feature) keeps no explanation; \
                 compute with `Explain::No`, or build takst with its `explain` feature",
                "Denne udgave af takst (uden funktionen `explain`) gemmer ingen forklaring; \
                 beregn med `Explain::No`, eller byg takst med funktionen `explain`.",
            )
            .into());
        }
        self.compute_in(Explanation::new(explain == Explain::Yes))
    }

    pub(crate) fn compute_in(&self, ex: Explanation) -> Result<Computed, Errors> {
        self.compute_with_figs(ex, None)
    }

    /// Computes the tariffs in `ex`, and hands back the published figures as nodes, for
    /// pricing courses from them in the same graph.
    pub(crate) fn compute_parts(&self, ex: Explanation) -> Result<(Computed, SheetFigs), Errors> {
        let mut figs = SheetFigs::default();
        let computed = self.compute_with_figs(ex, Some(&mut figs))?;
        Ok((computed, figs))
    }

    /// Computes the tariffs in `ex`, and the published figures as nodes into `figs` when it
    /// is given. (The result is returned alone, not in a pair with the figures: a computed
    /// offer is a kilobyte, copied once more for each wrapping it is taken out of.)
    fn compute_with_figs(
        &self,
        mut ex: Explanation,
        figs: Option<&mut SheetFigs>,
    ) -> Result<Computed, Errors> {
        validate::offer(self)?;
        // About as many nodes as the offer makes (97 for the realistic offer of 20 cost
        // lines, 3 modules and 3 add-ons; 91 for the sample's 13 cost lines).
        ex.reserve(
            40 + self.costs.len()
                + 12 * self.services.len()
                + 4 * (self.add_ons.len() + self.part_time.len()),
        );
        let mut calc = Calc {
            o: self,
            ex: &mut ex,
            warnings: Vec::new(),
            figs: figs.is_some(),
        };
        run(&mut calc, figs)
    }
}

/// A published tariff's figures.
#[derive(Clone, Debug)]
pub(crate) struct TariffFigs {
    pub day: Fig,
    pub month: Option<Fig>,
}

/// The published figures of one tariff sheet as nodes of the explanation, in the sheet's
/// order, for pricing courses from them.
#[derive(Clone, Debug, Default)]
pub(crate) struct SheetFigs {
    pub base: SheetBase,
    pub average: Option<TariffFigs>,
    pub services: Vec<TariffFigs>,
    pub part_time: Vec<Fig>,
    pub add_ons: Vec<Fig>,
    pub basis: Option<Fig>,
    pub interval: Option<Fig>,
    /// For a computed offer: the figures other sections of the request take from it.
    pub offer: Option<OfferFigs>,
}

/// The figures of a computed offer that the financing sections take from it by default.
#[derive(Clone, Debug)]
pub(crate) struct OfferFigs {
    /// The offer's year.
    pub year: i32,
    /// The cost base (takstberegningsgrundlag).
    pub cost_base: Fig,
    /// places × day basis × occupancy.
    pub expected_days: Fig,
    /// How the offer publishes its tariffs (`settings.published_rounding`).
    pub published_rounding: crate::rounding::Rounding,
    /// The subtotal of its cost lines of category `base_funding`, as they enter the cost
    /// base (negative), when it has any.
    pub base_funding: Option<Fig>,
}

const REGULATION_PER_DAY_EXACT: crate::explain::Desc = crate::explain::Desc {
    key: "regulation.per_day.exact",
    label: "Efterregulering pr. {w}, før afrunding",
    unit: crate::explain::Unit::KrPerDay,
    rule: "efterregulering ÷ forventede belægningsdage",
    source: Some(
        "takstbladet viser efterreguleringen pr. belægningsdag, som aftalerne offentliggør den",
    ),
    path: "offer.costs",
};
const REGULATION_PER_DAY: crate::explain::Desc = crate::explain::Desc {
    key: "regulation.per_day",
    label: "Efterregulering pr. {w}",
    unit: crate::explain::Unit::KrPerDay,
    rule: "afrundet",
    source: Some("indeholdt i taksterne"),
    path: "offer.settings.derived_rounding",
};

/// The regulation of an earlier year's result per expected day, as agreements publish it (when the cost
/// base has regulation lines).
fn regulation_per_day(
    c: &mut Calc<'_>,
    cap: &capacity::Cap,
    base: &cost_base::Base,
) -> Result<Option<Decimal>, Error> {
    let Some(regulation) = &base.categories[Category::Regulation as usize] else {
        return Ok(None);
    };
    // Without the graph the quotient is rounded unmade (`Rounding::apply_ratio_both`: the
    // same figure; callgrind `bench profile offer`: 20,879 → 20,806 instructions an offer).
    if !c.ex.keeps() {
        let r = c.o.settings.derived_rounding;
        if let Some((value, _)) =
            r.apply_ratio_both(&regulation.v, &Exact::ONE, &cap.expected_days.v)
        {
            return Ok(Some(value));
        }
    }
    let exact = c.ex.derive_pair(
        &REGULATION_PER_DAY_EXACT,
        crate::explain::Subj::NONE,
        crate::explain::Op::Quotient,
        regulation,
        &cap.expected_days,
    )?;
    let (_, value) = c.ex.round(
        &REGULATION_PER_DAY,
        crate::explain::Subj::NONE,
        exact,
        c.o.settings.derived_rounding,
        crate::explain::Step::Derived,
    )?;
    Ok(Some(value))
}

/// The rules in order. Its error is the computation's (`?` makes each rule's one error the
/// list): returned as it is, the result (a kilobyte) is not copied from one kind of
/// `Result` into the other.
fn run(c: &mut Calc<'_>, figs: Option<&mut SheetFigs>) -> Result<Computed, Errors> {
    let base_names = name_offer(c.ex, c.o);
    let cap = capacity::compute(c)?;
    let mut base = cost_base::compute(c)?;
    let avg = average::compute(c, &cap, &base)?;
    let mut svc = services::compute(c, &cap, &base, &avg)?;
    // Levels in per cent of a published tariff come after the tariffs they refer to.
    derived::levels(c, &avg, &mut svc)?;
    services::module_order(c, &svc);
    let neutrality = neutrality::compute(c, &cap, &base, &avg, &svc)?;
    let (part_time, part_time_figs) = derived::part_time(c, &avg, &svc)?;
    let (add_ons, add_on_figs) = derived::add_ons(c, &avg, &svc)?;
    let regulation_per_day = regulation_per_day(c, &cap, &base)?;
    if let Some(figs) = figs {
        *figs = SheetFigs {
            base: base_names,
            average: Some(TariffFigs {
                day: avg.published.day.clone(),
                month: avg.published.month.as_ref().map(|(f, _)| f.clone()),
            }),
            services: svc
                .each
                .iter()
                .filter_map(|one| one.published.as_ref())
                .map(|p| TariffFigs {
                    day: p.day.clone(),
                    month: p.month.as_ref().map(|(f, _)| f.clone()),
                })
                .collect(),
            part_time: part_time_figs,
            add_ons: add_on_figs,
            basis: svc.basis_fig.clone(),
            interval: svc.interval_fig.clone(),
            offer: Some(OfferFigs {
                year: c.o.year,
                cost_base: base.total.clone(),
                expected_days: cap.expected_days.clone(),
                published_rounding: c.o.settings.published_rounding,
                base_funding: base.categories[crate::offer::Category::BaseFunding as usize].clone(),
            }),
        };
    }

    let o = c.o;
    let sheet = TariffSheet {
        format: SheetFormat::TariffSheet,
        version: 1,
        offer: SheetOffer {
            id: o.id.clone(),
            name: o.name.clone(),
            provider: o.provider.clone(),
            kind: o.kind,
            year: o.year,
        },
        source: Some(COMPUTED_SOURCE.name()),
        day_basis: cap.day_basis_days,
        rounding: o.settings.published_rounding,
        average: Some(avg.tariff()),
        services: svc.sheet_services(o),
        package_scheme: svc.scheme.clone(),
        part_time,
        add_ons,
        regulation_per_day,
        derived_rounding: (o.settings.derived_rounding != crate::rounding::Rounding::ORE)
            .then_some(o.settings.derived_rounding),
    };
    let cost_base = CostBase {
        // The figures' buffer becomes the lines' (a `Fig` and a `CostBaseLine` are the same
        // size, so the collection is in place: no allocation, and no free of the figures').
        lines: base
            .lines
            .into_iter()
            .zip(&o.costs)
            .map(|(f, l)| CostBaseLine {
                category: l.category,
                key: l.key,
                amount: f.v,
            })
            .collect(),
        categories: {
            // At most one a category, allocated once (collected from `filter_map`, the list
            // started at four and grew twice for a realistic offer).
            let mut totals = Vec::with_capacity(Category::ALL.len());
            // Taken where they are: the table of subtotals (352 bytes) was copied into the
            // iterator by value (callgrind `bench profile offer`: 20,988 → 20,955
            // instructions an offer).
            for (category, f) in Category::ALL.iter().zip(base.categories.iter_mut()) {
                if let Some(f) = f.take() {
                    totals.push(CategoryTotal {
                        category: *category,
                        amount: f.v,
                    });
                }
            }
            totals
        },
        direct: base.direct.v,
        common: base.common.v,
        support: base.support.v,
        total: base.total.v,
        places: cap.places.v,
        occupancy_pct: cap.occupancy.v,
        day_basis: cap.day_basis_days,
        expected_days: cap.expected_days.v,
    };
    Ok(Computed {
        sheet,
        cost_base,
        neutrality,
        warnings: std::mem::take(&mut c.warnings),
        explanation: std::mem::take(c.ex),
    })
}

/// Registers the offer as a tariff sheet in the explanation's name tables (the first sheet:
/// its entries' global indices are its own).
pub(crate) fn name_offer(ex: &mut Explanation, o: &Offer) -> SheetBase {
    ex.begin_sheet(
        o.services.len(),
        o.add_ons.len(),
        o.part_time.len(),
        |n, base| {
            let sheet = base.sheet;
            n.day_word = o.kind.day_word_da();
            let texts = std::iter::once("offer")
                .chain(o.services.iter().flat_map(|s| [&*s.id, &*s.name]))
                .chain(
                    o.costs
                        .iter()
                        .flat_map(|l| [Some(&*l.label), l.source.as_deref()])
                        .flatten(),
                )
                .chain(o.add_ons.iter().flat_map(|a| [&*a.id, &*a.name]));
            n.reserve_sheet(texts, o.services.len(), o.add_ons.len());
            let (key_prefix, path_root) = (n.put(""), n.put("offer"));
            n.sheets.push(SheetName {
                key_prefix,
                path_root,
                source: None,
                day_word: o.kind.day_word_da(),
            });
            for (i, s) in o.services.iter().enumerate() {
                let (id, name) = (n.put(&s.id), n.put(&s.name));
                n.services.push(Entry {
                    id,
                    name,
                    sheet,
                    local: i as u32,
                });
            }
            n.costs.reserve(o.costs.len());
            for l in &o.costs {
                let label = n.put(&l.label);
                let source = l.source.as_deref().map(|s| n.put(s));
                n.costs.push((label, source));
            }
            for (i, a) in o.add_ons.iter().enumerate() {
                let (id, name) = (n.put(&a.id), n.put(&a.name));
                n.add_ons.push(Entry {
                    id,
                    name,
                    sheet,
                    local: i as u32,
                });
            }
            n.part_time
                .extend(o.part_time.iter().enumerate().map(|(i, p)| PartTimeName {
                    days: p.days_per_week,
                    of: None,
                    sheet,
                    local: i as u32,
                }));
        },
    )
}

/// Finds an item by id: a scan for the few services of a real offer, a hash map for many.
pub(crate) struct ServiceIndex<'o, T> {
    items: &'o [T],
    id: fn(&T) -> &str,
    map: Option<std::collections::HashMap<&'o str, usize>>,
}

impl<'o, T> ServiceIndex<'o, T> {
    pub fn new(items: &'o [T], id: fn(&T) -> &str) -> ServiceIndex<'o, T> {
        let map = (items.len() > 16).then(|| {
            let mut m = std::collections::HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                m.entry(id(item)).or_insert(i);
            }
            m
        });
        ServiceIndex { items, id, map }
    }
    pub fn get(&self, wanted: &str) -> Option<usize> {
        match &self.map {
            Some(m) => m.get(wanted).copied(),
            None => self.items.iter().position(|s| (self.id)(s) == wanted),
        }
    }
}

/// A buffer of `n` values: the first `n` of `on_stack` when it has that many, else
/// `on_heap` made `n` long (filled with `fill`). A rule's few figures of each cost line or
/// service (read where they are by a sum) so cost no allocation, and its free, for an offer
/// of ordinary size.
pub(crate) fn buffer<'b, T: Clone>(
    on_stack: &'b mut [T],
    on_heap: &'b mut Vec<T>,
    n: usize,
    fill: T,
) -> &'b mut [T] {
    match on_stack.get_mut(..n) {
        Some(buffer) => buffer,
        None => {
            on_heap.resize(n, fill);
            on_heap
        }
    }
}

/// The id of a service.
pub(crate) fn service_id(s: &crate::offer::Service) -> &str {
    &s.id
}

#[cfg(test)]
mod tests {
    use super::Explanation;
    use crate::offer::Offer;

    /// The cost base's figures are collected into its lines in place: that needs the two
    /// of one size and alignment (else the collection allocates again, still correctly).
    #[test]
    fn a_cost_line_is_collected_in_place_of_its_figure() {
        use std::mem::{align_of, size_of};
        assert_eq!(
            size_of::<crate::explain::Fig>(),
            size_of::<super::CostBaseLine>()
        );
        assert_eq!(
            align_of::<crate::explain::Fig>(),
            align_of::<super::CostBaseLine>()
        );
    }

    /// An offer computed alone (its published figures not handed back as nodes) is the
    /// offer computed for pricing courses, to the last figure, warning and node (an offer
    /// is read from a request only with the `provider` feature).
    #[cfg(feature = "provider")]
    #[test]
    fn an_offer_alone_is_computed_as_with_its_figures() {
        let realistic =
            crate::Request::from_toml(include_str!("../../../examples/requests/realistic.toml"))
                .unwrap()
                .offer
                .unwrap();
        for offer in [Offer::sample(), realistic] {
            for keep in [false, true] {
                let alone = offer.compute_in(Explanation::new(keep)).unwrap();
                let (with_figs, figs) = offer.compute_parts(Explanation::new(keep)).unwrap();
                assert_eq!(alone, with_figs);
                assert_eq!(alone.warnings, with_figs.warnings);
                assert_eq!(alone.explanation.len(), with_figs.explanation.len());
                assert!(figs.offer.is_some() && !figs.add_ons.is_empty());
            }
            // Without the graph some figures are rounded unmade (the realistic services'
            // day tariffs over unrelated denominators): the same figures as with it.
            let (lean, full) = (
                offer.compute_in(Explanation::new(false)).unwrap(),
                offer.compute_in(Explanation::new(true)).unwrap(),
            );
            // As written (a `Decimal`'s `==` takes 1.0 for 1.00): the same figures to the
            // decimal.
            fn json<T: serde::Serialize>(v: &T) -> String {
                serde_json::to_string(v).unwrap()
            }
            assert_eq!(json(&lean.sheet), json(&full.sheet));
            assert_eq!(json(&lean.cost_base), json(&full.cost_base));
            assert_eq!(json(&lean.neutrality), json(&full.neutrality));
            assert_eq!(json(&lean.warnings), json(&full.warnings));
        }
    }
}
