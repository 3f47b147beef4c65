// amqplib running the scenario of Stockpile's bench/transport_bench.cc the
// way a Node service would, so bench/run-transport can set the two side by
// side on one broker in one session.
//
//   node bench.js [--url amqp://...] [--events N] [--batch B]
//                 [--publishers P] [--prefetch 500] [--mode e2e|publish]
//                 [--timeout SECONDS]
//
// --url defaults to $STOCKPILE_TEST_AMQP_URL; the other defaults are
// transport_bench's. Topology, under a fresh prefix "bench-<pid>-<ms>": a
// durable topic exchange <prefix>.events and a durable queue
// <prefix>.inventory bound to the one event type; both are deleted at the
// end (which also drops what publish mode left in the queue).
//
// Publishing: P ConfirmChannels on one connection, each a loop that
// publishes a batch of B messages and then awaits waitForConfirms() (a
// window of B, emptied before the next batch: the counterpart of a
// Stockpile Publish call), pausing for 'drain' when publish() reports a
// full write buffer. Messages are persistent, mandatory, ~390-byte JSON
// envelopes of Stockpile's shape with the same AMQP properties (content
// type, message id, type, headers eventType / tenantId / correlationId).
// Consuming (e2e): its own connection and channel, prefetch 500, manual
// ack of every message after JSON.parse of its body.
//
// e2e times the first publish to the ack that completes the N distinct
// eventIds (or to the last confirm, if later); publish times it to the last
// batch's confirms. Prints one line:
//   {"impl":"amqplib","mode":"e2e","events":N,"seconds":..,
//    "events_per_s":..,"duplicates":..,...}
// and exits 1 on any error (a nack, an unroutable or missing event, the
// --timeout passing).
'use strict';
const amqp = require('amqplib');
const crypto = require('crypto');
const { once } = require('events');

const EVENT_TYPE = 'inventory.stock.adjusted';

function parseFlags(argv) {
  const f = {
    url: process.env.STOCKPILE_TEST_AMQP_URL || '',
    events: 200000, batch: 256, publishers: 1, prefetch: 500, mode: 'e2e',
    timeout: 120,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    const v = argv[i + 1];
    if (!(k in f) || v === undefined) throw new Error(`bad flag ${argv[i]}`);
    if (typeof f[k] === 'number') {
      f[k] = Number(v);
      if (!Number.isInteger(f[k]) || f[k] <= 0) throw new Error(`bad ${argv[i]} ${v}`);
    } else {
      f[k] = v;
    }
  }
  if (f.mode !== 'e2e' && f.mode !== 'publish') throw new Error(`bad --mode ${f.mode}`);
  if (!f.url) throw new Error('no broker: pass --url or set STOCKPILE_TEST_AMQP_URL');
  return f;
}

// The envelope of transport_bench's events, over 64 aggregates.
function makeEnvelopes(n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const product = 'product-' + (i % 64);
    const eventId = crypto.randomUUID();
    out[i] = {
      eventId,
      eventType: EVENT_TYPE,
      aggregateType: 'inventory_position',
      aggregateId: product + '@main',
      tenantId: 'acme',
      timestamp: new Date().toISOString(),
      version: 1,
      payload: { productId: product, locationId: 'main', delta: -2, onHand: 98 },
      metadata: { source: 'inventory', correlationId: eventId },
    };
  }
  return out;
}

async function publisher(conn, exchange, envelopes, next, batch) {
  const ch = await conn.createConfirmChannel();
  let returned = 0;
  ch.on('return', () => { returned++; });
  for (;;) {
    const begin = next.value;
    if (begin >= envelopes.length) break;
    next.value += batch;
    const end = Math.min(begin + batch, envelopes.length);
    for (let i = begin; i < end; i++) {
      const e = envelopes[i];
      const ok = ch.publish(exchange, e.eventType, Buffer.from(JSON.stringify(e)), {
        persistent: true,
        mandatory: true,
        contentType: 'application/json',
        messageId: e.eventId,
        type: e.eventType,
        headers: {
          eventType: e.eventType, tenantId: e.tenantId,
          correlationId: e.metadata.correlationId,
        },
      });
      if (!ok) await once(ch, 'drain');
    }
    await ch.waitForConfirms();  // rejects if the broker nacked any
  }
  await ch.close();  // a return precedes its message's confirm
  return returned;
}

