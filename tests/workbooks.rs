//! The PDFs, opened with lopdf as a reader would: pages, text (names with diacritics exactly),
//! outline, links, form fields, fonts and metadata.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::TestSite;
use lopdf::{Document, Object};

fn open(path: &Path) -> Document {
    Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(doc: &Document) -> String {
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode(object: &Object) -> String {
    match object {
        Object::String(bytes, _) if bytes.starts_with(&[0xfe, 0xff]) => {
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Object::String(bytes, _) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    }
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> &'a lopdf::Dictionary {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap().as_dict().unwrap(),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// Outline titles with their depth, in order.
fn outline(doc: &Document) -> Vec<(usize, String)> {
    fn walk(
        doc: &Document,
        node: &lopdf::Dictionary,
        depth: usize,
        out: &mut Vec<(usize, String)>,
    ) {
        let mut next = node.get(b"First").ok().cloned();
        while let Some(reference) = next {
            let item = dict(doc, &reference);
            out.push((depth, decode(item.get(b"Title").unwrap())));
            walk(doc, item, depth + 1, out);
            next = item.get(b"Next").ok().cloned();
        }
    }
    let catalog = doc.catalog().unwrap();
    let mut out = Vec::new();
    if let Ok(root) = catalog.get(b"Outlines") {
        walk(doc, dict(doc, root), 0, &mut out);
    }
    out
}

/// The full name of every field, parents (`stage2.mine.hobbies`) and their one-line children
/// (`stage2.mine.hobbies.1`) alike. Panics on a name part with a period in it, which readers
/// would take for two parts.
fn field_names(doc: &Document) -> BTreeSet<String> {
    fn walk(doc: &Document, node: &Object, above: &str, out: &mut BTreeSet<String>) {
        let node = dict(doc, node);
        let own = decode(node.get(b"T").unwrap());
        assert!(
            !own.contains('.'),
            "{above}: a part of a name holds a period: {own}"
        );
        let full = if above.is_empty() {
            own
        } else {
            format!("{above}.{own}")
        };
        if let Ok(kids) = node.get(b"Kids") {
            for kid in kids.as_array().unwrap() {
                walk(doc, kid, &full, out);
            }
        }
        assert!(out.insert(full.clone()), "{full} is named twice");
    }
    let catalog = doc.catalog().unwrap();
    let Ok(acro) = catalog.get(b"AcroForm") else {
        return BTreeSet::new();
    };
    let mut out = BTreeSet::new();
    for field in dict(doc, acro).get(b"Fields").unwrap().as_array().unwrap() {
        walk(doc, field, "", &mut out);
    }
    out
}

fn built() -> TestSite {
    let site = TestSite::small();
    site.built();
    site
}

#[test]
fn every_partner_has_a_workbook_per_worksheet_and_all_stages() {
    let site = built();
    for id in ["ana-lopez", "ben-ng", "cara-doyle", "dev-patel"] {
        let folder = site.out().join("private/workbooks").join(id);
        let mut names: Vec<String> = fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "all-stages.pdf",
                "meeting-planner.pdf",
                "stage-1-exploratory-meeting.pdf",
                "stage-2-briefings.pdf",
                "stage-3-agreement-referrals-and-teaching.pdf",
                "stage-4-follow-up.pdf"
            ]
        );
        let all = open(&folder.join("all-stages.pdf"));
        // The four stages; the planner, a worksheet of the theme outside them, is not in it.
        let parts: usize = names[2..]
            .iter()
            .map(|name| open(&folder.join(name)).get_pages().len())
            .sum();
        assert_eq!(
            all.get_pages().len(),
            parts,
            "{id}: all-stages joins the four"
        );
    }
    assert!(
        !site.out().join("site/workbooks").exists(),
        "no workbook on the public site"
    );
}

#[test]
fn the_briefing_workbook_prints_the_guide_questions_and_the_partners_answers() {
    let site = built();
    let doc = open(
        &site
            .out()
            .join("private/workbooks/ana-lopez/stage-2-briefings.pdf"),
    );
    let text = squash(&text(&doc));
    for expected in [
        "Stage 2: Briefings — Ana López",
        "What is your business for?",
        "Good coffee for Stroud.",
        "What do you enjoy outside work?",
        "Running",
        "Calm, tidy books for small firms.",
        "Reservations worksheet",
        "If I were you, I might wonder whether I can be trusted.",
        "Will she be discreet?",
        "Agreed on confidentiality.",
        "The ten most precious contacts",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let fields = field_names(&doc);
    assert!(
        fields.contains("stage2.mine.hobbies"),
        "my unanswered question is a field: {fields:?}"
    );
    assert!(
        !fields.contains("stage2.theirs.purpose"),
        "an answered question is printed, not a field"
    );
    assert!(fields.contains("stage2.reservation.time.mine"));
    assert!(fields.contains("stage2.precious_contacts.10"));
}

#[test]
fn blank_handouts_have_every_question_and_theme_as_a_field() {
    let site = built();
    for dir in ["site", "private"] {
        let doc = open(&site.out().join(dir).join("handouts/stage-2-briefings.pdf"));
        let fields = field_names(&doc);
        for expected in [
            "stage2.theirs.purpose",
            "stage2.theirs.hobbies",
            "stage2.mine.purpose",
            "stage2.reservation.trust.mine",
            "stage2.reservation.trust.theirs",
            "stage2.reservation.time.theirs",
            "stage2.reservations.more",
        ] {
            assert!(
                fields.contains(expected),
                "{dir}: {expected} missing from {fields:?}"
            );
        }
        let text = squash(&text(&doc));
        assert!(!text.contains("Ana"), "a handout holds no partner data");
        assert!(
            !text.contains("Calm, tidy books"),
            "nor the owner's answers"
        );
    }
}

#[test]
fn all_stages_has_a_nested_outline() {
    let site = built();
    let doc = open(
        &site
            .out()
            .join("private/workbooks/ana-lopez/all-stages.pdf"),
    );
    let outline = outline(&doc);
    let top: Vec<&str> = outline
        .iter()
        .filter(|(d, _)| *d == 0)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(
        top,
        [
            "Stage 1: Exploratory meeting — Ana López",
            "Stage 2: Briefings — Ana López",
            "Stage 3: Agreement, referrals and teaching — Ana López",
            "Stage 4: Follow-up — Ana López"
        ]
    );
    assert!(
        outline
            .iter()
            .any(|(d, t)| *d == 1 && t == "Reservations worksheet"),
        "{outline:?}"
    );
}

#[test]
fn the_guide_book_has_contents_with_page_numbers_that_link_to_their_pages() {
    let site = built();
    let doc = open(&site.out().join("site/guide.pdf"));
    let pages = doc.get_pages();
    let text = squash(&doc.extract_text(&[2]).unwrap());
    let compact = text.replace(' ', "");
    assert!(compact.contains("Contents"), "{text}");
    assert!(compact.contains("Gettingstarted3"), "{text}");
    assert!(compact.contains("Briefings4"), "{text}");
    let page_ids: Vec<_> = pages.values().copied().collect();
    let contents_page = doc.get_object(page_ids[1]).unwrap().as_dict().unwrap();
    let links = contents_page.get(b"Annots").unwrap().as_array().unwrap();
    let targets: Vec<usize> = links
        .iter()
        .map(|l| {
            let dest = dict(&doc, l).get(b"Dest").unwrap().as_array().unwrap();
            let page = dest[0].as_reference().unwrap();
            page_ids.iter().position(|p| *p == page).unwrap() + 1
        })
        .collect();
    assert_eq!(targets[0], 3, "the first chapter starts on page 3");
    let first_chapter = squash(&doc.extract_text(&[3]).unwrap());
    assert!(first_chapter.contains("Getting started"), "{first_chapter}");
    assert!(first_chapter.contains("Page 3 of"), "{first_chapter}");
    let outline = outline(&doc);
    assert!(
        outline.contains(&(0, "Getting started".to_owned())),
        "{outline:?}"
    );
    assert!(
        outline.contains(&(1, "Before you meet".to_owned())),
        "{outline:?}"
    );
    // The link in the first chapter to the briefings' questions points into the book.
    let chapter_page = doc.get_object(page_ids[2]).unwrap().as_dict().unwrap();
    let annots = chapter_page.get(b"Annots").unwrap().as_array().unwrap();
    assert!(annots.iter().any(|a| dict(&doc, a).get(b"Dest").is_ok()));
}

#[test]
fn fonts_are_embedded_subsets_and_metadata_comes_from_the_site() {
    let site = built();
    let doc = open(
        &site
            .out()
            .join("private/workbooks/ben-ng/stage-1-exploratory-meeting.pdf"),
    );
    let mut fonts = 0;
    for object in doc.objects.values() {
        if let Ok(d) = object.as_dict()
            && d.get(b"Type").ok().and_then(|t| t.as_name().ok())
                == Some(b"FontDescriptor".as_slice())
        {
            fonts += 1;
            let name = String::from_utf8_lossy(d.get(b"FontName").unwrap().as_name().unwrap())
                .into_owned();
            assert!(
                name.len() > 7 && name.as_bytes()[6] == b'+',
                "subset tag on {name}"
            );
            assert!(d.get(b"FontFile2").is_ok(), "{name} is embedded");
        }
        if let Ok(d) = object.as_dict()
            && d.get(b"Subtype").ok().and_then(|t| t.as_name().ok()) == Some(b"Type1".as_slice())
        {
            panic!("a standard, non-embedded font is used");
        }
    }
    assert!(fonts >= 2);
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    assert_eq!(
        decode(info.get(b"Title").unwrap()),
        "Stage 1 workbook: Exploratory meeting — Ben Ng"
    );
    assert_eq!(decode(info.get(b"Author").unwrap()), "Olga Owner");
    assert!(decode(info.get(b"CreationDate").unwrap()).starts_with("D:20260601"));
    assert_eq!(
        decode(doc.catalog().unwrap().get(b"Lang").unwrap()),
        "en-GB"
    );
    let text = squash(&text(&doc));
    assert!(text.contains("Page 1 of"), "{text}");
}

#[test]
fn letter_paper_comes_from_site_yaml() {
    let site = TestSite::small();
    let config = fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &config.replace("paper: a4", "paper: letter"));
    site.built();
    let doc = open(
        &site
            .out()
            .join("site/handouts/stage-1-exploratory-meeting.pdf"),
    );
    let size = common::page_box(&doc);
    assert!(
        (size[2] - 612.0).abs() < 1.0 && (size[3] - 792.0).abs() < 1.0,
        "{size:?}"
    );
}

#[test]
fn a_character_no_font_can_draw_is_a_warning_naming_file_and_field_and_an_error_when_strict() {
    let site = TestSite::small();
    let ana = fs::read_to_string(site.root().join("content/partners/ana-lopez.yaml")).unwrap();
    site.write(
        "content/partners/ana-lopez.yaml",
        &ana.replace("Good coffee for Stroud.", "Good coffee ☕ for Stroud."),
    );
    let report = site.built();
    let warnings: Vec<_> = report.warnings.warnings().collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(
        warnings[0].file,
        Path::new("content/partners/ana-lopez.yaml")
    );
    assert!(
        warnings[0]
            .message
            .contains("briefing.theirs.answers.purpose"),
        "{}",
        warnings[0].message
    );
    assert!(
        warnings[0].message.contains("U+2615"),
        "{}",
        warnings[0].message
    );
    let strict = advocate::engine::build(
        &site.root(),
        &site.out(),
        advocate::engine::Options {
            strict: true,
            workbooks: true,
        },
        |waiting| panic!("{waiting}"),
    );
    let problems = strict.expect_err("strict turns the warning into an error");
    assert!(problems.has_errors());
}

/// The guide's pages and `guide.pdf` come from one Markdown walk, so every heading of a page
/// has the same anchor in its HTML and in the book, however it is written: emphasis, code,
/// punctuation, a repeated title, and levels below the third.
#[test]
fn every_heading_anchor_of_the_guide_is_the_same_in_html_and_in_guide_pdf() {
    let site = TestSite::small();
    site.write(
        "content/guide/03-tricky.md",
        "---\ntitle: Tricky headings\norder: 3\n---\n## The *first* `step`\n\ntext\n\n## Zoë's café: a note\n\n### The questions\n\n#### Fourth level\n\n##### Fifth level\n\n## The questions\n\n## The questions\n\nSee [the questions](#the-questions-1).\n",
    );
    site.built();
    let (loaded, _) = advocate::model::load(&site.root()).expect("loads");
    let (strings, _) =
        advocate::model::strings::Strings::load(&loaded.theme_dir, &loaded.root, "en")
            .expect("the strings load");
    let book: BTreeSet<String> = advocate::workbook::guidebook::blocks(
        &advocate::model::handout::HandoutView::project(&loaded),
        &strings,
        &[],
    )
    .into_iter()
    .filter_map(|block| match block {
        advocate::workbook::blocks::Block::Heading {
            anchor: Some(anchor),
            ..
        } if anchor.contains('#') => Some(anchor),
        _ => None,
    })
    .collect();
    let mut pages = BTreeSet::new();
    for page in &loaded.guide.pages {
        let html = site.html(&format!("private/guide/{}.html", page.slug));
        for heading in common::select(&html, "main .prose :is(h2, h3, h4, h5, h6)[id]") {
            pages.insert(format!("{}#{}", page.slug, heading.attr("id").unwrap()));
        }
    }
    assert!(pages.len() > 8, "{pages:#?}");
    assert!(pages.contains("03-tricky#the-questions-2"), "{pages:#?}");
    assert_eq!(book, pages);
}

/// Every structure element under `node` in reading order, as (type, element).
fn structure<'a>(
    doc: &'a Document,
    node: &'a Object,
    out: &mut Vec<(String, &'a lopdf::Dictionary)>,
) {
    let element = dict(doc, node);
    let kind = element
        .get(b"S")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    out.push((kind, element));
    let kids = match element.get(b"K") {
        Ok(Object::Array(kids)) => kids.iter().collect(),
        Ok(kid) => vec![kid],
        Err(_) => Vec::new(),
    };
    for kid in kids {
        let is_element = match kid {
            Object::Reference(_) => dict(doc, kid)
                .get(b"Type")
                .and_then(Object::as_name)
                .is_ok_and(|t| t == b"StructElem"),
            _ => false,
        };
        if is_element {
            structure(doc, kid, out);
        }
    }
}

#[test]
fn every_pdf_is_tagged_for_screen_readers() {
    let site = built();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.out()) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let doc = open(&path);
        let name = path.display();
        let catalog = doc.catalog().unwrap();
        let mark_info = dict(&doc, catalog.get(b"MarkInfo").unwrap());
        assert_eq!(
            mark_info.get(b"Marked").unwrap(),
            &Object::Boolean(true),
            "{name}"
        );
        let viewer = dict(&doc, catalog.get(b"ViewerPreferences").unwrap());
        assert_eq!(
            viewer.get(b"DisplayDocTitle").unwrap(),
            &Object::Boolean(true)
        );
        let metadata = doc
            .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap();
        let xmp = String::from_utf8_lossy(&metadata.content);
        assert!(
            xmp.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{name}: {xmp}"
        );
        assert!(
            xmp.contains("<dc:title>") && xmp.contains("<dc:language>"),
            "{name}"
        );

        // The tree: headings never skip a level; a Form holds its widget and nothing else.
        let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
        let mut elements = Vec::new();
        structure(&doc, root.get(b"K").unwrap(), &mut elements);
        assert_eq!(elements[0].0, "Document");
        let mut level = 0;
        for (kind, element) in &elements {
            if let Some(n) = kind.strip_prefix('H').and_then(|n| n.parse::<u8>().ok()) {
                assert!(n <= level + 1, "{name}: H{n} after H{level}");
                level = n;
            }
            if kind == "Form" {
                let kids = element.get(b"K").unwrap().as_array().unwrap();
                assert_eq!(kids.len(), 1, "{name}: a Form with {} kids", kids.len());
                assert_eq!(
                    dict(&doc, &kids[0])
                        .get(b"Type")
                        .unwrap()
                        .as_name()
                        .unwrap(),
                    b"OBJR"
                );
            }
        }

        // The pages: text only inside marked content; annotations in the structure.
        for (number, page_id) in doc.get_pages() {
            let page = doc.get_object(page_id).unwrap().as_dict().unwrap();
            assert!(page.get(b"StructParents").is_ok(), "{name} page {number}");
            if let Ok(annotations) = page.get(b"Annots") {
                assert_eq!(
                    page.get(b"Tabs").map(|t| t.as_name().unwrap()).ok(),
                    Some(b"S".as_slice()),
                    "{name} page {number}"
                );
                for annotation in annotations.as_array().unwrap() {
                    let annotation = dict(&doc, annotation);
                    assert!(
                        annotation.get(b"StructParent").is_ok(),
                        "{name} page {number}"
                    );
                    if annotation.get(b"Subtype").unwrap().as_name().unwrap() == b"Link" {
                        assert!(!decode(annotation.get(b"Contents").unwrap()).is_empty());
                    }
                }
            }
            let content = doc.get_and_decode_page_content(page_id).unwrap();
            let mut depth = 0usize;
            for operation in &content.operations {
                match operation.operator.as_str() {
                    "BDC" | "BMC" => depth += 1,
                    "EMC" => depth -= 1,
                    "Tj" | "TJ" | "'" | "\"" | "S" | "f" | "re" => {
                        assert!(
                            depth > 0,
                            "{name} page {number}: {} outside marked content",
                            operation.operator
                        )
                    }
                    _ => {}
                }
            }
            assert_eq!(depth, 0, "{name} page {number}: marked content left open");
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked} PDFs");
}

#[test]
fn a_long_answer_prints_its_table_as_a_grid_and_its_tasks_as_checkboxes() {
    let site = TestSite::small();
    site.lay_over("layout/long-answers");
    site.built();
    let doc = open(
        &site
            .out()
            .join("private/workbooks/ana-lopez/stage-2-briefings.pdf"),
    );
    let catalog = doc.catalog().unwrap();
    let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
    let mut elements = Vec::new();
    structure(&doc, root.get(b"K").unwrap(), &mut elements);
    let count = |kind: &str| elements.iter().filter(|(k, _)| k == kind).count();
    assert_eq!(count("Table"), 1);
    assert_eq!(count("TH"), 3, "the header row is read once");
    assert_eq!(count("TD"), 9);
    let acro = dict(&doc, catalog.get(b"AcroForm").unwrap());
    let tasks = acro
        .get(b"Fields")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| dict(&doc, f))
        .find(|f| decode(f.get(b"T").unwrap()) == "tasks")
        .expect("a tasks field");
    let states: Vec<(String, Vec<u8>)> = tasks
        .get(b"Kids")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|kid| {
            let kid = dict(&doc, kid);
            assert_eq!(kid.get(b"FT").unwrap().as_name().unwrap(), b"Btn");
            (
                decode(kid.get(b"TU").unwrap()),
                kid.get(b"V").unwrap().as_name().unwrap().to_vec(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            (
                "the chamber of commerce lunch in March".to_owned(),
                b"Yes".to_vec()
            ),
            (
                "the new business park at Brimscombe Port".to_owned(),
                b"Off".to_vec()
            )
        ]
    );
    let text = squash(&text(&doc));
    assert!(
        !text.contains("[x]") && !text.contains("[ ]"),
        "boxes, not brackets"
    );
}

#[test]
fn the_decision_and_go_or_no_go_are_boxes_to_tick_and_the_data_ticks_them() {
    let site = built();
    let ticked = |path: &str| -> Vec<(String, bool)> {
        let doc = open(&site.out().join(path));
        let catalog = doc.catalog().unwrap();
        let acro = dict(&doc, catalog.get(b"AcroForm").unwrap());
        let mut out = Vec::new();
        fn walk(doc: &Document, node: &Object, above: &str, out: &mut Vec<(String, bool)>) {
            let node = dict(doc, node);
            let full = format!("{above}{}", decode(node.get(b"T").unwrap()));
            match node.get(b"Kids") {
                Ok(kids) => {
                    for kid in kids.as_array().unwrap() {
                        walk(doc, kid, &format!("{full}."), out);
                    }
                }
                Err(_) if node.get(b"FT").unwrap().as_name().unwrap() == b"Btn" => {
                    out.push((full, node.get(b"V").unwrap().as_name().unwrap() == b"Yes"))
                }
                Err(_) => {}
            }
        }
        for field in acro.get(b"Fields").unwrap().as_array().unwrap() {
            walk(&doc, field, "", &mut out);
        }
        out
    };
    assert_eq!(
        ticked("private/workbooks/ana-lopez/stage-1-exploratory-meeting.pdf"),
        [
            ("stage1.decision.proceed".to_owned(), true),
            ("stage1.decision.declined".to_owned(), false),
            ("stage1.decision.pending".to_owned(), false)
        ]
    );
    let go: Vec<String> = ticked("private/handouts/stage-2-briefings.pdf")
        .into_iter()
        .map(|(name, on)| {
            assert!(!on, "a blank handout ticks nothing");
            name
        })
        .collect();
    assert_eq!(
        go,
        [
            "stage2.go_or_no_go.mine.go",
            "stage2.go_or_no_go.mine.no_go",
            "stage2.go_or_no_go.theirs.go",
            "stage2.go_or_no_go.theirs.no_go"
        ]
    );
}

/// What a reader reads from the PDF at `path`: its text through the fonts' ToUnicode maps,
/// with each `/ActualText` span read as the text it gives (as poppler, pdf.js and PDFium do).
fn reader_text(path: &Path) -> String {
    let mut doc = open(path);
    let plain = squash(&text(&doc));
    doc.decompress();
    let mut actual = Vec::new();
    for object in doc.objects.values() {
        let Ok(stream) = object.as_stream() else {
            continue;
        };
        let content = String::from_utf8_lossy(&stream.content);
        for span in content.split("/ActualText <").skip(1) {
            let hex = &span[..span.find('>').unwrap_or(0)];
            let units: Vec<u16> = (0..hex.len() / 4)
                .map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).unwrap())
                .collect();
            actual.push(String::from_utf16_lossy(&units[1..]));
        }
    }
    format!("{plain}\n{}", actual.join("\n"))
}

