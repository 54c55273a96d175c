//! Installing what the build and the tests need, only where it is missing or at the wrong
//! version. Every install says what it does.
//!
//! - `wasm32-unknown-unknown` (rustup)
//! - for `cargo xtask test`: the `clippy` and `rustfmt` components (rustup)
//! - Trunk 0.21 (`cargo install trunk --version ~0.21 --locked`)
//! - wasm-bindgen-cli at exactly Cargo.lock's `wasm-bindgen` version, which Trunk.toml must name
//! - Node.js >= 20 and the npm packages of package-lock.json (`npm ci`, re-run when the lock
//!   changes): playwright-core and binaryen
//! - wasm-opt at Trunk.toml's version: the system's if it matches, else binaryen's from
//!   node_modules through a small shim put first on Trunk's PATH
//! - Chromium (Debian's, with apt-get as root; elsewhere `CHROME`)
//! - zimwriterfs and zimcheck (Debian's `zim-tools`) for the ZIM file, kiwix-serve (Debian's
//!   `kiwix-tools`) for its browser test: [`ensure_zim_tools`], [`ensure_zim_and_kiwix_tools`]

use crate::util::{output_of, root, run, Res};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const TRUNK_SERIES: &str = "0.21.";
const NODE_MIN_MAJOR: u32 = 20;

/// What the Trunk commands need: the PATH to give them (with the wasm-opt shim first).
pub struct Toolchain {
    pub path_env: OsString,
}

impl Toolchain {
    /// A `trunk` command with the right PATH, run from the repository root.
    pub fn trunk(&self) -> Command {
        let mut c = Command::new("trunk");
        c.current_dir(root()).env("PATH", &self.path_env);
        c
    }
}

/// Everything Trunk needs (the wasm target, trunk, wasm-bindgen, node packages, wasm-opt).
pub fn ensure_build_tools() -> Res<Toolchain> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_node()?;
    ensure_npm_packages()?;
    let path_env = ensure_wasm_opt()?;
    Ok(Toolchain { path_env })
}

pub(crate) fn is_debian_root() -> bool {
    Path::new("/etc/debian_version").exists() && output_of("id", &["-u"]).as_deref() == Some("0")
}

pub(crate) fn apt_install(packages: &[&str]) -> Res {
    println!("installing Debian packages: {}", packages.join(" "));
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        // With recommends, as verified on this kind of machine (Chromium's fonts among them).
        .args(["install", "-y"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

pub fn ensure_wasm_target() -> Res {
    match output_of("rustup", &["target", "list", "--installed"]) {
        Some(list) if list.lines().any(|l| l.trim() == WASM_TARGET) => {
            println!("ok: rust target {WASM_TARGET}");
            Ok(())
        }
        Some(_) => {
            println!("installing rust target {WASM_TARGET}");
            run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        }
        None => {
            // No rustup: trust that the toolchain has the target (the build will say if not).
            println!("note: rustup not found; assuming the toolchain has {WASM_TARGET}");
            Ok(())
        }
    }
}

/// The rustup components `cargo xtask test` runs (`cargo clippy`, `cargo fmt`), each added
/// with `rustup component add` when its cargo subcommand does not run.
pub fn ensure_lint_tools() -> Res {
    for (component, subcommand) in [("clippy", "clippy"), ("rustfmt", "fmt")] {
        if let Some(v) = output_of("cargo", &[subcommand, "--version"]) {
            println!("ok: {v}");
            continue;
        }
        if output_of("rustup", &["--version"]).is_none() {
            return Err(format!(
                "`cargo {subcommand}` does not run and rustup is not installed: install {component} for this toolchain"
            ));
        }
        println!("installing rust component {component}");
        run(Command::new("rustup").args(["component", "add", component]))?;
        if output_of("cargo", &[subcommand, "--version"]).is_none() {
            return Err(format!("rustup added {component} but `cargo {subcommand} --version` still fails"));
        }
    }
    Ok(())
}

pub fn ensure_trunk() -> Res {
    let v = output_of("trunk", &["--version"]);
    if let Some(v) = &v {
        if v.split_whitespace().nth(1).is_some_and(|x| x.starts_with(TRUNK_SERIES)) {
            println!("ok: {v}");
            return Ok(());
        }
    }
    println!("installing trunk 0.21 (found: {}); this compiles for several minutes", v.as_deref().unwrap_or("none"));
    run(Command::new("cargo").args(["install", "trunk", "--version", "~0.21", "--locked"]))
}

/// Cargo.lock, as far as xtask reads it: its `[[package]]` tables.
#[derive(serde::Deserialize)]
struct CargoLock {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(serde::Deserialize)]
struct LockedPackage {
    name: String,
    version: String,
}

/// The version of `package` in the Cargo.lock text `lock` (there must be exactly one).
fn lock_version(lock: &str, package: &str) -> Res<String> {
    let lock: CargoLock = toml::from_str(lock).map_err(|e| format!("Cargo.lock: {e}"))?;
    let versions: Vec<String> = lock.package.into_iter().filter(|p| p.name == package).map(|p| p.version).collect();
    match versions.as_slice() {
        [v] => Ok(v.clone()),
        [] => Err(format!("Cargo.lock has no package `{package}` (run `cargo generate-lockfile`?)")),
        _ => Err(format!("Cargo.lock has several versions of `{package}`: {}", versions.join(", "))),
    }
}

/// The version of `package` in Cargo.lock (there must be exactly one).
pub fn cargo_lock_version(package: &str) -> Res<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    lock_version(&lock, package)
}

/// A string `key` of the `[tools]` table of the Trunk.toml text `text`.
fn tools_entry(text: &str, key: &str) -> Res<Option<String>> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| format!("Trunk.toml: {e}"))?;
    let Some(tools) = doc.get("tools") else { return Ok(None) };
    let tools = tools.as_table().ok_or("Trunk.toml: `tools` is not a table")?;
    match tools.get(key) {
        None => Ok(None),
        Some(toml::Value::String(v)) => Ok(Some(v.clone())),
        Some(v) => Err(format!("Trunk.toml: [tools] {key} is a {}, not a string", v.type_str())),
    }
}

