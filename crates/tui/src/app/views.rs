//! The object-level views' part of the app: what it does on the object keys (`5` `6` `7`,
//! `i`, `u`, `D`, `c`, `.`, presets, ignored retainers), which open a view on an object or
//! change what several views show. The views' state and own keys are their components
//! ([`ObjectViews`](crate::object_views::ObjectViews), [`Details`], `Presets`, `Ignores`): [`App::run`] routes the keys of the
//! view shown to its component and acts here on what it says it did.

use super::{App, Flow, Focus, Mode, Pages, View};
use crate::classes::Scope;
use crate::details::{self, Details};
use crate::instances::{Change, Instance};
use crate::keys::{self, Command};
use crate::layout::{self, Screen};
use crate::new_paths::NewPaths;
use crate::object_tree::ObjectTree;
use crate::object_views::{self, Kind};
use crate::presets::Step;
use crate::table::{ClassTable, TableControl};
use crossterm::event::KeyEvent;
use heaptui_engine::{Aggregate, Snapshot};

impl App {
    /// The Containment view's tree of the snapshot it shows.
    pub fn containment_tree(&self) -> Option<&ObjectTree> {
        self.views
            .objects
            .tree(Kind::Containment, self.summary_snapshot)
    }

    /// The Dominators view's tree.
    pub fn dominators_tree(&self) -> Option<&ObjectTree> {
        self.views
            .objects
            .tree(Kind::Dominators, self.summary_snapshot)
    }

    /// The tree the view shown draws (Containment or Dominators).
    pub fn object_tree(&self) -> Option<&ObjectTree> {
        let kind = object_kind(self.view)?;
        self.views.objects.tree(kind, self.summary_snapshot)
    }

    /// The details popup, while it is open.
    pub fn details(&self) -> Option<&Details> {
        self.views.details.as_ref()
    }

    /// Which page of the help is shown (0: the tables' keys, 1: the object views').
    pub fn help_page(&self) -> usize {
        self.help.page()
    }

    /// True when objects' contents list the edges DevTools hides too.
    pub fn shows_hidden_edges(&self) -> bool {
        self.views.objects.all_edges()
    }

    /// The preset the Summary shows, with its note, unless it shows all objects.
    pub fn preset_label(&self) -> Option<String> {
        self.views.presets.label(self.summary_snapshot)
    }

    /// How many retainers are ignored in the snapshot of the retainer pane.
    pub fn ignored_count(&self) -> usize {
        let at = self
            .retainers
            .as_ref()
            .map_or(self.summary_snapshot, |t| t.snapshot);
        self.views.ignores.count(at)
    }

    /// True while a preset or an ignored retainer is being computed in the background.
    pub fn has_jobs(&self) -> bool {
        self.views.presets.is_running()
            || self.views.ignores.is_running()
            || self.pair.is_running()
            || self.paths.as_ref().is_some_and(NewPaths::is_running)
            || self.retainers.as_ref().is_some_and(|t| t.is_pending())
            || self.finding_script_names()
            || self.questions_running()
    }

    /// True while the script names of a complete snapshot are being found (locations show
    /// them as pending until the next frame after they land).
    fn finding_script_names(&self) -> bool {
        self.heap
            .complete
            .as_ref()
            .is_some_and(|c| c.iter().any(crate::locations::pending))
    }

    /// What the background jobs the user asked for are doing, with their progress (a pair's
    /// suspects, started by the app itself, say so in their own view).
    pub fn job_progress(&self) -> Option<String> {
        let all: Vec<String> = [
            self.views.presets.progress(),
            self.views.ignores.progress(),
            self.paths.as_ref().and_then(NewPaths::progress),
        ]
        .into_iter()
        .flatten()
        .chain(self.questions_progress())
        .collect();
        (!all.is_empty()).then(|| all.join(" · "))
    }

