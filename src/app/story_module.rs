//! The door to the story's module: the page asks it ([`ask`]) for a step, the first step or the
//! "All data JSON" download. The module is a WebAssembly module of its own, split off the app's
//! at build time (xtask/src/split.rs) and fetched the first time; it holds the panel and the
//! chapters' loader ([`super::story`]).

use super::page::by_id;
use super::state::AppState;
use super::story::{enter, Ask};
use crate::i18n::{tf, Msg};
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// Asks the module for the step an address names (`url::apply` puts it in `Story::wanted`),
/// whenever one is wanted.
pub fn watch(state: AppState) {
    let wanted = Memo::new(move |_| state.story.with(|s| s.wanted.is_some()));
    Effect::new(move |_| {
        if wanted.get() {
            ask(state, Ask::Step);
        }
    });
}

/// Where the page says that the story's module could not be loaded.
const MODULE_FAILED: &str = "story-failed";

/// Loads the story's module if it is not there yet and hands it `what` (it mounts the panel
/// the first time). If the module cannot be loaded the page says so above the views; a later
/// try loads it again. The task belongs to no reactive owner or observer: the panel's effects
/// must outlive whatever asked (an effect that asks re-runs, which would dispose of them).
pub fn ask(state: AppState, what: Ask) {
    leptos::task::spawn_local(async move {
        let result = story_module(state, what).await;
        let old = by_id(MODULE_FAILED);
        match (result, old) {
            (Ok(()), Some(old)) => old.remove(),
            (Ok(()), None) => {}
            (Err(e), old) => {
                let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
                let Some(p) = old.or_else(|| doc.create_element("p").ok()) else { return };
                p.set_id(MODULE_FAILED);
                p.set_class_name("story-progress");
                let _ = p.set_attribute("role", "alert");
                p.set_text_content(Some(&tf(Msg::StoryLoadFailed, &[("why", &e.to_string())])));
                if let Some(main) = by_id("main") {
                    let _ = main.insert_before(&p, main.first_child().as_ref());
                }
            }
        }
    });
}

/// The split point: the story's panel, its chapters' loader and decoder, the "All data JSON"
/// writer and everything only they use move into the module `story`, which this call fetches
/// the first time.
#[wasm_split(story, wasm_split_path = ::leptos::wasm_split, fallible)]
fn story_module(state: AppState, what: Ask) -> Result<(), SplitLoaderError> {
    enter(state, what);
    Ok(())
}
