//! A failed build leaves the previous output exactly as it was, byte for byte; a good one
//! replaces it whole. A build is a pure function of its inputs: the same inputs give the same
//! bytes. A build that is killed, or that runs beside another, leaves no copy of the output
//! behind once the next build has run, and nothing it writes is picked up by `git add`.

mod common;

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// A site with `extra` more partners than the small fixture, so that writing its output takes
/// long enough to be interrupted.
fn large_site(extra: usize) -> TestSite {
    let site = TestSite::small();
    let ana = site.read("content/partners/ana-lopez.yaml");
    for n in 0..extra {
        site.write(
            &format!("content/partners/extra-{n:04}.yaml"),
            &ana.replace("visibility: public", "visibility: anonymous"),
        );
    }
    site
}

fn advocate(site: &TestSite, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_advocate"));
    command
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1");
    command
}

/// Asserts that `site`'s output is what `build` makes of a new `large_site(extra)`.
fn assert_same_as_a_fresh_build(site: &TestSite, extra: usize, build: &[&str]) {
    let fresh = large_site(extra);
    assert!(advocate(&fresh, build).output().unwrap().status.success());
    assert!(snapshot_tree(&site.out()) == snapshot_tree(&fresh.out()));
}

/// The names beside the output folder that a build writes, other than `output` itself.
fn staging_folders(site: &TestSite) -> Vec<String> {
    fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output.staging"))
        .collect()
}

#[test]
fn a_build_killed_while_writing_leaves_no_private_copy_once_the_next_build_runs() {
    let site = large_site(300);
    let build = ["build", "--no-workbooks"];
    assert!(advocate(&site, &build).output().unwrap().status.success());
    // Kill builds until one dies with its staging folder on disk, that is, while writing.
    let mut caught = false;
    for _ in 0..20 {
        let mut child = advocate(&site, &build)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if !staging_folders(&site).is_empty() || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::yield_now();
        }
        let _ = child.kill();
        child.wait().unwrap();
        if !staging_folders(&site).is_empty() {
            caught = true;
            break;
        }
    }
    assert!(caught, "no build was caught while writing");

    let output = advocate(&site, &build).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("removed ") && stdout.contains(".output.staging"),
        "the build says what it removed: {stdout}"
    );
    assert_eq!(staging_folders(&site), Vec::<String>::new());
    assert_same_as_a_fresh_build(&site, 300, &build);
}

#[test]
fn concurrent_builds_of_one_site_all_succeed_one_after_another() {
    let site = large_site(40);
    let build = ["build", "--no-workbooks"];
    for _round in 0..3 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                advocate(&site, &build)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    assert_eq!(staging_folders(&site), Vec::<String>::new());
    assert_same_as_a_fresh_build(&site, 40, &build);
}

/// Everything advocate writes in a new site's folder is covered by the `.gitignore` that
/// `advocate init` writes: `git add .` commits no private page.
#[test]
fn git_ignores_everything_a_build_writes_beside_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_advocate"))
        .args(["init", "mine"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(init.status.success());
    let root = dir.path().join("mine");
    for _ in 0..2 {
        let built = Command::new(env!("CARGO_BIN_EXE_advocate"))
            .args(["build", "--no-workbooks"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(built.status.success());
    }
    // What a build stopped halfway leaves, now and in earlier versions.
    for leftover in [".output.staging/private", ".output.staging-4242/private"] {
        fs::create_dir_all(root.join(leftover)).unwrap();
        fs::write(root.join(leftover).join("index.html"), "private").unwrap();
    }
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(&root)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    git(&["init", "-q"]);
    let added = git(&["add", "--dry-run", "--all"]);
    let written: Vec<&str> = added
        .lines()
        .filter(|line| line.contains("output"))
        .collect();
    assert!(written.is_empty(), "{written:#?}");
    assert!(root.join(".output.lock").is_file());
    assert!(root.join(".output.previous").is_dir());
}

/// A build into an output folder someone made read-only (files and folders) still works, and
/// leaves no copy of the output behind. Run as root, the builds run as `nobody`, since
/// permissions do not stop root.
#[cfg(unix)]
#[test]
fn builds_into_a_read_only_output_leave_no_copy_behind() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let site = TestSite::small();
    let as_root = fs::metadata(site.dir.path()).unwrap().uid() == 0;
    if as_root {
        let chown = Command::new("chown")
            .args(["-R", "nobody"])
            .arg(site.dir.path())
            .status()
            .unwrap();
        assert!(chown.success());
    }
    let run = || {
        let mut command = if as_root {
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_advocate"));
            command
        } else {
            Command::new(env!("CARGO_BIN_EXE_advocate"))
        };
        let output = command
            .args(["build", "--no-workbooks"])
            .current_dir(site.root())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run();
    for round in 0..3 {
        for entry in walkdir::WalkDir::new(site.out()) {
            let entry = entry.unwrap();
            let mode = if entry.file_type().is_dir() {
                0o555
            } else {
                0o444
            };
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode)).unwrap();
        }
        run();
        assert_eq!(
            staging_folders(&site),
            Vec::<String>::new(),
            "round {round}"
        );
        assert!(site.out().join("site/index.html").is_file());
    }
}
