//! Step 2 of reading: the deserializer that drives the model types' own `Deserialize` over
//! the tree, reporting every problem at its path and handing visitors stand-ins so that
//! reading goes on.

use std::collections::HashSet;

use serde::de::{self, Visitor};

use crate::danish::int;
use crate::error::ErrorCode;
use crate::num::NUMBER_TOKEN;

use super::access::*;
use super::*;

/// Deserializes one node of the tree.
pub(super) struct De<'t, 'p, 'r> {
    pub(super) node: &'t Tree<'t>,
    pub(super) path: Path<'p>,
    pub(super) r: &'r Reader,
    /// Read as a stand-in: any value the visitor accepts, no problems reported.
    pub(super) poison: bool,
}

impl<'t, 'p, 'r> De<'t, 'p, 'r> {
    pub(super) fn stand_in(&self) -> bool {
        self.poison || self.r.is_poisoned(self.node)
    }

    /// A visitor's own failure: recorded at this node, which is read as a stand-in on the
    /// next pass.
    pub(super) fn settle<T>(&self, result: Result<T, DeError>) -> Result<T, DeError> {
        // Generic only in the value: the error is settled by one function for every type.
        result.map_err(|e| self.settle_error(e))
    }

    #[cold]
    fn settle_error(&self, error: DeError) -> DeError {
        if self.stand_in() {
            // A stand-in a visitor refuses: nothing to report (the real problem is).
            return DeError::Reported;
        }
        match error {
            DeError::Custom(message) => {
                self.r.report_custom(&self.path, &message);
                self.r.poison(self.node);
                DeError::Reported
            }
            DeError::Missing(field) => {
                let path = Path::Key(&self.path, field);
                self.r.report(
                    ErrorCode::MissingField,
                    &path,
                    format!("missing field `{field}`"),
                    format!("Feltet `{field}` mangler."),
                );
                self.r.add_missing(self.node, field);
                DeError::Reported
            }
            DeError::Reported => DeError::Reported,
        }
    }

    /// The node is not what the field takes: `expected` in English and in Danish.
    pub(super) fn wrong_type(&self, (expected, expected_da): (&str, &str)) {
        if matches!(self.node, Tree::Null) {
            let message = format!("no value (null) where a value is required: give {expected}");
            let message_da =
                format!("Der er ingen værdi (null), hvor der kræves en: angiv {expected_da}.");
            self.r
                .report(ErrorCode::MissingValue, &self.path, message, message_da);
            return;
        }
        let (kind, kind_da) = self.node.kind();
        let message = format!("invalid type: {kind}, expected {expected}");
        let message_da = format!("Forkert type: {kind_da}, men her forventes {expected_da}.");
        self.r
            .report(ErrorCode::InvalidType, &self.path, message, message_da);
    }

