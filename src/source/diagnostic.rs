//! Diagnostics: one problem in one place of one file, told the way rustc and cargo tell it.
//!
//! Every error or warning the generator reports is a [`Diagnostic`]: the file, the 1-based line
//! and column, a message, the offending line with a caret under it, and a `help` that says what
//! to write instead. A run collects them all in [`Diagnostics`] so that a user sees every problem
//! at once. Rendering is delegated to `annotate-snippets`.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a problem is: errors fail the run, warnings are printed and do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when the problem concerns the whole file or line.
    pub column: usize,
    pub message: String,
    /// The text of the offending line, for the snippet.
    pub(crate) source_line: Option<String>,
    /// What to write instead.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (unreadable, not UTF-8, missing).
    pub(crate) fn file_error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: None,
            help: None,
        }
    }

    /// An error that concerns no file (a port already taken, say).
    pub(crate) fn general(message: impl Into<String>) -> Self {
        Diagnostic::file_error(PathBuf::new(), message)
    }

    /// An error at a line and column of `source`, the full text of `file`.
    pub(crate) fn at(
        file: impl Into<PathBuf>,
        source: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let source_line = line
            .checked_sub(1)
            .and_then(|index| source.lines().nth(index))
            .map(str::to_owned);
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: message.into(),
            source_line,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The same problem with its file named from `root`, as the user typed it, rather than
    /// from inside the site.
    pub fn under(mut self, root: &Path) -> Self {
        if root != Path::new(".") && root != Path::new("") && self.file.is_relative() {
            self.file = root.join(&self.file);
        }
        self
    }

    /// The same problem with its file, named from where the user stands, named from the site
    /// folder `root` (as every diagnostic's file is) when it is inside it, else in full.
    pub(crate) fn named_from_site(mut self, root: &Path) -> Self {
        let root_is_here = root == Path::new(".") || root.as_os_str().is_empty();
        if root_is_here && self.file.is_relative() {
            return self;
        }
        if let Ok(inside) = self.file.strip_prefix(root) {
            self.file = inside.to_path_buf();
            return self;
        }
        let Ok(file) = std::path::absolute(&self.file) else {
            return self;
        };
        let roots = [std::path::absolute(root).ok(), root.canonicalize().ok()];
        self.file = roots
            .iter()
            .flatten()
            .find_map(|root| file.strip_prefix(root).ok())
            .map_or_else(|| file.clone(), Path::to_path_buf);
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.display().to_string(),
            (line, 0) => format!("{}:{line}", self.file.display()),
            (line, column) => format!("{}:{line}:{column}", self.file.display()),
        }
    }

    /// The diagnostic as the terminal shows it; `styled` adds colour.
    pub fn render(&self, styled: bool) -> String {
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let location = self.location();
        let file = self.file.display().to_string();
        let title = level.primary_title(&self.message);
        let group = match &self.source_line {
            Some(text) if self.line > 0 => {
                let span = caret_span(text, self.column);
                title.element(
                    Snippet::source(text.as_str())
                        .line_start(self.line)
                        .path(file.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            _ if self.file.as_os_str().is_empty() => Group::with_title(title),
            _ => title.element(annotate_snippets::Origin::path(location.as_str())),
        };
        let mut report = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        renderer.render(&report)
    }
}

/// The diagnostic as the terminal shows it, without colour.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The byte range the caret underlines: the token that starts at `column` (1-based, in
/// characters), up to the next space or YAML punctuation (a comma only inside `[ ]` or `{ }`,
/// so that `1.200,50` is underlined whole); the whole line when no column is known.
fn caret_span(line: &str, column: usize) -> std::ops::Range<usize> {
    if column == 0 {
        let start = line.len() - line.trim_start().len();
        return start..line.len().max(start + 1);
    }
    let start = line
        .char_indices()
        .nth(column - 1)
        .map_or(line.len(), |(index, _)| index);
    let rest = &line[start..];
    let quoted = rest.starts_with(['"', '\'']);
    let length = if quoted {
        let quote = rest.as_bytes()[0] as char;
        rest[1..].find(quote).map_or(rest.len(), |end| end + 2)
    } else {
        let in_brackets = line[..start].contains(['[', '{']);
        rest.find(|c: char| {
            c.is_whitespace() || matches!(c, ':' | ']' | '}' | '#') || (in_brackets && c == ',')
        })
        .unwrap_or(rest.len())
    };
    start..start + length.max(1)
}

impl std::error::Error for Diagnostic {}

/// All the problems of one run, errors and warnings, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file, then position, so that output does not depend on the order of parallel work.
    pub(crate) fn sort(&mut self) {
        self.items
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(problem: Diagnostic) -> Self {
        Diagnostics {
            items: vec![problem],
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The name in `candidates` closest to `wrong`, if any is close enough to be a plausible typo.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&wrong_lower, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// A `help` line suggesting the nearest valid name, or listing the valid names when none is near.
pub(crate) fn suggestion<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    match did_you_mean(wrong, candidates.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => {
            let names: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
            if names.is_empty() {
                "there are no valid names here yet".to_owned()
            } else {
                format!("valid names are {}", names.join(", "))
            }
        }
    }
}

/// The path of `file` relative to `root`, for messages; unchanged when it is not inside `root`.
pub(crate) fn relative_to(file: &Path, root: &Path) -> PathBuf {
    file.strip_prefix(root).unwrap_or(file).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_covers_the_token_at_the_column() {
        assert_eq!(caret_span("kind: colleage", 7), 6..14);
        assert_eq!(caret_span("buisness: Shah", 1), 0..8);
        assert_eq!(caret_span("name: \"Zoë L\" # x", 7), 6..14);
        assert_eq!(caret_span("    value: 1.200,50", 12), 11..19);
        assert_eq!(caret_span("sectors: [cafes,bars]", 11), 10..15);
    }

    #[test]
    fn render_shows_location_line_caret_and_help() {
        let source = "name: Priya\nkind: colleage\n";
        let text = Diagnostic::at("partners/p.yaml", source, 2, 7, "unknown kind `colleage`")
            .with_help("did you mean `colleague`?")
            .render(false);
        assert!(text.contains("partners/p.yaml:2:7"), "{text}");
        assert!(text.contains("kind: colleage"), "{text}");
        assert!(text.contains("^^^^^^^^"), "{text}");
        assert!(text.contains("did you mean `colleague`?"), "{text}");
    }

    #[test]
    fn did_you_mean_finds_typos_and_ignores_strangers() {
        let names = ["business_purpose", "aspirations", "likes_dislikes"];
        assert_eq!(
            did_you_mean("busines_purpose", names),
            Some("business_purpose")
        );
        assert_eq!(did_you_mean("zzz", names), None);
    }
}
