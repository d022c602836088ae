//! Live preview: `advocate serve` and `advocate build --watch`.
//!
//! The server answers from memory: the files of the last good build, replaced whole when a
//! rebuild succeeds, so a request during a rebuild gets the old complete file or the new one,
//! never half of one. It binds to loopback unless told otherwise, answers only paths inside the
//! output (no `..`, encoded or not), lists no folders, and has a 404 page. A watcher (notify,
//! debounced by 20 ms) passes every save to `site.yaml`, `content/` or `themes/`, editors'
//! temporary files aside, to a [`Project`], which re-reads what the save touched and re-renders
//! only what depends on it. Open tabs reload after a successful rebuild, and show the error, with its
//! file, line and caret, in place of the page after a failed one. A PDF opened in a tab comes
//! inside a small page that reloads with the rest, so a workbook updates as the notes do.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, Uri, header};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::broadcast;

use crate::build::{self, Options, Project};
use crate::output;
use crate::site::{PRIVATE_DIR, PUBLIC_DIR};
use crate::source::Diagnostics;

/// The path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__advocate/events";

/// One site's files, keyed by their path inside it.
type SiteFiles = HashMap<String, Arc<[u8]>>;

/// What the server holds: the last good build's files, and the last build's error if it failed.
#[derive(Default)]
struct Served {
    files: SiteFiles,
    error: Option<String>,
}

#[derive(Clone)]
struct Shared {
    served: Arc<RwLock<Arc<Served>>>,
    events: broadcast::Sender<&'static str>,
}

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub address: SocketAddr,
    /// Serve the public site instead of the private one.
    pub public: bool,
    pub build: Options,
}

fn report(problems: &Diagnostics, root: &Path) -> String {
    problems
        .iter()
        .map(|p| p.clone().under(root).render(false))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Prints each warning once, when it first appears, rather than after every save.
#[derive(Default)]
struct WarningPrinter {
    shown: HashSet<String>,
}

impl WarningPrinter {
    fn print(&mut self, warnings: &Diagnostics, root: &Path) {
        let mut now = HashSet::new();
        for warning in warnings.iter() {
            let text = warning.clone().under(root).render(false);
            if !self.shown.contains(&text) {
                eprintln!("{text}\n");
            }
            now.insert(text);
        }
        self.shown = now;
    }
}

/// A build of `project` in the preview: the files of the served site are swapped in whole and
/// `reload` is sent after a success that changed something or cleared an error; after a
/// failure the error is kept for the pages to show and `error` is sent.
struct Preview {
    root: PathBuf,
    project: Project,
    /// `site/` or `private/`: the part of the output that is served.
    prefix: &'static str,
    shared: Shared,
    warnings: WarningPrinter,
}

impl Preview {
    fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        self.project.refresh(changed);
        match self.project.build() {
            Ok(update) => {
                self.warnings.print(&update.warnings, &self.root);
                let inside = |path: &Path| {
                    path.strip_prefix(self.prefix)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                };
                let mut served = self
                    .shared
                    .served
                    .write()
                    .unwrap_or_else(|e| e.into_inner());
                let unchanged = update.written.is_empty() && update.removed.is_empty();
                if unchanged && served.error.is_none() && !changed.is_empty() {
                    println!("no change to the site");
                    return;
                }
                let mut files = served.files.clone();
                for path in &update.removed {
                    if let Some(path) = inside(path) {
                        files.remove(&path);
                    }
                }
                let all = self.project.files();
                for path in &update.written {
                    if let (Some(inside), Some(bytes)) = (inside(path), all.get(path)) {
                        files.insert(inside, bytes.clone());
                    }
                }
                *served = Arc::new(Served { files, error: None });
                drop(served);
                let _ = self.shared.events.send("reload");
                println!(
                    "{} in {} ms: {} parts rendered, {} files changed, {} removed",
                    if changed.is_empty() {
                        "built"
                    } else {
                        "rebuilt"
                    },
                    started.elapsed().as_millis(),
                    update.rendered,
                    update.written.len(),
                    update.removed.len()
                );
            }
            Err(problems) => {
                let text = report(&problems, &self.root);
                eprintln!("{text}\n");
                let mut served = self
                    .shared
                    .served
                    .write()
                    .unwrap_or_else(|e| e.into_inner());
                let files = served.files.clone();
                *served = Arc::new(Served {
                    files,
                    error: Some(text),
                });
                drop(served);
                let _ = self.shared.events.send("error");
            }
        }
    }
}

/// What a preview watches, relative to the site folder: reported as changed all together, they
/// make a project read everything again and rebuild what really changed.
pub const EVERY_INPUT: [&str; 3] = ["site.yaml", "content", "themes"];

/// Whether a changed path should trigger a rebuild: inputs only, not output or editor litter.
pub fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let editor_litter = name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('.') && name != ".gitignore");
    if editor_litter {
        return false;
    }
    relative == Path::new("site.yaml")
        || relative.starts_with("content")
        || relative.starts_with("themes")
}

