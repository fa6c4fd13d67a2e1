//! Danish number formatting for text output: thousands separated by ".", decimals by ",".
//!
//! For reading only: nothing here is used in a calculation.

use std::fmt;

use rust_decimal::Decimal;

use crate::exact::Exact;
use crate::rounding::Rounding;

/// Formats a decimal the Danish way, keeping its scale: `1234567.5` → `"1.234.567,5"`.
///
/// # Example
///
/// ```
/// use rust_decimal::Decimal;
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// assert_eq!(takst::da_number(d("1234567.50")), "1.234.567,50");
/// assert_eq!(takst::da_number(d("-950")), "-950");
/// ```
pub fn number(value: Decimal) -> String {
    group(
        &value.abs().to_string(),
        value.is_sign_negative() && !value.is_zero(),
    )
}

/// Formats a whole number the Danish way: `1234567` → `"1.234.567"`.
pub(crate) fn int(value: impl fmt::Display) -> String {
    let text = value.to_string();
    match text.strip_prefix('-') {
        Some(digits) => group(digits, true),
        None => group(&text, false),
    }
}

fn group(text: &str, negative: bool) -> String {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
    if negative {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// The Danish month names.
pub(crate) const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// A calendar month in Danish words: `month(2026, 3)` → `"marts 2026"`.
pub(crate) fn month(
    year: impl fmt::Display + TryInto<u64> + Copy,
    month: impl TryInto<usize>,
) -> String {
    let mut out = String::with_capacity(16);
    push_month(&mut out, year, month);
    out
}

/// [`exact`] for a figure of the explanation or a scenario, by its unit: an amount of kroner
/// and øre is never shown with one decimal ("151.748,10", not "151.748,1", as an invoice line
/// is); whole kroner stay whole.
pub(crate) fn figure(value: &Exact, unit: crate::explain::Unit) -> String {
    match value.to_decimal().map(|d| d.normalize()) {
        Some(mut d) if unit.is_money() && d.scale() == 1 => {
            d.rescale(2);
            number(d)
        }
        _ => exact(value),
    }
}

/// Display form of an unrounded figure: exact when it has at most four decimals, otherwise
/// approximated to four by [`Exact::approx`] (never a shorter decimal than the value) and
/// marked "…" (`"4.800,7978…"`).
///
/// # Example
///
/// ```
/// use takst::Exact;
/// assert_eq!(takst::da_exact(&Exact::new(97, 2).unwrap()), "48,5");
/// assert_eq!(takst::da_exact(&Exact::new(2, 3).unwrap()), "0,6667…");
/// ```
pub fn exact(value: &Exact) -> String {
    if let Some(d) = value.to_decimal() {
        let d = d.normalize();
        if d.scale() <= 4 {
            return number(d);
        }
    }
    match value.approx(4) {
        Some(d) => format!("{}…", number(d.normalize())),
        None => value.to_string(),
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
            format!("{} kr", number(self.increment))
        };
        write!(f, "{step}, {}", self.mode.describe_da())
    }
}

/// A date the Danish way, in words: 15 September 2026 → `"15. september 2026"`.
///
/// # Example
///
/// ```
/// let d = jiff::civil::date(2026, 9, 15);
/// assert_eq!(takst::da_date(d), "15. september 2026");
/// ```
pub fn date(d: jiff::civil::Date) -> String {
    let mut out = String::with_capacity(20);
    push_date(&mut out, d);
    out
}

/// [`date`], written at the end of `out`.
pub(crate) fn push_date(out: &mut String, d: jiff::civil::Date) {
    crate::digits::push_int(out, d.day().unsigned_abs());
    out.push_str(". ");
    push_month(out, d.year(), d.month());
}

/// [`month`], written at the end of `out`.
pub(crate) fn push_month(
    out: &mut String,
    year: impl fmt::Display + TryInto<u64> + Copy,
    month: impl TryInto<usize>,
) {
    use fmt::Write as _;
    let name = month
        .try_into()
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("?");
    out.push_str(name);
    out.push(' ');
    match year.try_into() {
        Ok(y) => crate::digits::push_int(out, y),
        Err(_) => {
            let _ = write!(out, "{year}");
        }
    }
}

/// The text with its first letter in upper case (the start of a Danish sentence).
///
/// Only the Danish alphabet is capitalised (a–z, æ, ø, å, é): every caller passes takst's
/// own Danish words and dates, never a name from a request. `char::to_uppercase` would do
/// the same for these and carry Unicode's case tables (some 11 KB) into the browser module.
pub(crate) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let upper = match first {
                'æ' => 'Æ',
                'ø' => 'Ø',
                'å' => 'Å',
                'é' => 'É',
                c => c.to_ascii_uppercase(),
            };
            let mut out = String::with_capacity(text.len());
            out.push(upper);
            out.push_str(chars.as_str());
            out
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_months_in_danish() {
        assert_eq!(date(jiff::civil::date(2026, 3, 1)), "1. marts 2026");
        assert_eq!(date(jiff::civil::date(2026, 12, 31)), "31. december 2026");
        assert_eq!(month(2026, 5), "maj 2026");
        assert_eq!(int(1_048_576usize), "1.048.576");
        assert_eq!(int(-1234i64), "-1.234");
        assert_eq!(int(12), "12");
        assert_eq!(capitalize("øre"), "Øre");
        assert_eq!(capitalize("ændret"), "Ændret");
        assert_eq!(capitalize("årlig"), "Årlig");
        assert_eq!(capitalize("maj 2026"), "Maj 2026");
        assert_eq!(capitalize("1. marts 2026"), "1. marts 2026");
        assert_eq!(capitalize(""), "");
    }
}
