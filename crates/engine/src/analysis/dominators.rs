//! Immediate dominators over the essential edges: the semidominators of Lengauer–Tarjan (simple
//! version, path compression, iterative DFS), then the dominators by nearest common ancestors
//! ("semi-NCA").
//!
//! Sources: T. Lengauer and R. E. Tarjan, "A fast algorithm for finding dominators in a
//! flowgraph", TOPLAS 1(1), 1979; L. Georgiadis, "Linear-time algorithms for dominators and
//! related problems", PhD thesis, Princeton, 2005 (semi-NCA). Mirrored on DevTools
//! `HeapSnapshot.calculateDominatorsAndRetainedSizes`, which runs Lengauer–Tarjan over this
//! numbering:
//! - the DFS runs from the root over essential edges, in edge order (DevTools' order) except at
//!   the root, whose edges into the page-owned entries come first: those walks need no page
//!   ownership, which is completed from what they reach (see [`page_owned`]);
//! - then from each *orphan* (unreached, no essential retainer), in ordinal order, as a child of
//!   the root;
//! - nodes still unreached (cliques retained only by each other) are numbered one by one as
//!   children of the root;
//! - a node with no essential retainer takes the root as its only predecessor.
//!
//! Why the result is DevTools' exactly: the first two steps are a DFS of the essential graph plus
//! an edge from the root to every orphan, where dominators are unique, whichever correct algorithm
//! finds them (and whichever order the DFS takes the root's edges in). A clique vertex's
//! semidominator is another clique vertex (its essential retainers are all in cliques, numbered
//! last), whose bucket DevTools never drains, so it ends with the root; here its parent, the root,
//! is already numbered below its semidominator. Clique vertices change nobody else's semidominator:
//! evaluated from a vertex numbered below them they yield their own (higher) numbers.
//!
//! The passes work in DFS-number space (1..=n, 0 is "none"): the retainer sources are
//! rewritten to DFS numbers in place (and turned back when first read, see
//! [`super::retainer_index`]), and each vertex's
//! `ancestor` and the minimal semi on its compressed path share one 8-byte record, so an `eval`
//! step costs one cache miss. Vertices are processed in decreasing DFS number, and one is
//! *linked* exactly when it has been processed, i.e. its number is above the current one, so
//! `ancestor` needs no separate "unlinked" state and starts as `parent`. A heap's hidden
//! classes and shared strings are *hubs* with millions of retainers and small DFS numbers: the
//! pass compresses the whole linked forest in one sequential sweep before it evaluates a hub's
//! retainers (see [`HUB_FRACTION`]), so each of them costs one record read, not a walk.
//!
//! Semi-NCA walks up the dominator tree from each vertex's parent; on heap graphs that walk is
//! short (it stops at the semidominator, usually the parent), and it needs no buckets, which
//! saves their memory and the second `eval` per vertex of Lengauer–Tarjan.

#[cfg(doc)]
use super::essential;
use super::page_owned;
use crate::graph::{array::Array, retainers::Retainers, HeapGraph};
use heaptui_common::util::bits::{prefetch, BitVec, PREFETCH_AHEAD};
use rayon::prelude::*;

/// How many vertices ahead the semidominator pass fetches a vertex's slot range and
/// single-retainer bit; the sources in that range and their essential bits, and then their
/// records, follow at a half and a quarter of it. Three times
/// [`PREFETCH_AHEAD`] because each vertex waits on three dependent misses (measured on the
/// 1.5 GB bench snapshot: wider or two-level schedules were no faster).
const SEMI_PREFETCH_SLOTS: usize = 3 * PREFETCH_AHEAD;

/// How many retainers ahead the semidominator pass fetches a retainer's record, while it
/// reads a vertex's retainers. Far, for the hubs' long lists (hidden classes, shared strings:
/// millions of retainers each on the 1.5 GB bench snapshot), whose records are each a miss:
/// their time there fell from 0.31 to 0.23 s against half this distance; twice it was no
/// faster.
const SEMI_PREFETCH_RETAINERS: usize = 2 * PREFETCH_AHEAD;

