//! The atlas's first view as static HTML in dist/index.html, so that something is on screen
//! before the WebAssembly arrives, and so that without JavaScript (or for a search engine or a
//! reader mode) the page is a complete, cited document: the header, the timeline, both charts
//! and the map as inline SVG drawn natively by the app's own `render::*` functions through
//! plotters' SVG backend, and every event with its date, summary and full citations.
//!
//! It mirrors the app's page (same classes, so the same layout); controls that need the app are
//! absent. The app removes `#prerender` in the same task as it mounts (src/main.rs), and
//! `web/pre.js`, loaded synchronously in `<head>`, hides it before the first paint when the
//! address asks for anything but the default view. No element in it carries an id but
//! `#prerender`, so the two never share one.

use crate::util::Res;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use pakru_atlas::data::{Atlas, Event};
use pakru_atlas::export::cite_text;
use pakru_atlas::map::{build, home_view, GeoData, MapInputs};
use pakru_atlas::render::charts::{draw_students_chart, draw_trade_chart, time_series};
use pakru_atlas::render::map::draw_map;
use pakru_atlas::render::timeline::{draw_timeline, TimelineDrawState};
use pakru_atlas::render::Theme;
use pakru_atlas::timeline::{layout, Limits, TimeRange};
use pakru_atlas::ui::escape_html as esc;
use plotters::prelude::*;
use std::fs;
use std::path::Path;

/// The size each figure is drawn at (CSS px); the page scales it to the view's box.
pub const TIMELINE: (u32, u32) = (1180, 300);
pub const MAP: (u32, u32) = (800, 330);
pub const TRADE: (u32, u32) = (760, 440);
pub const STUDENTS: (u32, u32) = (760, 380);
/// The map's borders keep a vertex only every this many pixels (the canvas keeps one per
/// pixel): the simplification that keeps the first view within its byte budget.
pub const MAP_DETAIL_PX: i32 = 6;

/// An SVG document drawn by `f` on `size`, as an inline `<svg>` that scales to its box (the
/// plotters document without its XML prologue, with a viewBox and a class).
fn svg(
    size: (u32, u32),
    class: &str,
    label: &str,
    f: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>),
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        f(&root);
        let _ = root.present();
    }
    let body = out.split_once("<svg").map(|(_, rest)| rest).unwrap_or("");
    let body = compact(body.split_once('>').map(|(_, rest)| rest).unwrap_or(""));
    format!(
        r#"<svg class="{class}" viewBox="0 0 {} {}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">{body}"#,
        size.0,
        size.1,
        esc(label)
    )
}

/// plotters' SVG with the same geometry in fewer bytes: each `<polygon>` and `<polyline>`
/// becomes a `<path>` of relative moves (small numbers that compress well), without repeated
/// points or points in the middle of a horizontal or vertical run (the borders clipped at the
/// view's edge), and `opacity="1"`, `stroke="none"` and `stroke-width="1"` (the defaults;
/// plotters draws no group that a stroke could be inherited from) are left out. The map's borders went from 72 KB to
/// 50 KB so (index.html: −2.3 KiB brotli).
fn compact(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let (tag, after) = rest.split_at(end);
        rest = after;
        let tag = without_defaults(tag);
        let shape = ["<polygon ", "<polyline "].iter().position(|p| tag.starts_with(p));
        match (shape, path_of(&tag, shape == Some(0))) {
            (Some(_), Some(path)) => out.push_str(&path),
            _ => out.push_str(&tag),
        }
    }
    out.push_str(rest);
    out
}

/// `tag` without the attributes that say what SVG's defaults say: `opacity="1"`,
/// `stroke="none"`, `stroke-width="1"`.
fn without_defaults(tag: &str) -> String {
    tag.replace(" opacity=\"1\"", "").replace(" stroke=\"none\"", "").replace(" stroke-width=\"1\"", "")
}

