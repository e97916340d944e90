//! The help popup (`?`): four pages, the tables' keys, the object views' keys, a pair's
//! questions (its suspects, where new objects are held), then the heap's questions (query,
//! what-if, modules, realms, dead closure variables). Like the picker, it takes its keys
//! and says what they did ([`Outcome`]); the app only routes them.

use super::keys::{self, Command};
use crossterm::event::KeyEvent;

/// How many pages the help has.
const PAGES: usize = 4;

/// What a key did to the help popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It stays open (on its next page).
    Stay,
    /// It closed.
    Close,
    /// It closed, and the program quits.
    Quit,
}

/// The help popup's state: which page is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Help {
    page: usize,
}

impl Help {
    /// Which page is shown (0: the tables' keys, 1: the object views', 2: a pair's, 3: the
    /// questions').
    pub fn page(&self) -> usize {
        self.page
    }

    /// `?` shows the next page until the last; any other key closes (`q` quits too), and the
    /// next help opens on the first page again.
    pub fn update(&mut self, key: &KeyEvent) -> Outcome {
        let command = keys::command(key);
        if self.page < PAGES - 1 && command == Some(Command::Help) {
            self.page += 1;
            return Outcome::Stay;
        }
        self.page = 0;
        match command {
            Some(Command::Quit) => Outcome::Quit,
            _ => Outcome::Close,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn question_mark_turns_the_page_and_any_key_closes() {
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let mut help = Help::default();
        assert_eq!(help.update(&key('?')), Outcome::Stay);
        assert_eq!(help.page(), 1);
        assert_eq!(help.update(&key('?')), Outcome::Stay);
        assert_eq!(help.page(), 2);
        assert_eq!(help.update(&key('?')), Outcome::Stay);
        assert_eq!(help.page(), 3);
        assert_eq!(help.update(&key('?')), Outcome::Close);
        assert_eq!(help.page(), 0, "the next help opens on its first page");
        assert_eq!(help.update(&key('q')), Outcome::Quit);
    }
}
