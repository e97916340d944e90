//! How a leak suspect reads, in the text and Markdown reports and the TUI alike: the holder
//! and its growth, what accumulates, the path to the roots step by step (`edge in object @id
//! file.js:12:5`), the functions to look at. Nothing here is sanitised: callers escape for
//! their output.

use super::{format, labels};
use heaptui_engine::Location;
use heaptui_leaks::allocations::Site;
use heaptui_leaks::code::{Function, Role};
use heaptui_leaks::explain::Choice;
use heaptui_leaks::holders::Holds;
use heaptui_leaks::stores::Stored;
use heaptui_leaks::suspects::{PathStep, Suspect};

/// The longest object name a report shows (plain objects are named by their properties, a
/// cache of a thousand keys by the first and last of them).
pub const NAME_CHARS: usize = 60;

/// The holder as `name @id`.
pub fn holder(s: &Suspect) -> String {
    format!(
        "{} @{}",
        format::truncate(&s.holder_name, NAME_CHARS),
        s.holder.id
    )
}

/// The holder's retained size in each snapshot: `11.2 kB → 264 kB → 521 kB` (`−` where the
/// holder is missing).
pub fn retained(s: &Suspect) -> String {
    s.holder
        .retained
        .iter()
        .map(|r| r.map_or_else(|| "−".to_string(), format::bytes))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Members added per interval: `+400 +400`.
pub fn growth(s: &Suspect) -> String {
    s.growth()
        .iter()
        .map(|&g| format::signed_count(g))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The class that accumulates most, with its growth per interval: `600 IncomingMessage (+300
/// +300)`; the holder's class when nothing is counted by class.
pub fn leading(s: &Suspect) -> String {
    match s.leading() {
        Some(a) => {
            let growth: Vec<String> = a
                .counts
                .windows(2)
                .map(|w| format::signed_count(w[1] as i64 - w[0] as i64))
                .collect();
            format!(
                "{} {} ({})",
                format::count(*a.counts.last().unwrap_or(&0)),
                a.class_name,
                growth.join(" ")
            )
        }
        None => s.holder_class.clone(),
    }
}

/// What accumulates, the largest classes first: `800 Function (138 kB), 1 Object (256 B)`;
/// at most `max` classes, then `…`.
pub fn accumulates(s: &Suspect, max: usize) -> String {
    let listed: Vec<String> = s
        .holder
        .accumulates
        .iter()
        .take(max)
        .map(|a| {
            format!(
                "{} {} ({})",
                format::count(*a.counts.last().unwrap_or(&0)),
                a.class_name,
                format::bytes(a.size)
            )
        })
        .collect();
    let more = if s.holder.accumulates.len() > max {
        ", …"
    } else {
        ""
    };
    listed.join(", ") + more
}

/// One class a holder stores directly: `400 RowView (all new), each keeping ~260 objects,
/// ~52 kB` (on average); `1 Config, keeping 3 objects, 200 B` for a single one. Across
/// processes (`by_shape`) no object is new: what counts is the class's growth.
pub fn stored(s: &Stored, by_shape: bool) -> String {
    let new = match s.new_objects {
        _ if by_shape => String::new(),
        0 => String::new(),
        n if n == s.count => " (all new)".to_string(),
        n => format!(" ({} new)", format::count(n)),
    };
    let keeps = if s.count == 1 {
        format!(
            "keeping {}, {}",
            objects(s.kept_objects),
            format::bytes(s.retained)
        )
    } else {
        format!(
            "each keeping ~{}, ~{}",
            objects(s.average_kept()),
            format::bytes(s.average_retained())
        )
    };
    format!("{} {}{new}, {keeps}", format::count(s.count), s.class_name)
}

/// `1 object`, `260 objects`.
fn objects(n: u64) -> String {
    let noun = if n == 1 { "object" } else { "objects" };
    format!("{} {noun}", format::count(n))
}

/// What a holder stores directly, the program's classes first: at most `max` classes joined
/// by `; `, then `…`; `nothing` when it stores no program object.
pub fn stores(s: &Suspect, max: usize) -> String {
    if s.stores.is_empty() {
        return "nothing".to_string();
    }
    let listed: Vec<String> = s
        .stores
        .iter()
        .take(max)
        .map(|st| stored(st, s.by_shape))
        .collect();
    let more = if s.stores.len() > max { "; …" } else { "" };
    listed.join("; ") + more
}

/// The line summing up a suspect's growth: `holds 800 new objects (+400 +400 per interval),
/// +138 kB`, the memory its members gained; across processes the objects are those of
/// growing classes.
pub fn summary(s: &Suspect) -> String {
    let members = *s.holder.members.last().unwrap_or(&0);
    let verb = verb(s);
    let what = if s.by_shape {
        "objects of growing classes"
    } else {
        "new objects"
    };
    format!(
        "{verb} {} {what} ({} per interval), +{}",
        format::count(members),
        growth(s),
        format::bytes(s.holder.accumulated())
    )
}

/// The suspect in one line, where a person looks first (the TUI's Comparison status line):
/// `cache holds 600 IncomingMessage (+300 +300)`, named by the variable or property that
/// keeps the holder where its path starts with one, else `Array @12 holds …`.
pub fn headline(s: &Suspect) -> String {
    let name = kept_in(s).map_or_else(|| holder(s), |name| format::truncate(name, NAME_CHARS));
    format!("{name} {} {}", verb(s), leading(s))
}

/// The variable or property the holder is kept in (`cache` for `->cache in system /
/// Context`): the name the code to change uses.
pub fn kept_in(s: &Suspect) -> Option<&str> {
    let first = s.holder_path.first()?;
    matches!(first.edge_type.as_str(), "context" | "property").then_some(first.edge_name.as_str())
}

/// `holds` when the holder dominates what accumulates, `shares` when it only retains it.
fn verb(s: &Suspect) -> &'static str {
    match s.holder.holds {
        Holds::Dominates => "holds",
        Holds::Retains => "shares",
    }
}

/// A definition site as DevTools links it: `file.js:12:5` (the script's last path component,
/// 1-based line and column); `script N:…` where the snapshot names no script.
pub fn site(script_name: Option<&str>, location: &Location) -> String {
    let script = script_name.map_or_else(
        || format!("script {}", location.script_id),
        |name| {
            name.rsplit(['/', '\\'])
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or(name)
                .to_string()
        },
    );
    format!("{script}:{}:{}", location.line + 1, location.column + 1)
}

/// One step of a path: `sessions in system / Context @123`, `context in handle() @45 app.js:3:9`,
/// `next ×600 in Listener @7` for a folded run of hops.
pub fn step(step: &PathStep) -> String {
    let at = step
        .location
        .map(|l| format!(" {}", site(step.script_name.as_deref(), &l)))
        .unwrap_or_default();
    let repeated = if step.repeated > 1 {
        format!(" ×{}", step.repeated)
    } else {
        String::new()
    };
    format!(
        "{}{repeated} in {} @{}{at}",
        labels::edge(&step.edge_type, &step.edge_name),
        format::truncate(&step.name, NAME_CHARS),
        step.id
    )
}

/// A path towards the roots: steps joined by ` ← `.
pub fn path(steps: &[PathStep]) -> String {
    steps.iter().map(step).collect::<Vec<_>>().join(" ← ")
}

/// Where a holder path ends and how it was chosen: `ends at (Global handles)`, with a note
/// when the search fell back to DevTools' shortest path.
pub fn path_end(s: &Suspect) -> String {
    // The root category (`(Strong roots)`) rather than `(GC roots)`, which holds them all.
    let end = match s.holder_path.as_slice() {
        [.., category, last] if last.name == "(GC roots)" => category.name.clone(),
        [.., last] => last.name.clone(),
        [] => s.holder_name.clone(),
    };
    match s.path_choice {
        Choice::Explanatory => format!("ends at {end}"),
        Choice::Shortest => format!("ends at {end} (DevTools' shortest path: no other was found)"),
    }
}

/// A function to look at: `() timers.cjs:37:35 · 800 via _onTimeout`.
pub fn function(f: &Function) -> String {
    let at = f
        .location
        .map(|l| format!(" {}", site(f.script_name.as_deref(), &l)))
        .unwrap_or_default();
    let how = match f.role {
        Role::Held if f.via.is_empty() => " (the objects themselves)".to_string(),
        Role::Held => format!(" via {}", f.via),
        Role::OnPath => " (on the path)".to_string(),
    };
    format!("{}(){at} · {}{how}", f.name, format::count(f.objects))
}

/// An allocation site: `UploadSession() uploads.js:20:3 · 600`.
pub fn allocation_site(site: &Site) -> String {
    let at = site
        .frame
        .location
        .map(|l| format!(" {}", self::site(site.frame.script_name.as_deref(), &l)))
        .unwrap_or_default();
    format!(
        "{}(){at} · {}",
        site.frame.function_name,
        format::count(site.objects)
    )
}

/// How a series was matched, in a few words for a heading.
pub fn matching_short(by_shape: bool) -> &'static str {
    if by_shape {
        "across processes, holders by path shape"
    } else {
        "one process, by object id"
    }
}

