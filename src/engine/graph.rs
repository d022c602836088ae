//! The dependency graph: what each output is made from.
//!
//! A build is a list of [`Job`]s (a page, one partner's workbooks, the handouts, `guide.pdf`
//! with `course-pack.pdf`, the theme's static files), and each job names the [`Input`]s it reads. The build records
//! both. After a save, a job is rendered again only when one of its inputs changed, or when its
//! list of inputs is not what it was: a guide page whose neighbours moved, or an anonymous
//! partner's page (`partner-3`) that now shows someone else. Every job reads `site.yaml`, so a
//! change there rebuilds everything, and [`Input::Config`] is left out of the lists.
//!
//! The lists are written here by hand, beside nothing that could check them at compile time;
//! `tests/incremental.rs` checks them instead, by comparing the rebuild after each of many kinds
//! of edit with a fresh build, byte for byte.

use crate::artifact::{OutputFile, Rendered};
use crate::model::{Input, Site};
use crate::site::{Pages, SitePage};
use crate::source::Diagnostic;
use crate::workbook::PdfRenderer;

/// One piece of a build, rendered as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Job {
    Page(SitePage),
    /// One partner's workbooks, one per worksheet of the theme, and `all-stages.pdf`.
    Workbooks {
        id: String,
    },
    /// The blank workbooks, in both sites.
    Handouts,
    /// `guide.pdf` and `course-pack.pdf`, in both sites.
    GuideBook,
    /// The theme's static files, in both sites.
    Static,
    /// The private site's `calendar.ics` (`None`), or one partner's `partners/<id>.ics`.
    Calendar {
        partner: Option<String>,
    },
    /// The search index of the public site or of the private one.
    SearchIndex {
        public: bool,
    },
}

impl Job {
    /// Every job of a build of `site`.
    pub(crate) fn all(pages: &Pages) -> Vec<Job> {
        let site = pages.site;
        let mut jobs: Vec<Job> = SitePage::all(site, pages.public)
            .into_iter()
            .map(Job::Page)
            .collect();
        jobs.push(Job::Static);
        jobs.extend([false, true].map(|public| Job::SearchIndex { public }));
        jobs.push(Job::Calendar { partner: None });
        jobs.extend(site.partners.iter().map(|p| Job::Calendar {
            partner: Some(p.id.clone()),
        }));
        if pages.pdfs.is_some() {
            jobs.extend(
                site.partners
                    .iter()
                    .map(|p| Job::Workbooks { id: p.id.clone() }),
            );
            jobs.extend([Job::Handouts, Job::GuideBook]);
        }
        jobs
    }

    /// What the job reads, besides `site.yaml`.
    pub(crate) fn inputs(&self, pages: &Pages) -> Vec<Input> {
        let site = pages.site;
        let mut inputs = Vec::new();
        match self {
            Job::Page(page) => {
                inputs.extend(
                    pages
                        .templates
                        .uses(page.template())
                        .iter()
                        .map(|name| Input::Template(name.clone())),
                );
                // A public page's navigation links the "who I recommend" page while there is
                // one: that page's template in the list stands for the link, so a page whose
                // list gains or loses it is built again.
                if page.is_public() && pages.recommends {
                    inputs.push(Input::Template(
                        SitePage::Recommendations.template().to_owned(),
                    ));
                }
                // The pages list the PDFs by their worksheets' titles.
                if let Some(pdfs) = pages.pdfs {
                    inputs.extend(pdfs.templates.iter().cloned().map(Input::Template));
                }
                match page {
                    SitePage::Dashboard | SitePage::PublicDashboard => {
                        inputs.extend(worksheet_pages(site));
                        inputs.extend(every_partner(site));
                    }
                    // A guide page lists every chapter, and which pages are public decides a
                    // public page's neighbours and links.
                    SitePage::GuideIndex { .. } | SitePage::GuidePage { .. } => {
                        inputs.extend(every_guide_page(site))
                    }
                    SitePage::Partner { id } => {
                        inputs.extend(partner_and_introducer(site, id));
                        inputs.extend(worksheet_pages(site));
                    }
                    // Only the partners it names: one who becomes named changes the list.
                    SitePage::Recommendations => inputs.extend(
                        pages
                            .public
                            .partners
                            .iter()
                            .filter(|p| p.named.is_some())
                            .filter_map(|p| pages.public_origin(&p.slug))
                            .map(|id| Input::Partner(id.to_owned())),
                    ),
                    SitePage::PublicPartner { slug } => {
                        if let Some(id) = pages.public_origin(slug) {
                            inputs.push(Input::Partner(id.to_owned()));
                        }
                    }
                }
            }
            Job::Workbooks { id } => {
                inputs.extend(partner_and_introducer(site, id));
                inputs.extend(worksheet_pages(site));
                inputs.extend(worksheet_templates(pages));
                inputs.push(Input::Style);
            }
            Job::Handouts => {
                inputs.extend(worksheet_pages(site));
                inputs.extend(worksheet_templates(pages));
                inputs.push(Input::Style);
            }
            Job::GuideBook => {
                // guide.pdf, and the course pack, which holds the handouts too.
                inputs.extend(every_guide_page(site));
                inputs.extend(worksheet_templates(pages));
                inputs.push(Input::Style);
            }
            Job::Static => inputs.push(Input::Static),
            Job::Calendar { partner: None } => inputs.extend(every_partner(site)),
            Job::Calendar { partner: Some(id) } => inputs.push(Input::Partner(id.clone())),
            Job::SearchIndex { .. } => {
                inputs.extend(every_guide_page(site));
                inputs.extend(every_partner(site));
            }
        }
        inputs
    }

