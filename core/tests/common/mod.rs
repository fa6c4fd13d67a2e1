//! Shared by the integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

pub mod reference;

use std::path::PathBuf;

use serde_json::Value;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every example request and conformance case that reads, with its file's name.
pub fn requests() -> Vec<(String, takst::Request)> {
    use takst::Request;
    let mut requests = Vec::new();
    for dir in ["examples/requests", "tests/cases"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("the directory exists")
            .map(|e| e.expect("readable entry").path())
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable file");
            let request = match file.extension().and_then(|x| x.to_str()) {
                Some("toml") => Request::from_toml(&text),
                Some("json") if dir == "tests/cases" => {
                    let case: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                    Request::from_json(&case["request"].to_string())
                }
                Some("json") => Request::from_json(&text),
                _ => continue,
            };
            if let Ok(request) = request {
                requests.push((file.display().to_string(), request));
            }
        }
    }
    assert!(requests.len() >= 30, "{} requests", requests.len());
    requests
}

/// A response with its explanation read back into nodes, as every binding's reader does
/// (`docs/format.md`, "The explanation"): each node is its kind's fields with every `{n}` of
/// the kind's templates replaced by `texts[args[n]]`, and its id, value, inputs and rounding.
/// The conformance cases' `expected.explanation.nodes` are matched against this form.
pub fn read_back(mut response: serde_json::Value) -> serde_json::Value {
    use serde_json::{Map, Value};
    let Some(ex) = response.get("explanation").filter(|e| e.is_object()) else {
        return response;
    };
    assert_eq!(ex["version"], 3, "explanation format");
    let texts: Vec<&str> = ex["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let kinds = ex["kinds"].as_array().unwrap();
    let fill = |template: &str, args: &[Value]| -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after
                .find('}')
                .map(|close| (after[..close].parse::<usize>(), close))
            {
                Some((Ok(n), close)) => {
                    out.push_str(texts[args[n].as_u64().unwrap() as usize]);
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    };
    let nodes: Vec<Value> = ex["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(id, row)| {
            let kind = &kinds[row["kind"].as_u64().unwrap() as usize];
            let args = row["args"].as_array().unwrap();
            let mut node = Map::new();
            node.insert("id".into(), id.into());
            for field in [
                "key",
                "label",
                "value",
                "value_approx",
                "unit",
                "op",
                "unit_da",
                "path",
            ] {
                match (&kind[field], &row[field]) {
                    (Value::String(t), _) if field != "unit" && field != "op" => {
                        node.insert(field.into(), fill(t, args).into());
                    }
                    (Value::Null, Value::Null) => {}
                    (Value::Null, v) | (v, _) => {
                        node.insert(field.into(), v.clone());
                    }
                }
            }
            node.insert("inputs".into(), row["inputs"].clone());
            node.insert(
                "rule".into(),
                fill(kind["rule"].as_str().unwrap(), args).into(),
            );
            if let Some(s) = kind["source"].as_str() {
                node.insert("source".into(), fill(s, args).into());
            }
            if !row["rounding"].is_null() {
                node.insert("rounding".into(), row["rounding"].clone());
            }
            Value::Object(node)
        })
        .collect();
    response["explanation"] = serde_json::json!({ "version": 3, "nodes": nodes });
    response
}

/// Where `expected` differs from `actual`, as a list of paths with what was found: the
/// conformance cases' matching rule (tests/cases/README.md).
pub fn mismatches(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => mismatches(ev, av, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                mismatches(ev, av, &format!("{path}[{i}]"), out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: expected {expected}, got {actual}")),
    }
}
