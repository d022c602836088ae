//! The command line, run as a user runs it: exit codes, what is printed, what is written.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::TestSite;

fn advocate(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_advocate"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["check", "--help"],
        vec!["init", "--help"],
        vec!["new", "partner", "--help"],
        vec!["schema", "--help"],
    ] {
        let output = advocate(&command, dir.path());
        assert!(output.status.success(), "{command:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage: advocate"),
            "{command:?}"
        );
    }
}

#[test]
fn init_creates_a_site_that_builds_at_once_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let output = advocate(&["init", "my-site"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let root = dir.path().join("my-site");
    let site_yaml = fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(site_yaml.starts_with("# yaml-language-server: $schema=schemas/site.schema.json\n"));
    assert!(root.join("schemas/partner.schema.json").is_file());
    assert!(root.join("themes/default/templates/base.html").is_file());
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("`docs/advocate.md`"), "{readme}");
    assert!(
        site_yaml.contains("docs/advocate.md"),
        "the comment points at it"
    );
    assert_eq!(
        fs::read_to_string(root.join("docs/advocate.md")).unwrap(),
        fs::read_to_string(common::repo().join("README.md")).unwrap(),
        "the full explanation is advocate's own README"
    );
    assert_eq!(
        fs::read_dir(root.join("content/guide")).unwrap().count(),
        fs::read_dir(common::repo().join("content/guide"))
            .unwrap()
            .count()
    );
    assert!(
        site_yaml.contains("\n# as_of: "),
        "a new site is measured against today, not frozen at the day it was made"
    );
    let check = advocate(&["check", "--root", "my-site"], dir.path());
    assert!(check.status.success(), "{}", stderr(&check));
    let warned = stderr(&check);
    let line_of = |text: &str, wanted: &str| {
        text.lines()
            .position(|l| l == wanted)
            .expect("the example line")
            + 1
    };
    let partner_file = fs::read_to_string(root.join("content/partners/alex-morgan.yaml")).unwrap();
    for place in [
        format!(
            "my-site/site.yaml:{}:9",
            line_of(&site_yaml, "  name: Your Name")
        ),
        format!(
            "my-site/site.yaml:{}:13",
            line_of(&site_yaml, "  business: Your Business")
        ),
        format!(
            "my-site/content/partners/alex-morgan.yaml:{}:7",
            line_of(&partner_file, "name: Alex Morgan")
        ),
    ] {
        assert!(
            warned.contains(&place),
            "the example is pointed out at {place}: {warned}"
        );
    }
    assert_eq!(warned.matches("warning:").count(), 3, "{warned}");
    let mine = site_yaml
        .replace("name: Your Name", "name: Priya Shah")
        .replace("business: Your Business", "business: Shah Accounts");
    fs::write(root.join("site.yaml"), mine).unwrap();
    fs::remove_file(root.join("content/partners/alex-morgan.yaml")).unwrap();
    let check = advocate(&["check", "--root", "my-site"], dir.path());
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(
        stderr(&check),
        "",
        "no warnings once the examples are replaced"
    );
    fs::write(root.join("site.yaml"), &site_yaml).unwrap();
    let example = advocate(&["init", "example"], dir.path());
    assert!(example.status.success());
    fs::copy(
        dir.path().join("example/content/partners/alex-morgan.yaml"),
        root.join("content/partners/alex-morgan.yaml"),
    )
    .unwrap();
    let build = advocate(&["build"], &root);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(root.join("output/site/index.html").is_file());
    assert!(
        root.join("output/private/partners/alex-morgan.html")
            .is_file()
    );
    let again = advocate(&["init", "my-site"], dir.path());
    assert!(
        !again.status.success(),
        "init refuses a folder that is not empty"
    );
}

