//! One invalid fixture per kind of error: each names the file, line and column, says what is
//! wrong and suggests what to write, fails the build and writes nothing.

mod common;

use common::TestSite;

struct Expect {
    fixture: &'static str,
    file: &'static str,
    line: usize,
    column: usize,
    message: &'static str,
    help: &'static str,
}

const CASES: &[Expect] = &[
    Expect {
        fixture: "unknown-field",
        file: "content/partners/ben-ng.yaml",
        line: 3,
        column: 1,
        message: "unknown field `secter`",
        help: "did you mean `sector`?",
    },
    Expect {
        fixture: "unknown-enum-value",
        file: "content/partners/ben-ng.yaml",
        line: 4,
        column: 7,
        message: "`colleage` is not one of the allowed values",
        help: "did you mean `colleague`?",
    },
    Expect {
        fixture: "duplicate-key",
        file: "content/partners/ben-ng.yaml",
        line: 4,
        column: 1,
        message: "duplicate key `name`",
        help: "each key may appear once",
    },
    Expect {
        fixture: "bad-date",
        file: "content/partners/ben-ng.yaml",
        line: 6,
        column: 22,
        message: "`2026-02-30` is not a date",
        help: "write dates as YYYY-MM-DD, for example 2026-03-01",
    },
    Expect {
        fixture: "wrong-type",
        file: "content/partners/ben-ng.yaml",
        line: 7,
        column: 15,
        message: "`reservations` takes a list",
        help: "write a list",
    },
    Expect {
        fixture: "missing-field",
        file: "content/partners/ben-ng.yaml",
        line: 1,
        column: 1,
        message: "missing required field `business`",
        help: "add a line `business: ...`",
    },
    Expect {
        fixture: "unknown-question",
        file: "content/partners/ana-lopez.yaml",
        line: 13,
        column: 7,
        message: "`purpse` is not a question of the guide",
        help: "did you mean `purpose`?",
    },
    Expect {
        fixture: "unknown-theme",
        file: "content/partners/ben-ng.yaml",
        line: 8,
        column: 14,
        message: "`tiem` is not a reservation theme of the guide",
        help: "did you mean `time`?",
    },
    Expect {
        fixture: "unknown-introducer",
        file: "content/partners/ben-ng.yaml",
        line: 5,
        column: 16,
        message: "there is no partner `ana-lopes`",
        help: "did you mean `ana-lopez`?",
    },
    Expect {
        fixture: "public-without-consent",
        file: "content/partners/ana-lopez.yaml",
        line: 6,
        column: 13,
        message: "`visibility: public` needs the partner's consent",
        help: "add `consent: YYYY-MM-DD`",
    },
    Expect {
        fixture: "bad-website",
        file: "content/partners/ana-lopez.yaml",
        line: 9,
        column: 12,
        message: "`website` must be the address of the partner's website: it must start with https://",
        help: "write `https://www.lopez-cafes.example.com`",
    },
    Expect {
        fixture: "not-utf8",
        file: "content/partners/ben-ng.yaml",
        line: 2,
        column: 21,
        message: "this file is not UTF-8 text",
        help: "save the file as UTF-8",
    },
    Expect {
        fixture: "bad-partner-id",
        file: "content/partners/Ben_Ng.yaml",
        line: 0,
        column: 0,
        message: "`Ben_Ng` is not a valid partner id",
        help: "e.g. `ben-ng.yaml`",
    },
    Expect {
        fixture: "duplicate-partner-file",
        file: "content/partners/ana-lopez.yml",
        line: 0,
        column: 0,
        message: "content/partners/ana-lopez.yaml and content/partners/ana-lopez.yml are both partner `ana-lopez`",
        help: "delete one of the two files",
    },
    Expect {
        fixture: "bad-referral-value",
        file: "content/partners/ana-lopez.yaml",
        line: 30,
        column: 84,
        message: "a referral's `value` must be an amount of money: a number of 0 or more",
        help: "e.g. `1200`",
    },
    Expect {
        fixture: "huge-referral-value",
        file: "content/partners/ana-lopez.yaml",
        line: 30,
        column: 84,
        message: "a referral's `value` must be below 1,000,000,000,000",
        help: "e.g. `1200`",
    },
    Expect {
        fixture: "referral-value-with-three-places",
        file: "content/partners/ana-lopez.yaml",
        line: 30,
        column: 84,
        message: "a referral's `value` has at most two decimal places, for the cents: `1500.505` has 3",
        help: "e.g. `1200`",
    },
    Expect {
        fixture: "control-character-escape",
        file: "content/partners/ana-lopez.yaml",
        line: 28,
        column: 46,
        message: "this text holds a control character, U+001B",
        help: "delete the escape",
    },
    Expect {
        fixture: "guide-page-named-index",
        file: "content/guide/index.md",
        line: 0,
        column: 0,
        message: "a guide page cannot be called index.md",
        help: "e.g. `00-introduction.md`",
    },
    Expect {
        fixture: "unknown-site-theme",
        file: "site.yaml",
        line: 5,
        column: 8,
        message: "there is no theme `defualt` in themes/",
        help: "did you mean `default`?",
    },
    Expect {
        fixture: "bad-base-url",
        file: "site.yaml",
        line: 3,
        column: 11,
        message: "`base_url` must be the web address the public site is hosted at: it must start with https://",
        help: "https://",
    },
    Expect {
        fixture: "theme-outside-themes",
        file: "site.yaml",
        line: 5,
        column: 8,
        message: "`../../evil-theme` is not the name of a theme",
        help: "a folder in themes/",
    },
    Expect {
        fixture: "base-url-with-a-line-break",
        file: "site.yaml",
        line: 3,
        column: 11,
        message: "`base_url` must be the web address the public site is hosted at: it has a space or a line break in it",
        help: "https://",
    },
    Expect {
        fixture: "guide-page-name-with-spaces",
        file: "content/guide/06 Extra Ü.md",
        line: 0,
        column: 0,
        message: "`06 Extra Ü.md` cannot be the name of a guide page",
        help: "rename it `06-extra-u.md`",
    },
    Expect {
        fixture: "duplicate-guide-order",
        file: "content/guide/02-briefings.md",
        line: 3,
        column: 8,
        message: "`order: 1` is also the order of content/guide/01-start.md",
        help: "give each page its own `order`",
    },
    Expect {
        fixture: "broken-guide-link",
        file: "content/guide/01-start.md",
        line: 8,
        column: 6,
        message: "link to `02-briefing.md`, which is not a page of the guide",
        help: "did you mean `02-briefings.md`?",
    },
    Expect {
        fixture: "broken-guide-anchor",
        file: "content/guide/01-start.md",
        line: 8,
        column: 6,
        message: "link to `#the-question`, which is not a heading of `02-briefings.md`",
        help: "did you mean `the-questions`?",
    },
    Expect {
        fixture: "duplicate-question-id",
        file: "content/guide/02-briefings.md",
        line: 7,
        column: 9,
        message: "the question id `purpose` is defined twice",
        help: "already defined in content/guide/01-start.md",
    },
    Expect {
        fixture: "guide-without-front-matter",
        file: "content/guide/01-start.md",
        line: 1,
        column: 1,
        message: "a guide page must begin with front matter",
        help: "start the file with a line `---`",
    },
    Expect {
        fixture: "bad-stage",
        file: "content/guide/01-start.md",
        line: 4,
        column: 8,
        message: "there is no stage 5",
        help: "write 1, 2, 3 or 4",
    },
    Expect {
        fixture: "template-error",
        file: "themes/default/templates/public_partner.html",
        line: 7,
        column: 17,
        message: "template error: Field `lable` is not defined",
        help: "fix the template",
    },
    Expect {
        fixture: "bad-currency",
        file: "site.yaml",
        line: 8,
        column: 11,
        message: "`£` is not a currency code",
        help: "write the currency's three capital letters (ISO 4217), such as `GBP`",
    },
    // The gallery of slips people make typing YAML by hand: each at the line and column of
    // the slip, in words, with what to type.
    Expect {
        fixture: "yaml-tab",
        file: "content/partners/ben-ng.yaml",
        line: 11,
        column: 1,
        message: "this line is indented with a tab",
        help: "YAML is indented with spaces; replace the tab on this line with spaces",
    },
    Expect {
        fixture: "yaml-unclosed-quote",
        file: "content/partners/ben-ng.yaml",
        line: 16,
        column: 14,
        message: "this quote is never closed",
        help: "end the text with \" on the same line: `summary: \"Rang to book the briefing.\"`",
    },
    Expect {
        fixture: "yaml-colon-in-text",
        file: "content/partners/ben-ng.yaml",
        line: 16,
        column: 26,
        message: "this text holds `: `, which YAML reads as the start of another key",
        help: "put text that contains `: ` in quotes: `summary: \"Rang to book: my briefing\"`",
    },
    Expect {
        fixture: "yaml-stray-space",
        file: "content/partners/ben-ng.yaml",
        line: 3,
        column: 2,
        message: "`sector:` is indented 1 space more than `business:` on line 2",
        help: "remove 1 space before `sector:`",
    },
    Expect {
        fixture: "yaml-money-with-a-sign",
        file: "content/partners/ben-ng.yaml",
        line: 24,
        column: 12,
        message: "`£1,200` is not a number",
        help: "write amounts as plain numbers, with a point before the pence or cents and no currency sign or thousands separator: `1200`",
    },
    Expect {
        fixture: "yaml-key-indented-too-far",
        file: "content/partners/ben-ng.yaml",
        line: 18,
        column: 7,
        message: "`kind:` is indented 2 spaces more than `date:` on line 17, so it reads as part of `date`'s value",
        help: "line `kind:` up with `date:`: indent it by 4 spaces",
    },
    Expect {
        fixture: "yaml-missing-dash",
        file: "content/partners/ben-ng.yaml",
        line: 17,
        column: 5,
        message: "`date:` starts another item of `interactions`, but without `- ` it reads as a second `date` of the item on line 14",
        help: "each item of `interactions` starts with `- `: write `- date:` here",
    },
    Expect {
        fixture: "yaml-empty-file",
        file: "content/partners/ben-ng.yaml",
        line: 0,
        column: 0,
        message: "this file is empty",
        help: "it needs at least `name:` and `business:`",
    },
    Expect {
        fixture: "yaml-count-as-text",
        file: "content/partners/ben-ng.yaml",
        line: 12,
        column: 20,
        message: "`thirty` is not a whole number",
        help: "write a whole number in digits, such as `3`",
    },
    Expect {
        fixture: "yaml-second-document",
        file: "content/partners/ben-ng.yaml",
        line: 13,
        column: 1,
        message: "a second YAML document starts here, after the `---` on line 13",
        help: "this file holds one document: delete this `---` line",
    },
];

