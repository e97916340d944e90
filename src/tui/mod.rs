//! The interactive explorer (built in its own issue).

use crate::error::{Error, Result};
use std::path::PathBuf;

/// Runs the TUI on the given snapshots.
pub fn run(_files: &[PathBuf]) -> Result<i32> {
    Err(Error::new(
        "the interactive view is not available in this build; use `heaptui summary|diff|retainers`",
    ))
}
