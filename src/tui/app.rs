//! The app's state and how keys change it. Nothing here draws: [`super::ui::render`] reads
//! this state, so tests can drive [`App::update`] and render to a test backend.

use super::classes::Scope;
use super::data::{self, Comparison, Data};
use super::filter::Filter;
use super::instances::Instance;
use super::keys::{self, Command};
use super::retainers::RetainerTree;
use super::series::SeriesList;
use super::table::{ClassTable, TableControl};
use super::theme::Theme;
use crate::analysis::aggregates::Aggregate;
use crate::analysis::diff::{ClassChange, ClassDiff};
use crate::analysis::identity::MatchBy;
use crate::leaks::suspects::Suspect;
use crate::leaks::trend::TrendRow;
use crate::snapshot::Snapshot;
use crossterm::event::{KeyCode, KeyEvent};

/// The views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Objects grouped by class, for one snapshot.
    Summary,
    /// New and deleted objects per class (or, across processes, counts per class), first
    /// snapshot → last.
    Comparison,
    /// Per-class counts across three or more snapshots, sustained growth first.
    Trend,
    /// Ranked leak suspects across three or more snapshots.
    Suspects,
}

/// The pane keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The class table.
    Table,
    /// The retainer tree.
    Retainers,
}

/// Whether the event loop goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep running.
    Continue,
    /// Leave the program.
    Quit,
}

/// The explorer's state.
pub struct App {
    /// The snapshots, oldest first.
    pub snapshots: Vec<Snapshot>,
    /// A Summary table per snapshot.
    pub summaries: Vec<ClassTable<Aggregate>>,
    /// The Comparison table of the first and the last snapshot, when they match by object id.
    pub comparison: Option<ClassTable<ClassDiff>>,
    /// The Comparison table of the first and the last snapshot, when they come from different
    /// processes and match by class only.
    pub class_comparison: Option<ClassTable<ClassChange>>,
    /// How the Comparison matches objects and why (`cli::diff::matching_note`).
    pub matching: Option<String>,
    /// The Trend list, with three or more snapshots.
    pub trend: Option<SeriesList<TrendRow>>,
    /// The Suspects list, with three or more snapshots.
    pub suspects: Option<SeriesList<Suspect>>,
    /// The view shown.
    pub view: View,
    /// The snapshot the Summary view shows.
    pub summary_snapshot: usize,
    /// The pane keys act on.
    pub focus: Focus,
    /// The retainer tree of the selected object, if an object is selected.
    pub retainers: Option<RetainerTree>,
    /// True while the filter prompt takes the keys.
    pub prompt: bool,
    /// True while the help popup is shown.
    pub help: bool,
    /// A one-line message for the status bar, cleared by the next key.
    pub message: Option<String>,
    /// Colors or not.
    pub theme: Theme,
    /// Rows per page of the table and of the retainer tree, as last drawn (for PgUp/PgDn).
    pub pages: (usize, usize),
    filter: Filter,
}

impl App {
    /// The explorer on `data`: Suspects with three or more snapshots, Comparison with two, else
    /// Summary.
    pub fn new(data: Data, theme: Theme) -> App {
        let warnings = data.warnings();
        let Data {
            snapshots,
            summaries,
            verdict,
            comparison,
            trend,
            suspects,
        } = data;
        let scope = |snapshot| Scope {
            snapshots: &snapshots,
            snapshot,
        };
        let summaries: Vec<_> = summaries
            .into_iter()
            .enumerate()
            .map(|(i, rows)| ClassTable::new(rows, scope(i)))
            .collect();
        let last = snapshots.len() - 1;
        let (comparison, class_comparison) = match comparison {
            Some(Comparison::ById(rows)) => (Some(ClassTable::new(rows, scope(last))), None),
            Some(Comparison::ByClass(rows)) => (None, Some(ClassTable::new(rows, scope(last)))),
            None => (None, None),
        };
        let matching = verdict.as_ref().map(crate::cli::diff::matching_note);
        let by_class = verdict
            .as_ref()
            .is_some_and(|v| v.match_by == MatchBy::Class);
        let view = if suspects.is_some() {
            View::Suspects
        } else if verdict.is_some() {
            View::Comparison
        } else {
            View::Summary
        };
        let message = match warnings.first() {
            Some(w) => Some(format!("warning: {w} ({} in all)", warnings.len())),
            None if by_class => matching.clone(),
            None => None,
        };
        App {
            view,
            summary_snapshot: last,
            snapshots,
            summaries,
            comparison,
            class_comparison,
            matching,
            trend: trend.map(SeriesList::new),
            suspects: suspects.map(SeriesList::new),
            focus: Focus::Table,
            retainers: None,
            prompt: false,
            help: false,
            message,
            theme,
            pages: (10, 5),
            filter: Filter::default(),
        }
    }

