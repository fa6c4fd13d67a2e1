//! How an explanation is written: every node with its texts filled, and the schemas of
//! that form.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::Serialize;

use super::{Explanation, Node, NodeId, Op, RoundingStep, Step, Unit};
use crate::exact::Exact;
use crate::json_text::{push_serde, push_str};
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

/// Writes a node's value: always exact; `approx` only when it has no `Decimal` form (a
/// fraction, or a decimal of more than 28 places or 96 bits).
fn exact_fields<M: SerializeMap>(map: &mut M, name: &str, v: &Exact) -> Result<(), M::Error> {
    map.serialize_entry(name, v)?;
    if let Some(a) = approx_of(v) {
        map.serialize_entry(&format!("{name}_approx"), &a)?;
    }
    Ok(())
}

/// The value to 12 decimals, for display, when it has no `Decimal` form (a fraction, more
/// than 28 decimals, or more than 96 bits): what `name_approx` holds.
fn approx_of(v: &Exact) -> Option<Decimal> {
    if v.to_decimal().is_some() {
        return None;
    }
    v.approx(12).map(|a| a.normalize())
}

/// The serde form of a node, through its public texts: the reference that
/// [`Explanation::write_json`] must equal byte for byte (`to_json`, `to_json_pretty`).
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

impl Explanation {
    /// Appends the explanation as compact JSON to `out`: **the same bytes** as
    /// `serde_json::to_string(self)` (tests compare them on every example, conformance case
    /// and hostile name), written without the serde machinery. A course's explanation is
    /// some 180 nodes of some 290 bytes, and serde_json looks at every byte of every string
    /// and key it writes to escape it; here the field names are constants, numbers are
    /// written from their digits, and a filled text is checked for a character to escape
    /// with one pass the compiler vectorises — the rare text that has one (a name with a
    /// quote or a control character) is written by serde_json.
    pub(crate) fn write_json(&self, out: &mut String) {
        let mut scratch = String::with_capacity(128);
        let mut enums = EnumNames::default();
        out.push_str("{\"nodes\":[");
        let (start, total) = (out.len(), self.len());
        for (i, node) in self.nodes().enumerate() {
            if i > 0 {
                out.push(',');
                // Out of room (the caller's estimate was short: long names): grow once
                // for the nodes left, at the size of the nodes so far and a quarter more,
                // rather than doubling a text of megabytes.
                if out.capacity() - out.len() < 4096 {
                    let mean = (out.len() - start).checked_div(i).unwrap_or(0) + 1;
                    let left = (total - i).saturating_mul(mean);
                    let _ =
                        out.try_reserve_exact(left.saturating_add(left / 4).saturating_add(4096));
                }
            }
            write_node(out, &node, &mut scratch, &mut enums);
        }
        out.push_str("]}");
    }
}

/// The JSON names of the units and operations met so far (by discriminant), each written by
/// serde once.
#[derive(Default)]
struct EnumNames {
    units: Vec<Option<String>>,
    ops: Vec<Option<String>>,
}

impl EnumNames {
    fn get<'a, T: Serialize>(table: &'a mut Vec<Option<String>>, index: usize, v: &T) -> &'a str {
        if table.len() <= index {
            table.resize(index + 1, None);
        }
        match table.get_mut(index) {
            Some(slot) => slot
                .get_or_insert_with(|| serde_json::to_string(v).unwrap_or_default())
                .as_str(),
            None => "",
        }
    }
}

