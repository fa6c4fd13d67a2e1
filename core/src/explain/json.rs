//! How an explanation is written: the node table (`table.rs`), and a node read back with its
//! texts filled (`Serialize for Node`, the form every binding's reader gives), with the
//! schemas of both.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::ser::SerializeMap;
use serde::Serialize;

use super::table::{Kind, Tables, VERSION};
use super::{Explanation, Node, NodeId, Op, RoundingStep, Step, Unit};
use crate::digits::put_u32;
use crate::exact::Exact;
use crate::json_text::{push_str, push_utf8, put_str, Cursor};
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

/// The serde form of a node, through its public texts: the reference that the crate's own
/// writer, `Explanation::write_json`, must equal byte for byte (`to_json`, `to_json_pretty`).
impl Serialize for Node<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("key", &self.key())?;
        map.serialize_entry("label", &self.label())?;
        exact_fields(&mut map, "value", &self.value())?;
        map.serialize_entry("unit", &self.unit())?;
        map.serialize_entry("op", &self.op())?;
        map.serialize_entry("unit_da", &self.unit_da())?;
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

/// A node as the table writes it: its kind, the texts of its blanks, its value, inputs and
/// rounding.
struct Row<'a> {
    node: Node<'a>,
    kind: u32,
    args: &'a [u32],
}

impl Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("kind", &self.kind)?;
        map.serialize_entry("args", self.args)?;
        exact_fields(&mut map, "value", &self.node.slot.value)?;
        map.serialize_entry("inputs", self.node.inputs())?;
        if let Some(r) = self.node.rounding() {
            map.serialize_entry("rounding", r)?;
        }
        map.end()
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut texts: Vec<(&'static str, String)> = Vec::with_capacity(5);
        self.templates(&mut String::new(), |name, text| {
            texts.push((name, text.to_string()))
        });
        let mut map = s.serialize_map(None)?;
        for (name, text) in &texts {
            map.serialize_entry(name, text)?;
            if *name == "label" {
                map.serialize_entry("unit", &self.unit())?;
                map.serialize_entry("op", &self.op)?;
            }
        }
        map.end()
    }
}

/// The written form (format version 2, `table.rs`): the reference that the crate's own
/// writer, `Explanation::write_json`, must equal byte for byte.
impl Serialize for Explanation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut tables = Tables::new(self.len());
        let mut args = Vec::with_capacity(self.len() * 3);
        let mut kinds = Vec::with_capacity(self.len());
        for n in self.nodes() {
            let from = args.len();
            let kind = tables.node(&n, &mut args);
            kinds.push((n, kind, from));
        }
        let ends = kinds
            .iter()
            .skip(1)
            .map(|k| k.2)
            .chain(std::iter::once(args.len()));
        let rows: Vec<Row> = kinds
            .iter()
            .zip(ends)
            .map(|(&(node, kind, from), to)| Row {
                node,
                kind,
                args: args.get(from..to).unwrap_or(&[]),
            })
            .collect();
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("version", &VERSION)?;
        map.serialize_entry("nodes", &rows)?;
        map.serialize_entry("kinds", &tables.kinds)?;
        map.serialize_entry("texts", &tables.texts().collect::<Vec<_>>())?;
        map.end()
    }
}

/// The room of a batch of rows: the rows are written into the caller's buffer (some 25 rows
/// a batch), checked as UTF-8 once and appended.
const BATCH: usize = 3072;

/// The room a row is given before a batch is appended: an ordinary row is some 100 bytes,
/// and one with a rounding step some 250. A longer row is still written whole (the batch
/// before it is appended, and the row written again into the emptied buffer, grown to the
/// size it counted when even that is short).
const ROW: usize = 512;

