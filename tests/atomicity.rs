//! A failed build leaves the previous output exactly as it was, byte for byte; a good one
//! replaces it whole. A build is a pure function of its inputs: the same inputs give the same
//! bytes.

mod common;

use std::fs;

use common::{TestSite, snapshot_tree};

#[test]
fn a_build_that_fails_on_bad_input_leaves_the_previous_output_untouched() {
    let site = TestSite::small();
    site.built();
    let before = snapshot_tree(&site.out());
    assert!(before.len() > 10);
    site.overlay("unknown-field");
    site.build().expect_err("bad input");
    assert_eq!(snapshot_tree(&site.out()), before);
}

#[test]
fn a_build_that_fails_in_a_template_leaves_the_previous_output_untouched() {
    let site = TestSite::small();
    site.built();
    let before = snapshot_tree(&site.out());
    site.overlay("template-error");
    site.build().expect_err("template error");
    assert_eq!(snapshot_tree(&site.out()), before);
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().contains("staging")),
        "{leftovers:?}"
    );
}

#[test]
fn a_good_build_replaces_the_whole_output() {
    let site = TestSite::small();
    site.built();
    assert!(site.out().join("private/partners/dev-patel.html").is_file());
    fs::remove_file(site.root().join("content/partners/dev-patel.yaml")).unwrap();
    site.built();
    assert!(!site.out().join("private/partners/dev-patel.html").exists());
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let first = TestSite::small();
    first.built();
    let second = TestSite::small();
    second.built();
    assert_eq!(snapshot_tree(&first.out()), snapshot_tree(&second.out()));
}
