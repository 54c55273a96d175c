//! Tests of the charts, on what they draw (recorded primitives), and of their SVG export.
//!
//! [`well_formed_svg`] checks an SVG document as plotters' SVG backend writes it; the other
//! views' tests use it for their SVG export too.

use super::axes::SERIES_COLORS;
use super::*;
use crate::data::{Citation, Series, SeriesPoint, StudentRow};
use crate::render::recording::{Drawn, Recording};
use crate::render::Theme;
use plotters::prelude::*;

fn cite() -> Citation {
    Citation { source: "s".into(), locator: "§4.3".into(), cited_in: None }
}

fn series(id: &str, pts: &[(f64, f64, bool)]) -> Series {
    Series {
        id: id.into(),
        title: format!("Series {id}"),
        unit: "USD million".into(),
        basis: "calendar year".into(),
        note: None,
        points: pts
            .iter()
            .map(|&(at, value, lower_bound)| SeriesPoint {
                label: format!("{}", at as i32),
                at: Some(at),
                value,
                lower_bound,
                source: cite(),
                note: None,
            })
            .collect(),
    }
}

fn student_rows(n: u8) -> Vec<StudentRow> {
    (1..=n)
        .map(|i| StudentRow {
            id: format!("r{i}"),
            row: i,
            university_as_written: format!("Uni {i}"),
            university: None,
            place: "p".into(),
            city: "c".into(),
            students: 10 * i as u32,
            source: cite(),
        })
        .collect()
}

const SIZE: (u32, u32) = (800, 360);

/// The stroke width of a stroked primitive (line, path, outlined circle); `None` for fills
/// and texts.
fn stroke_width(d: &Drawn) -> Option<u32> {
    match d {
        Drawn::Line { width, .. } | Drawn::Path { width, .. } => Some(*width),
        Drawn::Circle { filled: false, width, .. } => Some(*width),
        _ => None,
    }
}

/// Texts drawn, with where they were drawn.
fn texts_at(rec: &Recording) -> Vec<(&str, (i32, i32))> {
    rec.drawn
        .iter()
        .filter_map(|d| match d {
            Drawn::Text { text, at, .. } => Some((text.as_str(), *at)),
            _ => None,
        })
        .collect()
}

#[test]
fn ticks_are_round_and_within_the_range() {
    assert_eq!(nice_ticks(1997.0, 2025.0, 10), vec![2000.0, 2005.0, 2010.0, 2015.0, 2020.0, 2025.0]);
    assert_eq!(nice_ticks(0.0, 1150.0, 6), vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
    assert_eq!(nice_ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert!(nice_ticks(5.0, 5.0, 5).is_empty());
    assert!(nice_ticks(0.0, f64::INFINITY, 5).is_empty());
    for max in 1..12 {
        assert!(nice_ticks(1947.3, 2026.9, max).len() <= max + 1);
    }
}

#[test]
fn thousands() {
    assert_eq!(group_thousands(1000.0), "1,000");
    assert_eq!(group_thousands(520.0), "520");
    assert_eq!(group_thousands(1234567.0), "1,234,567");
    assert_eq!(point_label(1000.0, true), "> 1,000");
}

#[test]
fn trade_chart_labels_every_point_and_the_units() {
    let a = series("a", &[(1998.5, 50.0, false), (2002.5, 100.0, false), (2006.5, 520.0, false)]);
    let b = series("b", &[(2023.5, 1000.0, true)]);
    let theme = Theme::light();
    let rec = Recording::of(SIZE, |root| draw_trade_chart(root, &[&a, &b], &[], &theme));
    let texts = rec.texts();
    for label in ["50", "100", "520", "> 1,000", "USD million", "Year"] {
        assert!(texts.contains(&label), "missing {label} in {texts:?}");
    }
    assert!(texts.iter().any(|t| t.starts_with("Series a")));
    // Series a is joined by one opaque polyline 2 px wide through its three points; the lone
    // lower bound of b is not joined to anything.
    let (blue, orange) = (series_color(0, &theme), series_color(1, &theme));
    let series_lines: Vec<&Drawn> = rec
        .drawn
        .iter()
        .filter(|d| matches!(d, Drawn::Path { ink, width: 2, .. } if ink.is(blue) && ink.alpha == 1.0))
        .collect();
    assert_eq!(series_lines.len(), 1, "{series_lines:?}");
    assert!(matches!(series_lines[0], Drawn::Path { points, .. } if points.len() == 3));
    let b_strokes: Vec<&Drawn> =
        rec.drawn.iter().filter(|d| d.ink().is(orange) && stroke_width(d) == Some(2)).collect();
    assert!(b_strokes.is_empty(), "{b_strokes:?}");
    // The lower bound is a triangle in its series' colour, and so is its legend swatch: two
    // triangles and no circle in that colour.
    let triangles =
        rec.drawn.iter().filter(|d| matches!(d, Drawn::Polygon { points, ink } if points.len() == 3 && ink.is(orange)));
    assert_eq!(triangles.count(), 2);
    assert!(rec.circles().iter().all(|c| !c.2.is(orange)), "{:?}", rec.circles());
}

/// Regression: "920" (FY 2022-23) and "> 1,000" (2023) sat on top of each other.
#[test]
fn value_labels_of_nearby_points_do_not_overlap() {
    let a = series("a", &[(2023.0, 920.0, false)]);
    let b = series("b", &[(2023.5, 1000.0, true)]);
    let c = series("c", &[(1998.5, 50.0, false), (2002.5, 100.0, false), (2003.5, 78.0, false)]);
    let rec = Recording::of(SIZE, |root| draw_trade_chart(root, &[&c, &a, &b], &[], &Theme::light()));
    // (text, (x, y)) of each value label.
    let labels: Vec<(&str, (i32, i32))> =
        texts_at(&rec).into_iter().filter(|(t, _)| ["920", "> 1,000", "50", "100", "78"].contains(t)).collect();
    assert_eq!(labels.len(), 5, "{labels:?}");
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let wa = a.0.chars().count() as f64 * 6.6;
            let wb = b.0.chars().count() as f64 * 6.6;
            let (ax, ay, bx, by) = (a.1 .0 as f64, a.1 .1 as f64, b.1 .0 as f64, b.1 .1 as f64);
            let apart = ax + wa <= bx || bx + wb <= ax || (ay - by).abs() >= 14.0;
            assert!(apart, "labels overlap: {a:?} and {b:?}");
        }
    }
}

