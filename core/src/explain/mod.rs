//! The explanation graph: every computed figure is a node.
//!
//! A node records its exact value, unit, the operation that produced it, the nodes it was
//! computed from, a rule in words, its source (law, agreement, convention, or the request
//! field it was read from) and, if it was rounded, the policy with the value before and
//! after. Nodes live in an [`Explanation`] arena and refer to each other by [`NodeId`];
//! inputs always come before the nodes computed from them, so the graph has no cycles, and
//! [`Explanation::verify`] recomputes every node exactly from its recorded inputs.
//!
//! # What a node costs
//!
//! The calculation does not compute a number and then describe it: it asks the arena for a
//! node, and the arena does the arithmetic ([`Explanation::derive`]). That is the only code
//! path, whether the graph is kept or not; an arena made with `keep = false` computes the
//! same values and stores nothing. A kept node is a small fixed-size record: its texts are
//! a `&'static` [`Desc`] (key, label, rule, source and request path as templates) plus two
//! indices that fill the templates' blanks (which service, which cost line). Keys, labels
//! and paths become strings only when a node is rendered, looked up by key or serialised.

mod arith;
mod json;
mod names;
mod node;
mod table;
mod text;

use arith::{apply, fail, Fail};
pub use node::Node;

use names::fill;
pub(crate) use names::{Entry, LineName, Names, PartTimeName, SheetBase, SheetName};

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::rounding::Rounding;

/// Index of a node in its [`Explanation`]. Serialised as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The id of a figure computed by an arena that keeps no nodes.
    const UNKEPT: NodeId = NodeId(u32::MAX);
}

/// The unit of a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unit {
    /// Kroner (an annual amount unless the label says otherwise).
    Kr,
    /// Kroner per (occupied) day or døgn.
    KrPerDay,
    /// Kroner per month.
    KrPerMonth,
    /// Kroner per place per year.
    KrPerYear,
    /// Kroner per hour.
    KrPerHour,
    /// Kroner per kilometre.
    KrPerKm,
    /// Kroner per occupied day per weekly support hour (the support rate).
    KrPerDayPerWeeklyHour,
    /// Days.
    Days,
    /// Places.
    Places,
    /// Citizens.
    Citizens,
    /// Per cent (97 means 97 %).
    Percent,
    /// A plain ratio (0.97).
    Ratio,
    /// Support hours per week.
    HoursPerWeek,
    /// Occupied day × weekly support hour.
    DayHours,
    /// A count or other pure number.
    Number,
    /// Hours.
    Hours,
}

impl Unit {
    /// Whether the unit is kroner (per anything): amounts shown with øre.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Unit::Kr
                | Unit::KrPerDay
                | Unit::KrPerMonth
                | Unit::KrPerYear
                | Unit::KrPerHour
                | Unit::KrPerKm
                | Unit::KrPerDayPerWeeklyHour
        )
    }

    /// Danish unit suffix for text output; `day_word` is "døgn" or "dag".
    pub fn suffix_da(self, day_word: &str) -> String {
        match self {
            Unit::Kr => "kr.".into(),
            Unit::KrPerDay => format!("kr. pr. {day_word}"),
            Unit::KrPerMonth => "kr. pr. måned".into(),
            Unit::KrPerYear => "kr. pr. år".into(),
            Unit::KrPerHour => "kr. pr. time".into(),
            Unit::KrPerKm => "kr. pr. km".into(),
            Unit::KrPerDayPerWeeklyHour => format!("kr. pr. {day_word} pr. ugentlig time"),
            Unit::Days => "dage".into(),
            Unit::Places => "pladser".into(),
            Unit::Citizens => "borgere".into(),
            Unit::Percent => "%".into(),
            Unit::Ratio | Unit::Number => String::new(),
            Unit::HoursPerWeek => "timer pr. uge".into(),
            Unit::DayHours => "dag-timer".into(),
            Unit::Hours => "timer".into(),
        }
    }
}