#[test]
fn text_is_shaped_and_reads_back_exactly_as_written() {
    let site = TestSite::small();
    // "ffi" and "fl" become ligatures, "AV" and "To" are kerned, and the decomposed
    // Vietnamese "ễ" (e, circumflex, tilde) is drawn as the font's one composed glyph; a
    // tilde on a circumflex on an x, which no font composes, is stacked above it.
    let why = "Official flows: AVAT To Nguye\u{302}\u{303}n and Nguyễn, q\u{301} x\u{302}\u{303}.";
    site.write(
        "content/partners/ben-ng.yaml",
        &site.read("content/partners/ben-ng.yaml").replace(
            "decision: pending }",
            &format!("decision: pending, why: \"{why}\" }}"),
        ),
    );
    site.built();
    let path = site
        .out()
        .join("private/workbooks/ben-ng/stage-1-exploratory-meeting.pdf");
    // Ligatures and kerned pairs read as their letters through the ToUnicode map; the two
    // words drawn otherwise than spelt read as written through their /ActualText (poppler,
    // pdf.js, MuPDF and PDFium all give back `why` whole).
    let read = reader_text(&path);
    assert!(read.contains("Official flows: AVAT To "), "{read}");
    let actual: Vec<&str> = read.lines().skip(1).collect();
    assert_eq!(actual, ["Nguye\u{302}\u{303}n", "x\u{302}\u{303}."]);

    let mut doc = open(&path);
    doc.decompress();
    let content = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| String::from_utf8_lossy(&s.content).into_owned())
        .collect::<String>();
    // The decomposed letters are marked with their own text; the composed ones need not be.
    // Kerning and ligatures are moves and glyphs inside `TJ` arrays.
    assert!(
        content
            .lines()
            .any(|l| l.ends_with("TJ") && l.contains('-')),
        "kerned"
    );
    assert!(
        content.lines().any(|l| l.ends_with(" Ts") && l != "0 Ts"),
        "a raised accent"
    );
    let (ligatures, cmap) = ligature_entries(&doc);
    assert!(ligatures >= 2, "ffi and fl in the ToUnicode map: {cmap}");
}

