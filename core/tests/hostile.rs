//! Hostile and careless input: nothing panics, nothing is silently changed, clamped or
//! ignored, and every problem is reported at once with a code and the path that caused it.

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use proptest::prelude::*;
use serde_json::Value;

fn evaluate(request: &str) -> Value {
    let out = takst::evaluate_json(request);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    danish(&v);
    v
}

fn evaluate_toml(request: &str) -> Value {
    let v = serde_json::from_str(&takst::evaluate_toml(request)).unwrap();
    danish(&v);
    v
}

/// Every error and warning has its message in Danish too (`tests/danish.rs` checks the
/// language).
fn danish(v: &Value) {
    for key in ["errors", "warnings"] {
        for p in v[key].as_array().into_iter().flatten() {
            let da = p["message_da"].as_str().unwrap_or_default();
            assert!(
                !da.is_empty() && da != p["message"],
                "no Danish message: {p}"
            );
        }
    }
}

/// (code, path) of every error.
fn errors(v: &Value) -> Vec<(String, String)> {
    assert_eq!(v["ok"], false, "expected errors, got {v}");
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(v: &Value, code: &str, path: &str) -> bool {
    errors(v).iter().any(|(c, p)| c == code && p == path)
}

/// A valid JSON request whose offer fields can be replaced.
fn request(offer_fields: &str) -> String {
    format!(
        r#"{{"version": 1, "offer": {{"name": "x", "year": 2026, "kind": "day",
            "capacity": {{"places": 10}}, "occupancy": {{"budgeted_pct": 96}},
            "costs": [{{"label": "Løn", "category": "wages", "amount": "4000000"}}]
            {offer_fields}}}, "options": {{"explain": false}}}}"#
    )
}

#[test]
fn the_request_helper_is_valid() {
    assert_eq!(evaluate(&request(""))["ok"], true);
}

