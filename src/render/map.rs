//! The map view: countries, disputed lines, places, students and links, drawn with plotters.
//!
//! Geometry comes from [`crate::geo`], projected once when the border file is decoded; a frame
//! only maps plane kilometres to pixels with the view's scale and offset, skips whatever lies
//! off screen (by bounding box) and drops vertices that land on the pixel of the one before. No
//! text is measured: widths are estimated ([`geo::text_width`]).
//!
//! Layers, bottom to top: water, graticule, countries, borders and coasts, disputed lines and
//! areas (dashed, hatched), country names, student circles, links, place markers, place names,
//! legends (student sizes, disputed lines), scale bar, attribution.

use super::Theme;
use crate::data::Category;
use crate::geo::{self, Affine, ArcKind, Bounds, GeoData, LabelLayout, MapView, Side};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub type DrawResult<B> = Result<(), DrawingAreaErrorKind<<B as DrawingBackend>::ErrorType>>;

/// A place on the map with its events.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceMarker {
    /// The place's id (for the caller; not drawn).
    pub id: String,
    /// Drawn beside the marker when there is room (always tried first when highlighted).
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    /// Events at this place under the current filter; sets the marker size.
    pub events: u32,
    /// Part of the selected event or hovered: drawn on top with a ring.
    pub highlighted: bool,
    /// Filtered out or outside the selection: drawn faint.
    pub dimmed: bool,
}

/// Pakistani students in one city (or university): a circle whose area is proportional to the
/// count.
#[derive(Clone, Debug, PartialEq)]
pub struct StudentCircle {
    pub lon: f64,
    pub lat: f64,
    pub count: u32,
}

/// A curve between two places of the selected event (geographic endpoints).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub color: RGBColor,
}

/// What to draw on top of the countries.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLayers {
    pub places: Vec<PlaceMarker>,
    pub students: Vec<StudentCircle>,
    pub links: Vec<Link>,
    /// The unit under the pointer (index into [`GeoData::units`]): tinted and outlined.
    pub hover_unit: Option<usize>,
    /// A selected unit: outlined.
    pub selected_unit: Option<usize>,
    pub graticule: bool,
    pub country_names: bool,
    /// Names of places that are not highlighted (highlighted ones are always tried).
    pub place_names: bool,
}

impl Default for MapLayers {
    fn default() -> Self {
        MapLayers {
            places: Vec::new(),
            students: Vec::new(),
            links: Vec::new(),
            hover_unit: None,
            selected_unit: None,
            graticule: true,
            country_names: true,
            place_names: true,
        }
    }
}

impl MapLayers {
    /// The hit-testing index of these markers (rebuild it when `places` changes).
    pub fn place_index(&self) -> geo::PlaceIndex {
        geo::PlaceIndex::new(self.places.iter().map(|p| (p.lon, p.lat, marker_radius(p.events))))
    }
}

/// Marker radius in pixels for a number of events (area grows with the count, capped).
pub fn marker_radius(events: u32) -> f64 {
    (3.5 + 1.8 * (events as f64).sqrt()).min(14.0)
}

/// Largest student circle radius, px.
const STUDENT_MAX_RADIUS: f64 = 34.0;

/// Pixels per √student: fixed (1 px per √student) unless the largest circle would exceed
/// [`STUDENT_MAX_RADIUS`], so circles compare across filters.
pub fn student_scale(max_count: u32) -> f64 {
    let m = (max_count.max(1) as f64).sqrt();
    (STUDENT_MAX_RADIUS / m).min(1.0)
}

/// Student circle radius in pixels (area ∝ count).
pub fn student_radius(count: u32, scale: f64) -> f64 {
    (count as f64).sqrt() * scale
}

fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let f = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round().clamp(0.0, 255.0) as u8;
    RGBColor(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}