fn write_node(out: &mut String, node: &Node<'_>, scratch: &mut String, enums: &mut EnumNames) {
    let desc = node.slot.desc;
    let input = node.op() == Op::Input;
    let mut text = |out: &mut String, name: &str, template: &str| {
        out.push_str(name);
        scratch.clear();
        node.fill_into(template, scratch);
        push_str(out, scratch);
    };
    out.push_str("{\"id\":");
    crate::digits::push_int(out, u64::from(node.id.0));
    text(out, ",\"key\":", desc.key);
    text(out, ",\"label\":", desc.label);
    push_exact(out, "value", &node.slot.value);
    out.push_str(",\"unit\":");
    out.push_str(EnumNames::get(
        &mut enums.units,
        desc.unit as usize,
        &desc.unit,
    ));
    out.push_str(",\"op\":");
    let op = node.op();
    out.push_str(EnumNames::get(&mut enums.ops, op as usize, &op));
    if input {
        text(out, ",\"path\":", desc.path);
    }
    out.push_str(",\"inputs\":[");
    for (k, id) in node.inputs().iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        crate::digits::push_int(out, u64::from(id.0));
    }
    out.push(']');
    if input {
        out.push_str(",\"rule\":");
        push_str(out, super::node::INPUT_RULE);
    } else {
        text(out, ",\"rule\":", desc.rule);
    }
    if let Some(source) = node.given_source().or(desc.source) {
        out.push_str(",\"source\":");
        push_str(out, source);
    }
    if let Some(r) = node.rounding() {
        out.push_str(",\"rounding\":{\"step\":");
        push_serde(out, &r.step);
        out.push_str(",\"policy\":");
        push_serde(out, &r.policy);
        push_exact(out, "before", &r.before);
        out.push_str(",\"after\":\"");
        crate::digits::push_decimal(out, &r.after);
        out.push_str("\"}");
    }
    out.push('}');
}

/// `,"name":"value"` for an exact value, and `,"name_approx":"…"` when it has no `Decimal`
/// form, as [`exact_fields`] writes them.
fn push_exact(out: &mut String, name: &str, v: &Exact) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
    // Digits, a sign and a point: nothing to escape.
    out.push('"');
    if v.push_plain_text(out) {
        out.push('"');
    } else {
        out.pop();
        push_str(out, &v.to_string());
    }
    // Also for a plain decimal: one with more than 28 decimals or 96 bits has no `Decimal`.
    if let Some(a) = approx_of(v) {
        out.push_str(",\"");
        out.push_str(name);
        out.push_str("_approx\":\"");
        crate::digits::push_decimal(out, &a);
        out.push('"');
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
    /// When `value` has no 28-place decimal form (a fraction, or a longer decimal): the value
    /// to 12 decimals, for display.
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
    /// When `before` has no 28-place decimal form (a fraction, or a longer decimal): the
    /// value to 12 decimals, for display.
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `"value":…` (and `value_approx`) as the serde impl writes it, inside `{…}`.
    fn serde_fields(v: &Exact) -> String {
        struct One<'a>(&'a Exact);
        impl Serialize for One<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("id", &0)?;
                exact_fields(&mut map, "value", self.0)?;
                map.end()
            }
        }
        serde_json::to_string(&One(v)).unwrap()
    }

    fn ours(v: &Exact) -> String {
        let mut out = String::from("{\"id\":0");
        push_exact(&mut out, "value", v);
        out.push('}');
        out
    }

    #[test]
    fn a_value_without_a_decimal_form_keeps_its_approx() {
        // scale 29: a Decimal holds at most 28
        let v = Exact::new(102_000_000_000_000_000_000_000_000_001, 10i128.pow(29)).unwrap();
        assert_eq!(ours(&v), serde_fields(&v));
        // scale 24, a 30-digit mantissa (> 96 bits): 1.96 % over six years
        let v = Exact::new(127_005_531_219_696_033_795_758_665_728, 10i128.pow(24)).unwrap();
        assert_eq!(ours(&v), serde_fields(&v));
    }

    proptest! {
        #[test]
        fn push_exact_writes_as_exact_fields(n in any::<i128>(), k in 0u32..=38, d in 1i128..1000) {
            for v in [Exact::new(n, 10i128.pow(k)), Exact::new(n, d)].into_iter().flatten() {
                prop_assert_eq!(ours(&v), serde_fields(&v));
            }
        }
    }
}