/// Creating, writing, renaming and deleting change what a build reads; opening and reading (our
/// own builds do plenty) do not.
fn changes_content(kind: &EventKind) -> bool {
    use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Modify(_) => true,
        _ => false,
    }
}

/// Watches the inputs of `root`, calls `ready` once the watches are in place, then
/// `on_change` after each burst of changes with the changed inputs, relative to `root`.
fn watch(
    root: &Path,
    ready: impl FnOnce(),
    mut on_change: impl FnMut(&[PathBuf]),
) -> Result<(), String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let whole_site = root.clone();
    let (sender, receiver) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(
        Duration::from_millis(20),
        None,
        move |result: DebounceEventResult| {
            // When the system dropped events (too many at once) or the watcher failed, the
            // changed files are unknown: the site folder itself stands for all of them.
            let paths: Vec<PathBuf> = match result {
                Ok(events) if !events.iter().any(|e| e.event.need_rescan()) => events
                    .into_iter()
                    .filter(|e| changes_content(&e.event.kind))
                    .flat_map(|e| e.event.paths)
                    .collect(),
                _ => vec![whole_site.clone()],
            };
            if !paths.is_empty() {
                let _ = sender.send(paths);
            }
        },
    )
    .map_err(|e| e.to_string())?;
    // The site folder itself, not recursively, for `site.yaml`: editors save by writing a new
    // file and renaming it over the old one, which a watch on the file alone would not survive.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let folders = [root.join("content"), root.join("themes")];
    for folder in folders.iter().filter(|f| f.is_dir()) {
        debouncer
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
    }
    ready();
    while let Ok(mut paths) = receiver.recv() {
        while let Ok(more) = receiver.try_recv() {
            paths.extend(more);
        }
        // A folder created, or replaced by a rename, needs watching anew.
        for folder in folders.iter().filter(|f| paths.contains(f) && f.is_dir()) {
            let _ = debouncer.watch(folder, RecursiveMode::Recursive);
        }
        let mut changed: Vec<PathBuf> = if paths.contains(&root) {
            EVERY_INPUT.iter().map(PathBuf::from).collect()
        } else {
            paths
                .iter()
                .filter(|p| is_input(&root, p))
                .filter_map(|p| p.strip_prefix(&root).ok().map(Path::to_path_buf))
                .collect()
        };
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            on_change(&changed);
        }
    }
    Ok(())
}

/// `advocate build --watch`: builds `out`, then after every change rewrites the files the change
/// affects (each one whole, through a temporary file), until interrupted. A bad save writes
/// nothing.
pub fn build_and_watch(root: &Path, out: &Path, options: Options) -> Result<(), String> {
    output::check_out_dir(root, out).map_err(|p| p.under(root).render(false))?;
    let mut project = Project::open(root, options);
    let mut warnings = WarningPrinter::default();
    let mut written_once = false;
    let mut run = |changed: &[PathBuf]| {
        let started = Instant::now();
        project.refresh(changed);
        let update = match project.build() {
            Ok(update) => update,
            Err(problems) => {
                eprintln!(
                    "{}\n\nthe previous output was left as it was",
                    report(&problems, root)
                );
                return;
            }
        };
        warnings.print(&update.warnings, root);
        let written = if written_once {
            output::write_changes(out, project.files(), &update.written, &update.removed)
        } else {
            output::write_atomically(out, &build::output_files(project.files()))
        };
        match written {
            Ok(()) => {
                written_once = true;
                println!(
                    "built into {} in {} ms: {} files changed, {} removed",
                    out.display(),
                    started.elapsed().as_millis(),
                    update.written.len(),
                    update.removed.len()
                );
            }
            Err(problem) => {
                // What is on disk is now not what the project holds: write it all next time.
                written_once = false;
                eprintln!("{}", problem.under(root).render(false));
            }
        }
    };
    run(&[]);
    let ready = || println!("watching {} for changes (Ctrl-C to stop)", root.display());
    watch(root, ready, run)
}

/// `advocate serve`: builds, serves, watches. `on_ready` gets the address actually bound.
pub fn serve(
    root: &Path,
    options: ServeOptions,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    let (events, _) = broadcast::channel(64);
    let shared = Shared {
        served: Arc::new(RwLock::new(Arc::new(Served::default()))),
        events,
    };
    let mut preview = Preview {
        root: root.to_path_buf(),
        project: Project::open(root, options.build),
        prefix: if options.public {
            PUBLIC_DIR
        } else {
            PRIVATE_DIR
        },
        shared: shared.clone(),
        warnings: WarningPrinter::default(),
    };
    preview.rebuild(&[]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(options.address))
        .map_err(|e| {
            format!(
                "cannot listen on {}: {e}; if another preview is running there, stop it or choose another port with `--port N`",
                options.address
            )
        })?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let app = Router::new()
        .route(EVENTS_PATH, axum::routing::get(events_stream))
        .fallback(axum::routing::get(file))
        .with_state(shared);
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    watch(
        root,
        || on_ready(address),
        |changed| preview.rebuild(changed),
    )
}

