//! The keymap: one table maps keys to commands and feeds the help popup, so the help can never
//! disagree with what the keys do. Tapes and tests depend on these keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks the app to do (outside the filter prompt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Leave the program.
    Quit,
    /// Show the Summary view.
    Summary,
    /// Show the Comparison view (two or more snapshots).
    Comparison,
    /// Show the Trend view (three or more snapshots).
    Trend,
    /// Show the Suspects view (three or more snapshots).
    Suspects,
    /// Switch the snapshot the Summary view shows.
    SwitchSnapshot,
    /// Move focus between the table and the retainer pane.
    ToggleFocus,
    /// Move the selection up one row.
    Up,
    /// Move the selection down one row.
    Down,
    /// Move the selection up one page.
    PageUp,
    /// Move the selection down one page.
    PageDown,
    /// Select the first row.
    Top,
    /// Select the last row.
    Bottom,
    /// Expand the selected row.
    Expand,
    /// Collapse the selected row (or go to its parent).
    Collapse,
    /// Open the class filter prompt.
    Filter,
    /// Go back: collapse, leave the retainer pane, clear the filter.
    Back,
    /// Sort by the next column.
    NextSort,
    /// Reverse the sort order.
    ReverseSort,
    /// Sort the Comparison by # Delta, largest first (again: reversed).
    SortByDelta,
    /// Sort the Summary by Retained Size, largest first (again: reversed).
    SortByRetained,
    /// Open the retainer path to the GC roots.
    PathToRoots,
    /// Show or hide the help popup.
    Help,
    /// Show the Containment view (the heap from the root).
    Containment,
    /// Show the Dominators view (the dominator tree from the root).
    Dominators,
    /// Show the Statistics view.
    Statistics,
    /// Open the details of the selected object.
    Details,
    /// Show the selected object's dominator, in the Dominators view.
    ToDominator,
    /// Show what the selected object keeps alive, in the Dominators view.
    KeptAlive,
    /// Show the selected object's contents, in the Containment view.
    ContentsOf,
    /// List the edges DevTools hides in objects' contents too (or not).
    ToggleHiddenEdges,
    /// Apply the Summary's next preset.
    NextPreset,
    /// Apply the Summary's previous preset.
    PreviousPreset,
    /// Ignore the selected retainer.
    IgnoreRetainer,
    /// Restore every ignored retainer.
    RestoreRetainers,
    /// Where the selected Comparison class's new objects are held (their paths by shape).
    NewObjectPaths,
    /// Open the query prompt (the flags of `heaptui query`).
    Query,
    /// In the query view: what releasing its objects would free.
    WhatIf,
    /// Show the Modules view (memory by module).
    Modules,
    /// Show the Realms view (the heap by native context).
    Realms,
    /// Show the dead closure variables (DevTools' ContextAnalyzer).
    Contexts,
}

/// The keys and what they do, in the order the help popup lists them.
pub const HELP: &[(&str, &str)] = &[
    ("1", "Summary view"),
    ("2", "Comparison view, first → last snapshot"),
    ("3", "Trend view (three or more snapshots)"),
    ("4", "Suspects view (of a pair or a series)"),
    ("b", "Summary: next snapshot"),
    ("Tab", "focus table / retainers"),
    ("↑ ↓  j k", "move"),
    ("PgUp PgDn", "page up / down"),
    ("g G", "top / bottom"),
    ("Enter → l", "expand; in Suspects, open the holder"),
    ("← h", "collapse"),
    ("/", "filter classes (Enter keep, Esc clear)"),
    ("Esc", "back: collapse, leave pane, clear filter"),
    ("s", "sort by next column"),
    ("S", "reverse sort order"),
    ("d", "Comparison: sort by # Delta (again: reverse)"),
    ("r", "Summary: sort by Retained Size (again: reverse)"),
    ("p", "expand retainers to the GC roots"),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
];

