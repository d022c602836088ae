//! What a YAML problem means to someone who typed the file by hand, and where it is.
//!
//! The parser says what it could not read and where it noticed; a person needs what they did
//! and what to type instead. The slips people make most (a tab, an unclosed quote, a colon in
//! a text, one space too many, an amount with a currency sign, a list item without its `- `,
//! a second document, an empty file, a file too large) each get their own message, found by
//! looking at the text around the parser's position, at the line where the slip is. Each
//! diagnosis also says how to take the problem out of the text without moving anything else,
//! when that is safe, so that reading can go on to the next problem.

use std::path::Path;

use super::tree::{self, Text};
use crate::source::diagnostic::{Diagnostic, did_you_mean, suggestion};

/// Where a YAML text is: its file, the file's whole text, and the file line its first line is.
pub(super) struct Place<'a> {
    pub(super) file: &'a Path,
    pub(super) whole_file: &'a str,
    pub(super) first_line: usize,
}

impl Place<'_> {
    /// A diagnostic at `line` and `column` of the YAML text.
    pub(super) fn at(&self, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(
            self.file,
            self.whole_file,
            line + self.first_line - 1,
            column,
            message,
        )
    }
}

/// One problem, and the text to read next with it taken out (`None`: stop reading this file).
pub(super) struct Diagnosis {
    pub(super) diagnostic: Diagnostic,
    pub(super) next: Option<String>,
    /// The field an unknown field was taken for, whose absence is then no news.
    pub(super) meant: Option<String>,
}

impl Diagnosis {
    fn stop(diagnostic: Diagnostic) -> Diagnosis {
        Diagnosis {
            diagnostic,
            next: None,
            meant: None,
        }
    }
}

/// The lines of the YAML text, for looking around a position.
struct Lines<'t> {
    lines: Vec<&'t str>,
}

impl<'t> Lines<'t> {
    fn get(&self, line: usize) -> &'t str {
        line.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or("")
    }

    /// The line before `line` that holds something other than a comment.
    fn previous(&self, line: usize) -> Option<usize> {
        (1..line).rev().find(|l| !is_blank(self.get(*l)))
    }
}

fn is_blank(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty() || trimmed.starts_with('#')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key a line starts with (after a `- `), and the column where it starts.
fn key_of(line: &str) -> Option<(&str, usize)> {
    let mut column = indent(line);
    let mut rest = &line[column..];
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start_matches(' ');
        column = line.len() - rest.len();
    }
    let end = rest.find(':')?;
    let key = &rest[..end];
    let after = &rest[end + 1..];
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && (after.is_empty() || after.starts_with(' '));
    is_key.then_some((key, column))
}

fn spaces(n: usize) -> String {
    format!("{n} space{}", if n == 1 { "" } else { "s" })
}

