//! Draws the timeline from a [`TimelineLayout`]: no decisions about where things go are made
//! here, only how they look.
//!
//! Everything is drawn in the root area's pixel coordinates with plotters' primitives. Text is
//! never measured (plotters would insert a DOM span per label in the browser): the layout has
//! already fitted every label with estimated widths. The loop over marks formats no strings:
//! cluster counts are written into a stack buffer.

use super::{mix, Shape, Theme};
use crate::timeline::{count_label, Mark, TimelineLayout, COUNT_FONT_PX, FONT_PX};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::DrawResult;

/// Interaction state that changes how marks look but not where they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimelineDrawState {
    /// The selected event (index into `atlas.events`): a thick ring in `theme.highlight`.
    pub selected: Option<usize>,
    /// The event under the pointer or keyboard focus: a lighter ring. For a cluster, pass any
    /// of its events; the ring goes round the cluster.
    pub hovered: Option<usize>,
}

/// Opacity of events that do not match the filter.
const DIM: f64 = 0.22;
/// How much of the category colour tints a cluster's disc.
const CLUSTER_TINT: f64 = 0.28;

/// Unit-radius outlines of the polygon shapes (y grows downwards), sized so that every shape
/// looks about as heavy as a circle of radius 1.
fn unit_vertices(shape: Shape) -> &'static [(f64, f64)] {
    match shape {
        Shape::Diamond => &[(0.0, -1.3), (1.3, 0.0), (0.0, 1.3), (-1.3, 0.0)],
        Shape::TriangleUp => &[(0.0, -1.3), (1.15, 0.8), (-1.15, 0.8)],
        Shape::TriangleDown => &[(0.0, 1.3), (1.15, -0.8), (-1.15, -0.8)],
        // A plus sign with arms 0.8 wide.
        Shape::Cross => &[
            (-0.4, -1.15),
            (0.4, -1.15),
            (0.4, -0.4),
            (1.15, -0.4),
            (1.15, 0.4),
            (0.4, 0.4),
            (0.4, 1.15),
            (-0.4, 1.15),
            (-0.4, 0.4),
            (-1.15, 0.4),
            (-1.15, -0.4),
            (-0.4, -0.4),
        ],
        // Five points: outer radius 1.35 at -90° + 72°k, inner 0.6 in between.
        Shape::Star => &[
            (0.0, -1.35),
            (0.3527, -0.4854),
            (1.2839, -0.4172),
            (0.5706, 0.1854),
            (0.7935, 1.0922),
            (0.0, 0.6),
            (-0.7935, 1.0922),
            (-0.5706, 0.1854),
            (-1.2839, -0.4172),
            (-0.3527, -0.4854),
        ],
        Shape::Circle | Shape::Square => &[],
    }
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

fn text_style<'a>(size: f64, color: RGBAColor, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle { font: (FontFamily::SansSerif, size).into_font(), color: color.to_backend_color(), pos: Pos::new(h, v) }
}

/// Draws a category's shape centred on `(x, y)` with radius `r`.
fn draw_shape<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    shape: Shape,
    (x, y): (f64, f64),
    r: f64,
    style: ShapeStyle,
) -> DrawResult<DB> {
    match shape {
        Shape::Circle => root.draw(&Circle::new((px(x), px(y)), r, style)),
        Shape::Square => {
            let h = r * 0.88;
            root.draw(&Rectangle::new([(px(x - h), px(y - h)), (px(x + h), px(y + h))], style))
        }
        _ => {
            // One small Vec per polygon mark: plotters' elements own their points (a
            // stack-allocated element would need plotters-backend's error type, which plotters
            // does not re-export). Marks per frame are bounded by clustering, so this is cheap.
            let unit = unit_vertices(shape);
            let mut pts = Vec::with_capacity(unit.len() + 1);
            pts.extend(unit.iter().map(|(ux, uy)| (px(x + ux * r), px(y + uy * r))));
            if style.filled {
                root.draw(&Polygon::new(pts, style))
            } else {
                pts.push(pts[0]);
                root.draw(&PathElement::new(pts, style))
            }
        }
    }
}

