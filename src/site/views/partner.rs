//! A partner's private page: everything recorded about the relationship, in the guide's order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    FiguresView, HealthView, Link, TimelineStep, figures_view, health_view, markdown, timeline,
};
use crate::artifact::{PdfLinks, workbook_folder};
use crate::model::guide::{Part, Question};
use crate::model::partner::{
    Answer, Decision, Direction, InteractionKind, Kind, ReferralStatus, ReservationStatus, Side,
    Targets, TeachingSide, Visibility,
};
use crate::model::progress::State;
use crate::model::{Partner, Site, Stage};
use crate::source::markdown::Fields;
use crate::source::{Date, Located};

#[derive(Debug, Serialize)]
pub(crate) struct PartnerView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) business: String,
    pub(crate) role: Option<String>,
    pub(crate) sector: Option<String>,
    pub(crate) kind: Option<Kind>,
    pub(crate) visibility: Visibility,
    pub(crate) consent: Option<Date>,
    /// What `public:` says: the public site shows it only for a partner named there.
    pub(crate) recommendation: Option<String>,
    pub(crate) website: Option<String>,
    pub(crate) introduced_by: Option<Link>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) stage: Stage,
    pub(crate) state: State,
    pub(crate) timeline: Vec<TimelineStep>,
    pub(crate) meeting: Option<HealthView>,
    pub(crate) contact: Option<HealthView>,
    /// The days between contacts over the last twelve months, against the agreed limit.
    pub(crate) rhythm: Option<super::charts::RhythmChart>,
    pub(crate) next_meeting: Option<Date>,
    pub(crate) exploratory: Option<ExploratoryView>,
    pub(crate) briefing_theirs: Option<Date>,
    pub(crate) briefing_mine: Option<Date>,
    pub(crate) answer_parts: Vec<AnswerPart>,
    /// What is open, for the top of the page.
    pub(crate) open: OpenItems,
    pub(crate) reservations: Vec<ReservationView>,
    pub(crate) reservation_counts: [usize; 3],
    pub(crate) agreement: Option<AgreementView>,
    pub(crate) teach_them: Option<TeachingView>,
    pub(crate) teach_me: Option<TeachingView>,
    pub(crate) interactions: Vec<InteractionView>,
    pub(crate) referrals: Vec<ReferralView>,
    pub(crate) given: FiguresView,
    pub(crate) received: FiguresView,
    pub(crate) updates: Vec<UpdateView>,
    /// This partner's workbooks, relative to the partner page.
    pub(crate) workbooks: Vec<Link>,
    /// This relationship's diary, relative to the partner page; `None` unless it is active.
    pub(crate) calendar: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ExploratoryView {
    pub(crate) date: Option<Date>,
    pub(crate) decision: Option<Decision>,
    pub(crate) why: Option<String>,
    pub(crate) notes: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AnswerPart {
    pub(crate) part: Part,
    pub(crate) questions: Vec<AnswerView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AnswerView {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) theirs: Option<String>,
    pub(crate) mine: Option<String>,
}

/// The relationship's loose ends: what the top of its page lists.
#[derive(Debug, Serialize)]
pub(crate) struct OpenItems {
    /// Open ones and dealbreakers.
    pub(crate) reservations: Vec<ReservationView>,
    /// Neither won nor lost.
    pub(crate) referrals_in_progress: Vec<ReferralView>,
    pub(crate) thanks_owed: Vec<ReferralView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReservationView {
    pub(crate) theme: String,
    pub(crate) held_by: Side,
    pub(crate) concern: Option<String>,
    pub(crate) status: ReservationStatus,
    pub(crate) raised: Option<Date>,
    pub(crate) resolved_on: Option<Date>,
    pub(crate) resolution: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AgreementView {
    pub(crate) date: Option<Date>,
    pub(crate) confirmed: bool,
    pub(crate) leads_me: Option<u32>,
    pub(crate) leads_them: Option<u32>,
    pub(crate) meet_every_days: Option<u32>,
    pub(crate) contact_every_days: Option<u32>,
    pub(crate) first_meetings: Vec<Date>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TeachingView {
    pub(crate) sectors: Vec<String>,
    pub(crate) sizes: Vec<String>,
    pub(crate) locations: Vec<String>,
    pub(crate) offer: Vec<String>,
    pub(crate) say: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct InteractionView {
    pub(crate) date: Date,
    pub(crate) kind: InteractionKind,
    pub(crate) summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReferralView {
    pub(crate) date: Date,
    pub(crate) direction: Direction,
    pub(crate) contact: Option<String>,
    pub(crate) need: Option<String>,
    pub(crate) status: ReferralStatus,
    pub(crate) value: Option<f64>,
    pub(crate) followed_up: Option<Date>,
    pub(crate) thanked: Option<Date>,
    pub(crate) thanks_owed: bool,
    pub(crate) not_followed_up: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct UpdateView {
    pub(crate) date: Date,
    pub(crate) text: String,
}

fn teaching_view(
    fields: &Fields,
    side: Option<&TeachingSide>,
    default_targets: &Targets,
    default_offer: &[String],
) -> Option<TeachingView> {
    let side = side?;
    let targets = side.targets.as_ref().unwrap_or(default_targets);
    let offer = if side.offer.is_empty() {
        default_offer
    } else {
        &side.offer
    };
    Some(TeachingView {
        sectors: targets.sectors.clone(),
        sizes: targets.sizes.clone(),
        locations: targets.locations.clone(),
        offer: offer.to_vec(),
        say: markdown(fields, &side.say),
    })
}

pub(crate) fn partner(site: &Site, p: &Partner, pdfs: Option<&PdfLinks>) -> PartnerView {
    let fields = &Fields::default();
    let data = &p.data;
    let owner = &site.config.owner;
    let theirs = data.briefing.as_ref().and_then(|b| b.theirs.as_ref());
    let answer_parts = answer_parts(site, p, fields);
    let progress = &p.progress;
    let contact = data.contact.as_ref();
    let reservations = reservations(site, p, fields);
    let referrals = referrals(p, fields);
    let open = OpenItems {
        reservations: reservations
            .iter()
            .filter(|r| r.status != ReservationStatus::Resolved)
            .cloned()
            .collect(),
        referrals_in_progress: referrals
            .iter()
            .filter(|r| !matches!(r.status, ReferralStatus::Won | ReferralStatus::Lost))
            .cloned()
            .collect(),
        thanks_owed: referrals
            .iter()
            .filter(|r| r.thanks_owed)
            .cloned()
            .collect(),
    };
    PartnerView {
        open,
        id: p.id.clone(),
        name: data.name.clone(),
        business: data.business.clone(),
        role: data.role.clone(),
        sector: data.sector.clone(),
        kind: data.kind,
        visibility: data.visibility(),
        consent: data.consent,
        recommendation: markdown(
            fields,
            &data.public.as_ref().and_then(|p| p.recommendation.clone()),
        ),
        website: data
            .public
            .as_ref()
            .and_then(|p| p.website.as_ref())
            .and_then(|w| crate::model::site::web_address(&w.value).ok()),
        introduced_by: data.introduced_by.as_ref().and_then(|by| {
            site.partner(&by.value).map(|other| Link {
                title: other.data.name.clone(),
                href: format!("{}.html", other.id),
            })
        }),
        email: contact.and_then(|c| c.email.clone()),
        phone: contact.and_then(|c| c.phone.clone()),
        address: contact.and_then(|c| c.address.clone()),
        stage: progress.stage,
        state: progress.state,
        timeline: timeline(progress.stage, &progress.stage_dates),
        meeting: progress.cadence.as_ref().map(|c| health_view(&c.meeting)),
        contact: progress.cadence.as_ref().map(|c| health_view(&c.contact)),
        rhythm: progress.cadence.as_ref().and_then(|c| {
            super::charts::rhythm_chart(
                crate::model::progress::contact_dates(data),
                c.contact.limit_days,
                site.as_of,
            )
        }),
        next_meeting: progress.next_meeting,
        exploratory: data.exploratory.as_ref().map(|e| ExploratoryView {
            date: e.date,
            decision: e.decision,
            why: markdown(fields, &e.why),
            notes: markdown(fields, &e.notes),
        }),
        briefing_theirs: theirs.and_then(|t| t.date),
        briefing_mine: data
            .briefing
            .as_ref()
            .and_then(|b| b.mine.as_ref())
            .and_then(|m| m.date),
        answer_parts,
        reservations,
        reservation_counts: [
            progress.reservations.open,
            progress.reservations.resolved,
            progress.reservations.dealbreakers,
        ],
        agreement: data.agreement.as_ref().map(|a| AgreementView {
            date: a.date,
            confirmed: a.confirmed,
            leads_me: a.leads_wanted.as_ref().and_then(|l| l.me),
            leads_them: a.leads_wanted.as_ref().and_then(|l| l.them),
            meet_every_days: a.meet_every_days.map(|d| d.get()),
            contact_every_days: a.contact_every_days.map(|d| d.get()),
            first_meetings: a.first_meetings.clone(),
        }),
        teach_them: teaching_view(
            fields,
            data.teaching.as_ref().and_then(|t| t.them.as_ref()),
            &Targets::default(),
            &[],
        ),
        teach_me: teaching_view(
            fields,
            data.teaching.as_ref().and_then(|t| t.me.as_ref()),
            &owner.targets,
            &owner.offer,
        ),
        interactions: interactions(p, fields),
        referrals,
        given: figures_view(&progress.referrals.given),
        received: figures_view(&progress.referrals.received),
        workbooks: pdfs
            .map(|pdfs| workbook_links(&p.id, pdfs))
            .unwrap_or_default(),
        updates: news(p, fields),
        calendar: (progress.state == State::Active)
            .then(|| format!("../{}", crate::site::calendar::partner_calendar_href(&p.id))),
    }
}

/// The guide's questions, business then personal, with their answers and the owner's.
fn answer_parts(site: &Site, p: &Partner, fields: &Fields) -> Vec<AnswerPart> {
    let theirs = p.data.briefing.as_ref().and_then(|b| b.theirs.as_ref());
    let answer = |answers: &BTreeMap<Located<String>, Answer>, question: &Question| {
        answers
            .iter()
            .find(|(id, a)| id.value == question.id.value && !a.is_blank())
            .map(|(_, a)| fields.to_html(&a.to_markdown()))
    };
    [Part::Business, Part::Personal]
        .into_iter()
        .map(|part| AnswerPart {
            part,
            questions: site
                .guide
                .questions()
                .filter(|q| q.part == part)
                .map(|q| AnswerView {
                    id: q.id.value.clone(),
                    text: q.text.clone(),
                    theirs: theirs.and_then(|t| answer(&t.answers, q)),
                    mine: answer(&site.config.owner.answers, q),
                })
                .collect(),
        })
        .collect()
}

fn reservations(site: &Site, p: &Partner, fields: &Fields) -> Vec<ReservationView> {
    p.data
        .reservations
        .iter()
        .map(|r| ReservationView {
            theme: site
                .guide
                .theme(&r.theme.value)
                .map_or_else(|| r.theme.value.clone(), |t| t.title.clone()),
            held_by: r.held_by,
            concern: markdown(fields, &r.concern),
            status: r.status,
            raised: r.raised,
            resolved_on: r.resolved_on,
            resolution: markdown(fields, &r.resolution),
        })
        .collect()
}

/// The information bank, newest first.
fn interactions(p: &Partner, fields: &Fields) -> Vec<InteractionView> {
    let mut list: Vec<InteractionView> = p
        .data
        .interactions
        .iter()
        .map(|i| InteractionView {
            date: i.date,
            kind: i.kind,
            summary: markdown(fields, &i.summary),
        })
        .collect();
    list.sort_by_key(|item| std::cmp::Reverse(item.date));
    list
}

fn referrals(p: &Partner, fields: &Fields) -> Vec<ReferralView> {
    let figures = &p.progress.referrals;
    p.data
        .referrals
        .iter()
        .enumerate()
        .map(|(index, r)| ReferralView {
            date: r.date,
            direction: r.direction,
            contact: r.contact.clone(),
            need: markdown(fields, &r.need),
            status: r.status,
            value: r.value.as_ref().map(|v| v.value),
            followed_up: r.followed_up,
            thanked: r.thanked,
            thanks_owed: figures.thanks_owed.contains(&index),
            not_followed_up: figures.not_followed_up.contains(&index),
        })
        .collect()
}

/// The partner's workbooks, relative to their page.
fn workbook_links(id: &str, pdfs: &PdfLinks) -> Vec<Link> {
    let folder = workbook_folder(id);
    pdfs.partner
        .iter()
        .map(|pdf| Link {
            title: pdf.title.clone(),
            href: format!("../{folder}/{}", pdf.file),
        })
        .collect()
}

/// The news to relay, newest first.
fn news(p: &Partner, fields: &Fields) -> Vec<UpdateView> {
    let mut list: Vec<UpdateView> = p
        .data
        .updates
        .iter()
        .map(|u| UpdateView {
            date: u.date,
            text: fields.to_html(&u.text),
        })
        .collect();
    list.sort_by_key(|item| std::cmp::Reverse(item.date));
    list
}