    /// A whole number from `min` to `max` (bounds within `i64` and `u64`), handed to the
    /// visitor as `u64` when it is not negative and as `i64` when it is.
    pub(super) fn integer<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        min: i64,
        max: u64,
    ) -> Result<V::Value, DeError> {
        // The reading and the reports are compiled once, not once per visitor; no 128-bit
        // visit is reachable from here, so the browser module does not carry serde's
        // text for one.
        let result = match self.whole(min, max) {
            None => return visitor.visit_u64(0),
            Some(Whole::Unsigned(u)) => visitor.visit_u64(u),
            Some(Whole::Signed(i)) => visitor.visit_i64(i),
        };
        self.settle(result)
    }

    /// A whole number from `min` to `max` for a 128-bit field.
    fn integer128<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        min: i128,
        max: i128,
    ) -> Result<V::Value, DeError> {
        let Some(v) = self.whole_wide(min, max) else {
            return visitor.visit_u64(0);
        };
        let result = match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => visitor.visit_u64(u),
            (_, Ok(i)) => visitor.visit_i64(i),
            _ => visitor.visit_i128(v),
        };
        self.settle(result)
    }

    /// [`whole_wide`](Self::whole_wide) for bounds within `i64` and `u64`: a value in them
    /// is a `u64` when it is not negative and an `i64` when it is.
    fn whole(&self, min: i64, max: u64) -> Option<Whole> {
        let v = self.whole_wide(i128::from(min), i128::from(max))?;
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => Some(Whole::Unsigned(u)),
            (_, Ok(i)) => Some(Whole::Signed(i)),
            // Not reached: `v` is from `min` to `max`.
            _ => None,
        }
    }

    /// The node's whole number from `min` to `max`; `None`, with the problem reported,
    /// when it is not one (or for a stand-in, with nothing reported): the visitor is then
    /// handed 0.
    fn whole_wide(&self, min: i128, max: i128) -> Option<i128> {
        if self.stand_in() {
            return None;
        }
        let value = match self.node {
            Tree::Int(i) => Some(i128::from(*i)),
            Tree::UInt(u) => Some(i128::from(*u)),
            Tree::Num(text) => match crate::num::parse_text(text, crate::num::Written::Number) {
                Ok(d) if d.fract().is_zero() => {
                    let d = d.normalize();
                    Some(d.mantissa())
                }
                Ok(_) => {
                    self.r.report(
                        ErrorCode::InvalidValue,
                        &self.path,
                        format!("invalid value: {text} must be a whole number"),
                        format!("Ugyldig værdi: `{text}` skal være et helt tal."),
                    );
                    return None;
                }
                Err(m) => {
                    self.r
                        .report(ErrorCode::InvalidNumber, &self.path, m.en, m.da);
                    return None;
                }
            },
            _ => None,
        };
        let Some(v) = value else {
            self.wrong_type(("a whole number", "et helt tal"));
            return None;
        };
        if v < min || v > max {
            // The digits by `itoa`, as `i128`'s `Display` writes them: the writers link it
            // anyway, and `core`'s 128-bit formatting is then not in the browser module.
            let mut digits = [
                itoa::Buffer::new(),
                itoa::Buffer::new(),
                itoa::Buffer::new(),
            ];
            let [a, b, c] = &mut digits;
            let (v, min, max) = (a.format(v), b.format(min), c.format(max));
            self.r.report(
                ErrorCode::OutOfRange,
                &self.path,
                format!("{v} is out of range: give a whole number from {min} to {max}"),
                format!(
                    "Tallet {} er uden for det mulige: angiv et helt tal fra {} til {}.",
                    int(v),
                    int(min),
                    int(max)
                ),
            );
            return None;
        }
        Some(v)
    }
}

/// A whole number in a field's bounds, as the visitor is handed it.
enum Whole {
    Unsigned(u64),
    Signed(i64),
}

