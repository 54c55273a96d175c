//! Tests of the map drawing.

use super::*;
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
        links: vec![Link { from: (73.05, 33.68), to: (37.62, 55.76), color: RGBColor(0, 114, 178) }],
        ..MapLayers::default()
    }
}

/// Numbers of the `points` attribute of every `<polygon>`.
fn polygons(svg: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polygon")
        .skip(1)
        .filter_map(|s| {
            let p = s.split("points=\"").nth(1)?.split('"').next()?;
            Some(
                p.split_whitespace()
                    .filter_map(|xy| {
                        let (x, y) = xy.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn layers_are_drawn_in_order() {
    let theme = Theme::light();
    let svg = svg_of(&MapView::default(), &sample_layers(), &theme);
    let water = svg.find(&Theme::css(theme.water).to_uppercase()).expect("water");
    let land = svg.find("<polygon").expect("countries");
    let focus =
        svg.find(&format!("fill=\"{}\"", Theme::css(theme.land_focus).to_uppercase())).expect("Pakistan/Russia");
    let marker = svg.find("<circle").expect("markers");
    let attribution = svg.find(ATTRIBUTION).expect("attribution");
    assert!(water < land && land < marker && marker < attribution, "{water} {land} {marker} {attribution}");
    assert!(land <= focus && focus < marker);
    // Country and place names, the legend and the scale bar are there.
    for t in
        ["\nPakistan\n", "\nRussia\n", "\nMoscow\n", "\nPakistani students\n", "\nDisputed or de facto line\n", " km\n"]
    {
        assert!(svg.contains(t), "missing {t}");
    }
    // Dimmed places are not named.
    assert!(!svg.contains("\nTashkent\n"));
}

#[test]
fn no_ring_jumps_across_the_map() {
    // The antimeridian check: with Chukotka unwrapped, no edge spans half the map.
    let view = MapView::default();
    let svg = svg_of(&view, &MapLayers::default(), &Theme::dark());
    let polys = polygons(&svg);
    assert!(polys.len() > 50, "{}", polys.len());
    for p in &polys {
        for w in p.windows(2) {
            let d = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
            assert!(d < view.width / 2.0, "edge of {d} px: {:?}", w);
        }
    }
}

#[test]
fn zoomed_views_cull_and_still_draw() {
    let mut view = MapView::default();
    view.centered_on(76.0, 34.5, 12.0);
    let svg = svg_of(&view, &sample_layers(), &Theme::light());
    let all = svg_of(&MapView::default(), &sample_layers(), &Theme::light());
    assert!(svg.matches("<polygon").count() < all.matches("<polygon").count());
    assert!(svg.contains("\nPakistan\n"));
    // Siachen is hatched at this zoom: short diagonal lines exist.
    assert!(svg.matches("<polyline").count() > 20);
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
    // Native time for the drawing code plus SVG text building: a guard against accidental
    // quadratic work, not a browser benchmark.
    let layers = sample_layers();
    let view = MapView::default();
    let theme = Theme::light();
    let n = 5;
    let t = std::time::Instant::now();
    let mut len = 0;
    for _ in 0..n {
        len += svg_of(&view, &layers, &theme).len();
    }
    let per = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    eprintln!("draw_map to SVG: {per:.2} ms per frame, {} bytes", len / n);
    assert!(per < 1000.0, "{per} ms");
}
