//! [`Exact`]: the value of every figure before its rounding step, as an exact fraction.
//!
//! A tariff is a quotient (a cost base over expected days) that is added to, multiplied by a
//! day basis and divided by twelve before it is published. `Decimal` rounds every quotient to
//! 28 significant digits, and when such a rounded quotient is used further the sign of a
//! 1e-26 error decides which way an exact tie (x.5) is rounded. So every figure that is not
//! the result of a named rounding step is kept as an exact fraction `numerator /
//! denominator` of two 128-bit integers, and only [`Rounding`](crate::Rounding) turns it into
//! a `Decimal`.
//!
//! Fractions are kept *unreduced*: a sum of two amounts in øre stays over 100, a product of
//! two fractions is the product of their parts. Reducing by the greatest common divisor
//! after every step (as general-purpose rational types do) costs 150–220 ns per operation,
//! twenty times the arithmetic itself; here a fraction is reduced only when a step would
//! otherwise overflow, and an operation that overflows even then is an error, never a
//! silently rounded result. Comparison never overflows.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use rust_decimal::Decimal;

/// An exact rational number: the value of a figure before it is rounded.
///
/// Equality, ordering and hashing are by value: `1/2 == 2/4`.
///
/// # Example
///
/// ```
/// use takst::{Decimal, Exact};
///
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// // 756,774 kr over 334 days, times 334, over 12 months: exactly 63,064.5.
/// let day = Exact::from(d("756774")).checked_div(Exact::from(334)).unwrap();
/// let month = day
///     .checked_mul(Exact::from(334))
///     .and_then(|y| y.checked_div(Exact::from(12)))
///     .unwrap();
/// assert_eq!(month.to_decimal(), Some(d("63064.5")));
/// assert_eq!(day.to_string(), "378387/167"); // no finite decimal form
/// ```
#[derive(Clone, Copy)]
pub struct Exact {
    n: i128,
    /// Always > 0.
    d: i128,
}

