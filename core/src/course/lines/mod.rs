//! Invoice lines: each calendar month of each phase (or add-on) is one line, days × the
//! tariff in force that year (or an add-on's quantity × price × the month's share of days),
//! rounded to øre once; month, year and course totals are sums of lines.
//!
//! # The parts
//!
//! | file | what it does |
//! |---|---|
//! | `mod.rs` | which lines are being priced ([`Lines`]: the quote's, or the original plan's) |
//! | `price.rs` | pricing a plan's lines: a service line per month of each segment, at the tariff in force, and the add-ons' lines |
//! | `totals.rs` | month, year and course totals of the lines, an amount as a `Decimal`, and a course's service lines per calendar year ([`CourseYear`]) |
//! | `warnings.rs` | the warnings of a course's lines (a tariff year carried, day tariffs over a short day basis, an add-on billed twice) and the request paths they point at |
//! | `desc.rs` | what each figure is: the descriptions of the lines and totals, of the course as priced and of its original plan, and what a line bills, in words |

mod desc;
mod price;
mod totals;
mod warnings;

pub(super) use desc::{what, ORIGINAL, PRICED};
pub(crate) use totals::CourseYear;
pub(super) use totals::{amount_of, course_years, Totals};
pub(super) use warnings::{add_ons_twice, origin_path};

/// Which lines are being priced.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lines {
    /// The quote's lines; `changed` when the course has changes, whose report compares the
    /// months with the original plan's (only then are the month figures kept in `Totals`).
    Quote {
        changed: bool,
    },
    Original,
}
