//! Writes the JSON Schemas of the formats to `schema/` (run from the repository root):
//!
//!     cargo run --example schema
//!
//! The test `core/tests/schema.rs` fails when the committed files differ from the types.

fn main() -> std::io::Result<()> {
    std::fs::create_dir_all("schema")?;
    std::fs::write("schema/request.schema.json", takst::schema::request())?;
    std::fs::write("schema/response.schema.json", takst::schema::response())?;
    std::fs::write(
        "schema/tariff-sheet.schema.json",
        takst::schema::tariff_sheet(),
    )?;
    println!("wrote schema/request.schema.json, response.schema.json, tariff-sheet.schema.json");
    Ok(())
}
