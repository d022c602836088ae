//! The search index: `search-index.js` at the top of each site, which the theme's
//! `static/search.js` loads when a reader first uses the search box.
//!
//! The index is a script, not JSON, because a browser refuses to `fetch` a file next to a page
//! opened from disk, and the private site is meant to be opened from disk; a `<script>` it may
//! load. It is a list of entries, one per section of a page (a guide page's headings, a partner
//! page's stages), each with its page's title, the section's title, its address relative to
//! the site's top folder and its text; the script matches what is typed against them and shows
//! the words around each match.
//!
//! Written here rather than with an index builder: the ones Rust has (elasticlunr-rs, as mdBook
//! uses, or Pagefind and tinysearch, which want a server or WebAssembly fetched at run time)
//! build an inverted index of whole words for a JavaScript library of their own, and matching
//! the beginning of a word or a name with its accents left off, and showing the words around
//! the match, then needs the text again anyway. The text of 1,000 partners is a few megabytes;
//! scanned in the browser it answers within a few milliseconds, with any part of a word.
//!
//! The private index holds the guide and everything written about every partner. The public one
//! is made from the public projection and the guide pages that are public only, so it holds no
//! more than the public pages show.

use std::path::Path;

use serde::Serialize;

use super::Pages;
use crate::artifact::{OutputFile, PRIVATE_DIR, PUBLIC_DIR, partner_href};
use crate::model::guide::GuidePage;
use crate::model::partner::Answer;
use crate::model::strings::Strings;
use crate::model::{Partner, Site};
use crate::source::markdown;

/// The index's file name, in each site's top folder.
pub(crate) const INDEX_FILE: &str = "search-index.js";

/// One section of a page, as the search box finds it. Short names: the index of a thousand
/// partners holds tens of thousands of them.
#[derive(Debug, Serialize, PartialEq)]
struct Entry {
    /// The page's title.
    #[serde(rename = "p")]
    page: String,
    /// The section's title; empty for the top of the page.
    #[serde(rename = "s")]
    section: String,
    /// The address, relative to the site's top folder.
    #[serde(rename = "u")]
    href: String,
    /// What the section says, as plain text.
    #[serde(rename = "t")]
    text: String,
}

/// The index of the public site (`public`) or of the private one.
pub(crate) fn index_file(pages: &Pages, public: bool) -> OutputFile {
    let entries = if public {
        public_entries(pages)
    } else {
        private_entries(pages.site, pages.strings)
    };
    let folder = if public { PUBLIC_DIR } else { PRIVATE_DIR };
    OutputFile::new(Path::new(folder).join(INDEX_FILE), script(&entries))
}

/// `entries` as a script that sets `window.advocateSearchIndex`.
fn script(entries: &[Entry]) -> String {
    let json = serde_json::to_string(entries).unwrap_or_else(|_| "[]".to_owned());
    format!("window.advocateSearchIndex = {json};\n")
}

fn private_entries(site: &Site, strings: &Strings) -> Vec<Entry> {
    let mut entries = guide_entries(&site.guide.pages_for(false));
    for partner in &site.partners {
        partner_entries(site, partner, strings, &mut entries);
    }
    entries
}

fn public_entries(pages: &Pages) -> Vec<Entry> {
    let mut entries = guide_entries(&pages.site.guide.pages_for(true));
    for partner in &pages.public.partners {
        let title = if partner.label.is_empty() {
            html_text(&pages.strings.words(
                "site.public.partner",
                &[("number", partner.number.unwrap_or_default().to_string())],
            ))
        } else {
            partner.label.clone()
        };
        let mut text = Vec::new();
        if let Some(named) = &partner.named {
            text.extend(named.role.clone());
            text.push(named.business.clone());
        }
        text.extend(partner.sector.clone());
        if let Some(recommendation) = partner
            .named
            .as_ref()
            .and_then(|n| n.recommendation.as_ref())
        {
            text.push(field_text(recommendation));
        }
        entries.push(Entry {
            page: title,
            section: String::new(),
            href: partner_href(&partner.slug),
            text: joined(text),
        });
    }
    entries
}

/// Each guide page's opening and each of its sections (a `##` or `###` heading and what
/// follows it up to the next one). A public page's links to pages for the owner alone are
/// text there, and a link's text is the same either way, so both sites read the same events.
fn guide_entries(pages: &[&GuidePage]) -> Vec<Entry> {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    let mut entries = Vec::new();
    for page in pages {
        let href = format!("guide/{}.html", page.slug);
        let mut sections: Vec<(String, String, Vec<&Event>)> =
            vec![(String::new(), href.clone(), Vec::new())];
        let mut in_heading = false;
        for event in page.events.iter() {
            match event {
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H2 | HeadingLevel::H3,
                    id,
                    ..
                }) => {
                    in_heading = true;
                    let anchor = id.as_deref().unwrap_or_default();
                    sections.push((String::new(), format!("{href}#{anchor}"), Vec::new()));
                }
                Event::End(TagEnd::Heading(HeadingLevel::H2 | HeadingLevel::H3)) => {
                    in_heading = false;
                }
                Event::Text(t) | Event::Code(t) if in_heading => {
                    if let Some(section) = sections.last_mut() {
                        section.0.push_str(t);
                    }
                }
                _ => {
                    if let Some(section) = sections.last_mut() {
                        section.2.push(event);
                    }
                }
            }
        }
        for (i, (title, href, events)) in sections.into_iter().enumerate() {
            let mut text = markdown::plain_text(events);
            if i == 0
                && let Some(summary) = &page.front.summary
            {
                text = joined([summary.clone(), text]);
            }
            if i > 0 || !text.is_empty() {
                entries.push(Entry {
                    page: page.front.title.clone(),
                    section: title,
                    href,
                    text,
                });
            }
        }
    }
    entries
}

