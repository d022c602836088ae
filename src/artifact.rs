//! What a build makes and where it goes: the files of the output folder, every path and address
//! inside it, and what rendering one part of a build gives. The two renderers (`site`,
//! `workbook`) and the engine (`engine`) all use these, so none of them depends on another for
//! them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::Diagnostic;

/// A file to write, relative to the output folder. The bytes are shared: the same PDF in both
/// sites, or in a cache and in the preview, is held once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputFile {
    pub(crate) path: PathBuf,
    pub(crate) bytes: Arc<[u8]>,
}

impl OutputFile {
    pub(crate) fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into().into(),
        }
    }

    /// The same bytes at `path` in each of `sites` (`site/…` and `private/…`), held once.
    pub(crate) fn in_both(
        sites: [&str; 2],
        path: &Path,
        bytes: impl Into<Vec<u8>>,
    ) -> [OutputFile; 2] {
        let bytes: Arc<[u8]> = bytes.into().into();
        sites.map(|site| OutputFile {
            path: Path::new(site).join(path),
            bytes: bytes.clone(),
        })
    }
}

/// Every file of a build by its path relative to the output folder, in path order.
pub type Files = BTreeMap<PathBuf, Arc<[u8]>>;

/// The files of a build as a list, in path order.
pub(crate) fn listed(files: &Files) -> Vec<OutputFile> {
    files
        .iter()
        .map(|(path, bytes)| OutputFile {
            path: path.clone(),
            bytes: bytes.clone(),
        })
        .collect()
}

/// What rendering one part of a build made: its files, and the warnings found on the way.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub(crate) files: Vec<OutputFile>,
    pub(crate) warnings: Vec<Diagnostic>,
}

/// The two sites' folders inside the output folder: everything, for the owner; and what may be
/// hosted.
pub(crate) const PRIVATE_DIR: &str = "private";
pub(crate) const PUBLIC_DIR: &str = "site";

/// A partner's page, relative to a site's top folder: `partners/<id>.html`.
pub(crate) fn partner_href(id: &str) -> String {
    format!("partners/{id}.html")
}

/// Where a partner's workbooks go, relative to the private site: `workbooks/<id>`.
pub(crate) fn workbook_folder(id: &str) -> String {
    format!("workbooks/{id}")
}

/// A partner's four stages in one file, beside the stage workbooks.
pub(crate) const ALL_STAGES_FILE: &str = "all-stages.pdf";
/// The blank workbooks, in each site's top folder.
pub(crate) const HANDOUTS_FOLDER: &str = "handouts";
/// The guide as a book, in each site's top folder.
pub(crate) const GUIDE_FILE: &str = "guide.pdf";
/// The guide and every blank handout in one file, for a print shop, beside it.
pub(crate) const COURSE_PACK_FILE: &str = "course-pack.pdf";

/// A PDF as the pages link to it: its title and its file, relative to its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PdfLink {
    pub(crate) title: String,
    pub(crate) file: String,
}

/// The PDFs of a build, as the pages list them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PdfLinks {
    /// The printable guide and the blank handouts, relative to a site's top folder.
    pub(crate) downloads: Vec<PdfLink>,
    /// A partner's workbooks, relative to the partner's workbook folder.
    pub(crate) partner: Vec<PdfLink>,
    /// The templates the titles come from: what a page that lists them reads.
    pub(crate) templates: Vec<String>,
    /// Every worksheet template: what a workbook reads.
    pub(crate) worksheets: Vec<String>,
}
