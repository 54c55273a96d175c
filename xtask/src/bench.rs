//! `cargo xtask bench`: builds dist/, copies it to target/bench-dist/ (so that another build
//! into dist/ cannot change the bundle under the browsers), serves the copy (with the
//! `.br`/`.gz` files, as a web host does), then
//! - runs `node e2e/bench.mjs`: desktop cold loads (1280×800, no throttling) to the app's
//!   `atlas-ready` mark, with the browser's own FCP, LCP and CLS of each load; the
//!   `window.__atlasBench` functions;
//! - runs `node e2e/lighthouse.mjs`: Lighthouse's performance category, mobile profile with
//!   simulated throttling (150 ms RTT, 1.6 Mbit/s, 4× CPU), several runs;
//! - adds the first-visit bytes (raw, gzip and brotli, from the files the first load fetched,
//!   and `sw.js`),
//!
//! prints a table with the medians, their ranges and the targets, and writes
//! bench-output/bench.json (Lighthouse's numbers under "lighthouse"). It does not fail on a
//! target: the machine is shared and its timings noisy.
//!
//! Options: `--no-build` (use the dist/ already there), `--loads N` (cold loads, default 10),
//! `--lighthouse-runs N` (default 5; 0 leaves Lighthouse out).

use crate::util::{human_bytes, root, run, Res, Steps};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The targets, printed beside the measurements (Lighthouse's mobile profile for the first
/// four).
const TARGET_SCORE: f64 = 0.95;
const TARGET_LCP_MS: f64 = 1500.0;
const TARGET_TBT_MS: f64 = 200.0;
const TARGET_CLS: f64 = 0.02;
const TARGET_FIRST_VISIT_BR: u64 = 235 * 1024;

pub fn cmd_bench(args: &[String]) -> Res {
    let mut no_build = false;
    let mut loads = 10u32;
    let mut lighthouse_runs = 5u32;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => no_build = true,
            "--loads" => loads = it.next().and_then(|n| n.parse().ok()).ok_or("--loads needs a number")?,
            "--lighthouse-runs" => {
                lighthouse_runs = it.next().and_then(|n| n.parse().ok()).ok_or("--lighthouse-runs needs a number")?
            }
            _ => return Err(format!("unknown option {a} (expected --no-build, --loads N, --lighthouse-runs N)")),
        }
    }
    let root = root();
    let out_dir = root.join("bench-output");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let raw_path = out_dir.join("browser.json");
    let lighthouse_path = out_dir.join("lighthouse.json");
    for p in [&raw_path, &lighthouse_path] {
        let _ = std::fs::remove_file(p);
    }

    // The host's load: TBT and the long tasks move with it (README, Performance).
    let load_at_start = load_average();
    let mut steps = Steps::default();
    let tools = steps.run("tools", crate::tools::ensure_build_tools)?;
    let chrome = steps.run("chromium", crate::tools::ensure_chromium)?;
    let built =
        if no_build { root.join("dist") } else { steps.run("trunk build --release", || crate::dist::build(&tools))? };
    // The browsers load a copy: another build into dist/ while they run (a shared machine)
    // would mix two bundles in the numbers.
    let dist = root.join("target").join("bench-dist");
    steps.run("copy to target/bench-dist", || copy_dist(&built, &dist))?;
    let server = crate::server::start(&dist, "/", 0).map_err(|e| format!("{}: {e}", dist.display()))?;
    // The redraw benchmarks' hooks are compiled only with the feature `bench`: a second build.
    let hooks_dist = root.join("target").join("bench-hooks-dist");
    if !no_build || !hooks_dist.join("index.html").is_file() {
        steps.run("trunk build --release --features bench", || crate::dist::build_bench_hooks(&tools, &hooks_dist))?;
    }
    let hooks = crate::server::start(&hooks_dist, "/", 0).map_err(|e| format!("{}: {e}", hooks_dist.display()))?;
    steps.run("browser bench", || {
        run(Command::new("node")
            .arg("e2e/bench.mjs")
            .current_dir(&root)
            .env("BASE_URL", server.url())
            .env("BENCH_HOOKS_URL", hooks.url())
            .env("CHROME", &chrome)
            .env("BENCH_LOADS", loads.to_string())
            .env("BENCH_OUT", &raw_path))
    })?;

    if lighthouse_runs > 0 {
        steps.run("lighthouse", || {
            run(Command::new("node")
                .arg("e2e/lighthouse.mjs")
                .current_dir(&root)
                .env("BASE_URL", server.url())
                .env("CHROME", &chrome)
                .env("LH_RUNS", lighthouse_runs.to_string())
                .env("LH_OUT", &lighthouse_path))
        })?;
    }

    let mut report = read_json(&raw_path)?;
    if lighthouse_runs > 0 {
        report["lighthouse"] = read_json(&lighthouse_path)?;
    }

    // First-visit bytes: the files the first cold load fetched from our server, read from dist/.
    let mut first = Vec::new();
    let mut missing = Vec::new();
    for url in report["first_visit_urls"].as_array().cloned().unwrap_or_default() {
        let url = url.as_str().unwrap_or("");
        let Some(path) = url.strip_prefix(&server.url()) else { continue };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let name = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
        match crate::dist::file_size(&dist, &name) {
            Ok(f) if !first.iter().any(|g: &crate::dist::FileSize| g.name == f.name) => first.push(f),
            Ok(_) => {}
            Err(_) => missing.push(name),
        }
    }
    // The service worker script: the browser fetches it on every first visit too (not a page
    // request, so not in the list), as e2e/specs/budget.mjs counts it.
    if dist.join("sw.js").is_file() && !first.iter().any(|f| f.name == "sw.js") {
        first.push(crate::dist::file_size(&dist, "sw.js")?);
    }
    let (raw, gz) = crate::dist::totals(&first);
    let br = crate::dist::br_total(&first);
    let all = crate::dist::sizes(&dist)?;
    let (dist_raw, dist_gz) = crate::dist::totals(&all);
    report["first_visit_bytes"] = json!({
        "files": first
            .iter()
            .map(|f| json!({"file": f.name, "raw": f.raw, "gzip": f.gzip, "br": f.br}))
            .collect::<Vec<_>>(),
        "total_raw": raw,
        "total_gzip": gz,
        "total_br": br,
        "not_in_dist": missing,
    });
    report["dist_bytes"] =
        json!({ "total_raw": dist_raw, "total_gzip": dist_gz, "total_br": crate::dist::br_total(&all) });
    report["host"] = json!({
        "cpus": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "load_average_1min_at_start": load_at_start,
        "load_average_1min_at_end": load_average(),
    });
    println!();
    print_table(&report);
    crate::dist::print_sizes("\nfirst-visit bytes (files fetched by the first cold load):", &first);
    let out = out_dir.join("bench.json");
    std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap() + "\n")
        .map_err(|e| format!("{}: {e}", out.display()))?;
    println!("\nwrote {}", out.display());
    steps.print();
    Ok(())
}

