//! The index file's layout: a fixed prelude, then the sections (raw little-endian arrays, each
//! at a [`ALIGN`]-byte boundary so it can be viewed in place), then the table of contents (the
//! key and, per section, its name, place, element size and xxh3 checksum), encoded with
//! postcard. The prelude says where the table is and holds its checksum.
//!
//! Prelude (little-endian): magic (8 bytes), format version (u32), [`ENDIAN_MARK`] (u32, reads
//! differently on a big-endian machine), pointer width in bytes (u32), 4 bytes of padding, the
//! table's offset (u64), length (u64) and xxh3 (u64): [`PRELUDE_LEN`] bytes.
//!
//! Invariant: a reader trusts nothing before [`Index::open`] has checked the prelude, the
//! table's checksum, every section's bounds, alignment and element size, and every section's
//! checksum; the sections' own lengths are checked against each other by the caller.

use super::key::Key;
use crate::graph::array::Array;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::{Seek, SeekFrom, Write};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64;

/// The first bytes of every index file.
pub const MAGIC: [u8; 8] = *b"HTINDEX\0";

/// The layout's version: bump it when the layout or a section's meaning changes.
pub const FORMAT_VERSION: u32 = 1;

/// Written as a little-endian u32; a big-endian reader would see other bytes.
const ENDIAN_MARK: u32 = 0x0102_0304;

/// Bytes before the first section.
pub const PRELUDE_LEN: usize = 48;

/// Sections start at multiples of this: a cache line, more than any element's alignment.
pub const ALIGN: usize = 64;

/// One section's entry in the table of contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    /// What it holds (`edge_to`, …).
    pub name: String,
    /// Byte offset in the file.
    pub offset: u64,
    /// Number of elements.
    pub len: u64,
    /// Bytes per element.
    pub element_size: u32,
    /// xxh3 of its bytes.
    pub checksum: u64,
}

/// The table of contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contents {
    /// The snapshot it was built from.
    pub key: Key,
    /// The sections.
    pub sections: Vec<Section>,
}

/// Why an index cannot be used (the note says it in a few words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad(pub String);

impl Bad {
    fn new(what: impl Into<String>) -> Bad {
        Bad(what.into())
    }
}

/// A section about to be written: its name and bytes.
pub struct Out<'a> {
    /// Its name.
    pub name: &'static str,
    /// Its bytes.
    pub bytes: &'a [u8],
    /// Bytes per element.
    pub element_size: usize,
}

impl<'a> Out<'a> {
    /// A section of the values in `values`.
    pub fn of<T: bytemuck::Pod>(name: &'static str, values: &'a [T]) -> Out<'a> {
        Out {
            name,
            bytes: bytemuck::cast_slice(values),
            element_size: size_of::<T>(),
        }
    }
}

/// Writes an index of `sections` for `key` to `file` (a new, empty file).
pub fn write(file: &mut std::fs::File, key: &Key, sections: &[Out]) -> std::io::Result<u64> {
    let checksums: Vec<u64> = sections.par_iter().map(|s| xxh3_64(s.bytes)).collect();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(&[0; PRELUDE_LEN])?;
    let mut at = PRELUDE_LEN as u64;
    let mut table = Vec::with_capacity(sections.len());
    for (s, checksum) in sections.iter().zip(checksums) {
        let padding = at.next_multiple_of(ALIGN as u64) - at;
        out.write_all(&[0; ALIGN][..padding as usize])?;
        at += padding;
        out.write_all(s.bytes)?;
        table.push(Section {
            name: s.name.to_string(),
            offset: at,
            len: (s.bytes.len() / s.element_size) as u64,
            element_size: s.element_size as u32,
            checksum,
        });
        at += s.bytes.len() as u64;
    }
    let contents = Contents {
        key: key.clone(),
        sections: table,
    };
    let encoded = postcard::to_stdvec(&contents).map_err(std::io::Error::other)?;
    out.write_all(&encoded)?;
    let end = at + encoded.len() as u64;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&prelude(at, encoded.len() as u64, xxh3_64(&encoded)))?;
    Ok(end)
}

