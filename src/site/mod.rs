//! HTML: both websites rendered from the theme's templates into a list of files.
//!
//! `private/` is the owner's offline site, built from the full [`Site`]; `site/` is the public
//! one, built from the [`PublicView`] projection alone. Every link is relative, so both work when
//! opened from disk; the public site also gets `sitemap.xml` and `robots.txt`, and every private
//! page says `noindex`.

pub mod sitemap;
pub mod templates;
pub mod views;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::model::Site;
use crate::model::public::PublicView;
use crate::source::{Diagnostic, Diagnostics};
use templates::Templates;
use views::{Frame, Page};

/// A file to write, relative to the output folder. The bytes are shared: the same PDF in both
/// sites, or in a cache and in the preview, is held once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: std::sync::Arc<[u8]>,
}

impl OutputFile {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into().into(),
        }
    }
}

/// The two sites' folders inside the output folder.
pub const PRIVATE_DIR: &str = "private";
pub const PUBLIC_DIR: &str = "site";

/// Renders both sites. Every template error of the run is reported.
/// Pages from earlier renders, keyed by a hash of what they show, so that a rebuild after one
/// save renders the dashboards and the pages of what changed. Entries not used by the latest
/// render are dropped.
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::Mutex<std::collections::HashMap<String, (u64, OutputFile)>>,
}

/// Renders both sites; `with_workbooks` links the PDFs the build also writes.
pub fn render(site: &Site, with_workbooks: bool) -> Result<Vec<OutputFile>, Diagnostics> {
    render_with(site, with_workbooks, &PageCache::default())
}

