//! What each figure of a partnership is: the descriptions of its nodes in the explanation,
//! and the subject that names a usage level.

use rust_decimal::Decimal;

use crate::explain::{Desc, Explanation, Unit};
use crate::finance::desc;

pub(super) const P: &str = "partnership";
pub(super) const BASE: Desc = desc(
    "partnership.financing_base",
    "Finansieringsgrundlag",
    Unit::Kr,
    "",
    None,
    "partnership.financing_base",
);
pub(super) const BASE_CHAINED: Desc = desc(
    "partnership.financing_base",
    "Finansieringsgrundlag",
    Unit::Kr,
    "overført fra tilbuddets takstgrundlag i samme beregning",
    Some("kæden: tilbud → partnerskab"),
    "offer.costs",
);
pub(super) const DAYS_CHAINED: Desc = desc(
    "partnership.expected_days",
    "Forventede dage i alt",
    Unit::Days,
    "overført fra tilbuddets forventede belægningsdage i samme beregning",
    Some("kæden: tilbud → partnerskab"),
    "offer.capacity",
);
pub(super) const DAYS: Desc = desc(
    "partnership.expected_days",
    "Forventede dage i alt",
    Unit::Days,
    "",
    None,
    "partnership.expected_days",
);
pub(super) const FULL_EXACT: Desc = desc(
    "partnership.full_tariff.exact",
    "Fuld takst pr. dag, eksakt",
    Unit::KrPerDay,
    "finansieringsgrundlag ÷ forventede dage i alt",
    None,
    "partnership.expected_days",
);
pub(super) const FULL: Desc = desc(
    "partnership.full_tariff",
    "Fuld takst pr. dag (ikke-partnere)",
    Unit::KrPerDay,
    "den eksakte fulde takst, afrundet",
    None,
    "partnership.rounding",
);
pub(super) const SHARE_PCT: Desc = desc(
    "partnership.fixed_share_pct",
    "Partnernes faste andel, pct.",
    Unit::Percent,
    "",
    Some("partnerskabsaftalen"),
    "partnership.fixed_share_pct",
);
pub(super) const FIXED_EXACT: Desc = desc(
    "partnership.fixed_payment.exact",
    "Fast betaling fra partnerne, eksakt",
    Unit::Kr,
    "finansieringsgrundlag × fast andel",
    Some("partnerskabsaftalen"),
    "partnership.fixed_share_pct",
);
pub(super) const FIXED: Desc = desc(
    "partnership.fixed_payment",
    "Fast betaling fra partnerne",
    Unit::Kr,
    "den eksakte faste betaling, rundet til hele øre",
    None,
    "partnership.fixed_share_pct",
);
pub(super) const PARTNER_DAYS: Desc = desc(
    "partnership.partner.{m}.expected_days",
    "Forventede dage, {m}",
    Unit::Days,
    "",
    None,
    "partnership.partners",
);
pub(super) const KEY: Desc = desc(
    "partnership.partner.{m}.key",
    "Fordelingsnøgle, {m}",
    Unit::Number,
    "",
    Some("partnerskabsaftalen"),
    "partnership.partners",
);
pub(super) const PARTNER_DAYS_SUM: Desc = desc(
    "partnership.partner_days",
    "Partnernes forventede dage i alt",
    Unit::Days,
    "summen af partnernes forventede dage",
    None,
    "partnership.partners",
);
pub(super) const KEY_SUM: Desc = desc(
    "partnership.key_sum",
    "Fordelingsnøglen i alt",
    Unit::Number,
    "summen af partnernes vægte",
    None,
    "partnership.partners",
);
pub(super) const PER_DAY: Desc = desc(
    "partnership.fixed_per_partner_day",
    "Fast betaling pr. forventet partnerdag",
    Unit::KrPerDay,
    "den faste betaling, som partnerne betaler (til øre), ÷ partnernes forventede dage",
    None,
    "partnership.partners",
);
pub(super) const PARTNER_EXACT: Desc = desc(
    "partnership.partner_tariff.exact",
    "Partnertakst pr. dag, eksakt",
    Unit::KrPerDay,
    "eksakt fuld takst − fast betaling pr. forventet partnerdag",
    Some("partnerskabsmodellen (MultifunC)"),
    "partnership.partners",
);
pub(super) const PARTNER_TARIFF: Desc = desc(
    "partnership.partner_tariff",
    "Partnertakst pr. dag",
    Unit::KrPerDay,
    "den eksakte partnertakst, afrundet",
    None,
    "partnership.rounding",
);
pub(super) const NON_PARTNER_DAYS: Desc = desc(
    "partnership.non_partner_days",
    "Ikke-partneres forventede dage",
    Unit::Days,
    "forventede dage i alt − partnernes forventede dage",
    None,
    "partnership.partners",
);
split_descs!(
    pub(super) CONTRIBUTION,
    "partnership.partner.{m}.contribution",
    "Fast bidrag, {m}",
    "partnership.partners"
);
pub(super) const GAP: Desc = desc(
    "partnership.tariff_gap",
    "Forskel mellem fuld takst og partnertakst",
    Unit::KrPerDay,
    "fuld takst − partnertakst",
    None,
    "partnership.partners",
);
pub(super) const BREAK_EVEN: Desc = desc(
    "partnership.partner.{m}.break_even_days",
    "Break-even, dage, {m}",
    Unit::Days,
    "fast bidrag ÷ (fuld takst − partnertakst), rundet til 0,01 dag",
    None,
    "partnership.partners",
);
pub(super) const LEVEL: Desc = desc(
    "partnership.usage[{u}].pct",
    "Forbrugsniveau {ul} af forventede dage",
    Unit::Percent,
    "",
    None,
    "partnership.usage_pct",
);
pub(super) const LEVEL_DAYS: Desc = desc(
    "partnership.partner.{m}.usage[{u}].days",
    "Dage ved forbrug på {ul}, {m}",
    Unit::Days,
    "forventede dage × forbrug i pct.",
    None,
    "partnership.usage_pct",
);
pub(super) const LEVEL_TARIFF: Desc = desc(
    "partnership.partner.{m}.usage[{u}].tariff_payments",
    "Betaling efter partnertakst ved forbrug på {ul}, {m}",
    Unit::Kr,
    "dage × partnertakst, rundet til hele øre",
    None,
    "partnership.usage_pct",
);
pub(super) const LEVEL_COST: Desc = desc(
    "partnership.partner.{m}.usage[{u}].as_partner",
    "Udgift som partner ved forbrug på {ul}, {m}",
    Unit::Kr,
    "fast bidrag + betaling efter partnertakst",
    None,
    "partnership.usage_pct",
);
pub(super) const LEVEL_FULL: Desc = desc(
    "partnership.partner.{m}.usage[{u}].as_non_partner",
    "Udgift til fuld takst ved forbrug på {ul}, {m}",
    Unit::Kr,
    "dage × fuld takst, rundet til hele øre",
    None,
    "partnership.usage_pct",
);
pub(super) const LEVEL_SAVING: Desc = desc(
    "partnership.partner.{m}.usage[{u}].saving",
    "Besparelse ved partnerskab ved forbrug på {ul}, {m}",
    Unit::Kr,
    "udgift til fuld takst − udgift som partner",
    None,
    "partnership.usage_pct",
);
pub(super) const REV_PARTNERS: Desc = desc(
    "partnership.revenue.partner_tariff",
    "Indtægt efter partnertakst ved forventede dage",
    Unit::Kr,
    "partnernes forventede dage × partnertakst, rundet til hele øre",
    None,
    "partnership",
);
pub(super) const REV_OTHERS: Desc = desc(
    "partnership.revenue.full_tariff",
    "Indtægt efter fuld takst ved forventede dage",
    Unit::Kr,
    "ikke-partneres forventede dage × fuld takst, rundet til hele øre",
    None,
    "partnership",
);
pub(super) const REVENUE: Desc = desc(
    "partnership.revenue",
    "Indtægt i alt ved forventede dage",
    Unit::Kr,
    "fast betaling + indtægt efter partnertakst + indtægt efter fuld takst",
    None,
    "partnership",
);
pub(super) const RESIDUE: Desc = desc(
    "partnership.residue",
    "Afrundingsrest",
    Unit::Kr,
    "indtægt i alt − finansieringsgrundlag",
    None,
    "partnership",
);

/// The subject's `b` of usage level `l` (at most 100 levels, checked): its place and, for
/// the labels, a party named by its percentage ("87,5 %"), so that a level keeps its figures
/// when another level is put before it (a scenario pairs figures by key and label).
pub(super) fn level_subj(ex: &mut Explanation, l: usize, pct: Decimal) -> u32 {
    // The level's value, not its writing: 100 and 100.0 are one level.
    let party = ex.party(|| format!("{} %", crate::danish::number(pct.normalize())));
    // A request's size limit keeps its parties far below u32::MAX / 100.
    u32::try_from(party)
        .unwrap_or(u32::MAX)
        .saturating_mul(100)
        .saturating_add(l as u32)
}
