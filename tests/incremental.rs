//! The dependency graph, checked the only way that counts: after each kind of edit, a rebuild
//! that renders only what the graph says the edit affects gives exactly the files a fresh build
//! gives, byte for byte; it renders no more than that; and what it says it wrote and removed is
//! what changed.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use advocate::artifact::Files;
use advocate::engine::{Changes, Options, Project};
use common::TestSite;

/// One edit to the site's files.
enum Edit {
    /// Replace the first `from` with `to` in a file.
    Replace(&'static str, &'static str, &'static str),
    Write(&'static str, &'static str),
    Remove(&'static str),
    Rename(&'static str, &'static str),
    Copy(&'static str, &'static str),
    /// Make an edit but report other paths as changed, as a watcher does for a folder that
    /// was replaced or moved as a whole, or for everything when it lost track.
    ReportedAs(Box<Edit>, &'static [&'static str]),
}

impl Edit {
    /// Makes the edit; returns the paths it touched, relative to the root.
    fn apply(&self, root: &Path) -> Vec<PathBuf> {
        match self {
            Edit::Replace(file, from, to) => {
                let path = root.join(file);
                let text = fs::read_to_string(&path).expect("the file exists");
                assert!(text.contains(from), "{file} contains {from:?}");
                fs::write(&path, text.replacen(from, to, 1)).expect("write");
                vec![PathBuf::from(file)]
            }
            Edit::Write(file, text) => {
                fs::write(root.join(file), text).expect("write");
                vec![PathBuf::from(file)]
            }
            Edit::Remove(file) => {
                fs::remove_file(root.join(file)).expect("remove");
                vec![PathBuf::from(file)]
            }
            Edit::Rename(from, to) => {
                fs::rename(root.join(from), root.join(to)).expect("rename");
                vec![PathBuf::from(from), PathBuf::from(to)]
            }
            Edit::Copy(from, to) => {
                fs::copy(root.join(from), root.join(to)).expect("copy");
                vec![PathBuf::from(to)]
            }
            Edit::ReportedAs(edit, reported) => {
                edit.apply(root);
                reported.iter().map(PathBuf::from).collect()
            }
        }
    }
}

fn fresh(root: &Path, options: Options) -> Files {
    let mut project = Project::open(root, options);
    project.build().expect("a fresh build succeeds");
    project.files().clone()
}

/// Checks that `changes` names exactly the differences between `before` and `after`.
fn assert_changes_are_the_difference(before: &Files, after: &Files, changes: &Changes, what: &str) {
    let written: BTreeSet<&PathBuf> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    let removed: BTreeSet<&PathBuf> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    assert_eq!(
        changes.written.iter().collect::<BTreeSet<_>>(),
        written,
        "written, after {what}"
    );
    assert_eq!(
        changes.removed.iter().collect::<BTreeSet<_>>(),
        removed,
        "removed, after {what}"
    );
}

/// Makes each edit in turn; after each, the rebuild must equal a fresh build, and `expect`
/// checks what was rendered.
fn check_edits(options: Options, edits: &[(&str, Edit, Check)]) {
    check_edits_on(&TestSite::small(), options, edits);
}

/// As [`check_edits`], on a site prepared by the caller.
fn check_edits_on(site: &TestSite, options: Options, edits: &[(&str, Edit, Check)]) {
    let root = site.root();
    let mut project = Project::open(&root, options);
    project.build().expect("the first build succeeds");
    for (what, edit, expect) in edits {
        let before = project.files().clone();
        let touched = edit.apply(&root);
        project.refresh(&touched);
        let changes = project
            .build()
            .unwrap_or_else(|p| panic!("the rebuild after {what} fails: {p:?}"));
        let after = project.files();
        let wanted = fresh(&root, options);
        let differing: BTreeSet<&PathBuf> = wanted
            .keys()
            .chain(after.keys())
            .filter(|p| wanted.get(*p) != after.get(*p))
            .collect();
        assert!(
            differing.is_empty(),
            "after {what}, the rebuild differs from a fresh build in {differing:?}"
        );
        assert_changes_are_the_difference(&before, after, &changes, what);
        expect(&changes, what);
    }
}

/// What a rebuild must have done, besides matching a fresh build.
type Check = Box<dyn Fn(&Changes, &str)>;

/// The two search indexes, which read every guide page and every partner: an edit of either
/// renders both again, beside what each case lists.
const INDEXES: usize = 2;

fn rendered(count: usize) -> impl Fn(&Changes, &str) {
    move |changes, what| assert_eq!(changes.rendered, count, "jobs rendered after {what}")
}

/// Both checks.
fn both(
    first: impl Fn(&Changes, &str),
    second: impl Fn(&Changes, &str),
) -> impl Fn(&Changes, &str) {
    move |changes, what| {
        first(changes, what);
        second(changes, what);
    }
}

fn writes_no(extension: &'static str) -> impl Fn(&Changes, &str) {
    move |changes, what| {
        let found: Vec<_> = changes
            .written
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == extension))
            .collect();
        assert!(found.is_empty(), "after {what}, wrote {found:?}");
        assert!(!changes.written.is_empty(), "after {what}, wrote something");
    }
}

