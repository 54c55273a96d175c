//! The single-file build: one HTML file with the CSS, the JavaScript and the WebAssembly (which
//! holds the data) inlined, that works opened straight from disk (file://), with no server.
//!
//! Made from the processed dist/: the stylesheet becomes a `<style>`; wasm-bindgen's module
//! (minified, as served) and a loader that decodes the base64 WebAssembly and passes the
//! bytes to `init({ module_or_path })` become one `<script type="module">`; the icon becomes a
//! data: URL; the manifest, preloads and service worker are left out. Its CSP is the served
//! one's equivalent, with the hashes of those two blocks instead of 'self' ([`policy`]).

use crate::offline::{b64, csp_meta, csp_problems, insert_after_charset, sha256_b64, tags, Tag};
use crate::util::Res;
use std::fs;
use std::path::{Path, PathBuf};

pub const NAME: &str = "pakru-atlas.html";

/// `dist-single/` beside `dist/`.
pub fn out_path(dist: &Path) -> PathBuf {
    dist.parent().unwrap_or(Path::new(".")).join("dist-single").join(NAME)
}

/// The single file's policy: no source but the hashed inline blocks; images only as data:
/// (the icon); WebAssembly may be compiled.
pub fn policy(script: &str, style: &str) -> String {
    format!(
        "default-src 'none'; script-src 'sha256-{}' 'wasm-unsafe-eval'; style-src 'sha256-{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        sha256_b64(script.as_bytes()),
        sha256_b64(style.as_bytes())
    )
}

fn local(name: &str) -> &str {
    name.trim_start_matches("./")
}

/// The local name of the init function wasm-bindgen's ES module exports as `default`, read from
/// its last `export { …, NAME as default }` (minified or not). The module is inlined as it is:
/// an inline module script may keep its `export`s, which nothing imports. A module that imports
/// anything cannot be inlined.
pub fn default_export(js: &str) -> Res<String> {
    for bad in ["import{", "import*", "import\"", "import '", "import {", "import * ", "export*", "export *"] {
        if js.contains(bad) {
            return Err(format!("wasm-bindgen's JS has an `{bad}` the single file cannot inline"));
        }
    }
    let clause = js
        .rfind("export{")
        .or_else(|| js.rfind("export {"))
        .and_then(|a| js[a..].find('}').map(|b| &js[a + "export".len()..a + b]))
        .ok_or("wasm-bindgen's JS has no `export { … }` clause")?;
    clause
        .trim_start_matches([' ', '{'])
        .split(',')
        .find_map(|item| item.trim().strip_suffix(" as default").map(|n| n.trim().to_string()))
        .ok_or_else(|| "wasm-bindgen's JS has no `export { … as default }` (its init function)".into())
}

pub struct Single {
    pub path: PathBuf,
    pub bytes: u64,
    pub gzip: u64,
}

