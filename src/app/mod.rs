//! The Leptos views. Components are thin: they own DOM, events and signals; geometry and
//! drawing live in [`crate::render`] and friends.

pub mod canvas;
pub mod charts;
pub mod detail;
pub mod embed;
pub mod fetch;
pub mod lang_module;
pub mod map;
pub mod page;
pub mod player;
pub mod share;
pub mod state;
pub mod story;
pub mod story_module;
pub mod table;
pub mod timeline;
pub mod url;

use crate::data::{load_text, Atlas, DataError, DATA_BLOCK};
use crate::i18n::{self, t, tf, tp, tr, Msg, Tr};
use crate::lang::Lang;
use crate::urlstate::Embed;
use leptos::prelude::*;
use state::AppState;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where the visitor's language choice is kept between visits.
const LANG_KEY: &str = "atlas-lang";

/// Starts the app: chooses the language ([`i18n::choose`]), loads its file if it is not
/// English (the page is then still hidden: `web/pre.js` made the same choice), and mounts.
pub fn start() {
    let Some(w) = web_sys::window() else { return };
    let search = w.location().search().unwrap_or_default();
    // Only `lang=`, read as `UrlState::parse` reads it (an exact key), without the whole parser.
    let url_lang = search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("lang="));
    let stored = w.local_storage().ok().flatten().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let browser: Vec<String> = w.navigator().languages().iter().filter_map(|v| v.as_string()).collect();
    let (lang, in_url) = i18n::choose(url_lang, stored.as_deref(), &browser);
    let Some(name) = i18n::file_of(lang) else {
        i18n::set(match lang {
            Lang::En => Tr::english(in_url),
            _ => Tr::failed(lang, "no language file was built".into(), in_url),
        });
        return mount();
    };
    lang_module::load(lang, name, in_url);
}

/// The page in the chosen language: `<html lang dir>` now, then the app in four steps, each a
/// task of its own ([`decode`], [`prepare`], [`take_over`], [`mount_later`]), so that no task
/// after the first paint compiles (the browser compiles the module's functions when first
/// called) and runs the whole takeover. The static first view stays until the third.
pub(crate) fn mount() {
    let lang = tr().lang;
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", lang.key());
        let _ = html.set_attribute("dir", lang.dir());
    }
    next_task(|| {
        let data = decode();
        next_task(move || {
            // The root of the app's reactive graph: it lives as long as the page (dropped, it
            // would dispose of the state and of every view under it).
            let owner = Owner::new();
            std::mem::forget(owner.clone());
            let prepared = owner.with(|| data.map(prepare));
            next_task(move || owner.with(|| take_over(prepared)));
        });
    });
}

/// Runs `f` in a task of its own, after those already queued.
fn next_task(f: impl FnOnce() + 'static) {
    set_timeout(f, std::time::Duration::ZERO);
}

/// The data decoded from the page and translated into the page's language.
fn decode() -> Result<&'static Atlas, Vec<DataError>> {
    let mut atlas = load_text(page::by_id(DATA_BLOCK).and_then(|e| e.text_content()).as_deref())?;
    if let (Some(c), Some(translate)) = (&tr().content, tr().translate) {
        translate(&mut atlas, c);
    }
    Ok(Box::leak(Box::new(atlas)))
}

/// The app's state made from the data and from the address, under the current owner (which
/// the views' owners descend from): no DOM yet. (The story's loader is watched from [`Atlas`]:
/// the panel it mounts goes into `<main>`, which must be there first.)
fn prepare(atlas: &'static Atlas) -> AppState {
    // The effects made here are spawned on it; `mount_to` would set it only later. Already set
    // is not an error.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let state = AppState::new(atlas);
    provide_context(state);
    url::bind(state);
    watch_environment(state);
    state
}

/// The app in place of the static first view, in one task so that no frame shows both: the
/// header and an empty `<main>`, into which the static view's panels move; the app's replace
/// them one part a task later ([`mount_later`]). The static timeline and map, when they were
/// shown, then stay under the app's canvases (hidden from screen readers) until each view's
/// first drawing, a task (the map's: two) after its first frame: that frame does not show them
/// blank, and it is not a long task of their drawing.
fn take_over(prepared: Result<AppState, Vec<DataError>>) {
    let d = web_sys::window().and_then(|w| w.document());
    let html = d.as_ref().and_then(|d| d.document_element());
    let first_view = d.and_then(|d| d.get_element_by_id("prerender"));
    if let Some(v) = &first_view {
        v.remove();
    }
    leptos::mount::mount_to_body(move || App(AppProps { prepared }));
    let Some(first_view) = first_view.filter(|_| html.is_some_and(|h| !h.class_list().contains("pre-off"))) else {
        return;
    };
    if let Some(main) = page::by_id("main") {
        for (classes, _) in LATER {
            for class in classes {
                if let Ok(Some(s)) = first_view.query_selector(&format!(".layout > .{class}")) {
                    // `.prerender` keeps the static view's styles (its inactive controls).
                    let _ = s.class_list().add_1("prerender");
                    let _ = main.append_child(&s);
                }
            }
        }
    }
}

