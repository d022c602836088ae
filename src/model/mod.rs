//! The domain: the loaded site (owner, guide, partners), checked and with progress derived.
//!
//! [`load`] reads every input once; renderers never touch a file. Problems are collected, not
//! thrown: a run reports every error it can find, then stops before writing anything.

pub mod guide;
pub mod partner;
pub mod progress;
pub mod public;
pub mod site;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::source::diagnostic::{relative_to, suggestion};
use crate::source::{Date, Diagnostic, Diagnostics, Located, files, yaml};
use guide::Guide;
use partner::{Answer, PartnerFile, Visibility};
use progress::Progress;
use site::SiteFile;

/// Days without contact after which a stage-4 relationship earns a warning.
pub const QUIET_WARNING_DAYS: i64 = 90;

/// A whole site, loaded, checked and derived.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteFile,
    pub as_of: Date,
    pub guide: Guide,
    /// Sorted by id.
    pub partners: Vec<Partner>,
    /// `themes/<name>`.
    pub theme_dir: PathBuf,
    /// A hash of the site-wide inputs (`site.yaml`, `as_of`, the guide), computed once at load
    /// for the caches of pages and workbooks.
    pub fingerprint: u64,
}

/// One partner: the file's data, its id and what is derived from it.
#[derive(Debug, Clone)]
pub struct Partner {
    /// The file stem.
    pub id: String,
    /// The file, relative to the site root.
    pub path: PathBuf,
    pub data: PartnerFile,
    pub progress: Progress,
}

/// A hash of some strings: what a cached output was made from.
pub fn hash_strings(parts: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

impl Partner {
    /// A hash of everything about this partner that its pages and workbooks show: its data,
    /// its derived progress and its introducer's name.
    pub fn fingerprint(&self, site: &Site) -> u64 {
        let data = serde_json::to_string(&self.data).unwrap_or_default();
        let progress = serde_json::to_string(&self.progress).unwrap_or_default();
        let introducer = self
            .data
            .introduced_by
            .as_ref()
            .and_then(|by| site.partner(&by.value))
            .map(|p| p.data.name.clone())
            .unwrap_or_default();
        hash_strings(&[&self.id, &data, &progress, &introducer])
    }
}

/// A hash of the site-wide inputs every page and workbook depends on: `site.yaml`, `as_of`
/// and the guide.
fn site_fingerprint(config: &SiteFile, as_of: Date, guide: &Guide) -> u64 {
    let config = serde_json::to_string(config).unwrap_or_default();
    let guide: String = guide
        .pages
        .iter()
        .map(|p| {
            format!(
                "{}{}{}",
                p.file_name,
                serde_json::to_string(&p.front).unwrap_or_default(),
                p.markdown
            )
        })
        .collect();
    hash_strings(&[&config, &as_of.to_string(), &guide])
}

impl Site {
    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.partners[i])
    }
}

/// Where the inputs of a site live.
pub fn site_file(root: &Path) -> PathBuf {
    root.join("site.yaml")
}
pub fn guide_dir(root: &Path) -> PathBuf {
    root.join("content").join("guide")
}
pub fn partners_dir(root: &Path) -> PathBuf {
    root.join("content").join("partners")
}
pub fn themes_dir(root: &Path) -> PathBuf {
    root.join("themes")
}

/// Reads, checks and derives the site at `root`. On success, the site and its warnings; on
/// failure, every error and warning found.
pub fn load(root: &Path) -> Result<(Site, Diagnostics), Diagnostics> {
    load_with(root, &ParseCache::default())
}

/// Partner files parsed by earlier loads, keyed by path and the hash of their text, so that a
/// rebuild after one save parses one file. Entries for files that are gone or changed are
/// dropped by [`ParseCache::keep_only`].
#[derive(Default)]
pub struct ParseCache {
    parsed: std::sync::Mutex<HashMap<PathBuf, (u64, PartnerFile)>>,
}

impl ParseCache {
    fn get(&self, path: &Path, hash: u64) -> Option<PartnerFile> {
        let parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        parsed
            .get(path)
            .filter(|(h, _)| *h == hash)
            .map(|(_, data)| data.clone())
    }

    fn put(&self, path: &Path, hash: u64, data: &PartnerFile) {
        let mut parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        parsed.insert(path.to_path_buf(), (hash, data.clone()));
    }