/// The diagnosis of `error`, met reading `text`.
pub(super) fn diagnose(place: &Place, text: &str, error: &serde_saphyr::Error) -> Diagnosis {
    use serde_saphyr::Error as E;
    let (line, column) = error
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .filter(|(line, _)| *line > 0)
        .unwrap_or((1, 0));
    let lines = Lines {
        lines: text.lines().collect(),
    };
    let chars = Text::new(text);
    let nodes = tree::nodes(text);
    let index = chars.index(line, column.max(1));
    let scalar = index
        .and_then(|i| tree::node_at(&nodes, i))
        .map(|node| (node, source_of(&chars, node.start, node.end)));
    // A stand-in goes where the value was only if it fits there: a longer one would move
    // what follows on the line, and an empty value has no room at all.
    let replace_value = |with: &str| {
        let (node, _) = scalar.as_ref()?;
        (node.end > node.start && with.chars().count() <= node.end - node.start)
            .then(|| chars.replaced(node.start, node.end, with))
    };
    match error {
        E::SerdeUnknownField {
            field, expected, ..
        } => Diagnosis {
            diagnostic: place
                .at(line, column, format!("unknown field `{field}`"))
                .with_help(suggestion(field, expected.iter().copied())),
            next: index
                .and_then(|i| tree::entry_at(&nodes, &chars, i))
                .map(|(start, end)| chars.replaced(start, end, "")),
            meant: did_you_mean(field, expected.iter().copied()).map(str::to_owned),
        },
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => Diagnosis {
            diagnostic: place
                .at(
                    line,
                    column,
                    format!("`{variant}` is not one of the allowed values"),
                )
                .with_help(suggestion(variant, expected.iter().copied())),
            next: expected
                .iter()
                .min_by_key(|name| name.len())
                .and_then(|shortest| replace_value(shortest)),
            meant: None,
        },
        E::SerdeMissingField { field, .. } => {
            let (line, column) = if column > 0 {
                block_start(&lines, line, column)
            } else {
                (line, column)
            };
            Diagnosis::stop(
                place
                    .at(line, column, format!("missing required field `{field}`"))
                    .with_help(format!("add a line `{field}: ...`")),
            )
        }
        E::DuplicateMappingKey { key, .. } => {
            duplicate(place, (&chars, &nodes), &lines, (line, column), key.as_deref())
        }
        E::MultipleDocuments { .. } => {
            let marker = (1..=line)
                .rev()
                .find(|l| lines.get(*l).trim_end() == "---" || lines.get(*l).starts_with("--- "))
                .unwrap_or(line);
            let start = chars.index(marker, 1).unwrap_or(0);
            Diagnosis {
                diagnostic: place
                    .at(marker, 1, format!("a second YAML document starts here, after the `---` on line {}", marker + place.first_line - 1))
                    .with_help("this file holds one document: delete this `---` line, and keep what follows it with the lines above if you still need it"),
                next: Some(chars.replaced(start, usize::MAX, "")),
                meant: None,
            }
        }
        E::Budget { .. } => Diagnosis::stop(place.at(line, column, "this file is larger than advocate reads: more than 250,000 values (list items, keys and texts)").with_help("a partner file stays far smaller: look for a list pasted in many times, or move old entries to a file outside `content/`")),
        E::Message { msg, .. } if msg.contains("is not a date") => {
            match scalar.as_ref().and_then(|(node, _)| folded_key(&chars, &lines, *node)) {
                Some(diagnostic) => Diagnosis::stop(place_folded(place, diagnostic)),
                None => {
                    let (message, help) = match msg.rsplit_once(" is not a date: ") {
                        Some((date, help)) => (format!("{date} is not a date"), Some(help.to_owned())),
                        None => (msg.clone(), None),
                    };
                    Diagnosis {
                        diagnostic: with_help(place.at(line, column, message), help),
                        next: replace_value("2000-01-01"),
                        meant: None,
                    }
                }
            }
        }
        E::InvalidScalar { ty, .. } => {
            let written = scalar.as_ref().map_or("", |(_, s)| s.as_str());
            let (message, help, stand_in) = number(ty, written);
            Diagnosis {
                diagnostic: place.at(line, column, message).with_help(help),
                next: replace_value(stand_in),
                meant: None,
            }
        }
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => Diagnosis {
            diagnostic: with_help(
                place.at(
                    line,
                    column,
                    format!(
                        "{} {}, not {}",
                        taker(&lines, line, column),
                        in_words(expected),
                        in_words(unexpected)
                    ),
                ),
                type_help(expected),
            ),
            next: stand_in(expected).and_then(replace_value),
            meant: None,
        },
        E::Unexpected { expected, .. } => {
            let wanted = expected.trim_end_matches(" start");
            Diagnosis {
                diagnostic: with_help(
                    place.at(
                        line,
                        column,
                        format!("{} {}", taker(&lines, line, column), in_words(wanted)),
                    ),
                    type_help(wanted),
                ),
                next: stand_in(wanted).and_then(replace_value),
                meant: None,
            }
        }
        E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => Diagnosis::stop(place.at(
            line,
            column,
            format!("invalid value {unexpected}, expected {expected}"),
        )),
        E::NullIntoString { .. } => {
            let key = key_of(lines.get(line)).map(|(key, _)| key);
            let (message, help) = match key {
                Some(key) => (
                    format!("`{key}` has no value"),
                    format!("write its text after `{key}: `, on the same line"),
                ),
                None => (
                    "a text is missing here".to_owned(),
                    "write the text here, or delete the empty entry".to_owned(),
                ),
            };
            Diagnosis::stop(place.at(line, column, message).with_help(help))
        }
        // A value type's own message, with its help after a newline (see `model::site::Days`).
        E::Message { msg, .. } => Diagnosis::stop(match msg.split_once('\n') {
            Some((message, help)) => place.at(line, column, message).with_help(help),
            None => place.at(line, column, msg.clone()),
        }),
        other => syntax(place, &chars, &lines, line, column, &other.to_string()),
    }
}

