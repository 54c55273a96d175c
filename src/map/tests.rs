//! Tests of the map's geometry: projection, view, borders, hit-testing and labels.

use super::*;
use crate::geom::Rect;
use crate::text::text_width;

const ISLAMABAD: (f64, f64) = (73.05, 33.68);
const KARACHI: (f64, f64) = (67.00, 24.86);
const MOSCOW: (f64, f64) = (37.62, 55.76);
const TASHKENT: (f64, f64) = (69.24, 41.30);

#[test]
fn projection_round_trips() {
    for &(lon, lat) in &[ISLAMABAD, MOSCOW, (179.5, 66.0), (-170.0, 65.5), (30.0, 10.0)] {
        let (x, y) = project(lon, lat);
        let (lon2, lat2) = unproject(x, y);
        assert!((normalize_lon(lon) - lon2).abs() < 1e-9, "{lon} {lon2}");
        assert!((lat - lat2).abs() < 1e-9);
    }
    // Conformal: exact scale on the standard parallels.
    assert!((scale_factor(30.0) - 1.0).abs() < 1e-9);
    assert!((scale_factor(60.0) - 1.0).abs() < 1e-9);
    assert!(scale_factor(45.0) < 1.0);
}

#[test]
fn cities_land_where_expected() {
    let v = MapView::default();
    let isb = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    let msk = v.to_screen(MOSCOW.0, MOSCOW.1);
    let khi = v.to_screen(KARACHI.0, KARACHI.1);
    let tas = v.to_screen(TASHKENT.0, TASHKENT.1);
    // Moscow (37.6° E) is far west of Islamabad (73.1° E): on screen Islamabad is right of
    // and below Moscow.
    assert!(msk.0 < isb.0 && isb.1 > msk.1, "{isb:?} {msk:?}");
    assert!(khi.0 < isb.0 && khi.1 > isb.1, "Karachi is south-west of Islamabad");
    assert!(tas.1 > msk.1 && tas.1 < isb.1, "Tashkent lies between them in latitude");
    for p in [isb, msk, khi, tas] {
        assert!(p.0 > 0.0 && p.0 < v.width && p.1 > 0.0 && p.1 < v.height, "{p:?} on screen");
    }
    let (lon, lat) = v.to_geo(isb.0, isb.1);
    assert!((lon - ISLAMABAD.0).abs() < 1e-9 && (lat - ISLAMABAD.1).abs() < 1e-9);
}

#[test]
fn chukotka_is_east_not_west() {
    let v = MapView::default();
    let kam = v.to_screen(158.6, 53.0);
    let chu = v.to_screen(-172.0, 65.0); // east of the antimeridian
    let msk = v.to_screen(MOSCOW.0, MOSCOW.1);
    assert!(chu.0 > kam.0 - 100.0 && chu.0 > msk.0 + 300.0, "{chu:?} {kam:?}");
}

#[test]
fn the_file_decodes_within_budget() {
    let g = GeoData::get();
    assert!(g.units.len() >= 20, "{}", g.units.len());
    for id in [PAKISTAN, RUSSIA, 4, 156, 356, 364, 398, 496, 804] {
        assert!(g.unit_by_iso(id).is_some(), "missing {id}");
    }
    assert!(g.vertex_count <= 12_000, "{} vertices", g.vertex_count);
    assert!(g.attribution.contains("Natural Earth"));
    assert!(g.units.iter().any(|u| u.name == "Siachen Glacier" && u.disputed));
    assert!(!g.disputed.is_empty());
    let cb = g.core_bounds();
    for (a, b) in [(cb.x0, CORE_BOUNDS.x0), (cb.y0, CORE_BOUNDS.y0), (cb.x1, CORE_BOUNDS.x1), (cb.y1, CORE_BOUNDS.y1)] {
        assert!((a - b).abs() <= 10.0, "CORE_BOUNDS out of date: {cb:?}");
    }
    // Every polygon lies (at least partly) in the area a view can show.
    for u in &g.units {
        assert!(u.bounds.intersects(&OUTER), "{}", u.name);
    }
}

