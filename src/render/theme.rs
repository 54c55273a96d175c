//! Colours and mark shapes shared by every drawing, for the light and dark themes.
//!
//! Category colours have at least 3:1 contrast against each theme's background and keep apart
//! for the common colour-vision deficiencies; each category also has its own mark shape, so
//! colour is never the only cue.

use crate::data::Category;
use plotters::style::RGBColor;

/// The marker drawn for a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    TriangleUp,
    TriangleDown,
    Cross,
    Star,
}

/// Colours for one theme. Drawing functions take a `&Theme` and never pick colours themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub dark: bool,
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted_text: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    pub era_fill: [RGBColor; 2],
    pub highlight: RGBColor,
    pub land: RGBColor,
    pub land_focus: RGBColor,
    pub water: RGBColor,
    pub border: RGBColor,
}

impl Theme {
    pub fn light() -> Theme {
        Theme {
            dark: false,
            background: RGBColor(255, 255, 255),
            text: RGBColor(28, 28, 30),
            muted_text: RGBColor(88, 88, 96),
            grid: RGBColor(226, 226, 232),
            axis: RGBColor(120, 120, 128),
            era_fill: [RGBColor(240, 242, 247), RGBColor(230, 234, 242)],
            highlight: RGBColor(0, 0, 0),
            land: RGBColor(236, 234, 226),
            land_focus: RGBColor(214, 226, 208),
            water: RGBColor(221, 233, 244),
            border: RGBColor(150, 150, 150),
        }
    }

    pub fn dark() -> Theme {
        Theme {
            dark: true,
            background: RGBColor(24, 26, 31),
            text: RGBColor(236, 236, 240),
            muted_text: RGBColor(176, 176, 186),
            grid: RGBColor(52, 55, 64),
            axis: RGBColor(150, 150, 160),
            era_fill: [RGBColor(34, 37, 45), RGBColor(42, 46, 56)],
            highlight: RGBColor(255, 255, 255),
            land: RGBColor(50, 53, 60),
            land_focus: RGBColor(58, 76, 62),
            water: RGBColor(30, 40, 54),
            border: RGBColor(110, 110, 120),
        }
    }

    /// The category's colour: one hue per category, a darker shade on the light theme and a
    /// lighter one on the dark theme, so that every mark has at least 3:1 contrast against the
    /// theme's background and its era bands (WCAG 1.4.11; tested in tests/theme_contrast.rs).
    /// The hues stay apart for the common colour-vision deficiencies as far as that allows;
    /// each category also has its own shape, so colour is never the only cue.
    pub fn category_color(&self, c: Category) -> RGBColor {
        if self.dark {
            match c {
                Category::Diplomatic => RGBColor(70, 140, 230),   // blue
                Category::Alignment => RGBColor(235, 125, 175),   // pink
                Category::Military => RGBColor(225, 100, 20),     // vermillion
                Category::Economic => RGBColor(30, 165, 80),      // green
                Category::Social => RGBColor(200, 180, 255),      // violet
                Category::Humanitarian => RGBColor(80, 205, 215), // teal
                Category::Crisis => RGBColor(240, 228, 66),       // yellow
            }
        } else {
            match c {
                Category::Diplomatic => RGBColor(0, 114, 178),   // blue
                Category::Alignment => RGBColor(204, 70, 130),   // pink
                Category::Military => RGBColor(213, 94, 0),      // vermillion
                Category::Economic => RGBColor(0, 130, 80),      // green
                Category::Social => RGBColor(120, 90, 210),      // violet
                Category::Humanitarian => RGBColor(0, 135, 135), // teal
                Category::Crisis => RGBColor(120, 94, 0),        // dark yellow
            }
        }
    }

    pub fn category_shape(c: Category) -> Shape {
        match c {
            Category::Diplomatic => Shape::Circle,
            Category::Alignment => Shape::Diamond,
            Category::Military => Shape::TriangleUp,
            Category::Economic => Shape::Square,
            Category::Social => Shape::Star,
            Category::Humanitarian => Shape::Cross,
            Category::Crisis => Shape::TriangleDown,
        }
    }

    /// Returns `[r, g, b]` as a CSS colour string, for HTML legends matching the canvas.
    pub fn css(c: RGBColor) -> String {
        format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
    }
}

/// `a` moved towards `b` by `t` (0 = `a`, 1 = `b`), per channel, rounded.
pub fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let f = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round().clamp(0.0, 255.0) as u8;
    RGBColor(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}
