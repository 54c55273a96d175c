//! Downloads: the data as CSV and JSON, citations as plain text and BibTeX, and views as SVG
//! (drawn by the same functions as the canvas, through plotters' SVG backend).

use crate::data::{AgreementRow, Atlas, Citation, Era, Event, Parsed, Place, PlaceKind, Series, SeriesPoint};
use crate::data::{Chapter, MapPos, Source, Step, StepState, StudentRow, YearSpan};
use crate::i18n::{tf, tr, Msg};

/// Quotes a CSV field when needed (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Every event, one row each, with its date at its real precision and its citations. The
/// column names are the data's field names, the same in every language; the texts (title,
/// summary, date label) are in the visitor's language, like the page.
pub fn events_csv(atlas: &Atlas) -> String {
    let mut out = String::from("id,date,end,date_label,title,category,places,summary,sources,agreement_row,note\r\n");
    for e in &atlas.events {
        let cites: Vec<String> = e.sources.iter().map(|c| cite(c, &c.source, " ")).collect();
        let row = [
            e.id.clone(),
            e.date.raw.clone(),
            e.end.as_ref().map(|d| d.raw.clone()).unwrap_or_default(),
            date_label(e),
            e.title.clone(),
            e.category.raw.clone(),
            e.places.join(" "),
            e.summary.clone(),
            cites.join("; "),
            e.agreement.as_ref().map(|a| a.row.to_string()).unwrap_or_default(),
            e.note.clone().unwrap_or_default(),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The dataset and its story as one JSON document `{ "sources": [...], ..., "story": {...} }`: every record
/// of every file with every field (absent optional fields left out), written from the loaded
/// model (so the app needs no copy of the files). Loading it back gives the same atlas (tested).
pub fn data_json(atlas: &Atlas, story: &[Chapter]) -> String {
    let mut out = String::from("{");
    section(&mut out, "sources", &atlas.sources);
    section(&mut out, "places", &atlas.places);
    section(&mut out, "events", &atlas.events);
    section(&mut out, "eras", &atlas.eras);
    section(&mut out, "series", &atlas.series);
    section(&mut out, "students", &atlas.students);
    // story.json is an object, not a list.
    out.push_str(",\n\"story\": {\"chapters\": ");
    story.to_vec().json(&mut out);
    out.push_str("}\n}\n");
    out
}

/// `"key": [...]`, one record a line, after a comma unless it is the first.
fn section<T: ToJson>(out: &mut String, key: &str, items: &[T]) {
    out.push_str(if out.len() > 1 { ",\n\"" } else { "\n\"" });
    out.push_str(key);
    out.push_str("\": [");
    for (i, item) in items.iter().enumerate() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        item.json(out);
    }
    out.push_str("\n]");
}

/// A value written as JSON.
trait ToJson {
    fn json(&self, out: &mut String);
    /// Left out of its record (an absent optional field).
    fn absent(&self) -> bool {
        false
    }
}

impl ToJson for str {
    fn json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ToJson for String {
    fn json(&self, out: &mut String) {
        self.as_str().json(out)
    }
}

impl ToJson for f64 {
    fn json(&self, out: &mut String) {
        // Validated data has finite numbers; JSON has no other kind.
        if self.is_finite() {
            out.push_str(&self.to_string())
        } else {
            out.push_str("null")
        }
    }
}

macro_rules! json_display {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn json(&self, out: &mut String) {
                out.push_str(&self.to_string())
            }
        }
    )*};
}
json_display!(bool, u8, u16, u32);

impl<T: ToJson> ToJson for Option<T> {
    fn json(&self, out: &mut String) {
        match self {
            Some(v) => v.json(out),
            None => out.push_str("null"),
        }
    }
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            v.json(out);
        }
        out.push(']');
    }
}

impl<T> ToJson for Parsed<T> {
    fn json(&self, out: &mut String) {
        self.raw.json(out)
    }
}

impl ToJson for PlaceKind {
    fn json(&self, out: &mut String) {
        self.key().json(out)
    }
}

/// A record as a JSON object of its fields (the fields as listed by
/// [`crate::data::model::with_records`]; a test loads the document back and compares).
macro_rules! json_record {
    ($($t:ident { $($f:ident),* $(,)? })*) => {$(
        impl ToJson for $t {
            fn json(&self, out: &mut String) {
                out.push('{');
                let mut first = true;
                $(
                    if !self.$f.absent() {
                        out.push_str(if first { "\"" } else { ", \"" });
                        first = false;
                        out.push_str(stringify!($f));
                        out.push_str("\": ");
                        self.$f.json(out);
                    }
                )*
                let _ = first;
                out.push('}');
            }
        }
    )*};
}

