//! Figure charts on canvas, with their source lines in HTML.

use super::canvas::{draw_on, observed_size};
use super::state::{theme_of, use_state};
use crate::render::charts::{draw_students_chart, draw_trade_chart, time_series};
use leptos::prelude::*;

use crate::ui::unique_cites;

#[component]
pub fn TradeChart() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let series = time_series(&atlas.series, "USD million");
    let source_line = unique_cites(atlas, series.iter().flat_map(|s| s.points.iter().map(|p| &p.source)));
    let desc = series
        .iter()
        .map(|s| {
            let pts: Vec<String> = s
                .points
                .iter()
                .map(|p| format!("{}: {}{}", p.label, if p.lower_bound { "more than " } else { "" }, p.value))
                .collect();
            format!("{} ({}): {}", s.title, s.basis, pts.join(", "))
        })
        .collect::<Vec<_>>()
        .join(". ");
    // Redraw from one memo of everything drawn.
    let size = observed_size(canvas);
    let scene = Memo::new(move |_| state.chart_scene(size.get()));
    Effect::new(move |_| {
        let scene = scene.get();
        let theme = theme_of(scene.dark);
        if let Some(c) = canvas.get() {
            // In a task of its own: the charts are below the first screen.
            set_timeout(
                move || {
                    let series = time_series(&atlas.series, "USD million");
                    draw_on(&c, scene.size, |root| draw_trade_chart(root, &series, &scene.series, &theme));
                },
                std::time::Duration::ZERO,
            );
        }
    });
    view! {
        <figure class="panel chart-panel trade-panel" aria-labelledby="trade-h">
            <h2 id="trade-h">"Trade between Pakistan and Russia"</h2>
            <canvas node_ref=canvas class="chart" id="trade-chart" role="img" tabindex="0"
                aria-label=format!("Line chart of trade in USD million by year. {desc}")></canvas>
            <figcaption class="source-line">"Source: "{source_line}". Figures on different bases are not joined."</figcaption>
        </figure>
    }
}

#[component]
pub fn StudentsChart() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // All rows cite the same table: name it once, with the row range.
    let source_line = match atlas.students.first() {
        Some(first)
            if atlas
                .students
                .iter()
                .all(|r| r.source.source == first.source.source && r.source.cited_in == first.source.cited_in) =>
        {
            let who = atlas.source(&first.source.source).map(|s| s.short()).unwrap_or_default();
            let table = first.source.locator.split(',').next().unwrap_or("Table 2");
            let rows = format!(
                "rows {}–{}",
                atlas.students.iter().map(|r| r.row).min().unwrap_or(1),
                atlas.students.iter().map(|r| r.row).max().unwrap_or(1)
            );
            let all_rows = crate::data::Citation { locator: format!("{table}, {rows}"), ..first.source.clone() };
            all_rows.format(&who, ", ")
        }
        _ => unique_cites(atlas, atlas.students.iter().map(|r| &r.source)),
    };
    let desc = atlas
        .students
        .iter()
        .map(|r| format!("{}: {}", r.university_as_written, r.students))
        .collect::<Vec<_>>()
        .join(", ");
    // Redraw from one memo of everything drawn.
    let size = observed_size(canvas);
    let scene = Memo::new(move |_| state.chart_scene(size.get()));
    Effect::new(move |_| {
        let scene = scene.get();
        let theme = theme_of(scene.dark);
        if let Some(c) = canvas.get() {
            set_timeout(
                move || {
                    draw_on(&c, scene.size, |root| draw_students_chart(root, &atlas.students, &scene.students, &theme))
                },
                std::time::Duration::ZERO,
            );
        }
    });
    view! {
        <figure class="panel chart-panel students-panel" aria-labelledby="students-h">
            <h2 id="students-h">"Pakistani students in Russian universities"</h2>
            <canvas node_ref=canvas class="chart tall" id="students-chart" role="img" tabindex="0"
                aria-label=format!("Bar chart of Pakistani students by university. {desc}")></canvas>
            <figcaption class="source-line">"Source: "{source_line}". University names as written in the source; normalised forms in brackets."</figcaption>
        </figure>
    }
}