#[test]
fn every_kind_of_error_names_file_line_column_and_a_fix() {
    let mut failures = Vec::new();
    for case in CASES {
        let site = TestSite::small();
        site.overlay(case.fixture);
        let problems = match site.build() {
            Ok(_) => {
                failures.push(format!("{}: the build succeeded", case.fixture));
                continue;
            }
            Err(problems) => problems,
        };
        let errors: Vec<_> = problems.errors().collect();
        let found = errors.iter().find(|d| d.message.contains(case.message));
        let Some(found) = found else {
            failures.push(format!(
                "{}: no error says {:?}; got {:#?}",
                case.fixture, case.message, errors
            ));
            continue;
        };
        let rendered = found.render(false);
        let actual = (
            found.file.to_string_lossy().replace('\\', "/"),
            found.line,
            found.column,
        );
        if actual != (case.file.to_owned(), case.line, case.column) {
            failures.push(format!(
                "{}: at {actual:?}, expected {}:{}:{}\n{rendered}",
                case.fixture, case.file, case.line, case.column
            ));
        }
        if !found.help.as_deref().unwrap_or("").contains(case.help) {
            failures.push(format!(
                "{}: help {:?} lacks {:?}",
                case.fixture, found.help, case.help
            ));
        }
        if case.line > 0 && !rendered.contains('^') {
            failures.push(format!("{}: no caret in\n{rendered}", case.fixture));
        }
        if site.out().exists() {
            failures.push(format!("{}: output was written", case.fixture));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_problem_of_a_run_is_reported_together() {
    let site = TestSite::small();
    site.overlay("many-problems");
    let problems = site.build().expect_err("three files are broken");
    let places: Vec<String> = problems.errors().map(|d| d.location()).collect();
    assert_eq!(
        places,
        [
            "content/guide/01-start.md:8:6",
            "content/partners/ana-lopez.yaml:17:14",
            "content/partners/ben-ng.yaml:4:7",
        ],
        "{problems:#?}"
    );
}

#[test]
fn every_mistake_of_a_file_is_reported_in_file_order_and_a_slip_stops_only_its_own_file() {
    let site = TestSite::small();
    site.overlay("yaml-three-mistakes");
    site.overlay("yaml-unclosed-quote");
    let problems = site.build().expect_err("two files are broken");
    let found: Vec<(String, String)> = problems
        .errors()
        .map(|d| (d.location(), d.message.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/partners/ana-lopez.yaml:3:1".to_owned(),
                "unknown field `secter`".to_owned()
            ),
            (
                "content/partners/ana-lopez.yaml:9:11".to_owned(),
                "`2026-02-30` is not a date".to_owned()
            ),
            (
                "content/partners/ana-lopez.yaml:13:11".to_owned(),
                "`lunch` is not one of the allowed values".to_owned()
            ),
            (
                "content/partners/ben-ng.yaml:16:14".to_owned(),
                "this quote is never closed".to_owned()
            ),
        ],
        "neither file's problems hide the other's, and naming a broken file is no mistake: {problems:#?}"
    );
}

#[test]
fn a_file_too_large_to_read_says_so_in_words() {
    let site = TestSite::small();
    let mut huge = String::from("name: Ben Ng\nbusiness: Ng Plumbing\ninteractions:\n");
    for _ in 0..420_000 {
        huge.push_str("  - { date: 2026-05-20, kind: call }\n");
    }
    site.write("content/partners/ben-ng.yaml", &huge);
    let problems = site.build().expect_err("too large");
    let error = problems.errors().next().unwrap();
    assert_eq!(
        error.file,
        std::path::Path::new("content/partners/ben-ng.yaml")
    );
    assert!(
        error
            .message
            .starts_with("this file is larger than advocate reads: more than 250,000 values"),
        "{error:?}"
    );
    assert!(error.line > 3, "{error:?}");
    assert!(
        error
            .help
            .as_deref()
            .unwrap_or("")
            .contains("a list pasted in many times"),
        "{error:?}"
    );
}

#[test]
fn a_missing_site_yaml_says_how_to_start() {
    let site = TestSite::small();
    std::fs::remove_file(site.root().join("site.yaml")).unwrap();
    let problems = site.build().expect_err("no site.yaml");
    let first = problems.errors().next().unwrap();
    assert!(first.message.contains("there is no site.yaml"), "{first:?}");
    assert!(first.help.as_deref().unwrap().contains("advocate init"));
}

#[test]
fn a_quiet_stage_four_relationship_is_a_warning_not_an_error() {
    let site = TestSite::small();
    let ana = std::fs::read_to_string(site.root().join("content/partners/ana-lopez.yaml")).unwrap();
    site.write(
        "content/partners/ana-lopez.yaml",
        &ana.replace("2026-05-20", "2026-02-20")
            .replace("2026-05-28", "2026-02-28"),
    );
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &config.replace("as_of: 2026-06-01", "as_of: 2026-06-10"),
    );
    let report = site.built();
    let warnings: Vec<_> = report.warnings.warnings().collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0]
            .message
            .contains("no contact with Ana López since 2026-03-09"),
        "{:?}",
        warnings[0]
    );
}