    fn keep_only(&self, paths: &[&Path]) {
        let mut parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        parsed.retain(|path, _| paths.contains(&path.as_path()));
    }
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// As [`load`], reusing the partner files `cache` already parsed.
pub fn load_with(root: &Path, cache: &ParseCache) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut problems = Diagnostics::new();
    let site_path = site_file(root);
    let shown_site = relative_to(&site_path, root);
    let site_text = if site_path.is_file() {
        files::read_text(&site_path, &shown_site)
            .map_err(|d| problems.push(d))
            .ok()
    } else {
        problems.push(
            Diagnostic::file_error(&shown_site, format!("there is no site.yaml in {}", root.display()))
                .with_help("run `advocate init DIR` to create a new site, or pass `--root DIR` to choose the folder of an existing one"),
        );
        None
    };
    let config: Option<SiteFile> = site_text.as_ref().and_then(|text| {
        yaml::parse(&shown_site, text, text, 1)
            .map_err(|d| problems.push(d))
            .ok()
    });
    let guide = guide::load(&guide_dir(root), root, &mut problems);
    let partner_files = read_partners(root, &mut problems, cache);
    cache.keep_only(
        &partner_files
            .iter()
            .map(|p| p.path.as_path())
            .collect::<Vec<_>>(),
    );

    let (Some(config), Some(site_text)) = (config, site_text) else {
        return Err(problems);
    };
    let as_of = config.as_of.unwrap_or_else(default_as_of);
    let checks = Checks {
        guide: &guide,
        partner_ids: partner_files.iter().map(|p| p.id.as_str()).collect(),
    };
    check_site(
        &config,
        &site_text,
        &shown_site,
        root,
        &checks,
        &mut problems,
    );
    for loaded in &partner_files {
        check_partner(loaded, &checks, &mut problems);
    }
    let mut partners: Vec<Partner> = partner_files
        .into_par_iter()
        .map(|loaded| {
            let progress = progress::derive(&loaded.data, &config.cadence, as_of);
            Partner {
                id: loaded.id,
                path: loaded.path,
                data: loaded.data,
                progress,
            }
        })
        .collect();
    partners.sort_by(|a, b| a.id.cmp(&b.id));
    warn_about_quiet_relationships(&partners, as_of, &mut problems);
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    let theme_dir = themes_dir(root).join(
        config
            .theme
            .as_ref()
            .map_or("default", |t| t.value.as_str()),
    );
    let fingerprint = site_fingerprint(&config, as_of, &guide);
    Ok((
        Site {
            root: root.to_path_buf(),
            config,
            as_of,
            guide,
            partners,
            theme_dir,
            fingerprint,
        },
        problems,
    ))
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970) if set, else today in the local time zone.
fn default_as_of() -> Date {
    let from_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .map(|ts| ts.to_zoned(jiff::tz::TimeZone::UTC).date());
    Date(from_epoch.unwrap_or_else(|| jiff::Zoned::now().date()))
}

/// A partner file, parsed, with its text kept for messages.
struct LoadedPartner {
    id: String,
    path: PathBuf,
    text: String,
    data: PartnerFile,
}

fn read_partners(
    root: &Path,
    problems: &mut Diagnostics,
    cache: &ParseCache,
) -> Vec<LoadedPartner> {
    let dir = partners_dir(root);
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect(),
        Err(_) if !dir.exists() => Vec::new(),
        Err(error) => {
            problems.push(Diagnostic::file_error(
                relative_to(&dir, root),
                format!("cannot read the partners folder: {error}"),
            ));
            Vec::new()
        }
    };
    paths.sort();
    let results: Vec<Result<LoadedPartner, Diagnostic>> = paths
        .par_iter()
        .map(|path| {
            let shown = relative_to(path, root);
            let text = files::read_text(path, &shown)?;
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !is_valid_id(&id) {
                return Err(Diagnostic::file_error(&shown, format!("`{id}` is not a valid partner id"))
                    .with_help(format!(
                        "a partner's id is its file name: use lower-case letters, digits and hyphens, e.g. `{}.yaml`",
                        slug(&id)
                    )));
            }
            let hash = text_hash(&text);
            let data = match cache.get(&shown, hash) {
                Some(data) => data,
                None => {
                    let data = yaml::parse(&shown, &text, &text, 1)?;
                    cache.put(&shown, hash, &data);
                    data
                }
            };
            Ok(LoadedPartner {
                id,
                path: shown,
                text,
                data,
            })
        })
        .collect();
    let mut partners = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(p) => partners.push(p),
            Err(d) => problems.push(d),
        }
    }
    partners
}

/// A partner id: lower-case ASCII letters, digits and single hyphens inside.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A partner id made from a name: `Zoë Lefèvre` becomes `zoe-lefevre`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "partner".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// An error at `name`, which is not one of `candidates`; suggests the nearest.
fn unknown<'a>(
    file: &Path,
    text: &str,
    name: &Located<String>,
    message: String,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    Diagnostic::at(file, text, name.line, name.column, message)
        .with_help(suggestion(&name.value, candidates))
}

/// What cross references are checked against.
struct Checks<'a> {
    guide: &'a Guide,
    partner_ids: Vec<&'a str>,
}

