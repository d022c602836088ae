//! The theme's Tera 2 templates: loaded once per build, rendered many times, with template
//! errors turned into diagnostics that point at the template file, line and column. The
//! site's HTML templates are loaded here; the workbooks' Markdown templates by
//! `workbook::worksheets`, through [`Templates::from_sources`]. Both get the theme's words
//! ([`register_words`]): `{{ "key" | t }}`, `{{ day | date }}` and `{{ amount | money }}` in
//! the site's language.
//!
//! Which templates a template uses (`extends`, `include`, `import`, components) is read here
//! by hand, with a scan of its tags: Tera does not say, and a rebuild needs to know which pages
//! a template edit touches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera};

use std::sync::Arc;

use crate::model::strings::{Strings, fill};
use crate::source::diagnostic::relative_to;
use crate::source::{Date, Diagnostic, Diagnostics, files};

/// The templates every theme provides.
pub(crate) const REQUIRED: [&str; 8] = [
    "base.html",
    "guide_index.html",
    "guide_page.html",
    "dashboard.html",
    "partner.html",
    "public_dashboard.html",
    "public_partner.html",
    "recommendations.html",
];

pub(crate) struct Templates {
    tera: Tera,
    /// (template name, file relative to the site root, source) for error messages.
    sources: Vec<(String, PathBuf, String)>,
    /// For each template: itself and every template it extends, includes or imports, directly
    /// or through others.
    uses: HashMap<String, Vec<String>>,
}

impl Templates {
    /// Loads every `*.html` file of `theme_dir/templates`, with the words of `strings`.
    pub(crate) fn load(
        theme_dir: &Path,
        root: &Path,
        strings: &Arc<Strings>,
    ) -> Result<Templates, Diagnostics> {
        let mut problems = Diagnostics::new();
        let dir = theme_dir.join("templates");
        let mut sources = Vec::new();
        let is_template = |p: &Path| p.extension().is_some_and(|e| e == "html" || e == "xml");
        for entry in files::readable(
            &dir,
            theme_dir,
            root,
            is_template,
            "templates",
            &mut problems,
        ) {
            let name = relative_to(&entry.path, &dir)
                .to_string_lossy()
                .replace('\\', "/");
            match files::read_text(&entry.path, &entry.shown) {
                Ok(text) => sources.push((name, entry.shown, text)),
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
        if problems.has_errors() {
            return Err(problems);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        register_words(&mut tera, strings, Markup::Html);
        Templates::from_sources(tera, sources).map_err(Diagnostics::from)
    }

    /// Templates from `sources` (name, file relative to the site root, text whose line `n` is
    /// line `n` of that file), compiled by `tera`, which has its filters and functions.
    pub(crate) fn from_sources(
        mut tera: Tera,
        sources: Vec<(String, PathBuf, String)>,
    ) -> Result<Templates, Diagnostic> {
        let loaded = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, _, text)| (name.as_str(), text.as_str())),
        );
        if let Err(error) = loaded {
            return Err(diagnose(&sources, &error));
        }
        let uses = uses(&sources);
        Ok(Templates {
            tera,
            sources,
            uses,
        })
    }

    /// Template `name` and every template it uses, directly or not.
    pub(crate) fn uses(&self, name: &str) -> &[String] {
        self.uses.get(name).map_or(&[], Vec::as_slice)
    }

    /// The templates whose source differs from `earlier`'s, or that only one of the two has.
    pub(crate) fn changed_since(&self, earlier: &Templates) -> Vec<String> {
        fn source<'a>(templates: &'a Templates, name: &str) -> Option<&'a str> {
            templates
                .sources
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, _, text)| text.as_str())
        }
        let mut names: Vec<String> = self
            .sources
            .iter()
            .chain(&earlier.sources)
            .map(|(name, _, _)| name.clone())
            .filter(|name| source(self, name) != source(earlier, name))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// The file template `name` was read from, relative to the site root.
    pub(crate) fn file_of(&self, name: &str) -> Option<&Path> {
        self.sources
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, file, _)| file.as_path())
    }

    /// Every template's name.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|(name, _, _)| name.as_str())
    }

    /// Renders template `name` with `context`, whose fields become the template's variables.
    pub(crate) fn render<T: Serialize>(
        &self,
        name: &str,
        context: &T,
    ) -> Result<String, Diagnostic> {
        self.render_in(name, &self.context(context)?)
    }

    /// `context` as the variables of a template, to render several templates with.
    pub(crate) fn context<T: Serialize>(&self, context: &T) -> Result<Context, Diagnostic> {
        Context::from_serialize(context).map_err(|error| diagnose(&self.sources, &error))
    }

    /// Renders template `name` with variables made by [`Templates::context`].
    pub(crate) fn render_in(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|error| diagnose(&self.sources, &error))
    }
}

