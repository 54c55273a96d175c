//! `cargo xtask split-wasm`, part of Trunk's post-build hook (`cargo xtask post-build`): splits
//! the app's WebAssembly at its split points (`#[wasm_split(..)]`: the story, the downloads)
//! into the page's module and modules loaded on demand, then runs wasm-bindgen and wasm-opt as
//! Trunk did.
//!
//! Trunk 0.21 runs wasm-bindgen and wasm-opt on cargo's output itself, with no step between
//! them; a split has to come before wasm-bindgen (it needs the linker's relocations, which
//! `build.rs` asks for with `--emit-relocs`). So this hook starts again from cargo's output:
//!
//! 1. `wasm_split_cli_support` splits it: the main module, one module per split point
//!    (`split_<name>.wasm`), modules of the code they share (`chunk_<n>.wasm`) and the
//!    JavaScript that loads them, which the main module imports;
//! 2. wasm-bindgen (the version Trunk runs) makes the main module's glue, under Trunk's name for
//!    it, keeping the table and globals the split modules share (`--keep-lld-exports`);
//! 3. the glue's imports get names of one or two letters in the module and the glue, and the
//!    classes the glue exports for other JavaScript, which the page has none of, go with the
//!    module's exports they call, and an import that only calls a function of `Math` becomes
//!    that function ([`crate::imports`]);
//! 4. in a release build, wasm-opt `-Oz` optimises every module, as Trunk's `data-wasm-opt="z"`
//!    but run until it converges, and drops the sections for tools;
//! 5. the modules loaded on demand are named by their contents' hash (`split_story-<hash>.wasm`),
//!    so they may be cached for ever like Trunk's files; the loader is merged into the glue
//!    ([`merge_loader`]), whose `modulepreload` gets the new glue's integrity; the glue and the
//!    page's module are named again by their contents ([`renamed_stem`]), not by Trunk's hash
//!    of cargo's output, which a change of this hook alone would leave as it was.
//!
//! The files replace Trunk's in its staging folder; `cargo xtask dist` then minifies the glue,
//! lists every file for the service worker and inlines the modules in the single file.

use crate::offline::{sha256_hex, sha384_b64};
use crate::util::{root, run, Res};
use lol_html::{element, rewrite_str, RewriteStrSettings};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate's binary, as cargo names its output.
const BIN: &str = "pakru-atlas";
/// The loader's name as the main module imports it (it is then merged into the glue).
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
    let bound = work.join(format!("{stem}_bg.wasm"));
    let bytes = fs::read(&bound).map_err(|e| format!("{}: {e}", bound.display()))?;
    let (bytes, glue, _) = crate::imports::drop_unused_classes(&bytes, &glue)?;
    let (bytes, glue) = crate::imports::shorten(&bytes, &glue, &format!("./{stem}_bg.js"))?;
    let glue = crate::imports::direct_math(&glue)?;
    fs::write(&bound, bytes).map_err(|e| format!("{}: {e}", bound.display()))?;
    let main_path = staging.join(format!("{stem}_bg.wasm"));
    optimise(&bound, &main_path, release)?;

    // The modules loaded on demand, named by their contents.
    let loader = fs::read_to_string(work.join(LINK_NAME)).map_err(|e| format!("{LINK_NAME}: {e}"))?;
    let mut loader = without_streaming(&loader)?;
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
    // One module for the glue and the loader: no request more, nothing to preload, no cycle.
    let glue = merge_loader(&glue, &loader, &main_module)?;

    // Trunk named the glue and the module by a hash of its own output, which is cargo's: a
    // change of this hook alone would keep their names. Named again by what they now hold.
    let main = fs::read(&main_path).map_err(|e| format!("{}: {e}", main_path.display()))?;
    let new_stem = renamed_stem(&main, &glue);
    let glue = glue.replace(&stem, &new_stem);
    let _ = fs::remove_file(&main_path);
    let _ = fs::remove_file(staging.join(format!("{stem}.js")));
    let main_path = staging.join(format!("{new_stem}_bg.wasm"));
    fs::write(&main_path, &main).map_err(|e| format!("{}: {e}", main_path.display()))?;
    fs::write(staging.join(format!("{new_stem}.js")), &glue).map_err(|e| format!("{new_stem}.js: {e}"))?;

    // The page names the new files and preloads the glue with the new glue's integrity.
    let index = staging.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    if !html.contains(&format!("./{stem}.js")) {
        return Err(format!("{}: Trunk's page does not name ./{stem}.js", index.display()));
    }
    let html = html.replace(&stem, &new_stem);
    fs::write(&index, with_integrity(&html, &format!("./{new_stem}.js"), &glue)?)
        .map_err(|e| format!("{}: {e}", index.display()))?;
    let _ = fs::remove_dir_all(&work);
    let main_bytes = fs::metadata(&main_path).map_err(|e| e.to_string())?.len();
    Ok(Split { modules, main_bytes })
}