/// How a node's value was obtained from its inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Op {
    /// Read from the request (its `path` says where).
    Input,
    /// A constant of a rule or convention (365 days, 12 months, 10 citizens per place).
    Constant,
    /// Σ inputs.
    Sum,
    /// first input − Σ the others.
    Difference,
    /// Π inputs.
    Product,
    /// first input ÷ second input.
    Quotient,
    /// −input.
    Negate,
    /// Arithmetic mean of the inputs.
    Mean,
    /// first input × second input ÷ 100 (an amount times a percentage).
    PercentOf,
    /// The input, rounded by the node's rounding policy.
    Round,
    /// The smallest input (e.g. a surplus, but at most the cap on setting aside).
    Min,
    /// The largest input (e.g. an amount, but not below zero).
    Max,
}

/// The static description of a kind of figure. Its texts are templates whose blanks are
/// filled from the node's two subject indices when the node is rendered (the blanks are
/// listed in `names.rs`).
#[derive(Debug)]
pub(crate) struct Desc {
    /// Stable key, e.g. `service.{s}.day`.
    pub key: &'static str,
    /// Danish label, e.g. `{S}, pr. {w}`.
    pub label: &'static str,
    pub unit: Unit,
    /// The rule in words.
    pub rule: &'static str,
    /// Law, agreement or convention.
    pub source: Option<&'static str>,
    /// For inputs: the request field read. For computed figures: the request field an
    /// arithmetic failure is reported at.
    pub path: &'static str,
}

/// The two indices that fill a [`Desc`]'s blanks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Subj {
    pub a: u32,
    pub b: u32,
}

/// `b` of a subject that refers to the average tariff rather than a service.
pub(crate) const AVERAGE_TARGET: u32 = u32::MAX;

impl Subj {
    pub const NONE: Subj = Subj { a: 0, b: 0 };
    pub fn one(a: usize) -> Subj {
        Subj { a: a as u32, b: 0 }
    }
    pub fn two(a: usize, b: u32) -> Subj {
        Subj { a: a as u32, b }
    }
}

/// The named step at which a figure was rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// A published tariff (average, module, package, basis, package interval): by default
    /// whole kroner.
    Published,
    /// A derived amount (levels in %, part-time, add-ons, invoice lines): by default øre.
    Derived,
    /// A figure rounded for display on the tariff sheet (hours "til og med").
    Display,
}

impl Step {
    /// Danish name of the step.
    pub fn da(self) -> &'static str {
        match self {
            Step::Published => "offentliggjort takst",
            Step::Derived => "afledt beløb",
            Step::Display => "visning på takstbladet",
        }
    }
}

/// A rounding applied at a named step.
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
#[schemars(with = "json::RoundingStepSchema")]
pub struct RoundingStep {
    /// The step.
    pub step: Step,
    /// The policy applied.
    pub policy: Rounding,
    /// The exact value before rounding (a fraction `p/q` when it has no finite decimal
    /// form; then `before_approx` gives it to 12 decimals for display).
    pub before: Exact,
    /// The value after rounding (equal to the node's value).
    #[schemars(with = "crate::num::Num")]
    pub after: Decimal,
}

/// Where an input's value comes from beyond the request path: the request's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    None,
    /// The `source` of cost line a.
    CostLine,
    /// The `source` of the tariff sheet with this index.
    Sheet(u32),
}

#[derive(Clone, Debug)]
struct Slot {
    desc: &'static Desc,
    subj: Subj,
    value: Exact,
    op: Op,
    args_from: u32,
    args_len: u32,
    /// The node's rounding step in [`Explanation::roundings`], or [`NOT_ROUNDED`]: a step is
    /// 72 bytes, and most nodes have none, so a slot is 64 bytes rather than 160 (the arena
    /// is written once and read once per computation).
    rounding: u32,
    origin: Origin,
}

/// The `rounding` of a slot whose value was not rounded.
const NOT_ROUNDED: u32 = u32::MAX;

impl Slot {
    /// A node's slot before it is kept: `push` sets its inputs, `rounded` its step.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn new(d: &'static Desc, s: Subj, op: Op, value: &Exact, origin: Origin) -> Slot {
        Slot {
            desc: d,
            subj: s,
            value: value.clone(),
            op,
            args_from: 0,
            args_len: 0,
            rounding: NOT_ROUNDED,
            origin,
        }
    }
}

/// A figure handed back by the arena: its id (when kept) and its exact value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fig {
    pub id: NodeId,
    pub v: Exact,
}

