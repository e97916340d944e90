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
}

/// Below this fraction of unchanged shared ids, the snapshots come from different isolates.
const SAME_ISOLATE_MIN: f64 = 0.95;
/// Ids sampled: those whose value is a multiple of this (after dropping the parity bit).
const SAMPLE_EVERY: u32 = 16;

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
    let different = match pids {
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
    use super::pid_of;
    use std::path::Path;

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
