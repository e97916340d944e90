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

// deterministic pseudo-random numbers (xorshift32)
let seed = 0x9e3779b9;
function rnd(n) {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}

const CITIES = ['Lisbon', 'Zürich', 'Kraków', 'São Paulo', 'Osaka', 'Nairobi', 'Oslo', 'Montréal'];
const SKUS = Array.from({ length: 5000 }, (_, i) => 'SKU-' + String(i).padStart(5, '0'));

class Region {
  constructor(code) {
    this.code = code;
    this.label = 'region ' + code;
    this.customers = [];
  }
}

class Customer {
  constructor(i, region) {
    this.name = 'customer-' + i;                          // unique, flat
    this.email = 'customer.' + i + '@example.invalid';    // unique, concatenated
    this.region = region;
    this.address = { street: i + ' Main Street', city: CITIES[i % CITIES.length], zip: 'Z' + (i % 100000) };
    this.tags = ['tier-' + (i % 4), region.code];
    this.orders = [];
  }
}

class Order {
  constructor(ref, customer, lineCount) {
    this.ref = ref;
    this.customer = customer;
    this.lines = [];
    for (let k = 0; k < lineCount; k++) {
      this.lines.push({ sku: SKUS[rnd(SKUS.length)], qty: 1 + rnd(9), note: 'line ' + k + ' of ' + ref });
    }
    this.status = rnd(10) === 0 ? { code: 'held', reason: 'review ' + ref } : null;
  }
}

const regions = Array.from({ length: 64 }, (_, i) => new Region('R' + i));
const byName = Array.from({ length: 256 }, () => new Map());   // string keys -> Customer
const byRef = Array.from({ length: 256 }, () => new Map());    // string keys -> Order
const handlers = [];
const sessions = [];
const metadata = [];

let orders = 0;
for (let i = 0; i < N; i++) {
  const region = regions[i % regions.length];
  const c = new Customer(i, region);
  region.customers.push(c);
  byName[i & 255].set(c.name, c);

  const orderCount = 1 + rnd(3);
  for (let o = 0; o < orderCount; o++) {
    const ref = 'ord-' + i + '-' + o;
    const order = new Order(ref, c, 1 + rnd(3));
    c.orders.push(order);
    byRef[orders & 255].set(ref, order);
    orders++;
  }
  if (i % 8 === 0) {
    const greeting = 'Hello, ' + c.name;
    handlers.push(function onNotify(event) { return greeting + ' ' + event + ' ' + c.email; });
  }
  if (i % 5 === 0) {
    sessions.push({ id: 'sess-' + i, user: c, started: new Date(1700000000000 + i), scopes: ['read', 'write'] });
  }
  if (i % 4 === 0) {
    metadata.push({ owner: c, audit: { created: { by: 'user-' + (i % 1000), via: 'import' }, history: [{ op: 'create' }] } });
  }
  if ((i + 1) % 1000000 === 0) {
    log(`${i + 1} customers`);
  }
}
globalThis.benchHeap = { regions, byName, byRef, handlers, sessions, metadata };
log(`built ${N} customers, ${orders} orders; heap used ${(process.memoryUsage().heapUsed / 2 ** 30).toFixed(2)} GiB`);

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
