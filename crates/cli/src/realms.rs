//! `heaptui realms` and `heaptui contexts`: DevTools' native-context attribution (the heap by
//! realm: main world, `vm` contexts, iframes, extensions) and its ContextAnalyzer (closure
//! variables no live closure can read, and what each keeps alive), as text, Markdown or JSON.
//! Both commands live in one subcommand group, flattened into the program's commands.

use super::markdown::cell;
use super::{json_line, load, print, Format, Loading, Output};
use heaptui_common::error::Result;
use heaptui_common::util::input_name;
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::documents::realms::{ContextsDoc, RealmsDoc, NO_SCOPE_TABLES};
use heaptui_present::format;
use std::path::PathBuf;

/// Longest heap string (a realm's URL, a value's name) a text line shows.
const NAME_WIDTH: usize = 60;

/// The commands of this group.
#[derive(clap::Subcommand, Debug)]
pub enum Commands {
    /// Print the heap by realm (native context: main world, vm context, iframe, extension):
    /// what each alone reaches, what several share, what none reaches (DevTools' attribution).
    Realms(Args),
    /// Print the closure variables no live closure can read (DevTools' ContextAnalyzer), per
    /// function scope, with what each keeps alive; needs the scope tables of Chromium 156+.
    Contexts(Args),
}

/// Arguments of `heaptui realms` and `heaptui contexts`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// `--json` or `--format`.
    #[command(flatten)]
    pub output: Output,
}

/// Runs one of the commands.
pub fn run(command: &Commands, loading: &Loading) -> Result<i32> {
    match command {
        Commands::Realms(args) => run_realms(args, loading),
        Commands::Contexts(args) => run_contexts(args, loading),
    }
}

/// Prints `phase`'s time with the load's phases when `--timings` asked for them.
fn timed<T>(loading: &Loading, phase: &str, work: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let out = work();
    if loading.timings {
        eprintln!("  {phase:<45} {:>8.3} s", started.elapsed().as_secs_f64());
    }
    out
}

fn run_realms(args: &Args, loading: &Loading) -> Result<i32> {
    let snapshot = load(&args.snapshot, loading)?;
    // The attribution is computed once and kept; timed apart from the rest of the document
    // (the retained-by-contexts pass), as DevTools' phases are.
    timed(loading, "native-context attribution", || snapshot.realms());
    let mut doc = timed(loading, "realms document (retained by contexts)", || {
        RealmsDoc::of(&snapshot)
    });
    doc.file = args.snapshot.display().to_string();
    let name = input_name(&args.snapshot);
    match args.output.format() {
        Format::Json => print(&json_line(&doc)),
        Format::Text => print(&realms_text(&name, &doc)),
        Format::Markdown => print(&realms_markdown(&name, &doc)),
    }
}

fn realms_text(name: &str, doc: &RealmsDoc) -> String {
    let mut out = format!(
        "Realms of {}: {} native contexts\n",
        sanitize(name),
        doc.native_contexts.len()
    );
    for c in &doc.native_contexts {
        out.push_str(&format!(
            "  {:>9}  {:<24} @{:<9} {}\n",
            format::bytes(c.attributed_size),
            c.filter,
            c.node_id,
            sanitize(&format::truncate(&c.node_name, NAME_WIDTH)),
        ));
    }
    out.push_str(&format!(
        "  {:>9}  shared (reached from several)\n  {:>9}  no native context\n",
        format::bytes(doc.shared_size),
        format::bytes(doc.no_attribution_size),
    ));
    let r = &doc.retained_by_context;
    out.push_str(&format!(
        "Retained only through closure contexts: {} objects, {} ({} contexts); the rest {} objects, {}\n",
        format::count(r.retained_by_context_count),
        format::bytes(r.retained_by_context_size),
        format::count(r.context_count),
        format::count(r.not_retained_by_context_count),
        format::bytes(r.not_retained_by_context_size),
    ));
    out
}

