//! The single-file build: one HTML file with the CSS, the JavaScript and the WebAssembly (which
//! holds the data) inlined, that works opened straight from disk (file://), with no server.
//!
//! Made from the processed dist/: the stylesheet becomes a `<style>`; wasm-bindgen's module
//! (minified, as served) and a loader that decodes the base64 WebAssembly and passes the
//! bytes to `init({ module_or_path })` become one `<script type="module">`; the icon becomes a
//! data: URL; the manifest, preloads and service worker are left out. Its CSP is the served
//! one's equivalent, with the hashes of those two blocks instead of 'self' ([`policy`]).

use crate::offline::{b64, csp_meta, csp_problems, insert_after_charset, sha256_b64, tags};
use crate::util::Res;
use lol_html::html_content::{ContentType, Element};
use lol_html::{element, rewrite_str, RewriteStrSettings};
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
    crate::split::exported_as(js, "default")
        .ok_or_else(|| "wasm-bindgen's JS has no `export { … as default }` (its init function)".into())
}

/// wasm-bindgen's glue (with the split loader merged in: split.rs) with the modules it loads on
/// demand inlined: each `fetch(new URL("./NAME.wasm", import.meta.url))` reads NAME's bytes
/// from base64 in the script instead. A glue that fetches no module is returned as it is; one
/// whose `fetch` is of another form is refused.
pub fn inline_modules(glue: &str, read: &dyn Fn(&str) -> Res<Vec<u8>>) -> Res<String> {
    let mut out = glue.to_string();
    let mut modules = Vec::new();
    for quote in ["\"", "'"] {
        for sep in [",", ", "] {
            let open = format!("fetch(new URL({quote}./");
            let tail = format!("{quote}{sep}import.meta.url))");
            let mut from = 0;
            while let Some(at) = out[from..].find(&open).map(|i| from + i) {
                let name_at = at + open.len();
                let name_end = name_at + out[name_at..].find(quote).ok_or("an unterminated module name")?;
                if !out[name_end..].starts_with(&tail) {
                    from = name_end;
                    continue;
                }
                let name = out[name_at..name_end].to_string();
                let call = format!("__inlineWasm({})", serde_json::to_string(&name).unwrap_or_default());
                out.replace_range(at..name_end + tail.len(), &call);
                from = at + call.len();
                modules.push(name);
            }
        }
    }
    if modules.is_empty() {
        return Ok(out);
    }
    if out.contains("fetch(new URL(") {
        return Err("wasm-bindgen's JS fetches a module in a way the single file cannot inline".into());
    }
    let mut table = String::new();
    for m in &modules {
        table.push_str(&format!("{}:\"{}\",", serde_json::to_string(m).unwrap_or_default(), b64(&read(m)?)));
    }
    Ok(format!(
        "{out}\n// The modules loaded on demand, inlined by `cargo xtask dist`.\n\
         const __splitModules={{{table}}};\n\
         function __inlineWasm(name){{const t=__splitModules[name];\
         const b=typeof Uint8Array.fromBase64==='function'?Uint8Array.fromBase64(t):Uint8Array.from(atob(t),(c)=>c.charCodeAt(0));\
         return Promise.resolve(new Response(b));}}\n"
    ))
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
    let glue = href_of("modulepreload", ".js")?;
    let module = inline_modules(&read_text(glue)?, &|name| read(name))?;
    let init = default_export(&module)?;
    // wasm-bindgen names the wasm after its glue (the page no longer preloads it).
    let wasm = read(&format!("{}_bg.wasm", glue.trim_end_matches(".js")))?;

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

    // Rebuild the document: each element replaced, kept or dropped.
    let boot_src = boot_tag.attr("src").unwrap_or("").to_string();
    let inline_script = format!("<script type=\"module\">{script}</script>");
    let inline_style = format!("<style>{style}</style>");
    let link = |el: &mut Element| -> Res<()> {
        match el.get_attribute("rel").as_deref() {
            Some("stylesheet") => el.replace(&inline_style, ContentType::Html),
            Some("modulepreload" | "preload" | "manifest" | "apple-touch-icon") => el.remove(),
            Some("icon") => {
                let href = el.get_attribute("href").unwrap_or_default();
                let mime = crate::server::mime(Path::new(&href)).split(';').next().unwrap_or("").to_string();
                let data = b64(&read(&href)?);
                el.replace(&format!(r#"<link rel="icon" href="data:{mime};base64,{data}">"#), ContentType::Html);
            }
            Some(rel) => return Err(format!("dist/index.html: unexpected <link rel={rel}>")),
            None => {}
        }
        Ok(())
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("meta[http-equiv]", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("link", |el| Ok(link(el)?)))
        .append_element_content_handler(element!("script", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            if src == boot_src {
                el.replace(&inline_script, ContentType::Html);
                Ok(())
            } else if src.is_empty() && el.get_attribute("type").as_deref() == Some(crate::offline::DATA_BLOCK_TYPE) {
                // The page's data block (the dataset), kept as it is.
                Ok(())
            } else if local(&src) == crate::offline::PRE_SCRIPT {
                // Opened from disk, the single file shows its first view until the app starts.
                el.remove();
                Ok(())
            } else {
                let attrs: Vec<(String, String)> = el.attributes().iter().map(|a| (a.name(), a.value())).collect();
                Err(format!("dist/index.html: unexpected <script> {attrs:?}").into())
            }
        }));
    let mut out = rewrite_str(&html, settings).map_err(|e| e.to_string())?;
    // The story's file, inline: a data block (never run), which the app reads instead of
    // fetching story.bin.
    if let Ok(story) = fs::read(dist.join(crate::checkdata::STORY_FILE)) {
        let block = crate::offline::data_block("story-data", &b64(&story));
        let at = out.rfind("</body>").ok_or("dist/index.html has no </body>")?;
        out.insert_str(at, &block);
    }
    // And each language's file, read instead of fetching lang-<lang>-<hash>.bin.
    for name in crate::offline::bundle_files(dist)? {
        if let Some(lang) = crate::checkdata::lang_file_lang(&name) {
            let bytes = fs::read(dist.join(&name)).map_err(|e| format!("{name}: {e}"))?;
            let block = crate::offline::data_block(&format!("lang-{lang}-data"), &b64(&bytes));
            let at = out.rfind("</body>").ok_or("dist/index.html has no </body>")?;
            out.insert_str(at, &block);
        }
    }
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
    Ok(Single { path, bytes: out.len() as u64, gzip: crate::util::gzip_len(out.as_bytes()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glue with the split loader merged in (split.rs), minified by terser.
    const GLUE: &str = "let w;function q(){return w}const n=function(i){const a=()=>{const t=fetch(new URL(\"./split_story-00aa.wasm\",\
                        import.meta.url));return t};return{__wasm_split_load_story:a}}(q);async function z(m){w=m}\
                        export{q as initSync,z as default};";

    #[test]
    fn the_modules_loaded_on_demand_are_inlined() {
        let read = |name: &str| -> Res<Vec<u8>> {
            match name {
                "split_story-00aa.wasm" => Ok(vec![0, 97, 115, 109, 1, 0, 0, 0]),
                other => Err(format!("read {other}")),
            }
        };
        let out = inline_modules(GLUE, &read).unwrap();
        assert!(!out.contains("fetch("), "no fetch is left: {out}");
        assert!(out.contains("\"split_story-00aa.wasm\":\"AGFzbQEAAAA=\""), "the module as base64: {out}");
        assert!(out.contains("const t=__inlineWasm(\"split_story-00aa.wasm\");"), "{out}");
        assert_eq!(default_export(&out).unwrap(), "z", "and the result can be inlined");
        // Run it: the module's bytes come back from the inlined base64.
        let js = format!(
            "{}\nconst r=await n.__wasm_split_load_story();console.log(new Uint8Array(await r.arrayBuffer()).join(','))",
            out.replace("export{q as initSync,z as default};", "")
        );
        let ran = std::process::Command::new("node").args(["--input-type=module", "-e", &js]).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout).trim(),
            "0,97,115,109,1,0,0,0",
            "{}",
            String::from_utf8_lossy(&ran.stderr)
        );
    }

    #[test]
    fn a_glue_without_modules_is_unchanged_and_odd_fetches_are_refused() {
        let glue = "let w;function q(){}export{q as initSync,z as default};";
        assert_eq!(inline_modules(glue, &|_| Err("not read".into())).unwrap(), glue);
        let odd = format!("{GLUE}fetch(new URL(x,import.meta.url));");
        assert!(inline_modules(&odd, &|_| Ok(vec![0])).is_err(), "a fetch it cannot inline");
        assert!(inline_modules(GLUE, &|_| Err("gone".into())).is_err(), "a module that cannot be read");
    }

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

    /// A processed dist/ (as `crate::offline::postprocess` leaves it) in a folder of its own.
    fn processed_dist(name: &str, extra_head: &str) -> PathBuf {
        let base = std::env::temp_dir().join(format!("xtask-single-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let dist = base.join("dist");
        fs::create_dir_all(&dist).unwrap();
        let index = format!(
            "<!doctype html><html lang=en><head><meta charset=utf-8>\n  \
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">\
             <meta content=\"width=device-width, initial-scale=1\" name=viewport><title>Atlas</title>\
             <link href=manifest.webmanifest rel=manifest><link href=icon.svg rel=icon type=image/svg+xml>\
             <link href=icon-192.png rel=apple-touch-icon><link href=./main-1a2b.css integrity=sha384-css rel=stylesheet>\
             <link crossorigin=anonymous href=./glue-9f.js integrity=sha384-glue rel=modulepreload>\
             <link as=fetch crossorigin=anonymous href=./glue-9f_bg.wasm integrity=sha384-wasm rel=preload type=application/wasm>\
             <script type=\"module\" src=\"./boot-0123.js\" integrity=\"sha384-boot\"></script>{extra_head}\
             </head><body><noscript>This atlas needs JavaScript.</noscript><p class=x>hi</p></body></html>"
        );
        fs::write(dist.join("index.html"), index).unwrap();
        fs::write(dist.join("main-1a2b.css"), "  body{margin:0}\n").unwrap();
        fs::write(
            dist.join("glue-9f.js"),
            "let w;async function z(m){w=m}function q(){}export{q as initSync,z as default};",
        )
        .unwrap();
        fs::write(dist.join("glue-9f_bg.wasm"), [0u8, 97, 115, 109, 1, 0, 0, 0]).unwrap();
        fs::write(dist.join("icon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        fs::write(dist.join("boot-0123.js"), "import init from './glue-9f.js';await init();").unwrap();
        dist
    }

    #[test]
    fn inlines_everything_into_one_file() {
        let dist = processed_dist("ok", "");
        let single = build(&dist).unwrap();
        assert_eq!(single.path, dist.parent().unwrap().join("dist-single").join(NAME));
        let out = fs::read_to_string(&single.path).unwrap();
        assert_eq!(single.bytes, out.len() as u64);
        assert_eq!(single.gzip, crate::util::gzip_len(out.as_bytes()));
        let t = tags(&out).unwrap();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        // The served CSP, manifest, preloads and boot script are gone; a CSP of its own first.
        assert_eq!(
            names,
            ["html", "head", "meta", "meta", "meta", "title", "link", "style", "script", "body", "noscript", "p"]
        );
        assert_eq!(t[3].attr("http-equiv"), Some("Content-Security-Policy"));
        let (style, script) = (t[7].content.clone().unwrap(), t[8].content.clone().unwrap());
        assert_eq!(style, "\nbody{margin:0}\n");
        assert_eq!(t[3].attr("content"), Some(policy(&script, &style).as_str()));
        assert_eq!(t[8].attr("type"), Some("module"));
        assert!(script.starts_with("let w;async function z(m){w=m}"), "{script}");
        assert!(script.contains("const base64 = \"AGFzbQEAAAA=\";"), "the wasm as base64");
        assert!(script.contains("await z({ module_or_path: bytes })"), "calls the init function");
        let icon = format!("data:image/svg+xml;base64,{}", b64(&fs::read(dist.join("icon.svg")).unwrap()));
        assert_eq!((t[6].attr("rel"), t[6].attr("href")), (Some("icon"), Some(icon.as_str())));
        assert!(out.contains("<p class=x>hi</p>"), "the rest as it was");
        assert!(csp_problems(&out, true).unwrap().is_empty());
        fs::remove_dir_all(dist.parent().unwrap()).unwrap();
    }

    #[test]
    fn refuses_what_it_cannot_inline() {
        let dist = processed_dist("script", "<script src=\"./other.js\"></script>");
        let e = build(&dist).err().unwrap();
        assert!(e.contains("unexpected <script>") && e.contains("./other.js"), "{e}");
        let dist = processed_dist("link", "<link rel=prefetch href=./x.js>");
        let e = build(&dist).err().unwrap();
        assert!(e.contains("unexpected <link rel=prefetch>"), "{e}");
        let dist = processed_dist("css", "");
        fs::write(dist.join("main-1a2b.css"), "p::after{content:'</style>'}").unwrap();
        assert!(build(&dist).err().unwrap().starts_with("cannot inline"));
        fs::remove_dir_all(dist.parent().unwrap()).unwrap();
        for name in ["script", "link"] {
            let _ =
                fs::remove_dir_all(std::env::temp_dir().join(format!("xtask-single-{name}-{}", std::process::id())));
        }
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
