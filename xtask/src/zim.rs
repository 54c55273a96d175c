//! The ZIM file for Kiwix (offline libraries, school servers): `pakru-atlas_en_all_<YYYY-MM>.zim`
//! beside dist/, written by `cargo xtask dist` with Debian's `zimwriterfs` (package `zim-tools`).
//!
//! The ZIM holds the files of dist/ with three differences, made in a copy
//! (`target/zim-stage/`), never in dist/ itself:
//! - no `sw.js`: Kiwix serves every file from the ZIM, so there is nothing to keep offline;
//! - index.html carries [`MARKER`], `<meta name="pakru-package" content="zim">`, and the boot
//!   script (web/register-sw.js) registers no service worker when it sees it. A marker written
//!   when packing, not a guess from the address: kiwix-serve serves a book at `/<book>/`
//!   (3.3, tested) or `/content/<book>/` (later versions), Kiwix Desktop at `zim://`, and Kiwix
//!   JS can serve books through a service worker of its own on the same origin, which ours must
//!   not replace;
//! - index.html's Content-Security-Policy is [`zim_csp`], which lets kiwix-serve's top bar work
//!   (see there) and still allows no inline script, style or handler of our own.
//!
//! Plus a 48×48 PNG illustration made from web/icon-192.png ([`illustration_48`]).
//!
//! Languages: [`LANGUAGES`] lists those the atlas ships; every one goes into the one ZIM (see
//! the README, "Offline libraries (Kiwix)"): one language gives `pakru-atlas_<code>_all`,
//! several `pakru-atlas_mul_all` with a comma-separated ISO 639-3 `Language`.

use crate::offline::{csp_problems, sha256_b64, CSP, SW_NAME};
use crate::png::illustration_48;
use crate::util::{human_bytes, output_of, root, run, Res};
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The languages of the atlas: (ISO 639-1 code as in file names, ISO 639-3 code for the ZIM's
/// `Language`): English, Urdu and Russian, all in the one book (the page chooses as the
/// browser's languages, `?lang=` or the visitor's menu say).
pub const LANGUAGES: &[(&str, &str)] = &[("en", "eng"), ("ur", "urd"), ("ru", "rus")];

/// Written into the ZIM's index.html, after the CSP: the boot script registers no service worker
/// when it finds it (web/register-sw.js).
pub const MARKER: &str = r#"<meta name="pakru-package" content="zim">"#;

/// The ZIM's metadata (openZIM: Title at most 30 characters, Description at most 80).
pub const TITLE: &str = "Pakistan–Russia Relations";
pub const DESCRIPTION: &str = "Pakistan and the USSR/Russia since 1947: timeline, map, charts, every fact cited";
pub const CREATOR: &str = "Pakistan–Russia Relations Atlas";
pub const PUBLISHER: &str = "Pakistan–Russia Relations Atlas";
/// The whole atlas: every view and every record (there is no reduced variant).
pub const FLAVOUR: &str = "maxi";
pub const TAGS: &str = "_category:other;_pictures:yes;_videos:no;_details:yes;history;pakistan;russia;timeline;map";
pub const ILLUSTRATION: &str = "zim-illustration-48.png";

/// The one inline event handler kiwix-serve 3.3's top bar runs in our page: jQuery 1.10.2
/// (which the bar loads from `/skin/`) tests event support by setting `onsubmit`, `onchange`
/// and `onfocusin` attributes to `t` on a detached element. Under [`CSP`] that is three
/// console errors per page load. `'unsafe-hashes'` with the hash of `t` allows an inline
/// handler whose whole text is `t` (a bare name, which does nothing) and nothing else.
pub const KIWIX_BAR_HANDLER: &str = "t";

/// [`CSP`] for the ZIM build: `script-src` also allows [`KIWIX_BAR_HANDLER`] (by hash, with
/// `'unsafe-hashes'`), and `form-action 'self'` lets the bar's search form send its query to
/// kiwix-serve's `/search` on the same origin. Still no inline `<script>`, no inline style, no
/// other inline handler, nothing from another origin.
pub fn zim_csp() -> Res<String> {
    let script = "script-src 'self' 'wasm-unsafe-eval'";
    let form = "form-action 'none'";
    if !CSP.contains(script) || !CSP.contains(form) {
        return Err(format!("offline::CSP has changed; update zim_csp for it: {CSP}"));
    }
    let hash = sha256_b64(KIWIX_BAR_HANDLER.as_bytes());
    Ok(CSP.replace(script, &format!("{script} 'unsafe-hashes' 'sha256-{hash}'")).replace(form, "form-action 'self'"))
}

/// The ZIM `Name` (`pakru-atlas_en_all`) and the `Language` metadata (`eng`) of `languages`.
pub fn name_and_language(languages: &[(&str, &str)]) -> Res<(String, String)> {
    let code = match languages {
        [] => return Err("no language".into()),
        [(one, _)] => *one,
        _ => "mul",
    };
    let iso3: Vec<&str> = languages.iter().map(|(_, l)| *l).collect();
    Ok((format!("{}_{code}_all", crate::util::PACKAGE), iso3.join(",")))
}

/// `YYYY-MM` of Unix time `secs` (UTC).
pub fn year_month(secs: i64) -> Res<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(secs).map_err(|e| format!("time {secs}: {e}"))?;
    Ok(format!("{:04}-{:02}", t.year(), u8::from(t.month())))
}

