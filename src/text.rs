//! Text helpers shared by every view: estimated label widths (no text measurement: in the
//! browser that forces a page layout per label) and fitting a label into a width.

/// Estimated width of `text` in CSS pixels at a font size of `size` px: about 0.58 em per
/// character (7 px at 12 px), enough for the Latin labels the views draw.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}
