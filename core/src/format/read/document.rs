//! A request built value by value from a host's own data (a binding walking Python dicts, a
//! Rust tool reading a database) instead of written as JSON text and parsed again: the same
//! tree the text would have given, read by the same reader, with the same problems at the
//! same paths.

use bumpalo::Bump;

use crate::error::{Error, ErrorCode, Errors};
use crate::json_text::escaped_len;

use super::json::json;
use super::tree::{closed, syntax_error, Builder, Tree, MAX_DEPTH};

/// Where a built [`Document`]'s values live: one arena, freed at once when it is dropped.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// use takst::{Arena, DocumentBuilder, Request};
///
/// let arena = Arena::new();
/// let mut b = DocumentBuilder::new(&arena);
/// b.begin_object();
/// b.key("version");
/// b.int(1);
/// b.key("offer");
/// b.json(r#"{"name": "Bo", "year": 2026, "kind": "day", "capacity": {"places": 8},
///            "occupancy": {"budgeted_pct": 95},
///            "costs": [{"label": "Løn", "category": "wages", "amount": "800000"}]}"#)?;
/// b.end();
/// let request = Request::from_document(&b.finish()?, &takst::Limits::default())?;
/// assert_eq!(request.offer.map(|o| o.costs[0].label.clone()).as_deref(), Some("Løn"));
/// # Ok::<(), takst::Errors>(())
/// ```
#[derive(Default)]
pub struct Arena(Bump);

impl Arena {
    /// An empty arena.
    pub fn new() -> Arena {
        Arena(Bump::new())
    }

    /// An arena with room for `bytes` before it grows (a request's tree takes some three to
    /// four times the bytes of its compact JSON: 3.6 on a batch of courses).
    pub fn with_capacity(bytes: usize) -> Arena {
        Arena(Bump::with_capacity(bytes))
    }
}

impl std::fmt::Debug for Arena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arena")
            .field("allocated_bytes", &self.0.allocated_bytes())
            .finish()
    }
}

/// A document built by a [`DocumentBuilder`], read with [`Request::from_document`].
///
/// [`Request::from_document`]: crate::Request::from_document
#[derive(Debug)]
pub struct Document<'a> {
    pub(crate) tree: Tree<'a>,
    size: usize,
    /// Whether a value was placed elsewhere ([`DocumentBuilder::again_elsewhere`]): the
    /// document is then not the request its text would be, and is read for its reading
    /// problems alone.
    pub(crate) elsewhere: bool,
}

impl Document<'_> {
    /// The bytes of its compact JSON text, [`to_json`](Self::to_json): what the request size
    /// limit ([`Limits::request_bytes`](crate::Limits::request_bytes)) is checked
    /// against.
    pub fn size(&self) -> usize {
        self.size
    }
}

impl Document<'_> {
    /// The document as compact JSON text, strings escaped as serde_json escapes them and
    /// numbers as serde_json reads them (`1e3` is `1e+3`): text that reads back as the same
    /// document.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.size);
        write_json(&mut out, &self.tree);
        out
    }
}

/// `tree` as compact JSON text. A number is written as its text, but for a TOML number's
/// leading `+` (`+96.5`, which the reader takes as 96.5), which JSON does not have.
pub(crate) fn write_json(out: &mut String, tree: &Tree<'_>) {
    use crate::json_text::push_str;
    match tree {
        Tree::Null => out.push_str("null"),
        Tree::Bool(v) => out.push_str(if *v { "true" } else { "false" }),
        Tree::Int(v) => out.push_str(&v.to_string()),
        Tree::UInt(v) => crate::digits::push_int(out, *v),
        Tree::Num(s) => out.push_str(s.strip_prefix('+').unwrap_or(s)),
        Tree::Str(s) => push_str(out, s),
        Tree::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item);
            }
            out.push(']');
        }
        Tree::Obj(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_str(out, k);
                out.push(':');
                write_json(out, v);
            }
            out.push('}');
        }
    }
}

/// A value built earlier, to be placed again ([`DocumentBuilder::last`],
/// [`DocumentBuilder::again`]), with the bytes of its compact JSON and the levels it nests
/// once it has been placed again (counted the first time: a batch that places one value
/// again on every row counted its keys' and strings' escapes on every row, 1,500
/// instructions for three phases).
#[derive(Debug, Clone)]
pub struct Built<'a>(Tree<'a>, std::sync::OnceLock<(usize, usize)>);

