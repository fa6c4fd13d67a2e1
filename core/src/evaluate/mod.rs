//! The one entry point, [`evaluate`], and the order in which a request's sections are
//! computed: the offer's tariffs, the given catalogues, the courses priced from them, the
//! financing sections, and the scenarios — each section checked on its own so that every
//! problem of the request is reported at once, and a section that depends on one that
//! failed says so once.
//!
//! This module sits above the rules (`tariff`, `course`, `finance`) and the formats
//! (`format`): it is the only place that knows how the sections feed each other.

#[cfg(feature = "provider")]
pub(crate) mod scenarios;

mod held;
mod names;
pub use held::Evaluator;
pub use names::municipality_spellings;
pub(crate) mod rest;

use std::hash::BuildHasher;

use crate::course::amend::check as check_calendar;
use crate::course::model::check_billing;
use crate::course::tariffs::{check_index, Figs, Tariffs};
use crate::course::{Caseload, Engine, Quote};
use crate::error::{Error, ErrorCode, Errors};
use crate::explain::Explanation;
use crate::finance::{self, Chain};
use crate::format::catalogue;
use crate::format::request::{unsupported, Request, Response, FORMAT_VERSION};
use crate::format::Limits;
use crate::sheet::TariffSheet;
use crate::tariff::SheetFigs;

/// Evaluates a request: the one entry point every binding exposes.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
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
    evaluate_sink(request, limits, None)
}

/// What [`evaluate_each`] hands each quote to: the course's position in the request and its
/// quote, whose buffers are reused for the next course once the call returns.
type EachQuote<'a> = &'a mut dyn FnMut(usize, &Quote);

/// [`evaluate_with`], with each course's quote handed to `each` as it is priced instead of
/// kept in the response: the quotes are the same (the same function prices them, in order)
/// and so is the rest of the response, but `courses` is empty. Many courses priced this way
/// need neither the memory nor the allocations of a quote each; a batch that wants only some
/// figures of every course (the Python package's `price_courses`) takes them here.
///
/// `each` is given the quotes [`evaluate_with`] returns in `courses`: none with
/// `options.quotes = false`. When the response has errors, [`evaluate_with`] returns no
/// quote, but `each` may have been given some (those of the courses before the first that
/// failed, or all of them when a later section failed): they are to be dropped. When the
/// request asks for e-invoices or the buyer's net cost, which are made from the quotes, or
/// has scenarios, which are compared with them, the quotes are kept until then and handed
/// over after.
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// use takst::{evaluate_each, Limits, Request};
///
/// let sheet = serde_json::to_string(&takst::Offer::sample().compute().unwrap().sheet).unwrap();
/// let request = Request::from_json(&format!(r#"{{"version": 1, "catalogue": {sheet},
///     "courses": [{{"start": "2026-01-01", "phases": [{{"service": "udvikling", "days": 10}}]}},
///                 {{"start": "2026-01-01", "phases": [{{"service": "udvikling", "days": 20}}]}}],
///     "options": {{"explain": false}}}}"#)).unwrap();
/// let mut totals = Vec::new();
/// let response = evaluate_each(&request, &Limits::default(), &mut |i, quote| {
///     totals.push((i, quote.total.to_string()));
/// });
/// assert!(response.ok && response.courses.is_empty());
/// assert_eq!(totals, [(0, "37160.00".to_string()), (1, "74320.00".to_string())]);
/// ```
pub fn evaluate_each(
    request: &Request,
    limits: &Limits,
    each: &mut dyn FnMut(usize, &Quote),
) -> Response {
    let mut response = evaluate_sink(request, limits, Some(&mut *each));
    // Kept for the e-invoices or the buyer (see `price_courses`): handed over now.
    for (i, quote) in response.courses.drain(..).enumerate() {
        each(i, &quote);
    }
    response
}

