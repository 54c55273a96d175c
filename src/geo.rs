//! Map geometry: the projection, the border file, the pan/zoom view, hit-testing and label
//! placement. Pure code (no DOM), the same on wasm and in native tests.
//!
//! # Coordinates
//! - *Geographic*: longitude and latitude in degrees. Longitudes below [`WRAP_LON`] (−110°) are
//!   read as east of the antimeridian (+360°), so Chukotka and the Aleutians continue Russia's
//!   and Alaska's shapes instead of jumping to the far left of the map.
//! - *Plane*: kilometres on a Lambert conformal conic projection centred on 70° E (Pakistan
//!   stands upright), standard parallels 30° N and 60° N; `y` grows northwards.
//! - *Screen*: CSS pixels, `y` grows downwards. A [`MapView`] maps plane to screen with one
//!   scale and one offset, so the projected geometry is computed once, at load, and every frame
//!   only applies that affine map.
//!
//! # The border file
//! `data/geo/region.json`, written by `cargo xtask geodata` from world-atlas 2.0.2 (Natural
//! Earth 4.1.0, 1:50m). It is a small topology: `arcs` are polylines of longitude/latitude in
//! hundredths of a degree (the first point absolute, then deltas); a unit's rings are lists of
//! arc references (`i`, or `-i-1` for arc `i` reversed, as in TopoJSON), so a border shared by
//! two countries is stored, simplified and stroked once. See `xtask/src/geodata.rs` for how the
//! file is made and how Kashmir and Crimea are marked as disputed.

use crate::fmath::{atan, atan2, cos, ln, powf, sin, tan};
use std::sync::OnceLock;

/// Mean Earth radius; plane coordinates are in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0;
/// Central meridian of the projection.
pub const CENTRAL_MERIDIAN: f64 = 70.0;
/// Standard parallels of the projection.
pub const STANDARD_PARALLELS: (f64, f64) = (30.0, 60.0);
/// Latitude of the projection's origin (plane `y = 0`).
pub const ORIGIN_LATITUDE: f64 = 45.0;
/// Longitudes below this are shifted by +360° before projecting (the antimeridian cut sits
/// 180° from the central meridian, in the empty Pacific east of Alaska's panhandle).
pub const WRAP_LON: f64 = -110.0;

/// ISO 3166-1 numeric codes of Pakistan and Russia, the countries the map emphasises.
pub const PAKISTAN: u16 = 586;
pub const RUSSIA: u16 = 643;

/// The countries the map is about; their plane bounds (plus a margin) are [`REGION`], the
/// widest view. Pakistan, Russia, Central Asia, Afghanistan, Iran, India, China, Mongolia, the
/// Caucasus and Eastern Europe up to Russia's western border.
pub const CORE_IDS: [u16; 23] =
    [586, 643, 860, 762, 417, 398, 795, 4, 364, 356, 156, 496, 268, 51, 31, 804, 112, 233, 428, 440, 246, 616, 498];

/// Plane bounds of the [`CORE_IDS`] countries in the border file, rounded to 5 km (they only
/// set the view limits). `cargo xtask geodata` checks them (within 10 km) against the geometry
/// it writes, and so does a test here.
pub const CORE_BOUNDS: Bounds = Bounds { x0: -3470.0, y0: -4200.0, x1: 5045.0, y1: 5820.0 };

/// Margin around the core countries in the widest view, in km.
pub const REGION_MARGIN_KM: f64 = 250.0;

/// The widest view: the core countries with a margin. At the minimum zoom a view shows all of
/// it (for canvas shapes between [`MAX_TALL`] and [`MAX_WIDE`]).
pub const REGION: Bounds = CORE_BOUNDS.expand(REGION_MARGIN_KM);

/// The widest canvas (width / height) for which the whole [`REGION`] is shown at minimum zoom.
pub const MAX_WIDE: f64 = 1.8;
/// The tallest canvas (height / width) for which the whole [`REGION`] is shown at minimum zoom.
pub const MAX_TALL: f64 = 1.4;

/// Everything a view may ever show: [`REGION`] widened to the canvas shapes above. The border
/// file holds every polygon that reaches into it; a view never leaves it (on more extreme
/// canvases the minimum zoom rises instead).
pub const OUTER: Bounds = {
    let (cx, cy) = ((REGION.x0 + REGION.x1) / 2.0, (REGION.y0 + REGION.y1) / 2.0);
    let (w, h) = (REGION.x1 - REGION.x0, REGION.y1 - REGION.y0);
    let ow = if h * MAX_WIDE > w { h * MAX_WIDE } else { w };
    let oh = if w * MAX_TALL > h { w * MAX_TALL } else { h };
    Bounds { x0: cx - ow / 2.0, y0: cy - oh / 2.0, x1: cx + ow / 2.0, y1: cy + oh / 2.0 }
};

/// The closest zoom, as a scale in CSS pixels per plane kilometre: a city and its surroundings
/// (about 160 km across a 1280 px canvas). The geometry is simplified to about a kilometre near
/// Pakistan, so closer views would show nothing more.
pub const MAX_SCALE: f64 = 8.0;

/// The border file `data/geo/region.json` (made by `cargo xtask geodata`) in the binary form
/// `build.rs` encodes it to (see [`crate::geo_codec`]).
pub const GEO_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/region.bin"));

// ---------------------------------------------------------------------------------------------
// Projection

struct Lcc {
    n: f64,
    rf: f64,
    rho0: f64,
}

