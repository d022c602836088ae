//! What a worksheet template can read: the variables of `themes/<theme>/workbooks/*.md`.
//!
//! - `site`: `title`, `language`, `as_of` (the day the workbook is printed).
//! - `branding`: the trainer's `name`, `course`, `edition` and `footer` from `site.yaml`, and
//!   `logo`, whether there is one for the `logo()` directive to draw (all `none` or false
//!   without branding).
//! - `guide`: `stages` (each `number`, `title` and `summary` of the guide's page for it),
//!   `parts` (`business` then `personal`, each with its `questions`: `id`, `text`, `lines`),
//!   `themes` (the reservation themes: `id`, `title`, `prompt`), and `theme_titles` (id to
//!   title).
//! - `cadence`: the site's default `meet_every_days` and `contact_every_days`.
//! - `stage`: the worksheet's own stage, if it has one.
//! - `owner` and `partner`: only in a partner's workbook; a blank handout has neither, so it
//!   cannot print anything private. `owner` is `name`, `business`, `answers` (question id to
//!   Markdown) and `introduction`. `partner` is the partner file with the field names of the
//!   data model, plus `id`, `progress` (derived: `stage`, `state`, `cadence`, `next_meeting`)
//!   and `derived`, the lists a worksheet prints that the file does not hold as such (see
//!   [`Derived`]).
//!
//! Dates are `YYYY-MM-DD` texts (print them with `| date`), amounts numbers (`| money`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::guide::Part;
use crate::model::handout::HandoutView;
use crate::model::partner::{
    Answer, Direction, PartnerFile, ReferralStatus, ReservationStatus, Targets,
};
use crate::model::progress::Progress;
use crate::model::site::Cadence;
use crate::model::{Partner, Site, Stage};
use crate::source::{Date, Located};

#[derive(Serialize)]
pub(crate) struct WorksheetContext<'a> {
    site: SiteContext<'a>,
    branding: BrandingContext<'a>,
    guide: GuideContext<'a>,
    cadence: &'a Cadence,
    /// The stage of the worksheet being rendered, set by each render.
    pub(crate) stage: Option<Stage>,
    owner: Option<OwnerContext<'a>>,
    partner: Option<PartnerContext<'a>>,
}

/// The trainer's branding; every field `none` without it.
#[derive(Serialize)]
struct BrandingContext<'a> {
    name: Option<&'a str>,
    course: Option<&'a str>,
    edition: Option<&'a str>,
    footer: Option<&'a str>,
    /// Whether there is a logo for `logo()` to draw.
    logo: bool,
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    language: &'a str,
    as_of: Date,
}

#[derive(Serialize)]
pub(crate) struct GuideContext<'a> {
    stages: Vec<StageContext<'a>>,
    parts: Vec<PartContext<'a>>,
    themes: Vec<ThemeContext<'a>>,
    theme_titles: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct StageContext<'a> {
    number: Stage,
    title: Option<&'a str>,
    summary: Option<&'a str>,
}

#[derive(Serialize)]
struct PartContext<'a> {
    part: Part,
    questions: Vec<QuestionContext<'a>>,
}

#[derive(Serialize)]
struct QuestionContext<'a> {
    id: &'a str,
    text: &'a str,
    lines: u32,
}

#[derive(Serialize)]
struct ThemeContext<'a> {
    id: &'a str,
    title: &'a str,
    prompt: &'a str,
}

#[derive(Serialize)]
struct OwnerContext<'a> {
    name: &'a str,
    business: &'a str,
    /// An answer (or `none`) for each briefing question of the guide.
    answers: BTreeMap<&'a str, Option<String>>,
    introduction: Option<&'a str>,
}

#[derive(Serialize)]
struct PartnerContext<'a> {
    id: &'a str,
    #[serde(flatten)]
    file: &'a PartnerFile,
    progress: &'a Progress,
    derived: Derived<'a>,
}

