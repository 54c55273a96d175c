//! Prepares the embedded data, so the app never parses JSON:
//!
//! - the dataset: `data/*.json` (or the directory named by the `PAKRU_DATA` environment
//!   variable: the browser tests build once with a broken dataset to check that the app shows
//!   its error panel instead of a blank page) is loaded and validated by the data crate
//!   (`crates/pakru-data`) and written to `OUT_DIR/atlas.bin`: the atlas, or the list of
//!   problems, which the app then shows (and the build prints as warnings);
//! - the border file `data/geo/region.json`, encoded to `OUT_DIR/region.bin`
//!   (`pakru_data::geo_codec`).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=PAKRU_DATA");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = match std::env::var("PAKRU_DATA") {
        Ok(d) if !d.is_empty() => {
            if Path::new(&d).is_absolute() {
                d
            } else {
                format!("{manifest}/{d}")
            }
        }
        _ => format!("{manifest}/data"),
    };
    println!("cargo:rustc-env=PAKRU_DATA_DIR={dir}");

    // The dataset. A missing file is one of the problems reported, like any other.
    for name in pakru_data::FILES {
        println!("cargo:rerun-if-changed={dir}/{name}");
    }
    let files = pakru_data::read_dir_files(Path::new(&dir));
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let loaded = pakru_data::load(&refs);
    if let Err(errors) = &loaded {
        println!("cargo:warning={} has {} problem(s); the app will list them instead of the atlas:", dir, errors.len());
        for e in errors {
            println!("cargo:warning=  {e}");
        }
    }
    write(&format!("{out_dir}/atlas.bin"), &pakru_data::codec::encode(&loaded));

    // The borders.
    let geo = format!("{manifest}/data/geo/region.json");
    println!("cargo:rerun-if-changed={geo}");
    let json = std::fs::read_to_string(&geo).unwrap_or_else(|e| panic!("{geo}: {e}"));
    let bytes = pakru_data::geo_codec::encode_json(&json).unwrap_or_else(|e| panic!("{geo}: {e}"));
    write(&format!("{out_dir}/region.bin"), &bytes);
}

fn write(path: &str, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
}
