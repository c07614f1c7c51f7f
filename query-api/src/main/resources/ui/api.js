// The query API client. The bearer token lives in sessionStorage (this tab only, gone when the tab closes), is sent
// only to this origin's /api/ paths, and never appears in a URL.

const TOKEN_KEY = 'vigil.token';

export const auth = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
  /** The token's claims, decoded for display only (the server validates the token; this never trusts it). */
  claims() {
    return decodeClaims(this.token());
  },
};

export function decodeClaims(token) {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** A token as pasted: trimmed, an optional 'Bearer ' prefix dropped; null unless it has the shape of a JWT. */
export function normalizeToken(pasted) {
  const t = String(pasted ?? '').trim().replace(/^Bearer\s+/i, '');
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t) ? t : null;
}

/** An answer in the API's error shape {"error":{"code","message","requestId"}}, or a transport failure (status 0). */
export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

/**
 * fetch() for an /api/ path (refuses anything else, so the token cannot be sent elsewhere). params: an object whose
 * empty values are left out. A 401 clears the token and tells the app (event 'vigil:unauthorized') to ask for one.
 */
export async function apiFetch(path, { method = 'GET', params = null, accept = 'application/json', token = auth.token() } = {}) {
  if (typeof path !== 'string' || !path.startsWith('/api/') || path.includes('//') || path.includes('\\')) {
    throw new ApiError(0, 'client', `Refusing to call ${String(path)}: not an API path of this server`);
  }
  const url = new URL(path, location.origin);
  if (url.origin !== location.origin) {
    throw new ApiError(0, 'client', 'Refusing to call another origin');
  }
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${token ?? ''}`, Accept: accept },
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new ApiError(0, 'network', `The query API cannot be reached (${e.message})`);
  }
  if (!response.ok) {
    let code = 'http_' + response.status;
    let message = `${response.status} ${response.statusText}`;
    let requestId = response.headers.get('X-Request-Id');
    try {
      const body = await response.json();
      if (body && body.error) {
        code = String(body.error.code ?? code);
        message = String(body.error.message ?? message);
        requestId = String(body.error.requestId ?? requestId);
      }
    } catch {
      // not the error shape: keep the status line
    }
    if (response.status === 401 && token === auth.token()) {
      auth.clear();
      window.dispatchEvent(new CustomEvent('vigil:unauthorized', { detail: message }));
    }
    throw new ApiError(response.status, code, message, requestId);
  }
  return response;
}

export async function getJson(path, params) {
  return (await apiFetch(path, { params })).json();
}

export async function postJson(path) {
  return (await apiFetch(path, { method: 'POST' })).json();
}

export function sessionPath(sessionId, suffix = '') {
  return '/api/v1/sessions/' + encodeURIComponent(sessionId) + suffix;
}
