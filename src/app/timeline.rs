//! The timeline component: a focusable canvas with pointer, wheel, touch and keyboard control.
//! Geometry lives in [`crate::timeline`]; this file wires events to state and schedules
//! redraws from one memo of everything drawn (at most one per animation frame).

use super::canvas::{draw_on, observed_size};
use super::state::{full_range, theme_of, use_state, AppState, TimelineScene};
use super::test_hooks;
use crate::data::{Atlas, Event};
use crate::i18n::{t, tf, tp, tr, Msg};
use crate::render::timeline::{draw_timeline, TimelineDrawState};
use crate::timeline::{
    ensure_event_visible, first_event, last_event, layout, next_event, Dir, Hit, TimeRange, TimeScale, TimelineLayout,
};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent, PointerEvent, WheelEvent};

/// What the pointer is doing: one pointer drags, two pinch.
#[derive(Default)]
struct Gesture {
    pointers: Vec<(i32, f64, f64)>,
    moved: f64,
    pinch_dist: Option<f64>,
}

/// Canvas-side state that is not app state: the last frame's layout (the one place where the
/// timeline's pixels live), the scene waiting for the next animation frame, and the gesture.
#[derive(Default)]
struct Surface {
    layout: RefCell<Option<TimelineLayout>>,
    pending: RefCell<Option<TimelineScene>>,
    frame_pending: Cell<bool>,
    gesture: RefCell<Gesture>,
}

/// Draws `scene` now, from nothing but `atlas` and the scene. Returns the time spent in
/// milliseconds (for the benchmark).
fn redraw(canvas: &HtmlCanvasElement, surface: &Surface, atlas: &Atlas, scene: &TimelineScene) -> f64 {
    let t0 = now();
    let (w, h) = scene.size;
    if w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    let lay = layout(atlas, &scene.range, w, h, &scene.mask);
    let ds = TimelineDrawState { selected: scene.selected, hovered: scene.hovered };
    let theme = theme_of(scene.dark);
    draw_on(canvas, scene.size, |root| draw_timeline(root, &lay, &ds, &theme));
    *surface.layout.borrow_mut() = Some(lay);
    now() - t0
}

/// `range` on the pixels of the plot last drawn, so that pointer positions (canvas CSS px)
/// mean the years drawn under them.
fn on_plot(surface: &Surface, range: TimeRange) -> TimeScale {
    match surface.layout.borrow().as_ref() {
        Some(l) => range.on(l.view.left, l.view.width),
        None => range.on(0.0, 800.0),
    }
}

