//! A memory estimate made from the header's counts before anything big is allocated, so a
//! snapshot too large for the machine is refused with figures instead of being killed halfway.

use crate::error::{Error, Result};

/// Peak bytes per node and per edge of a load, measured on the 1.5 GB benchmark snapshot
/// (19.5 M nodes, 63 M edges, 2.0 GB peak), rounded up.
const BYTES_PER_NODE: u64 = 64;
const BYTES_PER_EDGE: u64 = 14;

/// Estimated peak memory of loading a snapshot with these counts.
pub fn estimate(node_count: usize, edge_count: usize) -> u64 {
    node_count as u64 * BYTES_PER_NODE + edge_count as u64 * BYTES_PER_EDGE
}

/// Memory the kernel says is available (`MemAvailable`), if it says.
pub fn available() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Fails when the estimate exceeds the available memory.
pub fn check(node_count: usize, edge_count: usize) -> Result<()> {
    let needed = estimate(node_count, edge_count);
    match available() {
        Some(free) if needed > free => Err(Error::malformed(format!(
            "analysing {node_count} nodes and {edge_count} edges needs about {:.1} GB of memory but only {:.1} GB is available \\
             (pass --no-memory-check to try anyway)",
            needed as f64 / 1e9,
            free as f64 / 1e9
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn estimate_scales_with_counts() {
        assert_eq!(super::estimate(0, 0), 0);
        let big = super::estimate(20_000_000, 60_000_000);
        assert!(big > 2_000_000_000 && big < 3_000_000_000, "{big}");
    }
}