fn writes_only(wanted: &'static [&'static str]) -> impl Fn(&Changes, &str) {
    move |changes, what| {
        let written: BTreeSet<&Path> = changes.written.iter().map(PathBuf::as_path).collect();
        let wanted: BTreeSet<&Path> = wanted.iter().map(Path::new).collect();
        assert_eq!(written, wanted, "after {what}");
    }
}

#[test]
fn every_kind_of_edit_rebuilds_what_a_fresh_build_would_make_and_no_more() {
    let edits: Vec<(&str, Edit, Check)> = vec![
        (
            // Ben's private page, his anonymous public page, both dashboards, his workbooks,
            // his calendar and the whole calendar.
            "a partner's business",
            Edit::Replace(
                "content/partners/ben-ng.yaml",
                "Ng Plumbing",
                "Ng Plumbing and Heating",
            ),
            Box::new(rendered(5 + 2 + INDEXES)),
        ),
        (
            // Ana's pages and workbooks, the dashboards, Ben's page and workbooks, which
            // name her as his introducer, "who I recommend", which names her, and her calendar
            // and the whole one.
            "an introducer's name",
            Edit::Replace(
                "content/partners/ana-lopez.yaml",
                "name: Ana López",
                "name: Ana María López",
            ),
            Box::new(rendered(8 + 2 + INDEXES)),
        ),
        (
            // Every guide page (each lists every chapter) and the contents, in both sites, the
            // dashboards, the four partner pages, the handouts, guide.pdf, and each partner's
            // workbooks.
            "a question of the guide",
            Edit::Replace(
                "content/guide/02-briefings.md",
                "What is your business for?",
                "What is your business really for?",
            ),
            Box::new(rendered(6 + 2 + 4 + 2 + 4 + INDEXES)),
        ),
        (
            // Stage 1's workbook sums up every stage. So: the page, its neighbour and the
            // contents in both sites, the dashboards, the four partner pages, the handouts,
            // guide.pdf, and each partner's workbooks.
            "the summary of the first stage's page",
            Edit::Replace(
                "content/guide/01-start.md",
                "summary: The first meeting.",
                "summary: The first meeting, to see if you fit.",
            ),
            Box::new(rendered(6 + 2 + 4 + 2 + 4 + INDEXES)),
        ),
        (
            // As for the first stage's summary.
            "the summary of the second stage's page, which stage 1's workbook shows too",
            Edit::Replace(
                "content/guide/02-briefings.md",
                "summary: One side briefs, the other asks.",
                "summary: One side briefs; the other asks and listens.",
            ),
            Box::new(rendered(6 + 2 + 4 + 2 + 4 + INDEXES)),
        ),
        (
            // The first page teaches stage 1, so every worksheet shows its title: as above.
            "a guide page's title, which its neighbour links to",
            Edit::Replace(
                "content/guide/01-start.md",
                "title: ",
                "title: Before anything else, ",
            ),
            Box::new(rendered(6 + 2 + 4 + 2 + 4 + INDEXES)),
        ),
        (
            "a template that only partner pages include",
            Edit::Replace(
                "themes/default/templates/_timeline.html",
                "<ol class=\"timeline\">",
                "<ol class=\"timeline steps\">",
            ),
            // Four private partner pages and two public ones (Ana, public; Ben, anonymous;
            // Cara is private, Dev declined).
            Box::new(rendered(6)),
        ),
        (
            "the base template",
            Edit::Replace(
                "themes/default/templates/base.html",
                "<body",
                "<body data-edited",
            ),
            // Every page: the dashboards, the guide's contents and its two pages in both sites,
            // four private partner pages, two public ones and "who I recommend".
            Box::new(both(rendered(2 + 2 + 4 + 4 + 2 + 1), writes_no("pdf"))),
        ),
        (
            "the printed style",
            Edit::Replace("themes/default/theme.yaml", "body: 10.5", "body: 10"),
            // Every PDF: four partners' workbooks, the handouts and guide.pdf.
            Box::new(both(rendered(4 + 1 + 1), writes_no("html"))),
        ),
        (
            "a worksheet's body",
            Edit::Replace(
                "themes/default/workbooks/stage-4-follow-up.md",
                "lines=3, label=\"workbook.stage_4.news\"",
                "lines=4, label=\"workbook.stage_4.news\"",
            ),
            // Every workbook, the handouts and the course pack (with guide.pdf, its job); no
            // page shows the body.
            Box::new(both(rendered(4 + 1 + 1), writes_no("html"))),
        ),
        (
            "a worksheet's front matter",
            Edit::Replace(
                "themes/default/workbooks/meeting-planner.md",
                "order: 45",
                "order: 45\nhandout: false",
            ),
            // No longer a handout: the handouts and the course pack lose it, every page's
            // downloads too, and every workbook job reads the worksheet again.
            Box::new(rendered(4 + 1 + 1 + 15)),
        ),
        (
            "a new worksheet",
            Edit::Write(
                "themes/default/workbooks/contacts.md",
                "---\ntitle: \"Contacts{% if partner %} — {{ partner.name }}{% endif %}\"\n---\n# Contacts\n\n{{ lines(name=\"contacts\", labels=[\"1.\", \"2.\"], label=\"Contacts\") }}\n",
            ),
            // Every workbook, the handouts, the course pack, and every page, since each lists
            // the handouts in its frame.
            Box::new(rendered(4 + 1 + 1 + 15)),
        ),
        (
            "a string",
            Edit::Replace(
                "themes/default/strings/en.yaml",
                "no_thanks: No thanks owed.",
                "no_thanks: Nobody to thank yet.",
            ),
            // Words are everywhere: everything, as after an edit of site.yaml.
            Box::new(rendered(15 + 1 + 4 + 2 + 5 + INDEXES)),
        ),
        (
            "the stylesheet",
            Edit::Replace("themes/default/static/style.css", "}", "}\n/* edited */"),
            Box::new(both(
                rendered(1),
                writes_only(&["private/static/style.css", "site/static/style.css"]),
            )),
        ),
        (
            // Abe's private page and workbooks, the dashboards, two public pages (first met
            // before Ben, Abe is `partner-1` and Ben moves to `partner-2`), Abe's calendar and
            // the whole one.
            "a new partner",
            Edit::Write(
                "content/partners/abe-quinn.yaml",
                "name: Abe Quinn\nbusiness: Quinn Joinery\nexploratory: { date: 2026-05-01, decision: pending }\n",
            ),
            Box::new(rendered(2 + 2 + 2 + 2 + INDEXES)),
        ),
        (
            // Cara's private page and workbooks, the dashboards, and three public pages: first
            // met before Abe and Ben, Cara is `partner-1`, and they move up one; her calendar
            // and the whole one.
            "a partner made public",
            Edit::Replace(
                "content/partners/cara-doyle.yaml",
                "visibility: private",
                "visibility: anonymous",
            ),
            Box::new(rendered(2 + 2 + 3 + 2 + INDEXES)),
        ),
        (
            // The new id's private page, workbooks and calendar, the dashboards, the public page
            // that now stands for a partner of another id, and the whole calendar.
            "a renamed partner file",
            Edit::Rename(
                "content/partners/abe-quinn.yaml",
                "content/partners/abraham-quinn.yaml",
            ),
            Box::new(rendered(2 + 2 + 1 + 2 + INDEXES)),
        ),
        (
            // Dev had declined, so only the dashboards and the whole calendar read him; his own
            // jobs are gone.
            "a deleted partner file",
            Edit::Remove("content/partners/dev-patel.yaml"),
            Box::new(rendered(2 + 1 + INDEXES)),
        ),
        (
            // Every guide page and the contents in both sites (each page lists every chapter),
            // and guide.pdf.
            "a new guide page",
            Edit::Write(
                "content/guide/03-later.md",
                "---\ntitle: Later\norder: 3\n---\nMore to come.\n",
            ),
            Box::new(rendered(4 + 4 + 1 + INDEXES)),
        ),
        (
            // Everything: 19 pages (dashboards, contents and three guide pages in both sites,
            // four private and four public partner pages, "who I recommend"), the static
            // files, four partners' workbooks, the handouts and guide.pdf, and five calendars.
            "site.yaml",
            Edit::Replace("site.yaml", "as_of: 2026-06-01", "as_of: 2026-07-01"),
            Box::new(rendered(19 + 1 + 4 + 2 + 5 + INDEXES)),
        ),
    ];
    check_edits(Options::default(), &edits);
}

