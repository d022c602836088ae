//! What each page's template receives: small serialisable views built from the model, with
//! Markdown already rendered to safe HTML, one module per kind of page (`guide`, the private
//! `dashboard` and `partner` page, and the `public` pages). Private views are built from
//! the [`crate::model::Site`]; public ones only from the [`crate::model::public::PublicView`],
//! so a public template cannot reach a private field. What several pages share (the frame, the
//! timeline, cadence health, a stage's column) is here.

mod dashboard;
mod guide;
mod partner;
mod public;

pub use dashboard::dashboard;
pub use guide::{guide_index, guide_page};
pub use partner::partner;
pub use public::{public_dashboard, public_partner};

use serde::Serialize;

use crate::artifact::{GUIDE_FILE, HANDOUTS_FOLDER, stage_workbook_file};
use crate::model::Stage;
use crate::model::progress::{DirectionFigures, Health, Status};
use crate::present::{Label, format_money, stage_name};
use crate::source::Date;
use crate::source::markdown::Fields;

/// What every page knows about the site around it.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    pub site_title: String,
    pub language: String,
    pub owner_name: String,
    /// The way back to the site's top folder: `""` or `"../"`.
    pub root: &'static str,
    pub public: bool,
    /// The page's own title.
    pub title: String,
    pub description: Option<String>,
    /// Which part of the navigation is current: `dashboard` or `guide`.
    pub section: &'static str,
    pub as_of: Date,
    /// The printable guide and the blank workbooks, relative to the site's top folder; empty
    /// when the build skips the PDFs.
    pub downloads: Vec<Link>,
}

/// The printable files both sites offer, relative to the site's top folder.
pub fn downloads() -> Vec<Link> {
    let mut links = vec![Link {
        title: "The guide, as a printable book (PDF)".into(),
        href: GUIDE_FILE.into(),
    }];
    links.extend(Stage::ALL.map(|stage| Link {
        title: format!("Blank workbook, stage {stage}: {} (PDF)", stage_name(stage)),
        href: format!("{HANDOUTS_FOLDER}/{}", stage_workbook_file(stage)),
    }));
    links
}

/// A page: its frame and its own content.
#[derive(Debug, Serialize)]
pub struct PageContext<T: Serialize> {
    pub frame: Frame,
    pub page: T,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct StageColumn<T: Serialize> {
    pub number: Stage,
    pub name: &'static str,
    pub guide_href: Option<String>,
    pub partners: Vec<T>,
}

#[derive(Debug, Serialize)]
pub struct TimelineStep {
    pub number: Stage,
    pub name: &'static str,
    pub date: Option<Date>,
    pub reached: bool,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct HealthView {
    pub status: Status,
    pub label: &'static str,
    pub last: Option<Date>,
    pub days_since: Option<i64>,
    pub limit_days: u32,
    pub due_by: Option<Date>,
}

fn markdown(fields: &Fields, text: &Option<String>) -> Option<String> {
    text.as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| fields.to_html(t))
}

fn health_view(h: &Health) -> HealthView {
    HealthView {
        status: h.status,
        label: h.status.label(),
        last: h.last,
        days_since: h.days_since,
        limit_days: h.limit_days,
        due_by: h.due_by,
    }
}

pub fn timeline(stage: Stage, dates: &[Option<Date>; 4]) -> Vec<TimelineStep> {
    Stage::ALL
        .into_iter()
        .map(|number| TimelineStep {
            number,
            name: stage_name(number),
            date: dates[number.index()],
            reached: number <= stage,
            current: number == stage,
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct FiguresView {
    pub total: usize,
    pub by_status: Vec<StatusCount>,
    pub closed_value: String,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub count: usize,
}

fn figures_view(figures: &DirectionFigures) -> FiguresView {
    FiguresView {
        total: figures.total,
        by_status: figures
            .by_status
            .iter()
            .map(|(s, count)| StatusCount {
                status: s.label(),
                count: *count,
            })
            .collect(),
        closed_value: format_money(figures.closed_value),
    }
}
