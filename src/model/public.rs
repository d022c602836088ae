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
//! | public (with consent) | as anonymous, plus name, business and role |
//!
//! Declined relationships are left out: they are not relationships any more. Whether a
//! relationship is on hold is not shown, because it reveals a reservation.

use serde::Serialize;

use super::Site;
use super::partner::Visibility;
use crate::source::Date;

#[derive(Debug, Clone, Serialize)]
pub struct PublicView {
    pub title: String,
    pub language: String,
    /// Absolute address of the hosted site, ending in `/`.
    pub base_url: Option<String>,
    pub owner: PublicOwner,
    pub as_of: Date,
    pub partners: Vec<PublicPartner>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicOwner {
    pub name: String,
    pub business: String,
    pub role: Option<String>,
    pub introduction: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicPartner {
    /// The page's name: the id for public partners, `partner-N` for anonymous ones (an id is
    /// usually made from the name, so it would give an anonymous partner away).
    pub slug: String,
    /// The name for public partners, initials for anonymous ones.
    pub label: String,
    pub named: Option<Named>,
    pub sector: Option<String>,
    pub stage: u8,
    /// The day each stage began, for the stages reached.
    pub stage_dates: [Option<Date>; 4],
    pub referrals_given: usize,
    pub referrals_received: usize,
}

/// What a partner who consented to be named shows.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub name: String,
    pub business: String,
    pub role: Option<String>,
}

impl PublicView {
    /// Projects `site` onto what may be published.
    pub fn project(site: &Site) -> PublicView {
        Self::project_with_origins(site).0
    }

    /// As [`PublicView::project`], with the id of the partner behind each public partner, in
    /// the same order. The ids are for the build's dependency graph; they stay out of the view
    /// because an id usually gives an anonymous partner's name away.
    pub fn project_with_origins(site: &Site) -> (PublicView, Vec<String>) {
        let owner = &site.config.owner;
        // A named partner's page is named after their id, so anonymous pages skip any
        // `partner-N` that a named partner's id already takes.
        let named_ids: std::collections::HashSet<&str> = site
            .partners
            .iter()
            .filter(|p| p.data.visibility() == Visibility::Public)
            .map(|p| p.id.as_str())
            .collect();
        let mut anonymous_count = 0;
        let mut origins = Vec::new();
        let partners = site
            .partners
            .iter()
            .filter(|p| p.progress.state != super::progress::State::Declined)
            .filter_map(|p| {
                let visibility = p.data.visibility();
                let named = match visibility {
                    Visibility::Private => return None,
                    Visibility::Anonymous => None,
                    Visibility::Public => Some(Named {
                        name: p.data.name.clone(),
                        business: p.data.business.clone(),
                        role: p.data.role.clone(),
                    }),
                };
                let (slug, label) = match &named {
                    Some(named) => (p.id.clone(), named.name.clone()),
                    None => {
                        let slug = loop {
                            anonymous_count += 1;
                            let slug = format!("partner-{anonymous_count}");
                            if !named_ids.contains(slug.as_str()) {
                                break slug;
                            }
                        };
                        (slug, initials(&p.data.name))
                    }
                };
                origins.push(p.id.clone());
                Some(PublicPartner {
                    slug,
                    label,
                    named,
                    sector: p.data.sector.clone(),
                    stage: p.progress.stage,
                    stage_dates: p.progress.stage_dates,
                    referrals_given: p.progress.referrals.given.total,
                    referrals_received: p.progress.referrals.received.total,
                })
            })
            .collect();
        let view = PublicView {
            title: site.config.title.clone(),
            language: site.config.language.clone(),
            base_url: site.config.base_url.as_ref().map(|u| {
                let url = u.value.trim();
                if url.ends_with('/') {
                    url.to_owned()
                } else {
                    format!("{url}/")
                }
            }),
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
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
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
    }
}
