//! How the model's values read: stage names, the words for every enumerated value, amounts of
//! money and days, the same on pages and in PDFs. Every such word is written here, once.

use crate::model::Stage;
use crate::model::guide::Part;
use crate::model::partner::{
    Decision, Direction, InteractionKind, Kind, ReferralStatus, ReservationStatus, Side, Visibility,
};
use crate::model::progress::{State, Status};
use crate::source::Date;

/// The word a reader sees for a value.
pub(crate) trait Label {
    fn label(self) -> &'static str;
}

impl Label for Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Client => "client",
            Kind::Team => "team",
            Kind::Colleague => "colleague",
            Kind::Friend => "friend",
            Kind::Supplier => "supplier",
            Kind::Other => "other",
        }
    }
}

impl Label for Visibility {
    fn label(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Anonymous => "anonymous",
            Visibility::Public => "public",
        }
    }
}

impl Label for Decision {
    fn label(self) -> &'static str {
        match self {
            Decision::Proceed => "proceed",
            Decision::Declined => "declined",
            Decision::Pending => "pending",
        }
    }
}

/// Who holds a reservation: `me` or `them`.
impl Label for Side {
    fn label(self) -> &'static str {
        match self {
            Side::Me => "me",
            Side::Them => "them",
        }
    }
}

impl Label for ReservationStatus {
    fn label(self) -> &'static str {
        match self {
            ReservationStatus::Open => "open",
            ReservationStatus::Resolved => "resolved",
            ReservationStatus::Dealbreaker => "dealbreaker",
        }
    }
}

impl Label for InteractionKind {
    fn label(self) -> &'static str {
        match self {
            InteractionKind::Meeting => "meeting",
            InteractionKind::Call => "call",
            InteractionKind::Email => "email",
            InteractionKind::Message => "message",
            InteractionKind::HandwrittenNote => "handwritten note",
            InteractionKind::Event => "event",
        }
    }
}

impl Label for Direction {
    fn label(self) -> &'static str {
        match self {
            Direction::Given => "given",
            Direction::Received => "received",
        }
    }
}

impl Label for ReferralStatus {
    fn label(self) -> &'static str {
        match self {
            ReferralStatus::Introduced => "introduced",
            ReferralStatus::Contacted => "contacted",
            ReferralStatus::Meeting => "meeting",
            ReferralStatus::Proposal => "proposal",
            ReferralStatus::Won => "won",
            ReferralStatus::Lost => "lost",
        }
    }
}

impl Label for Part {
    fn label(self) -> &'static str {
        match self {
            Part::Business => "Business",
            Part::Personal => "Personal",
        }
    }
}

impl Label for State {
    fn label(self) -> &'static str {
        match self {
            State::Active => "active",
            State::OnHold => "on hold",
            State::Declined => "declined",
        }
    }
}

impl Label for Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::Never => "none yet",
        }
    }
}

/// The four stages' names, as the guide and every page call them.
pub(crate) const STAGE_NAMES: [&str; 4] = [
    "Exploratory meeting",
    "Briefings",
    "Agreement, referrals and teaching",
    "Follow-up",
];

pub(crate) fn stage_name(stage: Stage) -> &'static str {
    STAGE_NAMES[stage.index()]
}

/// `1234.5` becomes `1,234.50`; whole numbers keep no decimals. (Amounts are checked to be
/// below 10^12 when read; beyond what a number of cents can hold, the largest is shown.)
pub(crate) fn format_money(value: f64) -> String {
    let cents = if value.is_nan() {
        0
    } else {
        (value * 100.0).round() as i64
    };
    let (whole, fraction) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    if fraction == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction:02}")
    }
}

/// A day as a reader writes it: `2026-03-02` is `2 Mar 2026`.
pub(crate) fn format_date(day: Date) -> String {
    day.0.strftime("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_as_people_write_them() {
        assert_eq!(
            format_date(Date::parse("2026-03-02").unwrap()),
            "2 Mar 2026"
        );
    }

    #[test]
    fn money_is_grouped_in_thousands() {
        assert_eq!(format_money(1200.0), "1,200");
        assert_eq!(format_money(1234567.5), "1,234,567.50");
        assert_eq!(format_money(999.0), "999");
        assert_eq!(format_money(0.0), "0");
        assert_eq!(format_money(f64::NAN), "0");
        assert_eq!(
            format_money(f64::NEG_INFINITY),
            "-92,233,720,368,547,758.08"
        );
    }
}
