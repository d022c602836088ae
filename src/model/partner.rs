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
    pub(crate) business: String,
    #[serde(default)]
    pub(crate) role: Option<String>,
    #[serde(default)]
    pub(crate) sector: Option<String>,
    /// The kind of advocate.
    #[serde(default)]
    pub(crate) kind: Option<Kind>,
    /// Another partner's id (the stem of their file).
    #[serde(default)]
    pub(crate) introduced_by: Option<Located<String>>,
    /// What the public site may show (default `anonymous`).
    #[serde(default)]
    pub(crate) visibility: Option<Located<Visibility>>,
    /// The day the partner agreed to be named on the public site; required for `public`.
    #[serde(default)]
    pub(crate) consent: Option<Date>,
    /// What the public site says of a partner shown by name: used only with
    /// `visibility: public` and `consent`.
    #[serde(default)]
    pub(crate) public: Option<PublicProfile>,
    /// Always private.
    #[serde(default)]
    pub(crate) contact: Option<Contact>,
    /// Stage 1.
    #[serde(default)]
    pub(crate) exploratory: Option<Exploratory>,
    /// Stage 2.
    #[serde(default)]
    pub briefing: Option<Briefing>,
    /// Stages 1 to 3: surfaced, then kept under review.
    #[serde(default)]
    pub(crate) reservations: Vec<Reservation>,
    /// Stage 3a.
    #[serde(default)]
    pub(crate) agreement: Option<Agreement>,
    /// Stage 3c: what each of us says about the other.
    #[serde(default)]
    pub(crate) teaching: Option<Teaching>,
    /// The information bank: every meeting, call, email and note.
    #[serde(default)]
    pub(crate) interactions: Vec<Interaction>,
    #[serde(default)]
    pub(crate) referrals: Vec<Referral>,
    /// Stage 4: news to relay.
    #[serde(default)]
    pub(crate) updates: Vec<NewsItem>,
}

impl PartnerFile {
    pub(crate) fn visibility(&self) -> Visibility {
        self.visibility
            .as_ref()
            .map_or(Visibility::Anonymous, |v| v.value)
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Client,
    Team,
    Colleague,
    Friend,
    Supplier,
    Other,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Visibility {
    /// Nothing on the public site.
    Private,
    /// Initials and sector, stage, dates of stage changes, counts of referrals each way.
    #[default]
    Anonymous,
    /// As anonymous, plus name, business and role. Requires `consent`.
    Public,
}

/// The owner's public word for a partner shown by name.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublicProfile {
    /// Why the owner recommends them, in the owner's words (Markdown).
    #[serde(default)]
    pub(crate) recommendation: Option<String>,
    /// The partner's website: an `http` or `https` address.
    #[serde(default)]
    pub(crate) website: Option<Located<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contact {
    #[serde(default)]
    pub(crate) email: Option<String>,
    #[serde(default)]
    pub(crate) phone: Option<String>,
    /// For handwritten notes.
    #[serde(default)]
    pub(crate) address: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Exploratory {
    #[serde(default)]
    pub(crate) date: Option<Date>,
    #[serde(default)]
    pub(crate) decision: Option<Decision>,
    /// Why we might be good advocates for each other.
    #[serde(default)]
    pub(crate) why: Option<String>,
    #[serde(default)]
    pub(crate) notes: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Decision {
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
    pub(crate) mine: Option<MyBriefing>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TheirBriefing {
    #[serde(default)]
    pub(crate) date: Option<Date>,
    /// Question id from the guide -> their answer.
    #[serde(default)]
    pub answers: BTreeMap<Located<String>, Answer>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct MyBriefing {
    #[serde(default)]
    pub(crate) date: Option<Date>,
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
    pub(crate) fn to_markdown(&self) -> String {
        match self {
            Answer::Text(text) => text.clone(),
            Answer::List(items) => items
                .iter()
                .map(|item| format!("- {}\n", item.replace('\n', " ")))
                .collect(),
        }
    }

    pub(crate) fn is_blank(&self) -> bool {
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
pub(crate) enum Side {
    Me,
    Them,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reservation {
    /// A reservation theme id from the guide.
    pub(crate) theme: Located<String>,
    pub(crate) held_by: Side,
    #[serde(default)]
    pub(crate) concern: Option<String>,
    #[serde(default)]
    pub(crate) status: ReservationStatus,
    #[serde(default)]
    pub(crate) raised: Option<Date>,
    #[serde(default)]
    pub(crate) resolved_on: Option<Date>,
    #[serde(default)]
    pub(crate) resolution: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReservationStatus {
    #[default]
    Open,
    Resolved,
    /// Puts the relationship on hold while it stands.
    Dealbreaker,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Agreement {
    #[serde(default)]
    pub(crate) date: Option<Date>,
    #[serde(default)]
    pub(crate) confirmed: bool,
    /// Leads wanted per quarter, each way.
    #[serde(default)]
    pub(crate) leads_wanted: Option<LeadsWanted>,
    /// Overrides the site's cadence for this partner.
    #[serde(default)]
    pub(crate) meet_every_days: Option<super::site::Days>,
    #[serde(default)]
    pub(crate) contact_every_days: Option<super::site::Days>,
    /// The first three meeting dates in the diary.
    #[serde(default)]
    pub(crate) first_meetings: Vec<Date>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct LeadsWanted {
    #[serde(default)]
    pub(crate) me: Option<u32>,
    #[serde(default)]
    pub(crate) them: Option<u32>,
}

/// Who to talk to.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Targets {
    #[serde(default)]
    pub(crate) sectors: Vec<String>,
    #[serde(default)]
    pub(crate) sizes: Vec<String>,
    #[serde(default)]
    pub(crate) locations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Teaching {
    /// What I should say about them.
    #[serde(default)]
    pub(crate) them: Option<TeachingSide>,
    /// What they should say about me; targets and offer default from `site.yaml` owner.
    #[serde(default)]
    pub(crate) me: Option<TeachingSide>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct TeachingSide {
    #[serde(default)]
    pub(crate) targets: Option<Targets>,
    #[serde(default)]
    pub(crate) offer: Vec<String>,
    #[serde(default)]
    pub(crate) say: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Interaction {
    pub(crate) date: Date,
    pub(crate) kind: InteractionKind,
    #[serde(default)]
    pub(crate) summary: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum InteractionKind {
    Meeting,
    Call,
    Email,
    Message,
    HandwrittenNote,
    Event,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Referral {
    pub(crate) date: Date,
    pub(crate) direction: Direction,
    /// The person or firm referred: always private.
    #[serde(default)]
    pub(crate) contact: Option<String>,
    #[serde(default)]
    pub(crate) need: Option<String>,
    #[serde(default)]
    pub(crate) status: ReferralStatus,
    /// Closed business, in the site's currency: a number of 0 or more.
    #[serde(default)]
    pub(crate) value: Option<Located<f64>>,
    #[serde(default)]
    pub(crate) followed_up: Option<Date>,
    /// When the referrer was thanked.
    #[serde(default)]
    pub(crate) thanked: Option<Date>,
}

#[derive(
    Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Direction {
    /// I referred someone to them.
    Given,
    /// They referred someone to me.
    Received,
}

#[derive(
    Debug, Clone, Copy, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReferralStatus {
    #[default]
    Introduced,
    Contacted,
    Meeting,
    Proposal,
    Won,
    Lost,
}

impl ReferralStatus {
    pub(crate) const ALL: [ReferralStatus; 6] = [
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
pub(crate) struct NewsItem {
    pub(crate) date: Date,
    pub(crate) text: String,
}
