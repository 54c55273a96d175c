//! Downloads: the data as CSV and JSON, citations as plain text and BibTeX, and views as SVG
//! (drawn by the same functions as the canvas, through plotters' SVG backend).

use crate::data::{Atlas, Event, Source};

/// Quotes a CSV field when needed (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Every event, one row each, with its date at its real precision and its citations.
pub fn events_csv(atlas: &Atlas) -> String {
    let mut out = String::from("id,date,end,date_label,title,category,places,summary,sources,agreement_row,note\r\n");
    for e in &atlas.events {
        let cites: Vec<String> = e
            .sources
            .iter()
            .map(|c| match &c.cited_in {
                Some(x) => format!("{} {} (citing {x})", c.source, c.locator),
                None => format!("{} {}", c.source, c.locator),
            })
            .collect();
        let row = [
            e.id.clone(),
            e.date.raw.clone(),
            e.end.as_ref().map(|d| d.raw.clone()).unwrap_or_default(),
            e.date_label(),
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

/// The data files as one JSON document `{ "events": [...], "places": [...], ... }`, exactly
/// as shipped.
pub fn data_json(files: &[(&str, &str)]) -> String {
    let mut out = String::from("{\n");
    for (i, (name, text)) in files.iter().enumerate() {
        let key = name.trim_end_matches(".json");
        out.push_str(&format!("\"{key}\": {}", text.trim()));
        out.push_str(if i + 1 < files.len() { ",\n" } else { "\n" });
    }
    out.push('}');
    out
}

/// Plain-text citation of an event: its title and date, then each source with its locator.
pub fn citation_text(atlas: &Atlas, e: &Event) -> String {
    let mut out = format!("{} ({})\n", e.title, e.date_label());
    for c in &e.sources {
        let reference = atlas.source(&c.source).map(Source::reference).unwrap_or_else(|| c.source.clone());
        out.push_str(&format!("- {reference} {}", c.locator));
        if let Some(x) = &c.cited_in {
            out.push_str(&format!(" (citing {x})"));
        }
        out.push('\n');
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
        let mut note = format!("{}: {}", e.title, c.locator);
        if let Some(x) = &c.cited_in {
            note.push_str(&format!(", citing {x}"));
        }
        out.push_str(&format!("  note = {{{}}}\n}}\n", bib_escape(&note)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load_embedded;

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
    fn json_export_parses_and_holds_every_event() {
        let files = crate::data::embedded_files();
        let json = data_json(&files);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let atlas = load_embedded().unwrap();
        assert_eq!(v["events"].as_array().unwrap().len(), atlas.events.len());
        assert!(v["sources"].is_array());
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
