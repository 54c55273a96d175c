//! Colour contrast of what the canvases draw (WCAG 2.x AA), in the light and the dark theme,
//! and categories that never depend on colour alone. axe-core checks the HTML in the browser
//! tests; it cannot see into a canvas, so the theme's colours are checked here.
//!
//! - Text (`text`, `muted_text`): at least 4.5:1 against every surface it is drawn on: the
//!   background, the timeline's era bands and the map's land and water.
//! - Graphics (`axis`, the selection `highlight`, every category colour, every chart series
//!   colour): at least 3:1 against the background (WCAG 1.4.11); category marks also sit on the
//!   era bands, so against those too.
//! - Each category has its own mark shape, and the timeline really draws it with that shape.

use pakru_atlas::data::{load_embedded, Category};
use pakru_atlas::render::charts::series_color;
use pakru_atlas::render::recording::{Drawn, Recording};
use pakru_atlas::render::timeline::{draw_timeline, TimelineDrawState};
use pakru_atlas::render::{Shape, Theme};
use pakru_atlas::timeline::layout;
use pakru_atlas::timeline::{Limits, TimeRange};
use plotters::style::RGBColor;
use std::collections::{BTreeMap, BTreeSet};

/// WCAG 2.x relative luminance of an sRGB colour.
fn luminance(c: RGBColor) -> f64 {
    let ch = |v: u8| {
        let s = v as f64 / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
}

/// WCAG 2.x contrast ratio, 1 to 21.
fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn themes() -> [(&'static str, Theme); 2] {
    [("light", Theme::light()), ("dark", Theme::dark())]
}

fn css(c: RGBColor) -> String {
    Theme::css(c)
}

#[test]
fn contrast_ratio_matches_wcag_reference_values() {
    // The formula itself: black on white is 21:1, a colour on itself 1:1, #767676 on white 4.54:1.
    assert!((contrast(RGBColor(0, 0, 0), RGBColor(255, 255, 255)) - 21.0).abs() < 1e-9);
    assert!((contrast(RGBColor(9, 99, 199), RGBColor(9, 99, 199)) - 1.0).abs() < 1e-9);
    assert!((contrast(RGBColor(0x76, 0x76, 0x76), RGBColor(255, 255, 255)) - 4.54).abs() < 0.01);
    assert!(contrast(RGBColor(0x77, 0x77, 0x77), RGBColor(255, 255, 255)) < 4.5);
}

#[test]
fn canvas_text_has_at_least_4_5_to_1() {
    let mut failures = Vec::new();
    for (name, t) in themes() {
        let surfaces = [
            ("background", t.background),
            ("era band 1", t.era_fill[0]),
            ("era band 2", t.era_fill[1]),
            ("land", t.land),
            ("water", t.water),
        ];
        for (what, fg) in [("text", t.text), ("muted_text", t.muted_text)] {
            for (on, bg) in surfaces {
                let r = contrast(fg, bg);
                if r < 4.5 {
                    failures.push(format!("{name}: {what} {} on {on} {}: {r:.2}:1", css(fg), css(bg)));
                }
            }
        }
        // Labels of Pakistan and Russia are drawn in `text` on their highlighted land.
        let r = contrast(t.text, t.land_focus);
        if r < 4.5 {
            failures.push(format!("{name}: text on land_focus: {r:.2}:1"));
        }
    }
    assert!(failures.is_empty(), "text below 4.5:1:\n{}", failures.join("\n"));
}

#[test]
fn axis_and_selection_have_at_least_3_to_1() {
    let mut failures = Vec::new();
    for (name, t) in themes() {
        for (what, c) in [("axis", t.axis), ("highlight", t.highlight)] {
            let r = contrast(c, t.background);
            if r < 3.0 {
                failures.push(format!("{name}: {what} {} on background: {r:.2}:1", css(c)));
            }
        }
    }
    assert!(failures.is_empty(), "graphics below 3:1:\n{}", failures.join("\n"));
}

#[test]
fn category_colours_have_at_least_3_to_1_for_marks() {
    let mut failures = Vec::new();
    for (name, t) in themes() {
        for c in Category::ALL {
            let col = t.category_color(c);
            for (on, bg) in [("background", t.background), ("era band 1", t.era_fill[0]), ("era band 2", t.era_fill[1])]
            {
                let r = contrast(col, bg);
                if r < 3.0 {
                    failures.push(format!("{name}: {} {} on {on} {}: {r:.2}:1", c.key(), css(col), css(bg)));
                }
            }
        }
    }
    assert!(failures.is_empty(), "category colours below 3:1:\n{}", failures.join("\n"));
}

#[test]
fn chart_series_colours_have_at_least_3_to_1() {
    let mut failures = Vec::new();
    for (name, t) in themes() {
        for i in 0..5 {
            let c = series_color(i, &t);
            let r = contrast(c, t.background);
            if r < 3.0 {
                failures.push(format!("{name}: series {i} {} on background: {r:.2}:1", css(c)));
            }
        }
    }
    assert!(failures.is_empty(), "series colours below 3:1:\n{}", failures.join("\n"));
}

#[test]
fn category_colours_differ_within_each_theme() {
    for (name, t) in themes() {
        let colours: BTreeSet<String> = Category::ALL.iter().map(|&c| css(t.category_color(c))).collect();
        assert_eq!(colours.len(), 7, "{name}: two categories share a colour: {colours:?}");
    }
}

#[test]
fn each_category_has_its_own_shape() {
    let shapes: Vec<Shape> = Category::ALL.iter().map(|&c| Theme::category_shape(c)).collect();
    for (i, a) in shapes.iter().enumerate() {
        for (j, b) in shapes.iter().enumerate().skip(i + 1) {
            assert_ne!(a, b, "{} and {} share the shape {a:?}", Category::ALL[i].key(), Category::ALL[j].key());
        }
    }
}

/// A filled primitive's outline, independent of position and size: "circle", "square",
/// "rect", or the polygon's vertex directions from its centre. `None` for anything not filled.
fn signature(d: &Drawn) -> Option<String> {
    match d {
        Drawn::Circle { filled: true, .. } => Some("circle".into()),
        Drawn::Rect { from, to, filled: true, .. } => {
            let (w, h) = (to.0 - from.0, to.1 - from.1);
            Some(if (w - h).abs() <= 1 { "square".into() } else { "rect".into() })
        }
        Drawn::Polygon { points, .. } => {
            let mut pts: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
            if pts.len() > 1 && pts.first() == pts.last() {
                pts.pop();
            }
            let n = pts.len() as f64;
            let (cx, cy) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
            // Vertex directions in 30° steps, sorted: a triangle pointing up differs from one
            // pointing down, a diamond from a square.
            let mut dirs: Vec<i64> = pts
                .iter()
                .map(|p| ((p.1 - cy).atan2(p.0 - cx).to_degrees() / 30.0).round() as i64 % 12)
                .map(|d| (d + 12) % 12)
                .collect();
            dirs.sort();
            Some(format!("polygon{}:{dirs:?}", pts.len()))
        }
        _ => None,
    }
}

#[test]
fn the_timeline_draws_each_category_with_a_different_shape() {
    let atlas = load_embedded().expect("real data");
    let (lo, hi) = atlas.year_range();
    let view = TimeRange::full(Limits::covering(lo, hi));
    let (w, h) = (3200u32, 520u32);
    let mask = vec![true; atlas.events.len()];
    let lay = layout(&atlas, &view, w as f64, h as f64, &mask);
    for (name, theme) in themes() {
        let state = TimelineDrawState { selected: None, hovered: None };
        let rec = Recording::of((w, h), |root| draw_timeline(root, &lay, &state, &theme));
        // Every primitive filled with a category's full colour: the lane icons and the marks.
        let mut by_category: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for d in &rec.drawn {
            let ink = d.ink();
            if ink.alpha < 0.999 {
                continue;
            }
            for c in Category::ALL {
                if ink.is(theme.category_color(c)) {
                    if let Some(sig) = signature(d) {
                        by_category.entry(c.key()).or_default().insert(sig);
                    }
                }
            }
        }
        for c in Category::ALL {
            assert!(
                by_category.contains_key(c.key()),
                "{name}: nothing drawn in the colour of {}: {by_category:?}",
                c.key()
            );
        }
        // No outline is shared by two categories: shape alone tells them apart.
        let keys: Vec<&&str> = by_category.keys().collect();
        for (i, a) in keys.iter().enumerate() {
            for b in keys.iter().skip(i + 1) {
                let shared: Vec<&String> = by_category[**a].intersection(&by_category[**b]).collect();
                assert!(shared.is_empty(), "{name}: {a} and {b} are both drawn as {shared:?}");
            }
        }
    }
}
