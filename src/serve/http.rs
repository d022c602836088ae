//! The preview's HTTP side. It answers from memory: the files of the last good build, replaced
//! whole when a rebuild succeeds, so a request during a rebuild gets the old complete file or
//! the new one, never half of one. It answers only paths inside the site (no `..`, encoded or
//! not), lists no folders, has a 404 page, and lets browsers cache nothing. Pages get a script
//! that reloads them when the server says `reload`; after a failed build every page shows the
//! error instead. A PDF opened in a tab comes inside a small page that reloads with the rest,
//! so a workbook updates as the notes do.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, Uri, header};
use tokio::sync::broadcast;

/// The path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__advocate/events";

/// One site's files, keyed by their path inside it.
pub(super) type SiteFiles = HashMap<String, Arc<[u8]>>;

/// What the server holds: the last good build's files, and the last build's error if it failed.
#[derive(Default)]
struct Served {
    files: SiteFiles,
    error: Option<String>,
}

/// What the server and the watcher share: the files served, and the channel that tells open
/// tabs what happened.
#[derive(Clone)]
pub(super) struct Shared {
    served: Arc<RwLock<Arc<Served>>>,
    events: broadcast::Sender<&'static str>,
}

impl Shared {
    pub(super) fn new() -> Shared {
        let (events, _) = broadcast::channel(64);
        Shared {
            served: Arc::new(RwLock::new(Arc::new(Served::default()))),
            events,
        }
    }

    /// Whether pages show a build's error now.
    pub(super) fn shows_error(&self) -> bool {
        self.served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .error
            .is_some()
    }

    /// Serves the files `change` makes of the current ones, all at once, and tells open tabs
    /// to reload.
    pub(super) fn publish(&self, change: impl FnOnce(&mut SiteFiles)) {
        let mut served = self.served.write().unwrap_or_else(|e| e.into_inner());
        let mut files = served.files.clone();
        change(&mut files);
        *served = Arc::new(Served { files, error: None });
        drop(served);
        let _ = self.events.send("reload");
    }

    /// Shows `error` in place of every page until the next [`Shared::publish`], and tells open
    /// tabs.
    pub(super) fn fail(&self, error: String) {
        let mut served = self.served.write().unwrap_or_else(|e| e.into_inner());
        let files = served.files.clone();
        *served = Arc::new(Served {
            files,
            error: Some(error),
        });
        drop(served);
        let _ = self.events.send("error");
    }
}

/// The routes: the live-reload stream and the site's files.
pub(super) fn router(shared: Shared) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events_stream))
        .fallback(axum::routing::get(file))
        .with_state(shared)
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
}
