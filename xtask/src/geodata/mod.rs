//! `cargo xtask geodata`: makes `data/geo/region.json`, the map's borders.
//!
//! # What it does
//! 1. Fetches `world-atlas@2.0.2` with `npm pack` into a temporary folder and unpacks it with
//!    `tar`; reads `countries-50m.json` (Natural Earth 4.1.0 admin-0 countries at 1:50m, as a
//!    TopoJSON topology). `--input FILE` reads a local copy instead.
//! 2. Decodes the topology itself (quantized, delta-encoded arcs; polygons as lists of arc
//!    references). The `topojson` crate would turn it into GeoJSON and lose the topology, which
//!    we need: a border shared by two countries is simplified once, so neighbours never get
//!    gaps or overlaps, and the app strokes it once.
//! 3. Marks the disputed areas (below), keeps every polygon that reaches into the widest area a
//!    view can show ([`g::OUTER`]), and drops the few polygons that cross the antimeridian cut at
//!    −110° (far-away parts of Canada and the United States, outside that area anyway).
//! 4. Simplifies each arc with Visvalingam–Whyatt (the `geo` crate) in projected kilometres:
//!    finest near Pakistan and its neighbours, coarser for the other core countries, coarsest
//!    beyond; all tolerances grow together until the whole file fits [`VERTEX_BUDGET`]. Islands
//!    too small to see are dropped (never a country's largest polygon).
//! 5. Writes longitude/latitude in hundredths of a degree, each arc as its first point followed
//!    by deltas; longitudes below −110° are stored +360° so Chukotka's arcs stay continuous.
//!    The output depends only on the input: same input, byte-identical file.
//!
//! # Disputed areas
//! Natural Earth draws de facto lines. The map must not take a side by accident, so:
//! - **Kashmir.** Natural Earth 4.1.0 has no unit for Azad Jammu and Kashmir, Gilgit-Baltistan,
//!   Jammu and Kashmir, Ladakh or Aksai Chin; they are inside the Pakistan, India and China
//!   polygons. Its only Kashmir unit is the "Siachen Glacier" (no ISO code), kept as a unit of
//!   its own and flagged disputed (drawn hatched). The de facto lines are flagged as disputed
//!   lines (drawn dashed): the Pakistan–India shared border north of 32.5° N (the Line of Control
//!   and, at its southern end, the Working Boundary; the arc is split at the vertex nearest
//!   32.5° N, south of which the Punjab and Sindh border is undisputed), the India–China shared
//!   border west of 81° E and north of 32.5° N (the Line of Actual Control, Ladakh–Aksai Chin),
//!   the Pakistan–China boundary (the 1963 agreement, which India does not recognise) and the
//!   edges of the Siachen unit. The India–China line east of Bhutan (Arunachal Pradesh, claimed
//!   by China) is flagged too.
//! - **Crimea.** Natural Earth 4.1.0 puts Crimea inside Russia. It is taken out of Russia as a
//!   unit of its own ("Crimea", no ISO code), flagged disputed, and its line with mainland
//!   Ukraine is a disputed line: the map neither colours it as Russia nor hides the annexation.
//!
//! Usage: `cargo xtask geodata [--input countries-50m.json] [--out FILE] [--check]`.
//! `--check` regenerates in memory and fails if the committed file differs.

mod disputed;
mod input;
mod label;
mod simplify;
mod topology;
mod write;

use disputed::mark_disputed;
use input::fetch_input;
use pakru_atlas::geom::Rect;
use pakru_atlas::map as g;
use simplify::simplify_all;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use topology::{arc_index, decode, ring_points, SrcUnit};
use write::write;

const PACKAGE: &str = "world-atlas@2.0.2";
const OUTPUT: &str = "data/geo/region.json";
/// Stored units per degree.
const Q: f64 = 100.0;
/// Most vertices in the file (each shared border counted once).
pub const VERTEX_BUDGET: usize = 10_000;

/// Simplification tolerances in km (scaled together to meet the budget): Pakistan and its
/// neighbourhood; the core countries between Eastern Europe and western China; the rest of the
/// core countries (Siberia, the Arctic coast, the Far East, eastern China) and the other
/// countries near the core (Turkey, the Middle East, the Balkans); everything else.
const TOL_FOCUS: f64 = 1.5;
const TOL_NEAR: f64 = 3.5;
const TOL_CORE: f64 = 8.0;
const TOL_FAR: f64 = 30.0;
/// Lon/lat boxes (west, south, east, north) of the two finer tiers.
const FOCUS_BOX: (f64, f64, f64, f64) = (58.0, 22.0, 80.0, 40.0);
const NEAR_BOX: (f64, f64, f64, f64) = (20.0, 15.0, 95.0, 62.0);

type Pt = (f64, f64);