/// Moves the static drawings of the timeline (one per width, xtask's TIMELINES; the stylesheet
/// shows one) and the map found in `from` under the app's canvas of each, once it is mounted.
fn adopt_backdrops(from: &web_sys::Element) {
    for (selector, id) in [
        ("svg.pre-narrow", "timeline"),
        ("svg.pre-mid", "timeline"),
        ("svg.pre-wide", "timeline"),
        ("svg.map-canvas", "map"),
    ] {
        if let (Ok(Some(svg)), Some(canvas)) = (from.query_selector(selector), page::by_id(id)) {
            let _ = svg.set_attribute("aria-hidden", "true");
            if let Some(box_) = canvas.parent_node() {
                let _ = box_.insert_before(&svg, Some(&canvas));
            }
        }
    }
}

/// A part of `<main>`: the classes of its panels and what mounts it into an element.
type Part = (&'static [&'static str], fn(web_sys::HtmlElement));

/// The parts of `<main>` in page order: the classes of each part's panels (the static view's,
/// which it replaces, have the same) and what mounts it into an element. Each is mounted in a
/// task of its own after the header's ([`mount_later`]), so that no task after the first paint
/// compiles (the browser compiles the module's functions when first called) and builds the
/// whole page. Called through pointers, each builder is a function of its own in the module,
/// compiled when its part is mounted, not with the first.
const LATER: [Part; 5] = [
    (&["timeline-panel"], |into| {
        mount_into(into, || {
            view! {
                <section class="panel timeline-panel" aria-labelledby="timeline-h">
                    <h2 id="timeline-h">{t(Msg::AppTimeline)}</h2>
                    <detail::FilterBar />
                    <timeline::Timeline />
                </section>
            }
        })
    }),
    (&["detail-panel"], |into| mount_into(into, || view! { <detail::DetailPanel /> })),
    (&["map-panel"], |into| {
        mount_into(into, || {
            view! {
                <section class="panel map-panel" aria-labelledby="map-h">
                    <h2 id="map-h">{t(Msg::AppMap)}</h2>
                    <map::Map />
                </section>
            }
        })
    }),
    (&["trade-panel", "students-panel"], |into| {
        mount_into(into, || view! { <charts::TradeChart /> <charts::StudentsChart /> })
    }),
    // The share panel has no static counterpart: it comes after the events.
    (&["table-panel"], |into| mount_into(into, || view! { <table::EventsTable /> <share::ShareBar /> })),
];

/// Mounts `view` into `into` for the life of the page, under the current owner (its context).
fn mount_into<V: IntoView + 'static>(into: web_sys::HtmlElement, view: impl FnOnce() -> V + 'static) {
    leptos::mount::mount_to(into, view).forget();
}

/// Mounts part `k` of [`LATER`] at the end of `<main>`, in place of its static panels when
/// they are there (same task: no frame shows both, or neither), then queues the next part;
/// after the last, shows the footer and marks the page ready.
fn mount_later(owner: Option<Owner>, k: usize) {
    next_task(move || {
        let doc = web_sys::window().and_then(|w| w.document());
        let (Some(doc), Some(main), Some(o)) = (doc, page::by_id("main"), owner.clone()) else {
            return mark_ready(READY_STEPS);
        };
        let Ok(part) = doc.create_element("div") else { return mark_ready(READY_STEPS) };
        let (classes, build) = LATER[k];
        o.with(|| build(part.clone().unchecked_into()));
        // Before the first static panel left (this part's or a later one's).
        let next = main.query_selector(":scope > .prerender").ok().flatten();
        while let Some(node) = part.first_child() {
            let _ = main.insert_before(&node, next.as_ref().map(|s| s.as_ref()));
        }
        for c in classes {
            if let Ok(Some(s)) = main.query_selector(&format!(":scope > .prerender.{c}")) {
                s.remove();
                adopt_backdrops(&s);
            }
        }
        if k + 1 < LATER.len() {
            mount_later(owner, k + 1);
        } else {
            if let Ok(Some(f)) = doc.query_selector("footer.pre-hold") {
                let _ = f.class_list().remove_1("pre-hold");
            }
            mark_ready(READY_STEPS);
        }
    });
}

