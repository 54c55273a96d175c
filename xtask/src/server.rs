//! A tiny static file server for the tests and the benchmark (std::net only).
//!
//! Serves a folder on 127.0.0.1 under a path prefix (`/` or e.g. `/university/atlas/`), with
//! the right MIME types (`application/wasm` among them), `index.html` for a folder, a redirect
//! from the prefix without its trailing slash, 404 for anything outside the prefix, GET and
//! HEAD only. One thread per connection, one request per connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub struct Server {
    pub port: u16,
    pub prefix: String,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.prefix)
    }
}

/// Normalises a prefix to `/a/b/` form (`/` for none).
pub fn normalise_prefix(prefix: &str) -> String {
    let inner = prefix.trim_matches('/');
    if inner.is_empty() {
        "/".into()
    } else {
        format!("/{inner}/")
    }
}

/// Starts serving `dir` under `prefix` on 127.0.0.1:`port` (0 for any free port) in a
/// background thread, which lives as long as the process.
pub fn start(dir: &Path, prefix: &str, port: u16) -> std::io::Result<Server> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let port = listener.local_addr()?.port();
    let prefix = normalise_prefix(prefix);
    let dir = Arc::new(dir.canonicalize()?);
    let p = Arc::new(prefix.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (dir, p) = (dir.clone(), p.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &dir, &p);
            });
        }
    });
    Ok(Server { port, prefix })
}

pub fn mime(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
}

/// Maps a request target to a file under `dir`, or a redirect, or nothing.
fn resolve(dir: &Path, prefix: &str, target: &str) -> Resolved {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = percent_decode(path) else { return Resolved::NotFound };
    if format!("{path}/") == prefix {
        return Resolved::Redirect(prefix.to_string());
    }
    let Some(rel) = path.strip_prefix(prefix) else { return Resolved::NotFound };
    let rel = Path::new(rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) || rel.to_string_lossy().contains('\0') {
        return Resolved::NotFound;
    }
    let mut file = dir.join(rel);
    if file.is_dir() {
        if !path.ends_with('/') && !path.is_empty() {
            return Resolved::Redirect(format!("{path}/"));
        }
        file = file.join("index.html");
    }
    if file.is_file() {
        Resolved::File(file)
    } else {
        Resolved::NotFound
    }
}

fn handle(mut stream: TcpStream, dir: &Path, prefix: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head = method == "HEAD";
    if method != "GET" && !head {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"method not allowed\n", &[], head);
    }
    match resolve(dir, prefix, target) {
        Resolved::File(f) => {
            let mut body = Vec::new();
            std::fs::File::open(&f)?.read_to_end(&mut body)?;
            respond(&mut stream, "200 OK", mime(&f), &body, &[], head)
        }
        Resolved::Redirect(to) => {
            respond(&mut stream, "301 Moved Permanently", "text/plain", b"moved\n", &[("Location", &to)], head)
        }
        Resolved::NotFound => {
            respond(&mut stream, "404 Not Found", "text/plain; charset=utf-8", b"not found\n", &[], head)
        }
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    extra: &[(&str, &str)],
    head: bool,
) -> std::io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    stream.write_all(h.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// `cargo xtask serve-static DIR [--prefix /p/] [--port N]`: serves until killed.
pub fn serve_static(args: &[String]) -> Result<(), String> {
    let mut dir = None;
    let mut prefix = "/".to_string();
    let mut port = 0u16;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--prefix" => prefix = it.next().ok_or("--prefix needs a value")?.clone(),
            "--port" => port = it.next().ok_or("--port needs a value")?.parse().map_err(|_| "bad --port")?,
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    let dir = dir.unwrap_or_else(|| crate::util::root().join("dist"));
    let s = start(&dir, &prefix, port).map_err(|e| format!("{}: {e}", dir.display()))?;
    println!("serving {} at {}", dir.display(), s.url());
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn get(port: u16, path: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (String::from_utf8_lossy(&all[..split]).into_owned(), all[split + 4..].to_vec())
    }

    #[test]
    fn serves_under_a_prefix() {
        let dir = std::env::temp_dir().join(format!("xtask-server-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<title>hi</title>").unwrap();
        std::fs::write(dir.join("a b.wasm"), [0u8, 97, 115, 109]).unwrap();
        std::fs::write(dir.join("sub/index.html"), "sub").unwrap();
        let s = start(&dir, "uni/atlas", 0).unwrap();
        assert_eq!(s.prefix, "/uni/atlas/");
        let (h, b) = get(s.port, "/uni/atlas/");
        assert!(h.starts_with("HTTP/1.1 200") && h.contains("text/html"), "{h}");
        assert_eq!(b, b"<title>hi</title>");
        let (h, b) = get(s.port, "/uni/atlas/a%20b.wasm?x=1");
        assert!(h.contains("Content-Type: application/wasm"), "{h}");
        assert_eq!(b.len(), 4);
        let (h, _) = get(s.port, "/uni/atlas");
        assert!(h.starts_with("HTTP/1.1 301") && h.contains("Location: /uni/atlas/"), "{h}");
        let (h, _) = get(s.port, "/uni/atlas/sub");
        assert!(h.contains("Location: /uni/atlas/sub/"), "{h}");
        assert!(get(s.port, "/index.html").0.starts_with("HTTP/1.1 404"));
        assert!(get(s.port, "/uni/atlas/../atlas/index.html").0.starts_with("HTTP/1.1 404"));
        assert!(get(s.port, "/uni/atlas/%2e%2e/x").0.starts_with("HTTP/1.1 404"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mime_types() {
        for (f, m) in [
            ("a.wasm", "application/wasm"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.json", "application/json"),
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.webmanifest", "application/manifest+json"),
        ] {
            assert_eq!(mime(Path::new(f)), m);
        }
    }
}
