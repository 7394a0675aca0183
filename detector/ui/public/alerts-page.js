// The alert list: filters in the URL hash, newest event time first, refreshed every few seconds.
import { api } from './api.js';

const { h, badge } = globalThis.LowslowAlertView;
const { fmtTime, fmtNumber } = globalThis.LowslowCharts;
const POLL_MS = 5_000;
const SEVERITIES = ['', 'low', 'medium', 'high', 'critical'];
const STATUSES = ['', 'open', 'acknowledged', 'resolved', 'false_positive'];

function select(name, options, value) {
  return h('select', { name }, options.map((o) => h('option', { value: o, selected: o === value }, o === '' ? 'any' : o.replace('_', ' '))));
}

/** datetime-local (UTC) ⇄ ISO 8601 for the API. */
const toInput = (iso) => (iso ? iso.slice(0, 16) : '');
const fromInput = (v) => (v ? `${v}:00Z` : '');

export function alertsPage(view, params, ctx) {
  const form = h(
    'form',
    { class: 'filters card', 'aria-label': 'filters' },
    h('label', {}, 'severity', select('severity', SEVERITIES, params.get('severity') ?? '')),
    h('label', {}, 'status', select('status', STATUSES, params.get('status') ?? '')),
    h('label', {}, 'gateway', h('input', { name: 'gateway', value: params.get('gateway') ?? '', placeholder: 'any', size: 10 })),
    h('label', {}, 'from (UTC)', h('input', { name: 'from', type: 'datetime-local', value: toInput(params.get('from')) })),
    h('label', {}, 'to (UTC)', h('input', { name: 'to', type: 'datetime-local', value: toInput(params.get('to')) })),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      const val = k === 'from' || k === 'to' ? fromInput(String(v)) : String(v).trim();
      if (val) q.set(k, val);
    }
    location.hash = `#/alerts${q.size ? `?${q}` : ''}`;
  });
  const body = h('tbody');
  const table = h(
    'div',
    { class: 'card table-wrap' },
    h(
      'table',
      { class: 'alerts' },
      h('thead', {}, h('tr', {}, h('th', {}, 'severity'), h('th', {}, 'status'), h('th', {}, 'window end (UTC)'), h('th', {}, 'key'), h('th', { class: 'num' }, 'score'), h('th', { class: 'hide-narrow' }, 'gateway'), h('th', {}, 'top reason'))),
      body,
    ),
  );
  const more = h('button', { type: 'button', hidden: true }, 'Older alerts');
  view.replaceChildren(h('h2', {}, 'Alerts'), form, table, more);

  const q = new URLSearchParams();
  for (const k of ['severity', 'status', 'gateway', 'from', 'to']) if (params.get(k)) q.set(k, params.get(k));
  const seen = new Set();
  let pages = 1;
  let first = true;

  const row = (a) =>
    h(
      'tr',
      { class: `link${!first && !seen.has(a.id) ? ' fresh' : ''}`, 'data-alert': a.id, onclick: () => (location.hash = `#/alerts/${a.id}`) },
      h('td', {}, badge(a.severity, 'sev')),
      h('td', {}, badge(a.status, 'status')),
      h('td', {}, fmtTime(a.window.end)),
      h('td', {}, h('a', { href: `#/alerts/${a.id}`, class: 'mono' }, a.key_id.slice(0, 12))),
      h('td', { class: 'num' }, fmtNumber(a.score)),
      h('td', { class: 'hide-narrow' }, a.source.gateway),
      h('td', { class: 'reason-text' }, a.reasons[0]?.text ?? ''),
    );

  async function load() {
    const all = [];
    let cursor = null;
    for (let i = 0; i < pages; i++) {
      const page = await api(`/v1/alerts?limit=50&${q}${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.alerts);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    body.replaceChildren(...(all.length ? all.map(row) : [h('tr', {}, h('td', { colspan: 7 }, 'No alerts match.'))]));
    for (const a of all) seen.add(a.id);
    first = false;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => {
    pages++;
    void ctx.guard(load());
  });
  return ctx.poll(load, POLL_MS);
}
