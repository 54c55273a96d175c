//! The story's chapters, a file of their own (`story.bin`, written by `cargo xtask
//! story-file`): fetched when the story is first opened or an address names a step, or read
//! from the data block the single file carries instead.

use super::state::{AppState, StoryData};
use crate::data::Chapter;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

pub(super) fn by_id(id: &str) -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The story file's name beside the app (see `cargo xtask story-file`).
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
        Ok(chapters) => {
            let chapters: &'static [Chapter] = Box::leak(chapters.into_boxed_slice());
            state.story.update(|s| s.data = StoryData::Ready(chapters));
            then(chapters);
        }
        Err(e) => state.story.update(|s| s.data = StoryData::Failed(e)),
    };
    // The single file carries the story inline, as base64 in a data block.
    if let Some(el) = by_id("story-data") {
        let text = el.text_content().unwrap_or_default();
        let bytes = web_sys::window()
            .ok_or_else(|| "no window".to_string())
            .and_then(|w| w.atob(text.trim()).map_err(|_| "the inline story is not base64".to_string()))
            .map(|s| s.chars().map(|c| c as u32 as u8).collect());
        done(bytes);
        return;
    }
    fetch_bytes(STORY_FILE, done);
}

/// Fetches `url` and hands its bytes, or why there are none, to `done`.
fn fetch_bytes(url: &str, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    let Some(w) = web_sys::window() else { return done(Err("no window".into())) };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = move |r: Result<Vec<u8>, String>| {
        if let Some(d) = done.borrow_mut().take() {
            d(r);
        }
    };
    // Every callback is of one closure type: each type costs its own glue in the wasm.
    type Callback = Closure<dyn FnMut(JsValue)>;
    let (f1, f2, f3, f4) = (finish.clone(), finish.clone(), finish.clone(), finish);
    let on_body: Callback = Closure::new(move |buf: JsValue| f1(Ok(js_sys::Uint8Array::new(&buf).to_vec())));
    let broke: Callback = Closure::new(move |_: JsValue| f2(Err("the story file broke off".into())));
    let name = url.to_string();
    // Owns the body's callbacks, so they live as long as it does (for ever: it is forgotten).
    let on_response: Callback = Closure::new(move |resp: JsValue| {
        let resp: web_sys::Response = resp.unchecked_into();
        match resp.array_buffer() {
            Ok(p) if resp.ok() => drop(p.then2(&on_body, &broke)),
            _ => f3(Err(format!("{name}: HTTP {}", resp.status()))),
        }
    });
    let on_error: Callback =
        Closure::new(move |_: JsValue| f4(Err(format!("{STORY_FILE} could not be fetched (offline?)"))));
    let _ = w.fetch_with_str(url).then2(&on_response, &on_error);
    on_response.forget();
    on_error.forget();
}

/// Asks for step `n` (from 1) of chapter `id`, shown once the chapters are there (the story
/// panel's effect resolves it; see `story::mount`).
pub fn want(state: AppState, id: String, n: Option<u32>) {
    state.story.update(|s| s.wanted = Some((id, n)));
    with_story(state, |_| {});
}
