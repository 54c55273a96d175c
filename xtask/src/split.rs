//! `cargo xtask split-wasm`, part of Trunk's post-build hook (`cargo xtask post-build`): splits the app's
//! WebAssembly at its split points (`#[wasm_split(..)]`: the story panel) into the page's module
//! and modules loaded on demand, then runs wasm-bindgen and wasm-opt as Trunk did.
//!
//! Trunk 0.21 runs wasm-bindgen and wasm-opt on cargo's output itself, with no step between
//! them; a split has to come before wasm-bindgen (it needs the linker's relocations, which
//! `build.rs` asks for with `--emit-relocs`). So this hook starts again from cargo's output:
//!
//! 1. `wasm_split_cli_support` splits it: the main module, one module per split point
//!    (`split_<name>.wasm`) and the JavaScript that loads them (imported by the main module);
//! 2. wasm-bindgen (the version Trunk runs) makes the main module's glue, under Trunk's name for
//!    it, keeping the table and globals the split modules share (`--keep-lld-exports`);
//! 3. in a release build, wasm-opt `-Oz` optimises every module, as Trunk's `data-wasm-opt="z"`;
//! 4. the split modules and their loader are named by their contents' hash
//!    (`split_story_panel-<hash>.wasm`, `split-<hash>.js`), so they may be cached for ever like
//!    Trunk's files, and the page's `modulepreload` of the glue gets the new glue's integrity.
//!
//! The files replace Trunk's in its staging folder; `cargo xtask dist` then minifies the glue
//! and the loader, lists every file for the service worker and inlines them in the single file.

use crate::offline::{sha256_hex, sha384_b64};
use crate::util::{root, run, Res};
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate's binary, as cargo names its output.
const BIN: &str = "pakru-atlas";
/// The loader's name before it is hashed, as the main module imports it.
const LINK_NAME: &str = "./split.js";
/// The features the app's WebAssembly uses (Rust 1.95's defaults for wasm32), for wasm-opt.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];
/// The prefix of every file this step writes (and of nothing Trunk writes).
pub const PREFIX: &str = "split";

/// What the split wrote.
pub struct Split {
    /// (file name, bytes) of each module loaded on demand.
    pub modules: Vec<(String, u64)>,
    pub main_bytes: u64,
}

/// `cargo xtask split-wasm [STAGING]` (default: Trunk's `TRUNK_STAGING_DIR`).
pub fn cmd_split(args: &[String]) -> Res {
    let staging = match args.first() {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(
            std::env::var("TRUNK_STAGING_DIR").map_err(|_| "split-wasm: give a folder, or run as a Trunk hook")?,
        ),
    };
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p != "debug");
    let input = cargo_output(release);
    let s = split(&staging, &input, release)?;
    println!(
        "split {}: page's module {} bytes; on demand: {}",
        input.display(),
        s.main_bytes,
        s.modules.iter().map(|(n, b)| format!("{n} {b} bytes")).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// cargo's output for the web target: `$CARGO_TARGET_DIR` (else `target/`)
/// `/wasm32-unknown-unknown/{release,debug}/pakru-atlas.wasm`.
fn cargo_output(release: bool) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    target.join("wasm32-unknown-unknown").join(if release { "release" } else { "debug" }).join(format!("{BIN}.wasm"))
}

/// Trunk's name for the glue in `staging`: `pakru-atlas-<hash>` (without `.js`).
fn glue_stem(staging: &Path) -> Res<String> {
    let mut found = Vec::new();
    for e in fs::read_dir(staging).map_err(|e| format!("{}: {e}", staging.display()))? {
        let name = e.map_err(|e| e.to_string())?.file_name().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix("_bg.wasm").filter(|s| s.starts_with(&format!("{BIN}-"))) {
            found.push(stem.to_string());
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("{}: expected one {BIN}-<hash>_bg.wasm from Trunk, found {found:?}", staging.display())),
    }
}

