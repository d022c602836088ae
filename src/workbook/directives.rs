//! What a worksheet template can draw besides Markdown: the print-only directives, and the
//! reading of a rendered worksheet (Markdown with directives in it) into [`Block`]s.
//!
//! A directive is a Tera function of the worksheet templates:
//!
//! | call | draws |
//! |---|---|
//! | `{{ field(name="stage1.why", lines=4, label="Why", value=…) }}` | ruled lines that are also a form field; with a `value`, that Markdown printed as filled in instead |
//! | `{{ fact(label="Name:", name="stage1.name", value=…) }}` | `Name: value`, or `Name:` and a line to write on |
//! | `{{ lines(name="stage2.contacts", labels=["1.", "2."], label="Contacts") }}` | one ruled line per label, the label at its start |
//! | `{{ choices(name="stage1.decision", label="Decision", options=[{"id": "go", "text": "Go"}], ticked="go") }}` | a box to tick per option, each a checkbox field `name.id` |
//! | `{{ logo(height=36) }}` | the branding's logo, `height` points high (nothing without one) |
//! | `{{ page_break() }}` | the next block starts a page |
//! | `{{ keep() }}` … `{{ end_keep() }}` | what is between stays on one page when it fits on one |
//!
//! A function writes its arguments as one JSON object between two U+E000 characters (a private
//! use character, which the worksheets' escaping removes from every value a template prints and
//! a directive's JSON writes as `\ue000`, so data can neither forge nor break a directive); [`read`] cuts the rendered text at them, hands the Markdown
//! between to [`MarkdownBlocks`] and turns each directive into its block. Written by hand: no
//! crate reads a Markdown dialect with form fields.

use serde::{Deserialize, Serialize};
use tera::{Kwargs, State, Tera, TeraResult};

use super::blocks::{Block, Choice, ExternalLinks, MarkdownBlocks, ParaStyle, Span};
use crate::model::branding::Logo;
use crate::source::markdown;

/// How high `logo()` draws the logo, in points, when it is not told.
const DEFAULT_LOGO_HEIGHT: f32 = 36.0;

/// The character that opens and closes a directive in a rendered worksheet.
pub(crate) const MARK: char = '\u{E000}';

