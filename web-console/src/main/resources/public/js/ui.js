// Small DOM helpers shared by the views.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const formatValue = (value) => value === null || value === undefined ? '—'
  : typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : String(value);

export function ago(iso) {
  if (!iso) return '—';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 90) return seconds + ' s ago';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min ago';
  if (seconds < 129600) return Math.round(seconds / 3600) + ' h ago';
  return new Date(iso).toLocaleDateString();
}

export const stateBadge = (state) => h('span', { class: 'state state-' + state, dataset: { state } }, state);

export function flash(element) {
  element.classList.remove('flash');
  void element.offsetWidth;
  element.classList.add('flash');
}

/** Shows the outcome of an API call: ok, pending, or the error with the device's code and the API's reason. */
export function showResult(box, outcome, text) {
  box.hidden = false;
  box.className = 'result ' + outcome;
  box.dataset.outcome = outcome;
  box.textContent = text;
}

export function describeError(error) {
  const p = error.problem || {};
  const parts = [(p.title || 'Error') + (error.status ? ' (HTTP ' + error.status + ')' : '')];
  if (p.detail) parts.push(p.detail);
  if (p.deviceCode) parts.push('device answered ' + p.deviceCode);
  return parts.join(': ');
}

export const emptyState = (text) => h('div', { class: 'empty', role: 'status' }, text);
export const errorState = (error) => h('div', { class: 'error-state', role: 'alert' }, describeError(error));
export const loading = () => h('p', { class: 'muted', role: 'status' }, 'Loading…');