/// The name of the page's module and glue (without `_bg.wasm`, `.js`): the crate's and a hash of
/// both.
fn renamed_stem(main: &[u8], glue: &str) -> String {
    let mut both = main.to_vec();
    both.extend_from_slice(glue.as_bytes());
    format!("{BIN}-{}", &sha256_hex(&both)[..16])
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

/// The loader's import of the glue (for `initSync`, which hands it the main module's memory,
/// table and globals), as wasm-split writes it.
fn static_import(glue: &str) -> String {
    format!("import {{ initSync }} from \"{glue}\";\n")
}

/// `(start, end)` of each `import * as NAME from "{path}"` statement in `js` (with its `;`, if
/// any, and line end), and each NAME.
fn namespace_imports(js: &str, path: &str) -> Res<Vec<(usize, usize, String)>> {
    let from = format!(" from \"{path}\"");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = js[at..].find(&from).map(|i| at + i) {
        // The statement's start: its `import` (not one inside the name, as in `import1`).
        let start = js[..i]
            .rfind("import ")
            .max(js[..i].rfind("import*"))
            .ok_or_else(|| format!("`{from}` without its import"))?;
        let name = js[start..i]
            .strip_prefix("import")
            .and_then(|r| r.trim().strip_prefix('*'))
            .and_then(|r| r.trim().strip_prefix("as "))
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$'))
            .ok_or_else(|| format!("the glue imports {path} as `{}`, not as a namespace", &js[start..i]))?;
        let mut end = i + from.len();
        end += js[end..].chars().take_while(|c| matches!(c, ';' | '\n')).count();
        out.push((start, end, name.to_string()));
        at = end;
    }
    Ok(out)
}

/// The local name that `js`'s `export { … }` clause exports as `name` (`x as name`, or `name`).
pub fn exported_as(js: &str, name: &str) -> Option<String> {
    let a = js.rfind("export{").or_else(|| js.rfind("export {"))?;
    let clause = &js[a + "export".len()..a + js[a..].find('}')?];
    clause.trim_start_matches([' ', '{']).split(',').find_map(|item| {
        let item = item.trim();
        match item.split_once(" as ") {
            Some((local, n)) if n.trim() == name => Some(local.trim().to_string()),
            None if item == name => Some(item.to_string()),
            _ => None,
        }
    })
}

/// wasm-bindgen's glue (`glue_path` its name) with wasm-split's loader merged in. The glue
/// imports the loader as a namespace (once per split module) and the loader imports the glue's
/// `initSync` back: two modules in a cycle, the second fetched only once the first has arrived
/// (and seen, in 4 test runs of 8, a browser that never finished fetching it). Merged, the
/// namespace is a constant built by the loader's code in a function of its own (its names
/// cannot meet the glue's) that is handed the glue's `initSync`; each module it loads is still
/// fetched beside the glue (`import.meta.url`). Every rewrite must find what it rewrites: a
/// loader of another form is refused, not half rewritten.
pub fn merge_loader(glue: &str, loader: &str, glue_path: &str) -> Res<String> {
    let imports = namespace_imports(glue, LINK_NAME)?;
    let Some((_, _, namespace)) = imports.first() else {
        return Err(format!("wasm-bindgen's glue does not import {LINK_NAME}"));
    };
    let init_sync = exported_as(glue, "initSync").ok_or("wasm-bindgen's glue exports no initSync")?;
    let mut merged = glue.to_string();
    for (start, end, _) in imports.iter().rev() {
        merged.replace_range(start..end, "");
    }
    let import = static_import(glue_path);
    if loader.matches(&import).count() != 1 {
        return Err(format!("the split loader has not one `{}`", import.trim()));
    }
    let mut loader = loader.replace(&import, "const initSync = __glueInitSync;\n");
    let mut names = Vec::new();
    while let Some(at) = loader.find("export const ") {
        loader.replace_range(at..at + "export ".len(), "");
        let rest = &loader[at + "const ".len()..];
        names.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect::<String>());
    }
    if names.is_empty() || loader.contains("export") || loader.contains("import ") {
        return Err("the split loader: expected its exports as `export const NAME =` and no other import".into());
    }
    let aliases: String = imports[1..].iter().map(|(_, _, n)| format!("const {n} = {namespace};\n")).collect();
    Ok(format!(
        "{merged}\n// wasm-split's loader of the modules loaded on demand (see xtask/src/split.rs).\n\
         const {namespace} = (function (__glueInitSync) {{\n{loader}\nreturn {{ {} }};\n}})({init_sync});\n{aliases}",
        names.join(", ")
    ))
}

/// wasm-opt's passes for a release build: `-Oz` until it finds nothing more to take out (the
/// page's module: −378 bytes against one `-Oz`), and without the `producers` and
/// `target_features` sections (the compilers' names and versions and the features used, for
/// tools; a browser reads neither): −0.5 KiB brotli and gzip of the first visit in all.
const WASM_OPT: [&str; 4] = ["-Oz", "--converge", "--strip-producers", "--strip-target-features"];