pub fn run(args: &[String]) -> Result<(), String> {
    let mut input: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut check = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--input" => input = Some(it.next().ok_or("--input needs a file")?.into()),
            "--out" => out = Some(it.next().ok_or("--out needs a file")?.into()),
            "--check" => check = true,
            "-h" | "--help" => {
                println!("cargo xtask geodata [--input countries-50m.json] [--out FILE] [--check]");
                return Ok(());
            }
            other => return Err(format!("geodata: unknown argument {other:?}")),
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().ok_or("no workspace root")?.to_path_buf();
    let out = out.unwrap_or_else(|| root.join(OUTPUT));

    let text = match input {
        Some(p) => std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?,
        None => fetch_input()?,
    };
    let (json, stats) = build(&text)?;

    // The app must be able to read what we write.
    let decoded = g::GeoData::parse(&json)?;
    let cb = decoded.core_bounds();
    let stale = [
        (cb.x0, g::CORE_BOUNDS.x0),
        (cb.y0, g::CORE_BOUNDS.y0),
        (cb.x1, g::CORE_BOUNDS.x1),
        (cb.y1, g::CORE_BOUNDS.y1),
    ]
    .iter()
    .any(|(a, b)| (a - b).abs() > 10.0);
    if stale {
        eprintln!(
            "warning: src/geo.rs CORE_BOUNDS is out of date; set it to \
             Bounds {{ x0: {:.1}, y0: {:.1}, x1: {:.1}, y1: {:.1} }} and run again",
            cb.x0, cb.y0, cb.x1, cb.y1
        );
    }

    if check {
        let old = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        if old != json {
            return Err(format!("{} is not what `cargo xtask geodata` makes from {PACKAGE}", out.display()));
        }
        println!("{} is up to date", out.display());
        return Ok(());
    }
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&out, &json).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "wrote {}: {} units, {} arcs, {} vertices ({} budget), {} bytes, {} gzip; tolerance ×{:.2}",
        out.display(),
        decoded.units.len(),
        decoded.arcs.len(),
        decoded.vertex_count,
        VERTEX_BUDGET,
        json.len(),
        crate::util::gzip_len(json.as_bytes()),
        stats.factor
    );
    for line in &stats.log {
        println!("  {line}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Building the output

struct Stats {
    factor: f64,
    log: Vec<String>,
}

/// A polygon kept for the output: unit, polygon index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct PolyRef(usize, usize);

fn build(text: &str) -> Result<(String, Stats), String> {
    let mut t = decode(text)?;
    let disputed = mark_disputed(&mut t)?;
    let mut log = Vec::new();

    // Arcs lying on the antimeridian (a cut Natural Earth makes through Chukotka): never stroked.
    let seam: BTreeSet<usize> = (0..t.arcs.len()).filter(|&i| t.arcs[i].iter().all(|p| p.0.abs() >= 179.999)).collect();

    // Polygons that reach into the area a view can show, and do not cross the −110° cut.
    let mut kept: Vec<PolyRef> = Vec::new();
    let mut wrap_dropped = BTreeSet::new();
    for (ui, u) in t.units.iter().enumerate() {
        for (pi, p) in u.polys.iter().enumerate() {
            let outer = ring_points(&t.arcs, &p[0]);
            let crosses = outer
                .windows(2)
                .any(|w| (w[0].0 < g::WRAP_LON) != (w[1].0 < g::WRAP_LON) && (w[0].0 - w[1].0).abs() < 180.0);
            if crosses {
                wrap_dropped.insert(u.name.clone());
                continue;
            }
            if g::geo_bounds(outer.iter().copied()).intersects(&g::OUTER) {
                kept.push(PolyRef(ui, pi));
            }
        }
    }
    log.push(format!("dropped polygons crossing the −110° cut (outside the map): {wrap_dropped:?}"));

    let core_unit = |u: &SrcUnit| u.disputed || u.id.is_some_and(|id| g::CORE_IDS.contains(&id));
    let in_box = |a: &[Pt], f: (f64, f64, f64, f64)| {
        Rect::of_points(a.iter().copied()).intersects(&Rect { x0: f.0, y0: f.1, x1: f.2, y1: f.3 })
    };
    // Tolerance class of each arc: the finest of its users.
    let mut tol: BTreeMap<usize, f64> = BTreeMap::new();
    for &PolyRef(ui, pi) in &kept {
        let u = &t.units[ui];
        for &r in t.units[ui].polys[pi].iter().flatten() {
            let a = arc_index(r);
            let d = if in_box(&t.arcs[a], FOCUS_BOX) {
                TOL_FOCUS
            } else if core_unit(u) && in_box(&t.arcs[a], NEAR_BOX) {
                TOL_NEAR
            } else if core_unit(u) || in_box(&t.arcs[a], NEAR_BOX) {
                TOL_CORE
            } else {
                TOL_FAR
            };
            let e = tol.entry(a).or_insert(d);
            *e = e.min(d);
        }
    }
    let projected: BTreeMap<usize, Vec<Pt>> =
        tol.keys().map(|&a| (a, t.arcs[a].iter().map(|&(lon, lat)| g::project(lon, lat)).collect())).collect();

    // Grow the tolerances until the budget is met.
    let mut factor = 1.0;
    loop {
        let out = simplify_all(&t, &kept, &tol, &projected, factor, &core_unit)?;
        let total: usize = out.arcs.values().map(|a| a.len()).sum();
        if total <= VERTEX_BUDGET || factor > 50.0 {
            log.push(format!(
                "{} polygons kept of {}, {} dropped as too small",
                out.polys.len(),
                kept.len(),
                kept.len() - out.polys.len()
            ));
            let by_tol = |d: f64| out.arcs.iter().filter(|(a, _)| tol[a] == d).map(|(_, v)| v.len()).sum::<usize>();
            log.push(format!(
                "vertices: {} near Pakistan (±{:.1} km), {} near (±{:.1} km), {} core (±{:.1} km), {} elsewhere (±{:.1} km)",
                by_tol(TOL_FOCUS),
                TOL_FOCUS * factor,
                by_tol(TOL_NEAR),
                TOL_NEAR * factor,
                by_tol(TOL_CORE),
                TOL_CORE * factor,
                by_tol(TOL_FAR),
                TOL_FAR * factor
            ));
            let json = write(&t, &out, &disputed, &seam)?;
            return Ok((json, Stats { factor, log }));
        }
        factor *= 1.1;
    }
}
