//! Base funding (basisøkonomi, objective financing, drawing rights, subscriptions; domain
//! reference §7): amounts paid outside the tariff, by the state, a fund or the
//! municipalities (by population or an agreed key), lower the cost base the tariffs must
//! cover.
//!
//! # The parts
//!
//! | file | what it does |
//! |---|---|
//! | `model.rs` | the section as given: the cost base, the sources and who pays them, the municipalities and an agreed key |
//! | `result.rs` | the figures returned: each source and its split, each municipality's contribution, the tariffs with and without base funding |
//! | `desc.rs` | what each figure is: the descriptions of the explanation's nodes |
//! | `check.rs` | checking the section, every problem at its path |
//! | `compute.rs` | the computation: the sources and their splits, the day tariff with and without base funding, the revenue and its residue, and the warning when the offer's tariffs are not computed with this funding |

mod check;
mod compute;
mod desc;
mod model;
mod result;

pub use model::{BaseFunding, FundingSource, Population, SourceKind, Split, Weight};
pub use result::{FundingResult, MunicipalityContribution, SourceResult};
