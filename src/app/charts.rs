//! Figure charts on canvas, with their source lines in HTML.

use super::canvas::{draw_on, observed_size};
use super::state::{theme_of, use_state};
use crate::i18n::{t, tf, tr, Msg};
use crate::render::charts::{draw_students_chart, draw_trade_chart, time_series};
use leptos::prelude::*;

use crate::ui::{students_source, unique_cites};

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
                .map(|p| {
                    let v = value_text(p.value);
                    let v = if p.lower_bound { tf(Msg::ChartMoreThan, &[("value", &v)]) } else { v };
                    format!("{}: {v}", p.label)
                })
                .collect();
            format!("{} ({}): {}", s.title, s.basis, pts.join(comma()))
        })
        .collect::<Vec<_>>()
        .join(stop());
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
            <h2 id="trade-h">{t(Msg::ChartTradeTitle)}</h2>
            <canvas node_ref=canvas class="chart" id="trade-chart" role="img" tabindex="0"
                aria-label=tf(Msg::ChartTradeLabel, &[("desc", &desc)])></canvas>
            <figcaption class="source-line">{tf(Msg::ChartTradeSource, &[("source", &source_line)])}</figcaption>
        </figure>
    }
}

#[component]
pub fn StudentsChart() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let source_line = students_source(atlas);
    let desc = atlas
        .students
        .iter()
        .map(|r| format!("{}: {}", r.university_as_written, tr().lang.number(r.students.into())))
        .collect::<Vec<_>>()
        .join(comma());
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
            <h2 id="students-h">{t(Msg::ChartStudentsTitle)}</h2>
            <canvas node_ref=canvas class="chart tall" id="students-chart" role="img" tabindex="0"
                aria-label=tf(Msg::ChartStudentsLabel, &[("desc", &desc)])></canvas>
            <figcaption class="source-line">{tf(Msg::ChartStudentsSource, &[("source", &source_line)])}</figcaption>
        </figure>
    }
}

/// A figure as the language writes numbers: whole numbers grouped ("1,200", "1 200"), others
/// with the language's decimal sign (a comma in Russian).
fn value_text(v: f64) -> String {
    let lang = tr().lang;
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return lang.number(v as i64);
    }
    let s = v.to_string();
    if lang == crate::lang::Lang::Ru {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The separators between the items of a chart's description, as the language writes them:
/// Urdu has its own comma and full stop.
fn comma() -> &'static str {
    if tr().lang == crate::lang::Lang::Ur {
        "، "
    } else {
        ", "
    }
}

fn stop() -> &'static str {
    if tr().lang == crate::lang::Lang::Ur {
        "۔ "
    } else {
        ". "
    }
}