fn evaluate_sink(request: &Request, limits: &Limits, each: Option<EachQuote<'_>>) -> Response {
    if request.version != FORMAT_VERSION {
        return Response::failed(unsupported(request.version));
    }
    #[cfg(any(not(feature = "provider"), not(feature = "billing")))]
    if let Err(e) = refused_here(request, limits) {
        return Response::failed(e);
    }
    if let Err(e) = limits.check(request) {
        return Response::failed(e);
    }
    let explain = request.options.explain;
    #[cfg(not(feature = "explain"))]
    if explain {
        return Response::failed(crate::format::request::unsupported_explanation());
    }
    // A request's scenarios are compared with its whole response, its quotes too: they are
    // kept, and `evaluate_each` hands them over after.
    let each = if request.scenarios.is_empty() {
        each
    } else {
        None
    };
    let mut response = match answer(request, limits, each) {
        Ok(r) => r,
        Err(e) => Response::failed(e),
    };
    #[cfg(feature = "provider")]
    if response.ok && !request.scenarios.is_empty() && response.explanation.is_some() {
        match scenarios::run(request, &response, limits) {
            Ok((results, warnings)) => {
                response.scenarios = results;
                response.warnings.extend(warnings);
            }
            Err(e) => return Response::failed(e),
        }
    }
    if !explain {
        response.explanation = None;
    }
    response
}

/// The problems of one request, from every section: each limit reported once (the first
/// time it is crossed), each problem once (the same code, path and messages met again, as a
/// problem of the index is by every course priced with it, says nothing new), and at most
/// `max` listed, with one more saying that the list was cut.
pub(crate) struct Problems {
    list: Vec<Error>,
    max: usize,
    cut: bool,
    /// A hash of each problem met, to find one met again without comparing it with every
    /// problem listed (a hash met again is confirmed by comparing).
    seen: rustc_hash::FxHashSet<u64>,
}

impl Problems {
    pub(crate) fn new(max: usize) -> Problems {
        Problems {
            list: Vec::new(),
            max: max.max(1),
            cut: false,
            seen: Default::default(),
        }
    }

    pub(crate) fn push(&mut self, e: Error) {
        let limit = e.code() == ErrorCode::LimitExceeded;
        if limit
            && self
                .list
                .iter()
                .any(|x| x.code() == ErrorCode::LimitExceeded && x.path() == e.path())
        {
            return;
        }
        let hash = rustc_hash::FxBuildHasher.hash_one((e.code(), e.path(), e.message()));
        if !self.seen.insert(hash) && self.list.contains(&e) {
            return;
        }
        if self.list.len() >= self.max {
            self.cut = true;
            return;
        }
        self.list.push(e);
    }

    pub(crate) fn extend_vec(&mut self, errors: Vec<Error>) {
        for e in errors {
            self.push(e);
        }
    }

    pub(crate) fn extend(&mut self, errors: Errors) {
        self.extend_vec(errors.into_vec());
    }

    /// Records the result's errors and says whether it succeeded.
    pub(crate) fn take<T>(&mut self, r: Result<T, Errors>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.extend(e);
                None
            }
        }
    }

    /// The list is full: whatever follows is not listed.
    #[cfg(feature = "provider")]
    pub(crate) fn full(&self) -> bool {
        self.cut
    }

    /// A limit was crossed: whatever follows would only cross it again.
    pub(crate) fn limit_reached(&self) -> bool {
        self.cut
            || self
                .list
                .iter()
                .any(|e| e.code() == ErrorCode::LimitExceeded)
    }

    pub(crate) fn finish(mut self) -> Result<(), Errors> {
        if self.cut {
            self.list.push(too_many_problems(self.max));
        }
        match Errors::from_vec(self.list) {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }
}

