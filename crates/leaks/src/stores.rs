//! What a holder stores directly: the objects it points at itself, through its own storage,
//! by class, with what each keeps alive. A holder's members ([`super::members`]) are what
//! accumulates under it, nested objects included when it shares them with other holders (tens
//! of thousands of `Object`, `Array`, `Map`); what it stores is the level a person reads in
//! the code (`rows.push(view)`: 400 `RowView`).
//!
//! Definition: the objects *stored directly* by a holder are the program objects
//! ([`super::members::is_program_object`]) reached from it by a non-weak edge, looking
//! through V8's storage on the way (backing stores, a `Map`'s or `Set`'s hash table, a
//! closure's context: what the holder keeps its entries in; an embedder's store the holder
//! reallocated as it grew, [`super::Identity::reallocated`]) for at most [`STORAGE_HOPS`]
//! hops; its prototype (`__proto__`) is not stored. A stored object that starts a linked list
//! ([`super::lists::rest_of`]: EventTarget's listeners, a queue's jobs) stands for the list:
//! every node of it is stored. Each object counts once. Per class: how
//! many, how many of them are new (they count as accumulated for the series), their retained
//! size and the objects they keep alive (their dominator subtrees' node counts: a stored
//! object shared with another holder keeps only what it alone retains, as in DevTools).
//! Classes are listed the program's own first (a constructor defined in its own code), then
//! other objects (plain objects, arrays, functions, libraries' and the embedder's classes),
//! then the runtime's values (strings, numbers, V8's system objects); most objects first
//! within each.
//!
//! Invariants: a class's new objects are at most its count; every stored object keeps at
//! least itself alive.

use super::code::is_library_script;
use super::lists;
use super::members::is_program_object;
use heaptui_engine::{EdgeKind, Location, Snapshot};
use std::collections::{HashMap, HashSet};

/// Hops through storage from the holder to what it stores: a `Map` keeps its entries in a
/// hash table (holder → `table` → entry, 2); a closure keeps what it captured in its context,
/// whose values may sit in an array (3).
pub const STORAGE_HOPS: usize = 3;

/// Where a stored class comes from, in the order the classes are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A class whose constructor is in the program's own code.
    Program,
    /// Other objects: plain objects, arrays, functions, libraries' and the embedder's classes.
    Object,
    /// The runtime's values: strings, numbers, V8's system objects.
    Runtime,
}

/// One class of what a holder stores directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The Summary class.
    pub class_name: String,
    /// Where its constructor is defined, where the snapshot has it.
    pub location: Option<Location>,
    /// Where the class comes from.
    pub origin: Origin,
    /// Objects of the class the holder stores.
    pub count: u64,
    /// How many of them are new (count as accumulated for the series).
    pub new_objects: u64,
    /// Their retained size together.
    pub retained: u64,
    /// The objects they keep alive together (each counts itself).
    pub kept_objects: u64,
}

impl Stored {
    /// What one of them retains on average.
    pub fn average_retained(&self) -> u64 {
        self.retained / self.count.max(1)
    }

    /// The objects one of them keeps alive on average (itself included).
    pub fn average_kept(&self) -> u64 {
        self.kept_objects / self.count.max(1)
    }
}

/// Per node of `snapshot`, the objects it keeps alive (its dominator subtree's node count),
/// for [`stored`].
pub fn kept_objects(snapshot: &Snapshot) -> Vec<u64> {
    snapshot.dominated_sums(&|_| 1)
}

/// What `holder` (a node of `snapshot`) stores directly, by class, in listing order; `is_new`
/// says which objects count as accumulated, `reallocated` which of the holder's own
/// children are stores it reallocated, `kept` is [`kept_objects`] of the snapshot.
pub fn stored(
    snapshot: &Snapshot,
    holder: u32,
    is_new: &dyn Fn(u32) -> bool,
    reallocated: &dyn Fn(u32) -> bool,
    kept: &[u64],
) -> Vec<Stored> {
    let mut by_class: HashMap<&str, Stored> = HashMap::new();
    for (node, next) in directly_stored(snapshot, holder, reallocated) {
        let class = snapshot.class_name(node);
        // A list node keeps what its subtree holds less the rest of the list.
        let (retained, keeps) = match next {
            Some(n) => (
                snapshot
                    .retained_size(node)
                    .saturating_sub(snapshot.retained_size(n)),
                kept[node as usize].saturating_sub(kept[n as usize]),
            ),
            None => (snapshot.retained_size(node), kept[node as usize]),
        };
        let entry = by_class.entry(class).or_insert_with(|| Stored {
            class_name: class.to_string(),
            location: snapshot.class_location(node),
            origin: origin(snapshot, node),
            count: 0,
            new_objects: 0,
            retained: 0,
            kept_objects: 0,
        });
        entry.count += 1;
        entry.new_objects += u64::from(is_new(node));
        entry.retained += retained;
        entry.kept_objects += keeps;
    }
    let mut list: Vec<Stored> = by_class.into_values().collect();
    for s in &list {
        debug_assert!(s.new_objects <= s.count, "{s:?}");
        debug_assert!(s.kept_objects >= s.count, "{s:?}");
    }
    list.sort_by(|a, b| {
        a.origin
            .cmp(&b.origin)
            .then(b.count.cmp(&a.count))
            .then(b.retained.cmp(&a.retained))
            .then_with(|| a.class_name.cmp(&b.class_name))
    });
    list
}

/// The program objects `holder` points at through its storage, each once, in edge order,
/// each with the node after it when it is in a linked list.
fn directly_stored(
    snapshot: &Snapshot,
    holder: u32,
    reallocated: &dyn Fn(u32) -> bool,
) -> Vec<(u32, Option<u32>)> {
    let mut seen: HashSet<u32> = HashSet::from([holder]);
    let mut found = Vec::new();
    let mut frontier = vec![holder];
    for _ in 0..STORAGE_HOPS {
        let mut storage = Vec::new();
        for &from in &frontier {
            for (edge, to) in snapshot.edges_from(from) {
                if snapshot.edge_kind(edge) == EdgeKind::Weak
                    || snapshot.edge_name(edge) == "__proto__"
                    || !seen.insert(to)
                {
                    continue;
                }
                let own_store = from == holder && reallocated(to);
                if own_store || is_storage(snapshot, to, from == holder) {
                    storage.push(to);
                } else if is_program_object(snapshot, to) {
                    let list: Vec<u32> = [to]
                        .into_iter()
                        .chain(lists::rest_of(snapshot, to))
                        .collect();
                    for (i, &node) in list.iter().enumerate() {
                        if node == to || seen.insert(node) {
                            found.push((node, list.get(i + 1).copied()));
                        }
                    }
                }
            }
        }
        frontier = storage;
    }
    found
}

/// True for what a holder keeps its entries in: V8's arrays (backing stores, hash tables)
/// and, for a closure (`from_holder`), its own context (not the enclosing ones: a module's
/// scope is not what a function stores).
fn is_storage(snapshot: &Snapshot, node: u32, from_holder: bool) -> bool {
    let class = snapshot.class_name(node);
    (snapshot.type_name(node) == "array" && !class.starts_with("system / Context"))
        || (from_holder && class == "system / Context")
}

/// Where the class of `node` comes from.
fn origin(snapshot: &Snapshot, node: u32) -> Origin {
    match snapshot.type_name(node) {
        "object" | "closure" | "native" | "regexp" => {
            let own = snapshot
                .class_location(node)
                .is_some_and(|l| !is_library_script(snapshot.script_name(&l)));
            if own {
                Origin::Program
            } else {
                Origin::Object
            }
        }
        _ => Origin::Runtime,
    }
}
