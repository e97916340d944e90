//! Taking heap snapshots of a running process (`heaptui capture`): over the inspector
//! (Chrome DevTools Protocol, `HeapProfiler.takeHeapSnapshot`, the chunks streamed to disk as
//! they arrive) or by a signal the process answers by writing a snapshot itself.
//!
//! This layer produces files and nothing else: it knows processes, sockets and files, never
//! snapshots' contents, and prints nothing (progress is reported through [`Step`]s). Its
//! promises: connections go to loopback unless allowed otherwise ([`target::resolve`]); an
//! inspector it opened is closed again ([`inspector::Session`]); files are 0600, never
//! overwrite, and a failed capture leaves no partial snapshot behind ([`output::Output`]).
#![warn(missing_docs)]

pub mod cdp;
pub mod heap;
pub mod inspector;
pub mod output;
pub mod process;
pub mod safety;
pub mod signal;
pub mod target;

use heaptui_common::error::{Error, Result};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A flag a signal handler or a key press sets to stop the capture under way.
#[derive(Clone, Default)]
pub struct Cancel(pub Arc<AtomicBool>);

impl Cancel {
    /// A flag nobody sets.
    pub fn never() -> Cancel {
        Cancel::default()
    }

    /// True once cancelled.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// An error once cancelled, for `?` in wait loops.
    pub fn check(&self) -> Result<()> {
        if self.is_set() {
            Err(Error::capture("interrupted"))
        } else {
            Ok(())
        }
    }
}

/// Progress of one capture, for the front end to show.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// V8 is walking the heap: `done` of `total` objects.
    Traversing {
        /// Objects done.
        done: u64,
        /// Objects in all.
        total: u64,
    },
    /// Snapshot bytes received and written so far.
    Streaming {
        /// Bytes so far (before compression).
        bytes: u64,
    },
    /// Signal mode: the process is writing `file`, now `bytes` long.
    Writing {
        /// The file.
        file: &'a Path,
        /// Its size now.
        bytes: u64,
    },
}
