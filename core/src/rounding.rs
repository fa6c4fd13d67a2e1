//! Rounding policies and exact allocation.
//!
//! A [`Rounding`] is a mode plus an increment ("whole kroner, half away from zero"; "øre";
//! "0.50 kr, up"). It is the only way takst rounds money: rust_decimal's bare
//! `round()`/`round_dp()` (banker's rounding) are forbidden by clippy in this workspace.
//! Each rounding is applied at a named step and recorded in the explanation.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::num;

/// How a value that lies between two multiples of the increment is rounded.
///
/// The examples use an increment of 1 kr.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoundMode {
    /// Ties go away from zero: 2.5 → 3, −2.5 → −3. The Danish convention for published
    /// tariffs and for e-invoices (OIOUBL, EN 16931). The default.
    #[default]
    HalfAwayFromZero,
    /// Ties go to the even neighbour (banker's rounding): 2.5 → 2, 3.5 → 4, −2.5 → −2.
    /// Published regional tables do not come out right with it; offered for comparison.
    HalfEven,
    /// Ties go toward zero: 2.5 → 2, −2.5 → −2.
    HalfTowardZero,
    /// Always away from zero: 2.1 → 3, −2.1 → −3.
    Up,
    /// Always toward zero (truncation): 2.9 → 2, −2.9 → −2.
    Down,
    /// Toward positive infinity: 2.1 → 3, −2.9 → −2.
    Ceiling,
    /// Toward negative infinity: 2.9 → 2, −2.1 → −3.
    Floor,
}

impl RoundMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundMode::HalfTowardZero => RoundingStrategy::MidpointTowardZero,
            RoundMode::Up => RoundingStrategy::AwayFromZero,
            RoundMode::Down => RoundingStrategy::ToZero,
            RoundMode::Ceiling => RoundingStrategy::ToPositiveInfinity,
            RoundMode::Floor => RoundingStrategy::ToNegativeInfinity,
        }
    }

    /// A short Danish description, used in tariff sheets and explanations.
    pub fn describe_da(self) -> &'static str {
        match self {
            RoundMode::HalfAwayFromZero => "halvt op (væk fra nul)",
            RoundMode::HalfEven => "halvt til lige (bankers)",
            RoundMode::HalfTowardZero => "halvt ned (mod nul)",
            RoundMode::Up => "altid op (væk fra nul)",
            RoundMode::Down => "altid ned (mod nul)",
            RoundMode::Ceiling => "op (mod plus uendelig)",
            RoundMode::Floor => "ned (mod minus uendelig)",
        }
    }
}

/// A rounding policy: round to a multiple of `increment` using `mode`.
///
/// # Example
///
/// ```
/// use rust_decimal::Decimal;
/// use takst::{Rounding, RoundMode};
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// assert_eq!(Rounding::KRONER.apply(d("2344.5")), Some(d("2345")));
/// assert_eq!(Rounding::KRONER.apply(d("-2344.5")), Some(d("-2345")));
/// assert_eq!(Rounding::ORE.apply(d("1993.245")), Some(d("1993.25")));
///
/// // Banker's rounding must be asked for by name.
/// let bankers = Rounding::new(d("1"), RoundMode::HalfEven).unwrap();
/// assert_eq!(bankers.apply(d("2344.5")), Some(d("2344")));
///
/// // Any positive increment: to the nearest 50 øre.
/// let half = Rounding::new(d("0.50"), RoundMode::HalfAwayFromZero).unwrap();
/// assert_eq!(half.apply(d("10.26")), Some(d("10.50")));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// The step to round to, in kroner: `"1"` for whole kroner, `"0.01"` for øre. Must be > 0.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    pub increment: Decimal,
    /// How ties and remainders are resolved. Default: `half_away_from_zero`.
    #[serde(default)]
    pub mode: RoundMode,
}

impl Rounding {
    /// Whole kroner, half away from zero: the default for published tariffs.
    pub const KRONER: Rounding = Rounding {
        increment: Decimal::ONE,
        mode: RoundMode::HalfAwayFromZero,
    };
    /// Øre (0.01 kr), half away from zero: the default for derived amounts.
    pub const ORE: Rounding = Rounding {
        increment: Decimal::from_parts(1, 0, 0, false, 2),
        mode: RoundMode::HalfAwayFromZero,
    };

    /// A policy with the given increment; `None` unless the increment is positive.
    pub fn new(increment: Decimal, mode: RoundMode) -> Option<Rounding> {
        (increment > Decimal::ZERO).then_some(Rounding { increment, mode })
    }

    /// Rounds `value` to a multiple of the increment; `None` only on overflow or a
    /// non-positive increment (possible for a policy built from its public fields).
    pub fn apply(&self, value: Decimal) -> Option<Decimal> {
        if self.increment <= Decimal::ZERO {
            return None;
        }
        let steps = value.checked_div(self.increment)?;
        let whole = steps.round_dp_with_strategy(0, self.mode.strategy());
        let rounded = whole.checked_mul(self.increment)?;
        // Keep the increment's scale so øre amounts print as "1993.20", kroner as "2345".
        let mut rounded = rounded.normalize();
        if rounded.scale() < self.increment.scale() {
            rounded.rescale(self.increment.scale());
        }
        Some(rounded)
    }
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding::KRONER
    }
}

