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

// That the schemas accept every request takst ships and every response and sheet it writes
// is checked by tests/schema/check.py (Python `jsonschema`), run by scripts/test.sh: a Rust
// JSON-Schema validator as a dev-dependency would switch on serde_json features for the
// tests that users' builds do not have.
