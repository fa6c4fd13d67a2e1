//! Arrow cells built into the request document (`takst::DocumentBuilder`): a courses table
//! from pandas, polars, pyarrow or duckdb, read through the Arrow C stream interface.
//! Integers stay integers, decimals are given as their exact digits, dates as `YYYY-MM-DD`;
//! a float column is refused like a Python float. Structs are objects without their null
//! fields, lists are lists, and a text cell of the `phases` or `changes` column is JSON text
//! (placed as the one value it holds).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{downcast_integer, Array, ArrayRef, RecordBatch};
use arrow_data::{validate_binary_view, ArrayData, ByteView};
use arrow_schema::{ArrowError, DataType, SchemaRef, TimeUnit};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;

use takst::DocumentBuilder;

use crate::pyjson::{too_deep, PathFn, Problem, MAX_DEPTH};

/// A courses table read through the Arrow C stream interface: its batches and schema. arrow-rs
/// asserts on some layouts it is handed (a sliced column of structs whose inner struct has no
/// fields panics in `ArrayData::slice` while the arrays are made): such a panic is caught (the
/// Python build unwinds; only the wasm profile aborts) and is a problem at `courses`, never a
/// `PanicException`. A Python exception (not a table) stays one.
pub fn import(
    courses: &Bound<'_, PyAny>,
) -> PyResult<Result<(Vec<RecordBatch>, SchemaRef), Problem>> {
    let read = quietly(|| -> PyResult<_> {
        let input: AnyRecordBatch = courses.extract()?;
        Ok(input.into_table()?.into_inner())
    });
    match read {
        Ok(Ok(table)) => Ok(Ok(table)),
        // An Arrow table that cannot be imported (a polars `Int128` column: a type the C
        // interface has, arrow-rs not) is the input's problem; anything that is no table
        // (no `__arrow_c_stream__`) and Ctrl-C stay the exceptions they are.
        Ok(Err(e))
            if !crate::pyjson::must_raise(&e)
                && courses
                    .hasattr(pyo3::intern!(courses.py(), "__arrow_c_stream__"))
                    .unwrap_or(false) =>
        {
            Ok(Err(Problem::typed(
                String::from("courses"),
                format!("the table could not be read as Arrow ({e})"),
            )))
        }
        Ok(Err(e)) => Err(e),
        Err(panic) => Ok(Err(Problem::new(
            "invalid_value",
            String::from("courses"),
            format!(
                "the table could not be read as Arrow: {}",
                panic_text(panic.as_ref())
            ),
        ))),
    }
}

/// The problems of the columns takst reads (`cols`: name, cell, index) that are not valid Arrow
/// data, one per column. The C stream interface hands over buffers unchecked (pyarrow's
/// `Array.from_buffers` checks offsets, not UTF-8), and a string that is not UTF-8 reaching
/// `&str` is undefined behaviour: each column is checked whole (`validate_full`: offsets, UTF-8
/// of every string column, the children of lists and structs, dictionary keys) once, O(rows).
/// A column that fails is an `invalid_value` problem at the first row found failing (the
/// shortest failing prefix of its batch; the row of a list's or struct's children is not
/// always told apart, when it is row 0 of the batch).
pub fn invalid(batches: &[RecordBatch], cols: &[(&str, Cell, usize)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, _, i) in cols {
        let mut first = 0;
        for batch in batches {
            let column = batch.column(*i);
            let rows = column.len();
            if rows > 0 {
                if let Err(e) = valid(column, rows) {
                    // The shortest prefix that is not valid: its last row is the first found.
                    let (mut good, mut bad) = (0, rows);
                    while bad - good > 1 {
                        let mid = good + (bad - good) / 2;
                        if valid(column, mid).is_ok() {
                            good = mid;
                        } else {
                            bad = mid;
                        }
                    }
                    problems.push(Problem::new(
                        "invalid_value",
                        format!("courses[{}].{name}", first + bad - 1),
                        format!(
                            "the column {name:?} is not valid Arrow data ({e}); takst reads \
                             no row of such a table"
                        ),
                    ));
                    break;
                }
            }
            first += batch.num_rows();
        }
    }
    problems
}