fn realms_markdown(name: &str, doc: &RealmsDoc) -> String {
    let mut out = format!(
        "### Realms of `{}`\n\n| Realm | Id | Attributed | Retained | Self | Filter |\n|---|---|---:|---:|---:|---|\n",
        cell(name)
    );
    for c in &doc.native_contexts {
        out.push_str(&format!(
            "| {} | @{} | {} | {} | {} | `{}` |\n",
            cell(&format::truncate(&c.node_name, NAME_WIDTH)),
            c.node_id,
            format::bytes(c.attributed_size),
            format::bytes(c.retained_size),
            format::bytes(c.self_size),
            c.filter,
        ));
    }
    out.push_str(&format!(
        "| shared |  | {} |  |  | `sharedNativeContext` |\n| none |  | {} |  |  | `noNativeContext` |\n",
        format::bytes(doc.shared_size),
        format::bytes(doc.no_attribution_size),
    ));
    out
}

fn run_contexts(args: &Args, loading: &Loading) -> Result<i32> {
    let snapshot = load(&args.snapshot, loading)?;
    let mut doc = timed(loading, "contexts (dead closure-context fields)", || {
        ContextsDoc::of(&snapshot)
    });
    doc.file = args.snapshot.display().to_string();
    let name = input_name(&args.snapshot);
    match args.output.format() {
        Format::Json => print(&json_line(&doc)),
        Format::Text => print(&contexts_text(&name, &doc)),
        Format::Markdown => print(&contexts_markdown(&name, &doc)),
    }
}

fn scope_label(scope: &heaptui_present::documents::realms::ScopeDoc) -> String {
    heaptui_present::documents::realms::scope_label(scope, NAME_WIDTH)
}

fn contexts_text(name: &str, doc: &ContextsDoc) -> String {
    if !doc.has_scope_tables {
        return format!("{}: {NO_SCOPE_TABLES}\n", sanitize(name));
    }
    let mut out = format!(
        "Closure variables no live closure can read in {}: {} scopes\n",
        sanitize(name),
        doc.scopes.len()
    );
    for (i, scope) in doc.scopes.iter().enumerate() {
        let wasted: u64 = scope
            .contexts
            .iter()
            .map(|c| c.dead_fields_retained_size_sum)
            .sum();
        out.push_str(&format!(
            "{}. {}: {} contexts of {} fields, {} kept alive by dead fields\n",
            i + 1,
            scope_label(scope),
            scope.contexts.len(),
            scope.context_field_count,
            format::bytes(wasted),
        ));
        for c in &scope.contexts {
            let fields: Vec<String> = c
                .dead_fields
                .iter()
                .map(|f| {
                    format!(
                        "{} = {} @{} ({})",
                        sanitize(&f.name),
                        sanitize(&format::truncate(&f.value_name, NAME_WIDTH)),
                        f.value_node_id,
                        format::bytes(f.retained_size)
                    )
                })
                .collect();
            out.push_str(&format!(
                "   context @{} ({} retained): {}\n",
                c.context_node_id,
                format::bytes(c.retained_size),
                fields.join(", ")
            ));
        }
    }
    for s in &doc.scripts_without_scopes {
        out.push_str(&format!(
            "not analysed (no scope table): {} ({} contexts)\n",
            sanitize(&format::truncate(&s.script_name, NAME_WIDTH)),
            s.context_count
        ));
    }
    out
}

fn contexts_markdown(name: &str, doc: &ContextsDoc) -> String {
    if !doc.has_scope_tables {
        return format!("`{}`: {NO_SCOPE_TABLES}\n", cell(name));
    }
    let mut out = format!(
        "### Closure variables no live closure can read in `{}`\n\n| Scope | Context | Variable | Value | Retained |\n|---|---|---|---|---:|\n",
        cell(name)
    );
    for scope in &doc.scopes {
        for c in &scope.contexts {
            for f in &c.dead_fields {
                out.push_str(&format!(
                    "| {} | @{} | {} | {} @{} | {} |\n",
                    cell(&scope_label(scope)),
                    c.context_node_id,
                    cell(&f.name),
                    cell(&format::truncate(&f.value_name, NAME_WIDTH)),
                    f.value_node_id,
                    format::bytes(f.retained_size),
                ));
            }
        }
    }
    out
}
