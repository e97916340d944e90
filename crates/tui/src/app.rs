//! The app: what the views share (the snapshots, the view shown, the focus, the message) and
//! the routing of keys to the view shown ([`App::update`]), each view owning its state and
//! keys. Nothing here draws: before each frame [`App::layout`] fits the views' cursors to the
//! frame's screen, then the drawing reads the state, so tests drive [`App::update`] and draw
//! on a test backend.

use super::classes::{Heap, Loaded, Scope};
use super::data::{Data, Early, Numbers, Orders};
use super::details::Details;
use super::filter::Filter;
use super::help::{self, Help};
use super::ignores::Ignores;
use super::instances::Instance;
use super::keys::{self, Command};
use super::layout::{self, Screen};
use super::new_paths::NewPaths;
use super::object_views::ObjectViews;
use super::pair::PairSuspects;
use super::presets::Presets;
use super::prompt;
use super::query_view::QueryView;
use super::questions::{ContextsView, ModulesView, RealmsView};
use super::retainers::RetainerTree;
use super::table::{ClassTable, TableControl};
use super::theme::Theme;
use super::what_if::Release;
use crossterm::event::KeyEvent;
use heaptui_engine::{Aggregate, ClassChange, ClassDiff, ComparisonRows, Partial, Snapshot};
use heaptui_present::labels;

mod paths;
mod questions;
mod tables;
mod views;

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
    /// Ranked leak suspects across three or more snapshots, or of one interval (a pair).
    Suspects,
    /// The heap from the root, each object opening into its contents.
    Containment,
    /// The dominator tree: what an object (the root at first) keeps alive.
    Dominators,
    /// The heap by category.
    Statistics,
    /// Where a Comparison class's new objects are held: their paths by shape.
    Paths,
    /// The objects a typed query chose.
    Query,
    /// Memory by module.
    Modules,
    /// The heap by realm (native context).
    Realms,
    /// Closure variables no live closure can read.
    Contexts,
}

pub use super::layout::Focus;

/// Who takes the keys: the views, the filter prompt or the help popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Keys go to the view shown.
    Browse,
    /// Typing narrows the class table.
    Filter,
    /// The help popup is open; any key closes it.
    Help,
    /// The details popup of one object is open.
    Details,
    /// Typing a query (the flags of `heaptui query`).
    Query,
    /// The popup of what releasing the query's objects frees is open.
    WhatIf,
}

/// Whether the event loop goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep running.
    Continue,
    /// Leave the program.
    Quit,
}

/// The Comparison view's table: id-matched rows within one process, class-matched rows
/// across processes.
pub enum ComparisonTable {
    /// New and deleted objects per class.
    ById(ClassTable<ClassDiff>),
    /// Counts and sizes per class.
    ByClass(ClassTable<ClassChange>),
}

/// The Comparison view: its table and the line saying how objects were matched.
pub struct ComparisonView {
    /// The table.
    pub table: ComparisonTable,
    /// How the Comparison matches objects and why.
    pub note: String,
}

pub use super::series::SeriesViews;

/// The class table shown, by row type: the one place that decides which table that is.
pub enum Shown<'a> {
    /// A Summary table.
    Summary(&'a ClassTable<Aggregate>),
    /// The id-matched Comparison.
    ById(&'a ClassTable<ClassDiff>),
    /// The class-matched Comparison.
    ByClass(&'a ClassTable<ClassChange>),
}

/// Rows per page of the table and of the retainer tree, as laid out for the last frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// Rows of the table (or list) shown.
    pub table: usize,
    /// Rows of the retainer tree.
    pub tree: usize,
}

/// What is still being computed behind the views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Distances, dominators, retained sizes (and with a series, trend and suspects).
    Numbers,
    /// Every class's objects in listing order.
    Orders,
    /// Nothing: everything is shown.
    Nothing,
}

/// The object views' state (their keys are handled in `views`).
#[derive(Default)]
struct Views {
    objects: ObjectViews,
    details: Option<Details>,
    presets: Presets,
    ignores: Ignores,
}

/// The questions' views' state (their keys are handled in `questions`).
#[derive(Default)]
struct Questions {
    /// The query being typed (kept for the next `:`).
    prompt: String,
    query: Option<QueryView>,
    release: Option<Release>,
    modules: Option<ModulesView>,
    realms: Option<RealmsView>,
    contexts: Option<ContextsView>,
}

