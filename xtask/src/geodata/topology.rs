//! The source topology: decoding world-atlas's TopoJSON (quantized, delta-encoded arcs; units'
//! polygons as lists of arc references) into [`Topo`], turning arc references back into ring
//! points, and the edits the disputed-area marking needs (finding a unit, the arcs two units
//! share, splitting an arc at a vertex or a latitude).

use super::{g, Pt};
use serde_json::Value;
use std::collections::BTreeSet;

/// One unit of the source: an admin-0 country or a unit without an ISO code.
#[derive(Clone, Debug)]
pub(super) struct SrcUnit {
    pub(super) id: Option<u16>,
    pub(super) name: String,
    pub(super) disputed: bool,
    pub(super) note: Option<String>,
    /// Polygons → rings (first outer) → arc references (`!i` for arc `i` reversed).
    pub(super) polys: Vec<Vec<Vec<i64>>>,
}

pub(super) struct Topo {
    /// Longitude/latitude as in the source (−180..180).
    pub(super) arcs: Vec<Vec<Pt>>,
    pub(super) units: Vec<SrcUnit>,
}

pub(super) fn decode(text: &str) -> Result<Topo, String> {
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

pub(super) fn arc_index(r: i64) -> usize {
    if r >= 0 {
        r as usize
    } else {
        (!r) as usize
    }
}

pub(super) fn ring_points(arcs: &[Vec<Pt>], ring: &[i64]) -> Vec<Pt> {
    ring_of(ring, |i| arcs[i].clone())
}

/// A ring's points from its arc references, `arc(i)` giving arc `i`'s points; consecutive arcs
/// share their joining point, so it is kept once.
pub(super) fn ring_of(ring: &[i64], arc: impl Fn(usize) -> Vec<Pt>) -> Vec<Pt> {
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

pub(super) fn contains(ring: &[Pt], p: Pt) -> bool {
    let xy: Vec<Pt> = ring.to_vec();
    g::ring_contains(&xy, p.0, p.1)
}

impl Topo {
    pub(super) fn unit(&self, name: &str) -> Result<usize, String> {
        self.units.iter().position(|u| u.name == name).ok_or(format!("input: no unit {name:?}"))
    }

    /// Arcs used by both units.
    pub(super) fn shared(&self, a: usize, b: usize) -> Vec<usize> {
        let set = |u: usize| -> BTreeSet<usize> {
            self.units[u].polys.iter().flatten().flatten().map(|&r| arc_index(r)).collect()
        };
        set(a).intersection(&set(b)).copied().collect()
    }

    /// Splits arc `a` at vertex `k` into `a` (start..=k) and a new arc (k..end), updating every
    /// reference. Returns the new arc's index.
    pub(super) fn split(&mut self, a: usize, k: usize) -> usize {
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
    pub(super) fn split_at_lat(&mut self, a: usize, lat: f64) -> (Vec<usize>, Vec<usize>) {
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
