//! Snapshot tests of a small site's pages: any change to what a page says shows up as a diff
//! to review (`cargo insta review`, or delete the snapshot and rerun to accept it).

mod common;

use std::fs;

use common::TestSite;

#[test]
fn pages_of_the_small_site() {
    let site = TestSite::small();
    site.built();
    for page in [
        "private/index.html",
        "private/partners/ana-lopez.html",
        "private/partners/cara-doyle.html",
        "private/guide/02-briefings.html",
        "site/index.html",
        "site/partners/partner-1.html",
        "site/partners/ana-lopez.html",
        "site/sitemap.xml",
        "site/robots.txt",
    ] {
        let text = fs::read_to_string(site.out().join(page)).unwrap();
        let name = page.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, text);
    }
}
