//! Live preview: `advocate serve` and `advocate build --watch`.
//!
//! A `watch`er passes every save to `site.yaml`, `content/` or `themes/`, editors' temporary
//! files aside, to a [`Project`], which re-reads what the save touched and re-renders only what
//! depends on it. `serve` hands each good build to the `http` side, which answers from memory
//! and tells open tabs to reload, and each failed one as an error to show in place of the page;
//! `build --watch` writes what changed into the output folder instead.

mod http;
mod watch;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::artifact::{PRIVATE_DIR, PUBLIC_DIR, listed};
use crate::engine::{Options, Project};
use crate::output::{self, LockedOutput, Writer};
use crate::source::diagnostic::relative_to;
use crate::source::{Diagnostic, Diagnostics};
use http::Shared;
pub use watch::EVERY_INPUT;
use watch::watch;

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub address: SocketAddr,
    /// Serve the public site instead of the private one.
    pub public: bool,
    pub build: Options,
}

fn report(problems: &Diagnostics, root: &Path) -> String {
    problems
        .iter()
        .map(|p| p.clone().under(root).render(false))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// What the public preview's pages show of a failed build: where each error is, and what it
/// is only where that cannot be private. A message about a partner file or `site.yaml` can
/// quote what was written there (`\`Secret lover\` is not one of the allowed values`), and a
/// partner file's name is the partner's id, usually their name; so for those the page gives
/// the line and column, and no name or message. Suggestions and warnings are left out too.
/// The terminal shows everything.
fn public_report(problems: &Diagnostics, root: &Path) -> String {
    let partners = relative_to(&crate::model::partners_dir(root), root);
    problems
        .errors()
        .map(|p| {
            let place = match (p.line, p.column) {
                (0, _) => String::new(),
                (line, 0) => format!(", line {line}"),
                (line, column) => format!(", line {line}, column {column}"),
            };
            if p.file.starts_with(&partners) {
                format!("error in one of the partner files{place}")
            } else if p.file == Path::new(crate::model::SITE_FILE) {
                format!("error in site.yaml{place}")
            } else {
                let p = p.clone().under(root);
                format!("error: {}\n --> {}", p.message, p.location())
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Prints each warning once, when it first appears, rather than after every save.
#[derive(Default)]
struct WarningPrinter {
    /// The location and message of every warning that stands.
    shown: HashSet<String>,
}

impl WarningPrinter {
    fn print(&mut self, warnings: &Diagnostics, root: &Path) {
        let mut now = HashSet::new();
        for warning in warnings.iter() {
            let key = format!("{}: {}", warning.location(), warning.message);
            if !self.shown.contains(&key) {
                eprintln!("{}\n", warning.clone().under(root).render(false));
            }
            now.insert(key);
        }
        self.shown = now;
    }
}

/// A build of `project` in the preview: the files of the served site are swapped in whole and
/// `reload` is sent after a success that changed something or cleared an error; after a
/// failure the error is kept for the pages to show and `error` is sent.
struct Preview {
    root: PathBuf,
    project: Project,
    /// `site/` or `private/`: the part of the output that is served.
    prefix: &'static str,
    /// Whether that is the public site, whose error pages show less.
    public: bool,
    shared: Shared,
    warnings: WarningPrinter,
}

impl Preview {
    fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        self.project.refresh(changed);
        match self.project.build() {
            Ok(changes) => {
                self.warnings.print(&changes.warnings, &self.root);
                let unchanged = changes.written.is_empty() && changes.removed.is_empty();
                if unchanged && !self.shared.shows_error() && !changed.is_empty() {
                    println!("no change to the site");
                    return;
                }
                let prefix = self.prefix;
                let inside = |path: &Path| {
                    path.strip_prefix(prefix)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                };
                let all = self.project.files();
                self.shared.publish(|files| {
                    for path in &changes.removed {
                        if let Some(path) = inside(path) {
                            files.remove(&path);
                        }
                    }
                    for path in &changes.written {
                        if let (Some(inside), Some(bytes)) = (inside(path), all.get(path)) {
                            files.insert(inside, bytes.clone());
                        }
                    }
                });
                println!(
                    "{} in {} ms: {} parts rendered, {} files changed, {} removed",
                    if changed.is_empty() {
                        "built"
                    } else {
                        "rebuilt"
                    },
                    started.elapsed().as_millis(),
                    changes.rendered,
                    changes.written.len(),
                    changes.removed.len()
                );
            }
            Err(problems) => {
                let text = report(&problems, &self.root);
                eprintln!("{text}\n");
                self.shared.fail(if self.public {
                    public_report(&problems, &self.root)
                } else {
                    text
                });
            }
        }
    }
}

/// `advocate build --watch`: builds `out`, then after every change rewrites the files the change
/// affects (each one whole, through a temporary file), until interrupted. A bad save writes
/// nothing.
pub fn build_and_watch(root: &Path, out: &Path, options: Options) -> Result<(), Diagnostic> {
    let from_here = |p: Diagnostic| p.named_from_site(root).under(root);
    let render = |p: Diagnostic| from_here(p).render(false);
    output::check_out_dir(root, out).map_err(from_here)?;
    let output = LockedOutput::take(out, Writer::Watch, |waiting| eprintln!("{waiting}"))
        .map_err(from_here)?;
    for folder in output.cleared() {
        println!("{}", LockedOutput::cleared_message(folder));
    }
    if let Some(warning) = output::uncovered_leftovers(root, out) {
        eprintln!("{}\n", render(warning));
    }
    let mut project = Project::open(root, options);
    let mut warnings = WarningPrinter::default();
    let mut written_once = false;
    let mut run = |changed: &[PathBuf]| {
        let started = Instant::now();
        project.refresh(changed);
        let changes = match project.build() {
            Ok(changes) => changes,
            Err(problems) => {
                eprintln!(
                    "{}\n\nthe previous output was left as it was",
                    report(&problems, root)
                );
                return;
            }
        };
        warnings.print(&changes.warnings, root);
        let written = if written_once {
            output.update(project.files(), &changes.written, &changes.removed)
        } else {
            output.replace(&listed(project.files()))
        };
        match written {
            Ok(()) => {
                written_once = true;
                println!(
                    "built into {} in {} ms: {} files changed, {} removed",
                    out.display(),
                    started.elapsed().as_millis(),
                    changes.written.len(),
                    changes.removed.len()
                );
            }
            Err(problem) => {
                // What is on disk is now not what the project holds: write it all next time.
                written_once = false;
                eprintln!("{}", render(problem));
            }
        }
    };
    run(&[]);
    let ready = || println!("watching {} for changes (Ctrl-C to stop)", root.display());
    watch(root, ready, run).map_err(from_here)
}

/// `advocate serve`: builds, serves, watches. `on_ready` gets the address actually bound.
pub fn serve(
    root: &Path,
    options: ServeOptions,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), Diagnostic> {
    let shared = Shared::new(options.public);
    let mut preview = Preview {
        root: root.to_path_buf(),
        project: Project::open(root, options.build),
        public: options.public,
        prefix: if options.public {
            PUBLIC_DIR
        } else {
            PRIVATE_DIR
        },
        shared: shared.clone(),
        warnings: WarningPrinter::default(),
    };
    preview.rebuild(&[]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::general(format!("cannot start the preview: {e}")))?;
    let cannot_listen = |e: std::io::Error| {
        Diagnostic::general(format!("cannot listen on {}: {e}", options.address)).with_help(
            "if another preview is running there, stop it, or choose another port with `--port N`",
        )
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(options.address))
        .map_err(cannot_listen)?;
    let address = listener.local_addr().map_err(cannot_listen)?;
    runtime.spawn(http::run(listener, http::router(shared)));
    watch(
        root,
        || on_ready(address),
        |changed| preview.rebuild(changed),
    )
    .map_err(|p| p.under(root))
}
