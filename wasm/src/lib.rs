//! WebAssembly bindings of takst — stub.
//!
//! This crate will become the wasm-bindgen `cdylib` behind the web calculator. Its only job is
//! conversion: it exposes [`takst::evaluate`] and holds no rule of its own. Until then it
//! forwards the JSON entry point, so that the layout and the build are final.

/// Evaluates a JSON request; the function the JS module will expose as `evaluate`.
pub fn evaluate_json(request: &str) -> String {
    takst::evaluate_json(request)
}
