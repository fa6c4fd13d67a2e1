//! The core without its `provider` feature (what the calculator's browser modules are built
//! from), natively, with the `explain` and `billing` features and without them:
//! `cargo test -p takst --no-default-features [--features explain,billing] --lib --tests`
//! (with the unit tests), which scripts/test.sh runs both. With the default features this file compiles to nothing.
//! The Node tests compare the three browser modules byte for byte; this checks the rule
//! itself: a request gets `unsupported` at each provider section it gives, without `billing`
//! at its `billing` section, each course's `changes` and `options.caseload`, and, without
//! `explain`, at `options.explain` when it asks for the explanation; otherwise the response
//! every binding gives.
#![cfg(not(feature = "provider"))]

use std::path::PathBuf;

use serde_json::{json, Value};

mod common;

/// In the order the core reports them.
const PROVIDER: [&str; 9] = [
    "offer",
    "tariff_notice",
    "settlement",
    "partnership",
    "base_funding",
    "special_arrangements",
    "ambulant",
    "buyer",
    "scenarios",
];

fn evaluate(request: &Value) -> Value {
    serde_json::from_str(&takst::evaluate_json(&request.to_string())).expect("a JSON response")
}

fn codes(response: &Value) -> Vec<(String, String)> {
    response["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_string(),
                e["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The sections a request gives: `null` gives no optional section, `[]` no list section.
fn given(request: &Value) -> Vec<(String, String)> {
    PROVIDER
        .iter()
        .filter(|key| match request.get(**key) {
            None => false,
            Some(Value::Null) => matches!(**key, "special_arrangements" | "scenarios"),
            Some(Value::Array(a)) if a.is_empty() => {
                !matches!(**key, "special_arrangements" | "scenarios")
            }
            Some(_) => true,
        })
        .map(|key| ("unsupported".to_string(), key.to_string()))
        .collect()
}

/// Without the `billing` feature, what a request gives that it does not read: its `billing`
/// section (whatever it is), each course's `changes` that is a list with items, and
/// `options.caseload` when it is true, in that order; with it, nothing.
fn billing_given(request: &Value) -> Vec<(String, String)> {
    if cfg!(feature = "billing") {
        return Vec::new();
    }
    let mut out = Vec::new();
    if request.get("billing").is_some() {
        out.push("billing".to_string());
    }
    for (i, course) in request["courses"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        if course["changes"].as_array().is_some_and(|c| !c.is_empty()) {
            out.push(format!("courses[{i}].changes"));
        }
    }
    if request["options"]["caseload"] == Value::Bool(true) {
        out.push("options.caseload".to_string());
    }
    out.into_iter()
        .map(|path| ("unsupported".to_string(), path))
        .collect()
}

/// Everything a request gives that this build refuses before reading it.
fn refused_before_reading(request: &Value) -> Vec<(String, String)> {
    let mut out = given(request);
    out.extend(billing_given(request));
    out
}

fn json_files(dir: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_case_and_example_is_answered_or_refused_at_its_provider_sections() {
    let mut requests: Vec<(String, Value)> = Vec::new();
    for file in json_files("../tests/cases") {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("readable"))
            .expect("a JSON case");
        requests.push((file.display().to_string(), case["request"].clone()));
    }
    for file in json_files("../examples/requests") {
        let request = serde_json::from_str(&std::fs::read_to_string(&file).expect("readable"))
            .expect("a JSON request");
        requests.push((file.display().to_string(), request));
    }
    let (mut answered, mut refused) = (0, 0);
    for (name, request) in &requests {
        let response = evaluate(request);
        let sections = refused_before_reading(request);
        if request["version"] != 1 {
            assert_eq!(codes(&response)[0].0, "unsupported_version", "{name}");
        } else if !sections.is_empty() {
            refused += 1;
            let codes = codes(&response);
            assert_eq!(response["ok"], false, "{name}");
            // Refused first. A course's changes are that course's problem: when each refusal
            // is one (and the list is not full), the other courses are priced for their own
            // problems after them, as for a course that does not read (evaluate/rest.rs).
            assert_eq!(codes[..sections.len().min(codes.len())], sections, "{name}");
            if codes.len() > sections.len() {
                assert!(
                    sections.iter().all(|(_, p)| p.ends_with("].changes")),
                    "{name}: {codes:?}"
                );
                assert!(
                    codes[sections.len()..]
                        .iter()
                        .all(|(c, p)| c != "unsupported" && p.starts_with("courses[")),
                    "{name}: {codes:?}"
                );
            }
        } else if request.get("einvoicing").is_some() {
            assert_eq!(
                codes(&response),
                [("unsupported".to_string(), "einvoicing".to_string())],
                "{name}"
            );
        } else if !cfg!(feature = "explain") && asks_explanation(request) {
            assert_eq!(response["ok"], false, "{name}: it asks for the explanation");
            // Refused, unless the request does not read: then its reading problems, as in
            // a full build (checked against the case below).
            refused += 1;
            let codes = codes(&response);
            assert!(
                codes == [("unsupported".to_string(), "options.explain".to_string())]
                    || !codes.iter().any(|(c, _)| c == "unsupported"),
                "{name}: {codes:?}"
            );
        } else {
            answered += 1;
            // Nothing of the provider's in the response of a request that gives none.
            for key in [
                "cost_base",
                "neutrality",
                "settlement",
                "scenarios",
                "buyer",
            ] {
                assert!(response.get(key).is_none(), "{name}: {key}");
            }
            assert!(
                !codes(&response).iter().any(|(c, _)| c == "unsupported"),
                "{name}"
            );
        }
    }
    // (Three answered in the first module's build: most cases ask for the explanation, and
    // those with changes or a caseload are refused there.)
    assert!(
        answered >= 3 && refused >= 5,
        "{answered} answered, {refused} refused"
    );
}

/// Whether a request asks for the explanation: `options.explain`, true by default.
fn asks_explanation(request: &Value) -> bool {
    request["options"]["explain"].as_bool().unwrap_or(true)
}

/// Without the `explain` feature (the calculator's first module), every conformance case that
/// does not ask for the explanation is answered exactly as the full build answers it (the
/// case's expected response), and one that does is refused at `options.explain` alone.
#[cfg(not(feature = "explain"))]
#[test]
fn without_explain_every_case_is_answered_as_in_a_full_build_or_refused() {
    let (mut same, mut refused) = (0, 0);
    for file in json_files("../tests/cases") {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("readable"))
            .expect("a JSON case");
        let name = file.display().to_string();
        let mut request = case["request"].clone();
        if request["version"] != 1
            || !refused_before_reading(&request).is_empty()
            || request.get("einvoicing").is_some()
        {
            continue;
        }
        let answered = |request: &Value| {
            let mut out = Vec::new();
            common::mismatches(&case["expected"], &evaluate(request), "", &mut out);
            assert!(out.is_empty(), "{name}: {out:?}");
        };
        if asks_explanation(&request) {
            refused += 1;
            let response = evaluate(&request);
            if case["expected"]["ok"] == false && response["ok"] == false {
                // A request that does not read is answered with its reading problems, as
                // in a full build (nothing is computed, so there is no explanation either).
                if codes(&response) != [("unsupported".to_string(), "options.explain".to_string())]
                {
                    answered(&request);
                }
            } else {
                assert_eq!(
                    codes(&response),
                    [("unsupported".to_string(), "options.explain".to_string())],
                    "{name}"
                );
            }
            // Asked without it, the case is answered with the full build's figures (a case
            // that expects an explanation checks the rest).
            request["options"]["explain"] = Value::Bool(false);
            if case["expected"].get("explanation").is_none() {
                answered(&request);
            }
        } else {
            same += 1;
            answered(&request);
        }
    }
    // (Without `billing` as well, the cases with changes or a caseload are left out above.)
    assert!(
        same >= 2 && refused >= 2,
        "{same} the same, {refused} refused"
    );
}

fn course_request() -> Value {
    let sheet: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/published/elbaek.json"),
        )
        .expect("the sample sheet"),
    )
    .expect("JSON");
    json!({
        "version": 1,
        "catalogue": sheet,
        "courses": [{"start": "2026-09-15", "phases": [{"service": "udredning", "months": 5}]}],
        "options": {"explain": cfg!(feature = "explain")},
    })
}

