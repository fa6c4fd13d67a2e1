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
    use pyo3::exceptions::PyValueError;
    use pyo3::prelude::*;
    use takst::{Billing, Course, Indexation, Phase, Pricer, Quote, TariffSheet};

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
        /// Per course: the flat-tariff comparison's difference (course − flat), or `None`.
        differences: Vec<Option<String>>,
        /// Errors as a JSON list (`[]` when every course was priced).
        errors: String,
        /// Warnings as a JSON list.
        warnings: String,
        /// Invoice lines (when asked for): the course's row, month, service, add-on, days,
        /// tariff, tariff year, amount.
        line_row: Vec<u32>,
        line_month: Vec<String>,
        line_service: Vec<String>,
        line_add_on: Vec<Option<String>>,
        line_days: Vec<u32>,
        line_tariff: Vec<String>,
        line_year: Vec<i32>,
        line_amount: Vec<String>,
    }

    fn read<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> PyResult<T> {
        serde_json::from_str(text).map_err(|e| PyValueError::new_err(format!("{what}: {e}")))
    }

    /// Prices many courses from tariff sheets: the rows give each course's id, municipality,
    /// offer, start date (ISO) and the index of its plan in `plans` (JSON lists of phases,
    /// each read once however many rows share it). The GIL is released while pricing.
    #[pyfunction]
    #[pyo3(signature = (sheets, index, billing, ids, municipalities, offers, starts, plan_of, plans, lines))]
    #[allow(clippy::too_many_arguments)]
    fn price_batch(
        py: Python<'_>,
        sheets: &str,
        index: &str,
        billing: &str,
        ids: Vec<Option<String>>,
        municipalities: Vec<Option<String>>,
        offers: Vec<Option<String>>,
        starts: Vec<String>,
        plan_of: Vec<usize>,
        plans: Vec<String>,
        lines: bool,
    ) -> PyResult<Batch> {
        let n = starts.len();
        if [ids.len(), municipalities.len(), offers.len(), plan_of.len()]
            .iter()
            .any(|&l| l != n)
        {
            return Err(PyValueError::new_err(
                "the batch's columns differ in length",
            ));
        }
        let sheets: Vec<TariffSheet> = read("sheets", sheets)?;
        let index: Indexation = read("index", index)?;
        let billing: Billing = read("billing", billing)?;
        let plans: Vec<Vec<Phase>> = plans
            .iter()
            .enumerate()
            .map(|(i, p)| read(&format!("plans[{i}]"), p))
            .collect::<PyResult<_>>()?;
        py.detach(move || {
            price(
                &sheets,
                &index,
                &billing,
                ids,
                municipalities,
                offers,
                starts,
                plan_of,
                &plans,
                lines,
            )
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn price(
        sheets: &[TariffSheet],
        index: &Indexation,
        billing: &Billing,
        ids: Vec<Option<String>>,
        municipalities: Vec<Option<String>>,
        offers: Vec<Option<String>>,
        starts: Vec<String>,
        plan_of: Vec<usize>,
        plans: &[Vec<Phase>],
        lines: bool,
    ) -> PyResult<Batch> {
        let n = starts.len();
        let mut out = Batch {
            totals: Vec::with_capacity(n),
            days: Vec::with_capacity(n),
            differences: Vec::with_capacity(n),
            errors: String::from("[]"),
            warnings: String::from("[]"),
            line_row: Vec::new(),
            line_month: Vec::new(),
            line_service: Vec::new(),
            line_add_on: Vec::new(),
            line_days: Vec::new(),
            line_tariff: Vec::new(),
            line_year: Vec::new(),
            line_amount: Vec::new(),
        };
        let mut pricer = match Pricer::new(sheets, index, billing) {
            Ok(p) => p,
            Err(e) => {
                out.errors = json(&e.into_vec());
                return Ok(out);
            }
        };
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut quote = Quote::default();
        let rows = ids
            .into_iter()
            .zip(municipalities)
            .zip(offers)
            .zip(starts)
            .zip(plan_of);
        for (row, ((((id, municipality), offer), start), plan)) in rows.enumerate() {
            let Some(phases) = plans.get(plan) else {
                return Err(PyValueError::new_err(format!("row {row}: no plan {plan}")));
            };
            let start = match start.parse() {
                Ok(d) => d,
                Err(e) => {
                    errors.push(takst::Error::new(
                        takst::ErrorCode::InvalidValue,
                        format!("courses[{row}].start"),
                        format!("not a date (YYYY-MM-DD): {e}"),
                    ));
                    push_failed(&mut out);
                    continue;
                }
            };
            let course = Course {
                id,
                municipality,
                offer,
                start,
                phases: phases.clone(),
                changes: Vec::new(),
            };
            if let Err(e) = pricer.price_at(row, &course, &mut quote) {
                errors.extend(e.into_vec());
                push_failed(&mut out);
                continue;
            }
            warnings.append(&mut quote.warnings);
            out.totals.push(quote.total.to_string());
            out.days.push(quote.days);
            out.differences
                .push(quote.comparison.as_ref().map(|c| c.difference.to_string()));
            if lines {
                for l in &quote.lines {
                    out.line_row.push(row as u32);
                    out.line_month.push(l.month.to_string());
                    out.line_service.push(l.service.to_string());
                    out.line_add_on
                        .push(l.add_on.as_ref().map(|a| a.to_string()));
                    out.line_days.push(l.days);
                    out.line_tariff.push(l.tariff.to_string());
                    out.line_year.push(l.tariff_year);
                    out.line_amount.push(l.amount.to_string());
                }
            }
        }
        out.errors = json(&errors);
        out.warnings = json(&warnings);
        Ok(out)
    }

    fn push_failed(out: &mut Batch) {
        out.totals.push(String::new());
        out.days.push(0);
        out.differences.push(None);
    }

    fn json<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_else(|_| String::from("[]"))
    }
}
