//! What releasing a query's objects would free (`W` in the query view): the present crate's
//! [`WhatIf`] of `heaptui what-if --query`, computed in the background and shown in a popup
//! in the same words as the command (freed bytes each object once, freed objects by class,
//! what stays alive though they hold it). Any key closes it.

use super::jobs::Pending;
use heaptui_engine::Snapshot;
use heaptui_present::release::WhatIf;

/// Members the popup lists, as many as `heaptui what-if` lists by default.
pub const MEMBERS: usize = 10;

/// The release of one set of objects: computing, then its document.
pub struct Release {
    /// How many objects are released.
    pub released: usize,
    pending: Pending<WhatIf>,
    document: Option<WhatIf>,
}

impl Release {
    /// Starts releasing `members` (nodes of `snapshot`, the root left out).
    pub fn start(snapshot: Snapshot, mut members: Vec<u32>) -> Release {
        members.sort_unstable();
        members.dedup();
        members.retain(|&n| n != snapshot.root());
        let released = members.len();
        let pending = Pending::start("what-if", move |_| {
            WhatIf::new(&snapshot, &members, MEMBERS)
        });
        Release {
            released,
            pending,
            document: None,
        }
    }

    /// The document, once computed.
    pub fn document(&self) -> Option<&WhatIf> {
        self.document.as_ref()
    }

    /// True while it computes.
    pub fn is_running(&self) -> bool {
        self.pending.is_running()
    }

    /// `what-if… 1.2 s` while it computes.
    pub fn progress(&self) -> Option<String> {
        self.pending.progress()
    }

    /// Takes in the document once computed; returns whether it just landed.
    pub fn poll(&mut self) -> bool {
        let Some(result) = self.pending.poll() else {
            return false;
        };
        self.document = result;
        true
    }
}
