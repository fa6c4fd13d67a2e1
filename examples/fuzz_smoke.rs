//! A smoke fuzz run on stable Rust: mutates valid requests the way a careless or hostile
//! user would and checks every response (the libFuzzer targets in `fuzz/` go further):
//!
//!     cargo run --release --example fuzz_smoke -- 300000
//!
//! Seeds are every conformance request (`tests/cases`) and the example requests `elbaek`,
//! `realistic`, `catalogue` and `einvoice` (its e-invoicing section's keys and values are
//! among the mutations). Each execution
//! applies one to four request-aware mutations — replace a value with an extreme or
//! ill-typed one, delete or rename a key, add an unknown key, repeat a key, copy a subtree
//! elsewhere, write an object as a list, nest deeply, truncate the text, or turn the request
//! into TOML — and evaluates the result. A response that is not JSON, an `internal` error,
//! a panic, or an `ok` response whose explanation does not recompute exactly is a failure:
//! the program prints the request and exits with status 1. The run is deterministic for a
//! given seed (second argument, default 1).

use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;

/// xorshift64*: a few lines of deterministic randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const VALUES: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "0.5",
    "-0.5",
    "100",
    "101",
    "1000",
    "365",
    "366",
    "367",
    "7",
    "8",
    "2.5",
    "1e3",
    "1e-3",
    "1e28",
    "1e29",
    "1e400",
    "-1e400",
    "1e-30",
    "0.0000000000000000000000000001",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "-79228162514264337593543950335",
    "1000000.00000000001",
    "20000000000000000001",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "0.30000000000000004",
    "\"0\"",
    "\"-1\"",
    "\"1e3\"",
    "\"9_500_000\"",
    "\"1.234,50\"",
    "\"NaN\"",
    "\"\"",
    "\"x\"",
    "\"average\"",
    "\"actual\"",
    "\"wages\"",
    "\"support_hours\"",
    "\"down\"",
    "\"half_even\"",
    "\"2026-02-29\"",
    "\"<script>alert(1)</script>\"",
    "\"]]><x a='&amp;'>\"",
    "\"010190-1234\"",
    "\"5798005770213\"",
    "\"2026-13\"",
    "\"oioubl3\"",
    "\"per_municipality\"",
    "\"nemkonto\"",
    "\"æøå ÆØÅ\"",
    "null",
    "true",
    "false",
    "[]",
    "{}",
    "[1, 2, 3]",
    "{\"a\": 1}",
    "[[[[[]]]]]",
    "\"\\u0000\"",
];

const KEYS: &[&str] = &[
    "version",
    "offer",
    "catalogue",
    "options",
    "explain",
    "quotes",
    "lines",
    "caseload",
    "tariff_sheet",
    "name",
    "year",
    "kind",
    "capacity",
    "places",
    "treatment_citizens",
    "day_basis",
    "occupancy",
    "budgeted_pct",
    "previous_years_pct",
    "costs",
    "services",
    "amount",
    "pct",
    "pct_base",
    "key",
    "category",
    "share_pct",
    "hours_per_week",
    "package",
    "pct_of",
    "package_scheme",
    "part_time",
    "add_ons",
    "settings",
    "published_rounding",
    "increment",
    "mode",
    "einvoicing",
    "profile",
    "grouping",
    "seller",
    "buyers",
    "gln",
    "cvr",
    "vat_number",
    "buyer_reference",
    "order_reference",
    "person_reference",
    "payment_means",
    "payment_terms_days",
    "due_date",
    "issue_date",
    "invoiced_through",
    "settlement_refunds",
    "nmae",
    "ammount",
    "",
];

/// Numbers that are legal in most number fields but sit on edges.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "7",
    "12",
    "95",
    "96.5",
    "97",
    "98",
    "99.99",
    "100",
    "334",
    "365",
    "0.01",
    "0.5",
    "33.3333",
    "66.6667",
    "12.5",
    "1000000",
    "9500000",
    "756774",
    "1141111",
    "\"102382.50\"",
    "\"0.1\"",
    "\"63064.5\"",
    "\"3416.5\"",
    "1e6",
    "123456789.123456789",
    "99999999999999",
    "0.0001",
];

