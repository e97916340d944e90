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

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_edits_enter_keeps_and_esc_clears() {
        let edited = |pattern: &str, closes| Outcome::Pattern {
            pattern: pattern.to_string(),
            closes,
        };
        assert_eq!(update(&key(KeyCode::Char('q')), "re"), edited("req", false));
        assert_eq!(update(&key(KeyCode::Backspace), "re"), edited("r", false));
        assert_eq!(update(&key(KeyCode::Enter), "re"), edited("re", true));
        assert_eq!(update(&key(KeyCode::Esc), "re"), edited("", true));
        assert_eq!(
            update(&key(KeyCode::Down), "re"),
            Outcome::Move(Move::By(1))
        );
        let interrupt = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(update(&interrupt, "re"), Outcome::Quit);
    }
}
