//! A small static file server for the tests and the benchmark: HTTP from `tiny_http`, MIME
//! types from `mime_guess`.
//!
//! Serves a folder on 127.0.0.1 under a path prefix (`/` or e.g. `/university/atlas/`):
//! `index.html` for a folder; a redirect (301) from a folder without its trailing slash, the
//! prefix among them; 404 for anything outside the prefix or the folder (no `..`, `.` or NUL
//! in the decoded path); GET and HEAD only (405 otherwise). Every response carries
//! `Cache-Control: no-cache` (the browser revalidates: a new deployment is seen at once),
//! `X-Content-Type-Options: nosniff` and a `Content-Length`; text types are UTF-8. Each request
//! is answered on a thread of its own.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response};

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
    let dir = Arc::new(dir.canonicalize()?);
    let http = tiny_http::Server::http(("127.0.0.1", port)).map_err(std::io::Error::other)?;
    let port =
        http.server_addr().to_ip().map(|a| a.port()).ok_or_else(|| std::io::Error::other("not an IP address"))?;
    let prefix = normalise_prefix(prefix);
    let p = Arc::new(prefix.clone());
    std::thread::spawn(move || {
        for request in http.incoming_requests() {
            let (dir, p) = (dir.clone(), p.clone());
            std::thread::spawn(move || {
                let _ = handle(request, &dir, &p);
            });
        }
    });
    Ok(Server { port, prefix })
}

/// The `Content-Type` of a file, from its extension (`mime_guess`); text types with
/// `charset=utf-8`; `application/octet-stream` when unknown.
pub fn mime(path: &Path) -> String {
    let m = mime_guess::from_path(path).first_or_octet_stream();
    if m.type_() == mime_guess::mime::TEXT || m.subtype() == mime_guess::mime::JAVASCRIPT {
        format!("{}; charset=utf-8", m.essence_str())
    } else {
        m.essence_str().to_string()
    }
}

/// The path of a request target, percent-decoded; None if it does not decode to UTF-8.
fn decoded_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    percent_encoding::percent_decode_str(path).decode_utf8().ok().map(|p| p.into_owned())
}

enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
}

/// Maps a request target to a file under `dir`, or a redirect, or nothing.
fn resolve(dir: &Path, prefix: &str, target: &str) -> Resolved {
    let Some(path) = decoded_path(target) else { return Resolved::NotFound };
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

fn handle(request: Request, dir: &Path, prefix: &str) -> std::io::Result<()> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return respond(request, 405, "text/plain", b"method not allowed\n".to_vec(), None);
    }
    match resolve(dir, prefix, request.url()) {
        Resolved::File(f) => match std::fs::read(&f) {
            Ok(body) => respond(request, 200, &mime(&f), body, None),
            // Removed since resolve (a test replacing a deployment).
            Err(_) => respond(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec(), None),
        },
        Resolved::Redirect(to) => respond(request, 301, "text/plain", b"moved\n".to_vec(), Some(&to)),
        Resolved::NotFound => respond(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec(), None),
    }
}

