//! How an explanation is written: every node with its texts filled, and the schemas of
//! that form.

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
        map.serialize_entry("after", &self.after)?;
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
