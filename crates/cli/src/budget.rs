//! The CI gate of `heaptui diff`: growth budgets per class or in total. A pipeline takes a
//! snapshot before and after a load test and fails (exit status 3) when a budget is exceeded.

use heaptui_common::error::{Error, Result};
use heaptui_engine::ClassDiff;

/// Exit status when a budget is exceeded (1 is for errors, 2 for usage).
pub const EXIT_BUDGET: i32 = 3;

/// One budget: how much a class (or the whole heap) may grow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// The class name it applies to; `None` for the total.
    pub class: Option<String>,
    /// The limit.
    pub limit: Limit,
}

/// What a budget limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Growth in object count.
    Count(i64),
    /// Growth in bytes.
    Size(i64),
}

/// Parses `--fail-on CLASS:+N`.
pub fn parse_count(text: &str) -> Result<Budget> {
    let (class, amount) = text.rsplit_once(':').ok_or_else(|| {
        Error::usage(format!(
            "--fail-on takes CLASS:+N, not \"{}\"",
            heaptui_common::util::sanitize::sanitize(text)
        ))
    })?;
    let n = amount
        .trim_start_matches('+')
        .parse::<i64>()
        .map_err(|_| Error::usage(format!("--fail-on: \"{amount}\" is not a count like +100")))?;
    Ok(Budget {
        class: Some(class.to_string()),
        limit: Limit::Count(n),
    })
}

/// Parses `--fail-on-size +SIZE` (the total) or `--fail-on-size CLASS:+SIZE`, SIZE like
/// `500kB`, `2MB`, `1.5GB`, `64KiB` or plain bytes.
pub fn parse_size(text: &str) -> Result<Budget> {
    let (class, amount) = match text.rsplit_once(':') {
        Some((class, amount)) => (Some(class.to_string()), amount),
        None => (None, text),
    };
    Ok(Budget {
        class,
        limit: Limit::Size(parse_bytes(amount)?),
    })
}

fn parse_bytes(text: &str) -> Result<i64> {
    heaptui_present::format::parse_bytes(text)
        .map(|bytes| bytes as i64)
        .ok_or_else(|| {
            Error::usage(format!(
                "--fail-on-size: \"{}\" is not a size like +2MB",
                heaptui_common::util::sanitize::sanitize(text)
            ))
        })
}

/// One class's growth: (name, count delta, size delta).
pub type Growth<'a> = (&'a str, i64, i64);

/// The growth of each row of an id-matched Comparison.
pub fn growth(rows: &[ClassDiff]) -> Vec<Growth<'_>> {
    rows.iter()
        .map(|r| (r.name.as_str(), r.count_delta(), r.size_delta()))
        .collect()
}

/// Checks the budgets against the classes' growth and the total size change; returns one line
/// per budget exceeded.
pub fn check(budgets: &[Budget], rows: &[Growth], total_size_delta: i64) -> Vec<String> {
    let mut exceeded = Vec::new();
    for b in budgets {
        let (count, size) = match &b.class {
            // Same-named classes split by allocation site count together.
            Some(class) => rows
                .iter()
                .filter(|r| r.0 == class)
                .fold((0, 0), |(c, s), r| (c + r.1, s + r.2)),
            None => (0, total_size_delta),
        };
        let what = b.class.as_deref().map_or_else(
            || "the heap".to_string(),
            |c| heaptui_common::util::sanitize::sanitize(c).into_owned(),
        );
        match b.limit {
            Limit::Count(limit) if count > limit => {
                exceeded.push(format!(
                    "{what} grew by {count:+} objects (budget {limit:+})"
                ));
            }
            Limit::Size(limit) if size > limit => exceeded.push(format!(
                "{what} grew by {} (budget {})",
                heaptui_present::format::signed_bytes(size),
                heaptui_present::format::signed_bytes(limit)
            )),
            _ => {}
        }
    }
    exceeded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, added: usize, size: u64) -> ClassDiff {
        ClassDiff {
            name: name.into(),
            location: None,
            added: vec![0; added],
            removed: vec![],
            added_size: size,
            removed_size: 0,
        }
    }

    #[test]
    fn parses_budgets() {
        assert_eq!(
            parse_count("IncomingMessage:+10").unwrap(),
            Budget {
                class: Some("IncomingMessage".into()),
                limit: Limit::Count(10)
            }
        );
        assert_eq!(
            parse_size("+2MB").unwrap(),
            Budget {
                class: None,
                limit: Limit::Size(2_000_000)
            }
        );
        assert_eq!(parse_size("Foo:+1.5kB").unwrap().limit, Limit::Size(1500));
        assert_eq!(parse_size("64KiB").unwrap().limit, Limit::Size(65536));
        assert!(parse_count("NoCount").is_err());
        assert!(parse_size("+2XB").is_err());
    }

    #[test]
    fn reports_only_exceeded_budgets() {
        let rows = [row("A", 5, 500), row("A", 6, 100), row("B", 1, 10)];
        let budgets = [
            parse_count("A:+10").unwrap(),
            parse_count("B:+1").unwrap(),
            parse_size("+1kB").unwrap(),
        ];
        let out = check(&budgets, &growth(&rows), 1001);
        assert_eq!(
            out,
            [
                "A grew by +11 objects (budget +10)",
                "the heap grew by +1.0 kB (budget +1.0 kB)"
            ]
        );
    }
}
