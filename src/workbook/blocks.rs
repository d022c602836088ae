//! What a printable document is made of, before layout: headings, paragraphs of styled text,
//! ruled answer spaces that are also form fields, and Markdown's events (walked once, by
//! [`crate::source::markdown`]) turned into those.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::fonts::Face;
use crate::model::branding::Logo;
use crate::source::markdown::{heading_level, is_safe_url};

/// A run of text in one face, maybe a link.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub face: Face,
    pub(crate) link: Option<Target>,
}

impl Span {
    pub(crate) fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            face: Face::Regular,
            link: None,
        }
    }
    pub(crate) fn bold(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            face: Face::Bold,
            link: None,
        }
    }
    pub(crate) fn italic(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            face: Face::Italic,
            link: None,
        }
    }
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Uri(String),
    /// A heading of the same document, by anchor.
    Anchor(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Normal,
    Muted,
}

/// How a paragraph looks.
#[derive(Debug, Clone, PartialEq)]
pub struct ParaStyle {
    pub(crate) small: bool,
    pub(crate) tone: Tone,
    /// Left indent in points.
    pub(crate) indent: f32,
    /// A marker hung in the indent: a bullet or a number.
    pub marker: Option<String>,
    /// A bar in the margin: text copied from the data (an answer), not an instruction.
    pub filled: bool,
    /// A task list item: a box instead of the marker, ticked when done.
    pub(crate) task: Option<bool>,
    /// Space after, in lines.
    pub(crate) space_after: f32,
}

impl Default for ParaStyle {
    fn default() -> Self {
        ParaStyle {
            small: false,
            tone: Tone::Normal,
            indent: 0.0,
            marker: None,
            filled: false,
            task: None,
            space_after: 0.5,
        }
    }
}

/// One piece of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 starts a part (and a running header), 2 a section, 3 a subsection.
    Heading {
        level: u8,
        text: String,
        anchor: Option<String>,
        outline: bool,
    },
    Paragraph {
        spans: Vec<Span>,
        style: ParaStyle,
        continued: Option<String>,
    },
    /// Ruled lines to write on, also a multi-line form field named `field`. `labels`, if any,
    /// stand at the start of the lines (numbers, dates), one per line.
    Ruled {
        field: String,
        lines: u32,
        labels: Vec<String>,
        continued: Option<String>,
    },
    /// A table: its header row (repeated on each page it runs over) and its rows, each cell
    /// a run of spans; `style` gives the indent and whether it is part of an answer.
    Table {
        head: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
        style: ParaStyle,
        continued: Option<String>,
    },
    /// A question answered by ticking: `label` in bold, then a box for each choice, each
    /// also a checkbox field `field.<choice id>` whose tooltip is `label` and the choice.
    Choices {
        field: String,
        label: String,
        choices: Vec<Choice>,
    },
    /// A contents line: text, the anchor it points to, the page number drawn on the right.
    Contents {
        text: String,
        anchor: String,
        level: u8,
    },
    Space(f32),
    PageBreak,
    /// The branding logo, `height` points high (decoration: the name beside it says who).
    Image {
        logo: Logo,
        height: f32,
    },
    /// Blocks kept on one page: the group starts a new page when it does not fit on what is
    /// left of this one but fits on a page.
    Keep(Vec<Block>),
}

impl Block {
    #[cfg(test)]
    pub(crate) fn heading(level: u8, text: impl Into<String>) -> Block {
        Block::Heading {
            level,
            text: text.into(),
            anchor: None,
            outline: level <= 2,
        }
    }

    pub(crate) fn text(spans: Vec<Span>) -> Block {
        Block::Paragraph {
            spans,
            style: ParaStyle::default(),
            continued: None,
        }
    }

    pub(crate) fn muted(text: impl Into<String>) -> Block {
        Block::Paragraph {
            spans: vec![Span::italic(text)],
            style: ParaStyle {
                tone: Tone::Muted,
                small: true,
                ..ParaStyle::default()
            },
            continued: None,
        }
    }