/// One directive, as its function writes it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "directive", rename_all = "snake_case")]
enum Directive {
    Field {
        name: String,
        lines: Option<u32>,
        label: Option<String>,
        value: Option<String>,
    },
    Fact {
        label: String,
        name: String,
        value: Option<String>,
    },
    Lines {
        name: String,
        labels: Vec<String>,
        label: Option<String>,
    },
    Choices {
        name: String,
        label: String,
        options: Vec<ChoiceOption>,
        ticked: Option<String>,
    },
    PageBreak,
    Keep,
    EndKeep,
    Logo {
        height: Option<f32>,
    },
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct ChoiceOption {
    id: String,
    text: String,
}

/// A directive's function: its arguments, checked, written out as the directive.
struct DirectiveFunction(fn(Kwargs) -> TeraResult<Directive>);

impl tera::Function<TeraResult<String>> for DirectiveFunction {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<String> {
        let directive = (self.0)(kwargs)?;
        let json = serde_json::to_string(&directive).map_err(tera::Error::message)?;
        // The mark within a value is written as JSON's escape for it, which reads back the same.
        let json = json.replace(MARK, "\\ue000");
        Ok(format!("\n\n{MARK}{json}{MARK}\n\n"))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Arguments as the directive's fields; a `none` value is as good as leaving it out.
fn arguments<T: for<'de> Deserialize<'de>>(kwargs: &Kwargs, directive: &str) -> TeraResult<T> {
    kwargs
        .deserialize::<T>()
        .map_err(|error| tera::Error::message(format!("`{directive}(…)`: {error}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldArgs {
    name: String,
    lines: Option<u32>,
    label: Option<String>,
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactArgs {
    label: String,
    name: String,
    value: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinesArgs {
    name: String,
    labels: Vec<String>,
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoicesArgs {
    name: String,
    label: String,
    options: Vec<ChoiceOption>,
    ticked: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogoArgs {
    height: Option<f32>,
}

/// Registers the directives' functions with `tera`.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_function(
        "field",
        DirectiveFunction(|kwargs| {
            let args: FieldArgs = arguments(&kwargs, "field")?;
            Ok(Directive::Field {
                name: args.name,
                lines: args.lines,
                label: args.label,
                value: args.value,
            })
        }),
    );
    tera.register_function(
        "fact",
        DirectiveFunction(|kwargs| {
            let args: FactArgs = arguments(&kwargs, "fact")?;
            let value = args.value.and_then(|value| match value {
                serde_json::Value::Null => None,
                serde_json::Value::String(text) => Some(text),
                other => Some(other.to_string()),
            });
            Ok(Directive::Fact {
                label: args.label,
                name: args.name,
                value,
            })
        }),
    );
    tera.register_function(
        "lines",
        DirectiveFunction(|kwargs| {
            let args: LinesArgs = arguments(&kwargs, "lines")?;
            Ok(Directive::Lines {
                name: args.name,
                labels: args.labels,
                label: args.label,
            })
        }),
    );
    tera.register_function(
        "choices",
        DirectiveFunction(|kwargs| {
            let args: ChoicesArgs = arguments(&kwargs, "choices")?;
            Ok(Directive::Choices {
                name: args.name,
                label: args.label,
                options: args.options,
                ticked: args.ticked,
            })
        }),
    );
    tera.register_function(
        "logo",
        DirectiveFunction(|kwargs| {
            let args: LogoArgs = arguments(&kwargs, "logo")?;
            Ok(Directive::Logo {
                height: args.height,
            })
        }),
    );
    tera.register_function(
        "page_break",
        DirectiveFunction(|_| Ok(Directive::PageBreak)),
    );
    tera.register_function("keep", DirectiveFunction(|_| Ok(Directive::Keep)));
    tera.register_function("end_keep", DirectiveFunction(|_| Ok(Directive::EndKeep)));
}

/// The escaping of every value a worksheet template prints: the value as it is, without the
/// character that marks a directive.
pub(crate) fn escape(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.write_all(&rest.as_bytes()[..at])?;
        rest = &rest[at + MARK.len_utf8()..];
    }
    out.write_all(rest.as_bytes())
}

/// How worksheet Markdown reads: `#` is the sheet's title (a part in the outline), `##` a
/// section, `###` a subsection, `####` a bold label kept with what follows, and a quote a note.
fn markdown_blocks(continued: Option<String>) -> MarkdownBlocks<'static> {
    MarkdownBlocks {
        base: ParaStyle::default(),
        heading_offset: 0,
        deepest: 4,
        notes: true,
        anchor_prefix: None,
        continued,
    }
}

/// A rendered worksheet as blocks, `logo` the branding's (what `logo()` draws, if any). A
/// directive that does not read (only a template that writes the mark character itself makes
/// one) is an error naming it.
pub(crate) fn read(rendered: &str, logo: Option<&Logo>) -> Result<Vec<Block>, String> {
    let mut groups: Vec<Vec<Block>> = vec![Vec::new()];
    let pieces = rendered.split(MARK);
    let mut is_directive = false;
    for piece in pieces {
        if !is_directive {
            if !piece.trim().is_empty() {
                let blocks = groups.last_mut().expect("the outermost group stays");
                blocks.extend(
                    markdown_blocks(None).convert(&markdown::events(piece), &ExternalLinks),
                );
            }
        } else {
            let directive: Directive = serde_json::from_str(piece)
                .map_err(|_| format!("`{MARK}{piece}{MARK}` is not a directive"))?;
            match directive {
                Directive::Keep => groups.push(Vec::new()),
                Directive::EndKeep if groups.len() > 1 => {
                    let group = groups.pop().expect("more than one group");
                    groups
                        .last_mut()
                        .expect("the outermost group stays")
                        .push(Block::Keep(group));
                }
                Directive::EndKeep => {
                    return Err("`end_keep()` without a `keep()` before it".into());
                }
                other => groups
                    .last_mut()
                    .expect("the outermost group stays")
                    .extend(block(other, logo)),
            }
        }
        is_directive = !is_directive;
    }
    if groups.len() > 1 {
        return Err("`keep()` without an `end_keep()` after it".into());
    }
    Ok(groups.pop().unwrap_or_default())
}

/// The blocks of one directive.
fn block(directive: Directive, logo: Option<&Logo>) -> Vec<Block> {
    let present = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    match directive {
        Directive::Field {
            name,
            lines,
            label,
            value,
        } => {
            let label = label.unwrap_or_else(|| name.clone());
            match present(value) {
                Some(markdown) => {
                    let mut converter = markdown_blocks(Some(label));
                    converter.base.filled = true;
                    converter.heading_offset = 2;
                    converter.convert(&markdown::events(&markdown), &ExternalLinks)
                }
                None => vec![Block::ruled(name, lines.unwrap_or(3), label)],
            }
        }
        Directive::Fact { label, name, value } => match present(value) {
            Some(value) => vec![Block::text(vec![
                Span::bold(format!("{label} ")),
                Span::plain(value),
            ])],
            None => {
                let tooltip = label.trim_end_matches([':', ' ', '\u{a0}']).to_owned();
                vec![Block::labelled_lines(name, vec![label], tooltip)]
            }
        },
        Directive::Lines {
            name,
            labels,
            label,
        } => {
            let label = label.unwrap_or_else(|| name.clone());
            vec![Block::labelled_lines(name, labels, label)]
        }
        Directive::Choices {
            name,
            label,
            options,
            ticked,
        } => vec![Block::Choices {
            field: name,
            label,
            choices: options
                .into_iter()
                .map(|option| Choice {
                    ticked: ticked.as_deref() == Some(option.id.as_str()),
                    id: option.id,
                    text: option.text,
                })
                .collect(),
        }],
        Directive::PageBreak => vec![Block::PageBreak],
        Directive::Logo { height } => logo
            .map(|logo| Block::Image {
                logo: logo.clone(),
                height: height.unwrap_or(DEFAULT_LOGO_HEIGHT).clamp(6.0, 300.0),
            })
            .into_iter()
            .collect(),
        Directive::Keep | Directive::EndKeep => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> String {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.set_escape_fn(escape);
        tera.autoescape_on([""]);
        tera.add_raw_template("t.md", template).unwrap();
        let context = tera::Context::from_serialize(&serde_json::json!({
            "why": "We *share* clients.",
            "sneaky": format!("{MARK}{{\"directive\":\"page_break\"}}{MARK}"),
        }))
        .unwrap();
        tera.render("t.md", &context).unwrap()
    }

    #[test]
    fn directives_become_fields_and_markdown_stays_markdown() {
        let text = render(
            "# Title\n\n> A note.\n\n#### Why?\n\n{{ field(name=\"a.why\", lines=4, label=\"Why\") }}\n{{ field(name=\"a.why\", label=\"Why\", value=why) }}\n{{ fact(label=\"Name:\", name=\"a.name\") }}{{ fact(label=\"Met:\", name=\"a.met\", value=3) }}\n{{ choices(name=\"a.d\", label=\"Decision\", options=[{\"id\": \"go\", \"text\": \"Go\"}, {\"id\": \"no\", \"text\": \"No\"}], ticked=\"no\") }}{{ keep() }}kept{{ end_keep() }}{{ page_break() }}",
        );
        let blocks = read(&text, None).unwrap();
        assert!(matches!(
            &blocks[0],
            Block::Heading {
                level: 1,
                outline: true,
                ..
            }
        ));
        let Block::Paragraph { style, spans, .. } = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(style.tone, super::super::blocks::Tone::Muted);
        assert_eq!(spans[0].face, super::super::fonts::Face::Italic);
        assert!(matches!(
            &blocks[2],
            Block::Heading {
                level: 4,
                outline: false,
                ..
            }
        ));
        assert_eq!(blocks[3], Block::ruled("a.why", 4, "Why"));
        let Block::Paragraph {
            style,
            spans,
            continued,
        } = &blocks[4]
        else {
            panic!("{blocks:?}")
        };
        assert!(style.filled);
        assert_eq!(continued.as_deref(), Some("Why"));
        assert_eq!(spans[1].text, "share");
        assert_eq!(
            blocks[5],
            Block::labelled_lines("a.name", vec!["Name:".into()], "Name")
        );
        assert_eq!(
            blocks[6],
            Block::text(vec![Span::bold("Met: "), Span::plain("3")])
        );
        let Block::Choices { choices, .. } = &blocks[7] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            choices.iter().map(|c| c.ticked).collect::<Vec<_>>(),
            [false, true]
        );
        assert!(matches!(&blocks[8], Block::Keep(inner) if inner.len() == 1));
        assert_eq!(blocks[9], Block::PageBreak);
        assert_eq!(blocks.len(), 10);
    }

    #[test]
    fn the_mark_in_a_directives_value_reads_back_as_it_was() {
        let blocks = read(
            &render("{{ fact(label=\"Name:\", name=\"n\", value=sneaky) }}"),
            None,
        )
        .unwrap();
        let Block::Paragraph { spans, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert!(spans[1].text.contains(MARK), "{spans:?}");
    }

    #[test]
    fn data_cannot_forge_a_directive() {
        let blocks = read(&render("{{ sneaky }}"), None).unwrap();
        assert!(!blocks.contains(&Block::PageBreak), "{blocks:?}");
    }

    #[test]
    fn an_unbalanced_keep_is_named() {
        assert!(
            read(&render("{{ keep() }}x"), None)
                .unwrap_err()
                .contains("end_keep")
        );
        assert!(
            read(&render("x{{ end_keep() }}"), None)
                .unwrap_err()
                .contains("keep()")
        );
    }
}
