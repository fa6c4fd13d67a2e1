//! [`Exact`]: the value of every figure before its rounding step, as an exact fraction.
//!
//! A tariff is a quotient (a cost base over expected days) that is added to, multiplied by a
//! day basis and divided by twelve before it is published. `Decimal` rounds every quotient to
//! 28 significant digits, and when such a rounded quotient is used further the sign of a
//! 1e-26 error decides which way an exact tie (x.5) is rounded. So every figure that is not
//! the result of a named rounding step is kept as an exact fraction `numerator /
//! denominator` of two 256-bit integers, and only [`Rounding`](crate::Rounding) turns it into
//! a `Decimal`.
//!
//! Fractions are kept *unreduced*: a sum of two amounts in øre stays over 100, a product of
//! two fractions is the product of their parts. Reducing by the greatest common divisor
//! after every step (as general-purpose rational types do) costs 150–220 ns per operation,
//! twenty times the arithmetic itself; here a fraction is reduced only when a step would
//! otherwise overflow, and an operation that overflows even then is an error, never a
//! silently rounded result. Comparison never overflows.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use ethnum::{I256, U256};
use rust_decimal::Decimal;

mod pow10;
mod text;

use pow10::{log10_64, log10_exact, log10_u128, pow10_wide};
pub(crate) use pow10::{pow10, pow10_64};

/// An exact rational number: the value of a figure before it is rounded.
///
/// Numerator and denominator are 256-bit integers: enough for amounts of any size a
/// `Decimal` holds, quotients of them, and two decades of cumulative price and wage indices
/// (1.0196²⁰ = 2549²⁰ ÷ 2500²⁰) times a tariff. Equality, ordering and hashing are by value:
/// `1/2 == 2/4`.
///
/// # Example
///
/// ```
/// use takst::{Decimal, Exact};
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// // 756,774 kr over 334 days, times 334, over 12 months: exactly 63,064.5.
/// let day = Exact::from(d("756774")).checked_div(&Exact::from(334)).unwrap();
/// let month = day
///     .checked_mul(&Exact::from(334))
///     .and_then(|y| y.checked_div(&Exact::from(12)))
///     .unwrap();
/// assert_eq!(month.to_decimal(), Some(d("63064.5")));
/// assert_eq!(day.to_string(), "378387/167"); // no finite decimal form
/// ```
#[derive(Clone)]
pub struct Exact(Repr);

/// The three forms of an exact value, chosen by size, so that ordinary figures are computed
/// with machine arithmetic and nothing is ever rounded:
///
/// - parts that fit 64 bits (amounts, days, rates, and sums of them: nearly every figure);
/// - parts that fit 128 bits (quotients of amounts: a support rate, a day tariff before
///   rounding, a PL factor of five years or more), boxed;
/// - 256-bit parts (long chains of index factors), boxed.
///
/// So a value is 24 bytes to move, a tag and two words, where it was 40 with the 128-bit
/// parts inline: every figure is moved, matched and returned in a `Result` many times over,
/// and the 128-bit form is the rarer one (DESIGN.md, "How is a course priced?").
/// The denominator is always > 0; a value is always in the smallest form that holds it.
#[derive(Clone)]
enum Repr {
    Small(i64, i64),
    Mid(Box<(i128, i128)>),
    Wide(Box<(I256, I256)>),
}

/// Greatest common divisor of two non-negative numbers (binary algorithm).
fn gcd(mut a: U256, mut b: U256) -> U256 {
    if a == U256::ZERO {
        return b;
    }
    if b == U256::ZERO {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == U256::ZERO {
            return a << shift;
        }
    }
}

/// Greatest common divisor of two non-negative 128-bit numbers.
fn gcd128(mut a: u128, mut b: u128) -> u128 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

fn w(x: i64) -> I256 {
    I256::new(i128::from(x))
}

/// `x / y` when `y` divides `x` (x, y > 0): in 64-bit machine division when both fit, which
/// is the usual case (denominators of amounts and days), else in 128 bits.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn exact_quotient(x: i128, y: i128) -> Option<i128> {
    match (u64::try_from(x), u64::try_from(y)) {
        (Ok(x), Ok(y)) => (x % y == 0).then(|| i128::from(x / y)),
        _ => (x % y == 0).then(|| x / y),
    }
}

