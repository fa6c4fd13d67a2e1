//! Base funding (basisøkonomi, objective financing, drawing rights, subscriptions; domain
//! reference §7): amounts paid outside the tariff, by the state, a fund or the
//! municipalities (by population or an agreed key), lower the cost base the tariffs must
//! cover.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Errors};
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::num;
use crate::rounding::Rounding;
use crate::tariff::validate::{At, Check};

use super::{dec, desc, input, split, Share, ORE};

fn kroner() -> Rounding {
    Rounding::KRONER
}
fn is_kroner(r: &Rounding) -> bool {
    *r == Rounding::KRONER
}

/// Base funding of an offer.
///
/// # Example
///
/// ```
/// let out = takst::evaluate_json(r#"{"version": 1, "base_funding": {
///     "cost_base": "10000000", "expected_days": "2000",
///     "sources": [{"label": "Statens basisbevilling", "kind": "state", "amount": "1000000"}]}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// assert_eq!(v["base_funding"]["day_tariff_without"], "5000");
/// assert_eq!(v["base_funding"]["day_tariff"], "4500");   // (10,000,000 − 1,000,000) ÷ 2,000
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaseFunding {
    /// The offer's name, for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The cost base before base funding.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    pub cost_base: Decimal,
    /// The expected days the tariff is paid for.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    pub expected_days: Decimal,
    /// The sources of base funding.
    pub sources: Vec<FundingSource>,
    /// The municipalities that municipal funding is split among, with their populations
    /// (needed when a source is split by population).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<Population>,
    /// How the day tariff is rounded. Default whole kroner, half away from zero.
    #[serde(default = "kroner", skip_serializing_if = "is_kroner")]
    pub rounding: Rounding,
}

/// Who pays a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The state (a grant).
    State,
    /// A fund or foundation.
    Fund,
    /// The municipalities (objective financing, drawing rights, subscriptions): split among
    /// them by `split`.
    Municipalities,
    /// Another payer.
    Other,
}

impl SourceKind {
    /// The Danish word.
    pub fn da(self) -> &'static str {
        match self {
            SourceKind::State => "staten",
            SourceKind::Fund => "fond",
            SourceKind::Municipalities => "kommunerne",
            SourceKind::Other => "anden",
        }
    }
}

/// How a municipal source is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// By the municipalities' populations.
    Population,
    /// By the agreed `key` of the source.
    Key,
}

/// One source of base funding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingSource {
    /// What it is, e.g. "Objektiv finansiering".
    pub label: String,
    /// Who pays.
    pub kind: SourceKind,
    /// The annual amount.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    pub amount: Decimal,
    /// For `municipalities`: how the amount is split among them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// For `split = "key"`: each municipality's weight (municipalities listed in
    /// `municipalities`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<Weight>,
}

/// A municipality and its population.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// The municipality.
    pub municipality: String,
    /// Its population (needed for splits by population).
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    pub population: Option<Decimal>,
}

/// A municipality's weight in an agreed key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Weight {
    /// The municipality (one listed in `municipalities`).
    pub municipality: String,
    /// Its weight, e.g. 12.5 for 12.5 %.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    pub weight: Decimal,
}

/// A source and how it was split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SourceResult {
    /// The label.
    pub label: String,
    /// Who pays.
    pub kind: SourceKind,
    /// The amount.
    #[schemars(with = "crate::num::Num")]
    pub amount: Decimal,
    /// For municipal sources: each municipality's part (the parts sum exactly to the amount).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<Share>,
}

/// A municipality's base funding from all municipal sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct MunicipalityContribution {
    /// The municipality.
    pub municipality: String,
    /// Its population, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::num::Num>")]
    pub population: Option<Decimal>,
    /// Its contribution in all.
    #[schemars(with = "crate::num::Num")]
    pub amount: Decimal,
}

