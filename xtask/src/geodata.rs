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

use geo::{LineString, Polygon, SimplifyVwIdx};
use pakru_atlas::geom::Rect;
use pakru_atlas::map as g;
use pakru_data::geo_codec::{to_json, RawDisputed, RawGeo, RawUnit};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

const PACKAGE: &str = "world-atlas@2.0.2";
const INPUT_SIZE: u64 = 756_420;
const OUTPUT: &str = "data/geo/region.json";
const ATTRIBUTION: &str = "Made with Natural Earth, via world-atlas 2.0.2";
const SOURCE: &str = "world-atlas 2.0.2 (npm, ISC licence), countries-50m.json: Natural Earth 4.1.0 \
                      admin-0 countries at 1:50m (public domain)";
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
/// Smallest kept polygon, km² (core countries / others). A country's largest polygon is kept.
const MIN_AREA_CORE: f64 = 600.0;
const MIN_AREA_FAR: f64 = 8_000.0;
const MIN_HOLE: f64 = 600.0;
/// Countries outside the core smaller than this (km²) are left out: microstates and far islands.
const MIN_UNIT_FAR: f64 = 700.0;
/// How close to the true pole of inaccessibility a label point is, km (stored labels are
/// rounded to a hundredth of a degree, about 1 km).
const LABEL_PRECISION_KM: f64 = 0.1;
/// Latitude where the Kashmir lines begin.
const KASHMIR_SOUTH: f64 = 32.5;

type Pt = (f64, f64);

/// One unit of the source: an admin-0 country or a unit without an ISO code.
#[derive(Clone, Debug)]
struct SrcUnit {
    id: Option<u16>,
    name: String,
    disputed: bool,
    note: Option<String>,
    /// Polygons → rings (first outer) → arc references (`!i` for arc `i` reversed).
    polys: Vec<Vec<Vec<i64>>>,
}

struct Topo {
    /// Longitude/latitude as in the source (−180..180).
    arcs: Vec<Vec<Pt>>,
    units: Vec<SrcUnit>,
}

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

/// `npm pack` + `tar`, in a temporary folder removed afterwards.
fn fetch_input() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("pakru-geodata-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = (|| {
        run_cmd(Command::new("npm").args(["pack", PACKAGE, "--silent"]).current_dir(&dir))?;
        let tgz = std::fs::read_dir(&dir)
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "tgz"))
            .ok_or("npm pack produced no tarball")?;
        run_cmd(Command::new("tar").arg("xzf").arg(&tgz).arg("-C").arg(&dir))?;
        let file = dir.join("package").join("countries-50m.json");
        let size = std::fs::metadata(&file).map_err(|e| format!("{}: {e}", file.display()))?.len();
        if size != INPUT_SIZE {
            return Err(format!("{}: {size} bytes, expected {INPUT_SIZE}", file.display()));
        }
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_cmd(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading the topology

fn decode(text: &str) -> Result<Topo, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("input: {e}"))?;
    let t = &v["transform"];
    let num = |x: &Value| x.as_f64().ok_or("input: bad transform");
    let (sx, sy) = (num(&t["scale"][0])?, num(&t["scale"][1])?);
    let (tx, ty) = (num(&t["translate"][0])?, num(&t["translate"][1])?);
    let mut arcs = Vec::new();
    for a in v["arcs"].as_array().ok_or("input: no arcs")? {
        let (mut x, mut y) = (0i64, 0i64);
        let mut pts = Vec::new();
        for p in a.as_array().ok_or("input: bad arc")? {
            x += p[0].as_i64().ok_or("input: bad arc point")?;
            y += p[1].as_i64().ok_or("input: bad arc point")?;
            pts.push((x as f64 * sx + tx, y as f64 * sy + ty));
        }
        arcs.push(pts);
    }
    let refs = |v: &Value| -> Result<Vec<i64>, String> {
        v.as_array()
            .ok_or("input: bad ring")?
            .iter()
            .map(|r| r.as_i64().ok_or_else(|| "input: bad arc ref".to_string()))
            .collect()
    };
    let mut units = Vec::new();
    for gm in v["objects"]["countries"]["geometries"].as_array().ok_or("input: no countries")? {
        let name = gm["properties"]["name"].as_str().unwrap_or("").to_string();
        if name == "Antarctica" {
            continue;
        }
        let id = gm["id"].as_str().and_then(|s| s.parse::<u16>().ok());
        let polys: Vec<Vec<Vec<i64>>> = match gm["type"].as_str() {
            Some("Polygon") => {
                vec![gm["arcs"].as_array().ok_or("input: bad polygon")?.iter().map(refs).collect::<Result<_, _>>()?]
            }
            Some("MultiPolygon") => gm["arcs"]
                .as_array()
                .ok_or("input: bad multipolygon")?
                .iter()
                .map(|p| p.as_array().ok_or_else(|| "input: bad polygon".to_string())?.iter().map(refs).collect())
                .collect::<Result<_, _>>()?,
            _ => continue,
        };
        units.push(SrcUnit { id, name, disputed: false, note: None, polys });
    }
    Ok(Topo { arcs, units })
}

