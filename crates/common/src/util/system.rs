//! Facts about the machine that tuning depends on, read once from the operating system.

use std::sync::OnceLock;

/// The size of a memory page, from `sysconf(_SC_PAGESIZE)`: 4 KiB on x86-64, but 16 KiB or
/// 64 KiB on some ARM machines, where `madvise` on ranges aligned to 4 KiB fails.
pub fn page_size() -> usize {
    /// Used only if the system does not say (it always does on Linux).
    const FALLBACK_PAGE_SIZE: usize = 4096;
    static PAGE_SIZE: OnceLock<usize> = OnceLock::new();
    *PAGE_SIZE.get_or_init(|| {
        // SAFETY: sysconf has no preconditions; it returns -1 for unknown names.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(size)
            .ok()
            .filter(|s| s.is_power_of_two())
            .unwrap_or(FALLBACK_PAGE_SIZE)
    })
}

/// Makes the allocator give large freed blocks back to the kernel at once. glibc raises its
/// mmap threshold each time a mapped block is freed (up to 32 MiB), after which the analysis's
/// transient arrays of a few MiB stay in its heaps when freed and add up in the peak: 60 MiB
/// (4.6 %) for two 500 MB snapshots loaded together, for 0.1 s more system time. Call once,
/// before the first large allocation. A no-op elsewhere.
pub fn return_large_blocks_at_once() {
    /// Blocks from 1 MiB up are mapped and unmapped on their own: the analysis's arrays (MiB to
    /// GiB) are few, so their mappings cost little; glibc starts at 128 KiB and grows from there.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    const MMAP_THRESHOLD: libc::c_int = 1 << 20;
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt has no preconditions; an unknown or rejected setting returns 0.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Gives memory the allocator holds but no longer uses back to the kernel. glibc keeps freed
/// blocks below its mmap threshold (which grows up to 32 MiB) in its heaps, so the transient
/// arrays of a finished phase keep counting in RSS while the TUI sits on a loaded snapshot for
/// hours; `malloc_trim` returns them. A no-op elsewhere (musl unmaps large blocks itself).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions; it only gives free pages back.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Faults in the whole pages of the `count` items from `start` ready for writing, in one system
/// call (`MADV_POPULATE_WRITE`, Linux 5.14) instead of a page fault at each page's first write.
/// On the project's VM (a 2-vCPU Firecracker guest), where every fresh page costs a trap, the
/// parse's columns of the 1.5 GB bench snapshot filled 0.05 s sooner this way. The contents
/// never change (a page already there stays as it is, a new one is zeros), so any range may be
/// passed: it is a hint, and failures (an older kernel, memory that is not the caller's) are
/// ignored. A no-op elsewhere.
pub fn populate_for_writing<T>(start: *const T, count: usize) {
    #[cfg(target_os = "linux")]
    {
        /// `MADV_POPULATE_WRITE` (older libc crates may lack the name).
        const MADV_POPULATE_WRITE: libc::c_int = 23;
        let page = page_size();
        let begin = start as usize;
        let end = begin.saturating_add(count.saturating_mul(std::mem::size_of::<T>()));
        let (from, to) = (begin.next_multiple_of(page), end / page * page);
        if to > from {
            // SAFETY: populating never changes memory contents; on a range that is not
            // writable memory of this process the call fails, which is ignored.
            unsafe {
                libc::madvise(from as *mut libc::c_void, to - from, MADV_POPULATE_WRITE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (start, count);
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_size_is_a_power_of_two_of_at_least_4_kib() {
        let size = super::page_size();
        assert!(size.is_power_of_two() && size >= 4096, "{size}");
    }
}
