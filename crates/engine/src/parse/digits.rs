//! Digit-level helpers of the number parser: eight ASCII digits converted at once (SWAR), the
//! byte classes of a 64-byte window as bit masks, and exact division by a fixed stride without
//! a `div` instruction.

/// The value of the leading decimal digits of the eight bytes in `word` (first byte lowest) and
/// how many there are (SWAR: every byte is tested and converted at once). A borrow out of a
/// non-digit byte only disturbs the bytes after it, which are not used.
#[inline]
pub(super) fn eight_digits(word: u64) -> (u64, usize) {
    let offsets = word.wrapping_sub(ONES * u64::from(b'0'));
    // Bytes at 10 or above (or wrapped below '0') get their top bit set.
    let non_digits = (offsets.wrapping_add(ONES * 0x76) | offsets) & (ONES * 0x80);
    let len = (non_digits.trailing_zeros() / 8) as usize;
    if len == 0 {
        return (0, 0);
    }
    // Shift the digits to the top bytes, so the missing ones act as leading zeros, then
    // combine pairs, quads and octets.
    let digits = offsets << (8 * (8 - len));
    (combine_digits(digits & (ONES * 0x0f)), len)
}

/// Longest number the staged conversion takes: ten digits hold every 32-bit value.
pub(super) const MAX_DIGITS: usize = 10;

/// [`stage`]'s masks by `last - first` (the length minus one; entries above 9 are never used
/// with a valid number, they only keep the index in bounds), for the eight bytes that end
/// with the number's last digit and the eight before them: the digits' low nibbles are kept,
/// the bytes before the number become zeros (leading zeros, which don't count).
const KEEP: [[u64; 2]; 16] = {
    let mut keep = [[ONES * 0x0f, 0x0f0f << 48]; 16];
    let mut d = 0;
    while d < 8 {
        keep[d] = [(ONES * 0x0f) & (u64::MAX << (8 * (7 - d))), 0];
        d += 1;
    }
    keep[8][1] = 0x0f << 56;
    keep
};

/// Where [`stage`] moves the two bytes before a number's last eight: from the top of their
/// word to the high nibbles of the staged word's first two bytes.
const HIGH_SHIFT: u32 = 44;

/// The high nibbles of a staged word's first two bytes: its tenth- and ninth-last digits.
const HIGH_NIBBLES: u64 = 0xf0f0;

/// Stages the number whose digits are `bytes[first..=last]` (1 to [`MAX_DIGITS`] ASCII
/// digits) for [`convert_staged`] as one word: its last eight digits in the low nibbles of
/// the bytes (most significant lowest, missing ones zero), its tenth- and ninth-last digits
/// (if any) in the high nibbles of the first two bytes. An ASCII digit's low nibble is its
/// value, so staging is two loads, two masks and a shift, and the values of a batch convert
/// together afterwards. Needs `last >= 15` (sixteen bytes are read even for a short number);
/// a longer number is staged wrong, so the caller rejects it beforehand.
/// `LONG: false` skips the high digits: for numbers of up to eight digits only.
#[inline(always)]
pub(super) fn stage<const LONG: bool>(bytes: &[u8], first: usize, last: usize) -> u64 {
    debug_assert!(last - first < if LONG { MAX_DIGITS } else { 8 });
    let [keep_low, keep_high] = KEEP[(last - first) & 15];
    let low = u64::from_le_bytes(bytes[last - 7..=last].try_into().unwrap());
    if !LONG {
        return low & keep_low;
    }
    let high = u64::from_le_bytes(bytes[last - 15..=last - 8].try_into().unwrap());
    (low & keep_low) | ((high & keep_high) >> HIGH_SHIFT)
}

/// Bits set at the ninth and later digits of every run of more than eight digits in `digit`
/// (a byte-class mask), and at the eleventh and later ones of runs of more than
/// [`MAX_DIGITS`], which the staged conversion cannot take.
#[inline(always)]
pub(super) fn long_runs(digit: u64) -> (u64, u64) {
    // Runs of 2, 4, 8, then 8 + 1 and 8 + 2 + 1 digits.
    let two = digit & (digit << 1);
    let four = two & (two << 2);
    let eight = four & (four << 4);
    let nine = eight & (digit << 8);
    (nine, nine & (two << 9))
}

