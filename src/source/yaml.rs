//! The one door to YAML: every `site.yaml`, partner file and guide front matter is parsed here.
//!
//! Parsing is `serde-saphyr`'s (it rejects duplicate keys and reports line and column); this
//! module turns its errors into [`Diagnostic`]s a non-programmer can act on (the nearest valid
//! field or value is suggested), and provides the two value types the model needs from YAML:
//! [`Located`], a value that remembers where it was written, and [`Date`], a `YYYY-MM-DD` day.
//! No other module names `serde_saphyr`, or `granit_parser`, the event parser beneath it, which
//! finds the value that an escape such as `"\0"` filled with a control character: text values
//! hold none but tab and newline.

use std::cmp::Ordering;
use std::fmt;
use std::path::Path;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use super::diagnostic::{Diagnostic, suggestion};

/// Parses `text`, the YAML of `file`, whose first line is line `first_line` of that file
/// (1 for a whole file; more for front matter inside a Markdown file).
pub(crate) fn parse<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    whole_file: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    let parsed = serde_saphyr::from_str::<T>(text)
        .map_err(|error| to_diagnostic(file, whole_file, first_line, &error))?;
    // Only an escape (`\`) or a tag (`!!binary`, `!<tag:yaml.org,2002:binary>`, or one named
    // through a `%TAG` directive) puts into a value what the text itself does not hold.
    if text.contains('\\') || text.contains("!!") || text.contains("!<") || text.contains("%TAG") {
        check_values(file, text, whole_file, first_line)?;
    }
    Ok(parsed)
}

/// An error at the first value of `text` whose escapes (`"\0"`, `"\x1b"`, `"\r"` ...) give it a
/// control character other than tab and newline, or that is `!!binary` data, which decodes to
/// whatever bytes it likes.
fn check_values(
    file: &Path,
    text: &str,
    whole_file: &str,
    first_line: usize,
) -> Result<(), Diagnostic> {
    for event in granit_parser::Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            return Ok(());
        };
        let granit_parser::Event::Scalar(value, _, _, tag) = event else {
            continue;
        };
        let line = span.start.line() + first_line - 1;
        let column = span.start.col() + 1;
        if tag
            .is_some_and(|t| format!("{}{}", t.handle(), t.suffix()) == "tag:yaml.org,2002:binary")
        {
            return Err(Diagnostic::at(
                file,
                whole_file,
                line,
                column,
                "`!!binary` data has no place here: the files hold text",
            )
            .with_help("write the text itself, without `!!binary`"));
        }
        if let Some(found) = super::files::first_control(&value, &['\t', '\n']) {
            return Err(Diagnostic::at(
                file,
                whole_file,
                line,
                column,
                format!(
                    "this text holds a control character, U+{:04X}, which no page can show",
                    u32::from(found.character)
                ),
            )
            .with_help("delete the escape that makes it (a backslash code such as `\\0` or `\\x1b`); write `\\n` for a new line, `\\t` for a tab"));
        }
    }
    Ok(())
}