    /// True when the Comparison view can be shown (two or more snapshots).
    pub fn has_comparison(&self) -> bool {
        self.comparison.is_some() || self.class_comparison.is_some()
    }

    /// True when the Trend and Suspects views can be shown (three or more snapshots).
    pub fn has_series(&self) -> bool {
        self.trend.is_some()
    }

    /// The table shown (the Summary's under the Trend and Suspects views), with what its
    /// operations need.
    fn table(&mut self) -> Current<'_> {
        let table: &mut dyn TableControl =
            match (self.view, &mut self.comparison, &mut self.class_comparison) {
                (View::Comparison, Some(t), _) => t,
                (View::Comparison, _, Some(t)) => t,
                _ => &mut self.summaries[self.summary_snapshot],
            };
        Current {
            scope: table.scope(&self.snapshots),
            table,
            filter: &self.filter,
        }
    }

    /// The table shown, read-only.
    fn table_ref(&self) -> &dyn TableControl {
        match (self.view, &self.comparison, &self.class_comparison) {
            (View::Comparison, Some(t), _) => t,
            (View::Comparison, _, Some(t)) => t,
            _ => &self.summaries[self.summary_snapshot],
        }
    }

    /// True while a class table (Summary or Comparison) is shown.
    pub fn shows_table(&self) -> bool {
        matches!(self.view, View::Summary | View::Comparison)
    }

    /// The selected object of the table shown.
    pub fn selected_instance(&self) -> Option<Instance> {
        if !self.shows_table() {
            return None;
        }
        self.table_ref().selected_instance()
    }

    /// The filter pattern of the table shown.
    pub fn pattern(&self) -> &str {
        self.table_ref().pattern()
    }

    /// Applies one key press.
    pub fn update(&mut self, key: KeyEvent) -> Flow {
        self.message = None;
        if self.help {
            self.help = false;
            return match keys::command(&key) {
                Some(Command::Quit) => Flow::Quit,
                _ => Flow::Continue,
            };
        }
        let flow = if self.prompt {
            self.prompt_key(key)
        } else {
            match keys::command(&key) {
                Some(command) => self.run(command),
                None => Flow::Continue,
            }
        };
        self.sync_retainers();
        flow
    }

    /// The filter prompt: typing narrows the table at every keystroke.
    fn prompt_key(&mut self, key: KeyEvent) -> Flow {
        if keys::is_interrupt(&key) {
            return Flow::Quit;
        }
        let mut pattern = self.pattern().to_string();
        match key.code {
            KeyCode::Enter => self.prompt = false,
            KeyCode::Esc => {
                self.prompt = false;
                pattern.clear();
            }
            KeyCode::Backspace => {
                pattern.pop();
            }
            KeyCode::Char(c) if !c.is_control() => pattern.push(c),
            KeyCode::Up => self.table().table.move_by(-1),
            KeyCode::Down => self.table().table.move_by(1),
            _ => {}
        }
        self.set_pattern(&pattern);
        Flow::Continue
    }

    fn set_pattern(&mut self, pattern: &str) {
        let current = self.table();
        current.table.set_filter(pattern, current.filter);
    }

    fn run(&mut self, command: Command) -> Flow {
        if !self.shows_table() && !self.series_command(command) {
            return Flow::Continue;
        }
        match command {
            Command::Quit => return Flow::Quit,
            Command::Summary => self.show(View::Summary),
            Command::Comparison => {
                if self.has_comparison() {
                    self.show(View::Comparison);
                    if self.class_comparison.is_some() {
                        self.message = self.matching.clone();
                    }
                } else {
                    self.message =
                        Some("Comparison needs two snapshots: heaptui BASE AFTER".to_string());
                }
            }
            Command::Trend | Command::Suspects => {
                if self.has_series() {
                    self.show(if command == Command::Trend {
                        View::Trend
                    } else {
                        View::Suspects
                    });
                } else {
                    self.message = Some(
                        "Trend and Suspects need three or more snapshots: heaptui S1 S2 S3 …"
                            .to_string(),
                    );
                }
            }
            Command::SwitchSnapshot => {
                if self.snapshots.len() > 1 {
                    self.switch_snapshot();
                    self.message = Some(format!(
                        "Summary of {}",
                        data::file_label(&self.snapshots[self.summary_snapshot])
                    ));
                } else {
                    self.message = Some("only one snapshot is loaded".to_string());
                }
            }
            Command::ToggleFocus => match self.focus {
                Focus::Retainers => self.focus = Focus::Table,
                Focus::Table if self.retainers.is_some() => self.focus = Focus::Retainers,
                Focus::Table => self.message = Some(no_object_message()),
            },
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::PageUp => self.move_by(-(self.page() as isize)),
            Command::PageDown => self.move_by(self.page() as isize),
            Command::Top => self.on_focused(|t| t.to_top(), RetainerTree::to_top),
            Command::Bottom => self.on_focused(|t| t.to_bottom(), RetainerTree::to_bottom),
            Command::Expand => self.expand(),
            Command::Collapse => match (self.focus, &mut self.retainers) {
                (Focus::Retainers, Some(tree)) => {
                    if !tree.collapse() {
                        self.focus = Focus::Table;
                    }
                }
                _ => {
                    self.table().table.collapse();
                }
            },
            Command::Filter => {
                self.prompt = true;
                self.focus = Focus::Table;
            }
            Command::Back => self.back(),
            Command::NextSort => self.sort(false),
            Command::ReverseSort => self.sort(true),
            Command::PathToRoots => self.path_to_roots(),
            Command::Help => self.help = true,
        }
        Flow::Continue
    }

    /// The Trend and Suspects views take the keys that move, switch views, quit and show the
    /// help; the rest (filter, expand, sort, retainers) belong to the class tables. Returns
    /// true when `command` is for the view shown.
    fn series_command(&mut self, command: Command) -> bool {
        let page = self.pages.0.max(1) as isize;
        let list: &mut dyn ListMove = match (self.view, &mut self.trend, &mut self.suspects) {
            (View::Trend, Some(list), _) => list,
            (View::Suspects, _, Some(list)) => list,
            _ => return true,
        };
        match command {
            Command::Up => list.move_by(-1),
            Command::Down => list.move_by(1),
            Command::PageUp => list.move_by(-page),
            Command::PageDown => list.move_by(page),
            Command::Top => list.to_top(),
            Command::Bottom => list.to_bottom(),
            Command::Quit
            | Command::Summary
            | Command::Comparison
            | Command::Trend
            | Command::Suspects
            | Command::Help => return true,
            _ => {
                self.message =
                    Some("that key works in the Summary (1) and Comparison (2) views".to_string())
            }
        }
        false
    }

    /// Shows the Summary of the next snapshot (cycling) with the same filter and sort, so the
    /// same classes can be compared across snapshots.
    fn switch_snapshot(&mut self) {
        let from = &self.summaries[self.summary_snapshot];
        let (sort, reverse) = from.sort();
        let pattern = from.pattern().to_string();
        self.summary_snapshot = (self.summary_snapshot + 1) % self.snapshots.len();
        self.show(View::Summary);
        let to = &mut self.summaries[self.summary_snapshot];
        to.resort(sort, reverse, &self.filter);
        TableControl::set_filter(to, &pattern, &self.filter);
    }

    fn show(&mut self, view: View) {
        self.view = view;
        self.focus = Focus::Table;
    }

    fn page(&self) -> usize {
        match self.focus {
            Focus::Table => self.pages.0,
            Focus::Retainers => self.pages.1,
        }
        .max(1)
    }

    fn on_focused(
        &mut self,
        on_table: impl FnOnce(&mut dyn TableControl),
        on_tree: impl FnOnce(&mut RetainerTree),
    ) {
        match (self.focus, &mut self.retainers) {
            (Focus::Retainers, Some(tree)) => on_tree(tree),
            _ => on_table(self.table().table),
        }
    }

    fn move_by(&mut self, delta: isize) {
        self.on_focused(|t| t.move_by(delta), |tree| tree.move_by(delta));
    }

    fn expand(&mut self) {
        match (self.focus, &mut self.retainers) {
            (Focus::Retainers, Some(tree)) => {
                if !tree.expand(&self.snapshots[tree.snapshot]) {
                    self.message = Some("no further retainers to open here".to_string());
                }
            }
            _ => {
                let current = self.table();
                current.table.expand(current.scope);
            }
        }
    }

    /// Esc: leave the retainer pane, else collapse, else clear the filter.
    fn back(&mut self) {
        if self.focus == Focus::Retainers {
            self.focus = Focus::Table;
        } else if !self.table().table.collapse() {
            self.set_pattern("");
        }
    }

    fn sort(&mut self, reverse: bool) {
        let current = self.table();
        if reverse {
            current.table.reverse_sort(current.filter);
        } else {
            current.table.next_sort(current.filter);
        }
    }

    fn path_to_roots(&mut self) {
        let from_selection = self.focus == Focus::Retainers;
        match &mut self.retainers {
            Some(tree) if !tree.top().is_empty() => {
                tree.path_to_roots(&self.snapshots[tree.snapshot], from_selection);
                self.focus = Focus::Retainers;
            }
            Some(_) => self.message = Some("this object has no retainers".to_string()),
            None => self.message = Some(no_object_message()),
        }
    }

    /// Keeps the retainer tree on the selected object (rebuilt only when it changes).
    fn sync_retainers(&mut self) {
        let wanted = self
            .selected_instance()
            .map(|i| (i.snapshot as usize, i.node));
        let current = self.retainers.as_ref().map(|t| (t.snapshot, t.object));
        if wanted != current {
            self.retainers = wanted.map(|(s, node)| RetainerTree::new(s, &self.snapshots[s], node));
        }
        if self.retainers.is_none() {
            self.focus = Focus::Table;
        }
    }
}

/// The cursor moves of the Trend and Suspects lists, whatever their rows.
trait ListMove {
    fn move_by(&mut self, delta: isize);
    fn to_top(&mut self);
    fn to_bottom(&mut self);
}

impl<T> ListMove for SeriesList<T> {
    fn move_by(&mut self, delta: isize) {
        SeriesList::move_by(self, delta);
    }

    fn to_top(&mut self) {
        SeriesList::to_top(self);
    }

    fn to_bottom(&mut self) {
        SeriesList::to_bottom(self);
    }
}

/// The table shown and what its operations need, borrowed together from the app.
struct Current<'a> {
    table: &'a mut dyn TableControl,
    scope: Scope<'a>,
    filter: &'a Filter,
}

fn no_object_message() -> String {
    "select an object first: expand a class (Enter) and move onto an object".to_string()
}
