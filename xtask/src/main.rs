//! The project's task runner: `cargo xtask <command>` (alias in .cargo/config.toml).

mod bench;
mod checkdata;
mod dist;
mod engines;
mod fixtures;
mod geodata;
mod imports;
mod offline;
mod png;
mod prerender;
mod server;
mod single;
mod split;
mod test;
mod tools;
mod util;
mod zim;
mod zipfile;

const HELP: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve                 install what is missing, then `trunk serve` (debug build, rebuilt on change)
                        on http://127.0.0.1:8080/
  dist [--no-build [--dir DIR]]
                        release build into dist/ (relative paths, strict CSP, web app manifest,
                        service worker precaching every file); the single self-contained file
                        dist-single/pakru-atlas.html; pakru-atlas-<version>.zip of dist/ beside it;
                        a .br and a .gz copy beside each text and wasm file of dist/ (for the web
                        server; not precached, zipped or counted); pakru-atlas_en_all_<YYYY-MM>.zim
                        for Kiwix (zimwriterfs, see xtask/src/zim.rs); prints each file's size, raw,
                        gzip and brotli. --no-build: bundle Trunk's output already in dist/ (or DIR)
  check-data [DIR]      validate the data files in data/ (or DIR); every error, one per line
  test [--browser-only] [--no-build] [--grep TEXT]
                        cargo fmt --check, cargo clippy -D warnings (host and wasm32), cargo test
                        --workspace, check-data, dist, then the browser tests (e2e/run.mjs in
                        headless Chromium against dist/, the core also in Firefox ESR and WebKitGTK;
                        E2E_ENGINES=chromium,firefox,webkit); ends with a SUMMARY line
  bench [--no-build] [--loads N] [--lighthouse-runs N]
                        Lighthouse on the mobile profile (5 runs, medians), desktop cold loads (the
                        browser's FCP, LCP, CLS and the atlas-ready mark), window.__atlasBench,
                        first-visit bytes (raw, gzip, brotli); writes bench-output/bench.json
  serve-static [DIR] [--prefix /p/] [--port N]
                        serve DIR (default dist/) with the tests' static server: X.br or X.gz in
                        place of X as Accept-Encoding allows; hashed names cached immutable,
                        everything else no-cache
  geodata [...]         make data/geo/region.json (see xtask/src/geodata/)
  data-files [DIR]      write the story's chapters (DIR/story.bin) and the languages' files
                        (DIR/lang-ur-HASH.bin, …)
  split-wasm [DIR]      split the app's WebAssembly at its split points into the page's module and
                        modules loaded on demand (wasm-bindgen, wasm-opt)
  post-build            data-files, then split-wasm, in Trunk's staging folder: Trunk's post-build hook
";

fn serve(_args: &[String]) -> util::Res {
    let tools = tools::ensure_build_tools()?;
    // A dist folder of its own, so the debug build never replaces the release bundle in dist/.
    util::run(tools.trunk().args([
        "serve",
        "--address",
        "127.0.0.1",
        "--port",
        "8080",
        "--offline",
        "--disable-address-lookup",
        "--dist",
        "target/serve-dist",
    ]))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprint!("{HELP}");
        std::process::exit(2);
    };
    let rest = &args[1..];
    let result = match cmd.as_str() {
        "serve" => serve(rest),
        "dist" => dist::cmd_dist(rest),
        "check-data" => checkdata::cmd_check_data(rest),
        "data-files" => checkdata::cmd_story_file(rest),
        "split-wasm" => split::cmd_split(rest),
        "post-build" => checkdata::cmd_story_file(&[]).and_then(|()| split::cmd_split(&[])),
        "test" => test::cmd_test(rest),
        "bench" => bench::cmd_bench(rest),
        "serve-static" => server::serve_static(rest),
        "geodata" => geodata::run(rest),
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
