//! The explanation as it is written: a node table (format version 3; 2 had no `unit_da`).
//!
//! A node of the graph is its [`Desc`] (templates of its key, label, rule and path), its two
//! subject indices, its value, its inputs and its rounding. Written out in full, every node
//! repeated its rule, source, unit and operation as text and its key, label and path with
//! their blanks filled: some 290 bytes a node, five times the bytes of the quote it
//! explained. The table writes each kind of node once and each name once:
//!
//! - `kinds`: a node's kind is its description and operation (and whether its source is
//!   given by the request). A kind holds the key, label, Danish unit, rule, path and source
//!   as templates whose blanks are *positional*, `{0}`, `{1}`, …, plus the unit and
//!   operation;
//! - `texts`: every distinct text that fills a blank (an id, a name, a count, a line's
//!   period in words), once;
//! - `nodes`: per node its `kind`, the `args` that fill the kind's blanks (indices into
//!   `texts`, in the order of the positions), its `value` (and `value_approx`), `inputs` and
//!   `rounding`, exactly as before. A node's id is its position.
//!
//! Reading a node back is one generic rule, the same in every binding: each `{n}` of the
//! kind's templates is replaced by `texts[args[n]]`, and the node is the kind's fields with
//! the node's. Which name fills which blank stays in the core (`names.rs`): a reader only
//! substitutes text. `{n}` never occurs in a template's own text, and a text put into a blank
//! is never scanned again, so a name with braces in it comes back as given.

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

use super::names::{blank, pieces, Piece};
use super::node::INPUT_RULE;
use super::{Desc, Node, Op, Origin, Unit};

/// The format version of a written explanation.
pub(crate) const VERSION: u32 = 3;

/// One kind of node: a description and operation, and whether the request gives its source.
/// Its templates are made positional when written ([`Kind::templates`]).
#[derive(Clone, Copy)]
pub(super) struct Kind {
    desc: &'static Desc,
    pub op: Op,
    given: bool,
    /// The template of its Danish unit (`Desc::unit_da`, found once a kind).
    unit_da: &'static str,
}

impl Kind {
    pub fn unit(&self) -> Unit {
        self.desc.unit
    }

    /// Calls `each` with the name and positional text of the key, label, Danish unit, path
    /// (inputs only) and rule, in that order (the order their blanks are numbered in), then
    /// the source.
    pub fn templates(&self, scratch: &mut String, mut each: impl FnMut(&'static str, &str)) {
        let mut blanks = Blanks::default();
        let input = self.op == Op::Input;
        // (`blanks` None: a template without blanks, its text as it is.)
        let mut one = |name, template: &'static str, blanks: Option<&mut Blanks>| {
            scratch.clear();
            match blanks {
                Some(blanks) => positional(template, blanks, scratch),
                None => scratch.push_str(template),
            }
            each(name, scratch);
        };
        one("key", self.desc.key, Some(&mut blanks));
        one("label", self.desc.label, Some(&mut blanks));
        // Only a unit per day has a blank, its day word.
        let per_day = self.unit().per_day();
        one("unit_da", self.unit_da, per_day.then_some(&mut blanks));
        if input {
            one("path", self.desc.path, Some(&mut blanks));
            each("rule", INPUT_RULE);
        } else {
            one("rule", self.desc.rule, Some(&mut blanks));
        }
        if self.given {
            // The request's own words: the last position, filled per node.
            scratch.clear();
            scratch.push('{');
            crate::digits::push_int(scratch, blanks.len as u64);
            scratch.push('}');
            each("source", scratch);
        } else if let Some(source) = self.desc.source {
            each("source", source);
        }
    }
}

