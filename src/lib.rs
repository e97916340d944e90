//! heaptui: a terminal explorer for V8 heap snapshots whose numbers are exactly Chrome
//! DevTools' (Summary, Comparison, Retainers), computed faster and in less memory.
//!
//! The modules follow the pipeline, each layer using only those before it: [`util`],
//! [`error`] and [`progress`] (shared by all) → [`graph`] (the heap in flat columns) and
//! [`parse`] (bytes → graph) → [`analysis`] (DevTools' algorithms, one per module) →
//! [`snapshot`] (the API: a loaded, analysed snapshot and its comparisons) → [`leaks`] (trends
//! and suspects across series) → [`present`] (sorting, cells, totals and labels both front
//! ends share) → the front ends [`cli`] (headless commands) and [`tui`] (the interactive
//! explorer), which never import each other → [`app`] (the command line, choosing one).
//! Beside the pipeline, [`capture`] takes snapshots of running processes (it produces files
//! and knows nothing of their contents; only `util` and `error` are below it).
#![warn(missing_docs)]

pub mod analysis;
pub mod app;
pub mod capture;
pub mod cli;
pub mod error;
pub mod graph;
pub mod leaks;
pub mod parse;
pub mod present;
pub mod progress;
pub mod snapshot;
pub mod tui;
pub mod util;

pub use error::{Error, ErrorKind, Result};
pub use snapshot::Snapshot;
