//! Tests of the map drawing, on what it draws (recorded primitives), and of its SVG export.

use super::*;
use crate::render::charts::tests::{visible_texts, well_formed_svg};
use crate::render::recording::{Drawn, Recording};
use plotters::backend::SVGBackend;

fn svg_of(view: &MapView, layers: &MapLayers, theme: &Theme) -> String {
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (view.width as u32, view.height as u32)).into_drawing_area();
        draw_map(&root, GeoData::get(), view, layers, theme).unwrap();
        root.present().unwrap();
    }
    s
}

/// What the map draws in `view`.
fn drawn(view: &MapView, layers: &MapLayers, theme: &Theme) -> Recording {
    Recording::of((view.width as u32, view.height as u32), |root| draw_map(root, GeoData::get(), view, layers, theme))
}

/// The index of the first primitive for which `f` holds.
fn first(rec: &Recording, what: &str, f: impl Fn(&Drawn) -> bool) -> usize {
    rec.drawn.iter().position(f).unwrap_or_else(|| panic!("no {what} drawn"))
}

/// The filled polygons' points.
fn polygons(rec: &Recording) -> Vec<&[(i32, i32)]> {
    rec.drawn
        .iter()
        .filter_map(|d| match d {
            Drawn::Polygon { points, .. } => Some(points.as_slice()),
            _ => None,
        })
        .collect()
}

fn place(id: &str, lon: f64, lat: f64, events: u32) -> PlaceMarker {
    PlaceMarker { id: id.into(), name: id.into(), lon, lat, events, highlighted: false, dimmed: false }
}

fn sample_layers() -> MapLayers {
    let mut places = vec![
        place("Islamabad", 73.05, 33.68, 12),
        place("Karachi", 67.00, 24.86, 6),
        place("Moscow", 37.62, 55.76, 20),
        place("Tashkent", 69.24, 41.30, 1),
    ];
    places[2].highlighted = true;
    places[3].dimmed = true;
    MapLayers {
        places,
        students: vec![
            StudentCircle { lon: 37.62, lat: 55.76, count: 520 },
            StudentCircle { lon: 39.2, lat: 51.67, count: 90 },
        ],
        links: vec![Link { from: (73.05, 33.68), to: (37.62, 55.76), category: Category::Diplomatic }],
        ..MapLayers::default()
    }
}

#[test]
fn layers_are_drawn_in_order() {
    let theme = Theme::light();
    let rec = drawn(&MapView::default(), &sample_layers(), &theme);
    let water = first(&rec, "water", |d| d.ink().is(theme.water));
    let land = first(&rec, "countries", |d| matches!(d, Drawn::Polygon { .. }));
    let focus = first(&rec, "Pakistan/Russia", |d| matches!(d, Drawn::Polygon { ink, .. } if ink.is(theme.land_focus)));
    let marker = first(&rec, "markers", |d| matches!(d, Drawn::Circle { .. }));
    let attribution = first(&rec, "attribution", |d| matches!(d, Drawn::Text { text, .. } if text == attribution()));
    assert!(water < land && land < marker && marker < attribution, "{water} {land} {marker} {attribution}");
    assert!(land <= focus && focus < marker);
    // Country and place names, the legend and the scale bar are there.
    let texts = rec.texts();
    for t in ["Pakistan", "Russia", "Moscow", "Pakistani students", "Disputed or de facto line"] {
        assert!(texts.contains(&t), "missing {t} in {texts:?}");
    }
    assert!(texts.iter().any(|t| t.ends_with(" km")), "no scale bar in {texts:?}");
    // Dimmed places are not named.
    assert!(!texts.contains(&"Tashkent"));
}

#[test]
fn no_ring_jumps_across_the_map() {
    // The antimeridian check: with Chukotka unwrapped, no edge spans half the map.
    let view = MapView::default();
    let rec = drawn(&view, &MapLayers::default(), &Theme::dark());
    let polys = polygons(&rec);
    assert!(polys.len() > 50, "{}", polys.len());
    for p in &polys {
        for w in p.windows(2) {
            let d = ((w[1].0 - w[0].0) as f64).hypot((w[1].1 - w[0].1) as f64);
            assert!(d < view.width / 2.0, "edge of {d} px: {:?}", w);
        }
    }
}

