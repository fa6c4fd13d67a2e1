//! Python values to request JSON, with the core's codes and paths for what the core cannot
//! see: a `float` (refused: binary floating point cannot hold 0.1 kr), a `Decimal` that is
//! not a finite number, an integer too large for any amount, a string that is not text (a
//! lone surrogate), nesting deeper than the core's reader allows, and two keys that become
//! the same text. Nothing here checks what a value means: the core reads the JSON.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

/// Nesting the core's JSON reader accepts (serde_json's recursion limit).
pub const MAX_DEPTH: usize = 128;

/// A problem found before the core: the core's code, the field's path, a message; and
/// whether Python should raise it as a `TypeError` as well (a float, a datetime, an object
/// takst cannot send).
#[derive(Debug)]
pub struct Problem {
    pub code: &'static str,
    pub path: String,
    pub message: String,
    pub type_error: bool,
}

impl Problem {
    pub fn new(code: &'static str, path: String, message: String) -> Problem {
        Problem {
            code,
            path,
            message,
            type_error: false,
        }
    }

    fn typed(path: String, message: String) -> Problem {
        Problem {
            code: "invalid_type",
            path,
            message,
            type_error: true,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "code": self.code, "path": self.path, "message": self.message,
        });
        if self.type_error {
            v["type_error"] = serde_json::Value::Bool(true);
        }
        v
    }
}

/// A field path, rendered only when a problem is reported.
pub type PathFn<'a> = &'a dyn Fn() -> String;

pub fn key_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn shown(path: &str) -> &str {
    if path.is_empty() {
        "value"
    } else {
        path
    }
}

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The Python types the writer recognises, imported once.
pub struct Types<'py> {
    pub decimal: Bound<'py, PyType>,
    pub date: Bound<'py, PyType>,
    pub datetime: Bound<'py, PyType>,
}

impl<'py> Types<'py> {
    pub fn get(py: Python<'py>) -> PyResult<Types<'py>> {
        Ok(Types {
            decimal: DECIMAL.import(py, "decimal", "Decimal")?.clone(),
            date: DATE.import(py, "datetime", "date")?.clone(),
            datetime: DATETIME.import(py, "datetime", "datetime")?.clone(),
        })
    }
}

/// A `datetime.date`'s year, month and day, read as attributes (the stable ABI has no
/// access to the C struct): cheaper than formatting its `isoformat()` and reading that back.
pub fn ymd(date: &Bound<'_, PyAny>) -> PyResult<(i64, u32, u32)> {
    let py = date.py();
    Ok((
        date.getattr(pyo3::intern!(py, "year"))?.extract()?,
        date.getattr(pyo3::intern!(py, "month"))?.extract()?,
        date.getattr(pyo3::intern!(py, "day"))?.extract()?,
    ))
}

/// Writes a JSON string (escaped as serde_json escapes it).
pub fn write_str(out: &mut String, s: &str) {
    // serde_json escapes only `"`, `\` and control characters; a text without them (every
    // key and nearly every value) is copied as it is.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    // serde_json never fails to write a &str, and writes valid UTF-8.
    let mut buf = Vec::with_capacity(s.len() + 8);
    let _ = serde_json::to_writer(&mut buf, s);
    out.push_str(&String::from_utf8(buf).unwrap_or_default());
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| String::from("object"))
}

/// The float refusal, in the words the Python package has always used.
pub fn float_problem(v: &Bound<'_, PyAny>, path: String) -> Problem {
    let repr = v
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| String::from("a float"));
    Problem::typed(
        path.clone(),
        format!(
            "{}: {repr} is a float; give money and percentages as Decimal, int or str (binary \
             floating point cannot hold 0.1 kr exactly, and takst never guesses which decimal \
             was meant)",
            shown(&path)
        ),
    )
}

/// A string's text; a lone surrogate is not text.
pub fn text<'a>(
    s: &'a Bound<'_, PyString>,
    path: PathFn,
) -> Result<std::borrow::Cow<'a, str>, Problem> {
    s.to_cow().map_err(|_| {
        let p = path();
        Problem::new(
            "invalid_value",
            p.clone(),
            format!(
                "{}: the string contains a lone surrogate (such as \\ud800), which is not text \
                 and cannot be written as UTF-8",
                shown(&p)
            ),
        )
    })
}

