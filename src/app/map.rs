//! The map component: a focusable canvas with pointer, wheel, touch and keyboard control, the
//! Play control, and a text alternative. Geometry lives in [`crate::map`] (view, layers and
//! each frame's layout); drawing in [`crate::render::map`]. The map view itself is app state
//! ([`AppState::map_view`], a geographic centre and zoom): every move goes through it.

use super::canvas::{backend_sized, context, device_pixel_ratio, draw_with, observed_size, svg_of};
use super::player::Player;
use super::state::{theme_of, use_state, AppState, MapScene};
use super::test_hooks;
use crate::data::Atlas;
use crate::i18n::{t, tf, tp, Msg};
use crate::map::{
    build, event_points, events_at, frame_view, overlay_layout, students_at, GeoData, MapInputs, MapLayers, MapView,
    PlaceIndex,
};
use crate::render::map::{draw_map, draw_map_base, draw_overlay};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent, PointerEvent, WheelEvent};

/// The map's slow layers (countries, borders, disputed areas), drawn once into an offscreen
/// canvas and copied on each frame; see [`crate::render::map::draw_map_base`].
/// What a base bitmap is drawn for: CSS size, DPR (its bits), theme, hovered unit.
type BaseKey = (u32, u32, u64, bool, Option<usize>);

struct BaseCache {
    canvas: HtmlCanvasElement,
    key: BaseKey,
    view: MapView,
}

/// What the last frame drew: its view on the canvas's pixels and the markers' hit index.
struct Frame {
    view: MapView,
    index: PlaceIndex,
    /// The place (index into `atlas.places`) of each marker of the index.
    markers: Vec<usize>,
}

/// Canvas-side state that is not app state: the last frame (the one place where the map's
/// pixels live), the base bitmap, the scene waiting for the next animation frame, the pending
/// "pan stopped" redraw and the gesture.
#[derive(Default)]
struct Surface {
    base: RefCell<Option<BaseCache>>,
    frame: RefCell<Option<Frame>>,
    pending: RefCell<Option<MapScene>>,
    frame_pending: Cell<bool>,
    /// Bumped by each frame that shifted the cached bitmap instead of redrawing it; the last
    /// one redraws properly once the movement stops.
    settle: Cell<u32>,
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

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// The map's layers for a scene (and the marker → place index map).
fn layers_for(atlas: &Atlas, scene: &MapScene) -> (MapLayers, Vec<usize>) {
    let input = MapInputs {
        mask: &scene.mask,
        range: (scene.range.start, scene.range.end),
        selected_event: scene.selected,
        selected_place: scene.place,
        hovered_place: scene.focus,
    };
    let (mut layers, markers) = build(atlas, &input);
    layers.hover_unit = scene.hover_unit;
    (layers, markers)
}

/// The base bitmap's key for a scene on a `w` × `h` canvas at `dpr`.
fn base_key(scene: &MapScene, w: f64, h: f64, dpr: f64) -> BaseKey {
    (w as u32, h as u32, dpr.to_bits(), scene.dark, scene.hover_unit)
}

/// Brings the base bitmap up to `view`: reused when drawn for this very view, shifted while a
/// pan is in progress (same zoom: the frame fills the uncovered edge with water, and the pan's
/// end redraws it properly), otherwise drawn anew. Returns where to copy it on the canvas
/// (CSS px), or `None` when there is no canvas to draw it in.
fn ensure_base(
    cache: &mut Option<BaseCache>,
    key: BaseKey,
    view: &MapView,
    layers: &MapLayers,
    theme: &crate::render::Theme,
) -> Option<(f64, f64)> {
    match cache.as_ref().filter(|c| c.key == key) {
        Some(c) if c.view == *view => return Some((0.0, 0.0)),
        Some(c) if c.view.zoom == view.zoom => {
            let (px, py) = c.view.screen_to_plane(0.0, 0.0);
            return Some(view.plane_to_screen(px, py));
        }
        _ => {}
    }
    let buffer = match cache.take() {
        Some(c) => c.canvas,
        None => web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())?
            .unchecked_into::<HtmlCanvasElement>(),
    };
    if let Some(b) = backend_sized(&buffer, key.0, key.1) {
        draw_with(b, |root| draw_map_base(root, GeoData::get(), view, layers, theme));
    }
    *cache = Some(BaseCache { canvas: buffer, key, view: *view });
    Some((0.0, 0.0))
}

