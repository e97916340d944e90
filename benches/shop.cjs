'use strict';
// The synthetic shop the benchmark snapshots hold (see README.md): deterministic, no
// Math.random. Shared by gen-bench-snapshot.cjs (one snapshot) and gen-bench-series.cjs (a
// series from one process).

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

/**
 * Builds the shop of `N` customers (and everything that scales with them; once per
 * process) and returns what keeps it alive; `log` reports progress.
 */
function buildShop(N, log) {
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
  log(`built ${N} customers, ${orders} orders; heap used ${(process.memoryUsage().heapUsed / 2 ** 30).toFixed(2)} GiB`);
  return { regions, byName, byRef, handlers, sessions, metadata };
}

module.exports = { buildShop };