/// What takes the value at `line`, `column`: "`key` takes" when the key is on that line,
/// "this should be" when not.
fn taker(lines: &Lines, line: usize, column: usize) -> String {
    let text = lines.get(line);
    match key_of(text) {
        Some((key, key_column)) if key_column < column => format!("`{key}` takes"),
        _ => "this should be".to_owned(),
    }
}

/// A type as serde names it (`a sequence`, `u32`, `struct Targets`, `string "x"`), in words.
fn in_words(serde_says: &str) -> String {
    let t = serde_says
        .trim_start_matches("a ")
        .trim_start_matches("an ");
    let number = |prefix: char| {
        t.starts_with(prefix) && t.len() > 1 && t[1..].chars().all(|c| c.is_ascii_digit())
    };
    if t.contains("sequence") || t.starts_with("tuple") {
        "a list".to_owned()
    } else if t.contains("map") || t.starts_with("struct") {
        "indented `key: value` lines".to_owned()
    } else if t.contains("string") || t.starts_with("char") {
        "a text".to_owned()
    } else if t.contains("integer") || number('u') || number('i') {
        "a whole number".to_owned()
    } else if t.contains("float") || number('f') {
        "a number".to_owned()
    } else if t.contains("bool") {
        "`true` or `false`".to_owned()
    } else if t.contains("unit") || t.contains("null") {
        "nothing".to_owned()
    } else {
        t.to_owned()
    }
}

