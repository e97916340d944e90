//! The bottom layer of heaptui, shared by every other crate: the error type ([`error`]), progress
//! reporting ([`progress`]) and small utilities ([`util`]: bit sets, JavaScript string order,
//! sanitising and redaction of heap strings, system facts, civil time). It knows nothing of heap
//! snapshots.
#![warn(missing_docs)]

pub mod error;
pub mod progress;
pub mod util;

pub use error::{Error, ErrorKind, Result};
