//! The request and response formats and the one entry point, [`evaluate`].
//!
//! Every binding (Python, WebAssembly) exposes exactly this: a request in, a response out,
//! as JSON text or as the equivalent objects. Version 1 of the format is documented in
//! `docs/format.md` and described by `schema/request.schema.json` and
//! `schema/response.schema.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::model::{Billing, Course, Indexation};
use crate::course::{tariffs::Tariffs, Caseload, Engine, MunicipalityBudget, Quote};
use crate::einvoice::{Einvoice, Einvoicing};
use crate::error::{Error, ErrorCode, Errors, Warning};
use crate::explain::Explanation;
use crate::finance::{
    self, Ambulant, AmbulantResult, BaseFunding, Buyer, BuyerResult, FundingResult, Partnership,
    PartnershipResult, Scenario, ScenarioResult, Settlement, SettlementResult, SpecialArrangement,
    SpecialResult,
};
use crate::offer::Offer;
use crate::sheet::TariffSheet;
use crate::tariff::{Computed, CostBase, Neutrality, SheetFigs};

use super::read::{self, Tree};
use super::Limits;

/// The format version this library reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A request: compute the tariffs of an offer, or read a given tariff catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Format version: 1.
    pub version: u32,
    /// An offer whose tariffs are computed from its cost base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
    /// A tariff catalogue given rather than computed (same format as a published tariff
    /// sheet): the provider's published sheet, or national packages set by KKR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<TariffSheet>,
    /// More tariff sheets, for courses: other years of the same offer, or other offers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catalogues: Vec<TariffSheet>,
    /// The price and wage index for tariff years without a sheet.
    #[serde(default, skip_serializing_if = "is_default")]
    pub index: Indexation,
    /// How courses are billed.
    #[serde(default, skip_serializing_if = "is_default")]
    pub billing: Billing,
    /// Courses to price from the tariffs (the offer's, the catalogue's, the catalogues').
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<Course>,
    /// The year-end settlement (efterregulering) of a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
    /// Partnership financing: partners pay a fixed share and a lower tariff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partnership: Option<Partnership>,
    /// Base funding outside the tariff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_funding: Option<BaseFunding>,
    /// Special arrangements for single citizens, priced cost-plus.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_arrangements: Vec<SpecialArrangement>,
    /// An ambulant service priced by the hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambulant: Option<Ambulant>,
    /// The buying municipality's net cost after refunds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<Buyer>,
    /// E-invoices (Peppol BIS Billing 3.0 or OIOUBL 3) from the priced courses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einvoicing: Option<Einvoicing>,
    /// Variants of this request to compare with it, figure by figure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Scenario>,
    /// What to include in the response.
    #[serde(default)]
    pub options: Options,
}

impl Default for Request {
    /// An empty request of the current version, to fill with struct update syntax.
    fn default() -> Request {
        Request {
            version: FORMAT_VERSION,
            offer: None,
            catalogue: None,
            catalogues: Vec::new(),
            index: Indexation::default(),
            billing: Billing::default(),
            courses: Vec::new(),
            settlement: None,
            partnership: None,
            base_funding: None,
            special_arrangements: Vec::new(),
            ambulant: None,
            buyer: None,
            einvoicing: None,
            scenarios: Vec::new(),
            options: Options::default(),
        }
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// What to include in the response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Include the explanation graph. Default true.
    pub explain: bool,
    /// Include each course's quote (invoice lines, totals, comparison). Default true; a
    /// large caseload may want only its budget.
    pub quotes: bool,
    /// Include the caseload budget: the courses summed per paying municipality, month and
    /// year. Default false.
    pub caseload: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            explain: true,
            quotes: true,
            caseload: false,
        }
    }
}