/// Whether the first `rows` rows of a column are valid Arrow data (a panic of the check, or of
/// slicing, is a problem too).
fn valid(column: &ArrayRef, rows: usize) -> Result<(), String> {
    let checked = quietly(|| {
        if rows == column.len() {
            validate_full(&column.to_data())
        } else {
            validate_full(&column.slice(0, rows).to_data())
        }
    });
    match checked {
        Ok(checked) => checked.map_err(|e| e.to_string()),
        Err(panic) => Err(panic_text(panic.as_ref()).to_string()),
    }
}

/// arrow-rs's `ArrayData::validate_full`, with the same result, but for string views' UTF-8
/// checked a word at a time. arrow-rs checks each view with `str::from_utf8` (some 200
/// instructions for a short string; a polars table's texts are views, four a row in the
/// benchmark's table: 1,000 of a row's 26,000 instructions, callgrind). Here a view is checked
/// as bytes first (`validate_binary_view`: its padding, buffer, offset, length and prefix, the
/// same checks), and then as text: a view of up to 12 bytes holds them, which are ASCII when
/// no byte of the 12 has its high bit set (the padding is zero); a longer text is checked
/// with `is_ascii`; only a text that is not ASCII goes through `str::from_utf8`. On any
/// failure arrow-rs's own `validate_values` checks the views again (after its `validate` and
/// `validate_nulls`, as `validate_data` runs them), so a column that is not valid is
/// reported in arrow-rs's words, as before.
fn validate_full(data: &ArrayData) -> Result<(), ArrowError> {
    if *data.data_type() == DataType::Utf8View {
        // `validate_data`, its `validate_values` only when the views are not found valid.
        data.validate()?;
        data.validate_nulls()?;
        if !string_views_valid(data) {
            data.validate_values()?;
        }
    } else {
        data.validate_data()?;
    }
    for (i, child) in data.child_data().iter().enumerate() {
        validate_full(child).map_err(|e| {
            ArrowError::InvalidArgumentError(format!(
                "{} child #{} invalid: {}",
                data.data_type(),
                i,
                e
            ))
        })?;
    }
    Ok(())
}

/// Whether a `Utf8View` array's views and buffers are valid, every string UTF-8 (`false`
/// when not, or not known: arrow-rs's check then says why).
fn string_views_valid(data: &ArrayData) -> bool {
    // The views as `validate_values` takes them: the array's own, from its offset. (Read as
    // `u128`s only from a buffer of whole, aligned ones, which `typed_data` asserts.)
    let Some(views) = data.buffers().first().and_then(|b| {
        let whole = b.len() % 16 == 0 && b.as_ptr().align_offset(16) == 0;
        let all: &[u128] = if whole { b.typed_data() } else { &[] };
        all.get(data.offset()..data.offset().checked_add(data.len())?)
    }) else {
        return false;
    };
    let buffers = data.buffers().get(1..).unwrap_or_default();
    if validate_binary_view(views, buffers).is_err() {
        return false;
    }
    // High bit of each of the 12 bytes after the length.
    const HIGH: u128 = 0x8080_8080_8080_8080_8080_8080 << 32;
    views.iter().all(|&v| {
        let len = v as u32;
        if len <= 12 {
            return v & HIGH == 0
                || std::str::from_utf8(&v.to_le_bytes()[4..4 + len as usize]).is_ok();
        }
        let view = ByteView::from(v);
        buffers
            .get(view.buffer_index as usize)
            .and_then(|b| {
                b.get(view.offset as usize..(view.offset as usize).checked_add(len as usize)?)
            })
            .is_some_and(|b| b.is_ascii() || std::str::from_utf8(b).is_ok())
    })
}

