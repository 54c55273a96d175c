//! The students chart: Table 2 as horizontal bars, one per university.

use super::axes::{group_thousands, SERIES_COLORS};
use crate::data::StudentRow;
use crate::i18n::{t, Msg};
use crate::render::{DrawResult, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws Table 2 as horizontal bars, one per university in table order, labelled with the
/// source's own wording and the count. When `highlight` names rows (a story step's), the
/// other bars are faded towards the background.
pub fn draw_students_chart<B: DrawingBackend>(
    root: &DrawingArea<B, Shift>,
    rows: &[StudentRow],
    highlight: &[String],
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
        let faded = !highlight.is_empty() && !highlight.contains(&r.id);
        let fill = if faded { crate::render::theme::mix(color, theme.background, 0.75) } else { color };
        root.draw(&Rectangle::new([(x0, bar_y), (x0 + len.max(1), bar_y + bar_h)], fill.filled()))?;
        root.draw(&Text::new(group_thousands(r.students.into()), (x0 + len + 5, bar_y + bar_h / 2 - 7), text.clone()))?;
        let name = match &r.university {
            Some(u) if u != &r.university_as_written => format!("{} [{u}]", r.university_as_written),
            _ => r.university_as_written.clone(),
        };
        if narrow {
            let shown = crate::text::ellipsize(&name, crate::text::chars_in((w as i32 - x0 - 4) as f64, 12.0).max(8));
            root.draw(&Text::new(shown, (x0, y + 1), text.clone()))?;
        } else {
            let shown = crate::text::ellipsize(&name, crate::text::chars_in(label_w as f64, 12.0).max(8));
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
    root.draw(&Text::new(group_thousands(max), (x1 - 10, axis_y + 4), muted.clone()))?;
    // The unit, centred under the bars (its width is that of its language).
    let centred = muted.pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Top,
    ));
    root.draw(&Text::new(t(Msg::ChartStudentsAxis), ((x0 + x1) / 2, axis_y + 4), centred))?;
    Ok(())
}
