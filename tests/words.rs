//! Every word a reader sees comes from the theme's strings or from the site's own files. The
//! test builds a site with a pseudo-language, the bundled English with every text wrapped in
//! « and », and reads every page and every PDF: what is left once the wrapped pieces are taken
//! out must be punctuation, numbers, or the site's data. A word written into a template or into
//! the program is neither, and fails it.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::TestSite;
use scraper::{Html, Node};

/// What is left of `text` once every wrapped piece (nested or not) is taken out; each piece
/// taken out leaves a `|`, so what stood on either side of it reads as two pieces.
fn unwrapped(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '«' => {
                if depth == 0 {
                    out.push('|');
                }
                depth += 1;
            }
            '»' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `text` with each run between its placeholders wrapped in « and »: `{count} referrals`
/// becomes `{count}« referrals»`, so what a template fills in stands outside the marks and is
/// checked as well.
fn wrapped(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let (run, after) = match rest.find('{') {
            Some(open) => rest.split_at(open),
            None => (rest, ""),
        };
        if !run.is_empty() {
            out.push_str(&format!("«{run}»"));
        }
        let Some(close) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        out.push_str(&after[..=close]);
        rest = &after[close + 1..];
    }
}

/// The bundled strings with every text (and list item) wrapped in « and ».
fn pseudo_language(english: &str) -> String {
    english
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') || !line.contains(':') && !trimmed.starts_with('-') {
                return line.to_owned();
            }
            if let Some((key, list)) = line.split_once(": [") {
                let items: Vec<String> = list
                    .trim_end_matches(']')
                    .split(", ")
                    .map(|item| format!("\"{}\"", wrapped(item)))
                    .collect();
                return format!("{key}: [{}]", items.join(", "));
            }
            match line.split_once(": ") {
                Some((key, value)) if !value.trim().is_empty() => {
                    let value = value.trim();
                    let inner = value
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or(value);
                    format!("{key}: \"{}\"", wrapped(inner))
                }
                _ => line.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words of `text`: runs of letters, lower case. An apostrophe ends a word, as a PDF's text
/// may have a space after one (`other’ s`).
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty())
        .collect()
}

/// `text` as the site's Markdown prints it, on one line: typographic quotes, dashes and
/// ellipses as typed, every run of white space one space.
fn plain(text: &str) -> String {
    text.replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
        .replace('—', "---")
        .replace('–', "--")
        .replace('…', "...")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Markdown's links as the words a reader reads, `[the site](10-site.md)` as `the site`: on the
/// public site a link to a page for the owner alone is its words among the words around it.
fn link_words(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(close) = rest.find("](") {
        let (Some(start), Some(end)) = (
            rest[..close].rfind('['),
            rest[close..].find(')').map(|i| close + i),
        ) else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&rest[start + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The pieces of an unwrapped text a reader reads as one: what stands between the marks left
/// by wrapped pieces, between text nodes (`|`) and between separators such as ` · `, `, ` or `: `, trimmed of
/// punctuation; only the pieces with a letter in them.
fn pieces(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_space = chars.get(i + 1).is_some_and(|n| n.is_whitespace());
        let separator = c == '|'
            || matches!(c, '·' | ';' | '(' | ')' | '[' | ']')
            || matches!(c, ',' | ':' | '.') && (next_is_space || i + 1 == chars.len());
        if separator {
            found.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    found.push(current);
    found
        .into_iter()
        .map(|piece| {
            piece
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_owned()
        })
        .filter(|piece| piece.chars().any(char::is_alphabetic))
        .collect()
}

/// Whether `piece` is a partner's initials as the public site shows them (`Z. L.` reads as
/// the pieces `Z` and `L`).
fn initial(piece: &str) -> bool {
    piece.chars().count() == 1
}

/// The site's own words: `site.yaml`, every partner file, and every guide page's front matter;
/// each guide page's body by its page name, for its own page only.
struct Data {
    common: String,
    guide_bodies: Vec<(String, String)>,
}

impl Data {
    fn of(site: &TestSite) -> Data {
        let mut common = site.read("site.yaml");
        let mut guide_bodies = Vec::new();
        for entry in walkdir::WalkDir::new(site.root().join("content")) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let text = fs::read_to_string(entry.path()).unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                let body_at = text[3..].find("\n---").map_or(0, |end| end + 7);
                common.push_str(&text[..body_at]);
                let stem = entry.path().file_stem().unwrap().to_string_lossy();
                let body = link_words(&text[body_at..]);
                guide_bodies.push((format!("{stem}.html"), plain(&body)));
            } else {
                common.push_str(&text);
            }
            common.push('\n');
        }
        Data {
            common: plain(&common),
            guide_bodies,
        }
    }

    fn has(&self, page: &Path, piece: &str) -> bool {
        let piece = plain(piece);
        self.common.contains(&piece)
            || self.guide_bodies.iter().any(|(name, body)| {
                page.ends_with(format!("guide/{name}")) && body.contains(&piece)
            })
    }
}

/// Every text a reader meets in a page: its text, title and body, in document order (not
/// scripts' or styles'), as one text with a `|` between text nodes, so that a string holding
/// markup (`Publish <code>output/site</code>`) reads as one; and each attribute read out or
/// shown (`aria-label`, `title`, `alt`, `placeholder`, a description's `content`).
fn page_texts(html: &Html) -> Vec<String> {
    let mut flow = String::new();
    let mut texts = Vec::new();
    for node in html.tree.nodes() {
        match node.value() {
            Node::Text(text) => {
                let in_code = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "script" | "style"))
                });
                if !in_code {
                    flow.push_str(text);
                    flow.push('|');
                }
            }
            Node::Element(element) => {
                for name in ["aria-label", "title", "alt", "placeholder"] {
                    if let Some(value) = element.attr(name) {
                        texts.push(value.to_owned());
                    }
                }
                if element.name() == "meta" && element.attr("name") == Some("description") {
                    texts.extend(element.attr("content").map(str::to_owned));
                }
            }
            _ => {}
        }
    }
    texts.push(flow);
    texts
}

