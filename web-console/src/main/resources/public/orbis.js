// Minimal live console: the device list, one device's resources, and live updates from /api/events.
'use strict';
const rows = new Map();
let selected = null;

const cell = (text, cls) => { const td = document.createElement('td'); td.textContent = text ?? '—'; if (cls) td.className = cls; return td; };
const time = (iso) => iso ? new Date(iso).toLocaleTimeString() : '—';
const fmt = (v) => typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v);

function deviceRow(device) {
  let row = rows.get(device.endpoint);
  if (!row) {
    row = document.createElement('tr');
    row.tabIndex = 0;
    row.dataset.endpoint = device.endpoint;
    for (let i = 0; i < 6; i++) row.appendChild(cell(''));
    row.cells[0].textContent = device.endpoint;
    row.addEventListener('click', () => showDevice(device.endpoint));
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') showDevice(device.endpoint); });
    document.querySelector('#devices tbody').appendChild(row);
    rows.set(device.endpoint, row);
  }
  return row;
}

function setState(row, state) { row.cells[1].textContent = state; row.cells[1].className = 'state-' + state; }

function setValue(row, path, value) {
  const column = { '/3303/0/5700': 3, '/3304/0/5700': 4, '/3311/0/5850': 5 }[path];
  if (column === undefined) return;
  const target = row.cells[column];
  target.textContent = column === 5 ? (value ? 'on' : 'off') : fmt(value);
  target.classList.remove('flash'); void target.offsetWidth; target.classList.add('flash');
}

async function loadDevices() {
  const page = await (await fetch('/api/devices?limit=1000')).json();
  document.getElementById('count').textContent = `(${page.total})`;
  document.getElementById('empty').hidden = page.total > 0;
  for (const device of page.devices) {
    const row = deviceRow(device);
    setState(row, device.state);
    row.cells[2].textContent = time(device.lastSeen);
  }
  await Promise.all(page.devices.filter((d) => d.state !== 'never').map(async (d) => {
    const detail = await (await fetch('/api/devices/' + encodeURIComponent(d.endpoint))).json();
    for (const r of detail.resources) setValue(rows.get(d.endpoint), r.path, r.value);
  }));
}

async function showDevice(endpoint) {
  selected = endpoint;
  const detail = await (await fetch('/api/devices/' + encodeURIComponent(endpoint))).json();
  document.getElementById('detail').hidden = false;
  document.getElementById('detail-title').textContent = `${detail.endpoint} — ${detail.state}`;
  const body = document.getElementById('resources');
  body.replaceChildren(...detail.resources.map((r) => {
    const tr = document.createElement('tr');
    tr.id = 'res-' + r.path;
    tr.append(cell(r.path), cell(r.type), cell(fmt(r.value)), cell(String(r.revision)), cell(time(r.serverTime)));
    return tr;
  }));
}

function onEvent(event) {
  const change = JSON.parse(event.data);
  if (!rows.has(change.endpoint)) { loadDevices(); return; }
  const row = rows.get(change.endpoint);
  if (change.kind === 'device') setState(row, change.state);
  if (change.kind === 'value') {
    setValue(row, change.path, change.value);
    row.cells[2].textContent = time(change.serverTime);
    const res = document.getElementById('res-' + change.path);
    if (selected === change.endpoint && res) { res.cells[2].textContent = fmt(change.value); res.cells[3].textContent = change.revision; res.cells[4].textContent = time(change.serverTime); }
  }
}

function connect() {
  const badge = document.getElementById('stream');
  // EventSource reconnects by itself and sends Last-Event-ID, so no change is missed.
  const source = new EventSource('/api/events');
  source.onopen = () => { badge.textContent = 'live'; badge.className = 'stream live'; };
  source.onerror = () => { badge.textContent = 'reconnecting…'; badge.className = 'stream reconnecting'; };
  source.addEventListener('value', onEvent);
  source.addEventListener('device', onEvent);
}

loadDevices().then(connect);
