//! The bundled guide: written in our own words (no run of eight words taken from the source
//! articles in `../shared/seeds`), and complete enough to drive the worksheets.

mod common;

use std::collections::HashSet;
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

#[test]
fn no_run_of_eight_words_is_copied_from_the_sources() {
    let seeds = common::repo().join("../shared/seeds");
    let Ok(entries) = fs::read_dir(&seeds) else {
        eprintln!("skipped: {} is not beside this checkout", seeds.display());
        return;
    };
    let mut source_runs = HashSet::new();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            source_runs.extend(runs(&words(&fs::read_to_string(&path).unwrap()), 8));
        }
    }
    assert!(source_runs.len() > 1000, "the sources were read");
    let mut copied = Vec::new();
    for entry in fs::read_dir(common::repo().join("content/guide")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        for run in runs(&words(&text), 8) {
            if source_runs.contains(&run) {
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