/// Plane polyline → pixels, dropping points within a pixel of the last one kept (the last
/// point is always kept, so lines still meet). Zoomed out, this drops most vertices.
fn to_pixels(xy: &[(f64, f64)], a: &Affine, out: &mut Vec<(i32, i32)>) {
    out.clear();
    out.reserve(xy.len());
    let n = xy.len();
    for (i, &(x, y)) in xy.iter().enumerate() {
        let (px, py) = a.apply(x, y);
        let p = (px.round() as i32, py.round() as i32);
        match out.last() {
            Some(&q) if (p.0 - q.0).abs() <= 1 && (p.1 - q.1).abs() <= 1 => {
                if i == n - 1 && p != q {
                    out.push(p);
                }
            }
            _ => out.push(p),
        }
    }
}

fn font(size: f64, bold: bool) -> FontDesc<'static> {
    if bold {
        (FontFamily::SansSerif, size, FontStyle::Bold).into_font()
    } else {
        (FontFamily::SansSerif, size).into_font()
    }
}

fn text_style(size: f64, bold: bool, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size, bold).color(color).pos(Pos::new(h, v))
}

/// Pieces of a dashed line along a pixel polyline (`dash` drawn, `gap` skipped), continuing
/// the pattern across vertices.
fn dashes(pts: &[(i32, i32)], dash: f64, gap: f64) -> Vec<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(i32, i32)> = Vec::new();
    let (mut on, mut left) = (true, dash);
    for w in pts.windows(2) {
        let (x0, y0) = (w[0].0 as f64, w[0].1 as f64);
        let (x1, y1) = (w[1].0 as f64, w[1].1 as f64);
        let len = (x1 - x0).hypot(y1 - y0);
        let mut t = 0.0;
        if on && cur.is_empty() {
            cur.push(w[0]);
        }
        while len - t > left {
            t += left;
            let p = ((x0 + (x1 - x0) * t / len).round() as i32, (y0 + (y1 - y0) * t / len).round() as i32);
            if on {
                cur.push(p);
                out.push(std::mem::take(&mut cur));
            } else {
                cur.push(p);
            }
            on = !on;
            left = if on { dash } else { gap };
        }
        left -= len - t;
        if on {
            cur.push(w[1]);
        }
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

/// Diagonal hatch segments (spacing `gap` px) inside a pixel polygon, limited to `clip`.
fn hatch(poly: &[(i32, i32)], gap: f64, clip: &Bounds) -> Vec<[(i32, i32); 2]> {
    // Lines of constant u = x − y; positions along them by v = x + y.
    let uv: Vec<(f64, f64)> = poly.iter().map(|&(x, y)| ((x - y) as f64, (x + y) as f64)).collect();
    let (umin, umax) = uv.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (cu0, cu1) = (clip.x0 - clip.y1, clip.x1 - clip.y0);
    let step = gap * std::f64::consts::SQRT_2;
    let mut c = ((umin.max(cu0)) / step).ceil() * step;
    let mut out = Vec::new();
    let mut vs: Vec<f64> = Vec::new();
    while c <= umax.min(cu1) {
        vs.clear();
        let n = uv.len();
        for i in 0..n {
            let (p, q) = (uv[i], uv[(i + 1) % n]);
            if (p.0 > c) != (q.0 > c) {
                vs.push(p.1 + (c - p.0) / (q.0 - p.0) * (q.1 - p.1));
            }
        }
        crate::order::sort_by_key(&mut vs, |&v| crate::order::f64_key(v));
        for pair in vs.chunks_exact(2) {
            let pt = |v: f64| (((c + v) / 2.0).round() as i32, ((v - c) / 2.0).round() as i32);
            out.push([pt(pair[0]), pt(pair[1])]);
        }
        c += step;
    }
    out
}

/// A nice round length (1, 2 or 5 × 10ⁿ) not above `x`.
fn nice_floor(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    let p = crate::fmath::powf(10.0, crate::fmath::log10(x).floor());
    [5.0, 2.0, 1.0].into_iter().map(|m| m * p).find(|&v| v <= x).unwrap_or(p)
}

/// Points along a quadratic Bézier bowed to the left of the direction of travel (screen).
fn link_curve(p0: (f64, f64), p2: (f64, f64)) -> Vec<(i32, i32)> {
    let (dx, dy) = (p2.0 - p0.0, p2.1 - p0.1);
    let len = dx.hypot(dy);
    // Bow "upwards" on screen whichever way the link runs, like a great circle in the north.
    let (mut nx, mut ny) = if len > 0.0 { (dy / len, -dx / len) } else { (0.0, 0.0) };
    if ny > 0.0 {
        (nx, ny) = (-nx, -ny);
    }
    let c = ((p0.0 + p2.0) / 2.0 + nx * len * 0.18, (p0.1 + p2.1) / 2.0 + ny * len * 0.18);
    let n = 24;
    (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let u = 1.0 - t;
            let x = u * u * p0.0 + 2.0 * u * t * c.0 + t * t * p2.0;
            let y = u * u * p0.1 + 2.0 * u * t * c.1 + t * t * p2.1;
            (x.round() as i32, y.round() as i32)
        })
        .collect()
}

