//! Checking the section: every problem reported at its path.

use rust_decimal::Decimal;

use super::{KeyBasis, Partnership};
use crate::error::{ErrorCode, Errors};
use crate::tariff::validate::{At, Check};

pub(super) fn check(p: &Partnership) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    if let Some(base) = p.financing_base {
        c.non_negative(
            base,
            "partnership.financing_base",
            ("the financing base", "finansieringsgrundlaget"),
        );
    }
    if let Some(days) = p.expected_days {
        c.positive(
            days,
            "partnership.expected_days",
            ("the expected days", "de forventede dage"),
        );
    }
    c.percent(
        p.fixed_share_pct,
        "partnership.fixed_share_pct",
        ("the partners' fixed share", "partnernes faste andel"),
    );
    if let Some(r) = &p.rounding {
        c.rounding(r, "partnership.rounding");
    }
    if p.partners.is_empty() {
        c.fail(
            ErrorCode::MissingValue,
            "partnership.partners",
            "a partnership needs at least one partner",
            "Et partnerskab skal have mindst én partner.",
        );
    }
    for (i, m) in p.partners.iter().enumerate() {
        c.non_negative(
            m.expected_days,
            At("partnership.partners", i, ".expected_days"),
            ("a partner's expected days", "en partners forventede dage"),
        );
        match (p.key, m.key) {
            (KeyBasis::Agreed, None) => c.fail(
                ErrorCode::MissingField,
                At("partnership.partners", i, ".key"),
                "the key is agreed, so every partner needs its weight in `key`",
                "Fordelingsnøglen er aftalt, så hver partner skal have sin vægt i `key`.",
            ),
            (KeyBasis::Agreed, Some(k)) => c.non_negative(
                k,
                At("partnership.partners", i, ".key"),
                (
                    "a partner's weight in the key",
                    "en partners vægt i fordelingsnøglen",
                ),
            ),
            (KeyBasis::ExpectedDays, Some(_)) => c.fail(
                ErrorCode::Conflict,
                At("partnership.partners", i, ".key"),
                "a weight is given, but the fixed share is split by expected days; \
                 set `key = \"agreed\"` to use the weights",
                "Der er angivet en vægt, men den faste andel fordeles efter forventede dage; \
                 sæt `key = \"agreed\"` for at bruge vægtene.",
            ),
            (KeyBasis::ExpectedDays, None) => {}
        }
    }
    for (i, l) in p.usage_pct.iter().enumerate() {
        c.non_negative(
            *l,
            At("partnership.usage_pct", i, ""),
            ("a usage level", "et forbrugsniveau"),
        );
    }
    if p.usage_pct.len() > 100 {
        c.fail(
            ErrorCode::LimitExceeded,
            "partnership.usage_pct",
            format!("{} usage levels; the limit is 100", p.usage_pct.len()),
            format!(
                "Der er angivet {} forbrugsniveauer; grænsen er 100.",
                crate::danish::int(p.usage_pct.len())
            ),
        );
    }
    c.unique_field(
        &p.partners,
        |m| &m.municipality,
        "partnership.partners",
        ".municipality",
    );
    let partner_days: Decimal = p
        .partners
        .iter()
        .map(|m| m.expected_days)
        .fold(Decimal::ZERO, |a, b| a.saturating_add(b));
    if let Some(days) = p.expected_days.filter(|d| partner_days > *d) {
        c.fail(
            ErrorCode::OutOfRange,
            "partnership.partners",
            format!(
                "the partners expect {partner_days} days, more than the offer's {days} expected days"
            ),
            format!(
                "Partnerne forventer {} dage, flere end tilbuddets {} forventede dage.",
                crate::danish::number(partner_days),
                crate::danish::number(days)
            ),
        );
    }
    if partner_days.is_zero() && !p.partners.is_empty() {
        c.fail(
            ErrorCode::NotPositive,
            "partnership.partners",
            "the partners' expected days sum to 0, so the fixed payment cannot lower their tariff",
            "Partnernes forventede dage giver tilsammen 0, så den faste betaling kan ikke \
             sænke deres takst.",
        );
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
