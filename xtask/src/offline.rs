//! What `cargo xtask dist` does to Trunk's output in dist/, so that it runs under a strict
//! Content-Security-Policy and offline:
//!
//! 1. moves Trunk's inline `<script type="module">` loader into `boot-<hash>.js` (with the
//!    service worker registration of `web/register-sw.js` appended), loaded by
//!    `<script type="module" src integrity>`;
//! 2. puts the CSP `<meta http-equiv>` ([`CSP`]) first in `<head>`, and refuses an index.html
//!    that still has inline script, inline style or event-handler attributes;
//! 3. writes `sw.js` from `web/sw.js`: every other file of dist/ with its SHA-256, and a
//!    version named from the package version and those hashes.
//!
//! The JavaScript it writes (boot script, service worker) and wasm-bindgen's glue, which Trunk
//! 0.21 leaves unminified, go through terser ([`minify_js`]; 2.3 KB less gzip for the glue),
//! and the glue's `integrity` in index.html is updated to match.
//!
//! Running it again on a processed dist/ only rewrites sw.js.

use crate::util::{root, Res};
use base64::Engine;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, text, RewriteStrSettings};
use sha2::{Digest, Sha256, Sha384};
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The policy of the served app: nothing inline, nothing from another origin; WebAssembly
/// may be compiled. (`frame-ancestors` cannot be set from a `<meta>`: the app is meant to be
/// embedded anyway.)
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                       object-src 'none'; base-uri 'self'; form-action 'none'";

pub const SW_NAME: &str = "sw.js";
/// The small script in `<head>` that hides the static first view before the first paint when
/// the address asks for another view (see xtask/src/prerender.rs).
pub const PRE_SCRIPT: &str = "pre.js";

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sha256_b64(bytes: &[u8]) -> String {
    b64(&Sha256::digest(bytes))
}

pub fn sha384_b64(bytes: &[u8]) -> String {
    b64(&Sha384::digest(bytes))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `version` of the root Cargo.toml's `[package]`.
pub fn package_version() -> Res<String> {
    let text = fs::read_to_string(root().join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    manifest_version(&text)
}

fn manifest_version(text: &str) -> Res<String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| format!("Cargo.toml: {e}"))?;
    doc.get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| "Cargo.toml: no [package] version".into())
}

// ---------------------------------------------------------------- reading and rewriting HTML

/// One element of an HTML document, as `lol_html` reads it: its name and attributes (names in
/// lower case, values as written) and, for `script` and `style`, the text inside.
#[derive(Debug, Clone, Default)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub content: Option<String>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Whether this is a data block ([`data_block`]): a `<script>` that is never run.
    pub fn is_data_block(&self) -> bool {
        self.name == "script" && self.attr("type") == Some(DATA_BLOCK_TYPE)
    }
}

fn html_error(e: lol_html::errors::RewritingError) -> String {
    format!("HTML: {e}")
}

/// Every element of `html`, in document order (what comments hold is not an element).
pub fn tags(html: &str) -> Res<Vec<Tag>> {
    let out = std::cell::RefCell::new(Vec::<Tag>::new());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", |el| {
            let name = el.tag_name();
            let content = matches!(name.as_str(), "script" | "style").then(String::new);
            let attrs = el.attributes().iter().map(|a| (a.name(), a.value())).collect();
            out.borrow_mut().push(Tag { name, attrs, content });
            Ok(())
        }))
        .append_element_content_handler(text!("script, style", |t| {
            // Script and style text holds no elements: it belongs to the last one pushed.
            if let Some(c) = out.borrow_mut().last_mut().and_then(|t| t.content.as_mut()) {
                c.push_str(t.as_str());
            }
            Ok(())
        }));
    rewrite_str(html, settings).map_err(html_error)?;
    Ok(out.into_inner())
}

/// The type of the page's data blocks: the dataset, and in the single file the story and the
/// languages. A `<script>` of this type is data, never run, and no CSP governs it.
pub const DATA_BLOCK_TYPE: &str = "application/octet-stream";

