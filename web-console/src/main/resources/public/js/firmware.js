// Firmware: images (list; upload with the SHA-256 the browser computes and an upload progress bar; delete) and
// campaigns (list with live progress; create from an image, a target, a delivery and a policy).
import { get, post, api, upload } from './api.js';
import * as live from './live.js';
import { h, ago, stateBadge, describeError, emptyState, errorState, showResult } from './ui.js';
import { can } from './app.js';

/** Counts of a campaign's progress that are finished, and the share done as the API computes it. */
export function percentDone(p) {
  const done = p.succeeded + p.failed + p.cancelled;
  return p.total === 0 ? 100 : Math.floor(done * 100 / p.total);
}

/** A stacked bar (succeeded, failed, cancelled, under way) with its numbers in words. */
export function progressBar(p, id) {
  const share = (n) => (p.total === 0 ? 0 : n * 100 / p.total) + '%';
  const underWay = p.transferring + p.updating + p.waitingRetry;
  const percent = percentDone(p);
  return h('div', { class: 'fw-progress', id },
    h('div', { class: 'fw-bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent,
      'aria-label': 'Campaign progress' },
      h('span', { class: 'fw-ok', style: 'width:' + share(p.succeeded) }),
      h('span', { class: 'fw-bad', style: 'width:' + share(p.failed) }),
      h('span', { class: 'fw-cancelled', style: 'width:' + share(p.cancelled) }),
      h('span', { class: 'fw-busy', style: 'width:' + share(underWay) })),
    h('span', { class: 'fw-numbers' }, h('strong', { class: 'fw-percent' }, percent + '%'), ' · ',
      p.succeeded + ' succeeded, ' + p.failed + ' failed, ' + underWay + ' in progress of ' + p.total
      + (p.cancelled ? ', ' + p.cancelled + ' cancelled' : '')));
}

export const shortDigest = (sha256) => h('code', { title: sha256 }, sha256.slice(0, 12) + '…');

/** A duration in seconds the way the API reads it back: 30s, 5m, 1h, 2d. */
export const seconds = (n) => n % 86400 === 0 && n > 0 ? n / 86400 + 'd' : n % 3600 === 0 && n > 0 ? n / 3600 + 'h'
  : n % 60 === 0 && n > 0 ? n / 60 + 'm' : n + 's';

/** A campaign's target in words. */
export function describeTarget(t) {
  const parts = [];
  if (t.endpoints && t.endpoints.length) parts.push('endpoints ' + t.endpoints.join(', '));
  if (t.zone) parts.push('in ' + t.zone);
  parts.push('model ' + (t.model || 'of the image'));
  parts.push(t.versions && t.versions.length ? 'on version ' + t.versions.join(' or ') : 'on any version but the image\'s');
  return parts.join('; ');
}

export const formatBytes = (n) => n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB'
  : (n / 1048576).toFixed(1) + ' MiB';

export function firmware(root) {
  const images = imagesSection();
  const campaigns = campaignsSection();
  root.append(h('h2', {}, 'Firmware'), campaigns.element, images.element);
  images.onChange = campaigns.imagesChanged;
  images.load();
  campaigns.load();
  return campaigns.cleanup;
}

