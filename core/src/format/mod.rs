//! The formats: reading requests exactly ([`read`]), the request and response and the one
//! entry point ([`request`]), reading a given tariff catalogue ([`catalogue`]), the limits
//! a request must keep within, and the JSON Schemas ([`schema`]).

pub(crate) mod catalogue;
mod da;
pub(crate) mod read;
pub(crate) mod request;
pub(crate) mod scenario;
pub mod schema;

use crate::error::{Error, ErrorCode, Errors};

/// How large a request [`evaluate`](crate::evaluate) accepts. Every limit exceeded is
/// reported as `limit_exceeded` at the field concerned.
///
/// The defaults are sized so that a region's largest offer fits easily (a real offer has
/// tens of cost lines and a handful of services) while a hostile request cannot make the
/// host (a web page, a notebook) run out of memory or time.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let tight = takst::Limits { cost_lines: 2, ..takst::Limits::default() };
/// let out = takst::evaluate_json_with(
///     r#"{"version": 1, "offer": {"name": "x", "year": 2026, "kind": "day",
///         "capacity": {"places": 1}, "occupancy": {"budgeted_pct": 96},
///         "costs": [{"label": "a", "category": "wages", "amount": 1},
///                   {"label": "b", "category": "wages", "amount": 1},
///                   {"label": "c", "category": "wages", "amount": 1}]}}"#,
///     &tight,
/// );
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// assert_eq!(v["errors"][0]["code"], "limit_exceeded");
/// assert_eq!(v["errors"][0]["path"], "offer.costs");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of request text. Default 16 MiB.
    pub request_bytes: usize,
    /// Cost lines of one offer. Default 100,000.
    pub cost_lines: usize,
    /// Services of one offer or catalogue. Default 10,000.
    pub services: usize,
    /// Add-ons of one offer or catalogue. Default 10,000.
    pub add_ons: usize,
    /// Figures in one explanation. Default 4,000,000.
    pub explanation_nodes: usize,
    /// Errors reported for one request (the rest are not listed). Default 1,000.
    pub errors: usize,
    /// Scenarios of one request (each is evaluated in full). Default 20.
    pub scenarios: usize,
    /// Items of the financing models' lists (municipalities, partners, reserves, special
    /// arrangements, buyer's costs, products, …), each list. Default 100,000.
    pub finance_items: usize,
    /// Courses of one request. Default 50,000: a region's whole caseload over ten years
    /// (2,000 citizens, a course a year each) is 20,000.
    pub courses: usize,
    /// Phases, and changes, of one course (each). Default 1,000.
    pub phases: usize,
    /// Invoice lines of the quotes in one response (`options.quotes`; a caseload budget
    /// without quotes keeps no lines and has no such limit). Default 500,000 — about 200 MB
    /// of JSON; 2,000 citizens' ten years of monthly lines are about 280,000.
    pub invoice_lines: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_bytes: 16 * 1024 * 1024,
            cost_lines: 100_000,
            services: 10_000,
            add_ons: 10_000,
            explanation_nodes: crate::explain::DEFAULT_MAX_NODES,
            errors: 1_000,
            scenarios: 20,
            finance_items: 100_000,
            courses: 50_000,
            phases: 1_000,
            invoice_lines: 500_000,
        }
    }
}