/// A data block `id` holding `text` (which must not contain `</script`).
pub fn data_block(id: &str, text: &str) -> String {
    format!(r#"<script type="{DATA_BLOCK_TYPE}" id="{id}">{text}</script>"#)
}

/// Problems a strict CSP would block or that we never want: inline scripts (but non-JS data
/// blocks), `<style>` elements, `style` and `on…` attributes, `javascript:` URLs.
pub fn csp_problems(html: &str, allow_hashed_inline: bool) -> Res<Vec<String>> {
    let mut problems = Vec::new();
    for t in tags(html)? {
        if t.name == "script" && t.attr("src").is_none() && !t.is_data_block() && !allow_hashed_inline {
            problems.push("an inline <script>".to_string());
        }
        if t.name == "style" && !allow_hashed_inline {
            problems.push("a <style> element".to_string());
        }
        for (k, v) in &t.attrs {
            if k == "style" {
                problems.push(format!("a style attribute on <{}>", t.name));
            }
            if k.starts_with("on") {
                problems.push(format!("an event-handler attribute {k} on <{}>", t.name));
            }
            if v.trim_start().to_ascii_lowercase().starts_with("javascript:") {
                problems.push(format!("a javascript: URL in {k} of <{}>", t.name));
            }
        }
    }
    Ok(problems)
}

/// Inserts `insert` right after the first `<meta charset>` tag (the CSP must come before
/// anything it governs).
pub fn insert_after_charset(html: &str, insert: &str) -> Res<String> {
    let done = std::cell::Cell::new(false);
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("meta[charset]", |el| {
        if !done.replace(true) {
            el.after(&format!("\n  {insert}"), ContentType::Html);
        }
        Ok(())
    }));
    let out = rewrite_str(html, settings).map_err(html_error)?;
    if done.get() {
        Ok(out)
    } else {
        Err("index.html has no <meta charset>".into())
    }
}

pub fn csp_meta(policy: &str) -> String {
    format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}">"#)
}

/// Sets the text of the document's `<title>` (there must be one).
pub fn set_title(html: &str, title: &str) -> Res<String> {
    let found = std::cell::Cell::new(false);
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("title", |el| {
        found.set(true);
        el.set_inner_content(title, ContentType::Text);
        Ok(())
    }));
    let out = rewrite_str(html, settings).map_err(html_error)?;
    if found.get() {
        Ok(out)
    } else {
        Err("the HTML has no <title>".into())
    }
}

/// Trunk's index.html made CSP-clean (step 1 and 2 above): the inline loader replaced by
/// `boot_tag`, the `integrity` of each `<link rel=modulepreload>` whose href is in `integrity`
/// replaced by the new one, and the CSP `<meta>` after `<meta charset>`. The wasm's `preload`
/// goes: the static first view paints before the wasm competes with it for the network (the
/// boot script fetches the wasm right after that first paint, see [`paint_first`]).
pub fn rewrite_index(html: &str, boot_tag: &str, integrity: &[(String, String)]) -> Res<String> {
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("script[type=module]:not([src])", |el| {
            el.replace(boot_tag, ContentType::Html);
            Ok(())
        }))
        .append_element_content_handler(element!("link[rel=preload][as=fetch][href$='.wasm']", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("link[rel=modulepreload][integrity]", |el| {
            let href = el.get_attribute("href").unwrap_or_default();
            if let Some((_, new)) = integrity.iter().find(|(h, _)| *h == href) {
                el.set_attribute("integrity", new)?;
            }
            Ok(())
        }));
    let html = rewrite_str(html, settings).map_err(html_error)?;
    insert_after_charset(&html, &csp_meta(CSP))
}

// ---------------------------------------------------------------- dist/ post-processing

/// What the boot script waits for before it fetches and starts the wasm: the first contentful
/// paint of the static first view (xtask/src/prerender.rs), so that it is painted with the
/// page's whole bandwidth and CPU, whatever the network. Not when web/pre.js has hidden that
/// view (nothing to paint first), and never more than 3 s (a page in a background tab paints
/// nothing).
const PAINT_FIRST: &str = "if (!document.documentElement.classList.contains('pre-off')) await new Promise((r) => { \
const go = () => setTimeout(r); \
if (performance.getEntriesByName('first-contentful-paint').length) go(); \
else { new PerformanceObserver((l, o) => { o.disconnect(); go(); }).observe({ type: 'paint' }); setTimeout(r, 3000); } });\n";

/// Trunk's loader with [`PAINT_FIRST`] before its `await init(` (the call that fetches the
/// wasm); an error if the loader has no such call.
pub fn paint_first(loader: &str) -> Res<String> {
    let at = loader.find("await init(").ok_or("Trunk's loader has no `await init(` call")?;
    // The start of that statement: after the previous `;` or line break.
    let start = loader[..at].rfind([';', '\n']).map_or(0, |i| i + 1);
    Ok(format!("{}{PAINT_FIRST}{}", &loader[..start], &loader[start..]))
}

