//! The workbook style: `themes/<name>/theme.yaml`, read through the YAML module.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::site::Paper;
use crate::source::diagnostic::relative_to;
use crate::source::{Diagnostic, Diagnostics, Located, files, yaml};

/// `theme.yaml` as written.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    pub(crate) fonts: FontFiles,
    pub(crate) margins: Margins,
    pub(crate) sizes: Sizes,
    pub(crate) line_height: f32,
    /// Points between the ruled lines of an answer space.
    pub(crate) ruled_line_gap: f32,
    pub(crate) colours: Colours,
    /// The printed guide's own type size and measure; without it, the workbooks' are used.
    #[serde(default)]
    pub(crate) guide: Option<GuideSizes>,
    /// The scripts people may type into a workbook's fields: the regular face carries their
    /// letters in every workbook with fields. All three unless the theme says fewer.
    #[serde(default = "every_script")]
    pub(crate) typing: Vec<Script>,
}

/// A script whose letters a form field keeps (see [`super::fonts`] for what each holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Script {
    /// Latin with the letters Polish, Czech, Turkish, Romanian and Vietnamese add.
    Latin,
    /// Monotonic Greek.
    Greek,
    /// Cyrillic: Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian.
    Cyrillic,
}

fn every_script() -> Vec<Script> {
    vec![Script::Latin, Script::Greek, Script::Cyrillic]
}

/// The guide is read, not written in: a larger type on a shorter line.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GuideSizes {
    /// The body type size in points.
    pub(crate) body: f32,
    /// The width of a line of text in millimetres, centred on the page.
    pub(crate) measure: f32,
}

/// Font files, relative to the theme folder.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FontFiles {
    pub(crate) regular: Located<String>,
    pub(crate) bold: Located<String>,
    pub(crate) italic: Located<String>,
    pub(crate) bold_italic: Located<String>,
}

/// Millimetres.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Margins {
    pub(crate) top: f32,
    pub(crate) bottom: f32,
    pub(crate) inner: f32,
    pub(crate) outer: f32,
}

/// Points.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Sizes {
    pub(crate) body: f32,
    pub(crate) small: f32,
    pub(crate) title: f32,
    pub heading1: f32,
    pub heading2: f32,
    pub heading3: f32,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Colours {
    pub(crate) text: Located<String>,
    pub(crate) muted: Located<String>,
    pub(crate) accent: Located<String>,
    pub(crate) rule: Located<String>,
    pub(crate) fill: Located<String>,
}

/// An RGB colour, each channel 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

/// The style, resolved: points everywhere, colours parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub(crate) page_width: f32,
    pub(crate) page_height: f32,
    pub(crate) margin_top: f32,
    pub(crate) margin_bottom: f32,
    pub(crate) margin_inner: f32,
    pub(crate) margin_outer: f32,
    pub(crate) body: f32,
    pub(crate) small: f32,
    pub(crate) title: f32,
    pub(crate) heading: [f32; 3],
    pub(crate) line_height: f32,
    pub ruled_line_gap: f32,
    pub(crate) text: Rgb,
    pub(crate) muted: Rgb,
    pub(crate) accent: Rgb,
    pub(crate) rule: Rgb,
    pub(crate) fill: Rgb,
    /// The guide's body size and measure in points, if the theme sets them.
    pub(crate) guide: Option<(f32, f32)>,
}

const MM: f32 = 72.0 / 25.4;

impl Style {
    /// The width text may take.
    pub(crate) fn measure(&self) -> f32 {
        self.page_width - self.margin_inner - self.margin_outer
    }

    /// This style with `accent` (red, green, blue) for headings and marks.
    pub(crate) fn with_accent(&self, [r, g, b]: [u8; 3]) -> Style {
        let channel = |v: u8| f32::from(v) / 255.0;
        Style {
            accent: Rgb(channel(r), channel(g), channel(b)),
            ..self.clone()
        }
    }

    /// The style of the printed guide: the theme's guide size on its measure, centred, with
    /// the small size scaled alike; the workbooks' style where the theme sets none.
    pub(crate) fn for_the_guide(&self) -> Style {
        let Some((body, measure)) = self.guide else {
            return self.clone();
        };
        // Never wider than the workbooks' text: a measure past the page keeps their margins.
        let least = self.margin_inner.max(self.margin_outer);
        let margin = ((self.page_width - measure) / 2.0).max(least);
        Style {
            body,
            small: self.small * body / self.body,
            margin_inner: margin,
            margin_outer: margin,
            ..self.clone()
        }
    }
}

