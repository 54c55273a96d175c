//! The guided story (`data/story.json`): chapters of steps, each a short cited text and the
//! state the atlas's views move to. Checked against the rest of the dataset like every other
//! file; a problem names the chapter, the step and the field ("rq2, step 3", `state.event`).

use crate::model::{Category, Citation};
use crate::Atlas;
use serde::Deserialize;

/// The file as a whole.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StoryFile {
    pub chapters: Vec<Chapter>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// `rq1`…`rq4`, `journey`: the `story=` value of an address.
    pub id: String,
    pub title: String,
    /// The research question as the paper words it (a quotation); `None` where the chapter
    /// answers none.
    #[serde(default)]
    pub question: Option<String>,
    #[serde(default)]
    pub question_source: Option<Citation>,
    pub steps: Vec<Step>,
}

/// One slide of the story.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub heading: String,
    /// Our own words; every claim ends with markers `[1]`, `[2]` into `sources` (1-based).
    pub text: String,
    pub sources: Vec<Citation>,
    /// The views the step uses, of [`STEP_VIEWS`], in that order (what its embed shows).
    pub views: Vec<String>,
    #[serde(default)]
    pub state: StepState,
}

/// Where the views go. Every field is optional: absent means the atlas's default for it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StepState {
    /// Visible years (`[1947, 1960]`); absent: everything.
    #[serde(default)]
    pub range: Option<YearSpan>,
    /// The selected event's id.
    #[serde(default)]
    pub event: Option<String>,
    /// Categories shown, by key; absent: all.
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    /// The selected place's id (it filters the timeline and the table).
    #[serde(default)]
    pub place: Option<String>,
    /// The map view; absent: the home view.
    #[serde(default)]
    pub map: Option<MapPos>,
    /// Series of `series.json` highlighted on the trade chart.
    #[serde(default)]
    pub series: Vec<String>,
    /// Rows of `students.json` highlighted on the students chart.
    #[serde(default)]
    pub students: Vec<String>,
}

/// Years, written `[start, end]` in the file.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
pub struct YearSpan {
    pub start: f64,
    pub end: f64,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MapPos {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

/// The views a step can use, in the order they are shown.
pub const STEP_VIEWS: [&str; 4] = ["timeline", "map", "trade", "students"];

/// The most words a step's text may have (markers not counted).
pub const MAX_WORDS: usize = 90;

impl Step {
    /// The text's words, citation markers (and what is left of them: "[1]." is no word) left
    /// out.
    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().filter(|w| strip_markers(w).chars().any(char::is_alphanumeric)).count()
    }
}

/// Splits a text into plain runs and citation markers: `("text ", None)`, `("", Some(1))`.
/// A `[` not followed by digits and `]` stays text.
pub fn segments(text: &str) -> Vec<(&str, Option<usize>)> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'[' {
            let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 0 && digits < 4 && bytes.get(i + 1 + digits) == Some(&b']') {
                if plain_start < i {
                    out.push((&text[plain_start..i], None));
                }
                let n = text[i + 1..i + 1 + digits].parse().unwrap_or(0);
                out.push(("", Some(n)));
                i += digits + 2;
                plain_start = i;
                continue;
            }
        }
        i += 1;
    }
    if plain_start < text.len() {
        out.push((&text[plain_start..], None));
    }
    out
}

fn strip_markers(word: &str) -> String {
    segments(word).into_iter().filter_map(|(t, m)| m.is_none().then_some(t)).collect::<String>()
}

/// The problems of the story against the rest of the dataset (not yet indexed: lookups are
/// linear), each as (record, field,
/// message): the record is the chapter id, or "rq2, step 3".
/// With `cross` false, only what the story file says by itself is checked (not its references
/// into the other files, which are then broken themselves).
pub fn check(atlas: &Atlas, story: &[Chapter], cross: bool) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut err = |rec: &str, field: &str, msg: String| out.push((rec.to_string(), field.to_string(), msg));
    let mut seen = std::collections::HashSet::new();
    for ch in story {
        let cid = ch.id.as_str();
        if cid.trim().is_empty() || !cid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            err(cid, "id", format!("chapter id {cid:?} must be letters, digits and '-'"));
        }
        if !seen.insert(cid) {
            err(cid, "id", format!("duplicate chapter id {cid:?}"));
        }
        if ch.title.trim().is_empty() {
            err(cid, "title", "empty text".into());
        }
        match (&ch.question, &ch.question_source) {
            (Some(q), Some(c)) => {
                if q.trim().is_empty() {
                    err(cid, "question", "empty text".into());
                }
                if let Some(m) = citation_problem(atlas, c).filter(|_| cross) {
                    err(cid, "question_source", m);
                }
            }
            (Some(_), None) => err(cid, "question_source", "a quoted question needs its source".into()),
            (None, Some(_)) => err(cid, "question", "a question source without a question".into()),
            (None, None) => {}
        }
        if !(1..=8).contains(&ch.steps.len()) {
            err(cid, "steps", format!("{} steps: a chapter has 1 to 8", ch.steps.len()));
        }
        for (i, step) in ch.steps.iter().enumerate() {
            let rec = format!("{cid}, step {}", i + 1);
            check_step(atlas, step, cross, &mut |f: &str, m: String| err(&rec, f, m));
        }
    }
    out
}

fn citation_problem(atlas: &Atlas, c: &Citation) -> Option<String> {
    if !atlas.sources.iter().any(|s| s.id == c.source) {
        Some(format!("unknown source id {:?}", c.source))
    } else if c.locator.trim().is_empty() {
        Some("empty locator".into())
    } else {
        None
    }
}

