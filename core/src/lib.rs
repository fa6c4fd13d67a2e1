//! # takst — transparent tariffs for Danish specialised social services
//!
//! takst computes the tariffs (takster) that regions and other providers charge
//! municipalities for residential and day services, from the offer's cost base
//! (takstberegningsgrundlag, SEL § 174): the average day, month and year tariff, and
//! differentiated tariffs for modules, packages and levels that are revenue neutral. Every
//! figure explains itself: the [`Explanation`] graph records, for each number, the rule, the
//! inputs, the source and the rounding step.
//!
//! Money is [`rust_decimal::Decimal`] throughout; rounding happens only at named steps with
//! a stated [`Rounding`] policy (whole kroner, half away from zero, for published tariffs;
//! øre for derived amounts). Doubtful but legal input gives [`Warning`]s with the result;
//! input that cannot be computed gives [`Error`]s that name the field.
//!
//! # Example
//!
#![cfg_attr(feature = "provider", doc = "```")]
#![cfg_attr(not(feature = "provider"), doc = "```ignore")]
//! let computed = takst::Offer::sample().compute().unwrap();
//! let sheet = &computed.sheet;
//! println!("{}", computed.to_text());
//! // Every published figure has a node in the explanation with the same value.
//! let day = computed.explanation.find("service.udredning.day").unwrap();
//! assert_eq!(day.value().to_decimal(), Some(sheet.services[0].tariff.day));
//! // The graph recomputes exactly from its recorded inputs.
//! assert!(computed.explanation.verify().is_ok());
//! ```
//!
//! The same through the one entry point every binding exposes, JSON in and JSON out:
//!
#![cfg_attr(feature = "provider", doc = "```")]
#![cfg_attr(not(feature = "provider"), doc = "```ignore")]
//! let response = takst::evaluate_json(r#"{
//!     "version": 1,
//!     "offer": {
//!         "name": "Eksempel", "year": 2026, "kind": "residential",
//!         "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 95},
//!         "costs": [{"label": "Løn", "category": "wages", "amount": "9500000"}]
//!     }
//! }"#);
//! let v: serde_json::Value = serde_json::from_str(&response).unwrap();
//! assert_eq!(v["tariff_sheet"]["average"]["day"], "2740");
//! ```
//!
//! A calculator or a service that answers request after request with the same tariff sheet
//! keeps an [`Evaluator`]: it answers each with the same bytes, without reading the sheet
//! again when it is sent again.
//!
//! # Cargo features
//!
//! All four are on by default; the browser's modules leave some out, to be smaller. A build
//! without a feature refuses what needs it with the error `unsupported` (at the field that
//! asks for it), never a result with something silently missing.
//!
//! - `einvoice`: e-invoices (Peppol BIS Billing 3.0, OIOUBL 3), [`einvoice`] and a request's
//!   `einvoicing` section.
//! - `provider`: the provider's sections of a request (an offer's cost base, the tariff
//!   notice, the settlement, the financing sections, scenarios). Without it `evaluate`
//!   answers catalogues and courses only (the calculator's module). Needs `explain`.
//! - `explain`: the explanation graph, kept when asked for and written in a response.
//!   Without it the figures are the same and no graph is kept: `evaluate` refuses a request
//!   that asks for the explanation (`options.explain`, true by default) and
//!   [`Offer::compute`] is refused (use [`Offer::compute_with`] and [`Explain::No`]) (the
//!   calculator's first module).
//! - `billing`: how courses are billed over time: a course's `changes`, the request's
//!   `billing` section and the caseload budget (`options.caseload`). Without it courses are
//!   priced as planned under the default [`Billing`]: `evaluate` refuses a request that gives
//!   any of the three (an empty `changes` list and `options.caseload` false give none), and
//!   [`Pricer::new`] refuses other conventions and pricing a course with changes is refused
//!   (the calculator's first module). `einvoice` and
//!   `provider` need it.
//!
//! The examples in this documentation are written for the default features; a build without
//! `provider` leaves those of what it refuses out of `cargo test --doc` (reported ignored).
#![warn(missing_docs)]
// Without the `provider` feature (the calculator's browser module), `evaluate` does not call
// the provider's sections: their private code is compiled but unused, and the linker drops it.
#![cfg_attr(not(feature = "provider"), allow(dead_code, unused_imports))]

