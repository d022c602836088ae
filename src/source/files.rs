//! Reading a user's files: listing the site's folders, and reading a file as bytes or as
//! UTF-8 text, with an error that says which file and where.
//!
//! **Only ordinary files, each where it belongs.** A build reads nothing but ordinary files, and
//! each part of the site only from its own folder: the guide from `content/guide`, a theme from
//! its folder under `themes/`, partners and `site.yaml` from the site folder. A symbolic link
//! is followed when it stays inside that folder; one that leads nowhere, round in a circle, or
//! out of it is an error that names it, and nothing of its target is read. Otherwise a theme's
//! `static/` could copy `/etc/passwd`, the partner files or the private output into the hosted
//! site, and a guide page could be a partner file in disguise. A named pipe, a socket or a
//! device is an error too: reading a named pipe would wait forever. [`list`] applies this to
//! every folder a build reads, [`inside`] to a single file; [`read_bytes`] and [`read_text`]
//! refuse what is not an ordinary file. A hard link cannot be told from the file it shares,
//! so it is read like any file.
//!
//! **No control characters.** A text file holds none but tab, line feed and carriage return: a
//! NUL or an escape code copied in from another program would otherwise reach pages and PDFs,
//! where it shows as nothing or breaks them. It is an error at its line and column.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, Diagnostics, relative_to};

/// One entry of a folder of the site that a build would read: an ordinary file (perhaps
/// through a symbolic link inside the site), or the problem that stops it being read.
#[derive(Debug)]
pub(crate) struct Listed {
    pub(crate) path: PathBuf,
    /// The path relative to the site folder, for messages.
    pub(crate) shown: PathBuf,
    pub(crate) problem: Option<Diagnostic>,
}

/// Why a file or folder cannot be read where it is.
enum Unreachable {
    /// As the system says: missing, or not to be read.
    Io(io::Error),
    /// A link that leads nowhere, round in a circle, or out of where it may lead.
    Refused(Box<Diagnostic>),
}

/// The folder that symbolic links must stay inside, with its name for messages.
struct Scope {
    /// Canonical.
    folder: PathBuf,
    name: String,
}

impl Scope {
    /// `within`, a folder of the site at `root`, which must itself lie inside the site.
    fn of(within: &Path, root: &Path) -> Result<Scope, Unreachable> {
        let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let whole_site = Scope {
            folder: site.clone(),
            name: "the site folder".to_owned(),
        };
        if within == root {
            return Ok(whole_site);
        }
        let folder = canonical(within, root)?;
        if let Some(problem) = whole_site.refuses(&folder, &relative_to(within, root), root) {
            return Err(Unreachable::Refused(Box::new(problem)));
        }
        Ok(Scope {
            folder,
            name: format!("{}/", relative_to(within, root).display()),
        })
    }

    /// The problem with `target`, where `shown` leads once links are followed, if it is outside
    /// this scope.
    fn refuses(&self, target: &Path, shown: &Path, root: &Path) -> Option<Diagnostic> {
        (!target.starts_with(&self.folder)).then(|| {
            let path = root.join(shown);
            let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            Diagnostic::file_error(
                shown,
                format!(
                    "this is {}{}, which is outside {}: advocate reads this part of the site only from there",
                    if is_link { "a link to " } else { "" },
                    target.display(),
                    self.name
                ),
            )
            .with_help(format!("copy the file or folder into {} instead of linking to it", self.name))
        })
    }
}

/// `path` with every link followed; a link that leads nowhere or round in a circle is the
/// problem given with the error.
fn canonical(path: &Path, root: &Path) -> Result<PathBuf, Unreachable> {
    path.canonicalize().map_err(|error| {
        let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            let problem = broken(path, root, Some(&error));
            Unreachable::Refused(Box::new(problem))
        } else {
            Unreachable::Io(error)
        }
    })
}

