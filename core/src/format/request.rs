//! The request and response formats and the one entry point, [`evaluate`].
//!
//! Every binding (Python, WebAssembly) exposes exactly this: a request in, a response out,
//! as JSON text or as the equivalent objects. Version 1 of the format is documented in
//! `docs/format.md` and described by `schema/request.schema.json` and
//! `schema/response.schema.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::model::{Billing, Course, Indexation};
use crate::course::{MunicipalityBudget, Quote};
use crate::einvoice::{Einvoice, Einvoicing};
use crate::error::{Error, ErrorCode, Errors, Warning};
use crate::explain::Explanation;
use crate::finance::{
    Ambulant, AmbulantResult, BaseFunding, Buyer, BuyerResult, FundingResult, Partnership,
    PartnershipResult, Settlement, SettlementResult, SpecialArrangement, SpecialResult,
};
use crate::offer::Offer;
use crate::sheet::TariffSheet;
use crate::tariff::{Computed, CostBase, Neutrality, NoticeResult, TariffNotice};

use super::read::{self, Tree};
use super::scenario::{Scenario, ScenarioResult};
use super::Limits;

// What a smaller build (a calculator's browser module) refuses, and how.
#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
mod refused;
#[cfg(not(feature = "provider"))]
use refused::gives_section;
#[cfg(not(feature = "billing"))]
use refused::unsupported_billing_in;
#[cfg(not(feature = "provider"))]
pub(crate) use refused::unsupported_sections;
#[cfg(not(feature = "billing"))]
pub(crate) use refused::{billing_refused, unsupported_billing};
#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
pub(crate) use refused::{not_read, not_read_list};

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
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read"))]
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
    #[cfg_attr(not(feature = "billing"), serde(deserialize_with = "not_read"))]
    pub billing: Billing,
    /// Courses to price from the tariffs (the offer's, the catalogue's, the catalogues').
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<Course>,
    /// The year-end settlement (efterregulering) of a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read"))]
    pub settlement: Option<Settlement>,
    /// Partnership financing: partners pay a fixed share and a lower tariff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read"))]
    pub partnership: Option<Partnership>,
    /// Base funding outside the tariff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read"))]
    pub base_funding: Option<BaseFunding>,
    /// Special arrangements for single citizens, priced cost-plus.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read_list"))]
    pub special_arrangements: Vec<SpecialArrangement>,
    /// An ambulant service priced by the hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read"))]
    pub ambulant: Option<Ambulant>,
    /// The buying municipality's net cost after refunds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read"))]
    pub buyer: Option<Buyer>,
    /// The tariff-change notice: the offer's tariffs against the previous year's offer, each
    /// change split into its drivers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read"))]
    pub tariff_notice: Option<TariffNotice>,
    /// E-invoices (Peppol BIS Billing 3.0 or OIOUBL 3) from the priced courses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einvoicing: Option<Einvoicing>,
    /// Variants of this request to compare with it, figure by figure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(feature = "provider"), serde(deserialize_with = "not_read_list"))]
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
            tariff_notice: None,
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
    /// Include each quote's invoice lines. Default true; false leaves `lines` out of every
    /// quote (its schedule, months, years, total and comparison are the same), for a page
    /// or a service that shows the totals: a quote's lines are most of its text. (The
    /// limit on invoice lines holds either way: the lines are computed, and bound the
    /// months a quote still has.)
    pub lines: bool,
    /// Include the caseload budget: the courses summed per paying municipality, month and
    /// year. Default false.
    pub caseload: bool,
    /// Include the tariff sheet (`tariff_sheet`): the sheet computed from the offer, or the
    /// catalogue as read. Default true; false leaves it out of the response (every other
    /// figure the same), for a page or a service that prices course after course from a
    /// sheet it already holds: a calculator's catalogue, echoed back, was some 40 % of its
    /// response.
    pub tariff_sheet: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            explain: true,
            quotes: true,
            lines: true,
            caseload: false,
            tariff_sheet: true,
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
    /// The published tariffs: the sheet computed from the offer, or the catalogue as read
    /// (left out with `options.tariff_sheet` false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tariff_sheet: Option<TariffSheet>,
    /// The cost base and capacity (computed offers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub cost_base: Option<CostBase>,
    /// Revenue neutrality (computed offers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub neutrality: Option<Neutrality>,
    /// The priced courses, in request order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<Quote>,
    /// The caseload budget per paying municipality (when `options.caseload`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caseload: Option<Vec<MunicipalityBudget>>,
    /// The settlement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub settlement: Option<SettlementResult>,
    /// The partnership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub partnership: Option<PartnershipResult>,
    /// The base funding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub base_funding: Option<FundingResult>,
    /// The special arrangements, in request order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub special_arrangements: Vec<SpecialResult>,
    /// The ambulant service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub ambulant: Option<AmbulantResult>,
    /// The buyer's net cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub buyer: Option<BuyerResult>,
    /// The tariff-change notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub tariff_notice: Option<NoticeResult>,
    /// The e-invoices (when the request has `einvoicing`), in number order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einvoices: Option<Vec<Einvoice>>,
    /// The scenarios, each compared with this request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(feature = "provider"), serde(skip))]
    pub scenarios: Vec<ScenarioResult>,
    /// Legal but doubtful aspects of the calculation.
    pub warnings: Vec<Warning>,
    /// Why the request could not be computed (empty when `ok`).
    pub errors: Vec<Error>,
    /// How every figure came about (unless `options.explain` is false). The last field:
    /// [`Response::into_json`] appends it to the rest.
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
            tariff_notice: None,
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

    /// The response as compact JSON, like [`to_json`](Self::to_json) (the same bytes), but
    /// faster: the courses' quotes and the explanation, nearly all of a response's bytes,
    /// are written by their own writers (`Quote::write_json`, `Explanation::write_json`),
    /// and the other fields by serde as before.
    pub fn into_json(mut self) -> String {
        let explanation = self.explanation.take();
        let courses = std::mem::take(&mut self.courses);
        // One buffer for the whole text, sized at once: a node's row is some 110 bytes of
        // text and its share of the texts some 15 (the kinds some 6 KB in all), an invoice
        // line some 330 and a month's figures 45–100; 160 bytes a node, 352 a line and 160
        // a month leave room for longer names (room never written costs no memory,
        // only address space), and the explanation's writer grows the text once more if
        // that is short. A buffer grown
        // from empty (or sized short and doubled) is copied at each step, and glibc's
        // malloc then maps fresh pages for the largest sizes on every call: 1,500–1,760 page
        // faults per response of 100 courses with the explanation, none when sized at once
        // (the bench prints them; 116 → 68 µs per course).
        // (Saturating: an estimate never overflows, even on a 32-bit target with raised
        // limits; a room too large to reserve is simply not reserved.) The writers' own
        // buffer is the thread's, kept from the last response (`take_scratch`).
        let room = courses.iter().fold(
            explanation
                .as_ref()
                .map_or(0, |e| e.len().saturating_mul(160).saturating_add(8192)),
            |room, q| {
                room.saturating_add(512)
                    .saturating_add(q.lines.len().saturating_mul(352))
                    .saturating_add(q.months.len().saturating_mul(160))
            },
        );
        let mut out = String::new();
        let _ = out.try_reserve(room);
        let mut scratch = crate::json_text::take_scratch();
        let written = self.write_json(&courses, explanation.as_ref(), &mut out, &mut scratch);
        crate::json_text::keep_scratch(scratch);
        self.courses = courses;
        self.explanation = explanation;
        match written {
            Ok(()) => {
                // The writers are one format: every debug build (the test suites) checks
                // that they give the same bytes as serde.
                #[cfg(debug_assertions)]
                debug_assert_eq!(out, self.to_json(), "into_json differs from to_json");
                out
            }
            // serde_json failed on a field: what `to_json` answers then too (and not a call
            // to it, so that serde's code for the quotes is not linked where only this is).
            Err(e) => written_badly(&e),
        }
    }

    /// The fields in `Response`'s order, each left out when serde leaves it out; `courses`
    /// and `explanation` are given apart (taken out of `self` to be written by their own
    /// writers).
    fn write_json(
        &self,
        courses: &[Quote],
        explanation: Option<&Explanation>,
        out: &mut String,
        scratch: &mut Vec<u8>,
    ) -> Result<(), String> {
        out.push_str("{\"version\":");
        out.push_str(itoa::Buffer::new().format(self.version));
        out.push_str(if self.ok {
            ",\"ok\":true"
        } else {
            ",\"ok\":false"
        });
        // The quotes' writer writes a quote's bytes into `scratch` first, the sheet's writer
        // the sheet's and the explanation's writer its rows (one buffer for all).
        if let Some(sheet) = &self.tariff_sheet {
            out.push_str(",\"tariff_sheet\":");
            if !sheet.write_json(out, scratch) {
                return Err("the tariff sheet's text could not be written (it did not fit the room it counted, or was not UTF-8)".into());
            }
        }
        #[cfg(feature = "provider")]
        {
            some(out, ",\"cost_base\":", &self.cost_base)?;
            some(out, ",\"neutrality\":", &self.neutrality)?;
        }
        if !courses.is_empty() {
            out.push_str(",\"courses\":[");
            for (i, quote) in courses.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !quote.write_json(out, scratch) {
                    return Err("a quote's text could not be written (it did not fit the room it counted, or was not UTF-8)".into());
                }
            }
            out.push(']');
        }
        // Without the `billing` feature no request is answered with one (`evaluate` refuses
        // `options.caseload`), and serde's writer is left out of the calculator's first module.
        #[cfg(feature = "billing")]
        some(out, ",\"caseload\":", &self.caseload)?;
        #[cfg(not(feature = "billing"))]
        if self.caseload.is_some() {
            return Err(
                "this build of takst (without the `billing` feature) does not write a caseload"
                    .into(),
            );
        }
        #[cfg(feature = "provider")]
        {
            some(out, ",\"settlement\":", &self.settlement)?;
            some(out, ",\"partnership\":", &self.partnership)?;
            some(out, ",\"base_funding\":", &self.base_funding)?;
            if !self.special_arrangements.is_empty() {
                field(
                    out,
                    ",\"special_arrangements\":",
                    &self.special_arrangements,
                )?;
            }
            some(out, ",\"ambulant\":", &self.ambulant)?;
            some(out, ",\"buyer\":", &self.buyer)?;
            some(out, ",\"tariff_notice\":", &self.tariff_notice)?;
        }
        // Without the `einvoice` feature nothing sets it (and its writer stays out of the
        // browser's modules).
        #[cfg(feature = "einvoice")]
        some(out, ",\"einvoices\":", &self.einvoices)?;
        #[cfg(feature = "provider")]
        if !self.scenarios.is_empty() {
            field(out, ",\"scenarios\":", &self.scenarios)?;
        }
        out.push_str(",\"warnings\":");
        let mut written = crate::json_text::push_warnings(out, &self.warnings);
        out.push_str(",\"errors\":");
        written = written && crate::json_text::push_errors(out, &self.errors);
        if !written {
            return Err("a warning's or an error's code could not be written".into());
        }
        // Without the `explain` feature no request is answered with one (`evaluate` refuses
        // to), and its writer is left out of the calculator's first module. A graph is never
        // kept in such a build, so one given here (a `Response` made from an offer computed
        // with `Explain::No`) is empty: written as serde and a full build write an empty one.
        #[cfg(not(feature = "explain"))]
        if let Some(explanation) = explanation {
            if !explanation.is_empty() {
                return Err("this build of takst (without the `explain` feature) does not write explanations".into());
            }
            // (As `Explanation`'s serde writes it, in its format: debug builds compare the two.)
            out.push_str(",\"explanation\":{\"version\":");
            crate::digits::push_int(out, crate::explain::FORMAT_VERSION);
            out.push_str(",\"nodes\":[],\"kinds\":[],\"texts\":[]}");
        }
        #[cfg(feature = "explain")]
        if let Some(explanation) = explanation {
            out.push_str(",\"explanation\":");
            if !explanation.write_json(out, scratch) {
                return Err("the explanation's text could not be written (a row did not fit the room it counted, or was not UTF-8)".into());
            }
        }
        out.push('}');
        Ok(())
    }

    /// The response as indented JSON, for reading.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| written_badly(&e))
    }
}

