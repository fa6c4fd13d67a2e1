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
//! | `{w}` | the day word of the request's first sheet (the offer's, in a request with one), `døgn` or `dag` |
//! | `{bw}`, `{sw}`, `{ow}`, `{pw}`, `{tw}` | the day word of sheet b, of service a's sheet, of add-on a's, of part-time row a's, of derived tariff a's |
//! | `{m}` | party a: a municipality, partner, funding source, case or product (its name; a product's id) |
//! | `{mb}` | party b: a product's name, where its id is party a |
//! | `{n}`, `{n1}`, `{nb}`, `{nym}`, `{nmn}` | a citizen's n-th course of a month or year (`b % 10000`, from 0 and from 1) and that month or year (`b / 10000`, as `{b}`, `{ym}`, `{mn}`; `course_subj` in `finance/buyer/desc.rs`) |
//! | `{u}`, `{ul}` | a usage level's place in its list (`b % 100`) and its text, party `b / 100` (`level_subj` in `finance/partnership/desc.rs`, at most 100 levels) |

use std::fmt::Write as _;

use super::{Subj, AVERAGE_TARGET};

/// A text kept in the tables' one buffer ([`Names::put`], [`Names::get`]): the names are
/// copied from the request into one `String`, not one allocation each (an offer's twenty
/// cost lines with their sources were forty `String`s made and freed per computation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    from: u32,
    to: u32,
}

/// A service (or add-on) of a sheet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    pub id: Span,
    pub name: Span,
    pub sheet: u32,
    pub local: u32,
}

/// A part-time row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PartTimeName {
    pub days: u32,
    /// A catalogue row's service: (id, name).
    pub of: Option<(Span, Span)>,
    pub sheet: u32,
    pub local: u32,
}

/// A tariff sheet: an offer computed in the request, or a given catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SheetName {
    /// Prefix of its figures' keys ("" or `"sheet[1]."`).
    pub key_prefix: Span,
    /// Its place in the request (`offer`, `catalogue`, `catalogues[1]`).
    pub path_root: Span,
    /// Its stated source ("KKR 2026").
    pub source: Option<Span>,
    /// "døgn" for a residential offer's tariffs, "dag" for a day offer's.
    pub day_word: &'static str,
}

/// An invoice line, for its label: what it bills (the name its quote line shows, shared
/// with it) and its first and last day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LineName {
    pub what: std::sync::Arc<str>,
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
}

/// The name tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Names {
    /// The first sheet's day word (`{w}`): the offer's, in a request with one.
    pub day_word: &'static str,
    /// The texts the spans below refer to.
    text: String,
    pub services: Vec<Entry>,
    /// (label, source) per cost line.
    pub costs: Vec<(Span, Option<Span>)>,
    pub add_ons: Vec<Entry>,
    pub part_time: Vec<PartTimeName>,
    pub sheets: Vec<SheetName>,
    pub lines: Vec<LineName>,
    /// (key, label, sheet) of tariffs derived for courses (indexed, or a package priced from
    /// the scheme).
    pub tariffs: Vec<(String, String, u32)>,
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
    /// Room for a sheet's names before they are put one by one: its texts, and its services'
    /// and add-ons' entries (a hint: the tables grow past it as they must). Grown from empty,
    /// the text buffer was copied some eight times for one offer.
    pub fn reserve_sheet<'t>(
        &mut self,
        texts: impl Iterator<Item = &'t str>,
        services: usize,
        add_ons: usize,
    ) {
        self.text.reserve(texts.map(str::len).sum());
        self.services.reserve(services);
        self.add_ons.reserve(add_ons);
    }

    /// Keeps a text; its span in the buffer.
    pub fn put(&mut self, text: &str) -> Span {
        let from = self.text.len();
        self.text.push_str(text);
        // The buffer is bounded by the request's size limit, far below 4 GB; a span that
        // would not fit reads back empty rather than wrong.
        match (u32::try_from(from), u32::try_from(self.text.len())) {
            (Ok(from), Ok(to)) => Span { from, to },
            _ => Span::default(),
        }
    }

    /// A kept text.
    pub fn get(&self, span: Span) -> &str {
        self.text
            .get(span.from as usize..span.to as usize)
            .unwrap_or_default()
    }

    fn service(&self, i: usize) -> Option<&Entry> {
        self.services.get(i)
    }
    fn sheet_of(&self, sheet: u32) -> Option<&SheetName> {
        self.sheets.get(sheet as usize)
    }
}

