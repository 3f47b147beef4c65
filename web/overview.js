// The Overview tab: the service map (drawn from what the running system
// reports: event sources seen on the stream, the subscriptions the server
// lists), events/s per type, and HTTP rates and latency from /metrics.

import { api, text, h, fill, notice, topicMatches, ApiError } from './api.js';
import { contextOf } from './stream.js';

const PALETTE = ['#2f6fde', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5f3dc4'];
const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export function formatRate(r) {
  if (r === 0) return '0/s';
  if (r < 0.1) return `${(r * 60).toFixed(1)}/min`;
  return `${r < 10 ? r.toFixed(1) : Math.round(r)}/s`;
}

// ---------------------------------------------------------------- consumers

// Subscriptions as the server reports them: GET /api/v1/subscriptions when
// this build has it, else the subscription components of /health/services.
export async function loadSubscriptions() {
  try {
    const body = await api('/api/v1/subscriptions');
    const items = Array.isArray(body) ? body : body.items || [];
    return { source: '/api/v1/subscriptions', items: items.map(normalizeSubscription) };
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 403)) throw e;
  }
  const health = await fetch('/health/services', { cache: 'no-store' }).then((r) => r.json());
  const items = [];
  for (const [name, c] of Object.entries(health.components || {})) {
    if (name === 'store' || name === 'transport') continue;
    items.push(normalizeSubscription({ ...c, name: name.replace(/^subscription:/, '') }));
  }
  return { source: '/health/services', items, health };
}

function normalizeSubscription(x) {
  let patterns = x.patterns || x.pattern || x.topics || x.eventTypes || [];
  if (typeof patterns === 'string') patterns = [patterns];
  return {
    ...x,
    name: x.name || x.subscription || x.id || 'subscription',
    patterns,
    lag: Number(x.lag ?? x.lagEvents ?? 0) || 0,
    health: x.status || x.health || healthOfState(x.state),
  };
}

// /api/v1/subscriptions gives a consumer's state (runtime/consumer.cc), not
// a health: running and paused are up, an open circuit is degraded.
function healthOfState(state) {
  if (!state || state === 'running' || state === 'paused') return 'up';
  return state === 'circuit_open' ? 'degraded' : 'down';
}

function consumerClass(c) {
  if (c.health === 'down' || /stalled|failed|stopped/.test(c.state || '')) return 'bad';
  if (c.health === 'degraded' || c.lag > 100 || (c.parked ?? 0) > 0) return 'warn';
  return 'ok';
}

// ---------------------------------------------------------------- map

export class ServiceMap {
  constructor(live) {
    this.live = live;
    this.el = document.getElementById('service-map');
    this.note = document.getElementById('map-note');
    this.consumers = { items: [], source: '' };
  }

  async refreshConsumers() {
    try {
      this.consumers = await loadSubscriptions();
    } catch { /* keep the last answer */ }
  }

