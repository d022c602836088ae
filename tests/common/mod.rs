//! Helpers shared by the integration tests: fixture sites in temporary folders, builds, and
//! HTML parsing.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    repo().join("tests/fixtures").join(path)
}

/// Copies every file under `from` into `to`, replacing what is there.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture folder is readable");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A copy of the valid `small` fixture with the repository's default theme, in a temporary
/// folder; the site is at `<tempdir>/site`.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    pub fn small() -> TestSite {
        Self::from_fixture("valid/small")
    }

    pub fn from_fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temporary folder");
        let site = dir.path().join("site");
        copy_tree(&fixture(name), &site);
        copy_tree(&repo().join("themes/default"), &site.join("themes/default"));
        TestSite { dir }
    }

    /// The bundled site of the repository (site.yaml, content, themes), copied.
    pub fn bundled() -> TestSite {
        let dir = tempfile::tempdir().expect("temporary folder");
        let site = dir.path().join("site");
        fs::create_dir_all(&site).expect("create");
        fs::copy(repo().join("site.yaml"), site.join("site.yaml")).expect("copy site.yaml");
        copy_tree(&repo().join("content"), &site.join("content"));
        copy_tree(&repo().join("themes"), &site.join("themes"));
        TestSite { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("output")
    }

    /// Lays the files of `invalid/<name>` over the site.
    pub fn overlay(&self, name: &str) -> &Self {
        copy_tree(&fixture(&format!("invalid/{name}")), &self.root());
        self
    }

    /// Lays the files of the fixture folder `name` (under `tests/fixtures`) over the site.
    pub fn lay_over(&self, name: &str) -> &Self {
        copy_tree(&fixture(name), &self.root());
        self
    }

    /// The text of a file of the site.
    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.root().join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create");
        fs::write(path, text).expect("write");
    }

    /// Marks the guide page `relative` (`content/guide/….md`) `audience: owner`.
    pub fn for_the_owner_only(&self, relative: &str) {
        self.replace_in(relative, "order:", "audience: owner\norder:");
    }

    /// Replaces the first `from` in the file `relative` with `to`; `from` must be there.
    pub fn replace_in(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} has no {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    pub fn build(&self) -> Result<advocate::engine::Report, advocate::source::Diagnostics> {
        advocate::engine::build(
            &self.root(),
            &self.out(),
            advocate::engine::Options::default(),
            |waiting| panic!("{waiting}"),
        )
    }

    pub fn built(&self) -> advocate::engine::Report {
        match self.build() {
            Ok(report) => report,
            Err(problems) => panic!(
                "build failed:\n{}",
                problems
                    .iter()
                    .map(|p| p.render(false))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }

    pub fn html(&self, relative: &str) -> scraper::Html {
        let text = fs::read_to_string(self.out().join(relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"));
        scraper::Html::parse_document(&text)
    }
}

/// Every file under `dir`, as (path relative to `dir`, bytes), sorted.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                fs::read(e.path()).expect("readable"),
            )
        })
        .collect();
    files.sort();
    files
}

pub fn select<'a>(html: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).expect("valid selector");
    html.select(&selector).collect()
}

/// The text of each element `css` selects, in page order.
pub fn names_in(html: &scraper::Html, css: &str) -> Vec<String> {
    select(html, css).iter().map(text_of).collect()
}

pub fn text_of(element: &scraper::ElementRef) -> String {
    element
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Everything a reader can get out of a PDF as text: the pages' text and every string object
/// (metadata, outline titles, form field names, link addresses), decoded.
/// The first page's MediaBox: left, bottom, right, top, in points.
pub fn page_box(doc: &lopdf::Document) -> Vec<f32> {
    let (_, first) = doc.get_pages().into_iter().next().expect("a page");
    doc.get_object(first)
        .and_then(lopdf::Object::as_dict)
        .and_then(|page| page.get(b"MediaBox"))
        .and_then(lopdf::Object::as_array)
        .expect("a MediaBox")
        .iter()
        .map(|v| {
            v.as_float()
                .unwrap_or_else(|_| v.as_i64().unwrap_or(0) as f32)
        })
        .collect()
}

/// The text of each page of the PDF at `path`, as lopdf reads it through the fonts' ToUnicode
/// maps.
pub fn pdf_pages_text(path: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.get_pages()
        .keys()
        .map(|page| doc.extract_text(&[*page]).expect("text extracts"))
        .collect()
}

pub fn pdf_text(bytes: &[u8]) -> String {
    let mut doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut text = doc.extract_text(&pages).expect("text extracts");
    doc.decompress();
    for object in doc.objects.values() {
        collect_strings(object, &mut text);
    }
    text
}

fn collect_strings(object: &lopdf::Object, out: &mut String) {
    use lopdf::Object;
    match object {
        Object::String(bytes, _) if bytes.starts_with(&[0xfe, 0xff]) => {
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1].min(c[c.len() - 1])]))
                .collect();
            out.push_str(&String::from_utf16_lossy(&units));
            out.push('\n');
        }
        Object::String(bytes, _) => {
            out.push_str(&String::from_utf8_lossy(bytes));
            out.push('\n');
        }
        Object::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, v)| collect_strings(v, out)),
        Object::Stream(stream) => stream
            .dict
            .iter()
            .for_each(|(_, v)| collect_strings(v, out)),
        _ => {}
    }
}