thread_local! {
    /// Whether a panic on this thread is caught by [`quietly`], and not to be printed.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `f` with a panic caught (arrow-rs asserting on data it was handed), and its message not
/// printed to stderr: it is reported as the table's problem. The module's panic hook is
/// the default one, which prints, for every panic but those (a panic of takst's own
/// elsewhere is a bug, and its message is wanted).
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let printing = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                printing(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let caught = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    caught
}

/// The message of a panic.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> &str {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s
    } else {
        "the Arrow reader stopped"
    }
}

/// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days from 1970-01-01 to a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A civil date, `days` days after 1970-01-01, as the string `YYYY-MM-DD` (what
/// `datetime.date.isoformat` writes for years 1 to 9999; a year beyond is written in full).
pub fn date(b: &mut DocumentBuilder<'_>, days: i64) {
    let (y, m, d) = civil(days);
    date_str(b, y, m, d);
}

/// A civil date built as the string `YYYY-MM-DD`: by the core for the dates `jiff` holds
/// (every date a course has), and through [`ymd_text`] beyond (Arrow's days reach further).
pub fn date_str(b: &mut DocumentBuilder<'_>, y: i64, m: u32, d: u32) {
    let date = (i16::try_from(y), i8::try_from(m), i8::try_from(d));
    if let (Ok(y), Ok(m), Ok(d)) = date {
        if let Ok(date) = jiff::civil::Date::new(y, m, d) {
            return b.date(date);
        }
    }
    let mut s = String::with_capacity(16);
    ymd_text(&mut s, y, m, d);
    b.str(&s);
}

/// A civil date's text (`YYYY-MM-DD`) kept in the builder's arena, to be placed as a string
/// again and again ([`DocumentBuilder::str_text`]).
pub fn date_text<'a>(b: &mut DocumentBuilder<'a>, y: i64, m: u32, d: u32) -> takst::Text<'a> {
    let mut s = String::with_capacity(16);
    ymd_text(&mut s, y, m, d);
    b.text_of(&s)
}

/// A civil date as `YYYY-MM-DD`, without quotes.
pub fn ymd_text(out: &mut String, y: i64, m: u32, d: u32) {
    // Four digits at least, zero-padded.
    for bound in [1000, 100, 10] {
        if (0..bound).contains(&y) {
            out.push('0');
        }
    }
    out.push_str(itoa::Buffer::new().format(y));
    for (sep, v) in [('-', m), ('-', d)] {
        out.push(sep);
        if v < 10 {
            out.push('0');
        }
        out.push_str(itoa::Buffer::new().format(v));
    }
}

/// A decimal's exact text from its unscaled integer and scale.
pub fn decimal_text(unscaled: &str, scale: i8) -> String {
    let (sign, digits) = match unscaled.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", unscaled),
    };
    if scale <= 0 {
        let zeros = "0".repeat(usize::from(scale.unsigned_abs()));
        return if digits == "0" {
            String::from("0")
        } else {
            format!("{sign}{digits}{zeros}")
        };
    }
    let s = usize::from(scale.unsigned_abs());
    let padded = format!("{digits:0>width$}", width = s + 1);
    let (whole, frac) = padded.split_at(padded.len() - s);
    format!("{sign}{whole}.{frac}")
}

/// How a cell is written.
#[derive(Clone, Copy, PartialEq)]
pub enum Cell {
    /// Any value.
    Value,
    /// A date (`start`): a timestamp at midnight without a time zone is its date.
    Date,
    /// Text (`id`, `municipality`, `offer`): a number is written as its text.
    Text,
    /// A list of objects (`phases`, `changes`), or its JSON text.
    Json,
}

/// Whether cell `i` of `array` holds no value: a null, or any cell of a column of Arrow's
/// null type (pyarrow's type for a column of `None`s), which arrow-rs holds without a
/// validity buffer, so that its `is_null` is false. Such a cell is left out, as every other
/// null is.
pub fn absent(array: &dyn Array, i: usize) -> bool {
    array.is_null(i) || *array.data_type() == DataType::Null
}