/// The response to a [`Request`]: results with warnings, or errors.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Response {
    /// Format version: 1.
    pub version: u32,
    /// True when the request could be computed (warnings may still be present).
    pub ok: bool,
    /// The published tariffs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tariff_sheet: Option<TariffSheet>,
    /// The cost base and capacity (computed offers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_base: Option<CostBase>,
    /// Revenue neutrality (computed offers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neutrality: Option<Neutrality>,
    /// The priced courses, in request order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<Quote>,
    /// The caseload budget per paying municipality (when `options.caseload`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caseload: Option<Vec<MunicipalityBudget>>,
    /// The settlement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<SettlementResult>,
    /// The partnership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partnership: Option<PartnershipResult>,
    /// The base funding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_funding: Option<FundingResult>,
    /// The special arrangements, in request order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_arrangements: Vec<SpecialResult>,
    /// The ambulant service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambulant: Option<AmbulantResult>,
    /// The buyer's net cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<BuyerResult>,
    /// The e-invoices (when the request has `einvoicing`), in number order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einvoices: Option<Vec<Einvoice>>,
    /// The scenarios, each compared with this request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioResult>,
    /// Legal but doubtful aspects of the calculation.
    pub warnings: Vec<Warning>,
    /// Why the request could not be computed (empty when `ok`).
    pub errors: Vec<Error>,
    /// How every figure came about (unless `options.explain` is false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl Response {
    /// A response that carries only errors.
    pub fn failed(errors: Errors) -> Response {
        Response {
            ok: false,
            errors: errors.into_vec(),
            ..Response::empty()
        }
    }

    pub(crate) fn empty() -> Response {
        Response {
            version: FORMAT_VERSION,
            ok: true,
            tariff_sheet: None,
            cost_base: None,
            neutrality: None,
            courses: Vec::new(),
            caseload: None,
            settlement: None,
            partnership: None,
            base_funding: None,
            special_arrangements: Vec::new(),
            ambulant: None,
            buyer: None,
            einvoices: None,
            scenarios: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            explanation: None,
        }
    }

    /// The response as compact JSON (the form every binding returns).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| written_badly(&e))
    }

    /// The response as indented JSON, for reading.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| written_badly(&e))
    }
}

fn written_badly(e: &serde_json::Error) -> String {
    let message = format!("the response could not be written: {e}");
    serde_json::json!({
        "version": FORMAT_VERSION, "ok": false, "warnings": [],
        "errors": [{ "code": "internal", "path": "", "message": message }],
    })
    .to_string()
}

impl From<Computed> for Response {
    fn from(c: Computed) -> Response {
        Response {
            tariff_sheet: Some(c.sheet),
            cost_base: Some(c.cost_base),
            neutrality: Some(c.neutrality),
            warnings: c.warnings,
            explanation: Some(c.explanation),
            ..Response::empty()
        }
    }
}

fn unsupported(version: impl std::fmt::Display) -> Errors {
    Error::new(
        ErrorCode::UnsupportedVersion,
        "version",
        format!("this library reads format version {FORMAT_VERSION}, got {version}"),
    )
    .into()
}

/// A request of another version is refused as such, before its fields are read.
fn check_declared(tree: &Tree<'_>) -> Result<(), Errors> {
    match tree.get("version") {
        Some(Tree::Int(v)) if *v != i128::from(FORMAT_VERSION) => Err(unsupported(v)),
        _ => Ok(()),
    }
}

fn too_large(limits: &Limits, bytes: usize) -> Result<(), Errors> {
    if bytes > limits.request_bytes {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "",
            format!(
                "the request is {bytes} bytes; the limit is {} bytes",
                limits.request_bytes
            ),
        )
        .into());
    }
    Ok(())
}

fn request_from(tree: &Tree<'_>, limits: &Limits) -> Result<Request, Errors> {
    check_declared(tree)?;
    let request: Request = read::typed(tree, "", limits.errors)?;
    if request.version != FORMAT_VERSION {
        return Err(unsupported(request.version));
    }
    limits.check(&request)?;
    Ok(request)
}

impl Request {
    /// Parses a request from JSON. Every problem is reported, each at its field's path.
    ///
    /// # Example
    ///
    /// ```
    /// use takst::{ErrorCode, Request};
    ///
    /// let err = Request::from_json(r#"{"version": 1, "offer": {"name": "x", "year": "2026"}}"#)
    ///     .unwrap_err();
    /// let first = &err.as_slice()[0];
    /// assert_eq!(first.code(), ErrorCode::InvalidType);
    /// assert_eq!(first.path(), "offer.year");
    ///
    /// // A request of another version is refused before its fields are read.
    /// let err = Request::from_json(r#"{"version": 2, "something_new": true}"#).unwrap_err();
    /// assert_eq!(err.as_slice()[0].code(), ErrorCode::UnsupportedVersion);
    /// ```
    pub fn from_json(text: &str) -> Result<Request, Errors> {
        Request::from_json_with(text, &Limits::default())
    }

