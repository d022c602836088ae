//! The active theme, loaded once: its words (the strings file of the site's language), its
//! templates, its PDF side (style, fonts and worksheets) and its static files. After a save,
//! [`Theme::refresh`] reloads only the part whose folder was touched and says which inputs
//! changed. A part that fails to load keeps its error until a later save fixes it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::artifact::OutputFile;
use crate::model::strings::{STRINGS_FOLDER, Strings};
use crate::model::{Input, Site};
use crate::source::diagnostic::relative_to;
use crate::source::{Diagnostic, Diagnostics};
use crate::templates::Templates;
use crate::workbook::PdfTheme;
use crate::workbook::worksheets::{WORKSHEETS_FOLDER, Worksheets};

pub(crate) struct Theme {
    /// The theme's folder, relative to the site root.
    dir: PathBuf,
    root: PathBuf,
    paper: crate::model::site::Paper,
    language: String,
    currency: Option<String>,
    /// The words, and the warnings about them (a language without a file, missing strings).
    strings: Result<(Arc<Strings>, Vec<Diagnostic>), Diagnostics>,
    templates: Result<Templates, Diagnostics>,
    /// `None` in a build without PDFs.
    pdf_theme: Option<Result<PdfTheme, Diagnostics>>,
    /// `None` in a build without PDFs.
    worksheets: Option<Result<Worksheets, Diagnostics>>,
    static_files: Result<Vec<OutputFile>, Diagnostics>,
}

