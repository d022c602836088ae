//! The four stage workbooks, as blocks: filled in from a partner's data, or blank for a
//! handout. The questions and reservation themes come from the guide's front matter; the
//! stage titles and summaries from the guide's stage pages.

use std::path::{Path, PathBuf};

use super::blocks::{Block, Choice, ExternalLinks, MarkdownBlocks, ParaStyle, Span};
use super::fonts::FontSet;
use crate::model::guide::Part;
use crate::model::handout::HandoutView;
use crate::model::partner::{Decision, Direction, ReferralStatus, ReservationStatus, Side};
use crate::model::progress::Status;
use crate::model::{Partner, Site, Stage};
use crate::present::{Label, format_date, format_money, stage_name};
use crate::source::{Date, Diagnostic, markdown};

/// The four stages' workbook titles.
/// Builds one stage's workbook for `partner`, or the blank handout when `partner` is `None`.
pub struct Sheet<'a> {
    /// What every sheet may print: the guide, the day, the default cadence.
    handout: &'a HandoutView,
    fonts: &'a FontSet,
    /// The partner of a partner's workbook, with the site they belong to; `None` for a blank
    /// handout, which so cannot print anything private.
    subject: Option<(&'a Site, &'a Partner)>,
    pub blocks: Vec<Block>,
    /// Characters no font can draw, as warnings naming the file and field.
    pub(crate) problems: Vec<Diagnostic>,
}

impl<'a> Sheet<'a> {
    /// A sheet of `subject`'s workbook, or of the blank handout when `subject` is `None`.
    pub fn new(
        handout: &'a HandoutView,
        fonts: &'a FontSet,
        subject: Option<(&'a Site, &'a Partner)>,
    ) -> Self {
        Sheet {
            handout,
            fonts,
            subject,
            blocks: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The owner's own data, for a partner's workbook only: a blank handout is for anyone, so it
    /// carries none of the owner's answers, targets or introduction.
    fn owner(&self) -> Option<&'a crate::model::site::Owner> {
        self.subject.map(|(site, _)| &site.config.owner)
    }

    /// The partner of a partner's workbook; `None` for a blank handout.
    fn partner(&self) -> Option<&'a Partner> {
        self.subject.map(|(_, partner)| partner)
    }

    /// The name the workbook uses for the partner.
    fn them(&self) -> String {
        self.partner()
            .map_or_else(|| "your partner".to_owned(), |p| p.data.name.clone())
    }

    fn partner_file(&self) -> PathBuf {
        self.partner()
            .map_or_else(|| PathBuf::from("site.yaml"), |p| p.path.clone())
    }

    /// Records a warning for every character of `text` that no font of the theme can draw.
    fn check(&mut self, file: &Path, field: &str, text: &str) {
        let missing = self.fonts.missing(text);
        if !missing.is_empty() {
            let list: Vec<String> = missing
                .iter()
                .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
                .collect();
            self.problems.push(
                Diagnostic::file_error(file, format!("`{field}` has characters the workbook fonts cannot draw: {}", list.join(", ")))
                    .with_help("they print as empty boxes: rewrite them, or add a font that has them to the theme")
                    .warning(),
            );
        }
    }

    fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.push(Block::heading(level, text));
    }

    /// A bold line kept with what follows it (a question above its answer).
    fn label(&mut self, text: &str) {
        self.push(Block::Heading {
            level: 4,
            text: text.to_owned(),
            anchor: None,
            outline: false,
        });
    }

    fn note(&mut self, text: impl Into<String>) {
        self.push(Block::muted(text));
    }

    fn line(&mut self, spans: Vec<Span>) {
        self.push(Block::text(spans));
    }

    /// `Label: value` from the data, or `Label:` and a ruled line to write on.
    fn fact(&mut self, label: &str, value: Option<String>, field: &str, data_field: &str) {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(value) => {
                let file = self.partner_file();
                self.check(&file, data_field, &value);
                self.line(vec![Span::bold(format!("{label}: ")), Span::plain(value)]);
            }
            None => self.push(Block::labelled_lines(
                field,
                vec![format!("{label}:")],
                label,
            )),
        }
    }

    /// An answer from the data (Markdown, marked as filled in), or ruled space named `field`.
    fn answer(
        &mut self,
        markdown: Option<String>,
        field: &str,
        lines: u32,
        label: &str,
        file: &Path,
        data_field: &str,
    ) {
        match markdown.filter(|m| !m.trim().is_empty()) {
            Some(markdown) => {
                self.check(file, data_field, &markdown);
                let converter = MarkdownBlocks {
                    base: ParaStyle {
                        filled: true,
                        indent: 0.0,
                        ..ParaStyle::default()
                    },
                    heading_offset: 2,
                    anchor_prefix: None,
                    continued: Some(label.to_owned()),
                };
                self.blocks
                    .extend(converter.convert(&markdown::events(&markdown), &ExternalLinks));
            }
            None => self.push(Block::ruled(field, lines, label)),
        }
    }

    fn guide_text(&mut self, text: &str, page: &Path, field: &str) -> String {
        self.check(page, field, text);
        text.to_owned()
    }

    /// The title block every stage workbook starts with.
    fn title(&mut self, stage: Stage) {
        let name = stage_name(stage);
        let title = match self.partner() {
            Some(p) => format!("Stage {stage}: {name} — {}", p.data.name),
            None => format!("Stage {stage}: {name}"),
        };
        self.push(Block::Heading {
            level: 1,
            text: title,
            anchor: Some(format!("stage-{stage}")),
            outline: true,
        });
        if let Some(page) = self.handout.guide.stage_page(stage) {
            if let Some(summary) = page.front.summary.clone() {
                let summary = self.guide_text(&summary, &page.path, "summary");
                self.note(summary);
            }
            self.note(format!(
                "The guide explains this stage in “{}”.",
                page.front.title
            ));
        }
        match self.partner() {
            Some(p) => {
                let mut spans = vec![Span::bold(p.data.business.clone())];
                if let Some(role) = &p.data.role {
                    spans.insert(0, Span::plain(format!("{role}, ")));
                }
                spans.push(Span::plain(format!(
                    " · printed {} · stage {} ({})",
                    format_date(self.handout.as_of),
                    p.progress.stage,
                    p.progress.state.label()
                )));
                self.line(spans);
            }
            None => {
                self.fact("Partner", None, "partner.name", "name");
                self.fact("Business", None, "partner.business", "business");
                self.fact("Date", None, "date", "date");
            }
        }
    }

    pub fn stage(&mut self, stage: Stage) {
        self.title(stage);
        match stage {
            Stage::EXPLORATORY => self.exploratory(),
            Stage::BRIEFINGS => self.briefings(),
            Stage::AGREEMENT => self.agreement(),
            _ => self.follow_up(),
        }
    }

    fn exploratory(&mut self) {
        let p = self.partner();
        let file = self.partner_file();
        self.heading(2, "Who they are and how we met");
        self.fact(
            "Name",
            p.map(|p| p.data.name.clone()),
            "stage1.name",
            "name",
        );
        self.fact(
            "Business",
            p.map(|p| p.data.business.clone()),
            "stage1.business",
            "business",
        );
        self.fact(
            "Sector",
            p.and_then(|p| p.data.sector.clone()),
            "stage1.sector",
            "sector",
        );
        let introducer = self.subject.and_then(|(site, p)| {
            let by = p.data.introduced_by.as_ref()?;
            Some(
                site.partner(&by.value)
                    .map_or_else(|| by.value.clone(), |o| o.data.name.clone()),
            )
        });
        self.fact(
            "Introduced by",
            introducer,
            "stage1.introduced_by",
            "introduced_by",
        );
        let met = p
            .and_then(|p| p.data.exploratory.as_ref())
            .and_then(|e| e.date)
            .map(format_date);
        self.fact("Met on", met, "stage1.date", "exploratory.date");

        self.heading(2, "Why we might be advocates for each other");
        let why = p
            .and_then(|p| p.data.exploratory.as_ref())
            .and_then(|e| e.why.clone());
        self.answer(
            why,
            "stage1.why",
            4,
            "Why we might be advocates",
            &file,
            "exploratory.why",
        );

        self.heading(2, "The process to explain");
        self.note(format!(
            "Tell {} openly how the method works: four stages, each with its own meeting.",
            self.them()
        ));
        for stage in Stage::ALL {
            let summary = self
                .handout
                .guide
                .stage_page(stage)
                .and_then(|page| page.front.summary.clone());
            let mut spans = vec![Span::bold(format!("{stage}. {}", stage_name(stage)))];
            if let Some(summary) = summary {
                spans.push(Span::plain(format!(": {summary}")));
            }
            self.push(Block::Paragraph {
                spans,
                style: ParaStyle {
                    indent: 14.0,
                    space_after: 0.2,
                    ..ParaStyle::default()
                },
                continued: None,
            });
        }

        self.heading(2, "First reservations");
        for side in [Side::Me, Side::Them] {
            let label = match side {
                Side::Me => "Mine".to_owned(),
                Side::Them => capitalised(&format!("{}’s", self.them())),
            };
            self.heading(3, label.clone());
            let concerns: Vec<(String, String)> = p
                .map(|p| {
                    p.data
                        .reservations
                        .iter()
                        .filter(|r| r.held_by == side)
                        .map(|r| {
                            (
                                self.theme_title(&r.theme.value),
                                r.concern.clone().unwrap_or_default(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            for (theme, concern) in concerns {
                self.check(&file, "reservations.concern", &concern);
                let mut spans = vec![Span::bold(format!("{theme}: "))];
                spans.extend(MarkdownBlocks::inline(&concern));
                self.line(spans);
            }
            let field = format!("stage1.reservations.{}", side_in_field_names(side));
            self.push(Block::ruled(field, 3, format!("{label} reservations")));
        }

        self.heading(2, "The decision");
        let decision = p
            .and_then(|p| p.data.exploratory.as_ref())
            .and_then(|e| e.decision);
        self.note("Proceed to the briefings, decline for now, or take time to think. If they decline, let go gracefully.");
        let choices = [
            (Decision::Proceed, "Proceed"),
            (Decision::Declined, "Decline for now"),
            (Decision::Pending, "Take time to think"),
        ]
        .map(|(choice, text)| Choice {
            id: choice.label().to_owned(),
            text: text.to_owned(),
            ticked: decision == Some(choice),
        });
        self.push(Block::Choices {
            field: "stage1.decision".to_owned(),
            label: "Decision".to_owned(),
            choices: choices.to_vec(),
        });
        let notes = p
            .and_then(|p| p.data.exploratory.as_ref())
            .and_then(|e| e.notes.clone());
        self.heading(3, "Notes");
        self.answer(
            notes,
            "stage1.notes",
            5,
            "Notes",
            &file,
            "exploratory.notes",
        );
    }

    fn theme_title(&self, id: &str) -> String {
        self.handout
            .guide
            .theme(id)
            .map_or_else(|| id.to_owned(), |t| t.title.clone())
    }

    fn briefings(&mut self) {
        let p = self.partner();
        let file = self.partner_file();
        let them = self.them();
        let theirs = p
            .and_then(|p| p.data.briefing.as_ref())
            .and_then(|b| b.theirs.as_ref());
        let date = theirs.and_then(|t| t.date).map(format_date);
        self.heading(2, capitalised(&format!("{them}’s briefing")));
        self.fact("Date", date, "stage2.theirs.date", "briefing.theirs.date");
        self.note("Listen as a coach: open questions, and what they would not think to mention.");
        self.questions(
            |question| {
                theirs
                    .and_then(|t| t.answers.iter().find(|(id, _)| id.value == question))
                    .map(|(_, a)| a.to_markdown())
            },
            "theirs",
            &file,
            "briefing.theirs.answers",
        );

        let owner = self.owner();
        let mine_date = p
            .and_then(|p| p.data.briefing.as_ref())
            .and_then(|b| b.mine.as_ref())
            .and_then(|m| m.date)
            .map(format_date);
        self.heading(
            2,
            owner.map_or_else(
                || "My briefing".to_owned(),
                |o| format!("My briefing, {}", o.name),
            ),
        );
        self.fact("Date", mine_date, "stage2.mine.date", "briefing.mine.date");
        let site_file = PathBuf::from("site.yaml");
        self.questions(
            |question| {
                owner
                    .and_then(|o| o.answers.iter().find(|(id, _)| id.value == question))
                    .map(|(_, a)| a.to_markdown())
            },
            "mine",
            &site_file,
            "owner.answers",
        );

        self.reservations_worksheet();

        self.heading(2, "The ten most precious contacts");
        self.note(format!(
            "List the ten clients or contacts you value most. Would you introduce each of them to {them} today? A hesitation is a reservation: name it on the worksheet above."
        ));
        let numbers = (1..=10).map(|n| format!("{n}.")).collect();
        self.push(Block::labelled_lines(
            "stage2.precious_contacts",
            numbers,
            "The ten most precious contacts",
        ));
        self.heading(2, "Go or no-go");
        self.note("At the end of each briefing, each of you says whether you want to go on.");
        for (side, label) in [
            ("mine", "Mine".to_owned()),
            ("theirs", capitalised(&format!("{them}’s"))),
        ] {
            let choices = [("go", "Go"), ("no_go", "No-go")].map(|(id, text)| Choice {
                id: id.to_owned(),
                text: text.to_owned(),
                ticked: false,
            });
            self.push(Block::Choices {
                field: format!("stage2.go_or_no_go.{side}"),
                label,
                choices: choices.to_vec(),
            });
        }
        self.push(Block::ruled("stage2.go_or_no_go.notes", 2, "Go or no-go"));
    }

    /// Every briefing question of the guide, business then personal: the answer or ruled space.
    fn questions(
        &mut self,
        answer_of: impl Fn(&str) -> Option<String>,
        whose: &str,
        file: &Path,
        data_field: &str,
    ) {
        let guide = &self.handout.guide;
        for part in [Part::Business, Part::Personal] {
            let questions: Vec<(String, String, u32, PathBuf)> = guide
                .pages
                .iter()
                .flat_map(|page| page.front.questions.iter().map(move |q| (q, &page.path)))
                .filter(|(q, _)| q.part == part)
                .map(|(q, path)| (q.id.value.clone(), q.text.clone(), q.lines, path.clone()))
                .collect();
            if questions.is_empty() {
                continue;
            }
            self.heading(3, part.label());
            for (id, text, lines, page) in questions {
                let text = self.guide_text(&text, &page, &format!("questions.{id}"));
                self.label(&text);
                let answer = answer_of(&id);
                self.answer(
                    answer,
                    &format!("stage2.{whose}.{id}"),
                    lines,
                    &text,
                    file,
                    &format!("{data_field}.{id}"),
                );
            }
        }
    }

    /// Every reservation theme × (mine, theirs): what the data says, the prompt, space for more.
    fn reservations_worksheet(&mut self) {
        let p = self.partner();
        let file = self.partner_file();
        let them = self.them();
        self.heading(2, "Reservations worksheet");
        self.note("Raise each theme in turn, yours and theirs. Resolve what you can; a dealbreaker puts the relationship on hold.");
        let themes: Vec<(String, String, String, PathBuf)> = self
            .handout
            .guide
            .pages
            .iter()
            .flat_map(|page| {
                page.front.themes.iter().map(move |t| {
                    (
                        t.id.value.clone(),
                        t.title.clone(),
                        t.prompt.clone(),
                        page.path.clone(),
                    )
                })
            })
            .collect();
        for (id, title, prompt, page) in themes {
            self.heading(3, title.clone());
            let prompt = self.guide_text(&prompt, &page, &format!("themes.{id}.prompt"));
            self.note(format!("To raise it: “{prompt}”"));
            for side in [Side::Me, Side::Them] {
                let who = match side {
                    Side::Me => "Mine".to_owned(),
                    Side::Them => capitalised(&format!("{them}’s")),
                };
                let held: Vec<_> = p
                    .map(|p| {
                        p.data
                            .reservations
                            .iter()
                            .filter(|r| r.theme.value == id && r.held_by == side)
                            .collect()
                    })
                    .unwrap_or_default();
                if held.is_empty() {
                    self.push(Block::Heading {
                        level: 4,
                        text: format!("{who}: concern, status, resolution"),
                        anchor: None,
                        outline: false,
                    });
                    self.push(Block::ruled(
                        format!("stage2.reservation.{id}.{}", side_in_field_names(side)),
                        2,
                        format!("{title}, {}", who.to_lowercase()),
                    ));
                }
                for reservation in held {
                    let status = reservation.status.label();
                    let mut spans = vec![Span::bold(format!("{who} ({status}): "))];
                    if let Some(concern) = &reservation.concern {
                        self.check(&file, "reservations.concern", concern);
                        spans.extend(MarkdownBlocks::inline(concern));
                    }
                    self.line(spans);
                    match &reservation.resolution {
                        Some(resolution) => {
                            self.check(&file, "reservations.resolution", resolution);
                            let mut spans = vec![Span::italic("Resolution: ")];
                            spans.extend(MarkdownBlocks::inline(resolution));
                            self.push(Block::Paragraph {
                                spans,
                                style: ParaStyle {
                                    filled: true,
                                    ..ParaStyle::default()
                                },
                                continued: None,
                            });
                        }
                        None => self.push(Block::ruled(
                            format!(
                                "stage2.reservation.{id}.{}.resolution",
                                side_in_field_names(side)
                            ),
                            2,
                            format!("{title}: resolution"),
                        )),
                    }
                }
            }
        }
        self.heading(3, "More reservations");
        self.push(Block::ruled(
            "stage2.reservations.more",
            4,
            "More reservations",
        ));
    }

    fn agreement(&mut self) {
        let p = self.partner();
        let file = self.partner_file();
        let them = self.them();
        let owner = self.owner();
        let agreement = p.and_then(|p| p.data.agreement.as_ref());
        let cadence = &self.handout.cadence;
        self.heading(2, "The agreement");
        let meet = agreement
            .and_then(|a| a.meet_every_days)
            .unwrap_or(cadence.meet_every_days);
        let contact = agreement
            .and_then(|a| a.contact_every_days)
            .unwrap_or(cadence.contact_every_days);
        self.line(vec![
            Span::bold("Cadence: "),
            Span::plain(format!(
                "meet face to face every {meet} days; be in touch every {contact} days."
            )),
        ]);
        let leads = agreement.and_then(|a| a.leads_wanted.as_ref());
        self.fact(
            "Leads I want each quarter",
            leads.and_then(|l| l.me).map(|n| n.to_string()),
            "stage3.leads.me",
            "agreement.leads_wanted.me",
        );
        self.fact(
            &format!("Leads {them} wants each quarter"),
            leads.and_then(|l| l.them).map(|n| n.to_string()),
            "stage3.leads.them",
            "agreement.leads_wanted.them",
        );
        self.fact("Where and how we meet", None, "stage3.where", "agreement");
        self.heading(3, "The first three meetings");
        let dates: Vec<Date> = agreement
            .map(|a| a.first_meetings.clone())
            .unwrap_or_default();
        for n in 0..3 {
            let label = format!("Meeting {}", n + 1);
            self.fact(
                &label,
                dates.get(n).copied().map(format_date),
                &format!("stage3.meeting.{}", n + 1),
                "agreement.first_meetings",
            );
        }

        self.heading(2, "First referrals");
        let referrals: Vec<_> = p
            .map(|p| p.data.referrals.iter().collect())
            .unwrap_or_default();
        for direction in [Direction::Given, Direction::Received] {
            let label = match direction {
                Direction::Given => format!("Given to {them}"),
                Direction::Received => format!("Received from {them}"),
            };
            self.heading(3, label.clone());
            for r in referrals.iter().filter(|r| r.direction == direction) {
                let who = r.contact.clone().unwrap_or_else(|| "a referral".to_owned());
                self.check(&file, "referrals.contact", &who);
                self.line(vec![
                    Span::bold(format!("{} · ", format_date(r.date))),
                    Span::plain(format!("{who} ({})", r.status.label())),
                ]);
            }
            self.push(Block::ruled(
                format!("stage3.referrals.{}", direction_in_field_names(direction)),
                2,
                label,
            ));
        }

        let teaching = p.and_then(|p| p.data.teaching.as_ref());
        for (side, heading) in [
            (Side::Them, format!("What I say about {them}")),
            (Side::Me, format!("What {them} says about me")),
        ] {
            self.heading(2, heading.clone());
            let taught = teaching.and_then(|t| match side {
                Side::Them => t.them.as_ref(),
                Side::Me => t.me.as_ref(),
            });
            let (targets, offer) = match side {
                Side::Me => (
                    taught
                        .and_then(|t| t.targets.clone())
                        .or_else(|| owner.map(|o| o.targets.clone()))
                        .unwrap_or_default(),
                    taught
                        .map(|t| t.offer.clone())
                        .filter(|o| !o.is_empty())
                        .or_else(|| owner.map(|o| o.offer.clone()))
                        .unwrap_or_default(),
                ),
                Side::Them => (
                    taught.and_then(|t| t.targets.clone()).unwrap_or_default(),
                    taught.map(|t| t.offer.clone()).unwrap_or_default(),
                ),
            };
            let side_key = side_in_field_names(side);
            let join = |items: &[String]| (!items.is_empty()).then(|| items.join(", "));
            self.fact(
                "Sectors",
                join(&targets.sectors),
                &format!("stage3.teaching.{side_key}.sectors"),
                "teaching.targets.sectors",
            );
            self.fact(
                "Sizes",
                join(&targets.sizes),
                &format!("stage3.teaching.{side_key}.sizes"),
                "teaching.targets.sizes",
            );
            self.fact(
                "Locations",
                join(&targets.locations),
                &format!("stage3.teaching.{side_key}.locations"),
                "teaching.targets.locations",
            );
            self.fact(
                "Products and services",
                join(&offer),
                &format!("stage3.teaching.{side_key}.offer"),
                "teaching.offer",
            );
            self.label("The words to use:");
            let say = taught.and_then(|t| t.say.clone()).or_else(|| match side {
                Side::Me => owner.and_then(|o| o.introduction.clone()),
                Side::Them => None,
            });
            self.answer(
                say,
                &format!("stage3.teaching.{side_key}.say"),
                3,
                &heading,
                &file,
                "teaching.say",
            );
        }

        self.heading(2, "Reservations still open");
        let open: Vec<_> = p
            .map(|p| {
                p.data
                    .reservations
                    .iter()
                    .filter(|r| r.status != ReservationStatus::Resolved)
                    .collect()
            })
            .unwrap_or_default();
        if open.is_empty() && p.is_some() {
            self.note("None: every reservation recorded so far is resolved.");
        }
        for r in open {
            let theme = self.theme_title(&r.theme.value);
            let concern = r.concern.clone().unwrap_or_default();
            self.check(&file, "reservations.concern", &concern);
            let mut spans = vec![Span::bold(format!(
                "{theme} (held by {}): ",
                r.held_by.label()
            ))];
            spans.extend(MarkdownBlocks::inline(&concern));
            self.line(spans);
        }
        self.push(Block::ruled(
            "stage3.reservations.open",
            3,
            "Reservations still open",
        ));
    }

    fn follow_up(&mut self) {
        let p = self.partner();
        let file = self.partner_file();
        let them = self.them();
        let last_meeting = p
            .and_then(|p| p.progress.cadence.as_ref())
            .and_then(|c| c.meeting.last);
        self.heading(2, "Agenda for the next meeting");
        let next = p.and_then(|p| p.progress.next_meeting).map(format_date);
        self.fact(
            "Next meeting",
            next,
            "stage4.next_meeting",
            "agreement.first_meetings",
        );
        let since = last_meeting.map_or_else(
            || "so far".to_owned(),
            |d| format!("since the last meeting ({d})"),
        );

        self.heading(3, format!("What happened {since}"));
        let happened: Vec<_> = p
            .map(|p| {
                p.data
                    .interactions
                    .iter()
                    .filter(|i| last_meeting.is_none_or(|d| i.date > d))
                    .collect()
            })
            .unwrap_or_default();
        for i in happened {
            let kind = i.kind.label();
            let summary = i.summary.clone().unwrap_or_default();
            self.check(&file, "interactions.summary", &summary);
            let mut spans = vec![Span::bold(format!("{} · {kind}: ", format_date(i.date)))];
            spans.extend(MarkdownBlocks::inline(&summary));
            self.line(spans);
        }
        self.push(Block::ruled("stage4.agenda.happened", 2, "What happened"));

        self.heading(3, "Referrals in progress");
        let open: Vec<_> = p
            .map(|p| {
                p.data
                    .referrals
                    .iter()
                    .filter(|r| !matches!(r.status, ReferralStatus::Won | ReferralStatus::Lost))
                    .collect()
            })
            .unwrap_or_default();
        for status in ReferralStatus::ALL {
            for r in open.iter().filter(|r| r.status == status) {
                let who = r.contact.clone().unwrap_or_else(|| "a referral".to_owned());
                self.check(&file, "referrals.contact", &who);
                let arrow = r.direction.label();
                self.line(vec![
                    Span::bold(format!("{} ({arrow}, {}): ", who, status.label())),
                    Span::plain(format!("since {}", format_date(r.date))),
                ]);
            }
        }
        self.note("Report back on every contact referred: what happened, and what happens next.");
        self.push(Block::ruled(
            "stage4.agenda.referrals",
            3,
            "Referrals in progress",
        ));

        self.heading(3, "Thanks owed");
        let owed: Vec<String> = p
            .map(|p| {
                p.progress
                    .referrals
                    .thanks_owed
                    .iter()
                    .map(|i| {
                        p.data.referrals[*i]
                            .contact
                            .clone()
                            .unwrap_or_else(|| "a referral".into())
                    })
                    .collect()
            })
            .unwrap_or_default();
        if owed.is_empty() && p.is_some() {
            self.note("No thanks owed.");
        }
        for contact in owed {
            self.line(vec![Span::bold("Thank them for "), Span::plain(contact)]);
        }

        self.heading(3, "News to relay");
        let news: Vec<_> = p
            .map(|p| {
                p.data
                    .updates
                    .iter()
                    .filter(|u| last_meeting.is_none_or(|d| u.date > d))
                    .collect()
            })
            .unwrap_or_default();
        for update in news {
            self.check(&file, "updates.text", &update.text);
            let mut spans = vec![Span::bold(format!("{}: ", format_date(update.date)))];
            spans.extend(MarkdownBlocks::inline(&update.text));
            self.line(spans);
        }
        self.push(Block::ruled("stage4.agenda.news", 3, "News to relay"));

        self.heading(2, "Contact log");
        let cadence = p.and_then(|p| p.progress.cadence.as_ref());
        if let Some(c) = cadence {
            let status = match c.contact.status {
                Status::Never => "no contact recorded yet".to_owned(),
                s => format!("{} (every {} days)", s.label(), c.contact.limit_days),
            };
            self.note(format!("Contact: {status}."));
        }
        let start = cadence
            .and_then(|c| c.contact.last)
            .unwrap_or(self.handout.as_of);
        let every = cadence.map_or(self.handout.cadence.contact_every_days, |c| {
            c.contact.limit_days
        });
        self.note("Date, how (meeting, call, email, note) and what was said. Record each one in the partner file too.");
        let labels = (1..=8)
            .map(|n| match p {
                Some(_) => format!("due {}", start.plus_days(i64::from(every) * n)),
                None => format!("{n}."),
            })
            .collect();
        self.push(Block::labelled_lines(
            "stage4.contact_log",
            labels,
            "Contact log",
        ));

        self.heading(2, "Closed business");
        for direction in [Direction::Given, Direction::Received] {
            let won: Vec<_> = p
                .map(|p| {
                    p.data
                        .referrals
                        .iter()
                        .filter(|r| r.direction == direction && r.status == ReferralStatus::Won)
                        .collect()
                })
                .unwrap_or_default();
            let total: f64 = won
                .iter()
                .filter_map(|r| r.value.as_ref().map(|v| v.value))
                .sum();
            let label = match direction {
                Direction::Given => format!("Won by {them} from my referrals"),
                Direction::Received => format!("Won by me from {them}’s referrals"),
            };
            if p.is_some() {
                self.line(vec![
                    Span::bold(format!("{label}: ")),
                    Span::plain(format!(
                        "{} referrals, value {}",
                        won.len(),
                        format_money(total)
                    )),
                ]);
                for r in won {
                    let who = r.contact.clone().unwrap_or_else(|| "a referral".into());
                    self.push(Block::Paragraph {
                        spans: vec![Span::plain(format!(
                            "{} · {who} · {}",
                            format_date(r.date),
                            r.value
                                .as_ref()
                                .map(|v| format_money(v.value))
                                .unwrap_or_else(|| "no value recorded".into())
                        ))],
                        style: ParaStyle {
                            indent: 14.0,
                            space_after: 0.1,
                            marker: Some("•".into()),
                            ..ParaStyle::default()
                        },
                        continued: None,
                    });
                }
            } else {
                self.label(&format!("{label}:"));
                self.push(Block::ruled(
                    format!("stage4.closed.{}", direction_in_field_names(direction)),
                    3,
                    label,
                ));
            }
        }
    }
}

/// `your partner’s` becomes `Your partner’s`, for the start of a line.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// How a side is named in form field names (`stage2.reservation.trust.mine`): a name for
/// machines, which the README documents, not a word for readers (see `present`).
fn side_in_field_names(side: Side) -> &'static str {
    match side {
        Side::Me => "mine",
        Side::Them => "theirs",
    }
}

/// How a direction is named in form field names (`stage3.referrals.given`).
fn direction_in_field_names(direction: Direction) -> &'static str {
    match direction {
        Direction::Given => "given",
        Direction::Received => "received",
    }
}
