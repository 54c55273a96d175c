//! The map, apart from the DOM: the projection, the border file, the pan/zoom view, hit-testing and label
//! placement. Pure code (no DOM), the same on wasm and in native tests.
//!
//! # Coordinates
//! - *Geographic*: longitude and latitude in degrees. Longitudes below [`WRAP_LON`] (−110°) are
//!   read as east of the antimeridian (+360°), so Chukotka and the Aleutians continue Russia's
//!   and Alaska's shapes instead of jumping to the far left of the map.
//! - *Plane*: kilometres on a Lambert conformal conic projection centred on 70° E (Pakistan
//!   stands upright), standard parallels 30° N and 60° N; `y` grows northwards.
//! - *Screen*: CSS pixels, `y` grows downwards. A [`MapView`] maps plane to screen with one
//!   scale and one offset, so the projected geometry is computed once, at load, and every frame
//!   only applies that affine map.
//!
//! # The border file
//! `data/geo/region.json`, written by `cargo xtask geodata` from world-atlas 2.0.2 (Natural
//! Earth 4.1.0, 1:50m). It is a small topology: `arcs` are polylines of longitude/latitude in
//! hundredths of a degree (the first point absolute, then deltas); a unit's rings are lists of
//! arc references (`i`, or `-i-1` for arc `i` reversed, as in TopoJSON), so a border shared by
//! two countries is stored, simplified and stroked once. See `xtask/src/geodata/` for how the
//! file is made and how Kashmir and Crimea are marked as disputed.

pub mod borders;
pub mod hit;
pub mod labels;
pub mod layers;
pub mod layout;
pub mod projection;
pub mod view;

pub use borders::*;
pub use hit::*;
pub use labels::*;
pub use layers::*;
pub use layout::*;
pub use projection::*;
pub use view::*;

#[cfg(test)]
mod tests;