fn lcc() -> &'static Lcc {
    static L: OnceLock<Lcc> = OnceLock::new();
    L.get_or_init(|| {
        let (p1, p2) = (STANDARD_PARALLELS.0.to_radians(), STANDARD_PARALLELS.1.to_radians());
        let t = |p: f64| tan(std::f64::consts::FRAC_PI_4 + p / 2.0);
        let n = ln(cos(p1) / cos(p2)) / ln(t(p2) / t(p1));
        let rf = EARTH_RADIUS_KM * cos(p1) * powf(t(p1), n) / n;
        let rho0 = rf / powf(t(ORIGIN_LATITUDE.to_radians()), n);
        Lcc { n, rf, rho0 }
    })
}

/// `lon` moved east of the antimeridian when it lies below [`WRAP_LON`].
pub fn unwrap_lon(lon: f64) -> f64 {
    if lon < WRAP_LON {
        lon + 360.0
    } else {
        lon
    }
}

/// `lon` back in −180..180.
pub fn normalize_lon(lon: f64) -> f64 {
    let l = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if l == -180.0 && lon > 0.0 {
        180.0
    } else {
        l
    }
}

/// Geographic degrees → plane kilometres. Latitudes are clamped to −80..89.99 (the projection
/// puts the South Pole at infinity).
pub fn project(lon: f64, lat: f64) -> (f64, f64) {
    let l = lcc();
    let phi = lat.clamp(-80.0, 89.99).to_radians();
    let rho = l.rf / powf(tan(std::f64::consts::FRAC_PI_4 + phi / 2.0), l.n);
    let theta = l.n * (unwrap_lon(lon) - CENTRAL_MERIDIAN).to_radians();
    (rho * sin(theta), l.rho0 - rho * cos(theta))
}

/// Plane kilometres → geographic degrees (longitude in −180..180).
pub fn unproject(x: f64, y: f64) -> (f64, f64) {
    let l = lcc();
    let dy = l.rho0 - y;
    let rho = (x * x + dy * dy).sqrt();
    let theta = atan2(x, dy);
    let lat = if rho == 0.0 {
        90.0
    } else {
        (2.0 * atan(powf(l.rf / rho, 1.0 / l.n)) - std::f64::consts::FRAC_PI_2).to_degrees()
    };
    (normalize_lon(CENTRAL_MERIDIAN + (theta / l.n).to_degrees()), lat)
}

/// The projection's scale factor at `lat`: plane km per true km along a parallel or meridian.
pub fn scale_factor(lat: f64) -> f64 {
    let l = lcc();
    let phi = lat.clamp(-80.0, 89.99).to_radians();
    let rho = l.rf / powf(tan(std::f64::consts::FRAC_PI_4 + phi / 2.0), l.n);
    l.n * rho / (EARTH_RADIUS_KM * cos(phi))
}

// ---------------------------------------------------------------------------------------------
// Bounds

/// An axis-aligned box (plane km, or screen px where said).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Bounds {
    /// The empty box: `include` grows it from nothing.
    pub const EMPTY: Bounds =
        Bounds { x0: f64::INFINITY, y0: f64::INFINITY, x1: f64::NEG_INFINITY, y1: f64::NEG_INFINITY };

    pub fn is_empty(&self) -> bool {
        self.x0 > self.x1 || self.y0 > self.y1
    }
    pub fn include(&mut self, x: f64, y: f64) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x);
        self.y1 = self.y1.max(y);
    }
    pub fn of_points<I: IntoIterator<Item = (f64, f64)>>(pts: I) -> Bounds {
        let mut b = Bounds::EMPTY;
        for (x, y) in pts {
            b.include(x, y);
        }
        b
    }
    /// Plane bounds of geographic points.
    pub fn of_geo<I: IntoIterator<Item = (f64, f64)>>(lonlat: I) -> Bounds {
        Bounds::of_points(lonlat.into_iter().map(|(lon, lat)| project(lon, lat)))
    }
    pub fn union(&self, o: &Bounds) -> Bounds {
        Bounds { x0: self.x0.min(o.x0), y0: self.y0.min(o.y0), x1: self.x1.max(o.x1), y1: self.y1.max(o.y1) }
    }
    pub const fn expand(&self, m: f64) -> Bounds {
        Bounds { x0: self.x0 - m, y0: self.y0 - m, x1: self.x1 + m, y1: self.y1 + m }
    }
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    pub fn center(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }
    pub fn intersects(&self, o: &Bounds) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
}

// ---------------------------------------------------------------------------------------------
// View

/// What part of the map a canvas shows: a plain value (compare it, keep it in a signal, put it
/// in a URL via [`MapView::center_geo`] and `zoom`).
///
/// `zoom` is relative to the widest view: 1 shows all of [`REGION`] whatever the canvas size,
/// so a zoom level survives a resize. `width`/`height` are the canvas size in CSS pixels; keep
/// them equal to the size of the drawing area (see [`MapView::with_size`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    /// The plane point (km) at the canvas centre.
    pub center: (f64, f64),
    pub zoom: f64,
    pub width: f64,
    pub height: f64,
}

impl Default for MapView {
    /// The whole region on a 1280 × 800 canvas.
    fn default() -> Self {
        MapView::new(1280.0, 800.0)
    }
}

/// Plane → screen: `(s·x + tx, ty − s·y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine {
    pub s: f64,
    pub tx: f64,
    pub ty: f64,
}

impl Affine {
    #[inline]
    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        (self.s * x + self.tx, self.ty - self.s * y)
    }
    #[inline]
    pub fn invert(&self, px: f64, py: f64) -> (f64, f64) {
        ((px - self.tx) / self.s, (self.ty - py) / self.s)
    }
    /// Screen bounds of a plane box.
    pub fn apply_bounds(&self, b: &Bounds) -> Bounds {
        let (x0, y1) = self.apply(b.x0, b.y0);
        let (x1, y0) = self.apply(b.x1, b.y1);
        Bounds { x0, y0, x1, y1 }
    }
}