/// A piece of a template: text to copy, or a blank's name (between `{` and `}`).
pub(super) enum Piece<'t> {
    Text(&'t str),
    Blank(&'t str),
}

/// The pieces of a template in order; a `{` without its `}` is text.
pub(super) fn pieces(template: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A byte search: '{' and '}' are ASCII, so their positions are char boundaries.
        let (piece, next) = match memchr::memchr(b'{', rest.as_bytes()) {
            Some(0) => match memchr::memchr(b'}', &rest.as_bytes()[1..]) {
                Some(close) => (Piece::Blank(&rest[1..=close]), &rest[close + 2..]),
                None => (Piece::Text(rest), ""),
            },
            Some(open) => (Piece::Text(&rest[..open]), &rest[open..]),
            None => (Piece::Text(rest), ""),
        };
        rest = next;
        Some(piece)
    })
}

/// Fills the blanks of a template (see the module's table). A blank without a name (a path
/// rendered for an error, before names are kept) is filled with the index. Names are copied
/// straight into `out`: nothing is allocated or formatted per blank.
pub(crate) fn fill(template: &str, s: Subj, names: &Names, out: &mut String) {
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Blank(name) => {
                if !blank(name, s, names, out) {
                    crate::digits::push_int(out, u64::from(s.a));
                }
            }
        }
    }
}

/// A blank of a subject whose `b` packs a month's or year's code and a count as code ×
/// `unit` + count: `form` "" is the count (from 0, as a key's place), "1" the count from 1
/// (as a label's), "b" the code, "ym" and "mn" the code as a month.
fn packed(form: &str, s: Subj, unit: u32, names: &Names, out: &mut String) -> bool {
    let (code, count) = (s.b / unit, s.b % unit);
    match form {
        "" | "1" | "b" => {
            let v = if form == "b" {
                code
            } else {
                count + u32::from(form == "1")
            };
            crate::digits::push_int(out, u64::from(v));
            true
        }
        "ym" | "mn" => self::blank(form, Subj { a: s.a, b: code }, names, out),
        _ => false,
    }
}