function imagesSection() {
  const result = h('div', { class: 'result', id: 'image-result', hidden: true, role: 'status' });
  const rows = h('tbody', { id: 'image-rows' });
  const section = { onChange: () => {} };
  const limitNote = can('admin') ? h('span', { class: 'muted' }) : null;
  let limit = null;

  async function load() {
    let list;
    try { list = await get('/api/firmware'); } catch (e) { rows.replaceChildren(h('tr', {}, h('td', { colspan: 8 }, errorState(e)))); return; }
    limit = list.maxPackageBytes;
    if (limitNote) limitNote.textContent = 'At most ' + formatBytes(limit) + '.';
    rows.replaceChildren(...(list.images.length ? list.images.map((image) => h('tr', { dataset: { image: image.id } },
      h('td', {}, image.id), h('td', {}, image.model), h('td', { class: 'image-version' }, image.version), h('td', {}, image.name || '—'),
      h('td', {}, formatBytes(image.size)), h('td', {}, shortDigest(image.sha256)), h('td', {}, ago(image.createdAt)),
      h('td', {}, can('operator') ? h('a', { href: '/api/firmware/' + image.id + '/content', download: '' }, 'Download') : null, ' ',
        can('admin') ? h('button', { type: 'button', class: 'danger', onclick: () => remove(image) }, 'Delete') : null)))
      : [h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No firmware images yet.'
        + (can('admin') ? ' Upload a package below.' : ' An admin uploads them.')))]));
    section.onChange(list.images);
  }

  async function remove(image) {
    if (!confirm('Delete firmware image ' + image.model + ' ' + image.version + ' (#' + image.id + ')?')) return;
    try {
      await api('DELETE', '/api/firmware/' + image.id);
      showResult(result, 'ok', 'Deleted image #' + image.id + '.');
    } catch (e) {
      showResult(result, 'error', 'Deleting image #' + image.id + ' failed. ' + describeError(e));
    }
    await load();
  }

  section.element = h('section', { id: 'firmware-images' }, h('h3', {}, 'Images'), result,
    h('div', { class: 'two' }, h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {},
      ['Id', 'Model', 'Version', 'Name', 'Size', 'SHA-256', 'Uploaded', ''].map((t) => h('th', { scope: 'col' }, t)))), rows)),
    can('admin') ? uploadForm(result, () => limit, limitNote, load)
      : h('p', { class: 'muted' }, 'Uploading and deleting images needs the admin role.')));
  section.load = load;
  return section;
}

function uploadForm(result, limit, limitNote, reload) {
  const file = h('input', { type: 'file', id: 'image-file', required: true, 'aria-label': 'Package file' });
  const model = h('input', { id: 'image-model', required: true, placeholder: 'orbis-reference', autocomplete: 'off' });
  const version = h('input', { id: 'image-version', required: true, placeholder: '2.0.0', autocomplete: 'off' });
  const name = h('input', { id: 'image-name', placeholder: 'optional', autocomplete: 'off' });
  const digest = h('input', { id: 'image-sha256', placeholder: 'computed by your browser', autocomplete: 'off', pattern: '[0-9a-fA-F]{64}',
    title: '64 hexadecimal digits' });
  const progress = h('progress', { id: 'upload-progress', max: 1, value: 0, hidden: true });
  const status = h('span', { id: 'upload-status', class: 'muted', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { class: 'primary', type: 'submit', id: 'image-upload-submit' }, 'Upload');

  // An Orbis package names its model, version and name in a text header: fill in what the user left empty.
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    const head = await chosen.slice(0, 4096).text();
    if (!head.startsWith('OFW1\n')) return;
    const fields = Object.fromEntries(head.split('\n\n')[0].split('\n').slice(1)
      .map((line) => line.split(/:\s*/, 2)).filter((pair) => pair.length === 2));
    if (fields.model && !model.value) model.value = fields.model;
    if (fields.version && !version.value) version.value = fields.version;
    if (fields.name && !name.value) name.value = fields.name;
  });

  const form = h('form', { class: 'stack card', id: 'image-upload', onsubmit: async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) { showResult(result, 'error', 'Choose a package file first.'); return; }
    if (limit() !== null && chosen.size > limit()) {
      showResult(result, 'error', chosen.name + ' is ' + formatBytes(chosen.size) + '; the platform takes packages of at most '
        + formatBytes(limit()) + '.');
      return;
    }
    submit.disabled = true;
    try {
      let sha256 = digest.value.trim().toLowerCase();
      if (!sha256) {
        if (!window.crypto || !crypto.subtle) {
          showResult(result, 'error', 'This browser computes SHA-256 only on https or localhost: enter the package\'s SHA-256 '
            + '(sha256sum FILE) by hand.');
          return;
        }
        status.textContent = 'Computing SHA-256…';
        const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', await chosen.arrayBuffer()));
        sha256 = Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
      }
      const query = new URLSearchParams({ model: model.value.trim(), version: version.value.trim(), sha256 });
      if (name.value.trim()) query.set('name', name.value.trim());
      progress.hidden = false; progress.max = chosen.size || 1; progress.value = 0;
      status.textContent = 'Uploading…';
      const image = await upload('/api/firmware?' + query, chosen, (sent, total) => {
        progress.max = total || 1; progress.value = sent;
        status.textContent = formatBytes(sent) + ' of ' + formatBytes(total) + ' sent';
      });
      showResult(result, 'ok', 'Uploaded ' + image.model + ' ' + image.version + ' as image #' + image.id
        + ' (' + formatBytes(image.size) + ', SHA-256 verified).');
      form.reset();
      await reload();
    } catch (e) {
      showResult(result, 'error', 'Upload refused. ' + describeError(e));
    } finally {
      status.textContent = '';
      progress.hidden = true;
      submit.disabled = false;
    }
  } },
  h('h4', {}, 'Upload a package'),
  h('label', {}, 'Package file', file),
  h('label', {}, 'Model (devices report it in /3/0/1)', model),
  h('label', {}, 'Version (devices report it in /3/0/3 once installed)', version),
  h('label', {}, 'Name', name),
  h('label', {}, 'SHA-256 (leave empty: your browser computes it)', digest),
  h('div', { class: 'toolbar' }, submit, limitNote), progress, status);
  return form;
}

