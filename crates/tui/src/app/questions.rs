//! The app's part of the heap's questions: the query prompt (`:`) and view, what releasing
//! the query's objects frees (`W`), and the Modules (`M`), Realms (`R`) and dead closure
//! variables (`C`) views. Each view is a component ([`QueryView`], [`Release`], the lists of
//! [`crate::questions`]) computing in the background; here the keys are routed to them and
//! what they say they did is acted on: `Enter` on a query's object shows its retainers, on a
//! realm the Summary of its objects, on a dead variable its context's contents.

use super::{App, Flow, Focus, Mode, Pages, View};
use crate::instances::{Change, Instance};
use crate::keys::Command;
use crate::layout::{self, Screen};
use crate::presets::Choice;
use crate::prompt;
use crate::query_view::{self, QueryView};
use crate::questions::{self, ContextsView, ModulesView, RealmsView};
use crate::what_if::Release;
use crossterm::event::KeyEvent;
use heaptui_engine::{NamedFilter, ObjectFilter, Snapshot};
use heaptui_present::query_line;
use heaptui_present::{format, labels};

/// Characters of a realm's name its Summary preset's title keeps.
const REALM_TITLE_CHARS: usize = 40;

impl App {
    /// The query being typed, while the prompt is open.
    pub fn query_prompt(&self) -> &str {
        &self.questions.prompt
    }

    /// The query view's objects, once asked (`:`).
    pub fn query_view(&self) -> Option<&QueryView> {
        self.questions.query.as_ref()
    }

    /// What releasing the query's objects frees, while its popup is open.
    pub fn release(&self) -> Option<&Release> {
        self.questions.release.as_ref()
    }

    /// The Modules view's list, once asked (`M`).
    pub fn modules_view(&self) -> Option<&ModulesView> {
        self.questions.modules.as_ref()
    }

    /// The Realms view's list, once asked (`R`).
    pub fn realms_view(&self) -> Option<&RealmsView> {
        self.questions.realms.as_ref()
    }

    /// The dead closure variables' list, once asked (`C`).
    pub fn contexts_view(&self) -> Option<&ContextsView> {
        self.questions.contexts.as_ref()
    }

    /// True while a question is computed in the background.
    pub(super) fn questions_running(&self) -> bool {
        let q = &self.questions;
        q.query.as_ref().is_some_and(QueryView::is_running)
            || q.release.as_ref().is_some_and(Release::is_running)
            || q.modules.as_ref().is_some_and(|v| v.listing.is_running())
            || q.realms.as_ref().is_some_and(|v| v.listing.is_running())
            || q.contexts.as_ref().is_some_and(|v| v.listing.is_running())
    }

