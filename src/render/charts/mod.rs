//! The figure charts: trade by year and Pakistani students by university.
//!
//! Both are drawn by functions generic over plotters' `DrawingBackend`, so the browser canvas,
//! the SVG export and the native tests share one implementation.

use super::Theme;
use crate::data::{Series, StudentRow};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::DrawResult;

/// Colours for series, distinguishable with colour-vision deficiencies (Okabe–Ito).
const SERIES_COLORS: [RGBColor; 5] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

pub fn series_color(i: usize, theme: &Theme) -> RGBColor {
    if i == 4 && !theme.dark {
        return RGBColor(0, 90, 140);
    }
    SERIES_COLORS[i % SERIES_COLORS.len()]
}

/// Thousands separators: 1000 → "1,000".
pub fn group_thousands(v: f64) -> String {
    let n = v.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The label written beside a point: "520", or "> 1,000" for a lower bound.
pub fn point_label(value: f64, lower_bound: bool) -> String {
    if lower_bound {
        format!("> {}", group_thousands(value))
    } else {
        group_thousands(value)
    }
}

/// Series that have a time position, i.e. those the trade chart can draw.
pub fn time_series<'a>(all: &'a [Series], unit: &str) -> Vec<&'a Series> {
    all.iter().filter(|s| s.unit == unit && s.points.iter().all(|p| p.at.is_some())).collect()
}

/// Draws trade values against years. Each series keeps its own colour and marker; points are
/// joined only within a series (figures counted on different bases are never joined). A lower
/// bound is drawn as an open upward triangle labelled "> value".
pub fn draw_trade_chart<B: DrawingBackend>(
    root: &DrawingArea<B, Shift>,
    series: &[&Series],
    theme: &Theme,
) -> DrawResult<B> {
    root.fill(&theme.background)?;
    let points = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, 0.0f64);
    for p in points {
        let at = p.at.unwrap_or_default();
        x0 = x0.min(at);
        x1 = x1.max(at);
        y1 = y1.max(p.value);
    }
    if x0 > x1 {
        (x0, x1) = (1995.0, 2025.0);
    }
    let x_range = ((x0 - 1.0).floor(), (x1 + 1.0).ceil());
    // Head-room above the highest point for its label.
    let y_range = (0.0, (y1 * 1.15).max(10.0));
    let (w, h) = root.dim_in_pixel();
    let narrow = w < 520;
    // The legend sits under the chart, one line per series, so it never covers data.
    let legend_h = LEGEND_LINE * series.len() as i32 + 6;
    let (plot_area, legend_area) = root.split_vertically((h as i32 - legend_h).max(80));
    let plot = PlotRect::new(&plot_area, narrow, x_range, y_range);
    draw_axes(&plot_area, &plot, narrow, theme)?;

    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let color = series_color(i, theme);
        let pts: Vec<(i32, i32)> =
            s.points.iter().filter(|p| !p.lower_bound).map(|p| plot.at(p.at.unwrap_or_default(), p.value)).collect();
        if pts.len() > 1 {
            plot_area.draw(&PathElement::new(pts, color.stroke_width(2)))?;
        }
        for p in &s.points {
            let (cx, cy) = plot.at(p.at.unwrap_or_default(), p.value);
            if p.lower_bound {
                plot_area
                    .draw(&Polygon::new(vec![(cx, cy - 8), (cx - 7, cy + 5), (cx + 7, cy + 5)], color.filled()))?;
            } else {
                plot_area.draw(&Circle::new((cx, cy), 4, color.filled()))?;
            }
            placed.push((cx - 7, cy - 8, cx + 7, cy + 6));
        }
    }
    let label_style = TextStyle::from((FontFamily::SansSerif, 12).into_font()).color(&theme.text);
    // Value labels: above the point, else below, else to the right, else to the left; the
    // first position that overlaps no marker and no other label (widths are estimated).
    for s in series {
        for p in &s.points {
            let label = point_label(p.value, p.lower_bound);
            let (cx, cy) = plot.at(p.at.unwrap_or_default(), p.value);
            let lw = (label.chars().count() as f64 * 6.6).ceil() as i32;
            let candidates = [(cx - lw / 2, cy - 23), (cx - lw / 2, cy + 9), (cx + 10, cy - 7), (cx - 10 - lw, cy - 7)];
            let free =
                |r: (i32, i32, i32, i32)| placed.iter().all(|q| r.2 <= q.0 || r.0 >= q.2 || r.3 <= q.1 || r.1 >= q.3);
            let pos = candidates.iter().map(|&(x, y)| (x, y, x + lw, y + 14)).find(|r| free(*r));
            let (x, y) = match pos {
                Some(r) => (r.0, r.1),
                None => candidates[0],
            };
            placed.push((x, y, x + lw, y + 14));
            root.draw(&Text::new(label, (x, y), label_style.clone()))?;
        }
    }

    // Legend under the chart: swatch in the series' marker shape, then title and basis, cut to
    // the width available.
    let legend = TextStyle::from((FontFamily::SansSerif, 12).into_font()).color(&theme.text);
    let max_chars = ((w as f64 - 40.0) / 6.6).max(10.0) as usize;
    for (i, s) in series.iter().enumerate() {
        let y = 4 + i as i32 * LEGEND_LINE + LEGEND_LINE / 2;
        let x = 14;
        let color = series_color(i, theme);
        if s.points.iter().all(|p| p.lower_bound) {
            legend_area.draw(&Polygon::new(vec![(x + 5, y - 6), (x - 1, y + 5), (x + 11, y + 5)], color.filled()))?;
        } else {
            legend_area.draw(&Circle::new((x + 5, y), 5, color.filled()))?;
        }
        let full = if narrow { s.title.clone() } else { format!("{} — {}", s.title, s.basis) };
        let text = if full.chars().count() > max_chars {
            let cut: String = full.chars().take(max_chars - 1).collect();
            format!("{}…", cut.trim_end())
        } else {
            full
        };
        legend_area.draw(&Text::new(text, (x + 18, y - 7), legend.clone()))?;
    }
    Ok(())
}