function campaignsSection() {
  const result = h('div', { class: 'result', id: 'campaign-result', hidden: true, role: 'status' });
  const rows = h('tbody', { id: 'campaign-rows' });
  const byId = new Map();
  const form = can('operator') ? campaignForm(result) : null;
  let reloadTimer = null;

  async function load() {
    let list;
    try { list = await get('/api/campaigns?limit=100'); } catch (e) { rows.replaceChildren(h('tr', {}, h('td', { colspan: 6 }, errorState(e)))); return; }
    if (form) form.defaults(list.defaultPolicy);
    byId.clear();
    rows.replaceChildren(...(list.campaigns.length ? list.campaigns.map((campaign) => {
      const state = h('td', {}, stateBadge(campaign.state));
      const progress = h('td', { class: 'fw-progress-cell' }, progressBar(campaign.progress));
      byId.set(campaign.id, { state, progress });
      return h('tr', { dataset: { campaign: campaign.id } },
        h('td', {}, h('a', { href: '#/firmware/campaigns/' + campaign.id, class: 'campaign-link' }, campaign.name)),
        h('td', {}, (campaign.model || '?') + ' ' + (campaign.version || '?')), state, progress,
        h('td', {}, campaign.delivery), h('td', {}, ago(campaign.createdAt)));
    }) : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No campaigns yet.'))]));
  }

  const unsubscribe = live.onChange((kind, event) => {
    if (kind !== 'firmware' || !event.detail || event.detail.campaign === undefined) return;
    const row = byId.get(event.detail.campaign);
    if (!row) { clearTimeout(reloadTimer); reloadTimer = setTimeout(load, 300); return; }
    if (event.detail.campaignState) row.state.replaceChildren(stateBadge(event.detail.campaignState));
    if (event.detail.progress) row.progress.replaceChildren(progressBar(event.detail.progress));
  });

  const element = h('section', { id: 'firmware-campaigns' }, h('h3', {}, 'Campaigns'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {},
      ['Campaign', 'Image', 'State', 'Progress', 'Delivery', 'Created'].map((t) => h('th', { scope: 'col' }, t)))), rows)),
    form ? [form.element, result] : h('p', { class: 'muted' }, 'Creating, pausing and aborting campaigns needs the operator role.'));
  return { element, load, imagesChanged: (images) => form && form.images(images),
    cleanup: () => { unsubscribe(); clearTimeout(reloadTimer); } };
}

const POLICY = [
  ['batchSize', 'Batch size', 'devices per batch; batches run one after the other, the first is a canary', (d) => d.batchSize == null ? 'all' : d.batchSize],
  ['concurrency', 'Concurrency', 'devices updated at once', (d) => d.concurrency],
  ['ratePerMinute', 'Rate per minute', 'devices started per minute, 0 = no limit', (d) => d.ratePerMinute],
  ['failureThreshold', 'Failure threshold', 'abort when more than this share (0–1) of finished devices failed', (d) => d.failureThreshold],
  ['maxAttempts', 'Max attempts', 'attempts per device', (d) => d.maxAttempts],
  ['retryBackoff', 'Retry back-off', 'wait before a retry, doubled each time (e.g. 30s, 5m)', (d) => seconds(d.retryBackoffSeconds)],
  ['deviceTimeout', 'Device timeout', 'longest one attempt may take (e.g. 1h)', (d) => seconds(d.deviceTimeoutSeconds)],
];