fn arc_index(r: i64) -> usize {
    if r >= 0 {
        r as usize
    } else {
        (!r) as usize
    }
}

fn ring_points(arcs: &[Vec<Pt>], ring: &[i64]) -> Vec<Pt> {
    ring_of(ring, |i| arcs[i].clone())
}

/// A ring's points from its arc references, `arc(i)` giving arc `i`'s points; consecutive arcs
/// share their joining point, so it is kept once.
fn ring_of(ring: &[i64], arc: impl Fn(usize) -> Vec<Pt>) -> Vec<Pt> {
    let mut pts: Vec<Pt> = Vec::new();
    for &r in ring {
        let a = arc(arc_index(r));
        let skip = usize::from(!pts.is_empty());
        if r >= 0 {
            pts.extend(a.iter().skip(skip));
        } else {
            pts.extend(a.iter().rev().skip(skip));
        }
    }
    pts
}

fn contains(ring: &[Pt], p: Pt) -> bool {
    let xy: Vec<Pt> = ring.to_vec();
    g::ring_contains(&xy, p.0, p.1)
}

impl Topo {
    fn unit(&self, name: &str) -> Result<usize, String> {
        self.units.iter().position(|u| u.name == name).ok_or(format!("input: no unit {name:?}"))
    }

    /// Arcs used by both units.
    fn shared(&self, a: usize, b: usize) -> Vec<usize> {
        let set = |u: usize| -> BTreeSet<usize> {
            self.units[u].polys.iter().flatten().flatten().map(|&r| arc_index(r)).collect()
        };
        set(a).intersection(&set(b)).copied().collect()
    }

    /// Splits arc `a` at vertex `k` into `a` (start..=k) and a new arc (k..end), updating every
    /// reference. Returns the new arc's index.
    fn split(&mut self, a: usize, k: usize) -> usize {
        let tail = self.arcs[a][k..].to_vec();
        self.arcs[a].truncate(k + 1);
        self.arcs.push(tail);
        let n = self.arcs.len() - 1;
        for u in &mut self.units {
            for ring in u.polys.iter_mut().flatten() {
                let mut out = Vec::with_capacity(ring.len() + 1);
                for &r in ring.iter() {
                    if r == a as i64 {
                        out.extend([a as i64, n as i64]);
                    } else if r == !(a as i64) {
                        out.extend([!(n as i64), !(a as i64)]);
                    } else {
                        out.push(r);
                    }
                }
                *ring = out;
            }
        }
        n
    }

    /// Splits arc `a` where it crosses `lat` (at the nearest vertex) and returns the part north
    /// of it and the part south of it.
    fn split_at_lat(&mut self, a: usize, lat: f64) -> (Vec<usize>, Vec<usize>) {
        let pts = &self.arcs[a];
        let north_first = pts[0].1 > lat;
        let k = pts.iter().position(|p| (p.1 > lat) != north_first);
        match k {
            None => {
                if north_first {
                    (vec![a], vec![])
                } else {
                    (vec![], vec![a])
                }
            }
            Some(k) => {
                // The vertex nearer the latitude, never an end.
                let k = if (pts[k - 1].1 - lat).abs() < (pts[k].1 - lat).abs() { k - 1 } else { k };
                let k = k.clamp(1, pts.len() - 2);
                let n = self.split(a, k);
                if north_first {
                    (vec![a], vec![n])
                } else {
                    (vec![n], vec![a])
                }
            }
        }
    }
}