impl Explanation {
    /// Appends the explanation as compact JSON to `out`: **the same bytes** as
    /// `serde_json::to_string(self)` (tests compare them on every example, conformance case
    /// and hostile name), written without the serde machinery, in one pass: each node's
    /// row is written as its kind and texts are first met, and the tables follow the nodes.
    /// A course's explanation is some 180 nodes of some 100 bytes; field names are
    /// constants, numbers are written from their digits. The rows are written as bytes into
    /// `scratch` (a [`Cursor`]: a bounds check and a store a piece, where a `String` checked
    /// its length and capacity at every push), a batch at a time, each batch checked as
    /// UTF-8 once and appended. `false` when a row could not be written (it did not fit the
    /// room it counted, or was not UTF-8: never met), for the caller to answer an `internal`
    /// error rather than a text with a piece missing.
    pub(crate) fn write_json(&self, out: &mut String, scratch: &mut Vec<u8>) -> bool {
        let mut tables = Tables::new(self.len());
        let mut args = Vec::with_capacity(8);
        let mut enums = EnumNames::default();
        let mut texts = String::with_capacity(128);
        out.push_str("{\"version\":");
        crate::digits::push_int(out, u64::from(VERSION));
        out.push_str(",\"nodes\":[");
        // The room of a batch (the buffer may be longer: the quotes' writer's).
        let mut room = BATCH;
        if scratch.len() < room {
            scratch.resize(room, 0);
        }
        let (start, total) = (out.len(), self.len());
        let mut nodes = self.nodes();
        // A node whose kind is found and whose blanks' texts are in `args`, not yet written.
        let mut next = None;
        // The rows appended.
        let mut done = 0usize;
        loop {
            let mut cursor = Cursor::new(scratch.get_mut(..room).unwrap_or_default());
            // The bytes of the rows of this batch written whole, and their number.
            let (mut whole, mut rows) = (0, 0);
            let mut fits = true;
            loop {
                if next.is_none() {
                    next = nodes.next().map(|node| {
                        args.clear();
                        let kind = tables.node(&node, &mut args);
                        (node, kind)
                    });
                }
                let Some((node, kind)) = &next else {
                    break;
                };
                if whole > 0 && cursor.left() < ROW {
                    break;
                }
                if done + rows > 0 {
                    cursor.put(b",");
                }
                write_row(&mut cursor, node, *kind, &args, &mut enums);
                match cursor.written() {
                    Some(len) => {
                        whole = len;
                        rows += 1;
                        next = None;
                    }
                    None => {
                        fits = false;
                        break;
                    }
                }
            }
            let needed = cursor.finish().err().unwrap_or(0);
            // Out of room (the caller's estimate was short: long names): grow once for the
            // nodes left, at the size of the nodes so far and a quarter more, rather than
            // doubling a text of megabytes.
            if out.capacity() - out.len() < whole.saturating_add(4096) {
                let so_far = out.len().saturating_sub(start).saturating_add(whole);
                let mean = so_far.checked_div(done + rows).unwrap_or(0) + 1;
                let left = total.saturating_sub(done).saturating_mul(mean);
                let _ = out.try_reserve_exact(left.saturating_add(left / 4).saturating_add(4096));
            }
            if !push_utf8(out, scratch.get(..whole).unwrap_or_default()) {
                return false;
            }
            done += rows;
            if next.is_none() {
                break;
            }
            if !fits && whole == 0 {
                // The row alone did not fit the buffer: it is written again in the room it
                // counted (a third time is never needed, and would be a bug: `false`).
                if needed <= room {
                    return false;
                }
                room = needed;
                if scratch.len() < room {
                    scratch.resize(room, 0);
                }
            }
        }
        out.push_str("],\"kinds\":[");
        for (i, kind) in tables.kinds.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_kind(out, kind, &mut enums, &mut texts);
        }
        out.push_str("],\"texts\":[");
        for (i, text) in tables.texts().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(out, text);
        }
        out.push_str("]}");
        true
    }
}

/// The JSON names of the units, operations and rounding steps met so far (by discriminant),
/// and of the rounding policies, each written by serde once (a response has a few; a course
/// some 45 rounded figures).
#[derive(Default)]
struct EnumNames {
    units: Vec<Option<String>>,
    ops: Vec<Option<String>>,
    steps: Vec<Option<String>>,
    policies: Vec<(Rounding, String)>,
}