#[test]
fn a_failed_rebuild_changes_nothing_and_the_next_good_one_catches_up() {
    let site = TestSite::small();
    let root = site.root();
    let options = Options {
        workbooks: false,
        ..Options::default()
    };
    let mut project = Project::open(&root, options);
    project.build().expect("builds");
    let before = project.files().clone();

    let ben = "content/partners/ben-ng.yaml";
    Edit::Replace(ben, "Ng Plumbing", "Ng Plumbing and Heating").apply(&root);
    let bad = Edit::Replace(
        "content/partners/ana-lopez.yaml",
        "name: Ana López",
        "nome: Ana López",
    );
    let mut touched = bad.apply(&root);
    touched.push(PathBuf::from(ben));
    project.refresh(&touched);
    let problems = project.build().expect_err("a bad save fails");
    let message = format!("{problems:?}");
    assert!(message.contains("ana-lopez.yaml"), "{message}");
    assert_eq!(project.files(), &before, "a failed build changes nothing");

    let fix = Edit::Replace(
        "content/partners/ana-lopez.yaml",
        "nome: Ana López",
        "name: Ana López",
    );
    project.refresh(&fix.apply(&root));
    project.build().expect("the fix builds");
    assert_eq!(
        project.files(),
        &fresh(&root, options),
        "Ben's edit, made while Ana's file was broken, is built too"
    );
}

