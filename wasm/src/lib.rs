//! WebAssembly bindings of takst.
//!
//! The only job of this crate is conversion: it hands JSON text to [`takst::evaluate_json`]
//! and returns the response's JSON text. It holds no rule of its own. JSON text in both
//! directions keeps every amount exact: the core reads numbers from their text, and the
//! response carries amounts as strings, which the JS wrapper (`wasm/js/takst.js`) parses
//! without turning them into binary floating point.
//!
//! The core never panics on input; on wasm32 a panic would abort the instance (there is no
//! unwinding), so the calculator's hostile-input tests are what keep that promise honest.

use wasm_bindgen::prelude::wasm_bindgen;

/// Evaluates a JSON request and returns the response as compact JSON text: exactly the
/// bytes of `takst::evaluate_json`. Errors are in the response (`ok: false`, `errors` with
/// `code`, `path` and `message`), never thrown.
#[wasm_bindgen(js_name = evaluateJson)]
pub fn evaluate_json(request: &str) -> String {
    takst::evaluate_json(request)
}

/// The core's limit on the size of a request, in bytes (`takst::Limits::default()`), so the
/// JS wrapper holds a whole file of several tariff sheets to the same limit.
#[wasm_bindgen(js_name = requestLimitBytes)]
pub fn request_limit_bytes() -> u32 {
    u32::try_from(takst::Limits::default().request_bytes).unwrap_or(u32::MAX)
}

/// Which module this is: `"full"` (every request but e-invoices) or `"calculator"` (the core
/// without its `provider` feature: catalogues and courses only, `unsupported` for the rest).
#[wasm_bindgen(js_name = moduleKind)]
pub fn module_kind() -> String {
    if cfg!(feature = "provider") {
        "full"
    } else {
        "calculator"
    }
    .to_string()
}

/// The version of the takst core inside this module.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn forwards_the_core_bytes() {
        let request = r#"{"version": 1, "offer": {"nmae": "x"}}"#;
        assert_eq!(super::evaluate_json(request), takst::evaluate_json(request));
    }
}
