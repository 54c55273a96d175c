//! The map component: a focusable canvas with pointer, wheel, touch and keyboard control, a
//! Play control that walks the timeline through the years, and a text alternative.
//! Geometry lives in [`crate::geo`] and [`crate::map_layers`]; drawing in
//! [`crate::render::map`].

use super::canvas::{backend_for, backend_sized, context, device_pixel_ratio, draw_with, svg_of};
use super::state::{use_state, AppState};
use super::test_hooks;
use crate::map::{build, event_points, events_at, students_at, MapInputs};
use crate::map::{GeoData, MapView, PlaceIndex};
use crate::render::map::{draw_map, draw_map_base, draw_map_overlay};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent, PointerEvent, WheelEvent};

/// The map's slow layers (countries, borders, disputed areas), drawn once into an offscreen
/// canvas and copied on each frame; see [`crate::render::map::draw_map_base`].
struct BaseCache {
    canvas: HtmlCanvasElement,
    /// What the bitmap was drawn for: CSS size, DPR, theme, hovered unit.
    key: (u32, u32, u64, bool, Option<usize>),
    view: MapView,
}

#[derive(Default)]
struct Surface {
    base: RefCell<Option<BaseCache>>,
    /// Bumped by each frame that shifted the cached bitmap instead of redrawing it; the last
    /// one schedules a full redraw once the movement stops.
    settle: Cell<u32>,
    view: Cell<Option<MapView>>,
    index: RefCell<Option<(PlaceIndex, Vec<usize>)>>,
    frame_pending: Cell<bool>,
    drag: RefCell<Vec<(i32, f64, f64)>>,
    moved: Cell<f64>,
    pinch: Cell<Option<f64>>,
}

/// What the map tooltip shows.
#[derive(Clone, PartialEq)]
enum Tip {
    Place(usize),
    Unit(usize),
}

/// A redraw to run once a pan has stopped.
type SettleFn = Box<dyn Fn(&Surface)>;

thread_local! {
    static STATE: Cell<Option<AppState>> = const { Cell::new(None) };
    /// The pending "pan stopped" redraw, and the surface it belongs to.
    static SETTLE: RefCell<Option<SettleFn>> = RefCell::new(None);
    static SURFACE: RefCell<Option<Rc<Surface>>> = const { RefCell::new(None) };
}

