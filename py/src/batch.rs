//! Many courses priced by the same core function as one: each chunk of rows becomes one
//! request (`{"version": 1, ...head, "courses": [...]}`), read by the core's strict reader and
//! priced by `takst::evaluate_each`, which hands over each quote as it is priced; only the
//! figures come back, as Arrow columns. Row numbers in problems are counted over the whole
//! table.

use arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::PyTable;

use crate::arrow_in::{self, Cell};
use crate::arrow_out::{Courses, Lines};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{mpsc, Mutex};

use takst::{Arena, DocumentBuilder};

use crate::pyjson::{Problem, Writer};

mod arrow_rows;
mod fill;
mod py_rows;
use arrow_rows::{read_arrow_chunk, ArrowAt};
use fill::{filled, phase_lists, Fill, Spare};
use py_rows::py_rows;

/// A priced batch: the courses' figures and (when asked for) their invoice lines as
/// Arrow tables, and the problems as JSON.
#[pyclass(frozen, get_all, module = "takst._native")]
pub struct Batch {
    /// The courses priced.
    pub rows: usize,
    /// Per course: `days` (uint32), `total`, `compared`, `flat`, `difference`, `change`
    /// (decimal128(38, s), exact) and `warnings` (a list of code, path, message,
    /// message_da); an Arrow table (`__arrow_c_stream__`), `None` when there were errors.
    pub courses: Option<Py<PyAny>>,
    /// The invoice lines: `row`, `month`, `phase`, `service`, `add_on`, `start`, `end`
    /// (date32), `days`, `basis`, `quantity_per_month`, `unit`, `tariff`, `tariff_year`,
    /// `amount`, `invoice_date`.
    pub lines: Option<Py<PyAny>>,
    /// Errors as a JSON list (`[]` when every course was priced).
    pub errors: String,
    /// Every warning of the request as a JSON list.
    pub warnings: String,
    /// The courses that have warnings of their own: a JSON object from the row number (as
    /// text) to the row's warnings. Rows without warnings are left out, so a table of
    /// 100,000 quiet rows sends `{}` rather than 100,000 empty lists.
    pub row_warnings: String,
}

/// The columns read as the course's fields, and how.
const COLUMNS: [(&str, Cell); 6] = [
    ("id", Cell::Text),
    ("municipality", Cell::Text),
    ("offer", Cell::Text),
    ("start", Cell::Date),
    ("phases", Cell::Json),
    ("changes", Cell::Json),
];

/// A chunk ends after this many bytes of request (its compact JSON, `DocumentBuilder::size`;
/// the core reads at most 16 MiB). It takes one row at least, however large.
const CHUNK_BYTES: usize = 8 * 1024 * 1024;
/// Errors reported for one batch (as for one request).
const MAX_ERRORS: usize = 1000;

/// Room in the arena for a row's tree (some 150 bytes of JSON for three phases).
const ROW_BYTES: usize = 512;