#[test]
fn null_and_empty_lists_give_no_section_as_in_a_full_build() {
    let plain = course_request();
    let expected = takst::evaluate_json(&plain.to_string());
    assert!(expected.contains("\"ok\":true"));
    for (key, value) in [
        ("offer", Value::Null),
        ("tariff_notice", Value::Null),
        ("buyer", Value::Null),
        ("special_arrangements", json!([])),
        ("scenarios", json!([])),
    ] {
        let mut request = plain.clone();
        request[key] = value;
        assert_eq!(
            takst::evaluate_json(&request.to_string()),
            expected,
            "{key}"
        );
    }
    // What a full build refuses as a wrong type is refused here too, as unsupported.
    for (key, value) in [
        ("offer", json!([])),
        ("scenarios", Value::Null),
        ("settlement", json!({})),
        ("buyer", json!({"nonsense": 1})),
    ] {
        let mut request = plain.clone();
        request[key] = value;
        assert_eq!(
            codes(&evaluate(&request)),
            [("unsupported".to_string(), key.to_string())],
            "{key}"
        );
    }
}

#[test]
fn serde_and_rust_built_requests_never_drop_a_section() {
    let mut request = course_request();
    request["buyer"] = json!({"nonsense": 1});
    let err = serde_json::from_str::<takst::Request>(&request.to_string())
        .expect_err("a provider section read through serde is an error");
    assert!(err.to_string().contains("provider"), "{err}");
    request["buyer"] = Value::Null;
    request["scenarios"] = json!([]);
    assert!(serde_json::from_str::<takst::Request>(&request.to_string()).is_ok());

    let built = takst::Request {
        offer: Some(takst::Offer::sample()),
        ..takst::Request::from_json(&course_request().to_string()).expect("a request")
    };
    let response = takst::evaluate(&built);
    assert!(!response.ok);
    assert_eq!(response.errors.len(), 1);
    assert_eq!(response.errors[0].code(), takst::ErrorCode::Unsupported);
    assert_eq!(response.errors[0].path(), "offer");
}

