//! The `heaptui` binary: all logic lives in the library.

fn main() -> color_eyre::Result<()> {
    heaptui::app::install_reports()?;
    let code = heaptui::app::run()?;
    std::process::exit(code)
}