/// Writes one blank's name; `false` when there is none.
pub(super) fn blank(blank: &str, s: Subj, names: &Names, out: &mut String) -> bool {
    let (a, b) = (s.a as usize, s.b as usize);
    let service = || names.service(a);
    let add_on = || names.add_ons.get(a);
    let part = || names.part_time.get(a);
    let sheet = |of: Option<u32>, path: bool| {
        of.and_then(|k| names.sheet_of(k)).map(|sh| {
            if path {
                names.get(sh.path_root)
            } else {
                names.get(sh.key_prefix)
            }
        })
    };
    let word = |of: Option<u32>| {
        of.and_then(|k| names.sheet_of(k))
            .map_or(names.day_word, |sh| sh.day_word)
    };
    let target = |name: bool| {
        if s.b == AVERAGE_TARGET {
            Some(if name { "Gennemsnitstakst" } else { "average" })
        } else {
            names
                .service(b)
                .map(|e| names.get(if name { e.name } else { e.id }))
        }
    };
    let number = |v: u64, out: &mut String| {
        crate::digits::push_int(out, v);
        true
    };
    let text: Option<&str> = match blank {
        "a" => return number(u64::from(s.a), out),
        "b" => return number(u64::from(s.b), out),
        "a1" => return number(u64::from(s.a) + 1, out),
        "s" => service().map(|e| names.get(e.id)),
        "S" => service().map(|e| names.get(e.name)),
        "si" => return service().is_some_and(|e| number(u64::from(e.local), out)),
        "sk" => sheet(service().map(|e| e.sheet), false),
        "sr" => sheet(service().map(|e| e.sheet), true),
        "t" => target(false),
        "T" => target(true),
        "c" => names.costs.get(a).map(|(label, _)| names.get(*label)),
        "o" => add_on().map(|e| names.get(e.id)),
        "O" => add_on().map(|e| names.get(e.name)),
        "oi" => return add_on().is_some_and(|e| number(u64::from(e.local), out)),
        "ok" => sheet(add_on().map(|e| e.sheet), false),
        "or" => sheet(add_on().map(|e| e.sheet), true),
        "p" => return part().is_some_and(|p| number(u64::from(p.days), out)),
        "pt" => part().and_then(|p| p.of).map(|(id, _)| names.get(id)),
        "pT" => part().and_then(|p| p.of).map(|(_, name)| names.get(name)),
        "pi" => return part().is_some_and(|p| number(u64::from(p.local), out)),
        "pk" => sheet(part().map(|p| p.sheet), false),
        "pr" => sheet(part().map(|p| p.sheet), true),
        "bk" => sheet(Some(s.b), false),
        "br" => sheet(Some(s.b), true),
        // A bracket's figure of a month or a year: `b` is the month's or year's code times
        // 100 plus the bracket (`bracket_subj` in `finance/buyer/sel176.rs`, at most 100
        // brackets); a citizen's course's, the code times 10,000 plus the course
        // (`course_subj` in `finance/buyer/desc.rs`).
        "k" | "k1" | "kb" | "kym" | "kmn" => return packed(&blank[1..], s, 100, names, out),
        "n" | "n1" | "nb" | "nym" | "nmn" => return packed(&blank[1..], s, 10_000, names, out),
        "ym" => {
            let (year, month) = (b / 100, b % 100);
            if (1000..=9999).contains(&year) && month < 100 {
                // "2026-03": the same bytes as `{year:04}-{month:02}`.
                crate::digits::push_int(out, year as u64);
                out.push('-');
                out.push(char::from(b'0' + (month / 10) as u8));
                out.push(char::from(b'0' + (month % 10) as u8));
            } else {
                let _ = write!(out, "{year:04}-{month:02}");
            }
            return true;
        }
        "mn" => {
            crate::danish::push_month(out, b / 100, b % 100);
            return true;
        }
        "l" => {
            return names.lines.get(b).is_some_and(|l| {
                describe_line(l, out);
                true
            })
        }
        "tk" => names.tariffs.get(a).map(|(key, _, _)| key.as_str()),
        "tl" => names.tariffs.get(a).map(|(_, label, _)| label.as_str()),
        "w" => Some(names.day_word),
        // The day word of the sheet a figure is of (the first sheet's when it has none).
        "bw" => Some(word(Some(s.b))),
        "sw" => Some(word(service().map(|e| e.sheet))),
        "ow" => Some(word(add_on().map(|e| e.sheet))),
        "pw" => Some(word(part().map(|p| p.sheet))),
        "tw" => Some(word(names.tariffs.get(a).map(|t| t.2))),
        "m" => names.parties.get(a).map(String::as_str),
        "mb" => names.parties.get(b).map(String::as_str),
        "u" => return number((b % 100) as u64, out),
        "ul" => names.parties.get(b / 100).map(String::as_str),
        _ => None,
    };
    match text {
        Some(t) => {
            out.push_str(t);
            true
        }
        None => false,
    }
}

/// An invoice line in words, for the `{l}` blank: what it bills and its period
/// ("Udredningsmodul, 15. marts 2026 – 31. marts 2026"), written at the end of `out`.
fn describe_line(l: &LineName, out: &mut String) {
    out.push_str(&l.what);
    if let (Some(from), Some(to)) = (l.from, l.to) {
        out.push_str(", ");
        crate::danish::push_date(out, from);
        out.push_str(" – ");
        crate::danish::push_date(out, to);
    }
}
