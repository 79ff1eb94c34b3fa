// World: the operator's entities (sites, zones, assets…) as a tree and as a picture, devices placed in them with their
// live temperature, forms to create entities, link or move nodes, and the views a device is given.
import { h, formatValue, showResult, describeError, emptyState, errorState, loading, flash } from './ui.js';
import { get, post, api } from './api.js';
import * as live from './live.js';

const SVG = 'http://www.w3.org/2000/svg';

export function world(root) {
  const result = h('div', { class: 'result', id: 'world-result', role: 'status', hidden: true });
  const treeBox = h('div', {}, loading());
  const pictureBox = h('div', {});
  const body = h('div', { id: 'world' });
  root.append(h('h2', {}, 'World'), result, body);
  const temperatures = new Map();
  const cells = new Map();

  async function load() {
    try {
      const [entities, edges, temps] = await Promise.all([get('/api/entities?limit=1000'), get('/api/edges?limit=1000'),
        get('/api/query?limit=1000&q=' + encodeURIComponent('path=*/3303/*/5700'))]);
      for (const item of temps.items || []) temperatures.set(item.key.split('/')[1], item.value);
      render(entities.items || [], edges.edges || []);
    } catch (e) {
      treeBox.replaceChildren(errorState(e));
    }
  }

  function render(entities, edges) {
    cells.clear();
    const parents = new Map();   // child key -> parent key (partOf / in)
    for (const edge of edges) if (edge.kind === 'partOf' || edge.kind === 'in') parents.set(edge.from, edge.to);
    const children = new Map();
    for (const [child, parent] of parents) (children.get(parent) || children.set(parent, []).get(parent)).push(child);
    const roots = entities.map((e) => e.key).filter((key) => !parents.has(key));
    const labels = new Map(entities.map((e) => [e.key, e.label || e.key]));

    const node = (key) => {
      const isDevice = key.startsWith('device/');
      const endpoint = isDevice ? key.slice('device/'.length) : null;
      const value = h('span', { class: 'value', id: 'world-temp-' + endpoint }, isDevice ? formatValue(temperatures.get(endpoint)) : '');
      if (isDevice) cells.set(endpoint, value);
      const kids = (children.get(key) || []).slice().sort();
      return h('li', { dataset: { key } },
        isDevice ? h('a', { href: '#/devices/' + encodeURIComponent(endpoint) }, endpoint) : h('strong', {}, labels.get(key) || key),
        ' ', h('span', { class: 'muted' }, isDevice ? '' : key), isDevice ? [' ', value, ' °C'] : null,
        kids.length ? h('ul', {}, kids.map(node)) : null);
    };
    const tree = roots.length ? h('ul', { class: 'world-tree', id: 'world-tree' }, roots.sort().map(node))
      : emptyState('No entities yet. Create a site and zones below, or import a whole site with POST /api/import.');
    // Only the tree and the picture are redrawn: the forms below keep what the operator is typing.
    treeBox.replaceChildren(tree);
    pictureBox.replaceChildren(picture(roots, children, labels));
  }

  /** Sites, zones and devices in rows, parents above their children, lines along the containment edges. */
  function picture(roots, children, labels) {
    const rows = [];
    const place = (key, depth) => {
      (rows[depth] || (rows[depth] = [])).push(key);
      for (const child of (children.get(key) || []).slice().sort()) place(child, depth + 1);
    };
    roots.slice().sort().forEach((key) => place(key, 0));
    const width = Math.max(400, ...rows.map((row) => row.length * 120));
    const height = Math.max(1, rows.length) * 90;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'The world graph: entities and devices, parents above their children');
    svg.setAttribute('class', 'world-picture');
    const at = new Map();
    rows.forEach((row, depth) => row.forEach((key, i) => at.set(key, [(i + 0.5) * width / row.length, depth * 90 + 30])));
    for (const [parent, kids] of children) {
      for (const kid of kids) {
        if (!at.has(parent) || !at.has(kid)) continue;
        const line = document.createElementNS(SVG, 'line');
        const [x1, y1] = at.get(parent);
        const [x2, y2] = at.get(kid);
        Object.entries({ x1, y1, x2, y2, class: 'edge' }).forEach(([k, v]) => line.setAttribute(k, v));
        svg.append(line);
      }
    }
    for (const [key, [x, y]] of at) {
      const device = key.startsWith('device/');
      const circle = document.createElementNS(SVG, 'circle');
      Object.entries({ cx: x, cy: y, r: device ? 7 : 11, class: device ? 'device-node' : 'entity-node' })
        .forEach(([k, v]) => circle.setAttribute(k, v));
      const text = document.createElementNS(SVG, 'text');
      Object.entries({ x, y: y + 24, 'text-anchor': 'middle', class: 'node-label' }).forEach(([k, v]) => text.setAttribute(k, v));
      text.textContent = device ? key.slice(7) : (labels.get(key) || key);
      svg.append(circle, text);
    }
    return rows.length ? svg : emptyState('Nothing to draw yet.');
  }

  function forms() {
    const key = h('input', { id: 'entity-key', placeholder: 'zone/hq/floor-2', 'aria-label': 'Entity key', required: true });
    const label = h('input', { id: 'entity-label', placeholder: 'Floor 2', 'aria-label': 'Entity label' });
    const from = h('input', { id: 'edge-from', placeholder: 'device/sensor-7', 'aria-label': 'From' });
    const kind = h('input', { id: 'edge-kind', value: 'in', 'aria-label': 'Edge kind', size: 8 });
    const to = h('input', { id: 'edge-to', placeholder: 'zone/hq/floor-2', 'aria-label': 'To' });
    const exclusive = h('input', { id: 'edge-exclusive', type: 'checkbox', checked: true });
    const act = async (what, call) => {
      try { await call(); showResult(result, 'ok', what + ' done.'); load(); } catch (e) { showResult(result, 'error', what + ' failed. ' + describeError(e)); }
    };
    return h('section', { class: 'card' }, h('h3', {}, 'Change the world'),
      h('form', { id: 'entity-form', onsubmit: (e) => { e.preventDefault();
        act('Create ' + key.value, () => api('PUT', '/api/entities/' + key.value, { label: label.value || null })); } },
        h('label', {}, 'Entity ', key), ' ', h('label', {}, 'label ', label), ' ', h('button', { class: 'primary', type: 'submit' }, 'Create or rename')),
      h('form', { id: 'edge-form', onsubmit: (e) => { e.preventDefault();
        act('Link ' + from.value + ' ' + kind.value + ' ' + to.value,
          () => post('/api/edges', { from: from.value, kind: kind.value, to: to.value, exclusive: exclusive.checked })); } },
        h('label', {}, 'Link ', from), ' ', h('label', {}, 'kind ', kind), ' ', h('label', {}, 'to ', to), ' ',
        h('label', {}, exclusive, ' move (replace its other ', h('em', {}, 'kind'), ' edges)'), ' ',
        h('button', { class: 'primary', type: 'submit' }, 'Link')));
  }

  function viewsPanel() {
    const endpoint = h('input', { id: 'view-endpoint', placeholder: 'sensor-7', 'aria-label': 'Device endpoint' });
    const name = h('input', { id: 'view-name', value: 'my-zone', 'aria-label': 'View name', size: 10 });
    const query = h('input', { id: 'view-query', size: 48, value: 'within 2 of $self via in and path=*/3303/*/5700', 'aria-label': 'View query' });
    const list = h('div', { id: 'view-list' });
    const show = async () => {
      try {
        const answer = await get('/api/devices/' + encodeURIComponent(endpoint.value) + '/views');
        list.replaceChildren(answer.views.length ? h('ul', {}, answer.views.map((v) => h('li', {}, h('strong', {}, v.view), ' → ',
          v.path, ' · ', h('code', {}, v.query || ''), ' · ', v.delivered ? 'delivered' : 'delivery pending')))
          : emptyState('This device is given no view.'));
      } catch (e) { list.replaceChildren(errorState(e)); }
    };
    return h('section', { class: 'card' }, h('h3', {}, 'Device views'),
      h('p', { class: 'muted' }, 'A device given a view holds its entries in its World View object (33100); Orbis keeps the copy current, '
        + 'holds it while the device sleeps and sends only the latest. $self stands for the device.'),
      h('form', { id: 'view-form', onsubmit: async (e) => { e.preventDefault();
        try {
          await api('PUT', '/api/devices/' + encodeURIComponent(endpoint.value) + '/views/' + encodeURIComponent(name.value), { query: query.value });
          showResult(result, 'ok', 'View ' + name.value + ' given to ' + endpoint.value + '.');
          show();
        } catch (err) { showResult(result, 'error', 'Giving the view failed. ' + describeError(err)); }
      } },
        h('label', {}, 'Device ', endpoint), ' ', h('label', {}, 'view ', name), ' ', h('label', {}, 'query ', query), ' ',
        h('button', { class: 'primary', type: 'submit' }, 'Give view'), ' ', h('button', { type: 'button', onclick: show }, 'Show its views')),
      list);
  }

  const unsubscribe = live.onChange((kind, event) => {
    if (kind === 'value' && event.path && event.path.startsWith('/3303/') && event.path.endsWith('/5700')) {
      temperatures.set(event.endpoint, event.value);
      const cell = cells.get(event.endpoint);
      if (cell) { cell.textContent = formatValue(event.value); flash(cell); }
    } else if (kind === 'entity' || kind === 'edge') {
      load();
    }
  });
  body.append(
    h('section', { class: 'card' }, h('h3', {}, 'Entities and placements'), treeBox),
    h('section', { class: 'card' }, h('h3', {}, 'Picture'), pictureBox),
    forms(),
    viewsPanel());
  load();
  return () => unsubscribe();
}
