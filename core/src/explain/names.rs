//! The names that fill the blanks of the nodes' templates.
//!
//! A node stores a `&'static` [`Desc`](super::Desc) and two indices; the strings its key,
//! label and path need are looked up here when the node is rendered. The tables are copied
//! from the request once per computation, and only when the graph is kept. Entries from
//! several tariff sheets (an offer and catalogues of other years) share one table each; an
//! entry knows its sheet, and the sheet gives the key prefix and request path.
//!
//! | blank | filled with |
//! |---|---|
//! | `{a}`, `{b}` | the indices themselves (`offer.costs[{a}]`) |
//! | `{a1}` | index a + 1 (a count from one) |
//! | `{s}`, `{S}` | id and name of service a |
//! | `{si}`, `{sk}`, `{sr}` | service a's index in its sheet, its sheet's key prefix and request path |
//! | `{t}`, `{T}` | id and name of service b, or `average` / `Gennemsnitstakst` |
//! | `{c}` | the label of cost line a |
//! | `{o}`, `{O}`, `{oi}`, `{ok}`, `{or}` | add-on a: id, name, index in its sheet, key prefix, path |
//! | `{p}` | days per week of part-time row a |
//! | `{pt}`, `{pT}`, `{pi}`, `{pk}`, `{pr}` | part-time row a of a catalogue: its service id and name, index, key prefix, path |
//! | `{bk}`, `{br}` | sheet b's key prefix and request path |
//! | `{ym}` | b as a month `yyyymm`, written `2026-03` (for keys) |
//! | `{mn}` | the same month in Danish words, `marts 2026` (for labels) |
//! | `{l}` | invoice line b, described |
//! | `{tk}`, `{tl}` | key and label of derived tariff a (indexed, or a package from the scheme) |
//! | `{w}` | the day word, `døgn` or `dag` |
//! | `{m}` | party a: a municipality, partner, funding source, case or product (its name) |

use std::fmt::Write as _;

use super::{Subj, AVERAGE_TARGET};

/// A service (or add-on) of a sheet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    pub id: String,
    pub name: String,
    pub sheet: u32,
    pub local: u32,
}

/// A part-time row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PartTimeName {
    pub days: u32,
    /// A catalogue row's service: (id, name).
    pub of: Option<(String, String)>,
    pub sheet: u32,
    pub local: u32,
}

/// A tariff sheet: an offer computed in the request, or a given catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SheetName {
    /// Prefix of its figures' keys ("" or `"sheet[1]."`).
    pub key_prefix: String,
    /// Its place in the request (`offer`, `catalogue`, `catalogues[1]`).
    pub path_root: String,
    /// Its stated source ("KKR 2026").
    pub source: Option<String>,
}

/// An invoice line, for its label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LineName {
    pub what: String,
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
}

/// The name tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Names {
    pub day_word: &'static str,
    pub services: Vec<Entry>,
    /// (label, source) per cost line.
    pub costs: Vec<(String, Option<String>)>,
    pub add_ons: Vec<Entry>,
    pub part_time: Vec<PartTimeName>,
    pub sheets: Vec<SheetName>,
    pub lines: Vec<LineName>,
    /// (key, label) of tariffs derived for courses (indexed, or a package priced from the
    /// scheme).
    pub tariffs: Vec<(String, String)>,
    /// Parties of the financing models, for `{m}`.
    pub parties: Vec<String>,
}

/// Where a sheet's entries start in the shared tables (counted whether or not the names
/// are kept, so that indices are the same either way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SheetBase {
    pub sheet: u32,
    pub services: u32,
    pub add_ons: u32,
    pub part_time: u32,
}

impl Names {
    fn service(&self, i: usize) -> Option<&Entry> {
        self.services.get(i)
    }
    fn sheet_of(&self, sheet: u32) -> Option<&SheetName> {
        self.sheets.get(sheet as usize)
    }
}

/// Fills the blanks of a template (see the module's table). A blank without a name (a path
/// rendered for an error, before names are kept) is filled with the index.
pub(crate) fn fill(template: &str, s: Subj, names: &Names, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return;
        };
        let blank = &after[..close];
        let (a, b) = (s.a as usize, s.b as usize);
        let service = names.service(a);
        let add_on = names.add_ons.get(a);
        let part = names.part_time.get(a);
        let target = |second: bool| -> Option<String> {
            if s.b == AVERAGE_TARGET {
                Some(
                    if second {
                        "Gennemsnitstakst"
                    } else {
                        "average"
                    }
                    .to_string(),
                )
            } else {
                names
                    .service(b)
                    .map(|e| if second { e.name.clone() } else { e.id.clone() })
            }
        };
        let sheet = |of: Option<u32>, path: bool| {
            of.and_then(|k| names.sheet_of(k)).map(|sh| {
                if path {
                    sh.path_root.clone()
                } else {
                    sh.key_prefix.clone()
                }
            })
        };
        let text: Option<String> = match blank {
            "a" => Some(a.to_string()),
            "b" => Some(b.to_string()),
            "a1" => Some((a + 1).to_string()),
            "s" => service.map(|e| e.id.clone()),
            "S" => service.map(|e| e.name.clone()),
            "si" => service.map(|e| e.local.to_string()),
            "sk" => sheet(service.map(|e| e.sheet), false),
            "sr" => sheet(service.map(|e| e.sheet), true),
            "t" => target(false),
            "T" => target(true),
            "c" => names.costs.get(a).map(|(label, _)| label.clone()),
            "o" => add_on.map(|e| e.id.clone()),
            "O" => add_on.map(|e| e.name.clone()),
            "oi" => add_on.map(|e| e.local.to_string()),
            "ok" => sheet(add_on.map(|e| e.sheet), false),
            "or" => sheet(add_on.map(|e| e.sheet), true),
            "p" => part.map(|p| p.days.to_string()),
            "pt" => part.and_then(|p| p.of.as_ref()).map(|(id, _)| id.clone()),
            "pT" => part
                .and_then(|p| p.of.as_ref())
                .map(|(_, name)| name.clone()),
            "pi" => part.map(|p| p.local.to_string()),
            "pk" => sheet(part.map(|p| p.sheet), false),
            "pr" => sheet(part.map(|p| p.sheet), true),
            "bk" => sheet(Some(s.b), false),
            "br" => sheet(Some(s.b), true),
            "ym" => Some(format!("{:04}-{:02}", b / 100, b % 100)),
            "mn" => Some(crate::danish::month(b / 100, b % 100)),
            "l" => names.lines.get(b).map(describe_line),
            "tk" => names.tariffs.get(a).map(|(key, _)| key.clone()),
            "tl" => names.tariffs.get(a).map(|(_, label)| label.clone()),
            "w" => Some(names.day_word.to_string()),
            "m" => names.parties.get(a).cloned(),
            _ => None,
        };
        match text {
            Some(t) => out.push_str(&t),
            None => {
                let _ = write!(out, "{a}");
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
}

fn describe_line(l: &LineName) -> String {
    let date = crate::danish::date;
    match (l.from, l.to) {
        (Some(f), Some(t)) => format!("{}, {} – {}", l.what, date(f), date(t)),
        _ => l.what.clone(),
    }
}
