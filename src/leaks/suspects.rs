//! Leak suspects: classes ranked by sustained growth and by the memory their *new* objects
//! hold, each with the retaining path most of its new objects share.
//!
//! - New objects are those of the last snapshot allocated after the first (id above the first
//!   snapshot's largest JS object id); snapshots of different processes have unrelated ids, so
//!   there every object counts as new.
//! - A class's held memory is the retained size of its new objects that are not dominated by
//!   another new object of a non-internal class: the roots of what was allocated and kept, so a
//!   leaked request counts once and not again through its headers, strings and arrays. New
//!   internal objects (a `Map`'s regrown hash table, say) may dominate everything a collection
//!   holds and must not hide it.
//! - V8-internal classes (`(compiled code)`, `(string)`, `system / …`) are symptoms of what
//!   holds them and are not ranked; `system / Context` is ranked (closures' contexts).
//! - Ranking: grew in every interval, then more growing intervals, then held memory, then
//!   count growth.
//! - The dominant path: the retaining path (first retainer, as the Retainers pane orders them,
//!   up to the GC roots) of up to 200 new objects, grouped by their (edge, class) chain; the
//!   most common chain and the share of objects it covers.

use super::patterns::{self, Pattern, Step};
use super::trend::TrendRow;
use crate::snapshot::{MatchBy, Snapshot};
use std::collections::HashMap;

/// One ranked suspect.
#[derive(Debug, Clone)]
pub struct Suspect {
    /// The class across the series.
    pub trend: TrendRow,
    /// New objects of the class in the last snapshot.
    pub new_objects: usize,
    /// Retained size of its new objects not dominated by other new objects.
    pub held_size: u64,
    /// The most common retaining path of its new objects, from the object towards the root.
    pub path: Vec<Step>,
    /// The share of sampled new objects on that path.
    pub path_share: f64,
    /// A known leak pattern it matches.
    pub pattern: Option<Pattern>,
}

/// New objects of a class whose retaining paths are followed: evenly spread, enough for the
/// shares of a few paths to be read to a percent, few enough that a class of millions of
/// new objects costs milliseconds.
const PATH_SAMPLE: usize = 200;
/// Retainer hops followed on one path before giving up: above any real heap's depth (linked
/// lists of timers reach a few thousand), a bound for cycles the retainer order never leaves.
const MAX_HOPS: usize = 5000;

/// True for V8-internal classes that only follow what holds them.
fn is_internal(name: &str) -> bool {
    (name.starts_with('(') && name.ends_with(')'))
        || (name.starts_with("system / ") && name != "system / Context")
}

/// Ranks the top suspects of a series of snapshots (oldest first; two or more), whose
/// per-class `trend` comes from the same snapshots. Returns how the first and the last were
/// matched (new objects are those allocated after the first only when ids are comparable)
/// with the suspects.
pub fn of_series(
    snapshots: &[Snapshot],
    trend: &[TrendRow],
    top: usize,
) -> (MatchBy, Vec<Suspect>) {
    let (first, last) = (&snapshots[0], &snapshots[snapshots.len() - 1]);
    let match_by = first.judge_pair(last).match_by;
    let suspects = rank(first, last, trend, match_by == MatchBy::Id, top);
    (match_by, suspects)
}