// Layers, each depending only on those above it:
// 1. numbers: exact values, rounding, decimal text, Danish formatting, errors;
mod danish;
mod date;
mod decimal;
mod digits;
mod error;
mod exact;
mod json_text;
mod name;
mod num;
mod order;
mod rounding;
// 2. the explanation graph every figure is built in;
mod explain;
// 3. the domain's data: offers (input) and tariff sheets (published output);
mod offer;
mod sheet;
// 4. the rules, one file each: tariffs from a cost base, courses over the calendar;
mod course;
pub mod einvoice;
mod finance;
mod tariff;
// 5. text output and the formats (reading, the request/response envelope, schemas);
mod format;
mod render;
// 6. the one entry point, which computes a request's sections in the order figures flow.
mod evaluate;

pub use course::model::{Billing, Course, Invoicing};
pub use course::{
    AddOnChange, AddOnUse, Basis, Caseload, Change, ChangeReport, Comparison, EndAddOn,
    IndexMethod, Indexation, InvoiceLine, Month, MonthAmount, MonthChange, MonthComparison,
    MunicipalityBudget, Notice, Phase, Pricer, Quote, Scheduled, ServiceChange, TariffSource,
    Termination, YearAmount, YearRate, YearValue,
};
pub use danish::{date as da_date, exact as da_exact, number as da_number};
pub use error::{Error, ErrorCode, Errors, Warning, WarningCode};
pub use evaluate::{
    evaluate, evaluate_each, evaluate_json, evaluate_json_with, evaluate_toml, evaluate_toml_with,
    evaluate_with, municipality_spellings, too_many_problems, Evaluator,
};
pub use exact::Exact;
pub use explain::{Explanation, Node, NodeId, Op, RoundingStep, Step, Unit};
pub use finance::{
    Ambulant, AmbulantProduct, AmbulantResult, BaseFunding, BilledDays, Bracket, Buyer, BuyerCase,
    BuyerCost, BuyerResult, BuyerYear, CostItem, EarlyEnd, EarlyEndResult, FundingResult,
    FundingSource, KeyBasis, MunicipalityContribution, Outcome, Overhead, Partner, PartnerResult,
    Partnership, PartnershipResult, Population, ProductPrice, ProductPricing, RefundLevels,
    RefundMethod, RefundTable, Reserve, ReserveState, ReserveStatus, Settlement, SettlementResult,
    Share, SourceKind, SourceResult, SpecialArrangement, SpecialResult, Split, UsageLevel,
    VatRefund, Weight,
};
pub use format::read::{Arena, Built, Document, DocumentBuilder, Text};
pub use format::request::{Options, Request, Response, FORMAT_VERSION, SAMPLE_OFFER};
pub use format::scenario::{FigureChange, Scenario, ScenarioResult};
pub use format::schema;
pub use format::Limits;
pub use name::Name;
pub use offer::{
    AddOn, AddOnPrice, AllocationKey, Band, Capacity, Category, CostLine, DayBasis, DayBasisName,
    DayFraction, Occupancy, Offer, PackageScheme, PartTime, PctOf, PlaceKind, Service, ServiceKind,
    Settings, Stage,
};
pub use rounding::{allocate, AllocateError, RoundMode, Rounding};
pub use rust_decimal::Decimal;
pub use sheet::{
    AddOnTariff, AddOnUnit, PartTimeTariff, ServiceTariff, SheetFormat, SheetOffer,
    SheetPackageScheme, Tariff, TariffSheet,
};
pub use tariff::{
    CategoryTotal, Computed, CostBase, CostBaseLine, Driver, DriverAmount, Explain, Neutrality,
    NoticeResult, ServiceRevenue, TariffChange, TariffNotice,
};

/// The README's Rust examples, compiled and run as doc tests: a figure the README states
/// is a figure the code asserts (with the default features: they price offers).
#[cfg(all(doctest, feature = "provider"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
