//! The built pages, checked by parsing their HTML: structure, accessibility landmarks, links
//! that resolve when opened from disk, what each page shows, and what it must not.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::{TestSite, names_in, select, text_of};

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Structure every page must have, and links that must resolve from disk.
fn check_every_page(out: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    for file in html_files(out) {
        let name = file.strip_prefix(out).unwrap().display().to_string();
        let source = fs::read_to_string(&file).unwrap();
        let html = scraper::Html::parse_document(&source);
        if !html.errors.is_empty() {
            failures.push(format!("{name}: HTML parse errors {:?}", html.errors));
        }
        let is_private = name.starts_with("private/");
        let lang = select(&html, "html[lang]");
        if lang.is_empty() {
            failures.push(format!("{name}: no lang"));
        }
        for landmark in [
            "header",
            "nav",
            "main#main",
            "footer",
            "a.skip-link[href='#main']",
            "title",
        ] {
            if select(&html, landmark).is_empty() {
                failures.push(format!("{name}: no {landmark}"));
            }
        }
        if select(&html, "h1").len() != 1 {
            failures.push(format!("{name}: not exactly one h1"));
        }
        let mut previous = 0;
        for heading in select(&html, "h1, h2, h3, h4, h5, h6") {
            let level: u32 = heading.value().name()[1..].parse().unwrap();
            if level > previous + 1 {
                failures.push(format!(
                    "{name}: heading h{level} after h{previous}: {}",
                    text_of(&heading)
                ));
            }
            previous = level;
        }
        let mut ids = HashSet::new();
        for element in select(&html, "[id]") {
            let id = element.attr("id").unwrap();
            if !ids.insert(id) {
                failures.push(format!("{name}: two elements have the id {id:?}"));
            }
            if id.is_empty() || id.contains(char::is_whitespace) {
                failures.push(format!("{name}: the id {id:?} is not a valid id"));
            }
        }
        let noindex = !select(&html, "meta[name='robots'][content*='noindex']").is_empty();
        if noindex != is_private {
            failures.push(format!("{name}: noindex is {noindex}"));
        }
        for element in select(&html, "a[href], link[href], img[src]") {
            let target = element.attr("href").or(element.attr("src")).unwrap();
            if target.starts_with("http") || target.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            if target.starts_with('/') || !resolved.is_file() {
                failures.push(format!("{name}: link {target} does not resolve to a file"));
                continue;
            }
            if !fragment.is_empty() && resolved.extension().is_some_and(|e| e == "html") {
                let page = scraper::Html::parse_document(&fs::read_to_string(&resolved).unwrap());
                if select(&page, &format!("[id='{fragment}']")).is_empty() {
                    failures.push(format!("{name}: link {target} names a missing anchor"));
                }
            }
        }
    }
    failures
}

