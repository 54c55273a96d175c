//! The page's elements, its own address and the clipboard, for the share bar, the Embed
//! dialog and the story.

use crate::i18n::{t, Msg};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// The page's element with id `id`.
pub fn by_id(id: &str) -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The app's address without query or hash, for the embed snippet.
pub fn app_base() -> (String, String) {
    let Some(w) = web_sys::window() else { return (String::new(), String::new()) };
    let loc = w.location();
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    (origin.clone(), format!("{origin}{path}"))
}

/// Copies `text`; `status` then says whether it worked: `copied` ("Link copied."), or that
/// copying failed.
pub fn copy_to_clipboard(text: &str, status: RwSignal<String>, copied: Msg) {
    let Some(w) = web_sys::window() else { return };
    let promise = w.navigator().clipboard().write_text(text);
    let done = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| status.set(t(copied).to_string()));
    let failed = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| status.set(t(Msg::ShareCopyFailed).to_string()));
    let _ = promise.then2(&done, &failed);
    done.forget();
    failed.forget();
}