#[test]
fn students_chart_has_a_bar_and_label_per_row() {
    let rows = student_rows(3);
    let rec = Recording::of(SIZE, |root| draw_students_chart(root, &rows, &[], &Theme::dark()));
    let texts = rec.texts();
    for label in ["Uni 1", "Uni 3", "30", "Pakistani students"] {
        assert!(texts.contains(&label), "missing {label} in {texts:?}");
    }
    // Bars are filled rectangles in the series colour, one per row, and the longest bar
    // belongs to the largest count.
    let bars: Vec<i32> = rec
        .drawn
        .iter()
        .filter_map(|d| match d {
            Drawn::Rect { from, to, ink, filled: true } if ink.is(SERIES_COLORS[0]) => Some(to.0 - from.0),
            _ => None,
        })
        .collect();
    assert_eq!(bars.len(), 3, "{:?}", rec.drawn);
    assert_eq!(rec.count_in(SERIES_COLORS[0]), 3);
    assert!(bars[0] < bars[1] && bars[1] < bars[2], "{bars:?}");
}

/// A story step's highlight: the named series keeps its colour and gets a 4 px line, the other
/// fades; with no highlight both are drawn at full colour.
#[test]
fn highlighted_series_stands_out_and_the_rest_fades() {
    let a = series("a", &[(1998.5, 50.0, false), (2002.5, 100.0, false)]);
    let b = series("b", &[(2004.5, 270.0, false), (2006.5, 520.0, false)]);
    let theme = Theme::light();
    let (blue, orange) = (series_color(0, &theme), series_color(1, &theme));
    let plain = Recording::of(SIZE, |root| draw_trade_chart(root, &[&a, &b], &[], &theme));
    let lit = Recording::of(SIZE, |root| draw_trade_chart(root, &[&a, &b], &["b".to_string()], &theme));
    let line = |rec: &Recording, width: u32| {
        rec.drawn.iter().filter(|d| matches!(d, Drawn::Path { width: w, .. } if *w == width)).count()
    };
    assert_eq!(line(&plain, 4), 0);
    assert_eq!(line(&lit, 4), 1, "{:?}", lit.drawn);
    assert!(lit.drawn.iter().any(|d| matches!(d, Drawn::Path { width: 4, ink, .. } if ink.is(orange))));
    // Series a is no longer drawn in its own colour anywhere, but in a faded one.
    assert!(plain.count_in(blue) > 0);
    assert_eq!(lit.count_in(blue), 0);
    assert!(lit.count_in(crate::render::theme::mix(blue, theme.background, 0.75)) > 0);
}

