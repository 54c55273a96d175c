//! Play: moves the timeline's window through the years, so that the map and the timeline show
//! the relationship unfold.

use super::state::{use_state, AppState};
use crate::i18n::{t, tf, Msg};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// Play: moves the timeline's window through the years. Honours prefers-reduced-motion by
/// stepping more slowly.
#[component]
pub fn Player() -> impl IntoView {
    let state = use_state();
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(1.0f64);
    let reduced = web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false);
    let tick = Rc::new(Cell::new(0u32));
    let step = {
        let tick = tick.clone();
        move || {
            let generation = tick.get();
            fn go(
                state: AppState,
                playing: RwSignal<bool>,
                speed: RwSignal<f64>,
                reduced: bool,
                tick: Rc<Cell<u32>>,
                generation: u32,
            ) {
                let ms = (if reduced { 2000.0 } else { 800.0 }) / speed.get_untracked();
                set_timeout(
                    move || {
                        if !playing.get_untracked() || tick.get() != generation {
                            return;
                        }
                        let mut v = state.range.get_untracked();
                        let span = v.span();
                        let before = v.start;
                        v.set_range(v.start + 1.0, v.start + 1.0 + span);
                        if (v.start - before).abs() < 1e-9 {
                            playing.set(false);
                            return;
                        }
                        state.range.set(v);
                        go(state, playing, speed, reduced, tick, generation);
                    },
                    Duration::from_millis(ms as u64),
                );
            }
            go(state, playing, speed, reduced, tick.clone(), generation);
        }
    };
    let toggle = move |_| {
        if playing.get_untracked() {
            playing.set(false);
            tick.set(tick.get() + 1);
        } else {
            // Start from a ten-year window at the start of the visible range.
            let mut v = state.range.get_untracked();
            if v.span() > 15.0 {
                let s = v.start.max(1947.0);
                v.set_range(s, s + 10.0);
                state.range.set(v);
            }
            playing.set(true);
            tick.set(tick.get() + 1);
            step();
        }
    };
    view! {
        <span class="player">
            <button type="button" id="play" aria-pressed=move || playing.get().to_string() on:click=toggle>
                {move || t(if playing.get() { Msg::PlayerPause } else { Msg::PlayerPlay })}
            </button>
            <label>{t(Msg::PlayerSpeed)}" "
                <select id="play-speed" on:change=move |ev| speed.set(crate::urlstate::decimal(&event_target_value(&ev)).unwrap_or(1.0))>
                    <option value="0.5">"½×"</option>
                    <option value="1" selected>"1×"</option>
                    <option value="2">"2×"</option>
                    <option value="4">"4×"</option>
                </select>
            </label>
            <span class="play-year" id="play-year" aria-live="off">{move || {
                let v = state.range.get();
                let (from, to) = v.shown_years();
                tf(Msg::PlayerYears, &[("from", &from.to_string()), ("to", &to.to_string())])
            }}</span>
        </span>
    }
}
