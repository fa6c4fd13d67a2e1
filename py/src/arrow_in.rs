//! Arrow cells to request JSON: a courses table from pandas, polars, pyarrow or duckdb,
//! read through the Arrow C stream interface. Integers stay integers, decimals are written
//! from their exact digits, dates as `YYYY-MM-DD`; a float column is refused like a Python
//! float. Structs are objects without their null fields, lists are arrays, and a text cell
//! of the `phases` or `changes` column is JSON text (checked to be one value).

use std::fmt::Write as _;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, OffsetSizeTrait};
use arrow_schema::{DataType, TimeUnit};

use crate::pyjson::{write_str, PathFn, Problem, MAX_DEPTH};

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

fn write_date(out: &mut String, days: i64) {
    let (y, m, d) = civil(days);
    write_ymd(out, y, m, d);
}

/// A civil date as a JSON string `"YYYY-MM-DD"` (what `datetime.date.isoformat` writes for
/// years 1 to 9999; a year beyond is written in full).
pub fn write_ymd(out: &mut String, y: i64, m: u32, d: u32) {
    out.push('"');
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
    out.push('"');
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

fn shown(path: &str) -> &str {
    if path.is_empty() {
        "value"
    } else {
        path
    }
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

/// Writes row `i` of `array` as JSON.
pub fn write(
    out: &mut String,
    array: &dyn Array,
    i: usize,
    cell: Cell,
    path: PathFn,
    depth: usize,
) -> Result<(), Problem> {
    if depth > MAX_DEPTH {
        let p = path();
        return Err(Problem::new(
            "syntax",
            p.clone(),
            format!(
                "{}: nested deeper than {MAX_DEPTH} levels (recursion limit exceeded)",
                shown(&p)
            ),
        ));
    }
    if array.is_null(i) {
        out.push_str("null");
        return Ok(());
    }
    let text = cell == Cell::Text;
    macro_rules! int {
        ($t:ty) => {{
            let v = array.as_primitive::<$t>().value(i);
            if text {
                let _ = write!(out, "\"{v}\"");
            } else {
                let _ = write!(out, "{v}");
            }
        }};
    }
    match array.data_type() {
        DataType::Null => out.push_str("null"),
        DataType::Boolean => out.push_str(if array.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
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
            return Err(Problem {
                code: "invalid_type",
                path: p.clone(),
                message: format!(
                    "{}: a float column ({}); give money and percentages as decimal, integer or \
                     text columns (binary floating point cannot hold 0.1 kr exactly, and takst \
                     never guesses which decimal was meant)",
                    shown(&p),
                    array.data_type()
                ),
                type_error: true,
            });
        }
        DataType::Decimal128(_, s) => {
            let v = array.as_primitive::<Decimal128Type>().value(i);
            write_str(out, &decimal_text(&v.to_string(), *s));
        }
        DataType::Decimal256(_, s) => {
            let v = array.as_primitive::<Decimal256Type>().value(i);
            write_str(out, &decimal_text(&v.to_string(), *s));
        }
        DataType::Utf8 => string(out, array.as_string::<i32>().value(i), cell, path)?,
        DataType::LargeUtf8 => string(out, array.as_string::<i64>().value(i), cell, path)?,
        DataType::Utf8View => string(out, array.as_string_view().value(i), cell, path)?,
        DataType::Date32 => write_date(out, i64::from(array.as_primitive::<Date32Type>().value(i))),
        DataType::Date64 => {
            let ms = array.as_primitive::<Date64Type>().value(i);
            midnight(out, ms, 86_400_000, path)?;
        }
        DataType::Timestamp(unit, tz) => {
            if tz.is_some() {
                let p = path();
                return Err(Problem::new(
                    "invalid_value",
                    p.clone(),
                    format!("{}: a timestamp with a time zone; give a date", shown(&p)),
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
            midnight(out, v, per_day, path)?;
        }
        DataType::List(_) => list(out, array.as_list::<i32>(), i, path, depth)?,
        DataType::LargeList(_) => list(out, array.as_list::<i64>(), i, path, depth)?,
        DataType::FixedSizeList(_, _) => {
            let items = array.as_fixed_size_list().value(i);
            items_json(out, &items, path, depth)?;
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            out.push('{');
            let mut first = true;
            for (f, col) in fields.iter().zip(s.columns()) {
                if col.is_null(i) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                write_str(out, f.name());
                out.push(':');
                let name = f.name();
                write(
                    out,
                    col.as_ref(),
                    i,
                    Cell::Value,
                    &|| crate::pyjson::key_path(&path(), name),
                    depth + 1,
                )?;
            }
            out.push('}');
        }
        DataType::Dictionary(_, _) => {
            let d = array.as_any_dictionary();
            let key = d.normalized_keys()[i];
            write(out, d.values().as_ref(), key, cell, path, depth)?;
        }
        other => {
            let p = path();
            return Err(Problem {
                code: "invalid_type",
                path: p.clone(),
                message: format!(
                    "{}: takst cannot read an Arrow column of type {other}",
                    shown(&p)
                ),
                type_error: true,
            });
        }
    }
    Ok(())
}

fn string(out: &mut String, s: &str, cell: Cell, path: PathFn) -> Result<(), Problem> {
    if cell != Cell::Json {
        write_str(out, s);
        return Ok(());
    }
    // JSON text, read by the core; here only checked to be exactly one JSON value, so that
    // it cannot end the request's own structure.
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(s) {
        let p = path();
        return Err(Problem::new(
            "syntax",
            p.clone(),
            format!("{}: not JSON text: {e}", shown(&p)),
        ));
    }
    out.push_str(s);
    Ok(())
}

fn midnight(out: &mut String, v: i64, per_day: i64, path: PathFn) -> Result<(), Problem> {
    if v.rem_euclid(per_day) != 0 {
        let p = path();
        return Err(Problem::new(
            "invalid_value",
            p.clone(),
            format!("{}: a timestamp with a time of day; give a date", shown(&p)),
        ));
    }
    write_date(out, v.div_euclid(per_day));
    Ok(())
}

fn list<O: OffsetSizeTrait>(
    out: &mut String,
    l: &arrow_array::GenericListArray<O>,
    i: usize,
    path: PathFn,
    depth: usize,
) -> Result<(), Problem> {
    let items = l.value(i);
    items_json(out, &items, path, depth)
}

fn items_json(
    out: &mut String,
    items: &ArrayRef,
    path: PathFn,
    depth: usize,
) -> Result<(), Problem> {
    out.push('[');
    for j in 0..items.len() {
        if j > 0 {
            out.push(',');
        }
        write(
            out,
            items.as_ref(),
            j,
            Cell::Value,
            &|| format!("{}[{j}]", path()),
            depth + 1,
        )?;
    }
    out.push(']');
    Ok(())
}
