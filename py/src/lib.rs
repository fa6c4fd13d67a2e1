//! The native module `takst._native` behind the Python package `takst`.
//!
//! Its only job is conversion: text in, text out, and a columnar batch for pricing many
//! courses. Every rule lives in the core crate `takst`; the Python facade
//! (`py/python/takst`) turns the JSON into `Decimal`, `date`, typed results and DataFrames.
//! The GIL is released while the core computes.

use pyo3::prelude::*;

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
    fn evaluate_json(py: Python<'_>, request: &str) -> String {
        py.detach(|| takst::evaluate_json(request))
    }

    /// Evaluates a TOML request; returns the response as compact JSON (never raises).
    #[pyfunction]
    fn evaluate_toml(py: Python<'_>, request: &str) -> String {
        py.detach(|| takst::evaluate_toml(request))
    }

    /// Reads an offer file (TOML) with the core's reader; returns `{"ok": true, "offer":
    /// {...}}` (amounts as decimal strings) or `{"ok": false, "errors": [...]}`.
    #[pyfunction]
    fn offer_from_toml(py: Python<'_>, text: &str) -> String {
        py.detach(|| {
            let v = match takst::Offer::from_toml(text) {
                Ok(offer) => serde_json::json!({ "ok": true, "offer": offer }),
                Err(e) => serde_json::json!({ "ok": false, "errors": e.into_vec() }),
            };
            v.to_string()
        })
    }

    /// The bundled sample offer as JSON.
    #[pyfunction]
    fn sample_offer() -> String {
        serde_json::to_string(&takst::Offer::sample()).unwrap_or_default()
    }

    /// Evaluates a JSON request and returns the response as Danish text (the tariff sheet,
    /// the cost base and neutrality, the course quotes, warnings or errors).
    #[pyfunction]
    fn to_text(py: Python<'_>, request: &str) -> String {
        py.detach(|| match read_request(request) {
            Ok(r) => takst::evaluate(&r).to_text(),
            Err(e) => takst::Response::failed(e).to_text(),
        })
    }

    /// Evaluates a JSON request and returns one financing section's Danish statement
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
                "scenarios" => join(r.scenarios.iter().map(|s| s.to_text(0)).collect()),
                _ => None,
            }
        })
    }

    /// Evaluates a JSON request with the explanation and renders one figure's tree as
    /// Danish text; `None` when the request fails or has no figure with that key.
    #[pyfunction]
    fn explain_text(py: Python<'_>, request: &str, key: &str) -> Option<String> {
        py.detach(|| {
            let mut r = read_request(request).ok()?;
            r.options.explain = true;
            takst::evaluate(&r).explanation?.render(key)
        })
    }

    /// The columns of a priced batch.
    #[pyclass(frozen, get_all)]
    struct Batch {
        /// Per course: its total, as a decimal string.
        totals: Vec<String>,
        /// Per course: the days billed.
        days: Vec<u32>,
        /// Per course: the same days at the flat average tariff, or `None`.
        flats: Vec<Option<String>>,
        /// Per course: the flat-tariff comparison's difference (course − flat), or `None`.
        differences: Vec<Option<String>>,
        /// Per course: what its changes did to the price (changed − original), or `None`.
        changes: Vec<Option<String>>,
        /// Errors as a JSON list (`[]` when every course was priced).
        errors: String,
        /// Every warning of the request as a JSON list.
        warnings: String,
        /// Per course, its own warnings: a JSON list of lists.
        row_warnings: String,
        /// Invoice lines (when asked for): the course's row, month, phase, service, add-on,
        /// first and last day, days, tariff, tariff year, amount, invoice date.
        line_row: Vec<u32>,
        line_month: Vec<String>,
        line_phase: Vec<u32>,
        line_service: Vec<String>,
        line_add_on: Vec<Option<String>>,
        line_from: Vec<String>,
        line_to: Vec<String>,
        line_days: Vec<u32>,
        line_tariff: Vec<String>,
        line_year: Vec<i32>,
        line_amount: Vec<String>,
        line_invoice_date: Vec<String>,
    }

    /// Prices the courses of a JSON request (catalogues, index, billing, courses) with
    /// `takst::evaluate` — the function every other path calls — and returns the results as
    /// columns. The request is read by the core's strict reader, so every problem is an
    /// error at its path (`courses[17].start`). The GIL is released while the core works.
    #[pyfunction]
    #[pyo3(signature = (request, lines))]
    fn price_batch(py: Python<'_>, request: &str, lines: bool) -> Batch {
        py.detach(|| batch(request, lines))
    }

    fn batch(request: &str, lines: bool) -> Batch {
        let mut out = Batch {
            totals: Vec::new(),
            days: Vec::new(),
            flats: Vec::new(),
            differences: Vec::new(),
            changes: Vec::new(),
            errors: String::from("[]"),
            warnings: String::from("[]"),
            row_warnings: String::from("[]"),
            line_row: Vec::new(),
            line_month: Vec::new(),
            line_phase: Vec::new(),
            line_service: Vec::new(),
            line_add_on: Vec::new(),
            line_from: Vec::new(),
            line_to: Vec::new(),
            line_days: Vec::new(),
            line_tariff: Vec::new(),
            line_year: Vec::new(),
            line_amount: Vec::new(),
            line_invoice_date: Vec::new(),
        };
        let mut request = match takst::Request::from_json(request) {
            Ok(r) => r,
            Err(e) => {
                out.errors = json(&e.into_vec());
                return out;
            }
        };
        request.options.explain = false;
        request.options.quotes = true;
        let response = takst::evaluate(&request);
        if !response.ok {
            out.errors = json(&response.errors);
            return out;
        }
        let n = response.courses.len();
        out.totals.reserve(n);
        out.days.reserve(n);
        let mut row_warnings = Vec::with_capacity(n);
        for (row, quote) in response.courses.iter().enumerate() {
            out.totals.push(quote.total.to_string());
            out.days.push(quote.days);
            out.flats
                .push(quote.comparison.as_ref().map(|c| c.flat.to_string()));
            out.differences
                .push(quote.comparison.as_ref().map(|c| c.difference.to_string()));
            out.changes
                .push(quote.changes.as_ref().map(|c| c.difference.to_string()));
            row_warnings.push(&quote.warnings);
            if lines {
                for l in &quote.lines {
                    out.line_row.push(u32::try_from(row).unwrap_or(u32::MAX));
                    out.line_month.push(l.month.to_string());
                    out.line_phase.push(l.phase);
                    out.line_service.push(l.service.to_string());
                    out.line_add_on
                        .push(l.add_on.as_ref().map(|a| a.to_string()));
                    out.line_from.push(l.from.to_string());
                    out.line_to.push(l.to.to_string());
                    out.line_days.push(l.days);
                    out.line_tariff.push(l.tariff.to_string());
                    out.line_year.push(l.tariff_year);
                    out.line_amount.push(l.amount.to_string());
                    out.line_invoice_date.push(l.invoice_date.to_string());
                }
            }
        }
        out.row_warnings = json(&row_warnings);
        out.warnings = json(&response.warnings);
        out
    }

    fn json<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_else(|_| String::from("[]"))
    }
}