fn to_diagnostic(
    file: &Path,
    whole_file: &str,
    first_line: usize,
    error: &serde_saphyr::Error,
) -> Diagnostic {
    let error = error.without_snippet();
    let (line, column) = error
        .location()
        .map(|location| (location.line() as usize, location.column() as usize))
        .filter(|(line, _)| *line > 0)
        .map_or((first_line, 0), |(line, column)| {
            (line + first_line - 1, column)
        });
    let (message, help) = explain(error);
    let (line, column) = match error {
        serde_saphyr::Error::SerdeMissingField { .. } if column > 0 => {
            block_start(whole_file, line, column)
        }
        _ => (line, column),
    };
    let diagnostic = Diagnostic::at(file, whole_file, line, column, message);
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// serde reports a missing field where the mapping ends; a person looks for it where the mapping
/// starts. Walks up from `line` to the first key of the block indented at `column`.
fn block_start(text: &str, line: usize, column: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let indent = column - 1;
    let mut start = line;
    for number in (1..=line.min(lines.len())).rev() {
        let content = lines[number - 1];
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let own_indent = content.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ");
        if own_indent < indent || (own_indent == indent && is_item && indent > 0) {
            break;
        }
        if own_indent == indent {
            start = number;
        }
    }
    (start, column)
}

/// A message and a `help` for each kind of YAML problem a person is likely to make.
fn explain(error: &serde_saphyr::Error) -> (String, Option<String>) {
    use serde_saphyr::Error as E;
    match error {
        E::SerdeUnknownField {
            field, expected, ..
        } => (
            format!("unknown field `{field}`"),
            Some(suggestion(field, expected.iter().copied())),
        ),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => (
            format!("`{variant}` is not one of the allowed values"),
            Some(suggestion(variant, expected.iter().copied())),
        ),
        E::SerdeMissingField { field, .. } => (
            format!("missing required field `{field}`"),
            Some(format!("add a line `{field}: ...`")),
        ),
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(key) => format!("duplicate key `{key}`"),
                None => "duplicate key".to_owned(),
            },
            Some(
                "each key may appear once in a mapping: delete or merge the second one".to_owned(),
            ),
        ),
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            format!("wrong type: found {unexpected}, expected {expected}"),
            type_help(expected),
        ),
        E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            format!("invalid value {unexpected}, expected {expected}"),
            None,
        ),
        E::Unexpected { expected, .. } => {
            let wanted = expected.trim_end_matches(" start");
            (
                format!("wrong type: expected a {wanted} here"),
                type_help(wanted),
            )
        }
        E::Message { msg, .. } => (msg.clone(), None),
        other => (first_line_of(&other.to_string()), None),
    }
}

fn type_help(expected: &str) -> Option<String> {
    if expected.contains("sequence") {
        Some("write a list, e.g. `[first, second]` or one `- item` per line".to_owned())
    } else if expected.contains("string") {
        Some("write text here; put it in quotes if it starts with a special character".to_owned())
    } else if expected.contains("integer") {
        Some("write a whole number, e.g. `30`".to_owned())
    } else if expected.contains("bool") {
        Some("write `true` or `false`".to_owned())
    } else if expected.contains("struct") || expected.contains("map") {
        Some("write the indented `key: value` lines that belong here".to_owned())
    } else {
        None
    }
}

fn first_line_of(text: &str) -> String {
    text.lines().next().unwrap_or(text).trim().to_owned()
}

/// A value and the place in its file where it was written, so that later checks (cross
/// references, consent) can point at it. Compares and serialises as the bare value.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Located {
            line: spanned.referenced.line() as usize,
            column: spanned.referenced.column() as usize,
            value: spanned.value,
        })
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

impl<T: PartialEq> PartialEq for Located<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T: Eq> Eq for Located<T> {}
impl<T: Ord> PartialOrd for Located<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Ord> Ord for Located<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

