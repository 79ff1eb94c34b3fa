// The HTTP API as the console uses it: same-origin cookie session, CSRF token on writes, problem+json errors.
let csrfToken = null;
let onSignedOut = () => {};

export function setCsrfToken(token) { csrfToken = token; }
export function whenSignedOut(callback) { onSignedOut = callback; }

/** An API error carrying the problem+json body (status, title, detail and extras such as deviceCode). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

export async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { title: 'Network error', detail: 'the platform cannot be reached: ' + e.message });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { detail: text }; }
  if (!response.ok) {
    const problem = json || { title: response.statusText };
    if (response.status === 401 && path !== '/api/session') onSignedOut(problem);
    throw new ApiError(response.status, problem);
  }
  return json;
}

/**
 * Sends a file (or any Blob) as the raw request body with XMLHttpRequest, so that the page can show how much of it has
 * gone: onProgress(sentBytes, totalBytes). Answers the JSON reply; fails with an ApiError like api().
 */
export function upload(path, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrfToken) request.setRequestHeader('X-CSRF-Token', csrfToken);
    request.upload.addEventListener('progress', (event) => { if (onProgress) onProgress(event.loaded, event.total || blob.size); });
    request.addEventListener('error', () => reject(new ApiError(0, { title: 'Network error',
      detail: 'the upload did not reach the platform (or the platform closed the connection)' })));
    request.addEventListener('load', () => {
      let json = null;
      try { json = request.responseText ? JSON.parse(request.responseText) : null; } catch (e) { json = { detail: request.responseText }; }
      if (request.status >= 200 && request.status < 300) { resolve(json); return; }
      const problem = json || { title: request.statusText };
      if (request.status === 401) onSignedOut(problem);
      reject(new ApiError(request.status, problem));
    });
    request.send(blob);
  });
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
