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

mod names;
mod text;

use names::fill;
pub(crate) use names::{Entry, LineName, Names, PartTimeName, SheetBase, SheetName};

use std::cell::OnceCell;
use std::collections::HashMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::ser::{SerializeMap, SerializeSeq};
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
#[schemars(with = "RoundingStepSchema")]
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

impl Serialize for RoundingStep {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("step", &self.step)?;
        map.serialize_entry("policy", &self.policy)?;
        exact_fields(&mut map, "before", &self.before)?;
        map.serialize_entry("after", &self.after)?;
        map.end()
    }
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
    rounding: Option<RoundingStep>,
    origin: Origin,
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
    names: Names,
    /// Where the next sheet's entries start in the name tables (counted even when names
    /// are not kept).
    next: SheetBase,
    /// The next derived tariff's and invoice line's index in the name tables.
    next_tariff: u32,
    next_line: u32,
    next_party: u32,
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

/// An arithmetic failure, before it is given a path.
enum Fail {
    Overflow,
    DivisionByZero,
    Malformed,
}

/// Applies `op` to `n` values, the i-th given by `v(i)`: the one implementation of every
/// operation, used to compute a figure and to recompute it.
fn apply<'a>(op: Op, n: usize, v: impl Fn(usize) -> &'a Exact) -> Result<Exact, Fail> {
    let sum = |from: usize| {
        (from..n)
            .try_fold(Exact::ZERO, |acc, i| acc.checked_add(v(i)))
            .ok_or(Fail::Overflow)
    };
    match op {
        Op::Input | Op::Constant | Op::Round if n == 1 => Ok(v(0).clone()),
        Op::Sum => sum(0),
        Op::Difference if n >= 1 => v(0).checked_sub(&sum(1)?).ok_or(Fail::Overflow),
        Op::Product => (0..n)
            .try_fold(Exact::ONE, |acc, i| acc.checked_mul(v(i)))
            .ok_or(Fail::Overflow),
        Op::Quotient if n == 2 => {
            let divisor = v(1);
            if divisor.is_zero() {
                Err(Fail::DivisionByZero)
            } else {
                v(0).checked_div(divisor).ok_or(Fail::Overflow)
            }
        }
        Op::Negate if n == 1 => v(0).checked_neg().ok_or(Fail::Overflow),
        Op::Mean if n > 0 => sum(0)?
            .checked_div(&Exact::from(n as i64))
            .ok_or(Fail::Overflow),
        Op::Mean => Err(Fail::DivisionByZero),
        Op::Min | Op::Max if n > 0 => {
            let mut best = v(0);
            for i in 1..n {
                let x = v(i);
                if (op == Op::Min && x < best) || (op == Op::Max && x > best) {
                    best = x;
                }
            }
            Ok(best.clone())
        }
        Op::PercentOf if n == 2 => v(0)
            .checked_mul(v(1))
            .and_then(|x| x.checked_div(&Exact::from(100i64)))
            .ok_or(Fail::Overflow),
        // A node with the wrong number of inputs: only a bug can make one.
        _ => Err(Fail::Malformed),
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

    pub(crate) fn with_max_nodes(mut self, max: usize) -> Explanation {
        self.max_nodes = max;
        self
    }

    /// Names a derived tariff (its key and label are made only when the graph is kept);
    /// returns its index for the `{tk}`/`{tl}` blanks.
    pub(crate) fn tariff_name(
        &mut self,
        key: impl FnOnce() -> String,
        label: impl FnOnce() -> String,
    ) -> usize {
        let i = self.next_tariff as usize;
        self.next_tariff += 1;
        if self.keep {
            self.names.tariffs.push((key(), label()));
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

    /// The key prefix of sheet `k` ("" when names are not kept).
    pub(crate) fn sheet_key_prefix(&self, k: u32) -> String {
        self.names
            .sheets
            .get(k as usize)
            .map(|s| s.key_prefix.clone())
            .unwrap_or_default()
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

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when the graph has no nodes (it was not kept, or nothing was computed).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn push(&mut self, slot: Slot, args: &[Fig]) -> Result<NodeId, Error> {
        if !self.keep {
            return Ok(NodeId::UNKEPT);
        }
        if self.slots.len() >= self.max_nodes {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                "options.explain",
                format!(
                    "the explanation would have more than {} figures; ask for \
                     options.explain = false or split the request",
                    self.max_nodes
                ),
                format!(
                    "Forklaringen ville få mere end {} tal; vælg `options.explain = false`, \
                     eller del forespørgslen op.",
                    crate::danish::int(self.max_nodes)
                ),
            ));
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
    pub(crate) fn constant(&mut self, d: &'static Desc, value: Exact) -> Result<Fig, Error> {
        self.leaf(d, Subj::NONE, value, Op::Constant, Origin::None)
    }

    /// Records a constant about a subject (a calendar count, a package number).
    pub(crate) fn constant_at(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
    ) -> Result<Fig, Error> {
        self.leaf(d, s, value, Op::Constant, Origin::None)
    }

    fn leaf(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
        op: Op,
        origin: Origin,
    ) -> Result<Fig, Error> {
        if !self.keep {
            return Ok(Fig {
                id: NodeId::UNKEPT,
                v: value,
            });
        }
        let slot = Slot {
            desc: d,
            subj: s,
            value: value.clone(),
            op,
            args_from: 0,
            args_len: 0,
            rounding: None,
            origin,
        };
        let id = self.push(slot, &[])?;
        Ok(Fig { id, v: value })
    }

    /// Applies `op` to the inputs and records the node. Fails with `division_by_zero` or
    /// `overflow` at the desc's path.
    pub(crate) fn derive(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
    ) -> Result<Fig, Error> {
        let value = self.compute(d, s, op, args)?;
        if !self.keep {
            return Ok(Fig {
                id: NodeId::UNKEPT,
                v: value,
            });
        }
        let slot = Slot {
            desc: d,
            subj: s,
            value: value.clone(),
            op,
            args_from: 0,
            args_len: 0,
            rounding: None,
            origin: Origin::None,
        };
        let id = self.push(slot, args)?;
        Ok(Fig { id, v: value })
    }

    /// Applies `op`, then rounds the exact result once with `policy` at the named step.
    /// Returns the figure and its value as a `Decimal`.
    pub(crate) fn derive_rounded(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        let before = self.compute(d, s, op, args)?;
        let after = policy
            .apply_exact(&before)
            .ok_or_else(|| fail(d, s, Fail::Overflow))?;
        let value = Exact::from(after);
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
            desc: d,
            subj: s,
            value: value.clone(),
            op,
            args_from: 0,
            args_len: 0,
            rounding: Some(RoundingStep {
                step,
                policy,
                before,
                after,
            }),
            origin: Origin::None,
        };
        let id = self.push(slot, args)?;
        Ok((Fig { id, v: value }, after))
    }

    /// Rounds one figure: [`Self::derive_rounded`] with [`Op::Round`].
    pub(crate) fn round(
        &mut self,
        d: &'static Desc,
        s: Subj,
        arg: Fig,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        self.derive_rounded(d, s, Op::Round, &[arg], policy, step)
    }

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
        match &slot.rounding {
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
            if let Some(r) = &node.slot.rounding {
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

fn fail(d: &'static Desc, s: Subj, f: Fail) -> Error {
    let mut path = String::new();
    fill(d.path, s, &Names::default(), &mut path);
    let mut label = String::new();
    fill(d.label, s, &Names::default(), &mut label);
    let figure = if d.rule.is_empty() {
        format!("Tallet \"{label}\"")
    } else {
        format!("Tallet \"{label}\" ({})", d.rule)
    };
    match f {
        Fail::Overflow => Error::new(
            ErrorCode::Overflow,
            path,
            format!(
                "{} cannot be computed exactly: the numbers grow beyond 128-bit fractions; \
                 check the size of the figures given here",
                d.rule
            ),
            format!(
                "{figure} kan ikke beregnes præcist: tallene bliver for store til 128-bit \
                 brøker; kontrollér størrelsen af de tal, der er angivet her."
            ),
        ),
        Fail::DivisionByZero => Error::new(
            ErrorCode::DivisionByZero,
            path,
            format!("{} cannot be computed: it would divide by zero", d.rule),
            format!("{figure} kan ikke beregnes, fordi det ville kræve division med 0."),
        ),
        Fail::Malformed => Error::new(
            ErrorCode::Internal,
            path,
            format!("{}: a figure was given the wrong number of inputs", d.rule),
            format!("{figure}: en beregning fik et forkert antal inddata (en fejl i takst)."),
        ),
    }
}

/// A view of one node of an [`Explanation`].
#[derive(Clone, Copy)]
pub struct Node<'a> {
    ex: &'a Explanation,
    id: NodeId,
    slot: &'a Slot,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Node({} = {})", self.key(), self.value())
    }
}

impl<'a> Node<'a> {
    /// Position in the graph.
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// Stable key, unique in the graph, e.g. `service.udredning.day`.
    pub fn key(&self) -> String {
        let mut out = String::new();
        self.ex.fill(self.slot.desc.key, self.slot.subj, &mut out);
        out
    }
    /// Danish label, e.g. "Udredningsmodul, pr. døgn".
    pub fn label(&self) -> String {
        let mut out = String::new();
        self.ex.fill(self.slot.desc.label, self.slot.subj, &mut out);
        out
    }
    /// The exact value.
    pub fn value(&self) -> Exact {
        self.slot.value.clone()
    }
    /// The unit of the value.
    pub fn unit(&self) -> Unit {
        self.slot.desc.unit
    }
    /// The operation.
    pub fn op(&self) -> Op {
        self.slot.op
    }
    /// The nodes the operation was applied to, in order.
    pub fn inputs(&self) -> &'a [NodeId] {
        let from = self.slot.args_from as usize;
        let to = from + self.slot.args_len as usize;
        self.ex.args.get(from..to).unwrap_or(&[])
    }
    /// The rule in words (Danish).
    pub fn rule(&self) -> String {
        if self.slot.op == Op::Input {
            return "angivet i forespørgslen".into();
        }
        let mut out = String::new();
        self.ex.fill(self.slot.desc.rule, self.slot.subj, &mut out);
        out
    }
    /// For inputs: the request field the value was read from, e.g. `offer.costs[2].amount`.
    pub fn path(&self) -> Option<String> {
        (self.slot.op == Op::Input).then(|| {
            let mut out = String::new();
            self.ex.fill(self.slot.desc.path, self.slot.subj, &mut out);
            out
        })
    }
    /// Where the rule or value comes from: law, agreement, convention, or the source the
    /// request gives for an input (a budget account, "KKR 2026").
    pub fn source(&self) -> Option<String> {
        let names = &self.ex.names;
        let given = match self.slot.origin {
            Origin::None => None,
            Origin::CostLine => names
                .costs
                .get(self.slot.subj.a as usize)
                .and_then(|(_, s)| s.clone()),
            Origin::Sheet(k) => names.sheets.get(k as usize).and_then(|s| s.source.clone()),
        };
        given.or_else(|| self.slot.desc.source.map(str::to_string))
    }
    /// The rounding, if the value was rounded.
    pub fn rounding(&self) -> Option<&'a RoundingStep> {
        self.slot.rounding.as_ref()
    }
}

/// Writes a node's value: always exact; `approx` only when it is a fraction.
fn exact_fields<M: SerializeMap>(map: &mut M, name: &str, v: &Exact) -> Result<(), M::Error> {
    map.serialize_entry(name, v)?;
    if v.to_decimal().is_none() {
        if let Some(a) = v.approx(12) {
            map.serialize_entry(&format!("{name}_approx"), &a.normalize())?;
        }
    }
    Ok(())
}

impl Serialize for Node<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("key", &self.key())?;
        map.serialize_entry("label", &self.label())?;
        exact_fields(&mut map, "value", &self.value())?;
        map.serialize_entry("unit", &self.unit())?;
        map.serialize_entry("op", &self.op())?;
        if let Some(path) = self.path() {
            map.serialize_entry("path", &path)?;
        }
        map.serialize_entry("inputs", self.inputs())?;
        map.serialize_entry("rule", &self.rule())?;
        if let Some(source) = self.source() {
            map.serialize_entry("source", &source)?;
        }
        if let Some(r) = self.rounding() {
            map.serialize_entry("rounding", r)?;
        }
        map.end()
    }
}

