//! A small ZIP writer (deflate, or stored when that is not smaller) for the release archive:
//! `<name>-<version>.zip` beside dist/, every file of dist/ under one folder `<name>-<version>/`.
//! Times are the files' modification times (UTC), or `SOURCE_DATE_EPOCH` when set.

use crate::util::Res;
use flate2::{write::DeflateEncoder, Compression, Crc};
use std::fs;
use std::io::Write;
use std::path::Path;

/// (date, time) in MS-DOS form for a Unix time (UTC; clamped to 1980..2107).
pub fn dos_datetime(unix: i64) -> (u16, u16) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if y < 1980 {
        return (0x21, 0);
    }
    let y = y.min(2107);
    let date = (((y - 1980) << 9) | (m << 5) | d) as u16;
    let time = (((secs / 3600) << 11) | (((secs % 3600) / 60) << 5) | ((secs % 60) / 2)) as u16;
    (date, time)
}

struct Entry {
    name: String,
    crc: u32,
    method: u16,
    compressed: u32,
    raw: u32,
    date: u16,
    time: u16,
    offset: u32,
}

impl Entry {
    /// The fields the local header and the central directory entry share, in their order:
    /// flags (UTF-8 names), method, time, date, CRC, sizes, name length.
    fn put_common(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(&0x0800u16.to_le_bytes());
        buf.extend_from_slice(&self.method.to_le_bytes());
        buf.extend_from_slice(&self.time.to_le_bytes());
        buf.extend_from_slice(&self.date.to_le_bytes());
        buf.extend_from_slice(&self.crc.to_le_bytes());
        buf.extend_from_slice(&self.compressed.to_le_bytes());
        buf.extend_from_slice(&self.raw.to_le_bytes());
        buf.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
    }
}

