//! What each page's template receives: small serialisable views built from the model, with
//! Markdown already rendered to safe HTML. Private views are built from the [`Site`]; public
//! ones only from the [`PublicView`], so a public template cannot reach a private field.

use serde::Serialize;

use crate::artifact::{
    ALL_STAGES_FILE, GUIDE_FILE, HANDOUTS_FOLDER, partner_href, stage_workbook_file,
    workbook_folder,
};
use crate::model::guide::{GuidePage, Part};
use crate::model::partner::{ReferralStatus, Targets, TeachingSide};
use crate::model::progress::{DirectionFigures, Health, State, Status};
use crate::model::public::{PublicPartner, PublicView};
use crate::model::{Partner, Site, Stage};
use crate::present::{Label, format_money, stage_name};
use crate::source::Date;
use crate::source::markdown::{Fields, Heading};

/// What every page knows about the site around it.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    pub site_title: String,
    pub language: String,
    pub owner_name: String,
    /// The way back to the site's top folder: `""` or `"../"`.
    pub root: &'static str,
    pub public: bool,
    /// The page's own title.
    pub title: String,
    pub description: Option<String>,
    /// Which part of the navigation is current: `dashboard` or `guide`.
    pub section: &'static str,
    pub as_of: Date,
    /// The printable guide and the blank workbooks, relative to the site's top folder; empty
    /// when the build skips the PDFs.
    pub downloads: Vec<Link>,
}

/// The printable files both sites offer, relative to the site's top folder.
pub fn downloads() -> Vec<Link> {
    let mut links = vec![Link {
        title: "The guide, as a printable book (PDF)".into(),
        href: GUIDE_FILE.into(),
    }];
    links.extend(Stage::ALL.map(|stage| Link {
        title: format!("Blank workbook, stage {stage}: {} (PDF)", stage_name(stage)),
        href: format!("{HANDOUTS_FOLDER}/{}", stage_workbook_file(stage)),
    }));
    links
}

/// A page: its frame and its own content.
#[derive(Debug, Serialize)]
pub struct PageContext<T: Serialize> {
    pub frame: Frame,
    pub page: T,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub href: String,
}

// ---------------------------------------------------------------- guide

#[derive(Debug, Serialize)]
pub struct GuideIndex {
    pub pages: Vec<GuideEntry>,
}

#[derive(Debug, Serialize)]
pub struct GuideEntry {
    pub title: String,
    pub summary: Option<String>,
    pub href: String,
    pub stage: Option<Stage>,
    pub stage_name: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct GuideView {
    pub title: String,
    pub summary: Option<String>,
    pub stage: Option<Stage>,
    pub stage_name: Option<&'static str>,
    pub vcp: Option<String>,
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub questions: Vec<QuestionEntry>,
    pub themes: Vec<ThemeEntry>,
}

/// A second-level heading and the third-level ones under it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub text: String,
    pub anchor: String,
    pub children: Vec<Heading>,
}

/// The table of contents: `##` headings with their `###` headings nested inside.
pub fn table_of_contents(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for heading in headings {
        match (heading.level, toc.last_mut()) {
            (3, Some(parent)) => parent.children.push(heading.clone()),
            (2 | 3, _) => toc.push(TocEntry {
                text: heading.text.clone(),
                anchor: heading.anchor.clone(),
                children: Vec::new(),
            }),
            _ => {}
        }
    }
    toc
}

#[derive(Debug, Serialize)]
pub struct QuestionEntry {
    pub id: String,
    pub part: &'static str,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ThemeEntry {
    pub id: String,
    pub title: String,
    pub prompt: String,
}

pub fn guide_index(pages: &[GuidePage]) -> GuideIndex {
    GuideIndex {
        pages: pages
            .iter()
            .map(|p| {
                let stage = p.stage();
                GuideEntry {
                    title: p.front.title.clone(),
                    summary: p.front.summary.clone(),
                    href: format!("{}.html", p.slug),
                    stage,
                    stage_name: stage.map(stage_name),
                }
            })
            .collect(),
    }
}