/// A calendar day, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub(crate) fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    /// Parses `YYYY-MM-DD` exactly; anything else is `None`.
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return None;
        }
        let year = text[0..4].parse().ok()?;
        let month = text[5..7].parse().ok()?;
        let day = text[8..10].parse().ok()?;
        Date::new(year, month, day)
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub(crate) fn days_until(self, later: Date) -> i64 {
        i64::from((later.0 - self.0).get_days())
    }

    /// The day `days` after this one (saturating at the calendar's ends).
    pub(crate) fn plus_days(self, days: i64) -> Date {
        let span = jiff::Span::new().days(days.clamp(-7_000_000, 7_000_000));
        Date(self.0.checked_add(span).unwrap_or(self.0))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.strftime("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(text.trim()).ok_or_else(|| {
            de::Error::custom(format!(
                "`{text}` is not a date: write dates as YYYY-MM-DD, for example 2026-03-01"
            ))
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A day, written YYYY-MM-DD"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        kind: Option<Kind>,
        when: Option<Date>,
        tag: Option<Located<String>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Client,
        Colleague,
    }

    fn error_of(text: &str) -> Diagnostic {
        let file = PathBuf::from("x.yaml");
        parse::<Sample>(&file, text, text, 1).unwrap_err()
    }

    #[test]
    fn unknown_field_names_line_column_and_nearest_field() {
        let error = error_of("name: A\nkindd: client\n");
        assert_eq!((error.line, error.column), (2, 1));
        assert_eq!(error.message, "unknown field `kindd`");
        assert_eq!(error.help.as_deref(), Some("did you mean `kind`?"));
    }

    #[test]
    fn unknown_enum_value_suggests_the_nearest() {
        let error = error_of("name: A\nkind: colleage\n");
        assert_eq!((error.line, error.column), (2, 7));
        assert_eq!(error.help.as_deref(), Some("did you mean `colleague`?"));
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let error = error_of("name: A\nname: B\n");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("duplicate key"), "{}", error.message);
    }

    #[test]
    fn a_missing_field_points_at_the_start_of_its_block() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            inner: Sample,
        }
        let file = PathBuf::from("x.yaml");
        let text = "# header\ninner:\n  kind: client\n  when: 2026-01-01\n";
        let error = parse::<Outer>(&file, text, text, 1).unwrap_err();
        assert_eq!(error.message, "missing required field `name`");
        assert_eq!((error.line, error.column), (3, 3));
    }

    #[test]
    fn bad_dates_are_rejected_with_the_format() {
        let error = error_of("name: A\nwhen: 2026-02-30\n");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("YYYY-MM-DD"), "{}", error.message);
    }

    #[test]
    fn front_matter_lines_are_offset_to_the_file() {
        let file = PathBuf::from("g.md");
        let whole = "---\nname: A\nkindd: x\n---\n";
        let error = parse::<Sample>(&file, "name: A\nkindd: x\n", whole, 2).unwrap_err();
        assert_eq!(error.line, 3);
        assert_eq!(error.source_line.as_deref(), Some("kindd: x"));
    }

    #[test]
    fn escapes_that_make_control_characters_are_errors_at_their_value() {
        for (text, column) in [
            ("name: \"A\\0B\"\n", 7),
            ("name: A\ntag: \"x\\x1b[31m\"\n", 6),
            ("name: A\ntag: \"line\\r\"\n", 6),
        ] {
            let error = error_of(text);
            assert!(
                error.message.contains("control character"),
                "{text}: {error:?}"
            );
            assert_eq!(error.column, column, "{text}");
        }
        let file = PathBuf::from("x.yaml");
        let fine = "name: \"Tab\\tand\\nnew line, a \\\\ and \\u00e9\"\n";
        let sample: Sample = parse(&file, fine, fine, 1).unwrap();
        assert_eq!(sample.name, "Tab\tand\nnew line, a \\ and é");
        let binary = error_of("name: A\ntag: !!binary TW9yB2dhbhtbMzFt\n");
        assert!(binary.message.contains("`!!binary`"), "{binary:?}");
        let verbatim = error_of("name: A\ntag: !<tag:yaml.org,2002:binary> TW9yB2dhbhtbMzFt\n");
        assert!(verbatim.message.contains("`!!binary`"), "{verbatim:?}");
        assert_eq!((binary.line, binary.column), (2, 15));
        let exclaimed: Sample = parse(&file, "name: Great!\n", "name: Great!\n", 1).unwrap();
        assert_eq!(exclaimed.name, "Great!");
        let whole = "---\nname: A\ntag: \"\\0\"\n---\n";
        let error = parse::<Sample>(&file, "name: A\ntag: \"\\0\"\n", whole, 2).unwrap_err();
        assert_eq!((error.line, error.column), (3, 6));
    }

    #[test]
    fn located_values_remember_their_place() {
        let file = PathBuf::from("x.yaml");
        let text = "name: A\ntag: here\n";
        let sample: Sample = parse(&file, text, text, 1).unwrap();
        let tag = sample.tag.unwrap();
        assert_eq!((tag.value.as_str(), tag.line, tag.column), ("here", 2, 6));
    }

    #[test]
    fn dates_parse_strictly_and_count_days() {
        assert!(Date::parse("2026-2-3").is_none());
        assert!(Date::parse("2026-02-29").is_none());
        let a = Date::parse("2026-02-28").unwrap();
        let b = Date::parse("2026-03-02").unwrap();
        assert_eq!(a.days_until(b), 2);
        assert_eq!(a.plus_days(2), b);
        assert_eq!(b.to_string(), "2026-03-02");
    }
}
