//! Privacy is part of correctness: unique strings are planted in every private field of every
//! partner and of the owner, and none of them may appear anywhere under `output/site`: pages,
//! sitemap, robots, stylesheet, the text and metadata of every PDF (handouts, guide). The same
//! strings must appear in `output/private`, so that the test proves the fields were read, not
//! merely ignored. Which fields need a plant is read from the JSON schemas the model's types
//! generate, so a new text field fails the tests until it has one. Anonymous partners' initials
//! and public numbers are checked here too.

mod common;

use std::fs;

use common::TestSite;

/// The private fields of a partner, each holding its own planted string.
fn partner_yaml(key: &str, name: &str, visibility: &str) -> String {
    let p = |field: &str| format!("PLANT-{key}-{field}");
    let consent = if visibility == "public" {
        "consent: 2026-01-01\n"
    } else {
        ""
    };
    format!(
        r#"name: "{name}"
business: "{business}"
role: "{role}"
sector: "{sector}"
kind: colleague
visibility: {visibility}
{consent}public:
  recommendation: "{recommendation}"
  website: "https://example.com/{website}"
contact:
  email: "{email}@example.com"
  phone: "{phone}"
  address: "{address}"
exploratory:
  date: 2026-01-05
  decision: proceed
  why: "{why}"
  notes: "{notes}"
briefing:
  theirs:
    date: 2026-01-20
    answers:
      purpose: "{answer1}"
      hobbies: ["{answer2}", "{answer3}"]
  mine:
    date: 2026-02-03
reservations:
  - theme: trust
    held_by: them
    concern: "{concern}"
    status: resolved
    raised: 2026-01-20
    resolved_on: 2026-02-03
    resolution: "{resolution}"
agreement:
  date: 2026-02-17
  confirmed: true
  leads_wanted: {{ me: 2, them: 3 }}
  first_meetings: [2026-03-17, 2026-04-14, 2026-06-10]
teaching:
  them:
    targets: {{ sectors: ["{target_sector}"], sizes: ["{target_size}"], locations: ["{target_location}"] }}
    offer: ["{offer}"]
    say: "{say_them}"
  me:
    targets: {{ sectors: ["{my_sector}"], sizes: ["{my_size}"], locations: ["{my_location}"] }}
    offer: ["{my_offer}"]
    say: "{say_me}"
interactions:
  - date: 2026-05-20
    kind: meeting
    summary: "{interaction}"
referrals:
  - date: 2026-03-01
    direction: given
    contact: "{referral_contact}"
    need: "{referral_need}"
    status: won
    value: 987654.32
    followed_up: 2026-03-02
  - date: 2026-03-09
    direction: received
    contact: "{referral_contact2}"
    status: won
updates:
  - date: 2026-05-20
    text: "{update}"
"#,
        business = p("business"),
        role = p("role"),
        sector = p("sector"),
        email = p("email"),
        phone = p("phone"),
        address = p("address"),
        why = p("why"),
        notes = p("notes"),
        answer1 = p("answer1"),
        answer2 = p("answer2"),
        answer3 = p("answer3"),
        concern = p("concern"),
        resolution = p("resolution"),
        target_sector = p("target-sector"),
        target_size = p("target-size"),
        target_location = p("target-location"),
        offer = p("offer"),
        say_them = p("say-them"),
        say_me = p("say-me"),
        my_sector = p("my-sector"),
        my_size = p("my-size"),
        my_location = p("my-location"),
        my_offer = p("my-offer"),
        interaction = p("interaction"),
        referral_contact = p("referral-contact"),
        referral_need = p("referral-need"),
        referral_contact2 = p("referral-contact2"),
        update = p("update"),
        recommendation = p("recommendation"),
        website = p("website"),
    )
}

const OWNER_PLANTS: [&str; 8] = [
    "PLANT-owner-email",
    "PLANT-owner-phone",
    "PLANT-owner-answer",
    "PLANT-owner-answer-item",
    "PLANT-owner-sector",
    "PLANT-owner-size",
    "PLANT-owner-location",
    "PLANT-owner-offer",
];

