//! Firefox ESR and WebKitGTK for the browser tests' cross-engine core (e2e/engines/): the
//! Debian packages, installed with apt-get as root where missing, like Chromium.
//!
//! `E2E_ENGINES` (comma-separated, default `chromium,firefox,webkit`) chooses the engines; the
//! browser runner reads the same variable.

use crate::util::{output_of, Res};
use std::path::Path;

pub const ALL: [&str; 3] = ["chromium", "firefox", "webkit"];

/// What each engine but Chromium needs: files that must exist, the packages that bring them.
const NEEDS: [(&str, &[&str], &[&str]); 2] = [
    ("firefox", &["/usr/bin/firefox-esr"], &["firefox-esr"]),
    // MiniBrowser comes with libwebkit2gtk-4.1-0, a dependency of webkit2gtk-driver.
    ("webkit", &["/usr/bin/WebKitWebDriver", "/usr/bin/Xvfb"], &["webkit2gtk-driver", "xvfb"]),
];

/// The engines named by `E2E_ENGINES` (all three when unset or empty).
pub fn parse_engines(var: Option<&str>) -> Res<Vec<String>> {
    let names: Vec<String> = match var.map(str::trim).filter(|v| !v.is_empty()) {
        None => ALL.iter().map(|s| s.to_string()).collect(),
        Some(v) => v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
    };
    if let Some(bad) = names.iter().find(|n| !ALL.contains(&n.as_str())) {
        return Err(format!("E2E_ENGINES: unknown engine {bad} (known: {})", ALL.join(", ")));
    }
    Ok(names)
}

/// The Debian packages missing for `engines`, given which files exist.
pub fn missing_packages(engines: &[String], exists: impl Fn(&str) -> bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (engine, files, packages) in NEEDS {
        if engines.iter().any(|e| e == engine) && !files.iter().all(|f| exists(f)) {
            out.extend_from_slice(packages);
        }
    }
    out
}

fn minibrowser() -> Option<String> {
    let dirs = std::fs::read_dir("/usr/lib").ok()?;
    dirs.flatten()
        .map(|d| d.path().join("webkit2gtk-4.1/MiniBrowser"))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

/// Installs what the chosen engines miss (as root on Debian), then prints their versions.
pub fn ensure_engines() -> Res {
    let engines = parse_engines(std::env::var("E2E_ENGINES").ok().as_deref())?;
    let exists = |f: &str| Path::new(f).exists();
    let mut missing = missing_packages(&engines, exists);
    if engines.iter().any(|e| e == "webkit") && minibrowser().is_none() && !missing.contains(&"webkit2gtk-driver") {
        missing.push("webkit2gtk-driver");
    }
    if !missing.is_empty() {
        if !crate::tools::is_debian_root() {
            return Err(format!(
                "missing for the browser tests: {} (install them, or set E2E_ENGINES=chromium)",
                missing.join(" ")
            ));
        }
        crate::tools::apt_install(&missing)?;
    }
    if engines.iter().any(|e| e == "firefox") {
        let v = output_of("/usr/bin/firefox-esr", &["--version"]).ok_or("/usr/bin/firefox-esr does not run")?;
        println!("ok: {v}");
    }
    if engines.iter().any(|e| e == "webkit") {
        let mb = minibrowser().ok_or("MiniBrowser of libwebkit2gtk-4.1-0 not found under /usr/lib")?;
        let v = output_of("dpkg-query", &["-W", "-f=${Version}", "webkit2gtk-driver"]).unwrap_or_else(|| "?".into());
        println!("ok: WebKitGTK {v}: {mb} with /usr/bin/WebKitWebDriver under Xvfb");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_engine_list() {
        assert_eq!(parse_engines(None).unwrap(), ALL);
        assert_eq!(parse_engines(Some(" ")).unwrap(), ALL);
        assert_eq!(parse_engines(Some("firefox, webkit")).unwrap(), ["firefox", "webkit"]);
        assert!(parse_engines(Some("chromium,safari")).unwrap_err().contains("safari"));
    }

    #[test]
    fn installs_only_what_is_missing() {
        let all: Vec<String> = ALL.iter().map(|s| s.to_string()).collect();
        assert!(missing_packages(&all, |_| true).is_empty());
        assert_eq!(missing_packages(&all, |_| false), ["firefox-esr", "webkit2gtk-driver", "xvfb"]);
        assert_eq!(missing_packages(&all, |f| f != "/usr/bin/Xvfb"), ["webkit2gtk-driver", "xvfb"]);
        assert!(missing_packages(&["chromium".to_string()], |_| false).is_empty());
    }
}