/// One group of disputed lines, by source arc index.
struct Disputed {
    name: &'static str,
    note: &'static str,
    arcs: Vec<usize>,
}

/// Marks Crimea, the Siachen unit and the Kashmir lines (see the module docs).
fn mark_disputed(t: &mut Topo) -> Result<Vec<Disputed>, String> {
    let pk = t.unit("Pakistan")?;
    let ind = t.unit("India")?;
    let cn = t.unit("China")?;
    let ru = t.unit("Russia")?;
    let ua = t.unit("Ukraine")?;
    let sia = t.unit("Siachen Glacier")?;

    // Crimea: the Russian polygon around Simferopol becomes a unit of its own.
    let simferopol = (34.10, 44.95);
    let k = t.units[ru]
        .polys
        .iter()
        .position(|p| contains(&ring_points(&t.arcs, &p[0]), simferopol))
        .ok_or("input: no Crimea polygon in Russia")?;
    let crimea_poly = t.units[ru].polys.remove(k);
    t.units.push(SrcUnit {
        id: None,
        name: "Crimea".into(),
        disputed: true,
        note: Some(
            "Annexed by Russia in 2014; internationally recognised as part of Ukraine (UN General \
             Assembly resolution 68/262). Natural Earth draws it inside Russia; shown here hatched, \
             as disputed."
                .into(),
        ),
        polys: vec![crimea_poly],
    });
    let crimea = t.units.len() - 1;

    t.units[sia].disputed = true;
    t.units[sia].note = Some(
        "Natural Earth's unit for the Siachen Glacier area, held by India since 1984 and claimed by \
         Pakistan; shown hatched, as disputed."
            .into(),
    );

    let mut loc = Vec::new();
    for a in t.shared(pk, ind) {
        loc.extend(t.split_at_lat(a, KASHMIR_SOUTH).0);
    }
    let mut lac_west = Vec::new();
    let mut lac_east = Vec::new();
    for a in t.shared(ind, cn) {
        let max_lon = t.arcs[a].iter().map(|p| p.0).fold(f64::MIN, f64::max);
        let min_lon = t.arcs[a].iter().map(|p| p.0).fold(f64::MAX, f64::min);
        if max_lon <= 81.5 {
            lac_west.extend(t.split_at_lat(a, KASHMIR_SOUTH).0);
        } else if min_lon >= 91.5 {
            lac_east.push(a);
        }
    }
    let siachen: Vec<usize> = [pk, ind, cn].iter().flat_map(|&u| t.shared(sia, u)).collect();
    let groups = vec![
        Disputed {
            name: "Line of Control (Pakistan–India)",
            note: "De facto line between Pakistani- and Indian-administered Kashmir, as Natural Earth \
                   draws it north of 32.5° N (with the Working Boundary at its southern end). The status \
                   of Jammu and Kashmir is disputed.",
            arcs: loc,
        },
        Disputed {
            name: "Siachen Glacier",
            note: "Edges of Natural Earth's Siachen Glacier unit, held by India and claimed by Pakistan.",
            arcs: siachen,
        },
        Disputed {
            name: "Pakistan–China boundary in Kashmir",
            note: "The boundary of the 1963 Pakistan–China agreement between Gilgit-Baltistan and \
                   Xinjiang; India does not recognise it.",
            arcs: t.shared(pk, cn),
        },
        Disputed {
            name: "Line of Actual Control (India–China), western sector",
            note: "De facto line between Indian-administered Ladakh and Chinese-administered Aksai Chin, \
                   as Natural Earth draws it north of 32.5° N.",
            arcs: lac_west,
        },
        Disputed {
            name: "Line of Actual Control (India–China), eastern sector",
            note: "De facto line between Arunachal Pradesh, administered by India, and Tibet; China \
                   claims Arunachal Pradesh.",
            arcs: lac_east,
        },
        Disputed {
            name: "Crimea",
            note: "Line between Crimea, annexed by Russia in 2014, and mainland Ukraine.",
            arcs: t.shared(crimea, ua),
        },
    ];
    for d in &groups {
        if d.arcs.is_empty() {
            return Err(format!("input: found no arcs for {:?}", d.name));
        }
    }
    Ok(groups)
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

struct Simplified {
    /// Kept source arcs → quantized (lon, lat) points.
    arcs: BTreeMap<usize, Vec<(i64, i64)>>,
    /// Kept polygons with the rings kept (holes may be dropped).
    polys: Vec<(PolyRef, Vec<usize>)>,
}

fn quantize(p: Pt) -> (i64, i64) {
    ((g::unwrap_lon(p.0) * Q).round() as i64, (p.1 * Q).round() as i64)
}

fn simplify_all(
    t: &Topo,
    kept: &[PolyRef],
    tol: &BTreeMap<usize, f64>,
    projected: &BTreeMap<usize, Vec<Pt>>,
    factor: f64,
    core_unit: &dyn Fn(&SrcUnit) -> bool,
) -> Result<Simplified, String> {
    // Arcs whose tolerance had to be cut because a ring collapsed.
    let mut finer: BTreeMap<usize, u32> = BTreeMap::new();
    for _round in 0..8 {
        let mut arcs: BTreeMap<usize, Vec<(i64, i64)>> = BTreeMap::new();
        for (&a, &d) in tol {
            let d = d * factor / 4f64.powi(*finer.get(&a).unwrap_or(&0) as i32);
            arcs.insert(a, simplify_arc(&t.arcs[a], &projected[&a], d));
        }
        let ring_of = |ring: &[i64]| -> Vec<(i64, i64)> {
            let mut pts: Vec<(i64, i64)> = Vec::new();
            for &r in ring {
                let a = &arcs[&arc_index(r)];
                let skip = usize::from(!pts.is_empty());
                if r >= 0 {
                    pts.extend(a.iter().skip(skip));
                } else {
                    pts.extend(a.iter().rev().skip(skip));
                }
            }
            pts.dedup();
            if pts.len() > 1 && pts.first() == pts.last() {
                pts.pop();
            }
            pts
        };
        let area = |pts: &[(i64, i64)]| {
            let xy: Vec<Pt> = pts.iter().map(|&(x, y)| g::project(x as f64 / Q, y as f64 / Q)).collect();
            g::ring_area(&xy).abs()
        };
        // Largest polygon of each unit.
        let mut largest: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
        let mut areas = BTreeMap::new();
        for &PolyRef(ui, pi) in kept {
            let a = area(&ring_of(&t.units[ui].polys[pi][0]));
            areas.insert(PolyRef(ui, pi), a);
            let e = largest.entry(ui).or_insert((a, pi));
            if a > e.0 {
                *e = (a, pi);
            }
        }
        let mut polys = Vec::new();
        let mut collapsed = false;
        for &pr @ PolyRef(ui, pi) in kept {
            let u = &t.units[ui];
            let is_largest = largest[&ui].1 == pi;
            let min = if core_unit(u) { MIN_AREA_CORE } else { MIN_AREA_FAR };
            if (!is_largest && areas[&pr] < min) || (!core_unit(u) && largest[&ui].0 < MIN_UNIT_FAR) {
                continue;
            }
            let rings = &u.polys[pi];
            if ring_of(&rings[0]).len() < 3 {
                // A country's only visible polygon collapsed: simplify its arcs less.
                for &r in &rings[0] {
                    *finer.entry(arc_index(r)).or_insert(0) += 1;
                }
                collapsed = true;
                continue;
            }
            let mut keep = vec![0];
            for (ri, ring) in rings.iter().enumerate().skip(1) {
                let pts = ring_of(ring);
                if pts.len() >= 3 && area(&pts) >= MIN_HOLE {
                    keep.push(ri);
                }
            }
            polys.push((pr, keep));
        }
        if collapsed {
            continue;
        }
        let used: BTreeSet<usize> = polys
            .iter()
            .flat_map(|(PolyRef(ui, pi), keep)| {
                keep.iter().flat_map(move |&ri| t.units[*ui].polys[*pi][ri].iter().map(|&r| arc_index(r)))
            })
            .collect();
        arcs.retain(|a, _| used.contains(a));
        return Ok(Simplified { arcs, polys });
    }
    Err("geodata: rings keep collapsing".into())
}

/// Visvalingam–Whyatt on the projected arc, keeping its ends; quantized, without repeats.
fn simplify_arc(ll: &[Pt], xy: &[Pt], d_km: f64) -> Vec<(i64, i64)> {
    let closed = ll.len() > 3 && ll.first() == ll.last();
    let line: LineString<f64> = xy.to_vec().into();
    let mut eps = d_km * d_km;
    let mut idx = line.simplify_vw_idx(eps);
    // A closed arc (an island) keeps at least a triangle.
    while closed && idx.len() < 4 && eps > 1e-9 {
        eps /= 4.0;
        idx = line.simplify_vw_idx(eps);
    }
    let mut q: Vec<(i64, i64)> = idx.iter().map(|&i| quantize(ll[i])).collect();
    q.dedup();
    if q.len() == 1 {
        q.push(q[0]);
    }
    q
}

/// Where a polygon's label goes: its pole of inaccessibility, the inside point farthest from
/// every edge (holes included), in plane kilometres: `polylabel`, to within [`LABEL_PRECISION_KM`].
fn label_point(rings: &[Vec<Pt>]) -> Result<Pt, String> {
    let ring = |r: &Vec<Pt>| LineString::from(r.clone());
    let polygon = Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect());
    let p = polylabel::polylabel(&polygon, &LABEL_PRECISION_KM).map_err(|e| format!("label point: {e}"))?;
    Ok((p.x(), p.y()))
}

