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
//!
//! # The parts
//!
//! | file | what it does |
//! |---|---|
//! | `mod.rs` | the arena ([`Explanation`]): its slots, limits and the figure a rule holds |
//! | `desc.rs` | what a kind of figure is: its description, unit, operation, rounding step |
//! | `record.rs` | recording: the calls the rules make (input, derive, round) and naming |
//! | `arith.rs` | the one implementation of each operation, and its failures |
//! | `names.rs` | the names that fill the templates' blanks |
//! | `read.rs` | reading a kept graph: by id, in order, by key; recomputing and verifying it |
//! | `node.rs` | one node with its texts filled when asked for |
//! | `table.rs`, `json.rs` | writing it: the node table and its JSON, and their schemas |
//! | `text.rs` | a figure's explanation as an indented Danish text tree |

mod arith;
mod desc;
mod json;
mod names;
mod node;
mod read;
mod record;
mod table;
mod text;

pub(crate) use desc::{Desc, Origin, Subj, AVERAGE_TARGET};
pub use desc::{Op, RoundingStep, Step, Unit};
pub use node::Node;
/// The format version of a written explanation (the node table), for the empty one a build
/// without the `explain` feature writes.
#[cfg(not(feature = "explain"))]
pub(crate) use table::VERSION as FORMAT_VERSION;

pub(crate) use names::{Entry, LineName, Names, PartTimeName, SheetBase, SheetName};

use std::cell::OnceCell;
use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::exact::Exact;

/// Index of a node in its [`Explanation`]. Serialised as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The id of a figure computed by an arena that keeps no nodes.
    const UNKEPT: NodeId = NodeId(u32::MAX);
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
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
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

/// Whether this build keeps explanation graphs at all (the `explain` feature).
const KEEPS: bool = cfg!(feature = "explain");

/// The default most nodes one explanation may hold (see [`crate::Limits`]).
pub(crate) const DEFAULT_MAX_NODES: usize = 4_000_000;

impl Explanation {
    /// An arena that keeps its nodes when `keep` is true, and otherwise only computes.
    pub(crate) fn new(keep: bool) -> Explanation {
        Explanation {
            keep: keep && KEEPS,
            max_nodes: DEFAULT_MAX_NODES,
            ..Explanation::default()
        }
    }

    /// Room for about `nodes` more nodes when the graph is kept (a hint, never a limit: the
    /// arena grows past it as it must). A node's slot is 160 bytes: an arena grown from
    /// empty copied itself seven times over for one offer (callgrind: 6 % of the
    /// instructions of computing an offer with its graph were `memcpy` under `realloc`).
    pub(crate) fn reserve(&mut self, nodes: usize) {
        if self.keeps() {
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

    /// Whether the arena keeps its nodes. Never in a build without the `explain` feature:
    /// there the compiler sees that no node is kept, and leaves out the code that keeps and
    /// writes them.
    #[inline(always)]
    pub(crate) fn keeps(&self) -> bool {
        KEEPS && self.keep
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when the graph has no nodes (it was not kept, or nothing was computed).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
mod tests;
