//! The code to look at for a suspect: the functions involved, with their source locations.
//!
//! The line to fix is often not on the path to the roots: for a timer leak it is the callback
//! each `Timeout` holds (`_onTimeout`), for a listener leak the listener, for a subscription the
//! subscriber's `next` handler, for a pending promise its reactions. So two kinds of functions
//! are listed:
//! - *held*: closures a holder's members hold — found from an evenly spread sample of the
//!   members by walking their outgoing edges through the objects each member dominates (its
//!   own parts: a Timeout's callback, a subscriber's observer chain, a promise's reactions,
//!   the contexts of its own closures) up to [`MAX_DEPTH`] edges, the member itself included
//!   when it is a closure. Counted once per member and scaled from the sample to all members.
//! - *on the path*: closures on the holder's explanatory path (the function whose context
//!   holds the variable), which every member hangs from.
//!
//! Functions are grouped by definition site (all closures of one function expression are one
//! entry). The program's own code comes before libraries' (`node_modules`, Node's `node:`
//! internals), which rarely hold the line to fix; then held callbacks before closures on the
//! path (which only say in whose scope the holder's variable lives); then the most frequent.

use super::explain::Hop;
use heaptui_engine::{EdgeKind, Location, Snapshot};
use std::collections::{HashMap, HashSet};

/// Edges followed from a member to the closures it holds: an RxJS operator chain reaches the
/// subscriber's handler in seven (`destination` ×3, `partialObserver`, `next`, …).
pub const MAX_DEPTH: usize = 8;
/// Objects looked at per member: members are small; this bounds a member that is not.
const MAX_VISITED: usize = 128;
/// Functions listed per suspect.
pub const MAX_FUNCTIONS: usize = 8;

/// How a function is involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The accumulated objects hold it (a callback).
    Held,
    /// It is on the holder's path to the roots.
    OnPath,
}

/// One function to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// One of its closures (in the last snapshot).
    pub node: u32,
    /// Its name (empty for anonymous functions).
    pub name: String,
    /// Its script's name, where the snapshot has it.
    pub script_name: Option<String>,
    /// Where it is defined, as stored (0-based).
    pub location: Option<Location>,
    /// How many accumulated objects share it.
    pub objects: u64,
    /// How it is involved.
    pub role: Role,
    /// For held functions, the edges from a member to it (`_onTimeout`,
    /// `destination.partialObserver.next`; empty when the member is the function).
    pub via: String,
}

impl Function {
    /// True for code of libraries and of the runtime ([`is_library_script`]).
    pub fn is_library(&self) -> bool {
        is_library_script(self.script_name.as_deref())
    }
}

/// True for scripts of libraries (under `node_modules`) and of the runtime (`node:` modules,
/// scripts without a path or unnamed), as opposed to the program's own.
pub fn is_library_script(name: Option<&str>) -> bool {
    match name {
        Some(name) => {
            name.contains("node_modules") || name.starts_with("node:") || !name.contains('/')
        }
        None => true,
    }
}

/// The functions to look at for a holder whose explanatory path is `path`, with `members`
/// members of which `sample` is an evenly spread sample.
pub fn functions(snapshot: &Snapshot, sample: &[u32], members: u64, path: &[Hop]) -> Vec<Function> {
    let mut by_site: HashMap<Site, Function> = HashMap::new();
    let scale = members as f64 / sample.len().max(1) as f64;
    for &member in sample {
        for (closure, via) in held_closures(snapshot, member) {
            let f = by_site
                .entry(site(snapshot, closure))
                .or_insert_with(|| function(snapshot, closure, Role::Held, via));
            f.objects += 1;
        }
    }
    for f in by_site.values_mut() {
        f.objects = ((f.objects as f64 * scale).round() as u64).min(members);
    }
    for hop in path {
        if snapshot.type_name(hop.node) == "closure" {
            by_site
                .entry(site(snapshot, hop.node))
                .or_insert_with(|| function(snapshot, hop.node, Role::OnPath, String::new()))
                .objects = members;
        }
    }
    let mut list: Vec<Function> = by_site.into_values().collect();
    list.sort_by(|a, b| {
        a.is_library()
            .cmp(&b.is_library())
            .then(a.role.cmp(&b.role))
            .then(b.objects.cmp(&a.objects))
            .then(a.via.len().cmp(&b.via.len()))
            .then(a.location.cmp(&b.location))
            .then_with(|| a.name.cmp(&b.name))
    });
    list.truncate(MAX_FUNCTIONS);
    list
}

/// Closures of one function expression share a definition site; without a location, a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Site {
    At(Location),
    Named(String),
}

fn site(snapshot: &Snapshot, closure: u32) -> Site {
    match snapshot.location(closure) {
        Some(l) => Site::At(l),
        None => Site::Named(snapshot.display_name(closure)),
    }
}

fn function(snapshot: &Snapshot, closure: u32, role: Role, via: String) -> Function {
    let located = snapshot.source_location(closure);
    let location = located.as_ref().map(|l| l.location);
    // The script named by its id, as every location of the snapshot is.
    let script_name = located.and_then(|l| l.script_name);
    Function {
        node: closure,
        name: snapshot.display_name(closure),
        script_name,
        location,
        objects: 0,
        role,
        via,
    }
}

/// The closures `member` holds, once each, with the edges leading to them: a breadth-first
/// walk through the objects `member` dominates.
fn held_closures(snapshot: &Snapshot, member: u32) -> Vec<(u32, String)> {
    let is_closure = |n: u32| snapshot.type_name(n) == "closure";
    let mut found = Vec::new();
    if is_closure(member) {
        found.push((member, String::new()));
    }
    let mut owned = HashSet::from([member]);
    let mut seen = HashSet::from([member]);
    let mut level = vec![(member, String::new())];
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for (node, via) in level {
            for (edge, to) in snapshot.edges_from(node) {
                if seen.len() >= MAX_VISITED || !follows(snapshot, edge) || !seen.insert(to) {
                    continue;
                }
                let path = if via.is_empty() {
                    snapshot.edge_name(edge)
                } else {
                    format!("{via}.{}", snapshot.edge_name(edge))
                };
                if is_closure(to) {
                    found.push((to, path.clone()));
                }
                // A closure the member owns is walked into too: its context holds what it
                // was made with (an operator's projection, a handler's captured callback).
                if owned.contains(&snapshot.dominator(to)) {
                    owned.insert(to);
                    next.push((to, path));
                }
            }
        }
        level = next;
    }
    found
}

/// Edges that lead to what an object holds: not weak ones, and not V8's metadata (the hidden
/// class, the prototype chain, a function's code and feedback), which objects of a kind share.
fn follows(snapshot: &Snapshot, edge: usize) -> bool {
    match snapshot.edge_kind(edge) {
        EdgeKind::Weak | EdgeKind::Other => false,
        EdgeKind::Internal => !matches!(
            snapshot.edge_name(edge).as_str(),
            "map" | "shared" | "code" | "feedback_cell" | "scope_info"
        ),
        EdgeKind::Property => !matches!(
            snapshot.edge_name(edge).as_str(),
            "__proto__" | "constructor" | "prototype"
        ),
        _ => true,
    }
}
