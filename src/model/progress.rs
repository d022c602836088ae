//! Derived progress: never written by hand, always computed from a partner's data and `as_of`,
//! exactly as the data model's "Derived" section says.
//!
//! - Stage 1 until `exploratory.decision` is `proceed` (`declined` closes the relationship);
//!   stage 2 until both briefings have a date; stage 3 until the agreement is confirmed, at least
//!   one referral has gone each way and both sides of `teaching` have a `say`; then stage 4.
//!   A `dealbreaker` reservation puts the relationship on hold.
//! - Cadence: the last meeting (meeting interactions, and the dates of the exploratory meeting,
//!   the briefings and the agreement, which are meetings too) and the last contact of any kind
//!   (those, every interaction and every referral) against the partner's limits: `ok`, `due` once
//!   80% of the limit has passed, `overdue` past the limit. Dates after `as_of` do not count.
//! - Next meeting: the first `first_meetings` date on or after `as_of`, else the last meeting plus
//!   `meet_every_days` (which may be in the past: then the meeting is overdue).
//! - Referrals: counts by direction and status, closed value (won) each way, thanks owed
//!   (received, won, not thanked), not followed up (no `followed_up`, still in progress).

use serde::Serialize;

use super::Stage;
use super::partner::{
    Decision, Direction, InteractionKind, PartnerFile, ReferralStatus, ReservationStatus,
};
use super::site::Cadence;
use crate::source::Date;

/// Everything derived about one relationship.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Progress {
    /// 1 to 4.
    pub stage: Stage,
    pub state: State,
    /// The day each stage began (index 0 is stage 1), for the stages reached.
    pub(crate) stage_dates: [Option<Date>; 4],
    /// The first day we were in touch that the file records: the order in which anonymous
    /// partners are numbered, so that a partner added later never renumbers the others.
    pub(crate) first_contact: Option<Date>,
    /// `None` for a declined relationship: there is nothing to keep up.
    pub cadence: Option<CadenceHealth>,
    pub(crate) next_meeting: Option<Date>,
    pub referrals: ReferralFigures,
    pub(crate) reservations: ReservationFigures,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Active,
    OnHold,
    Declined,
}

/// How recently we met and were in touch, against the limits.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CadenceHealth {
    pub(crate) meeting: Health,
    pub(crate) contact: Health,
}

