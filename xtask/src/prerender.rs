//! The atlas's first view as static HTML in dist/index.html, so that something is on screen
//! before the WebAssembly arrives, and so that without JavaScript (or for a search engine or a
//! reader mode) the page is a complete, cited document: the header, the timeline, both charts
//! and the map as inline SVG drawn natively by the app's own `render::*` functions through
//! plotters' SVG backend, and every event with its date, summary and full citations.
//!
//! It mirrors the app's page (same elements, classes and texts, so the same layout: the app's
//! first frame moves nothing), with the app's controls inactive until it takes over and left
//! out without JavaScript ([`controls`]). The app removes `#prerender` in the same task as it
//! mounts (src/app/mod.rs), and `web/pre.js`, loaded synchronously in `<head>`, hides it
//! before the first paint when the address asks for anything but the default view. No element
//! in it carries an id but `#prerender`, so the two never share one.

use crate::util::Res;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use pakru_atlas::data::Category;
use pakru_atlas::data::{Atlas, Event};
use pakru_atlas::export::cite_text;
use pakru_atlas::export::font_sizes_as_canvas;
use pakru_atlas::i18n::{t, tf, tr, Msg};
use pakru_atlas::lang::Lang;
use pakru_atlas::map::{build, home_view, GeoData, MapInputs};
use pakru_atlas::render::charts::{draw_students_chart, draw_trade_chart, time_series};
use pakru_atlas::render::map::draw_map;
use pakru_atlas::render::timeline::{draw_timeline, TimelineDrawState};
use pakru_atlas::render::Theme;
use pakru_atlas::timeline::{full_range, layout};
use pakru_atlas::ui::escape_html as esc;
use plotters::prelude::*;
use std::fs;
use std::path::Path;

/// The size each figure is drawn at (CSS px); the page scales it to the view's box.
///
/// The timeline is drawn three times, at the proportions the app's canvas has (style/main.css)
/// on a phone (to 600 px wide: 340 px high, 303–370 px wide on 360–430 px screens), on a tablet
/// (601–1099 px: 380 px high, 718 × 380 on an 800-px screen, 686 on 768, 942 on 1024) and on a
/// desktop (from 1100 px: 27 % of the viewport's height, 1182 × 216 on 1280 × 800); the page
/// shows the one for its width. The app's timeline lays itself out for its size, so one drawing
/// scaled to another box would be another picture (on a phone, a 353 × 90 strip in the 340-px
/// box the app then fills; on an 800-px screen, a 718 × 131 strip in a 380-px one).
pub const TIMELINES: [(u32, u32, &str); 3] = [(353, 340, "pre-narrow"), (718, 380, "pre-mid"), (1180, 216, "pre-wide")];
/// The map's canvas on a 1280 × 800 screen, where the map is on the first screen and the static
/// map shows under the canvas until the map's first drawing (a phone has the map below its
/// first screen): drawn at 800 × 330, 8.5 % of the box's pixels changed at that drawing, now
/// 2.5 %.
pub const MAP: (u32, u32) = (769, 290);
pub const TRADE: (u32, u32) = (760, 440);
pub const STUDENTS: (u32, u32) = (760, 380);
/// The map's borders keep a vertex only every this many pixels (the canvas keeps one per
/// pixel): the simplification that keeps the first view within its byte budget. 10 since the
/// timeline is drawn for tablets too (8 before: −0.4 KiB brotli, −0.5 KiB gzip; the map's box
/// at 1280 × 800 then differs from the app's drawing in 2.8 % of its pixels, not 2.5 %).
pub const MAP_DETAIL_PX: i32 = 10;

/// An SVG document drawn by `f` on `size`, as an inline `<svg>` that scales to its box (the
/// plotters document without its XML prologue, with a viewBox and a class; in HTML an `<svg>`
/// needs no namespace, and it keeps its proportions by default).
fn svg(
    size: (u32, u32),
    class: &str,
    label: &str,
    f: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>),
) -> String {
    let body = compact(&drawn(size, f));
    format!(r#"<svg class="{class}" viewBox="0 0 {} {}" role="img" aria-label="{}">{body}"#, size.0, size.1, esc(label))
}

/// What plotters' SVG backend writes for `f` on `size`, after its `<svg …>` tag.
fn drawn(size: (u32, u32), f: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        f(&root);
        let _ = root.present();
    }
    let body = out.split_once("<svg").map(|(_, rest)| rest).unwrap_or("");
    body.split_once('>').map(|(_, rest)| rest).unwrap_or("").to_string()
}

/// plotters' SVG with the same geometry in fewer bytes: each `<polygon>` and `<polyline>`
/// becomes a `<path>` (lines drawn one after another with the same attributes: one path of
/// several parts) of relative moves (small numbers that compress well), without repeated
/// points or points in the middle of a horizontal or vertical run (the borders clipped at the
/// view's edge), and `opacity="1"`, `stroke="none"` and `stroke-width="1"` (the defaults;
/// plotters draws no group that a stroke could be inherited from) are left out. The map's
/// borders went from 72 KB to 50 KB so (index.html: −2.3 KiB brotli). Fills of one colour
/// drawn one after another are one path too; then [`grouped`] joins runs of rectangles, texts
/// and a filled circle with its outline (−0.2 KiB brotli, −0.4 KiB gzip for the three
/// timelines, the map and the charts).
fn compact(svg: &str) -> String {
    grouped(&joined(svg))
}

