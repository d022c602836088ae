//! The theme's words: one strings file per language (`strings/en.yaml`, `strings/fr.yaml` …),
//! chosen by `language` in `site.yaml`, with English for any string the language's file does not
//! have (and a warning that names them).
//!
//! A strings file is YAML: nested maps whose leaves are texts, addressed by their dotted path
//! (`workbook.decision`). A text may hold placeholders, `{name}`, filled in by the template
//! that prints it. A leaf that is a map of plural categories (`one`, `other`, and for some
//! languages `zero`, `two`, `few`, `many`) is a count's text, chosen by the language's plural
//! rules (CLDR's, from `icu_plurals`). `date.months` and `date.format` say how a day is
//! written, `date.format` with `{day}`, `{month}` and `{year}`; `number.group` and
//! `number.decimal` how an amount is (`1,234.50`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;

use crate::source::diagnostic::relative_to;
use crate::source::{Date, Diagnostic, Diagnostics, files, yaml};

/// The language every theme has all of its strings in.
pub(crate) const FALLBACK_LANGUAGE: &str = "en";

/// The folder of a theme that holds its strings files.
pub(crate) const STRINGS_FOLDER: &str = "strings";

/// The strings the program itself prints (in a PDF's frame, its metadata, the download links,
/// the calendars), which every theme's English file must have; the templates name the rest.
pub(crate) const REQUIRED: [&str; 32] = [
    "calendar.agreed_meeting",
    "calendar.contact_due",
    "calendar.contact_late",
    "calendar.meeting_due",
    "calendar.meeting_late",
    "calendar.name",
    "calendar.partner_name",
    "date.format",
    "date.months",
    "guide_book.contents",
    "guide_book.course_edition",
    "guide_book.course_pack",
    "guide_book.running",
    "guide_book.subject",
    "guide_book.title",
    "guide_book.title_page.by",
    "guide_book.title_page.printed",
    "guide_book.title_page.subtitle",
    "guide_book.title_page.title",
    "number.decimal",
    "number.group",
    "site.downloads.all_stages",
    "site.downloads.course_pack",
    "site.downloads.guide",
    "site.downloads.handout",
    "workbook.all_stages.running",
    "workbook.all_stages.title",
    "workbook.blank_subject",
    "workbook.continued",
    "workbook.line_of",
    "workbook.page_of",
    "workbook.subject",
];

/// One leaf of a strings file.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Text(String),
    /// A count's text in each plural category the file gives; `other` is always there.
    Plural(BTreeMap<String, String>),
    List(Vec<String>),
}

/// A strings file as YAML gives it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Node {
    Text(String),
    List(Vec<String>),
    Map(BTreeMap<String, Node>),
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The strings of one language, with English filling the gaps.
pub struct Strings {
    entries: HashMap<String, Entry>,
    rules: PluralRules,
    /// The keys the language's file does not give, which print in English: their counts
    /// follow English rules, since their forms are English ones.
    in_english: HashSet<String>,
    english_rules: PluralRules,
    /// The site's currency (an ISO 4217 code), which amounts are written in.
    currency: Option<String>,
    /// The files read, relative to the site root: what a change to the strings touches.
    pub(crate) files: Vec<PathBuf>,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("entries", &self.entries.len())
            .field("files", &self.files)
            .finish()
    }
}