/// The note after a list of problems cut at `max`: what [`evaluate`] lists last when a request
/// has more than `max` problems ([`Limits::errors`](crate::Limits)).
///
/// For problems found as several requests (as the Python package's `price_courses` prices a
/// table in chunks): a list cut at `max` ends with this note, as one request's does, so that
/// it is never taken for every problem.
///
/// ```
/// let e = takst::too_many_problems(1000);
/// assert_eq!(e.code(), takst::ErrorCode::LimitExceeded);
/// assert_eq!(e.path(), "");
/// assert_eq!(e.message(), "the request has more than 1000 problems; the first 1000 are listed");
/// ```
pub fn too_many_problems(max: usize) -> Error {
    Error::new(
        ErrorCode::LimitExceeded,
        "",
        format!("the request has more than {max} problems; the first {max} are listed"),
        format!(
            "Forespørgslen har mere end {} fejl; de første {} er listet.",
            crate::danish::int(max),
            crate::danish::int(max)
        ),
    )
}

/// One error for a section that is not computed because a section it depends on failed.
fn depends(path: &str, (on, on_da): (&str, &str)) -> Error {
    Error::new(
        ErrorCode::DependsOnError,
        path,
        format!("not computed: it depends on {on}, which has errors (listed beside this one)"),
        format!(
            "Ikke beregnet, fordi det afhænger af {on_da}, som har fejl (de står sammen med \
             denne)."
        ),
    )
}

/// What this build does not compute, in a request built in Rust (one read from text was
/// refused so before it was read, in the same order: `request_from_tree`): without the
/// `provider` feature its provider sections, without `billing` its billing section, each
/// course's changes and the caseload, one `unsupported` error each, cut at the limit of
/// problems as every list is.
#[cfg(any(not(feature = "provider"), not(feature = "billing")))]
fn refused_here(request: &Request, limits: &Limits) -> Result<(), Errors> {
    let mut problems = Problems::new(limits.errors);
    #[cfg(not(feature = "provider"))]
    if let Some(e) = crate::format::request::unsupported_sections(|key| match key {
        "offer" => request.offer.is_some(),
        "tariff_notice" => request.tariff_notice.is_some(),
        "settlement" => request.settlement.is_some(),
        "partnership" => request.partnership.is_some(),
        "base_funding" => request.base_funding.is_some(),
        "special_arrangements" => !request.special_arrangements.is_empty(),
        "ambulant" => request.ambulant.is_some(),
        "buyer" => request.buyer.is_some(),
        _ => !request.scenarios.is_empty(),
    }) {
        problems.extend(e);
    }
    #[cfg(not(feature = "billing"))]
    if let Some(e) = crate::format::request::unsupported_billing(
        request.billing != crate::course::model::Billing::default(),
        request
            .courses
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.changes.is_empty())
            .map(|(i, _)| i),
        request.options.caseload,
        limits.errors,
    ) {
        problems.extend(e);
    }
    problems.finish()
}

