// The Business tab: low stock, recent orders, inventory per product and
// location, purchase orders awaiting approval. Each panel reads its
// DESIGN.md §7 resource; a resource this build lacks (404) shows "not
// available in this build". Write buttons exist only for roles that may
// press them.

import { api, h, fill, notice, unavailable, can, shortTime, toast, ApiError } from './api.js';

function panelBody(id) { return document.querySelector(`#${id} .body`); }

function missing(e) { return e instanceof ApiError && (e.status === 404 || e.status === 405); }

function statusPill(status) {
  return h('span', { class: `pill status-${status}` }, status);
}

function money(amount, currency) {
  if (amount === undefined || amount === null) return '';
  const n = Number(amount);
  return `${Number.isFinite(n) ? n.toFixed(2) : amount}${currency ? ' ' + currency : ''}`;
}

async function act(button, path, done) {
  button.disabled = true;
  try {
    await api(path, { method: 'POST', body: {} });
    toast(`${button.textContent}: done`);
    done();
  } catch (e) {
    toast(`${button.textContent} failed: ${e.message}`);
    button.disabled = false;
  }
}

export class BusinessPanels {
  constructor(live, role) {
    this.live = live;
    this.role = role;
    this.products = null;      // null until loaded; [] when none
    this.inventory = new Map(); // productId -> inventory (or Error)
    this.lowStock = new Map();  // `${productId}@${locationId}` -> event
    this.lowStockLoaded = false;
    this.search = document.getElementById('inventory-search');
    this.search.addEventListener('input', () => this.renderInventory());
    this.timers = new Map();
    live.onEvent((e) => this.onEvent(e));
  }

  refreshAll() {
    this.loadOrders();
    this.loadInventory();
    this.loadLowStock();
    this.loadPurchaseOrders();
  }

  // Coalesces refreshes caused by bursts of events.
  soon(name, fn, ms = 400) {
    clearTimeout(this.timers.get(name));
    this.timers.set(name, setTimeout(fn, ms));
  }

  onEvent(e) {
    const type = e.eventType || '';
    if (type.startsWith('order.')) this.soon('orders', () => this.loadOrders());
    if (type.startsWith('inventory.')) {
      const id = e.payload?.productId;
      if (id) this.inventory.delete(id);
      this.soon('inventory', () => this.renderInventory());
    }
    if (type.startsWith('catalog.product.')) this.soon('products', () => this.loadInventory());
    if (type.startsWith('purchasing.')) this.soon('pos', () => this.loadPurchaseOrders());
    if (this.alertsEndpoint && type.startsWith('notification.alert.')) this.soon('alerts', () => this.loadLowStock());
    if (!this.alertsEndpoint && (type === 'inventory.stock.low' || type === 'inventory.stock.restored')) {
      this.applyLowStock(e);
      this.renderLowStock();
    }
  }

  // ------------------------------------------------------------ orders

