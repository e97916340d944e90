//! The Summary's presets, as DevTools' filter drop-down offers them: all objects, objects
//! allocated before a snapshot or between two, and the named filters. Both front ends name and
//! resolve them here.

use heaptui_engine::{NamedFilter, ObjectFilter, Snapshot};

/// A Summary preset.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// All objects (DevTools' default).
    All,
    /// Objects allocated before a snapshot was taken (ids up to its largest JS object id).
    AllocatedBefore,
    /// Objects allocated between two snapshots (ids after the first's largest, up to the
    /// second's).
    AllocatedBetween,
    /// Strings whose value another string holds too.
    DuplicatedStrings,
    /// Objects retained only through detached DOM nodes.
    DetachedDom,
    /// Objects retained only through closure contexts.
    Contexts,
    /// Objects retained only by the DevTools console.
    Console,
    /// Objects retained only through event handlers.
    EventHandlers,
}

impl Preset {
    /// The presets that need no other snapshot, in DevTools' order.
    pub const NAMED: [Preset; 5] = [
        Preset::DuplicatedStrings,
        Preset::DetachedDom,
        Preset::Contexts,
        Preset::Console,
        Preset::EventHandlers,
    ];

    /// The library's filter behind a named preset.
    pub fn named_filter(self) -> Option<NamedFilter> {
        Some(match self {
            Preset::DuplicatedStrings => NamedFilter::DuplicatedStrings,
            Preset::DetachedDom => NamedFilter::RetainedByDetachedDomNodes,
            Preset::Contexts => NamedFilter::RetainedByContexts,
            Preset::Console => NamedFilter::RetainedByConsole,
            Preset::EventHandlers => NamedFilter::RetainedByEventHandlers,
            Preset::All | Preset::AllocatedBefore | Preset::AllocatedBetween => return None,
        })
    }

    /// DevTools' wording of a named preset (the id-range ones name their snapshots, see
    /// [`allocated_title`]).
    pub fn title(self) -> &'static str {
        match self {
            Preset::All => "All objects",
            Preset::AllocatedBefore => "Objects allocated before",
            Preset::AllocatedBetween => "Objects allocated between",
            Preset::DuplicatedStrings => "Duplicated strings",
            Preset::DetachedDom => "Objects retained by detached DOM nodes",
            Preset::Contexts => "Objects retained by contexts",
            Preset::Console => "Objects retained by DevTools Console",
            Preset::EventHandlers => "Objects retained by event handlers",
        }
    }
}

/// Why a preset cannot be applied with the earlier snapshots given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresetMisuse {
    /// `allocated-between` without an earlier snapshot.
    NeedsEarlier,
    /// Earlier snapshots given to a preset that takes none (or too many of them).
    EarlierNotTaken,
}

/// The object filter of `preset` on `this`, with `earlier` snapshots (oldest first) for the
/// allocated-before/between presets: DevTools' Summary filter drop-down, for every front end.
/// `None` is "all objects".
pub fn object_filter(
    preset: Option<Preset>,
    earlier: &[Snapshot],
    this: &Snapshot,
) -> Result<Option<ObjectFilter>, PresetMisuse> {
    Ok(match (preset, earlier) {
        (None | Some(Preset::All), []) => None,
        (Some(Preset::AllocatedBefore), []) => Some(allocated(None, this)),
        (Some(Preset::AllocatedBefore), [s1]) => Some(allocated(None, s1)),
        (Some(Preset::AllocatedBetween), [s1]) => Some(allocated(Some(s1), this)),
        (Some(Preset::AllocatedBetween), [s1, s2]) => Some(allocated(Some(s1), s2)),
        (Some(Preset::AllocatedBetween), []) => return Err(PresetMisuse::NeedsEarlier),
        (Some(p), []) => p.named_filter().map(ObjectFilter::Named),
        _ => return Err(PresetMisuse::EarlierNotTaken),
    })
}

/// DevTools' "Objects allocated before S1" (`since` none) and "between S1 and S2" filters:
/// the ids after `since`'s largest JS object id, up to `until`'s.
pub fn allocated(since: Option<&Snapshot>, until: &Snapshot) -> ObjectFilter {
    ObjectFilter::IdRange {
        after_id: since.map_or(0, |s| s.max_js_object_id()),
        up_to_id: until.max_js_object_id(),
    }
}

/// `Objects allocated before until` or `Objects allocated between since and until`, with
/// the snapshots' labels.
pub fn allocated_title(since: Option<&str>, until: &str) -> String {
    match since {
        None => format!("Objects allocated before {until}"),
        Some(since) => format!("Objects allocated between {since} and {until}"),
    }
}
