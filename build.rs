//! Prepares the embedded data, so the app never parses JSON:
//!
//! - the dataset: `data/*.json` (or the directory named by the `PAKRU_DATA` environment
//!   variable: the browser tests build once with a broken dataset to check that the app shows
//!   its error panel instead of a blank page) is loaded and validated by the crate's own loader
//!   (`src/data/`, compiled in here by path) and written to `OUT_DIR/atlas.bin`: the atlas, or
//!   the list of problems, which the app then shows (and the build prints as warnings);
//! - the border file `data/geo/region.json`, encoded to `OUT_DIR/region.bin`
//!   (`src/geo_codec.rs`).

#[path = "src/bytes.rs"]
#[allow(dead_code)]
mod bytes;
#[path = "src/geo_codec.rs"]
#[allow(dead_code)]
mod geo_codec;
#[path = "src/order.rs"]
#[allow(dead_code)]
mod order;

/// The crate's data module without its embedding (which is what this script produces).
#[allow(dead_code)]
mod data {
    #[path = "../src/data/codec.rs"]
    pub mod codec;
    #[path = "../src/data/date.rs"]
    pub mod date;
    #[path = "../src/data/loader.rs"]
    mod loader;
    #[path = "../src/data/model.rs"]
    pub mod model;
    #[path = "../src/data/validate.rs"]
    pub mod validate;

    pub use date::Date;
    pub use loader::{load, Atlas, FILES};
    pub use model::*;
    pub use validate::{validate, DataError};
}

fn main() {
    println!("cargo:rerun-if-env-changed=PAKRU_DATA");
    println!("cargo:rerun-if-changed=build.rs");
    for f in ["bytes.rs", "geo_codec.rs", "order.rs", "data"] {
        println!("cargo:rerun-if-changed=src/{f}");
    }
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = match std::env::var("PAKRU_DATA") {
        Ok(d) if !d.is_empty() => {
            let p = std::path::Path::new(&d);
            if p.is_absolute() {
                d
            } else {
                format!("{manifest}/{d}")
            }
        }
        _ => format!("{manifest}/data"),
    };
    println!("cargo:rustc-env=PAKRU_DATA_DIR={dir}");

    // The dataset. A missing file is one of the problems reported, like any other.
    let mut files: Vec<(&str, String)> = Vec::new();
    for name in data::FILES {
        let path = format!("{dir}/{name}");
        println!("cargo:rerun-if-changed={path}");
        if let Ok(text) = std::fs::read_to_string(&path) {
            files.push((name, text));
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let loaded = data::load(&refs);
    if let Err(errors) = &loaded {
        println!("cargo:warning={} has {} problem(s); the app will list them instead of the atlas:", dir, errors.len());
        for e in errors {
            println!("cargo:warning=  {e}");
        }
    }
    write(&format!("{out_dir}/atlas.bin"), &data::codec::encode(&loaded));

    // The borders.
    let geo = format!("{manifest}/data/geo/region.json");
    println!("cargo:rerun-if-changed={geo}");
    let json = std::fs::read_to_string(&geo).unwrap_or_else(|e| panic!("{geo}: {e}"));
    let bytes = geo_codec::encode_json(&json).unwrap_or_else(|e| panic!("{geo}: {e}"));
    write(&format!("{out_dir}/region.bin"), &bytes);
}

fn write(path: &str, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
}
