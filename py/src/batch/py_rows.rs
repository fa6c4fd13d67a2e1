//! Reading a chunk's rows from Python objects (with the GIL): each row's cells written into
//! the chunk's document as a course, a repeated list placed once (`Seen`), dates and numpy
//! values read as the core reads them, every problem at its row and column.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyList, PyString};
use takst::{Built, DocumentBuilder, Text};

use super::fill::{Field, Fill, Repeat};
use super::{row_path, CHUNK_BYTES, COLUMNS};
use crate::arrow_in::{self, Cell};
use crate::pyjson::{self, PathFn, Problem, Writer};

/// Builds the rows of a chunk from Python objects (with the GIL); returns the rows taken.
/// With `fills`, a list cell equal to one built earlier in the chunk is placed as an empty
/// list, listed in `fills`; without, as a copy.
#[allow(clippy::too_many_arguments)]
pub(super) fn py_rows<'py, 'a>(
    writer: &Writer<'py>,
    b: &mut DocumentBuilder<'a>,
    cols: &[(&'static str, Cell, Bound<'py, PyList>)],
    first: usize,
    total: usize,
    chunk: usize,
    problems: &mut Vec<Problem>,
    fills: Option<&mut Vec<Fill>>,
) -> usize {
    // The columns' names as keys, kept in the chunk's arena once (not looked up on every row).
    let keys = cols.iter().map(|(name, _, _)| b.text_of(name)).collect();
    let mut seen = Seen::new(keys, first, fills);
    let mut row = first;
    while row < total && row - first < chunk && (row == first || b.size() < CHUNK_BYTES) {
        // A row with a problem is dropped whole, so the next row is built as if it had never
        // begun (and its own problems are reported as they are).
        let mark = b.mark();
        if let Err(p) = py_row(writer, b, cols, row, &mut seen) {
            seen.last = None;
            // An exception to raise as it is (Ctrl-C) ends the reading here.
            let stop = p.raise.is_some();
            problems.push(p);
            b.reset(&mark);
            if stop {
                return row + 1 - first;
            }
        }
        row += 1;
    }
    row - first
}

/// Builds one row of Python values as a course object; or, when the row repeats the row
/// before but for its texts and start date ([`Seen::repeat`]), counts it as a copy of that
/// row and lists it in `fills`, to be made from the course read there.
fn py_row<'py, 'a>(
    w: &Writer<'py>,
    b: &mut DocumentBuilder<'a>,
    cols: &[(&'static str, Cell, Bound<'py, PyList>)],
    row: usize,
    seen: &mut Seen<'py, 'a, '_>,
) -> Result<(), Problem> {
    // The row's cells as far as each repeats what the chunk has built: until the first one
    // that does not, which is converted in full once the row's object is begun.
    let mut quick = [Quick::Skip; COLUMNS.len()];
    let mut slow = None;
    for (col, (name, cell, list)) in cols.iter().enumerate() {
        let path = || row_path(row, name);
        let v = cell_at(list, row, &path)?;
        match classify(w, b, *cell, col, &v, seen, &path)? {
            Quick::Slow { missing } => {
                slow = Some((col, v, missing));
                break;
            }
            q => {
                if let Some(slot) = quick.get_mut(col) {
                    *slot = q;
                }
            }
        }
    }
    if slow.is_none() && seen.repeat(b, cols, row, quick.get(..cols.len()).unwrap_or_default()) {
        return Ok(());
    }
    let mut held = [Held::Opaque; COLUMNS.len()];
    let at = b.size();
    b.begin_object();
    let written = slow.as_ref().map_or(cols.len(), |s| s.0);
    for (col, q) in quick.iter().enumerate().take(written) {
        if let (Some((name, _, _)), Some(h)) = (cols.get(col), held.get_mut(col)) {
            *h = seen.place(b, col, name, row, *q);
        }
    }
    if let Some((at, v, missing)) = slow {
        for (col, (name, cell, list)) in cols.iter().enumerate().skip(at) {
            let path = || row_path(row, name);
            let (v, missing) = if col == at {
                (v.clone(), missing)
            } else {
                let v = cell_at(list, row, &path)?;
                match classify(w, b, *cell, col, &v, seen, &path)? {
                    Quick::Slow { missing } => (v, missing),
                    q => {
                        if let Some(h) = held.get_mut(col) {
                            *h = seen.place(b, col, name, row, q);
                        }
                        continue;
                    }
                }
            };
            let h = convert(w, b, name, *cell, col, &v, missing, row, seen, &path)?;
            if let Some(slot) = held.get_mut(col) {
                *slot = h;
            }
        }
    }
    b.end();
    seen.built(b, row, held, b.size().saturating_sub(at));
    Ok(())
}

