//! Every error and warning carries a Danish message (`message_da`) beside the English one,
//! and the Danish message is Danish: no English words outside quoted input and field names,
//! numbers in Danish notation, a full sentence.
//!
//! The requests are the conformance cases, the example requests and the hostile cases below,
//! which between them reach every warning code and nearly every error code.

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{json, Value};

/// Common English words that must not appear in a Danish message (outside quotes and
/// backticks), padded so that Danish words containing them do not count.
const ENGLISH: &[&str] = &[
    " the ", " must ", " give ", " not ", " is ", "expected", "invalid", " or ", " and ", " got ",
    " of ", " be ", " has ", " no ", " with ", " value", " field", " number", " should ",
];

/// The message without the parts that quote the request (`"…"`) or name fields (`` `…` ``),
/// which may be English.
fn own_words(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for ch in message.chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None if ch == '"' || ch == '`' => quote = Some(ch),
            None => out.push(ch),
        }
    }
    out
}

/// A number written the English way: a decimal point (`1.5`, `1462.80`), or five or more
/// digits without thousands separators (`100000`). Four digits alone are years.
fn english_number(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        let token = token.trim_end_matches('.');
        let groups: Vec<&str> = token.split('.').collect();
        let grouped = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3);
        let english = if groups.len() > 1 {
            !grouped
        } else {
            token.len() >= 5
        };
        // Part of a word or a power (`128-bit`, `10^28`) is not an amount.
        let in_word = start > 0 && (chars[start - 1].is_alphabetic() || chars[start - 1] == '^');
        if english && !in_word {
            return Some(token.to_string());
        }
    }
    None
}

/// Every problem (error or warning) of a response, as (code, path, message, message_da).
fn problems(response: &Value) -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    for key in ["errors", "warnings"] {
        for p in response[key].as_array().into_iter().flatten() {
            out.push((
                p["code"].as_str().unwrap_or_default().to_string(),
                p["path"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
                p["message_da"].clone(),
            ));
        }
    }
    // Scenario results carry the warnings of their variant, and its whole response.
    for s in response["scenarios"].as_array().into_iter().flatten() {
        out.extend(problems(s));
        out.extend(problems(&s["response"]));
    }
    out
}

/// How many problems of the response text are written with their fields in the order of
/// the format: code, path, message, message_da (then line and column).
fn in_order(text: &str) -> usize {
    /// The keys of a JSON object, in the order written.
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut m: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(k) = m.next_key::<String>()? {
                        m.next_value::<serde::de::IgnoredAny>()?;
                        keys.push(k);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_map(V)
        }
    }
    text.match_indices(r#"{"code":"#)
        .filter(|(i, _)| {
            let mut de = serde_json::Deserializer::from_str(&text[*i..]);
            let keys = <Keys as serde::Deserialize>::deserialize(&mut de).map(|k| k.0);
            keys.is_ok_and(|k| {
                k == ["code", "path", "message", "message_da"]
                    || k == ["code", "path", "message", "message_da", "line", "column"]
            })
        })
        .count()
}

/// The problems of one response that are not properly Danish.
fn check(name: &str, text: &str, seen: &mut Seen, failures: &mut Vec<String>) {
    let response: Value = serde_json::from_str(text).unwrap();
    for (kind, list) in [
        ("error", &response["errors"]),
        ("warning", &response["warnings"]),
    ] {
        for p in list.as_array().into_iter().flatten() {
            let code = p["code"].as_str().unwrap_or_default().to_string();
            if kind == "error" {
                seen.errors.insert(code);
            } else {
                seen.warnings.insert(code);
            }
        }
    }
    let all = problems(&response);
    let codes: Vec<&str> = all.iter().map(|p| p.0.as_str()).collect();
    seen.by_request.push((name.to_string(), codes.join(" ")));
    if in_order(text) != all.len() {
        failures.push(format!(
            "{name}: {} of {} problems have their fields in the format's order",
            in_order(text),
            all.len()
        ));
    }
    for (code, path, message, da) in all {
        let at = format!("{name}: {code} at {path:?} ({message})");
        let Some(da) = da.as_str() else {
            failures.push(format!("{at}: no message_da"));
            continue;
        };
        seen.messages.insert(format!("{code:>20} | {da}"));
        if da.trim().is_empty() {
            failures.push(format!("{at}: empty message_da"));
            continue;
        }
        if da == message {
            failures.push(format!("{at}: message_da is the English message"));
        }
        let own = format!(" {} ", own_words(da).to_lowercase());
        for word in ENGLISH {
            if own.contains(word) {
                failures.push(format!("{at}: English {word:?} in {da:?}"));
            }
        }
        if let Some(n) = english_number(&own_words(da)) {
            failures.push(format!(
                "{at}: the number {n} is not in Danish notation: {da:?}"
            ));
        }
        let first = da.chars().next().unwrap_or(' ');
        if !(first.is_uppercase() || first.is_ascii_digit() || first == '"' || first == '`') {
            failures.push(format!("{at}: does not start a sentence: {da:?}"));
        }
        if !da.ends_with('.') {
            failures.push(format!("{at}: does not end with a full stop: {da:?}"));
        }
    }
}

#[derive(Default)]
struct Seen {
    errors: BTreeSet<String>,
    warnings: BTreeSet<String>,
    messages: BTreeSet<String>,
    by_request: Vec<(String, String)>,
}