/// Splits `input` (cargo's output) into `staging`, replacing Trunk's glue and module.
pub fn split(staging: &Path, input: &Path, release: bool) -> Res<Split> {
    let stem = glue_stem(staging)?;
    let wasm = fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let work = staging.join(".split");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let main_in = work.join("main.wasm");
    let main_module = format!("./{stem}.js");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = &work;
    opts.main_out_path = &main_in;
    opts.link_name = LINK_NAME;
    opts.main_module = &main_module;
    let out = wasm_split_cli_support::transform(opts).map_err(|e| format!("splitting {}: {e:#}", input.display()))?;

    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--out-name", &stem, "--out-dir"])
        .arg(&work)
        .arg(&main_in))?;
    let glue_path = work.join(format!("{stem}.js"));
    let glue = fs::read_to_string(&glue_path).map_err(|e| format!("{}: {e}", glue_path.display()))?;
    let main_path = staging.join(format!("{stem}_bg.wasm"));
    optimise(&work.join(format!("{stem}_bg.wasm")), &main_path, release)?;

    // The modules loaded on demand, named by their contents.
    let loader = fs::read_to_string(work.join(LINK_NAME)).map_err(|e| format!("{LINK_NAME}: {e}"))?;
    let mut loader = without_cycle(&without_streaming(&loader)?, &main_module)?;
    let mut modules = Vec::new();
    for m in &out.split_modules {
        let file = m.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        let Some(name) = file.strip_suffix(".wasm") else { continue };
        let tmp = work.join(format!("{name}.opt.wasm"));
        optimise(m, &tmp, release)?;
        let bytes = fs::read(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        let hashed = format!("{name}-{}.wasm", &sha256_hex(&bytes)[..16]);
        let quoted = format!("\"./{file}\"");
        if !loader.contains(&quoted) {
            return Err(format!("the split loader does not name {file}"));
        }
        loader = loader.replace(&quoted, &format!("\"./{hashed}\""));
        fs::write(staging.join(&hashed), &bytes).map_err(|e| format!("{hashed}: {e}"))?;
        modules.push((hashed, bytes.len() as u64));
    }
    let loader_name = format!("{PREFIX}-{}.js", &sha256_hex(loader.as_bytes())[..16]);
    fs::write(staging.join(&loader_name), &loader).map_err(|e| format!("{loader_name}: {e}"))?;
    // The import statements only (wasm-bindgen writes one per split module): the imports
    // object keeps the module's name for it.
    let import = format!("from \"{LINK_NAME}\"");
    if !glue.contains(&import) {
        return Err(format!("wasm-bindgen's glue does not import {LINK_NAME}"));
    }
    let glue = glue.replace(&import, &format!("from \"./{loader_name}\""));
    fs::write(staging.join(format!("{stem}.js")), &glue).map_err(|e| format!("{stem}.js: {e}"))?;

    // The page preloads the glue with Trunk's integrity for Trunk's glue.
    let index = staging.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    fs::write(&index, with_integrity(&html, &format!("./{stem}.js"), &glue, &format!("./{loader_name}"), &loader)?)
        .map_err(|e| format!("{}: {e}", index.display()))?;
    let _ = fs::remove_dir_all(&work);
    let main_bytes = fs::metadata(&main_path).map_err(|e| e.to_string())?.len();
    Ok(Split { modules, main_bytes })
}

/// How the loader instantiates a module as wasm-split writes it: compiled while it streams in,
/// which needs the server to send `Content-Type: application/wasm`.
const STREAMING: &str = "WebAssembly.instantiateStreaming(src, imports)";
/// … and as the atlas does it: from the whole body, whatever the type a server gives a `.wasm`
/// (wasm-bindgen's own loader falls back so too), and a failed response said as such.
const FROM_BYTES: &str = "src.then((r) => { if (!r.ok) throw new Error(`${r.url}: HTTP ${r.status}`); \
return r.arrayBuffer(); }).then((b) => WebAssembly.instantiate(b, imports))";

/// The loader with every module instantiated from its bytes ([`FROM_BYTES`]).
fn without_streaming(loader: &str) -> Res<String> {
    if !loader.contains(STREAMING) {
        return Err(format!("the split loader no longer instantiates as `{STREAMING}`: see split.rs"));
    }
    Ok(loader.replace(STREAMING, FROM_BYTES))
}

/// The loader's static import of the glue (for `initSync`, which hands it the main module's
/// memory, table and globals), as wasm-split writes it.
fn static_import(glue: &str) -> String {
    format!("import {{ initSync }} from \"{glue}\";\n")
}

/// The glue imports the loader, and wasm-split's loader imports the glue back: a cycle of two
/// modules, which the browser has to resolve before either runs, each of them preloaded. The
/// loader needs the glue only once a module is asked for, by then long loaded: so it imports
/// it then (`import()` of a module already there resolves at once), and the page's module
/// graph is a tree. Every rewrite must find what it rewrites: a new wasm-split's loader of
/// another form is refused, not half rewritten.
fn without_cycle(loader: &str, glue: &str) -> Res<String> {
    let rewrites = [
        (
            static_import(glue),
            format!(
                "let initSync;\n// The glue, imported when a module is first asked for (see xtask/src/split.rs).\n\
                 const mainModule = () => initSync ? Promise.resolve() : import(\"{glue}\").then((m) => {{ initSync = m.initSync; }});\n"
            ),
        ),
        // Every load starts by making sure of it (the callback below needs it, even after a
        // failure).
        (
            "    return async (callbackIndex, callbackData) => {\n".to_string(),
            "    return async (callbackIndex, callbackData) => {\n        await mainModule();\n".to_string(),
        ),
    ];
    let mut out = loader.to_string();
    for (from, to) in rewrites {
        if out.matches(&from).count() != 1 {
            return Err(format!("the split loader has not one `{}`: see split.rs", from.trim()));
        }
        out = out.replace(&from, &to);
    }
    Ok(out)
}

