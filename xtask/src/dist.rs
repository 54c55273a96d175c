//! `cargo xtask dist`: the release bundle in dist/ and its sizes.
//!
//! After `trunk build --release` into dist/ (relative paths: it works from any directory of a
//! web server), [`build`] also
//! - makes dist/ CSP-clean and offline-capable (boot script out of index.html, CSP meta,
//!   manifest and icons from web/, service worker precaching every file): [`crate::offline`];
//! - writes `dist-single/pakru-atlas.html`, the self-contained single file: [`crate::single`];
//! - zips dist/ into `pakru-atlas-<version>.zip` beside it: [`crate::zipfile`];
//! - writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text and wasm file of dist/,
//!   for a web server that serves them in place of the file ([`write_precompressed`]; the
//!   service worker, the zip, the single file and the size table leave them out);
//! - packs dist/ into `pakru-atlas_en_all_<YYYY-MM>.zim` beside it, for Kiwix: [`crate::zim`].

use crate::tools::Toolchain;
use crate::util::{brotli_bytes, gzip_bytes, gzip_len, human_bytes, root, run, Res, PACKAGE};
use std::path::{Path, PathBuf};

pub struct FileSize {
    /// Path relative to dist/, with `/` separators.
    pub name: String,
    pub raw: u64,
    /// [`crate::util::gzip_len`].
    pub gzip: u64,
    /// [`crate::util::brotli_bytes`]' length.
    pub br: u64,
}

/// `trunk build --release --offline --dist dist --public-url ./`, then [`bundle`].
pub fn build(tools: &Toolchain) -> Res<PathBuf> {
    let dist = root().join("dist");
    run(tools.trunk().args(["build", "--release", "--offline", "--dist", "dist", "--public-url", "./"]))?;
    if !dist.join("index.html").is_file() {
        return Err("trunk build finished but dist/index.html is missing".into());
    }
    bundle(&dist)?;
    Ok(dist)
}

/// A release build with the cargo feature `bench` (the redraw benchmarks' hooks,
/// `window.__atlasBench`), into `out`, for `cargo xtask bench` only: never shipped, not
/// post-processed.
pub fn build_bench_hooks(tools: &Toolchain, out: &Path) -> Res<()> {
    run(tools
        .trunk()
        .args(["build", "--release", "--offline", "--features", "bench", "--dist"])
        .arg(out)
        .args(["--public-url", "./"]))?;
    if !out.join("index.html").is_file() {
        return Err(format!("trunk build finished but {}/index.html is missing", out.display()));
    }
    Ok(())
}

/// The fixture with broken data the browser tests build against (`PAKRU_DATA`, see build.rs).
pub const BROKEN_DATA: &str = "tests/fixtures/broken-data";

/// A release build embedding [`BROKEN_DATA`] instead of data/, into target/dist-broken: the
/// browser tests check that such a build shows its error panel, not a blank page. Not
/// post-processed (no service worker) and never shipped.
pub fn build_broken(tools: &Toolchain) -> Res<PathBuf> {
    let out = root().join("target").join("dist-broken");
    run(tools
        .trunk()
        .env("PAKRU_DATA", root().join(BROKEN_DATA))
        .args(["build", "--release", "--offline", "--dist"])
        .arg(&out)
        .args(["--public-url", "./"]))?;
    if !out.join("index.html").is_file() {
        return Err("trunk build finished but target/dist-broken/index.html is missing".into());
    }
    Ok(out)
}

/// What [`bundle`] made besides dist/.
pub struct Bundle {
    pub processed: crate::offline::Processed,
    pub zip: PathBuf,
    pub zip_bytes: u64,
    pub single: crate::single::Single,
    /// How many files got a `.br` and a `.gz` copy.
    pub precompressed: usize,
    pub zim: crate::zim::Zim,
}

/// `<dist>/../pakru-atlas-<version>.zip`.
pub fn zip_path(dist: &Path) -> Res<PathBuf> {
    let version = crate::offline::package_version()?;
    Ok(dist.parent().unwrap_or(Path::new(".")).join(format!("{PACKAGE}-{version}.zip")))
}

