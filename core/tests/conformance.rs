//! Runs the cross-binding conformance cases in `tests/cases/` (see its README for the format
//! and the matching rule).

use std::path::PathBuf;

use serde_json::Value;

mod common;

#[test]
fn conformance_cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the conformance cases in {}",
        dir.display()
    );

    let mut failures = Vec::new();
    for file in &files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("readable case"))
                .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        assert!(
            case["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name} has no description"
        );
        let response: Value = common::read_back(
            serde_json::from_str(&takst::evaluate_json(&case["request"].to_string()))
                .expect("response is JSON"),
        );
        let mut out = Vec::new();
        common::mismatches(&case["expected"], &response, "", &mut out);
        if response["ok"] == true {
            // Every computed response explains itself exactly (with the graph kept, whatever
            // the case asks for).
            if let Ok(mut request) = takst::Request::from_json(&case["request"].to_string()) {
                request.options.explain = true;
                let explanation = takst::evaluate(&request).explanation;
                match explanation.as_ref().map(|e| e.verify()) {
                    Some(Ok(())) => {}
                    Some(Err(id)) => {
                        out.push(format!("explanation node {} does not recompute", id.0))
                    }
                    None => out.push("no explanation".into()),
                }
                // And each of its figures has a key of its own (`find` names one figure).
                if let Some(e) = &explanation {
                    out.extend(repeated_keys(e));
                }
            }
        }
        if !out.is_empty() {
            failures.push(format!("{name}:\n  {}", out.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    println!("{} conformance cases passed", files.len());
}

/// The keys given to more than one figure of an explanation.
fn repeated_keys(e: &takst::Explanation) -> Vec<String> {
    let mut keys: Vec<String> = e.nodes().map(|n| n.key()).collect();
    keys.sort_unstable();
    let mut repeated: Vec<String> = keys
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| format!("the key {} is given to more than one figure", w[0]))
        .collect();
    repeated.dedup();
    repeated
}

/// The example request files are valid, and the JSON one carries exactly the sample offer.
#[test]
fn example_requests() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/requests");
    let json =
        std::fs::read_to_string(dir.join("elbaek.json")).expect("examples/requests/elbaek.json");
    let request = takst::Request::from_json(&json).expect("the example request parses");
    assert_eq!(
        request.offer,
        Some(takst::Offer::sample()),
        "elbaek.json must equal examples/elbaek.toml"
    );
    let toml = std::fs::read_to_string(dir.join("catalogue.toml"))
        .expect("examples/requests/catalogue.toml");
    let response: Value = serde_json::from_str(&takst::evaluate_toml(&toml)).expect("JSON");
    assert_eq!(response["ok"], true, "{response}");
    // Each figure of every example's explanation has a key of its own.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/requests exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable example");
        let mut request = takst::Request::from_json(&text).expect("the example parses");
        request.options.explain = true;
        let response = takst::evaluate(&request);
        assert!(response.ok, "{}: {:?}", file.display(), response.errors);
        if let Some(e) = &response.explanation {
            assert_eq!(repeated_keys(e), Vec::<String>::new(), "{}", file.display());
        }
    }
}

