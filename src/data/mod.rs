//! Data: the JSON files under `data/`, parsed into a typed model and validated before anything
//! is shown. `build.rs` does that with this module's [`load`] and embeds the result in the
//! binary form of [`codec`]; the JSON texts are embedded too, for the "All data JSON" download.

pub mod codec;
pub mod date;
mod loader;
pub mod model;
pub mod validate;

pub use date::{Date, Precision};
pub use loader::{load, Atlas, FILES};
pub use model::*;
pub use validate::{validate, DataError};

/// The contents of the data files, embedded at compile time (from `data/`, or the directory
/// named by `PAKRU_DATA` at build time; see `build.rs`).
pub fn embedded_files() -> [(&'static str, &'static str); 6] {
    [
        ("sources.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/sources.json"))),
        ("places.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/places.json"))),
        ("events.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/events.json"))),
        ("eras.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/eras.json"))),
        ("series.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/series.json"))),
        ("students.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/students.json"))),
    ]
}

/// The dataset as `build.rs` loaded and validated it from the files above: the [`Atlas`] or
/// the list of problems, in the binary form of [`codec`].
const ATLAS_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/atlas.bin"));

/// The embedded data: validated at build time, so the app carries no JSON parser or validator.
/// Invalid data still builds, and the app then shows the problems instead of the atlas.
pub fn load_embedded() -> Result<Atlas, Vec<DataError>> {
    codec::decode(ATLAS_BIN)
}

#[cfg(test)]
mod tests_real;
