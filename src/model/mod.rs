//! The domain: the loaded site (owner, guide, partners), checked and with progress derived.
//!
//! [`load`] reads every input once; renderers never touch a file. Problems are collected, not
//! thrown: a run reports every error it can find, then stops before writing anything.

pub mod branding;
pub mod guide;
pub mod handout;
pub mod input;
pub mod partner;
pub mod progress;
pub mod public;
pub mod site;
pub mod sources;
pub mod stage;
pub mod strings;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::diagnostic::suggestion;
use crate::source::{Date, Diagnostic, Diagnostics, Located};
use guide::Guide;
pub use input::Input;
use partner::{Answer, PartnerFile, Visibility};
use progress::Progress;
use site::SiteFile;
pub use sources::Sources;
pub use stage::Stage;

/// Days without contact after which a stage-4 relationship earns a warning.
pub(crate) const QUIET_WARNING_DAYS: i64 = 90;

/// A whole site, loaded, checked and derived.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteFile,
    pub as_of: Date,
    pub guide: Guide,
    /// Sorted by id. Shared: a rebuild after one save makes a new `Site` that holds the same
    /// unchanged partners.
    pub partners: Vec<Arc<Partner>>,
    /// `themes/<name>`.
    pub theme_dir: PathBuf,
    /// The logo `branding` names in `site.yaml`, read and checked.
    pub logo: Option<branding::Logo>,
}

/// One partner: the file's data, its id and what is derived from it.
#[derive(Debug, Clone)]
pub struct Partner {
    /// The file stem.
    pub(crate) id: String,
    /// The file, relative to the site root.
    pub(crate) path: PathBuf,
    pub data: Arc<PartnerFile>,
    pub progress: Progress,
}

impl Site {
    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &*self.partners[i])
    }
}

/// The site's settings file, relative to the root.
pub(crate) const SITE_FILE: &str = "site.yaml";

/// Where the inputs of a site live.
pub(crate) fn site_file(root: &Path) -> PathBuf {
    root.join(SITE_FILE)
}
pub(crate) fn guide_dir(root: &Path) -> PathBuf {
    root.join("content").join("guide")
}
pub(crate) fn partners_dir(root: &Path) -> PathBuf {
    root.join("content").join("partners")
}
pub(crate) fn themes_dir(root: &Path) -> PathBuf {
    root.join("themes")
}

/// Reads, checks and derives the site at `root`. On success, the site and its warnings; on
/// failure, every error and warning found.
pub fn load(root: &Path) -> Result<(Site, Diagnostics), Diagnostics> {
    Sources::read(root).assemble()
}

