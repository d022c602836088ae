//! HTML: both websites rendered from the theme's templates into a list of files.
//!
//! `private/` is the owner's offline site, built from the full [`Site`]; `site/` is the public
//! one, built from the [`PublicView`] projection alone. Every link is relative, so both work when
//! opened from disk; the public site also gets `sitemap.xml` and `robots.txt`, the private one
//! its calendars ([`calendar`]), and every private page says `noindex`.

pub mod calendar;
pub mod search;
pub mod sitemap;
pub mod views;

use std::collections::HashMap;
use std::path::Path;

use crate::artifact::PdfLinks;
use crate::artifact::{OutputFile, PRIVATE_DIR, PUBLIC_DIR, partner_href};
use crate::model::public::{PublicPartner, PublicView};
use crate::model::strings::Strings;
use crate::model::{Site, Stage};
use crate::source::{Diagnostic, Diagnostics};
use crate::templates::Templates;
use views::Frame;

/// What a page is rendered with: the model, its public projection and the theme's templates.
pub(crate) struct Pages<'a> {
    pub(crate) site: &'a Site,
    pub(crate) public: &'a PublicView,
    pub(crate) templates: &'a Templates,
    /// The PDFs the build also makes, which the pages then link to; `None` without PDFs.
    pub(crate) pdfs: Option<&'a PdfLinks>,
    /// The theme's words, for what is written without a template (the calendar).
    pub(crate) strings: &'a Strings,
    /// Whether the public site names anyone, and so has its "who I recommend" page.
    pub(crate) recommends: bool,
    /// Public partners by page name, with the id of the partner behind each.
    public_index: HashMap<&'a str, (usize, &'a str)>,
}

impl<'a> Pages<'a> {
    /// `origins` holds the partner id behind each of `public.partners`, in the same order.
    pub(crate) fn new(
        site: &'a Site,
        public: &'a PublicView,
        origins: &'a [String],
        templates: &'a Templates,
        strings: &'a Strings,
        pdfs: Option<&'a PdfLinks>,
    ) -> Self {
        let public_index = public
            .partners
            .iter()
            .zip(origins)
            .enumerate()
            .map(|(i, (p, id))| (p.slug.as_str(), (i, id.as_str())))
            .collect();
        Pages {
            site,
            public,
            templates,
            strings,
            pdfs,
            recommends: views::has_recommendations(public),
            public_index,
        }
    }

    /// The public partner whose page is `slug`.
    pub(crate) fn public_partner(&self, slug: &str) -> Option<&'a PublicPartner> {
        self.public_index
            .get(slug)
            .map(|&(i, _)| &self.public.partners[i])
    }

    /// The id of the partner behind the public page `slug`: for the dependency graph only.
    pub(crate) fn public_origin(&self, slug: &str) -> Option<&'a str> {
        self.public_index.get(slug).map(|&(_, id)| id)
    }
}

/// One page of either site, named by what it shows (an id or a slug, never a position), so
/// that it is the same page from one build to the next.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum SitePage {
    Dashboard,
    PublicDashboard,
    GuideIndex {
        public: bool,
    },
    GuidePage {
        public: bool,
        slug: String,
    },
    Partner {
        id: String,
    },
    PublicPartner {
        slug: String,
    },
    /// The public "who I recommend" page, when the public site names anyone.
    Recommendations,
}

impl SitePage {
    /// Every page of both sites.
    pub(crate) fn all(site: &Site, public: &PublicView) -> Vec<SitePage> {
        let mut pages = vec![SitePage::Dashboard, SitePage::PublicDashboard];
        for is_public in [false, true] {
            pages.push(SitePage::GuideIndex { public: is_public });
            pages.extend(site.guide.pages_for(is_public).into_iter().map(|p| {
                SitePage::GuidePage {
                    public: is_public,
                    slug: p.slug.clone(),
                }
            }));
        }
        pages.extend(
            site.partners
                .iter()
                .map(|p| SitePage::Partner { id: p.id.clone() }),
        );
        pages.extend(public.partners.iter().map(|p| SitePage::PublicPartner {
            slug: p.slug.clone(),
        }));
        if views::has_recommendations(public) {
            pages.push(SitePage::Recommendations);
        }
        pages
    }

    /// Whether the page is on the public site.
    pub(crate) fn is_public(&self) -> bool {
        match self {
            SitePage::Dashboard | SitePage::Partner { .. } => false,
            SitePage::GuideIndex { public } | SitePage::GuidePage { public, .. } => *public,
            SitePage::PublicDashboard
            | SitePage::PublicPartner { .. }
            | SitePage::Recommendations => true,
        }
    }