impl Strings {
    /// Loads `strings/en.yaml` of `theme_dir`, and over it the file of `language`
    /// (`fr-CA.yaml`, else `fr.yaml`) if the theme has one. Returns the warnings too: a missing
    /// language file, and the strings it lacks.
    pub fn load(
        theme_dir: &Path,
        root: &Path,
        language: &str,
    ) -> Result<(Strings, Vec<Diagnostic>), Diagnostics> {
        let folder = theme_dir.join(STRINGS_FOLDER);
        let english_path = folder.join(format!("{FALLBACK_LANGUAGE}.yaml"));
        let english = read(&english_path, theme_dir, root)?;
        let lacking: Vec<String> = REQUIRED
            .iter()
            .filter(|key| !english.get(**key).is_some_and(|entry| fits(key, entry)))
            .map(|key| format!("`{key}`"))
            .collect();
        if !lacking.is_empty() {
            let shown = relative_to(&english_path, root);
            return Err(Diagnostic::file_error(
                &shown,
                format!("{} has no {}, or not as a plain text (`date.months`: a list of twelve)", shown.display(), lacking.join(", ")),
            )
            .with_help("the program prints these itself: copy them from themes/default/strings/en.yaml of a new site (`advocate init`)")
            .into());
        }
        let mut entries = english.clone();
        let mut in_english: HashSet<String> = english.keys().cloned().collect();
        let mut warnings = Vec::new();
        let mut read_files = vec![relative_to(&english_path, root)];
        let primary = language.split('-').next().unwrap_or(language);
        let candidates: Vec<String> = [language, primary]
            .into_iter()
            .filter(|tag| !tag.eq_ignore_ascii_case(FALLBACK_LANGUAGE))
            .map(str::to_owned)
            .collect();
        let own = candidates
            .iter()
            .map(|tag| folder.join(format!("{tag}.yaml")))
            .find(|path| path.is_file());
        match own {
            Some(path) => {
                let shown = relative_to(&path, root);
                let mut translated = read(&path, theme_dir, root)?;
                let misfits: Vec<String> = REQUIRED
                    .iter()
                    .filter(|key| translated.get(**key).is_some_and(|entry| !fits(key, entry)))
                    .map(|key| (*key).to_owned())
                    .collect();
                if !misfits.is_empty() {
                    for key in &misfits {
                        translated.remove(key);
                    }
                    let listed: Vec<String> = misfits.iter().map(|k| format!("`{k}`")).collect();
                    warnings.push(
                        Diagnostic::file_error(
                            &shown,
                            format!("{} is not a plain text (`date.months`: a list of twelve); it prints in English", listed.join(", ")),
                        )
                        .with_help("write it as in the English file")
                        .warning(),
                    );
                }
                let mut missing: Vec<&str> = english
                    .keys()
                    .filter(|key| !translated.contains_key(*key))
                    .map(String::as_str)
                    .collect();
                missing.sort_unstable();
                if !missing.is_empty() {
                    let listed: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
                    warnings.push(
                        Diagnostic::file_error(
                            &shown,
                            format!(
                                "{} has no {}; they print in English",
                                shown.display(),
                                listed.join(", ")
                            ),
                        )
                        .with_help(format!(
                            "copy them from {} and translate them",
                            relative_to(&english_path, root).display()
                        ))
                        .warning(),
                    );
                }
                for key in translated.keys() {
                    in_english.remove(key);
                }
                entries.extend(translated);
                read_files.push(shown);
            }
            None if !primary.eq_ignore_ascii_case(FALLBACK_LANGUAGE) => warnings.push(
                Diagnostic::file_error(
                    relative_to(&folder, root),
                    format!(
                        "the theme has no strings for the language `{language}`; everything prints in English"
                    ),
                )
                .with_help(format!(
                    "copy {} to {}/{primary}.yaml and translate it",
                    relative_to(&english_path, root).display(),
                    relative_to(&folder, root).display()
                ))
                .warning(),
            ),
            None => {}
        }
        let locale = Locale::try_from_str(language)
            .or_else(|_| Locale::try_from_str(primary))
            .unwrap_or(icu_locale_core::locale!("en"));
        let no_rules = |error: icu_provider::DataError| {
            Diagnostics::from(Diagnostic::file_error(
                "site.yaml",
                format!("no plural rules for `{language}`: {error}"),
            ))
        };
        let english_rules = PluralRules::try_new_cardinal(icu_locale_core::locale!("en").into())
            .map_err(no_rules)?;
        let rules = PluralRules::try_new_cardinal((&locale).into())
            .or_else(|_| PluralRules::try_new_cardinal(icu_locale_core::locale!("en").into()))
            .map_err(no_rules)?;
        Ok((
            Strings {
                entries,
                rules,
                in_english,
                english_rules,
                currency: None,
                files: read_files,
            },
            warnings,
        ))
    }