/// A partner id: lower-case ASCII letters, digits and single hyphens inside.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A partner id made from a name: `Zoë Lefèvre` becomes `zoe-lefevre`.
pub(crate) fn slug(name: &str) -> String {
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
    let (example_name, example_business) = site::EXAMPLE_OWNER;
    for (field, value, example) in [
        ("name", &config.owner.name, example_name),
        ("business", &config.owner.business, example_business),
    ] {
        if value == example {
            problems.push(warning_at_line(
                file,
                text,
                &format!("{field}: {example}"),
                format!("the public site still shows the example owner's {field} that `advocate init` wrote, `{example}`"),
                format!("write your own {field} under `owner:`"),
            ));
        }
    }
    if let Some(currency) = &config.currency
        && !is_currency_code(&currency.value)
    {
        problems.push(
            Diagnostic::at(
                file,
                text,
                currency.line,
                currency.column,
                format!("`{}` is not a currency code", currency.value),
            )
            .with_help("write the currency's three capital letters (ISO 4217), such as `GBP`, `EUR` or `USD`"),
        );
    }
    if let Some(theme) = &config.theme {
        let themes = themes_dir(root);
        if !is_folder_name(&theme.value) {
            problems.push(
                Diagnostic::at(
                    file,
                    text,
                    theme.line,
                    theme.column,
                    format!("`{}` is not the name of a theme", theme.value),
                )
                .with_help(
                    "write the name of a folder in themes/, such as `default`, with no `/` or `..`",
                ),
            );
        } else if !themes.join(&theme.value).is_dir() {
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
        && let Err(why) = site::base_address(&url.value)
    {
        problems.push(
            Diagnostic::at(
                file,
                text,
                url.line,
                url.column,
                format!("`base_url` must be the web address the public site is hosted at: {why}"),
            )
            .with_help(
                "write the address the public site is hosted at, e.g. `https://example.org/`",
            ),
        );
    }
}

/// Whether `name` names a folder right inside another: not empty, no separator, not `.` or
/// `..`, not hidden.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.contains(char::is_control)
}

/// A warning at the value of the first line of `text` that starts with `line` (`key:` or
/// `key: value`); at the file when none does.
fn warning_at_line(
    file: &Path,
    text: &str,
    line: &str,
    message: String,
    help: String,
) -> Diagnostic {
    let found = text.lines().enumerate().find_map(|(i, l)| {
        let trimmed = l.trim_start();
        let key = line.split(':').next().unwrap_or(line).len() + 2;
        trimmed
            .starts_with(line)
            .then(|| (i + 1, l.len() - trimmed.len() + 1 + key))
    });
    let diagnostic = match found {
        Some((line, column)) => Diagnostic::at(file, text, line, column, message),
        None => Diagnostic::file_error(file, message),
    };
    diagnostic.with_help(help).warning()
}

fn check_partner(partner: &Partner, text: &str, checks: &Checks, problems: &mut Diagnostics) {
    let (data, file) = (&partner.data, partner.path.as_path());
    if (data.name.as_str(), data.business.as_str()) == site::EXAMPLE_PARTNER
        && data.visibility() != Visibility::Private
    {
        problems.push(warning_at_line(
            file,
            text,
            "name:",
            format!(
                "the public site still shows the example partner that `advocate init` wrote, {}",
                site::EXAMPLE_PARTNER.0
            ),
            "replace this file with a partner of your own (`advocate new partner \"Name\"`), or delete it".to_owned(),
        ));
    }
    if let Some(answers) = data
        .briefing
        .as_ref()
        .and_then(|b| b.theirs.as_ref())
        .map(|t| &t.answers)
    {
        checks.check_answers(answers, file, text, problems);
    }
    for value in data.referrals.iter().filter_map(|r| r.value.as_ref()) {
        if let Some(problem) = money_problem(value.value) {
            problems.push(
                Diagnostic::at(file, text, value.line, value.column, problem)
                    .with_help("write what the business was worth, e.g. `1200` or `1200.50`, or delete the line"),
            );
        }
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
        if by.value == partner.id {
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
    if let Some(website) = data.public.as_ref().and_then(|p| p.website.as_ref())
        && let Err(why) = site::web_address(&website.value)
    {
        problems.push(
            Diagnostic::at(
                file,
                text,
                website.line,
                website.column,
                format!("`website` must be the address of the partner's website: {why}"),
            )
            .with_help(
                match site::web_address(&format!("https://{}", website.value.trim())) {
                    Ok(_) if !website.value.contains("://") => {
                        format!("write `https://{}`", website.value.trim())
                    }
                    _ => "write the address as a browser shows it, e.g. `https://example.com/`"
                        .to_owned(),
                },
            ),
        );
    }
    if data.public.is_some() && data.visibility() != Visibility::Public {
        problems.push(warning_at_line(
            file,
            text,
            "public:",
            "what `public:` says is not shown: the public site does not name this partner"
                .to_owned(),
            "write `visibility: public` and `consent: YYYY-MM-DD` once they agree to be named"
                .to_owned(),
        ));
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

/// Whether `code` is written as an ISO 4217 code is: three capital letters.
pub(crate) fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The largest amount of money a referral can be worth: 10^12, less a cent.
const MAX_AMOUNT: f64 = 999_999_999_999.99;

/// What is wrong with `value` as an amount of money, if anything: it is 0 or more, below
/// 10^12, with at most two decimal places.
fn money_problem(value: f64) -> Option<String> {
    if !value.is_finite() || value < 0.0 {
        return Some(
            "a referral's `value` must be an amount of money: a number of 0 or more".to_owned(),
        );
    }
    if value > MAX_AMOUNT {
        return Some(format!(
            "a referral's `value` must be below 1,000,000,000,000: `{value}` is more than any one referral brings"
        ));
    }
    // Rust writes a number with the fewest digits that read back as it: the places typed.
    let places = value
        .to_string()
        .split_once('.')
        .map_or(0, |(_, f)| f.len());
    (places > 2).then(|| {
        format!("a referral's `value` has at most two decimal places, for the cents: `{value}` has {places}")
    })
}

fn warn_about_quiet_relationships(
    partners: &[Arc<Partner>],
    as_of: Date,
    problems: &mut Diagnostics,
) {
    for partner in partners {
        let progress = &partner.progress;
        if progress.stage < Stage::FOLLOW_UP {
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
    fn amounts_of_money_are_sane() {
        for fine in [0.0, 1200.0, 1200.5, 1200.05, 0.01, MAX_AMOUNT] {
            assert_eq!(money_problem(fine), None, "{fine}");
        }
        for bad in [-0.01, f64::INFINITY, f64::NAN, 1e308, 1e12, 1200.505, 1e-7] {
            assert!(money_problem(bad).is_some(), "{bad}");
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
