//! A plain bit vector (one bit per edge or retainer slot keeps those tables at 1/32 the size of
//! a `u32` array).

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
