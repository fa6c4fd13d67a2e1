//! [`Name`]: an id or name an offer shares with what is computed from it.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use schemars::JsonSchema;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An id or name (a service's `"udredning"`, an offer's `"Elbæk"`), written and read as a
/// JSON string and used as a `&str`.
///
/// Its text is shared, not copied, when it is cloned: a tariff sheet computed from an offer
/// holds the offer's ids and names, and an offer's computation made a copy of each (an
/// allocation, a copy and a free for every service and add-on, some 18 of the 37
/// allocations of a realistic offer). Cloning a `Name` counts a reference instead.
///
/// ```
/// use takst::Name;
///
/// let id = Name::from("udredning");
/// assert_eq!(id, "udredning");
/// assert_eq!(id.len(), 9); // a `&str` by `Deref`
/// assert_eq!(serde_json::to_string(&id).unwrap(), r#""udredning""#);
/// assert_eq!(serde_json::from_str::<Name>(r#""udredning""#).unwrap(), id);
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Arc<str>);

impl Name {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A text the library itself writes into results (`"average"`, a computed sheet's source),
/// made a [`Name`] once and shared by every result after.
pub(crate) struct SharedName {
    text: &'static str,
    name: OnceLock<Name>,
}

impl SharedName {
    pub(crate) const fn new(text: &'static str) -> SharedName {
        SharedName {
            text,
            name: OnceLock::new(),
        }
    }

    /// The text as a [`Name`] (a reference counted, after the first).
    pub(crate) fn name(&self) -> Name {
        self.name.get_or_init(|| Name::from(self.text)).clone()
    }
}

impl Default for Name {
    fn default() -> Name {
        Name::from("")
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(Arc::from(s))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(Arc::from(s))
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name(Arc::from(s.as_str()))
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

/// As a `String` shows: `"udredning"`.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Read as a `String` is read (the same calls and the same "a string" when it is not one, so
/// the reader's errors are the same), made from the text read in one allocation.
impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name::from(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Name, E> {
                match std::str::from_utf8(v) {
                    Ok(s) => Ok(Name::from(s)),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
                }
            }
        }
        deserializer.deserialize_string(Text)
    }
}

/// A JSON string, as a `String` is.
impl JsonSchema for Name {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        String::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn a_clone_shares_its_text() {
        let a = Name::from("Udredningsmodul");
        let b = a.clone();
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(format!("{a} {b:?}"), "Udredningsmodul \"Udredningsmodul\"");
    }
}
