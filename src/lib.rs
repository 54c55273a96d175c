//! Pakistan–Russia Relations Atlas.
//!
//! Data flows one way: `data/*.json` → [`data`] (typed, validated) → app state → views. Drawing
//! lives in [`render`], generic over plotters' `DrawingBackend`, so the same code draws to the
//! browser canvas and, in native tests, to SVG.

#[cfg(feature = "bench")]
pub mod bench;
pub use pakru_data::{bytes, geo_codec, order};
pub mod data;
pub mod export;
pub mod filter;
pub mod fmath;
pub mod geom;
pub mod i18n;
pub mod lang;
pub mod map;
pub mod render;
pub mod story;
pub mod text;
pub mod timeline;
pub mod ui;
pub mod urlstate;

#[cfg(target_arch = "wasm32")]
pub mod app;
