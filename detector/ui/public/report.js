/*
 * The replay report's page: reads the inlined JSON, shows the run's figures, a summary table of
 * the alerts and every alert with the dashboard's alert view. A classic script (the report is
 * one file opened from disk, where module scripts cannot import each other).
 */
(function () {
  'use strict';
  const { h, badge, render } = globalThis.LowslowAlertView;
  const C = globalThis.LowslowCharts;
  /** Beyond this many alerts, each one's charts are drawn when it scrolls into view. */
  const EAGER = 40;

  function figures(f) {
    const items = [
      ['lines', f.lines],
      ['events', f.events],
      ['rejected', f.rejected],
      ['keys', f.keys],
      ['windows', f.windows],
      ['alerts', f.alerts],
      ['seconds', f.seconds],
      ['lines / s', f.seconds > 0 ? Math.round(f.lines / f.seconds) : f.lines],
    ];
    return h('section', { class: 'figures', 'aria-label': 'run figures' }, items.map(([k, v]) => h('div', { class: 'figure', 'data-figure': k }, h('b', {}, C.fmtNumber(v)), h('span', {}, k))));
  }

  function summary(alerts) {
    return h(
      'section',
      { class: 'card table-wrap' },
      h('h3', {}, 'Alerts'),
      alerts.length === 0
        ? h('p', { class: 'note' }, 'No alert was raised.')
        : h(
            'table',
            { class: 'summary' },
            h('thead', {}, h('tr', {}, ['severity', 'window (UTC)', 'key', 'score', 'requests', 'top reason'].map((c) => h('th', { class: c === 'score' || c === 'requests' ? 'num' : '' }, c)))),
            h(
              'tbody',
              {},
              alerts.map(({ alert: a }) =>
                h(
                  'tr',
                  {},
                  h('td', {}, badge(a.severity, 'sev')),
                  h('td', {}, `${C.fmtTime(a.window.start)} → ${C.fmtTime(a.window.end)}`),
                  h('td', {}, h('a', { href: `#alert-${a.id}`, class: 'mono' }, a.key_id.slice(0, 12))),
                  h('td', { class: 'num' }, C.fmtNumber(a.score)),
                  h('td', { class: 'num' }, a.evidence.requests),
                  h('td', { class: 'reason-text' }, a.reasons[0] ? a.reasons[0].text : ''),
                ),
              ),
            ),
          ),
    );
  }

  function main() {
    const data = JSON.parse(document.getElementById('report-data').textContent);
    const root = document.getElementById('report');
    const rejected = Object.entries(data.rejected_by_reason || {}).map(([k, v]) => `${k} ${v}`).join(', ');
    root.append(
      h('p', { class: 'note' }, `Replayed ${data.files.join(', ')}; report made ${C.fmtTime(data.generated_at)} UTC.${rejected ? ` Rejected lines: ${rejected}.` : ''}`),
      figures(data.figures),
      summary(data.alerts),
    );
    const lazy = data.alerts.length > EAGER && 'IntersectionObserver' in globalThis;
    const observer = lazy
      ? new IntersectionObserver((entries) => {
          for (const e of entries) {
            if (!e.isIntersecting) continue;
            observer.unobserve(e.target);
            render(e.target, e.target.__data);
          }
        }, { rootMargin: '400px' })
      : null;
    for (const item of data.alerts) {
      const article = h('article', { class: 'alert', id: `alert-${item.alert.id}` });
      root.append(article);
      if (observer) {
        article.__data = item;
        article.style.minHeight = '900px';
        observer.observe(article);
      } else render(article, item);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
  else main();
})();