  async loadOrders() {
    const body = panelBody('panel-orders');
    const actions = document.querySelector('#panel-orders .actions');
    let page;
    try {
      page = await api('/api/v1/orders?limit=15');
    } catch (e) {
      fill(actions);
      fill(body, missing(e) ? unavailable('Orders') : notice(e.message, 'error'));
      return;
    }
    fill(actions, can(this.role, 'clerk_write')
      ? h('button', { type: 'button', class: 'write', 'data-action': 'new-order', onclick: () => this.orderForm() }, 'New order')
      : null);
    const orders = page.items || [];
    if (!orders.length) {
      fill(body, notice('No orders yet.'));
      return;
    }
    const writes = can(this.role, 'clerk_write');
    fill(body, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'order'), h('th', {}, 'status'), h('th', { class: 'hide-narrow' }, 'customer'),
        h('th', { class: 'num' }, 'total'), writes ? h('th', {}, '') : null)),
      h('tbody', {}, orders.map((o) => h('tr', { 'data-order-id': o.id },
        h('td', { class: 'mono' }, o.orderNumber || o.id),
        h('td', {}, statusPill(o.status)),
        h('td', { class: 'hide-narrow' }, o.customerId || ''),
        h('td', { class: 'num' }, money(o.totalAmount, o.currency)),
        writes ? h('td', {}, h('div', { class: 'row-actions' },
          ['pending', 'confirmed', 'paid'].includes(o.status)
            ? h('button', { type: 'button', class: 'write small', onclick: (ev) => act(ev.target, `/api/v1/orders/${encodeURIComponent(o.id)}/cancel`, () => this.loadOrders()) }, 'Cancel') : null,
          // The status graph (domain/orders/order_state.cc): only a paid
          // order ships, only a shipped one is delivered.
          o.status === 'paid'
            ? h('button', { type: 'button', class: 'write small', onclick: (ev) => act(ev.target, `/api/v1/orders/${encodeURIComponent(o.id)}/ship`, () => this.loadOrders()) }, 'Ship') : null,
          o.status === 'shipped'
            ? h('button', { type: 'button', class: 'write small', onclick: (ev) => act(ev.target, `/api/v1/orders/${encodeURIComponent(o.id)}/deliver`, () => this.loadOrders()) }, 'Deliver') : null))
          : null)))));
  }

  orderForm() {
    const body = panelBody('panel-orders');
    if (body.querySelector('form')) return;
    const products = this.products || [];
    const product = h('select', { name: 'product', required: true },
      products.map((p) => h('option', { value: p.id }, `${p.name || p.id} (${p.sku || p.id})`)));
    const qty = h('input', { name: 'quantity', type: 'number', min: 1, value: 1, required: true });
    const customer = h('input', { name: 'customer', value: 'walk-in', required: true });
    const error = h('p', { class: 'error' });
    const form = h('form', { class: 'inline-form' },
      h('label', {}, 'Product', product), h('label', {}, 'Qty', qty), h('label', {}, 'Customer', customer),
      h('button', { type: 'submit', class: 'write primary' }, 'Place'),
      h('button', { type: 'button', onclick: () => form.remove() }, 'Close'), error);
    // One key per form: pressing Place twice (or a retry after a lost
    // answer) places one order (DESIGN.md §7, Idempotency-Key).
    // (crypto.randomUUID exists only on secure origins: not on http://host.)
    const newKey = () => (crypto.randomUUID ? crypto.randomUUID()
      : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
    let key = newKey();
    const place = form.querySelector('button[type=submit]');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      place.disabled = true;
      try {
        // Prices and the total come from the catalog on the server.
        const order = await api('/api/v1/orders', {
          method: 'POST',
          headers: { 'Idempotency-Key': key },
          body: {
            customerId: customer.value,
            items: [{ productId: product.value, quantity: Number(qty.value) }],
          },
        });
        toast(`Order ${order.orderNumber || order.id} placed (${order.status})`);
        form.remove();
        this.loadOrders();
      } catch (e) {
        error.textContent = e.message;
        key = newKey();  // a corrected form is a new request
        place.disabled = false;
      }
    });
    body.prepend(form);
  }

  // ------------------------------------------------------------ inventory

  async loadInventory() {
    try {
      const page = await api('/api/v1/products?limit=200');
      this.products = page.items || [];
    } catch (e) {
      this.products = e;
    }
    this.renderInventory();
  }

  async renderInventory() {
    const body = panelBody('panel-inventory');
    if (this.products === null) return;
    if (this.products instanceof Error) {
      fill(body, missing(this.products) ? unavailable('Products') : notice(this.products.message, 'error'));
      return;
    }
    const q = this.search.value.trim().toLowerCase();
    const shown = this.products
      .filter((p) => !q || [p.id, p.sku, p.name].some((v) => String(v || '').toLowerCase().includes(q)))
      .slice(0, 12);
    if (!shown.length) {
      fill(body, notice(this.products.length ? 'No product matches.' : 'No products yet.'));
      return;
    }
    await Promise.all(shown.filter((p) => !this.inventory.has(p.id)).map(async (p) => {
      try {
        this.inventory.set(p.id, await api(`/api/v1/products/${encodeURIComponent(p.id)}/inventory`));
      } catch (e) {
        this.inventory.set(p.id, e);
      }
    }));
    fill(body, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'product'), h('th', { class: 'num' }, 'on hand'),
        h('th', { class: 'num' }, 'reserved'), h('th', { class: 'num' }, 'available'),
        h('th', { class: 'num hide-narrow' }, 'reorder at'))),
      h('tbody', {}, shown.map((p) => {
        const inv = this.inventory.get(p.id);
        const ok = inv && !(inv instanceof Error);
        const low = ok && p.reorderPoint !== undefined && inv.available <= p.reorderPoint;
        const locations = ok ? (inv.locations || []).map((l) => `${l.locationId} ${l.available}/${l.onHand}`).join(' · ') : '';
        return h('tr', { class: low ? 'low' : '', 'data-product-id': p.id },
          h('td', {}, h('div', {}, p.name || p.id), h('div', { class: 'muted small mono' }, `${p.sku || p.id}${locations ? ' · ' + locations : ''}`)),
          ok ? [h('td', { class: 'num' }, inv.onHand), h('td', { class: 'num' }, inv.reserved),
            h('td', { class: 'num strong' }, inv.available)]
            : h('td', { class: 'muted', colspan: 3 }, inv instanceof Error && missing(inv) ? 'not available in this build' : '–'),
          h('td', { class: 'num hide-narrow' }, p.reorderPoint ?? ''));
      }))));
  }

  // ------------------------------------------------------------ low stock

  applyLowStock(e) {
    const p = e.payload || {};
    const key = `${p.productId}@${p.locationId || 'main'}`;
    const known = this.lowStock.get(key);
    if (known && (known.position || 0) > (e.position || 0)) return;
    if (e.eventType === 'inventory.stock.low') this.lowStock.set(key, e);
    else this.lowStock.delete(key);
  }

  async loadLowStock() {
    try {
      const page = await api('/api/v1/alerts?resolved=false');
      this.alertsEndpoint = true;
      this.renderAlerts(page.items || []);
      return;
    } catch (e) {
      if (!missing(e)) {
        fill(panelBody('panel-low-stock'), notice(e.message, 'error'));
        return;
      }
    }
    this.alertsEndpoint = false;
    document.getElementById('low-stock-note').textContent = 'from inventory.stock.low events';
    try {
      for (const type of ['inventory.stock.low', 'inventory.stock.restored']) {
        let after = 0;
        for (let i = 0; i < 5 && after !== null; i++) {
          const page = await api(`/api/v1/events?type=${encodeURIComponent(type)}&limit=1000&after=${after}`);
          for (const e of page.items || []) this.applyLowStock(e);
          after = page.next;
        }
      }
    } catch (e) {
      fill(panelBody('panel-low-stock'), notice(e.message, 'error'));
      return;
    }
    this.lowStockLoaded = true;
    this.renderLowStock();
  }

  renderAlerts(alerts) {
    const body = panelBody('panel-low-stock');
    document.getElementById('low-stock-note').textContent = 'alerts';
    if (!alerts.length) { fill(body, notice('No open alerts.', 'good')); return; }
    fill(body, h('ul', { class: 'alerts' }, alerts.map((a) => h('li', { class: `alert sev-${a.severity}`, 'data-alert-id': a.id, 'data-product-id': a.productId || '' },
      h('span', { class: 'pill' }, a.severity || 'alert'),
      h('span', { class: 'mono' }, a.productId ? `${a.productId}@${a.locationId || 'main'}` : (a.subjectId || a.alertType)),
      h('span', {}, a.message || a.alertType || ''),
      h('span', { class: 'muted small' }, shortTime(a.createdAt))))));
  }

  renderLowStock() {
    if (!this.lowStockLoaded && !this.lowStock.size) return;
    const body = panelBody('panel-low-stock');
    const items = [...this.lowStock.entries()];
    if (!items.length) { fill(body, notice('Nothing is below its reorder point.', 'good')); return; }
    fill(body, h('ul', { class: 'alerts' }, items.map(([key, e]) => {
      const p = e.payload || {};
      const level = p.available ?? p.onHand;
      return h('li', { class: 'alert sev-warning', 'data-product-id': p.productId },
        h('span', { class: 'pill' }, 'low'),
        h('span', { class: 'mono' }, key),
        h('span', {}, level !== undefined ? `${level} left${p.reorderPoint !== undefined ? `, reorder at ${p.reorderPoint}` : ''}` : ''),
        h('span', { class: 'muted small' }, shortTime(e.timestamp)));
    })));
  }

  // ------------------------------------------------------------ purchase orders

  async loadPurchaseOrders() {
    const body = panelBody('panel-purchase-orders');
    let page;
    try {
      page = await api('/api/v1/purchase-orders');
    } catch (e) {
      fill(body, missing(e) ? unavailable('Purchase orders') : notice(e.message, 'error'));
      return;
    }
    const pending = (page.items || []).filter((po) => po.status === 'pending');
    if (!pending.length) { fill(body, notice('Nothing awaits approval.', 'good')); return; }
    const approve = can(this.role, 'approve');
    fill(body, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'PO'), h('th', {}, 'supplier'), h('th', { class: 'num' }, 'total'), approve ? h('th', {}, '') : null)),
      h('tbody', {}, pending.map((po) => h('tr', {},
        h('td', { class: 'mono' }, po.poNumber || po.id),
        h('td', {}, po.supplierId || ''),
        h('td', { class: 'num' }, money(po.totalAmount, po.currency)),
        approve ? h('td', {}, h('button', { type: 'button', class: 'write small', onclick: (ev) => act(ev.target, `/api/v1/purchase-orders/${encodeURIComponent(po.id)}/approve`, () => this.loadPurchaseOrders()) }, 'Approve')) : null)))));
  }
}