crate::data::model::with_records!(json_record);

/// An event's period in the visitor's language, at the date's real precision; a planned end
/// says so ("24 September – 10 October 2016 (end as planned)").
pub fn date_label(e: &Event) -> String {
    let span = tr().lang.span(&e.start(), e.end_date().as_ref());
    if e.end_planned && e.end.is_some() {
        tf(Msg::ExportEndPlanned, &[("span", &span)])
    } else {
        span
    }
}

/// [`Citation::format`] with "citing" in the visitor's language: `who`, `sep`, the locator
/// (as written) and the work the source cites (as written).
fn cite(c: &Citation, who: &str, sep: &str) -> String {
    match &c.cited_in {
        Some(x) => format!("{who}{sep}{}", tf(Msg::ExportCiting, &[("locator", &c.locator), ("work", x)])),
        None => c.format(who, sep),
    }
}

/// "Ahmed, Baloch & Abbas 2023, §4.3 (citing Chia & Haiqi, 2021)": a citation with its
/// source's short name, as the detail panel and the charts' source lines show it.
pub fn cite_text(atlas: &Atlas, c: &crate::data::Citation) -> String {
    let who = atlas.source(&c.source).map(|s| s.short()).unwrap_or_else(|| c.source.clone());
    cite(c, &who, ", ")
}

/// Plain-text citation of an event: its title and date, then each source with its locator.
pub fn citation_text(atlas: &Atlas, e: &Event) -> String {
    let mut out = format!("{} ({})\n", e.title, date_label(e));
    for c in &e.sources {
        let reference = atlas.source(&c.source).map(Source::reference).unwrap_or_else(|| c.source.clone());
        out.push_str(&format!("- {}\n", cite(c, &reference, " ")));
    }
    out
}