impl Fig {
    /// A placeholder, for buffers filled before use.
    pub const NONE: Fig = Fig {
        id: NodeId::UNKEPT,
        v: Exact::ZERO,
    };

    /// A value no node records: what an arena that keeps no nodes gives for an input.
    pub fn unkept(v: Exact) -> Fig {
        Fig {
            id: NodeId::UNKEPT,
            v,
        }
    }
}

/// The arena of nodes behind one result.
///
/// # Example
///
/// ```
/// let computed = takst::Offer::sample().compute().unwrap();
/// let day = computed.explanation.find("average.day").unwrap();
/// assert_eq!(day.value().to_string(), "3657");
/// assert_eq!(day.label(), "Gennemsnitstakst, pr. døgn");
/// // The graph recomputes exactly from its recorded inputs.
/// assert!(computed.explanation.verify().is_ok());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Explanation {
    keep: bool,
    max_nodes: usize,
    slots: Vec<Slot>,
    args: Vec<NodeId>,
    /// The rounding steps of the rounded nodes, in node order.
    roundings: Vec<RoundingStep>,
    names: Names,
    /// Where the next sheet's entries start in the name tables (counted even when names
    /// are not kept).
    next: SheetBase,
    /// The next derived tariff's and invoice line's index in the name tables.
    next_tariff: u32,
    next_line: u32,
    next_party: u32,
    /// The constants kept so far, by key: a constant is one figure however many rules use
    /// it (a few per request, so a list). Boxed, made when the first is kept: with the
    /// 24-byte list inline, glibc's malloc consolidated its fast bins once per course priced
    /// from a sheet (callgrind `bench profile cold`: +1.7 % instructions, all in malloc).
    #[allow(clippy::box_collection)] // the point is the 8 bytes here
    constants: Option<Box<Vec<(&'static str, Fig)>>>,
    index: OnceCell<HashMap<String, NodeId>>,
}

impl PartialEq for Explanation {
    fn eq(&self, other: &Explanation) -> bool {
        self.slots.len() == other.slots.len()
            && self.nodes().zip(other.nodes()).all(|(a, b)| {
                a.key() == b.key()
                    && a.value() == b.value()
                    && a.op() == b.op()
                    && a.inputs() == b.inputs()
                    && a.rounding() == b.rounding()
            })
    }
}

/// The default most nodes one explanation may hold (see [`crate::Limits`]).
pub(crate) const DEFAULT_MAX_NODES: usize = 4_000_000;

impl Explanation {
    /// An arena that keeps its nodes when `keep` is true, and otherwise only computes.
    pub(crate) fn new(keep: bool) -> Explanation {
        Explanation {
            keep,
            max_nodes: DEFAULT_MAX_NODES,
            ..Explanation::default()
        }
    }

    /// Room for about `nodes` more nodes when the graph is kept (a hint, never a limit: the
    /// arena grows past it as it must). A node's slot is 160 bytes: an arena grown from
    /// empty copied itself seven times over for one offer (callgrind: 6 % of the
    /// instructions of computing an offer with its graph were `memcpy` under `realloc`).
    pub(crate) fn reserve(&mut self, nodes: usize) {
        if self.keep {
            let nodes = nodes.min(self.max_nodes.saturating_sub(self.slots.len()));
            self.slots.reserve(nodes);
            self.args.reserve(nodes.saturating_mul(2));
            self.roundings.reserve(nodes / 4);
        }
    }

    pub(crate) fn with_max_nodes(mut self, max: usize) -> Explanation {
        self.max_nodes = max;
        self
    }

    /// Names a derived tariff of sheet `sheet`: `name` makes its key and label from the
    /// prefix of the sheet's keys, only when the graph is kept. Returns its index for the
    /// `{tk}`/`{tl}` blanks.
    pub(crate) fn tariff_name(
        &mut self,
        sheet: u32,
        name: impl FnOnce(&str) -> (String, String),
    ) -> usize {
        let i = self.next_tariff as usize;
        self.next_tariff += 1;
        if self.keep {
            let prefix = self
                .names
                .sheets
                .get(sheet as usize)
                .map_or("", |s| self.names.get(s.key_prefix));
            let named = name(prefix);
            self.names.tariffs.push(named);
        }
        i
    }

