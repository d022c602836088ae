//! The calendars of the private site: what they hold, that their UIDs stay put when a date
//! moves, that they are well-formed RFC 5545 text, and that the pages link them. (`.ci/run`
//! also reads every calendar of the bundled site with Python's `icalendar`.)

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::{TestSite, select};

/// Each event of an iCalendar text as its properties, long lines unfolded, by UID.
fn events(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let unfolded = text.replace("\r\n ", "");
    let mut events = BTreeMap::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    for line in unfolded.split("\r\n") {
        match line {
            "BEGIN:VEVENT" => current = Some(BTreeMap::new()),
            "END:VEVENT" => {
                let event = current.take().expect("an event was open");
                events.insert(event["UID"].clone(), event);
            }
            _ => {
                if let (Some(event), Some((name, value))) = (current.as_mut(), line.split_once(':'))
                {
                    event.insert(name.to_owned(), value.to_owned());
                }
            }
        }
    }
    events
}

#[test]
fn the_calendar_holds_agreed_meetings_and_what_falls_due_for_active_relationships() {
    let site = TestSite::small();
    site.built();
    let text = fs::read_to_string(site.out().join("private/calendar.ics")).unwrap();
    let all = events(&text);
    let ana_meeting = &all["ana-lopez/meeting/2026-06-10@advocate.invalid"];
    assert_eq!(ana_meeting["DTSTART;VALUE=DATE"], "20260610");
    assert_eq!(ana_meeting["DTEND;VALUE=DATE"], "20260611");
    assert_eq!(ana_meeting["SUMMARY"], "Meeting with Ana López");
    assert_eq!(ana_meeting["TRANSP"], "OPAQUE");
    assert!(all.contains_key("ana-lopez/meeting/2026-03-17@advocate.invalid"));
    // Her next meeting is an agreed one: no second, cadence-made meeting beside it.
    assert!(!all.contains_key("ana-lopez/meeting-due@advocate.invalid"));
    // Last contact 28 May, every 7 days: due on 4 June.
    let contact = &all["ana-lopez/contact-due@advocate.invalid"];
    assert_eq!(contact["DTSTART;VALUE=DATE"], "20260604");
    assert_eq!(contact["SUMMARY"], "Be in touch with Ana López");
    assert_eq!(contact["TRANSP"], "TRANSPARENT");
    // The declined relationship has nothing in the diary.
    assert!(
        !all.keys().any(|uid| uid.starts_with("dev-patel/")),
        "{all:#?}"
    );
    for event in all.values() {
        assert_eq!(event["DTSTAMP"], "20260601T000000Z", "as_of, not the clock");
    }

    // A partner's own calendar is their part of the whole.
    let ana =
        events(&fs::read_to_string(site.out().join("private/partners/ana-lopez.ics")).unwrap());
    let ana_in_whole: Vec<&String> = all
        .keys()
        .filter(|uid| uid.starts_with("ana-lopez/"))
        .collect();
    assert_eq!(ana.keys().collect::<Vec<_>>(), ana_in_whole);
    assert!(!site.out().join("site/calendar.ics").exists());
    let public_calendars = walkdir::WalkDir::new(site.out().join("site"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .count();
    assert_eq!(
        public_calendars, 0,
        "nothing of the calendar on the public site"
    );
}

#[test]
fn a_date_that_moves_keeps_its_uid_so_a_subscribed_calendar_updates() {
    let site = TestSite::small();
    site.built();
    let read = || events(&fs::read_to_string(site.out().join("private/calendar.ics")).unwrap());
    let before = read();
    let ana = site.read("content/partners/ana-lopez.yaml");
    site.write(
        "content/partners/ana-lopez.yaml",
        &ana.replace(
            "  - { date: 2026-05-28, kind: call, summary: Quick catch-up. }",
            "  - { date: 2026-05-28, kind: call, summary: Quick catch-up. }\n  - { date: 2026-05-31, kind: email, summary: Sent the menu. }",
        ),
    );
    site.built();
    let after = read();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same events, not new ones"
    );
    let uid = "ana-lopez/contact-due@advocate.invalid";
    assert_eq!(before[uid]["DTSTART;VALUE=DATE"], "20260604");
    assert_eq!(after[uid]["DTSTART;VALUE=DATE"], "20260607");
}

#[test]
fn a_due_day_that_has_passed_is_shown_on_as_of_as_late() {
    let site = TestSite::small();
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &config.replace("as_of: 2026-06-01", "as_of: 2026-06-20"),
    );
    site.built();
    let all = events(&fs::read_to_string(site.out().join("private/calendar.ics")).unwrap());
    let contact = &all["ana-lopez/contact-due@advocate.invalid"];
    assert_eq!(contact["DTSTART;VALUE=DATE"], "20260620");
    assert_eq!(contact["SUMMARY"], "Overdue: be in touch with Ana López");
}

#[test]
fn every_calendar_is_crlf_text_in_lines_of_at_most_75_octets() {
    let site = TestSite::bundled();
    site.built();
    let dir = site.out().join("private");
    let mut calendars = 0;
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|x| x != "ics") {
            continue;
        }
        calendars += 1;
        let text = fs::read_to_string(entry.path()).unwrap();
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{}",
            entry.path().display()
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        let lines: Vec<&str> = text.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        for line in &lines {
            assert!(!line.contains('\n'), "a bare line feed in {line:?}");
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let uids: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("UID:"))
            .collect();
        let distinct: std::collections::HashSet<&&str> = uids.iter().collect();
        assert_eq!(distinct.len(), uids.len(), "no UID repeats");
    }
    assert!(calendars > 1, "{calendars} calendars");
}

#[test]
fn the_dashboard_and_each_active_partners_page_link_their_calendar() {
    let site = TestSite::small();
    site.built();
    let dashboard = site.html("private/index.html");
    assert_eq!(select(&dashboard, "a[href='calendar.ics']").len(), 1);
    let ana = site.html("private/partners/ana-lopez.html");
    assert_eq!(select(&ana, "a[href='../partners/ana-lopez.ics']").len(), 1);
    let dev = site.html("private/partners/dev-patel.html");
    assert!(
        select(&dev, "a[href$='.ics']").is_empty(),
        "a declined relationship has no diary"
    );
    let public = site.html("site/index.html");
    assert!(select(&public, "a[href$='.ics']").is_empty());
}