/// The figures of base funding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FundingResult {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The cost base before base funding.
    #[schemars(with = "crate::num::Num")]
    pub cost_base: Decimal,
    /// Base funding in all.
    #[schemars(with = "crate::num::Num")]
    pub funding: Decimal,
    /// What the tariffs must cover: cost base − base funding.
    #[schemars(with = "crate::num::Num")]
    pub tariff_base: Decimal,
    /// The expected days.
    #[schemars(with = "crate::num::Num")]
    pub expected_days: Decimal,
    /// The day tariff without base funding (published, for comparison).
    #[schemars(with = "crate::num::Num")]
    pub day_tariff_without: Decimal,
    /// The day tariff with base funding (published).
    #[schemars(with = "crate::num::Num")]
    pub day_tariff: Decimal,
    /// Each source.
    pub sources: Vec<SourceResult>,
    /// Each municipality's contribution from the municipal sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<MunicipalityContribution>,
    /// Base funding + expected days × the published day tariff.
    #[schemars(with = "crate::num::Num")]
    pub revenue: Decimal,
    /// revenue − cost base: what rounding the tariff leaves.
    #[schemars(with = "crate::num::Num")]
    pub residue: Decimal,
}

const P: &str = "base_funding";
const COST_BASE: Desc = desc(
    "funding.cost_base",
    "Takstgrundlag før basisfinansiering",
    Unit::Kr,
    "",
    None,
    "base_funding.cost_base",
);
const DAYS: Desc = desc(
    "funding.expected_days",
    "Forventede dage",
    Unit::Days,
    "",
    None,
    "base_funding.expected_days",
);
const SOURCE: Desc = desc(
    "funding.source.{m}",
    "Basisfinansiering: {m}",
    Unit::Kr,
    "",
    None,
    "base_funding.sources",
);
const TOTAL: Desc = desc(
    "funding.total",
    "Basisfinansiering i alt",
    Unit::Kr,
    "summen af kilderne",
    None,
    "base_funding.sources",
);
const TARIFF_BASE: Desc = desc(
    "funding.tariff_base",
    "Takstgrundlag efter basisfinansiering",
    Unit::Kr,
    "takstgrundlag − basisfinansiering",
    Some("basisøkonomi / objektiv finansiering"),
    "base_funding.sources",
);
const WITHOUT_EXACT: Desc = desc(
    "funding.day_tariff_without.exact",
    "Dagtakst uden basisfinansiering, eksakt",
    Unit::KrPerDay,
    "takstgrundlag ÷ forventede dage",
    None,
    "base_funding.expected_days",
);
const WITHOUT: Desc = desc(
    "funding.day_tariff_without",
    "Dagtakst uden basisfinansiering",
    Unit::KrPerDay,
    "afrundet",
    None,
    "base_funding.rounding",
);
const WITH_EXACT: Desc = desc(
    "funding.day_tariff.exact",
    "Dagtakst med basisfinansiering, eksakt",
    Unit::KrPerDay,
    "takstgrundlag efter basisfinansiering ÷ forventede dage",
    None,
    "base_funding.expected_days",
);
const WITH: Desc = desc(
    "funding.day_tariff",
    "Dagtakst med basisfinansiering",
    Unit::KrPerDay,
    "afrundet",
    None,
    "base_funding.rounding",
);
const POPULATION: Desc = desc(
    "funding.municipality.{m}.population",
    "Indbyggertal, {m}",
    Unit::Citizens,
    "",
    None,
    "base_funding.municipalities",
);
const POPULATION_SUM: Desc = desc(
    "funding.population",
    "Indbyggertal i alt",
    Unit::Citizens,
    "summen af kommunernes indbyggertal",
    None,
    "base_funding.municipalities",
);
const WEIGHT: Desc = desc(
    "funding.source.{m}.key.{b}",
    "Fordelingsnøgle for {m}, vægt nr. {b}",
    Unit::Number,
    "",
    Some("aftalt fordelingsnøgle"),
    "base_funding.sources",
);
const WEIGHT_SUM: Desc = desc(
    "funding.source.{m}.key_sum",
    "Fordelingsnøglen i alt, {m}",
    Unit::Number,
    "summen af vægtene",
    None,
    "base_funding.sources",
);
split_descs!(
    PART,
    "funding.source.{m}.part.{b}",
    "Andel af {m}, kommune nr. {b}",
    "base_funding.sources"
);
const MUNICIPALITY_TOTAL: Desc = desc(
    "funding.municipality.{m}.total",
    "Basisfinansiering i alt, {m}",
    Unit::Kr,
    "summen af kommunens andele",
    None,
    "base_funding.sources",
);
const REV_TARIFF: Desc = desc(
    "funding.revenue.tariff",
    "Takstindtægt ved forventede dage",
    Unit::Kr,
    "forventede dage × dagtakst, rundet til hele øre",
    None,
    "base_funding",
);
const REVENUE: Desc = desc(
    "funding.revenue",
    "Finansiering i alt",
    Unit::Kr,
    "basisfinansiering + takstindtægt",
    None,
    "base_funding",
);
const RESIDUE: Desc = desc(
    "funding.residue",
    "Afrundingsrest",
    Unit::Kr,
    "finansiering i alt − takstgrundlag",
    None,
    "base_funding",
);