enum Source<'py> {
    Py(Vec<(&'static str, Cell, Bound<'py, PyList>)>),
    Arrow(Vec<RecordBatch>, Vec<(&'static str, Cell, usize)>),
}

/// The course a path is at (`courses[n]…`), and the rest of the path after it.
fn course_at(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("courses[")?;
    let end = rest.find(']')?;
    Some((rest.get(..end)?.parse().ok()?, rest.get(end + 1..)?))
}

/// An error's or warning's path `courses[n]…` moved to `courses[to(n)]…` (left as it is
/// when it is at no course or `to` has no row for it).
fn move_course(v: &mut serde_json::Value, to: impl Fn(usize) -> Option<usize>) {
    let moved = v
        .get("path")
        .and_then(|p| p.as_str())
        .and_then(course_at)
        .and_then(|(n, rest)| Some(format!("courses[{}]{rest}", to(n)?)));
    if let Some(moved) = moved {
        v["path"] = serde_json::Value::String(moved);
    }
}

/// The request's path for `courses[row]` counted from `offset`.
fn shift(v: &mut serde_json::Value, offset: usize) {
    if offset != 0 {
        move_course(v, |n| n.checked_add(offset));
    }
}

/// Where a chunk's courses are in the table: course `k` of the chunk's request is row
/// `first + k`, or, when rows of the chunk were refused before the core (and so are not in
/// its request), the `k`-th of the rows kept.
enum Rows {
    From(usize),
    Kept(Vec<usize>),
}

impl Rows {
    /// The rows of a chunk from `first`, `rows` long, without those `dropped` (sorted).
    fn of(first: usize, rows: usize, dropped: &[usize]) -> Rows {
        if dropped.is_empty() {
            return Rows::From(first);
        }
        let kept = (first..first.saturating_add(rows))
            .filter(|r| dropped.binary_search(r).is_err())
            .collect();
        Rows::Kept(kept)
    }

    /// The row in the table of the chunk's course `k`.
    fn row(&self, k: usize) -> Option<usize> {
        match self {
            Rows::From(first) => first.checked_add(k),
            Rows::Kept(kept) => kept.get(k).copied(),
        }
    }

    /// An error or warning of the chunk's request with its path at the row in the table.
    fn placed<T: serde::Serialize>(&self, e: &T) -> serde_json::Value {
        match self {
            Rows::From(first) => shifted(e, *first),
            Rows::Kept(kept) => {
                let mut v = serde_json::to_value(e).unwrap_or(serde_json::Value::Null);
                move_course(&mut v, |k| kept.get(k).copied());
                v
            }
        }
    }
}

/// The rows (of the table) that problems found before the core are at, sorted and each once;
/// `None` when a problem is not at a row.
fn rows_at(problems: &[Problem]) -> Option<Vec<usize>> {
    let mut rows = Vec::with_capacity(problems.len());
    for p in problems {
        rows.push(course_at(&p.path)?.0);
    }
    rows.sort_unstable();
    rows.dedup();
    Some(rows)
}

fn row_path(row: usize, col: &str) -> String {
    format!("courses[{row}].{col}")
}

/// A batch of `rows` courses not read at all: a table that is not valid Arrow data.
fn refused(rows: usize, problems: &[Problem]) -> Batch {
    let errors: Vec<serde_json::Value> = problems.iter().map(Problem::to_json).collect();
    Batch {
        rows,
        courses: None,
        lines: None,
        errors: crate::_native::json(&errors),
        warnings: String::from("[]"),
        row_warnings: String::from("{}"),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn price(
    py: Python<'_>,
    head: &str,
    courses: &Bound<'_, PyAny>,
    lines: bool,
    progress: Option<Bound<'_, PyAny>>,
    chunk: usize,
    parallel: bool,
    workers: Option<usize>,
) -> PyResult<Batch> {
    let (source, total) = if let Ok(d) = courses.cast::<PyDict>() {
        let mut cols = Vec::new();
        let mut n = None;
        for (name, cell) in COLUMNS {
            if let Some(v) = d.get_item(name)? {
                let l = v.cast_into::<PyList>()?;
                n = Some(l.len());
                cols.push((name, cell, l));
            }
        }
        (Source::Py(cols), n.unwrap_or(0))
    } else {
        let (batches, schema) = match arrow_in::import(courses)? {
            Ok(table) => table,
            Err(problem) => return Ok(refused(0, &[problem])),
        };
        let mut cols = Vec::new();
        for (name, cell) in COLUMNS {
            if let Ok(i) = schema.index_of(name) {
                cols.push((name, cell, i));
            }
        }
        let n = batches.iter().map(RecordBatch::num_rows).sum();
        let invalid = arrow_in::invalid(&batches, &cols);
        if !invalid.is_empty() {
            return Ok(refused(n, &invalid));
        }
        (Source::Arrow(batches, cols), n)
    };

    let mut errors = Found::default();
    let mut warnings: Vec<serde_json::Value> = Vec::new();
    // Every chunk's paying municipalities at their rows, for the spellings of the whole table.
    let mut names: Vec<(usize, String)> = Vec::new();
    let writer = Writer::new(py)?;
    // The head is `to_json` of a dict, so an object; checked once, as every chunk opens
    // with it.
    let head_read = {
        let arena = Arena::new();
        let mut b = DocumentBuilder::new(&arena);
        b.begin_object();
        b.json_entries(head)
    };
    let head_ok = head_read.is_ok();
    if let Err(e) = head_read {
        errors.extend(e.into_vec().iter().map(|e| shifted(e, 0)));
    }
    // With more than one chunk and more than one core, chunks are priced on worker threads
    // (one per core) while this thread reads the next ones: the rows' Python objects need
    // the GIL, pricing does not. Chunks are still reported strictly in order, each with its
    // own columns appended when its turn comes, so the result, its errors and the progress
    // calls are those of pricing the chunks one after the other.
    let cores =
        workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let workers = if parallel && total > chunk && (cores > 1 || workers.is_some()) {
        cores.min(MAX_WORKERS)
    } else {
        0
    };
    let (mut out_courses, mut out_lines) = (Courses::default(), Lines::default());
    out_courses.reserve(total);
    // The queue of chunks to price, shared by the workers.
    let (to_workers, jobs) = mpsc::channel::<Job>();
    let jobs = Mutex::new(jobs);
    let (answers, from_workers) = mpsc::channel::<Answer>();
    std::thread::scope(|scope| -> PyResult<()> {
        let jobs = &jobs;
        // A worker that cannot be started leaves its share to the others, or to this thread.
        let started: Vec<_> = (0..workers)
            .map_while(|_| {
                let answers = answers.clone();
                std::thread::Builder::new()
                    .name("takst-batch".into())
                    .spawn_scoped(scope, move || work(jobs, &answers, lines))
                    .ok()
            })
            .collect();
        drop(answers);
        let run = || -> PyResult<()> {
            let mut from_workers = from_workers;
            // Arrow: the batch and row within it where the next chunk starts.
            let mut cursor = (0usize, 0usize);
            let mut read_to = 0usize;
            // Chunks read and not yet reported, in order, and answers that came early.
            let mut pending: VecDeque<Pending> = VecDeque::new();
            let mut early: BTreeMap<usize, Answer> = BTreeMap::new();
            // Phase lists of chunks priced, their buffers and texts kept to be filled again.
            let mut spare = Spare::default();
            let window = started.len() + 1;
            let mut seq = 0usize;
            loop {
                // Read ahead while the workers price. A chunk read ahead of one that ends the
                // batch (too many errors, an exception in `progress`) is dropped unreported, as
                // if it had never been read. A table without rows is read as one chunk without
                // courses, as `price` of no courses is one request: the sheets' problems and
                // warnings are its own all the same. The batch goes on until it has a problem
                // beyond the 1,000 listed, which `Found::finish` notes as one request does.
                while pending.len() < window
                    && head_ok
                    && (read_to < total || seq == 0)
                    && errors.len() <= MAX_ERRORS
                {
                    let first = read_to;
                    let left = total - first;
                    let read = match &source {
                        Source::Py(cols) => read_py_chunk(
                            &writer, head, cols, first, left, total, chunk, &mut spare,
                        ),
                        Source::Arrow(batches, cols) => py.detach(|| {
                            let at = ArrowAt {
                                batches,
                                cols,
                                cursor,
                                first,
                                total,
                                chunk,
                            };
                            let (read, next) = read_arrow_chunk(head, left, &at, &mut spare);
                            cursor = next;
                            read
                        }),
                    };
                    let mut read = read;
                    if let Some(e) = read.problems.iter_mut().find_map(|p| p.raise.take()) {
                        return Err(*e); // Ctrl-C (`KeyboardInterrupt`) and its like, as they are
                    }
                    read_to = first + read.rows;
                    let mut p = Pending {
                        seq,
                        first,
                        rows: read.rows,
                        placed: Rows::of(first, read.rows, &read.dropped),
                        problems: read.problems,
                        answer: None,
                        awaited: false,
                    };
                    seq += 1;
                    if let Some(request) = read.request {
                        // The figures are not collected once the batch has an error (nor
                        // for a chunk with a row refused before the core: its courses are
                        // priced for their problems only).
                        let take = errors.is_empty() && p.problems.is_empty();
                        let job = Job {
                            seq: p.seq,
                            request,
                            first,
                            take,
                        };
                        if started.is_empty() {
                            p.answer = Some(py.detach(|| price_caught(job, lines)));
                        } else {
                            // The queue's receiver lives as long as this function, so a send
                            // cannot fail; should every worker have stopped, the answers'
                            // channel closes and the chunk is answered with an error below.
                            let _ = to_workers.send(job);
                            p.awaited = true;
                        }
                    }
                    pending.push_back(p);
                    if started.is_empty() {
                        break;
                    }
                }
                let Some(mut p) = pending.pop_front() else {
                    break;
                };
                if errors.len() > MAX_ERRORS {
                    break;
                }
                if !p.problems.is_empty() {
                    errors.unread();
                }
                errors.extend(p.problems.iter().map(Problem::to_json));
                if p.awaited {
                    while !early.contains_key(&p.seq) {
                        // Waited for without the GIL (the receiver goes there and back).
                        let (back, answer) = py.detach(move || {
                            let answer = from_workers.recv();
                            (from_workers, answer)
                        });
                        from_workers = back;
                        let Ok(answer) = answer else {
                            early.insert(p.seq, stopped_answer(p.seq));
                            break;
                        };
                        early.insert(answer.seq, answer);
                    }
                    p.answer = early.remove(&p.seq);
                }
                if let Some(answer) = p.answer {
                    spare.keep(answer.spare, chunk);
                    names.extend(
                        answer
                            .names
                            .into_iter()
                            .filter_map(|(k, m)| Some((p.placed.row(k)?, m))),
                    );
                    // Each chunk's figures join the batch's in order; those of a batch with
                    // errors are dropped, as a batch with errors returns no table.
                    let ok = answer.priced.as_ref().is_ok_and(|r| r.ok);
                    report(
                        answer.priced,
                        p.first,
                        &p.placed,
                        &mut errors,
                        &mut warnings,
                    );
                    if ok && errors.is_empty() {
                        let (mut c, mut l) = answer.out;
                        out_courses.append(&mut c);
                        out_lines.append(&mut l);
                    }
                }
                finish_chunk(p.first + p.rows, total, progress.as_ref(), py)?;
            }
            Ok(())
        };
        let result = run();
        // The workers end with the queue: joined here, so that nothing they did outlives the
        // call.
        drop(to_workers);
        for w in started {
            let _ = py.detach(|| w.join());
        }
        result
    })?;
    let errors = errors.finish();
    let failed = !errors.is_empty();
    // A chunk sees only its own names, so the spellings are those of the whole table, warned of
    // last, as one request warns of them after its courses (`report` leaves the chunks' out).
    if !failed {
        warnings.extend(
            takst::municipality_spellings(names.iter().map(|(row, m)| (*row, m.as_str())))
                .iter()
                .map(|w| shifted(w, 0)),
        );
    }
    // A failed batch returns no rows, so no row's warnings either (its last chunk may have
    // handed over some rows before the course that failed).
    let row_warnings = if failed {
        String::from("{}")
    } else {
        serde_json::to_string(
            &out_courses
                .warnings
                .iter()
                .enumerate()
                .filter(|(_, ws)| !ws.is_empty())
                .collect::<std::collections::BTreeMap<usize, &Vec<serde_json::Value>>>(),
        )
        .unwrap_or_else(|_| String::from("{}"))
    };
    let table = |batch: RecordBatch| -> PyResult<Py<PyAny>> {
        let schema = batch.schema();
        Ok(PyTable::try_new(vec![batch], schema)?
            .into_pyobject(py)?
            .into_any()
            .unbind())
    };
    let (courses, lines_table) = if failed {
        (None, None)
    } else {
        let c = out_courses
            .finish()
            .map_err(pyo3_arrow::error::PyArrowError::from)?;
        let l = if lines {
            Some(table(
                out_lines
                    .finish()
                    .map_err(pyo3_arrow::error::PyArrowError::from)?,
            )?)
        } else {
            None
        };
        (Some(table(c)?), l)
    };
    Ok(Batch {
        rows: total,
        courses,
        lines: lines_table,
        errors: crate::_native::json(&errors),
        warnings: crate::_native::json(&warnings),
        row_warnings,
    })
}

/// The batch's errors: those of the request, then the rows' in the order of the rows
/// (`finish`). Each chunk is its own request, so a problem of the whole request (of the index,
/// a catalogue, the billing: at a path that is not a row's, `courses[n]…`) is reported by
/// every chunk read, the same each time: it is kept once, and counts once towards
/// [`MAX_ERRORS`]. A problem at a row is the row's own, each kept.
///
/// The request's `depends_on_error` note (its courses not priced, because of a problem of the
/// index, a catalogue or the billing) is left out once a row did not read (refused before the
/// core, or by its reader), as the core leaves it out of a request some of whose courses do
/// not read (`core/src/evaluate/rest.rs`): otherwise whether a chunk without such a row was
/// read, which the chunk size decides, would decide whether the note is there.
#[derive(Default)]
struct Found {
    list: Vec<serde_json::Value>,
    /// The compact JSON of the problems kept that are not at a row, to tell one met again
    /// (every field: the same path with another message, a size in bytes, is another).
    seen: std::collections::HashSet<String>,
    /// Whether a row did not read.
    unread: bool,
}

/// Whether a problem is at a row (`courses[n]…`), not of the whole request.
fn at_a_row(e: &serde_json::Value) -> bool {
    e.get("path")
        .and_then(|p| p.as_str())
        .is_some_and(|p| course_at(p).is_some())
}

impl Found {
    /// Whether a problem is one `finish` would leave out: the courses' `depends_on_error`
    /// note once a row did not read.
    fn left_out(&self, e: &serde_json::Value) -> bool {
        self.unread && !at_a_row(e) && e["code"] == "depends_on_error"
    }

    fn push(&mut self, e: serde_json::Value) {
        if self.left_out(&e) {
            return;
        }
        if at_a_row(&e) || self.seen.insert(e.to_string()) {
            self.list.push(e);
        }
    }

    fn extend(&mut self, errors: impl IntoIterator<Item = serde_json::Value>) {
        for e in errors {
            self.push(e);
        }
    }

    /// A row did not read: the note is left out from now on, and the one kept already is
    /// taken out at once, so that it never counts towards [`MAX_ERRORS`] (counted and left
    /// out at the end, it took the place of a problem: 999 listed where there were more).
    fn unread(&mut self) {
        if !self.unread {
            self.unread = true;
            let mut list = std::mem::take(&mut self.list);
            list.retain(|e| !self.left_out(e));
            self.list = list;
        }
    }

    /// The problems kept, each counted once.
    fn len(&self) -> usize {
        self.list.len()
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The list, cut at [`MAX_ERRORS`] and then noted as cut, in the words and at the place
    /// one request notes it (`takst::too_many_problems`): a list of exactly 1,000 is every
    /// problem, one of 1,000 and the note is not (before, the note was cut off with the rest,
    /// and a chunk's own was cut with it).
    ///
    /// The request's problems come first, in the order first met, then the rows' in the order
    /// of the rows, each row's in the order it reported them: the order one row a chunk gives,
    /// whatever the chunks. (A chunk lists the problems its binding found before the core's,
    /// and the core its reading problems before the problems found in pricing, so a chunk of
    /// several rows listed a later row's problem before an earlier row's.) The batch reads its
    /// chunks in order and stops after the one that takes it past [`MAX_ERRORS`], so the first
    /// problems in this order are those of the first rows, whatever the chunks, unless one
    /// chunk alone has more than the core lists in one request (`Limits::errors`, 1,000): the
    /// core then cuts that chunk's list (its reading problems before those found in pricing),
    /// so a row's problem the core left out is not listed, where one row a chunk lists it; the
    /// list then ends with the note that it is cut, either way.
    fn finish(self) -> Vec<serde_json::Value> {
        let mut list = self.list;
        // A chunk's own note that its list is cut (the core's, at `Limits::default().errors`)
        // goes last, where it stood; the batch's own takes its place below.
        let cut = shifted(
            &takst::too_many_problems(takst::Limits::default().errors),
            0,
        );
        // (Stable: problems of one row, and of the request, keep their order.)
        list.sort_by_cached_key(|e| {
            if *e == cut {
                return (2, 0);
            }
            match e.get("path").and_then(|p| p.as_str()).and_then(course_at) {
                Some((row, _)) => (1, row),
                None => (0, 0),
            }
        });
        if list.len() > MAX_ERRORS {
            list.truncate(MAX_ERRORS);
            list.push(shifted(&takst::too_many_problems(MAX_ERRORS), 0));
        }
        list
    }
}

/// A chunk read: the rows it took, the problems found in them before the core and the rows
/// they are at (left out of the request), and the core's reading of its request (of the
/// other rows, if any).
struct Read {
    rows: usize,
    problems: Vec<Problem>,
    dropped: Vec<usize>,
    request: Option<Result<takst::Request, takst::Errors>>,
}

/// Worker threads at most, however many cores. Reading is about a quarter of a row's work, so
/// the thread that reads keeps about three workers busy on rows of their own phase lists and
/// more on shared lists or Arrow; each worker holds a chunk, and one more is read ahead.
const MAX_WORKERS: usize = 8;

/// A chunk's request to price: its place in the batch, its first row, and whether its
/// figures are collected (not once the batch has an error).
struct Job {
    seq: usize,
    request: Result<takst::Request, takst::Errors>,
    first: usize,
    take: bool,
}

/// The core's answer for a chunk, with the chunk's own columns and its courses' phase lists
/// (for [`Spare`]).
struct Answer {
    seq: usize,
    priced: Priced,
    out: (Courses, Lines),
    spare: Vec<Vec<takst::Phase>>,
    /// The paying municipalities of the chunk's courses, each once, at the first course that
    /// writes it (its number in the chunk's request), in order.
    names: Vec<(usize, String)>,
}

/// A chunk read and not yet reported: its problems before the core, and the core's answer
/// once it has it (`awaited`: a worker is pricing it).
struct Pending {
    seq: usize,
    first: usize,
    rows: usize,
    problems: Vec<Problem>,
    /// The rows of the chunk's request.
    placed: Rows,
    answer: Option<Answer>,
    awaited: bool,
}

/// The core's answer for a chunk.
type Priced = Result<takst::Response, takst::Errors>;

/// A worker: prices the jobs it takes from the shared queue until the queue closes. A panic
/// is caught and answered as an error, so that the thread that waits for the answer never
/// waits forever.
fn work(jobs: &Mutex<mpsc::Receiver<Job>>, answers: &mpsc::Sender<Answer>, lines: bool) {
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        if answers.send(price_caught(job, lines)).is_err() {
            return;
        }
    }
}

/// The next chunk's rows, built by `rows` (which returns how many it took, and lists in
/// `fills` the list cells it placed elsewhere) into one document in an arena (their tree,
/// without JSON text), and the document read as a request. A document with a cell placed
/// elsewhere and a row refused before the core is not read: with any problem it is built
/// again with every copy in place ([`filled`]), and that one is read.
fn read_chunk(
    head: &str,
    left: usize,
    chunk: usize,
    mut fills: Option<&mut Vec<Fill>>,
    rows: impl FnOnce(&mut DocumentBuilder<'_>, &mut Vec<Problem>, Option<&mut Vec<Fill>>) -> usize,
) -> Read {
    let arena = Arena::with_capacity(room(head, chunk, left));
    let mut b = open(&arena, head);
    let mut problems = Vec::new();
    let n = rows(&mut b, &mut problems, fills.as_deref_mut());
    let again = fills.is_some_and(|f| !f.is_empty()) && !problems.is_empty();
    finish_read(b, n, problems, !again)
}

/// The next chunk of Python rows read as a request. A list cell equal to one built earlier in
/// the chunk (the same object in the same column, or equal by value to the last list built
/// in its column, [`pyjson::same`]) is
/// not built and read again: the document holds an empty list in its place, counted as the
/// copy (`DocumentBuilder::again_elsewhere`), and the read request's field gets a clone of
/// the course's that was read from the first one (a phase list copied into one of `spare`'s).
/// A read with any problem is done again with every copy in its place
/// (`DocumentBuilder::again`), so that each problem is reported at each row, as the text of
/// the rows would have it.
#[allow(clippy::too_many_arguments)]
fn read_py_chunk<'py>(
    writer: &Writer<'py>,
    head: &str,
    cols: &[(&'static str, Cell, Bound<'py, PyList>)],
    first: usize,
    left: usize,
    total: usize,
    chunk: usize,
    spare: &mut Spare,
) -> Read {
    let mut fills = Vec::new();
    let read = read_chunk(head, left, chunk, Some(&mut fills), |b, problems, fills| {
        py_rows(writer, b, cols, first, total, chunk, problems, fills)
    });
    if read.problems.iter().any(|p| p.raise.is_some()) {
        return read; // not read again: the exception is raised
    }
    filled(read, &mut fills, spare).unwrap_or_else(|| {
        read_chunk(head, left, chunk, None, |b, problems, fills| {
            py_rows(writer, b, cols, first, total, chunk, problems, fills)
        })
    })
}

/// Room in a chunk's arena: the head twice and a row's worth per row, at most four chunks.
fn room(head: &str, chunk: usize, left: usize) -> usize {
    let room = 2 * head.len() + ROW_BYTES.saturating_mul(chunk.min(left));
    room.min(4 * CHUNK_BYTES)
}

/// The chunk's document closed and read as a request (the core's strict reader: every
/// problem at its path). A row with a problem before the core is not in the document (it is
/// dropped whole), so the request is of the other rows: their own problems are reported
/// beside those, whichever chunk they fall in, as the core reports the courses that read
/// beside those that do not. It is read when every row was dropped too (a request without
/// courses), for the problems of the whole request (a bad index, a catalogue's), which the
/// core reports beside its courses' reading problems when none of them reads. A problem that
/// is not at a row leaves the chunk unread, and so does `read` false.
fn finish_read(b: DocumentBuilder<'_>, rows: usize, problems: Vec<Problem>, read: bool) -> Read {
    let doc = close(b);
    let dropped = rows_at(&problems);
    let read = read && dropped.is_some();
    let request = read.then(|| {
        let doc = doc.as_ref().map_err(Clone::clone)?;
        takst::Request::from_document(doc, &takst::Limits::default())
    });
    Read {
        rows,
        problems,
        dropped: dropped.unwrap_or_default(),
        request,
    }
}

/// [`price_job`], a panic (the core has none; fuzzed) answered as an internal error on every
/// path, with workers or without.
fn price_caught(job: Job, lines: bool) -> Answer {
    let seq = job.seq;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| price_job(job, lines)))
        .unwrap_or_else(|_| stopped_answer(seq))
}

/// Prices a chunk's request, each quote's figures collected into the chunk's own columns as
/// it is priced; its courses' phase lists are handed back with the answer.
fn price_job(job: Job, lines: bool) -> Answer {
    let Job {
        seq,
        request,
        first,
        take,
    } = job;
    let mut out = (Courses::default(), Lines::default());
    let mut spare = Vec::new();
    let mut names = Vec::new();
    let priced = request.map(|mut request| {
        if take {
            out.0.reserve(request.courses.len());
        }
        request.options.explain = false;
        request.options.quotes = true;
        let (out_c, out_l) = &mut out;
        // The invoice lines a request may make, for each of the chunk's courses: a table
        // prices what its rows price one by one (with the one limit for the whole chunk, 520
        // courses of 1,000 months each were refused at the 501st, whichever row it was, where
        // one chunk a row priced them; found by a review). Each quote is collected as it is
        // made, and the table's own rows bound what it holds.
        let defaults = takst::Limits::default();
        let limits = takst::Limits {
            invoice_lines: defaults
                .invoice_lines
                .saturating_mul(request.courses.len().max(1)),
            ..defaults
        };
        let response = takst::evaluate_each(&request, &limits, &mut |i, q| {
            if take {
                collect(q, first, i, lines, out_c, out_l);
            }
        });
        names = municipalities(&request);
        spare = phase_lists(&mut request);
        response
    });
    Answer {
        seq,
        priced,
        out,
        spare,
        names,
    }
}

/// Each paying municipality the request's courses write, once, at the first course that writes
/// it (for [`takst::municipality_spellings`] over the whole table).
fn municipalities(request: &takst::Request) -> Vec<(usize, String)> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut names = Vec::new();
    // The course before's name, seen already (a table's rows repeat it): not hashed again.
    let mut before = None;
    for (k, c) in request.courses.iter().enumerate() {
        if let Some(m) = c.municipality.as_deref() {
            if before == Some(m) {
                continue;
            }
            before = Some(m);
            if seen.insert(m) {
                names.push((k, m.to_owned()));
            }
        }
    }
    names
}

