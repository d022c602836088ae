//! PDF: the stage workbooks per partner, the blank handouts and the printable guide, rendered
//! from the same loaded model as the sites.
//!
//! Blocks ([`blocks`], built by [`sheets`] and [`guidebook`]) are laid out into pages by
//! [`layout`] with the theme's [`style`] and [`fonts`] (words measured as [`shaping`] shapes
//! them), and drawn by [`pdf`]: it writes each page's content stream (`content`), embeds the
//! subsets (`embed`), and has the file written (`file`, deflating with `deflate`). Only
//! `pdf`, `embed` and `file` talk to PDF libraries (printpdf for the document, lopdf for
//! objects).

pub mod blocks;
mod content;
mod deflate;
mod embed;
mod file;
pub mod fonts;
pub mod guidebook;
mod hinting;
pub mod layout;
pub mod pdf;
pub mod shaping;
pub mod sheets;
pub mod structure;
pub mod style;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::artifact::{
    ALL_STAGES_FILE, GUIDE_FILE, HANDOUTS_FOLDER, OutputFile, PRIVATE_DIR, PUBLIC_DIR, Rendered,
    stage_workbook_file, workbook_folder,
};
use crate::model::handout::HandoutView;
use crate::model::{Partner, Site, Stage};
use crate::present::stage_name;
use crate::source::Diagnostic;
use crate::source::diagnostic::relative_to;
use blocks::Block;
use fonts::FontSet;
use layout::{Running, lay_out};
use sheets::Sheet;
use style::Style;

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
    ) -> Result<PdfTheme, Diagnostic> {
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

/// One PDF to make: where it goes, its title, its running header and its content.
struct Document {
    file: PathBuf,
    title: String,
    running: String,
    blocks: Vec<Block>,
}

/// Makes the PDFs of one site, with the theme's style and fonts. It holds only the
/// [`HandoutView`]: the blank handouts and the guide are made from that alone, and a partner's
/// workbooks from the site it is given for them.
pub(crate) struct PdfRenderer<'a> {
    handout: HandoutView,
    /// `theme.yaml`, relative to the site, which a PDF that cannot be written is blamed on.
    theme_file: PathBuf,
    style: &'a Style,
    fonts: &'a FontSet,
}

impl<'a> PdfRenderer<'a> {
    pub(crate) fn new(site: &Site, pdf_theme: &'a PdfTheme) -> Self {
        PdfRenderer {
            handout: HandoutView::project(site),
            theme_file: relative_to(&site.theme_dir.join("theme.yaml"), &site.root),
            style: &pdf_theme.style,
            fonts: &pdf_theme.fonts,
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

    fn meta(&self, title: String, subject: &str) -> pdf::Meta {
        pdf::Meta {
            title,
            author: self.handout.owner_name.clone(),
            subject: subject.to_owned(),
            language: self.handout.language.clone(),
            created: self.handout.as_of,
        }
    }

    fn stage_blocks(
        &self,
        subject: Option<(&Site, &Partner)>,
        stage: Stage,
    ) -> (Vec<Block>, Vec<Diagnostic>) {
        let mut sheet = Sheet::new(&self.handout, self.fonts, subject);
        sheet.stage(stage);
        (sheet.blocks, sheet.problems)
    }

    /// The four stage workbooks and `all-stages.pdf` of one partner.
    pub(crate) fn partner(&self, site: &Site, partner: &Partner) -> Result<Rendered, Diagnostic> {
        let folder = Path::new(PRIVATE_DIR).join(workbook_folder(&partner.id));
        let name = &partner.data.name;
        let mut warnings = Vec::new();
        let mut all = Vec::new();
        let mut documents = Vec::new();
        for stage in Stage::ALL {
            let (blocks, found) = self.stage_blocks(Some((site, partner)), stage);
            warnings.extend(found);
            if !all.is_empty() {
                all.push(Block::PageBreak);
            }
            all.extend(blocks.iter().cloned());
            documents.push(Document {
                file: folder.join(stage_workbook_file(stage)),
                title: format!("Stage {stage} workbook: {} — {name}", stage_name(stage)),
                running: format!("{name} · stage {stage} workbook"),
                blocks,
            });
        }
        documents.push(Document {
            file: folder.join(ALL_STAGES_FILE),
            title: format!("Workbook, all stages — {name}"),
            running: format!("{name} · workbook"),
            blocks: all,
        });
        let files = documents
            .into_par_iter()
            .map(|document| {
                let running = Running {
                    title: document.running,
                    first_decorated: 0,
                };
                let meta = self.meta(document.title, "Advocacy relationship workbook");
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

    /// Blank workbooks for trainers, in both sites.
    pub(crate) fn handouts(&self) -> Result<Rendered, Diagnostic> {
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        for stage in Stage::ALL {
            let (blocks, found) = self.stage_blocks(None, stage);
            warnings.extend(found);
            let title = format!("Stage {stage} workbook: {}", stage_name(stage));
            let running = Running {
                title: title.clone(),
                first_decorated: 0,
            };
            let bytes = self.pdf(
                &blocks,
                self.style,
                &running,
                &self.meta(title, "Blank advocacy relationship workbook"),
                &HashMap::new(),
            )?;
            let path = Path::new(HANDOUTS_FOLDER).join(stage_workbook_file(stage));
            files.extend(OutputFile::in_both([PUBLIC_DIR, PRIVATE_DIR], &path, bytes));
        }
        Ok(Rendered { files, warnings })
    }

    /// The guide as a book, in both sites; laid out twice so the contents know their pages.
    pub(crate) fn guide(&self) -> Result<Rendered, Diagnostic> {
        let blocks = guidebook::blocks(&self.handout);
        let running = Running {
            title: "Building advocacy relationships".into(),
            first_decorated: 1,
        };
        let style = self.style.for_the_guide();
        let first = lay_out(&blocks, self.fonts, &style, &running, &HashMap::new());
        let pages = guidebook::page_numbers(&first.anchors);
        let bytes = self.pdf(
            &blocks,
            &style,
            &running,
            &self.meta(
                "Building advocacy relationships: the guide".into(),
                "The advocacy method",
            ),
            &pages,
        )?;
        let mut warnings = Vec::new();
        for page in &self.handout.guide.pages {
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
        let files = OutputFile::in_both([PUBLIC_DIR, PRIVATE_DIR], Path::new(GUIDE_FILE), bytes);
        Ok(Rendered {
            files: files.to_vec(),
            warnings,
        })
    }
}
