//! The public projection: everything the hosted site may know, and nothing else.
//!
//! The public renderer receives a [`PublicView`], never the [`Site`]. None of these types has a
//! field that could hold contact details, briefing answers, reservations, interactions, referral
//! contacts, needs or values, updates, or the owner's email and phone, so no template can print
//! them. What each partner shows follows the data model's Privacy table:
//!
//! | visibility | shown |
//! |---|---|
//! | private | nothing |
//! | anonymous | initials and sector, stage, dates of stage changes, counts of referrals each way |
//! | public (with consent) | as anonymous, plus name, business and role, and the owner's `public:` recommendation and link to their website |
//!
//! Declined relationships are left out: they are not relationships any more. Whether a
//! relationship is on hold is not shown, because it reveals a reservation.
//!
//! An anonymous partner's page is `partner-N`, numbered in the order of the first day the
//! partner's file records contact (then by id), so a partner added later takes the next number
//! and every hosted address stays as it was; the list is in that order too, so it tells
//! nothing of the ids behind it. Initials are taken only where a letter stands for less than a
//! whole part of the name (see [`initials`]).

use serde::Serialize;

use super::partner::Visibility;
use super::{Site, Stage};
use crate::source::Date;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PublicView {
    pub(crate) title: String,
    pub(crate) language: String,
    /// Absolute address of the hosted site, ending in `/`.
    pub(crate) base_url: Option<String>,
    pub(crate) owner: PublicOwner,
    pub(crate) as_of: Date,
    pub(crate) partners: Vec<PublicPartner>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PublicOwner {
    pub(crate) name: String,
    pub(crate) business: String,
    pub(crate) role: Option<String>,
    pub(crate) introduction: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PublicPartner {
    /// The page's name: the id for public partners, `partner-N` for anonymous ones (an id is
    /// usually made from the name, so it would give an anonymous partner away).
    pub(crate) slug: String,
    /// The name for public partners, initials for anonymous ones: empty when a name has no
    /// part an initial can stand for, and templates then show the number.
    pub(crate) label: String,
    /// The `N` of an anonymous partner's `partner-N`.
    pub(crate) number: Option<usize>,
    pub(crate) named: Option<Named>,
    pub(crate) sector: Option<String>,
    pub(crate) stage: Stage,
    /// The day each stage began, for the stages reached.
    pub(crate) stage_dates: [Option<Date>; 4],
    pub(crate) referrals_given: usize,
    pub(crate) referrals_received: usize,
}

/// What a partner who consented to be named shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Named {
    pub(crate) name: String,
    pub(crate) business: String,
    pub(crate) role: Option<String>,
    /// Why the owner recommends them, as Markdown in the owner's words.
    pub(crate) recommendation: Option<String>,
    /// Their website, written out in full.
    pub(crate) website: Option<String>,
}

impl PublicView {
    /// Projects `site` onto what may be published; with it, the id of the partner behind each
    /// public partner, in the same order. The ids are for the build's dependency graph; they
    /// stay out of the view because an id usually gives an anonymous partner's name away.
    pub(crate) fn project(site: &Site) -> (PublicView, Vec<String>) {
        let owner = &site.config.owner;
        // A named partner's page is named after their id, so anonymous pages skip any
        // `partner-N` that a named partner's id already takes.
        let named_ids: std::collections::HashSet<&str> = site
            .partners
            .iter()
            .filter(|p| p.data.visibility() == Visibility::Public)
            .map(|p| p.id.as_str())
            .collect();
        let mut shown: Vec<&super::Partner> = site
            .partners
            .iter()
            .map(|p| &**p)
            .filter(|p| p.progress.state != super::progress::State::Declined)
            .filter(|p| p.data.visibility() != Visibility::Private)
            .collect();
        // Undated partners last: `None` sorts first, so compare whether there is a date first.
        shown.sort_by(|a, b| {
            let key = |p: &super::Partner| {
                let first = p.progress.first_contact;
                (first.is_none(), first)
            };
            key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
        });
        let mut last_number = 0;
        let mut origins = Vec::new();
        let partners = shown
            .into_iter()
            .map(|p| {
                let named = (p.data.visibility() == Visibility::Public).then(|| {
                    let profile = p.data.public.as_ref();
                    Named {
                        name: p.data.name.clone(),
                        business: p.data.business.clone(),
                        role: p.data.role.clone(),
                        recommendation: profile
                            .and_then(|p| p.recommendation.clone())
                            .filter(|text| !text.trim().is_empty()),
                        website: profile
                            .and_then(|p| p.website.as_ref())
                            .and_then(|w| super::site::web_address(&w.value).ok()),
                    }
                });
                let (slug, label, number) = match &named {
                    Some(named) => (p.id.clone(), named.name.clone(), None),
                    None => {
                        let (slug, number) = loop {
                            last_number += 1;
                            let slug = format!("partner-{last_number}");
                            if !named_ids.contains(slug.as_str()) {
                                break (slug, last_number);
                            }
                        };
                        (slug, initials(&p.data.name), Some(number))
                    }
                };
                origins.push(p.id.clone());
                PublicPartner {
                    slug,
                    label,
                    number,
                    named,
                    sector: p.data.sector.clone(),
                    stage: p.progress.stage,
                    stage_dates: p.progress.stage_dates,
                    referrals_given: p.progress.referrals.given.total,
                    referrals_received: p.progress.referrals.received.total,
                }
            })
            .collect();
        let view = PublicView {
            title: site.config.title.clone(),
            language: site.config.language.clone(),
            base_url: site.config.base_address(),
            owner: PublicOwner {
                name: owner.name.clone(),
                business: owner.business.clone(),
                role: owner.role.clone(),
                introduction: owner.introduction.clone(),
            },
            as_of: site.as_of,
            partners,
        };
        (view, origins)
    }
}

/// `Zoë Lefèvre` becomes `Z. L.`; `Siobhán Ní Bhriain` becomes `S. N. B.`.
///
/// An initial must never be a whole part of a name. So a part gives one only when it is
/// written in a script with capital letters (Latin, Greek, Cyrillic, Armenian, Georgian ...),
/// where a letter is a sound, and has more than one letter. In Chinese, Japanese or Korean a
/// character is a syllable or a whole name, and Arabic, Hebrew or Devanagari names are not
/// shortened that way, so their parts give none: `王芳 Harrowgate` is `H.`, `김민준` is empty.
pub(crate) fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|word| word.chars().filter(|c| c.is_alphabetic()).nth(1).is_some())
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
        .filter(|first| first.is_uppercase() || first.is_lowercase())
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_keep_letters_beyond_ascii() {
        assert_eq!(initials("Zoë Lefèvre"), "Z. L.");
        assert_eq!(initials("Łukasz  Nowak"), "Ł. N.");
        assert_eq!(initials("\"Bob\" O'Neil"), "B. O.");
        assert_eq!(initials("Νίκος Παπαδόπουλος"), "Ν. Π.");
        assert_eq!(initials("Ольга Петрова"), "О. П.");
        assert_eq!(initials("ąnna nowak"), "Ą. N.");
    }

    #[test]
    fn an_initial_is_never_a_whole_part_of_a_name() {
        for (name, shown) in [
            ("王芳 Harrowgate", "H."),
            ("王芳", ""),
            ("山田 太郎", ""),
            ("やまだ たろう", ""),
            ("김민준", ""),
            ("김 민준 Park", "P."),
            ("محمد علي", ""),
            ("דוד כהן", ""),
            ("अमित शर्मा", ""),
            ("X Æ A-12", ""),
            ("J. Smith", "S."),
            ("J Smith", "S."),
            ("Q", ""),
        ] {
            assert_eq!(initials(name), shown, "{name}");
        }
    }
}
