//! The "All events" table: HTML, sortable by date and by category, filtered like the timeline.

use super::state::use_state;
use crate::export::{cite_text, date_label};
use crate::i18n::{t, tf, tp, tr, Msg};
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
            <h2 id="events-h">{t(Msg::TableTitle)}</h2>
            <p class="table-count" aria-live="polite">{move || {
                let total = tr().lang.number(atlas.events.len() as i64);
                tp(Msg::TableCount, rows.get().len() as u64, &[("total", &total)])
            }}</p>
            <div class="table-scroll">
            <table class="events">
                <thead><tr>
                    {sort_button(SortKey::Date, t(Msg::TableDate))}
                    <th scope="col">{t(Msg::TableEvent)}</th>
                    {sort_button(SortKey::Category, t(Msg::TableCategory))}
                    // Same class as the cells, so the column (header included) hides on narrow screens.
                    <th scope="col" class="cites">{t(Msg::TableSources)}</th>
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
                                <td class="date">{date_label(e)}</td>
                                <td>
                                    <button type="button" class="event-link"
                                        aria-pressed=move || (state.selected.get() == Some(i)).to_string()
                                        on:click=move |_| state.selected.set(Some(i))>{e.title.clone()}</button>
                                    {e.agreement.as_ref().map(|a| view! { <span class="badge">{tf(Msg::TableRowBadge, &[("row", &a.row.to_string())])}</span> })}
                                </td>
                                <td class=format!("cat cat-{}", cat.key())>{tr().category(cat)}</td>
                                <td class="cites"><span dir=crate::text::latin_dir()>{cites}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}
