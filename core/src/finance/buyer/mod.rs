//! The buyer's side (domain reference §8): the municipality's net cost of its citizens'
//! courses and other costs, after the indirect VAT refund on private providers' prices
//! (price × VAT-bearing share × 25/125, rounded to whole kroner by default: BEK 891/2025
//! § 10) and the state refund for very expensive single cases (SEL § 176), applied
//! marginally by brackets.
//!
//! The refund is worked out month by month by default (BEK 1485/2023 § 3: each month's
//! expense for the citizen against 1/12 of the thresholds; an expense that is not monthly is
//! spread evenly over the year's 12 months), or on the year's expense as a setting. The
//! thresholds are data: per year, or at a price level (the law's 2022 level) indexed to the
//! year and rounded to a stated increment.
//!
//! # The parts
//!
//! | file | what it does |
//! |---|---|
//! | `model.rs` | the section as given: the buyer, its refund tables or price level, its other costs, and how the refund is worked out |
//! | `result.rs` | the figures returned: each citizen's year, each year, the VAT refund convention |
//! | `desc.rs` | what each figure is: the descriptions of the explanation's nodes, and a citizen's course's subject |
//! | `check.rs` | checking the section, every problem at its path |
//! | `compute.rs` | the computation: the citizen-years' gross parts, the brackets of a year, the VAT refund and the net cost |
//! | `sel176.rs` | the SEL § 176 refund: its descriptions, the brackets, the price level indexed to a year, the month-by-month refund |

mod check;
mod compute;
mod desc;
mod model;
mod result;
mod sel176;

pub use model::{Bracket, Buyer, BuyerCost, RefundLevels, RefundMethod, RefundTable};
pub use result::{BuyerCase, BuyerResult, BuyerYear, VatRefund};