/// The named blanks of a kind's templates in the order of their positions. A template has at
/// most a few; more than fit here are numbered all the same, only not told apart further.
#[derive(Default)]
struct Blanks {
    names: [&'static str; 8],
    len: usize,
}

impl Blanks {
    /// The position of a blank, given the next one if it is new.
    fn position(&mut self, name: &'static str) -> usize {
        let known = self.names.iter().take(self.len).position(|n| *n == name);
        known.unwrap_or_else(|| {
            if let Some(slot) = self.names.get_mut(self.len) {
                *slot = name;
            }
            self.len += 1;
            self.len - 1
        })
    }
}

/// What a blank's text depends on: the subject's `a`, its `b`, or nothing.
#[derive(Clone, Copy)]
enum Var {
    A,
    B,
    None,
}

/// A blank's code (which keys the cache of its texts) and what it depends on, by the name
/// `names.rs` knows it by; `None` for a name it does not know (filled with `a`, uncached).
fn code(name: &str) -> Option<(u8, Var)> {
    use Var::{A, B};
    Some(match name {
        "a" => (0, A),
        "b" => (1, B),
        "a1" => (2, A),
        "s" => (3, A),
        "S" => (4, A),
        "si" => (5, A),
        "sk" => (6, A),
        "sr" => (7, A),
        "t" => (8, B),
        "T" => (9, B),
        "c" => (10, A),
        "o" => (11, A),
        "O" => (12, A),
        "oi" => (13, A),
        "ok" => (14, A),
        "or" => (15, A),
        "p" => (16, A),
        "pt" => (17, A),
        "pT" => (18, A),
        "pi" => (19, A),
        "pk" => (20, A),
        "pr" => (21, A),
        "bk" => (22, B),
        "br" => (23, B),
        "ym" => (24, B),
        "mn" => (25, B),
        "l" => (LINE, B),
        "tk" => (27, A),
        "tl" => (28, A),
        "w" => (29, Var::None),
        "m" => (30, A),
        "k" => (34, B),
        "k1" => (35, B),
        "kb" => (36, B),
        "kym" => (37, B),
        "kmn" => (38, B),
        "mb" => (39, B),
        "u" => (40, B),
        "ul" => (41, B),
        "n" => (42, B),
        "n1" => (43, B),
        "nb" => (44, B),
        "nym" => (45, B),
        "nmn" => (46, B),
        "bw" => (47, B),
        "sw" => (48, A),
        "ow" => (49, A),
        "pw" => (50, A),
        "tw" => (51, A),
        _ => return None,
    })
}
/// The request's own source of an input: a cost line's (by its index) or a sheet's.
const COST_SOURCE: u8 = 31;
const SHEET_SOURCE: u8 = 32;
/// A blank whose name `names.rs` does not know.
const UNKNOWN: u8 = 33;
const CODES: usize = 52;

/// A blank of a kind: its code, what it depends on, and its name.
type Blank = (u8, Var, &'static str);

/// Builds the tables while the nodes are written, in one pass: kinds and texts are numbered
/// in the order the nodes first need them.
pub(super) struct Tables {
    pub kinds: Vec<Kind>,
    /// Every text, one after the other in `text`, ending where `ends` says.
    text: String,
    ends: Vec<usize>,
    kind_of: FxHashMap<(usize, u8, bool), u32>,
    /// The kinds met, by a hash of their key, in front of `kind_of`: a course's nodes take a
    /// few dozen kinds, so nearly every node finds its kind here with one comparison.
    recent: [(usize, u8, bool, u32); RECENT],
    /// Each kind's named blanks in the order of their positions, from `blanks_at[kind]`.
    blanks: Vec<Blank>,
    blanks_at: Vec<(u32, u32)>,
    /// The text of a blank by (code, the value it depends on): values near the code's first
    /// in a vector per code ([`Near`]), the rest (the average's target) in a map.
    near: Vec<Near>,
    far: FxHashMap<(u8, u32), u32>,
    /// The text of an invoice line's `{l}` by what the line is (its shared name and days),
    /// not by its index: the lines of a hundred courses number 1,600, but a batch of
    /// similar courses has a few dozen distinct ones, each described once.
    lines: FxHashMap<LineKey, u32>,
    /// The texts by a 64-bit hash of their bytes: the text a hash names is compared before
    /// it is taken, so a hash two texts share is never a wrong text, only a look in
    /// `collided`, where every text after the first of its hash is kept by its bytes. Kept
    /// by hash rather than as a `Box<str>` each: a request's texts are mostly new ones
    /// (a course's own names and months), and each cost an allocation, a copy, a second
    /// hash to insert it and a free (callgrind: 5 % of writing the explanation).
    text_of: FxHashMap<u64, u32>,
    collided: FxHashMap<Box<str>, u32>,
    scratch: String,
}

/// An invoice line's name by identity: its `what` (shared by every line of a service, so its
/// address stands for its text while the graph lives) and its days.
type LineKey = (usize, Option<jiff::civil::Date>, Option<jiff::civil::Date>);

/// The code of the `{l}` blank (an invoice line described in words).
const LINE: u8 = 26;

/// The slots of [`Tables::recent`] (a power of two).
const RECENT: usize = 64;

/// The slot of a kind's key in [`Tables::recent`]: a multiplicative hash of the address of
/// its description, its operation and whether its source is given.
fn recent_slot(desc: usize, op: u8, given: bool) -> usize {
    let key = (desc as u64) ^ (u64::from(op) << 48) ^ (u64::from(given) << 56);
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT.trailing_zeros())) as usize
}

