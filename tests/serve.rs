//! `advocate serve`, run as a user runs it, on a free port: pages served, traversal refused, a
//! bad save shows the error in place of the page, a fix brings the page back with the new
//! content, and the reload signal goes out once per successful rebuild; the public preview,
//! template edits and renamed files; and `build --watch`, which a second build may not write
//! beside.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::TestSite;

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &TestSite, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_advocate"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .expect("a line");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().expect("an address").to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Server { child, address }
}

fn get(server: &Server, path: &str) -> (u16, String) {
    request(server, path, "")
}

/// What a browser sends when it opens an address in a tab.
const BROWSER: &str = "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n";

fn request(server: &Server, path: &str, headers: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let response = String::from_utf8_lossy(&bytes).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Subscribes to the reload events; each `data:` line arrives on the channel.
fn events(server: &Server) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    write!(
        stream,
        "GET /__advocate/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(event) = line.strip_prefix("data: ")
                && sender.send(event.to_owned()).is_err()
            {
                break;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    receiver
}

fn next_event(events: &mpsc::Receiver<String>) -> String {
    events
        .recv_timeout(Duration::from_secs(30))
        .expect("an event within 30 s")
}

#[test]
fn serves_refuses_traversal_shows_errors_and_reloads_once_per_good_rebuild() {
    let site = TestSite::small();
    let server = start(&site, &[]);

    let (status, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Dashboard</h1>"), "{body}");
    assert!(
        body.contains("/__advocate/events"),
        "the preview reloads itself"
    );
    let (status, body) = get(&server, "/guide.pdf");
    assert_eq!(status, 200);
    assert!(
        body.starts_with("%PDF-"),
        "a PDF asked for as such is the PDF"
    );
    let (status, body) = request(&server, "/workbooks/ben-ng/all-stages.pdf", BROWSER);
    assert_eq!(status, 200);
    assert!(
        body.contains("<iframe src=\"all-stages.pdf?raw\"") && body.contains("/__advocate/events"),
        "a PDF opened in a tab comes in a page that reloads: {body}"
    );
    let (_, body) = request(&server, "/workbooks/ben-ng/all-stages.pdf?raw", BROWSER);
    assert!(body.starts_with("%PDF-"), "the page's frame gets the PDF");
    for bad in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/guide/..%2f..%2fsite.yaml",
        "/%2E%2E%2Fsite.yaml",
    ] {
        let (status, body) = get(&server, bad);
        assert_eq!(status, 403, "{bad}");
        assert!(!body.contains("as_of"), "{bad} leaked site.yaml");
    }
    assert_eq!(get(&server, "/nowhere.html").0, 404);
    assert_eq!(get(&server, "/static/style.css").0, 200);
    assert_eq!(
        get(&server, "/guide").0,
        301,
        "a folder redirects to its index"
    );
    assert_eq!(get(&server, "/guide/").0, 200);

    let events = events(&server);
    let ben = site.read("content/partners/ben-ng.yaml");
    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replace("kind: colleague", "kind: colleage"),
    );
    assert_eq!(next_event(&events), "error");
    let (status, body) = get(&server, "/partners/ben-ng.html");
    assert_eq!(status, 500);
    assert!(body.contains("content/partners/ben-ng.yaml:4:7"), "{body}");
    assert!(body.contains("did you mean `colleague`?"), "{body}");
    assert!(body.contains("^^^^^^^^"), "the caret is shown: {body}");

    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replace("Ng Plumbing", "Ng Plumbing and Heating"),
    );
    assert_eq!(next_event(&events), "reload");
    let (status, body) = get(&server, "/partners/ben-ng.html");
    assert_eq!(status, 200);
    assert!(body.contains("Ng Plumbing and Heating"), "{body}");

    std::fs::remove_file(site.root().join("content/partners/dev-patel.yaml")).unwrap();
    assert_eq!(next_event(&events), "reload");
    assert_eq!(get(&server, "/partners/dev-patel.html").0, 404);

    let unchanged = site.read("content/partners/ana-lopez.yaml");
    site.write("content/partners/ana-lopez.yaml", &unchanged);
    site.write("content/partners/.ben-ng.yaml.swp", "editor litter");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        events.try_recv().ok(),
        None,
        "no reload for a save that changes nothing or for an editor's swap file"
    );
}

