// The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) against a real `stockpile serve`. Started by run.sh:
//
//   BASE_URL=http://127.0.0.1:PORT ADMIN_TOKEN=... VIEWER_TOKEN=... \
//   ARTIFACTS=DIR node dashboard.test.mjs
//
// Checks: the page and its assets are served with caching headers; sign-in
// refuses garbage and accepts a token; the live stream connects; an order
// placed through the API appears in the stream, and clicking it shows its
// envelope and its whole chain (when this build serves POST /api/v1/orders;
// otherwise events already in the log are used); a viewer sees no write
// buttons; at phone width nothing overflows sideways; a webhook whose
// receiver fails is retried (run.sh starts serve with a short --retry),
// parked, and delivered by the Redrive button. Screenshots go to
// ARTIFACTS. Any failed check exits non-zero.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BASE = process.env.BASE_URL;
const ADMIN = process.env.ADMIN_TOKEN;
const VIEWER = process.env.VIEWER_TOKEN;
const ARTIFACTS = process.env.ARTIFACTS || tmpdir();
assert.ok(BASE && ADMIN && VIEWER, 'BASE_URL, ADMIN_TOKEN and VIEWER_TOKEN are required');

const TIMEOUT = 30000;  // per wait; generous for a loaded CI machine
let failures = 0;
const log = (...a) => console.log('[dashboard]', ...a);

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    log(`FAIL ${name}: ${e.stack || e}`);
  }
}

async function apiCall(method, url, token, body) {
  const res = await fetch(BASE + url, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

// Every event of the log (small in a test server).
async function allEvents() {
  const out = [];
  let after = 0;
  for (;;) {
    const page = await apiCall('GET', `/api/v1/events?after=${after}&limit=1000`, ADMIN);
    assert.equal(page.status, 200, page.text);
    out.push(...page.json.items);
    if (page.json.next === null) return out;
    after = page.json.next;
  }
}

// A page whose uncaught errors fail the test. Console errors for HTTP
// answers (a panel probing an endpoint this build lacks) are expected.
async function newPage(browser, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      page.errors.push(`console: ${m.text()}`);
    }
  });
  return page;
}

async function signIn(page, token) {
  await page.goto(BASE + '/');
  await page.waitForSelector('#signin:not([hidden])');
  await page.fill('#signin-token', token);
  await page.click('#signin-button');
  await page.waitForSelector('#tabs:not([hidden])');
  await page.waitForSelector('#live-state[data-state="live"]');
}

async function showTab(page, tab) {
  await page.click(`#tabs a[data-tab="${tab}"]`);
  await page.waitForSelector(`#tab-${tab}:not([hidden])`);
}

// Waits until no panel body of the tab still is empty (each panel answers
// with a table, a list or a notice once its request settled).
async function settle(page, tab) {
  await page.waitForFunction((t) => [...document.querySelectorAll(`#tab-${t} .card .body`)]
    .every((b) => b.childElementCount > 0), tab);
}

