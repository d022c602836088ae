//! Text layout and pagination for the printable documents, written by hand: no crate lays out
//! styled text into pages of ruled worksheets with these rules.
//!
//! Text is wrapped to the width measured with the embedded font's advances. Pagination keeps a
//! heading with the first two lines of what follows, leaves no single line of a paragraph alone
//! at the foot of a page (orphan) or the head of the next (widow), and splits long paragraphs
//! and ruled answer spaces across pages with a "continued" mark. Tables keep their rows whole
//! and repeat their header row; a section that would end on a page with less than a quarter
//! page on it is laid out again with more of it carried over. Every page gets a running
//! header and "Page N of M". The result is a list of positioned items, independent of any PDF
//! library: the [`super::pdf`] backend draws it.

use std::collections::{BTreeSet, HashMap};

use super::blocks::{Block, Choice, ParaStyle, Span, Target, Tone};
use super::fonts::{Face, FontSet};
use super::structure::{Element, Mark, Structure};
use super::style::{Rgb, Style};
use crate::model::branding::Logo;
use crate::model::strings::fill;

/// A positioned thing on a page. `y` grows downwards from the top edge; text `y` is its baseline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        colour: Rgb,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: Rgb,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb,
    },
    /// A single-line text field over one ruled line: `name` is its full dotted name, `tooltip`
    /// what a screen reader announces.
    Field {
        name: String,
        tooltip: String,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// A checkbox field of side `size`, ticked or not.
    Check {
        name: String,
        tooltip: String,
        x: f32,
        y: f32,
        size: f32,
        checked: bool,
    },
    /// An image drawn `w` by `h` points from its top left corner.
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        logo: Logo,
    },
    /// A link annotation; `label` is what it says, for a screen reader.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: Target,
        label: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrintedPage {
    pub(crate) items: Vec<Item>,
    /// What each item is part of, index for index.
    pub(crate) marks: Vec<Mark>,
}

impl PrintedPage {
    fn push(&mut self, mark: Mark, item: Item) {
        self.items.push(item);
        self.marks.push(mark);
    }
}

/// A bookmark: its nesting level (1 is top), title, page index and position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutlineEntry {
    pub(crate) level: u8,
    pub(crate) title: String,
    pub(crate) page: usize,
    pub(crate) y: f32,
}

/// A laid-out document.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub pages: Vec<PrintedPage>,
    pub(crate) outline: Vec<OutlineEntry>,
    /// Anchor -> (page index, y).
    pub(crate) anchors: HashMap<String, (usize, f32)>,
    /// The structure elements the pages' marks point to.
    pub(crate) elements: Vec<Element>,
}

/// What the running header says.
#[derive(Debug, Clone)]
pub struct Running {
    pub title: String,
    /// Pages before this index get no header or footer (a title page).
    pub first_decorated: usize,
    /// The footer, with `{page}` and `{pages}` filled in (the theme's `Page {page} of {pages}`).
    pub page_of: String,
    /// The mark over the rest of an answer on a new page, with `{name}` the answer's label.
    pub continued: String,
    /// A ruled line's tooltip, with `{name}` the answer's label, `{line}` and `{lines}`.
    pub line_of: String,
    /// A line at the left of every footer (a trainer's contact or licence), if any.
    pub note: Option<String>,
}

/// Ruled spaces of at most this many lines are never split across pages.
const WHOLE_RULED: usize = 10;

/// The width of the bar beside an answer.
const BAR_WIDTH: f32 = 2.0;

/// The space between a table cell's rules and its text.
const TABLE_PAD: f32 = 4.0;

/// The height of a ruled line's form field, and how far it reaches below the rule: every
/// common viewer centres a single line of typed text in its field, so this puts typed text
/// on the rule, as handwriting would be.
const FIELD_HEIGHT: f32 = 15.0;
const FIELD_BELOW_RULE: f32 = 2.5;

/// The two strokes of a tick in a box of `side` at (`x`, `top`).
pub(crate) fn tick(x: f32, top: f32, side: f32) -> [((f32, f32), (f32, f32)); 2] {
    let (left, middle, right) = (x + side * 0.2, x + side * 0.42, x + side * 0.85);
    let (mid, low, high) = (top + side * 0.55, top + side * 0.8, top + side * 0.2);
    [((left, mid), (middle, low)), ((middle, low), (right, high))]
}

/// The name and tooltip of line `number` (from 1) of a ruled space of `lines` lines named
/// `field`: one line is the field itself, more are its children `1`, `2`, …; the tooltip is
/// the question or label the space answers, with the line's label (a number, "Date:").
fn line_field(
    field: &str,
    label: Option<&str>,
    labels: &[String],
    (number, lines): (usize, u32),
    line_of: &str,
) -> (String, String) {
    let label = label.unwrap_or(field);
    if lines <= 1 {
        return (field.to_owned(), label.to_owned());
    }
    let tooltip = match labels.get(number - 1) {
        Some(line_label) => format!("{label}: {line_label}"),
        None => fill(
            line_of,
            &[
                ("name", label.to_owned()),
                ("line", number.to_string()),
                ("lines", lines.to_string()),
            ],
        ),
    };
    (format!("{field}.{number}"), tooltip)
}

/// One word or run of words placed on a line.
#[derive(Debug, Clone)]
struct Piece {
    x: f32,
    width: f32,
    face: Face,
    text: String,
    link: Option<Target>,
}

/// How many times a document is laid out again to fill a short last page of a section.
const MAX_REFLOWS: usize = 8;

/// Lays out `blocks`. `page_numbers` gives the page shown for each anchor in contents lines
/// (from an earlier pass); missing anchors show `?`. A section (up to a part's heading or a
/// page break) whose last page would hold less than a quarter page takes blocks over from the
/// page before, when that page keeps at least half its height.
pub fn lay_out(
    blocks: &[Block],
    fonts: &FontSet,
    style: &Style,
    running: &Running,
    page_numbers: &HashMap<String, usize>,
) -> Laid {
    let mut breaks = BTreeSet::new();
    let mut reflows = 0;
    loop {
        let (laid, starts) = lay_out_breaking(blocks, fonts, style, running, page_numbers, &breaks);
        match short_section_end(&laid, &starts, blocks, style) {
            Some(index) if reflows < MAX_REFLOWS && !breaks.contains(&index) => {
                // Sections are mended in order: a break found for a later one is found again.
                breaks.retain(|at| *at < index);
                breaks.insert(index);
                reflows += 1;
            }
            _ => return laid,
        }
    }
}

/// The block to start a page with so that no section ends on a page with less than a
/// quarter of a page on it, if there is one: the last block begun on the page before that
/// leaves it at least half full and brings a quarter page over, with any heading before it.
fn short_section_end(
    laid: &Laid,
    starts: &[(usize, f32)],
    blocks: &[Block],
    style: &Style,
) -> Option<usize> {
    let top = style.margin_top;
    let bottom = style.page_height - style.margin_bottom;
    let quarter = (bottom - top) / 4.0;
    for page in 1..laid.pages.len() {
        let next = starts.iter().position(|(p, _)| *p > page);
        let ends_section = match next {
            None => page + 1 == laid.pages.len(),
            Some(k) => {
                matches!(blocks[k], Block::Heading { level: 1, .. })
                    || k > 0 && matches!(blocks[k - 1], Block::PageBreak)
            }
        };
        if !ends_section {
            continue;
        }
        let content_end = |page: usize| {
            laid.pages[page]
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Text { y, .. } | Item::Line { y1: y, .. } => Some(*y),
                    Item::Fill { y, h, .. } => Some(y + h),
                    _ => None,
                })
                .filter(|y| (top..=bottom).contains(y))
                .fold(top, f32::max)
        };
        let used = content_end(page) - top;
        if used >= quarter {
            continue;
        }
        // A page that begins its section has nothing before it to take.
        let first_here = starts.iter().position(|(p, _)| *p == page);
        if first_here.is_some_and(|f| {
            matches!(blocks[f], Block::Heading { level: 1, .. })
                || f > 0 && matches!(blocks[f - 1], Block::PageBreak)
        }) {
            continue;
        }
        let before_end = content_end(page - 1);
        let Some(candidate) = (1..blocks.len()).rev().find(|k| {
            let (p, y) = starts[*k];
            p == page - 1 && y - top >= (bottom - top) / 2.0 && before_end - y + used >= quarter
        }) else {
            continue;
        };
        let mut start = candidate;
        while start > 1
            && starts[start - 1].0 == page - 1
            && matches!(blocks[start - 1], Block::Heading { .. })
        {
            start -= 1;
        }
        return Some(start);
    }
    None
}