impl CadenceHealth {
    /// The worse of the two.
    pub fn overall(&self) -> Status {
        self.meeting.status.max(self.contact.status)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Health {
    pub(crate) status: Status,
    pub(crate) last: Option<Date>,
    pub(crate) days_since: Option<i64>,
    pub(crate) limit_days: u32,
    /// The day the limit runs out.
    pub(crate) due_by: Option<Date>,
}

/// Ordered from best to worst.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// Nothing recorded yet: a relationship that has just begun, with nothing to catch up on.
    New,
    Due,
    Overdue,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ReferralFigures {
    pub(crate) given: DirectionFigures,
    pub(crate) received: DirectionFigures,
    /// Indexes into `referrals` of those whose referrer is still owed thanks.
    pub thanks_owed: Vec<usize>,
    /// Indexes into `referrals` of those not followed up.
    pub(crate) not_followed_up: Vec<usize>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub(crate) struct DirectionFigures {
    pub(crate) total: usize,
    /// Every status, in pipeline order, with its count (zero included).
    pub(crate) by_status: Vec<(ReferralStatus, usize)>,
    /// Sum of `value` over won referrals.
    pub(crate) closed_value: f64,
}

/// How many of a partner's reservations are open, resolved and dealbreakers.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub(crate) struct ReservationFigures {
    pub(crate) open: usize,
    pub(crate) resolved: usize,
    pub(crate) dealbreakers: usize,
}

impl ReservationFigures {
    fn add(&mut self, status: ReservationStatus) {
        match status {
            ReservationStatus::Open => self.open += 1,
            ReservationStatus::Resolved => self.resolved += 1,
            ReservationStatus::Dealbreaker => self.dealbreakers += 1,
        }
    }
}

/// Derives a relationship's progress against `as_of`, with the site's default cadence.
pub(crate) fn derive(partner: &PartnerFile, defaults: &Cadence, as_of: Date) -> Progress {
    let (stage, mut state, stage_dates) = stage_of(partner);
    if state == State::Active
        && partner
            .reservations
            .iter()
            .any(|r| r.status == ReservationStatus::Dealbreaker)
    {
        state = State::OnHold;
    }
    let meet_every = partner
        .agreement
        .as_ref()
        .and_then(|a| a.meet_every_days)
        .unwrap_or(defaults.meet_every_days)
        .get();
    let contact_every = partner
        .agreement
        .as_ref()
        .and_then(|a| a.contact_every_days)
        .unwrap_or(defaults.contact_every_days)
        .get();
    let last_meeting = meeting_dates(partner).filter(|d| *d <= as_of).max();
    let last_contact = contact_dates(partner).filter(|d| *d <= as_of).max();
    let cadence = (state != State::Declined).then(|| {
        let mut meeting = health(last_meeting, meet_every, as_of);
        // In touch but never met: the first meeting is what is due.
        if meeting.status == Status::New && last_contact.is_some() {
            meeting.status = Status::Due;
        }
        CadenceHealth {
            meeting,
            contact: health(last_contact, contact_every, as_of),
        }
    });
    let next_meeting = (state != State::Declined)
        .then(|| {
            partner
                .agreement
                .iter()
                .flat_map(|a| a.first_meetings.iter().copied())
                .filter(|d| *d >= as_of)
                .min()
                .or_else(|| last_meeting.map(|d| d.plus_days(i64::from(meet_every))))
        })
        .flatten();
    Progress {
        stage,
        state,
        stage_dates,
        first_contact: contact_dates(partner).min(),
        cadence,
        next_meeting,
        referrals: referral_figures(partner),
        reservations: reservation_figures(partner),
    }
}

fn stage_of(partner: &PartnerFile) -> (Stage, State, [Option<Date>; 4]) {
    let mut dates = [None; 4];
    let exploratory = partner.exploratory.as_ref();
    dates[0] = exploratory.and_then(|e| e.date);
    match exploratory.and_then(|e| e.decision) {
        Some(Decision::Proceed) => {}
        Some(Decision::Declined) => return (Stage::EXPLORATORY, State::Declined, dates),
        Some(Decision::Pending) | None => return (Stage::EXPLORATORY, State::Active, dates),
    }
    dates[1] = dates[0];
    let briefing = partner.briefing.as_ref();
    let theirs = briefing
        .and_then(|b| b.theirs.as_ref())
        .and_then(|t| t.date);
    let mine = briefing.and_then(|b| b.mine.as_ref()).and_then(|m| m.date);
    let (Some(theirs), Some(mine)) = (theirs, mine) else {
        return (Stage::BRIEFINGS, State::Active, dates);
    };
    dates[2] = Some(theirs.max(mine));
    let agreement = partner.agreement.as_ref();
    let confirmed = agreement.is_some_and(|a| a.confirmed);
    let first = |direction| {
        partner
            .referrals
            .iter()
            .filter(|r| r.direction == direction)
            .map(|r| r.date)
            .min()
    };
    let (first_given, first_received) = (first(Direction::Given), first(Direction::Received));
    let teaching = partner.teaching.as_ref();
    let says = |side: Option<&super::partner::TeachingSide>| {
        side.and_then(|s| s.say.as_deref())
            .is_some_and(|say| !say.trim().is_empty())
    };
    let taught =
        says(teaching.and_then(|t| t.them.as_ref())) && says(teaching.and_then(|t| t.me.as_ref()));
    match (confirmed, first_given, first_received, taught) {
        (true, Some(given), Some(received), true) => {
            let agreed = agreement.and_then(|a| a.date);
            dates[3] = [agreed, Some(given), Some(received)]
                .into_iter()
                .flatten()
                .max();
            (Stage::FOLLOW_UP, State::Active, dates)
        }
        _ => (Stage::AGREEMENT, State::Active, dates),
    }
}

/// Every day we met face to face.
fn meeting_dates(partner: &PartnerFile) -> impl Iterator<Item = Date> + '_ {
    let exploratory = partner.exploratory.as_ref().and_then(|e| e.date);
    let briefing = partner.briefing.as_ref();
    let theirs = briefing
        .and_then(|b| b.theirs.as_ref())
        .and_then(|t| t.date);
    let mine = briefing.and_then(|b| b.mine.as_ref()).and_then(|m| m.date);
    let agreed = partner.agreement.as_ref().and_then(|a| a.date);
    [exploratory, theirs, mine, agreed]
        .into_iter()
        .flatten()
        .chain(
            partner
                .interactions
                .iter()
                .filter(|i| i.kind == InteractionKind::Meeting)
                .map(|i| i.date),
        )
}

/// Every day we were in touch (in no order, with repeats).
pub(crate) fn contact_dates(partner: &PartnerFile) -> impl Iterator<Item = Date> + '_ {
    meeting_dates(partner)
        .chain(partner.interactions.iter().map(|i| i.date))
        .chain(partner.referrals.iter().map(|r| r.date))
}