/// Height of one legend line under the trade chart, px.
const LEGEND_LINE: i32 = 18;

/// Where the trade chart's plot sits in its area, and its data → pixel mapping.
struct PlotRect {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
    x: (f64, f64),
    y: (f64, f64),
}

impl PlotRect {
    /// Margins of 12 px, and room for the tick labels and axis titles left and below.
    fn new<B: DrawingBackend>(area: &DrawingArea<B, Shift>, narrow: bool, x: (f64, f64), y: (f64, f64)) -> PlotRect {
        let (w, h) = area.dim_in_pixel();
        let left = 12 + if narrow { 52 } else { 64 };
        let right = (w as i32 - if narrow { 16 } else { 24 }).max(left + 1);
        let (top, bottom) = (12, (h as i32 - 52).max(13));
        PlotRect { left, right, top, bottom, x, y }
    }
    fn px(&self, x: f64) -> i32 {
        let t = (x - self.x.0) / (self.x.1 - self.x.0);
        (self.left as f64 + t * (self.right - self.left) as f64).round() as i32
    }
    fn py(&self, y: f64) -> i32 {
        let t = (y - self.y.0) / (self.y.1 - self.y.0);
        (self.bottom as f64 - t * (self.bottom - self.top) as f64).round() as i32
    }
    fn at(&self, x: f64, y: f64) -> (i32, i32) {
        (self.px(x), self.py(y))
    }
}

/// Round values from `lo` to `hi` (steps of 1, 2 or 5 × 10ⁿ), at most `max` of them.
pub fn nice_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) || max == 0 {
        return Vec::new();
    }
    let mag = crate::fmath::powf(10.0, crate::fmath::log10(span / max as f64).floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| span / s <= max as f64).unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    (0..=max).map(|i| first + i as f64 * step).take_while(|v| *v <= hi + step * 1e-9).collect()
}

/// Grid lines at round years and values, tick labels, the axes and their titles.
fn draw_axes<B: DrawingBackend>(
    area: &DrawingArea<B, Shift>,
    p: &PlotRect,
    narrow: bool,
    theme: &Theme,
) -> DrawResult<B> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let font = (FontFamily::SansSerif, 13).into_font();
    let text = |h, v| TextStyle::from(font.clone()).color(&theme.text).pos(Pos::new(h, v));
    for t in nice_ticks(p.x.0, p.x.1, if narrow { 5 } else { 10 }) {
        let x = p.px(t);
        area.draw(&PathElement::new(vec![(x, p.top), (x, p.bottom)], theme.grid))?;
        area.draw(&PathElement::new(vec![(x, p.bottom), (x, p.bottom + 5)], theme.axis))?;
        area.draw(&Text::new((t.round() as i64).to_string(), (x, p.bottom + 8), text(HPos::Center, VPos::Top)))?;
    }
    for t in nice_ticks(p.y.0, p.y.1, 6) {
        let y = p.py(t);
        area.draw(&PathElement::new(vec![(p.left, y), (p.right, y)], theme.grid))?;
        area.draw(&PathElement::new(vec![(p.left - 5, y), (p.left, y)], theme.axis))?;
        area.draw(&Text::new(group_thousands(t), (p.left - 8, y), text(HPos::Right, VPos::Center)))?;
    }
    area.draw(&PathElement::new(vec![(p.left, p.top), (p.left, p.bottom), (p.right, p.bottom)], theme.axis))?;
    area.draw(&Text::new("Year", ((p.left + p.right) / 2, p.bottom + 26), text(HPos::Center, VPos::Top)))?;
    let y_title = text(HPos::Center, VPos::Top).transform(FontTransform::Rotate270);
    area.draw(&Text::new("USD million", (2, (p.top + p.bottom) / 2), y_title))?;
    Ok(())
}