  render() {
    const flows = this.live.flows;
    const producers = new Map();   // source -> rate
    const contexts = new Map();    // context -> {rate, types:Set}
    const links = new Map();       // `${source}\0${context}` -> rate
    const seen = new Set(flows.keys());
    for (const e of this.live.events) {
      seen.add(`${e.metadata?.source || e.aggregateType || 'unknown'}\u0000${e.eventType}`);
    }
    for (const key of seen) {
      const [source, type] = key.split('\u0000');
      const r = flows.rate(key, 60);
      const ctx = contextOf(type);
      producers.set(source, (producers.get(source) || 0) + r);
      if (!contexts.has(ctx)) contexts.set(ctx, { rate: 0, types: new Set() });
      contexts.get(ctx).rate += r;
      contexts.get(ctx).types.add(type);
      const lk = `${source}\u0000${ctx}`;
      links.set(lk, (links.get(lk) || 0) + r);
    }
    // Reactions: an event whose causationId names an event of context C was
    // written by a service that consumed C. Counted per (C, that source).
    const byId = new Map(this.live.events.map((e) => [e.eventId, e]));
    const reactions = new Map();  // `${context}\0${source}` -> events in the last 60 s
    const since = Date.now() - 60000;
    for (const e of this.live.events) {
      const cause = byId.get(e.metadata?.causationId);
      if (!cause || cause === e) continue;
      const key = `${contextOf(cause.eventType)}\u0000${e.metadata?.source || e.aggregateType || 'unknown'}`;
      reactions.set(key, (reactions.get(key) || 0) + ((Date.parse(e.timestamp) || 0) >= since ? 1 : 0));
    }
    // Reported subscriptions, plus services seen reacting that no reported
    // subscription accounts for. A subscription "inventory.reservations"
    // belongs to the service "inventory".
    const serviceOf = (name) => name.split(/[.:_-]/)[0];
    const consumers = this.consumers.items.map((c) => ({ ...c, service: serviceOf(c.name) }));
    for (const key of reactions.keys()) {
      const source = key.split('\u0000')[1];
      if (!consumers.some((c) => c.service === source)) {
        consumers.push({ name: source, service: source, patterns: [], health: 'inferred', inferred: true });
      }
    }
    this.note.textContent = `sources from event metadata · consumers from ${this.consumers.source || '…'} and causation · rates over 60 s`;
    if (!producers.size && !consumers.length) {
      fill(this.el, notice('No events yet: the map draws itself from the events that flow.'));
      return;
    }
    const cols = [[...producers.keys()].sort(), [...contexts.keys()].sort(), consumers.map((c) => c.name)];
    const rowH = 58;
    const nodeH = 44;
    const height = Math.max(...cols.map((c) => c.length), 1) * rowH + 40;
    const width = 900;
    const nodeW = 190;
    const xs = [10, (width - nodeW) / 2, width - nodeW - 10];
    const pos = new Map();
    cols.forEach((col, ci) => {
      const top = (height - col.length * rowH) / 2;
      col.forEach((name, i) => pos.set(`${ci}:${name}`, { x: xs[ci], y: top + i * rowH + 6 }));
    });
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'map-svg', role: 'img',
      'aria-label': 'Service map: event sources, event contexts and consumers' });
    const edges = s('g', { class: 'edges' });
    const nodes = s('g', { class: 'nodes' });
    svg.append(
      s('text', { x: xs[0], y: 14, class: 'col-title' }, 'sources'),
      s('text', { x: xs[1], y: 14, class: 'col-title' }, 'events'),
      s('text', { x: xs[2], y: 14, class: 'col-title' }, 'consumers'),
      edges, nodes);
    // Several edges leave or enter one node: their ends are spread over the
    // node's height so each keeps its own line and rate label.
    const ends = new Map();  // node key -> [count, next index]
    const port = (key) => {
      const e = ends.get(key);
      const y = 6 + ((e[1] + 0.5) * (nodeH - 12)) / e[0];
      e[1]++;
      return y;
    };
    const plan = [];
    const edge = (from, to, rate, cls, labelAtEnd) => {
      for (const k of [from, to]) ends.set(k, [(ends.get(k)?.[0] || 0) + 1, 0]);
      plan.push({ from, to, rate, cls, labelAtEnd });
    };
    const drawEdges = () => {
      plan.sort((p1, p2) => pos.get(p1.to).y - pos.get(p2.to).y || pos.get(p1.from).y - pos.get(p2.from).y);
      for (const { from, to, rate, cls, labelAtEnd } of plan) {
        const a = pos.get(from), b = pos.get(to);
        const x1 = a.x + nodeW, y1 = a.y + port(from), x2 = b.x, y2 = b.y + port(to);
        const mx = (x1 + x2) / 2;
        const w = rate > 0 ? Math.min(1.5 + Math.log2(1 + rate * 4), 6) : 1;
        const path = s('path', {
          d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
          class: `edge ${cls} ${rate > 0 ? 'active' : 'idle'}`, 'stroke-width': w.toFixed(1),
        });
        path.append(s('title', {}, `${from.slice(2)} → ${to.slice(2)}: ${formatRate(rate)}`));
        edges.append(path);
        edges.append(labelAtEnd
          ? s('text', { x: x2 - 6, y: y2 - 3, class: 'edge-label end' }, formatRate(rate))
          : s('text', { x: mx, y: (y1 + y2) / 2 - 5, class: 'edge-label' }, formatRate(rate)));
      }
    };
    for (const [lk, r] of links) {
      const [src, ctx] = lk.split('\u0000');
      edge(`0:${src}`, `1:${ctx}`, r, 'produce', false);
    }
    for (const c of consumers) {
      for (const [ctx, info] of contexts) {
        let r;
        if (c.patterns.length) {  // what the subscription says it takes
          const types = [...info.types].filter((t) => c.patterns.some((p) => topicMatches(p, t)));
          if (!types.length) continue;
          r = types.reduce((n, t) => n + this.live.types.rate(t, 60), 0);
        } else {  // what its service was seen reacting to
          const key = `${ctx}\u0000${c.service}`;
          if (!reactions.has(key)) continue;
          r = reactions.get(key) / 60;
        }
        edge(`1:${ctx}`, `2:${c.name}`, r, `consume ${consumerClass(c)}`, true);
      }
    }
    drawEdges();
    const node = (ci, name, sub, cls) => {
      const p = pos.get(`${ci}:${name}`);
      nodes.append(s('g', { class: `node ${cls}`, transform: `translate(${p.x},${p.y})`, 'data-node': name },
        s('rect', { width: nodeW, height: nodeH, rx: 7 }),
        s('text', { x: 10, y: nodeH / 2 - 2, class: 'node-name' }, name.length > 24 ? name.slice(0, 23) + '…' : name),
        s('text', { x: 10, y: nodeH / 2 + 12, class: 'node-sub' }, sub)));
    };
    for (const [src, r] of producers) node(0, src, formatRate(r), 'producer');
    for (const [ctx, info] of contexts) node(1, ctx, `${info.types.size} type${info.types.size === 1 ? '' : 's'} · ${formatRate(info.rate)}`, `context ctx-${ctx}`);
    for (const c of consumers) {
      if (c.inferred) {
        node(2, c.name, 'seen reacting (causation)', 'consumer inferred');
        continue;
      }
      const parts = [c.health];
      if (c.lag) parts.push(`lag ${c.lag}`);
      if (c.state) parts.push(c.state);
      node(2, c.name, parts.join(' · '), `consumer ${consumerClass(c)}`);
    }
    if (!consumers.length) {
      svg.append(s('text', { x: xs[2], y: 40, class: 'node-sub' }, 'no subscriptions reported'));
    }
    fill(this.el, svg);
  }
}

