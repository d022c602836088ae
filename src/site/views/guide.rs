//! The guide's contents page and its pages.

use serde::Serialize;

use super::Link;
use crate::model::Stage;
use crate::model::guide::{GuidePage, Part, Vcp};
use crate::source::markdown::Heading;

/// The guide's contents: where to start, the pages of each stage, then the pages beside them.
#[derive(Debug, Serialize)]
pub(crate) struct GuideIndex {
    /// The first page, to start reading.
    pub(crate) first: Option<Link>,
    /// Each stage that has pages, in order, with its pages in the guide's order.
    pub(crate) stages: Vec<StagePages>,
    /// The pages that teach no one stage, in the guide's order.
    pub(crate) others: Vec<GuideEntry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct StagePages {
    pub(crate) stage: Stage,
    pub(crate) pages: Vec<GuideEntry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct GuideEntry {
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    pub(crate) href: String,
    pub(crate) stage: Option<Stage>,
    /// About how long the page takes to read, at 200 words a minute; at least one.
    pub(crate) minutes: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct GuideView {
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    pub(crate) stage: Option<Stage>,
    pub(crate) vcp: Option<Vcp>,
    pub(crate) html: String,
    pub(crate) toc: Vec<TocEntry>,
    pub(crate) previous: Option<Link>,
    pub(crate) next: Option<Link>,
    /// Every page of this site's guide, for the chapter list.
    pub(crate) chapters: Vec<Chapter>,
    pub(crate) questions: Vec<QuestionEntry>,
    pub(crate) themes: Vec<ThemeEntry>,
}

/// A page in the guide's chapter list.
#[derive(Debug, Serialize)]
pub(crate) struct Chapter {
    pub(crate) title: String,
    pub(crate) href: String,
    pub(crate) stage: Option<Stage>,
    pub(crate) current: bool,
}

/// A second-level heading and the third-level ones under it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct TocEntry {
    pub(crate) text: String,
    pub(crate) anchor: String,
    pub(crate) children: Vec<Heading>,
}

/// The table of contents: `##` headings with their `###` headings nested inside.
pub(crate) fn table_of_contents(headings: &[Heading]) -> Vec<TocEntry> {
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
pub(crate) struct QuestionEntry {
    pub(crate) id: String,
    pub(crate) part: Part,
    pub(crate) text: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ThemeEntry {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) prompt: String,
}

/// Words read in a minute, for the reading time: a common figure for reading to learn.
const WORDS_PER_MINUTE: usize = 200;

pub(crate) fn guide_index(pages: &[&GuidePage]) -> GuideIndex {
    let entry = |p: &GuidePage| {
        let words = crate::source::markdown::plain_text(p.events.iter())
            .split_whitespace()
            .count();
        GuideEntry {
            title: p.front.title.clone(),
            summary: p.front.summary.clone(),
            href: format!("{}.html", p.slug),
            stage: p.stage(),
            minutes: words.div_ceil(WORDS_PER_MINUTE).max(1),
        }
    };
    let mut stages: Vec<StagePages> = Stage::ALL
        .into_iter()
        .map(|stage| StagePages {
            stage,
            pages: Vec::new(),
        })
        .collect();
    let mut others = Vec::new();
    for entry in pages.iter().map(|p| entry(p)) {
        match entry.stage {
            Some(stage) => stages[stage.index()].pages.push(entry),
            None => others.push(entry),
        }
    }
    stages.retain(|s| !s.pages.is_empty());
    GuideIndex {
        first: pages.first().map(|p| Link {
            title: p.front.title.clone(),
            href: format!("{}.html", p.slug),
        }),
        stages,
        others,
    }
}

/// The view of `pages[index]`, as the public site (`public`) or the private one shows it;
/// `pages` are that site's guide pages.
pub(crate) fn guide_page(pages: &[&GuidePage], index: usize, public: bool) -> GuideView {
    let page = pages[index];
    let link = |p: &GuidePage| Link {
        title: p.front.title.clone(),
        href: format!("{}.html", p.slug),
    };
    let stage = page.stage();
    GuideView {
        title: page.front.title.clone(),
        summary: page.front.summary.clone(),
        stage,
        vcp: page.front.vcp,
        html: page.html_for(public).to_owned(),
        toc: table_of_contents(&page.headings),
        previous: index.checked_sub(1).map(|i| link(pages[i])),
        next: pages.get(index + 1).map(|p| link(p)),
        chapters: pages
            .iter()
            .enumerate()
            .map(|(i, p)| Chapter {
                title: p.front.title.clone(),
                href: format!("{}.html", p.slug),
                stage: p.stage(),
                current: i == index,
            })
            .collect(),
        questions: page
            .front
            .questions
            .iter()
            .map(|q| QuestionEntry {
                id: q.id.value.clone(),
                part: q.part,
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
