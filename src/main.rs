//! The `heaptui` binary: all logic lives in the library.

fn main() {
    std::process::exit(heaptui::cli::main());
}
