//! Reading a chunk's rows from Arrow record batches (a polars or pyarrow table): each row's
//! cells written into the chunk's document as a course, a list cell equal to the row
//! before's (compared in the arrays, or built into the same tree) placed as an empty list
//! and filled once read, and a row that repeats the row before but for its texts and start
//! left out and made from the course before once read.

use arrow_array::cast::AsArray;
use arrow_array::types::Date32Type;
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use takst::{Built, DocumentBuilder, Text};

use super::fill::{filled, Field, Fill, Repeat, Spare};
use super::{read_chunk, row_path, Read, CHUNK_BYTES};
use crate::arrow_in::{self, Cell};
use crate::pyjson::Problem;

/// Where the next chunk of Arrow rows starts, and what it may take.
pub(super) struct ArrowAt<'s> {
    pub(super) batches: &'s [RecordBatch],
    pub(super) cols: &'s [(&'static str, Cell, usize)],
    pub(super) cursor: (usize, usize),
    pub(super) first: usize,
    pub(super) total: usize,
    pub(super) chunk: usize,
}

/// The next chunk of Arrow rows read as a request, and the cursor of the chunk after it. A
/// list cell equal to the row before's (`arrow_in::same`, or `Built::same`: the same JSON
/// written the same way) is placed as an empty list and its course filled once read, and a
/// row that repeats the row before but for its texts and start is left out and made once
/// read, as [`read_py_chunk`] does; a read with any problem is done again with every cell
/// built.
pub(super) fn read_arrow_chunk(
    head: &str,
    left: usize,
    at: &ArrowAt<'_>,
    spare: &mut Spare,
) -> (Read, (usize, usize)) {
    let mut fills = Vec::new();
    let mut next = at.cursor;
    let read = read_chunk(
        head,
        left,
        at.chunk,
        Some(&mut fills),
        |b, problems, fills| {
            let (rows, after) = arrow_rows(b, at, problems, fills);
            next = after;
            rows
        },
    );
    let read = match filled(read, &mut fills, spare) {
        Some(read) => read,
        // Read again: the chunk's rows and the next chunk's cursor both from this pass
        // (the copies counted as the empty lists were, so they are the first pass's too).
        None => read_chunk(head, left, at.chunk, None, |b, problems, fills| {
            let (rows, after) = arrow_rows(b, at, problems, fills);
            next = after;
            rows
        }),
    };
    (read, next)
}

