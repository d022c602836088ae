//! Writing the output folder: one writer at a time, atomically, leaving nothing behind.
//!
//! **One writer.** Every build takes an exclusive lock on `.<name>.lock` beside the output folder
//! ([`LockedOutput::take`]) before it writes, so two builds of one site never trip over each other:
//! a second `advocate build` waits for the first, and is told plainly when the holder is an
//! `advocate build --watch`, which never finishes. The lock is the operating system's
//! (`File::try_lock`), so it goes with the process, however the process ends.
//!
//! **Atomic.** A build writes every file into a staging folder beside the output folder, and only
//! when all of them are written swaps it in place of the old output. A build that fails at any
//! point (bad input, template error, write error) leaves the previous output exactly as it was.
//! The replaced output is kept as `.<name>.previous` beside it and reused as the next build's
//! staging folder, because overwriting a file is much cheaper than creating one.
//!
//! **Nothing left behind.** The staging folder holds a private copy of everything. A build that
//! is killed leaves it there; since only the lock's holder writes, whoever takes the lock next
//! knows any staging folder it finds is stale and removes it, saying so. Folders a build cannot
//! remove because someone made them read-only are made writable first: advocate wrote them.
//! Every name written beside the output folder starts with `.<name>.`, so one `.gitignore` line
//! (`/.output.*`, which `advocate init` writes) keeps them all out of version control.
//!
//! The output folder carries a marker file; a folder without it that is not empty is never
//! replaced, so a mistyped `--out` cannot delete someone's documents.
//!
//! `build --watch` rewrites only what a save changed ([`LockedOutput::update`]): each file is
//! written to a temporary name beside it and renamed over the old one, so a reader sees the old
//! file or the new one, never half of one.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::artifact::{Files, OutputFile};
use crate::source::Diagnostic;

/// Marks a folder as written by advocate, and so safe to replace.
pub(crate) const MARKER: &str = ".advocate-output";

/// Refuses an output folder that would overwrite the site's own files, or anything else.
pub(crate) fn check_out_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
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
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
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

/// What a writer of the output folder is, as its lock file tells a second one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writer {
    /// `advocate build`: finishes, so a second build waits for it.
    Build,
    /// `advocate build --watch`: runs until stopped, so a second build is refused.
    Watch,
}

impl Writer {
    fn tag(self) -> &'static str {
        match self {
            Writer::Build => "build",
            Writer::Watch => "watch",
        }
    }

    fn command(self) -> &'static str {
        match self {
            Writer::Build => "advocate build",
            Writer::Watch => "advocate build --watch",
        }
    }
}

/// The output folder, locked for writing: while this lives no other build writes it.
#[derive(Debug)]
pub struct LockedOutput {
    out: PathBuf,
    /// Held for the lock, which dropping this releases.
    lock: Option<fs::File>,
    cleared: Vec<PathBuf>,
}

impl Drop for LockedOutput {
    /// Unlocks before the file closes: closing alone leaves the lock held while a copy of the
    /// descriptor lives on, as it does in a child process forked by another thread of this one
    /// that has not yet started its program (seen in the tests, which build in parallel).
    fn drop(&mut self) {
        if let Some(lock) = &self.lock {
            // A failure leaves the lock to go with the file when it closes, just after.
            let _ = lock.unlock();
        }
    }
}