/// A vertex is a *hub* when at least this fraction of the vertex count retains it (a hidden
/// class, a prototype, a shared string): before the semidominator pass evaluates a hub's
/// retainers, it compresses the forest of the vertices linked since the last hub (see
/// [`compress_forest`]). The ranges are disjoint, so all compressions together cost at most
/// one pass over the vertices. Measured on the 1.5 GB bench snapshot (19.5 M vertices): 33
/// vertices hold 27.6 M of the 49.7 M essential retainer slots, 7 are hubs, the first
/// compression takes 25 ms, and the pass takes 0.85 s instead of 0.91 s (medians of eight
/// alternated runs).
const HUB_FRACTION: usize = 16;

/// How many of a node's first edges the DFS fetches the targets' edge ranges of when it enters
/// the node: most nodes have few edges, and the walk takes them in order.
const DFS_PREFETCH_EDGES: u32 = 8;

/// How many of a node's next edges the DFS fetches the targets' first edges of when it
/// descends into a child: the walk comes back to them soon. A small gain (the DFS's thread CPU
/// time on the 1.5 GB bench snapshot: 1.10–1.12 s against 1.10–1.20 s).
const DFS_SIBLING_PREFETCH: usize = 2;

/// The dominator tree: `dominator[n]` is node `n`'s immediate dominator (the root's is itself),
/// and `dfs_order` lists nodes so that every node comes after its dominator.
pub struct Dominators {
    /// Immediate dominator ordinal per node.
    pub dominator: Array<u32>,
    /// Node ordinals in DFS preorder (root first).
    pub dfs_order: Array<u32>,
    /// The nodes the root does not reach that the numbering made children of the root: the
    /// orphans (no essential retainer) the walks started from, in ordinal order, then every
    /// node still unreached. With an edge from the root to each, every node is reachable and
    /// `dominator` is that graph's dominator tree (what releasing objects frees is measured
    /// in it).
    pub extra_roots: Vec<u32>,
}

/// The DFS numbering: `vertex[d]` is the node with number `d` and `parent[d]` the number of
/// its DFS tree parent. Numbers up to `reached` come from DFS walks (from the root, then from
/// orphans); the clique vertices numbered after them were not reached by an edge. Built in two
/// steps so the walk from the root (which needs only the edges) can run while the retainers
/// are being built.
pub struct Numbering {
    vertex: Vec<u32>,
    parent: Vec<u32>,
    count: u32,
    reached: u32,
    visited: BitVec,
    extra_roots: Vec<u32>,
}

/// Per-vertex state of the semidominator pass, one 8-byte record so `eval` touches one cache
/// line per step.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Vertex {
    /// DFS parent until processed, then the (compressed) forest ancestor.
    ancestor: u32,
    /// The minimal semidominator on the compressed path (the vertex's own until compression).
    label_semi: u32,
}

/// Computes the dominator tree. `slot_essential` has one bit per retainer slot, set when the
/// slot's edge is essential, and `single_retainer` one bit per node, set when exactly one is
/// (see [`essential::single_retainers`]). `retainers` is borrowed mutably to renumber its
/// sources for the main loop: they are left as DFS numbers, number `d` standing for
/// `dfs_order[d - 1]` (see [`sources_to_nodes`]). Also returns the passes' working
/// memory as one word per node plus one (contents unspecified), for the caller to reuse: fresh
/// pages cost a page fault each. And returns, per position in `dfs_order`, the position of
/// that node's dominator (the root's: 0), for the class retained sizes.
pub fn compute(
    graph: &HeapGraph,
    retainers: &mut Retainers,
    from_root: Numbering,
    edge_essential: &BitVec,
    slot_essential: BitVec,
    single_retainer: &BitVec,
) -> (Dominators, Vec<u64>, Vec<u32>) {
    let Numbering {
        vertex,
        parent,
        count,
        reached,
        extra_roots,
        ..
    } = number_the_rest(graph, retainers, from_root, edge_essential, &slot_essential);
    debug_assert_eq!(count as usize, graph.node_count());
    // Each node's number, made here rather than during the walk, where a random write per
    // node slowed every step. One longer than the nodes: the semidominator pass reuses it.
    let mut pre = vec![0u32; count as usize + 1];
    for (d, &node) in vertex.iter().enumerate().skip(1) {
        pre[node as usize] = d as u32;
    }
    renumber(&mut retainers.sources, &pre);
    let essential = EssentialRetainers {
        slots: &slot_essential,
        single: single_retainer,
        reached,
    };
    let passes = semidominators_and_dominators(retainers, &vertex, parent, pre, essential);
    // The semidominators' memory becomes the dominator array; the dominators by number
    // become, one slot down, the dominators' positions in the DFS order.
    let mut dominator = passes.semi;
    dominator.truncate(count as usize);
    let mut dominator_at = passes.dom;
    by_node_and_position(&vertex, &mut dominator_at, &mut dominator);
    dominator_at.remove(0);
    let mut dfs_order = vertex;
    dfs_order.remove(0);
    let tree = Dominators {
        dominator: dominator.into(),
        dfs_order: dfs_order.into(),
        extra_roots,
    };
    (tree, into_words(passes.records), dominator_at)
}