/// The time the file name carries: `SOURCE_DATE_EPOCH` when set, else now.
fn build_time() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    })
}

/// The ZIM file `cargo xtask dist` writes beside `dist` at Unix time `secs`.
pub fn zim_path(dist: &Path, secs: i64) -> Res<PathBuf> {
    let (name, _) = name_and_language(LANGUAGES)?;
    Ok(dist.parent().unwrap_or(Path::new(".")).join(format!("{name}_{}.zim", year_month(secs)?)))
}

/// The ZIM files of this atlas beside `dist` (`pakru-atlas_*_all_*.zim`), newest name last.
pub fn existing(dist: &Path) -> Vec<PathBuf> {
    let dir = dist.parent().unwrap_or(Path::new("."));
    let prefix = format!("{}_", crate::util::PACKAGE);
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            n.starts_with(&prefix) && n.contains("_all_") && n.ends_with(".zim")
        })
        .collect();
    out.sort();
    out
}

/// dist/'s index.html for the ZIM: [`zim_csp`] in place of [`CSP`], then [`MARKER`]. An
/// error when the page has no CSP meta or its policy is not [`CSP`], or when the result has
/// inline script or style.
pub fn rewrite_index(html: &str) -> Res<String> {
    let policy = zim_csp()?;
    let found = std::cell::Cell::new(0);
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("meta[http-equiv]", |el| {
        let equiv = el.get_attribute("http-equiv").unwrap_or_default();
        if equiv.eq_ignore_ascii_case("content-security-policy") {
            found.set(found.get() + 1);
            if el.get_attribute("content").as_deref() != Some(CSP) {
                return Err("dist/index.html: its Content-Security-Policy is not offline::CSP".into());
            }
            el.set_attribute("content", &policy)?;
            el.after(&format!("\n  {MARKER}"), ContentType::Html);
        }
        Ok(())
    }));
    let out = rewrite_str(html, settings).map_err(|e| format!("dist/index.html: {e}"))?;
    if found.get() != 1 {
        return Err(format!("dist/index.html: expected one Content-Security-Policy meta, found {}", found.get()));
    }
    let problems = csp_problems(&out, false)?;
    if !problems.is_empty() {
        return Err(format!("the ZIM's index.html breaks its CSP: {}", problems.join("; ")));
    }
    Ok(out)
}

// ---------------------------------------------------------------- packing and checking

/// What [`write`] made.
pub struct Zim {
    pub path: PathBuf,
    pub bytes: u64,
    /// How many files it holds (the illustration among them).
    pub files: usize,
    pub secs: f64,
}