/// [`compact`]'s first pass: the shapes as paths, lines and fills joined, defaults left out.
fn joined(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    // The lines drawn one after another (paths without a fill or an opacity), as one path of
    // several parts for each set of attributes, in the order each set came first: (attributes,
    // end of the tag, the parts' data). Only where two such lines of different colours cross
    // can the order differ from plotters', by a pixel or two. Not with an opacity, which would
    // not darken where two parts overlap.
    let mut run: Vec<(String, String, String)> = Vec::new();
    let path = |attrs: &str, d: &str, end: &str| format!("<path {attrs} d=\"{d}\"{end}");
    let flush = |out: &mut String, run: &mut Vec<(String, String, String)>| {
        for (attrs, end, d) in run.drain(..) {
            out.push_str(&path(&attrs, &d, &end));
        }
    };
    // The fills drawn one after another with the same attributes (no opacity), as one path of
    // several parts: each part turns clockwise, so under SVG's nonzero rule the path fills
    // what the parts fill one by one (they are all of one colour). Only a run (at most one
    // entry): a fill of another colour drawn between them stays between them.
    let mut fills: Vec<(String, String, String)> = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find('<') {
        // White space between elements is not drawn.
        if !rest[..at].trim().is_empty() {
            flush(&mut out, &mut fills);
            flush(&mut out, &mut run);
            out.push_str(&rest[..at]);
        }
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let (tag, after) = rest.split_at(end);
        rest = after;
        let tag = font_sizes_as_canvas(&without_defaults(tag));
        let shape = ["<polygon ", "<polyline "].iter().position(|p| tag.starts_with(p));
        if let (Some(_), Some((attrs, d, end))) = (shape, path_of(&tag, shape == Some(0))) {
            let filled = !attrs.contains("fill=\"none\"");
            if filled && shape == Some(0) && !attrs.contains("opacity=") {
                flush(&mut out, &mut run);
                match fills.last_mut() {
                    Some((a, e, all)) if *a == attrs && *e == end => all.push_str(&d),
                    _ => {
                        flush(&mut out, &mut fills);
                        fills.push((attrs, end, d));
                    }
                }
                continue;
            }
            flush(&mut out, &mut fills);
            if filled || attrs.contains("opacity=") {
                flush(&mut out, &mut run);
                out.push_str(&path(&attrs, &d, &end));
            } else if let Some((_, _, all)) = run.iter_mut().find(|(a, e, _)| *a == attrs && *e == end) {
                all.push_str(&d);
            } else {
                run.push((attrs, end, d));
            }
            continue;
        }
        flush(&mut out, &mut fills);
        flush(&mut out, &mut run);
        out.push_str(&tag);
        // A text's content without the line breaks plotters puts around it (white space that
        // SVG drops anyway).
        if tag.starts_with("<text") {
            if let Some((text, after)) = rest.split_once("</text>") {
                out.push_str(text.trim());
                out.push_str("</text>");
                rest = after;
            }
        }
    }
    flush(&mut out, &mut fills);
    flush(&mut out, &mut run);
    out.push_str(rest.trim());
    out
}

/// The `name="value"` attributes of a start tag (`<rect x="1" …/>`), in order; `None` for
/// anything else.
fn attributes(tag: &str) -> Option<Vec<(&str, &str)>> {
    let body = tag.strip_prefix('<')?.trim_end_matches('>').trim_end_matches('/');
    let mut rest = body.split_once(' ')?.1;
    let mut out = Vec::new();
    while let Some((name, after)) = rest.trim_start().split_once("=\"") {
        let (value, after) = after.split_once('"')?;
        out.push((name, value));
        rest = after;
    }
    rest.trim().is_empty().then_some(out)
}

