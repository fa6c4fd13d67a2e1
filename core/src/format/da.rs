//! The reader's messages in Danish: serde_json's and toml's syntax errors, and serde's own
//! messages that reach the reader in English only. Each table translates the messages of the
//! library version in use; a message not in a table gets a general Danish sentence, never
//! English.

use crate::danish::int;
use crate::error::ErrorCode;

/// The Danish message of a syntax error: what is wrong (when it could be translated) and
/// where.
pub(super) fn syntax_da(
    format: &str,
    detail: Option<String>,
    line: usize,
    column: usize,
) -> String {
    let at = if line > 0 {
        format!(" (linje {}, kolonne {})", int(line), int(column))
    } else {
        String::new()
    };
    match detail {
        Some(d) => format!("Teksten er ikke gyldig {format}: {d}{at}."),
        None => format!("Teksten er ikke gyldig {format}{at}."),
    }
}

/// serde_json's messages in Danish.
pub(super) fn json_da(message: &str) -> Option<String> {
    if message.starts_with("trailing characters") {
        return Some(
            "der står mere efter værdien; forespørgslen skal være én JSON-værdi og intet efter den"
                .into(),
        );
    }
    if message.starts_with("malformed number") {
        return Some(
            "et tal er skrevet forkert: et JSON-tal er cifre med evt. fortegn, punktum, decimaler \
             og eksponent (12, -12.5, 1e3), uden foranstillede nuller"
                .into(),
        );
    }
    let da = match message {
        "EOF while parsing a list" => "teksten slutter, før listen er lukket med `]`",
        "EOF while parsing an object" => "teksten slutter, før objektet er lukket med `}`",
        "EOF while parsing a string" => "teksten slutter midt i en tekst (der mangler et `\"`)",
        "EOF while parsing a value" => "teksten slutter, hvor der skulle stå en værdi",
        "expected `:`" => "forventede `:`",
        "expected `,` or `]`" => "forventede `,` eller `]`",
        "expected `,` or `}`" => "forventede `,` eller `}`",
        "expected ident" => "forventede `true`, `false` eller `null`",
        "expected value" => "forventede en værdi",
        "expected `\"`" => "forventede `\"`",
        "invalid escape" => "ugyldig escape-sekvens med `\\` i en tekst",
        "number out of range" => "et tal er uden for det mulige",
        "invalid unicode code point" => "ugyldigt unicode-tegn",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "et kontroltegn (\\u0000-\\u001F) i en tekst"
        }
        "key must be a string" => "en nøgle skal være en tekst i anførselstegn",
        "lone leading surrogate in hex escape" | "unexpected end of hex escape" => {
            "ufuldstændig `\\u`-escape i en tekst"
        }
        "trailing comma" => "overskydende komma",
        "recursion limit exceeded" => "for mange niveauer inden i hinanden",
        _ => return None,
    };
    Some(da.into())
}