pub fn build(dist: &Path) -> Res<Single> {
    let read = |name: &str| fs::read(dist.join(local(name))).map_err(|e| format!("{name}: {e}"));
    let read_text = |name: &str| String::from_utf8(read(name)?).map_err(|e| format!("{name}: {e}"));
    let html = read_text("index.html")?;
    let all = tags(&html)?;
    let boot_tag = all
        .iter()
        .find(|t| t.name == "script" && t.attr("src").is_some_and(|s| local(s).starts_with("boot-")))
        .ok_or("dist/index.html has no boot script: run the dist post-processing first")?;
    let href_of = |rel: &str, ext: &str| {
        all.iter()
            .filter(|t| t.name == "link" && t.attr("rel") == Some(rel))
            .filter_map(|t| t.attr("href"))
            .find(|h| h.ends_with(ext))
            .ok_or(format!("dist/index.html has no <link rel={rel}> of a {ext} file"))
    };
    let module = read_text(href_of("modulepreload", ".js")?)?;
    let init = default_export(&module)?;
    let wasm = read(href_of("preload", ".wasm")?)?;

    let script = format!(
        "{module}\n// The WebAssembly (code and data), inlined as base64 by `cargo xtask dist`.\n{{\n  \
         const base64 = \"{}\";\n  \
         const bytes = typeof Uint8Array.fromBase64 === 'function'\n    \
         ? Uint8Array.fromBase64(base64)\n    \
         : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));\n  \
         const instance = await {init}({{ module_or_path: bytes }});\n  \
         dispatchEvent(new CustomEvent('TrunkApplicationStarted', {{ detail: {{ wasm: instance }} }}));\n}}\n",
        b64(&wasm)
    );
    let style_tag = all
        .iter()
        .find(|t| t.name == "link" && t.attr("rel") == Some("stylesheet"))
        .ok_or("dist/index.html has no stylesheet")?;
    let style = String::from_utf8(read(style_tag.attr("href").unwrap_or(""))?).map_err(|e| format!("CSS: {e}"))?;
    let style = format!("\n{}\n", style.trim());
    for (text, end) in [(&script, "</script"), (&style, "</style")] {
        let lower = text.to_ascii_lowercase();
        if lower.contains(end) || lower.contains("<!--") || lower.contains("<script") {
            return Err(format!("cannot inline: the text contains `{end}`, `<!--` or `<script`"));
        }
    }

    // Rebuild the document: each tag replaced, kept or dropped.
    let replace = |t: &Tag| -> Res<Option<String>> {
        Ok(match (t.name.as_str(), t.attr("rel")) {
            ("meta", _) if t.attr("http-equiv").is_some() => Some(String::new()),
            ("link", Some("stylesheet")) => Some(format!("<style>{style}</style>")),
            ("link", Some("modulepreload" | "preload" | "manifest" | "apple-touch-icon")) => Some(String::new()),
            ("link", Some("icon")) => {
                let href = t.attr("href").unwrap_or("");
                let mime = crate::server::mime(Path::new(href)).split(';').next().unwrap().to_string();
                Some(format!(r#"<link rel="icon" href="data:{mime};base64,{}">"#, b64(&read(href)?)))
            }
            ("script", _) if t.attr("src") == boot_tag.attr("src") => {
                Some(format!("<script type=\"module\">{script}</script>"))
            }
            ("script", _) => return Err(format!("dist/index.html: unexpected <script> {:?}", t.attrs)),
            ("link", Some(rel)) => return Err(format!("dist/index.html: unexpected <link rel={rel}>")),
            _ => None,
        })
    };
    let mut out = String::with_capacity(html.len() + script.len() + style.len());
    let mut pos = 0;
    for t in &all {
        if let Some(new) = replace(t)? {
            out.push_str(&html[pos..t.start]);
            out.push_str(&new);
            pos = t.end;
        }
    }
    out.push_str(&html[pos..]);
    let out = insert_after_charset(&out, &csp_meta(&policy(&script, &style)))?;
    let problems = csp_problems(&out, true)?;
    if !problems.is_empty() {
        return Err(format!("the single file breaks its CSP: {}", problems.join("; ")));
    }

    let path = out_path(dist);
    let dir = path.parent().unwrap();
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // A build product: keep it out of git without touching the repository's .gitignore.
    fs::write(dir.join(".gitignore"), "# Written by `cargo xtask dist`: a build product.\n*\n")
        .map_err(|e| e.to_string())?;
    fs::write(&path, &out).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Single { path, bytes: out.len() as u64, gzip: crate::dist::gzip_len(out.as_bytes()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_init_function_minified_or_not() {
        let js = "export class A {\n}\nexport function f() {}\nlet wasm;\nasync function __wbg_init(m) {}\n\
                  export { initSync, __wbg_init as default };\n";
        assert_eq!(default_export(js).unwrap(), "__wbg_init");
        assert_eq!(default_export("export class A{}function z(){}export{q as initSync,z as default};").unwrap(), "z");
        assert!(default_export("import { x } from './snippets/a.js';\nexport { a as default };\n").is_err());
        assert!(default_export("export function f() {}\n").is_err());
        assert!(default_export("export { f };\n").is_err());
    }

    #[test]
    fn policy_hashes_both_blocks_and_allows_nothing_inline() {
        let p = policy("alert(1)", "p{}");
        assert!(
            p.contains("script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=' 'wasm-unsafe-eval'"),
            "{p}"
        );
        assert!(p.starts_with("default-src 'none';"));
        assert!(!p.contains("unsafe-inline") && !p.contains("'self'"), "{p}");
    }
}
