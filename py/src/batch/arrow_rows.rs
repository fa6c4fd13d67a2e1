//! Reading a chunk's rows from Arrow record batches (a polars or pyarrow table): each row's
//! cells written into the chunk's document as a course, a list cell that builds the same
//! tree as the row before's placed as an empty list and filled once read.

use arrow_array::{Array, RecordBatch};
use takst::{Built, DocumentBuilder};

use super::fill::{filled, Field, Fill, Spare};
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
/// list cell built into the same value as the row before's (`Built::same`: the same JSON
/// written the same way) is placed as an empty list and its course filled once read, as
/// [`read_py_chunk`] does; a read with any problem is done again with every cell built.
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
/// the next chunk. With `fills`, a list cell built into the same value as the row before's
/// is placed as an empty list, listed in `fills`.
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
    let mut row = first;
    while row < total && row - first < chunk && (row == first || b.size() < CHUNK_BYTES) {
        let (mut bi, mut r) = cursor;
        while bi < batches.len() && r >= batches[bi].num_rows() {
            bi += 1;
            r = 0;
        }
        let Some(batch) = batches.get(bi) else { break };
        // A row with a problem is dropped whole once its cells are read (as a Python row
        // is), so that the chunk's request is of the other rows.
        let row_mark = b.mark();
        let problems_before = problems.len();
        b.begin_object();
        for (col, (name, cell, i)) in cols.iter().enumerate() {
            let array = batch.column(*i);
            if array.is_null(r) && *cell != Cell::Date {
                continue;
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
        }
        b.end();
        if problems.len() > problems_before {
            b.reset(&row_mark);
        }
        cursor = (bi, r + 1);
        row += 1;
    }
    (row - first, cursor)
}