/// What a partner's worksheets print that their file does not hold as such.
#[derive(Serialize)]
struct Derived<'a> {
    /// The name of the partner who introduced them (their id if that partner is gone).
    introducer: Option<&'a str>,
    /// Their answer to each briefing question of the guide, as Markdown (a list answer as a
    /// list), `none` where they have not answered.
    answers: BTreeMap<&'a str, Option<String>>,
    /// The first three meetings agreed, `none` for each not yet set.
    first_meetings: [Option<Date>; 3],
    /// The agreed cadence, or the site's default where the agreement has none.
    meet_every_days: u32,
    contact_every_days: u32,
    /// What they say about me: the partner file's `teaching.me`, else the owner's own
    /// targets, offer and introduction.
    teaching_me: TeachingContext<'a>,
    teaching_them: TeachingContext<'a>,
    /// Reservations not yet resolved.
    open_reservations: Vec<usize>,
    /// The day of the last meeting, and what happened and what news came since.
    last_meeting: Option<Date>,
    since_last_meeting: Vec<usize>,
    news: Vec<usize>,
    /// Referrals neither won nor lost, by status in the method's order.
    open_referrals: Vec<usize>,
    /// The contacts whose referral is owed a thank-you.
    thanks_owed: Vec<&'a str>,
    /// Referrals won, each way: how many, their value, which.
    won_given: Won,
    won_received: Won,
    /// The next eight days contact is due, from the last contact (or today) on.
    contact_due: Vec<Date>,
}

#[derive(Serialize)]
struct TeachingContext<'a> {
    sectors: &'a [String],
    sizes: &'a [String],
    locations: &'a [String],
    offer: &'a [String],
    say: Option<&'a str>,
}

#[derive(Serialize)]
struct Won {
    count: usize,
    value: f64,
    referrals: Vec<usize>,
}

impl<'a> GuideContext<'a> {
    fn of(handout: &'a HandoutView) -> GuideContext<'a> {
        let guide = &handout.guide;
        let stages = Stage::ALL
            .into_iter()
            .map(|stage| {
                let page = guide.stage_page(stage);
                StageContext {
                    number: stage,
                    title: page.map(|p| p.front.title.as_str()),
                    summary: page.and_then(|p| p.front.summary.as_deref()),
                }
            })
            .collect();
        let parts = [Part::Business, Part::Personal]
            .into_iter()
            .map(|part| PartContext {
                part,
                questions: guide
                    .questions()
                    .filter(|q| q.part == part)
                    .map(|q| QuestionContext {
                        id: &q.id.value,
                        text: &q.text,
                        lines: q.lines,
                    })
                    .collect(),
            })
            .filter(|part| !part.questions.is_empty())
            .collect();
        let themes: Vec<ThemeContext> = guide
            .themes()
            .map(|t| ThemeContext {
                id: &t.id.value,
                title: &t.title,
                prompt: &t.prompt,
            })
            .collect();
        let theme_titles = themes.iter().map(|t| (t.id, t.title)).collect();
        GuideContext {
            stages,
            parts,
            themes,
            theme_titles,
        }
    }
}

impl<'a> WorksheetContext<'a> {
    /// The variables of the worksheets of `subject`, or of the blank handouts: made once, for
    /// every worksheet.
    pub(crate) fn new(
        handout: &'a HandoutView,
        subject: Option<(&'a Site, &'a Partner)>,
    ) -> WorksheetContext<'a> {
        let owner = subject.map(|(site, _)| {
            let owner = &site.config.owner;
            OwnerContext {
                name: &owner.name,
                business: &owner.business,
                answers: every_answer(handout, &owner.answers),
                introduction: owner.introduction.as_deref(),
            }
        });
        WorksheetContext {
            site: SiteContext {
                title: &handout.title,
                language: &handout.language,
                as_of: handout.as_of,
            },
            branding: BrandingContext {
                name: handout.branding.name.as_deref(),
                course: handout.branding.course.as_deref(),
                edition: handout.branding.edition.as_deref(),
                footer: handout.branding.footer.as_deref(),
                logo: handout.logo.is_some(),
            },
            guide: GuideContext::of(handout),
            cadence: &handout.cadence,
            stage: None,
            owner,
            partner: subject.map(|(site, partner)| PartnerContext {
                id: &partner.id,
                file: &partner.data,
                progress: &partner.progress,
                derived: derived(site, partner, handout),
            }),
        }
    }
}

static NO_ANSWERS: BTreeMap<Located<String>, Answer> = BTreeMap::new();

/// For every question of the guide, its answer in `answers` as Markdown, or `none`.
fn every_answer<'a>(
    handout: &'a HandoutView,
    answers: &BTreeMap<Located<String>, Answer>,
) -> BTreeMap<&'a str, Option<String>> {
    handout
        .guide
        .questions()
        .map(|q| {
            let answer = answers
                .iter()
                .find(|(id, _)| id.value == q.id.value)
                .map(|(_, a)| a.to_markdown());
            (q.id.value.as_str(), answer)
        })
        .collect()
}

