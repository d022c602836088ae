//! The guide: Markdown pages whose front matter also defines the briefing questions and the
//! reservation themes that the data answers and the workbooks print.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Stage;
use crate::source::markdown::{self, Heading};
use crate::source::{Diagnostic, Diagnostics, Located, files, frontmatter, yaml};

/// A guide page's front matter.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    /// Position in the guide; no two pages share one.
    pub order: Located<i64>,
    /// One sentence, shown in lists and under the title.
    #[serde(default)]
    pub summary: Option<String>,
    /// The stage (1 to 4) this page teaches.
    #[serde(default)]
    pub stage: Option<Located<u8>>,
    #[serde(default)]
    pub(crate) vcp: Option<Vcp>,
    /// Briefing questions defined by this page.
    #[serde(default)]
    pub(crate) questions: Vec<Question>,
    /// Reservation themes defined by this page.
    #[serde(default)]
    pub(crate) themes: Vec<ReservationTheme>,
    /// Who the page is for: `owner` keeps it off the public site (default `everyone`).
    #[serde(default)]
    pub(crate) audience: Audience,
}

/// Who a guide page is written for.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Audience {
    /// The owner alone: the page is on the private site and in the printed guide only.
    Owner,
    /// Every reader: the page is on both sites.
    #[default]
    Everyone,
}

/// Ivan Misner's Visibility–Credibility–Profitability phases.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Vcp {
    Visibility,
    Credibility,
    Profitability,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique across the guide; partner answers name it.
    pub id: Located<String>,
    pub(crate) part: Part,
    pub(crate) text: String,
    /// Ruled lines for a handwritten answer.
    #[serde(default = "default_lines")]
    pub(crate) lines: u32,
}

fn default_lines() -> u32 {
    4
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Part {
    Business,
    Personal,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationTheme {
    /// Unique across the guide; reservations name it.
    pub id: Located<String>,
    pub(crate) title: String,
    /// How to raise it with the other side.
    pub(crate) prompt: String,
}

/// One page of the guide, read and rendered.
#[derive(Debug, Clone)]
pub struct GuidePage {
    /// The file name, e.g. `03-briefings.md`; links name it.
    pub(crate) file_name: String,
    /// The page's name in the output, e.g. `03-briefings`.
    pub slug: String,
    /// The file, relative to the site root, for messages.
    pub(crate) path: PathBuf,
    pub front: FrontMatter,
    pub html: String,
    /// The page's HTML for the public site where it differs: links to pages for the owner
    /// alone keep their text and lose their address there.
    pub(crate) public_html: Option<String>,
    /// The body as walked once (see [`markdown`]), for renderers other than HTML.
    pub(crate) events: std::sync::Arc<[pulldown_cmark::Event<'static>]>,
    /// The Markdown body as written, for checks of its characters.
    pub(crate) markdown: String,
    pub(crate) headings: Vec<Heading>,
}

impl GuidePage {
    /// The stage this page teaches, if any (a number other than 1 to 4 is an error on loading).
    pub(crate) fn stage(&self) -> Option<Stage> {
        self.front.stage.as_ref().and_then(|s| Stage::new(s.value))
    }

    /// Whether the page is on the public site.
    pub(crate) fn is_public(&self) -> bool {
        self.front.audience == Audience::Everyone
    }

    /// The page's HTML on the public site (`public`) or the private one.
    pub(crate) fn html_for(&self, public: bool) -> &str {
        match &self.public_html {
            Some(html) if public => html,
            _ => &self.html,
        }
    }
}

/// The whole guide, in `order`, with its questions and themes indexed by id.
#[derive(Debug, Clone, Default)]
pub struct Guide {
    pub pages: Vec<GuidePage>,
}

impl Guide {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|p| p.front.questions.iter())
    }

    pub fn themes(&self) -> impl Iterator<Item = &ReservationTheme> {
        self.pages.iter().flat_map(|p| p.front.themes.iter())
    }

    pub(crate) fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id.value == id)
    }

    pub(crate) fn theme(&self, id: &str) -> Option<&ReservationTheme> {
        self.themes().find(|t| t.id.value == id)
    }

    /// The page that teaches `stage`, if any.
    pub fn stage_page(&self, stage: Stage) -> Option<&GuidePage> {
        self.pages.iter().find(|p| p.stage() == Some(stage))
    }

    /// The pages of the public site (`public`) or the private one, in order.
    pub(crate) fn pages_for(&self, public: bool) -> Vec<&GuidePage> {
        self.pages
            .iter()
            .filter(|p| !public || p.is_public())
            .collect()
    }
}

