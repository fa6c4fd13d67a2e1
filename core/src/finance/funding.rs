//! Base funding (basisøkonomi, objective financing, drawing rights, subscriptions; domain
//! reference §7): amounts paid outside the tariff, by the state, a fund or the
//! municipalities (by population or an agreed key), lower the cost base the tariffs must
//! cover.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::num;
use crate::rounding::Rounding;
use crate::tariff::validate::{At, Check};

use super::{dec, desc, given_or_offer, input, rounding_or_offer, split, Chain, Share, ORE};

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
    /// The cost base before base funding. Default: the cost base of the request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub cost_base: Option<Decimal>,
    /// The expected days the tariff is paid for. Default: the expected days of the
    /// request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub expected_days: Option<Decimal>,
    /// The sources of base funding.
    pub sources: Vec<FundingSource>,
    /// The municipalities that municipal funding is split among, with their populations
    /// (needed when a source is split by population).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<Population>,
    /// How the day tariff is rounded. Default: as the request's offer publishes its tariffs
    /// (`offer.settings.published_rounding`, listed in `chained`), and whole kroner, half away
    /// from zero, without an offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
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
    /// What it is, e.g. "Objektiv finansiering": one label per source (it keys the
    /// source's figures).
    pub label: String,
    /// Who pays.
    pub kind: SourceKind,
    /// The annual amount. Give `amount` or `per_inhabitant`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub amount: Option<Decimal>,
    /// For `municipalities`: a rate in kroner per inhabitant (objective financing, e.g.
    /// 0.88 kr): each municipality pays rate × its population, rounded to øre, and the
    /// source's amount is the sum. Implies `split = "population"`.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub per_inhabitant: Option<Decimal>,
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
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
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
    #[serde(serialize_with = "crate::digits::ser_decimal")]
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
    #[serde(serialize_with = "crate::digits::ser_decimal")]
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
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub population: Option<Decimal>,
    /// Its contribution in all.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
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
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub cost_base: Decimal,
    /// Base funding in all.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub funding: Decimal,
    /// What the tariffs must cover: cost base − base funding.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub tariff_base: Decimal,
    /// The expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// The day tariff without base funding (published, for comparison).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub day_tariff_without: Decimal,
    /// The day tariff with base funding (published).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub day_tariff: Decimal,
    /// Each source.
    pub sources: Vec<SourceResult>,
    /// Each municipality's contribution from the municipal sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<MunicipalityContribution>,
    /// The fields taken from the request's offer rather than given (`cost_base`,
    /// `expected_days`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chained: Vec<String>,
    /// Base funding + expected days × the published day tariff.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub revenue: Decimal,
    /// revenue − cost base: what rounding the tariff leaves.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
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
const COST_BASE_CHAINED: Desc = desc(
    "funding.cost_base",
    "Takstgrundlag før basisfinansiering",
    Unit::Kr,
    "overført fra tilbuddets takstgrundlag i samme beregning",
    Some("kæden: tilbud → basisfinansiering"),
    "offer.costs",
);
const COST_BASE_BEFORE_OFFER_FUNDING: Desc = desc(
    "funding.cost_base",
    "Takstgrundlag før basisfinansiering",
    Unit::Kr,
    "tilbuddets takstgrundlag + dets fradrag for basisfinansiering (omkostningslinjer af \
     kategorien base_funding), overført i samme beregning",
    Some("kæden: tilbud → basisfinansiering"),
    "offer.costs",
);
const DAYS_CHAINED: Desc = desc(
    "funding.expected_days",
    "Forventede dage",
    Unit::Days,
    "overført fra tilbuddets forventede belægningsdage i samme beregning",
    Some("kæden: tilbud → basisfinansiering"),
    "offer.capacity",
);
const RATE: Desc = desc(
    "funding.source.{m}.per_inhabitant",
    "Takst pr. indbygger, {m}",
    Unit::Kr,
    "",
    Some("objektiv finansiering"),
    "base_funding.sources",
);
const RATE_PART_EXACT: Desc = desc(
    "funding.source.{m}.part.{mb}",
    "Andel af {m}, {mb}",
    Unit::Kr,
    "takst pr. indbygger × kommunens indbyggertal, afrundet til øre",
    Some("objektiv finansiering"),
    "base_funding.sources",
);
const RATE_AMOUNT: Desc = desc(
    "funding.source.{m}",
    "Basisfinansiering: {m}",
    Unit::Kr,
    "summen af kommunernes andele (takst pr. indbygger × indbyggertal)",
    Some("objektiv finansiering"),
    "base_funding.sources",
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
    "funding.source.{m}.key.{mb}",
    "Fordelingsnøgle for {m}, vægt for {mb}",
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
    "funding.source.{m}.part.{mb}",
    "Andel af {m}, {mb}",
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

impl BaseFunding {
    /// Base funding in `ex`, taking the cost base and expected days it does not give from
    /// the request's offer (`chain`).
    pub(crate) fn compute(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<FundingResult, Errors> {
        check(self)?;
        Ok(self.figures(ex, warnings, chain)?)
    }

    /// A source's split: a rate per inhabitant is split by population.
    fn split_of(src: &FundingSource) -> Option<Split> {
        match (src.split, src.per_inhabitant) {
            (None, Some(_)) => Some(Split::Population),
            (split, _) => split,
        }
    }

    fn figures(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<FundingResult, Error> {
        let none = Subj::NONE;
        let mut chained = Vec::new();
        let offer = chain.offer.as_ref();
        // The offer's own base funding (its cost lines of category `base_funding`, negative
        // in its cost base), when the cost base is taken from it.
        let offer_funding = offer
            .filter(|_| self.cost_base.is_none())
            .map(|o| o.base_funding.as_ref());
        let base = match (offer, offer_funding) {
            // The offer's cost base is net of its own base funding: the section subtracts
            // its sources from the cost base before them, so they are not subtracted twice.
            (Some(o), Some(Some(lines))) => {
                chained.push("cost_base".to_string());
                ex.derive(
                    &COST_BASE_BEFORE_OFFER_FUNDING,
                    none,
                    Op::Difference,
                    &[o.cost_base.clone(), lines.clone()],
                )?
            }
            _ => given_or_offer(
                ex,
                self.cost_base,
                offer.map(|o| &o.cost_base),
                (&COST_BASE, &COST_BASE_CHAINED),
                "base_funding",
                "cost_base",
                &mut chained,
            )?,
        };
        let days = given_or_offer(
            ex,
            self.expected_days,
            offer.map(|o| &o.expected_days),
            (&DAYS, &DAYS_CHAINED),
            "base_funding",
            "expected_days",
            &mut chained,
        )?;
        let rounding = rounding_or_offer(self.rounding, offer, &mut chained);
        let cost_base_dec = dec(&base, P)?;
        let without_exact = ex.derive(
            &WITHOUT_EXACT,
            none,
            Op::Quotient,
            &[base.clone(), days.clone()],
        )?;
        let (_, without) = ex.round(&WITHOUT, none, without_exact, rounding, Step::Published)?;

        // Municipalities: one party each, and the population when given.
        let towns: Vec<Subj> = self
            .municipalities
            .iter()
            .map(|m| Subj::one(ex.party(|| m.municipality.clone())))
            .collect();
        let by_population = if self
            .sources
            .iter()
            .any(|s| Self::split_of(s) == Some(Split::Population))
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
            let mut contributions = Vec::new();
            if let (Some(rate), Some((pops, _))) = (src.per_inhabitant, &by_population) {
                // Each municipality pays rate × its population, to øre; the amount is the sum.
                let rate = input(ex, &RATE, s, rate)?;
                let mut parts = Vec::with_capacity(pops.len());
                for (k, pop) in pops.iter().enumerate() {
                    let (fig, part) = ex.derive_rounded(
                        &RATE_PART_EXACT,
                        Subj::two(party, towns[k].a),
                        Op::Product,
                        &[rate.clone(), pop.clone()],
                        ORE,
                        Step::Derived,
                    )?;
                    totals[k].push(fig.clone());
                    amounts[k] = crate::decimal::add(amounts[k], part).ok_or_else(|| {
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
                    parts.push(fig);
                }
                let amount = ex.derive(&RATE_AMOUNT, s, Op::Sum, &parts)?;
                sources.push(SourceResult {
                    label: src.label.clone(),
                    kind: src.kind,
                    amount: dec(&amount, P)?,
                    contributions,
                });
                figs.push(amount);
                continue;
            }
            let amount = input(ex, &SOURCE, s, src.amount.unwrap_or_default())?;
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
                            ws.push(input(ex, &WEIGHT, Subj::two(party, towns[k].a), w)?);
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
                    |k| Subj::two(party, towns[k].a),
                    &path,
                )?;
                for (k, (fig, part)) in parts.into_iter().enumerate() {
                    totals[k].push(fig);
                    amounts[k] = crate::decimal::add(amounts[k], part).ok_or_else(|| {
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
            sources.push(SourceResult {
                label: src.label.clone(),
                kind: src.kind,
                amount: dec(&amount, P)?,
                contributions,
            });
            figs.push(amount);
        }
        let total = ex.derive(&TOTAL, none, Op::Sum, &figs)?;
        if total.v > base.v {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                "base_funding.sources",
                format!(
                    "base funding of {} exceeds the cost base of {cost_base_dec}: the tariff \
                     would be negative",
                    dec(&total, P)?
                ),
                format!(
                    "Basisfinansieringen på {} kr. overstiger omkostningsgrundlaget på {} kr., \
                     så taksten ville blive negativ.",
                    crate::danish::number(dec(&total, P)?),
                    crate::danish::number(cost_base_dec)
                ),
            ));
        }
        if let Some(lines) = offer_funding {
            not_in_offer(&total, lines, warnings)?;
        }
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
        let (with, with_dec) = ex.round(&WITH, none, with_exact, rounding, Step::Published)?;

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
        let days_dec = dec(&days, P)?.normalize();
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
            cost_base: cost_base_dec,
            funding: dec(&total, P)?,
            tariff_base: dec(&tariff_base, P)?,
            expected_days: days_dec,
            day_tariff_without: without,
            day_tariff: with_dec,
            sources,
            municipalities,
            revenue: dec(&revenue, P)?,
            residue: dec(&residue, P)?,
            chained,
        })
    }
}

/// Warns when the base funding taken with the offer's cost base is not the funding the
/// offer's tariffs are computed with (its cost lines of category `base_funding`, `lines`,
/// negative; none: 0): the section's `day_tariff` is then not the tariff the offer publishes
/// and its courses are billed at.
fn not_in_offer(
    total: &Fig,
    lines: Option<&Fig>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let in_offer = match lines {
        Some(f) => f.v.checked_neg().ok_or_else(|| {
            Error::new(
                ErrorCode::Overflow,
                "base_funding.sources",
                "the offer's base funding is too large",
                "Tilbuddets basisfinansiering er for stor til at regne med.",
            )
        })?,
        None => Exact::from(0i64),
    };
    if in_offer == total.v {
        return Ok(());
    }
    let sources = dec(total, P)?.normalize();
    let (en, da) = if lines.is_none() {
        (
            "the offer has no cost lines of category base_funding, so its tariffs, and the \
             courses billed at them, are computed without this funding"
                .to_string(),
            "tilbuddet har ingen omkostningslinjer af kategorien base_funding, så dets takster, \
             og de forløb, der afregnes efter dem, er beregnet uden denne finansiering"
                .to_string(),
        )
    } else {
        let offer = in_offer
            .decimal_with_scale(2)
            .unwrap_or_default()
            .normalize();
        (
            format!(
                "the offer's cost lines of category base_funding total {offer} kr, and its \
                 tariffs, and the courses billed at them, are computed with that"
            ),
            format!(
                "tilbuddets omkostningslinjer af kategorien base_funding giver {} kr., og dets \
                 takster, og de forløb, der afregnes efter dem, er beregnet med det beløb",
                crate::danish::number(offer)
            ),
        )
    };
    warnings.push(Warning::new(
        WarningCode::BaseFundingNotInOffer,
        "base_funding.sources",
        format!(
            "the sources total {sources} kr, but {en}: the section's day_tariff is not the offer's"
        ),
        format!(
            "Kilderne giver i alt {} kr., men {da}: afsnittets takst pr. dag er ikke tilbuddets.",
            crate::danish::number(sources)
        ),
    ));
    Ok(())
}