    /// What the questions computing are doing, with their times.
    pub(super) fn questions_progress(&self) -> Vec<String> {
        let q = &self.questions;
        [
            q.query.as_ref().and_then(QueryView::progress),
            q.release.as_ref().and_then(Release::progress),
            q.modules.as_ref().and_then(|v| v.listing.progress()),
            q.realms.as_ref().and_then(|v| v.listing.progress()),
            q.contexts.as_ref().and_then(|v| v.listing.progress()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Takes in the questions' answers; returns whether one landed.
    pub(super) fn questions_poll(&mut self) -> bool {
        let q = &mut self.questions;
        let mut changed = q.query.as_mut().is_some_and(QueryView::poll);
        changed |= q.release.as_mut().is_some_and(Release::poll);
        changed |= q.modules.as_mut().is_some_and(|v| v.listing.poll());
        changed |= q.realms.as_mut().is_some_and(|v| v.listing.poll());
        changed |= q.contexts.as_mut().is_some_and(|v| v.listing.poll());
        if let Some(Err(e)) = q.query.as_ref().and_then(QueryView::answer) {
            if changed {
                self.message = Some(format!("query: {e}"));
            }
        }
        changed
    }

    /// The query view's selection: `Some(selection)` while a question's view is shown.
    pub(super) fn questions_selected(&self) -> Option<Option<Instance>> {
        match self.view {
            View::Query => Some(self.questions.query.as_ref().and_then(|q| {
                q.selected()
                    .map(|node| Instance::new(node, q.snapshot, Change::None))
            })),
            View::Modules | View::Realms | View::Contexts => Some(None),
            _ => None,
        }
    }

    /// Lays out the questions' views; `None` for the other views.
    pub(super) fn questions_layout(&mut self, screen: &Screen) -> Option<Pages> {
        let q = &mut self.questions;
        // Two lines above the rows: the heading and the columns' header.
        let rows = layout::rows_under_header(screen.body).saturating_sub(1);
        match self.view {
            View::Query => {
                let rows = layout::rows_under_header(screen.upper).saturating_sub(1);
                if let Some(query) = &mut q.query {
                    query.fit(rows);
                }
                return Some(Pages {
                    table: rows,
                    tree: layout::pane_rows(screen.pane, self.retainers.is_some()),
                });
            }
            View::Modules => {
                if let Some(v) = &mut q.modules {
                    let len = v.len();
                    v.listing.fit(rows, len);
                }
            }
            View::Realms => {
                if let Some(v) = &mut q.realms {
                    let len = v.rows().len();
                    v.listing.fit(rows, len);
                }
            }
            View::Contexts => {
                if let Some(v) = &mut q.contexts {
                    let len = v.len();
                    v.listing.fit(rows, len);
                }
            }
            _ => return None,
        }
        Some(Pages {
            table: rows,
            tree: 0,
        })
    }

    /// `:`, `W`, `M`, `R`, `C` wherever they are pressed.
    pub(super) fn question_command(&mut self, command: Command) {
        match command {
            Command::Query if self.complete_or_say("Queries").is_some() => self.mode = Mode::Query,
            Command::Query => {}
            Command::WhatIf if self.view == View::Query => self.question_view_command(command),
            Command::WhatIf => {
                self.message = Some("W works on a query's objects: : asks one".to_string())
            }
            Command::Modules => self.open_question(View::Modules),
            Command::Realms => self.open_question(View::Realms),
            Command::Contexts => self.open_question(View::Contexts),
            _ => {}
        }
    }

    /// Shows a question's view for the snapshot the Summary shows, computing it once.
    fn open_question(&mut self, view: View) {
        let Some(complete) = self.complete_or_say("The questions") else {
            return;
        };
        let at = self.summary_snapshot;
        let snapshot = complete[at].clone();
        let q = &mut self.questions;
        match view {
            View::Modules if q.modules.as_ref().is_none_or(|v| v.snapshot != at) => {
                q.modules = Some(ModulesView::start(at, snapshot))
            }
            View::Realms if q.realms.as_ref().is_none_or(|v| v.snapshot != at) => {
                q.realms = Some(RealmsView::start(at, snapshot))
            }
            View::Contexts if q.contexts.as_ref().is_none_or(|v| v.snapshot != at) => {
                q.contexts = Some(ContextsView::start(at, snapshot))
            }
            _ => {}
        }
        self.show(view);
    }

    /// The query prompt: typing edits the query, `Enter` runs it, `Esc` leaves it.
    pub(super) fn query_prompt_key(&mut self, key: &KeyEvent) -> Flow {
        let typed = self.questions.prompt.clone();
        match prompt::update(key, &typed) {
            prompt::Outcome::Quit => return Flow::Quit,
            prompt::Outcome::Move(_) => {}
            prompt::Outcome::Pattern { pattern, closes } => {
                if !closes {
                    self.questions.prompt = pattern;
                } else if key.code == crossterm::event::KeyCode::Esc {
                    self.mode = Mode::Browse;
                } else {
                    self.mode = Mode::Browse;
                    self.run_query(&typed);
                }
            }
        }
        Flow::Continue
    }

    /// Parses `text` and starts selecting its objects in the snapshot the Summary shows; a
    /// mistake is said in one line.
    fn run_query(&mut self, text: &str) {
        if let Err(e) = self.start_query(text) {
            self.message = Some(format!("query: {e}"));
        }
    }

    fn start_query(&mut self, text: &str) -> heaptui_common::error::Result<()> {
        let line = query_line::parse(text)?;
        let Some(complete) = self.heap.complete.clone() else {
            return Ok(());
        };
        let at = self.summary_snapshot;
        let snapshot = complete[at].clone();
        let from = match &line.filters.from {
            Some(id) => {
                let id = query_line::object_id(id)?;
                Some(snapshot.node_for_id(id).ok_or_else(|| {
                    heaptui_common::error::Error::usage(format!("no object @{id} in this snapshot"))
                })?)
            }
            None => None,
        };
        let base = match &line.filters.new_since {
            Some(path) => Some(loaded_named(&complete, path).ok_or_else(|| {
                heaptui_common::error::Error::usage(
                    "--new-since names a snapshot loaded beside this one (heaptui BASE AFTER)",
                )
            })?),
            None => None,
        };
        self.questions.query = Some(QueryView::start(
            at,
            snapshot,
            base,
            from,
            text.to_string(),
            line,
        ));
        self.show(View::Query);
        Ok(())
    }

    /// The keys of the view shown when it is a question's.
    pub(super) fn question_view_command(&mut self, command: Command) {
        if self.view == View::Query {
            return self.query_view_command(command);
        }
        let page = self.pages.table;
        let q = &mut self.questions;
        let outcome = match self.view {
            View::Modules => q.modules.as_mut().map(|v| v.update(command, page)),
            View::Realms => q.realms.as_mut().map(|v| v.update(command, page)),
            _ => q.contexts.as_mut().map(|v| v.update(command, page)),
        };
        match outcome.unwrap_or(questions::Outcome::Moved) {
            questions::Outcome::Moved => {}
            questions::Outcome::Open(at) => self.open_row(at),
            questions::Outcome::Back => self.show(View::Summary),
            questions::Outcome::NotMine => self.not_here(),
        }
    }

    /// The query view's keys; the retainer pane below takes its own when focused.
    fn query_view_command(&mut self, command: Command) {
        if self.focus == Focus::Retainers {
            return self.table_command(command);
        }
        let page = self.pages.table;
        let Some(query) = &mut self.questions.query else {
            return self.show(View::Summary);
        };
        match query.update(command, page) {
            query_view::Outcome::Done => {}
            query_view::Outcome::Open if self.retainers.is_some() => {
                self.focus = Focus::Retainers;
                self.message =
                    Some("its retainers · i details · c contents · Tab back".to_string());
            }
            query_view::Outcome::Open => {}
            query_view::Outcome::WhatIf => self.start_release(),
            query_view::Outcome::Back => self.show(View::Summary),
            // The retainer pane's keys (Tab, p) act on the pane below, as under the tables.
            query_view::Outcome::NotMine
                if matches!(command, Command::ToggleFocus | Command::PathToRoots) =>
            {
                self.table_command(command)
            }
            query_view::Outcome::NotMine => self.not_here(),
        }
    }

    fn not_here(&mut self) {
        self.message =
            Some("that key works in the Summary (1) and Comparison (2) views".to_string());
    }

    /// `W`: what releasing the query's objects would free, in a popup.
    fn start_release(&mut self) {
        let Some(query) = &self.questions.query else {
            return;
        };
        if query.nodes().is_empty() {
            self.message = Some("no objects to release: the query chose none".to_string());
            return;
        }
        let release = Release::start(query.handle().clone(), query.nodes().to_vec());
        self.questions.release = Some(release);
        self.mode = Mode::WhatIf;
    }

    /// Any key closes the what-if popup (`q` quits).
    pub(super) fn what_if_key(&mut self, key: &KeyEvent) -> Flow {
        self.mode = Mode::Browse;
        match crate::keys::command(key) {
            Some(Command::Quit) => Flow::Quit,
            _ => Flow::Continue,
        }
    }

    /// `Enter` on row `at` of a question's list.
    fn open_row(&mut self, at: usize) {
        match self.view {
            View::Modules => self.say_module(at),
            View::Realms => self.open_realm(at),
            _ => self.open_context(at),
        }
    }

    /// A module's scripts, source and install paths, in the status line (the snapshot names
    /// no objects per module beyond its retained size).
    fn say_module(&mut self, at: usize) {
        let Some(m) = self
            .questions
            .modules
            .as_ref()
            .and_then(|v| v.listing.value())
            .and_then(|d| d.modules.get(at))
        else {
            return;
        };
        let mut text = format!(
            "{}: {} objects, {} script{}, source {}",
            heaptui_present::modules::label(m),
            format::count(m.objects),
            m.scripts,
            if m.scripts == 1 { "" } else { "s" },
            format::bytes(m.source_size)
        );
        if !m.paths.is_empty() {
            text += &format!(" · installed at {}", m.paths.join(", "));
        }
        self.message = Some(text);
    }

    /// The Summary of the realm's objects, as its named filter keeps them.
    fn open_realm(&mut self, at: usize) {
        let Some(view) = &self.questions.realms else {
            return;
        };
        let Some(realm) = view.rows().into_iter().nth(at) else {
            return;
        };
        let Some(filter) = NamedFilter::from_devtools_name(&realm.filter) else {
            return;
        };
        let title = format!(
            "{}: {}",
            realm.filter,
            format::truncate(&realm.name, REALM_TITLE_CHARS)
        );
        let choice = Choice {
            title,
            filter: Some(ObjectFilter::Named(filter)),
        };
        self.apply_choice(view.snapshot, choice);
    }

    /// The contents of the context holding the dead variable on row `at`.
    fn open_context(&mut self, at: usize) {
        let Some(view) = &self.questions.contexts else {
            return;
        };
        let Some(id) = view.context_of(at) else {
            return;
        };
        let snapshot = view.snapshot;
        let node = self
            .heap
            .complete
            .as_ref()
            .and_then(|c| c[snapshot].node_for_id(id));
        if let Some(node) = node {
            self.contents_of(Some((snapshot, node)));
        }
    }
}

/// The loaded snapshot `path` names (as given on the command line, or its file name).
fn loaded_named(complete: &[Snapshot], path: &std::path::Path) -> Option<Snapshot> {
    complete
        .iter()
        .find(|s| s.path() == path || labels::file_label(s.path()) == path.display().to_string())
        .cloned()
}
