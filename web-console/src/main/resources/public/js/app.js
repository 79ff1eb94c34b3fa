// The Orbis console: sign-in, the shell (navigation, live status, role) and a hash router over the views.
import { api, get, setCsrfToken, whenSignedOut, ApiError } from './api.js';
import * as live from './live.js';
import { h, describeError } from './ui.js';
import { overview } from './overview.js';
import { deviceList } from './devices.js';
import { deviceDetail } from './device.js';
import { provision } from './provision.js';
import { users } from './users.js';
import { world } from './world.js';
import { firmware } from './firmware.js';
import { campaignPage } from './campaign.js';

const ROLES = ['viewer', 'operator', 'admin'];
export const session = { user: null };
export const can = (role) => session.user !== null && ROLES.indexOf(session.user.role) >= ROLES.indexOf(role);

const main = document.getElementById('main');
let cleanup = null;

function signedIn(user) {
  session.user = user;
  setCsrfToken(user.csrfToken);
  document.getElementById('nav').hidden = false;
  document.getElementById('who').textContent = user.username + ' · ' + user.role;
  document.getElementById('sign-out').hidden = user.via !== 'session';
  document.querySelectorAll('[data-role]').forEach((element) => { element.hidden = !can(element.dataset.role); });
  const banner = document.getElementById('role-banner');
  banner.hidden = user.role !== 'viewer';
  banner.textContent = 'Read-only: you are signed in as a viewer. Device operations, commands and provisioning need the operator role.';
  live.start();
  route();
}

function signInPage(message) {
  session.user = null;
  live.stop();
  if (cleanup) { cleanup(); cleanup = null; }
  document.getElementById('nav').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('sign-out').hidden = true;
  document.getElementById('role-banner').hidden = true;
  const error = h('p', { id: 'sign-in-error', class: 'error-state', role: 'alert', hidden: !message }, message || '');
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'stack card', id: 'sign-in', onsubmit: async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const user = await api('POST', '/api/session', { username: username.value, password: password.value });
      password.value = '';
      signedIn(user);
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.problem.detail || e.message : String(e);
      error.hidden = false;
      password.focus();
    }
  } },
  h('h2', {}, 'Sign in'),
  h('label', {}, 'User name', username),
  h('label', {}, 'Password', password),
  h('button', { class: 'primary', type: 'submit', id: 'sign-in-button' }, 'Sign in'),
  h('p', { class: 'muted' }, 'No account yet? An admin creates users; the first admin comes from ',
    h('code', {}, 'java -jar orbis.jar admin create --user NAME'), '.'));
  main.replaceChildren(error, form);
  username.focus();
}

const routes = [
  [/^#?\/?$/, () => overview],
  [/^#\/devices\/?$/, () => deviceList],
  [/^#\/devices\/(.+)$/, (m) => (root) => deviceDetail(root, decodeURIComponent(m[1]))],
  [/^#\/provision$/, () => provision],
  [/^#\/users$/, () => users],
  [/^#\/world$/, () => world],
  [/^#\/firmware\/?$/, () => firmware],
  [/^#\/firmware\/campaigns\/(\d+)$/, (m) => (root) => campaignPage(root, Number(m[1]))],
];

function route() {
  if (!session.user) return;
  if (cleanup) { cleanup(); cleanup = null; }
  const hash = location.hash.split('?')[0];
  let view = null;
  for (const [pattern, make] of routes) {
    const match = hash.match(pattern);
    if (match) { view = make(match); break; }
  }
  const section = hash.replace(/^#\/?/, '').split('/')[0] || 'overview';
  document.querySelectorAll('#nav a').forEach((link) => {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  });
  main.replaceChildren();
  if (!view) {
    main.append(h('div', { class: 'error-state', role: 'alert' }, 'There is no page at ' + location.hash + '. ',
      h('a', { href: '#/' }, 'Back to the overview')));
    return;
  }
  try {
    cleanup = view(main) || null;
  } catch (e) {
    main.append(h('div', { class: 'error-state', role: 'alert' }, 'This page failed: ' + describeError(e)));
  }
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
document.addEventListener('keydown', (event) => {
  if (event.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement.tagName)) {
    const search = document.getElementById('device-search');
    if (search) { event.preventDefault(); search.focus(); }
  }
});
document.getElementById('sign-out').addEventListener('click', async () => {
  try { await api('DELETE', '/api/session'); } catch (e) { /* signed out either way */ }
  location.hash = '#/';
  signInPage('You are signed out.');
});
whenSignedOut((problem) => { if (session.user) signInPage(problem.detail || 'Your session has ended; sign in again.'); });

(async function boot() {
  try {
    const info = await get('/api/console');
    document.getElementById('demo-banner').hidden = !info.demo;
    if (info.session) signedIn(info.session); else signInPage();
  } catch (e) {
    main.replaceChildren(h('div', { class: 'error-state', role: 'alert' }, 'The platform cannot be reached: ' + describeError(e)));
  }
})();