    /// Whether `other` holds the same words (from the same files).
    pub(crate) fn same_words(&self, other: &Strings) -> bool {
        self.entries == other.entries
            && self.files == other.files
            && self.currency == other.currency
    }

    /// The text of `key` with its placeholders filled from `values`; the key itself where the
    /// strings have no such text (the required ones are checked at load).
    pub(crate) fn words(&self, key: &str, values: &[(&str, String)]) -> String {
        fill(self.text(key).unwrap_or(key), values)
    }

    /// The text of `key`, if it is a text.
    pub(crate) fn text(&self, key: &str) -> Option<&str> {
        match self.entries.get(key)? {
            Entry::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The list of `key`, if it is a list.
    pub(crate) fn list(&self, key: &str) -> Option<&[String]> {
        match self.entries.get(key)? {
            Entry::List(items) => Some(items),
            _ => None,
        }
    }

    /// The text of `key` for `count` things, by the language's plural rules; a plain text
    /// serves any count.
    pub(crate) fn counted(&self, key: &str, count: f64) -> Option<&str> {
        match self.entries.get(key)? {
            Entry::Text(text) => Some(text),
            Entry::Plural(forms) => {
                let rules = if self.in_english.contains(key) {
                    &self.english_rules
                } else {
                    &self.rules
                };
                let category = category(rules, count);
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
            }
            Entry::List(_) => None,
        }
    }

    /// `day` as the language writes it (`date.format` with `date.months`).
    pub(crate) fn date(&self, day: Date) -> String {
        let format = self.text("date.format").unwrap_or("{year}-{month}-{day}");
        let month_name = self.month(day);
        fill(
            format,
            &[
                ("day", day.0.day().to_string()),
                ("month", month_name),
                ("year", day.0.year().to_string()),
            ],
        )
    }

    /// The name of `day`'s month, as `date.months` writes it.
    pub(crate) fn month(&self, day: Date) -> String {
        let month = day.0.month();
        self.list("date.months")
            .and_then(|months| months.get(usize::try_from(month - 1).ok()?))
            .cloned()
            .unwrap_or_else(|| format!("{month:02}"))
    }

    /// These words, writing amounts in `currency` (an ISO 4217 code), or in plain numbers.
    pub(crate) fn with_currency(mut self, currency: Option<&str>) -> Strings {
        self.currency = currency.map(str::to_owned);
        self
    }

    /// An amount as the language writes it: `1234.5` is `1,234.50` in English (`number.group`
    /// between thousands, `number.decimal` before the cents); a whole amount has no cents.
    /// With a currency, its sign (`currency.GBP`, else the code) placed by
    /// `number.currency`: `£1,234.50`. Amounts are checked to be below 10^12 when read;
    /// beyond what a number of cents can hold, the largest is shown.
    pub(crate) fn money(&self, value: f64) -> String {
        let amount = self.number(value);
        match &self.currency {
            Some(code) => {
                let sign = self
                    .text(&format!("currency.{code}"))
                    .map_or_else(|| format!("{code}\u{a0}"), str::to_owned);
                fill(
                    self.text("number.currency").unwrap_or("{sign}{amount}"),
                    &[("sign", sign), ("amount", amount)],
                )
            }
            None => amount,
        }
    }

    /// A number grouped in thousands, with up to two decimals, as the language writes it.
    fn number(&self, value: f64) -> String {
        let group = self.text("number.group").unwrap_or(",");
        let decimal = self.text("number.decimal").unwrap_or(".");
        let cents = if value.is_nan() {
            0
        } else {
            (value * 100.0).round() as i64
        };
        let (whole, fraction) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
        let digits = whole.to_string();
        let mut out = String::from(if cents < 0 { "-" } else { "" });
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(group);
            }
            out.push(c);
        }
        if fraction != 0 {
            out.push_str(decimal);
            out.push_str(&format!("{fraction:02}"));
        }
        out
    }
}

