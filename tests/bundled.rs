//! The bundled content: the guide and the example partners in the repository build without a
//! warning, define each question and theme once, and the example partners use them.

mod common;

use std::collections::HashSet;

use advocate::model::progress::{State, Status};

#[test]
fn the_bundled_site_loads_without_errors_or_warnings() {
    let (site, warnings) = advocate::model::load(&common::repo()).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(|p| p.render(false))
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert!(site.guide.pages.len() >= 10);
    assert_eq!(site.guide.questions().count(), 7);
    let themes: Vec<&str> = site.guide.themes().map(|t| t.id.value.as_str()).collect();
    assert_eq!(
        themes,
        ["trust", "quality", "poaching", "time", "confidentiality"]
    );
    for stage in advocate::model::Stage::ALL {
        assert!(
            site.guide.stage_page(stage).is_some(),
            "a page teaches stage {stage}"
        );
    }
}

#[test]
fn the_example_partners_cover_every_stage_and_state() {
    let (site, _) = advocate::model::load(&common::repo()).expect("loads");
    assert!(site.partners.len() >= 6);
    let stages: HashSet<u8> = site
        .partners
        .iter()
        .filter(|p| p.progress.state == State::Active)
        .map(|p| p.progress.stage.number())
        .collect();
    assert_eq!(stages, HashSet::from([1, 2, 3, 4]));
    let states: HashSet<State> = site.partners.iter().map(|p| p.progress.state).collect();
    assert_eq!(
        states,
        HashSet::from([State::Active, State::OnHold, State::Declined])
    );
    assert!(site.partners.iter().any(|p| {
        p.progress
            .cadence
            .as_ref()
            .is_some_and(|c| c.overall() == Status::Overdue)
            && p.progress.stage == advocate::model::Stage::FOLLOW_UP
    }));
    assert!(
        site.partners
            .iter()
            .any(|p| !p.progress.referrals.thanks_owed.is_empty())
    );
    assert!(
        site.partners
            .iter()
            .filter(|p| !p.data.name.is_ascii())
            .count()
            >= 3
    );
    let answered: HashSet<&str> = site
        .partners
        .iter()
        .filter_map(|p| p.data.briefing.as_ref()?.theirs.as_ref())
        .flat_map(|t| t.answers.keys().map(|k| k.value.as_str()))
        .collect();
    let all: HashSet<&str> = site
        .guide
        .questions()
        .map(|q| q.id.value.as_str())
        .collect();
    assert_eq!(answered, all, "every question is answered by some partner");
    assert!(
        site.partners.iter().any(|p| p
            .data
            .briefing
            .as_ref()
            .and_then(|b| b.theirs.as_ref())
            .is_some_and(|t| t.answers.len() < all.len() && !t.answers.is_empty())),
        "some worksheet shows filled-in and empty answers"
    );
}

#[test]
fn the_committed_schemas_match_the_model() {
    for (name, json) in advocate::schema::schemas() {
        let committed = std::fs::read_to_string(common::repo().join("schemas").join(name)).unwrap();
        assert_eq!(
            committed, json,
            "schemas/{name} is stale: run `cargo run -- schema`"
        );
    }
}

#[test]
fn every_bundled_yaml_file_points_at_its_schema() {
    let site_yaml = std::fs::read_to_string(common::repo().join("site.yaml")).unwrap();
    assert!(site_yaml.starts_with(advocate::schema::SITE_HEADER));
    for entry in std::fs::read_dir(common::repo().join("content/partners")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(text.starts_with(advocate::schema::PARTNER_HEADER));
    }
}
