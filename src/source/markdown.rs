//! Markdown, walked once: the one place that parses it (with pulldown-cmark), for both
//! renderers. The HTML side renders the events given here; the PDF side turns the same events
//! into blocks, so a heading's anchor is the same in a page and in `guide.pdf`.
//!
//! Two uses: text fields of the data (answers, notes), and guide pages. Both are CommonMark with
//! tables, footnotes, strikethrough and task lists. Whatever the source, the events are safe to
//! publish: raw HTML becomes text, a link or image whose address uses a scheme other than http,
//! https, mailto or tel (`javascript:`, `data:`, `vbscript:` ...) keeps its text and loses its
//! address, and control characters written as character references become U+FFFD. Guide pages
//! also get GitHub-style heading anchors (written by hand here: the rule is ten lines and no
//! crate implements GitHub's exact rule), a table of contents, and their links to other guide
//! files (`02-briefings.md#the-questions`) rewritten to pages and recorded so the build can
//! check that the page and heading exist.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The text fields of one page, rendered to safe HTML. Each field's footnotes get ids of its
/// own (`fn:2:1` for the first note of the page's second field), so two fields that both use
/// `[^1]` do not give the page two elements with one id.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    rendered: std::cell::Cell<usize>,
}

impl Fields {
    /// Renders one text field of the page.
    pub(crate) fn to_html(&self, markdown: &str) -> String {
        let field = self.rendered.get() + 1;
        self.rendered.set(field);
        let mut events = sanitise(markdown);
        number_footnotes(&mut events, &format!("fn:{field}:"));
        let mut out = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut out, labelled_tasks(events.into_iter().map(|(e, _)| e)));
        out
    }
}

/// `events` with each task's box (`- [ ] …`) put in a `<label>` with the item's text, up to
/// the item's first block: a box without a name is what every accessibility checker flags,
/// and a screen reader then says what is to be ticked.
fn labelled_tasks<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut open = false;
    events.flat_map(move |event| {
        let mut out = Vec::with_capacity(2);
        match &event {
            Event::TaskListMarker(ticked) => {
                open = true;
                out.push(Event::InlineHtml(CowStr::from(if *ticked {
                    "<label class=\"task\"><input type=\"checkbox\" disabled checked> "
                } else {
                    "<label class=\"task\"><input type=\"checkbox\" disabled> "
                })));
                return out;
            }
            Event::Start(_) | Event::End(_) | Event::Rule if open => {
                let inline = matches!(
                    &event,
                    Event::Start(
                        Tag::Emphasis
                            | Tag::Strong
                            | Tag::Strikethrough
                            | Tag::Link { .. }
                            | Tag::Image { .. }
                            | Tag::Superscript
                            | Tag::Subscript
                    ) | Event::End(
                        TagEnd::Emphasis
                            | TagEnd::Strong
                            | TagEnd::Strikethrough
                            | TagEnd::Link
                            | TagEnd::Image
                            | TagEnd::Superscript
                            | TagEnd::Subscript
                    )
                );
                if !inline {
                    out.push(Event::InlineHtml(CowStr::from("</label>")));
                    open = false;
                }
            }
            _ => {}
        }
        out.push(event);
        out
    })
}

/// Names every footnote `prefix` and its number in order of first appearance, whatever its
/// label: `[^my note]` would otherwise become `id="my note"`, which HTML forbids. A heading's
/// anchor never holds a `:`, so footnotes and headings never share an id.
fn number_footnotes(events: &mut [(Event<'_>, std::ops::Range<usize>)], prefix: &str) {
    // The label behind each number; `None` for a definition that repeats an earlier one's
    // label, which gets a number of its own that nothing refers to.
    let mut numbers: Vec<Option<CowStr<'_>>> = Vec::new();
    let mut defined: Vec<CowStr<'_>> = Vec::new();
    let number_of = |label: &CowStr<'_>, numbers: &mut Vec<Option<CowStr<'_>>>| match numbers
        .iter()
        .position(|l| l.as_ref() == Some(label))
    {
        Some(i) => i + 1,
        None => {
            numbers.push(Some(label.clone().into_static()));
            numbers.len()
        }
    };
    for (event, _) in events.iter_mut() {
        let n = match event {
            Event::FootnoteReference(label) => number_of(label, &mut numbers),
            Event::Start(Tag::FootnoteDefinition(label)) if defined.contains(label) => {
                numbers.push(None);
                numbers.len()
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                defined.push(label.clone().into_static());
                number_of(label, &mut numbers)
            }
            _ => continue,
        };
        if let Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) =
            event
        {
            *label = CowStr::from(format!("{prefix}{n}"));
        }
    }
}

/// Whether an address may appear in a page: relative, or http, https, mailto or tel.
pub(crate) fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        None => true,
        Some(colon) => {
            let before = &cleaned[..colon];
            if before.contains(['/', '?', '#']) {
                return true;
            }
            matches!(before, "http" | "https" | "mailto" | "tel")
        }
    }
}

