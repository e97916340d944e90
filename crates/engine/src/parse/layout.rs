//! Finds the top-level sections of a snapshot (`snapshot`, `nodes`, `edges`, `locations`,
//! `strings`, …) without parsing them. V8 writes one JSON object whose big members are flat
//! number arrays; their extents are found with a byte search (which counts their values per
//! block on its way, for the parse), everything else by a balanced
//! scan that respects strings. Unknown keys (Chromium adds some) are skipped.

use super::numbers::{count_commas, BLOCK};
use heaptui_common::error::{Error, Result};
use std::ops::Range;

/// Byte ranges of the sections the parser needs. Array ranges are the bytes between the
/// brackets; `header` includes its braces.
#[derive(Debug, Default, Clone)]
pub struct Layout {
    /// The `snapshot` object (meta data and counts).
    pub header: Option<Range<usize>>,
    /// Contents of the `nodes` array.
    pub nodes: Option<NumberArray>,
    /// Contents of the `edges` array.
    pub edges: Option<NumberArray>,
    /// Contents of the `locations` array.
    pub locations: Option<NumberArray>,
    /// Contents of the `trace_function_infos` array.
    pub trace_function_infos: Option<Range<usize>>,
    /// The `trace_tree` value (a nested array), brackets included.
    pub trace_tree: Option<Range<usize>>,
    /// The `strings` array, from its `[` to the end of the input (parsed by the strings module).
    pub strings: Option<usize>,
    /// The scope tables newer V8 writes (`scopes`, `scope_context_vars`, `scope_uses`), each
    /// value as written (brackets included): small, so left to their own parser.
    pub scope_tables: [Option<Range<usize>>; 3],
}

/// A flat array of numbers as the scan found it.
#[derive(Debug, Default, Clone)]
pub struct NumberArray {
    /// The bytes between the brackets.
    pub contents: Range<usize>,
    /// The commas per [`BLOCK`] of `contents`, from its first byte.
    pub block_commas: Vec<usize>,
}

/// The top-level keys of the scope tables, in [`Layout::scope_tables`]' order.
pub const SCOPE_TABLE_KEYS: [&str; 3] = ["scopes", "scope_context_vars", "scope_uses"];

/// Keys whose values are flat arrays of integers (so the first `]` closes them).
const NUMBER_ARRAYS: &[&str] = &[
    "nodes",
    "edges",
    "locations",
    "samples",
    "trace_function_infos",
];

/// Scans the top level of the document. `release` is told about each stretch of a big array
/// once searched, so a memory-mapped file's pages need not all be resident at once.
pub fn scan(bytes: &[u8], release: &(dyn Fn(usize, usize) + Sync)) -> Result<Layout> {
    let mut layout = Layout::default();
    let mut pos = skip_ws(bytes, 0);
    if bytes.get(pos) != Some(&b'{') {
        return Err(Error::at(
            pos,
            "not a heap snapshot: the file does not start with a JSON object",
        ));
    }
    pos += 1;
    loop {
        pos = skip_ws(bytes, pos);
        match bytes.get(pos) {
            Some(b'}') => return Ok(layout),
            Some(b'"') => {}
            Some(_) => {
                return Err(Error::at(
                    pos,
                    "not a heap snapshot: expected a key in the top-level object",
                ))
            }
            None => return Err(truncated(pos)),
        }
        let key_start = pos + 1;
        let key_end = string_end(bytes, pos)?;
        let key = &bytes[key_start..key_end - 1];
        pos = skip_ws(bytes, key_end);
        if bytes.get(pos) != Some(&b':') {
            return Err(if pos >= bytes.len() {
                truncated(pos)
            } else {
                Error::at(pos, "expected ':' after a key")
            });
        }
        pos = skip_ws(bytes, pos + 1);
        let value_start = pos;
        let key = std::str::from_utf8(key).unwrap_or("");
        if key == "strings" {
            // The strings array is the last section V8 writes; its own parser finds its end.
            if bytes.get(pos) != Some(&b'[') {
                return Err(Error::at(pos, "\"strings\" is not an array"));
            }
            layout.strings = Some(pos);
            return Ok(layout);
        }
        if NUMBER_ARRAYS.contains(&key) {
            if bytes.get(pos) != Some(&b'[') {
                return Err(Error::at(pos, format!("\"{key}\" is not an array")));
            }
            let (close, block_commas) = find_close(bytes, pos, release).ok_or_else(|| {
                Error::at(
                    bytes.len(),
                    format!("file is truncated inside the \"{key}\" array"),
                )
            })?;
            let contents = pos + 1..close;
            let array = || NumberArray {
                contents: contents.clone(),
                block_commas,
            };
            match key {
                "nodes" => layout.nodes = Some(array()),
                "edges" => layout.edges = Some(array()),
                "locations" => layout.locations = Some(array()),
                "trace_function_infos" => layout.trace_function_infos = Some(contents.clone()),
                _ => {}
            }
            pos = close + 1;
        } else {
            pos = value_end(bytes, pos)?;
            match key {
                "snapshot" => layout.header = Some(value_start..pos),
                "trace_tree" => layout.trace_tree = Some(value_start..pos),
                _ => {
                    if let Some(i) = SCOPE_TABLE_KEYS.iter().position(|k| *k == key) {
                        layout.scope_tables[i] = Some(value_start..pos);
                    }
                }
            }
        }
        pos = skip_ws(bytes, pos);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b'}') => return Ok(layout),
            Some(_) => {
                return Err(Error::at(
                    pos,
                    "expected ',' or '}' in the top-level object",
                ))
            }
            None => return Err(truncated(pos)),
        }
    }
}

/// Bytes searched at a time for the `]` that closes a number array, and counted right after
/// while they are in the L2 cache.
const PIECE: usize = 64 << 10;