/// The relative paths of the files under `dir` (the `.br`/`.gz` copies too; not hidden ones,
/// such as Trunk's `.stage/`), each with its length and modification time, sorted.
fn dist_stamp(dir: &Path) -> Res<Vec<(PathBuf, u64, SystemTime)>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, u64, SystemTime)>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let meta = entry.metadata()?;
            if meta.is_dir() {
                walk(base, &entry.path(), out)?;
            } else {
                let rel = entry.path().strip_prefix(base).map(Path::to_path_buf).unwrap_or_default();
                out.push((rel, meta.len(), meta.modified()?));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out).map_err(|e| format!("{}: {e}", dir.display()))?;
    out.sort();
    Ok(out)
}

/// Replaces `to` with a copy of the files of `from` ([`dist_stamp`]); fails if `from` changed
/// while it was copied.
fn copy_dist(from: &Path, to: &Path) -> Res {
    let files = dist_stamp(from)?;
    if to.exists() {
        std::fs::remove_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    for (rel, _, _) in &files {
        let dest = to.join(rel);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::copy(from.join(rel), &dest).map_err(|e| format!("{}: {e}", from.join(rel).display()))?;
    }
    if dist_stamp(from)? != files {
        return Err(format!("{} changed while it was copied (another build?): run the bench again", from.display()));
    }
    println!("copied {} files of {} to {}", files.len(), from.display(), to.display());
    Ok(())
}

fn read_json(path: &Path) -> Res<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn ms(v: &Value) -> String {
    v.as_f64().map(|x| format!("{x:.1} ms")).unwrap_or_else(|| "n/a".into())
}

/// How a summary's numbers (`{"median", "min", "max"}`) are written.
#[derive(Clone, Copy)]
enum Unit {
    /// Milliseconds, one decimal.
    Ms,
    /// Milliseconds, whole.
    WholeMs,
    /// Three decimals (a score, CLS).
    Plain,
    /// A whole number.
    Whole,
}

fn num(v: &Value, unit: Unit) -> String {
    match (v.as_f64(), unit) {
        (None, _) => "n/a".into(),
        (Some(x), Unit::Ms) => format!("{x:.1} ms"),
        (Some(x), Unit::WholeMs) => format!("{x:.0} ms"),
        (Some(x), Unit::Plain) => format!("{x:.3}"),
        (Some(x), Unit::Whole) => format!("{x:.0}"),
    }
}

/// "median X [min–max]" of a summary; "n/a" without samples.
fn median_range(s: &Value, unit: Unit) -> String {
    if s["median"].is_null() {
        return "n/a".into();
    }
    format!("median {} [{} – {}]", num(&s["median"], unit), num(&s["min"], unit), num(&s["max"], unit))
}

/// The target cell: `text`, and whether the median meets it (`at_most`: the median must not
/// exceed `limit`; else it must reach it).
fn target(s: &Value, text: &str, limit: f64, at_most: bool) -> String {
    match s["median"].as_f64() {
        Some(m) if (at_most && m <= limit) || (!at_most && m >= limit) => format!("{text} (met)"),
        Some(_) => format!("{text} (not met)"),
        None => text.to_string(),
    }
}

/// The 1-minute load average (`/proc/loadavg`), if the system gives one.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// The host's row: its CPUs, its load average at the bench's start and end, and Lighthouse's
/// benchmark index (its measure of this CPU's speed; it multiplies the CPU time it observes
/// here by 4 for the mobile profile).
fn host_cell(r: &Value) -> String {
    let h = &r["host"];
    let load = |k: &str| h[k].as_f64().map_or("n/a".to_string(), |v| format!("{v:.2}"));
    let index = &r["lighthouse"]["benchmark_index"];
    let index = if index["median"].is_null() {
        String::new()
    } else {
        format!("; Lighthouse's benchmark index {}", median_range(index, Unit::Whole))
    };
    format!(
        "{} CPUs; load average {} at the start, {} at the end{index}",
        h["cpus"].as_u64().unwrap_or(0),
        load("load_average_1min_at_start"),
        load("load_average_1min_at_end")
    )
}

fn print_table(r: &Value) {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |k: String, v: String, t: String| rows.push((k, v, t));
    row("host".into(), host_cell(r), String::new());
    let loads = &r["loads"];
    let n = loads["ready_ms"]["samples"].as_array().map(|a| a.len()).unwrap_or(0);
    row(
        format!("desktop, {n} cold loads: atlas-ready (the app's own mark)"),
        median_range(&loads["ready_ms"], Unit::Ms),
        String::new(),
    );
    for (key, label, unit) in [
        ("fcp_ms", "first contentful paint (browser's paint entry)", Unit::Ms),
        ("lcp_ms", "largest contentful paint (browser's LCP entry)", Unit::Ms),
        ("cls", "layout shifts summed, CLS (browser's entries)", Unit::Plain),
    ] {
        row(format!("desktop: {label}"), median_range(&loads[key], unit), String::new());
    }
    row("desktop: DOMContentLoaded".into(), median_range(&loads["dom_content_loaded_ms"], Unit::Ms), String::new());
    row("desktop: load event".into(), median_range(&loads["load_event_ms"], Unit::Ms), String::new());
    // Long tasks after the first paint (the wasm's own compile may be one of them: no other
    // long task is the target).
    let none = "≤ 1 (the wasm's compile may be one)";
    let slow_loads = loads["cpu4x_long_tasks_after_fcp"]["samples"].as_array().map(|a| a.len()).unwrap_or(0);
    for (key, label, unit, goal) in [
        ("long_tasks_after_fcp", "desktop: long tasks (> 50 ms) after FCP".to_string(), Unit::Plain, true),
        ("longest_task_after_fcp_ms", "desktop: the longest of them".into(), Unit::Ms, false),
        (
            "cpu4x_long_tasks_after_fcp",
            format!("CPU 4× slower, {slow_loads} cold loads: long tasks after FCP"),
            Unit::Plain,
            true,
        ),
        ("cpu4x_longest_task_after_fcp_ms", "CPU 4× slower: the longest of them".into(), Unit::Ms, false),
        ("cpu4x_blocking_after_fcp_ms", "CPU 4× slower: their time past 50 ms, summed".into(), Unit::Ms, false),
    ] {
        let cell = if goal { target(&loads[key], none, 1.0, true) } else { String::new() };
        row(label, median_range(&loads[key], unit), cell);
    }

    let lh = &r["lighthouse"];
    if lh.is_object() {
        let runs = lh["runs"].as_u64().unwrap_or(0);
        let score = &lh["performance_score"];
        row(
            format!("Lighthouse mobile, {runs} runs: performance score"),
            median_range(score, Unit::Plain),
            target(score, &format!("≥ {TARGET_SCORE}"), TARGET_SCORE, false),
        );
        for (key, label, unit, goal) in [
            ("fcp_ms", "FCP", Unit::WholeMs, None),
            ("lcp_ms", "LCP", Unit::WholeMs, Some((format!("≤ {:.1} s", TARGET_LCP_MS / 1000.0), TARGET_LCP_MS))),
            ("tbt_ms", "TBT", Unit::WholeMs, Some((format!("≤ {TARGET_TBT_MS:.0} ms"), TARGET_TBT_MS))),
            ("cls", "CLS", Unit::Plain, Some((format!("≤ {TARGET_CLS}"), TARGET_CLS))),
            ("speed_index_ms", "Speed Index", Unit::WholeMs, None),
            ("tti_ms", "TTI (interactive)", Unit::WholeMs, None),
        ] {
            let cell = goal.map(|(text, limit)| target(&lh[key], &text, limit, true)).unwrap_or_default();
            row(format!("Lighthouse mobile: {label}"), median_range(&lh[key], unit), cell);
        }
    } else {
        row("Lighthouse".into(), "not run (--lighthouse-runs 0)".into(), String::new());
    }

    match r["atlas_bench"].as_object() {
        Some(b) if !b.is_empty() => {
            for (name, v) in b {
                let cell = if let Some(e) = v.get("error").and_then(|e| e.as_str()) {
                    format!("error: {e}")
                } else {
                    format!(
                        "median {} / p95 {} / max {} ({} frames)",
                        ms(&v["median_ms"]),
                        ms(&v["p95_ms"]),
                        ms(&v["max_ms"]),
                        v["frames"].as_u64().unwrap_or(0)
                    )
                };
                row(format!("__atlasBench.{name}"), cell, String::new());
            }
        }
        _ => row("__atlasBench".into(), "n/a".into(), String::new()),
    }
    row(
        "JS heap used after ready".into(),
        r["js_heap_used_bytes"].as_u64().map(human_bytes).unwrap_or_else(|| "n/a".into()),
        String::new(),
    );
    row(
        "wasm linear memory after ready".into(),
        r["wasm_memory_bytes"].as_u64().map(human_bytes).unwrap_or_else(|| "n/a".into()),
        String::new(),
    );
    let fv = &r["first_visit_bytes"];
    let br = fv["total_br"].as_u64().unwrap_or(0);
    row(
        "first-visit bytes raw / gzip / brotli".into(),
        format!(
            "{} / {} / {}",
            human_bytes(fv["total_raw"].as_u64().unwrap_or(0)),
            human_bytes(fv["total_gzip"].as_u64().unwrap_or(0)),
            human_bytes(br)
        ),
        format!(
            "brotli ≤ {} ({})",
            human_bytes(TARGET_FIRST_VISIT_BR),
            if br <= TARGET_FIRST_VISIT_BR { "met" } else { "not met" }
        ),
    );
    let w = rows.iter().map(|(k, _, _)| k.chars().count()).max().unwrap_or(10);
    let wv = rows.iter().map(|(_, v, _)| v.chars().count()).max().unwrap_or(10);
    println!("{:<w$}  {:<wv$}  target", "metric", "value");
    for (k, v, t) in rows {
        println!("{k:<w$}  {v:<wv$}  {t}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_median_and_range() {
        let s = json!({"samples": [1.0, 2.6, 4.0], "median": 2.6, "min": 1.0, "max": 4.0});
        assert_eq!(median_range(&s, Unit::Ms), "median 2.6 ms [1.0 ms – 4.0 ms]");
        assert_eq!(median_range(&s, Unit::WholeMs), "median 3 ms [1 ms – 4 ms]");
        assert_eq!(median_range(&s, Unit::Plain), "median 2.600 [1.000 – 4.000]");
        assert_eq!(median_range(&json!({"samples": [], "median": null}), Unit::Ms), "n/a");
        assert_eq!(median_range(&Value::Null, Unit::Ms), "n/a");
    }

    #[test]
    fn says_how_busy_the_host_was() {
        let r = json!({
            "host": { "cpus": 2, "load_average_1min_at_start": 1.1, "load_average_1min_at_end": 2.345 },
            "lighthouse": { "benchmark_index": { "median": 2208.0, "min": 1633.0, "max": 2337.5 } },
        });
        assert_eq!(
            host_cell(&r),
            "2 CPUs; load average 1.10 at the start, 2.35 at the end; Lighthouse's benchmark index median 2208 [1633 – 2338]"
        );
        assert_eq!(host_cell(&json!({})), "0 CPUs; load average n/a at the start, n/a at the end");
        assert!(load_average().is_some_and(|l| l >= 0.0), "Linux gives /proc/loadavg");
    }

    #[test]
    fn says_whether_the_median_meets_the_target() {
        let s = |m: f64| json!({ "median": m });
        assert_eq!(target(&s(1500.0), "≤ 1.5 s", TARGET_LCP_MS, true), "≤ 1.5 s (met)");
        assert_eq!(target(&s(1501.0), "≤ 1.5 s", TARGET_LCP_MS, true), "≤ 1.5 s (not met)");
        assert_eq!(target(&s(0.95), "≥ 0.95", TARGET_SCORE, false), "≥ 0.95 (met)");
        assert_eq!(target(&s(0.94), "≥ 0.95", TARGET_SCORE, false), "≥ 0.95 (not met)");
        assert_eq!(target(&json!({ "median": null }), "≤ 0.02", TARGET_CLS, true), "≤ 0.02");
    }

    #[test]
    fn copies_dist_but_hidden_files() {
        let base = std::env::temp_dir().join(format!("xtask-bench-copy-{}", std::process::id()));
        let (from, to) = (base.join("from"), base.join("to"));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(from.join("sub")).unwrap();
        std::fs::create_dir_all(from.join(".stage")).unwrap();
        std::fs::write(from.join("index.html"), "<p>").unwrap();
        std::fs::write(from.join("index.html.br"), "br").unwrap();
        std::fs::write(from.join("sub/a.js"), "1").unwrap();
        std::fs::write(from.join(".stage/tmp.wasm"), "x").unwrap();
        std::fs::create_dir_all(&to).unwrap();
        std::fs::write(to.join("old.js"), "from an earlier bench").unwrap();
        copy_dist(&from, &to).unwrap();
        let names: Vec<PathBuf> = dist_stamp(&to).unwrap().into_iter().map(|(p, _, _)| p).collect();
        assert_eq!(names, [PathBuf::from("index.html"), "index.html.br".into(), "sub/a.js".into()]);
        assert_eq!(std::fs::read_to_string(to.join("sub/a.js")).unwrap(), "1");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
