//! The guided story, without the DOM: where a step is, where the next one is, and the state
//! the views move to for it. The app's story panel (`app::story`) only applies these.

use crate::data::{Atlas, Category, CategorySet, Chapter, Step};
use crate::export::cite_text;
use crate::i18n::{fill, t, tf, tr, Msg};
use crate::lang::Lang;
use crate::map::GeoView;
use crate::timeline::TimeRange;
use crate::ui::escape_html;

/// A step of the story: indices into `atlas.story` and its chapter's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoryPos {
    pub chapter: usize,
    pub step: usize,
}

impl StoryPos {
    /// The step an address names: chapter `id` and step `n` counted from 1. An unknown chapter
    /// is `None` (the atlas opens without the story); a step past the end is the last step, and
    /// a missing one the first.
    pub fn from_url(story: &[Chapter], id: &str, n: Option<u32>) -> Option<StoryPos> {
        let chapter = story.iter().position(|c| c.id == id)?;
        let steps = story[chapter].steps.len();
        if steps == 0 {
            return None;
        }
        let step = (n.unwrap_or(1).max(1) as usize - 1).min(steps - 1);
        Some(StoryPos { chapter, step })
    }

    /// The chapter's id and the step from 1, for the address.
    pub fn to_url(self, story: &[Chapter]) -> Option<(String, u32)> {
        let ch = story.get(self.chapter)?;
        Some((ch.id.clone(), self.step as u32 + 1))
    }

    pub fn step(self, story: &[Chapter]) -> Option<&Step> {
        story.get(self.chapter)?.steps.get(self.step)
    }

    /// The next step, into the next chapter after the last one; `None` at the very end.
    pub fn next(self, story: &[Chapter]) -> Option<StoryPos> {
        let ch = story.get(self.chapter)?;
        if self.step + 1 < ch.steps.len() {
            return Some(StoryPos { step: self.step + 1, ..self });
        }
        (self.chapter + 1..story.len())
            .find(|&c| !story[c].steps.is_empty())
            .map(|chapter| StoryPos { chapter, step: 0 })
    }

    /// The previous step, back into the previous chapter's last; `None` at the very start.
    pub fn prev(self, story: &[Chapter]) -> Option<StoryPos> {
        if self.step > 0 {
            return Some(StoryPos { step: self.step - 1, ..self });
        }
        (0..self.chapter)
            .rev()
            .find(|&c| !story[c].steps.is_empty())
            .map(|chapter| StoryPos { chapter, step: story[chapter].steps.len() - 1 })
    }

    /// "Chapter 2 · step 3 of 6".
    pub fn progress(self, story: &[Chapter]) -> String {
        let n = story.get(self.chapter).map_or(0, |c| c.steps.len());
        tf(
            Msg::StoryProgress,
            &[
                ("chapter", &(self.chapter + 1).to_string()),
                ("step", &(self.step + 1).to_string()),
                ("steps", &n.to_string()),
            ],
        )
    }
}

/// A step's text as HTML: the words escaped, each marker `[n]` a superscript link to the
/// step's `n`th citation (`{prefix}-cite-{n}`).
pub fn text_html(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    for (plain, marker) in crate::data::story::segments(text) {
        match marker {
            None => out.push_str(&escape_html(plain)),
            Some(n) => {
                let n = n.to_string();
                let label = escape_html(&tf(Msg::StorySourceMark, &[("n", &n)]));
                out.push_str(&format!(
                    r##"<sup class="cite-mark"><a href="#{prefix}-cite-{n}" aria-label="{label}">[{n}]</a></sup>"##
                ))
            }
        }
    }
    out
}

/// The attributes of an element holding English text (a quotation, a reference) on a page in
/// another language: `lang="en"`, and `dir="ltr"` for a right-to-left page. None in English.
fn english_attrs() -> &'static str {
    match tr().lang {
        Lang::En => "",
        _ => r#" lang="en" dir="ltr""#,
    }
}

