//! What the embed and offline browser tests need besides dist/ at `/` and at the sub-path,
//! started by `cargo xtask test` (each server lives as long as the process) and handed to
//! `node e2e/run.mjs` as environment variables:
//!
//! - `EMBED_EXAMPLE_URL`: examples/embed.html, a mock university page, served from an origin
//!   of its own (another port), with the app's address in its snippet (`EMBED_APP_URL`, the
//!   sub-path server) in place of `cargo xtask serve`'s `http://127.0.0.1:8080/`;
//!   `OTHER_ORIGIN_URL`: the app at the root server, an origin the snippet must not trust;
//! - `SINGLE_FILE`: the path of the single-file build;
//! - `UPDATE_URL`, `UPDATE_LIVE_DIR`, `UPDATE_NEXT_DIR`: a copy of dist/ served at
//!   `/atlas/` from `target/e2e-fixtures/update/live/`, and a "new version" of it in `next/`
//!   (another `<title>`, so another service worker version) that the test copies over `live/`
//!   to deploy it.

use crate::server::{start, Server};
use crate::util::{root, Res};
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
    let example =
        fs::read_to_string(root().join("examples/embed.html")).map_err(|e| format!("examples/embed.html: {e}"))?;
    if !example.contains(EXAMPLE_APP_URL) {
        return Err(format!("examples/embed.html does not embed {EXAMPLE_APP_URL}"));
    }
    let page = example
        .replace(EXAMPLE_APP_URL, &app_url)
        .replace(&format!("\"{}\"", origin(EXAMPLE_APP_URL)), &format!("\"{}\"", origin(&app_url)));
    fs::write(site.join("embed.html"), page).map_err(|e| e.to_string())?;
    let site_server = start(&site, "/university/", 0).map_err(|e| e.to_string())?;
    env.push(("EMBED_EXAMPLE_URL".into(), format!("{}embed.html", site_server.url())));
    env.push(("EMBED_APP_URL".into(), app_url.clone()));
    env.push(("OTHER_ORIGIN_URL".into(), other.url()));

    env.push(("SINGLE_FILE".into(), crate::single::out_path(dist).display().to_string()));

    // A deployment that the update test replaces by a new version.
    let live = base.join("update/live");
    let next = base.join("update/next");
    copy_bundle(dist, &live)?;
    copy_bundle(dist, &next)?;
    let index = fs::read_to_string(next.join("index.html")).map_err(|e| e.to_string())?;
    let old_title = "<title>Pakistan–Russia Relations Atlas</title>";
    if !index.contains(old_title) {
        return Err(format!("dist/index.html has no {old_title}"));
    }
    fs::write(next.join("index.html"), index.replace(old_title, &format!("<title>{NEW_VERSION_TITLE}</title>")))
        .map_err(|e| e.to_string())?;
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
    #[test]
    fn origins() {
        assert_eq!(super::origin("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(super::origin("http://127.0.0.1:5/a/b/"), "http://127.0.0.1:5");
    }
}
