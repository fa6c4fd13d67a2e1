//! Rounding policies and exact allocation.
//!
//! A [`Rounding`] is a mode plus an increment ("whole kroner, half away from zero"; "øre";
//! "0.50 kr, up"). It is the only way takst rounds money: rust_decimal's bare
//! `round()`/`round_dp()` (banker's rounding) are forbidden by clippy in this workspace.
//! Each rounding is applied at a named step and recorded in the explanation.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use ethnum::I256;

use crate::exact::Exact;
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
    /// Every mode, in the order they are declared.
    pub const ALL: [RoundMode; 7] = [
        RoundMode::HalfAwayFromZero,
        RoundMode::HalfEven,
        RoundMode::HalfTowardZero,
        RoundMode::Up,
        RoundMode::Down,
        RoundMode::Ceiling,
        RoundMode::Floor,
    ];

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
    #[serde(serialize_with = "crate::digits::ser_decimal")]
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

    /// Rounds `value` to a multiple of the increment; `None` only when the result does not
    /// fit a `Decimal` or the increment is not positive (possible for a policy built from
    /// its public fields).
    pub fn apply(&self, value: Decimal) -> Option<Decimal> {
        self.apply_exact(&Exact::from(value))
    }

    /// The multiple of the increment to round to: `floor` or `floor + 1`, by the mode, given
    /// whether there is a remainder, how twice the remainder compares with a whole step
    /// (`None`: certainly above), and the sign of the value.
    #[inline(always)]
    fn choose(
        &self,
        floor: i128,
        inexact: bool,
        half: Option<std::cmp::Ordering>,
        positive: bool,
    ) -> Option<i128> {
        if !inexact {
            return Some(floor);
        }
        let ceil = floor.checked_add(1)?;
        let away = if positive { ceil } else { floor };
        let toward = if positive { floor } else { ceil };
        let nearest = |tie: i128| match half {
            Some(std::cmp::Ordering::Less) => floor,
            Some(std::cmp::Ordering::Equal) => tie,
            _ => ceil,
        };
        Some(match self.mode {
            RoundMode::HalfAwayFromZero => nearest(away),
            RoundMode::HalfTowardZero => nearest(toward),
            RoundMode::HalfEven => nearest(if floor % 2 == 0 { floor } else { ceil }),
            RoundMode::Up => away,
            RoundMode::Down => toward,
            RoundMode::Ceiling => ceil,
            RoundMode::Floor => floor,
        })
    }

    /// Rounds an exact value once to a multiple of the increment. The result carries the
    /// increment's scale, so øre amounts print as `"1993.20"` and kroner as `"2345"`.
    ///
    /// The decision is made on the exact value: a quotient that is exactly k + ½ is a tie,
    /// however it was computed.
    ///
    /// # Example
    ///
    /// ```
    /// use takst::{Decimal, Exact, Rounding};
    ///
    /// // 1,141,111 kr over 334 days is exactly 3,416.5 kr: a tie, rounded away from zero.
    /// let day = Exact::from(1_141_111i64).checked_div(&Exact::from(334i64)).unwrap();
    /// assert_eq!(Rounding::KRONER.apply_exact(&day), Some(Decimal::from(3417)));
    /// ```
    pub fn apply_exact(&self, value: &Exact) -> Option<Decimal> {
        decimal(self.rounded_mantissa(value)?, self.increment.scale())
    }

    /// [`Self::apply_exact`], with the rounded value as an exact figure too: made from the
    /// rounded mantissa, as `Exact::from` the `Decimal` makes it, rather than taken apart
    /// from the `Decimal` again (every rounded figure of a course was, callgrind: some 2 %
    /// of pricing one).
    pub(crate) fn apply_exact_both(&self, value: &Exact) -> Option<(Decimal, Exact)> {
        self.both(self.rounded_mantissa(value)?)
    }

    /// [`Self::apply_exact_both`] of a value that is usually a whole number of increments
    /// already (a course's amounts: days × a tariff in kroner or øre, rounded to øre): such
    /// a value is its own rounding, taken without the division (`at_increment`). Only the
    /// courses' lines and comparison round through here: the check cost the offer's
    /// roundings, which seldom pass it, 0.8 % (`bench profile offer`). Inlined into those
    /// few rules, where the value's form is tested without a call.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn apply_whole_both(&self, value: &Exact) -> Option<(Decimal, Exact)> {
        match self.at_increment(value) {
            Some(mantissa) => self.both(mantissa),
            None => self.apply_exact_both(value),
        }
    }

    /// The rounded value of `mantissa` (at the increment's scale) as a `Decimal` and as an
    /// exact figure.
    #[inline(always)]
    fn both(&self, mantissa: i128) -> Option<(Decimal, Exact)> {
        let scale = self.increment.scale();
        let after = decimal(mantissa, scale)?;
        let exact = Exact::scaled64(mantissa, scale).unwrap_or_else(|| Exact::from(after));
        Some((after, exact))
    }

    /// The mantissa of a value that is already a whole number of increments of 10^−scale:
    /// a 64-bit value whose denominator divides 10^scale (days × a tariff in kroner or øre,
    /// rounded to øre, and their sums: most roundings of a course). It is n × (10^scale ÷ d),
    /// which the general steps below find as the quotient of a division with no remainder
    /// (and every mode keeps a value with none); `None` for any other value or increment.
    #[inline(always)]
    fn at_increment(&self, value: &Exact) -> Option<i128> {
        let (n, d) = value.parts64()?;
        let p = crate::exact::pow10_64(self.increment.scale())?;
        if self.increment.mantissa() != 1 {
            return None;
        }
        // d > 0 always; a product of a 64-bit n and a factor below 10^19 fits 128 bits. An
        // amount in øre at øre (d = p) or in kroner (d = 1), nearly every one, is scaled
        // without the division (a machine division, tens of cycles, each line and month).
        let k = match d {
            _ if d == p => 1,
            1 => p,
            _ if p % d == 0 => p / d,
            _ => return None,
        };
        Some(i128::from(n) * i128::from(k))
    }

    /// [`Self::apply_exact_both`] of `value × factor ÷ divisor` for a factor and a positive
    /// divisor with 64-bit parts (a tariff's year from its day tariff and day basis, its
    /// month over twelve), without making the product or the quotient: the machine steps
    /// below round n/d by its value, so they round n·e·b ÷ (d·f·a) for value n/d, factor
    /// e/f and divisor a/b as they round the product and quotient in any of their forms.
    /// A 128-bit day tariff's year and month were each a 128-bit product, boxed, rounded
    /// and freed. `None` when those steps do not apply or the rounding fails: the caller
    /// then makes the figure and rounds it (to the same figure, or the same failure).
    pub(crate) fn apply_ratio_both(
        &self,
        value: &Exact,
        factor: &Exact,
        divisor: &Exact,
    ) -> Option<(Decimal, Exact)> {
        let (n, d) = value.small_parts()?;
        let (n, d) = self.ratio_product(n, d, factor)?;
        let (n, d) = ratio_quotient(n, d, divisor)?;
        self.round_ratio(n, d)
    }

    /// [`Self::apply_ratio_both`] of `value × factor` and of `value × factor ÷ divisor`
    /// (a tariff's year and month from its day tariff, day basis and twelve), the parts of
    /// the product taken once for both: the same two figures, or `None` when either is.
    /// Returns the quotient's, then the product's.
    pub(crate) fn apply_ratio_pair_both(
        &self,
        value: &Exact,
        factor: &Exact,
        divisor: &Exact,
    ) -> Option<((Decimal, Exact), (Decimal, Exact))> {
        let (n, d) = value.small_parts()?;
        self.apply_ratio_pair_parts(n, d, factor, divisor)
    }

    /// [`Self::apply_ratio_pair_both`] of the value of parts n/d (d > 0) that fit 128 bits,
    /// in whichever form they are held.
    pub(crate) fn apply_ratio_pair_parts(
        &self,
        n: i128,
        d: i128,
        factor: &Exact,
        divisor: &Exact,
    ) -> Option<((Decimal, Exact), (Decimal, Exact))> {
        if let Some(pair) = self.half_up_pair(n, d, factor, divisor) {
            return pair;
        }
        let (n, d) = self.ratio_product(n, d, factor)?;
        // The product over one (`ratio_quotient` of ONE leaves the parts as they are).
        let product = self.round_ratio(n, d)?;
        let (n, d) = ratio_quotient(n, d, divisor)?;
        Some((self.round_ratio(n, d)?, product))
    }

    /// [`Self::apply_exact_both`] of the value of parts n/d (d > 0) that fit 128 bits,
    /// without making it: the steps `rounded_mantissa` takes for it in either form (64 bits
    /// when the parts fit, else 128). `None` when they do not apply or the rounding fails:
    /// the caller makes the value and rounds it (to the same figure, or the same failure).
    pub(crate) fn apply_parts_both(&self, n: i128, d: i128) -> Option<(Decimal, Exact)> {
        if let Some(p) = self.half_up_power() {
            if n >= 0 && d > 0 {
                let (q, r) = div_rem_nonneg(times(n, p)?, d)?;
                return self.both(half_up(q, r, d));
            }
        }
        if !self.is_valid() {
            return None;
        }
        self.round_ratio(n, d)
    }

    /// 10^s for a policy of whole increments of 10^−s (whole kroner, øre) rounding half away
    /// from zero: the published tariffs' by default, whose steps of a non-negative value
    /// need no sign, mode or increment's mantissa (`half_up`). `None` for any other.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn half_up_power(&self) -> Option<i128> {
        if self.mode != RoundMode::HalfAwayFromZero {
            return None;
        }
        // The Decimal's words: flags (sign and scale), then the mantissa's low, middle and
        // high 32 bits; a mantissa of 1, positive.
        let b = self.increment.serialize();
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        if word(4) != 1 || word(8) != 0 || word(12) != 0 || word(0) >> 31 != 0 {
            return None;
        }
        crate::exact::pow10((word(0) >> 16) & 0xff)
    }

    /// [`Self::apply_ratio_pair_parts`] for a policy of [`Self::half_up_power`], a
    /// non-negative value, a factor e/1 (a day basis) and a whole divisor a/1 (twelve): the
    /// product's steps n·e·p ÷ d = q + r/d from one division, and the quotient's from them
    /// (floor(x ÷ a) = floor(floor(x) ÷ a) for a whole a > 0: q div a, with the remainder
    /// (q mod a)·d plus r, over d·a). The same steps the general path finds by a division
    /// each, so the same figures, and `Some(None)` where it fails (a step that does not fit,
    /// a rounded value with no `Decimal`). A day tariff's month and year were rounded so by
    /// the general steps, each with its own 128-bit division for a tariff over unrelated
    /// denominators (callgrind `bench profile offer`: 21,828 → 21,322 instructions an
    /// offer). `None` for any other case: the general path takes it.
    #[allow(clippy::type_complexity)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn half_up_pair(
        &self,
        n: i128,
        d: i128,
        factor: &Exact,
        divisor: &Exact,
    ) -> Option<Option<((Decimal, Exact), (Decimal, Exact))>> {
        let p = self.half_up_power()?;
        let ((e, 1), (a, 1)) = (factor.parts64()?, divisor.parts64()?) else {
            return None;
        };
        if n < 0 || d <= 0 || e < 0 || a <= 0 {
            return None;
        }
        Some(self.half_up_pair_steps(n, d, i128::from(e), i128::from(a), p))
    }

    /// The figures of [`Self::half_up_pair`] for n ≥ 0, d > 0, e ≥ 0, a > 0.
    #[allow(clippy::type_complexity)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn half_up_pair_steps(
        &self,
        n: i128,
        d: i128,
        e: i128,
        a: i128,
        p: i128,
    ) -> Option<((Decimal, Exact), (Decimal, Exact))> {
        // The general path's steps, and its failures: n·e·p over d, and d·a.
        let num = times_nonneg(times_nonneg(n, e)?, p)?;
        let den_q = times_nonneg(d, a)?;
        let (q, r) = div_rem_nonneg(num, d)?;
        let product = self.both(half_up(q, r, d))?;
        let (q_q, rest) = div_rem_nonneg(q, a)?;
        // 0 ≤ rest < a and 0 ≤ r < d: rest·d + r < d·a = den_q, which fits, so neither
        // step wraps.
        let r_q = rest.wrapping_mul(d).wrapping_add(r);
        Some((self.both(half_up(q_q, r_q, den_q))?, product))
    }

    /// The parts n·e, d·f of value n/d times factor e/f, when the factor has 64-bit parts
    /// as `apply_ratio_both` needs and the policy is valid; `None` otherwise.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn ratio_product(&self, n: i128, d: i128, factor: &Exact) -> Option<(i128, i128)> {
        let (e, f) = factor.parts64()?;
        if !self.is_valid() {
            return None;
        }
        Some((times(n, i128::from(e))?, times(d, i128::from(f))?))
    }

    /// n/d rounded, as `apply_ratio_both` rounds it: in 64 bits when the parts fit, else
    /// in 128.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn round_ratio(&self, n: i128, d: i128) -> Option<(Decimal, Exact)> {
        let in64 = match (i64::try_from(n), i64::try_from(d)) {
            (Ok(n64), Ok(d64)) => self.rounded64(n64, d64),
            _ => None,
        };
        let mantissa = match in64 {
            Some(k) => k,
            None => self.rounded128(n, d)?,
        };
        self.both(mantissa?)
    }

    /// Whether the increment is positive (a policy built from its public fields may not
    /// be).
    #[inline(always)]
    fn is_valid(&self) -> bool {
        !(self.increment.is_sign_negative() || self.increment.is_zero())
    }

    /// The rounded mantissa of n/d (d > 0) in 64-bit machine arithmetic: the commonest
    /// case, a value with 64-bit parts (days × a tariff, a sum of amounts) and an
    /// increment such as 0.01 or 1. `None` when a step does not fit; `Some(None)` when the
    /// rounded value has no mantissa that fits.
    #[inline(always)]
    fn rounded64(&self, n: i64, d: i64) -> Option<Option<i128>> {
        let m = i64::try_from(self.increment.mantissa()).ok()?;
        let p = crate::exact::pow10_64(self.increment.scale())?;
        let (num, den) = (n.checked_mul(p)?, d.checked_mul(m)?);
        // div_euclid and rem_euclid for den > 0, from one machine division.
        let (q, r) = (num.checked_div(den)?, num.checked_rem(den)?);
        let (floor, rem) = if r < 0 { (q - 1, r + den) } else { (q, r) };
        let half = rem.checked_mul(2).map(|r| r.cmp(&den));
        Some(
            self.choose(i128::from(floor), rem != 0, half, n >= 0)
                .and_then(|k| times(k, i128::from(m))),
        )
    }

    /// [`Self::rounded64`] for parts of up to 128 bits and an increment of a few digits:
    /// steps = n × 10^s ÷ (d × m) for value n/d and increment m/10^s.
    #[inline(always)]
    fn rounded128(&self, n: i128, d: i128) -> Option<Option<i128>> {
        let m = self.increment.mantissa();
        let p = crate::exact::pow10(self.increment.scale())?;
        let (num, den) = (times(n, p)?, times(d, m)?);
        // In 64 bits when the parts fit (an amount in øre to øre or kroner): the same
        // quotient and remainder without a 128-bit division.
        let (floor, rem) = match (i64::try_from(num), i64::try_from(den)) {
            (Ok(a), Ok(b)) => (i128::from(a.div_euclid(b)), i128::from(a.rem_euclid(b))),
            _ => floor_div_rem(num, den)?,
        };
        // 2 × rem, as a sum: the same overflow, without a 128-bit multiplication.
        let half = rem.checked_add(rem).map(|r| r.cmp(&den));
        Some(
            self.choose(floor, rem != 0, half, n >= 0)
                .and_then(|k| times(k, m)),
        )
    }

    /// The rounded value's mantissa at the increment's scale (the steps × the increment's
    /// mantissa): [`Self::apply_exact`] before it is written as a `Decimal`.
    fn rounded_mantissa(&self, value: &Exact) -> Option<i128> {
        if !self.is_valid() {
            return None;
        }
        // In machine arithmetic when the steps fit: 64 bits, else 128.
        if let Some(k) = value.parts64().and_then(|(n, d)| self.rounded64(n, d)) {
            return k;
        }
        if let Some(k) = value.small_parts().and_then(|(n, d)| self.rounded128(n, d)) {
            return k;
        }
        // steps = value / increment, as floor + remainder/denominator.
        let steps = value.checked_div(&Exact::from(self.increment))?;
        let (floor, rem, den) = steps.floor_parts();
        let (floor, rem, den) = (i128::try_from(floor).ok()?, rem, den);
        let half = rem.checked_mul(I256::new(2)).map(|twice| twice.cmp(&den));
        let k = self.choose(floor, rem != I256::ZERO, half, !value.is_negative())?;
        // k × increment, at the increment's scale.
        k.checked_mul(self.increment.mantissa())
    }
}

