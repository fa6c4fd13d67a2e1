//! The map, list and enum accessors the deserializer hands to visitors: a number's text,
//! stand-in fields, list items, checked object entries and enum variants.

use serde::de::{
    self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, VariantAccess,
    Visitor,
};

use crate::error::ErrorCode;
use crate::num::NUMBER_TOKEN;

use super::deserializer::De;
use super::*;

/// A number's text handed to a visitor the way serde_json's `arbitrary_precision` does.
pub(super) struct NumberMap<'a> {
    pub(super) text: Option<&'a str>,
}

impl<'de> MapAccess<'de> for NumberMap<'_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(NUMBER_TOKEN.into_deserializer()).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let text = self.text.take().unwrap_or("0");
        seed.deserialize(text.into_deserializer())
    }
}

/// A struct read as a stand-in: every field present, each a stand-in.
pub(super) struct StandInFields<'t, 'p, 'r> {
    pub(super) fields: std::slice::Iter<'static, &'static str>,
    pub(super) node: &'t Tree<'t>,
    pub(super) path: Path<'p>,
    pub(super) r: &'r Reader,
}

/// A list's items.
pub(super) struct Items<'t, 'p, 'r> {
    pub(super) items: std::iter::Enumerate<std::slice::Iter<'t, Tree<'t>>>,
    pub(super) path: Path<'p>,
    pub(super) r: &'r Reader,
}

/// Every list handed to a visitor, as one type: a visitor's `visit_seq` is compiled once, not
/// once per kind of list (in the browser module, each is code per list type).
pub(super) enum List<'t, 'p, 'r> {
    /// A list's items.
    Items(Items<'t, 'p, 'r>),
    /// An empty list, for stand-ins.
    Empty,
}

impl<'t, 'r> List<'t, '_, 'r> {
    /// The next item's deserializer. Not generic: compiled once, not once per list type.
    fn next_item(&mut self) -> Option<De<'t, '_, 'r>> {
        let List::Items(list) = self else {
            return None;
        };
        let (i, node) = list.items.next()?;
        Some(De {
            node,
            path: Path::Index(&list.path, i),
            r: list.r,
            poison: false,
        })
    }
}

impl<'de> SeqAccess<'de> for List<'_, '_, '_> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.next_item() {
            Some(de) => seed.deserialize(de).map(Some),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        match self {
            List::Items(list) => Some(list.items.len()),
            List::Empty => Some(0),
        }
    }
}

/// Every object handed to a visitor, as one type: a struct's `visit_map` (most of the code
/// serde derives for it) is compiled once, not once for read objects and once for stand-ins.
pub(super) enum Fields<'t, 'p, 'r> {
    /// An object's entries, checked.
    Checked(Checked<'t, 'p, 'r>),
    /// A struct read as a stand-in: every field present, each a stand-in.
    StandIn(StandInFields<'t, 'p, 'r>),
    /// An empty map, for stand-ins.
    Empty,
}

impl<'t, 'p, 'r> Fields<'t, 'p, 'r> {
    /// The next field's name. Not generic: compiled once, not once per struct (in the
    /// browser module, each is code per struct).
    fn next_key(&mut self) -> Option<&'t str> {
        match self {
            Fields::Checked(c) => c.entries.next().map(|entry| {
                c.value = Some(entry);
                entry.0
            }),
            Fields::StandIn(s) => s.fields.next().copied(),
            Fields::Empty => None,
        }
    }

    /// The deserializer of the field [`next_key`](Self::next_key) named: its node at its
    /// path, or a stand-in. Not generic, as `next_key`.
    fn next_value(&mut self) -> Result<De<'t, '_, 'r>, DeError> {
        match self {
            Fields::Checked(c) => {
                let Some((key, node)) = c.value.take() else {
                    return Err(custom("a value without a key", "En værdi uden nøgle."));
                };
                Ok(De {
                    node: node.unwrap_or(c.node),
                    path: Path::Key(&c.path, key),
                    r: c.r,
                    poison: node.is_none(),
                })
            }
            Fields::StandIn(s) => Ok(De {
                node: s.node,
                path: s.path,
                r: s.r,
                poison: true,
            }),
            Fields::Empty => Err(custom("no value", "Ingen værdi.")),
        }
    }
}

impl<'de> MapAccess<'de> for Fields<'_, '_, '_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.next_key() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        seed.deserialize(self.next_value()?)
    }
    fn size_hint(&self) -> Option<usize> {
        match self {
            Fields::Checked(c) => Some(c.entries.len()),
            Fields::StandIn(s) => Some(s.fields.len()),
            Fields::Empty => Some(0),
        }
    }
}