/// A valid offer request; `patch` is merged into it (a JSON merge patch: `null` removes).
fn offer(patch: Value) -> String {
    let mut v = json!({
        "version": 1,
        "offer": {
            "name": "Test", "year": 2026, "kind": "residential",
            "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 96},
            "costs": [{"label": "Løn", "category": "wages", "amount": "9500000"}]
        },
        "options": {"explain": false}
    });
    merge(&mut v, &patch);
    v.to_string()
}

/// `v` with `patch` merged in.
fn merged(v: &Value, patch: Value) -> Value {
    let mut out = v.clone();
    merge(&mut out, &patch);
    out
}

fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// A catalogue with one service, and a course over it; `patch` is merged in.
fn course(patch: Value) -> String {
    let mut v = json!({
        "version": 1,
        "catalogue": {
            "format": "takst/tariff-sheet", "version": 1,
            "offer": {"name": "Bostedet", "kind": "residential", "year": 2026},
            "day_basis": 365, "rounding": {"increment": "1"},
            "average": {"day": "3000", "month": "91250"},
            "services": [{"id": "a", "name": "A", "tariff": {"day": "3000"}}],
            "add_ons": [{"id": "timer", "name": "Timer", "unit": "hour", "price": "465"}]
        },
        "courses": [{"start": "2026-03-01", "phases": [{"service": "a", "months": 3}]}],
        "options": {"explain": false}
    });
    merge(&mut v, &patch);
    v.to_string()
}

