//! The figure charts: trade by year and Pakistani students by university.
//!
//! Both are drawn by functions generic over plotters' `DrawingBackend`, so the browser canvas,
//! the SVG export and the native tests share one implementation.
//!
//! - `trade`: the trade chart, values against years, one colour and marker per series.
//! - `students`: the students chart, one bar per university.
//! - `axes`: what they share: series colours, number formatting, round ticks, and the trade
//!   chart's plot rectangle and axes.

mod axes;
mod students;
#[cfg(test)]
pub(crate) mod tests;
mod trade;

pub use axes::{group_thousands, nice_ticks, point_label, series_color};
pub use students::draw_students_chart;
pub use trade::{draw_trade_chart, time_series};
