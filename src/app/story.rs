//! The story panel: chapter menu, the step's cited text, Previous / Next / Explore, the keys
//! ←/→ and Page Up/Down while it has focus, Esc to leave. Built once from a static template and
//! updated by one effect (as the Embed dialog is: each reactive attribute of a `view!` costs
//! wasm). What a step shows comes from [`crate::story::target`]; the views redraw from their
//! scenes like after any other change.
//!
//! Printing while the story is open prints one section per step of the chapter: its text,
//! its citations and its views, drawn as SVG by the views' own drawing functions.

use super::canvas::svg_of;
use super::state::{full_range, theme_of, use_state, AppState};
use crate::render::charts::{draw_students_chart, draw_trade_chart, time_series};
use crate::render::timeline::{draw_timeline, TimelineDrawState};
use crate::story::{chapter_options, step_html, target, tween_range, tween_view, StoryPos};
use crate::timeline::layout;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlSelectElement};

/// How long a step's transition takes, ms (none under reduced motion).
const TRANSITION_MS: f64 = 450.0;

fn by_id(id: &str) -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
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
pub fn show_step(state: AppState, pos: StoryPos, animate: bool) {
    let atlas = state.atlas;
    let Some(step) = pos.step(atlas) else { return };
    let t = target(atlas, step, full_range(atlas));
    state.story.set(Some(pos));
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
            if state.story.get_untracked() != Some(pos) {
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
pub fn leave(state: AppState) {
    state.story.set(None);
    focus("story-open");
}

/// Opens the story at its first step.
pub fn open(state: AppState) {
    if let Some(p) = crate::story::first(state.atlas) {
        show_step(state, p, true);
        focus("story-h");
    }
}

fn template(state: AppState) -> String {
    format!(
        r#"<div class="story-head"><h2 id="story-h" tabindex="-1">Story</h2>
<label for="story-chapter">Chapter</label> <select id="story-chapter">{}</select></div>
<div id="story-body"></div>
<div class="story-nav" role="group" aria-label="Story steps">
<button type="button" id="story-prev" data-story="prev">← Previous</button>
<button type="button" id="story-next" data-story="next">Next →</button>
<button type="button" id="story-explore" data-story="explore">Explore</button></div>
<p class="help">← → or Page Up / Page Down: previous and next step. Esc or Explore: leave the story here and explore.</p>"#,
        chapter_options(state.atlas, 0)
    )
}

/// The views a step uses, as body classes (`story-v-map`), so the page shows those only.
fn set_body_classes(state: AppState, pos: Option<StoryPos>) {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let list = body.class_list();
    let _ = list.toggle_with_force("story-mode", pos.is_some());
    let views = pos.and_then(|p| p.step(state.atlas)).map(|s| s.views.clone()).unwrap_or_default();
    for v in crate::data::story::STEP_VIEWS {
        let _ = list.toggle_with_force(&format!("story-v-{v}"), views.iter().any(|x| x == v));
    }
}

#[component]
pub fn StoryPanel() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let root = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        let pos = state.story.get();
        set_body_classes(state, pos);
        let Some(el) = root.get() else { return };
        el.set_hidden(pos.is_none());
        let Some(p) = pos else { return };
        if let Some(body) = by_id("story-body") {
            body.set_inner_html(&step_html(atlas, p, "story"));
        }
        if let Some(sel) = by_id("story-chapter").and_then(|e| e.dyn_into::<HtmlSelectElement>().ok()) {
            sel.set_selected_index(p.chapter as i32);
        }
        for (id, to) in [("story-prev", p.prev(atlas)), ("story-next", p.next(atlas))] {
            if let Some(b) = by_id(id) {
                // A focused button that goes dead hands focus to the panel, not to the page.
                let focused = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.active_element())
                    .is_some_and(|a| a == b);
                let _ = if to.is_some() { b.remove_attribute("disabled") } else { b.set_attribute("disabled", "") };
                if to.is_none() && focused {
                    focus("story-h");
                }
            }
        }
    });
    let go = move |to: Option<StoryPos>| {
        if let Some(p) = to {
            show_step(state, p, true);
        }
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(t) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Some(b) = t.closest("[data-story]").ok().flatten() else { return };
        let Some(p) = state.story.get_untracked() else { return };
        match b.get_attribute("data-story").as_deref() {
            Some("prev") => go(p.prev(atlas)),
            Some("next") => go(p.next(atlas)),
            Some("explore") => leave(state),
            _ => {}
        }
    };
    let on_change = move |ev: web_sys::Event| {
        let Some(sel) = ev.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) else { return };
        if let Some(chapter) = atlas.chapter_index(&sel.value()) {
            go(Some(StoryPos { chapter, step: 0 }));
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(p) = state.story.get_untracked() else { return };
        // The chapter menu keeps its own arrow keys.
        let in_select = ev.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).is_some();
        let to = match ev.key().as_str() {
            "ArrowLeft" | "PageUp" if !in_select => p.prev(atlas),
            "ArrowRight" | "PageDown" if !in_select => p.next(atlas),
            "Escape" => {
                ev.prevent_default();
                leave(state);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        go(to);
    };
    install_print(state);
    view! {
        <section node_ref=root class="panel story-panel" id="story" aria-labelledby="story-h" hidden
            inner_html=template(state) on:click=on_click on:change=on_change on:keydown=on_key></section>
    }
}

/// Before printing in story mode, fills `#story-print` with one section per step of the
/// chapter; after printing, empties it.
fn install_print(state: AppState) {
    let Some(w) = web_sys::window() else { return };
    let before = Closure::<dyn Fn()>::new(move || {
        let Some(out) = by_id("story-print") else { return };
        let html = state.story.get_untracked().map(|p| print_html(state, p.chapter)).unwrap_or_default();
        out.set_inner_html(&html);
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
    let Some(ch) = atlas.story.get(chapter) else { return String::new() };
    let mut out = format!("<h2>Story: {}</h2>", crate::ui::escape_html(&ch.title));
    for i in 0..ch.steps.len() {
        let pos = StoryPos { chapter, step: i };
        out.push_str(r#"<section class="print-step">"#);
        out.push_str(&step_html(atlas, pos, &format!("print-{i}")));
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
pub fn step_view_svg(state: AppState, pos: StoryPos, view: &str) -> Option<String> {
    let atlas = state.atlas;
    let step = pos.step(atlas)?;
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
