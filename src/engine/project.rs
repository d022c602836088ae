//! Builds that remember. A [`Project`] keeps the inputs it read, the theme it loaded, and the
//! last good build: its files, and for every job the inputs it read and the files it made (the
//! dependency graph of [`super::graph`]). After a save, [`Project::refresh`] re-reads what the
//! save touched and notes which inputs changed; [`Project::build`] then renders only the jobs
//! those inputs feed, and says which files it wrote and removed. A one-off `advocate build` is
//! the same thing done once, with every job to render.
//!
//! A failed build changes nothing that was built: the files, the graph and the list of changes
//! not yet built stay as they were, so the next good build renders everything changed since the
//! last good one.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Options;
use super::graph::Job;
use super::theme::Theme;
use crate::artifact::{Files, OutputFile, PUBLIC_DIR, Rendered};
use crate::model::Input;
use crate::model::Sources;
use crate::model::public::PublicView;
use crate::site::{Pages, crawler_files};
use crate::source::{Diagnostic, Diagnostics, Severity};
use crate::workbook::PdfRenderer;

/// What one job read and made, as of the last good build.
struct Record {
    inputs: Vec<Input>,
    files: Vec<PathBuf>,
    warnings: Vec<Diagnostic>,
}

/// The last good build.
#[derive(Default)]
struct Built {
    files: Files,
    records: HashMap<Job, Record>,
    /// `robots.txt` and `sitemap.xml`, which no job makes: they list what the jobs made.
    crawler: Vec<PathBuf>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Changes {
    /// The files that are new or whose bytes changed.
    pub written: Vec<PathBuf>,
    /// The files the build no longer makes.
    pub removed: Vec<PathBuf>,
    /// How many jobs were rendered (the rest were kept from the last build).
    pub rendered: usize,
    pub(crate) partners: usize,
    pub(crate) guide_pages: usize,
    /// Every warning that stands, including those of jobs kept from the last build.
    pub(crate) warnings: Diagnostics,
}

/// A site being built, again and again.
pub struct Project {
    options: Options,
    sources: Sources,
    theme: Option<Theme>,
    built: Built,
    /// Whether `built` holds a good build yet.
    has_built: bool,
    /// The inputs changed since the last good build.
    pending: BTreeSet<Input>,
}

impl Project {
    /// Reads every input of the site at `root`; nothing is rendered until [`Project::build`].
    pub fn open(root: &Path, options: Options) -> Project {
        Project {
            options,
            sources: Sources::read(root),
            theme: None,
            built: Built::default(),
            has_built: false,
            pending: BTreeSet::new(),
        }
    }

    /// Re-reads the inputs that `changed` (paths relative to the site root) may have touched.
    pub fn refresh(&mut self, changed: &[PathBuf]) {
        let mut inputs = self.sources.refresh(changed);
        if let Some(theme) = &mut self.theme {
            inputs.extend(theme.refresh(changed));
        }
        self.pending.extend(inputs);
    }

    /// The files of the last good build.
    pub fn files(&self) -> &Files {
        &self.built.files
    }

    /// Renders what changed since the last good build (everything, the first time). On failure,
    /// every error and warning found, and nothing built is changed.
    pub fn build(&mut self) -> Result<Changes, Diagnostics> {
        let (site, mut warnings) = self.sources.assemble()?;
        let with_warnings = |mut problems: Diagnostics, warnings: &Diagnostics| {
            problems.extend(warnings.iter().cloned());
            problems
        };
        let mut everything = !self.has_built || self.pending.contains(&Input::Config);
        let theme = match self.theme.take() {
            Some(theme) if !everything && theme.serves(&site) => theme,
            _ => {
                everything = true;
                Theme::load(&site, self.options.workbooks)
            }
        };
        let theme = &*self.theme.insert(theme);
        let (strings, about_strings) = theme.strings().map_err(|p| with_warnings(p, &warnings))?;
        warnings.extend(about_strings.iter().cloned());
        let templates = theme.templates().map_err(|p| with_warnings(p, &warnings))?;
        let pdf_theme = theme.pdf_theme().map_err(|p| with_warnings(p, &warnings))?;
        let worksheets = theme
            .worksheets()
            .map_err(|p| with_warnings(p, &warnings))?;
        let static_files = theme
            .static_files()
            .map_err(|p| with_warnings(p, &warnings))?;

        let (public, origins) = PublicView::project(&site);
        let pdfs = pdf_theme
            .zip(worksheets)
            .map(|(pdf_theme, worksheets)| PdfRenderer::new(&site, pdf_theme, worksheets, strings));
        let links = pdfs
            .as_ref()
            .map(PdfRenderer::links)
            .transpose()
            .map_err(|p| with_warnings(p.into(), &warnings))?;
        let pages = Pages::new(&site, &public, &origins, templates, strings, links.as_ref());
        let planned = self.built.plan(&pages, everything, &self.pending);
        let fresh: Vec<Rendered> = render(&planned, &pages, pdfs.as_ref(), static_files)
            .map_err(|p| with_warnings(p, &warnings))?;
        add_job_warnings(&mut warnings, &planned, &fresh, &self.built.records);
        if self.options.strict && !warnings.is_empty() {
            let mut problems = Diagnostics::new();
            problems.extend(warnings.into_iter().map(|mut w| {
                w.severity = Severity::Error;
                w
            }));
            return Err(problems);
        }

        let rendered = fresh.len();
        let (written, removed) = self.built.commit(planned, fresh, &public, everything);
        self.has_built = true;
        self.pending.clear();
        Ok(Changes {
            written,
            removed,
            rendered,
            partners: site.partners.len(),
            guide_pages: site.guide.pages.len(),
            warnings,
        })
    }
}

/// A job of a build, what it reads, and whether it must be rendered again.
struct Planned {
    job: Job,
    inputs: Vec<Input>,
    stale: bool,
}

impl Built {
    /// Every job of the build of `pages`, stale if `everything`, if it is new, if its inputs
    /// are not what they were, or if one of them is in `changed`.
    fn plan(&self, pages: &Pages, everything: bool, changed: &BTreeSet<Input>) -> Vec<Planned> {
        Job::all(pages)
            .into_iter()
            .map(|job| {
                let inputs = job.inputs(pages);
                let stale = everything
                    || self.records.get(&job).is_none_or(|record| {
                        record.inputs != inputs || inputs.iter().any(|i| changed.contains(i))
                    });
                Planned { job, inputs, stale }
            })
            .collect()
    }

