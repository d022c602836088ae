//! PDF: a workbook per worksheet of the theme for each partner, the blank handouts, the
//! printable guide and the course pack (the guide and the handouts in one file), rendered from
//! the same loaded model as the sites.
//!
//! Blocks ([`blocks`], read from the theme's [`worksheets`] rendered with a [`context`] and
//! their print-only [`directives`], and built by [`guidebook`]) are laid out into pages by
//! [`layout`] with the theme's [`style`] and [`fonts`] (words measured as [`shaping`] shapes
//! them), and drawn by [`pdf`]: it writes each page's content stream (`content`), embeds the
//! subsets (`embed`) and the branding logo (`images`), and has the file written (`file`,
//! deflating with `deflate`). Only `pdf`, `embed`, `images` and `file` talk to PDF libraries
//! (printpdf for the document, lopdf for objects).

pub mod blocks;
mod content;
pub(crate) mod context;
mod deflate;
pub(crate) mod directives;
mod embed;
mod file;
pub mod fonts;
pub mod guidebook;
mod hinting;
mod images;
pub mod layout;
pub mod pdf;
pub mod shaping;
pub mod structure;
pub mod style;
pub(crate) mod worksheets;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::artifact::{
    ALL_STAGES_FILE, COURSE_PACK_FILE, GUIDE_FILE, HANDOUTS_FOLDER, OutputFile, PRIVATE_DIR,
    PUBLIC_DIR, PdfLink, PdfLinks, Rendered, workbook_folder,
};
use crate::model::handout::HandoutView;
use crate::model::strings::Strings;
use crate::model::{Partner, Site};
use crate::source::diagnostic::relative_to;
use crate::source::{Diagnostic, Diagnostics};
use blocks::Block;
use context::WorksheetContext;
use fonts::FontSet;
use layout::{Running, lay_out};
use style::Style;
use worksheets::Worksheets;

/// The theme's style and fonts: loaded once, and again only when the theme changes.
pub(crate) struct PdfTheme {
    pub(crate) style: Style,
    pub(crate) fonts: FontSet,
    /// The font files `theme.yaml` names, relative to the theme folder.
    pub(crate) font_files: Vec<PathBuf>,
}

impl PdfTheme {
    /// Loads `theme.yaml` and the fonts of `theme_dir`, for `paper`.
    pub(crate) fn load(
        theme_dir: &Path,
        root: &Path,
        paper: crate::model::site::Paper,
    ) -> Result<PdfTheme, Diagnostics> {
        let (style, theme) = style::load(theme_dir, root, paper)?;
        let fonts = FontSet::load(theme_dir, root, &theme)?;
        let files = &theme.fonts;
        let font_files = [
            &files.regular,
            &files.bold,
            &files.italic,
            &files.bold_italic,
        ]
        .map(|file| PathBuf::from(&file.value))
        .to_vec();
        Ok(PdfTheme {
            style,
            fonts,
            font_files,
        })
    }

    /// Whether this draws the same PDFs as `other`: the same style and the same fonts.
    pub(crate) fn draw_like(&self, other: &PdfTheme) -> bool {
        self.style == other.style && self.fonts.source_hash() == other.fonts.source_hash()
    }
}

/// The anchor of the first part heading (`#`) of `blocks`, kept-together groups included.
fn first_part(blocks: &mut [Block]) -> Option<&mut Option<String>> {
    for block in blocks {
        match block {
            Block::Heading {
                level: 1, anchor, ..
            } => return Some(anchor),
            Block::Keep(group) => {
                if let Some(anchor) = first_part(group) {
                    return Some(anchor);
                }
            }
            _ => {}
        }
    }
    None
}

