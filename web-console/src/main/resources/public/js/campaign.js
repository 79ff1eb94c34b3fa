// One firmware campaign: its image, target and policy, a live progress bar with the counts per state, where each
// device stands (updated from the firmware events of the console's one event stream), and pause, resume and abort.
import { get, post } from './api.js';
import * as live from './live.js';
import { h, ago, stateBadge, describeError, errorState, loading, showResult } from './ui.js';
import { can } from './app.js';
import { progressBar, describeTarget, seconds } from './firmware.js';

const PAGE = 100;
const COUNTS = ['pending', 'transferring', 'updating', 'waitingRetry', 'succeeded', 'failed', 'cancelled'];
const DEVICE_STATES = ['pending', 'transferring', 'updating', 'waiting_retry', 'succeeded', 'failed', 'cancelled'];
// Update Result (/5/0/5) as LwM2M defines it.
const UPDATE_RESULTS = ['initial value', 'success', 'not enough storage', 'out of memory', 'connection lost',
  'integrity check failure', 'unsupported package type', 'invalid URI', 'update failed', 'unsupported protocol'];

export function campaignPage(root, id) {
  const title = h('h2', {}, 'Campaign #' + id);
  const state = h('span', { id: 'campaign-state' });
  const reason = h('p', { id: 'campaign-reason', class: 'muted', hidden: true });
  const about = h('dl', { id: 'campaign-about', class: 'fw-about' });
  const progress = h('div', { id: 'campaign-progress-box' });
  const counts = h('dl', { id: 'campaign-counts', class: 'fw-counts' });
  const result = h('div', { class: 'result', id: 'campaign-action-result', hidden: true, role: 'status' });
  const rows = h('tbody', { id: 'campaign-device-rows' });
  const summary = h('span', { id: 'campaign-device-summary', class: 'muted', role: 'status' });
  const filter = h('select', { id: 'campaign-device-state', 'aria-label': 'Device state' },
    h('option', { value: '' }, 'every state'), DEVICE_STATES.map((s) => h('option', { value: s }, s.replace('_', ' '))));
  const query = { offset: 0 };
  const prev = h('button', { type: 'button', onclick: () => { query.offset = Math.max(0, query.offset - PAGE); loadDevices(); } }, '← Previous');
  const next = h('button', { type: 'button', onclick: () => { query.offset += PAGE; loadDevices(); } }, 'Next →');
  const deviceRows = new Map();
  const controls = can('operator') ? actions() : null;
  let current = null;

  root.append(h('p', {}, h('a', { href: '#/firmware' }, '← Firmware')), h('div', { class: 'toolbar' }, title, state),
    reason, h('div', { class: 'card', id: 'campaign-live' }, progress, counts, controls ? controls.element : null, result),
    h('div', { class: 'card' }, about),
    h('section', {}, h('h3', {}, 'Devices'), h('div', { class: 'toolbar' }, filter, summary),
      h('div', { class: 'table-wrap' }, h('table', { id: 'campaign-devices' }, h('thead', {}, h('tr', {},
        ['Endpoint', 'State', 'Attempt', 'Delivery', 'From version', 'Last result', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))), rows)),
      h('div', { class: 'pager' }, prev, next)));
  if (!controls) root.querySelector('#campaign-live').append(h('p', { class: 'muted' }, 'Pausing, resuming and aborting need the operator role.'));

  function showProgress(p) {
    progress.replaceChildren(progressBar(p, 'campaign-progress'));
    counts.replaceChildren(...COUNTS.flatMap((key) => [h('dt', {}, key.replace('waitingRetry', 'waiting retry')),
      h('dd', { id: 'count-' + key }, p[key])]), h('dt', {}, 'total'), h('dd', { id: 'count-total' }, p.total));
  }

  function showState(label, why) {
    state.replaceChildren(stateBadge(label));
    reason.hidden = !why;
    reason.textContent = why ? 'Why: ' + why : '';
    if (controls) controls.update(label);
  }

  function show(campaign) {
    current = campaign;
    title.textContent = campaign.name + ' (#' + campaign.id + ')';
    showState(campaign.state, campaign.reason);
    showProgress(campaign.progress);
    const p = campaign.policy;
    const item = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
    about.replaceChildren(
      ...item('Image', h('span', { id: 'campaign-image' }, '#' + campaign.image + ' ' + (campaign.model || '?') + ' ' + (campaign.version || '?'))),
      ...item('Delivery', campaign.delivery),
      ...item('Target', h('span', { id: 'campaign-target' }, describeTarget(campaign.target || {}))),
      ...item('Policy', h('span', { id: 'campaign-policy' }, (p.batchSize == null ? 'one batch' : 'batches of ' + p.batchSize)
        + ', ' + p.concurrency + ' at once, ' + (p.ratePerMinute ? p.ratePerMinute + ' started per minute' : 'no rate limit')
        + ', abort past ' + Math.round(p.failureThreshold * 100) + '% failed, ' + p.maxAttempts + ' attempts, back-off '
        + seconds(p.retryBackoffSeconds) + ', at most ' + seconds(p.deviceTimeoutSeconds) + ' per attempt')),
      ...item('Created', new Date(campaign.createdAt).toLocaleString()),
      ...item('Finished', campaign.finishedAt ? new Date(campaign.finishedAt).toLocaleString() : '—'));
  }

  function deviceRow(device) {
    const cells = { state: h('td', { class: 'fw-device-state' }), attempt: h('td', {}), delivery: h('td', {}),
      outcome: h('td', { class: 'fw-outcome' }), updated: h('td', {}) };
    const row = h('tr', { dataset: { endpoint: device.endpoint } },
      h('td', {}, h('a', { href: '#/devices/' + encodeURIComponent(device.endpoint) }, device.endpoint)),
      cells.state, cells.attempt, cells.delivery, h('td', {}, device.fromVersion || '—'), cells.outcome, cells.updated);
    const entry = { row, update(d, when) {
      cells.state.replaceChildren(stateBadge(d.state));
      row.dataset.state = d.state;
      cells.attempt.textContent = d.attempts;
      cells.delivery.textContent = d.delivery || '—';
      cells.outcome.textContent = outcome(d.updateResult, d.detail);
      cells.updated.textContent = when;
    } };
    entry.update(device, ago(device.updatedAt));
    deviceRows.set(device.endpoint, entry);
    return row;
  }

  let inFlight = 0;
  let missed = false;
  async function loadDevices() {
    inFlight++;
    const qs = new URLSearchParams({ offset: query.offset, limit: PAGE });
    if (filter.value) qs.set('state', filter.value);
    try {
      const [campaign, page] = await Promise.all([get('/api/campaigns/' + id), get('/api/campaigns/' + id + '/devices?' + qs)]);
      show(campaign);
      deviceRows.clear();
      rows.replaceChildren(...(page.devices.length ? page.devices.map(deviceRow)
        : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, filter.value ? 'No device in this state.' : 'No devices.'))]));
      const total = filter.value ? null : campaign.progress.total;
      summary.textContent = page.devices.length === 0 ? '' : (query.offset + 1) + '–' + (query.offset + page.devices.length)
        + (total === null ? '' : ' of ' + total);
      prev.disabled = query.offset === 0;
      next.disabled = page.devices.length < PAGE;
    } catch (e) {
      rows.replaceChildren(h('tr', {}, h('td', { colspan: 7 }, errorState(e))));
      if (!current) about.replaceChildren(errorState(e));
    } finally {
      inFlight--;
    }
    // An event that arrived while the page was loading may be older or newer than what the API answered: ask again.
    if (missed && inFlight === 0) { missed = false; loadDevices(); }
  }

  const unsubscribe = live.onChange((kind, event) => {
    if (kind !== 'firmware' || !event.detail || event.detail.campaign !== id) return;
    if (inFlight > 0) { missed = true; return; }
    const d = event.detail;
    if (d.progress) showProgress(d.progress);
    if (d.campaignState && current) showState(d.campaignState, d.reason !== undefined ? d.reason : current.reason);
    if (d.campaignState && current && d.campaignState !== current.state && !event.endpoint) loadDevices();
    if (event.endpoint) {
      const row = deviceRows.get(event.endpoint);
      if (row) row.update({ state: d.state, attempts: d.attempt, delivery: d.delivery, updateResult: d.updateResult, detail: d.detail }, 'just now');
    }
  });

  function actions() {
    const act = (verb, done) => async () => {
      if (verb === 'abort' && !confirm('Abort this campaign? Devices not yet updated are left alone, downloads under way are reset.')) return;
      showResult(result, 'pending', done + '…');
      try {
        show(await post('/api/campaigns/' + id + '/' + verb));
        showResult(result, 'ok', done + '.');
        loadDevices();
      } catch (e) {
        showResult(result, 'error', describeError(e));
      }
    };
    const pause = h('button', { type: 'button', id: 'campaign-pause', onclick: act('pause', 'Paused') }, 'Pause');
    const resume = h('button', { type: 'button', id: 'campaign-resume', onclick: act('resume', 'Resumed') }, 'Resume');
    const abort = h('button', { type: 'button', id: 'campaign-abort', class: 'danger', onclick: act('abort', 'Aborted') }, 'Abort');
    return { element: h('div', { class: 'toolbar fw-actions' }, pause, resume, abort), update(label) {
      pause.hidden = label !== 'running';
      resume.hidden = label !== 'paused';
      abort.hidden = label !== 'running' && label !== 'paused';
    } };
  }

  filter.addEventListener('change', () => { query.offset = 0; loadDevices(); });
  progress.replaceChildren(loading());
  loadDevices();
  return unsubscribe;
}

function outcome(code, detail) {
  if (code === null || code === undefined) return detail || '—';
  const text = code + ' (' + (UPDATE_RESULTS[code] || 'unknown') + ')';
  return detail ? text + ': ' + detail : text;
}