fn write(t: &Topo, s: &Simplified, disputed: &[Disputed], seam: &BTreeSet<usize>) -> Result<String, String> {
    // Output arc numbering: kept source arcs in source order.
    let new_index: BTreeMap<usize, usize> = s.arcs.keys().enumerate().map(|(i, &a)| (a, i)).collect();
    let map_ref = |r: i64| -> i64 {
        let i = new_index[&arc_index(r)] as i64;
        if r >= 0 {
            i
        } else {
            !i
        }
    };
    let plane =
        |a: &[(i64, i64)]| -> Vec<Pt> { a.iter().map(|&(x, y)| g::project(x as f64 / Q, y as f64 / Q)).collect() };
    let ring_xy = |ring: &[i64]| ring_of(ring, |i| plane(&s.arcs[&i]));

    // Units with their kept polygons, larger units first (drawing order).
    struct OutUnit<'a> {
        src: &'a SrcUnit,
        polys: Vec<Vec<Vec<i64>>>,
        area: f64,
        label: (i64, i64),
    }
    let mut by_unit: BTreeMap<usize, Vec<Vec<Vec<i64>>>> = BTreeMap::new();
    for (PolyRef(ui, pi), keep) in &s.polys {
        let rings = keep.iter().map(|&ri| t.units[*ui].polys[*pi][ri].iter().map(|&r| map_ref(r)).collect()).collect();
        by_unit.entry(*ui).or_default().push(rings);
    }
    let mut units: Vec<OutUnit> = Vec::new();
    for (ui, polys) in by_unit {
        let src = &t.units[ui];
        // Rings in plane coordinates, per polygon (through the source refs).
        let src_polys: Vec<Vec<Vec<Pt>>> = s
            .polys
            .iter()
            .filter(|(p, _)| p.0 == ui)
            .map(|(PolyRef(_, pi), keep)| keep.iter().map(|&ri| ring_xy(&src.polys[*pi][ri])).collect())
            .collect();
        let outer_area = |p: &Vec<Vec<Pt>>| g::ring_area(&p[0]).abs();
        let area: f64 = src_polys.iter().map(outer_area).sum();
        let biggest = src_polys.iter().max_by(|a, b| outer_area(a).total_cmp(&outer_area(b))).ok_or("no polygon")?;
        let (lx, ly) = label_point(biggest)?;
        let (lon, lat) = g::unproject(lx, ly);
        units.push(OutUnit { src, polys, area, label: quantize((lon, lat)) });
    }
    units.sort_by(|a, b| b.area.total_cmp(&a.area).then_with(|| a.src.name.cmp(&b.src.name)));

    let notes = [
        "Generated by `cargo xtask geodata` (xtask/src/geodata.rs); do not edit by hand.",
        "Coordinates: longitude and latitude in hundredths of a degree; each arc is its first point followed by deltas; longitudes below -110 are stored +360 (east of the antimeridian).",
        "Units' rings are lists of arc references, i or -i-1 for arc i reversed (as in TopoJSON); the first ring of a polygon is its outer ring.",
        "Borders are Natural Earth's de facto lines. Lines and units listed under `disputed` (Kashmir, Crimea) are drawn dashed or hatched: the map takes no side.",
        "Simplified with Visvalingam-Whyatt: finer near Pakistan, coarser far away; small islands dropped.",
    ];
    let arcs = s
        .arcs
        .values()
        .map(|a| {
            let mut prev = (0i64, 0i64);
            let mut nums = Vec::with_capacity(a.len() * 2);
            for &(x, y) in a {
                nums.extend([x - prev.0, y - prev.1]);
                prev = (x, y);
            }
            nums
        })
        .collect();
    // The file's one format is the data crate's type: the app reads what this writes.
    let file = RawGeo {
        format: g::FORMAT.to_string(),
        attribution: ATTRIBUTION.to_string(),
        source: SOURCE.to_string(),
        notes: notes.iter().map(|n| n.to_string()).collect(),
        units_per_degree: Q as u64,
        hidden: seam.iter().filter_map(|a| new_index.get(a)).map(|&i| i as u64).collect(),
        disputed: disputed
            .iter()
            .map(|d| RawDisputed {
                name: d.name.to_string(),
                note: d.note.to_string(),
                arcs: d.arcs.iter().filter_map(|a| new_index.get(a)).map(|&i| i as u64).collect(),
            })
            .collect(),
        units: units
            .iter()
            .map(|u| RawUnit {
                id: u.src.id,
                name: u.src.name.clone(),
                disputed: u.src.disputed,
                note: u.src.note.clone(),
                label: [u.label.0, u.label.1],
                polygons: u.polys.clone(),
            })
            .collect(),
        arcs,
    };
    Ok(to_json(&file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Distance, Euclidean, Point};

    /// The distance from `p` to the nearest edge of `rings`.
    fn edge_distance(rings: &[Vec<Pt>], p: Pt) -> f64 {
        rings.iter().map(|r| Euclidean.distance(&Point::from(p), &LineString::from(r.clone()))).fold(f64::MAX, f64::min)
    }

    #[test]
    fn labels_go_where_there_is_most_room() {
        // A rectangle: its centre.
        let rect = vec![vec![(0.0, 0.0), (40.0, 0.0), (40.0, 10.0), (0.0, 10.0)]];
        let (x, y) = label_point(&rect).unwrap();
        assert!((y - 5.0).abs() <= LABEL_PRECISION_KM && (5.0..=35.0).contains(&x), "({x}, {y})");

        // A C shape, whose centroid is outside it: the label is in its widest part.
        let c = vec![vec![
            (0.0, 0.0),
            (100.0, 0.0),
            (100.0, 20.0),
            (30.0, 20.0),
            (30.0, 80.0),
            (100.0, 80.0),
            (100.0, 100.0),
            (0.0, 100.0),
        ]];
        let p = label_point(&c).unwrap();
        let poly = Polygon::new(LineString::from(c[0].clone()), vec![]);
        assert!(poly.contains(&Point::from(p)), "{p:?} inside");
        assert!(edge_distance(&c, p) >= 15.0 - LABEL_PRECISION_KM, "{p:?}: {}", edge_distance(&c, p));

        // A square with a hole in the middle: never in the hole, and 10 km from every edge.
        let holed = vec![
            vec![(0.0, 0.0), (60.0, 0.0), (60.0, 60.0), (0.0, 60.0)],
            vec![(20.0, 20.0), (40.0, 20.0), (40.0, 40.0), (20.0, 40.0)],
        ];
        let p = label_point(&holed).unwrap();
        assert!(!(20.0..=40.0).contains(&p.0) || !(20.0..=40.0).contains(&p.1), "{p:?} in the hole");
        assert!(edge_distance(&holed, p) >= 10.0 - LABEL_PRECISION_KM, "{p:?}: {}", edge_distance(&holed, p));
    }
}