impl Theme {
    /// Loads the theme `site` names; the PDF side only `with_workbooks`.
    pub(crate) fn load(site: &Site, with_workbooks: bool) -> Theme {
        let root = site.root.clone();
        let paper = site.config.paper;
        let language = site.config.language.clone();
        let currency = site.config.currency.as_ref().map(|c| c.value.clone());
        let absolute = &site.theme_dir;
        let strings = Strings::load(absolute, &root, &language).map(|(strings, warnings)| {
            (
                Arc::new(strings.with_currency(currency.as_deref())),
                warnings,
            )
        });
        let with_strings = |load: &dyn Fn(&Arc<Strings>) -> Result<_, Diagnostics>| {
            strings
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|(strings, _)| load(strings))
        };
        let templates = with_strings(&|s| Templates::load(absolute, &root, s));
        let worksheets = with_workbooks.then(|| {
            strings
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|(s, _)| Worksheets::load(absolute, &root, s))
        });
        Theme {
            dir: relative_to(absolute, &root),
            templates,
            pdf_theme: with_workbooks.then(|| PdfTheme::load(absolute, &root, paper)),
            worksheets,
            static_files: crate::site::static_files(absolute, &root),
            strings,
            root,
            paper,
            language,
            currency,
        }
    }

    /// Whether this is the theme `site` asks for, on its paper, in its language.
    pub(crate) fn serves(&self, site: &Site) -> bool {
        self.dir == relative_to(&site.theme_dir, &site.root)
            && self.paper == site.config.paper
            && self.language == site.config.language
            && self.currency.as_deref() == site.config.currency.as_ref().map(|c| c.value.as_str())
    }

    /// Reloads what `changed` (paths relative to the site root) touched; returns the inputs
    /// that changed.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) -> Vec<Input> {
        let inside = |part: &str| {
            let folder = self.dir.join(part);
            changed
                .iter()
                .any(|p| p.starts_with(&folder) || folder.starts_with(p))
        };
        if inside(STRINGS_FOLDER) {
            let fresh = Strings::load(&self.root.join(&self.dir), &self.root, &self.language).map(
                |(strings, warnings)| (strings.with_currency(self.currency.as_deref()), warnings),
            );
            let same = match (&fresh, &self.strings) {
                (Ok((new, _)), Ok((old, _))) => new.same_words(old),
                _ => false,
            };
            if !same {
                // Every template prints words: everything is built again, theme and all.
                return vec![Input::Config];
            }
        }
        let (templates, static_files) = (inside("templates"), inside("static"));
        let worksheets = inside(WORKSHEETS_FOLDER);
        let fonts: Vec<PathBuf> = match &self.pdf_theme {
            Some(Ok(pdf_theme)) => pdf_theme
                .font_files
                .iter()
                .map(|f| self.dir.join(f))
                .collect(),
            _ => Vec::new(),
        };
        let style = changed.iter().any(|p| {
            let in_theme = p.starts_with(&self.dir) || self.dir.starts_with(p);
            let in_parts = ["templates", "static", WORKSHEETS_FOLDER]
                .iter()
                .any(|part| p.starts_with(self.dir.join(part)));
            (in_theme && !in_parts) || fonts.iter().any(|font| font.starts_with(p))
        }) || (matches!(self.pdf_theme, Some(Err(_))) && (templates || static_files));
        let absolute = self.root.join(&self.dir);
        let mut inputs = Vec::new();
        let Ok((strings, _)) = &self.strings else {
            return vec![Input::Config];
        };
        let strings = Arc::clone(strings);
        if worksheets && let Some(old) = &self.worksheets {
            let fresh = Worksheets::load(&absolute, &self.root, &strings);
            match (&fresh, old) {
                (Ok(new), Ok(old)) => {
                    inputs.extend(new.changed_since(old).into_iter().map(Input::Template))
                }
                (Ok(new), Err(_)) => {
                    inputs.extend(new.template_names().map(|n| Input::Template(n.into())))
                }
                (Err(_), _) => {}
            }
            self.worksheets = Some(fresh);
        }
        if templates {
            let fresh = Templates::load(&absolute, &self.root, &strings);
            match (&fresh, &self.templates) {
                (Ok(new), Ok(old)) => {
                    inputs.extend(new.changed_since(old).into_iter().map(Input::Template))
                }
                (Ok(new), Err(_)) => inputs.extend(new.names().map(|n| Input::Template(n.into()))),
                (Err(_), _) => {}
            }
            self.templates = fresh;
        }
        if static_files {
            let fresh = crate::site::static_files(&absolute, &self.root);
            if fresh.as_ref().ok() != self.static_files.as_ref().ok() || fresh.is_err() {
                inputs.push(Input::Static);
            }
            self.static_files = fresh;
        }
        if style && let Some(old) = &self.pdf_theme {
            let fresh = PdfTheme::load(&absolute, &self.root, self.paper);
            let same = matches!((&fresh, old), (Ok(new), Ok(old)) if new.draw_like(old));
            if !same {
                inputs.push(Input::Style);
            }
            self.pdf_theme = Some(fresh);
        }
        inputs
    }

    /// The words of the site's language, and the warnings about them.
    pub(crate) fn strings(&self) -> Result<(&Strings, &[Diagnostic]), Diagnostics> {
        self.strings
            .as_ref()
            .map(|(strings, warnings)| (strings.as_ref(), warnings.as_slice()))
            .map_err(Clone::clone)
    }

    /// The worksheets; `Ok(None)` in a build without PDFs.
    pub(crate) fn worksheets(&self) -> Result<Option<&Worksheets>, Diagnostics> {
        match &self.worksheets {
            None => Ok(None),
            Some(Ok(worksheets)) => Ok(Some(worksheets)),
            Some(Err(problems)) => Err(problems.clone()),
        }
    }

    pub(crate) fn templates(&self) -> Result<&Templates, Diagnostics> {
        self.templates.as_ref().map_err(Clone::clone)
    }

    /// The PDF side (style and fonts); `Ok(None)` in a build without PDFs.
    pub(crate) fn pdf_theme(&self) -> Result<Option<&PdfTheme>, Diagnostics> {
        match &self.pdf_theme {
            None => Ok(None),
            Some(Ok(pdf_theme)) => Ok(Some(pdf_theme)),
            Some(Err(problems)) => Err(problems.clone()),
        }
    }

    pub(crate) fn static_files(&self) -> Result<&[OutputFile], Diagnostics> {
        self.static_files
            .as_ref()
            .map(Vec::as_slice)
            .map_err(Clone::clone)
    }
}
