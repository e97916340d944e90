//! The explanatory retaining path: among an object's paths to the GC roots, the one a person
//! can act on. DevTools' Retainers pane opens the shortest path first (by distance), which is
//! right for browsing and is kept there; for a verdict it often runs through `(Stack roots)`
//! or `(Handle scope)` (the snapshot was written from inside running code) while the same
//! object also hangs from a named module variable, or through V8's internal links.
//!
//! Definition: the path of least cost from the object to an object the synthetic root holds
//! (a GC root category such as `(Global handles)`, or a user root such as the global object),
//! walking retaining edges. A hop's cost is that of its edge: a named edge (property, context
//! variable, shortcut) costs [`NAMED`], an array index [`ELEMENT`], an internal or hidden one
//! [`INTERNAL`], and a weak edge, or a hop into the stack roots, [`AVOIDED`] — so these are
//! taken only when no other path exists. So is an unnamed hop into Bun's `(GC roots)`, which
//! lists JavaScriptCore's root set (conservative stack scan included) without categories. Ties go to the lower node ordinal, so the answer does
//! not depend on hashing. Eclipse MAT makes the same choice when it excludes weak references
//! from its leak suspects' paths.
//!
//! Bounds: Dijkstra's search from the object settles nodes in order of cost and stops at the
//! first root-held one; a path through the stack roots only costs more than any other, so
//! when none exists the search would settle every ancestor first. It gives up after
//! [`MAX_SETTLED`] nodes and falls back to DevTools' path (first retainer in the pane's order,
//! repeatedly), saying so. [`Paths`] remembers what each search found, so the paths of many
//! objects of one collection cost about one search.

use heaptui_engine::{EdgeKind, EdgesTo, Snapshot};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Cost of a hop over a named edge: what a person reads and greps for.
pub const NAMED: u64 = 1;
/// Cost of a hop over an array index: still the program's own structure.
pub const ELEMENT: u64 = 2;
/// Cost of a hop over an internal or hidden edge (maps, code, backing stores): taken when a
/// named detour would be ten hops longer.
pub const INTERNAL: u64 = 10;
/// Cost of a weak hop or a hop into the stack roots: only when nothing else leads to a root.
pub const AVOIDED: u64 = 1_000_000;
/// The synthetic roots of running code: what is on the stack is not what keeps a leak.
const STACK_ROOTS: &[&str] = &["(Stack roots)", "(Handle scope)"];
/// The root category that Bun's V8-format snapshots (JavaScriptCore's heap) hold objects in
/// directly, over unnamed internal edges: JSC's whole root set (its conservative stack scan,
/// handles), uncategorised. V8 reaches objects from it only through named categories
/// (`(Global handles)`, …), over numbered edges.
const UNCATEGORISED_ROOTS: &str = "(GC roots)";
/// Nodes settled before the search gives up (a few tens of milliseconds).
const MAX_SETTLED: usize = 200_000;

/// One hop of a retaining path: `edge` goes from `node` to the object one hop nearer the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hop {
    /// The retaining edge.
    pub edge: usize,
    /// The retaining object.
    pub node: u32,
}

/// How a path was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The explanatory path (least cost).
    Explanatory,
    /// DevTools' path: the search gave up or found no root.
    Shortest,
}

/// A retaining path from an object towards the GC roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetainingPath {
    /// The hops, from the object's retainer to the root-held object.
    pub hops: Vec<Hop>,
    /// How it was chosen.
    pub choice: Choice,
}

/// The cost of reaching `node` over `edge` (walking from the retained object to `node`).
fn hop_cost(snapshot: &Snapshot, edge: usize, node: u32) -> u64 {
    if snapshot.type_name(node) == "synthetic" {
        let name = snapshot.object_cell(node);
        // An unnamed hop from Bun's uncategorised roots is, like the stack, running code's
        // hold, not the program's: the named path through the module's variable explains.
        if STACK_ROOTS.contains(&name.as_str())
            || (name == UNCATEGORISED_ROOTS && snapshot.edge_name(edge).is_empty())
        {
            return AVOIDED;
        }
    }
    match snapshot.edge_kind(edge) {
        EdgeKind::Property | EdgeKind::Context | EdgeKind::Shortcut => NAMED,
        EdgeKind::Element => ELEMENT,
        EdgeKind::Internal | EdgeKind::Hidden => INTERNAL,
        EdgeKind::Weak | EdgeKind::Other => AVOIDED,
    }
}

