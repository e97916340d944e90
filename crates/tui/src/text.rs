//! Width-aware text fitting for table cells. Terminal cells are counted in display columns, not
//! chars: a CJK name takes two columns per char, so cutting by chars would overflow a column.

use ratatui::text::Span;

/// Display width of one char (0 for combining marks, 2 for wide chars).
pub fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    Span::raw(&*c.encode_utf8(&mut buf)).width()
}

/// Display width of a string.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// Cuts `s` to at most `max` display columns, ending with `…` when cut. Returns the text and
/// how many chars of `s` were kept (so highlight indices can be clipped the same way).
pub fn fit(s: &str, max: usize) -> (String, usize) {
    if width(s) <= max {
        return (s.to_string(), s.chars().count());
    }
    if max == 0 {
        return (String::new(), 0);
    }
    let mut out = String::new();
    let mut used = 0;
    let mut kept = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
        kept += 1;
    }
    out.push('…');
    (out, kept)
}

/// `s` fitted into exactly `columns` display columns: cut with `…` or padded with spaces.
pub fn pad(s: &str, columns: usize) -> String {
    let (mut out, _) = fit(s, columns);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// `s` right-aligned in `columns` display columns (cut with `…` when too long).
pub fn pad_left(s: &str, columns: usize) -> String {
    let (out, _) = fit(s, columns);
    let w = width(&out);
    let mut padded: String = std::iter::repeat_n(' ', columns.saturating_sub(w)).collect();
    padded.push_str(&out);
    padded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("IncomingMessage", 8), ("Incomin…".to_string(), 7));
        assert_eq!(fit("短い名前", 5), ("短い…".to_string(), 2));
        assert_eq!(fit("abc", 0), (String::new(), 0));
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        assert_eq!(pad("abcdef", 3), "ab…");
    }
}
