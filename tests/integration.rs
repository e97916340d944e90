//! The integration tests, one program (as ripgrep does): each module is one area, and the
//! helpers they share live once in `common` (the binary and the fixtures), `oracle` (DevTools'
//! goldens) and `tui_harness` (the real binary in a pseudo-terminal).

mod common;
mod oracle;
mod tui_harness;

mod capture;
mod devtools_goldens;
mod fuse;
mod fuzz;
mod index;
mod index_fuzz;
mod layers;
mod leak_apps;
mod leak_hunting;
mod leak_paths;
mod leak_patterns;
mod malformed;
mod mcp;
mod queries;
mod readme;
mod realms;
mod reports;
mod runtimes;
mod safety;
mod staged;
mod streams;
mod tui_pty;
mod tui_questions;
mod tui_render;
mod tui_tapes;
mod tui_views;
mod tui_views_pty;
mod view_commands;
mod view_goldens;