    /// [`Request::from_json`] with the given limits.
    pub fn from_json_with(text: &str, limits: &Limits) -> Result<Request, Errors> {
        too_large(limits, text.len())?;
        let tree = read::parse_json(text)?;
        request_from(&tree, limits)
    }

    /// Parses a request from TOML. Every problem is reported, each at its field's path.
    ///
    /// # Example
    ///
    /// ```
    /// let request = takst::Request::from_toml(r#"
    ///     version = 1
    ///     [offer]
    ///     name = "Eksempel"
    ///     year = 2026
    ///     kind = "day"
    ///     capacity = { places = 20 }
    ///     occupancy = { budgeted_pct = 96 }
    ///     [[offer.costs]]
    ///     label = "Løn"
    ///     category = "wages"
    ///     amount = "4000000"
    /// "#).unwrap();
    /// assert_eq!(request.offer.unwrap().costs[0].label, "Løn");
    /// ```
    pub fn from_toml(text: &str) -> Result<Request, Errors> {
        Request::from_toml_with(text, &Limits::default())
    }

    /// [`Request::from_toml`] with the given limits.
    pub fn from_toml_with(text: &str, limits: &Limits) -> Result<Request, Errors> {
        too_large(limits, text.len())?;
        let tree = read::parse_toml(text)?;
        request_from(&tree, limits)
    }
}

impl Offer {
    /// Parses an offer (without the request envelope) from TOML.
    ///
    /// # Example
    ///
    /// ```
    /// let err = takst::Offer::from_toml("name = \"x\"\nyear = \"2026\"\nnmae = 1").unwrap_err();
    /// let found: Vec<_> = err.as_slice().iter().map(|e| (e.code(), e.path())).collect();
    /// // Both problems at once: the unknown field and the wrong type.
    /// assert!(found.contains(&(takst::ErrorCode::UnknownField, "nmae")));
    /// assert!(found.contains(&(takst::ErrorCode::InvalidType, "year")));
    /// ```
    pub fn from_toml(text: &str) -> Result<Offer, Errors> {
        let tree = read::parse_toml(text)?;
        read::typed(&tree, "", Limits::default().errors)
    }

    /// Parses an offer (without the request envelope) from JSON.
    pub fn from_json(text: &str) -> Result<Offer, Errors> {
        let tree = read::parse_json(text)?;
        read::typed(&tree, "", Limits::default().errors)
    }

    /// The bundled sample offer: a three-module residential offer modelled on Elbæk.
    /// Its figures are invented (see `examples/elbaek.toml`).
    ///
    /// # Example
    ///
    /// ```
    /// let sheet = takst::Offer::sample().compute().unwrap().sheet;
    /// let days: Vec<String> = sheet.services.iter().map(|s| s.tariff.day.to_string()).collect();
    /// assert_eq!(days, ["4801", "3716", "2928"]); // udredning > udvikling > længerevarende
    /// ```
    pub fn sample() -> Offer {
        // The sample is a compile-time constant that a test parses; it cannot fail.
        #[allow(clippy::expect_used)]
        Offer::from_toml(SAMPLE_OFFER).expect("the bundled sample offer parses")
    }
}

/// The bundled sample offer, as TOML (invented figures modelled on Elbæk).
pub const SAMPLE_OFFER: &str = include_str!("../../../examples/elbaek.toml");

/// Evaluates a request: the one entry point every binding exposes.
///
/// # Example
///
/// ```
/// use takst::{evaluate, Request};
///
/// let request = Request::from_toml(r#"
///     version = 1
///     [offer]
///     name = "Eksempel"
///     year = 2026
///     kind = "day"
///     capacity = { places = 20 }
///     occupancy = { budgeted_pct = 96 }
///     costs = [ { label = "Løn", category = "wages", amount = "4000000" } ]
/// "#).unwrap();
/// let response = evaluate(&request);
/// assert!(response.ok);
/// // 4,000,000 / (20 × 365 × 0.96) = 570.78 → 571 kr per day.
/// assert_eq!(response.tariff_sheet.unwrap().average.unwrap().day.to_string(), "571");
/// ```
pub fn evaluate(request: &Request) -> Response {
    evaluate_with(request, &Limits::default())
}

