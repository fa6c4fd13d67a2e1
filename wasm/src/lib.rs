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

use std::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;

/// The allocator: talc, smaller than wasm32's default dlmalloc (see `wasm/Cargo.toml`). The
/// module is single-threaded (no `atomics`), which is what `WasmDynamicTalc` is for; it grows
/// the memory as dlmalloc does, and an allocation that cannot be had aborts the instance, as
/// with dlmalloc (takst.js answers `internal`, and `init()` starts a new instance).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

thread_local! {
    /// The catalogue read last, kept for the next request (`takst::Evaluator`): the
    /// calculator sends its tariff sheet with every recompute, and reading it was some 40 %
    /// of the core's work there. Its answers are `takst::evaluate_json`'s bytes. A new
    /// instance (after an `internal` error, `init()`) starts without one.
    static EVALUATOR: RefCell<takst::Evaluator> = RefCell::new(takst::Evaluator::new());
}

/// Evaluates a JSON request and returns the response as compact JSON text: exactly the
/// bytes of `takst::evaluate_json`. Errors are in the response (`ok: false`, `errors` with
/// `code`, `path` and `message`), never thrown.
#[wasm_bindgen(js_name = evaluateJson)]
pub fn evaluate_json(request: &str) -> String {
    let response = EVALUATOR
        .with(|e| {
            e.try_borrow_mut()
                .ok()
                .map(|mut e| e.evaluate_json(request))
        })
        .unwrap_or_else(|| takst::Evaluator::new().evaluate_json(request));
    if response.len() > LONGEST_JS_STRING {
        return too_long();
    }
    response
}

/// The longest string V8 makes (2^29 − 24 UTF-16 units; Firefox's and Safari's are longer),
/// and so the longest response every browser can take: a UTF-8 text of at most this many
/// bytes decodes to at most as many units. A longer one (thousands of courses with the
/// explanation) would fail in the glue's decoder, in words that differ from browser to
/// browser; it is answered here, the same everywhere.
const LONGEST_JS_STRING: usize = (1 << 29) - 24;

fn too_long() -> String {
    takst::Response::failed(takst::Errors::from(takst::Error::new(
        takst::ErrorCode::LimitExceeded,
        "",
        "the response is longer than a browser's longest string (512 MiB); ask for fewer \
         courses at a time, or without the explanation",
        "Svaret er længere end den længste tekst, en browser kan rumme (512 MiB); beregn \
         færre forløb ad gangen eller uden forklaringen.",
    )))
    .into_json()
}

/// The core's limit on the size of a request, in bytes (`takst::Limits::default()`), so the
/// JS wrapper holds a whole file of several tariff sheets to the same limit.
#[wasm_bindgen(js_name = requestLimitBytes)]
pub fn request_limit_bytes() -> u32 {
    u32::try_from(takst::Limits::default().request_bytes).unwrap_or(u32::MAX)
}

/// Which module this is: `"full"` (every request but e-invoices), `"calculator"` (the core
/// without its `provider` feature: catalogues and courses only, `unsupported` for the rest) or
/// `"figures"` (the calculator's without the `explain` and `billing` features as well: also
/// `unsupported` for a request that asks for the explanation, gives a `billing` section, a
/// course's changes or `options.caseload: true`). build.sh builds only these three.
#[wasm_bindgen(js_name = moduleKind)]
pub fn module_kind() -> String {
    if cfg!(feature = "provider") {
        "full"
    } else if cfg!(feature = "explain") {
        "calculator"
    } else {
        "figures"
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
        // A catalogue given again is lent (takst::Evaluator): the same bytes.
        let sheet = include_str!("../../examples/published/elbaek.json");
        let request =
            format!(r#"{{"version": 1, "catalogue": {sheet}, "options": {{"explain": false}}}}"#);
        for lent in [false, true] {
            assert_eq!(
                super::evaluate_json(&request),
                takst::evaluate_json(&request)
            );
            let reused = super::EVALUATOR.with(|e| e.borrow().reused_catalogue());
            assert_eq!(reused, lent);
        }
    }
}