    /// Takes in what the background jobs finished; returns whether anything did.
    pub fn collect_jobs(&mut self) -> bool {
        let mut changed = self.retainers.as_mut().is_some_and(|t| t.poll());
        changed |= self.pair.poll();
        changed |= self.paths.as_mut().is_some_and(NewPaths::poll);
        changed |= self.questions_poll();
        if let (Some(details), Some(complete)) = (&mut self.views.details, &self.heap.complete) {
            changed |= details.fill_in(&complete[details.snapshot]);
        }
        if let Some((at, choice, rows)) = self.views.presets.finished() {
            changed = true;
            match rows {
                Some(rows) => {
                    let table = self.preset_table(at, rows);
                    if self.views.presets.is_wanted(at, choice) {
                        self.apply_preset(at, choice, Some(table));
                    } else {
                        self.views.presets.keep(at, choice, table);
                    }
                }
                None => self.message = Some("the preset could not be computed".to_string()),
            }
            if let Some(complete) = self.heap.complete.clone() {
                if let Step::Ready(next) = self.views.presets.resume(&complete, at) {
                    self.apply_preset(at, next, None);
                }
            }
        }
        if let Some(at) = self.views.ignores.finished() {
            changed = true;
            self.rebuild_retainers(at);
            let count = self.views.ignores.count(at);
            self.message = Some(format!(
                "{count} ignored: distances and path recomputed (X restores all)"
            ));
        }
        if changed {
            self.sync_retainers();
        }
        changed
    }

    /// Once every snapshot is complete: finds their script names on a thread of its own, so
    /// no key or frame waits for them (locations show `…` until they land).
    pub(super) fn views_completed(&self) {
        if let Some(complete) = self.heap.complete.clone() {
            std::thread::spawn(move || complete.iter().for_each(|s| s.find_script_names()));
        }
    }

    /// The selection of the object views: `Some(selection)` while one is shown.
    pub(super) fn views_selected(&self) -> Option<Option<Instance>> {
        let tree = match self.view {
            View::Containment | View::Dominators => self.object_tree(),
            View::Statistics => return Some(None),
            _ => return None,
        };
        Some(tree.and_then(|t| {
            t.selected_node()
                .map(|node| Instance::new(node, t.snapshot, Change::None))
        }))
    }

    /// Lays out the object views and the details popup; `None` for the other views.
    pub(super) fn views_layout(&mut self, screen: &Screen) -> Option<Pages> {
        if let Some(details) = &mut self.views.details {
            let (width, height) = layout::details_text(screen.area);
            details.fit(width, height);
        }
        let has_tree = self.retainers.is_some();
        let rows = match self.view {
            View::Statistics => 0,
            View::Containment | View::Dominators => {
                let kind = object_kind(self.view)?;
                let rows = layout::rows_under_header(screen.upper);
                self.views.objects.fit(kind, self.summary_snapshot, rows)
            }
            _ => return None,
        };
        Some(Pages {
            table: rows,
            tree: layout::pane_rows(screen.pane, has_tree),
        })
    }

    /// The object keys, wherever they are pressed: the object views, details, `u` `D` `c`,
    /// hidden edges, presets and ignored retainers.
    pub(super) fn object_command(&mut self, command: Command) {
        match command {
            Command::Containment => self.open_view(View::Containment),
            Command::Dominators => self.open_view(View::Dominators),
            Command::Statistics => self.open_view(View::Statistics),
            Command::Details => self.open_details(),
            Command::ToDominator if self.view == View::Dominators && self.focus == Focus::Table => {
                self.object_view_command(command)
            }
            Command::ToDominator => self.go_to_dominator(None),
            Command::KeptAlive => self.kept_alive(None),
            Command::ContentsOf => self.contents_of(None),
            Command::ToggleHiddenEdges => self.toggle_hidden_edges(),
            Command::NextPreset => self.step_preset(1),
            Command::PreviousPreset => self.step_preset(-1),
            Command::IgnoreRetainer => self.ignore_selected(),
            Command::RestoreRetainers => self.restore_ignored(),
            _ => {}
        }
    }