/// The relative paths (with `/`) of every file under `dir` but hidden ones (Trunk's `.stage`)
/// and the precompressed copies beside them ([`is_precompressed`]), sorted: what the service
/// worker precaches, the zip holds and the size table lists.
pub fn bundle_files(dir: &Path) -> Res<Vec<String>> {
    Ok(all_files(dir)?.into_iter().filter(|f| !is_precompressed(f)).collect())
}

/// A `.br` or `.gz` copy that `cargo xtask dist` writes beside a file for the web server
/// ([`crate::dist::write_precompressed`]), not a file of the bundle.
pub fn is_precompressed(name: &str) -> bool {
    name.ends_with(".br") || name.ends_with(".gz")
}

/// The relative paths (with `/`) of every file under `dir` but hidden ones, sorted.
pub fn all_files(dir: &Path) -> Res<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let p = entry.path();
            if p.is_dir() {
                walk(base, &p, out)?;
            } else {
                let rel = p.strip_prefix(base).unwrap();
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out).map_err(|e| format!("{}: {e}", dir.display()))?;
    out.sort();
    Ok(out)
}

pub struct Processed {
    /// The boot script's file name.
    pub boot: String,
    /// The service worker's version string.
    pub sw_version: String,
    /// How many files the service worker precaches.
    pub precached: usize,
}

/// Minifies JavaScript: (source, as an ES module) → minified source. [`minify_js`] but in tests.
pub type Minify<'a> = &'a dyn Fn(&str, bool) -> Res<String>;

/// Steps 1 to 3 above on `dist`.
pub fn postprocess(dist: &Path) -> Res<Processed> {
    postprocess_with(dist, &minify_js)
}

fn postprocess_with(dist: &Path, minify: Minify) -> Res<Processed> {
    let index_path = dist.join("index.html");
    let mut html = fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let all = tags(&html)?;
    let inline: Vec<&Tag> =
        all.iter().filter(|t| t.name == "script" && t.attr("src").is_none() && !t.is_data_block()).collect();
    let has_csp = all.iter().any(|t| {
        t.name == "meta" && t.attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
    });
    if !has_csp {
        let [loader] = inline.as_slice() else {
            return Err(format!("dist/index.html: expected Trunk's one inline module script, found {}", inline.len()));
        };
        if loader.attr("type") != Some("module") {
            return Err("dist/index.html: Trunk's inline loader is not a module script".into());
        }
        let register =
            fs::read_to_string(root().join("web/register-sw.js")).map_err(|e| format!("web/register-sw.js: {e}"))?;
        let loader_js = paint_first(loader.content.as_deref().unwrap_or(""))?;
        let js = minify(&format!("{}\n{register}", loader_js.trim()), true)?;
        let name = format!("boot-{}.js", &sha256_hex(js.as_bytes())[..16]);
        fs::write(dist.join(&name), &js).map_err(|e| format!("{name}: {e}"))?;
        let tag = format!(
            r#"<script type="module" src="./{name}" integrity="sha384-{}"></script>"#,
            sha384_b64(js.as_bytes())
        );
        let mut integrity = Vec::new();
        for glue in all.iter().filter(|t| t.name == "link" && t.attr("rel") == Some("modulepreload")) {
            let (Some(href), Some(_)) = (glue.attr("href"), glue.attr("integrity")) else { continue };
            let path = dist.join(href.trim_start_matches("./"));
            let src = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let min = minify(&src, true)?;
            fs::write(&path, &min).map_err(|e| format!("{}: {e}", path.display()))?;
            integrity.push((href.to_string(), format!("sha384-{}", sha384_b64(min.as_bytes()))));
        }
        html = rewrite_index(&html, &tag, &integrity)?;
    }
    let problems = csp_problems(&html, false)?;
    if !problems.is_empty() {
        return Err(format!("dist/index.html breaks the CSP: {}", problems.join("; ")));
    }
    fs::write(&index_path, &html).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let boot = tags(&html)?
        .into_iter()
        .filter_map(|t| (t.name == "script").then(|| t.attr("src").map(str::to_string)).flatten())
        .find(|s| s.starts_with("./boot-"))
        .ok_or("dist/index.html: no boot script")?
        .trim_start_matches("./")
        .to_string();
    let (sw_version, precached) = write_service_worker_with(dist, minify)?;
    Ok(Processed { boot, sw_version, precached })
}

