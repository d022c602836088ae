//! `content/partners/<id>.yaml`: one advocacy partner, exactly as the data model describes it.

use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::source::{Date, Located};

/// The contents of a partner file. Only `name` and `business` are required.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerFile {
    pub name: String,
    pub business: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    /// The kind of advocate.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// Another partner's id (the stem of their file).
    #[serde(default)]
    pub introduced_by: Option<Located<String>>,
    /// What the public site may show (default `anonymous`).
    #[serde(default)]
    pub visibility: Option<Located<Visibility>>,
    /// The day the partner agreed to be named on the public site; required for `public`.
    #[serde(default)]
    pub consent: Option<Date>,
    /// Always private.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Stage 1.
    #[serde(default)]
    pub exploratory: Option<Exploratory>,
    /// Stage 2.
    #[serde(default)]
    pub briefing: Option<Briefing>,
    /// Stages 1 to 3: surfaced, then kept under review.
    #[serde(default)]
    pub reservations: Vec<Reservation>,
    /// Stage 3a.
    #[serde(default)]
    pub agreement: Option<Agreement>,
    /// Stage 3c: what each of us says about the other.
    #[serde(default)]
    pub teaching: Option<Teaching>,
    /// The information bank: every meeting, call, email and note.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    #[serde(default)]
    pub referrals: Vec<Referral>,
    /// Stage 4: news to relay.
    #[serde(default)]
    pub updates: Vec<NewsItem>,
}

impl PartnerFile {
    pub fn visibility(&self) -> Visibility {
        self.visibility
            .as_ref()
            .map_or(Visibility::Anonymous, |v| v.value)
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Client,
    Team,
    Colleague,
    Friend,
    Supplier,
    Other,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Nothing on the public site.
    Private,
    /// Initials and sector, stage, dates of stage changes, counts of referrals each way.
    #[default]
    Anonymous,
    /// As anonymous, plus name, business and role. Requires `consent`.
    Public,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// For handwritten notes.
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Exploratory {
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub decision: Option<Decision>,
    /// Why we might be good advocates for each other.
    #[serde(default)]
    pub why: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Proceed,
    Declined,
    Pending,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Briefing {
    /// Their briefing: they answer, I ask.
    #[serde(default)]
    pub theirs: Option<TheirBriefing>,
    /// My briefing: my answers come from `site.yaml` `owner.answers`.
    #[serde(default)]
    pub mine: Option<MyBriefing>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TheirBriefing {
    #[serde(default)]
    pub date: Option<Date>,
    /// Question id from the guide -> their answer.
    #[serde(default)]
    pub answers: BTreeMap<Located<String>, Answer>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct MyBriefing {
    #[serde(default)]
    pub date: Option<Date>,
}

/// An answer: one Markdown text, or a list of texts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    List(Vec<String>),
}

impl Answer {
    /// The answer as Markdown: a list becomes a bulleted list.
    pub fn to_markdown(&self) -> String {
        match self {
            Answer::Text(text) => text.clone(),
            Answer::List(items) => items
                .iter()
                .map(|item| format!("- {}\n", item.replace('\n', " ")))
                .collect(),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Answer::Text(text) => text.trim().is_empty(),
            Answer::List(items) => items.iter().all(|i| i.trim().is_empty()),
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl<'de> Visitor<'de> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text or a list of texts")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Answer, E> {
                Ok(Answer::Text(value.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Answer, E> {
                Ok(Answer::Text(value.to_string()))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Answer, E> {
                Ok(Answer::Text(value.to_string()))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Answer, E> {
                Ok(Answer::Text(value.to_string()))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Answer, E> {
                Ok(Answer::Text(value.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Answer, E> {
                Ok(Answer::Text(String::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(Answer::List(items))
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}

impl JsonSchema for Answer {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Answer".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Markdown text, or a list of texts",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } }
            ]
        })
    }
}

/// Who holds a reservation, who wants leads, whose turn it is.
#[derive(
    Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Me,
    Them,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reservation {
    /// A reservation theme id from the guide.
    pub theme: Located<String>,
    pub held_by: Side,
    #[serde(default)]
    pub concern: Option<String>,
    #[serde(default)]
    pub status: ReservationStatus,
    #[serde(default)]
    pub raised: Option<Date>,
    #[serde(default)]
    pub resolved_on: Option<Date>,
    #[serde(default)]
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    #[default]
    Open,
    Resolved,
    /// Puts the relationship on hold while it stands.
    Dealbreaker,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub confirmed: bool,
    /// Leads wanted per quarter, each way.
    #[serde(default)]
    pub leads_wanted: Option<LeadsWanted>,
    /// Overrides the site's cadence for this partner.
    #[serde(default)]
    pub meet_every_days: Option<u32>,
    #[serde(default)]
    pub contact_every_days: Option<u32>,
    /// The first three meeting dates in the diary.
    #[serde(default)]
    pub first_meetings: Vec<Date>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct LeadsWanted {
    #[serde(default)]
    pub me: Option<u32>,
    #[serde(default)]
    pub them: Option<u32>,
}

/// Who to talk to.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub sizes: Vec<String>,
    #[serde(default)]
    pub locations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Teaching {
    /// What I should say about them.
    #[serde(default)]
    pub them: Option<TeachingSide>,
    /// What they should say about me; targets and offer default from `site.yaml` owner.
    #[serde(default)]
    pub me: Option<TeachingSide>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TeachingSide {
    #[serde(default)]
    pub targets: Option<Targets>,
    #[serde(default)]
    pub offer: Vec<String>,
    #[serde(default)]
    pub say: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    pub date: Date,
    pub kind: InteractionKind,
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    Meeting,
    Call,
    Email,
    Message,
    HandwrittenNote,
    Event,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub date: Date,
    pub direction: Direction,
    /// The person or firm referred: always private.
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub status: ReferralStatus,
    /// Closed business, in the site's currency: a number of 0 or more.
    #[serde(default)]
    pub value: Option<Located<f64>>,
    #[serde(default)]
    pub followed_up: Option<Date>,
    /// When the referrer was thanked.
    #[serde(default)]
    pub thanked: Option<Date>,
}

#[derive(
    Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// I referred someone to them.
    Given,
    /// They referred someone to me.
    Received,
}

#[derive(
    Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    #[default]
    Introduced,
    Contacted,
    Meeting,
    Proposal,
    Won,
    Lost,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 6] = [
        ReferralStatus::Introduced,
        ReferralStatus::Contacted,
        ReferralStatus::Meeting,
        ReferralStatus::Proposal,
        ReferralStatus::Won,
        ReferralStatus::Lost,
    ];
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsItem {
    pub date: Date,
    pub text: String,
}