fn with_help(diagnostic: Diagnostic, help: Option<String>) -> Diagnostic {
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

fn source_of(chars: &Text, start: usize, end: usize) -> String {
    (start..end).filter_map(|i| chars.char_at(i)).collect()
}

/// serde reports a missing field where the mapping ends; a person looks for it where the mapping
/// starts. Walks up from `line` to the first key of the block indented at `column`.
fn block_start(lines: &Lines, line: usize, column: usize) -> (usize, usize) {
    let indent = column - 1;
    let mut start = line;
    for number in (1..=line.min(lines.lines.len())).rev() {
        let content = lines.get(number);
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let own_indent = content.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ");
        if own_indent < indent || (own_indent == indent && is_item && indent > 0) {
            // A list item's first key is on its `- ` line.
            if is_item && own_indent + 2 == indent {
                start = number;
            }
            break;
        }
        if own_indent == indent {
            start = number;
        }
    }
    (start, column)
}

/// A message, a help and a stand-in value for a number the parser could not read as `ty`.
fn number(ty: &str, written: &str) -> (String, String, &'static str) {
    let shown = written.trim();
    if ty.starts_with('f') {
        let number = plain_amount(shown);
        let example = if number.is_empty() {
            "1200".to_owned()
        } else {
            number
        };
        (
            format!("`{shown}` is not a number"),
            format!(
                "write amounts as plain numbers, with a point before the pence or cents and no currency sign or thousands separator: `{example}`"
            ),
            "0",
        )
    } else if ty.contains("bool") {
        (
            format!("`{shown}` is not `true` or `false`"),
            "write `true` or `false`".to_owned(),
            "false",
        )
    } else {
        (
            format!("`{shown}` is not a whole number"),
            "write a whole number in digits, such as `3`".to_owned(),
            "0",
        )
    }
}

/// The digits of an amount written as a person writes it, as a plain number: the last `.` or
/// `,` is the decimal mark when one or two digits follow it (`1.200,50` and `1,200.50` are
/// both `1200.50`), and every other mark, space or sign is left out (`£1,200` is `1200`).
/// Empty when `written` has no digit.
fn plain_amount(written: &str) -> String {
    let kept: String = written
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let digits = |text: &str| {
        text.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    match kept.rfind(['.', ',']) {
        Some(mark) if (1..=2).contains(&(kept.len() - mark - 1)) => {
            let whole = digits(&kept[..mark]);
            let whole = if whole.is_empty() { "0" } else { &whole };
            format!("{whole}.{}", &kept[mark + 1..])
        }
        _ => digits(&kept),
    }
}

/// What stands in for a value of type `expected` while reading goes on.
fn stand_in(expected: &str) -> Option<&'static str> {
    if expected.contains("sequence") {
        Some("[]")
    } else if expected.contains("string") {
        Some("\"\"")
    } else if expected.contains("struct") || expected.contains("map") {
        Some("{}")
    } else if expected.contains("integer") || expected.contains("u32") || expected.contains("f64") {
        Some("0")
    } else if expected.contains("bool") {
        Some("false")
    } else {
        None
    }
}

fn type_help(expected: &str) -> Option<String> {
    if expected.contains("sequence") {
        Some("write a list, e.g. `[first, second]` or one `- item` per line".to_owned())
    } else if expected.contains("string") {
        Some("write text here; put it in quotes if it starts with a special character".to_owned())
    } else if expected.contains("integer") || expected.contains("u32") {
        Some("write a whole number in digits, such as `3`".to_owned())
    } else if expected.contains("bool") {
        Some("write `true` or `false`".to_owned())
    } else if expected.contains("struct") || expected.contains("map") {
        Some("write the indented `key: value` lines that belong here".to_owned())
    } else {
        None
    }
}

/// A key that a plain value swallowed: `kind:` indented further than the `date:` above it
/// reads as the rest of the date. The slip is at the key's line.
struct Folded {
    line: usize,
    column: usize,
    key: String,
    owner: String,
    owner_line: usize,
    owner_column: usize,
}

fn folded_key(chars: &Text, lines: &Lines, value: tree::Node) -> Option<Folded> {
    if !value.plain {
        return None;
    }
    let (first, _) = chars.position(value.start);
    let (last, _) = chars.position(value.end.saturating_sub(1).max(value.start));
    let (owner, owner_column) = key_of(lines.get(first))?;
    (first + 1..=last).find_map(|line| {
        let (key, column) = key_of(lines.get(line))?;
        Some(Folded {
            line,
            column: column + 1,
            key: key.to_owned(),
            owner: owner.to_owned(),
            owner_line: first,
            owner_column: owner_column + 1,
        })
    })
}

fn place_folded(place: &Place, folded: Folded) -> Diagnostic {
    let extra = folded.column.saturating_sub(folded.owner_column);
    place
        .at(
            folded.line,
            folded.column,
            format!(
                "`{}:` is indented {} more than `{}:` on line {}, so it reads as part of `{}`'s value",
                folded.key,
                spaces(extra),
                folded.owner,
                folded.owner_line + place.first_line - 1,
                folded.owner
            ),
        )
        .with_help(format!(
            "line `{}:` up with `{}:`: indent it by {}",
            folded.key,
            folded.owner,
            spaces(folded.owner_column - 1)
        ))
}

/// A key given twice. When it is the first key of a list item, the likelier slip is a new item
/// written without its `- `: say so, and read on as if it had one.
fn duplicate(
    place: &Place,
    (chars, nodes): (&Text, &[tree::Node]),
    lines: &Lines,
    (line, column): (usize, usize),
    key: Option<&str>,
) -> Diagnosis {
    let shown = key.unwrap_or("this key");
    let item_start = (1..line).rev().find_map(|l| {
        let text = lines.get(l);
        let (first_key, key_column) = key_of(text)?;
        let dash = text[..key_column].trim_end().ends_with('-');
        (dash && key_column + 1 == column && Some(first_key) == key).then_some(l)
    });
    if let Some(first) = item_start
        && column > 2
        && lines
            .get(line)
            .chars()
            .take(column - 1)
            .collect::<String>()
            .ends_with("  ")
    {
        let list = (1..first)
            .rev()
            .map(|l| lines.get(l))
            .filter(|text| !is_blank(text) && indent(text) < column - 3)
            .find_map(key_of)
            .map_or_else(|| "the list".to_owned(), |(k, _)| format!("`{k}`"));
        let start = chars.index(line, column - 2).unwrap_or(0);
        return Diagnosis {
            diagnostic: place
                .at(
                    line,
                    column,
                    format!("`{shown}:` starts another item of {list}, but without `- ` it reads as a second `{shown}` of the item on line {}", first + place.first_line - 1),
                )
                .with_help(format!(
                    "each item of {list} starts with `- `: write `- {shown}:` here, in place of the two spaces before it, as on line {}",
                    first + place.first_line - 1
                )),
            next: Some(chars.replaced(start, start + 2, "- ")),
            meant: None,
        };
    }
    Diagnosis {
        diagnostic: place
            .at(line, column, format!("duplicate key `{shown}`"))
            .with_help(format!(
                "each key may appear once in a mapping: keep one `{shown}:` and put what you mean under it"
            )),
        next: chars
            .index(line, column)
            .and_then(|i| tree::entry_at(nodes, chars, i))
            .map(|(start, end)| chars.replaced(start, end, "")),
        meant: None,
    }
}

/// A line indented where no block is: its indentation, the indentation it seems meant to
/// have, and the key it seems to line up with (with its line).
fn misindented<'t>(lines: &Lines<'t>, line: usize) -> Option<(usize, usize, &'t str, usize)> {
    let target = lines.get(line);
    if is_blank(target) {
        return None;
    }
    let own = indent(target);
    let previous = lines.previous(line)?;
    let above = lines.get(previous);
    let opens = {
        let content = above.split(" #").next().unwrap_or(above).trim_end();
        content.ends_with(':') || content.ends_with("- ") || content == "-"
    };
    if opens && own > indent(above) {
        return None;
    }
    // The levels a line may start at here: each enclosing key's, and a list item's content.
    let mut levels: Vec<(usize, &str, usize)> = Vec::new();
    let mut limit = usize::MAX;
    for l in (1..=previous).rev() {
        let text = lines.get(l);
        if is_blank(text) || indent(text) >= limit {
            continue;
        }
        if let Some((key, column)) = key_of(text) {
            levels.push((column, key, l));
            if column != indent(text) {
                levels.push((indent(text), key, l));
            }
        }
        limit = indent(text);
        if limit == 0 {
            break;
        }
    }
    if levels.iter().any(|(level, _, _)| *level == own) {
        return None;
    }
    let (level, key, at) = levels
        .iter()
        .filter(|(level, _, _)| *level < own)
        .max_by_key(|(level, _, _)| *level)
        .or_else(|| levels.iter().min_by_key(|(level, _, _)| *level))?;
    Some((own, *level, key, *at))
}