/// The cell of a column at a row.
fn cell_at<'py>(
    list: &Bound<'py, PyList>,
    row: usize,
    path: PathFn,
) -> Result<Bound<'py, PyAny>, Problem> {
    list.get_item(row)
        .map_err(|e| Problem::new("internal", path(), e.to_string()))
}

/// What a row's cell is, found without converting it: one that repeats what the chunk has
/// built (placed again as it is), or one to convert in full.
#[derive(Clone, Copy)]
enum Quick<'a> {
    /// An optional field left out (a missing cell that is not the date).
    Skip,
    /// A text cell holding a `str`: its text (kept in the arena once for a `str` met again
    /// down the column).
    Text(Text<'a>),
    /// A plain `datetime.date`: its text, and its day (`None` for a year a request's
    /// `YYYY-MM-DD` cannot have, never for a `datetime.date`).
    Date(Text<'a>, Option<jiff::civil::Date>),
    /// A list cell equal to the one built at row `from` of the table, found in `Seen`'s
    /// `shared` by its address (`true`) or as the column's last list (`false`).
    Again {
        from: usize,
        shared: bool,
        addr: usize,
    },
    /// None of these; `missing` as asked already.
    Slow { missing: bool },
}

/// What a row built held in a cell, for the next row to be found to repeat it.
#[derive(Clone, Copy, PartialEq)]
enum Held<'a> {
    Missing,
    Text(Text<'a>),
    /// A plain `datetime.date`, and its text.
    Date(Text<'a>),
    /// A list equal to the one built at this row of the table.
    List(usize),
    /// Anything else: no later row is taken to repeat it.
    Opaque,
}

/// A cell looked at, in the order a full conversion asks (the same questions, so that the
/// conversion after it asks none twice): the very `str` the column's last text was built
/// from, a plain date (its day computed once in the chunk), a missing cell, a list built
/// before (by address, or equal to the column's last).
#[allow(clippy::too_many_arguments)]
fn classify<'py, 'a>(
    w: &Writer<'py>,
    b: &mut DocumentBuilder<'a>,
    cell: Cell,
    col: usize,
    v: &Bound<'py, PyAny>,
    seen: &mut Seen<'py, 'a, '_>,
    path: PathFn,
) -> Result<Quick<'a>, Problem> {
    // A text cell holding the very `str` the row before held in it (a municipality down a
    // column: one object, as pandas gives a column of repeated texts) is that text again.
    if let Some(text) = seen.texts.get(col).and_then(|t| t.as_ref()) {
        if text.0.is(v) {
            return Ok(Quick::Text(text.1));
        }
    }
    // A plain `datetime.date` (nearly every start) is not missing; what else a date cell
    // holds (NaT, a Timestamp, None, a text) is asked in full.
    if cell == Cell::Date && v.get_type().is(&w.types.date) {
        // A date met before in the chunk (rows that start on the same day often hold one
        // `date` object) is not asked for its day again, nor written again: its text is
        // placed again.
        let key = v.as_ptr() as usize;
        if let Some((_, text, day)) = seen.dates.get(&key) {
            return Ok(Quick::Date(*text, *day));
        }
        let (y, m, d) = pyjson::ymd(v).map_err(|e| date_problem(path, e))?;
        let text = crate::arrow_in::date_text(b, y, m, d);
        let day = day_of(y, m, d);
        seen.dates.insert(key, (v.clone(), text, day));
        return Ok(Quick::Date(text, day));
    }
    let missing = pyjson::is_missing(v)?;
    if missing && cell != Cell::Date {
        return Ok(Quick::Skip); // an optional field left out; missing phases are the core's to report
    }
    if !missing && matches!(cell, Cell::Text | Cell::Value) {
        // A `str` (exactly: a subclass's text is its own code's) is its text, kept as the
        // column's last.
        if let Ok(s) = v.cast_exact::<PyString>() {
            let text = b.text_of(&pyjson::text(s, &path)?);
            if let Some(last) = seen.texts.get_mut(col) {
                *last = Some((v.clone(), text));
            }
            return Ok(Quick::Text(text));
        }
    }
    if missing || cell != Cell::Json || v.is_instance_of::<PyString>() {
        return Ok(Quick::Slow { missing });
    }
    // A list shared by many rows (one Python object) is converted once and placed again (a
    // copy, or an empty list the read course is given it in). Keyed by its column too: the
    // course it was read at is given this field from that field (one object as one row's
    // changes and another's phases, the shared empty tuple for one, is two values read).
    // Only while no value's own code has run since it was built (a later cell's `__index__`
    // or `to_dict` that changed the list): then it is built again.
    let addr = v.as_ptr() as usize;
    let code = w.code_ran();
    if let Some((_, from, _)) = seen.shared.get(&(col, addr)).filter(|s| s.2 == code) {
        return Ok(Quick::Again {
            from: *from,
            shared: true,
            addr,
        });
    }
    // So is a list equal to the last one built in its column in every item, key and value
    // (rows made from one plan, each its own copy): compared, not converted again.
    // (Not kept by its address: each such row's list is its own object, met once; one met
    // again later in the chunk is compared again.)
    match seen.same_as_before(col, v, code) {
        Some(from) => Ok(Quick::Again {
            from,
            shared: false,
            addr,
        }),
        None => Ok(Quick::Slow { missing }),
    }
}

/// The day of a `datetime.date`'s year, month and day, as a request's `YYYY-MM-DD` of them
/// reads (`None` outside the years 1–9999, which a `datetime.date` never is).
fn day_of(y: i64, m: u32, d: u32) -> Option<jiff::civil::Date> {
    let y = i16::try_from(y).ok().filter(|y| (1..=9999).contains(y))?;
    jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// A cell converted in full (after [`classify`] found it repeats nothing): its key and value
/// written, and what the next row must hold to repeat it.
#[allow(clippy::too_many_arguments)]
fn convert<'py, 'a>(
    w: &Writer<'py>,
    b: &mut DocumentBuilder<'a>,
    name: &str,
    cell: Cell,
    col: usize,
    v: &Bound<'py, PyAny>,
    missing: bool,
    row: usize,
    seen: &mut Seen<'py, 'a, '_>,
    path: PathFn,
) -> Result<Held<'a>, Problem> {
    match seen.keys.get(col).copied() {
        Some(key) => b.key_text(key),
        None => b.key(name),
    }
    if missing {
        b.null(); // the core reports the missing date at courses[row].start
        return Ok(Held::Opaque);
    }
    match cell {
        Cell::Text | Cell::Value => {
            // (A `str` exactly is a text `classify` found.)
            if let Ok(s) = v.cast::<PyString>() {
                b.str(&pyjson::text(s, &path)?);
                return Ok(Held::Opaque);
            }
            // A numeric municipality code is an identifier: an integer (Python's or numpy's,
            // not a bool) is its digits, as `price()` reads it. Anything else is written as
            // `price()` writes it (a Decimal or a date as its text, a bool as a bool for the
            // core to refuse, a float refused here), never as its `str()` ("751.0", "True").
            w.touch(&v.get_type());
            let int = if !v.is_instance_of::<PyBool>() && !is_numpy_bool(v)? {
                pyjson::fatal(v.call_method0(pyo3::intern!(v.py(), "__index__")))?.ok()
            } else {
                None
            };
            // Only an integer, as `operator.index` (which `price()` asks) takes.
            match int.filter(|i| i.is_instance_of::<PyInt>()) {
                Some(i) => match pyjson::fatal(i.str())? {
                    Ok(s) => b.str(&pyjson::text(&s, &path)?),
                    Err(_) => w.value(b, v, &path)?,
                },
                None => w.value(b, v, &path)?,
            }
            Ok(Held::Opaque)
        }
        Cell::Date => {
            py_date(w, b, v, &path)?;
            Ok(Held::Opaque)
        }
        Cell::Json => {
            if let Ok(s) = v.cast::<PyString>() {
                arrow_in::json_cell(b, &pyjson::text(s, &path)?, &path)?;
                return Ok(Held::Opaque);
            }
            let code = w.code_ran();
            w.value(b, v, &path)?;
            let Some(built) = b.last() else {
                return Ok(Held::Opaque);
            };
            // Not when a value's own code ran while it was built (an item's `to_dict` that
            // changed an item written before it, or that gives another dict each time): the
            // same list may build another document at a later row, as `price()` of that row
            // would build it.
            let key = (col, v.as_ptr() as usize);
            seen.shapes[col] = None;
            if w.code_ran() != code {
                seen.shared.remove(&key);
                seen.before[col] = None;
                return Ok(Held::Opaque);
            }
            seen.shared.insert(key, (built.clone(), row, code));
            seen.before[col] = Some((v.clone(), built, row, code));
            Ok(Held::List(row))
        }
    }
}

/// A list cell built: the object, what it was built into, the row it was built at and the
/// writer's [`Writer::code_ran`] after.
type Before<'py, 'a> = (Bound<'py, PyAny>, Built<'a>, usize, u64);

/// What the rows of a chunk built so far hold that the next ones may place again.
struct Seen<'py, 'a, 'b> {
    /// The values of list cells, by their column and the object's address (a multiplication
    /// to hash, where the standard hasher's SipHash cost each row a few hundred
    /// instructions; the objects are held by the columns while the chunk is built). Each
    /// with the row it was built at and the writer's [`Writer::code_ran`] after.
    shared: rustc_hash::FxHashMap<(usize, usize), (Built<'a>, usize, u64)>,
    /// Per column: the last list cell built, what it was built into, the row it was
    /// built at and the writer's [`Writer::code_ran`] after.
    before: Vec<Option<Before<'py, 'a>>>,
    /// Per column: the shape of the last list cell built, once a row was found equal to it
    /// (then each next row is compared with it walking that row's objects alone).
    shapes: Vec<Option<pyjson::Shape<'py>>>,
    /// Per column: rows since a list cell was last found equal to the row before's. After
    /// [`MAX_UNLIKE`] in a row the chunk's rows are no longer compared (a table whose rows
    /// differ pays a comparison only now and then).
    unlike: Vec<usize>,
    /// The texts built of `datetime.date` cells, by the object's address (each held, so that
    /// no other object takes its address while the chunk is built).
    dates: rustc_hash::FxHashMap<usize, (Bound<'py, PyAny>, Text<'a>, Option<jiff::civil::Date>)>,
    /// Per column: the columns' names as keys in the chunk's arena.
    keys: Vec<Text<'a>>,
    /// Per column: the last `str` (exactly) built of a text cell, and its text.
    texts: Vec<Option<(Bound<'py, PyAny>, Text<'a>)>>,
    /// The chunk's first row.
    first: usize,
    /// The list fields placed as empty lists, to fill once read (`None`: copies placed).
    fills: Option<&'b mut Vec<Fill>>,
    /// The row before, when it was built or repeated and a row may repeat it (only with
    /// `fills`).
    last: Option<Last<'a>>,
    /// Whether a row has been kept in the document (a later row's bytes count a comma).
    kept: bool,
}

/// A row a later row may repeat: its number in the table, what the row last built of such a
/// row held in each cell (its texts are those a repeat's own replace), and the object built
/// of it, which a repeat is counted as.
struct Last<'a> {
    row: usize,
    held: [Held<'a>; COLUMNS.len()],
    built: Built<'a>,
    /// The row's bytes as the builder counted them (its lists placed elsewhere at their
    /// copies' size), without the comma before it.
    bytes: usize,
}

/// Rows in a row whose list cell differs from the row before's, after which a chunk stops
/// comparing them.
const MAX_UNLIKE: usize = 16;

impl<'py, 'a, 'b> Seen<'py, 'a, 'b> {
    fn new(
        keys: Vec<Text<'a>>,
        first: usize,
        fills: Option<&'b mut Vec<Fill>>,
    ) -> Seen<'py, 'a, 'b> {
        let columns = keys.len();
        Seen {
            shared: rustc_hash::FxHashMap::default(),
            before: vec![None; columns],
            shapes: (0..columns).map(|_| None).collect(),
            unlike: vec![0; columns],
            dates: rustc_hash::FxHashMap::default(),
            keys,
            texts: vec![None; columns],
            first,
            fills,
            last: None,
            kept: false,
        }
    }

    /// A cell that [`classify`] found repeats what the chunk has built, written: its key and
    /// its text, or the list placed again ([`Again`]). Returns what the row holds in it.
    fn place(
        &mut self,
        b: &mut DocumentBuilder<'a>,
        col: usize,
        name: &str,
        row: usize,
        q: Quick<'a>,
    ) -> Held<'a> {
        let key = |b: &mut DocumentBuilder<'a>, keys: &[Text<'a>]| match keys.get(col) {
            Some(key) => b.key_text(*key),
            None => b.key(name),
        };
        match q {
            Quick::Skip => Held::Missing,
            Quick::Text(text) => {
                key(b, &self.keys);
                b.str_text(text);
                Held::Text(text)
            }
            Quick::Date(text, day) => {
                key(b, &self.keys);
                b.str_text(text);
                if day.is_some() {
                    Held::Date(text)
                } else {
                    Held::Opaque
                }
            }
            Quick::Again { from, shared, addr } => {
                let built = if shared {
                    self.shared.get(&(col, addr)).map(|s| &s.0)
                } else {
                    self.before.get(col).and_then(|b| b.as_ref()).map(|b| &b.1)
                };
                let Some(built) = built else {
                    return Held::Opaque; // never: `classify` found it there
                };
                key(b, &self.keys);
                let at = Again::new(self.first, row, name, from);
                at.place(b, built, self.fills.as_deref_mut());
                Held::List(from)
            }
            Quick::Slow { .. } => Held::Opaque, // never: converted instead
        }
    }

    /// A row built: kept as the one the next row may repeat (with `fills` only).
    fn built(
        &mut self,
        b: &DocumentBuilder<'a>,
        row: usize,
        held: [Held<'a>; COLUMNS.len()],
        counted: usize,
    ) {
        let bytes = counted.saturating_sub(usize::from(self.kept));
        self.kept = true;
        self.last = match (&self.fills, b.last()) {
            (Some(_), Some(built)) => Some(Last {
                row,
                held,
                built,
                bytes,
            }),
            _ => None,
        };
    }

    /// Whether row `row`, whose cells are `quick` (each found without converting it), repeats
    /// the row before but for its texts: a text where the row before has one (any text), a
    /// plain date where it has one (any day), the same cells left out, a list equal to the
    /// one the row before's was built from (any other cell, and the row is built). Then it
    /// is counted in the document as a copy of the row last built with its own texts
    /// ([`DocumentBuilder::again_omitted`]) and listed in `fills`, to be made once the chunk
    /// is read from the course read at the row before, with its own start and texts: the
    /// course its own object would read as, since a course's fields are read each from its
    /// own cell.
    fn repeat(
        &mut self,
        b: &mut DocumentBuilder<'a>,
        cols: &[(&'static str, Cell, Bound<'py, PyList>)],
        row: usize,
        quick: &[Quick<'a>],
    ) -> bool {
        let (Some(last), Some(fills)) = (&mut self.last, self.fills.as_deref_mut()) else {
            return false;
        };
        if last.row.checked_add(1) != Some(row) || quick.len() > last.held.len() {
            return false;
        }
        let mut start = None;
        let mut same = true;
        for (q, held) in quick.iter().zip(&last.held) {
            same &= match (q, held) {
                (Quick::Skip, Held::Missing) | (Quick::Text(_), Held::Text(_)) => true,
                (Quick::Date(_, Some(day)), Held::Date(_)) => {
                    start = Some(*day);
                    true
                }
                (Quick::Again { from, .. }, Held::List(h)) => from == h,
                _ => false,
            };
        }
        // A row with no list placed elsewhere (its phases missing) is built: left out, it
        // would be the chunk's only fill, and have a chunk the full conversion reads once
        // read twice (each value's own code run twice) when it has a problem.
        if !same || !quick.iter().any(|q| matches!(q, Quick::Again { .. })) {
            return false;
        }
        let texts = quick
            .iter()
            .zip(&last.held)
            .filter_map(|(q, held)| match (q, held) {
                (Quick::Text(t) | Quick::Date(t, _), Held::Text(old) | Held::Date(old))
                    if t != old =>
                {
                    Some((*old, *t))
                }
                _ => None,
            });
        b.again_omitted(&last.built, last.bytes, texts);
        let mut repeat = Repeat::default();
        repeat.start = start;
        for (q, (name, _, _)) in quick.iter().zip(cols) {
            if let Quick::Text(t) = q {
                repeat.set(name, t.as_str());
            }
        }
        fills.push(Fill {
            course: row.saturating_sub(self.first),
            field: Field::Row(repeat),
            from: last.row.saturating_sub(self.first),
        });
        last.row = row;
        true
    }

    /// The row whose column `col`'s cell the row before's is (built there, or placed again
    /// from there), when `v` builds the same document ([`pyjson::same`]).
    /// Not when a value's own code has run since it was built (`code`, the writer's
    /// [`Writer::code_ran`], differs from then): the list it was built from may have changed.
    fn same_as_before(&mut self, col: usize, v: &Bound<'py, PyAny>, code: u64) -> Option<usize> {
        if self.unlike[col] >= MAX_UNLIKE {
            return None;
        }
        let Some((before, _, from, _)) = self.before[col].as_ref().filter(|b| b.3 == code) else {
            self.unlike[col] += 1;
            return None;
        };
        let same = match &self.shapes[col] {
            Some(shape) => shape.same(v),
            None => {
                let same = pyjson::same(before, v);
                if same {
                    self.shapes[col] = pyjson::Shape::of(before);
                }
                same
            }
        };
        if same {
            self.unlike[col] = 0;
            Some(*from)
        } else {
            self.unlike[col] += 1;
            None
        }
    }
}

/// A list cell of a row equal to the one built at an earlier row of the chunk (`from`).
struct Again<'n> {
    course: usize,
    name: &'n str,
    from: usize,
}