/// For each template, the closure of the templates it uses: those it names in `extends`,
/// `include` and `import` tags, and, when it calls a component (`{{ <Badge /> }}`), every
/// template that defines one, because a component can be called from any template. A tag that
/// names its template with an expression rather than a string could use any template, so it
/// counts as using them all.
fn uses(sources: &[(String, PathBuf, String)]) -> HashMap<String, Vec<String>> {
    let all: Vec<String> = sources.iter().map(|(name, _, _)| name.clone()).collect();
    let scans: Vec<(&str, Scan)> = sources
        .iter()
        .map(|(name, _, text)| (name.as_str(), scan(text)))
        .collect();
    let component_templates: Vec<String> = scans
        .iter()
        .filter(|(_, scan)| scan.defines_component)
        .map(|(name, _)| (*name).to_owned())
        .collect();
    let direct: HashMap<&str, Vec<String>> = scans
        .into_iter()
        .map(|(name, scan)| {
            let mut used = scan.names.unwrap_or_else(|| all.clone());
            if scan.calls_component {
                used.extend(component_templates.iter().cloned());
            }
            (name, used)
        })
        .collect();
    sources
        .iter()
        .map(|(name, _, _)| {
            let mut seen = vec![name.clone()];
            let mut next = 0;
            while let Some(current) = seen.get(next).cloned() {
                for used in direct.get(current.as_str()).into_iter().flatten() {
                    if !seen.contains(used) {
                        seen.push(used.clone());
                    }
                }
                next += 1;
            }
            seen.sort();
            (name.clone(), seen)
        })
        .collect()
}

/// What a template's tags say about the other templates it uses.
struct Scan {
    /// The templates it names; `None` when a tag names one with an expression.
    names: Option<Vec<String>>,
    defines_component: bool,
    calls_component: bool,
}

fn scan(text: &str) -> Scan {
    let mut found = Scan {
        names: Some(Vec::new()),
        defines_component: false,
        calls_component: false,
    };
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let close = match after.chars().next() {
            Some('%') => "%}",
            Some('{') => "}}",
            _ => {
                rest = after;
                continue;
            }
        };
        let inner = &after[1..];
        let end = inner.find(close).unwrap_or(inner.len());
        let tag = inner[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        rest = &inner[end..];
        if tag.starts_with('<') {
            found.calls_component = true;
            continue;
        }
        let mut words = tag.splitn(2, char::is_whitespace);
        match words.next() {
            Some("component") if close == "%}" => found.defines_component = true,
            Some("extends" | "include" | "import") if close == "%}" => {
                let argument = words.next().unwrap_or("").trim_start();
                let quote = argument.chars().next().filter(|c| *c == '"' || *c == '\'');
                let name = quote.and_then(|q| argument[1..].split(q).next());
                match (name, &mut found.names) {
                    (Some(name), Some(names)) => names.push(name.to_owned()),
                    _ => found.names = None,
                }
            }
            _ => {}
        }
    }
    found
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

/// How the words of [`register_words`] meet the text around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    /// An HTML page: a string's own text is the theme's HTML (it may hold `<code>`), while the
    /// values filled into it are escaped unless they are safe already (`| safe`, a `{% set %}`
    /// block, the `time` filter), and a day can be printed as a `<time>` element.
    Html,
    /// A worksheet: everything is text, escaped as the worksheet's own escaping says.
    Text,
}

