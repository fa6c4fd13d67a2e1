//! Python values built into a request document (`takst::DocumentBuilder`: the tree the
//! core reads, without JSON text), with the core's codes and paths for what the core cannot
//! see: a `float` (refused: binary floating point cannot hold 0.1 kr), a `Decimal` that is
//! not a finite number, an integer too large for any amount, a string that is not text (a
//! lone surrogate), nesting deeper than the core's reader allows, and two keys that become
//! the same text, a datetime that is not a day. Nothing here checks what a value means: the
//! core reads the document. A problem's message gives the reason, as the core's do; its
//! field is its `path` (Python shows `[code] path: message`, the path once).

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use takst::DocumentBuilder;

mod same;
pub use same::{same, Shape};

/// Levels of lists and objects the core's reader accepts, counted from the request's root
/// (serde_json's recursion limit: the 128th level is refused, in text and built alike).
pub const MAX_DEPTH: usize = 127;

/// The problem of nesting deeper than the core reads.
pub fn too_deep(path: PathFn) -> Problem {
    let p = path();
    Problem::new(
        "syntax",
        p.clone(),
        format!("nested deeper than {MAX_DEPTH} levels (recursion limit exceeded)"),
    )
}

/// The request written so far is larger than the core reads ([`takst::Limits`]'
/// `request_bytes`): stopped here rather than written on (a structure that shares its parts,
/// `v = {"a": v, "b": [v]}` forty times over, is small in memory and some 10^12 values
/// written out), with the core's `limit_exceeded`.
fn too_large(b: &DocumentBuilder<'_>, path: PathFn) -> Result<(), Problem> {
    let limit = takst::Limits::default().request_bytes;
    if b.size() <= limit {
        return Ok(());
    }
    Err(Problem::new(
        "limit_exceeded",
        path(),
        format!(
            "the request is larger than the limit of {limit} bytes (at {} bytes here)",
            b.size()
        ),
    ))
}

/// A problem found before the core: the core's code, the field's path, a message; and
/// whether Python should raise it as a `TypeError` as well (a float, a datetime, an object
/// takst cannot send).
///
/// Or not a problem of the value at all: an exception that the value's own code (its
/// `to_dict`, `toordinal`, `__index__`) raised and that is no error of the input (Ctrl-C's
/// `KeyboardInterrupt`, `SystemExit`, `MemoryError`; see [`must_raise`]), held in `raise`.
/// Whoever reports problems raises that exception as it is instead.
#[derive(Debug)]
pub struct Problem {
    pub code: &'static str,
    pub path: String,
    pub message: String,
    pub type_error: bool,
    pub raise: Option<Box<PyErr>>,
}

impl Problem {
    pub fn new(code: &'static str, path: String, message: String) -> Problem {
        Problem {
            code,
            path,
            message,
            type_error: false,
            raise: None,
        }
    }

    pub fn typed(path: String, message: String) -> Problem {
        Problem {
            code: "invalid_type",
            path,
            message,
            type_error: true,
            raise: None,
        }
    }

    /// The problem `made` makes of `e`, or, for an exception that [`must_raise`], the
    /// exception itself.
    pub fn of_err(e: PyErr, made: impl FnOnce(PyErr) -> Problem) -> Problem {
        if must_raise(&e) {
            Problem::raised(e)
        } else {
            made(e)
        }
    }

