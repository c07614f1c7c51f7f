// #/session/<id> — one session: summary, alerts, the interleaved timeline (/transcript) with exec replays, integrity
// check (POST verify), NDJSON export and the stored events.
import { apiFetch, getJson, postJson, sessionPath, ApiError } from '../api.js';
import { createPlayer } from '../player.js';
import {
  el, formatCount, formatDuration, formatTime, notice, replace, severityBadge, statusBadge,
} from '../dom.js';
import { chips } from './common.js';

const STEP_LABELS = {
  kubernetes: 'Kubernetes', denied: 'Denied', stream: 'Stream', alert: 'Alert', gap: 'Recording gap',
  'llm-prompt': 'LLM prompt', 'llm-reply': 'LLM reply', 'tool-use': 'Tool use',
};
const DETAIL_INLINE_CHARS = 240;

export async function renderSession(view, sessionId, isCurrent) {
  view.appendChild(el('div', { className: 'crumbs' },
    el('a', { href: lastSearch(), text: '\u2190 Sessions' }), ' / ',
    el('span', { className: 'mono', text: sessionId })));
  const loading = notice('info', 'Loading the session…');
  view.appendChild(loading);

  let detail;
  let transcript;
  try {
    [detail, transcript] = await Promise.all([
      getJson(sessionPath(sessionId)),
      getJson(sessionPath(sessionId, '/transcript')),
    ]);
  } catch (e) {
    if (!isCurrent()) return;
    loading.replaceWith(notice('error', e instanceof ApiError && e.status === 404
      ? `No session ${sessionId} (or not visible to you).` : `Cannot load the session: ${e.message}`));
    return;
  }
  if (!isCurrent()) return;
  loading.remove();

  const session = detail.session || transcript.session || {};
  const alerts = Array.isArray(detail.alerts) ? detail.alerts : [];
  const alertsById = new Map(alerts.map((a) => [String(a.alertId ?? a.id), a]));
  const steps = Array.isArray(transcript.steps) ? transcript.steps : [];

  view.append(
    summaryCard(session, sessionId),
    alertsCard(alerts),
    timelineCard(steps, alertsById),
    eventsCard(Array.isArray(detail.events) ? detail.events : [], Boolean(detail.eventsTruncated)),
  );
}

/** The search the analyst came from (its filters), kept by the search page. */
function lastSearch() {
  const h = sessionStorage.getItem('vigil.lastSearch');
  return h && h.startsWith('#/') && !h.startsWith('#/session/') ? h : '#/';
}

// --- summary, verify, export ----------------------------------------------------------------------------------------

