//! The preview's HTTP side. It answers from memory: the files of the last good build, replaced
//! whole when a rebuild succeeds, so a request during a rebuild gets the old complete file or
//! the new one, never half of one. It answers only paths inside the site (no `..`, encoded or
//! not), lists no folders, redirects only to paths on the same host, has a 404 page, and lets
//! browsers cache nothing. Pages get a script that reloads them when the server says `reload`;
//! after a failed build every page shows the error instead. A PDF opened in a tab comes inside
//! a small page that reloads with the rest, so a workbook updates as the notes do.
//!
//! It answers only to this computer's names, as Vite and webpack-dev-server do: a request whose
//! `Host` is not `localhost` (or a name under it) or an IP address is refused. Without that, a
//! web page the owner visits could point its own host name at 127.0.0.1 (DNS rebinding) and
//! read the private site. The reload stream also refuses a page of another origin. Connections
//! that send their headers too slowly, or sit idle between requests, are closed.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, Uri, header};
use axum::middleware::Next;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tower::ServiceExt;

/// The path of the live-reload event stream.
pub(crate) const EVENTS_PATH: &str = "/__advocate/events";

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
    /// Whether the public site is served, whose error page says what it leaves out.
    public: bool,
}

impl Shared {
    pub(super) fn new(public: bool) -> Shared {
        let (events, _) = broadcast::channel(64);
        Shared {
            served: Arc::new(RwLock::new(Arc::new(Served::default()))),
            events,
            public,
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

/// The routes: the live-reload stream and the site's files, for requests to this computer.
pub(super) fn router(shared: Shared) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events_stream))
        .fallback(axum::routing::get(file))
        .layer(axum::middleware::from_fn(only_this_computer))
        .with_state(shared)
}

/// How long a connection may take to send a request's headers, and may wait idle for the next
/// request. Browsers send theirs at once; a connection that trickles them is closed.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until the process ends, closing connections that take longer
/// than [`HEADER_TIMEOUT`] to send a request's headers or to start the next one.
pub(super) async fn run(listener: TcpListener, app: Router) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait a moment rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(
            app.clone()
                .map_request(|request: Request<hyper::body::Incoming>| request.map(Body::new)),
        );
        let connection = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}

/// Whether `host`, a `Host` header's value (or a request's authority), names this computer:
/// `localhost`, a name under it, or an IP address (which no other site's page can take over),
/// with or without a port. Anything else that could be there (user names, a second `@`, a port
/// that is not a number) is refused.
fn is_this_computer(host: &str) -> bool {
    let is_port = |port: &str| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    if let Some(bracketed) = host.strip_prefix('[') {
        let Some((v6, rest)) = bracketed.split_once(']') else {
            return false;
        };
        // A zone, as in `[fe80::1%25eth0]`, names the network card, not a host.
        let address = v6.split_once("%25").map_or(v6, |(address, _zone)| address);
        let port_ok = rest.is_empty() || rest.strip_prefix(':').is_some_and(is_port);
        return port_ok && address.parse::<std::net::Ipv6Addr>().is_ok();
    }
    let name = match host.rsplit_once(':') {
        Some((name, port)) if is_port(port) => name,
        Some(_) => return false,
        None => host,
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let is_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    is_name
        && (name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok())
}

/// Refuses a request that is not addressed to this computer (see [`is_this_computer`]): its
/// one `Host` header, and the host of its address when it is written in full
/// (`GET http://host/ HTTP/1.1`), must both name it.
async fn only_this_computer(request: Request, next: Next) -> Response<Body> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().ok(),
        _ => None,
    };
    let authority = request.uri().authority().map(|a| a.as_str());
    let addressed_here =
        host.is_some_and(is_this_computer) && authority.is_none_or(is_this_computer);
    if !addressed_here {
        return page(
            StatusCode::FORBIDDEN,
            "Not allowed",
            "<p>The preview answers only to this computer: open it at the address \\
             <code>advocate serve</code> printed, such as <code>http://127.0.0.1:1111/</code>.</p>",
        );
    }
    next.run(request).await
}

/// Whether a request's `Origin`, if it has one, is the preview itself.
fn is_same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (origin.to_str().ok(), host) {
        (Some(origin), Some(host)) => {
            origin.to_ascii_lowercase() == format!("http://{}", host.to_ascii_lowercase())
        }
        _ => false,
    }
}

