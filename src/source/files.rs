//! Reading a user's file as UTF-8 text, with an error that says which file and where.
//!
//! A text file holds no control characters but tab, line feed and carriage return: a NUL or an
//! escape code copied in from another program would otherwise reach pages and PDFs, where it
//! shows as nothing or breaks them. It is an error at its line and column.

use std::path::Path;

use super::diagnostic::Diagnostic;

/// Reads `path` as UTF-8 text. `shown` is the name used in messages (relative to the site root).
/// A byte-order mark is dropped. A file that is not UTF-8 is an error at the first bad byte,
/// and so is a control character (see the module doc).
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::file_error(shown, format!("cannot read this file: {error}"))
    })?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            match first_control(&text, &['\t', '\n', '\r']) {
                Some(found) => Err(found.error(shown, &text)),
                None => Ok(text),
            }
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let lossy = String::from_utf8_lossy(bytes);
            Err(
                Diagnostic::at(shown, &lossy, line, column, "this file is not UTF-8 text")
                    .with_help(
                        "save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)",
                    ),
            )
        }
    }
}

/// A control character found in a text, and where.
#[derive(Debug, PartialEq, Eq)]
pub struct Control {
    pub character: char,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
}

impl Control {
    /// The error for this character in `file`, whose text is `text`. The line is shown with the
    /// character made visible, since a terminal would swallow it.
    pub fn error(&self, file: &Path, text: &str) -> Diagnostic {
        Diagnostic::at(
            file,
            &visible(text),
            self.line,
            self.column,
            format!(
                "this text holds a control character, U+{:04X}, which no page can show",
                u32::from(self.character)
            ),
        )
        .with_help(
            "delete it: such characters come in unseen when text is copied from another program",
        )
    }
}

/// The first control character of `text` that is not one of `allowed`.
pub fn first_control(text: &str, allowed: &[char]) -> Option<Control> {
    let (offset, character) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !allowed.contains(c))?;
    let before = &text[..offset];
    Some(Control {
        character,
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
    })
}

/// `text` with each control character other than tab and line breaks shown as a symbol.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_points_at_the_first_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, b"name: A\nbusiness: Caf\xe9\n").unwrap();
        let error = read_text(&path, Path::new("p.yaml")).unwrap_err();
        assert_eq!((error.line, error.column), (2, 14));
    }

    #[test]
    fn control_characters_are_errors_at_their_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, "name: A\r\nbusiness: B\tC\u{0}D\n").unwrap();
        let error = read_text(&path, Path::new("p.yaml")).unwrap_err();
        assert_eq!((error.line, error.column), (2, 14));
        assert!(error.message.contains("U+0000"), "{}", error.message);
        assert_eq!(
            error.source_line.as_deref(),
            Some("business: B\tC\u{2400}D")
        );
        for bad in ["\u{1b}[31m", "\u{7f}", "\u{85}", "\u{8}"] {
            std::fs::write(&path, format!("name: {bad}\n")).unwrap();
            assert!(read_text(&path, Path::new("p.yaml")).is_err(), "{bad:?}");
        }
        std::fs::write(&path, "name: Zoë\tTab\r\n").unwrap();
        assert!(read_text(&path, Path::new("p.yaml")).is_ok());
    }

    #[test]
    fn missing_file_is_a_file_error() {
        let error = read_text(Path::new("/nonexistent/x"), Path::new("x")).unwrap_err();
        assert_eq!(error.line, 0);
        assert!(error.message.contains("cannot read"));
    }
}
