//! Reading a kept graph: its nodes by id, in order or by key, and recomputing them exactly
//! from their recorded inputs ([`Explanation::verify`]).

use std::collections::HashMap;

use super::arith::apply;
use super::names::fill;
use super::{Explanation, Node, NodeId, Op, Subj};
use crate::exact::Exact;

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

impl Explanation {
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
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
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
    pub(super) fn fill(&self, template: &str, s: Subj, out: &mut String) {
        fill(template, s, &self.names, out);
    }
}