/// Requests in JSON, each with a name.
fn json_requests() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, request: String| out.push((name.to_string(), request));

    // Syntax and reading.
    for (name, text) in [
        ("empty", ""),
        ("eof in object", r#"{"version": 1, "offer": {"name": "x""#),
        ("eof in list", r#"{"version": 1, "courses": [1, 2"#),
        ("eof in string", r#"{"version": 1, "offer": {"name": "x"#),
        ("missing colon", r#"{"version" 1}"#),
        ("missing comma", r#"{"version": 1 "offer": {}}"#),
        ("bad word", r#"{"version": tru}"#),
        ("trailing comma", r#"{"version": 1,}"#),
        ("trailing characters", r#"{"version": 1} {}"#),
        ("bad escape", r#"{"version": 1, "offer": {"name": "\q"}}"#),
        ("key not a string", r#"{version: 1}"#),
        ("deep", &"[".repeat(200)),
        (
            "control character",
            "{\"version\": 1, \"offer\": {\"name\": \"a\u{1}b\"}}",
        ),
    ] {
        add(name, text.to_string());
    }
    add("not an object", "[1, 2]".into());
    add("version 2", r#"{"version": 2}"#.into());
    add("version as text", r#"{"version": "1"}"#.into());
    add("nothing to compute", r#"{"version": 1}"#.into());
    add(
        "wrong types",
        offer(json!({"offer": {
            "name": 7, "year": "2026", "kind": ["day"], "capacity": {"places": true},
            "occupancy": "96", "short_term": "yes",
            "costs": [{"label": null, "category": "wages", "amount": {"a": 1}}]
        }})),
    );
    add(
        "unknown fields and words",
        offer(json!({"offer": {
            "costs": [{"label": "Løn", "category": "wage", "ammount": "1"}],
            "kind": "weekly", "settings": {"rounding": 1}
        }})),
    );
    add(
        "positional values",
        offer(json!({"offer": {"costs": [["Løn", "wages", "1"]]}})),
    );
    add(
        "duplicate key",
        offer(json!({})).replacen(r#""year":2026"#, r#""year":2026,"year":2027"#, 1),
    );
    add(
        "numbers that cannot be read",
        offer(json!({"offer": {
            "costs": [
                {"label": "a", "category": "wages", "amount": "9_500_000"},
                {"label": "b", "category": "wages", "amount": "1e3"},
                {"label": "c", "category": "wages", "amount": "12,5"}
            ],
            "year": 2026.5,
            "part_time": [{"days_per_week": 99999999999i64, "pct": 60}]
        }})),
    );
    add(
        "numbers too large",
        offer(json!({}))
            .replace(r#""9500000""#, "100000000000000000000000000000")
            .replace(r#""places":10"#, r#""places":1e400"#),
    );
    add("day basis", offer(json!({"offer": {"day_basis": 365.5}})));
    add(
        "day basis word",
        offer(json!({"offer": {"day_basis": "monthly"}})),
    );
    add(
        "day basis type",
        offer(json!({"offer": {"day_basis": true}})),
    );
    add(
        "day basis large",
        offer(json!({"offer": {"day_basis": 5000000000u64}})),
    );
    add(
        "day basis negative",
        offer(json!({"offer": {"day_basis": -5}})),
    );
    add(
        "variant without a value",
        offer(json!({"offer": {"occupancy": "budgeted_pct"}})),
    );
    add(
        "enum with two",
        offer(json!({"offer": {"capacity": {"places": 1, "treatment_citizens": 10}}})),
    );
    add(
        "enum empty",
        offer(json!({"offer": {"capacity": {"places": null}}})),
    );
    add(
        "unit variant with a value",
        offer(json!({"offer": {"day_basis": {"actual": 1}}})),
    );

    // Validation of an offer.
    add(
        "offer validation",
        offer(json!({"offer": {
            "year": 1800, "capacity": {"places": 0}, "day_basis": 400,
            "occupancy": {"budgeted_pct": null, "previous_years_pct": []},
            "costs": [
                {"label": "a", "category": "wages", "amount": "-5"},
                {"label": "b", "category": "other_income", "amount": "-5"},
                {"label": "c", "category": "wages", "amount": "1", "pct": "2"},
                {"label": "d", "category": "wages"},
                {"label": "e", "category": "wages", "pct": "-2", "pct_base": ["overhead"]},
                {"label": "f", "category": "overhead", "amount": "1", "pct_base": []}
            ],
            "services": [
                {"id": "average", "name": "A", "share_pct": 120},
                {"id": "x", "name": "X", "share_pct": 10, "hours_per_week": -1, "package": 0},
                {"id": "x", "name": "Y", "share_pct": 10},
                {"id": "z", "name": "Z", "share_pct": 10, "pct_of": {"service": "q", "pct": -1}}
            ],
            "part_time": [
                {"days_per_week": 9, "pct": -1},
                {"days_per_week": 9, "pct": 60}
            ],
            "add_ons": [
                {"id": "k", "name": "K", "price": {"per_km": -1}},
                {"id": "h", "name": "H", "price": {"per_hour": -1}},
                {"id": "f", "name": "F",
                 "price": {"day_fraction": {"of": "nope", "numerator": 1, "denominator": 0}}}
            ],
            "settings": {
                "published_rounding": {"increment": "0"},
                "occupancy_band_pct": {"min": -1, "max": -2},
                "overhead_cap_pct": -1, "residue_warning_pct": 200, "max_occupancy_pct": 0
            }
        }})),
    );
    add(
        "previous years all zero",
        offer(json!({"offer": {"occupancy": {
            "budgeted_pct": null, "previous_years_pct": [0, 0, -1]
        }}})),
    );
    add(
        "treatment citizens zero",
        offer(json!({"offer": {"capacity": {"places": null, "treatment_citizens": 0}}})),
    );
    add(
        "occupancy above the highest",
        offer(json!({"offer": {"occupancy": {"budgeted_pct": "100.5"}}})),
    );
    add(
        "income exceeds costs",
        offer(json!({"offer": {"costs": [
            {"label": "Løn", "category": "wages", "amount": "100"},
            {"label": "Salg", "category": "other_income", "amount": "1000"}
        ]}})),
    );
    add(
        "support hours without hours",
        offer(json!({"offer": {
            "costs": [{"label": "Løn", "category": "wages", "amount": "100000",
                       "key": "support_hours"}],
            "services": [{"id": "p", "name": "P", "share_pct": 100, "pct_of":
                          {"service": "average", "pct": 100}}]
        }})),
    );
    add(
        "overflow",
        offer(json!({"offer": {
            "capacity": {"places": "0.0000000000000000000000000001"},
            "occupancy": {"budgeted_pct": "0.0000000000000000000000000001"},
            "settings": {"occupancy_band_pct": {"min": 0, "max": 100}},
            "costs": [{"label": "L", "category": "wages",
                       "amount": "79228162514264337593543950335"}]
        }})),
    );
    add(
        "package without a scheme",
        offer(json!({"offer": {"services": [
            {"id": "p", "name": "P", "share_pct": 100, "package": 2}
        ]}})),
    );

    // Warnings of an offer.
    add(
        "occupancy and overhead",
        offer(json!({"offer": {
            "occupancy": {"budgeted_pct": "92.5"},
            "costs": [
                {"label": "Løn", "category": "wages", "amount": "9500000"},
                {"label": "Administration", "category": "overhead", "pct": "7.125"},
                {"label": "Af intet", "category": "overhead", "pct": "1",
                 "pct_base": ["property"]}
            ]
        }})),
    );
    add(
        "occupancy above band, three years, short term",
        offer(json!({"offer": {"occupancy": {
            "budgeted_pct": null, "previous_years_pct": [99, "99.5", 99]
        }}})),
    );
    add(
        "short term below",
        offer(json!({"offer": {"short_term": true, "occupancy": {"budgeted_pct": 85}}})),
    );
    add(
        "service mix, module order, residue, part time",
        offer(json!({"offer": {
            "costs": [{"label": "Løn", "category": "wages", "amount": "9500001",
                       "key": "support_hours"}],
            "services": [
                {"id": "u", "name": "U", "kind": "module", "stage": "assessment",
                 "hours_per_week": 10, "share_pct": 30},
                {"id": "l", "name": "L", "kind": "module", "stage": "long_term",
                 "hours_per_week": 30, "share_pct": "33.3"}
            ],
            "part_time": [{"days_per_week": 3, "pct": 85}],
            "settings": {"residue_warning_pct": 0}
        }})),
    );

    // Catalogues and courses.
    add(
        "catalogue validation",
        course(json!({"catalogue": {
            "version": 3, "day_basis": 0, "offer": {"year": 3000},
            "rounding": {"increment": "-1"},
            "average": {"day": "-1"},
            "services": [
                {"id": "average", "name": "A", "tariff": {"day": "0"}, "package": 0,
                 "basis": "100", "package_part": "100", "share_pct": 101,
                 "hours_per_week": -2},
                {"id": "average", "name": "B", "tariff": {"day": "1"}}
            ],
            "package_scheme": {"basis": "-1", "interval": "-1", "band_hours_per_week": "0"},
            "part_time": [
                {"of": "nope", "days_per_week": 8, "pct": -1, "day": "1"},
                {"of": "nope", "days_per_week": 8, "pct": 1, "day": "1"}
            ]
        }})),
    );
    // Each course stops at its first problem: one course per request.
    let courses = json!([
    {"start": "2026-02-30", "phases": [{"service": "a", "months": 1}]},
    {"start": "2026-13-01", "phases": [{"service": "a", "months": 1}]},
    {"start": "1.3.2026", "phases": [{"service": "a", "months": 1}]},
    {"start": "2026-03-01", "phases": []},
    {"start": "2026-03-01", "phases": [{"months": 1}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "package": 1, "months": 1}]},
    {"start": "2026-03-01", "phases": [{"package": 0, "months": 1}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 0}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "days": 0}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "until": "2026-02-01"}]},
    {"start": "2026-03-01", "phases": [{"service": "a"}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "days": 3, "months": 1}]},
    {"start": "2199-03-01", "phases": [{"service": "a", "months": 100}]},
    {"start": "2199-03-01", "phases": [{"service": "a", "days": 100000}]},
    {"start": "2300-03-01", "phases": [{"service": "a", "months": 1}]},
    {"start": "2026-03-01", "phases": [{"service": "nope", "months": 1}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 1,
        "add_ons": [{"id": "nope", "quantity_per_month": 1}]}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 1,
        "add_ons": [{"id": "timer"}]}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 1,
        "add_ons": [{"id": "timer", "quantity_per_month": -2}]}]},
    {"start": "2026-03-01", "phases": [{"package": 2, "part_time_days": 3, "months": 1}]},
    {"start": "2026-03-01", "offer": "nope", "phases": [{"service": "a", "months": 1}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"service": {"from": "2027-01-01", "service": "a"}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"service": {"from": "2026-03-10"}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"service": {"from": "2026-03-10", "service": "a", "package": 1}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"service": {"from": "2026-03-10", "package": 0}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"service": {"from": "2026-03-10", "service": "a", "until": "2026-03-01"}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"add_on": {"from": "2025-03-10", "id": "timer", "quantity_per_month": 1}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"add_on": {"from": "2026-03-10", "until": "2026-03-01", "id": "timer",
                    "quantity_per_month": 1}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"end_add_on": {"from": "2026-03-10", "id": "timer"}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"terminate": {"notice_given": "2026-02-01"}}]},
    {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
        {"terminate": {"notice_given": "2026-03-05", "notice": {"months": 4000000000u32}}}]}
    ]);
    for (i, c) in courses.as_array().unwrap().iter().enumerate() {
        add(&format!("course {i}"), course(json!({"courses": [c]})));
    }
    add(
        "index",
        course(json!({"index": {"rates_pct": [{"year": 2027, "pct": -100},
                                               {"year": 2027, "pct": 2}],
                                "values": [{"year": 2027, "value": 0}]}})),
    );
    add(
        "index rates",
        course(json!({"index": {"rates_pct": [{"year": 2027, "pct": -100},
                                               {"year": 2027, "pct": 2}]}})),
    );
    add(
        "index values",
        course(json!({"index": {"values": [{"year": 2027, "value": 0}]}})),
    );
    add(
        "index rounding",
        course(json!({"index": {"rates_pct": [{"year": 2027, "pct": 2}],
                                "rounding": {"increment": "0"}}})),
    );
    add(
        "two sheets of a year",
        course(json!({"catalogues": [
            {"format": "takst/tariff-sheet", "version": 1,
             "offer": {"name": "Bostedet", "kind": "residential", "year": 2026},
             "day_basis": 365, "rounding": {"increment": "1"},
             "services": [{"id": "a", "name": "A", "tariff": {"day": "3000"}}]}
        ]})),
    );
    add(
        "several offers",
        course(json!({"catalogues": [
            {"format": "takst/tariff-sheet", "version": 1,
             "offer": {"name": "Andet", "kind": "residential", "year": 2026},
             "day_basis": 365, "rounding": {"increment": "1"},
             "services": [{"id": "a", "name": "A", "tariff": {"day": "3000"}}]}
        ]})),
    );
    add(
        "course warnings",
        course(json!({
            "catalogue": {"average": null, "add_ons": [
                {"id": "dag", "name": "Dag", "unit": "day", "price": "100"},
                {"id": "timer", "name": "Timer", "unit": "hour", "price": "0"}
            ]},
            "billing": {"invoicing": "full_months"},
            "courses": [
                {"start": "2027-12-01", "phases": [{"service": "a", "months": 3,
                    "add_ons": [{"id": "dag"}]}]},
                {"start": "2025-12-01", "phases": [{"service": "a", "months": 3,
                    "add_ons": [{"id": "timer", "quantity_per_month": 2}]}]}
            ]
        })),
    );
    add(
        "notice beyond the end",
        course(json!({"courses": [
            {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
                {"terminate": {"notice_given": "2026-04-20"}}]}
        ]})),
    );
    add(
        "changes beyond the end",
        course(json!({"courses": [
            {"start": "2026-03-01", "phases": [{"service": "a", "months": 2}], "changes": [
                {"service": {"from": "2026-03-10", "service": "a", "until": "2026-05-10"}},
                {"add_on": {"from": "2026-04-25", "id": "timer", "quantity_per_month": "1"}},
                {"terminate": {"notice_given": "2026-03-20", "notice": {"days": 0}}}]}
        ]})),
    );
    add(
        "an add-on twice, and ended twice",
        course(json!({"courses": [
            {"start": "2026-03-01", "phases": [{"service": "a", "months": 3, "add_ons": [
                {"id": "timer", "quantity_per_month": "2"},
                {"id": "timer", "quantity_per_month": "3"}]}], "changes": [
                {"add_on": {"from": "2026-04-01", "id": "timer", "quantity_per_month": "1"}},
                {"end_add_on": {"from": "2026-05-01", "id": "timer"}},
                {"end_add_on": {"from": "2026-05-10", "id": "timer"}}]}
        ]})),
    );
    add(
        "a part-time tariff that is not its percentage",
        course(json!({"catalogue": {"part_time": [
            {"of": "a", "days_per_week": 3, "pct": "60", "day": "2500"}]}})),
    );
    add(
        "a tariff with øre on a sheet of whole kroner",
        course(json!({"catalogue": {"average": {"day": "3000.50"}}})),
    );
    add(
        "a part-time day above the full day",
        course(json!({"catalogue": {"part_time": [
            {"of": "a", "days_per_week": 3, "pct": "110", "day": "3300"}]}})),
    );
    add(
        "a month and a year tariff that are not the day tariff's",
        course(json!({"catalogue": {"average": {"day": "3000", "month": "9125", "year": "1"}}})),
    );
    add(
        "a municipality written two ways",
        course(json!({"courses": [
            {"municipality": "Aarhus", "start": "2026-03-01", "phases": [{"service": "a", "months": 1}]},
            {"municipality": "aarhus ", "start": "2026-03-01", "phases": [{"service": "a", "months": 1}]}]})),
    );
    add(
        "courses without tariffs",
        json!({"version": 1, "settlement": {"year": 2026, "budget": "1", "actual_costs": "1",
               "revenue": "1"},
               "courses": [{"start": "2026-03-01", "phases": [{"service": "a", "months": 1}]}]})
        .to_string(),
    );

    // Financing.
    add(
        "financing validation",
        json!({"version": 1,
            "settlement": {"year": 1800, "budget": "-1", "actual_costs": "-1", "revenue": "-1",
                "set_aside_cap_pct": 101, "set_aside": "-1", "spread_years": 0,
                "use_within_years": 60,
                "reserves": [{"year": 2030, "amount": "-1", "used": "5"}],
                "municipalities": [{"municipality": "A", "days": "-1"},
                                   {"municipality": "A", "days": "1"}]},
            "partnership": {"financing_base": "-1", "expected_days": "0",
                "fixed_share_pct": 120, "key": "agreed",
                "partners": [{"municipality": "A", "expected_days": "-5"},
                             {"municipality": "A", "expected_days": "5", "key": "-1"}],
                "usage_pct": [-1]},
            "base_funding": {"cost_base": "-1", "expected_days": "0",
                "sources": [
                    {"label": "a", "kind": "municipalities", "amount": "-1.005"},
                    {"label": "b", "kind": "municipalities", "amount": "1", "split": "key"},
                    {"label": "c", "kind": "state", "amount": "1", "split": "population",
                     "key": [{"municipality": "Q", "weight": "-1"}]}
                ],
                "municipalities": []},
            "special_arrangements": [
                {"name": "S", "start": "2026-03-01", "end": "2026-02-01",
                 "fixed_costs": [{"label": "a", "amount": "-1"}],
                 "staffing": [{"label": "b", "amount": "-1"}], "markup_pct": 150,
                 "early_end": {"date": "2027-01-01", "staff_notice_days": 4000}},
                {"name": "S", "start": "1800-03-01", "end": "2026-02-01", "markup_pct": -1}
            ],
            "ambulant": {"staff_costs": [{"label": "a", "amount": "-1"}],
                "overhead": {"amount": "1", "pct": 5}, "productive_hours": "0",
                "products": [{"id": "p", "name": "P", "hours": "0"},
                             {"id": "p", "name": "Q", "hours": "1"}]},
            "buyer": {"vat_bearing_pct": 101,
                "refund": [{"year": 1800, "brackets": [{"from": "-1", "pct": 101},
                                                       {"from": "-2", "pct": 5}]},
                           {"year": 1800, "brackets": []}],
                "costs": [{"citizen": "b", "year": 1800, "amount": "-1"}]}
        })
        .to_string(),
    );
    add(
        "financing validation 2",
        json!({"version": 1,
            "settlement": {"year": 2026, "budget": "100", "actual_costs": "50", "revenue": "100",
                "set_aside": "60", "regulation_year_offset": 60},
            "partnership": {"financing_base": "1000", "expected_days": "10",
                "fixed_share_pct": 50, "key": "expected_days",
                "partners": [{"municipality": "A", "expected_days": "20", "key": "1"}],
                "usage_pct": (0..101).collect::<Vec<_>>()},
            "base_funding": {"cost_base": "100", "expected_days": "10",
                "sources": [{"label": "a", "kind": "municipalities", "amount": "200",
                             "split": "population"}],
                "municipalities": [{"municipality": "A"}]},
            "ambulant": {"staff_costs": [], "overhead": {}, "productive_hours": "1",
                "products": []},
        })
        .to_string(),
    );
    add(
        "financing validation 3",
        json!({"version": 1,
            "settlement": {"year": 2026, "budget": "100", "actual_costs": "50", "revenue": "100",
                "set_aside": "40", "set_aside_cap_pct": 5},
            "partnership": {"financing_base": "1000", "expected_days": "10",
                "fixed_share_pct": 50, "partners": [{"municipality": "A", "expected_days": "0"}]},
            "base_funding": {"cost_base": "100", "expected_days": "10",
                "sources": [{"label": "a", "kind": "municipalities", "amount": "1"}],
                "municipalities": [{"municipality": "A", "population": 1}]},
            "special_arrangements": [{"name": "S", "start": "2026-03-01", "end": "2026-04-01",
                "markup_pct": 1}]
        })
        .to_string(),
    );
    add(
        "a partner without a share",
        json!({"version": 1,
            "partnership": {"financing_base": "1000", "expected_days": "100",
                "fixed_share_pct": 10, "partners": [{"municipality": "A", "expected_days": "10"},
                                                    {"municipality": "B", "expected_days": "0"}]}
        })
        .to_string(),
    );
    add(
        "partner tariff negative",
        json!({"version": 1,
            "partnership": {"financing_base": "1000", "expected_days": "100",
                "fixed_share_pct": 90, "partners": [{"municipality": "A", "expected_days": "10"}]}
        })
        .to_string(),
    );
    add(
        "financing warnings",
        json!({"version": 1,
            "settlement": {"year": 2026, "budget": "8000000", "actual_costs": "7648000",
                "revenue": "8418000",
                "reserves": [{"year": 2021, "amount": "150000.50", "used": "100000"},
                             {"year": 2022, "amount": "80000"}]},
            "buyer": {"private_provider": true,
                "refund": [{"year": 2026, "brackets": [{"from": "1090000", "pct": 25}]}],
                "costs": [{"citizen": "b", "year": 2027, "amount": "1500000.75"}]}
        })
        .to_string(),
    );
    add(
        "part time compared at the full day",
        course(json!({
            "catalogue": {"part_time": [{"of": "a", "days_per_week": 3, "pct": "60", "day": "1800"}]},
            "courses": [{"start": "2026-03-01",
                         "phases": [{"service": "a", "part_time_days": 3, "days": 3}]}]
        })),
    );
    add(
        "a school home's day tariffs billed per calendar day",
        course(json!({"catalogue": {"day_basis": 334}})),
    );
    add(
        "a listed package that is not the scheme's",
        course(json!({"catalogue": {
            "package_scheme": {"basis": "1000", "interval": "349", "band_hours_per_week": "7"},
            "services": [{"id": "a", "name": "A", "tariff": {"day": "3000"}},
                         {"id": "p2", "name": "Pakke 2", "package": 2, "tariff": {"day": "1523"}}]}})),
    );
    add(
        "buyer of one municipality",
        offer(json!({
            "courses": [
                {"municipality": "Aarhus", "start": "2026-03-01",
                 "phases": [{"service": "average", "days": 2}]},
                {"municipality": "Skive", "start": "2026-03-01",
                 "phases": [{"service": "average", "days": 2}]}
            ],
            "buyer": {"municipality": "Aarhus"}
        })),
    );
    // A provider's year chained from the offer and the courses.
    add(
        "chained settlement not split",
        offer(json!({
            "courses": [{"start": "2026-03-01", "phases": [{"service": "average", "months": 2}]}],
            "settlement": {"year": 2026, "actual_costs": "100000"}
        })),
    );
    add(
        "chained from another year",
        offer(json!({
            "offer": {"year": 2025},
            "settlement": {"year": 2026, "actual_costs": "100000"},
            "partnership": {"fixed_share_pct": 25, "partners": []}
        })),
    );
    add(
        "base funding that the offer's tariffs do not have",
        offer(json!({"base_funding": {"sources": [
            {"label": "Statstilskud", "kind": "state", "amount": "365000"}]}})),
    );
    add(
        "a partner's course billed at the offer's tariffs",
        offer(json!({
            "partnership": {"fixed_share_pct": 25,
                            "partners": [{"municipality": "Aarhus", "expected_days": "1000"}]},
            "courses": [{"municipality": "Aarhus", "start": "2026-03-01",
                         "phases": [{"service": "average", "months": 1}]}]})),
    );
    add(
        "nothing to chain from",
        json!({"version": 1,
            "settlement": {"year": 2026, "actual_costs": "100000"},
            "partnership": {"fixed_share_pct": 25,
                            "partners": [{"municipality": "A", "expected_days": "1"}]},
            "base_funding": {"sources": [{"label": "a", "kind": "state"},
                                         {"label": "b", "kind": "state", "amount": "1",
                                          "per_inhabitant": "2"},
                                         {"label": "c", "kind": "state", "per_inhabitant": "-2",
                                          "split": "key"}]}
        })
        .to_string(),
    );
    add(
        "refund levels",
        json!({"version": 1,
            "buyer": {"vat_rounding": {"increment": "0"},
                "refund_levels": {"year": 1800, "rounding": {"increment": "-1"},
                    "brackets": [{"from": "-1", "pct": 101}, {"from": "-2", "pct": 5}],
                    "rates_pct": [{"year": 1700, "pct": -100}, {"year": 1700, "pct": 101}]},
                "costs": [{"citizen": "b", "year": 2026, "amount": "1"}]}
        })
        .to_string(),
    );
    let previous = json!({
        "name": "Test", "year": 2025, "kind": "residential",
        "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 96},
        "costs": [{"label": "Løn", "category": "wages", "amount": "9000000"}]
    });
    add(
        "tariff notice of the same year",
        offer(json!({"tariff_notice": {"previous": merged(&previous, json!({"year": 2026}))}})),
    );
    add(
        "tariff notice without PL",
        offer(json!({"tariff_notice": {"previous": previous.clone()}})),
    );
    add(
        "tariff notice with PL values missing",
        offer(json!({"tariff_notice": {"previous": previous.clone()},
                     "index": {"values": [{"year": 2024, "value": 100}]}})),
    );
    add(
        "tariff notice of a bad previous offer",
        offer(json!({"tariff_notice": {"pl_pct": 2,
            "previous": merged(&previous, json!({"capacity": {"places": 0}}))}})),
    );
    add(
        "tariff notice without an offer",
        course(json!({"tariff_notice": {"pl_pct": 2, "previous": previous}})),
    );
    add(
        "scenarios",
        offer(json!({"scenarios": [
            {"name": "a", "changes": {"version": 2, "scenarios": []}},
            {"name": "b", "changes": [1]},
            {"name": "c", "changes": {"offer": {"capacity": {"places": -1}}}}
        ]})),
    );
    add(
        "a scenario that changes only the paying municipality",
        course(
            json!({"courses": [{"municipality": "Aarhus", "start": "2026-03-01",
            "phases": [{"service": "a", "months": 1}]}],
            "scenarios": [{"name": "Skive", "changes": {"courses": [{"municipality": "Skive",
                "start": "2026-03-01", "phases": [{"service": "a", "months": 1}]}]}}]}),
        ),
    );
    add(
        "scenario warnings",
        offer(json!({"scenarios": [
            {"name": "a", "changes": {"offer": {"occupancy": {"budgeted_pct": 80}}}}
        ]})),
    );
    out
}

/// Requests in TOML, each with a name.
fn toml_requests() -> Vec<(String, String)> {
    let offer = "version = 1\n[offer]\nname = \"x\"\nyear = 2026\nkind = \"day\"\n\
                 capacity = { places = 1 }\noccupancy = { budgeted_pct = 96 }\n\
                 costs = [ { label = \"a\", category = \"wages\", amount = 1 } ]\n";
    [
        ("toml duplicate key", format!("{offer}year = 2027\n")),
        ("toml missing value", "version =\n".to_string()),
        ("toml missing equals", "version 1\n".to_string()),
        ("toml unclosed table", "version = 1\n[offer\n".to_string()),
        (
            "toml unclosed array",
            "version = 1\nx = [1, 2\n".to_string(),
        ),
        ("toml bare string", "version = 1\nx = abc\n".to_string()),
        ("toml leading zero", "version = 01\n".to_string()),
        ("toml extra comma", "version = 1\nx = [1,,2]\n".to_string()),
        (
            "toml inline table",
            "version = 1\nx = { a = 1,, }\n".to_string(),
        ),
        (
            "toml date",
            format!("{offer}\n[[courses]]\nstart = 2026-02-30\n"),
        ),
        (
            "toml float",
            offer.replace("amount = 1", "amount = 1.5e400"),
        ),
        ("toml hex", offer.replace("places = 1", "places = 0x10")),
        ("toml unknown", offer.replace("year = 2026", "yaer = 2026")),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), t))
    .collect()
}

#[test]
fn every_problem_has_a_danish_message() {
    let mut seen = Seen::default();
    let mut failures = Vec::new();

    // The conformance cases and the example requests.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/cases"))
        .unwrap()
        .chain(std::fs::read_dir(root.join("examples/requests")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the cases and examples are there");
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let response = if name.ends_with(".toml") {
            takst::evaluate_toml(&text)
        } else if file.parent().is_some_and(|p| p.ends_with("cases")) {
            let case: Value = serde_json::from_str(&text).unwrap();
            takst::evaluate_json(&case["request"].to_string())
        } else {
            takst::evaluate_json(&text)
        };
        check(&name, &response, &mut seen, &mut failures);
    }

    for (name, request) in json_requests() {
        check(
            &name,
            &takst::evaluate_json(&request),
            &mut seen,
            &mut failures,
        );
    }
    for (name, request) in toml_requests() {
        check(
            &name,
            &takst::evaluate_toml(&request),
            &mut seen,
            &mut failures,
        );
    }
    // Limits: bytes, lists, the explanation's figures.
    let small = takst::Limits {
        request_bytes: 100_000,
        cost_lines: 1,
        explanation_nodes: 10,
        ..takst::Limits::default()
    };
    let two_lines = offer(json!({"offer": {"costs": [
        {"label": "a", "category": "wages", "amount": "1"},
        {"label": "b", "category": "wages", "amount": "1"}
    ]}}));
    let explain = offer(json!({"options": {"explain": true}}));
    let big = format!("{}{}", " ".repeat(100_001), offer(json!({})));
    for (name, request) in [("limits", two_lines), ("explain", explain), ("bytes", big)] {
        let response = takst::evaluate_json_with(&request, &small);
        check(name, &response, &mut seen, &mut failures);
    }

    if std::env::var_os("TAKST_PRINT_DA").is_some() {
        for (name, codes) in &seen.by_request {
            println!("{name}: {codes}");
        }
        for m in &seen.messages {
            println!("{m}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The requests reach every warning, and the errors a request can cause.
    let warnings = [
        "occupancy_below_band",
        "occupancy_above_band",
        "occupancy_years",
        "overhead_above_cap",
        "service_mix_not_100",
        "rounding_residue",
        "module_order",
        "part_time_residential",
        "zero_tariff",
        "empty_overhead_base",
        "tariff_year_unknown",
        "no_month_tariff",
        "no_average_tariff",
        "reserve_expired",
        "reserve_expiring",
        "refund_year_unknown",
        "notice_beyond_end",
        "change_beyond_end",
        "settlement_not_split",
        "add_on_twice",
        "add_on_already_ended",
        "part_time_mismatch",
        "buyer_other_municipality",
        "comparison_at_full_day",
        "day_basis_billed_daily",
        "package_mismatch",
        "base_funding_not_in_offer",
        "partner_billed_full_tariff",
        "period_tariff_mismatch",
        "municipality_spelling",
        "partner_without_share",
        "part_time_above_full",
        "tariff_off_step",
        "scenario_changes_outside_figures",
    ];
    let missing: Vec<_> = warnings
        .iter()
        .filter(|w| !seen.warnings.contains(**w))
        .collect();
    assert!(
        missing.is_empty(),
        "no request gave the warnings {missing:?}"
    );
    let errors = [
        "syntax",
        "unknown_field",
        "missing_field",
        "invalid_type",
        "invalid_value",
        "invalid_number",
        "unsupported_version",
        "negative",
        "not_positive",
        "out_of_range",
        "duplicate_id",
        "unknown_reference",
        "missing_value",
        "conflict",
        "duplicate_key",
        "limit_exceeded",
        "overflow",
        "depends_on_error",
    ];
    let missing: Vec<_> = errors
        .iter()
        .filter(|e| !seen.errors.contains(**e))
        .collect();
    assert!(missing.is_empty(), "no request gave the errors {missing:?}");
}

/// Every leaf of `v` replaced, one at a time, by each of `with`.
fn mutations(v: &Value, with: &[Value]) -> Vec<Value> {
    fn walk(v: &Value, at: &mut Vec<String>, leaves: &mut Vec<Vec<String>>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    at.push(k.clone());
                    walk(x, at, leaves);
                    at.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    at.push(i.to_string());
                    walk(x, at, leaves);
                    at.pop();
                }
            }
            _ => leaves.push(at.clone()),
        }
    }
    let mut leaves = Vec::new();
    walk(v, &mut Vec::new(), &mut leaves);
    let mut out = Vec::new();
    for leaf in leaves {
        for w in with {
            let mut m = v.clone();
            let pointer = format!("/{}", leaf.join("/"));
            if let Some(slot) = m.pointer_mut(&pointer) {
                *slot = w.clone();
                out.push(m);
            }
        }
    }
    out
}

#[test]
fn mutated_examples_speak_danish() {
    // Each value of the example requests replaced by a careless one: every problem found
    // still has a Danish message.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/requests");
    let with = [
        Value::Null,
        json!(true),
        json!("x"),
        json!(-1),
        json!(0),
        json!("-1234.5"),
        json!([]),
        json!({}),
        json!("2026-02-30"),
        json!(1.5),
        json!(99999999999i64),
    ];
    let mut seen = Seen::default();
    let mut failures = Vec::new();
    let mut count = 0;
    for name in ["course.json", "elbaek.json", "financing.json"] {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(name)).unwrap()).unwrap();
        for (i, m) in mutations(&v, &with).into_iter().enumerate() {
            let mut m = m;
            if let Some(o) = m.get_mut("options").and_then(Value::as_object_mut) {
                o.insert("explain".into(), json!(false));
            }
            check(
                &format!("{name} #{i}"),
                &takst::evaluate_json(&m.to_string()),
                &mut seen,
                &mut failures,
            );
            count += 1;
        }
    }
    assert!(count > 1000, "{count} requests");
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} problems, e.g.:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
    assert!(seen.errors.len() >= 10, "{:?}", seen.errors);
}

