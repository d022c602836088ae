//! The search index of each site: what it holds, that every result leads to a page and a
//! section that exist, and that the public one holds only what the public site shows. (The
//! privacy test plants strings in every private field and checks the public index too;
//! `.ci/check-search` tries the search box itself in Chromium, from disk.)

mod common;

use std::fs;
use std::path::Path;

use common::{TestSite, select};

#[derive(serde::Deserialize, Debug)]
struct Entry {
    p: String,
    s: String,
    u: String,
    t: String,
}

fn index(site: &TestSite, folder: &str) -> Vec<Entry> {
    let script = fs::read_to_string(site.out().join(folder).join("search-index.js")).unwrap();
    let json = script
        .strip_prefix("window.advocateSearchIndex = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("the index is one assignment");
    serde_json::from_str(json).unwrap()
}

/// Every entry's address is a page of the site, and its fragment an id on that page.
fn every_result_leads_somewhere(site: &TestSite, folder: &str, entries: &[Entry]) {
    for entry in entries {
        let (path, fragment) = entry.u.split_once('#').unwrap_or((&entry.u, ""));
        let file = site.out().join(folder).join(path);
        assert!(file.is_file(), "{}: no {}", entry.u, file.display());
        if !fragment.is_empty() {
            let html = scraper::Html::parse_document(&fs::read_to_string(&file).unwrap());
            assert_eq!(
                select(&html, &format!("[id='{fragment}']")).len(),
                1,
                "{}: no element with that id",
                entry.u
            );
        }
    }
}

#[test]
fn the_private_index_holds_the_guide_and_every_partners_notes_by_section() {
    let site = TestSite::small();
    site.built();
    let entries = index(&site, "private");
    every_result_leads_somewhere(&site, "private", &entries);
    let find = |href: &str| {
        entries
            .iter()
            .find(|e| e.u == href)
            .unwrap_or_else(|| panic!("no entry for {href}: {entries:#?}"))
    };
    let why = find("partners/ana-lopez.html#stage-1");
    assert_eq!(why.p, "Ana López");
    assert_eq!(why.s, "Stage 1: exploratory meeting");
    assert!(
        why.t.contains("We share customers."),
        "Markdown read as text: {:?}",
        why.t
    );
    let briefing = find("partners/ana-lopez.html#stage-2");
    assert!(
        briefing.t.contains("Good coffee for Stroud."),
        "{:?}",
        briefing.t
    );
    assert!(
        briefing.t.contains("Will she be discreet?"),
        "{:?}",
        briefing.t
    );
    assert!(
        find("partners/ana-lopez.html#bank")
            .t
            .contains("Quick catch-up.")
    );
    assert!(
        find("partners/ana-lopez.html#stage-4")
            .t
            .contains("Opened a second café.")
    );
    assert!(find("partners/ana-lopez.html").t.contains("López Cafés"));
    let section = find("guide/01-start.html#before-you-meet");
    assert_eq!(
        (section.p.as_str(), section.s.as_str()),
        ("Getting started", "Before you meet")
    );
    assert!(section.t.contains("Bring a notebook."));
    // The page's opening: its summary and the words before the first heading.
    let opening = find("guide/01-start.html");
    assert!(
        opening.t.starts_with("The first meeting."),
        "{:?}",
        opening.t
    );
}

#[test]
fn the_public_index_holds_only_what_the_public_pages_show() {
    let site = TestSite::small();
    site.for_the_owner_only("content/guide/02-briefings.md");
    site.built();
    let entries = index(&site, "site");
    every_result_leads_somewhere(&site, "site", &entries);
    let pages: Vec<&str> = entries
        .iter()
        .map(|e| e.u.split('#').next().unwrap())
        .collect();
    assert!(pages.contains(&"guide/01-start.html"));
    assert!(
        !pages.iter().any(|p| p.contains("02-briefings")),
        "an owner's page: {pages:?}"
    );
    // The named partner by name and business, the anonymous one by initials and sector.
    let ana = entries
        .iter()
        .find(|e| e.u == "partners/ana-lopez.html")
        .unwrap();
    assert_eq!(ana.p, "Ana López");
    assert!(ana.t.contains("López Cafés"));
    let ben = entries
        .iter()
        .find(|e| e.u == "partners/partner-1.html")
        .unwrap();
    assert_eq!((ben.p.as_str(), ben.t.as_str()), ("B. N.", "trades"));
    let text: String = entries
        .iter()
        .map(|e| format!("{} {} {}\n", e.p, e.s, e.t))
        .collect();
    for private in [
        "Good coffee",
        "We share customers",
        "Quick catch-up",
        "Cara",
        "Ng Plumbing",
    ] {
        assert!(!text.contains(private), "{private} in the public index");
    }
}

#[test]
fn every_page_has_a_search_box_that_waits_for_its_script() {
    let site = TestSite::small();
    site.built();
    for page in [
        "private/index.html",
        "private/partners/ana-lopez.html",
        "site/guide/01-start.html",
    ] {
        let html = site.html(page);
        let form = select(&html, "form.search[role='search'][hidden]");
        assert_eq!(
            form.len(),
            1,
            "{page}: one search form, hidden until the script shows it"
        );
        assert_eq!(
            select(&html, "label[for='search-input']").len(),
            1,
            "{page}"
        );
        let root = form[0].attr("data-root").unwrap();
        let script = select(&html, "script[src$='static/search.js']");
        assert_eq!(script.len(), 1, "{page}");
        assert!(script[0].attr("src").unwrap().starts_with(root));
        let folder = Path::new(page).parent().unwrap();
        assert!(
            site.out()
                .join(folder)
                .join(root)
                .join("search-index.js")
                .is_file(),
            "{page}"
        );
    }
}