/// Writes `dist/sw.js` from `web/sw.js`. Returns (version, number of files precached).
pub fn write_service_worker(dist: &Path) -> Res<(String, usize)> {
    write_service_worker_with(dist, &minify_js)
}

fn write_service_worker_with(dist: &Path, minify: Minify) -> Res<(String, usize)> {
    let files: Vec<String> = bundle_files(dist)?.into_iter().filter(|f| f != SW_NAME).collect();
    if !files.iter().any(|f| f == "index.html") {
        return Err(format!("{}: no index.html", dist.display()));
    }
    let mut list = String::from("[\n");
    let mut all = Sha256::new();
    for f in &files {
        let bytes = fs::read(dist.join(f)).map_err(|e| format!("{f}: {e}"))?;
        let integrity = format!("sha256-{}", sha256_b64(&bytes));
        all.update(format!("{f}\0{integrity}\n").as_bytes());
        list.push_str(&format!("  [{}, '{integrity}'],\n", serde_json::to_string(f).unwrap()));
    }
    list.push(']');
    let hash: String = all.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let version = format!("{}-{hash}", package_version()?);
    let template = fs::read_to_string(root().join("web/sw.js")).map_err(|e| format!("web/sw.js: {e}"))?;
    if !template.contains("'__VERSION__'") || !template.contains("__FILES__;") {
        return Err("web/sw.js: the placeholders '__VERSION__' and __FILES__ are missing".into());
    }
    let sw = template.replace("'__VERSION__'", &format!("'{version}'")).replace("__FILES__;", &format!("{list};"));
    let sw = minify(&sw, false)?;
    fs::write(dist.join(SW_NAME), sw).map_err(|e| format!("{SW_NAME}: {e}"))?;
    Ok((version, files.len()))
}