    /// The keys of the view shown when it is an object view: its tree takes its own keys
    /// (the component says what it did); the retainer pane below it works as under the class
    /// tables, and so do the keys the tree leaves.
    pub(super) fn object_view_command(&mut self, command: Command) {
        let table_key = matches!(
            command,
            Command::Filter | Command::NextSort | Command::ReverseSort
        );
        if command == Command::SwitchSnapshot {
            return self.switch_view_snapshot();
        }
        if self.focus == Focus::Retainers && !table_key {
            return self.table_command(command);
        }
        let outcome = self.views.objects.update(
            object_kind(self.view),
            self.summary_snapshot,
            command,
            self.heap.complete.as_deref(),
            self.pages.table,
        );
        self.object_outcome(outcome, command);
    }

    /// Acts on what an object view said a key did.
    fn object_outcome(&mut self, outcome: object_views::Outcome, command: Command) {
        match outcome {
            object_views::Outcome::Done => {}
            object_views::Outcome::Message(m) => self.message = Some(m.to_string()),
            object_views::Outcome::ToDominator { at, node } => {
                self.go_to_dominator(Some((at, node)))
            }
            object_views::Outcome::NotMine => self.table_command(command),
        }
    }

    /// The complete snapshots, or a message saying the view waits for them.
    pub(super) fn complete_or_say(&mut self, what: &str) -> Option<Vec<Snapshot>> {
        if self.heap.complete.is_none() {
            self.message = Some(format!(
                "{what} appear(s) when every snapshot's numbers are in"
            ));
        }
        self.heap.complete.clone()
    }

    fn open_view(&mut self, view: View) {
        let name = match view {
            View::Containment => "Containment",
            View::Dominators => "Dominators",
            _ => "Statistics",
        };
        let Some(complete) = self.complete_or_say(name) else {
            return;
        };
        let at = self.summary_snapshot;
        if let Some(kind) = object_kind(view) {
            self.views.objects.from_root(kind, at, &complete[at]);
        }
        self.show(view);
    }

    /// `b` in the object views: the next snapshot, in the same view.
    fn switch_view_snapshot(&mut self) {
        if self.heap.snapshots.len() < 2 {
            self.message = Some("only one snapshot is loaded".to_string());
            return;
        }
        self.summary_snapshot = (self.summary_snapshot + 1) % self.heap.snapshots.len();
        let view = self.view;
        if view == View::Dominators {
            // The tree follows the snapshot, from its root.
            if let Some(complete) = self.heap.complete.clone() {
                let at = self.summary_snapshot;
                self.views.objects.dominators_from_root(at, &complete[at]);
            }
        }
        self.open_view(view);
        let label =
            heaptui_present::labels::file_label(self.heap.snapshots[self.summary_snapshot].path());
        self.message = Some(format!("{label} (b: next snapshot)"));
    }

    /// The object selected where the keys act: a retainer in the retainer pane, else the
    /// selection of the view shown.
    fn target(&self) -> Option<(usize, u32)> {
        if self.focus == Focus::Retainers {
            let tree = self.retainers.as_ref()?;
            let id = tree.selected()?;
            return Some((tree.snapshot, tree.entry(id).retainer.node));
        }
        self.selected_instance().map(|i| (i.snapshot(), i.node))
    }

    fn no_target(&mut self) {
        self.message =
            Some("select an object first: an object row, a contents row or a retainer".to_string());
    }

    fn open_details(&mut self) {
        let Some(complete) = self.complete_or_say("Details") else {
            return;
        };
        match self.target() {
            Some((at, node)) => {
                self.views.details = Some(Details::new(at, &complete[at], node));
                self.mode = Mode::Details;
            }
            None => self.no_target(),
        }
    }