#[test]
fn the_checks_themselves_work() {
    assert_eq!(english_number("Antallet er 1.234.567,50."), None);
    assert_eq!(english_number("Året 2026 og 1900–2200."), None);
    assert_eq!(english_number("128-bit og 10^28"), None);
    assert_eq!(
        english_number("beløbet 1462.80 kr."),
        Some("1462.80".into())
    );
    assert_eq!(english_number("beløbet 100000 kr."), Some("100000".into()));
    assert_eq!(english_number("1.5 dage"), Some("1.5".into()));
    assert_eq!(
        own_words("Feltet `amount` findes \"the x\" ikke"),
        "Feltet  findes  ikke"
    );
}

#[test]
fn messages_from_serde_keep_english_for_direct_callers() {
    // A model type read with serde_json directly: the plain English message, no Danish and no
    // separator.
    let e = serde_json::from_str::<takst::Course>(r#"{"start": "2026-02-30", "phases": []}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("day 30 does not exist: 2026-02 has 28 days"),
        "{e}"
    );
    // Through takst's reader, the same problem in both languages.
    let v: Value = serde_json::from_str(&takst::evaluate_json(&course(json!({"courses": [
        {"start": "2026-02-30", "phases": [{"service": "a", "months": 1}]}
    ]}))))
    .unwrap();
    let e = &v["errors"][0];
    assert_eq!(e["path"], "courses[0].start");
    assert_eq!(e["message"], "day 30 does not exist: 2026-02 has 28 days");
    assert_eq!(
        e["message_da"],
        "Dag 30 findes ikke: februar 2026 har 28 dage."
    );
}

