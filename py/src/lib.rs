//! The native module `takst._native` behind the Python package `takst`.
//!
//! Its only job is conversion: text in, text out, and a columnar batch for pricing many
//! courses. Every rule lives in the core crate `takst`; the Python facade
//! (`py/python/takst`) turns the JSON into `Decimal`, `date`, typed results and DataFrames.
//! The GIL is released while the core computes.

use pyo3::prelude::*;

mod arrow_in;
mod arrow_out;
mod batch;
mod pyjson;

/// The native module.
#[pymodule]
mod _native {
    use pyo3::prelude::*;

    /// A request as JSON (starting with `{`) or TOML.
    fn read_request(request: &str) -> Result<takst::Request, takst::Errors> {
        if request.trim_start().starts_with('{') {
            takst::Request::from_json(request)
        } else {
            takst::Request::from_toml(request)
        }
    }

    /// The version of the takst core.
    #[pyfunction]
    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// Evaluates a JSON request; returns the response as compact JSON (never raises).
    #[pyfunction]
    fn evaluate_json(py: Python<'_>, request: &Bound<'_, pyo3::types::PyString>) -> String {
        match request.to_cow() {
            Ok(text) => py.detach(|| takst::evaluate_json(&text)),
            Err(_) => not_text(request),
        }
    }

    /// Evaluates JSON requests one after another, keeping the catalogue read last
    /// (`takst::Evaluator`): a request that gives it again with the same bytes is answered
    /// without reading it again, with the bytes `evaluate_json` answers. Used from several
    /// threads, the calls take turns.
    #[pyclass(frozen, module = "takst._native")]
    struct Evaluator(std::sync::Mutex<takst::Evaluator>);

    #[pymethods]
    impl Evaluator {
        #[new]
        fn new() -> Self {
            Evaluator(std::sync::Mutex::new(takst::Evaluator::new()))
        }

        /// Evaluates a JSON request; returns the response as compact JSON (never raises).
        fn evaluate_json(
            &self,
            py: Python<'_>,
            request: &Bound<'_, pyo3::types::PyString>,
        ) -> String {
            let Ok(text) = request.to_cow() else {
                return not_text(request);
            };
            py.detach(|| match self.0.lock() {
                Ok(mut evaluator) => evaluator.evaluate_json(&text),
                // (A thread that panicked holding it: never, as it answers `internal`.)
                Err(_) => takst::evaluate_json(&text),
            })
        }

        /// Whether the last request was answered with the catalogue held.
        fn reused_catalogue(&self) -> bool {
            self.0.lock().is_ok_and(|e| e.reused_catalogue())
        }
    }

    /// Evaluates a TOML request; returns the response as compact JSON (never raises).
    #[pyfunction]
    fn evaluate_toml(py: Python<'_>, request: &Bound<'_, pyo3::types::PyString>) -> String {
        match request.to_cow() {
            Ok(text) => py.detach(|| takst::evaluate_toml(&text)),
            Err(_) => not_text(request),
        }
    }

    /// The response to a request text with a lone surrogate (a `str` Python can hold and no
    /// UTF-8 can): `invalid_value`, where it is, as the JS package answers the same text. It
    /// used to raise `UnicodeEncodeError` out of a function that never raises.
    fn not_text(request: &Bound<'_, pyo3::types::PyString>) -> String {
        // Where: the `start` of the UnicodeEncodeError that encoding it raises.
        let at = request
            .call_method1(pyo3::intern!(request.py(), "encode"), ("utf-8",))
            .err()
            .and_then(|e| e.value(request.py()).getattr("start").ok())
            .and_then(|s| s.extract::<usize>().ok())
            .unwrap_or(0);
        takst::Response::failed(takst::Errors::from(takst::Error::new(
            takst::ErrorCode::InvalidValue,
            "",
            format!(
                "the request text has a lone surrogate at character {at}, which is not a \
                 character and cannot be written as UTF-8"
            ),
            format!(
                "Forespørgslens tekst har et enligt surrogat ved tegn {at}; det er ikke et tegn \
                 og kan ikke skrives som UTF-8."
            ),
        )))
        .into_json()
    }