/// A heading of a guide page, for its table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) text: String,
    pub(crate) anchor: String,
}

/// A link from a guide page to a guide file or heading, to be checked once all pages are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GuideLink {
    /// The Markdown file named (`03-briefings.md`), or `None` for a link within the page.
    pub(crate) file: Option<String>,
    pub(crate) anchor: Option<String>,
    /// Position of the link in the page's body: 1-based line and column.
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// A guide page's body, walked: its HTML, and the same events for other renderers.
#[derive(Debug, Clone)]
pub(crate) struct GuideBody {
    pub(crate) html: String,
    /// The sanitised events, with every heading's anchor as its `id` and guide links rewritten.
    pub(crate) events: Vec<Event<'static>>,
    pub(crate) headings: Vec<Heading>,
    pub(crate) links: Vec<GuideLink>,
}

/// The sanitised events of a text field of the data (see the module doc).
pub(crate) fn events(markdown: &str) -> Vec<Event<'_>> {
    sanitise(markdown)
        .into_iter()
        .map(|(event, _)| event)
        .collect()
}

/// What a reader reads of `events`: their text, with a space where a block, a line break or
/// a footnote reference stands between words.
pub(crate) fn plain_text<'a>(events: impl IntoIterator<Item = &'a Event<'a>>) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t)
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::Rule
            | Event::FootnoteReference(_)
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) if !text.ends_with(' ') && !text.is_empty() => text.push(' '),
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// The GitHub anchor of a heading: lower case, letters, digits, `-` and `_` kept, spaces to `-`.
/// Plain text (a title or a question of a guide page's front matter, which is YAML, not
/// Markdown) with the typography Markdown text gets: curly quotes and apostrophes, en and em
/// dashes for `--` and `---`, an ellipsis for `...`. The rules are pulldown-cmark's smart
/// punctuation: a quote opens after a space, an opening bracket or dash, or at the start, and
/// closes elsewhere (so an apostrophe is a closing single quote).
pub(crate) fn smarten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut previous: Option<char> = None;
    let opens =
        |before: Option<char>| before.is_none_or(|c| c.is_whitespace() || "([{‘“-–—/".contains(c));
    while let Some(c) = chars.next() {
        let written = match c {
            '"' if opens(previous) => '“',
            '"' => '”',
            '\'' if opens(previous) => '‘',
            '\'' => '’',
            '-' if chars.peek() == Some(&'-') => {
                chars.next();
                if chars.peek() == Some(&'-') {
                    chars.next();
                    '—'
                } else {
                    '–'
                }
            }
            '.' if text_follows(&mut chars, "..") => '…',
            other => other,
        };
        out.push(written);
        previous = Some(written);
    }
    out
}

/// Whether `rest` comes next, consuming it if it does.
fn text_follows(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, rest: &str) -> bool {
    let ahead: String = chars.clone().take(rest.chars().count()).collect();
    if ahead == rest {
        for _ in rest.chars() {
            chars.next();
        }
        true
    } else {
        false
    }
}

pub(crate) fn slugify(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Renders a guide page's body: anchors on every heading, links to `*.md` rewritten to `*.html`.
pub(crate) fn render_guide(body: &str) -> GuideBody {
    let mut events = sanitise(body);
    number_footnotes(&mut events, "fn:");
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut used = HashSet::new();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let position = |offset: usize| {
        let line = line_starts.partition_point(|&start| start <= offset);
        let column = body[line_starts[line - 1]..offset].chars().count() + 1;
        (line, column)
    };

    let mut index = 0;
    while index < events.len() {
        match &events[index].0 {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                let text: String = events[index + 1..]
                    .iter()
                    .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let base = slugify(&text);
                let mut anchor = base.clone();
                let mut n = 1;
                while !used.insert(anchor.clone()) {
                    anchor = format!("{base}-{n}");
                    n += 1;
                }
                if let Event::Start(Tag::Heading { id, .. }) = &mut events[index].0 {
                    *id = Some(CowStr::from(anchor.clone()));
                }
                headings.push(Heading {
                    level: heading_level(level),
                    text,
                    anchor,
                });
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some((file, anchor, rewritten)) = guide_target(dest_url) {
                    let (line, column) = position(events[index].1.start);
                    links.push(GuideLink {
                        file,
                        anchor,
                        line,
                        column,
                    });
                    if let Event::Start(Tag::Link { dest_url, .. }) = &mut events[index].0 {
                        *dest_url = CowStr::from(rewritten);
                    }
                }
            }
            _ => {}
        }
        index += 1;
    }
    let events: Vec<Event<'static>> = events.into_iter().map(|(e, _)| e.into_static()).collect();
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html_out, labelled_tasks(events.iter().cloned()));
    GuideBody {
        html: html_out,
        events,
        headings,
        links,
    }
}