impl fmt::Display for Rounding {
    /// Danish: "hele kroner, halvt op (væk fra nul)", "øre, …" or "0,50 kr, …".
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let step = if self.increment == Decimal::ONE {
            "hele kroner".to_string()
        } else if self.increment == Rounding::ORE.increment {
            "øre".to_string()
        } else {
            format!("{} kr", crate::render::da_number(self.increment))
        };
        write!(f, "{step}, {}", self.mode.describe_da())
    }
}

/// Why an [`allocate`] call could not split the amount.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllocateError {
    /// The increment was zero or negative.
    #[error("the increment must be positive")]
    Increment,
    /// The total is not a whole number of increments (e.g. 10.005 kr to øre).
    #[error("the total {0} is not a whole number of increments")]
    Total(Decimal),
    /// A weight was negative.
    #[error("weight {0} is negative")]
    NegativeWeight(usize),
    /// The weights were empty or summed to zero.
    #[error("the weights sum to zero")]
    ZeroWeights,
    /// The numbers were too large for 96-bit decimals.
    #[error("the amounts are too large")]
    Overflow,
}

/// Splits `total` into parts proportional to `weights`, each a multiple of `increment`,
/// that always sum exactly to `total` (largest-remainder method).
///
/// Each part is the exact share rounded toward zero, then the units left over go one each
/// to the parts with the largest remainders; ties go to the earlier part. A negative total
/// is split as its absolute value and negated, so `allocate(-x)` is `-allocate(x)`.
///
/// # Example
///
/// A surplus of 100 kr split in three equal parts, to øre:
///
/// ```
/// use rust_decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let parts = takst::allocate(d("100"), &[d("1"), d("1"), d("1")], d("0.01")).unwrap();
/// assert_eq!(parts, vec![d("33.34"), d("33.33"), d("33.33")]);
///
/// let parts = takst::allocate(d("-100"), &[d("1"), d("1"), d("1")], d("0.01")).unwrap();
/// assert_eq!(parts, vec![d("-33.34"), d("-33.33"), d("-33.33")]);
/// ```
pub fn allocate(
    total: Decimal,
    weights: &[Decimal],
    increment: Decimal,
) -> Result<Vec<Decimal>, AllocateError> {
    if increment <= Decimal::ZERO {
        return Err(AllocateError::Increment);
    }
    if let Some(i) = weights
        .iter()
        .position(|w| w.is_sign_negative() && !w.is_zero())
    {
        return Err(AllocateError::NegativeWeight(i));
    }
    let weight_sum = weights
        .iter()
        .try_fold(Decimal::ZERO, |acc, w| acc.checked_add(*w))
        .ok_or(AllocateError::Overflow)?;
    if weight_sum.is_zero() {
        return Err(AllocateError::ZeroWeights);
    }
    let units = total
        .checked_div(increment)
        .ok_or(AllocateError::Overflow)?;
    if units.fract() != Decimal::ZERO {
        return Err(AllocateError::Total(total));
    }
    let negative = units.is_sign_negative();
    let units = units.abs();

    let mut floors = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for w in weights {
        let exact = units
            .checked_mul(*w)
            .and_then(|x| x.checked_div(weight_sum))
            .ok_or(AllocateError::Overflow)?;
        floors.push(exact.trunc());
        remainders.push(exact.fract());
    }
    let given = floors
        .iter()
        .try_fold(Decimal::ZERO, |acc, f| acc.checked_add(*f));
    let left = units.checked_sub(given.ok_or(AllocateError::Overflow)?);
    let left = left.ok_or(AllocateError::Overflow)?;

    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest remainder first; the stable sort keeps earlier parts first on ties.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
    // `left` is below the number of parts. It can only be negative when a quotient at the
    // 28th digit rounded up to a whole unit; then units are taken back from the smallest
    // remainders, so the parts still sum to the total.
    let mut left = left;
    let mut up = order.iter().cycle();
    while left > Decimal::ZERO {
        let Some(&i) = up.next() else { break };
        floors[i] += Decimal::ONE;
        left -= Decimal::ONE;
    }
    let mut down = order.iter().rev().cycle().take(weights.len() * 2);
    while left < Decimal::ZERO {
        let Some(&i) = down.next() else {
            return Err(AllocateError::Overflow);
        };
        if floors[i] > Decimal::ZERO {
            floors[i] -= Decimal::ONE;
            left += Decimal::ONE;
        }
    }

    floors
        .into_iter()
        .map(|units| {
            let part = units
                .checked_mul(increment)
                .ok_or(AllocateError::Overflow)?;
            Ok(if negative && !part.is_zero() {
                -part
            } else {
                part
            })
        })
        .collect()
}
