#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // Chooses the language, loads its file if need be, then puts the app in place of the static
    // first view that `cargo xtask dist` writes into index.html.
    pakru_atlas::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("pakru-atlas is a web app: run `cargo xtask serve` and open http://127.0.0.1:8080/");
}
