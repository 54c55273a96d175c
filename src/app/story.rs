//! The story panel, a WebAssembly module of its own loaded when the story is first wanted
//! ([`super::story_module`]'s split point calls [`enter`]), and the chapters' loader: chapter
//! menu, the step's cited text, Previous / Next / Explore, the keys ←/→ (→/← right to left)
//! and Page Up/Down while it has focus, Esc to leave. Built once from a static template and
//! updated by one effect (as the Embed dialog is: each reactive attribute of a `view!` costs
//! wasm). What a step shows comes from
//! [`crate::story::target`]; the views redraw from their scenes like after any other change.
//!
//! Printing while the story is open prints one section per step of the chapter: its text,
//! its citations and its views, drawn as SVG by the views' own drawing functions.

use super::canvas::svg_of;
use super::page::{by_id, download_text};
use super::state::{full_range, theme_of, AppState, StoryData};
use crate::data::Chapter;
use crate::i18n::{fill, t, tf, tr, Msg};
use crate::render::charts::{draw_students_chart, draw_trade_chart, time_series};
use crate::render::timeline::{draw_timeline, TimelineDrawState};
use crate::story::{chapter_options, step_html, target, tween_range, tween_view, StoryPos};
use crate::timeline::layout;
use crate::ui::escape_html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlSelectElement};

/// How long a step's transition takes, ms (none under reduced motion).
const TRANSITION_MS: f64 = 450.0;

/// What the page asks of the story's module.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ask {
    /// The step in `Story::wanted` (an address's), shown once the chapters are there.
    Step,
    /// The first step: the Story button.
    Open,
    /// The "All data JSON" download, which holds the chapters.
    AllData,
}

/// The story file's name beside the app (see `cargo xtask data-files`).
const STORY_FILE: &str = "story.bin";

