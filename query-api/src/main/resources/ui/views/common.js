// Pieces shared by the search pages: a filter form bound to the route's query string, and a search_after pager.
import { el, notice, replace, formatCount } from '../dom.js';

/**
 * A filter form. fields: [{name, label, kind: 'text'|'select'|'datetime'|'number', options: [[value, label]…],
 * placeholder, min, max, wide}]. Values come from params (URLSearchParams of the route); on submit the route becomes
 * `${base}?<non-empty values>` (datetime fields as ISO-8601 UTC).
 */
export function filterForm(base, fields, params, { defaults = {} } = {}) {
  const controls = {};
  const items = fields.map((f) => {
    const id = 'f-' + f.name;
    let control;
    const current = params.get(f.name) ?? defaults[f.name] ?? '';
    if (f.kind === 'select') {
      control = el('select', { id, name: f.name },
        f.options.map(([value, label]) => el('option', { value, text: label, selected: value === current })));
    } else if (f.kind === 'datetime') {
      control = el('input', { id, name: f.name, type: 'datetime-local', value: isoToLocalInput(current) });
    } else {
      control = el('input', {
        id, name: f.name, type: f.kind === 'number' ? 'number' : 'search', value: current,
        placeholder: f.placeholder ?? '', autocomplete: 'off', spellcheck: false, min: f.min, max: f.max,
      });
    }
    controls[f.name] = { control, field: f };
    return el('div', { className: 'field' + (f.wide ? ' field-wide' : '') }, el('label', { htmlFor: id, text: f.label }), control);
  });
  const form = el('form', { className: 'card filters', attrs: { role: 'search' } },
    el('div', { className: 'fields' }, items),
    el('div', { className: 'row' },
      el('button', { type: 'submit', className: 'btn btn-primary', id: 'search-submit', text: 'Search' }),
      el('button', { type: 'button', className: 'btn btn-quiet', text: 'Clear filters', on: { click: () => go(base, new URLSearchParams()) } })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const out = new URLSearchParams();
    for (const [name, { control, field }] of Object.entries(controls)) {
      let value = control.value.trim();
      if (field.kind === 'datetime' && value) value = localInputToIso(value);
      if (value !== '' && value !== (defaults[name] ?? '')) out.set(name, value);
    }
    go(base, out);
  });
  return form;
}

/** Navigates to base?params; re-renders even when the hash does not change (the same search again). */
export function go(base, params) {
  const query = params.toString();
  const target = '#' + base + (query ? '?' + query : '');
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

// datetime-local inputs are read and written as UTC, like every time this console shows.
function isoToLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

function localInputToIso(value) {
  const d = new Date(value + (value.length === 16 ? ':00Z' : 'Z'));
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** The API parameters of a route: the listed names only, non-empty. */
export function apiParams(params, names) {
  const out = {};
  for (const name of names) {
    const v = params.get(name);
    if (v !== null && v !== '') out[name] = v;
  }
  return out;
}

/**
 * A result list with search_after paging: load(cursor) → {items, total, next}; draw(items) → node. Keeps the cursors of
 * the pages seen so 'Previous' goes back without the server keeping state.
 */
export function pagedResults(container, { load, draw, size, noun, isCurrent }) {
  const cursors = [null];
  let page = 0;
  const status = el('div', { className: 'pager-status', attrs: { 'aria-live': 'polite' } });
  const prev = el('button', { type: 'button', className: 'btn', id: 'page-prev', text: '\u2190 Previous', disabled: true });
  const next = el('button', { type: 'button', className: 'btn', id: 'page-next', text: 'Next \u2192', disabled: true });
  const body = el('div', { className: 'results-body' });
  const pager = el('div', { className: 'pager' }, prev, status, next);
  container.append(body, pager);
  prev.addEventListener('click', () => { if (page > 0) { page -= 1; show(); } });
  next.addEventListener('click', () => { if (cursors[page + 1]) { page += 1; show(); } });

  async function show() {
    prev.disabled = true;
    next.disabled = true;
    body.classList.add('loading');
    let result;
    try {
      result = await load(cursors[page]);
    } catch (e) {
      if (isCurrent()) replace(body, notice('error', e.message));
      body.classList.remove('loading');
      return;
    }
    if (!isCurrent()) return;
    body.classList.remove('loading');
    const { items, total, next: cursor } = result;
    cursors[page + 1] = cursor ?? null;
    cursors.length = page + 2;
    if (items.length === 0) {
      replace(body, notice('info', page === 0 ? `No ${noun} match these filters.` : `No more ${noun}.`));
    } else {
      replace(body, draw(items));
    }
    const first = page * size + 1;
    const last = page * size + items.length;
    status.textContent = items.length === 0 ? `Page ${page + 1}`
      : `Page ${page + 1} · ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} ${noun}`;
    prev.disabled = page === 0;
    next.disabled = !cursor || items.length === 0;
  }
  return show();
}

/** Chips 'payments 12' for a countsBy* object, or for a plain list. */
export function chips(values, counts) {
  const list = Array.isArray(values) ? values : Object.keys(counts || {});
  if (list.length === 0) return el('span', { className: 'muted', text: '—' });
  return el('span', { className: 'chips' }, list.map((v) => el('span', { className: 'chip' }, String(v),
    counts && typeof counts[v] === 'number' ? el('span', { className: 'chip-count', text: formatCount(counts[v]) }) : null)));
}