/// The fields of `data` (dotted paths, list items by number) whose text holds any of `chars`,
/// with the characters each holds.
fn fields_holding(data: &serde_json::Value, chars: &[char]) -> Vec<(String, Vec<char>)> {
    fn walk(
        value: &serde_json::Value,
        path: String,
        chars: &[char],
        out: &mut Vec<(String, Vec<char>)>,
    ) {
        let join = |key: &str| {
            if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            }
        };
        match value {
            serde_json::Value::String(text) => {
                let held: Vec<char> = chars
                    .iter()
                    .copied()
                    .filter(|c| text.contains(*c))
                    .collect();
                if !held.is_empty() {
                    out.push((path, held));
                }
            }
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, join(&(index + 1).to_string()), chars, out);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    walk(item, join(key), chars, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(data, String::new(), chars, &mut out);
    out
}

/// The worksheets of a site's theme, loaded on their own: for tools and benchmarks that lay
/// out a partner's worksheets without a build.
pub struct StageWorksheets {
    worksheets: Worksheets,
}

impl StageWorksheets {
    /// Loads the words and worksheets of `site`'s theme.
    pub fn load(site: &Site) -> Result<StageWorksheets, crate::source::Diagnostics> {
        let (strings, _) = Strings::load(&site.theme_dir, &site.root, &site.config.language)?;
        let worksheets =
            Worksheets::load(&site.theme_dir, &site.root, &std::sync::Arc::new(strings))?;
        Ok(StageWorksheets { worksheets })
    }

    /// The blocks of each worksheet of `all-stages.pdf` for `partner`, in order.
    pub fn blocks(&self, site: &Site, partner: &Partner) -> Result<Vec<Vec<Block>>, Diagnostic> {
        let handout = HandoutView::project(site);
        let mut context = WorksheetContext::new(&handout, Some((site, partner)));
        self.worksheets
            .sheets
            .iter()
            .filter(|sheet| sheet.all_stages)
            .map(|sheet| {
                Ok(self
                    .worksheets
                    .render(sheet, &mut context, handout.logo.as_ref())?
                    .blocks)
            })
            .collect()
    }
}

/// One PDF to make: where it goes, its title, its running header and its content.
struct Document {
    file: PathBuf,
    title: String,
    running: String,
    blocks: Vec<Block>,
}

/// Makes the PDFs of one site, with the theme's style, fonts, worksheets and words. It holds
/// only the [`HandoutView`]: the blank handouts and the guide are made from that alone, and a
/// partner's workbooks from the site it is given for them.
pub(crate) struct PdfRenderer<'a> {
    handout: HandoutView,
    /// `theme.yaml`, relative to the site, which a PDF that cannot be written is blamed on.
    theme_file: PathBuf,
    style: &'a Style,
    fonts: &'a FontSet,
    worksheets: &'a Worksheets,
    strings: &'a Strings,
}

impl<'a> PdfRenderer<'a> {
    pub(crate) fn new(
        site: &Site,
        pdf_theme: &'a PdfTheme,
        worksheets: &'a Worksheets,
        strings: &'a Strings,
    ) -> Self {
        PdfRenderer {
            handout: HandoutView::project(site),
            theme_file: relative_to(&site.theme_dir.join("theme.yaml"), &site.root),
            style: &pdf_theme.style,
            fonts: &pdf_theme.fonts,
            worksheets,
            strings,
        }
    }

    fn pdf(
        &self,
        blocks: &[Block],
        style: &Style,
        running: &Running,
        meta: &pdf::Meta,
        pages: &HashMap<String, usize>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let laid = lay_out(blocks, self.fonts, style, running, pages);
        pdf::write(&laid, self.fonts, style, meta).map_err(|why| {
            Diagnostic::file_error(
                &self.theme_file,
                format!("cannot write the PDF “{}”: {why}", meta.title),
            )
        })
    }

    /// The string `key` of the theme, with `{name}` filled in.
    fn words(&self, key: &str, name: &str) -> String {
        self.strings.words(key, &[("name", name.to_owned())])
    }

    /// `sheet` rendered with `context`, the branding's logo for `logo()`.
    fn sheet(
        &self,
        sheet: &worksheets::Worksheet,
        context: &mut WorksheetContext,
    ) -> Result<worksheets::Rendered, Diagnostic> {
        self.worksheets
            .render(sheet, context, self.handout.logo.as_ref())
    }

    /// The running header and footer, and the continuation mark, in the theme's words.
    fn running(&self, title: String, first_decorated: usize) -> Running {
        let word = |key: &str| self.strings.words(key, &[]);
        Running {
            title,
            first_decorated,
            page_of: word("workbook.page_of"),
            continued: word("workbook.continued"),
            line_of: word("workbook.line_of"),
            note: None,
        }
    }

    /// What a handout, the guide and the course pack are branded with: the trainer's colour,
    /// footer line, name as author and course as subject, where `site.yaml` gives them.
    fn branded(&self, style: &Style, running: &mut Running, meta: &mut pdf::Meta) -> Style {
        let branding = &self.handout.branding;
        running.note.clone_from(&branding.footer);
        if let Some(name) = &branding.name {
            meta.author.clone_from(name);
        }
        if let Some(course) = branding.course_line(self.strings) {
            meta.subject = course;
        }
        branding
            .rgb()
            .map_or_else(|| style.clone(), |colour| style.with_accent(colour))
    }

    fn meta(&self, title: String, subject_key: &str) -> pdf::Meta {
        pdf::Meta {
            title,
            author: self.handout.owner_name.clone(),
            subject: self.words(subject_key, ""),
            language: self.handout.language.clone(),
            created: self.handout.as_of,
        }
    }

