//! `heaptui paths`: the retaining paths of a class's objects (or of its new objects since an
//! earlier snapshot of the same process), grouped by shape, most common first — where a whole
//! population is held, not one object.

use super::{json_line, load, load_all, print, Loading};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::format;
use heaptui_present::population::{build, instances, new_instances, shape_line, Paths as Document};
use std::path::PathBuf;

/// Arguments of `heaptui paths`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// The Summary class whose objects to follow (its name as the Summary shows it).
    pub class: String,
    /// Follow only the objects allocated since this earlier snapshot of the same process.
    #[arg(long, value_name = "BASE")]
    pub new_since: Option<PathBuf>,
    /// List at most N shapes (most objects first).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `heaptui paths`.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let (snapshot, objects) = match &args.new_since {
        None => {
            let snapshot = load(&args.snapshot, loading)?;
            let objects = instances(&snapshot, &args.class);
            (snapshot, objects)
        }
        Some(base) => {
            let mut both = load_all(&[base.as_path(), args.snapshot.as_path()], loading)?;
            let after = both.pop().expect("two loaded");
            let objects = new_instances(&both[0], &after, &args.class)?;
            (after, objects)
        }
    };
    if objects.is_empty() {
        return Err(Error::usage(format!(
            "no objects of class \"{}\" to follow in {}",
            sanitize(&args.class),
            sanitize(&snapshot.path().display().to_string())
        )));
    }
    let start = std::time::Instant::now();
    let new_since = args.new_since.as_ref().map(|p| p.display().to_string());
    let doc = build(&snapshot, &args.class, new_since, &objects, args.top);
    if loading.timings {
        eprintln!(
            "timings of the paths: {} objects in {:.3} s",
            objects.len(),
            start.elapsed().as_secs_f64()
        );
    }
    if args.json {
        return print(&json_line(&doc));
    }
    print(&text(&doc))
}

fn text(doc: &Document) -> String {
    let since = doc
        .new_since
        .as_ref()
        .map(|b| format!(" new since {}", sanitize(b)))
        .unwrap_or_default();
    let mut out = format!(
        "Paths of {} {} objects{since} in {}: {} shape{}\n",
        format::count(doc.objects as u64),
        sanitize(&doc.class_name),
        sanitize(&doc.file),
        doc.shapes,
        if doc.shapes == 1 { "" } else { "s" }
    );
    for (i, g) in doc.groups.iter().enumerate() {
        let examples: Vec<String> = g.examples.iter().map(|id| format!("@{id}")).collect();
        out += &format!(
            "{}. {} objects ({:.1} %), {}, e.g. {}\n   {}\n",
            i + 1,
            format::count(g.count as u64),
            g.percent,
            format::bytes(g.retained_size),
            examples.join(" "),
            sanitize(&shape_line(&g.path))
        );
    }
    if doc.more > 0 {
        out += &format!("… {} more shapes (--top)\n", doc.more);
    }
    out
}
