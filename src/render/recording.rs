//! A recording `DrawingBackend`: every primitive a drawing function emits, kept as data, for
//! tests that check what is drawn (a circle of this colour at this place, this text) instead of
//! plotters' SVG strings, and for comparing two drawings of one scene.
//!
//! Text sizes are estimated as the app estimates them ([`crate::text::text_width`]), so that
//! layout decisions made through the backend match the browser's closely enough.

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;

/// A colour as drawn: red, green, blue and opacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ink {
    pub rgb: (u8, u8, u8),
    pub alpha: f64,
}

impl Ink {
    fn of(c: BackendColor) -> Ink {
        Ink { rgb: c.rgb, alpha: c.alpha }
    }

    /// Whether this is `c`, at any opacity.
    pub fn is(&self, c: RGBColor) -> bool {
        self.rgb == (c.0, c.1, c.2)
    }
}

/// One drawn primitive, in the backend's pixels.
#[derive(Clone, Debug, PartialEq)]
pub enum Drawn {
    Pixel { at: BackendCoord, ink: Ink },
    Line { from: BackendCoord, to: BackendCoord, ink: Ink, width: u32 },
    Rect { from: BackendCoord, to: BackendCoord, ink: Ink, filled: bool },
    Path { points: Vec<BackendCoord>, ink: Ink, width: u32 },
    Circle { center: BackendCoord, radius: u32, ink: Ink, filled: bool, width: u32 },
    Polygon { points: Vec<BackendCoord>, ink: Ink },
    Text { text: String, at: BackendCoord, size: f64, ink: Ink },
}

impl Drawn {
    /// The colour it was drawn in.
    pub fn ink(&self) -> Ink {
        match self {
            Drawn::Pixel { ink, .. }
            | Drawn::Line { ink, .. }
            | Drawn::Rect { ink, .. }
            | Drawn::Path { ink, .. }
            | Drawn::Circle { ink, .. }
            | Drawn::Polygon { ink, .. }
            | Drawn::Text { ink, .. } => *ink,
        }
    }
}

/// The backend: draws nothing, records everything into a shared log.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    size: (u32, u32),
    log: Rc<RefCell<Vec<Drawn>>>,
}

/// What a drawing function drew: the primitives in order, and the area's size.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recording {
    pub size: (u32, u32),
    pub drawn: Vec<Drawn>,
}

impl Recording {
    /// What `f` draws on an area of `size` pixels, or `f`'s error.
    pub fn try_of<E>(
        size: (u32, u32),
        f: impl FnOnce(&DrawingArea<Recorder, plotters::coord::Shift>) -> Result<(), E>,
    ) -> Result<Recording, E> {
        let log = Rc::new(RefCell::new(Vec::new()));
        {
            let root = Recorder { size, log: log.clone() }.into_drawing_area();
            f(&root)?;
        }
        let drawn = std::mem::take(&mut *log.borrow_mut());
        Ok(Recording { size, drawn })
    }

    /// What `f` draws on an area of `size` pixels (for tests: an error panics).
    pub fn of<E: std::fmt::Debug>(
        size: (u32, u32),
        f: impl FnOnce(&DrawingArea<Recorder, plotters::coord::Shift>) -> Result<(), E>,
    ) -> Recording {
        Recording::try_of(size, f).expect("drawing failed")
    }

    /// The texts drawn, in order.
    pub fn texts(&self) -> Vec<&str> {
        self.drawn
            .iter()
            .filter_map(|d| match d {
                Drawn::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The circles drawn: (centre, radius, ink, filled, stroke width).
    pub fn circles(&self) -> Vec<(BackendCoord, u32, Ink, bool, u32)> {
        self.drawn
            .iter()
            .filter_map(|d| match d {
                Drawn::Circle { center, radius, ink, filled, width } => Some((*center, *radius, *ink, *filled, *width)),
                _ => None,
            })
            .collect()
    }

    /// How many primitives were drawn in colour `c` (any opacity).
    pub fn count_in(&self, c: RGBColor) -> usize {
        self.drawn.iter().filter(|d| d.ink().is(c)).count()
    }
}

type R = Result<(), DrawingErrorKind<Infallible>>;

fn width_of<S: BackendStyle>(s: &S) -> u32 {
    s.stroke_width()
}

impl DrawingBackend for Recorder {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> R {
        Ok(())
    }
    fn present(&mut self) -> R {
        Ok(())
    }
    fn draw_pixel(&mut self, at: BackendCoord, color: BackendColor) -> R {
        self.log.borrow_mut().push(Drawn::Pixel { at, ink: Ink::of(color) });
        Ok(())
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> R {
        self.log.borrow_mut().push(Drawn::Line { from, to, ink: Ink::of(style.color()), width: width_of(style) });
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S, filled: bool) -> R {
        self.log.borrow_mut().push(Drawn::Rect { from, to, ink: Ink::of(style.color()), filled });
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> R {
        let points = path.into_iter().collect();
        self.log.borrow_mut().push(Drawn::Path { points, ink: Ink::of(style.color()), width: width_of(style) });
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, filled: bool) -> R {
        let (ink, width) = (Ink::of(style.color()), width_of(style));
        self.log.borrow_mut().push(Drawn::Circle { center, radius, ink, filled, width });
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> R {
        let points = vert.into_iter().collect();
        self.log.borrow_mut().push(Drawn::Polygon { points, ink: Ink::of(style.color()) });
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, at: BackendCoord) -> R {
        let ink = Ink::of(style.color());
        self.log.borrow_mut().push(Drawn::Text { text: text.to_string(), at, size: style.size(), ink });
        Ok(())
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let size = style.size();
        Ok((crate::text::text_width(text, size).ceil() as u32, size.ceil() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_what_is_drawn_in_order() {
        let rec = Recording::of((100, 50), |root| -> Result<(), DrawingAreaErrorKind<Infallible>> {
            root.draw(&Circle::new((10, 20), 5, RGBColor(1, 2, 3).filled()))?;
            root.draw(&Text::new("hi", (30, 40), ("sans-serif", 12.0).into_font().color(&RGBColor(4, 5, 6))))?;
            root.draw(&PathElement::new(vec![(0, 0), (9, 9)], ShapeStyle::from(&RGBColor(7, 8, 9)).stroke_width(2)))?;
            Ok(())
        });
        assert_eq!(rec.circles(), vec![((10, 20), 5, Ink { rgb: (1, 2, 3), alpha: 1.0 }, true, 1)]);
        assert_eq!(rec.texts(), vec!["hi"]);
        assert!(matches!(&rec.drawn[2], Drawn::Path { points, width: 2, .. } if points == &vec![(0, 0), (9, 9)]));
        assert_eq!(rec.count_in(RGBColor(7, 8, 9)), 1);
        assert_eq!(rec.count_in(RGBColor(0, 0, 0)), 0);
    }
}