/// Computes every section of the request in one explanation graph, in the order the
/// figures flow: the offer's tariffs and the given catalogues, the courses priced from
/// them, the financing sections. Every section is checked even when another failed, so the
/// response lists every problem; a section that needs a failed one is reported once.
#[cfg_attr(
    not(feature = "provider"),
    allow(unused_mut, unused_variables, unused_assignments)
)]
fn answer(
    request: &Request,
    limits: &Limits,
    each: Option<EachQuote<'_>>,
) -> Result<Response, Errors> {
    #[cfg(not(feature = "einvoice"))]
    if request.einvoicing.is_some() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "einvoicing",
            "this build of takst (the browser module) does not write e-invoices; use the \
             Rust library, the Python package or the command-line example `einvoice`",
            "Denne udgave af takst (browsermodulet) kan ikke lave elektroniske fakturaer; brug \
             Rust-biblioteket, Python-pakken eller kommandolinjeeksemplet `einvoice`.",
        )
        .into());
    }
    let keep = request.options.explain || !request.scenarios.is_empty();
    let new_graph = || Explanation::new(keep).with_max_nodes(limits.explanation_nodes);
    let mut ex = new_graph();
    let mut response = Response::empty();
    let mut problems = Problems::new(limits.errors);
    let tariffs =
        request.offer.is_some() || request.catalogue.is_some() || !request.catalogues.is_empty();
    // (A notice without an offer is reported by the notice itself.)
    let financing = request.settlement.is_some()
        || request.partnership.is_some()
        || request.base_funding.is_some()
        || !request.special_arrangements.is_empty()
        || request.ambulant.is_some()
        || request.buyer.is_some();
    if !tariffs && (!financing || !request.courses.is_empty()) {
        problems.push(Error::new(
            ErrorCode::MissingValue,
            "offer",
            "give an offer (to compute tariffs), a catalogue or catalogues (given tariffs), \
             or one of settlement, partnership, base_funding, special_arrangements, ambulant, \
             buyer",
            "Angiv et tilbud i `offer` (for at beregne takster), `catalogue` eller `catalogues` \
             (givne takster) eller et af felterne `settlement`, `partnership`, `base_funding`, \
             `special_arrangements`, `ambulant`, `buyer`.",
        ));
    }

    // The tariffs: the offer's, computed, and the catalogues', given.
    let mut tariffs_ok = true;
    let mut computed: Option<crate::tariff::Computed> = None;
    let mut figs: Vec<SheetFigs> = Vec::new();
    #[cfg(feature = "provider")]
    if let Some(offer) = &request.offer {
        match offer.compute_parts(std::mem::take(&mut ex)) {
            Ok((mut c, f)) => {
                ex = std::mem::take(&mut c.explanation);
                figs.push(f);
                computed = Some(c);
            }
            Err(e) => {
                problems.extend(e);
                tariffs_ok = false;
                ex = new_graph();
            }
        }
    }
    let listed = request
        .catalogue
        .iter()
        .map(|s| (s, catalogue::Place::Single))
        .chain(
            request
                .catalogues
                .iter()
                .enumerate()
                .map(|(k, s)| (s, catalogue::Place::Listed(k))),
        );
    for (sheet, place) in listed {
        match catalogue::read(sheet, place, &mut ex) {
            Ok((warnings, f)) => {
                response.warnings.extend(warnings);
                figs.push(f);
            }
            Err(e) => {
                problems.extend(e);
                tariffs_ok = false;
            }
        }
    }

    // The figures the financing sections take from the offer and the courses.
    let mut chain = Chain {
        offer: figs.first().and_then(|f| f.offer.clone()),
        municipalities: request
            .courses
            .iter()
            .map(|c| c.municipality.as_deref())
            .collect(),
        revenue_from_courses: request
            .settlement
            .as_ref()
            .is_some_and(|s| s.revenue.is_none()),
        ..Chain::default()
    };
    #[cfg(feature = "einvoice")]
    {
        chain.settlement_refunds = request
            .einvoicing
            .as_ref()
            .is_some_and(|e| e.settlement_refunds);
    }

    // The index and the billing conventions, checked whether or not anything reads them (a
    // rate of 500 % is an error with courses or without: a value given is never ignored
    // unread). The courses read both, the tariff notice the index.
    let index = check_index(&request.index);
    let index_ok = index.is_empty();
    let billing = check_billing(&request.billing);
    let conventions_ok = index_ok && billing.is_empty();
    for e in index.into_iter().chain(billing) {
        problems.push(e);
    }

    // The courses, priced from the tariffs with the index and the billing conventions.
    let mut courses_ok = true;
    if !request.courses.is_empty() {
        if tariffs_ok && conventions_ok && tariffs {
            courses_ok = price_courses(
                request,
                computed.as_ref(),
                figs,
                &mut ex,
                &mut response,
                &mut problems,
                limits,
                &mut chain,
                each,
            );
        } else {
            // The courses cannot be priced; their own fields are still checked.
            courses_ok = false;
            for (i, course) in request.courses.iter().enumerate() {
                if problems.limit_reached() {
                    break;
                }
                if let Err(e) = check_calendar(i, course, &request.billing.notice) {
                    problems.push(e);
                }
            }
            if tariffs {
                problems.push(depends(
                    "courses",
                    (
                        "the tariffs, the index or the billing conventions",
                        "taksterne, PL-fremskrivningen eller faktureringsreglerne",
                    ),
                ));
            }
        }
    }

    // The tariff-change notice: the offer against the previous year's.
    #[cfg(feature = "provider")]
    if let Some(n) = &request.tariff_notice {
        match &request.offer {
            Some(offer) if tariffs_ok => {
                // Without a PL rate of its own the notice takes it from the index (checked
                // above).
                if n.pl_pct.is_some() || index_ok {
                    response.tariff_notice = problems.take(n.compute(
                        offer,
                        &request.index,
                        &mut ex,
                        &mut response.warnings,
                    ));
                } else {
                    problems.push(depends(
                        "tariff_notice",
                        ("the index", "PL-fremskrivningen"),
                    ));
                }
            }
            Some(_) => problems.push(depends("tariff_notice", ("the offer", "tilbuddet"))),
            // Without any tariffs the request already says so at `offer`.
            None if !tariffs => {}
            None => problems.push(Error::new(
                ErrorCode::MissingValue,
                "offer",
                "the tariff-change notice compares the request's offer (year N+1) with \
                 tariff_notice.previous (year N): give the offer",
                "Varslingen af takstændringer sammenligner forespørgslens tilbud (år N+1) med \
                 `tariff_notice.previous` (år N): angiv tilbuddet i `offer`.",
            )),
        }
    }

    // The financing sections, each on its own; the buyer's side reads the quotes.
    #[cfg(feature = "provider")]
    finance_sections(
        request,
        &mut ex,
        &mut response,
        &mut problems,
        courses_ok,
        &chain,
    );

    // The e-invoices, from the quotes (and the settlement's split among municipalities).
    #[cfg(feature = "einvoice")]
    if let Some(e) = &request.einvoicing {
        let settlement_failed = request.settlement.is_some() && response.settlement.is_none();
        if !courses_ok {
            problems.push(depends("einvoicing", ("the courses", "forløbene")));
        } else if e.settlement_refunds && settlement_failed {
            problems.push(depends(
                "einvoicing",
                ("the settlement", "efterreguleringen"),
            ));
        } else {
            let sheets: Vec<&TariffSheet> = computed
                .as_ref()
                .map(|c| &c.sheet)
                .into_iter()
                .chain(request.catalogue.iter())
                .chain(request.catalogues.iter())
                .collect();
            let sources = crate::einvoice::Sources {
                quotes: &response.courses,
                sheets: &sheets,
                billing: &request.billing,
                settlement: response.settlement.as_ref(),
            };
            response.einvoices = problems.take(crate::einvoice::generate(e, &sources));
        }
    }
    if !request.options.quotes {
        // Kept for the e-invoices and the buyer only.
        response.courses.clear();
    } else if !request.options.lines {
        // The lines kept for the e-invoices and the buyer only (without them, each was
        // dropped as its course was priced).
        for q in &mut response.courses {
            q.lines = Vec::new();
        }
    }

    names::request_spellings(request, &mut response.warnings);
    problems.finish()?;
    // The sheet only when asked for (`options.tariff_sheet`): a catalogue is not cloned to
    // be left out.
    let sheet = request.options.tariff_sheet;
    if let Some(c) = computed {
        let mut warnings = c.warnings;
        warnings.append(&mut response.warnings);
        response.warnings = warnings;
        response.cost_base = Some(c.cost_base);
        response.neutrality = Some(c.neutrality);
        response.tariff_sheet = sheet.then_some(c.sheet);
    } else if let Some(catalogue) = request.catalogue.as_ref().filter(|_| sheet) {
        response.tariff_sheet = Some(catalogue.clone());
    }
    response.explanation = Some(ex);
    Ok(response)
}