/// The first half of a first drawing, in a task of its own: the base bitmap for `scene` (the
/// borders, most of the drawing's time), so that the frame after it only copies it.
fn prepare_base(surface: &Surface, atlas: &'static Atlas, scene: &MapScene) {
    let (w, h) = scene.size;
    if w <= 0.0 || h <= 0.0 {
        return;
    }
    let view = frame_view(atlas, scene.view, w, h);
    let (layers, _) = layers_for(atlas, scene);
    let key = base_key(scene, w, h, device_pixel_ratio());
    ensure_base(&mut surface.base.borrow_mut(), key, &view, &layers, &theme_of(scene.dark));
}

/// Draws `scene` now, from nothing but `atlas` and the scene. Returns the time spent in ms.
fn redraw(canvas: &HtmlCanvasElement, surface: &Rc<Surface>, atlas: &'static Atlas, scene: &MapScene) -> f64 {
    let t0 = now();
    let (w, h) = scene.size;
    if w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    let view = frame_view(atlas, scene.view, w, h);
    let theme = theme_of(scene.dark);
    let (layers, markers) = layers_for(atlas, scene);
    let index = layers.place_index();
    let geo = GeoData::get();
    let dpr = device_pixel_ratio();
    let Some(backend) = backend_sized(canvas, w as u32, h as u32) else { return 0.0 };
    let Some(ctx) = context(canvas) else { return 0.0 };
    let mut cache = surface.base.borrow_mut();
    let Some(offset) = ensure_base(&mut cache, base_key(scene, w, h, dpr), &view, &layers, &theme) else { return 0.0 };
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
    let lay = overlay_layout(geo, &view, &layers);
    draw_with(backend, |root| draw_overlay(root, geo, &view, &layers, &lay, &theme));
    if offset != (0.0, 0.0) {
        settle_later(canvas.clone(), surface.clone(), atlas, scene.clone());
    } else {
        // Drawn properly: a pending "pan stopped" redraw (of an older scene) is void.
        surface.settle.set(surface.settle.get().wrapping_add(1));
    }
    *surface.frame.borrow_mut() = Some(Frame { view, index, markers });
    now() - t0
}

/// Redraws the base bitmap properly 150 ms after the last frame that only shifted it, unless
/// another frame came since (that frame's scene is the newer one).
fn settle_later(canvas: HtmlCanvasElement, surface: Rc<Surface>, atlas: &'static Atlas, scene: MapScene) {
    let generation = surface.settle.get().wrapping_add(1);
    surface.settle.set(generation);
    set_timeout(
        move || {
            if surface.settle.get() != generation {
                return; // a later frame drew since
            }
            if let Some(c) = surface.base.borrow_mut().as_mut() {
                c.key.0 = 0; // invalidate: the next frame draws the bitmap anew
            }
            redraw(&canvas, &surface, atlas, &scene);
        },
        Duration::from_millis(150),
    );
}

/// Draws `scene` at the next animation frame (one frame for any number of changes). The first
/// drawing gets two tasks of its own ([`super::canvas::draw_soon`], even on the screen: drawn
/// in the frame that first shows it, with the borders' decoding and the wasm's compile of the
/// drawing code, it made a task of 100–190 ms on a desktop): the base bitmap, then the frame,
/// each under 50 ms with the CPU 4× slower where the two together were not.
fn schedule(canvas: HtmlCanvasElement, surface: Rc<Surface>, atlas: &'static Atlas, scene: MapScene) {
    let first = surface.frame.borrow().is_none() && scene.size.0 > 0.0;
    *surface.pending.borrow_mut() = Some(scene);
    if surface.frame_pending.replace(true) {
        return;
    }
    let surface2 = surface.clone();
    let frame = move || {
        surface.frame_pending.set(false);
        let scene = surface.pending.borrow_mut().take();
        if let Some(scene) = scene {
            redraw(&canvas, &surface, atlas, &scene);
        }
    };
    if !first {
        super::canvas::draw_soon(false, Box::new(frame));
        return;
    }
    let base = move || {
        // The scene still waiting (a newer one replaces it: the frame draws that).
        let scene = surface2.pending.borrow().clone();
        if let Some(scene) = scene {
            prepare_base(&surface2, atlas, &scene);
        }
        let frame = move || {
            frame();
            // The static map kept under the canvas until now (`super::mount`).
            if let Some(map) = super::page::by_id("map") {
                super::canvas::drop_backdrop(&map);
            }
        };
        super::canvas::draw_soon(true, Box::new(frame));
    };
    super::canvas::draw_soon(true, Box::new(base));
}

