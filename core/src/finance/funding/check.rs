//! Checking the section: every problem reported at its path.

use super::{BaseFunding, SourceKind, Split};
use crate::error::{ErrorCode, Errors};
use crate::rounding::Rounding;
use crate::tariff::validate::{At, Check};

pub(super) fn check(b: &BaseFunding) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    if let Some(cost_base) = b.cost_base {
        c.non_negative(
            cost_base,
            "base_funding.cost_base",
            ("the cost base", "omkostningsgrundlaget"),
        );
    }
    if let Some(days) = b.expected_days {
        c.positive(
            days,
            "base_funding.expected_days",
            ("the expected days", "de forventede dage"),
        );
    }
    if let Some(r) = &b.rounding {
        c.rounding(r, "base_funding.rounding");
    }
    c.unique_field(
        &b.municipalities,
        |m| &m.municipality,
        "base_funding.municipalities",
        ".municipality",
    );
    // A source's label keys its figures (`funding.source.{label}`): one label, one source.
    c.unique_field(&b.sources, |s| &s.label, "base_funding.sources", ".label");
    let known = |name: &str| b.municipalities.iter().any(|m| m.municipality == name);
    for (i, s) in b.sources.iter().enumerate() {
        let at = |f: &'static str| At("base_funding.sources", i, f);
        match (s.amount, s.per_inhabitant) {
            (Some(amount), None) => {
                c.non_negative(
                    amount,
                    at(".amount"),
                    ("a funding amount", "et finansieringsbeløb"),
                );
                if s.split.is_some() && Rounding::ORE.apply(amount) != Some(amount) {
                    c.fail(
                        ErrorCode::OutOfRange,
                        at(".amount"),
                        format!(
                            "an amount split among municipalities must be in whole øre, got {}",
                            amount
                        ),
                        format!(
                            "Et beløb, der fordeles mellem kommunerne, skal være i hele øre, men \
                             er {}.",
                            crate::danish::number(amount)
                        ),
                    );
                }
            }
            (None, Some(rate)) => {
                c.non_negative(
                    rate,
                    at(".per_inhabitant"),
                    ("a rate per inhabitant", "en sats pr. indbygger"),
                );
                if s.kind != SourceKind::Municipalities {
                    c.fail(
                        ErrorCode::Conflict,
                        at(".per_inhabitant"),
                        "a rate per inhabitant is paid by the municipalities: give kind \
                         \"municipalities\"",
                        "En sats pr. indbygger betales af kommunerne: angiv `kind` \
                         \"municipalities\".",
                    );
                }
                if s.split == Some(Split::Key) {
                    c.fail(
                        ErrorCode::Conflict,
                        at(".split"),
                        "a rate per inhabitant is split by population, not by key",
                        "En sats pr. indbygger fordeles efter indbyggertal, ikke efter \
                         fordelingsnøgle.",
                    );
                }
            }
            (None, None) => c.fail(
                ErrorCode::MissingValue,
                at(""),
                "give the source's amount, or its rate per_inhabitant",
                "Angiv finansieringskildens beløb (`amount`) eller dens sats pr. indbygger \
                 (`per_inhabitant`).",
            ),
            (Some(_), Some(_)) => c.fail(
                ErrorCode::Conflict,
                at(""),
                "give either amount or per_inhabitant, not both",
                "Angiv enten `amount` eller `per_inhabitant`, ikke begge.",
            ),
        }
        let split = match (s.split, s.per_inhabitant) {
            (None, Some(_)) => Some(Split::Population),
            (split, _) => split,
        };
        match (s.kind, split) {
            (SourceKind::Municipalities, None) => c.fail(
                ErrorCode::MissingField,
                at(".split"),
                "municipal funding needs `split`: \"population\" or \"key\"",
                "Kommunal finansiering skal have `split`: \"population\" eller \"key\".",
            ),
            (SourceKind::Municipalities, Some(_)) if b.municipalities.is_empty() => c.fail(
                ErrorCode::MissingValue,
                "base_funding.municipalities",
                "municipal funding is split among the municipalities listed here; none are",
                "Kommunal finansiering fordeles mellem de kommuner, der står her, men der står \
                 ingen.",
            ),
            (SourceKind::Municipalities, Some(Split::Population)) => {
                for (k, m) in b.municipalities.iter().enumerate() {
                    match m.population {
                        None => c.fail(
                            ErrorCode::MissingField,
                            At("base_funding.municipalities", k, ".population"),
                            format!("source {i} is split by population, so every municipality needs one"),
                            format!(
                                "Finansieringskilde {i} fordeles efter indbyggertal, så hver \
                                 kommune skal have et indbyggertal."
                            ),
                        ),
                        Some(p) => c.non_negative(
                            p,
                            At("base_funding.municipalities", k, ".population"),
                            ("a population", "et indbyggertal"),
                        ),
                    }
                }
            }
            (SourceKind::Municipalities, Some(Split::Key)) if s.key.is_empty() => c.fail(
                ErrorCode::MissingField,
                at(".key"),
                "the source is split by key, so it needs the key: [{municipality, weight}]",
                "Finansieringskilden fordeles efter en fordelingsnøgle, så den skal have nøglen: \
                 [{municipality, weight}].",
            ),
            (kind, Some(_)) if kind != SourceKind::Municipalities => c.fail(
                ErrorCode::Conflict,
                at(".split"),
                "only a source of kind \"municipalities\" is split among municipalities",
                "Kun en finansieringskilde af typen \"municipalities\" fordeles mellem kommuner.",
            ),
            _ => {}
        }
        if s.split != Some(Split::Key) && !s.key.is_empty() {
            c.fail(
                ErrorCode::Conflict,
                at(".key"),
                "a key is given, but the source is not split by key (`split = \"key\"`)",
                "Der er angivet en fordelingsnøgle, men finansieringskilden fordeles ikke efter \
                 nøgle (`split = \"key\"`).",
            );
        }
        for (k, w) in s.key.iter().enumerate() {
            let path = format!("base_funding.sources[{i}].key[{k}]");
            if !known(&w.municipality) {
                c.fail(
                    ErrorCode::UnknownReference,
                    format!("{path}.municipality"),
                    format!(
                        "{:?} is not one of the municipalities listed in base_funding.municipalities",
                        w.municipality
                    ),
                    format!(
                        "{:?} er ikke en af kommunerne i `base_funding.municipalities`.",
                        w.municipality
                    ),
                );
            }
            c.non_negative(w.weight, format!("{path}.weight"), ("a weight", "en vægt"));
        }
        c.unique_field(
            &s.key,
            |w| &w.municipality,
            &format!("base_funding.sources[{i}].key"),
            ".municipality",
        );
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
