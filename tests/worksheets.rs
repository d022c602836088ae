//! Worksheets as theme templates: the bundled ones read as their snapshot, a worksheet added to
//! a theme becomes PDFs and links, a template error points at its line, a translation prints
//! its words, and a trainer's branding reaches the handouts. (That every word comes from the
//! theme's strings is `tests/words.rs`.)

mod common;

use std::path::Path;

use common::{TestSite, pdf_pages_text as pages_text};
use lopdf::Document;

fn open(path: &Path) -> Document {
    Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn build_error(site: &TestSite) -> advocate::source::Diagnostic {
    let problems = site.build().expect_err("the build fails");
    problems.iter().next().expect("a problem").clone()
}

#[test]
fn the_bundled_workbooks_read_as_their_snapshot() {
    let site = TestSite::small();
    site.built();
    for pdf in [
        "private/workbooks/ana-lopez/stage-1-exploratory-meeting.pdf",
        "private/workbooks/ana-lopez/stage-2-briefings.pdf",
        "private/workbooks/ana-lopez/stage-3-agreement-referrals-and-teaching.pdf",
        "private/workbooks/ana-lopez/stage-4-follow-up.pdf",
        "private/workbooks/ana-lopez/meeting-planner.pdf",
        "site/handouts/stage-1-exploratory-meeting.pdf",
        "site/handouts/stage-2-briefings.pdf",
        "site/handouts/stage-3-agreement-referrals-and-teaching.pdf",
        "site/handouts/stage-4-follow-up.pdf",
        "site/handouts/meeting-planner.pdf",
    ] {
        let pages = pages_text(&site.out().join(pdf));
        let text: Vec<String> = pages
            .iter()
            .enumerate()
            .map(|(n, page)| {
                let lines: Vec<&str> = page.lines().map(str::trim_end).collect();
                format!("--- page {}\n{}", n + 1, lines.join("\n").trim())
            })
            .collect();
        let name = pdf.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, text.join("\n"));
    }
}

const CONTACTS: &str = "---
title: \"Ten contacts{% if partner %} — {{ partner.name }}{% endif %}\"
order: 25
---
# Ten contacts{% if partner %} for {{ partner.name }}{% endif %}