/// The state's map view on the canvas's observed size (`None` before the canvas has a size).
/// Not the last frame's: a key pressed before the first frame moves the map and shows its tooltip.
fn current_view(state: AppState, size: RwSignal<(f64, f64)>) -> Option<MapView> {
    let (w, h) = size.get_untracked();
    (w > 0.0 && h > 0.0).then(|| frame_view(state.atlas, state.map_view.get_untracked(), w, h))
}

#[component]
pub fn Map() -> impl IntoView {
    let state = use_state();
    let atlas = state.atlas;
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let surface = Rc::new(Surface::default());
    let tip = RwSignal::new(None::<(f64, f64, Tip)>);

    // Redraw whenever anything drawn changes (one memo of all of it); coalesced to one frame.
    let size = observed_size(canvas_ref);
    let scene = Memo::new(move |_| state.map_scene(size.get()));
    {
        let surface = surface.clone();
        Effect::new(move |_| {
            let scene = scene.get();
            if let Some(c) = canvas_ref.get() {
                schedule(c, surface.clone(), atlas, scene);
            }
        });
    }
    // Selecting an event brings its places on screen (not in the story: a step's map view is
    // the one its author chose).
    // Before the canvas has a size the selection is the address's, shown with the address's
    // map view as it was shared: only later selections move the map.
    Effect::new(move |_| {
        let Some(e) = state.selected.get().and_then(|i| atlas.events.get(i)) else { return };
        if state.story_pos_untracked().is_some() {
            return;
        }
        let Some(mut v) = current_view(state, size) else { return };
        let pts: Vec<(f64, f64)> = event_points(atlas, e).iter().map(|p| (p.1, p.2)).collect();
        if v.ensure_visible(&pts, 40.0) {
            state.map_view.set(Some(v.geo_view()));
        }
    });
    install_hooks(state, scene, canvas_ref, surface.clone());
    // The borders are decoded and projected in a task of their own, not in the first frame's.
    set_timeout(
        || {
            GeoData::get();
        },
        Duration::ZERO,
    );

    // Every move of the map: the state's view on the canvas's size, changed by `f`.
    let set_view = move |f: &dyn Fn(&mut MapView)| {
        if let Some(mut v) = current_view(state, size) {
            f(&mut v);
            state.map_view.set(Some(v.geo_view()));
        }
    };
    let hit = {
        let surface = surface.clone();
        move |x: f64, y: f64| -> Option<Tip> {
            let frame = surface.frame.borrow();
            let f = frame.as_ref()?;
            if let Some(k) = f.index.hit(&f.view, x, y, 4.0) {
                return f.markers.get(k).map(|&p| Tip::Place(p));
            }
            GeoData::get().unit_at(&f.view, x, y).map(Tip::Unit)
        }
    };

    let on_move = {
        let surface = surface.clone();
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
            state.hover_unit.set(match t {
                Some(Tip::Unit(u)) => Some(u),
                _ => None,
            });
            state.map_focus.set(match t {
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
    let zoom_centre = |f: f64| move |v: &mut MapView| v.zoom_about(v.width / 2.0, v.height / 2.0, f);
    let on_key = {
        let marker_places = marker_places.clone();
        move |ev: KeyboardEvent| {
            let key = ev.key();
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
                    set_view(&zoom_centre(1.4));
                    true
                }
                "-" | "_" => {
                    set_view(&zoom_centre(1.0 / 1.4));
                    true
                }
                "0" => {
                    state.map_view.set(None);
                    true
                }
                "n" | "N" | "p" | "P" => {
                    let n = marker_places.len();
                    if n > 0 {
                        let back = key == "p" || key == "P";
                        let cur =
                            state.map_focus.get_untracked().and_then(|p| marker_places.iter().position(|&m| m == p));
                        let next = match (cur, back) {
                            (None, false) => 0,
                            (None, true) => n - 1,
                            (Some(k), false) => (k + 1) % n,
                            (Some(k), true) => (k + n - 1) % n,
                        };
                        let p = marker_places[next];
                        state.map_focus.set(Some(p));
                        let pl = &atlas.places[p];
                        set_view(&|v| {
                            v.ensure_visible(&[(pl.lon, pl.lat)], 40.0);
                        });
                        if let Some(v) = current_view(state, size) {
                            let (x, y) = v.to_screen(pl.lon, pl.lat);
                            tip.set(Some((x, y, Tip::Place(p))));
                        }
                    }
                    true
                }
                "Enter" | " " => {
                    if let Some(p) = state.map_focus.get_untracked() {
                        state.place.set(Some(p));
                    }
                    true
                }
                "Escape" => {
                    state.place.set(None);
                    state.map_focus.set(None);
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
        tip.get().map(|(x, y, which)| {
            let (title, lines): (String, Vec<String>) = match which {
                Tip::Place(p) => {
                    let pl = &atlas.places[p];
                    let n = events_at(atlas, p).len();
                    let mut lines = vec![tp(Msg::MapEvents, n as u64, &[])];
                    let s = students_at(atlas, p);
                    if s > 0 {
                        lines.push(tp(Msg::MapStudents, s as u64, &[]));
                    }
                    if let Some(w) = &pl.name_as_written {
                        lines.push(tf(Msg::MapWritten, &[("name", w)]));
                    }
                    if pl.approximate {
                        lines.push(t(Msg::MapApproximate).into());
                    }
                    (pl.name.clone(), lines)
                }
                Tip::Unit(u) => {
                    let unit = &GeoData::get().units[u];
                    let mut lines = Vec::new();
                    if let Some(ci) = unit.iso_n3.and_then(|iso| atlas.places.iter().position(|p| p.iso_n3 == Some(iso))) {
                        let n = events_at(atlas, ci).len();
                        lines.push(tp(Msg::MapEvents, n as u64, &[]));
                    }
                    if unit.disputed {
                        lines.push(t(Msg::MapDisputed).into());
                    }
                    if let Some(note) = &unit.note {
                        lines.push(note.clone());
                    }
                    (unit.name.clone(), lines)
                }
            };
            let width = scene.with_untracked(|s| s.size.0);
            let (left, right) = crate::ui::tooltip_x(x, width);
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
        // The place's name in bold where the sentence has it.
        let text = t(Msg::MapOnlyAt);
        let (before, after) = crate::i18n::around(text, "place");
        view! {
            <p class="place-filter" role="status">{before}<strong>{name}</strong>{after}" "
                <button type="button" id="clear-place" on:click=move |_| state.place.set(None)>{t(Msg::MapShowAll)}</button></p>
        }
    })
    };

    view! {
        <div class="map-wrap">
            <div class="map-tools">
                <button type="button" id="map-zoom-in" on:click=move |_| set_view(&zoom_centre(1.4))>{t(Msg::MapZoomIn)}</button>
                <button type="button" id="map-zoom-out" on:click=move |_| set_view(&zoom_centre(1.0 / 1.4))>{t(Msg::MapZoomOut)}</button>
                <button type="button" id="map-reset" on:click=move |_| state.map_view.set(None)>{t(Msg::MapReset)}</button>
                <Player />
            </div>
            {selected_place_bar}
            <div class="canvas-box">
                <canvas node_ref=canvas_ref id="map" class="map-canvas" tabindex="0" role="application"
                    aria-roledescription=t(Msg::MapRoledescription)
                    aria-label=t(Msg::MapLabel)
                    aria-describedby="map-help"
                    on:pointermove=on_move on:pointerdown=on_down on:pointerup=on_up.clone() on:pointercancel=on_up
                    on:pointerleave=move |_| { tip.set(None); state.hover_unit.set(None); }
                    on:wheel=on_wheel on:keydown=on_key on:blur=move |_| tip.set(None)></canvas>
                {tip_view}
            </div>
            <p class="help" id="map-help">{t(Msg::MapHelp)}</p>
            <details class="map-text">
                <summary>{t(Msg::MapTextSummary)}</summary>
                <ul>
                    {marker_places.iter().map(|&p| {
                        let pl = &atlas.places[p];
                        let evs = events_at(atlas, p);
                        let s = students_at(atlas, p);
                        view! {
                            <li>
                                <button type="button" class="event-link" on:click=move |_| state.place.set(Some(p))>{pl.name.clone()}</button>
                                {format!(" — {}", tp(Msg::MapEvents, evs.len() as u64, &[]))}
                                {(s > 0).then(|| format!("; {}", tp(Msg::MapStudentsShort, s as u64, &[])))}
                                <ul>{evs.into_iter().map(|i| {
                                    let e = &atlas.events[i];
                                    view! { <li>{format!("{}: {}", super::timeline::event_date(e), e.title)}</li> }
                                }).collect_view()}</ul>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        </div>
    }
}

/// The test hooks `window.__atlasTest.mapPoint(id)` and `mapHighlighted()`, and with the
/// feature `bench`, `window.__atlasBench.map(frames, pan)`: redraws the map `frames` times
/// (panning between frames when `pan` is true) and returns each frame's time in ms; then draws
/// the app's own scene again.
fn install_hooks(
    state: AppState,
    scene: Memo<MapScene>,
    canvas_ref: NodeRef<leptos::html::Canvas>,
    surface: Rc<Surface>,
) {
    let atlas = state.atlas;
    #[cfg(feature = "bench")]
    install_bench(atlas, scene, canvas_ref, surface.clone());
    #[cfg(not(feature = "bench"))]
    let _ = canvas_ref;
    // Test hook: where a place is drawn now (CSS px in the canvas).
    let s2 = surface.clone();
    let pos = Closure::<dyn Fn(String) -> JsValue>::new(move |id: String| {
        let frame = s2.frame.borrow();
        let (Some(f), Some(p)) = (frame.as_ref(), atlas.places.iter().find(|p| p.id == id)) else {
            return JsValue::NULL;
        };
        let (x, y) = f.view.to_screen(p.lon, p.lat);
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"x".into(), &x.into());
        let _ = js_sys::Reflect::set(&o, &"y".into(), &y.into());
        o.into()
    });
    let _ = js_sys::Reflect::set(&test_hooks(), &"mapPoint".into(), pos.as_ref());
    pos.forget();
    // Test hook: ids of the markers drawn highlighted (for the selection, not the pointer).
    let hl = Closure::<dyn Fn() -> js_sys::Array>::new(move || {
        let out = js_sys::Array::new();
        let s = MapScene { focus: None, ..scene.get_untracked() };
        let (layers, _) = layers_for(atlas, &s);
        for p in layers.places.iter().filter(|p| p.highlighted) {
            out.push(&JsValue::from_str(&p.id));
        }
        out
    });
    let _ = js_sys::Reflect::set(&test_hooks(), &"mapHighlighted".into(), hl.as_ref());
    hl.forget();
}

#[cfg(feature = "bench")]
fn install_bench(
    atlas: &'static Atlas,
    scene: Memo<MapScene>,
    canvas_ref: NodeRef<leptos::html::Canvas>,
    surface: Rc<Surface>,
) {
    let bench = super::bench_hooks();
    let f = Closure::<dyn Fn(u32, bool) -> js_sys::Array>::new(move |frames: u32, pan: bool| {
        let surface = &surface;
        let out = js_sys::Array::new();
        let Some(c) = canvas_ref.get_untracked() else { return out };
        let real = scene.get_untracked();
        let mut frame = real.clone();
        for k in 0..frames {
            if pan {
                let size = surface.frame.borrow().as_ref().map(|f| (f.view.width, f.view.height));
                if let Some((w, h)) = size {
                    let mut v = frame_view(atlas, frame.view, w, h);
                    let d = if (k / 20) % 2 == 0 { 6.0 } else { -6.0 };
                    v.pan(d, d / 2.0);
                    frame.view = Some(v.geo_view());
                }
            }
            out.push(&JsValue::from_f64(redraw(&c, surface, atlas, &frame)));
        }
        redraw(&c, surface, atlas, &real);
        out
    });
    let _ = js_sys::Reflect::set(&bench, &"map".into(), f.as_ref());
    f.forget();
}

/// The map as SVG, drawn by the same function and from the same scene as the canvas.
pub fn map_svg(state: &AppState) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let el = doc.get_element_by_id("map")?;
    let (w, h) = (el.client_width().max(320) as u32, el.client_height().max(240) as u32);
    let scene = untrack(|| state.map_scene((w as f64, h as f64)));
    map_svg_of(state.atlas, &scene)
}

/// The map of `scene` (at its size) as SVG.
pub fn map_svg_of(atlas: &'static crate::data::Atlas, scene: &MapScene) -> Option<String> {
    let (w, h) = scene.size;
    let view = frame_view(atlas, scene.view, w, h);
    let theme = theme_of(scene.dark);
    let (layers, _) = layers_for(atlas, scene);
    svg_of((w as u32, h as u32), |root| draw_map(root, GeoData::get(), &view, &layers, &theme))
}
