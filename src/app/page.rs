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

/// Starts a download of `content` as `name`.
pub fn download_text(name: &str, mime: &str, content: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    click_link(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}

pub fn click_link(name: &str, href: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(a) = doc.create_element("a") else { return };
    let a: web_sys::HtmlAnchorElement = a.unchecked_into();
    a.set_href(href);
    a.set_download(name);
    a.click();
}
