//! A small static file server for the tests and the benchmark: HTTP from `tiny_http`, MIME
//! types from `mime_guess`.
//!
//! Serves a folder on 127.0.0.1 under a path prefix (`/` or e.g. `/university/atlas/`):
//! `index.html` for a folder; a redirect (301) from a folder without its trailing slash, the
//! prefix among them; 404 for anything outside the prefix or the folder (no `..`, `.` or NUL
//! in the decoded path); GET and HEAD only (405 otherwise). Every response carries
//! `X-Content-Type-Options: nosniff` and a `Content-Length`; text types are UTF-8. Each request
//! is answered on a thread of its own.
//!
//! Precompressed files: for a text or wasm file `X` ([`crate::util::is_compressible`]) it sends
//! `X.br` or `X.gz` from beside it when the request's `Accept-Encoding` allows
//! ([`accepted_encodings`]), with `Content-Encoding` and `X`'s `Content-Type`; every response
//! for such a file carries `Vary: Accept-Encoding`. A request for `X.br` itself gets its bytes
//! as they are.
//!
//! Caching ([`cache_control`]): a file whose name carries a content hash (Trunk's
//! `name-<16 hex>.ext`, `name-<16 hex>_bg.wasm`, the boot script `boot-<16 hex>.js`) is
//! `public, max-age=31536000, immutable`: a new build gives it a new name. Everything else
//! (`index.html`, `sw.js`, the manifest, the icons, redirects and errors) is `no-cache`: the
//! browser revalidates, so a new deployment is seen at once.

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

/// A content coding the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Br,
    Gzip,
}

impl Encoding {
    /// The `Content-Encoding` token, also the extension of the file beside the original.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Br => "br",
            Encoding::Gzip => "gzip",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Encoding::Br => "br",
            Encoding::Gzip => "gz",
        }
    }
}

/// The codings an `Accept-Encoding` value allows, best first: each of br and gzip (`x-gzip`
/// too) with its own weight or that of `*`, left out at `q=0` (or a weight that does not
/// parse); the higher weight first, br before gzip at equal weights. Names are
/// case-insensitive. No header, an empty one or `identity` alone: none.
pub fn accepted_encodings(accept: Option<&str>) -> Vec<Encoding> {
    let (mut br, mut gzip, mut any) = (None::<f32>, None::<f32>, None::<f32>);
    for item in accept.unwrap_or("").split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let mut q = 1.0;
        for param in parts {
            let Some((k, v)) = param.split_once('=') else { continue };
            if k.trim().eq_ignore_ascii_case("q") {
                q = match v.trim().parse::<f32>() {
                    Ok(x) if (0.0..=1.0).contains(&x) => x,
                    _ => 0.0,
                };
            }
        }
        // A coding listed twice keeps its higher weight.
        let slot = match name.as_str() {
            "br" => &mut br,
            "gzip" | "x-gzip" => &mut gzip,
            "*" => &mut any,
            _ => continue,
        };
        *slot = Some(slot.map_or(q, |old: f32| old.max(q)));
    }
    let mut out: Vec<(Encoding, f32)> = [(Encoding::Br, br.or(any)), (Encoding::Gzip, gzip.or(any))]
        .into_iter()
        .filter_map(|(e, q)| q.filter(|q| *q > 0.0).map(|q| (e, q)))
        .collect();
    // Stable: br stays first at an equal weight.
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out.into_iter().map(|(e, _)| e).collect()
}

