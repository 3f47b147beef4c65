// LiveEvents: the one SSE connection of the dashboard. It opens
// /api/v1/events/stream a little before the log's head (so the panels start
// with recent history), resumes with Last-Event-ID after a drop, keeps the
// newest events in memory and counts them per second for the rate panels.

import { api, readSse, ApiError } from './api.js';

const KEEP = 1000;        // events kept for the stream panel
const HISTORY = 200;      // events replayed when the dashboard opens
const WINDOW_S = 300;     // seconds of rate history

// Counts per key per second over the last WINDOW_S seconds.
export class RateWindow {
  constructor() { this.buckets = new Map(); }  // second -> Map(key -> n)

  add(key, ms) {
    const s = Math.floor(ms / 1000);
    const now = Math.floor(Date.now() / 1000);
    if (s <= now - WINDOW_S || s > now + 5) return;
    let b = this.buckets.get(s);
    if (!b) this.buckets.set(s, (b = new Map()));
    b.set(key, (b.get(key) || 0) + 1);
  }

  prune() {
    const oldest = Math.floor(Date.now() / 1000) - WINDOW_S;
    for (const s of this.buckets.keys()) if (s <= oldest) this.buckets.delete(s);
  }

  // Events per second of `key` (every key when null) over the last `seconds`.
  rate(key, seconds = 60) {
    const now = Math.floor(Date.now() / 1000);
    let n = 0;
    for (const [s, b] of this.buckets) {
      if (s <= now - seconds) continue;
      if (key === null) for (const v of b.values()) n += v;
      else n += b.get(key) || 0;
    }
    return n / seconds;
  }

  // Per-second counts of `key`, oldest first, `seconds` long, ending now.
  series(key, seconds = WINDOW_S) {
    const now = Math.floor(Date.now() / 1000);
    const out = new Array(seconds).fill(0);
    for (const [s, b] of this.buckets) {
      const i = seconds - 1 - (now - s);
      if (i >= 0 && i < seconds) out[i] += b.get(key) || 0;
    }
    return out;
  }

  keys() {
    const all = new Set();
    for (const b of this.buckets.values()) for (const k of b.keys()) all.add(k);
    return [...all];
  }
}

export class LiveEvents {
  constructor() {
    this.events = [];          // newest last
    this.types = new RateWindow();   // key: eventType
    this.flows = new RateWindow();   // key: `${source}\u0000${eventType}`
    this.listeners = new Set();
    this.stateListeners = new Set();
    this.state = 'idle';
    this.lastId = null;
    this.abort = null;
  }

  onEvent(fn) { this.listeners.add(fn); }
  onState(fn) { this.stateListeners.add(fn); }

  setState(state, detail = '') {
    this.state = state;
    for (const fn of this.stateListeners) fn(state, detail);
  }

  async start() {
    this.stop();
    const abort = new AbortController();
    this.abort = abort;
    // Without a known head the server starts at "now" (no history).
    let query = '';
    try {
      const health = await fetch('/health/services', { cache: 'no-store' }).then((r) => r.json());
      const head = Number(health?.components?.store?.headPosition);
      if (Number.isFinite(head)) query = `?after=${Math.max(0, head - HISTORY)}`;
    } catch { /* no history */ }
    let delay = 500;
    while (!abort.signal.aborted) {
      try {
        this.setState('connecting');
        await readSse(`/api/v1/events/stream${query}`, {
          signal: abort.signal,
          lastEventId: this.lastId,
          onOpen: () => { this.setState('live'); delay = 500; },
          onFrame: (frame) => this.receive(frame),
        });
        this.setState('reconnecting', 'the server closed the stream');
      } catch (e) {
        if (abort.signal.aborted) return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          this.setState('denied', e.message);
          return;
        }
        this.setState('reconnecting', e.message);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }

  stop() {
    if (this.abort) this.abort.abort();
    this.abort = null;
  }

  receive(frame) {
    let event;
    try {
      event = JSON.parse(frame.data);
    } catch {
      return;
    }
    if (frame.id) this.lastId = frame.id;
    this.events.push(event);
    if (this.events.length > KEEP) this.events.splice(0, this.events.length - KEEP);
    const ms = Date.parse(event.timestamp) || Date.now();
    const source = event.metadata?.source || event.aggregateType || 'unknown';
    this.types.add(event.eventType, ms);
    this.flows.add(`${source}\u0000${event.eventType}`, ms);
    for (const fn of this.listeners) fn(event);
  }
}