/// The object views' keys, the help's second page (`?` again).
pub const VIEWS_HELP: &[(&str, &str)] = &[
    ("5", "Containment: the heap from the root"),
    ("6", "Dominators: what the root keeps alive"),
    ("7", "Statistics: the heap by category"),
    ("Enter → l", "on an object: open its contents"),
    ("i", "details: sizes, dominators, value, variables"),
    ("u", "go to the object's dominator"),
    ("D", "what the object keeps alive"),
    ("c", "the object's contents (a retainer's too)"),
    (".", "show / hide the edges DevTools hides"),
    ("f F", "Summary preset: next / previous"),
    ("x", "retainers: ignore this retainer"),
    ("X", "retainers: restore all ignored"),
    ("b", "next snapshot (these views too)"),
];

/// The keys of a pair's questions, the help's third page (`?` on the second).
pub const PAIR_HELP: &[(&str, &str)] = &[
    ("4", "with two snapshots: this interval's suspects"),
    ("w", "Comparison: where a class's new objects are held"),
    ("Enter", "on a shape: an example object's retainers"),
];

/// The questions' keys, the help's fourth page (`?` on the third).
pub const QUESTIONS_HELP: &[(&str, &str)] = &[
    (":", "query: heaptui query's flags (--class RE …)"),
    ("Enter", "query: run it; on an object: its retainers"),
    ("s S r", "query: sort by next column / reverse"),
    ("W", "query: what releasing its objects frees"),
    ("M", "Modules: memory by module (app, packages)"),
    ("R", "Realms: the heap by native context"),
    ("Enter", "on a realm: the Summary of its objects"),
    ("C", "closure variables no closure can read"),
    ("Enter", "on a variable: its context's contents"),
    ("Esc", "back to the Summary"),
];

/// True for Ctrl-C, which quits from every screen (raw mode turns it into a key).
pub fn is_interrupt(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

/// The command bound to `key`, if any.
pub fn command(key: &KeyEvent) -> Option<Command> {
    if is_interrupt(key) {
        return Some(Command::Quit);
    }
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    Some(match key.code {
        KeyCode::Char('q') => Command::Quit,
        KeyCode::Char('1') => Command::Summary,
        KeyCode::Char('2') => Command::Comparison,
        KeyCode::Char('3') => Command::Trend,
        KeyCode::Char('4') => Command::Suspects,
        KeyCode::Char('b') => Command::SwitchSnapshot,
        KeyCode::Tab | KeyCode::BackTab => Command::ToggleFocus,
        KeyCode::Up | KeyCode::Char('k') => Command::Up,
        KeyCode::Down | KeyCode::Char('j') => Command::Down,
        KeyCode::PageUp => Command::PageUp,
        KeyCode::PageDown => Command::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Command::Top,
        KeyCode::End | KeyCode::Char('G') => Command::Bottom,
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => Command::Expand,
        KeyCode::Left | KeyCode::Char('h') => Command::Collapse,
        KeyCode::Char('/') => Command::Filter,
        KeyCode::Esc => Command::Back,
        KeyCode::Char('s') => Command::NextSort,
        KeyCode::Char('S') => Command::ReverseSort,
        KeyCode::Char('d') => Command::SortByDelta,
        KeyCode::Char('r') => Command::SortByRetained,
        KeyCode::Char('p') => Command::PathToRoots,
        KeyCode::Char('?') => Command::Help,
        KeyCode::Char('5') => Command::Containment,
        KeyCode::Char('6') => Command::Dominators,
        KeyCode::Char('7') => Command::Statistics,
        KeyCode::Char('i') => Command::Details,
        KeyCode::Char('u') => Command::ToDominator,
        KeyCode::Char('D') => Command::KeptAlive,
        KeyCode::Char('c') => Command::ContentsOf,
        KeyCode::Char('.') => Command::ToggleHiddenEdges,
        KeyCode::Char('f') => Command::NextPreset,
        KeyCode::Char('F') => Command::PreviousPreset,
        KeyCode::Char('x') => Command::IgnoreRetainer,
        KeyCode::Char('X') => Command::RestoreRetainers,
        KeyCode::Char('w') => Command::NewObjectPaths,
        KeyCode::Char(':') => Command::Query,
        KeyCode::Char('W') => Command::WhatIf,
        KeyCode::Char('M') => Command::Modules,
        KeyCode::Char('R') => Command::Realms,
        KeyCode::Char('C') => Command::Contexts,
        _ => return None,
    })
}