/// Whether a file name carries a content hash: `-` then 8 to 16 lower-case hex digits (Trunk
/// writes a 64-bit hash in hex without leading zeros), then `.` or `_` (Trunk's
/// `main-1a2b….css`, `pakru-atlas-1a2b….js`, `pakru-atlas-1a2b…_bg.wasm`; the boot script
/// `boot-1a2b….js`), with a name before the `-`.
pub fn is_hashed_name(name: &str) -> bool {
    let b = name.rsplit('/').next().unwrap_or(name).as_bytes();
    (1..b.len()).any(|i| {
        let hex = b[i + 1..].iter().take_while(|&&c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)).count();
        b[i] == b'-' && (8..=16).contains(&hex) && matches!(b.get(i + 1 + hex), Some(b'.' | b'_'))
    })
}

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `Cache-Control` of a file: [`IMMUTABLE`] for a hashed name ([`is_hashed_name`]),
/// `no-cache` for anything else.
pub fn cache_control(name: &str) -> &'static str {
    if is_hashed_name(name) {
        IMMUTABLE
    } else {
        "no-cache"
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

/// Every `Accept-Encoding` header of a request, joined by commas (as one list).
fn accept_encoding(request: &Request) -> Option<String> {
    let values: Vec<&str> =
        request.headers().iter().filter(|h| h.field.equiv("Accept-Encoding")).map(|h| h.value.as_str()).collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// The file to send for `file`: (its bytes, the coding of those bytes). The first of the
/// `accepted` codings whose file is beside it, else `file` itself.
fn pick(file: &Path, accepted: &[Encoding]) -> std::io::Result<(Vec<u8>, Option<Encoding>)> {
    for &e in accepted {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(e.extension());
        if let Ok(body) = std::fs::read(PathBuf::from(name)) {
            return Ok((body, Some(e)));
        }
    }
    Ok((std::fs::read(file)?, None))
}

fn handle(request: Request, dir: &Path, prefix: &str) -> std::io::Result<()> {
    const TEXT: &str = "text/plain; charset=utf-8";
    if !matches!(request.method(), Method::Get | Method::Head) {
        return respond(request, 405, b"method not allowed\n".to_vec(), &[("Content-Type", "text/plain")]);
    }
    match resolve(dir, prefix, request.url()) {
        Resolved::File(f) => {
            let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let compressible = crate::util::is_compressible(&name);
            let accepted = if compressible { accepted_encodings(accept_encoding(&request).as_deref()) } else { vec![] };
            match pick(&f, &accepted) {
                Ok((body, encoding)) => {
                    let content_type = mime(&f);
                    let mut headers =
                        vec![("Content-Type", content_type.as_str()), ("Cache-Control", cache_control(&name))];
                    if compressible {
                        headers.push(("Vary", "Accept-Encoding"));
                    }
                    if let Some(e) = encoding {
                        headers.push(("Content-Encoding", e.token()));
                    }
                    respond(request, 200, body, &headers)
                }
                // Removed since resolve (a test replacing a deployment).
                Err(_) => respond(request, 404, b"not found\n".to_vec(), &[("Content-Type", TEXT)]),
            }
        }
        Resolved::Redirect(to) => {
            respond(request, 301, b"moved\n".to_vec(), &[("Content-Type", "text/plain"), ("Location", &to)])
        }
        Resolved::NotFound => respond(request, 404, b"not found\n".to_vec(), &[("Content-Type", TEXT)]),
    }
}

/// Answers with `body` and `headers`, plus `X-Content-Type-Options: nosniff` and, unless
/// `headers` has one, `Cache-Control: no-cache` (tiny_http leaves the body out for HEAD,
/// keeping its Content-Length).
fn respond(request: Request, status: u16, body: Vec<u8>, headers: &[(&str, &str)]) -> std::io::Result<()> {
    // Always a Content-Length, never chunked (tiny_http chunks bodies of 32 KiB and more).
    let mut response = Response::from_data(body).with_status_code(status).with_chunked_threshold(usize::MAX);
    let mut all = headers.to_vec();
    if !all.iter().any(|(k, _)| k.eq_ignore_ascii_case("Cache-Control")) {
        all.push(("Cache-Control", "no-cache"));
    }
    all.push(("X-Content-Type-Options", "nosniff"));
    for (name, value) in all {
        let header = Header::from_bytes(name.as_bytes(), value.as_bytes())
            .map_err(|()| std::io::Error::other(format!("bad header {name}: {value}")))?;
        response.add_header(header);
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
        request_with(port, method, path, &[])
    }

    /// [`request`] with more request headers.
    fn request_with(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n").unwrap();
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
    fn negotiates_the_encoding() {
        use Encoding::{Br, Gzip};
        let table: &[(Option<&str>, &[Encoding])] = &[
            (None, &[]),
            (Some(""), &[]),
            (Some("identity"), &[]),
            (Some("gzip, deflate, br, zstd"), &[Br, Gzip]),
            (Some("gzip, deflate"), &[Gzip]),
            (Some("br"), &[Br]),
            (Some("BR;Q=1, GZip"), &[Br, Gzip]),
            (Some("x-gzip"), &[Gzip]),
            (Some("deflate, compress"), &[]),
            (Some("*"), &[Br, Gzip]),
            (Some("*;q=0"), &[]),
            (Some("gzip, *;q=0"), &[Gzip]),
            (Some("br;q=0, *"), &[Gzip]),
            (Some("br;q=0, gzip"), &[Gzip]),
            (Some("br, gzip;q=0"), &[Br]),
            (Some("br;q=0.0, gzip;q=0.000"), &[]),
            (Some("gzip;q=1.0, br;q=0.5"), &[Gzip, Br]),
            (Some("gzip;q=0.8, br;q=0.8"), &[Br, Gzip]),
            (Some("br;q=0.001"), &[Br]),
            (Some("br ; q = 0 , gzip ; q = 0.5"), &[Gzip]),
            (Some("br;q=x, gzip;q=2"), &[]),
            (Some("br;level=1"), &[Br]),
            (Some(",, br ,"), &[Br]),
            (Some("br;q=0, br"), &[Br]),
        ];
        for (header, want) in table {
            assert_eq!(accepted_encodings(*header), *want, "Accept-Encoding: {header:?}");
        }
    }

    #[test]
    fn hashed_names_are_immutable() {
        for name in [
            "main-a2319981ecc2d646.css",
            "pakru-atlas-dba47c24f7a54b28.js",
            "pakru-atlas-dba47c24f7a54b28_bg.wasm",
            "boot-b2b2bfd4564eeeea.js",
            "sub/main-0123456789abcdef.css",
            // Trunk drops a hash's leading zeros.
            "pakru-atlas-898c62ed9b7b82e_bg.wasm",
            "pakru-atlas-dba47c24f7a54b28_bg.wasm.br",
            "lang-ru-0123456789abcdef.bin",
            // The modules loaded on demand (split.rs).
            "split_story-0123456789abcdef.wasm",
            "chunk_3-0123456789abcdef.wasm",
        ] {
            assert!(is_hashed_name(name), "{name}");
            assert_eq!(cache_control(name), "public, max-age=31536000, immutable", "{name}");
        }
        for name in [
            "index.html",
            "sw.js",
            "manifest.webmanifest",
            "icon-192.png",
            "icon.svg",
            "-0123456789abcdef.js",
            "main-0123456.css",
            "main-0123456789abcdef0.css",
            "main-0123456789ABCDEF.css",
            "main-0123456789abcdeg.css",
            "main_0123456789abcdef.css",
            "main-0123456789abcdef",
            "main-0123456789abcdef-x.css",
            "main-0123456789abcdef.css/index.html",
        ] {
            assert!(!is_hashed_name(name), "{name}");
            assert_eq!(cache_control(name), "no-cache", "{name}");
        }
    }

    /// `.br`/`.gz` in place of the file as Accept-Encoding allows, with the file's type, Vary
    /// and the caching of its name; HEAD alike; the copies decode to the file.
    #[test]
    fn serves_precompressed_files() {
        use std::io::Read;
        let dir = test_dir("precompressed");
        let html: Vec<u8> = (0..500).flat_map(|i| format!("<p>row {i}</p>\n").into_bytes()).collect();
        let wasm: Vec<u8> = (0..60_000u32).map(|i| (i % 7) as u8).collect();
        let wasm_name = "app-0123456789abcdef_bg.wasm";
        std::fs::write(dir.join("index.html"), &html).unwrap();
        std::fs::write(dir.join(wasm_name), &wasm).unwrap();
        let sw = "self.x = 1;\n".repeat(40);
        std::fs::write(dir.join("sw.js"), &sw).unwrap();
        std::fs::write(dir.join("icon.png"), [137u8, 80, 78, 71]).unwrap();
        assert_eq!(crate::dist::write_precompressed(&dir).unwrap(), 3);
        // A file with only a .gz beside it (as a server might have).
        std::fs::write(dir.join("only-gz.css"), "p{color:red}".repeat(50)).unwrap();
        std::fs::write(dir.join("only-gz.css.gz"), crate::util::gzip_bytes("p{color:red}".repeat(50).as_bytes()))
            .unwrap();
        let s = start(&dir, "/p/", 0).unwrap();
        let decode = |e: Option<&str>, body: &[u8]| -> Vec<u8> {
            let mut out = Vec::new();
            match e {
                Some("br") => brotli::Decompressor::new(body, 4096).read_to_end(&mut out).map(|_| ()).unwrap(),
                Some("gzip") => flate2::read::GzDecoder::new(body).read_to_end(&mut out).map(|_| ()).unwrap(),
                None => out = body.to_vec(),
                Some(other) => panic!("Content-Encoding {other}"),
            }
            out
        };
        let immutable = "public, max-age=31536000, immutable";
        let cases: &[(&str, &[u8], &str, &str)] = &[
            ("/p/", &html, "text/html; charset=utf-8", "no-cache"),
            ("/p/index.html", &html, "text/html; charset=utf-8", "no-cache"),
            ("/p/app-0123456789abcdef_bg.wasm", &wasm, "application/wasm", immutable),
            ("/p/sw.js", sw.as_bytes(), "text/javascript; charset=utf-8", "no-cache"),
        ];
        for (path, original, content_type, cache) in cases {
            for (accept, want) in [
                (Some("gzip, deflate, br, zstd"), Some("br")),
                (Some("gzip"), Some("gzip")),
                (Some("br;q=0, gzip"), Some("gzip")),
                (Some("gzip;q=0"), None),
                (None, None),
            ] {
                let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
                let (h, body) = request_with(s.port, "GET", path, &headers);
                let what = format!("{path} with {accept:?}");
                assert!(h.starts_with("HTTP/1.1 200"), "{what}: {h}");
                assert_eq!(header(&h, "Content-Encoding"), want, "{what}: {h}");
                assert_eq!(header(&h, "Content-Type"), Some(*content_type), "{what}");
                assert_eq!(header(&h, "Vary"), Some("Accept-Encoding"), "{what}");
                assert_eq!(header(&h, "Cache-Control"), Some(*cache), "{what}");
                assert_eq!(header(&h, "Content-Length"), Some(body.len().to_string().as_str()), "{what}");
                assert!(decode(want, &body) == *original, "{what}: the body decodes to another file");
                if want.is_some() {
                    assert!(body.len() < original.len(), "{what}: not smaller");
                }
                // HEAD: the same headers, no body.
                let (hh, hb) = request_with(s.port, "HEAD", path, &headers);
                assert!(hb.is_empty(), "{what}: HEAD has a body");
                for k in ["Content-Encoding", "Content-Type", "Content-Length", "Vary", "Cache-Control"] {
                    assert_eq!(header(&hh, k), header(&h, k), "{what}: HEAD's {k}");
                }
            }
        }
        // Only a .gz: br is asked for first but gzip is what there is.
        let (h, body) = request_with(s.port, "GET", "/p/only-gz.css", &[("Accept-Encoding", "br, gzip")]);
        assert_eq!(header(&h, "Content-Encoding"), Some("gzip"), "{h}");
        assert_eq!(header(&h, "Content-Type"), Some("text/css; charset=utf-8"));
        assert_eq!(decode(Some("gzip"), &body), "p{color:red}".repeat(50).as_bytes());
        let (h, _) = request_with(s.port, "GET", "/p/only-gz.css", &[("Accept-Encoding", "br")]);
        assert_eq!(header(&h, "Content-Encoding"), None, "{h}");
        assert_eq!(header(&h, "Vary"), Some("Accept-Encoding"), "{h}");
        // Not compressible: as it is, no Vary.
        let (h, body) = request_with(s.port, "GET", "/p/icon.png", &[("Accept-Encoding", "br, gzip")]);
        assert_eq!((header(&h, "Content-Encoding"), header(&h, "Vary")), (None, None), "{h}");
        assert_eq!(body, [137u8, 80, 78, 71]);
        // A .br asked for by name: its bytes as they are, no Content-Encoding.
        let (h, body) = request_with(s.port, "GET", "/p/index.html.br", &[("Accept-Encoding", "br, gzip")]);
        assert!(h.starts_with("HTTP/1.1 200") && header(&h, "Content-Encoding").is_none(), "{h}");
        assert_eq!(body, std::fs::read(dir.join("index.html.br")).unwrap());
        // The path rules hold for the copies too.
        for path in ["/p/../index.html.br", "/p/%2e%2e/p/index.html", "/index.html.gz"] {
            let (h, _) = request_with(s.port, "GET", path, &[("Accept-Encoding", "br, gzip")]);
            assert!(h.starts_with("HTTP/1.1 404"), "{path}: {h}");
        }
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