/// Ranks the suspects of a series: `trend` comes from the snapshots from `first` to `last`
/// (in order); `same_process` says whether ids are comparable between the first and the last.
fn rank(
    first: &Snapshot,
    last: &Snapshot,
    trend: &[TrendRow],
    same_process: bool,
    top: usize,
) -> Vec<Suspect> {
    let cutoff = if same_process {
        first.max_js_object_id()
    } else {
        0
    };
    let is_new = |node: u32| last.node_id(node) > cutoff;
    let under_new = last.dominated_by(&|node| is_new(node) && !is_internal(last.class_name(node)));
    // New objects per class of the last snapshot (by public key).
    let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
    for row in last.summary() {
        let new_nodes = row.nodes.iter().copied().filter(|&n| is_new(n)).collect();
        by_key.insert(row.key(), new_nodes);
    }
    let mut candidates: Vec<(usize, Vec<u32>, u64)> = trend
        .iter()
        .enumerate()
        .filter(|(_, t)| t.count_delta() > 0 && !is_internal(&t.name))
        .map(|(i, t)| {
            let key = match t.location {
                Some(l) => format!("{},{},{},{}", l.script_id, l.line, l.column, t.name),
                None => format!(",{}", t.name),
            };
            let nodes = by_key.remove(&key).unwrap_or_default();
            let held = nodes
                .iter()
                .filter(|&&n| !under_new[n as usize])
                .map(|&n| last.retained_size(n))
                .sum();
            (i, nodes, held)
        })
        .filter(|(_, nodes, _)| !nodes.is_empty())
        .collect();
    candidates.sort_by(|a, b| {
        let (ta, tb) = (&trend[a.0], &trend[b.0]);
        tb.grew_every_interval()
            .cmp(&ta.grew_every_interval())
            .then(tb.growing_intervals().cmp(&ta.growing_intervals()))
            .then(b.2.cmp(&a.2))
            .then(tb.count_delta().cmp(&ta.count_delta()))
            .then_with(|| crate::util::js::cmp_utf16(&ta.name, &tb.name))
    });
    candidates
        .into_iter()
        .take(top)
        .map(|(i, nodes, held)| {
            let (path, path_share) = dominant_path(last, &nodes);
            let pattern = patterns::recognise(&trend[i].name, &path);
            Suspect {
                trend: trend[i].clone(),
                new_objects: nodes.len(),
                held_size: held,
                path,
                path_share,
                pattern,
            }
        })
        .collect()
}

/// The retaining path of one object: its first retainer (in the Retainers pane's order)
/// repeatedly, until the GC roots, a cycle or `MAX_HOPS` hops. Runs of the same step (a linked
/// list's `_idleNext` chain) are kept once, so long lists still show where they hang.
pub fn path_of(snapshot: &Snapshot, node: u32) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut seen = std::collections::HashSet::from([node]);
    let mut current = node;
    for _ in 0..MAX_HOPS {
        let Some(first) = snapshot.retainers(current).into_iter().next() else {
            break;
        };
        if !seen.insert(first.node) {
            break;
        }
        let step = Step {
            edge_name: snapshot.edge_name(first.edge),
            class_name: snapshot.class_name(first.node).to_string(),
        };
        if steps.last() != Some(&step) {
            steps.push(step);
        }
        if !first.leads_on() {
            break;
        }
        current = first.node;
    }
    steps
}

/// The most common retaining path among (up to `PATH_SAMPLE` evenly spread) `nodes`, with the
/// share of sampled nodes it covers. Paths are grouped by their shape: element indexes are
/// folded (`[0]`, `[1]` → `[]`) and repeated steps (a linked list's `_idleNext` chain) count
/// once, so the members of one collection group together. Ties go to the shorter path, then
/// to the first in text order, so the answer does not depend on hashing.
pub fn dominant_path(snapshot: &Snapshot, nodes: &[u32]) -> (Vec<Step>, f64) {
    if nodes.is_empty() {
        return (Vec::new(), 0.0);
    }
    let stride = nodes.len().div_ceil(PATH_SAMPLE);
    let sample: Vec<u32> = nodes.iter().step_by(stride.max(1)).copied().collect();
    let mut groups: HashMap<Vec<Step>, (usize, Vec<Step>)> = HashMap::new();
    for &node in &sample {
        let path = path_of(snapshot, node);
        groups.entry(shape(&path)).or_insert_with(|| (0, path)).0 += 1;
    }
    // (shape, (objects on it, the first full path seen with that shape))
    let mut ranked: Vec<_> = groups.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1 .0
            .cmp(&a.1 .0)
            .then(a.0.len().cmp(&b.0.len()))
            .then_with(|| a.0.cmp(&b.0))
    });
    let (_, (count, path)) = ranked.swap_remove(0);
    (path, count as f64 / sample.len() as f64)
}

/// A path's shape: numeric edge names folded, runs of the same step collapsed.
fn shape(path: &[Step]) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(path.len());
    for s in path {
        let edge_name = if s.edge_name.bytes().all(|b| b.is_ascii_digit()) {
            "[]".to_string()
        } else {
            s.edge_name.clone()
        };
        let step = Step {
            edge_name,
            class_name: s.class_name.clone(),
        };
        if out.last() != Some(&step) {
            out.push(step);
        }
    }
    out
}
