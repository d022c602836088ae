//! The inputs of a site as read from disk: `site.yaml`, the guide and every partner file, each
//! kept with its text and what parsing it gave.
//!
//! A one-off build reads them once ([`Sources::read`]) and assembles a checked [`Site`]. The
//! preview keeps them: after a save, [`Sources::refresh`] re-reads only the files it is told
//! about (and lists the partners folder, so files created or deleted behind its back are
//! noticed), compares their text with what it had, and reports the inputs whose text really
//! changed. [`Sources::assemble`] then checks the whole site again, which is cheap because
//! nothing is parsed twice, and shares every unchanged partner with the previous [`Site`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::guide::{self, Guide};
use super::partner::PartnerFile;
use super::site::SiteFile;
use super::{Input, Partner, Site, progress};
use crate::source::diagnostic::relative_to;
use crate::source::{Date, Diagnostic, Diagnostics, files, yaml};

/// `site.yaml`, read.
struct ConfigSource {
    /// `None` when the file is missing or unreadable (the reason is in `parsed`).
    text: Option<String>,
    parsed: Result<SiteFile, Diagnostics>,
}

/// The guide folder, read: each page's text by file, and the guide loaded from them.
struct GuideSource {
    texts: guide::Texts,
    guide: Guide,
    problems: Diagnostics,
}

/// One partner file, read.
struct PartnerSource {
    id: String,
    text: String,
    parsed: Result<Arc<PartnerFile>, Diagnostics>,
    /// The partner with its progress, derived under the current configuration; cleared when
    /// `site.yaml` or `as_of` changes.
    derived: Option<Arc<Partner>>,
}

/// Every input file of a site, as last read.
pub struct Sources {
    root: PathBuf,
    config: ConfigSource,
    /// The `as_of` in force: from `site.yaml`, else `SOURCE_DATE_EPOCH`, else the clock; an
    /// error when `SOURCE_DATE_EPOCH` is not a time.
    as_of: Option<Result<Date, Diagnostic>>,
    guide: GuideSource,
    /// By path relative to the root.
    partners: BTreeMap<PathBuf, PartnerSource>,
    listing_problem: Option<Diagnostic>,
}

impl Sources {
    /// Reads every input of the site at `root`.
    pub(crate) fn read(root: &Path) -> Sources {
        let mut sources = Sources {
            root: root.to_path_buf(),
            config: read_config(root),
            as_of: None,
            guide: read_guide(root),
            partners: BTreeMap::new(),
            listing_problem: None,
        };
        sources.as_of = sources.effective_as_of();
        sources.refresh_partners(&[], true);
        sources
    }

