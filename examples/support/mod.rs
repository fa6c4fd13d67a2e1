//! Shared by the example programs.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// Writes `text` to standard output. A reader that stops early (`| head`) ends the program
/// quietly, as for any Unix tool; any other write error is reported.
pub fn emit(text: &str) -> Result<(), ExitCode> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("cannot write to standard output: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}
