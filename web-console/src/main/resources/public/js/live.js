// The live change feed: one EventSource for the whole console. Each event's id is its sequence number; when the
// connection drops the console shows "reconnecting" and resumes from the last sequence it saw (Last-Event-ID on the
// browser's own retry, ?since= when it reconnects by itself), so no change is missed or seen twice.
const listeners = new Set();
let source = null;
let lastSequence = null;
let retryDelay = 2500;
let retryTimer = null;
let stopped = true;

export function onChange(listener) { listeners.add(listener); return () => listeners.delete(listener); }
export function lastSeen() { return lastSequence; }

function setStatus(state, text) {
  const badge = document.getElementById('live-status');
  badge.hidden = false;
  badge.dataset.state = state;
  badge.textContent = text;
}

function deliver(kind, message) {
  const sequence = Number(message.lastEventId);
  if (lastSequence !== null && sequence <= lastSequence) return;
  lastSequence = sequence;
  const data = JSON.parse(message.data);
  for (const listener of listeners) {
    try { listener(kind, data); } catch (e) { console.warn('live listener failed', e); }
  }
}

export function start(fromSequence) {
  stopped = false;
  if (fromSequence !== undefined && fromSequence !== null && lastSequence === null) lastSequence = fromSequence;
  connect();
}

export function stop() {
  stopped = true;
  clearTimeout(retryTimer);
  if (source) source.close();
  source = null;
  const badge = document.getElementById('live-status');
  badge.hidden = true;
}

function connect() {
  if (stopped) return;
  const url = '/api/events' + (lastSequence === null ? '' : '?since=' + lastSequence);
  source = new EventSource(url);
  for (const kind of ['value', 'device', 'command', 'desired', 'entity', 'edge', 'firmware']) {
    source.addEventListener(kind, (message) => deliver(kind, message));
  }
  source.addEventListener('open', () => { retryDelay = 2500; setStatus('live', 'live'); });
  source.addEventListener('error', () => {
    // Reconnect ourselves (from the last sequence) so that the wait and the state are visible and bounded.
    source.close();
    if (stopped) return;
    setStatus('reconnecting', 'reconnecting…');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  });
  if (document.getElementById('live-status').dataset.state !== 'reconnecting') setStatus('connecting', 'connecting…');
}
