//! The app's one drawing backend, for canvases and for SVG downloads.
//!
//! plotters-canvas draws in backing-store pixels and knows nothing of devicePixelRatio. We size
//! the backing store to the element's CSS box × DPR, scale the 2D context by DPR, and hand the
//! drawing code a backend that reports the CSS size, so every drawing function works in CSS
//! pixels and stays crisp on any screen.
//!
//! The same type also wraps plotters' `SVGBackend`, so each drawing function is compiled once
//! for the browser (not once per backend): the SVG downloads cost no second copy of the
//! timeline, map and chart code in the wasm.
//!
//! Text direction: plotters-canvas aligns text with the canvas's `start` and `end`, which
//! follow the page's direction (right to left in Urdu), so a label anchored on its left would
//! grow leftwards. Each text is therefore drawn with the direction of its own script (right to
//! left when it has Arabic-script letters, so Urdu words and the numbers among them come in
//! reading order) and its anchor is kept on the side the drawing code asked for.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontFamily, FontStyle, FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas drawn in CSS pixels on a DPR-scaled backing store, or an SVG document.
pub enum AppBackend<'a> {
    Canvas {
        inner: CanvasBackend,
        css_size: (u32, u32),
        ctx: CanvasRenderingContext2d,
        /// The context's `direction` as last set here (`None`: not yet), so it is set only
        /// when it changes.
        rtl: Option<bool>,
    },
    Svg(SVGBackend<'a>),
}

/// A drawing error of either backend, as text (all the app does with it is log it).
#[derive(Debug)]
pub struct DrawError(String);

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DrawError {}

/// The drawing area every app drawing function gets.
pub type AppArea<'a> = DrawingArea<AppBackend<'a>, plotters::coord::Shift>;
pub type AppResult = Result<(), DrawingAreaErrorKind<DrawError>>;

/// Calls `draw` to draw a view: at the next animation frame (one frame for any number of
/// changes), except a view's first drawing at its reported size (`first`), which gets a task
/// of its own, so that the page's first frame is not one long task of the page's layout and
/// every view's first drawing. Until then the static first view's drawing of the timeline or
/// the map, when it was shown, stays under the canvas ([`backdrop`]).
pub fn draw_soon(first: bool, draw: Box<dyn FnOnce()>) {
    let Some(w) = web_sys::window() else { return };
    let cb = wasm_bindgen::closure::Closure::once_into_js(draw);
    let _ = if first {
        w.set_timeout_with_callback(cb.unchecked_ref())
    } else {
        w.request_animation_frame(cb.unchecked_ref())
    };
}

/// The static first view's drawing of a view, kept under its canvas until the view's first
/// drawing (`super::mount`).
pub fn backdrop(canvas: &web_sys::Element) -> Option<web_sys::Element> {
    canvas.previous_element_sibling().filter(|e| e.tag_name() == "svg")
}

/// Removes [`backdrop`]s of `canvas`.
pub fn drop_backdrop(canvas: &web_sys::Element) {
    while let Some(svg) = backdrop(canvas) {
        svg.remove();
    }
}

pub fn device_pixel_ratio() -> f64 {
    web_sys::window().map(|w| w.device_pixel_ratio()).filter(|r| r.is_finite() && *r > 0.0).unwrap_or(1.0)
}

/// Resizes the canvas backing store to its CSS size `w` × `h` (from [`observed_size`], or given
/// for an offscreen buffer) × DPR, only when it changed (a resize clears the canvas), and
/// returns a backend in CSS pixels. `None` when the size is zero (hidden) or there is no 2D
/// context.
pub fn backend_sized(canvas: &HtmlCanvasElement, w: u32, h: u32) -> Option<AppBackend<'static>> {
    if w == 0 || h == 0 {
        return None;
    }
    let dpr = device_pixel_ratio();
    let bw = (w as f64 * dpr).round() as u32;
    let bh = (h as f64 * dpr).round() as u32;
    if canvas.width() != bw {
        canvas.set_width(bw);
    }
    if canvas.height() != bh {
        canvas.set_height(bh);
    }
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;
    let inner = CanvasBackend::with_canvas_object(canvas.clone())?;
    Some(AppBackend::Canvas { inner, css_size: (w, h), ctx, rtl: None })
}

/// Draws with `f` on the canvas, whose CSS size is `size` (from [`observed_size`]), in CSS
/// pixels; logs drawing errors to the console.
pub fn draw_on(canvas: &HtmlCanvasElement, size: (f64, f64), f: impl FnOnce(&AppArea) -> AppResult) {
    let Some(backend) = backend_sized(canvas, size.0 as u32, size.1 as u32) else { return };
    draw_with(backend, f);
}