/// Asserts that no event arrives for a while: one reload per rebuild, no more.
fn assert_quiet(events: &mpsc::Receiver<String>, after: &str) {
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(events.try_recv().ok(), None, "an extra event after {after}");
}

#[test]
fn the_public_preview_follows_template_edits_and_renamed_files() {
    let site = TestSite::small();
    let server = start(&site, &["--public"]);
    let (status, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("Ana López"),
        "a public partner is named: {body}"
    );
    for private in ["olga@example.org", "Cara Doyle", "Ben Ng", "Busy season"] {
        assert!(!body.contains(private), "{private} is private: {body}");
    }
    assert_eq!(
        get(&server, "/partners/ben-ng.html").0,
        404,
        "no private pages"
    );
    assert_eq!(get(&server, "/partners/partner-1.html").0, 200);

    let events = events(&server);
    let template = "themes/default/templates/public_partner.html";
    let text = site.read(template);
    site.write(
        template,
        &text.replacen(
            "{% block content %}",
            "{% block content %}<p>Edited template</p>",
            1,
        ),
    );
    assert_eq!(next_event(&events), "reload");
    assert_quiet(&events, "a template edit");
    assert!(
        get(&server, "/partners/ana-lopez.html")
            .1
            .contains("Edited template")
    );
    assert!(
        !get(&server, "/").1.contains("Edited template"),
        "the dashboard does not use that template"
    );

    // Ben names Ana as his introducer, so renaming her file breaks him until he is fixed.
    let partners = site.root().join("content/partners");
    std::fs::rename(
        partners.join("ana-lopez.yaml"),
        partners.join("ana-garcia.yaml"),
    )
    .unwrap();
    assert_eq!(next_event(&events), "error");
    let (status, body) = get(&server, "/partners/partner-1.html");
    assert_eq!(status, 500);
    assert!(
        body.contains("error in one of the partner files, line 5, column 16"),
        "{body}"
    );
    for private in ["ben-ng", "ana-lopez", "ana-garcia"] {
        assert!(
            !body.contains(private),
            "the public preview names no partner file or id: {body}"
        );
    }

    let ben = site.read("content/partners/ben-ng.yaml");
    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replace("introduced_by: ana-lopez", "introduced_by: ana-garcia"),
    );
    assert_eq!(next_event(&events), "reload");
    assert_quiet(&events, "the fix");
    assert_eq!(get(&server, "/partners/ana-lopez.html").0, 404);
    let (status, body) = get(&server, "/partners/ana-garcia.html");
    assert_eq!(status, 200);
    assert!(body.contains("Edited template"), "{body}");

    // Editors save by writing a new file and renaming it over the old one; every such save of
    // site.yaml is seen, not just the first.
    let mut title = "Test site".to_owned();
    for next in ["Olga Owner and partners", "Olga Owner and advocates"] {
        let text = site.read("site.yaml");
        site.write("site.yaml.tmp", &text.replace(&title, next));
        std::fs::rename(
            site.root().join("site.yaml.tmp"),
            site.root().join("site.yaml"),
        )
        .unwrap();
        assert_eq!(next_event(&events), "reload");
        let (_, body) = get(&server, "/");
        assert!(body.contains(next), "{body}");
        title = next.to_owned();
    }
}

#[test]
fn a_preview_started_on_a_broken_site_shows_the_error_until_it_is_fixed() {
    let site = TestSite::small();
    let ben = site.read("content/partners/ben-ng.yaml");
    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replace("kind: colleague", "kind: colleage"),
    );
    let server = start(&site, &["--no-workbooks"]);
    let (status, body) = get(&server, "/");
    assert_eq!(status, 500);
    assert!(body.contains("content/partners/ben-ng.yaml:4:7"), "{body}");
    let events = events(&server);
    site.write("content/partners/ben-ng.yaml", &ben);
    assert_eq!(next_event(&events), "reload");
    let (status, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Dashboard</h1>"), "{body}");
    assert_eq!(
        get(&server, "/guide.pdf").0,
        404,
        "no PDFs without workbooks"
    );
}

