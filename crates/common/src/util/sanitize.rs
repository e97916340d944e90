//! Heap strings are untrusted input: any request body can end up in a snapshot. Everything
//! taken from a snapshot goes through [`sanitize`] before it reaches a terminal, so escape
//! sequences, control characters and bidi overrides can never act on the user's terminal.

use std::borrow::Cow;

/// Returns `text` with every character that could control a terminal replaced by a visible
/// escape (`\x1b`, `\u{202e}`, …). Printable text, including non-ASCII, is kept as is.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_dangerous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_dangerous(c) {
            let code = c as u32;
            if code < 0x100 {
                out.push_str(&format!("\\x{code:02x}"));
            } else {
                out.push_str(&format!("\\u{{{code:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// True for C0/C1 controls, DEL, bidi controls, line/paragraph separators and other invisible formatting
/// characters that terminals or text layout may act on.
pub fn is_dangerous(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// Serialises `value` as pretty JSON in which every terminal-controlling character is a `\uXXXX`
/// escape (serde_json escapes only C0 controls), so JSON output is safe to print too.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    // serde_json already escapes C0 controls inside strings; outside strings there is only ASCII
    // (layout newlines included), so every non-ASCII dangerous character is inside a string.
    let needs_escape = |c: char| c as u32 >= 0x7f && is_dangerous(c);
    let text = serde_json::to_string_pretty(value).expect("plain data serialises");
    if !text.chars().any(needs_escape) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{sanitize, to_json};

    #[test]
    fn json_escapes_c1_and_bidi_and_stays_valid() {
        let text = to_json(&vec!["a\u{9b}2J\u{202e}\x1b]52;c;x\x07\u{7f}"]);
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{text}"
        );
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, ["a\u{9b}2J\u{202e}\x1b]52;c;x\x07\u{7f}"]);
    }

    #[test]
    fn escapes_terminal_controls_and_bidi() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(sanitize("\u{9b}31m"), "\\x9b31m");
        assert_eq!(sanitize("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(sanitize("tab\there"), "tab\\x09here");
    }

    #[test]
    fn keeps_printable_unicode_borrowed() {
        let s = "café 😀 {a, b}";
        assert!(matches!(sanitize(s), std::borrow::Cow::Borrowed(_)));
    }
}