/// x × y, `None` on overflow: `x.checked_mul(y)`, whose test of a full 128 × 128-bit
/// product is a long sequence, taken only when a factor does not fit 64 bits (the product
/// of two that do always fits 128 bits).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn times128(x: i128, y: i128) -> Option<i128> {
    match (i64::try_from(x), i64::try_from(y)) {
        (Ok(x), Ok(y)) => Some(i128::from(x).wrapping_mul(i128::from(y))),
        _ => x.checked_mul(y),
    }
}

/// a/b + c/d in 128 bits (b, d > 0); `None` on overflow.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn add128(a: i128, b: i128, c: i128, d: i128) -> Option<(i128, i128)> {
    if b == d {
        return Some((a.checked_add(c)?, b));
    }
    // Amounts of different scales (øre and kroner): one denominator divides the other.
    if let Some(k) = exact_quotient(b, d) {
        return Some((a.checked_add(times128(c, k)?)?, b));
    }
    if let Some(k) = exact_quotient(d, b) {
        return Some((times128(a, k)?.checked_add(c)?, d));
    }
    Some((
        times128(a, d)?.checked_add(times128(c, b)?)?,
        times128(b, d)?,
    ))
}

/// [`add128`] of a/b + c/d for 64-bit b, c and d (b, d > 0): its steps and its result,
/// `None` on the same overflow, with the divisibility tested and the factor found in 64
/// bits. Of the products, c × k and c × b are of two 64-bit values (they cannot overflow
/// 128 bits), and b × d likewise; only those with a are tested.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn add_to64(a: i128, b: i64, c: i64, d: i64) -> Option<(i128, i128)> {
    let (c, wide_b) = (i128::from(c), i128::from(b));
    if b == d {
        return Some((a.checked_add(c)?, wide_b));
    }
    // A whole amount (kroner, d = 1) into a sum over øre or a percentage's thousandths: the
    // case below for d = 1 (b % 1 = 0, b / 1 = b) without its two divisions (callgrind
    // `bench profile offer`: 20,677 → 20,565 instructions an offer).
    if d == 1 {
        return Some((a.checked_add(c * wide_b)?, wide_b));
    }
    // Amounts of different scales (øre and kroner): one denominator divides the other.
    if b % d == 0 {
        return Some((a.checked_add(c * i128::from(b / d))?, wide_b));
    }
    if d % b == 0 {
        return Some((
            times128(a, i128::from(d / b))?.checked_add(c)?,
            i128::from(d),
        ));
    }
    Some((
        times128(a, i128::from(d))?.checked_add(c * wide_b)?,
        wide_b * i128::from(d),
    ))
}

/// n/d in lowest terms (d > 0).
fn reduce128(n: i128, d: i128) -> (i128, i128) {
    let g = gcd128(n.unsigned_abs(), d.unsigned_abs());
    if g <= 1 {
        return (n, d);
    }
    // g divides d ≤ i128::MAX, so it fits.
    let g = g as i128;
    (n / g, d / g)
}

/// a/b × c/d in 128 bits (b, d > 0); `None` on overflow even after reduction.
fn mul128(a: i128, b: i128, c: i128, d: i128) -> Option<(i128, i128)> {
    if let (Some(n), Some(den)) = (a.checked_mul(c), b.checked_mul(d)) {
        return Some((n, den));
    }
    // Cross-reduce: a/b × c/d = (a/g1)(c/g2) / ((b/g2)(d/g1)).
    let ((a, b), (c, d)) = (reduce128(a, b), reduce128(c, d));
    let g1 = gcd128(a.unsigned_abs(), d.unsigned_abs()).max(1) as i128;
    let g2 = gcd128(c.unsigned_abs(), b.unsigned_abs()).max(1) as i128;
    Some(((a / g1).checked_mul(c / g2)?, (b / g2).checked_mul(d / g1)?))
}

/// Compares a/b with c/d (b, d > 0) without overflow: integer parts, then the fractional
/// parts by their reciprocals (a continued-fraction step).
fn cmp128(mut a: i128, mut b: i128, mut c: i128, mut d: i128) -> Ordering {
    let mut flipped = false;
    loop {
        let (q1, r1) = (a.div_euclid(b), a.rem_euclid(b));
        let (q2, r2) = (c.div_euclid(d), c.rem_euclid(d));
        let ord = q1.cmp(&q2).then_with(|| match (r1 == 0, r2 == 0) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => Ordering::Equal,
        });
        if ord != Ordering::Equal || r1 == 0 {
            return if flipped { ord.reverse() } else { ord };
        }
        (a, b, c, d) = (b, r1, d, r2);
        flipped = !flipped;
    }
}