impl Built<'_> {
    /// Whether two values built are the same JSON value written the same way (the same keys
    /// in the same order, strings, numbers as the same text), so that a reader reads them
    /// alike: a host that built a row's value may place it as the earlier one instead
    /// ([`DocumentBuilder::again_elsewhere`]).
    pub fn same(&self, other: &Built<'_>) -> bool {
        self.0 == other.0
    }
}

/// A text in a builder's arena with the bytes of its JSON string (escaped, without the
/// quotes): [`DocumentBuilder::text_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text<'a>(&'a str, usize);

impl<'a> Text<'a> {
    /// The text.
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// A point to return to ([`DocumentBuilder::mark`], [`DocumentBuilder::reset`]).
#[derive(Debug, Clone)]
pub struct Mark<'a> {
    open: usize,
    /// The number of the innermost list or object open at the mark (0: none).
    within: usize,
    items: usize,
    entries: usize,
    key: Option<&'a str>,
    root: bool,
    size: usize,
    failed: bool,
    elsewhere: usize,
}

/// A list or object still open: where its items or entries start on the scratch stacks, and
/// the key it has in its parent.
struct Open<'a> {
    object: bool,
    start: usize,
    key: Option<&'a str>,
    /// Which list or object this is: each one begun has its own number, so a mark can tell
    /// the one it was taken in from another begun in its place since.
    id: usize,
}

/// Builds one JSON value (a request) call by call, as a streaming writer would write it:
/// `begin_object`, `key` and a value for each entry, `end`; `begin_list`, the items, `end`.
///
/// Values are the JSON ones: `null`, booleans, integers ([`int`](Self::int)), numbers as
/// their JSON text ([`number`](Self::number): `"12.50"`, never a binary float), strings,
/// lists and objects, and JSON text of one value ([`json`](Self::json)). An object keeps its
/// keys in order, repeated ones too, so the reader reports them as it does in text.
///
/// Misuse (a value in an object without its key, an `end` with nothing open, a second
/// top-level value, nesting deeper than 127 levels as JSON text may, a number that is not a
/// JSON number) does
/// not panic: the builder keeps the first such problem, ignores what follows, and
/// [`finish`](Self::finish) returns it as a `syntax` or `invalid_number` error.
pub struct DocumentBuilder<'a> {
    b: Builder<'a>,
    open: Vec<Open<'a>>,
    key: Option<&'a str>,
    root: Option<Tree<'a>>,
    size: usize,
    failed: Option<Error>,
    /// Lists and objects begun so far (numbering them).
    begun: usize,
    /// Values placed elsewhere ([`again_elsewhere`](Self::again_elsewhere)) and still in the
    /// document (a [`reset`](Self::reset) drops those placed since its mark).
    elsewhere: usize,
    /// Texts met lately, each with the bytes of its JSON string (escaped, without the
    /// quotes), two to a set chosen by their bytes: a row's keys (`service`, `months`) and
    /// repeated values are copied into the arena and counted once, not once per row.
    texts: [[(&'a str, usize); 2]; TEXT_SETS],
}

/// Sets of the builder's recent texts (a power of two).
const TEXT_SETS: usize = 32;

/// A text's set: its length and four of its bytes, hashed (Fibonacci hashing).
fn text_set(s: &str) -> usize {
    let b = s.as_bytes();
    let at = |i: usize| u64::from(b.get(i).copied().unwrap_or(0));
    let n = b.len();
    let x = (n as u64)
        | at(0) << 8
        | at(n / 2) << 16
        | at(n.wrapping_sub(1)) << 24
        | at(n.wrapping_sub(2)) << 32;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TEXT_SETS.trailing_zeros())) as usize
}

