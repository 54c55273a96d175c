//! The atlas's data layer, shared by the app, its build script and `xtask`:
//!
//! - the typed model of `data/*.json` ([`model`], [`date`]), loaded by [`load`] and checked by
//!   [`validate`]: every problem names the file, the record and the field;
//! - the binary forms the app embeds instead of JSON: the validated dataset ([`codec`]) and the
//!   border file ([`geo_codec`]), both over the reader and writer of [`bytes`];
//! - [`order`]: the one sort the app uses.
//!
//! Only `std`, serde and (for loading and encoding, natively) `serde_json`: the app's wasm keeps
//! just the decoders.

pub mod bytes;
pub mod catalogue;
pub mod codec;
pub mod date;
pub mod geo_codec;
pub mod i18n;
mod loader;
pub mod model;
pub mod order;
pub mod story;
pub mod validate;

pub use date::{Date, Precision};
pub use loader::{load, Atlas, FILES};
pub use model::*;
pub use story::{Chapter, MapPos, Step, StepState, StoryFile, YearSpan};
pub use validate::{validate, DataError};

/// The data files of a directory, as [`load`] takes them (a missing file is left out, and
/// [`load`] reports it like any other problem). Native only: build.rs, tests and xtask.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_dir_files(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    FILES.iter().filter_map(|&name| std::fs::read_to_string(dir.join(name)).ok().map(|t| (name, t))).collect()
}

/// The repository's own `data/` files, for tests.
#[cfg(test)]
pub(crate) fn repo_files() -> Vec<(&'static str, String)> {
    read_dir_files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"))
}
