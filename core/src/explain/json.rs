//! How an explanation is written: every node with its texts filled, and the schemas of
//! that form.

use std::cell::RefCell;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::Serialize;

use super::{Explanation, Node, NodeId, Op, RoundingStep, Step, Unit};
use crate::exact::Exact;
use crate::rounding::Rounding;

impl Serialize for RoundingStep {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("step", &self.step)?;
        map.serialize_entry("policy", &self.policy)?;
        exact_fields(&mut map, "before", &self.before)?;
        map.serialize_entry("after", crate::digits::decimal(&self.after).as_str())?;
        map.end()
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
        Written {
            node: *self,
            scratch: &RefCell::new(String::new()),
        }
        .serialize(s)
    }
}

/// A node being written, with one buffer that its texts are filled into in turn (shared by
/// all the nodes of an explanation: a node's five texts cost no allocation).
struct Written<'a, 'b> {
    node: Node<'a>,
    scratch: &'b RefCell<String>,
}

impl Written<'_, '_> {
    /// Writes one text, filled from its template into the scratch buffer.
    fn text<M: SerializeMap>(
        &self,
        map: &mut M,
        name: &str,
        template: &str,
    ) -> Result<(), M::Error> {
        let mut buf = self.scratch.borrow_mut();
        buf.clear();
        self.node.fill_into(template, &mut buf);
        map.serialize_entry(name, buf.as_str())
    }
}

impl Serialize for Written<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let node = &self.node;
        let desc = node.slot.desc;
        let input = node.op() == Op::Input;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &node.id)?;
        self.text(&mut map, "key", desc.key)?;
        self.text(&mut map, "label", desc.label)?;
        exact_fields(&mut map, "value", &node.slot.value)?;
        map.serialize_entry("unit", &node.unit())?;
        map.serialize_entry("op", &node.op())?;
        if input {
            self.text(&mut map, "path", desc.path)?;
        }
        map.serialize_entry("inputs", node.inputs())?;
        if input {
            map.serialize_entry("rule", super::node::INPUT_RULE)?;
        } else {
            self.text(&mut map, "rule", desc.rule)?;
        }
        match node.given_source() {
            Some(source) => map.serialize_entry("source", source)?,
            None => {
                if let Some(source) = desc.source {
                    map.serialize_entry("source", source)?;
                }
            }
        }
        if let Some(r) = node.rounding() {
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
                let scratch = RefCell::new(String::with_capacity(128));
                let mut seq = s.serialize_seq(Some(self.0.len()))?;
                for node in self.0.nodes() {
                    seq.serialize_element(&Written {
                        node,
                        scratch: &scratch,
                    })?;
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
pub(super) struct RoundingStepSchema {
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