/// Runs the pending "pan stopped" redraw 150 ms after the last shifted frame.
fn schedule_settle(generation: u32) {
    set_timeout(
        move || {
            let Some(surface) = SURFACE.with(|s| s.borrow().clone()) else { return };
            if surface.settle.get() != generation {
                return;
            }
            if let Some(f) = SETTLE.with(|s| s.borrow_mut().take()) {
                f(&surface);
            }
        },
        Duration::from_millis(150),
    );
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// The default view: every place of the data, with some room around.
fn home_view(atlas: &crate::data::Atlas, w: f64, h: f64) -> MapView {
    let mut v = MapView::new(w, h);
    let pts: Vec<(f64, f64)> =
        atlas.places.iter().filter(|p| p.kind != crate::data::PlaceKind::Country).map(|p| (p.lon, p.lat)).collect();
    v.fit_geo(&pts, 40.0);
    v
}

fn redraw(
    canvas: &HtmlCanvasElement,
    surface: &Surface,
    hovered_place: Option<usize>,
    hover_unit: Option<usize>,
) -> f64 {
    let Some(state) = STATE.with(|s| s.get()) else { return 0.0 };
    let t0 = now();
    let (w, h) = (canvas.client_width() as f64, canvas.client_height() as f64);
    if w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    let atlas = state.atlas;
    let view = match surface.view.get() {
        Some(v) => v.with_size(w, h),
        None => match state.map_view.get_untracked() {
            Some((lon, lat, z)) => {
                let mut v = MapView::new(w, h);
                v.centered_on(lon, lat, z);
                v
            }
            None => home_view(atlas, w, h),
        },
    };
    surface.view.set(Some(view));
    let theme = state.theme_untracked();
    let (mut layers, markers) = layers_for(&state, hovered_place, &theme);
    layers.hover_unit = hover_unit;
    let index = layers.place_index();
    let geo = GeoData::get();
    let dpr = device_pixel_ratio();
    let key = (w as u32, h as u32, dpr.to_bits(), theme.dark, hover_unit);
    let Some(backend) = backend_for(canvas) else { return 0.0 };
    let Some(ctx) = context(canvas) else { return 0.0 };
    // The base bitmap: reuse it when drawn for this very view; shift it while a pan is in
    // progress (same zoom), filling the uncovered edge with water, and redraw it properly once
    // the pan stops; otherwise draw it anew.
    let mut cache = surface.base.borrow_mut();
    let reusable = cache.as_ref().filter(|c| c.key == key);
    let offset = match reusable {
        Some(c) if c.view == view => Some((0.0, 0.0)),
        Some(c) if c.view.zoom == view.zoom => {
            let (x, y) = view.plane_to_screen(c.view.screen_to_plane(0.0, 0.0).0, c.view.screen_to_plane(0.0, 0.0).1);
            Some((x, y))
        }
        _ => None,
    };
    let offset = match offset {
        Some(o) => o,
        None => {
            let buffer = match cache.take() {
                Some(c) => c.canvas,
                None => {
                    match web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("canvas").ok()) {
                        Some(el) => el.unchecked_into::<HtmlCanvasElement>(),
                        None => return 0.0,
                    }
                }
            };
            if let Some(b) = backend_sized(&buffer, w as u32, h as u32) {
                draw_with(b, |root| draw_map_base(root, geo, &view, &layers, &theme));
            }
            *cache = Some(BaseCache { canvas: buffer, key, view });
            (0.0, 0.0)
        }
    };
    if let Some(c) = cache.as_ref() {
        ctx.save();
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        if offset != (0.0, 0.0) {
            ctx.set_fill_style_str(&crate::render::Theme::css(theme.water));
            ctx.fill_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
        }
        let _ = ctx.draw_image_with_html_canvas_element(&c.canvas, (offset.0 * dpr).round(), (offset.1 * dpr).round());
        ctx.restore();
    }
    drop(cache);
    draw_with(backend, |root| draw_map_overlay(root, geo, &view, &layers, &theme));
    if offset != (0.0, 0.0) {
        let g = surface.settle.get().wrapping_add(1);
        surface.settle.set(g);
        let canvas = canvas.clone();
        SETTLE.with(|s| {
            *s.borrow_mut() = Some(Box::new(move |surface: &Surface| {
                if surface.settle.get() == g {
                    // Invalidate the bitmap's view so the next frame draws it anew.
                    if let Some(c) = surface.base.borrow_mut().as_mut() {
                        c.key.0 = 0;
                    }
                    redraw(&canvas, surface, hovered_place, hover_unit);
                }
            }))
        });
        schedule_settle(g);
    }
    *surface.index.borrow_mut() = Some((index, markers));
    now() - t0
}

/// The map's layers for the current app state (and the marker → place index map).
fn layers_for(
    state: &AppState,
    hovered_place: Option<usize>,
    theme: &crate::render::Theme,
) -> (crate::map::MapLayers, Vec<usize>) {
    let mask = state.filter_mask_untracked();
    let v = state.view.get_untracked();
    let input = MapInputs {
        mask: &mask,
        range: (v.start, v.end),
        selected_event: state.selected.get_untracked(),
        selected_place: state.place.get_untracked(),
        hovered_place,
    };
    build(state.atlas, &input, theme)
}

