// Fleet overview: devices by state, registrations and notifications per minute, recent errors; live.
import { get } from './api.js';
import * as live from './live.js';
import { h, ago, errorState } from './ui.js';
import { lineChart } from './chart.js';

const STATES = ['online', 'sleeping', 'offline', 'never'];

export function overview(root) {
  const counts = {};
  const cards = STATES.map((state) => {
    counts[state] = h('div', { class: 'count', id: 'count-' + state }, '…');
    return h('a', { class: 'card', href: '#/devices?state=' + state, style: 'text-decoration:none;color:inherit' },
      h('div', { class: 'muted' }, state === 'never' ? 'never seen' : state), counts[state]);
  });
  const total = h('span', { class: 'muted', id: 'count-total' });
  const registrationsBox = h('div', { class: 'chart', id: 'chart-registrations' });
  const notificationsBox = h('div', { class: 'chart', id: 'chart-notifications' });
  const errors = h('div', { id: 'recent-errors' });
  root.append(h('h2', {}, 'Fleet overview ', total), h('div', { class: 'grid' }, cards),
    h('div', { class: 'grid wide', style: 'margin-top:1rem' },
      h('section', { class: 'card' }, h('h3', {}, 'Registrations per minute'), registrationsBox),
      h('section', { class: 'card' }, h('h3', {}, 'Notifications per minute'), notificationsBox)),
    h('section', {}, h('h3', {}, 'Recent errors'), errors));
  const registrations = lineChart(registrationsBox, 'registrations', '#1f7a45');
  const notifications = lineChart(notificationsBox, 'notifications', '#2459a6');

  let timer = null;
  async function refresh() {
    try {
      const data = await get('/api/overview');
      for (const state of STATES) counts[state].textContent = (data.states[state] || 0).toLocaleString();
      total.textContent = data.total.toLocaleString() + ' devices';
      const xs = data.perMinute.map((m) => new Date(m.minute).getTime() / 1000);
      registrations.set(xs, data.perMinute.map((m) => m.registrations));
      notifications.set(xs, data.perMinute.map((m) => m.notifications));
      errors.replaceChildren(data.recentErrors.length === 0
        ? h('div', { class: 'empty', role: 'status' }, 'No errors lately.')
        : h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Device'), h('th', {}, 'What'), h('th', {}, 'Detail'))),
          h('tbody', {}, data.recentErrors.map((e) => h('tr', {}, h('td', {}, ago(e.at)),
            h('td', {}, h('a', { href: '#/devices/' + encodeURIComponent(e.endpoint) }, e.endpoint)),
            h('td', {}, e.what), h('td', {}, e.detail)))))));
    } catch (e) {
      errors.replaceChildren(errorState(e));
    }
  }
  const schedule = () => { if (!timer) timer = setTimeout(() => { timer = null; refresh(); }, 1000); };
  const unsubscribe = live.onChange((kind) => { if (kind === 'device' || kind === 'command') schedule(); });
  const poll = setInterval(refresh, 5000);
  refresh();
  return () => { unsubscribe(); clearInterval(poll); clearTimeout(timer); registrations.destroy(); notifications.destroy(); };
}
