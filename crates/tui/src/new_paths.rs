//! Where a class's new objects accumulate (`w` on a Comparison class row): the retaining
//! paths of the objects of that class new since the base snapshot, grouped by shape, most
//! objects first, as `heaptui paths AFTER CLASS --new-since BASE` lists them (the leaks
//! crate's population paths, worded by the present crate). The paths are followed in a
//! background job; `Enter` on a shape opens an example object's retainers in the Comparison.

use super::cursor::{Cursor, Move};
use super::jobs::Pending;
use super::keys::Command;
use heaptui_engine::Snapshot;
use heaptui_leaks::explain::Paths as ExplanatoryPaths;
use heaptui_leaks::population;
use heaptui_present::population::Paths;

/// Shapes listed, as many as `heaptui paths` lists by default.
pub const SHAPES: usize = 10;

/// The shapes, worded, and an example object (node) of each listed one.
pub struct Shapes {
    /// The document `heaptui paths --json` prints for the same objects.
    pub document: Paths,
    /// The first example object of each listed shape (a node of the after snapshot).
    pub examples: Vec<u32>,
}

/// What a key did to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The selection moved (or there is nothing to move yet).
    Moved,
    /// `Enter`: open the example object `node` of class `class` with its retainers.
    Open {
        /// The Comparison class.
        class: String,
        /// The example object, a node of the after snapshot.
        node: u32,
    },
    /// `Esc` or `←`: back to the Comparison.
    Back,
    /// The key is not the list's.
    NotMine,
}

/// The paths of one class's new objects: computing, then listed with a cursor.
pub struct NewPaths {
    class: String,
    objects: usize,
    pending: Pending<Shapes>,
    shapes: Option<Shapes>,
    cursor: Cursor,
}

impl NewPaths {
    /// Starts following the paths of `objects` (new objects of `class` in `after`, new since
    /// the snapshot `base`, named as the CLI's `--new-since` names it).
    pub fn start(after: Snapshot, base: String, class: String, objects: Vec<u32>) -> NewPaths {
        let count = objects.len();
        let name = class.clone();
        let pending = Pending::start("paths", move |_| {
            let groups = population::group(&ExplanatoryPaths::new(&after), &objects);
            let document = Paths::new(&after, &name, Some(base), objects.len(), &groups, SHAPES);
            let examples = groups
                .iter()
                .take(SHAPES)
                .filter_map(|g| g.examples.first().copied())
                .collect();
            Shapes { document, examples }
        });
        NewPaths {
            class,
            objects: count,
            pending,
            shapes: None,
            cursor: Cursor::default(),
        }
    }

    /// The class whose new objects are followed.
    pub fn class(&self) -> &str {
        &self.class
    }

    /// How many new objects are followed.
    pub fn objects(&self) -> usize {
        self.objects
    }

    /// The shapes, once followed.
    pub fn shapes(&self) -> Option<&Shapes> {
        self.shapes.as_ref()
    }

    /// True while the paths are being followed.
    pub fn is_running(&self) -> bool {
        self.pending.is_running()
    }

    /// What the job is doing, with its time, while it runs.
    pub fn progress(&self) -> Option<String> {
        self.pending.progress()
    }

    /// Takes in the job's result once it is done; returns whether it just landed.
    pub fn poll(&mut self) -> bool {
        let Some(result) = self.pending.poll() else {
            return false;
        };
        self.shapes = result;
        true
    }

    /// The selected shape's position.
    pub fn cursor(&self) -> usize {
        self.cursor.at()
    }

    /// The first shape drawn.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    fn len(&self) -> usize {
        self.shapes.as_ref().map_or(0, |s| s.document.groups.len())
    }

    /// Keeps the cursor within a window of `height` rows from the first row drawn.
    pub fn fit(&mut self, height: usize) {
        let len = self.len();
        self.cursor.fit(height, len);
    }

    /// Applies a key's `command` (pages of `page` rows).
    pub fn update(&mut self, command: Command, page: usize) -> Outcome {
        if let Some(step) = Move::of(command) {
            let len = self.len();
            self.cursor.apply(step, len, page.max(1));
            return Outcome::Moved;
        }
        match command {
            Command::Expand => match self.shapes.as_ref() {
                Some(shapes) => match shapes.examples.get(self.cursor.at()) {
                    Some(&node) => Outcome::Open {
                        class: self.class.clone(),
                        node,
                    },
                    None => Outcome::Moved,
                },
                None => Outcome::Moved,
            },
            Command::Back | Command::Collapse => Outcome::Back,
            _ => Outcome::NotMine,
        }
    }
}