/// The explorer's state.
pub struct App {
    heap: Heap,
    pending: Pending,
    /// No key was pressed yet: the view may still follow what lands (Suspects when a series
    /// completes).
    untouched: bool,
    summaries: Vec<ClassTable<Aggregate>>,
    comparison: Option<ComparisonView>,
    series: Option<SeriesViews>,
    /// The suspects of a pair, computed in the background.
    pair: PairSuspects,
    /// Where a Comparison class's new objects are held, once asked (`w`).
    paths: Option<NewPaths>,
    view: View,
    summary_snapshot: usize,
    focus: Focus,
    mode: Mode,
    retainers: Option<RetainerTree>,
    message: Option<String>,
    theme: Theme,
    pages: Pages,
    filter: Filter,
    working: Option<String>,
    /// The object views, presets and ignored retainers.
    views: Views,
    /// The questions' views: query, what-if, modules, realms, dead closure variables.
    questions: Questions,
    help: Help,
}

impl App {
    /// The explorer on complete `data`: Suspects with three or more snapshots, Comparison with
    /// two, else Summary. Everything is computed before it returns, the script names too, so
    /// what it draws does not depend on timing (tests, benches); only a pair's suspects
    /// compute in the background, taken in by [`App::collect_jobs`].
    pub fn new(data: Data, theme: Theme) -> App {
        let mut app = App::start(data.early, theme);
        app.complete(data.numbers);
        app.order(data.orders);
        if let Some(complete) = &app.heap.complete {
            complete.iter().for_each(|s| s.find_script_names());
        }
        app
    }

    /// The explorer on the first frame's data: the Comparison with two or more snapshots,
    /// else the Summary, with the numbers still computing ([`App::complete`] and
    /// [`App::order`] fill them in).
    pub fn start(early: Early, theme: Theme) -> App {
        let warnings = early.warnings();
        let Early {
            snapshots,
            class_rows,
            comparison,
        } = early;
        let heap = Heap {
            snapshots,
            complete: None,
        };
        let loaded = heap.loaded();
        let scope = |snapshot| Scope { loaded, snapshot };
        let last = heap.snapshots.len() - 1;
        let summaries: Vec<_> = class_rows
            .into_iter()
            .enumerate()
            .map(|(i, rows)| ClassTable::new(rows, scope(i)))
            .collect();
        let comparison = comparison.map(|c| ComparisonView {
            note: labels::matching_note(&c.verdict),
            table: match c.rows {
                ComparisonRows::ById(rows) => {
                    ComparisonTable::ById(ClassTable::new(rows, scope(last)))
                }
                ComparisonRows::ByClass(rows) => {
                    ComparisonTable::ByClass(ClassTable::new(rows, scope(last)))
                }
            },
        });
        let view = if comparison.is_some() {
            View::Comparison
        } else {
            View::Summary
        };
        let by_class = comparison
            .as_ref()
            .filter(|c| matches!(c.table, ComparisonTable::ByClass(_)));
        let message = match warnings.first() {
            Some(w) => Some(format!("warning: {w} ({} in all)", warnings.len())),
            None => by_class.map(|c| c.note.clone()),
        };
        App {
            view,
            summary_snapshot: last,
            heap,
            pending: Pending::Numbers,
            untouched: true,
            summaries,
            comparison,
            series: None,
            pair: PairSuspects::default(),
            paths: None,
            focus: Focus::Table,
            mode: Mode::Browse,
            retainers: None,
            message,
            theme,
            pages: Pages { table: 10, tree: 5 },
            filter: Filter::default(),
            working: None,
            views: Views::default(),
            questions: Questions::default(),
            help: Help::default(),
        }
    }

    /// Fills in the numbers of the complete snapshots: the Summaries' distances and retained
    /// sizes, the retainer pane and, with a series, the Trend and Suspects views (shown, when
    /// no key was pressed yet); with a pair, its suspects start computing in the background.
    pub fn complete(&mut self, numbers: Numbers) {
        let Numbers {
            snapshots,
            summaries,
            trend,
            suspects,
        } = numbers;
        if snapshots.len() == 2 {
            self.pair.start(snapshots.clone());
        }
        // The loads' notes (the index reused, rebuilt or skipped), the first one shown.
        if self.message.is_none() {
            self.message = snapshots.iter().find_map(|s| {
                let file = heaptui_present::labels::file_label(s.path());
                s.notes().first().map(|n| format!("note: {file}: {n}"))
            });
        }
        self.heap.complete = Some(snapshots);
        self.views_completed();
        self.refresh_summaries(summaries);
        self.series = trend
            .zip(suspects)
            .map(|(trend, suspects)| SeriesViews::new(trend, suspects));
        if self.untouched && self.series.is_some() {
            self.show(View::Suspects);
        }
        self.pending = Pending::Orders;
        self.sync_retainers();
    }