#[test]
fn danish_messages_by_example() {
    let v: Value = serde_json::from_str(&takst::evaluate_json(&offer(json!({"offer": {
        "capacity": {"places": 0},
        "costs": [{"label": "Løn", "category": "wages", "ammount": "1"}]
    }}))))
    .unwrap();
    let da: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message_da"].as_str().unwrap())
        .collect();
    assert!(
        da.contains(
            &"Feltet `ammount` findes ikke her; forventede et af: `label`, `category`, \
              `amount`, `pct`, `pct_base`, `key`, `source`."
        ),
        "{da:?}"
    );
    let v: Value = serde_json::from_str(&takst::evaluate_json(&offer(json!({"offer": {
        "capacity": {"places": "-1234.50"}
    }}))))
    .unwrap();
    assert_eq!(
        v["errors"][0]["message_da"],
        "Antallet af pladser skal være større end 0, men er -1.234,50."
    );
    // A warning, with its numbers in Danish notation.
    let v: Value = serde_json::from_str(&takst::evaluate_json(&offer(json!({"offer": {
        "occupancy": {"budgeted_pct": "92.5"}
    }}))))
    .unwrap();
    assert_eq!(
        v["warnings"][0]["message_da"],
        "Den budgetterede belægning på 92,5 % er under båndet: det aftalte bånd starter ved 95 %."
    );
}
