// #/ — session search: filters, results table, search_after paging.
import { getJson } from '../api.js';
import { el, formatCount, formatTime, sessionHref, statusBadge } from '../dom.js';
import { apiParams, chips, filterForm, pagedResults } from './common.js';

const FIELDS = [
  { name: 'q', label: 'Full text (event bodies)', placeholder: 'e.g. AKIA or "db-creds"', wide: true },
  { name: 'identity', label: 'Identity', placeholder: 'username or subject' },
  { name: 'group', label: 'Group', placeholder: 'e.g. ai-agents' },
  { name: 'namespace', label: 'Namespace' },
  { name: 'verb', label: 'Verb', placeholder: 'get, create, delete…' },
  { name: 'resource', label: 'Resource', placeholder: 'pods, secrets…' },
  { name: 'channel', label: 'Channel', kind: 'select', options: [['', 'Any'], ['KUBERNETES', 'Kubernetes'], ['LLM', 'LLM'], ['UNKNOWN', 'Unknown']] },
  { name: 'hasAlerts', label: 'Alerts', kind: 'select', options: [['', 'Any'], ['true', 'With alerts'], ['false', 'Without alerts']] },
  { name: 'status', label: 'Status', kind: 'select', options: [['', 'Any'], ['OPEN', 'Open'], ['CLOSED', 'Closed']] },
  { name: 'from', label: 'From (UTC)', kind: 'datetime' },
  { name: 'to', label: 'To (UTC)', kind: 'datetime' },
  { name: 'sort', label: 'Sort by', kind: 'select', options: [['lastEventTime', 'Last activity'], ['firstEventTime', 'Start'], ['alertCount', 'Alert count']] },
  { name: 'order', label: 'Order', kind: 'select', options: [['desc', 'Descending'], ['asc', 'Ascending']] },
  { name: 'size', label: 'Per page', kind: 'number', min: 1, max: 200 },
];
const DEFAULTS = { sort: 'lastEventTime', order: 'desc', size: '25' };
const API_PARAMS = ['identity', 'group', 'namespace', 'verb', 'resource', 'channel', 'hasAlerts', 'status', 'from', 'to', 'q', 'sort', 'order', 'size'];

export async function renderSearch(view, params, isCurrent) {
  sessionStorage.setItem('vigil.lastSearch', location.hash || '#/');
  view.appendChild(el('h1', { text: 'Sessions' }));
  view.appendChild(filterForm('/', FIELDS, params, { defaults: DEFAULTS }));
  const query = { ...DEFAULTS, ...apiParams(params, API_PARAMS) };
  const size = Math.min(200, Math.max(1, parseInt(query.size, 10) || 25));
  query.size = String(size);
  const results = el('section', { className: 'card results', attrs: { 'aria-label': 'Sessions found' } });
  view.appendChild(results);
  await pagedResults(results, {
    size,
    noun: 'sessions',
    isCurrent,
    load: async (cursor) => {
      const r = await getJson('/api/v1/sessions', { ...query, searchAfter: cursor });
      return { items: Array.isArray(r.sessions) ? r.sessions : [], total: r.total, next: r.nextSearchAfter };
    },
    draw: sessionTable,
  });
}

function sessionTable(sessions) {
  return el('table', { className: 'table sessions', id: 'sessions-table' },
    el('thead', {}, el('tr', {}, ['Last activity (UTC)', 'Identity', 'Session', 'Status', 'Events', 'Denied', 'Alerts',
      'Namespaces', 'Verbs', 'Channels'].map((h) => el('th', { text: h })))),
    el('tbody', {}, sessions.map(sessionRow)));
}

function sessionRow(s) {
  const id = String(s.sessionId ?? s.id ?? '');
  const identity = s.identity || {};
  const link = el('a', { href: sessionHref(id), className: 'session-link', text: String(s.sessionKey ?? id), title: id });
  const row = el('tr', { className: 'clickable', dataset: { sessionId: id } },
    el('td', { className: 'nowrap mono', text: formatTime(s.lastEventTime) }),
    el('td', {}, el('div', { text: String(identity.username ?? identity.subject ?? '—') }),
      Array.isArray(identity.groups) && identity.groups.length
        ? el('div', { className: 'muted small', text: identity.groups.join(', ') }) : null),
    el('td', {}, link),
    el('td', {}, statusBadge(s.status)),
    el('td', { className: 'num', text: formatCount(s.eventCount) }),
    el('td', { className: 'num' + (s.deniedCount > 0 ? ' denied' : ''), text: formatCount(s.deniedCount) }),
    el('td', { className: 'num' }, s.alertCount > 0
      ? el('span', { className: 'badge sev-high', text: formatCount(s.alertCount) })
      : el('span', { className: 'muted', text: '0' })),
    el('td', {}, chips(s.namespaces, s.countsByNamespace)),
    el('td', {}, chips(s.verbs, s.countsByVerb)),
    el('td', {}, chips(s.channels, s.countsByChannel)));
  row.addEventListener('click', (e) => {
    if (e.target.closest('a')) return;
    location.hash = sessionHref(id);
  });
  return row;
}
