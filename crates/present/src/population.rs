//! The paths of a population as the front ends show them: which objects (a class's, or its new
//! ones since an earlier snapshot), the JSON document of `heaptui paths` (field names are an
//! interface) and one line per path shape.

use crate::{format, labels};
use heaptui_common::error::{Error, Result};
use heaptui_engine::{ComparisonRows, Snapshot};
use heaptui_leaks::explain::Paths as ExplanatoryPaths;
use heaptui_leaks::population::{self, Group, ShapeStep};
use serde::Serialize;

/// Every object of the Summary class `class` (every row of that name: DevTools splits a class
/// by where it is defined).
pub fn instances(snapshot: &Snapshot, class: &str) -> Vec<u32> {
    snapshot
        .summary()
        .iter()
        .filter(|row| row.name == class)
        .flat_map(|row| row.nodes.iter().copied())
        .collect()
}

/// The objects of `class` in `after` that `base` does not have, by object id; an error when
/// the two are not snapshots of one process (their ids say nothing then).
pub fn new_instances(base: &Snapshot, after: &Snapshot, class: &str) -> Result<Vec<u32>> {
    match heaptui_engine::compare(base, after, None).rows {
        ComparisonRows::ById(rows) => Ok(rows
            .iter()
            .filter(|row| row.name == class)
            .flat_map(|row| row.added.iter().copied())
            .collect()),
        ComparisonRows::ByClass(_) => Err(Error::usage(
            "new objects need two snapshots of one process: these have unrelated object ids",
        )),
    }
}

/// The document for `objects` of `class` in `snapshot` (new since `new_since`, when named),
/// its first `top` shapes.
pub fn build(
    snapshot: &Snapshot,
    class: &str,
    new_since: Option<String>,
    objects: &[u32],
    top: usize,
) -> Paths {
    let groups = population::group(&ExplanatoryPaths::new(snapshot), objects);
    Paths::new(snapshot, class, new_since, objects.len(), &groups, top)
}

/// `heaptui paths --json`.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Paths {
    /// The snapshot file.
    pub file: String,
    /// The Summary class whose objects were followed.
    pub class_name: String,
    /// With `--new-since`: the earlier snapshot; only objects new since it were followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_since: Option<String>,
    /// How many objects were followed.
    pub objects: usize,
    /// How many path shapes they have.
    pub shapes: usize,
    /// The most common shapes, most objects first.
    pub groups: Vec<PathGroup>,
    /// Shapes left out (`--top`).
    pub more: usize,
}

/// Objects whose paths have one shape.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PathGroup {
    /// How many.
    pub count: usize,
    /// Their share of the objects followed, in percent.
    pub percent: f64,
    /// Their retained size, added up.
    pub retained_size: u64,
    /// A few of their object ids, to open.
    pub examples: Vec<u32>,
    /// The shape, from the objects towards the GC roots.
    pub path: Vec<PathShapeStep>,
}

/// One step of a path shape.
#[derive(Serialize, serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PathShapeStep {
    /// The edge's type.
    pub edge_type: String,
    /// The edge's name (empty for array elements: any index).
    pub edge_name: String,
    /// The retaining object's class.
    pub class_name: String,
    /// For a folded run (a linked list): the fewest and most hops among the group's paths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeated: Option<[u32; 2]>,
}

impl Paths {
    /// The document for `groups` of `objects` objects of `class_name`, the first `top` shapes.
    pub fn new(
        snapshot: &Snapshot,
        class_name: &str,
        new_since: Option<String>,
        objects: usize,
        groups: &[Group],
        top: usize,
    ) -> Paths {
        Paths {
            file: snapshot.path().display().to_string(),
            class_name: class_name.to_string(),
            new_since,
            objects,
            shapes: groups.len(),
            groups: groups
                .iter()
                .take(top)
                .map(|g| PathGroup {
                    count: g.count,
                    percent: 100.0 * g.count as f64 / objects.max(1) as f64,
                    retained_size: g.retained,
                    examples: g.examples.iter().map(|&n| snapshot.node_id(n)).collect(),
                    path: g.shape.iter().map(step_doc).collect(),
                })
                .collect(),
            more: groups.len().saturating_sub(top),
        }
    }
}

fn step_doc(step: &ShapeStep) -> PathShapeStep {
    PathShapeStep {
        edge_type: step.edge_type.clone(),
        edge_name: step.edge_name.clone(),
        class_name: step.class_name.clone(),
        repeated: (step.repeated != (1, 1)).then_some([step.repeated.0, step.repeated.1]),
    }
}

/// A shape on one line, towards the roots: `next ×1–599 in Job ← head in JobQueue ← …`
/// (element edges as `[]`).
pub fn shape_line(path: &[PathShapeStep]) -> String {
    path.iter()
        .map(|s| {
            let edge = if s.edge_type == "element" {
                "[]".to_string()
            } else {
                labels::edge(&s.edge_type, &s.edge_name)
            };
            let repeated = match s.repeated {
                Some([low, high]) if low == high => format!(" ×{high}"),
                Some([low, high]) => format!(" ×{low}–{high}"),
                None => String::new(),
            };
            format!(
                "{edge}{repeated} in {}",
                format::truncate(&s.class_name, 40)
            )
        })
        .collect::<Vec<_>>()
        .join(" ← ")
}
