//! Leak suspects: the growing holders of a series ([`super::holders`]), ranked, each with what
//! it accumulates, its explanatory path to the GC roots ([`super::explain`]), the code to
//! look at ([`super::code`]) and the leak pattern it looks like ([`super::patterns`]).
//!
//! Ranking (memlab's "unbound" growth, then MAT's size): holders that grew in every interval
//! (members and retained size), then more growing intervals, then the memory their members
//! gained over the series, then the node (stable). The series' first and last snapshots decide how
//! objects are recognised: by id within one process, by class growth and path shape across
//! processes ([`super::Identity`]).

use super::allocations;
use super::code::{self, Function};
use super::explain::{Choice, Hop, Paths};
use super::holders::{self, Accumulated, Holder};
use super::patterns::{self, Evidence, Pattern, Step};
use super::stores::{self, Stored};
use super::trend::TrendRow;
use super::Identity;
use heaptui_engine::{Location, MatchBy, Snapshot};

/// One hop of a path as a suspect shows it: the edge and the object it leaves, as DevTools
/// names both, with the function's definition site for closures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    /// The retaining object (a node of the last snapshot).
    pub node: u32,
    /// Its object id.
    pub id: u32,
    /// The edge's type (`property`, `context`, `element`, `internal`, …).
    pub edge_type: String,
    /// The edge's name (element edges: the index).
    pub edge_name: String,
    /// The object as DevTools' Object column names it (`handler()`, `(Stack roots)`).
    pub name: String,
    /// Its Summary class.
    pub class_name: String,
    /// For functions: the script's name, where the snapshot has it.
    pub script_name: Option<String>,
    /// For functions: where it is defined (0-based, as stored).
    pub location: Option<Location>,
    /// How many hops of this edge name and class follow one another here (a linked list's
    /// `next ×600`), folded into this step; 1 for a single hop.
    pub repeated: u32,
}

/// One ranked suspect: a holder and what it explains.
#[derive(Debug, Clone)]
pub struct Suspect {
    /// The holder, its members in each snapshot and what accumulates under it.
    pub holder: Holder,
    /// The holder as DevTools names it.
    pub holder_name: String,
    /// The holder's class.
    pub holder_class: String,
    /// The trend of the class that accumulates most, across the series.
    pub trend: Option<TrendRow>,
    /// From a typical member to the holder (the holder last).
    pub inner_path: Vec<PathStep>,
    /// From the holder to the GC roots (the root-held object last).
    pub holder_path: Vec<PathStep>,
    /// How the holder path was chosen.
    pub path_choice: Choice,
    /// The functions to look at.
    pub code: Vec<Function>,
    /// Where the members were allocated (with allocation tracking only).
    pub allocated_at: Vec<allocations::Site>,
    /// A known leak pattern it matches.
    pub pattern: Option<Pattern>,
    /// What the holder stores directly in the last snapshot, by class ([`super::stores`]).
    pub stores: Vec<Stored>,
    /// True when the series spans processes: the holder was found in the other snapshots by
    /// the shape of its path, and its members are the objects of growing classes.
    pub by_shape: bool,
}

impl Suspect {
    /// The class that accumulates most, with its counts.
    pub fn leading(&self) -> Option<&Accumulated> {
        self.holder.accumulates.first()
    }

    /// Members added in each interval (negative when they went).
    pub fn growth(&self) -> Vec<i64> {
        self.holder
            .members
            .windows(2)
            .map(|w| w[1] as i64 - w[0] as i64)
            .collect()
    }

    /// The whole path from a member to the roots, as (edge, class) steps.
    pub fn steps(&self) -> Vec<Step> {
        self.inner_path
            .iter()
            .chain(&self.holder_path)
            .map(|s| Step {
                edge_name: s.edge_name.clone(),
                class_name: s.class_name.clone(),
            })
            .collect()
    }
}

