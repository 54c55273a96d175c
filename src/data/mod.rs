//! Data: the JSON files under `data/`, parsed into a typed model and validated before anything
//! is shown. The model, loader and validator are the `pakru-data` crate (re-exported here);
//! `build.rs` loads and validates with it and embeds the result in the binary form of
//! [`codec`]; this module embeds that form (the JSON texts only for native tests: the "All data
//! JSON" download is written from the model, see `export::data_json`).

pub use pakru_data::*;

/// The contents of the data files, embedded at compile time (from `data/`, or the directory
/// named by `PAKRU_DATA` at build time; see `build.rs`).
pub fn embedded_files() -> [(&'static str, &'static str); 7] {
    [
        ("sources.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/sources.json"))),
        ("places.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/places.json"))),
        ("events.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/events.json"))),
        ("eras.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/eras.json"))),
        ("series.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/series.json"))),
        ("students.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/students.json"))),
        ("story.json", include_str!(concat!(env!("PAKRU_DATA_DIR"), "/story.json"))),
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_bytes_are_the_loaded_json() {
        // The story is a file of its own (`codec::encode_story`), not part of the embedded bytes.
        let from_json = super::load(&super::embedded_files()).map(|mut a| {
            a.story.clear();
            a
        });
        assert!(from_json.is_ok(), "data/ is valid");
        assert_eq!(super::load_embedded(), from_json);
    }
}
