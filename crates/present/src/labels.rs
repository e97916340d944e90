//! The words both front ends use for what a snapshot holds: edges as DevTools writes them,
//! object names, definition sites, file names, how a Comparison matched, growth across a
//! series. Nothing here is sanitised: callers escape for their output (terminal, JSON,
//! Markdown).

use super::format;
use heaptui_engine::{MatchBy, Partial, SourceLocation, Verdict};
use heaptui_leaks::patterns::Step;
use std::path::Path;

/// An edge as DevTools writes it in the Retainers pane: `[3]`, `name`, `->ctx`, `{internal}`.
pub fn edge(edge_type: &str, name: &str) -> String {
    match edge_type {
        "element" => format!("[{name}]"),
        "context" => format!("->{name}"),
        "internal" | "hidden" | "invisible" | "weak" => format!("{{{name}}}"),
        _ => name.to_string(),
    }
}

/// The label of edge `edge` of `snapshot`.
pub fn edge_of(snapshot: &Partial, edge: usize) -> String {
    self::edge(snapshot.edge_type_name(edge), &snapshot.edge_name(edge))
}

/// The name an object row shows, cut to at most `max` chars: `"value"` for strings, the
/// display name otherwise (both from the library, so its masking of string values applies),
/// or the class name for nameless objects such as anonymous functions.
pub fn object_name(snapshot: &Partial, node: u32, max: usize) -> String {
    let name = snapshot.display_name(node);
    if snapshot.is_string(node) {
        let value: String = name.chars().take(max).collect();
        format!("\"{value}\"")
    } else if name.is_empty() {
        snapshot.class_name(node).to_string()
    } else {
        name
    }
}

/// Where a function was defined, as `file:line:column` (1-based, the script's last path part,
/// as DevTools links show it); `script N` stands for a script the snapshot does not name.
pub fn source_location(location: &SourceLocation) -> String {
    let script = match &location.script_name {
        Some(name) => script_short_name(name).to_string(),
        None => format!("script {}", location.location.script_id),
    };
    format!(
        "{script}:{}:{}",
        location.location.line + 1,
        location.location.column + 1
    )
}

/// The last part of a script URL or path, as DevTools' links show it: `leak-series.cjs`,
/// `http://host/` for a URL without a path; Node's built-in modules (`node:…`) keep their name.
pub fn script_short_name(name: &str) -> &str {
    if name.starts_with("node:") {
        return name;
    }
    let trimmed = name.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(at) if at + 1 < trimmed.len() && !trimmed[..at].ends_with('/') => &trimmed[at + 1..],
        _ => name,
    }
}

/// The last component of `path`, or the whole path when it has none ("standard input" for
/// `-`).
pub fn file_label(path: &Path) -> String {
    match path.file_name() {
        Some(name) if path != Path::new(heaptui_common::util::STDIN) => {
            name.to_string_lossy().into_owned()
        }
        _ => heaptui_common::util::input_name(path),
    }
}

/// For a series matched by class, why: the first pair not comparable by id, as
/// [`matching_note`] words it, and whether its ids were renumbered within one process (Bun).
pub fn series_matching(snapshots: &[heaptui_engine::Snapshot]) -> Option<(String, bool)> {
    snapshots
        .windows(2)
        .map(|w| w[0].judge_pair(&w[1]))
        .find(|v| v.match_by == MatchBy::Class)
        .map(|v| (matching_note(&v), v.renumbered))
}

/// One line saying how a Comparison matched objects and why.
pub fn matching_note(verdict: &Verdict) -> String {
    let evidence = match verdict.pids {
        Some((a, b)) => format!("process ids {a} and {b} in the file names"),
        None => format!(
            "{:.0}% of {} shared object ids kept their type and name",
            100.0 * verdict.same_fraction,
            verdict.shared_ids
        ),
    };
    if verdict.renumbered {
        return format!(
            "matched by class only: object ids are not stable between these snapshots (only {} of {} sampled ids are in both: the producer numbers objects anew in each snapshot, as Bun does even within one process)",
            verdict.shared_ids, verdict.sampled
        );
    }
    match verdict.match_by {
        MatchBy::Id => format!("matched by object id ({evidence})"),
        MatchBy::Class => format!(
            "matched by class only: the snapshots come from different processes ({evidence}), so object ids are unrelated"
        ),
    }
}

/// `id` or `class`, as `--json` writes the matching.
pub fn match_name(match_by: MatchBy) -> &'static str {
    match match_by {
        MatchBy::Id => "id",
        MatchBy::Class => "class",
    }
}

/// A sparkline of a series (`▁▂▃▅█`), scaled between its minimum and maximum.
pub fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (lo, hi) = (
        values.iter().min().copied().unwrap_or(0),
        values.iter().max().copied().unwrap_or(0),
    );
    values
        .iter()
        .map(|&v| {
            if hi == lo {
                BARS[0]
            } else {
                BARS[((v - lo) * 7 / (hi - lo)) as usize]
            }
        })
        .collect()
}

/// Counts across a series: `5 → 205 → 405`.
pub fn counts(counts: &[u64]) -> String {
    counts
        .iter()
        .map(|&c| format::count(c))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// A retaining path, towards the roots: `cache in Array ← x in Object`, each part escaped
/// with `escape`.
pub fn path(path: &[Step], escape: &dyn Fn(&str) -> String) -> String {
    path.iter()
        .map(|s| format!("{} in {}", escape(&s.edge_name), escape(&s.class_name)))
        .collect::<Vec<_>>()
        .join(" ← ")
}

#[cfg(test)]
mod tests {
    use super::script_short_name;

    #[test]
    fn short_script_names() {
        assert_eq!(script_short_name("/srv/app/leak.cjs"), "leak.cjs");
        assert_eq!(script_short_name("node:fs"), "node:fs");
        assert_eq!(script_short_name("node:internal/url"), "node:internal/url");
        assert_eq!(
            script_short_name("http://127.0.0.1:39801/"),
            "http://127.0.0.1:39801/"
        );
        assert_eq!(script_short_name("http://h/app/main.js"), "main.js");
    }
}