/// Applies a pointer or keyboard move `f` (in the last frame's pixels) to the state's range.
fn move_range(surface: &Surface, state: AppState, f: impl FnOnce(&mut TimeScale)) {
    let mut s = on_plot(surface, state.range.get_untracked());
    f(&mut s);
    state.range.set(s.range());
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Draws `scene` at the next animation frame (one frame for any number of changes; the first
/// drawing in a task of its own, over the static first view's timeline, which it then
/// removes: [`super::canvas::draw_soon`]).
fn schedule(canvas: HtmlCanvasElement, surface: Rc<Surface>, atlas: &'static Atlas, scene: TimelineScene) {
    let first = surface.layout.borrow().is_none() && scene.size.0 > 0.0;
    *surface.pending.borrow_mut() = Some(scene);
    if surface.frame_pending.replace(true) {
        return;
    }
    let draw = move || {
        surface.frame_pending.set(false);
        if let Some(scene) = surface.pending.borrow_mut().take() {
            redraw(&canvas, &surface, atlas, &scene);
        }
        if first {
            super::canvas::drop_backdrop(&canvas);
        }
    };
    super::canvas::draw_soon(first, Box::new(draw));
}

#[component]
pub fn Timeline() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let surface = Rc::new(Surface::default());
    let tooltip = RwSignal::new(None::<(f64, f64, usize, usize)>); // x, y, event, cluster size

    // Redraw whenever anything drawn changes (one memo of all of it); coalesced to one frame.
    let size = observed_size(canvas_ref);
    let scene = Memo::new(move |_| state.timeline_scene(size.get()));
    {
        let surface = surface.clone();
        Effect::new(move |_| {
            let scene = scene.get();
            if let Some(c) = canvas_ref.get() {
                schedule(c, surface.clone(), atlas, scene);
            }
        });
    }
    // A selection made elsewhere (table, URL) scrolls the timeline to it.
    let surface_sel = surface.clone();
    Effect::new(move |_| {
        if let Some(i) = state.selected.get() {
            let mut v = on_plot(&surface_sel, state.range.get_untracked());
            if ensure_event_visible(&mut v, atlas, i) {
                state.range.set(v.range());
            }
        }
    });
    install_hooks(state, scene, canvas_ref, surface.clone());

    let hit_at = {
        let surface = surface.clone();
        move |x: f64, y: f64| surface.layout.borrow().as_ref().and_then(|l| l.hit(x, y))
    };

    let on_pointer_move = {
        let surface = surface.clone();
        let hit_at = hit_at.clone();
        move |ev: PointerEvent| {
            let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
            let mut g = surface.gesture.borrow_mut();
            if let Some(p) = g.pointers.iter_mut().find(|p| p.0 == ev.pointer_id()) {
                let dx = x - p.1;
                p.1 = x;
                p.2 = y;
                if g.pointers.len() == 1 {
                    g.moved += dx.abs();
                    if g.moved > 3.0 {
                        move_range(&surface, state, |v| v.pan_px(dx));
                        tooltip.set(None);
                    }
                    return;
                }
                if g.pointers.len() == 2 {
                    let (a, b) = (g.pointers[0], g.pointers[1]);
                    let dist = (a.1 - b.1).hypot(a.2 - b.2).max(1.0);
                    if let Some(prev) = g.pinch_dist {
                        let mid = (a.1 + b.1) / 2.0;
                        move_range(&surface, state, |v| v.zoom_about(mid, dist / prev));
                    }
                    g.pinch_dist = Some(dist);
                    g.moved += 10.0;
                    return;
                }
            }
            drop(g);
            match hit_at(x, y) {
                Some(Hit::Event(i)) => {
                    state.hovered.set(Some(i));
                    tooltip.set(Some((x, y, i, 1)));
                }
                Some(Hit::Cluster { events, .. }) => {
                    state.hovered.set(events.first().copied());
                    tooltip.set(events.first().map(|&i| (x, y, i, events.len())));
                }
                None => {
                    state.hovered.set(None);
                    tooltip.set(None);
                }
            }
        }
    };
    let on_pointer_down = {
        let surface = surface.clone();
        move |ev: PointerEvent| {
            let mut g = surface.gesture.borrow_mut();
            if g.pointers.len() < 2 {
                g.pointers.push((ev.pointer_id(), ev.offset_x() as f64, ev.offset_y() as f64));
            }
            if g.pointers.len() == 1 {
                g.moved = 0.0;
            }
            g.pinch_dist = None;
            if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let _ = t.set_pointer_capture(ev.pointer_id());
            }
        }
    };
    let on_pointer_up = {
        let surface = surface.clone();
        let hit_at = hit_at.clone();
        move |ev: PointerEvent| {
            let mut g = surface.gesture.borrow_mut();
            let was_click = g.pointers.len() == 1 && g.moved <= 3.0;
            g.pointers.retain(|p| p.0 != ev.pointer_id());
            g.pinch_dist = None;
            drop(g);
            if !was_click || ev.type_() == "pointercancel" {
                return;
            }
            match hit_at(ev.offset_x() as f64, ev.offset_y() as f64) {
                Some(Hit::Event(i)) => state.selected.set(Some(i)),
                Some(Hit::Cluster { events, years }) => {
                    let mut r = state.range.get_untracked();
                    if r.zoom_to(years.0, years.1) {
                        state.range.set(r);
                    } else if let Some(&i) = events.first() {
                        state.selected.set(Some(i));
                    }
                }
                None => {}
            }
        }
    };
    let on_wheel = {
        let surface = surface.clone();
        move |ev: WheelEvent| {
            ev.prevent_default();
            let delta = match ev.delta_mode() {
                1 => ev.delta_y() * 16.0,
                2 => ev.delta_y() * 400.0,
                _ => ev.delta_y(),
            };
            let factor = crate::fmath::exp((-delta * 0.002).clamp(-1.0, 1.0));
            let x = ev.offset_x() as f64;
            move_range(&surface, state, |v| v.zoom_about(x, factor));
            tooltip.set(None);
        }
    };
    let on_key = {
        let surface = surface.clone();
        move |ev: KeyboardEvent| {
            let mask = scene.with_untracked(|s| s.mask.clone());
            let cur = state.selected.get_untracked();
            let pick = |i: Option<usize>| {
                if let Some(i) = i {
                    state.selected.set(Some(i));
                    state.hovered.set(Some(i));
                }
            };
            let center = surface.layout.borrow().as_ref().map(|l| l.plot.x0 + l.plot.width() / 2.0).unwrap_or(0.0);
            let handled = match ev.key().as_str() {
                "ArrowRight" if ev.shift_key() => {
                    move_range(&surface, state, |v| v.pan_px(-80.0));
                    true
                }
                "ArrowLeft" if ev.shift_key() => {
                    move_range(&surface, state, |v| v.pan_px(80.0));
                    true
                }
                "ArrowRight" | "ArrowDown" => {
                    pick(next_event(&mask, cur, Dir::Next).or(cur));
                    true
                }
                "ArrowLeft" | "ArrowUp" => {
                    pick(next_event(&mask, cur, Dir::Prev).or(cur));
                    true
                }
                "Home" => {
                    pick(first_event(&mask));
                    true
                }
                "End" => {
                    pick(last_event(&mask));
                    true
                }
                "+" | "=" => {
                    move_range(&surface, state, |v| v.zoom_about(center, 1.5));
                    true
                }
                "-" | "_" => {
                    move_range(&surface, state, |v| v.zoom_about(center, 1.0 / 1.5));
                    true
                }
                "0" => {
                    state.range.set(full_range(atlas));
                    true
                }
                "Enter" | " " => {
                    pick(state.hovered.get_untracked().or(cur).or_else(|| first_event(&mask)));
                    true
                }
                "Escape" => {
                    state.selected.set(None);
                    state.hovered.set(None);
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
                tooltip.set(None);
            }
        }
    };

    let range_text = move || {
        let v = state.range.get();
        let (from, to) = v.shown_years();
        tf(Msg::TimelineShowing, &[("from", &from.to_string()), ("to", &to.to_string())])
    };
    view! {
        <div class="timeline-wrap">
            <div class="timeline-tools">
                <button type="button" id="timeline-zoom-in" on:click=move |_| state.range.update(|r| r.zoom_centre(1.5))>{t(Msg::TimelineZoomIn)}</button>
                <button type="button" id="timeline-zoom-out" on:click=move |_| state.range.update(|r| r.zoom_centre(1.0 / 1.5))>{t(Msg::TimelineZoomOut)}</button>
                <button type="button" id="timeline-reset" on:click=move |_| state.range.set(full_range(atlas))>{t(Msg::TimelineReset)}</button>
                <span class="range" id="timeline-range">{range_text}</span>
            </div>
            <div class="canvas-box">
                <canvas node_ref=canvas_ref id="timeline" class="timeline-canvas" tabindex="0"
                    role="application" aria-roledescription=t(Msg::TimelineRoledescription)
                    aria-label=t(Msg::TimelineLabel)
                    aria-describedby="timeline-help"
                    on:pointermove=on_pointer_move
                    on:pointerdown=on_pointer_down
                    on:pointerup=on_pointer_up.clone()
                    on:pointercancel=on_pointer_up
                    on:pointerleave=move |_| { state.hovered.set(None); tooltip.set(None); }
                    on:wheel=on_wheel
                    on:keydown=on_key
                    on:blur=move |_| tooltip.set(None)
                ></canvas>
                {move || tooltip.get().and_then(|(x, y, i, n)| atlas.events.get(i).map(|e| {
                    let cat = e.category.get();
                    let more = if n > 1 { format!(" {}", tp(Msg::TimelineMore, n as u64 - 1, &[])) } else { String::new() };
                    let width = scene.with_untracked(|s| s.size.0);
                    let (left, right) = crate::ui::tooltip_x(x, width);
                    view! {
                        <div class="tooltip" role="tooltip" id="timeline-tooltip" style:left=left style:right=right style:top=format!("{}px", y + 12.0)>
                            <div class="tt-date">{event_date(e)}</div>
                            <div class="tt-title">{e.title.clone()}{more}</div>
                            <div class="tt-cat">{tr().category(cat)}</div>
                        </div>
                    }
                }))}
            </div>
            <p class="help" id="timeline-help">{t(Msg::TimelineHelp)}</p>
        </div>
    }
}

/// The period of an event in the active language, at its dates' precision; a planned end
/// says so (the English reads as [`Event::date_label`]).
pub(crate) fn event_date(e: &Event) -> String {
    let span = tr().lang.span(&e.start(), e.end_date().as_ref());
    if e.end_planned && e.end.is_some() {
        tf(Msg::TimelineEndPlanned, &[("date", &span)])
    } else {
        span
    }
}

/// The test hook `window.__atlasTest.timelineMark(id)`, and with the feature `bench`,
/// `window.__atlasBench.timeline(frames, n)`: redraws the timeline `frames` times (with a
/// generated dataset of `n` events when `n` > 0) and returns each frame's time in ms; then
/// draws the app's own scene again.
fn install_hooks(
    state: AppState,
    scene: Memo<TimelineScene>,
    canvas_ref: NodeRef<leptos::html::Canvas>,
    surface: Rc<Surface>,
) {
    #[cfg(feature = "bench")]
    install_bench(state, scene, canvas_ref, surface.clone());
    #[cfg(not(feature = "bench"))]
    let _ = (scene, canvas_ref);
    // Test hook: where an event's mark is drawn now (CSS px in the canvas), and whether it is
    // part of a cluster; null when off-screen.
    let pos = Closure::<dyn Fn(String) -> JsValue>::new(move |id: String| {
        let Some(i) = state.atlas.event_index(&id) else { return JsValue::NULL };
        let lay = surface.layout.borrow();
        let Some(m) = lay.as_ref().and_then(|l| l.mark_of(i).cloned()) else { return JsValue::NULL };
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"x".into(), &m.x.into());
        let _ = js_sys::Reflect::set(&o, &"y".into(), &m.y.into());
        let _ = js_sys::Reflect::set(&o, &"cluster".into(), &m.is_cluster().into());
        o.into()
    });
    let _ = js_sys::Reflect::set(&test_hooks(), &"timelineMark".into(), pos.as_ref());
    pos.forget();
}

