//! The border file decoded and projected: units (countries and the units without an ISO code),
//! their rings, the arcs they share, the disputed lines, and which unit is at a point.

use super::*;
use crate::geom::Rect;
use std::sync::OnceLock;

/// One closed ring of a unit, in plane coordinates (closing point not repeated).
#[derive(Clone, Debug, PartialEq)]
pub struct Ring {
    /// A hole (an enclave belonging to another unit, drawn by that unit).
    pub hole: bool,
    pub xy: Vec<(f64, f64)>,
    pub bounds: Rect,
}

/// A country as Natural Earth draws it, or a unit without an ISO code (the Siachen Glacier,
/// Crimea, Kosovo, Northern Cyprus…).
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub iso_n3: Option<u16>,
    pub name: String,
    /// Drawn hatched: its status is disputed (see `note`).
    pub disputed: bool,
    pub note: Option<String>,
    pub rings: Vec<Ring>,
    pub bounds: Rect,
    /// Where its name goes (a point well inside its largest polygon), geographic and plane.
    pub label: (f64, f64),
    pub label_xy: (f64, f64),
    /// Plane area, km² (only to order drawing and labels).
    pub area: f64,
}

impl Unit {
    pub fn is_focus(&self) -> bool {
        matches!(self.iso_n3, Some(PAKISTAN) | Some(RUSSIA))
    }

    /// Even–odd test over all rings (so holes are excluded).
    pub fn contains_plane(&self, x: f64, y: f64) -> bool {
        if !self.bounds.contains(x, y) {
            return false;
        }
        let mut inside = false;
        for r in &self.rings {
            if r.bounds.contains(x, y) && ring_contains(&r.xy, x, y) {
                inside = !inside;
            }
        }
        inside
    }
}

/// Even–odd ray test.
pub fn ring_contains(ring: &[(f64, f64)], x: f64, y: f64) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// How an arc is stroked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArcKind {
    /// Land against sea (one unit).
    Coast,
    /// Between two units.
    Border,
    /// A disputed or de facto line: index into [`GeoData::disputed`].
    Disputed(usize),
    /// An artificial edge (along the antimeridian cut): never stroked.
    Hidden,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arc {
    pub xy: Vec<(f64, f64)>,
    pub bounds: Rect,
    pub kind: ArcKind,
}

/// A set of lines drawn dashed, with what they are.
#[derive(Clone, Debug, PartialEq)]
pub struct DisputedLine {
    pub name: String,
    pub note: String,
    pub arcs: Vec<usize>,
}

/// The decoded border file with its projected geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct GeoData {
    /// "Made with Natural Earth, via world-atlas 2.0.2".
    pub attribution: String,
    pub source: String,
    pub notes: Vec<String>,
    /// In drawing order: larger first, so enclaves are drawn over their surroundings.
    pub units: Vec<Unit>,
    pub arcs: Vec<Arc>,
    pub disputed: Vec<DisputedLine>,
    /// Meridians and parallels every 10°, as plane polylines.
    pub graticule: Vec<Vec<(f64, f64)>>,
    /// Vertices stored in the file (each shared border counted once).
    pub vertex_count: usize,
}

pub const FORMAT: &str = "pakru-atlas-geo/1";

