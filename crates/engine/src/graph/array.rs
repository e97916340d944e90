//! One settled array of the graph or of the analysis: built as an owned `Vec` while a snapshot
//! is parsed and analysed, or a typed view of a memory-mapped index when one is reopened (the
//! engine's `index` module), so reopening copies none of the big arrays. Readers see a slice
//! either way (`Deref<Target = [T]>`); writing to a mapped array first copies it (copy on
//! write), which only the analysis does, and only on arrays it built itself.

use bytemuck::Pod;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// An owned or memory-mapped array of plain values.
pub struct Array<T: Pod> {
    storage: Storage<T>,
}

enum Storage<T> {
    Owned(Vec<T>),
    /// `len` values at byte `offset` of `map`; [`Array::mapped`] checked bounds and alignment.
    Mapped {
        map: Arc<memmap2::Mmap>,
        offset: usize,
        len: usize,
    },
}

/// Why a region of a mapped file cannot be viewed as an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadRegion;

impl<T: Pod> Array<T> {
    /// A view of `len` values at byte `offset` of `map`, or [`BadRegion`] when they do not fit
    /// in it or are not aligned for `T`.
    pub fn mapped(map: &Arc<memmap2::Mmap>, offset: usize, len: usize) -> Result<Self, BadRegion> {
        let bytes = len.checked_mul(size_of::<T>()).ok_or(BadRegion)?;
        let end = offset.checked_add(bytes).ok_or(BadRegion)?;
        let region = map.get(offset..end).ok_or(BadRegion)?;
        bytemuck::try_cast_slice::<u8, T>(region).map_err(|_| BadRegion)?;
        Ok(Array {
            storage: Storage::Mapped {
                map: Arc::clone(map),
                offset,
                len,
            },
        })
    }

    /// True when the values live in a mapped file.
    pub fn is_mapped(&self) -> bool {
        matches!(self.storage, Storage::Mapped { .. })
    }

    /// The owned vector of values, to grow it (copied first when mapped).
    pub fn as_vec_mut(&mut self) -> &mut Vec<T> {
        if self.is_mapped() {
            self.storage = Storage::Owned(self.to_vec());
        }
        match &mut self.storage {
            Storage::Owned(v) => v,
            Storage::Mapped { .. } => unreachable!("copied above"),
        }
    }

    /// The values as an owned vector (copied when mapped).
    pub fn into_vec(self) -> Vec<T> {
        match self.storage {
            Storage::Owned(v) => v,
            Storage::Mapped { .. } => self.to_vec(),
        }
    }
}

impl<T: Pod> Deref for Array<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match &self.storage {
            Storage::Owned(v) => v,
            Storage::Mapped { map, offset, len } => {
                // Checked in `mapped`; the map never changes size.
                bytemuck::cast_slice(&map[*offset..*offset + len * size_of::<T>()])
            }
        }
    }
}

impl<T: Pod> DerefMut for Array<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_vec_mut()
    }
}

impl<T: Pod> From<Vec<T>> for Array<T> {
    fn from(v: Vec<T>) -> Self {
        Array {
            storage: Storage::Owned(v),
        }
    }
}

impl<T: Pod> Default for Array<T> {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl<T: Pod> Clone for Array<T> {
    fn clone(&self) -> Self {
        match &self.storage {
            Storage::Owned(v) => v.clone().into(),
            Storage::Mapped { map, offset, len } => Array {
                storage: Storage::Mapped {
                    map: Arc::clone(map),
                    offset: *offset,
                    len: *len,
                },
            },
        }
    }
}

impl<'a, T: Pod> IntoIterator for &'a Array<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T: Pod> IntoIterator for &'a mut Array<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Array<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().take(8))
            .finish_non_exhaustive()
    }
}

impl<T: Pod + PartialEq> PartialEq for Array<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_and_mapped_read_alike_and_mapped_copies_on_write() {
        let path = std::env::temp_dir().join(format!("heaptui-array-{}", std::process::id()));
        std::fs::write(&path, [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        // SAFETY: a private file of this test, never changed while mapped.
        let map = Arc::new(unsafe { memmap2::Mmap::map(&file) }.unwrap());
        let mut mapped = Array::<u32>::mapped(&map, 4, 2).unwrap();
        assert!(mapped.is_mapped());
        assert_eq!(&*mapped, &[2, 3]);
        assert_eq!(mapped, Array::from(vec![2, 3]));
        mapped[0] = 7;
        assert!(!mapped.is_mapped());
        assert_eq!(&*mapped, &[7, 3]);
        assert_eq!(Array::<u32>::mapped(&map, 4, 3).err(), Some(BadRegion));
        assert_eq!(Array::<u32>::mapped(&map, 2, 1).err(), Some(BadRegion));
        assert_eq!(
            Array::<u32>::mapped(&map, 0, usize::MAX).err(),
            Some(BadRegion)
        );
    }
}
