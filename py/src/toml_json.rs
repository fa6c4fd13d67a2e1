//! A TOML request's document as JSON text: the values the core's TOML reader reads
//! (`takst::Request::from_toml`), built into a request document (`takst::DocumentBuilder`)
//! the same way — numbers from their text, a TOML date as the string `YYYY-MM-DD`, keys in
//! document order — and written by the core's writer. The Python package keeps a request as
//! JSON text (`Result.request`, `Result.compare`), whatever it was written in.

use takst::{Arena, DocumentBuilder};
use toml::de::{DeTable, DeValue};

/// The problems (as the core's JSON error objects) when the text is not TOML or a number
/// has no JSON form.
type Problems = Vec<serde_json::Value>;

/// The TOML text's document as compact JSON.
pub fn to_json(text: &str) -> Result<String, Problems> {
    let table = DeTable::parse(text).map_err(|e| {
        vec![problem(
            "syntax",
            format!("not TOML: {}", e.message().trim_end()),
        )]
    })?;
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    table_into(&mut b, table.into_inner());
    match b.finish() {
        Ok(doc) => Ok(doc.to_json()),
        Err(e) => Err(e
            .as_slice()
            .iter()
            .map(|e| problem("invalid_number", e.message().to_string()))
            .collect()),
    }
}

fn problem(code: &str, message: String) -> serde_json::Value {
    serde_json::json!({ "code": code, "path": "", "message": message })
}

/// A table's entries in document order (the table itself is ordered by key), as the core
/// reads them.
fn table_into(b: &mut DocumentBuilder<'_>, table: DeTable<'_>) {
    let mut entries: Vec<_> = table.into_iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    b.begin_object();
    for (k, v) in entries {
        b.key(&k.into_inner());
        value_into(b, v.into_inner());
    }
    b.end();
}

/// One value, as the core's reader turns it into a node: an integer of 64 bits as itself,
/// a longer one or a float as its text (which the builder reads as JSON's, or refuses: `inf`
/// and `nan`, which the core refuses too), a date or time as its TOML text (a string).
fn value_into(b: &mut DocumentBuilder<'_>, value: DeValue<'_>) {
    match value {
        DeValue::String(s) => b.str(&s),
        DeValue::Integer(i) => {
            let digits = i.as_str();
            match i128::from_str_radix(digits, i.radix()) {
                Ok(v) if i.radix() == 10 || v >= 0 => match i64::try_from(v) {
                    Ok(n) => b.int(n),
                    Err(_) => b.number(&v.to_string()),
                },
                _ if i.radix() == 10 => b.number(digits),
                _ => b.number(&i.to_string()),
            }
        }
        // TOML writes a sign JSON does not (`+96.5`, which the core reads as 96.5): the same
        // number without it; any other text the builder cannot read is refused.
        DeValue::Float(f) => b.number(f.as_str().strip_prefix('+').unwrap_or(f.as_str())),
        DeValue::Boolean(v) => b.bool(v),
        DeValue::Datetime(d) => b.str(&d.to_string()),
        DeValue::Array(items) => {
            b.begin_list();
            for v in items {
                value_into(b, v.into_inner());
            }
            b.end();
        }
        DeValue::Table(t) => table_into(b, t),
    }
}