/// wasm-opt ([`WASM_OPT`]) from `from` to `to` in a release build, else a copy.
fn optimise(from: &Path, to: &Path, release: bool) -> Res {
    if !release {
        return fs::copy(from, to).map(|_| ()).map_err(|e| format!("{}: {e}", from.display()));
    }
    run(Command::new("wasm-opt").args(WASM_OPT).args(WASM_FEATURES).arg(from).arg("-o").arg(to))
}

/// `html` with the integrity of the `modulepreload` of `href` set to that of `js`.
pub fn with_integrity(html: &str, href: &str, js: &str) -> Res<String> {
    let value = format!("sha384-{}", sha384_b64(js.as_bytes()));
    let mut found = false;
    let found_ref = &mut found;
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!("link[rel=modulepreload]", |el| {
            if el.get_attribute("href").as_deref() == Some(href) {
                *found_ref = true;
                if el.has_attribute("integrity") {
                    el.set_attribute("integrity", &value)?;
                }
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

    /// A glue and a loader as wasm-bindgen 0.2.130 and wasm-split 0.2.4 write them.
    const GLUE: &str = "import * as import1 from \"./split.js\"\nimport * as import2 from \"./split.js\"\n\
                        let wasm;\nfunction __wbg_get_imports() {\n    return { \"./split.js\": import1, \"./split.js\": import2 };\n}\n\
                        function initSync(module) {\n    return wasm;\n}\nasync function __wbg_init(m) {}\n\
                        export { initSync, __wbg_init as default };\n";
    const LOADER: &str = "import { initSync } from \"./g-1.js\";\n\nlet sharedImports = undefined;\n\
                          function getSharedImports() {\n    return initSync(undefined, undefined);\n}\n\
                          export const __wasm_split_load_story = () => fetch(new URL(\"./split_story-0a.wasm\", import.meta.url));\n";

    #[test]
    fn the_loader_is_merged_into_the_glue() {
        let out = merge_loader(GLUE, LOADER, "./g-1.js").unwrap();
        assert!(!out.contains("import *") && !out.contains("import {"), "no import is left: {out}");
        assert!(!out.contains("export const"), "the loader's exports are the namespace's: {out}");
        assert!(out.contains("const initSync = __glueInitSync;"), "the loader gets the glue's initSync: {out}");
        assert!(out.contains("})(initSync);"), "{out}");
        assert!(out.contains("const import1 = (function (__glueInitSync) {"), "{out}");
        assert!(out.contains("return { __wasm_split_load_story };"), "{out}");
        assert!(out.contains("const import2 = import1;"), "each namespace the glue names is the loader's: {out}");
        assert!(
            out.contains("{ \"./split.js\": import1, \"./split.js\": import2 }"),
            "the imports object is untouched: {out}"
        );
        assert!(
            out.contains("fetch(new URL(\"./split_story-0a.wasm\", import.meta.url))"),
            "modules fetched beside the glue: {out}"
        );
        // It runs: the namespace holds the loader's export.
        let js = format!(
            "{}\nconsole.log(typeof import2.__wasm_split_load_story)",
            out.replace("export { initSync, __wbg_init as default };", "")
        );
        let ran = Command::new("node").args(["--input-type=module", "-e", &js]).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&ran.stdout).trim(), "function", "{}", String::from_utf8_lossy(&ran.stderr));
    }

    #[test]
    fn loaders_and_glues_of_another_form_are_refused() {
        assert!(merge_loader("let a;export{a as initSync};", LOADER, "./g-1.js").is_err(), "a glue without the import");
        assert!(merge_loader(GLUE, LOADER, "./other.js").is_err(), "a loader importing another glue");
        assert!(merge_loader(GLUE, &LOADER.replace("export const", "const"), "./g-1.js").is_err(), "no exports");
        let two = format!("{LOADER}import x from \"./y.js\";\n");
        assert!(merge_loader(GLUE, &two, "./g-1.js").is_err(), "a second import");
        let named = GLUE.replace("import * as import1", "import { x as import1 }");
        assert!(merge_loader(&named, LOADER, "./g-1.js").is_err(), "not a namespace");
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
    fn the_page_module_is_named_by_what_it_and_its_glue_hold() {
        let a = renamed_stem(b"\0asm", "glue");
        assert!(a.starts_with("pakru-atlas-") && a.len() == "pakru-atlas-".len() + 16);
        assert_eq!(a, renamed_stem(b"\0asm", "glue"));
        assert_ne!(a, renamed_stem(b"\0asm", "glue2"));
        assert_ne!(a, renamed_stem(b"\0asm\x01", "glue"));
    }

    #[test]
    fn the_glue_preload_gets_the_new_integrity() {
        let html = "<head><link crossorigin href=./g-1.js integrity=sha384-old rel=modulepreload>\
                    <link href=./a.css integrity=sha384-css rel=stylesheet></head>";
        let out = with_integrity(html, "./g-1.js", "new glue").unwrap();
        let want = format!("sha384-{}", sha384_b64(b"new glue"));
        assert!(out.contains(&format!("integrity=\"{want}\"")), "{out}");
        assert!(out.contains("sha384-css"), "other links are left alone: {out}");
        assert!(with_integrity(html, "./other.js", "x").is_err(), "a missing preload is an error");
    }
}
