//! The text of DevTools' Object column for one node: how the Summary, Containment and
//! Retainers grids name an object, which is what a user greps their code for.
//!
//! Source: DevTools `HeapSnapshotGenericObjectNode.createObjectCell` and its constructor's
//! `shortenWindowURL`: strings in double quotes, regexps in slashes, functions with `()`,
//! internal arrays as `name[]` (`(internal array)[]` when nameless), `Window / url` with the
//! URL's scheme dropped and its middle cut to 40 characters; everything else is the node's
//! name ([`super::names::display_name`]: `{a, b}` for plain objects, `Detached <div>`, roots
//! such as `(Stack roots)`). DevTools cuts long strings only when drawing; so does this.

use super::names::display_name;
use crate::graph::HeapGraph;

/// The longest URL DevTools shows in a `Window` name.
const WINDOW_URL_CHARS: usize = 40;

/// DevTools' Object column text for `node`; `mask` is applied to string values (redaction).
pub fn object_cell(graph: &HeapGraph, node: u32, mask: &dyn Fn(&str) -> String) -> String {
    let name = display_name(graph, node);
    match graph.type_name(node) {
        "string" | "concatenated string" | "sliced string" => format!("\"{}\"", mask(&name)),
        "regexp" => format!("/{name}/"),
        "closure" => format!("{name}()"),
        "array" if name.is_empty() => "(internal array)[]".to_string(),
        "array" => format!("{name}[]"),
        "object" if name.starts_with("Window") => shorten_window_url(&name),
        _ => name,
    }
}

/// `Window / http://host/path` → `Window / host/path`, the URL cut in the middle to
/// [`WINDOW_URL_CHARS`].
fn shorten_window_url(name: &str) -> String {
    let Some(slash) = name.find('/') else {
        return name.to_string();
    };
    let url = name[slash + 1..].trim_start();
    let url = strip_scheme(url);
    let url = trim_middle(url, WINDOW_URL_CHARS);
    let keep = (slash + 2).min(name.len());
    format!("{}{url}", &name[..keep])
}

/// DevTools' `trimURL`: drops `http://`, `https://` or `file://` (any case).
fn strip_scheme(url: &str) -> &str {
    for scheme in ["https://", "http://", "file://"] {
        if url.len() >= scheme.len() && url[..scheme.len()].eq_ignore_ascii_case(scheme) {
            return &url[scheme.len()..];
        }
    }
    url
}

/// DevTools' `trimMiddle`: the first half and the last half of `max` characters around `…`.
fn trim_middle(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let left = max / 2;
    let right = max - left - 1;
    let mut out: String = chars[..left].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - right..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_names_lose_the_scheme_and_the_middle_of_long_urls() {
        assert_eq!(
            shorten_window_url("Window / http://127.0.0.1:33417"),
            "Window / 127.0.0.1:33417"
        );
        assert_eq!(
            shorten_window_url("Window [JSGlobalObject] / https://example.com/"),
            "Window [JSGlobalObject] / example.com/"
        );
        let long = format!("Window / http://example.com/{}", "a".repeat(60));
        let short = shorten_window_url(&long);
        assert_eq!(short.chars().count(), "Window / ".len() + WINDOW_URL_CHARS);
        assert!(short.contains('…'));
        assert_eq!(shorten_window_url("Window"), "Window");
    }
}
