// #/alerts — alert search: filters, results table, search_after paging; each alert links to its session.
import { getJson } from '../api.js';
import { el, formatTime, sessionHref, severityBadge } from '../dom.js';
import { apiParams, filterForm, pagedResults } from './common.js';

const FIELDS = [
  { name: 'q', label: 'Full text (description)', wide: true },
  { name: 'type', label: 'Type', placeholder: 'e.g. exec-into-pod' },
  { name: 'severity', label: 'Severity', kind: 'select', options: [['', 'Any'], ['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High'], ['CRITICAL', 'Critical']] },
  { name: 'identity', label: 'Identity', placeholder: 'username or subject' },
  { name: 'sessionId', label: 'Session id' },
  { name: 'from', label: 'From (UTC)', kind: 'datetime' },
  { name: 'to', label: 'To (UTC)', kind: 'datetime' },
  { name: 'size', label: 'Per page', kind: 'number', min: 1, max: 200 },
];
const DEFAULTS = { size: '25' };
const API_PARAMS = ['type', 'severity', 'identity', 'sessionId', 'from', 'to', 'q', 'size'];

export async function renderAlerts(view, params, isCurrent) {
  view.appendChild(el('h1', { text: 'Alerts' }));
  view.appendChild(filterForm('/alerts', FIELDS, params, { defaults: DEFAULTS }));
  const query = { ...DEFAULTS, ...apiParams(params, API_PARAMS) };
  const size = Math.min(200, Math.max(1, parseInt(query.size, 10) || 25));
  query.size = String(size);
  const results = el('section', { className: 'card results', attrs: { 'aria-label': 'Alerts found' } });
  view.appendChild(results);
  await pagedResults(results, {
    size,
    noun: 'alerts',
    isCurrent,
    load: async (cursor) => {
      const r = await getJson('/api/v1/alerts', { ...query, searchAfter: cursor });
      return { items: Array.isArray(r.alerts) ? r.alerts : [], total: r.total, next: r.nextSearchAfter };
    },
    draw: (alerts) => el('table', { className: 'table alerts', id: 'alerts-table' },
      el('thead', {}, el('tr', {}, ['Time (UTC)', 'Severity', 'Type', 'Identity', 'Description', 'Session'].map((h) => el('th', { text: h })))),
      el('tbody', {}, alerts.map(alertRow))),
  });
}

function alertRow(a) {
  const identity = a.identity || {};
  const sessionId = typeof a.sessionId === 'string' && a.sessionId !== '' ? a.sessionId : null;
  return el('tr', { dataset: { alertId: String(a.alertId ?? a.id ?? '') } },
    el('td', { className: 'mono nowrap', text: formatTime(a.time) }),
    el('td', {}, severityBadge(a.severity)),
    el('td', { className: 'nowrap', text: String(a.type ?? '') }),
    el('td', { text: String(identity.username ?? identity.subject ?? '—') }),
    el('td', { className: 'alert-description', text: String(a.description ?? '') }),
    el('td', {}, sessionId
      ? el('a', { href: sessionHref(sessionId), className: 'session-link', text: String(a.sessionKey ?? sessionId), title: sessionId })
      : el('span', { className: 'muted', text: String(a.sessionKey ?? '—') })));
}