fn teaching<'a>(
    targets: Option<&'a Targets>,
    offer: &'a [String],
    say: Option<&'a str>,
) -> TeachingContext<'a> {
    let empty: &'a [String] = &[];
    TeachingContext {
        sectors: targets.map_or(empty, |t| t.sectors.as_slice()),
        sizes: targets.map_or(empty, |t| t.sizes.as_slice()),
        locations: targets.map_or(empty, |t| t.locations.as_slice()),
        offer,
        say,
    }
}

fn derived<'a>(site: &'a Site, partner: &'a Partner, handout: &'a HandoutView) -> Derived<'a> {
    let data = &partner.data;
    let owner = &site.config.owner;
    let agreement = data.agreement.as_ref();
    let taught = data.teaching.as_ref();
    let me = taught.and_then(|t| t.me.as_ref());
    let them = taught.and_then(|t| t.them.as_ref());
    let teaching_me = teaching(
        me.and_then(|m| m.targets.as_ref()).or(Some(&owner.targets)),
        me.map(|m| m.offer.as_slice())
            .filter(|o| !o.is_empty())
            .unwrap_or(&owner.offer),
        me.and_then(|m| m.say.as_deref())
            .or(owner.introduction.as_deref()),
    );
    let teaching_them = teaching(
        them.and_then(|t| t.targets.as_ref()),
        them.map_or(&[], |t| t.offer.as_slice()),
        them.and_then(|t| t.say.as_deref()),
    );
    let cadence = partner.progress.cadence.as_ref();
    let last_meeting = cadence.and_then(|c| c.meeting.last);
    let after_last = |day: Date| last_meeting.is_none_or(|last| day > last);
    let indices =
        |keep: &dyn Fn(usize) -> bool, len: usize| (0..len).filter(|i| keep(*i)).collect();
    let won = |direction: Direction| {
        let referrals: Vec<usize> = (0..data.referrals.len())
            .filter(|i| {
                let r = &data.referrals[*i];
                r.direction == direction && r.status == ReferralStatus::Won
            })
            .collect();
        Won {
            count: referrals.len(),
            value: referrals
                .iter()
                .filter_map(|i| data.referrals[*i].value.as_ref().map(|v| v.value))
                .sum(),
            referrals,
        }
    };
    let mut open_referrals: Vec<usize> = (0..data.referrals.len())
        .filter(|i| {
            !matches!(
                data.referrals[*i].status,
                ReferralStatus::Won | ReferralStatus::Lost
            )
        })
        .collect();
    open_referrals.sort_by_key(|i| data.referrals[*i].status);
    let start = cadence
        .and_then(|c| c.contact.last)
        .unwrap_or(handout.as_of);
    let every = cadence.map_or(handout.cadence.contact_every_days.get(), |c| {
        c.contact.limit_days
    });
    Derived {
        introducer: data.introduced_by.as_ref().map(|by| {
            site.partner(&by.value)
                .map_or(by.value.as_str(), |o| o.data.name.as_str())
        }),
        answers: every_answer(
            handout,
            data.briefing
                .as_ref()
                .and_then(|b| b.theirs.as_ref())
                .map_or(&NO_ANSWERS, |t| &t.answers),
        ),
        first_meetings: [0, 1, 2].map(|n| agreement.and_then(|a| a.first_meetings.get(n).copied())),
        meet_every_days: agreement
            .and_then(|a| a.meet_every_days)
            .unwrap_or(handout.cadence.meet_every_days)
            .get(),
        contact_every_days: agreement
            .and_then(|a| a.contact_every_days)
            .unwrap_or(handout.cadence.contact_every_days)
            .get(),
        teaching_me,
        teaching_them,
        open_reservations: indices(
            &|i| data.reservations[i].status != ReservationStatus::Resolved,
            data.reservations.len(),
        ),
        last_meeting,
        since_last_meeting: indices(
            &|i| after_last(data.interactions[i].date),
            data.interactions.len(),
        ),
        news: indices(&|i| after_last(data.updates[i].date), data.updates.len()),
        open_referrals,
        thanks_owed: partner
            .progress
            .referrals
            .thanks_owed
            .iter()
            .filter_map(|i| data.referrals.get(*i))
            .map(|r| r.contact.as_deref().unwrap_or(""))
            .collect(),
        won_given: won(Direction::Given),
        won_received: won(Direction::Received),
        contact_due: (1..=8)
            .map(|n| start.plus_days(i64::from(every) * n))
            .collect(),
    }
}