impl<'t, 'p, 'r> De<'t, 'p, 'r> {
    /// The fields a struct's visitor reads: the object's entries, checked, or stand-ins for
    /// every field (a node read as a stand-in, or not an object, reported here). Not generic,
    /// so this is compiled once, not once per struct.
    fn struct_fields(&self, fields: &'static [&'static str]) -> Fields<'t, 'p, 'r> {
        if !self.stand_in() {
            match self.node {
                Tree::Obj(entries) => {
                    let keep = self.entries(entries, Some(fields));
                    return Fields::Checked(Checked::new(self, keep));
                }
                Tree::Arr(_) => self.r.report(
                    ErrorCode::InvalidType,
                    &self.path,
                    format!(
                        "invalid type: a list, expected an object with named fields ({}); \
                         values by position are not part of the format",
                        fields.join(", ")
                    ),
                    format!(
                        "Forkert type: en liste, men her forventes et objekt med navngivne felter \
                         ({}); værdier efter placering er ikke en del af formatet.",
                        fields.join(", ")
                    ),
                ),
                _ => self.wrong_type(("an object", "et objekt")),
            }
        }
        Fields::StandIn(StandInFields {
            fields: fields.iter(),
            node: self.node,
            path: self.path,
            r: self.r,
        })
    }

    /// The items a list's visitor reads, or none for a stand-in (a node read as one, or one
    /// that is not a list, reported here). Not generic, like [`Self::struct_fields`].
    fn list(&self) -> List<'t, 'p, 'r> {
        if !self.stand_in() {
            if let Tree::Arr(items) = self.node {
                return List::Items(Items {
                    items: items.iter().enumerate(),
                    path: self.path,
                    r: self.r,
                });
            }
            self.wrong_type(("a list", "en liste"));
        }
        List::Empty
    }

    /// The variant an enum's visitor reads: the one [`Self::variant`] finds, or a stand-in
    /// (the first variant, read as a stand-in). Not generic.
    fn enum_variant(&self, variants: &'static [&'static str]) -> Variant<'t, 'p, 'r> {
        let chosen = self.variant(variants);
        let poison = chosen.is_none();
        let (name, content) = chosen.unwrap_or((variants.first().copied().unwrap_or(""), None));
        Variant {
            name,
            content,
            node: self.node,
            path: self.path,
            r: self.r,
            poison,
        }
    }

    /// The variant an enum's node names, with its content; `None` for a stand-in (a node read
    /// as one, or one that names no variant, reported here). Not generic, like
    /// [`Self::struct_fields`].
    fn variant(
        &self,
        variants: &'static [&'static str],
    ) -> Option<(&'static str, Option<&'t Tree<'t>>)> {
        if self.stand_in() {
            return None;
        }
        let words = || {
            variants
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self.node {
            Tree::Str(s) => match variants.iter().find(|v| **v == *s) {
                Some(v) => Some((v, None)),
                None => {
                    self.r.report(
                        ErrorCode::InvalidValue,
                        &self.path,
                        format!("unknown value \"{s}\", expected one of {}", words()),
                        format!(
                            "Værdien \"{s}\" kendes ikke; forventede en af: {}.",
                            words()
                        ),
                    );
                    None
                }
            },
            Tree::Obj(entries) => {
                let keep = self.check_keys(entries, Some(variants));
                match keep.as_slice() {
                    [(key, value)] => variants.iter().find(|v| **v == *key).map(|v| (*v, *value)),
                    [] => {
                        if entries.is_empty() {
                            self.r.report(
                                ErrorCode::MissingValue,
                                &self.path,
                                format!("give one of {}", words()),
                                format!("Angiv en af: {}.", words()),
                            );
                        }
                        None
                    }
                    _ => {
                        self.r.report(
                            ErrorCode::Conflict,
                            &self.path,
                            format!("give only one of {}", words()),
                            format!("Angiv kun en af: {}.", words()),
                        );
                        None
                    }
                }
            }
            _ => {
                let words = words();
                self.wrong_type((&format!("one of {words}"), &format!("en af: {words}")));
                None
            }
        }
    }

    /// The entries to read: those [`Self::check_keys`] keeps, without making a list when
    /// the object is clean (no key repeated or unknown, no field missing on an earlier
    /// pass), which nearly every object is.
    pub(super) fn entries(
        &self,
        entries: &'t [(&'t str, Tree<'t>)],
        fields: Option<&'static [&'static str]>,
    ) -> Entries<'t> {
        let clean = entries.len() <= 16
            && entries.iter().enumerate().all(|(i, (key, _))| {
                !entries[..i].iter().any(|(k, _)| k == key)
                    && fields.is_none_or(|f| f.contains(key))
            })
            && !self.r.has_missing(self.node);
        if clean {
            Entries::All(entries.iter())
        } else {
            Entries::Kept(self.check_keys(entries, fields).into_iter())
        }
    }

    /// Reports repeated keys and (for structs) unknown keys; returns the entries to read.
    pub(super) fn check_keys(
        &self,
        entries: &'t [(&'t str, Tree<'t>)],
        fields: Option<&'static [&'static str]>,
    ) -> Vec<Entry<'t>> {
        let mut keep: Vec<Entry<'t>> = Vec::with_capacity(entries.len());
        // Objects are small: a short list beats hashing until they are not.
        let small = entries.len() <= 16;
        let mut seen_big: HashSet<&str> = HashSet::new();
        for (i, entry) in entries.iter().enumerate() {
            let key = entry.0;
            let repeated = if small {
                entries[..i].iter().any(|(k, _)| *k == key)
            } else {
                !seen_big.insert(key)
            };
            if repeated {
                let path = Path::Key(&self.path, key);
                self.r.report(
                    ErrorCode::DuplicateKey,
                    &path,
                    format!("the key \"{key}\" appears more than once"),
                    format!("Nøglen \"{key}\" står mere end én gang."),
                );
                continue;
            }
            if let Some(fields) = fields {
                if !fields.contains(&key) {
                    let path = Path::Key(&self.path, key);
                    let (message, message_da) = if fields.is_empty() {
                        (
                            format!("unknown field `{key}`: no fields are expected here"),
                            format!("Feltet `{key}` findes ikke; her forventes ingen felter."),
                        )
                    } else {
                        let list = fields
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        (
                            format!("unknown field `{key}`, expected one of {list}"),
                            format!("Feltet `{key}` findes ikke her; forventede et af: {list}."),
                        )
                    };
                    self.r
                        .report(ErrorCode::UnknownField, &path, message, message_da);
                    continue;
                }
            }
            keep.push((key, Some(&entry.1)));
        }
        // Fields found missing on an earlier pass, as stand-ins.
        for field in self.r.missing_of(self.node) {
            keep.push((field, None));
        }
        keep
    }
}

