//! What both charts share: the series colours, number formatting and round ticks; and the
//! trade chart's plot rectangle with its axes.

use crate::i18n::{t, Msg};
use crate::render::{DrawResult, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colours for series, distinguishable with colour-vision deficiencies (Okabe–Ito).
pub(super) const SERIES_COLORS: [RGBColor; 5] = [
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

/// Rounded, with the active language's thousands separators: 1000 → "1,000" ("1 000" in
/// Russian).
pub fn group_thousands(v: f64) -> String {
    crate::i18n::tr().lang.number(v.round() as i64)
}

/// The label written beside a point: "520", or "> 1,000" for a lower bound.
pub fn point_label(value: f64, lower_bound: bool) -> String {
    if lower_bound {
        format!("> {}", group_thousands(value))
    } else {
        group_thousands(value)
    }
}

/// Where the trade chart's plot sits in its area, and its data → pixel mapping.
pub(super) struct PlotRect {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
    x: (f64, f64),
    y: (f64, f64),
}

impl PlotRect {
    /// Margins of 12 px, and room for the tick labels and axis titles left and below.
    pub(super) fn new<B: DrawingBackend>(
        area: &DrawingArea<B, Shift>,
        narrow: bool,
        x: (f64, f64),
        y: (f64, f64),
    ) -> PlotRect {
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
    pub(super) fn at(&self, x: f64, y: f64) -> (i32, i32) {
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
pub(super) fn draw_axes<B: DrawingBackend>(
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
    area.draw(&Text::new(t(Msg::ChartYear), ((p.left + p.right) / 2, p.bottom + 26), text(HPos::Center, VPos::Top)))?;
    let y_title = text(HPos::Center, VPos::Top).transform(FontTransform::Rotate270);
    area.draw(&Text::new(t(Msg::ChartUsdMillion), (2, (p.top + p.bottom) / 2), y_title))?;
    Ok(())
}