/// The values a [`Near`] holds: this many from its base.
const NEAR: u32 = 1 << 12;
const NO_TEXT: u32 = u32::MAX;

/// The texts of one blank's values near its base, by `value − base`. The base is 0 unless
/// the first value kept is `NEAR` or more: then it is set half a window below that value,
/// so a month's `yyyymm` (202606) and the months of the decades around it are found by
/// an index like a count is, not in a map. The base is set once, while nothing is kept,
/// and never moves after: an index stands for one value for the whole pass.
#[derive(Clone, Default)]
struct Near {
    base: u32,
    ids: Vec<u32>,
}

impl Near {
    /// Where a value is kept, if it is in the window.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn index(&self, value: u32) -> Option<usize> {
        let i = value.wrapping_sub(self.base);
        (i < NEAR).then_some(i as usize)
    }

    /// The text of a value, if it is kept.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn get(&self, value: u32) -> Option<u32> {
        let id = *self.ids.get(self.index(value)?)?;
        (id != NO_TEXT).then_some(id)
    }

    /// Keeps the text of a value; `false` when the value is outside the window.
    fn remember(&mut self, value: u32, id: u32) -> bool {
        if self.ids.is_empty() && self.base == 0 && value >= NEAR {
            self.base = value - NEAR / 2;
        }
        let Some(i) = self.index(value) else {
            return false;
        };
        if self.ids.len() <= i {
            self.ids.resize(i + 1, NO_TEXT);
        }
        if let Some(slot) = self.ids.get_mut(i) {
            *slot = id;
        }
        true
    }
}

impl Tables {
    pub fn new(nodes: usize) -> Tables {
        Tables {
            kinds: Vec::with_capacity(64),
            text: String::with_capacity(2048 + nodes * 8),
            ends: Vec::with_capacity(64 + nodes / 8),
            kind_of: FxHashMap::with_capacity_and_hasher(64, Default::default()),
            // Address 0 is no description's: every slot starts empty.
            recent: [(0, 0, false, 0); RECENT],
            blanks: Vec::with_capacity(192),
            blanks_at: Vec::with_capacity(64),
            near: vec![Near::default(); CODES],
            far: FxHashMap::default(),
            lines: FxHashMap::default(),
            text_of: FxHashMap::with_capacity_and_hasher(64 + nodes / 8, Default::default()),
            collided: FxHashMap::default(),
            scratch: String::with_capacity(128),
        }
    }