#[test]
fn a_save_that_changes_nothing_renders_nothing() {
    let site = TestSite::small();
    let root = site.root();
    let mut project = Project::open(&root, Options::default());
    project.build().expect("builds");
    let path = "content/partners/ben-ng.yaml";
    let text = fs::read_to_string(root.join(path)).unwrap();
    fs::write(root.join(path), text).unwrap();
    project.refresh(&[PathBuf::from(path)]);
    let changes = project.build().expect("builds");
    assert_eq!(changes.rendered, 0);
    assert!(changes.written.is_empty() && changes.removed.is_empty());
}

const NO_PDFS: Options = Options {
    strict: false,
    workbooks: false,
};

#[test]
fn a_component_is_a_dependency_of_every_template_that_calls_one() {
    let site = TestSite::small();
    site.write(
        "themes/default/templates/components.html",
        "{% component Badge(label) %}<b>{{ label }}</b>{% endcomponent Badge %}",
    );
    let partner = "themes/default/templates/partner.html";
    let text = site.read(partner);
    assert!(text.contains("<h1>{{ page.name }}</h1>"));
    site.write(
        partner,
        &text.replacen(
            "<h1>{{ page.name }}</h1>",
            "<h1>{{ <Badge label=\"partner\" /> }}{{ page.name }}</h1>",
            1,
        ),
    );
    let edits: Vec<(&str, Edit, Check)> = vec![(
        "a component's body",
        Edit::Replace(
            "themes/default/templates/components.html",
            "<b>",
            "<strong>",
        ),
        Box::new(rendered(4)),
    )];
    check_edits_on(&site, NO_PDFS, &edits);
}

