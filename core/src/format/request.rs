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
use crate::error::{Error, ErrorCode, Errors, Warning};
use crate::explain::Explanation;
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
    /// What to include in the response.
    #[serde(default)]
    pub options: Options,
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
            version: FORMAT_VERSION,
            ok: false,
            tariff_sheet: None,
            cost_base: None,
            neutrality: None,
            courses: Vec::new(),
            caseload: None,
            warnings: Vec::new(),
            errors: errors.into_vec(),
            explanation: None,
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
    if !explain {
        response.explanation = None;
    }
    response
}

/// Computes the offer, reads the catalogues, and prices the courses, all in one graph.
fn answer(request: &Request, limits: &Limits) -> Result<Response, Errors> {
    let mut ex = Explanation::new(request.options.explain).with_max_nodes(limits.explanation_nodes);
    let mut response = Response::empty();
    if request.offer.is_none() && request.catalogue.is_none() && request.catalogues.is_empty() {
        return Err(Error::new(
            ErrorCode::MissingValue,
            "offer",
            "give an offer (to compute tariffs), a catalogue or catalogues (given tariffs)",
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
            if request.options.quotes {
                response.courses.push(std::mem::take(&mut quote));
            }
        }
        if let Some(e) = Errors::from_vec(errors) {
            return Err(e);
        }
        response.caseload = caseload.map(|c| c.budget());
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
