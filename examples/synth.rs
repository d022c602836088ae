//! Generates a synthetic site with N partners for benchmarks:
//! `cargo run --release --example synth -- 1000 /tmp/synth`.
//!
//! The site has the bundled guide and theme, and partners at every stage with answers,
//! reservations, interactions, referrals and updates of realistic length.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const SENTENCES: [&str; 8] = [
    "We help owner-managed firms grow without losing what made them good in the first place.",
    "Most of our clients come to us after a change: a sale, a merger, a new generation taking over.",
    "I would like to meet two or three people a quarter who are thinking about that kind of change.",
    "Outside work I sing in a choir and spend too many weekends on the Malvern hills.",
    "The best introductions come from people who have seen our work up close, so *detail* matters.",
    "We are careful with confidentiality and never discuss one client with another.",
    "Our busiest months are January and July, so meetings then may have to be short.",
    "Anyone who runs a café, a workshop or a practice in the county is worth a conversation.",
];

fn text(seed: usize, sentences: usize) -> String {
    (0..sentences)
        .map(|i| SENTENCES[(seed + i * 3) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn day(base_month: usize, offset: usize) -> String {
    let month = (base_month + offset / 28) % 11 + 1;
    let dom = offset % 28 + 1;
    format!("2026-{month:02}-{dom:02}")
}

fn partner(i: usize) -> String {
    let stage = i % 4 + 1;
    let mut y = String::new();
    let _ = writeln!(
        y,
        "name: \"Partner Nº{i} Łukasz Zoë\"\nbusiness: \"Business {i} & Co\"\nrole: Director\nsector: sector-{}\nkind: colleague",
        i % 12
    );
    let _ = writeln!(
        y,
        "visibility: {}",
        ["anonymous", "private", "public"][i % 3]
    );
    if i % 3 == 2 {
        let _ = writeln!(y, "consent: 2026-01-02");
    }
    let _ = writeln!(
        y,
        "contact:\n  email: p{i}@example.com\n  phone: \"+44 1632 960{:03}\"\n  address: \"{i} Mill Lane, Stroud\"",
        i % 1000
    );
    let _ = writeln!(
        y,
        "exploratory:\n  date: 2026-01-05\n  decision: {}\n  why: \"{}\"\n  notes: \"{}\"",
        if stage == 1 { "pending" } else { "proceed" },
        text(i, 2),
        text(i + 1, 3)
    );
    if stage >= 2 {
        let _ = writeln!(
            y,
            "briefing:\n  theirs:\n    date: 2026-01-20\n    answers:"
        );
        for (q, id) in [
            "business_purpose",
            "relationship_purpose",
            "business_contacts",
            "aspirations",
            "likes_dislikes",
            "personal_contacts",
            "achievements_interests",
        ]
        .iter()
        .enumerate()
        {
            let _ = writeln!(y, "      {id}: \"{}\"", text(i + q, 3));
        }
        if stage >= 3 {
            let _ = writeln!(y, "  mine:\n    date: 2026-02-03");
        }
    }
    let _ = writeln!(y, "reservations:");
    for (r, theme) in ["trust", "time", "confidentiality"].iter().enumerate() {
        let _ = writeln!(
            y,
            "  - theme: {theme}\n    held_by: {}\n    concern: \"{}\"\n    status: {}\n    raised: 2026-01-20\n    resolution: \"{}\"",
            ["me", "them"][r % 2],
            text(i + r, 2),
            ["open", "resolved", "resolved"][r],
            text(i + r + 1, 1)
        );
    }
    if stage >= 3 {
        let _ = writeln!(
            y,
            "agreement:\n  date: 2026-02-17\n  confirmed: true\n  leads_wanted: {{ me: 2, them: 3 }}\n  first_meetings: [2026-03-17, 2026-04-14, 2026-12-09]"
        );
        let _ = writeln!(
            y,
            "teaching:\n  them:\n    targets: {{ sectors: [retail, trades], sizes: [\"5-50 staff\"], locations: [Stroud] }}\n    offer: [audits, payroll]\n    say: \"{}\"\n  me:\n    say: \"{}\"",
            text(i, 2),
            text(i + 2, 2)
        );
    }
    let _ = writeln!(y, "interactions:");
    for k in 0..20 {
        let _ = writeln!(
            y,
            "  - date: {}\n    kind: {}\n    summary: \"{}\"",
            day(0, k * 14 + i % 7),
            [
                "meeting",
                "call",
                "email",
                "message",
                "handwritten_note",
                "event"
            ][k % 6],
            text(i + k, 1)
        );
    }
    if stage >= 3 {
        let _ = writeln!(y, "referrals:");
        for k in 0..6 {
            let _ = writeln!(
                y,
                "  - date: {}\n    direction: {}\n    contact: \"Contact {k} of partner {i}\"\n    need: \"{}\"\n    status: {}\n    value: {}\n    followed_up: {}",
                day(2, k * 20),
                ["given", "received"][k % 2],
                text(i + k, 1),
                [
                    "introduced",
                    "contacted",
                    "meeting",
                    "proposal",
                    "won",
                    "lost"
                ][k],
                500 + k * 250,
                day(2, k * 20 + 1)
            );
        }
        let _ = writeln!(y, "updates:");
        for k in 0..3 {
            let _ = writeln!(
                y,
                "  - date: {}\n    text: \"{}\"",
                day(4, k * 30),
                text(i + k, 1)
            );
        }
    }
    y
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(count), Some(dir)) = (
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: synth N DIR");
        std::process::exit(2);
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = Path::new(dir);
    let _ = fs::remove_dir_all(root);
    fs::create_dir_all(root.join("content/partners")).expect("create");
    copy_tree(&repo.join("content/guide"), &root.join("content/guide"));
    copy_tree(&repo.join("themes"), &root.join("themes"));
    fs::copy(repo.join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
    for i in 0..count {
        fs::write(
            root.join(format!("content/partners/p{i:05}.yaml")),
            partner(i),
        )
        .expect("write partner");
    }
    println!("wrote {count} partners into {}", root.display());
}
