#!/usr/bin/env node
'use strict';
// A series of three benchmark snapshots from one process, for `heaptui suspects`: the shop of
// gen-bench-snapshot.cjs (N customers), then between snapshots a leak and churn.
//   - the leak: every "request" appends an AuditEvent (with its own details object and
//     strings) to a module-level `auditTrail` array and never trims it;
//   - churn that is not a leak: a bounded `recent` list whose entries are all replaced, and
//     a fifth of the sessions replaced by new ones (new objects that do not accumulate).
//
// usage: node --max-old-space-size=20000 benches/gen-bench-series.cjs N EVENTS OUTDIR
//        (writes OUTDIR/series-1.heapsnapshot, -2, -3; EVENTS audit events per interval)

const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const { buildShop } = require('./shop.cjs');

const N = Number(process.argv[2]);
const EVENTS = Number(process.argv[3]);
const OUTDIR = process.argv[4];
if (!Number.isInteger(N) || !Number.isInteger(EVENTS) || !OUTDIR) {
  console.error('usage: node --max-old-space-size=20000 gen-bench-series.cjs N EVENTS OUTDIR');
  process.exit(2);
}
process.umask(0o077); // snapshots are PII-like: files are created 0600

const t0 = Date.now();
const log = (msg) => console.error(`[gen-bench-series +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

class AuditEvent {
  constructor(i) {
    this.seq = i;
    this.actor = 'user-' + (i % 5000);
    this.action = 'GET /orders/' + i;
    this.details = { status: 200, bytes: 100 + (i % 900), trace: 'trace-' + i };
  }
}

// The leak: appended to per request, never trimmed.
const auditTrail = [];
// Not leaks: a bounded list of recent events, fully replaced every interval.
const RECENT = 10_000;
const recent = [];

const shop = buildShop(N, log);
globalThis.benchHeap = { shop, auditTrail, recent };

let requests = 0;
function interval(count) {
  for (let k = 0; k < count; k++) {
    const i = requests++;
    auditTrail.push(new AuditEvent(i));
    recent.push({ seq: i, at: 'recent ' + i });
    if (recent.length > RECENT) recent.shift();
  }
  // A fifth of the sessions end and new ones start.
  const sessions = shop.sessions;
  for (let s = 0; s < sessions.length; s += 5) {
    sessions[s] = { id: 'sess-' + requests + '-' + s, user: sessions[s].user, started: new Date(1700000000000 + s), scopes: ['read'] };
  }
}

fs.mkdirSync(OUTDIR, { recursive: true, mode: 0o700 });
for (const [n, count] of [[1, RECENT], [2, EVENTS], [3, EVENTS]].values()) {
  interval(count);
  const file = path.join(OUTDIR, `series-${n}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  fs.chmodSync(file, 0o600);
  log(`wrote ${file}: ${(fs.statSync(file).size / 1e6).toFixed(1)} MB after ${requests} requests`);
}
