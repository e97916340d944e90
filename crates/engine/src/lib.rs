//! The heaptui engine: V8 heap snapshots parsed and analysed with exactly Chrome DevTools'
//! numbers. Inside, the pipeline reads one way: `parse` (bytes → graph) → `graph` (the heap in
//! flat columns) → `analysis` (DevTools' algorithms, one per module) → `snapshot`. Only the
//! last is public: a loaded, analysed [`Snapshot`] and its comparisons are the API every higher
//! crate reads its numbers through; the graph and the analysis behind it stay private, so no
//! front end can re-derive a number.
#![warn(missing_docs)]

mod analysis;
mod graph;
mod index;
mod parse;
mod snapshot;

pub use parse::input::{Access, Input};
pub use snapshot::*;