/// Post-processes Trunk's output in `dist` (CSP, service worker), then writes the single file,
/// the zip and, once every file is final, the precompressed copies. Safe to run again on a
/// processed dist/.
pub fn bundle(dist: &Path) -> Res<Bundle> {
    let first_view = crate::prerender::write_into(dist)?;
    println!("first view: {first_view} bytes of static HTML written into dist/index.html");
    let processed = crate::offline::postprocess(dist)?;
    let single = crate::single::build(dist)?;
    let version = crate::offline::package_version()?;
    let zip = zip_path(dist)?;
    let files = crate::offline::bundle_files(dist)?;
    let zip_bytes = crate::zipfile::write_zip(&zip, dist, &files, &format!("{PACKAGE}-{version}"))?;
    let zim = crate::zim::write(dist)?;
    let precompressed = write_precompressed(dist)?;
    Ok(Bundle { processed, zip, zip_bytes, single, precompressed, zim })
}

/// Writes `X.br` (brotli, quality 11) and `X.gz` (gzip -9, [`crate::util::gzip_bytes`]) beside
/// every compressible file `X` of `dist` ([`crate::util::is_compressible`]), and removes any `.br`/`.gz`
/// there whose file is gone or not compressible (a copy from an earlier build). Returns how
/// many files got copies.
pub fn write_precompressed(dist: &Path) -> Res<usize> {
    let files = crate::offline::bundle_files(dist)?;
    for f in crate::offline::all_files(dist)? {
        if crate::offline::is_precompressed(&f) {
            let original = &f[..f.len() - 3];
            if !(crate::util::is_compressible(original) && files.iter().any(|g| g == original)) {
                std::fs::remove_file(dist.join(&f)).map_err(|e| format!("{f}: {e}"))?;
            }
        }
    }
    let mut n = 0;
    for f in files.iter().filter(|f| crate::util::is_compressible(f)) {
        let bytes = std::fs::read(dist.join(f)).map_err(|e| format!("{f}: {e}"))?;
        for (ext, data) in [("br", brotli_bytes(&bytes)), ("gz", gzip_bytes(&bytes))] {
            let out = dist.join(format!("{f}.{ext}"));
            std::fs::write(&out, data).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        n += 1;
    }
    Ok(n)
}

pub fn file_size(dir: &Path, name: &str) -> Res<FileSize> {
    let bytes = std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
    Ok(FileSize {
        name: name.to_string(),
        raw: bytes.len() as u64,
        gzip: gzip_len(&bytes),
        br: brotli_len(dir, name, &bytes),
    })
}

/// The length of [`brotli_bytes`]`(bytes)`, `bytes` being the file `name` of `dir`: read from
/// `name.br` beside it when that decodes to `bytes` ([`write_precompressed`] wrote it from
/// them, and the encoder is deterministic), which is much faster than compressing again.
fn brotli_len(dir: &Path, name: &str, bytes: &[u8]) -> u64 {
    use std::io::Read;
    if let Ok(br) = std::fs::read(dir.join(format!("{name}.br"))) {
        let mut decoded = Vec::with_capacity(bytes.len());
        if brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut decoded).is_ok() && decoded == bytes {
            return br.len() as u64;
        }
    }
    brotli_bytes(bytes).len() as u64
}

/// Every file of the bundle under `dir` (not hidden ones, such as Trunk's `.stage/`, nor the
/// `.br`/`.gz` copies), sorted by name.
pub fn sizes(dir: &Path) -> Res<Vec<FileSize>> {
    crate::offline::bundle_files(dir)?.iter().map(|n| file_size(dir, n)).collect()
}

