//! `cargo xtask dist`: the release bundle in dist/ and its sizes.
//!
//! After `trunk build --release` into dist/ (relative paths: it works from any directory of a
//! web server), [`build`] also
//! - makes dist/ CSP-clean and offline-capable (boot script out of index.html, CSP meta,
//!   manifest and icons from web/, service worker precaching every file): [`crate::offline`];
//! - writes `dist-single/pakru-atlas.html`, the self-contained single file: [`crate::single`];
//! - zips dist/ into `pakru-atlas-<version>.zip` beside it: [`crate::zipfile`].

use crate::tools::Toolchain;
use crate::util::{gzip_len, human_bytes, root, run, Res};
use std::path::{Path, PathBuf};

pub struct FileSize {
    /// Path relative to dist/, with `/` separators.
    pub name: String,
    pub raw: u64,
    /// [`crate::util::gzip_len`].
    pub gzip: u64,
}

pub const PACKAGE: &str = "pakru-atlas";

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
}

/// `<dist>/../pakru-atlas-<version>.zip`.
pub fn zip_path(dist: &Path) -> Res<PathBuf> {
    let version = crate::offline::package_version()?;
    Ok(dist.parent().unwrap_or(Path::new(".")).join(format!("{PACKAGE}-{version}.zip")))
}

/// Post-processes Trunk's output in `dist` (CSP, service worker), then writes the single file
/// and the zip. Safe to run again on a processed dist/.
pub fn bundle(dist: &Path) -> Res<Bundle> {
    let processed = crate::offline::postprocess(dist)?;
    let single = crate::single::build(dist)?;
    let version = crate::offline::package_version()?;
    let zip = zip_path(dist)?;
    let files = crate::offline::bundle_files(dist)?;
    let zip_bytes = crate::zipfile::write_zip(&zip, dist, &files, &format!("{PACKAGE}-{version}"))?;
    Ok(Bundle { processed, zip, zip_bytes, single })
}

pub fn file_size(dir: &Path, name: &str) -> Res<FileSize> {
    let bytes = std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
    Ok(FileSize { name: name.to_string(), raw: bytes.len() as u64, gzip: gzip_len(&bytes) })
}

/// Every file under `dir` (but hidden ones, such as Trunk's `.stage/`), sorted by name.
pub fn sizes(dir: &Path) -> Res<Vec<FileSize>> {
    crate::offline::bundle_files(dir)?.iter().map(|n| file_size(dir, n)).collect()
}

/// Writes `files` as JSON (`{"name": {"raw": n, "gzip": n}, ...}`) for the browser tests.
pub fn write_sizes(path: &Path, files: &[FileSize]) -> Res {
    let map: serde_json::Map<String, serde_json::Value> =
        files.iter().map(|f| (f.name.clone(), serde_json::json!({ "raw": f.raw, "gzip": f.gzip }))).collect();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, serde_json::Value::Object(map).to_string()).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn print_sizes(title: &str, files: &[FileSize]) {
    let w = files.iter().map(|f| f.name.len()).max().unwrap_or(4).max(5);
    println!("{title}");
    println!("  {:<w$}  {:>12}  {:>12}", "file", "raw", "gzip");
    for f in files {
        println!("  {:<w$}  {:>12}  {:>12}", f.name, human_bytes(f.raw), human_bytes(f.gzip));
    }
    let (raw, gz) = totals(files);
    println!("  {:<w$}  {:>12}  {:>12}", "total", human_bytes(raw), human_bytes(gz));
    println!("  ({} files, {raw} bytes raw, {gz} bytes gzip)", files.len());
}

pub fn totals(files: &[FileSize]) -> (u64, u64) {
    (files.iter().map(|f| f.raw).sum(), files.iter().map(|f| f.gzip).sum())
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
    let b = steps.run("bundle: csp, sw, single, zip", || bundle(&dist))?;
    print_sizes(&format!("\n{}:", dist.display()), &sizes(&dist)?);
    println!(
        "\nservice worker: {} precaches the {} other files (version {}); boot script {}",
        dist.join(crate::offline::SW_NAME).display(),
        b.processed.precached,
        b.processed.sw_version,
        b.processed.boot
    );
    println!("zip:         {}  {} ({} bytes)", b.zip.display(), human_bytes(b.zip_bytes), b.zip_bytes);
    println!(
        "single file: {}  {} raw, {} gzip ({} bytes raw, {} gzip); open it from disk, no server needed",
        b.single.path.display(),
        human_bytes(b.single.bytes),
        human_bytes(b.single.gzip),
        b.single.bytes,
        b.single.gzip
    );
    steps.print();
    Ok(())
}
