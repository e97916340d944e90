//! Small helpers every layer may use, from the parser up: bit sets and prefetch hints
//! ([`bits`]), JavaScript's string order and number formatting ([`js`]), escaping of untrusted
//! heap strings for the terminal and JSON ([`sanitize`]), masking of string values
//! ([`redact`]), facts about the machine ([`system`]) and local civil time for file names
//! ([`civil`]). Nothing here knows about snapshots.

pub mod bits;
pub mod civil;
pub mod js;
pub mod redact;
pub mod sanitize;
pub mod system;

use std::path::Path;

/// The path that names standard input on the command line.
pub const STDIN: &str = "-";

/// How an input is named in messages: its path, or "standard input" for [`STDIN`].
pub fn input_name(path: &Path) -> String {
    if path == Path::new(STDIN) {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}