impl<'n> Again<'n> {
    fn new(first: usize, row: usize, name: &'n str, from: usize) -> Again<'n> {
        Again {
            course: row.saturating_sub(first),
            name,
            from: from.saturating_sub(first),
        }
    }

    /// Placed as an empty list to fill from course `from` once read (listed in `fills`), or
    /// as a copy (without `fills`, or for a column the courses are not filled in).
    fn place<'a>(
        &self,
        b: &mut DocumentBuilder<'a>,
        built: &Built<'a>,
        fills: Option<&mut Vec<Fill>>,
    ) {
        match (fills, Field::of(self.name)) {
            (Some(fills), Some(field)) => {
                b.again_elsewhere(built);
                fills.push(Fill {
                    course: self.course,
                    field,
                    from: self.from,
                });
            }
            _ => b.again(built),
        }
    }
}

/// The problem of a `datetime.date` whose day cannot be read (as [`py_date`] reports it).
fn date_problem(path: PathFn, e: PyErr) -> Problem {
    Problem::of_err(e, |e| {
        let p = path();
        Problem::new("invalid_value", p.clone(), e.to_string())
    })
}

/// Whether `v` is numpy's bool (`np.bool_`, which has `__index__` but is not an integer).
fn is_numpy_bool(v: &Bound<'_, PyAny>) -> Result<bool, Problem> {
    let t = v.get_type();
    Ok(pyjson::is_numpy(&t)? && pyjson::type_named(&t, &["bool", "bool_"])?)
}

