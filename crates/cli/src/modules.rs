//! `heaptui modules`: memory by module — the retained size of the app's own files, each npm
//! package and Node's internals (each object counted once, with the nearest module whose code
//! dominates it), the script source each keeps, and bundles loaded twice.

use super::{json_line, load, markdown, print, Format, Loading, Output};
use heaptui_common::error::Result;
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::format;
use heaptui_present::modules::{label, Modules};
use std::path::PathBuf;

/// Arguments of `heaptui modules`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// List at most N modules (largest first).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// `--json` or `--format`.
    #[command(flatten)]
    pub output: Output,
}

/// Runs `heaptui modules`.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let snapshot = load(&args.snapshot, loading)?;
    let start = std::time::Instant::now();
    let doc = Modules::new(&snapshot, args.top);
    if loading.timings {
        eprintln!(
            "timings of the modules: {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
    match args.output.format() {
        Format::Json => print(&json_line(&doc)),
        Format::Text => print(&text(&doc)),
        Format::Markdown => print(&markdown_report(&doc)),
    }
}

fn text(doc: &Modules) -> String {
    let mut out = format!(
        "Memory by module in {}: total {}, {} not under any module's code\n",
        sanitize(&doc.file),
        format::bytes(doc.total_size),
        format::bytes(doc.unattributed_size)
    );
    out += &format!(
        "{:<48} {:>10} {:>7} {:>9} {:>8} {:>10}\n",
        "Module", "Retained", "%", "Objects", "Scripts", "Source"
    );
    for m in &doc.modules {
        out += &format!(
            "{:<48} {:>10} {:>6.1}% {:>9} {:>8} {:>10}{}\n",
            sanitize(&format::truncate(&label(m), 48)),
            format::bytes(m.retained_size),
            m.percent,
            format::count(m.objects),
            m.scripts,
            format::bytes(m.source_size),
            if m.duplicated { "  duplicated" } else { "" }
        );
    }
    if doc.more > 0 {
        let noun = if doc.more == 1 { "module" } else { "modules" };
        out += &format!("… {} more {noun} (--top)\n", doc.more);
    }
    for d in &doc.duplicates {
        out += &format!(
            "duplicated: {} ({}, source {}): {}\n",
            sanitize(&d.name),
            if d.reason == "samePackage" {
                "one package at several paths"
            } else {
                "one source under several names"
            },
            format::bytes(d.source_size),
            sanitize(&d.at.join(", "))
        );
    }
    out
}

fn markdown_report(doc: &Modules) -> String {
    let mut out = format!(
        "### Memory by module in {}\n\nTotal {}, {} not under any module's code.\n\n| Module | Retained | % | Objects | Scripts | Source |\n|---|---:|---:|---:|---:|---:|\n",
        markdown::cell(&doc.file),
        format::bytes(doc.total_size),
        format::bytes(doc.unattributed_size)
    );
    for m in &doc.modules {
        out += &format!(
            "| {}{} | {} | {:.1} % | {} | {} | {} |\n",
            markdown::cell(&label(m)),
            if m.duplicated { " (duplicated)" } else { "" },
            format::bytes(m.retained_size),
            m.percent,
            format::count(m.objects),
            m.scripts,
            format::bytes(m.source_size)
        );
    }
    for d in &doc.duplicates {
        out += &format!(
            "\n- duplicated {} ({}): {}",
            markdown::cell(&d.name),
            d.reason,
            markdown::cell(&d.at.join(", "))
        );
    }
    out.push('\n');
    out
}