    /// Names a party (a municipality, partner, funding source, case or product); returns
    /// its index for the `{m}` blank.
    pub(crate) fn party(&mut self, name: impl FnOnce() -> String) -> usize {
        let i = self.next_party as usize;
        self.next_party += 1;
        if self.keep {
            self.names.parties.push(name());
        }
        i
    }

    /// Names an invoice line; returns its index for the `{l}` blank.
    pub(crate) fn line_name(&mut self, line: impl FnOnce() -> LineName) -> usize {
        let i = self.next_line as usize;
        self.next_line += 1;
        if self.keep {
            self.names.lines.push(line());
        }
        i
    }

    /// Starts a tariff sheet with this many services, add-ons and part-time rows: returns
    /// where its entries start in the name tables. `names` fills them when the graph is kept.
    pub(crate) fn begin_sheet(
        &mut self,
        services: usize,
        add_ons: usize,
        part_time: usize,
        names: impl FnOnce(&mut Names, SheetBase),
    ) -> SheetBase {
        let base = self.next;
        self.next = SheetBase {
            sheet: base.sheet + 1,
            services: base.services + services as u32,
            add_ons: base.add_ons + add_ons as u32,
            part_time: base.part_time + part_time as u32,
        };
        if self.keep {
            names(&mut self.names, base);
        }
        base
    }

    /// Whether the arena keeps its nodes.
    pub(crate) fn keeps(&self) -> bool {
        self.keep
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when the graph has no nodes (it was not kept, or nothing was computed).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn push(&mut self, slot: Slot, args: &[Fig]) -> Result<NodeId, Error> {
        if !self.keep {
            return Ok(NodeId::UNKEPT);
        }
        if self.slots.len() >= self.max_nodes {
            return Err(too_many_nodes(self.max_nodes));
        }
        let id = NodeId(self.slots.len() as u32);
        let args_from = self.args.len() as u32;
        self.args.extend(args.iter().map(|f| f.id));
        self.slots.push(Slot {
            args_from,
            args_len: args.len() as u32,
            ..slot
        });
        Ok(id)
    }

    /// Records a value read from the request at the desc's path.
    pub(crate) fn input(&mut self, d: &'static Desc, s: Subj, value: Exact) -> Result<Fig, Error> {
        self.input_from(d, s, value, Origin::None)
    }

    /// Records a value read from the request whose origin the request states.
    pub(crate) fn input_from(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
        origin: Origin,
    ) -> Result<Fig, Error> {
        self.leaf(d, s, value, Op::Input, origin)
    }

    /// Records a constant of a rule or convention.
    ///
    /// A constant's key has no blanks (`const.hundred`), so the same key is the same figure:
    /// when the graph is kept, a constant of a key and value kept before is that node (the
    /// rules of several sections, or of every year of a loop, use one "100"). The first
    /// section's description stands for it.
    pub(crate) fn constant(&mut self, d: &'static Desc, value: Exact) -> Result<Fig, Error> {
        if self.keep {
            if let Some((_, f)) = self
                .constants
                .iter()
                .flat_map(|c| c.iter())
                .find(|(key, f)| *key == d.key && f.v == value)
            {
                return Ok(f.clone());
            }
            let f = self.leaf(d, Subj::NONE, value, Op::Constant, Origin::None)?;
            self.constants
                .get_or_insert_with(Default::default)
                .push((d.key, f.clone()));
            return Ok(f);
        }
        self.leaf(d, Subj::NONE, value, Op::Constant, Origin::None)
    }

    /// Records a constant about a subject (a calendar count, a package number).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn constant_at(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
    ) -> Result<Fig, Error> {
        self.leaf(d, s, value, Op::Constant, Origin::None)
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn leaf(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
        op: Op,
        origin: Origin,
    ) -> Result<Fig, Error> {
        self.keep_node(d, s, op, value, &[], origin)
    }

    /// Applies `op` to the inputs and records the node. Fails with `division_by_zero` or
    /// `overflow` at the desc's path.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
    ) -> Result<Fig, Error> {
        let value = self.compute(d, s, op, args)?;
        self.keep_node(d, s, op, value, args, Origin::None)
    }