/// Builds row `i` of `array` into the request document.
pub fn write(
    b: &mut DocumentBuilder<'_>,
    array: &dyn Array,
    i: usize,
    cell: Cell,
    path: PathFn,
) -> Result<(), Problem> {
    if array.is_null(i) {
        b.null();
        return Ok(());
    }
    let text = cell == Cell::Text;
    macro_rules! int {
        ($t:ty) => {{
            let v = array.as_primitive::<$t>().value(i);
            match i64::try_from(v) {
                Ok(v) if !text => b.int(v),
                _ if text => b.str(itoa::Buffer::new().format(v)),
                _ => b.number(itoa::Buffer::new().format(v)),
            }
        }};
    }
    match array.data_type() {
        DataType::Null => b.null(),
        DataType::Boolean => b.bool(array.as_boolean().value(i)),
        DataType::Int8 => int!(Int8Type),
        DataType::Int16 => int!(Int16Type),
        DataType::Int32 => int!(Int32Type),
        DataType::Int64 => int!(Int64Type),
        DataType::UInt8 => int!(UInt8Type),
        DataType::UInt16 => int!(UInt16Type),
        DataType::UInt32 => int!(UInt32Type),
        DataType::UInt64 => int!(UInt64Type),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            let p = path();
            return Err(Problem::typed(
                p.clone(),
                format!(
                    "a float column ({}); give money and percentages as decimal, integer or \
                     text columns (binary floating point cannot hold 0.1 kr exactly, and takst \
                     never guesses which decimal was meant)",
                    array.data_type()
                ),
            ));
        }
        DataType::Decimal128(_, s) => {
            let v = array.as_primitive::<Decimal128Type>().value(i);
            b.str(&decimal_text(&v.to_string(), *s));
        }
        DataType::Decimal256(_, s) => {
            let v = array.as_primitive::<Decimal256Type>().value(i);
            b.str(&decimal_text(&v.to_string(), *s));
        }
        DataType::Utf8 => string(b, array.as_string::<i32>().value(i), cell, path)?,
        DataType::LargeUtf8 => string(b, array.as_string::<i64>().value(i), cell, path)?,
        DataType::Utf8View => string(b, array.as_string_view().value(i), cell, path)?,
        DataType::Date32 => date(b, i64::from(array.as_primitive::<Date32Type>().value(i))),
        DataType::Date64 => {
            let ms = array.as_primitive::<Date64Type>().value(i);
            midnight(b, ms, 86_400_000, path)?;
        }
        DataType::Timestamp(unit, tz) => {
            if tz.is_some() {
                let p = path();
                return Err(Problem::new(
                    "invalid_value",
                    p.clone(),
                    String::from("a timestamp with a time zone; give a date"),
                ));
            }
            let (v, per_day) = match unit {
                TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().value(i), 86_400),
                TimeUnit::Millisecond => (
                    array.as_primitive::<TimestampMillisecondType>().value(i),
                    86_400_000,
                ),
                TimeUnit::Microsecond => (
                    array.as_primitive::<TimestampMicrosecondType>().value(i),
                    86_400_000_000,
                ),
                TimeUnit::Nanosecond => (
                    array.as_primitive::<TimestampNanosecondType>().value(i),
                    86_400_000_000_000,
                ),
            };
            midnight(b, v, per_day, path)?;
        }
        DataType::List(_) => items(b, &array.as_list::<i32>().value(i), path)?,
        DataType::LargeList(_) => items(b, &array.as_list::<i64>().value(i), path)?,
        DataType::FixedSizeList(_, _) => items(b, &array.as_fixed_size_list().value(i), path)?,
        DataType::Struct(fields) => {
            if b.depth() >= MAX_DEPTH {
                return Err(too_deep(path));
            }
            let s = array.as_struct();
            b.begin_object();
            for (f, col) in fields.iter().zip(s.columns()) {
                if absent(col.as_ref(), i) {
                    continue;
                }
                let name = f.name();
                b.key(name);
                write(b, col.as_ref(), i, Cell::Value, &|| {
                    crate::pyjson::key_path(&path(), name)
                })?;
            }
            b.end();
        }
        DataType::Dictionary(key_type, _) => {
            // The key of this cell alone, read by the keys' type (`normalized_keys` would make
            // a vector of every key of the array for each cell), and checked against the
            // dictionary: Arrow does not check keys on import, and an empty dictionary or a key
            // past its end is a problem at the cell, never a panic or another value.
            let d = array.as_any_dictionary();
            let values = d.values();
            let Some(key) = dictionary_key(d, key_type, i) else {
                return Err(Problem::new(
                    "invalid_value",
                    path(),
                    format!(
                        "a dictionary-encoded cell whose key is not in its dictionary (of {} \
                         values); the column is not valid Arrow data",
                        values.len()
                    ),
                ));
            };
            write(b, values.as_ref(), key, cell, path)?;
        }
        other => {
            let p = path();
            return Err(Problem::typed(
                p.clone(),
                format!("takst cannot read an Arrow column of type {other}"),
            ));
        }
    }
    Ok(())
}