/// The text of every guide file read, by its path relative to the site root, including the
/// files that did not load; a long-running preview compares them to see which pages changed.
pub(crate) type Texts = BTreeMap<PathBuf, String>;

/// Reads every `*.md` file of `dir` (the guide folder), reporting every problem into `problems`.
/// `root` is the site root, for the names in messages.
pub(crate) fn load(dir: &Path, root: &Path, problems: &mut Diagnostics) -> (Guide, Texts) {
    let listed = match files::list(dir, dir, root, false, |p: &Path| {
        p.extension().is_some_and(|e| e == "md")
    }) {
        Ok(listed) => listed,
        Err(error) => {
            problems.push(Diagnostic::file_error(
                crate::source::diagnostic::relative_to(dir, root),
                format!("cannot read the guide folder: {error}"),
            ));
            return (Guide::default(), Texts::new());
        }
    };
    let mut texts = Texts::new();
    let mut pages: Vec<(GuidePage, Vec<markdown::GuideLink>, String)> = Vec::new();
    for entry in listed {
        let (file, shown) = (entry.path, entry.shown);
        if let Some(problem) = entry.problem {
            problems.push(problem);
            continue;
        }
        let text = match files::read_text(&file, &shown) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        texts.insert(shown.clone(), text.clone());
        match read_page(&file, &shown, &text) {
            Ok((page, links)) => pages.push((page, links, text)),
            Err(found) => problems.extend(found),
        }
    }
    pages.sort_by(|a, b| {
        (a.0.front.order.value, &a.0.file_name).cmp(&(b.0.front.order.value, &b.0.file_name))
    });
    check_links(&pages, problems);
    check_definitions(&pages, problems);
    unlink_owner_pages(&mut pages);
    let guide = Guide {
        pages: pages.into_iter().map(|(page, _, _)| page).collect(),
    };
    (guide, texts)
}

fn read_page(
    file: &Path,
    shown: &Path,
    text: &str,
) -> Result<(GuidePage, Vec<markdown::GuideLink>), Diagnostics> {
    let split = frontmatter::split(text).ok_or_else(|| {
        Diagnostic::at(shown, text, 1, 1, "a guide page must begin with front matter").with_help(
            "start the file with a line `---`, then `title: ...` and `order: ...`, then another `---`",
        )
    })?;
    let mut front: FrontMatter = yaml::parse(shown, split.yaml, text, split.yaml_first_line)?;
    // Front matter is prose written in YAML: it gets the typography of the Markdown around it.
    front.title = markdown::smarten(&front.title);
    front.summary = front.summary.as_deref().map(markdown::smarten);
    for question in &mut front.questions {
        question.text = markdown::smarten(&question.text);
    }
    for theme in &mut front.themes {
        theme.title = markdown::smarten(&theme.title);
        theme.prompt = markdown::smarten(&theme.prompt);
    }
    let offset = split.yaml_first_line - 1;
    let lines = front
        .questions
        .iter_mut()
        .map(|q| &mut q.id.line)
        .chain(front.themes.iter_mut().map(|t| &mut t.id.line))
        .chain(front.stage.iter_mut().map(|s| &mut s.line))
        .chain(std::iter::once(&mut front.order.line));
    for line in lines {
        *line += offset;
    }
    let body = markdown::render_guide(split.body);
    let links = body
        .links
        .into_iter()
        .map(|mut link| {
            link.line += split.body_first_line - 1;
            link
        })
        .collect();
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = file_name.trim_end_matches(".md").to_owned();
    if !super::is_valid_id(&slug) {
        return Err(Diagnostic::file_error(
            shown,
            format!("`{file_name}` cannot be the name of a guide page: its name becomes the page's web address"),
        )
        .with_help(format!(
            "use lower-case letters, digits and hyphens: rename it `{}.md`",
            super::slug(&slug)
        )).into());
    }
    if slug == "index" {
        return Err(Diagnostic::file_error(
            shown,
            "a guide page cannot be called index.md: that is the name of the guide's contents page",
        )
        .with_help("rename the file, e.g. `00-introduction.md`; `order:` in its front matter sets its place").into());
    }
    Ok((
        GuidePage {
            file_name,
            slug,
            path: shown.to_path_buf(),
            front,
            html: body.html,
            public_html: None,
            events: body.events.into(),
            markdown: split.body.to_owned(),
            headings: body.headings,
        },
        links,
    ))
}

