//! The objects opened inside an expanded class of a class table: each opened object's contents
//! tree ([`ObjectTree`]) sits right under its row. Rows of a class's block are addressed by
//! position (0 is its first object); this maps positions to objects and tree rows in the order
//! they are drawn, in time linear in the number of opened objects (a handful), never in the
//! class's size.

use super::object_tree::ObjectTree;

/// What is at a position of a class's block of object rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    /// The class's `index`-th object.
    Object(usize),
    /// Row `at` of the contents of the class's `index`-th object.
    Content {
        /// The opened object's position in the class's object list.
        index: usize,
        /// The row of its tree.
        at: usize,
    },
}

/// The opened objects of one class, in object order.
#[derive(Default)]
pub struct OpenedObjects {
    trees: Vec<(usize, ObjectTree)>,
}

impl OpenedObjects {
    /// Rows the opened trees add to the block.
    pub fn extra_rows(&self) -> usize {
        self.trees.iter().map(|(_, t)| t.len()).sum()
    }

    /// True when no object is opened.
    pub fn is_empty(&self) -> bool {
        self.trees.is_empty()
    }

    /// What is at position `p` of the block.
    pub fn locate(&self, p: usize) -> Located {
        let mut before = 0;
        for (index, tree) in &self.trees {
            let at = index + before;
            if p <= at {
                return Located::Object(p - before);
            }
            if p <= at + tree.len() {
                return Located::Content {
                    index: *index,
                    at: p - at - 1,
                };
            }
            before += tree.len();
        }
        Located::Object(p - before)
    }

    /// The position of the class's `index`-th object in the block.
    pub fn position_of(&self, index: usize) -> usize {
        index
            + self
                .trees
                .iter()
                .take_while(|(i, _)| *i < index)
                .map(|(_, t)| t.len())
                .sum::<usize>()
    }

    /// The tree of the `index`-th object, if it is opened.
    pub fn get(&self, index: usize) -> Option<&ObjectTree> {
        self.slot(index).ok().map(|s| &self.trees[s].1)
    }

    /// The tree of the `index`-th object, if it is opened, to change it.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut ObjectTree> {
        self.slot(index).ok().map(|s| &mut self.trees[s].1)
    }

    /// Opens the `index`-th object with `tree`.
    pub fn open(&mut self, index: usize, tree: ObjectTree) {
        match self.slot(index) {
            Ok(s) => self.trees[s].1 = tree,
            Err(s) => self.trees.insert(s, (index, tree)),
        }
    }

    /// Closes the `index`-th object; returns whether it was open.
    pub fn close(&mut self, index: usize) -> bool {
        match self.slot(index) {
            Ok(s) => {
                self.trees.remove(s);
                true
            }
            Err(_) => false,
        }
    }

    /// Takes every tree out, with the position of its object.
    pub fn take_all(&mut self) -> Vec<(usize, ObjectTree)> {
        std::mem::take(&mut self.trees)
    }

    fn slot(&self, index: usize) -> Result<usize, usize> {
        self.trees.binary_search_by_key(&index, |(i, _)| *i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_without_trees_are_objects() {
        let opened = OpenedObjects::default();
        assert_eq!(opened.locate(5), Located::Object(5));
        assert_eq!(opened.position_of(5), 5);
        assert_eq!(opened.extra_rows(), 0);
    }
}