#[test]
fn a_control_character_in_any_file_is_an_error_at_its_place_and_reaches_no_page() {
    for (file, find, replace, line) in [
        (
            "content/guide/01-start.md",
            "Bring a notebook.",
            "Bring a\u{0} notebook.",
            12,
        ),
        (
            "content/partners/ben-ng.yaml",
            "business: Ng",
            "business: N\u{7}g",
            2,
        ),
        ("site.yaml", "title: \"Test", "title: \"\u{1b}[2JTest", 2),
    ] {
        let site = TestSite::small();
        let text = site.read(file);
        assert!(text.contains(find), "{file}");
        site.write(file, &text.replacen(find, replace, 1));
        let problems = site.build().expect_err("a control character is an error");
        let error = problems.errors().next().unwrap();
        assert_eq!(
            (error.file.to_string_lossy().replace('\\', "/"), error.line),
            (file.to_owned(), line),
            "{error:?}"
        );
        assert!(error.message.contains("control character"), "{error:?}");
        assert!(error.column > 0, "{error:?}");
        assert!(!site.out().exists(), "{file}: nothing was written");
    }
}

#[test]
fn a_file_saved_with_old_mac_line_ends_reads_as_its_lines() {
    let site = TestSite::small();
    let ben = format!(
        "# Ben, from an old editor\n{}",
        site.read("content/partners/ben-ng.yaml")
    )
    .replace('\n', "\r");
    site.write("content/partners/ben-ng.yaml", &ben);
    site.built();
    let page = site.html("private/partners/ben-ng.html");
    assert_eq!(common::names_in(&page, "h1"), ["Ben Ng"]);
    // And a mistake in such a file is told at its line.
    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replacen("kind: colleague", "kind: rival", 1),
    );
    let problems = site.build().expect_err("`rival` is not a kind");
    let error = problems.errors().next().unwrap();
    assert_eq!((error.line, error.column), (5, 7), "{error:?}");
    assert!(error.to_string().contains("kind: rival"), "{error}");
}