#[test]
fn every_page_of_both_sites_is_well_formed_accessible_and_linked_from_disk() {
    let site = TestSite::small();
    site.built();
    let failures = check_every_page(&site.out());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_page_of_the_bundled_content_is_well_formed_and_linked() {
    let site = TestSite::bundled();
    let report = site.built();
    assert!(report.partners >= 6);
    let failures = check_every_page(&site.out());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_private_dashboard_shows_the_pipeline_cadence_and_referrals() {
    let site = TestSite::small();
    site.built();
    let html = site.html("private/index.html");
    let columns = select(&html, ".pipeline > .stage");
    assert_eq!(columns.len(), 4);
    let column_names = |i: usize| -> Vec<String> {
        let selector = scraper::Selector::parse(".card > a").unwrap();
        columns[i].select(&selector).map(|a| text_of(&a)).collect()
    };
    assert_eq!(column_names(0), ["Ben Ng"]);
    assert_eq!(column_names(1), ["Cara Doyle"]);
    assert_eq!(column_names(2), Vec::<String>::new());
    assert_eq!(column_names(3), ["Ana López"]);
    assert!(text_of(&columns[1]).contains("on hold"));
    let after_pipeline = select(
        &html,
        "section[aria-labelledby='pipeline'] > .cards .card > a",
    );
    assert_eq!(
        after_pipeline.iter().map(text_of).collect::<Vec<_>>(),
        ["Dev Patel"]
    );

    let attention = names_in(&html, "section[aria-labelledby='attention'] tbody th");
    assert_eq!(
        attention,
        ["Cara Doyle", "Ben Ng"],
        "Cara is overdue, Ben due"
    );
    let meetings = names_in(&html, "section[aria-labelledby='meetings'] tbody tr");
    assert_eq!(
        meetings[0],
        "12 Mar 2026 Cara Doyle should have happened: book it"
    );
    assert!(
        meetings
            .iter()
            .any(|m| m == "10 Jun 2026 Ana López in the diary"),
        "{meetings:?}"
    );

    let won = names_in(&html, ".figures tbody tr");
    assert!(won.contains(&"won 1 1".to_owned()), "{won:?}");
    let totals = names_in(&html, ".figures tfoot tr");
    assert_eq!(totals, ["All 1 1", "Closed value 1,500 900"]);
    let thanks = names_in(&html, "section[aria-labelledby='thanks'] ul li");
    assert_eq!(
        thanks[0],
        "Thank Ana López for C. Clark (referred 9 Mar 2026 , won)."
    );
}

#[test]
fn a_private_partner_page_shows_everything_in_the_guide_order() {
    let site = TestSite::small();
    site.built();
    let html = site.html("private/partners/ana-lopez.html");
    assert_eq!(names_in(&html, "h1"), ["Ana López"]);
    let rows = names_in(&html, "table.answers tbody tr");
    assert_eq!(
        rows,
        [
            "What is your business for? Good coffee for Stroud. Calm, tidy books for small firms.",
            "What do you enjoy outside work? Running Choirs not answered yet",
        ]
    );
    assert_eq!(
        names_in(&html, "table.answers tbody tr td ul li"),
        ["Running", "Choirs"]
    );
    assert_eq!(
        names_in(&html, ".timeline li[aria-current='step'] .step-name"),
        ["Follow-up"]
    );
    let reservation = names_in(&html, "table.reservations tbody tr");
    assert_eq!(reservation.len(), 1);
    assert!(
        reservation[0].starts_with("Trust them Will she be discreet?"),
        "{reservation:?}"
    );
    assert_eq!(
        names_in(&html, "blockquote.say"),
        [
            "Ana’s cafés cater for offices.",
            "Olga keeps café books tidy."
        ]
    );
    let referrals = names_in(&html, "table.referrals tbody tr");
    assert!(referrals[1].contains("thanks owed"), "{referrals:?}");
    assert!(
        select(&html, "em")
            .iter()
            .any(|e| text_of(e) == "customers"),
        "Markdown in data is rendered"
    );
}

#[test]
fn guide_pages_have_anchors_contents_neighbours_and_their_definitions() {
    let site = TestSite::small();
    site.built();
    let first = site.html("private/guide/01-start.html");
    assert_eq!(
        names_in(&first, ".toc li"),
        ["Before you meet", "After you meet"]
    );
    assert_eq!(select(&first, "h2#before-you-meet").len(), 1);
    let link = select(&first, ".prose a")[0]
        .attr("href")
        .unwrap()
        .to_owned();
    assert_eq!(link, "02-briefings.html#the-questions");
    assert_eq!(
        select(&first, "a[rel='next']")[0].attr("href"),
        Some("02-briefings.html")
    );
    assert!(select(&first, "a[rel='prev']").is_empty());
    let second = site.html("site/guide/02-briefings.html");
    assert_eq!(
        names_in(&second, ".defined ol li"),
        [
            "Business What is your business for? purpose",
            "Personal What do you enjoy outside work? hobbies"
        ]
    );
    assert_eq!(
        names_in(&second, ".defined dt"),
        ["Trust trust", "Time time"]
    );
}

#[test]
fn the_guide_contents_start_with_the_first_page_then_a_card_per_stage_then_the_rest() {
    let site = TestSite::small();
    let about = format!(
        "---\ntitle: About\norder: 3\nsummary: Where it comes from.\n---\n\n{}\n",
        "word ".repeat(401)
    );
    site.write("content/guide/03-about.md", &about);
    site.built();
    let index = site.html("site/guide/index.html");
    assert_eq!(
        select(&index, "a.start")[0].attr("href"),
        Some("01-start.html")
    );
    assert_eq!(
        names_in(&index, ".stage-card h3"),
        ["Exploratory meeting", "Briefings"],
        "a card for each stage with pages"
    );
    assert_eq!(
        names_in(&index, ".stage-card .entries > li > a"),
        ["Getting started", "Briefings"]
    );
    assert_eq!(names_in(&index, ".guide-grid > li > a"), ["About"]);
    // 401 words at 200 a minute, rounded up.
    assert_eq!(names_in(&index, ".guide-grid .reading"), ["3 min read"]);
}

#[test]
fn the_public_site_shows_only_the_projection_with_sitemap_and_robots() {
    let site = TestSite::small();
    site.built();
    let html = site.html("site/index.html");
    let cards = names_in(&html, ".card > a");
    assert_eq!(
        cards,
        ["B. N.", "Ana López"],
        "private Cara and declined Dev are left out"
    );
    let hrefs: Vec<&str> = select(&html, ".card > a")
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        ["partners/partner-1.html", "partners/ana-lopez.html"]
    );
    let files: HashSet<String> = html_files(&site.out().join("site/partners"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        HashSet::from(["partner-1.html".to_owned(), "ana-lopez.html".to_owned()])
    );
    let ben = site.html("site/partners/partner-1.html");
    assert_eq!(names_in(&ben, "h1"), ["B. N."]);
    assert_eq!(names_in(&ben, ".lede"), ["trades"]);

    let sitemap = fs::read_to_string(site.out().join("site/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://test.example.org/adv/</loc>"));
    assert!(sitemap.contains("<loc>https://test.example.org/adv/partners/partner-1.html</loc>"));
    assert!(!sitemap.contains("private"));
    let robots = fs::read_to_string(site.out().join("site/robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://test.example.org/adv/sitemap.xml"));
    assert!(!site.out().join("private/sitemap.xml").exists());
}

#[test]
fn raw_html_and_javascript_links_in_the_data_never_reach_a_page() {
    let site = TestSite::small();
    let ben = fs::read_to_string(site.root().join("content/partners/ben-ng.yaml")).unwrap();
    site.write(
        "content/partners/ben-ng.yaml",
        &format!(
            "{ben}interactions:\n  - date: 2026-05-26\n    kind: call\n    summary: \"Called. <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) [ok](https://example.org)\"\n"
        ),
    );
    site.built();
    let html = site.html("private/partners/ben-ng.html");
    assert!(select(&html, "main script, main img").is_empty());
    assert!(select(&html, "a[href^='javascript' i]").is_empty());
    let log = names_in(&html, ".log li");
    assert!(
        log[0].contains("<script>alert(1)</script>"),
        "escaped and shown as text: {log:?}"
    );
    assert!(log[0].contains("click"), "the link's text stays: {log:?}");
    assert_eq!(select(&html, ".log a[href='https://example.org']").len(), 1);
}

#[test]
fn footnotes_in_several_fields_of_a_page_keep_their_ids_apart() {
    let site = TestSite::small();
    let ana = site.read("content/partners/ana-lopez.yaml");
    let noted = ana
        .replace(
            "why: We share *customers*.",
            "why: \"We share customers.[^1] And more.[^a note]\\n\\n[^1]: Mostly.\\n\\n[^a note]: Spaced.\"",
        )
        .replace(
            "summary: Monthly review.",
            "summary: \"Monthly review.[^1]\\n\\n[^1]: On Tuesday.\"",
        );
    assert_ne!(noted, ana);
    site.write("content/partners/ana-lopez.yaml", &noted);
    site.built();
    let failures = check_every_page(&site.out());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let page = site.html("private/partners/ana-lopez.html");
    let references = select(&page, ".footnote-reference a");
    assert_eq!(references.len(), 3);
    for reference in references {
        let target = reference.attr("href").unwrap().trim_start_matches('#');
        assert_eq!(
            select(&page, &format!("[id='{target}']")).len(),
            1,
            "{target}"
        );
    }
}

#[test]
fn amounts_carry_the_sites_currency_and_a_partner_with_nothing_yet_is_new() {
    let site = TestSite::small();
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &config.replace("as_of: 2026-06-01", "as_of: 2026-06-01\ncurrency: GBP"),
    );
    site.write(
        "content/partners/eve-hart.yaml",
        "name: Eve Hart\nbusiness: Hart Design\n",
    );
    site.built();

    let partner = site.html("private/partners/ana-lopez.html");
    let values: Vec<String> = select(&partner, "table.referrals td:nth-child(5)")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(values, ["£1,500", "£900"]);
    let dashboard = site.html("private/index.html");
    let closed = select(&dashboard, "table.figures tfoot tr:last-child td")
        .iter()
        .map(text_of)
        .collect::<Vec<_>>();
    assert_eq!(closed, ["£1,500", "£900"]);
    let workbook = common::pdf_pages_text(
        &site
            .out()
            .join("private/workbooks/ana-lopez/stage-4-follow-up.pdf"),
    )
    .join(" ");
    assert!(workbook.contains("£1,500"), "{workbook}");

    let eve = select(&dashboard, "li.card")
        .into_iter()
        .find(|card| text_of(card).contains("Eve Hart"))
        .expect("Eve's card");
    let badge = select(&dashboard, "li.card .health-new");
    assert_eq!(badge.len(), 1, "one new relationship");
    assert_eq!(text_of(&badge[0]), "cadence new");
    assert!(text_of(&eve).contains("cadence new"), "{}", text_of(&eve));
    let attention: Vec<String> = select(&dashboard, "section[aria-labelledby=attention] tbody th")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        !attention.iter().any(|name| name == "Eve Hart"),
        "a new relationship is not overdue: {attention:?}"
    );
}

