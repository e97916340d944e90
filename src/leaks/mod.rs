//! Leak hunting beyond DevTools, on series of snapshots: per-class trends across any number of
//! snapshots ([`trend`]) and ranked leak suspects with their dominant retaining path and a hint
//! when they match a known leak pattern ([`suspects`]). Built on the snapshot API; every number
//! comes from DevTools' analysis of each snapshot.

pub mod patterns;
pub mod suspects;
pub mod trend;
