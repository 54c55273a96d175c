//! What the embed and offline browser tests need besides dist/ at `/` and at the sub-path,
//! started by `cargo xtask test` (each server lives as long as the process) and handed to
//! `node e2e/run.mjs` as environment variables:
//!
//! - `EMBED_EXAMPLE_URL`, `EMBED_CHART_URL`, `EMBED_EVENT_URL`: the mock university pages of
//!   examples/ (the whole atlas, one chart, one event's card at a fixed height), served from an
//!   origin of their own (another port), with the app's address in their snippets
//!   (`EMBED_APP_URL`, the sub-path server) in place of `cargo xtask serve`'s
//!   `http://127.0.0.1:8080/`;
//!   `OTHER_ORIGIN_URL`: the app at the root server, an origin the snippet must not trust;
//! - `SINGLE_FILE`: the path of the single-file build;
//! - `UPDATE_URL`, `UPDATE_LIVE_DIR`, `UPDATE_NEXT_DIR`: a copy of dist/ served at
//!   `/atlas/` from `target/e2e-fixtures/update/live/`, and a "new version" of it in `next/`
//!   (another `<title>`, so another service worker version) that the test copies over `live/`
//!   to deploy it.

use crate::server::{start, Server};
use crate::util::{root, Res};
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, text, RewriteStrSettings};
use std::cell::{Cell, RefCell};
use std::fs;
use std::path::Path;

/// The app's address in examples/embed.html: `cargo xtask serve`'s.
pub const EXAMPLE_APP_URL: &str = "http://127.0.0.1:8080/";
pub const NEW_VERSION_TITLE: &str = "Pakistan–Russia Relations Atlas (new version)";

fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    let end = url[after_scheme..].find('/').map(|i| i + after_scheme).unwrap_or(url.len());
    &url[..end]
}

/// The example pages: file name and the environment variable of its address.
pub const EXAMPLES: [(&str, &str); 3] =
    [("embed.html", "EMBED_EXAMPLE_URL"), ("chart.html", "EMBED_CHART_URL"), ("event.html", "EMBED_EVENT_URL")];

/// An example page with the app at `app_url` instead of [`EXAMPLE_APP_URL`]: the frames'
/// `src`, and the origin their script trusts (a page with a script must check the origin).
pub fn embed_page(example: &str, app_url: &str) -> Res<String> {
    let (frames, checks) = (Cell::new(0), Cell::new(0));
    let text_so_far = RefCell::new(String::new());
    let (old_origin, new_origin) = (format!("\"{}\"", origin(EXAMPLE_APP_URL)), format!("\"{}\"", origin(app_url)));
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("iframe[src]", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            if let Some(rest) = src.strip_prefix(EXAMPLE_APP_URL) {
                el.set_attribute("src", &format!("{app_url}{rest}"))?;
                frames.set(frames.get() + 1);
            }
            Ok(())
        }))
        .append_element_content_handler(text!("script", |t| {
            // A script's text may come in several chunks: rewritten whole, in place of the last.
            text_so_far.borrow_mut().push_str(t.as_str());
            if t.last_in_text_node() {
                let js = text_so_far.take();
                if js.contains(&old_origin) {
                    checks.set(checks.get() + 1);
                }
                t.replace(&js.replace(&old_origin, &new_origin), ContentType::Html);
            } else {
                t.remove();
            }
            Ok(())
        }));
    let page = rewrite_str(example, settings).map_err(|e| e.to_string())?;
    if frames.get() == 0 {
        return Err(format!("no <iframe> of {EXAMPLE_APP_URL}"));
    }
    if checks.get() == 0 && example.contains("<script") {
        return Err(format!("no script that checks the origin {old_origin}"));
    }
    Ok(page)
}