/// A `key = "value"` of Trunk.toml's `[tools]` table.
pub fn trunk_toml_tool(key: &str) -> Res<Option<String>> {
    let text = fs::read_to_string(root().join("Trunk.toml")).map_err(|e| format!("Trunk.toml: {e}"))?;
    tools_entry(&text, key)
}

pub fn ensure_wasm_bindgen() -> Res {
    let want = cargo_lock_version("wasm-bindgen")?;
    match trunk_toml_tool("wasm_bindgen")? {
        Some(v) if v == want => {}
        Some(v) => {
            return Err(format!(
                "Trunk.toml sets [tools] wasm_bindgen = \"{v}\" but Cargo.lock has wasm-bindgen {want}: \
                 set wasm_bindgen = \"{want}\" in Trunk.toml"
            ))
        }
        None => {
            return Err(format!(
                "Trunk.toml has no [tools] wasm_bindgen: add wasm_bindgen = \"{want}\" (Cargo.lock's version)"
            ))
        }
    }
    let found = output_of("wasm-bindgen", &["--version"]);
    if found.as_deref().and_then(|v| v.split_whitespace().nth(1)) == Some(want.as_str()) {
        println!("ok: wasm-bindgen {want}");
        return Ok(());
    }
    println!(
        "installing wasm-bindgen-cli {want} (found: {}); this compiles for several minutes",
        found.as_deref().unwrap_or("none")
    );
    // No --locked: one of its locked dependencies is missing from the registry index.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &format!("={want}")]))
}

pub fn ensure_node() -> Res {
    let major = |v: &str| v.trim_start_matches('v').split('.').next().and_then(|m| m.parse::<u32>().ok());
    let mut v = output_of("node", &["--version"]);
    if v.is_none() && output_of("npm", &["--version"]).is_none() && is_debian_root() {
        apt_install(&["nodejs", "npm"])?;
        v = output_of("node", &["--version"]);
    }
    match v.as_deref().and_then(major) {
        Some(m) if m >= NODE_MIN_MAJOR => {
            println!("ok: node {}", v.unwrap());
            if output_of("npm", &["--version"]).is_none() {
                return Err("npm not found: install npm (Debian: apt-get install npm)".into());
            }
            Ok(())
        }
        _ => Err(format!(
            "Node.js >= {NODE_MIN_MAJOR} is needed (found: {}); install it (nodejs from your OS or nodejs.org)",
            v.as_deref().unwrap_or("none")
        )),
    }
}

