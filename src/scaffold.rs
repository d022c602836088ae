//! `advocate init` and `advocate new partner`: files a person starts from.
//!
//! `init` writes a site that builds at once: `site.yaml`, the bundled guide, one example partner,
//! the default theme, the JSON schemas, a short `README.md` and, as `docs/advocate.md`,
//! advocate's own README, which explains every file and field. All of it is embedded in the
//! binary, so an installed `advocate` needs no repository and no network.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::model::guide::Part;
use crate::model::site::EXAMPLE_OWNER;
use crate::model::{self, guide, guide_dir, partners_dir, slug};
use crate::schema;
use crate::source::{Diagnostic, Diagnostics};

static GUIDE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content/guide");
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Creates a new site in `dir`, which must be empty or not exist. Returns the files written.
pub fn init(dir: &Path, today: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let fail =
        |e: std::io::Error| Diagnostic::file_error(dir, format!("cannot create the site: {e}"));
    if dir.exists() && fs::read_dir(dir).map_err(fail)?.next().is_some() {
        return Err(Diagnostic::file_error(dir, "this folder is not empty")
            .with_help("choose a new folder name; `advocate init` never overwrites files"));
    }
    let mut written = Vec::new();
    let mut write = |relative: PathBuf, contents: &[u8]| -> Result<(), Diagnostic> {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(fail)?;
        }
        fs::write(&path, contents).map_err(fail)?;
        written.push(relative);
        Ok(())
    };
    write("site.yaml".into(), site_yaml(today).as_bytes())?;
    write(
        "content/partners/alex-morgan.yaml".into(),
        example_partner().as_bytes(),
    )?;
    write(".gitignore".into(), GITIGNORE.as_bytes())?;
    write("README.md".into(), SITE_README.as_bytes())?;
    write(MANUAL.into(), include_bytes!("../README.md"))?;
    for (prefix, embedded) in [
        ("content/guide", &GUIDE),
        ("themes/default", &DEFAULT_THEME),
    ] {
        for file in all_files(embedded) {
            write(Path::new(prefix).join(file.path()), file.contents())?;
        }
    }
    for (name, json) in schema::schemas() {
        write(Path::new(schema::DIR).join(name), json.as_bytes())?;
    }
    Ok(written)
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

/// Writes `content/partners/<slug>.yaml` for `name` under `root`, refusing to overwrite.
pub fn new_partner(root: &Path, name: &str) -> Result<PathBuf, Diagnostic> {
    let name = name.trim();
    if name.is_empty() {
        return Err(
            Diagnostic::file_error("content/partners", "the partner needs a name")
                .with_help("write it in quotes: advocate new partner \"Priya Shah\""),
        );
    }
    let id = slug(name);
    let dir = partners_dir(root);
    let path = dir.join(format!("{id}.yaml"));
    if path.exists() {
        return Err(
            Diagnostic::file_error(&path, "this partner file already exists")
                .with_help("edit the existing file, or give the new partner a distinguishing name"),
        );
    }
    fs::create_dir_all(&dir)
        .map_err(|e| Diagnostic::file_error(&dir, format!("cannot create the folder: {e}")))?;
    let text = new_partner_text(root, name);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Diagnostic::file_error(&path, format!("cannot create this file: {e}")))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| Diagnostic::file_error(&path, format!("cannot write this file: {e}")))?;
    Ok(path)
}

/// The new partner file for `name`: every question of the site's guide listed under the
/// briefing's answers, with its text, and the guide's reservation themes.
fn new_partner_text(root: &Path, name: &str) -> String {
    let (guide, _) = guide::load(&guide_dir(root), root, &mut Diagnostics::new());
    let mut answers = String::new();
    for part in [Part::Business, Part::Personal] {
        let mut questions = guide.questions().filter(|q| q.part == part).peekable();
        if questions.peek().is_none() {
            continue;
        }
        answers.push_str(match part {
            Part::Business => "#       # -- business questions --\n",
            Part::Personal => "#       # -- personal questions --\n",
        });
        for question in questions {
            answers.push_str(&format!(
                "#       # {}\n#       {}: ...\n",
                question.text.replace('\n', " "),
                question.id.value
            ));
        }
    }
    if answers.is_empty() {
        answers.push_str("#       some_question_id: ...   # the guide's questions could not be read: run `advocate check`\n");
    }
    let themes: Vec<&str> = guide.themes().map(|t| t.id.value.as_str()).collect();
    let themes = if themes.is_empty() {
        "a theme id from the guide".to_owned()
    } else {
        themes.join(" | ")
    };
    NEW_PARTNER
        .replace("{name}", &yaml_quote(name))
        .replace("{answers}\n", &answers)
        .replace("{themes}", &themes)
}

/// A YAML double-quoted string.
fn yaml_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn site_yaml(today: &str) -> String {
    SITE_YAML
        .replace("{today}", today)
        .replace("{owner_name}", EXAMPLE_OWNER.0)
        .replace("{owner_business}", EXAMPLE_OWNER.1)
}

fn example_partner() -> String {
    EXAMPLE_PARTNER_FILE
        .replace("{partner_name}", model::site::EXAMPLE_PARTNER.0)
        .replace("{partner_business}", model::site::EXAMPLE_PARTNER.1)
}

/// Where `init` puts advocate's own README, the full explanation the site's comments point to.
const MANUAL: &str = "docs/advocate.md";

const SITE_README: &str = "# My advocacy site