/// Whether row `i` of `a` and row `j` of `b` (two cells of one column, whose arrays have the
/// same type) are written by [`write`] as the same builder calls: the same value, written the
/// same way. Read in place, without building either or slicing a list: so a row's list equal
/// to the row before's is known without building it (a chunk's rows mostly repeat a few
/// plans). False for anything `write` refuses or that this does not compare (a float, a
/// timestamp with a time zone, a type takst does not read), which is then built and reported
/// as before; false is always safe, true only when the two are written alike.
pub fn same(a: &dyn Array, i: usize, b: &dyn Array, j: usize) -> bool {
    same_run(a, i, b, j, 1)
}

/// Whether the `len` cells of `a` from `i` and of `b` from `j` are each written alike
/// ([`same`]): each column of a list's items compared as a run, so that a type is matched and
/// an array cast once a run, not once a cell.
fn same_run(a: &dyn Array, i: usize, b: &dyn Array, j: usize, len: usize) -> bool {
    let (Some(end_a), Some(end_b)) = (i.checked_add(len), j.checked_add(len)) else {
        return false;
    };
    if end_a > a.len() || end_b > b.len() {
        return false;
    }
    // Nulls first: a null is written as `null` (a struct's field as no key), whatever its
    // slot holds, so a run is compared where both are valid, and is unlike where one is.
    let nulls = a.null_count() > 0 || b.null_count() > 0;
    if nulls && (0..len).any(|k| a.is_null(i + k) != b.is_null(j + k)) {
        return false;
    }
    let valid = |k: usize| !nulls || !a.is_null(i + k);
    fn values<T: ArrowPrimitiveType>(
        a: &dyn Array,
        i: usize,
        b: &dyn Array,
        j: usize,
        len: usize,
        valid: impl Fn(usize) -> bool,
    ) -> bool
    where
        T::Native: PartialEq,
    {
        let (va, vb) = (
            a.as_primitive::<T>().values(),
            b.as_primitive::<T>().values(),
        );
        match (va.get(i..i + len), vb.get(j..j + len)) {
            (Some(ra), Some(rb)) => (0..len).all(|k| !valid(k) || ra[k] == rb[k]),
            _ => false,
        }
    }
    fn lists<O: arrow_array::OffsetSizeTrait>(
        a: &dyn Array,
        i: usize,
        b: &dyn Array,
        j: usize,
        len: usize,
        valid: impl Fn(usize) -> bool,
    ) -> bool {
        let (la, lb) = (a.as_list::<O>(), b.as_list::<O>());
        let (oa, ob) = (la.value_offsets(), lb.value_offsets());
        let (Some(oa), Some(ob)) = (oa.get(i..=i + len), ob.get(j..=j + len)) else {
            return false;
        };
        // Each valid cell's items, as a run of the lists' values.
        (0..len).all(|k| {
            if !valid(k) {
                return true;
            }
            let (Some(sa), Some(ea), Some(sb), Some(eb)) = (
                oa[k].to_usize(),
                oa[k + 1].to_usize(),
                ob[k].to_usize(),
                ob[k + 1].to_usize(),
            ) else {
                return false;
            };
            ea >= sa
                && eb >= sb
                && ea - sa == eb - sb
                && same_run(la.values().as_ref(), sa, lb.values().as_ref(), sb, ea - sa)
        })
    }
    fn texts<'x>(
        len: usize,
        valid: impl Fn(usize) -> bool,
        a: impl Fn(usize) -> &'x str,
        b: impl Fn(usize) -> &'x str,
    ) -> bool {
        (0..len).all(|k| !valid(k) || a(k) == b(k))
    }
    match a.data_type() {
        DataType::Null => true,
        DataType::Boolean => {
            let (ba, bb) = (a.as_boolean(), b.as_boolean());
            (0..len).all(|k| !valid(k) || ba.value(i + k) == bb.value(j + k))
        }
        t if t.is_integer() => {
            macro_rules! ints {
                ($t:ty, $a:ident, $i:ident, $b:ident, $j:ident, $len:ident, $valid:ident) => {
                    values::<$t>($a, $i, $b, $j, $len, $valid)
                };
            }
            downcast_integer! { t => (ints, a, i, b, j, len, valid), _ => false }
        }
        DataType::Decimal128(_, _) => values::<Decimal128Type>(a, i, b, j, len, valid),
        DataType::Decimal256(_, _) => values::<Decimal256Type>(a, i, b, j, len, valid),
        DataType::Date32 => values::<Date32Type>(a, i, b, j, len, valid),
        DataType::Date64 => values::<Date64Type>(a, i, b, j, len, valid),
        DataType::Timestamp(unit, None) => match unit {
            TimeUnit::Second => values::<TimestampSecondType>(a, i, b, j, len, valid),
            TimeUnit::Millisecond => values::<TimestampMillisecondType>(a, i, b, j, len, valid),
            TimeUnit::Microsecond => values::<TimestampMicrosecondType>(a, i, b, j, len, valid),
            TimeUnit::Nanosecond => values::<TimestampNanosecondType>(a, i, b, j, len, valid),
        },
        DataType::Utf8 => {
            let (sa, sb) = (a.as_string::<i32>(), b.as_string::<i32>());
            texts(len, valid, |k| sa.value(i + k), |k| sb.value(j + k))
        }
        DataType::LargeUtf8 => {
            let (sa, sb) = (a.as_string::<i64>(), b.as_string::<i64>());
            texts(len, valid, |k| sa.value(i + k), |k| sb.value(j + k))
        }
        DataType::Utf8View => {
            let (sa, sb) = (a.as_string_view(), b.as_string_view());
            let (va, vb) = (sa.views(), sb.views());
            (0..len).all(|k| {
                // A view of up to 12 bytes holds them (and zeros after them): equal views
                // are equal texts. A longer one names a buffer, so only within one array.
                !valid(k)
                    || match (va.get(i + k), vb.get(j + k)) {
                        (Some(x), Some(y))
                            if x == y && (*x as u32 <= 12 || std::ptr::eq(sa, sb)) =>
                        {
                            true
                        }
                        _ => sa.value(i + k) == sb.value(j + k),
                    }
            })
        }
        DataType::List(_) => lists::<i32>(a, i, b, j, len, valid),
        DataType::LargeList(_) => lists::<i64>(a, i, b, j, len, valid),
        DataType::FixedSizeList(_, n) => {
            let (la, lb) = (a.as_fixed_size_list(), b.as_fixed_size_list());
            let Ok(n) = usize::try_from(*n) else {
                return false;
            };
            (0..len).all(|k| {
                !valid(k)
                    || match ((i + k).checked_mul(n), (j + k).checked_mul(n)) {
                        (Some(sa), Some(sb)) => {
                            same_run(la.values().as_ref(), sa, lb.values().as_ref(), sb, n)
                        }
                        _ => false,
                    }
            })
        }
        DataType::Struct(_) => {
            // Each field as a run: where the struct is null, both are (checked above), and
            // a null struct's fields are never written, so they are compared only when the
            // run has no null struct; else cell by cell.
            let (sa, sb) = (a.as_struct(), b.as_struct());
            if sa.columns().len() != sb.columns().len() {
                return false;
            }
            let fields = sa.columns().iter().zip(sb.columns());
            if !nulls {
                return fields
                    .into_iter()
                    .all(|(ca, cb)| same_run(ca.as_ref(), i, cb.as_ref(), j, len));
            }
            (0..len).all(|k| {
                !valid(k)
                    || sa
                        .columns()
                        .iter()
                        .zip(sb.columns())
                        .all(|(ca, cb)| same_run(ca.as_ref(), i + k, cb.as_ref(), j + k, 1))
            })
        }
        DataType::Dictionary(key_type, _) => {
            let (da, db) = (a.as_any_dictionary(), b.as_any_dictionary());
            (0..len).all(|k| {
                !valid(k)
                    || match (
                        dictionary_key(da, key_type, i + k),
                        dictionary_key(db, key_type, j + k),
                    ) {
                        (Some(ka), Some(kb)) => {
                            same_run(da.values().as_ref(), ka, db.values().as_ref(), kb, 1)
                        }
                        _ => false,
                    }
            })
        }
        _ => false,
    }
}