    /// Warnings for the characters of `blocks` that no font can draw, each blamed on where the
    /// text came from: the fields of the partner's file or of the owner in `site.yaml` that hold
    /// them, else `template` (its words or the guide's).
    fn undrawable(
        &self,
        blocks: &[Block],
        subject: Option<(&Site, &Partner)>,
        template: &Path,
    ) -> Vec<Diagnostic> {
        let mut text = String::new();
        blocks::visible_text(blocks, &mut text);
        let missing = self.fonts.missing(&text);
        if missing.is_empty() {
            return Vec::new();
        }
        let warning = |file: &Path, what: String, chars: &[char]| {
            let list: Vec<String> = chars
                .iter()
                .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
                .collect();
            Diagnostic::file_error(
                file,
                format!(
                    "{what} has characters the workbook fonts cannot draw: {}",
                    list.join(", ")
                ),
            )
            .with_help(
                "they print as empty boxes: rewrite them, or add a font that has them to the theme",
            )
            .warning()
        };
        let mut warnings = Vec::new();
        let mut explained: Vec<char> = Vec::new();
        if let Some((site, partner)) = subject {
            let sources = [
                (partner.path.as_path(), serde_json::to_value(&*partner.data)),
                (
                    Path::new("site.yaml"),
                    serde_json::to_value(&site.config.owner)
                        .map(|owner| serde_json::json!({ "owner": owner })),
                ),
            ];
            for (file, data) in sources {
                let Ok(data) = data else { continue };
                for (field, chars) in fields_holding(&data, &missing) {
                    explained.extend(&chars);
                    warnings.push(warning(file, format!("`{field}`"), &chars));
                }
            }
        }
        let rest: Vec<char> = missing
            .into_iter()
            .filter(|c| !explained.contains(c))
            .collect();
        if !rest.is_empty() {
            warnings.push(warning(template, "the worksheet".to_owned(), &rest));
        }
        warnings
    }

    /// What the pages link to: the guide and the handouts, and a partner's workbooks, with
    /// their titles as a blank worksheet renders them.
    pub(crate) fn links(&self) -> Result<PdfLinks, Diagnostic> {
        let mut links = PdfLinks {
            downloads: vec![
                PdfLink {
                    title: self.words("site.downloads.guide", ""),
                    file: GUIDE_FILE.to_owned(),
                },
                PdfLink {
                    title: self.words("site.downloads.course_pack", ""),
                    file: COURSE_PACK_FILE.to_owned(),
                },
            ],
            templates: self.worksheets.title_templates(),
            worksheets: self
                .worksheets
                .template_names()
                .map(str::to_owned)
                .collect(),
            ..PdfLinks::default()
        };
        let mut context = WorksheetContext::new(&self.handout, None);
        for sheet in &self.worksheets.sheets {
            let title = self.worksheets.title(sheet, &mut context)?;
            if sheet.handout {
                links.downloads.push(PdfLink {
                    title: self.words("site.downloads.handout", &title),
                    file: format!("{HANDOUTS_FOLDER}/{}", sheet.pdf_file()),
                });
            }
            links.partner.push(PdfLink {
                title,
                file: sheet.pdf_file(),
            });
        }
        if self.worksheets.sheets.iter().any(|s| s.all_stages) {
            links.partner.push(PdfLink {
                title: self.words("site.downloads.all_stages", ""),
                file: ALL_STAGES_FILE.to_owned(),
            });
        }
        Ok(links)
    }