/// The cost of a path by the same measure (the sum of its hops' costs).
pub fn path_cost(snapshot: &Snapshot, hops: &[Hop]) -> u64 {
    hops.iter()
        .map(|h| hop_cost(snapshot, h.edge, h.node))
        .sum()
}

/// The explanatory path of `node` (see the module documentation), with nothing remembered
/// from other searches; [`Paths`] remembers.
pub fn explanatory_path(snapshot: &Snapshot, node: u32) -> RetainingPath {
    Paths::new(snapshot).of(node)
}

/// When a search ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// When no cheaper path can be left: the least-cost path.
    Cheapest,
    /// At the first known or root-held node popped.
    FirstKnown,
}

/// What a search learnt about a node on an explanatory path: its least cost to a root, and
/// the next hop towards it (none for a root-held node).
#[derive(Debug, Clone, Copy)]
struct Known {
    cost: u64,
    next: Option<Hop>,
}

/// Explanatory paths in one snapshot, each search reusing what earlier ones found: the rest
/// of a least-cost path is a least-cost path (every hop costs at least one), so a node on a
/// path found before need not be expanded again — its known cost to a root stands in for
/// the search beyond it. Many objects of one collection then cost little more than one.
/// Among paths of equal cost, which one is found may depend on the searches made before it
/// (in a fixed order, so a run's answers do not change from one run to the next).
pub struct Paths<'a> {
    snapshot: &'a Snapshot,
    /// The retaining edges, large collections indexed once for all their members.
    edges_to: EdgesTo<'a>,
    known: RefCell<HashMap<u32, Known>>,
}

impl<'a> Paths<'a> {
    /// A finder for `snapshot`, knowing nothing yet.
    pub fn new(snapshot: &'a Snapshot) -> Paths<'a> {
        Paths {
            snapshot,
            edges_to: EdgesTo::new(snapshot),
            known: RefCell::new(HashMap::new()),
        }
    }

    /// The snapshot searched.
    pub fn snapshot(&self) -> &'a Snapshot {
        self.snapshot
    }

    /// The explanatory path of `node`.
    pub fn of(&self, node: u32) -> RetainingPath {
        self.find(node, Stop::Cheapest)
    }

    /// The path of `node` through the first node an earlier search passed (or a root-held one),
    /// whichever the search reaches first: the least-cost path up to there, and from there the
    /// path found before, which need not be the cheapest overall. For the many objects of one
    /// population: each costs about one expansion once a few are known, where the full search
    /// would go on exploring every cheaper node around it.
    pub fn of_member(&self, node: u32) -> RetainingPath {
        self.find(node, Stop::FirstKnown)
    }

    fn find(&self, node: u32, stop: Stop) -> RetainingPath {
        match self.search(node, MAX_SETTLED, stop) {
            Some(hops) => RetainingPath {
                hops,
                choice: Choice::Explanatory,
            },
            None => RetainingPath {
                hops: shortest_path(self.snapshot, node),
                choice: Choice::Shortest,
            },
        }
    }

    /// The known path from `node` on (its hops towards the root).
    fn known_path(&self, node: u32) -> Vec<Hop> {
        let known = self.known.borrow();
        let mut hops = Vec::new();
        let mut at = node;
        while let Some(hop) = known.get(&at).and_then(|k| k.next) {
            hops.push(hop);
            at = hop.node;
        }
        hops
    }