/// Lays out `blocks`, starting a page at each block in `breaks`; returns the pages and where
/// each block began (page, height).
fn lay_out_breaking(
    blocks: &[Block],
    fonts: &FontSet,
    style: &Style,
    running: &Running,
    page_numbers: &HashMap<String, usize>,
    breaks: &BTreeSet<usize>,
) -> (Laid, Vec<(usize, f32)>) {
    let mut flow = Flow::new(fonts, style);
    flow.continued.clone_from(&running.continued);
    flow.line_of.clone_from(&running.line_of);
    flow.new_page();
    let mut starts = Vec::with_capacity(blocks.len());
    for (index, block) in blocks.iter().enumerate() {
        // A part's heading starts a page: so it is seen to begin there.
        let part = matches!(block, Block::Heading { level: 1, .. });
        if (part || breaks.contains(&index)) && !flow.at_top() {
            flow.new_page();
        }
        starts.push((flow.page_index(), flow.y));
        flow.place(block, &blocks[index + 1..], page_numbers);
    }
    flow.join_bars();
    flow.decorate(running);
    flow.laid.elements = flow.structure.elements;
    (flow.laid, starts)
}

struct Flow<'a> {
    fonts: &'a FontSet,
    style: &'a Style,
    laid: Laid,
    y: f32,
    /// The level-1 heading current on each page.
    part: Vec<String>,
    structure: Structure,
    /// What the items placed now are part of.
    mark: Mark,
    /// Task checkboxes so far, to number their fields.
    tasks: usize,
    /// The continuation mark's text, from [`Running::continued`].
    continued: String,
    /// A ruled line's tooltip, from [`Running::line_of`].
    line_of: String,
}

