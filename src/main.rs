#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // The static first view that `cargo xtask dist` writes into index.html gives way to the app
    // in this same task, so no frame shows both and nothing of it moves.
    if let Some(first_view) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("prerender"))
    {
        first_view.remove();
    }
    leptos::mount::mount_to_body(pakru_atlas::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("pakru-atlas is a web app: run `cargo xtask serve` and open http://127.0.0.1:8080/");
}
