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

/// Reads the state out of the app.
pub fn capture(state: &AppState) -> UrlState {
    let atlas = state.atlas;
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
    }
}

/// Applies a parsed URL to the app; unknown ids are ignored, the rest still applies.
pub fn apply(state: &AppState, url: &UrlState) {
    let atlas = state.atlas;
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
    state.panel.set(url.panel);
    state.embed.set(url.embed);
}

/// Starts the two-way binding between the app state and the URL.
pub fn bind(state: AppState) {
    let initial = UrlState::parse(&location_search());
    apply(&state, &initial);
    let last_selection = Rc::new(Cell::new(None::<(Option<usize>, Option<usize>)>));
    let generation = Rc::new(Cell::new(0u32));

    let cb = Closure::<dyn Fn()>::new(move || apply(&state, &UrlState::parse(&location_search())));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", cb.as_ref().unchecked_ref());
    }
    cb.forget();

    Effect::new(move |_| {
        let url = capture(&state);
        let selection = (state.selected.get(), state.place.get());
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
