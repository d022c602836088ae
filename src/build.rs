//! One build, start to finish: load and check the site, render both sites and the PDFs,
//! write atomically.

use std::path::{Path, PathBuf};

use crate::site::OutputFile;
use crate::source::{Diagnostic, Diagnostics, Severity};

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
}

/// The default output folder of a site.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("output")
}

/// Builds the site at `root` into `out`. On failure nothing under `out` has changed.
pub fn build(root: &Path, out: &Path, options: Options) -> Result<Report, Diagnostics> {
    crate::output::check_out_dir(root, out).map_err(single)?;
    let (files, site, warnings) = render(root, options, &Caches::default())?;
    crate::output::write_atomically(out, &files).map_err(single)?;
    Ok(Report {
        out: out.to_path_buf(),
        files: files.len(),
        pdfs: files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "pdf"))
            .count(),
        partners: site.partners.len(),
        guide_pages: site.guide.pages.len(),
        warnings,
    })
}

/// Checks the site at `root` as a build would, writing nothing.
pub fn check(root: &Path, options: Options) -> Result<Diagnostics, Diagnostics> {
    render(root, options, &Caches::default()).map(|(_, _, warnings)| warnings)
}

/// What a long-running process (the preview) keeps between builds so that a rebuild after one
/// save parses and renders little more than what changed.
#[derive(Default)]
pub struct Caches {
    pub parsed: crate::model::ParseCache,
    pub pdfs: crate::workbook::PdfCache,
    pub pages: crate::site::PageCache,
}

/// Everything a build writes, in memory (paths relative to the output folder), and the warnings.
pub fn render_files(
    root: &Path,
    options: Options,
    caches: &Caches,
) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
    render(root, options, caches).map(|(files, _, warnings)| (files, warnings))
}

/// Everything a build writes, in memory, with the loaded site and the warnings.
fn render(
    root: &Path,
    options: Options,
    caches: &Caches,
) -> Result<(Vec<OutputFile>, crate::model::Site, Diagnostics), Diagnostics> {
    let (site, mut warnings) = crate::model::load_with(root, &caches.parsed)?;
    let with_warnings = |mut problems: Diagnostics, warnings: &Diagnostics| {
        problems.extend(warnings.clone());
        problems
    };
    let mut files = crate::site::render_with(&site, options.workbooks, &caches.pages)
        .map_err(|p| with_warnings(p, &warnings))?;
    if options.workbooks {
        let (pdfs, found) = crate::workbook::render_with(&site, &caches.pdfs)
            .map_err(|p| with_warnings(p, &warnings))?;
        files.extend(pdfs);
        warnings.extend(found);
    }
    if options.strict && !warnings.is_empty() {
        let mut problems = Diagnostics::new();
        problems.extend(warnings.into_iter().map(|mut w| {
            w.severity = Severity::Error;
            w
        }));
        return Err(problems);
    }
    Ok((files, site, warnings))
}

fn single(problem: Diagnostic) -> Diagnostics {
    let mut problems = Diagnostics::new();
    problems.push(problem);
    problems
}