/// The address of this page at the same state in `lang`.
fn lang_href(state: &AppState, lang: Lang) -> String {
    let mut u = url::capture(state);
    u.lang = Some(lang);
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    format!("{path}{}", u.to_query())
}

/// Brings a language link up to the state just before it can be followed (pointer down, or
/// focus for the keyboard): not on every change of the state, which a pan or Play changes
/// every frame.
fn refresh_href(ev: &web_sys::Event, state: &AppState, lang: Lang) {
    if let Some(a) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
        let _ = a.set_attribute("href", &untrack(|| lang_href(state, lang)));
    }
}

/// Keeps `lang` as the visitor's choice (the link then opens the page in it).
fn keep_language(lang: Lang) {
    if let Some(Ok(Some(s))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = s.set_item(LANG_KEY, lang.key());
    }
}

/// The whole page: the atlas when the data is valid, otherwise a readable error panel.
#[component]
pub fn App(prepared: Result<AppState, Vec<DataError>>) -> impl IntoView {
    match prepared {
        Ok(state) => view! { <Atlas state=state /> }.into_any(),
        Err(errors) => view! { <ErrorPanel errors=errors /> }.into_any(),
    }
}

/// Shown instead of the app when the embedded data fails validation.
#[component]
pub fn ErrorPanel(errors: Vec<DataError>) -> impl IntoView {
    mark_ready(READY_STEPS);
    view! {
        <main class="error-panel" role="alert">
            <h1>{t(Msg::ErrorTitle)}</h1>
            <p>{tp(Msg::ErrorProblems, errors.len() as u64, &[])}</p>
            <ul>{errors.into_iter().map(|e| view! { <li><code>{e.to_string()}</code></li> }).collect_view()}</ul>
        </main>
    }
}

#[component]
fn Atlas(state: AppState) -> impl IntoView {
    let atlas = state.atlas;
    let embed = state.embed.get_untracked();
    if let Some(e) = embed {
        // A single view is the same page with only that panel displayed (see style/main.css):
        // the views are not built twice.
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            if let Some(b) = d.body() {
                let _ = b
                    .class_list()
                    .add_2("embed", &format!("embed-{}", if e == Embed::Atlas { "atlas" } else { e.key() }));
            }
            d.set_title(&crate::ui::embed_title(e));
        }
        share::report_height();
    } else if tr().lang != Lang::En {
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(t(Msg::AppTitle));
        }
    }
    story_module::watch(state);
    mount_later(Owner::current(), 0);
    let n = atlas.events.len();
    let first = atlas.events.first().map(|e| e.start().year).unwrap_or(1947);
    let sources = atlas.sources.iter().map(|s| s.short()).collect::<Vec<_>>().join("; ");
    // The page's one level-one heading: the atlas's name, or in an embed what it shows.
    let title = embed.map_or_else(|| t(Msg::AppTitle).to_string(), crate::ui::embed_title);
    let current = tr().lang;
    view! {
        <header class=if embed.is_some() { "embed-header" } else { "site-header" }>
            <h1 class:embed-title=embed.is_some()>{title}</h1>
            {embed.is_none().then(|| view! {
                // Links, not a menu that navigates on change: a language opens only when chosen
                // (WCAG 3.2.2), and each can open in a new tab at the same state.
                <nav class="lang-choice" aria-label=t(Msg::AppLanguage)>
                    {Lang::ALL.into_iter().map(|l| view! {
                        <a id=format!("lang-{}", l.key()) lang=l.key() hreflang=l.key()
                            href=untrack(|| lang_href(&state, l))
                            aria-current=(l == current).then_some("true")
                            on:pointerdown=move |ev| refresh_href(&ev, &state, l)
                            on:focus=move |ev| refresh_href(&ev, &state, l)
                            on:click=move |_| keep_language(l)>{l.name()}</a>
                    }).collect_view()}
                </nav>
                <button type="button" id="story-open" class="story-open"
                    on:click=move |_| story_module::ask(state, story::Ask::Open)>{t(Msg::AppStory)}</button>
                <p class="tagline">{tp(Msg::AppTagline, n as u64, &[("first", &first.to_string())])}</p>
            })}
            {tr().failed.as_ref().map(|(l, why)| view! {
                <p class="lang-failed" role="status">{tf(Msg::AppLangFailed, &[("lang", l.name()), ("why", why)])}</p>
            })}
        </header>
        <main id="main" class="layout">
            // The timeline, the details, the map, the charts, the events and the share panel:
            // `mount_later`.
        </main>
        <detail::Announcer />
        // Hidden (its box kept) until the last part of `<main>` is mounted (`mount_later`): it
        // would be pushed down by each, a layout shift where no static panel holds the place.
        <footer class="site-footer pre-hold">
            <p class="attribution">{tf(Msg::AppSources, &[("list", &sources)])}</p>
            {embed.is_some().then(|| view! {
                <p class="embed-credit">{t(Msg::AppEmbedCredit)}</p>
                <p><a id="open-atlas" href=move || embed::full_atlas_href(&state) target="_blank" rel="noopener">
                    {t(Msg::AppOpenAtlas)}<span class="visually-hidden">{t(Msg::AppOpenAtlasNote)}</span></a></p>
            })}
        </footer>
    }
}