/// An enum variant: its name, and the node holding its content (if any).
pub(super) struct Variant<'t, 'p, 'r> {
    pub(super) name: &'static str,
    pub(super) content: Option<&'t Tree<'t>>,
    pub(super) node: &'t Tree<'t>,
    pub(super) path: Path<'p>,
    pub(super) r: &'r Reader,
    pub(super) poison: bool,
}

impl<'t, 'p, 'r> Variant<'t, 'p, 'r> {
    /// The deserializer of a newtype variant's content: the content at its path, or a
    /// stand-in (reported here when the variant has none). Not generic: compiled once, not
    /// once per enum.
    fn content(&self) -> De<'t, '_, 'r> {
        match self.content {
            Some(node) if !self.poison => De {
                node,
                path: Path::Key(&self.path, self.name),
                r: self.r,
                poison: false,
            },
            _ => {
                if !self.poison {
                    self.r.report(
                        ErrorCode::InvalidType,
                        &self.path,
                        format!(
                            "invalid type: \"{}\" needs a value, e.g. {{\"{}\": …}}",
                            self.name, self.name
                        ),
                        format!(
                            "Forkert type: \"{}\" skal have en værdi, fx {{\"{}\": …}}.",
                            self.name, self.name
                        ),
                    );
                }
                De {
                    node: self.node,
                    path: self.path,
                    r: self.r,
                    poison: true,
                }
            }
        }
    }
}

impl<'de, 't, 'p, 'r> EnumAccess<'de> for Variant<'t, 'p, 'r> {
    type Error = DeError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), DeError> {
        let v = seed.deserialize(self.name.into_deserializer())?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, '_, '_> {
    type Error = DeError;
    fn unit_variant(self) -> Result<(), DeError> {
        match self.content {
            None | Some(Tree::Null) => Ok(()),
            Some(_) if self.poison => Ok(()),
            Some(other) => {
                self.r.report(
                    ErrorCode::InvalidType,
                    &self.path,
                    format!(
                        "invalid type: {} after \"{}\", which takes no value",
                        other.kind().0,
                        self.name
                    ),
                    format!(
                        "Forkert type: {} efter \"{}\", som ikke tager nogen værdi.",
                        other.kind().1,
                        self.name
                    ),
                );
                Ok(())
            }
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self.content())
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(List::Empty)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let parent = self.path;
        match self.content {
            Some(node) if !self.poison => {
                let de = De {
                    node,
                    path: Path::Key(&parent, self.name),
                    r: self.r,
                    poison: false,
                };
                de::Deserializer::deserialize_struct(de, "", fields, visitor)
            }
            _ => visitor.visit_map(Fields::StandIn(StandInFields {
                fields: fields.iter(),
                node: self.node,
                path: parent,
                r: self.r,
            })),
        }
    }
}

/// An entry handed to a visitor: a key and its node, or a stand-in for a missing field.
pub(super) type Entry<'t> = (&'t str, Option<&'t Tree<'t>>);

/// An object's entries to read: all of them as written (the common case: no key repeated
/// or unknown, no field found missing on an earlier pass), or the list `check_keys` kept.
pub(super) enum Entries<'t> {
    All(std::slice::Iter<'t, (&'t str, Tree<'t>)>),
    Kept(std::vec::IntoIter<Entry<'t>>),
}

impl<'t> Iterator for Entries<'t> {
    type Item = Entry<'t>;
    fn next(&mut self) -> Option<Entry<'t>> {
        match self {
            Entries::All(entries) => entries.next().map(|(k, v)| (*k, Some(v))),
            Entries::Kept(entries) => entries.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Entries::All(entries) => entries.size_hint(),
            Entries::Kept(entries) => entries.size_hint(),
        }
    }
}

impl ExactSizeIterator for Entries<'_> {}

/// Entries already checked, handed to a visitor.
pub(super) struct Checked<'t, 'p, 'r> {
    pub(super) entries: Entries<'t>,
    pub(super) value: Option<Entry<'t>>,
    /// The object node, for stand-ins.
    pub(super) node: &'t Tree<'t>,
    pub(super) path: Path<'p>,
    pub(super) r: &'r Reader,
}

impl<'t, 'p, 'r> Checked<'t, 'p, 'r> {
    pub(super) fn new(de: &De<'t, 'p, 'r>, entries: Entries<'t>) -> Self {
        Checked {
            entries,
            value: None,
            node: de.node,
            path: de.path,
            r: de.r,
        }
    }
}
