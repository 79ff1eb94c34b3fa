// Device list: server-side search, filters, sorting and paging; live state; bulk actions on a selection.
import { get, post } from './api.js';
import * as live from './live.js';
import { h, ago, stateBadge, emptyState, errorState, showResult, describeError } from './ui.js';
import { can } from './app.js';

const PAGE = 50;

export function deviceList(root) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const query = { search: params.get('search') || '', state: params.get('state') || '', sort: 'endpoint', offset: 0 };
  const selected = new Set();
  const rows = new Map();

  const search = h('input', { type: 'search', id: 'device-search', value: query.search, 'aria-label': 'Search devices',
    placeholder: 'Search: part of an endpoint, or state:online manufacturer:acme model:… firmware:… binding:U (press /)' });
  const state = h('select', { id: 'device-state', 'aria-label': 'State' },
    ['', 'online', 'sleeping', 'offline', 'never'].map((s) => h('option', { value: s, selected: s === query.state }, s || 'any state')));
  const summary = h('span', { id: 'device-summary', class: 'muted', role: 'status', 'aria-live': 'polite' });
  const body = h('tbody', { id: 'device-rows' });
  const content = h('div', {});
  const prev = h('button', { type: 'button', id: 'page-prev', onclick: () => { query.offset = Math.max(0, query.offset - PAGE); load(); } }, '← Previous');
  const next = h('button', { type: 'button', id: 'page-next', onclick: () => { query.offset += PAGE; load(); } }, 'Next →');
  const all = h('input', { type: 'checkbox', id: 'select-page', 'aria-label': 'Select all on this page', onchange: () => {
    for (const [endpoint, row] of rows) { row.box.checked = all.checked; toggle(endpoint, all.checked); }
  } });
  const sortHeader = (label, key) => h('th', { scope: 'col', 'aria-sort': query.sort.replace('-', '') === key ? (query.sort.startsWith('-') ? 'descending' : 'ascending') : 'none' },
    h('button', { class: 'sort', type: 'button', onclick: () => { query.sort = query.sort === key ? '-' + key : key; query.offset = 0; load(); } }, label));
  const head = h('thead', {});
  const bulk = bulkBar(selected);
  root.append(h('h2', {}, 'Devices'), h('div', { class: 'toolbar', role: 'search' }, search, state, summary), bulk.element, content);

  function toggle(endpoint, on) { if (on) selected.add(endpoint); else selected.delete(endpoint); bulk.update(); }

  let sequence = 0;
  async function load() {
    const mine = ++sequence;
    const qs = new URLSearchParams({ offset: query.offset, limit: PAGE, sort: query.sort });
    if (query.search.trim()) qs.set('search', query.search.trim());
    if (query.state) qs.set('state', query.state);
    summary.textContent = 'Searching…';
    let page;
    try {
      page = await get('/api/devices?' + qs);
    } catch (e) {
      if (mine === sequence) { content.replaceChildren(errorState(e)); summary.textContent = ''; }
      return;
    }
    if (mine !== sequence) return;
    rows.clear();
    head.replaceChildren(h('tr', {}, h('th', { scope: 'col' }, all), sortHeader('Endpoint', 'endpoint'), sortHeader('State', 'state'),
      sortHeader('Last seen', 'lastSeen'), h('th', { scope: 'col' }, 'LwM2M'), h('th', { scope: 'col' }, 'Binding'), sortHeader('Added', 'createdAt')));
    body.replaceChildren(...page.devices.map((device) => {
      const box = h('input', { type: 'checkbox', 'aria-label': 'Select ' + device.endpoint, checked: selected.has(device.endpoint),
        onchange: () => toggle(device.endpoint, box.checked) });
      const stateCell = h('td', {}, stateBadge(device.state));
      const seenCell = h('td', {}, ago(device.lastSeen));
      const row = h('tr', { dataset: { endpoint: device.endpoint } }, h('td', {}, box),
        h('td', {}, h('a', { href: '#/devices/' + encodeURIComponent(device.endpoint), class: 'device-link' }, device.endpoint)),
        stateCell, seenCell, h('td', {}, device.registration ? device.registration.lwm2mVersion : '—'),
        h('td', {}, device.registration ? device.registration.binding + (device.registration.queueMode ? ' (queue)' : '') : '—'),
        h('td', {}, new Date(device.createdAt).toLocaleDateString()));
      rows.set(device.endpoint, { row, box, stateCell, seenCell });
      return row;
    }));
    all.checked = false;
    const last = Math.min(page.offset + page.devices.length, page.total);
    summary.textContent = page.total === 0 ? 'No devices match.' : (page.offset + 1).toLocaleString() + '–' + last.toLocaleString()
      + ' of ' + page.total.toLocaleString();
    prev.disabled = page.offset === 0;
    next.disabled = last >= page.total;
    if (page.total === 0) {
      content.replaceChildren(emptyState(query.search || query.state ? 'No device matches this search.'
        : 'No devices yet. Provision one on the Provision page, or start the platform with --demo 25.'));
    } else if (!content.contains(body)) {
      content.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { id: 'device-table' }, head, body)), h('div', { class: 'pager' }, prev, next));
    }
  }

  let debounce = null;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { query.search = search.value; query.offset = 0; load(); }, 200);
  });
  state.addEventListener('change', () => { query.state = state.value; query.offset = 0; load(); });
  const unsubscribe = live.onChange((kind, event) => {
    const row = rows.get(event.endpoint);
    if (!row) return;
    if (kind === 'device') row.stateCell.replaceChildren(stateBadge(event.state));
    if (kind === 'device' || kind === 'value') row.seenCell.textContent = 'just now';
  });
  load();
  return () => { unsubscribe(); clearTimeout(debounce); };
}

