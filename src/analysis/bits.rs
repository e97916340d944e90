//! Memory helpers for the graph passes: a plain bit vector (one bit per node, edge or retainer
//! slot keeps "visited"-style tables small enough to stay in cache) and a prefetch hint.

/// Fixed-size bit vector.
#[derive(Debug, Clone, Default)]
pub struct BitVec {
    words: Vec<u64>,
}

impl BitVec {
    /// `len` bits, all clear.
    pub fn new(len: usize) -> Self {
        BitVec {
            words: vec![0; len.div_ceil(64)],
        }
    }

    /// Sets bit `i`.
    #[inline]
    pub fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// Clears bit `i`.
    #[inline]
    pub fn clear(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
    }

    /// Reads bit `i`.
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// The words, for filling in parallel by 64-bit blocks.
    pub fn words_mut(&mut self) -> &mut [u64] {
        &mut self.words
    }
}

/// Hints the CPU to load `slice[index]` into cache. The graph passes are bound by memory
/// latency; fetching what a queue or list will need a few steps ahead overlaps the misses. No
/// effect off x86-64; an out-of-range index is harmless because a prefetch never faults.
#[inline(always)]
pub fn prefetch<T>(slice: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing architecturally and cannot fault.
    unsafe {
        std::arch::x86_64::_mm_prefetch(
            slice.as_ptr().wrapping_add(index) as *const i8,
            std::arch::x86_64::_MM_HINT_T0,
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, index);
}