/// (n·b, d·a) for parts n/d and a positive divisor a/b with 64-bit parts: the ratio
/// `apply_ratio_both` rounds; `None` for any other divisor or on overflow.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn ratio_quotient(n: i128, d: i128, divisor: &Exact) -> Option<(i128, i128)> {
    let (a, b) = divisor.parts64().filter(|(a, _)| *a > 0)?;
    Some((times(n, i128::from(b))?, times(d, i128::from(a))?))
}

/// x × y, `None` on overflow: `x.checked_mul(y)`, which for a 128-bit factor is a long
/// sequence (an overflow test of a full 128 × 128-bit product), skipped when y is 1 (the
/// increment of whole kroner or øre, its power of ten: the commonest rounding) and when
/// the product cannot overflow (`exact::times128`).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn times(x: i128, y: i128) -> Option<i128> {
    if y == 1 {
        Some(x)
    } else {
        crate::exact::times128(x, y)
    }
}

/// `(num.div_euclid(den), num.rem_euclid(den))` for den > 0 (`None` otherwise), with one
/// 128-bit division where those are two (a day tariff over unrelated denominators is rounded
/// so three times an offer, each division some 90 instructions): the quotient of the
/// magnitudes, the remainder from it by a product, and the floor below a negative quotient
/// with a remainder.
fn floor_div_rem(num: i128, den: i128) -> Option<(i128, i128)> {
    let d = u128::try_from(den).ok().filter(|d| *d > 0)?;
    let mag = num.unsigned_abs();
    let q = mag / d;
    // q × d ≤ mag, so neither step wraps.
    let r = mag.wrapping_sub(q.wrapping_mul(d));
    // q ≤ 2^127, and only num = −2^127 over 1 reaches it, whose floor −2^127 the wrapping
    // negation gives; with a remainder q < 2^127, and −q − 1 ≥ −2^127.
    let q = q as i128;
    Some(if num >= 0 {
        (q, r as i128)
    } else if r == 0 {
        (q.wrapping_neg(), 0)
    } else {
        (-q - 1, (d - r) as i128)
    })
}