    /// Lists every class's objects in their listing order (retained size first).
    pub fn order(&mut self, orders: Orders) {
        let Orders {
            summaries,
            comparison,
        } = orders;
        self.refresh_summaries(summaries);
        if let (
            Some(rows),
            Some(ComparisonView {
                table: ComparisonTable::ById(table),
                ..
            }),
        ) = (comparison, &mut self.comparison)
        {
            let loaded = self.heap.loaded();
            let scope = table.scope(loaded);
            table.refresh(rows, scope, &self.filter);
        }
        self.pending = Pending::Nothing;
        self.sync_retainers();
    }

    fn refresh_summaries(&mut self, summaries: Vec<Vec<Aggregate>>) {
        let loaded = self.heap.loaded();
        for (table, rows) in self.summaries.iter_mut().zip(summaries) {
            let scope = table.scope(loaded);
            table.refresh(rows, scope, &self.filter);
        }
    }

    /// The snapshots, oldest first (each with at least its classes).
    pub fn snapshots(&self) -> &[Partial] {
        &self.heap.snapshots
    }

    /// The snapshots, complete, once every stage of every one has landed.
    pub fn complete_snapshots(&self) -> Option<&[Snapshot]> {
        self.heap.complete.as_deref()
    }

    /// The snapshots as far as they have loaded.
    pub fn loaded(&self) -> Loaded<'_> {
        self.heap.loaded()
    }

    /// What is still being computed.
    pub fn pending(&self) -> Pending {
        self.pending
    }

    /// What the background is doing, in a few words with its progress, for the title bar.
    pub fn working(&self) -> Option<&str> {
        self.working.as_deref()
    }

    /// Sets what the background is doing ([`App::working`]).
    pub fn set_working(&mut self, working: Option<String>) {
        self.working = working;
    }

    /// The Summary table of each snapshot.
    pub fn summaries(&self) -> &[ClassTable<Aggregate>] {
        &self.summaries
    }

    /// The Comparison view, with two or more snapshots.
    pub fn comparison(&self) -> Option<&ComparisonView> {
        self.comparison.as_ref()
    }

    /// The Trend and Suspects views: of the series (three or more snapshots), or of the pair
    /// once its suspects are computed.
    pub fn series(&self) -> Option<&SeriesViews> {
        self.series.as_ref().or(self.pair.views())
    }

    /// Where a Comparison class's new objects are held, once asked (`w`).
    pub fn new_paths(&self) -> Option<&NewPaths> {
        self.paths.as_ref()
    }

    /// True when the Suspects are a pair's: one interval.
    pub fn one_interval(&self) -> bool {
        self.series.is_none() && self.heap.snapshots.len() == 2
    }

    /// The view shown.
    pub fn view(&self) -> View {
        self.view
    }

    /// The snapshot the Summary view shows.
    pub fn summary_snapshot(&self) -> usize {
        self.summary_snapshot
    }

    /// The pane keys act on.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// Who takes the keys.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The retainer tree of the selected object, if an object is selected.
    pub fn retainers(&self) -> Option<&RetainerTree> {
        self.retainers.as_ref()
    }

    /// A one-line message for the status bar, cleared by the next key.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Colours or not.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Rows per page, as laid out for the last frame.
    pub fn pages(&self) -> Pages {
        self.pages
    }

    /// True when the Comparison view can be shown (two or more snapshots).
    pub fn has_comparison(&self) -> bool {
        self.comparison.is_some()
    }

    /// True when the Trend and Suspects views can be shown (three or more snapshots).
    pub fn has_series(&self) -> bool {
        self.series.is_some()
    }

    /// True while a class table (Summary or Comparison) is shown.
    pub fn shows_table(&self) -> bool {
        matches!(self.view, View::Summary | View::Comparison)
    }

    /// The class table shown, or under the Trend and Suspects views the Summary's.
    pub fn shown(&self) -> Shown<'_> {
        match (self.view, &self.comparison) {
            (View::Comparison, Some(c)) => match &c.table {
                ComparisonTable::ById(t) => Shown::ById(t),
                ComparisonTable::ByClass(t) => Shown::ByClass(t),
            },
            _ => Shown::Summary(&self.summaries[self.summary_snapshot]),
        }
    }

    fn shown_ref(&self) -> &dyn TableControl {
        match self.shown() {
            Shown::Summary(t) => t,
            Shown::ById(t) => t,
            Shown::ByClass(t) => t,
        }
    }

    /// The table shown and what its operations need.
    fn table(&mut self) -> Current<'_> {
        // The same choice as `shown`, on the fields apart so the filter and snapshots can be
        // borrowed beside the table.
        let table: &mut dyn TableControl = match (self.view, &mut self.comparison) {
            (View::Comparison, Some(c)) => match &mut c.table {
                ComparisonTable::ById(t) => t,
                ComparisonTable::ByClass(t) => t,
            },
            _ => &mut self.summaries[self.summary_snapshot],
        };
        let loaded = self.heap.loaded();
        Current {
            scope: table.scope(loaded),
            table,
            filter: &self.filter,
        }
    }

    /// The selected object of the table shown.
    pub fn selected_instance(&self) -> Option<Instance> {
        if let Some(selected) = self.views_selected() {
            return selected;
        }
        if let Some(selected) = self.questions_selected() {
            return selected;
        }
        if !self.shows_table() {
            return None;
        }
        self.shown_ref().selected_instance()
    }

    /// The full class name of the selected class row of the table shown.
    pub fn selected_class_name(&self) -> Option<&str> {
        if !self.shows_table() {
            return None;
        }
        self.shown_ref().selected_class_name()
    }

    /// The filter pattern of the table shown.
    pub fn pattern(&self) -> &str {
        self.shown_ref().pattern()
    }

    /// Fits the cursors to the frame's `screen`: each table, list and pane keeps its
    /// selection in view, and the page sizes for PgUp/PgDn follow what is drawn.
    pub fn layout(&mut self, screen: &Screen) {
        if let Some(pages) = self.questions_layout(screen) {
            self.pages = pages;
            self.fit_retainers();
            return;
        }
        if let Some(pages) = self.views_layout(screen) {
            self.pages = pages;
            self.fit_retainers();
            return;
        }
        match (self.view, self.series.as_mut().or(self.pair.views_mut())) {
            (View::Trend, Some(s)) => {
                let rows = layout::rows_under_header(screen.body);
                s.trend.fit(rows);
                self.pages.table = rows;
            }
            (View::Paths, _) => {
                let rows = layout::rows_under_header(screen.body);
                if let Some(paths) = &mut self.paths {
                    paths.fit(rows);
                }
                self.pages.table = rows;
            }
            (View::Suspects, Some(s)) => {
                let rows =
                    layout::suspects_rows(screen.body.height as usize, s.suspects.rows.len());
                s.suspects.fit(rows);
                self.pages.table = rows.max(1);
            }
            _ => {
                let table = layout::rows_under_header(screen.upper);
                self.table().table.fit(table);
                self.pages = Pages {
                    table,
                    tree: layout::pane_rows(screen.pane, self.retainers.is_some()),
                };
                self.fit_retainers();
            }
        }
    }

    /// Keeps the retainer pane's selection in view (its rows per page laid out already).
    fn fit_retainers(&mut self) {
        if let Some(tree) = &mut self.retainers {
            tree.fit(self.pages.tree);
        }
    }

    /// Applies one key press: the help popup, the filter prompt or the details popup takes it
    /// while open, else the command goes to the view shown (`App::run`).
    pub fn update(&mut self, key: KeyEvent) -> Flow {
        self.message = None;
        self.untouched = false;
        let flow = match self.mode {
            Mode::Help => match self.help.update(&key) {
                help::Outcome::Stay => return Flow::Continue,
                help::Outcome::Close => {
                    self.mode = Mode::Browse;
                    return Flow::Continue;
                }
                help::Outcome::Quit => return Flow::Quit,
            },
            Mode::Filter => self.prompt_key(&key),
            Mode::Details => self.details_key(key),
            Mode::Query => self.query_prompt_key(&key),
            Mode::WhatIf => self.what_if_key(&key),
            Mode::Browse => match keys::command(&key) {
                Some(command) => self.run(command),
                None => Flow::Continue,
            },
        };
        self.sync_retainers();
        flow
    }

    /// The filter prompt: typing narrows the table at every keystroke.
    fn prompt_key(&mut self, key: &KeyEvent) -> Flow {
        match prompt::update(key, self.pattern()) {
            prompt::Outcome::Quit => return Flow::Quit,
            prompt::Outcome::Move(step) => self.table().table.apply(step, 1),
            prompt::Outcome::Pattern { pattern, closes } => {
                if closes {
                    self.mode = Mode::Browse;
                }
                self.set_pattern(&pattern);
            }
        }
        Flow::Continue
    }

    fn set_pattern(&mut self, pattern: &str) {
        let current = self.table();
        current.table.set_filter(pattern, current.filter);
    }

    /// Routes a command: the keys that work in every view here, the object keys (`i`, `u`,
    /// `D`, `c`, `.`, presets, ignored retainers) to the object views' part, the rest to the
    /// view shown.
    fn run(&mut self, command: Command) -> Flow {
        match command {
            Command::Quit => return Flow::Quit,
            Command::Help => self.mode = Mode::Help,
            Command::Summary => self.show(View::Summary),
            Command::Comparison => self.show_comparison(),
            Command::Trend | Command::Suspects => self.show_series(command),
            Command::Containment
            | Command::Dominators
            | Command::Statistics
            | Command::Details
            | Command::ToDominator
            | Command::KeptAlive
            | Command::ContentsOf
            | Command::ToggleHiddenEdges
            | Command::NextPreset
            | Command::PreviousPreset
            | Command::IgnoreRetainer
            | Command::RestoreRetainers => self.object_command(command),
            Command::NewObjectPaths => self.open_new_paths(),
            Command::Query
            | Command::WhatIf
            | Command::Modules
            | Command::Realms
            | Command::Contexts => self.question_command(command),
            _ => match self.view {
                View::Summary | View::Comparison => self.table_command(command),
                View::Trend | View::Suspects => self.series_command(command),
                View::Paths => self.paths_command(command),
                View::Query | View::Modules | View::Realms | View::Contexts => {
                    self.question_view_command(command)
                }
                View::Containment | View::Dominators | View::Statistics => {
                    self.object_view_command(command)
                }
            },
        }
        Flow::Continue
    }

    fn show_comparison(&mut self) {
        match &self.comparison {
            Some(c) => {
                if matches!(c.table, ComparisonTable::ByClass(_)) {
                    self.message = Some(c.note.clone());
                }
                self.show(View::Comparison);
            }
            None => {
                self.message =
                    Some("Comparison needs two snapshots: heaptui BASE AFTER".to_string())
            }
        }
    }

    fn show_series(&mut self, command: Command) {
        let snapshots = self.heap.snapshots.len();
        if self.pending == Pending::Numbers && snapshots >= 3 {
            self.message =
                Some("Trend and Suspects appear when every snapshot's numbers are in".to_string());
        } else if self.has_series() {
            self.show(if command == Command::Trend {
                View::Trend
            } else {
                View::Suspects
            });
        } else if snapshots == 2 && command == Command::Suspects {
            // Pending (`…`) until the pair's numbers and then its suspects are in.
            self.show(View::Suspects);
        } else if snapshots == 2 {
            self.message = Some(
                "Trend needs three or more snapshots: heaptui S1 S2 S3 … (4: this pair's suspects)"
                    .to_string(),
            );
        } else {
            self.message = Some(
                "Suspects need two or more snapshots, Trend three: heaptui S1 S2 S3 …".to_string(),
            );
        }
    }

    fn show(&mut self, view: View) {
        self.view = view;
        self.focus = Focus::Table;
    }

    /// Keeps the retainer tree on the selected object (rebuilt only when it changes), once the
    /// retainers are known.
    fn sync_retainers(&mut self) {
        let wanted = self
            .selected_instance()
            .filter(|_| self.heap.complete.is_some())
            .map(|i| (i.snapshot(), i.node));
        let current = self.retainers.as_ref().map(|t| (t.snapshot, t.object));
        if wanted != current {
            self.retainers = match (wanted, &self.heap.complete) {
                (Some((s, node)), Some(complete)) => Some(RetainerTree::ignoring(
                    s,
                    &complete[s],
                    node,
                    self.applied_ignores(s),
                )),
                _ => None,
            };
        }
        if self.retainers.is_none() {
            self.focus = Focus::Table;
        }
    }

    /// True when the Comparison matches by class (different processes: no objects to list).
    pub fn compares_by_class(&self) -> bool {
        self.comparison
            .as_ref()
            .is_some_and(|c| matches!(c.table, ComparisonTable::ByClass(_)))
    }
}

/// The table shown and what its operations need, borrowed together from the app.
struct Current<'a> {
    table: &'a mut dyn TableControl,
    scope: Scope<'a>,
    filter: &'a Filter,
}
