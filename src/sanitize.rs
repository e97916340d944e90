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

/// C0/C1 controls, DEL, bidi controls, line/paragraph separators and other invisible formatting
/// characters that terminals or text layout may act on.
fn is_dangerous(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

#[cfg(test)]
mod tests {
    use super::sanitize;

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