/// A field of the response written by serde_json (those the browser's first module never
/// writes), after its key `name`.
#[cfg(any(feature = "provider", feature = "billing", feature = "einvoice"))]
fn field<T: Serialize>(out: &mut String, name: &str, v: &T) -> Result<(), String> {
    out.push_str(name);
    out.push_str(&serde_json::to_string(v).map_err(|e| e.to_string())?);
    Ok(())
}

/// [`field`] when the value is there.
#[cfg(any(feature = "provider", feature = "billing", feature = "einvoice"))]
fn some<T: Serialize>(out: &mut String, name: &str, v: &Option<T>) -> Result<(), String> {
    v.as_ref().map_or(Ok(()), |v| field(out, name, v))
}

/// The response when it cannot be written (never met: every type writes): an `internal`
/// error, in the order of every other response's fields. Written by hand, as a
/// `serde_json::Value` would have linked its map and writer into the browser's modules for
/// this alone (9 KB; `twiggy`).
fn written_badly(e: &dyn std::fmt::Display) -> String {
    let mut out = String::from("{\"version\":");
    out.push_str(itoa::Buffer::new().format(FORMAT_VERSION));
    out.push_str(",\"ok\":false,\"warnings\":[],\"errors\":[{\"code\":\"internal\",\"path\":\"\",\"message\":");
    crate::json_text::push_str(&mut out, &format!("the response could not be written: {e}"));
    out.push_str(",\"message_da\":\"Svaret kunne ikke skrives (en fejl i takst).\"}]}");
    out
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

pub(crate) fn unsupported(version: impl std::fmt::Display) -> Errors {
    Error::new(
        ErrorCode::UnsupportedVersion,
        "version",
        format!("this library reads format version {FORMAT_VERSION}, got {version}"),
        format!(
            "Biblioteket læser formatversion {FORMAT_VERSION}, men forespørgslen \
             har version {}.",
            crate::danish::int(&version)
        ),
    )
    .into()
}

/// The error for a request that asks for the explanation (`options.explain`, true by default)
/// in a build without the `explain` feature (the calculator's first browser module).
#[cfg(not(feature = "explain"))]
pub(crate) fn unsupported_explanation() -> Errors {
    Error::new(
        ErrorCode::Unsupported,
        "options.explain",
        "this build of takst (the calculator's first browser module) computes the figures \
         without their explanation; ask with `options.explain` false, or use the calculator's \
         module (takst_beregner_bg.wasm), the full module, the Rust library or the Python package",
        "Denne udgave af takst (beregnerens første browsermodul) beregner tallene uden deres \
         forklaring; spørg med `options.explain` sat til false, eller brug beregnerens modul \
         (takst_beregner_bg.wasm), det fulde modul, Rust-biblioteket eller Python-pakken.",
    )
    .into()
}

/// A request of another version is refused as such, before its fields are read.
fn check_declared(tree: &Tree<'_>) -> Result<(), Errors> {
    match tree.get("version") {
        Some(Tree::Int(v)) if *v != i64::from(FORMAT_VERSION) => Err(unsupported(v)),
        Some(Tree::UInt(v)) => Err(unsupported(v)),
        _ => Ok(()),
    }
}

pub(crate) fn too_large(limits: &Limits, bytes: usize) -> Result<(), Errors> {
    if bytes > limits.request_bytes {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "",
            format!(
                "the request is {bytes} bytes; the limit is {} bytes",
                limits.request_bytes
            ),
            format!(
                "Forespørgslen fylder {} byte; grænsen er {} byte.",
                crate::danish::int(bytes),
                crate::danish::int(limits.request_bytes)
            ),
        )
        .into());
    }
    Ok(())
}