fn fresh_dir(p: &Path) -> Res {
    if p.exists() {
        fs::remove_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn copy_bundle(from: &Path, to: &Path) -> Res {
    fresh_dir(to)?;
    for f in crate::offline::bundle_files(from)? {
        let dest = to.join(&f);
        fs::create_dir_all(dest.parent().unwrap()).map_err(|e| e.to_string())?;
        fs::copy(from.join(&f), &dest).map_err(|e| format!("{f}: {e}"))?;
    }
    Ok(())
}

/// The environment for the browser runner (the servers run until the process ends).
pub struct Fixtures {
    pub env: Vec<(String, String)>,
}

/// `app`: the app at the sub-path (what the example embeds); `other`: the app at the root server.
pub fn start_all(dist: &Path, app: &Server, other: &Server) -> Res<Fixtures> {
    let base = root().join("target/e2e-fixtures");
    let app_url = app.url();
    let mut env = Vec::new();

    // The university's page, from its own origin.
    let site = base.join("site");
    fresh_dir(&site)?;
    for (name, _) in EXAMPLES {
        let path = format!("examples/{name}");
        let example = fs::read_to_string(root().join(&path)).map_err(|e| format!("{path}: {e}"))?;
        let page = embed_page(&example, &app_url).map_err(|e| format!("{path}: {e}"))?;
        fs::write(site.join(name), page).map_err(|e| e.to_string())?;
    }
    let site_server = start(&site, "/university/", 0).map_err(|e| e.to_string())?;
    for (name, var) in EXAMPLES {
        env.push((var.into(), format!("{}{name}", site_server.url())));
    }
    env.push(("EMBED_APP_URL".into(), app_url.clone()));
    env.push(("OTHER_ORIGIN_URL".into(), other.url()));

    env.push(("SINGLE_FILE".into(), crate::single::out_path(dist).display().to_string()));

    // A deployment that the update test replaces by a new version.
    let live = base.join("update/live");
    let next = base.join("update/next");
    copy_bundle(dist, &live)?;
    copy_bundle(dist, &next)?;
    let index = fs::read_to_string(next.join("index.html")).map_err(|e| e.to_string())?;
    let index = crate::offline::set_title(&index, NEW_VERSION_TITLE).map_err(|e| format!("dist/index.html: {e}"))?;
    fs::write(next.join("index.html"), index).map_err(|e| e.to_string())?;
    crate::offline::write_service_worker(&next)?;
    let update_server = start(&live, "/atlas/", 0).map_err(|e| e.to_string())?;
    env.push(("UPDATE_URL".into(), update_server.url()));
    env.push(("UPDATE_LIVE_DIR".into(), live.display().to_string()));
    env.push(("UPDATE_NEXT_DIR".into(), next.display().to_string()));
    env.push(("UPDATE_NEW_TITLE".into(), NEW_VERSION_TITLE.into()));

    for (k, v) in &env {
        println!("  {k}={v}");
    }
    Ok(Fixtures { env })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(origin("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(origin("http://127.0.0.1:5/a/b/"), "http://127.0.0.1:5");
    }

    #[test]
    fn points_the_example_at_the_test_server() {
        let app = "http://127.0.0.1:4321/university/pages/atlas/";
        let example = fs::read_to_string(root().join("examples/embed.html")).unwrap();
        let page = embed_page(&example, app).unwrap();
        let frame = crate::offline::tags(&page).unwrap().into_iter().find(|t| t.name == "iframe").unwrap();
        assert_eq!(frame.attr("src"), Some(format!("{app}?embed=1&amp;lang=en").as_str()));
        assert!(page.contains("e.origin !== \"http://127.0.0.1:4321\""), "the script trusts the test server");
        assert!(!page.contains("\"http://127.0.0.1:8080\""), "nothing trusts the example's address");
        // Nothing else changes (the comment that names the example's address among it).
        let back = page.replace(app, EXAMPLE_APP_URL).replace("127.0.0.1:4321", "127.0.0.1:8080");
        assert_eq!(back, example);

        let bare = "<p>no frame</p><script>if (e.origin !== \"http://127.0.0.1:8080\") return;</script>";
        assert!(embed_page(bare, app).unwrap_err().contains("no <iframe>"));
        let no_check = "<iframe src=\"http://127.0.0.1:8080/?embed=1\"></iframe><script>x()</script>";
        assert!(embed_page(no_check, app).unwrap_err().contains("checks the origin"));
    }

    #[test]
    fn every_example_points_at_the_test_server() {
        let app = "http://127.0.0.1:4321/u/";
        for (name, _) in EXAMPLES {
            let example = fs::read_to_string(root().join("examples").join(name)).unwrap();
            let page = embed_page(&example, app).unwrap_or_else(|e| panic!("{name}: {e}"));
            let frames: Vec<_> =
                crate::offline::tags(&page).unwrap().into_iter().filter(|t| t.name == "iframe").collect();
            assert!(!frames.is_empty(), "{name}");
            for f in frames {
                assert!(f.attr("src").unwrap_or_default().starts_with(&format!("{app}?embed=")), "{name}");
            }
            assert!(!page.contains("127.0.0.1:8080\""), "{name}: the example's origin is trusted");
        }
        // The iframe-only page keeps the state of its address.
        let event = fs::read_to_string(root().join("examples/event.html")).unwrap();
        assert!(embed_page(&event, app)
            .unwrap()
            .contains(&format!("{app}?embed=event&amp;e=tashkent-declaration-1966")));
    }
}