    /// Renders the job: its files and its warnings. `pdfs` is `None` in a build without PDFs.
    pub(crate) fn render(
        &self,
        pages: &Pages,
        pdfs: Option<&PdfRenderer>,
        static_files: &[OutputFile],
    ) -> Result<Rendered, Diagnostic> {
        let none = || Ok(Rendered::default());
        match (self, pdfs) {
            (Job::Page(page), _) => page.render(pages).map(|file| Rendered {
                files: file.into_iter().collect(),
                warnings: Vec::new(),
            }),
            (Job::Static, _) => Ok(Rendered {
                files: static_files.to_vec(),
                warnings: Vec::new(),
            }),
            (Job::Workbooks { id }, Some(pdfs)) => match pages.site.partner(id) {
                Some(partner) => pdfs.partner(pages.site, partner),
                None => none(),
            },
            (Job::Calendar { partner }, _) => Ok(Rendered {
                files: crate::site::calendar::file(pages, partner.as_deref())
                    .into_iter()
                    .collect(),
                warnings: Vec::new(),
            }),
            (Job::SearchIndex { public }, _) => Ok(Rendered {
                files: vec![crate::site::search::index_file(pages, *public)],
                warnings: Vec::new(),
            }),
            (Job::Handouts, Some(pdfs)) => pdfs.handouts(),
            (Job::GuideBook, Some(pdfs)) => pdfs.guide(),
            (Job::Workbooks { .. } | Job::Handouts | Job::GuideBook, None) => none(),
        }
    }
}

/// The theme's worksheet templates, which every workbook is rendered from.
fn worksheet_templates<'a>(pages: &'a Pages) -> impl Iterator<Item = Input> + 'a {
    pages
        .pdfs
        .into_iter()
        .flat_map(|pdfs| pdfs.worksheets.iter().cloned().map(Input::Template))
}

fn every_partner(site: &Site) -> impl Iterator<Item = Input> + '_ {
    site.partners.iter().map(|p| Input::Partner(p.id.clone()))
}

fn every_guide_page(site: &Site) -> impl Iterator<Item = Input> + '_ {
    site.guide
        .pages
        .iter()
        .map(|p| Input::GuidePage(p.path.clone()))
}

/// The guide pages a worksheet reads: the ones that define questions or reservation themes,
/// and the ones that teach a stage. The dashboards read these too (the stage pages' links and
/// the number of questions).
fn worksheet_pages(site: &Site) -> impl Iterator<Item = Input> + '_ {
    site.guide
        .pages
        .iter()
        .filter(|p| {
            !p.front.questions.is_empty() || !p.front.themes.is_empty() || p.front.stage.is_some()
        })
        .map(|p| Input::GuidePage(p.path.clone()))
}

/// A partner, and the partner who introduced them, whose name their page and workbook show.
fn partner_and_introducer(site: &Site, id: &str) -> Vec<Input> {
    let mut inputs = vec![Input::Partner(id.to_owned())];
    if let Some(by) = site.partner(id).and_then(|p| p.data.introduced_by.as_ref()) {
        inputs.push(Input::Partner(by.value.clone()));
    }
    inputs
}
