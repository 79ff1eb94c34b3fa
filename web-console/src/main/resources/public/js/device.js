// Device detail: the object/instance/resource tree from the models the device registered with, live values, a
// history chart per numeric resource, and every LwM2M operation with its result (and the device's code) shown.
import { get, post } from './api.js';
import * as live from './live.js';
import { h, ago, stateBadge, formatValue, flash, showResult, describeError, errorState, loading } from './ui.js';
import { lineChart } from './chart.js';

const NUMERIC = new Set(['INTEGER', 'UNSIGNED_INTEGER', 'FLOAT']);
const HISTORY = 300;

export function deviceDetail(root, endpoint) {
  const base = '/api/devices/' + encodeURIComponent(endpoint);
  const valueCells = new Map();
  const history = new Map();
  const types = new Map();
  let charted = null;
  let chart = null;
  const result = h('div', { class: 'result', id: 'op-result', hidden: true, role: 'status', 'aria-live': 'polite' });
  const queueBox = h('div', { id: 'queue-offer', hidden: true });
  const chartTitle = h('h3', { id: 'chart-title' }, 'History');
  const chartBox = h('div', { class: 'chart', id: 'history-chart' },
    h('p', { class: 'muted' }, 'Choose “Chart” on a numeric resource to follow it here.'));
  const header = h('div', {}, loading());
  const tree = h('div', { class: 'tree', id: 'object-tree' });
  root.append(h('p', {}, h('a', { href: '#/devices' }, '← Devices')), header,
    h('div', { class: 'two' }, h('section', { 'aria-label': 'Objects and resources' }, tree),
      h('aside', { class: 'sticky' }, h('section', { class: 'card' }, h('h3', {}, 'Last operation'), result, queueBox,
        h('p', { class: 'muted', id: 'op-hint' }, 'Results of reads, writes and other operations appear here.')),
      h('section', { class: 'card', style: 'margin-top:1rem' }, chartTitle, chartBox))));

  let stateBadgeHolder = null;
  let lastSeen = null;

  function remember(path, type, value, time) {
    if (!NUMERIC.has(type) || typeof value !== 'number') return;
    const series = history.get(path) || [];
    series.push([time, value]);
    if (series.length > HISTORY) series.shift();
    history.set(path, series);
    if (charted === path && chart) chart.set(series.map((p) => p[0]), series.map((p) => p[1]));
  }

  function showChart(path, label) {
    charted = path;
    if (chart) chart.destroy();
    chartBox.replaceChildren();
    chartTitle.textContent = 'History of ' + label + ' (' + path + ')';
    chart = lineChart(chartBox, label, '#2459a6');
    const series = history.get(path) || [];
    chart.set(series.map((p) => p[0]), series.map((p) => p[1]));
    const note = h('p', { class: 'muted', id: 'chart-note' }, 'Loading the last 24 hours…');
    chartBox.append(note);
    // The stored history (server-side averages per bucket) first, then every live value on top.
    get(base + '/history?path=' + encodeURIComponent(path) + '&buckets=240').then((answer) => {
      if (charted !== path) return;
      const stored = (answer.buckets || []).filter((b) => b.count > 0)
        .map((b) => [new Date(b.start).getTime() / 1000, b.avg]);
      const received = history.get(path) || [];
      const first = received.length ? received[0][0] : Infinity;
      const merged = stored.filter((p) => p[0] < first).concat(received);
      history.set(path, merged);
      chart.set(merged.map((p) => p[0]), merged.map((p) => p[1]));
      note.textContent = 'Last 24 hours (average per 6-minute bucket), then every value live.';
    }).catch((e) => { note.textContent = 'History unavailable: ' + describeError(e) + '. Showing values received live.'; });
  }

  async function run(label, path, call, queueAs) {
    queueBox.hidden = true;
    showResult(result, 'pending', label + ' ' + path + '…');
    try {
      const answer = await call();
      const lines = [label + ' ' + path + ': ' + (answer.code || 'done') + (answer.message ? ' — ' + answer.message : '')];
      for (const v of answer.values || []) lines.push(v.path + ' = ' + formatValue(v.value) + ' (' + v.type + ')');
      for (const link of answer.links || []) lines.push(link);
      showResult(result, 'ok', lines.join('\n'));
      return answer;
    } catch (e) {
      showResult(result, 'error', label + ' ' + path + ' failed. ' + describeError(e));
      if (queueAs && e.status === 409) {
        queueBox.hidden = false;
        queueBox.replaceChildren(h('p', {}, 'The device cannot take requests now. Queue it: it is delivered when the device is next reachable.'),
          h('button', { type: 'button', class: 'primary', id: 'queue-instead', onclick: async () => {
            try {
              const command = await post(base + '/commands', queueAs);
              showResult(result, 'ok', 'Queued as command ' + command.id + ' (' + command.status + ').');
              queueBox.hidden = true;
            } catch (err) { showResult(result, 'error', 'Queueing failed. ' + describeError(err)); }
          } }, 'Queue as a command'));
      }
      return null;
    }
  }

  function inputFor(resource, id) {
    const type = resource.type;
    if (type === 'BOOLEAN') return h('select', { id, 'aria-label': 'New value' }, h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
    if (NUMERIC.has(type)) return h('input', { id, type: 'number', step: type === 'FLOAT' ? 'any' : '1', min: type === 'UNSIGNED_INTEGER' ? '0' : null, 'aria-label': 'New value', required: true, size: 8 });
    if (type === 'TIME') return h('input', { id, type: 'datetime-local', step: '1', 'aria-label': 'New value', required: true });
    return h('input', { id, type: 'text', 'aria-label': 'New value', placeholder: type === 'OPAQUE' ? 'hex bytes' : 'text', size: 14 });
  }

  function parsed(resource, input) {
    if (resource.type === 'BOOLEAN') return input.value === 'true';
    if (NUMERIC.has(resource.type)) return Number(input.value);
    if (resource.type === 'TIME') return Math.floor(new Date(input.value).getTime() / 1000);
    return input.value;
  }

  function resourceRow(object, instanceId, resource, current) {
    const path = '/' + object.id + '/' + instanceId + '/' + resource.id;
    const ops = resource.operations;
    const readable = ops.includes('R');
    const writable = ops.includes('W');
    const executable = ops === 'E';
    types.set(path, resource.type);
    const cell = h('span', { class: 'value', id: 'value-' + path, dataset: { path } },
      current === undefined ? (executable ? '' : '—') : formatValue(current.value));
    valueCells.set(path, cell);
    if (current !== undefined) remember(path, resource.type, current.value, new Date(current.serverTime).getTime() / 1000);
    const form = h('div', { class: 'op-form', hidden: true });
    const buttons = h('div', { class: 'ops' });
    const add = (label, handler, id) => buttons.append(h('button', { type: 'button', id: id ? id + '-' + path : null, onclick: handler }, label));
    if (readable) {
      add('Read', () => run('Read', path, () => post(base + '/read', { path }), { kind: 'read', path }), 'read');
      add('Observe', () => run('Observe', path, () => post(base + '/observe', { path }), { kind: 'observe', path }), 'observe');
      add('Cancel observe', () => run('Cancel observe', path, () => post(base + '/cancel-observe', { path })), 'cancel');
      add('Attributes', () => {
        const fields = ['pmin', 'pmax', 'gt', 'lt', 'st'].map((name) => h('input', { type: 'number', step: 'any', placeholder: name, 'aria-label': name, size: 5, dataset: { name } }));
        form.hidden = false;
        form.replaceChildren(...fields, h('button', { type: 'button', class: 'primary', onclick: () => {
          const attributes = {};
          for (const field of fields) if (field.value !== '') attributes[field.dataset.name] = Number(field.value);
          run('Write attributes', path, () => post(base + '/write-attributes', { path, attributes }));
        } }, 'Write attributes'));
      }, 'attributes');
      if (NUMERIC.has(resource.type)) add('Chart', () => showChart(path, resource.name), 'chart');
    }
    if (writable) {
      add('Write…', () => {
        const input = inputFor(resource, 'input-' + path);
        form.hidden = false;
        form.replaceChildren(input, h('button', { type: 'button', class: 'primary', id: 'send-write-' + path, onclick: () => {
          const value = parsed(resource, input);
          run('Write', path, () => post(base + '/write', { path, value }), { kind: 'write', path, value });
        } }, 'Write'));
        input.focus();
      }, 'write');
    }
    if (executable) {
      add('Execute…', () => {
        const args = h('input', { type: 'text', placeholder: "arguments, e.g. 0='on',1", 'aria-label': 'Arguments', size: 16 });
        form.hidden = false;
        form.replaceChildren(args, h('button', { type: 'button', class: 'primary', onclick: () =>
          run('Execute', path, () => post(base + '/execute', { path, arguments: args.value || undefined }),
            { kind: 'execute', path, arguments: args.value || undefined }) }, 'Execute'));
      }, 'execute');
    }
    const description = [resource.type ? resource.type.toLowerCase() : null, resource.units, resource.multiple ? 'multiple' : null,
      ops === 'NONE' ? null : ops].filter(Boolean).join(' · ');
    return h('div', { class: 'res-row', dataset: { path } },
      h('div', { class: 'name', title: resource.description || '' }, resource.name, h('small', {}, path + ' · ' + description)),
      h('div', {}, cell, resource.units ? h('span', { class: 'muted' }, ' ' + resource.units) : null),
      h('div', {}, buttons, form));
  }

  function render(device, model) {
    stateBadgeHolder = h('span', { id: 'device-state' }, stateBadge(device.state));
    lastSeen = h('span', { id: 'device-last-seen' }, ago(device.lastSeen));
    const reg = device.registration;
    header.replaceChildren(h('h2', { id: 'device-title' }, device.endpoint, ' ', stateBadgeHolder),
      h('p', { class: 'muted' }, 'Last seen ', lastSeen,
        reg ? ' · LwM2M ' + reg.lwm2mVersion + ' · binding ' + reg.binding + (reg.queueMode ? ' · queue mode (sleepy: operations may need to be queued)' : '')
          + ' · ' + reg.address : ' · not registered now: operations can be queued as commands'));
    const values = new Map(device.resources.map((r) => [r.path, r]));
    if (model.objects.length === 0) {
      tree.replaceChildren(h('div', { class: 'empty', role: 'status' }, 'This device has reported no objects yet. They appear when it registers.'));
      return;
    }
    tree.replaceChildren(...model.objects.map((object) => {
      const instances = object.instances.length ? object.instances : [];
      const objectForm = h('div', { class: 'op-form', hidden: true });
      const objectPath = '/' + object.id;
      return h('details', { open: object.id >= 3 && object.id !== 5, dataset: { object: object.id } },
        h('summary', {}, object.name + ' ', h('span', { class: 'muted' }, objectPath + (object.version ? ' v' + object.version : '') + ' · '
          + instances.length + (instances.length === 1 ? ' instance' : ' instances'))),
        h('div', { class: 'ops' },
          h('button', { type: 'button', onclick: () => run('Discover', objectPath, () => post(base + '/discover', { path: objectPath })) }, 'Discover'),
          object.multiple ? h('button', { type: 'button', onclick: () => {
            const id = h('input', { type: 'number', min: 0, placeholder: 'new id (optional)', 'aria-label': 'Instance id', size: 10 });
            objectForm.hidden = false;
            objectForm.replaceChildren(id, h('button', { type: 'button', class: 'primary', onclick: () => {
              const path = objectPath + (id.value === '' ? '' : '/' + id.value);
              run('Create', path, () => post(base + '/create', { path, resources: {} }), { kind: 'create', path });
            } }, 'Create instance'));
          } }, 'Create instance…') : null),
        objectForm,
        instances.map((instanceId) => {
          const instancePath = objectPath + '/' + instanceId;
          const present = object.resources.filter((r) => values.has(instancePath + '/' + r.id) || r.operations.includes('W') || r.operations === 'E');
          const unknown = [...values.values()].filter((v) => v.path.startsWith(instancePath + '/') && !object.resources.some((r) => instancePath + '/' + r.id === v.path));
          return h('details', { open: true, dataset: { instance: instancePath } },
            h('summary', {}, 'Instance ' + instanceId + ' ', h('span', { class: 'muted' }, instancePath)),
            h('div', { class: 'ops' },
              h('button', { type: 'button', onclick: () => run('Discover', instancePath, () => post(base + '/discover', { path: instancePath })) }, 'Discover'),
              h('button', { type: 'button', class: 'danger', onclick: () => {
                if (confirm('Delete instance ' + instancePath + ' on ' + endpoint + '?')) run('Delete', instancePath, () => post(base + '/delete', { path: instancePath }), { kind: 'delete', path: instancePath });
              } }, 'Delete instance')),
            present.map((resource) => resourceRow(object, instanceId, resource, values.get(instancePath + '/' + resource.id))),
            unknown.map((v) => resourceRow(object, instanceId, { id: v.path.split('/')[3], name: 'Resource ' + v.path.split('/')[3], type: v.type, operations: 'R' }, v)));
        }));
    }));
  }

  const unsubscribe = live.onChange((kind, event) => {
    if (event.endpoint !== endpoint) return;
    if (kind === 'value') {
      const cell = valueCells.get(event.path);
      if (cell) { cell.textContent = formatValue(event.value); flash(cell); }
      else if (!valueCells.has(event.path.split('/').slice(0, 4).join('/'))) reloadSoon();
      remember(event.path, event.type, event.value, new Date(event.serverTime || event.committedAt).getTime() / 1000);
      if (lastSeen) lastSeen.textContent = 'just now';
    } else if (kind === 'device' && stateBadgeHolder) {
      stateBadgeHolder.replaceChildren(stateBadge(event.state));
      if (event.state === 'online') load();
    } else if (kind === 'command') {
      const detail = typeof event.detail === 'object' ? event.detail : {};
      if (['succeeded', 'failed', 'expired'].includes(detail.status)) {
        showResult(result, detail.status === 'succeeded' ? 'ok' : 'error', 'Command ' + detail.id + ' (' + detail.kind + ' ' + detail.path + '): '
          + detail.status + (detail.code ? ', device answered ' + detail.code : ''));
      }
    }
  });

  // A value of a resource the tree does not show yet (a device that just registered reports its objects after the
  // page drew them): draw the tree again, once the burst of first values is in.
  let reloadTimer = null;
  let lastReload = 0;
  function reloadSoon() {
    if (reloadTimer) return;
    const wait = Math.max(300, lastReload + 2000 - Date.now());
    reloadTimer = setTimeout(() => { reloadTimer = null; lastReload = Date.now(); load(); }, wait);
  }

  async function load() {
    try {
      const [device, model] = await Promise.all([get(base), get(base + '/model')]);
      valueCells.clear();
      render(device, model);
    } catch (e) {
      header.replaceChildren(errorState(e));
    }
  }
  load();
  return () => { unsubscribe(); clearTimeout(reloadTimer); if (chart) chart.destroy(); };
}