    /// Keys of the details popup: it scrolls itself; `u` and `D` close it for the Dominators
    /// view, `q` quits, the others close it.
    pub(super) fn details_key(&mut self, key: KeyEvent) -> Flow {
        let Some(details) = &mut self.views.details else {
            self.mode = Mode::Browse;
            return Flow::Continue;
        };
        let target = (details.snapshot, details.node);
        match details.update(keys::command(&key)) {
            details::Outcome::Stay => {}
            details::Outcome::Quit => return Flow::Quit,
            details::Outcome::Close => self.close_details(),
            details::Outcome::ToDominator => {
                self.close_details();
                self.go_to_dominator(Some(target));
            }
            details::Outcome::KeptAlive => {
                self.close_details();
                self.kept_alive(Some(target));
            }
        }
        Flow::Continue
    }

    fn close_details(&mut self) {
        self.views.details = None;
        self.mode = Mode::Browse;
    }

    /// `u`: the Dominators view below the object's dominator, the object selected.
    fn go_to_dominator(&mut self, target: Option<(usize, u32)>) {
        let Some(complete) = self.complete_or_say("Dominators") else {
            return;
        };
        let Some((at, node)) = target.or_else(|| self.target()) else {
            return self.no_target();
        };
        if !self.views.objects.to_dominator(at, &complete[at], node) {
            self.message = Some("the root has no dominator: it dominates everything".to_string());
            return;
        }
        self.summary_snapshot = at;
        self.show(View::Dominators);
    }

    /// `D`: the Dominators view below the object: what it keeps alive.
    fn kept_alive(&mut self, target: Option<(usize, u32)>) {
        let Some(complete) = self.complete_or_say("Dominators") else {
            return;
        };
        let Some((at, node)) = target.or_else(|| self.target()) else {
            return self.no_target();
        };
        if !self.views.objects.kept_alive(at, &complete[at], node) {
            self.message = Some("it keeps nothing else alive".to_string());
        }
        self.summary_snapshot = at;
        self.show(View::Dominators);
    }

    /// `c`: the Containment view below the selected object (or `target`): its contents.
    pub(super) fn contents_of(&mut self, target: Option<(usize, u32)>) {
        let Some(complete) = self.complete_or_say("Contents") else {
            return;
        };
        let Some((at, node)) = target.or_else(|| self.target()) else {
            return self.no_target();
        };
        if !self.views.objects.contents_of(at, &complete[at], node) {
            self.message = Some("this object holds nothing".to_string());
        }
        self.summary_snapshot = at;
        self.show(View::Containment);
    }

    fn toggle_hidden_edges(&mut self) {
        let Some(complete) = self.complete_or_say("Contents") else {
            return;
        };
        let all = self.views.objects.toggle_all_edges(&complete);
        let loaded = self.heap.loaded();
        for table in &mut self.summaries {
            let scope = TableControl::scope(table, loaded);
            table.set_all_edges(all, scope);
        }
        if let Some(super::ComparisonView {
            table: super::ComparisonTable::ById(table),
            ..
        }) = &mut self.comparison
        {
            let scope = TableControl::scope(table, loaded);
            table.set_all_edges(all, scope);
        }
        self.message = Some(if all {
            "contents list every edge, the ones DevTools hides (invisible) too".to_string()
        } else {
            "contents list the edges DevTools lists".to_string()
        });
    }

    fn step_preset(&mut self, delta: isize) {
        if self.view != View::Summary {
            self.message = Some("presets filter the Summary: press 1 first".to_string());
            return;
        }
        let Some(complete) = self.complete_or_say("Presets") else {
            return;
        };
        if self.pending != super::Pending::Nothing {
            self.message = Some("presets come once every class's objects are listed".to_string());
            return;
        }
        let at = self.summary_snapshot;
        let step = self.views.presets.step(&complete, at, delta);
        self.preset_step(at, step);
    }

    /// Acts on what the presets decided for snapshot `at`: the table now, or later.
    fn preset_step(&mut self, at: usize, step: Step) {
        match step {
            Step::Ready(choice) => self.apply_preset(at, choice, None),
            Step::Computing(title) => {
                self.message = Some(format!("computing “{title}” (keys keep working)"))
            }
            Step::Nothing => {}
        }
    }

