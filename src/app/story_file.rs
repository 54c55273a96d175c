//! The story's door: the page asks the story's module ([`ask`]), a WebAssembly module of its own
//! split off the app's at build time (xtask/src/split.rs) and fetched the first time, for a
//! step, the first step or the "All data JSON" download. That module holds the panel
//! ([`super::story`]) and [`with_story`], which loads the chapters: a file of their own
//! (`story.bin`, written by `cargo xtask data-files`), fetched then too, or read from the data
//! block the single file carries instead.

use super::page::by_id;
use super::state::{AppState, StoryData};
use crate::data::Chapter;
use crate::i18n::{tf, Msg};
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// The story file's name beside the app (see `cargo xtask data-files`).
const STORY_FILE: &str = "story.bin";

/// Calls `then` with the chapters once they are loaded: at once if they are, else after the
/// story file has arrived (`then` is dropped if it cannot be read: the panel says why).
pub fn with_story(state: AppState, then: impl FnOnce(&'static [Chapter]) + 'static) {
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

/// Asks for step `n` (from 1) of chapter `id`, shown once the chapters are there (the story
/// panel's effect resolves it; see `story::mount`).
pub fn want(state: AppState, id: String, n: Option<u32>) {
    state.story.update(|s| s.wanted = Some((id, n)));
    ask(state, Ask::Step);
}

/// Where the page says that the story's module could not be loaded.
const MODULE_FAILED: &str = "story-failed";

/// Loads the story's module if it is not there yet and hands it `what` (it mounts the panel
/// the first time). If the module cannot be loaded the page says so above the views; a later
/// try loads it again.
pub fn ask(state: AppState, what: Ask) {
    leptos::task::spawn_local_scoped(async move {
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
    super::story::enter(state, what);
    Ok(())
}