/// Fills `dominator` (by node) from `dom` (the dominators by DFS number, entry 0 unused) and
/// makes each entry of `dom` one less: the dominator's position in the DFS order. In parallel
/// chunks: this runs at the main lane's end, when the side lane has usually left a core idle,
/// and its reads and writes go all over memory (39-54 ms instead of 72-85 ms in one loop on
/// the 1.5 GB bench snapshot, five alternated runs).
fn by_node_and_position(vertex: &[u32], dom: &mut [u32], dominator: &mut [u32]) {
    /// Numbers per task: few tasks, each long enough to keep its misses overlapping.
    const CHUNK: usize = 1 << 18;
    /// Where the tasks write the dominators, and how many there are.
    struct Nodes(*mut u32, usize);
    // SAFETY: the tasks write disjoint entries (see below) and nothing reads them meanwhile.
    unsafe impl Sync for Nodes {}
    impl Nodes {
        /// # Safety
        /// No other task writes or reads entry `node` meanwhile.
        unsafe fn set(&self, node: u32, value: u32) {
            assert!((node as usize) < self.1, "a node out of range");
            *self.0.add(node as usize) = value;
        }
    }
    assert_eq!(vertex.len(), dom.len());
    let nodes = Nodes(dominator.as_mut_ptr(), dominator.len());
    dom[1..]
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(task, numbers)| {
            let first = 1 + task * CHUNK;
            for (number, &node) in numbers.iter_mut().zip(&vertex[first..]) {
                // SAFETY: `vertex[1..]` lists each node once (a DFS numbering of all of
                // them), so each task's nodes are its own.
                unsafe { nodes.set(node, vertex[*number as usize]) };
                *number -= 1;
            }
        });
}

/// Reinterprets the records as plain words, keeping their memory.
fn into_words(records: Vec<Vertex>) -> Vec<u64> {
    const _: () =
        assert!(std::mem::size_of::<Vertex>() == 8 && std::mem::align_of::<Vertex>() == 8);
    let mut records = std::mem::ManuallyDrop::new(records);
    // SAFETY: a `Vertex` has the size and alignment of a `u64` (asserted above), so the
    // allocation's layout is the same for both element types, and every bit pattern of its
    // two initialised `u32` fields is a valid `u64`.
    unsafe {
        Vec::from_raw_parts(
            records.as_mut_ptr().cast::<u64>(),
            records.len(),
            records.capacity(),
        )
    }
}

/// What the two passes leave: the dominators by DFS number, their working memory (for reuse)
/// and the number of NCA walk steps.
struct Passes {
    dom: Vec<u32>,
    semi: Vec<u32>,
    records: Vec<Vertex>,
    /// Read by the tests, which bound it.
    #[cfg_attr(not(test), allow(dead_code))]
    steps: usize,
}

/// Turns retainer sources left as DFS numbers by [`compute`] back into node ordinals, in
/// place; `dfs_order` is the tree's. On plain threads, one per core, not rayon's: this runs
/// when something first reads the retainers, maybe from a rayon task, and a rayon worker
/// waiting for its parts could take another task that reads them, and wait on itself.
pub fn sources_to_nodes(sources: &mut [u32], dfs_order: &[u32]) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = sources.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in sources.chunks_mut(per_thread) {
            scope.spawn(move || renumber_part(part, dfs_order, 1));
        }
    });
}

