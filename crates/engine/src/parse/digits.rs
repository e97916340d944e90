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

/// The value of the `len` digits (`1..=8`) whose last one is the top byte of `word` (the
/// eight bytes ending with the number's last digit, first byte lowest), the bytes before the
/// number ignored. Every one of the `len` bytes must be an ASCII digit.
#[inline(always)]
pub(super) fn digits_ending(word: u64, len: usize) -> u64 {
    debug_assert!((1..=8).contains(&len));
    // An ASCII digit's low nibble is its value. (Subtracting '0' would borrow from the
    // digits out of the bytes before them.)
    let digits = word & (ONES * 0x0f) & (u64::MAX << (8 * (8 - len)));
    combine_digits(digits)
}

/// The value of the `len` ASCII digits (`1..=10`) given as the 16 bytes ending with the last
/// one (`low`, the last eight, and `high`, the eight before, each first byte lowest), or
/// `None` when it does not fit in 32 bits. Every one of the `len` bytes must be a digit.
#[inline(always)]
pub(super) fn ten_digits_ending(high: u64, low: u64, len: usize) -> Option<u32> {
    debug_assert!((1..=10).contains(&len));
    if len <= 8 {
        return Some(digits_ending(low, len) as u32);
    }
    let value = digits_ending(high, len - 8) * 100_000_000 + digits_ending(low, 8);
    u32::try_from(value).ok()
}

/// Like [`ten_digits_ending`] for up to sixteen digits, with SSSE3 multiply-adds instead of a
/// branch on the length: `sixteen` are the 16 bytes ending with the number's last digit.
/// Returns the value, 64 bits wide (the caller checks that it fits in 32); meaningless for a
/// `len` above 16.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
#[inline]
pub(super) fn sixteen_digits_ending(sixteen: &[u8; 16], len: usize) -> u64 {
    use std::arch::x86_64::*;
    // Bytes 16 - len .. 16 of the table are the number's: their low nibbles are its digits.
    static KEEP: [u8; 32] = {
        let mut keep = [0u8; 32];
        let mut i = 16;
        while i < 32 {
            keep[i] = 0x0f;
            i += 1;
        }
        keep
    };
    // SAFETY: both loads are unaligned reads of 16 bytes inside a 16-byte array and inside the
    // 32-byte table (`len <= 16`).
    let (text, keep) = unsafe {
        (
            _mm_loadu_si128(sixteen.as_ptr().cast()),
            _mm_loadu_si128(KEEP.as_ptr().add(len.min(16)).cast()),
        )
    };
    let digits = _mm_and_si128(text, keep);
    // Pairs of digits (×10 +), pairs of pairs (×100 +), then quads (×10⁴ +): two numbers of
    // eight digits in the low 64 bits, the first eight digits lowest.
    let pairs = _mm_maddubs_epi16(digits, _mm_set1_epi16(0x010a));
    let quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x0001_0064));
    let quads = _mm_packs_epi32(quads, quads);
    let octets = _mm_madd_epi16(quads, _mm_set1_epi32(0x0001_2710));
    let both = _mm_cvtsi128_si64(octets) as u64;
    (both & 0xffff_ffff) * 100_000_000 + (both >> 32)
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

/// Exact division of 32-bit values by a fixed divisor with multiplications instead of a `div`
/// (D. Lemire, O. Kaser, N. Kurz, "Faster remainder by direct computation", 2019).
#[derive(Clone, Copy)]
pub(super) struct Divisor {
    /// The divisor.
    pub(super) divisor: u32,
    /// ⌈2^64 / divisor⌉ (0 for divisor 1).
    inverse: u64,
}

impl Divisor {
    pub(super) fn new(divisor: u32) -> Divisor {
        assert!(divisor > 0);
        let inverse = if divisor == 1 {
            0
        } else {
            u64::MAX / u64::from(divisor) + 1
        };
        Divisor { divisor, inverse }
    }

    /// `value / divisor` and whether the division leaves no remainder (the quotient is
    /// meaningless when it does), without a branch.
    #[inline(always)]
    pub(super) fn quotient_if_exact(self, value: u32) -> (u32, bool) {
        if self.divisor == 1 {
            return (value, true);
        }
        let exact = u64::from(value).wrapping_mul(self.inverse) < self.inverse;
        let quotient = ((u128::from(self.inverse) * u128::from(value)) >> 64) as u32;
        (quotient, exact)
    }

    /// `value / divisor` when the division leaves no remainder.
    #[inline(always)]
    pub(super) fn exact_quotient(self, value: u32) -> Option<u32> {
        if self.divisor == 1 {
            return Some(value);
        }
        if u64::from(value).wrapping_mul(self.inverse) > self.inverse - 1 {
            return None;
        }
        Some(((u128::from(self.inverse) * u128::from(value)) >> 64) as u32)
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

    /// The digits of numbers of every length up to ten, with the bytes before them (the
    /// previous value, a comma, a newline) left in the words.
    #[test]
    fn ten_digits_ending_matches_a_plain_parse() {
        let mut x = 0x853c_49e6_748f_ea9b_u64;
        let mut random = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut numbers = vec![0u64, 1, 9, 10, 99_999_999, 100_000_000, 4_294_967_295];
        numbers.extend([4_294_967_296, 9_999_999_999, 1_000_000_000]);
        for digits in 1..=10 {
            numbers.extend((0..2_000).map(|_| random() % 10u64.pow(digits)));
        }
        for number in numbers {
            for before in ["", ",", "\n,", "123,", "98765,4321\n,"] {
                let text = format!("{:>16}{before}{number}", "");
                let bytes = text.as_bytes();
                let end = bytes.len();
                let word =
                    |from: usize| u64::from_le_bytes(bytes[from..from + 8].try_into().unwrap());
                let len = number.to_string().len();
                let expected = u32::try_from(number).ok();
                assert_eq!(
                    ten_digits_ending(word(end - 16), word(end - 8), len),
                    expected,
                    "{text:?}"
                );
                if len <= 8 {
                    assert_eq!(digits_ending(word(end - 8), len), number, "{text:?}");
                }
                #[cfg(target_arch = "x86_64")]
                if is_x86_feature_detected!("ssse3") {
                    let sixteen = bytes[end - 16..].try_into().unwrap();
                    // SAFETY: the CPU has SSSE3 (checked just above).
                    let value = unsafe { sixteen_digits_ending(sixteen, len) };
                    assert_eq!(value, number, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn divisor_matches_division() {
        for divisor in [1, 2, 3, 5, 6, 7, 8, 9, 12, 255, 65_537, u32::MAX] {
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
