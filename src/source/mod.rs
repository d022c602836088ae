//! Reading: files, YAML with positions, front matter, Markdown, and the diagnostics they raise.

pub mod diagnostic;
pub mod files;
pub mod frontmatter;
pub mod markdown;
pub mod yaml;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub(crate) use yaml::{Date, Located};