#[test]
fn a_font_the_theme_names_is_watched_wherever_it_is() {
    let site = TestSite::small();
    let theme = site.root().join("themes/default");
    fs::create_dir_all(theme.join("static/fonts")).unwrap();
    fs::copy(
        theme.join("fonts/GentiumBookPlus-Regular.ttf"),
        theme.join("static/fonts/body.ttf"),
    )
    .unwrap();
    let style = fs::read_to_string(theme.join("theme.yaml")).unwrap();
    fs::write(
        theme.join("theme.yaml"),
        style.replacen(
            "fonts/GentiumBookPlus-Regular.ttf",
            "static/fonts/body.ttf",
            1,
        ),
    )
    .unwrap();
    let edits: Vec<(&str, Edit, Check)> = vec![(
        "a font kept under static/",
        Edit::Copy(
            "themes/default/fonts/GentiumBookPlus-Bold.ttf",
            "themes/default/static/fonts/body.ttf",
        ),
        // Every PDF (four partners' workbooks, the handouts, guide.pdf) and the static files.
        Box::new(rendered(4 + 1 + 1 + 1)),
    )];
    check_edits_on(&site, Options::default(), &edits);
}

#[test]
fn a_folder_reported_as_a_whole_is_read_again_whole() {
    let edits: Vec<(&str, Edit, Check)> = vec![
        (
            "the partners folder",
            Edit::ReportedAs(
                Box::new(Edit::Replace(
                    "content/partners/ben-ng.yaml",
                    "Ng Plumbing",
                    "Ng Heating",
                )),
                &["content/partners"],
            ),
            Box::new(rendered(4 + 2 + INDEXES)),
        ),
        (
            "the content folder",
            Edit::ReportedAs(
                Box::new(Edit::Replace(
                    "content/guide/02-briefings.md",
                    "What is your business for?",
                    "What is your business for, in a line?",
                )),
                &["content"],
            ),
            // As a question edit without PDFs: the page, its neighbour and the contents in both
            // sites, the dashboards and the four partner pages.
            Box::new(rendered(6 + 2 + 4 + INDEXES)),
        ),
    ];
    check_edits(NO_PDFS, &edits);
}

#[test]
fn reading_everything_again_renders_only_what_changed() {
    let edits: Vec<(&str, Edit, Check)> = vec![(
        "one partner, with every input reported",
        Edit::ReportedAs(
            Box::new(Edit::Replace(
                "content/partners/ben-ng.yaml",
                "Ng Plumbing",
                "Ng Heating",
            )),
            &advocate::serve::EVERY_INPUT,
        ),
        Box::new(rendered(5 + 2 + INDEXES)),
    )];
    check_edits(Options::default(), &edits);
}

#[test]
fn a_named_partner_whose_id_looks_like_an_anonymous_page_keeps_it() {
    let site = TestSite::small();
    site.write(
        "content/partners/partner-1.yaml",
        "name: Pat Named\nbusiness: Named Co\nvisibility: public\nconsent: 2026-01-01\n\
         exploratory: { date: 2026-05-01, decision: pending }\n",
    );
    let files = fresh(&site.root(), NO_PDFS);
    let page = |name: &str| {
        let file = files.get(&Path::new("site/partners").join(name));
        file.map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    };
    let named = page("partner-1.html").expect("the named partner's page");
    assert!(
        named.contains("Pat Named") && !named.contains("B. N."),
        "{named}"
    );
    let anonymous = page("partner-2.html").expect("the anonymous partner's page");
    assert!(anonymous.contains("B. N."), "{anonymous}");
    let edits: Vec<(&str, Edit, Check)> = vec![
        (
            // Ben's two pages, the dashboards and two calendars.
            "the anonymous partner",
            Edit::Replace("content/partners/ben-ng.yaml", "Ng Plumbing", "Ng Heating"),
            Box::new(rendered(2 + 2 + 2 + INDEXES)),
        ),
        (
            // The dashboards, `partner-1`, which is Ben's now, and "who I recommend", which no
            // longer names Pat, and the whole calendar.
            "the named partner's file, removed",
            Edit::Remove("content/partners/partner-1.yaml"),
            Box::new(rendered(2 + 1 + 1 + 1 + INDEXES)),
        ),
    ];
    check_edits_on(&site, NO_PDFS, &edits);
}