fn random_number(rng: &mut Rng) -> Value {
    let text: &str = rng.pick::<&str>(NUMBERS);
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn random_value(rng: &mut Rng) -> Value {
    let text: &str = rng.pick::<&str>(VALUES);
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Every path (as a list of object keys / array indices) to a value in `v`, and whether
/// the value there is a leaf.
fn paths(v: &Value, prefix: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, bool)>) {
    out.push((prefix.clone(), !v.is_object() && !v.is_array()));
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(Step::Key(k.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Step::Index(i));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            Step::Key(k) => cur.get_mut(k.as_str())?,
            Step::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// One structural mutation of the request tree; `None` when it is a text mutation.
fn mutate(rng: &mut Rng, v: &mut Value) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    // Mostly leaves (numbers, words): damage there reaches deeper into the calculation.
    let leaves: Vec<&Vec<Step>> = all
        .iter()
        .filter(|(_, leaf)| *leaf)
        .map(|(p, _)| p)
        .collect();
    let target = if !leaves.is_empty() && rng.below(10) < 7 {
        (*rng.pick(&leaves)).clone()
    } else {
        rng.pick(&all).0.clone()
    };
    let donor = {
        let other = rng.pick(&all).0.clone();
        at(v, &other).cloned().unwrap_or(Value::Null)
    };
    let Some(node) = at(v, &target) else { return };
    if (node.is_number() || node.as_str().is_some_and(|t| t.parse::<f64>().is_ok()))
        && rng.below(3) > 0
    {
        // Most number tweaks keep the request readable, to reach the arithmetic.
        *node = random_number(rng);
        return;
    }
    match rng.below(9) {
        0..=2 => *node = random_value(rng),
        3 => {
            if let Value::Object(m) = node {
                if let Some(k) = m.keys().nth(rng.below(m.len())).cloned() {
                    m.remove(&k);
                }
            }
        }
        4 => {
            if let Value::Object(m) = node {
                let key = rng.pick(KEYS).to_string();
                m.insert(key, random_value(rng));
            }
        }
        5 => {
            if let Value::Object(m) = node {
                if let Some(k) = m.keys().nth(rng.below(m.len())).cloned() {
                    if let Some(val) = m.remove(&k) {
                        m.insert(rng.pick(KEYS).to_string(), val);
                    }
                }
            }
        }
        6 => *node = donor,
        7 => {
            // An object written as a list of its values.
            if let Value::Object(m) = node {
                *node = Value::Array(m.values().cloned().collect());
            }
        }
        _ => {
            if let Value::Array(items) = node {
                if !items.is_empty() {
                    let i = rng.below(items.len());
                    let copy = items[i].clone();
                    for _ in 0..rng.below(40) {
                        items.push(copy.clone());
                    }
                }
            } else {
                let inner = std::mem::take(node);
                *node = Value::Array(vec![inner]);
            }
        }
    }
}

/// Text-level damage: a repeated key, truncation, deep nesting, trailing content.
fn damage(rng: &mut Rng, text: &str) -> String {
    match rng.below(5) {
        0 => {
            // Repeat the first key of some object.
            match text.find("{\"") {
                Some(i) => {
                    let end = text[i + 1..].find(',').map_or(text.len(), |e| i + 1 + e);
                    format!("{}{},{}", &text[..end], &text[i + 1..end], &text[end..])
                }
                None => text.to_string(),
            }
        }
        1 => {
            let cut = rng.below(text.len());
            let mut cut = cut;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        2 => format!(
            "{}{}{}",
            "[".repeat(rng.below(300)),
            text,
            "]".repeat(rng.below(300))
        ),
        3 => format!("{text} {text}"),
        _ => text.replace(':', if rng.below(2) == 0 { ": " } else { ":\n" }),
    }
}

fn failure(response: &str) -> Option<String> {
    let v: Value = match serde_json::from_str(response) {
        Ok(v) => v,
        Err(e) => return Some(format!("the response is not JSON: {e}")),
    };
    if !v["ok"].is_boolean() {
        return Some("the response has no ok".into());
    }
    for e in v["errors"].as_array().into_iter().flatten() {
        if e["code"] == "internal" || !e["path"].is_string() {
            return Some(format!("error {e}"));
        }
    }
    None
}

fn seeds(root: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir(root.join("tests/cases")) {
        let mut files: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let case: Option<Value> = std::fs::read_to_string(&f)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok());
            if let Some(case) = case {
                out.push(case["request"].clone());
            }
        }
    }
    for name in [
        "elbaek.json",
        "realistic.toml",
        "catalogue.toml",
        "einvoice.json",
        "financing.json",
        "financing-rules.json",
        "provider-year.json",
    ] {
        let Ok(text) = std::fs::read_to_string(root.join("examples/requests").join(name)) else {
            continue;
        };
        let value = if name.ends_with(".json") {
            serde_json::from_str(&text).ok()
        } else {
            toml::from_str::<toml::Value>(&text)
                .ok()
                .and_then(|t| serde_json::to_value(t).ok())
        };
        out.extend(value);
    }
    out
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let runs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seeds = seeds(&root);
    if seeds.len() < 10 {
        eprintln!("fuzz_smoke: found only {} seed requests", seeds.len());
        return ExitCode::FAILURE;
    }
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (mut ok, mut errors, mut toml_runs) = (0u64, 0u64, 0u64);
    let started = std::time::Instant::now();
    // Every JSON request again through an `Evaluator`, which keeps the catalogue it read
    // last for the requests after: its answer must be the same bytes. One for each seed,
    // started on the seed as it is, so that most of the seed's mutations give it the
    // catalogue it holds (and the others another, or a damaged one).
    let mut evaluators: Vec<takst::Evaluator> = seeds
        .iter()
        .map(|seed| {
            let mut e = takst::Evaluator::new();
            e.evaluate_json(&serde_json::to_string(seed).unwrap_or_default());
            e
        })
        .collect();
    let mut held = 0u64;
    for run in 0..runs {
        let which = rng.below(seeds.len());
        let mut request = seeds[which].clone();
        let mutations = if rng.below(2) == 0 {
            1
        } else {
            1 + rng.below(4)
        };
        for _ in 0..mutations {
            mutate(&mut rng, &mut request);
        }
        let text = serde_json::to_string(&request).unwrap_or_default();
        let text = if rng.below(8) == 0 {
            damage(&mut rng, &text)
        } else {
            text
        };
        let (response, as_toml) = if rng.below(10) == 0 {
            match serde_json::from_str::<toml::Value>(&text)
                .ok()
                .and_then(|t| toml::to_string(&t).ok())
            {
                Some(toml_text) => {
                    toml_runs += 1;
                    (takst::evaluate_toml(&toml_text), Some(toml_text))
                }
                None => (takst::evaluate_json(&text), None),
            }
        } else {
            (takst::evaluate_json(&text), None)
        };
        let mut problem = failure(&response);
        if problem.is_none() && as_toml.is_none() {
            let evaluator = &mut evaluators[which];
            let again = evaluator.evaluate_json(&text);
            if again != response {
                problem = Some(format!("takst::Evaluator answered otherwise: {again}"));
            }
            held += u64::from(evaluator.reused_catalogue());
        }
        if problem.is_none()
            && response.starts_with("{\"version\":1,\"ok\":true")
            && as_toml.is_none()
        {
            ok += 1;
            // An accepted request explains itself exactly, and its explanation is written
            // byte for byte as serde writes it (evaluate_json's own writer, `into_json`,
            // against `to_json`).
            if let Ok(mut r) = takst::Request::from_json(&text) {
                r.options.explain = true;
                let full = takst::evaluate(&r);
                if let Some(ex) = &full.explanation {
                    if let Err(id) = ex.verify() {
                        problem = Some(format!("node {} does not recompute", id.0));
                    }
                }
                let serde = full.to_json();
                if problem.is_none() && serde != full.into_json() {
                    problem = Some("into_json differs from to_json".into());
                }
            }
        } else if problem.is_none() {
            errors += 1;
        }
        if let Some(p) = problem {
            eprintln!("fuzz_smoke: run {run} failed: {p}");
            eprintln!("request: {}", as_toml.unwrap_or(text));
            eprintln!("response: {response}");
            return ExitCode::FAILURE;
        }
    }
    println!(
        "fuzz_smoke: {runs} executions in {:.1} s ({toml_runs} as TOML): {ok} computed, {errors} refused with errors, 0 internal errors, 0 panics; every JSON request the same bytes again through an Evaluator ({held} with a catalogue held)",
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
