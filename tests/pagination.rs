//! Pages a typesetter would sign off, checked on the PDFs themselves through their tags: no
//! heading ends a page (a field's line below it counts as what follows), and in workbooks
//! every answer continued from one page to the next says so at the top of the next. Run on
//! the bundled site and on a fixture with a long answer.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::TestSite;
use lopdf::{Document, Object, ObjectId};

/// One page's content in order: the structure type of each marked-content sequence's
/// element (`Artifact` for decoration), the element, and the height of its last line.
type Run = (String, Option<ObjectId>, f32);

fn runs_of(doc: &Document) -> Vec<Vec<Run>> {
    let catalog = doc.catalog().unwrap();
    let root = doc
        .get_object(
            catalog
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_dict()
        .unwrap();
    let numbers = root
        .get(b"ParentTree")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Nums")
        .unwrap()
        .as_array()
        .unwrap();
    let mut parents: HashMap<i64, Vec<ObjectId>> = HashMap::new();
    for pair in numbers.chunks(2) {
        if let Object::Array(elements) = &pair[1] {
            parents.insert(
                pair[0].as_i64().unwrap(),
                elements.iter().map(|e| e.as_reference().unwrap()).collect(),
            );
        }
    }
    let kind = |id: ObjectId| {
        let element = doc.get_object(id).unwrap().as_dict().unwrap();
        String::from_utf8_lossy(element.get(b"S").unwrap().as_name().unwrap()).into_owned()
    };
    let mut pages = Vec::new();
    for page_id in doc.get_pages().values() {
        let page = doc.get_object(*page_id).unwrap().as_dict().unwrap();
        let key = page.get(b"StructParents").unwrap().as_i64().unwrap();
        let elements = parents.get(&key).cloned().unwrap_or_default();
        let content = doc.get_and_decode_page_content(*page_id).unwrap();
        let mut runs: Vec<Run> = Vec::new();
        for operation in &content.operations {
            match operation.operator.as_str() {
                "BMC" => runs.push(("Artifact".into(), None, f32::MAX)),
                "BDC" => {
                    // A span with /ActualText inside a run belongs to that run.
                    let Ok(mcid) = operation.operands[1].as_dict().unwrap().get(b"MCID") else {
                        continue;
                    };
                    let mcid = mcid.as_i64().unwrap();
                    let element = elements[mcid as usize];
                    runs.push((kind(element), Some(element), f32::MAX));
                }
                "Tm" => {
                    if let Some(run) = runs.last_mut() {
                        run.2 = operation.operands[5].as_float().unwrap();
                    }
                }
                _ => {}
            }
        }
        // A form field's line below the last text is content after it too.
        let lowest_field = page
            .get(b"Annots")
            .ok()
            .and_then(|a| a.as_array().ok())
            .into_iter()
            .flatten()
            .map(|a| {
                doc.get_object(a.as_reference().unwrap())
                    .unwrap()
                    .as_dict()
                    .unwrap()
            })
            .filter(|a| a.get(b"Subtype").unwrap().as_name().unwrap() == b"Widget")
            .map(|a| {
                a.get(b"Rect").unwrap().as_array().unwrap()[1]
                    .as_float()
                    .unwrap()
            })
            .fold(f32::MAX, f32::min);
        if lowest_field < f32::MAX {
            runs.push(("Form".into(), None, lowest_field));
        }
        pages.push(runs);
    }
    pages
}

/// The top and bottom of the text on the first page, in PDF coordinates: its first line and
/// its page number.
fn text_area(doc: &Document) -> (f32, f32) {
    let height = common::page_box(doc)[3];
    // The default theme's margins: 22 mm at the top, 20 mm at the foot.
    (height - 22.0 * 72.0 / 25.4, 20.0 * 72.0 / 25.4)
}

/// Problems with the page rules in one PDF.
fn page_problems(path: &Path) -> Vec<String> {
    let doc = Document::load(path).unwrap();
    let text_of_page = |page: u32| doc.extract_text(&[page]).unwrap_or_default();
    let pages = runs_of(&doc);
    let mut problems = Vec::new();
    for (index, runs) in pages.iter().enumerate() {
        let content: Vec<&Run> = runs.iter().filter(|r| r.0 != "Artifact").collect();
        // The lowest thing on the page, text or field.
        let Some(last) = content.iter().min_by(|a, b| a.2.total_cmp(&b.2)).copied() else {
            continue;
        };
        let is_last_page = index + 1 == pages.len();
        // A section's last page (before a part's heading, or the document's last) holds a
        // quarter of a page at least, once a page before it has more to give.
        let ends_section = is_last_page
            || pages[index + 1]
                .iter()
                .find(|r| r.1.is_some())
                .is_some_and(|first| first.0 == "H1");
        let (top, bottom) = text_area(&doc);
        if ends_section && index > 0 && !pages[index - 1].is_empty() {
            let used = top - last.2;
            let before = &pages[index - 1];
            let previous_full = before
                .iter()
                .filter(|r| r.0 != "Artifact")
                .map(|r| r.2)
                .fold(f32::MAX, f32::min);
            let previous_has_more = top - previous_full > (top - bottom) * 0.75;
            if used < (top - bottom) / 4.0 && previous_has_more {
                problems.push(format!(
                    "{}: page {} ends its section with {:.0}% of a page",
                    path.display(),
                    index + 1,
                    100.0 * used / (top - bottom)
                ));
            }
        }
        if last.0.starts_with('H') && !is_last_page {
            let text = text_of_page(index as u32 + 1);
            let tail: Vec<&str> = text.lines().rev().take(4).collect();
            problems.push(format!(
                "{}: page {} ends with a heading: {:?}",
                path.display(),
                index + 1,
                tail
            ));
        }
        // A book's paragraph runs on over the page as in any book; a workbook's answer or
        // ruled space says that it goes on. (The course pack opens with the book; its
        // handouts are the blank workbooks, checked on their own.)
        if is_last_page || path.ends_with("guide.pdf") || path.ends_with("course-pack.pdf") {
            continue;
        }
        // An element that goes on over the page says so at the top of the next page.
        let next = &pages[index + 1];
        let continues = next
            .iter()
            .find(|r| r.1.is_some())
            .is_some_and(|first| first.1 == last.1 && matches!(last.0.as_str(), "P" | "LBody"));
        if continues {
            let text = text_of_page(index as u32 + 2);
            if !text.contains("(continued)") {
                problems.push(format!(
                    "{}: page {} goes on from page {} without “(continued)”",
                    path.display(),
                    index + 2,
                    index + 1
                ));
            }
        }
    }
    problems
}

fn all_problems(site: &TestSite) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(site.out().join("private")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "pdf") {
            problems.extend(page_problems(&path));
        }
    }
    problems
}

#[test]
fn no_page_of_the_bundled_site_ends_with_a_heading_or_goes_on_unmarked() {
    let site = TestSite::bundled();
    site.built();
    let problems = all_problems(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn long_answers_keep_the_page_rules() {
    let site = TestSite::small();
    site.lay_over("layout/long-answers");
    site.built();
    let problems = all_problems(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