    /// Reads an offer file (TOML, or JSON when `json`) with the core's reader; returns
    /// `{"ok": true, "offer": {...}}` (amounts as decimal strings) or `{"ok": false,
    /// "errors": [...]}`.
    #[pyfunction]
    #[pyo3(signature = (text, json = false))]
    fn offer_from_text(py: Python<'_>, text: &str, json: bool) -> String {
        py.detach(|| {
            let read = if json {
                takst::Offer::from_json(text)
            } else {
                takst::Offer::from_toml(text)
            };
            let v = match read {
                Ok(offer) => serde_json::json!({ "ok": true, "offer": offer }),
                Err(e) => serde_json::json!({ "ok": false, "errors": e.into_vec() }),
            };
            v.to_string()
        })
    }

    /// A request (JSON or TOML) as JSON text, for the Python side to keep and read
    /// (`takst::Request::json_text`): JSON as given; TOML read by the core's reader (a
    /// request it refuses raises its `TakstError`) and its document written as JSON, value
    /// for value as the core read it.
    #[pyfunction]
    fn request_json(py: Python<'_>, request: &str) -> PyResult<String> {
        let read = py.detach(|| {
            takst::Request::json_text(request)
                .map(std::borrow::Cow::into_owned)
                .map_err(|e| {
                    e.into_vec()
                        .iter()
                        .map(|e| serde_json::to_value(e).unwrap_or_default())
                        .collect::<Vec<_>>()
                })
        });
        read.map_err(|problems| raise(py, &problems))
    }

    /// The bundled sample offer as JSON.
    #[pyfunction]
    fn sample_offer() -> String {
        serde_json::to_string(&takst::Offer::sample()).unwrap_or_default()
    }

    /// Evaluates a request (JSON or TOML) and returns the response as Danish text (the tariff sheet,
    /// the cost base and neutrality, the course quotes, warnings or errors).
    #[pyfunction]
    fn to_text(py: Python<'_>, request: &str) -> String {
        py.detach(|| match read_request(request) {
            Ok(r) => takst::evaluate(&r).to_text(),
            Err(e) => takst::Response::failed(e).to_text(),
        })
    }

    /// Evaluates a request (JSON or TOML) and returns one financing section's Danish statement
    /// (`settlement`, `partnership`, `base_funding`, `special_arrangements`, `ambulant`,
    /// `buyer`, `scenarios`); `None` when the request fails or has no such section.
    #[pyfunction]
    fn section_text(py: Python<'_>, request: &str, section: &str) -> Option<String> {
        py.detach(|| {
            let r = takst::evaluate(&read_request(request).ok()?);
            let join = |texts: Vec<String>| (!texts.is_empty()).then(|| texts.join("\n"));
            match section {
                "settlement" => r.settlement.map(|s| s.to_text()),
                "partnership" => r.partnership.map(|s| s.to_text()),
                "base_funding" => r.base_funding.map(|s| s.to_text()),
                "special_arrangements" => {
                    join(r.special_arrangements.iter().map(|s| s.to_text()).collect())
                }
                "ambulant" => r.ambulant.map(|s| s.to_text()),
                "buyer" => r.buyer.map(|s| s.to_text()),
                "tariff_notice" => r.tariff_notice.map(|s| s.to_text()),
                "scenarios" => join(r.scenarios.iter().map(|s| s.to_text(0)).collect()),
                _ => None,
            }
        })
    }

    /// Evaluates a request (JSON or TOML) with the explanation and renders one figure's tree as
    /// Danish text; `None` when the request fails or has no figure with that key.
    #[pyfunction]
    fn explain_text(py: Python<'_>, request: &str, key: &str) -> Option<String> {
        py.detach(|| {
            let mut r = read_request(request).ok()?;
            r.options.explain = true;
            takst::evaluate(&r).explanation?.render(key)
        })
    }

