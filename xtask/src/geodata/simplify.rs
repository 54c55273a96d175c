//! Simplification: every kept arc simplified with Visvalingam–Whyatt in projected kilometres at a
//! tolerance scaled by the caller's factor, then quantized to hundredths of a degree; polygons and
//! holes too small to see are dropped (never a country's largest polygon), and the arcs of a ring
//! that collapsed are simplified less until none does.

use super::topology::{arc_index, SrcUnit, Topo};
use super::{g, PolyRef, Pt, Q};
use geo::{LineString, SimplifyVwIdx};
use std::collections::{BTreeMap, BTreeSet};

/// Smallest kept polygon, km² (core countries / others). A country's largest polygon is kept.
const MIN_AREA_CORE: f64 = 600.0;
const MIN_AREA_FAR: f64 = 8_000.0;
const MIN_HOLE: f64 = 600.0;
/// Countries outside the core smaller than this (km²) are left out: microstates and far islands.
const MIN_UNIT_FAR: f64 = 700.0;

pub(super) struct Simplified {
    /// Kept source arcs → quantized (lon, lat) points.
    pub(super) arcs: BTreeMap<usize, Vec<(i64, i64)>>,
    /// Kept polygons with the rings kept (holes may be dropped).
    pub(super) polys: Vec<(PolyRef, Vec<usize>)>,
}

pub(super) fn quantize(p: Pt) -> (i64, i64) {
    ((g::unwrap_lon(p.0) * Q).round() as i64, (p.1 * Q).round() as i64)
}

pub(super) fn simplify_all(
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