    /// A value as a figure, its node kept when the graph is: the end of [`Self::leaf`],
    /// [`Self::derive`] and [`Self::derive_pair`].
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn keep_node(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        value: Exact,
        args: &[Fig],
        origin: Origin,
    ) -> Result<Fig, Error> {
        if !self.keep {
            return Ok(Fig {
                id: NodeId::UNKEPT,
                v: value,
            });
        }
        let id = self.push(Slot::new(d, s, op, &value, origin), args)?;
        Ok(Fig { id, v: value })
    }

    /// [`Self::derive`] of two figures the caller keeps: they are read where they are, so a
    /// 128-bit value (a rate, a tariff before rounding) is not copied to be an input.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive_pair(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        a: &Fig,
        b: &Fig,
    ) -> Result<Fig, Error> {
        let value =
            apply(op, 2, |i| if i == 0 { &a.v } else { &b.v }).map_err(|f| fail(d, s, f))?;
        // Only the ids are kept as the node's inputs.
        let ids = [a.id, b.id].map(|id| Fig { id, v: Exact::ZERO });
        self.keep_node(d, s, op, value, &ids, Origin::None)
    }

    /// Applies `op`, then rounds the exact result once with `policy` at the named step.
    /// Returns the figure and its value as a `Decimal`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive_rounded(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        // Rounding one figure rounds its value where it is, and copies it only into a node
        // that is kept (the copy of a 128-bit quotient allocates): what `apply` computes for
        // `Op::Round`, without the copy.
        let before = match (op, args) {
            (Op::Round, [arg]) => Cow::Borrowed(&arg.v),
            _ => Cow::Owned(self.compute(d, s, op, args)?),
        };
        self.rounded(d, s, op, args, before, policy, step)
    }

    /// Rounds one figure: [`Self::derive_rounded`] with [`Op::Round`]. The figure is the
    /// caller's to give: its value moves into the kept node's rounding step, uncopied.
    pub(crate) fn round(
        &mut self,
        d: &'static Desc,
        s: Subj,
        arg: Fig,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        self.round_value(d, s, arg.id, Cow::Owned(arg.v), policy, step)
    }

    /// [`Self::round`] of a figure the caller keeps: its value is copied only when the graph
    /// is kept (the rounding step holds it).
    pub(crate) fn round_ref(
        &mut self,
        d: &'static Desc,
        s: Subj,
        arg: &Fig,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        self.round_value(d, s, arg.id, Cow::Borrowed(&arg.v), policy, step)
    }

    /// Rounds `before`, the value of figure `id`, which is the node's one input (only its id
    /// is kept).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn round_value(
        &mut self,
        d: &'static Desc,
        s: Subj,
        id: NodeId,
        before: Cow<'_, Exact>,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        let input = Fig { id, v: Exact::ZERO };
        self.rounded(
            d,
            s,
            Op::Round,
            std::slice::from_ref(&input),
            before,
            policy,
            step,
        )
    }

    /// Rounds `before`, the value of `op` on `args`, and keeps the node when the graph is
    /// kept, its rounding step beside the slots: the end of [`Self::derive_rounded`] and
    /// [`Self::round`].
    #[allow(clippy::too_many_arguments)] // the node's parts, each one of them
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn rounded(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
        before: Cow<'_, Exact>,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        let (after, value) = policy
            .apply_exact_both(&before)
            .ok_or_else(|| fail(d, s, Fail::Overflow))?;
        if !self.keep {
            return Ok((
                Fig {
                    id: NodeId::UNKEPT,
                    v: value,
                },
                after,
            ));
        }
        let slot = Slot {
            // The step's index: `push` fails only before anything is kept.
            rounding: u32::try_from(self.roundings.len()).unwrap_or(NOT_ROUNDED),
            ..Slot::new(d, s, op, &value, Origin::None)
        };
        let id = self.push(slot, args)?;
        self.roundings.push(RoundingStep {
            step,
            policy,
            before: before.into_owned(),
            after,
        });
        Ok((Fig { id, v: value }, after))
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn compute(&self, d: &'static Desc, s: Subj, op: Op, args: &[Fig]) -> Result<Exact, Error> {
        apply(op, args.len(), |i| &args[i].v).map_err(|f| fail(d, s, f))
    }

    /// The node with this id.
    pub fn get(&self, id: NodeId) -> Option<Node<'_>> {
        self.slots
            .get(id.0 as usize)
            .map(|slot| Node { ex: self, id, slot })
    }

    /// All nodes, inputs before the nodes computed from them.
    pub fn nodes(&self) -> impl Iterator<Item = Node<'_>> + '_ {
        self.slots.iter().enumerate().map(move |(i, slot)| Node {
            ex: self,
            id: NodeId(i as u32),
            slot,
        })
    }

    /// The node with this key (`average.day`, `service.udredning.day`, …).
    ///
    /// The first lookup renders every key once and indexes them.
    ///
    /// # Example
    ///
    /// ```
    /// let computed = takst::Offer::sample().compute().unwrap();
    /// let day = computed.explanation.find("average.day").unwrap();
    /// assert_eq!(day.value().to_decimal(), computed.sheet.average.map(|a| a.day));
    /// ```
    pub fn find(&self, key: &str) -> Option<Node<'_>> {
        let index = self.index.get_or_init(|| {
            self.nodes()
                .map(|n| (n.key(), n.id))
                .collect::<HashMap<_, _>>()
        });
        index.get(key).and_then(|id| self.get(*id))
    }

    /// Recomputes a node from the recorded values of its inputs (and its rounding).
    /// Inputs and constants return their recorded value.
    pub fn recompute(&self, id: NodeId) -> Option<Exact> {
        let node = self.get(id)?;
        let slot = node.slot;
        if matches!(slot.op, Op::Input | Op::Constant) {
            return Some(slot.value.clone());
        }
        let raw = self.recompute_unrounded(id)?;
        match node.rounding() {
            Some(step) => step.policy.apply_exact(&raw).map(Exact::from),
            None => Some(raw),
        }
    }

    /// Checks that every node recomputes exactly to its recorded value and refers only to
    /// earlier nodes. Returns the first node that does not.
    pub fn verify(&self) -> Result<(), NodeId> {
        for node in self.nodes() {
            if node.inputs().iter().any(|i| *i >= node.id) {
                return Err(node.id);
            }
            if self.recompute(node.id) != Some(node.slot.value.clone()) {
                return Err(node.id);
            }
            if let Some(r) = node.rounding() {
                let raw = self.recompute_unrounded(node.id);
                if raw != Some(r.before.clone()) || node.slot.value != r.after {
                    return Err(node.id);
                }
            }
        }
        Ok(())
    }

    fn recompute_unrounded(&self, id: NodeId) -> Option<Exact> {
        let node = self.get(id)?;
        let inputs = node.inputs();
        if inputs.iter().any(|i| i.0 as usize >= self.slots.len()) {
            return None;
        }
        apply(node.slot.op, inputs.len(), |i| {
            &self.slots[inputs[i].0 as usize].value
        })
        .ok()
    }

    /// Fills a template's blanks; `None` names leave name blanks as their indices.
    fn fill(&self, template: &str, s: Subj, out: &mut String) {
        fill(template, s, &self.names, out);
    }
}