#[test]
fn highlighted_student_rows_keep_their_colour() {
    let rows = student_rows(3);
    let theme = Theme::light();
    let lit = Recording::of(SIZE, |root| draw_students_chart(root, &rows, &["r2".to_string()], &theme));
    assert_eq!(lit.count_in(SERIES_COLORS[0]), 1, "{:?}", lit.drawn);
    assert_eq!(lit.count_in(crate::render::theme::mix(SERIES_COLORS[0], theme.background, 0.75)), 2);
}

/// The SVG export of `f`'s drawing, through plotters' SVG backend.
fn svg_of<E: std::fmt::Debug>(
    size: (u32, u32),
    f: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), E>,
) -> String {
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, size).into_drawing_area();
        f(&root).expect("drawing failed");
        root.present().unwrap();
    }
    s
}

/// The texts of a recording that plotters' SVG backend writes (it skips transparent ones).
pub(crate) fn visible_texts(rec: &Recording) -> Vec<String> {
    rec.drawn
        .iter()
        .filter_map(|d| match d {
            Drawn::Text { text, ink, .. } if ink.alpha > 0.0 => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// XML character data or attribute value with its entities replaced; panics on a raw `<` or
/// an `&` that starts no known entity.
fn unescape(s: &str) -> String {
    assert!(!s.contains('<'), "raw '<' in {s:?}");
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').unwrap_or_else(|| panic!("unterminated entity in {s:?}")) + i;
        out.push(match &rest[i + 1..end] {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            other => panic!("unknown entity &{other}; in {s:?}"),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Checks one element's attributes: quoted, not repeated, escaped, numbers finite and in
/// range, colours `none` or `#RRGGBB`.
fn check_attributes(name: &str, attrs: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = attrs.trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=').unwrap_or_else(|| panic!("<{name}>: attribute without value in {rest:?}"));
        let key = rest[..eq].trim().to_string();
        assert!(!key.is_empty() && !key.contains(char::is_whitespace), "<{name}>: bad attribute name {key:?}");
        let after = rest[eq + 1..].strip_prefix('"').unwrap_or_else(|| panic!("<{name}>: unquoted {key}"));
        let close = after.find('"').unwrap_or_else(|| panic!("<{name}>: unterminated {key}"));
        let value = unescape(&after[..close]);
        assert!(out.iter().all(|(k, _)| *k != key), "<{name}>: {key} repeated");
        match key.as_str() {
            "x" | "y" | "cx" | "cy" | "font-size" => {
                let v: f64 = value.parse().unwrap_or_else(|_| panic!("<{name}>: {key}={value:?}"));
                assert!(v.is_finite(), "<{name}>: {key}={value}");
            }
            "width" | "height" | "r" | "stroke-width" => {
                let v: f64 = value.parse().unwrap_or_else(|_| panic!("<{name}>: {key}={value:?}"));
                assert!(v.is_finite() && v >= 0.0, "<{name}>: negative or infinite {key}={value}");
            }
            "opacity" => {
                let v: f64 = value.parse().unwrap_or_else(|_| panic!("<{name}>: {key}={value:?}"));
                assert!((0.0..=1.0).contains(&v), "<{name}>: opacity {value}");
            }
            "fill" | "stroke" => {
                let hex = value.strip_prefix('#').map(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
                assert!(value == "none" || hex == Some(true), "<{name}>: {key}={value:?}");
            }
            "points" => {
                for xy in value.split_whitespace() {
                    let ok =
                        xy.split_once(',').is_some_and(|(x, y)| x.parse::<i32>().is_ok() && y.parse::<i32>().is_ok());
                    assert!(ok, "<{name}>: point {xy:?}");
                }
            }
            _ => {}
        }
        out.push((key, value));
        rest = after[close + 1..].trim_start();
    }
    out
}

/// Checks that `svg` is a well-formed SVG document of `size` pixels: one `<svg>` root with
/// that size and the SVG namespace, only the elements plotters writes, every tag closed in
/// order, attributes and text escaped, numbers finite, sizes not negative. Returns the content
/// of its `<text>` elements, unescaped, in order.
pub(crate) fn well_formed_svg(svg: &str, size: (u32, u32)) -> Vec<String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut texts = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        let data = &rest[..lt];
        match stack.last() {
            Some(&"text") => {}
            _ => assert!(data.trim().is_empty(), "character data outside <text>: {data:?}"),
        }
        let gt = rest[lt..].find('>').unwrap_or_else(|| panic!("unclosed tag at {:?}", &rest[lt..])) + lt;
        let tag = &rest[lt + 1..gt];
        assert!(!tag.contains('<'), "'<' inside a tag: {tag:?}");
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "<{open}> closed by </{name}>");
            if open == "text" {
                texts.push(unescape(data).trim().to_string());
            }
        } else {
            assert!(stack.last() != Some(&"text"), "<{tag}> inside <text>");
            let (body, self_closing) = match tag.strip_suffix('/') {
                Some(b) => (b, true),
                None => (tag, false),
            };
            let (name, attrs) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
            let known = ["svg", "circle", "line", "polygon", "polyline", "rect", "text"];
            assert!(known.contains(&name), "unexpected element <{name}>");
            let attrs = check_attributes(name, attrs);
            let attr = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
            if stack.is_empty() {
                roots += 1;
                assert_eq!(name, "svg", "root element <{name}>");
                assert_eq!(attr("width"), Some(size.0.to_string().as_str()));
                assert_eq!(attr("height"), Some(size.1.to_string().as_str()));
                assert_eq!(attr("viewBox"), Some(format!("0 0 {} {}", size.0, size.1).as_str()));
                assert_eq!(attr("xmlns"), Some("http://www.w3.org/2000/svg"));
            } else {
                assert_ne!(name, "svg", "nested <svg>");
            }
            if !self_closing {
                stack.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    assert!(stack.is_empty(), "unclosed elements {stack:?}");
    assert!(rest.trim().is_empty(), "trailing data {rest:?}");
    assert_eq!(roots, 1, "{roots} root elements");
    texts
}

#[test]
fn the_well_formedness_check_rejects_broken_documents() {
    let ok = "<svg width=\"4\" height=\"2\" viewBox=\"0 0 4 2\" xmlns=\"http://www.w3.org/2000/svg\">\n\
              <rect x=\"0\" y=\"0\" width=\"4\" height=\"2\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n\
              <text x=\"1\" y=\"1\">\n&gt; 1,000\n</text>\n</svg>\n";
    assert_eq!(well_formed_svg(ok, (4, 2)), vec!["> 1,000"]);
    let broken = [
        ok.replace("</svg>", ""),
        ok.replace("&gt;", ">").replace("1,000", "1 < 2"),
        ok.replace("&gt;", "&gt"),
        ok.replace("width=\"4\" height=\"2\" opacity", "width=\"-4\" height=\"2\" opacity"),
        ok.replace("opacity=\"1\"", "opacity=\"1.5\""),
        ok.replace("#FFFFFF", "white"),
        ok.replace("</text>", "</rect>"),
        format!("{ok}<svg/>"),
    ];
    for doc in broken {
        let caught = std::panic::catch_unwind(|| well_formed_svg(&doc, (4, 2))).is_err();
        assert!(caught, "accepted {doc}");
    }
    assert!(std::panic::catch_unwind(|| well_formed_svg(ok, (5, 2))).is_err());
}

#[test]
fn trade_chart_svg_is_well_formed() {
    let a = series("a", &[(1998.5, 50.0, false), (2002.5, 100.0, false), (2006.5, 520.0, false)]);
    let b = series("b", &[(2023.5, 1000.0, true)]);
    let theme = Theme::dark();
    let svg = svg_of(SIZE, |root| draw_trade_chart(root, &[&a, &b], &[], &theme));
    let texts = well_formed_svg(&svg, SIZE);
    // Every text drawn is in the document, escaped ("> 1,000") and in order.
    let rec = Recording::of(SIZE, |root| draw_trade_chart(root, &[&a, &b], &[], &theme));
    assert_eq!(texts, visible_texts(&rec));
    assert!(texts.iter().any(|t| t == "> 1,000"));
}

#[test]
fn students_chart_svg_is_well_formed() {
    let rows = student_rows(5);
    let theme = Theme::light();
    let svg = svg_of(SIZE, |root| draw_students_chart(root, &rows, &[], &theme));
    let texts = well_formed_svg(&svg, SIZE);
    let rec = Recording::of(SIZE, |root| draw_students_chart(root, &rows, &[], &theme));
    assert_eq!(texts, visible_texts(&rec));
}