/// A request for e-invoices is refused before anything is priced in this build, so a course
/// that does not read does not lead to the other courses being priced either: the answer is
/// what the request gives once that course is fixed, minus what fixing it would show (found
/// in review: the other courses' problems were reported, and the fixed request reports only
/// `unsupported` at `einvoicing`).
#[test]
fn a_request_for_e_invoices_does_not_price_the_courses_that_read() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/cases/einvoice-correction-credit-note.json");
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the case")).expect("JSON");
    let mut r = case["request"].clone();
    let mut good = r["courses"][0].clone();
    if !cfg!(feature = "billing") {
        // (Refused before anything is read in a build without it.)
        if let Some(course) = good.as_object_mut() {
            course.remove("changes");
        }
    }
    let mut unknown = good.clone();
    unknown["phases"][0]["service"] = json!("ukendt");
    let mut unread = good.clone();
    unread["phases"][0]["months"] = json!(true);
    r["courses"] = json!([unread, unknown]);
    assert_eq!(
        codes(&evaluate(&r)),
        [(
            "invalid_type".to_string(),
            "courses[0].phases[0].months".to_string()
        )]
    );
    r["courses"] = json!([good, unknown]);
    assert_eq!(
        codes(&evaluate(&r)),
        [("unsupported".to_string(), "einvoicing".to_string())]
    );
}