impl MapView {
    /// The whole region on a canvas of this size.
    pub fn new(width: f64, height: f64) -> MapView {
        let mut v = MapView { center: REGION.center(), zoom: 1.0, width: width.max(1.0), height: height.max(1.0) };
        v.clamp();
        v
    }

    /// The same view on a canvas of another size (centre and zoom kept, then clamped).
    pub fn with_size(mut self, width: f64, height: f64) -> MapView {
        self.width = width.max(1.0);
        self.height = height.max(1.0);
        self.clamp();
        self
    }

    /// Pixels per plane km at zoom 1 (the region fits the canvas).
    fn base_scale(&self) -> f64 {
        (self.width / REGION.width()).min(self.height / REGION.height())
    }

    /// Pixels per plane km.
    pub fn scale(&self) -> f64 {
        self.zoom * self.base_scale()
    }

    /// The smallest zoom: 1, or more on a canvas so wide or tall that zoom 1 would leave
    /// [`OUTER`].
    pub fn min_zoom(&self) -> f64 {
        let need = (self.width / OUTER.width()).max(self.height / OUTER.height());
        (need / self.base_scale()).max(1.0)
    }

    /// The largest zoom ([`MAX_SCALE`] pixels per km).
    pub fn max_zoom(&self) -> f64 {
        (MAX_SCALE / self.base_scale()).max(self.min_zoom())
    }

    pub fn affine(&self) -> Affine {
        let s = self.scale();
        Affine { s, tx: self.width / 2.0 - s * self.center.0, ty: self.height / 2.0 + s * self.center.1 }
    }

    pub fn plane_to_screen(&self, x: f64, y: f64) -> (f64, f64) {
        self.affine().apply(x, y)
    }

    pub fn screen_to_plane(&self, px: f64, py: f64) -> (f64, f64) {
        self.affine().invert(px, py)
    }

    /// Geographic degrees → screen pixels.
    pub fn to_screen(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = project(lon, lat);
        self.plane_to_screen(x, y)
    }

    /// Screen pixels → geographic degrees (longitude in −180..180).
    pub fn to_geo(&self, px: f64, py: f64) -> (f64, f64) {
        let (x, y) = self.screen_to_plane(px, py);
        unproject(x, y)
    }

    /// The plane area on screen.
    pub fn visible(&self) -> Bounds {
        let s = self.scale();
        let (hw, hh) = (self.width / 2.0 / s, self.height / 2.0 / s);
        Bounds { x0: self.center.0 - hw, y0: self.center.1 - hh, x1: self.center.0 + hw, y1: self.center.1 + hh }
    }

    /// The geographic point at the canvas centre.
    pub fn center_geo(&self) -> (f64, f64) {
        unproject(self.center.0, self.center.1)
    }

    /// Centres the view on a geographic point (clamped).
    pub fn set_center_geo(&mut self, lon: f64, lat: f64) {
        self.center = project(lon, lat);
        self.clamp();
    }