fn health(last: Option<Date>, limit_days: u32, as_of: Date) -> Health {
    let Some(last) = last else {
        return Health {
            status: Status::New,
            last: None,
            days_since: None,
            limit_days,
            due_by: None,
        };
    };
    let elapsed = last.days_until(as_of);
    let limit = i64::from(limit_days);
    let status = if elapsed > limit {
        Status::Overdue
    } else if elapsed * 5 >= limit * 4 {
        Status::Due
    } else {
        Status::Ok
    };
    Health {
        status,
        last: Some(last),
        days_since: Some(elapsed),
        limit_days,
        due_by: Some(last.plus_days(limit)),
    }
}

fn referral_figures(partner: &PartnerFile) -> ReferralFigures {
    let mut figures = ReferralFigures::default();
    for direction in [Direction::Given, Direction::Received] {
        let chosen: Vec<_> = partner
            .referrals
            .iter()
            .filter(|r| r.direction == direction)
            .collect();
        let entry = DirectionFigures {
            total: chosen.len(),
            by_status: ReferralStatus::ALL
                .iter()
                .map(|s| (*s, chosen.iter().filter(|r| r.status == *s).count()))
                .collect(),
            closed_value: chosen
                .iter()
                .filter(|r| r.status == ReferralStatus::Won)
                .filter_map(|r| r.value.as_ref().map(|v| v.value))
                .sum(),
        };
        match direction {
            Direction::Given => figures.given = entry,
            Direction::Received => figures.received = entry,
        }
    }
    for (index, referral) in partner.referrals.iter().enumerate() {
        if referral.direction == Direction::Received
            && referral.status == ReferralStatus::Won
            && referral.thanked.is_none()
        {
            figures.thanks_owed.push(index);
        }
        if referral.followed_up.is_none()
            && !matches!(referral.status, ReferralStatus::Won | ReferralStatus::Lost)
        {
            figures.not_followed_up.push(index);
        }
    }
    figures
}