/// The CSS size of the canvas of `node`, kept by a ResizeObserver: the browser reports it once
/// per frame after layout, so drawing never reads sizes from the DOM (which would force a
/// layout while the page is being built). (0, 0) until the first report; a hidden canvas
/// reports (0, 0) and is not drawn.
pub fn observed_size(node: leptos::prelude::NodeRef<leptos::html::Canvas>) -> leptos::prelude::RwSignal<(f64, f64)> {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::Closure;
    let size = RwSignal::new((0.0, 0.0));
    Effect::new(move |observing: Option<bool>| {
        if observing == Some(true) {
            return true;
        }
        let Some(canvas) = node.get() else { return false };
        let cb = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(e) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
                let r = e.content_rect();
                size.set((r.width().round(), r.height().round()));
            }
        });
        if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            obs.observe(&canvas);
        }
        cb.forget();
        true
    });
    size
}

/// Draws with `f` through a prepared backend; logs drawing errors to the console.
pub fn draw_with(backend: AppBackend, f: impl FnOnce(&AppArea) -> AppResult) {
    let root = backend.into_drawing_area();
    if let Err(e) = f(&root).and_then(|_| root.present()) {
        leptos::logging::error!("drawing failed: {e}");
    }
}

/// The SVG document `f` draws on a `size` area, its texts at the canvas's sizes, or `None` if
/// drawing failed.
pub fn svg_of(size: (u32, u32), f: impl FnOnce(&AppArea) -> AppResult) -> Option<String> {
    let mut out = String::new();
    {
        let root = AppBackend::Svg(SVGBackend::with_string(&mut out, size)).into_drawing_area();
        f(&root).and_then(|_| root.present()).ok()?;
    }
    Some(crate::export::font_sizes_as_canvas(&out))
}

type R = Result<(), DrawingErrorKind<DrawError>>;

fn err<E: std::error::Error + Send + Sync>(e: DrawingErrorKind<E>) -> DrawingErrorKind<DrawError> {
    match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(DrawError(e.to_string())),
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

/// Forwards a call to whichever backend this is, converting its error.
macro_rules! forward {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            AppBackend::Canvas { inner: $b, .. } => $call.map_err(err),
            AppBackend::Svg($b) => $call.map_err(err),
        }
    };
}

impl DrawingBackend for AppBackend<'_> {
    type ErrorType = DrawError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            AppBackend::Canvas { css_size, .. } => *css_size,
            AppBackend::Svg(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> R {
        forward!(self, b => b.ensure_prepared())
    }
    fn present(&mut self) -> R {
        forward!(self, b => b.present())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> R {
        forward!(self, b => b.draw_pixel(point, color))
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> R {
        forward!(self, b => b.draw_line(from, to, style))
    }
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> R {
        forward!(self, b => b.draw_rect(ul, br, style, fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> R {
        forward!(self, b => b.draw_path(path, style))
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> R {
        forward!(self, b => b.draw_circle(c, r, style, fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> R {
        forward!(self, b => b.fill_polygon(vert, style))
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> R {
        match self {
            AppBackend::Canvas { inner, ctx, rtl, .. } => {
                let want = has_rtl_letters(text);
                if *rtl != Some(want) {
                    let dir = if want { "rtl" } else { "ltr" };
                    let _ = js_sys::Reflect::set(ctx, &"direction".into(), &dir.into());
                    *rtl = Some(want);
                }
                if want {
                    // In a right-to-left text `start` is its right edge: swap the sides, so the
                    // text still starts (or ends) where the drawing code put it.
                    inner.draw_text(text, &Mirrored(style), pos).map_err(err)
                } else {
                    inner.draw_text(text, style, pos).map_err(err)
                }
            }
            AppBackend::Svg(b) => b.draw_text(text, style, pos).map_err(err),
        }
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<DrawError>> {
        forward!(self, b => b.estimate_text_size(text, style))
    }
}

/// Whether `text` has letters of a right-to-left script (Arabic script: Urdu; Hebrew).
fn has_rtl_letters(text: &str) -> bool {
    text.chars().any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// A text style whose horizontal anchor is on the other side: `Left` (plotters-canvas's
/// `start`) becomes `Right` (`end`), and the other way round.
struct Mirrored<'a, T>(&'a T);

impl<T: BackendTextStyle> BackendTextStyle for Mirrored<'_, T> {
    type FontError = T::FontError;
    fn color(&self) -> BackendColor {
        self.0.color()
    }
    fn size(&self) -> f64 {
        self.0.size()
    }
    fn transform(&self) -> FontTransform {
        self.0.transform()
    }
    fn style(&self) -> FontStyle {
        self.0.style()
    }
    fn anchor(&self) -> Pos {
        let a = self.0.anchor();
        let h = match a.h_pos {
            HPos::Left => HPos::Right,
            HPos::Right => HPos::Left,
            HPos::Center => HPos::Center,
        };
        Pos::new(h, a.v_pos)
    }
    fn family(&self) -> FontFamily<'_> {
        self.0.family()
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.0.layout_box(text)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.0.draw(text, pos, draw)
    }
}

/// The 2D context of a canvas.
pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}