/// `(num ÷ den, num mod den)` for num ≥ 0 and den > 0 (`None` otherwise): one machine
/// division when both fit 64 bits, else one unsigned 128-bit division, the remainder from
/// the quotient by a product.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn div_rem_nonneg(num: i128, den: i128) -> Option<(i128, i128)> {
    if num < 0 || den <= 0 {
        return None;
    }
    let (x, y) = (num.unsigned_abs(), den.unsigned_abs());
    Some(match (u64::try_from(x), u64::try_from(y)) {
        (Ok(x), Ok(y)) => (i128::from(x / y), i128::from(x % y)),
        _ => {
            // q × y ≤ x, so neither step wraps, and both fit i128 (below num).
            let q = x / y;
            let r = x.wrapping_sub(q.wrapping_mul(y));
            (i128::try_from(q).ok()?, i128::try_from(r).ok()?)
        }
    })
}

/// x × y for x, y ≥ 0, `None` on overflow (as `checked_mul`): a machine product when the
/// factors' bits together certainly fit (a product has at most the bits of its factors),
/// without the long overflow test of a full 128 × 128-bit product.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn times_nonneg(x: i128, y: i128) -> Option<i128> {
    if x.leading_zeros() + y.leading_zeros() >= 130 {
        Some(x.wrapping_mul(y))
    } else {
        x.checked_mul(y)
    }
}