function summaryCard(s, sessionId) {
  const identity = s.identity || {};
  const first = Date.parse(s.firstEventTime);
  const last = Date.parse(s.lastEventTime);
  const facts = [
    ['Identity', el('span', {}, String(identity.username ?? '—'),
      identity.subject && identity.subject !== identity.username ? el('span', { className: 'muted', text: ` (subject ${identity.subject})` }) : null)],
    ['Groups', chips(Array.isArray(identity.groups) ? identity.groups : [])],
    ['Issuer', el('span', { className: 'mono small', text: String(identity.issuer ?? '—') })],
    ['Session key', el('span', { className: 'mono', text: String(s.sessionKey ?? '—') })],
    ['Status', statusBadge(s.status)],
    ['First event', el('span', { className: 'mono', text: formatTime(s.firstEventTime) })],
    ['Last event', el('span', { className: 'mono', text: formatTime(s.lastEventTime) })],
    ['Duration', el('span', { text: Number.isFinite(first) && Number.isFinite(last) ? formatDuration(last - first) : '—' })],
    ['Events', el('span', { text: formatCount(s.eventCount) })],
    ['Denied', el('span', { className: s.deniedCount > 0 ? 'denied' : '', text: formatCount(s.deniedCount) })],
    ['Alerts', el('span', { text: formatCount(s.alertCount) })],
    ['Duplicates skipped', el('span', { text: formatCount(s.duplicatesSkipped) })],
    ['Namespaces', chips(s.namespaces, s.countsByNamespace)],
    ['Verbs', chips(s.verbs, s.countsByVerb)],
    ['Resources', chips(s.resources, s.countsByResource)],
    ['Channels', chips(s.channels, s.countsByChannel)],
    ['Head digest', el('span', { className: 'mono small break', text: String(s.headDigest ?? '—') })],
    ['Signature', el('span', { className: 'small', text: s.signature ? `Ed25519, key ${String(s.signingKeyId ?? '?')}` : 'not signed (yet)' })],
  ];
  const verifyResult = el('div', { id: 'verify-result', className: 'verify-result', attrs: { 'aria-live': 'polite' } });
  const verifyBtn = el('button', { type: 'button', className: 'btn btn-primary', id: 'verify', text: 'Verify integrity' });
  verifyBtn.addEventListener('click', async () => {
    verifyBtn.disabled = true;
    replace(verifyResult, notice('info', 'Recomputing the hash chain from the stored events…'));
    try {
      showVerification(verifyResult, await postJson(sessionPath(sessionId, '/verify')));
    } catch (e) {
      replace(verifyResult, notice('error', `Verification failed to run: ${e.message}`));
    } finally {
      verifyBtn.disabled = false;
    }
  });
  const exportLink = el('a', { href: '#', className: 'btn', id: 'export', text: 'Export NDJSON' });
  exportLink.addEventListener('click', (event) => {
    event.preventDefault();
    exportSession(sessionId, exportLink, verifyResult);
  });
  return el('section', { className: 'card summary' },
    el('div', { className: 'summary-head' },
      el('h1', {}, 'Session ', el('span', { className: 'mono', id: 'session-title', text: String(s.sessionKey ?? sessionId) })),
      el('div', { className: 'actions' }, verifyBtn, exportLink)),
    verifyResult,
    el('dl', { className: 'facts' }, facts.map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)])));
}

function showVerification(box, r) {
  box.dataset.verified = String(Boolean(r.verified));
  const lines = [
    `${formatCount(r.eventCount)} events; head digest ${String(r.headDigest ?? '—')}`,
    r.computedHead && r.computedHead !== r.headDigest ? `computed head ${String(r.computedHead)}` : null,
    r.signatureValid === true ? 'Signature valid.' : r.signatureValid === false ? 'Signature INVALID.' : 'No signature checked.',
    r.reason ? String(r.reason) : null,
  ].filter(Boolean);
  if (r.verified) {
    replace(box, notice('ok', el('strong', { text: '\u2713 Verified' }), r.signatureValid === true
      ? ' — the stored events match the signed hash chain.' : ' — the stored events match the summary\u2019s hash chain (not signed yet).',
      el('div', { className: 'small mono break' }, lines.join(' · '))));
  } else {
    replace(box, notice('error', el('strong', { text: '\u2717 Not verified' }),
      r.firstDivergentIndex !== null && r.firstDivergentIndex !== undefined
        ? el('span', {}, ' — first divergent event: #', String(r.firstDivergentIndex),
          r.firstDivergentEventId ? el('span', {}, ' (', el('span', { className: 'mono', text: String(r.firstDivergentEventId) }), ')') : null)
        : ' — the stored events do not match the chain.',
      el('div', { className: 'small mono break' }, lines.join(' · '))));
    const id = r.firstDivergentEventId ? String(r.firstDivergentEventId) : null;
    if (id) {
      for (const row of document.querySelectorAll('tr[data-event-id]')) {
        if (row.dataset.eventId === id) row.classList.add('divergent');
      }
    }
  }
}

