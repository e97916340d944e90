//! The filter prompt (`/`): typing narrows the class table at every keystroke, `Enter` keeps
//! the filter and `Esc` clears it. It reads a key against the current pattern and says what to
//! do ([`Outcome`]); the table shown applies it.

use super::cursor::Move;
use super::keys;
use crossterm::event::{KeyCode, KeyEvent};

/// What a key does in the filter prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The pattern is now this; the prompt stays open unless `closes`.
    Pattern {
        /// The pattern after the key.
        pattern: String,
        /// `Enter` (keep) or `Esc` (cleared): the prompt closes.
        closes: bool,
    },
    /// `↑` `↓`: move in the table while typing.
    Move(Move),
    /// Ctrl-C: the program quits.
    Quit,
}

/// What `key` does to the prompt holding `pattern`.
pub fn update(key: &KeyEvent, pattern: &str) -> Outcome {
    if keys::is_interrupt(key) {
        return Outcome::Quit;
    }
    let mut pattern = pattern.to_string();
    let mut closes = false;
    match key.code {
        KeyCode::Enter => closes = true,
        KeyCode::Esc => {
            closes = true;
            pattern.clear();
        }
        KeyCode::Backspace => {
            pattern.pop();
        }
        KeyCode::Char(c) if !c.is_control() => pattern.push(c),
        KeyCode::Up => return Outcome::Move(Move::By(-1)),
        KeyCode::Down => return Outcome::Move(Move::By(1)),
        _ => {}
    }
    Outcome::Pattern { pattern, closes }
}