/// The steps q + r/d (0 ≤ r < d) of a non-negative value rounded half away from zero: q,
/// or q + 1 from the half up (2r ≥ d, as r ≥ d − r: no overflow). What `choose` gives for
/// that mode and sign (and q + 1 fits: with a remainder d ≥ 2, so q ≤ num ÷ 2).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn half_up(q: i128, r: i128, d: i128) -> i128 {
    q + i128::from(r >= d - r)
}

/// mantissa × 10^−scale as a `Decimal` (`None` beyond 96 bits or 28 decimals): from 64 bits
/// when it fits, the commoner and cheaper conversion; the same `Decimal` either way.
fn decimal(mantissa: i128, scale: u32) -> Option<Decimal> {
    match i64::try_from(mantissa) {
        Ok(m) => Decimal::try_new(m, scale).ok(),
        Err(_) => Decimal::try_from_i128_with_scale(mantissa, scale).ok(),
    }
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding::KRONER
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
        .try_fold(Exact::ZERO, |acc, w| acc.checked_add(&Exact::from(*w)))
        .ok_or(AllocateError::Overflow)?;
    if weight_sum.is_zero() {
        return Err(AllocateError::ZeroWeights);
    }
    let units = Exact::from(total)
        .checked_div(&Exact::from(increment))
        .ok_or(AllocateError::Overflow)?;
    let (units, rem, _) = units.floor_parts();
    if rem != I256::ZERO {
        return Err(AllocateError::Total(total));
    }
    let units = i128::try_from(units).map_err(|_| AllocateError::Overflow)?;
    let negative = units < 0;
    let units = units
        .checked_abs()
        .and_then(|u| Exact::new(u, 1))
        .ok_or(AllocateError::Overflow)?;

    // Each part's exact share of the units, split into a whole number and a remainder.
    let mut floors = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for w in weights {
        let share = units
            .checked_mul(&Exact::from(*w))
            .and_then(|x| x.checked_div(&weight_sum))
            .ok_or(AllocateError::Overflow)?;
        let (whole, rem, den) = share.floor_parts();
        let whole = i128::try_from(whole).map_err(|_| AllocateError::Overflow)?;
        floors.push(whole);
        remainders.push(Exact::from_parts(rem, den).ok_or(AllocateError::Overflow)?);
        given = given.checked_add(whole).ok_or(AllocateError::Overflow)?;
    }
    let (total_units, _, _) = units.floor_parts();
    let total_units = i128::try_from(total_units).map_err(|_| AllocateError::Overflow)?;
    // 0 ≤ left < number of parts, because every remainder is below one unit.
    let left = total_units
        .checked_sub(given)
        .ok_or(AllocateError::Overflow)?;
    // Largest remainder first; the stable sort keeps earlier parts first on ties.
    let order = crate::order::positions(weights.len(), &mut |a, b| {
        remainders.get(b).cmp(&remainders.get(a))
    });
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        floors[i] += 1;
    }

    let scale = increment.scale();
    floors
        .into_iter()
        .map(|units| {
            let mantissa = units
                .checked_mul(increment.mantissa())
                .ok_or(AllocateError::Overflow)?;
            let mantissa = if negative { -mantissa } else { mantissa };
            let part = Decimal::try_from_i128_with_scale(mantissa, scale)
                .map_err(|_| AllocateError::Overflow)?;
            // −0 prints as "0".
            Ok(if part.is_zero() {
                Decimal::new(0, scale)
            } else {
                part
            })
        })
        .collect()
}

