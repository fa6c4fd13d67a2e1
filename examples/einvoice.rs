//! Reads a request with courses and an `einvoicing` section (JSON, or TOML) on standard input
//! and writes each e-invoice and credit note as one UBL XML file in OUTDIR:
//!
//!     cargo run --example einvoice -- OUTDIR < examples/requests/einvoice.json
//!
//! It prints one line per document, its fields separated by tabs: the file, `faktura` or
//! `kreditnota`, the municipality, the course, the month and the total in Danish form
//! (`124.000,00 kr.`). The exit
//! status is 0 when every document was written, 1 when the request has errors (printed with
//! their paths), 2 when standard input or OUTDIR cannot be used.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: einvoice OUTDIR < request.json");
        return ExitCode::from(2);
    };
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    let request = if input.trim_start().starts_with('{') {
        takst::Request::from_json(&input)
    } else {
        takst::Request::from_toml(&input)
    };
    let response = match request {
        Ok(r) if r.einvoicing.is_none() => {
            eprintln!("the request has no einvoicing section (see docs/format.md, E-invoices)");
            return ExitCode::FAILURE;
        }
        Ok(r) => takst::evaluate(&r),
        Err(e) => takst::Response::failed(e),
    };
    if !response.ok {
        for e in &response.errors {
            eprintln!(
                "{}: {}: {}",
                e.path(),
                serde_json::to_string(&e.code()).unwrap_or_default(),
                e.message()
            );
        }
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let documents = response.einvoices.unwrap_or_default();
    for d in &documents {
        let path = dir.join(&d.file_name);
        if let Err(e) = std::fs::write(&path, &d.xml) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        let kind = match d.kind {
            takst::einvoice::EinvoiceKind::Invoice => "faktura",
            takst::einvoice::EinvoiceKind::CreditNote => "kreditnota",
        };
        println!(
            "{}\t{kind}\t{}\t{}\t{}\t{} kr.",
            path.display(),
            d.municipality,
            d.course.as_deref().unwrap_or("-"),
            d.month
                .map(|m| m.to_string())
                .unwrap_or_else(|| "-".to_string()),
            takst::da_number(d.total)
        );
    }
    let word = if documents.len() == 1 {
        "dokument"
    } else {
        "dokumenter"
    };
    println!("{} {word} skrevet i {}", documents.len(), dir.display());
    ExitCode::SUCCESS
}