/// How many glyphs the regular face's ToUnicode map reads as two letters or more.
fn ligature_entries(doc: &Document) -> (usize, String) {
    for object in doc.objects.values() {
        let Ok(font) = object.as_dict() else { continue };
        let is_regular = font
            .get(b"BaseFont")
            .ok()
            .and_then(|n| n.as_name().ok())
            .is_some_and(|n| n.ends_with(b"-Regular"));
        if !is_regular || font.get(b"ToUnicode").is_err() {
            continue;
        }
        let id = font.get(b"ToUnicode").unwrap().as_reference().unwrap();
        let cmap =
            String::from_utf8_lossy(&doc.get_object(id).unwrap().as_stream().unwrap().content)
                .into_owned();
        let count = cmap
            .lines()
            .filter(|l| l.starts_with('<') && l.len() > "<0000> <0000>".len() + 3)
            .count();
        return (count, cmap);
    }
    (0, String::new())
}

#[test]
fn data_text_prints_as_markdown_and_front_matter_gets_curly_quotes() {
    let site = TestSite::small();
    site.write(
        "content/partners/ben-ng.yaml",
        &site.read("content/partners/ben-ng.yaml").replace(
            "concern: Busy season ahead.",
            r#"concern: "**Busy** season: the client's \"rush\" -- again...""#,
        ),
    );
    site.write(
        "content/guide/02-briefings.md",
        &site.read("content/guide/02-briefings.md").replace(
            "text: What is your business for?",
            r#"text: What's your business "for"?"#,
        ),
    );
    site.built();
    let read = reader_text(
        &site
            .out()
            .join("private/workbooks/ben-ng/stage-1-exploratory-meeting.pdf"),
    );
    assert!(
        read.contains("Busy season: the client’s “rush” – again…"),
        "{read}"
    );
    assert!(!read.contains("**"), "{read}");
    // Front matter (YAML) reads like the Markdown around it: no straight quote or apostrophe
    // from the guide's questions, themes and summaries is left in the handouts.
    for handout in ["stage-1-exploratory-meeting.pdf", "stage-2-briefings.pdf"] {
        let read = reader_text(&site.out().join("private/handouts").join(handout));
        let straight: Vec<&str> = read.lines().filter(|l| l.contains(['\'', '"'])).collect();
        assert!(straight.is_empty(), "{handout}: {straight:?}");
    }
    let briefings = reader_text(&site.out().join("private/handouts/stage-2-briefings.pdf"));
    assert!(
        briefings.contains("What’s your business “for”?"),
        "{briefings}"
    );
    let page = site.read("output/private/guide/02-briefings.html");
    assert!(page.contains("What’s your business “for”?"), "the site too");
}