fn reservation_figures(partner: &PartnerFile) -> ReservationFigures {
    let mut figures = ReservationFigures::default();
    for reservation in &partner.reservations {
        figures.add(reservation.status);
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml;
    use std::path::Path;

    fn partner(text: &str) -> PartnerFile {
        let text = format!("name: Test Person\nbusiness: Test Ltd\n{text}");
        yaml::parse(Path::new("t.yaml"), &text, &text, 1).expect("fixture parses")
    }

    fn day(text: &str) -> Date {
        Date::parse(text).expect("fixture date")
    }

    fn progress(text: &str, as_of: &str) -> Progress {
        derive(&partner(text), &Cadence::default(), day(as_of))
    }

    const STAGE_4: &str = "
exploratory: { date: 2026-01-05, decision: proceed }
briefing: { theirs: { date: 2026-01-20 }, mine: { date: 2026-02-03 } }
agreement: { date: 2026-02-17, confirmed: true }
teaching: { them: { say: Call her. }, me: { say: Call him. } }
referrals:
  - { date: 2026-03-01, direction: given }
  - { date: 2026-03-09, direction: received }
";

    #[test]
    fn stage_one_until_proceed_and_declined_closes() {
        assert_eq!(progress("", "2026-01-01").stage.number(), 1);
        let pending = progress(
            "exploratory: { date: 2026-01-05, decision: pending }",
            "2026-01-06",
        );
        assert_eq!((pending.stage.number(), pending.state), (1, State::Active));
        let declined = progress(
            "exploratory: { date: 2026-01-05, decision: declined }",
            "2026-01-06",
        );
        assert_eq!(
            (declined.stage.number(), declined.state),
            (1, State::Declined)
        );
        assert_eq!(declined.cadence, None);
        assert_eq!(declined.next_meeting, None);
        let proceed = progress(
            "exploratory: { date: 2026-01-05, decision: proceed }",
            "2026-01-06",
        );
        assert_eq!(proceed.stage.number(), 2);
        assert_eq!(proceed.stage_dates[1], Some(day("2026-01-05")));
    }

    #[test]
    fn stage_two_until_both_briefings_have_a_date() {
        let one = progress(
            "exploratory: { decision: proceed }\nbriefing: { theirs: { date: 2026-01-20 } }",
            "2026-02-01",
        );
        assert_eq!(one.stage.number(), 2);
        let both = progress(
            "exploratory: { decision: proceed }\nbriefing: { theirs: { date: 2026-01-20 }, mine: { date: 2026-01-27 } }",
            "2026-02-01",
        );
        assert_eq!(both.stage.number(), 3);
        assert_eq!(both.stage_dates[2], Some(day("2026-01-27")));
    }

    #[test]
    fn stage_four_needs_every_condition_of_stage_three() {
        let full = progress(STAGE_4, "2026-03-10");
        assert_eq!(full.stage.number(), 4);
        assert_eq!(full.stage_dates[3], Some(day("2026-03-09")));
        let missing = [
            ("confirmed: true", "confirmed: false"),
            ("  - { date: 2026-03-01, direction: given }\n", ""),
            ("  - { date: 2026-03-09, direction: received }\n", ""),
            ("me: { say: Call him. }", "me: { say: \"  \" }"),
            ("them: { say: Call her. }, ", ""),
        ];
        for (from, to) in missing {
            let text = STAGE_4.replace(from, to);
            assert_ne!(text, STAGE_4, "fixture edit {from:?} applies");
            assert_eq!(
                progress(&text, "2026-03-10").stage.number(),
                3,
                "without {from:?}"
            );
        }
    }

    #[test]
    fn a_dealbreaker_puts_the_relationship_on_hold_but_not_an_open_reservation() {
        let open =
            format!("{STAGE_4}reservations:\n  - {{ theme: trust, held_by: me, status: open }}\n");
        assert_eq!(progress(&open, "2026-03-10").state, State::Active);
        let blocked = open.replace("status: open", "status: dealbreaker");
        let on_hold = progress(&blocked, "2026-03-10");
        assert_eq!((on_hold.stage.number(), on_hold.state), (4, State::OnHold));
        assert_eq!(on_hold.reservations.dealbreakers, 1);
    }

    #[test]
    fn cadence_is_ok_then_due_at_eighty_percent_then_overdue_past_the_limit() {
        let met = "interactions: [{ date: 2026-01-01, kind: meeting }]";
        let meeting = |as_of| progress(met, as_of).cadence.unwrap().meeting;
        assert_eq!(meeting("2026-01-24").status, Status::Ok); // 23 days of 30
        assert_eq!(meeting("2026-01-25").status, Status::Due); // 24 days: exactly 80%
        assert_eq!(meeting("2026-01-31").status, Status::Due); // 30 days: at the limit
        assert_eq!(meeting("2026-02-01").status, Status::Overdue); // 31 days
        assert_eq!(meeting("2026-01-24").due_by, Some(day("2026-01-31")));
        let contact = |as_of| progress(met, as_of).cadence.unwrap().contact.status;
        assert_eq!(contact("2026-01-06"), Status::Ok); // 5 of 7: below 5.6
        assert_eq!(contact("2026-01-07"), Status::Due); // 6 of 7
        assert_eq!(contact("2026-01-09"), Status::Overdue); // 8 of 7
    }

    #[test]
    fn every_kind_of_contact_counts_but_only_meetings_are_meetings() {
        let text = "
exploratory: { date: 2026-01-01 }
interactions: [{ date: 2026-01-10, kind: call }]
referrals: [{ date: 2026-01-12, direction: given }]
";
        let cadence = progress(text, "2026-01-13").cadence.unwrap();
        assert_eq!(cadence.meeting.last, Some(day("2026-01-01")));
        assert_eq!(cadence.contact.last, Some(day("2026-01-12")));
        assert_eq!(cadence.contact.days_since, Some(1));
    }

    #[test]
    fn dates_after_as_of_do_not_count_and_nothing_yet_is_new() {
        let text = "interactions: [{ date: 2026-05-01, kind: meeting }]";
        let cadence = progress(text, "2026-04-01").cadence.unwrap();
        assert_eq!(cadence.meeting.status, Status::New);
        assert_eq!(cadence.overall(), Status::New);
    }

    #[test]
    fn in_touch_but_never_met_is_a_meeting_due() {
        let text = "interactions: [{ date: 2026-03-30, kind: call }]";
        let cadence = progress(text, "2026-04-01").cadence.unwrap();
        assert_eq!(cadence.meeting.status, Status::Due);
        assert_eq!(cadence.meeting.last, None);
        assert_eq!(cadence.contact.status, Status::Ok);
    }

    #[test]
    fn agreement_cadence_overrides_the_site() {
        let text = "
interactions: [{ date: 2026-01-01, kind: meeting }]
agreement: { meet_every_days: 10 }
";
        let meeting = progress(text, "2026-01-12").cadence.unwrap().meeting;
        assert_eq!((meeting.limit_days, meeting.status), (10, Status::Overdue));
    }

    #[test]
    fn next_meeting_is_the_first_diary_date_on_or_after_as_of_else_last_plus_cadence() {
        let text = "
interactions: [{ date: 2026-03-01, kind: meeting }]
agreement: { first_meetings: [2026-02-01, 2026-03-15, 2026-04-12] }
";
        assert_eq!(
            progress(text, "2026-03-15").next_meeting,
            Some(day("2026-03-15"))
        );
        assert_eq!(
            progress(text, "2026-03-16").next_meeting,
            Some(day("2026-04-12"))
        );
        assert_eq!(
            progress(text, "2026-04-13").next_meeting,
            Some(day("2026-03-31"))
        );
        assert_eq!(progress("", "2026-04-13").next_meeting, None);
    }

    #[test]
    fn referral_figures_thanks_owed_and_follow_ups() {
        let text = "
referrals:
  - { date: 2026-01-01, direction: given, status: won, value: 1200, followed_up: 2026-01-02 }
  - { date: 2026-01-02, direction: given, status: lost }
  - { date: 2026-01-03, direction: received, status: won, value: 800 }
  - { date: 2026-01-04, direction: received, status: won, value: 200, thanked: 2026-01-05 }
  - { date: 2026-01-05, direction: received, status: proposal, value: 999 }
  - { date: 2026-01-06, direction: received, status: introduced, followed_up: 2026-01-07 }
";
        let figures = progress(text, "2026-02-01").referrals;
        assert_eq!((figures.given.total, figures.received.total), (2, 4));
        assert_eq!(figures.given.closed_value, 1200.0);
        assert_eq!(figures.received.closed_value, 1000.0);
        assert_eq!(figures.thanks_owed, [2]);
        assert_eq!(figures.not_followed_up, [4]);
        let won = figures
            .received
            .by_status
            .iter()
            .find(|(s, _)| *s == ReferralStatus::Won);
        assert_eq!(won, Some(&(ReferralStatus::Won, 2)));
    }

    #[test]
    fn reservations_are_counted_by_status() {
        let text = "
reservations:
  - { theme: trust, held_by: me }
  - { theme: trust, held_by: them, status: resolved }
  - { theme: time, held_by: them, status: dealbreaker }
";
        let figures = progress(text, "2026-02-01").reservations;
        assert_eq!(
            (figures.open, figures.resolved, figures.dealbreakers),
            (1, 1, 1)
        );
    }
}