/// Gives `tera` the theme's words: `{{ "key" | t }}` prints the string `key` of the strings
/// file, with `{name}` placeholders filled from the filter's arguments (`t(name=partner.name)`)
/// and, given `count`, the plural form the language's rules choose; `{{ day | date }}` writes a
/// `YYYY-MM-DD` day as the language does (anything else, `none` too, is left as it is);
/// `{{ day | month }}` writes the name of its month; `{{ amount | money }}` writes a number
/// grouped as the language does (`none` is left as it is). In HTML, `{{ day | time }}` is the
/// day as a `<time>` element.
pub(crate) fn register_words(tera: &mut Tera, strings: &Arc<Strings>, markup: Markup) {
    let words = Arc::clone(strings);
    tera.register_filter(
        "t",
        move |key: &str, kwargs: Kwargs, state: &State| -> tera::TeraResult<tera::Value> {
            let count = kwargs.get::<f64>("count")?;
            let text = match count {
                Some(count) => words.counted(key, count),
                None => words.text(key),
            };
            let Some(text) = text else {
                return Err(tera::Error::message(format!(
                    "the theme's strings have no `{key}`{}",
                    if count.is_some() { " for a count" } else { "" }
                )));
            };
            let mut values = Vec::new();
            for (name, value) in kwargs.iter() {
                let shown = match markup {
                    Markup::Html if !value.is_safe() => state.escape(&shown_value(value))?,
                    _ => shown_value(value),
                };
                values.push((name.to_string(), shown));
            }
            let filled = fill(text, &values);
            Ok(match markup {
                Markup::Html => tera::Value::safe_string(&filled),
                Markup::Text => tera::Value::from(filled),
            })
        },
    );
    let words = Arc::clone(strings);
    tera.register_filter(
        "date",
        move |value: tera::Value, _: Kwargs, _: &State| match value.as_str().and_then(Date::parse) {
            Some(day) => tera::Value::from(words.date(day)),
            None => value,
        },
    );
    let words = Arc::clone(strings);
    tera.register_filter(
        "month",
        move |value: tera::Value, _: Kwargs, _: &State| match value.as_str().and_then(Date::parse) {
            Some(day) => tera::Value::from(words.month(day)),
            None => value,
        },
    );
    let words = Arc::clone(strings);
    tera.register_filter(
        "money",
        move |value: tera::Value, _: Kwargs, _: &State| match value.as_f64() {
            Some(amount) => tera::Value::from(words.money(amount)),
            None => value,
        },
    );
    if markup == Markup::Html {
        let words = Arc::clone(strings);
        tera.register_filter(
            "time",
            move |value: tera::Value, _: Kwargs, state: &State| -> tera::TeraResult<tera::Value> {
                Ok(match value.as_str().and_then(Date::parse) {
                    Some(day) => tera::Value::safe_string(&format!(
                        "<time datetime=\"{day}\">{}</time>",
                        state.escape(&words.date(day))?
                    )),
                    None => value,
                })
            },
        );
    }
}