/// Rewrites every value `x` of `values` as `map[x]` (independent lookups, so both cores and the
/// memory system's parallelism apply).
fn renumber(values: &mut [u32], map: &[u32]) {
    values
        .par_chunks_mut(1 << 16)
        .for_each(|chunk| renumber_part(chunk, map, 0));
}

/// Rewrites every value `x` of `values` as `map[x - first]`, fetching ahead.
fn renumber_part(values: &mut [u32], map: &[u32], first: u32) {
    for i in 0..values.len() {
        if let Some(&ahead) = values.get(i + PREFETCH_AHEAD) {
            prefetch(map, ahead.wrapping_sub(first) as usize);
        }
        values[i] = map[(values[i] - first) as usize];
    }
}

/// Which retainers count, for the semidominator pass.
#[derive(Clone, Copy)]
struct EssentialRetainers<'a> {
    /// One bit per retainer slot.
    slots: &'a BitVec,
    /// One bit per node: exactly one essential retainer.
    single: &'a BitVec,
    /// The last number a DFS walk gave.
    reached: u32,
}

/// The semidominator pass and the NCA pass over DFS numbers; `retainers.sources` must hold
/// DFS numbers. `scratch` (one entry per number, any contents) holds the semidominators.
fn semidominators_and_dominators(
    retainers: &Retainers,
    vertex: &[u32],
    parent: Vec<u32>,
    scratch: Vec<u32>,
    essential: EssentialRetainers,
) -> Passes {
    let len = parent.len();
    let count = len as u32 - 1;
    let mut state: Vec<Vertex> = parent
        .iter()
        .enumerate()
        .map(|(d, &p)| Vertex {
            ancestor: p,
            label_semi: d as u32,
        })
        .collect();
    let mut semi = scratch;
    semi[ROOT as usize] = ROOT;
    let mut stack: Vec<u32> = Vec::new();
    let sources = &retainers.sources;
    let first_slot = &retainers.first;
    // Every vertex above this one has its forest path compressed to a vertex at or below it.
    let mut compressed_above = count;

    for w in (2..=count).rev() {
        // The loop is bound by memory latency: fetch what the next vertices will need a few
        // steps ahead (their single-retainer bits and slot ranges, then their slots' bits and
        // sources, then their first sources' records) so misses overlap. Three dependent hops,
        // each fetched half as far ahead as the one it needs. (The bits' fetches took the
        // dominators phase of the 1.5 GB bench snapshot from 1.11-1.14 s to 0.98-1.02 s.)
        if w as usize > SEMI_PREFETCH_SLOTS {
            let w = w as usize;
            let far = vertex[w - SEMI_PREFETCH_SLOTS] as usize;
            prefetch(first_slot, far);
            prefetch(essential.single.words(), far / 64);
            let first = first_slot[vertex[w - SEMI_PREFETCH_SLOTS / 2] as usize] as usize;
            prefetch(sources, first);
            prefetch(essential.slots.words(), first / 64);
            let near = first_slot[vertex[w - SEMI_PREFETCH_SLOTS / 4] as usize] as usize;
            if let Some(&v) = sources.get(near) {
                prefetch(&state, v as usize);
            }
        }
        // A vertex that a DFS walk reached through its only essential retainer has that
        // retainer, its parent, as semidominator: no need to read its retainers.
        if w <= essential.reached && essential.single.get(vertex[w as usize] as usize) {
            let record = &mut state[w as usize];
            record.label_semi = record.ancestor;
            semi[w as usize] = record.ancestor;
            continue;
        }
        let slots = retainers.slots(vertex[w as usize]);
        if slots.len() >= count as usize / HUB_FRACTION && w < compressed_above {
            compress_forest(w, compressed_above, &mut state);
            compressed_above = w;
        }
        let mut orphan = true;
        let mut best = w;
        for slot in slots.clone() {
            if slot + SEMI_PREFETCH_RETAINERS < slots.end {
                prefetch(&state, sources[slot + SEMI_PREFETCH_RETAINERS] as usize);
            }
            if !essential.slots.get(slot) {
                continue;
            }
            orphan = false;
            let v = sources[slot];
            // An unprocessed vertex's semi is its own number.
            let candidate = if v < w {
                v
            } else {
                eval(v, w + 1, &mut state, &mut stack)
            };
            best = best.min(candidate);
        }
        // An orphan's only predecessor is the root.
        let w_semi = if orphan { ROOT } else { best };
        semi[w as usize] = w_semi;
        // Linking w into the forest: its ancestor entry already holds its parent.
        state[w as usize].label_semi = w_semi;
    }
    let (dom, records, steps) = nearest_common_ancestors(parent, &semi, state);
    Passes {
        dom,
        semi,
        records,
        steps,
    }
}

