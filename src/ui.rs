//! Pure helpers of the components (no DOM, tested natively): the figures that can be
//! downloaded, the table's row order, where a tooltip goes, the embed snippet, and the source
//! line of a chart.

use crate::data::{Atlas, Citation};
use crate::export::cite_text;
use crate::i18n::{t, Msg};
use crate::urlstate::Embed;

/// A view that is drawn on a canvas and can be downloaded as PNG or SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Timeline,
    Map,
    Trade,
    Students,
}

impl Figure {
    pub const ALL: [Figure; 4] = [Figure::Timeline, Figure::Map, Figure::Trade, Figure::Students];

    /// The id of its canvas.
    pub fn canvas_id(self) -> &'static str {
        match self {
            Figure::Timeline => "timeline",
            Figure::Map => "map",
            Figure::Trade => "trade-chart",
            Figure::Students => "students-chart",
        }
    }

    /// The name of a download, without extension, and the label in the downloads row.
    pub fn file_stem(self) -> &'static str {
        match self {
            Figure::Timeline => "timeline",
            Figure::Map => "map",
            Figure::Trade => "trade",
            Figure::Students => "students",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Figure::Timeline => "Timeline",
            Figure::Map => "Map",
            Figure::Trade => "Trade",
            Figure::Students => "Students",
        }
    }
}

/// Which column the events table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Date,
    Category,
}

/// Row order for a sort key and direction. Category sorts keep date order within a category.
pub fn sorted_rows(atlas: &Atlas, visible: &[bool], key: SortKey, ascending: bool) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..atlas.events.len()).filter(|&i| visible.get(i).copied().unwrap_or(true)).collect();
    match key {
        // Events are already in date order.
        SortKey::Date => {}
        SortKey::Category => crate::order::sort_by_key(&mut rows, |&i| atlas.events[i].category.get().index() as i64),
    }
    if !ascending {
        rows.reverse();
    }
    rows
}

/// Where a tooltip goes for a pointer at `x` in a box `width` px wide: (CSS `left`, CSS
/// `right`). Right of the pointer in the left half, left of it in the right half, so that it
/// is never squeezed against the right edge nor pushes the page wider.
pub fn tooltip_x(x: f64, width: f64) -> (Option<String>, Option<String>) {
    if width > 0.0 && x > width / 2.0 {
        (None, Some(format!("{}px", (width - x + 12.0).max(0.0))))
    } else {
        (Some(format!("{}px", x + 12.0)), None)
    }
}

/// The two kinds of embed snippet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnippetKind {
    /// The iframe and a listener that sets its height from the atlas's messages (checking
    /// their origin and that they come from this frame).
    Resizing,
    /// The iframe alone at a fixed height, for pages whose editor strips scripts.
    Fixed,
}

/// The id of the snippet's iframe (one per view, so a page can embed several views).
pub fn frame_id(view: Embed) -> String {
    match view {
        Embed::Atlas => "pakru-atlas".into(),
        v => format!("pakru-atlas-{}", v.key()),
    }
}

/// The title of an embed, for the iframe's `title` and the embedded page's `<title>`, in the
/// page's language.
pub fn embed_title(view: Embed) -> String {
    let atlas = t(Msg::AppTitle);
    match view {
        Embed::Atlas => atlas.into(),
        v => format!("{atlas}: {}", v.title()),
    }
}

/// `&`, `"`, `<` and `>` escaped, for HTML text or an attribute value.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The copy-paste snippet for embedding `view` of the atlas at `base` (its address, without
/// query) with the state of `query` (a query string from [`crate::urlstate::UrlState::to_query`],
/// which must name the embed). The resizing kind trusts only messages from `origin` sent by
/// this very frame, and only positive numbers.
pub fn embed_snippet(origin: &str, base: &str, query: &str, view: Embed, kind: SnippetKind) -> String {
    let id = frame_id(view);
    let frame = format!(
        r#"<iframe id="{id}" src="{}" title="{}" style="width:100%;height:{}px;border:0" loading="lazy"></iframe>"#,
        escape_html(&format!("{base}{query}")),
        escape_html(&embed_title(view)),
        view.fixed_height()
    );
    match kind {
        SnippetKind::Fixed => frame,
        SnippetKind::Resizing => format!(
            r#"{frame}
<script>
window.addEventListener("message", function (e) {{
  var frame = document.getElementById("{id}");
  if (e.origin !== "{origin}" || e.source !== frame.contentWindow) return;
  if (typeof e.data !== "number" || !isFinite(e.data) || e.data <= 0) return;
  frame.style.height = Math.ceil(Math.min(e.data, 20000)) + "px";
}});
</script>"#
        ),
    }
}