/// A filter argument as a reader sees it: whole numbers without a decimal point.
fn shown_value(value: &tera::Value) -> String {
    match (value.as_i64(), value.as_f64(), value.as_str()) {
        (Some(whole), _, _) => whole.to_string(),
        (None, Some(number), _) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", number as i64)
        }
        (_, _, Some(text)) => text.to_owned(),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> (String, PathBuf, String) {
        (name.to_owned(), PathBuf::from(name), text.to_owned())
    }

    #[test]
    fn a_template_uses_what_it_extends_includes_and_imports_transitively() {
        let sources = [
            source(
                "base.html",
                "{% import \"macros.html\" as m %}<body>{% block b %}{% endblock %}",
            ),
            source("macros.html", "{% macro x() %}x{% endmacro %}"),
            source("_row.html", "<tr></tr>"),
            source(
                "page.html",
                "{% extends 'base.html' %}{%- include \"_row.html\" -%}",
            ),
            source("other.html", "{% if a %}{% endif %}"),
        ];
        let uses = uses(&sources);
        assert_eq!(
            uses["page.html"],
            ["_row.html", "base.html", "macros.html", "page.html"]
        );
        assert_eq!(uses["other.html"], ["other.html"]);
        assert_eq!(uses["_row.html"], ["_row.html"]);
    }

    #[test]
    fn a_template_that_calls_a_component_uses_every_template_that_defines_one() {
        let sources = [
            source(
                "components.html",
                "{% component Badge(label) %}<b>{{ label }}</b>{% endcomponent Badge %}",
            ),
            source(
                "partner.html",
                "<h1>{{ <Badge label=\"x\" /> }}{{ page.name }}</h1>",
            ),
            source(
                "wrapped.html",
                "{%- <Badge label=\"y\"> -%}body{% </Badge> %}",
            ),
            source("plain.html", "{{ page.name }}"),
        ];
        let uses = uses(&sources);
        assert_eq!(uses["partner.html"], ["components.html", "partner.html"]);
        assert_eq!(uses["wrapped.html"], ["components.html", "wrapped.html"]);
        assert_eq!(uses["plain.html"], ["plain.html"]);
    }

    #[test]
    fn a_template_named_by_an_expression_could_be_any() {
        let sources = [
            source("a.html", "{% include which %}"),
            source("b.html", "b"),
        ];
        assert_eq!(uses(&sources)["a.html"], ["a.html", "b.html"]);
    }

    /// Templates `sources` with the words of a theme whose English file is `english`.
    fn with_words(english: &str, markup: Markup, sources: &[(&str, &str)]) -> Templates {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(crate::model::strings::STRINGS_FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        let bundled = include_str!("../themes/default/strings/en.yaml");
        std::fs::write(folder.join("en.yaml"), format!("{bundled}\n{english}")).unwrap();
        let (strings, _) = Strings::load(dir.path(), dir.path(), "en").unwrap();
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        register_words(&mut tera, &Arc::new(strings), markup);
        let sources = sources
            .iter()
            .map(|(name, text)| source(name, text))
            .collect();
        Templates::from_sources(tera, sources).unwrap()
    }

    #[test]
    fn in_a_page_a_strings_markup_stays_and_what_fills_it_is_escaped() {
        let templates = with_words(
            "test:\n  note: \"Publish <code>{folder}</code> for {name}\"\n",
            Markup::Html,
            &[(
                "page.html",
                "{{ \"test.note\" | t(folder=\"output/site\", name=who) }}|\
                 {% set link %}<a href=\"x.html\">{{ who }}</a>{% endset %}{{ \"test.note\" | t(folder=\"f\", name=link) }}|\
                 {{ day | time }}|{{ amount | money }}",
            )],
        );
        let html = templates
            .render(
                "page.html",
                &serde_json::json!({ "who": "<b>Ana</b> & Co", "day": "2026-03-02", "amount": 1234.5 }),
            )
            .unwrap();
        let parts: Vec<&str> = html.split('|').collect();
        assert_eq!(
            parts[0],
            "Publish <code>output/site</code> for &lt;b&gt;Ana&lt;/b&gt; &amp; Co"
        );
        assert_eq!(
            parts[1],
            "Publish <code>f</code> for <a href=\"x.html\">&lt;b&gt;Ana&lt;/b&gt; &amp; Co</a>"
        );
        assert_eq!(parts[2], "<time datetime=\"2026-03-02\">2 Mar 2026</time>");
        assert_eq!(parts[3], "1,234.50");
    }

    #[test]
    fn in_a_worksheet_words_are_text_and_a_missing_one_is_an_error() {
        let templates = with_words(
            "test:\n  note: \"<{name}>\"\n",
            Markup::Text,
            &[
                ("sheet.md", "{{ \"test.note\" | t(name=\"a & b\") }}"),
                ("wrong.md", "{{ \"test.nothing\" | t }}"),
            ],
        );
        let context = serde_json::json!({});
        assert_eq!(templates.render("sheet.md", &context).unwrap(), "<a & b>");
        let error = templates.render("wrong.md", &context).unwrap_err();
        assert!(
            error
                .message
                .contains("the theme's strings have no `test.nothing`"),
            "{}",
            error.message
        );
    }
}