/// Draws Table 2 as horizontal bars, one per university in table order, labelled with the
/// source's own wording and the count.
pub fn draw_students_chart<B: DrawingBackend>(
    root: &DrawingArea<B, Shift>,
    rows: &[StudentRow],
    theme: &Theme,
) -> DrawResult<B> {
    root.fill(&theme.background)?;
    let (w, h) = root.dim_in_pixel();
    let narrow = w < 520;
    let max = rows.iter().map(|r| r.students).max().unwrap_or(1).max(1) as f64;
    let label_w = if narrow { 0 } else { (w as f64 * 0.42) as i32 };
    let top = 8;
    let bottom = 30;
    let n = rows.len().max(1) as i32;
    let band = ((h as i32 - top - bottom) / n).max(8);
    let bar_h = if narrow { band / 2 } else { (band as f64 * 0.62) as i32 };
    let x0 = label_w + 8;
    let x1 = w as i32 - 44;
    let text = TextStyle::from((FontFamily::SansSerif, 12).into_font()).color(&theme.text);
    let color = SERIES_COLORS[0];
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as i32 * band;
        let bar_y = if narrow { y + band - bar_h - 2 } else { y + (band - bar_h) / 2 };
        let len = ((x1 - x0) as f64 * r.students as f64 / max).round() as i32;
        root.draw(&Rectangle::new([(x0, bar_y), (x0 + len.max(1), bar_y + bar_h)], color.filled()))?;
        root.draw(&Text::new(r.students.to_string(), (x0 + len + 5, bar_y + bar_h / 2 - 7), text.clone()))?;
        let name = match &r.university {
            Some(u) if u != &r.university_as_written => format!("{} [{u}]", r.university_as_written),
            _ => r.university_as_written.clone(),
        };
        if narrow {
            root.draw(&Text::new(name, (x0, y + 1), text.clone()))?;
        } else {
            let max_chars = (label_w / 7).max(8) as usize;
            let shown = if name.chars().count() > max_chars {
                let cut: String = name.chars().take(max_chars - 1).collect();
                format!("{cut}…")
            } else {
                name
            };
            let right = TextStyle::from((FontFamily::SansSerif, 12).into_font()).color(&theme.text).pos(
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Right,
                    plotters::style::text_anchor::VPos::Center,
                ),
            );
            root.draw(&Text::new(shown, (label_w, bar_y + bar_h / 2), right))?;
        }
    }
    // Axis with the unit.
    let axis_y = h as i32 - bottom + 6;
    root.draw(&PathElement::new(vec![(x0, axis_y), (x1, axis_y)], theme.axis))?;
    let muted = TextStyle::from((FontFamily::SansSerif, 12).into_font()).color(&theme.muted_text);
    root.draw(&Text::new("0", (x0 - 3, axis_y + 4), muted.clone()))?;
    root.draw(&Text::new(format!("{}", max as u32), (x1 - 10, axis_y + 4), muted.clone()))?;
    root.draw(&Text::new("Pakistani students", ((x0 + x1) / 2 - 50, axis_y + 4), muted))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Citation, SeriesPoint};

    fn cite() -> Citation {
        Citation { source: "s".into(), locator: "§4.3".into(), cited_in: None }
    }

    fn series(id: &str, pts: &[(f64, f64, bool)]) -> Series {
        Series {
            id: id.into(),
            title: format!("Series {id}"),
            unit: "USD million".into(),
            basis: "calendar year".into(),
            note: None,
            points: pts
                .iter()
                .map(|&(at, value, lower_bound)| SeriesPoint {
                    label: format!("{}", at as i32),
                    at: Some(at),
                    value,
                    lower_bound,
                    source: cite(),
                    note: None,
                })
                .collect(),
        }
    }

    /// The text content of every `<text>` element of an SVG document.
    pub fn svg_texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let body = &t[t.find('>')? + 1..t.find("</text>")?];
                Some(body.trim().to_string())
            })
            .collect()
    }

    fn svg_of(f: impl FnOnce(&DrawingArea<SVGBackend, Shift>)) -> String {
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (800, 360)).into_drawing_area();
            f(&root);
            root.present().unwrap();
        }
        s
    }

    #[test]
    fn ticks_are_round_and_within_the_range() {
        assert_eq!(nice_ticks(1997.0, 2025.0, 10), vec![2000.0, 2005.0, 2010.0, 2015.0, 2020.0, 2025.0]);
        assert_eq!(nice_ticks(0.0, 1150.0, 6), vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
        assert_eq!(nice_ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert!(nice_ticks(5.0, 5.0, 5).is_empty());
        assert!(nice_ticks(0.0, f64::INFINITY, 5).is_empty());
        for max in 1..12 {
            assert!(nice_ticks(1947.3, 2026.9, max).len() <= max + 1);
        }
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(1000.0), "1,000");
        assert_eq!(group_thousands(520.0), "520");
        assert_eq!(group_thousands(1234567.0), "1,234,567");
        assert_eq!(point_label(1000.0, true), "> 1,000");
    }

    #[test]
    fn trade_chart_labels_every_point_and_the_units() {
        let a = series("a", &[(1998.5, 50.0, false), (2002.5, 100.0, false), (2006.5, 520.0, false)]);
        let b = series("b", &[(2023.5, 1000.0, true)]);
        let svg = svg_of(|root| draw_trade_chart(root, &[&a, &b], &Theme::light()).unwrap());
        let texts = svg_texts(&svg);
        for label in ["50", "100", "520", "&gt; 1,000", "USD million", "Year"] {
            assert!(texts.iter().any(|t| t == label), "missing {label} in {texts:?}");
        }
        assert!(texts.iter().any(|t| t.starts_with("Series a")));
        // Series a is joined by one polyline; the lone lower bound of b is not joined to it.
        let series_lines =
            svg.matches("<polyline fill=\"none\" opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"2\"").count();
        assert_eq!(series_lines, 1, "{svg}");
        assert!(!svg.contains("stroke=\"#D55E00\" stroke-width=\"2\""));
        // The lower bound is a triangle.
        assert!(svg.contains("<polygon"));
    }

    /// Regression: "920" (FY 2022-23) and "> 1,000" (2023) sat on top of each other.
    #[test]
    fn value_labels_of_nearby_points_do_not_overlap() {
        let a = series("a", &[(2023.0, 920.0, false)]);
        let b = series("b", &[(2023.5, 1000.0, true)]);
        let c = series("c", &[(1998.5, 50.0, false), (2002.5, 100.0, false), (2003.5, 78.0, false)]);
        let svg = svg_of(|root| draw_trade_chart(root, &[&c, &a, &b], &Theme::light()).unwrap());
        // (x, y, text) of each value label.
        let labels: Vec<(f64, f64, String)> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| {
                let attr = |name: &str| -> Option<f64> {
                    let i = t.find(&format!(" {name}=\""))? + name.len() + 3;
                    t[i..].split('"').next()?.parse().ok()
                };
                let body = t[t.find('>')? + 1..t.find("</text>")?].trim().to_string();
                if ["920", "&gt; 1,000", "50", "100", "78"].contains(&body.as_str()) {
                    Some((attr("x")?, attr("y")?, body))
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(labels.len(), 5, "{labels:?}");
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                let wa = a.2.replace("&gt;", ">").chars().count() as f64 * 6.6;
                let wb = b.2.replace("&gt;", ">").chars().count() as f64 * 6.6;
                let apart = a.0 + wa <= b.0 || b.0 + wb <= a.0 || (a.1 - b.1).abs() >= 14.0;
                assert!(apart, "labels overlap: {a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn students_chart_has_a_bar_and_label_per_row() {
        let rows: Vec<StudentRow> = (1..=3)
            .map(|i| StudentRow {
                id: format!("r{i}"),
                row: i,
                university_as_written: format!("Uni {i}"),
                university: None,
                place: "p".into(),
                city: "c".into(),
                students: 10 * i as u32,
                source: cite(),
            })
            .collect();
        let svg = svg_of(|root| draw_students_chart(root, &rows, &Theme::dark()).unwrap());
        let texts = svg_texts(&svg);
        for label in ["Uni 1", "Uni 3", "30", "Pakistani students"] {
            assert!(texts.iter().any(|t| t == label), "missing {label} in {texts:?}");
        }
        // Longest bar belongs to the largest count: bars are rects in the series colour.
        assert_eq!(svg.matches("fill=\"#0072B2\"").count(), 3, "{svg}");
    }
}
