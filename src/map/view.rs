//! The map's view for one frame: which plane kilometres a canvas of a given CSS size shows,
//! with pan, zoom and limits. Made from the app state's domain view ([`GeoView`]) and the
//! canvas size inside each frame's layout; pixels live only here.

use super::*;
use crate::geom::Rect;

/// The map view as the app state and the URL hold it: a geographic centre and a zoom, no
/// pixels. `None` in the state means the home view (every place of the data, see
/// [`home_view`]), which depends on the canvas's shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoView {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

impl GeoView {
    /// This view on a canvas of `width` × `height` CSS px (clamped to the map's limits there).
    pub fn on(self, width: f64, height: f64) -> MapView {
        let mut v = MapView::new(width, height);
        v.centered_on(self.lon, self.lat, self.zoom);
        v
    }
}

/// The home view on a canvas: every non-country place of the data, with room around.
pub fn home_view(atlas: &crate::data::Atlas, width: f64, height: f64) -> MapView {
    let mut v = MapView::new(width, height);
    let pts: Vec<(f64, f64)> =
        atlas.places.iter().filter(|p| p.kind != crate::data::PlaceKind::Country).map(|p| (p.lon, p.lat)).collect();
    v.fit_geo(&pts, 40.0);
    v
}

/// The map view of a frame: the state's view (or the home view) on a canvas of that size.
pub fn frame_view(atlas: &crate::data::Atlas, view: Option<GeoView>, width: f64, height: f64) -> MapView {
    match view {
        Some(g) => g.on(width, height),
        None => home_view(atlas, width, height),
    }
}

/// What part of the map a canvas of a given size shows, for one frame: the state keeps only
/// its [`GeoView`] ([`MapView::geo_view`]).
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
    pub fn apply_bounds(&self, b: &Rect) -> Rect {
        let (x0, y1) = self.apply(b.x0, b.y0);
        let (x1, y0) = self.apply(b.x1, b.y1);
        Rect { x0, y0, x1, y1 }
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
    pub fn visible(&self) -> Rect {
        let s = self.scale();
        let (hw, hh) = (self.width / 2.0 / s, self.height / 2.0 / s);
        Rect { x0: self.center.0 - hw, y0: self.center.1 - hh, x1: self.center.0 + hw, y1: self.center.1 + hh }
    }

    /// The geographic point at the canvas centre.
    pub fn center_geo(&self) -> (f64, f64) {
        unproject(self.center.0, self.center.1)
    }

    /// The domain part of this view, for the app state and the URL.
    pub fn geo_view(&self) -> GeoView {
        let (lon, lat) = self.center_geo();
        GeoView { lon, lat, zoom: self.zoom }
    }

    /// Centres the view on a geographic point at a zoom (both clamped): the point ends up at
    /// the centre whenever the limits allow it at that zoom.
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
    pub fn fit(&mut self, b: Rect, padding: f64) {
        if b.is_empty() {
            return;
        }
        // A lone point (or a tiny box) is shown with ~300 km around it.
        let b = Rect::of_points([
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
        self.fit(geo_bounds(lonlat.iter().copied()), padding);
    }

    /// Pans (and zooms out only if needed) so that all the geographic points lie at least
    /// `margin` pixels inside the canvas. Returns whether the view changed.
    pub fn ensure_visible(&mut self, lonlat: &[(f64, f64)], margin: f64) -> bool {
        let b = geo_bounds(lonlat.iter().copied());
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
