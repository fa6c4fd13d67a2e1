//! Running scenarios: each variant is the baseline request patched (a JSON merge patch,
//! RFC 7396), read again like any request and evaluated in full; what changed is found by
//! comparing the two explanation graphs key by key.

use std::collections::HashMap;

use crate::error::{Error, ErrorCode, Errors};
use crate::exact::Exact;
use crate::explain::{Explanation, Unit};
use crate::format::request::Request;
use crate::format::scenario::{FigureChange, ScenarioResult};
use crate::format::Limits;

use super::evaluate_with;

/// Applies a JSON merge patch (RFC 7396).
pub(crate) fn merge(target: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    match patch {
        Value::Object(fields) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in fields {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

fn prefixed(errors: Errors, prefix: &str) -> Vec<Error> {
    errors
        .into_vec()
        .into_iter()
        .map(|e| e.prefixed(prefix))
        .collect()
}

/// The figures of a graph by key (the first of a repeated key).
fn by_key(ex: &Explanation) -> HashMap<String, (Exact, String, Unit)> {
    let mut map = HashMap::with_capacity(ex.len());
    for n in ex.nodes() {
        map.entry(n.key())
            .or_insert_with(|| (n.value(), n.label(), n.unit()));
    }
    map
}

/// What changed from `base` to `variant`.
pub(crate) fn compare(base: &Explanation, variant: &Explanation) -> Vec<FigureChange> {
    let before = by_key(base);
    let mut seen = std::collections::HashSet::with_capacity(variant.len());
    let mut out = Vec::new();
    for n in variant.nodes() {
        let key = n.key();
        if !seen.insert(key.clone()) {
            continue;
        }
        let after = n.value();
        match before.get(&key) {
            Some((b, _, _)) if *b == after => {}
            Some((b, _, _)) => out.push(FigureChange {
                change: after.checked_sub(b),
                before: Some(b.clone()),
                after: Some(after),
                label: n.label(),
                unit: n.unit(),
                key,
            }),
            None => out.push(FigureChange {
                before: None,
                change: None,
                after: Some(after),
                label: n.label(),
                unit: n.unit(),
                key,
            }),
        }
    }
    for n in base.nodes() {
        let key = n.key();
        if !seen.contains(&key) {
            seen.insert(key.clone());
            out.push(FigureChange {
                before: Some(n.value()),
                after: None,
                change: None,
                label: n.label(),
                unit: n.unit(),
                key,
            });
        }
    }
    out
}

/// Evaluates each scenario of `request` and compares it with `baseline` (the request's own
/// response, computed with its explanation).
pub(crate) fn run(
    request: &Request,
    baseline: &Explanation,
    limits: &Limits,
) -> Result<Vec<ScenarioResult>, Errors> {
    let mut base = request.clone();
    base.scenarios.clear();
    base.options.explain = true;
    let base_value = serde_json::to_value(&base).map_err(|e| {
        Errors::from(Error::new(
            ErrorCode::Internal,
            "scenarios",
            format!("the request could not be written for a scenario: {e}"),
            "Forespørgslen kunne ikke skrives om til et scenarie (en fejl i takst).",
        ))
    })?;
    let mut out = Vec::with_capacity(request.scenarios.len());
    let mut errors = Vec::new();
    for (i, s) in request.scenarios.iter().enumerate() {
        let prefix = format!("scenarios[{i}].changes");
        if let Some(fields) = s.changes.as_object() {
            for key in ["scenarios", "version"] {
                if fields.contains_key(key) {
                    errors.push(Error::new(
                        ErrorCode::Conflict,
                        format!("{prefix}.{key}"),
                        format!("a scenario cannot change `{key}`"),
                        format!("Et scenarie kan ikke ændre `{key}`."),
                    ));
                }
            }
        } else {
            errors.push(Error::new(
                ErrorCode::InvalidType,
                prefix.clone(),
                "the changes must be an object (a JSON merge patch of the request)",
                "Ændringerne skal være et objekt (en JSON merge patch af forespørgslen).",
            ));
        }
        if !errors.is_empty() {
            continue;
        }
        let mut v = base_value.clone();
        merge(&mut v, &s.changes);
        let variant = match Request::from_json_with(&v.to_string(), limits) {
            Ok(r) => r,
            Err(e) => {
                errors.extend(prefixed(e, &prefix));
                continue;
            }
        };
        let mut response = evaluate_with(&variant, limits);
        if !response.ok {
            let e = std::mem::take(&mut response.errors);
            errors.extend(e.into_iter().map(|e| e.prefixed(&prefix)));
            continue;
        }
        let changes = match &response.explanation {
            Some(ex) => compare(baseline, ex),
            None => Vec::new(),
        };
        response.explanation = None;
        out.push(ScenarioResult {
            name: s.name.clone(),
            changes,
            warnings: response.warnings.clone(),
            response: Box::new(response),
        });
    }
    match Errors::from_vec(errors) {
        Some(e) => Err(e),
        None => Ok(out),
    }
}