/// FNV-1a, 64 bits: a stable hash for the npm stamp.
fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `npm ci` when node_modules is missing or package-lock.json changed since the last one.
pub fn ensure_npm_packages() -> Res {
    let root = root();
    let lock = fs::read(root.join("package-lock.json")).map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp_path = root.join("node_modules/.xtask-npm-stamp");
    let want = format!("{:016x}", fnv64(&lock));
    let have = fs::read_to_string(&stamp_path).unwrap_or_default();
    let present = root.join("node_modules/playwright-core/package.json").exists()
        && root.join("node_modules/binaryen/package.json").exists()
        && root.join("node_modules/terser/package.json").exists();
    if present && have.trim() == want {
        println!("ok: node_modules matches package-lock.json");
        return Ok(());
    }
    println!(
        "installing npm packages with `npm ci` ({})",
        if present { "package-lock.json changed" } else { "node_modules missing" }
    );
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&root))?;
    fs::write(&stamp_path, want).map_err(|e| format!("{}: {e}", stamp_path.display()))
}

/// The `version` field of an installed npm package.
pub fn npm_package_version(name: &str) -> Option<String> {
    let text = fs::read_to_string(root().join("node_modules").join(name).join("package.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("version")?.as_str().map(str::to_string)
}

/// Makes sure `wasm-opt --version` on Trunk's PATH reports Trunk.toml's `wasm_opt` version
/// (Trunk would otherwise try to download it). Returns that PATH.
pub fn ensure_wasm_opt() -> Res<OsString> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let Some(want) = trunk_toml_tool("wasm_opt")? else {
        return Err("Trunk.toml has no [tools] wasm_opt (e.g. wasm_opt = \"version_132\")".into());
    };
    let want_num = want.strip_prefix("version_").unwrap_or(&want).to_string();
    // Trunk reads the third word of `wasm-opt --version`: "wasm-opt version 132 (version_132)".
    let system = output_of("wasm-opt", &["--version"]);
    if system.as_deref().and_then(|v| v.split(' ').nth(2)) == Some(want_num.as_str()) {
        println!("ok: system wasm-opt version {want_num}");
        return Ok(path);
    }
    let npm_version = npm_package_version("binaryen")
        .ok_or("node_modules/binaryen is missing: package.json must list binaryen (npm ci installs it)")?;
    if npm_version.split('.').next() != Some(want_num.as_str()) {
        return Err(format!(
            "Trunk.toml wants wasm-opt {want} but package-lock.json has binaryen {npm_version}: \
             make them agree (npm install --save-exact binaryen@{want_num}.0.0, or change Trunk.toml)"
        ));
    }
    let shim_dir = root().join("target/xtask-bin");
    let shim = shim_dir.join("wasm-opt");
    let script = format!(
        "#!/bin/sh\n# Written by cargo xtask: binaryen {npm_version} from npm, for Trunk.\nexec node \"{}\" \"$@\"\n",
        root().join("node_modules/binaryen/bin/wasm-opt").display()
    );
    if fs::read_to_string(&shim).ok().as_deref() != Some(script.as_str()) {
        fs::create_dir_all(&shim_dir).map_err(|e| format!("{}: {e}", shim_dir.display()))?;
        fs::write(&shim, &script).map_err(|e| format!("{}: {e}", shim.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&shim, fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
        }
        println!("wrote {} (wasm-opt from npm binaryen {npm_version})", shim.display());
    }
    println!(
        "ok: wasm-opt version {want_num} from node_modules/binaryen (system: {})",
        system.as_deref().unwrap_or("none")
    );
    let mut dirs = vec![shim_dir];
    dirs.extend(std::env::split_paths(&path));
    std::env::join_paths(dirs).map_err(|e| e.to_string())
}

/// The Chromium binary for the browser tests.
pub fn ensure_chromium() -> Res<PathBuf> {
    if let Some(c) = std::env::var_os("CHROME").filter(|c| !c.is_empty()) {
        let c = PathBuf::from(c);
        if !c.exists() {
            return Err(format!("CHROME={} does not exist", c.display()));
        }
        println!("ok: Chromium from CHROME: {}", c.display());
        return Ok(c);
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if !debian.exists() {
        if is_debian_root() {
            apt_install(&["chromium", "chromium-driver", "binaryen"])?;
        } else {
            return Err("Chromium not found: install Debian's `chromium` package (apt-get install chromium) \
                        or set CHROME to a Chromium/Chrome binary"
                .into());
        }
    }
    if !debian.exists() {
        return Err("apt-get ran but /usr/bin/chromium is still missing".into());
    }
    println!("ok: {}", output_of("/usr/bin/chromium", &["--version"]).unwrap_or_else(|| "/usr/bin/chromium".into()));
    Ok(debian)
}

/// Each `(program, Debian package)` whose program does not run (`--version`) is installed with
/// apt-get as root on Debian; elsewhere an error says what to install.
fn ensure_programs(programs: &[(&str, &str)]) -> Res {
    let missing: Vec<&str> =
        programs.iter().filter(|(p, _)| output_of(p, &["--version"]).is_none()).map(|(_, d)| *d).collect();
    if !missing.is_empty() {
        if !is_debian_root() {
            return Err(format!("install the Debian/Ubuntu package(s) {} (apt-get install)", missing.join(" ")));
        }
        let mut packages = missing.clone();
        packages.dedup();
        apt_install(&packages)?;
    }
    for (p, _) in programs {
        let v = output_of(p, &["--version"]).ok_or(format!("{p} still does not run after installing it"))?;
        println!("ok: {p} {}", v.lines().next().unwrap_or(""));
    }
    Ok(())
}

/// zimwriterfs and zimcheck (package `zim-tools`), for the ZIM file of `cargo xtask dist`.
pub fn ensure_zim_tools() -> Res {
    ensure_programs(&[("zimwriterfs", "zim-tools"), ("zimcheck", "zim-tools")])
}

/// zim-tools and kiwix-serve (package `kiwix-tools`, for e2e/specs/zim.mjs), in one apt-get
/// run when both are missing.
pub fn ensure_zim_and_kiwix_tools() -> Res {
    ensure_programs(&[("zimwriterfs", "zim-tools"), ("zimcheck", "zim-tools"), ("kiwix-serve", "kiwix-tools")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_stable() {
        assert_eq!(super::fnv64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn trunk_toml_names_cargo_lock_wasm_bindgen() {
        let lock = super::cargo_lock_version("wasm-bindgen").unwrap();
        assert_eq!(super::trunk_toml_tool("wasm_bindgen").unwrap(), Some(lock));
    }

    #[test]
    fn reads_cargo_lock_packages() {
        let lock = r#"# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "syn"
version = "1.0.109"

[[package]]
name = "syn"
version = "2.0.100"
"#;
        assert_eq!(lock_version(lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(lock_version(lock, "wasm-bindgen-cli").unwrap_err().contains("no package `wasm-bindgen-cli`"));
        let e = lock_version(lock, "syn").unwrap_err();
        assert!(e.contains("1.0.109, 2.0.100"), "{e}");
        assert!(lock_version("[[package]\nname = ", "syn").unwrap_err().starts_with("Cargo.lock: "));
    }

    #[test]
    fn reads_trunk_toml_tools() {
        let text = r#"
[build]
target = "index.html" # wasm_opt = "no"
wasm_opt = "not this one"

[tools]
# wasm_bindgen = "0.0.1"
wasm_bindgen = "0.2.130"  # must equal Cargo.lock's
wasm_opt = 'version_132'

[serve]
port = 8080
"#;
        assert_eq!(tools_entry(text, "wasm_bindgen").unwrap().as_deref(), Some("0.2.130"));
        assert_eq!(tools_entry(text, "wasm_opt").unwrap().as_deref(), Some("version_132"));
        assert_eq!(tools_entry(text, "sass").unwrap(), None);
        assert_eq!(tools_entry("[build]\n", "wasm_opt").unwrap(), None);
        assert!(tools_entry("[tools]\nwasm_opt = 132\n", "wasm_opt").is_err());
    }
}