/// Ranks the top suspects of a series of snapshots (oldest first; two or more), whose
/// per-class `trend` comes from the same snapshots. Returns how the series was matched (by
/// id when all its snapshots come from one process) with the suspects.
pub fn of_series(
    snapshots: &[Snapshot],
    trend: &[TrendRow],
    top: usize,
) -> (MatchBy, Vec<Suspect>) {
    let identity = Identity::of_series(snapshots, trend);
    let match_by = if identity.is_same_process() {
        MatchBy::Id
    } else {
        MatchBy::Class
    };
    let paths: Vec<Paths<'_>> = snapshots.iter().map(Paths::new).collect();
    let mut found = holders::find(snapshots, &identity, &paths);
    found.sort_by(|a, b| {
        b.grew_every_interval()
            .cmp(&a.grew_every_interval())
            .then(b.growing_intervals().cmp(&a.growing_intervals()))
            .then(b.accumulated().cmp(&a.accumulated()))
            .then(a.node.cmp(&b.node))
    });
    found.truncate(top);
    let last = &snapshots[snapshots.len() - 1];
    let kept = if found.is_empty() {
        Vec::new()
    } else {
        stores::kept_objects(last)
    };
    let suspects = found
        .into_iter()
        .map(|h| {
            let children = last.edges_from(h.node).map(|(_, to)| to);
            let reallocated = identity.reallocated(snapshots, children);
            let stores = stores::stored(
                last,
                h.node,
                &|n| identity.counts(last, n),
                &|n| reallocated.contains(&n),
                &kept,
            );
            explain(
                &paths[snapshots.len() - 1],
                trend,
                h,
                stores,
                match_by == MatchBy::Class,
            )
        })
        .collect();
    (match_by, suspects)
}

/// A suspect for `holder` of the last snapshot `last`, which stores `stores` directly.
fn explain(
    paths: &Paths<'_>,
    trend: &[TrendRow],
    holder: Holder,
    stores: Vec<Stored>,
    by_shape: bool,
) -> Suspect {
    let last = paths.snapshot();
    let path = paths.of(holder.node);
    let holder_path: Vec<PathStep> = steps_of(last, &path.hops);
    let inner_path = holder
        .sample
        .first()
        .map(|&member| {
            let to_roots = paths.of(member).hops;
            let end = to_roots.iter().position(|h| h.node == holder.node);
            match end {
                Some(end) => steps_of(last, &to_roots[..=end]),
                None => Vec::new(),
            }
        })
        .unwrap_or_default();
    let members = holder.members.last().copied().unwrap_or(0);
    let code = code::functions(last, &holder.sample, members, &path.hops);
    let allocated_at = allocations::sites(last, &holder.sample, members);
    let holder_class = last.class_name(holder.node).to_string();
    let classes: Vec<&str> = holder
        .accumulates
        .iter()
        .map(|a| a.class_name.as_str())
        .collect();
    let held_via: Vec<&str> = code.iter().map(|f| f.via.as_str()).collect();
    let path_steps: Vec<Step> = holder_path
        .iter()
        .map(|s| Step {
            edge_name: s.edge_name.clone(),
            class_name: s.class_name.clone(),
        })
        .collect();
    let pattern = patterns::recognise(&Evidence {
        classes: &classes,
        holder_class: &holder_class,
        path: &path_steps,
        held_via: &held_via,
        linked: holder.linked * 2 > members,
    });
    let trend = holder.accumulates.first().and_then(|a| {
        trend
            .iter()
            .find(|t| t.name == a.class_name && (a.location.is_none() || t.location == a.location))
            .cloned()
    });
    Suspect {
        holder_name: last.object_cell(holder.node),
        holder_class,
        trend,
        inner_path,
        holder_path,
        path_choice: path.choice,
        code,
        allocated_at,
        pattern,
        stores,
        holder,
        by_shape,
    }
}

/// The hops of a path as the suspect shows them, runs of one edge name and class (a linked
/// list walked node by node) folded into their first step.
fn steps_of(snapshot: &Snapshot, hops: &[Hop]) -> Vec<PathStep> {
    let mut steps: Vec<PathStep> = Vec::with_capacity(hops.len());
    for step in unfolded_steps(snapshot, hops) {
        match steps.last_mut() {
            Some(last)
                if last.edge_name == step.edge_name
                    && last.edge_type == step.edge_type
                    && last.class_name == step.class_name =>
            {
                last.repeated += 1
            }
            _ => steps.push(step),
        }
    }
    steps
}

/// One step per hop.
fn unfolded_steps<'a>(
    snapshot: &'a Snapshot,
    hops: &'a [Hop],
) -> impl Iterator<Item = PathStep> + 'a {
    hops.iter().map(|hop| {
        let is_function = snapshot.type_name(hop.node) == "closure";
        let location = is_function.then(|| snapshot.location(hop.node)).flatten();
        let script_name = location
            .and_then(|_| snapshot.source_location(hop.node))
            .and_then(|s| s.script_name);
        PathStep {
            node: hop.node,
            id: snapshot.node_id(hop.node),
            edge_type: snapshot.edge_type_name(hop.edge).to_string(),
            edge_name: snapshot.edge_name(hop.edge),
            name: snapshot.object_cell(hop.node),
            class_name: snapshot.class_name(hop.node).to_string(),
            script_name,
            location,
            repeated: 1,
        }
    })
}