impl EnumNames {
    fn policy(&mut self, policy: &Rounding) -> &str {
        // Equal as written, not only in value: `Decimal`'s equality ignores the scale, and
        // an increment of "0.010" is written as given.
        let same = |p: &Rounding| p == policy && p.increment.scale() == policy.increment.scale();
        let at = match self.policies.iter().position(|(p, _)| same(p)) {
            Some(at) => at,
            None => {
                let text = serde_json::to_string(policy).unwrap_or_default();
                self.policies.push((*policy, text));
                self.policies.len() - 1
            }
        };
        self.policies.get(at).map_or("", |(_, text)| text.as_str())
    }

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

#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn write_row(
    out: &mut Cursor<'_>,
    node: &Node<'_>,
    kind: u32,
    args: &[u32],
    enums: &mut EnumNames,
) {
    out.put(b"{\"kind\":");
    put_u32(out, kind);
    out.put(b",\"args\":[");
    for (k, a) in args.iter().enumerate() {
        if k > 0 {
            out.put(b",");
        }
        put_u32(out, *a);
    }
    out.put(b"]");
    put_exact(
        out,
        b",\"value\":\"",
        b",\"value_approx\":\"",
        &node.slot.value,
    );
    out.put(b",\"inputs\":[");
    for (k, id) in node.inputs().iter().enumerate() {
        if k > 0 {
            out.put(b",");
        }
        put_u32(out, id.0);
    }
    out.put(b"]");
    if let Some(r) = node.rounding() {
        out.put(b",\"rounding\":{\"step\":");
        out.put_text(EnumNames::get(&mut enums.steps, r.step as usize, &r.step).as_bytes());
        out.put(b",\"policy\":");
        out.put(enums.policy(&r.policy).as_bytes());
        put_exact(out, b",\"before\":\"", b",\"before_approx\":\"", &r.before);
        out.put(b",\"after\":\"");
        crate::digits::put_decimal(out, &r.after);
        out.put(b"\"}");
    }
    out.put(b"}");
}

fn write_kind(out: &mut String, kind: &Kind, enums: &mut EnumNames, scratch: &mut String) {
    out.push('{');
    kind.templates(scratch, |name, text| {
        if name != "key" {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push_str("\":");
        if name == "unit_da" {
            // The core's own words, with nothing to escape (a test holds every unit to it).
            out.push('"');
            out.push_str(text);
            out.push('"');
        } else {
            push_str(out, text);
        }
        if name == "label" {
            out.push_str(",\"unit\":");
            out.push_str(EnumNames::get(
                &mut enums.units,
                kind.unit() as usize,
                &kind.unit(),
            ));
            out.push_str(",\"op\":");
            out.push_str(EnumNames::get(&mut enums.ops, kind.op as usize, &kind.op));
        }
    });
    out.push('}');
}

/// `,"name":"value"` for an exact value, and `,"name_approx":"…"` when it has no `Decimal`
/// form, as [`exact_fields`] writes them: `field` is `,"name":"` and `approx` is
/// `,"name_approx":"` (arrays, so that each is copied as a constant, not by a call).
#[inline]
fn put_exact<const F: usize, const A: usize>(
    out: &mut Cursor<'_>,
    field: &[u8; F],
    approx: &[u8; A],
    v: &Exact,
) {
    // Digits, a sign and a point: nothing to escape.
    out.put(field);
    let approx_value = if let Some(decimal) = v.put_plain_text(out) {
        // Also for a plain decimal: one with more than 28 decimals or 96 bits has no
        // `Decimal`.
        if decimal {
            None
        } else {
            approx_of(v)
        }
    } else if let Some(decimal) = v.put_text128(out) {
        // `approx_of` without looking for a `Decimal` again.
        match decimal {
            Some(_) => None,
            None => v.approx(12).map(|a| a.normalize()),
        }
    } else {
        let text = v.to_string();
        put_str(out, &text);
        // A fraction (written `p/q`) has no finite decimal form, so no `Decimal`.
        if text.contains('/') {
            v.approx(12).map(|a| a.normalize())
        } else {
            approx_of(v)
        }
    };
    out.put(b"\"");
    if let Some(a) = approx_value {
        out.put(approx);
        crate::digits::put_decimal(out, &a);
        out.put(b"\"");
    }
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

/// A node as written: a row of the node table (for the JSON Schema only).
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename = "NodeRow")]
struct RowSchema {
    /// Its kind: an index into `kinds`.
    kind: u32,
    /// The texts that fill its kind's blanks: `{n}` in the kind's templates is
    /// `texts[args[n]]`.
    args: Vec<u32>,
    /// The exact value: a decimal, or a fraction `p/q` when it has no finite decimal form.
    value: Exact,
    /// When `value` has no 28-place decimal form (a fraction, or a longer decimal): the value
    /// to 12 decimals, for display.
    #[schemars(with = "Option<crate::num::Num>")]
    value_approx: Option<Decimal>,
    /// The nodes the operation was applied to, in order (a node's id is its position in
    /// `nodes`).
    inputs: Vec<NodeId>,
    /// Present when the value was rounded.
    rounding: Option<RoundingStep>,
}