#[test]
fn the_embedded_bytes_are_the_json_file() {
    let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/geo/region.json")).unwrap();
    assert_eq!(GeoData::get(), &GeoData::parse(&json).unwrap());
    // About two bytes a vertex: well under half the JSON.
    assert!(GEO_BIN.len() * 2 < json.len(), "{} bytes embedded for {} of JSON", GEO_BIN.len(), json.len());
    let raw = crate::geo_codec::decode(GEO_BIN).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(raw.arcs.len(), json["arcs"].as_array().unwrap().len());
    assert_eq!(raw.units.len(), json["units"].as_array().unwrap().len());
    assert_eq!(raw.units[0].name, json["units"][0]["name"].as_str().unwrap());
}

#[test]
fn a_broken_border_file_is_an_error() {
    let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/geo/region.json")).unwrap();
    let wrong = json.replace("pakru-atlas-geo/1", "pakru-atlas-geo/9");
    assert!(GeoData::parse(&wrong).unwrap_err().contains("format"));
    assert!(GeoData::from_bytes(&GEO_BIN[..GEO_BIN.len() / 2]).is_err());
    assert!(GeoData::from_bytes(b"").is_err());
}

#[test]
fn point_in_polygon() {
    let g = GeoData::get();
    let name = |p: (f64, f64)| g.unit_at_geo(p.0, p.1).map(|i| g.units[i].name.clone());
    assert_eq!(name(ISLAMABAD).as_deref(), Some("Pakistan"));
    assert_eq!(name(KARACHI).as_deref(), Some("Pakistan"));
    assert_eq!(name(MOSCOW).as_deref(), Some("Russia"));
    assert_eq!(name(TASHKENT).as_deref(), Some("Uzbekistan"));
    assert_eq!(name((116.41, 39.9)).as_deref(), Some("China"));
    assert_eq!(name((172.0, 66.0)).as_deref(), Some("Russia"), "Chukotka west of 180°");
    assert_eq!(name((-173.2, 66.0)).as_deref(), Some("Russia"), "Chukotka east of 180°");
    assert_eq!(name((64.0, 20.0)), None, "Arabian Sea");
    assert_eq!(name((34.1, 45.0)).as_deref(), Some("Crimea"));
    // Through the view, as hover does.
    let v = MapView::default();
    let (px, py) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    assert_eq!(g.unit_at(&v, px, py), g.unit_by_iso(PAKISTAN));
}

#[test]
fn zoom_and_pan_are_clamped() {
    let mut v = MapView::default();
    assert_eq!(v.zoom, 1.0);
    v.zoom_about(640.0, 400.0, 0.1);
    assert_eq!(v.zoom, v.min_zoom(), "cannot zoom out past the region");
    let vis = v.visible();
    assert!(vis.x0 >= OUTER.x0 - 1e-6 && vis.x1 <= OUTER.x1 + 1e-6);
    assert!(vis.y0 >= OUTER.y0 - 1e-6 && vis.y1 <= OUTER.y1 + 1e-6);
    assert!(vis.x0 <= REGION.x0 && vis.x1 >= REGION.x1 && vis.y0 <= REGION.y0 + 1e-6 && vis.y1 >= REGION.y1 - 1e-6);
    for _ in 0..50 {
        v.zoom_about(100.0, 100.0, 2.0);
    }
    assert!((v.scale() - MAX_SCALE).abs() < 1e-9, "cannot zoom in past city level");
    for _ in 0..50 {
        v.pan(1e5, -1e5);
    }
    assert!(REGION.contains(v.center.0, v.center.1));
    // Zooming about a point keeps it in place (away from the limits).
    let mut v = MapView::default();
    let (px, py) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    v.zoom_about(px, py, 3.0);
    let (qx, qy) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    assert!((px - qx).abs() < 1e-6 && (py - qy).abs() < 1e-6);
    // A very wide canvas may not zoom out to zoom 1 (it would leave OUTER).
    let w = MapView::new(3000.0, 500.0);
    assert!(w.min_zoom() > 1.0 && w.visible().x1 <= OUTER.x1 + 1e-6);
    // Pan moves content with the pointer.
    let mut v = MapView::default();
    v.zoom_about(640.0, 400.0, 4.0);
    let before = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    v.pan(10.0, -5.0);
    let after = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    assert!((after.0 - before.0 - 10.0).abs() < 1e-6 && (after.1 - before.1 + 5.0).abs() < 1e-6);
}