function bulkBar(selected) {
  const count = h('strong', { id: 'bulk-count' });
  const action = h('select', { id: 'bulk-action', 'aria-label': 'Bulk action' },
    h('option', { value: 'desired' }, 'Set desired value'), h('option', { value: 'write' }, 'Queue write'),
    h('option', { value: 'execute' }, 'Queue execute'), h('option', { value: 'read' }, 'Queue read'));
  const path = h('input', { id: 'bulk-path', placeholder: '/3311/0/5850', 'aria-label': 'Path', size: 14 });
  const value = h('input', { id: 'bulk-value', placeholder: 'value (true, 40, text)', 'aria-label': 'Value', size: 14 });
  const result = h('div', { class: 'result', id: 'bulk-result', hidden: true, role: 'status' });
  const run = h('button', { type: 'button', class: 'primary', id: 'bulk-run', onclick: async () => {
    const text = value.value.trim();
    const parsed = text === 'true' ? true : text === 'false' ? false : text !== '' && !isNaN(Number(text)) ? Number(text) : text;
    const body = { endpoints: [...selected], path: path.value.trim(), action: action.value === 'desired' ? 'desired' : 'command' };
    if (action.value !== 'desired') body.kind = action.value;
    if (action.value === 'desired' || action.value === 'write') body.value = parsed;
    if (action.value === 'execute' && text) body.arguments = text;
    showResult(result, 'pending', 'Sending to ' + selected.size + ' devices…');
    try {
      const answer = await post('/api/devices/bulk', body);
      const failures = answer.results.filter((r) => !r.ok).map((r) => r.endpoint + ': ' + r.detail);
      showResult(result, answer.failed ? 'error' : 'ok', answer.succeeded + ' of ' + answer.requested + ' accepted'
        + (failures.length ? '\n' + failures.slice(0, 20).join('\n') + (failures.length > 20 ? '\n…' : '') : ''));
    } catch (e) {
      showResult(result, 'error', describeError(e));
    }
  } }, 'Apply to selection');
  const element = h('div', { class: 'card', id: 'bulk-bar', hidden: true, style: 'margin-bottom:.75rem' },
    h('div', { class: 'toolbar', style: 'margin:0' }, count, action, path, value, run,
      can('operator') ? null : h('span', { class: 'muted' }, '(needs the operator role)')), result);
  return { element, update() { element.hidden = selected.size === 0; count.textContent = selected.size + ' selected'; } };
}
