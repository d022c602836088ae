//! `sitemap.xml` and `robots.txt` for the public site. Written by hand: the sitemap protocol
//! needs four elements, and no crate saves more than it costs.

use crate::source::Date;

/// A sitemap of `pages` (paths relative to the site, `/`-separated) under `base` (ending in `/`).
pub(crate) fn sitemap(base: &str, pages: &[String], last_modified: Date) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let page = page.strip_suffix("index.html").unwrap_or(page);
        xml.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{last_modified}</lastmod></url>\n",
            escape_xml(&format!("{base}{page}"))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Allows everything and points at the sitemap when the site's address is known.
pub(crate) fn robots(base: Option<&str>) -> String {
    match base {
        Some(base) => format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"),
        None => "User-agent: *\nAllow: /\n".to_owned(),
    }
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_lists_absolute_addresses_and_folds_index_pages() {
        let day = Date::parse("2026-11-22").unwrap();
        let xml = sitemap(
            "https://x.org/a/",
            &["index.html".into(), "guide/b&c.html".into()],
            day,
        );
        assert!(xml.contains("<loc>https://x.org/a/</loc>"));
        assert!(xml.contains("<loc>https://x.org/a/guide/b&amp;c.html</loc>"));
        assert!(xml.contains("<lastmod>2026-11-22</lastmod>"));
    }
}