#[test]
fn a_cadence_of_no_days_is_an_error_at_its_value() {
    let site = TestSite::small();
    site.replace_in(
        "content/partners/ana-lopez.yaml",
        "  confirmed: true\n",
        "  confirmed: true\n  contact_every_days: 0\n",
    );
    let problems = site.build().expect_err("0 days is no cadence");
    let error = problems.errors().next().unwrap();
    assert_eq!((error.line, error.column), (21, 23), "{error:?}");
    let shown = error.to_string();
    assert!(shown.contains("a cadence of 0 days"), "{shown}");
    assert!(shown.contains("help: write how many days"), "{shown}");
    assert!(!site.out().exists());
}

/// `SOURCE_DATE_EPOCH` stands in for `as_of` when site.yaml has none; a value that is not a time
/// fails the build rather than quietly measuring against today.
#[test]
fn source_date_epoch_must_be_a_time() {
    let site = TestSite::small();
    let config = site.read("site.yaml");
    site.write("site.yaml", &config.replace("as_of: 2026-06-01\n", ""));
    let build = |epoch: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_advocate"))
            .args(["check", "--no-workbooks"])
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .expect("runs")
    };
    for bad in [
        "yesterday",
        "1.5e9",
        "-86400",
        "999999999999999",
        "1700000000 ",
    ] {
        let output = build(bad);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{bad:?}");
        assert!(
            stderr.contains(&format!(
                "SOURCE_DATE_EPOCH is `{bad}`, which is not a time"
            )),
            "{bad:?}: {stderr}"
        );
        assert!(stderr.contains("date +%s"), "{stderr}");
    }
    for fine in ["1780000000", ""] {
        let output = build(fine);
        assert!(
            output.status.success(),
            "{fine:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // With `as_of` in site.yaml, the variable is not used, so it is not checked.
    site.write("site.yaml", &config);
    assert!(build("yesterday").status.success());
}

/// Runs `advocate build` in `site`, giving up (and failing) if it has not finished within a
/// minute: a named pipe must never make a build wait.
#[cfg(unix)]
fn build_within_a_minute(site: &TestSite) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_advocate"))
        .args(["build", "--no-workbooks"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the build did not finish");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

#[cfg(unix)]
#[test]
fn files_that_are_not_what_they_seem_are_refused_by_name() {
    use std::os::unix::fs::symlink;
    type Plant = fn(&TestSite);
    let cases: [(&str, &str, Plant); 12] = [
        (
            "content/partners",
            "leads to elsewhere, which does not exist",
            |site| {
                let partners = site.root().join("content/partners");
                std::fs::remove_dir_all(&partners).unwrap();
                symlink("elsewhere", &partners).unwrap()
            },
        ),
        // Inside the site, but where that part of the site may not read: a theme that would
        // publish the partner files or the private output, a guide page that is a partner file.
        (
            "themes/default/static/leak",
            "which is outside themes/default/",
            |site| {
                symlink(
                    "../../../content/partners",
                    site.root().join("themes/default/static/leak"),
                )
                .unwrap()
            },
        ),
        (
            "themes/default/static/private",
            "which is outside themes/default/",
            |site| {
                std::fs::create_dir_all(site.root().join(".output.previous/private")).unwrap();
                symlink(
                    "../../../.output.previous/private",
                    site.root().join("themes/default/static/private"),
                )
                .unwrap()
            },
        ),
        (
            "content/guide/03-ben.md",
            "which is outside content/guide/",
            |site| {
                symlink(
                    "../partners/ben-ng.yaml",
                    site.root().join("content/guide/03-ben.md"),
                )
                .unwrap()
            },
        ),
        (
            "content/partners/ghost.yaml",
            "leads to nowhere.yaml, which does not exist",
            |site| {
                symlink(
                    "nowhere.yaml",
                    site.root().join("content/partners/ghost.yaml"),
                )
                .unwrap()
            },
        ),
        ("content/guide/loop.md", "leads round in a circle", |site| {
            symlink("loop.md", site.root().join("content/guide/loop.md")).unwrap()
        }),
        (
            "themes/default/static/again",
            "leads round in a circle",
            |site| symlink("..", site.root().join("themes/default/static/again")).unwrap(),
        ),
        (
            "content/partners/pipe.yaml",
            "this is a named pipe, not an ordinary file",
            |site| mkfifo(&site.root().join("content/partners/pipe.yaml")),
        ),
        (
            "content/guide/pipe.md",
            "this is a named pipe, not an ordinary file",
            |site| mkfifo(&site.root().join("content/guide/pipe.md")),
        ),
        (
            "content/partners/eve.yaml",
            "this is a link to /etc/passwd, which is outside the site folder",
            |site| symlink("/etc/passwd", site.root().join("content/partners/eve.yaml")).unwrap(),
        ),
        (
            "themes/default/static/leak.txt",
            "which is outside themes/default/",
            |site| {
                let secret = site.dir.path().join("secret.txt");
                std::fs::write(&secret, "a secret outside the site").unwrap();
                symlink(&secret, site.root().join("themes/default/static/leak.txt")).unwrap()
            },
        ),
        (
            "themes/default/templates/extra",
            "which is outside themes/default/",
            |site| {
                let elsewhere = site.dir.path().join("elsewhere");
                std::fs::create_dir_all(&elsewhere).unwrap();
                std::fs::write(elsewhere.join("evil.html"), "{{ page }}").unwrap();
                symlink(
                    &elsewhere,
                    site.root().join("themes/default/templates/extra"),
                )
                .unwrap()
            },
        ),
    ];
    for (path, message, plant) in cases {
        let site = TestSite::small();
        plant(&site);
        let output = build_within_a_minute(&site);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{path}: the build succeeded");
        assert!(
            stderr.contains(&format!("--> {path}\n")) && stderr.contains(message),
            "{path}: {stderr}"
        );
        for leaked in ["root:x:0", "a secret outside"] {
            assert!(!stderr.contains(leaked), "{path}: {stderr}");
        }
        assert!(!site.out().exists(), "{path}: nothing was written");
    }

    // A device, where this computer lets us make one (root can, in most containers).
    let site = TestSite::small();
    let device = site.root().join("content/partners/zero.yaml");
    let made = std::process::Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "5"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let output = build_within_a_minute(&site);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success());
        assert!(
            stderr.contains("--> content/partners/zero.yaml\n")
                && stderr.contains("this is a device, not an ordinary file"),
            "{stderr}"
        );
    }

    // A link to a file inside the site is followed.
    let site = TestSite::small();
    let ben = site.read("content/partners/ben-ng.yaml");
    site.write("shared/zed-moss.yaml", &ben.replace("Ben Ng", "Zed Moss"));
    symlink(
        "../../shared/zed-moss.yaml",
        site.root().join("content/partners/zed-moss.yaml"),
    )
    .unwrap();
    let output = build_within_a_minute(&site);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        site.read("output/private/partners/zed-moss.html")
            .contains("Zed Moss")
    );
}