/// Reads a request from its tree: [`request_from_tree`], and when that finds problems and
/// each is a course's own, the problems of the other courses as well
/// (`evaluate/rest.rs`).
pub(crate) fn request_from(tree: &Tree<'_>, limits: &Limits) -> Result<Request, Errors> {
    request_from_tree(tree, limits).map_err(|e| crate::evaluate::rest::problems(tree, e, limits))
}

/// Reads a request from its tree, every reading problem at its path.
pub(crate) fn request_from_tree(tree: &Tree<'_>, limits: &Limits) -> Result<Request, Errors> {
    let request = request_unchecked(tree, limits)?;
    limits.check(&request)?;
    Ok(request)
}

/// [`request_from_tree`] but for the limits on how many of each thing a request may have
/// (`Limits::check`), which the caller checks.
pub(crate) fn request_unchecked(tree: &Tree<'_>, limits: &Limits) -> Result<Request, Errors> {
    check_declared(tree)?;
    // What this build does not read, refused before anything is read: the provider's
    // sections, then what the `billing` feature reads.
    // (The same order, and the same limit, as `evaluate` refuses a request built in Rust.)
    #[cfg(any(not(feature = "provider"), not(feature = "billing")))]
    {
        let mut refused = crate::evaluate::Problems::new(limits.errors);
        #[cfg(not(feature = "provider"))]
        if let Some(e) =
            unsupported_sections(|key| tree.get(key).is_some_and(|v| gives_section(key, v)))
        {
            refused.extend(e);
        }
        #[cfg(not(feature = "billing"))]
        if let Some(e) = unsupported_billing_in(tree, limits.errors) {
            refused.extend(e);
        }
        refused.finish()?;
    }
    let request: Request = read::typed(tree, "", limits.errors)?;
    if request.version != FORMAT_VERSION {
        return Err(unsupported(request.version));
    }
    Ok(request)
}