/// The attribution written on the map.
pub const ATTRIBUTION: &str = "Map data: Natural Earth";

/// Draws the map: [`draw_map_base`] then [`draw_map_overlay`]. `view` should have the drawing
/// area's size (it is resized if not).
pub fn draw_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    geo: &GeoData,
    view: &MapView,
    layers: &MapLayers,
    theme: &Theme,
) -> DrawResult<DB> {
    draw_map_base(root, geo, view, layers, theme)?;
    draw_map_overlay(root, geo, view, layers, theme)
}

/// The slow, static part of the map: water, graticule, countries, borders, disputed areas and
/// lines, and the outlines of the hovered and selected units. It depends only on the view, the
/// theme and `hover_unit`/`selected_unit`, so the app caches it as a bitmap and redraws only
/// the overlay when places, links or the time range change (and shifts the bitmap while a pan
/// is in progress).
pub fn draw_map_base<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    geo: &GeoData,
    view: &MapView,
    layers: &MapLayers,
    theme: &Theme,
) -> DrawResult<DB> {
    let (w, h) = root.dim_in_pixel();
    let view = sized(view, w, h);
    let a = view.affine();
    let vis = view.visible();
    let screen = Bounds { x0: 0.0, y0: 0.0, x1: w as f64, y1: h as f64 };
    let mut buf: Vec<(i32, i32)> = Vec::with_capacity(4096);

    // Water.
    root.fill(&theme.water)?;

    // Graticule.
    if layers.graticule {
        let style = ShapeStyle { color: mix(theme.water, theme.grid, 0.6).to_rgba(), filled: false, stroke_width: 1 };
        for line in &geo.graticule {
            if Bounds::of_points(line.iter().copied()).intersects(&vis) {
                to_pixels(line, &a, &mut buf);
                root.draw(&PathElement::new(buf.clone(), style))?;
            }
        }
    }

    // Countries.
    let emphasis = |i: usize| layers.hover_unit == Some(i);
    for (i, u) in geo.units.iter().enumerate() {
        if !u.bounds.intersects(&vis) {
            continue;
        }
        let base = if u.is_focus() { theme.land_focus } else { theme.land };
        let fill = if emphasis(i) { mix(base, theme.highlight, 0.10) } else { base };
        for r in u.rings.iter().filter(|r| !r.hole && r.bounds.intersects(&vis)) {
            to_pixels(&r.xy, &a, &mut buf);
            if buf.len() >= 3 {
                root.draw(&Polygon::new(buf.clone(), fill.filled()))?;
            }
        }
    }

    // Borders and coasts (each shared border once).
    let coast = ShapeStyle { color: mix(theme.border, theme.water, 0.45).to_rgba(), filled: false, stroke_width: 1 };
    let border = ShapeStyle { color: theme.border.to_rgba(), filled: false, stroke_width: 1 };
    for arc in &geo.arcs {
        let style = match arc.kind {
            ArcKind::Coast => coast,
            ArcKind::Border => border,
            ArcKind::Disputed(_) | ArcKind::Hidden => continue,
        };
        if arc.bounds.intersects(&vis) {
            to_pixels(&arc.xy, &a, &mut buf);
            if buf.len() >= 2 {
                root.draw(&PathElement::new(buf.clone(), style))?;
            }
        }
    }

    // Disputed areas (hatched) and lines (dashed).
    let disputed_color = disputed_color(theme);
    let hatch_style = ShapeStyle { color: disputed_color.mix(0.55), filled: false, stroke_width: 1 };
    for u in geo.units.iter().filter(|u| u.disputed && u.bounds.intersects(&vis)) {
        for r in u.rings.iter().filter(|r| !r.hole && r.bounds.intersects(&vis)) {
            to_pixels(&r.xy, &a, &mut buf);
            if buf.len() >= 3 {
                for seg in hatch(&buf, 5.0, &screen) {
                    root.draw(&PathElement::new(seg.to_vec(), hatch_style))?;
                }
            }
        }
    }
    let dash_style = ShapeStyle { color: disputed_color.to_rgba(), filled: false, stroke_width: 2 };
    for arc in geo.arcs.iter().filter(|arc| matches!(arc.kind, ArcKind::Disputed(_)) && arc.bounds.intersects(&vis)) {
        to_pixels(&arc.xy, &a, &mut buf);
        for piece in dashes(&buf, 5.0, 3.0) {
            root.draw(&PathElement::new(piece, dash_style))?;
        }
    }

    // Outlines of the hovered and selected units.
    for (i, width) in
        [(layers.selected_unit, 2), (layers.hover_unit, 1)].into_iter().filter_map(|(i, w)| i.map(|i| (i, w)))
    {
        if let Some(u) = geo.units.get(i) {
            let style = ShapeStyle { color: theme.highlight.mix(0.8), filled: false, stroke_width: width };
            for r in u.rings.iter().filter(|r| r.bounds.intersects(&vis)) {
                to_pixels(&r.xy, &a, &mut buf);
                if let Some(&first) = buf.first() {
                    buf.push(first);
                }
                root.draw(&PathElement::new(buf.clone(), style))?;
            }
        }
    }
    Ok(())
}