#[test]
fn new_partner_writes_a_commented_file_that_builds_and_refuses_to_overwrite() {
    let site = TestSite::small();
    let root = site.root();
    let output = advocate(&["new", "partner", "Zoë \"Zed\" Lefèvre"], &root);
    assert!(output.status.success(), "{}", stderr(&output));
    let path = root.join("content/partners/zoe-zed-lefevre.yaml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../schemas/partner.schema.json\n")
    );
    assert!(text.contains("name: \"Zoë \\\"Zed\\\" Lefèvre\""));
    assert!(text.contains("# reservations:"));
    // Every question of the site's guide, by id, with its text above it; the guide's themes.
    assert!(
        text.contains(
            "#       # What is your business for?\n#       purpose: ...\n#       # -- personal questions --\n#       # What do you enjoy outside work?\n#       hobbies: ...\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("#   - theme: trust         # trust | time\n"),
        "{text}"
    );
    // Uncommented, the briefing reads: the ids are the guide's.
    let briefing: String = text
        .lines()
        .skip_while(|l| !l.starts_with("# briefing:"))
        .take_while(|l| !l.starts_with("#   mine:"))
        .map(|l| {
            let l = l.strip_prefix("# ").unwrap_or(l);
            if l.trim_start().starts_with("# ") {
                String::new()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(briefing.contains("\n      hobbies: ...\n"), "{briefing}");
    fs::write(&path, format!("{text}{briefing}")).unwrap();
    site.built();
    fs::write(&path, &text).unwrap();
    site.built();
    let html =
        fs::read_to_string(site.out().join("private/partners/zoe-zed-lefevre.html")).unwrap();
    assert!(html.contains("Zoë &quot;Zed&quot; Lefèvre") || html.contains("Zoë \"Zed\" Lefèvre"));
    let again = advocate(&["new", "partner", "Zoë Zed Lefèvre"], &root);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn check_reports_every_error_with_a_caret_and_exits_1_writing_nothing() {
    let site = TestSite::small();
    site.overlay("many-problems");
    let output = advocate(&["check", "--root", "site"], site.dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    for place in [
        "site/content/guide/01-start.md:8:6",
        "site/content/partners/ana-lopez.yaml:17:14",
        "site/content/partners/ben-ng.yaml:4:7",
    ] {
        assert!(text.contains(place), "{place} in\n{text}");
    }
    assert!(
        text.contains("kind: colleage"),
        "the line is shown:\n{text}"
    );
    assert!(text.contains("^^^^^^^^"), "with a caret:\n{text}");
    assert!(text.contains("did you mean `colleague`?"));
    assert!(text.contains("3 errors and 0 warnings; nothing was written"));
    assert!(!site.out().exists());
}

#[test]
fn build_writes_both_sites_and_refuses_dangerous_outputs() {
    let site = TestSite::small();
    let root = site.root();
    let output = advocate(&["build"], &root);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(root.join("output/site/index.html").is_file());
    assert!(root.join("output/private/index.html").is_file());
    for out in [".", "content", "themes/default", "/", ".."] {
        let refused = advocate(&["build", "--out", out], &root);
        assert_eq!(refused.status.code(), Some(1), "--out {out}");
        assert!(
            stderr(&refused).contains("refusing to write output here"),
            "--out {out}"
        );
    }
    assert!(root.join("content/partners/ana-lopez.yaml").is_file());
}

#[test]
fn schema_writes_the_schemas_the_headers_point_at() {
    let site = TestSite::small();
    let output = advocate(&["schema"], &site.root());
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(site.root().join("schemas/partner.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["$schema"], "http://json-schema.org/draft-07/schema#");
}

/// Run from outside the site with a relative `--root`, messages name files as the user would
/// type them from there, each once: `rel/output`, not `rel/rel/output`.
#[test]
fn paths_in_messages_are_named_from_where_the_user_stands() {
    let site = TestSite::small();
    let parent = site.dir.path();
    fs::create_dir_all(site.root().join("output")).unwrap();
    fs::write(site.root().join("output/notes.txt"), "mine").unwrap();
    let output = advocate(&["build", "--root", "site"], parent);
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(message.contains("--> site/output\n"), "{message}");
    assert!(!message.contains("site/site"), "{message}");

    let elsewhere = parent.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("notes.txt"), "mine").unwrap();
    let output = advocate(&["build", "--root", "site", "--out", "elsewhere"], parent);
    let message = stderr(&output);
    assert!(!output.status.success());
    let shown = elsewhere.canonicalize().unwrap();
    assert!(
        message.contains(&format!("--> {}\n", shown.display()))
            || message.contains(&format!("--> {}\n", elsewhere.display())),
        "{message}"
    );
    assert!(!message.contains("site/elsewhere"), "{message}");

    let ben = site.read("content/partners/ben-ng.yaml");
    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replace("kind: colleague", "kind: colleage"),
    );
    fs::remove_dir_all(site.root().join("output")).unwrap();
    let output = advocate(&["check", "--root", "site"], parent);
    assert!(
        stderr(&output).contains("--> site/content/partners/ben-ng.yaml:4:7"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_gitignore_that_leaves_a_build_s_copies_to_git_gets_a_warning() {
    let site = TestSite::small();
    site.write(".gitignore", "/output/\n/.output.previous/\n");
    let output = advocate(&["build", "--no-workbooks"], &site.root());
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("add a line `/.output.*`"),
        "{}",
        stderr(&output)
    );
    site.write(".gitignore", "/output/\n/.output.*\n");
    let output = advocate(&["build", "--no-workbooks"], &site.root());
    assert!(
        !stderr(&output).contains(".gitignore"),
        "{}",
        stderr(&output)
    );
}
