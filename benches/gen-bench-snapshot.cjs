#!/usr/bin/env node
'use strict';
// Synthetic but realistic heap for benchmarks: builds an in-memory "shop" that
// keeps millions of objects alive, then writes one heap snapshot.
//
// usage: node --max-old-space-size=20000 benches/gen-bench-snapshot.cjs N OUTFILE
//
// N is the number of customers; everything else scales with it (see
// benches/README.md for the N values that give ~500 MB and ~1.5 GB files).
// Per customer the heap holds, roughly: a `Customer` instance with unique strings
// (flat and concatenated), a nested address object, a tags array, 1-3 `Order`s
// with arrays of plain `{sku, qty, note}` line objects, entries in string-keyed
// `Map` shards, and every few customers a closure (with its context), a
// `Session` plain object of another shape, or a deeper nested metadata object.
// The content is deterministic (no Math.random).

const fs = require('fs');
const path = require('path');
const v8 = require('v8');

const N = Number(process.argv[2]);
const OUTFILE = process.argv[3];
if (!Number.isInteger(N) || N <= 0 || !OUTFILE) {
  console.error('usage: node --max-old-space-size=20000 gen-bench-snapshot.cjs N OUTFILE');
  process.exit(2);
}
process.umask(0o077); // snapshots are PII-like: the file is created 0600

const t0 = Date.now();
const log = (msg) => console.error(`[gen-bench +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

const { buildShop } = require('./shop.cjs');

globalThis.benchHeap = buildShop(N, log);

fs.mkdirSync(path.dirname(path.resolve(OUTFILE)), { recursive: true });
v8.writeHeapSnapshot(OUTFILE);
fs.chmodSync(OUTFILE, 0o600);

// node_count / edge_count are in the snapshot's first bytes
const fd = fs.openSync(OUTFILE, 'r');
const head = Buffer.alloc(4096);
fs.readSync(fd, head, 0, head.length, 0);
fs.closeSync(fd);
const counts = /"node_count":(\d+),"edge_count":(\d+)/.exec(head.toString('latin1'));
const size = fs.statSync(OUTFILE).size;
log(`wrote ${OUTFILE}: ${(size / 1e6).toFixed(1)} MB, ` +
    (counts ? `${counts[1]} nodes, ${counts[2]} edges` : 'node/edge counts not found in header'));