#[test]
fn ensure_visible_brings_points_on_screen() {
    let mut v = MapView::default();
    v.centered_on(ISLAMABAD.0, ISLAMABAD.1, 16.0);
    let (x, y) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    assert!((x - 640.0).abs() < 1e-6 && (y - 400.0).abs() < 1e-6);
    let on = |v: &MapView, p: (f64, f64)| {
        let (x, y) = v.to_screen(p.0, p.1);
        x >= 20.0 - 1e-6 && x <= v.width - 20.0 + 1e-6 && y >= 20.0 - 1e-6 && y <= v.height - 20.0 + 1e-6
    };
    assert!(!on(&v, KARACHI));
    let zoom = v.zoom;
    assert!(v.ensure_visible(&[KARACHI], 20.0));
    assert!(on(&v, KARACHI));
    assert_eq!(v.zoom, zoom, "panned, not zoomed");
    assert!(!v.ensure_visible(&[KARACHI], 20.0), "already visible");
    // Points too far apart for this zoom: zooms out to fit them.
    assert!(v.ensure_visible(&[KARACHI, MOSCOW], 20.0));
    assert!(on(&v, KARACHI) && on(&v, MOSCOW));
    // fit shows a lone point.
    v.fit_geo(&[TASHKENT], 20.0);
    assert!(on(&v, TASHKENT));
}

#[test]
fn place_index_finds_the_nearest_marker() {
    let v = MapView::default();
    let idx = PlaceIndex::new([(ISLAMABAD.0, ISLAMABAD.1, 6.0), (MOSCOW.0, MOSCOW.1, 10.0), (f64::NAN, 0.0, 5.0)]);
    assert_eq!(idx.len(), 2);
    let (px, py) = v.to_screen(MOSCOW.0, MOSCOW.1);
    assert_eq!(idx.hit(&v, px + 12.0, py, 4.0), Some(1));
    assert_eq!(idx.hit(&v, px + 20.0, py, 4.0), None);
    let (px, py) = v.to_screen(ISLAMABAD.0, ISLAMABAD.1);
    assert_eq!(idx.hit(&v, px, py - 3.0, 4.0), Some(0));
}

#[test]
fn labels_do_not_collide_and_focus_comes_first() {
    let g = GeoData::get();
    let v = MapView::default();
    let mut layout = LabelLayout::new(v.width, v.height);
    let labels = country_labels(g, &v, &mut layout);
    assert!(labels.len() >= 8, "{}", labels.len());
    assert_eq!(g.units[labels[0].unit].iso_n3, Some(PAKISTAN));
    assert_eq!(g.units[labels[1].unit].iso_n3, Some(RUSSIA));
    let rect = |l: &CountryLabel| {
        let w = text_width(&g.units[l.unit].name, l.size) / 2.0;
        Rect { x0: l.x - w, y0: l.y - l.size * 0.6, x1: l.x + w, y1: l.y + l.size * 0.6 }
    };
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(!rect(a).intersects(&rect(b)), "{} / {}", g.units[a.unit].name, g.units[b.unit].name);
        }
    }
    let pts = [(0, 100.0, 100.0, 5.0, "Karachi"), (1, 104.0, 100.0, 5.0, "Jamshoro"), (2, 600.0, 400.0, 5.0, "X")];
    let mut layout = LabelLayout::new(800.0, 600.0);
    let placed = point_labels(&pts, 11.0, &mut layout);
    assert_eq!(placed.len(), 3);
    assert_eq!(placed[0].side, Side::Right);
    assert_ne!(placed[1].side, Side::Right);
}

#[test]
fn legends_fit_their_texts_and_a_phone_in_every_language() {
    use crate::i18n::Msg;
    for lang in crate::lang::Lang::ALL {
        let tr = crate::timeline::tests::texts_in(lang);
        let w = legend_width_in(&tr, true, true);
        let need = 44.0 + text_width(tr.get(Msg::MapLegendDisputed), LEGEND_TEXT_SIZE);
        assert!(w >= need, "{lang:?}: legend {w} px, its disputed line's name needs {need}");
        // On a 390 px phone the legend block and the attribution leave room between them.
        let attribution = text_width(tr.get(Msg::MapAttribution), ATTRIBUTION_SIZE) + 12.0;
        assert!(w + attribution < 390.0 - 40.0, "{lang:?}: legend {w} px and attribution {attribution} px");
    }
    // English keeps the block it always had.
    assert_eq!(legend_width_in(&crate::i18n::Tr::english(false), true, true), LEGEND_WIDTH);
}