impl Limits {
    /// The request's lists against the limits.
    pub(crate) fn check(&self, request: &crate::Request) -> Result<(), Errors> {
        let mut errors = Vec::new();
        let mut over = |count: usize, limit: usize, path: &str, what: (&str, &str)| {
            if count > limit {
                errors.push(Error::new(
                    ErrorCode::LimitExceeded,
                    path,
                    format!("{count} {}; the limit is {limit}", what.0),
                    format!(
                        "Der er {} {}; grænsen er {}.",
                        crate::danish::int(count),
                        what.1,
                        crate::danish::int(limit)
                    ),
                ));
            }
        };
        if let Some(o) = &request.offer {
            over(
                o.costs.len(),
                self.cost_lines,
                "offer.costs",
                ("cost lines", "omkostningslinjer"),
            );
            over(
                o.services.len(),
                self.services,
                "offer.services",
                ("services", "ydelser"),
            );
            over(
                o.add_ons.len(),
                self.add_ons,
                "offer.add_ons",
                ("add-ons", "tillægsydelser"),
            );
        }
        if let Some(n) = &request.tariff_notice {
            let o = &n.previous;
            over(
                o.costs.len(),
                self.cost_lines,
                "tariff_notice.previous.costs",
                ("cost lines", "omkostningslinjer"),
            );
            over(
                o.services.len(),
                self.services,
                "tariff_notice.previous.services",
                ("services", "ydelser"),
            );
            over(
                o.add_ons.len(),
                self.add_ons,
                "tariff_notice.previous.add_ons",
                ("add-ons", "tillægsydelser"),
            );
        }
        if let Some(s) = &request.catalogue {
            over(
                s.services.len(),
                self.services,
                "catalogue.services",
                ("services", "ydelser"),
            );
            over(
                s.add_ons.len(),
                self.add_ons,
                "catalogue.add_ons",
                ("add-ons", "tillægsydelser"),
            );
            over(
                s.part_time.len(),
                self.services.saturating_mul(7),
                "catalogue.part_time",
                ("part-time rows", "deltidsrækker"),
            );
        }
        over(
            request.scenarios.len(),
            self.scenarios,
            "scenarios",
            ("scenarios", "scenarier"),
        );
        over(
            request.courses.len(),
            self.courses,
            "courses",
            ("courses", "forløb"),
        );
        for (i, c) in request.courses.iter().enumerate() {
            if c.phases.len() > self.phases {
                over(
                    c.phases.len(),
                    self.phases,
                    &format!("courses[{i}].phases"),
                    ("phases", "faser"),
                );
            }
            if c.changes.len() > self.phases {
                over(
                    c.changes.len(),
                    self.phases,
                    &format!("courses[{i}].changes"),
                    ("changes", "ændringer"),
                );
            }
        }
        let items = self.finance_items;
        if let Some(s) = &request.settlement {
            over(
                s.reserves.len(),
                items,
                "settlement.reserves",
                ("set-asides", "hensættelser"),
            );
            over(
                s.municipalities.len(),
                items,
                "settlement.municipalities",
                ("municipalities", "kommuner"),
            );
        }
        if let Some(p) = &request.partnership {
            over(
                p.partners.len(),
                items,
                "partnership.partners",
                ("partners", "partnere"),
            );
        }
        if let Some(b) = &request.base_funding {
            over(
                b.sources.len(),
                items,
                "base_funding.sources",
                ("sources", "finansieringskilder"),
            );
            over(
                b.municipalities.len(),
                items,
                "base_funding.municipalities",
                ("municipalities", "kommuner"),
            );
            // Every municipal source is split among every municipality.
            let pairs = b.sources.len().saturating_mul(b.municipalities.len());
            over(
                pairs,
                items,
                "base_funding",
                (
                    "source × municipality pairs",
                    "par af finansieringskilde og kommune",
                ),
            );
        }
        over(
            request.special_arrangements.len(),
            items,
            "special_arrangements",
            ("special arrangements", "særforanstaltninger"),
        );
        if let Some(a) = &request.ambulant {
            over(
                a.products.len(),
                items,
                "ambulant.products",
                ("products", "produkter"),
            );
        }
        if let Some(b) = &request.buyer {
            over(b.costs.len(), items, "buyer.costs", ("costs", "udgifter"));
        }
        #[cfg(feature = "einvoice")]
        if let Some(e) = &request.einvoicing {
            over(
                e.buyers.len(),
                items,
                "einvoicing.buyers",
                ("buyers", "betalende kommuner"),
            );
            over(
                e.courses.len(),
                items,
                "einvoicing.courses",
                ("course references", "forløbsreferencer"),
            );
        }
        if errors.len() > self.errors {
            errors.truncate(self.errors);
            errors.push(Error::new(
                ErrorCode::LimitExceeded,
                "",
                format!(
                    "the request crosses more than {} limits; the first {} are listed",
                    self.errors, self.errors
                ),
                format!(
                    "Forespørgslen overskrider mere end {} grænser; de første {} er listet.",
                    crate::danish::int(self.errors),
                    crate::danish::int(self.errors)
                ),
            ));
        }
        match Errors::from_vec(errors) {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }
}