/// `<polygon …points="…"/>` or `<polyline …/>` as a `<path>` (see [`compact`]); `None` for
/// anything else, a point that is not two integers, or fewer than two points.
fn path_of(tag: &str, closed: bool) -> Option<String> {
    let (head, tail) = tag.split_once(" points=\"")?;
    let (points, end) = tail.split_once('"')?;
    let attrs = head.split_once(' ').map_or("", |(_, a)| a);
    let mut pts: Vec<(i64, i64)> = Vec::new();
    for p in points.split_whitespace() {
        let (x, y) = p.split_once(',')?;
        let q = (x.parse().ok()?, y.parse().ok()?);
        if pts.last() == Some(&q) {
            continue;
        }
        if let [.., a, b] = pts[..] {
            let between = |a: i64, b: i64, c: i64| a.min(c) <= b && b <= a.max(c);
            if (a.0 == b.0 && b.0 == q.0 && between(a.1, b.1, q.1))
                || (a.1 == b.1 && b.1 == q.1 && between(a.0, b.0, q.0))
            {
                *pts.last_mut()? = q;
                continue;
            }
        }
        pts.push(q);
    }
    if pts.len() < 2 {
        return None;
    }
    let mut d = format!("M{} {}l", pts[0].0, pts[0].1);
    for (i, w) in pts.windows(2).enumerate() {
        for (j, v) in [w[1].0 - w[0].0, w[1].1 - w[0].1].into_iter().enumerate() {
            // A minus sign separates numbers by itself.
            if (i, j) != (0, 0) && v >= 0 {
                d.push(' ');
            }
            d.push_str(&v.to_string());
        }
    }
    if closed {
        d.push('z');
    }
    Some(format!("<path {attrs} d=\"{d}\"{end}"))
}

/// The timeline of the whole relationship, as the app first draws it.
pub fn timeline_svg(atlas: &Atlas) -> String {
    let (lo, hi) = atlas.year_range();
    let range = TimeRange::full(Limits::covering(lo, hi));
    let lay = layout(atlas, &range, TIMELINE.0 as f64, TIMELINE.1 as f64, &[]);
    let theme = Theme::light();
    svg(TIMELINE, "timeline-canvas", "Timeline of Pakistan–Russia relations by category", |root| {
        let _ = draw_timeline(root, &lay, &TimelineDrawState::default(), &theme);
    })
}

/// The map's home view with every place.
pub fn map_svg(atlas: &Atlas) -> String {
    let view = home_view(atlas, MAP.0 as f64, MAP.1 as f64);
    let (lo, hi) = atlas.year_range();
    let range = TimeRange::full(Limits::covering(lo, hi));
    let input = MapInputs {
        mask: &[],
        range: (range.start, range.end),
        selected_event: None,
        selected_place: None,
        hovered_place: None,
    };
    let (mut layers, _) = build(atlas, &input);
    layers.detail_px = MAP_DETAIL_PX;
    // No graticule: its curved parallels are bytes the first view does not need.
    layers.graticule = false;
    let theme = Theme::light();
    svg(MAP, "map-canvas", "Map of the places of Pakistan–Russia relations, with Table 2 student numbers", |root| {
        let _ = draw_map(root, GeoData::get(), &view, &layers, &theme);
    })
}

