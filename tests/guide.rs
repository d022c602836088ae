//! The bundled guide: written in our own words (no run of eight words taken from the source
//! articles, which are checked through fingerprints of their runs kept in the repository), and
//! complete enough to drive the worksheets.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::fs;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn runs(words: &[String], length: usize) -> HashSet<String> {
    words.windows(length).map(|w| w.join(" ")).collect()
}

/// A run of words as a number (64-bit FNV-1a). The source articles' runs are kept in the
/// repository only as these numbers, in [`SOURCE_RUNS`]: the check then runs wherever the tests
/// do, CI included, and no sentence of the articles is copied into the repository.
fn fingerprint(run: &str) -> u64 {
    run.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The fingerprints of every run of eight words of the source articles, one in hexadecimal per
/// line. Written from `../shared/seeds` with `UPDATE_SOURCE_RUNS=1 cargo test --test guide`.
const SOURCE_RUNS: &str = "tests/fixtures/source-runs.txt";

/// The fingerprints of the runs of the articles in `../shared/seeds`, if they are there.
fn fingerprints_of_the_sources() -> Option<BTreeSet<u64>> {
    let entries = fs::read_dir(common::repo().join("../shared/seeds")).ok()?;
    let mut fingerprints = BTreeSet::new();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = fs::read_to_string(&path).unwrap();
            fingerprints.extend(runs(&words(&text), 8).iter().map(|r| fingerprint(r)));
        }
    }
    Some(fingerprints)
}

#[test]
fn no_run_of_eight_words_is_copied_from_the_sources() {
    let file = common::repo().join(SOURCE_RUNS);
    if let Some(fresh) = fingerprints_of_the_sources()
        && std::env::var_os("UPDATE_SOURCE_RUNS").is_some()
    {
        let lines: Vec<String> = fresh.iter().map(|f| format!("{f:016x}")).collect();
        fs::write(&file, lines.join("\n") + "\n").unwrap();
    }
    let recorded: BTreeSet<u64> = fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .lines()
        .map(|line| u64::from_str_radix(line, 16).expect("a fingerprint"))
        .collect();
    assert!(recorded.len() > 1000, "the sources' runs are recorded");
    if let Some(fresh) = fingerprints_of_the_sources() {
        assert!(
            fresh == recorded,
            "{SOURCE_RUNS} is not the sources' runs: run UPDATE_SOURCE_RUNS=1 cargo test --test guide"
        );
    }
    let mut copied = Vec::new();
    for entry in fs::read_dir(common::repo().join("content/guide")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        for run in runs(&words(&text), 8) {
            if recorded.contains(&fingerprint(&run)) {
                copied.push(format!(
                    "{}: {run}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    copied.sort();
    assert!(
        copied.is_empty(),
        "copied from the sources:\n{}",
        copied.join("\n")
    );
}

#[test]
fn the_guide_has_every_page_of_the_method_in_order_and_credits_its_authors() {
    let (site, _) = advocate::model::load(&common::repo()).expect("the bundled site loads");
    let titles: Vec<&str> = site
        .guide
        .pages
        .iter()
        .map(|p| p.front.title.as_str())
        .collect();
    assert_eq!(titles.len(), 11, "{titles:?}");
    let orders: Vec<i64> = site
        .guide
        .pages
        .iter()
        .map(|p| p.front.order.value)
        .collect();
    assert!(
        orders.windows(2).all(|w| w[0] < w[1]),
        "orders are distinct and increasing"
    );
    assert!(
        site.guide.pages.iter().all(|p| p.front.summary.is_some()),
        "every page has a summary"
    );
    let stages: Vec<u8> = site
        .guide
        .pages
        .iter()
        .filter_map(|p| p.front.stage.as_ref().map(|s| s.value))
        .collect();
    assert_eq!(stages, [1, 2, 2, 3, 4]);
    let about = site.guide.pages.last().unwrap();
    for author in ["Jeremy Marchant", "Ivan Misner", "Lisa M. Aldisert"] {
        assert!(
            about.html.contains(author),
            "the about page credits {author}"
        );
    }
    let words: usize = site
        .guide
        .pages
        .iter()
        .map(|p| {
            let html = scraper::Html::parse_fragment(&p.html);
            html.root_element()
                .text()
                .flat_map(str::split_whitespace)
                .count()
        })
        .sum();
    assert!((6_000..=10_000).contains(&words), "{words} words");
}