    /// Takes in the jobs rendered again (`fresh`, in the order of the stale ones of
    /// `planned`), drops the jobs that are gone, and redoes the sitemap when the files may
    /// have changed. Returns the files written and removed.
    fn commit(
        &mut self,
        planned: Vec<Planned>,
        fresh: Vec<Rendered>,
        public: &PublicView,
        everything: bool,
    ) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let mut fresh = fresh.into_iter();
        let mut records = HashMap::with_capacity(planned.len());
        let mut made = Vec::new();
        // Files that re-rendered or vanished jobs made last time and may make no longer.
        let mut dropped: Vec<PathBuf> = Vec::new();
        let mut layout_changed = everything;
        for Planned { job, inputs, stale } in planned {
            let record = match self.records.remove(&job) {
                Some(record) if !stale => record,
                old => {
                    let Rendered {
                        files,
                        warnings: found,
                    } = fresh.next().unwrap_or_default();
                    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
                    match old {
                        Some(old) if old.files == paths => {}
                        Some(old) => {
                            dropped.extend(old.files);
                            layout_changed = true;
                        }
                        None => layout_changed = true,
                    }
                    made.extend(files);
                    Record {
                        inputs,
                        files: paths,
                        warnings: found,
                    }
                }
            };
            records.insert(job, record);
        }
        for (_, vanished) in self.records.drain() {
            dropped.extend(vanished.files);
            layout_changed = true;
        }
        if layout_changed {
            let public_pages = records
                .values()
                .flat_map(|r| &r.files)
                .map(PathBuf::as_path)
                .filter(|p| p.starts_with(PUBLIC_DIR));
            let crawler = crawler_files(public, public_pages);
            dropped.append(&mut self.crawler);
            self.crawler = crawler.iter().map(|f| f.path.clone()).collect();
            made.extend(crawler);
        }
        let still_made: HashSet<&PathBuf> = made.iter().map(|f| &f.path).collect();
        let removed = dropped
            .into_iter()
            .filter(|path| !still_made.contains(path))
            .filter(|path| self.files.remove(path).is_some())
            .collect();
        let mut written = Vec::new();
        for file in made {
            if self.files.get(&file.path) != Some(&file.bytes) {
                written.push(file.path.clone());
                self.files.insert(file.path, file.bytes);
            }
        }
        self.records = records;
        (written, removed)
    }
}

/// Renders the stale jobs of `planned`, in parallel; every error found, deduplicated.
fn render(
    planned: &[Planned],
    pages: &Pages,
    pdfs: Option<&PdfRenderer>,
    static_files: &[OutputFile],
) -> Result<Vec<Rendered>, Diagnostics> {
    let rendered: Vec<Result<Rendered, Diagnostic>> = planned
        .par_iter()
        .filter(|p| p.stale)
        .map(|p| p.job.render(pages, pdfs, static_files))
        .collect();
    let mut problems = Diagnostics::new();
    let mut fresh = Vec::with_capacity(rendered.len());
    for result in rendered {
        match result {
            Ok(made) => fresh.push(made),
            Err(problem) if !problems.iter().any(|p| p == &problem) => problems.push(problem),
            Err(_) => {}
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(fresh)
}

/// Adds to `warnings` those of every job: of the fresh render for stale jobs, of the last build
/// for the others.
fn add_job_warnings(
    warnings: &mut Diagnostics,
    planned: &[Planned],
    fresh: &[Rendered],
    records: &HashMap<Job, Record>,
) {
    let mut fresh_warnings = fresh.iter().map(|r| &r.warnings);
    for planned in planned {
        let found = match planned.stale {
            true => fresh_warnings.next(),
            false => records.get(&planned.job).map(|r| &r.warnings),
        };
        for warning in found.into_iter().flatten() {
            if !warnings.iter().any(|w| w == warning) {
                warnings.push(warning.clone());
            }
        }
    }
}