/// Draws the timeline laid out in `layout` on `root` (whose size the layout was made for).
pub fn draw_timeline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &TimelineLayout,
    state: &TimelineDrawState,
    theme: &Theme,
) -> DrawResult<DB> {
    let plot = layout.plot;
    root.fill(&theme.background)?;

    // Era bands behind everything, reaching up into the era-name row.
    for band in &layout.eras {
        let r = band.rect;
        let fill = theme.era_fill[band.fill % 2].filled();
        root.draw(&Rectangle::new([(px(r.x0), px(r.y0)), (px(r.x1), px(r.y1))], fill))?;
    }

    // Grid: a line along each lane, one per tick (stronger for major ticks), the axis.
    let (top, bottom) = (px(plot.y0), px(plot.y1));
    for lane in &layout.lanes {
        let y = px(lane.y);
        root.draw(&Rectangle::new([(px(plot.x0), y), (px(plot.x1), y + 1)], theme.grid.mix(0.7).filled()))?;
    }
    for t in &layout.ticks {
        let x = px(t.x);
        let c = if t.major { theme.axis.mix(0.45) } else { theme.grid.to_rgba() };
        root.draw(&Rectangle::new([(x, top), (x + 1, bottom)], c.filled()))?;
    }
    root.draw(&Rectangle::new([(px(plot.x0), bottom), (px(plot.x1), bottom + 1)], theme.axis.filled()))?;

    // Labels: tick labels, era names, lane names. All positions were fitted by the layout.
    let tick_text = text_style(FONT_PX, theme.muted_text.to_rgba(), HPos::Center, VPos::Top);
    for t in &layout.ticks {
        if let Some(l) = &t.label {
            root.draw_text(&l.text, &tick_text, (px(l.x), px(l.y)))?;
        }
    }
    let era_text = text_style(FONT_PX, theme.muted_text.to_rgba(), HPos::Center, VPos::Center);
    for band in &layout.eras {
        if let Some(l) = &band.label {
            root.draw_text(&l.text, &era_text, (px(l.x), px(l.y)))?;
        }
    }
    let lane_text = text_style(FONT_PX, theme.text.to_rgba(), HPos::Left, VPos::Center);
    let icon_r = layout.radius.min(5.0);
    for lane in &layout.lanes {
        let c = theme.category_color(lane.category);
        draw_shape(root, Theme::category_shape(lane.category), (lane.icon_x, lane.y), icon_r, c.filled())?;
        if let Some((text, x)) = lane.label {
            root.draw_text(text, &lane_text, (px(x), px(lane.y)))?;
        }
    }

    // Bars (dimmed ones first: that is the layout's order), then marks on top.
    for b in &layout.bars {
        let c = theme.category_color(b.category);
        let style = c.mix(if b.matching { 0.55 } else { DIM * 0.6 }).filled();
        let (y0, y1) = (px(b.y - b.h / 2.0), px(b.y + b.h / 2.0));
        root.draw(&Rectangle::new([(px(b.x0), y0), (px(b.x1).max(px(b.x0) + 1), y1)], style))?;
    }
    let count_text = text_style(COUNT_FONT_PX, theme.text.to_rgba(), HPos::Center, VPos::Center);
    let count_text_dim = text_style(COUNT_FONT_PX, theme.text.mix(0.4), HPos::Center, VPos::Center);
    let outline = theme.text.mix(0.5).stroke_width(1);
    let mut buf = [0u8; 8];
    for m in &layout.marks {
        draw_mark(root, m, theme, outline, if m.matching { &count_text } else { &count_text_dim }, &mut buf)?;
    }

    // Hover, then selection on top of it.
    if let Some(h) = state.hovered.filter(|h| Some(*h) != state.selected) {
        draw_ring(root, layout, h, theme.highlight.mix(0.45), 2)?;
    }
    if let Some(s) = state.selected {
        draw_ring(root, layout, s, theme.highlight.to_rgba(), 3)?;
    }
    Ok(())
}