/// A chunk's answer added to the batch's errors and warnings.
fn report(
    answer: Priced,
    first: usize,
    placed: &Rows,
    errors: &mut Found,
    warnings: &mut Vec<serde_json::Value>,
) {
    match answer {
        Err(e) => {
            // (The request did not read: a row's problems are its reading problems.)
            errors.unread();
            errors.extend(e.into_vec().iter().map(|e| placed.placed(e)));
        }
        Ok(response) if !response.ok => {
            errors.extend(response.errors.iter().map(|e| placed.placed(e)))
        }
        Ok(response) => {
            for w in &response.warnings {
                if w.code() == takst::WarningCode::MunicipalitySpelling {
                    // Of the chunk's names alone: the whole table's are added at the end.
                    continue;
                }
                let w = placed.placed(w);
                let of_a_course = w["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("courses["));
                if first == 0 || of_a_course {
                    warnings.push(w);
                }
            }
        }
    }
}

/// After each chunk: `progress(done, total)`, and Python's signals (Ctrl-C) are checked.
fn finish_chunk(
    done: usize,
    total: usize,
    progress: Option<&Bound<'_, PyAny>>,
    py: Python<'_>,
) -> PyResult<()> {
    if let Some(p) = progress {
        p.call1((done, total))?;
    }
    py.check_signals()
}

/// The answer of a chunk whose pricing stopped (only a panic could do it): an internal error.
fn stopped_answer(seq: usize) -> Answer {
    Answer {
        seq,
        priced: Err(takst::Errors::from(takst::Error::new(
            takst::ErrorCode::Internal,
            "courses",
            "pricing this chunk of the batch stopped before it answered",
            "Prissætningen af denne del af batchen stoppede, før den svarede (en fejl i takst).",
        ))),
        out: (Courses::default(), Lines::default()),
        spare: Vec::new(),
        names: Vec::new(),
    }
}

/// A chunk's request opened: the head's entries (the sheet, the index, ...; checked before
/// the first chunk), then the list of courses.
fn open<'a>(arena: &'a Arena, head: &str) -> DocumentBuilder<'a> {
    let mut b = DocumentBuilder::new(arena);
    b.begin_object();
    let _ = b.json_entries(head);
    b.key("courses");
    b.begin_list();
    b
}

