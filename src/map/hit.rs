//! Which place marker is under the pointer, answered in plane coordinates.

use super::*;

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
