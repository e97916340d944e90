//! Shards: one leak split over the entries of one collection, each entry holding a share of
//! it (a map from timer duration to a list of timers, a map from user to that user's array).
//! Each entry can pass the holder threshold on its own; reported one by one they would bury
//! the collection that actually grows.
//!
//! Definition: holders of the same class whose explanatory paths ([`super::explain`]) reach the
//! same nearest reportable object through an *entry* edge — an array index, a hidden or
//! internal slot (a Map's or Set's hash table), or a property named by a number (V8's
//! dictionary elements) — are shards of that object, which replaces them. Holders reached
//! through named edges (two module variables, two fields of one object) are distinct
//! things, even of one class, and stay apart. A collection found so may or may not dominate
//! its shards (the timer lists are also in a priority queue).

use super::explain::Paths;
use heaptui_engine::EdgeKind;
use std::collections::HashMap;

/// The collections shards lead to: `(collection, its shards)` for every collection reached
/// by two or more of `holders`.
pub fn collections(
    paths: &Paths<'_>,
    holders: &[u32],
    can_hold: &dyn Fn(u32) -> bool,
) -> Vec<(u32, Vec<u32>)> {
    let snapshot = paths.snapshot();
    let mut groups: HashMap<(String, u32), Vec<u32>> = HashMap::new();
    for &holder in holders {
        if let Some(collection) = entry_of(paths, holder, can_hold) {
            let class = snapshot.class_name(holder).to_string();
            groups.entry((class, collection)).or_default().push(holder);
        }
    }
    let mut found: Vec<(u32, Vec<u32>)> = groups
        .into_iter()
        .filter(|(_, shards)| shards.len() >= 2)
        .map(|((_, collection), shards)| (collection, shards))
        .collect();
    found.sort_unstable();
    found
}

/// The nearest reportable object on `holder`'s explanatory path, if an entry edge is among the
/// hops up to it.
fn entry_of(paths: &Paths<'_>, holder: u32, can_hold: &dyn Fn(u32) -> bool) -> Option<u32> {
    let snapshot = paths.snapshot();
    let mut entry = false;
    for hop in paths.of(holder).hops {
        entry |= match snapshot.edge_kind(hop.edge) {
            EdgeKind::Element | EdgeKind::Hidden | EdgeKind::Internal => true,
            _ => {
                let name = snapshot.edge_name(hop.edge);
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())
            }
        };
        if can_hold(hop.node) {
            return entry.then_some(hop.node);
        }
    }
    None
}
