//! The fuzzy class filter (skim's algorithm, smart case): a class passes when every pattern
//! character appears in its name in order; the matched positions are highlighted.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// The matcher, kept for the session so its scratch buffers are reused between keystrokes.
#[derive(Default)]
pub struct Filter {
    matcher: SkimMatcherV2,
}

impl Filter {
    /// `None` when `name` does not match `pattern`; else the matched char positions (none for
    /// an empty pattern).
    pub fn matches(&self, name: &str, pattern: &str) -> Option<Vec<usize>> {
        if pattern.is_empty() {
            return Some(Vec::new());
        }
        self.matcher
            .fuzzy_indices(name, pattern)
            .map(|(_, positions)| positions)
    }
}

#[cfg(test)]
mod tests {
    use super::Filter;

    #[test]
    fn matches_in_order_with_smart_case() {
        let f = Filter::default();
        assert_eq!(f.matches("IncomingMessage", "inc"), Some(vec![0, 1, 2]));
        assert!(f.matches("IncomingMessage", "Inmsg").is_some());
        assert!(f.matches("IncomingMessage", "INC").is_none());
        assert!(f.matches("Array", "req").is_none());
        assert_eq!(f.matches("Array", ""), Some(vec![]));
    }
}
