//! The string table: every string of the snapshot in one UTF-8 byte buffer plus end offsets
//! (20 M separate `String`s would cost ~0.5 GB of headers alone), and the few strings analysis
//! adds (class names such as `(system)` or `{a, b}`), which get indexes after the file's own.

use super::array::Array;

/// All strings of one snapshot, addressed by index as the snapshot's `name` fields do.
#[derive(Debug, Default, Clone)]
pub struct Strings {
    data: Array<u8>,
    ends: Ends,
    added: Vec<String>,
}

/// End offsets per file string: 4 bytes each while the data fits in 4 GiB.
#[derive(Debug, Clone)]
pub enum Ends {
    /// Offsets below 4 GiB.
    Narrow(Array<u32>),
    /// Offsets of a larger table.
    Wide(Array<u64>),
}

impl Default for Ends {
    fn default() -> Self {
        Ends::Narrow(Array::default())
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
            Ends::Narrow(v) if end <= u32::MAX as usize => v.with_vec(|v| v.push(end as u32)),
            Ends::Narrow(v) => {
                let mut wide: Vec<u64> = v.iter().map(|&e| u64::from(e)).collect();
                wide.push(end as u64);
                *self = Ends::Wide(wide.into());
            }
            Ends::Wide(v) => v.with_vec(|v| v.push(end as u64)),
        }
    }
}

impl Strings {
    /// An empty table with room for `bytes` bytes of file strings.
    pub fn with_capacity(bytes: usize) -> Self {
        Strings {
            data: Vec::with_capacity(bytes).into(),
            ..Strings::default()
        }
    }

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

    /// The table's parts: the file strings' bytes, their end offsets and the added strings
    /// (for the index).
    pub fn parts(&self) -> (&Array<u8>, &Ends, &[String]) {
        (&self.data, &self.ends, &self.added)
    }

    /// A table from its [`Strings::parts`], or `None` when the offsets do not cut `data` into
    /// UTF-8 strings in order (what [`Strings::get`] relies on).
    pub fn from_parts(data: Array<u8>, ends: Ends, added: Vec<String>) -> Option<Strings> {
        use rayon::prelude::*;
        // Checked in parallel: millions of strings, read from a just-mapped file.
        const STRINGS_PER_TASK: usize = 1 << 16;
        let valid = |i: usize| {
            let start = if i == 0 { 0 } else { ends.get(i - 1) };
            let bytes = data.get(start..ends.get(i))?;
            std::str::from_utf8(bytes).ok().map(|_| ())
        };
        (0..ends.len())
            .into_par_iter()
            .with_min_len(STRINGS_PER_TASK)
            .try_for_each(valid)
            .map(|()| Strings { data, ends, added })
    }

    /// Appends a file string (used by the parser and by tests).
    pub fn push_file_string(&mut self, s: &str) {
        assert!(self.added.is_empty(), "file strings come before added ones");
        self.data.with_vec(|d| d.extend_from_slice(s.as_bytes()));
        self.ends.push(self.data.len());
    }
}

/// Strings an analysis pass adds while the graph is shared read-only with other passes:
/// indexes are handed out after the table's current end, and the strings are appended in that
/// order once the pass is over.
#[derive(Debug, Clone)]
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

    /// The parts: the first index handed out, the strings added and the interned ones (for the
    /// index).
    pub fn parts(&self) -> (u32, &[String], &std::collections::HashMap<String, u32>) {
        (self.first, &self.added, &self.by_text)
    }

    /// Strings added after a table from their [`NewStrings::parts`].
    pub fn from_parts(
        first: u32,
        added: Vec<String>,
        by_text: std::collections::HashMap<String, u32>,
    ) -> NewStrings {
        NewStrings {
            first,
            added,
            by_text,
        }
    }

    /// The text of an index handed out here or already in `strings`.
    pub fn get<'a>(&'a self, strings: &'a Strings, index: u32) -> &'a str {
        if index >= self.first {
            &self.added[(index - self.first) as usize]
        } else {
            strings.get(index)
        }
    }
}