/// A problem the parser met reading the text itself.
fn syntax(
    place: &Place,
    chars: &Text,
    lines: &Lines,
    line: usize,
    column: usize,
    said: &str,
) -> Diagnosis {
    let said = said.lines().next().unwrap_or(said).trim();
    let said = said.split(" at line ").next().unwrap_or(said);
    if said.contains("quote")
        && let Some((quote_line, quote_column, quote)) = unclosed_quote(lines, line)
    {
        let written = lines.get(quote_line).trim_end();
        return Diagnosis::stop(
            place
                .at(quote_line, quote_column, "this quote is never closed")
                .with_help(format!(
                    "end the text with {quote} on the same line: `{}{quote}`",
                    written.trim_start()
                )),
        );
    }
    for at in [line, line.saturating_sub(1)] {
        if let Some((own, level, key, key_line)) = misindented(lines, at) {
            let name = key_of(lines.get(at)).map_or("this line", |(k, _)| k);
            let shown_name = if name == "this line" {
                name.to_owned()
            } else {
                format!("`{name}:`")
            };
            let (how, fix) = if own > level {
                (
                    "more",
                    format!("remove {} before {shown_name}", spaces(own - level)),
                )
            } else {
                (
                    "less",
                    format!("add {} before {shown_name}", spaces(level - own)),
                )
            };
            return Diagnosis::stop(
                place
                    .at(at, own + 1, format!(
                        "{shown_name} is indented {} {how} than `{key}:` on line {}, the key it seems to belong with",
                        spaces(own.abs_diff(level)),
                        key_line + place.first_line - 1
                    ))
                    .with_help(format!("keys of one mapping line up, with spaces: {fix}")),
            );
        }
    }
    if said.contains("mapping values are not allowed")
        && let Some((key, _)) = key_of(lines.get(line))
    {
        let written = lines.get(line);
        let value = written
            .split_once(": ")
            .map_or("", |(_, value)| value)
            .trim();
        let quote = if value.contains('"') { '\'' } else { '"' };
        let at = chars.index(line, column).unwrap_or(0);
        return Diagnosis {
            diagnostic: place
                .at(
                    line,
                    column,
                    "this text holds `: `, which YAML reads as the start of another key",
                )
                .with_help(format!(
                    "put text that contains `: ` in quotes: `{key}: {quote}{value}{quote}`"
                )),
            next: Some(chars.replaced(at, at + 1, ";")),
            meant: None,
        };
    }
    if said.contains("unclosed bracket")
        && let Some((bracket_line, bracket_column, bracket)) = unclosed_bracket(lines, line)
    {
        let close = if bracket == '{' { '}' } else { ']' };
        return Diagnosis::stop(
            place
                .at(bracket_line, bracket_column, format!("this `{bracket}` is never closed"))
                .with_help(format!(
                    "close it with `{close}` on the same line, as in `- {{ date: 2026-05-20, kind: call }}`; a text that starts with `{bracket}` goes in quotes"
                )),
        );
    }
    if said.contains("simple key expected")
        && let Some(stray) = (1..=line).rev().find(|l| {
            !is_blank(lines.get(*l))
                && key_of(lines.get(*l)).is_none()
                && !lines.get(*l).trim_start().starts_with('-')
        })
    {
        let written = lines.get(stray);
        return Diagnosis::stop(
            place
                .at(stray, indent(written) + 1, "this line has no `key:`, so YAML cannot tell what it belongs to")
                .with_help("if it goes on the text of the line above, indent it further than that line's key; else write it as `key: value`"),
        );
    }
    let (message, help) = if said.contains("trailing content after") {
        (
            "text goes on after the closing quote",
            "put the whole text inside the quotes; after the closing quote only a comment (` # …`) may follow",
        )
    } else if said.contains("bracket") {
        (
            "this bracket closes nothing, or not what it should",
            "a list `[ … ]` or an item `{ … }` closes with its own bracket, on the same line; a text that starts with a bracket goes in quotes",
        )
    } else if said.contains("only valid inside a block") || said.contains("block sequence entries")
    {
        (
            "a `- ` list item cannot start here",
            "a `- ` item starts a line of its own, indented under a key that ends with `:` (such as `interactions:`)",
        )
    } else if said.contains("comments must be separated") {
        (
            "a `#` starts a comment only after a space",
            "put a space before `#` to start a comment, or put the text in quotes to keep the `#`",
        )
    } else {
        (
            "YAML cannot read this line",
            "look at this line and the one above it: the indentation (spaces, lined up with the keys beside it), a quote left open, a `: ` inside a text",
        )
    };
    Diagnosis::stop(place.at(line, column, message).with_help(help))
}

