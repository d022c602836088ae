//! One build, start to finish: load and check the site, render both sites, write atomically.

use std::path::{Path, PathBuf};

use crate::source::Diagnostics;

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub out: PathBuf,
    pub files: usize,
    pub partners: usize,
    pub guide_pages: usize,
    pub warnings: Diagnostics,
}

/// The default output folder of a site.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("output")
}

/// Builds the site at `root` into `out`. On failure nothing under `out` has changed.
pub fn build(root: &Path, out: &Path) -> Result<Report, Diagnostics> {
    crate::output::check_out_dir(root, out).map_err(single)?;
    let (site, warnings) = crate::model::load(root)?;
    let files = crate::site::render(&site).map_err(|mut problems| {
        problems.extend(warnings.clone());
        problems
    })?;
    crate::output::write_atomically(out, &files).map_err(single)?;
    Ok(Report {
        out: out.to_path_buf(),
        files: files.len(),
        partners: site.partners.len(),
        guide_pages: site.guide.pages.len(),
        warnings,
    })
}

/// Checks the site at `root` as a build would, writing nothing: input and templates.
pub fn check(root: &Path) -> Result<Diagnostics, Diagnostics> {
    let (site, warnings) = crate::model::load(root)?;
    crate::site::render(&site).map_err(|mut problems| {
        problems.extend(warnings.clone());
        problems
    })?;
    Ok(warnings)
}

fn single(problem: crate::source::Diagnostic) -> Diagnostics {
    let mut problems = Diagnostics::new();
    problems.push(problem);
    problems
}
