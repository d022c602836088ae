//! The theme's Tera 2 templates: loaded once per build, rendered many times, with template
//! errors turned into diagnostics that point at the template file, line and column.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::source::diagnostic::relative_to;
use crate::source::{Date, Diagnostic, Diagnostics, files};

/// The templates every theme provides.
pub const REQUIRED: [&str; 7] = [
    "base.html",
    "guide_index.html",
    "guide_page.html",
    "dashboard.html",
    "partner.html",
    "public_dashboard.html",
    "public_partner.html",
];

pub struct Templates {
    tera: Tera,
    /// (template name, file relative to the site root, source) for error messages.
    sources: Vec<(String, PathBuf, String)>,
}

impl Templates {
    /// Loads every `*.html` file of `theme_dir/templates`.
    pub fn load(theme_dir: &Path, root: &Path) -> Result<Templates, Diagnostics> {
        let mut problems = Diagnostics::new();
        let dir = theme_dir.join("templates");
        let mut sources = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    problems.push(Diagnostic::file_error(
                        relative_to(&dir, root),
                        format!("cannot read the theme's templates: {error}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file()
                || entry
                    .path()
                    .extension()
                    .is_none_or(|e| e != "html" && e != "xml")
            {
                continue;
            }
            let shown = relative_to(entry.path(), root);
            let name = relative_to(entry.path(), &dir)
                .to_string_lossy()
                .replace('\\', "/");
            match files::read_text(entry.path(), &shown) {
                Ok(text) => sources.push((name, shown, text)),
                Err(problem) => problems.push(problem),
            }
        }
        for required in REQUIRED {
            if !sources.iter().any(|(name, _, _)| name == required) {
                problems.push(
                    Diagnostic::file_error(
                        relative_to(&dir.join(required), root),
                        format!("the theme has no template `{required}`"),
                    )
                    .with_help(
                        "copy it from themes/default/templates of a new site (`advocate init`)",
                    ),
                );
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("date", format_date);
        let loaded = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, _, text)| (name.as_str(), text.as_str())),
        );
        if let Err(error) = loaded {
            problems.push(diagnose(&sources, &error));
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Templates { tera, sources })
    }

    /// A hash of every template's source, for caches of rendered pages.
    pub fn fingerprint(&self) -> u64 {
        let sources: Vec<&str> = self
            .sources
            .iter()
            .flat_map(|(name, _, text)| [name.as_str(), text.as_str()])
            .collect();
        crate::model::hash_strings(&sources)
    }

    /// Renders template `name` with `context`, whose fields become the template's variables.
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, Diagnostic> {
        let context =
            Context::from_serialize(context).map_err(|error| diagnose(&self.sources, &error))?;
        self.tera
            .render(name, &context)
            .map_err(|error| diagnose(&self.sources, &error))
    }
}

/// A template error as a diagnostic at its template's file, line and column.
fn diagnose(sources: &[(String, PathBuf, String)], error: &tera::Error) -> Diagnostic {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let found = sources
                .iter()
                .find(|(name, _, _)| name == report.filename());
            match found {
                    Some((_, shown, text)) => Diagnostic::at(
                        shown,
                        text,
                        report.span().start_line,
                        report.span().start_col + 1,
                        format!("template error: {}", report.message()),
                    )
                    .with_help(
                        "fix the template; every variable a template uses must exist, see the README's \"Themes\" section",
                    ),
                    None => Diagnostic::file_error(report.filename(), report.message().to_owned()),
                }
        }
        other => Diagnostic::file_error("themes", format!("template error: {other}")),
    }
}

/// `{{ day | date }}`: `2026-03-02` becomes `2 Mar 2026`; anything else is left as it is.
fn format_date(value: &str, _: Kwargs, _: &State) -> String {
    Date::parse(value).map_or_else(
        || value.to_owned(),
        |d| d.0.strftime("%-d %b %Y").to_string(),
    )
}
