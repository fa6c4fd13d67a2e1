//! A view of one node of an explanation: its key, label, rule, path and source are filled
//! from the node's description and the arena's names when asked for.

use super::{Explanation, NodeId, Op, Origin, RoundingStep, Slot, Unit};
use crate::exact::Exact;

/// The rule of an input: its value was given.
pub(super) const INPUT_RULE: &str = "angivet i forespørgslen";

/// A view of one node of an [`Explanation`].
#[derive(Clone, Copy)]
pub struct Node<'a> {
    pub(super) ex: &'a Explanation,
    pub(super) id: NodeId,
    pub(super) slot: &'a Slot,
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
    /// The unit in Danish, e.g. "kr. pr. døgn": a figure of a day offer's sheet says "dag",
    /// of a residential offer's "døgn", also in a request that has both.
    pub fn unit_da(&self) -> String {
        let mut out = String::new();
        self.ex
            .fill(self.slot.desc.unit_da(), self.slot.subj, &mut out);
        out
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
            return INPUT_RULE.into();
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
        self.given_source()
            .or(self.slot.desc.source)
            .map(str::to_string)
    }
    /// The source the request gives for an input (a cost line's or a sheet's), if any.
    pub(super) fn given_source(&self) -> Option<&'a str> {
        let names = &self.ex.names;
        match self.slot.origin {
            Origin::None => None,
            Origin::CostLine => names
                .costs
                .get(self.slot.subj.a as usize)
                .and_then(|(_, s)| *s)
                .map(|s| names.get(s)),
            Origin::Sheet(k) => names
                .sheets
                .get(k as usize)
                .and_then(|s| s.source)
                .map(|s| names.get(s)),
        }
    }
    /// The rounding, if the value was rounded.
    pub fn rounding(&self) -> Option<&'a RoundingStep> {
        self.ex.roundings.get(self.slot.rounding as usize)
    }
}