/// A guide page's HTML from its `events`, with every link to one of the pages `stems` (as
/// [`render_guide`] rewrote it, `stem.html#anchor`) turned into its text.
pub(crate) fn html_unlinking(events: &[Event<'static>], stems: &HashSet<String>) -> String {
    let names_a_stem = |url: &str| {
        let path = url.split('#').next().unwrap_or(url);
        path.strip_suffix(".html")
            .is_some_and(|stem| stems.contains(stem))
    };
    let mut in_dropped_link = false;
    let kept = events.iter().filter(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) if names_a_stem(dest_url) => {
            in_dropped_link = true;
            false
        }
        Event::End(TagEnd::Link) if in_dropped_link => {
            in_dropped_link = false;
            false
        }
        _ => true,
    });
    let mut out = String::new();
    html::push_html(&mut out, labelled_tasks(kept.cloned()));
    out
}

/// Parses `body`, escaping raw HTML and unlinking unsafe addresses; keeps source ranges.
fn sanitise(body: &str) -> Vec<(Event<'_>, std::ops::Range<usize>)> {
    let mut dropped_links: Vec<bool> = Vec::new();
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let event = match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(showable(raw)),
                Event::Text(text) => Event::Text(showable(text)),
                Event::Code(text) => Event::Code(showable(text)),
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    let safe = safe_link(tag);
                    dropped_links.push(safe.is_none());
                    Event::Start(safe?)
                }
                Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                    if dropped_links.pop().unwrap_or(false) {
                        return None;
                    }
                    event
                }
                other => other,
            };
            Some((event, range))
        })
        .collect()
}

/// A link or an image with its title made showable; `None` when its address is not safe.
fn safe_link(tag: Tag<'_>) -> Option<Tag<'_>> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => is_safe_url(&dest_url).then(|| Tag::Link {
            link_type,
            dest_url,
            title: showable(title),
            id,
        }),
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => is_safe_url(&dest_url).then(|| Tag::Image {
            link_type,
            dest_url,
            title: showable(title),
            id,
        }),
        other => Some(other),
    }
}