impl<'a> Flow<'a> {
    /// A flow with no page yet.
    fn new(fonts: &'a FontSet, style: &'a Style) -> Flow<'a> {
        Flow {
            fonts,
            style,
            laid: Laid::default(),
            y: 0.0,
            part: Vec::new(),
            structure: Structure::default(),
            mark: Mark::Artifact,
            tasks: 0,
            continued: String::new(),
            line_of: String::new(),
        }
    }

    fn left(&self) -> f32 {
        self.style.margin_inner
    }
    fn bottom(&self) -> f32 {
        self.style.page_height - self.style.margin_bottom
    }
    fn page(&mut self) -> &mut PrintedPage {
        self.laid.pages.last_mut().expect("a page exists")
    }
    /// Places `item` as part of the current element.
    fn push(&mut self, item: Item) {
        let mark = self.mark;
        self.page().push(mark, item);
    }
    /// Places decoration: a rule, a bar, an underline.
    fn artifact(&mut self, item: Item) {
        self.page().push(Mark::Artifact, item);
    }
    fn page_index(&self) -> usize {
        self.laid.pages.len() - 1
    }
    fn at_top(&self) -> bool {
        (self.y - self.style.margin_top).abs() < 0.01
    }

    fn new_page(&mut self) {
        self.laid.pages.push(PrintedPage::default());
        let current = self.part.last().cloned().unwrap_or_default();
        self.part.push(current);
        self.y = self.style.margin_top;
    }

    fn line_height(&self, small: bool) -> f32 {
        let size = if small {
            self.style.small
        } else {
            self.style.body
        };
        size * self.style.line_height
    }

    fn text(&mut self, x: f32, baseline: f32, face: Face, size: f32, colour: Rgb, text: &str) {
        self.push(Item::Text {
            x,
            y: baseline,
            face,
            size,
            colour,
            text: text.to_owned(),
        });
    }

    /// The height that must follow a heading on its page: short notes and labels that come
    /// next in full, then the start of the first real content (a ruled space of up to
    /// [`WHOLE_RULED`] lines in full, since it is never split).
    fn keep_height(&self, rest: &[Block]) -> f32 {
        let mut height = 0.0;
        for (index, block) in rest.iter().enumerate() {
            match block {
                Block::Paragraph { spans, style, .. } if style.tone == Tone::Muted => {
                    height += self.wrap(spans, style).len() as f32 * self.line_height(style.small);
                }
                Block::Heading { level: 4.., .. } => height += self.line_height(false) * 1.2,
                Block::Paragraph { spans, style, .. } => {
                    // The least of a paragraph a page can end with: all of it up to three
                    // lines (two and one would leave an orphan or a widow), else two.
                    let lines = match self.wrap(spans, style).len() {
                        n @ 0..=3 => n,
                        _ => 2,
                    };
                    return height + lines as f32 * self.line_height(style.small);
                }
                Block::Ruled { lines, .. } => {
                    let shown = if *lines as usize <= WHOLE_RULED {
                        *lines
                    } else {
                        2
                    };
                    return height + shown as f32 * self.style.ruled_line_gap;
                }
                Block::Heading { level, text, .. } => {
                    // A heading straight after a heading: both, and what the second keeps.
                    let rest = &rest[index + 1..];
                    return height + self.heading_height(*level, text) + self.keep_height(rest);
                }
                Block::Contents { .. } => return height + self.line_height(false),
                Block::Table { .. } => {
                    return height + 2.0 * (self.line_height(false) + 2.0 * TABLE_PAD);
                }
                Block::Choices { .. } => return height + self.style.ruled_line_gap,
                Block::Image { height: image, .. } => return height + image,
                Block::Keep(group) => {
                    return height
                        + self
                            .measure(group)
                            .unwrap_or_else(|| self.keep_height(group));
                }
                Block::Space(_) | Block::PageBreak => return height,
            }
        }
        height
    }

    /// An image `height` points high (less if the measure is too narrow for it), as wide as its
    /// proportions make it, on a new page if it does not fit on this one.
    fn image(&mut self, logo: &Logo, height: f32) {
        let ratio = logo.width as f32 / logo.height.max(1) as f32;
        let w = (height * ratio).min(self.style.measure());
        let h = w / ratio;
        if self.y + h > self.bottom() && !self.at_top() {
            self.new_page();
        }
        let (x, y) = (self.left(), self.y);
        self.artifact(Item::Image {
            x,
            y,
            w,
            h,
            logo: logo.clone(),
        });
        self.y += h + self.line_height(false) * 0.5;
    }

    /// The height `blocks` take laid out from the top of a page; `None` when they need more
    /// than a page.
    fn measure(&self, blocks: &[Block]) -> Option<f32> {
        let mut scratch = Flow::new(self.fonts, self.style);
        scratch.continued.clone_from(&self.continued);
        scratch.line_of.clone_from(&self.line_of);
        scratch.new_page();
        for (index, block) in blocks.iter().enumerate() {
            scratch.place(block, &blocks[index + 1..], &HashMap::new());
        }
        (scratch.laid.pages.len() == 1).then_some(scratch.y - self.style.margin_top)
    }

    fn place(&mut self, block: &Block, next: &[Block], page_numbers: &HashMap<String, usize>) {
        match block {
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
            Block::Space(lines) => {
                self.y += lines * self.line_height(false);
                if self.y > self.bottom() {
                    self.new_page();
                }
            }
            Block::Heading {
                level,
                text,
                anchor,
                outline,
            } => self.heading(*level, text, anchor.as_deref(), *outline, next),
            Block::Paragraph {
                spans,
                style,
                continued,
            } => self.paragraph(spans, style, continued.as_deref()),
            Block::Ruled {
                field,
                lines,
                labels,
                continued,
            } => self.ruled(field, *lines, labels, continued.as_deref()),
            Block::Contents {
                text,
                anchor,
                level,
            } => self.contents(text, anchor, *level, page_numbers),
            Block::Table {
                head,
                rows,
                style,
                continued,
            } => self.table(head, rows, style, continued.as_deref()),
            Block::Choices {
                field,
                label,
                choices,
            } => self.choices(field, label, choices),
            Block::Image { logo, height } => self.image(logo, *height),
            Block::Keep(group) => {
                let fits = self.measure(group);
                if fits.is_some_and(|height| self.y + height > self.bottom()) && !self.at_top() {
                    self.new_page();
                }
                for (index, block) in group.iter().enumerate() {
                    let after = match &group[index + 1..] {
                        [] => next,
                        rest => rest,
                    };
                    self.place(block, after, page_numbers);
                }
            }
        }
    }

    /// A heading's type size, line height and wrapped lines.
    fn heading_lines(&self, level: u8, text: &str) -> (f32, f32, Vec<Vec<Piece>>) {
        let size = match level {
            0 => self.style.title,
            1 => self.style.heading[0],
            2 => self.style.heading[1],
            3 => self.style.heading[2],
            _ => self.style.body,
        };
        let line = if level >= 4 {
            size * self.style.line_height
        } else {
            size * 1.25
        };
        let spans = [Span {
            text: text.to_owned(),
            face: Face::Bold,
            link: None,
        }];
        let lines = self.wrap_at(&spans, size, self.style.measure());
        (size, line, lines)
    }

    /// The height a heading takes below another one: space above, lines, space below.
    fn heading_height(&self, level: u8, text: &str) -> f32 {
        let (size, line, lines) = self.heading_lines(level, text);
        let before = if level >= 4 { size * 0.3 } else { size * 0.9 };
        before + lines.len() as f32 * line + size * 0.35
    }

    fn heading(
        &mut self,
        level: u8,
        text: &str,
        anchor: Option<&str>,
        outline: bool,
        next: &[Block],
    ) {
        let (size, line, lines) = self.heading_lines(level, text);
        let before = match level {
            _ if self.at_top() => 0.0,
            4.. => size * 0.3,
            _ => size * 0.9,
        };
        let needed = before + lines.len() as f32 * line + size * 0.35 + self.keep_height(next);
        if level == 1 && !self.at_top() || self.y + needed > self.bottom() {
            self.new_page();
        } else {
            self.y += before;
        }
        if level <= 1 {
            let index = self.page_index();
            self.part[index] = text.to_owned();
        }
        self.mark = Mark::Content(self.structure.heading(level));
        let top = self.y;
        let colour = if level <= 2 {
            self.style.accent
        } else {
            self.style.text
        };
        for pieces in lines {
            self.y += line;
            for piece in pieces {
                let drop = if level >= 4 { line * 0.28 } else { size * 0.25 };
                self.text(
                    self.left() + piece.x,
                    self.y - drop,
                    Face::Bold,
                    size,
                    colour,
                    &piece.text,
                );
            }
        }
        if level <= 1 {
            let y = self.y + size * 0.2;
            let (x1, x2) = (self.left(), self.left() + self.style.measure());
            let rule = self.style.rule;
            self.artifact(Item::Line {
                x1,
                y1: y,
                x2,
                y2: y,
                width: 0.8,
                colour: rule,
            });
        }
        self.y += if level >= 4 { 0.0 } else { size * 0.35 };
        let page = self.page_index();
        if outline {
            self.laid.outline.push(OutlineEntry {
                level: level.max(1),
                title: text.to_owned(),
                page,
                y: top,
            });
        }
        if let Some(anchor) = anchor {
            self.laid.anchors.insert(anchor.to_owned(), (page, top));
        }
    }

    fn paragraph(&mut self, spans: &[Span], style: &ParaStyle, continued: Option<&str>) {
        let lines = self.wrap(spans, style);
        let height = self.line_height(style.small);
        let size = if style.small {
            self.style.small
        } else {
            self.style.body
        };
        let colour = match style.tone {
            Tone::Normal => self.style.text,
            Tone::Muted => self.style.muted,
        };
        let (body, label) = self
            .structure
            .paragraph(style.indent, style.marker.is_some());
        let mut start = 0;
        while start < lines.len() {
            let remaining = lines.len() - start;
            let fits = ((self.bottom() - self.y) / height).floor().max(0.0) as usize;
            let mut take = remaining.min(fits);
            if take < remaining {
                if take < 2 && remaining > 1 || take == 0 {
                    take = 0;
                } else if remaining - take == 1 {
                    take -= 1;
                    if take < 2 {
                        take = 0;
                    }
                }
            }
            if take == 0 {
                if self.at_top() {
                    take = remaining.min(fits.max(1));
                } else {
                    self.next_page(start > 0, continued);
                    continue;
                }
            }
            let text_left = self.left() + style.indent + if style.filled { 9.0 } else { 0.0 };
            let block_top = self.y;
            for (offset, pieces) in lines[start..start + take].iter().enumerate() {
                self.y += height;
                let baseline = self.y - height * 0.28;
                if start + offset == 0
                    && let Some(marker) = &style.marker
                {
                    let label = label.unwrap_or(body);
                    match style.task {
                        Some(done) => {
                            self.task_box(text_left, baseline, size, done, label, style, spans)
                        }
                        None => {
                            let x = text_left - self.fonts.width(Face::Regular, marker, size) - 5.0;
                            self.mark = Mark::Content(label);
                            self.text(x, baseline, Face::Regular, size, colour, marker);
                        }
                    }
                }
                for piece in pieces {
                    let x = text_left + piece.x;
                    self.mark = Mark::Content(match piece.link {
                        Some(_) => self.structure.link(body),
                        None => body,
                    });
                    self.text(x, baseline, piece.face, size, colour, &piece.text);
                    if let Some(target) = &piece.link {
                        let item = Item::Link {
                            x,
                            y: self.y - height,
                            w: piece.width,
                            h: height,
                            target: target.clone(),
                            label: piece.text.trim_end().to_owned(),
                        };
                        self.push(item);
                        let underline = baseline + 1.5;
                        let accent = self.style.accent;
                        self.artifact(Item::Line {
                            x1: x,
                            y1: underline,
                            x2: x + piece.width,
                            y2: underline,
                            width: 0.5,
                            colour: accent,
                        });
                    }
                }
            }
            start += take;
            if style.filled {
                let x = self.left() + 2.0;
                let accent = self.style.accent;
                self.artifact(Item::Fill {
                    x,
                    y: block_top + 2.0,
                    w: BAR_WIDTH,
                    h: self.y - block_top - 1.0,
                    colour: accent,
                });
            }
            if start < lines.len() {
                self.next_page(true, continued);
            }
        }
        self.y += style.space_after * height;
    }

    /// Moves to a new page; a block that is `continuing` there gets its continuation mark.
    fn next_page(&mut self, continuing: bool, label: Option<&str>) {
        self.new_page();
        if continuing {
            self.continued_mark(label);
        }
    }

    fn continued_mark(&mut self, label: Option<&str>) {
        let Some(label) = label else { return };
        let size = self.style.small;
        self.y += size * 1.4;
        let muted = self.style.muted;
        let mark = std::mem::replace(&mut self.mark, Mark::Artifact);
        self.text(
            self.left(),
            self.y - size * 0.3,
            Face::Italic,
            size,
            muted,
            &fill(&self.continued, &[("name", label.to_owned())]),
        );
        self.mark = mark;
        self.y += size * 0.4;
    }

    fn ruled(&mut self, field: &str, lines: u32, labels: &[String], continued: Option<&str>) {
        let gap = self.style.ruled_line_gap;
        let size = self.style.body;
        let label_width = labels
            .iter()
            .map(|l| self.fonts.width(Face::Bold, l, size))
            .fold(0.0, f32::max);
        let text_colour = self.style.text;
        let mut drawn = 0;
        let mut remaining = lines as usize;
        // On a page begun for this space (under its continuation mark) it is placed as it
        // comes: moving it again would only begin another page.
        let mut on_its_own_page = false;
        while remaining > 0 {
            let fits = ((self.bottom() - self.y) / gap).floor().max(0.0) as usize;
            let mut take = remaining.min(fits);
            let whole = lines as usize <= WHOLE_RULED;
            let free = self.at_top() || on_its_own_page;
            if take < remaining && (whole || take < 2 || remaining - take < 2) && !free {
                take = 0;
            }
            if take == 0 {
                if free {
                    take = remaining.min(fits.max(1));
                } else {
                    // Moved away from what it answers, it says what it is at the top.
                    self.next_page(true, continued);
                    on_its_own_page = true;
                    continue;
                }
            }
            let x1 = self.left()
                + if label_width > 0.0 {
                    label_width + 6.0
                } else {
                    0.0
                };
            let x2 = self.left() + self.style.measure();
            let rule = self.style.rule;
            for _ in 0..take {
                self.y += gap;
                if let Some(label) = labels.get(drawn) {
                    // A Form element holds its widget only: the label printed before the
                    // line is a paragraph of its own (the field's tooltip says it too).
                    self.mark = Mark::Content(self.structure.paragraph(0.0, false).0);
                    self.text(
                        self.left(),
                        self.y - 3.0,
                        Face::Bold,
                        size,
                        text_colour,
                        label,
                    );
                }
                drawn += 1;
                self.mark = Mark::Content(self.structure.field(None));
                self.artifact(Item::Line {
                    x1,
                    y1: self.y,
                    x2,
                    y2: self.y,
                    width: 0.4,
                    colour: rule,
                });
                let (name, tooltip) =
                    line_field(field, continued, labels, (drawn, lines), &self.line_of);
                self.push(Item::Field {
                    name,
                    tooltip,
                    x: x1,
                    y: self.y - FIELD_HEIGHT + FIELD_BELOW_RULE,
                    w: x2 - x1,
                    h: FIELD_HEIGHT,
                });
            }
            remaining -= take;
            if remaining > 0 {
                self.next_page(true, continued);
                on_its_own_page = true;
            }
        }
        self.y += gap * 0.5;
    }

    fn contents(
        &mut self,
        text: &str,
        anchor: &str,
        level: u8,
        page_numbers: &HashMap<String, usize>,
    ) {
        let height = self.line_height(false);
        if self.y + height > self.bottom() {
            self.new_page();
        }
        let size = self.style.body;
        let face = if level <= 1 {
            Face::Bold
        } else {
            Face::Regular
        };
        let indent = if level <= 1 { 0.0 } else { 14.0 };
        self.y += height;
        let baseline = self.y - height * 0.28;
        let entry = self.structure.contents_entry();
        self.mark = Mark::Content(self.structure.link(entry));
        let number = page_numbers
            .get(anchor)
            .map_or_else(|| "?".to_owned(), |n| n.to_string());
        let right = self.left() + self.style.measure();
        let number_width = self.fonts.width(face, &number, size);
        let colour = self.style.text;
        let room = self.style.measure() - indent - number_width - 12.0;
        let shown = self.truncate(text, face, size, room);
        // The space after the title keeps it apart from the number when read out.
        let title = format!("{shown} ");
        self.text(self.left() + indent, baseline, face, size, colour, &title);
        self.text(right - number_width, baseline, face, size, colour, &number);
        let text_end = self.left() + indent + self.fonts.width(face, &shown, size) + 4.0;
        let leader_end = right - number_width - 4.0;
        if leader_end > text_end {
            let rule = self.style.rule;
            self.artifact(Item::Line {
                x1: text_end,
                y1: baseline,
                x2: leader_end,
                y2: baseline,
                width: 0.3,
                colour: rule,
            });
        }
        let x = self.left();
        self.push(Item::Link {
            x,
            y: self.y - height,
            w: self.style.measure(),
            h: height,
            target: Target::Anchor(anchor.to_owned()),
            label: format!("{shown} {number}"),
        });
    }

    fn truncate(&self, text: &str, face: Face, size: f32, room: f32) -> String {
        if self.fonts.width(face, text, size) <= room {
            return text.to_owned();
        }
        let mut shown = String::new();
        for c in text.chars() {
            if self.fonts.width(face, &format!("{shown}{c}…"), size) > room {
                break;
            }
            shown.push(c);
        }
        format!("{}…", shown.trim_end())
    }

    fn wrap(&self, spans: &[Span], style: &ParaStyle) -> Vec<Vec<Piece>> {
        let size = if style.small {
            self.style.small
        } else {
            self.style.body
        };
        let width = self.style.measure() - style.indent - if style.filled { 9.0 } else { 0.0 };
        self.wrap_at(spans, size, width)
    }

    /// Greedy line breaking at spaces; a word longer than the line is broken between letters.
    fn wrap_at(&self, spans: &[Span], size: f32, width: f32) -> Vec<Vec<Piece>> {
        let mut lines: Vec<Vec<Piece>> = Vec::new();
        let mut line: Vec<Piece> = Vec::new();
        let mut x = 0.0;
        let mut pending_space = false;
        for span in spans {
            let space = self.fonts.width(span.face, " ", size);
            let mut words = span.text.split(char::is_whitespace).peekable();
            if span.text.starts_with(char::is_whitespace) && !line.is_empty() {
                pending_space = true;
            }
            while let Some(word) = words.next() {
                if !word.is_empty() {
                    let room = width
                        - x
                        - if pending_space && !line.is_empty() {
                            space
                        } else {
                            0.0
                        };
                    for chunk in self.break_word(word, span.face, size, room, width) {
                        let w = self.fonts.width(span.face, &chunk, size);
                        let gap = if pending_space && !line.is_empty() {
                            space
                        } else {
                            0.0
                        };
                        if x + gap + w > width && !line.is_empty() {
                            if gap > 0.0
                                && let Some(last) = line.last_mut()
                            {
                                // The space the line breaks at ends the line, unseen, so
                                // that text read out or copied keeps its words apart.
                                last.text.push(' ');
                            }
                            lines.push(std::mem::take(&mut line));
                            x = 0.0;
                        }
                        let gap = if pending_space && !line.is_empty() {
                            space
                        } else {
                            0.0
                        };
                        let joins =
                            gap > 0.0 || line.last().is_some_and(|p| p.x + p.width >= x - 0.01);
                        match line.last_mut() {
                            Some(last)
                                if joins && last.face == span.face && last.link == span.link =>
                            {
                                if gap > 0.0 {
                                    last.text.push(' ');
                                }
                                last.text.push_str(&chunk);
                                last.width = x + gap + w - last.x;
                            }
                            last => {
                                if gap > 0.0
                                    && let Some(last) = last
                                {
                                    // Likewise between pieces in two faces.
                                    last.text.push(' ');
                                }
                                line.push(Piece {
                                    x: x + gap,
                                    width: w,
                                    face: span.face,
                                    text: chunk,
                                    link: span.link.clone(),
                                })
                            }
                        }
                        x += gap + w;
                        pending_space = false;
                    }
                }
                if words.peek().is_some() {
                    pending_space = true;
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// `word` cut to fit: the first piece in `first` (what is left of the current line, after
    /// a space), the others in `width`. A word that fits a line is never cut. A long address
    /// is cut after `/`, `-`, `?`, `&` or `=`, the last that fits; only where a piece has none
    /// is it cut between two letters.
    fn break_word(&self, word: &str, face: Face, size: f32, first: f32, width: f32) -> Vec<String> {
        // The word is shaped once and cut between its clusters (a letter with its accents, or
        // a ligature), measured as they add up: however long the word, each cluster is looked
        // at once or twice.
        let shaped = self.fonts.shape(face, word);
        let scale = self.fonts.scale(face, size);
        if shaped.advance as f32 * scale <= width {
            return vec![word.to_owned()];
        }
        let clusters: Vec<(std::ops::Range<usize>, f32)> = shaped
            .clusters
            .iter()
            .map(|cluster| {
                let advance: i32 = shaped.glyphs[cluster.glyphs.clone()]
                    .iter()
                    .map(|g| g.advance)
                    .sum();
                (cluster.text.clone(), advance as f32 * scale)
            })
            .collect();
        let mut chunks = Vec::new();
        let mut start = 0;
        let mut room = first;
        while start < clusters.len() {
            let mut used = 0.0;
            let mut end = start;
            let mut last_break = None;
            while end < clusters.len() && used + clusters[end].1 <= room {
                used += clusters[end].1;
                if word[clusters[end].0.clone()].ends_with(['/', '-', '?', '&', '=']) {
                    last_break = Some(end + 1);
                }
                end += 1;
            }
            let cut = if end == clusters.len() {
                end
            } else {
                match last_break {
                    Some(at) => at,
                    // Nothing fits in what is left of this line: start the next.
                    None if room < width => start,
                    None => end.max(start + 1),
                }
            };
            if cut > start {
                chunks.push(word[clusters[start].0.start..clusters[cut - 1].0.end].to_owned());
            }
            start = cut;
            room = width;
        }
        chunks
    }

    /// A task list item's box before its text, ticked when `done`: in an answer (a workbook)
    /// also a checkbox field, named `tasks.N`, that the reader can tick on screen.
    #[allow(clippy::too_many_arguments)]
    fn task_box(
        &mut self,
        text_left: f32,
        baseline: f32,
        size: f32,
        done: bool,
        label: usize,
        style: &ParaStyle,
        spans: &[Span],
    ) {
        let side = (size * 0.72).round();
        let x = text_left - side - 5.0;
        let top = baseline - side;
        let colour = self.style.text;
        self.structure.describe(label, if done { "☑" } else { "☐" });
        self.mark = if style.filled {
            Mark::Artifact
        } else {
            Mark::Content(label)
        };
        self.draw_box(x, top, side);
        if style.filled {
            self.tasks += 1;
            let tooltip: String = spans.iter().map(|s| s.text.as_str()).collect();
            self.mark = Mark::Content(self.structure.field(Some(label)));
            self.push(Item::Check {
                name: format!("tasks.{}", self.tasks),
                tooltip: tooltip.trim().to_owned(),
                x,
                y: top,
                size: side,
                checked: done,
            });
        } else if done {
            for ((x1, y1), (x2, y2)) in tick(x, top, side) {
                self.push(Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width: 1.0,
                    colour,
                });
            }
        }
    }

    /// The outline of a box to tick, as part of the current element.
    fn draw_box(&mut self, x: f32, top: f32, side: f32) {
        let colour = self.style.text;
        let corners = [
            (x, top),
            (x + side, top),
            (x + side, top + side),
            (x, top + side),
        ];
        for (index, (x1, y1)) in corners.iter().enumerate() {
            let (x2, y2) = corners[(index + 1) % 4];
            self.push(Item::Line {
                x1: *x1,
                y1: *y1,
                x2,
                y2,
                width: 0.6,
                colour,
            });
        }
    }

    /// A row of boxes to tick, after a bold label: each box a checkbox field, its choice's
    /// words beside it.
    fn choices(&mut self, field: &str, label: &str, choices: &[Choice]) {
        let size = self.style.body;
        let height = self.style.ruled_line_gap;
        if self.y + height > self.bottom() {
            self.new_page();
        }
        self.y += height;
        let baseline = self.y - height * 0.3;
        let colour = self.style.text;
        self.mark = Mark::Content(self.structure.paragraph(0.0, false).0);
        let left = self.left();
        self.text(
            left,
            baseline,
            Face::Bold,
            size,
            colour,
            &format!("{label} "),
        );
        let mut x = left + self.fonts.width(Face::Bold, label, size) + 12.0;
        let side = (size * 0.72).round();
        for choice in choices {
            let top = baseline - side;
            self.mark = Mark::Artifact;
            self.draw_box(x, top, side);
            self.mark = Mark::Content(self.structure.field(None));
            self.push(Item::Check {
                name: format!("{field}.{}", choice.id),
                tooltip: format!("{label}: {}", choice.text),
                x,
                y: top,
                size: side,
                checked: choice.ticked,
            });
            self.mark = Mark::Content(self.structure.paragraph(0.0, false).0);
            let words = format!("{} ", choice.text);
            self.text(
                x + side + 5.0,
                baseline,
                Face::Regular,
                size,
                colour,
                &words,
            );
            x += side + 5.0 + self.fonts.width(Face::Regular, &words, size) + 14.0;
        }
        self.y += height * 0.25;
    }

    /// A table: rules around every cell, the header row bold on the fill colour, rows kept
    /// whole and the header row repeated at the top of each page the table runs on to.
    fn table(
        &mut self,
        head: &[Vec<Span>],
        rows: &[Vec<Vec<Span>>],
        style: &ParaStyle,
        continued: Option<&str>,
    ) {
        let columns = rows
            .iter()
            .map(Vec::len)
            .chain([head.len()])
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return;
        }
        let size = self.style.body;
        let line = self.line_height(false);
        let left = self.left() + style.indent + if style.filled { 9.0 } else { 0.0 };
        let available = self.left() + self.style.measure() - left;
        let bold_head: Vec<Vec<Span>> = head
            .iter()
            .map(|cell| {
                cell.iter()
                    .map(|span| Span {
                        face: span.face.with(true, false),
                        ..span.clone()
                    })
                    .collect()
            })
            .collect();
        let widths = self.column_widths(&bold_head, rows, columns, size, available);
        let table = self.structure.table(style.indent);
        let header_height = self.row_height(&bold_head, &widths, size, line);
        let first_height = rows
            .first()
            .map_or(0.0, |row| self.row_height(row, &widths, size, line));
        if self.y + header_height + first_height > self.bottom() && !self.at_top() {
            self.new_page();
        }
        let mut table_top = self.y;
        let head_lines = self.cell_lines(&bold_head, &widths, size);
        if !bold_head.is_empty() {
            let row = self.structure.row(table);
            let cells: Vec<usize> = (0..columns)
                .map(|_| self.structure.cell(row, true))
                .collect();
            self.table_row(&head_lines, &widths, left, line, Some(&cells), true);
        }
        for row_cells in rows {
            let lines = self.cell_lines(row_cells, &widths, size);
            let row = self.structure.row(table);
            let cells: Vec<usize> = (0..columns)
                .map(|_| self.structure.cell(row, false))
                .collect();
            let total = lines.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let mut from = 0;
            // A row is kept whole, on the next page if need be; one taller than a page goes
            // on over the page, line by line. On a page begun for it, it is placed as it comes.
            let mut fresh = self.at_top();
            while from < total {
                let room = ((self.bottom() - self.y - 2.0 * TABLE_PAD) / line)
                    .floor()
                    .max(0.0) as usize;
                if room < total - from && !fresh {
                    self.table_bar(style, table_top);
                    self.next_page(true, continued);
                    table_top = self.y;
                    if !bold_head.is_empty() {
                        // Read once, at the top of the table: repeated, it is page furniture.
                        self.table_row(&head_lines, &widths, left, line, None, true);
                    }
                    fresh = true;
                    continue;
                }
                let take = (total - from).min(room.max(1));
                let part: Vec<Vec<Vec<Piece>>> = lines
                    .iter()
                    .map(|cell| cell.iter().skip(from).take(take).cloned().collect())
                    .collect();
                self.table_row(&part, &widths, left, line, Some(&cells), false);
                from += take;
                fresh = false;
            }
        }
        self.table_bar(style, table_top);
        self.y += style.space_after * line;
    }

    /// The bar beside a table that is part of an answer, from `top` to here.
    fn table_bar(&mut self, style: &ParaStyle, top: f32) {
        if style.filled {
            let accent = self.style.accent;
            self.artifact(Item::Fill {
                x: self.left() + 2.0,
                y: top + 2.0,
                w: BAR_WIDTH,
                h: self.y - top - 1.0,
                colour: accent,
            });
        }
    }

    /// Each column's width: what its widest cell needs when the table fits, else the room
    /// shared out in proportion, never below the column's longest word.
    fn column_widths(
        &self,
        head: &[Vec<Span>],
        rows: &[Vec<Vec<Span>>],
        columns: usize,
        size: f32,
        available: f32,
    ) -> Vec<f32> {
        let mut natural = vec![0.0f32; columns];
        let mut least = vec![0.0f32; columns];
        for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
            for (column, cell) in row.iter().enumerate() {
                let mut width = 0.0;
                for span in cell {
                    width += self.fonts.width(span.face, &span.text, size);
                    for word in span.text.split_whitespace() {
                        let word = self.fonts.width(span.face, word, size);
                        least[column] = least[column].max(word);
                    }
                }
                natural[column] = natural[column].max(width);
            }
        }
        let pad = 2.0 * TABLE_PAD;
        // A word longer than a column's share of the line is broken, not let run off the page.
        let share = (available / columns as f32 - pad).max(pad);
        for least in &mut least {
            *least = least.min(share);
        }
        let total: f32 = natural.iter().map(|w| w + pad).sum();
        if total <= available {
            return natural.iter().map(|w| w + pad).collect();
        }
        let floor: f32 = least.iter().map(|w| w + pad).sum();
        let spare = (available - floor).max(0.0);
        let stretch: f32 = natural.iter().zip(&least).map(|(n, l)| n - l).sum();
        natural
            .iter()
            .zip(&least)
            .map(|(n, l)| {
                l + pad
                    + if stretch > 0.0 {
                        spare * (n - l) / stretch
                    } else {
                        0.0
                    }
            })
            .collect()
    }

    fn row_height(&self, cells: &[Vec<Span>], widths: &[f32], size: f32, line: f32) -> f32 {
        let lines = self
            .cell_lines(cells, widths, size)
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(1)
            .max(1);
        lines as f32 * line + 2.0 * TABLE_PAD
    }

    /// Each column's cell of a row, wrapped to its width (a missing cell is empty).
    fn cell_lines(&self, cells: &[Vec<Span>], widths: &[f32], size: f32) -> Vec<Vec<Vec<Piece>>> {
        widths
            .iter()
            .enumerate()
            .map(|(column, width)| {
                let cell = cells.get(column).map(Vec::as_slice).unwrap_or_default();
                self.wrap_at(cell, size, width - 2.0 * TABLE_PAD)
            })
            .collect()
    }

    /// Draws one row, or the part of one that fits, at the current height: each cell's lines,
    /// in the cell elements `cells`, or as page furniture (a repeated header row) without them.
    fn table_row(
        &mut self,
        lines: &[Vec<Vec<Piece>>],
        widths: &[f32],
        left: f32,
        line: f32,
        cells: Option<&[usize]>,
        header: bool,
    ) {
        let size = self.style.body;
        let rows = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = rows as f32 * line + 2.0 * TABLE_PAD;
        let top = self.y;
        let right = left + widths.iter().sum::<f32>();
        if header {
            let fill = self.style.fill;
            self.artifact(Item::Fill {
                x: left,
                y: top,
                w: right - left,
                h: height,
                colour: fill,
            });
        }
        let colour = self.style.text;
        let mut x = left;
        for (column, width) in widths.iter().enumerate() {
            self.mark = match cells {
                Some(cells) => Mark::Content(cells[column]),
                None => Mark::Artifact,
            };
            let lines = &lines[column];
            if lines.is_empty() {
                // An empty cell still holds its place in the row for a screen reader.
                self.text(
                    x + TABLE_PAD,
                    top + TABLE_PAD + line * 0.72,
                    Face::Regular,
                    size,
                    colour,
                    " ",
                );
            }
            for (index, pieces) in lines.iter().enumerate() {
                let baseline = top + TABLE_PAD + (index + 1) as f32 * line - line * 0.28;
                for piece in pieces {
                    self.text(
                        x + TABLE_PAD + piece.x,
                        baseline,
                        piece.face,
                        size,
                        colour,
                        &piece.text,
                    );
                }
            }
            x += width;
        }
        let rule = self.style.rule;
        let bottom = top + height;
        let mut edges = vec![left];
        edges.extend(widths.iter().scan(left, |at, w| {
            *at += w;
            Some(*at)
        }));
        for edge in edges {
            self.artifact(Item::Line {
                x1: edge,
                y1: top,
                x2: edge,
                y2: bottom,
                width: 0.4,
                colour: rule,
            });
        }
        for y in [top, bottom] {
            self.artifact(Item::Line {
                x1: left,
                y1: y,
                x2: right,
                y2: y,
                width: 0.4,
                colour: rule,
            });
        }
        self.y = bottom;
    }

    /// Joins the bars of one answer's paragraphs and list items into one: bars on a page less
    /// than a line apart belong to the same answer (a question between two answers puts more
    /// than a line between their bars).
    fn join_bars(&mut self) {
        let gap = self.line_height(false) * 0.8;
        for page in &mut self.laid.pages {
            let mut open: Option<usize> = None;
            let mut joined = Vec::new();
            for index in 0..page.items.len() {
                let Item::Fill { x, y, w, h, .. } = page.items[index] else {
                    continue;
                };
                if w > BAR_WIDTH + 0.01 {
                    continue;
                }
                if let Some(previous) = open
                    && let Item::Fill {
                        x: px,
                        y: py,
                        h: ph,
                        ..
                    } = &mut page.items[previous]
                    && (*px - x).abs() < 0.01
                    && y - (*py + *ph) < gap
                {
                    *ph = y + h - *py;
                    joined.push(index);
                    continue;
                }
                open = Some(index);
            }
            for index in joined.into_iter().rev() {
                page.items.remove(index);
                page.marks.remove(index);
            }
        }
    }

    /// Running header and "Page N of M" on every page from `first_decorated`.
    fn decorate(&mut self, running: &Running) {
        let total = self.laid.pages.len();
        let size = self.style.small;
        let (left, right) = (self.left(), self.left() + self.style.measure());
        let header_y = self.style.margin_top - 12.0;
        let footer_y = self.style.page_height - self.style.margin_bottom + 20.0;
        let muted = self.style.muted;
        let rule = self.style.rule;
        // The note keeps clear of the page number, as wide as it could be.
        let widest = fill(
            &running.page_of,
            &[("page", "9999".into()), ("pages", "9999".into())],
        );
        let room = (right - left) - self.fonts.width(Face::Regular, &widest, size) - 12.0;
        let note = running
            .note
            .as_ref()
            .map(|note| self.truncate(note, Face::Regular, size, room.max(0.0)));
        for index in running.first_decorated..total {
            let part = self.part.get(index).cloned().unwrap_or_default();
            let title = self.truncate(&running.title, Face::Italic, size, (right - left) * 0.55);
            let part_width = self.fonts.width(Face::Regular, &part, size);
            let footer = fill(
                &running.page_of,
                &[
                    ("page", (index + 1).to_string()),
                    ("pages", total.to_string()),
                ],
            );
            let footer_width = self.fonts.width(Face::Regular, &footer, size);
            let page = &mut self.laid.pages[index];
            page.push(
                Mark::Artifact,
                Item::Text {
                    x: left,
                    y: header_y,
                    face: Face::Italic,
                    size,
                    colour: muted,
                    text: title,
                },
            );
            if !part.is_empty() && part != running.title {
                page.push(
                    Mark::Artifact,
                    Item::Text {
                        x: right - part_width,
                        y: header_y,
                        face: Face::Regular,
                        size,
                        colour: muted,
                        text: part,
                    },
                );
            }
            page.push(
                Mark::Artifact,
                Item::Line {
                    x1: left,
                    y1: header_y + 4.0,
                    x2: right,
                    y2: header_y + 4.0,
                    width: 0.4,
                    colour: rule,
                },
            );
            page.push(
                Mark::Artifact,
                Item::Text {
                    x: right - footer_width,
                    y: footer_y,
                    face: Face::Regular,
                    size,
                    colour: muted,
                    text: footer,
                },
            );
            if let Some(note) = &note {
                page.push(
                    Mark::Artifact,
                    Item::Text {
                        x: left,
                        y: footer_y,
                        face: Face::Regular,
                        size,
                        colour: muted,
                        text: note.clone(),
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::fonts::tests::default_fonts;
    use crate::workbook::structure::Kind;

    fn style() -> Style {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::workbook::style::load(
            &root.join("themes/default"),
            root,
            crate::model::site::Paper::A4,
        )
        .unwrap()
        .0
    }

    fn lay(blocks: &[Block], fonts: &FontSet, style: &Style) -> Laid {
        lay_out(blocks, fonts, style, &running(), &HashMap::new())
    }

    fn running() -> Running {
        Running {
            title: "Doc".into(),
            first_decorated: 0,
            page_of: "Page {page} of {pages}".into(),
            continued: "{name} (continued)".into(),
            line_of: "{name}, line {line} of {lines}".into(),
            note: None,
        }
    }

    fn texts(page: &PrintedPage) -> Vec<&str> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// `n` one-line paragraphs with no space between them.
    fn filler(n: usize) -> Vec<Block> {
        (0..n)
            .map(|i| Block::Paragraph {
                spans: vec![Span::plain(format!("line {i}"))],
                style: ParaStyle {
                    space_after: 0.0,
                    ..ParaStyle::default()
                },
                continued: None,
            })
            .collect()
    }

    fn long_paragraph(words: usize) -> Block {
        let text: Vec<String> = (0..words).map(|i| format!("word{i}")).collect();
        Block::Paragraph {
            spans: vec![Span::plain(text.join(" "))],
            style: ParaStyle::default(),
            continued: Some("Answer".into()),
        }
    }

    #[test]
    fn text_wraps_within_the_measure() {
        let fonts = default_fonts();
        let style = style();
        let laid = lay(&[long_paragraph(200)], &fonts, &style);
        for item in &laid.pages[0].items {
            if let Item::Text {
                x,
                text,
                face,
                size,
                ..
            } = item
            {
                // The space a line breaks at is drawn after it, unseen.
                let right = x + fonts.width(*face, text.trim_end(), *size);
                assert!(
                    right <= style.margin_inner + style.measure() + 0.01,
                    "{text} ends at {right}"
                );
            }
        }
        assert!(texts(&laid.pages[0]).len() > 10);
    }

    #[test]
    fn long_paragraphs_continue_with_a_mark_and_leave_no_orphan_or_widow() {
        let fonts = default_fonts();
        let style = style();
        let laid = lay(&[long_paragraph(1500)], &fonts, &style);
        assert!(laid.pages.len() >= 2);
        assert!(texts(&laid.pages[1]).contains(&"Answer (continued)"));
        let last_page_lines = texts(laid.pages.last().unwrap())
            .iter()
            .filter(|t| t.starts_with("word"))
            .count();
        assert!(last_page_lines >= 2, "no widow: {last_page_lines}");
    }

    #[test]
    fn a_heading_is_kept_with_what_follows() {
        let fonts = default_fonts();
        let style = style();
        let lines = ((style.page_height - style.margin_top - style.margin_bottom)
            / (style.body * style.line_height)) as usize;
        let mut blocks = filler(lines - 2);
        blocks.push(Block::heading(2, "Kept heading"));
        blocks.push(long_paragraph(100));
        let laid = lay(&blocks, &fonts, &style);
        assert!(!texts(&laid.pages[0]).contains(&"Kept heading"));
        assert!(texts(&laid.pages[1]).contains(&"Kept heading"));
    }

    #[test]
    fn every_ruled_line_is_a_field_on_its_rule_and_long_spaces_continue() {
        let fonts = default_fonts();
        let style = style();
        let laid = lay_out(
            &[Block::ruled("notes", 60, "Notes")],
            &fonts,
            &style,
            &running(),
            &HashMap::new(),
        );
        let mut fields = Vec::new();
        for page in &laid.pages {
            let rules: Vec<f32> = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Line { y1, width, .. } if *width < 0.5 => Some(*y1),
                    _ => None,
                })
                .collect();
            for item in &page.items {
                if let Item::Field {
                    name,
                    tooltip,
                    y,
                    h,
                    ..
                } = item
                {
                    let bottom = y + h;
                    assert!(
                        rules
                            .iter()
                            .any(|rule| (bottom - rule - FIELD_BELOW_RULE).abs() < 0.01),
                        "{name} is not on a rule"
                    );
                    fields.push((name.clone(), tooltip.clone()));
                }
            }
        }
        assert_eq!(fields.len(), 60);
        assert_eq!(fields[0], ("notes.1".into(), "Notes, line 1 of 60".into()));
        assert_eq!(fields[59].0, "notes.60");
        assert!(laid.pages.len() >= 2);
        assert!(texts(&laid.pages[1]).contains(&"Notes (continued)"));
    }

    #[test]
    fn a_space_of_one_line_is_one_field_and_labels_name_their_lines() {
        let fonts = default_fonts();
        let style = style();
        let blocks = [
            Block::ruled("decision", 1, "Decision"),
            Block::labelled_lines("contacts", vec!["1.".into(), "2.".into()], "Contacts"),
        ];
        let laid = lay(&blocks, &fonts, &style);
        let fields: Vec<(&str, &str)> = laid.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Field { name, tooltip, .. } => Some((name.as_str(), tooltip.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            fields,
            [
                ("decision", "Decision"),
                ("contacts.1", "Contacts: 1."),
                ("contacts.2", "Contacts: 2.")
            ]
        );
    }

    #[test]
    fn an_answer_of_several_paragraphs_and_a_list_has_one_bar() {
        let fonts = default_fonts();
        let style = style();
        let filled = |marker: Option<&str>, space_after: f32| Block::Paragraph {
            spans: vec![Span::plain("Part of one answer")],
            style: ParaStyle {
                filled: true,
                marker: marker.map(str::to_owned),
                indent: if marker.is_some() { 14.0 } else { 0.0 },
                space_after,
                ..ParaStyle::default()
            },
            continued: None,
        };
        let blocks = [
            filled(None, 0.5),
            filled(Some("•"), 0.15),
            filled(Some("•"), 0.15),
            Block::Space(0.35),
            filled(None, 0.5),
            Block::heading(4, "The next question"),
            filled(None, 0.5),
        ];
        let laid = lay(&blocks, &fonts, &style);
        let bars = laid.pages[0]
            .items
            .iter()
            .filter(|i| matches!(i, Item::Fill { .. }))
            .count();
        assert_eq!(bars, 2, "one bar for each of the two answers");
    }

    #[test]
    fn a_heading_keeps_the_whole_of_a_short_paragraph_and_of_the_heading_after_it() {
        let fonts = default_fonts();
        let style = style();
        let line = style.body * style.line_height;
        let lines = ((style.page_height - style.margin_top - style.margin_bottom) / line) as usize;
        let paragraph = |words: usize| Block::Paragraph {
            spans: vec![Span::plain("word ".repeat(words))],
            style: ParaStyle::default(),
            continued: None,
        };
        let three_lines = (10..200)
            .map(paragraph)
            .find(|p| texts(&lay(std::slice::from_ref(p), &fonts, &style).pages[0]).len() == 3 + 2)
            .expect("a paragraph of three lines");
        for (lines, keep) in [(lines - 4, 3), (lines - 6, 1)] {
            let mut blocks = filler(lines);
            if keep == 1 {
                blocks.push(Block::heading(2, "Outer heading"));
            }
            blocks.push(Block::heading(3, "Kept heading"));
            blocks.push(three_lines.clone());
            let laid = lay(&blocks, &fonts, &style);
            assert_eq!(laid.pages.len(), 2);
            assert!(
                !texts(&laid.pages[0]).iter().any(|t| t.contains("heading")),
                "{lines}: a heading was left at the foot of the page"
            );
        }
    }

    #[test]
    fn a_word_longer_than_many_lines_is_cut_into_lines_that_fit() {
        let fonts = default_fonts();
        let style = style();
        let flow = Flow::new(&fonts, &style);
        // A pasted blob: 60,000 letters and no place to break.
        let blob = "QmFzZTY0IGJsb2IgcGFzdGVk".repeat(2_500);
        let lines = flow.wrap_at(&[Span::plain(blob.clone())], style.body, style.measure());
        assert!(lines.len() > 100, "{}", lines.len());
        for line in &lines {
            let text: String = line.iter().map(|p| p.text.as_str()).collect();
            assert!(fonts.width(Face::Regular, &text, style.body) <= style.measure() + 0.5);
        }
        let joined: String = lines.iter().flatten().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, blob);
    }

    #[test]
    fn long_addresses_break_after_a_slash_or_a_hyphen_and_words_never() {
        let fonts = default_fonts();
        let style = style();
        let flow = Flow::new(&fonts, &style);
        let url = format!(
            "https://example.org/{}?page=1&section=referrals",
            ["stroud-valley-catering-notes"; 8].join("/")
        );
        let long_word = "Antidisestablishmentarianism".repeat(2);
        let spans = [Span::plain(format!(
            "See {url} or ask about {long_word} today."
        ))];
        let lines = flow.wrap_at(&spans, style.body, style.measure());
        let ends: Vec<String> = lines
            .iter()
            .map(|line| line.iter().map(|p| p.text.as_str()).collect::<String>())
            .collect();
        assert!(ends.len() >= 3, "{ends:?}");
        for end in &ends[..ends.len() - 1] {
            let last = end.trim_end().chars().last().unwrap();
            assert!(
                end.ends_with(' ') || matches!(last, '/' | '-' | '?' | '&' | '='),
                "a line ends mid-word: {end:?}"
            );
        }
        assert!(
            ends.iter().any(|l| l.contains(&long_word)),
            "the word is whole"
        );
        assert_eq!(
            ends.concat().replace(' ', ""),
            spans[0].text.replace(' ', "")
        );
    }

    #[test]
    fn a_table_over_two_pages_repeats_its_header_and_keeps_rows_whole() {
        let fonts = default_fonts();
        let style = style();
        let cell = |text: &str| vec![Span::plain(text)];
        let rows: Vec<Vec<Vec<Span>>> = (0..80)
            .map(|i| vec![cell(&format!("row {i}")), cell("a longer second cell")])
            .collect();
        let blocks = [Block::Table {
            head: vec![cell("Name"), cell("Notes")],
            rows,
            style: ParaStyle::default(),
            continued: Some("Contacts".into()),
        }];
        let laid = lay(&blocks, &fonts, &style);
        assert!(laid.pages.len() >= 2);
        let second = texts(&laid.pages[1]);
        assert!(
            second.contains(&"Name") && second.contains(&"Notes"),
            "{second:?}"
        );
        assert!(second.contains(&"Contacts (continued)"));
        let rows_on =
            |page: &PrintedPage| texts(page).iter().filter(|t| t.starts_with("row ")).count();
        let seconds_on = |page: &PrintedPage| {
            texts(page)
                .iter()
                .filter(|t| t.starts_with("a longer"))
                .count()
        };
        for page in &laid.pages {
            assert_eq!(rows_on(page), seconds_on(page), "a row split over a page");
        }
        assert_eq!(laid.pages.iter().map(rows_on).sum::<usize>(), 80);
        let headers: Vec<Kind> = laid.elements.iter().map(|e| e.kind).collect();
        assert_eq!(
            headers.iter().filter(|k| **k == Kind::TableHeader).count(),
            2,
            "read once"
        );
    }

    #[test]
    fn a_task_in_an_answer_is_a_checkbox_and_elsewhere_a_drawn_box() {
        let fonts = default_fonts();
        let style = style();
        let task = |done: bool, filled: bool| Block::Paragraph {
            spans: vec![Span::plain("Call the chamber")],
            style: ParaStyle {
                marker: Some("•".into()),
                indent: 14.0,
                task: Some(done),
                filled,
                ..ParaStyle::default()
            },
            continued: None,
        };
        let laid = lay(
            &[task(true, true), task(false, true), task(true, false)],
            &fonts,
            &style,
        );
        let checks: Vec<(&str, bool)> = laid.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Check { name, checked, .. } => Some((name.as_str(), *checked)),
                _ => None,
            })
            .collect();
        assert_eq!(checks, [("tasks.1", true), ("tasks.2", false)]);
        assert!(!texts(&laid.pages[0]).contains(&"•"), "a box, not a bullet");
        let ticked_drawn = laid.pages[0]
            .items
            .iter()
            .filter(|i| matches!(i, Item::Line { width, .. } if (*width - 1.0).abs() < 0.01))
            .count();
        assert_eq!(ticked_drawn, 2, "the two strokes of one drawn tick");
    }

    #[test]
    fn the_guide_sets_60_to_75_characters_a_line() {
        let fonts = default_fonts();
        let style = style().for_the_guide();
        let prose = "Openness stops the other person feeling managed, gives them permission to \
            voice their own concerns, and makes the method something you do together rather \
            than something you do to them. The guide describes each stage as one meeting, from \
            your side. In practice a stage may take several conversations; what matters is that \
            its work is done before you move on. ";
        let laid = lay(
            &[Block::text(vec![Span::plain(prose.repeat(6))])],
            &fonts,
            &style,
        );
        let lines: Vec<usize> = texts(&laid.pages[0])
            .iter()
            .map(|t| t.trim_end().chars().count())
            .filter(|n| *n > 40)
            .collect();
        let full = &lines[..lines.len() - 1];
        let mean = full.iter().sum::<usize>() as f32 / full.len() as f32;
        assert!((60.0..=75.0).contains(&mean), "{mean:.1} characters a line");
    }

    #[test]
    fn a_ruled_space_one_line_too_long_for_a_page_still_ends() {
        let fonts = default_fonts();
        let style = style();
        for lines in [33, 34, 35, 55, 90] {
            let blocks = [long_paragraph(20), Block::ruled("notes", lines, "Notes")];
            let laid = lay(&blocks, &fonts, &style);
            let fields = laid
                .pages
                .iter()
                .flat_map(|p| &p.items)
                .filter(|i| matches!(i, Item::Field { .. }))
                .count();
            assert_eq!(fields, lines as usize);
            assert!(laid.pages.len() <= 4, "{lines}: {} pages", laid.pages.len());
        }
    }

    #[test]
    fn a_table_too_wide_for_the_page_stays_on_it() {
        let fonts = default_fonts();
        let style = style();
        let cell = |text: &str| vec![Span::plain(text)];
        let head: Vec<Vec<Span>> = (0..30).map(|i| cell(&format!("Column{i}"))).collect();
        let rows = vec![(0..30).map(|_| cell(&"x".repeat(200))).collect()];
        let blocks = [Block::Table {
            head,
            rows,
            style: ParaStyle::default(),
            continued: None,
        }];
        let laid = lay(&blocks, &fonts, &style);
        let right = style.margin_inner + style.measure() + 0.5;
        for page in &laid.pages {
            for item in &page.items {
                if let Item::Text {
                    x,
                    face,
                    size,
                    text,
                    ..
                } = item
                {
                    let end = x + fonts.width(*face, text.trim_end(), *size);
                    assert!(end <= right, "{text} ends at {end}, past {right}");
                }
            }
        }
    }

    #[test]
    fn a_row_taller_than_a_page_goes_on_over_the_page_and_loses_nothing() {
        let fonts = default_fonts();
        let style = style();
        for (prefix, before) in [
            ("cell", 50),
            ("w", 50),
            ("cellw", 10),
            ("c", 300),
            ("cell", 0),
        ] {
            let words: Vec<String> = (0..3000).map(|i| format!("{prefix}{i}")).collect();
            let blocks = [
                long_paragraph(before),
                Block::Table {
                    head: vec![vec![Span::plain("Notes")], vec![Span::plain("Who")]],
                    rows: vec![vec![
                        vec![Span::plain(words.join(" "))],
                        vec![Span::plain("Ana")],
                    ]],
                    style: ParaStyle::default(),
                    continued: Some("Notes".into()),
                },
            ];
            let laid = lay(&blocks, &fonts, &style);
            let bottom = style.page_height - style.margin_bottom;
            let mut seen = 0;
            for page in &laid.pages {
                for item in &page.items {
                    if let Item::Text { y, text, .. } = item
                        && text.starts_with(prefix)
                        && !text.starts_with("word")
                    {
                        assert!(*y <= bottom, "{text} drawn below the page at {y}");
                        seen += text.split_whitespace().count();
                    }
                }
            }
            assert_eq!(
                seen, 3000,
                "{prefix} after {before}: every word of the cell is on a page"
            );
            assert!(laid.pages.len() >= 3);
        }
    }

    #[test]
    fn every_page_says_page_n_of_m() {
        let fonts = default_fonts();
        let laid = lay(&[long_paragraph(1500)], &fonts, &style());
        let total = laid.pages.len();
        for (i, page) in laid.pages.iter().enumerate() {
            assert!(texts(page).contains(&format!("Page {} of {total}", i + 1).as_str()));
        }
    }
}
