//! The inputs of a build, named as precisely as the outputs need: what the engine records for
//! every job it renders, and what the model's sources and the theme report as changed after a
//! save.

use std::path::PathBuf;

/// One input of a build.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// `site.yaml`, and the `as_of` in force: everything depends on it.
    Config,
    /// One guide page, by its file relative to the site root.
    GuidePage(PathBuf),
    /// One partner file, by partner id.
    Partner(String),
    /// One template of the theme, by name.
    Template(String),
    /// The theme's `theme.yaml` and fonts, which only the PDFs use.
    Style,
    /// The theme's `static/` folder.
    Static,
}
