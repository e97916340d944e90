//! The interactive explorer: `heaptui snapshot` (Summary), `heaptui base after` (Comparison)
//! or `heaptui s1 s2 s3 …` (Trend and Suspects across the series, Comparison of the first and
//! the last). `heaptui DIR` first opens the folder picker ([`picker`]) to choose among the
//! folder's snapshots.
//!
//! [`run`] loads the snapshots in parallel behind a loading screen, then runs the event loop:
//! it blocks on the next terminal event (no timer, so an idle session costs no CPU), hands keys
//! to [`app::App::update`] and redraws with [`ui::draw`]. State and drawing are apart, so
//! tests drive the same `App` on ratatui's test backend.
#![warn(missing_docs)]

pub mod app;
pub mod changes;
pub mod classes;
pub mod containment;
pub mod cursor;
pub mod data;
pub mod details;
pub mod dominators;
pub mod filter;
pub mod folder;
pub mod help;
pub mod ignores;
pub mod instances;
pub mod jobs;
pub mod keys;
pub mod layout;
pub mod listing;
pub mod loader;
pub mod locations;
pub mod new_paths;
pub mod object_tree;
pub mod object_views;
pub mod pair;
pub mod picker;
pub mod presets;
pub mod prompt;
pub mod query_view;
pub mod questions;
pub mod retainers;
pub mod series;
pub mod table;
pub mod table_contents;
pub mod table_keys;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;
pub mod what_if;

use app::{App, Flow, Pending};
use crossterm::event::{self, Event, KeyEventKind};
use heaptui_common::error::{Error, Result};
use heaptui_engine::LoadOptions;
use loader::{Loader, Update};
use picker::{Outcome, Picker};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use terminal::Session;
use theme::Theme;

/// How often the loading screen redraws while waiting for progress.
const LOADING_TICK: Duration = Duration::from_millis(100);

/// Gives the terminal back if the TUI holds it (for the panic report).
pub fn restore_terminal() {
    terminal::restore();
}

/// Runs the TUI on one or more snapshots (oldest first), loaded with `options`; a single
/// folder opens the picker on its snapshots first. Returns the exit status; a load error is
/// returned after the terminal is restored, for the caller to print.
pub fn run(files: &[PathBuf], options: LoadOptions) -> Result<i32> {
    if files.is_empty() {
        return Err(Error::usage("give one or more snapshots"));
    }
    let theme = Theme::from_env();
    if let [dir] = files {
        if dir.is_dir() {
            let entries = folder::scan(dir)?;
            let watch = folder::Watch::new(dir, &entries);
            let picker = Picker::new(dir.clone(), entries, theme);
            let mut session = Session::start()?;
            return match pick(&mut session, picker, watch)? {
                Some(chosen) => explore(&mut session, &chosen, options, theme),
                None => Ok(0),
            };
        }
    }
    let mut session = Session::start()?;
    explore(&mut session, files, options, theme)
}

/// Runs the picker until it opens files (returned, oldest first) or quits (`None`), looking
/// at the folder again every [`folder::WATCH_TICK`] and redrawing only when something changed.
fn pick(
    session: &mut Session,
    mut picker: Picker,
    mut watch: folder::Watch,
) -> Result<Option<Vec<PathBuf>>> {
    let mut next_look = Instant::now() + folder::WATCH_TICK;
    let mut dirty = true;
    loop {
        if dirty {
            session
                .terminal
                .draw(|frame| ui::picker::render(&picker, frame))
                .map_err(terminal_error)?;
            dirty = false;
        }
        let wait = next_look.saturating_duration_since(Instant::now());
        if event::poll(wait).map_err(terminal_error)? {
            dirty = true;
            if let Event::Key(key) = event::read().map_err(terminal_error)? {
                if key.kind == KeyEventKind::Press {
                    match picker.update(key) {
                        Outcome::Continue => {}
                        Outcome::Quit => return Ok(None),
                        Outcome::Open(files) => return Ok(Some(files)),
                    }
                }
            }
        }
        if Instant::now() >= next_look {
            match watch.poll() {
                Ok(Some(entries)) => {
                    picker.refresh(entries);
                    dirty = true;
                }
                Ok(None) => {}
                Err(e) => {
                    picker.message = Some(e.to_string());
                    dirty = true;
                }
            }
            next_look = Instant::now() + folder::WATCH_TICK;
        }
    }
}

/// Loads `files` behind the loading screen until the first frame's data is in, then runs the
/// views until the user quits, filling them in as the rest of the load lands.
fn explore(
    session: &mut Session,
    files: &[PathBuf],
    options: LoadOptions,
    theme: Theme,
) -> Result<i32> {
    let loader = Loader::spawn(files.to_vec(), options);
    let mut app = loop {
        let progress = loader.progress();
        session
            .terminal
            .draw(|frame| ui::loading::render(frame, &progress, &theme))
            .map_err(terminal_error)?;
        if event::poll(LOADING_TICK).map_err(terminal_error)? {
            if let Event::Key(key) = event::read().map_err(terminal_error)? {
                if key.kind == KeyEventKind::Press
                    && keys::command(&key) == Some(keys::Command::Quit)
                {
                    // The loading threads die with the process.
                    return Ok(0);
                }
            }
        }
        match loader.next() {
            Some(Update::Early(early)) => break App::start(early, theme),
            Some(Update::Failed(e)) => return Err(e),
            _ => {}
        }
    };
    loop {
        // A preset or an ignored retainer computing in the background counts as busy too.
        let busy = app.pending() != Pending::Nothing || app.has_jobs();
        if busy {
            app.set_working(Some(loader.progress().working()));
        }
        session
            .terminal
            .draw(|frame| ui::draw(&mut app, frame))
            .map_err(terminal_error)?;
        // While the background works, wake up to show what lands; after, wait for keys only,
        // so an idle session costs no CPU.
        if !busy || event::poll(LOADING_TICK).map_err(terminal_error)? {
            if let Event::Key(key) = event::read().map_err(terminal_error)? {
                if key.kind == KeyEventKind::Press && app.update(key) == Flow::Quit {
                    return Ok(0);
                }
            }
        }
        while let Some(update) = loader.next() {
            match update {
                Update::Numbers(numbers) => app.complete(numbers),
                Update::Orders(orders) => app.order(orders),
                Update::Failed(e) => return Err(e),
                Update::Early(_) => {}
            }
        }
        if app.pending() == Pending::Nothing {
            app.set_working(None);
        }
        app.collect_jobs();
    }
}

fn terminal_error(e: std::io::Error) -> Error {
    Error::terminal("terminal error", e)
}