fn prelude(table_offset: u64, table_len: u64, table_checksum: u64) -> [u8; PRELUDE_LEN] {
    let mut p = [0u8; PRELUDE_LEN];
    p[..8].copy_from_slice(&MAGIC);
    p[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    p[12..16].copy_from_slice(&ENDIAN_MARK.to_le_bytes());
    p[16..20].copy_from_slice(&(size_of::<usize>() as u32).to_le_bytes());
    p[24..32].copy_from_slice(&table_offset.to_le_bytes());
    p[32..40].copy_from_slice(&table_len.to_le_bytes());
    p[40..48].copy_from_slice(&table_checksum.to_le_bytes());
    p
}

/// An opened, checked index.
pub struct Index {
    map: Arc<memmap2::Mmap>,
    /// Its table of contents.
    pub contents: Contents,
}

impl Index {
    /// Maps `file` and checks its prelude and table of contents (not yet the sections' checksums:
    /// [`Index::verify`] does, once the key is known to match).
    pub fn open(file: &std::fs::File) -> Result<Index, Bad> {
        // SAFETY: a private (0600) file of our cache, replaced only by rename, never truncated
        // in place; another process truncating it anyway could raise SIGBUS, the accepted risk
        // of every mmap-based reader.
        let map =
            unsafe { memmap2::Mmap::map(file) }.map_err(|e| Bad(format!("cannot map: {e}")))?;
        let p = map
            .get(..PRELUDE_LEN)
            .ok_or_else(|| Bad::new("truncated"))?;
        let u32_at = |i: usize| u32::from_le_bytes(p[i..i + 4].try_into().expect("4 bytes"));
        let u64_at = |i: usize| u64::from_le_bytes(p[i..i + 8].try_into().expect("8 bytes"));
        if p[..8] != MAGIC {
            return Err(Bad::new("not an index"));
        }
        if u32_at(8) != FORMAT_VERSION {
            return Err(Bad::new("another format version"));
        }
        if u32_at(12) != ENDIAN_MARK || u32_at(16) as usize != size_of::<usize>() {
            return Err(Bad::new("written on another kind of machine"));
        }
        let (offset, len) = (u64_at(24), u64_at(32));
        let table = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(len).ok())
            .and_then(|(o, l)| map.get(o..o.checked_add(l)?))
            .ok_or_else(|| Bad::new("truncated"))?;
        if xxh3_64(table) != u64_at(40) {
            return Err(Bad::new("its table of contents is corrupt"));
        }
        let contents: Contents =
            postcard::from_bytes(table).map_err(|_| Bad::new("unreadable table of contents"))?;
        Ok(Index {
            map: Arc::new(map),
            contents,
        })
    }

    /// Checks every section's bounds and checksum, in parallel (this reads the whole file).
    pub fn verify(&self) -> Result<(), Bad> {
        self.contents.sections.par_iter().try_for_each(|s| {
            let bytes = self.bytes_of(s)?;
            if xxh3_64(bytes) == s.checksum {
                Ok(())
            } else {
                Err(Bad(format!("section {} is corrupt", s.name)))
            }
        })
    }

    fn bytes_of(&self, s: &Section) -> Result<&[u8], Bad> {
        let start = usize::try_from(s.offset).ok();
        let len = usize::try_from(s.len)
            .ok()
            .and_then(|l| l.checked_mul(s.element_size as usize));
        start
            .zip(len)
            .and_then(|(start, len)| self.map.get(start..start.checked_add(len)?))
            .ok_or_else(|| Bad(format!("section {} lies outside the file", s.name)))
    }

    fn section(&self, name: &str) -> Result<&Section, Bad> {
        self.contents
            .sections
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Bad(format!("no section {name}")))
    }

    /// The section `name` viewed in place as values of `T`.
    pub fn array<T: bytemuck::Pod>(&self, name: &str) -> Result<Array<T>, Bad> {
        let s = self.section(name)?;
        if s.element_size as usize != size_of::<T>() {
            return Err(Bad(format!("section {name} has the wrong element size")));
        }
        let offset = usize::try_from(s.offset).map_err(|_| Bad(format!("section {name}")))?;
        let len = usize::try_from(s.len).map_err(|_| Bad(format!("section {name}")))?;
        Array::mapped(&self.map, offset, len).map_err(|_| {
            Bad(format!(
                "section {name} lies outside the file or is misaligned"
            ))
        })
    }

    /// True when the index has a section called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.section(name).is_ok()
    }

    /// The section `name`'s bytes decoded with postcard.
    pub fn decode<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, Bad> {
        let bytes = self.bytes_of(self.section(name)?)?;
        postcard::from_bytes(bytes).map_err(|_| Bad(format!("section {name} is unreadable")))
    }
}

