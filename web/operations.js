// The Operations tab: subscriptions (position, lag, processed, retried,
// parked, state) and the dead-letter list with redrive and discard.

import { api, h, fill, notice, unavailable, can, shortTime, toast, ApiError } from './api.js';
import { loadSubscriptions } from './overview.js';

const COLUMNS = ['position', 'lag', 'processed', 'retried', 'parked', 'state'];

export class OperationsPanels {
  constructor(role) {
    this.role = role;
    this.subs = document.querySelector('#panel-subscriptions .body');
    this.dlq = document.querySelector('#panel-dlq .body');
  }

  async refresh() {
    await Promise.all([this.loadSubscriptions(), this.loadDeadLetters()]);
  }

  async loadSubscriptions() {
    let result;
    try {
      result = await loadSubscriptions();
    } catch (e) {
      fill(this.subs, notice(e.message, 'error'));
      return;
    }
    document.getElementById('subscriptions-note').textContent = `from ${result.source}`;
    const rows = [];
    if (result.health) {
      // What /health/services says about the parts that are not consumers.
      for (const [name, c] of Object.entries(result.health.components || {})) {
        if (name !== 'store' && name !== 'transport') continue;
        const detail = Object.entries(c).filter(([k]) => k !== 'status').map(([k, v]) => `${k} ${v}`).join(' · ');
        rows.push(h('tr', { 'data-health': c.status }, h('td', { class: 'mono' }, name),
          h('td', {}, h('span', { class: `pill health-${c.status}` }, c.status)),
          h('td', { colspan: COLUMNS.length, class: 'muted' }, detail)));
      }
    }
    for (const s of result.items) {
      rows.push(h('tr', { 'data-health': s.health, 'data-subscription': s.name },
        h('td', { class: 'mono' }, s.name, s.lastError ? h('div', { class: 'error-text' }, s.lastError) : null),
        h('td', {}, h('span', { class: `pill health-${s.health}` }, s.health)),
        COLUMNS.map((k) => h('td', { class: k === 'state' ? '' : 'num' }, s[k] ?? '–'))));
    }
    if (!rows.length) { fill(this.subs, notice('The server reports no subscriptions.')); return; }
    fill(this.subs,
      h('div', { class: 'scroll-x' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'name'), h('th', {}, 'health'),
          COLUMNS.map((k) => h('th', { class: k === 'state' ? '' : 'num' }, k)))),
        h('tbody', {}, rows))),
      result.items.length ? null : notice('No subscription is reported yet; consumers appear here as the services that run them register.'));
  }

  async loadDeadLetters() {
    let page;
    try {
      page = await api('/api/v1/dlq');
    } catch (e) {
      const missing = e instanceof ApiError && (e.status === 404 || e.status === 405);
      fill(this.dlq, missing ? unavailable('Dead letters') : notice(e.message, 'error'));
      return;
    }
    const items = Array.isArray(page) ? page : page.items || [];
    if (!items.length) { fill(this.dlq, notice('No dead letters.', 'good')); return; }
    const ops = can(this.role, 'operations');
    fill(this.dlq, h('ul', { class: 'dead-letters' }, items.map((d) => h('li', { 'data-dead-letter': d.id },
      h('div', {}, h('span', { class: 'mono strong' }, d.eventType || ''), ' ',
        d.state ? h('span', { class: `pill dl-${d.state}` }, d.state) : null, ' ',
        h('span', { class: 'muted' }, `${d.subscription} · ${d.attempts} attempts · last ${shortTime(d.lastFailedAt)}`)),
      h('pre', { class: 'error-text' }, d.error || ''),
      ops && (!d.state || d.state === 'parked') ? h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'write small', onclick: (ev) => this.deadLetterAction(ev.target, d, 'redrive') }, 'Redrive'),
        h('button', { type: 'button', class: 'write small danger', onclick: (ev) => this.deadLetterAction(ev.target, d, 'discard') }, 'Discard'))
        : null))));
  }

  async deadLetterAction(button, d, what) {
    button.disabled = true;
    const path = `/api/v1/dlq/${encodeURIComponent(d.id)}`;
    try {
      await api(`${path}/${what}`, { method: 'POST', body: {} });
      toast(`${what}: ${d.eventType}`);
    } catch (e) {
      toast(`${what} failed: ${e.message}`);
    }
    this.loadDeadLetters();
  }
}