/// Answers with `body` (tiny_http leaves it out for HEAD, keeping its Content-Length).
fn respond(
    request: Request,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    location: Option<&str>,
) -> std::io::Result<()> {
    // Always a Content-Length, never chunked (tiny_http chunks bodies of 32 KiB and more).
    let mut response = Response::from_data(body).with_status_code(status).with_chunked_threshold(usize::MAX);
    let headers = [
        ("Content-Type", Some(content_type)),
        ("Cache-Control", Some("no-cache")),
        ("X-Content-Type-Options", Some("nosniff")),
        ("Location", location),
    ];
    for (name, value) in headers {
        if let Some(value) = value {
            let header = Header::from_bytes(name.as_bytes(), value.as_bytes())
                .map_err(|()| std::io::Error::other(format!("bad header {name}: {value}")))?;
            response.add_header(header);
        }
    }
    request.respond(response)
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
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// One request on its own connection: (status line and headers, body).
    fn request(port: u16, method: &str, path: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (String::from_utf8_lossy(&all[..split]).into_owned(), all[split + 4..].to_vec())
    }

    fn get(port: u16, path: &str) -> (String, Vec<u8>) {
        request(port, "GET", path)
    }

    /// A header's value (names are case-insensitive).
    fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
        head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn test_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-server-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        dir
    }

    #[test]
    fn serves_under_a_prefix() {
        let dir = test_dir("prefix");
        std::fs::write(dir.join("index.html"), "<title>hi</title>").unwrap();
        std::fs::write(dir.join("a b.wasm"), [0u8, 97, 115, 109]).unwrap();
        std::fs::write(dir.join("sub/index.html"), "sub").unwrap();
        let s = start(&dir, "uni/atlas", 0).unwrap();
        assert_eq!(s.prefix, "/uni/atlas/");
        let (h, b) = get(s.port, "/uni/atlas/");
        assert!(h.starts_with("HTTP/1.1 200") && h.contains("text/html"), "{h}");
        assert_eq!(b, b"<title>hi</title>");
        let (h, b) = get(s.port, "/uni/atlas/a%20b.wasm?x=1");
        assert_eq!(header(&h, "Content-Type"), Some("application/wasm"), "{h}");
        assert_eq!(b.len(), 4);
        let (h, _) = get(s.port, "/uni/atlas");
        assert!(h.starts_with("HTTP/1.1 301") && header(&h, "Location") == Some("/uni/atlas/"), "{h}");
        let (h, _) = get(s.port, "/uni/atlas/sub");
        assert_eq!(header(&h, "Location"), Some("/uni/atlas/sub/"), "{h}");
        assert_eq!(get(s.port, "/uni/atlas/sub/").1, b"sub");
        assert!(get(s.port, "/index.html").0.starts_with("HTTP/1.1 404"));
        assert!(get(s.port, "/uni/atlas/../atlas/index.html").0.starts_with("HTTP/1.1 404"));
        assert!(get(s.port, "/uni/atlas/%2e%2e/x").0.starts_with("HTTP/1.1 404"));
        assert!(get(s.port, "/uni/atlas/./index.html").0.starts_with("HTTP/1.1 404"));
        assert!(get(s.port, "/uni/atlas/%00").0.starts_with("HTTP/1.1 404"));
        assert!(get(s.port, "/uni/atlas/missing.js").0.starts_with("HTTP/1.1 404"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn never_leaves_the_served_folder() {
        let base = test_dir("escape");
        let dir = base.join("sub");
        std::fs::write(base.join("secret.txt"), "secret").unwrap();
        std::fs::write(dir.join("index.html"), "ok").unwrap();
        let s = start(&dir, "/", 0).unwrap();
        assert_eq!(get(s.port, "/").1, b"ok");
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt", "//secret.txt"]
        {
            let (h, b) = get(s.port, path);
            assert!(h.starts_with("HTTP/1.1 404") && b != b"secret", "{path}: {h}");
        }
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn sends_the_same_headers_on_every_answer() {
        let dir = test_dir("headers");
        std::fs::write(dir.join("index.html"), "<p>x</p>").unwrap();
        // Large enough that tiny_http would otherwise send it chunked.
        let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.join("big.wasm"), &big).unwrap();
        let s = start(&dir, "/p/", 0).unwrap();
        for path in ["/p/", "/p/big.wasm", "/p", "/p/nothing", "/elsewhere"] {
            let (h, _) = get(s.port, path);
            assert_eq!(header(&h, "Cache-Control"), Some("no-cache"), "{path}: {h}");
            assert_eq!(header(&h, "X-Content-Type-Options"), Some("nosniff"), "{path}: {h}");
            assert!(header(&h, "Content-Type").is_some() && header(&h, "Content-Length").is_some(), "{path}: {h}");
            assert_eq!(header(&h, "Transfer-Encoding"), None, "{path}: {h}");
        }
        let (h, b) = get(s.port, "/p/big.wasm");
        assert_eq!(header(&h, "Content-Length"), Some("100000"));
        assert_eq!(b, big);
        assert_eq!(header(&get(s.port, "/p/nothing").0, "Content-Type"), Some("text/plain; charset=utf-8"));
        // HEAD: the headers of GET, no body.
        let (h, b) = request(s.port, "HEAD", "/p/big.wasm");
        assert!(h.starts_with("HTTP/1.1 200") && header(&h, "Content-Length") == Some("100000"), "{h}");
        assert!(b.is_empty(), "{} bytes of body", b.len());
        let (h, b) = request(s.port, "POST", "/p/");
        assert!(h.starts_with("HTTP/1.1 405"), "{h}");
        assert_eq!(b, b"method not allowed\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mime_types() {
        for (f, m) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.wasm", "application/wasm"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.json", "application/json"),
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.ico", "image/x-icon"),
            ("a.webmanifest", "application/manifest+json"),
            ("a.txt", "text/plain; charset=utf-8"),
            ("A.PNG", "image/png"),
            ("LICENSE", "application/octet-stream"),
            ("a.unknown-ext", "application/octet-stream"),
        ] {
            assert_eq!(mime(Path::new(f)), m, "{f}");
        }
    }
}