/// How a series whose producer renumbers object ids (Bun, within one process too) was
/// matched, for the suspects' heading: like a series across processes.
pub const MATCHING_RENUMBERED: &str =
    "object ids not stable: holders matched by the shape of their path, growth by class";

/// How a series was matched, for the suspects' heading.
pub fn matching(by_shape: bool) -> &'static str {
    if by_shape {
        "different processes: holders matched by the shape of their path, growth by class"
    } else {
        "one process: holders matched by object id, new objects by id"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use heaptui_leaks::stores::Origin;

    fn rows(count: u64, new_objects: u64) -> Stored {
        Stored {
            class_name: "RowView".into(),
            location: None,
            origin: Origin::Program,
            count,
            new_objects,
            retained: count * 52_000,
            kept_objects: count * 260,
        }
    }

    #[test]
    fn a_stored_class_reads_with_what_each_keeps_alive() {
        assert_eq!(
            stored(&rows(400, 400), false),
            "400 RowView (all new), each keeping ~260 objects, ~52.0 kB"
        );
        assert_eq!(
            stored(&rows(400, 300), false),
            "400 RowView (300 new), each keeping ~260 objects, ~52.0 kB"
        );
        // Across processes no object is new.
        assert_eq!(
            stored(&rows(400, 400), true),
            "400 RowView, each keeping ~260 objects, ~52.0 kB"
        );
        let one = Stored {
            kept_objects: 1,
            ..rows(1, 0)
        };
        assert_eq!(stored(&one, false), "1 RowView, keeping 1 object, 52.0 kB");
    }
}