/// A filled `<circle>` (`tag`, its attributes `a`) that `next` outlines at once (the same
/// centre and radius, no fill, no opacity: how the timeline draws a mark) as one circle with
/// the fill and the outline (SVG paints an element's fill, then its stroke), and what follows
/// the outline.
fn filled_then_outlined<'a>(tag: &str, a: &[(&str, &str)], next: &'a str) -> Option<(String, &'a str)> {
    if !tag.starts_with("<circle ") || !next.starts_with("<circle ") {
        return None;
    }
    let end = next.find('>')? + 1;
    let b = attributes(&next[..end])?;
    let fill = attr(a, "fill").filter(|f| *f != "none")?;
    let outline = attr(&b, "fill") == Some("none") && attr(&b, "stroke").is_some();
    // Only these attributes: no opacity on either, no stroke on the fill.
    let filled_only = a.iter().map(|(n, _)| *n).eq(["cx", "cy", "r", "fill"]);
    let outline_only = b.iter().all(|(n, _)| ["cx", "cy", "r", "fill", "stroke", "stroke-width"].contains(n));
    let same = ["cx", "cy", "r"].iter().all(|k| attr(a, k) == attr(&b, k));
    if !(outline && filled_only && outline_only && same) {
        return None;
    }
    let strokes: String =
        b.iter().filter(|(n, _)| n.starts_with("stroke")).map(|(n, v)| format!(" {n}=\"{v}\"")).collect();
    let (cx, cy, r) = (attr(a, "cx")?, attr(a, "cy")?, attr(a, "r")?);
    Some((format!(r#"<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}"{strokes}/>"#), &next[end..]))
}

/// The value of attribute `k`.
fn attr<'a>(attrs: &[(&str, &'a str)], k: &str) -> Option<&'a str> {
    attrs.iter().find(|(n, _)| *n == k).map(|(_, v)| *v)
}

/// The attributes a `<g>` passes on to the texts in it (SVG's inherited presentation
/// attributes; not `opacity`, which a group applies to the group as a whole).
const INHERITED: [&str; 6] = ["font-family", "font-size", "font-style", "font-weight", "fill", "text-anchor"];

/// `compact`'s second pass, over its output (no white space between elements): each run of
/// `<rect>`s drawn one after another with the same other attributes is one `<path>` of one
/// part per rectangle (with an opacity, only while no two of them overlap: where they did, a
/// path would not darken), and each run of texts with the same font and colour is one `<g>`
/// holding them (each text keeps its place, its `dy` and any opacity). The timelines' grid
/// lines and the charts' bars were a `<rect>` each.
fn grouped(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    // The rectangles' run: their other attributes, their parts, their boxes.
    let mut rects: Option<(String, String, Vec<[f64; 4]>)> = None;
    // The texts' run: the inherited attributes, the texts without them, how many.
    let mut texts: Option<(String, String, String, usize)> = None;
    let end_rects = |out: &mut String, rects: &mut Option<(String, String, Vec<[f64; 4]>)>| {
        if let Some((attrs, d, _)) = rects.take() {
            out.push_str(&format!("<path{attrs} d=\"{d}\"/>"));
        }
    };
    // (inherited, the texts without them, the first text as it was, count)
    let end_texts = |out: &mut String, texts: &mut Option<(String, String, String, usize)>| match texts.take() {
        Some((_, _, one, 1)) => out.push_str(&one),
        Some((inherited, all, _, _)) => out.push_str(&format!("<g{inherited}>{all}</g>")),
        None => {}
    };
    let mut rest = svg;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let (before, tag) = (&rest[..at], &rest[at..end]);
        let mut next = &rest[end..];
        if !before.is_empty() {
            end_rects(&mut out, &mut rects);
            end_texts(&mut out, &mut texts);
            out.push_str(before);
        }
        let attrs = attributes(tag).unwrap_or_default();
        let get = |k: &str| attr(&attrs, k).and_then(|v| v.parse::<f64>().ok());
        let others = |skip: &dyn Fn(&str) -> bool| -> String {
            attrs.iter().filter(|(n, _)| !skip(n)).map(|(n, v)| format!(" {n}=\"{v}\"")).collect()
        };
        if let (true, Some(x), Some(y), Some(w), Some(h)) =
            (tag.starts_with("<rect ") && tag.ends_with("/>"), get("x"), get("y"), get("width"), get("height"))
        {
            end_texts(&mut out, &mut texts);
            let key = others(&|n| ["x", "y", "width", "height"].contains(&n));
            let b = [x, y, x + w, y + h];
            let overlaps = |o: &[f64; 4]| b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3];
            let joins = rects
                .as_ref()
                .is_some_and(|(k, _, boxes)| *k == key && !(key.contains(" opacity=") && boxes.iter().any(overlaps)));
            if !joins {
                end_rects(&mut out, &mut rects);
            }
            let (_, d, boxes) = rects.get_or_insert_with(|| (key, String::new(), Vec::new()));
            d.push_str(&format!("M{x} {y}h{w}v{h}h-{w}z"));
            boxes.push(b);
            rest = next;
            continue;
        }
        end_rects(&mut out, &mut rects);
        if let Some((both, after)) = filled_then_outlined(tag, &attrs, next) {
            end_texts(&mut out, &mut texts);
            out.push_str(&both);
            rest = after;
            continue;
        }
        let content = if tag.starts_with("<text ") { next.split_once("</text>") } else { None };
        match content.filter(|_| !attrs.is_empty()) {
            Some((text, after)) => {
                next = after;
                let inherited = others(&|n| !INHERITED.contains(&n));
                let own = format!("<text{}>{text}</text>", others(&|n| INHERITED.contains(&n)));
                if texts.as_ref().is_some_and(|(k, ..)| *k == inherited) {
                    if let Some((_, all, _, n)) = texts.as_mut() {
                        all.push_str(&own);
                        *n += 1;
                    }
                } else {
                    end_texts(&mut out, &mut texts);
                    texts = Some((inherited, own, format!("{tag}{text}</text>"), 1));
                }
            }
            None => {
                end_texts(&mut out, &mut texts);
                out.push_str(tag);
            }
        }
        rest = next;
    }
    end_rects(&mut out, &mut rects);
    end_texts(&mut out, &mut texts);
    out.push_str(rest);
    out
}

