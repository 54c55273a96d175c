//! The detail panel of the selected event, the filter bar, and the live region that announces
//! a selection.

use super::state::use_state;
use crate::data::Category;
use crate::export::cite_text;
use crate::render::Theme;
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
                    <h2 id="detail-h" tabindex="-1">"Event details"</h2>
                    <p class="hint">"Select an event on the timeline or in the table to read its summary and sources."</p>
                }.into_any(),
                Some((_, e)) => {
                    let cat = e.category.get();
                    let places = e.places.iter().filter_map(|p| atlas.place(p)).map(|p| {
                        match &p.name_as_written {
                            Some(w) if w != &p.name => format!("{} (written “{w}”)", p.name),
                            _ => p.name.clone(),
                        }
                    }).collect::<Vec<_>>();
                    view! {
                        <h2 id="detail-h" tabindex="-1">{e.title.clone()}</h2>
                        <p class="detail-meta">
                            <span class="detail-date">{e.date_label()}</span>" · "
                            <span class=format!("cat cat-{}", cat.key())>{cat.label()}</span>
                            {e.as_written.clone().map(|w| view! { <p class="as-written">"The source writes “"{w}"”."</p> })}
                        {e.agreement.as_ref().map(|a| view! { " · " <span class="badge">{format!("Agreement, Table 1, row {}", a.row)}</span> })}
                        </p>
                        <p class="detail-summary">{e.summary.clone()}</p>
                        {e.as_written.clone().map(|w| view! { <p class="as-written">"The source writes “"{w}"”."</p> })}
                        {e.agreement.as_ref().map(|a| view! {
                            <p class="as-written">"As listed: “"{a.title_as_written.clone()}"”, signed “"{a.date_as_written.clone()}"”."</p>
                        })}
                        {(!places.is_empty()).then(|| view! { <p class="detail-places"><strong>"Places: "</strong>{places.join("; ")}</p> })}
                        {e.note.clone().map(|n| view! { <p class="detail-note"><strong>"Note: "</strong>{n}</p> })}
                        <h3>"Sources"</h3>
                        <ol class="citations">
                            {e.sources.iter().map(|c| {
                                let full = atlas.source(&c.source).map(|s| s.reference()).unwrap_or_default();
                                view! { <li><span class="cite-short">{cite_text(atlas, c)}</span><br/><span class="cite-full">{full}</span></li> }
                            }).collect_view()}
                        </ol>
                        <button type="button" class="clear" on:click=move |_| { state.selected.set(None); focus_heading(); }>"Clear selection"</button>
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
            .map(|e| format!("Selected: {}, {}", e.title, e.date_label())),
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
        <div class="filter-bar" role="group" aria-label="Filter events">
            <label class="search">
                <span>"Search"</span>
                <input type="search" id="search" placeholder="e.g. Tashkent, 1994, gas"
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
                                {c.label()}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
