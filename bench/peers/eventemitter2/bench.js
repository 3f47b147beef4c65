// EventEmitter2 (wildcard: true, delimiter '.') running the bus workload of
// Stockpile's bench/bus_workload.h line for line, so bench/run-bus can set
// the two side by side. AMQP '#' is EventEmitter2's '**'.
//
// Prints one JSON object per workload:
//   {"name":"A1","events_per_s":..,"handler_calls_per_s":..,"checksum":..}
'use strict';
const { EventEmitter2 } = require('eventemitter2');

const PATTERNS = ['inventory.*.*', 'inventory.stock.*', 'inventory.stock.adjusted',
  'inventory.alert.lowstock', 'order.created', 'order.*', 'order.#', 'payment.*',
  'shipment.#', '#'];
const KEYS = ['inventory.stock.adjusted', 'inventory.stock.reserved',
  'inventory.stock.released', 'inventory.stock.received',
  'inventory.product.created', 'inventory.product.updated',
  'inventory.product.discontinued', 'inventory.alert.lowstock',
  'order.created', 'order.confirmed', 'order.cancelled', 'order.shipped',
  'order.delivered', 'order.item.added', 'order.item.removed',
  'payment.authorized', 'payment.captured', 'payment.refunded',
  'shipment.label.created', 'shipment.dispatched'];
const KEY_CYCLE = 4096;
const WARMUP = 200000;
const MEASURED = 2000000;
const PREBUILT = 16 * KEY_CYCLE;

function keyIndices() {
  const out = new Uint32Array(KEY_CYCLE);
  let x = 2463534242 >>> 0;
  for (let i = 0; i < KEY_CYCLE; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out[i] = x % KEYS.length;
  }
  return out;
}
const KEY_OF = keyIndices();

function makeEvent(i) {
  return {
    eventType: KEYS[KEY_OF[i % KEY_CYCLE]],
    aggregateType: 'product',
    aggregateId: 'product-' + (i % 1000),
    payload: { productId: i % 1000, quantity: (i % 7) + 1 },
  };
}

function subscribe(emitter, patterns, tally) {
  for (const p of patterns) {
    emitter.on(p.replace(/#/g, '**'), (e) => {
      tally.calls++;
      tally.checksum += e.payload.quantity;
    });
  }
}

function report(name, start, events, tally, callsBefore) {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({
    name,
    events_per_s: events / seconds,
    handler_calls_per_s: (tally.calls - callsBefore) / seconds,
    checksum: tally.checksum,
  }));
}

function newEmitter() {
  return new EventEmitter2({ wildcard: true, delimiter: '.', maxListeners: 100 });
}

function workloadA1() {
  const emitter = newEmitter();
  const tally = { calls: 0, checksum: 0 };
  subscribe(emitter, PATTERNS, tally);
  const events = [];
  for (let i = 0; i < PREBUILT; i++) events.push(makeEvent(i));
  for (let i = 0; i < WARMUP; i++) {
    const e = events[i % PREBUILT];
    emitter.emit(e.eventType, e);
  }
  const before = tally.calls;
  const start = process.hrtime.bigint();
  for (let i = 0, j = 0; i < MEASURED; i++) {
    const e = events[j];
    emitter.emit(e.eventType, e);
    if (++j === PREBUILT) j = 0;
  }
  report('A1', start, MEASURED, tally, before);
}

function workloadA2() {
  const emitter = newEmitter();
  const tally = { calls: 0, checksum: 0 };
  subscribe(emitter, PATTERNS, tally);
  let i = 0;
  for (; i < WARMUP; i++) {
    const e = makeEvent(i);
    emitter.emit(e.eventType, e);
  }
  const before = tally.calls;
  const start = process.hrtime.bigint();
  for (const end = i + MEASURED; i < end; i++) {
    const e = makeEvent(i);
    emitter.emit(e.eventType, e);
  }
  report('A2', start, MEASURED, tally, before);
}

function workloadB() {
  const emitter = newEmitter();
  const tally = { calls: 0, checksum: 0 };
  subscribe(emitter, ['inventory.stock.adjusted'], tally);
  const e = makeEvent(0);
  e.eventType = 'inventory.stock.adjusted';
  for (let i = 0; i < WARMUP; i++) emitter.emit(e.eventType, e);
  const before = tally.calls;
  const start = process.hrtime.bigint();
  for (let i = 0; i < MEASURED; i++) emitter.emit(e.eventType, e);
  report('B', start, MEASURED, tally, before);
}

workloadA1();
workloadA2();
workloadB();
