//! Small pieces of JavaScript semantics DevTools' numbers and names depend on: UTF-16 string
//! order and length (JS compares and measures strings in UTF-16 code units), `parseInt`, and
//! `JSON.stringify` quoting of property names.

use std::cmp::Ordering;

/// JS `a < b` ordering: by UTF-16 code units (differs from byte order only for characters above
/// U+FFFF against U+E000..U+FFFF).
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.as_bytes().cmp(b.as_bytes());
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// JS `s.length`: the number of UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// `String(parseInt(s, 10))` when `s` starts (after white space) with an optional sign and
/// digits; `None` when `parseInt` would give `NaN`.
pub fn parse_int_prefix(s: &str) -> Option<String> {
    let t = s.trim_start();
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let digits = rest[..digits].trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".into());
    }
    let text = if digits.len() <= 15 {
        digits.to_string()
    } else {
        format!("{}", digits.parse::<f64>().ok()?)
    };
    Some(if negative { format!("-{text}") } else { text })
}

/// DevTools' `formatPropertyName`: names containing `, ' " { }` are shown JSON-quoted.
pub fn format_property_name(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains([',', '\'', '"', '{', '}']) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_order_puts_astral_before_private_use() {
        assert_eq!(cmp_utf16("\u{10000}", "\u{E000}"), Ordering::Less);
        assert_eq!("\u{10000}".cmp("\u{E000}"), Ordering::Greater);
        assert_eq!(cmp_utf16("Array", "Object"), Ordering::Less);
        assert_eq!(utf16_len("a😀"), 3);
    }

    #[test]
    fn parse_int_matches_js() {
        assert_eq!(parse_int_prefix("12abc").as_deref(), Some("12"));
        assert_eq!(parse_int_prefix(" -0").as_deref(), Some("0"));
        assert_eq!(parse_int_prefix("007").as_deref(), Some("7"));
        assert_eq!(parse_int_prefix("global"), None);
    }

    #[test]
    fn quotes_only_confusing_names() {
        assert_eq!(format_property_name("plain"), "plain");
        assert_eq!(format_property_name("a,b"), "\"a,b\"");
        assert_eq!(
            format_property_name("say \"hi\"\n"),
            "\"say \\\"hi\\\"\\n\""
        );
    }
}