/// The dominators from the semidominators: `dom(w)` is the nearest common ancestor of
/// `parent(w)` and `semi(w)` in the dominator tree, found by walking up from the parent to the
/// first vertex numbered no higher than `semi(w)`. Vertices are taken in increasing order, so
/// every vertex on the walk already has its dominator; the parent array becomes the dominator
/// array in place.
///
/// A bare walk is quadratic on common heap shapes (a long singly linked list whose items an
/// array also holds: every item walks the whole list), so walks are compressed: `skip[y]` is
/// an ancestor of `y` such that every vertex strictly between them is numbered above
/// `bound[y]`, and a walk with limit `semi(w) <= bound[y]` may jump there. After a walk, every
/// vertex on it skips to the answer, bounded by the walk's limit. `scratch` (the semidominator
/// pass's records, no longer needed) holds the skips and is returned with the number of walk
/// steps.
fn nearest_common_ancestors(
    parent: Vec<u32>,
    semi: &[u32],
    mut scratch: Vec<Vertex>,
) -> (Vec<u32>, Vec<Vertex>, usize) {
    let mut dom = parent;
    dom[ROOT as usize] = ROOT;
    let skip = |v: u32| Vertex {
        ancestor: v,
        label_semi: u32::MAX,
    };
    scratch[ROOT as usize] = skip(ROOT);
    let mut walked: Vec<u32> = Vec::new();
    let mut steps = 0;
    for w in 2..dom.len() {
        let limit = semi[w];
        let mut y = dom[w];
        while y > limit {
            walked.push(y);
            let Vertex {
                ancestor: to,
                label_semi: bound,
            } = scratch[y as usize];
            y = if limit <= bound { to } else { dom[y as usize] };
        }
        steps += walked.len();
        for &v in &walked {
            scratch[v as usize] = Vertex {
                ancestor: y,
                label_semi: limit,
            };
        }
        walked.clear();
        dom[w] = y;
        scratch[w] = skip(y);
    }
    (dom, scratch, steps)
}

/// Compresses the forest paths of the linked vertices `w + 1..=top` up to the vertices
/// numbered `w` or below, as [`eval`] would one vertex at a time, in one pass of increasing
/// number: a vertex's ancestor is numbered below it, so when above `w` it is compressed
/// already. Vertices above `top` have their ancestors at `top` or below (an earlier
/// compression), so every linked vertex's path then reaches the unlinked ones within two
/// steps, and evaluating a hub's retainers costs a cache miss each, not a walk.
fn compress_forest(w: u32, top: u32, state: &mut [Vertex]) {
    for v in w + 1..=top {
        let ancestor = state[v as usize].ancestor;
        if ancestor > w {
            let above = state[ancestor as usize];
            let record = &mut state[v as usize];
            record.label_semi = record.label_semi.min(above.label_semi);
            record.ancestor = above.ancestor;
        }
        debug_assert!(state[v as usize].ancestor <= w);
    }
}

/// The root's DFS number.
const ROOT: u32 = 1;

