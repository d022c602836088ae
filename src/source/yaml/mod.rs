//! The one door to YAML: every `site.yaml`, partner file and guide front matter is parsed here.
//!
//! Parsing is `serde-saphyr`'s (it rejects duplicate keys and reports line and column). This
//! module turns what it reports into [`Diagnostic`]s a non-programmer can act on, at the line
//! where the slip is ([`explain`]), and reads on past each problem, with the faulty part taken
//! out of the text without moving anything else ([`tree`]), so that one run reports every
//! problem of a file, in file order. It also provides the two value types the model needs from
//! YAML: [`Located`], a value that remembers where it was written, and [`Date`], a `YYYY-MM-DD`
//! day. No other module names `serde_saphyr`, or `granit_parser`, the event parser beneath it,
//! which gives the spans of nodes and finds the value that an escape such as `"\0"` filled with
//! a control character: text values hold none but tab and newline.

mod explain;
mod tree;

use std::cmp::Ordering;
use std::fmt;
use std::path::Path;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use super::diagnostic::{Diagnostic, Diagnostics};
use explain::Place;

/// How many problems of one file are reported before reading it stops.
const MOST_PROBLEMS: usize = 50;

/// Parses `text`, the YAML of `file`, whose first line is line `first_line` of that file
/// (1 for a whole file; more for front matter inside a Markdown file). On failure, every
/// problem found, in file order: reading goes on past a wrong value or an unknown field, and
/// stops at a problem in the text's own structure (indentation, quotes).
pub(crate) fn parse<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    whole_file: &str,
    first_line: usize,
) -> Result<T, Diagnostics> {
    let place = Place {
        file,
        whole_file,
        first_line,
    };
    if text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---"
    }) {
        return Err(explain::empty(&place, &required_fields::<T>()).into());
    }
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut meant: Vec<String> = Vec::new();
    let mut current = text.to_owned();
    while problems.len() < MOST_PROBLEMS {
        let error = match serde_saphyr::from_str::<T>(&current) {
            Ok(parsed) if problems.is_empty() => {
                check_values(&place, text)?;
                return Ok(parsed);
            }
            Ok(_) => break,
            Err(error) => error,
        };
        if problems.is_empty() {
            let tabs = explain::tabs(&place, text);
            if !tabs.is_empty() {
                problems = tabs;
                break;
            }
        }
        let diagnosis = explain::diagnose(&place, &current, error.without_snippet());
        let missing_what_was_misspelt = meant.iter().any(|field| {
            diagnosis.diagnostic.message == format!("missing required field `{field}`")
        });
        if !missing_what_was_misspelt {
            problems.push(diagnosis.diagnostic);
        }
        meant.extend(diagnosis.meant);
        match diagnosis.next {
            Some(next) if next != current => current = next,
            _ => break,
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    let mut found = Diagnostics::new();
    found.extend(problems);
    Err(found)
}

/// The fields a `T` cannot do without, as far as text values satisfy them: what an empty
/// file is told it needs.
fn required_fields<T: DeserializeOwned>() -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    while fields.len() < 8 {
        let text: String = fields.iter().map(|f| format!("{f}: x\n")).collect();
        let Err(error) = serde_saphyr::from_str::<T>(if text.is_empty() { "{}" } else { &text })
        else {
            break;
        };
        match error.without_snippet() {
            serde_saphyr::Error::SerdeMissingField { field, .. }
                if !fields.iter().any(|f| f == field) =>
            {
                fields.push((*field).to_owned());
            }
            _ => break,
        }
    }
    fields
}

