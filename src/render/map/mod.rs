//! The map view: countries, disputed lines, places, students and links, drawn with plotters.
//!
//! Geometry comes from [`crate::map`], projected once when the border file is decoded; a frame
//! only maps plane kilometres to pixels with the view's scale and offset, skips whatever lies
//! off screen (by bounding box) and drops vertices that land on the pixel of the one before. No
//! text is measured: widths are estimated ([`crate::text::text_width`]). Where labels and
//! markers go is decided before drawing, by the frame's layout ([`crate::map::overlay_layout`]).
//!
//! Layers, bottom to top: water, graticule, countries, borders and coasts, disputed lines and
//! areas (dashed, hatched), country names, student circles, links, place markers, place names,
//! legends (student sizes, disputed lines), scale bar, attribution.

mod base;
mod legend;
mod overlay;
#[cfg(test)]
mod tests;

pub use base::draw_map_base;
pub use overlay::{draw_map_overlay, draw_overlay};

use super::{mix, DrawResult, Theme};
use crate::data::Category;
use crate::geom::Rect;
use crate::map::*;
use base::dashes;
#[cfg(test)]
use base::hatch;
use legend::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Plane polyline → pixels, dropping points within a pixel of the last one kept (the last
/// point is always kept, so lines still meet). Zoomed out, this drops most vertices.
pub(super) fn to_pixels(xy: &[(f64, f64)], a: &Affine, detail: i32, out: &mut Vec<(i32, i32)>) {
    out.clear();
    out.reserve(xy.len());
    let n = xy.len();
    for (i, &(x, y)) in xy.iter().enumerate() {
        let (px, py) = a.apply(x, y);
        let p = (px.round() as i32, py.round() as i32);
        match out.last() {
            Some(&q) if (p.0 - q.0).abs() <= detail && (p.1 - q.1).abs() <= detail => {
                if i == n - 1 && p != q {
                    out.push(p);
                }
            }
            _ => out.push(p),
        }
    }
}

pub(super) fn font(size: f64, bold: bool) -> FontDesc<'static> {
    if bold {
        (FontFamily::SansSerif, size, FontStyle::Bold).into_font()
    } else {
        (FontFamily::SansSerif, size).into_font()
    }
}

pub(super) fn text_style(size: f64, bold: bool, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size, bold).color(color).pos(Pos::new(h, v))
}

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

/// The view on a drawing area of `w` × `h` pixels (unchanged when it already has that size).
pub(super) fn sized(view: &MapView, w: u32, h: u32) -> MapView {
    if (view.width, view.height) == (w as f64, h as f64) {
        *view
    } else {
        view.with_size(w as f64, h as f64)
    }
}

/// The colour of disputed areas and lines, on the map and in its legend.
pub(super) fn disputed_color(theme: &Theme) -> RGBColor {
    mix(theme.muted_text, theme.text, if theme.dark { 0.3 } else { 0.4 })
}
