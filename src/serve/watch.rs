//! Watching a site's inputs: notify, debounced by 20 ms, on the site folder (for `site.yaml`,
//! which editors replace rather than rewrite) and on `content/` and `themes/`, with editors'
//! swap, backup and lock files left out. When the system says it lost events, the whole site
//! is reported as changed.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::source::Diagnostic;

/// What a preview watches, relative to the site folder: reported as changed all together, they
/// make a project read everything again and rebuild what really changed.
pub const EVERY_INPUT: [&str; 3] = [crate::model::SITE_FILE, "content", "themes"];

/// Whether a changed path should trigger a rebuild: inputs only, not output or editor litter.
fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let editor_litter = name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('.') && name != ".gitignore");
    if editor_litter {
        return false;
    }
    EVERY_INPUT.iter().any(|input| relative.starts_with(input))
}

/// Creating, writing, renaming and deleting change what a build reads; opening and reading (our
/// own builds do plenty) do not.
fn changes_content(kind: &EventKind) -> bool {
    use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Modify(_) => true,
        _ => false,
    }
}

/// Watches the inputs of `root`, calls `ready` once the watches are in place, then
/// `on_change` after each burst of changes with the changed inputs, relative to `root`.
pub(super) fn watch(
    root: &Path,
    ready: impl FnOnce(),
    mut on_change: impl FnMut(&[PathBuf]),
) -> Result<(), Diagnostic> {
    let cannot_watch = |folder: &Path, error: notify_debouncer_full::notify::Error| {
        Diagnostic::file_error(folder, format!("cannot watch this folder for changes: {error}"))
            .with_help("on Linux, a system with many watched folders may need a higher `fs.inotify.max_user_watches`")
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let whole_site = root.clone();
    let (sender, receiver) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(
        Duration::from_millis(20),
        None,
        move |result: DebounceEventResult| {
            // When the system dropped events (too many at once) or the watcher failed, the
            // changed files are unknown: the site folder itself stands for all of them.
            let paths: Vec<PathBuf> = match result {
                Ok(events) if !events.iter().any(|e| e.event.need_rescan()) => events
                    .into_iter()
                    .filter(|e| changes_content(&e.event.kind))
                    .flat_map(|e| e.event.paths)
                    .collect(),
                _ => vec![whole_site.clone()],
            };
            if !paths.is_empty() {
                let _ = sender.send(paths);
            }
        },
    )
    .map_err(|e| cannot_watch(&root, e))?;
    // The site folder itself, not recursively, for `site.yaml`: editors save by writing a new
    // file and renaming it over the old one, which a watch on the file alone would not survive.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| cannot_watch(&root, e))?;
    let inputs: Vec<PathBuf> = EVERY_INPUT.iter().map(|input| root.join(input)).collect();
    for folder in inputs.iter().filter(|f| f.is_dir()) {
        debouncer
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| cannot_watch(folder, e))?;
    }
    ready();
    while let Ok(mut paths) = receiver.recv() {
        while let Ok(more) = receiver.try_recv() {
            paths.extend(more);
        }
        // A folder created, or replaced by a rename, needs watching anew.
        for folder in inputs.iter().filter(|f| paths.contains(f) && f.is_dir()) {
            let _ = debouncer.watch(folder, RecursiveMode::Recursive);
        }
        let mut changed: Vec<PathBuf> = if paths.contains(&root) {
            EVERY_INPUT.iter().map(PathBuf::from).collect()
        } else {
            paths
                .iter()
                .filter(|p| is_input(&root, p))
                .filter_map(|p| p.strip_prefix(&root).ok().map(Path::to_path_buf))
                .collect()
        };
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            on_change(&changed);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_litter_and_output_do_not_trigger_rebuilds() {
        let root = Path::new("/s");
        assert!(is_input(root, Path::new("/s/site.yaml")));
        assert!(is_input(root, Path::new("/s/content/partners/a.yaml")));
        assert!(is_input(
            root,
            Path::new("/s/themes/default/templates/base.html")
        ));
        for litter in [
            "/s/content/partners/.a.yaml.swp",
            "/s/content/partners/a.yaml~",
            "/s/content/.#a.yaml",
            "/s/content/4913",
            "/s/output/site/index.html",
            "/t/site.yaml",
        ] {
            assert!(!is_input(root, Path::new(litter)), "{litter}");
        }
    }
}
