//! Pure drawing code, one module per view, each generic over plotters' `DrawingBackend`.

pub mod theme;
pub use theme::{Shape, Theme};
