//! The Statistics view's rows, as DevTools' pie legend lists them (code, strings, JS arrays,
//! typed arrays, system objects, other JS objects, other non-JS objects), with shares and
//! text bars, for both front ends.

use heaptui_engine::Statistics;

/// One category of the Statistics view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// DevTools' name of the category.
    pub label: &'static str,
    /// Its size in bytes.
    pub size: u64,
}

/// The categories in DevTools' order; they add up to the total.
pub fn rows(s: &Statistics) -> [Row; 7] {
    [
        Row {
            label: "Code",
            size: s.code,
        },
        Row {
            label: "Strings",
            size: s.strings,
        },
        Row {
            label: "JS arrays",
            size: s.js_arrays,
        },
        Row {
            label: "Typed arrays",
            size: s.typed_arrays,
        },
        Row {
            label: "System objects",
            size: s.system,
        },
        Row {
            label: "Other JS objects",
            size: s.other_js_objects(),
        },
        Row {
            label: "Other non-JS objects",
            size: s.other_non_js_objects(),
        },
    ]
}

/// `12.3%` of `total` (`0%` when the total is 0).
pub fn percent(size: u64, total: u64) -> String {
    if total == 0 {
        return "0%".to_string();
    }
    format!("{:.1}%", 100.0 * size as f64 / total as f64)
}

/// A bar `width` cells long for the whole `total`, in eighths of a cell (`█▉▊▋▌▍▎▏`).
pub fn bar(size: u64, total: u64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if total == 0 {
        return String::new();
    }
    let eighths = (size as u128 * width as u128 * 8 / total as u128) as usize;
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push(PARTS[eighths % 8]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_in_eighths() {
        assert_eq!(bar(50, 100, 4), "██");
        assert_eq!(bar(1, 8, 1), "▏");
        assert_eq!(bar(100, 100, 3), "███");
        assert_eq!(bar(0, 100, 3), "");
        assert_eq!(percent(1, 8), "12.5%");
    }
}