impl<'a> DocumentBuilder<'a> {
    /// A builder whose values live in `arena`.
    pub fn new(arena: &'a Arena) -> DocumentBuilder<'a> {
        let mut b = Builder::new(&arena.0);
        b.max_depth = MAX_DEPTH;
        DocumentBuilder {
            b,
            open: Vec::with_capacity(16),
            key: None,
            root: None,
            size: 0,
            failed: None,
            elsewhere: 0,
            begun: 0,
            texts: [[("", 0); 2]; TEXT_SETS],
        }
    }

    /// A text in the arena, with the bytes of its JSON string (escaped, without the quotes):
    /// the copy made when the same text was met lately, or a new one.
    fn text(&mut self, s: &str) -> (&'a str, usize) {
        let set = &mut self.texts[text_set(s)];
        if set[0].0 == s {
            return set[0];
        }
        if set[1].0 == s {
            return set[1];
        }
        let text: &'a str = self.b.bump.alloc_str(s);
        set[1] = set[0];
        set[0] = (text, escaped_len(text));
        set[0]
    }

    /// The bytes of compact JSON built so far (what [`Document::size`] will be).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Lists and objects open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// Whether a problem has been met (then every later call is ignored, but for `json` and
    /// `json_entries`, which still report their text's own syntax errors).
    pub fn failed(&self) -> bool {
        self.failed.is_some()
    }

    fn fail(&mut self, code: ErrorCode, en: String, da: String) {
        if self.failed.is_none() {
            self.failed = Some(Error::new(code, "", en, da));
        }
    }

    fn too_deep(&mut self) {
        self.fail(
            ErrorCode::Syntax,
            format!("nested deeper than {MAX_DEPTH} levels (recursion limit exceeded)"),
            format!("Dokumentet er indlejret i mere end {MAX_DEPTH} niveauer."),
        );
    }

    fn misuse(&mut self, what: &str, da: &str) {
        self.fail(
            ErrorCode::Syntax,
            format!("the built document is not one JSON value: {what}"),
            format!("Det opbyggede dokument er ikke én JSON-værdi: {da}."),
        );
    }

    /// Places a finished value: as the next item of the open list, the value of the pending
    /// key of the open object, or the document.
    fn place(&mut self, value: Tree<'a>, bytes: usize) {
        if self.failed.is_some() {
            return;
        }
        // and the comma before it, after an earlier item
        let comma = match self.open.last() {
            Some(open) if open.object => self.b.entries.len() > open.start,
            Some(open) => self.b.items.len() > open.start,
            None => false,
        };
        self.size = self
            .size
            .saturating_add(bytes)
            .saturating_add(usize::from(comma));
        match self.open.last() {
            Some(open) if open.object => match self.key.take() {
                Some(key) => self.b.entries.push((key, value)),
                None => self.misuse(
                    "a value in an object without its key",
                    "en værdi i et objekt uden sin nøgle",
                ),
            },
            Some(_) => self.b.items.push(value),
            None if self.root.is_none() => self.root = Some(value),
            None => self.misuse(
                "a second value after the document",
                "en værdi mere efter dokumentet",
            ),
        }
    }

    /// `null`.
    pub fn null(&mut self) {
        self.place(Tree::Null, leaf_bytes(&Tree::Null));
    }

    /// `true` or `false`.
    pub fn bool(&mut self, v: bool) {
        self.place(Tree::Bool(v), leaf_bytes(&Tree::Bool(v)));
    }

    /// An integer.
    pub fn int(&mut self, v: i64) {
        self.place(Tree::Int(v), leaf_bytes(&Tree::Int(v)));
    }

    /// A number given as its JSON text (`"12"`, `"-0.50"`, `"1e3"`): the node the same text
    /// gives in a request. Anything else is an `invalid_number` problem.
    pub fn number(&mut self, text: &str) {
        if self.failed.is_some() {
            return;
        }
        // A JSON number starts with a digit or `-` and ends with a digit (serde_json would skip
        // whitespace around it, and read `{"$serde_json::private::Number": …}` as one).
        let bare = text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
            && text.ends_with(|c: char| c.is_ascii_digit());
        // Parsed like `json` (nothing left on the scratch stacks or the depth after an error).
        let parsed = if bare {
            self.parse(text, false).ok()
        } else {
            None
        };
        match parsed {
            Some(v @ (Tree::Int(_) | Tree::UInt(_) | Tree::Num(_))) => {
                let bytes = leaf_bytes(&v);
                self.place(v, bytes)
            }
            _ => self.fail(
                ErrorCode::InvalidNumber,
                format!("invalid number: {text:?} is not a JSON number"),
                format!("{text:?} er ikke et JSON-tal."),
            ),
        }
    }

    /// A string.
    pub fn str(&mut self, v: &str) {
        if self.failed.is_some() {
            return;
        }
        let (text, escaped) = self.text(v);
        self.place(Tree::Str(text), escaped.saturating_add(2));
    }

    /// A date: the string `YYYY-MM-DD` a request gives it as (written from its digits, as the
    /// responses write dates).
    pub fn date(&mut self, date: jiff::civil::Date) {
        match crate::date::ascii(date)
            .as_ref()
            .map(|b| std::str::from_utf8(b))
        {
            Some(Ok(text)) => self.str(text),
            _ => self.str(&date.to_string()),
        }
    }

    /// The key of the next value of the open object.
    pub fn key(&mut self, k: &str) {
        if self.key_allowed() {
            let (key, escaped) = self.text(k);
            self.set_key(key, escaped);
        }
    }

    /// A text copied into the arena once (or found there, as [`key`](Self::key) and
    /// [`str`](Self::str) find a text met lately), to be placed again and again as a key
    /// ([`key_text`](Self::key_text)) or a string ([`str_text`](Self::str_text)) without
    /// being looked up again: a column's name or a value a host meets on every row. Placed
    /// so, it is the node `key` or `str` of the same text would place (a node is told apart by
    /// its own address, not its string's).
    pub fn text_of(&mut self, s: &str) -> Text<'a> {
        let (text, escaped) = self.text(s);
        Text(text, escaped)
    }