/// The live-reload stream: one `data:` line per rebuild, `reload` or `error`; only for the
/// preview's own pages.
async fn events_stream(State(shared): State<Shared>, headers: HeaderMap) -> Response<Body> {
    if !is_same_origin(&headers) {
        let mut response = uncached(Body::empty(), "text/plain; charset=utf-8");
        *response.status_mut() = StatusCode::FORBIDDEN;
        return response;
    }
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
fn uncached(body: Body, content_type: impl AsRef<str>) -> Response<Body> {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type.as_ref()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Percent-decodes a URL path; `None` if it is not valid UTF-8 or encodes a NUL.
fn decode(path: &str) -> Option<String> {
    let text = percent_decode_str(path).decode_utf8().ok()?;
    (!text.contains('\0')).then(|| text.into_owned())
}

/// What a path segment of an address leaves as it is: letters, digits and `-._~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The address of the folder `folder` (a path inside the site, as [`resolve`] gives it), on
/// this host: `/guide/` for `guide`, never `//guide/`, which a browser reads as another host.
fn folder_address(folder: &str) -> String {
    let mut address = String::from("/");
    for segment in folder.split('/').filter(|s| !s.is_empty()) {
        address.extend(utf8_percent_encode(segment, SEGMENT));
        address.push('/');
    }
    address
}

/// The file a request path names inside the site, or `None` when it tries to leave it.
pub(crate) fn resolve(path: &str) -> Option<String> {
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

/// The content type of the file `path`, from its extension (mime_guess's table); text is
/// UTF-8, as every file of a build is.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
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
        let mut body = format!(
            "<p>The site could not be rebuilt after your last save. Fix what is shown below \
             and save again: this page then comes back by itself.</p><pre>{}</pre>",
            escape(error)
        );
        if shared.public {
            body.push_str(
                "<p>This public preview names no partner file and leaves out what a partner \
                 file or <code>site.yaml</code> says, the suggestions and the warnings, which may \
                 show what the public site never does: the terminal where \
                 <code>advocate serve</code> runs shows each problem in full.</p>",
            );
        }
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
            if let Ok(location) = HeaderValue::from_str(&folder_address(&path)) {
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
    fn content_types_come_from_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("guide.pdf"), "application/pdf");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("no-extension"), "application/octet-stream");
    }

    #[test]
    fn folders_redirect_to_a_path_on_this_host() {
        for (asked, folder) in [
            ("/guide", "/guide/"),
            ("//guide", "/guide/"),
            ("///a//b", "/a/b/"),
            ("/zo%C3%AB", "/zo%C3%AB/"),
            ("/a%20b", "/a%20b/"),
        ] {
            let path = resolve(asked).unwrap();
            assert_eq!(folder_address(&path), folder, "{asked}");
        }
    }

    #[test]
    fn only_this_computer_s_names_are_answered() {
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:1111",
            "preview.localhost:1111",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "[::1]",
            "[fe80::1%25eth0]:1111",
            "192.168.1.20:1111",
        ] {
            assert!(is_this_computer(host), "{host}");
        }
        for host in [
            "attacker.example",
            "attacker.example:1111",
            "localhost.attacker.example",
            "127.0.0.1.nip.io:1111",
            "[::1",
            "[evil]:1111",
            "[::1]x",
            "localhost:1111@evil.example",
            "evil.example@localhost:1111",
            "127.0.0.1:abc",
            "localhost:",
            "local host",
            "",
        ] {
            assert!(!is_this_computer(host), "{host}");
        }
    }

    #[test]
    fn the_reload_stream_is_for_the_preview_s_own_pages() {
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
            }
            map
        };
        let host = (header::HOST, "127.0.0.1:1111");
        assert!(is_same_origin(&headers(std::slice::from_ref(&host))));
        for origin in ["http://127.0.0.1:1111", "HTTP://127.0.0.1:1111"] {
            assert!(is_same_origin(&headers(&[
                host.clone(),
                (header::ORIGIN, origin)
            ])));
        }
        for origin in [
            "http://attacker.example",
            "http://127.0.0.1:2222",
            "https://127.0.0.1:1111",
            "null",
        ] {
            assert!(
                !is_same_origin(&headers(&[host.clone(), (header::ORIGIN, origin)])),
                "{origin}"
            );
        }
    }
}