#[component]
pub fn Map() -> impl IntoView {
    let state = use_state();
    STATE.with(|s| s.set(Some(state)));
    let atlas = state.atlas;
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let surface = Rc::new(Surface::default());
    SURFACE.with(|s| *s.borrow_mut() = Some(surface.clone()));
    let tip = RwSignal::new(None::<(f64, f64, Tip)>);
    let focus_place = RwSignal::new(None::<usize>);
    let hover_unit = RwSignal::new(None::<usize>);
    let view_epoch = RwSignal::new(0u32);

    let schedule = {
        let surface = surface.clone();
        move || {
            let Some(canvas) = canvas_ref.get_untracked() else { return };
            if surface.frame_pending.replace(true) {
                return;
            }
            let surface = surface.clone();
            let cb = Closure::once_into_js(move || {
                surface.frame_pending.set(false);
                redraw(&canvas, &surface, focus_place.get_untracked(), hover_unit.get_untracked());
            });
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(cb.unchecked_ref());
            }
        }
    };
    {
        let schedule = schedule.clone();
        Effect::new(move |_| {
            state.view.track();
            state.selected.track();
            state.place.track();
            state.categories.track();
            state.search.track();
            state.dark.track();
            state.layout_epoch.track();
            focus_place.track();
            hover_unit.track();
            view_epoch.track();
            if canvas_ref.get().is_some() {
                schedule();
            }
        });
    }
    // Selecting an event brings its places on screen.
    {
        let surface = surface.clone();
        Effect::new(move |_| {
            let Some(e) = state.selected.get().and_then(|i| atlas.events.get(i)) else { return };
            let pts: Vec<(f64, f64)> = event_points(atlas, e).iter().map(|p| (p.1, p.2)).collect();
            if let Some(mut v) = surface.view.get() {
                if v.ensure_visible(&pts, 40.0) {
                    surface.view.set(Some(v));
                    view_epoch.update(|n| *n += 1);
                }
            }
        });
    }
    // Back/forward or a pasted URL may move the map.
    {
        let surface = surface.clone();
        Effect::new(move |_| {
            let wanted = state.map_view.get();
            if let (Some(v), Some((lon, lat, z))) = (surface.view.get(), wanted) {
                let (clon, clat) = v.center_geo();
                if (clon - lon).abs() > 1e-3 || (clat - lat).abs() > 1e-3 || (v.zoom - z).abs() > 1e-3 {
                    let mut nv = v;
                    nv.centered_on(lon, lat, z);
                    surface.view.set(Some(nv));
                    view_epoch.update(|n| *n += 1);
                }
            }
        });
    }
    install_bench(canvas_ref, surface.clone());

    let set_view = {
        let surface = surface.clone();
        move |f: &dyn Fn(&mut MapView)| {
            if let Some(mut v) = surface.view.get() {
                f(&mut v);
                surface.view.set(Some(v));
                let (lon, lat) = v.center_geo();
                state.map_view.set(Some((lon, lat, v.zoom)));
                view_epoch.update(|n| *n += 1);
            }
        }
    };
    let hit = {
        let surface = surface.clone();
        move |x: f64, y: f64| -> Option<Tip> {
            let view = surface.view.get()?;
            if let Some((index, markers)) = surface.index.borrow().as_ref() {
                if let Some(k) = index.hit(&view, x, y, 4.0) {
                    return markers.get(k).map(|&p| Tip::Place(p));
                }
            }
            GeoData::get().unit_at(&view, x, y).map(Tip::Unit)
        }
    };

    let on_move = {
        let surface = surface.clone();
        let set_view = set_view.clone();
        let hit = hit.clone();
        move |ev: PointerEvent| {
            let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
            let mut drag = surface.drag.borrow_mut();
            if let Some(k) = drag.iter().position(|p| p.0 == ev.pointer_id()) {
                let (dx, dy) = (x - drag[k].1, y - drag[k].2);
                drag[k].1 = x;
                drag[k].2 = y;
                if drag.len() == 1 {
                    surface.moved.set(surface.moved.get() + dx.abs() + dy.abs());
                    drop(drag);
                    if surface.moved.get() > 3.0 {
                        set_view(&|v| v.pan(dx, dy));
                        tip.set(None);
                    }
                } else if drag.len() == 2 {
                    let (a, b) = (drag[0], drag[1]);
                    drop(drag);
                    let d = (a.1 - b.1).hypot(a.2 - b.2).max(1.0);
                    if let Some(prev) = surface.pinch.get() {
                        set_view(&|v| v.zoom_about((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0, d / prev));
                    }
                    surface.pinch.set(Some(d));
                    surface.moved.set(surface.moved.get() + 10.0);
                }
                return;
            }
            drop(drag);
            let t = hit(x, y);
            hover_unit.set(match t {
                Some(Tip::Unit(u)) => Some(u),
                _ => None,
            });
            focus_place.set(match t {
                Some(Tip::Place(p)) => Some(p),
                _ => None,
            });
            tip.set(t.map(|t| (x, y, t)));
        }
    };
    let on_down = {
        let surface = surface.clone();
        move |ev: PointerEvent| {
            let mut drag = surface.drag.borrow_mut();
            if drag.len() < 2 {
                drag.push((ev.pointer_id(), ev.offset_x() as f64, ev.offset_y() as f64));
            }
            if drag.len() == 1 {
                surface.moved.set(0.0);
            }
            surface.pinch.set(None);
            if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let _ = t.set_pointer_capture(ev.pointer_id());
            }
        }
    };
    let on_up = {
        let surface = surface.clone();
        let hit = hit.clone();
        move |ev: PointerEvent| {
            let click = surface.drag.borrow().len() == 1 && surface.moved.get() <= 3.0;
            surface.drag.borrow_mut().retain(|p| p.0 != ev.pointer_id());
            surface.pinch.set(None);
            if !click || ev.type_() == "pointercancel" {
                return;
            }
            if let Some(Tip::Place(p)) = hit(ev.offset_x() as f64, ev.offset_y() as f64) {
                state.place.set(if state.place.get_untracked() == Some(p) { None } else { Some(p) });
            }
        }
    };
    let on_wheel = {
        let set_view = set_view.clone();
        move |ev: WheelEvent| {
            ev.prevent_default();
            let dy = match ev.delta_mode() {
                1 => ev.delta_y() * 16.0,
                2 => ev.delta_y() * 400.0,
                _ => ev.delta_y(),
            };
            let f = crate::fmath::powf(1.2, (-dy / 100.0).clamp(-3.0, 3.0));
            let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
            set_view(&|v| v.zoom_about(x, y, f));
            tip.set(None);
        }
    };
    let marker_places: Vec<usize> = (0..atlas.places.len())
        .filter(|&i| matches!(atlas.places[i].kind, crate::data::PlaceKind::City | crate::data::PlaceKind::Site))
        .collect();
    let on_key = {
        let set_view = set_view.clone();
        let surface = surface.clone();
        let marker_places = marker_places.clone();
        move |ev: KeyboardEvent| {
            let key = ev.key();
            let (w, h) = surface.view.get().map(|v| (v.width, v.height)).unwrap_or((0.0, 0.0));
            let handled = match key.as_str() {
                "ArrowLeft" => {
                    set_view(&|v| v.pan(60.0, 0.0));
                    true
                }
                "ArrowRight" => {
                    set_view(&|v| v.pan(-60.0, 0.0));
                    true
                }
                "ArrowUp" => {
                    set_view(&|v| v.pan(0.0, 60.0));
                    true
                }
                "ArrowDown" => {
                    set_view(&|v| v.pan(0.0, -60.0));
                    true
                }
                "+" | "=" => {
                    set_view(&|v| v.zoom_about(w / 2.0, h / 2.0, 1.4));
                    true
                }
                "-" | "_" => {
                    set_view(&|v| v.zoom_about(w / 2.0, h / 2.0, 1.0 / 1.4));
                    true
                }
                "0" => {
                    set_view(&|v| *v = home_view(atlas, w, h));
                    true
                }
                "n" | "N" | "p" | "P" => {
                    let n = marker_places.len();
                    if n > 0 {
                        let back = key == "p" || key == "P";
                        let cur = focus_place.get_untracked().and_then(|p| marker_places.iter().position(|&m| m == p));
                        let next = match (cur, back) {
                            (None, false) => 0,
                            (None, true) => n - 1,
                            (Some(k), false) => (k + 1) % n,
                            (Some(k), true) => (k + n - 1) % n,
                        };
                        let p = marker_places[next];
                        focus_place.set(Some(p));
                        let pl = &atlas.places[p];
                        set_view(&|v| {
                            v.ensure_visible(&[(pl.lon, pl.lat)], 40.0);
                        });
                        if let Some(v) = surface.view.get() {
                            let (x, y) = v.to_screen(pl.lon, pl.lat);
                            tip.set(Some((x, y, Tip::Place(p))));
                        }
                    }
                    true
                }
                "Enter" | " " => {
                    if let Some(p) = focus_place.get_untracked() {
                        state.place.set(Some(p));
                    }
                    true
                }
                "Escape" => {
                    state.place.set(None);
                    focus_place.set(None);
                    tip.set(None);
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
            }
        }
    };

    let tip_view = move || {
        tip.get().map(|(x, y, t)| {
            let (title, lines): (String, Vec<String>) = match t {
                Tip::Place(p) => {
                    let pl = &atlas.places[p];
                    let n = events_at(atlas, p).len();
                    let mut lines = vec![format!("{n} event{}", if n == 1 { "" } else { "s" })];
                    let s = students_at(atlas, p);
                    if s > 0 {
                        lines.push(format!("{s} Pakistani students (Table 2)"));
                    }
                    if let Some(w) = &pl.name_as_written {
                        lines.push(format!("Written “{w}” in the source"));
                    }
                    if pl.approximate {
                        lines.push("Position approximate".into());
                    }
                    (pl.name.clone(), lines)
                }
                Tip::Unit(u) => {
                    let unit = &GeoData::get().units[u];
                    let mut lines = Vec::new();
                    if let Some(ci) = unit.iso_n3.and_then(|iso| atlas.places.iter().position(|p| p.iso_n3 == Some(iso))) {
                        let n = events_at(atlas, ci).len();
                        lines.push(format!("{n} event{}", if n == 1 { "" } else { "s" }));
                    }
                    if unit.disputed {
                        lines.push("Disputed territory".into());
                    }
                    if let Some(note) = &unit.note {
                        lines.push(note.clone());
                    }
                    (unit.name.clone(), lines)
                }
            };
            let width = canvas_ref.get_untracked().map(|c| c.client_width() as f64).unwrap_or(0.0);
            let (left, right) = super::timeline::tooltip_x(x, width);
            view! {
                <div class="tooltip" role="tooltip" id="map-tooltip" style:left=left style:right=right style:top=format!("{}px", y + 12.0)>
                    <div class="tt-title">{title}</div>
                    {lines.into_iter().map(|l| view! { <div class="tt-cat">{l}</div> }).collect_view()}
                </div>
            }
        })
    };

    let selected_place_bar = move || {
        state.place.get().map(|p| {
        let name = atlas.places[p].name.clone();
        view! {
            <p class="place-filter" role="status">"Showing only events at "<strong>{name}</strong>". "
                <button type="button" id="clear-place" on:click=move |_| state.place.set(None)>"Show all places"</button></p>
        }
    })
    };

    view! {
        <div class="map-wrap">
            <div class="map-tools">
                <button type="button" id="map-zoom-in" on:click={ let s = set_view.clone(); move |_| s(&|v| { let (w, h) = (v.width, v.height); v.zoom_about(w / 2.0, h / 2.0, 1.4) }) }>"Zoom in"</button>
                <button type="button" id="map-zoom-out" on:click={ let s = set_view.clone(); move |_| s(&|v| { let (w, h) = (v.width, v.height); v.zoom_about(w / 2.0, h / 2.0, 1.0 / 1.4) }) }>"Zoom out"</button>
                <button type="button" id="map-reset" on:click={ let s = set_view.clone(); move |_| s(&|v| { let (w, h) = (v.width, v.height); *v = home_view(atlas, w, h) }) }>"Reset map"</button>
                <Player />
            </div>
            {selected_place_bar}
            <div class="canvas-box">
                <canvas node_ref=canvas_ref id="map" class="map-canvas" tabindex="0" role="application"
                    aria-roledescription="map"
                    aria-label="Map of the places of Pakistan–Russia relations, with Table 2 student numbers"
                    aria-describedby="map-help"
                    on:pointermove=on_move on:pointerdown=on_down on:pointerup=on_up.clone() on:pointercancel=on_up
                    on:pointerleave=move |_| { tip.set(None); hover_unit.set(None); }
                    on:wheel=on_wheel on:keydown=on_key on:blur=move |_| tip.set(None)></canvas>
                {tip_view}
            </div>
            <p class="help" id="map-help">"Drag or arrow keys to pan, wheel or +/− to zoom, 0 to reset. N/P cycle through places, Enter shows only that place’s events, Esc shows all. Borders: Natural Earth; disputed lines dashed, disputed areas hatched."</p>
            <details class="map-text">
                <summary>"Places and their events (text alternative to the map)"</summary>
                <ul>
                    {marker_places.iter().map(|&p| {
                        let pl = &atlas.places[p];
                        let evs = events_at(atlas, p);
                        let s = students_at(atlas, p);
                        view! {
                            <li>
                                <button type="button" class="event-link" on:click=move |_| state.place.set(Some(p))>{pl.name.clone()}</button>
                                {format!(" — {} event{}", evs.len(), if evs.len() == 1 { "" } else { "s" })}
                                {(s > 0).then(|| format!("; {s} Pakistani students"))}
                                <ul>{evs.into_iter().map(|i| {
                                    let e = &atlas.events[i];
                                    view! { <li>{format!("{}: {}", e.date_label(), e.title)}</li> }
                                }).collect_view()}</ul>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        </div>
    }
}

/// Play: moves the timeline's window through the years. Honours prefers-reduced-motion by
/// stepping more slowly.
#[component]
fn Player() -> impl IntoView {
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
                        let mut v = state.view.get_untracked();
                        let span = v.span();
                        let before = v.start;
                        v.set_range(v.start + 1.0, v.start + 1.0 + span);
                        if (v.start - before).abs() < 1e-9 {
                            playing.set(false);
                            return;
                        }
                        state.view.set(v);
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
            let mut v = state.view.get_untracked();
            if v.span() > 15.0 {
                let s = v.start.max(1947.0);
                v.set_range(s, s + 10.0);
                state.view.set(v);
            }
            playing.set(true);
            tick.set(tick.get() + 1);
            step();
        }
    };
    view! {
        <span class="player">
            <button type="button" id="play" aria-pressed=move || playing.get().to_string() on:click=toggle>
                {move || if playing.get() { "Pause" } else { "Play" }}
            </button>
            <label>"Speed "
                <select id="play-speed" on:change=move |ev| speed.set(crate::urlstate::decimal(&event_target_value(&ev)).unwrap_or(1.0))>
                    <option value="0.5">"½×"</option>
                    <option value="1" selected>"1×"</option>
                    <option value="2">"2×"</option>
                    <option value="4">"4×"</option>
                </select>
            </label>
            <span class="play-year" id="play-year" aria-live="off">{move || format!("Years {}–{}", state.view.get().start.max(1900.0).floor() as i64, state.view.get().end.min(2100.0).floor() as i64)}</span>
        </span>
    }
}

/// `window.__atlasBench.map(frames, pan)`: redraws the map `frames` times (panning between
/// frames when `pan` is true) and returns each frame's time in ms.
fn install_bench(canvas_ref: NodeRef<leptos::html::Canvas>, surface: Rc<Surface>) {
    let bench = super::bench_hooks();
    let surface1 = surface.clone();
    let f = Closure::<dyn Fn(u32, bool) -> js_sys::Array>::new(move |frames: u32, pan: bool| {
        let surface = &surface1;
        let out = js_sys::Array::new();
        let Some(c) = canvas_ref.get_untracked() else { return out };
        let original = surface.view.get();
        for k in 0..frames {
            if pan {
                if let Some(mut v) = surface.view.get() {
                    let d = if (k / 20) % 2 == 0 { 6.0 } else { -6.0 };
                    v.pan(d, d / 2.0);
                    surface.view.set(Some(v));
                }
            }
            out.push(&JsValue::from_f64(redraw(&c, surface, None, None)));
        }
        surface.view.set(original);
        redraw(&c, surface, None, None);
        out
    });
    let _ = js_sys::Reflect::set(&bench, &"map".into(), f.as_ref());
    f.forget();
    // Test hook: where a place is drawn now (CSS px in the canvas).
    let s2 = surface.clone();
    let pos = Closure::<dyn Fn(String) -> JsValue>::new(move |id: String| {
        let Some(state) = STATE.with(|s| s.get()) else { return JsValue::NULL };
        let (Some(v), Some(p)) = (s2.view.get(), state.atlas.places.iter().find(|p| p.id == id)) else {
            return JsValue::NULL;
        };
        let (x, y) = v.to_screen(p.lon, p.lat);
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"x".into(), &x.into());
        let _ = js_sys::Reflect::set(&o, &"y".into(), &y.into());
        o.into()
    });
    let _ = js_sys::Reflect::set(&test_hooks(), &"mapPoint".into(), pos.as_ref());
    pos.forget();
    // Test hook: ids of the markers drawn highlighted.
    let hl = Closure::<dyn Fn() -> js_sys::Array>::new(move || {
        let out = js_sys::Array::new();
        let Some(state) = STATE.with(|s| s.get()) else { return out };
        let (layers, _) = layers_for(&state, None, &state.theme_untracked());
        for p in layers.places.iter().filter(|p| p.highlighted) {
            out.push(&JsValue::from_str(&p.id));
        }
        out
    });
    let _ = js_sys::Reflect::set(&test_hooks(), &"mapHighlighted".into(), hl.as_ref());
    hl.forget();
}

/// The map as SVG, drawn by the same function as the canvas.
pub fn map_svg(state: &AppState) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let el = doc.get_element_by_id("map")?;
    let (w, h) = (el.client_width().max(320) as u32, el.client_height().max(240) as u32);
    let atlas = state.atlas;
    let view = match state.map_view.get_untracked() {
        Some((lon, lat, z)) => {
            let mut mv = MapView::new(w as f64, h as f64);
            mv.centered_on(lon, lat, z);
            mv
        }
        None => home_view(atlas, w as f64, h as f64),
    };
    let theme = state.theme_untracked();
    let (layers, _) = layers_for(state, None, &theme);
    svg_of((w, h), |root| draw_map(root, GeoData::get(), &view, &layers, &theme))
}