/// toml's messages in Danish: what is wrong, and what was expected (`"<what>, expected
/// <item>, <item>"`).
pub(super) fn toml_da(message: &str) -> Option<String> {
    let (what, expected) = match message.split_once(", expected ") {
        Some((w, e)) => (w, Some(e)),
        None => (message, None),
    };
    let what_da = match what {
        "duplicate key" => "en nøgle står to gange".to_string(),
        "carriage return must be followed by newline" => {
            "et vognreturtegn (CR) skal efterfølges af et linjeskift".into()
        }
        "missing opening quote" => "der mangler et indledende anførselstegn".into(),
        "missing comma between array elements" => {
            "der mangler et komma mellem listens elementer".into()
        }
        "integers with a radix cannot be signed" => {
            "et heltal med præfiks for talsystem kan ikke have fortegn".into()
        }
        "radix must be lowercase" => {
            "præfikset for talsystemet skal skrives med små bogstaver".into()
        }
        "missing assignment between key-value pairs" => {
            "der mangler `=` mellem nøgle og værdi".into()
        }
        "missing escaped value" => "der mangler et tegn efter `\\`".into(),
        "unexpected leading zero" => "et tal må ikke begynde med 0".into(),
        "unclosed array table" => "en tabelliste er ikke lukket med `]]`".into(),
        "missing key for inline table element" => {
            "der mangler en nøgle i en indlejret tabel".into()
        }
        "missing inline table opening" => "der mangler `{` foran en indlejret tabel".into(),
        "missing array opening" => "der mangler `[` foran en liste".into(),
        "invalid unquoted key" => "ugyldig nøgle uden anførselstegn".into(),
        "cannot recurse further; max recursion depth met" | "recursion limit" => {
            "for mange niveauer inden i hinanden".into()
        }
        "unquoted keys cannot be empty" => "en nøgle uden anførselstegn kan ikke være tom".into(),
        "invalid multi-line basic string" => "ugyldig tekst over flere linjer".into(),
        "invalid basic string" => "ugyldig tekst".into(),
        "unexpected sign" => "uventet fortegn".into(),
        "unexpected key or value" => "uventet nøgle eller værdi".into(),
        "unexpected content" => "uventet indhold".into(),
        "unexpected content between comment and newline" => {
            "uventet indhold mellem en kommentar og linjeskiftet".into()
        }
        "unexpected `=` in array" => "uventet `=` i en liste".into(),
        "unclosed table" => "en tabel er ikke lukket med `]`".into(),
        "unclosed inline table" => "en indlejret tabel er ikke lukket med `}`".into(),
        "unclosed array" => "en liste er ikke lukket med `]`".into(),
        "too few unicode value digits" => "for få cifre i en unicode-værdi".into(),
        "string values must be quoted" => "tekstværdier skal stå i anførselstegn".into(),
        "redundant numeric sign" => "overflødigt fortegn".into(),
        "redundant integer number prefix" => "overflødigt præfiks på et heltal".into(),
        "missing value" => "der mangler en værdi".into(),
        "missing value for key" => "der mangler en værdi til nøglen".into(),
        "missing table open" => "der mangler `[` foran tabellen".into(),
        "missing comment start" => "der mangler `#` foran kommentaren".into(),
        "missing comma between key-value pairs" => {
            "der mangler et komma mellem nøgle-værdi-par".into()
        }
        "keys cannot be multi-line literal strings" | "keys cannot be multi-line basic strings" => {
            "en nøgle kan ikke være en tekst over flere linjer".into()
        }
        "key with no value" => "en nøgle uden værdi".into(),
        "invalid value" => "ugyldig værdi".into(),
        "invalid key-value pair" => "ugyldigt nøgle-værdi-par".into(),
        "invalid inline table element" => "ugyldigt element i en indlejret tabel".into(),
        "invalid comment character" => "ugyldigt tegn i en kommentar".into(),
        "extra comma in inline table" => "overskydende komma i en indlejret tabel".into(),
        "extra comma in array" => "overskydende komma i en liste".into(),
        "extra assignment between key-value pairs" => {
            "overskydende `=` mellem nøgle-værdi-par".into()
        }
        "extra `=`" => "overskydende `=`".into(),
        "invalid date" => "ugyldig dato".into(),
        "invalid time" => "ugyldigt klokkeslæt".into(),
        "invalid datetime" | "invalid date-time" => "ugyldigt tidspunkt".into(),
        "invalid literal string" => "ugyldig tekst i enkelte anførselstegn".into(),
        "invalid multi-line literal string" => {
            "ugyldig tekst over flere linjer i enkelte anførselstegn".into()
        }
        "invalid string" => "ugyldig tekst".into(),
        "invalid float" => "ugyldigt kommatal".into(),
        "invalid integer number" => "ugyldigt heltal".into(),
        "invalid binary number" => "ugyldigt binært tal".into(),
        "invalid octal number" => "ugyldigt oktaltal".into(),
        "invalid hexadecimal number" => "ugyldigt hexadecimalt tal".into(),
        "invalid exponent" => "ugyldig eksponent".into(),
        "invalid fraction" => "ugyldige decimaler".into(),
        "invalid mantissa" => "ugyldigt tal".into(),
        "invalid boolean" => "ugyldig sandhedsværdi (skriv true eller false)".into(),
        "invalid key" => "ugyldig nøgle".into(),
        "invalid table" => "ugyldig tabel".into(),
        "`_` may only go between digits" => "`_` må kun stå mellem cifre".into(),
        w if w.starts_with("cannot extend value of type ") && w.ends_with(" with a dotted key") => {
            "en værdi, der allerede er givet, kan ikke udvides med en nøgle med punktum".into()
        }
        _ => return None,
    };
    let Some(expected) = expected.filter(|e| *e != "nothing") else {
        return Some(what_da);
    };
    let items: Option<Vec<String>> = expected
        .split(", ")
        .map(|item| {
            // toml's dates: "day between 01 and 28".
            if let Some((unit, range)) = item.split_once(" between ") {
                let unit = match unit {
                    "year" => "år",
                    "month" => "måned",
                    "day" => "dag",
                    "hour" | "hours" => "time",
                    "minute" | "minutes" => "minut",
                    "second" => "sekund",
                    _ => return None,
                };
                let (from, to) = range.split_once(" and ")?;
                return Some(format!("{unit} mellem {from} og {to}"));
            }
            let da = match item {
                _ if item.starts_with('`') || item.starts_with('\'') => return Some(item.into()),
                "key" => "en nøgle",
                "value" => "en værdi",
                "numbers" => "tal",
                "digits" => "cifre",
                "letters" => "bogstaver",
                "characters" => "tegn",
                "printable characters" => "synlige tegn",
                "literal string" => "en tekst i enkelte anførselstegn",
                "basic string" => "en tekst",
                "multi-line basic string" => "en tekst over flere linjer",
                "unicode hexadecimal value" => "en hexadecimal unicode-værdi",
                "non-single-quote visible characters" | "non-single-quote characters" => {
                    "andre tegn end `'`"
                }
                "non-double-quote visible characters" => "andre tegn end `\"`",
                "newline" => "et linjeskift",
                "nothing" => "intet",
                _ => return None,
            };
            Some(da.to_string())
        })
        .collect();
    Some(match items.as_deref() {
        Some([one]) => format!("{what_da}; forventede {one}"),
        Some([rest @ .., last]) => {
            format!("{what_da}; forventede {} eller {last}", rest.join(", "))
        }
        _ => what_da,
    })
}

