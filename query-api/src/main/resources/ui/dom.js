// DOM helpers. Everything the API returns is recorded content, i.e. attacker-controlled: it is only ever put into the
// page as text (text nodes / textContent), never parsed as HTML. This module is the one place that builds elements,
// and it refuses the attributes through which text could become code (event handlers, style, srcdoc, foreign URLs).

const FORBIDDEN_ATTRIBUTE = /^(on|style$|srcdoc$|formaction$|xlink:|src$)/i;

/**
 * Creates an element. props: className, text, title, href ('#…' routes, same-origin '/…' paths or blob: URLs only),
 * attrs {name: value}, dataset {key: value}, on {event: handler}, and any plain DOM property for form controls
 * (type, value, name, placeholder, checked, disabled, hidden, htmlFor, min, max, step, autocomplete, spellcheck, rows).
 * children: nodes, strings (become text nodes), arrays, null/undefined/false (skipped).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'className': node.className = value; break;
      case 'text': node.textContent = visible(String(value)); break;
      case 'title': node.title = visible(String(value)); break;
      case 'href': node.setAttribute('href', safeHref(value)); break;
      case 'attrs':
        for (const [name, v] of Object.entries(value)) {
          if (FORBIDDEN_ATTRIBUTE.test(name)) throw new Error(`attribute ${name} is not allowed`);
          node.setAttribute(name, String(v));
        }
        break;
      case 'dataset':
        for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
        break;
      case 'on':
        for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
        break;
      case 'type': case 'value': case 'name': case 'placeholder': case 'checked': case 'disabled': case 'hidden':
      case 'htmlFor': case 'min': case 'max': case 'step': case 'autocomplete': case 'spellcheck': case 'rows':
      case 'id': case 'download': case 'open': case 'selected': case 'required': case 'maxLength':
        node[key] = value;
        break;
      default:
        throw new Error(`unknown property ${key}`);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(visible(String(child))));
  }
}

/** Only in-app routes, same-origin paths and blob: downloads; anything else (javascript:, data:, other hosts) → '#'. */
export function safeHref(value) {
  const s = String(value);
  if (s.startsWith('#') || (s.startsWith('/') && !s.startsWith('//')) || s.startsWith('blob:' + location.origin)) {
    return s;
  }
  return '#';
}

// C0/C1 controls (but tab, newline and carriage return) and Unicode bidi/invisible format characters are shown as \u{…} escapes, so
// recorded text cannot reorder or hide what the analyst reads ("Trojan Source").
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Recorded text made safe to read: invisible and direction-changing characters become visible escapes. */
export function visible(text) {
  return text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
}

/** Replaces the children of node. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** '2025-05-05T10:00:01.234Z' → '2025-05-05 10:00:01.234Z' (UTC); anything unparsable is shown as given. */
export function formatTime(iso) {
  if (iso === undefined || iso === null || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ');
}

/** Milliseconds → '1h 02m', '3m 05s', '4.2s'. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatCount(n) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : '—';
}

/** A severity badge (LOW/MEDIUM/HIGH/CRITICAL; anything else is shown neutral). */
export function severityBadge(severity, label) {
  const known = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  const s = known.includes(severity) ? severity.toLowerCase() : 'unknown';
  return el('span', { className: `badge sev-${s}`, text: label ?? String(severity ?? '?') });
}

export function statusBadge(status) {
  const s = status === 'OPEN' ? 'open' : status === 'CLOSED' ? 'closed' : 'unknown';
  return el('span', { className: `badge status-${s}`, text: String(status ?? 'UNKNOWN') });
}

/** A message box: kind = 'info' | 'error' | 'ok' | 'warn'. */
export function notice(kind, ...children) {
  return el('div', { className: `notice notice-${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, ...children);
}

/** The route hash for a session page. Session ids contain '/', '#', '@'…: always encoded. */
export function sessionHref(sessionId) {
  return '#/session/' + encodeURIComponent(sessionId);
}
