//! The calendar: `calendar.ics` on the private site, holding what is in the diary and what falls
//! due for every active relationship, and `partners/<id>.ics` with one partner's alone. Nothing
//! of it is on the public site: a meeting's date tells who is seen when.
//!
//! The files are RFC 5545, written with the `icalendar` crate (which escapes text, folds long
//! lines and ends them with CRLF). Each relationship gives, as all-day events:
//!
//! - every agreed meeting (`agreement.first_meetings`);
//! - the meeting its cadence makes due, when the next meeting is not an agreed one;
//! - the day contact falls due.
//!
//! A due meeting or contact whose day has passed is put on `as_of`, marked as late, so it is
//! in sight rather than weeks back. Every event's UID is made from the partner's id and what
//! the event is (an agreed meeting adds its date), never from a count or the time of the
//! build, so a calendar subscribed to the file moves a due date when it moves instead of
//! adding a second event; `DTSTAMP` is `as_of`, so a build of the same data writes the same
//! bytes.

use std::path::{Path, PathBuf};

use icalendar::{Calendar, Component, Event, Property};

use super::Pages;
use crate::artifact::{OutputFile, PRIVATE_DIR};
use crate::model::progress::State;
use crate::model::strings::Strings;
use crate::model::{Partner, Site};
use crate::source::Date;

/// The UIDs' domain part: the calendar's events are advocate's own.
const UID_DOMAIN: &str = "advocate.invalid";

/// The calendar file of the private site (`partner` `None`) or of one partner; `None` for a
/// partner no longer in the site.
pub(crate) fn file(pages: &Pages, partner: Option<&str>) -> Option<OutputFile> {
    let (site, strings) = (pages.site, pages.strings);
    let (path, text) = match partner {
        None => (PathBuf::from(CALENDAR_FILE), calendar(site, strings)),
        Some(id) => (
            PathBuf::from(partner_calendar_href(id)),
            partner_calendar(site, site.partner(id)?, strings),
        ),
    };
    Some(OutputFile::new(Path::new(PRIVATE_DIR).join(path), text))
}

/// The private site's calendar, relative to its top folder.
pub(crate) const CALENDAR_FILE: &str = "calendar.ics";

/// A partner's calendar, relative to the private site's top folder.
pub(crate) fn partner_calendar_href(id: &str) -> String {
    format!("partners/{id}.ics")
}

/// The whole calendar: every active relationship's events, by partner id.
fn calendar(site: &Site, strings: &Strings) -> String {
    let name = strings.words(
        "calendar.name",
        &[("owner", site.config.owner.name.clone())],
    );
    let mut calendar = new_calendar(&name);
    for partner in &site.partners {
        for event in events(partner, site.as_of, strings) {
            calendar.push(event);
        }
    }
    calendar.done().to_string()
}

/// One partner's calendar: empty for a relationship that is not active.
fn partner_calendar(site: &Site, partner: &Partner, strings: &Strings) -> String {
    let name = strings.words(
        "calendar.partner_name",
        &[("name", partner.data.name.clone())],
    );
    let mut calendar = new_calendar(&name);
    for event in events(partner, site.as_of, strings) {
        calendar.push(event);
    }
    calendar.done().to_string()
}

fn new_calendar(name: &str) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//advocate//advocate//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(name);
    calendar
}