Made with `advocate init`. The full explanation of every file, field and command is
`docs/advocate.md` (advocate's own README, of the version that made this site); the guide's
page `content/guide/10-using-this-site.md` says what the site shows and which workbook to
print before each meeting.

- `site.yaml`: the site and you (your name, business, briefing answers, cadence).
- `content/partners/`: one file per partner. `advocate new partner \"Name\"` writes one with
  every field commented out, ready to fill in.
- `content/guide/`: the method, in Markdown. Edit it freely: the workbooks ask its questions.
- `themes/default/`: the look of the pages and workbooks, and every word they print
  (`strings/en.yaml`).
- `output/`: what `advocate build` makes. `output/site` is safe to publish; `output/private`
  is for you only, and so is this folder: it holds your partners' details.

Commands, run in this folder:

    advocate build            # the websites and every PDF, into output/
    advocate serve            # a preview at http://127.0.0.1:1111/ that follows your edits
    advocate check            # every problem of every file, without building
";

/// `output/` and everything a build keeps beside it (`.output.previous`, `.output.lock`, and
/// the staging folder of a build that was stopped): all of it holds private pages.
const GITIGNORE: &str =
    "# written by `advocate build`: private, never commit it\n/output/\n/.output.*\n";

const SITE_YAML: &str = r##"# yaml-language-server: $schema=schemas/site.schema.json
# Your site and you. Every field is explained in docs/advocate.md ("The data model").
title: "My advocacy partners"
base_url: "https://example.org/"   # where you will host output/site
language: en-GB
theme: default
paper: a4                          # a4 | letter
# currency: GBP                    # ISO 4217: referral values then read £1,200
# as_of: {today}                   # measure progress against a fixed day; without it, today
cadence:
  meet_every_days: 30              # meet face to face monthly
  contact_every_days: 7            # be in touch weekly
owner:
  name: {owner_name}
  business: {owner_business}
  role: Director
  email: you@example.org           # private: never on the public site
  phone: "+44 1632 960000"         # private
  introduction: >
    One or two sentences your advocates can repeat about what you do and for whom.
  targets:
    sectors: [hospitality]
    sizes: ["1-20 staff"]
    locations: [Stroud]
  offer: [your main service]
  answers:                         # your own briefing answers, by question id from the guide
    business_purpose: What your business is for, and the outcomes you want from it.
# For trainers: your name, logo and course on the blank handouts and the guide (all public).
# branding:
#   name: Your Training Company
#   logo: branding/logo.png          # PNG or JPEG, in this folder
#   course: Your course
#   edition: Spring 2027
#   footer: "you@example.org · CC BY-SA 4.0"
#   colour: "#0b5cad"
"##;

const EXAMPLE_PARTNER_FILE: &str = r#"# yaml-language-server: $schema=../../schemas/partner.schema.json
# An example partner: replace with your own, or delete and run `advocate new partner "Name"`.
# Every field is explained in docs/advocate.md ("The data model").
name: {partner_name}
business: {partner_business}
role: Owner
sector: interior design
kind: colleague
visibility: anonymous
exploratory:
  date: 2026-01-12
  decision: proceed
  why: Our clients renovate and need their books in order at the same time.
briefing:
  theirs:
    date: 2026-01-26
    answers:
      business_purpose: Beautiful, practical rooms for small hotels and cafés.
reservations:
  - theme: time
    held_by: them
    concern: Monthly meetings may be hard in the busy season.
    status: open
    raised: 2026-01-26
interactions:
  - date: 2026-01-12
    kind: meeting
    summary: Exploratory coffee; agreed to brief each other.
"#;

const NEW_PARTNER: &str = r#"# yaml-language-server: $schema=../../schemas/partner.schema.json
# One advocacy partner. Only name and business are required: uncomment the rest as you go.
# The file name is the partner's id. Dates are YYYY-MM-DD. Text fields are Markdown.
name: {name}
business: "Their business"
# role: Partner
# sector: accountancy
# kind: colleague          # client | team | colleague | friend | supplier | other
# introduced_by: other-partner-id
# visibility: anonymous    # private | anonymous | public (public needs consent)
# consent: 2026-03-01      # the day they agreed to be named on the public site
# public:                  # on the public site only with visibility: public and consent
#   recommendation: Why I recommend them, in my own words.
#   website: https://example.com/
# contact:                 # always private
#   email: name@example.com
#   phone: "+44 1632 960555"
#   address: "4 Mill Lane, Stroud"

# exploratory:             # stage 1
#   date: 2026-02-03
#   decision: pending      # proceed | declined | pending
#   why: Why we might be good advocates for each other.
#   notes: ...

# briefing:                # stage 2
#   theirs:
#     date: 2026-02-17
#     answers:             # their answer to each question of the guide, by its id
{answers}
#   mine:
#     date: 2026-03-02     # my answers come from site.yaml owner.answers

# reservations:            # surfaced, then kept under review
#   - theme: trust         # {themes}
#     held_by: them        # me | them
#     concern: ...
#     status: open         # open | resolved | dealbreaker
#     raised: 2026-02-17

# agreement:               # stage 3
#   date: 2026-03-16
#   confirmed: true
#   leads_wanted: { me: 2, them: 3 }   # per quarter
#   first_meetings: [2026-04-14, 2026-05-12, 2026-06-09]

# teaching:
#   them: { say: "What I say about them." }
#   me: { say: "What they say about me." }

# interactions:            # every meeting, call, email, message, handwritten_note, event
#   - date: 2026-04-14
#     kind: meeting
#     summary: ...

# referrals:
#   - date: 2026-04-20
#     direction: given     # given | received
#     contact: "A. Patel, Patel Dental"   # always private
#     status: introduced   # introduced | contacted | meeting | proposal | won | lost
#     value: 1200
#     followed_up: 2026-04-21
#     thanked: 2026-05-02

# updates:                 # news to relay
#   - date: 2026-05-12
#     text: ...
"#;
