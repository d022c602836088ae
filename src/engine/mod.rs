//! The engine: every build of a site, one-off or in the preview. It loads and checks the site,
//! renders both sites and the PDFs, and writes them atomically.
//!
//! Every build goes through a [`Project`], which renders [`graph::Job`]s and records what each
//! read; a one-off build renders them all once, the preview keeps the project and renders only
//! what a save affects.

pub mod graph;
pub mod project;
pub mod theme;

use std::path::{Path, PathBuf};

use crate::artifact::listed;
use crate::output::{LockedOutput, Writer};
use crate::source::{Diagnostic, Diagnostics};
pub use project::{Changes, Project};

/// How to build.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Warnings (such as characters no font can draw) fail the build.
    pub strict: bool,
    /// Render the PDF workbooks, handouts and guide (slower); off for a quick look at the sites.
    pub workbooks: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            workbooks: true,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub out: PathBuf,
    pub files: usize,
    pub pdfs: usize,
    pub partners: usize,
    pub guide_pages: usize,
    pub warnings: Diagnostics,
    /// What builds that were stopped halfway had left beside the output folder, now removed.
    pub cleared: Vec<PathBuf>,
}

impl Report {
    /// The report of `project`'s last build, which made `changes`, written to `out`, where
    /// taking the lock `cleared` what stopped builds had left.
    fn new(out: &Path, project: &Project, changes: Changes, cleared: &[PathBuf]) -> Report {
        let files = project.files();
        Report {
            out: out.to_path_buf(),
            files: files.len(),
            pdfs: files
                .keys()
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .count(),
            partners: changes.partners,
            guide_pages: changes.guide_pages,
            warnings: changes.warnings,
            cleared: cleared.to_vec(),
        }
    }
}

/// The default output folder of a site.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("output")
}

/// Builds the site at `root` into `out`. On failure nothing under `out` has changed. When
/// another build is writing `out`, `on_wait` is told so, and the build waits for it.
pub fn build(
    root: &Path,
    out: &Path,
    options: Options,
    on_wait: impl FnOnce(&str),
) -> Result<Report, Diagnostics> {
    // The output folder is named from where the user stands; messages name files from the site.
    let about_output = |problem: Diagnostic| Diagnostics::from(problem.named_from_site(root));
    crate::output::check_out_dir(root, out).map_err(about_output)?;
    let output = LockedOutput::take(out, Writer::Build, on_wait).map_err(about_output)?;
    let mut project = Project::open(root, options);
    let changes = project.build()?;
    output
        .replace(&listed(project.files()))
        .map_err(about_output)?;
    let mut report = Report::new(out, &project, changes, output.cleared());
    report
        .warnings
        .extend(crate::output::uncovered_leftovers(root, out));
    Ok(report)
}

/// Checks the site at `root` as a build would, writing nothing.
pub fn check(root: &Path, options: Options) -> Result<Diagnostics, Diagnostics> {
    Project::open(root, options)
        .build()
        .map(|changes| changes.warnings)
}