pub fn guide_page(pages: &[GuidePage], index: usize) -> GuideView {
    let page = &pages[index];
    let link = |p: &GuidePage| Link {
        title: p.front.title.clone(),
        href: format!("{}.html", p.slug),
    };
    let stage = page.stage();
    GuideView {
        title: page.front.title.clone(),
        summary: page.front.summary.clone(),
        stage,
        stage_name: stage.map(stage_name),
        vcp: page.front.vcp.map(|v| format!("{v:?}")),
        html: page.html.clone(),
        toc: table_of_contents(&page.headings),
        previous: index.checked_sub(1).map(|i| link(&pages[i])),
        next: pages.get(index + 1).map(link),
        questions: page
            .front
            .questions
            .iter()
            .map(|q| QuestionEntry {
                id: q.id.value.clone(),
                part: q.part.label(),
                text: q.text.clone(),
            })
            .collect(),
        themes: page
            .front
            .themes
            .iter()
            .map(|t| ThemeEntry {
                id: t.id.value.clone(),
                title: t.title.clone(),
                prompt: t.prompt.clone(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- private dashboard

#[derive(Debug, Serialize)]
pub struct Dashboard {
    pub stages: Vec<StageColumn<PartnerCard>>,
    pub declined: Vec<PartnerCard>,
    pub attention: Vec<Attention>,
    pub next_meetings: Vec<NextMeeting>,
    pub given: FiguresView,
    pub received: FiguresView,
    pub thanks_owed: Vec<ReferralLine>,
    pub not_followed_up: Vec<ReferralLine>,
    pub partner_count: usize,
    pub owner: OwnerView,
}

/// The owner's own details, for the private dashboard.
#[derive(Debug, Serialize)]
pub struct OwnerView {
    pub name: String,
    pub business: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub introduction: Option<String>,
    pub sectors: Vec<String>,
    pub sizes: Vec<String>,
    pub locations: Vec<String>,
    pub offer: Vec<String>,
    pub answered: usize,
    pub questions: usize,
}

#[derive(Debug, Serialize)]
pub struct StageColumn<T: Serialize> {
    pub number: Stage,
    pub name: &'static str,
    pub guide_href: Option<String>,
    pub partners: Vec<T>,
}

#[derive(Debug, Serialize)]
pub struct PartnerCard {
    pub name: String,
    pub business: String,
    pub href: String,
    pub state: State,
    pub state_label: &'static str,
    pub health: Option<Status>,
    pub health_label: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Attention {
    pub name: String,
    pub href: String,
    pub status: Status,
    pub status_label: &'static str,
    pub what: String,
}

#[derive(Debug, Serialize)]
pub struct NextMeeting {
    pub date: Date,
    pub name: String,
    pub href: String,
    pub in_diary: bool,
    pub late: bool,
}

#[derive(Debug, Serialize)]
pub struct FiguresView {
    pub total: usize,
    pub by_status: Vec<StatusCount>,
    pub closed_value: String,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct ReferralLine {
    pub partner: String,
    pub href: String,
    pub date: Date,
    pub contact: Option<String>,
    pub status: &'static str,
}

fn figures_view(figures: &DirectionFigures) -> FiguresView {
    FiguresView {
        total: figures.total,
        by_status: figures
            .by_status
            .iter()
            .map(|(s, count)| StatusCount {
                status: s.label(),
                count: *count,
            })
            .collect(),
        closed_value: format_money(figures.closed_value),
    }
}

pub fn dashboard(site: &Site) -> Dashboard {
    let card = |p: &Partner| {
        let health = p.progress.cadence.as_ref().map(|c| c.overall());
        PartnerCard {
            name: p.data.name.clone(),
            business: p.data.business.clone(),
            href: partner_href(&p.id),
            state: p.progress.state,
            state_label: p.progress.state.label(),
            health,
            health_label: health.map(Label::label),
        }
    };
    let stages = Stage::ALL
        .into_iter()
        .map(|number| StageColumn {
            number,
            name: stage_name(number),
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
            (overall != Status::Ok).then(|| Attention {
                name: p.data.name.clone(),
                href: partner_href(&p.id),
                status: overall,
                status_label: overall.label(),
                what: attention_text(&cadence.meeting, &cadence.contact),
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
                status: r.status.label(),
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

fn attention_text(meeting: &Health, contact: &Health) -> String {
    let part = |what: &str, h: &Health| match (h.status, h.last, h.days_since) {
        (Status::Never, _, _) => Some(format!("no {what} recorded yet")),
        (Status::Ok, _, _) => None,
        (_, Some(last), Some(days)) => Some(format!(
            "last {what} {days} days ago ({last}), limit {} days",
            h.limit_days
        )),
        _ => None,
    };
    [part("meeting", meeting), part("contact", contact)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------- private partner page

#[derive(Debug, Serialize)]
pub struct PartnerView {
    pub id: String,
    pub name: String,
    pub business: String,
    pub role: Option<String>,
    pub sector: Option<String>,
    pub kind: Option<String>,
    pub visibility: String,
    pub consent: Option<Date>,
    pub introduced_by: Option<Link>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub stage: Stage,
    pub stage_name: &'static str,
    pub state: State,
    pub state_label: &'static str,
    pub timeline: Vec<TimelineStep>,
    pub meeting: Option<HealthView>,
    pub contact: Option<HealthView>,
    pub next_meeting: Option<Date>,
    pub exploratory: Option<ExploratoryView>,
    pub briefing_theirs: Option<Date>,
    pub briefing_mine: Option<Date>,
    pub answer_parts: Vec<AnswerPart>,
    pub reservations: Vec<ReservationView>,
    pub reservation_counts: [usize; 3],
    pub agreement: Option<AgreementView>,
    pub teach_them: Option<TeachingView>,
    pub teach_me: Option<TeachingView>,
    pub interactions: Vec<InteractionView>,
    pub referrals: Vec<ReferralView>,
    pub given: FiguresView,
    pub received: FiguresView,
    pub updates: Vec<UpdateView>,
    /// This partner's workbooks, relative to the partner page.
    pub workbooks: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub struct TimelineStep {
    pub number: Stage,
    pub name: &'static str,
    pub date: Option<Date>,
    pub reached: bool,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct HealthView {
    pub status: Status,
    pub label: &'static str,
    pub last: Option<Date>,
    pub days_since: Option<i64>,
    pub limit_days: u32,
    pub due_by: Option<Date>,
}

#[derive(Debug, Serialize)]
pub struct ExploratoryView {
    pub date: Option<Date>,
    pub decision: Option<String>,
    pub why: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AnswerPart {
    pub part: &'static str,
    pub questions: Vec<AnswerView>,
}

#[derive(Debug, Serialize)]
pub struct AnswerView {
    pub id: String,
    pub text: String,
    pub theirs: Option<String>,
    pub mine: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReservationView {
    pub theme: String,
    pub held_by: &'static str,
    pub concern: Option<String>,
    pub status: String,
    pub raised: Option<Date>,
    pub resolved_on: Option<Date>,
    pub resolution: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AgreementView {
    pub date: Option<Date>,
    pub confirmed: bool,
    pub leads_me: Option<u32>,
    pub leads_them: Option<u32>,
    pub meet_every_days: Option<u32>,
    pub contact_every_days: Option<u32>,
    pub first_meetings: Vec<Date>,
}

#[derive(Debug, Serialize)]
pub struct TeachingView {
    pub sectors: Vec<String>,
    pub sizes: Vec<String>,
    pub locations: Vec<String>,
    pub offer: Vec<String>,
    pub say: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct InteractionView {
    pub date: Date,
    pub kind: String,
    pub summary: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReferralView {
    pub date: Date,
    pub direction: &'static str,
    pub contact: Option<String>,
    pub need: Option<String>,
    pub status: &'static str,
    pub value: Option<String>,
    pub followed_up: Option<Date>,
    pub thanked: Option<Date>,
    pub thanks_owed: bool,
    pub not_followed_up: bool,
}

#[derive(Debug, Serialize)]
pub struct UpdateView {
    pub date: Date,
    pub text: String,
}

fn markdown(fields: &Fields, text: &Option<String>) -> Option<String> {
    text.as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| fields.to_html(t))
}

fn health_view(h: &Health) -> HealthView {
    HealthView {
        status: h.status,
        label: h.status.label(),
        last: h.last,
        days_since: h.days_since,
        limit_days: h.limit_days,
        due_by: h.due_by,
    }
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

pub fn timeline(stage: Stage, dates: &[Option<Date>; 4]) -> Vec<TimelineStep> {
    Stage::ALL
        .into_iter()
        .map(|number| TimelineStep {
            number,
            name: stage_name(number),
            date: dates[number.index()],
            reached: number <= stage,
            current: number == stage,
        })
        .collect()
}

pub fn partner(site: &Site, p: &Partner, with_workbooks: bool) -> PartnerView {
    let fields = &Fields::default();
    let data = &p.data;
    let owner = &site.config.owner;
    let theirs = data.briefing.as_ref().and_then(|b| b.theirs.as_ref());
    let answer_parts = [Part::Business, Part::Personal]
        .into_iter()
        .map(|part| AnswerPart {
            part: part.label(),
            questions: site
                .guide
                .questions()
                .filter(|q| q.part == part)
                .map(|q| {
                    let find = |answers: &std::collections::BTreeMap<
                        crate::source::Located<String>,
                        crate::model::partner::Answer,
                    >| {
                        answers
                            .iter()
                            .find(|(id, a)| id.value == q.id.value && !a.is_blank())
                            .map(|(_, a)| fields.to_html(&a.to_markdown()))
                    };
                    AnswerView {
                        id: q.id.value.clone(),
                        text: q.text.clone(),
                        theirs: theirs.and_then(|t| find(&t.answers)),
                        mine: find(&owner.answers),
                    }
                })
                .collect(),
        })
        .collect();
    let progress = &p.progress;
    let contact = data.contact.as_ref();
    PartnerView {
        id: p.id.clone(),
        name: data.name.clone(),
        business: data.business.clone(),
        role: data.role.clone(),
        sector: data.sector.clone(),
        kind: data.kind.map(|k| k.label().to_owned()),
        visibility: data.visibility().label().to_owned(),
        consent: data.consent,
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
        stage_name: stage_name(progress.stage),
        state: progress.state,
        state_label: progress.state.label(),
        timeline: timeline(progress.stage, &progress.stage_dates),
        meeting: progress.cadence.as_ref().map(|c| health_view(&c.meeting)),
        contact: progress.cadence.as_ref().map(|c| health_view(&c.contact)),
        next_meeting: progress.next_meeting,
        exploratory: data.exploratory.as_ref().map(|e| ExploratoryView {
            date: e.date,
            decision: e.decision.map(|d| d.label().to_owned()),
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
        reservations: data
            .reservations
            .iter()
            .map(|r| ReservationView {
                theme: site
                    .guide
                    .theme(&r.theme.value)
                    .map_or_else(|| r.theme.value.clone(), |t| t.title.clone()),
                held_by: r.held_by.label(),
                concern: markdown(fields, &r.concern),
                status: r.status.label().to_owned(),
                raised: r.raised,
                resolved_on: r.resolved_on,
                resolution: markdown(fields, &r.resolution),
            })
            .collect(),
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
            meet_every_days: a.meet_every_days,
            contact_every_days: a.contact_every_days,
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
        interactions: {
            let mut list: Vec<InteractionView> = data
                .interactions
                .iter()
                .map(|i| InteractionView {
                    date: i.date,
                    kind: i.kind.label().to_owned(),
                    summary: markdown(fields, &i.summary),
                })
                .collect();
            list.sort_by_key(|item| std::cmp::Reverse(item.date));
            list
        },
        referrals: data
            .referrals
            .iter()
            .enumerate()
            .map(|(index, r)| ReferralView {
                date: r.date,
                direction: r.direction.label(),
                contact: r.contact.clone(),
                need: markdown(fields, &r.need),
                status: r.status.label(),
                value: r.value.as_ref().map(|v| format_money(v.value)),
                followed_up: r.followed_up,
                thanked: r.thanked,
                thanks_owed: progress.referrals.thanks_owed.contains(&index),
                not_followed_up: progress.referrals.not_followed_up.contains(&index),
            })
            .collect(),
        given: figures_view(&progress.referrals.given),
        received: figures_view(&progress.referrals.received),
        workbooks: if with_workbooks {
            let folder = workbook_folder(&p.id);
            Stage::ALL
                .into_iter()
                .map(|stage| Link {
                    title: format!("Stage {stage}: {}", stage_name(stage)),
                    href: format!("../{folder}/{}", stage_workbook_file(stage)),
                })
                .chain(std::iter::once(Link {
                    title: "All four stages in one file".into(),
                    href: format!("../{folder}/{ALL_STAGES_FILE}"),
                }))
                .collect()
        } else {
            Vec::new()
        },
        updates: {
            let mut list: Vec<UpdateView> = data
                .updates
                .iter()
                .map(|u| UpdateView {
                    date: u.date,
                    text: fields.to_html(&u.text),
                })
                .collect();
            list.sort_by_key(|item| std::cmp::Reverse(item.date));
            list
        },
    }
}

// ---------------------------------------------------------------- public pages

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_contents_nests_third_level_headings() {
        let h = |level, text: &str| Heading {
            level,
            text: text.into(),
            anchor: text.into(),
        };
        let toc = table_of_contents(&[
            h(3, "orphan"),
            h(2, "a"),
            h(3, "a1"),
            h(4, "deep"),
            h(2, "b"),
        ]);
        let shape: Vec<(&str, usize)> = toc
            .iter()
            .map(|e| (e.text.as_str(), e.children.len()))
            .collect();
        assert_eq!(shape, [("orphan", 0), ("a", 1), ("b", 0)]);
    }
}
