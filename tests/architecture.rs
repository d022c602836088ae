//! The modules' dependencies run one way: no top-level module of `src/` uses another that uses
//! it back, directly or through others. Read from the source text: every `crate::name` in a
//! file under `src/<module>/` (or in `src/<module>.rs`), and every name in a
//! `use crate::{...}` group, is an edge from that module to `name`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The first identifier of `text`.
fn identifier(text: &str) -> String {
    text.trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The top-level modules that `text`, the source of one file, names.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::{c, d}, e}`: the first name of each top-level element.
            let mut depth = 0;
            let mut element_start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        named.insert(identifier(&group[element_start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        named.insert(identifier(&group[element_start..i]));
                        element_start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            named.insert(identifier(rest));
        }
    }
    named.remove("");
    named
}

/// For each top-level module, the others it names.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dependencies: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let first = path
            .strip_prefix(&src)
            .unwrap()
            .components()
            .next()
            .unwrap();
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let mut named = named_modules(&fs::read_to_string(path).unwrap());
        named.remove(&module);
        dependencies.entry(module).or_default().extend(named);
    }
    dependencies
}

/// Every way back to `from` from the modules it names: each circle, written out.
fn circles(dependencies: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for (from, named) in dependencies {
        for start in named {
            let mut seen = BTreeSet::new();
            let mut ways = vec![vec![start.clone()]];
            while let Some(way) = ways.pop() {
                let last = way.last().unwrap();
                if last == from {
                    found.push(format!("{from} -> {}", way.join(" -> ")));
                    break;
                }
                if seen.insert(last.clone()) {
                    for next in dependencies.get(last).into_iter().flatten() {
                        let mut longer = way.clone();
                        longer.push(next.clone());
                        ways.push(longer);
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_reader_finds_every_kind_of_use() {
    let text = "use crate::model::Site;\nuse crate::{artifact::{A, B}, present};\nlet x = crate::output::MARKER;";
    let named: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(named, ["artifact", "model", "output", "present"]);
    let circle: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(m, named)| (m.to_owned(), named.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        circles(&circle).len(),
        3,
        "a, b and c each find the circle; d is not in it"
    );
}

#[test]
fn no_top_level_module_depends_on_one_that_depends_on_it() {
    let dependencies = dependencies();
    assert!(dependencies.len() > 8, "{dependencies:?}");
    assert!(dependencies["site"].contains("model"), "{dependencies:?}");
    let found = circles(&dependencies);
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}