fn py_date<'py>(
    w: &Writer<'py>,
    b: &mut DocumentBuilder<'_>,
    v: &Bound<'py, PyAny>,
    path: PathFn,
) -> Result<(), Problem> {
    py_date_of(w, b, v, path, false)
}

/// [`py_date`], `item_taken` when `v` is a numpy scalar's `item()`.
fn py_date_of<'py>(
    w: &Writer<'py>,
    b: &mut DocumentBuilder<'_>,
    v: &Bound<'py, PyAny>,
    path: PathFn,
    item_taken: bool,
) -> Result<(), Problem> {
    let bad = |code: &'static str, what: String| {
        let p = path();
        Problem::new(code, p.clone(), what)
    };
    // A small value as written; anything else by its type (its `repr` is the user's code,
    // and may not end: a structure sharing its parts, written out).
    let shown = || {
        let small = v.is_none()
            || v.is_exact_instance_of::<PyBool>()
            || v.is_exact_instance_of::<pyo3::types::PyFloat>()
            || (v.is_exact_instance_of::<pyo3::types::PyInt>() && v.extract::<i64>().is_ok());
        Ok(match small.then(|| v.repr()) {
            Some(Ok(r)) => r.to_string(),
            _ => format!("a value of type {}", pyjson::type_name(v)?),
        })
    };
    // A plain `datetime.date` (nearly every start): its year, month and day.
    let plain = v.get_type().is(&w.types.date);
    if !plain {
        w.touch(&v.get_type());
        if let Ok(s) = v.cast::<PyString>() {
            b.str(&pyjson::text(s, path)?);
            return Ok(());
        }
    }
    if !plain && pyjson::instance(v, &w.types.datetime)? {
        // pandas Timestamps (datetime64 columns) are datetimes: a date is one at midnight
        // without a time zone, as `price` reads it (the same function, the same words).
        let (y, m, d) = pyjson::datetime_ymd(v, path)?;
        crate::arrow_in::date_str(b, y, m, d);
        return Ok(());
    }
    if plain || pyjson::instance(v, &w.types.date)? {
        let (y, m, d) = pyjson::ymd(v).map_err(|e| date_problem(path, e))?;
        crate::arrow_in::date_str(b, y, m, d);
        return Ok(());
    }
    if pyjson::is_datetime64(v)? {
        // A day, or a timestamp at midnight; never a month or year read as its first day.
        match pyjson::datetime64_days(v, path)? {
            Some(days) => crate::arrow_in::date(b, days),
            None => b.null(), // NaT: missing, which the core reports at the path
        }
        return Ok(());
    }
    // A numpy scalar's `item()`, once: a type claiming to be numpy's whose `item()` gives
    // another such would otherwise be followed without end.
    if !item_taken && pyjson::is_numpy(&v.get_type())? {
        if let Ok(item) = pyjson::fatal(v.call_method0(pyo3::intern!(v.py(), "item")))? {
            if !item.get_type().is(v.get_type()) {
                return py_date_of(w, b, &item, path, true);
            }
        }
    }
    Err(bad(
        "invalid_type",
        format!(
            "{} is not a date (give datetime.date or 'YYYY-MM-DD')",
            shown()?
        ),
    ))
}
