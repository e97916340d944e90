//! Presentation shared by both front ends: how rows sort, what each column shows, the totals
//! of a listing, and the words for edges, locations, matching and growth. The CLI and the TUI
//! format every number through here, so a value reads the same in a table, a report and the
//! explorer; the numbers themselves come from [`heaptui_engine`] and [`heaptui_leaks`].
#![warn(missing_docs)]

pub mod cells;
pub mod documents;
pub mod format;
pub mod json;
pub mod json_series;
pub mod json_views;
pub mod labels;
pub mod modules;
pub mod objects;
pub mod population;
pub mod presets;
pub mod query;
pub mod query_line;
pub mod release;
pub mod sort;
pub mod statistics;
pub mod suspects;
pub mod totals;
