//! Small helpers: running commands, timing steps, paths, the gzip and brotli encoders.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub type Res<T = ()> = Result<T, String>;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask has a parent").to_path_buf()
}

/// `program arg1 arg2` for messages.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') || a.is_empty() {
            s.push_str(&format!(" '{a}'"));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    s
}

/// Runs a command with inherited stdio; an error if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Res {
    let what = describe(cmd);
    println!("$ {what}");
    let status = cmd.status().map_err(|e| format!("could not start `{what}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// Runs a command, echoing its stdout line by line and returning it; stderr is inherited.
/// Returns (success, stdout).
pub fn run_tee(cmd: &mut Command) -> Res<(bool, String)> {
    let what = describe(cmd);
    println!("$ {what}");
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start `{what}`: {e}"))?;
    let mut out = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let status = child.wait().map_err(|e| format!("`{what}`: {e}"))?;
    Ok((status.success(), out))
}

/// The trimmed stdout of a command that succeeded, or None (not installed, failed).
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Times named steps and prints them at the end.
#[derive(Default)]
pub struct Steps {
    done: Vec<(String, f64, bool)>,
}

impl Steps {
    pub fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Res<T>) -> Res<T> {
        println!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        let secs = t.elapsed().as_secs_f64();
        match &r {
            Ok(_) => println!("<== {name}: ok in {secs:.1} s"),
            Err(e) => println!("<== {name}: FAILED in {secs:.1} s: {e}"),
        }
        self.done.push((name.to_string(), secs, r.is_ok()));
        r
    }

    pub fn print(&self) {
        println!("\nsteps:");
        for (name, secs, ok) in &self.done {
            println!("  {:<28} {:>7.1} s  {}", name, secs, if *ok { "ok" } else { "FAILED" });
        }
    }
}

/// The gzip size of `bytes` at level 9, by zlib itself (flate2 on libz): the one measure of
/// every size xtask reports (dist, the single file, the bench, geodata). Node's
/// `zlib.gzipSync(buf, { level: 9 })`, which e2e/specs/budget.mjs counts, runs Chromium's fork
/// of zlib, whose CRC-32C string hashing finds other matches than zlib's on x86-64 and ARM:
/// no flate2 backend gives its bytes, and the two sizes differ by up to about 1 % either way
/// (the test below prints both).
pub fn gzip_len(bytes: &[u8]) -> u64 {
    gzip_bytes(bytes).len() as u64
}

/// `bytes` in gzip at level 9, by zlib: the one gzip encoder of xtask, for the sizes
/// ([`gzip_len`]) and for the `.gz` files beside dist/'s files. Deterministic (no file name,
/// modification time 0).
pub fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).expect("writing to a Vec");
    e.finish().expect("writing to a Vec")
}

/// `bytes` in brotli at quality 11 (the highest) with a 4 MiB window (brotli's default, larger
/// than any file of dist/): the `.br` files beside dist/'s files and the brotli sizes.
pub fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("reading from a slice, writing to a Vec");
    out
}

pub fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.2} MiB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

/// The crate's name: the zip's and the ZIM's names start with it.
pub const PACKAGE: &str = "pakru-atlas";

/// The extensions of the files that get precompressed copies (and `Vary: Accept-Encoding` from
/// [`crate::server`]): text, wasm and the story's binary file (18.9 KB, 7.4 KB gzip). Images
/// other than SVG are compressed already.
pub const COMPRESSIBLE: [&str; 9] = ["html", "js", "css", "wasm", "svg", "webmanifest", "json", "txt", "bin"];

/// Whether `name` (a path or file name) is a text or wasm file, by its extension.
pub fn is_compressible(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && COMPRESSIBLE.iter().any(|c| c.eq_ignore_ascii_case(ext)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic sample input: text with repeats, then pseudo-random bytes.
    fn sample() -> Vec<u8> {
        let mut v: Vec<u8> =
            (0..400).flat_map(|i| format!("{{\"id\": {i}, \"name\": \"place {}\"}},\n", i % 37).into_bytes()).collect();
        let mut x: u32 = 2_463_534_242;
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            v.push((x % 251) as u8);
        }
        v
    }

    #[test]
    fn gzip_len_is_zlib_level_9() {
        // What zlib's deflate at level 9 in a gzip wrapper makes of the sample (Python's
        // `zlib.compressobj(9, zlib.DEFLATED, 31)` gives the same); miniz_oxide gives 7066.
        assert_eq!(gzip_len(&sample()), 7067);
        assert_eq!(gzip_len(b""), 20);
    }

    #[test]
    fn gzip_and_brotli_decode_to_their_input() {
        use std::io::Read;
        for input in [sample(), Vec::new(), b"a".to_vec()] {
            let gz = gzip_bytes(&input);
            assert_eq!(gz.len() as u64, gzip_len(&input));
            assert_eq!(&gz[..3], [0x1f, 0x8b, 8], "gzip magic and deflate");
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
            assert_eq!(back, input);
            let br = brotli_bytes(&input);
            let mut back = Vec::new();
            brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut back).unwrap();
            assert_eq!(back, input);
        }
        // Deterministic, and quality 11 does better than gzip -9 on text.
        let s = sample();
        assert_eq!(gzip_bytes(&s), gzip_bytes(&s));
        assert_eq!(brotli_bytes(&s), brotli_bytes(&s));
        let text = &s[..s.len() - 5000];
        assert!(brotli_bytes(text).len() < gzip_bytes(text).len());
    }

    /// The same files measured by Node's zlib at level 9, as e2e/specs/budget.mjs measures
    /// them: printed side by side; they must agree within 1.5 %.
    #[test]
    fn gzip_len_agrees_with_node() {
        let files = ["data/geo/region.json", "data/events.json", "README.md"];
        let script = "const z = require('zlib'), fs = require('fs');\
                      for (const f of process.argv.slice(1)) console.log(z.gzipSync(fs.readFileSync(f), { level: 9 }).length);";
        let out = Command::new("node")
            .arg("-e")
            .arg(script)
            .args(files)
            .current_dir(root())
            .output()
            .expect("node (Node.js) is needed for the tests: see README, Set-up");
        assert!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
        let node: Vec<u64> = String::from_utf8_lossy(&out.stdout).lines().map(|l| l.parse().unwrap()).collect();
        assert_eq!(node.len(), files.len());
        for (f, n) in files.iter().zip(node) {
            let x = gzip_len(&std::fs::read(root().join(f)).unwrap());
            let diff = (x as f64 - n as f64) / n as f64 * 100.0;
            println!("{f}: gzip -9 {x} bytes (xtask), {n} bytes (Node zlib), {diff:+.2} %");
            assert!(diff.abs() <= 1.5, "{f}: xtask {x}, Node {n}");
        }
    }
}