/// Rewrites the table of contents of the index at `path` to list `sections`, each with the
/// checksum of its bytes as they are now: an index edited in place then looks undamaged, so a
/// test can check what catches a wrong value when no checksum does.
pub fn reseal(path: &std::path::Path, sections: Vec<Section>) -> std::io::Result<()> {
    let file = std::fs::File::open(path)?;
    let index = Index::open(&file).map_err(|Bad(why)| std::io::Error::other(why))?;
    // The prelude's table offset (bytes 24..32), checked in bounds by `Index::open`.
    let table_offset = u64::from_le_bytes(index.map[24..32].try_into().expect("8 bytes"));
    let sections = sections
        .into_iter()
        .map(|s| {
            let checksum = index.bytes_of(&s).map_or(0, xxh3_64);
            Section { checksum, ..s }
        })
        .collect();
    let contents = Contents {
        key: index.contents.key.clone(),
        sections,
    };
    let encoded = postcard::to_stdvec(&contents).map_err(std::io::Error::other)?;
    let mut bytes = index.map[..table_offset as usize].to_vec();
    drop(index);
    bytes[..PRELUDE_LEN].copy_from_slice(&prelude(
        table_offset,
        encoded.len() as u64,
        xxh3_64(&encoded),
    ));
    bytes.extend_from_slice(&encoded);
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key {
            format: FORMAT_VERSION,
            heaptui: "test".into(),
            path: "/x".into(),
            size: 1,
            modified_ns: 2,
            head_tail: 3,
        }
    }

    fn written() -> (std::path::PathBuf, u64) {
        let path = std::env::temp_dir().join(format!("heaptui-format-{}", std::process::id()));
        let mut file = std::fs::File::create(&path).unwrap();
        let small = postcard::to_stdvec(&vec!["a".to_string(), "b".into()]).unwrap();
        let end = write(
            &mut file,
            &key(),
            &[
                Out::of("bytes", &[1u8, 2, 3][..]),
                Out::of("words", &[7u64, 8][..]),
                Out::of("small", &small[..]),
            ],
        )
        .unwrap();
        (path, end)
    }

    #[test]
    fn sections_read_back_aligned_and_checked() {
        let (path, end) = written();
        let file = std::fs::File::open(&path).unwrap();
        assert_eq!(file.metadata().unwrap().len(), end);
        let index = Index::open(&file).unwrap();
        index.verify().unwrap();
        assert_eq!(index.contents.key, key());
        assert_eq!(&*index.array::<u8>("bytes").unwrap(), &[1, 2, 3]);
        assert_eq!(&*index.array::<u64>("words").unwrap(), &[7, 8]);
        assert!(index
            .contents
            .sections
            .iter()
            .all(|s| s.offset % ALIGN as u64 == 0));
        assert!(index.array::<u32>("words").is_err());
        let small: Vec<String> = index.decode("small").unwrap();
        assert_eq!(small, ["a", "b"]);

        // Every truncation and every flipped byte is caught by open or verify.
        let bytes = std::fs::read(&path).unwrap();
        for cut in 0..bytes.len() {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let file = std::fs::File::open(&path).unwrap();
            assert!(
                Index::open(&file).and_then(|i| i.verify()).is_err(),
                "cut at {cut}"
            );
        }
        for at in (0..bytes.len()).filter(|&i| !(20..24).contains(&i)) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x10;
            std::fs::write(&path, &flipped).unwrap();
            let file = std::fs::File::open(&path).unwrap();
            let read = Index::open(&file).and_then(|i| i.verify().map(|()| i));
            // Padding between sections is not covered by a checksum and changes nothing.
            if let Ok(index) = read {
                assert_eq!(
                    &*index.array::<u8>("bytes").unwrap(),
                    &[1, 2, 3],
                    "flip at {at}"
                );
                assert_eq!(
                    &*index.array::<u64>("words").unwrap(),
                    &[7, 8],
                    "flip at {at}"
                );
            }
        }
        let _ = std::fs::remove_file(&path);
    }
}