#[test]
fn a_theme_reads_no_font_from_outside_the_site() {
    let site = TestSite::small();
    std::fs::write(site.dir.path().join("outside.ttf"), "not even a font").unwrap();
    let theme = site.read("themes/default/theme.yaml");
    site.write(
        "themes/default/theme.yaml",
        &theme.replace("fonts/GentiumBookPlus-Regular.ttf", "../../../outside.ttf"),
    );
    let problems = site
        .build()
        .expect_err("a font outside the site is refused");
    let error = problems.errors().next().unwrap();
    assert!(error.file.ends_with("outside.ttf"), "{error:?}");
    assert!(
        error.message.contains("which is outside themes/default/"),
        "{error:?}"
    );
    assert!(!site.out().exists());
}

#[test]
fn a_public_word_for_a_partner_not_named_is_a_warning() {
    let site = TestSite::small();
    let ben = site.read("content/partners/ben-ng.yaml");
    site.write(
        "content/partners/ben-ng.yaml",
        &format!("{ben}public:\n  recommendation: The best plumber in town.\n"),
    );
    let report = site.built();
    let warnings: Vec<_> = report.warnings.warnings().collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0]
            .message
            .contains("what `public:` says is not shown"),
        "{:?}",
        warnings[0]
    );
    assert_eq!(
        warnings[0].file,
        std::path::Path::new("content/partners/ben-ng.yaml")
    );
    let public = std::fs::read_to_string(site.out().join("site/partners/partner-1.html")).unwrap();
    assert!(!public.contains("best plumber"));
}
