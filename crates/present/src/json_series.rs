//! The JSON shapes of the series commands (`trend`, `suspects`), built from the leaks crate's
//! results. Field names are an interface other tools depend on.

use heaptui_engine::{Location, MatchBy};
use heaptui_leaks::code::Role;
use heaptui_leaks::explain::Choice;
use heaptui_leaks::holders::Holds;
use heaptui_leaks::patterns::Step;
use heaptui_leaks::stores::{Origin, Stored};
use heaptui_leaks::{suspects, trend};
use serde::Serialize;

/// `heaptui trend --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trend {
    /// The snapshot files, in series order.
    pub snapshots: Vec<String>,
    /// One row per class, sustained growth first.
    pub classes: Vec<TrendClass>,
}

/// One class across the series.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrendClass {
    /// Constructor.
    pub name: String,
    /// Allocation site splitting same-named classes (as stored, 0-based).
    pub location: Option<Location>,
    /// Objects in each snapshot.
    pub counts: Vec<u64>,
    /// Shallow size in each snapshot.
    pub sizes: Vec<u64>,
    /// Set when the count grew between every two consecutive snapshots.
    pub grew_every_interval: bool,
}

/// `heaptui suspects --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suspects {
    /// The snapshot files, in series order.
    pub snapshots: Vec<String>,
    /// How new objects were told apart: `"id"` (one process) or `"class"`.
    pub matched_by: &'static str,
    /// How holders were found again across snapshots: `"id"` or `"pathShape"`.
    pub holders_matched_by: &'static str,
    /// Why ids could not match objects, for a series matched by class (the first pair not
    /// comparable by id, as [`crate::labels::matching_note`] words it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_note: Option<String>,
    /// The suspects, most likely first.
    pub suspects: Vec<SuspectJson>,
}

/// One leak suspect: a growing holder and what accumulates under it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuspectJson {
    /// The leading accumulated class (the holder's class when nothing leads).
    pub name: String,
    /// Its allocation site.
    pub location: Option<Location>,
    /// Its objects in each snapshot.
    pub counts: Vec<u64>,
    /// Its shallow size in each snapshot.
    pub sizes: Vec<u64>,
    /// New objects under the holder in the last snapshot.
    pub new_objects: u64,
    /// Their retained size.
    pub held_size: u64,
    /// The memory the new objects take.
    pub new_size: u64,
    /// Growth of the new objects per interval.
    pub growth: Vec<i64>,
    /// The leak pattern it looks like (`timers`, `listeners`, …).
    pub pattern: Option<&'static str>,
    /// What usually causes that pattern.
    pub hint: Option<&'static str>,
    /// The growing holder.
    pub holder: HolderJson,
    /// What accumulates under it, by class.
    pub accumulates: Vec<AccumulatedJson>,
    /// The path's shape (edge names and classes).
    pub path: Vec<Step>,
    /// The holder's path to the GC roots, holder first.
    pub holder_path: Vec<StepJson>,
    /// `"explanatory"` (named edges preferred) or `"shortest"` (DevTools' fallback).
    pub path_choice: &'static str,
    /// The code to look at: callbacks held, closures on the path.
    pub code: Vec<FunctionJson>,
    /// Where the new objects were allocated (allocation tracking only).
    pub allocated_at: Vec<SiteOfJson>,
    /// What the holder stores directly in the last snapshot, by class, the program's first.
    pub stores: Vec<StoredJson>,
}

/// One class of what a holder stores directly.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredJson {
    /// The class.
    pub class_name: String,
    /// Its constructor's definition site (as stored, 0-based).
    pub location: Option<Location>,
    /// `"program"` (a class of the program's own code), `"object"` (other objects) or
    /// `"runtime"` (strings, numbers, V8's system objects).
    pub origin: &'static str,
    /// Objects of the class the holder stores.
    pub count: u64,
    /// How many of them are new (count as accumulated).
    pub new_objects: u64,
    /// Their retained size together.
    pub retained_size: u64,
    /// The objects they keep alive together (each itself included).
    pub kept_objects: u64,
    /// What one retains on average.
    pub average_retained_size: u64,
    /// The objects one keeps alive on average.
    pub average_kept_objects: u64,
}

impl From<&Stored> for StoredJson {
    fn from(s: &Stored) -> Self {
        StoredJson {
            class_name: s.class_name.clone(),
            location: s.location,
            origin: match s.origin {
                Origin::Program => "program",
                Origin::Object => "object",
                Origin::Runtime => "runtime",
            },
            count: s.count,
            new_objects: s.new_objects,
            retained_size: s.retained,
            kept_objects: s.kept_objects,
            average_retained_size: s.average_retained(),
            average_kept_objects: s.average_kept(),
        }
    }
}

/// An allocation site of new objects.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteOfJson {
    /// The allocating function.
    pub function_name: String,
    /// Its location.
    pub location: Option<SiteJson>,
    /// New objects allocated there.
    pub new_objects: u64,
}

/// The object under which new objects accumulate.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HolderJson {
    /// Object id in the last snapshot.
    pub id: u32,
    /// Display name.
    pub name: String,
    /// Summary class.
    pub class_name: String,
    /// `"dominates"` or `"retains"` (shared ownership).
    pub holds: &'static str,
    /// Retained size in each snapshot (null where it did not exist).
    pub retained_sizes: Vec<Option<u64>>,
    /// New objects under it in each snapshot.
    pub new_objects: Vec<u64>,
}

/// One class accumulating under a holder.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccumulatedJson {
    /// The class.
    pub class_name: String,
    /// Its allocation site.
    pub location: Option<Location>,
    /// New objects of the class in the last snapshot.
    pub new_objects: u64,
    /// New objects of the class in each snapshot.
    pub counts: Vec<u64>,
    /// Their memory.
    pub size: u64,
}

