//! The map's quick layers, drawn over the base: country and place names, student circles,
//! links and place markers, placed by the frame's [`crate::map::OverlayLayout`].

use super::*;

/// Points along a quadratic Bézier bowed to the left of the direction of travel (screen).
pub(super) fn link_curve(p0: (f64, f64), p2: (f64, f64)) -> Vec<(i32, i32)> {
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
    let lay = overlay_layout(geo, &view, layers);
    draw_overlay(root, geo, &view, layers, &lay, theme)
}

/// Draws the overlay as `lay` placed it.
pub fn draw_overlay<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    geo: &GeoData,
    view: &MapView,
    layers: &MapLayers,
    lay: &OverlayLayout,
    theme: &Theme,
) -> DrawResult<DB> {
    let (w, h) = (lay.width, lay.height);
    let disputed_color = disputed_color(theme);
    let dash_style = ShapeStyle { color: disputed_color.to_rgba(), filled: false, stroke_width: 2 };
    let name_of = |i: usize| layers.places[i].name.as_str();

    // Country names.
    let muted = mix(theme.muted_text, theme.land, 0.15);
    for l in &lay.country_labels {
        let color = if l.bold { theme.text } else { muted };
        let style = text_style(l.size, l.bold, &color, HPos::Center, VPos::Center);
        root.draw(&Text::new(geo.units[l.unit].name.as_str(), (l.x.round() as i32, l.y.round() as i32), style))?;
    }

    // Students.
    let student_color = theme.category_color(Category::Social);
    for s in &lay.students {
        let c = (s.x.round() as i32, s.y.round() as i32);
        let rr = s.r.round().max(1.0) as u32;
        root.draw(&Circle::new(c, rr, student_color.mix(0.28).filled()))?;
        root.draw(&Circle::new(c, rr, ShapeStyle { color: student_color.to_rgba(), filled: false, stroke_width: 1 }))?;
    }

    // Links.
    for l in &layers.links {
        let p0 = view.to_screen(l.from.0, l.from.1);
        let p2 = view.to_screen(l.to.0, l.to.1);
        root.draw(&PathElement::new(
            link_curve(p0, p2),
            ShapeStyle { color: theme.category_color(l.category).mix(0.9), filled: false, stroke_width: 2 },
        ))?;
    }

    // Place markers: faint ones first, highlighted ones on top.
    let marker_fill = theme.text;
    let halo = theme.background;
    for pass in 0..3 {
        for m in &lay.markers {
            let p = &layers.places[m.place];
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
            let c = (m.x.round() as i32, m.y.round() as i32);
            let rr = m.r.round().max(2.0) as u32;
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
    for l in &lay.point_labels {
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
    draw_legends(root, view, theme, lay.any_disputed, dash_style, student_color, lay.student_scale, lay.max_students)?;
    let att = text_style(ATTRIBUTION_SIZE, false, &theme.muted_text, HPos::Right, VPos::Bottom);
    root.draw(&Text::new(attribution(), (w as i32 - 6, h as i32 - 4), att))?;
    Ok(())
}