// ---------------------------------------------------------------- charts

function setupCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 300;
  const hgt = Number(canvas.getAttribute('height')) || 150;
  if (canvas.width !== Math.round(w * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(hgt * ratio);
    canvas.style.height = `${hgt}px`;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, hgt);
  return { ctx, w, h: hgt };
}

// Lines of `series` ([{values, color}]) on a shared y axis, newest right.
export function drawLines(canvas, series, unit) {
  const { ctx, w, h: hgt } = setupCanvas(canvas);
  const pad = { l: 40, r: 8, t: 8, b: 18 };
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#6b7280';
  ctx.strokeStyle = '#e5e7eb';
  ctx.lineWidth = 1;
  for (let i = 0; i <= 2; i++) {
    const y = pad.t + ((hgt - pad.t - pad.b) * i) / 2;
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(w - pad.r, y); ctx.stroke();
    const v = max * (1 - i / 2);
    ctx.fillText(v >= 10 ? String(Math.round(v)) : String(Number(v.toFixed(2))), 4, y + 4);
  }
  ctx.fillText(unit, 4, hgt - 4);
  ctx.fillText('now', w - pad.r - 22, hgt - 4);
  for (const { values, color } of series) {
    if (values.length < 2) continue;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = pad.l + ((w - pad.l - pad.r) * i) / (values.length - 1);
      const y = hgt - pad.b - ((hgt - pad.t - pad.b) * v) / max;
      if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    });
    ctx.stroke();
  }
}

export class RatesPanel {
  constructor(live) {
    this.live = live;
    this.canvas = document.getElementById('rates-chart');
    this.legend = document.getElementById('rates-legend');
  }

