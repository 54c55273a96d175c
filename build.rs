//! Chooses the data directory embedded into the binary: `data/`, or the directory named by the
//! `PAKRU_DATA` environment variable (the browser tests build once with a broken dataset to
//! check that the app shows its error panel instead of a blank page).

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
}