/// What one relationship puts in the diary, in date order.
fn events(partner: &Partner, as_of: Date, strings: &Strings) -> Vec<Event> {
    if partner.progress.state != State::Active {
        return Vec::new();
    }
    let name = || ("name", partner.data.name.clone());
    let business = partner.data.business.clone();
    let agreed: Vec<Date> = partner
        .data
        .agreement
        .iter()
        .flat_map(|a| a.first_meetings.iter().copied())
        .collect();
    let mut events: Vec<(Date, Event)> = agreed
        .iter()
        .map(|&day| {
            let summary = strings.words("calendar.agreed_meeting", &[name()]);
            let uid = format!("{}/meeting/{day}", partner.id);
            (day, event(&uid, day, as_of, &summary, &business, true))
        })
        .collect();
    let next = partner.progress.next_meeting;
    if let Some(day) = next.filter(|day| !agreed.contains(day)) {
        let (day, key) = in_sight(day, as_of, "calendar.meeting_due", "calendar.meeting_late");
        let summary = strings.words(key, &[name()]);
        let uid = format!("{}/meeting-due", partner.id);
        events.push((day, event(&uid, day, as_of, &summary, &business, true)));
    }
    let contact_due = partner
        .progress
        .cadence
        .as_ref()
        .and_then(|c| c.contact.due_by);
    if let Some(day) = contact_due {
        let (day, key) = in_sight(day, as_of, "calendar.contact_due", "calendar.contact_late");
        let summary = strings.words(key, &[name()]);
        let uid = format!("{}/contact-due", partner.id);
        events.push((day, event(&uid, day, as_of, &summary, &business, false)));
    }
    events.sort_by_key(|(day, _)| *day);
    events.into_iter().map(|(_, event)| event).collect()
}

/// A due day that has passed moves to `as_of`, with the words that say it is late.
fn in_sight(day: Date, as_of: Date, due: &'static str, late: &'static str) -> (Date, &'static str) {
    if day < as_of {
        (as_of, late)
    } else {
        (day, due)
    }
}

/// An all-day event on `day`; a meeting keeps the day busy, a reminder leaves it free.
fn event(uid: &str, day: Date, as_of: Date, summary: &str, description: &str, busy: bool) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{uid}@{UID_DOMAIN}"))
        .append_property(Property::new(
            "DTSTAMP",
            format!("{}T000000Z", basic(as_of)),
        ))
        .append_property(date_property("DTSTART", day))
        .append_property(date_property("DTEND", day.plus_days(1)))
        .summary(summary)
        .description(description)
        .add_property("TRANSP", if busy { "OPAQUE" } else { "TRANSPARENT" });
    event.done()
}

/// `DTSTART;VALUE=DATE:20261202`.
fn date_property(name: &str, day: Date) -> Property {
    let mut property = Property::new(name, basic(day));
    property.add_parameter("VALUE", "DATE");
    property.done()
}

/// A day as iCalendar writes it: `20261202`.
fn basic(day: Date) -> String {
    day.0.strftime("%Y%m%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_due_day_is_put_on_as_of_as_late() {
        let as_of = Date::new(2026, 12, 2).unwrap();
        let before = Date::new(2026, 11, 20).unwrap();
        let after = Date::new(2026, 12, 9).unwrap();
        assert_eq!(in_sight(before, as_of, "due", "late"), (as_of, "late"));
        assert_eq!(in_sight(after, as_of, "due", "late"), (after, "due"));
        assert_eq!(in_sight(as_of, as_of, "due", "late"), (as_of, "due"));
    }

    #[test]
    fn an_event_is_all_day_with_a_stable_uid_and_stamp() {
        let written = || {
            let day = Date::new(2026, 12, 31).unwrap();
            let as_of = Date::new(2026, 12, 2).unwrap();
            let mut calendar = Calendar::new();
            let summary = "Call Ana; soon";
            calendar.push(event(
                "ana/contact-due",
                day,
                as_of,
                summary,
                "López, Cafés",
                false,
            ));
            calendar.done().to_string()
        };
        let text = written();
        for line in [
            "UID:ana/contact-due@advocate.invalid\r\n",
            "DTSTAMP:20261202T000000Z\r\n",
            "DTSTART;VALUE=DATE:20261231\r\n",
            "DTEND;VALUE=DATE:20270101\r\n",
            "SUMMARY:Call Ana\\; soon\r\n",
            "DESCRIPTION:López\\, Cafés\r\n",
            "TRANSP:TRANSPARENT\r\n",
        ] {
            assert!(text.contains(line), "{line:?} in {text}");
        }
        assert_eq!(text, written(), "the same event, the same bytes");
    }
}
