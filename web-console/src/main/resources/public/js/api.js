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

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