    /// Dijkstra's search from `start` towards the roots, stopping at the first popped cost no
    /// lower than the best complete path (through a root-held node or a known one).
    fn search(&self, start: u32, budget: usize, stop: Stop) -> Option<Vec<Hop>> {
        let snapshot = self.snapshot;
        let root = snapshot.root();
        if self.known.borrow().contains_key(&start) {
            return Some(self.known_path(start));
        }
        let mut best: HashMap<u32, u64> = HashMap::from([(start, 0)]);
        // For each node reached: the edge it was reached over and the object it retains there.
        let mut came_from: HashMap<u32, (usize, u32)> = HashMap::new();
        let mut queue = BinaryHeap::from([Reverse((0u64, start))]);
        let mut found: Option<(u64, u32)> = None;
        let mut settled = 0;
        while let Some(Reverse((cost, node))) = queue.pop() {
            if found.is_some_and(|(total, _)| cost >= total || stop == Stop::FirstKnown) {
                break;
            }
            if best.get(&node).is_some_and(|&c| c < cost) {
                continue;
            }
            settled += 1;
            if settled > budget {
                return None;
            }
            if node != start {
                if let Some(k) = self.known.borrow().get(&node) {
                    if found.is_none_or(|(total, _)| cost + k.cost < total) {
                        found = Some((cost + k.cost, node));
                    }
                    continue;
                }
            }
            let retainers = self.edges_to.of(node);
            if retainers.iter().any(|&(source, _)| source == root) {
                if found.is_none_or(|(total, _)| cost < total) {
                    found = Some((cost, node));
                }
                continue;
            }
            // With `FirstKnown`, a known retainer ends the search here: the cheapest through one.
            let mut through_known: Option<(u64, u32)> = None;
            for (source, edge) in retainers {
                if source == start {
                    continue;
                }
                let next = cost + hop_cost(snapshot, edge, source);
                if best.get(&source).is_none_or(|&c| next < c) {
                    best.insert(source, next);
                    came_from.insert(source, (edge, node));
                    queue.push(Reverse((next, source)));
                    if stop == Stop::FirstKnown {
                        if let Some(k) = self.known.borrow().get(&source) {
                            let total = next + k.cost;
                            if through_known.is_none_or(|(best, _)| total < best) {
                                through_known = Some((total, source));
                            }
                        }
                    }
                }
            }
            if through_known.is_some() {
                found = through_known;
                break;
            }
        }
        let (total, end) = found?;
        let mut hops = Vec::new();
        let mut at = end;
        while let Some(&(edge, retained)) = came_from.get(&at) {
            hops.push(Hop { edge, node: at });
            at = retained;
        }
        hops.reverse();
        hops.extend(self.known_path(end));
        self.remember(start, total, &hops);
        Some(hops)
    }

    /// Records every node of the path `hops` from `start` (of cost `total`) as known.
    fn remember(&self, start: u32, total: u64, hops: &[Hop]) {
        let mut known = self.known.borrow_mut();
        let mut left = total;
        known.insert(
            start,
            Known {
                cost: left,
                next: hops.first().copied(),
            },
        );
        for (i, hop) in hops.iter().enumerate() {
            left = left.saturating_sub(hop_cost(self.snapshot, hop.edge, hop.node));
            known.entry(hop.node).or_insert(Known {
                cost: left,
                next: hops.get(i + 1).copied(),
            });
        }
    }
}

/// DevTools' path: the first retainer in the Retainers pane's order, repeatedly, until a root
/// category or user root, a cycle or a bound on its length.
pub fn shortest_path(snapshot: &Snapshot, node: u32) -> Vec<Hop> {
    /// Above any real heap's depth (linked lists of timers reach a few thousand), a bound for
    /// cycles the retainer order never leaves.
    const MAX_HOPS: usize = 5000;
    let mut hops = Vec::new();
    let mut seen = std::collections::HashSet::from([node]);
    let mut current = node;
    for _ in 0..MAX_HOPS {
        let Some(first) = snapshot.retainers(current).into_iter().next() else {
            break;
        };
        if !seen.insert(first.node) {
            break;
        }
        hops.push(Hop {
            edge: first.edge,
            node: first.node,
        });
        if !first.leads_on() {
            break;
        }
        current = first.node;
    }
    hops
}
