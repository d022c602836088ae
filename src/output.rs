//! Writing the output folder atomically.
//!
//! A build writes every file into a staging folder beside the output folder, and only when all
//! of them are written swaps it in place of the old output. A build that fails at any point
//! (bad input, template error, write error) leaves the previous output exactly as it was.
//! The replaced output is kept as `.<name>.previous` beside it and reused as the next build's
//! staging folder, because overwriting a file is much cheaper than creating one.
//! The output folder carries a marker file; a folder without it that is not empty is never
//! replaced, so a mistyped `--out` cannot delete someone's documents.
//!
//! `build --watch` rewrites only what a save changed ([`write_changes`]): each file is written
//! to a temporary name beside it and renamed over the old one, so a reader sees the old file or
//! the new one, never half of one.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::site::OutputFile;
use crate::source::Diagnostic;

/// Marks a folder as written by advocate, and so safe to replace.
pub const MARKER: &str = ".advocate-output";

/// Refuses an output folder that would overwrite the site's own files, or anything else.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root =
        resolve(root).map_err(|e| refuse(out, &format!("cannot resolve the site folder: {e}")))?;
    let out_resolved =
        resolve(out).map_err(|e| refuse(out, &format!("cannot resolve this folder: {e}")))?;
    if out_resolved.parent().is_none() {
        return Err(refuse(
            out,
            "the output folder cannot be the root of the file system",
        ));
    }
    if root.starts_with(&out_resolved) {
        return Err(refuse(
            out,
            "the output folder cannot be the site folder or a folder that contains it",
        ));
    }
    for protected in ["content", "themes"] {
        if out_resolved.starts_with(root.join(protected)) {
            return Err(refuse(
                out,
                &format!("the output folder cannot be inside {protected}/"),
            ));
        }
    }
    if out_resolved == root.join("site.yaml") {
        return Err(refuse(out, "the output folder cannot be site.yaml"));
    }
    if out_resolved.exists() {
        if !out_resolved.is_dir() {
            return Err(refuse(out, "this is a file, not a folder"));
        }
        let empty = fs::read_dir(&out_resolved)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out_resolved.join(MARKER).is_file() {
            return Err(refuse(
                out,
                "this folder is not empty and was not written by advocate; it will not be replaced",
            ));
        }
    }
    Ok(())
}

fn refuse(out: &Path, why: &str) -> Diagnostic {
    Diagnostic::file_error(out, format!("refusing to write output here: {why}")).with_help(
        "choose another folder with `--out DIR`, e.g. the default `output` inside the site",
    )
}

/// An absolute path with `.` and `..` removed and symbolic links of the existing part resolved.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize()?;
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => resolved.push(name),
        }
    }
    Ok(resolved)
}

/// The hidden folder beside `out` that keeps the previous build for the next one to reuse.
pub fn previous_dir(out: &Path) -> PathBuf {
    beside(out, "previous")
}

fn beside(out: &Path, what: &str) -> PathBuf {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    parent.join(format!(".{name}.{what}"))
}

/// Writes `files` (paths relative to `out`) and replaces `out` with them in one step.
///
/// Creating a file costs far more than overwriting one on many file systems, so the staging
/// folder is the build before last when there is one (kept beside `out` as `.<name>.previous`):
/// its files are overwritten, the ones no longer produced are removed, and after the swap the
/// replaced output becomes the next build's staging folder.
pub fn write_atomically(out: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let fail = |what: &str, error: io::Error| {
        Diagnostic::file_error(out, format!("{what}: {error}"))
            .with_help("check that the folder is writable and the disk is not full; the previous output was left as it was")
    };
    let staging = beside(out, &format!("staging-{}", std::process::id()));
    let previous = previous_dir(out);
    if let Some(parent) = staging.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| fail("cannot create the output's parent folder", e))?;
    }
    remove_if_present(&staging).map_err(|e| fail("cannot clear an old staging folder", e))?;
    if previous.join(MARKER).is_file() {
        fs::rename(&previous, &staging).map_err(|e| fail("cannot reuse the previous build", e))?;
    } else {
        remove_if_present(&previous).map_err(|e| fail("cannot clear the previous build", e))?;
    }

    if let Err(error) = write_all(&staging, files) {
        let _ = remove_if_present(&staging);
        return Err(fail("cannot write the output", error));
    }
    let had_output = out.exists();
    if had_output && let Err(error) = fs::rename(out, &previous) {
        let _ = remove_if_present(&staging);
        return Err(fail("cannot move the previous output aside", error));
    }
    if let Err(error) = fs::rename(&staging, out) {
        if had_output {
            let _ = fs::rename(&previous, out);
        }
        let _ = remove_if_present(&staging);
        return Err(fail("cannot put the new output in place", error));
    }
    Ok(())
}

