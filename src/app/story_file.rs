//! The story's chapters, a file of their own (`story.bin`, written by `cargo xtask
//! data-files`): fetched when the story is first opened or an address names a step, or read
//! from the data block the single file carries instead.

use super::state::{AppState, StoryData};
use crate::data::Chapter;
use leptos::prelude::*;

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

/// Asks for step `n` (from 1) of chapter `id`, shown once the chapters are there (the story
/// panel's effect resolves it; see `story::mount`).
pub fn want(state: AppState, id: String, n: Option<u32>) {
    state.story.update(|s| s.wanted = Some((id, n)));
    with_story(state, |_| {});
}