/// wasm-opt `-Oz` from `from` to `to` in a release build, else a copy.
fn optimise(from: &Path, to: &Path, release: bool) -> Res {
    if !release {
        return fs::copy(from, to).map(|_| ()).map_err(|e| format!("{}: {e}", from.display()));
    }
    run(Command::new("wasm-opt").arg("-Oz").args(WASM_FEATURES).arg(from).arg("-o").arg(to))
}

/// `html` with the integrity of the `modulepreload` of `href` set to that of `js`, and a
/// `modulepreload` of `loader` (with `loader_js`'s integrity) after it: the glue imports the
/// loader, which is then fetched beside the glue rather than after it.
pub fn with_integrity(html: &str, href: &str, js: &str, loader: &str, loader_js: &str) -> Res<String> {
    let value = format!("sha384-{}", sha384_b64(js.as_bytes()));
    let preload = format!(
        r#"<link crossorigin href="{loader}" integrity="sha384-{}" rel="modulepreload">"#,
        sha384_b64(loader_js.as_bytes())
    );
    let mut found = false;
    let found_ref = &mut found;
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!("link[rel=modulepreload]", |el| {
            if el.get_attribute("href").as_deref() == Some(href) {
                *found_ref = true;
                if el.has_attribute("integrity") {
                    el.set_attribute("integrity", &value)?;
                }
                el.after(&preload, ContentType::Html);
            }
            Ok(())
        }));
    let out = rewrite_str(html, settings).map_err(|e| format!("index.html: {e}"))?;
    if !found {
        return Err(format!("index.html has no <link rel=modulepreload href={href}>"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_imports_the_glue_when_a_module_is_asked_for_not_before() {
        let loader = "import { initSync } from \"./g-1.js\";\nfunction wrapAsyncCb(callee) {\n    \
                      return async (callbackIndex, callbackData) => {\n        let success;\n    }\n}\n";
        let out = without_cycle(loader, "./g-1.js").unwrap();
        assert!(!out.contains("import {"), "no static import: {out}");
        assert!(out.contains("import(\"./g-1.js\")"), "a dynamic one: {out}");
        assert!(out.contains("=> {\n        await mainModule();\n        let success;"), "awaited first: {out}");
        assert!(without_cycle(loader, "./other.js").is_err(), "another glue's import is not rewritten");
        assert!(without_cycle("export const x = 1;", "./g-1.js").is_err(), "a loader of another form is refused");
    }

    #[test]
    fn modules_are_instantiated_from_their_bytes_whatever_their_type() {
        let loader = "const t = () => { const src = fetch(new URL(\"./a.wasm\", import.meta.url)); \
                      return async (imports) => (WebAssembly.instantiateStreaming(src, imports)); };";
        let out = without_streaming(loader).unwrap();
        assert!(!out.contains("instantiateStreaming"), "{out}");
        assert!(out.contains("WebAssembly.instantiate(b, imports)") && out.contains("r.arrayBuffer()"), "{out}");
        assert!(without_streaming("WebAssembly.instantiate(x)").is_err(), "a loader of another form is refused");
    }

    #[test]
    fn the_glue_preload_gets_the_new_integrity() {
        let html = "<head><link crossorigin href=./g-1.js integrity=sha384-old rel=modulepreload>\
                    <link href=./a.css integrity=sha384-css rel=stylesheet></head>";
        let out = with_integrity(html, "./g-1.js", "new glue", "./split-2.js", "loader").unwrap();
        let want = format!("sha384-{}", sha384_b64(b"new glue"));
        assert!(out.contains(&format!("integrity=\"{want}\"")), "{out}");
        let loader = format!(
            r#"<link crossorigin href="./split-2.js" integrity="sha384-{}" rel="modulepreload">"#,
            sha384_b64(b"loader")
        );
        assert!(
            out.contains(&format!("rel=modulepreload>{loader}<link href=./a.css")),
            "the loader's preload follows the glue's: {out}"
        );
        assert!(out.contains("sha384-css"), "other links are left alone: {out}");
        assert!(with_integrity(html, "./other.js", "x", "./s.js", "y").is_err(), "a missing preload is an error");
    }
}