    pub(crate) fn ruled(
        field: impl Into<String>,
        lines: u32,
        continued: impl Into<String>,
    ) -> Block {
        Block::Ruled {
            field: field.into(),
            lines: lines.max(1),
            labels: Vec::new(),
            continued: Some(continued.into()),
        }
    }

    /// Ruled lines with a label at the start of each.
    pub(crate) fn labelled_lines(
        field: impl Into<String>,
        labels: Vec<String>,
        continued: impl Into<String>,
    ) -> Block {
        let lines = labels.len().max(1) as u32;
        Block::Ruled {
            field: field.into(),
            lines,
            labels,
            continued: Some(continued.into()),
        }
    }
}

/// Appends the text of `blocks` a reader sees to `out`, each piece followed by a newline.
pub(crate) fn visible_text(blocks: &[Block], out: &mut String) {
    let spans = |spans: &[Span], out: &mut String| {
        for span in spans {
            out.push_str(&span.text);
        }
        out.push('\n');
    };
    for block in blocks {
        match block {
            Block::Heading { text, .. } | Block::Contents { text, .. } => {
                out.push_str(text);
                out.push('\n');
            }
            Block::Paragraph {
                spans: s, style, ..
            } => {
                out.extend(style.marker.as_deref());
                spans(s, out);
            }
            Block::Ruled { labels, .. } => {
                for label in labels {
                    out.push_str(label);
                    out.push('\n');
                }
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    spans(cell, out);
                }
            }
            Block::Choices { label, choices, .. } => {
                out.push_str(label);
                out.push('\n');
                for choice in choices {
                    out.push_str(&choice.text);
                    out.push('\n');
                }
            }
            Block::Keep(group) => visible_text(group, out),
            Block::Space(_) | Block::PageBreak | Block::Image { .. } => {}
        }
    }
}

/// How the list item being read starts: its bullet or number, and its box if it is a task.
#[derive(Default)]
struct ItemStart {
    marker: Option<String>,
    task: Option<bool>,
}

/// A table while its events are read.
#[derive(Default)]
struct TableParts {
    head: Vec<Vec<Span>>,
    rows: Vec<Vec<Vec<Span>>>,
    in_head: bool,
}

/// One box of a [`Block::Choices`] row.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The last part of the field's name.
    pub(crate) id: String,
    pub text: String,
    pub(crate) ticked: bool,
}

/// How links in Markdown are resolved.
pub(crate) trait LinkResolver {
    /// The target of `url`, or `None` to keep the text and drop the link.
    fn resolve(&self, url: &str) -> Option<Target>;
}

/// External links only; anything relative is dropped (it would not work on paper).
pub(crate) struct ExternalLinks;

impl LinkResolver for ExternalLinks {
    fn resolve(&self, url: &str) -> Option<Target> {
        (url.contains(':') && is_safe_url(url)).then(|| Target::Uri(url.to_owned()))
    }
}

/// Markdown's events to blocks. `base` is added to every paragraph's style (an answer is
/// `filled`); headings start at `heading_offset + 1` and go no deeper than `deepest` (level 4
/// is a bold label, kept with what follows and not in the outline); with `notes`, a quote is a
/// note (small, italic and muted) rather than an indented quote; with `anchor_prefix`, a
/// heading's anchor is its `id` (set by the Markdown walk) under that prefix; every paragraph
/// carries `continued` for a continuation mark.
pub(crate) struct MarkdownBlocks<'a> {
    pub(crate) base: ParaStyle,
    pub(crate) heading_offset: u8,
    pub(crate) deepest: u8,
    pub(crate) notes: bool,
    pub(crate) anchor_prefix: Option<&'a str>,
    pub(crate) continued: Option<String>,
}

