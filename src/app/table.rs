//! The "All events" table: HTML, sortable by date and by category, filtered like the timeline.

use super::state::use_state;
use crate::export::cite_text;
use crate::ui::{sorted_rows, SortKey};
use leptos::prelude::*;

/// Rows built with the page; the others follow in the next task.
const FIRST_ROWS: usize = 8;

#[component]
pub fn EventsTable() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let rows = Memo::new(move |_| {
        let (key, asc) = state.sort.get();
        sorted_rows(atlas, &state.filter_mask(), key, asc)
    });
    // The first rows with the page, the rest in a task of their own: the page's first task
    // builds less DOM, so it blocks the main thread for less.
    let shown = RwSignal::new(FIRST_ROWS);
    set_timeout(move || shown.set(usize::MAX), std::time::Duration::ZERO);
    let sort_button = move |key: SortKey, label: &'static str| {
        let aria = move || match state.sort.get() {
            (k, true) if k == key => "ascending",
            (k, false) if k == key => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" on:click=move |_| {
                    state.sort.update(|(k, asc)| {
                        if *k == key { *asc = !*asc } else { *k = key; *asc = true }
                    })
                }>{label}<span class="sort-arrow" aria-hidden="true">{move || match aria() {
                    "ascending" => " ▲", "descending" => " ▼", _ => " ↕" }}</span></button>
            </th>
        }
    };
    view! {
        <section class="panel table-panel" aria-labelledby="events-h">
            <h2 id="events-h">"All events"</h2>
            <p class="table-count" aria-live="polite">{move || format!("{} of {} events shown", rows.get().len(), atlas.events.len())}</p>
            <div class="table-scroll">
            <table class="events">
                <thead><tr>
                    {sort_button(SortKey::Date, "Date")}
                    <th scope="col">"Event"</th>
                    {sort_button(SortKey::Category, "Category")}
                    // Same class as the cells, so the column (header included) hides on narrow screens.
                    <th scope="col" class="cites">"Sources"</th>
                </tr></thead>
                <tbody>
                    // Rows are re-rendered in place when the order or the filter changes (52 of them):
                    // cheaper in code than a keyed list.
                    {move || rows.get().into_iter().take(shown.get()).map(|i| {
                        let e = &atlas.events[i];
                        let cat = e.category.get();
                        let cites = e.sources.iter().map(|c| cite_text(atlas, c)).collect::<Vec<_>>().join("; ");
                        view! {
                            <tr data-event-id=e.id.clone() class:selected=move || state.selected.get() == Some(i)>
                                <td class="date">{e.date_label()}</td>
                                <td>
                                    <button type="button" class="event-link"
                                        aria-pressed=move || (state.selected.get() == Some(i)).to_string()
                                        on:click=move |_| state.selected.set(Some(i))>{e.title.clone()}</button>
                                    {e.agreement.as_ref().map(|a| view! { <span class="badge">{format!("Table 1, row {}", a.row)}</span> })}
                                </td>
                                <td class=format!("cat cat-{}", cat.key())>{cat.label()}</td>
                                <td class="cites">{cites}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}