/// Gives each public page that links to a page for the owner alone its public HTML, where those
/// links are text: the page they name is not on the public site.
fn unlink_owner_pages(pages: &mut [(GuidePage, Vec<markdown::GuideLink>, String)]) {
    let owner_pages: std::collections::HashSet<String> = pages
        .iter()
        .filter(|(p, _, _)| !p.is_public())
        .map(|(p, _, _)| p.slug.clone())
        .collect();
    if owner_pages.is_empty() {
        return;
    }
    for (page, links, _) in pages.iter_mut() {
        let links_to_owner_page = links.iter().any(|link| {
            link.file
                .as_deref()
                .and_then(|f| f.strip_suffix(".md"))
                .is_some_and(|stem| owner_pages.contains(stem))
        });
        if page.is_public() && links_to_owner_page {
            page.public_html = Some(markdown::html_unlinking(&page.events, &owner_pages));
        }
    }
}

/// Every link to a guide file must name a page that exists, and its anchor a heading on it.
fn check_links(
    pages: &[(GuidePage, Vec<markdown::GuideLink>, String)],
    problems: &mut Diagnostics,
) {
    let by_file: HashMap<&str, &GuidePage> = pages
        .iter()
        .map(|(p, _, _)| (p.file_name.as_str(), p))
        .collect();
    for (page, links, text) in pages {
        for link in links {
            let broken = |message: String, wrong: &str, candidates: Vec<&str>| {
                Diagnostic::at(&page.path, text, link.line, link.column, message)
                    .with_help(crate::source::diagnostic::suggestion(wrong, candidates))
            };
            let target_name = link.file.as_deref().unwrap_or(&page.file_name);
            let Some(target) = by_file.get(target_name) else {
                problems.push(broken(
                    format!("link to `{target_name}`, which is not a page of the guide"),
                    target_name,
                    by_file.keys().copied().collect(),
                ));
                continue;
            };
            if let Some(anchor) = &link.anchor
                && !target.headings.iter().any(|h| &h.anchor == anchor)
            {
                problems.push(broken(
                    format!("link to `#{anchor}`, which is not a heading of `{target_name}`"),
                    anchor,
                    target.headings.iter().map(|h| h.anchor.as_str()).collect(),
                ));
            }
        }
    }
}

/// Question and theme ids are unique across the guide, and so are the pages' `order`s;
/// stages are 1 to 4. `pages` are in order.
fn check_definitions(
    pages: &[(GuidePage, Vec<markdown::GuideLink>, String)],
    problems: &mut Diagnostics,
) {
    for pair in pages.windows(2) {
        let ((first, _, _), (second, _, text)) = (&pair[0], &pair[1]);
        let order = &second.front.order;
        if first.front.order.value == order.value {
            problems.push(
                Diagnostic::at(
                    &second.path,
                    text,
                    order.line,
                    order.column,
                    format!(
                        "`order: {}` is also the order of {}",
                        order.value,
                        first.path.display()
                    ),
                )
                .with_help("give each page its own `order`: it sets the page's place in the guide"),
            );
        }
    }
    let mut seen: BTreeMap<(&str, &str), &Path> = BTreeMap::new();
    for (page, _, text) in pages {
        let ids = page
            .front
            .questions
            .iter()
            .map(|q| ("question", &q.id))
            .chain(page.front.themes.iter().map(|t| ("theme", &t.id)));
        for (what, id) in ids {
            if let Some(first) = seen.insert((what, id.value.as_str()), &page.path) {
                problems.push(
                    Diagnostic::at(
                        &page.path,
                        text,
                        id.line,
                        id.column,
                        format!("the {what} id `{}` is defined twice", id.value),
                    )
                    .with_help(format!(
                        "it is already defined in {}; give this one another id",
                        first.display()
                    )),
                );
            }
        }
        if let Some(stage) = &page.front.stage
            && Stage::new(stage.value).is_none()
        {
            problems.push(
                Diagnostic::at(
                    &page.path,
                    text,
                    stage.line,
                    stage.column,
                    format!("there is no stage {}", stage.value),
                )
                .with_help("the method has four stages: write 1, 2, 3 or 4"),
            );
        }
    }
}