impl MarkdownBlocks<'_> {
    pub(crate) fn convert(&self, events: &[Event<'_>], links: &dyn LinkResolver) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut bold = 0;
        let mut italic = 0;
        let mut link: Vec<Option<Target>> = Vec::new();
        let mut lists: Vec<Option<u64>> = Vec::new();
        let mut item = ItemStart::default();
        let mut quote = 0;
        let mut heading: Option<(u8, Option<String>)> = None;
        let mut table: Option<TableParts> = None;
        let style_at = |lists: &Vec<Option<u64>>, quote: usize| {
            let depth = lists.len().saturating_sub(1) as f32;
            let mut style = self.base.clone();
            let quote_indent = if self.notes { 0.0 } else { quote as f32 * 14.0 };
            style.indent += depth * 14.0 + if lists.is_empty() { 0.0 } else { 14.0 } + quote_indent;
            style
        };
        let flush = |spans: &mut Vec<Span>,
                     item: &mut ItemStart,
                     lists: &Vec<Option<u64>>,
                     quote: usize,
                     blocks: &mut Vec<Block>| {
            if spans.iter().all(|s| s.text.trim().is_empty()) {
                spans.clear();
                if item.task.is_none() {
                    // An empty item's bullet is not carried to what follows.
                    *item = ItemStart::default();
                    return;
                }
                // An empty task still prints its box, to be ticked.
                spans.push(Span::plain("\u{a0}"));
            }
            let mut style = style_at(lists, quote);
            style.marker = item.marker.take();
            style.task = item.task.take();
            if quote > 0 {
                style.tone = Tone::Muted;
                style.small |= self.notes;
            }
            if !lists.is_empty() {
                style.space_after = 0.15;
            }
            blocks.push(Block::Paragraph {
                spans: std::mem::take(spans),
                style,
                continued: self.continued.clone(),
            });
        };
        for event in events.iter().cloned() {
            let face = Face::Regular.with(bold > 0, italic > 0 || (self.notes && quote > 0));
            let current_link = link.last().cloned().flatten();
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks);
                    heading = Some((heading_level(level), id.map(|id| id.to_string())));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let text: String = spans.drain(..).map(|s| s.text).collect();
                    let (level, id) = heading.take().unwrap_or((2, None));
                    let level = (level + self.heading_offset).min(self.deepest);
                    let anchor = self
                        .anchor_prefix
                        .zip(id)
                        .map(|(prefix, id)| format!("{prefix}#{id}"));
                    blocks.push(Block::Heading {
                        level: level.max(1),
                        text,
                        anchor,
                        outline: level <= 2,
                    });
                }
                Event::Start(Tag::Paragraph) => {}
                Event::End(TagEnd::Paragraph) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks)
                }
                Event::Start(Tag::List(start)) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks);
                    lists.push(start);
                }
                Event::End(TagEnd::List(_)) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks);
                    lists.pop();
                    if lists.is_empty() {
                        blocks.push(Block::Space(0.35));
                    }
                }
                Event::Start(Tag::Item) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks);
                    item.marker = Some(match lists.last_mut() {
                        Some(Some(n)) => {
                            let m = format!("{n}.");
                            *n += 1;
                            m
                        }
                        _ => "•".to_owned(),
                    });
                }
                Event::End(TagEnd::Item) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks)
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks);
                    quote += 1;
                }
                Event::End(TagEnd::BlockQuote(_)) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks);
                    quote -= 1;
                }
                Event::Start(Tag::Emphasis) => italic += 1,
                Event::End(TagEnd::Emphasis) => italic -= 1,
                Event::Start(Tag::Strong) => bold += 1,
                Event::End(TagEnd::Strong) => bold -= 1,
                Event::Start(Tag::Link { dest_url, .. }) => link.push(links.resolve(&dest_url)),
                Event::End(TagEnd::Link) => {
                    link.pop();
                }
                Event::Start(Tag::Table(_)) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks);
                    table = Some(TableParts::default());
                }
                Event::Start(Tag::TableRow) => {
                    if let Some(table) = &mut table {
                        table.rows.push(Vec::new());
                    }
                }
                Event::End(TagEnd::TableCell) => {
                    if let Some(table) = &mut table {
                        let cell = std::mem::take(&mut spans);
                        match table.rows.last_mut() {
                            Some(row) if !table.in_head => row.push(cell),
                            _ => table.head.push(cell),
                        }
                    }
                }
                Event::Start(Tag::TableHead) => {
                    if let Some(table) = &mut table {
                        table.in_head = true;
                    }
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some(table) = &mut table {
                        table.in_head = false;
                    }
                }
                Event::End(TagEnd::Table) => {
                    if let Some(table) = table.take() {
                        blocks.push(Block::Table {
                            head: table.head,
                            rows: table.rows,
                            style: style_at(&lists, quote),
                            continued: self.continued.clone(),
                        });
                    }
                }
                Event::Text(text)
                | Event::Code(text)
                | Event::Html(text)
                | Event::InlineHtml(text) => spans.push(Span {
                    text: text.into_string(),
                    face,
                    link: current_link,
                }),
                Event::SoftBreak | Event::HardBreak => spans.push(Span {
                    text: " ".into(),
                    face,
                    link: None,
                }),
                Event::TaskListMarker(done) => item.task = Some(done),
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::FootnoteDefinition) => {
                    flush(&mut spans, &mut item, &lists, quote, &mut blocks)
                }
                Event::Rule => blocks.push(Block::Space(0.5)),
                _ => {}
            }
        }
        flush(&mut spans, &mut item, &lists, quote, &mut blocks);
        blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(markdown: &str) -> Vec<Block> {
        MarkdownBlocks {
            base: ParaStyle::default(),
            heading_offset: 0,
            deepest: 3,
            notes: false,
            anchor_prefix: Some("p"),
            continued: None,
        }
        .convert(
            &crate::source::markdown::render_guide(markdown).events,
            &ExternalLinks,
        )
    }

    #[test]
    fn emphasis_lists_and_links_become_styled_spans() {
        let blocks = convert(
            "Hello *there* **you**, see [site](https://example.org) or [page](x.md).\n\n- one\n- two\n",
        );
        let Block::Paragraph { spans, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let faces: Vec<(&str, Face)> = spans.iter().map(|s| (s.text.as_str(), s.face)).collect();
        assert_eq!(faces[1], ("there", Face::Italic));
        assert_eq!(faces[3], ("you", Face::Bold));
        assert_eq!(
            spans[5].link,
            Some(Target::Uri("https://example.org".into()))
        );
        assert_eq!(spans[7].link, None, "relative links do not work on paper");
        let markers: Vec<Option<String>> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { style, .. } => Some(style.marker.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(markers, [None, Some("•".into()), Some("•".into())]);
    }

    #[test]
    fn tables_keep_their_cells_and_task_items_their_state() {
        let blocks = convert(
            "| A | **B** |\n|---|---|\n| 1 | 2 |\n| 3 |  |\n\n- [x] done\n- [ ] to do\n- plain\n",
        );
        let Block::Table { head, rows, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let text = |cell: &Vec<Span>| cell.iter().map(|s| s.text.as_str()).collect::<String>();
        assert_eq!(head.iter().map(text).collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(head[1][0].face, Face::Bold);
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(text).collect()).collect();
        assert_eq!(cells, [vec!["1", "2"], vec!["3", ""]]);
        let tasks: Vec<Option<bool>> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { style, .. } => Some(style.task),
                _ => None,
            })
            .collect();
        assert_eq!(tasks, [Some(true), Some(false), None]);
    }

    #[test]
    fn an_empty_task_keeps_its_box_and_an_empty_item_gives_none_away() {
        let blocks = convert("- [ ]\n- plain item\n\nIntro.\n\n-\n\nAfter.\n");
        let styles: Vec<(String, Option<bool>, Option<String>)> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { spans, style, .. } => Some((
                    spans.iter().map(|s| s.text.as_str()).collect(),
                    style.task,
                    style.marker.clone(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            styles,
            [
                ("\u{a0}".into(), Some(false), Some("•".into())),
                ("plain item".into(), None, Some("•".into())),
                ("Intro.".into(), None, None),
                ("After.".into(), None, None),
            ]
        );
    }

    #[test]
    fn headings_get_namespaced_unique_anchors() {
        let blocks = convert("## A b\n\ntext\n\n## A b\n");
        let anchors: Vec<Option<String>> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { anchor, .. } => Some(anchor.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(anchors, [Some("p#a-b".into()), Some("p#a-b-1".into())]);
    }
}
