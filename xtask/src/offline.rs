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
    let mut section = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
        } else if section == "[package]" {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == "version" {
                    return Ok(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    Err("Cargo.toml: no [package] version".into())
}

// ---------------------------------------------------------------- a small HTML tag scanner

/// One start tag of an HTML document (comments skipped), from `start` to `end`. For `script`
/// and `style`, `end` is just after the matching end tag and `content` the text between.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub start: usize,
    pub end: usize,
    pub content: Option<(usize, usize)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ks = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if ks == i {
            break;
        }
        let key = s[ks..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = s[vs..i.min(b.len())].to_string();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = s[vs..i].to_string();
            }
        }
        out.push((key, value));
    }
    out
}

/// Every start tag of `html`, in order.
pub fn tags(html: &str) -> Res<Vec<Tag>> {
    let lower = html.to_ascii_lowercase();
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            let close = html[start..].find("-->").ok_or("unterminated HTML comment")?;
            i = start + close + 3;
            continue;
        }
        let name_end = start + 1 + html[start + 1..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(0);
        if name_end == start + 1 || !b[start + 1].is_ascii_alphabetic() {
            i = start + 1; // `</x>`, `<!doctype>`, a stray `<`
            continue;
        }
        let name = lower[start + 1..name_end].to_string();
        // The end of the start tag: the first `>` outside quotes.
        let mut j = name_end;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        if j >= b.len() {
            return Err(format!("unterminated <{name}> tag"));
        }
        let attrs = parse_attrs(&html[name_end..j]);
        let open_end = j + 1;
        let (end, content) = if name == "script" || name == "style" {
            let close = format!("</{name}");
            let c = lower[open_end..].find(&close).ok_or(format!("<{name}> without </{name}>"))? + open_end;
            let gt = html[c..].find('>').ok_or(format!("unterminated </{name}>"))? + c;
            (gt + 1, Some((open_end, c)))
        } else {
            (open_end, None)
        };
        out.push(Tag { name, attrs, start, end, content });
        i = end;
    }
    Ok(out)
}

/// Problems a strict CSP would block or that we never want: inline scripts (but non-JS data
/// blocks), `<style>` elements, `style` and `on…` attributes, `javascript:` URLs.
pub fn csp_problems(html: &str, allow_hashed_inline: bool) -> Res<Vec<String>> {
    let mut problems = Vec::new();
    for t in tags(html)? {
        if t.name == "script" && t.attr("src").is_none() && !allow_hashed_inline {
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

/// Inserts `insert` right after the `<meta charset>` tag (the CSP must come before anything it
/// governs).
pub fn insert_after_charset(html: &str, insert: &str) -> Res<String> {
    let t = tags(html)?
        .into_iter()
        .find(|t| t.name == "meta" && t.attr("charset").is_some())
        .ok_or("index.html has no <meta charset>")?;
    Ok(format!("{}\n  {insert}{}", &html[..t.end], &html[t.end..]))
}

pub fn csp_meta(policy: &str) -> String {
    format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}">"#)
}

// ---------------------------------------------------------------- dist/ post-processing

/// The relative paths (with `/`) of every file under `dir` but hidden ones (Trunk's `.stage`),
/// sorted.
pub fn bundle_files(dir: &Path) -> Res<Vec<String>> {
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

/// Steps 1 to 3 above on `dist`.
pub fn postprocess(dist: &Path) -> Res<Processed> {
    let index_path = dist.join("index.html");
    let mut html = fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let all = tags(&html)?;
    let inline: Vec<&Tag> = all.iter().filter(|t| t.name == "script" && t.attr("src").is_none()).collect();
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
        let (a, b) = loader.content.unwrap();
        let register =
            fs::read_to_string(root().join("web/register-sw.js")).map_err(|e| format!("web/register-sw.js: {e}"))?;
        let js = minify_js(&format!("{}\n{register}", html[a..b].trim()), true)?;
        let name = format!("boot-{}.js", &sha256_hex(js.as_bytes())[..16]);
        fs::write(dist.join(&name), &js).map_err(|e| format!("{name}: {e}"))?;
        let tag = format!(
            r#"<script type="module" src="./{name}" integrity="sha384-{}"></script>"#,
            sha384_b64(js.as_bytes())
        );
        html = format!("{}{tag}{}", &html[..loader.start], &html[loader.end..]);
        html = insert_after_charset(&html, &csp_meta(CSP))?;
        for glue in all.iter().filter(|t| t.name == "link" && t.attr("rel") == Some("modulepreload")) {
            let (Some(href), Some(old)) = (glue.attr("href"), glue.attr("integrity")) else { continue };
            let path = dist.join(href.trim_start_matches("./"));
            let src = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let min = minify_js(&src, true)?;
            fs::write(&path, &min).map_err(|e| format!("{}: {e}", path.display()))?;
            html = html.replace(old, &format!("sha384-{}", sha384_b64(min.as_bytes())));
        }
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
    let (sw_version, precached) = write_service_worker(dist)?;
    Ok(Processed { boot, sw_version, precached })
}

/// Writes `dist/sw.js` from `web/sw.js`. Returns (version, number of files precached).
pub fn write_service_worker(dist: &Path) -> Res<(String, usize)> {
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
    let sw = minify_js(&sw, false)?;
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

    #[test]
    fn scans_tags_and_finds_inline_content() {
        let html = r#"<!doctype html><html><head><meta charset="utf-8"><!-- <script>no</script> -->
<link rel="stylesheet" href="./a.css" integrity='sha384-x'>
<script type="module">import init from './x.js'; if (a > b) {}</script>
<script type="module" src="./b.js"></script></head><body class=x><p data-x="a>b">hi</p></body></html>"#;
        let t = tags(html).unwrap();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["html", "head", "meta", "link", "script", "script", "body", "p"]);
        assert_eq!(t[3].attr("integrity"), Some("sha384-x"));
        let (a, b) = t[4].content.unwrap();
        assert_eq!(&html[a..b], "import init from './x.js'; if (a > b) {}");
        assert_eq!(t[6].attr("class"), Some("x"));
        assert_eq!(t[7].attr("data-x"), Some("a>b"));
        let problems = csp_problems(html, false).unwrap();
        assert_eq!(problems, ["an inline <script>"]);
        let bad = r#"<div style="color:red" onclick="x()"><a href=" javascript:alert(1)">x</a><style>p{}</style>"#;
        assert_eq!(csp_problems(bad, false).unwrap().len(), 4);
        let with = insert_after_charset(html, &csp_meta(CSP)).unwrap();
        assert!(with.contains("<meta charset=\"utf-8\">\n  <meta http-equiv=\"Content-Security-Policy\""));
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
    }
}
