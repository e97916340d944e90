//! The terminal session: raw mode and the alternate screen while the TUI runs, restored on
//! every way out — normal return, error (the guard's `Drop`), panic (ratatui's hook restores
//! the terminal before the panic message prints) and termination signals: SIGTERM, SIGHUP (the
//! SSH connection dropped), SIGINT and SIGQUIT sent from outside (raw mode turns Ctrl-C into a
//! key) restore the terminal and exit at once, during the load as in the views.

use heaptui_common::error::{Error, Result};
use ratatui::DefaultTerminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set while a session holds the terminal, so that a panic report restores it only then (a
/// headless command's stdout must not get escape sequences).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Owns the terminal while the TUI runs; dropping it gives the terminal back.
pub struct Session {
    /// The ratatui terminal on stdout.
    pub terminal: DefaultTerminal,
    signals: Handle,
}

impl Session {
    /// Enters raw mode and the alternate screen (and installs the panic hook and the signal
    /// watcher).
    pub fn start() -> Result<Session> {
        // Keys come from stdin when it is the terminal, else (a snapshot piped in) crossterm
        // opens the controlling terminal, /dev/tty.
        let keyboard = std::io::stdin().is_terminal()
            || std::fs::File::open("/dev/tty").is_ok_and(|tty| tty.is_terminal());
        if !std::io::stdout().is_terminal() || !keyboard {
            return Err(Error::usage(
                "the interactive view needs a terminal; use `heaptui summary|diff|retainers` for text output",
            ));
        }
        let signals = watch_signals()?;
        let terminal = match ratatui::try_init() {
            Ok(terminal) => {
                ACTIVE.store(true, Ordering::SeqCst);
                terminal
            }
            Err(e) => {
                signals.close();
                return Err(Error::terminal("cannot set up the terminal", e));
            }
        };
        Ok(Session { terminal, signals })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.signals.close();
        restore();
    }
}

/// Leaves raw mode and the alternate screen and shows the cursor, if a session holds the
/// terminal. Write errors are ignored: on SIGHUP the terminal may already be gone.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
        ratatui::restore();
    }
}

/// Starts a thread that waits for a termination signal, then restores the terminal and exits
/// with `128 + signal`, as a shell reports a death by that signal. It holds stdout while doing
/// so, so a frame being drawn cannot land after the terminal was given back. The thread ends
/// when the returned handle is closed.
fn watch_signals() -> Result<Handle> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        .map_err(|e| Error::terminal("cannot watch signals", e))?;
    let handle = signals.handle();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _stdout = std::io::stdout().lock();
            restore();
            std::process::exit(128 + signal);
        }
    });
    Ok(handle)
}
