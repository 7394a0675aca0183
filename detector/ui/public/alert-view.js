/*
 * One alert, laid out for triage: what was seen and what is usual for the key (reasons, window
 * score timeline, hour-of-week heatmap, routes, networks, sample events). A classic script that
 * defines window.LowslowAlertView, shared by the dashboard and the self-contained replay report.
 * Everything from the data is set as text, never as HTML.
 */
(function () {
  'use strict';
  const C = globalThis.LowslowCharts;

  /** h('div', {class: 'x'}, child...) with text children as text nodes. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }

  /** A card with a title and a fixed-height box holding one canvas. */
  function chartCard(title, note, height, cls) {
    const canvas = h('canvas', { role: 'img', 'aria-label': title });
    const card = h('section', { class: `card ${cls || ''}` }, h('h3', {}, title), note ? h('p', { class: 'note' }, note) : null, h('div', { class: 'chart', style: `height:${height}px` }, canvas));
    return { card, canvas };
  }

  function badge(text, kind) {
    return h('span', { class: `badge ${kind}-${String(text).replace(/[^a-z_]/g, '')}` }, text);
  }

  function header(alert) {
    return h(
      'header',
      { class: 'alert-head' },
      h('div', { class: 'badges' }, badge(alert.severity, 'sev'), badge(alert.status, 'status'), h('span', { class: 'kind' }, alert.kind)),
      h('h2', {}, 'key ', h('code', { class: 'key' }, alert.key_id)),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'window'),
        h('dd', {}, `${C.fmtTime(alert.window.start)} → ${C.fmtTime(alert.window.end)} UTC`),
        h('dt', {}, 'score'),
        h('dd', {}, `${C.fmtNumber(alert.score)} (threshold ${C.fmtNumber(alert.threshold)})`),
        h('dt', {}, 'requests'),
        h('dd', {}, `${alert.evidence.requests} (${alert.evidence.distinct_objects} distinct objects)`),
        h('dt', {}, 'source'),
        h('dd', {}, `${alert.source.gateway} · ${alert.source.hosts.join(', ')}`),
        h('dt', {}, 'alert id'),
        h('dd', {}, h('code', {}, alert.id)),
        alert.feedback ? [h('dt', {}, 'feedback'), h('dd', {}, `${alert.feedback.verdict.replace('_', ' ')}${alert.feedback.note ? `: ${alert.feedback.note}` : ''}`)] : null,
      ),
    );
  }

  function eventsTable(alert, events) {
    const ids = alert.evidence.sample_event_ids;
    if (!events) {
      return h('ul', { class: 'ids' }, ids.map((id) => h('li', {}, h('code', {}, id))));
    }
    const byId = new Map(events.map((e) => [e.id, e]));
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'events' },
        h('thead', {}, h('tr', {}, ['time (UTC)', 'method', 'route', 'status', 'client', 'bytes', 'event id'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          ids.map((id) => {
            const e = byId.get(id);
            if (!e) return h('tr', {}, h('td', { colspan: 6 }, 'not found in the logs'), h('td', {}, h('code', {}, id)));
            return h(
              'tr',
              {},
              h('td', {}, C.fmtTime(e.ts)),
              h('td', {}, e.method),
              h('td', {}, h('code', {}, e.route)),
              h('td', {}, e.status),
              h('td', {}, e.ip),
              h('td', { class: 'num' }, e.bytes),
              h('td', {}, h('code', {}, id)),
            );
          }),
        ),
      ),
    );
  }

  /**
   * Renders `data` = {alert, profile (GET /v1/keys/:key_id or null), timeline [{window_end,
   * score}], events (sample events or null)} into `root`. Returns {destroy} for the charts.
   */
  function render(root, data) {
    const { alert, profile } = data;
    const charts = [];
    root.replaceChildren();
    root.append(header(alert));

    const reasons = h('section', { class: 'card reasons' }, h('h3', {}, 'Why: this window against the key\u2019s usual'));
    for (const r of alert.reasons) {
      const canvas = h('canvas', { role: 'img', 'aria-label': `${r.feature}: ${r.value} against ${r.baseline}` });
      reasons.append(
        h(
          'div',
          { class: 'reason' },
          h('p', {}, h('strong', {}, r.feature.replaceAll('_', ' ')), ' — ', r.text),
          h('p', { class: 'note' }, `observed ${C.fmtNumber(r.value)}, usual ${C.fmtNumber(r.baseline)}`),
          h('div', { class: 'chart mini' }, canvas),
        ),
      );
      charts.push(() => C.reason(canvas, r));
    }
    root.append(reasons);

    const grid = h('div', { class: 'grid' });
    root.append(grid);
    const oldest = data.timeline.reduce((m, p) => Math.min(m, p.window_end), Infinity);
    const tlNote = !data.timeline.length
      ? 'No window scores kept for this key.'
      : `Each closed window of this key, the threshold dashed, the alert window shaded.${oldest > alert.window.start ? ` Scores before ${C.fmtTime(oldest)} are no longer kept.` : ''}`;
    const tl = chartCard('Window scores', tlNote, 240, 'wide');
    grid.append(tl.card);
    charts.push(() => C.timeline(tl.canvas, data.timeline, { threshold: alert.threshold, window: alert.window, alert: { window_end: alert.window.end, score: alert.score } }));

    const how = profile && profile.hour_of_week.length === 168 ? profile.hour_of_week : null;
    const hm = chartCard('Hour of week (UTC)', how ? 'Shading: the key\u2019s usual activity. Outlined: the alert window.' : 'The key has no profile yet.', 220, 'wide');
    grid.append(hm.card);
    charts.push(() => C.heatmap(hm.canvas, how || new Array(168).fill(0), alert.window));

    const rt = chartCard('Routes: this window and usually', 'Share of the window\u2019s requests, beside the share in the key\u2019s profile.', 200, 'wide');
    grid.append(rt.card);
    charts.push(() => C.routes(rt.canvas, alert.evidence.routes, alert.evidence.requests, profile ? profile.top_routes : []));

    const usualNets = profile ? profile.networks.map((n) => n.network) : [];
    grid.append(
      h(
        'section',
        { class: 'card' },
        h('h3', {}, 'Networks in the window'),
        h(
          'ul',
          { class: 'nets' },
          alert.evidence.networks.map((n) => h('li', {}, h('code', {}, n), usualNets.includes(n) ? h('span', { class: 'tag usual' }, 'usual') : h('span', { class: 'tag new' }, 'new'))),
        ),
        profile ? h('p', { class: 'note' }, `usually: ${usualNets.slice(0, 5).join(', ') || 'none'}`) : null,
      ),
    );
    grid.append(h('section', { class: 'card wide' }, h('h3', {}, 'Sample events'), eventsTable(alert, data.events)));

    const made = charts.map((make) => make());
    return { destroy: () => made.forEach((c) => c.destroy()) };
  }

  globalThis.LowslowAlertView = { render, h, badge };
})();