/// Copies dist/'s files into `stage` as the ZIM holds them (see the module's comment). Returns
/// how many files.
pub fn stage(dist: &Path, stage: &Path) -> Res<usize> {
    if stage.exists() {
        fs::remove_dir_all(stage).map_err(|e| format!("{}: {e}", stage.display()))?;
    }
    let files: Vec<String> = crate::offline::bundle_files(dist)?.into_iter().filter(|f| f != SW_NAME).collect();
    for f in &files {
        let to = stage.join(f);
        if let Some(d) = to.parent() {
            fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        if f == "index.html" {
            let html = fs::read_to_string(dist.join(f)).map_err(|e| format!("{f}: {e}"))?;
            fs::write(&to, rewrite_index(&html)?).map_err(|e| format!("{}: {e}", to.display()))?;
        } else {
            fs::copy(dist.join(f), &to).map_err(|e| format!("{f}: {e}"))?;
        }
    }
    let icon = root().join("web/icon-192.png");
    let icon = fs::read(&icon).map_err(|e| format!("{}: {e}", icon.display()))?;
    let ill = stage.join(ILLUSTRATION);
    fs::write(&ill, illustration_48(&icon)?).map_err(|e| format!("{}: {e}", ill.display()))?;
    Ok(files.len() + 1)
}

/// Packs `dist` into [`zim_path`] (removing older ZIM files of the atlas beside it), installing
/// zim-tools when missing.
pub fn write(dist: &Path) -> Res<Zim> {
    crate::tools::ensure_zim_tools()?;
    let t = Instant::now();
    let stage_dir = root().join("target").join("zim-stage");
    let files = stage(dist, &stage_dir)?;
    let path = zim_path(dist, build_time())?;
    for old in existing(dist) {
        fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    let (name, language) = name_and_language(LANGUAGES)?;
    let version = crate::offline::package_version()?;
    run(Command::new("zimwriterfs")
        .arg("--welcome=index.html")
        .arg(format!("--illustration={ILLUSTRATION}"))
        .arg(format!("--language={language}"))
        .arg(format!("--title={TITLE}"))
        .arg(format!("--description={DESCRIPTION}"))
        .arg(format!("--creator={CREATOR}"))
        .arg(format!("--publisher={PUBLISHER}"))
        .arg(format!("--name={name}"))
        .arg(format!("--flavour={FLAVOUR}"))
        .arg(format!("--tags={TAGS}"))
        .arg(format!("--scraper={} {version} (cargo xtask dist)", crate::util::PACKAGE))
        .args(["--threads", "2"])
        .arg(&stage_dir)
        .arg(&path))?;
    let bytes = fs::metadata(&path).map_err(|e| format!("zimwriterfs wrote no {}: {e}", path.display()))?.len();
    Ok(Zim { path, bytes, files, secs: t.elapsed().as_secs_f64() })
}

/// `zimcheck -A` on `zim`: an error unless it exits 0 and reports `Overall Test Status: Pass`.
pub fn check(zim: &Path) -> Res {
    crate::tools::ensure_zim_tools()?;
    println!("$ zimcheck -A {}", zim.display());
    let out = Command::new("zimcheck").arg("-A").arg(zim).output().map_err(|e| format!("zimcheck: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    print!("{text}");
    if out.status.success() && text.contains("Overall Test Status: Pass") {
        Ok(())
    } else {
        Err(format!("zimcheck -A {} did not pass ({})", zim.display(), out.status))
    }
}

/// One line for `cargo xtask dist`.
pub fn describe(z: &Zim) -> String {
    let version = output_of("zimwriterfs", &["--version"]).unwrap_or_default();
    let version = version.lines().next().unwrap_or("");
    format!(
        "{}  {} ({} bytes, {} files, packed in {:.1} s{})",
        z.path.display(),
        human_bytes(z.bytes),
        z.bytes,
        z.files,
        z.secs,
        if version.is_empty() { String::new() } else { format!(", {version}") }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offline::{csp_meta, tags};

    /// Whether `html` carries [`MARKER`].
    fn has_marker(html: &str) -> Res<bool> {
        Ok(tags(html)?
            .iter()
            .any(|t| t.name == "meta" && t.attr("name") == Some("pakru-package") && t.attr("content") == Some("zim")))
    }

    #[test]
    fn metadata_fits_openzim_limits() {
        assert!(TITLE.chars().count() <= 30, "{TITLE}");
        assert!(DESCRIPTION.chars().count() <= 80, "{}", DESCRIPTION.chars().count());
        assert_eq!(name_and_language(&LANGUAGES[..1]).unwrap(), ("pakru-atlas_en_all".into(), "eng".into()));
        assert_eq!(name_and_language(LANGUAGES).unwrap(), ("pakru-atlas_mul_all".into(), "eng,urd,rus".into()));
        assert_eq!(
            name_and_language(&[("en", "eng"), ("ur", "urd"), ("ru", "rus")]).unwrap(),
            ("pakru-atlas_mul_all".into(), "eng,urd,rus".into())
        );
        assert!(name_and_language(&[]).is_err());
    }

    #[test]
    fn file_name_carries_the_month() {
        // 2026-11-29 22:18 UTC; 2024-02-29 23:59:59 UTC; 1999-12-31 23:59:59 UTC.
        assert_eq!(year_month(1_795_990_680).unwrap(), "2026-11");
        assert_eq!(year_month(1_709_251_199).unwrap(), "2024-02");
        assert_eq!(year_month(946_684_799).unwrap(), "1999-12");
        let p = zim_path(Path::new("/x/dist"), 1_709_251_199).unwrap();
        assert_eq!(p, Path::new("/x/pakru-atlas_mul_all_2024-02.zim"));
    }

    #[test]
    fn zim_policy_adds_only_the_bar_handler_and_same_origin_forms() {
        let p = zim_csp().unwrap();
        // sha256 of "t", as browsers hash an inline handler's text.
        assert_eq!(
            p,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-hashes' \
             'sha256-47mKTaMaEn1L3m5DAz9muidMqw636xxw7EFAK/YnPdg='; style-src 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'self'"
        );
        assert!(!p.contains("unsafe-inline"));
    }

    #[test]
    fn rewrites_the_index_for_the_zim() {
        let html = format!(
            "<!doctype html><html lang=en><head><meta charset=utf-8>\n  {}<title>t</title>\
             <script type=module src=./boot-1.js></script></head><body><p>x</p></body></html>",
            csp_meta(CSP)
        );
        assert!(!has_marker(&html).unwrap());
        let out = rewrite_index(&html).unwrap();
        let expected = html
            .replace(&csp_meta(CSP), &format!("{}\n  {MARKER}", csp_meta(&zim_csp().unwrap()).replace('\'', "&#39;")));
        // lol_html may write the new content with quotes escaped; compare what a parser reads.
        let t = tags(&out).unwrap();
        let meta = t.iter().find(|t| t.attr("http-equiv").is_some()).unwrap();
        assert_eq!(meta.attr("content").map(|c| c.replace("&#39;", "'")), Some(zim_csp().unwrap()));
        assert!(has_marker(&out).unwrap());
        assert_eq!(out.replace("&#39;", "'"), expected.replace("&#39;", "'"));
        // No policy, a different policy, an inline script: errors.
        assert!(rewrite_index("<html><head><meta charset=utf-8></head></html>").is_err());
        assert!(rewrite_index(&html.replace("form-action 'none'", "form-action *")).is_err());
        assert!(rewrite_index(&html.replace("<p>x</p>", "<script>x()</script>")).unwrap_err().contains("inline"));
    }

    /// The staged copy: no sw.js, no .br/.gz, index.html rewritten, the illustration added,
    /// every other file byte for byte.
    #[test]
    fn stages_dist_for_the_zim() {
        let base = std::env::temp_dir().join(format!("xtask-zim-{}", std::process::id()));
        let (dist, out) = (base.join("dist"), base.join("stage"));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(dist.join("sub")).unwrap();
        let html = format!("<html><head><meta charset=utf-8>{}<title>t</title></head></html>", csp_meta(CSP));
        fs::write(dist.join("index.html"), &html).unwrap();
        fs::write(dist.join("index.html.br"), "x").unwrap();
        fs::write(dist.join("sw.js"), "self.x").unwrap();
        fs::write(dist.join("sub/a.wasm"), [0, 97, 115, 109]).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.js"), "old").unwrap();
        assert_eq!(stage(&dist, &out).unwrap(), 3);
        assert_eq!(crate::offline::all_files(&out).unwrap(), ["index.html", "sub/a.wasm", ILLUSTRATION]);
        assert!(has_marker(&fs::read_to_string(out.join("index.html")).unwrap()).unwrap());
        assert_eq!(fs::read(out.join("sub/a.wasm")).unwrap(), [0, 97, 115, 109]);
        // dist/ itself is untouched.
        assert_eq!(fs::read_to_string(dist.join("index.html")).unwrap(), html);
        fs::write(base.join("pakru-atlas_en_all_2024-02.zim"), "").unwrap();
        fs::write(base.join("pakru-atlas-0.1.0.zip"), "").unwrap();
        assert_eq!(existing(&dist), [base.join("pakru-atlas_en_all_2024-02.zim")]);
        fs::remove_dir_all(&base).unwrap();
    }
}