    /// The template the page is rendered with.
    pub(crate) fn template(&self) -> &'static str {
        match self {
            SitePage::Dashboard => "dashboard.html",
            SitePage::PublicDashboard => "public_dashboard.html",
            SitePage::GuideIndex { .. } => "guide_index.html",
            SitePage::GuidePage { .. } => "guide_page.html",
            SitePage::Partner { .. } => "partner.html",
            SitePage::PublicPartner { .. } => "public_partner.html",
            SitePage::Recommendations => "recommendations.html",
        }
    }

    /// Renders the page; `Ok(None)` if what it shows is no longer in the site.
    pub(crate) fn render(&self, pages: &Pages) -> Result<Option<OutputFile>, Diagnostic> {
        let (site, public, pdfs) = (pages.site, pages.public, pages.pdfs);
        let templates = pages.templates;
        let folder = |is_public: bool| if is_public { PUBLIC_DIR } else { PRIVATE_DIR };
        let file = match self {
            SitePage::Dashboard => {
                let frame = frame(pages, false, "", None, "dashboard");
                let html = templates.render(
                    self.template(),
                    &views::PageContext {
                        frame,
                        page: views::dashboard(site),
                    },
                )?;
                OutputFile::new(Path::new(PRIVATE_DIR).join("index.html"), html)
            }
            SitePage::PublicDashboard => {
                let stage_pages = Stage::ALL.map(|stage| {
                    site.guide
                        .stage_page(stage)
                        .filter(|p| p.is_public())
                        .map(|p| format!("guide/{}.html", p.slug))
                });
                let frame = frame(pages, true, "", None, "dashboard");
                let page = views::public_dashboard(public, &stage_pages);
                let html =
                    templates.render(self.template(), &views::PageContext { frame, page })?;
                OutputFile::new(Path::new(PUBLIC_DIR).join("index.html"), html)
            }
            SitePage::GuideIndex { public: is_public } => {
                let frame = frame(pages, *is_public, "../", None, "guide");
                let page = views::guide_index(&site.guide.pages_for(*is_public));
                let html =
                    templates.render(self.template(), &views::PageContext { frame, page })?;
                OutputFile::new(Path::new(folder(*is_public)).join("guide/index.html"), html)
            }
            SitePage::GuidePage {
                public: is_public,
                slug,
            } => {
                let guide = site.guide.pages_for(*is_public);
                let Some(index) = guide.iter().position(|p| &p.slug == slug) else {
                    return Ok(None);
                };
                let page = views::guide_page(&guide, index, *is_public);
                let mut frame = frame(pages, *is_public, "../", Some(page.title.clone()), "guide");
                frame.description = page.summary.clone();
                let html =
                    templates.render(self.template(), &views::PageContext { frame, page })?;
                let name = format!("guide/{slug}.html");
                OutputFile::new(Path::new(folder(*is_public)).join(name), html)
            }
            SitePage::Partner { id } => {
                let Some(partner) = site.partner(id) else {
                    return Ok(None);
                };
                let frame = frame(
                    pages,
                    false,
                    "../",
                    Some(partner.data.name.clone()),
                    "dashboard",
                );
                let page = views::partner(site, partner, pdfs);
                let html =
                    templates.render(self.template(), &views::PageContext { frame, page })?;
                OutputFile::new(Path::new(PRIVATE_DIR).join(partner_href(&partner.id)), html)
            }
            SitePage::PublicPartner { slug } => {
                let Some(partner) = pages.public_partner(slug) else {
                    return Ok(None);
                };
                let frame = frame(pages, true, "../", Some(partner.label.clone()), "dashboard");
                let page = views::public_partner(partner);
                let html =
                    templates.render(self.template(), &views::PageContext { frame, page })?;
                OutputFile::new(
                    Path::new(PUBLIC_DIR).join(partner_href(&partner.slug)),
                    html,
                )
            }
            SitePage::Recommendations => {
                if !pages.recommends {
                    return Ok(None);
                }
                let frame = frame(pages, true, "", None, "recommend");
                let page = views::recommendations(public);
                let html =
                    templates.render(self.template(), &views::PageContext { frame, page })?;
                OutputFile::new(Path::new(PUBLIC_DIR).join("recommendations.html"), html)
            }
        };
        Ok(Some(file))
    }
}

/// `robots.txt`, and `sitemap.xml` when the site knows its address, for the public site whose
/// files (paths relative to the output folder) are `paths`. The sitemap lists a folder's index
/// before the pages in it.
pub(crate) fn crawler_files<'a>(
    public: &PublicView,
    paths: impl Iterator<Item = &'a Path>,
) -> Vec<OutputFile> {
    let mut files = vec![OutputFile::new(
        Path::new(PUBLIC_DIR).join("robots.txt"),
        sitemap::robots(public.base_url.as_deref()),
    )];
    if let Some(base) = &public.base_url {
        let mut urls = paths
            .filter_map(|p| p.strip_prefix(PUBLIC_DIR).ok())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect::<Vec<_>>();
        urls.sort_by(|a, b| {
            a.trim_end_matches("index.html")
                .cmp(b.trim_end_matches("index.html"))
        });
        files.push(OutputFile::new(
            Path::new(PUBLIC_DIR).join("sitemap.xml"),
            sitemap::sitemap(base, &urls, public.as_of),
        ));
    }
    files
}

/// The frame of a page. Public pages take every site-wide value from the projection.
fn frame(
    pages: &Pages,
    is_public: bool,
    root: &'static str,
    title: Option<String>,
    section: &'static str,
) -> Frame {
    let public = pages.public;
    Frame {
        downloads: pages.pdfs.map(views::downloads).unwrap_or_default(),
        site_title: public.title.clone(),
        language: public.language.clone(),
        owner_name: public.owner.name.clone(),
        root,
        public: is_public,
        title,
        description: None,
        section,
        recommends: is_public && pages.recommends,
        as_of: public.as_of,
    }
}

/// Every file of the theme's `static/` folder, copied into both sites.
pub(crate) fn static_files(theme_dir: &Path, root: &Path) -> Result<Vec<OutputFile>, Diagnostics> {
    let dir = theme_dir.join("static");
    let mut files = Vec::new();
    let mut problems = Diagnostics::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in crate::source::files::readable(
        &dir,
        theme_dir,
        root,
        |_| true,
        "static files",
        &mut problems,
    ) {
        let relative = entry.path.strip_prefix(&dir).unwrap_or(&entry.path);
        match crate::source::files::read_bytes(&entry.path, &entry.shown) {
            Ok(bytes) => files.extend(OutputFile::in_both(
                [PRIVATE_DIR, PUBLIC_DIR],
                &Path::new("static").join(relative),
                bytes,
            )),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(files)
    }
}
