//! What the number columns show, cell by cell, for the CLI's tables and reports and the TUI's
//! tables alike.

use super::format;
use heaptui_engine::{shown_distance, Aggregate, ClassChange, ClassDiff, Partial, Snapshot};

/// The number columns of an id-matched Comparison row: # New, # Deleted, # Delta, Alloc. Size,
/// Freed Size, Size Delta.
pub fn comparison(r: &ClassDiff) -> [String; 6] {
    [
        format::count(r.added.len() as u64),
        format::count(r.removed.len() as u64),
        format::signed_count(r.count_delta()),
        format::bytes(r.added_size),
        format::bytes(r.removed_size),
        format::signed_bytes(r.size_delta()),
    ]
}

/// The number columns of a class-matched Comparison row: # Base, # After, # Delta, Base Size,
/// After Size, Size Delta.
pub fn change(r: &ClassChange) -> [String; 6] {
    [
        format::count(r.base_count),
        format::count(r.after_count),
        format::signed_count(r.count_delta()),
        format::bytes(r.base_size),
        format::bytes(r.after_size),
        format::signed_bytes(r.size_delta()),
    ]
}

/// An object's own cells in an id-matched Comparison: what it allocated (new) or freed
/// (deleted) in Alloc. Size, Freed Size and Size Delta; the count columns stay empty.
pub fn comparison_object(size: u64, deleted: bool) -> [String; 6] {
    let (alloc, freed, delta) = if deleted {
        (String::new(), format::bytes(size), -(size as i64))
    } else {
        (format::bytes(size), String::new(), size as i64)
    };
    [
        String::new(),
        String::new(),
        String::new(),
        alloc,
        freed,
        format::signed_bytes(delta),
    ]
}

/// A retained size with its share of the snapshot's total: `  1.2 MB  12%`.
pub fn retained(snapshot: &Snapshot, retained: u64) -> String {
    format!(
        "{:>8} {:>3.0}%",
        format::bytes(retained),
        snapshot.retained_percent(retained)
    )
}

/// What a cell shows while the stage that gives its number is still computing.
pub const PENDING: &str = "…";

/// The Summary row's Distance, Shallow Size and Retained Size cells; distance and retained
/// size are [`PENDING`] until the snapshot is `complete`.
pub fn summary(complete: Option<&Snapshot>, r: &Aggregate) -> [String; 3] {
    let shallow = format::bytes(r.shallow_size);
    match complete {
        Some(snapshot) => [
            format::distance(shown_distance(r.distance)),
            shallow,
            retained(snapshot, r.retained_size),
        ],
        None => [PENDING.to_string(), shallow, PENDING.to_string()],
    }
}

/// An object's Distance, Shallow Size and Retained Size cells, each [`PENDING`] until its
/// stage has landed (`complete` is the snapshot once every stage has).
pub fn object(snapshot: &Partial, complete: Option<&Snapshot>, node: u32) -> [String; 3] {
    let distance = snapshot
        .landed_distance(node)
        .map_or_else(|| PENDING.to_string(), format::distance);
    let retained = complete.map_or_else(
        || PENDING.to_string(),
        |s| self::retained(s, s.retained_size(node)),
    );
    [distance, format::bytes(snapshot.self_size(node)), retained]
}
