//! What releasing a set of objects would free (memlab's what-if), as the front ends show it:
//! the freed bytes and objects by class, what the set's members retain on their own, and
//! what stays alive although the set holds it. The JSON document of `heaptui what-if` (field
//! names are an interface); the numbers come from [`Snapshot::release`].

use crate::format;
use crate::query::{retained_once, QueryObject};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::Snapshot;
use serde::Serialize;
use std::collections::HashMap;

/// Classes listed in each breakdown.
const TOP_CLASSES: usize = 10;

/// `heaptui what-if --json`.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct WhatIf {
    /// The snapshot file.
    pub file: String,
    /// How many objects are released.
    pub released: usize,
    /// The bytes freed if nothing else pointed at the set (each object once).
    pub freed_size: u64,
    /// The objects freed (the released ones included).
    pub freed_count: usize,
    /// The sum of the retained sizes of the members no other member dominates: what the
    /// members free one by one; `freedSize` is at least this, more where they share objects.
    pub members_retained_size: u64,
    /// The freed objects by class, most bytes first.
    pub freed_classes: Vec<ClassShare>,
    /// What stays alive although a freed object holds it (it has other paths from the roots).
    pub still_held: StillHeld,
    /// The first members, largest retained size first.
    pub members: Vec<QueryObject>,
    /// Members left out.
    pub more: usize,
}

/// Objects of one class within a set.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ClassShare {
    /// Summary class.
    pub class_name: String,
    /// How many.
    pub count: usize,
    /// Their self sizes, added up.
    pub size: u64,
}

/// The objects the freed ones hold that stay alive.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct StillHeld {
    /// How many.
    pub count: usize,
    /// Their self sizes, added up.
    pub self_size: u64,
    /// By class, most objects first.
    pub classes: Vec<ClassShare>,
}

impl WhatIf {
    /// Releases `members` (the root left out) and lists the first `top` of them.
    pub fn new(snapshot: &Snapshot, members: &[u32], top: usize) -> WhatIf {
        let release = snapshot.release(members);
        let mut ordered = members.to_vec();
        snapshot.order_by_retained(&mut ordered);
        let mut freed_classes = by_class(snapshot, &release.freed);
        freed_classes.sort_by(|a, b| b.size.cmp(&a.size).then(a.class_name.cmp(&b.class_name)));
        freed_classes.truncate(TOP_CLASSES);
        let mut held_classes = by_class(snapshot, &release.still_held);
        held_classes.sort_by(|a, b| b.count.cmp(&a.count).then(a.class_name.cmp(&b.class_name)));
        held_classes.truncate(TOP_CLASSES);
        WhatIf {
            file: snapshot.path().display().to_string(),
            released: members.len(),
            freed_size: release.freed_size,
            freed_count: release.freed.len(),
            members_retained_size: retained_once(snapshot, members),
            freed_classes,
            still_held: StillHeld {
                count: release.still_held.len(),
                self_size: release
                    .still_held
                    .iter()
                    .map(|&n| snapshot.self_size(n))
                    .sum(),
                classes: held_classes,
            },
            members: ordered
                .iter()
                .take(top)
                .map(|&n| QueryObject::of(snapshot, n))
                .collect(),
            more: members.len().saturating_sub(top),
        }
    }
}

/// `12 Foo (1.2 kB), 3 Bar (96 B)`: classes with their counts and sizes, sanitised.
pub fn classes_line(classes: &[ClassShare]) -> String {
    classes
        .iter()
        .map(|c| {
            format!(
                "{} {} ({})",
                format::count(c.count as u64),
                sanitize(&format::truncate(&c.class_name, 40)),
                format::bytes(c.size)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a release frees, in the three lines every front end shows (sanitised): what it frees
/// in all, by class, and what stays alive although the released objects hold it.
pub fn lines(doc: &WhatIf) -> [String; 3] {
    let still = &doc.still_held;
    [
        format!(
            "Releasing {} object{} in {} frees {} ({} objects); their own retained sizes add up to {}",
            format::count(doc.released as u64),
            if doc.released == 1 { "" } else { "s" },
            sanitize(&doc.file),
            format::bytes(doc.freed_size),
            format::count(doc.freed_count as u64),
            format::bytes(doc.members_retained_size)
        ),
        format!("freed: {}", classes_line(&doc.freed_classes)),
        format!(
            "still alive though held by them: {} objects ({}){}{}",
            format::count(still.count as u64),
            format::bytes(still.self_size),
            if still.classes.is_empty() { "" } else { ": " },
            classes_line(&still.classes)
        ),
    ]
}

/// `nodes` grouped by Summary class (unsorted).
fn by_class(snapshot: &Snapshot, nodes: &[u32]) -> Vec<ClassShare> {
    let mut classes: HashMap<&str, (usize, u64)> = HashMap::new();
    for &node in nodes {
        let entry = classes.entry(snapshot.class_name(node)).or_default();
        entry.0 += 1;
        entry.1 += snapshot.self_size(node);
    }
    classes
        .into_iter()
        .map(|(name, (count, size))| ClassShare {
            class_name: name.to_string(),
            count,
            size,
        })
        .collect()
}