/// The value of a staged word's tenth- and ninth-last digits.
#[inline(always)]
fn high_value(staged: u64) -> u64 {
    // The tenth-last digit in the low byte, the ninth-last in the next.
    let digits = (staged & HIGH_NIBBLES) >> 4;
    (digits & 0x0f) * 10 + (digits >> 8)
}

/// Converts the staged words ([`stage`]) into `out` (as many), and tells whether every value
/// fits in 32 bits (when one does not, `out` is meaningless). The portable way: SWAR, one
/// value at a time.
pub(super) fn convert_staged(staged: &[u64], out: &mut [u32]) -> bool {
    let mut all_bits = 0;
    for (slot, &word) in out.iter_mut().zip(staged) {
        let value = high_value(word) * 100_000_000 + combine_digits(word & (ONES * 0x0f));
        all_bits |= value;
        *slot = value as u32;
    }
    all_bits <= u64::from(u32::MAX)
}

/// Values [`convert_staged_avx2`] converts per step: two registers of four staged words.
#[cfg(target_arch = "x86_64")]
const AVX2_STEP: usize = 8;

/// [`convert_staged`] with AVX2: eight values per step, their digits combined by
/// multiply-adds (pairs ×10, quads ×100, octets ×10⁴), the high digits ×10⁸ added after a
/// range check. The values past the last full step go the portable way.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) fn convert_staged_avx2(staged: &[u64], out: &mut [u32]) -> bool {
    use std::arch::x86_64::*;
    let n = out.len().min(staged.len());
    let full = n - n % AVX2_STEP;
    let low_nibbles = _mm256_set1_epi8(0x0f);
    let high_nibbles = _mm256_set1_epi64x(HIGH_NIBBLES as i64);
    let ten = _mm256_set1_epi16(0x010a);
    let hundred = _mm256_set1_epi32(0x0001_0064);
    let ten_thousand = _mm256_set1_epi32(0x0001_2710);
    // The high digits come out sixteen times their value (they sit in high nibbles). A
    // ten-digit value fits in 32 bits when they are below 42, or 42 and the rest at most
    // 94967295 (4294967295 = 42 × 10⁸ + 94967295).
    let limit_high = _mm256_set1_epi32(16 * 42);
    let limit_low = _mm256_set1_epi32(94_967_295);
    let high_weight = _mm256_set1_epi32(100_000_000 / 16);
    let mut too_large = _mm256_setzero_si256();
    for at in (0..full).step_by(AVX2_STEP) {
        // SAFETY: unaligned loads of `staged[at..at + 8]` and an unaligned store into
        // `out[at..at + 8]`, in bounds (`at + 8 <= full <= n`).
        unsafe {
            let first = _mm256_loadu_si256(staged.as_ptr().add(at).cast());
            let second = _mm256_loadu_si256(staged.as_ptr().add(at + 4).cast());
            let quads = |words| {
                let digits = _mm256_and_si256(words, low_nibbles);
                _mm256_madd_epi16(_mm256_maddubs_epi16(digits, ten), hundred)
            };
            // 16 × (tenth-last × 10 + ninth-last) in the low 32 bits of each word.
            let high = |words| _mm256_maddubs_epi16(_mm256_and_si256(words, high_nibbles), ten);
            // Per 128-bit half: values 0, 1, 4, 5 (low half) or 2, 3, 6, 7.
            let packed = _mm256_packus_epi32(quads(first), quads(second));
            let low_part = _mm256_madd_epi16(packed, ten_thousand);
            let high_part = _mm256_packus_epi32(high(first), high(second));
            let over = _mm256_or_si256(
                _mm256_cmpgt_epi32(high_part, limit_high),
                _mm256_and_si256(
                    _mm256_cmpeq_epi32(high_part, limit_high),
                    _mm256_cmpgt_epi32(low_part, limit_low),
                ),
            );
            too_large = _mm256_or_si256(too_large, over);
            let high_part = _mm256_mullo_epi32(high_part, high_weight);
            let value = _mm256_add_epi32(low_part, high_part);
            // 64-bit pairs (0 1)(4 5)(2 3)(6 7) back into order.
            let value = _mm256_permute4x64_epi64(value, 0b11_01_10_00);
            _mm256_storeu_si256(out.as_mut_ptr().add(at).cast(), value);
        }
    }
    let rest = convert_staged(&staged[full..n], &mut out[full..n]);
    rest && _mm256_testz_si256(too_large, too_large) == 1
}

