//! `cargo xtask test`: every check and test, native and in the browsers (Chromium; the core also
//! in Firefox ESR and WebKitGTK).
//!
//! Steps, in order:
//! 1. tools: installs what is missing (the build tools of [`crate::tools`], and the `clippy`
//!    and `rustfmt` components), then Chromium, then Firefox ESR and WebKitGTK ([`crate::engines`]);
//! 2. `cargo fmt --all --check`;
//! 3. `cargo clippy --workspace --all-targets -- -D warnings` (the host);
//! 4. `cargo clippy -p pakru-atlas --target wasm32-unknown-unknown -- -D warnings` (the app as
//!    the browser runs it, with its wasm-only code);
//! 5. `cargo test --workspace`;
//! 6. the data check (`cargo xtask check-data`);
//! 7. the release build into dist/ (and the build with broken data for the error-panel test),
//!    then `zimcheck -A` on the ZIM file it packs ([`crate::zim`]);
//! 8. the browser tests (`node e2e/run.mjs`) against dist/ served twice by the static server:
//!    at the root (`BASE_URL`) and under a sub-path (`SUBPATH_BASE_URL`, as a university would
//!    embed it); e2e/specs/zim.mjs serves the ZIM file (`ZIM_FILE`) with kiwix-serve itself.
//!
//! A failing step among 2 to 6 makes the run fail but does not stop the later ones; a failed
//! build skips the browser tests. Every step is reported as it ends and in the list at the end,
//! then one SUMMARY line.
//!
//! Options: `--browser-only` (skip steps 2 to 6), `--no-build` (use the dist/ already there),
//! `--grep TEXT` (only browser tests whose name contains TEXT).

use crate::util::{root, run, run_tee, Res, Steps};
use std::process::Command;

pub const SUBPATH: &str = "/university/pages/atlas/";

/// The format and lint steps: (step name, cargo arguments). Each fails on any finding.
const LINT_STEPS: [(&str, &[&str]); 3] = [
    ("cargo fmt --check", &["fmt", "--all", "--check"]),
    ("cargo clippy (host)", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    (
        "cargo clippy (wasm32)",
        &["clippy", "-p", "pakru-atlas", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"],
    ),
];

#[derive(Default, Debug, PartialEq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

/// Sums every `test result: ok. N passed; M failed; ...` line of cargo test's output.
pub fn parse_cargo_counts(out: &str) -> Counts {
    let mut c = Counts::default();
    for line in out.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else { continue };
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            let n = |i: usize| words.get(i).and_then(|w| w.parse::<u64>().ok()).unwrap_or(0);
            match words.as_slice() {
                [.., _, "passed"] => c.passed += n(words.len() - 2),
                [.., _, "failed"] => c.failed += n(words.len() - 2),
                _ => {}
            }
        }
    }
    c
}

/// The browser runner's last `browser: N passed, M failed[, K skipped]` line.
pub fn parse_browser_counts(out: &str) -> Option<Counts> {
    let line = out.lines().rev().find_map(|l| l.trim().strip_prefix("browser: "))?;
    let mut c = Counts::default();
    for part in line.split(',') {
        let mut w = part.split_whitespace();
        let n = w.next()?.parse::<u64>().ok()?;
        match w.next()? {
            "passed" => c.passed = n,
            "failed" => c.failed = n,
            _ => {}
        }
    }
    Some(c)
}

pub struct Options {
    pub browser_only: bool,
    pub no_build: bool,
    pub grep: Option<String>,
}

fn parse_options(args: &[String]) -> Res<Options> {
    let mut o = Options { browser_only: false, no_build: false, grep: None };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--browser-only" => o.browser_only = true,
            "--no-build" => o.no_build = true,
            "--grep" => o.grep = Some(it.next().ok_or("--grep needs a value")?.clone()),
            _ => return Err(format!("unknown option {a} (expected --browser-only, --no-build, --grep TEXT)")),
        }
    }
    Ok(o)
}