fn event_item(atlas: &Atlas, e: &Event) -> String {
    let cites: String = e
        .sources
        .iter()
        .map(|c| {
            let full = atlas.source(&c.source).map(|s| s.reference()).unwrap_or_default();
            format!(
                r#"<li><span class="cite-short">{}</span><br><span class="cite-full">{}</span></li>"#,
                esc(&cite_text(atlas, c)),
                esc(&full)
            )
        })
        .collect();
    let note = e
        .note
        .as_ref()
        .map(|n| format!(r#"<p class="detail-note"><strong>Note: </strong>{}</p>"#, esc(n)))
        .unwrap_or_default();
    format!(
        r#"<li class="pre-event"><h3>{}</h3><p class="detail-meta">{} · {}</p><p>{}</p>{note}<ol class="citations">{cites}</ol></li>"#,
        esc(&e.title),
        esc(&e.date_label()),
        esc(e.category.get().label()),
        esc(&e.summary)
    )
}

/// The whole static first view.
pub fn html(atlas: &Atlas) -> String {
    let n = atlas.events.len();
    let first = atlas.events.first().map(|e| e.start().year).unwrap_or(1947);
    let theme = Theme::light();
    let series = time_series(&atlas.series, "USD million");
    let trade = svg(TRADE, "chart", "Line chart of trade in USD million by year", |root| {
        let _ = draw_trade_chart(root, &series, &[], &theme);
    });
    let students = svg(STUDENTS, "chart tall", "Bar chart of Pakistani students by university", |root| {
        let _ = draw_students_chart(root, &atlas.students, &[], &theme);
    });
    let trade_cites =
        pakru_atlas::ui::unique_cites(atlas, series.iter().flat_map(|s| s.points.iter().map(|p| &p.source)));
    let student_cites = pakru_atlas::ui::unique_cites(atlas, atlas.students.iter().map(|r| &r.source));
    let events: String = atlas.events.iter().map(|e| event_item(atlas, e)).collect();
    let sources = atlas.sources.iter().map(|s| esc(&s.short())).collect::<Vec<_>>().join("; ");
    format!(
        r#"<div id="prerender" class="prerender"><header class="site-header"><h1>Pakistan–Russia Relations Atlas</h1><p class="tagline">{n} dated events, agreements and figures of the relationship between Pakistan and the USSR/Russia, {first} to today — every fact cited.</p></header>
<main class="layout"><section class="panel timeline-panel"><h2>Timeline</h2><div class="canvas-box">{tl}</div></section>
<section class="panel detail-panel"><h2>Event details</h2><p class="hint">Every event, with its sources, is listed under “All events” below.</p></section>
<section class="panel map-panel"><h2>Map</h2><div class="canvas-box">{map}</div><p class="help">Borders: Natural Earth; disputed lines dashed, disputed areas hatched.</p></section>
<figure class="panel chart-panel trade-panel"><h2>Trade between Pakistan and Russia</h2>{trade}<figcaption class="source-line">Source: {tc}. Figures on different bases are not joined.</figcaption></figure>
<figure class="panel chart-panel students-panel"><h2>Pakistani students in Russian universities</h2>{students}<figcaption class="source-line">Source: {sc}. University names as written in the source; normalised forms in brackets.</figcaption></figure>
<section class="panel table-panel"><h2>All events</h2><ol class="pre-events">{events}</ol></section></main>
<footer class="site-footer"><p class="attribution">Sources: {sources}.</p></footer></div>"#,
        tl = timeline_svg(atlas),
        map = map_svg(atlas),
        tc = esc(&trade_cites),
        sc = esc(&student_cites),
    )
}

/// `index` with the static first view as the first thing in `<body>` (an earlier one replaced).
pub fn insert(index: &str, first_view: &str) -> Res<String> {
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("div#prerender", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("body", |el| {
            el.prepend(first_view, ContentType::Html);
            Ok(())
        }));
    rewrite_str(index, settings).map_err(|e| format!("dist/index.html: {e}"))
}

/// Writes the first view of the embedded data into `dist/index.html`; returns its size in bytes.
pub fn write_into(dist: &Path) -> Res<usize> {
    let atlas =
        pakru_atlas::data::load_embedded().map_err(|e| format!("the embedded data has {} problem(s)", e.len()))?;
    let path = dist.join("index.html");
    let index = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let first_view = html(&atlas);
    fs::write(&path, insert(&index, &first_view)?).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(first_view.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pakru_atlas::render::recording::Recording;

    fn atlas() -> Atlas {
        pakru_atlas::data::load_embedded().expect("embedded data")
    }

    #[test]
    fn every_event_is_there_with_its_citations() {
        let a = atlas();
        let page = html(&a);
        for e in &a.events {
            assert!(page.contains(&esc(&e.title)), "{}", e.id);
            for c in &e.sources {
                assert!(page.contains(&esc(&cite_text(&a, c))), "{}: {}", e.id, c.locator);
            }
        }
        assert_eq!(page.matches(" id=\"").count(), 1, "only #prerender has an id");
        assert_eq!(page.matches("<svg class=").count(), 4, "timeline, map and both charts");
    }

    /// The prerendered timeline and a canvas showing the same scene draw the same primitives:
    /// the texts, and one SVG element per drawn circle.
    #[test]
    fn the_svg_draws_the_scene_the_canvas_draws() {
        let a = atlas();
        let (lo, hi) = a.year_range();
        let range = TimeRange::full(Limits::covering(lo, hi));
        let lay = layout(&a, &range, TIMELINE.0 as f64, TIMELINE.1 as f64, &[]);
        let rec =
            Recording::of(TIMELINE, |root| draw_timeline(root, &lay, &TimelineDrawState::default(), &Theme::light()));
        let svg = timeline_svg(&a);
        let texts: Vec<String> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
            .collect();
        let recorded: Vec<String> = rec.texts().iter().map(|t| esc(t)).collect();
        assert_eq!(texts, recorded);
        assert_eq!(svg.matches("<circle").count(), rec.circles().len());
        assert!(rec.circles().len() > 20, "the marks are drawn");
    }

    /// The absolute points of a path `compact` wrote, and whether it is closed.
    fn points_of_path(d: &str) -> (Vec<(i64, i64)>, bool) {
        let (start, moves) = d.trim_start_matches('M').split_once('l').unwrap();
        let (x, y) = start.split_once(' ').unwrap();
        let mut at = (x.parse::<i64>().unwrap(), y.parse::<i64>().unwrap());
        let closed = moves.ends_with('z');
        let nums: Vec<i64> =
            moves.trim_end_matches('z').replace('-', " -").split_whitespace().map(|n| n.parse().unwrap()).collect();
        let mut pts = vec![at];
        for m in nums.chunks(2) {
            at = (at.0 + m[0], at.1 + m[1]);
            pts.push(at);
        }
        (pts, closed)
    }

    /// Every shape of the map keeps its geometry: the path's points are the shape's points in
    /// order, less only repeated points and points on the straight run between their neighbours.
    #[test]
    fn compacting_keeps_every_shape() {
        let a = atlas();
        let view = home_view(&a, MAP.0 as f64, MAP.1 as f64);
        let (mut layers, _) = build(
            &a,
            &MapInputs {
                mask: &[],
                range: (1947.0, 2024.0),
                selected_event: None,
                selected_place: None,
                hovered_place: None,
            },
        );
        layers.detail_px = MAP_DETAIL_PX;
        let mut raw = String::new();
        {
            let root = SVGBackend::with_string(&mut raw, MAP).into_drawing_area();
            draw_map(&root, GeoData::get(), &view, &layers, &Theme::light()).unwrap();
            root.present().unwrap();
        }
        let small = compact(&raw);
        assert!(small.len() * 10 < raw.len() * 7, "{} → {} bytes", raw.len(), small.len());
        assert!(!small.contains("<polygon") && !small.contains("<polyline") && !small.contains("opacity=\"1\""));
        let shapes: Vec<&str> =
            raw.split('<').filter(|t| t.starts_with("polygon ") || t.starts_with("polyline ")).collect();
        let paths: Vec<&str> = small.split('<').filter(|t| t.starts_with("path ")).collect();
        assert_eq!(shapes.len(), paths.len());
        assert!(shapes.len() > 100, "the borders are drawn");
        let mut dropped = 0;
        for (shape, path) in shapes.iter().zip(&paths) {
            let pts: Vec<(i64, i64)> = shape
                .split_once("points=\"")
                .unwrap()
                .1
                .split('"')
                .next()
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            let (kept, closed) = points_of_path(path.split_once(" d=\"").unwrap().1.split('"').next().unwrap());
            assert_eq!(closed, shape.starts_with("polygon "));
            assert_eq!(
                path.split(" d=").next().unwrap().trim_start_matches("path "),
                without_defaults(shape).split(" points=").next().unwrap().split_once(' ').unwrap().1,
                "same attributes"
            );
            // Walk the original points: each is the next kept point, or lies on the segment
            // from the last kept point to the next one.
            let mut k = 0;
            for p in &pts {
                if *p == kept[k] {
                    continue;
                }
                if k + 1 < kept.len() && *p == kept[k + 1] {
                    k += 1;
                    continue;
                }
                let (a, b) = (kept[k], kept[(k + 1).min(kept.len() - 1)]);
                let on = (a.0 == b.0 && p.0 == a.0 && a.1.min(b.1) <= p.1 && p.1 <= a.1.max(b.1))
                    || (a.1 == b.1 && p.1 == a.1 && a.0.min(b.0) <= p.0 && p.0 <= a.0.max(b.0));
                assert!(on, "{p:?} is not on {a:?}–{b:?}");
                dropped += 1;
            }
            assert_eq!(k, kept.len() - 1, "every kept point is an original one, in order");
        }
        assert!(dropped > 0, "the clipped runs were shortened");
    }

    #[test]
    fn compacting_leaves_other_elements_and_odd_shapes_alone() {
        let svg = r#"<rect x="0" opacity="1" stroke="none" stroke-width="1"/><polygon fill="red" points="1,2 x,3"/><polyline points="5,5"/><text opacity="0.5">a &lt; b</text>"#;
        assert_eq!(
            compact(svg),
            r#"<rect x="0"/><polygon fill="red" points="1,2 x,3"/><polyline points="5,5"/><text opacity="0.5">a &lt; b</text>"#
        );
        assert_eq!(
            compact(r#"<polyline fill="none" points="10,0 4,0 4,-3 4,-3 4,-8"/>"#),
            r#"<path fill="none" d="M10 0l-6 0 0-8"/>"#
        );
    }

    #[test]
    fn inserting_again_replaces_the_first_view() {
        let index = "<html><head></head><body><noscript>x</noscript></body></html>";
        let once = insert(index, "<div id=\"prerender\">A</div>").unwrap();
        assert_eq!(once, "<html><head></head><body><div id=\"prerender\">A</div><noscript>x</noscript></body></html>");
        let twice = insert(&once, "<div id=\"prerender\">B</div>").unwrap();
        assert_eq!(twice, "<html><head></head><body><div id=\"prerender\">B</div><noscript>x</noscript></body></html>");
    }
}