#[test]
fn an_owner_page_of_the_guide_stays_off_the_public_site_and_its_links_become_text() {
    let site = TestSite::small();
    site.for_the_owner_only("content/guide/02-briefings.md");
    site.built();
    assert!(site.out().join("private/guide/02-briefings.html").exists());
    assert!(!site.out().join("site/guide/02-briefings.html").exists());

    let contents = |root: &str| {
        let html = site.html(&format!("{root}/guide/index.html"));
        select(&html, "main a")
            .iter()
            .filter_map(|a| a.attr("href").map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert!(contents("private").contains(&"02-briefings.html".to_owned()));
    assert!(!contents("site").iter().any(|h| h.contains("02-briefings")));

    // The public page that linked to it keeps the words and loses the link, and has no next.
    let start = site.html("site/guide/01-start.html");
    let main = text_of(&select(&start, "main")[0]);
    assert!(main.contains("Read the briefings next."), "{main}");
    let hrefs: Vec<&str> = select(&start, "a")
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert!(
        !hrefs.iter().any(|h| h.contains("02-briefings")),
        "{hrefs:?}"
    );
    let private_start = site.html("private/guide/01-start.html");
    assert!(
        select(&private_start, "a[href='02-briefings.html#the-questions']").len() == 1,
        "the private page keeps the link"
    );
    let sitemap = fs::read_to_string(site.out().join("site/sitemap.xml")).unwrap();
    assert!(!sitemap.contains("02-briefings"), "{sitemap}");
    assert!(check_every_page(&site.out()).is_empty());
}

#[test]
fn who_i_recommend_lists_the_named_partners_by_sector_with_the_owners_words() {
    let site = TestSite::small();
    let ana = site.read("content/partners/ana-lopez.yaml");
    site.write(
        "content/partners/ana-lopez.yaml",
        &ana.replacen(
            "consent: 2026-01-10\n",
            "consent: 2026-01-10\npublic:\n  recommendation: Ana's *cafés* feed half of Stroud.\n  website: https://lopez-cafes.example.com\n",
            1,
        ),
    );
    site.write(
        "content/partners/eve-adams.yaml",
        "name: Eve Adams\nbusiness: Adams Joinery\nsector: trades\nvisibility: public\nconsent: 2026-03-01\nexploratory: { date: 2026-05-01, decision: pending }\n",
    );
    site.write(
        "content/partners/fay-brook.yaml",
        "name: Fay Brook\nbusiness: Brook Bakes\nvisibility: public\nconsent: 2026-03-01\npublic: { recommendation: Fay bakes for every launch I run. }\nexploratory: { date: 2026-05-02, decision: pending }\n",
    );
    site.built();
    let html = site.html("site/recommendations.html");
    assert_eq!(
        names_in(&html, "main h2"),
        ["hospitality", "trades", "Other"],
        "sectors in order, the partners without one last"
    );
    assert_eq!(
        names_in(&html, ".recommendation h3"),
        ["Ana López", "Eve Adams", "Fay Brook"]
    );
    let quote = text_of(&select(&html, ".recommendation blockquote")[0]);
    assert_eq!(quote, "Ana’s cafés feed half of Stroud.");
    assert_eq!(select(&html, ".recommendation blockquote em").len(), 1);
    assert_eq!(
        select(&html, "a[href='https://lopez-cafes.example.com/']").len(),
        1,
        "the website, written out in full"
    );
    assert_eq!(select(&html, "a[href='partners/ana-lopez.html']").len(), 1);
    // The partner's own public page says it too, and every public page links the list.
    let page = site.html("site/partners/ana-lopez.html");
    assert!(text_of(&select(&page, "main")[0]).contains("Ana’s cafés feed half of Stroud."));
    let guide = site.html("site/guide/index.html");
    assert_eq!(
        select(&guide, "nav a[href='../recommendations.html']").len(),
        1
    );
    // The progress page leads with them, those with the owner's words first.
    let home = site.html("site/index.html");
    assert_eq!(
        names_in(&home, "#recommended ~ .recommendations .recommendation h3"),
        ["Ana López", "Fay Brook", "Eve Adams"]
    );
    // Ana, Ben (anonymous), Eve and Fay: Cara is private and Dev declined.
    assert_eq!(
        names_in(&home, ".stats li"),
        [
            "4 advocacy relationships",
            "1 referral given",
            "1 referral received"
        ]
    );
    assert_eq!(
        select(&home, "section a[href='recommendations.html']").len(),
        1,
        "and links the page that lists them all"
    );
    let private = site.html("private/index.html");
    assert!(select(&private, "a[href$='recommendations.html']").is_empty());
    assert!(check_every_page(&site.out()).is_empty());
}

#[test]
fn without_a_named_partner_there_is_no_recommendations_page() {
    let site = TestSite::small();
    let ana = site.read("content/partners/ana-lopez.yaml");
    site.write(
        "content/partners/ana-lopez.yaml",
        &ana.replace("visibility: public", "visibility: anonymous"),
    );
    site.built();
    assert!(!site.out().join("site/recommendations.html").exists());
    let home = site.html("site/index.html");
    assert!(select(&home, "a[href$='recommendations.html']").is_empty());
    assert!(select(&home, ".recommendation").is_empty());
}

#[test]
fn the_dashboard_leads_with_this_week_and_the_partner_page_with_what_is_open() {
    let site = TestSite::small();
    site.built();
    let dashboard = site.html("private/index.html");
    let sections: Vec<String> = select(&dashboard, "main > section > h2")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(sections[0], "This week", "{sections:?}");
    assert!(
        sections.iter().position(|s| s == "Pipeline") > Some(0),
        "the pipeline comes after: {sections:?}"
    );
    let panels: Vec<String> = select(&dashboard, ".this-week .panel > h3")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(panels.len(), 4, "{panels:?}");

    let ana = site.html("private/partners/ana-lopez.html");
    let headings: Vec<String> = select(&ana, "main h2").iter().map(text_of).collect();
    assert_eq!(headings[0], "Open items", "{headings:?}");
    let open = names_in(&ana, ".open-items .panel h3");
    assert!(open.contains(&"Next meeting".to_owned()), "{open:?}");
    // Every in-page link leads to a section of the page.
    for link in select(&ana, "nav.on-page a") {
        let id = link.attr("href").unwrap().trim_start_matches('#');
        assert_eq!(select(&ana, &format!("[id='{id}']")).len(), 1, "#{id}");
    }
}

#[test]
fn every_table_cell_keeps_its_column_label_for_a_phone() {
    let site = TestSite::small();
    site.built();
    for page in ["private/index.html", "private/partners/ana-lopez.html"] {
        let html = site.html(page);
        for cell in select(&html, "tbody td, tfoot td") {
            assert!(
                cell.attr("data-label").is_some_and(|l| !l.is_empty()),
                "{page}: a cell without its column's label: {}",
                text_of(&cell)
            );
        }
    }
}

#[test]
fn each_guide_page_lists_every_chapter_and_marks_its_own() {
    let site = TestSite::small();
    site.built();
    let html = site.html("private/guide/02-briefings.html");
    let side: Vec<&str> = select(&html, ".chapters-side a[href$='.html']")
        .iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(side, ["index.html", "01-start.html", "02-briefings.html"]);
    let current = select(&html, ".chapters-side a[aria-current='page']");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].attr("href"), Some("02-briefings.html"));
    assert_eq!(
        select(&html, "details.chapters-menu li").len(),
        2,
        "the phone's menu too"
    );
}