    /// [`key`](Self::key) of a text kept with [`text_of`](Self::text_of).
    pub fn key_text(&mut self, k: Text<'a>) {
        if self.key_allowed() {
            self.set_key(k.0, k.1);
        }
    }

    /// [`str`](Self::str) of a text kept with [`text_of`](Self::text_of).
    pub fn str_text(&mut self, v: Text<'a>) {
        if self.failed.is_none() {
            self.place(Tree::Str(v.0), v.1.saturating_add(2));
        }
    }

    /// Whether a key may be given now (else the problem is kept).
    fn key_allowed(&mut self) -> bool {
        if self.failed.is_some() {
            return false;
        }
        if !self.open.last().is_some_and(|o| o.object) {
            self.misuse("a key outside an object", "en nøgle uden for et objekt");
            return false;
        }
        if self.key.is_some() {
            self.misuse("two keys without a value", "to nøgler uden en værdi");
            return false;
        }
        true
    }

    fn set_key(&mut self, key: &'a str, escaped: usize) {
        self.size = self.size.saturating_add(escaped).saturating_add(3);
        self.key = Some(key);
    }

    fn begin(&mut self, object: bool) {
        if self.failed.is_some() {
            return;
        }
        if self.open.len() >= MAX_DEPTH {
            return self.too_deep();
        }
        let in_object = self.open.last().is_some_and(|o| o.object);
        let key = self.key.take();
        if in_object && key.is_none() {
            return self.misuse(
                "a value in an object without its key",
                "en værdi i et objekt uden sin nøgle",
            );
        }
        if self.open.is_empty() && self.root.is_some() {
            return self.misuse(
                "a second value after the document",
                "en værdi mere efter dokumentet",
            );
        }
        let start = if object {
            self.b.entries.len()
        } else {
            self.b.items.len()
        };
        self.begun = self.begun.wrapping_add(1);
        self.open.push(Open {
            object,
            start,
            key,
            id: self.begun,
        });
        self.b.depth = self.open.len();
        self.size = self.size.saturating_add(2);
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.begin(true);
    }

    /// Opens a list.
    pub fn begin_list(&mut self) {
        self.begin(false);
    }

    /// Closes the open list or object.
    pub fn end(&mut self) {
        if self.failed.is_some() {
            return;
        }
        let Some(open) = self.open.pop() else {
            return self.misuse("an end with nothing open", "en afslutning uden noget åbent");
        };
        self.b.depth = self.open.len();
        let bump = self.b.bump;
        let value = if open.object {
            if self.key.take().is_some() {
                return self.misuse("a key without its value", "en nøgle uden sin værdi");
            }
            Tree::Obj(closed(bump, &mut self.b.entries, open.start))
        } else {
            Tree::Arr(closed(bump, &mut self.b.items, open.start))
        };
        // The key it has in its parent, pending again while it is placed.
        self.key = open.key;
        self.place(value, 0);
    }