/// A Danish message for a message a visitor reported in English only: serde's own
/// "invalid type: <what>, expected <expected>" when both parts are known, otherwise a
/// sentence by the code.
pub(super) fn fallback_da(code: ErrorCode, en: &str) -> String {
    let typed = en
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
        .and_then(|(what, expected)| Some((unexpected_da(what)?, expecting_da(expected)?)));
    if let Some((what, expected)) = typed {
        return format!("Forkert type: {what}, men her forventes {expected}.");
    }
    match code {
        ErrorCode::MissingValue => "Der mangler en værdi her (null).",
        ErrorCode::InvalidNumber => "Tallet kan ikke læses præcist.",
        ErrorCode::InvalidType => "Værdien har en forkert type her.",
        _ => "Værdien kan ikke bruges her.",
    }
    .to_string()
}

/// serde's words for a value of the wrong type (`boolean `true``, `sequence`, …) in Danish.
fn unexpected_da(what: &str) -> Option<&'static str> {
    Some(match what.split(' ').next()? {
        "boolean" => "en sandhedsværdi",
        "integer" | "floating" => "et tal",
        "string" | "char" => "en tekst",
        "sequence" => "en liste",
        "map" => "et objekt",
        "null" | "unit" => "null",
        _ => return None,
    })
}

/// The expectations of takst's own visitors in Danish.
fn expecting_da(expected: &str) -> Option<&'static str> {
    Some(match expected {
        "a date as a string \"YYYY-MM-DD\"" => "en dato som tekst \"ÅÅÅÅ-MM-DD\"",
        "a date as a string \"YYYY-MM-DD\", or null" => {
            "en dato som tekst \"ÅÅÅÅ-MM-DD\" eller null"
        }
        "a decimal number, as a string (\"1234.50\") or a number" => {
            "et decimaltal, som tekst (\"1234.50\") eller som tal"
        }
        "a decimal number or null" => "et decimaltal eller null",
        "a whole number of days (e.g. 365 or 334) or \"actual\"" => {
            "et helt antal dage (fx 365 eller 334) eller \"actual\""
        }
        "a string" => "en tekst",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_messages_in_danish() {
        assert_eq!(
            syntax_da("JSON", json_da("expected `,` or `}`"), 3, 12),
            "Teksten er ikke gyldig JSON: forventede `,` eller `}` (linje 3, kolonne 12)."
        );
        assert_eq!(
            syntax_da("JSON", json_da("something new"), 10_000, 1),
            "Teksten er ikke gyldig JSON (linje 10.000, kolonne 1)."
        );
        assert_eq!(
            toml_da("unexpected key or value, expected newline, `#`").as_deref(),
            Some("uventet nøgle eller værdi; forventede et linjeskift eller `#`")
        );
        assert_eq!(
            toml_da("`_` may only go between digits, expected nothing").as_deref(),
            Some("`_` må kun stå mellem cifre")
        );
        assert_eq!(
            toml_da("invalid date, expected day between 01 and 28").as_deref(),
            Some("ugyldig dato; forventede dag mellem 01 og 28")
        );
        // An expectation not in the table is left out, never shown in English.
        assert_eq!(
            toml_da("invalid date, expected something else").as_deref(),
            Some("ugyldig dato")
        );
        assert_eq!(toml_da("a new message"), None);
    }

    #[test]
    fn serde_messages_in_danish() {
        assert_eq!(
            fallback_da(
                ErrorCode::InvalidType,
                "invalid type: boolean `true`, expected a decimal number or null"
            ),
            "Forkert type: en sandhedsværdi, men her forventes et decimaltal eller null."
        );
        assert_eq!(
            fallback_da(
                ErrorCode::InvalidType,
                "invalid type: sequence, expected a thing"
            ),
            "Værdien har en forkert type her."
        );
        assert_eq!(
            fallback_da(ErrorCode::InvalidValue, "invalid length 3"),
            "Værdien kan ikke bruges her."
        );
    }
}
