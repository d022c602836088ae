//! The public pages: built from the public projection only: the progress page, a page per
//! partner shown, and "who I recommend", the partners shown by name with the owner's words.

use serde::Serialize;

use super::{StageColumn, TimelineStep, timeline};
use crate::artifact::partner_href;
use crate::model::Stage;
use crate::model::public::{PublicPartner, PublicView};
use crate::source::markdown::Fields;

#[derive(Debug, Serialize)]
pub(crate) struct PublicDashboard {
    pub(crate) introduction: Option<String>,
    pub(crate) owner_business: String,
    pub(crate) stages: Vec<StageColumn<PublicCard>>,
    pub(crate) given: usize,
    pub(crate) received: usize,
    pub(crate) partner_count: usize,
    /// The pipeline over time: the days stages began are public.
    pub(crate) pipeline_chart: super::charts::PipelineChart,
    /// The partners named in public, those with the owner's words first, for the top of the
    /// page; empty when there is no "who I recommend" page.
    pub(crate) recommended: Vec<Recommended>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PublicCard {
    /// Empty when the partner's name gives no initials: templates then show `number`.
    pub(crate) label: String,
    pub(crate) number: Option<usize>,
    pub(crate) business: Option<String>,
    pub(crate) sector: Option<String>,
    pub(crate) href: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PublicPartnerView {
    /// Empty when the partner's name gives no initials: templates then show `number`.
    pub(crate) label: String,
    pub(crate) number: Option<usize>,
    pub(crate) name: Option<String>,
    pub(crate) business: Option<String>,
    pub(crate) role: Option<String>,
    /// The owner's words, as HTML.
    pub(crate) recommendation: Option<String>,
    pub(crate) website: Option<String>,
    pub(crate) sector: Option<String>,
    pub(crate) stage: Stage,
    pub(crate) timeline: Vec<TimelineStep>,
    pub(crate) referrals_given: usize,
    pub(crate) referrals_received: usize,
}

pub(crate) fn public_dashboard(
    view: &PublicView,
    site_guide_stage_pages: &[Option<String>; 4],
) -> PublicDashboard {
    PublicDashboard {
        introduction: view
            .owner
            .introduction
            .as_ref()
            .map(|i| Fields::default().to_html(i)),
        owner_business: view.owner.business.clone(),
        stages: Stage::ALL
            .into_iter()
            .map(|number| StageColumn {
                number,
                guide_href: site_guide_stage_pages[number.index()].clone(),
                partners: view
                    .partners
                    .iter()
                    .filter(|p| p.stage == number)
                    .map(|p| PublicCard {
                        label: p.label.clone(),
                        number: p.number,
                        business: p.named.as_ref().map(|n| n.business.clone()),
                        sector: p.sector.clone(),
                        href: partner_href(&p.slug),
                    })
                    .collect(),
            })
            .collect(),
        given: view.partners.iter().map(|p| p.referrals_given).sum(),
        received: view.partners.iter().map(|p| p.referrals_received).sum(),
        partner_count: view.partners.len(),
        pipeline_chart: super::charts::pipeline_chart(
            &view
                .partners
                .iter()
                .map(|p| p.stage_dates)
                .collect::<Vec<_>>(),
            view.as_of,
        ),
        recommended: {
            let fields = Fields::default();
            let mut named: Vec<Recommended> = view
                .partners
                .iter()
                .filter_map(|p| recommended(p, &fields))
                .collect();
            named.sort_by_cached_key(|p| (p.recommendation.is_none(), alphabetical(&p.name)));
            named
        },
    }
}

/// What names are sorted by: their letters without accents and case, so that Álvarez comes
/// before Baker; then the name itself, so that the order never depends on the files' order.
fn alphabetical(name: &str) -> (String, String) {
    (deunicode::deunicode(name).to_lowercase(), name.to_owned())
}

/// A partner named in public, as the owner recommends them; `None` for one not named.
fn recommended(p: &PublicPartner, fields: &Fields) -> Option<Recommended> {
    let named = p.named.as_ref()?;
    Some(Recommended {
        name: named.name.clone(),
        business: named.business.clone(),
        role: named.role.clone(),
        recommendation: named.recommendation.as_ref().map(|r| fields.to_html(r)),
        website: named.website.clone(),
        href: partner_href(&p.slug),
    })
}

/// The partners the owner names in public, by sector.
#[derive(Debug, Serialize)]
pub(crate) struct Recommendations {
    pub(crate) sectors: Vec<SectorGroup>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SectorGroup {
    /// `None` for the partners without a sector, who come last.
    pub(crate) sector: Option<String>,
    pub(crate) partners: Vec<Recommended>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Recommended {
    pub(crate) name: String,
    pub(crate) business: String,
    pub(crate) role: Option<String>,
    /// The owner's words, as HTML.
    pub(crate) recommendation: Option<String>,
    pub(crate) website: Option<String>,
    pub(crate) href: String,
}

/// Whether the public site has a "who I recommend" page: it names at least one partner.
pub(crate) fn has_recommendations(view: &PublicView) -> bool {
    view.partners.iter().any(|p| p.named.is_some())
}

/// The named partners grouped by sector, sectors in alphabetical order and names in
/// alphabetical order (see [`alphabetical`]) within each.
pub(crate) fn recommendations(view: &PublicView) -> Recommendations {
    let fields = Fields::default();
    let mut by_sector: std::collections::BTreeMap<(bool, Option<&str>), Vec<Recommended>> =
        std::collections::BTreeMap::new();
    for p in &view.partners {
        let Some(partner) = recommended(p, &fields) else {
            continue;
        };
        let sector = p.sector.as_deref().filter(|s| !s.trim().is_empty());
        by_sector
            .entry((sector.is_none(), sector))
            .or_default()
            .push(partner);
    }
    Recommendations {
        sectors: by_sector
            .into_iter()
            .map(|((_, sector), mut partners)| {
                partners.sort_by_cached_key(|p| alphabetical(&p.name));
                SectorGroup {
                    sector: sector.map(str::to_owned),
                    partners,
                }
            })
            .collect(),
    }
}

pub(crate) fn public_partner(p: &PublicPartner) -> PublicPartnerView {
    PublicPartnerView {
        label: p.label.clone(),
        number: p.number,
        name: p.named.as_ref().map(|n| n.name.clone()),
        business: p.named.as_ref().map(|n| n.business.clone()),
        role: p.named.as_ref().and_then(|n| n.role.clone()),
        recommendation: p
            .named
            .as_ref()
            .and_then(|n| n.recommendation.as_ref())
            .map(|r| Fields::default().to_html(r)),
        website: p.named.as_ref().and_then(|n| n.website.clone()),
        sector: p.sector.clone(),
        stage: p.stage,
        timeline: timeline(p.stage, &p.stage_dates),
        referrals_given: p.referrals_given,
        referrals_received: p.referrals_received,
    }
}

#[cfg(test)]
mod tests {
    use super::alphabetical;

    #[test]
    fn names_sort_by_their_letters_whatever_their_accents_and_case() {
        let mut names = ["Zoë Lefèvre", "Ólafur Arnalds", "baker", "Álvarez"];
        names.sort_by_cached_key(|n| alphabetical(n));
        assert_eq!(names, ["Álvarez", "baker", "Ólafur Arnalds", "Zoë Lefèvre"]);
    }
}