    /// Every worksheet of `partner`, and `all-stages.pdf`.
    pub(crate) fn partner(&self, site: &Site, partner: &Partner) -> Result<Rendered, Diagnostic> {
        let folder = Path::new(PRIVATE_DIR).join(workbook_folder(&partner.id));
        let name = &partner.data.name;
        let mut warnings = Vec::new();
        let mut all = Vec::new();
        let mut documents = Vec::new();
        let mut context = WorksheetContext::new(&self.handout, Some((site, partner)));
        for sheet in &self.worksheets.sheets {
            let rendered = self.sheet(sheet, &mut context)?;
            let template = self.worksheets.file_of(sheet).unwrap_or(&partner.path);
            for warning in self.undrawable(&rendered.blocks, Some((site, partner)), template) {
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
            if sheet.all_stages {
                if !all.is_empty() {
                    all.push(Block::PageBreak);
                }
                all.extend(rendered.blocks.iter().cloned());
            }
            documents.push(Document {
                file: folder.join(sheet.pdf_file()),
                title: rendered.title,
                running: rendered.running,
                blocks: rendered.blocks,
            });
        }
        if !all.is_empty() {
            documents.push(Document {
                file: folder.join(ALL_STAGES_FILE),
                title: self.words("workbook.all_stages.title", name),
                running: self.words("workbook.all_stages.running", name),
                blocks: all,
            });
        }
        let files = documents
            .into_par_iter()
            .map(|document| {
                let running = self.running(document.running, 0);
                let meta = self.meta(document.title, "workbook.subject");
                let bytes = self.pdf(
                    &document.blocks,
                    self.style,
                    &running,
                    &meta,
                    &HashMap::new(),
                )?;
                Ok(OutputFile::new(document.file, bytes))
            })
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        Ok(Rendered { files, warnings })
    }

    /// Blank workbooks for trainers, in both sites: every worksheet that is a handout.
    pub(crate) fn handouts(&self) -> Result<Rendered, Diagnostic> {
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        let mut context = WorksheetContext::new(&self.handout, None);
        for sheet in self.worksheets.sheets.iter().filter(|s| s.handout) {
            let rendered = self.sheet(sheet, &mut context)?;
            let file = self
                .worksheets
                .file_of(sheet)
                .unwrap_or_else(|| Path::new(&sheet.template))
                .to_owned();
            warnings.extend(self.undrawable(&rendered.blocks, None, &file));
            let mut running = self.running(rendered.running, 0);
            let mut meta = self.meta(rendered.title, "workbook.blank_subject");
            let style = self.branded(self.style, &mut running, &mut meta);
            let bytes = self.pdf(&rendered.blocks, &style, &running, &meta, &HashMap::new())?;
            let path = Path::new(HANDOUTS_FOLDER).join(sheet.pdf_file());
            files.extend(OutputFile::in_both([PUBLIC_DIR, PRIVATE_DIR], &path, bytes));
        }
        Ok(Rendered { files, warnings })
    }

    /// The guide as a book, and the course pack: the guide and every blank handout under one
    /// outline, in both sites. Each is laid out twice so the contents know their pages.
    pub(crate) fn guide(&self) -> Result<Rendered, Diagnostic> {
        let book = |more: &[(String, String)],
                    blocks_after: Vec<Block>,
                    style: &Style,
                    title_key: &str| {
            let mut blocks = guidebook::blocks(&self.handout, self.strings, more);
            blocks.extend(blocks_after);
            let mut running = self.running(self.words("guide_book.running", ""), 1);
            let mut meta = self.meta(self.words(title_key, ""), "guide_book.subject");
            let style = self.branded(style, &mut running, &mut meta);
            let first = lay_out(&blocks, self.fonts, &style, &running, &HashMap::new());
            let pages = guidebook::page_numbers(&first.anchors);
            self.pdf(&blocks, &style, &running, &meta, &pages)
        };
        let bytes = book(
            &[],
            Vec::new(),
            &self.style.for_the_guide(),
            "guide_book.title",
        )?;
        let mut contents = Vec::new();
        let mut handouts = Vec::new();
        let mut context = WorksheetContext::new(&self.handout, None);
        for sheet in self.worksheets.sheets.iter().filter(|s| s.handout) {
            let rendered = self.sheet(sheet, &mut context)?;
            let anchor = format!("handout-{}", sheet.stem);
            let mut blocks = rendered.blocks;
            match first_part(&mut blocks) {
                Some(at) => *at = Some(anchor.clone()),
                // A sheet without a title of its own still starts a page.
                None => blocks.insert(0, Block::PageBreak),
            }
            contents.push((rendered.title, anchor));
            handouts.extend(blocks);
        }
        let pack = book(&contents, handouts, self.style, "guide_book.course_pack")?;
        let mut warnings = Vec::new();
        // The pages the book prints: those for everyone.
        for page in self.handout.guide.pages_for(true) {
            let missing = self.fonts.missing(&page.markdown);
            if !missing.is_empty() {
                let list: String = missing
                    .iter()
                    .map(|c| format!("`{c}` (U+{:04X}) ", *c as u32))
                    .collect();
                warnings.push(
                    Diagnostic::file_error(&page.path, format!("the guide has characters the workbook fonts cannot draw: {}", list.trim_end()))
                        .with_help("they print as empty boxes in guide.pdf: rewrite them, or add a font that has them to the theme")
                        .warning(),
                );
            }
        }
        let mut files =
            OutputFile::in_both([PUBLIC_DIR, PRIVATE_DIR], Path::new(GUIDE_FILE), bytes).to_vec();
        files.extend(OutputFile::in_both(
            [PUBLIC_DIR, PRIVATE_DIR],
            Path::new(COURSE_PACK_FILE),
            pack,
        ));
        Ok(Rendered { files, warnings })
    }
}
