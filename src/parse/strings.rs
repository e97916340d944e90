//! The string table: every string of the snapshot in one UTF-8 byte buffer plus end offsets
//! (20 M separate `String`s would cost ~0.5 GB of headers alone), and the few strings analysis
//! adds (class names such as `(system)` or `{a, b}`), which get indexes after the file's own.
//!
//! JSON escapes are decoded here, `\uXXXX` surrogate pairs included. A lone surrogate cannot be
//! UTF-8 and becomes U+FFFD; invalid UTF-8 bytes do too, as they do in DevTools' decoder.

use crate::error::{Error, Result};

/// All strings of one snapshot, addressed by index as the snapshot's `name` fields do.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    data: Vec<u8>,
    ends: Ends,
    added: Vec<String>,
}

#[derive(Debug, Clone)]
enum Ends {
    Narrow(Vec<u32>),
    Wide(Vec<u64>),
}

impl Default for Ends {
    fn default() -> Self {
        Ends::Narrow(Vec::new())
    }
}

impl Ends {
    fn len(&self) -> usize {
        match self {
            Ends::Narrow(v) => v.len(),
            Ends::Wide(v) => v.len(),
        }
    }
    fn get(&self, i: usize) -> usize {
        match self {
            Ends::Narrow(v) => v[i] as usize,
            Ends::Wide(v) => v[i] as usize,
        }
    }
    fn push(&mut self, end: usize) {
        match self {
            Ends::Narrow(v) if end <= u32::MAX as usize => v.push(end as u32),
            Ends::Narrow(v) => {
                let mut wide: Vec<u64> = v.iter().map(|&e| u64::from(e)).collect();
                wide.push(end as u64);
                *self = Ends::Wide(wide);
            }
            Ends::Wide(v) => v.push(end as u64),
        }
    }
}

impl Strings {
    /// Number of strings, the file's and the added ones.
    pub fn len(&self) -> usize {
        self.ends.len() + self.added.len()
    }

    /// True when there are no strings at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of strings that came from the file.
    pub fn file_len(&self) -> usize {
        self.ends.len()
    }

    /// The string at `index`. Panics when out of range; indexes are validated at load time.
    pub fn get(&self, index: u32) -> &str {
        let i = index as usize;
        let n = self.ends.len();
        if i < n {
            let start = if i == 0 { 0 } else { self.ends.get(i - 1) };
            let bytes = &self.data[start..self.ends.get(i)];
            // SAFETY: every string was validated (or replaced) as UTF-8 when it was stored.
            unsafe { std::str::from_utf8_unchecked(bytes) }
        } else {
            &self.added[i - n]
        }
    }

    /// Every index whose string is `text` (the file's table is deduplicated by V8, but nothing
    /// here relies on that). One pass over the offsets; passes that test node names against a
    /// fixed name compare indexes instead of reading strings.
    pub fn indexes_of(&self, text: &str) -> Vec<u32> {
        let mut found = Vec::new();
        let mut start = 0;
        for i in 0..self.ends.len() {
            let end = self.ends.get(i);
            if end - start == text.len() && &self.data[start..end] == text.as_bytes() {
                found.push(i as u32);
            }
            start = end;
        }
        let n = self.ends.len();
        found.extend(
            (0..self.added.len())
                .filter(|&i| self.added[i] == text)
                .map(|i| (n + i) as u32),
        );
        found
    }

    /// Appends a string and returns its index (DevTools' `addString`).
    pub fn push(&mut self, s: String) -> u32 {
        self.added.push(s);
        (self.len() - 1) as u32
    }

    /// Appends a file string (used by the parser and by tests).
    pub fn push_file_string(&mut self, s: &str) {
        assert!(self.added.is_empty(), "file strings come before added ones");
        self.data.extend_from_slice(s.as_bytes());
        self.ends.push(self.data.len());
    }
}

/// Strings an analysis pass adds while the graph is shared read-only with other passes:
/// indexes are handed out after the table's current end, and the strings are appended in that
/// order once the pass is over.
#[derive(Debug)]
pub struct NewStrings {
    first: u32,
    added: Vec<String>,
    by_text: std::collections::HashMap<String, u32>,
}

impl NewStrings {
    /// Hands out indexes from the end of `strings`.
    pub fn after(strings: &Strings) -> Self {
        NewStrings {
            first: strings.len() as u32,
            added: Vec::new(),
            by_text: Default::default(),
        }
    }

    /// A new string, even if an equal one was added before (DevTools' `addString`).
    pub fn push(&mut self, s: String) -> u32 {
        self.added.push(s);
        self.first + self.added.len() as u32 - 1
    }

    /// The index of `s` among the strings added through `intern`, adding it once.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.by_text.get(s) {
            return i;
        }
        let i = self.push(s.to_string());
        self.by_text.insert(s.to_string(), i);
        i
    }

    /// The text of an index handed out here or already in `strings`.
    pub fn get<'a>(&'a self, strings: &'a Strings, index: u32) -> &'a str {
        if index >= self.first {
            &self.added[(index - self.first) as usize]
        } else {
            strings.get(index)
        }
    }

    /// Appends the strings to the table they were numbered after.
    pub fn append_to(self, strings: &mut Strings) {
        assert_eq!(
            strings.len() as u32,
            self.first,
            "strings were added to the table meanwhile"
        );
        strings.added.extend(self.added);
    }
}

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
    let mut strings = Strings {
        data: Vec::with_capacity((bytes.len() - open) / 8),
        ..Strings::default()
    };
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
            Some(b']') if strings.ends.len() == 0 => {
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
        scratch.clear();
        match decode_string(bytes, pos, &mut scratch)? {
            Some(after) => pos = after,
            None => return truncated(strings, pos),
        }
        match std::str::from_utf8(&scratch) {
            Ok(_) => strings.data.extend_from_slice(&scratch),
            Err(_) => strings
                .data
                .extend_from_slice(String::from_utf8_lossy(&scratch).as_bytes()),
        }
        strings.ends.push(strings.data.len());
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
