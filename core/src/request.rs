//! The request and response formats and the one entry point, [`evaluate`].
//!
//! Every binding (Python, WebAssembly) exposes exactly this: a request in, a response out,
//! as JSON text or as the equivalent objects. Version 1 of the format is documented in
//! `docs/format.md` and described by `schema/request.schema.json` and
//! `schema/response.schema.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{self, Error, ErrorCode, Errors, Warning, WarningCode};
use crate::explain::{Explanation, Unit};
use crate::offer::Offer;
use crate::sheet::TariffSheet;
use crate::tariff::{Computed, CostBase, Neutrality};

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
    /// sheet). Give either `offer` or `catalogue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<TariffSheet>,
    /// What to include in the response.
    #[serde(default)]
    pub options: Options,
}

/// What to include in the response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Include the explanation graph. Default true.
    pub explain: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { explain: true }
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
    /// Legal but doubtful aspects of the calculation.
    pub warnings: Vec<Warning>,
    /// Why the request could not be computed (empty when `ok`).
    pub errors: Vec<Error>,
    /// How every figure came about (unless `options.explain` is false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl Response {
    fn failed(errors: Errors) -> Response {
        Response {
            version: FORMAT_VERSION,
            ok: false,
            tariff_sheet: None,
            cost_base: None,
            neutrality: None,
            warnings: Vec::new(),
            errors: errors.into_vec(),
            explanation: None,
        }
    }

    /// The response as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            let message = format!("the response could not be written: {e}");
            serde_json::json!({
                "version": FORMAT_VERSION, "ok": false, "warnings": [],
                "errors": [{ "code": "internal", "path": "", "message": message }],
            })
            .to_string()
        })
    }
}

impl From<Computed> for Response {
    fn from(c: Computed) -> Response {
        Response {
            version: FORMAT_VERSION,
            ok: true,
            tariff_sheet: Some(c.sheet),
            cost_base: Some(c.cost_base),
            neutrality: Some(c.neutrality),
            warnings: c.warnings,
            errors: Vec::new(),
            explanation: Some(c.explanation),
        }
    }
}

fn check_version(version: u32) -> Result<(), Errors> {
    if version == FORMAT_VERSION {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::UnsupportedVersion,
            "version",
            format!("this library reads format version {FORMAT_VERSION}, got {version}"),
        )
        .into())
    }
}

/// The envelope's version alone, read leniently first so that a request of another version
/// is refused as such rather than for the fields that version has.
#[derive(Deserialize)]
struct VersionOnly {
    version: Option<u32>,
}

fn check_declared(envelope: Option<VersionOnly>) -> Result<(), Errors> {
    match envelope.and_then(|e| e.version) {
        Some(v) => check_version(v),
        None => Ok(()),
    }
}

impl Request {
    /// Parses a request from JSON. Errors name the offending field.
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
        check_declared(serde_json::from_str(text).ok())?;
        let de = &mut serde_json::Deserializer::from_str(text);
        let request: Request = serde_path_to_error::deserialize(de).map_err(|e| {
            let syntax = e.inner().classify() == serde_json::error::Category::Syntax
                || e.inner().classify() == serde_json::error::Category::Eof;
            let message = e.inner().to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            let message = if syntax {
                e.inner().to_string()
            } else {
                message
            };
            Errors::from(error::from_serde(&e.path().to_string(), &message, syntax))
        })?;
        check_version(request.version)?;
        Ok(request)
    }

    /// Parses a request from TOML. Errors name the offending field.
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
        check_declared(toml::from_str(text).ok())?;
        let request: Request = from_toml_str(text)?;
        check_version(request.version)?;
        Ok(request)
    }
}

impl Offer {
    /// Parses an offer (without the request envelope) from TOML.
    pub fn from_toml(text: &str) -> Result<Offer, Errors> {
        from_toml_str(text)
    }

    /// Parses an offer (without the request envelope) from JSON.
    pub fn from_json(text: &str) -> Result<Offer, Errors> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let syntax = matches!(
                e.inner().classify(),
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof
            );
            let message = e.inner().to_string();
            let message = if syntax {
                message
            } else {
                message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string()
            };
            Errors::from(error::from_serde(&e.path().to_string(), &message, syntax))
        })
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
pub const SAMPLE_OFFER: &str = include_str!("../../examples/elbaek.toml");

fn from_toml_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Errors> {
    let de = toml::Deserializer::parse(text)
        .map_err(|e| Errors::from(Error::new(ErrorCode::Syntax, "", e.message().to_string())))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let message = e.inner().message().to_string();
        Errors::from(error::from_serde(&e.path().to_string(), &message, false))
    })
}

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
    if let Err(e) = check_version(request.version) {
        return Response::failed(e);
    }
    let mut response = match (&request.offer, &request.catalogue) {
        (Some(offer), None) => match offer.compute() {
            Ok(c) => Response::from(c),
            Err(e) => Response::failed(e),
        },
        (None, Some(sheet)) => match catalogue(sheet) {
            Ok(r) => r,
            Err(e) => Response::failed(e),
        },
        (Some(_), Some(_)) => Response::failed(
            Error::new(
                ErrorCode::Conflict,
                "",
                "give either offer or catalogue, not both",
            )
            .into(),
        ),
        (None, None) => Response::failed(
            Error::new(
                ErrorCode::MissingValue,
                "offer",
                "give an offer (to compute tariffs) or a catalogue (given tariffs)",
            )
            .into(),
        ),
    };
    if !request.options.explain {
        response.explanation = None;
    }
    response
}