/// The plural category `rules` give `count`.
fn category(rules: &PluralRules, count: f64) -> &'static str {
    let category = if count.fract() == 0.0 && count.abs() < 1e15 {
        rules.category_for(count.abs() as u64)
    } else {
        // A fraction: CLDR's rules need its visible digits, which two places give.
        let text = format!("{:.2}", count.abs());
        text.parse::<fixed_decimal::Decimal>()
            .map_or(PluralCategory::Other, |decimal| {
                rules.category_for(&decimal)
            })
    };
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// Whether `entry` has the shape the program needs for the required string `key`: twelve
/// months, or a plain text.
fn fits(key: &str, entry: &Entry) -> bool {
    match entry {
        Entry::List(months) => key == "date.months" && months.len() == 12,
        Entry::Text(_) => key != "date.months",
        Entry::Plural(_) => false,
    }
}

/// `text` with each `{name}` replaced by its value in `values`; an unknown name stays as it is.
pub(crate) fn fill<K: AsRef<str>>(text: &str, values: &[(K, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let replaced = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(key, _)| key.as_ref() == name)
                .map(|(_, value)| (value, close))
        });
        match replaced {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads one strings file into its leaves by dotted path.
fn read(path: &Path, theme_dir: &Path, root: &Path) -> Result<HashMap<String, Entry>, Diagnostics> {
    let shown = relative_to(path, root);
    files::inside(path, theme_dir, root, &shown)?;
    let text = files::read_text(path, &shown)?;
    let tree: BTreeMap<String, Node> = yaml::parse(&shown, &text, &text, 1)?;
    let mut entries = HashMap::new();
    flatten("", tree, &mut entries);
    Ok(entries)
}

fn flatten(prefix: &str, tree: BTreeMap<String, Node>, entries: &mut HashMap<String, Entry>) {
    for (key, node) in tree {
        let path = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match node {
            Node::Text(text) => {
                entries.insert(path, Entry::Text(text));
            }
            Node::List(items) => {
                entries.insert(path, Entry::List(items));
            }
            Node::Map(map) if is_plural(&map) => {
                let forms = map
                    .into_iter()
                    .filter_map(|(category, node)| match node {
                        Node::Text(text) => Some((category, text)),
                        _ => None,
                    })
                    .collect();
                entries.insert(path, Entry::Plural(forms));
            }
            Node::Map(map) => flatten(&path, map, entries),
        }
    }
}

/// A map of plural categories: every key is one and `other` is among them.
fn is_plural(map: &BTreeMap<String, Node>) -> bool {
    map.contains_key("other")
        && map
            .iter()
            .all(|(key, node)| CATEGORIES.contains(&key.as_str()) && matches!(node, Node::Text(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("strings")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("strings").join(name), text).unwrap();
        }
        dir
    }

    /// The bundled theme's English, which has everything the program needs.
    const ENGLISH: &str = include_str!("../../themes/default/strings/en.yaml");

    #[test]
    fn money_is_grouped_in_thousands_with_the_languages_separators() {
        let dir = theme(&[("en.yaml", ENGLISH)]);
        let (english, _) = Strings::load(dir.path(), dir.path(), "en").unwrap();
        assert_eq!(english.money(1200.0), "1,200");
        assert_eq!(english.money(1234567.5), "1,234,567.50");
        assert_eq!(english.money(999.0), "999");
        assert_eq!(english.money(0.0), "0");
        assert_eq!(english.money(f64::NAN), "0");
        assert_eq!(english.money(-1200.25), "-1,200.25");
        assert_eq!(
            english.money(f64::NEG_INFINITY),
            "-92,233,720,368,547,758.08"
        );
        let dir = theme(&[
            ("en.yaml", ENGLISH),
            (
                "fr.yaml",
                "number:\n  group: \"\u{202f}\"\n  decimal: \",\"\n",
            ),
        ]);
        let (french, _) = Strings::load(dir.path(), dir.path(), "fr").unwrap();
        assert_eq!(french.money(1234567.5), "1\u{202f}234\u{202f}567,50");
        let pounds = english.with_currency(Some("GBP"));
        assert_eq!(pounds.money(1200.0), "£1,200");
        let unlisted = pounds.with_currency(Some("XTS"));
        assert_eq!(unlisted.money(99.5), "XTS\u{a0}99.50");
        let dir = theme(&[
            ("en.yaml", ENGLISH),
            (
                "fr.yaml",
                "number:\n  group: \"\u{202f}\"\n  decimal: \",\"\n  currency: \"{amount}\u{a0}{sign}\"\n",
            ),
        ]);
        let (french, _) = Strings::load(dir.path(), dir.path(), "fr").unwrap();
        assert_eq!(
            french.with_currency(Some("EUR")).money(1200.5),
            "1\u{202f}200,50\u{a0}€"
        );
    }

    #[test]
    fn counts_follow_the_language_and_gaps_fall_back_to_english() {
        let dir = theme(&[
            ("en.yaml", ENGLISH),
            (
                "fr.yaml",
                "date:\n  format: \"{day} {month} {year}\"\n  months: [janv., févr., mars, avr., mai, juin, juil., août, sept., oct., nov., déc.]\nreferral:\n  count:\n    one: \"{count} recommandation\"\n    many: \"{count} de recommandations\"\n    other: \"{count} recommandations\"\npart:\n  business: Activité\n",
            ),
        ]);
        let (strings, warnings) = Strings::load(dir.path(), dir.path(), "fr").unwrap();
        assert_eq!(
            strings.counted("referral.count", 0.0),
            Some("{count} recommandation")
        );
        assert_eq!(
            strings.counted("referral.count", 1.0),
            Some("{count} recommandation")
        );
        assert_eq!(
            strings.counted("referral.count", 2.0),
            Some("{count} recommandations")
        );
        assert_eq!(
            strings.counted("referral.count", 1_000_000.0),
            Some("{count} de recommandations")
        );
        assert_eq!(strings.text("part.business"), Some("Activité"));
        assert_eq!(strings.text("workbook.notes"), Some("Notes"));
        // A count the translation lacks prints in English, by English rules: French would
        // call 0 `one`, and print "0 day".
        assert_eq!(strings.counted("site.days", 0.0), Some("{count} days"));
        assert_eq!(strings.counted("site.days", 1.0), Some("{count} day"));
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.contains("`workbook.notes`"),
            "{}",
            warnings[0].message
        );
        assert_eq!(
            strings.date(Date::parse("2026-08-03").unwrap()),
            "3 août 2026"
        );

        let (english, warnings) = Strings::load(dir.path(), dir.path(), "en-GB").unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            english.counted("referral.count", 0.0),
            Some("{count} referrals")
        );
        assert_eq!(
            english.counted("referral.count", 1.0),
            Some("{count} referral")
        );
        assert_eq!(
            english.counted("referral.count", 1.5),
            Some("{count} referrals")
        );
        assert_eq!(
            english.date(Date::parse("2026-05-25").unwrap()),
            "25 May 2026"
        );
    }

    #[test]
    fn a_language_without_a_file_prints_english_with_a_warning() {
        let dir = theme(&[("en.yaml", ENGLISH)]);
        let (strings, warnings) = Strings::load(dir.path(), dir.path(), "de").unwrap();
        assert_eq!(strings.text("part.business"), Some("Business"));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("`de`"));
    }

    #[test]
    fn an_english_file_without_what_the_program_prints_is_an_error() {
        let dir = theme(&[("en.yaml", "date:\n  format: \"{day}\"\n")]);
        let problems = Strings::load(dir.path(), dir.path(), "en").unwrap_err();
        let message = &problems.iter().next().unwrap().message;
        assert!(message.contains("`workbook.page_of`"), "{message}");
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(
            fill(
                "{name}’s {thing} {other} {",
                &[("name", "Ana".into()), ("thing", "list".into())]
            ),
            "Ana’s list {other} {"
        );
    }
}
