//! `heaptui index`: builds the index of snapshots ahead of time (each is loaded once and its
//! index written, or found up to date), or with `--prune` removes the indexes whose snapshot is
//! gone or changed and keeps the cache under its size cap.

use super::{print, Loading, EXIT_ERROR};
use heaptui_common::error::Result;
use heaptui_common::util::input_name;
use heaptui_common::util::sanitize::sanitize;
use std::path::PathBuf;

/// Arguments of `heaptui index`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Snapshots to index.
    #[arg(required_unless_present = "prune")]
    pub files: Vec<PathBuf>,
    /// Remove the indexes whose snapshot is gone or changed, then the least recently used ones
    /// over the cap (HEAPTUI_INDEX_CAP, 20GB by default).
    #[arg(long)]
    pub prune: bool,
}

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let mut out = String::new();
    let mut failed = false;
    for path in &args.files {
        let built = heaptui_engine::build_index(path, loading.options)?;
        let name = sanitize(&input_name(path)).into_owned();
        for note in &built.notes {
            eprintln!("heaptui: note: {name}: {}", sanitize(note));
        }
        if built.reused {
            out.push_str(&format!("{name}: index up to date\n"));
        } else if built.notes.iter().any(|n| n.starts_with("index written")) {
            out.push_str(&format!("{name}: indexed\n"));
        } else {
            eprintln!("heaptui: {name}: no index written");
            failed = true;
        }
    }
    if args.prune {
        let pruned = heaptui_engine::prune_index();
        for p in &pruned {
            out.push_str(&format!(
                "removed {} ({})\n",
                sanitize(&p.path.display().to_string()),
                p.why
            ));
        }
        out.push_str(&format!("pruned {} index files\n", pruned.len()));
    }
    let status = print(&out)?;
    Ok(if failed { EXIT_ERROR } else { status })
}