> Who would you introduce {{ partner.name if partner else \"your partner\" }} to?

{{ lines(name=\"contacts.list\", labels=[n ~ \".\" for n in range(start=1, end=11)], label=\"Contacts\") }}
";

#[test]
fn a_worksheet_added_to_the_theme_becomes_a_pdf_per_partner_a_handout_and_links() {
    let site = TestSite::small();
    site.write("themes/default/workbooks/ten-contacts.md", CONTACTS);
    site.built();
    let mine = site
        .out()
        .join("private/workbooks/ana-lopez/ten-contacts.pdf");
    let text = squash(&pages_text(&mine).join("\n"));
    assert!(text.contains("Ten contacts for Ana López"), "{text}");
    assert!(
        text.contains("Who would you introduce Ana López to?"),
        "{text}"
    );
    assert_eq!(info(&open(&mine), b"Title"), "Ten contacts — Ana López");
    for handout in [
        "site/handouts/ten-contacts.pdf",
        "private/handouts/ten-contacts.pdf",
    ] {
        let text = squash(&pages_text(&site.out().join(handout)).join("\n"));
        assert!(
            text.contains("Who would you introduce your partner to?"),
            "{text}"
        );
        assert!(
            !text.contains("Ana"),
            "a blank handout names no partner: {text}"
        );
    }
    let partner = site.html("private/partners/ana-lopez.html");
    let links: Vec<String> = common::select(&partner, "a[href$='.pdf']")
        .iter()
        .map(|a| a.attr("href").unwrap_or_default().to_owned())
        .collect();
    assert!(
        links.contains(&"../workbooks/ana-lopez/ten-contacts.pdf".to_owned()),
        "{links:?}"
    );
    let dashboard = site.html("site/index.html");
    let downloads: Vec<String> = common::select(&dashboard, "a[href$='.pdf']")
        .iter()
        .map(common::text_of)
        .collect();
    assert!(
        downloads.iter().any(|d| d.starts_with("Ten contacts")),
        "{downloads:?}"
    );
    // Listed in the theme's order: after stage 2 (order 20), before stage 3 (order 30).
    let hrefs: Vec<&str> = links.iter().map(String::as_str).collect();
    let at = |name: &str| hrefs.iter().position(|h| h.ends_with(name)).unwrap();
    assert!(at("stage-2-briefings.pdf") < at("ten-contacts.pdf"));
    assert!(at("ten-contacts.pdf") < at("stage-3-agreement-referrals-and-teaching.pdf"));
    // Not a stage of its own, so not in all-stages.pdf.
    let all = squash(
        &pages_text(
            &site
                .out()
                .join("private/workbooks/ana-lopez/all-stages.pdf"),
        )
        .join("\n"),
    );
    assert!(!all.contains("Ten contacts"), "{all}");
}

#[test]
fn a_template_error_names_the_worksheet_line_and_column() {
    let site = TestSite::small();
    site.write(
        "themes/default/workbooks/ten-contacts.md",
        &CONTACTS.replace("{{ lines(", "{{ partner.nickname }}\n{{ lines("),
    );
    let before = common::snapshot_tree(&site.out());
    let problem = build_error(&site);
    assert_eq!(
        problem.file,
        Path::new("themes/default/workbooks/ten-contacts.md")
    );
    assert_eq!(problem.line, 9, "{problem:?}");
    assert!(problem.column > 0, "{problem:?}");
    assert!(
        problem.message.starts_with("template error"),
        "{}",
        problem.message
    );
    assert_eq!(
        common::snapshot_tree(&site.out()),
        before,
        "nothing is written"
    );

    site.write(
        "themes/default/workbooks/ten-contacts.md",
        &CONTACTS.replace("{{ lines(", "{{ field(name=\"x\", rows=3) }}\n{{ lines("),
    );
    let problem = build_error(&site);
    assert_eq!(problem.line, 9, "{problem:?}");
    assert!(problem.message.contains("rows"), "{}", problem.message);

    site.write(
        "themes/default/workbooks/ten-contacts.md",
        &CONTACTS.replace("order: 25", "order: 25\nstage: 7"),
    );
    let problem = build_error(&site);
    assert!(
        problem.message.contains("`stage: 7`"),
        "{}",
        problem.message
    );

    site.write(
        "themes/default/workbooks/ten-contacts.md",
        &CONTACTS.replace("title: \"Ten", "title: \"{{ field(name='t') }}Ten"),
    );
    let problem = build_error(&site);
    assert_eq!(
        problem.file,
        Path::new("themes/default/workbooks/ten-contacts.md")
    );
    assert!(
        problem.message.contains("`title` calls a directive"),
        "{}",
        problem.message
    );

    site.write(
        "themes/default/workbooks/ten-contacts.md",
        "# No front matter\n",
    );
    let problem = build_error(&site);
    assert!(
        problem.message.contains("front matter"),
        "{}",
        problem.message
    );
}

#[test]
fn a_translation_prints_its_words_dates_amounts_and_plurals_in_pdfs_and_pages_and_names_what_it_lacks()
 {
    let site = TestSite::small();
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &config.replace("language: en-GB", "language: fr"),
    );
    site.write(
        "themes/default/strings/fr.yaml",
        "date:\n  format: \"{day} {month} {year}\"\n  months: [janv., févr., mars, avr., mai, juin, juil., août, sept., oct., nov., déc.]\n\
         workbook:\n  page_of: \"Page {page} sur {pages}\"\n  stage_4:\n    won_summary:\n      one: \"{count} recommandation, valeur {value}\"\n      other: \"{count} recommandations, valeur {value}\"\n\
         number:\n  group: \"\u{202f}\"\n  decimal: \",\"\n\
         referral:\n  won: conclue\n\
         site:\n  dashboard:\n    pipeline: Parcours\n  partner:\n    glance: En bref\n",
    );
    let report = site.built();
    let text = squash(
        &pages_text(
            &site
                .out()
                .join("private/workbooks/ana-lopez/stage-4-follow-up.pdf"),
        )
        .join("\n"),
    );
    assert!(text.contains("Page 1 sur"), "{text}");
    assert!(
        text.contains("recommandation, valeur") || text.contains("recommandations, valeur"),
        "{text}"
    );
    assert!(
        [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc."
        ]
        .iter()
        .any(|month| text.contains(&format!(" {month} 20"))),
        "{text}"
    );
    assert!(
        text.contains("Agenda for the next meeting"),
        "English fills the gaps: {text}"
    );
    let dashboard = site.read("output/private/index.html");
    assert!(
        dashboard.contains("<h2 id=\"pipeline\">Parcours</h2>"),
        "{dashboard}"
    );
    assert!(dashboard.contains("<html lang=\"fr\">"), "{dashboard}");
    let partner = site.read("output/private/partners/ana-lopez.html");
    assert!(partner.contains(">En bref</h2>"), "{partner}");
    assert!(
        partner.contains(">conclue</td><td data-label=\"Value\">1\u{202f}500</td>"),
        "{partner}"
    );
    assert!(
        partner.contains(" nov. 20") || partner.contains(" mars 20"),
        "{partner}"
    );
    let warnings: Vec<_> = report.warnings.warnings().collect();
    let about = warnings
        .iter()
        .find(|w| w.file == Path::new("themes/default/strings/fr.yaml"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert!(
        about.message.contains("`workbook.stage_4.agenda`"),
        "{}",
        about.message
    );
}

const BRANDING: &str = "branding:
  name: Marches Referral School
  logo: branding/logo.png
  course: Referral partnerships in practice
  edition: Spring 2027
  footer: \"hello@marches.example · CC BY-SA 4.0\"
  colour: \"#7a1f5c\"
";

/// The images of a PDF that are not another image's soft mask: (width, height, whether it has
/// a soft mask).
fn images(doc: &Document) -> Vec<(i64, i64, bool)> {
    let streams: Vec<(&lopdf::ObjectId, &lopdf::Stream)> = doc
        .objects
        .iter()
        .filter_map(|(id, object)| Some((id, object.as_stream().ok()?)))
        .filter(|(_, stream)| {
            stream
                .dict
                .get(b"Subtype")
                .is_ok_and(|s| s.as_name().is_ok_and(|n| n == b"Image"))
        })
        .collect();
    let masks: Vec<lopdf::ObjectId> = streams
        .iter()
        .filter_map(|(_, stream)| stream.dict.get(b"SMask").ok()?.as_reference().ok())
        .collect();
    streams
        .iter()
        .filter(|(id, _)| !masks.contains(id))
        .map(|(_, stream)| {
            let number = |key: &[u8]| stream.dict.get(key).and_then(|v| v.as_i64()).unwrap_or(0);
            (
                number(b"Width"),
                number(b"Height"),
                stream.dict.get(b"SMask").is_ok(),
            )
        })
        .collect()
}

fn info(doc: &Document, key: &[u8]) -> String {
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|info| doc.dereference(info))
        .expect("an Info dictionary")
        .1
        .as_dict()
        .expect("a dictionary");
    lopdf::decode_text_string(info.get(key).expect("the key")).expect("text")
}

#[test]
fn a_branded_site_puts_logo_name_course_and_footer_on_the_handouts_and_in_their_metadata() {
    let site = TestSite::small();
    site.lay_over("branding");
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}{BRANDING}"));
    site.built();
    for handout in [
        "site/handouts/stage-1-exploratory-meeting.pdf",
        "site/handouts/meeting-planner.pdf",
        "site/guide.pdf",
        "site/course-pack.pdf",
    ] {
        let path = site.out().join(handout);
        let doc = open(&path);
        assert_eq!(
            images(&doc),
            [(120, 40, true)],
            "{handout}: the logo, once, with its mask"
        );
        let text = squash(&pages_text(&path).join("\n"));
        for expected in [
            "Marches Referral School",
            "Referral partnerships in practice · Spring 2027",
            "hello@marches.example · CC BY-SA 4.0",
        ] {
            assert!(text.contains(expected), "{handout}: {expected:?} in {text}");
        }
        assert_eq!(
            info(&doc, b"Author"),
            "Marches Referral School",
            "{handout}"
        );
        assert_eq!(
            info(&doc, b"Subject"),
            "Referral partnerships in practice · Spring 2027",
            "{handout}"
        );
    }
    // A partner's own workbook is the owner's, not the course's.
    let mine = site
        .out()
        .join("private/workbooks/ana-lopez/stage-1-exploratory-meeting.pdf");
    assert!(images(&open(&mine)).is_empty());
    assert!(!squash(&pages_text(&mine).join("\n")).contains("Marches Referral School"));

    // The course pack: the guide, then every handout, each in the outline and the contents.
    let pack = site.out().join("site/course-pack.pdf");
    let guide_pages = open(&site.out().join("site/guide.pdf")).get_pages().len();
    let handout_pages: usize = [
        "stage-1-exploratory-meeting",
        "stage-2-briefings",
        "stage-3-agreement-referrals-and-teaching",
        "stage-4-follow-up",
        "meeting-planner",
    ]
    .iter()
    .map(|stem| {
        open(&site.out().join(format!("site/handouts/{stem}.pdf")))
            .get_pages()
            .len()
    })
    .sum();
    let pack_doc = open(&pack);
    assert!(
        pack_doc.get_pages().len() + 2 >= guide_pages + handout_pages,
        "{} pages for {guide_pages} + {handout_pages}",
        pack_doc.get_pages().len()
    );
    let contents = squash(&pages_text(&pack)[1]);
    for title in [
        "Stage 1 workbook: Exploratory meeting",
        "Stage 4 workbook: Follow-up",
        "Monthly meeting planner",
    ] {
        assert!(
            contents.contains(title),
            "{title:?} in the contents: {contents}"
        );
    }
    assert!(
        site.html("site/index.html")
            .html()
            .contains("href=\"course-pack.pdf\""),
        "linked from the public dashboard"
    );

    // Without branding, no image and the owner as author.
    let plain = TestSite::small();
    plain.built();
    let handout = open(
        &plain
            .out()
            .join("site/handouts/stage-1-exploratory-meeting.pdf"),
    );
    assert!(images(&handout).is_empty());
    assert_ne!(info(&handout, b"Author"), "Marches Referral School");
}

#[test]
fn a_logo_that_is_missing_or_not_an_image_is_an_error_at_its_line() {
    let site = TestSite::small();
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!(
            "{config}{}",
            BRANDING.replace("branding/logo.png", "branding/missing.png")
        ),
    );
    let problem = build_error(&site);
    let line = site
        .read("site.yaml")
        .lines()
        .position(|l| l.contains("missing.png"))
        .unwrap()
        + 1;
    assert_eq!(
        (problem.file.as_path(), problem.line),
        (Path::new("site.yaml"), line)
    );
    assert!(
        problem.message.contains("branding/missing.png"),
        "{}",
        problem.message
    );

    site.write("branding/missing.png", "GIF89a, not a PNG");
    let problem = build_error(&site);
    assert!(
        problem.message.contains("not a PNG or JPEG"),
        "{}",
        problem.message
    );

    site.write(
        "site.yaml",
        &format!("{config}{}", BRANDING.replace("#7a1f5c", "plum")),
    );
    site.lay_over("branding");
    let problem = build_error(&site);
    assert!(
        problem.message.contains("`plum` is not a colour"),
        "{}",
        problem.message
    );
}
