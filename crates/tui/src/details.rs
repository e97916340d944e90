//! The details popup of one object (`i`): its type, id, sizes, distance and DOM state, where it
//! was defined, its dominators up to the root, a closure's captured variables with their sizes
//! and a string's whole value, scrollable. Everything from the snapshot is sanitised when the
//! popup is built; the layout step wraps the lines to the popup's width.

use crate::keys::Command;
use crate::{locations, text};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{DomState, Snapshot};
use heaptui_present::{format, labels, objects};

/// How many dominators the popup lists (a chain to the root is rarely longer; the rest are
/// summarised).
const MAX_DOMINATORS: usize = 40;

/// How a line of the popup is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A section title.
    Heading,
    /// A fact or a list entry.
    Text,
    /// Part of a string's value.
    Value,
}

/// What a key did to the details popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It scrolled (or stayed).
    Stay,
    /// It closes.
    Close,
    /// The program quits.
    Quit,
    /// It closes for the Dominators view below the object's dominator (`u`).
    ToDominator,
    /// It closes for the Dominators view below the object (`D`).
    KeptAlive,
}

/// The details of one object.
pub struct Details {
    /// Index of the object's snapshot.
    pub snapshot: usize,
    /// The object.
    pub node: u32,
    /// The popup's title: the object's value and id.
    pub title: String,
    lines: Vec<(Kind, String)>,
    wrapped: Vec<(Kind, String)>,
    wrapped_for: usize,
    /// First wrapped line shown.
    pub scroll: usize,
    page: usize,
    /// Built while the script names were still being found: the location shows `…`.
    names_pending: bool,
}

impl Details {
    /// The details of `node` of `snapshot` (index `index`).
    pub fn new(index: usize, snapshot: &Snapshot, node: u32) -> Details {
        let mut lines = Vec::new();
        let mut fact = |text: String| lines.push((Kind::Text, text));
        fact(format!(
            "type {} · class {} · id @{}",
            snapshot.type_name(node),
            sanitize(snapshot.class_name(node)),
            snapshot.node_id(node)
        ));
        fact(format!(
            "self {} · retained {} ({:.1}% of {}) · distance {}",
            format::bytes(snapshot.self_size(node)),
            format::bytes(snapshot.retained_size(node)),
            snapshot.retained_percent(snapshot.retained_size(node)),
            format::bytes(snapshot.total_size()),
            format::distance(snapshot.shown_distance(node)),
        ));
        let dom = snapshot.dom_state(node);
        if dom != DomState::Unknown || snapshot.type_name(node) == "native" {
            fact(format!("DOM state: {}", objects::dom_state(dom)));
        }
        if let Some(location) = locations::full(snapshot, node) {
            fact(format!("defined at {}", sanitize(&location)));
        }
        if let Some(value) = snapshot.number_value(node) {
            fact(format!("value {}", sanitize(&value)));
        }
        dominators(&mut lines, snapshot, node);
        variables(&mut lines, snapshot, node);
        if let Some(value) = snapshot.string_text(node) {
            lines.push((
                Kind::Heading,
                format!(
                    "Value ({} chars)",
                    format::count(value.chars().count() as u64)
                ),
            ));
            lines.push((Kind::Value, sanitize(&value).into_owned()));
        }
        let title = format!(
            "{} @{}",
            sanitize(&objects::value(snapshot, node, 60)),
            snapshot.node_id(node)
        );
        Details {
            snapshot: index,
            node,
            title,
            lines,
            wrapped: Vec::new(),
            wrapped_for: 0,
            scroll: 0,
            page: 1,
            names_pending: locations::pending(snapshot),
        }
    }

    /// Builds the popup again once the script names it showed as pending have landed,
    /// keeping its scroll position; returns whether it did.
    pub fn fill_in(&mut self, snapshot: &Snapshot) -> bool {
        if !self.names_pending || locations::pending(snapshot) {
            return false;
        }
        let scroll = self.scroll;
        *self = Details::new(self.snapshot, snapshot, self.node);
        self.scroll = scroll;
        true
    }