impl LockedOutput {
    /// Takes the lock of the output folder `out` for `writer`, then removes what builds that
    /// were stopped halfway left beside it. When another build holds the lock, `on_wait` is
    /// told who, and this waits for it; when a `build --watch` holds it, this is an error.
    pub(crate) fn take(
        out: &Path,
        writer: Writer,
        on_wait: impl FnOnce(&str),
    ) -> Result<LockedOutput, Diagnostic> {
        // One folder, one lock, however it is spelled or linked to.
        let out = &resolve(out).map_err(|e| {
            Diagnostic::file_error(out, format!("cannot find the output folder: {e}"))
        })?;
        let path = beside(out, "lock");
        let fail = |what: &str, error: io::Error| {
            Diagnostic::file_error(&path, format!("{what}: {error}")).with_help(
                "check that the folder is writable; advocate keeps this small file beside the output folder so that two builds never write it at once",
            )
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| fail("cannot create the output's parent folder", e))?;
        }
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| fail("cannot open the output's lock file", e))?;
        let locked = match file.try_lock() {
            Ok(()) => true,
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = io::Read::read_to_string(&mut file, &mut holder);
                let holder = holder.trim_matches(|c: char| c == '\0' || c.is_whitespace());
                let (tag, process) = holder.split_once(' ').unwrap_or(("build", "?"));
                if tag == Writer::Watch.tag() {
                    return Err(Diagnostic::file_error(
                        out,
                        format!(
                            "`{}` (process {process}) is keeping this folder up to date",
                            Writer::Watch.command()
                        ),
                    )
                    .with_help(
                        "it rebuilds after every save, so there is nothing to do; to build here yourself, stop it first (Ctrl-C in its window), or build into another folder with `--out DIR`",
                    ));
                }
                on_wait(&format!(
                    "another `{}` (process {process}) is writing {}: waiting for it to finish",
                    Writer::Build.command(),
                    out.display()
                ));
                file.lock()
                    .map_err(|e| fail("cannot lock the output folder", e))?;
                true
            }
            // A file system without locks (some network drives): build unlocked rather than not
            // at all.
            Err(fs::TryLockError::Error(error)) if error.kind() == io::ErrorKind::Unsupported => {
                false
            }
            Err(fs::TryLockError::Error(error)) => {
                return Err(fail("cannot lock the output folder", error));
            }
        };
        if !locked {
            // Without a lock, a staging folder may be another build's, still being written.
            return Ok(LockedOutput {
                out: out.to_path_buf(),
                lock: None,
                cleared: Vec::new(),
            });
        }
        let holder = format!("{} {}\n", writer.tag(), std::process::id());
        let written = file
            .set_len(0)
            .and_then(|()| io::Seek::seek(&mut file, io::SeekFrom::Start(0)))
            .and_then(|_| io::Write::write_all(&mut file, holder.as_bytes()));
        written.map_err(|e| fail("cannot write the output's lock file", e))?;
        let cleared = clear_leftovers(out).map_err(|(path, error)| {
            Diagnostic::file_error(
                &path,
                format!("cannot remove what an interrupted build left here: {error}"),
            )
            .with_help(
                "it is a copy of your output, private pages included: delete this folder yourself",
            )
        })?;
        Ok(LockedOutput {
            out: out.to_path_buf(),
            lock: Some(file),
            cleared,
        })
    }

    /// The folders that builds stopped halfway had left, removed when the lock was taken.
    pub(crate) fn cleared(&self) -> &[PathBuf] {
        &self.cleared
    }

    /// What to tell the user about a folder of [`LockedOutput::cleared`].
    pub fn cleared_message(folder: &Path) -> String {
        format!(
            "removed {}: an unfinished copy of the output, left by a build that was stopped",
            folder.display()
        )
    }

    /// Writes `files` (paths relative to the output folder) and replaces the folder with them
    /// in one step.
    ///
    /// Creating a file costs far more than overwriting one on many file systems, so the staging
    /// folder is the build before last when there is one (kept beside the output folder as
    /// `.<name>.previous`): its files are overwritten, the ones no longer produced are removed,
    /// and after the swap the replaced output becomes the next build's staging folder.
    pub(crate) fn replace(&self, files: &[OutputFile]) -> Result<(), Diagnostic> {
        let out = self.out.as_path();
        let fail = |what: &str, error: io::Error| {
            Diagnostic::file_error(out, format!("{what}: {error}"))
                .with_help("check that the folder is writable and the disk is not full; the previous output was left as it was")
        };
        let staging = beside(out, "staging");
        let previous = beside(out, "previous");
        remove_tree(&staging).map_err(|e| fail("cannot clear an old staging folder", e))?;
        let reused = previous.join(MARKER).is_file();
        if reused {
            fs::rename(&previous, &staging)
                .map_err(|e| fail("cannot reuse the previous build", e))?;
        } else {
            remove_tree(&previous).map_err(|e| fail("cannot clear the previous build", e))?;
        }

        let mut written = write_all(&staging, files);
        if written.is_err() && reused {
            // The previous build may hold what cannot be overwritten (files made read-only):
            // start again from an empty folder.
            written = remove_tree(&staging).and_then(|()| write_all(&staging, files));
        }
        if let Err(error) = written {
            return Err(self.abandon(&staging, fail("cannot write the output", error)));
        }
        let had_output = out.exists();
        if had_output && let Err(error) = fs::rename(out, &previous) {
            return Err(self.abandon(
                &staging,
                fail("cannot move the previous output aside", error),
            ));
        }
        if let Err(error) = fs::rename(&staging, out) {
            if had_output {
                let _ = fs::rename(&previous, out);
            }
            return Err(self.abandon(&staging, fail("cannot put the new output in place", error)));
        }
        Ok(())
    }

    /// Removes the staging folder of a failed write; `problem` says why it failed, and also
    /// where the staging folder is if it cannot be removed either.
    fn abandon(&self, staging: &Path, problem: Diagnostic) -> Diagnostic {
        match remove_tree(staging) {
            Ok(()) => problem,
            Err(error) => Diagnostic {
                help: Some(format!(
                    "{}; the unfinished copy {} could not be removed ({error}): the next build removes it, or delete it yourself",
                    problem.help.as_deref().unwrap_or_default(),
                    staging.display()
                )),
                ..problem
            },
        }
    }

    /// Updates the output folder, already written by a build, after a rebuild: writes the
    /// `written` files of `files` and deletes the `removed` ones (paths relative to the output
    /// folder).
    pub(crate) fn update(
        &self,
        files: &Files,
        written: &[PathBuf],
        removed: &[PathBuf],
    ) -> Result<(), Diagnostic> {
        let out = self.out.as_path();
        let fail = |path: &Path, error: io::Error| {
            Diagnostic::file_error(out.join(path), format!("cannot update the output: {error}"))
                .with_help("check that the folder is writable and the disk is not full; the next save writes the whole output again")
        };
        // Removals first: a file that became a folder, or a folder that became a file, needs
        // its old self out of the way.
        for path in removed {
            match fs::remove_file(out.join(path)) {
                Err(error) if error.kind() != io::ErrorKind::NotFound => {
                    return Err(fail(path, error));
                }
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
}

/// A warning when the site's `.gitignore` keeps the output folder `out` out of git but not the
/// copies a build keeps beside it (`.output.previous`, and a stopped build's staging folder),
/// as the `.gitignore` of sites made before those were covered does. `None` when all is well,
/// or when the site has no `.gitignore` or keeps its output elsewhere.
pub(crate) fn uncovered_leftovers(root: &Path, out: &Path) -> Option<Diagnostic> {
    let name = folder_name(out);
    let beside_root = out.parent().and_then(|p| p.canonicalize().ok()) == root.canonicalize().ok();
    let text = fs::read_to_string(root.join(".gitignore")).ok()?;
    let patterns: Vec<&str> = text
        .lines()
        .map(|l| l.trim().trim_start_matches('/').trim_end_matches('/'))
        .collect();
    let covers_output = patterns.contains(&name.as_str());
    let prefix = format!(".{name}.");
    let covers_copies = patterns.iter().any(|p| {
        *p == ".*"
            || p.strip_suffix('*')
                .is_some_and(|stem| prefix.starts_with(stem) && stem.starts_with('.'))
    });
    (beside_root && covers_output && !covers_copies).then(|| {
        Diagnostic::file_error(
            ".gitignore",
            format!("this keeps {name}/ out of git, but not the copies of it a build keeps beside it"),
        )
        .with_help(format!(
            "add a line `/.{name}.*`: `.{name}.previous` and the folder a stopped build leaves hold private pages too"
        ))
        .warning()
    })
}

/// `.<name>.<what>` beside the output folder `out`.
fn beside(out: &Path, what: &str) -> PathBuf {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{}.{what}", folder_name(out)))
}

fn folder_name(out: &Path) -> String {
    out.file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned())
}

/// Removes every staging folder beside `out`: the one of a build stopped before its swap
/// (`.<name>.staging`), and those named after their process by earlier versions
/// (`.<name>.staging-<pid>`). Only the lock's holder may call this. Returns what it removed.
fn clear_leftovers(out: &Path) -> Result<Vec<PathBuf>, (PathBuf, io::Error)> {
    let staging = beside(out, "staging");
    let Some(prefix) = staging
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        return Ok(Vec::new());
    };
    let parent = staging.parent().unwrap_or(Path::new("."));
    let entries = match fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err((parent.to_path_buf(), error)),
    };
    let mut cleared = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_leftover = name == prefix
            || name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if is_leftover && entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&entry.path()).map_err(|e| (entry.path(), e))?;
            cleared.push(entry.path());
        }
    }
    cleared.sort();
    Ok(cleared)
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
        remove_tree(&folder)?;
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