/// A code location with its script's name.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteJson {
    /// The script's URL or file, where the snapshot names it.
    pub script_name: Option<String>,
    /// V8's script id.
    pub script_id: u32,
    /// 0-based line.
    pub line: u32,
    /// 0-based column.
    pub column: u32,
}

impl SiteJson {
    /// A location with its script's name; none without a location.
    pub fn new(script_name: &Option<String>, location: Option<Location>) -> Option<SiteJson> {
        location.map(|l| SiteJson {
            script_name: script_name.clone(),
            script_id: l.script_id,
            line: l.line,
            column: l.column,
        })
    }
}

/// One step of a holder's path to the GC roots.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepJson {
    /// Edge type.
    pub edge_type: String,
    /// Edge name.
    pub edge_name: String,
    /// Retaining object id.
    pub id: u32,
    /// Its display name.
    pub name: String,
    /// Its Summary class.
    pub class_name: String,
    /// A function's definition site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<SiteJson>,
    /// Hops of this edge name and class folded into this step (a linked list), when over one.
    #[serde(skip_serializing_if = "is_one")]
    pub repeated: u32,
}

/// A function to look at.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionJson {
    /// The function.
    pub function_name: String,
    /// Its definition site.
    pub location: Option<SiteJson>,
    /// New objects that share it.
    pub new_objects: u64,
    /// `"held"` (held by the new objects) or `"onPath"` (a closure on the path).
    pub role: &'static str,
    /// The edges from the new objects to it.
    pub via: String,
}

impl From<&suspects::Suspect> for SuspectJson {
    fn from(s: &suspects::Suspect) -> Self {
        let h = &s.holder;
        let leading = s.leading();
        SuspectJson {
            name: leading.map_or_else(|| s.holder_class.clone(), |a| a.class_name.clone()),
            location: leading.and_then(|a| a.location),
            counts: s.trend.as_ref().map_or_else(Vec::new, |t| t.counts.clone()),
            sizes: s.trend.as_ref().map_or_else(Vec::new, |t| t.sizes.clone()),
            new_objects: *h.members.last().unwrap_or(&0),
            held_size: *h.members_retained.last().unwrap_or(&0),
            new_size: h.new_size,
            growth: s.growth(),
            pattern: s.pattern.map(|p| p.id),
            hint: s.pattern.map(|p| p.hint),
            holder: HolderJson {
                id: h.id,
                name: s.holder_name.clone(),
                class_name: s.holder_class.clone(),
                holds: match h.holds {
                    Holds::Dominates => "dominates",
                    Holds::Retains => "retains",
                },
                retained_sizes: h.retained.clone(),
                new_objects: h.members.clone(),
            },
            accumulates: h
                .accumulates
                .iter()
                .map(|a| AccumulatedJson {
                    class_name: a.class_name.clone(),
                    location: a.location,
                    new_objects: *a.counts.last().unwrap_or(&0),
                    counts: a.counts.clone(),
                    size: a.size,
                })
                .collect(),
            path: s.steps(),
            holder_path: s
                .holder_path
                .iter()
                .map(|p| StepJson {
                    edge_type: p.edge_type.clone(),
                    edge_name: p.edge_name.clone(),
                    id: p.id,
                    name: p.name.clone(),
                    class_name: p.class_name.clone(),
                    location: SiteJson::new(&p.script_name, p.location),
                    repeated: p.repeated,
                })
                .collect(),
            path_choice: match s.path_choice {
                Choice::Explanatory => "explanatory",
                Choice::Shortest => "shortest",
            },
            code: s
                .code
                .iter()
                .map(|f| FunctionJson {
                    function_name: f.name.clone(),
                    location: SiteJson::new(&f.script_name, f.location),
                    new_objects: f.objects,
                    role: match f.role {
                        Role::Held => "held",
                        Role::OnPath => "onPath",
                    },
                    via: f.via.clone(),
                })
                .collect(),
            allocated_at: s
                .allocated_at
                .iter()
                .map(|a| SiteOfJson {
                    function_name: a.frame.function_name.clone(),
                    location: SiteJson::new(&a.frame.script_name, a.frame.location),
                    new_objects: a.objects,
                })
                .collect(),
            stores: s.stores.iter().map(Into::into).collect(),
        }
    }
}

impl Trend {
    /// The document for `rows` (already sorted and cut) of the series `snapshots`.
    pub fn of(snapshots: Vec<String>, rows: &[trend::TrendRow]) -> Trend {
        Trend {
            snapshots,
            classes: rows
                .iter()
                .map(|r| TrendClass {
                    name: r.name.clone(),
                    location: r.location,
                    counts: r.counts.clone(),
                    sizes: r.sizes.clone(),
                    grew_every_interval: r.grew_every_interval(),
                })
                .collect(),
        }
    }
}

impl Suspects {
    /// The document for the suspects `list` of the series `snapshots`, matched by `match_by`.
    pub fn of(snapshots: Vec<String>, match_by: MatchBy, list: &[suspects::Suspect]) -> Suspects {
        Suspects {
            snapshots,
            matched_by: crate::labels::match_name(match_by),
            holders_matched_by: if match_by == MatchBy::Class {
                "pathShape"
            } else {
                "id"
            },
            match_note: None,
            suspects: list.iter().map(Into::into).collect(),
        }
    }

    /// The document saying why the series was matched by class (`note`, when it was).
    pub fn with_note(self, note: Option<String>) -> Suspects {
        Suspects {
            match_note: note,
            ..self
        }
    }
}

fn is_one(n: &u32) -> bool {
    *n == 1
}