#[test]
fn build_watch_rebuilds_the_output_after_a_save_and_keeps_it_after_a_bad_one() {
    let site = TestSite::small();
    let mut child = Command::new(env!("CARGO_BIN_EXE_advocate"))
        .args(["build", "--watch"])
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    while let Some(Ok(line)) = lines.next() {
        if line.starts_with("watching") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let page = site.out().join("private/partners/ben-ng.html");
    let wait_for = |expected: &str| {
        for _ in 0..300 {
            if std::fs::read_to_string(&page).is_ok_and(|t| t.contains(expected)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    let untouched = [
        "private/partners/cara-doyle.html",
        "private/workbooks/cara-doyle/all-stages.pdf",
        "site/guide.pdf",
    ]
    .map(|file| site.out().join(file));
    let modified = |path: &std::path::Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let before = untouched.clone().map(|path| modified(&path));
    let ben = site.read("content/partners/ben-ng.yaml");
    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replace("Ng Plumbing", "Ng Plumbing and Heating"),
    );
    let rebuilt = wait_for("Ng Plumbing and Heating");
    let after = untouched.clone().map(|path| modified(&path));
    site.write(
        "content/partners/ben-ng.yaml",
        &ben.replace("kind: colleague", "kind: colleage"),
    );
    std::thread::sleep(Duration::from_millis(2000));
    let kept = std::fs::read_to_string(&page)
        .unwrap_or_default()
        .contains("Ng Plumbing and Heating");
    let second = Command::new(env!("CARGO_BIN_EXE_advocate"))
        .args(["build", "--no-workbooks"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let _ = child.kill();
    let _ = child.wait();
    assert!(rebuilt, "the output was rebuilt after the save");
    assert!(before.iter().all(Option::is_some), "{untouched:?} exist");
    assert_eq!(
        before, after,
        "files the save does not affect are not rewritten"
    );
    assert!(kept, "a bad save leaves the previous output");
    let refusal = String::from_utf8_lossy(&second.stderr);
    assert!(
        !second.status.success(),
        "a build beside a watch is refused"
    );
    assert!(
        refusal.contains("`advocate build --watch` (process")
            && refusal.contains("is keeping this folder up to date"),
        "{refusal}"
    );
    assert!(
        std::fs::read_to_string(&page)
            .unwrap_or_default()
            .contains("Ng Plumbing and Heating"),
        "the refused build wrote nothing"
    );
}

/// Sends `raw` as it is and reads until the server closes the connection or `wait` passes;
/// returns what came back and whether the server closed it.
fn raw_exchange(server: &Server, raw: &str, wait: Duration) -> (String, bool) {
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    stream.write_all(raw.as_bytes()).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut bytes = Vec::new();
    let closed = stream.read_to_end(&mut bytes).is_ok();
    (String::from_utf8_lossy(&bytes).into_owned(), closed)
}

#[test]
fn the_preview_answers_only_to_this_computer_and_redirects_only_to_itself() {
    let site = TestSite::small();
    let server = start(&site, &["--no-workbooks"]);
    let port = server.address.rsplit(':').next().unwrap().to_owned();
    for (host, answered) in [
        ("attacker.example".to_owned(), false),
        (format!("attacker.example:{port}"), false),
        (format!("localhost.attacker.example:{port}"), false),
        (format!("localhost:{port}"), true),
        (format!("127.0.0.1:{port}"), true),
        (format!("LocalHost:{port}"), true),
    ] {
        let (response, _) = raw_exchange(
            &server,
            &format!(
                "GET /partners/ben-ng.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ),
            Duration::from_secs(10),
        );
        let status = if answered { "200" } else { "403" };
        assert!(
            response.starts_with(&format!("HTTP/1.1 {status}")),
            "{host}: {response}"
        );
        assert_eq!(
            response.contains("Ng Plumbing"),
            answered,
            "{host}: {response}"
        );
    }
    let (response, _) = raw_exchange(
        &server,
        "GET /partners/ben-ng.html HTTP/1.0\r\n\r\n",
        Duration::from_secs(10),
    );
    assert!(response.contains(" 403 "), "no Host, no page: {response}");
    for raw in [
        "GET http://attacker.example/partners/ben-ng.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /partners/ben-ng.html HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
        "GET /partners/ben-ng.html HTTP/1.1\r\nHost: localhost:1@attacker.example\r\nConnection: close\r\n\r\n",
    ] {
        let (response, _) = raw_exchange(&server, raw, Duration::from_secs(10));
        assert!(
            response.starts_with("HTTP/1.1 403") || response.starts_with("HTTP/1.1 400"),
            "{raw:?}: {response}"
        );
        assert!(!response.contains("Ng Plumbing"), "{raw:?}");
    }

    // The reload stream is for the preview's own pages.
    for (origin, status) in [
        ("http://attacker.example".to_owned(), "403"),
        (format!("http://127.0.0.1:{port}"), "200"),
    ] {
        let (response, _) = raw_exchange(
            &server,
            &format!(
                "GET /__advocate/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n\r\n"
            ),
            Duration::from_secs(2),
        );
        assert!(
            response.starts_with(&format!("HTTP/1.1 {status}")),
            "{origin}: {response}"
        );
    }

    // A folder redirects to a path on this host, however many slashes were asked for.
    for asked in ["/guide", "//guide", "///guide"] {
        let (response, _) = raw_exchange(
            &server,
            &format!("GET {asked} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
            Duration::from_secs(10),
        );
        assert!(response.starts_with("HTTP/1.1 301"), "{asked}: {response}");
        assert!(
            response.contains("\r\nlocation: /guide/\r\n"),
            "{asked}: {response}"
        );
    }
}

#[test]
fn connections_that_trickle_their_headers_or_sit_idle_are_closed() {
    let site = TestSite::small();
    let server = start(&site, &["--no-workbooks"]);
    let started = std::time::Instant::now();
    let mut stream = TcpStream::connect(&server.address).expect("connects");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let mut closed = false;
    for n in 0..30 {
        std::thread::sleep(Duration::from_millis(500));
        if stream
            .write_all(format!("X-Slow-{n}: a\r\n").as_bytes())
            .is_err()
        {
            closed = true;
            break;
        }
        stream
            .set_read_timeout(Some(Duration::from_millis(1)))
            .unwrap();
        let mut byte = [0u8; 512];
        if matches!(stream.read(&mut byte), Ok(0)) {
            closed = true;
            break;
        }
    }
    assert!(closed, "a trickling connection is closed");
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );

    // A kept-alive connection that asks for nothing more is closed too.
    let started = std::time::Instant::now();
    let (response, closed) = raw_exchange(
        &server,
        "GET /guide/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
        Duration::from_secs(20),
    );
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(closed, "an idle connection is closed");
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_public_preview_s_error_page_shows_nothing_private() {
    let site = TestSite::small();
    // Ana becomes private and quiet for months, so the build warns about her by name.
    let ana = site.read("content/partners/ana-lopez.yaml");
    site.write(
        "content/partners/ana-lopez.yaml",
        &ana.replace("visibility: public", "visibility: private")
            .replace("2026-05-20", "2026-02-20")
            .replace("2026-05-28", "2026-02-28"),
    );
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &config.replace("as_of: 2026-06-01", "as_of: 2026-06-10"),
    );
    let server = start(&site, &["--public", "--no-workbooks"]);
    assert_eq!(get(&server, "/").0, 200);
    let events = events(&server);
    let cara = site.read("content/partners/cara-doyle.yaml");
    site.write(
        "content/partners/cara-doyle.yaml",
        &cara.replace("status: dealbreaker", "stattus: dealbreaker"),
    );
    assert_eq!(next_event(&events), "error");
    let (status, body) = get(&server, "/");
    assert_eq!(status, 500);
    assert!(
        body.contains("error in one of the partner files, line 9, column 36"),
        "the page gives the line and column: {body}"
    );
    for private in [
        "cara-doyle",
        "stattus",
        "Conflicts of interest",
        "did you mean",
        "Ana López",
        "no contact with",
        "warning:",
    ] {
        assert!(!body.contains(private), "{private} shown: {body}");
    }
}