fn check_step(atlas: &Atlas, step: &Step, cross: bool, err: &mut dyn FnMut(&str, String)) {
    if step.heading.trim().is_empty() {
        err("heading", "empty text".into());
    }
    let words = step.word_count();
    if words == 0 {
        err("text", "empty text".into());
    } else if words > MAX_WORDS {
        err("text", format!("{words} words: at most {MAX_WORDS}"));
    }
    if step.sources.is_empty() {
        err("sources", "no source: every step needs at least one citation".into());
    }
    for (i, c) in step.sources.iter().enumerate() {
        if let Some(m) = citation_problem(atlas, c).filter(|m| cross || m == "empty locator") {
            err(&format!("sources[{i}]"), m);
        }
    }
    let markers: Vec<usize> = segments(&step.text).into_iter().filter_map(|(_, m)| m).collect();
    for &m in &markers {
        if m == 0 || m > step.sources.len() {
            err("text", format!("marker [{m}] has no source (the step lists {})", step.sources.len()));
        }
    }
    for i in 1..=step.sources.len() {
        if !markers.contains(&i) {
            err(&format!("sources[{}]", i - 1), format!("source [{i}] is cited by no marker in the text"));
        }
    }
    if step.views.is_empty() {
        err("views", "a step uses at least one view".into());
    }
    let mut last = None;
    for v in &step.views {
        match STEP_VIEWS.iter().position(|k| k == v) {
            None => err("views", format!("unknown view {v:?} (one of {})", STEP_VIEWS.join(", "))),
            Some(p) if last.is_some_and(|l| p <= l) => {
                err("views", format!("{v:?} repeated or out of order ({})", STEP_VIEWS.join(", ")))
            }
            Some(p) => last = Some(p),
        }
    }
    let s = &step.state;
    if let Some(r) = s.range {
        if !(r.start.is_finite() && r.end.is_finite() && 1900.0 <= r.start && r.start < r.end && r.end <= 2100.0) {
            err("state.range", format!("[{}, {}] is not a span of years within 1900..2100", r.start, r.end));
        }
    }
    let event = s.event.as_deref().map(|id| (id, atlas.event_index(id)));
    let mut err = |f: &str, m: String| {
        // References into the other files only when those are sound (see `check`).
        let cross_file = matches!(f, "state.event" | "state.place" | "state.series" | "state.students");
        if cross || !cross_file {
            err(f, m)
        }
    };
    if let Some((id, None)) = event {
        err("state.event", format!("unknown event id {id:?}"));
    }
    let mut cats = Vec::new();
    for c in s.categories.iter().flatten() {
        match Category::from_key(c) {
            Some(k) => cats.push(k),
            None => err("state.categories", format!("unknown category {c:?}")),
        }
    }
    if s.categories.as_ref().is_some_and(|c| c.is_empty()) {
        err("state.categories", "an empty list hides everything: leave the field out to show all".into());
    }
    if let Some(p) = &s.place {
        if !atlas.places.iter().any(|x| &x.id == p) {
            err("state.place", format!("unknown place id {p:?}"));
        }
    }
    if let Some(m) = s.map {
        let ok = m.lon.is_finite()
            && m.lat.is_finite()
            && m.zoom.is_finite()
            && (-180.0..=180.0).contains(&m.lon)
            && (-85.0..=85.0).contains(&m.lat)
            && (1.0..=16.0).contains(&m.zoom);
        if !ok {
            err("state.map", format!("lon {}, lat {}, zoom {}: out of range", m.lon, m.lat, m.zoom));
        }
    }
    for id in &s.series {
        if !atlas.series.iter().any(|x| &x.id == id) {
            err("state.series", format!("unknown series id {id:?}"));
        }
    }
    for id in &s.students {
        if !atlas.students.iter().any(|x| &x.id == id) {
            err("state.students", format!("unknown Table 2 row id {id:?}"));
        }
    }
    // The selected event must be on screen under the step's own filters.
    if let Some((id, Some(i))) = event {
        let e = &atlas.events[i];
        let dated = e.date.value.is_ok() && e.end.as_ref().is_none_or(|d| d.value.is_ok());
        if let (Some(r), true) = (s.range, dated) {
            let (a, b) = (e.start().start_year(), e.end_date().unwrap_or(e.start()).end_year());
            if b < r.start || a > r.end {
                err("state.event", format!("event {id:?} lies outside the step's years {}–{}", r.start, r.end));
            }
        }
        if let Ok(c) = &e.category.value {
            if !cats.is_empty() && !cats.contains(c) {
                err("state.event", format!("event {id:?} is in category {:?}, which the step hides", c.key()));
            }
        }
        if let Some(p) = &s.place {
            let hit = e.places.iter().any(|ep| atlas.ancestors(ep).any(|a| atlas.places[a].id == *p));
            if !hit {
                err("state.event", format!("event {id:?} is not at place {p:?}, which the step selects"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_markers() {
        assert_eq!(
            segments("A [1]. B [2][3] and [x] c"),
            vec![("A ", None), ("", Some(1)), (". B ", None), ("", Some(2)), ("", Some(3)), (" and [x] c", None)]
        );
        assert_eq!(segments("[12]"), vec![("", Some(12))]);
        assert_eq!(segments(""), vec![]);
        assert_eq!(segments("[1"), vec![("[1", None)]);
    }

    #[test]
    fn words_leave_markers_out() {
        let s = Step {
            heading: "h".into(),
            text: "One two [1]. Three [2][3]".into(),
            sources: vec![],
            views: vec![],
            state: StepState::default(),
        };
        assert_eq!(s.word_count(), 3);
    }
}
