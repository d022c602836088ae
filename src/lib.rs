//! `advocate`: a static-site guide and workbook generator for advocacy relationships.
//!
//! # The pipeline
//!
//! ```text
//! site.yaml, content/, themes/
//!     │  source: read files (only ordinary ones, each part from its own folder), YAML with
//!     │          positions, front matter, the one Markdown walk, diagnostics
//!     ▼
//! model: Site (config, guide, partners) ── checked ── progress derived (stage, cadence, figures)
//!     ├── PublicView   (no field for anything private) ──► site ──► output/site
//!     ├── HandoutView  (the guide, the owner's public name, the branding) ──► workbook ──►
//!     │                 handouts, guide.pdf, course-pack.pdf
//!     └── Site itself ──► site ──► output/private;  ──► workbook ──► a partner's workbooks
//!          (every word of pages and PDFs from the theme's strings, through templates;
//!          paths and file types from artifact)
//!     ▼
//! engine: jobs and the inputs each reads, recorded; a rebuild renders only what changed
//!     ▼
//! output: one writer at a time (a lock), a staging folder, an atomic swap
//! serve:  the same engine in memory, behind a local HTTP server that reloads open tabs
//! ```
//!
//! Dependencies run one way, down this list; `tests/architecture.rs` fails on a circle between
//! top-level modules.
//!
//! # The modules
//!
//! - [`source`]: reading the user's files, and telling them what is wrong: the folder listing
//!   that follows only safe links ([`source::files`]), YAML ([`source::yaml`]), front matter,
//!   Markdown walked once for both renderers ([`source::markdown`]), diagnostics with file, line
//!   and column ([`source::diagnostic`]).
//! - [`model`]: what the files mean. `site.yaml`, partner files and guide pages as types; the
//!   checks across files; the [`model::Stage`]; progress derived from the data; the two
//!   projections that cannot hold private data ([`model::public`], [`model::handout`]); the
//!   inputs as last read, for rebuilds ([`model::sources`]).
//! - [`artifact`]: what a build makes and where it goes: output files, the two sites' folders,
//!   every path and address inside them.
//! - `templates`: the theme's Tera 2 templates and its words (the strings file of the site's
//!   language), shared by both renderers: loading, the `t`, `date` and `money` filters,
//!   errors at the template's line.
//! - `site`: the HTML renderer: one view per kind of page (`site::views`), the sitemap.
//! - [`workbook`]: the PDF renderer: the worksheets, the guide as a book, layout, fonts and
//!   shaping, and the drawing seam ([`workbook::pdf`]) with the font embedding and file
//!   writing it uses.
//! - [`engine`]: every build, one-off or in the preview: the jobs and their inputs
//!   ([`engine::graph`]), builds that remember what each job read ([`engine::project`]), the
//!   loaded theme ([`engine::theme`]).
//! - [`output`]: writing the output folder: the lock, the staging folder, the swap, leftovers.
//! - [`serve`]: `advocate serve` and `advocate build --watch`: the watcher, the HTTP side.
//! - [`scaffold`]: `advocate init` and `advocate new partner`.
//! - [`schema`]: the JSON Schemas editors validate the YAML with.
//!
//! The command line (`src/main.rs`) parses arguments and calls these.
//!
//! # Where to add
//!
//! - **A page**: a variant of `site::SitePage` with its template name and what it renders;
//!   its view in `site/views/`; its template in `themes/default/templates/`; the inputs it
//!   reads in [`engine::graph::Job::inputs`] (`tests/incremental.rs` checks them).
//! - **A worksheet**: a template in the theme's `workbooks/` folder (no Rust); what templates
//!   can read is [`workbook::context`], what they can draw [`workbook::directives`].
//! - **An output file**: its path in [`artifact`], and the job that makes it in
//!   [`engine::graph`].
//! - **A partner field**: in [`model::partner`], with a doc comment (it becomes the schema's
//!   description); then `cargo run -- schema`, a planted string in `tests/privacy.rs` (a test
//!   fails until there is one), the views that show it, and the README's data model.

// The map above and the module docs link to crate-private items: they are written for
// `cargo doc --document-private-items`.
#![allow(rustdoc::private_intra_doc_links)]

pub mod artifact;
pub mod engine;
pub mod model;
pub mod output;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub(crate) mod site;
pub mod source;
pub(crate) mod templates;
pub mod workbook;