/// The view on a drawing area of `w` × `h` pixels (unchanged when it already has that size).
fn sized(view: &MapView, w: u32, h: u32) -> MapView {
    if (view.width, view.height) == (w as f64, h as f64) {
        *view
    } else {
        view.with_size(w as f64, h as f64)
    }
}

/// The colour of disputed areas and lines, on the map and in its legend.
fn disputed_color(theme: &Theme) -> RGBColor {
    mix(theme.muted_text, theme.text, if theme.dark { 0.3 } else { 0.4 })
}

/// Whether any disputed line is in view (the legend then explains the dashes).
fn disputed_in_view(geo: &GeoData, vis: &Bounds) -> bool {
    geo.arcs.iter().any(|arc| matches!(arc.kind, ArcKind::Disputed(_)) && arc.bounds.intersects(vis))
}

/// The quick part of the map: labels, student circles, links, place markers, legends, scale
/// bar and attribution, drawn over [`draw_map_base`].
pub fn draw_map_overlay<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    geo: &GeoData,
    view: &MapView,
    layers: &MapLayers,
    theme: &Theme,
) -> DrawResult<DB> {
    let (w, h) = root.dim_in_pixel();
    let view = sized(view, w, h);
    let any_disputed = disputed_in_view(geo, &view.visible());
    let disputed_color = disputed_color(theme);
    let dash_style = ShapeStyle { color: disputed_color.to_rgba(), filled: false, stroke_width: 2 };

    // Where the legends go: reserved before any label is placed.
    let mut layout = LabelLayout::new(w as f64, h as f64);
    let legend_h = legend_height(layers, any_disputed);
    layout.block(Bounds { x0: 0.0, y0: h as f64 - legend_h, x1: 190.0, y1: h as f64 });
    layout.block(Bounds {
        x0: w as f64 - geo::text_width(ATTRIBUTION, 10.0) - 12.0,
        y0: h as f64 - 18.0,
        x1: w as f64,
        y1: h as f64,
    });

    // Markers take their space first; then labels by priority: Pakistan and Russia, the
    // highlighted places, other places, other countries.
    let markers: Vec<(usize, f64, f64, f64)> = layers
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = view.to_screen(p.lon, p.lat);
            (i, x, y, marker_radius(p.events))
        })
        .filter(|&(_, x, y, r)| x + r >= 0.0 && y + r >= 0.0 && x - r <= w as f64 && y - r <= h as f64)
        .collect();
    for &(_, x, y, r) in &markers {
        layout.block(Bounds { x0: x - r, y0: y - r, x1: x + r, y1: y + r });
    }
    let focus_units: Vec<usize> = [geo::PAKISTAN, geo::RUSSIA].iter().filter_map(|&id| geo.unit_by_iso(id)).collect();
    let mut country_labels = Vec::new();
    if layers.country_names {
        country_labels.extend(geo::country_labels_for(geo, &view, &mut layout, &focus_units));
    }
    let name_of = |i: usize| layers.places[i].name.as_str();
    let mut point_labels = Vec::new();
    for pass_highlighted in [true, false] {
        if !pass_highlighted && !layers.place_names {
            continue;
        }
        let pts: Vec<(usize, f64, f64, f64, &str)> = markers
            .iter()
            .filter(|m| layers.places[m.0].highlighted == pass_highlighted && !layers.places[m.0].dimmed)
            .map(|&(i, x, y, r)| (i, x, y, r, name_of(i)))
            .collect();
        point_labels.extend(geo::point_labels(&pts, PLACE_LABEL_SIZE, &mut layout));
    }
    if layers.country_names {
        let others: Vec<usize> = (0..geo.units.len()).filter(|i| !focus_units.contains(i)).collect();
        country_labels.extend(geo::country_labels_for(geo, &view, &mut layout, &others));
    }

    // Country names.
    let muted = mix(theme.muted_text, theme.land, 0.15);
    for l in &country_labels {
        let color = if l.bold { theme.text } else { muted };
        let style = text_style(l.size, l.bold, &color, HPos::Center, VPos::Center);
        root.draw(&Text::new(geo.units[l.unit].name.as_str(), (l.x.round() as i32, l.y.round() as i32), style))?;
    }

    // Students.
    let student_color = theme.category_color(Category::Social);
    let max_students = layers.students.iter().map(|s| s.count).max().unwrap_or(0);
    let sscale = student_scale(max_students);
    let mut students: Vec<&StudentCircle> = layers.students.iter().filter(|s| s.count > 0).collect();
    crate::order::sort_by_key(&mut students, |s| -(s.count as i64));
    for s in &students {
        let (x, y) = view.to_screen(s.lon, s.lat);
        let r = student_radius(s.count, sscale);
        if x + r < 0.0 || y + r < 0.0 || x - r > w as f64 || y - r > h as f64 {
            continue;
        }
        let c = (x.round() as i32, y.round() as i32);
        let rr = r.round().max(1.0) as u32;
        root.draw(&Circle::new(c, rr, student_color.mix(0.28).filled()))?;
        root.draw(&Circle::new(c, rr, ShapeStyle { color: student_color.to_rgba(), filled: false, stroke_width: 1 }))?;
    }

    // Links.
    for l in &layers.links {
        let p0 = view.to_screen(l.from.0, l.from.1);
        let p2 = view.to_screen(l.to.0, l.to.1);
        root.draw(&PathElement::new(
            link_curve(p0, p2),
            ShapeStyle { color: l.color.mix(0.9), filled: false, stroke_width: 2 },
        ))?;
    }

    // Place markers: faint ones first, highlighted ones on top.
    let marker_fill = theme.text;
    let halo = theme.background;
    for pass in 0..3 {
        for &(i, x, y, r) in &markers {
            let p = &layers.places[i];
            let rank = if p.highlighted {
                2
            } else if p.dimmed {
                0
            } else {
                1
            };
            if rank != pass {
                continue;
            }
            let c = (x.round() as i32, y.round() as i32);
            let rr = r.round().max(2.0) as u32;
            let alpha = if p.dimmed { 0.25 } else { 0.8 };
            root.draw(&Circle::new(c, rr, marker_fill.mix(alpha).filled()))?;
            root.draw(&Circle::new(c, rr, ShapeStyle { color: halo.mix(alpha), filled: false, stroke_width: 1 }))?;
            if p.highlighted {
                root.draw(&Circle::new(
                    c,
                    rr + 3,
                    ShapeStyle { color: theme.highlight.to_rgba(), filled: false, stroke_width: 2 },
                ))?;
            }
        }
    }

    // Place names.
    for l in &point_labels {
        let (h, v) = match l.side {
            Side::Right => (HPos::Left, VPos::Center),
            Side::Left => (HPos::Right, VPos::Center),
            Side::Above => (HPos::Center, VPos::Bottom),
            Side::Below => (HPos::Center, VPos::Top),
        };
        let bold = layers.places[l.index].highlighted;
        let style = text_style(PLACE_LABEL_SIZE, bold, &theme.text, h, v);
        root.draw(&Text::new(name_of(l.index), (l.x.round() as i32, l.y.round() as i32), style))?;
    }

    // Legends, scale bar, attribution.
    draw_legends(root, &view, theme, any_disputed, dash_style, student_color, sscale, max_students)?;
    let att = text_style(10.0, false, &theme.muted_text, HPos::Right, VPos::Bottom);
    root.draw(&Text::new(ATTRIBUTION, (w as i32 - 6, h as i32 - 4), att))?;
    Ok(())
}