fn bib_escape(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        match ch {
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// BibTeX entries for the sources of an event; the locator goes in `note`.
pub fn citation_bibtex(atlas: &Atlas, e: &Event) -> String {
    let mut out = String::new();
    for c in &e.sources {
        let Some(s) = atlas.source(&c.source) else { continue };
        let kind = if s.container.is_some() || !s.authors.is_empty() { "article" } else { "misc" };
        out.push_str(&format!("@{kind}{{{}_{},\n", s.id, e.id.replace('-', "_")));
        if !s.authors.is_empty() {
            out.push_str(&format!("  author = {{{}}},\n", bib_escape(&s.authors.join(" and "))));
        } else if let Some(org) = &s.organisation {
            out.push_str(&format!("  author = {{{{{}}}}},\n", bib_escape(org)));
        }
        out.push_str(&format!("  title = {{{}}},\n", bib_escape(&s.title)));
        if let Some(j) = &s.container {
            out.push_str(&format!("  journal = {{{}}},\n", bib_escape(j)));
        }
        if let Some(p) = &s.publisher {
            out.push_str(&format!("  publisher = {{{}}},\n", bib_escape(p)));
        }
        out.push_str(&format!("  year = {{{}}},\n", s.published.get().year));
        if let Some(u) = &s.url {
            out.push_str(&format!("  url = {{{u}}},\n"));
        }
        let note = match &c.cited_in {
            Some(x) => format!("{}: {}", e.title, tf(Msg::ExportNoteCiting, &[("locator", &c.locator), ("work", x)])),
            None => format!("{}: {}", e.title, c.locator),
        };
        out.push_str(&format!("  note = {{{}}}\n}}\n", bib_escape(&note)));
    }
    out
}

/// `svg` (plotters' SVG) with each `font-size` as the canvas sets it, to two decimals:
/// plotters' SVG backend writes a text's size divided by 1.24 (9.67741935483871 for 12), its
/// canvas backend the size itself in px, so the same drawing as SVG had its texts a fifth
/// smaller than on the screen. For the SVG downloads and the static first view.
pub fn font_sizes_as_canvas(svg: &str) -> String {
    const KEY: &[u8] = b" font-size=\"";
    let bytes = svg.as_bytes();
    let mut out = String::with_capacity(svg.len());
    // Bytes compared, not a substring searcher: the page's module has none (README, Bytes).
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        if !bytes[i..].starts_with(KEY) {
            i += 1;
            continue;
        }
        let start = i + KEY.len();
        let end = bytes[start..].iter().position(|&b| b == b'"').map_or(start, |n| start + n);
        // Both ends are ASCII, so both are character boundaries.
        if let Ok(v) = svg[start..end].parse::<f64>() {
            out.push_str(&svg[copied..start]);
            // In hundredths, written without fixed-precision float formatting.
            let c = (v * 124.0).round() as i64;
            out.push_str(&(c / 100).to_string());
            let cents = format!(".{:02}", c % 100);
            out.push_str(cents.trim_end_matches('0').trim_end_matches('.'));
            copied = end;
        }
        i = end.max(start);
    }
    out.push_str(&svg[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load_embedded;

    /// The timeline as SVG, its sizes set as the canvas sets them: each text at the size the
    /// drawing code asked for.
    #[test]
    fn svg_texts_have_the_canvas_sizes() {
        use crate::render::recording::{Drawn, Recording};
        use crate::render::timeline::{draw_timeline, TimelineDrawState};
        use crate::render::Theme;
        use plotters::prelude::*;
        let atlas = load_embedded().unwrap();
        let size = (900, 400);
        let lay = crate::timeline::layout(&atlas, &crate::timeline::full_range(&atlas), 900.0, 400.0, &[]);
        let state = TimelineDrawState::default();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_timeline(&root, &lay, &state, &Theme::light()).unwrap();
            root.present().unwrap();
        }
        let sizes = |svg: &str| -> Vec<String> {
            svg.split(" font-size=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
        };
        let asked: Vec<String> = Recording::of(size, |root| draw_timeline(root, &lay, &state, &Theme::light()))
            .drawn
            .iter()
            .filter_map(|d| match d {
                Drawn::Text { size, .. } => Some(format!("{size}")),
                _ => None,
            })
            .collect();
        assert!(asked.len() > 20);
        assert_ne!(sizes(&svg), asked, "plotters' SVG sizes are not the canvas's");
        assert_eq!(sizes(&font_sizes_as_canvas(&svg)), asked);
        assert_eq!(font_sizes_as_canvas(r#"<text font-size="x">a</text>"#), r#"<text font-size="x">a</text>"#);
        assert_eq!(font_sizes_as_canvas(r#"<text font-size="8.064516129032258">"#), r#"<text font-size="10">"#);
        assert_eq!(font_sizes_as_canvas(r#"a font-size="1"#), r#"a font-size="1"#);
    }

    #[test]
    fn csv_has_a_row_per_event_and_quotes_commas() {
        let atlas = load_embedded().unwrap();
        let csv = events_csv(&atlas);
        assert_eq!(csv.split("\r\n").filter(|l| !l.is_empty()).count(), atlas.events.len() + 1);
        assert!(csv.starts_with("id,date,end,"));
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
        let first = &atlas.events[0];
        assert!(csv.contains(&first.id));
    }

    #[test]
    fn json_export_loads_back_to_the_same_atlas() {
        let atlas = crate::data::load(&crate::data::embedded_files()).unwrap();
        assert!(!atlas.story.is_empty());
        let json = data_json(&atlas, &atlas.story);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["events"].as_array().unwrap().len(), atlas.events.len());
        // Split into the seven files and load them as the app's data: the same atlas, so no field
        // was left out or written differently.
        let files: Vec<(String, String)> =
            crate::data::FILES.iter().map(|f| (f.to_string(), v[f.trim_end_matches(".json")].to_string())).collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        assert_eq!(crate::data::load(&refs), Ok(atlas));
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        "a \"b\" \\ c\nd\u{1}é".json(&mut out);
        assert_eq!(out, r#""a \"b\" \\ c\nd\u0001é""#);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), "a \"b\" \\ c\nd\u{1}é");
    }

    #[test]
    fn english_date_labels_and_citations_are_the_datas_own() {
        let atlas = load_embedded().unwrap();
        for e in &atlas.events {
            assert_eq!(date_label(e), e.date_label(), "{}", e.id);
            for c in &e.sources {
                assert_eq!(cite(c, "W", ", "), c.format("W", ", "), "{}", e.id);
            }
        }
        assert!(atlas.events.iter().any(|e| e.end_planned));
        assert!(atlas.events.iter().flat_map(|e| &e.sources).any(|c| c.cited_in.is_some()));
    }

    #[test]
    fn citations_name_source_and_locator() {
        let atlas = load_embedded().unwrap();
        let e = atlas.events.iter().find(|e| e.sources.iter().any(|c| c.source == "ahmed2023")).unwrap();
        let text = citation_text(&atlas, e);
        assert!(text.starts_with(&e.title));
        assert!(text.contains("Adeel Ahmed"));
        assert!(text.contains(&e.sources[0].locator));
        let bib = citation_bibtex(&atlas, e);
        assert!(bib.contains("@article{ahmed2023_"));
        assert!(bib.contains("author = {Adeel Ahmed and Jamshed Ali Baloch and Asim Abbas}"));
        assert!(bib.contains("year = {2023}"));
    }
}