fn planted_site() -> TestSite {
    let site = TestSite::small();
    for old in ["ana-lopez", "ben-ng", "cara-doyle", "dev-patel"] {
        fs::remove_file(site.root().join(format!("content/partners/{old}.yaml"))).unwrap();
    }
    let config = fs::read_to_string(site.root().join("site.yaml"))
        .unwrap()
        .replace("olga@example.org", "PLANT-owner-email@example.org")
        .replace("+44 1632 960001", "PLANT-owner-phone")
        .replace(
            "purpose: Calm, tidy books for small firms.",
            "purpose: PLANT-owner-answer\n    hobbies: [PLANT-owner-answer-item]",
        )
        .replace(
            "targets: { sectors: [cafes], sizes: [\"1-10 staff\"], locations: [Stroud] }",
            "targets: { sectors: [PLANT-owner-sector], sizes: [PLANT-owner-size], locations: [PLANT-owner-location] }",
        )
        .replace("offer: [bookkeeping]", "offer: [PLANT-owner-offer]");
    assert!(OWNER_PLANTS.iter().all(|plant| config.contains(plant)));
    site.write("site.yaml", &config);
    site.write(
        "content/partners/quentin-anonymo.yaml",
        &partner_yaml("anon", "Quentin Anonymo", "anonymous"),
    );
    site.write(
        "content/partners/priscilla-privata.yaml",
        &partner_yaml("priv", "Priscilla Privata", "private"),
    );
    site.write(
        "content/partners/paula-publica.yaml",
        &partner_yaml("pub", "Paula Publica", "public"),
    );
    site
}

/// Every file under `dir` with the text a reader can get from it (PDFs decoded).
fn corpus(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|entry| {
            let bytes = fs::read(entry.path()).unwrap();
            let text = if entry.path().extension().is_some_and(|e| e == "pdf") {
                common::pdf_text(&bytes)
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            };
            (entry.into_path(), text)
        })
        .collect()
}

/// Every file of `corpus` with each forbidden string it contains.
fn leaks(corpus: &[(std::path::PathBuf, String)], forbidden: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in corpus {
        for needle in forbidden {
            if text.contains(needle.as_str()) {
                found.push(format!("{} contains {needle}", path.display()));
            }
        }
    }
    found
}

