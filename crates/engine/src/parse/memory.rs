//! A memory estimate made from the header's counts before anything big is allocated, so a
//! snapshot too large for the machine is refused with figures instead of being killed halfway.

use heaptui_common::error::{Error, Result};

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

/// Fails when the estimate exceeds the available memory. `held` is the input already read
/// into memory (a stream, a gzipped file, a file on a network mount): the kernel counts it as
/// used, and it stays until the parse ends, so what is still available must cover the estimate.
pub fn check(node_count: usize, edge_count: usize, held: u64) -> Result<()> {
    let needed = estimate(node_count, edge_count);
    let beside = if held > 0 {
        format!(" besides the {} of input held in memory", gb(held))
    } else {
        String::new()
    };
    match available() {
        Some(free) if needed > free => Err(Error::out_of_memory(format!(
            "analysing {node_count} nodes and {edge_count} edges needs about {} of memory but only {} is available{beside} \
             (pass --no-memory-check to try anyway)",
            gb(needed),
            gb(free)
        ))),
        _ => Ok(()),
    }
}

/// Memory left available while an input is read into memory: a read that would go below it
/// stops with an error instead of letting the kernel kill heaptui (or another process). Room
/// for the smallest analyses after the read.
const READ_RESERVE: u64 = 512 << 20;

/// Fails when holding `more` bytes of input besides the `held` ones already read would leave
/// less than [`READ_RESERVE`] available (the held bytes already count as used).
pub fn check_holding(held: u64, more: u64) -> Result<()> {
    match available() {
        Some(free) if free < more.saturating_add(READ_RESERVE) => {
            Err(Error::out_of_memory(format!(
                "holding the input in memory would exhaust it: {} to hold and only {} available \
             (pass --no-memory-check to try anyway)",
                gb(held + more),
                gb(free)
            )))
        }
        _ => Ok(()),
    }
}

fn gb(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

#[cfg(test)]
mod tests {
    #[test]
    fn estimate_scales_with_counts() {
        assert_eq!(super::estimate(0, 0), 0);
        let big = super::estimate(20_000_000, 60_000_000);
        assert!(big > 2_000_000_000 && big < 3_000_000_000, "{big}");
    }

    #[test]
    fn holding_more_than_is_available_is_refused() {
        let Some(free) = super::available() else {
            return; // no /proc/meminfo: nothing to check against
        };
        let e = super::check_holding(1 << 30, free).unwrap_err();
        assert!(e.to_string().contains("holding the input in memory"), "{e}");
        assert_eq!(e.kind(), heaptui_common::error::ErrorKind::OutOfMemory);
        if free > 2 * super::READ_RESERVE {
            assert!(super::check_holding(0, 0).is_ok());
        }
    }
}
