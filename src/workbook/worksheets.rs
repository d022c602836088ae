//! The theme's worksheets: every `*.md` file of its `workbooks/` folder is one, a Tera 2
//! template that writes Markdown with the print-only [`directives`](super::directives), read
//! with the variables of [`context`](super::context). Files whose name starts with `_` are
//! partials for the others to `include` or `import`, not worksheets.
//!
//! A worksheet's front matter says what it is:
//!
//! ```yaml
//! title: "{{ 'workbook.planner.title' | t }}"   # the PDF's title and the link's text (Tera)
//! running: "{{ partner.name }} · …"            # the running header (Tera; default: the title)
//! stage: 4                                       # the stage it belongs to, if any
//! all_stages: false                              # in all-stages.pdf (default: if it has a stage)
//! handout: true                                  # also printed blank (default: true)
//! order: 45                                      # where it is listed (default: stage × 10)
//! ```
//!
//! It becomes `<file name>.pdf` in each partner's workbook folder and, as a handout, in
//! `handouts/`. Each template is parsed once per theme load; a partner's workbooks render them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use tera::{Kwargs, State, Tera};

use super::blocks::Block;
use super::context::WorksheetContext;
use super::directives;
use crate::model::Stage;
use crate::model::branding::Logo;
use crate::model::strings::Strings;
use crate::source::diagnostic::relative_to;
use crate::source::{Diagnostic, Diagnostics, Located, files, frontmatter, yaml};
use crate::templates::{Markup, Templates, register_words};

/// The folder of a theme that holds its worksheets.
pub(crate) const WORKSHEETS_FOLDER: &str = "workbooks";

/// A worksheet's front matter, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: Located<String>,
    #[serde(default)]
    running: Option<Located<String>>,
    #[serde(default)]
    stage: Option<u8>,
    #[serde(default)]
    all_stages: Option<bool>,
    #[serde(default = "yes")]
    handout: bool,
    #[serde(default)]
    order: Option<i64>,
}

fn yes() -> bool {
    true
}

/// One worksheet of the theme.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Worksheet {
    /// The file name without `.md`: the PDF is `<stem>.pdf`.
    pub(crate) stem: String,
    /// The template's name (`workbooks/<file>`), what a rebuild records it by.
    pub(crate) template: String,
    pub(crate) stage: Option<Stage>,
    pub(crate) all_stages: bool,
    pub(crate) handout: bool,
    order: i64,
}

impl Worksheet {
    pub(crate) fn pdf_file(&self) -> String {
        format!("{}.pdf", self.stem)
    }
    fn title_template(&self) -> String {
        format!("{}#title", self.template)
    }
    fn running_template(&self) -> String {
        format!("{}#running", self.template)
    }
    /// Not rendered: its front matter as written, so that a rebuild sees a change to its
    /// stage, order or handout flag as a change of the worksheet.
    fn front_template(&self) -> String {
        format!("{}#front", self.template)
    }
}

/// A worksheet rendered for one partner or as a blank handout.
pub(crate) struct Rendered {
    pub(crate) title: String,
    pub(crate) running: String,
    pub(crate) blocks: Vec<Block>,
}

/// Every worksheet of a theme, parsed once.
pub(crate) struct Worksheets {
    pub(crate) sheets: Vec<Worksheet>,
    templates: Templates,
}