/// The most nodes reserved ahead for a request's courses (see `price_courses`).
const RESERVE_AHEAD: usize = 1 << 18;

/// Prices every course (each problem reported, the quotes kept within the limit on invoice
/// lines); says whether every course was priced.
#[allow(clippy::too_many_arguments)]
fn price_courses(
    request: &Request,
    computed: Option<&crate::tariff::Computed>,
    figs: Vec<SheetFigs>,
    ex: &mut Explanation,
    response: &mut Response,
    problems: &mut Problems,
    limits: &Limits,
    chain: &mut Chain<'_>,
    mut each: Option<EachQuote<'_>>,
) -> bool {
    // The e-invoices and the buyer's net cost are made from the quotes: kept for them,
    // whatever the options say and whoever asks (and dropped after them without
    // `options.quotes`).
    let read_later = request.einvoicing.is_some() || request.buyer.is_some();
    if read_later {
        each = None;
    }
    let sheets: Vec<&TariffSheet> = computed
        .map(|c| &c.sheet)
        .into_iter()
        .chain(request.catalogue.iter())
        .chain(request.catalogues.iter())
        .collect();
    let figs = figs.into_iter().map(Figs::Recorded);
    let tariffs = match Tariffs::new(sheets.into_iter().zip(figs).collect(), &request.index) {
        Ok(t) => t,
        Err(e) => {
            problems.push(e);
            return false;
        }
    };
    // The offer whose courses the financing sections read: the computed one (first of the
    // sheets), or the only offer of the sheets.
    let chained_offer = if computed.is_some() || tariffs.offers.len() == 1 {
        Some(0u32)
    } else {
        None
    };
    let mut engine = Engine::new(tariffs, &request.billing);
    if request.settlement.is_some() {
        engine.years = Some(Vec::new());
    }
    // (Without the `billing` feature a request that asks for it was refused above.)
    #[cfg(feature = "billing")]
    let mut caseload = request.options.caseload.then(Caseload::default);
    #[cfg(not(feature = "billing"))]
    let mut caseload: Option<Caseload> = None;
    let mut quote = Quote::default();
    let mut ok = true;
    let mut lines = 0usize;
    let before = ex.len();
    if each.is_none() && (request.options.quotes || read_later) {
        // The quotes' list at its size at once (a quote is 408 bytes: the list grown
        // from empty copied them seven times for 100 courses, 2 % of `evaluate` in
        // callgrind): in proportion to the request, as the quotes themselves are, and a
        // hint, never a limit (none if it cannot be had).
        let _ = response.courses.try_reserve(request.courses.len());
    }
    for (i, course) in request.courses.iter().enumerate() {
        if i == 1 {
            // Room in the graph for the courses left, at the first one's size (a hint:
            // an arena grown course by course copied its 160-byte slots again at every
            // doubling, 2.9 MB for 100 courses), but not beyond 2^18 nodes (42 MB): a
            // first course far heavier than the rest (170 phases, then 20,000 of one
            // month) reserved the whole limit of 4 million, 640 MB it never used.
            let first = ex.len() - before;
            ex.reserve(
                first
                    .saturating_mul(request.courses.len() - 1)
                    .min(RESERVE_AHEAD),
            );
        }
        if let Err(e) = engine.price(ex, i, course, &mut quote) {
            problems.push(e);
            ok = false;
            if problems.limit_reached() {
                break;
            }
            continue;
        }
        response.warnings.extend(quote.warnings.iter().cloned());
        if let Some(c) = caseload.as_mut() {
            if let Err(e) = c.add(&quote) {
                problems.push(e.prefixed(&format!("courses[{i}]")));
                return false;
            }
        }
        if (request.options.quotes || read_later) && ok {
            // The limit holds for the lines with or without them in the response: they
            // bound its months too (every month has a line), and a quote without lines still
            // has those.
            lines = lines.saturating_add(quote.lines.len());
            // Without `options.lines` the lines go once the quote's totals are made (kept
            // only for the e-invoices and the buyer), with the original plan's, which only
            // those read; their list is kept for the next course.
            let dropped = (!request.options.lines && !read_later).then(|| {
                quote.original_lines = Vec::new();
                std::mem::take(&mut quote.lines)
            });
            if lines > limits.invoice_lines {
                // Kept for the e-invoices or the buyer, the lines stay without
                // `options.quotes` too: only splitting the request helps then.
                let (en, da) = if request.options.quotes && !read_later {
                    (
                        "ask for options.quotes = false (a caseload budget only) or split the \
                         request",
                        "vælg `options.quotes = false` (kun et budget for sagerne), eller del \
                         forespørgslen op",
                    )
                } else {
                    (
                        "the e-invoices and the buyer's net cost are made from them: split \
                         the request",
                        "e-fakturaerne og køberens nettoudgift laves ud fra dem: del \
                         forespørgslen op",
                    )
                };
                problems.push(Error::new(
                    ErrorCode::LimitExceeded,
                    format!("courses[{i}]"),
                    format!(
                        "the quotes would have more than {} invoice lines; {en}",
                        limits.invoice_lines
                    ),
                    format!(
                        "Overslagene ville få mere end {} fakturalinjer; {da}.",
                        crate::danish::int(limits.invoice_lines)
                    ),
                ));
                return false;
            }
            match each.as_mut() {
                Some(each) => each(i, &quote),
                None => response.courses.push(std::mem::take(&mut quote)),
            }
            if let Some(mut list) = dropped {
                list.clear();
                quote.lines = list;
            }
        }
    }
    if ok {
        response.caseload = caseload.map(|c| c.budget());
        if let Some(offer) = chained_offer {
            let years = engine.years.take().unwrap_or_default();
            chain.years = years.into_iter().filter(|y| y.offer == offer).collect();
            chain.at_offer = request
                .courses
                .iter()
                .map(|c| engine.tariffs.offer(c.offer.as_deref(), String::new).ok() == Some(offer))
                .collect();
        }
    }
    ok
}