/// Writes `out` holding `files` (relative paths under `dir`) as `folder/<path>`. Returns its size.
pub fn write_zip(out: &Path, dir: &Path, files: &[String], folder: &str) -> Res<u64> {
    let epoch: Option<i64> = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.parse().ok());
    let mut buf: Vec<u8> = Vec::new();
    let mut entries = Vec::new();
    for f in files {
        let path = dir.join(f);
        let data = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let unix = epoch.unwrap_or_else(|| {
            fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
        let (date, time) = dos_datetime(unix);
        let mut crc = Crc::new();
        crc.update(&data);
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
        enc.write_all(&data).map_err(|e| e.to_string())?;
        let deflated = enc.finish().map_err(|e| e.to_string())?;
        let (method, body) = if deflated.len() < data.len() { (8u16, deflated) } else { (0u16, data.clone()) };
        let name = format!("{folder}/{f}");
        let too_big = |n: usize| u32::try_from(n).map_err(|_| format!("{name}: too large for a ZIP without ZIP64"));
        let e = Entry {
            crc: crc.sum(),
            method,
            compressed: too_big(body.len())?,
            raw: too_big(data.len())?,
            date,
            time,
            offset: too_big(buf.len())?,
            name,
        };
        // Local file header.
        buf.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        buf.extend_from_slice(&20u16.to_le_bytes()); // version needed
        e.put_common(&mut buf);
        buf.extend_from_slice(&0u16.to_le_bytes()); // extra length
        buf.extend_from_slice(e.name.as_bytes());
        buf.extend_from_slice(&body);
        entries.push(e);
    }
    let cd_start = buf.len();
    for e in &entries {
        buf.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        buf.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by: Unix, 2.0
        buf.extend_from_slice(&20u16.to_le_bytes());
        e.put_common(&mut buf);
        buf.extend_from_slice(&[0; 8]); // extra, comment, disk number, internal attributes
        buf.extend_from_slice(&((0o100644u32) << 16).to_le_bytes()); // regular file, rw-r--r--
        buf.extend_from_slice(&e.offset.to_le_bytes());
        buf.extend_from_slice(e.name.as_bytes());
    }
    let cd_len = buf.len() - cd_start;
    let n = u16::try_from(entries.len()).map_err(|_| "too many files for a ZIP without ZIP64")?;
    buf.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    buf.extend_from_slice(&[0; 4]); // disk numbers
    buf.extend_from_slice(&n.to_le_bytes());
    buf.extend_from_slice(&n.to_le_bytes());
    buf.extend_from_slice(&(cd_len as u32).to_le_bytes());
    buf.extend_from_slice(&(cd_start as u32).to_le_bytes());
    buf.extend_from_slice(&0u16.to_le_bytes()); // comment length
    fs::write(out, &buf).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(buf.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    fn u16_at(b: &[u8], i: usize) -> usize {
        u16::from_le_bytes([b[i], b[i + 1]]) as usize
    }
    fn u32_at(b: &[u8], i: usize) -> usize {
        u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize
    }

    /// Reads the archive back through its central directory: (name, contents) of each entry.
    fn read_back(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let eocd = zip.len() - 22;
        assert_eq!(u32_at(zip, eocd), 0x0605_4b50);
        let (n, mut p) = (u16_at(zip, eocd + 10), u32_at(zip, eocd + 16));
        let mut out = Vec::new();
        for _ in 0..n {
            assert_eq!(u32_at(zip, p), 0x0201_4b50);
            let (method, crc, csize, size) =
                (u16_at(zip, p + 10), u32_at(zip, p + 16), u32_at(zip, p + 20), u32_at(zip, p + 24));
            let name_len = u16_at(zip, p + 28);
            let name = String::from_utf8(zip[p + 46..p + 46 + name_len].to_vec()).unwrap();
            let off = u32_at(zip, p + 42);
            assert_eq!(u32_at(zip, off), 0x0403_4b50);
            let data_at = off + 30 + u16_at(zip, off + 26) + u16_at(zip, off + 28);
            let body = &zip[data_at..data_at + csize];
            let data = if method == 8 {
                let mut v = Vec::new();
                DeflateDecoder::new(body).read_to_end(&mut v).unwrap();
                v
            } else {
                body.to_vec()
            };
            assert_eq!(data.len(), size);
            let mut c = Crc::new();
            c.update(&data);
            assert_eq!(c.sum() as usize, crc, "{name}");
            out.push((name, data));
            p += 46 + name_len;
        }
        out
    }

    #[test]
    fn writes_a_readable_archive() {
        let dir = std::env::temp_dir().join(format!("xtask-zip-test-{}", std::process::id()));
        fs::create_dir_all(dir.join("sub")).unwrap();
        let text = "hello hello hello hello hello\n".repeat(50);
        fs::write(dir.join("a.txt"), &text).unwrap();
        fs::write(dir.join("sub/b.bin"), [7u8, 1, 2]).unwrap();
        let out = dir.join("t.zip");
        let files = vec!["a.txt".to_string(), "sub/b.bin".to_string()];
        let size = write_zip(&out, &dir, &files, "pkg-1.0.0").unwrap();
        let zip = fs::read(&out).unwrap();
        assert_eq!(zip.len() as u64, size);
        let back = read_back(&zip);
        assert_eq!(back[0], ("pkg-1.0.0/a.txt".to_string(), text.into_bytes()));
        assert_eq!(back[1], ("pkg-1.0.0/sub/b.bin".to_string(), vec![7, 1, 2]));
        assert!(zip.len() < 600, "the text should be deflated: {} bytes", zip.len());
        // Info-ZIP's own check, where it is installed.
        if let Ok(status) = std::process::Command::new("unzip").args(["-tqq", out.to_str().unwrap()]).status() {
            assert!(status.success(), "unzip -t failed");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn dos_times() {
        // 2024-02-29 13:45:58 UTC
        let (d, t) = dos_datetime(1_709_214_358);
        assert_eq!((d >> 9, (d >> 5) & 15, d & 31), (44, 2, 29));
        assert_eq!((t >> 11, (t >> 5) & 63, (t & 31) * 2), (13, 45, 58));
        assert_eq!(dos_datetime(0), (0x21, 0));
    }
}
