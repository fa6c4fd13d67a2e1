//! Time-limited courses (domain reference §5): a citizen's phases over the calendar, priced
//! day by day at the tariff of each day's year, invoiced per calendar month per phase, with
//! changes, termination, the comparison with the flat average tariff, and caseloads.
//!
//! | file | rule |
//! |---|---|
//! | [`model`] | the course, its phases and changes, the billing conventions, the index |
//! | [`calendar`] | phases to dated segments (month phases from the course start, month-end clamping), calendar months |
//! | [`amend`] | the changes applied to the plan: a change of service, an add-on added or ended, a termination with notice |
//! | [`tariffs`] | the tariff in force for a service in a year: the year's sheet or PL indexation |
//! | this file | invoice lines, totals, the comparison with the flat tariff, the change report |
//! | [`caseload`] | many courses to a budget per paying municipality, month and year |
//!
//! Every invoice line is days × the tariff in force, rounded to øre once; the course total is
//! the sum of the lines, so the schedule always adds up to the total.

pub(crate) mod amend;
pub(crate) mod calendar;
pub(crate) mod caseload;
mod changes;
mod comparison;
mod engine;
mod json;
mod lines;
pub(crate) mod model;
mod quote;
pub(crate) mod tariffs;

pub(crate) use engine::Engine;
pub use engine::Pricer;
pub(crate) use lines::CourseYear;
pub use quote::{
    Basis, ChangeReport, Comparison, InvoiceLine, Month, MonthAmount, MonthChange, MonthComparison,
    Quote, Scheduled, YearAmount,
};
pub(crate) use tariffs::scheme_day;

pub use caseload::{Caseload, MunicipalityBudget};
pub use model::{
    AddOnChange, AddOnUse, Change, EndAddOn, IndexMethod, Indexation, Notice, Phase, ServiceChange,
    Termination, YearRate, YearValue,
};
pub use tariffs::TariffSource;
