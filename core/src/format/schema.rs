//! JSON Schemas of the formats, generated from the types.
//!
//! The committed copies live in `schema/` at the repository root; a test fails when they
//! drift from the types (regenerate with `TAKST_BLESS=1 cargo test -p takst --test schema`).

use schemars::generate::SchemaSettings;

use crate::{Request, Response, TariffSheet};

fn generate<T: schemars::JsonSchema>(id: &str) -> String {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert(
        "$id".into(),
        format!("https://takst.invalid/schema/{id}").into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema of a [`Request`].
///
/// # Example
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&takst::schema::request()).unwrap();
/// assert_eq!(schema["title"], "Request");
/// ```
pub fn request() -> String {
    generate::<Request>("request.schema.json")
}

/// The JSON Schema of a [`Response`].
pub fn response() -> String {
    generate::<Response>("response.schema.json")
}

/// The JSON Schema of a published [`TariffSheet`].
pub fn tariff_sheet() -> String {
    generate::<TariffSheet>("tariff-sheet.schema.json")
}
