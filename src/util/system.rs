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

#[cfg(test)]
mod tests {
    #[test]
    fn page_size_is_a_power_of_two_of_at_least_4_kib() {
        let size = super::page_size();
        assert!(size.is_power_of_two() && size >= 4096, "{size}");
    }
}
