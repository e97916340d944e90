//! The filters of `heaptui query` as flags: the CLI's `query` and `what-if --query` take them
//! as arguments, the explorer's query prompt as one typed line ([`parse`]), so both accept the
//! same words and say the same errors.

use crate::query::{self, Filters, QuerySort, Range};
use clap::Parser;
use heaptui_common::error::{Error, Result};
use std::path::PathBuf;

/// The filters `query` and `what-if --query` share.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct FilterArgs {
    /// Only objects whose Summary class matches this regex (`^Incoming`, `Message$`).
    #[arg(long, value_name = "REGEX")]
    pub class: Option<String>,
    /// Only objects of this node type (object, closure, string, array, native, …).
    #[arg(long = "type", value_name = "TYPE")]
    pub node_type: Option<String>,
    /// Only objects with a property of this name.
    #[arg(long, value_name = "NAME")]
    pub property: Option<String>,
    /// …whose value (a string's text, a number where the snapshot has it) is this.
    #[arg(long, value_name = "VALUE", requires = "property")]
    pub value: Option<String>,
    /// Self size at least (1MB, 500kB, 4096).
    #[arg(long, value_name = "SIZE")]
    pub min_self: Option<String>,
    /// Self size at most.
    #[arg(long, value_name = "SIZE")]
    pub max_self: Option<String>,
    /// Retained size at least.
    #[arg(long, value_name = "SIZE")]
    pub min_retained: Option<String>,
    /// Retained size at most.
    #[arg(long, value_name = "SIZE")]
    pub max_retained: Option<String>,
    /// Distance from the GC roots at least.
    #[arg(long, value_name = "N")]
    pub min_distance: Option<i32>,
    /// Distance at most.
    #[arg(long, value_name = "N")]
    pub max_distance: Option<i32>,
    /// DOM state: attached, detached or unknown.
    #[arg(long, value_name = "STATE")]
    pub dom: Option<String>,
    /// Only objects allocated since this earlier snapshot of the same process (by id).
    #[arg(long, value_name = "BASE")]
    pub new_since: Option<PathBuf>,
    /// Only objects reachable from this object (itself included).
    #[arg(long, value_name = "@ID")]
    pub from: Option<String>,
}

impl FilterArgs {
    /// The filters, checked (a bad regex, size or state is a usage error).
    pub fn filters(&self) -> Result<Filters> {
        let size = |what: &str, text: &Option<String>| {
            text.as_deref()
                .map(|t| query::size_bound(what, t))
                .transpose()
        };
        Ok(Filters {
            class: self.class.as_deref().map(query::class_regex).transpose()?,
            node_type: self.node_type.clone(),
            property: self.property.clone(),
            value: self.value.clone(),
            self_size: Range {
                min: size("--min-self", &self.min_self)?,
                max: size("--max-self", &self.max_self)?,
            },
            retained: Range {
                min: size("--min-retained", &self.min_retained)?,
                max: size("--max-retained", &self.max_retained)?,
            },
            distance: Range {
                min: self.min_distance,
                max: self.max_distance,
            },
            dom: self.dom.as_deref().map(query::dom_state).transpose()?,
        })
    }
}

/// A query typed as one line: the filters of `heaptui query` and its `--sort`.
#[derive(Parser, Debug, Clone)]
#[command(name = "query", no_binary_name = true, disable_help_flag = true)]
pub struct QueryLine {
    /// The filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of the objects.
    #[arg(long, value_enum, default_value_t = QuerySort::Retained)]
    pub sort: QuerySort,
}

/// Parses a typed query line (`--class ^Incoming --min-retained 1kB`, quotes group words)
/// into its flags; the filters are checked too. An error is one line.
pub fn parse(line: &str) -> Result<QueryLine> {
    let parsed = QueryLine::try_parse_from(words(line)?).map_err(|e| {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or("").trim();
        Error::usage(first.strip_prefix("error: ").unwrap_or(first).to_string())
    })?;
    parsed.filters.filters()?;
    Ok(parsed)
}

/// An object id as `@123` or `123`, as every command and prompt takes it.
pub fn object_id(text: &str) -> Result<u32> {
    text.trim_start_matches('@').parse().map_err(|_| {
        Error::usage(format!(
            "\"{}\" is not an object id like @123",
            heaptui_common::util::sanitize::sanitize(text)
        ))
    })
}

/// The words of `line`, split at spaces outside `"…"` and `'…'`.
fn words(line: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => out.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    if quote.is_some() {
        return Err(Error::usage("a quote is not closed"));
    }
    out.extend(word);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_as_the_commands_flags() {
        let q = parse(r#"--class "^Incoming Message" --min-retained 1kB --sort id"#).unwrap();
        assert_eq!(q.filters.class.as_deref(), Some("^Incoming Message"));
        assert_eq!(q.filters.filters().unwrap().retained.min, Some(1000));
        assert_eq!(q.sort, QuerySort::Id);
        assert!(parse("").unwrap().filters.class.is_none());
    }

    #[test]
    fn errors_are_one_line() {
        for bad in [
            "--nope",
            "--class '(",
            "--class",
            "--min-self lots",
            "--value x",
        ] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(!e.is_empty() && !e.contains('\n'), "{bad}: {e}");
        }
    }
}
