// The Events tab: the live list with its filters, and the selected event's
// envelope and chain (every event sharing its correlationId, drawn as a
// causation tree).

import { api, h, fill, notice, shortTime, topicMatches, validPattern } from './api.js';

const SHOWN = 300;        // rows in the list
const CHAIN_SCAN = 4000;  // log positions read around an event for its chain
const PAGE = 1000;

export function contextOf(type) { return (type || '').split('.')[0]; }

function typeBadge(type) {
  return h('span', { class: `type ctx-${contextOf(type)}` }, type);
}

export class StreamPanel {
  constructor(live) {
    this.live = live;
    this.list = document.getElementById('event-list');
    this.count = document.getElementById('stream-count');
    this.typeInput = document.getElementById('filter-type');
    this.aggInput = document.getElementById('filter-aggregate');
    this.pauseButton = document.getElementById('stream-pause');
    this.filterError = document.getElementById('filter-error');
    this.paused = false;
    this.pending = 0;
    this.selected = null;
    this.typeInput.addEventListener('input', () => this.render());
    this.aggInput.addEventListener('input', () => this.render());
    this.pauseButton.addEventListener('click', () => {
      this.paused = !this.paused;
      this.pauseButton.textContent = this.paused ? 'Resume' : 'Pause';
      if (!this.paused) this.render();
    });
    document.getElementById('stream-filters').addEventListener('submit', (e) => e.preventDefault());
    live.onEvent((e) => {
      if (this.paused) {
        this.pending++;
        this.count.textContent = `paused · ${this.pending} new`;
        return;
      }
      this.add(e);
    });
  }

  // Prepends one new event (rows already shown stay put, so a click on
  // them is never lost to a re-render).
  add(e) {
    if (!this.matches(e)) {
      this.updateCount();
      return;
    }
    if (!this.list.querySelector('.event-row')) this.list.replaceChildren();
    this.list.prepend(this.row(e));
    while (this.list.children.length > SHOWN) this.list.lastChild.remove();
    this.updateCount();
  }

  updateCount() {
    const shown = this.list.querySelectorAll('.event-row').length;
    this.count.textContent = `${shown} shown · ${this.live.events.length} received`;
  }

  matches(e) {
    const pattern = this.typeInput.value.trim();
    if (pattern && validPattern(pattern) && !topicMatches(pattern, e.eventType)) return false;
    const agg = this.aggInput.value.trim().toLowerCase();
    if (agg && !`${e.aggregateType}/${e.aggregateId}`.toLowerCase().includes(agg)) return false;
    return true;
  }

  render() {
    this.pending = 0;
    const pattern = this.typeInput.value.trim();
    this.filterError.textContent = pattern && !validPattern(pattern)
      ? 'A pattern is dot-separated words, * (one word) or # (any number).' : '';
    const rows = [];
    const events = this.live.events;
    for (let i = events.length - 1; i >= 0 && rows.length < SHOWN; i--) {
      const e = events[i];
      if (!this.matches(e)) continue;
      rows.push(this.row(e));
    }
    fill(this.list, rows.length ? rows : notice(events.length
      ? 'No event matches the filters.' : 'Waiting for events… place an order or receive stock to see them flow.'));
    this.updateCount();
  }

  row(e) {
    const li = h('li', {
      class: 'event-row' + (this.selected?.eventId === e.eventId ? ' selected' : ''),
      'data-type': e.eventType,
      'data-event-id': e.eventId,
      tabindex: 0,
      onclick: () => this.select(e),
      onkeydown: (ev) => { if (ev.key === 'Enter') this.select(e); },
    },
    h('span', { class: 'time' }, shortTime(e.timestamp)),
    typeBadge(e.eventType),
    h('span', { class: 'agg' }, `${e.aggregateType}/${e.aggregateId}`),
    h('span', { class: 'pos' }, `#${e.position ?? ''}`));
    return li;
  }

  async select(e) {
    this.selected = e;
    for (const el of this.list.querySelectorAll('.event-row.selected')) el.classList.remove('selected');
    const row = this.list.querySelector(`[data-event-id="${CSS.escape(e.eventId)}"]`);
    if (row) row.classList.add('selected');
    document.getElementById('envelope').textContent = JSON.stringify(e, null, 2);
    const note = document.getElementById('detail-note');
    note.textContent = `${e.eventType} · position ${e.position}`;
    const chainEl = document.getElementById('chain');
    const correlation = e.metadata?.correlationId;
    if (!correlation) {
      fill(chainEl, notice('This event has no correlationId, so no chain.'));
      return;
    }
    fill(chainEl, notice('Loading the chain…'));
    const chain = await this.chainOf(e, correlation);
    if (this.selected !== e) return;
    fill(chainEl,
      h('h3', {}, `Chain · ${chain.length} event${chain.length === 1 ? '' : 's'}`,
        h('span', { class: 'muted mono' }, ` correlation ${correlation}`)),
      this.tree(chain, e));
  }

  // Events sharing `correlation`: those held in memory plus a scan of the
  // log around the event (a chain's events are appended close together).
  async chainOf(e, correlation) {
    const found = new Map();
    for (const x of this.live.events) {
      if (x.metadata?.correlationId === correlation) found.set(x.eventId, x);
    }
    let after = Math.max(0, (e.position || 0) - CHAIN_SCAN / 2);
    const end = (e.position || 0) + CHAIN_SCAN / 2;
    try {
      while (after !== null && after < end) {
        const page = await api(`/api/v1/events?after=${after}&limit=${PAGE}`);
        for (const x of page.items || []) {
          if (x.metadata?.correlationId === correlation) found.set(x.eventId, x);
        }
        after = page.next;
      }
    } catch { /* show what memory holds */ }
    found.set(e.eventId, e);
    return [...found.values()].sort((a, b) => (a.position || 0) - (b.position || 0));
  }

  tree(chain, selected) {
    const ids = new Set(chain.map((x) => x.eventId));
    const children = new Map();
    const roots = [];
    for (const x of chain) {
      const parent = x.metadata?.causationId;
      if (parent && parent !== x.eventId && ids.has(parent)) {
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(x);
      } else {
        roots.push(x);
      }
    }
    const node = (x, depth) => h('li', {},
      h('button', {
        type: 'button',
        class: 'chain-node' + (x.eventId === selected.eventId ? ' current' : ''),
        'data-type': x.eventType,
        onclick: () => this.select(x),
      },
      typeBadge(x.eventType),
      h('span', { class: 'agg' }, `${x.aggregateType}/${x.aggregateId}`),
      h('span', { class: 'time' }, shortTime(x.timestamp))),
      depth < 50 && children.has(x.eventId)
        ? h('ul', {}, children.get(x.eventId).map((c) => node(c, depth + 1))) : null);
    return h('ul', { class: 'tree' }, roots.map((r) => node(r, 0)));
  }
}
