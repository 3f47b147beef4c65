// The dashboard's entry point: sign-in with a pasted token, tabs, and the
// timers that keep each panel fresh. Everything else lives in one module
// per tab (overview.js, stream.js, business.js, operations.js) on top of
// api.js and live.js.

import { api, loadToken, saveToken, clearToken, decodeJwt, setUnauthorizedHandler, ApiError } from './api.js';
import { LiveEvents } from './live.js';
import { StreamPanel } from './stream.js';
import { ServiceMap, RatesPanel, HttpPanel } from './overview.js';
import { BusinessPanels } from './business.js';
import { OperationsPanels } from './operations.js';

const TABS = ['overview', 'events', 'business', 'operations'];
const SIGNIN_MESSAGE = 'stockpile.signin-message';
const $ = (id) => document.getElementById(id);

function showSignIn(message = '') {
  $('signin').hidden = false;
  $('tabs').hidden = true;
  $('session').hidden = true;
  for (const t of TABS) $(`tab-${t}`).hidden = true;
  $('signin-error').textContent = message;
  $('signin-token').focus();
}

// Claims when `token` looks usable, else a reason.
function check(token) {
  const claims = decodeJwt(token);
  if (!claims) return { error: 'That is not a token (expected header.payload.signature).' };
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
    return { error: 'That token has expired; mint a new one.' };
  }
  return { claims };
}

async function signIn(event) {
  event.preventDefault();
  const token = $('signin-token').value.trim();
  const { claims, error } = check(token);
  if (error) { $('signin-error').textContent = error; return; }
  saveToken(token);
  try {
    await api('/api/v1/events?limit=1');
  } catch (e) {
    clearToken();
    $('signin-error').textContent = e instanceof ApiError && e.status === 401
      ? `The server refused the token: ${e.message}` : `Could not reach the server: ${e.message}`;
    return;
  }
  $('signin-token').value = '';
  start(claims);
}

function currentTab() {
  const tab = location.hash.slice(1);
  return TABS.includes(tab) ? tab : 'overview';
}

function start(claims) {
  const role = claims.role || 'viewer';
  document.body.dataset.role = role;
  $('signin').hidden = true;
  $('tabs').hidden = false;
  $('session').hidden = false;
  $('who').textContent = `${claims.sub || 'someone'} · ${claims.tenant || '?'} · ${role}`;
  $('who').title = 'subject · tenant · role (from the token)';

  const live = new LiveEvents();
  const stream = new StreamPanel(live);
  const map = new ServiceMap(live);
  const rates = new RatesPanel(live);
  const http = new HttpPanel();
  const business = new BusinessPanels(live, role);
  const ops = new OperationsPanels(role);

  live.onState((state, detail) => {
    const el = $('live-state');
    el.textContent = state;
    el.dataset.state = state;
    el.title = detail || 'Live event stream';
    if (state === 'denied') signOut(`The event stream was refused: ${detail}`);
  });
  setUnauthorizedHandler((detail) => signOut(`Signed out: ${detail || 'the token is no longer accepted'}.`));

  const show = () => {
    const tab = currentTab();
    for (const t of TABS) $(`tab-${t}`).hidden = t !== tab;
    for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.tab === tab);
    if (tab === 'overview') { map.refreshConsumers().then(() => map.render()); rates.render(); }
    if (tab === 'events') stream.render();
    if (tab === 'business') business.refreshAll();
    if (tab === 'operations') ops.refresh();
  };
  window.addEventListener('hashchange', show);
  show();

  live.start();
  http.poll();
  setInterval(() => { if (currentTab() === 'overview') rates.render(); }, 1000);
  setInterval(() => { if (currentTab() === 'overview') map.render(); }, 2000);
  setInterval(() => http.poll(), 5000);
  setInterval(() => {
    if (currentTab() === 'overview') map.refreshConsumers();
    if (currentTab() === 'operations') ops.refresh();
  }, 10000);
  setInterval(() => { if (currentTab() === 'business') business.refreshAll(); }, 30000);
  window.addEventListener('resize', () => rates.render());
}

// Forgets the token and starts over from a fresh page (no timers or
// streams of the old session survive), showing `message` at the sign-in.
function signOut(message = '') {
  clearToken();
  if (message) sessionStorage.setItem(SIGNIN_MESSAGE, message);
  location.hash = '';
  location.reload();
}

function main() {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', () => signOut());
  const message = sessionStorage.getItem(SIGNIN_MESSAGE) || '';
  sessionStorage.removeItem(SIGNIN_MESSAGE);
  const token = loadToken();
  if (!token) { showSignIn(message); return; }
  const { claims, error } = check(token);
  if (error) { clearToken(); showSignIn(error); return; }
  start(claims);
}

main();
