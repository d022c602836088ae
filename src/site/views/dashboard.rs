//! The private dashboard: every relationship by stage, what needs attention, the next meetings,
//! referrals each way, and the owner.

use serde::Serialize;

use super::{FiguresView, HealthView, StageColumn, figures_view, health_view, markdown};
use crate::artifact::partner_href;
use crate::model::partner::ReferralStatus;
use crate::model::progress::{DirectionFigures, State, Status};
use crate::model::{Partner, Site, Stage};
use crate::source::Date;
use crate::source::markdown::Fields;

#[derive(Debug, Serialize)]
pub(crate) struct Dashboard {
    pub(crate) stages: Vec<StageColumn<PartnerCard>>,
    pub(crate) declined: Vec<PartnerCard>,
    pub(crate) attention: Vec<Attention>,
    pub(crate) next_meetings: Vec<NextMeeting>,
    pub(crate) given: FiguresView,
    pub(crate) received: FiguresView,
    pub(crate) thanks_owed: Vec<ReferralLine>,
    pub(crate) not_followed_up: Vec<ReferralLine>,
    pub(crate) partner_count: usize,
    pub(crate) owner: OwnerView,
    /// The diary of every relationship, relative to the dashboard.
    pub(crate) calendar: &'static str,
    pub(crate) referral_chart: super::charts::ReferralChart,
    pub(crate) pipeline_chart: super::charts::PipelineChart,
}

/// The owner's own details, for the private dashboard.
#[derive(Debug, Serialize)]
pub(crate) struct OwnerView {
    pub(crate) name: String,
    pub(crate) business: String,
    pub(crate) role: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) introduction: Option<String>,
    pub(crate) sectors: Vec<String>,
    pub(crate) sizes: Vec<String>,
    pub(crate) locations: Vec<String>,
    pub(crate) offer: Vec<String>,
    pub(crate) answered: usize,
    pub(crate) questions: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct PartnerCard {
    pub(crate) name: String,
    pub(crate) business: String,
    pub(crate) href: String,
    pub(crate) state: State,
    pub(crate) health: Option<Status>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Attention {
    pub(crate) name: String,
    pub(crate) href: String,
    /// The worse of the two below.
    pub(crate) status: Status,
    pub(crate) meeting: HealthView,
    pub(crate) contact: HealthView,
}

#[derive(Debug, Serialize)]
pub(crate) struct NextMeeting {
    pub(crate) date: Date,
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) in_diary: bool,
    pub(crate) late: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReferralLine {
    pub(crate) partner: String,
    pub(crate) href: String,
    pub(crate) date: Date,
    pub(crate) contact: Option<String>,
    pub(crate) status: ReferralStatus,
}

pub(crate) fn dashboard(site: &Site) -> Dashboard {
    let card = |p: &Partner| {
        let health = p.progress.cadence.as_ref().map(|c| c.overall());
        PartnerCard {
            name: p.data.name.clone(),
            business: p.data.business.clone(),
            href: partner_href(&p.id),
            state: p.progress.state,
            health,
        }
    };
    let stages = Stage::ALL
        .into_iter()
        .map(|number| StageColumn {
            number,
            guide_href: site
                .guide
                .stage_page(number)
                .map(|p| format!("guide/{}.html", p.slug)),
            partners: site
                .partners
                .iter()
                .filter(|p| p.progress.stage == number && p.progress.state != State::Declined)
                .map(|p| card(p))
                .collect(),
        })
        .collect();
    let declined = site
        .partners
        .iter()
        .filter(|p| p.progress.state == State::Declined)
        .map(|p| card(p))
        .collect();

    let mut attention: Vec<Attention> = site
        .partners
        .iter()
        .filter_map(|p| {
            let cadence = p.progress.cadence.as_ref()?;
            let overall = cadence.overall();
            (overall > Status::New).then(|| Attention {
                name: p.data.name.clone(),
                href: partner_href(&p.id),
                status: overall,
                meeting: health_view(&cadence.meeting),
                contact: health_view(&cadence.contact),
            })
        })
        .collect();
    attention.sort_by(|a, b| b.status.cmp(&a.status).then(a.name.cmp(&b.name)));

    let mut next_meetings: Vec<NextMeeting> = site
        .partners
        .iter()
        .filter_map(|p| {
            let date = p.progress.next_meeting?;
            let in_diary = p
                .data
                .agreement
                .as_ref()
                .is_some_and(|a| a.first_meetings.contains(&date));
            Some(NextMeeting {
                date,
                name: p.data.name.clone(),
                href: partner_href(&p.id),
                in_diary,
                late: date < site.as_of,
            })
        })
        .collect();
    next_meetings.sort_by(|a, b| a.date.cmp(&b.date).then(a.name.cmp(&b.name)));

    let mut given = DirectionFigures::default();
    let mut received = DirectionFigures::default();
    let mut thanks_owed = Vec::new();
    let mut not_followed_up = Vec::new();
    for p in &site.partners {
        add_figures(&mut given, &p.progress.referrals.given);
        add_figures(&mut received, &p.progress.referrals.received);
        let line = |index: &usize| {
            let r = &p.data.referrals[*index];
            ReferralLine {
                partner: p.data.name.clone(),
                href: partner_href(&p.id),
                date: r.date,
                contact: r.contact.clone(),
                status: r.status,
            }
        };
        thanks_owed.extend(p.progress.referrals.thanks_owed.iter().map(line));
        not_followed_up.extend(p.progress.referrals.not_followed_up.iter().map(line));
    }
    Dashboard {
        stages,
        declined,
        attention,
        next_meetings,
        given: figures_view(&given),
        received: figures_view(&received),
        thanks_owed,
        not_followed_up,
        partner_count: site.partners.len(),
        owner: owner_view(site, &Fields::default()),
        calendar: crate::site::calendar::CALENDAR_FILE,
        referral_chart: super::charts::referral_chart(
            site.partners.iter().map(|p| &*p.data),
            site.as_of,
        ),
        pipeline_chart: super::charts::pipeline_chart(
            &site
                .partners
                .iter()
                .filter(|p| p.progress.state != crate::model::progress::State::Declined)
                .map(|p| p.progress.stage_dates)
                .collect::<Vec<_>>(),
            site.as_of,
        ),
    }
}

fn owner_view(site: &Site, fields: &Fields) -> OwnerView {
    let owner = &site.config.owner;
    OwnerView {
        name: owner.name.clone(),
        business: owner.business.clone(),
        role: owner.role.clone(),
        email: owner.email.clone(),
        phone: owner.phone.clone(),
        introduction: markdown(fields, &owner.introduction),
        sectors: owner.targets.sectors.clone(),
        sizes: owner.targets.sizes.clone(),
        locations: owner.targets.locations.clone(),
        offer: owner.offer.clone(),
        answered: owner.answers.values().filter(|a| !a.is_blank()).count(),
        questions: site.guide.questions().count(),
    }
}

fn add_figures(total: &mut DirectionFigures, more: &DirectionFigures) {
    if total.by_status.is_empty() {
        total.by_status = ReferralStatus::ALL.iter().map(|s| (*s, 0)).collect();
    }
    total.total += more.total;
    total.closed_value += more.closed_value;
    for ((_, count), (_, extra)) in total.by_status.iter_mut().zip(&more.by_status) {
        *count += extra;
    }
}