    /// A Python value (a request, or any part of one) as request JSON: money as `Decimal`,
    /// `int` or `str`, dates as `datetime.date`, objects with `to_dict()`, numpy scalars as
    /// the values they hold. Raises the `TakstError` for what the core cannot see: a float
    /// (also a `TypeError`), NaN or an infinite `Decimal` and an integer too large for any
    /// amount (`invalid_number`), a lone surrogate (`invalid_value`), nesting deeper than
    /// the core reads (`syntax`), each at its path.
    #[pyfunction]
    #[pyo3(signature = (value, path = ""))]
    fn to_json(py: Python<'_>, value: &Bound<'_, PyAny>, path: &str) -> PyResult<String> {
        let w = crate::pyjson::Writer::new(py)?;
        let arena = takst::Arena::new();
        let mut b = takst::DocumentBuilder::new(&arena);
        if let Err(p) = w.value(&mut b, value, &|| path.to_owned()) {
            return Err(match p.raise {
                Some(e) => *e,
                None => raise(py, &[p.to_json()]),
            });
        }
        match b.finish() {
            Ok(doc) => Ok(doc.to_json()),
            // Only the builder's own limits can be met here (the walk reports the rest).
            Err(e) => {
                let first = e.as_slice().first();
                let problem = serde_json::json!({
                    "code": first.map(|e| e.code()),
                    "path": path,
                    "message": first.map(|e| e.message()).unwrap_or_default(),
                });
                Err(raise(py, &[problem]))
            }
        }
    }

    /// The `TakstError` for problems found before the core (`takst.errors.error_for`).
    fn raise(py: Python<'_>, problems: &[serde_json::Value]) -> PyErr {
        let made = py
            .import("takst.errors")
            .and_then(|m| m.getattr("error_for_json"))
            .and_then(|f| f.call1((json(&problems),)));
        match made {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    }

    #[pymodule_export]
    use crate::batch::Batch;

    /// Prices many courses with `takst::evaluate` — the function every other path calls —
    /// in chunks of at most `chunk` rows, each one request read by the core's strict reader
    /// (every problem at `courses[row]…`, counted over the whole table). `head` is the
    /// request without its courses (catalogues, index, billing) as a JSON object. `courses`
    /// is either a dict of column lists (Python objects) or any Arrow table or stream
    /// (`__arrow_c_stream__`: pandas, polars, pyarrow, duckdb); the columns read are `id`,
    /// `municipality`, `offer`, `start`, `phases` and `changes`. `progress(done, total)` is
    /// called after each chunk. The GIL is released while the core prices; with
    /// `parallel` (and a second core), chunks are priced on worker threads while the next
    /// one is read, in order, with the same result. `workers` sets their number (at most 8)
    /// whatever the cores, for tests on a machine of one core.
    #[pyfunction]
    #[pyo3(signature = (head, courses, lines, progress = None, chunk = 4096, parallel = true, workers = None))]
    #[allow(clippy::too_many_arguments)]
    fn price_batch(
        py: Python<'_>,
        head: &str,
        courses: &Bound<'_, PyAny>,
        lines: bool,
        progress: Option<Bound<'_, PyAny>>,
        chunk: usize,
        parallel: bool,
        workers: Option<usize>,
    ) -> PyResult<Batch> {
        let chunk = chunk.max(1);
        crate::batch::price(py, head, courses, lines, progress, chunk, parallel, workers)
    }

    /// `n` new empty lists, in a list: the warnings column of a priced pandas table, each row
    /// a list of its own. Made here rather than by a Python loop: about 330 → 240
    /// instructions a list under callgrind, 63 → 51 ns on 300,000 (a noisy host).
    #[pyfunction]
    fn empty_lists(py: Python<'_>, n: usize) -> PyResult<Bound<'_, pyo3::types::PyList>> {
        use pyo3::types::PyList;
        PyList::new(py, (0..n).map(|_| PyList::empty(py)))
    }

    pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_else(|_| String::from("[]"))
    }
}
