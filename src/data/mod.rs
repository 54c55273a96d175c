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
/// the list of problems, in the binary form of [`codec`]. Native builds (xtask, tests) embed
/// it; the app reads the same bytes from the page (see [`load_text`]).
#[cfg(not(target_arch = "wasm32"))]
const ATLAS_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/atlas.bin"));

/// The embedded data: validated at build time, so the app carries no JSON parser or validator.
/// Invalid data still builds, and the app then shows the problems instead of the atlas.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_embedded() -> Result<Atlas, Vec<DataError>> {
    codec::decode(ATLAS_BIN)
}

/// The page's data block, `<script type="application/octet-stream" id="atlas-data">`: the
/// bytes above in the text form of [`bytes::to_text`], written into index.html by `cargo xtask
/// data-files` (a post-build hook of every Trunk build). The page carries the data instead of
/// the wasm because the page's prerendered list holds the same texts, so a compressed page
/// holds them about once (first visit: −4.9 KiB brotli).
pub const DATA_BLOCK: &str = "atlas-data";

/// The hash of the bytes this build was made with (`build.rs`).
const ATLAS_HASH: &str = env!("PAKRU_ATLAS_HASH");

/// The data from the text of the page's data block (`None`: the page has none): the atlas, the
/// problems found at build time, or why the block cannot be read.
pub fn load_text(text: Option<&str>) -> Result<Atlas, Vec<DataError>> {
    let problem = |message: String| vec![DataError { file: "index.html".into(), id: None, field: None, message }];
    let text = text.ok_or_else(|| {
        problem(format!(
            "the page has no data block (#{DATA_BLOCK}); `cargo xtask data-files` writes it into every build"
        ))
    })?;
    let bytes = bytes::from_text(text);
    let hash = format!("{:016x}", bytes::hash(&bytes));
    if hash != ATLAS_HASH {
        return Err(problem(format!(
            "the page's data block (#{DATA_BLOCK}) is not the one this build was made with (hash {hash}, expected {ATLAS_HASH})"
        )));
    }
    codec::decode(&bytes)
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

    #[test]
    fn the_page_block_gives_the_embedded_data_and_names_what_is_wrong() {
        let text = super::bytes::to_text(super::ATLAS_BIN);
        assert_eq!(super::load_text(Some(&text)), super::load_embedded());
        let message = |r: Result<super::Atlas, Vec<super::DataError>>| r.unwrap_err()[0].to_string();
        assert_eq!(
            message(super::load_text(None)),
            "index.html: the page has no data block (#atlas-data); `cargo xtask data-files` writes it into every build"
        );
        let mut other = text.clone();
        other.push('x');
        assert!(message(super::load_text(Some(&other))).starts_with(
            "index.html: the page's data block (#atlas-data) is not the one this build was made with (hash "
        ));
        assert!(message(super::load_text(Some(""))).contains("not the one this build was made with"));
    }
}
