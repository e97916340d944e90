//! Are two snapshots from the same V8 isolate? Object ids are only comparable within one
//! isolate; after a restart they are unrelated yet overlap numerically (ids restart from 1 and
//! Node's start-up heap is deterministic), so an id-matched Comparison of two processes looks
//! plausible and is wrong.
//!
//! The test: within one isolate an id always names the same object, so every id present in
//! both snapshots keeps its node type and name (measured: 100 % on same-process pairs). Across
//! processes the deterministic start-up objects agree but later allocations do not (measured:
//! 4–88 % per id range, 67 % overall on two runs of the demo app). A sample of ids — the same
//! ids in both, chosen by value — decides; process ids in the file names (`Heap.…​.PID.…`,
//! `Type.Heap.…​.PID.heapsnapshot`) override when both names carry one.
//!
//! Some producers do not keep ids even within one process: Bun's V8-format snapshots
//! (`Bun.generateHeapSnapshot("v8")`, JavaScriptCore's heap written in V8's format) number
//! the objects of each snapshot anew, continuing after the previous snapshot's last id, so two
//! snapshots of one Bun process share no id but the root's and the GC roots'. V8 never does
//! that: its start-up objects keep their ids for the life of the isolate, and another process
//! reuses the same small ids. So when (almost) none of the sampled ids is in both snapshots,
//! the ids are *renumbered* and say nothing, whatever the file names say: the pair is matched
//! by class, like a pair of processes (measured on the fixtures: Bun 1 of 223 sampled ids in
//! both; V8 pairs of one process, of two processes, even Node against Chromium, 81–100 %).

use crate::graph::HeapGraph;
use std::path::Path;

/// How a Comparison matches objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchBy {
    /// By object id (same isolate): new and deleted objects per class.
    Id,
    /// By class aggregates only (different processes): counts and sizes per class.
    Class,
}

/// Why a pair was judged the way it was, for the status line and `--json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The matching to use.
    pub match_by: MatchBy,
    /// Sampled ids present in both snapshots.
    pub shared_ids: usize,
    /// Of those, the fraction that kept their type and name.
    pub same_fraction: f64,
    /// Process ids read from the file names, if both had one.
    pub pids: Option<(u32, u32)>,
    /// Ids sampled in the snapshot with fewer of them (what `shared_ids` is out of).
    pub sampled: usize,
    /// True when the snapshots share (almost) no id: the producer numbered each snapshot's
    /// objects anew (Bun does, even within one process), so ids cannot match objects.
    pub renumbered: bool,
}

/// Below this fraction of unchanged shared ids, the snapshots come from different isolates.
const SAME_ISOLATE_MIN: f64 = 0.95;
/// Ids sampled: those whose value is a multiple of this (after dropping the parity bit).
const SAMPLE_EVERY: u32 = 16;
/// Below this fraction of the smaller sample found in both snapshots, ids were renumbered
/// (Bun: under 1 %; V8, one process or two: over 80 %, its start-up objects alone make more).
const RENUMBERED_SHARED_MAX: f64 = 0.05;
/// Samples smaller than this (tiny hand-made snapshots) are too few to call ids renumbered.
const RENUMBERED_MIN_SAMPLE: usize = 32;

