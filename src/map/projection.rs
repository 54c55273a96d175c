//! The Lambert conformal conic projection centred on Pakistan, and the bounds every view keeps
//! within.

use crate::fmath::{atan, atan2, cos, ln, pos_powf, powf, sin_cos, tan};
use crate::geom::Rect;
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
pub const CORE_BOUNDS: Rect = Rect { x0: -3470.0, y0: -4200.0, x1: 5045.0, y1: 5820.0 };

/// Margin around the core countries in the widest view, in km.
pub const REGION_MARGIN_KM: f64 = 250.0;

/// The widest view: the core countries with a margin. At the minimum zoom a view shows all of
/// it (for canvas shapes between [`MAX_TALL`] and [`MAX_WIDE`]).
pub const REGION: Rect = CORE_BOUNDS.expand(REGION_MARGIN_KM);

/// The widest canvas (width / height) for which the whole [`REGION`] is shown at minimum zoom.
pub const MAX_WIDE: f64 = 1.8;
/// The tallest canvas (height / width) for which the whole [`REGION`] is shown at minimum zoom.
pub const MAX_TALL: f64 = 1.4;

/// Everything a view may ever show: [`REGION`] widened to the canvas shapes above. The border
/// file holds every polygon that reaches into it; a view never leaves it (on more extreme
/// canvases the minimum zoom rises instead).
pub const OUTER: Rect = {
    let (cx, cy) = ((REGION.x0 + REGION.x1) / 2.0, (REGION.y0 + REGION.y1) / 2.0);
    let (w, h) = (REGION.x1 - REGION.x0, REGION.y1 - REGION.y0);
    let ow = if h * MAX_WIDE > w { h * MAX_WIDE } else { w };
    let oh = if w * MAX_TALL > h { w * MAX_TALL } else { h };
    Rect { x0: cx - ow / 2.0, y0: cy - oh / 2.0, x1: cx + ow / 2.0, y1: cy + oh / 2.0 }
};

/// The closest zoom, as a scale in CSS pixels per plane kilometre: a city and its surroundings
/// (about 160 km across a 1280 px canvas). The geometry is simplified to about a kilometre near
/// Pakistan, so closer views would show nothing more.
pub const MAX_SCALE: f64 = 8.0;

/// The border file `data/geo/region.json` (made by `cargo xtask geodata`) in the binary form
/// `build.rs` encodes it to (see [`crate::geo_codec`]).
pub const GEO_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/region.bin"));

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
        let rf = EARTH_RADIUS_KM * cos(p1) * pos_powf(t(p1), n) / n;
        let rho0 = rf / pos_powf(t(ORIGIN_LATITUDE.to_radians()), n);
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
    let rho = l.rf / pos_powf(tan(std::f64::consts::FRAC_PI_4 + phi / 2.0), l.n);
    let (sin_t, cos_t) = sin_cos(l.n * (unwrap_lon(lon) - CENTRAL_MERIDIAN).to_radians());
    (rho * sin_t, l.rho0 - rho * cos_t)
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
    let rho = l.rf / pos_powf(tan(std::f64::consts::FRAC_PI_4 + phi / 2.0), l.n);
    l.n * rho / (EARTH_RADIUS_KM * cos(phi))
}

/// Plane bounds of geographic points.
pub fn geo_bounds<I: IntoIterator<Item = (f64, f64)>>(lonlat: I) -> Rect {
    Rect::of_points(lonlat.into_iter().map(|(lon, lat)| project(lon, lat)))
}
