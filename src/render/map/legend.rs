//! The map's legends (student circle sizes, disputed lines), scale bar and attribution.

use super::*;
use crate::i18n::{t, tf, Msg};

/// A nice round length (1, 2 or 5 × 10ⁿ) not above `x`.
pub(super) fn nice_floor(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    let p = crate::fmath::powf(10.0, crate::fmath::log10(x).floor());
    [5.0, 2.0, 1.0].into_iter().map(|m| m * p).find(|&v| v <= x).unwrap_or(p)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draw_legends<DB: DrawingBackend>(
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
    let small = |h: HPos, v: VPos| text_style(LEGEND_TEXT_SIZE, false, &theme.muted_text, h, v);
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
        let n = if km >= 1.0 { (km as u64).to_string() } else { km.to_string() };
        let label = tf(Msg::MapKm, &[("n", &n)]);
        root.draw(&Text::new(label, (x + len + 6, y), small(HPos::Left, VPos::Center)))?;
    }
    let mut top = h - 34.0;

    if any_disputed {
        let y = (top - 6.0) as i32;
        let x = x0 as i32;
        for piece in dashes(&[(x, y), (x + 28, y)], 5.0, 3.0) {
            root.draw(&PathElement::new(piece, dash_style))?;
        }
        root.draw(&Text::new(t(Msg::MapLegendDisputed), (x + 34, y), small(HPos::Left, VPos::Center)))?;
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
        root.draw(&Text::new(
            t(Msg::MapLegendStudents),
            (x0 as i32, (base + 3.0) as i32),
            small(HPos::Left, VPos::Top),
        ))?;
    }
    Ok(())
}