/// The line, column and bracket of a `{` or `[` at or above `line` that its line does not
/// close (outside quotes).
fn unclosed_bracket(lines: &Lines, line: usize) -> Option<(usize, usize, char)> {
    (1..=line.min(lines.lines.len())).rev().find_map(|l| {
        let mut open: Vec<(usize, char)> = Vec::new();
        let mut quote: Option<char> = None;
        for (i, c) in lines.get(l).chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '{' | '[') => open.push((i + 1, c)),
                (None, '}' | ']') => {
                    open.pop();
                }
                (None, '#') => break,
                _ => {}
            }
        }
        open.first().map(|(column, bracket)| (l, *column, *bracket))
    })
}

/// The line, column and character of the quote that opens a text never closed, at or above
/// `line`: a quote where a value starts (at the line's start, or after `: `, `- `, `[`, `{`
/// or `,`) that nothing closes on its line.
fn unclosed_quote(lines: &Lines, line: usize) -> Option<(usize, usize, char)> {
    (1..=line.min(lines.lines.len())).rev().find_map(|l| {
        let text: Vec<char> = lines.get(l).chars().collect();
        let mut at = 0;
        // The last character before `at` that is not a space.
        let mut before: Option<char> = None;
        while at < text.len() {
            let c = text[at];
            let starts_value = matches!(before, None | Some(':' | '-' | '[' | '{' | ','));
            if (c == '"' || c == '\'') && starts_value {
                match closing(&text[at + 1..], c) {
                    Some(length) => {
                        at += length + 2;
                        before = Some(c);
                    }
                    None => return Some((l, at + 1, c)),
                }
                continue;
            }
            if c != ' ' {
                before = Some(c);
            }
            if c == '#' && at > 0 && text[at - 1] == ' ' {
                break;
            }
            at += 1;
        }
        None
    })
}

