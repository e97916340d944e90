//! heaptui: a terminal explorer for V8 heap snapshots whose numbers are exactly Chrome
//! DevTools' (Summary, Comparison, Retainers), computed faster and in less memory.
//!
//! The modules follow the pipeline: [`parse`] (bytes → [`graph::HeapGraph`]) → [`analysis`]
//! (DevTools' algorithms, one per module) → [`snapshot::Snapshot`] (the API the front ends use)
//! → [`cli`] (headless commands) and [`tui`] (the interactive explorer).
#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod error;
pub mod graph;
pub mod leaks;
pub mod parse;
pub mod progress;
pub mod snapshot;
pub mod tui;
pub mod util;

pub use error::{Error, Result};
pub use snapshot::Snapshot;
