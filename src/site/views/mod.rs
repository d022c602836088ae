//! What each page's template receives: small serialisable views built from the model, with
//! Markdown already rendered to safe HTML, one module per kind of page (`guide`, the private
//! `dashboard` and `partner` page, and the `public` pages). Private views are built from
//! the [`crate::model::Site`]; public ones only from the [`crate::model::public::PublicView`],
//! so a public template cannot reach a private field. What several pages share (the frame, the
//! timeline, cadence health, a stage's column) is here.
//!
//! A view holds data and the keys of the model's values (a state is `on_hold`, a status
//! `overdue`), never a word: the templates print every word, from the theme's strings
//! (`{{ ("state." ~ p.state) | t }}`).

mod charts;
mod dashboard;
mod guide;
mod partner;
mod public;

pub(crate) use dashboard::dashboard;
pub(crate) use guide::{guide_index, guide_page};
pub(crate) use partner::partner;
pub(crate) use public::{has_recommendations, public_dashboard, public_partner, recommendations};

use serde::Serialize;

use crate::artifact::PdfLinks;
use crate::model::Stage;
use crate::model::partner::ReferralStatus;
use crate::model::progress::{DirectionFigures, Health, Status};
use crate::source::Date;
use crate::source::markdown::Fields;

/// What every page knows about the site around it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Frame {
    pub(crate) site_title: String,
    pub(crate) language: String,
    pub(crate) owner_name: String,
    /// The way back to the site's top folder: `""` or `"../"`.
    pub(crate) root: &'static str,
    pub(crate) public: bool,
    /// The page's title when it comes from the data (a guide page's, a partner's name); a page
    /// with a fixed title has its template write it.
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    /// Whether the public site has its "who I recommend" page, which the navigation links.
    pub(crate) recommends: bool,
    /// Which part of the navigation is current: `dashboard`, `guide` or `recommend`.
    pub(crate) section: &'static str,
    pub(crate) as_of: Date,
    /// The printable guide and the blank workbooks, relative to the site's top folder; empty
    /// when the build skips the PDFs.
    pub(crate) downloads: Vec<Link>,
}

/// The printable files both sites offer, relative to the site's top folder.
pub(crate) fn downloads(pdfs: &PdfLinks) -> Vec<Link> {
    pdfs.downloads
        .iter()
        .map(|pdf| Link {
            title: pdf.title.clone(),
            href: pdf.file.clone(),
        })
        .collect()
}

/// A page: its frame and its own content.
#[derive(Debug, Serialize)]
pub(crate) struct PageContext<T: Serialize> {
    pub(crate) frame: Frame,
    pub(crate) page: T,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub(crate) title: String,
    pub(crate) href: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct StageColumn<T: Serialize> {
    pub(crate) number: Stage,
    pub(crate) guide_href: Option<String>,
    pub(crate) partners: Vec<T>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TimelineStep {
    pub(crate) number: Stage,
    pub(crate) date: Option<Date>,
    pub(crate) reached: bool,
    pub(crate) current: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct HealthView {
    pub(crate) status: Status,
    pub(crate) last: Option<Date>,
    pub(crate) days_since: Option<i64>,
    pub(crate) limit_days: u32,
    pub(crate) due_by: Option<Date>,
}

fn markdown(fields: &Fields, text: &Option<String>) -> Option<String> {
    text.as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| fields.to_html(t))
}

fn health_view(h: &Health) -> HealthView {
    HealthView {
        status: h.status,
        last: h.last,
        days_since: h.days_since,
        limit_days: h.limit_days,
        due_by: h.due_by,
    }
}

pub(crate) fn timeline(stage: Stage, dates: &[Option<Date>; 4]) -> Vec<TimelineStep> {
    Stage::ALL
        .into_iter()
        .map(|number| TimelineStep {
            number,
            date: dates[number.index()],
            reached: number <= stage,
            current: number == stage,
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub(crate) struct FiguresView {
    pub(crate) total: usize,
    pub(crate) by_status: Vec<StatusCount>,
    pub(crate) closed_value: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct StatusCount {
    pub(crate) status: ReferralStatus,
    pub(crate) count: usize,
}

fn figures_view(figures: &DirectionFigures) -> FiguresView {
    FiguresView {
        total: figures.total,
        by_status: figures
            .by_status
            .iter()
            .map(|(s, count)| StatusCount {
                status: *s,
                count: *count,
            })
            .collect(),
        closed_value: figures.closed_value,
    }
}