impl GeoData {
    /// The built-in border file, decoded and projected once.
    pub fn get() -> &'static GeoData {
        static G: OnceLock<GeoData> = OnceLock::new();
        G.get_or_init(|| GeoData::from_bytes(GEO_BIN).expect("data/geo/region.json is valid (checked by build.rs)"))
    }

    /// Decodes a border file in its JSON form (as `data/geo/region.json`), through the same
    /// binary form the app embeds.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(text: &str) -> Result<GeoData, String> {
        GeoData::from_bytes(&crate::geo_codec::encode_json(text)?)
    }

    /// Decodes a border file in its binary form (see [`crate::geo_codec`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<GeoData, String> {
        let raw = crate::geo_codec::decode(bytes)?;
        if raw.format != FORMAT {
            return Err(format!("border file: format {:?}, expected {FORMAT:?}", raw.format));
        }
        let q = raw.units_per_degree as f64;
        if q <= 0.0 {
            return Err("border file: units_per_degree must be positive".into());
        }
        // Arcs: absolute first point, then deltas; kept projected.
        let mut arcs_xy: Vec<Vec<(f64, f64)>> = Vec::with_capacity(raw.arcs.len());
        let mut vertex_count = 0;
        for (i, a) in raw.arcs.iter().enumerate() {
            if a.len() < 4 || a.len() % 2 != 0 {
                return Err(format!("border file: arc {i} has {} numbers", a.len()));
            }
            let (mut x, mut y) = (0i64, 0i64);
            let pts: Vec<(f64, f64)> = a
                .chunks_exact(2)
                .map(|c| {
                    x = x.wrapping_add(c[0]);
                    y = y.wrapping_add(c[1]);
                    project(x as f64 / q, y as f64 / q)
                })
                .collect();
            vertex_count += pts.len();
            arcs_xy.push(pts);
        }

        let mut users = vec![0u8; arcs_xy.len()];
        let mut units = Vec::with_capacity(raw.units.len());
        for (ui, u) in raw.units.iter().enumerate() {
            let mut rings = Vec::new();
            for poly in &u.polygons {
                for (ri, refs) in poly.iter().enumerate() {
                    let mut xy: Vec<(f64, f64)> = Vec::new();
                    for &r in refs {
                        let (idx, rev) = if r >= 0 { (r as usize, false) } else { ((-(r + 1)) as usize, true) };
                        let Some(pp) = arcs_xy.get(idx) else {
                            return Err(format!("border file: unit {ui} refers to missing arc {idx}"));
                        };
                        users[idx] = users[idx].saturating_add(1);
                        // Consecutive arcs share their joining point: skip it the second time.
                        let skip = usize::from(!xy.is_empty());
                        if rev {
                            xy.extend(pp.iter().rev().skip(skip));
                        } else {
                            xy.extend(pp.iter().skip(skip));
                        }
                    }
                    // The file's points are the same on both ends of a closed ring, and so are
                    // their projections.
                    if xy.len() > 1 && xy.first() == xy.last() {
                        xy.pop();
                    }
                    if xy.len() < 3 {
                        return Err(format!("border file: unit {} has a ring of {} points", u.name, xy.len()));
                    }
                    let bounds = Rect::of_points(xy.iter().copied());
                    rings.push(Ring { hole: ri > 0, xy, bounds });
                }
            }
            if rings.is_empty() {
                return Err(format!("border file: unit {} has no polygon", u.name));
            }
            let bounds = rings.iter().fold(Rect::EMPTY, |b, r| b.union(&r.bounds));
            let area = rings.iter().map(|r| if r.hole { -1.0 } else { 1.0 } * ring_area(&r.xy).abs()).sum();
            let label = (u.label[0] as f64 / q, u.label[1] as f64 / q);
            units.push(Unit {
                iso_n3: u.id,
                // In the page's language (the English file's names where it is English).
                name: crate::i18n::tr().region(&u.name).to_string(),
                disputed: u.disputed,
                note: u.note.as_deref().map(|n| crate::i18n::tr().region_note("unit", &u.name, n).to_string()),
                rings,
                bounds,
                label,
                label_xy: project(label.0, label.1),
                area,
            });
        }

        let mut arcs: Vec<Arc> = arcs_xy
            .into_iter()
            .enumerate()
            .map(|(i, xy)| Arc {
                bounds: Rect::of_points(xy.iter().copied()),
                xy,
                kind: if users[i] >= 2 { ArcKind::Border } else { ArcKind::Coast },
            })
            .collect();
        for &h in &raw.hidden {
            arcs.get_mut(h as usize).ok_or(format!("border file: hidden arc {h} missing"))?.kind = ArcKind::Hidden;
        }
        let mut disputed = Vec::new();
        for (di, d) in raw.disputed.into_iter().enumerate() {
            for &a in &d.arcs {
                arcs.get_mut(a as usize).ok_or(format!("border file: disputed arc {a} missing"))?.kind =
                    ArcKind::Disputed(di);
            }
            let tr = crate::i18n::tr();
            disputed.push(DisputedLine {
                name: tr.region(&d.name).to_string(),
                note: tr.region_note("line", &d.name, &d.note).to_string(),
                arcs: d.arcs.iter().map(|&a| a as usize).collect(),
            });
        }

        Ok(GeoData {
            attribution: raw.attribution,
            source: raw.source,
            notes: raw.notes,
            units,
            arcs,
            disputed,
            graticule: graticule(),
            vertex_count,
        })
    }

    /// Index of the unit with this ISO 3166-1 numeric code.
    pub fn unit_by_iso(&self, iso_n3: u16) -> Option<usize> {
        self.units.iter().position(|u| u.iso_n3 == Some(iso_n3))
    }

    /// The unit under a plane point (the topmost, i.e. the smallest, if several).
    pub fn unit_at_plane(&self, x: f64, y: f64) -> Option<usize> {
        (0..self.units.len()).rev().find(|&i| self.units[i].contains_plane(x, y))
    }

    /// The unit under a geographic point.
    pub fn unit_at_geo(&self, lon: f64, lat: f64) -> Option<usize> {
        let (x, y) = project(lon, lat);
        self.unit_at_plane(x, y)
    }

    /// The unit under a screen point (for hover and click).
    pub fn unit_at(&self, view: &MapView, px: f64, py: f64) -> Option<usize> {
        let (x, y) = view.screen_to_plane(px, py);
        self.unit_at_plane(x, y)
    }

    /// Plane bounds of the core countries (should equal [`CORE_BOUNDS`]).
    pub fn core_bounds(&self) -> Rect {
        self.units
            .iter()
            .filter(|u| u.iso_n3.is_some_and(|id| CORE_IDS.contains(&id)))
            .fold(Rect::EMPTY, |b, u| b.union(&u.bounds))
    }
}

/// Shoelace area (signed; counter-clockwise positive).
pub fn ring_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    let mut a = 0.0;
    for i in 0..n {
        let (x0, y0) = ring[i];
        let (x1, y1) = ring[(i + 1) % n];
        a += x0 * y1 - x1 * y0;
    }
    a / 2.0
}

/// Meridians (straight lines in this projection) and parallels (arcs) every 10°, across the
/// longitudes the map can show.
fn graticule() -> Vec<Vec<(f64, f64)>> {
    let mut lines = Vec::new();
    for lon in (-30..=240).step_by(10) {
        let lon = lon as f64;
        lines.push(vec![project(lon, 0.0), project(lon, 80.0)]);
    }
    for lat in (0..=80).step_by(10) {
        let lat = lat as f64;
        lines.push((-30..=240).step_by(2).map(|lon| project(lon as f64, lat)).collect());
    }
    lines
}