/// As [`render`], reusing the pages `cache` holds for unchanged inputs.
pub fn render_with(
    site: &Site,
    with_workbooks: bool,
    cache: &PageCache,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let templates = Templates::load(&site.theme_dir, &site.root)?;
    let public = PublicView::project(site);
    let jobs = jobs(site, &public);
    let global = crate::model::hash_strings(&[
        &site.fingerprint.to_string(),
        &templates.fingerprint().to_string(),
        &with_workbooks.to_string(),
    ])
    .to_string();
    let results: Vec<(Option<String>, Result<OutputFile, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let Some((label, key)) = job.cache_key(site, &public, &global) else {
                return (None, job.render(site, &public, &templates, with_workbooks));
            };
            let cached = cache
                .pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&label)
                .filter(|(k, _)| *k == key)
                .map(|(_, file)| file.clone());
            let result =
                cached.map_or_else(|| job.render(site, &public, &templates, with_workbooks), Ok);
            if let Ok(file) = &result {
                let mut pages = cache.pages.lock().unwrap_or_else(|e| e.into_inner());
                pages.insert(label.clone(), (key, file.clone()));
            }
            (Some(label), result)
        })
        .collect();
    let used: std::collections::HashSet<&String> = results
        .iter()
        .filter_map(|(label, _)| label.as_ref())
        .collect();
    cache
        .pages
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|label, _| used.contains(label));
    let results: Vec<Result<OutputFile, Diagnostic>> =
        results.into_iter().map(|(_, result)| result).collect();
    let mut problems = Diagnostics::new();
    let mut files = Vec::with_capacity(results.len() + 8);
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => {
                if !problems.iter().any(|p| p == &problem) {
                    problems.push(problem);
                }
            }
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    files.extend(static_files(&site.theme_dir, &site.root)?);
    files.push(OutputFile::new(
        Path::new(PUBLIC_DIR).join("robots.txt"),
        sitemap::robots(public.base_url.as_deref()),
    ));
    if let Some(base) = &public.base_url {
        let urls = files
            .iter()
            .filter_map(|f| f.path.strip_prefix(PUBLIC_DIR).ok())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect::<Vec<_>>();
        files.push(OutputFile::new(
            Path::new(PUBLIC_DIR).join("sitemap.xml"),
            sitemap::sitemap(base, &urls, public.as_of),
        ));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// One page to render.
enum Job {
    GuideIndex { public: bool },
    GuidePage { public: bool, index: usize },
    Dashboard,
    Partner { index: usize },
    PublicDashboard,
    PublicPartner { index: usize },
}

fn jobs(site: &Site, public: &PublicView) -> Vec<Job> {
    let mut jobs = vec![Job::Dashboard, Job::PublicDashboard];
    for is_public in [false, true] {
        jobs.push(Job::GuideIndex { public: is_public });
        jobs.extend((0..site.guide.pages.len()).map(|index| Job::GuidePage {
            public: is_public,
            index,
        }));
    }
    jobs.extend((0..site.partners.len()).map(|index| Job::Partner { index }));
    jobs.extend((0..public.partners.len()).map(|index| Job::PublicPartner { index }));
    jobs
}

impl Job {
    /// A stable name for this page and a hash of everything it shows; `None` for the pages that
    /// show every partner (the dashboards), which are always rendered.
    fn cache_key(&self, site: &Site, public: &PublicView, global: &str) -> Option<(String, u64)> {
        let (label, specific) = match self {
            Job::Dashboard | Job::PublicDashboard => return None,
            Job::GuideIndex { public: p } => (format!("guide-index-{p}"), String::new()),
            Job::GuidePage { public: p, index } => (
                format!("guide-{p}-{}", site.guide.pages[*index].slug),
                String::new(),
            ),
            Job::Partner { index } => {
                let partner = &site.partners[*index];
                (
                    format!("partner-{}", partner.id),
                    partner.fingerprint(site).to_string(),
                )
            }
            Job::PublicPartner { index } => {
                let partner = &public.partners[*index];
                (
                    format!("public-{}", partner.slug),
                    serde_json::to_string(partner).unwrap_or_default(),
                )
            }
        };
        Some((label, crate::model::hash_strings(&[global, &specific])))
    }

    fn render(
        &self,
        site: &Site,
        public: &PublicView,
        templates: &Templates,
        with_workbooks: bool,
    ) -> Result<OutputFile, Diagnostic> {
        let folder = |is_public: bool| if is_public { PUBLIC_DIR } else { PRIVATE_DIR };
        match self {
            Job::Dashboard => {
                let frame = frame(
                    public,
                    false,
                    "",
                    "Dashboard".into(),
                    "dashboard",
                    with_workbooks,
                );
                let html = templates.render(
                    "dashboard.html",
                    &Page {
                        frame,
                        page: views::dashboard(site),
                    },
                )?;
                Ok(OutputFile::new(
                    Path::new(PRIVATE_DIR).join("index.html"),
                    html,
                ))
            }
            Job::PublicDashboard => {
                let stage_pages = [1, 2, 3, 4].map(|n| {
                    site.guide
                        .stage_page(n)
                        .map(|p| format!("guide/{}.html", p.slug))
                });
                let frame = frame(
                    public,
                    true,
                    "",
                    "Progress".into(),
                    "dashboard",
                    with_workbooks,
                );
                let page = views::public_dashboard(public, &stage_pages);
                let html = templates.render("public_dashboard.html", &Page { frame, page })?;
                Ok(OutputFile::new(
                    Path::new(PUBLIC_DIR).join("index.html"),
                    html,
                ))
            }
            Job::GuideIndex { public: is_public } => {
                let frame = frame(
                    public,
                    *is_public,
                    "../",
                    "The guide".into(),
                    "guide",
                    with_workbooks,
                );
                let page = views::guide_index(&site.guide.pages);
                let html = templates.render("guide_index.html", &Page { frame, page })?;
                Ok(OutputFile::new(
                    Path::new(folder(*is_public)).join("guide/index.html"),
                    html,
                ))
            }
            Job::GuidePage {
                public: is_public,
                index,
            } => {
                let page = views::guide_page(&site.guide.pages, *index);
                let mut frame = frame(
                    public,
                    *is_public,
                    "../",
                    page.title.clone(),
                    "guide",
                    with_workbooks,
                );
                frame.description = page.summary.clone();
                let html = templates.render("guide_page.html", &Page { frame, page })?;
                let name = format!("guide/{}.html", site.guide.pages[*index].slug);
                Ok(OutputFile::new(
                    Path::new(folder(*is_public)).join(name),
                    html,
                ))
            }
            Job::Partner { index } => {
                let partner = &site.partners[*index];
                let frame = frame(
                    public,
                    false,
                    "../",
                    partner.data.name.clone(),
                    "dashboard",
                    with_workbooks,
                );
                let page = views::partner(site, partner, with_workbooks);
                let html = templates.render("partner.html", &Page { frame, page })?;
                Ok(OutputFile::new(
                    Path::new(PRIVATE_DIR).join(views::partner_href(&partner.id)),
                    html,
                ))
            }
            Job::PublicPartner { index } => {
                let partner = &public.partners[*index];
                let frame = frame(
                    public,
                    true,
                    "../",
                    partner.label.clone(),
                    "dashboard",
                    with_workbooks,
                );
                let page = views::public_partner(partner);
                let html = templates.render("public_partner.html", &Page { frame, page })?;
                Ok(OutputFile::new(
                    Path::new(PUBLIC_DIR).join(views::partner_href(&partner.slug)),
                    html,
                ))
            }
        }
    }
}

/// The frame of a page. Public pages take every site-wide value from the projection.
fn frame(
    public: &PublicView,
    is_public: bool,
    root: &'static str,
    title: String,
    section: &'static str,
    with_workbooks: bool,
) -> Frame {
    Frame {
        downloads: if with_workbooks {
            views::downloads()
        } else {
            Vec::new()
        },
        site_title: public.title.clone(),
        language: public.language.clone(),
        owner_name: public.owner.name.clone(),
        root,
        public: is_public,
        title,
        description: None,
        section,
        as_of: public.as_of,
    }
}

/// Every file of the theme's `static/` folder, copied into both sites.
fn static_files(theme_dir: &Path, root: &Path) -> Result<Vec<OutputFile>, Diagnostics> {
    let dir = theme_dir.join("static");
    let mut files = Vec::new();
    let mut problems = Diagnostics::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) if entry.file_type().is_file() => entry,
            Ok(_) => continue,
            Err(error) => {
                problems.push(Diagnostic::file_error(
                    crate::source::diagnostic::relative_to(&dir, root),
                    format!("cannot read the theme's static files: {error}"),
                ));
                continue;
            }
        };
        let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                let bytes: std::sync::Arc<[u8]> = bytes.into();
                for site_dir in [PRIVATE_DIR, PUBLIC_DIR] {
                    files.push(OutputFile {
                        path: Path::new(site_dir).join("static").join(relative),
                        bytes: bytes.clone(),
                    });
                }
            }
            Err(error) => problems.push(Diagnostic::file_error(
                crate::source::diagnostic::relative_to(entry.path(), root),
                format!("cannot read this file: {error}"),
            )),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(files)
    }
}
