// The dashboard's client of the Stockpile HTTP API (DESIGN.md §7): the
// token kept in sessionStorage, JSON requests with the bearer header, a
// fetch-based Server-Sent Events reader (EventSource cannot send headers),
// topic patterns as the server matches them, and a tiny DOM helper.

const TOKEN_KEY = 'stockpile.token';

export function loadToken() { return sessionStorage.getItem(TOKEN_KEY); }
export function saveToken(token) { sessionStorage.setItem(TOKEN_KEY, token); }
export function clearToken() { sessionStorage.removeItem(TOKEN_KEY); }

// The claims of a JWT, or null when it is not one. Not verified: the
// server verifies; the dashboard only reads the role to hide buttons.
export function decodeJwt(token) {
  const parts = (token || '').trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

// Which roles hold which permission (api/permission.h).
const PERMISSIONS = {
  read: ['admin', 'manager', 'clerk', 'viewer'],
  clerk_write: ['admin', 'manager', 'clerk'],
  business_write: ['admin', 'manager'],
  approve: ['admin', 'manager'],
  operations: ['admin'],
};

export function can(role, permission) {
  return (PERMISSIONS[permission] || []).includes(role);
}

// A non-2xx answer; `detail` is the problem+json detail when there is one.
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const token = loadToken();
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

async function failure(res) {
  let detail = '';
  try {
    const body = await res.json();
    detail = body.detail || body.title || '';
  } catch { /* not JSON */ }
  if (res.status === 401) onUnauthorized(detail);
  return new ApiError(res.status, detail);
}

// GET (or `method`) a JSON resource, with `headers` added to the defaults.
// Throws ApiError on non-2xx.
export async function api(path, { method = 'GET', body, signal, headers: extra } = {}) {
  const init = { method, headers: headers(extra), signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

// Text of a public endpoint (/metrics).
export async function text(path, { signal } = {}) {
  const res = await fetch(path, { signal, cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return res.text();
}

// Reads an SSE response and calls onFrame({id, event, data}) per frame.
// Resolves when the server ends the stream; rejects on errors or abort.
export async function readSse(path, { signal, lastEventId, onOpen, onFrame }) {
  const h = headers({ Accept: 'text/event-stream' });
  if (lastEventId) h['Last-Event-ID'] = String(lastEventId);
  const res = await fetch(path, { headers: h, signal, cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  if (onOpen) onOpen();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let frame = { id: null, event: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer[nl] === '\r' ? 2 : 1));
      if (line === '') {
        if (frame.data.length) {
          onFrame({ id: frame.id, event: frame.event, data: frame.data.join('\n') });
        }
        frame = { id: null, event: 'message', data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;  // comment / keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let val = colon < 0 ? '' : line.slice(colon + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (field === 'data') frame.data.push(val);
      else if (field === 'id') frame.id = val;
      else if (field === 'event') frame.event = val;
    }
  }
}

// AMQP topic patterns: '*' is one word, '#' zero or more (DESIGN.md §2).
export function topicMatches(pattern, type) {
  const p = pattern.split('.');
  const t = type.split('.');
  const memo = new Map();
  const go = (i, j) => {
    const key = i * 1000 + j;
    if (memo.has(key)) return memo.get(key);
    let r;
    if (i === p.length) r = j === t.length;
    else if (p[i] === '#') r = go(i + 1, j) || (j < t.length && go(i, j + 1));
    else r = j < t.length && (p[i] === '*' || p[i] === t[j]) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

export function validPattern(pattern) {
  return /^(\*|#|[a-z0-9_-]+)(\.(\*|#|[a-z0-9_-]+))*$/.test(pattern);
}

// h('td', {class: 'num'}, 'text', child, ...): an element; text is never HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces the children of `el`.
export function fill(el, ...children) {
  el.replaceChildren();
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) el.append(c);
  }
}

// A panel body saying why it is empty.
export function notice(text, kind = 'muted') {
  return h('p', { class: `notice ${kind}` }, text);
}

// The standard "this build lacks the endpoint" notice.
export function unavailable(what) {
  return notice(`${what}: not available in this build`, 'muted unavailable');
}

export function shortTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '';
  return d.toTimeString().slice(0, 8) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
}