/// The `]` closing the number array that starts at `open`, and the array's commas per
/// [`BLOCK`] from its first byte (the parse places its chunks' values by them). Searched
/// sixteen blocks at a time, two windows at once (the search is bound by faulting the pages
/// in).
fn find_close(
    bytes: &[u8],
    open: usize,
    release: &(dyn Fn(usize, usize) + Sync),
) -> Option<(usize, Vec<usize>)> {
    find_close_in_blocks(bytes, open, release, BLOCK)
}

/// [`find_close`] with blocks of `block` bytes (tests make them small).
fn find_close_in_blocks(
    bytes: &[u8],
    open: usize,
    release: &(dyn Fn(usize, usize) + Sync),
    block: usize,
) -> Option<(usize, Vec<usize>)> {
    const BLOCKS_PER_WINDOW: usize = 16;
    let step = BLOCKS_PER_WINDOW * block;
    // The blocks of `from..to` (`from` on the grid): each one's commas, up to the `]` if one
    // holds it.
    let search = |from: usize, to: usize| {
        let mut commas = Vec::with_capacity(BLOCKS_PER_WINDOW);
        for block_start in (from..to).step_by(block) {
            let block_end = (block_start + block).min(to);
            let mut count = 0;
            for piece_start in (block_start..block_end).step_by(PIECE) {
                let piece = &bytes[piece_start..(piece_start + PIECE).min(block_end)];
                if let Some(i) = memchr::memchr(b']', piece) {
                    commas.push(count + count_commas(&piece[..i]));
                    return (Some(piece_start + i), commas);
                }
                count += count_commas(piece);
            }
            commas.push(count);
        }
        release(from, to);
        (None, commas)
    };
    let mut all_commas = Vec::new();
    let mut from = open + 1;
    while from < bytes.len() {
        let middle = (from + step).min(bytes.len());
        let to = (middle + step).min(bytes.len());
        let ((first, first_commas), (second, second_commas)) =
            rayon::join(|| search(from, middle), || search(middle, to));
        all_commas.extend(first_commas);
        if let Some(close) = first {
            return Some((close, all_commas));
        }
        all_commas.extend(second_commas);
        if let Some(close) = second {
            return Some((close, all_commas));
        }
        from = to;
    }
    None
}

fn truncated(pos: usize) -> Error {
    Error::at(pos, "file is truncated (unexpected end of input)")
}

/// Skips JSON white space.
pub fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// Given the position of an opening quote, returns the position just after the closing one.
pub fn string_end(bytes: &[u8], quote: usize) -> Result<usize> {
    let mut pos = quote + 1;
    loop {
        match memchr::memchr2(b'"', b'\\', &bytes[pos.min(bytes.len())..]) {
            Some(i) if bytes[pos + i] == b'"' => return Ok(pos + i + 1),
            Some(i) => pos += i + 2,
            None => return Err(Error::at(quote, "file is truncated inside a string")),
        }
    }
}

/// Returns the position just after the JSON value starting at `pos` (any type), without
/// interpreting it beyond bracket balance.
fn value_end(bytes: &[u8], pos: usize) -> Result<usize> {
    match bytes.get(pos) {
        Some(b'"') => string_end(bytes, pos),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = pos;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            Err(Error::at(
                pos,
                "file is truncated inside an object or array",
            ))
        }
        Some(_) => {
            let mut i = pos;
            while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']') {
                i += 1;
            }
            Ok(i)
        }
        None => Err(truncated(pos)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sections_and_skips_unknown_keys() {
        let doc = br#"{"snapshot":{"meta":{"x":[1,"]"]}},"nodes":[1,2],"extra":{"a":[[]]},"edges":[],"strings":["a"]}"#;
        let layout = scan(doc, &|_, _| {}).unwrap();
        assert_eq!(&doc[layout.header.unwrap()], br#"{"meta":{"x":[1,"]"]}}"#);
        assert_eq!(&doc[layout.nodes.unwrap().contents], b"1,2");
        assert_eq!(&doc[layout.edges.unwrap().contents], b"");
        assert_eq!(doc[layout.strings.unwrap()], b'[');
    }

    /// The commas the search counts per block, up to the `]` wherever it falls (in a later
    /// window, at a block's start, in its middle), are a plain count's.
    #[test]
    fn the_search_counts_the_commas_per_block() {
        for len in [0, 1, 5, 63, 64, 65, 1000, 5000] {
            let mut doc = b"[".to_vec();
            doc.extend((0..len).map(|i| if i % 3 == 2 { b',' } else { b'7' }));
            doc.extend(b"],\"x\":[1,2,3]");
            for block in [1, 4, 64, 100] {
                let (close, commas) = find_close_in_blocks(&doc, 0, &|_, _| {}, block).unwrap();
                assert_eq!(close, len + 1, "{len} {block}");
                let plain: Vec<usize> = doc[1..close]
                    .chunks(block)
                    .map(|c| c.iter().filter(|&&b| b == b',').count())
                    .collect();
                assert_eq!(commas.iter().sum::<usize>(), plain.iter().sum::<usize>());
                assert_eq!(commas[..plain.len()], plain[..], "{len} {block}");
                assert!(commas[plain.len()..].iter().all(|&c| c == 0));
            }
        }
        assert!(find_close_in_blocks(b"[1,2", 0, &|_, _| {}, 1).is_none());
    }

    #[test]
    fn reports_truncation_with_offset() {
        let err = scan(br#"{"snapshot":{},"nodes":[1,2"#, &|_, _| {}).unwrap_err();
        assert!(
            err.to_string()
                .contains("truncated inside the \"nodes\" array"),
            "{err}"
        );
        assert_eq!(scan(b"[]", &|_, _| {}).unwrap_err().offset(), Some(0));
    }
}