    /// One value given as JSON text, placed as the next value: what the text gives in a
    /// request. A syntax error (with its line and column in `text`) is returned at once and
    /// leaves the builder as it was.
    pub fn json(&mut self, text: &str) -> Result<(), Errors> {
        let value = self.parse(text, false)?;
        let bytes = self.bytes_of(&value);
        self.place(value, bytes);
        Ok(())
    }

    /// The entries of an object given as JSON text, added to the open object (the head of a
    /// request that many built ones share). A syntax error, or text that is not an object,
    /// is returned at once and leaves the builder as it was.
    pub fn json_entries(&mut self, text: &str) -> Result<(), Errors> {
        if self.failed.is_some() {
            return Ok(());
        }
        if !self.open.last().is_some_and(|o| o.object) || self.key.is_some() {
            self.misuse("entries outside an object", "felter uden for et objekt");
            return Ok(());
        }
        match self.parse(text, true)? {
            Tree::Obj(entries) => {
                for (k, v) in entries {
                    let comma = self
                        .open
                        .last()
                        .is_some_and(|o| self.b.entries.len() > o.start);
                    let bytes = escaped_len(k)
                        .saturating_add(3)
                        .saturating_add(self.bytes_of(v))
                        .saturating_add(usize::from(comma));
                    self.size = self.size.saturating_add(bytes);
                    self.b.entries.push((k, v.clone()));
                }
                Ok(())
            }
            other => {
                let (en, da) = other.kind();
                Err(Error::new(
                    ErrorCode::InvalidType,
                    "",
                    format!("invalid type: {en}, expected an object"),
                    format!("Forventede et objekt, men fik {da}."),
                )
                .into())
            }
        }
    }