    /// Centres the view on a geographic point at a zoom (both clamped). Unlike
    /// [`MapView::set_center_geo`] followed by a zoom, the point ends up at the centre whenever
    /// the limits allow it at that zoom.
    pub fn centered_on(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.zoom = zoom;
        self.center = project(lon, lat);
        self.clamp();
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the point under `(px, py)` in place, as far as
    /// the limits allow.
    pub fn zoom_about(&mut self, px: f64, py: f64, factor: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let (x, y) = self.screen_to_plane(px, py);
        self.zoom = (self.zoom * factor).clamp(self.min_zoom(), self.max_zoom());
        let s = self.scale();
        self.center = (x - (px - self.width / 2.0) / s, y + (py - self.height / 2.0) / s);
        self.clamp();
    }

    /// Moves the map content by `(dx, dy)` screen pixels (a drag).
    pub fn pan(&mut self, dx: f64, dy: f64) {
        let s = self.scale();
        self.center = (self.center.0 - dx / s, self.center.1 + dy / s);
        self.clamp();
    }

    /// Shows the plane box `b` as large as possible with `padding` pixels around it.
    pub fn fit(&mut self, b: Bounds, padding: f64) {
        if b.is_empty() {
            return;
        }
        // A lone point (or a tiny box) is shown with ~300 km around it.
        let b = Bounds::of_points([
            (b.x0, b.y0),
            (b.x1, b.y1),
            (b.center().0 - 150.0, b.center().1 - 150.0),
            (b.center().0 + 150.0, b.center().1 + 150.0),
        ]);
        let aw = (self.width - 2.0 * padding).max(self.width * 0.25);
        let ah = (self.height - 2.0 * padding).max(self.height * 0.25);
        let s = (aw / b.width()).min(ah / b.height());
        self.zoom = s / self.base_scale();
        self.center = b.center();
        self.clamp();
    }

    /// Shows the geographic points as large as possible.
    pub fn fit_geo(&mut self, lonlat: &[(f64, f64)], padding: f64) {
        self.fit(Bounds::of_geo(lonlat.iter().copied()), padding);
    }

    /// Pans (and zooms out only if needed) so that all the geographic points lie at least
    /// `margin` pixels inside the canvas. Returns whether the view changed.
    pub fn ensure_visible(&mut self, lonlat: &[(f64, f64)], margin: f64) -> bool {
        let b = Bounds::of_geo(lonlat.iter().copied());
        if b.is_empty() {
            return false;
        }
        let before = *self;
        let m = margin.min(self.width / 4.0).min(self.height / 4.0);
        let s = self.scale();
        let (aw, ah) = ((self.width - 2.0 * m) / s, (self.height - 2.0 * m) / s);
        if b.width() > aw || b.height() > ah {
            self.fit(b, m);
            return *self != before;
        }
        let v = self.visible();
        // (A micrometre of slack, so that a point just brought to the margin counts as inside.)
        let shift = |lo: f64, hi: f64, vlo: f64, vhi: f64| {
            if lo < vlo - 1e-9 {
                lo - vlo
            } else if hi > vhi + 1e-9 {
                hi - vhi
            } else {
                0.0
            }
        };
        let mk = m / s;
        let dx = shift(b.x0, b.x1, v.x0 + mk, v.x1 - mk);
        let dy = shift(b.y0, b.y1, v.y0 + mk, v.y1 - mk);
        self.center = (self.center.0 + dx, self.center.1 + dy);
        self.clamp();
        *self != before
    }

    /// Applies the limits: zoom within [`MapView::min_zoom`]..[`MapView::max_zoom`], the
    /// view inside [`OUTER`] and its centre inside [`REGION`].
    pub fn clamp(&mut self) {
        if !self.zoom.is_finite() {
            self.zoom = 1.0;
        }
        self.zoom = self.zoom.clamp(self.min_zoom(), self.max_zoom());
        let s = self.scale();
        let (hw, hh) = (self.width / 2.0 / s, self.height / 2.0 / s);
        let axis = |c: f64, half: f64, olo: f64, ohi: f64, rlo: f64, rhi: f64| {
            let lo = (olo + half).max(rlo);
            let hi = (ohi - half).min(rhi);
            if !c.is_finite() || lo > hi {
                (olo + ohi) / 2.0
            } else {
                c.clamp(lo, hi)
            }
        };
        self.center = (
            axis(self.center.0, hw, OUTER.x0, OUTER.x1, REGION.x0, REGION.x1),
            axis(self.center.1, hh, OUTER.y0, OUTER.y1, REGION.y0, REGION.y1),
        );
    }

    /// True kilometres per screen pixel at the canvas centre (for a scale bar).
    pub fn km_per_px(&self) -> f64 {
        let (_, lat) = self.center_geo();
        1.0 / (self.scale() * scale_factor(lat))
    }
}

// ---------------------------------------------------------------------------------------------
// Geometry

/// One closed ring of a unit, in geographic and plane coordinates (closing point not repeated).
#[derive(Clone, Debug, PartialEq)]
pub struct Ring {
    /// A hole (an enclave belonging to another unit, drawn by that unit).
    pub hole: bool,
    pub lonlat: Vec<(f64, f64)>,
    pub xy: Vec<(f64, f64)>,
    pub bounds: Bounds,
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
    pub bounds: Bounds,
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
    pub bounds: Bounds,
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
        // Arcs: absolute first point, then deltas.
        let mut arcs_ll: Vec<Vec<(f64, f64)>> = Vec::with_capacity(raw.arcs.len());
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
                    (x as f64 / q, y as f64 / q)
                })
                .collect();
            vertex_count += pts.len();
            arcs_ll.push(pts);
        }
        let arcs_xy: Vec<Vec<(f64, f64)>> =
            arcs_ll.iter().map(|a| a.iter().map(|&(lon, lat)| project(lon, lat)).collect()).collect();

        let mut users = vec![0u8; arcs_ll.len()];
        let mut units = Vec::with_capacity(raw.units.len());
        for (ui, u) in raw.units.iter().enumerate() {
            let mut rings = Vec::new();
            for poly in &u.polygons {
                for (ri, refs) in poly.iter().enumerate() {
                    let mut lonlat: Vec<(f64, f64)> = Vec::new();
                    let mut xy: Vec<(f64, f64)> = Vec::new();
                    for &r in refs {
                        let (idx, rev) = if r >= 0 { (r as usize, false) } else { ((-(r + 1)) as usize, true) };
                        let (Some(ll), Some(pp)) = (arcs_ll.get(idx), arcs_xy.get(idx)) else {
                            return Err(format!("border file: unit {ui} refers to missing arc {idx}"));
                        };
                        users[idx] = users[idx].saturating_add(1);
                        // Consecutive arcs share their joining point: skip it the second time.
                        let skip = usize::from(!lonlat.is_empty());
                        if rev {
                            lonlat.extend(ll.iter().rev().skip(skip));
                            xy.extend(pp.iter().rev().skip(skip));
                        } else {
                            lonlat.extend(ll.iter().skip(skip));
                            xy.extend(pp.iter().skip(skip));
                        }
                    }
                    if lonlat.len() > 1 && lonlat.first() == lonlat.last() {
                        lonlat.pop();
                        xy.pop();
                    }
                    if lonlat.len() < 3 {
                        return Err(format!("border file: unit {} has a ring of {} points", u.name, lonlat.len()));
                    }
                    let bounds = Bounds::of_points(xy.iter().copied());
                    rings.push(Ring { hole: ri > 0, lonlat, xy, bounds });
                }
            }
            if rings.is_empty() {
                return Err(format!("border file: unit {} has no polygon", u.name));
            }
            let bounds = rings.iter().fold(Bounds::EMPTY, |b, r| b.union(&r.bounds));
            let area = rings.iter().map(|r| if r.hole { -1.0 } else { 1.0 } * ring_area(&r.xy).abs()).sum();
            let label = (u.label[0] as f64 / q, u.label[1] as f64 / q);
            units.push(Unit {
                iso_n3: u.id,
                name: u.name.clone(),
                disputed: u.disputed,
                note: u.note.clone(),
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
                bounds: Bounds::of_points(xy.iter().copied()),
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
            disputed.push(DisputedLine {
                name: d.name,
                note: d.note,
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

    /// The disputed line (index into [`GeoData::disputed`]) within `tolerance` pixels of a
    /// screen point, for a tooltip on the dashed lines.
    pub fn disputed_line_at(&self, view: &MapView, px: f64, py: f64, tolerance: f64) -> Option<usize> {
        let (x, y) = view.screen_to_plane(px, py);
        let tol = tolerance / view.scale();
        let mut best: Option<(f64, usize)> = None;
        for arc in &self.arcs {
            let ArcKind::Disputed(d) = arc.kind else { continue };
            if !arc.bounds.expand(tol).contains(x, y) {
                continue;
            }
            for w in arc.xy.windows(2) {
                let dist = segment_distance((x, y), w[0], w[1]);
                if dist <= tol && best.is_none_or(|(b, _)| dist < b) {
                    best = Some((dist, d));
                }
            }
        }
        best.map(|b| b.1)
    }

    /// Plane bounds of the core countries (should equal [`CORE_BOUNDS`]).
    pub fn core_bounds(&self) -> Bounds {
        self.units
            .iter()
            .filter(|u| u.iso_n3.is_some_and(|id| CORE_IDS.contains(&id)))
            .fold(Bounds::EMPTY, |b, u| b.union(&u.bounds))
    }
}

/// Distance from `p` to the segment `a`–`b`.
pub fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
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

// ---------------------------------------------------------------------------------------------
// Place hit-testing

/// Markers indexed in plane coordinates, sorted by `x`: build it when the places change (not on
/// every pan or zoom) and ask it which marker is under the pointer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceIndex {
    /// (plane x, plane y, marker radius in px, caller's index), sorted by x.
    items: Vec<(f64, f64, f64, usize)>,
    max_radius: f64,
}

impl PlaceIndex {
    /// `markers`: (longitude, latitude, drawn radius in px), in the caller's order.
    pub fn new<I: IntoIterator<Item = (f64, f64, f64)>>(markers: I) -> PlaceIndex {
        let mut items: Vec<(f64, f64, f64, usize)> = markers
            .into_iter()
            .enumerate()
            .filter(|(_, (lon, lat, _))| lon.is_finite() && lat.is_finite())
            .map(|(i, (lon, lat, r))| {
                let (x, y) = project(lon, lat);
                (x, y, r.max(0.0), i)
            })
            .collect();
        // Already in index order: a stable sort by x breaks ties by index.
        crate::order::sort_by_key(&mut items, |m| crate::order::f64_key(m.0));
        let max_radius = items.iter().map(|m| m.2).fold(0.0, f64::max);
        PlaceIndex { items, max_radius }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The marker under the screen point: the one whose edge is nearest, within `slop` pixels
    /// outside its circle. Returns the caller's index.
    pub fn hit(&self, view: &MapView, px: f64, py: f64, slop: f64) -> Option<usize> {
        let (x, y) = view.screen_to_plane(px, py);
        let s = view.scale();
        let reach = (self.max_radius + slop) / s;
        let start = self.items.partition_point(|m| m.0 < x - reach);
        let mut best: Option<(f64, usize)> = None;
        for m in self.items[start..].iter().take_while(|m| m.0 <= x + reach) {
            let d = ((m.0 - x).hypot(m.1 - y)) * s;
            if d <= m.2 + slop {
                let score = d - m.2;
                if best.is_none_or(|(b, _)| score < b) {
                    best = Some((score, m.3));
                }
            }
        }
        best.map(|b| b.1)
    }
}

// ---------------------------------------------------------------------------------------------
// Labels

/// Estimated width of a label in pixels (no text measurement: that forces a page layout per
/// label in the browser). About 7 px per character at 12 px.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// Screen rectangles already taken by labels, markers and legends.
#[derive(Clone, Debug)]
pub struct LabelLayout {
    taken: Vec<Bounds>,
    screen: Bounds,
}

impl LabelLayout {
    pub fn new(width: f64, height: f64) -> LabelLayout {
        LabelLayout { taken: Vec::new(), screen: Bounds { x0: 0.0, y0: 0.0, x1: width, y1: height } }
    }

    /// Reserves a rectangle (a marker, a legend) without checking.
    pub fn block(&mut self, r: Bounds) {
        self.taken.push(r);
    }

    /// Whether the rectangle is on screen and free.
    pub fn is_free(&self, r: &Bounds) -> bool {
        r.x0 >= self.screen.x0
            && r.y0 >= self.screen.y0
            && r.x1 <= self.screen.x1
            && r.y1 <= self.screen.y1
            && !self.taken.iter().any(|t| t.intersects(r))
    }

    /// Takes the rectangle if it is on screen and free.
    pub fn try_place(&mut self, r: Bounds) -> bool {
        let free = self.is_free(&r);
        if free {
            self.taken.push(r);
        }
        free
    }
}

/// A country name placed on screen (centred on `x`, `y`).
#[derive(Clone, Debug, PartialEq)]
pub struct CountryLabel {
    pub unit: usize,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub bold: bool,
}

/// Font size of country names (Pakistan and Russia a little larger, bold).
pub const COUNTRY_LABEL_SIZE: f64 = 12.0;
pub const FOCUS_LABEL_SIZE: f64 = 13.0;

/// Places country names greedily: Pakistan and Russia first, then larger countries first; a
/// name is left out when it would overlap another label, leave the canvas, or be much wider
/// than its country on screen.
pub fn country_labels(geo: &GeoData, view: &MapView, layout: &mut LabelLayout) -> Vec<CountryLabel> {
    let focus: Vec<usize> = [PAKISTAN, RUSSIA].iter().filter_map(|&id| geo.unit_by_iso(id)).collect();
    let order: Vec<usize> = focus.iter().copied().chain((0..geo.units.len()).filter(|i| !focus.contains(i))).collect();
    country_labels_for(geo, view, layout, &order)
}

/// Places the names of the given units, in that order (see [`country_labels`]); units are
/// stored larger first, so ascending indices are a good priority.
pub fn country_labels_for(
    geo: &GeoData,
    view: &MapView,
    layout: &mut LabelLayout,
    units: &[usize],
) -> Vec<CountryLabel> {
    let a = view.affine();
    let vis = view.visible();
    let mut out = Vec::new();
    for &i in units {
        let Some(u) = geo.units.get(i) else { continue };
        if !u.bounds.intersects(&vis) {
            continue;
        }
        let is_focus = u.is_focus();
        let size = if is_focus { FOCUS_LABEL_SIZE } else { COUNTRY_LABEL_SIZE };
        let sb = a.apply_bounds(&u.bounds);
        let w = text_width(&u.name, size);
        if !is_focus && (sb.width() < w * 0.8 || sb.height() < size * 1.5) {
            continue;
        }
        let (mut x, mut y) = a.apply(u.label_xy.0, u.label_xy.1);
        // Room for the label's centre on screen.
        let inner = Bounds { x0: w / 2.0 + 2.0, y0: size, x1: view.width - w / 2.0 - 2.0, y1: view.height - size };
        if !inner.contains(x, y) {
            // The usual spot is off screen: try a spot inside the visible part of the unit,
            // nearest the middle of that part.
            let part = Bounds {
                x0: sb.x0.max(inner.x0),
                y0: sb.y0.max(inner.y0),
                x1: sb.x1.min(inner.x1),
                y1: sb.y1.min(inner.y1),
            };
            if part.is_empty() || (!is_focus && (part.width() < w * 2.0 || part.height() < size * 3.0)) {
                continue;
            }
            let (cx, cy) = part.center();
            let n = 7;
            let best = (0..n * n)
                .map(|k| {
                    (
                        part.x0 + part.width() * ((k % n) as f64 + 0.5) / n as f64,
                        part.y0 + part.height() * ((k / n) as f64 + 0.5) / n as f64,
                    )
                })
                .filter(|&(px, py)| {
                    let (qx, qy) = a.invert(px, py);
                    u.contains_plane(qx, qy)
                })
                .min_by(|p, q| (p.0 - cx).hypot(p.1 - cy).total_cmp(&(q.0 - cx).hypot(q.1 - cy)));
            let Some(p) = best else { continue };
            (x, y) = p;
        }
        let r = Bounds { x0: x - w / 2.0 - 2.0, y0: y - size * 0.6, x1: x + w / 2.0 + 2.0, y1: y + size * 0.6 };
        if layout.try_place(r) {
            out.push(CountryLabel { unit: i, x, y, size, bold: is_focus });
        }
    }
    out
}

/// Which side of its marker a point label sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Right,
    Left,
    Above,
    Below,
}

/// A point label placed on screen: `(x, y)` is the anchor on the marker's `side`.
#[derive(Clone, Debug, PartialEq)]
pub struct PointLabel {
    pub index: usize,
    pub x: f64,
    pub y: f64,
    pub side: Side,
}

/// Places labels beside markers, in the given (priority) order: right, left, above, below,
/// whichever is free first. `points`: (caller's index, screen x, screen y, marker radius, text).
pub fn point_labels(points: &[(usize, f64, f64, f64, &str)], size: f64, layout: &mut LabelLayout) -> Vec<PointLabel> {
    let mut out = Vec::new();
    for &(index, x, y, r, text) in points {
        let w = text_width(text, size);
        let h = size * 1.2;
        let gap = r + 3.0;
        let candidates = [
            (Side::Right, Bounds { x0: x + gap, y0: y - h / 2.0, x1: x + gap + w, y1: y + h / 2.0 }, (x + gap, y)),
            (Side::Left, Bounds { x0: x - gap - w, y0: y - h / 2.0, x1: x - gap, y1: y + h / 2.0 }, (x - gap, y)),
            (Side::Above, Bounds { x0: x - w / 2.0, y0: y - gap - h, x1: x + w / 2.0, y1: y - gap }, (x, y - gap)),
            (Side::Below, Bounds { x0: x - w / 2.0, y0: y + gap, x1: x + w / 2.0, y1: y + gap + h }, (x, y + gap)),
        ];
        for (side, rect, (ax, ay)) in candidates {
            if layout.try_place(rect) {
                out.push(PointLabel { index, x: ax, y: ay, side });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISLAMABAD: (f64, f64) = (73.05, 33.68);
    const KARACHI: (f64, f64) = (67.00, 24.86);
    const MOSCOW: (f64, f64) = (37.62, 55.76);
    const TASHKENT: (f64, f64) = (69.24, 41.30);

    #[test]
    fn projection_round_trips() {
        for &(lon, lat) in &[ISLAMABAD, MOSCOW, (179.5, 66.0), (-170.0, 65.5), (30.0, 10.0)] {
            let (x, y) = project(lon, lat);
            let (lon2, lat2) = unproject(x, y);
            assert!((normalize_lon(lon) - lon2).abs() < 1e-9, "{lon} {lon2}");
            assert!((lat - lat2).abs() < 1e-9);
        }
        // Conformal: exact scale on the standard parallels.
        assert!((scale_factor(30.0) - 1.0).abs() < 1e-9);
        assert!((scale_factor(60.0) - 1.0).abs() < 1e-9);
        assert!(scale_factor(45.0) < 1.0);
    }

    #[test]
    fn cities_land_where_expected() {
        let v = MapView::default();
        let isb = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        let msk = v.to_screen(MOSCOW.0, MOSCOW.1);
        let khi = v.to_screen(KARACHI.0, KARACHI.1);
        let tas = v.to_screen(TASHKENT.0, TASHKENT.1);
        // Moscow (37.6° E) is far west of Islamabad (73.1° E): on screen Islamabad is right of
        // and below Moscow.
        assert!(msk.0 < isb.0 && isb.1 > msk.1, "{isb:?} {msk:?}");
        assert!(khi.0 < isb.0 && khi.1 > isb.1, "Karachi is south-west of Islamabad");
        assert!(tas.1 > msk.1 && tas.1 < isb.1, "Tashkent lies between them in latitude");
        for p in [isb, msk, khi, tas] {
            assert!(p.0 > 0.0 && p.0 < v.width && p.1 > 0.0 && p.1 < v.height, "{p:?} on screen");
        }
        let (lon, lat) = v.to_geo(isb.0, isb.1);
        assert!((lon - ISLAMABAD.0).abs() < 1e-9 && (lat - ISLAMABAD.1).abs() < 1e-9);
    }

    #[test]
    fn chukotka_is_east_not_west() {
        let v = MapView::default();
        let kam = v.to_screen(158.6, 53.0);
        let chu = v.to_screen(-172.0, 65.0); // east of the antimeridian
        let msk = v.to_screen(MOSCOW.0, MOSCOW.1);
        assert!(chu.0 > kam.0 - 100.0 && chu.0 > msk.0 + 300.0, "{chu:?} {kam:?}");
    }

    #[test]
    fn the_file_decodes_within_budget() {
        let g = GeoData::get();
        assert!(g.units.len() >= 20, "{}", g.units.len());
        for id in [PAKISTAN, RUSSIA, 4, 156, 356, 364, 398, 496, 804] {
            assert!(g.unit_by_iso(id).is_some(), "missing {id}");
        }
        assert!(g.vertex_count <= 12_000, "{} vertices", g.vertex_count);
        assert!(g.attribution.contains("Natural Earth"));
        assert!(g.units.iter().any(|u| u.name == "Siachen Glacier" && u.disputed));
        assert!(!g.disputed.is_empty());
        let cb = g.core_bounds();
        for (a, b) in
            [(cb.x0, CORE_BOUNDS.x0), (cb.y0, CORE_BOUNDS.y0), (cb.x1, CORE_BOUNDS.x1), (cb.y1, CORE_BOUNDS.y1)]
        {
            assert!((a - b).abs() <= 10.0, "CORE_BOUNDS out of date: {cb:?}");
        }
        // Every polygon lies (at least partly) in the area a view can show.
        for u in &g.units {
            assert!(u.bounds.intersects(&OUTER), "{}", u.name);
        }
    }

    #[test]
    fn the_embedded_bytes_are_the_json_file() {
        let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/geo/region.json")).unwrap();
        assert_eq!(GeoData::get(), &GeoData::parse(&json).unwrap());
        // About two bytes a vertex: well under half the JSON.
        assert!(GEO_BIN.len() * 2 < json.len(), "{} bytes embedded for {} of JSON", GEO_BIN.len(), json.len());
        let raw = crate::geo_codec::decode(GEO_BIN).unwrap();
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(raw.arcs.len(), json["arcs"].as_array().unwrap().len());
        assert_eq!(raw.units.len(), json["units"].as_array().unwrap().len());
        assert_eq!(raw.units[0].name, json["units"][0]["name"].as_str().unwrap());
    }

    #[test]
    fn a_broken_border_file_is_an_error() {
        let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/geo/region.json")).unwrap();
        let wrong = json.replace("pakru-atlas-geo/1", "pakru-atlas-geo/9");
        assert!(GeoData::parse(&wrong).unwrap_err().contains("format"));
        assert!(GeoData::from_bytes(&GEO_BIN[..GEO_BIN.len() / 2]).is_err());
        assert!(GeoData::from_bytes(b"").is_err());
    }

    #[test]
    fn point_in_polygon() {
        let g = GeoData::get();
        let name = |p: (f64, f64)| g.unit_at_geo(p.0, p.1).map(|i| g.units[i].name.clone());
        assert_eq!(name(ISLAMABAD).as_deref(), Some("Pakistan"));
        assert_eq!(name(KARACHI).as_deref(), Some("Pakistan"));
        assert_eq!(name(MOSCOW).as_deref(), Some("Russia"));
        assert_eq!(name(TASHKENT).as_deref(), Some("Uzbekistan"));
        assert_eq!(name((116.41, 39.9)).as_deref(), Some("China"));
        assert_eq!(name((172.0, 66.0)).as_deref(), Some("Russia"), "Chukotka west of 180°");
        assert_eq!(name((-173.2, 66.0)).as_deref(), Some("Russia"), "Chukotka east of 180°");
        assert_eq!(name((64.0, 20.0)), None, "Arabian Sea");
        assert_eq!(name((34.1, 45.0)).as_deref(), Some("Crimea"));
        // Through the view, as hover does.
        let v = MapView::default();
        let (px, py) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        assert_eq!(g.unit_at(&v, px, py), g.unit_by_iso(PAKISTAN));
        // The Line of Control passes near Muzaffarabad (34.37° N, 73.47° E).
        let mut v = MapView::default();
        v.centered_on(74.0, 34.3, 8.0);
        let hits: Vec<usize> =
            (0..200).filter_map(|i| g.disputed_line_at(&v, 400.0 + i as f64 * 2.0, 400.0, 4.0)).collect();
        assert!(hits.iter().any(|&d| g.disputed[d].name.starts_with("Line of Control")), "{hits:?}");
    }

    #[test]
    fn zoom_and_pan_are_clamped() {
        let mut v = MapView::default();
        assert_eq!(v.zoom, 1.0);
        v.zoom_about(640.0, 400.0, 0.1);
        assert_eq!(v.zoom, v.min_zoom(), "cannot zoom out past the region");
        let vis = v.visible();
        assert!(vis.x0 >= OUTER.x0 - 1e-6 && vis.x1 <= OUTER.x1 + 1e-6);
        assert!(vis.y0 >= OUTER.y0 - 1e-6 && vis.y1 <= OUTER.y1 + 1e-6);
        assert!(vis.x0 <= REGION.x0 && vis.x1 >= REGION.x1 && vis.y0 <= REGION.y0 + 1e-6 && vis.y1 >= REGION.y1 - 1e-6);
        for _ in 0..50 {
            v.zoom_about(100.0, 100.0, 2.0);
        }
        assert!((v.scale() - MAX_SCALE).abs() < 1e-9, "cannot zoom in past city level");
        for _ in 0..50 {
            v.pan(1e5, -1e5);
        }
        assert!(REGION.contains(v.center.0, v.center.1));
        // Zooming about a point keeps it in place (away from the limits).
        let mut v = MapView::default();
        let (px, py) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        v.zoom_about(px, py, 3.0);
        let (qx, qy) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        assert!((px - qx).abs() < 1e-6 && (py - qy).abs() < 1e-6);
        // A very wide canvas may not zoom out to zoom 1 (it would leave OUTER).
        let w = MapView::new(3000.0, 500.0);
        assert!(w.min_zoom() > 1.0 && w.visible().x1 <= OUTER.x1 + 1e-6);
        // Pan moves content with the pointer.
        let mut v = MapView::default();
        v.zoom_about(640.0, 400.0, 4.0);
        let before = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        v.pan(10.0, -5.0);
        let after = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        assert!((after.0 - before.0 - 10.0).abs() < 1e-6 && (after.1 - before.1 + 5.0).abs() < 1e-6);
    }

    #[test]
    fn ensure_visible_brings_points_on_screen() {
        let mut v = MapView::default();
        v.centered_on(ISLAMABAD.0, ISLAMABAD.1, 16.0);
        let (x, y) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        assert!((x - 640.0).abs() < 1e-6 && (y - 400.0).abs() < 1e-6);
        let on = |v: &MapView, p: (f64, f64)| {
            let (x, y) = v.to_screen(p.0, p.1);
            x >= 20.0 - 1e-6 && x <= v.width - 20.0 + 1e-6 && y >= 20.0 - 1e-6 && y <= v.height - 20.0 + 1e-6
        };
        assert!(!on(&v, KARACHI));
        let zoom = v.zoom;
        assert!(v.ensure_visible(&[KARACHI], 20.0));
        assert!(on(&v, KARACHI));
        assert_eq!(v.zoom, zoom, "panned, not zoomed");
        assert!(!v.ensure_visible(&[KARACHI], 20.0), "already visible");
        // Points too far apart for this zoom: zooms out to fit them.
        assert!(v.ensure_visible(&[KARACHI, MOSCOW], 20.0));
        assert!(on(&v, KARACHI) && on(&v, MOSCOW));
        // fit shows a lone point.
        v.fit_geo(&[TASHKENT], 20.0);
        assert!(on(&v, TASHKENT));
    }

    #[test]
    fn place_index_finds_the_nearest_marker() {
        let v = MapView::default();
        let idx = PlaceIndex::new([(ISLAMABAD.0, ISLAMABAD.1, 6.0), (MOSCOW.0, MOSCOW.1, 10.0), (f64::NAN, 0.0, 5.0)]);
        assert_eq!(idx.len(), 2);
        let (px, py) = v.to_screen(MOSCOW.0, MOSCOW.1);
        assert_eq!(idx.hit(&v, px + 12.0, py, 4.0), Some(1));
        assert_eq!(idx.hit(&v, px + 20.0, py, 4.0), None);
        let (px, py) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
        assert_eq!(idx.hit(&v, px, py - 3.0, 4.0), Some(0));
    }

    #[test]
    fn labels_do_not_collide_and_focus_comes_first() {
        let g = GeoData::get();
        let v = MapView::default();
        let mut layout = LabelLayout::new(v.width, v.height);
        let labels = country_labels(g, &v, &mut layout);
        assert!(labels.len() >= 8, "{}", labels.len());
        assert_eq!(g.units[labels[0].unit].iso_n3, Some(PAKISTAN));
        assert_eq!(g.units[labels[1].unit].iso_n3, Some(RUSSIA));
        let rect = |l: &CountryLabel| {
            let w = text_width(&g.units[l.unit].name, l.size) / 2.0;
            Bounds { x0: l.x - w, y0: l.y - l.size * 0.6, x1: l.x + w, y1: l.y + l.size * 0.6 }
        };
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!rect(a).intersects(&rect(b)), "{} / {}", g.units[a.unit].name, g.units[b.unit].name);
            }
        }
        let pts = [(0, 100.0, 100.0, 5.0, "Karachi"), (1, 104.0, 100.0, 5.0, "Jamshoro"), (2, 600.0, 400.0, 5.0, "X")];
        let mut layout = LabelLayout::new(800.0, 600.0);
        let placed = point_labels(&pts, 11.0, &mut layout);
        assert_eq!(placed.len(), 3);
        assert_eq!(placed[0].side, Side::Right);
        assert_ne!(placed[1].side, Side::Right);
    }
}