/// The error of a graph that would grow beyond its limit (out of line: `push` is inlined
/// into every rule).
#[cold]
#[inline(never)]
fn too_many_nodes(max: usize) -> Error {
    Error::new(
        ErrorCode::LimitExceeded,
        "options.explain",
        format!(
            "the explanation would have more than {max} figures; ask for \
             options.explain = false or split the request"
        ),
        format!(
            "Forklaringen ville få mere end {} tal; vælg `options.explain = false`, \
             eller del forespørgslen op.",
            crate::danish::int(max)
        ),
    )
}

#[cfg(test)]
mod tests {
    /// A slot is written once and read once per computation: its rounding step (72 bytes,
    /// on a minority of nodes) is kept beside it, so that a slot stays 64 bytes (160 with the
    /// step inline).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_slot_is_64_bytes() {
        assert_eq!(std::mem::size_of::<super::Slot>(), 64);
    }

    const D: super::Desc = super::Desc {
        key: "test.{a}",
        label: "test",
        unit: super::Unit::Kr,
        rule: "test",
        source: None,
        path: "test",
    };

    /// Three values: 64-bit parts, 128-bit parts (boxed), 256-bit parts (boxed).
    fn values(n: i64, d: i64) -> Vec<crate::exact::Exact> {
        use crate::exact::Exact;
        let small = Exact::new(n.into(), d.into());
        let mid = Exact::new(i128::from(n) << 64 | 1, d.into());
        let wide = mid
            .clone()
            .and_then(|m| m.checked_mul(&Exact::new(i128::MAX / 3, 7)?));
        [small, mid, wide].into_iter().flatten().collect()
    }

    proptest::proptest! {
        /// `derive_pair` (two figures read where they are) and `round` (its figure moved into
        /// the step) keep the same nodes, values, inputs and rounding steps as `derive` and
        /// `derive_rounded` given copies, and fail where they fail, kept or not.
        #[test]
        fn the_paths_without_copies_keep_the_same_nodes(
            a in proptest::prelude::any::<i64>(), b in 1i64..=i64::MAX,
            c in proptest::prelude::any::<i64>(), d in 1i64..=i64::MAX,
            op in 0usize..4, scale in 0u32..=3, mode in 0usize..5, keep in proptest::prelude::any::<bool>(),
        ) {
            use super::{Explanation, Fig, Op, Step, Subj};
            use crate::rounding::{RoundMode, Rounding};
            let op = [Op::Sum, Op::Difference, Op::Product, Op::Quotient][op];
            let policy = Rounding {
                increment: rust_decimal::Decimal::new(1, scale),
                mode: RoundMode::ALL[mode],
            };
            for x in values(a, b) {
                for y in values(c, d) {
                    let (mut one, mut two) = (Explanation::new(keep), Explanation::new(keep));
                    let inputs = |ex: &mut Explanation| {
                        let f = ex.input(&D, Subj::one(0), x.clone());
                        let g = ex.input(&D, Subj::one(1), y.clone());
                        (f.ok(), g.ok())
                    };
                    let ((Some(f1), Some(g1)), (Some(f2), Some(g2))) = (inputs(&mut one), inputs(&mut two)) else {
                        continue;
                    };
                    let copied = one.derive(&D, Subj::one(2), op, &[f1.clone(), g1.clone()]);
                    let by_ref = two.derive_pair(&D, Subj::one(2), op, &f2, &g2);
                    proptest::prop_assert_eq!(copied.as_ref().ok(), by_ref.as_ref().ok());
                    proptest::prop_assert_eq!(copied.is_err(), by_ref.is_err());
                    let rounded = |ex: &mut Explanation, f: Fig, moved: bool| {
                        if moved {
                            ex.round(&D, Subj::one(3), f, policy, Step::Derived)
                        } else {
                            ex.derive_rounded(&D, Subj::one(3), Op::Round, &[f], policy, Step::Derived)
                        }
                    };
                    let r1 = rounded(&mut one, f1, false);
                    let r2 = rounded(&mut two, f2, true);
                    proptest::prop_assert_eq!(r1.as_ref().ok(), r2.as_ref().ok());
                    proptest::prop_assert_eq!(r1.is_err(), r2.is_err());
                    proptest::prop_assert!(one == two);
                    proptest::prop_assert_eq!(one.len(), two.len());
                    for (n1, n2) in one.nodes().zip(two.nodes()) {
                        proptest::prop_assert_eq!(n1.rounding(), n2.rounding());
                        proptest::prop_assert_eq!(n1.inputs(), n2.inputs());
                    }
                }
            }
        }
    }

    /// Every rounded node finds its own step, in a graph with rounded and unrounded nodes.
    #[test]
    fn each_rounded_node_has_its_step() {
        let computed = crate::Offer::sample()
            .compute()
            .unwrap_or_else(|e| panic!("{e}"));
        let ex = &computed.explanation;
        let rounded: Vec<_> = ex.nodes().filter(|n| n.rounding().is_some()).collect();
        assert!(!rounded.is_empty() && rounded.len() < ex.len());
        for n in rounded {
            let step = n.rounding().unwrap_or_else(|| unreachable!());
            assert_eq!(
                n.value(),
                crate::exact::Exact::from(step.after),
                "{}",
                n.key()
            );
        }
        assert!(ex.verify().is_ok());
    }
}