impl Exact {
    /// Zero.
    pub const ZERO: Exact = Exact(Repr::Small(0, 1));
    /// One.
    pub const ONE: Exact = Exact(Repr::Small(1, 1));

    /// `numerator / denominator`; `None` when the denominator is zero.
    pub fn new(numerator: i128, denominator: i128) -> Option<Exact> {
        match denominator.cmp(&0) {
            Ordering::Equal => None,
            Ordering::Greater => Some(Exact::narrow(numerator, denominator)),
            Ordering::Less => Exact::wide(I256::new(numerator), I256::new(denominator)),
        }
    }

    /// A value from wide parts, in the smallest form that holds it.
    fn wide(n: I256, d: I256) -> Option<Exact> {
        let (n, d) = match d.cmp(&I256::ZERO) {
            Ordering::Equal => return None,
            Ordering::Greater => (n, d),
            Ordering::Less => (n.checked_neg()?, d.checked_neg()?),
        };
        Some(match (i128::try_from(n), i128::try_from(d)) {
            (Ok(a), Ok(b)) => Exact::narrow(a, b),
            _ => Exact(Repr::Wide(Box::new((n, d)))),
        })
    }

    /// A value from 128-bit parts (d > 0), in the smallest form that holds it.
    fn narrow(n: i128, d: i128) -> Exact {
        match (i64::try_from(n), i64::try_from(d)) {
            (Ok(a), Ok(b)) => Exact(Repr::Small(a, b)),
            _ => Exact(Repr::Mid(Box::new((n, d)))),
        }
    }

    /// Both parts as 128-bit integers, unless the value is in the wide form.
    fn parts128(&self) -> Option<(i128, i128)> {
        match &self.0 {
            Repr::Small(n, d) => Some((i128::from(*n), i128::from(*d))),
            Repr::Mid(p) => Some(**p),
            Repr::Wide(_) => None,
        }
    }

    /// Numerator and denominator as 256-bit integers.
    fn nd(&self) -> (I256, I256) {
        match &self.0 {
            Repr::Small(n, d) => (w(*n), w(*d)),
            Repr::Mid(p) => (I256::new(p.0), I256::new(p.1)),
            Repr::Wide(p) => **p,
        }
    }

    /// The numerator and denominator in lowest terms (denominator > 0), as decimal text.
    pub fn parts(&self) -> (String, String) {
        let (n, d) = self.reduced().nd();
        (n.to_string(), d.to_string())
    }

    /// The form as stored (which of the three, its numerator and denominator), for tests
    /// that a fast path gives the very form of the general one.
    #[cfg(test)]
    pub(crate) fn stored(&self) -> (u8, String, String) {
        let tag = match self.0 {
            Repr::Small(..) => 0,
            Repr::Mid(_) => 1,
            Repr::Wide(_) => 2,
        };
        let (n, d) = self.nd();
        (tag, n.to_string(), d.to_string())
    }

    fn reduced(&self) -> Exact {
        if let Some((n, d)) = self.parts128() {
            let (n, d) = reduce128(n, d);
            return Exact::narrow(n, d);
        }
        let (n, d) = self.nd();
        let g = gcd(n.unsigned_abs(), d.unsigned_abs());
        if g <= U256::ONE {
            return self.clone();
        }
        // g divides both and is at most |d|, so it fits.
        let g = g.as_i256();
        Exact::wide(n / g, d / g).unwrap_or_else(|| self.clone())
    }

