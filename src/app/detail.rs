//! The detail panel of the selected event, the filter bar, and the live region that announces
//! a selection.

use super::state::use_state;
use crate::data::Category;
use crate::export::{cite_text, date_label};
use crate::i18n::{t, tf, tr, Msg};
use crate::lang::Lang;
use crate::render::Theme;
use crate::text::{latin, latin_dir};
use leptos::prelude::*;

/// Full summary, date at its real precision, places and formatted citations of the selection.
#[component]
pub fn DetailPanel() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    view! {
        <aside class="panel detail-panel" id="detail" aria-labelledby="detail-h">
            {move || match state.selected.get().and_then(|i| atlas.events.get(i).map(|e| (i, e))) {
                None => view! {
                    <h2 id="detail-h" tabindex="-1">{t(Msg::DetailEmptyTitle)}</h2>
                    <p class="hint">{t(Msg::DetailEmptyHint)}</p>
                }.into_any(),
                Some((_, e)) => {
                    let cat = e.category.get();
                    let places = e.places.iter().filter_map(|p| atlas.place(p)).map(|p| {
                        match &p.name_as_written {
                            Some(w) if w != &p.name => tf(Msg::DetailPlaceWritten, &[("place", &p.name), ("written", &latin(w))]),
                            _ => p.name.clone(),
                        }
                    }).collect::<Vec<_>>();
                    view! {
                        <h2 id="detail-h" tabindex="-1">{e.title.clone()}</h2>
                        <p class="detail-meta">
                            <span class="detail-date">{date_label(e)}</span>" · "
                            <span class=format!("cat cat-{}", cat.key())>{tr().category(cat)}</span>
                            {e.agreement.as_ref().map(|a| view! { " · " <span class="badge">{tf(Msg::DetailAgreementBadge, &[("row", &a.row.to_string())])}</span> })}
                        </p>
                        <p class="detail-summary">{e.summary.clone()}</p>
                        // Titles and summaries are translated from the English.
                        {(tr().lang != Lang::En).then(|| view! { <p class="translated-note">{t(Msg::AppTranslated)}</p> })}
                        {e.as_written.clone().map(|w| view! { <p class="as-written">{tf(Msg::DetailSourceWrites, &[("written", &latin(&w))])}</p> })}
                        {e.agreement.as_ref().map(|a| view! {
                            <p class="as-written">{tf(Msg::DetailAsListed, &[("title", &latin(&a.title_as_written)), ("date", &latin(&a.date_as_written))])}</p>
                        })}
                        {(!places.is_empty()).then(|| view! { <p class="detail-places"><strong>{t(Msg::DetailPlaces)}" "</strong>{places.join(t(Msg::DetailPlaceSep))}</p> })}
                        {e.note.clone().map(|n| view! { <p class="detail-note"><strong>{t(Msg::DetailNote)}" "</strong>{n}</p> })}
                        <h3>{t(Msg::DetailSources)}</h3>
                        <ol class="citations">
                            {e.sources.iter().map(|c| {
                                let full = atlas.source(&c.source).map(|s| s.reference()).unwrap_or_default();
                                view! { <li><span class="cite-short" dir=latin_dir()>{cite_text(atlas, c)}</span><br/><span class="cite-full" dir=latin_dir() lang=crate::text::latin_lang()>{full}</span></li> }
                            }).collect_view()}
                        </ol>
                        <button type="button" class="clear" on:click=move |_| { state.selected.set(None); focus_heading(); }>{t(Msg::DetailClear)}</button>
                    }.into_any()
                }
            }}
        </aside>
    }
}

/// The Clear button goes away with the selection: focus the panel's heading, so that keyboard
/// focus is not lost to the page.
fn focus_heading() {
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(h) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("detail-h"))
            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = h.focus();
        }
    });
}

/// Announces politely the selection (title and date only) or, in the story, the step's
/// progress and heading.
#[component]
pub fn Announcer() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let text = move || match state.story_pos() {
        Some(p) => p.step(state.chapters()).map(|s| format!("{}: {}", p.progress(state.chapters()), s.heading)),
        None => state
            .selected
            .get()
            .and_then(|i| atlas.events.get(i))
            .map(|e| tf(Msg::DetailSelected, &[("title", &e.title), ("date", &date_label(e))])),
    };
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" id="announcer">{text}</div>
    }
}

/// Category toggles and the search box; they dim events on the timeline and filter the table.
#[component]
pub fn FilterBar() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="filter-bar" role="group" aria-label=t(Msg::FilterLabel)>
            <label class="search">
                <span>{t(Msg::FilterSearch)}</span>
                <input type="search" id="search" placeholder=t(Msg::FilterPlaceholder)
                    prop:value=move || state.search.get()
                    on:input=move |ev| state.search.set(event_target_value(&ev)) />
            </label>
            <ul class="category-toggles">
                {Category::ALL.into_iter().map(|c| {
                    // The legend follows the theme, like the marks it stands for.
                    let color = move || Theme::css(state.theme().category_color(c));
                    view! {
                        <li>
                            <button type="button" class=format!("toggle cat-{}", c.key()) data-category=c.key()
                                aria-pressed=move || state.categories.get()[c.index()].to_string()
                                on:click=move |_| state.categories.update(|cats| cats[c.index()] = !cats[c.index()])>
                                <span class=format!("swatch shape-{}", c.key()) style:background-color=color aria-hidden="true"></span>
                                {tr().category(c)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
