//! `site.yaml`: the site and its owner, exactly as the data model describes them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::partner::{Answer, Targets};
use crate::source::{Date, Located};

/// The owner's name and business in the `site.yaml` that `advocate init` writes: while they
/// stand, the public site shows an example, and the build says so.
pub(crate) const EXAMPLE_OWNER: (&str, &str) = ("Your Name", "Your Business");

/// The name and business of the example partner `advocate init` writes.
pub(crate) const EXAMPLE_PARTNER: (&str, &str) = ("Alex Morgan", "Morgan Interiors");

/// The contents of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// The site's title, shown on every page.
    pub(crate) title: String,
    /// Where the public site is hosted; used for absolute links and the sitemap.
    #[serde(default)]
    pub(crate) base_url: Option<Located<String>>,
    /// The language of the pages, as a BCP 47 tag (default `en`).
    #[serde(default = "default_language")]
    pub language: String,
    /// A folder under `themes/` (default `default`).
    #[serde(default)]
    pub(crate) theme: Option<Located<String>>,
    /// Paper size of the printable workbooks.
    #[serde(default)]
    pub paper: Paper,
    /// The currency of referral values, as its ISO 4217 code (`GBP`, `EUR`, `USD`); amounts
    /// are then written with its sign, as the language writes them (`£1,200`). Default: none,
    /// plain numbers.
    #[serde(default)]
    pub(crate) currency: Option<Located<String>>,
    /// The day progress is measured against. Default: SOURCE_DATE_EPOCH if set, else today.
    #[serde(default)]
    pub(crate) as_of: Option<Date>,
    /// Default cadence for every partner.
    #[serde(default)]
    pub(crate) cadence: Cadence,
    pub owner: Owner,
    /// A trainer's name, logo, course, footer line and colour on the handouts, `guide.pdf`
    /// and `course-pack.pdf`. Public: the handouts are published.
    #[serde(default)]
    pub(crate) branding: Option<super::branding::Branding>,
}

impl SiteFile {
    /// The public site's address, as a browser writes it and ending in `/`
    /// (`https://zoë.example/a` becomes `https://xn--zo-ija.example/a/`); `None` when there is
    /// none or it is not one (see [`base_address`]).
    pub(crate) fn base_address(&self) -> Option<String> {
        base_address(&self.base_url.as_ref()?.value).ok()
    }
}

/// `text` as the address of a hosted site, ending in `/`, or why it cannot be one: it must be
/// an absolute `http` or `https` address with a host, and nothing that a page's address would
/// be written after (no `?query` or `#fragment`), no password, no space or line break.
pub(crate) fn base_address(text: &str) -> Result<String, &'static str> {
    let url = web_url(text)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it cannot have a `?` or `#` part: each page's address is added after it");
    }
    let mut address = url.to_string();
    if !address.ends_with('/') {
        address.push('/');
    }
    Ok(address)
}

/// `text` as a web page's address (a partner's website), written out in full, or why it
/// cannot be one: an absolute `http` or `https` address with a host, no password, no space.
pub(crate) fn web_address(text: &str) -> Result<String, &'static str> {
    web_url(text).map(String::from)
}

fn web_url(text: &str) -> Result<url::Url, &'static str> {
    let text = text.trim();
    if text.contains(char::is_whitespace) || text.contains(char::is_control) {
        return Err("it has a space or a line break in it");
    }
    let no_scheme = "it must start with https:// (or http://) and a host name";
    let url = url::Url::parse(text).map_err(|_| {
        if text.contains("://") {
            "it is not a web address"
        } else {
            no_scheme
        }
    })?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return Err(no_scheme);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it cannot hold a user name or password");
    }
    Ok(url)
}

fn default_language() -> String {
    "en".to_owned()
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

/// How often to meet and to be in touch.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Cadence {
    /// Days between face-to-face meetings; the method says monthly (30).
    #[serde(default = "default_meet_every")]
    pub(crate) meet_every_days: Days,
    /// Days between contacts of any kind; the method says weekly (7).
    #[serde(default = "default_contact_every")]
    pub(crate) contact_every_days: Days,
}

/// The most days that may pass between meetings or contacts: 1 or more (with 0, every day
/// would be late). Its error carries its help after a newline, which the YAML module shows as
/// the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub(crate) struct Days(u32);

impl Days {
    pub(crate) fn get(self) -> u32 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match u32::deserialize(deserializer)? {
            0 => Err(serde::de::Error::custom(
                "a cadence of 0 days would make every day late\nwrite how many days may pass between meetings or contacts: 1 or more, such as `7`",
            )),
            days => Ok(Days(days)),
        }
    }
}

impl JsonSchema for Days {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Days".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": 1, "maximum": u32::MAX })
    }
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            meet_every_days: default_meet_every(),
            contact_every_days: default_contact_every(),
        }
    }
}

fn default_meet_every() -> Days {
    Days(30)
}
fn default_contact_every() -> Days {
    Days(7)
}

/// The person whose advocacy relationships these are.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    pub name: String,
    pub(crate) business: String,
    #[serde(default)]
    pub(crate) role: Option<String>,
    /// Private: never on the public site.
    #[serde(default)]
    pub(crate) email: Option<String>,
    /// Private: never on the public site.
    #[serde(default)]
    pub(crate) phone: Option<String>,
    /// The 20-second introduction advocates can repeat.
    #[serde(default)]
    pub(crate) introduction: Option<String>,
    /// Who I want my advocates to talk to.
    #[serde(default)]
    pub(crate) targets: Targets,
    /// What I want them to talk about.
    #[serde(default)]
    pub(crate) offer: Vec<String>,
    /// My own briefing answers, by question id from the guide.
    #[serde(default)]
    pub(crate) answers: BTreeMap<Located<String>, Answer>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_address_is_an_absolute_web_address() {
        for (text, address) in [
            ("https://sam.example.org/", "https://sam.example.org/"),
            ("https://sam.example.org", "https://sam.example.org/"),
            ("  http://x.org/partners  ", "http://x.org/partners/"),
            ("https://zoë.example/a b", ""),
            (
                "https://zoë.example/café",
                "https://xn--zo-ija.example/caf%C3%A9/",
            ),
        ] {
            match base_address(text) {
                Ok(got) => assert_eq!(got, address, "{text}"),
                Err(why) => assert!(address.is_empty(), "{text}: {why}"),
            }
        }
        for bad in [
            "https://x.org/\nDisallow: /",
            "https://x.org/\rx",
            "ftp://x.org/",
            "javascript:alert(1)",
            "sam.example.org",
            "/partners/",
            "https://x.org/?a=1",
            "https://x.org/#top",
            "https://sam:secret@x.org/",
            "https://",
        ] {
            assert!(base_address(bad).is_err(), "{bad:?}");
        }
    }
}