    /// Wraps the lines to `width` columns (once per width) and keeps the scroll position
    /// within `height` rows of them.
    pub fn fit(&mut self, width: usize, height: usize) {
        if width != self.wrapped_for {
            self.wrapped = self
                .lines
                .iter()
                .flat_map(|(kind, line)| wrap(line, width).into_iter().map(|l| (*kind, l)))
                .collect();
            self.wrapped_for = width;
        }
        self.page = height.max(1);
        self.scroll = self
            .scroll
            .min(self.wrapped.len().saturating_sub(self.page));
    }

    /// The wrapped lines (after [`Details::fit`]).
    pub fn wrapped(&self) -> &[(Kind, String)] {
        &self.wrapped
    }

    /// Applies a key's `command`: scrolling, `u` and `D` to the Dominators view, `q` quits;
    /// any other key closes the popup.
    pub fn update(&mut self, command: Option<Command>) -> Outcome {
        match command {
            Some(Command::Quit) => return Outcome::Quit,
            Some(Command::Up) => self.scroll_by(-1),
            Some(Command::Down) => self.scroll_by(1),
            Some(Command::PageUp) => self.page_by(-1),
            Some(Command::PageDown) => self.page_by(1),
            Some(Command::Top) => self.scroll = 0,
            Some(Command::Bottom) => self.scroll_by(isize::MAX),
            Some(Command::ToDominator) => return Outcome::ToDominator,
            Some(Command::KeptAlive) => return Outcome::KeptAlive,
            _ => return Outcome::Close,
        }
        Outcome::Stay
    }

    /// Scrolls by `delta` lines.
    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.wrapped.len().saturating_sub(self.page);
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }

    /// Scrolls by a page.
    pub fn page_by(&mut self, pages: isize) {
        self.scroll_by(pages * self.page as isize);
    }
}

/// The dominator chain, nearest first.
fn dominators(lines: &mut Vec<(Kind, String)>, snapshot: &Snapshot, node: u32) {
    let chain = snapshot.dominator_chain(node);
    if chain.len() < 2 {
        return;
    }
    lines.push((
        Kind::Heading,
        "Dominators (u goes to the first, D shows what this object keeps alive)".to_string(),
    ));
    for &d in chain[1..].iter().take(MAX_DOMINATORS) {
        let value = objects::value(snapshot, d, 60);
        let class = snapshot.class_name(d);
        let class = if class == value {
            String::new()
        } else {
            format!(" ({})", sanitize(class))
        };
        lines.push((
            Kind::Text,
            format!(
                "  {} @{}{class} · retained {}",
                sanitize(&value),
                snapshot.node_id(d),
                format::bytes(snapshot.retained_size(d))
            ),
        ));
    }
    if chain.len() - 1 > MAX_DOMINATORS {
        lines.push((
            Kind::Text,
            format!(
                "  … {} more up to the root",
                chain.len() - 1 - MAX_DOMINATORS
            ),
        ));
    }
}

/// A closure's captured variables, by scope.
fn variables(lines: &mut Vec<(Kind, String)>, snapshot: &Snapshot, node: u32) {
    let vars = snapshot.context_variables(node);
    if vars.is_empty() {
        return;
    }
    lines.push((Kind::Heading, "Captured variables".to_string()));
    let mut depth = usize::MAX;
    for v in vars {
        if v.depth != depth {
            depth = v.depth;
            let scope = if depth == 0 {
                "its own scope".to_string()
            } else {
                format!("{depth} scope(s) out")
            };
            lines.push((Kind::Text, format!(" {scope}:")));
        }
        lines.push((
            Kind::Text,
            format!(
                "  {} = {} @{}  self {}  retained {}",
                sanitize(&labels::edge("property", &snapshot.edge_name(v.edge))),
                sanitize(&objects::value(snapshot, v.node, 40)),
                snapshot.node_id(v.node),
                format::bytes(snapshot.self_size(v.node)),
                format::bytes(snapshot.retained_size(v.node))
            ),
        ));
    }
}

/// `line` cut into pieces of at most `width` display columns (one empty piece for an empty
/// line).
fn wrap(line: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in line.chars() {
        let w = text::char_width(c);
        if used + w > width {
            out.push(String::new());
            used = 0;
        }
        out.last_mut().expect("a line").push(c);
        used += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_by_display_width() {
        assert_eq!(wrap("abcdef", 4), ["abcd", "ef"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(wrap("短い名前", 5), ["短い", "名前"]);
    }
}