    /// Re-reads what `changed` (paths relative to the root) may have touched and returns the
    /// inputs whose text changed. `Input::Config` means everything must be derived again.
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) -> Vec<Input> {
        let mut inputs = Vec::new();
        let touches = |dir: &Path| {
            changed
                .iter()
                .any(|p| p.starts_with(dir) || dir.starts_with(p))
        };
        if changed.iter().any(|p| p == Path::new(super::SITE_FILE)) {
            let config = read_config(&self.root);
            if config.text != self.config.text {
                self.config = config;
                inputs.push(Input::Config);
            }
        }
        let as_of = self.effective_as_of();
        if as_of != self.as_of {
            self.as_of = as_of;
            inputs.push(Input::Config);
        }
        if inputs.contains(&Input::Config) {
            for source in self.partners.values_mut() {
                source.derived = None;
            }
        }
        // The logo is read with every build; a change to it changes every PDF that shows it.
        let logo = self
            .config
            .parsed
            .as_ref()
            .ok()
            .and_then(|c| c.branding.as_ref()?.logo.as_ref());
        if let Some(logo) = logo
            && changed
                .iter()
                .any(|p| Path::new(&logo.value).starts_with(p))
        {
            inputs.push(Input::Config);
        }
        if touches(&relative_to(&super::guide_dir(&self.root), &self.root)) {
            inputs.extend(self.refresh_guide());
        }
        let partners_dir = relative_to(&super::partners_dir(&self.root), &self.root);
        if touches(&partners_dir) {
            let files: Vec<PathBuf> = changed
                .iter()
                .filter(|p| p.parent() == Some(partners_dir.as_path()))
                .cloned()
                .collect();
            // A folder reported as a whole (moved, replaced) may hold changed files it does not
            // name: read them all, and let the comparison of texts find what changed.
            let whole_folder = changed.iter().any(|p| partners_dir.starts_with(p));
            inputs.extend(self.refresh_partners(&files, whole_folder));
        }
        inputs
    }

    /// Re-reads the guide; returns the pages whose text changed, appeared or went.
    fn refresh_guide(&mut self) -> Vec<Input> {
        let fresh = read_guide(&self.root);
        let mut changed: Vec<Input> = fresh
            .texts
            .iter()
            .filter(|(path, text)| self.guide.texts.get(*path) != Some(*text))
            .map(|(path, _)| Input::GuidePage(path.clone()))
            .collect();
        changed.extend(
            self.guide
                .texts
                .keys()
                .filter(|path| !fresh.texts.contains_key(*path))
                .map(|path| Input::GuidePage(path.clone())),
        );
        self.guide = fresh;
        changed
    }

    /// Lists the partners folder, reads the files that are new or named in `changed` (every
    /// file with `all`), and forgets the ones that are gone. Returns the partners whose text
    /// changed.
    fn refresh_partners(&mut self, changed: &[PathBuf], all: bool) -> Vec<Input> {
        // After a listing failed, files may have changed unseen: read them all once it works.
        let all = all || self.listing_problem.is_some();
        let dir = super::partners_dir(&self.root);
        let is_partner_file = |p: &Path| p.extension().is_some_and(|e| e == "yaml" || e == "yml");
        // Each listed file, with the problem that stops it being read, if any.
        let listed: BTreeMap<PathBuf, Option<Diagnostic>> =
            match files::list(&dir, &self.root, &self.root, false, is_partner_file) {
                Ok(entries) => {
                    self.listing_problem = None;
                    entries.into_iter().map(|e| (e.shown, e.problem)).collect()
                }
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    self.listing_problem = None;
                    BTreeMap::new()
                }
                Err(error) => {
                    self.listing_problem = Some(Diagnostic::file_error(
                        relative_to(&dir, &self.root),
                        format!("cannot read the partners folder: {error}"),
                    ));
                    return Vec::new();
                }
            };
        let changed: BTreeSet<&PathBuf> = changed.iter().collect();
        let mut inputs = Vec::new();
        let gone: Vec<PathBuf> = self
            .partners
            .keys()
            .filter(|path| !listed.contains_key(*path))
            .cloned()
            .collect();
        for path in gone {
            if let Some(source) = self.partners.remove(&path) {
                inputs.push(Input::Partner(source.id));
            }
        }
        let to_read: Vec<(&PathBuf, &Option<Diagnostic>)> = listed
            .iter()
            .filter(|(path, _)| {
                all || !self.partners.contains_key(*path) || changed.contains(*path)
            })
            .collect();
        let read: Vec<(PathBuf, PartnerSource)> = to_read
            .par_iter()
            .map(|(path, problem)| ((*path).clone(), read_partner(&self.root, path, problem)))
            .collect();
        for (path, source) in read {
            let same = self.partners.get(&path).is_some_and(|old| {
                old.text == source.text && old.parsed.is_ok() == source.parsed.is_ok()
            });
            if !same {
                inputs.push(Input::Partner(source.id.clone()));
                self.partners.insert(path, source);
            }
        }
        inputs
    }

    /// `as_of` from `site.yaml`, else `SOURCE_DATE_EPOCH`, else today; `None` while `site.yaml`
    /// does not parse.
    fn effective_as_of(&self) -> Option<Result<Date, Diagnostic>> {
        let config = self.config.parsed.as_ref().ok()?;
        Some(config.as_of.map_or_else(default_as_of, Ok))
    }

    /// Checks everything read and derives progress. On success, the site and its warnings; on
    /// failure, every error and warning found.
    pub(crate) fn assemble(&mut self) -> Result<(Site, Diagnostics), Diagnostics> {
        let mut problems = Diagnostics::new();
        if let Err(found) = &self.config.parsed {
            problems.extend(found.iter().cloned());
        }
        problems.extend(self.guide.problems.iter().cloned());
        problems.extend(self.listing_problem.iter().cloned());
        for source in self.partners.values() {
            if let Err(found) = &source.parsed {
                problems.extend(found.iter().cloned());
            }
        }
        if let Some(Err(problem)) = &self.as_of {
            problems.push(problem.clone());
        }
        let (Ok(config), Some(text), Some(Ok(&as_of))) = (
            &self.config.parsed,
            &self.config.text,
            self.as_of.as_ref().map(Result::as_ref),
        ) else {
            problems.sort();
            return Err(problems);
        };
        self.partners.par_iter_mut().for_each(|(path, source)| {
            let Ok(data) = &source.parsed else { return };
            if source.derived.is_none() {
                let partner = Partner {
                    id: source.id.clone(),
                    path: path.clone(),
                    progress: progress::derive(data, &config.cadence, as_of),
                    data: data.clone(),
                };
                source.derived = Some(Arc::new(partner));
            }
        });
        let guide = &self.guide.guide;
        let checks = super::Checks {
            guide,
            // A partner whose file has problems of its own still exists: naming it is no
            // second mistake.
            partner_ids: self
                .partners
                .values()
                .filter(|s| super::is_valid_id(&s.id))
                .map(|s| s.id.as_str())
                .collect(),
        };
        let shown_site = PathBuf::from(super::SITE_FILE);
        super::check_site(
            config,
            text,
            &shown_site,
            &self.root,
            &checks,
            &mut problems,
        );
        let mut partners = Vec::with_capacity(self.partners.len());
        for source in self.partners.values() {
            if let Some(partner) = &source.derived
                && source.parsed.is_ok()
            {
                super::check_partner(partner, &source.text, &checks, &mut problems);
                partners.push(partner.clone());
            }
        }
        partners.sort_by(|a, b| a.id.cmp(&b.id));
        for pair in partners.windows(2) {
            if pair[0].id == pair[1].id {
                problems.push(
                    Diagnostic::file_error(
                        &pair[1].path,
                        format!(
                            "{} and {} are both partner `{}`",
                            pair[0].path.display(),
                            pair[1].path.display(),
                            pair[1].id
                        ),
                    )
                    .with_help("a partner's id is its file name: delete one of the two files, or rename one"),
                );
            }
        }
        partners.dedup_by(|a, b| a.id == b.id);
        super::warn_about_quiet_relationships(&partners, as_of, &mut problems);
        problems.extend(super::branding::check(
            config.branding.as_ref(),
            &shown_site,
            text,
        ));
        let logo =
            super::branding::read_logo(config.branding.as_ref(), &self.root, &shown_site, text)
                .unwrap_or_else(|problem| {
                    problems.push(problem);
                    None
                });
        if problems.has_errors() {
            problems.sort();
            return Err(problems);
        }
        let theme_dir = super::themes_dir(&self.root).join(
            config
                .theme
                .as_ref()
                .map_or("default", |t| t.value.as_str()),
        );
        Ok((
            Site {
                root: self.root.clone(),
                config: config.clone(),
                as_of,
                guide: guide.clone(),
                partners,
                theme_dir,
                logo,
            },
            problems,
        ))
    }
}