/// The entries of the folder `dir` of the site at `root` whose names `wanted` accepts, in
/// name order; those in its subfolders too when `recursive`. Each is an ordinary file, or
/// carries the problem with it (see the module doc): symbolic links must stay inside the
/// folder `within` (the site folder itself, or one of its folders that holds `dir`). Folders
/// are walked into, never listed. A folder that is itself a broken link, or leads out of
/// `within`, is one entry with that problem. The error is the folder's own: missing
/// (`NotFound`) or unreadable.
pub(crate) fn list(
    dir: &Path,
    within: &Path,
    root: &Path,
    recursive: bool,
    wanted: impl Fn(&Path) -> bool,
) -> io::Result<Vec<Listed>> {
    let entry = |path: &Path, problem: Option<Diagnostic>| Listed {
        path: path.to_path_buf(),
        shown: relative_to(path, root),
        problem,
    };
    let refused = |failed: Unreachable| match failed {
        Unreachable::Refused(problem) => Ok(vec![entry(dir, Some(*problem))]),
        Unreachable::Io(error) => Err(error),
    };
    let scope = match Scope::of(within, root) {
        Ok(scope) => scope,
        Err(failed) => return refused(failed),
    };
    let real_dir = match canonical(dir, root) {
        Ok(real_dir) => real_dir,
        Err(failed) => return refused(failed),
    };
    if let Some(problem) = scope.refuses(&real_dir, &relative_to(dir, root), root) {
        return Ok(vec![entry(dir, Some(problem))]);
    }
    let mut listed = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(next) = walk.next() {
        let found = match next {
            Ok(found) => found,
            Err(error) => {
                let path = error.path().unwrap_or(dir).to_path_buf();
                if error.loop_ancestor().is_none() && !wanted(&path) {
                    continue;
                }
                let problem = broken(&path, root, error.io_error());
                listed.push(entry(&path, Some(problem)));
                continue;
            }
        };
        let path = found.path();
        let is_dir = found.file_type().is_dir();
        if found.path_is_symlink() {
            let holder = path.parent().and_then(|p| p.canonicalize().ok());
            let outside = match path.canonicalize() {
                // A link to a folder that holds it would be walked for ever.
                Ok(target) if is_dir && holder.is_some_and(|h| h.starts_with(&target)) => {
                    Some(broken(path, root, None))
                }
                Ok(target) => scope.refuses(&target, &relative_to(path, root), root),
                Err(error) => Some(broken(path, root, Some(&error))),
            };
            if let Some(problem) = outside {
                if is_dir {
                    walk.skip_current_dir();
                } else if !wanted(path) {
                    continue;
                }
                listed.push(entry(path, Some(problem)));
                continue;
            }
        }
        if is_dir || !wanted(path) {
            continue;
        }
        let problem = (!found.file_type().is_file())
            .then(|| not_a_file(&relative_to(path, root), found.file_type()));
        listed.push(entry(path, problem));
    }
    Ok(listed)
}

/// The readable files that [`list`] finds in `dir` and below (the theme's `what`, for
/// messages), with links kept inside `within`; the problems of the others, and the folder's
/// own, go into `problems`.
pub(crate) fn readable(
    dir: &Path,
    within: &Path,
    root: &Path,
    wanted: impl Fn(&Path) -> bool,
    what: &str,
    problems: &mut Diagnostics,
) -> Vec<Listed> {
    let listed = list(dir, within, root, true, wanted).unwrap_or_else(|error| {
        problems.push(Diagnostic::file_error(
            relative_to(dir, root),
            format!("cannot read the theme's {what}: {error}"),
        ));
        Vec::new()
    });
    listed
        .into_iter()
        .filter_map(|entry| match entry.problem {
            Some(problem) => {
                problems.push(problem);
                None
            }
            None => Some(entry),
        })
        .collect()
}

/// The problem with the entry `path` that could not be followed or read: `error` says why,
/// or is `None` for a link to a folder that holds it.
fn broken(path: &Path, root: &Path, error: Option<&io::Error>) -> Diagnostic {
    let shown = relative_to(path, root);
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let looped = error.is_none_or(|e| e.raw_os_error() == Some(LOOP_ERROR));
    if is_link && looped {
        return Diagnostic::file_error(
            shown,
            "this symbolic link leads round in a circle, back to itself or to a folder that holds it",
        )
        .with_help("delete the link, or point it at the file you meant");
    }
    if is_link && error.is_some_and(|e| e.kind() == io::ErrorKind::NotFound) {
        let target =
            fs::read_link(path).map_or_else(|_| "?".to_owned(), |t| t.display().to_string());
        return Diagnostic::file_error(
            shown,
            format!("this symbolic link leads to {target}, which does not exist"),
        )
        .with_help("delete the link, or point it at a file that exists");
    }
    let why = error.map_or_else(|| "it cannot be read".to_owned(), ToString::to_string);
    Diagnostic::file_error(shown, format!("cannot read this: {why}"))
        .with_help("check that the file exists and that you may read it")
}