/// Reads `theme_dir/theme.yaml` for `paper`. Returns the style and the theme file (for fonts).
pub fn load(
    theme_dir: &Path,
    root: &Path,
    paper: Paper,
) -> Result<(Style, ThemeFile), Diagnostics> {
    let path = theme_dir.join("theme.yaml");
    let shown = relative_to(&path, root);
    files::inside(&path, theme_dir, root, &shown)?;
    let text = files::read_text(&path, &shown)?;
    let file: ThemeFile = yaml::parse(&shown, &text, &text, 1)?;
    let colour = |c: &Located<String>| {
        parse_colour(&c.value).ok_or_else(|| {
            Diagnostic::at(
                &shown,
                &text,
                c.line,
                c.column,
                format!("`{}` is not a colour", c.value),
            )
            .with_help("write a colour as #rrggbb, e.g. \"#1f2328\" (in quotes)")
        })
    };
    let (page_width, page_height) = match paper {
        Paper::A4 => (595.28, 841.89),
        Paper::Letter => (612.0, 792.0),
    };
    let style = Style {
        page_width,
        page_height,
        margin_top: file.margins.top * MM,
        margin_bottom: file.margins.bottom * MM,
        margin_inner: file.margins.inner * MM,
        margin_outer: file.margins.outer * MM,
        body: file.sizes.body,
        small: file.sizes.small,
        title: file.sizes.title,
        heading: [
            file.sizes.heading1,
            file.sizes.heading2,
            file.sizes.heading3,
        ],
        line_height: file.line_height,
        ruled_line_gap: file.ruled_line_gap,
        text: colour(&file.colours.text)?,
        muted: colour(&file.colours.muted)?,
        accent: colour(&file.colours.accent)?,
        rule: colour(&file.colours.rule)?,
        fill: colour(&file.colours.fill)?,
        guide: file.guide.as_ref().map(|g| (g.body, g.measure * MM)),
    };
    check_numbers(&file, &style).map_err(|(name, value, least, most)| {
        let range = if most == f32::MAX {
            format!("at least {least}")
        } else {
            format!("between {least} and {most}")
        };
        Diagnostic::file_error(&shown, format!("{name} is {value}; it must be {range}"))
            .with_help("sizes are points (body text about 10 to 12), margins millimetres (about 15 to 25), line_height a factor such as 1.4")
    })?;
    Ok((style, file))
}

/// Each number of `theme.yaml` in its range (a size of `.nan` or a margin wider than the page
/// would lay out nothing readable), and a line of text left between the margins.
fn check_numbers(file: &ThemeFile, style: &Style) -> Result<(), (&'static str, f32, f32, f32)> {
    let s = &file.sizes;
    let m = &file.margins;
    let guide = file.guide.as_ref();
    let checks: [(&'static str, Option<f32>, f32, f32); 16] = [
        ("sizes.body", Some(s.body), 4.0, 72.0),
        ("sizes.small", Some(s.small), 4.0, 72.0),
        ("sizes.title", Some(s.title), 4.0, 144.0),
        ("sizes.heading1", Some(s.heading1), 4.0, 144.0),
        ("sizes.heading2", Some(s.heading2), 4.0, 144.0),
        ("sizes.heading3", Some(s.heading3), 4.0, 144.0),
        ("margins.top", Some(m.top), 0.0, 100.0),
        ("margins.bottom", Some(m.bottom), 0.0, 100.0),
        ("margins.inner", Some(m.inner), 0.0, 100.0),
        ("margins.outer", Some(m.outer), 0.0, 100.0),
        ("line_height", Some(file.line_height), 0.8, 4.0),
        ("ruled_line_gap", Some(file.ruled_line_gap), 8.0, 100.0),
        ("guide.body", guide.map(|g| g.body), 4.0, 72.0),
        ("guide.measure", guide.map(|g| g.measure), 40.0, 400.0),
        (
            "the page's width between the margins",
            Some(style.measure()),
            100.0,
            f32::MAX,
        ),
        (
            "the page's height between the margins",
            Some(style.page_height - style.margin_top - style.margin_bottom),
            150.0,
            f32::MAX,
        ),
    ];
    for (name, value, least, most) in checks {
        if let Some(value) = value
            && !(value.is_finite() && (least..=most).contains(&value))
        {
            return Err((name, value, least, most));
        }
    }
    Ok(())
}

fn parse_colour(text: &str) -> Option<Rgb> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| {
        u8::from_str_radix(&hex[i..i + 2], 16)
            .ok()
            .map(|v| f32::from(v) / 255.0)
    };
    Some(Rgb(channel(0)?, channel(2)?, channel(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex_triplets() {
        assert_eq!(parse_colour("#ff0000"), Some(Rgb(1.0, 0.0, 0.0)));
        assert_eq!(parse_colour("red"), None);
        assert_eq!(parse_colour("#ff00"), None);
    }

    #[test]
    fn numbers_out_of_their_range_are_refused() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (style, mut file) = load(&root.join("themes/default"), root, Paper::A4).unwrap();
        assert_eq!(check_numbers(&file, &style), Ok(()));
        file.sizes.body = f32::NAN;
        assert_eq!(check_numbers(&file, &style).unwrap_err().0, "sizes.body");
        file.sizes.body = 10.0;
        file.line_height = f32::INFINITY;
        assert_eq!(check_numbers(&file, &style).unwrap_err().0, "line_height");
        file.line_height = 1.4;
        let narrow = Style {
            margin_inner: 500.0,
            ..style
        };
        assert_eq!(
            check_numbers(&file, &narrow).unwrap_err().0,
            "the page's width between the margins"
        );
    }

    #[test]
    fn the_default_theme_loads_for_both_papers() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let theme = root.join("themes/default");
        let (a4, _) = load(&theme, root, Paper::A4).unwrap();
        let (letter, _) = load(&theme, root, Paper::Letter).unwrap();
        assert!(a4.page_height > letter.page_height);
        assert!(a4.measure() > 400.0);
    }
}