/// Greatest common divisor of two non-negative numbers (binary algorithm).
fn gcd(mut a: u128, mut b: u128) -> u128 {
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

/// 10^k for k ≤ 38.
pub(crate) fn pow10(k: u32) -> Option<i128> {
    10i128.checked_pow(k)
}

impl Exact {
    /// Zero.
    pub const ZERO: Exact = Exact { n: 0, d: 1 };
    /// One.
    pub const ONE: Exact = Exact { n: 1, d: 1 };

    /// `numerator / denominator`; `None` when the denominator is zero.
    pub fn new(numerator: i128, denominator: i128) -> Option<Exact> {
        match denominator.cmp(&0) {
            Ordering::Equal => None,
            Ordering::Greater => Some(Exact {
                n: numerator,
                d: denominator,
            }),
            Ordering::Less => Some(Exact {
                n: numerator.checked_neg()?,
                d: denominator.checked_neg()?,
            }),
        }
    }

    /// The numerator and denominator in lowest terms (denominator > 0).
    pub fn parts(self) -> (i128, i128) {
        let r = self.reduced();
        (r.n, r.d)
    }

    fn reduced(self) -> Exact {
        let g = gcd(self.n.unsigned_abs(), self.d.unsigned_abs());
        if g <= 1 {
            return self;
        }
        // g divides both and is at most |d| ≤ i128::MAX, so it fits.
        let g = g as i128;
        Exact {
            n: self.n / g,
            d: self.d / g,
        }
    }

    /// True when the value is zero.
    pub fn is_zero(self) -> bool {
        self.n == 0
    }

    /// True when the value is below zero.
    pub fn is_negative(self) -> bool {
        self.n < 0
    }

    /// The absolute value.
    pub fn abs(self) -> Exact {
        match self.n.checked_abs() {
            Some(n) => Exact { n, d: self.d },
            // |i128::MIN| does not fit; halve both parts if possible.
            None => {
                let r = self.reduced();
                Exact {
                    n: r.n.saturating_abs(),
                    d: r.d,
                }
            }
        }
    }

    /// −value; `None` only for a numerator of `i128::MIN` that cannot be reduced.
    pub fn checked_neg(self) -> Option<Exact> {
        match self.n.checked_neg() {
            Some(n) => Some(Exact { n, d: self.d }),
            None => {
                let r = self.reduced();
                Some(Exact {
                    n: r.n.checked_neg()?,
                    d: r.d,
                })
            }
        }
    }

    fn add_parts(a: Exact, b: Exact) -> Option<Exact> {
        if a.d == b.d {
            return Some(Exact {
                n: a.n.checked_add(b.n)?,
                d: a.d,
            });
        }
        // Amounts of different scales (øre and kroner): one denominator divides the other.
        if a.d % b.d == 0 {
            let f = a.d / b.d;
            return Some(Exact {
                n: a.n.checked_add(b.n.checked_mul(f)?)?,
                d: a.d,
            });
        }
        if b.d % a.d == 0 {
            let f = b.d / a.d;
            return Some(Exact {
                n: a.n.checked_mul(f)?.checked_add(b.n)?,
                d: b.d,
            });
        }
        Some(Exact {
            n: a.n.checked_mul(b.d)?.checked_add(b.n.checked_mul(a.d)?)?,
            d: a.d.checked_mul(b.d)?,
        })
    }

    /// Both parts fit 64 bits: products of two such parts cannot overflow 128 bits, and
    /// remainders can use the machine's 64-bit division.
    #[inline]
    fn small(self) -> Option<(i64, i64)> {
        Some((i64::try_from(self.n).ok()?, i64::try_from(self.d).ok()?))
    }

    /// self + other; `None` when the exact sum does not fit 128-bit parts.
    pub fn checked_add(self, other: Exact) -> Option<Exact> {
        if let (Some((a, b)), Some((c, d))) = (self.small(), other.small()) {
            let (n, den) = if b == d {
                (i128::from(a) + i128::from(c), i128::from(b))
            } else if b % d == 0 {
                // Denominators of amounts are powers of ten: one usually divides the other.
                (
                    i128::from(a) + i128::from(c) * i128::from(b / d),
                    i128::from(b),
                )
            } else if d % b == 0 {
                (
                    i128::from(a) * i128::from(d / b) + i128::from(c),
                    i128::from(d),
                )
            } else {
                (
                    i128::from(a) * i128::from(d) + i128::from(c) * i128::from(b),
                    i128::from(b) * i128::from(d),
                )
            };
            return Some(Exact { n, d: den });
        }
        Exact::add_parts(self, other).or_else(|| Exact::add_parts(self.reduced(), other.reduced()))
    }

    /// self − other; `None` on overflow.
    pub fn checked_sub(self, other: Exact) -> Option<Exact> {
        self.checked_add(other.checked_neg()?)
    }

    /// self × other; `None` on overflow.
    pub fn checked_mul(self, other: Exact) -> Option<Exact> {
        if let (Some((a, b)), Some((c, d))) = (self.small(), other.small()) {
            return Some(Exact {
                n: i128::from(a) * i128::from(c),
                d: i128::from(b) * i128::from(d),
            });
        }
        let direct = || {
            Some(Exact {
                n: self.n.checked_mul(other.n)?,
                d: self.d.checked_mul(other.d)?,
            })
        };
        direct().or_else(|| {
            // Cross-reduce: a/b × c/d = (a/g1)(c/g2) / ((b/g2)(d/g1)).
            let (a, b) = (self.reduced(), other.reduced());
            let g1 = gcd(a.n.unsigned_abs(), b.d.unsigned_abs()).max(1) as i128;
            let g2 = gcd(b.n.unsigned_abs(), a.d.unsigned_abs()).max(1) as i128;
            Some(Exact {
                n: (a.n / g1).checked_mul(b.n / g2)?,
                d: (a.d / g2).checked_mul(b.d / g1)?,
            })
        })
    }

    /// self ÷ other; `None` when other is zero or on overflow.
    pub fn checked_div(self, other: Exact) -> Option<Exact> {
        let inverse = Exact::new(other.d, other.n)?;
        self.checked_mul(inverse)
    }

    /// The value as a `Decimal` when it has a finite decimal form that fits (at most 28
    /// decimals and 96 bits); `None` otherwise.
    pub fn to_decimal(self) -> Option<Decimal> {
        let (n, scale) = self.decimal_parts()?;
        if scale > Decimal::MAX_SCALE {
            return None;
        }
        Decimal::try_from_i128_with_scale(n, scale).ok()
    }

    /// `(mantissa, scale)` with value = mantissa × 10^−scale, when the value has a finite
    /// decimal form whose mantissa fits 128 bits.
    fn decimal_parts(self) -> Option<(i128, u32)> {
        let r = self.reduced();
        if r.d == 1 {
            return Some((r.n, 0));
        }
        // d = 2^a × 5^b: the decimal needs max(a, b) places.
        let mut d = r.d;
        let twos = d.trailing_zeros();
        d >>= twos;
        let mut fives = 0u32;
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        if d != 1 {
            return None;
        }
        let scale = twos.max(fives);
        let factor = pow10(scale)?.checked_div(r.d)?;
        Some((r.n.checked_mul(factor)?, scale))
    }

    /// Floor division: `(q, r)` with self = q + r/d, 0 ≤ r < d, where d is the (unreduced)
    /// denominator, returned third.
    pub(crate) fn floor_parts(self) -> (i128, i128, i128) {
        if let Some((n, d)) = self.small() {
            return (
                i128::from(n.div_euclid(d)),
                i128::from(n.rem_euclid(d)),
                i128::from(d),
            );
        }
        (self.n.div_euclid(self.d), self.n.rem_euclid(self.d), self.d)
    }

    fn cmp_value(self, other: Exact) -> Ordering {
        // Compare a/b with c/d without overflow: compare the integer parts, then the
        // fractional parts by comparing their reciprocals (a continued-fraction step).
        let (mut a, mut b, mut c, mut d) = (self.n, self.d, other.n, other.d);
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
            // r1/b vs r2/d  ⇔  d/r2 vs b/r1, reversed.
            (a, b, c, d) = (b, r1, d, r2);
            flipped = !flipped;
        }
    }
}