impl Serialize for Explanation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Nodes<'a>(&'a Explanation);
        impl Serialize for Nodes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.0.len()))?;
                for n in self.0.nodes() {
                    seq.serialize_element(&n)?;
                }
                seq.end()
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("nodes", &Nodes(self))?;
        map.end()
    }
}

/// The serialised form of a node, for the JSON Schema only.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename = "Node")]
struct NodeSchema {
    /// Position in the graph; `inputs` refer to ids.
    id: NodeId,
    /// Stable key, unique in the graph, e.g. `service.udredning.day`.
    key: String,
    /// Danish label.
    label: String,
    /// The exact value: a decimal, or a fraction `p/q` when it has no finite decimal form.
    value: Exact,
    /// When `value` is a fraction: the value to 12 decimals, for display.
    #[schemars(with = "Option<crate::num::Num>")]
    value_approx: Option<Decimal>,
    /// The unit of the value.
    unit: Unit,
    /// The operation.
    op: Op,
    /// For inputs: the request field the value was read from.
    path: Option<String>,
    /// The nodes the operation was applied to, in order.
    inputs: Vec<NodeId>,
    /// The rule in words (Danish).
    rule: String,
    /// Law, agreement, convention, or the source the request gives for an input.
    source: Option<String>,
    /// Present when the value was rounded.
    rounding: Option<RoundingStep>,
}

/// The serialised form of a rounding step, for the JSON Schema only.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename = "RoundingStep")]
struct RoundingStepSchema {
    /// The named step.
    step: Step,
    /// The policy applied.
    policy: Rounding,
    /// The exact value before rounding: a decimal, or a fraction `p/q`.
    before: Exact,
    /// When `before` is a fraction: the value to 12 decimals, for display.
    #[schemars(with = "Option<crate::num::Num>")]
    before_approx: Option<Decimal>,
    /// The value after rounding (equal to the node's value).
    #[schemars(with = "crate::num::Num")]
    after: Decimal,
}

/// The serialised form of an explanation, for the JSON Schema only.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename = "Explanation")]
struct ExplanationSchema {
    /// Every figure, inputs before the figures computed from them.
    nodes: Vec<NodeSchema>,
}

impl JsonSchema for Explanation {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Explanation".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ExplanationSchema::json_schema(generator)
    }
}
