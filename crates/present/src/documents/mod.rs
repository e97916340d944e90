//! The documents the front ends print as JSON (`--json`, the MCP server's answers), built from
//! a snapshot and a question. Built once here, so `heaptui summary --json` and the MCP
//! `summary` tool give the same numbers in the same shapes.

pub mod diff;
pub mod dominators;
pub mod realms;
pub mod retainers;
pub mod show;
pub mod summary;