async function exportSession(sessionId, link, box) {
  link.classList.add('busy');
  try {
    const response = await apiFetch(sessionPath(sessionId, '/export'), { accept: 'application/x-ndjson' });
    const blob = new Blob([await response.blob()], { type: 'application/x-ndjson' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: sessionId.replace(/[^A-Za-z0-9._-]+/g, '_') + '.ndjson' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    replace(box, notice('error', `Export failed: ${e.message}`));
  } finally {
    link.classList.remove('busy');
  }
}

// --- alerts ---------------------------------------------------------------------------------------------------------

function alertsCard(alerts) {
  const card = el('section', { className: 'card', id: 'session-alerts' }, el('h2', {}, 'Alerts ', el('span', { className: 'muted', text: `(${alerts.length})` })));
  if (alerts.length === 0) {
    card.appendChild(el('p', { className: 'muted', text: 'No alert for this session.' }));
    return card;
  }
  card.appendChild(el('div', { className: 'alert-badges' }, alerts.map((a) => {
    const badge = severityBadge(a.severity, `${String(a.severity ?? '?')} · ${String(a.type ?? 'alert')}`);
    badge.classList.add('clickable');
    badge.title = 'Show in the timeline';
    badge.addEventListener('click', () => scrollToAlert(String(a.alertId ?? a.id)));
    return badge;
  })));
  card.appendChild(el('ul', { className: 'alert-list' }, alerts.map((a) => el('li', { className: 'alert-item', dataset: { alertId: String(a.alertId ?? a.id) } },
    severityBadge(a.severity),
    el('strong', { text: ` ${String(a.type ?? 'alert')} ` }),
    el('span', { className: 'muted mono small', text: formatTime(a.time) }),
    el('div', { className: 'alert-description', text: String(a.description ?? '') }),
    Array.isArray(a.evidenceEventIds) && a.evidenceEventIds.length
      ? el('div', { className: 'small muted' }, 'Evidence: ', a.evidenceEventIds.map((id, i) => [i ? ', ' : '', el('span', { className: 'mono', text: String(id) })]))
      : null,
    attributesList(a.attributes)))));
  return card;
}

function attributesList(attributes) {
  if (!attributes || typeof attributes !== 'object') return null;
  const entries = Object.entries(attributes);
  if (entries.length === 0) return null;
  return el('div', { className: 'small' }, entries.map(([k, v]) => el('span', { className: 'chip' }, String(k), ': ',
    el('span', { className: 'mono', text: typeof v === 'string' ? v : JSON.stringify(v) }))));
}

function scrollToAlert(alertId) {
  for (const li of document.querySelectorAll('li.step[data-alert-ids]')) {
    if (li.dataset.alertIds.split(' ').includes(alertId)) {
      li.scrollIntoView({ behavior: 'smooth', block: 'center' });
      li.classList.add('flash');
      setTimeout(() => li.classList.remove('flash'), 1500);
      return;
    }
  }
}

// --- timeline -------------------------------------------------------------------------------------------------------

function timelineCard(steps, alertsById) {
  const card = el('section', { className: 'card', id: 'timeline' },
    el('h2', {}, 'Timeline ', el('span', { className: 'muted', text: `(${steps.length} steps, UTC)` })));
  if (steps.length === 0) {
    card.appendChild(el('p', { className: 'muted', text: 'No step recorded.' }));
    return card;
  }
  card.appendChild(el('ol', { className: 'timeline' }, steps.map((s) => stepItem(s, alertsById))));
  return card;
}

function stepItem(step, alertsById) {
  const kind = Object.hasOwn(STEP_LABELS, step.kind) ? step.kind : 'other';
  const alertIds = Array.isArray(step.alertIds) ? step.alertIds.map(String) : [];
  const li = el('li', { className: `step step-${kind}`, dataset: { kind } });
  if (alertIds.length) li.dataset.alertIds = alertIds.join(' ');
  const time = formatTime(step.time);
  li.append(
    el('div', { className: 'step-time mono', title: time, text: time.length > 11 ? time.slice(11) : time }),
    el('div', { className: 'step-marker' }),
  );
  const body = el('div', { className: 'step-body' });
  li.appendChild(body);
  body.appendChild(el('div', { className: 'step-head' },
    el('span', { className: `kind kind-${kind}`, text: STEP_LABELS[kind] ?? String(step.kind ?? '?') }),
    el('span', { className: 'step-title', text: String(step.title ?? '') }),
    step.status !== null && step.status !== undefined
      ? el('span', { className: `http http-${String(step.status).charAt(0)}xx`, text: String(step.status) }) : null,
    alertIds.map((id) => {
      const a = alertsById.get(id);
      return a ? severityBadge(a.severity, `${String(a.severity)} · ${String(a.type)}`) : el('span', { className: 'badge sev-unknown', text: 'alert' });
    })));
  const d = step.decision;
  // the decision line only when it says something beyond a plain ALLOW
  if (d && typeof d === 'object' && ((d.effect && d.effect !== 'ALLOW') || d.ruleId || d.reason)) {
    body.appendChild(el('div', { className: `decision decision-${d.effect === 'DENY' ? 'deny' : 'allow'}` },
      el('strong', { text: String(d.effect ?? '?') }),
      d.ruleId ? el('span', {}, ' · rule ', el('span', { className: 'mono', text: String(d.ruleId) })) : null,
      d.reason ? el('span', { text: ` · ${String(d.reason)}` }) : null));
  }
  if (typeof step.detail === 'string' && step.detail !== '') body.appendChild(detailBlock(step.detail));
  if (typeof step.execReplay === 'string' && step.execReplay.startsWith('/api/v1/sessions/')) {
    const slot = el('div', { className: 'replay-slot' });
    const btn = el('button', { type: 'button', className: 'btn replay-button', text: '\u25B6 Replay terminal' });
    btn.addEventListener('click', () => {
      const open = slot.firstChild;
      if (open) {
        open.destroy?.();
        replace(slot);
        btn.textContent = '\u25B6 Replay terminal';
        return;
      }
      slot.appendChild(createPlayer(step.execReplay, { title: `Replay: ${String(step.title ?? 'exec')}` }));
      btn.textContent = 'Close replay';
    });
    body.append(el('div', { className: 'row' }, btn), slot);
  }
  return li;
}

function detailBlock(text) {
  const lines = text.split('\n');
  if (text.length <= DETAIL_INLINE_CHARS && lines.length <= 4) {
    return el('pre', { className: 'detail', text });
  }
  const summary = lines[0].length > 120 ? lines[0].slice(0, 120) + '…' : lines[0];
  return el('details', { className: 'detail-more' },
    el('summary', {}, el('span', { className: 'mono', text: summary }), el('span', { className: 'muted', text: `  (${formatCount(text.length)} chars)` })),
    el('pre', { className: 'detail', text }));
}

// --- stored events --------------------------------------------------------------------------------------------------

function eventsCard(events, truncated) {
  const card = el('section', { className: 'card' });
  const details = el('details', { id: 'events' },
    el('summary', {}, el('h2', { className: 'inline' }, 'Stored events ', el('span', { className: 'muted', text: `(${events.length}${truncated ? '+' : ''})` }))));
  card.appendChild(details);
  if (truncated) details.appendChild(notice('warn', 'Only the first events are shown; export the session for all of them.'));
  details.appendChild(el('table', { className: 'table events' },
    el('thead', {}, el('tr', {}, ['Partition/offset', 'Time (UTC)', 'Type', 'Request', 'Kubernetes', 'Outcome', 'Body']
      .map((h) => el('th', { text: h })))),
    el('tbody', {}, events.map(eventRow))));
  return card;
}

function eventRow(e) {
  const k = e.k8s || {};
  const kafka = e.kafka || {};
  const outcome = e.decision ? `${String(e.decision.effect ?? '')}${e.decision.ruleId ? ' ' + String(e.decision.ruleId) : ''}`
    : e.status !== undefined ? String(e.status) : e.frame ? `${String(e.frame.stream ?? '')} ${String(e.frame.direction ?? '')} #${String(e.frame.frameIndex ?? '')}` : '';
  const body = e.body && typeof e.body.content === 'string' ? e.body.content : null;
  return el('tr', { dataset: { eventId: String(e.eventId ?? e.id ?? '') }, className: e.decision?.effect === 'DENY' ? 'row-denied' : '' },
    el('td', { className: 'mono nowrap', text: `${String(kafka.partition ?? '?')}/${String(kafka.offset ?? '?')}` }),
    el('td', { className: 'mono nowrap', text: formatTime(e.time) }),
    el('td', { text: String(e.type ?? '') }),
    el('td', { className: 'mono small break', text: `${String(e.method ?? '')} ${String(e.path ?? '')}` }),
    el('td', { className: 'small', text: [k.verb, k.resource, k.subresource, k.namespace, k.name].filter(Boolean).map(String).join(' ') }),
    el('td', { className: 'small', text: outcome }),
    el('td', {}, body === null ? el('span', { className: 'muted', text: '—' })
      : el('details', {}, el('summary', { text: `${formatCount(body.length)} chars${e.bodyTruncated ? ' (truncated)' : ''}` }),
        el('pre', { className: 'detail', text: body }))));
}
