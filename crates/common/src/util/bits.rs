//! Memory helpers for the graph passes: a plain bit vector (one bit per node, edge or retainer
//! slot keeps "visited"-style tables small enough to stay in cache) and a prefetch hint.

/// How many iterations ahead a memory-bound loop over nodes in random order fetches what it
/// will read: a cache miss (about 100 ns here) resolves while that many iterations run, and the
/// line is still cached when they are done. Measured on the bench snapshots; loops whose
/// lookups chain (an index first, then what it points at) fetch the second hop at
/// [`PREFETCH_NEAR`], once the index is likely in cache.
pub const PREFETCH_AHEAD: usize = 16;

/// [`PREFETCH_AHEAD`] for loops that stream edges in order and read at their targets: an edge
/// costs a few ns, far less than a node of a graph walk, so hiding a miss (more than 100 ns
/// while the other core streams too) takes more iterations.
pub const EDGE_PREFETCH_AHEAD: usize = 64;

/// [`PREFETCH_AHEAD`] for the sums over the dominator tree (retained sizes, class retained
/// sizes): a node there costs a few loads and an add, so hiding its misses takes more nodes
/// (on the 1.5 GB bench snapshot under load, 32 took 10-20 % less CPU than 16 in two sampled
/// runs and was within noise in a third; 64 did no better).
pub const SUM_PREFETCH_AHEAD: usize = 32;

/// The second, dependent hop of [`SUM_PREFETCH_AHEAD`] (a node's dominator).
pub const SUM_PREFETCH_NEAR: usize = SUM_PREFETCH_AHEAD / 2;

/// The prefetch distance of a second, dependent hop (see [`PREFETCH_AHEAD`]).
pub const PREFETCH_NEAR: usize = PREFETCH_AHEAD / 2;

/// Fixed-size bit vector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BitVec {
    words: Vec<u64>,
}

impl BitVec {
    /// The bits as 64-bit words, bit `i` in word `i / 64` (for the index).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// A bit vector from its [`BitVec::words`].
    pub fn from_words(words: Vec<u64>) -> Self {
        BitVec { words }
    }

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

    /// How many bits of `range` are set (a word at a time).
    #[inline]
    pub fn count_ones(&self, range: std::ops::Range<usize>) -> u32 {
        if range.is_empty() {
            return 0;
        }
        let (first, last) = (range.start / 64, (range.end - 1) / 64);
        let from_start = u64::MAX << (range.start % 64);
        let to_end = u64::MAX >> (63 - (range.end - 1) % 64);
        if first == last {
            return (self.words[first] & from_start & to_end).count_ones();
        }
        let middle: u32 = self.words[first + 1..last]
            .iter()
            .map(|w| w.count_ones())
            .sum();
        (self.words[first] & from_start).count_ones()
            + middle
            + (self.words[last] & to_end).count_ones()
    }

    /// The words, for filling in parallel by 64-bit blocks.
    pub fn words_mut(&mut self) -> &mut [u64] {
        &mut self.words
    }

    /// The clear bits below `len`, in order (a word of set bits costs one test).
    pub fn clear_bits(&self, len: usize) -> impl Iterator<Item = usize> + '_ {
        self.bits_equal_to(false, len)
    }

    /// The set bits below `len`, in order (a word of clear bits costs one test).
    pub fn set_bits(&self, len: usize) -> impl Iterator<Item = usize> + '_ {
        self.bits_equal_to(true, len)
    }

    fn bits_equal_to(&self, value: bool, len: usize) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(move |(i, &word)| {
            let mut matching = if value { word } else { !word };
            std::iter::from_fn(move || {
                let bit = matching.trailing_zeros() as usize;
                matching &= matching.wrapping_sub(1);
                (bit < 64).then_some(i * 64 + bit)
            })
            .take_while(move |&at| at < len)
        })
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

#[cfg(test)]
mod tests {
    use super::BitVec;

    /// Word-at-a-time counts agree with bit-by-bit ones for every range of a 200-bit vector.
    #[test]
    fn count_ones_counts_the_set_bits_of_a_range() {
        let len = 200;
        let mut bits = BitVec::new(len);
        for i in (0..len).filter(|i| i % 3 == 0 || i % 7 == 1) {
            bits.set(i);
        }
        for start in 0..=len {
            for end in start..=len {
                let plain = (start..end).filter(|&i| bits.get(i)).count() as u32;
                assert_eq!(bits.count_ones(start..end), plain, "{start}..{end}");
            }
        }
    }

    #[test]
    fn set_and_clear_bits_list_exactly_those_bits_below_the_length() {
        for len in [0, 1, 63, 64, 65, 130, 200] {
            let mut bits = BitVec::new(len);
            let set: Vec<usize> = (0..len)
                .filter(|i| i % 3 == 0 || (64..128).contains(i))
                .collect();
            for &i in &set {
                bits.set(i);
            }
            let expected: Vec<usize> = (0..len).filter(|i| !set.contains(i)).collect();
            assert_eq!(
                bits.clear_bits(len).collect::<Vec<_>>(),
                expected,
                "len {len}"
            );
            assert_eq!(bits.set_bits(len).collect::<Vec<_>>(), set, "len {len}");
        }
    }
}
