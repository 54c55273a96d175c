//! Embedding: the address of the full atlas for an embed's "Open in the atlas" link, and the
//! Embed dialog, which writes the snippet for the current state and previews the real embed.
//!
//! The dialog is built from a static template when it is first opened and updated by one
//! effect: its form controls are read from the DOM when they change. (Each reactive attribute
//! of a `view!` costs wasm; this dialog costs a tenth of that version.)

use super::page::by_id;
use super::state::{use_state, AppState};
use super::url;
use crate::i18n::{fill, t, tf, Msg};
use crate::ui::{embed_snippet, embed_title, escape_html, SnippetKind};
use crate::urlstate::{Embed, Panel};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// The address of the full atlas at the state shown (without `embed`), from the page's path.
pub fn full_atlas_href(state: &AppState) -> String {
    let mut u = url::capture(state);
    u.embed = None;
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    format!("{path}{}", u.to_query())
}

/// The label of a view in the dialog's list.
fn choice_label(e: Embed) -> &'static str {
    match e {
        Embed::Atlas => t(Msg::EmbedChoiceAtlas),
        Embed::Event => t(Msg::EmbedChoiceEvent),
        Embed::Events => t(Msg::EmbedChoiceEvents),
        Embed::Story => t(Msg::EmbedChoiceStory),
        other => other.title(),
    }
}

/// The widths the preview offers, in CSS px (0: the dialog's full width).
const PREVIEW_WIDTHS: [u32; 3] = [360, 700, 0];

/// The dialog's controls and preview, as static HTML (no inline style or script: strict CSP).
/// The snippet is code: left to right on a right-to-left page too.
const TEMPLATE: &str = r#"<div class="embed-options"><label for="embed-view">{view} </label><select id="embed-view">{options}</select>
<fieldset class="embed-kind"><legend>{snippet}</legend>
<label><input type="radio" name="embed-kind" id="embed-kind-resizing" value="resizing" checked> {resizing}</label>
<label><input type="radio" name="embed-kind" id="embed-kind-fixed" value="fixed"> {fixed}</label></fieldset></div>
<p class="hint" id="embed-hint" hidden></p>
<label for="embed-code">{paste}</label>
<textarea id="embed-code" readonly rows="8" dir="ltr"></textarea>
<button type="button" id="copy-embed">{copy}</button>
<fieldset class="embed-widths"><legend>{width}</legend>{widths}</fieldset>
<div class="embed-preview"><iframe id="embed-preview" title="{preview}"></iframe></div>"#;