/// Evaluates a request given as JSON and returns the response as JSON. Never panics: a
/// request that cannot be read gives a response with `ok: false` and errors.
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
    guarded(|| match Request::from_json(request) {
        Ok(r) => evaluate(&r),
        Err(e) => Response::failed(e),
    })
}

/// Evaluates a request given as TOML and returns the response as JSON. Never panics.
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
    guarded(|| match Request::from_toml(request) {
        Ok(r) => evaluate(&r),
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

/// Reads a given catalogue: checks it and records every figure as an input.
fn catalogue(sheet: &TariffSheet) -> Result<Response, Errors> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if sheet.version != 1 {
        errors.push(Error::new(
            ErrorCode::UnsupportedVersion,
            "catalogue.version",
            format!("tariff sheet version {} is not supported", sheet.version),
        ));
    }
    if sheet.rounding.increment <= rust_decimal::Decimal::ZERO {
        errors.push(Error::new(
            ErrorCode::NotPositive,
            "catalogue.rounding.increment",
            "the rounding increment must be greater than 0",
        ));
    }
    if !(1..=366).contains(&sheet.day_basis) {
        errors.push(Error::new(
            ErrorCode::OutOfRange,
            "catalogue.day_basis",
            "the day basis must be 1–366 days",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut ex = Explanation::new();
    let source = sheet
        .source
        .clone()
        .unwrap_or_else(|| "givet takstkatalog".into());
    let mut figure = |ex: &mut Explanation,
                      errors: &mut Vec<Error>,
                      key: String,
                      label: String,
                      v: rust_decimal::Decimal,
                      unit: Unit,
                      path: String| {
        if v < rust_decimal::Decimal::ZERO {
            errors.push(Error::new(
                ErrorCode::Negative,
                path.clone(),
                format!("a tariff must not be negative, got {v}"),
            ));
        } else if v.is_zero() {
            warnings.push(Warning::new(
                WarningCode::ZeroTariff,
                path.clone(),
                "the tariff is 0",
            ));
        }
        if let Err(e) = ex.input_from(key, label, v, unit, path, &source) {
            errors.push(e);
        }
    };
    if let Some(avg) = &sheet.average {
        figure(
            &mut ex,
            &mut errors,
            "average.day".into(),
            "Gennemsnitstakst, pr. dag".into(),
            avg.day,
            Unit::KrPerDay,
            "catalogue.average.day".into(),
        );
    }
    for (i, s) in sheet.services.iter().enumerate() {
        if !seen.insert(s.id.as_str()) {
            errors.push(Error::new(
                ErrorCode::DuplicateId,
                format!("catalogue.services[{i}].id"),
                format!("the id {:?} is used twice", s.id),
            ));
            continue;
        }
        let path = format!("catalogue.services[{i}].tariff");
        figure(
            &mut ex,
            &mut errors,
            format!("service.{}.day", s.id),
            format!("{}, pr. dag", s.name),
            s.tariff.day,
            Unit::KrPerDay,
            format!("{path}.day"),
        );
        if let Some(m) = s.tariff.month {
            figure(
                &mut ex,
                &mut errors,
                format!("service.{}.month", s.id),
                format!("{}, pr. måned", s.name),
                m,
                Unit::KrPerMonth,
                format!("{path}.month"),
            );
        }
        if let Some(y) = s.tariff.year {
            figure(
                &mut ex,
                &mut errors,
                format!("service.{}.year", s.id),
                format!("{}, pr. år", s.name),
                y,
                Unit::KrPerYear,
                format!("{path}.year"),
            );
        }
    }
    let mut seen_add_ons = std::collections::HashSet::new();
    for (i, a) in sheet.add_ons.iter().enumerate() {
        if !seen_add_ons.insert(a.id.as_str()) {
            errors.push(Error::new(
                ErrorCode::DuplicateId,
                format!("catalogue.add_ons[{i}].id"),
                format!("the id {:?} is used twice", a.id),
            ));
            continue;
        }
        let unit = match a.unit {
            crate::sheet::AddOnUnit::Hour => Unit::KrPerHour,
            crate::sheet::AddOnUnit::Km => Unit::KrPerKm,
            crate::sheet::AddOnUnit::Day => Unit::KrPerDay,
        };
        figure(
            &mut ex,
            &mut errors,
            format!("add_on.{}.price", a.id),
            a.name.clone(),
            a.price,
            unit,
            format!("catalogue.add_ons[{i}].price"),
        );
    }
    if let Some(e) = Errors::from_vec(errors) {
        return Err(e);
    }
    Ok(Response {
        version: FORMAT_VERSION,
        ok: true,
        tariff_sheet: Some(sheet.clone()),
        cost_base: None,
        neutrality: None,
        warnings,
        errors: Vec::new(),
        explanation: Some(ex),
    })
}
