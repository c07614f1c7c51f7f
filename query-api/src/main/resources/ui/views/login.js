// Log in: the analyst pastes an OIDC bearer token once; it is checked against the API, then kept in sessionStorage.
import { apiFetch, auth, decodeClaims, normalizeToken, ApiError } from '../api.js';
import { el, notice, replace } from '../dom.js';

export function renderLogin(view, { message, onLogin }) {
  const status = el('div', { className: 'login-status' });
  const input = el('textarea', {
    id: 'token', name: 'token', rows: 5, autocomplete: 'off', spellcheck: false,
    placeholder: 'eyJhbGciOiJSUzI1NiIsImtpZCI6…',
    attrs: { 'aria-label': 'Bearer token' },
  });
  const submit = el('button', { type: 'submit', className: 'btn btn-primary', text: 'Log in' });
  const form = el('form', { className: 'card login', on: { submit: onSubmit } },
    el('h1', { text: 'Analyst console' }),
    el('p', {}, 'Paste an OIDC bearer token issued for the query API (group ',
      el('code', { text: 'vigil-analysts' }), ' sees every session; other identities only their own).'),
    el('p', { className: 'muted' }, 'In the demo: ', el('code', { text: 'cat .vigil/demo/analyst.token' }),
      '. The token stays in this browser tab (sessionStorage) and is sent only to this server\u2019s API.'),
    el('label', { htmlFor: 'token', text: 'Bearer token' }),
    input,
    el('div', { className: 'row' }, submit),
    status);
  if (message) status.appendChild(notice('info', message));
  view.appendChild(form);
  input.focus();

  function accept(token) {
    auth.set(token);
    input.value = '';
    onLogin();
  }

  async function onSubmit(event) {
    event.preventDefault();
    const token = normalizeToken(input.value);
    if (!token) {
      replace(status, notice('error', 'That is not a JWT (three base64url parts separated by dots).'));
      return;
    }
    const claims = decodeClaims(token);
    if (claims && typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
      replace(status, notice('error', 'This token has expired. Get a new one.'));
      return;
    }
    submit.disabled = true;
    replace(status, notice('info', 'Checking the token…'));
    try {
      await apiFetch('/api/v1/sessions', { params: { size: 1 }, token });
      accept(token);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        replace(status, notice('error', e.status === 401 ? `The API refused this token: ${e.message}`
          : `This identity may not use the API: ${e.message}`));
      } else if (e instanceof ApiError && e.status >= 400) {
        accept(token); // the token passed authentication; the page will show what else is wrong (e.g. 503)
      } else {
        replace(status, notice('error', `Could not check the token: ${e.message}`));
      }
    } finally {
      submit.disabled = false;
    }
  }
}
