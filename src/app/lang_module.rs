//! The door to a language's module: a page in Urdu or Russian loads, beside its language file,
//! the code only such a page needs: the file's decoder, the content's translation into the
//! dataset and the two languages' dates. It is a WebAssembly module of its own, split off the
//! app's at build time (xtask/src/split.rs), so an English page fetches none of it.

use crate::i18n::{self, Tr};
use crate::lang::Lang;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// Loads `lang`'s file (`file`, or the single file's data block) and its module, both at once,
/// then makes the texts active and mounts the page. If either cannot be had, the page opens in
/// English and says why (see [`Tr::failed`]).
pub fn load(lang: Lang, file: &'static str, in_url: bool) {
    // Before the app mounts, which is what starts Leptos' executor: the browser's microtasks.
    wasm_bindgen_futures::spawn_local(async {
        // Fetched while the file is; the load below waits for the same fetch.
        let _ = preload_lang().await;
    });
    super::fetch::file_or_block(file, &format!("lang-{}-data", lang.key()), move |bytes| {
        wasm_bindgen_futures::spawn_local(async move {
            let tr = lang_module(lang, bytes, in_url).await.unwrap_or_else(|e| Tr::failed(lang, e.to_string(), in_url));
            i18n::set(tr);
            super::mount();
        });
    });
}

/// The split point: the language file's decoder and checks ([`Tr::from_file`]), the content's
/// translation ([`crate::data::catalogue::apply`], reached through [`Tr::translate`]) and
/// Urdu and Russian dates ([`crate::lang::Formats`]) move into the module `lang`.
#[wasm_split(lang, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_lang))]
fn lang_module(lang: Lang, bytes: Result<Vec<u8>, String>, in_url: bool) -> Result<Tr, SplitLoaderError> {
    crate::lang::install(crate::lang::Formats::OTHER);
    Ok(Tr::from_file(lang, bytes.and_then(|b| crate::data::catalogue::decode(&b)), in_url))
}
