//! Parses the `strings` array into the graph's string table ([`Strings`]).
//!
//! JSON escapes are decoded here, `\uXXXX` surrogate pairs included. A lone surrogate cannot be
//! UTF-8 and becomes U+FFFD; invalid UTF-8 bytes do too, as they do in DevTools' decoder.

use crate::graph::strings::Strings;
use heaptui_common::error::{Error, Result};

/// Result of parsing the `strings` array.
pub struct Parsed {
    /// The strings.
    pub strings: Strings,
    /// Set when the input ended inside the array: the strings up to there are kept.
    pub truncated_at: Option<usize>,
    /// Position just after the closing bracket (or the end of the input when truncated).
    pub end: usize,
}

/// Parses the JSON string array that starts with the `[` at `open`.
pub fn parse(bytes: &[u8], open: usize) -> Result<Parsed> {
    let mut strings = Strings::with_capacity((bytes.len() - open) / 8);
    let mut pos = open + 1;
    let mut scratch = Vec::new();
    let truncated = |strings: Strings, at: usize| {
        Ok(Parsed {
            strings,
            truncated_at: Some(at),
            end: bytes.len(),
        })
    };
    loop {
        pos = super::layout::skip_ws(bytes, pos);
        match bytes.get(pos) {
            Some(b']') if strings.is_empty() => {
                return Ok(Parsed {
                    strings,
                    truncated_at: None,
                    end: pos + 1,
                })
            }
            Some(b'"') => {}
            None => return truncated(strings, pos),
            Some(_) => {
                return Err(Error::at(
                    pos,
                    "the \"strings\" array holds something that is not a string",
                ))
            }
        }
        // Most strings have no escape and are valid UTF-8: pushed straight from the input.
        let plain = memchr::memchr2(b'"', b'\\', &bytes[pos + 1..])
            .filter(|&i| bytes[pos + 1 + i] == b'"')
            .and_then(|i| std::str::from_utf8(&bytes[pos + 1..pos + 1 + i]).ok());
        if let Some(text) = plain {
            strings.push_file_string(text);
            pos += text.len() + 2;
        } else {
            scratch.clear();
            match decode_string(bytes, pos, &mut scratch)? {
                Some(after) => pos = after,
                None => return truncated(strings, pos),
            }
            strings.push_file_string(&String::from_utf8_lossy(&scratch));
        }
        pos = super::layout::skip_ws(bytes, pos);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => {
                return Ok(Parsed {
                    strings,
                    truncated_at: None,
                    end: pos + 1,
                })
            }
            None => return truncated(strings, pos),
            Some(_) => {
                return Err(Error::at(
                    pos,
                    "expected ',' or ']' in the \"strings\" array",
                ))
            }
        }
    }
}

/// Decodes the JSON string whose opening quote is at `quote` into `out` (raw bytes, which may
/// still need UTF-8 validation). Returns the position after the closing quote, or `None` when
/// the input ends first.
fn decode_string(bytes: &[u8], quote: usize, out: &mut Vec<u8>) -> Result<Option<usize>> {
    let mut pos = quote + 1;
    loop {
        let Some(i) = memchr::memchr2(b'"', b'\\', &bytes[pos..]) else {
            return Ok(None);
        };
        out.extend_from_slice(&bytes[pos..pos + i]);
        pos += i;
        if bytes[pos] == b'"' {
            return Ok(Some(pos + 1));
        }
        let Some(&esc) = bytes.get(pos + 1) else {
            return Ok(None);
        };
        pos += 2;
        let simple = match esc {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let Some(unit) = hex4(bytes, pos)? else {
                    return Ok(None);
                };
                pos += 4;
                let c = if (0xD800..0xDC00).contains(&unit) {
                    // A high surrogate: combine with a following low one if there is one.
                    let low = if bytes.get(pos) == Some(&b'\\') && bytes.get(pos + 1) == Some(&b'u')
                    {
                        hex4(bytes, pos + 2)?.filter(|l| (0xDC00..0xE000).contains(l))
                    } else {
                        None
                    };
                    match low {
                        Some(low) => {
                            pos += 6;
                            char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                        }
                        None => None,
                    }
                } else {
                    char::from_u32(unit)
                };
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes());
                continue;
            }
            _ => return Err(Error::at(pos - 2, "invalid escape sequence in a string")),
        };
        out.push(simple);
    }
}

fn hex4(bytes: &[u8], pos: usize) -> Result<Option<u32>> {
    let Some(digits) = bytes.get(pos..pos + 4) else {
        return Ok(None);
    };
    let mut v = 0;
    for &d in digits {
        let x = (d as char)
            .to_digit(16)
            .ok_or_else(|| Error::at(pos, "invalid \\u escape in a string"))?;
        v = v * 16 + x;
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(json: &str) -> Vec<String> {
        let p = parse(json.as_bytes(), 0).unwrap();
        assert!(p.truncated_at.is_none());
        (0..p.strings.len())
            .map(|i| p.strings.get(i as u32).to_string())
            .collect()
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        assert_eq!(
            all(r#"["a", "b\"c\\", "\u00e9\ud83d\ude00", "x\ny"]"#),
            ["a", "b\"c\\", "é😀", "x\ny"]
        );
        assert_eq!(all("[]"), Vec::<String>::new());
    }

    #[test]
    fn lone_surrogates_and_bad_utf8_become_replacement_chars() {
        assert_eq!(all(r#"["\ud800x", "\udc00"]"#), ["\u{FFFD}x", "\u{FFFD}"]);
        let mut raw = b"[\"a".to_vec();
        raw.push(0xff);
        raw.extend_from_slice(b"\"]");
        let p = parse(&raw, 0).unwrap();
        assert_eq!(p.strings.get(0), "a\u{FFFD}");
    }

    #[test]
    fn truncation_keeps_complete_strings() {
        let p = parse(br#"["a","b","c"#, 0).unwrap();
        assert_eq!(p.strings.len(), 2);
        assert!(p.truncated_at.is_some());
        assert!(parse(br#"["\q"]"#, 0).is_err());
    }

    #[test]
    fn added_strings_follow_file_strings() {
        let mut s = parse(br#"["a"]"#, 0).unwrap().strings;
        assert_eq!(s.push("(system)".into()), 1);
        assert_eq!(s.get(1), "(system)");
    }
}
