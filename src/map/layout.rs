//! The map's layout for one frame: from the view (with the canvas size) and the layers, where
//! every marker, student circle and label goes on screen, what is culled, and the space kept
//! for the legends. Pure and tested natively; `render::map` only draws what this decided, and
//! hit-testing ([`super::PlaceIndex`]) works in plane coordinates, not on these pixels.

use super::*;
use crate::geom::Rect;
use crate::i18n::{t, Msg, Tr};
use crate::text::text_width;

/// The attribution written on the map (bottom right), in the active language.
pub fn attribution() -> &'static str {
    t(Msg::MapAttribution)
}
/// Font size of the attribution.
pub const ATTRIBUTION_SIZE: f64 = 10.0;
/// Font size of place names.
pub const PLACE_LABEL_SIZE: f64 = 11.0;
/// Font size of the legends' texts and the scale bar's.
pub const LEGEND_TEXT_SIZE: f64 = 10.0;
/// Width of the legend block at the bottom left: the least, wider where a language's texts
/// need it ([`legend_width`]).
pub const LEGEND_WIDTH: f64 = 190.0;

/// Width of the legend block (scale bar, disputed lines when shown, students when shown) with
/// the active language's texts.
pub fn legend_width(any_disputed: bool, students: bool) -> f64 {
    legend_width_in(crate::i18n::tr(), any_disputed, students)
}

/// [`legend_width`] with the texts of `tr`. The legends are drawn from `x = 10`: the scale
/// bar (at most 110 px) and its length, the dashes (28 px) and their name, the two circles
/// with their counts, and the students' name.
pub(crate) fn legend_width_in(tr: &Tr, any_disputed: bool, students: bool) -> f64 {
    let w = |s: &str| text_width(s, LEGEND_TEXT_SIZE);
    let mut need = 10.0 + 110.0 + 6.0 + w(&crate::i18n::fill(tr.get(Msg::MapKm), &[("n", "5000")]));
    if any_disputed {
        need = need.max(10.0 + 34.0 + w(tr.get(Msg::MapLegendDisputed)));
    }
    if students {
        need = need.max(10.0 + w(tr.get(Msg::MapLegendStudents)));
        need = need.max(10.0 + 2.0 * STUDENT_MAX_RADIUS + 11.0 + w(&tr.lang.number(1000)));
    }
    need.max(LEGEND_WIDTH)
}

/// A place marker on screen: the index into [`MapLayers::places`], its centre and radius (px).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarkerAt {
    pub place: usize,
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// A student circle on screen (largest first, so small ones are drawn on top).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StudentAt {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub count: u32,
}

/// Everything of the overlay that has a position, for one frame.
#[derive(Clone, Debug, PartialEq)]
pub struct OverlayLayout {
    pub width: f64,
    pub height: f64,
    /// Whether a disputed line is in view (the legend then explains the dashes).
    pub any_disputed: bool,
    /// Height of the legend block (scale bar, disputed lines, students).
    pub legend_height: f64,
    /// Markers that are at least partly on screen, in layer order.
    pub markers: Vec<MarkerAt>,
    pub students: Vec<StudentAt>,
    /// Pixels per √student ([`student_scale`]) and the largest count, for the legend.
    pub student_scale: f64,
    pub max_students: u32,
    pub country_labels: Vec<CountryLabel>,
    pub point_labels: Vec<PointLabel>,
}

/// Whether any disputed line is in `vis` (plane km).
pub fn disputed_in_view(geo: &GeoData, vis: &Rect) -> bool {
    geo.arcs.iter().any(|arc| matches!(arc.kind, ArcKind::Disputed(_)) && arc.bounds.intersects(vis))
}

/// Height of the legend block at the bottom left: scale bar, disputed lines, students.
pub fn legend_height(layers: &MapLayers, any_disputed: bool) -> f64 {
    let mut hgt = 34.0; // scale bar
    if any_disputed {
        hgt += 18.0;
    }
    if layers.students.iter().any(|s| s.count > 0) {
        hgt += 2.0 * STUDENT_MAX_RADIUS + 22.0;
    }
    hgt
}

/// Lays out the overlay of `layers` on `view` (whose size is the canvas's). Markers take their
/// space first; then labels by priority: Pakistan and Russia, the highlighted places, other
/// places, other countries. Nothing off screen is kept.
pub fn overlay_layout(geo: &GeoData, view: &MapView, layers: &MapLayers) -> OverlayLayout {
    let (w, h) = (view.width, view.height);
    let any_disputed = disputed_in_view(geo, &view.visible());
    let legend_h = legend_height(layers, any_disputed);
    let mut space = LabelLayout::new(w, h);
    let any_students = layers.students.iter().any(|s| s.count > 0);
    space.block(Rect { x0: 0.0, y0: h - legend_h, x1: legend_width(any_disputed, any_students), y1: h });
    space.block(Rect { x0: w - text_width(attribution(), ATTRIBUTION_SIZE) - 12.0, y0: h - 18.0, x1: w, y1: h });

    let on_screen = |x: f64, y: f64, r: f64| x + r >= 0.0 && y + r >= 0.0 && x - r <= w && y - r <= h;
    let markers: Vec<MarkerAt> = layers
        .places
        .iter()
        .enumerate()
        .map(|(place, p)| {
            let (x, y) = view.to_screen(p.lon, p.lat);
            MarkerAt { place, x, y, r: marker_radius(p.events) }
        })
        .filter(|m| on_screen(m.x, m.y, m.r))
        .collect();
    for m in &markers {
        space.block(Rect { x0: m.x - m.r, y0: m.y - m.r, x1: m.x + m.r, y1: m.y + m.r });
    }
    let focus_units: Vec<usize> = [PAKISTAN, RUSSIA].iter().filter_map(|&id| geo.unit_by_iso(id)).collect();
    let mut country_labels = Vec::new();
    if layers.country_names {
        country_labels.extend(country_labels_for(geo, view, &mut space, &focus_units));
    }
    let mut place_labels = Vec::new();
    for pass_highlighted in [true, false] {
        if !pass_highlighted && !layers.place_names {
            continue;
        }
        let pts: Vec<(usize, f64, f64, f64, &str)> = markers
            .iter()
            .filter(|m| layers.places[m.place].highlighted == pass_highlighted && !layers.places[m.place].dimmed)
            .map(|m| (m.place, m.x, m.y, m.r, layers.places[m.place].name.as_str()))
            .collect();
        place_labels.extend(point_labels(&pts, PLACE_LABEL_SIZE, &mut space));
    }
    if layers.country_names {
        let others: Vec<usize> = (0..geo.units.len()).filter(|i| !focus_units.contains(i)).collect();
        country_labels.extend(country_labels_for(geo, view, &mut space, &others));
    }

    let max_students = layers.students.iter().map(|s| s.count).max().unwrap_or(0);
    let sscale = student_scale(max_students);
    let mut students: Vec<StudentAt> = layers
        .students
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| {
            let (x, y) = view.to_screen(s.lon, s.lat);
            StudentAt { x, y, r: student_radius(s.count, sscale), count: s.count }
        })
        .filter(|s| on_screen(s.x, s.y, s.r))
        .collect();
    crate::order::sort_by_key(&mut students, |s| -(s.count as i64));

    OverlayLayout {
        width: w,
        height: h,
        any_disputed,
        legend_height: legend_h,
        markers,
        students,
        student_scale: sscale,
        max_students,
        country_labels,
        point_labels: place_labels,
    }
}
