//! The only user of plotters-canvas: canvas sizing for high-DPI screens.
//!
//! plotters-canvas draws in backing-store pixels and knows nothing of devicePixelRatio. We size
//! the backing store to the element's CSS box × DPR, scale the 2D context by DPR, and hand the
//! drawing code a backend that reports the CSS size, so every drawing function works in CSS
//! pixels and stays crisp on any screen.

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use plotters_canvas::CanvasBackend;

type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas backend that draws in CSS pixels on a DPR-scaled backing store.
pub struct DprBackend {
    inner: CanvasBackend,
    css_size: (u32, u32),
}

pub fn device_pixel_ratio() -> f64 {
    web_sys::window().map(|w| w.device_pixel_ratio()).filter(|r| r.is_finite() && *r > 0.0).unwrap_or(1.0)
}

/// Resizes the canvas backing store to its CSS box × DPR (only when it changed, since a resize
/// clears the canvas) and returns a backend in CSS pixels. `None` when the canvas has no size
/// (hidden) or no 2D context.
pub fn backend_for(canvas: &HtmlCanvasElement) -> Option<DprBackend> {
    let w = canvas.client_width().max(0) as u32;
    let h = canvas.client_height().max(0) as u32;
    backend_sized(canvas, w, h)
}

/// As [`backend_for`], for a canvas that is not laid out (an offscreen buffer): the CSS size is
/// given.
pub fn backend_sized(canvas: &HtmlCanvasElement, w: u32, h: u32) -> Option<DprBackend> {
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
    Some(DprBackend { inner, css_size: (w, h) })
}

/// Draws with `f` on the canvas in CSS pixels; logs drawing errors to the console.
pub fn draw_on<F>(canvas: &HtmlCanvasElement, f: F)
where
    F: FnOnce(&DrawingArea<DprBackend, plotters::coord::Shift>) -> Result<(), DrawingAreaErrorKind<CanvasError>>,
{
    let Some(backend) = backend_for(canvas) else { return };
    draw_with(backend, f);
}

/// Draws with `f` through a prepared backend; logs drawing errors to the console.
pub fn draw_with<F>(backend: DprBackend, f: F)
where
    F: FnOnce(&DrawingArea<DprBackend, plotters::coord::Shift>) -> Result<(), DrawingAreaErrorKind<CanvasError>>,
{
    let root = backend.into_drawing_area();
    if let Err(e) = f(&root).and_then(|_| root.present()) {
        leptos::logging::error!("drawing failed: {e}");
    }
}

type R = Result<(), DrawingErrorKind<CanvasError>>;

impl DrawingBackend for DprBackend {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.css_size
    }
    fn ensure_prepared(&mut self) -> R {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> R {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> R {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> R {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> R {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> R {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> R {
        self.inner.draw_circle(c, r, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> R {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> R {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        self.inner.estimate_text_size(text, style)
    }
}

/// The 2D context of a canvas.
pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}
