//! The release archive, written with the `zip` crate: `<name>-<version>.zip` beside dist/, every
//! file of dist/ under one folder `<name>-<version>/`, deflated at level 9 (stored when deflate
//! would not make a file smaller).
//!
//! The archive depends only on the files' names and contents: entries in the order given
//! (sorted by [`crate::offline::bundle_files`]), each stamped with one fixed time
//! (`SOURCE_DATE_EPOCH` when set, else 1980-01-01 00:00, the first time ZIP can hold), as a
//! Unix regular file with mode 0644, and nothing else (no extra fields, no comment).

use crate::util::Res;
use flate2::{write::DeflateEncoder, Compression};
use std::fs;
use std::io::Write;
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

/// The time every entry carries: `epoch` (Unix seconds, UTC) or, without one, 1980-01-01 00:00.
/// Times before 1980 become 1980-01-01 00:00 (the format has no earlier time).
pub fn zip_time(epoch: Option<i64>) -> Res<DateTime> {
    let Some(secs) = epoch else { return Ok(DateTime::DEFAULT) };
    let t = time::OffsetDateTime::from_unix_timestamp(secs).map_err(|e| format!("SOURCE_DATE_EPOCH={secs}: {e}"))?;
    if t.year() < 1980 {
        return Ok(DateTime::DEFAULT);
    }
    DateTime::try_from(time::PrimitiveDateTime::new(t.date(), t.time()))
        .map_err(|e| format!("SOURCE_DATE_EPOCH={secs}: not a time a ZIP file can hold: {e}"))
}

/// Whether deflate (level 9) makes `data` smaller.
fn deflate_helps(data: &[u8]) -> Res<bool> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(data).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len() < data.len())
}

/// Writes `out` holding `files` (relative paths under `dir`, in this order) as `folder/<path>`.
/// Returns its size.
pub fn write_zip(out: &Path, dir: &Path, files: &[String], folder: &str) -> Res<u64> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse().ok());
    let options =
        SimpleFileOptions::default().last_modified_time(zip_time(epoch)?).system(System::Unix).unix_permissions(0o644);
    let file = fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", out.display());
    for f in files {
        let path = dir.join(f);
        let data = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let options = if deflate_helps(&data)? {
            options.compression_method(CompressionMethod::Deflated).compression_level(Some(9))
        } else {
            options.compression_method(CompressionMethod::Stored)
        };
        zip.start_file(format!("{folder}/{f}"), options).map_err(|e| err(&e))?;
        zip.write_all(&data).map_err(|e| err(&e))?;
    }
    let mut w = zip.finish().map_err(|e| err(&e))?;
    w.flush().map_err(|e| err(&e))?;
    drop(w);
    Ok(fs::metadata(out).map_err(|e| err(&e))?.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-zip-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        dir
    }

    /// An entry as an unzipper sees it.
    #[derive(Debug)]
    struct Entry {
        name: String,
        method: CompressionMethod,
        time: DateTime,
        mode: Option<u32>,
        data: Vec<u8>,
    }

    /// Every entry, in archive order.
    fn read_back(zip: &Path) -> Vec<Entry> {
        let mut a = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
        (0..a.len())
            .map(|i| {
                let mut f = a.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap(); // checks the CRC too
                Entry {
                    name: f.name().unwrap().to_string(),
                    method: f.compression(),
                    time: f.last_modified().unwrap(),
                    mode: f.unix_mode(),
                    data,
                }
            })
            .collect()
    }

    #[test]
    fn writes_a_readable_archive() {
        let dir = temp_dir("read");
        let text = "hello hello hello hello hello\n".repeat(50);
        fs::write(dir.join("a.txt"), &text).unwrap();
        fs::write(dir.join("sub/b.bin"), [7u8, 1, 2]).unwrap();
        let out = dir.join("t.zip");
        let files = vec!["a.txt".to_string(), "sub/b.bin".to_string()];
        let size = write_zip(&out, &dir, &files, "pkg-1.0.0").unwrap();
        assert_eq!(fs::metadata(&out).unwrap().len(), size);
        let back = read_back(&out);
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].name.as_str(), &back[0].data), ("pkg-1.0.0/a.txt", &text.into_bytes()));
        assert_eq!((back[1].name.as_str(), &back[1].data), ("pkg-1.0.0/sub/b.bin", &vec![7, 1, 2]));
        // The text is deflated; three bytes would only grow.
        assert_eq!(back[0].method, CompressionMethod::Deflated);
        assert_eq!(back[1].method, CompressionMethod::Stored);
        assert!(size < 600, "the text should be deflated: {size} bytes");
        for e in &back {
            assert_eq!(e.mode.map(|m| m & 0o777), Some(0o644), "{}", e.name);
        }
        // Info-ZIP's own check, where it is installed.
        if let Ok(status) = std::process::Command::new("unzip").args(["-tqq", out.to_str().unwrap()]).status() {
            assert!(status.success(), "unzip -t failed");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn is_deterministic() {
        let dir = temp_dir("same");
        fs::write(dir.join("a.txt"), "alpha ".repeat(100)).unwrap();
        fs::write(dir.join("sub/b.txt"), "beta").unwrap();
        let files = vec!["a.txt".to_string(), "sub/b.txt".to_string()];
        write_zip(&dir.join("1.zip"), &dir, &files, "p").unwrap();
        // Another modification time: the same archive.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(86_400);
        fs::File::options().write(true).open(dir.join("a.txt")).unwrap().set_modified(later).unwrap();
        write_zip(&dir.join("2.zip"), &dir, &files, "p").unwrap();
        let (one, two) = (fs::read(dir.join("1.zip")).unwrap(), fs::read(dir.join("2.zip")).unwrap());
        assert_eq!(one, two);
        // Entries in the order given, all at the fixed time (SOURCE_DATE_EPOCH is not set in tests).
        let back = read_back(&dir.join("1.zip"));
        let names: Vec<&str> = back.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["p/a.txt", "p/sub/b.txt"]);
        if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
            assert!(back.iter().all(|e| e.time == DateTime::DEFAULT), "{back:?}");
        }
        // Another order, another archive.
        write_zip(&dir.join("3.zip"), &dir, &[files[1].clone(), files[0].clone()], "p").unwrap();
        assert_ne!(fs::read(dir.join("3.zip")).unwrap(), one);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn zip_times() {
        // 2024-02-29 13:45:58 UTC
        let t = zip_time(Some(1_709_214_358)).unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2024, 2, 29));
        assert_eq!((t.hour(), t.minute(), t.second()), (13, 45, 58));
        assert_eq!(zip_time(Some(0)).unwrap(), DateTime::DEFAULT);
        assert_eq!(zip_time(None).unwrap(), DateTime::DEFAULT);
        assert!(zip_time(Some(5_000_000_000)).is_err(), "2128 is past what ZIP can hold");
    }
}