/// The key of cell `i` of a dictionary column, when it is in its dictionary.
fn dictionary_key(
    d: &dyn arrow_array::AnyDictionaryArray,
    key_type: &DataType,
    i: usize,
) -> Option<usize> {
    let keys = d.keys();
    macro_rules! key {
        ($t:ty, $keys:ident, $i:ident) => {
            usize::try_from($keys.as_primitive::<$t>().value($i)).ok()
        };
    }
    let key = downcast_integer! { key_type => (key, keys, i), _ => None };
    key.filter(|k| *k < d.values().len())
}

fn string(b: &mut DocumentBuilder<'_>, s: &str, cell: Cell, path: PathFn) -> Result<(), Problem> {
    if cell != Cell::Json {
        b.str(s);
        return Ok(());
    }
    // JSON text, read by the core as the value of the field.
    json_cell(b, s, path)
}

/// A cell of JSON text (`phases`, `changes`) placed as its value; a syntax error is reported
/// at the cell's path, with its line and column in the cell's text.
pub fn json_cell(b: &mut DocumentBuilder<'_>, s: &str, path: PathFn) -> Result<(), Problem> {
    let Err(e) = b.json(s) else {
        return Ok(());
    };
    let what = e
        .as_slice()
        .first()
        .map(|e| match e.position() {
            Some((line, column)) => format!("{} at line {line} column {column}", e.message()),
            None => e.message().to_string(),
        })
        .unwrap_or_default();
    let p = path();
    Err(Problem::new(
        "syntax",
        p.clone(),
        format!("not JSON text: {what}"),
    ))
}

fn midnight(
    b: &mut DocumentBuilder<'_>,
    v: i64,
    per_day: i64,
    path: PathFn,
) -> Result<(), Problem> {
    if v.rem_euclid(per_day) != 0 {
        let p = path();
        return Err(Problem::new(
            "invalid_value",
            p.clone(),
            String::from("a timestamp with a time of day; give a date"),
        ));
    }
    date(b, v.div_euclid(per_day));
    Ok(())
}

fn items(b: &mut DocumentBuilder<'_>, items: &ArrayRef, path: PathFn) -> Result<(), Problem> {
    if b.depth() >= MAX_DEPTH {
        return Err(too_deep(path));
    }
    b.begin_list();
    for j in 0..items.len() {
        write(b, items.as_ref(), j, Cell::Value, &|| {
            format!("{}[{j}]", path())
        })?;
    }
    b.end();
    Ok(())
}