/// How many characters of `rest` the text that `quote` opened holds before its closing quote.
fn closing(rest: &[char], quote: char) -> Option<usize> {
    let mut i = 0;
    while i < rest.len() {
        match (quote, rest[i]) {
            ('"', '\\') => i += 2,
            ('\'', '\'') if rest.get(i + 1) == Some(&'\'') => i += 2,
            (q, c) if c == q => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The problems of a text that is indented with tabs: one at each such line.
pub(super) fn tabs(place: &Place, text: &str) -> Vec<Diagnostic> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let leading = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
            let tab = leading.find('\t')?;
            Some(
                place
                    .at(i + 1, tab + 1, "this line is indented with a tab")
                    .with_help(
                        "YAML is indented with spaces; replace the tab on this line with spaces",
                    ),
            )
        })
        .collect()
}

/// The problem of a text with nothing in it, which needs at least the fields `required`.
pub(super) fn empty(place: &Place, required: &[String]) -> Diagnostic {
    let fields: Vec<String> = required.iter().map(|f| format!("`{f}:`")).collect();
    let diagnostic = Diagnostic::file_error(place.file, "this file is empty");
    match fields.as_slice() {
        [] => diagnostic,
        [one] => diagnostic.with_help(format!("it needs at least {one}")),
        [rest @ .., last] => {
            diagnostic.with_help(format!("it needs at least {} and {last}", rest.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_amount;

    #[test]
    fn an_amount_as_people_write_it_becomes_a_plain_number() {
        for (written, plain) in [
            ("£1,200", "1200"),
            ("1.200,50", "1200.50"),
            ("1,200.50", "1200.50"),
            ("€ 1 200,5", "1200.5"),
            ("1.200.000", "1200000"),
            ("12,50 €", "12.50"),
            (",50", "0.50"),
            ("twelve", ""),
        ] {
            assert_eq!(plain_amount(written), plain, "{written}");
        }
    }
}