#[test]
fn numbers_are_read_exactly_from_their_text() {
    let v = evaluate(
        &request("").replace(r#""amount": "4000000""#, r#""amount": 1000000.00000000001"#),
    );
    assert_eq!(v["ok"], true, "{v}");
    let v = evaluate(
        &request("")
            .replace(
                r#""amount": "4000000""#,
                r#""amount": 20000000000000000001"#,
            )
            .replace(r#""explain": false"#, r#""explain": true"#),
    );
    assert_eq!(v["cost_base"]["total"], "20000000000000000001", "{v}");
    // 1e400, 10^29 and 2^127 cannot be held exactly: refused, never rounded.
    for big in ["1e400", "100000000000000000000000000000", "-1e-400"] {
        let v = evaluate(
            &request("").replace(r#""amount": "4000000""#, &format!(r#""amount": {big}"#)),
        );
        assert!(
            has(&v, "invalid_number", "offer.costs[0].amount"),
            "{big}: {v}"
        );
    }
    let toml = "version = 1\n[offer]\nname = \"x\"\nyear = 2026\nkind = \"day\"\ncapacity = { places = 1 }\noccupancy = { budgeted_pct = 96 }\ncosts = [ { label = \"a\", category = \"wages\", amount = AMOUNT } ]\n";
    for big in [
        "100000000000000000000000000000",
        "170141183460469231731687303715884105728",
    ] {
        let v = evaluate_toml(&toml.replace("AMOUNT", big));
        assert!(
            has(&v, "invalid_number", "offer.costs[0].amount"),
            "{big}: {v}"
        );
    }
    // Separators are not part of a decimal string (TOML's own 9_500_000 is a number).
    let v = evaluate(&request("").replace("4000000", "9_500_000"));
    assert!(has(&v, "invalid_number", "offer.costs[0].amount"), "{v}");
    assert_eq!(
        evaluate_toml(&toml.replace("AMOUNT", "9_500_000"))["ok"],
        true
    );
}

#[test]
fn trailing_content_is_an_error() {
    let v = evaluate(&format!("{} {{\"version\": 1}}", request("")));
    assert_eq!(errors(&v)[0].0, "syntax");
    assert!(v["errors"][0]["line"].is_number());
}

#[test]
fn serde_json_s_private_number_key_is_an_ordinary_key() {
    // serde_json (with `arbitrary_precision`) hands a number over as a one-entry object under
    // this key. Written in a request it is a key like any other: an object is no number, and
    // a field of that name is unknown here.
    let v = evaluate(r#"{"version": 1, "catalogue": {"$serde_json::private::Number": 5}}"#);
    assert!(
        has(
            &v,
            "unknown_field",
            "catalogue.$serde_json::private::Number"
        ),
        "{v}"
    );
    let v = evaluate(&request("").replace(
        r#""amount": "4000000""#,
        r#""amount": {"$serde_json::private::Number": "4e6x"}"#,
    ));
    assert!(has(&v, "invalid_type", "offer.costs[0].amount"), "{v}");
    let v = evaluate(&request("").replace(
        r#""amount": "4000000""#,
        r#""amount": {"$serde_json::private::Number": "4000000"}"#,
    ));
    assert!(has(&v, "invalid_type", "offer.costs[0].amount"), "{v}");
}

#[test]
fn positional_lists_are_not_objects() {
    let v = evaluate(r#"{"version": 1, "offer": ["x", 2026, "day"]}"#);
    assert!(has(&v, "invalid_type", "offer"), "{v}");
    let v = evaluate(&request("").replace(
        r#"[{"label": "Løn", "category": "wages", "amount": "4000000"}]"#,
        r#"[["Løn", "wages", "4000000"]]"#,
    ));
    assert!(has(&v, "invalid_type", "offer.costs[0]"), "{v}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let v = evaluate(
        r#"{"version": 1, "offer": {"nmae": "x", "yaer": 2026, "kind": "weekly",
            "capacity": {"places": "ti"}, "occupancy": {"budgeted_pct": 96},
            "costs": [{"label": "Løn", "category": "wages", "amount": "4000000"}]}}"#,
    );
    let found = errors(&v);
    for (code, path) in [
        ("unknown_field", "offer.nmae"),
        ("unknown_field", "offer.yaer"),
        ("invalid_value", "offer.kind"),
        ("invalid_number", "offer.capacity.places"),
        ("missing_field", "offer.name"),
        ("missing_field", "offer.year"),
    ] {
        assert!(
            found.iter().any(|(c, p)| c == code && p == path),
            "{code} at {path} missing from {found:?}"
        );
    }
}

#[test]
fn alternatives_need_exactly_one_known_key() {
    let with = |capacity: &str| evaluate(&request("").replace(r#"{"places": 10}"#, capacity));
    assert!(has(&with("{}"), "missing_value", "offer.capacity"));
    assert!(has(
        &with(r#"{"places": 10, "treatment_citizens": 100}"#),
        "conflict",
        "offer.capacity"
    ));
    let v = with(r#"{"places": 10, "seats": 3}"#);
    assert_eq!(
        errors(&v),
        vec![("unknown_field".into(), "offer.capacity.seats".into())]
    );
    let v = evaluate(&request("").replace(r#"{"budgeted_pct": 96}"#, "{}"));
    assert!(has(&v, "missing_value", "offer.occupancy"));
}

#[test]
fn a_repeated_key_is_reported_at_its_path() {
    let v = evaluate(&request("").replace(r#""name": "x","#, r#""name": "x", "name": "y","#));
    assert_eq!(
        errors(&v),
        vec![("duplicate_key".into(), "offer.name".into())]
    );
}

#[test]
fn syntax_errors_have_line_and_column() {
    let v = evaluate_toml("version = 1\n[offer]\nname = \n");
    assert_eq!(errors(&v)[0].0, "syntax");
    assert_eq!(v["errors"][0]["line"], 3, "{v}");
    assert!(v["errors"][0]["column"].is_number());
    let v = evaluate("{\"version\": 1,\n \"offer\": }");
    assert_eq!(
        (
            v["errors"][0]["line"].as_u64(),
            v["errors"][0]["code"].as_str()
        ),
        (Some(2), Some("syntax"))
    );
}

#[test]
fn settings_and_shares_out_of_range_are_errors_not_overflows() {
    let v = evaluate(&request(r#", "settings": {"residue_warning_pct": 1e24}"#));
    assert!(
        has(&v, "out_of_range", "offer.settings.residue_warning_pct"),
        "{v}"
    );
    let shares = r#", "services": [
        {"id": "a", "name": "A", "hours_per_week": 1, "share_pct": "70000000000000000000000000000"},
        {"id": "b", "name": "B", "hours_per_week": 1, "share_pct": "70000000000000000000000000000"}]"#;
    let v = evaluate(&request(shares));
    assert!(
        has(&v, "out_of_range", "offer.services[0].share_pct"),
        "{v}"
    );
    assert!(
        has(&v, "out_of_range", "offer.services[1].share_pct"),
        "{v}"
    );
}

#[test]
fn arithmetic_overflow_is_an_error_at_a_path() {
    let huge = r#""amount": "70000000000000000000000000000""#;
    let costs = format!(
        r#"[{{"label": "a", "category": "wages", {huge}}}, {{"label": "b", "category": "wages", {huge}}}]"#
    );
    let body = request("").replace(
        r#"[{"label": "Løn", "category": "wages", "amount": "4000000"}]"#,
        &costs,
    );
    let v = evaluate(&body);
    // The sum is held exactly; what overflows is reported at a path, never as a panic.
    if v["ok"] == false {
        let (code, path) = &errors(&v)[0];
        assert!(code == "overflow" || code == "division_by_zero", "{v}");
        assert!(path.starts_with("offer"), "{v}");
    }
    let tiny = request("").replace(
        r#"{"places": 10}"#,
        r#"{"places": "0.0000000000000000000000000001"}"#,
    );
    let v = evaluate(&tiny);
    assert_ne!(v["errors"][0]["code"], "internal", "{v}");
}

#[test]
fn an_overhead_base_without_lines_warns() {
    let v = evaluate(&request(
        r#", "costs": [{"label": "Løn", "category": "wages", "amount": "4000000"},
            {"label": "Overhead", "category": "overhead", "pct": 5, "pct_base": ["depreciation"]}]"#,
    ).replace(r#""costs": [{"label": "Løn", "category": "wages", "amount": "4000000"}]
            , "costs""#, r#""costs""#));
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["warnings"][0]["code"], "empty_overhead_base", "{v}");
    assert_eq!(v["warnings"][0]["path"], "offer.costs[1].pct");
}

#[test]
fn a_negative_tariff_is_an_error() {
    // Income keyed per occupied day exceeds the day costs: the light module would be paid
    // to take a citizen.
    let v = evaluate(&request("").replace(
        r#"[{"label": "Løn", "category": "wages", "amount": "4000000"}]"#,
        r#"[{"label": "Støtte", "category": "wages", "amount": "4000000", "key": "support_hours"},
            {"label": "Indtægt", "category": "other_income", "amount": "1000000"}],
           "services": [{"id": "let", "name": "Let", "hours_per_week": 1, "share_pct": 50},
                        {"id": "tung", "name": "Tung", "hours_per_week": 40, "share_pct": 50}]"#,
    ));
    assert!(has(&v, "negative", "offer.services[0]"), "{v}");
}

#[test]
fn occupancy_above_100_pct_is_refused_unless_allowed() {
    let v = evaluate(&request("").replace(r#""budgeted_pct": 96"#, r#""budgeted_pct": 1000"#));
    assert!(
        has(&v, "out_of_range", "offer.occupancy.budgeted_pct"),
        "{v}"
    );
    let allowed = request(r#", "settings": {"max_occupancy_pct": 1000}"#)
        .replace(r#""budgeted_pct": 96"#, r#""budgeted_pct": 1000"#);
    let v = evaluate(&allowed);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["warnings"][0]["code"], "occupancy_above_band");
}

#[test]
fn catalogues_are_checked_like_offers() {
    let v = evaluate(
        r#"{"version": 1, "catalogue": {"format": "takst/tariff-sheet", "version": 1,
            "offer": {"name": "x", "kind": "day", "year": 2026}, "day_basis": 365,
            "rounding": {"increment": "1"},
            "average": {"day": "100", "month": "-5", "year": "-60"},
            "services": [{"id": "a", "name": "A", "tariff": {"day": "100"}}],
            "package_scheme": {"basis": "-1", "interval": "-2", "band_hours_per_week": "-7"},
            "part_time": [{"of": "ghost", "days_per_week": 9, "pct": "60", "day": "60"}]}}"#,
    );
    for (code, path) in [
        ("negative", "catalogue.average.month"),
        ("negative", "catalogue.average.year"),
        ("negative", "catalogue.package_scheme.basis"),
        ("negative", "catalogue.package_scheme.interval"),
        (
            "not_positive",
            "catalogue.package_scheme.band_hours_per_week",
        ),
        ("unknown_reference", "catalogue.part_time[0].of"),
        ("out_of_range", "catalogue.part_time[0].days_per_week"),
    ] {
        assert!(has(&v, code, path), "{code} at {path}: {v}");
    }
}

#[test]
fn limits_are_enforced_with_a_clear_error() {
    let tight = takst::Limits {
        request_bytes: 100,
        ..takst::Limits::default()
    };
    let v: Value = serde_json::from_str(&takst::evaluate_json_with(&request(""), &tight)).unwrap();
    assert_eq!(errors(&v), vec![("limit_exceeded".into(), String::new())]);
    let nodes = takst::Limits {
        explanation_nodes: 5,
        ..takst::Limits::default()
    };
    let body = request("").replace(r#""explain": false"#, r#""explain": true"#);
    let v: Value = serde_json::from_str(&takst::evaluate_json_with(&body, &nodes)).unwrap();
    assert!(has(&v, "limit_exceeded", "options.explain"), "{v}");
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(errors(&evaluate(&deep))[0].0, "syntax");
    let deep_toml = format!(
        "version = 1\nx = {}{}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(!errors(&evaluate_toml(&deep_toml)).is_empty());
}

/// A valid course request to mutate.
const COURSE_REQUEST: &str = include_str!("../../examples/requests/course.json");

#[test]
fn durations_beyond_the_calendar_are_errors() {
    let big = COURSE_REQUEST.replacen(r#""months": 6"#, r#""months": 756774"#, 1);
    assert_ne!(
        big, COURSE_REQUEST,
        "the course request has a 6-month phase"
    );
    let v = evaluate(&big);
    assert!(
        errors(&v)
            .iter()
            .any(|(c, p)| c == "out_of_range" && p.ends_with(".months")),
        "{v}"
    );
}

/// A valid request to mutate.
fn sample_request() -> String {
    serde_json::json!({ "version": 1, "offer": takst::Offer::sample(), "options": { "explain": false } })
        .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any text at all gives a JSON response, never a panic.
    #[test]
    fn any_text_gives_a_response(text in ".{0,300}") {
        let out = takst::evaluate_json(&text);
        let v: Value = serde_json::from_str(&out).unwrap();
        prop_assert!(v["ok"].is_boolean());
        danish(&v);
        let out = takst::evaluate_toml(&text);
        let v: Value = serde_json::from_str(&out).unwrap();
        prop_assert!(v["ok"].is_boolean());
        danish(&v);
    }

    /// A valid request with one value replaced by anything gives a response: ok, or
    /// errors with codes and paths — never a panic and never `internal`.
    #[test]
    fn mutated_requests_never_fail_internally(
        replacement in prop::sample::select(vec![
            "-1", "0", "1e400", "\"x\"", "null", "[]", "{}", "99999999999999999999999999999",
            "0.30000000000000004", "\"-0\"", "true", "1e-30", "\"1e3\"", "[1, 2]", "{\"a\": 1}",
            "70000000000000000000000000000", "0.0000000000000000000000000001", "-0.0",
            "756774", "4294967295", "\"2026-02-29\"", "\"9999-12-31\"", "\"-009999-01-01\"",
        ]),
        course in any::<bool>(),
        pick in any::<prop::sample::Index>(),
    ) {
        let json = if course { COURSE_REQUEST.to_string() } else { sample_request() };
        let spots: Vec<usize> = json.match_indices(':').map(|(i, _)| i + 1).collect();
        let at = spots[pick.index(spots.len())];
        let end = json[at..].find([',', '}', ']']).map_or(json.len(), |e| at + e);
        let mutated = format!("{}{}{}", &json[..at], replacement, &json[end..]);
        let v: Value = serde_json::from_str(&takst::evaluate_json(&mutated)).unwrap();
        prop_assert!(v["ok"].is_boolean());
        danish(&v);
        if v["ok"] == false {
            for e in v["errors"].as_array().unwrap() {
                prop_assert!(e["code"].is_string() && e["path"].is_string());
                prop_assert_ne!(e["code"].as_str(), Some("internal"), "{}", mutated);
            }
        }
    }
}

#[test]
fn null_where_a_value_is_required_is_a_missing_value() {
    let v = evaluate(
        r#"{"version": 1, "catalogue": null,
            "courses": [{"start": null, "phases": [{"service": "x", "months": null}]}]}"#,
    );
    assert!(has(&v, "missing_value", "courses[0].start"), "{v}");
    // `months` is optional: null means not given, so the phase has no duration.
    let v = evaluate(&request("").replace(r#""amount": "4000000""#, r#""amount": null"#));
    assert!(has(&v, "missing_value", "offer.costs[0].amount"), "{v}");
    let v = evaluate(&request("").replace(r#""kind": "day""#, r#""kind": null"#));
    assert!(has(&v, "missing_value", "offer.kind"), "{v}");
    // A field with a default takes it when left out; null there is no value (an overhead's
    // `pct_base` read as its default of the direct costs, without a word).
    let overhead = r#"{"label": "Løn", "category": "wages", "amount": "4000000"},
        {"label": "OH", "category": "overhead", "pct": "5", "pct_base": null}"#;
    let v = evaluate(&request("").replace(
        r#"{"label": "Løn", "category": "wages", "amount": "4000000"}"#,
        overhead,
    ));
    assert!(has(&v, "missing_value", "offer.costs[1].pct_base"), "{v}");
    let v = evaluate(&request("").replace(
        r#"{"label": "Løn", "category": "wages", "amount": "4000000"}"#,
        &overhead.replace(r#", "pct_base": null"#, ""),
    ));
    assert_eq!(v["ok"], true, "{v}");
}

/// The published sample sheet, for course requests.
fn sheet() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/published/elbaek.json"
    ))
    .unwrap()
}

fn courses_request(courses: &str, extra: &str) -> String {
    format!(
        r#"{{"version": 1, "catalogue": {}, "courses": [{courses}] {extra},
            "options": {{"explain": false}}}}"#,
        sheet()
    )
}

fn count(v: &Value, code: &str) -> usize {
    errors(v).iter().filter(|(c, _)| c == code).count()
}

#[test]
fn every_section_reports_its_problems_and_a_dependent_one_says_so_once() {
    // An offer error, a course error, an index error and a financing error, all at once.
    let v = evaluate(
        r#"{"version": 1,
            "offer": {"name": "x", "year": 2026, "kind": "day", "capacity": {"places": 0},
                      "occupancy": {"budgeted_pct": 96},
                      "costs": [{"label": "a", "category": "wages", "amount": "-5"}]},
            "index": {"rates_pct": [{"year": 2027, "pct": "100000000000000000000"}]},
            "courses": [{"start": "2026-01-01", "phases": [{"service": "x", "months": 0}]},
                        {"start": "2026-01-01", "phases": [{"service": "x", "months": 2}]}],
            "settlement": {"year": 2026, "budget": "0", "actual_costs": "1", "revenue": "1"},
            "partnership": {"financing_base": "-1", "expected_days": "0", "partners": []},
            "options": {"explain": false}}"#,
    );
    assert!(has(&v, "not_positive", "offer.capacity.places"), "{v}");
    assert!(has(&v, "negative", "offer.costs[0].amount"), "{v}");
    assert!(has(&v, "out_of_range", "index.rates_pct[0].pct"), "{v}");
    assert!(
        has(&v, "not_positive", "courses[0].phases[0].months"),
        "{v}"
    );
    assert!(has(&v, "not_positive", "settlement.budget"), "{v}");
    assert!(has(&v, "negative", "partnership.financing_base"), "{v}");
    assert!(has(&v, "not_positive", "partnership.expected_days"), "{v}");
    assert!(has(&v, "missing_value", "partnership.partners"), "{v}");
    // The courses could not be priced: said once, not once per course.
    assert_eq!(count(&v, "depends_on_error"), 1, "{v}");
    assert!(has(&v, "depends_on_error", "courses"), "{v}");
}

/// The note after a list cut at 1,000 problems, as `evaluate` writes it.
fn v_note() -> Value {
    serde_json::to_value(takst::too_many_problems(1000)).unwrap()
}

#[test]
fn error_lists_are_capped_and_a_limit_is_reported_once() {
    let bad = r#"{"start": "2026-01-01", "phases": [{"service": "udredning", "months": 0}]}"#;
    let v = evaluate(&courses_request(&vec![bad; 3000].join(","), ""));
    let e = errors(&v);
    assert_eq!(
        e.len(),
        1001,
        "1,000 problems and one saying the list is cut"
    );
    assert_eq!(e[1000], ("limit_exceeded".to_string(), String::new()));
    // Problems found reading, cut at the same 1,000, say so the same way (they were cut
    // without a word: 1,000 listed looked like every problem).
    let unread = r#"{"start": "2026-01-01", "phases": [{"service": "udredning", "months": "x"}]}"#;
    for n in [1000, 1001, 3000] {
        let v = evaluate(&courses_request(&vec![unread; n].join(","), ""));
        let e = errors(&v);
        if n == 1000 {
            assert_eq!(e.len(), 1000, "every problem, without a note");
            assert_eq!(count(&v, "limit_exceeded"), 0);
            continue;
        }
        assert_eq!(
            e.len(),
            1001,
            "{n}: 1,000 problems and one saying the list is cut"
        );
        assert_eq!(e[999].1, "courses[999].phases[0].months");
        assert_eq!(v["errors"][1000], v_note(), "{n}");
    }
    // Explanations too large for the limit: one error, not one per course.
    let good = r#"{"start": "2026-01-01", "phases": [{"service": "udredning", "months": 12}]}"#;
    let limits = takst::Limits {
        explanation_nodes: 2_000,
        ..takst::Limits::default()
    };
    let text = courses_request(&vec![good; 500].join(","), "")
        .replace(r#""explain": false"#, r#""explain": true"#);
    let v: Value = serde_json::from_str(&takst::evaluate_json_with(&text, &limits)).unwrap();
    assert_eq!(
        errors(&v),
        [("limit_exceeded".into(), "options.explain".into())]
    );
}

#[test]
fn courses_phases_and_invoice_lines_are_limited() {
    let good = r#"{"start": "2026-01-01", "phases": [{"service": "udredning", "months": 12}]}"#;
    let limits = takst::Limits {
        courses: 10,
        invoice_lines: 100,
        phases: 3,
        ..takst::Limits::default()
    };
    let run = |text: String| -> Value {
        serde_json::from_str(&takst::evaluate_json_with(&text, &limits)).unwrap()
    };
    let v = run(courses_request(&[good; 11].join(","), ""));
    assert_eq!(errors(&v), [("limit_exceeded".into(), "courses".into())]);
    let long = r#"{"start": "2026-01-01", "phases": [
        {"service": "udredning", "months": 1}, {"service": "udredning", "months": 1},
        {"service": "udredning", "months": 1}, {"service": "udredning", "months": 1}]}"#;
    let v = run(courses_request(long, ""));
    assert_eq!(
        errors(&v),
        [("limit_exceeded".into(), "courses[0].phases".into())]
    );
    // 12 lines a course: the ninth course crosses 100 lines.
    let v = run(courses_request(&[good; 10].join(","), ""));
    assert_eq!(errors(&v), [("limit_exceeded".into(), "courses[8]".into())]);
    // Kept only for the response, the quotes can be switched off: the advice says so.
    let message = v["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("options.quotes = false"), "{message}");
    // Without quotes no lines are kept: the caseload budget has no such limit.
    let text = courses_request(&[good; 10].join(","), "").replace(
        r#""explain": false"#,
        r#""explain": false, "quotes": false, "caseload": true"#,
    );
    assert_eq!(run(text)["ok"], true);
}

#[test]
fn a_termination_is_checked_not_silently_applied() {
    let course = |changes: &str| {
        format!(
            r#"{{"start": "2026-01-01", "phases": [{{"service": "udredning", "months": 3}}],
                "changes": [{changes}]}}"#
        )
    };
    // Ten years' notice on a three-month course: billed to the planned end, with a warning.
    let v = evaluate(&courses_request(
        &course(r#"{"terminate": {"notice_given": "2026-02-01", "notice": {"months": 120}}}"#),
        "",
    ));
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["courses"][0]["days"], 90);
    let w = &v["warnings"][0];
    assert_eq!(w["code"], "notice_beyond_end");
    assert_eq!(w["path"], "courses[0].changes[0].terminate");
    // A second termination is an error, not ignored.
    let v = evaluate(&courses_request(
        &course(
            r#"{"terminate": {"notice_given": "2026-02-01"}},
               {"terminate": {"notice_given": "2026-01-10"}}"#,
        ),
        "",
    ));
    assert_eq!(
        errors(&v),
        [("conflict".into(), "courses[0].changes[1].terminate".into())]
    );
}

#[test]
fn index_rates_and_rounding_increments_have_a_range() {
    let good = r#"{"start": "2026-06-01", "phases": [{"service": "udredning", "months": 12}]}"#;
    let v = evaluate(&courses_request(
        good,
        r#", "index": {"rates_pct": [{"year": 2027, "pct": "100000000000000000000"}]}"#,
    ));
    assert_eq!(
        errors(&v),
        [
            ("out_of_range".into(), "index.rates_pct[0].pct".into()),
            ("depends_on_error".into(), "courses".into())
        ]
    );
    let v = evaluate(&courses_request(
        good,
        r#", "index": {"values": [{"year": 2026, "value": "100"}, {"year": 2027, "value": "250"}]}"#,
    ));
    assert!(has(&v, "out_of_range", "index.values[1].value"), "{v}");
    for increment in ["0", "-1"] {
        let v = evaluate(&courses_request(
            good,
            &format!(
                r#", "billing": {{"line_rounding": {{"increment": "{increment}", "mode": "half_away_from_zero"}}}}"#
            ),
        ));
        assert!(
            has(&v, "not_positive", "billing.line_rounding.increment"),
            "{v}"
        );
        assert_eq!(count(&v, "overflow"), 0, "{v}");
    }
}

/// The message of `text`'s one syntax error, checked to be at `line` and `column` and to have
/// its Danish text.
fn syntax_at(text: &str, line: u64, column: u64) -> String {
    let v = evaluate(text);
    let e = &v["errors"][0];
    assert_eq!(e["code"], "syntax", "{text}: {v}");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(line), Some(column)),
        "{text}"
    );
    assert!(
        e["message_da"].as_str().unwrap().contains("JSON"),
        "{text}: {v}"
    );
    e["message"].as_str().unwrap().to_string()
}

#[test]
fn a_malformed_json_number_is_a_syntax_error_with_its_position() {
    for (text, column) in [
        (r#"{"version": 1e}"#, 15),
        (r#"{"version": 01}"#, 14),
        (r#"{"version": -}"#, 14),
    ] {
        assert!(syntax_at(text, 1, column).starts_with("malformed number"));
    }
}

#[test]
fn nan_infinity_python_literals_and_single_quotes_are_named_where_they_are() {
    for (text, line, column, words) in [
        (
            r#"{"version": 1, "x": NaN}"#,
            1,
            21,
            "`NaN` is not a JSON number",
        ),
        (
            r#"{"version": 1, "x": -Infinity}"#,
            1,
            22,
            "`-Infinity` is not",
        ),
        (
            r#"{"version": 1, "x": nan}"#,
            1,
            22,
            "`nan` is not a JSON number",
        ),
        (
            r#"{"version": 1, "x": True}"#,
            1,
            21,
            "`True` is Python, not JSON",
        ),
        (
            r#"{"version": 1, "x": [None]}"#,
            1,
            22,
            "`None` is Python, not JSON",
        ),
        (
            "{\"version\": 1,\n \"x\": False}",
            2,
            7,
            "`False` is Python",
        ),
        (r#"{'version': 1}"#, 1, 2, "double quotes"),
        // The column is serde_json's: in bytes (æ, ø and å are two each).
        (r#"{"æøå": 1, "x": Infinity}"#, 1, 20, "`Infinity` is not"),
    ] {
        let message = syntax_at(text, line, column);
        assert!(message.contains(words), "{text}: {message}");
    }
    // Not for a word that only begins like one.
    for text in [
        r#"{"version": 1, "x": truex}"#,
        r#"{"version": 1, "x": [1, Nope]}"#,
    ] {
        let v = evaluate(text);
        let message = v["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with("expected"), "{text}: {message}");
    }
}

/// The example course request with every day tariff (and the average) at `day` and no month
/// tariffs, and its course.
fn course_at_day_tariff(day: &str) -> (Value, Value) {
    let mut r: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/requests/course.json"
        ))
        .expect("examples/requests/course.json"),
    )
    .expect("JSON");
    for s in r["catalogue"]["services"].as_array_mut().expect("services") {
        s["tariff"]["day"] = day.into();
        s["tariff"]
            .as_object_mut()
            .expect("a tariff")
            .remove("month");
    }
    r["catalogue"]["average"]["day"] = day.into();
    let course = r["courses"][0].clone();
    (r, course)
}

#[test]
fn a_caseload_budget_beyond_a_decimal_is_an_overflow_error_not_a_panic() {
    // Each course's months fit a decimal; 250 of them in one budget do not.
    let (mut r, course) = course_at_day_tariff("1000000000000000000000000");
    r["courses"] = Value::Array(vec![course; 250]);
    r["options"] = serde_json::json!({"explain": false, "quotes": false, "caseload": true});
    let v = evaluate(&r.to_string());
    assert_eq!(v["ok"], false, "{v}");
    let (code, path) = &errors(&v)[0];
    assert_eq!(code, "overflow", "{v}");
    assert!(path.starts_with("courses["), "{path}");
    // Without the caseload the same courses are priced.
    r["options"]["caseload"] = false.into();
    assert_eq!(evaluate(&r.to_string())["ok"], true);
}

#[test]
fn a_caseload_sum_that_would_lose_its_ore_is_an_overflow_not_a_rounded_sum() {
    // rust_decimal fits a sum beyond 96 bits at two decimals by dropping decimals (…345.03
    // for …345.033); takst refuses it instead. A day tariff of 10^24 kr and 1 øre: one
    // course's budget keeps its øre, two courses' total needs 29 digits at two decimals.
    let (mut r, course) = course_at_day_tariff("1000000000000000000000000.01");
    r["options"] = serde_json::json!({"explain": false, "quotes": true, "caseload": true});
    r["courses"] = Value::Array(vec![course.clone()]);
    let one = evaluate(&r.to_string());
    assert_eq!(one["ok"], true, "{one}");
    // The budget is the course's own total (summed exactly as a fraction), to the øre.
    assert_eq!(one["courses"][0]["total"], "460300000000000000000022268.57");
    assert_eq!(one["caseload"][0]["total"], one["courses"][0]["total"]);
    r["options"]["quotes"] = false.into();
    r["courses"] = Value::Array(vec![course; 2]);
    let two = evaluate(&r.to_string());
    assert_eq!(two["ok"], false, "{two}");
    let (code, path) = &errors(&two)[0];
    assert_eq!(code, "overflow", "{two}");
    assert!(path.starts_with("courses["), "{path}");
}

#[test]
fn a_course_total_that_cannot_be_written_in_ore_is_an_overflow() {
    // Some 9.1 × 10^26 kr: exact, and its last decimal is 0, so a Decimal can hold it in
    // tenths but not in øre; an amount is written in øre or not at all.
    let (mut r, _) = course_at_day_tariff("2000000000000000000000000.10");
    r["options"] = serde_json::json!({"explain": false});
    let v = evaluate(&r.to_string());
    assert_eq!(v["ok"], false, "{v}");
    let (code, path) = &errors(&v)[0];
    assert_eq!(code, "overflow", "{v}");
    assert!(path.starts_with("courses[0]"), "{path}");
}
