//! The map's slow, static layers: water, graticule, countries, borders and coasts, disputed
//! lines and areas (dashed, hatched), and the hovered unit.

use super::*;

/// Pieces of a dashed line along a pixel polyline (`dash` drawn, `gap` skipped), continuing
/// the pattern across vertices.
pub(crate) fn dashes(pts: &[(i32, i32)], dash: f64, gap: f64) -> Vec<Vec<(i32, i32)>> {
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
pub(crate) fn hatch(poly: &[(i32, i32)], gap: f64, clip: &Rect) -> Vec<[(i32, i32); 2]> {
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

/// The slow, static part of the map: water, graticule, countries, borders, disputed areas and
/// lines, and the outline of the hovered unit. It depends only on the view, the
/// theme and `hover_unit`, so the app caches it as a bitmap and redraws only
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
    let screen = Rect { x0: 0.0, y0: 0.0, x1: w as f64, y1: h as f64 };
    let mut buf: Vec<(i32, i32)> = Vec::with_capacity(4096);

    // Water.
    root.fill(&theme.water)?;

    // Graticule.
    if layers.graticule {
        let style = ShapeStyle { color: mix(theme.water, theme.grid, 0.6).to_rgba(), filled: false, stroke_width: 1 };
        for line in &geo.graticule {
            if Rect::of_points(line.iter().copied()).intersects(&vis) {
                to_pixels(line, &a, layers.detail_px, &mut buf);
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
            to_pixels(&r.xy, &a, layers.detail_px, &mut buf);
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
            to_pixels(&arc.xy, &a, layers.detail_px, &mut buf);
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
            to_pixels(&r.xy, &a, layers.detail_px, &mut buf);
            if buf.len() >= 3 {
                for seg in hatch(&buf, 5.0, &screen) {
                    root.draw(&PathElement::new(seg.to_vec(), hatch_style))?;
                }
            }
        }
    }
    let dash_style = ShapeStyle { color: disputed_color.to_rgba(), filled: false, stroke_width: 2 };
    for arc in geo.arcs.iter().filter(|arc| matches!(arc.kind, ArcKind::Disputed(_)) && arc.bounds.intersects(&vis)) {
        to_pixels(&arc.xy, &a, layers.detail_px, &mut buf);
        for piece in dashes(&buf, 5.0, 3.0) {
            root.draw(&PathElement::new(piece, dash_style))?;
        }
    }

    // Outline of the hovered unit.
    if let Some(i) = layers.hover_unit {
        if let Some(u) = geo.units.get(i) {
            let style = ShapeStyle { color: theme.highlight.mix(0.8), filled: false, stroke_width: 1 };
            for r in u.rings.iter().filter(|r| r.bounds.intersects(&vis)) {
                to_pixels(&r.xy, &a, layers.detail_px, &mut buf);
                if let Some(&first) = buf.first() {
                    buf.push(first);
                }
                root.draw(&PathElement::new(buf.clone(), style))?;
            }
        }
    }
    Ok(())
}
