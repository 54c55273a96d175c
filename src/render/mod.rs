//! Pure drawing code, one module per view, each generic over plotters' `DrawingBackend`.

pub mod charts;
pub mod map;
pub mod theme;
pub mod timeline;
pub use theme::{Shape, Theme};
