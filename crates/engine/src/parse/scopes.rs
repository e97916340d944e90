//! Parses the scope tables (`scopes`, `scope_context_vars`, `scope_uses`) whose layout
//! `snapshot.meta.scope_fields`, `scope_context_var_fields` and `scope_use_fields` give.
//!
//! Source: DevTools `HeapSnapshotLoader` (the arrays, read by its unsigned number parser: a
//! minus sign is skipped, so `-2` reads `2`) and `ContextAnalyzer.parseEmbeddedScopes` (the
//! field offsets, counts and depths). Invariants, checked here so the analysis can index
//! freely (a table that breaks one is malformed, one line naming the table):
//! - each table's length is a multiple of its field count;
//! - the scopes' variable and use counts fit in `scope_context_vars` and `scope_uses`;
//! - a scope's depth is at most one more than the previous scope's of the same script;
//! - every variable name is a string index.

use super::layout::{Layout, SCOPE_TABLE_KEYS};
use crate::graph::header::Header;
use crate::graph::scopes::{ScopeRow, ScopeTables, ScopeUse};
use heaptui_common::error::{Error, Result};

/// Reads the scope tables `layout` found, given the header's field lists and the number of
/// strings. No `scope_fields` in the header (or no `scopes` section) is no tables.
pub fn parse(
    bytes: &[u8],
    header: &Header,
    layout: &Layout,
    strings: usize,
) -> Result<ScopeTables> {
    if header.scope_fields.is_empty() {
        return Ok(ScopeTables::default());
    }
    let [scopes, vars, uses] = &layout.scope_tables;
    let Some(scopes) = scopes else {
        return Ok(ScopeTables::default());
    };
    let field = |fields: &[String], list: &str, name: &str| {
        fields.iter().position(|f| f == name).ok_or_else(|| {
            Error::malformed(format!("snapshot.meta.{list} has no \"{name}\" field"))
        })
    };
    let sf = &header.scope_fields;
    let (f_script, f_id, f_depth, f_vars, f_uses) = (
        field(sf, "scope_fields", "script_node_index")?,
        field(sf, "scope_fields", "scope_id")?,
        field(sf, "scope_fields", "depth")?,
        field(sf, "scope_fields", "scope_context_vars_count")?,
        field(sf, "scope_fields", "scope_uses_count")?,
    );
    let vf = &header.scope_context_var_fields;
    let f_name = field(vf, "scope_context_var_fields", "name")?;
    let uf = &header.scope_use_fields;
    let (f_declaring, f_slot) = (
        field(uf, "scope_use_fields", "declaring_scope_id")?,
        field(uf, "scope_use_fields", "slot_index")?,
    );
    let scope_values = numbers(bytes, scopes.clone(), SCOPE_TABLE_KEYS[0])?;
    let var_values = table(bytes, vars, SCOPE_TABLE_KEYS[1])?;
    let use_values = table(bytes, uses, SCOPE_TABLE_KEYS[2])?;
    let scope_rows = rows(&scope_values, sf.len(), SCOPE_TABLE_KEYS[0], scopes.start)?;
    let var_rows = rows(&var_values, vf.len(), SCOPE_TABLE_KEYS[1], 0)?;
    let use_rows = rows(&use_values, uf.len(), SCOPE_TABLE_KEYS[2], 0)?;

    let var_names: Vec<u32> = var_rows.iter().map(|row| row[f_name]).collect();
    if let Some(bad) = var_names.iter().find(|&&name| name as usize >= strings) {
        return Err(Error::malformed(format!(
            "the \"scope_context_vars\" table names string {bad} but the \"strings\" array has only {strings} strings"
        )));
    }
    let uses: Vec<ScopeUse> = use_rows
        .iter()
        .map(|row| ScopeUse {
            declaring_scope_id: row[f_declaring],
            slot_index: row[f_slot],
        })
        .collect();
    let (mut var_at, mut use_at) = (0usize, 0usize);
    let mut previous: Option<(u32, u32)> = None;
    let mut out = Vec::with_capacity(scope_rows.len());
    for (i, row) in scope_rows.iter().enumerate() {
        let (script, depth) = (row[f_script], row[f_depth]);
        let deepest = match previous {
            Some((prev_script, prev_depth)) if prev_script == script => prev_depth + 1,
            _ => 0,
        };
        if depth > deepest {
            return Err(Error::malformed(format!(
                "scope {i} of the \"scopes\" table has depth {depth}, deeper than its parent allows ({deepest})"
            )));
        }
        previous = Some((script, depth));
        let vars = take(
            &mut var_at,
            row[f_vars],
            var_names.len(),
            i,
            "scope_context_vars",
        )?;
        let used = take(&mut use_at, row[f_uses], uses.len(), i, "scope_uses")?;
        out.push(ScopeRow {
            script_node_index: script,
            scope_id: row[f_id],
            depth,
            vars,
            uses: used,
        });
    }
    Ok(ScopeTables {
        present: !out.is_empty(),
        rows: out,
        var_names,
        uses,
    })
}

