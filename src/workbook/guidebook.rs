//! `guide.pdf`: the guide as a printable book, with a title page, contents with page
//! numbers, running headers and page numbers; links between guide pages become links within
//! the book. Both sites publish it, so it holds the pages for everyone: a page marked
//! `audience: owner` stays out, and a link to one keeps its words and loses its target.

use std::collections::{HashMap, HashSet};

use super::blocks::{Block, LinkResolver, MarkdownBlocks, ParaStyle, Span, Target};
use crate::model::handout::HandoutView;
use crate::model::strings::Strings;
use crate::source::markdown::is_safe_url;

/// Guide links (`03-briefings.md#the-questions`, as rewritten or as written) point into the
/// book, where the page they name is in it.
struct BookLinks<'a> {
    /// The slugs of the pages in the book.
    pages: HashSet<&'a str>,
}

impl LinkResolver for BookLinks<'_> {
    fn resolve(&self, url: &str) -> Option<Target> {
        if url.contains(':') {
            return is_safe_url(url).then(|| Target::Uri(url.to_owned()));
        }
        let (path, anchor) = url
            .split_once('#')
            .map_or((url, None), |(p, a)| (p, Some(a)));
        let stem = path
            .trim_start_matches("./")
            .trim_end_matches(".md")
            .trim_end_matches(".html");
        if !self.pages.contains(stem) {
            return None;
        }
        Some(Target::Anchor(match anchor {
            Some(anchor) => format!("{stem}#{anchor}"),
            None => stem.to_owned(),
        }))
    }
}

/// The book's blocks, in the words of `strings`; its contents list the guide's pages, then
/// `more` (title and anchor of each part that follows the guide in the same document).
pub fn blocks(handout: &HandoutView, strings: &Strings, more: &[(String, String)]) -> Vec<Block> {
    let words = |key: &str, values: &[(&str, String)]| strings.words(key, values);
    let branding = &handout.branding;
    let pages = handout.guide.pages_for(true);
    let links = BookLinks {
        pages: pages.iter().map(|p| p.slug.as_str()).collect(),
    };
    let mut blocks = vec![Block::Space(if handout.logo.is_some() { 3.0 } else { 6.0 })];
    if let Some(logo) = &handout.logo {
        blocks.push(Block::Image {
            logo: logo.clone(),
            height: 54.0,
        });
    }
    blocks.extend([
        Block::Heading {
            level: 0,
            text: words("guide_book.title_page.title", &[]),
            anchor: Some("title".into()),
            outline: false,
        },
        Block::text(vec![Span::italic(words(
            "guide_book.title_page.subtitle",
            &[],
        ))]),
        Block::Space(1.0),
    ]);
    // A trainer's name and course, where site.yaml brands the handouts.
    if let Some(name) = &branding.name {
        blocks.push(Block::text(vec![Span::bold(name.clone())]));
    }
    if let Some(course) = branding.course_line(strings) {
        blocks.push(Block::text(vec![Span::plain(course)]));
    }
    blocks.extend([
        Block::text(vec![Span::plain(words(
            "guide_book.title_page.by",
            &[
                ("name", handout.owner_name.clone()),
                ("business", handout.owner_business.clone()),
            ],
        ))]),
        Block::text(vec![Span::plain(handout.title.clone())]),
        Block::muted(words(
            "guide_book.title_page.printed",
            &[("date", strings.date(handout.as_of))],
        )),
        Block::PageBreak,
        Block::Heading {
            level: 1,
            text: words("guide_book.contents", &[]),
            anchor: Some("contents".into()),
            outline: true,
        },
    ]);
    for page in &pages {
        blocks.push(Block::Contents {
            text: page.front.title.clone(),
            anchor: page.slug.clone(),
            level: 1,
        });
        for heading in page.headings.iter().filter(|h| h.level == 2) {
            blocks.push(Block::Contents {
                text: heading.text.clone(),
                anchor: format!("{}#{}", page.slug, heading.anchor),
                level: 2,
            });
        }
    }
    for (title, anchor) in more {
        blocks.push(Block::Contents {
            text: title.clone(),
            anchor: anchor.clone(),
            level: 1,
        });
    }
    for page in &pages {
        blocks.push(Block::Heading {
            level: 1,
            text: page.front.title.clone(),
            anchor: Some(page.slug.clone()),
            outline: true,
        });
        if let Some(summary) = &page.front.summary {
            blocks.push(Block::Paragraph {
                spans: vec![Span::italic(summary.clone())],
                style: ParaStyle {
                    space_after: 0.8,
                    ..ParaStyle::default()
                },
                continued: None,
            });
        }
        let converter = MarkdownBlocks {
            base: ParaStyle::default(),
            heading_offset: 0,
            deepest: 3,
            notes: false,
            anchor_prefix: Some(&page.slug),
            continued: None,
        };
        blocks.extend(converter.convert(&page.events, &links));
    }
    blocks
}

/// Page numbers (1-based) of every anchor, from a first layout pass.
pub(crate) fn page_numbers(anchors: &HashMap<String, (usize, f32)>) -> HashMap<String, usize> {
    anchors
        .iter()
        .map(|(anchor, (page, _))| (anchor.clone(), page + 1))
        .collect()
}
