//! The app's files beside it (the story, the languages): fetched, or read from the data block
//! that the single file carries instead (base64, never run).

use super::page::by_id;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Hands `done` the bytes of data block `block` when the page has one, else of file `url`.
pub fn file_or_block(url: &str, block: &str, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    if let Some(el) = by_id(block) {
        let text = el.text_content().unwrap_or_default();
        let bytes = web_sys::window()
            .ok_or_else(|| "no window".to_string())
            .and_then(|w| w.atob(text.trim()).map_err(|_| format!("the inline {url} is not base64")))
            .map(|s| s.chars().map(|c| c as u32 as u8).collect());
        return done(bytes);
    }
    bytes(url, done);
}

/// Fetches `url` and hands its bytes, or why there are none, to `done`.
pub fn bytes(url: &str, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
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
    let name = url.to_string();
    let broken = format!("{name} broke off");
    let offline = format!("{name} could not be fetched (offline?)");
    let broke: Callback = Closure::new(move |_: JsValue| f2(Err(broken.clone())));
    // Owns the body's callbacks, so they live as long as it does (for ever: it is forgotten).
    let on_response: Callback = Closure::new(move |resp: JsValue| {
        let resp: web_sys::Response = resp.unchecked_into();
        match resp.array_buffer() {
            Ok(p) if resp.ok() => drop(p.then2(&on_body, &broke)),
            _ => f3(Err(format!("{name}: HTTP {}", resp.status()))),
        }
    });
    let on_error: Callback = Closure::new(move |_: JsValue| f4(Err(offline.clone())));
    let _ = w.fetch_with_str(url).then2(&on_response, &on_error);
    on_response.forget();
    on_error.forget();
}
