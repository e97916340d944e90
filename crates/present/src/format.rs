//! Number formatting shared by the text outputs and the TUI: sizes as DevTools prints them
//! (`bytesToString`: B, kB, MB in powers of 1000), counts with thousands separators.

/// A size as DevTools shows it: `999 B`, `12.3 kB`, `123 kB`, `4.5 MB`, `123 MB`.
pub fn bytes(size: u64) -> String {
    if size < 1000 {
        return format!("{size} B");
    }
    let kb = size as f64 / 1000.0;
    if kb < 100.0 {
        return format!("{kb:.1} kB");
    }
    if kb < 1000.0 {
        return format!("{} kB", kb.round());
    }
    let mb = kb / 1000.0;
    if mb < 100.0 {
        return format!("{mb:.1} MB");
    }
    format!("{} MB", mb.round())
}

/// A signed size with an explicit sign (`+1.2 kB`, `−300 B`, `0 B`).
pub fn signed_bytes(delta: i64) -> String {
    match delta {
        0 => "0 B".to_string(),
        d if d > 0 => format!("+{}", bytes(d as u64)),
        d => format!("−{}", bytes(d.unsigned_abs())),
    }
}

/// A count with `,` thousands separators.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A signed count with an explicit sign.
pub fn signed_count(n: i64) -> String {
    match n {
        0 => "0".to_string(),
        n if n > 0 => format!("+{}", count(n as u64)),
        n => format!("−{}", count(n.unsigned_abs())),
    }
}

/// A distance as DevTools shows it (`−` when unreached or a system object).
pub fn distance(d: Option<i32>) -> String {
    d.map_or_else(|| "−".to_string(), |d| d.to_string())
}

/// Cuts `s` to at most `width` characters, ending with `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Parses a human size: plain bytes or a number with a unit, `500kB`, `2MB`, `1.5GB` (powers
/// of 1000, as [`bytes`] prints them) or `64KiB`, `2MiB`, `1GiB`; a leading `+` is allowed.
/// `None` for anything else.
pub fn parse_bytes(text: &str) -> Option<u64> {
    let t = text.trim().trim_start_matches('+');
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let value: f64 = number.parse().ok()?;
    Some((value * scale).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_devtools() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1000), "1.0 kB");
        assert_eq!(bytes(12_345), "12.3 kB");
        assert_eq!(bytes(123_456), "123 kB");
        assert_eq!(bytes(4_500_000), "4.5 MB");
        assert_eq!(bytes(1_234_567_890), "1235 MB");
        assert_eq!(signed_bytes(-300), "−300 B");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(signed_count(-1000), "−1,000");
    }
}