/// Decides how to match `base` and `after`.
pub fn judge(base: &HeapGraph, base_path: &Path, after: &HeapGraph, after_path: &Path) -> Verdict {
    let sample = |g: &HeapGraph| {
        let mut ids: Vec<(u32, u32)> = (0..g.node_count() as u32)
            .filter(|&n| (g.node_id[n as usize] >> 1).is_multiple_of(SAMPLE_EVERY))
            .map(|n| (g.node_id[n as usize], n))
            .collect();
        ids.sort_unstable();
        ids
    };
    let (a, b) = (sample(base), sample(after));
    let (mut i, mut j, mut shared, mut same) = (0, 0, 0usize, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                let (x, y) = (a[i].1, b[j].1);
                if base.type_name(x) == after.type_name(y) && base.raw_name(x) == after.raw_name(y)
                {
                    same += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    let same_fraction = if shared == 0 {
        0.0
    } else {
        same as f64 / shared as f64
    };
    let pids = pid_of(base_path).zip(pid_of(after_path));
    let sampled = a.len().min(b.len());
    let renumbered = sampled >= RENUMBERED_MIN_SAMPLE
        && (shared as f64) < RENUMBERED_SHARED_MAX * sampled as f64;
    let different = renumbered
        || match pids {
            Some((p, q)) => p != q,
            None => same_fraction < SAME_ISOLATE_MIN,
        };
    Verdict {
        match_by: if different {
            MatchBy::Class
        } else {
            MatchBy::Id
        },
        shared_ids: shared,
        same_fraction,
        pids,
        sampled,
        renumbered,
    }
}

/// The process id in a diagnostic-report style name: Node's `Heap.YYYYMMDD.HHMMSS.PID.TID.SEQ`
/// or `Type.Heap.YYYYMMDD.HHMMSS.PID`.
pub fn pid_of(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let parts: Vec<&str> = name.split('.').collect();
    let at = parts.iter().position(|p| *p == "Heap")?;
    let (date, time, pid) = (parts.get(at + 1)?, parts.get(at + 2)?, parts.get(at + 3)?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (digits(date, 8) && digits(time, 6))
        .then(|| pid.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::{pid_of, MatchBy};
    use crate::Snapshot;
    use std::path::Path;

    /// A snapshot of a root holding `count` objects, the first with id `first_id` (ids go up by
    /// 2, as V8 numbers heap objects).
    fn objects(first_id: u32, count: u32) -> Snapshot {
        let mut nodes = vec![0, 0, 1, 0, count];
        let mut edges = Vec::new();
        for k in 0..count {
            nodes.extend([1, 1, first_id + 2 * k, 16, 0]);
            edges.extend([0, k, 5 * (k + 1)]);
        }
        let json = format!(
            r#"{{"snapshot":{{"meta":{{"node_fields":["type","name","id","self_size","edge_count"],
            "node_types":[["synthetic","object"],"string","number","number","number"],
            "edge_fields":["type","name_or_index","to_node"],
            "edge_types":[["element"],"string_or_number","node"]}},
            "node_count":{},"edge_count":{count}}},"nodes":{nodes:?},"edges":{edges:?},
            "strings":["","Thing"]}}"#,
            count + 1
        );
        Snapshot::from_bytes(Path::new("t.heapsnapshot"), json.into_bytes()).unwrap()
    }

    #[test]
    fn ids_numbered_anew_make_a_pair_of_one_process_comparable_by_class_only() {
        // Bun continues after the previous snapshot's last id: no id in common.
        let (base, renumbered) = (objects(3, 2000), objects(4003, 2100));
        let v = base.judge_pair(&renumbered);
        assert!(v.renumbered, "{v:?}");
        assert_eq!(v.match_by, MatchBy::Class);
        // V8 keeps them: the same objects, and new ones after.
        let v = base.judge_pair(&objects(3, 2100));
        assert!(!v.renumbered, "{v:?}");
        assert_eq!(v.match_by, MatchBy::Id);
        // Too few objects to tell.
        assert!(!objects(3, 40).judge_pair(&objects(4003, 40)).renumbered);
    }

    #[test]
    fn reads_pids_from_diagnostic_names() {
        assert_eq!(
            pid_of(Path::new("/d/Heap.20261124.101500.4242.0.001.heapsnapshot")),
            Some(4242)
        );
        assert_eq!(
            pid_of(Path::new(
                "Baseline.Heap.20261124.101500.77.heapsnapshot.gz"
            )),
            Some(77)
        );
        assert_eq!(pid_of(Path::new("after.heapsnapshot")), None);
        assert_eq!(pid_of(Path::new("Heap.2026.1.2.heapsnapshot")), None);
    }
}