/// Writes `files` as JSON (`{"name": {"raw": n, "gzip": n, "br": n}, ...}`) for the browser
/// tests.
pub fn write_sizes(path: &Path, files: &[FileSize]) -> Res {
    let map: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .map(|f| (f.name.clone(), serde_json::json!({ "raw": f.raw, "gzip": f.gzip, "br": f.br })))
        .collect();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, serde_json::Value::Object(map).to_string()).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn print_sizes(title: &str, files: &[FileSize]) {
    let w = files.iter().map(|f| f.name.len()).max().unwrap_or(4).max(5);
    println!("{title}");
    println!("  {:<w$}  {:>12}  {:>12}  {:>12}", "file", "raw", "gzip", "brotli");
    for f in files {
        println!(
            "  {:<w$}  {:>12}  {:>12}  {:>12}",
            f.name,
            human_bytes(f.raw),
            human_bytes(f.gzip),
            human_bytes(f.br)
        );
    }
    let (raw, gz) = totals(files);
    let br = br_total(files);
    println!("  {:<w$}  {:>12}  {:>12}  {:>12}", "total", human_bytes(raw), human_bytes(gz), human_bytes(br));
    println!("  ({} files, {raw} bytes raw, {gz} bytes gzip, {br} bytes brotli)", files.len());
}

/// (raw, gzip) summed over `files`.
pub fn totals(files: &[FileSize]) -> (u64, u64) {
    (files.iter().map(|f| f.raw).sum(), files.iter().map(|f| f.gzip).sum())
}

/// The brotli sizes summed over `files`.
pub fn br_total(files: &[FileSize]) -> u64 {
    files.iter().map(|f| f.br).sum()
}