/// [`evaluate`] with the given limits.
pub fn evaluate_with(request: &Request, limits: &Limits) -> Response {
    if request.version != FORMAT_VERSION {
        return Response::failed(unsupported(request.version));
    }
    if let Err(e) = limits.check(request) {
        return Response::failed(e);
    }
    let explain = request.options.explain;
    let mut response = match answer(request, limits) {
        Ok(r) => r,
        Err(e) => Response::failed(e),
    };
    if response.ok && !request.scenarios.is_empty() {
        if let Some(baseline) = &response.explanation {
            match finance::scenario::run(request, baseline, limits) {
                Ok(results) => response.scenarios = results,
                Err(e) => return Response::failed(e),
            }
        }
    }
    if !explain {
        response.explanation = None;
    }
    response
}

/// Computes the offer, reads the catalogues, and prices the courses, all in one graph.
fn answer(request: &Request, limits: &Limits) -> Result<Response, Errors> {
    #[cfg(not(feature = "einvoice"))]
    if request.einvoicing.is_some() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "einvoicing",
            "this build of takst (the browser module) does not write e-invoices; use the \
             Rust library, the Python package or the command-line example `einvoice`",
        )
        .into());
    }
    let keep = request.options.explain || !request.scenarios.is_empty();
    let mut ex = Explanation::new(keep).with_max_nodes(limits.explanation_nodes);
    let mut response = Response::empty();
    let tariffs =
        request.offer.is_some() || request.catalogue.is_some() || !request.catalogues.is_empty();
    let financing = request.settlement.is_some()
        || request.partnership.is_some()
        || request.base_funding.is_some()
        || !request.special_arrangements.is_empty()
        || request.ambulant.is_some()
        || request.buyer.is_some();
    if !tariffs && (!financing || !request.courses.is_empty()) {
        return Err(Error::new(
            ErrorCode::MissingValue,
            "offer",
            "give an offer (to compute tariffs), a catalogue or catalogues (given tariffs), \
             or one of settlement, partnership, base_funding, special_arrangements, ambulant, \
             buyer",
        )
        .into());
    }
    let mut computed = None;
    let mut figs: Vec<SheetFigs> = Vec::new();
    if let Some(offer) = &request.offer {
        let (mut c, f) = offer.compute_parts(std::mem::take(&mut ex))?;
        ex = std::mem::take(&mut c.explanation);
        figs.push(f);
        computed = Some(c);
    }
    let mut errors = Vec::new();
    let listed = request
        .catalogue
        .iter()
        .map(|s| (s, super::catalogue::Place::Single))
        .chain(
            request
                .catalogues
                .iter()
                .enumerate()
                .map(|(k, s)| (s, super::catalogue::Place::Listed(k))),
        );
    for (sheet, place) in listed {
        match super::catalogue::read(sheet, place, &mut ex) {
            Ok((warnings, f)) => {
                response.warnings.extend(warnings);
                figs.push(f);
            }
            Err(e) => errors.extend(e.into_vec()),
        }
    }
    if let Some(e) = Errors::from_vec(errors) {
        return Err(e);
    }
    if !request.courses.is_empty() {
        let sheets: Vec<&TariffSheet> = computed
            .iter()
            .map(|c| &c.sheet)
            .chain(request.catalogue.iter())
            .chain(request.catalogues.iter())
            .collect();
        let tariffs = Tariffs::new(sheets.into_iter().zip(figs).collect(), &request.index)?;
        let mut engine = Engine::new(tariffs, &request.billing);
        let mut caseload = request.options.caseload.then(Caseload::default);
        let mut quote = Quote::default();
        let mut errors = Vec::new();
        for (i, course) in request.courses.iter().enumerate() {
            if let Err(e) = engine.price(&mut ex, i, course, &mut quote) {
                errors.push(e);
                continue;
            }
            response.warnings.append(&mut quote.warnings);
            if let Some(c) = caseload.as_mut() {
                c.add(&quote);
            }
            if request.options.quotes || request.einvoicing.is_some() {
                response.courses.push(std::mem::take(&mut quote));
            }
        }
        if let Some(e) = Errors::from_vec(errors) {
            return Err(e);
        }
        response.caseload = caseload.map(|c| c.budget());
    }
    finance_sections(request, &mut ex, &mut response)?;
    #[cfg(feature = "einvoice")]
    if let Some(e) = &request.einvoicing {
        let sheets: Vec<&TariffSheet> = computed
            .iter()
            .map(|c| &c.sheet)
            .chain(request.catalogue.iter())
            .chain(request.catalogues.iter())
            .collect();
        let sources = crate::einvoice::Sources {
            quotes: &response.courses,
            sheets: &sheets,
            billing: &request.billing,
            settlement: response.settlement.as_ref(),
        };
        response.einvoices = Some(crate::einvoice::generate(e, &sources)?);
    }
    if !request.options.quotes {
        response.courses.clear();
    }
    if let Some(c) = computed {
        let mut warnings = c.warnings;
        warnings.append(&mut response.warnings);
        response.warnings = warnings;
        response.cost_base = Some(c.cost_base);
        response.neutrality = Some(c.neutrality);
        response.tariff_sheet = Some(c.sheet);
    } else if let Some(sheet) = &request.catalogue {
        response.tariff_sheet = Some(sheet.clone());
    }
    response.explanation = Some(ex);
    Ok(response)
}

