// Provisioning: one device (PSK, RPK or X.509) with its credentials shown once and the exact client command;
// bulk provisioning from CSV with a progress bar, a per-line report and the credentials to download.
import { post } from './api.js';
import { h, describeError } from './ui.js';
import { can } from './app.js';

export function provision(root) {
  const endpoint = h('input', { id: 'provision-endpoint', required: true, pattern: '[A-Za-z0-9._:@+\\-]{1,128}', autocomplete: 'off' });
  const modes = () => ['psk', 'rpk', 'x509'].map((m) => h('option', { value: m }, m.toUpperCase()));
  const mode = h('select', { id: 'provision-mode' }, modes());
  const serverMode = h('select', { id: 'provision-server-mode' }, h('option', { value: '' }, 'same as bootstrap'), modes());
  const answer = h('div', { id: 'provision-answer', 'aria-live': 'polite' });
  const form = h('form', { class: 'stack card', id: 'provision-form', onsubmit: async (event) => {
    event.preventDefault();
    answer.replaceChildren(h('p', { class: 'muted' }, 'Provisioning…'));
    const body = { endpoint: endpoint.value.trim(), mode: mode.value };
    if (serverMode.value) body.serverMode = serverMode.value;
    try {
      answer.replaceChildren(credentials(await post('/api/devices', body)));
      endpoint.value = '';
    } catch (e) {
      answer.replaceChildren(h('div', { class: 'result error', role: 'alert' }, describeError(e)));
    }
  } },
  h('h3', {}, 'Add a device'),
  h('label', {}, 'Endpoint name', endpoint),
  h('label', {}, 'Bootstrap credential', mode),
  h('label', {}, 'DM server credential', serverMode),
  h('button', { class: 'primary', type: 'submit', id: 'provision-submit' }, 'Provision'),
  can('operator') ? null : h('p', { class: 'muted' }, 'Provisioning needs the operator role; the platform will refuse it.'));
  root.append(h('h2', {}, 'Provision devices'), h('div', { class: 'two' }, h('div', {}, form, answer), bulk()));
}

function credentials(device) {
  const part = (title, c) => h('div', {}, h('h4', {}, title + ' (' + c.mode + ')'),
    h('dl', {}, h('dt', {}, 'URI'), h('dd', {}, c.uri),
      c.pskIdentity ? [h('dt', {}, 'PSK identity'), h('dd', {}, h('code', {}, c.pskIdentity)), h('dt', {}, 'PSK key (hex)'), h('dd', {}, h('code', { class: 'psk-key' }, c.pskKey))] : null),
    ...['publicKey', 'privateKey', 'certificate', 'serverPublicKey', 'serverCertificate'].filter((k) => c[k]).map((k) =>
      h('details', {}, h('summary', {}, k), h('pre', {}, c[k]))));
  return h('section', { class: 'secret', id: 'provisioned', role: 'region', 'aria-label': 'New credentials' },
    h('h3', {}, 'Provisioned ' + device.endpoint),
    h('p', {}, h('strong', {}, 'Shown only now: '), device.note),
    h('p', {}, 'Connect it with the reference client:'),
    h('pre', { id: 'client-command' }, device.clientCommand),
    h('button', { type: 'button', onclick: () => navigator.clipboard && navigator.clipboard.writeText(device.clientCommand) }, 'Copy command'),
    ' ', h('a', { href: '#/devices/' + encodeURIComponent(device.endpoint) }, 'Open the device'),
    part('Bootstrap server', device.bootstrap), part('DM server', device.server));
}

function bulk() {
  const csv = h('textarea', { id: 'bulk-csv', rows: 8, 'aria-label': 'CSV lines', placeholder: 'endpoint,mode,serverMode\nsensor-001,psk\nsensor-002,rpk,x509' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', 'aria-label': 'CSV file', onchange: async () => {
    if (file.files[0]) csv.value = await file.files[0].text();
  } });
  const progress = h('progress', { id: 'bulk-progress', max: 1, value: 0, hidden: true });
  const status = h('p', { id: 'bulk-status', role: 'status', 'aria-live': 'polite' });
  const report = h('tbody', { id: 'bulk-report' });
  const download = h('button', { type: 'button', id: 'bulk-download', hidden: true }, 'Download credentials (CSV)');
  let results = [];
  download.addEventListener('click', () => {
    const lines = ['endpoint,bootstrapPskIdentity,bootstrapPskKey,serverPskIdentity,serverPskKey,clientCommand'];
    for (const r of results.filter((x) => x.device)) {
      const d = r.device;
      lines.push([d.endpoint, d.bootstrap.pskIdentity || '', d.bootstrap.pskKey || '', d.server.pskIdentity || '', d.server.pskKey || '',
        '"' + d.clientCommand.replaceAll('"', '""') + '"'].join(','));
    }
    const link = h('a', { href: URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/csv' })), download: 'orbis-credentials.csv' });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  const run = h('button', { type: 'button', class: 'primary', id: 'bulk-start', onclick: async () => {
    const lines = csv.value.split(/\r?\n/).map((line, i) => ({ number: i + 1, fields: line.split(',').map((f) => f.trim()) }))
      .filter((l) => l.fields[0] && !/^endpoint$/i.test(l.fields[0]) && !l.fields[0].startsWith('#'));
    if (lines.length === 0) { status.textContent = 'Nothing to provision: paste lines of endpoint[,mode[,serverMode]].'; return; }
    results = [];
    report.replaceChildren();
    progress.hidden = false; progress.max = lines.length; progress.value = 0;
    run.disabled = true; download.hidden = true;
    let ok = 0;
    for (const line of lines) {
      const [endpoint, mode, serverMode] = line.fields;
      const body = { endpoint };
      if (mode) body.mode = mode;
      if (serverMode) body.serverMode = serverMode;
      let outcome;
      try {
        const device = await post('/api/devices', body);
        results.push({ line, device });
        outcome = 'provisioned';
        ok++;
      } catch (e) {
        results.push({ line, error: e });
        outcome = describeError(e);
      }
      report.append(h('tr', { dataset: { ok: outcome === 'provisioned' } }, h('td', {}, line.number), h('td', {}, endpoint), h('td', {}, outcome)));
      progress.value += 1;
      status.textContent = progress.value + ' of ' + lines.length + ' done, ' + ok + ' provisioned';
    }
    status.textContent = 'Finished: ' + ok + ' of ' + lines.length + ' provisioned, ' + (lines.length - ok) + ' failed.'
      + (ok ? ' Download the credentials now: they are not shown again.' : '');
    download.hidden = ok === 0;
    run.disabled = false;
  } }, 'Provision all');
  return h('section', { class: 'card', id: 'bulk-provision' }, h('h3', {}, 'Bulk from CSV'),
    h('p', { class: 'muted' }, 'One device per line: endpoint, then optionally the bootstrap mode (psk, rpk, x509) and the DM server mode.'),
    csv, h('div', { class: 'toolbar' }, file, run), progress, status, download,
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Line'), h('th', {}, 'Endpoint'), h('th', {}, 'Result'))), report)));
}
