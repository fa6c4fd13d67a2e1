//! What each figure of the buyer's net cost is: the descriptions of its nodes in the
//! explanation, and the subject of a citizen's course.

use crate::explain::{Desc, Subj, Unit};
use crate::finance::desc;

// Keyed by the cost's place in `buyer.costs`: a citizen may have several costs in a year.
pub(super) const GROSS_PART: Desc = desc(
    "buyer.costs[{a}]",
    "Udgift, {mb} (udgift nr. {a1})",
    Unit::Kr,
    "",
    None,
    "buyer.costs[{a}].amount",
);
/// The most courses of one citizen in one year that the buyer's statement takes (their
/// count is in their figures' subjects: [`course_subj`]).
pub(super) const MAX_COURSES_A_YEAR: usize = 10_000;

/// The subject of a citizen's `n`-th course (from 0, in the order of `courses`) in the
/// month or year of `s` (its `b`: a month's code, 202601, or a year), read back by the
/// `{n}`, `{n1}`, `{nb}`, `{nym}` and `{nmn}` blanks: the code × 10,000 + n. Years are at
/// most 2200 and n below [`MAX_COURSES_A_YEAR`], so the code stays below 2.3 × 10^9.
pub(super) fn course_subj(s: Subj, n: usize) -> Subj {
    Subj {
        a: s.a,
        b: s.b.saturating_mul(10_000).saturating_add(n as u32),
    }
}

// A citizen may have several courses in a year: each its own figure.
pub(super) const COURSE_PART: Desc = desc(
    "buyer.{m}.{nb}.course[{n}]",
    "Forløbets pris, {m}, {nb} (forløb {n1})",
    Unit::Kr,
    "forløbets beløb for året (se forløbets tilbud)",
    None,
    "courses",
);
pub(super) const GROSS: Desc = desc(
    "buyer.{m}.{b}.gross",
    "Bruttoudgift, {m}, {b}",
    Unit::Kr,
    "summen af udgifterne til borgeren i året",
    None,
    "buyer",
);
pub(super) const VAT_PCT: Desc = desc(
    "buyer.vat_bearing_pct",
    "Momsbærende andel, pct.",
    Unit::Percent,
    "",
    None,
    "buyer.vat_bearing_pct",
);
pub(super) const VAT_FRACTION: Desc = desc(
    "buyer.vat_fraction",
    "Momsbrøk 25/125",
    Unit::Ratio,
    "moms på 25 % udgør 25/125 af en pris med moms",
    Some("momskompensation, indirekte momsrefusion"),
    "buyer",
);
pub(super) const VAT_BASE: Desc = desc(
    "buyer.{m}.{b}.vat_bearing",
    "Momsbærende del af prisen, {m}, {b}",
    Unit::Kr,
    "bruttoudgift × momsbærende andel",
    None,
    "buyer.vat_bearing_pct",
);
pub(super) const VAT_REFUND_EXACT: Desc = desc(
    "buyer.{m}.{b}.vat_refund.exact",
    "Indirekte momsrefusion før afrunding, {m}, {b}",
    Unit::Kr,
    "momsbærende del × 25/125",
    Some("indirekte momsrefusion ved køb hos private leverandører"),
    "buyer",
);
pub(super) const VAT_REFUND: Desc = desc(
    "buyer.{m}.{b}.vat_refund",
    "Indirekte momsrefusion, {m}, {b}",
    Unit::Kr,
    "momsrefusionen afrundet",
    Some("BEK 891/2025 § 10: afrundes til hele kroner"),
    "buyer.vat_rounding",
);
pub(super) const TWELVE: Desc = desc(
    "const.months",
    "Måneder i et år",
    Unit::Number,
    "fast værdi",
    None,
    "buyer",
);
pub(super) const MONTH_COURSE: Desc = desc(
    "buyer.{m}.{nym}.course[{n}]",
    "Forløbets pris i {nmn}, {m} (forløb {n1})",
    Unit::Kr,
    "forløbets beløb for måneden (se forløbets tilbud)",
    None,
    "courses",
);
// Keyed by the cost's place in `buyer.costs` (a citizen may have several costs in a year)
// and the month.
pub(super) const MONTH_SPREAD: Desc = desc(
    "buyer.costs[{a}].{ym}",
    "Udgift nr. {a1} fordelt på {mn}",
    Unit::Kr,
    "årets udgift ÷ 12",
    Some("BEK 1485/2023 § 3, stk. 4: enkeltstående udgifter fordeles ligeligt på årets 12 måneder"),
    "buyer.costs[{a}].amount",
);
pub(super) const MONTH_GROSS: Desc = desc(
    "buyer.{m}.{ym}.gross",
    "Udgift i {mn}, {m}",
    Unit::Kr,
    "summen af månedens udgifter til borgeren",
    None,
    "buyer",
);
pub(super) const MONTH_VAT_BASE: Desc = desc(
    "buyer.{m}.{ym}.vat_bearing",
    "Momsbærende del af månedens udgift, {mn}, {m}",
    Unit::Kr,
    "månedens udgift × momsbærende andel",
    None,
    "buyer.vat_bearing_pct",
);
pub(super) const MONTH_VAT: Desc = desc(
    "buyer.{m}.{ym}.vat_refund",
    "Momsrefusion i {mn}, {m}",
    Unit::Kr,
    "månedens udgift × momsbærende andel × 25/125",
    Some("indirekte momsrefusion ved køb hos private leverandører"),
    "buyer",
);
pub(super) const MONTH_NET_OF_VAT: Desc = desc(
    "buyer.{m}.{ym}.net_of_vat",
    "Udgift efter momsrefusion i {mn}, {m}",
    Unit::Kr,
    "månedens udgift − månedens momsrefusion",
    None,
    "buyer",
);
pub(super) const NET_OF_VAT: Desc = desc(
    "buyer.{m}.{b}.net_of_vat",
    "Udgift efter momsrefusion, {m}, {b}",
    Unit::Kr,
    "bruttoudgift − momsrefusion",
    None,
    "buyer",
);
pub(super) const ZERO: Desc = desc("const.zero", "Nul", Unit::Kr, "fast værdi", None, "buyer");
pub(super) const NET: Desc = desc(
    "buyer.{m}.{b}.net",
    "Nettoudgift, {m}, {b}",
    Unit::Kr,
    "udgift efter momsrefusion − statsrefusion",
    None,
    "buyer",
);
