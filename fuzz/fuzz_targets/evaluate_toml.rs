//! Any bytes as a TOML request: the response is always well-formed JSON, and no input is
//! answered with `internal` (a bug) or a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(&takst::evaluate_toml(text));
    }
});

fn check(out: &str) {
    let v: serde_json::Value = serde_json::from_str(out).expect("the response is JSON");
    assert!(v["ok"].is_boolean(), "{out}");
    if let Some(errors) = v["errors"].as_array() {
        for e in errors {
            assert_ne!(e["code"], "internal", "{out}");
        }
    }
}