#[cfg(feature = "bench")]
fn install_bench(
    state: AppState,
    scene: Memo<TimelineScene>,
    canvas_ref: NodeRef<leptos::html::Canvas>,
    surface: Rc<Surface>,
) {
    let bench = super::bench_hooks();
    let surface2 = surface;
    let f = Closure::<dyn Fn(u32, u32) -> js_sys::Array>::new(move |frames: u32, n: u32| {
        let surface = &surface2;
        let out = js_sys::Array::new();
        let Some(c) = canvas_ref.get_untracked() else { return out };
        let real = scene.get_untracked();
        let mut base = real.clone();
        let atlas: &'static Atlas = if n > 0 {
            let big: &'static Atlas = Box::leak(Box::new(crate::bench::synthetic_atlas(state.atlas, n as usize)));
            let cats = state.categories.get_untracked();
            base.mask =
                state.search.with_untracked(|q| crate::filter::full_mask(big, &cats, q, state.place.get_untracked()));
            base.selected = None;
            base.hovered = None;
            big
        } else {
            state.atlas
        };
        for k in 0..frames {
            // Vary the range as a user would while panning and zooming.
            let mut s = on_plot(surface, real.range);
            s.pan_px(((k % 40) as f64 - 20.0) * 3.0);
            let frame = TimelineScene { range: s.range(), ..base.clone() };
            out.push(&JsValue::from_f64(redraw(&c, surface, atlas, &frame)));
        }
        redraw(&c, surface, state.atlas, &real);
        out
    });
    let _ = js_sys::Reflect::set(&bench, &"timeline".into(), f.as_ref());
    f.forget();
}