/// The characters the regular face's ToUnicode map reads, in the workbook at `path`.
fn regular_face_characters(path: &Path) -> String {
    let mut doc = open(path);
    doc.decompress();
    ligature_entries(&doc)
        .1
        .lines()
        .filter_map(|line| {
            let (_, text) = line.strip_prefix('<')?.split_once("> <")?;
            let units: Vec<u16> = (0..text.len().saturating_sub(1))
                .step_by(4)
                .filter_map(|at| u16::from_str_radix(text.get(at..at + 4)?, 16).ok())
                .collect();
            Some(String::from_utf16_lossy(&units))
        })
        .collect()
}

#[test]
fn the_theme_chooses_which_scripts_the_fields_keep() {
    let everything = built();
    let path = "private/handouts/stage-1-exploratory-meeting.pdf";
    let letters = regular_face_characters(&everything.out().join(path));
    assert!(
        ["ł", "ễ", "ğ", "λ", "ж"]
            .iter()
            .all(|c| letters.contains(c)),
        "{letters}"
    );

    let latin = TestSite::small();
    let theme = latin.read("themes/default/theme.yaml");
    latin.write(
        "themes/default/theme.yaml",
        &format!("{theme}\ntyping: [latin]\n"),
    );
    latin.built();
    let letters = regular_face_characters(&latin.out().join(path));
    assert!(
        ["ł", "ễ", "ğ"].iter().all(|c| letters.contains(c)),
        "{letters}"
    );
    assert!(
        !letters.contains('λ') && !letters.contains('ж'),
        "{letters}"
    );
    let size = |site: &TestSite| fs::metadata(site.out().join(path)).unwrap().len();
    assert!(
        size(&latin) + 10_000 < size(&everything),
        "{} against {}",
        size(&latin),
        size(&everything)
    );

    latin.write(
        "themes/default/theme.yaml",
        &format!("{theme}\ntyping: [klingon]\n"),
    );
    let problems = latin.build().unwrap_err();
    let error: String = problems.errors().map(|e| e.render(false)).collect();
    assert!(
        error.contains("theme.yaml") && error.contains("cyrillic"),
        "{error}"
    );
}