/// The next `count` rows of a table from `*at`, checked against its `len` rows.
fn take(
    at: &mut usize,
    count: u32,
    len: usize,
    scope: usize,
    table: &str,
) -> Result<std::ops::Range<usize>> {
    let start = *at;
    let end = start + count as usize;
    if end > len {
        return Err(Error::malformed(format!(
            "scope {scope} of the \"scopes\" table counts rows past the end of the \"{table}\" table ({len} rows)"
        )));
    }
    *at = end;
    Ok(start..end)
}

/// A table's values, or none when the section is absent.
fn table(bytes: &[u8], range: &Option<std::ops::Range<usize>>, name: &str) -> Result<Vec<u32>> {
    match range {
        Some(range) => numbers(bytes, range.clone(), name),
        None => Ok(Vec::new()),
    }
}

/// Splits `values` into rows of `fields`.
fn rows<'a>(values: &'a [u32], fields: usize, name: &str, offset: usize) -> Result<Vec<&'a [u32]>> {
    if fields == 0 || !values.len().is_multiple_of(fields) {
        return Err(Error::at(
            offset,
            format!(
                "the \"{name}\" table has {} values, not a multiple of its {fields} fields",
                values.len()
            ),
        ));
    }
    Ok(values.chunks_exact(fields).collect())
}

/// The integers of the JSON array at `range` (brackets included), read as DevTools' loader
/// reads them: digits only, a minus sign skipped, wrapped to 32 bits.
fn numbers(bytes: &[u8], range: std::ops::Range<usize>, name: &str) -> Result<Vec<u32>> {
    let text = &bytes[range.clone()];
    let not_numbers = |at: usize| {
        Error::at(
            range.start + at,
            format!("the \"{name}\" table is not an array of integers"),
        )
    };
    if text.first() != Some(&b'[') || text.last() != Some(&b']') {
        return Err(not_numbers(0));
    }
    let inner = &text[1..text.len() - 1];
    let mut values = Vec::new();
    if inner.iter().all(u8::is_ascii_whitespace) {
        return Ok(values);
    }
    let mut at = 1;
    for item in inner.split(|&b| b == b',') {
        let trimmed = item.trim_ascii();
        let digits = trimmed.strip_prefix(b"-").unwrap_or(trimmed);
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return Err(not_numbers(at));
        }
        let value = digits.iter().fold(0u64, |n, &d| {
            (n * 10 + u64::from(d - b'0')) & u64::from(u32::MAX)
        });
        values.push(value as u32);
        at += item.len() + 1;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_digits_as_devtools_does() {
        let doc = b"[ -2, 0,17 ]";
        assert_eq!(numbers(doc, 0..doc.len(), "scopes").unwrap(), [2, 0, 17]);
        assert_eq!(numbers(b"[]", 0..2, "scopes").unwrap(), Vec::<u32>::new());
        let err = numbers(b"[1,x]", 0..5, "scopes").unwrap_err();
        assert!(err.to_string().contains("\"scopes\" table"), "{err}");
        assert_eq!(err.offset(), Some(3));
    }
}