/// Without the `explain` feature, a Rust caller who asks an offer for its explanation is told
/// it is not there (never handed an empty one), and a response made from an offer computed
/// without it is written as a full build writes it, by both writers.
#[cfg(not(feature = "explain"))]
#[test]
fn without_explain_an_offer_asked_for_its_explanation_is_refused() {
    use takst::{ErrorCode, Explain, Offer, Response};
    let refused = Offer::sample()
        .compute()
        .expect_err("no explanation in this build");
    assert_eq!(
        refused
            .as_slice()
            .iter()
            .map(|e| e.code())
            .collect::<Vec<_>>(),
        [ErrorCode::Unsupported]
    );
    let lean = Offer::sample().compute_with(Explain::No).expect("computes");
    let response = Response::from(lean);
    let text = response.to_json();
    assert!(
        text.ends_with(r#","explanation":{"version":3,"nodes":[],"kinds":[],"texts":[]}}"#),
        "{text}"
    );
    assert_eq!(response.into_json(), text);
}

/// Without the `billing` feature (the calculator's first module): a `billing` section, a
/// course's changes and the caseload are refused at their paths before anything is read, an
/// empty `changes` list and `options.caseload` false give none (the answer is the plain
/// request's), and a Rust caller is refused the same way, never answered as if they were
/// not there.
#[cfg(not(feature = "billing"))]
#[test]
fn without_billing_its_sections_are_refused_and_never_dropped() {
    let unsupported = |paths: &[&str]| -> Vec<(String, String)> {
        paths
            .iter()
            .map(|p| ("unsupported".to_string(), p.to_string()))
            .collect()
    };
    let plain = course_request();
    let expected = takst::evaluate_json(&plain.to_string());
    assert!(expected.contains("\"ok\":true"), "{expected}");
    let change = json!({"service": {"from": "2026-11-01", "service": "udvikling"}});

    let mut r = plain.clone();
    r["courses"][0]["changes"] = json!([]);
    r["options"]["caseload"] = json!(false);
    assert_eq!(takst::evaluate_json(&r.to_string()), expected);

    // Whatever the section is: a full build reads `null` as a wrong type and `{}` as none.
    for billing in [json!({}), Value::Null, json!({"invoicing": "full_months"})] {
        let mut r = plain.clone();
        r["billing"] = billing;
        assert_eq!(codes(&evaluate(&r)), unsupported(&["billing"]));
    }
    let mut r = plain.clone();
    let second = r["courses"][0].clone();
    r["courses"] = json!([second.clone(), second]);
    r["courses"][1]["changes"] = json!([change]);
    r["options"]["caseload"] = json!(true);
    r["offer"] = json!({"name": "x"});
    r["billing"] = json!({});
    let response = evaluate(&r);
    assert_eq!(
        codes(&response),
        unsupported(&["offer", "billing", "courses[1].changes", "options.caseload"])
    );
    assert!(response["errors"][2]["message_da"]
        .as_str()
        .is_some_and(|m| m.contains("beregnerens første browsermodul")));
    // A `changes` that is no list is read, and refused as a full build refuses it (its
    // errors, from the full build's conformance of the same request).
    for (changes, code, message) in [
        (
            Value::Null,
            "missing_value",
            "no value (null) where a value is required: give a list",
        ),
        (
            json!(5),
            "invalid_type",
            "invalid type: a number, expected a list",
        ),
    ] {
        let mut r = plain.clone();
        r["courses"][0]["changes"] = changes;
        let response = evaluate(&r);
        assert_eq!(
            codes(&response),
            [(code.to_string(), "courses[0].changes".to_string())]
        );
        assert_eq!(response["errors"][0]["message"], message);
    }

    // Read through serde by someone else, changes and a billing section are an error, never
    // dropped.
    let mut r = plain.clone();
    r["courses"][0]["changes"] = json!([change]);
    assert!(serde_json::from_str::<takst::Request>(&r.to_string()).is_err());
    let mut r = plain.clone();
    r["billing"] = json!({});
    assert!(serde_json::from_str::<takst::Request>(&r.to_string()).is_err());

    // Refusals are problems like any others: cut at the limit, with the note (found in
    // review: 1,001 courses with changes were 1,000 errors and no note).
    let max = takst::Limits::default().errors;
    let mut r = plain.clone();
    let mut changed = plain["courses"][0].clone();
    changed["changes"] = json!([change]);
    r["courses"] = Value::Array(vec![changed; max + 1]);
    r["billing"] = json!({});
    let listed = codes(&evaluate(&r));
    assert_eq!(listed.len(), max + 1);
    assert_eq!(
        listed[0],
        ("unsupported".to_string(), "billing".to_string())
    );
    assert_eq!(listed[max - 1].1, format!("courses[{}].changes", max - 2));
    assert_eq!(listed[max].0, "limit_exceeded");
    let built = takst::Request::from_json(&plain.to_string()).expect("a request");
    let mut course = built.courses[0].clone();
    course.changes = serde_json::from_value(json!([change])).expect("a change");
    let many = takst::Request {
        courses: vec![course; max + 1],
        ..built.clone()
    };
    let response = takst::evaluate(&many);
    assert_eq!(response.errors.len(), max + 1);
    assert_eq!(response.errors[max].code(), takst::ErrorCode::LimitExceeded);
    // Built in Rust, refused in the order a request read from text is: before its request
    // for the explanation.
    let explained = takst::Request {
        options: takst::Options {
            explain: true,
            caseload: true,
            ..built.options.clone()
        },
        ..built
    };
    let response = takst::evaluate(&explained);
    let paths: Vec<&str> = response.errors.iter().map(|e| e.path()).collect();
    assert_eq!(paths, ["options.caseload"]);

    // Built in Rust: refused by `evaluate` and by the `Pricer`.
    let request = takst::Request::from_json(&plain.to_string()).expect("a request");
    let mut course = request.courses[0].clone();
    course.changes = serde_json::from_value(json!([change])).expect("a change");
    let built = takst::Request {
        courses: vec![request.courses[0].clone(), course.clone()],
        billing: takst::Billing {
            in_advance: true,
            ..takst::Billing::default()
        },
        ..request.clone()
    };
    let response = takst::evaluate(&built);
    assert!(!response.ok);
    let paths: Vec<&str> = response.errors.iter().map(|e| e.path()).collect();
    assert_eq!(paths, ["billing", "courses[1].changes"]);
    let sheets = [request.catalogue.clone().expect("the sheet")];
    let mut pricer =
        takst::Pricer::new(&sheets, &request.index, &request.billing).expect("a pricer");
    let refused = pricer.price(&course).expect_err("no changes in this build");
    assert_eq!(refused.as_slice()[0].code(), takst::ErrorCode::Unsupported);
    assert_eq!(refused.as_slice()[0].path(), "courses[0].changes");
    // The pricer, refused the course with changes, prices the next as before.
    let quote = pricer.price(&request.courses[0]).expect("priced");
    let fresh = takst::Pricer::new(&sheets, &request.index, &request.billing)
        .expect("a pricer")
        .price(&request.courses[0])
        .expect("priced");
    assert_eq!(quote, fresh);
    // Other billing conventions are refused, never ignored.
    let other = takst::Billing {
        invoicing: takst::Invoicing::FullMonths,
        ..takst::Billing::default()
    };
    let refused = takst::Pricer::new(&sheets, &request.index, &other)
        .err()
        .expect("other conventions are refused in this build");
    assert_eq!(refused.as_slice()[0].code(), takst::ErrorCode::Unsupported);
    assert_eq!(refused.as_slice()[0].path(), "billing");
}
