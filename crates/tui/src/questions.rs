//! The questions' lists (`M` modules, `R` realms, `C` dead closure variables): each answer is
//! computed once per snapshot in the background by the present crate, as `heaptui modules`,
//! `realms` and `contexts` compute it, then listed with a cursor. A view takes the moving
//! keys, `Enter` and `Esc`, and says what the app should do ([`Outcome`]).

use super::cursor::Move;
use super::keys::Command;
use super::listing::Listing;
use heaptui_engine::{NamedFilter, Snapshot};
use heaptui_present::documents::realms::{ranked_fields, ContextsDoc, RealmsDoc};
use heaptui_present::modules::Modules;

/// What a key did to a question's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The selection moved (or there is nothing to move yet).
    Moved,
    /// `Enter` on row `at`.
    Open(usize),
    /// `Esc` or `←`: back to the Summary.
    Back,
    /// The key is not the list's.
    NotMine,
}

/// The list keys of a list of `len` rows (pages of `page`).
fn list_keys<T: Send + 'static>(
    listing: &mut Listing<T>,
    len: usize,
    command: Command,
    page: usize,
) -> Outcome {
    if let Some(step) = Move::of(command) {
        listing.apply(step, len, page);
        return Outcome::Moved;
    }
    match command {
        Command::Expand if listing.cursor() < len => Outcome::Open(listing.cursor()),
        Command::Expand => Outcome::Moved,
        Command::Back | Command::Collapse => Outcome::Back,
        _ => Outcome::NotMine,
    }
}

/// Memory by module of one snapshot (`heaptui modules`, every module listed).
pub struct ModulesView {
    /// The snapshot it is of.
    pub snapshot: usize,
    /// The document, computing then listed.
    pub listing: Listing<Modules>,
}

impl ModulesView {
    /// Starts attributing `snapshot`'s objects (snapshot `at`) to modules.
    pub fn start(at: usize, snapshot: Snapshot) -> ModulesView {
        ModulesView {
            snapshot: at,
            listing: Listing::start("modules", move |_| Modules::new(&snapshot, usize::MAX)),
        }
    }

    /// How many modules are listed.
    pub fn len(&self) -> usize {
        self.listing.value().map_or(0, |m| m.modules.len())
    }

    /// True while nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies a key's `command`.
    pub fn update(&mut self, command: Command, page: usize) -> Outcome {
        let len = self.len();
        list_keys(&mut self.listing, len, command, page)
    }
}

/// One row of the Realms view: a native context, the shared objects, or the unattributed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Realm {
    /// The realm's name (a native context's as DevTools shows it), unsanitised.
    pub name: String,
    /// The native context's object id, for a native context.
    pub node_id: Option<u32>,
    /// What only it reaches (shared: several; none: no native context).
    pub attributed_size: u64,
    /// DevTools' named filter of its objects.
    pub filter: String,
}

/// The heap by realm of one snapshot (`heaptui realms`).
pub struct RealmsView {
    /// The snapshot it is of.
    pub snapshot: usize,
    /// The document, computing then listed.
    pub listing: Listing<RealmsDoc>,
}

/// The names of the two rows after the native contexts, as `heaptui realms` words them.
const SHARED: &str = "shared (reached from several)";
const NONE: &str = "no native context";

impl RealmsView {
    /// Starts the native-context attribution of `snapshot` (snapshot `at`).
    pub fn start(at: usize, snapshot: Snapshot) -> RealmsView {
        RealmsView {
            snapshot: at,
            listing: Listing::start("realms", move |_| RealmsDoc::of(&snapshot)),
        }
    }

    /// The rows: each native context, then the shared objects and the unattributed.
    pub fn rows(&self) -> Vec<Realm> {
        let Some(doc) = self.listing.value() else {
            return Vec::new();
        };
        let mut rows: Vec<Realm> = doc
            .native_contexts
            .iter()
            .map(|c| Realm {
                name: c.node_name.clone(),
                node_id: Some(c.node_id),
                attributed_size: c.attributed_size,
                filter: c.filter.clone(),
            })
            .collect();
        for (name, size, filter) in [
            (SHARED, doc.shared_size, NamedFilter::SharedNativeContext),
            (NONE, doc.no_attribution_size, NamedFilter::NoNativeContext),
        ] {
            rows.push(Realm {
                name: name.to_string(),
                node_id: None,
                attributed_size: size,
                filter: filter.devtools_name(),
            });
        }
        rows
    }

    /// Applies a key's `command`.
    pub fn update(&mut self, command: Command, page: usize) -> Outcome {
        let len = self.rows().len();
        list_keys(&mut self.listing, len, command, page)
    }
}

/// The closure variables no live closure can read, of one snapshot (`heaptui contexts`).
pub struct ContextsView {
    /// The snapshot it is of.
    pub snapshot: usize,
    /// The document, computing then listed.
    pub listing: Listing<ContextsDoc>,
}

impl ContextsView {
    /// Starts DevTools' ContextAnalyzer on `snapshot` (snapshot `at`).
    pub fn start(at: usize, snapshot: Snapshot) -> ContextsView {
        ContextsView {
            snapshot: at,
            listing: Listing::start("contexts", move |_| ContextsDoc::of(&snapshot)),
        }
    }

    /// How many dead fields are listed.
    pub fn len(&self) -> usize {
        self.listing.value().map_or(0, |d| ranked_fields(d).len())
    }

    /// True while nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The object id of the context holding the field on row `at`.
    pub fn context_of(&self, at: usize) -> Option<u32> {
        let doc = self.listing.value()?;
        ranked_fields(doc)
            .get(at)
            .map(|r| r.context.context_node_id)
    }

    /// Applies a key's `command`.
    pub fn update(&mut self, command: Command, page: usize) -> Outcome {
        let len = self.len();
        list_keys(&mut self.listing, len, command, page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enter_opens_the_selected_row_and_esc_goes_back() {
        let mut listing = Listing::start("test", |_| ());
        assert_eq!(
            list_keys(&mut listing, 0, Command::Expand, 5),
            Outcome::Moved
        );
        assert_eq!(
            list_keys(&mut listing, 3, Command::Bottom, 5),
            Outcome::Moved
        );
        assert_eq!(list_keys(&mut listing, 3, Command::Down, 5), Outcome::Moved);
        assert_eq!(
            list_keys(&mut listing, 3, Command::Expand, 5),
            Outcome::Open(2)
        );
        assert_eq!(list_keys(&mut listing, 3, Command::Back, 5), Outcome::Back);
        assert_eq!(
            list_keys(&mut listing, 3, Command::Filter, 5),
            Outcome::NotMine
        );
    }
}