/// `eval` with path compression for vertices numbered `>= first_linked` (the linked ones):
/// the minimal semidominator on `v`'s forest path.
#[inline]
fn eval(v: u32, first_linked: u32, state: &mut [Vertex], stack: &mut Vec<u32>) -> u32 {
    if v < first_linked {
        return state[v as usize].label_semi;
    }
    let mut x = v;
    loop {
        let a = state[x as usize].ancestor;
        if a < first_linked {
            break;
        }
        stack.push(x);
        x = a;
    }
    while let Some(w) = stack.pop() {
        let a = state[state[w as usize].ancestor as usize];
        let record = &mut state[w as usize];
        if a.label_semi < record.label_semi {
            record.label_semi = a.label_semi;
        }
        record.ancestor = a.ancestor;
    }
    state[v as usize].label_semi
}

/// Numbers the nodes reachable from the root as a DFS over the essential edges does, taking
/// the root's edges into the page-owned entries ([`page_owned::is_entry_edge`]) first, then
/// the others in edge order (no retainers needed yet). The first walks reach only page-owned
/// nodes, out of which every edge set in `by_edge` is essential, so they run before page
/// ownership is known: `page_rule` then gets the nodes they reached (the root included) and
/// whether one of those nodes has such an edge to the root, and returns the essential edges
/// for the other walks. Returns the numbering and those edges.
pub fn number_from_root(
    graph: &HeapGraph,
    by_edge: &BitVec,
    page_rule: impl FnOnce(&BitVec, bool) -> BitVec,
) -> (Numbering, BitVec) {
    let n = graph.node_count();
    let mut numbering = Numbering {
        vertex: vec![0; n + 1],
        parent: vec![0; n + 1],
        count: 0,
        reached: 0,
        extra_roots: Vec::new(),
        visited: BitVec::new(0),
    };
    // A bit per node (L3-sized even for 20 M nodes) answers "visited?".
    let mut visited = BitVec::new(n);
    let mut stack = Vec::new();
    let mut into_root = false;
    visited.set(graph.root as usize);
    let root = numbering.visit(graph.root, 0);
    debug_assert_eq!(root, ROOT);
    for e in graph.edges(graph.root) {
        if page_owned::is_entry_edge(graph, e) {
            numbering.walk_edge(graph, e, by_edge, &mut visited, &mut stack, &mut into_root);
        }
    }
    let essential = page_rule(&visited, into_root);
    for e in graph.edges(graph.root) {
        numbering.walk_edge(
            graph,
            e,
            &essential,
            &mut visited,
            &mut stack,
            &mut into_root,
        );
    }
    numbering.visited = visited;
    (numbering, essential)
}

/// Numbers what the root does not reach: from each orphan (no essential retainer), in ordinal
/// order, then the cliques one by one.
fn number_the_rest(
    graph: &HeapGraph,
    retainers: &Retainers,
    mut numbering: Numbering,
    edge_essential: &BitVec,
    slot_essential: &BitVec,
) -> Numbering {
    let n = graph.node_count();
    let mut visited = std::mem::take(&mut numbering.visited);
    let mut stack: Vec<Frame> = Vec::new();
    if (numbering.count as usize) < n {
        for v in 0..n as u32 {
            if !visited.get(v as usize) && !retainers.slots(v).any(|s| slot_essential.get(s)) {
                numbering.extra_roots.push(v);
                numbering.dfs(graph, v, ROOT, edge_essential, &mut visited, &mut stack);
            }
        }
    }
    numbering.reached = numbering.count;
    if (numbering.count as usize) < n {
        for v in 0..n as u32 {
            if !visited.get(v as usize) {
                visited.set(v as usize);
                numbering.extra_roots.push(v);
                numbering.visit(v, 1);
            }
        }
    }
    numbering
}

/// A node on the DFS stack with the edges it has left to examine (kept on the stack so the
/// walk touches no per-node array when it returns to a node).
struct Frame {
    number: u32,
    next_edge: u32,
    end: u32,
}

impl Numbering {
    fn visit(&mut self, node: u32, parent_number: u32) -> u32 {
        self.count += 1;
        self.vertex[self.count as usize] = node;
        self.parent[self.count as usize] = parent_number;
        self.count
    }