function campaignForm(result) {
  const image = h('select', { id: 'campaign-image', required: true, 'aria-label': 'Image' });
  const name = h('input', { id: 'campaign-name', placeholder: 'default: model and version', autocomplete: 'off' });
  const versions = h('input', { id: 'campaign-versions', placeholder: 'e.g. 1.0.0, 1.0.1 (default: any but the image\'s)', autocomplete: 'off' });
  const model = h('input', { id: 'campaign-model', placeholder: 'default: the image\'s model', autocomplete: 'off' });
  const zone = h('input', { id: 'campaign-zone', placeholder: 'e.g. zone/hq/floor-2', autocomplete: 'off' });
  const endpoints = h('textarea', { id: 'campaign-endpoints', rows: 3, placeholder: 'one per line or comma-separated, in rollout order' });
  const delivery = h('select', { id: 'campaign-delivery' },
    h('option', { value: 'auto' }, 'auto: pull, or push for push-only devices'), h('option', { value: 'pull' }, 'pull (Package URI)'),
    h('option', { value: 'push' }, 'push (write the package)'));
  const policy = Object.fromEntries(POLICY.map(([key]) => [key, h('input', { id: 'policy-' + key, autocomplete: 'off', size: 8 })]));
  const submit = h('button', { class: 'primary', type: 'submit', id: 'campaign-submit' }, 'Create and start');
  const list = (text) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

  const element = h('form', { class: 'card', id: 'campaign-form', onsubmit: async (event) => {
    event.preventDefault();
    if (!image.value) { showResult(result, 'error', 'Upload an image first: a campaign rolls out one image.'); return; }
    const target = {};
    if (list(versions.value).length) target.versions = list(versions.value);
    if (model.value.trim()) target.model = model.value.trim();
    if (zone.value.trim()) target.zone = zone.value.trim();
    if (list(endpoints.value).length) target.endpoints = list(endpoints.value);
    const body = { image: Number(image.value), delivery: delivery.value, target, policy: {} };
    if (name.value.trim()) body.name = name.value.trim();
    for (const [key] of POLICY) {
      const text = policy[key].value.trim();
      if (!text) continue;
      const numeric = key !== 'retryBackoff' && key !== 'deviceTimeout';
      if (numeric && isNaN(Number(text))) { showResult(result, 'error', key + ' must be a number, not "' + text + '".'); return; }
      body.policy[key] = numeric ? Number(text) : text;
    }
    submit.disabled = true;
    showResult(result, 'pending', 'Creating the campaign…');
    try {
      const campaign = await post('/api/campaigns', body);
      location.hash = '#/firmware/campaigns/' + campaign.id;
    } catch (e) {
      showResult(result, 'error', 'The campaign was not created. ' + describeError(e));
    } finally {
      submit.disabled = false;
    }
  } },
  h('h4', {}, 'New campaign'),
  h('div', { class: 'fw-form' },
    h('fieldset', {}, h('legend', {}, 'What'),
      h('label', {}, 'Image', image), h('label', {}, 'Name', name), h('label', {}, 'Delivery', delivery)),
    h('fieldset', {}, h('legend', {}, 'Which devices (all that apply)'),
      h('label', {}, 'Only devices on versions', versions), h('label', {}, 'Model', model),
      h('label', {}, 'In zone', zone), h('label', {}, 'Only these endpoints', endpoints)),
    h('fieldset', {}, h('legend', {}, 'Policy (empty: the default shown)'),
      POLICY.map(([key, label, help]) => h('label', { title: help }, label, policy[key], h('small', { class: 'muted' }, help))))),
  h('div', { class: 'toolbar' }, submit));

  return {
    element,
    images(all) {
      const chosen = image.value;
      image.replaceChildren(...(all.length ? all.map((i) => h('option', { value: i.id, selected: String(i.id) === chosen },
        '#' + i.id + ' ' + i.model + ' ' + i.version + (i.name ? ' (' + i.name + ')' : '')))
        : [h('option', { value: '' }, 'no images yet')]));
    },
    defaults(d) {
      if (!d) return;
      for (const [key, , , shown] of POLICY) policy[key].placeholder = String(shown(d));
    },
  };
}