/// `cargo xtask dist [--no-build [--dir DIR]]`: `--no-build` bundles the Trunk output already in
/// dist/ (or DIR) instead of building it.
pub fn cmd_dist(args: &[String]) -> Res {
    let (mut no_build, mut dir) = (false, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => no_build = true,
            "--dir" => dir = Some(PathBuf::from(it.next().ok_or("--dir needs a value")?)),
            _ => return Err(format!("unknown option {a} (expected --no-build, --dir DIR)")),
        }
    }
    let mut steps = crate::util::Steps::default();
    let dist = if no_build {
        dir.unwrap_or_else(|| root().join("dist"))
    } else {
        if dir.is_some() {
            return Err("--dir needs --no-build".into());
        }
        let tools = steps.run("tools", crate::tools::ensure_build_tools)?;
        steps.run("trunk build --release", || {
            run(tools.trunk().args(["build", "--release", "--offline", "--dist", "dist", "--public-url", "./"]))?;
            Ok(())
        })?;
        root().join("dist")
    };
    let b = steps.run("bundle: csp, sw, single, zip, zim, .br/.gz", || bundle(&dist))?;
    print_sizes(&format!("\n{}:", dist.display()), &sizes(&dist)?);
    println!(
        "\nservice worker: {} precaches the {} other files (version {}); boot script {}",
        dist.join(crate::offline::SW_NAME).display(),
        b.processed.precached,
        b.processed.sw_version,
        b.processed.boot
    );
    println!("precompressed: a .br and a .gz beside each of {} text and wasm files", b.precompressed);
    println!("zip:         {}  {} ({} bytes)", b.zip.display(), human_bytes(b.zip_bytes), b.zip_bytes);
    println!(
        "single file: {}  {} raw, {} gzip ({} bytes raw, {} gzip); open it from disk, no server needed",
        b.single.path.display(),
        human_bytes(b.single.bytes),
        human_bytes(b.single.gzip),
        b.single.bytes,
        b.single.gzip
    );
    println!("zim (Kiwix): {}", crate::zim::describe(&b.zim));
    steps.print();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::Read;

    #[test]
    fn compressible_files() {
        for f in [
            "index.html",
            "a/b.JS",
            "main-1a2b.css",
            "x_bg.wasm",
            "icon.svg",
            "manifest.webmanifest",
            "d.json",
            "t.txt",
        ] {
            assert!(crate::util::is_compressible(f), "{f}");
        }
        for f in ["icon-192.png", "a.js.br", "a.wasm.gz", "pakru-atlas-0.1.0.zip", "LICENSE", ".js", "dir.js/x", "js"] {
            assert!(!crate::util::is_compressible(f), "{f}");
        }
    }

    /// Every text and wasm file gets a `.br` and a `.gz` that decode to it; nothing else does;
    /// an old copy without its file goes; the bundle's files and sizes leave the copies out.
    #[test]
    fn precompresses_text_and_wasm() {
        let dist = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dist);
        fs::create_dir_all(dist.join("sub")).unwrap();
        let text: Vec<u8> =
            (0..2000).flat_map(|i| format!("<p id=\"p{i}\">row {}</p>\n", i % 13).into_bytes()).collect();
        let wasm: Vec<u8> =
            b"\0asm\x01\0\0\0".iter().copied().chain((0..50_000u32).map(|i| (i * 7 % 253) as u8)).collect();
        fs::write(dist.join("index.html"), &text).unwrap();
        fs::write(dist.join("sub/app-0123456789abcdef_bg.wasm"), &wasm).unwrap();
        fs::write(dist.join("icon-192.png"), [137u8, 80, 78, 71]).unwrap();
        fs::write(dist.join("gone.js.br"), "stale").unwrap();
        fs::write(dist.join("icon-192.png.gz"), "stale").unwrap();
        assert_eq!(write_precompressed(&dist).unwrap(), 2);
        let files = crate::offline::all_files(&dist).unwrap();
        assert_eq!(
            files,
            [
                "icon-192.png",
                "index.html",
                "index.html.br",
                "index.html.gz",
                "sub/app-0123456789abcdef_bg.wasm",
                "sub/app-0123456789abcdef_bg.wasm.br",
                "sub/app-0123456789abcdef_bg.wasm.gz"
            ]
        );
        for (name, original) in [("index.html", &text), ("sub/app-0123456789abcdef_bg.wasm", &wasm)] {
            let br = fs::read(dist.join(format!("{name}.br"))).unwrap();
            let gz = fs::read(dist.join(format!("{name}.gz"))).unwrap();
            let mut back = Vec::new();
            brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut back).unwrap();
            assert!(back == *original, "{name}.br decodes to another file");
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
            assert!(back == *original, "{name}.gz decodes to another file");
            assert!(br.len() < original.len() && gz.len() < original.len(), "{name}");
            // The size table reports the lengths of these very files.
            let size = file_size(&dist, name).unwrap();
            assert_eq!((size.gzip, size.br), (gz.len() as u64, br.len() as u64), "{name}");
        }
        let listed: Vec<String> = sizes(&dist).unwrap().into_iter().map(|f| f.name).collect();
        assert_eq!(listed, ["icon-192.png", "index.html", "sub/app-0123456789abcdef_bg.wasm"]);
        // A copy that does not decode to its file is not taken for its size.
        fs::write(dist.join("index.html.br"), brotli_bytes(b"another file")).unwrap();
        assert_eq!(file_size(&dist, "index.html").unwrap().br, brotli_bytes(&text).len() as u64);
        fs::write(dist.join("index.html.br"), "not brotli").unwrap();
        assert_eq!(file_size(&dist, "index.html").unwrap().br, brotli_bytes(&text).len() as u64);
        write_precompressed(&dist).unwrap();
        // Again: the same bytes.
        let before = fs::read(dist.join("index.html.br")).unwrap();
        assert_eq!(write_precompressed(&dist).unwrap(), 2);
        assert_eq!(fs::read(dist.join("index.html.br")).unwrap(), before);
        fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn sizes_json_has_brotli() {
        let path = std::env::temp_dir().join(format!("xtask-sizes-{}.json", std::process::id()));
        write_sizes(&path, &[FileSize { name: "a.wasm".into(), raw: 10, gzip: 8, br: 7 }]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v, serde_json::json!({ "a.wasm": { "raw": 10, "gzip": 8, "br": 7 } }));
        fs::remove_file(&path).unwrap();
    }
}