impl Request {
    /// Parses a request from JSON. Every problem is reported, each at its field's path.
    /// When the only problems are some courses' own, the other courses are priced for their
    /// problems too (a service the sheet lacks, a phase that ends before it starts), which
    /// are reported with them in the request's order (DESIGN.md, "How is a request read").
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
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
        let bump = read::arena(text);
        let tree = read::parse_json(text, &bump)?;
        request_from(&tree, limits)
    }

    /// Reads a request built with a [`DocumentBuilder`](crate::DocumentBuilder): what the
    /// same JSON text gives [`Request::from_json_with`], the same request or the same
    /// problems at the same paths, without writing the text and parsing it. The size limit
    /// is checked against [`Document::size`](crate::Document::size).
    ///
    /// A document with a value placed elsewhere
    /// ([`again_elsewhere`](crate::DocumentBuilder::again_elsewhere)) is not the request its
    /// text would be: it gives its reading problems alone, without the problems of the
    /// courses that read, which the host is given when it reads the document again with
    /// every copy in place.
    pub fn from_document(
        document: &crate::Document<'_>,
        limits: &Limits,
    ) -> Result<Request, Errors> {
        too_large(limits, document.size())?;
        if document.elsewhere {
            return request_from_tree(&document.tree, limits);
        }
        request_from(&document.tree, limits)
    }

    /// Parses a request from TOML. Every problem is reported, each at its field's path.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
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

    /// A request's text, JSON or TOML, as JSON text: JSON as given; TOML read as
    /// [`Request::from_toml`] reads it (its errors if it cannot) and its document written
    /// as JSON value for value — numbers as their text, a TOML date as the string
    /// `YYYY-MM-DD`, keys in document order — so that the JSON reads as the same request
    /// (checked: `internal` if it ever did not). What a binding keeps of a request it was
    /// given as TOML (Python's `Result.request`, `compare`).
    ///
    /// # Example
    ///
    /// ```
    /// let json = takst::Request::json_text("version = 1\n[options]\nexplain = false\n").unwrap();
    /// assert_eq!(json, r#"{"version":1,"options":{"explain":false}}"#);
    /// ```
    pub fn json_text(text: &str) -> Result<std::borrow::Cow<'_, str>, Errors> {
        if text.trim_start().starts_with('{') {
            return Ok(std::borrow::Cow::Borrowed(text));
        }
        let request = Request::from_toml(text)?;
        let bump = read::arena(text);
        let tree = read::parse_toml(text, &bump)?;
        let mut json = String::with_capacity(text.len() + text.len() / 4);
        read::write_json(&mut json, &tree);
        match Request::from_json(&json) {
            Ok(back) if back == request => Ok(std::borrow::Cow::Owned(json)),
            _ => Err(Errors::from(Error::new(
                ErrorCode::Internal,
                "",
                "the TOML request's JSON form does not read as the same request",
                "TOML-forespørgslens JSON-form læses ikke som den samme forespørgsel (en fejl i \
                 takst).",
            ))),
        }
    }

    /// [`Request::from_toml`] with the given limits.
    pub fn from_toml_with(text: &str, limits: &Limits) -> Result<Request, Errors> {
        too_large(limits, text.len())?;
        let bump = read::arena(text);
        let tree = read::parse_toml(text, &bump)?;
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
        let bump = read::arena(text);
        let tree = read::parse_toml(text, &bump)?;
        read::typed(&tree, "", Limits::default().errors)
    }

    /// Parses an offer (without the request envelope) from JSON.
    pub fn from_json(text: &str) -> Result<Offer, Errors> {
        let bump = read::arena(text);
        let tree = read::parse_json(text, &bump)?;
        read::typed(&tree, "", Limits::default().errors)
    }

    /// The bundled sample offer: a three-module residential offer modelled on Elbæk.
    /// Its figures are invented (see `examples/elbaek.toml`).
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

    /// The hand-written failure is a response like every other, with the error escaped.
    #[test]
    fn a_response_that_cannot_be_written_is_an_internal_error() {
        let e = serde_json::from_str::<u8>("\"\\\"x\"").unwrap_err();
        let text = super::written_badly(&e);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["version"], super::FORMAT_VERSION);
        assert_eq!(v["ok"], false);
        assert_eq!(v["warnings"], serde_json::json!([]));
        assert_eq!(v["errors"][0]["code"], "internal");
        assert_eq!(v["errors"][0]["path"], "");
        assert_eq!(
            v["errors"][0]["message"],
            format!("the response could not be written: {e}")
        );
        assert!(text.starts_with(r#"{"version":1,"ok":false,"warnings":[],"errors":[{"code":"internal","path":"","message":"#));
    }
}