    /// The texts, in the order of their numbers.
    pub fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(from, to)| self.text.get(from..to).unwrap_or_default())
    }

    /// The kind of a node and the texts of its blanks (appended to `args`).
    pub fn node(&mut self, node: &Node<'_>, args: &mut Vec<u32>) -> u32 {
        let slot = node.slot;
        let given = node.given_source().is_some();
        let key = (slot.desc as *const Desc as usize, slot.op as u8, given);
        let at = recent_slot(key.0, key.1, key.2);
        let k = match self.recent.get(at) {
            Some(&(d, op, g, k)) if (d, op, g) == key => k,
            _ => {
                let k = match self.kind_of.get(&key) {
                    Some(&k) => k,
                    None => self.new_kind(slot.desc, slot.op, given),
                };
                if let Some(r) = self.recent.get_mut(at) {
                    *r = (key.0, key.1, key.2, k);
                }
                k
            }
        };
        let (from, to) = self.blanks_at.get(k as usize).copied().unwrap_or((0, 0));
        for i in from..to {
            let Some(&(code, var, name)) = self.blanks.get(i as usize) else {
                break;
            };
            let value = match var {
                Var::A => slot.subj.a,
                Var::B => slot.subj.b,
                Var::None => 0,
            };
            let id = self.cached(node, code, name, value);
            args.push(id);
        }
        if given {
            let (code, value) = match slot.origin {
                Origin::Sheet(k) => (SHEET_SOURCE, k),
                _ => (COST_SOURCE, slot.subj.a),
            };
            args.push(self.cached(node, code, "", value));
        }
        k
    }

    /// The text of a blank, from the cache or made and interned: a small value already met
    /// (nearly every blank) without a call.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn cached(&mut self, node: &Node<'_>, code: u8, name: &str, value: u32) -> u32 {
        if let Some(id) = self.near.get(code as usize).and_then(|n| n.get(value)) {
            return id;
        }
        self.cached_slow(node, code, name, value)
    }

    /// [`cached`](Self::cached) for a value it did not find in the vectors.
    #[inline(never)]
    fn cached_slow(&mut self, node: &Node<'_>, code: u8, name: &str, value: u32) -> u32 {
        let near = self.near.get(code as usize);
        let cached = match near.and_then(|n| n.index(value)) {
            Some(_) => near.and_then(|n| n.get(value)),
            None => self.far.get(&(code, value)).copied(),
        };
        match cached {
            Some(id) => id,
            _ if code == LINE => self.line_text(node, name, value),
            _ => {
                let (id, cacheable) = self.text(node, code, name);
                if cacheable {
                    self.remember(code, value, id);
                }
                id
            }
        }
    }

    /// The text of a line's `{l}`, found by what the line is before it is described.
    ///
    /// The key is the address of the line's shared name with its period. That is sound
    /// because the table borrows one explanation for the whole pass, and every name it keys
    /// by is held in that explanation's `names.lines` (which only grows): no name can be
    /// freed and its address reused while the table exists. The text depends on nothing
    /// else (`describe_line` reads the name and the period only).
    fn line_text(&mut self, node: &Node<'_>, name: &str, value: u32) -> u32 {
        let line = node.ex.names.lines.get(value as usize);
        let key = line.map(|l| {
            (
                std::sync::Arc::as_ptr(&l.what) as *const u8 as usize,
                l.from,
                l.to,
            )
        });
        if let Some(&id) = key.as_ref().and_then(|k| self.lines.get(k)) {
            self.remember(LINE, value, id);
            return id;
        }
        let (id, cacheable) = self.text(node, LINE, name);
        if cacheable {
            self.remember(LINE, value, id);
            if let Some(k) = key {
                self.lines.insert(k, id);
            }
        }
        id
    }

    fn remember(&mut self, code: u8, value: u32, id: u32) {
        let kept = self
            .near
            .get_mut(code as usize)
            .is_some_and(|n| n.remember(value, id));
        if !kept {
            self.far.insert((code, value), id);
        }
    }

    /// The text of one blank of a node, interned; `false` when it may not be cached: a
    /// blank without a name is filled with `a`, whatever it depends on, and a blank `code`
    /// does not list is filled by `names::blank` all the same (the codes only key the cache,
    /// so a blank added there and not here is slower, never wrong).
    fn text(&mut self, node: &Node<'_>, code: u8, name: &str) -> (u32, bool) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let named = match code {
            COST_SOURCE | SHEET_SOURCE => {
                scratch.push_str(node.given_source().unwrap_or_default());
                true
            }
            _ => blank(name, node.slot.subj, &node.ex.names, &mut scratch),
        };
        if !named {
            crate::digits::push_int(&mut scratch, u64::from(node.slot.subj.a));
        }
        let id = self.intern(&scratch);
        self.scratch = scratch;
        (id, named && code != UNKNOWN)
    }

    /// The number of a text, given one when it is new.
    fn intern(&mut self, text: &str) -> u32 {
        let hash = FxBuildHasher.hash_one(text);
        // The unit tests give every text one of 16 hashes, so that the texts any test writes
        // go through `collided` too.
        let hash = if cfg!(test) { hash & 0xf } else { hash };
        let known = match self.text_of.entry(hash) {
            Entry::Vacant(slot) => {
                let id = self.ends.len() as u32;
                slot.insert(id);
                None
            }
            Entry::Occupied(slot) => Some(*slot.get()),
        };
        let id = match known {
            None => self.ends.len() as u32,
            Some(id) if self.text_at(id) == text => return id,
            // Another text has this hash.
            Some(_) => match self.collided.get(text) {
                Some(&id) => return id,
                None => {
                    let id = self.ends.len() as u32;
                    self.collided.insert(text.into(), id);
                    id
                }
            },
        };
        self.text.push_str(text);
        self.ends.push(self.text.len());
        id
    }

    /// The text numbered `id`.
    fn text_at(&self, id: u32) -> &str {
        let id = id as usize;
        let from = match id.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or_default(),
            None => 0,
        };
        let to = self.ends.get(id).copied().unwrap_or_default();
        self.text.get(from..to).unwrap_or_default()
    }

    fn new_kind(&mut self, desc: &'static Desc, op: Op, given: bool) -> u32 {
        let from = self.blanks.len() as u32;
        let mut blanks = Blanks::default();
        let add = |template: &'static str, blanks: &mut Blanks, all: &mut Vec<Blank>| {
            each_blank(template, |name| {
                if blanks.position(name) == all.len() - from as usize {
                    let (code, var) = code(name).unwrap_or((UNKNOWN, Var::None));
                    all.push((code, var, name));
                }
            });
        };
        add(desc.key, &mut blanks, &mut self.blanks);
        add(desc.label, &mut blanks, &mut self.blanks);
        let unit_da = desc.unit_da();
        if desc.unit.per_day() {
            add(unit_da, &mut blanks, &mut self.blanks);
        }
        if op == Op::Input {
            add(desc.path, &mut blanks, &mut self.blanks);
        } else {
            add(desc.rule, &mut blanks, &mut self.blanks);
        }
        let k = self.kinds.len() as u32;
        self.kinds.push(Kind {
            desc,
            op,
            given,
            unit_da,
        });
        self.blanks_at.push((from, self.blanks.len() as u32));
        self.kind_of
            .insert((desc as *const Desc as usize, op as u8, given), k);
        k
    }
}

