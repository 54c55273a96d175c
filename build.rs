//! Chooses the data directory embedded into the binary: `data/`, or the directory named by the
//! `PAKRU_DATA` environment variable (the browser tests build once with a broken dataset to
//! check that the app shows its error panel instead of a blank page), and encodes the border
//! file `data/geo/region.json` into the compact form the app embeds (`OUT_DIR/region.bin`, see
//! `src/geo_codec.rs`).

#[path = "src/geo_codec.rs"]
#[allow(dead_code)]
mod geo_codec;

fn main() {
    println!("cargo:rerun-if-env-changed=PAKRU_DATA");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
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

    let geo = format!("{manifest}/data/geo/region.json");
    println!("cargo:rerun-if-changed={geo}");
    println!("cargo:rerun-if-changed=src/geo_codec.rs");
    let json = std::fs::read_to_string(&geo).unwrap_or_else(|e| panic!("{geo}: {e}"));
    let bytes = geo_codec::encode_json(&json).unwrap_or_else(|e| panic!("{geo}: {e}"));
    let out = format!("{}/region.bin", std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(&out, bytes).unwrap_or_else(|e| panic!("{out}: {e}"));
}