/// Updates the output folder `out`, already written by a build, after a rebuild: writes the
/// `written` files of `files` and deletes the `removed` ones (paths relative to `out`).
pub fn write_changes(
    out: &Path,
    files: &crate::build::Files,
    written: &[PathBuf],
    removed: &[PathBuf],
) -> Result<(), Diagnostic> {
    let fail = |path: &Path, error: io::Error| {
        Diagnostic::file_error(out.join(path), format!("cannot update the output: {error}"))
            .with_help("check that the folder is writable and the disk is not full; the next save writes the whole output again")
    };
    // Removals first: a file that became a folder, or a folder that became a file, needs its
    // old self out of the way.
    for path in removed {
        match fs::remove_file(out.join(path)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(fail(path, error)),
            _ => {}
        }
        let mut folder = out.join(path);
        while folder.pop() && folder != out && fs::remove_dir(&folder).is_ok() {}
    }
    written.par_iter().try_for_each(|path| {
        let Some(bytes) = files.get(path) else {
            return Ok(());
        };
        let target = out.join(path);
        let temporary = target.with_file_name(format!(
            ".{}.advocate-new",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        let write = || -> io::Result<()> {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&temporary, bytes)?;
            fs::rename(&temporary, &target)
        };
        write().map_err(|error| {
            let _ = fs::remove_file(&temporary);
            fail(path, error)
        })
    })
}

/// Makes `staging` hold exactly `files` and the marker, overwriting what it already holds.
fn write_all(staging: &Path, files: &[OutputFile]) -> io::Result<()> {
    fs::create_dir_all(staging)?;
    let wanted: HashSet<PathBuf> = files
        .iter()
        .map(|f| f.path.clone())
        .chain(std::iter::once(PathBuf::from(MARKER)))
        .collect();
    let folders: HashSet<PathBuf> = files
        .iter()
        .flat_map(|f| f.path.ancestors().skip(1).map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    let mut stale_folders = Vec::new();
    for entry in walkdir::WalkDir::new(staging)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry
            .path()
            .strip_prefix(staging)
            .map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            if !folders.contains(relative) {
                stale_folders.push(entry.path().to_path_buf());
            }
        } else if !wanted.contains(relative) {
            fs::remove_file(entry.path())?;
        }
    }
    for folder in stale_folders {
        remove_if_present(&folder)?;
    }
    let mut sorted: Vec<&PathBuf> = folders.iter().collect();
    sorted.sort();
    for folder in sorted {
        fs::create_dir_all(staging.join(folder))?;
    }
    fs::write(
        staging.join(MARKER),
        "Written by advocate; replaced by every build.\n",
    )?;
    files
        .par_iter()
        .try_for_each(|file| fs::write(staging.join(&file.path), &file.bytes))
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text.as_bytes())
    }

    #[test]
    fn replaces_the_whole_output_and_keeps_only_the_previous_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let names = || {
            let mut names: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            names
        };
        let first = [file("site/a.html", "one"), file("site/gone/old.html", "x")];
        write_atomically(&out, &first).unwrap();
        assert_eq!(names(), ["output"]);
        for round in ["two", "three", "four"] {
            let files = [file("site/a.html", round), file("site/b/c.html", round)];
            write_atomically(&out, &files).unwrap();
            assert_eq!(fs::read_to_string(out.join("site/a.html")).unwrap(), round);
            assert_eq!(
                fs::read_to_string(out.join("site/b/c.html")).unwrap(),
                round
            );
            assert!(
                !out.join("site/gone").exists(),
                "stale files and folders go"
            );
            assert!(out.join(MARKER).is_file());
            assert_eq!(names(), [".output.previous", "output"]);
        }
        let count = walkdir::WalkDir::new(&out).into_iter().count();
        assert_eq!(count, 6, "output, marker, site, a.html, b, c.html");
    }

    #[test]
    fn a_write_error_leaves_the_previous_output_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[file("site/a.html", "one")]).unwrap();
        let too_long = format!("site/{}.html", "x".repeat(300));
        let error = write_atomically(&out, &[file("site/a.html", "two"), file(&too_long, "y")])
            .unwrap_err();
        assert!(
            error.message.starts_with("cannot write the output"),
            "{error:?}"
        );
        assert_eq!(fs::read_to_string(out.join("site/a.html")).unwrap(), "one");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["output"]);
    }

    #[test]
    fn changes_are_written_in_place_even_where_a_file_becomes_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(
            &out,
            &[file("site/img", "a file"), file("site/a.html", "one")],
        )
        .unwrap();
        let files = |pairs: &[(&str, &str)]| -> crate::build::Files {
            pairs
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.as_bytes().into()))
                .collect()
        };
        let paths = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
        let now = files(&[("site/img/a.css", "css"), ("site/a.html", "two")]);
        write_changes(
            &out,
            &now,
            &paths(&["site/img/a.css", "site/a.html"]),
            &paths(&["site/img"]),
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(out.join("site/img/a.css")).unwrap(),
            "css"
        );
        assert_eq!(fs::read_to_string(out.join("site/a.html")).unwrap(), "two");
        let now = files(&[("site/img", "a file again"), ("site/a.html", "two")]);
        write_changes(
            &out,
            &now,
            &paths(&["site/img"]),
            &paths(&["site/img/a.css"]),
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(out.join("site/img")).unwrap(),
            "a file again"
        );
        let leftovers = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".advocate-new"))
            .count();
        assert_eq!(leftovers, 0, "no temporary files are left behind");
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content/guide")).unwrap();
        fs::create_dir_all(root.join("themes")).unwrap();
        fs::create_dir_all(dir.path().join("documents")).unwrap();
        fs::write(dir.path().join("documents/cv.txt"), "mine").unwrap();
        for bad in [
            root.clone(),
            dir.path().to_path_buf(),
            root.join("content"),
            root.join("content/guide/out"),
            root.join("themes/x"),
            root.join("output/../content"),
            PathBuf::from("/"),
            dir.path().join("documents"),
        ] {
            assert!(check_out_dir(&root, &bad).is_err(), "{}", bad.display());
        }
        for good in [root.join("output"), dir.path().join("elsewhere/out")] {
            assert!(check_out_dir(&root, &good).is_ok(), "{}", good.display());
        }
    }
}
