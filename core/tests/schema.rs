//! The committed JSON Schemas in `schema/` must match the types. After changing a format type,
//! regenerate them with `cargo run --example schema` (or `TAKST_BLESS=1 cargo test --test schema`)
//! and commit the result with the change.

use std::path::PathBuf;

fn check(file: &str, generated: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../schema")
        .join(file);
    if std::env::var_os("TAKST_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("schema written");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/{file} is out of date with the types: run `cargo run --example schema` and commit it"
    );
}

#[test]
fn schemas_are_current() {
    check("request.schema.json", takst::schema::request());
    check("response.schema.json", takst::schema::response());
    check("tariff-sheet.schema.json", takst::schema::tariff_sheet());
}

#[test]
fn schemas_describe_the_formats() {
    let request: serde_json::Value = serde_json::from_str(&takst::schema::request()).unwrap();
    assert_eq!(
        request["additionalProperties"], false,
        "unknown fields are rejected"
    );
    let defs = &request["$defs"];
    assert!(defs["Offer"]["properties"]["costs"].is_object());
    assert!(defs["Decimal"]["anyOf"].is_array());
}

/// Every error and warning code in the schema is documented in docs/format.md.
#[test]
fn every_code_is_documented() {
    let docs = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/format.md"),
    )
    .unwrap();
    let response: serde_json::Value = serde_json::from_str(&takst::schema::response()).unwrap();
    for def in ["ErrorCode", "WarningCode"] {
        let variants = response["$defs"][def]["oneOf"]
            .as_array()
            .unwrap_or_else(|| panic!("{def} has variants"));
        for v in variants {
            let code = v["const"]
                .as_str()
                .or_else(|| v["enum"][0].as_str())
                .unwrap();
            assert!(
                docs.contains(&format!("| `{code}` |")),
                "docs/format.md does not document {def} `{code}`"
            );
        }
    }
}

/// The committed schemas accept every request the project ships (conformance cases that
/// compute, example requests) and every response and tariff sheet takst writes for them, and
/// reject a misspelt field: the schema describes the format, not merely the types.
#[test]
fn schemas_accept_what_takst_reads_and_writes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let load = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join("schema").join(name)).unwrap())
            .unwrap()
    };
    let request = jsonschema::validator_for(&load("request.schema.json")).unwrap();
    let response = jsonschema::validator_for(&load("response.schema.json")).unwrap();
    let sheet = jsonschema::validator_for(&load("tariff-sheet.schema.json")).unwrap();

    let mut requests = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/cases")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let case: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if case["expected"]["ok"] == true {
                requests.push((path.display().to_string(), case["request"].clone()));
            }
        }
    }
    let example = std::fs::read_to_string(root.join("examples/requests/elbaek.json")).unwrap();
    requests.push((
        "examples/requests/elbaek.json".into(),
        serde_json::from_str(&example).unwrap(),
    ));
    assert!(requests.len() > 8);

    for (name, req) in &requests {
        let errors: Vec<String> = request
            .iter_errors(req)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}: request schema rejects it: {errors:?}"
        );
        let out: serde_json::Value =
            serde_json::from_str(&takst::evaluate_json(&req.to_string())).unwrap();
        let errors: Vec<String> = response
            .iter_errors(&out)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}: response schema rejects the response: {errors:?}"
        );
        let errors: Vec<String> = sheet
            .iter_errors(&out["tariff_sheet"])
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}: tariff-sheet schema rejects the sheet: {errors:?}"
        );
    }

    let mut typo = requests.last().map(|(_, r)| r.clone()).unwrap();
    typo["offer"]["nmae"] = "x".into();
    assert!(
        !request.is_valid(&typo),
        "unknown fields must be rejected by the schema too"
    );
}
