//! The paths of a population: for a set of objects (a class's new objects, a holder's members,
//! every instance of a class), their retaining paths grouped by shape, most common first.
//!
//! Sources: Eclipse MAT's "merge shortest paths to GC roots" (one tree of all the set's paths)
//! and memlab's retainer-trace clustering (traces grouped by similarity). Definition: each
//! object's explanatory path ([`super::explain`]: the path a person can act on) is read as its
//! *shape*, the sequence of (edge, class) steps from the object to the root, with runs of one
//! edge and class folded (a linked list is one step, however long: the nodes of one list are
//! one group, their runs' lengths a range); objects whose paths have one shape form a group. Invariants: every object of the set is in exactly one group, and
//! the groups' counts add up to the set's size. Cost: one search per object, each stopping at
//! the first node an earlier one passed ([`Paths::of_member`]), so a population held by one
//! collection costs little more than one search.

use super::explain::Paths;
use heaptui_engine::{Snapshot, NO_OWNER};
use std::collections::HashMap;

/// One step of a path shape: the edge as DevTools prints it and the retaining object's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeStep {
    /// The edge's type (`property`, `context`, `element`, …).
    pub edge_type: String,
    /// The edge's name; for element edges empty, so that `[3]` and `[4]` are one shape.
    pub edge_name: String,
    /// The retaining object's Summary class.
    pub class_name: String,
    /// The fewest and the most hops of this edge and class folded into the step among the
    /// group's paths (a linked list walked from different nodes); `(1, 1)` for a single hop.
    pub repeated: (u32, u32),
}

/// What makes two steps one: all but the run's length.
type StepKey = (String, String, String);

/// The objects of a set whose paths have one shape.
#[derive(Debug, Clone)]
pub struct Group {
    /// The shape, from the objects towards the root.
    pub shape: Vec<ShapeStep>,
    /// How many objects of the set have it.
    pub count: usize,
    /// What they keep alive: each object's retained size less that of the set's objects it
    /// dominates (those count apart), added up. Over all groups this is the set's retained size,
    /// nothing counted twice: a list's nodes each keep their own part.
    pub retained: u64,
    /// A few of them (the first met), to open.
    pub examples: Vec<u32>,
}

/// Objects kept per group to open: enough to compare two.
pub const EXAMPLES: usize = 3;

/// The retaining paths of `objects` in `paths`' snapshot, grouped by shape, most objects first
/// (then most retained memory, then shape order, so the answer does not depend on hashing).
pub fn group(paths: &Paths<'_>, objects: &[u32]) -> Vec<Group> {
    let snapshot = paths.snapshot();
    let own = own_retained(snapshot, objects);
    let mut groups: HashMap<Vec<StepKey>, Group> = HashMap::new();
    for (&object, &own) in objects.iter().zip(&own) {
        let shape = shape_of(snapshot, paths, object);
        let key: Vec<StepKey> = shape
            .iter()
            .map(|s| {
                (
                    s.edge_type.clone(),
                    s.edge_name.clone(),
                    s.class_name.clone(),
                )
            })
            .collect();
        let group = groups.entry(key).or_insert_with(|| Group {
            shape: shape.clone(),
            count: 0,
            retained: 0,
            examples: Vec::new(),
        });
        for (step, this) in group.shape.iter_mut().zip(&shape) {
            step.repeated.0 = step.repeated.0.min(this.repeated.0);
            step.repeated.1 = step.repeated.1.max(this.repeated.1);
        }
        group.count += 1;
        group.retained += own;
        if group.examples.len() < EXAMPLES {
            group.examples.push(object);
        }
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.retained.cmp(&a.retained))
            .then_with(|| a.examples.cmp(&b.examples))
    });
    debug_assert_eq!(groups.iter().map(|g| g.count).sum::<usize>(), objects.len());
    groups
}

/// Per object, its retained size less that of the objects of the set it dominates nearest.
fn own_retained(snapshot: &Snapshot, objects: &[u32]) -> Vec<u64> {
    let mut own: Vec<u64> = objects.iter().map(|&o| snapshot.retained_size(o)).collect();
    let nearest = snapshot.nearest_owners(objects);
    for &object in objects {
        let dominator = snapshot.dominator(object);
        if dominator == object {
            continue;
        }
        let above = nearest[dominator as usize];
        if above != NO_OWNER {
            own[above as usize] -= snapshot.retained_size(object);
        }
    }
    own
}

/// The shape of `object`'s explanatory path, runs folded.
fn shape_of(snapshot: &Snapshot, paths: &Paths<'_>, object: u32) -> Vec<ShapeStep> {
    let mut shape: Vec<ShapeStep> = Vec::new();
    for hop in paths.of_member(object).hops {
        let edge_type = snapshot.edge_type_name(hop.edge);
        let edge_name = if edge_type == "element" {
            String::new()
        } else {
            snapshot.edge_name(hop.edge)
        };
        let class_name = snapshot.class_name(hop.node);
        match shape.last_mut() {
            Some(last)
                if last.edge_type == edge_type
                    && last.edge_name == edge_name
                    && last.class_name == class_name =>
            {
                last.repeated.0 += 1;
                last.repeated.1 += 1;
            }
            _ => shape.push(ShapeStep {
                edge_type: edge_type.to_string(),
                edge_name,
                class_name: class_name.to_string(),
                repeated: (1, 1),
            }),
        }
    }
    shape
}
