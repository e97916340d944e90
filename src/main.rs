//! The `heaptui` binary: the command line chooses a front end ([`app`]); all logic lives in the
//! workspace's crates.

mod app;

fn main() -> color_eyre::Result<()> {
    app::install_reports()?;
    let code = app::run()?;
    std::process::exit(code)
}
