//! Loading through the opt-in index (see `crate::index`): a snapshot whose index checks out is
//! reopened with every stage landed at once; any other is loaded as usual and its index written
//! afterwards. What happened is told in one-line notes ([`Partial::notes`]).

use super::{Inner, LoadOptions, Partial, Snapshot};
use crate::analysis::Results;
use crate::index::{self, place, Parts, Reopened, Slot, Stored};
use heaptui_common::error::Result;
use heaptui_common::progress::Progress;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// True when `$HEAPTUI_INDEX` turns the index on for loads that do not say (`--index` and
/// `--no-index` override it).
pub fn index_on_by_default() -> bool {
    index::on_by_default()
}

/// The index slot of `path` when `options` ask for the index, and the note when it gets none.
pub(super) fn slot(path: &Path, options: LoadOptions) -> (Option<Slot>, Vec<String>) {
    if !options.index {
        return (None, Vec::new());
    }
    match Slot::of(path) {
        Ok(slot) => (Some(slot), Vec::new()),
        Err(note) => (None, vec![note]),
    }
}

/// The snapshot reopened from `slot`'s index, or `None` (with a note when an index was there
/// but could not be used).
pub(super) fn reopen(
    path: &Path,
    options: LoadOptions,
    slot: &Slot,
    notes: &mut Vec<String>,
) -> Option<Arc<Inner>> {
    match slot.reopen() {
        Reopened::Hit(stored, timings) => Some(Arc::new(inner_from(
            path,
            options,
            *stored,
            timings,
            std::mem::take(notes),
        ))),
        Reopened::Missing => None,
        Reopened::Unusable(why) => {
            notes.push(format!("the index was not used ({why}): rebuilding it"));
            None
        }
    }
}

fn inner_from(
    path: &Path,
    options: LoadOptions,
    stored: Stored,
    timings: Vec<(&'static str, Duration)>,
    notes: Vec<String>,
) -> Inner {
    let results = Results::default();
    let _ = results.classes.set(stored.classes);
    let _ = results.distances.set(stored.distances);
    let _ = results.dominators.set(stored.dominators);
    Inner {
        path: path.to_path_buf(),
        redact: options.redact,
        warnings: stored.warnings,
        graph: stored.graph,
        results,
        load_timings: timings,
        dom_states: stored.dom_states,
        notes: Mutex::new(notes),
        native_contexts: Default::default(),
    }
}

/// Writes the index of a freshly loaded `snapshot` to `slot`, adding `notes` and what
/// happened to its notes, and the write's wall time to its timings.
pub(super) fn write(snapshot: &Snapshot, slot: &Slot, mut notes: Vec<String>) {
    let inner = &snapshot.inner;
    let results = &inner.results;
    let (Some(classes), Some(distances), Some(dominators)) = (
        results.classes.get(),
        results.distances.get(),
        results.dominators.get(),
    ) else {
        return;
    };
    let parts = Parts {
        graph: &inner.graph,
        warnings: &inner.warnings,
        dom_states: &inner.dom_states,
        classes,
        distances,
        dominators,
    };
    match slot.write(&parts) {
        Ok((written, skipped)) => {
            notes.extend(skipped);
            notes.push(format!(
                "index written to {} ({:.1} MB in {:.2} s)",
                written.path.display(),
                written.size as f64 / 1e6,
                written.time.as_secs_f64()
            ));
            results
                .timings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(("write the index", written.time));
        }
        Err(note) => notes.push(note),
    }
    inner
        .notes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(notes);
}

/// What `heaptui index SNAP` did for one snapshot.
pub struct IndexBuild {
    /// The snapshot's index was up to date and reused.
    pub reused: bool,
    /// The load's notes (the index written, rebuilt, or why there is none).
    pub notes: Vec<String>,
}

/// Makes sure the snapshot at `path` has an up-to-date index: reopens it, or loads the
/// snapshot and writes it.
pub fn build_index(path: &Path, options: LoadOptions) -> Result<IndexBuild> {
    let options = LoadOptions {
        index: true,
        ..options
    };
    let snapshot = Snapshot::load(path, options, &Progress::NONE)?;
    let reused = snapshot.inner.graph.node_type.is_mapped();
    Ok(IndexBuild {
        reused,
        notes: snapshot.notes(),
    })
}

/// One section of an index file, as [`index_sections`] lists it: its name, byte offset,
/// element count, element size and checksum.
pub use crate::index::format::Section as IndexSection;

/// The sections of the index file at `path` (its table of contents, checked but not the
/// sections' bytes). For tests and tools that edit an index, with [`reseal_index`].
pub fn index_sections(path: &Path) -> std::io::Result<Vec<IndexSection>> {
    let file = std::fs::File::open(path)?;
    let index = index::format::Index::open(&file).map_err(|e| std::io::Error::other(e.0))?;
    Ok(index.contents.sections)
}

/// Rewrites the table of contents of the index file at `path` to list `sections` with their
/// checksums recomputed from the file's bytes: an index edited in place (by a fuzzer, or a
/// writer with a bug) then passes its checksums, and only the check of its values can catch it.
pub fn reseal_index(path: &Path, sections: Vec<IndexSection>) -> std::io::Result<()> {
    index::format::reseal(path, sections)
}

/// An index `heaptui index --prune` removed.
pub struct Pruned {
    /// Its path.
    pub path: PathBuf,
    /// Why: its snapshot is gone or changed, it is unreadable, or over the cap.
    pub why: String,
}

/// Removes, in every cache folder, the indexes whose snapshot is gone or changed and those
/// that cannot be read, then the least recently used ones over the size cap.
pub fn prune_index() -> Vec<Pruned> {
    let cap = place::cap();
    place::folders()
        .iter()
        .flat_map(|folder| place::prune(folder, cap))
        .map(|(path, why)| Pruned { path, why })
        .collect()
}

impl Partial {
    /// Adds one-line notes about the load.
    pub(super) fn add_notes(&self, notes: Vec<String>) {
        if !notes.is_empty() {
            let mut all = self.inner.notes.lock().unwrap_or_else(|e| e.into_inner());
            all.extend(notes);
        }
    }

    /// True when this snapshot was reopened from its index.
    pub fn from_index(&self) -> bool {
        self.inner.graph.node_type.is_mapped()
    }
}
