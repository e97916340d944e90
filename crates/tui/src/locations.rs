//! Where objects were defined, as the views show it, without ever waiting for the script
//! names: they are found on a thread of their own when the numbers land (about a second on a
//! big snapshot), and until then a location shows its script as [`PENDING`]; the next frame
//! after they land shows the name.

use heaptui_engine::Snapshot;
use heaptui_present::labels;

/// What a location shows for its script while the names are still being found.
pub const PENDING: &str = "…";

/// `file:line:column` (the script's last path part), or `…:line:column` while the script
/// names are still being found; `None` where the snapshot recorded no location.
pub fn short(snapshot: &Snapshot, node: u32) -> Option<String> {
    Some(match snapshot.source_location_if_found(node)? {
        Ok(location) => labels::source_location(&location),
        Err(l) => format!("{PENDING}:{}:{}", l.line + 1, l.column + 1),
    })
}

/// The script's whole name (or `script N` where the snapshot names none) with the line and
/// column, `…:line:column` while the names are still being found.
pub fn full(snapshot: &Snapshot, node: u32) -> Option<String> {
    let (script, l) = match snapshot.source_location_if_found(node)? {
        Ok(location) => {
            let l = location.location;
            let script = location
                .script_name
                .unwrap_or_else(|| format!("script {}", l.script_id));
            (script, l)
        }
        Err(l) => (PENDING.to_string(), l),
    };
    Some(format!("{script}:{}:{}", l.line + 1, l.column + 1))
}

/// True while snapshot `snapshot`'s script names are still being found.
pub fn pending(snapshot: &Snapshot) -> bool {
    !snapshot.script_names_found()
}