    /// Walks from the root's edge `edge` (if essential, to an unvisited node) as a child of the
    /// root; sets `into_root` when the walk meets an essential edge to the root.
    fn walk_edge(
        &mut self,
        graph: &HeapGraph,
        edge: usize,
        edge_essential: &BitVec,
        visited: &mut BitVec,
        stack: &mut Vec<Frame>,
        into_root: &mut bool,
    ) {
        let to = graph.edge_to[edge];
        if edge_essential.get(edge) && !visited.get(to as usize) {
            *into_root |= self.dfs(graph, to, ROOT, edge_essential, visited, stack);
        }
    }

    /// Iterative DFS over essential edges in edge order; a node returns to its parent once it
    /// has no unvisited essential successor left (DevTools' order within the walk). Returns
    /// whether it met an essential edge to the root.
    fn dfs(
        &mut self,
        graph: &HeapGraph,
        start: u32,
        parent_number: u32,
        edge_essential: &BitVec,
        visited: &mut BitVec,
        stack: &mut Vec<Frame>,
    ) -> bool {
        let mut into_root = false;
        let frame = |number: u32, node: u32| {
            let (next_edge, end) = (
                graph.first_edge[node as usize],
                graph.first_edge[node as usize + 1],
            );
            // The walk will soon need the edge ranges of this node's targets.
            for e in next_edge..end.min(next_edge + DFS_PREFETCH_EDGES) {
                prefetch(&graph.first_edge, graph.edge_to[e as usize] as usize);
            }
            Frame {
                number,
                next_edge,
                end,
            }
        };
        visited.set(start as usize);
        let number = self.visit(start, parent_number);
        stack.push(frame(number, start));
        while let Some(top) = stack.last_mut() {
            let mut child = None;
            while top.next_edge < top.end {
                let e = top.next_edge as usize;
                top.next_edge += 1;
                if edge_essential.get(e) {
                    let to = graph.edge_to[e];
                    if !visited.get(to as usize) {
                        child = Some(to);
                        break;
                    }
                    into_root |= to == graph.root;
                }
            }
            match child {
                Some(w) => {
                    let parent = top.number;
                    // The next siblings' edge ranges were fetched when this node was entered
                    // and have likely arrived: fetch their first edges now, so coming back here
                    // after `w`'s subtree (usually small) does not wait for them.
                    let next = top.next_edge as usize;
                    for e in next..(next + DFS_SIBLING_PREFETCH).min(top.end as usize) {
                        let first = graph.first_edge[graph.edge_to[e] as usize] as usize;
                        prefetch(&graph.edge_to, first);
                        prefetch(edge_essential.words(), first / 64);
                    }
                    visited.set(w as usize);
                    let number = self.visit(w, parent);
                    stack.push(frame(number, w));
                }
                None => {
                    stack.pop();
                }
            }
        }
        into_root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph over nodes `0..n` (root 0) as edge lists in edge order.
    type Graph = Vec<Vec<u32>>;

    /// Numbers `graph` by DFS from node 0 and runs both passes; returns the dominator per node
    /// (the root's is itself) and the number of NCA walk steps. Every node must be reachable.
    fn dominators_of(graph: &Graph) -> (Vec<u32>, usize) {
        let n = graph.len();
        let (mut vertex, mut pre, mut parent) =
            (vec![0u32; n + 1], vec![0u32; n], vec![0u32; n + 1]);
        let mut count = 0u32;
        let mut stack: Vec<(u32, usize)> = Vec::new();
        let mut visit = |node: u32, from: u32, pre: &mut Vec<u32>| {
            count += 1;
            vertex[count as usize] = node;
            pre[node as usize] = count;
            parent[count as usize] = from;
        };
        visit(0, 0, &mut pre);
        stack.push((0, 0));
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            match graph[node as usize][*next..]
                .iter()
                .position(|&t| pre[t as usize] == 0 && t != 0)
            {
                Some(offset) => {
                    let child = graph[node as usize][*next + offset];
                    *next += offset + 1;
                    let from = pre[node as usize];
                    visit(child, from, &mut pre);
                    stack.push((child, 0));
                }
                None => {
                    stack.pop();
                }
            }
        }
        assert_eq!(count as usize, n, "every node is reachable");
        let mut first_edge = vec![0u32];
        let mut edge_to = Vec::new();
        for targets in graph {
            edge_to.extend(targets);
            first_edge.push(edge_to.len() as u32);
        }
        let (mut retainers, _) = Retainers::build(&first_edge, &edge_to, None);
        for source in &mut retainers.sources {
            *source = pre[*source as usize];
        }
        let mut slots = BitVec::new(edge_to.len());
        for slot in 0..edge_to.len() {
            slots.set(slot);
        }
        let mut single = BitVec::new(n);
        for node in 0..n as u32 {
            if retainers.slots(node).len() == 1 {
                single.set(node as usize);
            }
        }
        let essential = EssentialRetainers {
            slots: &slots,
            single: &single,
            reached: count,
        };
        let Passes { dom, steps, .. } =
            semidominators_and_dominators(&retainers, &vertex, parent, vec![0; n + 1], essential);
        let mut by_node = vec![0u32; n];
        for d in 1..=n {
            by_node[vertex[d] as usize] = vertex[dom[d] as usize];
        }
        (by_node, steps)
    }

