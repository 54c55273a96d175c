//! Label placement on the map: country names at their label points and place names beside
//! their markers, each only where it does not collide with what is already placed.

use super::*;
use crate::geom::Rect;
use crate::text::text_width;

/// Screen rectangles already taken by labels, markers and legends.
#[derive(Clone, Debug)]
pub struct LabelLayout {
    taken: Vec<Rect>,
    screen: Rect,
}

impl LabelLayout {
    pub fn new(width: f64, height: f64) -> LabelLayout {
        LabelLayout { taken: Vec::new(), screen: Rect { x0: 0.0, y0: 0.0, x1: width, y1: height } }
    }

    /// Reserves a rectangle (a marker, a legend) without checking.
    pub fn block(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// Whether the rectangle is on screen and free.
    pub fn is_free(&self, r: &Rect) -> bool {
        r.x0 >= self.screen.x0
            && r.y0 >= self.screen.y0
            && r.x1 <= self.screen.x1
            && r.y1 <= self.screen.y1
            && !self.taken.iter().any(|t| t.intersects(r))
    }

    /// Takes the rectangle if it is on screen and free.
    pub fn try_place(&mut self, r: Rect) -> bool {
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
        let inner = Rect { x0: w / 2.0 + 2.0, y0: size, x1: view.width - w / 2.0 - 2.0, y1: view.height - size };
        if !inner.contains(x, y) {
            // The usual spot is off screen: try a spot inside the visible part of the unit,
            // nearest the middle of that part.
            let part = Rect {
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
        let r = Rect { x0: x - w / 2.0 - 2.0, y0: y - size * 0.6, x1: x + w / 2.0 + 2.0, y1: y + size * 0.6 };
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
            (Side::Right, Rect { x0: x + gap, y0: y - h / 2.0, x1: x + gap + w, y1: y + h / 2.0 }, (x + gap, y)),
            (Side::Left, Rect { x0: x - gap - w, y0: y - h / 2.0, x1: x - gap, y1: y + h / 2.0 }, (x - gap, y)),
            (Side::Above, Rect { x0: x - w / 2.0, y0: y - gap - h, x1: x + w / 2.0, y1: y - gap }, (x, y - gap)),
            (Side::Below, Rect { x0: x - w / 2.0, y0: y + gap, x1: x + w / 2.0, y1: y + gap + h }, (x, y + gap)),
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