/// Missing values of pandas and numpy (NaN, NaT, NA): never a real field.
pub fn is_missing(v: &Bound<'_, PyAny>) -> bool {
    if v.is_none() {
        return true;
    }
    // The common values first, without asking for a type's name.
    if v.is_instance_of::<PyString>()
        || v.is_instance_of::<PyList>()
        || v.is_instance_of::<PyDict>()
    {
        return false;
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return f.value().is_nan();
    }
    let name = type_name(v);
    name == "NaTType" || name == "NAType"
}

/// Writes Python values as request JSON.
pub struct Writer<'py> {
    pub types: Types<'py>,
    pub out: String,
    depth: usize,
}

impl<'py> Writer<'py> {
    pub fn new(py: Python<'py>) -> PyResult<Writer<'py>> {
        Ok(Writer {
            types: Types::get(py)?,
            out: String::new(),
            depth: 0,
        })
    }

    /// Writes one value.
    pub fn value(&mut self, v: &Bound<'py, PyAny>, path: PathFn) -> Result<(), Problem> {
        if v.is_none() {
            self.out.push_str("null");
            return Ok(());
        }
        if let Ok(s) = v.cast::<PyString>() {
            let t = text(s, path)?;
            write_str(&mut self.out, &t);
            return Ok(());
        }
        if let Ok(b) = v.cast::<PyBool>() {
            self.out
                .push_str(if b.is_true() { "true" } else { "false" });
            return Ok(());
        }
        if let Ok(i) = v.cast::<PyInt>() {
            return self.int(i, path);
        }
        if v.cast::<PyFloat>().is_ok() {
            return Err(float_problem(v, path()));
        }
        if let Ok(d) = v.cast::<PyDict>() {
            return self.nested(path, |w| w.dict(d, path));
        }
        if let Ok(l) = v.cast::<PyList>() {
            return self.nested(path, |w| w.seq(l.iter(), path));
        }
        if let Ok(t) = v.cast::<PyTuple>() {
            return self.nested(path, |w| w.seq(t.iter(), path));
        }
        if v.is_instance(&self.types.decimal).unwrap_or(false) {
            return self.decimal(v, path);
        }
        if v.is_instance(&self.types.datetime).unwrap_or(false) {
            let p = path();
            return Err(Problem::typed(
                p.clone(),
                format!(
                    "{}: {} is a datetime; give a datetime.date",
                    shown(&p),
                    v.repr().map(|r| r.to_string()).unwrap_or_default()
                ),
            ));
        }
        if v.is_instance(&self.types.date).unwrap_or(false) {
            let (y, m, d) = ymd(v).map_err(|e| self.failed(e, path))?;
            crate::arrow_in::write_ymd(&mut self.out, y, m, d);
            return Ok(());
        }
        // numpy scalars (np.int64, np.bool_, np.float32, ...) as the Python value they hold.
        let module = v
            .get_type()
            .getattr("__module__")
            .ok()
            .and_then(|m| m.extract::<String>().ok())
            .unwrap_or_default();
        if module == "numpy" {
            if let Ok(item) = v.call_method0("item") {
                if !item.get_type().is(v.get_type()) {
                    return self.nested(path, |w| w.value(&item, path));
                }
            }
        }
        if let Ok(to_dict) = v.getattr("to_dict") {
            if to_dict.is_callable() {
                let d = to_dict.call0().map_err(|e| self.failed(e, path))?;
                return self.nested(path, |w| w.value(&d, path));
            }
        }
        Err(self.unknown(v, path))
    }

    fn unknown(&self, v: &Bound<'py, PyAny>, path: PathFn) -> Problem {
        let p = path();
        Problem::typed(
            p.clone(),
            format!("{}: cannot send a {} to takst", shown(&p), type_name(v)),
        )
    }

    fn failed(&self, e: PyErr, path: PathFn) -> Problem {
        let p = path();
        Problem::typed(p.clone(), format!("{}: {e}", shown(&p)))
    }

    fn nested(
        &mut self,
        path: PathFn,
        f: impl FnOnce(&mut Self) -> Result<(), Problem>,
    ) -> Result<(), Problem> {
        if self.depth >= MAX_DEPTH {
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
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn int(&mut self, i: &Bound<'py, PyInt>, path: PathFn) -> Result<(), Problem> {
        if let Ok(n) = i.extract::<i64>() {
            self.out.push_str(itoa::Buffer::new().format(n));
            return Ok(());
        }
        let bits: u64 = i
            .call_method0("bit_length")
            .and_then(|b| b.extract())
            .unwrap_or(u64::MAX);
        if bits > 128 {
            let p = path();
            // about the digits of a number of `bits` bits: bits × log10(2) (0.30103), rounded up,
            // in integers.
            let digits = bits.saturating_mul(30_103).div_ceil(100_000);
            return Err(Problem::new(
                "invalid_number",
                p.clone(),
                format!(
                    "invalid number: an integer of {digits} digits cannot be held exactly by a \
                     96-bit decimal (at most 28 significant digits, below about 7.9 × 10^28)"
                ),
            ));
        }
        let s = i.str().map_err(|e| self.failed(e, path))?;
        self.out
            .push_str(&s.to_cow().map_err(|e| self.failed(e, path))?);
        Ok(())
    }

    fn decimal(&mut self, v: &Bound<'py, PyAny>, path: PathFn) -> Result<(), Problem> {
        let finite = v
            .call_method0(pyo3::intern!(v.py(), "is_finite"))
            .and_then(|f| f.is_truthy())
            .unwrap_or(false);
        let shown_value = || v.str().map(|s| s.to_string()).unwrap_or_default();
        if !finite {
            return Err(Problem::new(
                "invalid_number",
                path(),
                format!("invalid number: {} is not a finite number", shown_value()),
            ));
        }
        // A Decimal with a huge exponent would be written with as many digits.
        let adjusted: i64 = v
            .call_method0(pyo3::intern!(v.py(), "adjusted"))
            .and_then(|a| a.extract())
            .unwrap_or(i64::MAX);
        if !(-1000..=1000).contains(&adjusted) {
            return Err(Problem::new(
                "invalid_number",
                path(),
                format!(
                    "invalid number: {} cannot be held exactly by a 96-bit decimal (at most 28 \
                     significant digits, below about 7.9 × 10^28)",
                    shown_value()
                ),
            ));
        }
        let s = v
            .call_method1(pyo3::intern!(v.py(), "__format__"), ("f",))
            .map_err(|e| self.failed(e, path))?;
        let s = s.cast::<PyString>().map_err(|_| self.unknown(v, path))?;
        self.out.push('"');
        self.out.push_str(&text(s, path)?);
        self.out.push('"');
        Ok(())
    }

    fn dict(&mut self, d: &Bound<'py, PyDict>, path: PathFn) -> Result<(), Problem> {
        self.out.push('{');
        // Keys become their text. Two keys that Python keeps apart but that have the same
        // text (a `str` subclass with its own equality, 1 and "1") are written both, and the
        // core reports the repeated key at its path (`duplicate_key`). Paths are made only
        // for a problem.
        for (n, (k, v)) in d.iter().enumerate() {
            let number;
            let key: std::borrow::Cow<'_, str> = if let Ok(s) = k.cast::<PyString>() {
                text(s, path)?
            } else if let Ok(i) = k.cast::<PyInt>() {
                number = i.str().map(|s| s.to_string()).unwrap_or_default();
                std::borrow::Cow::Borrowed(number.as_str())
            } else {
                let parent = path();
                return Err(Problem::typed(
                    parent.clone(),
                    format!(
                        "{}: a key of type {} (keys are str)",
                        shown(&parent),
                        type_name(&k)
                    ),
                ));
            };
            if n > 0 {
                self.out.push(',');
            }
            write_str(&mut self.out, &key);
            self.out.push(':');
            self.value(&v, &|| key_path(&path(), &key))?;
        }
        self.out.push('}');
        Ok(())
    }

    fn seq(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        path: PathFn,
    ) -> Result<(), Problem> {
        self.out.push('[');
        for (i, v) in items.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.value(&v, &|| format!("{}[{i}]", path()))?;
        }
        self.out.push(']');
        Ok(())
    }
}