/// `tag` without the attributes that say what SVG's defaults say: `opacity="1"`,
/// `stroke="none"`, `stroke-width="1"`.
fn without_defaults(tag: &str) -> String {
    tag.replace(" opacity=\"1\"", "").replace(" stroke=\"none\"", "").replace(" stroke-width=\"1\"", "")
}

/// `<polygon …points="…"/>` or `<polyline …/>` as a `<path>` (see [`compact`]): its other
/// attributes, its data (`M x y l dx dy…`, `z` when closed) and the rest of its tag; `None` for
/// anything else, a point that is not two integers, or fewer than two points.
/// Twice the signed area of a closed shape (the shoelace formula): positive when it turns
/// clockwise on the screen (y down).
fn signed_area(pts: &[(i64, i64)]) -> i64 {
    pts.iter().zip(pts.iter().cycle().skip(1)).map(|(a, b)| a.0 * b.1 - b.0 * a.1).sum()
}

fn path_of(tag: &str, closed: bool) -> Option<(String, String, String)> {
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
    // Every shape turning the same way (see `compact`: fills of one colour in one path).
    if closed && signed_area(&pts) < 0 {
        pts.reverse();
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
    Some((attrs.to_string(), d, end.to_string()))
}

/// The timeline of the whole relationship, as the app first draws it on a canvas of `size`;
/// `class` says which screens show it (see [`TIMELINES`]).
pub fn timeline_svg(atlas: &Atlas, size: (u32, u32), class: &str) -> String {
    let range = full_range(atlas);
    let lay = layout(atlas, &range, size.0 as f64, size.1 as f64, &[]);
    let theme = Theme::light();
    svg(size, &format!("timeline-canvas {class}"), "Timeline of Pakistan–Russia relations by category", |root| {
        let _ = draw_timeline(root, &lay, &TimelineDrawState::default(), &theme);
    })
}

/// A `<button>` of the app, inactive.
fn off_button(class: &str, text: &str) -> String {
    format!(r#"<button type="button"{class} disabled>{}</button>"#, esc(text))
}

/// The app's controls, as its page has them (the same elements, classes and texts, so the same
/// boxes: the app's first frame moves nothing), for a page with JavaScript (`pre-js`: web/pre.js
/// marks the page; without JavaScript they are left out). Until the app takes over they are
/// visibly inactive (disabled, dimmed), except the language links, which work as they are: each
/// loads the page in its language.
struct Controls {
    header: String,
    filter: String,
    timeline_tools: String,
    map_tools: String,
}

fn controls(atlas: &Atlas) -> Controls {
    // `{from}` and `{to}` of the app's "Showing …" and "Years …" for the whole range.
    let (from, to) = full_range(atlas).shown_years();
    let (from, to) = (from.to_string(), to.to_string());
    let years = [("from", from.as_str()), ("to", to.as_str())];
    let langs: String = Lang::ALL
        .iter()
        .map(|l| {
            let k = l.key();
            let current = if *l == Lang::En { r#" aria-current="true""# } else { "" };
            format!(r#"<a lang="{k}" hreflang="{k}" href="?lang={k}"{current}>{}</a>"#, esc(l.name()))
        })
        .collect();
    let toggles: String = Category::ALL
        .iter()
        .map(|c| {
            let k = c.key();
            format!(
                r#"<li><button type="button" class="toggle" disabled><span class="swatch shape-{k}"></span>{}</button></li>"#,
                esc(tr().category(*c))
            )
        })
        .collect();
    let buttons = |msgs: &[Msg]| msgs.iter().map(|m| off_button("", t(*m))).collect::<String>();
    let speeds: String = ["½×", "1×", "2×", "4×"]
        .iter()
        .map(|s| format!("<option{}>{s}</option>", if *s == "1×" { " selected" } else { "" }))
        .collect();
    Controls {
        header: format!(
            r#"<nav class="lang-choice pre-js" aria-label="{}">{langs}</nav>{}"#,
            esc(t(Msg::AppLanguage)),
            off_button(r#" class="story-open pre-js""#, t(Msg::AppStory))
        ),
        filter: format!(
            r#"<div class="filter-bar pre-js"><label class="search"><span>{}</span><input type="search" placeholder="{}" disabled></label><ul class="category-toggles">{toggles}</ul></div>"#,
            esc(t(Msg::FilterSearch)),
            esc(t(Msg::FilterPlaceholder))
        ),
        timeline_tools: format!(
            r#"<div class="timeline-tools pre-js">{}<span class="range">{}</span></div>"#,
            buttons(&[Msg::TimelineZoomIn, Msg::TimelineZoomOut, Msg::TimelineReset]),
            esc(&tf(Msg::TimelineShowing, &years))
        ),
        map_tools: format!(
            r#"<div class="map-tools pre-js">{}<span class="player">{}<label>{} <select disabled>{speeds}</select></label><span class="play-year">{}</span></span></div>"#,
            buttons(&[Msg::MapZoomIn, Msg::MapZoomOut, Msg::MapReset]),
            buttons(&[Msg::PlayerPlay]),
            esc(t(Msg::PlayerSpeed)),
            esc(&tf(Msg::PlayerYears, &years))
        ),
    }
}

/// The map's home view with every place.
pub fn map_svg(atlas: &Atlas) -> String {
    let view = home_view(atlas, MAP.0 as f64, MAP.1 as f64);
    let range = full_range(atlas);
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
            format!(r#"<li>{}<br><small>{}</small></li>"#, esc(&cite_text(atlas, c)), esc(&full))
        })
        .collect();
    let note = e.note.as_ref().map(|n| format!(r#"<p><strong>Note: </strong>{}</p>"#, esc(n))).unwrap_or_default();
    format!(
        r#"<li><h3>{}</h3><p>{} · {}</p><p>{}</p>{note}<ol>{cites}</ol></li>"#,
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
    let student_cites = pakru_atlas::ui::students_source(atlas);
    let events: String = atlas.events.iter().map(|e| event_item(atlas, e)).collect();
    let sources = atlas.sources.iter().map(|s| esc(&s.short())).collect::<Vec<_>>().join("; ");
    let c = controls(atlas);
    let timelines: String = TIMELINES.iter().map(|&(w, h, class)| timeline_svg(atlas, (w, h), class)).collect();
    format!(
        r#"<div id="prerender" class="prerender"><header class="site-header"><h1>Pakistan–Russia Relations Atlas</h1>{ch}<p class="tagline">{n} dated events, agreements and figures of the relationship between Pakistan and the USSR/Russia, {first} to today — every fact cited.</p></header>
<main class="layout"><section class="panel timeline-panel"><h2>Timeline</h2>{cf}<div class="timeline-wrap">{ct}<div class="canvas-box">{timelines}</div><p class="help pre-js">{th}</p></div></section>
<section class="panel detail-panel"><h2>Event details</h2><p class="hint pre-js">{dh}</p><p class="hint pre-nojs">Every event, with its sources, is listed under “All events” below.</p></section>
<section class="panel map-panel"><h2>Map</h2><div class="map-wrap">{cm}<div class="canvas-box">{map}</div><p class="help pre-js">{mh}</p><p class="help pre-nojs">Borders: Natural Earth; disputed lines dashed, disputed areas hatched.</p><details class="map-text pre-js pre-hold"><summary>{ms}</summary></details></div></section>
<figure class="panel chart-panel trade-panel"><h2>Trade between Pakistan and Russia</h2>{trade}<figcaption class="source-line">{tc}</figcaption></figure>
<figure class="panel chart-panel students-panel"><h2>Pakistani students in Russian universities</h2>{students}<figcaption class="source-line">{sc}</figcaption></figure>
<section class="panel table-panel"><h2>All events</h2><ol class="pre-events">{events}</ol></section></main>
<footer class="site-footer"><p class="attribution">Sources: {sources}.</p></footer></div>"#,
        ch = c.header,
        cf = c.filter,
        ct = c.timeline_tools,
        cm = c.map_tools,
        th = esc(t(Msg::TimelineHelp)),
        mh = esc(t(Msg::MapHelp)),
        dh = esc(t(Msg::DetailEmptyHint)),
        ms = esc(t(Msg::MapTextSummary)),
        map = map_svg(atlas),
        tc = esc(&tf(Msg::ChartTradeSource, &[("source", &trade_cites)])),
        sc = esc(&tf(Msg::ChartStudentsSource, &[("source", &student_cites)])),
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
        assert_eq!(page.matches("<svg class=").count(), 3 + TIMELINES.len(), "the timelines, the map and both charts");
    }

    /// The prerendered timeline and a canvas showing the same scene draw the same primitives:
    /// the texts, and the circles (a filled circle outlined at once is one SVG element).
    #[test]
    fn the_svg_draws_the_scene_the_canvas_draws() {
        let a = atlas();
        let range = full_range(&a);
        for (w, h, class) in TIMELINES {
            let lay = layout(&a, &range, w as f64, h as f64, &[]);
            let rec =
                Recording::of((w, h), |root| draw_timeline(root, &lay, &TimelineDrawState::default(), &Theme::light()));
            let svg = timeline_svg(&a, (w, h), class);
            assert!(svg.contains(&format!(r#"viewBox="0 0 {w} {h}""#)), "{class}");
            let texts: Vec<String> = svg
                .split("<text")
                .skip(1)
                .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
                .collect();
            let recorded: Vec<String> = rec.texts().iter().map(|t| esc(t)).collect();
            assert_eq!(texts, recorded, "{class}");
            let circles = elements(&svg).iter().filter(|(n, ..)| n == "circle").count();
            assert_eq!(circles, rec.circles().len(), "{class}");
            assert!(svg.matches("<circle").count() < circles, "{class}: a fill and its outline are one circle");
            assert!(rec.circles().len() > 20, "{class}: the marks are drawn");
        }
    }

    /// The controls stand as the app has them, with its English texts, and none of them works
    /// before the app but the language links.
    #[test]
    fn the_controls_are_the_apps_and_inactive() {
        let a = atlas();
        let page = html(&a);
        for m in
            [Msg::FilterSearch, Msg::TimelineZoomIn, Msg::TimelineReset, Msg::MapReset, Msg::PlayerPlay, Msg::AppStory]
        {
            assert!(page.contains(&format!(">{}<", esc(t(m)))), "{m:?}");
        }
        for c in Category::ALL {
            assert!(page.contains(&format!("{}</button>", esc(tr().category(c)))), "{c:?}");
        }
        let buttons = page.matches("<button").count();
        assert_eq!(
            buttons,
            3 + 1 + Category::ALL.len() + 3 + 1,
            "story, the toggles, the timeline's and the map's tools, Play"
        );
        assert_eq!(page.matches(" disabled>").count(), buttons + 2, "every button, the search box and the speed");
        for l in Lang::ALL {
            assert!(page.contains(&format!(r#"href="?lang={}""#, l.key())), "{l:?}");
        }
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

    /// The map as plotters' SVG backend draws it for the static view (with the graticule,
    /// which the page leaves out: more lines to join).
    fn map_drawn(a: &Atlas) -> String {
        let view = home_view(a, MAP.0 as f64, MAP.1 as f64);
        let inputs = MapInputs {
            mask: &[],
            range: (1947.0, 2024.0),
            selected_event: None,
            selected_place: None,
            hovered_place: None,
        };
        let (mut layers, _) = build(a, &inputs);
        layers.detail_px = MAP_DETAIL_PX;
        drawn(MAP, |root| draw_map(root, GeoData::get(), &view, &layers, &Theme::light()).unwrap())
    }

    /// Every shape of the map keeps its geometry: the path's points are the shape's points in
    /// order, less only repeated points and points on the straight run between their neighbours.
    #[test]
    fn compacting_keeps_every_shape() {
        let raw = map_drawn(&atlas());
        let small = compact(&raw);
        assert!(small.len() * 10 < raw.len() * 7, "{} → {} bytes", raw.len(), small.len());
        assert!(!small.contains("<polygon") && !small.contains("<polyline") && !small.contains("opacity=\"1\""));
        let attrs_of = |shape: &str| {
            without_defaults(shape).split(" points=").next().unwrap().split_once(' ').unwrap().1.to_string()
        };
        let mut shapes: Vec<&str> =
            raw.split('<').filter(|t| t.starts_with("polygon ") || t.starts_with("polyline ")).collect();
        // Lines are joined by their attributes: compare in order within each set of attributes.
        shapes.sort_by_key(|s| attrs_of(s));
        // Each path's parts, one per shape, with the path's attributes.
        let paths: Vec<(&str, String)> = small
            .split('<')
            .filter(|t| t.starts_with("path "))
            .flat_map(|t| {
                let (attrs, d) = t.split_once(" d=\"").unwrap();
                let d = d.split('"').next().unwrap();
                d.split('M')
                    // Not the rectangles' parts (see `grouped`).
                    .filter(|p| !p.is_empty() && !p.contains('h'))
                    .map(move |p| (attrs.trim_start_matches("path "), format!("M{p}")))
            })
            .collect();
        let mut paths = paths;
        paths.sort_by_key(|(a, _)| a.to_string());
        assert_eq!(shapes.len(), paths.len());
        assert!(shapes.len() > 100, "the borders are drawn");
        let joined = small.matches("<path ").count();
        assert!(
            joined * 2 < paths.len(),
            "the lines drawn in a run are one path: {joined} paths for {} shapes",
            paths.len()
        );
        let mut dropped = 0;
        for (shape, (attrs, d)) in shapes.iter().zip(&paths) {
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
            let mut pts = pts;
            // A closed shape is written turning clockwise (`path_of`).
            if shape.starts_with("polygon ") && signed_area(&pts) < 0 {
                pts.reverse();
            }
            let (kept, closed) = points_of_path(d);
            assert_eq!(closed, shape.starts_with("polygon "));
            assert_eq!(*attrs, attrs_of(shape), "same attributes");
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
    fn compacting_shortens_texts() {
        assert_eq!(
            compact("<text x=\"1\" font-size=\"9.67741935483871\" fill=\"#000\">\n1950\n</text><text font-size=\"12\">a b</text>"),
            "<text x=\"1\" font-size=\"12\" fill=\"#000\">1950</text><text font-size=\"14.88\">a b</text>"
        );
    }

    /// An element: its name, its attributes (sorted by name), its text.
    type Element = (String, Vec<(String, String)>, String);

    /// The elements of an SVG as (name, attributes by name, text), with a `<g>`'s attributes
    /// given to each element in it and each part of a path of rectangles (`grouped`) as the
    /// `<rect>` it was.
    fn elements(svg: &str) -> Vec<Element> {
        let mut out = Vec::new();
        let mut group: Vec<(String, String)> = Vec::new();
        let mut rest = svg;
        while let Some(at) = rest.find('<') {
            let end = at + rest[at..].find('>').unwrap() + 1;
            let tag = &rest[at..end];
            rest = &rest[end..];
            let name = tag[1..].split([' ', '>', '/']).next().unwrap().to_string();
            let own = || -> Vec<(String, String)> {
                attributes(tag).unwrap_or_default().into_iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
            };
            match name.as_str() {
                "g" => {
                    // What SVG passes on from a group to the texts in it (presentation
                    // attributes that inherit); anything else stays the group's own.
                    let passed =
                        ["fill", "font-family", "font-size", "font-style", "font-weight", "stroke", "text-anchor"];
                    let (on, kept): (Vec<_>, Vec<_>) =
                        own().into_iter().partition(|(n, _)| passed.contains(&n.as_str()));
                    group = on;
                    if !kept.is_empty() {
                        out.push((name, kept, String::new()));
                    }
                }
                "" => group.clear(), // </g>
                "text" => {
                    let (text, after) = rest.split_once("</text>").unwrap();
                    rest = after;
                    let mut a = own();
                    a.extend(group.iter().cloned());
                    a.sort();
                    out.push((name, a, text.to_string()));
                }
                "path" if own().iter().any(|(n, v)| n == "d" && v.contains('h')) => {
                    let a = own();
                    let d = &a.iter().find(|(n, _)| n == "d").unwrap().1;
                    for part in d.split('M').filter(|p| !p.is_empty()) {
                        let (xy, whz) = part.split_once('h').unwrap();
                        let (x, y) = xy.split_once(' ').unwrap();
                        let (w, rest) = whz.split_once('v').unwrap();
                        let (h, back) = rest.split_once('h').unwrap();
                        assert_eq!(back, format!("-{w}z"), "{part}");
                        let mut r: Vec<(String, String)> = a.iter().filter(|(n, _)| n != "d").cloned().collect();
                        for (n, v) in [("x", x), ("y", y), ("width", w), ("height", h)] {
                            r.push((n.to_string(), v.to_string()));
                        }
                        r.sort();
                        out.push(("rect".to_string(), r, String::new()));
                    }
                }
                // A filled and outlined circle is the fill, then the outline (plotters draws
                // each of its own).
                "circle"
                    if own().iter().any(|(n, v)| n == "fill" && v != "none")
                        && own().iter().any(|(n, _)| n == "stroke") =>
                {
                    let a = own();
                    let mut fill: Vec<_> = a.iter().filter(|(n, _)| !n.starts_with("stroke")).cloned().collect();
                    let mut line: Vec<_> = a.iter().filter(|(n, _)| n != "fill").cloned().collect();
                    line.push(("fill".to_string(), "none".to_string()));
                    fill.sort();
                    line.sort();
                    out.push((name.clone(), fill, String::new()));
                    out.push((name, line, String::new()));
                }
                _ => {
                    let mut a = own();
                    a.sort();
                    out.push((name, a, String::new()));
                }
            }
        }
        out
    }

    /// Every rectangle, text and circle of the timelines, the map and the charts is drawn as
    /// before `grouped`, in the same order, with the same attributes: fewer bytes, the same
    /// picture.
    #[test]
    fn grouping_keeps_every_rectangle_and_text() {
        let a = atlas();
        let theme = Theme::light();
        let mut raw: Vec<String> = TIMELINES
            .iter()
            .map(|&(w, h, _)| {
                let lay = layout(&a, &full_range(&a), w as f64, h as f64, &[]);
                drawn((w, h), |root| {
                    let _ = draw_timeline(root, &lay, &TimelineDrawState::default(), &theme);
                })
            })
            .collect();
        let series = time_series(&a.series, "USD million");
        raw.push(drawn(TRADE, |root| {
            let _ = draw_trade_chart(root, &series, &[], &theme);
        }));
        raw.push(drawn(STUDENTS, |root| {
            let _ = draw_students_chart(root, &a.students, &[], &theme);
        }));
        raw.push(map_drawn(&a));
        let (mut rects, mut texts, mut circles) = (0, 0, 0);
        for raw in &raw {
            let flat = joined(raw);
            assert!(!flat.contains("<g"), "plotters draws no group of its own");
            let (before, after) = (elements(&flat), elements(&grouped(&flat)));
            assert_eq!(after, before);
            assert!(grouped(&flat).len() < flat.len());
            let count = |n: &str| before.iter().filter(|e| e.0 == n).count();
            (rects, texts, circles) = (rects + count("rect"), texts + count("text"), circles + count("circle"));
        }
        assert!(rects > 50 && texts > 100 && circles > 100, "{rects} rectangles, {texts} texts, {circles} circles");
        // Runs end where the attributes change; with an opacity, where two would overlap.
        assert_eq!(
            grouped(
                r##"<rect x="0" y="0" width="2" height="2" fill="#F00"/><rect x="2" y="0" width="2" height="2" fill="#F00"/><rect x="0" y="0" width="1" height="1" fill="#00F"/><rect x="1" y="1" width="1" height="1" fill="#F00"/>"##
            ),
            r##"<path fill="#F00" d="M0 0h2v2h-2zM2 0h2v2h-2z"/><path fill="#00F" d="M0 0h1v1h-1z"/><path fill="#F00" d="M1 1h1v1h-1z"/>"##
        );
        assert_eq!(
            grouped(
                r#"<rect x="0" y="0" width="2" height="2" opacity="0.5"/><rect x="1" y="1" width="2" height="2" opacity="0.5"/><rect x="5" y="0" width="1" height="1" opacity="0.5"/>"#
            ),
            r#"<path opacity="0.5" d="M0 0h2v2h-2z"/><path opacity="0.5" d="M1 1h2v2h-2zM5 0h1v1h-1z"/>"#
        );
        // A filled circle outlined at once is one circle; not with an opacity, nor another one.
        let fill = r##"<circle cx="1" cy="2" r="3" fill="#B8D8E9"/>"##;
        let line = r##"<circle cx="1" cy="2" r="3" fill="none" stroke="#0072B2" stroke-width="2"/>"##;
        assert_eq!(
            grouped(&[fill, line, fill].concat()),
            [r##"<circle cx="1" cy="2" r="3" fill="#B8D8E9" stroke="#0072B2" stroke-width="2"/>"##, fill].concat()
        );
        for other in [line.replace("r=\"3\"", "r=\"4\""), line.replace("/>", " opacity=\"0.5\"/>")] {
            assert_eq!(grouped(&[fill, &other].concat()), [fill, &other].concat());
        }
        assert_eq!(grouped(&[line, fill].concat()), [line, fill].concat());
        assert_eq!(
            grouped(
                r#"<text x="1" font-size="12" fill="red">a</text><text x="2" font-size="12" fill="red" opacity="0.5">b</text><text x="3" font-size="10" fill="red">c</text>"#
            ),
            r#"<g font-size="12" fill="red"><text x="1">a</text><text x="2" opacity="0.5">b</text></g><text x="3" font-size="10" fill="red">c</text>"#
        );
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
        // Lines in a run with the same attributes are one path, and so are fills of one colour
        // one after another; lines with an opacity and lines with other attributes are not
        // joined; a run of lines ends at anything else.
        assert_eq!(
            compact(
                "<polyline fill=\"none\" points=\"0,0 1,1\"/>\n<polyline fill=\"none\" points=\"5,5 6,6\"/>\n<polygon fill=\"red\" points=\"0,0 1,0 1,1\"/>\n<polygon fill=\"red\" points=\"2,0 3,0 3,1\"/>\n<polyline fill=\"none\" opacity=\"0.5\" points=\"0,0 1,1\"/>\n<polyline fill=\"none\" opacity=\"0.5\" points=\"2,2 3,3\"/>\n<polyline fill=\"none\" stroke=\"#000\" points=\"0,0 1,1\"/>"
            ),
            "<path fill=\"none\" d=\"M0 0l1 1M5 5l1 1\"/><path fill=\"red\" d=\"M0 0l1 0 0 1zM2 0l1 0 0 1z\"/><path fill=\"none\" opacity=\"0.5\" d=\"M0 0l1 1\"/><path fill=\"none\" opacity=\"0.5\" d=\"M2 2l1 1\"/><path fill=\"none\" stroke=\"#000\" d=\"M0 0l1 1\"/>"
        );
    }

    /// Fills of one colour drawn one after another are one path, each part turning clockwise
    /// (a shape drawn the other way round is reversed); a fill of another colour, or with an
    /// opacity, between them ends the run.
    #[test]
    fn compacting_joins_a_run_of_fills() {
        let p = |c: &str, pts: &str| format!(r#"<polygon fill="{c}" points="{pts}"/>"#);
        let svg = [p("red", "0,0 1,0 1,1"), p("red", "5,5 5,6 6,6"), p("blue", "0,0 1,0 1,1"), p("red", "7,7 8,7 8,8")]
            .concat();
        assert_eq!(
            compact(&svg),
            r#"<path fill="red" d="M0 0l1 0 0 1zM6 6l-1 0 0-1z"/><path fill="blue" d="M0 0l1 0 0 1z"/><path fill="red" d="M7 7l1 0 0 1z"/>"#
        );
        assert!(signed_area(&[(0, 0), (1, 0), (1, 1)]) > 0 && signed_area(&[(0, 0), (0, 1), (1, 1)]) < 0);
        let faint = r#"<polygon fill="red" opacity="0.5" points="0,0 1,0 1,1"/>"#;
        assert_eq!(compact(&[faint, faint].concat()).matches("<path").count(), 2);
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