/// Builds the rows of a chunk from Arrow batches; returns the rows taken and the cursor of
/// the next chunk. With `fills`, a list cell equal to the row before's is placed as an
/// empty list, and a row that repeats the row before but for its texts and start is left
/// out ([`omit`]), each listed in `fills`.
fn arrow_rows<'a>(
    b: &mut DocumentBuilder<'a>,
    at: &ArrowAt<'_>,
    problems: &mut Vec<Problem>,
    mut fills: Option<&mut Vec<Fill>>,
) -> (usize, (usize, usize)) {
    let ArrowAt {
        batches,
        cols,
        mut cursor,
        first,
        total,
        chunk,
    } = *at;
    // Per column: the list cell built last, and the row it was built at; and where the
    // last row whose cell is that value is (row, batch, row in the batch), built there or
    // placed again.
    let mut before: Vec<Option<(Built<'a>, usize)>> = vec![None; cols.len()];
    let mut held: Vec<Option<(usize, usize, usize)>> = vec![None; cols.len()];
    // The row last built, which the next may repeat but for its texts and start; and
    // whether a row has been built (the comma before the next one).
    let mut last: Option<Last<'a>> = None;
    let mut kept = false;
    let mut row = first;
    while row < total && row - first < chunk && (row == first || b.size() < CHUNK_BYTES) {
        let (mut bi, mut r) = cursor;
        while bi < batches.len() && r >= batches[bi].num_rows() {
            bi += 1;
            r = 0;
        }
        let Some(batch) = batches.get(bi) else { break };
        // A row that repeats the row before but for its texts and start is not built.
        if let (Some(fills), Some(l)) = (fills.as_deref_mut(), last.as_mut()) {
            if omit(b, at, batch, (bi, r), row, &mut held, l, fills) {
                cursor = (bi, r + 1);
                row += 1;
                continue;
            }
        }
        // A row with a problem is dropped whole once its cells are read (as a Python row
        // is), so that the chunk's request is of the other rows.
        let row_mark = b.mark();
        let problems_before = problems.len();
        let size_before = b.size();
        let mut kinds = vec![Kind::Opaque; cols.len()];
        b.begin_object();
        for (col, (name, cell, i)) in cols.iter().enumerate() {
            let array = batch.column(*i);
            if arrow_in::absent(array.as_ref(), r) && *cell != Cell::Date {
                kinds[col] = Kind::Missing;
                continue;
            }
            // A text cell of text, kept in the arena as the row's text, which a row
            // repeating this one replaces by its own.
            if *cell == Cell::Text {
                if let Some(s) = text(array.as_ref(), r) {
                    b.key(name);
                    let t = b.text_of(s);
                    b.str_text(t);
                    kinds[col] = Kind::Text(t);
                    continue;
                }
            }
            if *cell == Cell::Date && day(array.as_ref(), r).is_some() {
                kinds[col] = Kind::Date;
            }
            // A list cell equal to the row before's, when that one is the value built last
            // (`arrow_in::same`, read in place), is placed again without being built.
            if let (Some(fills), Some(field), Some((built, from)), Some((at, hb, hr))) = (
                fills.as_deref_mut(),
                Field::of(name),
                &before[col],
                held[col],
            ) {
                let earlier = batches[hb].column(*i);
                if at + 1 == row
                    && !b.failed()
                    && (hb == bi || earlier.data_type() == array.data_type())
                    && arrow_in::same(earlier.as_ref(), hr, array.as_ref(), r)
                {
                    b.key(name);
                    b.again_elsewhere(built);
                    fills.push(Fill {
                        course: row - first,
                        field,
                        from: from - first,
                    });
                    held[col] = Some((row, bi, r));
                    kinds[col] = Kind::List;
                    continue;
                }
            }
            // A cell with a problem is dropped whole; the row's other cells are still read,
            // to report their problems too.
            let mark = b.mark();
            b.key(name);
            let path = || row_path(row, name);
            if let Err(p) = arrow_in::write(b, array.as_ref(), r, *cell, &path) {
                problems.push(p);
                b.reset(&mark);
                continue;
            }
            let (Some(fills), Some(field)) = (fills.as_deref_mut(), Field::of(name)) else {
                continue;
            };
            if b.failed() {
                continue;
            }
            let Some(built) = b.last() else { continue };
            match &before[col] {
                Some((earlier, from)) if built.same(earlier) => {
                    b.reset(&mark);
                    b.key(name);
                    b.again_elsewhere(earlier);
                    fills.push(Fill {
                        course: row - first,
                        field,
                        from: from - first,
                    });
                }
                _ => before[col] = Some((built, row)),
            }
            held[col] = Some((row, bi, r));
            kinds[col] = Kind::List;
        }
        b.end();
        if problems.len() > problems_before {
            b.reset(&row_mark);
            last = None;
        } else if let (Some(_), Some(built)) = (&fills, b.last()) {
            let counted = b.size().saturating_sub(size_before);
            last = Some(Last {
                row,
                kinds,
                built,
                bytes: counted.saturating_sub(usize::from(kept)),
            });
            kept = true;
        }
        cursor = (bi, r + 1);
        row += 1;
    }
    (row - first, cursor)
}

/// What the row last built holds in a column, for a row that may repeat it.
#[derive(Clone, Copy)]
enum Kind<'a> {
    /// No value (a null cell, left out).
    Missing,
    /// A text of text, kept in the arena.
    Text(Text<'a>),
    /// A date of the years 1–9999 (ten bytes, as any other such date).
    Date,
    /// A list (phases, changes), built there or placed again.
    List,
    /// Anything else: no later row is taken to repeat it.
    Opaque,
}

/// The row last built: where, what each column holds, its value, and its bytes as the
/// builder counted them (its lists placed elsewhere at their copies' size), without the
/// comma before it.
struct Last<'a> {
    row: usize,
    kinds: Vec<Kind<'a>>,
    built: Built<'a>,
    bytes: usize,
}

