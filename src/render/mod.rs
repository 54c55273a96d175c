//! Pure drawing code, one module per view, each generic over plotters' `DrawingBackend`.

pub mod charts;
pub mod map;
pub mod recording;
pub mod theme;
pub mod timeline;
pub use theme::{mix, Shape, Theme};

use plotters::prelude::{DrawingAreaErrorKind, DrawingBackend};

/// What every drawing function returns: plotters' error of the backend it drew on.
pub type DrawResult<B> = Result<(), DrawingAreaErrorKind<<B as DrawingBackend>::ErrorType>>;