/// A kind of node: its texts as templates with positional blanks `{0}`, `{1}`, … filled
/// from the node's `args`.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename = "NodeKind")]
struct KindSchema {
    /// The key's template, e.g. `service.{0}.day`.
    key: String,
    /// The Danish label's template.
    label: String,
    /// The unit of the value.
    unit: Unit,
    /// The operation.
    op: Op,
    /// The unit in Danish, a template (`kr. pr. {2}`: "døgn" for a figure of a residential
    /// offer's sheet, "dag" for a day offer's).
    unit_da: String,
    /// For inputs: the template of the request field the value was read from.
    path: Option<String>,
    /// The rule in words (Danish), a template.
    rule: String,
    /// Law, agreement, convention, or (a blank) the source the request gives for an input.
    source: Option<String>,
}

/// The serialised form of an explanation, for the JSON Schema only.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename = "Explanation")]
struct ExplanationSchema {
    /// The format of the explanation: 3, the node table (2 had no `unit_da`).
    version: u32,
    /// Every figure, inputs before the figures computed from them. A node read back is its
    /// kind's fields with every `{n}` replaced by `texts[args[n]]`, its `id` (its position),
    /// `value`, `value_approx`, `inputs` and `rounding`.
    nodes: Vec<RowSchema>,
    /// The kinds of node, each written once.
    kinds: Vec<KindSchema>,
    /// Every text that fills a blank, once.
    texts: Vec<String>,
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

    /// `write_kind` writes a kind's Danish unit without escaping it: every unit's words, in
    /// every day blank, have nothing serde_json would escape.
    #[test]
    fn the_units_danish_words_need_no_escaping() {
        let units = [
            Unit::Kr,
            Unit::KrPerDay,
            Unit::KrPerMonth,
            Unit::KrPerYear,
            Unit::KrPerHour,
            Unit::KrPerKm,
            Unit::KrPerDayPerWeeklyHour,
            Unit::Days,
            Unit::Places,
            Unit::Citizens,
            Unit::Percent,
            Unit::Ratio,
            Unit::HoursPerWeek,
            Unit::DayHours,
            Unit::Number,
            Unit::Hours,
        ];
        for unit in units {
            for day in ["w", "bw", "sw", "ow", "pw", "tw"] {
                let words = unit.template_da(day);
                let escaped = serde_json::to_string(words).unwrap_or_default();
                assert_eq!(escaped, format!("\"{words}\""), "{unit:?}");
                assert_eq!(words.contains('{'), unit.per_day(), "{unit:?}");
            }
        }
    }

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
        let mut buf = vec![0; 512];
        let mut cursor = Cursor::new(&mut buf);
        cursor.put(b"{\"id\":0");
        put_exact(&mut cursor, b",\"value\":\"", b",\"value_approx\":\"", v);
        cursor.put(b"}");
        let len = cursor.finish().unwrap();
        String::from_utf8(buf[..len].to_vec()).unwrap()
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