/// An error at the first value of `text` whose escapes (`"\0"`, `"\x1b"`, `"\r"` ...) give it a
/// control character other than tab and newline, or that is `!!binary` data, which decodes to
/// whatever bytes it likes.
fn check_values(place: &Place, text: &str) -> Result<(), Diagnostic> {
    // Only an escape (`\`) or a tag (`!!binary`, `!<tag:yaml.org,2002:binary>`, or one named
    // through a `%TAG` directive) puts into a value what the text itself does not hold.
    if !(text.contains('\\') || text.contains("!!") || text.contains("!<") || text.contains("%TAG"))
    {
        return Ok(());
    }
    for event in granit_parser::Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            return Ok(());
        };
        let granit_parser::Event::Scalar(value, _, _, tag) = event else {
            continue;
        };
        let line = span.start.line();
        let column = span.start.col() + 1;
        if tag
            .is_some_and(|t| format!("{}{}", t.handle(), t.suffix()) == "tag:yaml.org,2002:binary")
        {
            return Err(place
                .at(
                    line,
                    column,
                    "`!!binary` data has no place here: the files hold text",
                )
                .with_help("write the text itself, without `!!binary`"));
        }
        if let Some(found) = super::files::first_control(&value, &['\t', '\n']) {
            return Err(place.at(
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

    fn errors_of(text: &str) -> Vec<Diagnostic> {
        let file = PathBuf::from("x.yaml");
        parse::<Sample>(&file, text, text, 1)
            .unwrap_err()
            .into_iter()
            .collect()
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct List {
        items: Vec<Sample>,
    }

    /// The problems of `text` read as a [`List`]: line, column and message.
    fn list_errors_of(text: &str) -> Vec<(usize, usize, String)> {
        let file = PathBuf::from("x.yaml");
        parse::<List>(&file, text, text, 1)
            .unwrap_err()
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    fn error_of(text: &str) -> Diagnostic {
        let mut all = errors_of(text);
        assert_eq!(all.len(), 1, "{all:#?}");
        all.remove(0)
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
        let error = parse::<Outer>(&file, text, text, 1)
            .unwrap_err()
            .into_iter()
            .next()
            .unwrap();
        assert_eq!(error.message, "missing required field `name`");
        assert_eq!((error.line, error.column), (3, 3));
    }

    #[test]
    fn bad_dates_are_rejected_with_the_format() {
        let error = error_of("name: A\nwhen: 2026-02-30\n");
        assert_eq!(error.line, 2);
        assert_eq!(error.message, "`2026-02-30` is not a date");
        assert_eq!(
            error.help.as_deref(),
            Some("write dates as YYYY-MM-DD, for example 2026-03-01")
        );
    }

    #[test]
    fn front_matter_lines_are_offset_to_the_file() {
        let file = PathBuf::from("g.md");
        let whole = "---\nname: A\nkindd: x\n---\n";
        let error = parse::<Sample>(&file, "name: A\nkindd: x\n", whole, 2)
            .unwrap_err()
            .into_iter()
            .next()
            .unwrap();
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
        let error = parse::<Sample>(&file, "name: A\ntag: \"\\0\"\n", whole, 2)
            .unwrap_err()
            .into_iter()
            .next()
            .unwrap();
        assert_eq!((error.line, error.column), (3, 6));
    }

    #[test]
    fn every_problem_of_a_text_is_reported_in_file_order() {
        let text = "name: A\nkindd: client\nwhen: 2026-02-30\nkind: colleage\ntag: [x]\n";
        let found: Vec<(usize, usize, String)> = errors_of(text)
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect();
        assert_eq!(
            found,
            [
                (2, 1, "unknown field `kindd`".to_owned()),
                (3, 7, "`2026-02-30` is not a date".to_owned()),
                (
                    4,
                    7,
                    "`colleage` is not one of the allowed values".to_owned()
                ),
                (5, 6, "`tag` takes a text".to_owned()),
            ]
        );
    }

    #[test]
    fn a_misspelt_required_field_is_not_also_reported_missing() {
        let found = errors_of("nmae: A\nkind: client\n");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn a_problem_in_a_flow_mapping_leaves_the_rest_of_it_readable() {
        let found: Vec<(usize, usize)> = list_errors_of(
            "items:\n  - { name: A, colour: red, kind: colleage }\n  - { name: B, when: 2026-13-01 }\n",
        )
        .into_iter()
        .map(|(line, column, _)| (line, column))
        .collect();
        assert_eq!(found, [(2, 16), (2, 35), (3, 22)]);
    }

    #[test]
    fn a_stand_in_that_does_not_fit_stops_reading_and_a_list_items_missing_field_is_at_its_dash() {
        let empty_item = list_errors_of("items:\n  - # x\n");
        assert_eq!(
            empty_item.len(),
            1,
            "one problem, not fifty: {empty_item:#?}"
        );
        let missing = list_errors_of("items:\n  - kind: client\n    when: 2026-01-01\n");
        assert_eq!(
            missing,
            [(2, 5, "missing required field `name`".to_owned())]
        );
    }

    #[test]
    fn an_empty_text_says_what_it_needs() {
        let error = error_of("# nothing yet\n\n");
        assert_eq!(error.message, "this file is empty");
        assert_eq!(error.help.as_deref(), Some("it needs at least `name:`"));
    }

    /// Every slip typed anywhere into a file gets a diagnosis, and none makes reading panic.
    #[test]
    fn no_slip_anywhere_makes_reading_panic() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct File {
            name: String,
            items: Vec<Sample>,
            note: Option<String>,
        }
        let text = "name: Zoë\nitems:\n  - name: Ana\n    kind: client\n    when: 2026-01-05\n  - { name: Bé, tag: \"x: y\" }\nnote: 'it''s'\n";
        let file = PathBuf::from("x.yaml");
        let chars: Vec<char> = text.chars().collect();
        for at in 0..=chars.len() {
            for slip in [
                "\t", " ", ":", "\"", "'", "- ", "\n", "é", "{", "]", "#", "",
            ] {
                let mut typed: String = chars[..at].iter().collect();
                typed.push_str(slip);
                let rest = if slip.is_empty() { at + 1 } else { at };
                typed.extend(chars[rest.min(chars.len())..].iter());
                if let Err(found) = parse::<File>(&file, &typed, &typed, 1) {
                    assert!(!found.is_empty(), "{typed:?}");
                    for problem in found.iter() {
                        assert!(
                            problem.line <= typed.lines().count() + 1,
                            "{typed:?}: {problem:?}"
                        );
                    }
                }
            }
        }
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
