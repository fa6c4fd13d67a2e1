//! The ledger of amounts set aside from surpluses: each earlier set-aside with what is used
//! and left, its last year of use and its state (warnings when it expires), and this year's
//! set-aside last.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::danish::number as da;
use crate::error::{Error, Warning, WarningCode};
use crate::explain::{Desc, Explanation, Fig, Op, Subj, Unit};
use crate::num;

use super::super::{dec, desc, input, year_subj};
use super::{Settlement, P};

/// An amount set aside in an earlier year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reserve {
    /// The year whose surplus it was set aside from.
    pub year: i32,
    /// The amount set aside.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
    /// How much of it has been used so far. Default 0.
    #[serde(default, deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub used: Decimal,
}

/// Where a set-aside stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReserveState {
    /// Fully used.
    Used,
    /// May still be used.
    Open,
    /// Must be used next year (the last year of use).
    ExpiresNextYear,
    /// The years of use are over and an amount is left.
    Expired,
}

impl ReserveState {
    /// The Danish words.
    pub fn da(self) -> &'static str {
        match self {
            ReserveState::Used => "anvendt",
            ReserveState::Open => "til rådighed",
            ReserveState::ExpiresNextYear => "udløber næste år",
            ReserveState::Expired => "udløbet",
        }
    }
}

/// One line of the ledger of set-asides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ReserveStatus {
    /// The year it was set aside from.
    pub year: i32,
    /// The amount set aside.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
    /// Used so far.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub used: Decimal,
    /// Left to use.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub remaining: Decimal,
    /// The last year it may be used in.
    pub use_by: i32,
    /// Where it stands after the settlement of year N.
    pub state: ReserveState,
}

pub(super) const RESERVE_AMOUNT: Desc = desc(
    "settlement.reserve.{b}.amount",
    "Hensat af overskuddet {b}",
    Unit::Kr,
    "",
    None,
    "settlement.reserves",
);
pub(super) const RESERVE_USED: Desc = desc(
    "settlement.reserve.{b}.used",
    "Anvendt af hensættelsen fra {b}",
    Unit::Kr,
    "",
    None,
    "settlement.reserves",
);
pub(super) const RESERVE_LEFT: Desc = desc(
    "settlement.reserve.{b}.remaining",
    "Tilbage af hensættelsen fra {b}",
    Unit::Kr,
    "hensat − anvendt",
    None,
    "settlement.reserves",
);
pub(super) const RESERVES_LEFT: Desc = desc(
    "settlement.reserves_remaining",
    "Hensættelser til rådighed i alt",
    Unit::Kr,
    "summen af det, der er tilbage af hver hensættelse, der endnu må bruges, med årets hensættelse",
    None,
    "settlement.reserves",
);

impl Settlement {
    /// The ledger: earlier set-asides, then this year's (`set_aside`), and what is left of all.
    pub(super) fn ledger(
        &self,
        ex: &mut Explanation,
        set_aside: &Fig,
        set_aside_dec: Decimal,
        warnings: &mut Vec<Warning>,
    ) -> Result<(Vec<ReserveStatus>, Fig), Error> {
        let none = Subj::NONE;
        let mut reserves = Vec::with_capacity(self.reserves.len() + 1);
        let mut left_figs: Vec<Fig> = Vec::with_capacity(self.reserves.len() + 1);
        for (i, r) in self.reserves.iter().enumerate() {
            let s = year_subj(0, r.year);
            let amount = input(ex, &RESERVE_AMOUNT, s, r.amount)?;
            let used = input(ex, &RESERVE_USED, s, r.used)?;
            let left = ex.derive(&RESERVE_LEFT, s, Op::Difference, &[amount, used])?;
            let remaining = dec(&left, P)?;
            let use_by = r.year + self.use_within_years as i32;
            let state = if remaining.is_zero() {
                ReserveState::Used
            } else if use_by <= self.year {
                ReserveState::Expired
            } else if use_by == self.year + 1 {
                ReserveState::ExpiresNextYear
            } else {
                ReserveState::Open
            };
            let path = format!("settlement.reserves[{i}]");
            match state {
                ReserveState::Expired => warnings.push(Warning::new(
                    WarningCode::ReserveExpired,
                    path,
                    format!(
                        "{remaining} kr set aside from {} should have been used by {use_by}",
                        r.year
                    ),
                    format!(
                        "{} kr. hensat i {} skulle have været brugt senest i {use_by}.",
                        da(remaining),
                        r.year
                    ),
                )),
                ReserveState::ExpiresNextYear => warnings.push(Warning::new(
                    WarningCode::ReserveExpiring,
                    path,
                    format!(
                        "{remaining} kr set aside from {} must be used in {use_by}",
                        r.year
                    ),
                    format!(
                        "{} kr. hensat i {} skal bruges i {use_by}.",
                        da(remaining),
                        r.year
                    ),
                )),
                _ => {}
            }
            // An expired set-aside's remainder is listed, warned of and not counted as
            // available: its years of use are over.
            if state != ReserveState::Expired {
                left_figs.push(left);
            }
            reserves.push(ReserveStatus {
                year: r.year,
                amount: r.amount,
                used: r.used,
                remaining,
                use_by,
                state,
            });
        }
        if !set_aside_dec.is_zero() {
            // This year's set-aside by the same rule as the earlier ones: with
            // `use_within_years` 1 its last year of use is next year (`use_within_years` 0 is
            // refused by the check: an amount set aside now could never be used).
            let use_by = self.year + self.use_within_years as i32;
            let state = if use_by == self.year + 1 {
                ReserveState::ExpiresNextYear
            } else {
                ReserveState::Open
            };
            if state == ReserveState::ExpiresNextYear {
                warnings.push(Warning::new(
                    WarningCode::ReserveExpiring,
                    "settlement.set_aside",
                    format!(
                        "{set_aside_dec} kr set aside from {} must be used in {use_by}",
                        self.year
                    ),
                    format!(
                        "{} kr. hensat i {} skal bruges i {use_by}.",
                        da(set_aside_dec),
                        self.year
                    ),
                ));
            }
            left_figs.push(set_aside.clone());
            reserves.push(ReserveStatus {
                year: self.year,
                amount: set_aside_dec,
                used: Decimal::ZERO,
                remaining: set_aside_dec,
                use_by,
                state,
            });
        }
        let total_left = ex.derive(&RESERVES_LEFT, none, Op::Sum, &left_figs)?;
        Ok((reserves, total_left))
    }
}