impl PartialEq for Exact {
    fn eq(&self, other: &Exact) -> bool {
        self.cmp_value(*other) == Ordering::Equal
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
        self.cmp_value(*other)
    }
}

/// An exact value equals a decimal when they are the same number (`2.50 == 5/2`).
impl PartialEq<Decimal> for Exact {
    fn eq(&self, other: &Decimal) -> bool {
        *self == Exact::from(*other)
    }
}

impl PartialOrd<Decimal> for Exact {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(&Exact::from(*other)))
    }
}

impl Hash for Exact {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts().hash(state);
    }
}

impl From<Decimal> for Exact {
    fn from(d: Decimal) -> Exact {
        // The mantissa has 96 bits and the scale is at most 28, so 10^scale fits an i128.
        let den = pow10(d.scale()).unwrap_or(1);
        Exact {
            n: d.mantissa(),
            d: den,
        }
    }
}

impl From<i64> for Exact {
    fn from(v: i64) -> Exact {
        Exact {
            n: i128::from(v),
            d: 1,
        }
    }
}

impl From<u32> for Exact {
    fn from(v: u32) -> Exact {
        Exact {
            n: i128::from(v),
            d: 1,
        }
    }
}

impl From<i32> for Exact {
    fn from(v: i32) -> Exact {
        Exact {
            n: i128::from(v),
            d: 1,
        }
    }
}

impl fmt::Display for Exact {
    /// The exact decimal (`"63064.5"`), or the fraction in lowest terms (`"378387/167"`) when
    /// the value has no finite decimal form.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.decimal_parts() {
            Some((n, scale)) => write_decimal(f, n, scale),
            None => {
                let (n, d) = self.parts();
                write!(f, "{n}/{d}")
            }
        }
    }
}

/// Writes mantissa × 10^−scale in plain notation.
fn write_decimal(f: &mut impl fmt::Write, n: i128, scale: u32) -> fmt::Result {
    let digits = n.unsigned_abs().to_string();
    if n < 0 {
        f.write_char('-')?;
    }
    let scale = scale as usize;
    if scale == 0 {
        return f.write_str(&digits);
    }
    if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        write!(f, "{int}.{frac}")
    } else {
        write!(f, "0.{}{digits}", "0".repeat(scale - digits.len()))
    }
}

impl fmt::Debug for Exact {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Exact({self})")
    }
}

impl serde::Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
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
mod tests {
    use super::*;

    fn q(n: i128, d: i128) -> Exact {
        Exact::new(n, d).unwrap()
    }

    #[test]
    fn arithmetic_is_exact() {
        let third = q(1, 3);
        let sum = third
            .checked_add(third)
            .and_then(|s| s.checked_add(third))
            .unwrap();
        assert_eq!(sum, Exact::ONE);
        assert_eq!(q(10, 4), q(5, 2));
        assert_eq!(q(-1, 2).to_string(), "-0.5");
        assert_eq!(q(1, -3).to_string(), "-1/3");
        assert_eq!(q(1, 8).to_decimal(), Some(Decimal::new(125, 3)));
        assert_eq!(q(0, 5).to_string(), "0");
        assert_eq!(q(7, 1000).to_string(), "0.007");
        assert!(Exact::ONE.checked_div(Exact::ZERO).is_none());
        assert!(Exact::new(1, 0).is_none());
    }

    #[test]
    fn comparison_never_overflows() {
        let big = q(i128::MAX, 3);
        let bigger = q(i128::MAX, 2);
        assert!(big < bigger);
        assert!(q(i128::MIN + 1, 7) < q(-1, i128::MAX));
        assert!(q(i128::MAX - 1, i128::MAX) < Exact::ONE);
        assert_eq!(q(6, 4).cmp(&q(3, 2)), Ordering::Equal);
        assert!(q(-7, 2) < q(-3, 1));
    }

    #[test]
    fn overflow_reduces_before_giving_up() {
        // 10^30/10^30 × 10^30/10^30 overflows unreduced but is 1.
        let one = q(10i128.pow(30), 10i128.pow(30));
        assert_eq!(one.checked_mul(one), Some(Exact::ONE));
        let huge = q(i128::MAX, 1);
        assert!(huge.checked_mul(huge).is_none());
        assert!(huge.checked_add(huge).is_none());
    }

    #[test]
    fn decimals_convert_both_ways() {
        let d = Decimal::new(-146280, 2);
        assert_eq!(Exact::from(d).to_decimal(), Some(d));
        assert_eq!(Exact::from(d).to_string(), "-1462.8");
        assert_eq!(q(2, 3).approx(4), Some(Decimal::new(6667, 4)));
    }
}