fn draw_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mark,
    theme: &Theme,
    outline: ShapeStyle,
    count_text: &TextStyle,
    buf: &mut [u8; 8],
) -> DrawResult<DB> {
    let c = theme.category_color(m.category);
    let centre = (px(m.x), px(m.y));
    let alpha = if m.matching { 1.0 } else { DIM };
    // An agreement (or a cluster holding one) wears a thin ring of its category's colour.
    if m.agreement {
        root.draw(&Circle::new(centre, m.r + 3.0, c.mix(alpha).stroke_width(1)))?;
    }
    if m.is_cluster() {
        // A tinted disc with a coloured rim and the count: legible whatever lies below.
        let disc = mix(theme.background, c, CLUSTER_TINT).mix(if m.matching { 1.0 } else { 0.5 });
        root.draw(&Circle::new(centre, m.r, disc.filled()))?;
        root.draw(&Circle::new(centre, m.r, c.mix(alpha).stroke_width(2)))?;
        let label = count_label(m.count(), buf);
        // The layout sized the disc for the count; on a very cramped canvas it may not fit.
        if m.r * 2.0 >= label.len() as f64 * 6.0 {
            root.draw_text(label, count_text, centre)?;
        }
        return Ok(());
    }
    let shape = Theme::category_shape(m.category);
    draw_shape(root, shape, (m.x, m.y), m.r, c.mix(alpha).filled())?;
    // A thin dark edge outlines every mark, so marks stand out from the era bands too.
    if m.matching {
        draw_shape(root, shape, (m.x, m.y), m.r, outline)?;
    }
    Ok(())
}