/// `text` with every control character but tab and newline replaced by U+FFFD. The files hold
/// none (that is an error when they are read), but a character reference such as `&#7;`
/// writes one.
fn showable(text: CowStr<'_>) -> CowStr<'_> {
    let unshowable = |c: char| c.is_control() && c != '\t' && c != '\n';
    if !text.contains(unshowable) {
        return text;
    }
    CowStr::from(text.replace(unshowable, "\u{fffd}"))
}

/// A heading's level as a number, 1 to 6.
pub(crate) fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// For a link to a guide file or an anchor in the page: (file, anchor, the address to write).
fn guide_target(url: &str) -> Option<(Option<String>, Option<String>, String)> {
    if let Some(anchor) = url.strip_prefix('#') {
        return Some((None, Some(anchor.to_owned()), url.to_owned()));
    }
    if url.contains(':') || url.starts_with('/') {
        return None;
    }
    let (path, anchor) = match url.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_owned())),
        None => (url, None),
    };
    let stem = path
        .strip_prefix("./")
        .unwrap_or(path)
        .strip_suffix(".md")?;
    let rewritten = match &anchor {
        Some(anchor) => format!("{stem}.html#{anchor}"),
        None => format!("{stem}.html"),
    };
    Some((Some(format!("{stem}.md")), anchor, rewritten))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_gets_the_typography_of_markdown_text() {
        assert_eq!(
            smarten(r#"Each other's "best" client -- or 'two'... 1990--2000---then"#),
            "Each other’s “best” client – or ‘two’… 1990–2000—then"
        );
        assert_eq!(
            smarten("(\"quoted\") and \"'nested'\" end"),
            "(“quoted”) and “‘nested’” end"
        );
        assert_eq!(smarten("no change."), "no change.");
        assert_eq!(smarten(". .. ...."), ". .. ….");
    }

    fn to_html(markdown: &str) -> String {
        Fields::default().to_html(markdown)
    }

    #[test]
    fn footnote_ids_are_unique_on_a_page_and_valid() {
        let page = Fields::default();
        let text = "One[^n] and two[^my note].\n\n[^n]: First.\n[^my note]: Second.\n";
        let (first, second) = (page.to_html(text), page.to_html(text));
        assert!(
            first.contains("href=\"#fn:1:1\"") && first.contains("id=\"fn:1:2\""),
            "{first}"
        );
        assert!(
            second.contains("href=\"#fn:2:1\"") && second.contains("id=\"fn:2:2\""),
            "{second}"
        );
        let guide = render_guide("## Notes\n\nSee[^a].\n\n[^a]: A note.\n");
        assert!(guide.html.contains("id=\"fn:1\""), "{}", guide.html);
        let twice = render_guide("See[^a].\n\n[^a]: One.\n\n[^a]: Two.\n");
        assert_eq!(
            twice.html.matches("id=\"fn:1\"").count(),
            1,
            "{}",
            twice.html
        );
    }

    #[test]
    fn punctuation_is_typeset_and_code_is_left_alone() {
        let html = to_html("It's \"ours\" -- 9--5 --- done... `don't \"touch\"`");
        assert!(html.contains("It’s “ours” – 9–5 — done…"), "{html}");
        assert!(html.contains("<code>don't \"touch\"</code>"), "{html}");
    }

    #[test]
    fn a_tasks_box_is_labelled_with_its_items_text() {
        let html = Fields::default()
            .to_html("- [ ] Book the *first* [meeting](x.html)\n- [x] Done\n  - nested\n")
            + &Fields::default().to_html("- [ ] Loose\n\n  More.\n");
        assert!(
            html.contains("<li><label class=\"task\"><input type=\"checkbox\" disabled> Book the <em>first</em> <a href=\"x.html\">meeting</a></label></li>"),
            "{html}"
        );
        assert!(
            html.contains("<label class=\"task\"><input type=\"checkbox\" disabled checked> Done</label>\n<ul>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<p><label class=\"task\"><input type=\"checkbox\" disabled> Loose</label></p>"
            ),
            "{html}"
        );
        assert_eq!(
            html.matches("<label").count(),
            html.matches("</label>").count()
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("Hello <script>alert(1)</script> *there*");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<em>there</em>"), "{html}");
    }

    #[test]
    fn character_references_make_no_control_characters() {
        let html = to_html(
            "a&#7;b `c&#27;` &#0; [x](https://e.org/a&#27;b \"ti&#7;tle\") ![i](a.png \"&#1;\")",
        );
        assert!(
            !html.contains(|c: char| c.is_control() && c != '\n'),
            "{html:?}"
        );
        assert!(html.contains("a\u{fffd}b"), "{html:?}");
    }

    #[test]
    fn javascript_links_lose_their_address_and_keep_their_text() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "java\tscript:x",
            "data:text/html,x",
        ] {
            let html = to_html(&format!("[click]({url}) and <{url}>"));
            assert!(!html.contains("href"), "{url}: {html}");
            assert!(html.contains("click"), "{html}");
        }
        assert!(to_html("[ok](https://example.org)").contains("href=\"https://example.org\""));
        assert!(to_html("[rel](notes/a.html)").contains("href=\"notes/a.html\""));
    }

    #[test]
    fn headings_get_unique_github_anchors() {
        let body = render_guide(
            "## The questions\n\ntext\n\n## Stage 3: the agreement\n\n## The questions\n",
        );
        let anchors: Vec<&str> = body.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            ["the-questions", "stage-3-the-agreement", "the-questions-1"]
        );
        assert!(
            body.html.contains("<h2 id=\"the-questions\">"),
            "{}",
            body.html
        );
    }

    #[test]
    fn guide_links_are_rewritten_and_recorded_with_positions() {
        let body = render_guide(
            "Intro.\n\nSee [briefings](03-briefings.md#the-questions) and [here](#top).\n",
        );
        assert!(
            body.html
                .contains("href=\"03-briefings.html#the-questions\""),
            "{}",
            body.html
        );
        assert_eq!(
            body.links[0],
            GuideLink {
                file: Some("03-briefings.md".into()),
                anchor: Some("the-questions".into()),
                line: 3,
                column: 5
            }
        );
        assert_eq!(body.links[1].file, None);
        assert_eq!(body.links[1].anchor.as_deref(), Some("top"));
    }

    #[test]
    fn links_to_the_pages_named_become_their_text() {
        let body = render_guide(
            "See [the site](10-site.md#cadence), [briefings](03-briefings.md) and [up](#top).\n",
        );
        let stems = HashSet::from(["10-site".to_owned()]);
        let html = html_unlinking(&body.events, &stems);
        assert!(
            html.contains("See the site, <a href=\"03-briefings.html\">briefings</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"#top\">up</a>"), "{html}");
        assert!(!html.contains("10-site"), "{html}");
    }

    #[test]
    fn slugify_keeps_letters_beyond_ascii() {
        assert_eq!(slugify("Zoë's café: a note"), "zoës-café-a-note");
    }
}
