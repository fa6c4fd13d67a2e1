//! What each figure of base funding is: the descriptions of its nodes in the explanation.

use crate::explain::{Desc, Unit};
use crate::finance::desc;

pub(super) const P: &str = "base_funding";
pub(super) const COST_BASE: Desc = desc(
    "funding.cost_base",
    "Takstgrundlag før basisfinansiering",
    Unit::Kr,
    "",
    None,
    "base_funding.cost_base",
);
pub(super) const COST_BASE_CHAINED: Desc = desc(
    "funding.cost_base",
    "Takstgrundlag før basisfinansiering",
    Unit::Kr,
    "overført fra tilbuddets takstgrundlag i samme beregning",
    Some("kæden: tilbud → basisfinansiering"),
    "offer.costs",
);
pub(super) const COST_BASE_BEFORE_OFFER_FUNDING: Desc = desc(
    "funding.cost_base",
    "Takstgrundlag før basisfinansiering",
    Unit::Kr,
    "tilbuddets takstgrundlag + dets fradrag for basisfinansiering (omkostningslinjer af \
     kategorien base_funding), overført i samme beregning",
    Some("kæden: tilbud → basisfinansiering"),
    "offer.costs",
);
pub(super) const DAYS_CHAINED: Desc = desc(
    "funding.expected_days",
    "Forventede dage",
    Unit::Days,
    "overført fra tilbuddets forventede belægningsdage i samme beregning",
    Some("kæden: tilbud → basisfinansiering"),
    "offer.capacity",
);
pub(super) const RATE: Desc = desc(
    "funding.source.{m}.per_inhabitant",
    "Takst pr. indbygger, {m}",
    Unit::Kr,
    "",
    Some("objektiv finansiering"),
    "base_funding.sources",
);
pub(super) const RATE_PART_EXACT: Desc = desc(
    "funding.source.{m}.part.{mb}",
    "Andel af {m}, {mb}",
    Unit::Kr,
    "takst pr. indbygger × kommunens indbyggertal, afrundet til øre",
    Some("objektiv finansiering"),
    "base_funding.sources",
);
pub(super) const RATE_AMOUNT: Desc = desc(
    "funding.source.{m}",
    "Basisfinansiering: {m}",
    Unit::Kr,
    "summen af kommunernes andele (takst pr. indbygger × indbyggertal)",
    Some("objektiv finansiering"),
    "base_funding.sources",
);
pub(super) const DAYS: Desc = desc(
    "funding.expected_days",
    "Forventede dage",
    Unit::Days,
    "",
    None,
    "base_funding.expected_days",
);
pub(super) const SOURCE: Desc = desc(
    "funding.source.{m}",
    "Basisfinansiering: {m}",
    Unit::Kr,
    "",
    None,
    "base_funding.sources",
);
pub(super) const TOTAL: Desc = desc(
    "funding.total",
    "Basisfinansiering i alt",
    Unit::Kr,
    "summen af kilderne",
    None,
    "base_funding.sources",
);
pub(super) const TARIFF_BASE: Desc = desc(
    "funding.tariff_base",
    "Takstgrundlag efter basisfinansiering",
    Unit::Kr,
    "takstgrundlag − basisfinansiering",
    Some("basisøkonomi / objektiv finansiering"),
    "base_funding.sources",
);
pub(super) const WITHOUT_EXACT: Desc = desc(
    "funding.day_tariff_without.exact",
    "Dagtakst uden basisfinansiering, eksakt",
    Unit::KrPerDay,
    "takstgrundlag ÷ forventede dage",
    None,
    "base_funding.expected_days",
);
pub(super) const WITHOUT: Desc = desc(
    "funding.day_tariff_without",
    "Dagtakst uden basisfinansiering",
    Unit::KrPerDay,
    "afrundet",
    None,
    "base_funding.rounding",
);
pub(super) const WITH_EXACT: Desc = desc(
    "funding.day_tariff.exact",
    "Dagtakst med basisfinansiering, eksakt",
    Unit::KrPerDay,
    "takstgrundlag efter basisfinansiering ÷ forventede dage",
    None,
    "base_funding.expected_days",
);
pub(super) const WITH: Desc = desc(
    "funding.day_tariff",
    "Dagtakst med basisfinansiering",
    Unit::KrPerDay,
    "afrundet",
    None,
    "base_funding.rounding",
);
pub(super) const POPULATION: Desc = desc(
    "funding.municipality.{m}.population",
    "Indbyggertal, {m}",
    Unit::Citizens,
    "",
    None,
    "base_funding.municipalities",
);
pub(super) const POPULATION_SUM: Desc = desc(
    "funding.population",
    "Indbyggertal i alt",
    Unit::Citizens,
    "summen af kommunernes indbyggertal",
    None,
    "base_funding.municipalities",
);
pub(super) const WEIGHT: Desc = desc(
    "funding.source.{m}.key.{mb}",
    "Fordelingsnøgle for {m}, vægt for {mb}",
    Unit::Number,
    "",
    Some("aftalt fordelingsnøgle"),
    "base_funding.sources",
);
pub(super) const WEIGHT_SUM: Desc = desc(
    "funding.source.{m}.key_sum",
    "Fordelingsnøglen i alt, {m}",
    Unit::Number,
    "summen af vægtene",
    None,
    "base_funding.sources",
);
split_descs!(
    pub(super) PART,
    "funding.source.{m}.part.{mb}",
    "Andel af {m}, {mb}",
    "base_funding.sources"
);
pub(super) const MUNICIPALITY_TOTAL: Desc = desc(
    "funding.municipality.{m}.total",
    "Basisfinansiering i alt, {m}",
    Unit::Kr,
    "summen af kommunens andele",
    None,
    "base_funding.sources",
);
pub(super) const REV_TARIFF: Desc = desc(
    "funding.revenue.tariff",
    "Takstindtægt ved forventede dage",
    Unit::Kr,
    "forventede dage × dagtakst, rundet til hele øre",
    None,
    "base_funding",
);
pub(super) const REVENUE: Desc = desc(
    "funding.revenue",
    "Finansiering i alt",
    Unit::Kr,
    "basisfinansiering + takstindtægt",
    None,
    "base_funding",
);
pub(super) const RESIDUE: Desc = desc(
    "funding.residue",
    "Afrundingsrest",
    Unit::Kr,
    "finansiering i alt − takstgrundlag",
    None,
    "base_funding",
);
