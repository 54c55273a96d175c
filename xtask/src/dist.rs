//! `cargo xtask dist`: the release bundle in dist/ and its sizes.

use crate::tools::Toolchain;
use crate::util::{human_bytes, root, run, Res};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct FileSize {
    /// Path relative to dist/, with `/` separators.
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

/// `trunk build --release --offline --dist dist --public-url ./`.
pub fn build(tools: &Toolchain) -> Res<PathBuf> {
    let dist = root().join("dist");
    run(tools.trunk().args(["build", "--release", "--offline", "--dist", "dist", "--public-url", "./"]))?;
    if !dist.join("index.html").is_file() {
        return Err("trunk build finished but dist/index.html is missing".into());
    }
    Ok(dist)
}

pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(bytes).expect("writing to a Vec");
    e.finish().expect("writing to a Vec").len() as u64
}

pub fn file_size(dir: &Path, name: &str) -> Res<FileSize> {
    let bytes = std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
    Ok(FileSize { name: name.to_string(), raw: bytes.len() as u64, gzip: gzip_len(&bytes) })
}

/// Every file under `dir`, sorted by name.
pub fn sizes(dir: &Path) -> Res<Vec<FileSize>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let p = entry?.path();
            if p.is_dir() {
                walk(base, &p, out)?;
            } else {
                let rel = p.strip_prefix(base).unwrap().components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut names = Vec::new();
    walk(dir, dir, &mut names).map_err(|e| format!("{}: {e}", dir.display()))?;
    names.sort();
    names.iter().map(|n| file_size(dir, n)).collect()
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

pub fn cmd_dist(_args: &[String]) -> Res {
    let mut steps = crate::util::Steps::default();
    let tools = steps.run("tools", crate::tools::ensure_build_tools)?;
    let dist = steps.run("trunk build --release", || build(&tools))?;
    print_sizes(&format!("\n{}:", dist.display()), &sizes(&dist)?);
    steps.print();
    Ok(())
}
