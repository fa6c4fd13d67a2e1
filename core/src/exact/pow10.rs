//! Powers of ten and their logarithms: the denominators of decimal amounts and the
//! increments of rounding policies.

use ethnum::I256;

/// 10^k for k ≤ 19 (every power of ten in 64 bits): the denominators of amounts and the
/// increments of rounding policies, looked up rather than computed (a `checked_pow` loop per
/// amount was measurable).
const POW10_U64: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut k = 1;
    while k < 20 {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// 10^k as an i64, for k ≤ 18.
pub(crate) fn pow10_64(k: u32) -> Option<i64> {
    POW10_U64
        .get(k as usize)
        .and_then(|&p| i64::try_from(p).ok())
}

/// 10^k for k ≤ 38.
pub(crate) fn pow10(k: u32) -> Option<i128> {
    match pow10_64(k) {
        Some(p) => Some(i128::from(p)),
        None => 10i128.checked_pow(k),
    }
}

/// The k with 10^k = d for a 64-bit d: øre and whole kroner first, then a table search.
pub(super) fn log10_64(d: u64) -> Option<u32> {
    match d {
        100 => Some(2),
        1 => Some(0),
        _ => {
            let k = d.checked_ilog10()?;
            (POW10_U64.get(k as usize) == Some(&d)).then_some(k)
        }
    }
}

/// 10^k as a 256-bit integer, for k ≤ 76.
pub(super) fn pow10_wide(k: u32) -> Option<I256> {
    let mut v = I256::ONE;
    for _ in 0..k {
        v = v.checked_mul(I256::new(10))?;
    }
    Some(v)
}

/// The k with 10^k = d, when d is a power of ten (the denominators of decimal amounts).
pub(super) fn log10_exact(d: I256) -> Option<u32> {
    if let Ok(small) = u128::try_from(d) {
        return log10_u128(small);
    }
    let mut v = d;
    let mut k = 0;
    while v > I256::ONE {
        if v % I256::new(10) != I256::ZERO {
            return None;
        }
        v /= I256::new(10);
        k += 1;
    }
    (v == I256::ONE).then_some(k)
}

pub(super) fn log10_u128(d: u128) -> Option<u32> {
    // In 64 bits when it fits (every denominator of an amount): a 128-bit logarithm and
    // power cost several times more.
    if let Ok(small) = u64::try_from(d) {
        return log10_64(small);
    }
    let k = d.checked_ilog10()?;
    (10u128.checked_pow(k) == Some(d)).then_some(k)
}