/// Display forms of exact values: rounding for reading, never for arithmetic.
impl Exact {
    /// The nearest `Decimal` with `places` decimals (half away from zero) — for display
    /// only, never for arithmetic. `None` when it does not fit a `Decimal`.
    ///
    /// An approximation never looks like a shorter decimal than the value is: when the
    /// nearest ends in 0 and is not the value itself, it is its neighbour on the value's side
    /// instead (to 12 decimals, 1000.499999999999 for a value just below 1000.5 rather than
    /// 1000.500000000000, which would read as a tie the value is not on, whose rounding then
    /// looks wrong). Both are within one last decimal of the value.
    ///
    /// ```
    /// use takst::Exact;
    /// // 2/3, and 1000.5 − 1/(3 × 10^13): just below the tie.
    /// assert_eq!(Exact::new(2, 3).unwrap().approx(4).unwrap().to_string(), "0.6667");
    /// let below = Exact::new(30_014_999_999_999_999, 30_000_000_000_000).unwrap();
    /// assert_eq!(below.approx(12).unwrap().to_string(), "1000.499999999999");
    /// ```
    pub fn approx(&self, places: u32) -> Option<Decimal> {
        let step = Decimal::new(1, places.min(Decimal::MAX_SCALE));
        let nearest = Rounding::new(step, RoundMode::HalfAwayFromZero)?.apply_exact(self)?;
        if places == 0 || nearest.mantissa() % 10 != 0 || *self == nearest {
            return Some(nearest);
        }
        // The nearest is the floor or the ceiling at `places` decimals: the other one.
        let floor = Rounding::new(step, RoundMode::Floor)?.apply_exact(self)?;
        if floor == nearest {
            Rounding::new(step, RoundMode::Ceiling)?.apply_exact(self)
        } else {
            Some(floor)
        }
    }

    /// A short plain form for messages: exact with up to four decimals, otherwise
    /// approximated to four ([`Exact::approx`]) and marked "…".
    pub(crate) fn short(&self) -> String {
        match self.to_decimal() {
            Some(d) if d.normalize().scale() <= 4 => d.normalize().to_string(),
            _ => match self.approx(4) {
                Some(d) => format!("{}…", d.normalize()),
                None => self.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests;