/// A whole window's values staged ([`stage`]) and converted ([`convert_staged`]) with AVX-512
/// (VBMI and VBMI2), eight at a time, instead of one value after another: the first and last
/// digit positions are compressed out of `starts` and `ends` (the bit masks of
/// [`ByteClasses`]), spread over the eight bytes of each value's word, and the digits gathered
/// from `window` with one byte permutation, the bytes before a value's first digit zeroed by
/// a mask; multiply-adds then combine them in place. `values` has one slot per set bit of
/// `starts` (at most [`WINDOW`] / 2, as each value takes a digit and a separator); `ends` has
/// as many bits, every value's last digit within the window. Tells whether every value fits
/// in 32 bits (when one does not, `values` is meaningless).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2")]
#[inline]
pub(super) fn convert_window_avx512(
    window: &[u8; WINDOW],
    starts: u64,
    ends: u64,
    values: &mut [u32],
) -> bool {
    use std::arch::x86_64::*;
    debug_assert_eq!(starts.count_ones() as usize, values.len());
    debug_assert_eq!(ends.count_ones() as usize, values.len());
    debug_assert!(values.len() <= WINDOW / 2);
    /// Byte `i` is `i`: compressed by a mask, the positions of its set bits.
    const POSITIONS: [u8; WINDOW] = window_table(1, 0);
    /// Byte `8 j + b` is `j`: spreads value `j`'s position over its word's eight bytes.
    const SPREAD: [u8; WINDOW] = window_table(8, 0);
    /// Byte `b` of each word, relative to the last digit: the last eight digits' places
    /// (`b − 7`, as signed bytes).
    const LOW_PLACES: [u8; WINDOW] = window_table(0, 7);
    /// Bytes 0 and 1 of each word, relative to the last digit: the tenth- and ninth-last
    /// digits' places (`b − 9`; the other bytes are masked out by [`HIGH_BYTES`]).
    const HIGH_PLACES: [u8; WINDOW] = window_table(0, 9);
    /// Bytes 0 and 1 of every word.
    const HIGH_BYTES: u64 = 0x0303_0303_0303_0303;
    let count = values.len();
    let mut too_large = 0;
    // SAFETY: the loads read the 64 bytes of `window` and four 64-byte constants; each store
    // writes the slots `group..group + 8` of `values` masked to those below `count`.
    unsafe {
        let load = |bytes: *const u8| _mm512_loadu_si512(bytes.cast());
        let bytes = load(window.as_ptr());
        let positions = load(POSITIONS.as_ptr());
        let firsts = _mm512_maskz_compress_epi8(starts, positions);
        let lasts = _mm512_maskz_compress_epi8(ends, positions);
        let (spread, low_places, high_places) = (
            load(SPREAD.as_ptr()),
            load(LOW_PLACES.as_ptr()),
            load(HIGH_PLACES.as_ptr()),
        );
        let low_nibbles = _mm512_set1_epi8(0x0f);
        // Pairs of digits (the first ×10), then pairs of pairs (the first ×100).
        let tens = _mm512_set1_epi16(0x010a);
        let hundreds = _mm512_set1_epi32(0x0001_0064);
        let (ten_thousand, hundred_million) =
            (_mm512_set1_epi64(10_000), _mm512_set1_epi64(100_000_000));
        let largest = _mm512_set1_epi64(i64::from(u32::MAX));
        for group in (0..count).step_by(8) {
            let slots = _mm512_add_epi8(spread, _mm512_set1_epi8(group as i8));
            let first = _mm512_permutexvar_epi8(slots, firsts);
            let last = _mm512_permutexvar_epi8(slots, lasts);
            // Places before the value's first digit (negative ones included) read as zeros.
            let low_at = _mm512_add_epi8(last, low_places);
            let high_at = _mm512_add_epi8(last, high_places);
            let keep_low = _mm512_cmpge_epi8_mask(low_at, first);
            let keep_high = _mm512_cmpge_epi8_mask(high_at, first) & HIGH_BYTES;
            let low = _mm512_maskz_permutexvar_epi8(keep_low, low_at, bytes);
            let high = _mm512_maskz_permutexvar_epi8(keep_high, high_at, bytes);
            let low = _mm512_and_si512(low, low_nibbles);
            let high = _mm512_and_si512(high, low_nibbles);
            // The last eight digits: two groups of four in each word's 32-bit halves, the
            // first the more significant.
            let quads = _mm512_madd_epi16(_mm512_maddubs_epi16(low, tens), hundreds);
            let octets = _mm512_add_epi64(
                _mm512_mul_epu32(quads, ten_thousand),
                _mm512_srli_epi64::<32>(quads),
            );
            // The tenth- and ninth-last digits, in each word's low 16 bits.
            let top = _mm512_maddubs_epi16(high, tens);
            let value = _mm512_add_epi64(octets, _mm512_mul_epu32(top, hundred_million));
            let left = (count - group).min(8);
            let lanes = (u16::MAX >> (16 - left)) as u8;
            too_large |= _mm512_mask_cmpgt_epu64_mask(lanes, value, largest);
            _mm256_mask_storeu_epi32(
                values.as_mut_ptr().add(group).cast(),
                lanes,
                _mm512_cvtepi64_epi32(value),
            );
        }
    }
    too_large == 0
}

