// Keys ranked by risk (the score of their latest window), and one key's profile.
import { api, keyProfile } from './api.js';

const { h, badge } = globalThis.LowslowAlertView;
const C = globalThis.LowslowCharts;

export function keysPage(view, ctx) {
  const canvas = h('canvas', { role: 'img', 'aria-label': 'keys ranked by risk' });
  const body = h('tbody');
  view.replaceChildren(
    h('h2', {}, 'Keys by risk'),
    h('section', { class: 'card' }, h('h3', {}, 'Latest window score, top 20'), h('div', { class: 'chart' }, canvas)),
    h('div', { class: 'card table-wrap' }, h('table', { class: 'keys' }, h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'key'), h('th', { class: 'num' }, 'score'), h('th', {}, 'latest window end (UTC)'))), body)),
  );
  let chart = null;
  async function load() {
    const { keys } = await api('/v1/keys?limit=100');
    chart?.destroy();
    chart = C.risk(canvas, keys.slice(0, 20));
    body.replaceChildren(
      ...keys.map((k, i) =>
        h('tr', { class: 'link', 'data-key': k.key_id, onclick: () => (location.hash = `#/keys/${k.key_id}`) }, h('td', {}, i + 1), h('td', {}, h('a', { class: 'mono', href: `#/keys/${k.key_id}` }, k.key_id)), h('td', { class: 'num' }, C.fmtNumber(k.score)), h('td', {}, C.fmtTime(k.window_end))),
      ),
    );
  }
  const stop = ctx.poll(load, 15_000);
  return () => {
    stop();
    chart?.destroy();
  };
}

export function keyPage(view, keyId, ctx) {
  const charts = [];
  view.replaceChildren(h('p', {}, h('a', { href: '#/keys' }, '← all keys')), h('h2', {}, 'key ', h('code', {}, keyId)));
  async function load() {
    const [profile, alerts] = await Promise.all([keyProfile(keyId), api(`/v1/alerts?key_id=${keyId}&limit=20`)]);
    if (!profile) {
      view.append(h('div', { class: 'message' }, 'This key has no profile.'));
      return;
    }
    const card = (title, height, cls) => {
      const canvas = h('canvas', { role: 'img', 'aria-label': title });
      const el = h('section', { class: `card ${cls}` }, h('h3', {}, title), h('div', { class: 'chart', style: `height:${height}px` }, canvas));
      return { el, canvas };
    };
    const tl = card('Window scores', 240, 'wide');
    const hm = card('Hour of week (UTC): usual activity', 220, 'wide');
    const rt = card('Usual routes', 200, 'wide');
    const facts = h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Profile'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'first seen'),
        h('dd', {}, profile.first_seen ? C.fmtTime(profile.first_seen) : '—'),
        h('dt', {}, 'windows'),
        h('dd', {}, profile.windows),
        h('dt', {}, 'usual requests / window'),
        h('dd', {}, C.fmtNumber(profile.usual.requests)),
        h('dt', {}, 'user agents'),
        h('dd', {}, profile.user_agents),
        h('dt', {}, 'networks'),
        h('dd', {}, profile.networks.map((n) => `${n.network} (${Math.round(n.share * 100)} %)`).join(', ') || '—'),
      ),
    );
    const list = h(
      'section',
      { class: 'card' },
      h('h3', {}, 'Alerts of this key'),
      alerts.alerts.length ? h('ul', { class: 'ids' }, alerts.alerts.map((a) => h('li', {}, badge(a.severity, 'sev'), ' ', h('a', { href: `#/alerts/${a.id}` }, C.fmtTime(a.window.end))))) : h('p', { class: 'note' }, 'none'),
    );
    view.append(h('div', { class: 'grid' }, tl.el, hm.el, rt.el, facts, list));
    const a = alerts.alerts[0];
    charts.push(C.timeline(tl.canvas, profile.recent_scores, a ? { threshold: a.threshold } : {}));
    charts.push(C.heatmap(hm.canvas, profile.hour_of_week.length === 168 ? profile.hour_of_week : new Array(168).fill(0), null));
    charts.push(C.routes(rt.canvas, [], 0, profile.top_routes));
  }
  void ctx.guard(load());
  return () => charts.forEach((c) => c.destroy());
}