/// Removes the folder `path` and everything in it, if it is there. Folders that were made
/// read-only are made writable first: advocate wrote them, and a leftover must not stay for that.
fn remove_tree(path: &Path) -> io::Result<()> {
    let removed = match fs::remove_dir_all(path) {
        Err(error) if error.kind() == io::ErrorKind::PermissionDenied => {
            for entry in walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_dir() {
                    make_writable(entry.path())?;
                }
            }
            fs::remove_dir_all(path)
        }
        other => other,
    };
    match removed {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Lets the owner change what is inside the folder `path`.
fn make_writable(path: &Path) -> io::Result<()> {
    let mut permissions = fs::metadata(path)?.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        permissions.set_mode(permissions.mode() | 0o700);
    }
    #[cfg(not(unix))]
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    fs::set_permissions(path, permissions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text.as_bytes())
    }

    fn locked(out: &Path) -> LockedOutput {
        LockedOutput::take(out, Writer::Build, |waiting| panic!("{waiting}")).unwrap()
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
        locked(&out).replace(&first).unwrap();
        assert_eq!(names(), [".output.lock", "output"]);
        for round in ["two", "three", "four"] {
            let files = [file("site/a.html", round), file("site/b/c.html", round)];
            locked(&out).replace(&files).unwrap();
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
            assert_eq!(names(), [".output.lock", ".output.previous", "output"]);
        }
        let count = walkdir::WalkDir::new(&out).into_iter().count();
        assert_eq!(count, 6, "output, marker, site, a.html, b, c.html");
    }

    #[test]
    fn a_write_error_leaves_the_previous_output_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let output = locked(&out);
        output.replace(&[file("site/a.html", "one")]).unwrap();
        let too_long = format!("site/{}.html", "x".repeat(300));
        let error = output
            .replace(&[file("site/a.html", "two"), file(&too_long, "y")])
            .unwrap_err();
        assert!(
            error.message.starts_with("cannot write the output"),
            "{error:?}"
        );
        assert_eq!(fs::read_to_string(out.join("site/a.html")).unwrap(), "one");
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, [".output.lock", "output"]);
    }

    #[test]
    fn changes_are_written_in_place_even_where_a_file_becomes_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let output = locked(&out);
        output
            .replace(&[file("site/img", "a file"), file("site/a.html", "one")])
            .unwrap();
        let files = |pairs: &[(&str, &str)]| -> Files {
            pairs
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.as_bytes().into()))
                .collect()
        };
        let paths = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
        let now = files(&[("site/img/a.css", "css"), ("site/a.html", "two")]);
        output
            .update(
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
        output
            .update(&now, &paths(&["site/img"]), &paths(&["site/img/a.css"]))
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
    fn taking_the_lock_removes_what_stopped_builds_left_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        for leftover in [".output.staging", ".output.staging-4242"] {
            fs::create_dir_all(dir.path().join(leftover).join("private")).unwrap();
            fs::write(dir.path().join(leftover).join("private/x.html"), "secret").unwrap();
        }
        for kept in [".output.staging-notes", ".other.staging", "output.staging"] {
            fs::create_dir_all(dir.path().join(kept)).unwrap();
        }
        let output = locked(&out);
        assert_eq!(
            output.cleared(),
            [
                dir.path().join(".output.staging"),
                dir.path().join(".output.staging-4242")
            ]
        );
        for kept in [".output.staging-notes", ".other.staging", "output.staging"] {
            assert!(dir.path().join(kept).is_dir(), "{kept} is not advocate's");
        }
        drop(output);
        assert!(locked(&out).cleared().is_empty());
    }

    #[test]
    fn a_second_writer_waits_for_a_build_and_is_refused_by_a_watch() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let first = locked(&out);
        let (sender, receiver) = std::sync::mpsc::channel();
        let waiter = {
            let out = out.clone();
            std::thread::spawn(move || {
                let output = LockedOutput::take(&out, Writer::Build, |message| {
                    sender.send(message.to_owned()).unwrap()
                })
                .unwrap();
                output.replace(&[file("site/a.html", "second")]).unwrap();
            })
        };
        let message = receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap();
        assert!(
            message.contains(&format!(
                "another `advocate build` (process {})",
                std::process::id()
            )),
            "{message}"
        );
        first.replace(&[file("site/a.html", "first")]).unwrap();
        drop(first);
        waiter.join().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(".output.lock")).unwrap(),
            format!("build {}\n", std::process::id()),
            "a writer that waited leaves its own tag, and nothing before it"
        );
        assert_eq!(
            fs::read_to_string(out.join("site/a.html")).unwrap(),
            "second"
        );

        let watch = LockedOutput::take(&out, Writer::Watch, |m| panic!("{m}")).unwrap();
        // However the folder is named, it is the same folder and the same lock.
        #[cfg(unix)]
        {
            let link = dir.path().join("outlink");
            std::os::unix::fs::symlink(&out, &link).unwrap();
            let refused = LockedOutput::take(&link, Writer::Build, |m| panic!("{m}")).unwrap_err();
            assert!(refused.message.contains("--watch"), "{refused:?}");
            let spelled = dir.path().join("x/../output");
            assert!(LockedOutput::take(&spelled, Writer::Build, |m| panic!("{m}")).is_err());
        }
        let refused = LockedOutput::take(&out, Writer::Build, |m| panic!("{m}")).unwrap_err();
        assert!(
            refused
                .message
                .contains("`advocate build --watch` (process"),
            "{refused:?}"
        );
        assert!(refused.help.unwrap().contains("--out DIR"));
        drop(watch);
    }

    #[cfg(unix)]
    #[test]
    fn read_only_leftovers_are_removed_too() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let leftover = dir.path().join(".output.staging-7/private/partners");
        fs::create_dir_all(&leftover).unwrap();
        fs::write(leftover.join("a.html"), "secret").unwrap();
        for folder in [
            leftover.as_path(),
            leftover.parent().unwrap(),
            &dir.path().join(".output.staging-7"),
        ] {
            fs::set_permissions(folder, fs::Permissions::from_mode(0o555)).unwrap();
        }
        remove_tree(&dir.path().join(".output.staging-7")).unwrap();
        assert!(!dir.path().join(".output.staging-7").exists());
    }

    #[test]
    fn an_old_gitignore_that_leaves_the_copies_out_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let warned = |gitignore: &str| {
            fs::write(dir.path().join(".gitignore"), gitignore).unwrap();
            uncovered_leftovers(dir.path(), &out).is_some()
        };
        assert!(warned("/output/\n/.output.previous/\n"));
        assert!(warned("output\n"));
        for fine in [
            "/output/\n/.output.*\n",
            "output/\n.output*\n",
            "/output/\n.*\n",
            "notes/\n",
        ] {
            assert!(!warned(fine), "{fine:?}");
        }
        fs::remove_file(dir.path().join(".gitignore")).unwrap();
        assert!(uncovered_leftovers(dir.path(), &out).is_none());
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