/// Builds `site` in the pseudo-language and checks every page and PDF; returns how many of
/// each it read.
fn check_every_page_and_pdf(site: &TestSite) -> (usize, usize) {
    let english = site.read("themes/default/strings/en.yaml");
    site.write("themes/default/strings/en.yaml", &pseudo_language(&english));
    site.built();
    let data = Data::of(site);
    let mut every_word = String::from(&data.common);
    for (_, body) in &data.guide_bodies {
        every_word.push_str(body);
    }
    let known = words(&every_word);
    let (mut pages, mut pdfs) = (0, 0);
    for entry in walkdir::WalkDir::new(site.out()) {
        let entry = entry.unwrap();
        let path = entry.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                pages += 1;
                let html = Html::parse_document(&fs::read_to_string(path).unwrap());
                let mut foreign = BTreeSet::new();
                for text in page_texts(&html) {
                    for piece in pieces(&unwrapped(&text)) {
                        if !initial(&piece) && !data.has(path, &piece) {
                            foreign.insert(piece);
                        }
                    }
                }
                assert!(
                    foreign.is_empty(),
                    "{}: text neither from the strings nor from the data: {foreign:?}",
                    path.display()
                );
            }
            Some("pdf") => {
                pdfs += 1;
                let text = common::pdf_pages_text(path).join("\n");
                assert!(text.contains('«'), "{}: nothing marked", path.display());
                let foreign: BTreeSet<String> = words(&unwrapped(&text))
                    .into_iter()
                    .filter(|w| !known.contains(w))
                    .collect();
                assert!(
                    foreign.is_empty(),
                    "{}: words neither from the strings nor from the data: {foreign:?}",
                    path.display()
                );
            }
            _ => {}
        }
    }
    (pages, pdfs)
}

#[test]
fn in_a_pseudo_language_every_text_of_the_small_sites_pages_and_pdfs_is_a_string_or_data() {
    let site = TestSite::small();
    let (pages, pdfs) = check_every_page_and_pdf(&site);
    // Both dashboards, both guide indexes and two guide pages each, four partners' private
    // pages, and the public pages of the two the public site shows (one by name, one by
    // number), and "who I recommend".
    assert_eq!(pages, 2 + 2 + 2 * 2 + 4 + 2 + 1, "pages checked");
    // Four partners' six workbooks; five handouts, the guide and the course pack in both sites.
    assert_eq!(pdfs, 4 * 6 + 2 * (5 + 2), "PDFs checked");
}

#[test]
fn in_a_pseudo_language_every_text_of_the_bundled_sites_pages_and_pdfs_is_a_string_or_data() {
    let site = TestSite::bundled();
    let (pages, pdfs) = check_every_page_and_pdf(&site);
    assert!(pages > 30, "{pages} pages checked");
    assert_eq!(pdfs, 8 * 6 + 2 * (5 + 2), "PDFs checked");
}

#[test]
fn the_check_finds_a_word_a_template_writes_itself() {
    let site = TestSite::small();
    let template = "themes/default/templates/_downloads.html";
    let written = site
        .read(template)
        .replace("{{ \"site.downloads.heading\" | t }}", "Handouts");
    site.write(template, &written);
    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_every_page_and_pdf(&site)
    }));
    let message = found
        .expect_err("the check fails")
        .downcast::<String>()
        .map(|m| *m)
        .unwrap_or_default();
    assert!(message.contains("\"Handouts\""), "{message}");
}

#[test]
fn the_pseudo_language_marks_what_stands_between_placeholders() {
    assert_eq!(wrapped("{count} referrals"), "{count}« referrals»");
    assert_eq!(
        wrapped("Thank {partner} for {contact}."),
        "«Thank »{partner}« for »{contact}«.»"
    );
    assert_eq!(wrapped("Notes"), "«Notes»");
    assert_eq!(unwrapped("«Thank »Ana« for »Bo«.»"), "|Ana|Bo|");
}

#[test]
fn pieces_split_at_marks_and_separators_and_keep_phrases_whole() {
    assert_eq!(
        pieces(&unwrapped(
            "«Stage» 4 · «Follow-up» · Ana López, Lopez & Co."
        )),
        ["Ana López", "Lopez & Co"]
    );
    assert_eq!(pieces("Z. L."), ["Z", "L"]);
    assert_eq!(pieces("1,200.50 · 3"), Vec::<String>::new());
    assert_eq!(pieces("site.yaml"), ["site.yaml"]);
}
