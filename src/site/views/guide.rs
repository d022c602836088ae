//! The guide's contents page and its pages.

use serde::Serialize;

use super::Link;
use crate::model::Stage;
use crate::model::guide::GuidePage;
use crate::present::{Label, stage_name};
use crate::source::markdown::Heading;

#[derive(Debug, Serialize)]
pub struct GuideIndex {
    pub pages: Vec<GuideEntry>,
}

#[derive(Debug, Serialize)]
pub struct GuideEntry {
    pub title: String,
    pub summary: Option<String>,
    pub href: String,
    pub stage: Option<Stage>,
    pub stage_name: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct GuideView {
    pub title: String,
    pub summary: Option<String>,
    pub stage: Option<Stage>,
    pub stage_name: Option<&'static str>,
    pub vcp: Option<String>,
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub questions: Vec<QuestionEntry>,
    pub themes: Vec<ThemeEntry>,
}

/// A second-level heading and the third-level ones under it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub text: String,
    pub anchor: String,
    pub children: Vec<Heading>,
}

/// The table of contents: `##` headings with their `###` headings nested inside.
pub fn table_of_contents(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for heading in headings {
        match (heading.level, toc.last_mut()) {
            (3, Some(parent)) => parent.children.push(heading.clone()),
            (2 | 3, _) => toc.push(TocEntry {
                text: heading.text.clone(),
                anchor: heading.anchor.clone(),
                children: Vec::new(),
            }),
            _ => {}
        }
    }
    toc
}

#[derive(Debug, Serialize)]
pub struct QuestionEntry {
    pub id: String,
    pub part: &'static str,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ThemeEntry {
    pub id: String,
    pub title: String,
    pub prompt: String,
}

pub fn guide_index(pages: &[GuidePage]) -> GuideIndex {
    GuideIndex {
        pages: pages
            .iter()
            .map(|p| {
                let stage = p.stage();
                GuideEntry {
                    title: p.front.title.clone(),
                    summary: p.front.summary.clone(),
                    href: format!("{}.html", p.slug),
                    stage,
                    stage_name: stage.map(stage_name),
                }
            })
            .collect(),
    }
}

pub fn guide_page(pages: &[GuidePage], index: usize) -> GuideView {
    let page = &pages[index];
    let link = |p: &GuidePage| Link {
        title: p.front.title.clone(),
        href: format!("{}.html", p.slug),
    };
    let stage = page.stage();
    GuideView {
        title: page.front.title.clone(),
        summary: page.front.summary.clone(),
        stage,
        stage_name: stage.map(stage_name),
        vcp: page.front.vcp.map(|v| format!("{v:?}")),
        html: page.html.clone(),
        toc: table_of_contents(&page.headings),
        previous: index.checked_sub(1).map(|i| link(&pages[i])),
        next: pages.get(index + 1).map(link),
        questions: page
            .front
            .questions
            .iter()
            .map(|q| QuestionEntry {
                id: q.id.value.clone(),
                part: q.part.label(),
                text: q.text.clone(),
            })
            .collect(),
        themes: page
            .front
            .themes
            .iter()
            .map(|t| ThemeEntry {
                id: t.id.value.clone(),
                title: t.title.clone(),
                prompt: t.prompt.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_contents_nests_third_level_headings() {
        let h = |level, text: &str| Heading {
            level,
            text: text.into(),
            anchor: text.into(),
        };
        let toc = table_of_contents(&[
            h(3, "orphan"),
            h(2, "a"),
            h(3, "a1"),
            h(4, "deep"),
            h(2, "b"),
        ]);
        let shape: Vec<(&str, usize)> = toc
            .iter()
            .map(|e| (e.text.as_str(), e.children.len()))
            .collect();
        assert_eq!(shape, [("orphan", 0), ("a", 1), ("b", 0)]);
    }
}