impl Worksheets {
    /// Loads the worksheets of `theme_dir`, with the words of `strings`.
    pub(crate) fn load(
        theme_dir: &Path,
        root: &Path,
        strings: &Arc<Strings>,
    ) -> Result<Worksheets, Diagnostics> {
        let mut problems = Diagnostics::new();
        let dir = theme_dir.join(WORKSHEETS_FOLDER);
        let is_markdown = |p: &Path| p.extension().is_some_and(|e| e == "md");
        let mut sources: Vec<(String, PathBuf, String)> = Vec::new();
        let mut sheets = Vec::new();
        for entry in files::readable(
            &dir,
            theme_dir,
            root,
            is_markdown,
            "worksheets",
            &mut problems,
        ) {
            let file_name = relative_to(&entry.path, &dir)
                .to_string_lossy()
                .replace('\\', "/");
            let text = match files::read_text(&entry.path, &entry.shown) {
                Ok(text) => text,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let template = format!("{WORKSHEETS_FOLDER}/{file_name}");
            let partial = file_name
                .rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with('_'));
            if partial {
                sources.push((template, entry.shown, text));
                continue;
            }
            match worksheet(&template, &file_name, &entry.shown, &text) {
                Ok((sheet, front, body, yaml_first_line, yaml)) => {
                    // Padded to their line, so that an error in them points there.
                    let at_its_line = |text: &Located<String>| {
                        "\n".repeat(yaml_first_line - 1 + text.line.saturating_sub(1)) + &text.value
                    };
                    let title = at_its_line(&front.title);
                    let running = front
                        .running
                        .as_ref()
                        .map_or_else(|| title.clone(), at_its_line);
                    sources.push((sheet.title_template(), entry.shown.clone(), title));
                    sources.push((sheet.running_template(), entry.shown.clone(), running));
                    // Commented out, so that Tera prints nothing of it; compared, never rendered.
                    let front_matter = format!("{{# {} #}}", yaml.replace("#}", "# }"));
                    sources.push((sheet.front_template(), entry.shown.clone(), front_matter));
                    sources.push((template, entry.shown, body));
                    sheets.push(sheet);
                }
                Err(found) => problems.extend(found),
            }
        }
        for (index, sheet) in sheets.iter().enumerate() {
            let taken = sheets[..index]
                .iter()
                .find(|other| other.stem == sheet.stem);
            let reserved = format!("{}.pdf", sheet.stem) == crate::artifact::ALL_STAGES_FILE;
            if taken.is_some() || reserved {
                problems.push(
                    Diagnostic::file_error(
                        PathBuf::from(&sheet.template),
                        format!(
                            "two worksheets would both make `{}.pdf`{}",
                            sheet.stem,
                            if reserved {
                                " (a partner's all-stages workbook)"
                            } else {
                                ""
                            }
                        ),
                    )
                    .with_help("give each worksheet a file name of its own"),
                );
            }
        }
        if sheets.is_empty() && !problems.has_errors() {
            problems.push(
                Diagnostic::file_error(
                    relative_to(&dir, root),
                    "the theme has no worksheets: no `.md` file in its `workbooks` folder",
                )
                .with_help("copy the folder from themes/default of a new site (`advocate init`)"),
            );
        }
        if problems.has_errors() {
            return Err(problems);
        }
        sheets.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.stem.cmp(&b.stem)));
        let mut tera = Tera::new();
        tera.set_escape_fn(directives::escape);
        tera.autoescape_on([""]);
        register_words(&mut tera, strings, Markup::Text);
        directives::register(&mut tera);
        register_print_filters(&mut tera);
        let templates = Templates::from_sources(tera, sources).map_err(Diagnostics::from)?;
        Ok(Worksheets { sheets, templates })
    }

    /// Every template name, for a rebuild's record: the worksheets, their titles and partials.
    pub(crate) fn template_names(&self) -> impl Iterator<Item = &str> {
        self.templates.names()
    }

    /// The templates the worksheets' titles come from (with what they use): what a page that
    /// lists the worksheets reads.
    pub(crate) fn title_templates(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .sheets
            .iter()
            .flat_map(|sheet| {
                let mut names = self.templates.uses(&sheet.title_template()).to_vec();
                names.push(sheet.front_template());
                names
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// The templates that differ from `earlier`'s.
    pub(crate) fn changed_since(&self, earlier: &Worksheets) -> Vec<String> {
        self.templates.changed_since(&earlier.templates)
    }

    /// The file `sheet` was read from, relative to the site root.
    pub(crate) fn file_of(&self, sheet: &Worksheet) -> Option<&Path> {
        self.templates.file_of(&sheet.template)
    }

    /// The title of `sheet` with `context`.
    pub(crate) fn title(
        &self,
        sheet: &Worksheet,
        context: &mut WorksheetContext,
    ) -> Result<String, Diagnostic> {
        context.stage = sheet.stage;
        let title = self.templates.render(&sheet.title_template(), context)?;
        self.plain_text(sheet, "title", &title)
    }

    /// `text`, the sheet's rendered `title` or `running` header, on one line; an error if a
    /// directive drew into it, since a title is text.
    fn plain_text(&self, sheet: &Worksheet, what: &str, text: &str) -> Result<String, Diagnostic> {
        if text.contains(directives::MARK) {
            let file = self
                .templates
                .file_of(&sheet.template)
                .map_or_else(|| PathBuf::from(&sheet.template), Path::to_path_buf);
            return Err(Diagnostic::file_error(
                file,
                format!("the front matter's `{what}` calls a directive (field, fact, lines, choices, logo …), which only the body can draw"),
            )
            .with_help(format!("write `{what}` as text, with variables and filters; move the directive below the front matter")));
        }
        Ok(squash(text))
    }

    /// `sheet` rendered with `context` (its stage set to the sheet's), read into blocks;
    /// `logo()` draws `logo`. The variables are made once for the title, header and body.
    pub(crate) fn render(
        &self,
        sheet: &Worksheet,
        context: &mut WorksheetContext,
        logo: Option<&Logo>,
    ) -> Result<Rendered, Diagnostic> {
        context.stage = sheet.stage;
        let variables = self.templates.context(context)?;
        let title = self
            .templates
            .render_in(&sheet.title_template(), &variables)?;
        let running = self
            .templates
            .render_in(&sheet.running_template(), &variables)?;
        let text = self.templates.render_in(&sheet.template, &variables)?;
        let blocks = directives::read(&text, logo).map_err(|why| {
            self.templates.file_of(&sheet.template).map_or_else(
                || Diagnostic::file_error(&sheet.template, why.clone()),
                |file| Diagnostic::file_error(file, why.clone()),
            )
        })?;
        Ok(Rendered {
            title: self.plain_text(sheet, "title", &title)?,
            running: self.plain_text(sheet, "running", &running)?,
            blocks,
        })
    }
}

/// The filter only worksheets have: `inline` runs a Markdown text's paragraphs and list items
/// together, to follow a label on its line, and leaves `none` as it is.
fn register_print_filters(tera: &mut Tera) {
    tera.register_filter(
        "inline",
        |value: tera::Value, _: Kwargs, _: &State| match value.as_str() {
            Some(text) => tera::Value::from(inline(text)),
            None => value,
        },
    );
}

/// Markdown on one line: each line without what only means something at a line's start (a
/// quote's `>`, a heading's `#`, a list marker `- `, `* `, `+ `, `1. `, a task's `[ ]`), the
/// lines joined by single spaces.
fn inline(markdown: &str) -> String {
    let unlisted = |line: &str| -> String {
        let mut line = line.trim();
        while let Some(quoted) = line.strip_prefix('>') {
            line = quoted.trim_start();
        }
        let hashes = line.len() - line.trim_start_matches('#').len();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            line = line[hashes..].trim_start();
        }
        let after_bullet = ["- ", "* ", "+ "]
            .iter()
            .find_map(|bullet| line.strip_prefix(bullet));
        let after_number = line
            .split_once(['.', ')'])
            .filter(|(number, rest)| {
                !number.is_empty()
                    && number.len() <= 9
                    && number.bytes().all(|b| b.is_ascii_digit())
                    && rest.starts_with(' ')
            })
            .map(|(_, rest)| rest);
        let item = after_bullet.or(after_number).unwrap_or(line).trim();
        ["[ ] ", "[x] ", "[X] "]
            .iter()
            .find_map(|task| item.strip_prefix(task))
            .unwrap_or(item)
            .trim()
            .to_owned()
    };
    let lines: Vec<String> = markdown
        .lines()
        .map(unlisted)
        .filter(|line| !line.is_empty())
        .collect();
    squash(&lines.join(" "))
}

/// A title on one line, its spaces single.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A worksheet file read: what it is, its front matter, and its body padded with empty lines
/// so that the body's lines keep the file's numbers in error messages.
fn worksheet(
    template: &str,
    file_name: &str,
    shown: &Path,
    text: &str,
) -> Result<(Worksheet, Front, String, usize, String), Diagnostics> {
    let Some(split) = frontmatter::split(text) else {
        return Err(Diagnostic::file_error(
            shown,
            "a worksheet starts with front matter between two `---` lines",
        )
        .with_help("start the file with `---`, a line `title: …`, and `---`")
        .into());
    };
    let front: Front = yaml::parse(shown, split.yaml, text, split.yaml_first_line)?;
    let stage = match front.stage {
        None => None,
        Some(number) => Some(Stage::new(number).ok_or_else(|| {
            Diagnostic::file_error(shown, format!("`stage: {number}` is not a stage"))
                .with_help("write a stage from 1 to 4, or leave `stage` out")
        })?),
    };
    let stem = file_name
        .trim_end_matches(".md")
        .rsplit('/')
        .next()
        .unwrap_or(file_name)
        .to_owned();
    let sheet = Worksheet {
        stem,
        template: template.to_owned(),
        stage,
        all_stages: front.all_stages.unwrap_or(stage.is_some()),
        handout: front.handout,
        order: front
            .order
            .unwrap_or_else(|| stage.map_or(100, |s| i64::from(s.number()) * 10)),
    };
    let body = "\n".repeat(split.body_first_line - 1) + split.body;
    Ok((
        sheet,
        front,
        body,
        split.yaml_first_line,
        split.yaml.to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_loses_its_line_start_markers_and_line_breaks() {
        assert_eq!(
            inline(
                "We propose:\n\n- load the lists, and\n* pay a fee.\n\n2. Then  this.\n3) And that. 4. Not this"
            ),
            "We propose: load the lists, and pay a fee. Then this. And that. 4. Not this"
        );
        assert_eq!(inline("3.5 million"), "3.5 million");
        assert_eq!(
            inline("> Quoted,\n> > twice.\n## A heading\n- [ ] open\n- [x] done\n#hashtag"),
            "Quoted, twice. A heading open done #hashtag"
        );
    }
}
