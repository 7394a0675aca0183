/*
 * lowslow's charts, drawn with Chart.js (and chartjs-chart-matrix for the hour-of-week heatmap).
 * A classic script that defines window.LowslowCharts, so that the dashboard loads it with a
 * <script> tag and the replay report inlines it as it is. Colours come from the page's CSS
 * variables, so light and dark mode follow prefers-color-scheme.
 */
(function () {
  'use strict';
  const Chart = globalThis.Chart;
  const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const HOUR = 3_600_000;

  function css(name, fallback) {
    const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function theme() {
    return {
      text: css('--fg', '#1d2330'),
      muted: css('--muted', '#5b6475'),
      grid: css('--grid', 'rgba(127,127,127,0.2)'),
      accent: css('--accent', '#2f6fdf'),
      usual: css('--usual', '#8a94a8'),
      alert: css('--alert', '#d9362b'),
      heat: css('--heat', '47, 111, 223'),
      bg: css('--bg', '#ffffff'),
    };
  }

  function applyDefaults() {
    const t = theme();
    Chart.defaults.color = t.text;
    Chart.defaults.borderColor = t.grid;
    Chart.defaults.font.family = css('--font', 'system-ui, sans-serif');
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
    return t;
  }

  const pad = (n) => String(n).padStart(2, '0');
  /** UTC, as every window and hour-of-week in lowslow is. */
  function fmtTime(ms) {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }
  function fmtDay(ms) {
    const d = new Date(ms);
    return `${DAYS[(d.getUTCDay() + 6) % 7]} ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)} ${pad(d.getUTCHours())}h`;
  }
  function fmtNumber(x) {
    if (!Number.isFinite(x)) return String(x);
    if (Math.abs(x) >= 100 || Number.isInteger(x)) return Math.round(x).toLocaleString('en');
    return x.toFixed(Math.abs(x) < 1 ? 3 : 2);
  }

  /** Hour-of-week index (0 = Monday 00:00 UTC) of an event time. */
  function hourOfWeek(ms) {
    const d = new Date(ms);
    return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
  }

  /** The hours of week an alert window covers (all of them for a window of a week or more). */
  function windowHours(window) {
    const out = new Set();
    if (!window) return out;
    const start = Math.floor(window.start / HOUR) * HOUR;
    for (let t = start; t < window.end && out.size < 168; t += HOUR) out.add(hourOfWeek(t));
    return out;
  }

  /** Observed value against the key's usual, one small bar chart per reason. */
  function reason(canvas, r) {
    const t = applyDefaults();
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: ['this window', 'usual'],
        datasets: [{ data: [r.value, r.baseline], backgroundColor: [t.alert, t.usual], borderRadius: 3, barThickness: 12 }],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => fmtNumber(c.parsed.x) } } },
        scales: { x: { beginAtZero: true, ticks: { maxTicksLimit: 5, callback: (v) => fmtNumber(v) } }, y: { grid: { display: false }, ticks: { autoSkip: false } } },
      },
    });
  }

  /** Shades the alert window behind the timeline (a Chart.js plugin, drawn on the chart's canvas). */
  const alertWindowPlugin = {
    id: 'lowslowAlertWindow',
    beforeDatasetsDraw(chart, _args, opts) {
      if (!opts || opts.start === undefined) return;
      const x = chart.scales.x;
      const area = chart.chartArea;
      const left = Math.max(x.getPixelForValue(opts.start), area.left);
      const right = Math.min(x.getPixelForValue(opts.end), area.right);
      if (right <= left) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = opts.color;
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      ctx.restore();
    },
  };

  /**
   * The key's window scores over time, the alert threshold as a dashed line, the alert window
   * shaded and the alert's own score marked. `points`: [{window_end, score}] in any order.
   */
  function timeline(canvas, points, o) {
    const t = applyDefaults();
    const data = points.map((p) => ({ x: p.window_end, y: p.score })).sort((a, b) => a.x - b.x);
    const xs = data.map((p) => p.x);
    if (o.window) xs.push(o.window.start, o.window.end);
    const min = Math.min(...xs);
    const max = Math.max(...xs);
    const datasets = [
      { label: 'window score', data, borderColor: t.accent, backgroundColor: t.accent, pointRadius: data.length > 200 ? 0 : 2, borderWidth: 1.5, tension: 0 },
    ];
    if (o.threshold !== undefined) {
      datasets.push({ label: `threshold ${o.threshold}`, data: [{ x: min, y: o.threshold }, { x: max, y: o.threshold }], borderColor: t.alert, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 });
    }
    if (o.alert) {
      datasets.push({ label: 'alert', type: 'scatter', data: [{ x: o.alert.window_end, y: o.alert.score }], backgroundColor: t.alert, borderColor: t.bg, pointRadius: 6, pointHoverRadius: 7 });
    }
    const shade = o.window ? { start: o.window.start, end: o.window.end, color: 'rgba(217, 54, 43, 0.12)' } : {};
    return new Chart(canvas, {
      type: 'line',
      data: { datasets },
      plugins: [alertWindowPlugin],
      options: {
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          lowslowAlertWindow: shade,
          legend: { labels: { boxWidth: 12 } },
          tooltip: { callbacks: { title: (items) => (items[0] ? `${fmtTime(items[0].parsed.x)} UTC` : ''), label: (c) => `${c.dataset.label}: ${fmtNumber(c.parsed.y)}` } },
        },
        scales: {
          x: { type: 'linear', min, max, ticks: { maxTicksLimit: 6, callback: (v) => fmtDay(v) } },
          y: { min: 0, max: 1, title: { display: true, text: 'score' } },
        },
      },
    });
  }

  function ticksAt(from, to, step) {
    const out = [];
    for (let v = from; v <= to; v += step) out.push({ value: v });
    return out;
  }

  /**
   * Hour-of-week heatmap: the key's usual share of activity per UTC hour (168 shares, Monday
   * 00:00 first), the alert window's hours outlined.
   */
  function heatmap(canvas, shares, window) {
    const t = applyDefaults();
    const hot = windowHours(window);
    const max = Math.max(...shares, 1e-9);
    const data = [];
    for (let i = 0; i < 168; i++) data.push({ x: i % 24, y: Math.floor(i / 24), v: shares[i] ?? 0, alert: hot.has(i) });
    return new Chart(canvas, {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'usual activity',
            data,
            backgroundColor: (c) => {
              const v = c.raw ? c.raw.v / max : 0;
              return `rgba(${t.heat}, ${v === 0 ? 0.04 : 0.15 + 0.85 * v})`;
            },
            borderColor: (c) => (c.raw && c.raw.alert ? t.alert : 'transparent'),
            borderWidth: (c) => (c.raw && c.raw.alert ? 2 : 0),
            width: ({ chart }) => (chart.chartArea || {}).width / 24 - 2,
            height: ({ chart }) => (chart.chartArea || {}).height / 7 - 2,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => {
                const r = items[0] && items[0].raw;
                return r ? `${DAYS[r.y]} ${pad(r.x)}:00 UTC` : '';
              },
              label: (c) => `usual share ${(c.raw.v * 100).toFixed(1)} %${c.raw.alert ? ' · in the alert window' : ''}`,
            },
          },
        },
        scales: {
          x: { type: 'linear', min: -0.5, max: 23.5, offset: false, afterBuildTicks: (a) => (a.ticks = ticksAt(0, 23, 3)), ticks: { callback: (v) => `${pad(v)}h` }, grid: { display: false } },
          y: { type: 'linear', min: -0.5, max: 6.5, reverse: true, offset: false, afterBuildTicks: (a) => (a.ticks = ticksAt(0, 6, 1)), ticks: { callback: (v) => DAYS[v] ?? '' }, grid: { display: false } },
        },
      },
    });
  }

  /**
   * Routes in the alert window (share of the window's requests) beside the key's usual route mix
   * (share of its profile). `then`: [{route, count}], `usual`: [{route, share}].
   */
  function routes(canvas, then, requests, usual) {
    const t = applyDefaults();
    const names = [];
    for (const r of then) if (!names.includes(r.route)) names.push(r.route);
    for (const r of usual) if (!names.includes(r.route) && names.length < 12) names.push(r.route);
    const total = requests || then.reduce((a, r) => a + r.count, 0) || 1;
    const thenShare = names.map((n) => (then.find((r) => r.route === n)?.count ?? 0) / total);
    const usualShare = names.map((n) => usual.find((r) => r.route === n)?.share ?? 0);
    canvas.parentElement.style.height = `${Math.max(160, 48 + names.length * 34)}px`;
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: names,
        datasets: [
          { label: 'this window', data: thenShare, backgroundColor: t.alert, borderRadius: 3 },
          { label: 'usually', data: usualShare, backgroundColor: t.usual, borderRadius: 3 },
        ].filter((d) => d.label === 'usually' || then.length > 0),
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { labels: { boxWidth: 12 } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${(c.parsed.x * 100).toFixed(1)} %` } } },
        scales: {
          x: { beginAtZero: true, ticks: { callback: (v) => `${Math.round(v * 100)} %` } },
          y: { ticks: { autoSkip: false, callback: (_v, i) => shorten(names[i] ?? '', 28) } },
        },
      },
    });
  }

  /** Keys ranked by their latest window score. `keys`: [{key_id, score}], highest first. */
  function risk(canvas, keys, threshold) {
    const t = applyDefaults();
    canvas.parentElement.style.height = `${Math.max(140, 40 + keys.length * 22)}px`;
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: keys.map((k) => k.key_id.slice(0, 12)),
        datasets: [{ label: 'latest window score', data: keys.map((k) => k.score), backgroundColor: keys.map((k) => (threshold !== undefined && k.score >= threshold ? t.alert : t.accent)), borderRadius: 3 }],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: { min: 0, max: 1 }, y: { ticks: { autoSkip: false, font: { family: css('--mono', 'monospace') } } } },
      },
    });
  }

  function shorten(s, n) {
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
  }

  globalThis.LowslowCharts = { reason, timeline, heatmap, routes, risk, fmtTime, fmtNumber, windowHours, hourOfWeek };
})();