/// Calls `each` with the name of every blank of a template, in order.
fn each_blank(template: &'static str, mut each: impl FnMut(&'static str)) {
    for piece in pieces(template) {
        if let Piece::Blank(name) = piece {
            each(name);
        }
    }
}

/// Writes a template with its named blanks made positional: each distinct name gets the next
/// position in `blanks` (shared by a kind's templates), and `{name}` becomes `{n}`.
fn positional(template: &'static str, blanks: &mut Blanks, out: &mut String) {
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Blank(name) => {
                out.push('{');
                crate::digits::push_int(out, blanks.position(name) as u64);
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Every text gets one number and is read back by it, however many texts share a
        /// hash (in tests, every text has one of 16).
        #[test]
        fn a_text_is_numbered_once_and_read_back(texts in prop::collection::vec("[a-cæ{}0-9 ]{0,6}", 0..200)) {
            let mut tables = super::Tables::new(0);
            let mut seen: Vec<(String, u32)> = Vec::new();
            for text in &texts {
                let id = tables.intern(text);
                match seen.iter().find(|(t, _)| t == text) {
                    Some(&(_, known)) => prop_assert_eq!(id, known),
                    None => {
                        prop_assert_eq!(id as usize, seen.len());
                        seen.push((text.clone(), id));
                    }
                }
            }
            let back: Vec<&str> = tables.texts().collect();
            let expected: Vec<&str> = seen.iter().map(|(t, _)| t.as_str()).collect();
            prop_assert_eq!(back, expected);
            for (text, id) in &seen {
                prop_assert_eq!(tables.text_at(*id), text.as_str());
            }
        }
    }
}