/// A text cell's text, when its column holds text (a dictionary or a number is built).
fn text(array: &dyn Array, r: usize) -> Option<&str> {
    match array.data_type() {
        DataType::Utf8 => Some(array.as_string::<i32>().value(r)),
        DataType::LargeUtf8 => Some(array.as_string::<i64>().value(r)),
        DataType::Utf8View => Some(array.as_string_view().value(r)),
        _ => None,
    }
}

/// A date cell's day, when it is a `date32` of the years 1–9999 (what `arrow_in::write`
/// writes as ten bytes, `YYYY-MM-DD`).
fn day(array: &dyn Array, r: usize) -> Option<jiff::civil::Date> {
    if array.is_null(r) || *array.data_type() != DataType::Date32 {
        return None;
    }
    let (y, m, d) = arrow_in::civil(i64::from(array.as_primitive::<Date32Type>().value(r)));
    let y = i16::try_from(y).ok().filter(|y| (1..=9999).contains(y))?;
    jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// Whether row `row` (at `r` of batch `bi`) repeats the row last built but for its texts
/// and start: null where it has no value, a text where it has one (any text), a date where
/// it has one (any day of the years 1–9999), and each list equal to the row before's
/// ([`arrow_in::same`], that row's being the value built last, as for a list placed
/// again), at least one list. Then it is counted in the document as a copy of the row last
/// built with its own texts ([`DocumentBuilder::again_omitted`]) and listed in `fills`, to
/// be made once the chunk is read from the course read at the row before, with its own
/// start and texts: the course its own cells would read as, since a course's fields are
/// read each from its own cell (as for the rows of a pandas table).
#[allow(clippy::too_many_arguments)]
fn omit<'a>(
    b: &mut DocumentBuilder<'a>,
    at: &ArrowAt<'_>,
    batch: &RecordBatch,
    (bi, r): (usize, usize),
    row: usize,
    held: &mut [Option<(usize, usize, usize)>],
    last: &mut Last<'a>,
    fills: &mut Vec<Fill>,
) -> bool {
    if last.row.checked_add(1) != Some(row) || b.failed() {
        return false;
    }
    let mut start = None;
    let mut lists = 0;
    for (col, ((name, cell, i), kind)) in at.cols.iter().zip(&last.kinds).enumerate() {
        let array = batch.column(*i);
        let same = match kind {
            Kind::Missing => *cell != Cell::Date && arrow_in::absent(array.as_ref(), r),
            Kind::Text(_) => {
                !arrow_in::absent(array.as_ref(), r) && text(array.as_ref(), r).is_some()
            }
            Kind::Date => {
                start = day(array.as_ref(), r);
                start.is_some()
            }
            Kind::List => {
                lists += 1;
                Field::of(name).is_some()
                    && !arrow_in::absent(array.as_ref(), r)
                    && match held.get(col).copied().flatten() {
                        Some((h, hb, hr)) if h.checked_add(1) == Some(row) => {
                            at.batches.get(hb).is_some_and(|earlier| {
                                let earlier = earlier.column(*i);
                                (hb == bi || earlier.data_type() == array.data_type())
                                    && arrow_in::same(earlier.as_ref(), hr, array.as_ref(), r)
                            })
                        }
                        _ => false,
                    }
            }
            Kind::Opaque => false,
        };
        if !same {
            return false;
        }
    }
    if lists == 0 || last.kinds.len() != at.cols.len() {
        return false;
    }
    // The row's own texts, and the pairs of the built row's text and this row's where
    // they differ (a date is ten bytes, as the one it replaces).
    let mut repeat = Repeat::default();
    repeat.start = start;
    let mut texts: Vec<(Text<'a>, Text<'a>)> = Vec::new();
    for ((name, _, i), kind) in at.cols.iter().zip(&last.kinds) {
        if let Kind::Text(old) = kind {
            let Some(s) = text(batch.column(*i).as_ref(), r) else {
                return false; // never: checked above
            };
            if old.as_str() != s {
                texts.push((*old, b.text_of(s)));
            }
            repeat.set(name, s);
        }
    }
    b.again_omitted(&last.built, last.bytes, texts);
    for (col, kind) in last.kinds.iter().enumerate() {
        if let (Kind::List, Some(h)) = (kind, held.get_mut(col)) {
            *h = Some((row, bi, r));
        }
    }
    fills.push(Fill {
        course: row - at.first,
        field: Field::Row(repeat),
        from: last.row - at.first,
    });
    last.row = row;
    true
}