/// [`TEMPLATE`] in the page's language, with its options.
fn template() -> String {
    let m = |k| escape_html(t(k));
    let options: String = Embed::ALL
        .iter()
        .map(|e| format!(r#"<option value="{}">{}</option>"#, e.key(), escape_html(choice_label(*e))))
        .collect();
    let widths: String = PREVIEW_WIDTHS
        .iter()
        .map(|w| {
            let checked = if *w == 700 { " checked" } else { "" };
            let label = match w {
                0 => m(Msg::EmbedFullWidth),
                w => escape_html(&tf(Msg::EmbedPx, &[("n", &w.to_string())])),
            };
            format!(r#"<label><input type="radio" name="embed-width" value="{w}"{checked}> {label}</label>"#)
        })
        .collect();
    fill(
        TEMPLATE,
        &[
            ("view", &m(Msg::EmbedView)),
            ("options", &options),
            ("snippet", &m(Msg::EmbedSnippet)),
            ("resizing", &m(Msg::EmbedKindResizing)),
            ("fixed", &m(Msg::EmbedKindFixed)),
            ("paste", &m(Msg::EmbedPaste)),
            ("copy", &m(Msg::EmbedCopy)),
            ("width", &m(Msg::EmbedPreviewWidth)),
            ("widths", &widths),
            ("preview", &m(Msg::EmbedPreview)),
        ],
    )
}

/// Opens the Embed dialog with `view` chosen (the story's "Embed this step").
pub fn open_with(state: &AppState, view: Embed) {
    state.panel.set(Some(Panel::Embed));
    if let Some(root) = by_id(DIALOG) {
        build(&root);
    }
    if let Some(sel) = by_id("embed-view") {
        let sel = sel.unchecked_into::<HtmlSelectElement>();
        sel.set_value(view.key());
        if let Ok(ev) = web_sys::Event::new_with_event_init_dict("change", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        }) {
            let _ = sel.dispatch_event(&ev);
        }
        let _ = sel.focus();
    }
}

/// The dialog's element.
const DIALOG: &str = "embed-dialog";

/// Puts the dialog's controls and preview into `root`, the first time (see [`EmbedDialog`]).
fn build(root: &Element) {
    if root.first_element_child().is_none() {
        root.set_inner_html(&template());
    }
}

/// The value of the checked radio button of group `name`.
fn checked(root: &Element, name: &str) -> String {
    root.query_selector(&format!("input[name={name}]:checked"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The Embed dialog: which view, which kind of snippet, a live preview at a chosen width, and
/// the snippet for the current state (selection, time range, categories, search, place, map).
#[component]
pub fn EmbedDialog(status: RwSignal<String>) -> impl IntoView {
    let state = use_state();
    let node = NodeRef::<leptos::html::Div>::new();
    let open = move || state.panel.get() == Some(Panel::Embed);
    // Bumped when a control of the dialog changes (they are read from the DOM).
    let controls = RwSignal::new(0u32);
    let (origin, base) = super::page::app_base();
    let snippet = RwSignal::new(String::new());
    // The latest preview address waiting to be loaded (older ones are dropped).
    let pending = RwSignal::new(0u32);

    // The controls and the preview's frame are built when the dialog is first opened, not
    // when the page mounts: a frame costs a document of its own, and the page's first task is
    // long enough.
    Effect::new(move |wired: Option<bool>| {
        let Some(root) = node.get() else { return false };
        let root: Element = root.into();
        let is_open = open();
        if wired != Some(true) {
            if !is_open && root.first_element_child().is_none() {
                return false;
            }
            build(&root);
            let cb = Closure::<dyn Fn()>::new(move || controls.update(|n| *n += 1));
            let _ = root.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
            cb.forget();
            let copy = Closure::<dyn Fn()>::new(move || {
                super::page::copy_to_clipboard(&snippet.get_untracked(), status, Msg::ShareEmbedCopied)
            });
            if let Some(b) = by_id("copy-embed") {
                let _ = b.add_event_listener_with_callback("click", copy.as_ref().unchecked_ref());
            }
            copy.forget();
        }
        controls.track();
        let view = by_id("embed-view")
            .and_then(|s| Embed::from_key(&s.unchecked_into::<HtmlSelectElement>().value()))
            .unwrap_or(Embed::Atlas);
        let kind = if checked(&root, "embed-kind") == "fixed" { SnippetKind::Fixed } else { SnippetKind::Resizing };
        let mut u = url::capture(&state);
        u.embed = Some(view);
        u.panel = None;
        u.lang = Some(crate::i18n::tr().lang);
        let query = u.to_query();
        let text = embed_snippet(&origin, &base, &query, view, kind);
        if let Some(t) = by_id("embed-code") {
            t.unchecked_into::<HtmlTextAreaElement>().set_value(&text);
        }
        snippet.set(text);
        if let Some(h) = by_id("embed-hint") {
            let hint = match view {
                Embed::Event if u.event.is_none() => t(Msg::EmbedHintEvent),
                Embed::Story if u.story.is_none() => t(Msg::EmbedHintStory),
                _ => "",
            };
            h.set_text_content(Some(hint));
            let _ = h.toggle_attribute_with_force("hidden", hint.is_empty());
        }
        if let Some(f) = by_id("embed-preview") {
            let w = checked(&root, "embed-width");
            let _ = f.set_attribute("width", if w == "0" || w.is_empty() { "100%" } else { &w });
            let _ = f.set_attribute("height", &view.fixed_height().to_string());
            let _ = f.set_attribute("title", &tf(Msg::EmbedPreviewOf, &[("title", &embed_title(view))]));
            // Only an open dialog loads the preview, and only once the state has stayed the same
            // for a moment (a whole atlas loads in the frame: not once per keystroke or pan).
            let src = if is_open { format!("{base}{query}") } else { "about:blank".into() };
            pending.set(pending.get_untracked().wrapping_add(1));
            let ticket = pending.get_untracked();
            set_timeout(
                move || {
                    let current = f.get_attribute("src");
                    // A frame that never loaded is already blank: navigating it to about:blank
                    // would add a history entry in WebKit (one more Back press after load).
                    let blank = current.is_none() && src == "about:blank";
                    if pending.get_untracked() == ticket && !blank && current.as_deref() != Some(src.as_str()) {
                        let _ = f.set_attribute("src", &src);
                    }
                },
                std::time::Duration::from_millis(if is_open { 400 } else { 0 }),
            );
        }
        true
    });
    view! {
        <div class="embed-dialog" id=DIALOG role="region" aria-label=t(Msg::EmbedDialog) hidden=move || !open() node_ref=node></div>
    }
}