    /// True when the value is zero.
    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n == 0,
            Repr::Mid(p) => p.0 == 0,
            Repr::Wide(p) => p.0 == I256::ZERO,
        }
    }

    /// True when the value is below zero.
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n < 0,
            Repr::Mid(p) => p.0 < 0,
            Repr::Wide(p) => p.0 < I256::ZERO,
        }
    }

    /// The absolute value.
    pub fn abs(&self) -> Exact {
        if self.is_negative() {
            self.checked_neg().unwrap_or_else(|| self.clone())
        } else {
            self.clone()
        }
    }

    /// −value; `None` only for a numerator of the most negative 256-bit integer that cannot
    /// be reduced.
    pub fn checked_neg(&self) -> Option<Exact> {
        if let Some((n, d)) = self.parts128() {
            if let Some(n) = n.checked_neg() {
                return Some(Exact::narrow(n, d));
            }
        }
        let (n, d) = self.nd();
        match n.checked_neg() {
            Some(n) => Exact::wide(n, d),
            None => {
                let (n, d) = self.reduced().nd();
                Exact::wide(n.checked_neg()?, d)
            }
        }
    }

    fn add_wide(a: (I256, I256), b: (I256, I256)) -> Option<Exact> {
        let ((an, ad), (bn, bd)) = (a, b);
        if ad == bd {
            return Exact::wide(an.checked_add(bn)?, ad);
        }
        if ad % bd == I256::ZERO {
            return Exact::wide(an.checked_add(bn.checked_mul(ad / bd)?)?, ad);
        }
        if bd % ad == I256::ZERO {
            return Exact::wide(an.checked_mul(bd / ad)?.checked_add(bn)?, bd);
        }
        Exact::wide(
            an.checked_mul(bd)?.checked_add(bn.checked_mul(ad)?)?,
            ad.checked_mul(bd)?,
        )
    }

    /// a/b ± c/d for 64-bit parts, in 128 bits (which cannot overflow: each term is below
    /// 2^126): the one form both [`Self::checked_add`] and [`Self::checked_sub`] give.
    fn add_small(a: i64, b: i64, c: i64, d: i64, minus: bool) -> Exact {
        // Divisibility in 64 bits (machine division), sums and products in 128.
        let x = |v: i64| i128::from(v);
        let c = if minus { -x(c) } else { x(c) };
        // Denominators of amounts are powers of ten: one usually divides the other.
        if b == d {
            Exact::narrow(x(a) + c, x(b))
        } else if b % d == 0 {
            Exact::narrow(x(a) + c * x(b / d), x(b))
        } else if d % b == 0 {
            Exact::narrow(x(a) * x(d / b) + c, x(d))
        } else {
            Exact::narrow(x(a) * x(d) + c * x(b), x(b) * x(d))
        }
    }

    /// self + other; `None` when the exact sum does not fit 256-bit parts.
    pub fn checked_add(&self, other: &Exact) -> Option<Exact> {
        if let (&Repr::Small(a, b), &Repr::Small(c, d)) = (&self.0, &other.0) {
            return Some(Exact::add_small(a, b, c, d, false));
        }
        if let (Some((a, b)), Some((c, d))) = (self.parts128(), other.parts128()) {
            let sum = add128(a, b, c, d).or_else(|| {
                let ((a, b), (c, d)) = (reduce128(a, b), reduce128(c, d));
                add128(a, b, c, d)
            });
            if let Some((n, d)) = sum {
                return Some(Exact::narrow(n, d));
            }
        }
        Exact::add_wide(self.nd(), other.nd())
            .or_else(|| Exact::add_wide(self.reduced().nd(), other.reduced().nd()))
    }

    /// Σ `v(i)` for `i` in `from..n`: the same value, in the same form, as adding the values
    /// one by one from zero with [`Self::checked_add`]. The leading values with 64-bit parts
    /// (amounts in øre or kroner, days, rates: nearly every sum) are added in one 128-bit
    /// accumulator by the steps `checked_add` takes for them pairwise (`add128`, of which
    /// `add_small` is the overflow-free case), and narrowed once; the first value that is
    /// not in that form, or whose step would overflow 128 bits, and every value after it are
    /// added by `checked_add` itself. Values over one denominator (a course's amounts in
    /// øre, days), the usual sum, are added here; a sum that mixes denominators goes on out
    /// of line ([`Self::sum_mixed`]), which keeps this small where it is inlined (inlined
    /// whole, it cost the courses' pricing 5 % more instructions).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn checked_sum<'a>(
        from: usize,
        n: usize,
        v: impl Fn(usize) -> &'a Exact,
    ) -> Option<Exact> {
        let (mut num, mut den, mut next) = (0i128, 1i128, from);
        if let Some(&Repr::Small(_, d)) = (from < n).then(|| &v(from).0) {
            den = i128::from(d);
            while next < n {
                match v(next).0 {
                    // At most n terms below 2^63 each: the sum cannot overflow 128 bits.
                    Repr::Small(a, b) if b == d => num += i128::from(a),
                    _ => break,
                }
                next += 1;
            }
            if next == n {
                return Some(Exact::narrow(num, den));
            }
        }
        Exact::sum_mixed(num, den, next, n, &v)
    }

    /// The parts of `self + other` when both are in the 64-bit form, as [`Self::checked_sum`]
    /// of the two holds them before it makes the value (`Exact::narrow` of them is that
    /// sum, in its form): one denominator, or `add128`'s steps, which cannot overflow for
    /// two 64-bit values. `None` for any other form.
    pub(crate) fn sum2_parts(&self, other: &Exact) -> Option<(i128, i128)> {
        let (&Repr::Small(a, b), &Repr::Small(c, d)) = (&self.0, &other.0) else {
            return None;
        };
        if b == d {
            return Some((i128::from(a) + i128::from(c), i128::from(b)));
        }
        add128(i128::from(a), i128::from(b), i128::from(c), i128::from(d))
    }

    /// [`Self::checked_sum`] from `next` on, with the values before it added into
    /// `num / den` (0/1 when none were).
    #[inline(never)]
    fn sum_mixed<'a>(
        mut num: i128,
        mut den: i128,
        mut next: usize,
        n: usize,
        v: &dyn Fn(usize) -> &'a Exact,
    ) -> Option<Exact> {
        while next < n {
            let Repr::Small(c, d) = v(next).0 else { break };
            // A denominator that fits 64 bits (amounts in kroner and øre, a percentage of
            // one: every sum of an offer's cost base) takes `add128`'s steps in 64-bit
            // divisions and products (`add_to64`), without widening both denominators and
            // testing them back down for each term (callgrind `bench profile offer`: 22,138
            // → 21,961 instructions an offer; `bench profile`, the courses, unchanged).
            let sum = match i64::try_from(den) {
                Ok(b) => add_to64(num, b, c, d),
                Err(_) => add128(num, den, i128::from(c), i128::from(d)),
            };
            match sum {
                Some(sum) => (num, den) = sum,
                None => break,
            }
            next += 1;
        }
        (next..n).try_fold(Exact::narrow(num, den), |acc, i| acc.checked_add(v(i)))
    }

    /// self − other; `None` on overflow.
    ///
    /// Two amounts over one denominator (a course's month less its flat month, in øre) are
    /// one machine subtraction here, where the difference is taken: the value and form
    /// `add_small` gives them (a difference that fits 64 bits stays in the 64-bit form); the
    /// rest is out of line (`sub_rest`).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn checked_sub(&self, other: &Exact) -> Option<Exact> {
        if let (&Repr::Small(a, b), &Repr::Small(c, d)) = (&self.0, &other.0) {
            if b == d {
                if let Some(n) = a.checked_sub(c) {
                    return Some(Exact(Repr::Small(n, b)));
                }
            }
        }
        self.sub_rest(other)
    }

    /// [`Self::checked_sub`] beyond two 64-bit values over one denominator whose difference
    /// fits 64 bits.
    fn sub_rest(&self, other: &Exact) -> Option<Exact> {
        // 64-bit parts: self + (−other) in one step, in the form that sum has (−other is
        // (−c)/d, itself 64-bit but for c = i64::MIN, which goes the general way).
        if let (&Repr::Small(a, b), &Repr::Small(c, d)) = (&self.0, &other.0) {
            if c != i64::MIN {
                return Some(Exact::add_small(a, b, c, d, true));
            }
        }
        self.checked_add(&other.checked_neg()?)
    }

    /// Whether the value is in its 64-bit form, where a sum of it alone is itself in the
    /// same form ([`Self::checked_sum`]).
    pub(crate) fn is_small(&self) -> bool {
        matches!(self.0, Repr::Small(..))
    }

    /// self × other; `None` on overflow.
    ///
    /// Two 64-bit values whose product's parts fit 64 bits (days × a tariff) are multiplied
    /// where the product is taken: the form the 128-bit products below narrow to; the rest
    /// is out of line (`mul_rest`).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn checked_mul(&self, other: &Exact) -> Option<Exact> {
        if let (&Repr::Small(a, b), &Repr::Small(c, d)) = (&self.0, &other.0) {
            if let (Some(n), Some(d)) = (a.checked_mul(c), b.checked_mul(d)) {
                return Some(Exact(Repr::Small(n, d)));
            }
        }
        self.mul_rest(other)
    }

    /// [`Self::checked_mul`] beyond two 64-bit values whose product's parts fit 64 bits.
    fn mul_rest(&self, other: &Exact) -> Option<Exact> {
        if let (&Repr::Small(a, b), &Repr::Small(c, d)) = (&self.0, &other.0) {
            return Some(Exact::narrow(
                i128::from(a) * i128::from(c),
                i128::from(b) * i128::from(d),
            ));
        }
        if let (Some((a, b)), Some((c, d))) = (self.parts128(), other.parts128()) {
            if let Some((n, d)) = mul128(a, b, c, d) {
                return Some(Exact::narrow(n, d));
            }
        }
        let ((an, ad), (bn, bd)) = (self.nd(), other.nd());
        let direct = || Exact::wide(an.checked_mul(bn)?, ad.checked_mul(bd)?);
        direct().or_else(|| {
            // Cross-reduce: a/b × c/d = (a/g1)(c/g2) / ((b/g2)(d/g1)).
            let ((an, ad), (bn, bd)) = (self.reduced().nd(), other.reduced().nd());
            let g1 = gcd(an.unsigned_abs(), bd.unsigned_abs())
                .max(U256::ONE)
                .as_i256();
            let g2 = gcd(bn.unsigned_abs(), ad.unsigned_abs())
                .max(U256::ONE)
                .as_i256();
            Exact::wide(
                (an / g1).checked_mul(bn / g2)?,
                (ad / g2).checked_mul(bd / g1)?,
            )
        })
    }

    /// self ÷ other; `None` when other is zero or on overflow.
    pub fn checked_div(&self, other: &Exact) -> Option<Exact> {
        // A 64-bit divisor (days, twelve, a hundred: nearly every one) is inverted in its
        // own form: what `narrow` makes of the parts below for it (−i64::MIN, which does
        // not fit, goes the general way).
        if let Repr::Small(n, d) = other.0 {
            if n > 0 {
                return self.checked_mul(&Exact(Repr::Small(d, n)));
            }
            if n < 0 && n != i64::MIN {
                return self.checked_mul(&Exact(Repr::Small(-d, -n)));
            }
        }
        let inverse = match other.parts128() {
            Some((n, d)) if n > 0 => Exact::narrow(d, n),
            Some((n, d)) if n < 0 && n != i128::MIN => Exact::narrow(-d, -n),
            _ => {
                let (n, d) = other.nd();
                Exact::wide(d, n)?
            }
        };
        self.checked_mul(&inverse)
    }

    /// The value as a `Decimal` when it has a finite decimal form that fits (at most 28
    /// decimals and 96 bits); `None` otherwise.
    pub fn to_decimal(&self) -> Option<Decimal> {
        // The usual case: an amount over a power of ten, in 64 bits.
        if let Repr::Small(n, d) = self.0 {
            // d > 0 always (a negative one would find no logarithm here, never a wrong
            // sign); a 64-bit mantissa fits Decimal's 96 bits, and k ≤ 18.
            if let Some(k) = u64::try_from(d).ok().and_then(log10_64) {
                if let Ok(v) = Decimal::try_new(n, k) {
                    return Some(v);
                }
            }
        }
        if let Some((n, d)) = self.parts128() {
            if let Some(k) = log10_u128(d as u128) {
                if let Ok(v) = Decimal::try_from_i128_with_scale(n, k) {
                    return Some(v);
                }
            }
        }
        let (mut n, mut scale) = self.decimal_parts()?;
        // A value kept over a larger power of ten than it needs (a product of rates: 10^36
        // below 17.90…875) drops its trailing zeros until it has at most 28 decimals and 96
        // bits: the same value, written shorter. Only what cannot be written is `None`.
        let ten = I256::new(10);
        let fits = |n: I256| n.unsigned_abs() < U256::ONE << 96;
        while scale > 0 && (scale > Decimal::MAX_SCALE || !fits(n)) && n % ten == I256::ZERO {
            n /= ten;
            scale -= 1;
        }
        if scale > Decimal::MAX_SCALE {
            return None;
        }
        Decimal::try_from_i128_with_scale(i128::try_from(n).ok()?, scale).ok()
    }

    /// The value as a `Decimal` with exactly `scale` decimals, when it is a 64-bit amount
    /// over a power of ten of at most that many decimals (a sum of amounts rounded to øre):
    /// what [`to_decimal`](Self::to_decimal) and `Decimal::rescale(scale)` give it, in a
    /// few machine operations. `None` leaves the value to that general path. Inlined where
    /// an amount is written (a course converts some fifty sums a course).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn decimal_with_scale(&self, scale: u32) -> Option<Decimal> {
        let Repr::Small(n, d) = self.0 else {
            return None;
        };
        let k = u64::try_from(d).ok().and_then(log10_64)?;
        let n = n.checked_mul(pow10_64(scale.checked_sub(k)?)?)?;
        Decimal::try_new(n, scale).ok()
    }

    /// `(mantissa, scale)` with value = mantissa × 10^−scale, when the value has a finite
    /// decimal form.
    fn decimal_parts(&self) -> Option<(I256, u32)> {
        self.decimal_or_fraction().ok()
    }

    /// `Ok((mantissa, scale))` as [`decimal_parts`](Self::decimal_parts), or the value in
    /// lowest terms when it has no finite decimal form (reduced once: a 256-bit gcd is most
    /// of the cost of writing a fraction).
    fn decimal_or_fraction(&self) -> Result<(I256, u32), (I256, I256)> {
        // Decimal amounts have a power of ten below them: no reduction needed.
        let (n, d) = self.nd();
        if let Some(k) = log10_exact(d) {
            return Ok((n, k));
        }
        let (n, d) = self.reduced().nd();
        if let Some(k) = log10_exact(d) {
            return Ok((n, k));
        }
        // d = 2^a × 5^b: the decimal needs max(a, b) places.
        let mut rest = d;
        let twos = rest.trailing_zeros();
        rest >>= twos;
        let mut fives = 0u32;
        while rest % I256::new(5) == I256::ZERO {
            rest /= I256::new(5);
            fives += 1;
        }
        if rest != I256::ONE {
            return Err((n, d));
        }
        let scale = twos.max(fives);
        // A decimal too long for 256 bits is written as its fraction, as before.
        pow10_wide(scale)
            .and_then(|p| p.checked_div(d))
            .and_then(|factor| n.checked_mul(factor))
            .map(|m| (m, scale))
            .ok_or((n, d))
    }

    /// Floor division: `(q, r, d)` with self = q + r/d, 0 ≤ r < d, where d is the
    /// (unreduced) denominator.
    pub(crate) fn floor_parts(&self) -> (I256, I256, I256) {
        match &self.0 {
            Repr::Small(n, d) => (w(n.div_euclid(*d)), w(n.rem_euclid(*d)), w(*d)),
            Repr::Mid(p) => {
                let (n, d) = **p;
                (
                    I256::new(n.div_euclid(d)),
                    I256::new(n.rem_euclid(d)),
                    I256::new(d),
                )
            }
            Repr::Wide(p) => (p.0.div_euclid(p.1), p.0.rem_euclid(p.1), p.1),
        }
    }

    /// Both parts, unless the value is in the wide form.
    pub(crate) fn parts64(&self) -> Option<(i64, i64)> {
        match self.0 {
            Repr::Small(n, d) => Some((n, d)),
            _ => None,
        }
    }

    pub(crate) fn small_parts(&self) -> Option<(i128, i128)> {
        self.parts128()
    }

    /// A fraction from floor-division parts (`rem / den`).
    pub(crate) fn from_parts(rem: I256, den: I256) -> Option<Exact> {
        Exact::wide(rem, den)
    }

    fn cmp_value(&self, other: &Exact) -> Ordering {
        if let (&Repr::Small(a, b), &Repr::Small(c, d)) = (&self.0, &other.0) {
            return (i128::from(a) * i128::from(d)).cmp(&(i128::from(c) * i128::from(b)));
        }
        if let (Some((a, b)), Some((c, d))) = (self.parts128(), other.parts128()) {
            return cmp128(a, b, c, d);
        }
        // The same continued-fraction comparison in 256 bits.
        let ((mut a, mut b), (mut c, mut d)) = (self.nd(), other.nd());
        let mut flipped = false;
        loop {
            let (q1, r1) = (a.div_euclid(b), a.rem_euclid(b));
            let (q2, r2) = (c.div_euclid(d), c.rem_euclid(d));
            let z = I256::ZERO;
            let ord = q1.cmp(&q2).then_with(|| match (r1 == z, r2 == z) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => Ordering::Equal,
            });
            if ord != Ordering::Equal || r1 == z {
                return if flipped { ord.reverse() } else { ord };
            }
            (a, b, c, d) = (b, r1, d, r2);
            flipped = !flipped;
        }
    }
}