#[test]
fn no_private_field_reaches_the_public_site() {
    let site = planted_site();
    site.built();
    let mut forbidden: Vec<String> = OWNER_PLANTS.iter().map(|s| s.to_string()).collect();
    // Every planted partner field, except what a public partner's consent allows.
    let all_private = |key: &str| {
        let text = partner_yaml(key, "x", "anonymous");
        text.match_indices("PLANT-")
            .map(|(i, _)| text[i..].split(['"', '@']).next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    forbidden.extend(
        all_private("anon")
            .into_iter()
            .filter(|p| p != "PLANT-anon-sector"),
    );
    forbidden.extend(all_private("priv"));
    forbidden.extend(all_private("pub").into_iter().filter(|p| {
        ![
            "PLANT-pub-business",
            "PLANT-pub-role",
            "PLANT-pub-sector",
            "PLANT-pub-recommendation",
            "PLANT-pub-website",
        ]
        .contains(&p.as_str())
    }));
    for name in [
        "Quentin",
        "Anonymo",
        "Priscilla",
        "Privata",
        "P. P.",
        "987654",
        "987,654",
    ] {
        forbidden.push(name.to_owned());
    }
    assert!(forbidden.len() > 70, "{} planted strings", forbidden.len());

    let public = corpus(&site.out().join("site"));
    assert!(
        public.iter().any(|(p, _)| p.ends_with("guide.pdf")),
        "the PDFs are searched too"
    );
    assert!(
        public
            .iter()
            .any(|(p, text)| p.ends_with("search-index.js") && text.contains("Paula Publica")),
        "the search index is searched too, and holds what the public pages show"
    );
    let public_leaks = leaks(&public, &forbidden);
    assert!(public_leaks.is_empty(), "{}", public_leaks.join("\n"));

    // The planted strings did reach the private site, so the fields were read and rendered.
    let private = corpus(&site.out().join("private"));
    let shown: Vec<String> = forbidden
        .iter()
        .filter(|needle| leaks(&private, std::slice::from_ref(needle)).is_empty())
        .cloned()
        .collect();
    assert_eq!(
        shown,
        ["P. P.", "987654"],
        "every other planted string is on the private site"
    );
}

#[test]
fn the_public_site_shows_what_consent_and_anonymity_allow() {
    let site = planted_site();
    site.built();
    let public = corpus(&site.out().join("site"));
    let allowed = [
        "Paula Publica",
        "PLANT-pub-business",
        "PLANT-pub-role",
        "PLANT-pub-sector",
        "PLANT-pub-recommendation",
        "PLANT-pub-website",
        "Q. A.",
        "PLANT-anon-sector",
    ]
    .map(String::from);
    for needle in allowed {
        assert!(
            !leaks(&public, std::slice::from_ref(&needle)).is_empty(),
            "{needle} is shown"
        );
    }
}

/// A minimal anonymous partner named `name`, first met on `first_met`.
fn anonymous(name: &str, first_met: &str) -> String {
    format!(
        "name: \"{name}\"\nbusiness: Biz\nsector: trades\nvisibility: anonymous\nexploratory: {{ date: {first_met}, decision: pending }}\n"
    )
}

#[test]
fn an_initial_is_never_a_whole_part_of_a_name_in_any_script() {
    let site = TestSite::small();
    let names = [
        ("wang-fang", "王芳 Harrowgate", Some("H.")),
        ("kim-minjun", "김민준", None),
        ("yamada-taro", "山田 太郎", None),
        ("muhammad-ali", "محمد علي", None),
        ("x-ae", "X Æ A-12", None),
    ];
    for (id, name, _) in names {
        site.write(
            &format!("content/partners/{id}.yaml"),
            &anonymous(name, "2026-05-30"),
        );
    }
    site.built();
    let public = corpus(&site.out().join("site"));
    let forbidden: Vec<String> = [
        "王", "芳", "김", "山田", "太郎", "محمد", "علي", "X.", "Æ", "A.",
    ]
    .map(String::from)
    .to_vec();
    let found = leaks(&public, &forbidden);
    assert!(found.is_empty(), "{}", found.join("\n"));
    let dashboard = site.html("site/index.html");
    let cards: Vec<String> = common::select(&dashboard, ".card a")
        .iter()
        .map(common::text_of)
        .collect();
    assert!(cards.contains(&"H.".to_owned()), "{cards:?}");
    let unnamed = cards.iter().filter(|c| c.starts_with("Partner ")).count();
    assert_eq!(
        unnamed, 4,
        "names with no initials show their number: {cards:?}"
    );
    for (_, _, label) in names {
        if let Some(label) = label {
            assert!(cards.iter().any(|c| c == label), "{label}");
        }
    }
}

#[test]
fn adding_a_partner_keeps_every_public_address_and_page() {
    let site = TestSite::bundled();
    site.built();
    let before = common::snapshot_tree(&site.out().join("site/partners"));
    assert!(before.len() > 3, "{} public partner pages", before.len());
    // The new id sorts before every other, and the partner was met today.
    let as_of = site
        .read("site.yaml")
        .lines()
        .find_map(|l| l.strip_prefix("as_of: ").map(|d| d[..10].to_owned()))
        .expect("the bundled site sets as_of");
    site.write(
        "content/partners/aaron-aardvark.yaml",
        &anonymous("Aaron Aardvark", &as_of),
    );
    site.built();
    let after = common::snapshot_tree(&site.out().join("site/partners"));
    for (path, bytes) in &before {
        assert!(
            after.iter().any(|(p, b)| p == path && b == bytes),
            "{} moved or changed",
            path.display()
        );
    }
    assert_eq!(after.len(), before.len() + 1, "one new page");
}

/// The text fields (not dates, not fixed choices) that `schema` describes, each with whether
/// `value` holds a planted string there. A map's keys are `*` and a list's items `[]`.
fn text_fields(
    schema: &serde_json::Value,
    definitions: &serde_json::Value,
    value: Option<&serde_json::Value>,
    path: &str,
    found: &mut std::collections::BTreeMap<String, bool>,
) {
    use serde_json::Value;
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => &definitions[reference.trim_start_matches("#/definitions/")],
        None => schema,
    };
    if let Some(choices) = schema
        .get("anyOf")
        .or(schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        for choice in choices {
            text_fields(choice, definitions, value, path, found);
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    let fixed_choice = schema.get("enum").is_some() || schema.get("const").is_some();
    if types.contains(&"string") && !fixed_choice && schema.get("format").is_none() {
        let planted = value
            .and_then(Value::as_str)
            .is_some_and(|text| text.contains("PLANT-"));
        *found.entry(path.to_owned()).or_default() |= planted;
    }
    if types.contains(&"object") {
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                text_fields(
                    property,
                    definitions,
                    value.and_then(|v| v.get(name)),
                    &join(name),
                    found,
                );
            }
        }
        if let Some(entry) = schema.get("additionalProperties").filter(|e| e.is_object()) {
            let entries: Vec<&Value> = value
                .and_then(Value::as_object)
                .map(|map| map.values().collect())
                .unwrap_or_default();
            text_fields(entry, definitions, None, &join("*"), found);
            for entry_value in entries {
                text_fields(entry, definitions, Some(entry_value), &join("*"), found);
            }
        }
    }
    if types.contains(&"array") {
        let items: Vec<&Value> = value
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        text_fields(
            &schema["items"],
            definitions,
            None,
            &format!("{path}[]"),
            found,
        );
        for item in items {
            text_fields(
                &schema["items"],
                definitions,
                Some(item),
                &format!("{path}[]"),
                found,
            );
        }
    }
}

/// The text fields of `schema` (a file of `schemas/`) that no planted string fills in `text`,
/// leaving out those the data model makes public (or ids and names, checked by hand above).
fn unplanted(schema: &str, text: &str, public: &[&str]) -> Vec<String> {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(common::repo().join("schemas").join(schema)).unwrap(),
    )
    .unwrap();
    let value: serde_json::Value = serde_saphyr::from_str(text).expect("the planted YAML parses");
    let mut found = std::collections::BTreeMap::new();
    text_fields(
        &schema,
        &schema["definitions"],
        Some(&value),
        "",
        &mut found,
    );
    assert!(found.len() > 10, "{found:?}");
    found
        .into_iter()
        .filter(|(path, planted)| !planted && !public.contains(&path.as_str()))
        .map(|(path, _)| path)
        .collect()
}

/// A new text field in the model is private unless the data model says otherwise; this fails
/// until the privacy test above plants a string in it.
#[test]
fn every_private_text_field_of_the_model_has_a_planted_string() {
    let partner_public = [
        "name",
        "business",
        "role",
        "sector",
        "introduced_by",
        "reservations[].theme",
    ];
    let missing = unplanted(
        "partner.schema.json",
        &partner_yaml("x", "x", "anonymous"),
        &partner_public,
    );
    assert!(
        missing.is_empty(),
        "partner fields with no planted string: {missing:?}"
    );
    let site = planted_site();
    let site_public = [
        "title",
        "base_url",
        "language",
        "theme",
        // A setting, three capital letters, that cannot carry a planted string; the public
        // site shows no amounts, so it never prints there.
        "currency",
        "owner.name",
        "owner.business",
        "owner.role",
        "owner.introduction",
        // A trainer's branding is printed on the handouts, which are published.
        "branding.name",
        "branding.logo",
        "branding.course",
        "branding.edition",
        "branding.footer",
        "branding.colour",
    ];
    let missing = unplanted("site.schema.json", &site.read("site.yaml"), &site_public);
    assert!(
        missing.is_empty(),
        "site.yaml fields with no planted string: {missing:?}"
    );
}