/// A TOML request's JSON form (what a binding keeps of it) is answered byte for byte as the
/// TOML is, and a TOML float's `+` is not carried into the JSON.
#[test]
fn a_toml_request_s_json_form_gets_the_same_answer() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/requests");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let json = takst::Request::json_text(&text).expect("reads");
        assert!(json.starts_with('{'), "{}", path.display());
        assert_eq!(
            takst::evaluate_json(&json),
            takst::evaluate_toml(&text),
            "{}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 2);
    let json = takst::Request::json_text(
        "version = 1\n[offer]\nname = \"X\"\nyear = 2026\nkind = \"day\"\n\
         capacity = { places = 10 }\noccupancy = { budgeted_pct = +96.50 }\ncosts = []\n",
    )
    .expect("reads");
    assert!(json.contains(r#""budgeted_pct":96.50"#), "{json}");
    // A request the TOML reader refuses is refused with its errors.
    let e = takst::Request::json_text("version = 1\nnmae = 2\n").unwrap_err();
    assert_eq!(e.as_slice()[0].code(), takst::ErrorCode::UnknownField);
}

/// A key names one figure also when the names a request gives repeat: two ambulant
/// products of one name, two costs of one citizen in one year (also spread by month), and
/// services of one name in a tariff notice are keyed by their ids and places, not by their
/// names.
#[test]
fn repeated_names_give_keys_of_their_own() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/requests");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).expect("example"))
            .expect("JSON")
    };
    let mut finance = read("financing.json");
    finance["options"] = serde_json::json!({"explain": true});
    finance["ambulant"]["products"][1]["name"] = "Udredning".into();
    finance["buyer"]["costs"][1]["citizen"] = "borger-1".into();
    let mut monthly = finance.clone();
    monthly["buyer"]["refund_method"] = "monthly".into();
    let mut year = read("provider-year.json");
    year["options"] = serde_json::json!({"explain": true});
    let services = serde_json::json!([
        {"id": "a", "name": "Bolig", "hours_per_week": 10, "share_pct": 50},
        {"id": "b", "name": "Bolig", "hours_per_week": 20, "share_pct": 50}]);
    year["offer"]["services"] = services.clone();
    year["tariff_notice"]["previous"]["services"] = services;
    // Two courses of one citizen in one month, in the buyer's statement by year and month.
    let citizen = serde_json::json!({"version": 1,
        "catalogue": {"format": "takst/tariff-sheet", "version": 1, "day_basis": 365,
            "rounding": {"increment": "1"},
            "offer": {"name": "O", "kind": "residential", "year": 2026},
            "services": [{"id": "s", "name": "S", "tariff": {"day": "1000"}}]},
        "courses": [
            {"id": "borger-1", "start": "2026-01-01", "phases": [{"service": "s", "days": 10}]},
            {"id": "borger-1", "start": "2026-01-05", "phases": [{"service": "s", "days": 10}]}],
        "buyer": {"refund_method": "monthly",
                  "refund": [{"year": 2026, "brackets": [{"from": "0", "pct": 50}]}]},
        "options": {"explain": true}});
    // Usage levels given twice, and a funding key over two municipalities.
    let mut partners = read("financing.json");
    partners["options"] = serde_json::json!({"explain": true});
    partners["partnership"]["usage_pct"] = serde_json::json!([100, 80, 100]);
    for (what, request) in [
        ("financing", finance),
        ("monthly", monthly),
        ("notice", year),
        ("citizen", citizen),
        ("levels", partners),
    ] {
        let request = takst::Request::from_json(&request.to_string()).expect("parses");
        let response = takst::evaluate(&request);
        assert!(response.ok, "{what}: {:?}", response.errors);
        let e = response.explanation.as_ref().expect("explained");
        assert_eq!(repeated_keys(e), Vec::<String>::new(), "{what}");
    }
}

/// The published sheet of the sample offer is what takst computes for it, and reads back as
/// a catalogue: the format the calculator and notebooks read is the format takst writes.
#[test]
fn published_sample_sheet() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/published/elbaek.json");
    let text = std::fs::read_to_string(&path).expect("examples/published/elbaek.json");
    let published: takst::TariffSheet = serde_json::from_str(&text).expect("a tariff sheet");
    let computed = takst::Offer::sample()
        .compute()
        .expect("the sample computes")
        .sheet;
    assert_eq!(
        published, computed,
        "regenerate with: cargo run --example sheet -- --json < examples/requests/elbaek.json > examples/published/elbaek.json"
    );
    let request = serde_json::json!({ "version": 1, "catalogue": published }).to_string();
    let response: Value = serde_json::from_str(&takst::evaluate_json(&request)).expect("JSON");
    assert_eq!(response["ok"], true, "{response}");
    assert_eq!(
        response["tariff_sheet"]["services"][0]["tariff"]["day"],
        "4801"
    );
}