fn read_config(root: &Path) -> ConfigSource {
    let path = super::site_file(root);
    let shown = PathBuf::from(super::SITE_FILE);
    if std::fs::symlink_metadata(&path).is_err() {
        return ConfigSource {
            text: None,
            parsed: Err(Diagnostic::file_error(&shown, format!("there is no site.yaml in {}", root.display()))
                .with_help("run `advocate init DIR` to create a new site, or pass `--root DIR` to choose the folder of an existing one").into()),
        };
    }
    match files::inside(&path, root, root, &shown).and_then(|()| files::read_text(&path, &shown)) {
        Ok(text) => {
            let parsed = yaml::parse(&shown, &text, &text, 1);
            ConfigSource {
                text: Some(text),
                parsed,
            }
        }
        Err(problem) => ConfigSource {
            text: None,
            parsed: Err(problem.into()),
        },
    }
}

fn read_guide(root: &Path) -> GuideSource {
    let dir = super::guide_dir(root);
    let mut problems = Diagnostics::new();
    let (guide, texts) = guide::load(&dir, root, &mut problems);
    GuideSource {
        texts,
        guide,
        problems,
    }
}

/// Reads the partner file `shown`, unless listing it found `problem` (a link out of the site,
/// say), which then stands for what it holds.
fn read_partner(root: &Path, shown: &Path, problem: &Option<Diagnostic>) -> PartnerSource {
    let id = shown
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = match problem {
        Some(problem) => Err(problem.clone()),
        None => files::read_text(&root.join(shown), shown),
    };
    let text = match read {
        Ok(text) => text,
        Err(problem) => {
            return PartnerSource {
                id,
                text: String::new(),
                parsed: Err(problem.into()),
                derived: None,
            };
        }
    };
    let parsed = if super::is_valid_id(&id) {
        yaml::parse(shown, &text, &text, 1).map(Arc::new)
    } else {
        Err(
            Diagnostic::file_error(shown, format!("`{id}` is not a valid partner id")).with_help(
                format!(
                    "a partner's id is its file name: use lower-case letters, digits and hyphens, e.g. `{}.yaml`",
                    super::slug(&id)
                ),
            )
            .into(),
        )
    };
    PartnerSource {
        id,
        text,
        parsed,
        derived: None,
    }
}

/// The day `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds set it) falls on in
/// UTC, if it is set and not empty; else today in the local time zone. A value that is not a
/// whole number of seconds from 1970 (to the end of December 9999, as far as jiff counts) is an
/// error: a build told to be reproducible must not quietly measure progress against today.
fn default_as_of() -> Result<Date, Diagnostic> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH").filter(|v| !v.is_empty()) else {
        return Ok(Date(jiff::Zoned::now().date()));
    };
    let text = value.to_string_lossy();
    text.parse::<i64>()
        .ok()
        .filter(|seconds| *seconds >= 0)
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .map(|time| Date(time.to_zoned(jiff::tz::TimeZone::UTC).date()))
        .ok_or_else(|| {
            Diagnostic::file_error(
                super::SITE_FILE,
                format!("SOURCE_DATE_EPOCH is `{text}`, which is not a time: progress cannot be measured against it"),
            )
            .with_help("set SOURCE_DATE_EPOCH to whole seconds since 1970, as `date +%s` prints, or unset it; or write the day in site.yaml as `as_of: YYYY-MM-DD`")
        })
}