/// A constant of [`convert_window_avx512`]: byte `i` is `i / step` when `step` is not zero,
/// else `i % 8 − back` (a place in a value's word relative to its last digit, wrapped to a
/// byte: the permutations read it as signed).
#[cfg(target_arch = "x86_64")]
const fn window_table(step: usize, back: u8) -> [u8; WINDOW] {
    let mut table = [0; WINDOW];
    let mut i = 0;
    while i < WINDOW {
        table[i] = match i.checked_div(step) {
            Some(quotient) => quotient as u8,
            None => ((i % 8) as u8).wrapping_sub(back),
        };
        i += 1;
    }
    table
}

/// Eight decimal digits, one per byte (0..=9, the most significant lowest), as a number:
/// pairs, then quads, then the octet, each a multiply that adds ten (100, 10⁴) times the
/// higher half to the lower.
#[inline(always)]
fn combine_digits(digits: u64) -> u64 {
    let pairs = digits.wrapping_mul(10 << 8 | 1) >> 8;
    let quads = (pairs & 0x00ff_00ff_00ff_00ff).wrapping_mul(100 << 16 | 1) >> 16;
    (quads & 0x0000_ffff_0000_ffff).wrapping_mul(10000 << 32 | 1) >> 32
}

/// A byte of ones in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Bytes per window of [`ByteClasses`].
pub(super) const WINDOW: usize = 64;

/// Bit `i` of each mask describes byte `i` of a window.
#[derive(Debug, PartialEq)]
pub(super) struct ByteClasses {
    /// ASCII digits.
    pub(super) digit: u64,
    /// Commas.
    pub(super) comma: u64,
    /// Newlines and spaces (other JSON white space takes the value-by-value path).
    pub(super) space: u64,
}

impl ByteClasses {
    /// The classes of `window`'s bytes (SSE2 compares and byte masks on x86_64).
    #[cfg(target_arch = "x86_64")]
    pub(super) fn of(window: &[u8; WINDOW]) -> ByteClasses {
        use std::arch::x86_64::*;
        let mut classes = ByteClasses {
            digit: 0,
            comma: 0,
            space: 0,
        };
        // SAFETY: SSE2 is part of every x86_64 CPU; the loads are unaligned and in bounds
        // (four 16-byte blocks of a 64-byte array).
        unsafe {
            let zero = _mm_set1_epi8(b'0' as i8);
            let nine = _mm_set1_epi8(9);
            let comma = _mm_set1_epi8(b',' as i8);
            let newline = _mm_set1_epi8(b'\n' as i8);
            let space = _mm_set1_epi8(b' ' as i8);
            for block in 0..WINDOW / 16 {
                let v = _mm_loadu_si128(window.as_ptr().add(16 * block).cast());
                let offset = _mm_sub_epi8(v, zero);
                let digit = _mm_cmpeq_epi8(_mm_min_epu8(offset, nine), offset);
                let is_comma = _mm_cmpeq_epi8(v, comma);
                let is_space = _mm_or_si128(_mm_cmpeq_epi8(v, newline), _mm_cmpeq_epi8(v, space));
                let shift = 16 * block;
                classes.digit |= u64::from(_mm_movemask_epi8(digit) as u16) << shift;
                classes.comma |= u64::from(_mm_movemask_epi8(is_comma) as u16) << shift;
                classes.space |= u64::from(_mm_movemask_epi8(is_space) as u16) << shift;
            }
        }
        classes
    }

