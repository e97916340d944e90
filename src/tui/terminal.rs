//! The terminal session: raw mode and the alternate screen while the TUI runs, restored on
//! every way out — normal return, error (the guard's `Drop`) and panic (ratatui's hook restores
//! the terminal before the panic message prints).

use crate::error::{Error, Result};
use ratatui::DefaultTerminal;
use std::io::IsTerminal;

/// Owns the terminal while the TUI runs; dropping it gives the terminal back.
pub struct Session {
    /// The ratatui terminal on stdout.
    pub terminal: DefaultTerminal,
}

impl Session {
    /// Enters raw mode and the alternate screen (and installs the panic hook).
    pub fn start() -> Result<Session> {
        if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
            return Err(Error::new(
                "the interactive view needs a terminal; use `heaptui summary|diff|retainers` for text output",
            ));
        }
        let terminal = ratatui::try_init()
            .map_err(|e| Error::new(format!("cannot set up the terminal: {e}")))?;
        Ok(Session { terminal })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        ratatui::restore();
    }
}
