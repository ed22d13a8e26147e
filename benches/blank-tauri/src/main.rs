//! A blank Tauri window: the baseline for Baton's launch and memory benchmarks.
fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("blank app");
}