    /// [`ByteClasses::of`] with AVX2: two 32-byte blocks instead of four 16-byte ones.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn of_avx2(window: &[u8; WINDOW]) -> ByteClasses {
        use std::arch::x86_64::*;
        let mut classes = ByteClasses {
            digit: 0,
            comma: 0,
            space: 0,
        };
        let zero = _mm256_set1_epi8(b'0' as i8);
        let nine = _mm256_set1_epi8(9);
        let comma = _mm256_set1_epi8(b',' as i8);
        let newline = _mm256_set1_epi8(b'\n' as i8);
        let space = _mm256_set1_epi8(b' ' as i8);
        for block in 0..WINDOW / 32 {
            // SAFETY: an unaligned load of the 32 bytes of one half of a 64-byte array.
            let v = unsafe { _mm256_loadu_si256(window.as_ptr().add(32 * block).cast()) };
            let offset = _mm256_sub_epi8(v, zero);
            let digit = _mm256_cmpeq_epi8(_mm256_min_epu8(offset, nine), offset);
            let is_comma = _mm256_cmpeq_epi8(v, comma);
            let is_space =
                _mm256_or_si256(_mm256_cmpeq_epi8(v, newline), _mm256_cmpeq_epi8(v, space));
            let shift = 32 * block;
            classes.digit |= u64::from(_mm256_movemask_epi8(digit) as u32) << shift;
            classes.comma |= u64::from(_mm256_movemask_epi8(is_comma) as u32) << shift;
            classes.space |= u64::from(_mm256_movemask_epi8(is_space) as u32) << shift;
        }
        classes
    }

    /// [`ByteClasses::of`] with AVX-512: one 64-byte block, compared straight into bit masks.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw")]
    #[inline]
    pub(super) fn of_avx512(window: &[u8; WINDOW]) -> ByteClasses {
        use std::arch::x86_64::*;
        // SAFETY: an unaligned load of the 64 bytes of `window`.
        let v = unsafe { _mm512_loadu_si512(window.as_ptr().cast()) };
        let offset = _mm512_sub_epi8(v, _mm512_set1_epi8(b'0' as i8));
        ByteClasses {
            digit: _mm512_cmplt_epu8_mask(offset, _mm512_set1_epi8(10)),
            comma: _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b',' as i8)),
            space: _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b'\n' as i8))
                | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b' ' as i8)),
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub(super) fn of(window: &[u8; WINDOW]) -> ByteClasses {
        ByteClasses::bytewise(window)
    }

    /// The plain definition, one byte at a time.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn bytewise(window: &[u8; WINDOW]) -> ByteClasses {
        let mut classes = ByteClasses {
            digit: 0,
            comma: 0,
            space: 0,
        };
        for (i, &b) in window.iter().enumerate() {
            classes.digit |= u64::from(b.is_ascii_digit()) << i;
            classes.comma |= u64::from(b == b',') << i;
            classes.space |= u64::from(b == b'\n' || b == b' ') << i;
        }
        classes
    }
}

/// Bit `i` of the result is the parity of the set bits of `bits` at positions `0..=i`.
#[inline]
pub(super) fn prefix_xor(mut bits: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        bits ^= bits << shift;
    }
    bits
}

/// [`prefix_xor`] as one carry-less multiplication by all ones (as simdjson does).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "pclmulqdq")]
#[inline]
pub(super) fn prefix_xor_clmul(bits: u64) -> u64 {
    use std::arch::x86_64::*;
    let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, bits as i64), _mm_set1_epi8(-1), 0);
    _mm_cvtsi128_si64(product) as u64
}

/// Exact division of 32-bit values by a fixed divisor with a multiplication and a rotation
/// instead of a `div`, which vectorises too: for a divisor `m × 2^k` (`m` odd), `value` is a
/// multiple of it exactly when `value × m⁻¹ mod 2^32`, rotated right by `k`, is at most
/// ⌊(2^32 − 1) / divisor⌋, and that rotated product is then the quotient (T. Granlund,
/// P. Montgomery, "Division by invariant integers using multiplication", 1994, §9).
#[derive(Clone, Copy)]
pub(super) struct Divisor {
    /// The divisor.
    pub(super) divisor: u32,
    /// The inverse of the divisor's odd part modulo 2^32.
    pub(super) odd_inverse: u32,
    /// The power of two of the divisor's even part.
    pub(super) twos: u32,
    /// ⌊(2^32 − 1) / divisor⌋: the largest quotient of a 32-bit value.
    pub(super) largest_quotient: u32,
}