async function publishAll(conn, exchange, envelopes, f) {
  const next = { value: 0 };
  const loops = [];
  for (let p = 0; p < f.publishers; p++) {
    loops.push(publisher(conn, exchange, envelopes, next, f.batch));
  }
  const returned = (await Promise.all(loops)).reduce((a, b) => a + b, 0);
  if (returned > 0) throw new Error(`${returned} events were unroutable`);
}

// Resolves with the time the N-th distinct eventId was acked.
async function consume(conn, queue, envelopes, f, tally) {
  const index = new Map();
  envelopes.forEach((e, i) => index.set(e.eventId, i));
  const seen = new Uint8Array(envelopes.length);
  const ch = await conn.createChannel();
  await ch.prefetch(f.prefetch);
  let done;
  const finished = new Promise((resolve) => { done = resolve; });
  await ch.consume(queue, (msg) => {
    const i = index.get(JSON.parse(msg.content.toString()).eventId);
    if (i === undefined) tally.unexpected++;
    else if (seen[i]) tally.duplicates++;
    else { seen[i] = 1; tally.distinct++; }
    ch.ack(msg);
    if (tally.distinct === envelopes.length) done(process.hrtime.bigint());
  }, { noAck: false });
  return { ch, finished };
}

async function main() {
  const f = parseFlags(process.argv.slice(2));
  const timer = setTimeout(() => {
    console.error(`amqplib bench: still running after ${f.timeout}s`);
    process.exit(1);
  }, f.timeout * 1000);
  const envelopes = makeEnvelopes(f.events);
  const prefix = `bench-${process.pid}-${Date.now()}`;
  const exchange = `${prefix}.events`;
  const queue = `${prefix}.inventory`;

  const conn = await amqp.connect(f.url);
  const admin = await conn.createChannel();
  await admin.assertExchange(exchange, 'topic', { durable: true });
  await admin.assertQueue(queue, { durable: true });
  await admin.bindQueue(queue, exchange, EVENT_TYPE);

  const tally = { distinct: 0, duplicates: 0, unexpected: 0 };
  let seconds;
  let consumer = null;
  if (f.mode === 'e2e') {
    const cconn = await amqp.connect(f.url);
    const { ch, finished } = await consume(cconn, queue, envelopes, f, tally);
    consumer = { conn: cconn, ch };
    const start = process.hrtime.bigint();
    await publishAll(conn, exchange, envelopes, f);
    const confirmedAt = process.hrtime.bigint();
    const ackedAt = await finished;
    seconds = Number((ackedAt > confirmedAt ? ackedAt : confirmedAt) - start) / 1e9;
  } else {
    const start = process.hrtime.bigint();
    await publishAll(conn, exchange, envelopes, f);
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    // Confirmed persistent messages are in the queue: count them.
    const { messageCount } = await admin.checkQueue(queue);
    tally.distinct = Math.min(messageCount, f.events);
    tally.duplicates = Math.max(messageCount - f.events, 0);
  }
  if (tally.distinct !== f.events || tally.unexpected > 0) {
    throw new Error(`${tally.distinct} of ${f.events} events arrived, ` +
      `${tally.unexpected} unexpected`);
  }
  if (consumer) {
    await consumer.ch.close();
    await consumer.conn.close();
  }
  await admin.deleteQueue(queue);
  await admin.deleteExchange(exchange);
  await conn.close();
  clearTimeout(timer);
  console.log(JSON.stringify({
    impl: 'amqplib', mode: f.mode, events: f.events,
    seconds: Number(seconds.toFixed(3)),
    events_per_s: Number((f.events / seconds).toFixed(1)),
    duplicates: tally.duplicates,
    batch: f.batch, publishers: f.publishers, prefetch: f.prefetch,
    body_bytes: Buffer.byteLength(JSON.stringify(envelopes[0])),
  }));
}

main().catch((err) => {
  console.error(`amqplib bench: ${err.message}`);
  process.exit(1);
});