/// The chunk's request closed: no explanation, the quotes handed over one by one.
fn close(mut b: DocumentBuilder<'_>) -> Result<takst::Document<'_>, takst::Errors> {
    b.end();
    b.key("options");
    b.begin_object();
    b.key("explain");
    b.bool(false);
    b.key("quotes");
    b.bool(true);
    b.end();
    b.end();
    b.finish()
}

fn shifted<T: serde::Serialize>(e: &T, offset: usize) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or(serde_json::Value::Null);
    shift(&mut v, offset);
    v
}

/// The figures of course `i` of the chunk that starts at row `first`.
fn collect(q: &takst::Quote, first: usize, i: usize, lines: bool, c: &mut Courses, l: &mut Lines) {
    c.days.push(q.days);
    c.total.push(Some(q.total));
    c.compared.push(q.comparison.as_ref().map(|x| x.course));
    c.flat.push(q.comparison.as_ref().map(|x| x.flat));
    c.difference
        .push(q.comparison.as_ref().map(|x| x.difference));
    c.change.push(q.changes.as_ref().map(|x| x.difference));
    c.warnings
        .push(q.warnings.iter().map(|w| shifted(w, first)).collect());
    if lines {
        let row = u32::try_from(first + i).unwrap_or(u32::MAX);
        for line in &q.lines {
            l.push(row, line);
        }
    }
}
