//! The public pages: built from the public projection only.

use serde::Serialize;

use super::{StageColumn, TimelineStep, timeline};
use crate::artifact::partner_href;
use crate::model::Stage;
use crate::model::public::{PublicPartner, PublicView};
use crate::present::stage_name;
use crate::source::markdown::Fields;

#[derive(Debug, Serialize)]
pub struct PublicDashboard {
    pub introduction: Option<String>,
    pub owner_business: String,
    pub stages: Vec<StageColumn<PublicCard>>,
    pub given: usize,
    pub received: usize,
    pub partner_count: usize,
}

#[derive(Debug, Serialize)]
pub struct PublicCard {
    /// Empty when the partner's name gives no initials: templates then show `number`.
    pub label: String,
    pub number: Option<usize>,
    pub business: Option<String>,
    pub sector: Option<String>,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct PublicPartnerView {
    /// Empty when the partner's name gives no initials: templates then show `number`.
    pub label: String,
    pub number: Option<usize>,
    pub name: Option<String>,
    pub business: Option<String>,
    pub role: Option<String>,
    pub sector: Option<String>,
    pub stage: Stage,
    pub stage_name: &'static str,
    pub timeline: Vec<TimelineStep>,
    pub referrals_given: usize,
    pub referrals_received: usize,
}

pub fn public_dashboard(
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
                name: stage_name(number),
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
    }
}

pub fn public_partner(p: &PublicPartner) -> PublicPartnerView {
    PublicPartnerView {
        label: p.label.clone(),
        number: p.number,
        name: p.named.as_ref().map(|n| n.name.clone()),
        business: p.named.as_ref().map(|n| n.business.clone()),
        role: p.named.as_ref().and_then(|n| n.role.clone()),
        sector: p.sector.clone(),
        stage: p.stage,
        stage_name: stage_name(p.stage),
        timeline: timeline(p.stage, &p.stage_dates),
        referrals_given: p.referrals_given,
        referrals_received: p.referrals_received,
    }
}