    /// JSON text parsed into the arena at the builder's depth (an object whose entries are
    /// spliced into the open one, `entries`, adds no level of its own).
    fn parse(&mut self, text: &str, entries: bool) -> Result<Tree<'a>, Errors> {
        let copy = self.b.bump.alloc_str(text);
        let (items, kept) = (self.b.items.len(), self.b.entries.len());
        self.b.depth = self.open.len() - usize::from(entries && !self.open.is_empty());
        let parsed = json(copy, &mut self.b).map_err(|e| {
            self.b.items.truncate(items);
            self.b.entries.truncate(kept);
            Errors::from(syntax_error(e, copy))
        });
        self.b.depth = self.open.len();
        parsed
    }

    /// The builder's state now, to return to with [`reset`](Self::reset) (a binding that
    /// meets a problem halfway through a row of its own drops the row and goes on with the
    /// next, to report the next row's problems too).
    pub fn mark(&self) -> Mark<'a> {
        Mark {
            open: self.open.len(),
            within: self.open.last().map_or(0, |o| o.id),
            items: self.b.items.len(),
            entries: self.b.entries.len(),
            key: self.key,
            root: self.root.is_some(),
            size: self.size,
            failed: self.failed.is_some(),
            elsewhere: self.elsewhere,
        }
    }

    /// Returns to a [`mark`](Self::mark): what was begun, placed or met since is dropped. A
    /// list or object open at the mark and ended since cannot be opened again; that is a
    /// problem of its own.
    pub fn reset(&mut self, mark: &Mark<'a>) {
        if mark.failed {
            return;
        }
        let within = match mark.open.checked_sub(1) {
            Some(i) => self.open.get(i).map(|o| o.id),
            None => Some(0),
        };
        let open_since = within == Some(mark.within)
            && self.b.items.len() >= mark.items
            && self.b.entries.len() >= mark.entries;
        if !open_since || (mark.root && self.root.is_none()) {
            self.failed = None;
            return self.misuse(
                "reset to a mark whose list or object has been ended since",
                "nulstillet til et mærke hvis liste eller objekt er afsluttet siden",
            );
        }
        self.open.truncate(mark.open);
        self.b.items.truncate(mark.items);
        self.b.entries.truncate(mark.entries);
        self.b.depth = self.open.len();
        self.key = mark.key;
        if !mark.root {
            self.root = None;
        }
        self.size = mark.size;
        self.elsewhere = mark.elsewhere;
        self.failed = None;
    }

    /// The value placed last (a list or object once it is ended), to place again with
    /// [`again`](Self::again); `None` before the first.
    pub fn last(&self) -> Option<Built<'a>> {
        let value = match self.open.last() {
            Some(open) if open.object => self.b.entries.get(open.start..)?.last().map(|e| &e.1),
            Some(open) => self.b.items.get(open.start..)?.last(),
            None => self.root.as_ref(),
        };
        value.map(|v| Built(v.clone(), std::sync::OnceLock::new()))
    }

    /// Places a copy of a value built earlier: its own nodes, so a problem in it is reported
    /// at each place it is given, as it is when the text repeats it. A copy that would nest
    /// deeper than the limit is a problem like any other level too many.
    pub fn again(&mut self, value: &Built<'a>) {
        if self.failed.is_some() {
            return;
        }
        let (copy, depth) = self.copy(&value.0);
        if self.open.len().saturating_add(depth) > MAX_DEPTH {
            return self.too_deep();
        }
        // The copy's bytes are the value's (a copy shares its keys and strings).
        let (bytes, _) = self.counted(value);
        self.place(copy, bytes);
    }

    /// Places an empty list where a copy of `value` would go ([`again`](Self::again)), counted
    /// as the copy is: its bytes in [`size`](Self::size) and [`Document::size`], and its
    /// levels against the depth limit. For a host that gives the read request's field the
    /// value it read at the value's first place (a batch whose rows repeat one phase list)
    /// instead of having every copy read: the document is then not the request the text
    /// would give, so when it is read with any problem the host builds it again with `again`
    /// and reads that, which reports each problem at each place. Such a document is read for
    /// its reading problems alone: when only some courses do not read, the others are not
    /// priced for theirs ([`Request::from_document`](crate::Request::from_document)), work the
    /// host would throw away.
    pub fn again_elsewhere(&mut self, value: &Built<'a>) {
        if self.failed.is_some() {
            return;
        }
        let (bytes, depth) = self.counted(value);
        if self.open.len().saturating_add(depth) > MAX_DEPTH {
            return self.too_deep();
        }
        self.place(Tree::Arr(&[]), bytes);
        self.elsewhere = self.elsewhere.saturating_add(1);
    }

    /// Counts a copy of `value` as the next item, as [`again`](Self::again) would place it
    /// with each text `old` of it written as `new` (`texts`: pairs of a text the value holds
    /// and the text in its place), and places nothing: its bytes and the comma before it in
    /// [`size`](Self::size) and [`Document::size`], its levels against the depth limit.
    /// `counted` is the value's bytes as `size` counted them when it was placed, without the
    /// comma before it: a value holding a list placed elsewhere
    /// ([`again_elsewhere`](Self::again_elsewhere)) holds an empty list in its tree but was
    /// counted as the copy the list stands for. For a host that makes the read request's
    /// item itself from one read earlier (a batch row that repeats an earlier row but for
    /// its texts: a course's start date, its id): the document has an item fewer than the
    /// text would, so, as with `again_elsewhere`, the host reads it only to fill it in and
    /// builds it again with every item in place when it is read with any problem. The count
    /// is `counted` less the old texts' bytes and with the new ones'.
    pub fn again_omitted(
        &mut self,
        value: &Built<'a>,
        counted: usize,
        texts: impl IntoIterator<Item = (Text<'a>, Text<'a>)>,
    ) {
        if self.failed.is_some() {
            return;
        }
        // (The depth of a list placed elsewhere is that of the empty list in its place;
        // the value passed the depth check with the copy's when it was placed.)
        let (_, depth) = self.counted(value);
        if self.open.len().saturating_add(depth) > MAX_DEPTH {
            return self.too_deep();
        }
        let bytes = texts.into_iter().fold(counted, |n, (old, new)| {
            n.saturating_sub(old.1).saturating_add(new.1)
        });
        // The comma `place` counts before an item after an earlier one: an omitted item
        // comes after the one it repeats, so there is always one before it.
        self.size = self.size.saturating_add(bytes).saturating_add(1);
        self.elsewhere = self.elsewhere.saturating_add(1);
    }

    /// A value's bytes ([`bytes_of`](Self::bytes_of)) and levels (`depth_of`), counted the
    /// first time it is placed again.
    fn counted(&self, value: &Built<'a>) -> (usize, usize) {
        *value
            .1
            .get_or_init(|| (self.bytes_of(&value.0), depth_of(&value.0)))
    }

    /// The bytes of a value's compact JSON (strings escaped), as `place` counts them.
    fn bytes_of(&self, value: &Tree<'a>) -> usize {
        match value {
            Tree::Arr(items) => items
                .iter()
                .map(|v| self.bytes_of(v))
                .fold(2 + items.len().saturating_sub(1), usize::saturating_add),
            Tree::Obj(entries) => entries
                .iter()
                .map(|(k, v)| {
                    escaped_len(k)
                        .saturating_add(3)
                        .saturating_add(self.bytes_of(v))
                })
                .fold(2 + entries.len().saturating_sub(1), usize::saturating_add),
            leaf => leaf_bytes(leaf),
        }
    }

    /// A deep copy of a value in the arena, and the levels of lists and objects it nests. A
    /// value in the arena was built within the depth limit, so the recursion is bounded by it.
    fn copy(&self, value: &Tree<'a>) -> (Tree<'a>, usize) {
        let bump = self.b.bump;
        let mut depth = 0usize;
        let tree = match value {
            Tree::Arr(items) => Tree::Arr(bump.alloc_slice_fill_iter(items.iter().map(|v| {
                let (v, d) = self.copy(v);
                depth = depth.max(d);
                v
            }))),
            Tree::Obj(entries) => {
                Tree::Obj(bump.alloc_slice_fill_iter(entries.iter().map(|(k, v)| {
                    let (v, d) = self.copy(v);
                    depth = depth.max(d);
                    (*k, v)
                })))
            }
            leaf => return (leaf.clone(), 0),
        };
        (tree, depth + 1)
    }

    /// The document: exactly one value, every list and object ended; else the first problem
    /// met.
    pub fn finish(self) -> Result<Document<'a>, Errors> {
        if let Some(e) = self.failed {
            return Err(e.into());
        }
        match (self.open.is_empty(), self.root) {
            (true, Some(tree)) => Ok(Document {
                tree,
                size: self.size,
                elsewhere: self.elsewhere > 0,
            }),
            (false, _) => Err(Error::new(
                ErrorCode::Syntax,
                "",
                "the built document is not one JSON value: a list or object was not ended",
                "Det opbyggede dokument er ikke én JSON-værdi: en liste eller et objekt blev ikke afsluttet.",
            )
            .into()),
            (true, None) => Err(Error::new(
                ErrorCode::Syntax,
                "",
                "the built document is not one JSON value: it is empty",
                "Det opbyggede dokument er ikke én JSON-værdi: det er tomt.",
            )
            .into()),
        }
    }
}

/// The bytes of a leaf's compact JSON (strings without their escapes), as the builder counts
/// them when it is placed.
fn leaf_bytes(leaf: &Tree<'_>) -> usize {
    match leaf {
        Tree::Null => 4,
        Tree::Bool(v) => 4 + usize::from(!*v),
        Tree::Int(v) => digits(v.unsigned_abs()) + usize::from(*v < 0),
        Tree::UInt(v) => digits(*v),
        Tree::Num(s) => s.len(),
        Tree::Str(s) => escaped_len(s).saturating_add(2),
        Tree::Arr(_) | Tree::Obj(_) => 2,
    }
}

/// The levels of lists and objects a value nests, as [`DocumentBuilder::copy`] counts them. A
/// value in the arena was built within the depth limit, so the recursion is bounded by it.
fn depth_of(value: &Tree<'_>) -> usize {
    match value {
        Tree::Arr(items) => 1 + items.iter().map(depth_of).max().unwrap_or(0),
        Tree::Obj(entries) => 1 + entries.iter().map(|(_, v)| depth_of(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// The decimal digits of an integer.
fn digits(v: u64) -> usize {
    v.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