// Polls `check` (async) every 100 ms until it is truthy; fails after TIMEOUT.
async function waitUntil(check, what) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function noHorizontalOverflow(page, where = '') {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) {
    // Name the widest element that sticks out, for the failure message.
    const culprit = await page.evaluate(() => {
      let worst = null;
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && (!worst || r.width < worst.w)) {
          worst = { w: r.width, what: `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').slice(0, 60)}"` };
        }
      }
      return worst ? worst.what : 'unknown';
    });
    assert.fail(`${where}: the page is ${overflow}px wider than the screen (${culprit})`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // Playwright gives every launch a fresh temporary --user-data-dir.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  await step('index.html and assets: content types, ETag, 304', async () => {
    const res = await fetch(BASE + '/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const etag = res.headers.get('etag');
    assert.ok(etag, 'ETag on /');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const again = await fetch(BASE + '/', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const js = await fetch(BASE + '/assets/app.js');
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    assert.equal((await fetch(BASE + '/assets/..%2Fnope')).status, 404);
  });

  // Is there a write path in this build? POST /orders needs a product with
  // stock: the demo data's, or one made here when the API can make it.
  let products = await apiCall('GET', '/api/v1/products', ADMIN);
  if (products.status === 200 && !products.json.items?.length) {
    const made = await apiCall('POST', '/api/v1/products', ADMIN,
      { id: 'browser-widget', sku: 'BW-1', name: 'Browser widget', price: 4.5, reorderPoint: 3 });
    if (made.status === 201) {
      const receipt = await apiCall('POST', '/api/v1/inventory/receipts', ADMIN,
        { productId: 'browser-widget', quantity: 20 });
      log(`seeded product browser-widget (receipt: HTTP ${receipt.status})`);
    }
    products = await apiCall('GET', '/api/v1/products', ADMIN);
  }
  const product = products.status === 200 ? products.json.items?.[0] : null;
  const probe = await apiCall('POST', '/api/v1/orders', ADMIN, {});
  const canOrder = probe.status !== 404 && product;
  log(canOrder ? `placing orders for ${product.id}`
    : 'this build has no POST /api/v1/orders (or no product): using events already in the log');

  const admin = await newPage(browser, { width: 1280, height: 800 });
  await step('sign-in refuses a non-token and accepts the admin token', async () => {
    await admin.goto(BASE + '/');
    await admin.fill('#signin-token', 'not-a-token');
    await admin.click('#signin-button');
    await admin.waitForSelector('#signin-error:not(:empty)');
    assert.ok(await admin.isHidden('#tabs'));
    await admin.fill('#signin-token', ADMIN);
    await admin.click('#signin-button');
    await admin.waitForSelector('#live-state[data-state="live"]');
    assert.match(await admin.textContent('#who'), /admin/);
  });

  let target = null;  // the event the stream must show
  await step('an event appended through the API appears in the live stream', async () => {
    await showTab(admin, 'events');
    if (canOrder) {
      const placed = await apiCall('POST', '/api/v1/orders', ADMIN,
        { customerId: 'browser-test', items: [{ productId: product.id, quantity: 1 }] });
      assert.equal(placed.status, 201, placed.text);
      // order.created of this order, then the saga's answer.
      const row = admin.locator(`.event-row[data-type="order.created"]`, { hasText: placed.json.id });
      await row.first().waitFor();
      await admin.locator('.event-row[data-type="order.confirmed"], .event-row[data-type="order.rejected"]')
        .filter({ hasText: placed.json.id }).first().waitFor();
      const events = await allEvents();
      target = events.find((e) => e.eventType === 'order.created' && e.aggregateId.includes(placed.json.id));
    } else {
      const events = await allEvents();
      if (!events.length) {
        log('SKIP the stream, chain and filter checks: this build has no write path and the log is empty');
        return;
      }
      target = events[events.length - 1];
      await admin.locator(`.event-row[data-event-id="${target.eventId}"]`).waitFor();
    }
    assert.ok(target || !canOrder, 'the order.created event is in the log');
  });

  if (target) await step('clicking the event shows its envelope and its chain', async () => {
    await admin.click(`.event-row[data-event-id="${target.eventId}"]`);
    await admin.waitForFunction((id) => document.getElementById('envelope').textContent.includes(id),
      target.eventId);
    const envelope = JSON.parse(await admin.textContent('#envelope'));
    assert.equal(envelope.eventType, target.eventType);
    assert.equal(envelope.position, target.position);
    const correlation = target.metadata?.correlationId;
    assert.ok(correlation, 'events carry a correlationId');
    // Wait for the chain to be complete: the log decides how many it has.
    await admin.waitForTimeout(500);
    const chain = (await allEvents()).filter((e) => e.metadata?.correlationId === correlation);
    await admin.click(`.event-row[data-event-id="${target.eventId}"]`);
    // (>=: the saga may still add to the chain after the log was read.)
    await admin.waitForFunction((n) => document.querySelectorAll('#chain .chain-node').length >= n,
      chain.length);
    assert.equal(await admin.locator('#chain .chain-node.current').count(), 1);
    if (chain.length > 1) {
      // Causation drawn as a tree: some node sits below another.
      assert.ok(await admin.locator('#chain .tree ul .chain-node').count() > 0, 'no nesting');
    }
  });

  if (target) await step('the type filter hides what does not match', async () => {
    await admin.fill('#filter-type', 'nothing.matches.this');
    await admin.waitForFunction(() => document.querySelectorAll('.event-row').length === 0);
    await admin.fill('#filter-type', target.eventType);
    await admin.waitForFunction(() => document.querySelectorAll('.event-row').length > 0);
    await admin.fill('#filter-type', '');
  });

  await step('overview: service map and rates are drawn from the stream', async () => {
    await showTab(admin, 'overview');
    const source = target?.metadata?.source;
    if (source) await admin.waitForSelector(`#service-map .node.producer[data-node="${source}"]`);
    if (target) {
      // The chart draws the 8 busiest types of the last 5 minutes.
      const types = new Set((await allEvents())
        .filter((e) => Date.parse(e.timestamp) > Date.now() - 240000).map((e) => e.eventType));
      await admin.waitForFunction(([t, all]) => {
        const legend = document.getElementById('rates-legend');
        return all <= 8 ? legend.textContent.includes(t) : legend.querySelectorAll('.swatch').length === 8;
      }, [target.eventType, types.size]);
    }
    await admin.waitForSelector('#http-stats .stat');
    await admin.screenshot({ path: path.join(ARTIFACTS, 'dashboard-overview-1280.png') });
  });

  let adminWrites = 0;
  await step('business and operations panels load (admin)', async () => {
    await showTab(admin, 'business');
    await settle(admin, 'business');
    adminWrites = await admin.locator('button.write').count();
    if (canOrder) {
      assert.ok(adminWrites > 0, 'an admin sees the order buttons');
      // Place an order from the dashboard's own form.
      await admin.click('button[data-action="new-order"]');
      await admin.fill('#panel-orders form input[name="customer"]', 'from-the-dashboard');
      await admin.click('#panel-orders form button[type="submit"]');
      await admin.waitForSelector('#panel-orders form', { state: 'detached' });
      // Newest first: the order is in the list.
      const row = admin.locator('#panel-orders tr[data-order-id]', { hasText: 'from-the-dashboard' });
      await row.waitFor();
      // Cancel it from its row.
      await row.locator('button', { hasText: 'Cancel' }).click();
      await row.locator('.pill', { hasText: 'cancelled' }).waitFor();
    }
    await admin.screenshot({ path: path.join(ARTIFACTS, 'dashboard-business-1280.png') });
    await showTab(admin, 'operations');
    await settle(admin, 'operations');
    await showTab(admin, 'events');
    if (target) await admin.click(`.event-row[data-event-id="${target.eventId}"]`);
    await admin.screenshot({ path: path.join(ARTIFACTS, 'dashboard-events-1280.png') });
    assert.deepEqual(admin.errors, []);
  });

  // A receiver that answers 503 to the first three POSTs and 200 after,
  // checking each signature. serve retries 3 times (run.sh: --retry), so the
  // delivery is parked; the Redrive button sends the fourth.
  const webhooks = await apiCall('GET', '/api/v1/webhooks', ADMIN);
  if (webhooks.status === 404) log('SKIP the webhook check: this build serves no /api/v1/webhooks');
  else await step('a webhook fails until it is parked, and the operator redrives it from the dashboard', async () => {
    const secret = 'browser-test-secret';
    const received = [];
    const receiver = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const expected = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
        received.push({ valid: req.headers['x-stockpile-signature'] === expected, body: body.toString() });
        res.writeHead(received.length <= 3 ? 503 : 200).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${receiver.address().port}/hook`;
      const made = await apiCall('POST', '/api/v1/webhooks', ADMIN,
        { url, events: ['catalog.product.created'], secret });
      assert.equal(made.status, 201, made.text);
      // The webhook list is a read model: wait until it holds the webhook.
      await waitUntil(async () => (await apiCall('GET', '/api/v1/webhooks', ADMIN)).json.items
        .some((w) => w.id === made.json.id), 'the webhook is listed');
      const product = `hooked-${Date.now()}`;
      const created = await apiCall('POST', '/api/v1/products', ADMIN,
        { id: product, sku: product, name: 'Webhook probe', price: 1 });
      assert.equal(created.status, 201, created.text);
      let parked = null;
      await waitUntil(async () => {
        const dlq = await apiCall('GET', '/api/v1/dlq', ADMIN);
        parked = (dlq.json?.items || []).find((d) => d.subscription === 'notifications.webhooks'
          && d.state === 'parked' && d.attempts === 3);
        return parked;
      }, 'the delivery is parked after 3 attempts');
      assert.equal(received.length, 3);
      assert.ok(received.every((r) => r.valid), 'every POST is signed with the secret');
      await showTab(admin, 'operations');
      const row = admin.locator(`#panel-dlq li[data-dead-letter="${parked.id}"]`);
      await row.waitFor();
      assert.match(await row.textContent(), /HTTP 503/);
      await admin.screenshot({ path: path.join(ARTIFACTS, 'dashboard-dead-letter-1280.png') });
      await row.locator('button', { hasText: 'Redrive' }).click();
      await waitUntil(async () => received.length === 4, 'the redrive POSTs once more');
      assert.ok(received[3].valid);
      assert.equal(JSON.parse(received[3].body).data.productId, product);
      await waitUntil(async () => (await allEvents()).some((e) => e.eventType === 'notification.sent'
        && e.payload.channel === 'webhook' && e.payload.recipient === url), 'notification.sent is recorded');
      // The operations tab refreshes every 10 s: the dead letter goes away.
      await row.waitFor({ state: 'detached' });
      assert.equal(received.length, 4, 'delivered once, not again');
      await apiCall('DELETE', `/api/v1/webhooks/${made.json.id}`, ADMIN);
      assert.deepEqual(admin.errors, []);
    } finally {
      receiver.close();
    }
  });

  await step('a viewer sees no write buttons', async () => {
    const viewer = await newPage(browser, { width: 1280, height: 800 });
    await signIn(viewer, VIEWER);
    assert.match(await viewer.textContent('#who'), /viewer/);
    for (const tab of ['business', 'operations']) {
      await showTab(viewer, tab);
      await settle(viewer, tab);
      assert.equal(await viewer.locator('button.write').count(), 0, `write buttons on ${tab}`);
    }
    if (canOrder) {
      // The same panel that gave the admin buttons is there, without them.
      await showTab(viewer, 'business');
      await viewer.waitForSelector('#panel-orders table');
      assert.equal(await viewer.locator('#panel-orders button').count(), 0);
    }
    assert.deepEqual(viewer.errors, []);
    await viewer.context().close();
  });

  await step('phone width: no horizontal overflow on any tab', async () => {
    const phone = await newPage(browser, { width: 390, height: 844 });
    await signIn(phone, ADMIN);
    for (const tab of ['overview', 'events', 'business', 'operations']) {
      await showTab(phone, tab);
      if (tab === 'business' || tab === 'operations') await settle(phone, tab);
      await phone.waitForTimeout(300);
      await noHorizontalOverflow(phone, tab);
    }
    await showTab(phone, 'events');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'dashboard-events-phone.png'), fullPage: true });
    assert.deepEqual(phone.errors, []);
    await phone.context().close();
  });
} finally {
  await browser.close();
}

log(failures ? `${failures} check(s) failed` : 'all checks passed');
log(`screenshots in ${ARTIFACTS}`);
process.exit(failures ? 1 : 0);