/// The live-reload stream: one `data:` line per rebuild, `reload` or `error`.
async fn events_stream(State(shared): State<Shared>) -> Response<Body> {
    let receiver = shared.events.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => {
                    return Some((
                        Ok::<_, std::convert::Infallible>(format!("data: {event}\n\n")),
                        receiver,
                    ));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    uncached(Body::from_stream(stream), "text/event-stream")
}

/// A response of `content_type` that browsers keep no copy of: the preview changes with every
/// save.
fn uncached(body: Body, content_type: &'static str) -> Response<Body> {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Percent-decodes a URL path; `None` if it is not valid UTF-8 or encodes a NUL.
fn decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains('\0')).then_some(text)
}

/// The file a request path names inside the site, or `None` when it tries to leave it.
pub fn resolve(path: &str) -> Option<String> {
    let decoded = decode(path)?;
    if decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part => parts.push(part),
        }
    }
    let mut file = parts.join("/");
    if file.is_empty() || decoded.ends_with('/') {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(file)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

const RELOAD_SCRIPT: &str =
    "<script>new EventSource(\"/__advocate/events\").onmessage = () => location.reload();</script>";

fn page(status: StatusCode, title: &str, body: &str) -> Response<Body> {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}\
         pre{{background:#fff1f0;border-left:4px solid #8a1c12;padding:1rem;overflow:auto}}</style></head>\
         <body><main><h1>{title}</h1>{body}</main>{RELOAD_SCRIPT}</body></html>"
    );
    let mut response = uncached(Body::from(html), "text/html; charset=utf-8");
    *response.status_mut() = status;
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Whether a request for a PDF comes from a browser opening it in a tab, which then gets
/// [`pdf_viewer`] so that the workbook reloads after a save like any page.
fn opens_in_a_tab(path: &str, uri: &Uri, headers: &HeaderMap) -> bool {
    path.ends_with(".pdf")
        && uri.query() != Some(RAW_QUERY)
        && headers
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

/// The query that asks for a PDF itself rather than the page that shows it.
const RAW_QUERY: &str = "raw";

/// A page that shows the PDF `path` and reloads with the site.
fn pdf_viewer(path: &str) -> Response<Body> {
    let name = escape(path.rsplit('/').next().unwrap_or(path)).replace('"', "&quot;");
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{name}</title>\
         <style>html,body{{margin:0;height:100%}}iframe{{display:block;width:100%;height:100%;border:0}}</style>\
         </head><body><iframe src=\"{name}?{RAW_QUERY}\" title=\"{name}\"></iframe>{RELOAD_SCRIPT}</body></html>"
    );
    uncached(Body::from(html), "text/html; charset=utf-8")
}

async fn file(State(shared): State<Shared>, headers: HeaderMap, uri: Uri) -> Response<Body> {
    let Some(path) = resolve(uri.path()) else {
        return page(
            StatusCode::FORBIDDEN,
            "Not allowed",
            "<p>That address points outside the site.</p>",
        );
    };
    let served = shared
        .served
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let in_a_tab = opens_in_a_tab(&path, &uri, &headers);
    let is_page = path.ends_with(".html") || in_a_tab;
    if let (Some(error), true) = (&served.error, is_page) {
        let body = format!(
            "<p>The site could not be rebuilt after your last save. Fix what is shown below \
             and save again: this page then comes back by itself.</p><pre>{}</pre>",
            escape(error)
        );
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "A file needs fixing",
            &body,
        );
    }
    let Some(bytes) = served.files.get(&path) else {
        if served.files.contains_key(&format!("{path}/index.html")) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(location) = HeaderValue::from_str(&format!("{}/", uri.path())) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return response;
        }
        return page(
            StatusCode::NOT_FOUND,
            "Not found",
            "<p>There is no such page. <a href=\"/\">Back to the start</a>.</p>",
        );
    };
    if in_a_tab {
        return pdf_viewer(&path);
    }
    let body = if is_page {
        let html = String::from_utf8_lossy(bytes);
        Body::from(html.replacen("</body>", &format!("{RELOAD_SCRIPT}</body>"), 1))
    } else {
        Body::from(bytes.to_vec())
    };
    uncached(body, content_type(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(resolve("/guide/").as_deref(), Some("guide/index.html"));
        assert_eq!(
            resolve("/partners/zo%C3%AB.html").as_deref(),
            Some("partners/zoë.html")
        );
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/guide/..%2f..%2fsite.yaml",
            "/a%5c..%5cb",
            "/x%00.html",
            "/%2E%2E/x",
        ] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn editor_litter_and_output_do_not_trigger_rebuilds() {
        let root = Path::new("/s");
        assert!(is_input(root, Path::new("/s/site.yaml")));
        assert!(is_input(root, Path::new("/s/content/partners/a.yaml")));
        assert!(is_input(
            root,
            Path::new("/s/themes/default/templates/base.html")
        ));
        for litter in [
            "/s/content/partners/.a.yaml.swp",
            "/s/content/partners/a.yaml~",
            "/s/content/.#a.yaml",
            "/s/content/4913",
            "/s/output/site/index.html",
            "/t/site.yaml",
        ] {
            assert!(!is_input(root, Path::new(litter)), "{litter}");
        }
    }
}