#[test]
fn dates_are_written_as_on_the_sites() {
    let site = built();
    let doc = open(
        &site
            .out()
            .join("private/workbooks/ben-ng/stage-1-exploratory-meeting.pdf"),
    );
    let read = squash(&text(&doc));
    assert!(read.contains("Met on: 25 May 2026"), "{read}");
    assert!(read.contains("printed 1 Jun 2026"), "{read}");
    assert!(!read.contains("2026-05-25"), "{read}");
    let dashboard = site.read("output/private/index.html");
    assert!(dashboard.contains("last contact 7 days ago (25 May 2026)"));
}

#[test]
fn the_guide_book_leaves_out_the_pages_for_the_owner_and_unlinks_links_to_them() {
    let site = TestSite::small();
    site.for_the_owner_only("content/guide/02-briefings.md");
    site.built();
    // Both sites publish the one book.
    let public = fs::read(site.out().join("site/guide.pdf")).unwrap();
    let private = fs::read(site.out().join("private/guide.pdf")).unwrap();
    assert_eq!(public, private);
    let doc = open(&site.out().join("site/guide.pdf"));
    let outline = outline(&doc);
    assert!(
        outline.contains(&(0, "Getting started".to_owned())),
        "{outline:?}"
    );
    assert!(
        !outline.iter().any(|(_, title)| title == "Briefings"),
        "{outline:?}"
    );
    let all = squash(&text(&doc));
    assert!(
        !all.contains("One side briefs"),
        "the page's summary: {all}"
    );
    // "Read the briefings next" in the first chapter stays, as words without a link.
    assert!(all.contains("Read the briefings next."), "{all}");
    let first_chapter_page = *doc.get_pages().values().nth(2).unwrap();
    let page = doc
        .get_object(first_chapter_page)
        .unwrap()
        .as_dict()
        .unwrap();
    assert!(
        page.get(b"Annots").is_err(),
        "the first chapter's one link pointed to the briefings: {page:?}"
    );
}