/// The step's own part of the story panel (and of each printed section): progress, the
/// chapter's question on its first step, the heading, the text and its numbered citations.
/// `prefix` keeps the ids of the panel and of the printed copy apart.
pub fn step_html(atlas: &Atlas, story: &[Chapter], pos: StoryPos, prefix: &str) -> String {
    let (Some(ch), Some(step)) = (story.get(pos.chapter), pos.step(story)) else { return String::new() };
    let en = english_attrs();
    let mut out = format!(r#"<p class="story-progress">{}</p>"#, escape_html(&pos.progress(story)));
    // The paper's question is quoted as written, in English; the words around it are the
    // page's.
    if let (0, Some(q), Some(c)) = (pos.step, &ch.question, &ch.question_source) {
        let mut cite = escape_html(&cite_text(atlas, c));
        if !en.is_empty() {
            cite = format!("<span{en}>{cite}</span>");
        }
        out.push_str(&format!(
            r#"<blockquote class="story-question"><p{en}>{}</p><footer>{}</footer></blockquote>"#,
            fill(&escape_html(t(Msg::StoryQuote)), &[("text", &escape_html(q))]),
            fill(&escape_html(t(Msg::StoryQuestion)), &[("source", &cite)])
        ));
    }
    out.push_str(&format!(
        r#"<h3 class="story-step-h" id="{prefix}-step-h" tabindex="-1">{}</h3><p class="story-text">{}</p><h4>{}</h4><ol class="citations">"#,
        escape_html(&step.heading),
        text_html(&step.text, prefix),
        escape_html(t(Msg::StorySources))
    ));
    for (i, c) in step.sources.iter().enumerate() {
        // The full reference once per source, at its first citation.
        let first = step.sources.iter().position(|x| x.source == c.source) == Some(i);
        let full = match atlas.source(&c.source) {
            Some(s) if first => format!(r#"<br><span class="cite-full"{en}>{}</span>"#, escape_html(&s.reference())),
            _ => String::new(),
        };
        out.push_str(&format!(
            r#"<li id="{prefix}-cite-{}"><span class="cite-short"{en}>{}</span>{full}</li>"#,
            i + 1,
            escape_html(&cite_text(atlas, c))
        ));
    }
    out.push_str("</ol>");
    out
}

/// The chapter menu's options, the current chapter selected.
pub fn chapter_options(story: &[Chapter], current: usize) -> String {
    story
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let sel = if i == current { " selected" } else { "" };
            let label = tf(Msg::StoryChapterOption, &[("n", &(i + 1).to_string()), ("title", &c.title)]);
            format!(r#"<option value="{}"{sel}>{}</option>"#, escape_html(&c.id), escape_html(&label))
        })
        .collect()
}

/// The first step of the story, if it has one.
pub fn first(story: &[Chapter]) -> Option<StoryPos> {
    story.iter().position(|c| !c.steps.is_empty()).map(|chapter| StoryPos { chapter, step: 0 })
}

/// What the views show at a step, as app-state values.
#[derive(Clone, Debug, PartialEq)]
pub struct StepTarget {
    pub range: TimeRange,
    pub selected: Option<usize>,
    pub categories: CategorySet,
    pub place: Option<usize>,
    /// `None`: the home view.
    pub map: Option<GeoView>,
    /// Series ids highlighted on the trade chart.
    pub series: Vec<String>,
    /// Table 2 row ids highlighted on the students chart.
    pub students: Vec<String>,
}

/// The state of `step`, starting from the atlas's full `range` (the validator has checked
/// every id; an unknown one, which only hand-made data could hold, is left out).
pub fn target(atlas: &Atlas, step: &Step, full: TimeRange) -> StepTarget {
    let s = &step.state;
    let mut range = full;
    if let Some(y) = s.range {
        range.set_range(y.start, y.end);
    }
    let categories = match &s.categories {
        None => [true; Category::COUNT],
        Some(keys) => {
            let mut set = [false; Category::COUNT];
            for c in keys.iter().filter_map(|k| Category::from_key(k)) {
                set[c.index()] = true;
            }
            set
        }
    };
    StepTarget {
        range,
        selected: s.event.as_deref().and_then(|id| atlas.event_index(id)),
        categories,
        place: s.place.as_deref().and_then(|id| atlas.places.iter().position(|p| p.id == id)),
        map: s.map.map(|m| GeoView { lon: m.lon, lat: m.lat, zoom: m.zoom }),
        series: s.series.clone(),
        students: s.students.clone(),
    }
}

/// The time range `t` of the way (0–1) from `a` to `b`, eased.
pub fn tween_range(a: TimeRange, b: TimeRange, t: f64) -> TimeRange {
    let e = ease(t);
    let mut r = b;
    r.set_range(a.start + (b.start - a.start) * e, a.end + (b.end - a.end) * e);
    r
}

/// The map view `t` of the way from `a` to `b`, eased (a transition is short: the zoom moves
/// linearly too, which spares the wasm a `pow`).
pub fn tween_view(a: GeoView, b: GeoView, t: f64) -> GeoView {
    let e = ease(t);
    let lerp = |x: f64, y: f64| x + (y - x) * e;
    GeoView { lon: lerp(a.lon, b.lon), lat: lerp(a.lat, b.lat), zoom: lerp(a.zoom, b.zoom) }
}

/// Ease in and out; clamped to 0–1.
fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::full_range as full_range_of;

    /// The data with the story (which the embedded atlas leaves to a file of its own).
    fn atlas() -> Atlas {
        crate::data::load(&crate::data::embedded_files()).expect("data/ is valid")
    }

    #[test]
    fn the_story_has_its_five_chapters_with_cited_steps() {
        let a = atlas();
        let ids: Vec<&str> = a.story.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["rq1", "rq2", "rq3", "rq4", "journey"]);
        for c in &a.story {
            assert!((3..=8).contains(&c.steps.len()), "{}: {} steps", c.id, c.steps.len());
            for (i, s) in c.steps.iter().enumerate() {
                assert!(!s.sources.is_empty(), "{} step {}", c.id, i + 1);
                assert!(s.word_count() <= crate::data::story::MAX_WORDS, "{} step {}", c.id, i + 1);
            }
            if c.id.starts_with("rq") {
                assert!(c.question.is_some(), "{}: the paper's research question", c.id);
            }
        }
    }

    #[test]
    fn addresses_name_steps_and_odd_ones_fall_back() {
        let a = atlas();
        let last = a.story[1].steps.len();
        let s = &a.story;
        assert_eq!(StoryPos::from_url(s, "rq2", Some(2)), Some(StoryPos { chapter: 1, step: 1 }));
        assert_eq!(StoryPos::from_url(s, "rq2", None), Some(StoryPos { chapter: 1, step: 0 }));
        assert_eq!(StoryPos::from_url(s, "rq2", Some(999)), Some(StoryPos { chapter: 1, step: last - 1 }));
        assert_eq!(StoryPos::from_url(s, "rq9", Some(1)), None);
        assert_eq!(StoryPos::from_url(&[], "rq2", Some(1)), None);
        let p = StoryPos::from_url(s, "rq2", Some(2)).unwrap();
        assert_eq!(p.to_url(s), Some(("rq2".to_string(), 2)));
        assert_eq!(p.progress(s), format!("Chapter 2 · step 2 of {last}"));
        let options = chapter_options(s, 1);
        assert!(options.contains(&format!(r#"<option value="rq2" selected>2. {}</option>"#, escape_html(&s[1].title))));
    }

    #[test]
    fn next_and_prev_walk_every_step_once() {
        let a = atlas();
        let total: usize = a.story.iter().map(|c| c.steps.len()).sum();
        let s = &a.story;
        let mut p = first(s).unwrap();
        let mut seen = vec![p];
        while let Some(n) = p.next(s) {
            seen.push(n);
            p = n;
        }
        assert_eq!(seen.len(), total);
        let mut back = vec![p];
        while let Some(b) = p.prev(s) {
            back.push(b);
            p = b;
        }
        back.reverse();
        assert_eq!(back, seen);
    }

    #[test]
    fn every_step_targets_what_it_names() {
        let a = atlas();
        let full = full_range_of(&a);
        for c in &a.story {
            for s in &c.steps {
                let t = target(&a, s, full);
                assert_eq!(t.selected.is_some(), s.state.event.is_some());
                assert_eq!(t.place.is_some(), s.state.place.is_some());
                if let Some(y) = s.state.range {
                    // The step's years are shown (kept whole where the limits shift them).
                    assert!(t.range.start <= y.start.max(full.limits.lo) + 1e-9, "{}: {:?}", c.id, t.range);
                    assert!(t.range.end >= y.end.min(full.limits.hi) - 1e-9, "{}: {:?}", c.id, t.range);
                    assert!(t.range.span() < full.span(), "{}: a step's range narrows the view", c.id);
                }
                // The selected event passes the step's filters (it is drawn, not dimmed).
                if let Some(i) = t.selected {
                    let mask = crate::filter::full_mask(&a, &t.categories, "", t.place);
                    assert!(mask[i], "{}: the selected event is filtered out", c.id);
                }
            }
        }
    }

    #[test]
    fn step_html_links_every_marker_to_its_citation() {
        let a = atlas();
        for (c, ch) in a.story.iter().enumerate() {
            for (i, step) in ch.steps.iter().enumerate() {
                let html = step_html(&a, &a.story, StoryPos { chapter: c, step: i }, "story");
                for n in 1..=step.sources.len() {
                    assert!(
                        html.contains(&format!(r##"href="#story-cite-{n}""##)),
                        "{} step {}: marker {n}",
                        ch.id,
                        i + 1
                    );
                    assert!(
                        html.contains(&format!(r#"<li id="story-cite-{n}">"#)),
                        "{} step {}: cite {n}",
                        ch.id,
                        i + 1
                    );
                }
                assert!(html.contains(&escape_html(&step.heading)));
                assert_eq!(html.contains("story-question"), i == 0 && ch.question.is_some());
                // Every marker became a link.
                let markers = crate::data::story::segments(&step.text).iter().filter(|(_, m)| m.is_some()).count();
                assert_eq!(html.matches(r#"class="cite-mark""#).count(), markers, "{} step {}", ch.id, i + 1);
            }
        }
        assert_eq!(
            text_html("a <b> [1] & [x]", "p"),
            r##"a &lt;b&gt; <sup class="cite-mark"><a href="#p-cite-1" aria-label="source 1">[1]</a></sup> &amp; [x]"##
        );
        assert_eq!(step_html(&a, &a.story, StoryPos { chapter: 99, step: 0 }, "story"), "");
        // A source cited twice in a step is referenced in full once.
        let (c, i) = a
            .story
            .iter()
            .enumerate()
            .flat_map(|(c, ch)| ch.steps.iter().enumerate().map(move |(i, s)| (c, i, s)))
            .find(|(_, _, s)| s.sources.len() > 1 && s.sources.iter().all(|x| x.source == s.sources[0].source))
            .map(|(c, i, _)| (c, i))
            .expect("a step citing one source at several places");
        assert_eq!(step_html(&a, &a.story, StoryPos { chapter: c, step: i }, "s").matches("cite-full").count(), 1);
    }

    #[test]
    fn tweens_start_and_end_where_they_should() {
        let a = GeoView { lon: 60.0, lat: 30.0, zoom: 1.0 };
        let b = GeoView { lon: 40.0, lat: 55.0, zoom: 8.0 };
        assert_eq!(tween_view(a, b, 0.0), a);
        assert_eq!(tween_view(a, b, 1.0), b);
        let mid = tween_view(a, b, 0.5);
        assert!((mid.zoom - 4.5).abs() < 1e-9 && (mid.lon - 50.0).abs() < 1e-9);
        let full = full_range_of(&atlas());
        let mut to = full;
        to.set_range(1960.0, 1970.0);
        let r = tween_range(full, to, 1.0);
        assert_eq!((r.start, r.end), (1960.0, 1970.0));
        let r = tween_range(full, to, 0.0);
        assert_eq!((r.start, r.end), (full.start, full.end));
    }
}