    /// Shows the Summary of snapshot `at` through `choice` (a realm's objects), computed in
    /// the background as the presets are; `f` `F` step on from it.
    pub(super) fn apply_choice(&mut self, at: usize, choice: crate::presets::Choice) {
        let Some(complete) = self.complete_or_say("Presets") else {
            return;
        };
        self.summary_snapshot = at;
        self.show(View::Summary);
        let step = self.views.presets.request(&complete, at, choice);
        self.preset_step(at, step);
    }

    /// A preset's table, sorted and filtered as the Summary shown.
    fn preset_table(&self, at: usize, rows: Vec<Aggregate>) -> ClassTable<Aggregate> {
        let scope = Scope {
            loaded: self.loaded(),
            snapshot: at,
        };
        let shown = &self.summaries[at];
        let (sort, reverse) = shown.sort();
        let pattern = shown.pattern().to_string();
        let mut table = ClassTable::new(rows, scope);
        table.resort(sort, reverse, &self.filter);
        TableControl::set_filter(&mut table, &pattern, &self.filter);
        table
    }

    pub(super) fn apply_preset(
        &mut self,
        at: usize,
        choice: usize,
        table: Option<ClassTable<Aggregate>>,
    ) {
        let shown = &mut self.summaries[at];
        self.views.presets.swap(at, choice, shown, table);
        self.message = Some(format!(
            "preset: {}",
            self.views
                .presets
                .label(at)
                .unwrap_or_else(|| "All objects".to_string())
        ));
        self.sync_retainers();
    }

    fn ignore_selected(&mut self) {
        let Some(complete) = self.complete_or_say("Ignoring retainers") else {
            return;
        };
        let selected = self
            .retainers
            .as_ref()
            .filter(|_| self.focus == Focus::Retainers)
            .and_then(|t| {
                t.selected()
                    .map(|id| (t.snapshot, t.entry(id).retainer.node))
            });
        let Some((at, node)) = selected else {
            self.message =
                Some("select a retainer in the retainer pane (Tab) to ignore it".to_string());
            return;
        };
        if self.views.ignores.ignore(&complete[at], at, node) {
            self.message = Some(format!(
                "ignoring @{}: recomputing the distances",
                complete[at].node_id(node)
            ));
        } else {
            self.message = Some("that retainer is ignored already (X restores)".to_string());
        }
    }

    fn restore_ignored(&mut self) {
        let at = self
            .retainers
            .as_ref()
            .map_or(self.summary_snapshot, |t| t.snapshot);
        if self.views.ignores.restore(at) {
            self.rebuild_retainers(at);
            self.message = Some("every ignored retainer restored".to_string());
        } else {
            self.message = Some("no retainer is ignored".to_string());
        }
    }

    /// The ignores the retainer pane of snapshot `at` applies.
    pub(super) fn applied_ignores(
        &self,
        at: usize,
    ) -> Option<std::sync::Arc<heaptui_engine::IgnoredRetainers>> {
        self.views.ignores.applied(at)
    }

    /// Builds the retainer pane again (on snapshot `at`) with the ignores as they are now, and
    /// opens its path to the roots, as DevTools does after an ignore.
    fn rebuild_retainers(&mut self, at: usize) {
        if self.retainers.as_ref().is_some_and(|t| t.snapshot == at) {
            self.retainers = None;
            self.sync_retainers();
            if let (Some(tree), Some(complete)) = (&mut self.retainers, &self.heap.complete) {
                if !tree.top().is_empty() {
                    tree.path_to_roots(&complete[at], false);
                    self.focus = Focus::Retainers;
                }
            }
        }
    }
}

/// The object tree a view shows, if it is an object view with a tree.
fn object_kind(view: View) -> Option<Kind> {
    match view {
        View::Containment => Some(Kind::Containment),
        View::Dominators => Some(Kind::Dominators),
        _ => None,
    }
}