impl<'de> de::Deserializer<'de> for De<'_, '_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.stand_in() {
            return visitor.visit_map(NumberMap { text: Some("0") });
        }
        let result = match self.node {
            Tree::Null => visitor.visit_unit(),
            Tree::Bool(b) => visitor.visit_bool(*b),
            Tree::Int(i) => match u64::try_from(*i) {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(*i),
            },
            Tree::UInt(u) => visitor.visit_u64(*u),
            Tree::Num(text) => visitor.visit_map(NumberMap { text: Some(text) }),
            Tree::Str(s) => visitor.visit_str(s),
            Tree::Arr(items) => {
                let parent = self.path;
                return self.settle(visitor.visit_seq(List::Items(Items {
                    items: items.iter().enumerate(),
                    path: parent,
                    r: self.r,
                })));
            }
            Tree::Obj([(key, _), ..]) if *key == NUMBER_TOKEN => {
                // A visitor that reads numbers (the amounts', through serde_json's protocol)
                // would take this object written in the request for a number: it is refused,
                // as text and as a built document alike (the tree keeps the words as a key).
                self.r.report(
                    ErrorCode::InvalidType,
                    &self.path,
                    format!(
                        "invalid type: an object with the key `{NUMBER_TOKEN}`, serde_json's \
                         private name for a number; write the number itself"
                    ),
                    format!(
                        "Forkert type: et objekt med nøglen `{NUMBER_TOKEN}`, serde_jsons \
                         interne navn for et tal; skriv selve tallet."
                    ),
                );
                self.r.poison(self.node);
                return self.deserialize_any(visitor);
            }
            Tree::Obj(entries) => {
                let keep = self.entries(entries, None);
                return self.settle(visitor.visit_map(Fields::Checked(Checked::new(&self, keep))));
            }
        };
        self.settle(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            if let Tree::Bool(b) = self.node {
                return self.settle(visitor.visit_bool(*b));
            }
            self.wrong_type(("true or false", "true eller false"));
        }
        visitor.visit_bool(false)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i8::MIN.into(), i8::MAX.unsigned_abs().into())
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i16::MIN.into(), i16::MAX.unsigned_abs().into())
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i32::MIN.into(), i32::MAX.unsigned_abs().into())
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, i64::MIN, i64::MAX.unsigned_abs())
    }
    fn deserialize_i128<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer128(v, i128::MIN, i128::MAX)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, u8::MAX.into())
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, u16::MAX.into())
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, u32::MAX.into())
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer(v, 0, u64::MAX)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.integer128(v, 0, i128::MAX)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(v)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            self.r.report(
                ErrorCode::Internal,
                &self.path,
                "takst reads no binary floating-point numbers".into(),
                "Binære kommatal kan ikke læses (en fejl i takst).".into(),
            );
        }
        visitor.visit_map(NumberMap { text: Some("0") })
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            if let Tree::Str(s) = self.node {
                return self.settle(visitor.visit_str(s));
            }
            self.wrong_type(("a string", "en tekst"));
        }
        // A stand-in that strings and dates alike accept.
        let stand_in = De {
            poison: true,
            ..self
        };
        stand_in.settle(visitor.visit_str(STAND_IN_TEXT))
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.stand_in() || matches!(self.node, Tree::Null) {
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() && !matches!(self.node, Tree::Null) {
            self.wrong_type(("null", "null"));
        }
        visitor.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(v)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let list = self.list();
        let read = matches!(list, List::Items(_));
        let result = visitor.visit_seq(list);
        if read {
            self.settle(result)
        } else {
            result
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if !self.stand_in() {
            if let Tree::Obj(entries) = self.node {
                let keep = self.entries(entries, None);
                let result = visitor.visit_map(Fields::Checked(Checked::new(&self, keep)));
                return self.settle(result);
            }
            self.wrong_type(("an object", "et objekt"));
        }
        visitor.visit_map(Fields::Empty)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let access = self.struct_fields(fields);
        let read = matches!(access, Fields::Checked(_));
        let result = visitor.visit_map(access);
        if read {
            self.settle(result)
        } else {
            result
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let variant = self.enum_variant(variants);
        let poison = variant.poison;
        let result = visitor.visit_enum(variant);
        if poison {
            result
        } else {
            self.settle(result)
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}