/// `ELOOP`, which Linux and the BSDs report for a link that leads round in a circle.
#[cfg(target_os = "linux")]
const LOOP_ERROR: i32 = 40;
#[cfg(not(target_os = "linux"))]
const LOOP_ERROR: i32 = 62;

/// The problem with `shown`, which is of type `kind` and not an ordinary file.
fn not_a_file(shown: &Path, kind: fs::FileType) -> Diagnostic {
    let what = describe(kind);
    Diagnostic::file_error(
        shown,
        format!("this is {what}, not an ordinary file, so it cannot be read"),
    )
    .with_help("remove it, or move it out of the site folder")
}

fn describe(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// Refuses the file `path` (named `shown` in messages) unless it lies inside the folder
/// `within` of the site at `root` once every symbolic link on the way is followed.
pub(crate) fn inside(
    path: &Path,
    within: &Path,
    root: &Path,
    shown: &Path,
) -> Result<(), Diagnostic> {
    let scope = Scope::of(within, root).map_err(|failed| match failed {
        Unreachable::Refused(problem) => *problem,
        Unreachable::Io(error) => Diagnostic::file_error(
            relative_to(within, root),
            format!("cannot read this folder: {error}"),
        ),
    })?;
    match canonical(path, root) {
        Ok(target) => scope
            .refuses(&target, &relative_to(path, root), root)
            .map(|problem| Diagnostic {
                file: shown.to_path_buf(),
                ..problem
            })
            .map_or(Ok(()), Err),
        Err(Unreachable::Refused(problem)) => Err(*problem),
        // Missing or unreadable: reading it says so.
        Err(Unreachable::Io(_)) => Ok(()),
    }
}

/// Reads `path`, named `shown` in messages; anything but an ordinary file is an error, found
/// before the file is opened (opening a named pipe waits for a writer).
pub(crate) fn read_bytes(path: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    let cannot =
        |error: io::Error| Diagnostic::file_error(shown, format!("cannot read this file: {error}"));
    let kind = fs::metadata(path).map_err(cannot)?.file_type();
    if !kind.is_file() {
        return Err(not_a_file(shown, kind));
    }
    fs::read(path).map_err(cannot)
}

/// Reads `path` as UTF-8 text. `shown` is the name used in messages (relative to the site root).
/// A byte-order mark is dropped, and a line that ends in a lone carriage return (as files of
/// old Mac editors do) ends in a newline instead, so that its lines are counted as an editor
/// shows them. A file that is not UTF-8 is an error at the first bad byte, and so is a control
/// character (see the module doc).
pub(crate) fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = read_bytes(path, shown)?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            let text = lone_returns_as_newlines(text);
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

/// `text` with each carriage return that no newline follows made a newline: the same length,
/// so every offset into it stays where it was.
fn lone_returns_as_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let lone_return = c == '\r' && chars.peek() != Some(&'\n');
        out.push(if lone_return { '\n' } else { c });
    }
    out
}

/// A control character found in a text, and where.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Control {
    pub(crate) character: char,
    /// 1-based line and column (in characters).
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Control {
    /// The error for this character in `file`, whose text is `text`. The line is shown with the
    /// character made visible, since a terminal would swallow it.
    pub(crate) fn error(&self, file: &Path, text: &str) -> Diagnostic {
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
pub(crate) fn first_control(text: &str, allowed: &[char]) -> Option<Control> {
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
    fn a_lone_carriage_return_ends_a_line_and_a_windows_line_end_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, "# old Mac\rname: A\rbusiness: B\r\nrole: C\r").unwrap();
        let text = read_text(&path, Path::new("p.yaml")).unwrap();
        assert_eq!(text, "# old Mac\nname: A\nbusiness: B\r\nrole: C\n");
    }

    #[test]
    fn missing_file_is_a_file_error() {
        let error = read_text(Path::new("/nonexistent/x"), Path::new("x")).unwrap_err();
        assert_eq!(error.line, 0);
        assert!(error.message.contains("cannot read"));
    }
}