pub fn cmd_test(args: &[String]) -> Res {
    let opts = parse_options(args)?;
    let root = root();
    let mut steps = Steps::default();
    let mut failures: Vec<String> = Vec::new();
    let mut native = Counts::default();
    let mut browser: Option<Counts> = None;

    let tools = steps.run("tools", || {
        let tools = crate::tools::ensure_build_tools()?;
        if !opts.browser_only {
            crate::tools::ensure_lint_tools()?;
        }
        Ok(tools)
    })?;
    let chrome = steps.run("chromium", crate::tools::ensure_chromium)?;
    if let Err(e) = steps.run("zim-tools, kiwix-serve", crate::tools::ensure_zim_and_kiwix_tools) {
        failures.push(e);
    }
    // Firefox and WebKit for the cross-engine core (e2e/engines/); without them those fail.
    if let Err(e) = steps.run("firefox, webkit", crate::engines::ensure_engines) {
        failures.push(format!("firefox, webkit: {e}"));
    }

    if !opts.browser_only {
        for (name, args) in LINT_STEPS {
            if let Err(e) = steps.run(name, || run(Command::new("cargo").args(args).current_dir(&root))) {
                failures.push(format!("{name}: {e}"));
            }
        }
        let r = steps.run("cargo test --workspace", || {
            let (ok, out) = run_tee(Command::new("cargo").args(["test", "--workspace"]).current_dir(&root))?;
            native = parse_cargo_counts(&out);
            if ok {
                Ok(())
            } else {
                Err("cargo test failed".into())
            }
        });
        if let Err(e) = r {
            failures.push(e);
        }
        if let Err(e) = steps.run("check-data", || crate::checkdata::cmd_check_data(&[])) {
            failures.push(e);
        }
    }

    let dist = if opts.no_build {
        let d = root.join("dist");
        if d.join("index.html").is_file() {
            Ok(d)
        } else {
            Err("--no-build but dist/index.html is missing".to_string())
        }
    } else {
        steps.run("trunk build --release", || crate::dist::build(&tools))
    };
    // The same app built with broken data, for the error-panel test (only when building: the
    // next normal build then recompiles with the real data).
    let broken = if opts.no_build {
        let d = root.join("target").join("dist-broken");
        d.join("index.html").is_file().then_some(d)
    } else if dist.is_ok() {
        match steps.run("trunk build (broken data)", || crate::dist::build_broken(&tools)) {
            Ok(d) => Some(d),
            Err(e) => {
                failures.push(format!("broken-data build: {e}"));
                None
            }
        }
    } else {
        None
    };
    match dist {
        Err(e) => failures.push(format!("dist: {e}; browser tests not run")),
        Ok(dist) => {
            let sizes = crate::dist::sizes(&dist)?;
            crate::dist::print_sizes(&format!("{}:", dist.display()), &sizes);
            // The browser's byte-budget test reads these sizes: one gzip measure everywhere.
            let sizes_file = root.join("target").join("dist-sizes.json");
            crate::dist::write_sizes(&sizes_file, &sizes)?;
            let zim = crate::zim::existing(&dist).pop();
            if let Err(e) =
                steps.run("zimcheck -A", || crate::zim::check(zim.as_deref().ok_or("no ZIM file beside dist/")?))
            {
                failures.push(e);
            }
            let r = steps.run("browser tests", || {
                let at_root = crate::server::start(&dist, "/", 0).map_err(|e| e.to_string())?;
                let at_sub = crate::server::start(&dist, SUBPATH, 0).map_err(|e| e.to_string())?;
                println!("serving dist/ at {} and {}", at_root.url(), at_sub.url());
                // The embed example (another origin), the single file, a deployment to update.
                let fixtures = crate::fixtures::start_all(&dist, &at_sub, &at_root)?;
                let broken_server = match &broken {
                    Some(d) => Some(crate::server::start(d, "/", 0).map_err(|e| e.to_string())?),
                    None => None,
                };
                let mut cmd = Command::new("node");
                if let Some(s) = &broken_server {
                    cmd.env("BROKEN_DATA_URL", s.url());
                }
                cmd.envs(fixtures.env.iter().map(|(k, v)| (k, v)));
                cmd.env("DIST_SIZES", &sizes_file);
                if let Some(z) = &zim {
                    cmd.env("ZIM_FILE", z);
                }
                cmd.arg("e2e/run.mjs")
                    .current_dir(&root)
                    .env("BASE_URL", at_root.url())
                    .env("SUBPATH_BASE_URL", at_sub.url())
                    .env("CHROME", &chrome)
                    .env("OUT_DIR", root.join("test-output"));
                if let Some(g) = &opts.grep {
                    cmd.args(["--grep", g]);
                }
                let (ok, out) = run_tee(&mut cmd)?;
                browser = parse_browser_counts(&out);
                if browser.is_none() {
                    return Err("the browser runner printed no `browser: N passed, M failed` line".into());
                }
                if ok {
                    Ok(())
                } else {
                    Err("browser tests failed".into())
                }
            });
            if let Err(e) = r {
                failures.push(e);
            }
        }
    }

    steps.print();
    for f in &failures {
        println!("FAILED: {f}");
    }
    let b = browser.unwrap_or_default();
    let native_part = if opts.browser_only {
        "native skipped".to_string()
    } else {
        format!("native {} passed, {} failed", native.passed, native.failed)
    };
    println!("SUMMARY: {native_part}; browser {} passed, {} failed", b.passed, b.failed);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{} step(s) failed", failures.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_cargo_results() {
        let out = "running 3 tests\n\
            test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
            test result: FAILED. 10 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n\
            test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(parse_cargo_counts(out), Counts { passed: 13, failed: 2 });
    }

    #[test]
    fn reads_browser_line() {
        let out = "ok - a\nFAIL - b: x\nbrowser: 1 passed, 1 failed, 2 skipped\n";
        assert_eq!(parse_browser_counts(out), Some(Counts { passed: 1, failed: 1 }));
        assert_eq!(parse_browser_counts("nothing"), None);
        // With the per-engine line before it, the whole run's line counts.
        let out = "ok - [webkit] a\n# chromium 56 passed, 1 failed; firefox 20 passed, 0 failed; webkit 19 passed, 1 failed\n\
            browser: 95 passed, 2 failed, 3 skipped\n";
        assert_eq!(parse_browser_counts(out), Some(Counts { passed: 95, failed: 2 }));
    }
}
