//! WeakMap ephemeron edges. V8 names the two internal edges that keep a WeakMap value alive (one
//! from the key, one from the table) `N / part of key (K @k) -> value (V @v) pair in WeakMap
//! (table @t)`. Distances and dominators treat them specially.
//!
//! Source: DevTools `HeapSnapshot.tryParseWeakMapEdgeName` (a regex); matched here by a regex
//! with the same JS semantics (`\d` is ASCII, `.` excludes line terminators). Each string is
//! parsed once; edges then test a bit.

use crate::graph::HeapGraph;
use rayon::prelude::*;
use regex::Regex;
use std::collections::HashMap;

/// What an ephemeron edge name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ephemeron {
    /// Interned id of the name without its leading number (the part both edges share).
    pub pair: u32,
    /// The WeakMap table's node id.
    pub table_id: u64,
}

/// Ephemeron names of one snapshot, by string index.
pub struct EphemeronNames {
    /// The range of string indexes that are ephemeron names (a cheap first test per edge).
    range: std::ops::Range<u32>,
    bits: Vec<u64>,
    names: HashMap<u32, Ephemeron>,
}

impl EphemeronNames {
    /// Finds every string that is an ephemeron edge name.
    pub fn find(graph: &HeapGraph) -> EphemeronNames {
        let dot = r"[^\n\r\x{2028}\x{2029}]";
        let pattern = format!(
            r"^[0-9]+( / part of key \({dot}*? @[0-9]+\) -> value \({dot}*? @[0-9]+\) pair in WeakMap \(table @([0-9]+)\))$"
        );
        let re = Regex::new(&pattern).expect("valid ephemeron regex");
        let strings = &graph.strings;
        let count = strings.file_len();
        let mut bits = vec![0u64; count.div_ceil(64)];
        let mut names = HashMap::new();
        let mut pairs: HashMap<String, u32> = HashMap::new();
        // The substring test over every string in parallel (it runs before the lanes split, with
        // nothing else to do), the few candidates through the pattern in order.
        let candidates: Vec<u32> = (0..count as u32)
            .into_par_iter()
            .with_min_len(1 << 14)
            .filter(|&i| strings.get(i).contains(" pair in WeakMap (table @"))
            .collect();
        for i in candidates {
            let s = strings.get(i);
            let Some(c) = re.captures(s) else { continue };
            let Ok(table_id) = c[2].parse::<u64>() else {
                continue;
            };
            let next = pairs.len() as u32;
            let pair = *pairs.entry(c[1].to_string()).or_insert(next);
            bits[i as usize / 64] |= 1 << (i % 64);
            names.insert(i, Ephemeron { pair, table_id });
        }
        let range = match (names.keys().min(), names.keys().max()) {
            (Some(&low), Some(&high)) => low..high + 1,
            _ => 0..0,
        };
        EphemeronNames { range, bits, names }
    }

    /// The ephemeron a string index names, if it is one.
    #[inline]
    pub fn get(&self, string: u32) -> Option<Ephemeron> {
        if !self.range.contains(&string) {
            return None;
        }
        let word = self.bits.get(string as usize / 64)?;
        if word & (1 << (string % 64)) == 0 {
            return None;
        }
        self.names.get(&string).copied()
    }

    /// The string indexes an ephemeron name can have: an edge named outside them is none.
    #[cfg(target_arch = "x86_64")]
    pub fn name_range(&self) -> std::ops::Range<u32> {
        self.range.clone()
    }

    /// The type of the edges that can be ephemerons (internal), or none when the snapshot has
    /// no ephemeron names: a walk reads an edge's name to test it only for edges of this type,
    /// so without ephemerons it reads no name at all.
    pub fn edge_type(&self, graph: &HeapGraph) -> Option<u8> {
        if self.names.is_empty() {
            None
        } else {
            graph.edge_kinds.internal
        }
    }

    /// Number of distinct ephemeron pairs (for sizing pair-indexed tables).
    pub fn pair_count(&self) -> usize {
        self.names
            .values()
            .map(|e| e.pair as usize + 1)
            .max()
            .unwrap_or(0)
    }
}