/// The distinct citations of `cites`, in order, joined by "; " (a chart's source line).
pub fn unique_cites<'a>(atlas: &Atlas, cites: impl Iterator<Item = &'a Citation>) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in cites {
        let t = cite_text(atlas, c);
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out.join("; ")
}

/// The students chart's sources: all its rows cite one table, so the table once, with the range
/// of rows ("Table 2, rows 1–9"); otherwise each citation once.
pub fn students_source(atlas: &Atlas) -> String {
    match atlas.students.first() {
        Some(first)
            if atlas
                .students
                .iter()
                .all(|r| r.source.source == first.source.source && r.source.cited_in == first.source.cited_in) =>
        {
            let who = atlas.source(&first.source.source).map(|s| s.short()).unwrap_or_default();
            let table = first.source.locator.split(',').next().unwrap_or("Table 2");
            let rows = format!(
                "rows {}–{}",
                atlas.students.iter().map(|r| r.row).min().unwrap_or(1),
                atlas.students.iter().map(|r| r.row).max().unwrap_or(1)
            );
            let all_rows = crate::data::Citation { locator: format!("{table}, {rows}"), ..first.source.clone() };
            all_rows.format(&who, ", ")
        }
        _ => unique_cites(atlas, atlas.students.iter().map(|r| &r.source)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tooltips_stay_inside_their_box() {
        assert_eq!(tooltip_x(100.0, 800.0), (Some("112px".into()), None));
        assert_eq!(tooltip_x(700.0, 800.0), (None, Some("112px".into())));
        // Past the right edge, the tooltip is pinned to it rather than pushed outside.
        assert_eq!(tooltip_x(900.0, 800.0), (None, Some("0px".into())));
        assert_eq!(tooltip_x(10.0, 0.0), (Some("22px".into()), None));
    }

    #[test]
    fn rows_are_filtered_and_sorted() {
        let atlas = crate::data::load_embedded().expect("data");
        let n = atlas.events.len();
        let all = sorted_rows(&atlas, &[], SortKey::Date, true);
        assert_eq!(all, (0..n).collect::<Vec<_>>());
        let mut mask = vec![true; n];
        mask[0] = false;
        let rows = sorted_rows(&atlas, &mask, SortKey::Date, false);
        assert_eq!(rows.len(), n - 1);
        assert_eq!(rows.first(), Some(&(n - 1)));
        let by_cat = sorted_rows(&atlas, &[], SortKey::Category, true);
        let cats: Vec<usize> = by_cat.iter().map(|&i| atlas.events[i].category.get().index()).collect();
        assert!(cats.windows(2).all(|w| w[0] <= w[1]), "{cats:?}");
    }

    #[test]
    fn the_snippet_checks_the_origin_and_the_frame() {
        let s = embed_snippet(
            "https://atlas.example",
            "https://atlas.example/a/",
            "?embed=1",
            Embed::Atlas,
            SnippetKind::Resizing,
        );
        assert!(s.starts_with(r#"<iframe id="pakru-atlas" src="https://atlas.example/a/?embed=1" title="Pakistan–Russia Relations Atlas""#), "{s}");
        assert!(s.contains(r#"e.origin !== "https://atlas.example""#));
        assert!(s.contains(r#"document.getElementById("pakru-atlas")"#));
        assert!(s.contains("e.source !== frame.contentWindow"));
    }

    #[test]
    fn a_view_snippet_carries_the_state_and_its_height() {
        let q = "?embed=event&e=tashkent-declaration-1966&t=1960~1975";
        let s = embed_snippet("https://a.example", "https://a.example/", q, Embed::Event, SnippetKind::Resizing);
        assert!(s.contains(r#"id="pakru-atlas-event" src="https://a.example/?embed=event&amp;e=tashkent-declaration-1966&amp;t=1960~1975""#), "{s}");
        assert!(s.contains(r#"title="Pakistan–Russia Relations Atlas: Event""#));
        assert!(s.contains(r#"getElementById("pakru-atlas-event")"#));
        let fixed = embed_snippet("https://a.example", "https://a.example/", q, Embed::Event, SnippetKind::Fixed);
        assert!(!fixed.contains("<script"), "{fixed}");
        assert!(fixed.contains(&format!("height:{}px", Embed::Event.fixed_height())));
        assert!(s.starts_with(&fixed), "the same frame in both kinds");
    }

    #[test]
    fn chart_source_lines_list_each_citation_once() {
        let atlas = crate::data::load_embedded().expect("data");
        let c = &atlas.series[0].points[0].source;
        let line = unique_cites(&atlas, [c, c].into_iter());
        assert_eq!(line, cite_text(&atlas, c));
    }
}
