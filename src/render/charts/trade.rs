//! The trade chart: trade values against years, one colour and marker per series.

use super::axes::{draw_axes, point_label, series_color, PlotRect};
use crate::data::Series;
use crate::render::{DrawResult, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Series in `unit` that have a time position, i.e. those the trade chart can draw. A
/// translation leaves units as the data writes them (see `catalogue::apply`).
pub fn time_series<'a>(all: &'a [Series], unit: &str) -> Vec<&'a Series> {
    all.iter().filter(|s| s.unit == unit && s.points.iter().all(|p| p.at.is_some())).collect()
}

/// Draws trade values against years. Each series keeps its own colour and marker; points are
/// joined only within a series (figures counted on different bases are never joined). A lower
/// bound is drawn as an open upward triangle labelled "> value".
///
/// `highlight` names series to stand out (a story step's): when it is not empty, the others
/// are drawn faded towards the background and the named ones with a thicker line.
pub fn draw_trade_chart<B: DrawingBackend>(
    root: &DrawingArea<B, Shift>,
    series: &[&Series],
    highlight: &[String],
    theme: &Theme,
) -> DrawResult<B> {
    let faded = |s: &Series| !highlight.is_empty() && !highlight.contains(&s.id);
    let color_of = |i: usize, s: &Series| {
        let c = series_color(i, theme);
        if faded(s) {
            crate::render::theme::mix(c, theme.background, 0.75)
        } else {
            c
        }
    };
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
        let color = color_of(i, s);
        let stroke = if highlight.contains(&s.id) { 4 } else { 2 };
        let pts: Vec<(i32, i32)> =
            s.points.iter().filter(|p| !p.lower_bound).map(|p| plot.at(p.at.unwrap_or_default(), p.value)).collect();
        if pts.len() > 1 {
            plot_area.draw(&PathElement::new(pts, color.stroke_width(stroke)))?;
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
    let faded_style = label_style.clone().color(&theme.muted_text);
    // Value labels: above the point, else below, else to the right, else to the left; the
    // first position that overlaps no marker and no other label (widths are estimated).
    for s in series {
        for p in &s.points {
            let label = point_label(p.value, p.lower_bound);
            let (cx, cy) = plot.at(p.at.unwrap_or_default(), p.value);
            let lw = crate::text::text_width(&label, 12.0).ceil() as i32;
            let candidates = [(cx - lw / 2, cy - 23), (cx - lw / 2, cy + 9), (cx + 10, cy - 7), (cx - 10 - lw, cy - 7)];
            let free =
                |r: (i32, i32, i32, i32)| placed.iter().all(|q| r.2 <= q.0 || r.0 >= q.2 || r.3 <= q.1 || r.1 >= q.3);
            let pos = candidates.iter().map(|&(x, y)| (x, y, x + lw, y + 14)).find(|r| free(*r));
            let (x, y) = match pos {
                Some(r) => (r.0, r.1),
                None => candidates[0],
            };
            placed.push((x, y, x + lw, y + 14));
            let style = if faded(s) { &faded_style } else { &label_style };
            root.draw(&Text::new(label, (x, y), style.clone()))?;
        }
    }

    // Legend under the chart: swatch in the series' marker shape, then title and basis, cut to
    // the width available. A right-to-left language reads it from the right: the swatch is on
    // the right, the text to its left (the plot itself keeps time running left to right).
    let rtl = crate::i18n::tr().lang.dir() == "rtl";
    let mx = |x: i32| if rtl { w as i32 - x } else { x };
    let h_pos = if rtl { HPos::Right } else { HPos::Left };
    let legend =
        TextStyle::from((FontFamily::SansSerif, 12).into_font()).color(&theme.text).pos(Pos::new(h_pos, VPos::Top));
    let max_chars = crate::text::chars_in(w as f64 - 40.0, 12.0).max(10);
    for (i, s) in series.iter().enumerate() {
        let y = 4 + i as i32 * LEGEND_LINE + LEGEND_LINE / 2;
        let x = 14;
        let color = color_of(i, s);
        if s.points.iter().all(|p| p.lower_bound) {
            let tri = vec![(mx(x + 5), y - 6), (mx(x - 1), y + 5), (mx(x + 11), y + 5)];
            legend_area.draw(&Polygon::new(tri, color.filled()))?;
        } else {
            legend_area.draw(&Circle::new((mx(x + 5), y), 5, color.filled()))?;
        }
        let full = if narrow { s.title.clone() } else { format!("{} — {}", s.title, s.basis) };
        let text = crate::text::ellipsize(&full, max_chars);
        legend_area.draw(&Text::new(text, (mx(x + 18), y - 7), legend.clone()))?;
    }
    Ok(())
}

/// Height of one legend line under the trade chart, px.
const LEGEND_LINE: i32 = 18;