  render() {
    const live = this.live;
    live.types.prune();
    live.flows.prune();
    const step = 5;  // seconds per point
    const types = live.types.keys()
      .map((t) => ({ t, total: live.types.series(t).reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.total - a.total)
      .slice(0, PALETTE.length);
    const series = types.map(({ t }, i) => {
      const perSecond = live.types.series(t);
      const values = [];
      for (let j = 0; j < perSecond.length; j += step) {
        values.push(perSecond.slice(j, j + step).reduce((a, b) => a + b, 0) / step);
      }
      return { type: t, values, color: PALETTE[i] };
    });
    drawLines(this.canvas, series, 'ev/s');
    fill(this.legend, series.length ? series.map((x) => h('li', {},
      h('span', { class: 'swatch', 'data-color': x.color }),
      h('span', { class: 'mono' }, x.type),
      h('span', { class: 'num' }, formatRate(live.types.rate(x.type, 60))))) :
      h('li', { class: 'muted' }, 'No events in the last 5 minutes.'));
    for (const sw of this.legend.querySelectorAll('.swatch')) sw.style.background = sw.dataset.color;
  }
}

// ---------------------------------------------------------------- /metrics

// Prometheus text -> [{name, labels, value}].
export function parseMetrics(body) {
  const out = [];
  for (const line of body.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

function summarize(samples) {
  const routes = new Map();
  const buckets = new Map();
  let count = 0, sum = 0;
  for (const x of samples) {
    if (x.name === 'stockpile_http_request_duration_seconds_count') {
      count += x.value;
      const key = `${x.labels.method} ${x.labels.route}`;
      const r = routes.get(key) || { count: 0, sum: 0, errors: 0 };
      r.count += x.value;
      if (Number(x.labels.status) >= 500) r.errors += x.value;
      routes.set(key, r);
    } else if (x.name === 'stockpile_http_request_duration_seconds_sum') {
      sum += x.value;
      const key = `${x.labels.method} ${x.labels.route}`;
      const r = routes.get(key) || { count: 0, sum: 0, errors: 0 };
      r.sum += x.value;
      routes.set(key, r);
    } else if (x.name === 'stockpile_http_request_duration_seconds_bucket') {
      const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
      buckets.set(le, (buckets.get(le) || 0) + x.value);
    }
  }
  return { at: Date.now(), count, sum, routes, buckets };
}

// The q-quantile of a cumulative histogram given as Map(le -> count).
function quantile(buckets, q) {
  const les = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) || 0;
  if (!total) return null;
  let prevLe = 0, prevCount = 0;
  for (const le of les) {
    const c = buckets.get(le);
    if (c >= q * total) {
      if (le === Infinity) return prevLe;
      return prevLe + ((le - prevLe) * (q * total - prevCount)) / Math.max(c - prevCount, 1e-9);
    }
    prevLe = le; prevCount = c;
  }
  return prevLe;
}

function ms(seconds) {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  return seconds < 0.01 ? `${(seconds * 1000).toFixed(2)} ms` : `${(seconds * 1000).toFixed(1)} ms`;
}

export class HttpPanel {
  constructor() {
    this.stats = document.getElementById('http-stats');
    this.canvas = document.getElementById('http-chart');
    this.table = document.getElementById('http-routes');
    this.prev = null;
    this.history = [];  // {rps, p95}
  }

  async poll() {
    let now;
    try {
      now = summarize(parseMetrics(await text('/metrics')));
    } catch {
      fill(this.stats, notice('/metrics did not answer.'));
      return;
    }
    const prev = this.prev;
    this.prev = now;
    if (!prev) {  // rates need two samples; meanwhile the totals since start
      fill(this.stats,
        stat('requests', '…'),
        stat('mean latency', ms(now.count ? now.sum / now.count : null)),
        stat('p95 latency', ms(quantile(now.buckets, 0.95))),
        stat('served', String(now.count)));
      return;
    }
    const dt = Math.max((now.at - prev.at) / 1000, 0.001);
    const dCount = Math.max(now.count - prev.count, 0);
    const dBuckets = new Map();
    for (const [le, c] of now.buckets) dBuckets.set(le, Math.max(c - (prev.buckets.get(le) || 0), 0));
    const rps = dCount / dt;
    const avg = dCount ? (now.sum - prev.sum) / dCount : null;
    const p95 = quantile(dBuckets, 0.95);
    this.history.push({ rps });
    if (this.history.length > 60) this.history.shift();
    fill(this.stats,
      stat('requests', `${rps.toFixed(1)}/s`),
      stat('mean latency', ms(avg)),
      stat('p95 latency', ms(p95)),
      stat('served', String(now.count)));
    drawLines(this.canvas, [{ values: this.history.map((x) => x.rps), color: PALETTE[0] }], 'req/s');
    const rows = [...now.routes.entries()]
      .map(([route, r]) => {
        const p = prev.routes.get(route) || { count: 0, sum: 0 };
        const d = r.count - p.count;
        return { route, rate: d / dt, avg: d ? (r.sum - p.sum) / d : null, total: r.count, errors: r.errors };
      })
      .sort((a, b) => b.rate - a.rate || b.total - a.total)
      .slice(0, 6);
    fill(this.table,
      h('thead', {}, h('tr', {}, h('th', {}, 'route'), h('th', { class: 'num' }, 'req/s'),
        h('th', { class: 'num' }, 'mean'), h('th', { class: 'num' }, '5xx'))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('td', { class: 'mono' }, r.route), h('td', { class: 'num' }, r.rate.toFixed(2)),
        h('td', { class: 'num' }, ms(r.avg)), h('td', { class: 'num' }, String(r.errors))))));
  }
}

function stat(label, value) {
  return h('div', { class: 'stat' }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}