    /// The problem that holds an exception to raise as it is.
    fn raised(e: PyErr) -> Problem {
        Problem {
            raise: Some(Box::new(e)),
            ..Problem::new("internal", String::new(), String::new())
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

/// Whether an exception raised by a value's own code while takst reads it must reach the
/// caller as it is, rather than become a problem at the value's path: one that is no
/// `Exception` (`KeyboardInterrupt`, `SystemExit`, `GeneratorExit`: Ctrl-C while a table is
/// read stops the read) or a `MemoryError` (the machine's state, not the input's).
pub fn must_raise(e: &PyErr) -> bool {
    Python::attach(|py| {
        !e.is_instance_of::<pyo3::exceptions::PyException>(py)
            || e.is_instance_of::<pyo3::exceptions::PyMemoryError>(py)
    })
}

/// `r`, unless it failed with an exception that [`must_raise`]: then the problem holding
/// it. For the places that take a failed call as "no such thing" (no `item()`, no
/// `to_dict`): `if let Ok(x) = fatal(v.call_method0(..))? { .. }`.
pub fn fatal<T>(r: PyResult<T>) -> Result<PyResult<T>, Problem> {
    match r {
        Err(e) if must_raise(&e) => Err(Problem::raised(e)),
        r => Ok(r),
    }
}

/// Whether `v` is an instance of `t`, as `isinstance` answers (which may run a class's own
/// `__class__` property, or its `__getattribute__`): a failure is "no", unless it
/// [`must_raise`].
pub fn instance(v: &Bound<'_, PyAny>, t: &Bound<'_, PyType>) -> Result<bool, Problem> {
    Ok(fatal(v.is_instance(t))?.unwrap_or(false))
}

/// The text of `v`'s `repr()` or `str()` (`text`), for a message: the value's own code, so
/// `None` when it fails, and the problem holding an exception that [`must_raise`].
pub fn shown(text: PyResult<Bound<'_, PyString>>) -> Result<Option<String>, Problem> {
    Ok(fatal(text)?.ok().map(|s| s.to_string()))
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

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static PHASE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ADD_ON: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static JSON_NUMBER: PyOnceLock<Py<PyType>> = PyOnceLock::new();

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

/// A `datetime.date`'s year, month and day, from its proleptic Gregorian ordinal (the stable
/// ABI has no access to the C struct): one call, where reading `year`, `month` and `day`
/// are three, and cheaper than formatting its `isoformat()` and reading that back.
pub fn ymd(date: &Bound<'_, PyAny>) -> PyResult<(i64, u32, u32)> {
    let ordinal: i64 = date
        .call_method0(pyo3::intern!(date.py(), "toordinal"))?
        .extract()?;
    // 0001-01-01 is day 1 and 9999-12-31 day 3,652,059 (a subclass could answer anything).
    if !(1..=3_652_059).contains(&ordinal) {
        return Err(pyo3::exceptions::PyValueError::new_err(format!(
            "toordinal() gave {ordinal}, not a day from 0001-01-01 to 9999-12-31"
        )));
    }
    // 1970-01-01 is day 719,163.
    Ok(crate::arrow_in::civil(ordinal - 719_163))
}

/// A `datetime.datetime` (a pandas `Timestamp`) where a date is taken: its date when it is
/// at midnight exactly and has no time zone (what `pd.to_datetime` gives for a date), else
/// the problem, in the same words for `price` and `price_courses`.
pub fn datetime_ymd(v: &Bound<'_, PyAny>, path: PathFn) -> Result<(i64, u32, u32), Problem> {
    let py = v.py();
    // What cannot be read (a subclass's `hour` that raises) is the problem, never taken for
    // midnight.
    let failed = |e: PyErr| {
        Problem::of_err(e, |e| {
            let name = match type_name(v) {
                Ok(name) => name,
                Err(raised) => return raised,
            };
            let p = path();
            Problem::new(
                "invalid_value",
                p.clone(),
                format!("a {name} that cannot be read ({e}); give a date"),
            )
        })
    };
    let mut time = false;
    for a in ["hour", "minute", "second", "microsecond", "nanosecond"] {
        let x = match v.getattr(a) {
            Ok(x) => x,
            // A pandas Timestamp's; a `datetime` has none.
            Err(e) if a == "nanosecond" && e.is_instance_of::<PyAttributeError>(py) => continue,
            Err(e) => return Err(failed(e)),
        };
        time |= x.extract::<i64>().map_err(failed)? != 0;
    }
    let tz = !v.getattr("tzinfo").map_err(failed)?.is_none();
    if tz || time {
        let shown_value = shown(v.repr())?.unwrap_or_default();
        let p = path();
        return Err(Problem::new(
            "invalid_value",
            p.clone(),
            format!(
                "{} has {}; give a date",
                shown_value,
                match (time, tz) {
                    (true, true) => "a time of day and a time zone",
                    (true, false) => "a time of day",
                    _ => "a time zone",
                }
            ),
        ));
    }
    ymd(v).map_err(|e| {
        Problem::of_err(e, |e| {
            let p = path();
            Problem::new("invalid_value", p.clone(), e.to_string())
        })
    })
}

/// Whether `v` is a numpy `datetime64` scalar.
pub fn is_datetime64(v: &Bound<'_, PyAny>) -> Result<bool, Problem> {
    let t = v.get_type();
    Ok(is_numpy(&t)? && type_named(&t, &["datetime64"])?)
}

/// A numpy `datetime64` where a date is taken: its day (days from 1970-01-01), `None` for
/// `NaT` (a missing date). A unit of a day holds a date; a finer unit (`h` to `as`, as
/// `datetime64[ns]` is) is a timestamp, a date when it is at midnight exactly (as a
/// `datetime` must be); a coarser unit (`Y`, `M`, `W`) is a year, month or week, not a day,
/// and is refused rather than read as its first day.
pub fn datetime64_days(v: &Bound<'_, PyAny>, path: PathFn) -> Result<Option<i64>, Problem> {
    let py = v.py();
    let bad = |what: String| {
        let shown_value = match shown(v.repr()) {
            Ok(s) => s.unwrap_or_default(),
            Err(raised) => return raised,
        };
        let p = path();
        Problem::new(
            "invalid_value",
            p.clone(),
            format!("{shown_value} {what}; give a date"),
        )
    };
    let failed = |e: PyErr| Problem::of_err(e, |e| bad(format!("cannot be read ({e})")));
    let np = py.import(pyo3::intern!(py, "numpy")).map_err(failed)?;
    if np
        .call_method1(pyo3::intern!(py, "isnat"), (v,))
        .and_then(|n| n.is_truthy())
        .map_err(failed)?
    {
        return Ok(None);
    }
    let (unit, count): (String, i64) = np
        .call_method1(
            pyo3::intern!(py, "datetime_data"),
            (v.getattr("dtype").map_err(failed)?,),
        )
        .and_then(|d| d.extract())
        .map_err(failed)?;
    let value: i64 = v
        .call_method1(pyo3::intern!(py, "astype"), ("int64",))
        .and_then(|i| i.call_method0(pyo3::intern!(py, "item")))
        .and_then(|i| i.extract())
        .map_err(failed)?;
    // Units per day, for a day and the units finer than a day.
    let per_day: i128 = match unit.as_str() {
        "D" => 1,
        "h" => 24,
        "m" => 1_440,
        "s" => 86_400,
        "ms" => 86_400_000,
        "us" => 86_400_000_000,
        "ns" => 86_400_000_000_000,
        "ps" => 86_400_000_000_000_000,
        "fs" => 86_400_000_000_000_000_000,
        "as" => 86_400_000_000_000_000_000_000,
        "Y" => return Err(bad(String::from("is a year, not a day"))),
        "M" => return Err(bad(String::from("is a month, not a day"))),
        "W" => return Err(bad(String::from("is a week, not a day"))),
        other => return Err(bad(format!("has the unit {other:?}, not a day"))),
    };
    let units = i128::from(value) * i128::from(count);
    if units.rem_euclid(per_day) != 0 {
        return Err(bad(String::from("has a time of day")));
    }
    i64::try_from(units.div_euclid(per_day))
        .map(Some)
        .map_err(|_| bad(String::from("is beyond any date")))
}

/// The name of `v`'s type, for a message: `object` when it cannot be read (a metaclass may
/// give `__name__` by its own code), and the problem holding an exception that
/// [`must_raise`].
pub fn type_name(v: &Bound<'_, PyAny>) -> Result<String, Problem> {
    let t = v.get_type();
    Ok(match fatal(t.name())? {
        Ok(n) => n
            .to_cow()
            .map_or_else(|_| String::from("object"), |n| n.into_owned()),
        Err(_) => String::from("object"),
    })
}

/// Whether `t`'s name is one of `names`. A class's metaclass may give `__name__` by its own
/// code: a name that cannot be read is none of them, and an exception that [`must_raise`] is
/// the problem.
pub fn type_named(t: &Bound<'_, PyType>, names: &[&str]) -> Result<bool, Problem> {
    Ok(fatal(t.name())?.is_ok_and(|n| n.to_cow().is_ok_and(|n| names.contains(&&*n))))
}

/// The float refusal, in the words the Python package has always used.
pub fn float_problem(v: &Bound<'_, PyAny>, path: String) -> Problem {
    let repr = match shown(v.repr()) {
        Ok(r) => r.unwrap_or_else(|| String::from("a float")),
        Err(raised) => return raised,
    };
    Problem::typed(
        path.clone(),
        format!(
            "{repr} is a float; give money and percentages as Decimal, int or str (binary \
             floating point cannot hold 0.1 kr exactly, and takst never guesses which decimal \
             was meant)"
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
            String::from(
                "the string contains a lone surrogate (such as \\ud800), which is not text \
                 and cannot be written as UTF-8",
            ),
        )
    })
}

/// Missing values of pandas and numpy (NaN, NaT, NA): never a real field.
pub fn is_missing(v: &Bound<'_, PyAny>) -> Result<bool, Problem> {
    if v.is_none() {
        return Ok(true);
    }
    // The common values first, without asking for a type's name.
    if v.is_instance_of::<PyString>()
        || v.is_instance_of::<PyList>()
        || v.is_instance_of::<PyDict>()
    {
        return Ok(false);
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Ok(f.value().is_nan());
    }
    type_named(&v.get_type(), &["NaTType", "NAType"])
}

/// The entries of the dict `d`, key and value, in order, by `PyDict_Next`: for
/// [`Shape::matches`], which walks the dicts of every row's phases, and [`Writer::dict`].
/// pyo3's iterator asks the dict's size again before each entry and takes a reference to the
/// key and the value, some 90 instructions an entry; `PyDict_Next` is some 45 (callgrind, rows
/// with their own lists of three phases: the comparison 1,563 → 1,168 instructions a row).
/// And pyo3's iterator panics when the dict changes size while it is walked, which code a
/// value runs (a `to_dict`, an `__index__`) can do: the walk goes on over what the dict holds
/// then, and [`Writer::dict`] reports the change as a problem.
pub(crate) fn entries<'a, 'py>(d: &'a Bound<'py, PyDict>) -> Entries<'a, 'py> {
    Entries { d, pos: 0 }
}

pub(crate) struct Entries<'a, 'py> {
    d: &'a Bound<'py, PyDict>,
    pos: pyo3::ffi::Py_ssize_t,
}

impl<'py> Iterator for Entries<'_, 'py> {
    type Item = (Bound<'py, PyAny>, Bound<'py, PyAny>);

    #[allow(unsafe_code)]
    fn next(&mut self) -> Option<Self::Item> {
        let (d, pos) = (self.d, &mut self.pos);
        // Locked against other threads on a free-threaded build from the read of the entry to
        // the references taken to it, as pyo3's own iterator does (else nothing).
        pyo3::sync::critical_section::with_critical_section(d.as_any(), || {
            let mut key = std::ptr::null_mut();
            let mut value = std::ptr::null_mut();
            // SAFETY: `d` is a dict, alive while it is borrowed here (a `Bound`: a reference
            // held, with the GIL or the dict's critical section), and `pos`, `key` and `value`
            // are the out-parameters `PyDict_Next` takes. It checks `pos` against the dict's
            // entries as they are at each call, so it reads nothing outside the dict, whatever
            // was done to the dict between calls.
            let more = unsafe { pyo3::ffi::PyDict_Next(d.as_ptr(), pos, &mut key, &mut value) };
            if more == 0 {
                return None;
            }
            let py = d.py();
            // SAFETY: after a nonzero return, `key` and `value` are borrowed references to
            // live objects (the dict holds them), never null. Each becomes a reference of its
            // own at once, before any other code runs (and before another thread can change
            // the dict), so that neither can be freed while the caller has it, even should the
            // caller's code change the dict.
            unsafe {
                Bound::from_borrowed_ptr_or_opt(py, key)
                    .zip(Bound::from_borrowed_ptr_or_opt(py, value))
            }
        })
    }
}

/// Whether a type is numpy's (its `__module__` is `"numpy"`).
pub fn is_numpy(t: &Bound<'_, PyType>) -> Result<bool, Problem> {
    Ok(
        fatal(t.getattr(pyo3::intern!(t.py(), "__module__")))?.is_ok_and(|m| {
            m.cast::<PyString>()
                .is_ok_and(|s| s.to_cow().is_ok_and(|s| s == "numpy"))
        }),
    )
}

/// Whether a numpy type is one of numpy's integer types (`numpy.integer` and its
/// subclasses; not `np.bool_`).
fn numpy_integer(t: &Bound<'_, PyType>) -> Result<bool, Problem> {
    let py = t.py();
    let integer = fatal(
        py.import(pyo3::intern!(py, "numpy"))
            .and_then(|np| np.getattr(pyo3::intern!(py, "integer"))),
    )?;
    match integer.ok().and_then(|i| i.cast_into::<PyType>().ok()) {
        Some(integer) => Ok(fatal(t.is_subclass(&integer))?.unwrap_or(false)),
        None => Ok(false),
    }
}

/// Builds Python values into a request document (`takst::DocumentBuilder`): the tree the
/// core's reader would have parsed from their JSON text, without the text.
pub struct Writer<'py> {
    pub types: Types<'py>,
    /// Values converted to another on the way (a numpy scalar's item, a `to_dict`), which
    /// count as levels too, so that an object converting to itself cannot recurse forever.
    hops: std::cell::Cell<usize>,
    /// Types found to be none of the Decimal, datetime and date classes, by their address
    /// (each held, so that no other type takes its address while the writer lives), and
    /// what they are: the second object of such a type (a batch's thousandth `np.int64` or
    /// `Phase`) goes straight to its branch instead of asking again.
    others: std::cell::RefCell<rustc_hash::FxHashMap<usize, (Bound<'py, PyType>, Other)>>,
    /// Values met of a type defined in Python (a class: a heap type), whose own code (its
    /// `to_dict`, `__index__`, `toordinal`, a property) may run while it is read, and may
    /// change any value, also one built already: see [`Writer::code_ran`].
    code: std::cell::Cell<u64>,
    /// Classes whose values run no code of the user's, so that they are not counted:
    /// takst's own `Phase` and `AddOn` (exactly those classes, not a subclass), whose
    /// `to_dict` gives their fields (counted as they are written), so that a list of `Phase`
    /// objects shared by every row is built once, as a list of dicts is; and `Decimal`,
    /// `date` and `datetime` themselves, which a Python may define as classes (`Decimal` is
    /// one from Python 3.13); and `JsonNumber`.
    own: Vec<Bound<'py, PyType>>,
    /// `takst._convert.JsonNumber`: a `Decimal` that `from_json` read from a JSON number,
    /// written back as that number (not there while `takst._convert` is being imported).
    json_number: Option<Bound<'py, PyType>>,
}

/// Whether a type is defined in Python (a class statement: a heap type), not in C (the
/// built-in types, numpy's scalars), so that reading a value of it may run the user's code.
/// (Some types written in C are heap types too, and so counted: pandas 3's `Timestamp`,
/// `NaTType` and `NAType`, `Decimal` from Python 3.13.)
#[allow(unsafe_code)]
fn is_class(t: &Bound<'_, PyType>) -> bool {
    // SAFETY: `t` is a live type object (held by the `Bound`); PyType_GetFlags only reads it.
    let flags = unsafe { pyo3::ffi::PyType_GetFlags(t.as_type_ptr()) };
    flags & pyo3::ffi::Py_TPFLAGS_HEAPTYPE != 0
}

/// What a type that `Writer::value` does not take directly is.
#[derive(Clone, Copy, PartialEq)]
enum Other {
    /// A numpy integer type (`np.int64`, `np.uint8`, ...): its value read through `__index__`.
    NumpyInteger,
    /// numpy's `datetime64`: a day, or a timestamp at midnight (`datetime64_days`).
    NumpyDatetime,
    /// Another numpy scalar type (`np.bool_`, `np.float64`, ...): the Python value `item()` gives.
    Numpy,
    /// Anything else: what its `to_dict` gives, if it has one.
    Object,
}

impl<'py> Writer<'py> {
    pub fn new(py: Python<'py>) -> PyResult<Writer<'py>> {
        Ok(Writer {
            others: std::cell::RefCell::new(rustc_hash::FxHashMap::default()),
            types: Types::get(py)?,
            hops: std::cell::Cell::new(0),
            code: std::cell::Cell::new(0),
            // (Not there while `takst.model` is being imported: then counted as any class.)
            own: [
                PHASE.import(py, "takst.model", "Phase"),
                ADD_ON.import(py, "takst.model", "AddOn"),
                DECIMAL.import(py, "decimal", "Decimal"),
                DATE.import(py, "datetime", "date"),
                DATETIME.import(py, "datetime", "datetime"),
            ]
            .into_iter()
            .filter_map(|t| t.ok().cloned())
            .chain(
                JSON_NUMBER
                    .import(py, "takst._convert", "JsonNumber")
                    .ok()
                    .cloned(),
            )
            .collect(),
            json_number: JSON_NUMBER
                .import(py, "takst._convert", "JsonNumber")
                .ok()
                .cloned(),
        })
    }

    /// Counts the values met whose own code may have run (see [`Writer::touch`]): a value
    /// built earlier is placed again as built (a row's phase list shared with an earlier
    /// row) only while this count is the same as when it was built.
    pub fn code_ran(&self) -> u64 {
        self.code.get()
    }

    /// Notes a value about to be read that is of a type defined in Python ([`is_class`]),
    /// other than those known to run no code of the user's (`own`).
    pub fn touch(&self, t: &Bound<'py, PyType>) {
        if is_class(t) && !self.own.iter().any(|o| o.is(t)) {
            self.code.set(self.code.get() + 1);
        }
    }

    /// Builds one value.
    pub fn value(
        &self,
        b: &mut DocumentBuilder<'_>,
        v: &Bound<'py, PyAny>,
        path: PathFn,
    ) -> Result<(), Problem> {
        if v.is_none() {
            b.null();
            return Ok(());
        }
        if let Ok(s) = v.cast::<PyString>() {
            b.str(&text(s, path)?);
            return Ok(());
        }
        if let Ok(x) = v.cast::<PyBool>() {
            b.bool(x.is_true());
            return Ok(());
        }
        if let Ok(i) = v.cast::<PyInt>() {
            return self.int(b, i, path);
        }
        if v.cast::<PyFloat>().is_ok() {
            return Err(float_problem(v, path()));
        }
        if let Ok(d) = v.cast::<PyDict>() {
            return self.nested(b, path, false, |b| self.dict(b, d, path));
        }
        if let Ok(l) = v.cast::<PyList>() {
            return self.nested(b, path, false, |b| self.seq(b, l.iter(), path));
        }
        if let Ok(t) = v.cast::<PyTuple>() {
            return self.nested(b, path, false, |b| self.seq(b, t.iter(), path));
        }
        let ty = v.get_type();
        // (Before `is_instance`, which may read a class's `__class__`.)
        self.touch(&ty);
        let known = self
            .others
            .borrow()
            .get(&(ty.as_ptr() as usize))
            .map(|k| k.1);
        if let Some(kind) = known {
            return self.other(b, v, kind, path);
        }
        if instance(v, &self.types.decimal)? {
            return self.decimal(b, v, path);
        }
        if instance(v, &self.types.datetime)? {
            if is_missing(v)? {
                // pandas' NaT (a datetime): a missing date, as in `price_courses` and as
                // numpy's NaT; the core reports it where a date is required.
                b.null();
                return Ok(());
            }
            // A pandas Timestamp or datetime at midnight without a time zone is its date,
            // as `price_courses` reads a start column of them.
            let (y, m, d) = datetime_ymd(v, path)?;
            crate::arrow_in::date_str(b, y, m, d);
            return Ok(());
        }
        if instance(v, &self.types.date)? {
            let (y, m, d) = ymd(v).map_err(|e| self.failed(e, path))?;
            crate::arrow_in::date_str(b, y, m, d);
            return Ok(());
        }
        let kind = if !is_numpy(&ty)? {
            Other::Object
        } else if is_datetime64(v)? {
            Other::NumpyDatetime
        } else if numpy_integer(&ty)? {
            Other::NumpyInteger
        } else {
            Other::Numpy
        };
        self.others
            .borrow_mut()
            .insert(ty.as_ptr() as usize, (ty, kind));
        self.other(b, v, kind, path)
    }

    /// A value of a type that is none of the above: a numpy scalar as the Python value it
    /// holds (np.int64, np.bool_, np.float32, ...), or what its `to_dict` gives (`Phase`,
    /// `AddOn`, a pandas Series), or the problem that it cannot be sent.
    fn other(
        &self,
        b: &mut DocumentBuilder<'_>,
        v: &Bound<'py, PyAny>,
        kind: Other,
        path: PathFn,
    ) -> Result<(), Problem> {
        let py = v.py();
        if kind == Other::NumpyDatetime {
            // Not by `item()`: it gives a month's first day for `datetime64[M]` and an
            // integer of nanoseconds for `datetime64[ns]`.
            match datetime64_days(v, path)? {
                Some(days) => crate::arrow_in::date(b, days),
                None => b.null(),
            }
            return Ok(());
        }
        if kind == Other::NumpyInteger {
            // The integer `item()` would give, without making it: one level deeper, as
            // `item()`'s value is (a value beyond 64 bits goes by `item()`).
            // (`extract` runs the type's `__index__`, which a subclass may give.)
            if let Ok(n) = fatal(v.extract::<i64>())? {
                return self.nested(b, path, true, |b| {
                    b.int(n);
                    Ok(())
                });
            }
        }
        if kind != Other::Object {
            if let Ok(item) = fatal(v.call_method0(pyo3::intern!(py, "item")))? {
                if !item.get_type().is(v.get_type()) {
                    return self.nested(b, path, true, |b| self.value(b, &item, path));
                }
            }
        }
        if let Ok(to_dict) = fatal(v.getattr(pyo3::intern!(py, "to_dict")))? {
            if to_dict.is_callable() {
                let d = to_dict.call0().map_err(|e| self.failed(e, path))?;
                return self.nested(b, path, true, |b| self.value(b, &d, path));
            }
        }
        Err(self.unknown(v, path))
    }

    fn unknown(&self, v: &Bound<'py, PyAny>, path: PathFn) -> Problem {
        let name = match type_name(v) {
            Ok(name) => name,
            Err(raised) => return raised,
        };
        let p = path();
        Problem::typed(p.clone(), format!("cannot send a {name} to takst"))
    }

    fn failed(&self, e: PyErr, path: PathFn) -> Problem {
        Problem::of_err(e, |e| {
            let p = path();
            Problem::typed(p.clone(), e.to_string())
        })
    }

    fn int(
        &self,
        b: &mut DocumentBuilder<'_>,
        i: &Bound<'py, PyInt>,
        path: PathFn,
    ) -> Result<(), Problem> {
        if let Ok(n) = i.extract::<i64>() {
            b.int(n);
            return Ok(());
        }
        self.touch(&i.get_type());
        let bits: u64 =
            fatal(i.call_method0("bit_length").and_then(|b| b.extract()))?.unwrap_or(u64::MAX);
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
        // At most 128 bits: its digits, from the value (not from `str()`, which a subclass
        // may write as it likes).
        if let Ok(n) = i.extract::<i128>() {
            b.number(itoa::Buffer::new().format(n));
        } else {
            let n: u128 = i.extract().map_err(|e| self.failed(e, path))?;
            b.number(itoa::Buffer::new().format(n));
        }
        Ok(())
    }

    fn decimal(
        &self,
        b: &mut DocumentBuilder<'_>,
        v: &Bound<'py, PyAny>,
        path: PathFn,
    ) -> Result<(), Problem> {
        let finite = fatal(
            v.call_method0(pyo3::intern!(v.py(), "is_finite"))
                .and_then(|f| f.is_truthy()),
        )?
        .unwrap_or(false);
        let shown_value = || -> Result<String, Problem> { Ok(shown(v.str())?.unwrap_or_default()) };
        if !finite {
            return Err(Problem::new(
                "invalid_number",
                path(),
                format!("invalid number: {} is not a finite number", shown_value()?),
            ));
        }
        // A Decimal with a huge exponent would be written with as many digits.
        let adjusted: i64 = fatal(
            v.call_method0(pyo3::intern!(v.py(), "adjusted"))
                .and_then(|a| a.extract()),
        )?
        .unwrap_or(i64::MAX);
        if !(-1000..=1000).contains(&adjusted) {
            return Err(Problem::new(
                "invalid_number",
                path(),
                format!(
                    "invalid number: {} cannot be held exactly by a 96-bit decimal (at most 28 \
                     significant digits, below about 7.9 × 10^28)",
                    shown_value()?
                ),
            ));
        }
        let s = v
            .call_method1(pyo3::intern!(v.py(), "__format__"), ("f",))
            .map_err(|e| self.failed(e, path))?;
        let s = s.cast::<PyString>().map_err(|_| self.unknown(v, path))?;
        if self
            .json_number
            .as_ref()
            .is_some_and(|t| v.get_type().is(t))
        {
            // A number of JSON text (`from_json`): the same number with the same decimals
            // (`97.50`; `1E+3` as `1000`), as the core reads it from the text (a year of
            // `2026.0` is a whole number; the string is not).
            b.number(&text(s, path)?);
        } else {
            // A string: the core reads an amount's text exactly.
            b.str(&text(s, path)?);
        }
        Ok(())
    }

    fn dict(
        &self,
        b: &mut DocumentBuilder<'_>,
        d: &Bound<'py, PyDict>,
        path: PathFn,
    ) -> Result<(), Problem> {
        b.begin_object();
        // Keys become their text. Two keys that Python keeps apart but that have the same
        // text (a `str` subclass with its own equality, 1 and "1") are written both, and the
        // core reports the repeated key at its path (`duplicate_key`). Paths are made only
        // for a problem.
        let len = d.len();
        let changed = || {
            Problem::new(
                "invalid_value",
                path(),
                "the dict changed size or keys while it was read (a value's own code, such as \
                 its to_dict, changed it)"
                    .to_string(),
            )
        };
        for (read, (k, v)) in entries(d).enumerate() {
            // More entries than it had: code a value ran replaced a key already read by
            // another of the same count (Python's own iteration: "dictionary keys changed
            // during iteration"), so what was read is no dict it ever held.
            if read >= len {
                return Err(changed());
            }
            let number;
            let key: std::borrow::Cow<'_, str> = if let Ok(s) = k.cast::<PyString>() {
                text(s, path)?
            } else if let Ok(i) = k.cast::<PyInt>() {
                number = shown(i.str())?.unwrap_or_default();
                std::borrow::Cow::Borrowed(number.as_str())
            } else {
                let name = type_name(&k)?;
                let parent = path();
                return Err(Problem::typed(
                    parent.clone(),
                    format!("a key of type {name} (keys are str)"),
                ));
            };
            b.key(&key);
            self.value(b, &v, &|| key_path(&path(), &key))?;
            too_large(b, path)?;
            // Code the value ran (its `to_dict`, `__index__`) changed the dict: what was read
            // of it is no longer what it holds. (As Python's own iteration, a `RuntimeError`
            // there.)
            if d.len() != len {
                return Err(changed());
            }
        }
        b.end();
        Ok(())
    }

    fn seq(
        &self,
        b: &mut DocumentBuilder<'_>,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        path: PathFn,
    ) -> Result<(), Problem> {
        b.begin_list();
        for (i, v) in items.enumerate() {
            self.value(b, &v, &|| format!("{}[{i}]", path()))?;
            too_large(b, path)?;
        }
        b.end();
        Ok(())
    }

    /// Builds a value one level deeper (a list or object, or a value converted to another:
    /// `hop`), or the problem of nesting deeper than the core reads, counted from the
    /// document's root as the core counts.
    fn nested(
        &self,
        b: &mut DocumentBuilder<'_>,
        path: PathFn,
        hop: bool,
        f: impl FnOnce(&mut DocumentBuilder<'_>) -> Result<(), Problem>,
    ) -> Result<(), Problem> {
        let hops = self.hops.get();
        if b.depth() + hops >= MAX_DEPTH {
            return Err(too_deep(path));
        }
        too_large(b, path)?;
        self.hops.set(hops + usize::from(hop));
        let r = f(b);
        self.hops.set(hops);
        r
    }
}
