// The analyst console: hash routes #/ (session search), #/session/<id> (one session), #/alerts (alert search).
import { auth } from './api.js';
import { el, replace, notice } from './dom.js';
import { renderLogin } from './views/login.js';
import { renderSearch } from './views/search.js';
import { renderSession } from './views/session.js';
import { renderAlerts } from './views/alerts.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const whoami = document.getElementById('whoami');
const logout = document.getElementById('logout');

let renderCount = 0;

/** The current route: {name, params (URLSearchParams), arg}. */
export function currentRoute() {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : '';
  const [path, query = ''] = hash.split('?', 2);
  const params = new URLSearchParams(query);
  if (path.startsWith('/session/')) {
    let id = path.slice('/session/'.length);
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep it as typed
    }
    return { name: 'session', params, arg: id };
  }
  if (path === '/alerts') return { name: 'alerts', params };
  return { name: 'search', params };
}

function showIdentity() {
  const claims = auth.claims();
  const signedIn = Boolean(auth.token());
  nav.hidden = !signedIn;
  logout.hidden = !signedIn;
  if (!signedIn || !claims) {
    replace(whoami);
    return;
  }
  const name = claims.preferred_username ?? claims.username ?? claims.sub ?? '?';
  const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
  replace(whoami, el('span', { text: String(name), title: `subject ${String(claims.sub ?? '?')}` }),
    exp ? el('span', { className: 'muted', text: ` · token until ${exp.toISOString().slice(0, 16).replace('T', ' ')}Z` }) : null);
}

async function render(message) {
  const mine = ++renderCount;
  const isCurrent = () => mine === renderCount;
  showIdentity();
  const route = currentRoute();
  for (const a of nav.querySelectorAll('a')) {
    a.classList.toggle('active', a.dataset.nav === (route.name === 'alerts' ? 'alerts' : 'search'));
  }
  const view = el('div', { className: 'view' });
  replace(main, view);
  if (!auth.token()) {
    renderLogin(view, { message, onLogin: () => render() });
    return;
  }
  try {
    if (route.name === 'session') await renderSession(view, route.arg, isCurrent);
    else if (route.name === 'alerts') await renderAlerts(view, route.params, isCurrent);
    else await renderSearch(view, route.params, isCurrent);
  } catch (e) {
    if (isCurrent() && auth.token()) {
      view.appendChild(notice('error', String(e.message ?? e)));
    }
  }
}

logout.addEventListener('click', () => {
  auth.clear();
  render('Logged out.');
});
window.addEventListener('hashchange', () => render());
window.addEventListener('vigil:unauthorized', (e) => render(`The API refused the token (${e.detail}). Paste a valid one.`));
render();
