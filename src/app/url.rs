//! Mirrors the shareable state in the URL: read once at start and on back/forward, written
//! (debounced) whenever it changes. Selections push a history entry so back/forward move
//! between them; view changes replace the current entry.

use super::state::{full_range, AppState};
use crate::data::Category;
use crate::urlstate::UrlState;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn location_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Reads the state out of the app. While the story is open the address is the step's (what
/// the step shows follows from it), so that reloading or sharing opens the same step.
pub fn capture(state: &AppState) -> UrlState {
    let atlas = state.atlas;
    // A step asked for (and not shown yet, the chapters loading) is what the address says.
    let wanted = state.story.with(|s| s.wanted.clone()).map(|(id, n)| (id, n.unwrap_or(1)));
    if let Some((id, n)) = wanted.or_else(|| state.story_pos().and_then(|p| p.to_url(state.chapters()))) {
        return UrlState {
            story: Some(id),
            step: Some(n),
            panel: state.panel.get(),
            embed: state.embed.get_untracked(),
            lang: crate::i18n::tr().url_lang(),
            ..UrlState::default()
        };
    }
    let view = state.range.get();
    let full = full_range(atlas);
    let cats = state.categories.get();
    UrlState {
        event: state.selected.get().and_then(|i| atlas.events.get(i)).map(|e| e.id.clone()),
        place: state.place.get().and_then(|i| atlas.places.get(i)).map(|p| p.id.clone()),
        range: ((view.start - full.start).abs() > 1e-6 || (view.end - full.end).abs() > 1e-6)
            .then_some((view.start, view.end)),
        categories: (cats != [true; Category::COUNT]).then_some(cats),
        search: state.search.get(),
        map: state.map_view.get(),
        panel: state.panel.get(),
        embed: state.embed.get_untracked(),
        story: None,
        step: None,
        lang: crate::i18n::tr().url_lang(),
    }
}

/// Applies a parsed URL to the app; unknown ids are ignored, the rest still applies. A story
/// step (`story=`, `step=`) sets what the step shows; an unknown chapter opens the atlas as the
/// other keys say.
pub fn apply(state: &AppState, url: &UrlState) {
    let atlas = state.atlas;
    state.panel.set(url.panel);
    state.embed.set(url.embed);
    if let Some(id) = &url.story {
        // The story's module shows the step once it and the chapters are there (the page asks
        // it: see `story_module::watch`).
        state.story.update(|s| s.wanted = Some((id.clone(), url.step)));
        return;
    }
    state.set_story_pos(None);
    state.selected.set(url.event.as_deref().and_then(|id| atlas.event_index(id)));
    state.place.set(url.place.as_deref().and_then(|id| atlas.places.iter().position(|p| p.id == id)));
    let mut range = full_range(atlas);
    if let Some((a, b)) = url.range {
        range.set_range(a, b);
    }
    state.range.set(range);
    state.categories.set(url.categories.unwrap_or([true; Category::COUNT]));
    state.search.set(url.search.clone());
    state.map_view.set(url.map);
}

/// What a history entry stands for: a selection (event, place) or a story step.
#[derive(Clone, Copy, PartialEq)]
enum Entry {
    Selection(Option<usize>, Option<usize>),
    Step(crate::story::StoryPos),
}

/// Starts the two-way binding between the app state and the URL.
pub fn bind(state: AppState) {
    let initial = UrlState::parse(&location_search());
    apply(&state, &initial);
    let last_selection = Rc::new(Cell::new(None::<Entry>));
    let generation = Rc::new(Cell::new(0u32));

    let cb = Closure::<dyn Fn()>::new(move || apply(&state, &UrlState::parse(&location_search())));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", cb.as_ref().unchecked_ref());
    }
    cb.forget();

    Effect::new(move |_| {
        let url = capture(&state);
        // A story step is a history entry of its own, like a selection.
        let selection = match state.story_pos() {
            Some(p) => Entry::Step(p),
            None => Entry::Selection(state.selected.get(), state.place.get()),
        };
        let previous = last_selection.replace(Some(selection));
        // After back/forward the URL already says what the state is: nothing to write.
        if url.to_query() == location_search() {
            return;
        }
        // A new selection is a new history entry; anything else rewrites the current one.
        let push = previous.is_some_and(|p| p != selection);
        let g = generation.get().wrapping_add(1);
        generation.set(g);
        let generation = generation.clone();
        let write = move || {
            if generation.get() != g && !push {
                return; // a newer change will write
            }
            let query = url.to_query();
            if query == location_search() {
                return;
            }
            let Some(w) = web_sys::window() else { return };
            let Ok(history) = w.history() else { return };
            let path = w.location().pathname().unwrap_or_default();
            let hash = w.location().hash().unwrap_or_default();
            let target = format!("{path}{query}{hash}");
            let _ = if push {
                history.push_state_with_url(&JsValue::NULL, "", Some(&target))
            } else {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&target))
            };
        };
        if push {
            write();
        } else {
            set_timeout(write, Duration::from_millis(250));
        }
    });
}
