//! One settled array of the graph or of the analysis: built as an owned `Vec` while a snapshot
//! is parsed and analysed, or a typed view of a memory-mapped index when one is reopened (the
//! engine's `index` module), so reopening copies none of the big arrays. Readers see a slice
//! either way (`Deref<Target = [T]>`); writing to a mapped array first copies it (copy on
//! write), which only the analysis does, and only on arrays it built itself.

use bytemuck::Pod;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::Arc;

/// An owned or memory-mapped array of plain values.
///
/// Reading is the hot path of every analysis loop, so the array keeps where its values are
/// (`values`, `len`) beside what keeps them alive (`storage`): a `Deref` is a slice made from
/// those two words, with no branch on the storage (a `match` per access cost the DFS a quarter
/// of its time on the 1.5 GB bench snapshot).
pub struct Array<T: Pod> {
    /// The first value: the owned vector's buffer, or the mapped region.
    values: NonNull<T>,
    /// How many values.
    len: usize,
    /// What holds the values; `values` and `len` are re-derived whenever it changes.
    storage: Storage<T>,
}

enum Storage<T> {
    Owned(Vec<T>),
    /// The values lie in `map` ([`Array::mapped`] checked bounds and alignment).
    Mapped(Arc<memmap2::Mmap>),
}

// SAFETY: an `Array` owns its values like a `Vec` does, or shares a read-only mapping through
// an `Arc` (itself `Send` and `Sync`); the pointer is only an address inside one of those and
// is never used to reach anything else.
unsafe impl<T: Pod + Send> Send for Array<T> {}
// SAFETY: as above; shared access only ever reads.
unsafe impl<T: Pod + Sync> Sync for Array<T> {}

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
        let values = bytemuck::try_cast_slice::<u8, T>(region).map_err(|_| BadRegion)?;
        Ok(Array {
            values: NonNull::from(values).cast(),
            len,
            storage: Storage::Mapped(Arc::clone(map)),
        })
    }

    /// True when the values live in a mapped file.
    pub fn is_mapped(&self) -> bool {
        matches!(self.storage, Storage::Mapped(_))
    }

    /// Changes the values as an owned vector (copied first when mapped), e.g. to grow it.
    pub fn with_vec<R>(&mut self, change: impl FnOnce(&mut Vec<T>) -> R) -> R {
        let mut vec = match std::mem::replace(&mut self.storage, Storage::Owned(Vec::new())) {
            Storage::Owned(v) => v,
            Storage::Mapped(map) => {
                // `values` still points into `map`, alive until the copy is made.
                let copy = self.to_vec();
                drop(map);
                copy
            }
        };
        let result = change(&mut vec);
        *self = vec.into();
        result
    }

    /// The values as an owned vector (copied when mapped).
    pub fn into_vec(self) -> Vec<T> {
        match self.storage {
            Storage::Owned(v) => v,
            Storage::Mapped(_) => self.to_vec(),
        }
    }
}

impl<T: Pod> Deref for Array<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        // SAFETY: `values` and `len` describe initialised values held by `storage`, which
        // `&self` keeps alive and unchanged: an owned vector is only changed through
        // `with_vec`, which re-derives both, and a mapping never changes.
        unsafe { std::slice::from_raw_parts(self.values.as_ptr(), self.len) }
    }
}

impl<T: Pod> DerefMut for Array<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        if self.is_mapped() {
            let copy = self.to_vec();
            *self = copy.into();
        }
        // SAFETY: the values are an owned vector's (copied above when mapped), `values` came
        // from its `as_mut_ptr`, and `&mut self` makes this the only access to them.
        unsafe { std::slice::from_raw_parts_mut(self.values.as_ptr(), self.len) }
    }
}

impl<T: Pod> From<Vec<T>> for Array<T> {
    fn from(mut v: Vec<T>) -> Self {
        Array {
            // A vector's pointer is never null (dangling but aligned when empty).
            values: NonNull::new(v.as_mut_ptr()).expect("a vector's pointer"),
            len: v.len(),
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
            Storage::Mapped(map) => Array {
                values: self.values,
                len: self.len,
                storage: Storage::Mapped(Arc::clone(map)),
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
        mapped.with_vec(|v| v.extend_from_slice(&[9; 100]));
        assert_eq!(mapped.len(), 102);
        assert_eq!((mapped[0], mapped[1], mapped[101]), (7, 3, 9));
        assert_eq!(mapped.clone(), mapped);
        assert_eq!(Array::<u32>::mapped(&map, 4, 3).err(), Some(BadRegion));
        assert_eq!(Array::<u32>::mapped(&map, 2, 1).err(), Some(BadRegion));
        assert_eq!(
            Array::<u32>::mapped(&map, 0, usize::MAX).err(),
            Some(BadRegion)
        );
    }
}