impl Checks<'_> {
    fn check_answers(
        &self,
        answers: &std::collections::BTreeMap<Located<String>, Answer>,
        file: &Path,
        text: &str,
        problems: &mut Diagnostics,
    ) {
        for id in answers.keys() {
            if self.guide.question(&id.value).is_none() {
                problems.push(unknown(
                    file,
                    text,
                    id,
                    format!("`{}` is not a question of the guide", id.value),
                    self.guide.questions().map(|q| q.id.value.as_str()),
                ));
            }
        }
    }
}

fn check_site(
    config: &SiteFile,
    text: &str,
    file: &Path,
    root: &Path,
    checks: &Checks,
    problems: &mut Diagnostics,
) {
    checks.check_answers(&config.owner.answers, file, text, problems);
    if let Some(theme) = &config.theme {
        let themes = themes_dir(root);
        if !themes.join(&theme.value).is_dir() {
            let available: Vec<String> = std::fs::read_dir(&themes)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            problems.push(unknown(
                file,
                text,
                theme,
                format!("there is no theme `{}` in themes/", theme.value),
                available.iter().map(String::as_str),
            ));
        }
    }
    if let Some(url) = &config.base_url
        && !(url.value.starts_with("https://") || url.value.starts_with("http://"))
    {
        problems.push(
            Diagnostic::at(
                file,
                text,
                url.line,
                url.column,
                "`base_url` must be an absolute web address",
            )
            .with_help(
                "write the address the public site is hosted at, e.g. `https://example.org/`",
            ),
        );
    }
}

fn check_partner(loaded: &LoadedPartner, checks: &Checks, problems: &mut Diagnostics) {
    let (data, file, text) = (&loaded.data, loaded.path.as_path(), loaded.text.as_str());
    if let Some(answers) = data
        .briefing
        .as_ref()
        .and_then(|b| b.theirs.as_ref())
        .map(|t| &t.answers)
    {
        checks.check_answers(answers, file, text, problems);
    }
    for reservation in &data.reservations {
        let theme = &reservation.theme;
        if checks.guide.theme(&theme.value).is_none() {
            problems.push(unknown(
                file,
                text,
                theme,
                format!("`{}` is not a reservation theme of the guide", theme.value),
                checks.guide.themes().map(|t| t.id.value.as_str()),
            ));
        }
    }
    if let Some(by) = &data.introduced_by {
        if by.value == loaded.id {
            problems.push(
                Diagnostic::at(
                    file,
                    text,
                    by.line,
                    by.column,
                    "a partner cannot introduce themselves",
                )
                .with_help("write the id of the partner who introduced you, or delete the line"),
            );
        } else if !checks.partner_ids.contains(&by.value.as_str()) {
            problems.push(unknown(
                file,
                text,
                by,
                format!("there is no partner `{}`", by.value),
                checks.partner_ids.iter().copied(),
            ));
        }
    }
    if let Some(visibility) = &data.visibility
        && visibility.value == Visibility::Public
        && data.consent.is_none()
    {
        problems.push(
            Diagnostic::at(file, text, visibility.line, visibility.column, "`visibility: public` needs the partner's consent")
                .with_help("add `consent: YYYY-MM-DD`, the day they agreed to be named on the public site, or write `visibility: anonymous`"),
        );
    }
}

fn warn_about_quiet_relationships(partners: &[Partner], as_of: Date, problems: &mut Diagnostics) {
    for partner in partners {
        let progress = &partner.progress;
        if progress.stage < 4 {
            continue;
        }
        let quiet = progress
            .cadence
            .as_ref()
            .and_then(|c| c.contact.days_since)
            .is_none_or(|days| days >= QUIET_WARNING_DAYS);
        if quiet {
            let since = progress
                .cadence
                .as_ref()
                .and_then(|c| c.contact.last)
                .map_or_else(|| "ever".to_owned(), |d| format!("since {d}"));
            problems.push(
                Diagnostic::file_error(&partner.path, format!("no contact with {} {since} (as of {as_of})", partner.data.name))
                    .with_help("a stage-4 relationship needs regular contact: get in touch and record it under `interactions`")
                    .warning(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lower_case_letters_digits_and_hyphens() {
        assert!(is_valid_id("zoe-lefevre2"));
        for bad in ["Zoe", "zoë", "a_b", "-a", "a-", "a--b", ""] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_fold_accents() {
        assert_eq!(slug("Zoë Lefèvre"), "zoe-lefevre");
        assert_eq!(slug("Łukasz Nowak"), "lukasz-nowak");
        assert_eq!(slug("Siobhán Ní Bhriain"), "siobhan-ni-bhriain");
        assert_eq!(slug("  Shah & Co  "), "shah-co");
        assert_eq!(slug("Ωμέγα"), "omega");
        assert_eq!(slug("!!!"), "partner");
    }
}
