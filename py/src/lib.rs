//! Python bindings of takst — stub.
//!
//! This crate will become the `cdylib` behind the Python package `takst` (pyo3 + maturin). Its
//! only job is conversion: it exposes [`takst::evaluate`] and the types around it, and holds
//! no rule of its own. Until then it forwards the JSON entry point, so that the layout and the
//! build are final.

/// Evaluates a JSON request; the function the Python module will expose as `evaluate_json`.
pub fn evaluate_json(request: &str) -> String {
    takst::evaluate_json(request)
}
