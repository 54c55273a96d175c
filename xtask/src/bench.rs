//! `cargo xtask bench`: builds dist/, serves it, runs `node e2e/bench.mjs` (cold loads to the
//! `atlas-ready` mark, `window.__atlasBench` functions), adds the first-visit bytes (raw and
//! gzip, from the files the first load fetched, and `sw.js`), prints a table and writes
//! bench-output/bench.json.
//!
//! Options: `--no-build` (use the dist/ already there), `--loads N` (cold loads, default 10).

use crate::util::{human_bytes, root, run, Res, Steps};
use serde_json::{json, Value};
use std::process::Command;

pub fn cmd_bench(args: &[String]) -> Res {
    let mut no_build = false;
    let mut loads = 10u32;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => no_build = true,
            "--loads" => loads = it.next().and_then(|n| n.parse().ok()).ok_or("--loads needs a number")?,
            _ => return Err(format!("unknown option {a} (expected --no-build, --loads N)")),
        }
    }
    let root = root();
    let out_dir = root.join("bench-output");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let raw_path = out_dir.join("browser.json");
    let _ = std::fs::remove_file(&raw_path);

    let mut steps = Steps::default();
    let tools = steps.run("tools", crate::tools::ensure_build_tools)?;
    let chrome = steps.run("chromium", crate::tools::ensure_chromium)?;
    let dist =
        if no_build { root.join("dist") } else { steps.run("trunk build --release", || crate::dist::build(&tools))? };
    let server = crate::server::start(&dist, "/", 0).map_err(|e| format!("{}: {e}", dist.display()))?;
    steps.run("browser bench", || {
        run(Command::new("node")
            .arg("e2e/bench.mjs")
            .current_dir(&root)
            .env("BASE_URL", server.url())
            .env("CHROME", &chrome)
            .env("BENCH_LOADS", loads.to_string())
            .env("BENCH_OUT", &raw_path))
    })?;

    let text = std::fs::read_to_string(&raw_path).map_err(|e| format!("{}: {e}", raw_path.display()))?;
    let mut report: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", raw_path.display()))?;

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
    let (dist_raw, dist_gz) = crate::dist::totals(&crate::dist::sizes(&dist)?);
    report["first_visit_bytes"] = json!({
        "files": first.iter().map(|f| json!({"file": f.name, "raw": f.raw, "gzip": f.gzip})).collect::<Vec<_>>(),
        "total_raw": raw,
        "total_gzip": gz,
        "not_in_dist": missing,
    });
    report["dist_bytes"] = json!({ "total_raw": dist_raw, "total_gzip": dist_gz });

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

fn ms(v: &Value) -> String {
    v.as_f64().map(|x| format!("{x:.1} ms")).unwrap_or_else(|| "n/a".into())
}

fn print_table(r: &Value) {
    let mut rows: Vec<(String, String)> = Vec::new();
    let loads = &r["loads"];
    let n = loads["ready_ms"]["samples"].as_array().map(|a| a.len()).unwrap_or(0);
    rows.push((format!("atlas-ready, median of {n} cold loads"), ms(&loads["ready_ms"]["median"])));
    rows.push((
        "atlas-ready, min / max".into(),
        format!("{} / {}", ms(&loads["ready_ms"]["min"]), ms(&loads["ready_ms"]["max"])),
    ));
    rows.push(("DOMContentLoaded, median".into(), ms(&loads["dom_content_loaded_ms"]["median"])));
    rows.push(("load event, median".into(), ms(&loads["load_event_ms"]["median"])));
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
                rows.push((format!("__atlasBench.{name}"), cell));
            }
        }
        _ => rows.push(("__atlasBench".into(), "n/a".into())),
    }
    rows.push((
        "JS heap used after ready".into(),
        r["js_heap_used_bytes"].as_u64().map(human_bytes).unwrap_or_else(|| "n/a".into()),
    ));
    rows.push((
        "wasm linear memory after ready".into(),
        r["wasm_memory_bytes"].as_u64().map(human_bytes).unwrap_or_else(|| "n/a".into()),
    ));
    let fv = &r["first_visit_bytes"];
    rows.push((
        "first-visit bytes raw / gzip".into(),
        format!(
            "{} / {}",
            human_bytes(fv["total_raw"].as_u64().unwrap_or(0)),
            human_bytes(fv["total_gzip"].as_u64().unwrap_or(0))
        ),
    ));
    let w = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(10);
    println!("{:<w$}  value", "metric");
    for (k, v) in rows {
        println!("{k:<w$}  {v}");
    }
}
