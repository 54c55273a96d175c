//! Sharing: copy link, embed snippet, downloads (PNG, SVG, CSV, JSON, citations), and the
//! height messages an embedding page listens for.

use super::canvas::svg_of;
use super::page::{click_link, download_text};
use super::state::{theme_of, use_state, AppState};
use crate::export;
use crate::i18n::{t, tf, Msg};
use crate::render::charts::{draw_students_chart, draw_trade_chart, time_series};
use crate::render::timeline::{draw_timeline, TimelineDrawState};
use crate::timeline::layout;
use crate::ui::Figure;
use crate::urlstate::Panel;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a download button asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Download {
    Png(Figure),
    Svg(Figure),
    EventsCsv,
    /// The selected event's citation, as text or BibTeX.
    Citation {
        bibtex: bool,
    },
}

/// Loads the downloads' module if it is not there yet and makes the file; if the module
/// cannot be loaded, the share bar's status line says so until a later click succeeds.
pub fn download(state: AppState, what: Download, status: RwSignal<String>) {
    leptos::task::spawn_local(async move {
        match downloads_module(state, what).await {
            Ok(()) => status.set(String::new()),
            Err(e) => status.set(tf(Msg::ShareDownloadFailed, &[("why", &e.to_string())])),
        }
    });
}

/// The split point: the files' writers (SVG, CSV, citations) and everything only they use move
/// into the module `downloads`, which the first download fetches.
#[wasm_split(downloads, wasm_split_path = ::leptos::wasm_split, fallible)]
fn downloads_module(state: AppState, what: Download) -> Result<(), SplitLoaderError> {
    let atlas = state.atlas;
    match what {
        Download::Png(f) => download_canvas_png(f.canvas_id(), &format!("{}.png", f.file_stem())),
        Download::Svg(f) => download_text(&format!("{}.svg", f.file_stem()), "image/svg+xml", &view_svg(&state, f)),
        Download::EventsCsv => download_text("pakistan-russia-events.csv", "text/csv", &export::events_csv(atlas)),
        Download::Citation { bibtex } => {
            if let Some(e) = state.selected.get_untracked().and_then(|i| atlas.events.get(i)) {
                if bibtex {
                    download_text(&format!("{}.bib", e.id), "application/x-bibtex", &export::citation_bibtex(atlas, e));
                } else {
                    download_text(&format!("{}.txt", e.id), "text/plain", &export::citation_text(atlas, e));
                }
            }
        }
    }
    Ok(())
}

fn download_canvas_png(canvas_id: &str, name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(c) = doc.get_element_by_id(canvas_id).and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok()) else {
        return;
    };
    if let Ok(url) = c.to_data_url() {
        click_link(name, &url);
    }
}

fn canvas_size(canvas_id: &str) -> (u32, u32) {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(canvas_id))
        .map(|e| (e.client_width().max(320) as u32, e.client_height().max(200) as u32))
        .unwrap_or((1200, 400))
}

/// Renders one view to an SVG document with the same drawing function, and from the same
/// scene, as its canvas.
pub fn view_svg(state: &AppState, which: Figure) -> String {
    let atlas = state.atlas;
    let size = canvas_size(which.canvas_id());
    let svg = match which {
        Figure::Timeline => {
            let scene = untrack(|| state.timeline_scene((size.0 as f64, size.1 as f64)));
            let lay = layout(atlas, &scene.range, size.0 as f64, size.1 as f64, &scene.mask);
            let ds = TimelineDrawState { selected: scene.selected, hovered: None };
            svg_of(size, |root| draw_timeline(root, &lay, &ds, &theme_of(scene.dark)))
        }
        Figure::Trade => {
            let scene = untrack(|| state.chart_scene((size.0 as f64, size.1 as f64)));
            let series = time_series(&atlas.series, "USD million");
            svg_of(size, |root| draw_trade_chart(root, &series, &scene.series, &theme_of(scene.dark)))
        }
        Figure::Students => {
            let scene = untrack(|| state.chart_scene((size.0 as f64, size.1 as f64)));
            svg_of(size, |root| draw_students_chart(root, &atlas.students, &scene.students, &theme_of(scene.dark)))
        }
        Figure::Map => super::map::map_svg(state),
    };
    svg.unwrap_or_default()
}