impl Divisor {
    pub(super) fn new(divisor: u32) -> Divisor {
        assert!(divisor > 0);
        let twos = divisor.trailing_zeros();
        let odd = divisor >> twos;
        // Newton's iteration doubles the correct low bits each step; `odd` is its own inverse
        // modulo 8, so three bits to start with, and four steps reach 48.
        let mut odd_inverse = odd;
        for _ in 0..4 {
            odd_inverse =
                odd_inverse.wrapping_mul(2u32.wrapping_sub(odd.wrapping_mul(odd_inverse)));
        }
        debug_assert_eq!(odd.wrapping_mul(odd_inverse), 1);
        Divisor {
            divisor,
            odd_inverse,
            twos,
            largest_quotient: u32::MAX / divisor,
        }
    }

    /// `value / divisor` and whether the division leaves no remainder (the quotient is
    /// meaningless when it does), without a branch.
    #[inline(always)]
    pub(super) fn quotient_if_exact(self, value: u32) -> (u32, bool) {
        let quotient = value.wrapping_mul(self.odd_inverse).rotate_right(self.twos);
        (quotient, quotient <= self.largest_quotient)
    }

    /// `value / divisor` when the division leaves no remainder.
    #[inline(always)]
    pub(super) fn exact_quotient(self, value: u32) -> Option<u32> {
        let (quotient, exact) = self.quotient_if_exact(value);
        exact.then_some(quotient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_digits_reads_the_leading_digits() {
        for text in [
            "0,", "7\n", "42,1", "1234567,", "12345678", "99999999", "00000001", "9]",
        ] {
            let mut word = [b' '; 8];
            word[..text.len()].copy_from_slice(text.as_bytes());
            let len = text.bytes().take_while(u8::is_ascii_digit).count();
            let expected = text[..len].parse::<u64>().unwrap();
            assert_eq!(
                eight_digits(u64::from_le_bytes(word)),
                (expected, len),
                "{text}"
            );
        }
        assert_eq!(eight_digits(u64::from_le_bytes(*b",1234567")), (0, 0));
        assert_eq!(eight_digits(u64::from_le_bytes(*b"/:123456")), (0, 0));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn byte_classes_match_their_definition() {
        let mut window = [0u8; WINDOW];
        for start in 0..=255 - WINDOW as u8 {
            for (i, b) in window.iter_mut().enumerate() {
                *b = start.wrapping_add((i as u8).wrapping_mul(7));
            }
            assert_eq!(ByteClasses::of(&window), ByteClasses::bytewise(&window));
            if is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2 (checked just above).
                let avx2 = unsafe { ByteClasses::of_avx2(&window) };
                assert_eq!(avx2, ByteClasses::bytewise(&window));
            }
        }
    }

    /// Numbers of every length up to ten, staged with the bytes before them (the previous
    /// value, a comma, a newline) around, then converted in batches of every length up to
    /// two AVX2 steps and more (so the portable tail is used too): the values a plain parse
    /// gives, and "too large" exactly when one is over 32 bits.
    #[test]
    fn staged_conversion_matches_a_plain_parse() {
        let mut x = 0x853c_49e6_748f_ea9b_u64;
        let mut random = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut numbers = vec![0u64, 1, 9, 10, 99_999_999, 100_000_000, 4_294_967_295];
        numbers.extend([4_200_000_000, 4_294_967_294, 999_999_999, 1_000_000_000]);
        for digits in 1..=10 {
            numbers.extend((0..500).map(|_| random() % 10u64.pow(digits).min(1 << 32)));
        }
        let too_large = [4_294_967_296, 9_999_999_999, 4_300_000_000, 5_000_000_000];
        let (mut staged, mut expected) = (Vec::new(), Vec::new());
        for (i, &number) in numbers.iter().chain(&too_large).enumerate() {
            let before = ["", ",", "\n,", "123,", "98765,4321\n,"][i % 5];
            let text = format!("{:>16}{before}{number}", "");
            let last = text.len() - 1;
            let first = last + 1 - number.to_string().len();
            staged.push(stage::<true>(text.as_bytes(), first, last));
            if last - first < 8 {
                assert_eq!(
                    stage::<false>(text.as_bytes(), first, last),
                    *staged.last().unwrap()
                );
            }
            expected.push(number);
        }
        let plain = numbers.len();
        for start in (0..plain).step_by(37) {
            for len in (0..=20).chain([100, 1_000]) {
                let cases = start..(start + len).min(expected.len());
                // A batch that reaches past the plain numbers holds a too-large one.
                let fits = cases.end <= plain;
                let mut out = vec![0u32; cases.len()];
                let converted = convert_staged(&staged[cases.clone()], &mut out);
                assert_eq!(converted, fits, "{cases:?}");
                let values: Vec<u64> = out.iter().map(|&v| u64::from(v)).collect();
                if fits {
                    assert_eq!(values, expected[cases.clone()], "{cases:?}");
                }
                #[cfg(target_arch = "x86_64")]
                if is_x86_feature_detected!("avx2") {
                    let mut avx2 = vec![0u32; cases.len()];
                    // SAFETY: the CPU has AVX2 (checked just above).
                    let converted =
                        unsafe { convert_staged_avx2(&staged[cases.clone()], &mut avx2) };
                    assert_eq!(converted, fits, "{cases:?}");
                    if fits {
                        assert_eq!(avx2, out, "{cases:?}");
                    }
                }
            }
        }
        // Each too-large number alone, at every place in an AVX2 step.
        for &number in &too_large {
            let at = numbers.len() + too_large.iter().position(|&n| n == number).unwrap();
            for place in 0..8 {
                let mut cases: Vec<usize> = (0..16).collect();
                cases[place] = at;
                let staged: Vec<u64> = cases.iter().map(|&i| staged[i]).collect();
                let mut out = vec![0u32; 16];
                assert!(!convert_staged(&staged, &mut out), "{number}");
                #[cfg(target_arch = "x86_64")]
                if is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU has AVX2 (checked just above).
                    let converted = unsafe { convert_staged_avx2(&staged, &mut out) };
                    assert!(!converted, "{number} at {place}");
                }
            }
        }
    }

    /// Runs of digits of every length at every place of a window, and two runs side by side.
    #[test]
    fn long_runs_mark_the_digits_past_eight_and_ten() {
        let past = |digit: u64, len: usize, at: usize, limit: usize| {
            if len > limit {
                (digit >> (at + limit)) << (at + limit)
            } else {
                0
            }
        };
        for len in 1..=64usize {
            for at in 0..=64 - len {
                let digit = (u64::MAX >> (64 - len)) << at;
                let expected = (past(digit, len, at, 8), past(digit, len, at, MAX_DIGITS));
                assert_eq!(long_runs(digit), expected, "{len} at {at}");
                let pair = digit | digit.checked_shl((at + len + 1) as u32).unwrap_or(0);
                let (nine, eleven) = long_runs(pair);
                assert_eq!(
                    (nine != 0, eleven != 0),
                    (len > 8, len > MAX_DIGITS),
                    "{len} at {at}"
                );
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn prefix_xor_clmul_matches_prefix_xor() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for bits in [x, x & (x >> 3), 1 << (x % 64), u64::MAX, 0] {
                if is_x86_feature_detected!("pclmulqdq") {
                    // SAFETY: the CPU has PCLMULQDQ (checked just above).
                    assert_eq!(
                        unsafe { prefix_xor_clmul(bits) },
                        prefix_xor(bits),
                        "{bits:x}"
                    );
                }
            }
        }
    }

    #[test]
    fn divisor_matches_division() {
        for divisor in [
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            12,
            14,
            255,
            65_537,
            1 << 31,
            u32::MAX,
        ] {
            let d = Divisor::new(divisor);
            let edge = [
                0,
                1,
                divisor - 1,
                divisor,
                divisor.wrapping_add(1),
                u32::MAX - 1,
                u32::MAX,
            ];
            let mut x = 0x9e37_79b9_u32;
            let spread = (0..20_000).map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x
            });
            let multiples = (0..2_000u32).map(|i| i.wrapping_mul(divisor));
            for value in edge.into_iter().chain(spread).chain(multiples) {
                let expected = value.is_multiple_of(divisor).then(|| value / divisor);
                assert_eq!(d.exact_quotient(value), expected, "{value} / {divisor}");
                let (quotient, exact) = d.quotient_if_exact(value);
                assert_eq!(exact.then_some(quotient), expected, "{value} / {divisor}");
            }
        }
    }
}
