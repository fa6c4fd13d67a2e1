//! Partnership financing (MultifunC in the strategy, domain reference §7): partner
//! municipalities pay a fixed share of the financing base whatever their use, split by an
//! agreed key, and a lower tariff; non-partners pay the full tariff. At the expected days the
//! revenue equals the financing base exactly (before the published tariffs are rounded).
//!
//! # The parts
//!
//! | file | what it does |
//! |---|---|
//! | `model.rs` | the section as given: the financing base, the fixed share, the partners and how the key is made |
//! | `result.rs` | the figures returned: the tariffs, each partner's contribution and cost at each usage level |
//! | `desc.rs` | what each figure is: the descriptions of the explanation's nodes, and a usage level's subject |
//! | `check.rs` | checking the section, every problem at its path |
//! | `compute.rs` | the computation: the full and partner tariffs, the fixed payment split by the key, the usage levels, the revenue and its residue; the warnings of a partner without a share and of partners' courses billed at their sheet's tariffs |

mod check;
mod compute;
mod desc;
mod model;
mod result;

pub use model::{KeyBasis, Partner, Partnership};
pub use result::{PartnerResult, PartnershipResult, UsageLevel};