/// A partner page's top and each of its stages, with every text the page shows. The section
/// addresses are the ids of the default theme's `partner.html`.
fn partner_entries(site: &Site, partner: &Partner, strings: &Strings, entries: &mut Vec<Entry>) {
    let data = &partner.data;
    let href = partner_href(&partner.id);
    let mut section = |key: &str, anchor: &str, texts: Vec<String>| {
        let text = joined(texts);
        if !text.is_empty() || key.is_empty() {
            entries.push(Entry {
                page: data.name.clone(),
                section: if key.is_empty() {
                    String::new()
                } else {
                    html_text(&strings.words(key, &[]))
                },
                href: if anchor.is_empty() {
                    href.clone()
                } else {
                    format!("{href}#{anchor}")
                },
                text,
            });
        }
    };
    let contact = data.contact.clone().unwrap_or_default();
    let profile = data.public.clone().unwrap_or_default();
    section(
        "",
        "",
        [
            data.role.clone(),
            Some(data.business.clone()),
            data.sector.clone(),
            contact.email,
            contact.phone,
            contact.address,
            profile.recommendation.map(|r| field_text(&r)),
            profile.website.map(|w| w.value),
        ]
        .into_iter()
        .flatten()
        .collect(),
    );
    let exploratory = data.exploratory.clone().unwrap_or_default();
    section(
        "site.partner.stage_1",
        "stage-1",
        [exploratory.why, exploratory.notes]
            .iter()
            .flatten()
            .map(|t| field_text(t))
            .collect(),
    );
    let mut briefing = Vec::new();
    if let Some(theirs) = data.briefing.as_ref().and_then(|b| b.theirs.as_ref()) {
        for (id, answer) in &theirs.answers {
            if let Some(question) = site.guide.question(&id.value) {
                briefing.push(question.text.clone());
            }
            match answer {
                Answer::Text(text) => briefing.push(field_text(text)),
                Answer::List(items) => briefing.extend(items.iter().map(|t| field_text(t))),
            }
        }
    }
    for reservation in &data.reservations {
        if let Some(theme) = site.guide.theme(&reservation.theme.value) {
            briefing.push(theme.title.clone());
        }
        briefing.extend(
            [&reservation.concern, &reservation.resolution]
                .into_iter()
                .flatten()
                .map(|t| field_text(t)),
        );
    }
    section("site.partner.stage_2", "stage-2", briefing);
    let mut teaching = Vec::new();
    for side in data
        .teaching
        .iter()
        .flat_map(|t| [&t.them, &t.me])
        .flatten()
    {
        teaching.extend(side.say.iter().map(|t| field_text(t)));
        teaching.extend(side.offer.iter().cloned());
        if let Some(targets) = &side.targets {
            teaching.extend(targets.sectors.iter().cloned());
            teaching.extend(targets.sizes.iter().cloned());
            teaching.extend(targets.locations.iter().cloned());
        }
    }
    section("site.partner.stage_3", "stage-3", teaching);
    section(
        "site.partner.referrals",
        "referral-list",
        data.referrals
            .iter()
            .flat_map(|r| [&r.contact, &r.need])
            .flatten()
            .map(|t| field_text(t))
            .collect(),
    );
    section(
        "site.partner.stage_4",
        "stage-4",
        data.updates.iter().map(|u| field_text(&u.text)).collect(),
    );
    section(
        "site.partner.bank",
        "bank",
        data.interactions
            .iter()
            .filter_map(|i| i.summary.as_ref())
            .map(|t| field_text(t))
            .collect(),
    );
}

/// A text field of the data (Markdown) as plain text.
fn field_text(markdown: &str) -> String {
    markdown::plain_text(&markdown::events(markdown))
}

/// The non-empty `texts`, one after another.
fn joined(texts: impl IntoIterator<Item = String>) -> String {
    texts
        .into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A site string (whose text is HTML) as the plain text it shows: tags left out, the five
/// entities a string may use read back.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_is_read_as_the_text_it_shows() {
        assert_eq!(
            html_text("Publish <code>output/site</code> &amp; more"),
            "Publish output/site & more"
        );
    }

    #[test]
    fn the_index_is_a_script_that_sets_one_global() {
        let entries = [Entry {
            page: "Zoë".into(),
            section: String::new(),
            href: "partners/zoe.html".into(),
            text: "Wills \"and\" </script> trusts".into(),
        }];
        let script = script(&entries);
        assert!(
            script.starts_with("window.advocateSearchIndex = [{"),
            "{script}"
        );
        assert!(
            script.contains(r#""t":"Wills \"and\" </script> trusts""#),
            "{script}"
        );
    }
}
