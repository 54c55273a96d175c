//! Prepares the embedded data, so the app never parses JSON:
//!
//! - the dataset: `data/*.json` (or the directory named by the `PAKRU_DATA` environment
//!   variable: the browser tests build once with a broken dataset to check that the app shows
//!   its error panel instead of a blank page) is loaded and validated by the data crate
//!   (`crates/pakru-data`) and written to `OUT_DIR/atlas.bin`: the atlas, or the list of
//!   problems, which the app then shows (and the build prints as warnings). Native builds
//!   embed it; the app reads the same bytes from the page (see `src/data/mod.rs`) and gets
//!   their hash, `PAKRU_ATLAS_HASH`, from here;
//! - the border file `data/geo/region.json`, encoded to `OUT_DIR/region.bin`
//!   (`pakru_data::geo_codec`);
//! - the interface's messages: the English catalogue `data/i18n/ui/en.json` becomes
//!   `OUT_DIR/msg.rs`, the `Msg` enum (one variant per key), the English table and the names
//!   of the Urdu and Russian language files (`pakru_data::catalogue`), which `cargo xtask
//!   lang-files` writes beside the app.

use std::path::Path;

fn main() {
    // The linker's relocations, which `cargo xtask split-wasm` needs to split the WebAssembly at
    // its split points (only the web build's binary; nothing else is rebuilt for it).
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
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
    let atlas = pakru_data::codec::encode(&loaded);
    // The app reads these bytes from the page's data block (`cargo xtask data-files` writes it)
    // and checks that they are the ones it was built with.
    println!("cargo:rustc-env=PAKRU_ATLAS_HASH={:016x}", pakru_data::bytes::hash(&atlas));
    write(&format!("{out_dir}/atlas.bin"), &atlas);

    // The borders.
    let geo = format!("{manifest}/data/geo/region.json");
    println!("cargo:rerun-if-changed={geo}");
    let json = std::fs::read_to_string(&geo).unwrap_or_else(|e| panic!("{geo}: {e}"));
    let bytes = pakru_data::geo_codec::encode_json(&json).unwrap_or_else(|e| panic!("{geo}: {e}"));
    write(&format!("{out_dir}/region.bin"), &bytes);

    // The messages. A broken English catalogue is a build error (it defines the code's keys);
    // languages whose files cannot be read are left out: the app then stays in English and
    // says so.
    let en_path = format!("{manifest}/data/i18n/ui/en.json");
    println!("cargo:rerun-if-changed={manifest}/data/i18n");
    println!("cargo:rerun-if-changed={dir}/i18n");
    for f in ["ui/en.json", "ui/ur.json", "ui/ru.json", "ur.json", "ru.json"] {
        println!("cargo:rerun-if-changed={manifest}/data/i18n/{f}");
        println!("cargo:rerun-if-changed={dir}/i18n/{f}");
    }
    let en_text = std::fs::read_to_string(&en_path).unwrap_or_else(|e| panic!("{en_path}: {e}"));
    let en = pakru_data::catalogue::parse(&en_text).unwrap_or_else(|e| panic!("{en_path}: {e}"));
    let files = match pakru_data::catalogue::lang_files(Path::new(&dir)) {
        Ok(f) => f,
        Err(e) => {
            println!("cargo:warning=no language files ({e}): the app will offer English only");
            Vec::new()
        }
    };
    write(&format!("{out_dir}/msg.rs"), msg_rs(&en, &files).as_bytes());
}

/// `Msg`, `SLOTS`, `EN` and `LANG_FILES` (see `src/i18n.rs`).
fn msg_rs(en: &pakru_data::catalogue::Catalogue, files: &[(String, String, Vec<u8>)]) -> String {
    use pakru_data::catalogue::{Message, FORMS};
    let mut variants = String::new();
    let mut table = String::new();
    let mut slot = 0;
    for (key, m) in en {
        let name: String = key
            .split(['.', '_', '-'])
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
            })
            .collect();
        let texts: Vec<String> = match m {
            Message::Text(t) => vec![t.clone()],
            Message::Plural(f) => FORMS.iter().map(|k| f.get(*k).cloned().unwrap_or_default()).collect(),
        };
        let kind = if texts.len() > 1 { " (plural)" } else { "" };
        variants.push_str(&format!("    /// `{key}`{kind}: {:?}\n    {name} = {slot},\n", texts.last().unwrap()));
        for t in &texts {
            table.push_str(&format!("    {t:?},\n"));
        }
        slot += texts.len();
    }
    let langs: String = files.iter().map(|(l, n, _)| format!("({l:?}, {n:?}), ")).collect();
    format!(
        "/// A message of the interface, by its key in `data/i18n/ui/en.json`; its value is its \
         first slot.\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum Msg {{\n{variants}}}\n\n\
         /// How many slots the catalogues have.\npub const SLOTS: usize = {slot};\n\n\
         /// The English texts, slot by slot.\npub static EN: [&str; SLOTS] = [\n{table}];\n\n\
         /// The language files beside the app: (language, file name).\n\
         pub const LANG_FILES: &[(&str, &str)] = &[{langs}];\n"
    )
}

fn write(path: &str, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
}