impl PartialEq for Exact {
    fn eq(&self, other: &Exact) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        self.cmp_value(other)
    }
}

/// An exact value equals a decimal when they are the same number (`2.50 == 5/2`).
impl PartialEq<Decimal> for Exact {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp_value(&Exact::from(*other)) == Ordering::Equal
    }
}

impl PartialOrd<Decimal> for Exact {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(&Exact::from(*other)))
    }
}

impl Hash for Exact {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let (n, d) = self.reduced().nd();
        n.hash(state);
        d.hash(state);
    }
}

impl Exact {
    /// `n` ÷ 10^`scale` when both fit 64 bits: what `Exact::from` gives for the `Decimal` of
    /// that mantissa and scale (a rounded figure is made so from its mantissa).
    pub(crate) fn scaled64(n: i128, scale: u32) -> Option<Exact> {
        Some(Exact(Repr::Small(i64::try_from(n).ok()?, pow10_64(scale)?)))
    }
}

impl From<Decimal> for Exact {
    // Called, never inlined: inlined into the courses' rules (where it is small enough to
    // be), it cost their pricing 2.6 % more instructions (callgrind `bench profile`).
    #[inline(never)]
    fn from(d: Decimal) -> Exact {
        Exact::from_decimal(d)
    }
}

impl Exact {
    /// [`Exact::from`] a `Decimal`, inlined where it is called: for the one loop that
    /// converts many, an offer's cost lines (callgrind `bench profile offer`: 21,322 →
    /// 21,259 instructions an offer; the call is kept everywhere else, see `from`).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn from_decimal(d: Decimal) -> Exact {
        // The usual amount: a mantissa and a power of ten that fit 64 bits. The rest is out
        // of line, so that this needs no registers saved (an offer converts a score of
        // amounts, and the saving and restoring was a third of each conversion).
        //
        // Read from the Decimal's words (flags, then the mantissa's low, middle and high 32
        // bits): a mantissa below 2^63 and a scale below 19 are the 64-bit case itself,
        // without building the 128-bit mantissa to test it. What is left (a mantissa of
        // −2^63 included) goes the general way, to the same value in the same form.
        let b = d.serialize();
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let (flags, lo, mid, hi) = (word(0), word(4), word(8), word(12));
        if hi == 0 && mid < 1 << 31 {
            if let Some(p) = pow10_64((flags >> 16) & 0xff) {
                // Below 2^63: fits, and so does its negation.
                let m = (i64::from(mid) << 32) | i64::from(lo);
                let m = if flags >> 31 == 1 { -m } else { m };
                return Exact(Repr::Small(m, p));
            }
        }
        Exact::from_wide_decimal(d.mantissa(), d.scale())
    }
}

impl Exact {
    /// [`Exact::from`] a `Decimal` whose mantissa or power of ten does not fit 64 bits
    /// (or whose mantissa is −2^63): `n ÷ 10^scale` in the smallest form that holds it.
    #[cold]
    #[inline(never)]
    fn from_wide_decimal(m: i128, scale: u32) -> Exact {
        // The mantissa has 96 bits and the scale is at most 28, so 10^scale fits.
        Exact::narrow(m, pow10(scale).unwrap_or(1))
    }
}

impl From<i64> for Exact {
    fn from(v: i64) -> Exact {
        Exact(Repr::Small(v, 1))
    }
}

impl From<u32> for Exact {
    fn from(v: u32) -> Exact {
        Exact::from(i64::from(v))
    }
}

impl From<i32> for Exact {
    fn from(v: i32) -> Exact {
        Exact::from(i64::from(v))
    }
}

impl schemars::JsonSchema for Exact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Exact".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact figure before rounding: a decimal string (\"4248.6\"), or, \
                when it has no finite decimal form, a fraction in lowest terms (\"378387/167\").",
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+|/[1-9][0-9]*)?$"
        })
    }
}

#[cfg(test)]
mod tests;