#[test]
fn the_charts_are_svg_with_a_title_a_description_and_their_figures_as_a_table() {
    let site = TestSite::small();
    site.built();
    let html = site.html("private/index.html");
    let charts = select(&html, "figure.chart svg[role='img']");
    assert_eq!(
        charts.len(),
        2,
        "referrals per month and the pipeline over time"
    );
    for svg in &charts {
        let labelled = svg.attr("aria-labelledby").unwrap();
        for id in labelled.split(' ') {
            assert_eq!(select(&html, &format!("svg [id='{id}']")).len(), 1, "{id}");
        }
    }
    // as_of is 1 June 2026: Ana's referrals of March, one each way, both won.
    let rows = names_in(&html, "details.chart-figures tbody tr");
    assert_eq!(rows.len(), 24, "twelve months in each table");
    assert!(
        rows.contains(&"Mar 2026 1 1 1,500 900".to_owned()),
        "{rows:?}"
    );
    let bars = select(&html, "rect.bar");
    assert_eq!(
        bars.len(),
        2,
        "a bar for each month and direction with a referral"
    );
    // The public progress page draws the pipeline only: no referral dates are public.
    let public = site.html("site/index.html");
    assert_eq!(select(&public, "figure.chart svg").len(), 1);
    assert!(select(&public, "rect.bar").is_empty());
}

