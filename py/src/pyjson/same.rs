//! Whether a value builds the same document as one built before, by its types and values
//! alone ([`same`], [`Shape`]): what lets a batch place a row's phase list again instead of
//! building it (`batch.rs`), never for a value whose own code may run.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};

use super::{entries, MAX_DEPTH};

/// Whether `a` and `b` build the same document: both `None`, or of the same exact built-in
/// type ([`Kind`]: `str`, `int`, `bool`, `list`, `tuple`, `dict` with `str` keys) with equal
/// values, item by item and key by key in order. Anything else (a float, a Decimal, a subclass, an
/// object with `to_dict`, a numpy scalar) is never the same, so that it is built as always:
/// only values whose document depends on nothing but their type and value are compared
/// (Python's own `==` would take `1` for `1.0` and `True`).
///
/// Past [`MAX_DEPTH`] levels the answer is "not the same" (a list that code run since made
/// to hold itself never ends): the value is then built, and refused at that depth.
/// So past [`MAX_NODES`] values: a structure that shares its parts is small in memory and
/// may be 10^12 values walked.
pub fn same(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    same_within(a, b, 0, &mut MAX_NODES.clone())
}

/// Values [`same`] walks at most before it answers "not the same" (a phase list is some ten).
const MAX_NODES: usize = 1 << 16;

fn same_within(
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    depth: usize,
    budget: &mut usize,
) -> bool {
    if depth > MAX_DEPTH || *budget == 0 {
        return false;
    }
    *budget -= 1;
    if a.is(b) {
        // The same object: its type says whether its document depends on its value alone.
        return a.is_none() || plain(a, depth, budget);
    }
    if a.get_type_ptr() != b.get_type_ptr() {
        return false;
    }
    let mut same =
        |p: &Bound<'_, PyAny>, q: &Bound<'_, PyAny>| same_within(p, q, depth + 1, budget);
    match (kind(a), kind(b)) {
        (Some(Kind::Dict(x)), Some(Kind::Dict(y))) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| same_key(&ka, &kb) && same(&va, &vb))
        }
        (Some(Kind::List(x)), Some(Kind::List(y))) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(&p, &q))
        }
        (Some(Kind::Tuple(x)), Some(Kind::Tuple(y))) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(&p, &q))
        }
        _ => same_leaf(a, b),
    }
}

/// A value made of the types [`same`] compares by value, flattened in order (each list,
/// tuple and object before its items, each key before its value), each node holding its
/// object: what later values are compared with by [`Shape::same`], which walks only the
/// later value. A batch compares every row's list with the one row it was built at; that
/// row's dicts were walked again for each.
pub struct Shape<'py> {
    nodes: Vec<Node<'py>>,
    /// The same value as [`Dicts`], when it is a list of dicts whose values are all leaves
    /// (a phase list without add-ons): what a row made from one plan is compared with first.
    dicts: Option<Dicts>,
}

/// A list of dicts of leaves, by the addresses of its objects: per dict, its entry count, and
/// its entries' key and value objects in order (held by the [`Shape`]'s nodes, so that no
/// other object takes their addresses while the shape lives). A row whose phases are copies
/// of one plan's dicts (`dict(p)`, sharing its keys and values) holds these very objects; it
/// is then found the same by `PyDict_Next` and addresses alone, without walking the shape's
/// nodes (callgrind, 20,000 rows with their own lists of three phases: building a row
/// 2,438 → 2,197 instructions). Any other value is walked by [`Shape::matches`].
struct Dicts {
    lens: Vec<usize>,
    entries: Vec<(usize, usize)>,
}