    /// Dominators by definition: `d` dominates `v` when `v` is unreachable without `d`; the
    /// immediate one is the strict dominator with the most dominators of its own.
    fn brute_force(graph: &Graph) -> Vec<u32> {
        let n = graph.len();
        let reachable_without = |cut: usize| {
            let mut seen = vec![false; n];
            let mut queue = vec![0usize];
            seen[0] = true;
            while let Some(v) = queue.pop() {
                for &t in &graph[v] {
                    let t = t as usize;
                    if t != cut && !seen[t] {
                        seen[t] = true;
                        queue.push(t);
                    }
                }
            }
            seen
        };
        let mut dominators: Vec<Vec<usize>> = vec![vec![0]; n];
        for cut in 1..n {
            let seen = reachable_without(cut);
            for v in 0..n {
                if !seen[v] && v != cut {
                    dominators[v].push(cut);
                }
            }
        }
        (0..n)
            .map(|v| {
                if v == 0 {
                    return 0;
                }
                *dominators[v]
                    .iter()
                    .max_by_key(|&&d| dominators[d].len())
                    .unwrap() as u32
            })
            .collect()
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }
    }

    #[test]
    fn random_graphs_match_the_definition() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..400 {
            let n = 2 + rng.below(40);
            let mut graph: Graph = vec![Vec::new(); n];
            // A spanning tree keeps everything reachable; deep chains in half the rounds.
            for v in 1..n {
                let from = if round % 2 == 0 { v - 1 } else { rng.below(v) };
                graph[from].push(v as u32);
            }
            for _ in 0..rng.below(3 * n) {
                let (from, to) = (rng.below(n), rng.below(n));
                let at = rng.below(graph[from].len() + 1);
                graph[from].insert(at, to as u32);
            }
            assert_eq!(
                dominators_of(&graph).0,
                brute_force(&graph),
                "round {round}: {graph:?}"
            );
        }
    }

    #[test]
    fn a_long_list_whose_items_an_array_also_holds_walks_in_linear_steps() {
        // root -> list head -> ... -> tail (each list node -> its item), then root -> array
        // -> every item. Without compression each item walks back up the whole list.
        let items = 20_000;
        let list = |i: usize| 1 + i as u32;
        let item = |i: usize| 1 + items as u32 + i as u32;
        let array = 1 + 2 * items as u32;
        let mut graph: Graph = vec![Vec::new(); 2 + 2 * items];
        graph[0] = vec![list(0), array];
        for i in 0..items {
            graph[list(i) as usize].push(item(i));
            if i + 1 < items {
                graph[list(i) as usize].push(list(i + 1));
            }
            graph[array as usize].push(item(i));
        }
        let (dominator, steps) = dominators_of(&graph);
        assert!((0..items).all(|i| dominator[item(i) as usize] == 0));
        assert!((1..items).all(|i| dominator[list(i) as usize] == list(i - 1)));
        assert!(
            steps < 4 * graph.len(),
            "{steps} walk steps for {} nodes",
            graph.len()
        );
    }
}