/// Calls `then` with the chapters once they are loaded: at once if they are, else after the
/// story file has arrived (`then` is dropped if it cannot be read: the panel says why).
fn with_story(state: AppState, then: impl FnOnce(&'static [Chapter]) + 'static) {
    match state.story.with_untracked(|s| s.data.clone()) {
        StoryData::Ready(c) => return then(c),
        StoryData::Loading => return,
        _ => {}
    }
    state.story.update(|s| s.data = StoryData::Loading);
    let done = move |bytes: Result<Vec<u8>, String>| match bytes.and_then(|b| crate::data::codec::decode_story(&b)) {
        Ok(mut chapters) => {
            if let Some(t) = &crate::i18n::tr().content {
                crate::data::catalogue::apply_story(&mut chapters, t);
            }
            let chapters: &'static [Chapter] = Box::leak(chapters.into_boxed_slice());
            state.story.update(|s| s.data = StoryData::Ready(chapters));
            then(chapters);
        }
        Err(e) => state.story.update(|s| s.data = StoryData::Failed(e)),
    };
    // The single file carries the story inline, as base64 in a data block.
    super::fetch::file_or_block(STORY_FILE, "story-data", done);
}

fn focus(id: &str) {
    if let Some(e) = by_id(id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Moves the atlas to step `pos`: selection, place, categories and the charts' highlight at
/// once, the time range and the map view through a short transition when `animate` (and the
/// visitor allows motion).
fn show_step(state: AppState, pos: StoryPos, animate: bool) {
    let atlas = state.atlas;
    let Some(step) = pos.step(state.chapters_untracked()) else { return };
    let t = target(atlas, step, full_range(atlas));
    state.set_story_pos(Some(pos));
    state.search.set(String::new());
    state.hovered.set(None);
    state.categories.set(t.categories);
    state.place.set(t.place);
    state.selected.set(t.selected);
    let (from_range, from_map) = (state.range.get_untracked(), state.map_view.get_untracked());
    let Some(perf) = web_sys::window().and_then(|w| w.performance()).filter(|_| animate && !reduced_motion()) else {
        state.range.set(t.range);
        state.map_view.set(t.map);
        return;
    };
    // The map moves only between two set views: the home view depends on the canvas's shape.
    let map_tween = match (from_map, t.map) {
        (Some(a), Some(b)) if a != b => Some((a, b)),
        _ => {
            state.map_view.set(t.map);
            None
        }
    };
    let start = perf.now();
    fn frame(state: AppState, pos: StoryPos, start: f64, f: std::rc::Rc<dyn Fn(f64)>) {
        request_animation_frame(move || {
            // Another step (or leaving the story) ends this transition.
            if state.story_pos_untracked() != Some(pos) {
                return;
            }
            let now = web_sys::window().and_then(|w| w.performance()).map_or(start + TRANSITION_MS, |p| p.now());
            let k = ((now - start) / TRANSITION_MS).min(1.0);
            f(k);
            if k < 1.0 {
                frame(state, pos, start, f);
            }
        });
    }
    let to_range = t.range;
    let step_to = std::rc::Rc::new(move |k: f64| {
        state.range.set(tween_range(from_range, to_range, k));
        if let Some((a, b)) = map_tween {
            state.map_view.set(Some(tween_view(a, b, k)));
        }
    });
    frame(state, pos, start, step_to);
}

/// Leaves the story where it is: every view keeps the step's state, for exploring.
fn leave(state: AppState) {
    state.set_story_pos(None);
    state.story.update(|s| s.wanted = None);
    if matches!(state.story.with_untracked(|s| s.data.clone()), StoryData::Failed(_)) {
        state.story.update(|s| s.data = StoryData::NotLoaded); // a later try loads again
    }
    focus("story-open");
}

/// The module's entry ([`super::story_module::ask`]): mounts the panel the first time, then
/// loads the chapters and does what was asked.
pub fn enter(state: AppState, what: Ask) {
    // Mounted once: `mount` puts the panel in the page at once.
    if by_id("story").is_none() {
        mount(state);
    }
    match what {
        // The panel's effect shows the wanted step once the chapters are there.
        Ask::Step => with_story(state, |_| {}),
        Ask::Open => open(state),
        Ask::AllData => {
            let atlas = state.atlas;
            with_story(state, move |story| {
                download_text("pakistan-russia-data.json", "application/json", &crate::export::data_json(atlas, story))
            })
        }
    }
}

/// Opens the story at its first step (loading it first if need be).
fn open(state: AppState) {
    with_story(state, move |story| {
        if let Some(p) = crate::story::first(story) {
            show_step(state, p, true);
            reveal();
        }
    });
    reveal();
}

/// Shows the panel at once (its effect would, a moment later) and moves the focus to its
/// heading: the story was asked for, so the panel is open, at a step or loading.
fn reveal() {
    if let Some(p) = by_id("story") {
        let _ = p.remove_attribute("hidden");
    }
    focus("story-h");
}

/// The panel's fixed part: heading, chapter menu, the step's place, the buttons.
const TEMPLATE: &str = r#"<div class="story-head"><h2 id="story-h" tabindex="-1">{story}</h2>
<label for="story-chapter">{chapter}</label> <select id="story-chapter"></select></div>
<div id="story-body"></div>
<div class="story-nav" role="group" aria-label="{steps}">
<button type="button" id="story-prev" data-story="prev">{prev}</button>
<button type="button" id="story-next" data-story="next">{next}</button>
<button type="button" id="story-explore" data-story="explore">{explore}</button>
<button type="button" id="story-embed" data-story="embed">{embed}</button></div>
<p class="help">{help}</p>"#;

/// [`TEMPLATE`] in the page's language.
fn template() -> String {
    let m = |k| escape_html(t(k));
    fill(
        TEMPLATE,
        &[
            ("story", &m(Msg::AppStory)),
            ("chapter", &m(Msg::StoryChapter)),
            ("steps", &m(Msg::StorySteps)),
            ("prev", &m(Msg::StoryPrev)),
            ("next", &m(Msg::StoryNext)),
            ("explore", &m(Msg::StoryExplore)),
            ("embed", &m(Msg::StoryEmbedStep)),
            ("help", &m(Msg::StoryHelp)),
        ],
    )
}

/// The views a step uses, as body classes (`story-v-map`), so the page shows those only.
fn set_body_classes(story: &[Chapter], pos: Option<StoryPos>) {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let list = body.class_list();
    let _ = list.toggle_with_force("story-mode", pos.is_some());
    let views = pos.and_then(|p| p.step(story)).map(|s| s.views.clone()).unwrap_or_default();
    for v in crate::data::story::STEP_VIEWS {
        let _ = list.toggle_with_force(&format!("story-v-{v}"), views.iter().any(|x| x == v));
    }
}

/// Builds the story panel as the first child of `<main>` (from a static template, not a
/// `view!`: its wasm is a few listeners, not a view tree) and keeps it in step with the state.
fn mount(state: AppState) {
    let atlas = state.atlas;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(root) = doc.create_element("section") else { return };
    root.set_id("story");
    root.set_class_name("panel story-panel");
    let _ = root.set_attribute("aria-labelledby", "story-h");
    let _ = root.set_attribute("hidden", "");
    root.set_inner_html(&template());
    // At the top of `<main>` (the page is mounted before the panel's module is loaded); from
    // now on the Story button controls it.
    if let Some(main) = by_id("main") {
        let _ = main.insert_before(&root, main.first_child().as_ref());
    }
    if let Some(b) = by_id("story-open") {
        let _ = b.set_attribute("aria-controls", "story");
    }
    // The chapter menu, once the chapters are there.
    Effect::new(move |_| {
        // Once: the chapters do not change after they are loaded (rebuilding the options on
        // every step would reset the choice the step effect below makes).
        let story = state.chapters();
        if let Some(sel) = by_id("story-chapter").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            if sel.length() as usize != story.len() {
                sel.set_inner_html(&chapter_options(story, state.story_pos_untracked().map_or(0, |p| p.chapter)));
            }
        }
    });
    // A step an address asked for, once the chapters are there (see `url::apply`). An unknown
    // chapter leaves the atlas as it is, except in an embedded story: its first step.
    Effect::new(move |_| {
        let story = state.chapters();
        let Some((id, n)) = state.story.with(|s| s.wanted.clone()) else { return };
        if story.is_empty() {
            return;
        }
        let mut pos = StoryPos::from_url(story, &id, n);
        if pos.is_none() && state.embed.get_untracked() == Some(crate::urlstate::Embed::Story) {
            pos = crate::story::first(story);
        }
        state.story.update(|s| s.wanted = None);
        match pos {
            Some(p) => show_step(state, p, false),
            None => state.set_story_pos(None),
        }
    });
    let panel = root.clone();
    Effect::new(move |_| {
        let (pos, data) = state.story.with(|s| (s.pos, s.data.clone()));
        let story = state.chapters();
        set_body_classes(story, pos);
        // Shown at a step, and while the story loads or if it could not be loaded.
        let hidden = pos.is_none() && matches!(data, StoryData::NotLoaded | StoryData::Ready(_));
        let _ = if hidden { panel.set_attribute("hidden", "") } else { panel.remove_attribute("hidden") };
        let message = match &data {
            StoryData::Loading => Some(t(Msg::StoryLoading).to_string()),
            StoryData::Failed(why) => Some(tf(Msg::StoryLoadFailed, &[("why", why)])),
            _ => None,
        };
        if let (Some(m), Some(body)) = (message, by_id("story-body")) {
            body.set_inner_html(&format!(r#"<p class="story-progress" role="alert">{}</p>"#, escape_html(&m)));
        }
        let Some(p) = pos else { return };
        if let Some(body) = by_id("story-body") {
            body.set_inner_html(&step_html(atlas, story, p, "story"));
        }
        if let Some(sel) = by_id("story-chapter").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            sel.set_selected_index(p.chapter as i32);
        }
        for (id, to) in [("story-prev", p.prev(story)), ("story-next", p.next(story))] {
            if let Some(b) = by_id(id) {
                // A focused button that goes dead hands focus to the panel's heading.
                let focused = doc_active().is_some_and(|a| a == b);
                let _ = if to.is_some() { b.remove_attribute("disabled") } else { b.set_attribute("disabled", "") };
                if to.is_none() && focused {
                    focus("story-h");
                }
            }
        }
    });
    // One listener (one closure type) for clicks, the chapter menu and keys.
    let on_event = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| on_event(state, ev.unchecked_into()));
    for kind in ["click", "change", "keydown"] {
        let _ = root.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
    }
    on_event.forget();
    install_print(state);
}

fn doc_active() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

fn on_event(state: AppState, ev: web_sys::Event) {
    let story = state.chapters_untracked();
    let pos = state.story_pos_untracked();
    let go = |to: Option<StoryPos>| {
        if let Some(p) = to {
            show_step(state, p, true);
        }
    };
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    let in_select = target.tag_name() == "SELECT";
    match ev.type_().as_str() {
        "change" if in_select => {
            let value = target.unchecked_ref::<HtmlSelectElement>().value();
            go(story.iter().position(|c| c.id == value).map(|chapter| StoryPos { chapter, step: 0 }));
        }
        "click" => {
            let action = target.closest("[data-story]").ok().flatten().and_then(|b| b.get_attribute("data-story"));
            match (action.as_deref(), pos) {
                (Some("explore"), _) => leave(state),
                (Some("embed"), Some(_)) => super::embed::open_with(&state, crate::urlstate::Embed::Story),
                (Some("prev"), Some(p)) => go(p.prev(story)),
                (Some("next"), Some(p)) => go(p.next(story)),
                _ => {}
            }
        }
        "keydown" => {
            let key = ev.unchecked_ref::<web_sys::KeyboardEvent>().key();
            // Right to left, Previous is on the right and Next on the left: so are their arrows.
            let (back, on) = match tr().lang.dir() {
                "rtl" => ("ArrowRight", "ArrowLeft"),
                _ => ("ArrowLeft", "ArrowRight"),
            };
            let to = match (key.as_str(), pos) {
                ("Escape", _) => {
                    ev.prevent_default();
                    return leave(state);
                }
                // The chapter menu keeps its own arrow keys.
                (k, Some(p)) if !in_select && (k == back || k == "PageUp") => p.prev(story),
                (k, Some(p)) if !in_select && (k == on || k == "PageDown") => p.next(story),
                _ => return,
            };
            ev.prevent_default();
            go(to);
        }
        _ => {}
    }
}

/// Before printing in story mode, fills `#story-print` with one section per step of the
/// chapter; after printing, empties it.
fn install_print(state: AppState) {
    let Some(w) = web_sys::window() else { return };
    let before = Closure::<dyn Fn()>::new(move || {
        let Some(p) = state.story_pos_untracked() else { return };
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let out = by_id("story-print").or_else(|| {
            let el = doc.create_element("div").ok()?;
            el.set_id("story-print");
            el.set_class_name("story-print");
            doc.body()?.append_child(&el).ok()?;
            Some(el)
        });
        if let Some(out) = out {
            out.set_inner_html(&print_html(state, p.chapter));
        }
    });
    let after = Closure::<dyn Fn()>::new(move || {
        if let Some(out) = by_id("story-print") {
            out.set_inner_html("");
        }
    });
    let _ = w.add_event_listener_with_callback("beforeprint", before.as_ref().unchecked_ref());
    let _ = w.add_event_listener_with_callback("afterprint", after.as_ref().unchecked_ref());
    before.forget();
    after.forget();
}

/// Every step of chapter `chapter` with its views drawn at the step's state.
fn print_html(state: AppState, chapter: usize) -> String {
    let atlas = state.atlas;
    let story = state.chapters_untracked();
    let Some(ch) = story.get(chapter) else { return String::new() };
    let mut out = format!("<h2>{}</h2>", escape_html(&tf(Msg::StoryPrintTitle, &[("title", &ch.title)])));
    for i in 0..ch.steps.len() {
        let pos = StoryPos { chapter, step: i };
        out.push_str(r#"<section class="print-step">"#);
        out.push_str(&step_html(atlas, story, pos, &format!("print-{i}")));
        for v in &ch.steps[i].views {
            out.push_str(r#"<figure class="print-view">"#);
            out.push_str(&step_view_svg(state, pos, v).unwrap_or_default());
            out.push_str("</figure>");
        }
        out.push_str("</section>");
    }
    out
}

/// View `view` of step `pos`, as SVG, drawn by the view's own function from the step's state.
fn step_view_svg(state: AppState, pos: StoryPos, view: &str) -> Option<String> {
    let atlas = state.atlas;
    let step = pos.step(state.chapters_untracked())?;
    let t = target(atlas, step, full_range(atlas));
    let theme = theme_of(false);
    let mask = crate::filter::full_mask(atlas, &t.categories, "", t.place);
    match view {
        "timeline" => {
            let size = (720u32, 260u32);
            let lay = layout(atlas, &t.range, size.0 as f64, size.1 as f64, &mask);
            let ds = TimelineDrawState { selected: t.selected, hovered: None };
            svg_of(size, |root| draw_timeline(root, &lay, &ds, &theme))
        }
        "map" => {
            let scene = super::state::MapScene {
                size: (720.0, 360.0),
                view: t.map,
                mask,
                range: t.range,
                selected: t.selected,
                place: t.place,
                focus: None,
                hover_unit: None,
                dark: false,
                epoch: 0,
            };
            super::map::map_svg_of(atlas, &scene)
        }
        "trade" => svg_of((720, 360), |root| {
            draw_trade_chart(root, &time_series(&atlas.series, "USD million"), &t.series, &theme)
        }),
        "students" => svg_of((720, 380), |root| draw_students_chart(root, &atlas.students, &t.students, &theme)),
        _ => None,
    }
}