fn check(b: &BaseFunding) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    c.non_negative(
        b.cost_base,
        "base_funding.cost_base",
        ("the cost base", "omkostningsgrundlaget"),
    );
    c.positive(
        b.expected_days,
        "base_funding.expected_days",
        ("the expected days", "de forventede dage"),
    );
    c.rounding(&b.rounding, "base_funding.rounding");
    c.unique_field(
        &b.municipalities,
        |m| &m.municipality,
        "base_funding.municipalities",
        ".municipality",
    );
    let known = |name: &str| b.municipalities.iter().any(|m| m.municipality == name);
    let mut total = Decimal::ZERO;
    for (i, s) in b.sources.iter().enumerate() {
        let at = |f: &'static str| At("base_funding.sources", i, f);
        c.non_negative(
            s.amount,
            at(".amount"),
            ("a funding amount", "et finansieringsbeløb"),
        );
        if s.split.is_some() && Rounding::ORE.apply(s.amount) != Some(s.amount) {
            c.fail(
                ErrorCode::OutOfRange,
                at(".amount"),
                format!(
                    "an amount split among municipalities must be in whole øre, got {}",
                    s.amount
                ),
                format!(
                    "Et beløb, der fordeles mellem kommunerne, skal være i hele øre, men er {}.",
                    crate::danish::number(s.amount)
                ),
            );
        }
        total = total.saturating_add(s.amount);
        match (s.kind, s.split) {
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
    if total > b.cost_base {
        c.fail(
            ErrorCode::OutOfRange,
            "base_funding.sources",
            format!(
                "base funding of {total} exceeds the cost base of {}: the tariff would be negative",
                b.cost_base
            ),
            format!(
                "Basisfinansieringen på {} kr. overstiger omkostningsgrundlaget på {} kr., så \
                 taksten ville blive negativ.",
                crate::danish::number(total),
                crate::danish::number(b.cost_base)
            ),
        );
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl BaseFunding {
    pub(crate) fn compute(&self, ex: &mut Explanation) -> Result<FundingResult, Errors> {
        check(self)?;
        Ok(self.figures(ex)?)
    }

    fn figures(&self, ex: &mut Explanation) -> Result<FundingResult, Error> {
        let none = Subj::NONE;
        let base = input(ex, &COST_BASE, none, self.cost_base)?;
        let days = input(ex, &DAYS, none, self.expected_days)?;
        let without_exact = ex.derive(
            &WITHOUT_EXACT,
            none,
            Op::Quotient,
            &[base.clone(), days.clone()],
        )?;
        let (_, without) = ex.round(
            &WITHOUT,
            none,
            without_exact,
            self.rounding,
            Step::Published,
        )?;

        // Municipalities: one party each, and the population when given.
        let towns: Vec<Subj> = self
            .municipalities
            .iter()
            .map(|m| Subj::one(ex.party(|| m.municipality.clone())))
            .collect();
        let by_population = if self
            .sources
            .iter()
            .any(|s| s.split == Some(Split::Population))
        {
            let mut pops = Vec::with_capacity(self.municipalities.len());
            for (m, t) in self.municipalities.iter().zip(&towns) {
                pops.push(input(
                    ex,
                    &POPULATION,
                    *t,
                    m.population.unwrap_or_default(),
                )?);
            }
            let sum = ex.derive(&POPULATION_SUM, none, Op::Sum, &pops)?;
            Some((pops, sum))
        } else {
            None
        };
        let mut totals: Vec<Vec<Fig>> = vec![Vec::new(); self.municipalities.len()];
        let mut amounts: Vec<Decimal> = vec![Decimal::ZERO; self.municipalities.len()];

        let mut figs = Vec::with_capacity(self.sources.len());
        let mut sources = Vec::with_capacity(self.sources.len());
        for (i, src) in self.sources.iter().enumerate() {
            let party = ex.party(|| src.label.clone());
            let s = Subj::one(party);
            let amount = input(ex, &SOURCE, s, src.amount)?;
            let mut contributions = Vec::new();
            if let Some(how) = src.split {
                let path = format!("base_funding.sources[{i}]");
                // Weights per listed municipality (0 for one not in a key).
                let (weights, sum) = match (how, &by_population) {
                    (Split::Population, Some((pops, sum))) => (pops.clone(), sum.clone()),
                    (Split::Population, None) => {
                        return Err(Error::new(
                            ErrorCode::Internal,
                            path,
                            "no populations",
                            "Der mangler indbyggertal (en fejl i takst).",
                        ))
                    }
                    (Split::Key, _) => {
                        let mut ws = Vec::with_capacity(self.municipalities.len());
                        for (k, m) in self.municipalities.iter().enumerate() {
                            let w = src
                                .key
                                .iter()
                                .find(|w| w.municipality == m.municipality)
                                .map_or(Decimal::ZERO, |w| w.weight);
                            ws.push(input(ex, &WEIGHT, Subj::two(party, k as u32), w)?);
                        }
                        let sum = ex.derive(&WEIGHT_SUM, s, Op::Sum, &ws)?;
                        (ws, sum)
                    }
                };
                let parts = split(
                    ex,
                    &amount,
                    &weights,
                    &sum,
                    ORE.increment,
                    &PART,
                    |k| Subj::two(party, k as u32),
                    &path,
                )?;
                for (k, (fig, part)) in parts.into_iter().enumerate() {
                    totals[k].push(fig);
                    amounts[k] = amounts[k].checked_add(part).ok_or_else(|| {
                        Error::new(
                            ErrorCode::Overflow,
                            P,
                            "the contributions are too large",
                            "Bidragene er for store til at regne med.",
                        )
                    })?;
                    contributions.push(Share {
                        municipality: self.municipalities[k].municipality.clone(),
                        amount: part,
                    });
                }
            }
            figs.push(amount);
            sources.push(SourceResult {
                label: src.label.clone(),
                kind: src.kind,
                amount: src.amount,
                contributions,
            });
        }
        let total = ex.derive(&TOTAL, none, Op::Sum, &figs)?;
        let tariff_base = ex.derive(
            &TARIFF_BASE,
            none,
            Op::Difference,
            &[base.clone(), total.clone()],
        )?;
        let with_exact = ex.derive(
            &WITH_EXACT,
            none,
            Op::Quotient,
            &[tariff_base.clone(), days.clone()],
        )?;
        let (with, with_dec) = ex.round(&WITH, none, with_exact, self.rounding, Step::Published)?;

        let mut municipalities = Vec::new();
        for (k, m) in self.municipalities.iter().enumerate() {
            if totals[k].is_empty() {
                continue;
            }
            ex.derive(&MUNICIPALITY_TOTAL, towns[k], Op::Sum, &totals[k])?;
            municipalities.push(MunicipalityContribution {
                municipality: m.municipality.clone(),
                population: m.population,
                amount: amounts[k],
            });
        }
        let (rev_tariff, _) = ex.derive_rounded(
            &REV_TARIFF,
            none,
            Op::Product,
            &[days, with],
            ORE,
            Step::Derived,
        )?;
        let revenue = ex.derive(&REVENUE, none, Op::Sum, &[total.clone(), rev_tariff])?;
        let residue = ex.derive(&RESIDUE, none, Op::Difference, &[revenue.clone(), base])?;
        Ok(FundingResult {
            name: self.name.clone(),
            cost_base: self.cost_base,
            funding: dec(&total, P)?,
            tariff_base: dec(&tariff_base, P)?,
            expected_days: self.expected_days,
            day_tariff_without: without,
            day_tariff: with_dec,
            sources,
            municipalities,
            revenue: dec(&revenue, P)?,
            residue: dec(&residue, P)?,
        })
    }
}