#[test]
fn zoomed_views_cull_and_still_draw() {
    let mut view = MapView::default();
    view.centered_on(76.0, 34.5, 12.0);
    let theme = Theme::light();
    let zoomed = drawn(&view, &sample_layers(), &theme);
    let all = drawn(&MapView::default(), &sample_layers(), &theme);
    assert!(polygons(&zoomed).len() < polygons(&all).len());
    assert!(zoomed.texts().contains(&"Pakistan"));
    // Siachen is hatched at this zoom: short diagonal lines exist, in the disputed colour.
    let lines = zoomed.drawn.iter().filter(|d| matches!(d, Drawn::Path { .. })).count();
    assert!(lines > 20, "{lines} lines");
    let hatch_color = disputed_color(&theme);
    let hatches = zoomed
        .drawn
        .iter()
        .filter(|d| match d {
            Drawn::Path { points, ink, width: 1 }
                if points.len() == 2 && ink.is(hatch_color) && (ink.alpha - 0.55).abs() < 1e-6 =>
            {
                let (dx, dy) = (points[1].0 - points[0].0, points[1].1 - points[0].1);
                dx != 0 && (dx - dy).abs() <= 1
            }
            _ => false,
        })
        .count();
    assert!(hatches > 0, "no hatch lines");
}

#[test]
#[ignore]
fn write_preview_svgs() {
    // `cargo test --lib write_preview_svgs -- --ignored` writes previews to target/.
    let mut v = MapView::default();
    std::fs::write("target/map-default.svg", svg_of(&v, &sample_layers(), &Theme::light())).unwrap();
    v.centered_on(73.05, 33.68, 5.0);
    std::fs::write("target/map-pakistan.svg", svg_of(&v, &sample_layers(), &Theme::dark())).unwrap();
    v.centered_on(76.5, 34.5, 14.0);
    std::fs::write("target/map-kashmir.svg", svg_of(&v, &sample_layers(), &Theme::light())).unwrap();
    v.centered_on(34.5, 45.5, 14.0);
    std::fs::write("target/map-crimea.svg", svg_of(&v, &sample_layers(), &Theme::light())).unwrap();
}

#[test]
fn dashes_and_hatches() {
    let d = dashes(&[(0, 0), (20, 0)], 5.0, 3.0);
    assert_eq!(d.len(), 3, "{d:?}");
    assert_eq!(d[0], vec![(0, 0), (5, 0)]);
    assert_eq!(d[1], vec![(8, 0), (13, 0)]);
    let sq = [(0, 0), (20, 0), (20, 20), (0, 20)];
    let h = hatch(&sq, 5.0, &Rect { x0: 0.0, y0: 0.0, x1: 100.0, y1: 100.0 });
    assert!(h.len() >= 4, "{h:?}");
    for [p, q] in h {
        for (x, y) in [p, q] {
            assert!((-1..=21).contains(&x) && (-1..=21).contains(&y));
        }
    }
    assert_eq!(nice_floor(730.0), 500.0);
    assert_eq!(nice_floor(0.3), 0.2);
}

#[test]
fn marker_and_student_sizes() {
    assert!(marker_radius(1) < marker_radius(10));
    assert!(marker_radius(10_000) <= 14.0);
    let s = student_scale(520);
    // Area ∝ count.
    let (a, b) = (student_radius(100, s), student_radius(400, s));
    assert!((b / a - 2.0).abs() < 1e-9);
    assert!(student_radius(520, s) <= STUDENT_MAX_RADIUS + 1e-9);
    let idx = sample_layers().place_index();
    let v = MapView::default();
    let (x, y) = v.to_screen(37.62, 55.76);
    assert_eq!(idx.hit(&v, x + 3.0, y, 3.0), Some(2));
}

#[test]
fn cpu_time_per_frame_is_small() {
    // Native time for the drawing code: a guard against accidental quadratic work, not a
    // browser benchmark.
    let layers = sample_layers();
    let view = MapView::default();
    let theme = Theme::light();
    let n = 5;
    let t = std::time::Instant::now();
    let mut count = 0;
    for _ in 0..n {
        count += drawn(&view, &layers, &theme).drawn.len();
    }
    let per = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    eprintln!("draw_map: {per:.2} ms per frame, {} primitives", count / n);
    assert!(count > 0);
    assert!(per < 1000.0, "{per} ms");
}

#[test]
fn svg_export_is_well_formed() {
    let mut view = MapView::default();
    let layers = sample_layers();
    for (theme, zoom) in [(Theme::light(), None), (Theme::dark(), Some((76.0, 34.5, 12.0)))] {
        if let Some((lon, lat, z)) = zoom {
            view.centered_on(lon, lat, z);
        }
        let texts = well_formed_svg(&svg_of(&view, &layers, &theme), (view.width as u32, view.height as u32));
        assert_eq!(texts, visible_texts(&drawn(&view, &layers, &theme)));
    }
}