/// A ring round the mark holding `event`, and an outline round its bar if it has one.
fn draw_ring<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &TimelineLayout,
    event: usize,
    color: RGBAColor,
    width: u32,
) -> DrawResult<DB> {
    let style = color.stroke_width(width);
    if let Some((x0, x1, y)) = layout.span_of(event) {
        let h = layout.radius * 0.45 + 2.0;
        root.draw(&Rectangle::new([(px(x0) - 1, px(y - h)), (px(x1) + 1, px(y + h))], style))?;
    }
    if let Some(m) = layout.mark_of(event) {
        let extra = if m.agreement { 6.0 } else { 4.0 };
        root.draw(&Circle::new((px(m.x), px(m.y)), m.r + extra, style))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Atlas, Category};
    use crate::render::charts::tests::{visible_texts, well_formed_svg};
    use crate::render::recording::{Drawn, Ink, Recording};
    use crate::timeline::layout;
    use crate::timeline::tests::{atlas, generated};
    use crate::timeline::{Limits, TimeRange};
    use plotters::backend::SVGBackend;

    /// What the timeline of `a` draws on `size` pixels.
    fn drawn(
        a: &Atlas,
        view: &TimeRange,
        size: (u32, u32),
        mask: &[bool],
        state: TimelineDrawState,
        theme: &Theme,
    ) -> Recording {
        let l = layout(a, view, size.0 as f64, size.1 as f64, mask);
        Recording::of(size, |root| draw_timeline(root, &l, &state, theme))
    }

    fn sample() -> Atlas {
        atlas(
            &[
                ("rel", "1948-05-01", None, "diplomatic", false),
                ("tash", "1966-01-10", None, "diplomatic", true),
                ("war", "1979-12", Some("1989-02"), "crisis", false),
                ("a", "1971-12-03", None, "military", false),
                ("b", "1971-12-03", None, "military", false),
                ("c", "1971-12-03", None, "military", false),
                ("steel", "1973", None, "economic", false),
                ("edu", "1950s", None, "social", false),
                ("aid", "2022", None, "humanitarian", false),
                ("align", "1954", None, "alignment", false),
            ],
            &[("cold", "Cold War estrangement", "1947", Some("1991")), ("thaw", "Rapprochement", "1992", None)],
        )
    }

    /// The circles drawn centred on `m` with radius `r` (whole pixels): ink, filled, stroke
    /// width.
    fn circles_on(rec: &Recording, m: &Mark, r: f64) -> Vec<(Ink, bool, u32)> {
        rec.circles()
            .into_iter()
            .filter(|c| c.0 == (px(m.x), px(m.y)) && c.1 == r as u32)
            .map(|(_, _, ink, filled, width)| (ink, filled, width))
            .collect()
    }

    #[test]
    fn draws_eras_ticks_lanes_and_cluster_counts() {
        let a = sample();
        let theme = Theme::light();
        let rec = drawn(&a, &TimeRange::default(), (800, 300), &[], TimelineDrawState::default(), &theme);
        let t = rec.texts();
        for want in ["Cold War estrangement", "Rapprochement", "1950", "2020", "Diplomatic", "Crisis", "3"] {
            assert!(t.contains(&want), "{want:?} missing from {t:?}");
        }
        // Three same-day events are one mark with "3", not three marks.
        assert_eq!(t.iter().filter(|x| **x == "3").count(), 1);
        // The single marks are filled in their full category colours.
        let blue = theme.category_color(Category::Diplomatic);
        let filled_blue = rec.drawn.iter().any(|d| match d {
            Drawn::Circle { ink, filled: true, .. }
            | Drawn::Rect { ink, filled: true, .. }
            | Drawn::Polygon { ink, .. } => ink.is(blue) && ink.alpha == 1.0,
            _ => false,
        });
        assert!(filled_blue, "nothing filled in {blue:?}");
    }

    #[test]
    fn mark_is_drawn_where_the_layout_put_it() {
        let a = sample();
        let view = TimeRange::new(1947.0, 2027.0, Limits::DEFAULT);
        let l = layout(&a, &view, 800.0, 300.0, &[]);
        let m = l.mark_of(0).unwrap(); // diplomatic: a circle
        let theme = Theme::light();
        let rec = drawn(&a, &view, (800, 300), &[], TimelineDrawState::default(), &theme);
        let c = theme.category_color(Category::Diplomatic);
        let disc = circles_on(&rec, m, m.r);
        let opaque_disc = disc.iter().any(|(ink, filled, _)| *filled && ink.is(c) && ink.alpha == 1.0);
        assert!(opaque_disc, "no disc at the mark: {disc:?}");
        // 1 May 1948 with 1947..2027 on a 674 px plot starting at 116.
        assert_eq!(px(m.x), (116.0_f64 + 674.0 / 80.0 * (1.0 + 121.5 / 366.0)).round() as i32);
    }

    #[test]
    fn selection_and_hover_are_drawn_differently() {
        let a = sample();
        let mut theme = Theme::light();
        theme.highlight = RGBColor(1, 2, 3); // a colour nothing else uses
        let hl = theme.highlight;
        let v = TimeRange::default();
        let none = drawn(&a, &v, (800, 300), &[], TimelineDrawState::default(), &theme);
        assert_eq!(none.count_in(hl), 0);
        let tash = a.event_index("tash").unwrap();
        let sel = drawn(&a, &v, (800, 300), &[], TimelineDrawState { selected: Some(tash), hovered: None }, &theme);
        let l = layout(&a, &v, 800.0, 300.0, &[]);
        let m = l.mark_of(tash).unwrap();
        // The selected agreement gets an opaque ring 3 px wide outside its own agreement ring.
        let rings = circles_on(&sel, m, m.r + 6.0);
        let ring = rings.iter().any(|(ink, filled, width)| !filled && *width == 3 && ink.is(hl) && ink.alpha == 1.0);
        assert!(ring, "no selection ring in {rings:?}");
        // Hovered, the ring is 2 px wide and lighter, and nothing is 3 px wide.
        let hov = drawn(&a, &v, (800, 300), &[], TimelineDrawState { selected: None, hovered: Some(tash) }, &theme);
        let hover_rings: Vec<_> = hov.circles().into_iter().filter(|c| c.2.is(hl)).collect();
        assert_eq!(hover_rings.len(), 1, "{hover_rings:?}");
        let (centre, r, ink, filled, width) = hover_rings[0];
        assert_eq!((centre, r, filled, width), ((px(m.x), px(m.y)), (m.r + 6.0) as u32, false, 2));
        assert!((ink.alpha - 0.45).abs() < 1e-6, "{ink:?}");
        let widths = |rec: &Recording| -> Vec<u32> {
            rec.drawn
                .iter()
                .filter_map(|d| match d {
                    Drawn::Line { width, .. } | Drawn::Path { width, .. } => Some(*width),
                    Drawn::Circle { filled: false, width, .. } => Some(*width),
                    _ => None,
                })
                .collect()
        };
        assert!(widths(&sel).contains(&3));
        assert!(!widths(&hov).contains(&3), "{:?}", widths(&hov));
        // A selected span is outlined along its bar too: a rectangle round the bar and a ring.
        let war = a.event_index("war").unwrap();
        let span = drawn(&a, &v, (800, 300), &[], TimelineDrawState { selected: Some(war), hovered: None }, &theme);
        assert!(span.count_in(hl) >= 2);
        let (x0, x1, _) = l.span_of(war).expect("war is a span");
        let outlined = span.drawn.iter().any(|d| {
            matches!(d, Drawn::Rect { from, to, ink, filled: false }
                if ink.is(hl) && from.0 == px(x0) - 1 && to.0 == px(x1) + 1)
        });
        assert!(outlined, "no outline round the bar of war");
    }

    #[test]
    fn non_matching_events_are_dimmed_not_removed() {
        let a = sample();
        let mut mask = vec![true; a.events.len()];
        mask[0] = false;
        let v = TimeRange::default();
        let l = layout(&a, &v, 800.0, 300.0, &mask);
        let m = l.mark_of(0).unwrap();
        assert!(!m.matching);
        let theme = Theme::light();
        let rec = drawn(&a, &v, (800, 300), &mask, TimelineDrawState::default(), &theme);
        let c = theme.category_color(Category::Diplomatic);
        let dimmed = circles_on(&rec, m, m.r)
            .into_iter()
            .any(|(ink, filled, _)| filled && ink.is(c) && (ink.alpha - 0.22).abs() < 1e-6);
        assert!(dimmed, "no dimmed mark: {:?}", circles_on(&rec, m, m.r));
    }

    #[test]
    fn ten_thousand_events_keep_text_draws_bounded() {
        let a = generated(10_000);
        for w in [360u32, 1920] {
            let rec = drawn(
                &a,
                &TimeRange::default(),
                (w, 420),
                &[],
                TimelineDrawState { selected: Some(5), hovered: Some(6) },
                &Theme::dark(),
            );
            let n_text = rec.texts().len();
            // Ticks + eras + lanes + at most one count per possible cluster position.
            assert!(n_text < 7 * (w as usize / 16) + 40, "{n_text} texts at {w} px");
        }
    }

    #[test]
    fn svg_export_is_well_formed() {
        let a = sample();
        let v = TimeRange::default();
        let state = TimelineDrawState { selected: a.event_index("war"), hovered: a.event_index("tash") };
        let mut mask = vec![true; a.events.len()];
        mask[0] = false;
        for (theme, size) in [(Theme::light(), (800, 300)), (Theme::dark(), (360, 420))] {
            let l = layout(&a, &v, size.0 as f64, size.1 as f64, &mask);
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, size).into_drawing_area();
                draw_timeline(&root, &l, &state, &theme).unwrap();
                root.present().unwrap();
            }
            let texts = well_formed_svg(&s, size);
            assert_eq!(texts, visible_texts(&drawn(&a, &v, size, &mask, state, &theme)));
        }
    }
}