/// The financing models, each in the one graph; every model's problems are reported.
#[cfg(feature = "provider")]
fn finance_sections(
    request: &Request,
    ex: &mut Explanation,
    response: &mut Response,
    problems: &mut Problems,
    courses_ok: bool,
    chain: &Chain<'_>,
) {
    if let Some(s) = &request.settlement {
        // Courses that failed leave a settlement without its revenue (and billed days).
        if courses_ok || s.revenue.is_some() {
            response.settlement = problems.take(s.compute(ex, &mut response.warnings, chain));
        } else {
            problems.push(depends("settlement", ("the courses", "forløbene")));
        }
    }
    if let Some(p) = &request.partnership {
        response.partnership = problems.take(p.compute(ex, &mut response.warnings, chain));
    }
    if let Some(b) = &request.base_funding {
        response.base_funding = problems.take(b.compute(ex, &mut response.warnings, chain));
    }
    if !request.special_arrangements.is_empty() {
        if let Some(r) = problems.take(finance::special::compute(&request.special_arrangements, ex))
        {
            response.special_arrangements = r;
        }
    }
    if let Some(a) = &request.ambulant {
        response.ambulant = problems.take(a.compute(ex, &mut response.warnings));
    }
    if let Some(b) = &request.buyer {
        if courses_ok {
            let quotes = std::mem::take(&mut response.courses);
            response.buyer = problems.take(b.compute(&quotes, ex, &mut response.warnings));
            response.courses = quotes;
        } else {
            problems.push(depends("buyer", ("the courses", "forløbene")));
        }
    }
}

/// Evaluates a request given as JSON and returns the response as compact JSON. Never
/// panics: a request that cannot be read gives a response with `ok: false` and errors.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
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
        Ok(response) => response.into_json(),
        Err(_) => Response::failed(
            Error::new(
                ErrorCode::Internal,
                "",
                "takst failed unexpectedly; please report this request",
                "Beregningen fejlede uventet (en fejl i takst); indberet venligst denne \
                 forespørgsel.",
            )
            .into(),
        )
        .into_json(),
    }
}