/// Signals the end of the first complete render, for tests and the benchmark, after `steps`
/// more turns: the first two are frames, the last two tasks (call it with [`READY_STEPS`]).
///
/// Two frames: a canvas gets its size from its ResizeObserver, whose first report comes after
/// the first frame's animation callbacks (then it is drawn). WebKit sent that report after a
/// one-frame mark, leaving the canvases at 300×150 and blank at "ready". Two tasks: a view
/// off the screen has its first drawing in a task queued from that report (the map's, two
/// tasks in a row), and tasks without delay run in the order they were queued.
fn mark_ready(steps: u8) {
    let Some(w) = web_sys::window() else { return };
    if steps == 0 {
        if let Some(p) = w.performance() {
            let _ = p.mark("atlas-ready");
        }
        let _ = js_sys::Reflect::set(&w, &"__atlasReady".into(), &JsValue::TRUE);
        return;
    }
    let next = Closure::once_into_js(move || mark_ready(steps - 1));
    let _ = if steps > 2 {
        w.request_animation_frame(next.unchecked_ref())
    } else {
        w.set_timeout_with_callback(next.unchecked_ref())
    };
}

/// [`mark_ready`]'s turns: two frames, then two tasks.
const READY_STEPS: u8 = 4;

/// Keeps `dark` in step with `prefers-color-scheme` and bumps `layout_epoch` on
/// device-pixel-ratio changes (no event fires for those, so a `resolution` media query is
/// re-armed after each change). Sizes come from each canvas's ResizeObserver.
fn watch_environment(state: AppState) {
    let Some(w) = web_sys::window() else { return };
    if let Ok(Some(mq)) = w.match_media("(prefers-color-scheme: dark)") {
        state.dark.set(mq.matches());
        let cb = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(move |e: web_sys::MediaQueryListEvent| {
            state.dark.set(e.matches());
        });
        let _ = mq.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
        cb.forget();
    }
    watch_dpr(state);
}

fn watch_dpr(state: AppState) {
    let Some(w) = web_sys::window() else { return };
    let query = format!("(resolution: {}dppx)", w.device_pixel_ratio());
    if let Ok(Some(mq)) = w.match_media(&query) {
        let cb = Closure::once_into_js(move || {
            state.layout_epoch.update(|n| *n += 1);
            watch_dpr(state);
        });
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_once(true);
        let _ = mq.add_event_listener_with_callback_and_add_event_listener_options("change", cb.unchecked_ref(), &opts);
    }
}

/// `window[name]`, created as an empty object if missing.
fn window_object(name: &str) -> (JsValue, bool) {
    let Some(w) = web_sys::window() else { return (JsValue::NULL, false) };
    if let Ok(v) = js_sys::Reflect::get(&w, &name.into()) {
        if v.is_object() {
            return (v, false);
        }
    }
    let o: JsValue = js_sys::Object::new().into();
    let _ = js_sys::Reflect::set(&w, &name.into(), &o);
    (o, true)
}

/// `window.__atlasBench`: the redraw benchmarks `cargo xtask bench` calls (feature `bench`).
#[cfg(feature = "bench")]
pub fn bench_hooks() -> JsValue {
    window_object("__atlasBench").0
}

/// `window.__atlasTest`: hooks the browser tests use to find where things are drawn.
pub fn test_hooks() -> JsValue {
    let (o, created) = window_object("__atlasTest");
    if !created {
        return o;
    }
    let mem = Closure::<dyn Fn() -> f64>::new(|| {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length() as f64
    });
    let _ = js_sys::Reflect::set(&o, &"wasmMemoryBytes".into(), mem.as_ref());
    mem.forget();
    o
}