/// `src` minified by terser from node_modules (compressed and mangled; `module`: as an ES
/// module, whose top-level names may be mangled too). Deterministic: the same input gives the
/// same bytes.
pub fn minify_js(src: &str, module: bool) -> Res<String> {
    let terser = root().join("node_modules/terser/bin/terser");
    let mut cmd = Command::new("node");
    cmd.arg(&terser).args(["--compress", "--mangle"]);
    if module {
        cmd.arg("--module");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start terser (run `npm ci`): {e}"))?;
    let mut stdin = child.stdin.take().ok_or("terser: no stdin")?;
    let input = src.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().map_err(|e| format!("terser: {e}"))?;
    writer.join().map_err(|_| "terser: writing its input failed")?.map_err(|e| format!("terser: {e}"))?;
    if !out.status.success() || out.stdout.is_empty() {
        return Err(format!("terser failed ({})", out.status));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("terser: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// index.html as Trunk 0.21 writes it for a release (minified, unquoted attributes).
    pub const TRUNK_INDEX: &str = "<!doctype html><html lang=en><head><meta charset=utf-8>\
<meta content=\"width=device-width, initial-scale=1\" name=viewport><title>Pakistan–Russia Relations Atlas</title>\
<link href=manifest.webmanifest rel=manifest><link href=icon.svg rel=icon type=image/svg+xml>\
<link href=icon-192.png rel=apple-touch-icon>\
<!-- `cargo xtask dist` then moves Trunk's inline loader into boot-HASH.js. <script>no</script> -->\
<link href=./main-1a2b.css integrity=sha384-css rel=stylesheet>\
<link crossorigin=anonymous href=./pakru-atlas-9f8e.js integrity=sha384-oldglue rel=modulepreload>\
<link as=fetch crossorigin=anonymous href=./pakru-atlas-9f8e_bg.wasm integrity=sha384-wasm rel=preload type=application/wasm>\
<script type=module>import init,*as bindings from\"./pakru-atlas-9f8e.js\";if(1>0&&2<3){};\
const wasm=await init({module_or_path:\"./pakru-atlas-9f8e_bg.wasm\"});window.wasmBindings=bindings;\
dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\",{detail:{wasm}}))</script>\
</head><body><noscript>This atlas needs JavaScript and WebAssembly.</noscript></body></html>";

    #[test]
    fn reads_elements_and_inline_content() {
        let html = r#"<!doctype html><html><head><meta charset="utf-8"><!-- <script>no</script> -->
<link rel="stylesheet" href="./a.css" integrity='sha384-x'>
<script type="module">import init from './x.js'; if (a > b && c < d) {}</script>
<script type="module" src="./b.js"></script><style>p > a {}</style></head><body class=x><p data-x="a>b">hi</p></body></html>"#;
        let t = tags(html).unwrap();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["html", "head", "meta", "link", "script", "script", "style", "body", "p"]);
        assert_eq!(t[3].attr("integrity"), Some("sha384-x"));
        assert_eq!(t[4].content.as_deref(), Some("import init from './x.js'; if (a > b && c < d) {}"));
        assert_eq!(t[5].content.as_deref(), Some(""));
        assert_eq!(t[6].content.as_deref(), Some("p > a {}"));
        assert_eq!(t[3].content, None);
        assert_eq!(t[7].attr("class"), Some("x"));
        assert_eq!(t[8].attr("data-x"), Some("a>b"));
        assert_eq!(csp_problems(html, false).unwrap(), ["an inline <script>", "a <style> element"]);
        assert!(csp_problems(html, true).unwrap().is_empty());
        let bad = r#"<div style="color:red" onclick="x()"><a href=" javascript:alert(1)">x</a><style>p{}</style>"#;
        assert_eq!(csp_problems(bad, false).unwrap().len(), 4);
        let data =
            r#"<script type="application/octet-stream" id="d">x</script><script type="text/javascript">y</script>"#;
        assert_eq!(csp_problems(data, false).unwrap(), ["an inline <script>"], "a data block is not a script");
    }

    #[test]
    fn inserts_after_the_charset_meta_only() {
        let html = "<html><head><meta charset=\"utf-8\"><meta charset=x><title>t</title></head></html>";
        let with = insert_after_charset(html, &csp_meta(CSP)).unwrap();
        assert_eq!(
            with,
            format!(
                "<html><head><meta charset=\"utf-8\">\n  {}<meta charset=x><title>t</title></head></html>",
                csp_meta(CSP)
            )
        );
        assert!(insert_after_charset("<html><head><title>t</title></head></html>", "x").is_err());
    }

    #[test]
    fn sets_the_title() {
        let html = "<head><title>Pakistan–Russia Relations Atlas</title></head><body><p>title</p></body>";
        assert_eq!(
            set_title(html, "New <version>").unwrap(),
            "<head><title>New &lt;version&gt;</title></head><body><p>title</p></body>"
        );
        assert!(set_title("<head></head>", "x").is_err());
    }

    #[test]
    fn the_wasm_waits_for_the_first_paint() {
        let loader = "import init,*as bindings from\"./g.js\";if(1>0){};\nconst wasm=await init({module_or_path:\"./g_bg.wasm\"});x()";
        let out = paint_first(loader).unwrap();
        assert_eq!(
            out,
            format!("import init,*as bindings from\"./g.js\";if(1>0){{}};\n{PAINT_FIRST}const wasm=await init({{module_or_path:\"./g_bg.wasm\"}});x()")
        );
        assert!(paint_first("import x from './y.js';").unwrap_err().contains("await init("));
    }

    #[test]
    fn rewrites_trunk_index() {
        let glue = ("./pakru-atlas-9f8e.js".to_string(), "sha384-newglue".to_string());
        let boot = r#"<script type="module" src="./boot-1.js" integrity="sha384-boot"></script>"#;
        let out = rewrite_index(TRUNK_INDEX, boot, &[glue]).unwrap();
        // Everything else byte for byte.
        let expected = TRUNK_INDEX
            .replacen("<meta charset=utf-8>", &format!("<meta charset=utf-8>\n  {}", csp_meta(CSP)), 1)
            .replace("integrity=sha384-oldglue", "integrity=\"sha384-newglue\"");
        let (a, b) = (expected.find("<script type=module>").unwrap(), expected.find("</script></head>").unwrap());
        let expected = format!("{}{boot}{}", &expected[..a], &expected[b + "</script>".len()..]);
        let preload = "<link as=fetch crossorigin=anonymous href=./pakru-atlas-9f8e_bg.wasm integrity=sha384-wasm rel=preload type=application/wasm>";
        assert!(expected.contains(preload));
        let expected = expected.replace(preload, "");
        assert_eq!(out, expected);
        assert!(csp_problems(&out, false).unwrap().is_empty());
        // The commented-out script is left alone.
        assert!(out.contains("<script>no</script> -->"));
    }

    /// A dist/ as Trunk leaves it, post-processed with a stand-in for terser (so without Node):
    /// the boot script, the CSP, the glue's new integrity, the service worker; a second run
    /// changes nothing but sw.js.
    #[test]
    fn postprocesses_a_trunk_dist() {
        let dist = std::env::temp_dir().join(format!("xtask-offline-dist-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dist);
        fs::create_dir_all(&dist).unwrap();
        fs::write(dist.join("index.html"), TRUNK_INDEX).unwrap();
        fs::write(dist.join("pakru-atlas-9f8e.js"), "export function a() {\n  return 1;\n}\n").unwrap();
        fs::write(dist.join("main-1a2b.css"), "p{}").unwrap();
        // Precompressed copies (left from an earlier run) are not files of the bundle.
        fs::write(dist.join("main-1a2b.css.br"), "x").unwrap();
        fs::write(dist.join("main-1a2b.css.gz"), "x").unwrap();
        let minify: Minify = &|src: &str, _module: bool| Ok(format!("/*min*/{}", src.replace('\n', "")));
        let p = postprocess_with(&dist, minify).unwrap();

        let boot = fs::read_to_string(dist.join(&p.boot)).unwrap();
        assert!(p.boot.starts_with("boot-") && p.boot.ends_with(".js"), "{}", p.boot);
        assert!(boot.starts_with("/*min*/import init,*as bindings") && boot.contains("navigator.serviceWorker"));
        assert_eq!(p.boot, format!("boot-{}.js", &sha256_hex(boot.as_bytes())[..16]));
        let glue = fs::read_to_string(dist.join("pakru-atlas-9f8e.js")).unwrap();
        assert_eq!(glue, "/*min*/export function a() {  return 1;}");

        let html = fs::read_to_string(dist.join("index.html")).unwrap();
        let t = tags(&html).unwrap();
        assert_eq!(t[2].name, "meta");
        assert_eq!(t[3].attr("http-equiv"), Some("Content-Security-Policy"));
        assert_eq!(t[3].attr("content"), Some(CSP));
        let script = t.iter().find(|t| t.name == "script").unwrap();
        assert_eq!(script.attr("src"), Some(format!("./{}", p.boot).as_str()));
        assert_eq!(script.attr("integrity"), Some(format!("sha384-{}", sha384_b64(boot.as_bytes())).as_str()));
        let link = t.iter().find(|t| t.attr("rel") == Some("modulepreload")).unwrap();
        assert_eq!(link.attr("integrity"), Some(format!("sha384-{}", sha384_b64(glue.as_bytes())).as_str()));
        assert!(csp_problems(&html, false).unwrap().is_empty());

        let sw = fs::read_to_string(dist.join(SW_NAME)).unwrap();
        assert!(sw.starts_with("/*min*/") && sw.contains(&p.sw_version), "{}", &sw[..200.min(sw.len())]);
        assert_eq!(p.precached, 4); // boot, index.html, the CSS and the glue
        assert!(!sw.contains(".br\"") && !sw.contains(".gz\""), "sw.js precaches a .br or .gz file");
        assert_eq!(
            bundle_files(&dist).unwrap(),
            [p.boot.as_str(), "index.html", "main-1a2b.css", "pakru-atlas-9f8e.js", SW_NAME]
        );
        assert_eq!(all_files(&dist).unwrap().len(), 7);
        for f in [p.boot.as_str(), "index.html", "main-1a2b.css", "pakru-atlas-9f8e.js"] {
            let sri = format!("sha256-{}", sha256_b64(&fs::read(dist.join(f)).unwrap()));
            assert!(sw.contains(&format!("[\"{f}\", '{sri}']")), "{f} in sw.js");
        }

        // Again: index.html, the boot script and the glue stay as they are.
        let again = postprocess_with(&dist, minify).unwrap();
        assert_eq!(again.boot, p.boot);
        assert_eq!(fs::read_to_string(dist.join("index.html")).unwrap(), html);
        assert_eq!(fs::read_to_string(dist.join("pakru-atlas-9f8e.js")).unwrap(), glue);
        fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn hashes() {
        // The CSP hash of `alert(1)` as browsers compute it.
        assert_eq!(sha256_b64(b"alert(1)"), "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
        assert_eq!(sha256_hex(b"").len(), 64);
    }

    #[test]
    fn reads_the_package_version() {
        let v = package_version().unwrap();
        assert!(v.split('.').count() == 3, "{v}");
        let manifest = "[package]\nname = \"a\" # version = \"9\"\nversion = \"1.2.3\"\n\n[dependencies]\nx = { version = \"4\" }\n";
        assert_eq!(manifest_version(manifest).unwrap(), "1.2.3");
        assert!(manifest_version("[workspace]\nmembers = []\n[dependencies]\nversion = \"1\"\n").is_err());
    }
}