/// Font size of place names.
pub const PLACE_LABEL_SIZE: f64 = 11.0;

fn legend_height(layers: &MapLayers, any_disputed: bool) -> f64 {
    let mut hgt = 34.0; // scale bar
    if any_disputed {
        hgt += 18.0;
    }
    if layers.students.iter().any(|s| s.count > 0) {
        hgt += 2.0 * STUDENT_MAX_RADIUS + 22.0;
    }
    hgt
}

#[allow(clippy::too_many_arguments)]
fn draw_legends<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &MapView,
    theme: &Theme,
    any_disputed: bool,
    dash_style: ShapeStyle,
    student_color: RGBColor,
    sscale: f64,
    max_students: u32,
) -> DrawResult<DB> {
    let h = view.height;
    let small = |h: HPos, v: VPos| text_style(10.0, false, &theme.muted_text, h, v);
    let x0 = 10.0;

    // Scale bar (true distance at the centre of the view).
    let kpp = view.km_per_px();
    let km = nice_floor(110.0 * kpp);
    if km > 0.0 {
        let len = (km / kpp).round() as i32;
        let y = (h - 14.0) as i32;
        let x = x0 as i32;
        let style = ShapeStyle { color: theme.text.mix(0.8), filled: false, stroke_width: 1 };
        root.draw(&PathElement::new(vec![(x, y - 4), (x, y), (x + len, y), (x + len, y - 4)], style))?;
        let label = if km >= 1.0 { format!("{} km", km as u64) } else { format!("{km} km") };
        root.draw(&Text::new(label, (x + len + 6, y), small(HPos::Left, VPos::Center)))?;
    }
    let mut top = h - 34.0;

    if any_disputed {
        let y = (top - 6.0) as i32;
        let x = x0 as i32;
        for piece in dashes(&[(x, y), (x + 28, y)], 5.0, 3.0) {
            root.draw(&PathElement::new(piece, dash_style))?;
        }
        root.draw(&Text::new("Disputed or de facto line", (x + 34, y), small(HPos::Left, VPos::Center)))?;
        top -= 18.0;
    }

    if max_students > 0 {
        // Two nested circles: a round number near the largest count, and a fifth of it.
        let big = nice_floor(max_students as f64).max(1.0) as u32;
        let small_v = nice_floor(big as f64 / 5.0).max(1.0) as u32;
        let cx = x0 + STUDENT_MAX_RADIUS;
        let base = top - 16.0;
        for v in [big, small_v] {
            let r = student_radius(v, sscale);
            let c = (cx.round() as i32, (base - r).round() as i32);
            root.draw(&Circle::new(
                c,
                r.round().max(1.0) as u32,
                ShapeStyle { color: student_color.to_rgba(), filled: false, stroke_width: 1 },
            ))?;
            let ty = (base - 2.0 * r).round() as i32;
            root.draw(&PathElement::new(
                vec![(cx.round() as i32, ty), ((cx + STUDENT_MAX_RADIUS + 8.0) as i32, ty)],
                ShapeStyle { color: theme.muted_text.mix(0.6), filled: false, stroke_width: 1 },
            ))?;
            root.draw(&Text::new(
                crate::render::charts::group_thousands(v as f64),
                ((cx + STUDENT_MAX_RADIUS + 11.0) as i32, ty),
                small(HPos::Left, VPos::Center),
            ))?;
        }
        root.draw(&Text::new("Pakistani students", (x0 as i32, (base + 3.0) as i32), small(HPos::Left, VPos::Top)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::backend::SVGBackend;

    fn svg_of(view: &MapView, layers: &MapLayers, theme: &Theme) -> String {
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (view.width as u32, view.height as u32)).into_drawing_area();
            draw_map(&root, GeoData::get(), view, layers, theme).unwrap();
            root.present().unwrap();
        }
        s
    }

    fn place(id: &str, lon: f64, lat: f64, events: u32) -> PlaceMarker {
        PlaceMarker { id: id.into(), name: id.into(), lon, lat, events, highlighted: false, dimmed: false }
    }

    fn sample_layers() -> MapLayers {
        let mut places = vec![
            place("Islamabad", 73.05, 33.68, 12),
            place("Karachi", 67.00, 24.86, 6),
            place("Moscow", 37.62, 55.76, 20),
            place("Tashkent", 69.24, 41.30, 1),
        ];
        places[2].highlighted = true;
        places[3].dimmed = true;
        MapLayers {
            places,
            students: vec![
                StudentCircle { lon: 37.62, lat: 55.76, count: 520 },
                StudentCircle { lon: 39.2, lat: 51.67, count: 90 },
            ],
            links: vec![Link { from: (73.05, 33.68), to: (37.62, 55.76), color: RGBColor(0, 114, 178) }],
            ..MapLayers::default()
        }
    }

    /// Numbers of the `points` attribute of every `<polygon>`.
    fn polygons(svg: &str) -> Vec<Vec<(f64, f64)>> {
        svg.split("<polygon")
            .skip(1)
            .filter_map(|s| {
                let p = s.split("points=\"").nth(1)?.split('"').next()?;
                Some(
                    p.split_whitespace()
                        .filter_map(|xy| {
                            let (x, y) = xy.split_once(',')?;
                            Some((x.parse().ok()?, y.parse().ok()?))
                        })
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn layers_are_drawn_in_order() {
        let theme = Theme::light();
        let svg = svg_of(&MapView::default(), &sample_layers(), &theme);
        let water = svg.find(&Theme::css(theme.water).to_uppercase()).expect("water");
        let land = svg.find("<polygon").expect("countries");
        let focus =
            svg.find(&format!("fill=\"{}\"", Theme::css(theme.land_focus).to_uppercase())).expect("Pakistan/Russia");
        let marker = svg.find("<circle").expect("markers");
        let attribution = svg.find(ATTRIBUTION).expect("attribution");
        assert!(water < land && land < marker && marker < attribution, "{water} {land} {marker} {attribution}");
        assert!(land <= focus && focus < marker);
        // Country and place names, the legend and the scale bar are there.
        for t in [
            "\nPakistan\n",
            "\nRussia\n",
            "\nMoscow\n",
            "\nPakistani students\n",
            "\nDisputed or de facto line\n",
            " km\n",
        ] {
            assert!(svg.contains(t), "missing {t}");
        }
        // Dimmed places are not named.
        assert!(!svg.contains("\nTashkent\n"));
    }

    #[test]
    fn no_ring_jumps_across_the_map() {
        // The antimeridian check: with Chukotka unwrapped, no edge spans half the map.
        let view = MapView::default();
        let svg = svg_of(&view, &MapLayers::default(), &Theme::dark());
        let polys = polygons(&svg);
        assert!(polys.len() > 50, "{}", polys.len());
        for p in &polys {
            for w in p.windows(2) {
                let d = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
                assert!(d < view.width / 2.0, "edge of {d} px: {:?}", w);
            }
        }
    }

    #[test]
    fn zoomed_views_cull_and_still_draw() {
        let mut view = MapView::default();
        view.centered_on(76.0, 34.5, 12.0);
        let svg = svg_of(&view, &sample_layers(), &Theme::light());
        let all = svg_of(&MapView::default(), &sample_layers(), &Theme::light());
        assert!(svg.matches("<polygon").count() < all.matches("<polygon").count());
        assert!(svg.contains("\nPakistan\n"));
        // Siachen is hatched at this zoom: short diagonal lines exist.
        assert!(svg.matches("<polyline").count() > 20);
    }

    #[test]
    #[ignore]
    fn write_preview_svgs() {
        // `cargo test --lib write_preview_svgs -- --ignored` writes previews to target/.
        let mut v = MapView::default();
        std::fs::write("target/map-default.svg", svg_of(&v, &sample_layers(), &Theme::light())).unwrap();
        v.centered_on(73.05, 33.68, 5.0);
        std::fs::write("target/map-pakistan.svg", svg_of(&v, &sample_layers(), &Theme::dark())).unwrap();
        v.centered_on(76.5, 34.5, 14.0);
        std::fs::write("target/map-kashmir.svg", svg_of(&v, &sample_layers(), &Theme::light())).unwrap();
        v.centered_on(34.5, 45.5, 14.0);
        std::fs::write("target/map-crimea.svg", svg_of(&v, &sample_layers(), &Theme::light())).unwrap();
    }

    #[test]
    fn dashes_and_hatches() {
        let d = dashes(&[(0, 0), (20, 0)], 5.0, 3.0);
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(d[0], vec![(0, 0), (5, 0)]);
        assert_eq!(d[1], vec![(8, 0), (13, 0)]);
        let sq = [(0, 0), (20, 0), (20, 20), (0, 20)];
        let h = hatch(&sq, 5.0, &Bounds { x0: 0.0, y0: 0.0, x1: 100.0, y1: 100.0 });
        assert!(h.len() >= 4, "{h:?}");
        for [p, q] in h {
            for (x, y) in [p, q] {
                assert!((-1..=21).contains(&x) && (-1..=21).contains(&y));
            }
        }
        assert_eq!(nice_floor(730.0), 500.0);
        assert_eq!(nice_floor(0.3), 0.2);
    }

    #[test]
    fn marker_and_student_sizes() {
        assert!(marker_radius(1) < marker_radius(10));
        assert!(marker_radius(10_000) <= 14.0);
        let s = student_scale(520);
        // Area ∝ count.
        let (a, b) = (student_radius(100, s), student_radius(400, s));
        assert!((b / a - 2.0).abs() < 1e-9);
        assert!(student_radius(520, s) <= STUDENT_MAX_RADIUS + 1e-9);
        let idx = sample_layers().place_index();
        let v = MapView::default();
        let (x, y) = v.to_screen(37.62, 55.76);
        assert_eq!(idx.hit(&v, x + 3.0, y, 3.0), Some(2));
    }

    #[test]
    fn cpu_time_per_frame_is_small() {
        // Native time for the drawing code plus SVG text building: a guard against accidental
        // quadratic work, not a browser benchmark.
        let layers = sample_layers();
        let view = MapView::default();
        let theme = Theme::light();
        let n = 5;
        let t = std::time::Instant::now();
        let mut len = 0;
        for _ in 0..n {
            len += svg_of(&view, &layers, &theme).len();
        }
        let per = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
        eprintln!("draw_map to SVG: {per:.2} ms per frame, {} bytes", len / n);
        assert!(per < 1000.0, "{per} ms");
    }
}
