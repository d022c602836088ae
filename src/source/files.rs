//! Reading a user's file as UTF-8 text, with an error that says which file and where.

use std::path::Path;

use super::diagnostic::Diagnostic;

/// Reads `path` as UTF-8 text. `shown` is the name used in messages (relative to the site root).
/// A byte-order mark is dropped. A file that is not UTF-8 is an error at the first bad byte.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::file_error(shown, format!("cannot read this file: {error}"))
    })?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
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
    fn missing_file_is_a_file_error() {
        let error = read_text(Path::new("/nonexistent/x"), Path::new("x")).unwrap_err();
        assert_eq!(error.line, 0);
        assert!(error.message.contains("cannot read"));
    }
}