/// The link to this exact view, in this language.
fn current_url(state: &AppState) -> String {
    let mut u = super::url::capture(state);
    u.lang = Some(crate::i18n::tr().lang);
    format!("{}{}", super::page::app_base().1, u.to_query())
}

#[component]
pub fn ShareBar() -> impl IntoView {
    let state = use_state();
    let status = RwSignal::new(String::new());
    let embed_open = move || state.panel.get() == Some(Panel::Embed);
    let get = move |what: Download| move |_| download(state, what, status);
    let no_selection = move || state.selected.get().is_none();
    view! {
        <section class="panel share-panel" aria-labelledby="share-h">
            <h2 id="share-h">{t(Msg::ShareTitle)}</h2>
            <div class="share-row">
                <button type="button" id="copy-link" on:click=move |_| super::page::copy_to_clipboard(&current_url(&state), status, Msg::ShareLinkCopied)>{t(Msg::ShareCopyLink)}</button>
                <button type="button" id="embed-button" aria-expanded=move || embed_open().to_string() aria-controls="embed-dialog"
                    on:click=move |_| state.panel.update(|p| *p = if *p == Some(Panel::Embed) { None } else { Some(Panel::Embed) })>{t(Msg::ShareEmbed)}</button>
                <span class="status" role="status">{move || status.get()}</span>
            </div>
            <super::embed::EmbedDialog status=status />
            <div class="share-row downloads" role="group" aria-label=t(Msg::ShareDownloads)>
                {Figure::ALL.into_iter().map(|f| {
                    let stem = f.file_stem();
                    view! {
                        <span>{figure_name(f)}": "</span>
                        <button type="button" id=format!("dl-{stem}-png") on:click=get(Download::Png(f))>"PNG"</button>
                        <button type="button" id=format!("dl-{stem}-svg") on:click=get(Download::Svg(f))>"SVG"</button>
                    }
                }).collect_view()}
                <span>{t(Msg::ShareData)}" "</span>
                <button type="button" id="dl-csv" on:click=get(Download::EventsCsv)>{t(Msg::ShareEventsCsv)}</button>
                <button type="button" on:click=move |_| super::story_module::ask(state, super::story::Ask::AllData)>{t(Msg::ShareAllJson)}</button>
                <span>{t(Msg::ShareSelectedEvent)}" "</span>
                <button type="button" disabled=no_selection on:click=get(Download::Citation { bibtex: false })>{t(Msg::ShareCiteText)}</button>
                <button type="button" disabled=no_selection on:click=get(Download::Citation { bibtex: true })>{t(Msg::ShareCiteBibtex)}</button>
            </div>
        </section>
    }
}

/// A view's name in the downloads row.
fn figure_name(f: Figure) -> &'static str {
    t(match f {
        Figure::Timeline => Msg::AppTimeline,
        Figure::Map => Msg::AppMap,
        Figure::Trade => Msg::ShareTrade,
        Figure::Students => Msg::ShareStudents,
    })
}

/// In embed mode, tells the embedding page the content height whenever it changes. Sends a
/// bare number and nothing else. The height is the root element's box, not its scrollHeight:
/// that one is never less than the frame, so the frame could grow but never shrink.
pub fn report_height() {
    let Some(w) = web_sys::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if parent == w {
        return;
    }
    let Some(body) = w.document().and_then(|d| d.document_element()) else { return };
    let last = std::rc::Rc::new(std::cell::Cell::new(0i32));
    let target = body.clone();
    let cb = Closure::<dyn Fn()>::new(move || {
        let h = target.get_bounding_client_rect().height().ceil() as i32;
        if h != last.get() {
            last.set(h);
            let _ = parent.post_message(&JsValue::from_f64(h as f64), "*");
        }
    });
    if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
        obs.observe(&body);
        if let Some(b) = w.document().and_then(|d| d.body()) {
            obs.observe(&b);
        }
    }
    cb.forget();
}