/// A node of a [`Shape`]: a container with its length and the nodes within it, a key, or a
/// leaf (`None`, `str`, `int`, `bool`).
enum Node<'py> {
    List(Bound<'py, PyAny>, usize, usize),
    Tuple(Bound<'py, PyAny>, usize, usize),
    Dict(Bound<'py, PyAny>, usize, usize),
    Key(Bound<'py, PyAny>),
    Leaf(Bound<'py, PyAny>),
}

impl<'py> Shape<'py> {
    /// The shape of `v`, when it is made of the exact built-in types [`same`] compares.
    pub fn of(v: &Bound<'py, PyAny>) -> Option<Shape<'py>> {
        let mut nodes = Vec::new();
        if !Shape::add(&mut nodes, v, 0) {
            return None;
        }
        let dicts = Dicts::of(&nodes);
        Some(Shape { nodes, dicts })
    }

    /// Adds `v`'s nodes; `false` for a value of another type, nested deeper than
    /// [`MAX_DEPTH`] (a list holding itself) or of more than [`MAX_NODES`] values.
    fn add(nodes: &mut Vec<Node<'py>>, v: &Bound<'py, PyAny>, depth: usize) -> bool {
        if depth > MAX_DEPTH || nodes.len() >= MAX_NODES {
            return false;
        }
        let at = nodes.len();
        let ok = match kind(v) {
            None => return false,
            Some(Kind::Leaf) => {
                nodes.push(Node::Leaf(v.clone()));
                return true;
            }
            Some(Kind::Dict(d)) => {
                nodes.push(Node::Dict(v.clone(), d.len(), 0));
                d.iter().all(|(k, x)| {
                    let key = is_key(&k);
                    nodes.push(Node::Key(k));
                    key && Shape::add(nodes, &x, depth + 1)
                })
            }
            Some(Kind::List(l)) => {
                nodes.push(Node::List(v.clone(), l.len(), 0));
                l.iter().all(|x| Shape::add(nodes, &x, depth + 1))
            }
            Some(Kind::Tuple(t)) => {
                nodes.push(Node::Tuple(v.clone(), t.len(), 0));
                t.iter().all(|x| Shape::add(nodes, &x, depth + 1))
            }
        };
        let within = nodes.len() - at - 1;
        if let Some(Node::List(_, _, n) | Node::Tuple(_, _, n) | Node::Dict(_, _, n)) =
            nodes.get_mut(at)
        {
            *n = within;
        }
        ok
    }

    /// [`same`] of the value the shape was made of and `v`.
    pub fn same(&self, v: &Bound<'py, PyAny>) -> bool {
        if self.dicts.as_ref().is_some_and(|d| d.same(v)) {
            return true;
        }
        let mut at = 0;
        self.matches(&mut at, v) && at == self.nodes.len()
    }

    /// Whether the dict `d` of `len` entries holds, in order, the very key and value objects
    /// of the shape's dict whose entries start at node `at` (`within` nodes), when each of its
    /// values is a leaf: the rows of a table made from one plan (each row's dicts copies of the
    /// plan's, `dict(p)`, which share its keys and values). Only the objects' addresses are
    /// compared, so that a row costs `PyDict_Next` an entry, without a reference counted or
    /// a key's text compared (callgrind, rows with their own lists of three phases: the
    /// comparison 1,168 → 925 instructions a row). Any other dict is for [`Shape::matches`]
    /// to walk.
    #[allow(unsafe_code)]
    fn same_objects(&self, at: usize, len: usize, within: usize, d: &Bound<'py, PyDict>) -> bool {
        let entries = (len.checked_mul(2) == Some(within))
            .then(|| self.nodes.get(at..at.checked_add(within)?))
            .flatten();
        let Some(nodes) = entries else {
            return false;
        };
        let mut pos: pyo3::ffi::Py_ssize_t = 0;
        let mut key = std::ptr::null_mut();
        let mut value = std::ptr::null_mut();
        // On a free-threaded build (pyo3 declares the module so: `gil_used` is false by
        // default) another thread may change the dict: it is locked while it is walked, as
        // pyo3's own iterator does (without a free-threaded build, this is nothing).
        pyo3::sync::critical_section::with_critical_section(d.as_any(), || {
            nodes.chunks_exact(2).all(|entry| {
                let [Node::Key(k), Node::Leaf(x)] = entry else {
                    return false;
                };
                // SAFETY: `d` is a dict, alive while it is borrowed here (a `Bound`: a
                // reference held, with the GIL or the dict's critical section), and `pos`,
                // `key` and `value` are the out-parameters `PyDict_Next` takes; nothing runs
                // between the calls. The pointers it gives are compared with the shape's
                // objects' addresses, never read through.
                let more =
                    unsafe { pyo3::ffi::PyDict_Next(d.as_ptr(), &mut pos, &mut key, &mut value) };
                more != 0 && key == k.as_ptr() && value == x.as_ptr()
            })
        })
    }

    fn matches(&self, at: &mut usize, v: &Bound<'py, PyAny>) -> bool {
        let Some(node) = self.nodes.get(*at) else {
            return false;
        };
        *at += 1;
        match node {
            Node::Leaf(a) => same_leaf(a, v),
            // The same object: made of the types compared, so the same.
            Node::List(a, _, within) | Node::Tuple(a, _, within) | Node::Dict(a, _, within)
                if a.is(v) =>
            {
                *at += within;
                true
            }
            Node::Dict(_, len, within) => v.cast_exact::<PyDict>().is_ok_and(|d| {
                if d.len() != *len {
                    return false;
                }
                if self.same_objects(*at, *len, *within, d) {
                    *at += within;
                    return true;
                }
                all_entries(d, |k, x| {
                    // A key of the shape is an exact `str`, and so is the same object.
                    let key =
                        matches!(self.nodes.get(*at), Some(Node::Key(ka)) if same_key(ka, &k));
                    *at += 1;
                    // The same object as a leaf (a shared text, a small integer) without
                    // a call: what `matches` answers first.
                    key && match self.nodes.get(*at) {
                        Some(Node::Leaf(a)) if a.is(&x) => {
                            *at += 1;
                            true
                        }
                        _ => self.matches(at, &x),
                    }
                })
            }),
            Node::List(_, len, _) => v
                .cast_exact::<PyList>()
                .is_ok_and(|l| l.len() == *len && l.iter().all(|x| self.matches(at, &x))),
            Node::Tuple(_, len, _) => v
                .cast_exact::<PyTuple>()
                .is_ok_and(|t| t.len() == *len && t.iter().all(|x| self.matches(at, &x))),
            Node::Key(_) => false,
        }
    }
}

impl Dicts {
    /// The list of dicts of leaves that `nodes` (a [`Shape`]'s) are, if they are one.
    fn of(nodes: &[Node<'_>]) -> Option<Dicts> {
        let (Node::List(_, len, within), rest) = nodes.split_first()? else {
            return None;
        };
        if rest.len() != *within {
            return None;
        }
        let mut dicts = Dicts {
            lens: Vec::with_capacity(*len),
            entries: Vec::with_capacity(rest.len() / 2),
        };
        let mut rest = rest;
        while let Some((Node::Dict(_, n, within), after)) = rest.split_first() {
            let (entries, next) = after.split_at_checked(*within)?;
            if n.checked_mul(2) != Some(*within) {
                return None;
            }
            for entry in entries.chunks_exact(2) {
                let [Node::Key(k), Node::Leaf(x)] = entry else {
                    return None;
                };
                dicts
                    .entries
                    .push((k.as_ptr() as usize, x.as_ptr() as usize));
            }
            dicts.lens.push(*n);
            rest = next;
        }
        (rest.is_empty() && dicts.lens.len() == *len).then_some(dicts)
    }

    /// Whether `v` is an exact list of as many exact dicts, each holding, in order, the very
    /// key and value objects of the shape's (so the same value: [`Shape::same_objects`]).
    #[allow(unsafe_code)]
    fn same(&self, v: &Bound<'_, PyAny>) -> bool {
        let Ok(list) = v.cast_exact::<PyList>() else {
            return false;
        };
        if list.len() != self.lens.len() {
            return false;
        }
        let mut entries = self.entries.as_slice();
        for (i, &len) in self.lens.iter().enumerate() {
            // (A reference of its own: the dict stays alive whatever another thread does to
            // the list on a free-threaded build.)
            let Ok(item) = list.get_item(i) else {
                return false;
            };
            let Ok(d) = item.cast_exact::<PyDict>() else {
                return false;
            };
            let Some((own, next)) = entries.split_at_checked(len) else {
                return false;
            };
            entries = next;
            if d.len() != len {
                return false;
            }
            let mut pos: pyo3::ffi::Py_ssize_t = 0;
            let mut key = std::ptr::null_mut();
            let mut value = std::ptr::null_mut();
            // Locked against other threads on a free-threaded build, as in
            // `Shape::same_objects` (else nothing).
            let same = pyo3::sync::critical_section::with_critical_section(d.as_any(), || {
                own.iter().all(|&(k, x)| {
                    // SAFETY: as in `Shape::same_objects`: `d` is a live dict (a `Bound`), the
                    // out-parameters are `PyDict_Next`'s, nothing runs between the calls, and
                    // the pointers it gives are only compared with addresses, never read
                    // through.
                    let more = unsafe {
                        pyo3::ffi::PyDict_Next(d.as_ptr(), &mut pos, &mut key, &mut value)
                    };
                    more != 0 && key as usize == k && value as usize == x
                })
            });
            if !same {
                return false;
            }
        }
        true
    }
}

/// Whether `f` holds for every entry of the dict `d`, in order (it stops at the first that
/// does not hold).
fn all_entries<'py>(
    d: &Bound<'py, PyDict>,
    mut f: impl FnMut(Bound<'py, PyAny>, Bound<'py, PyAny>) -> bool,
) -> bool {
    entries(d).all(|(k, v)| f(k, v))
}

/// Whether a value is made of the exact built-in types [`same`] compares by value.
fn plain(v: &Bound<'_, PyAny>, depth: usize, budget: &mut usize) -> bool {
    if depth > MAX_DEPTH || *budget == 0 {
        return false;
    }
    *budget -= 1;
    let mut plain = |v: &Bound<'_, PyAny>| plain(v, depth + 1, budget);
    match kind(v) {
        None => false,
        Some(Kind::Leaf) => true,
        Some(Kind::Dict(d)) => d.iter().all(|(k, v)| is_key(&k) && plain(&v)),
        Some(Kind::List(l)) => l.iter().all(|v| plain(&v)),
        Some(Kind::Tuple(t)) => t.iter().all(|v| plain(&v)),
    }
}

/// What a value is among the exact built-in types whose document depends on nothing but
/// their type and value, the only ones [`same`] and [`Shape`] compare (`None` for any other:
/// a float, a Decimal, a subclass, an object with `to_dict`, a numpy scalar): the one place
/// that says which they are.
enum Kind<'a, 'py> {
    /// `None`, `str`, `int` or `bool`.
    Leaf,
    /// A `dict`, whose keys must be [`is_key`].
    Dict(&'a Bound<'py, PyDict>),
    List(&'a Bound<'py, PyList>),
    Tuple(&'a Bound<'py, PyTuple>),
}

fn kind<'a, 'py>(v: &'a Bound<'py, PyAny>) -> Option<Kind<'a, 'py>> {
    if v.is_none()
        || v.is_exact_instance_of::<PyString>()
        || v.is_exact_instance_of::<PyInt>()
        || v.is_exact_instance_of::<PyBool>()
    {
        Some(Kind::Leaf)
    } else if let Ok(d) = v.cast_exact::<PyDict>() {
        Some(Kind::Dict(d))
    } else if let Ok(l) = v.cast_exact::<PyList>() {
        Some(Kind::List(l))
    } else if let Ok(t) = v.cast_exact::<PyTuple>() {
        Some(Kind::Tuple(t))
    } else {
        None
    }
}

/// Whether a dict's key is one [`same`] compares: an exact `str`.
fn is_key(k: &Bound<'_, PyAny>) -> bool {
    k.is_exact_instance_of::<PyString>()
}

/// Whether two keys are the same: both [`is_key`], one object or equal texts.
fn same_key(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    is_key(a) && is_key(b) && (a.is(b) || a.eq(b).unwrap_or(false))
}

/// Whether two leaves are the same: one object (`None`, `True` and `False` are single
/// objects), or of the same exact type `str` or `int` with equal values (Python's own `==`
/// would take `1` for `True`).
fn same_leaf(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    a.is(b)
        || (a.get_type_ptr() == b.get_type_ptr()
            && (a.is_exact_instance_of::<PyString>() || a.is_exact_instance_of::<PyInt>())
            && a.eq(b).unwrap_or(false))
}