#[test]
fn a_partner_page_draws_the_contact_rhythm_against_its_cadence() {
    let site = TestSite::small();
    site.replace_in(
        "content/partners/ana-lopez.yaml",
        "  confirmed: true\n",
        "  confirmed: true\n  contact_every_days: 14\n",
    );
    site.built();
    let html = site.html("private/partners/ana-lopez.html");
    let svg = select(&html, "figure.chart svg[role='img']");
    assert_eq!(svg.len(), 1, "the contact rhythm, the page's one chart");
    let desc = text_of(&select(&html, "svg desc")[0]);
    assert!(desc.contains("limit of 14 days"), "{desc}");
    // Ana: in touch on 8 days from 5 January to 28 May, as of 1 June, agreed every 14 days:
    // 15 days to her briefing of 20 January and 72 from 9 March to 20 May ran past it.
    let rows = names_in(&html, "details.chart-figures tbody tr");
    assert_eq!(
        rows.len(),
        9,
        "eight contacts and the gap still open: {rows:?}"
    );
    assert_eq!(rows[0], "5 Jan 2026 First contact recorded");
    assert_eq!(rows[1], "20 Jan 2026 15 days Past the limit");
    assert_eq!(
        rows[2], "3 Feb 2026 14 days Within the limit",
        "the limit itself is in time"
    );
    assert_eq!(rows[6], "20 May 2026 72 days Past the limit");
    assert_eq!(rows[7], "28 May 2026 8 days Within the limit");
    assert_eq!(rows[8], "Since then, to 1 Jun 2026 4 days Within the limit");
    assert_eq!(
        names_in(&html, ".chart-summary"),
        ["2 of 7 gaps ran past the limit."]
    );
    assert!(desc.contains("since you were last in touch"), "{desc}");
    assert_eq!(select(&html, "rect.bar.late").len(), 2);
    assert_eq!(select(&html, "rect.bar.within").len(), 5);
    assert_eq!(select(&html, "rect.bar.open-gap").len(), 1);
    assert_eq!(select(&html, "circle.contact").len(), 8);
    // A declined relationship has no cadence to keep, so no rhythm; nor does the public page.
    let declined = site.html("private/partners/dev-patel.html");
    assert!(select(&declined, "figure.chart").is_empty());
    let public = site.html("site/partners/ana-lopez.html");
    assert!(select(&public, "figure.chart").is_empty());
}