/// The financing models, each in the one graph; every model's problems are reported.
fn finance_sections(
    request: &Request,
    ex: &mut Explanation,
    response: &mut Response,
) -> Result<(), Errors> {
    let mut errors = Vec::new();
    let mut keep = |r: Result<(), Errors>| {
        if let Err(e) = r {
            errors.extend(e.into_vec());
        }
    };
    if let Some(s) = &request.settlement {
        keep(
            s.compute(ex, &mut response.warnings)
                .map(|r| response.settlement = Some(r)),
        );
    }
    if let Some(p) = &request.partnership {
        keep(p.compute(ex).map(|r| response.partnership = Some(r)));
    }
    if let Some(b) = &request.base_funding {
        keep(b.compute(ex).map(|r| response.base_funding = Some(r)));
    }
    if !request.special_arrangements.is_empty() {
        keep(
            finance::special::compute(&request.special_arrangements, ex)
                .map(|r| response.special_arrangements = r),
        );
    }
    if let Some(a) = &request.ambulant {
        keep(a.compute(ex).map(|r| response.ambulant = Some(r)));
    }
    if let Some(b) = &request.buyer {
        let quotes = std::mem::take(&mut response.courses);
        keep(
            b.compute(&quotes, ex, &mut response.warnings)
                .map(|r| response.buyer = Some(r)),
        );
        response.courses = quotes;
    }
    match Errors::from_vec(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Evaluates a request given as JSON and returns the response as compact JSON. Never
/// panics: a request that cannot be read gives a response with `ok: false` and errors.
///
/// # Example
///
/// ```
/// let out = takst::evaluate_json(r#"{"version": 1, "offer": {"nmae": "x"}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// assert_eq!(v["errors"][0]["code"], "unknown_field");
/// assert_eq!(v["errors"][0]["path"], "offer.nmae");
/// ```
pub fn evaluate_json(request: &str) -> String {
    evaluate_json_with(request, &Limits::default())
}

/// [`evaluate_json`] with the given limits.
pub fn evaluate_json_with(request: &str, limits: &Limits) -> String {
    guarded(|| match Request::from_json_with(request, limits) {
        Ok(r) => evaluate_with(&r, limits),
        Err(e) => Response::failed(e),
    })
}

/// Evaluates a request given as TOML and returns the response as compact JSON. Never
/// panics.
///
/// # Example
///
/// ```
/// let out = takst::evaluate_toml("version = 1\n[catalogue]\nformat = \"takst/tariff-sheet\"");
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// assert_eq!(v["ok"], false);
/// assert_eq!(v["errors"][0]["code"], "missing_field");
/// assert_eq!(v["errors"][0]["path"], "catalogue.version");
/// ```
pub fn evaluate_toml(request: &str) -> String {
    evaluate_toml_with(request, &Limits::default())
}

/// [`evaluate_toml`] with the given limits.
pub fn evaluate_toml_with(request: &str, limits: &Limits) -> String {
    guarded(|| match Request::from_toml_with(request, limits) {
        Ok(r) => evaluate_with(&r, limits),
        Err(e) => Response::failed(e),
    })
}

/// Runs `f`, turning a panic (a bug) into an `internal` error so none crosses a binding.
fn guarded(f: impl FnOnce() -> Response + std::panic::UnwindSafe) -> String {
    match std::panic::catch_unwind(f) {
        Ok(response) => response.to_json(),
        Err(_) => Response::failed(
            Error::new(
                ErrorCode::Internal,
                "",
                "takst failed unexpectedly; please report this request",
            )
            .into(),
        )
        .to_json(),
    }
}
