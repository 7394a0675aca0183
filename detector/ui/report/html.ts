/**
 * The report page: one HTML file with the stylesheet, Chart.js, the matrix controller, the
 * dashboard's chart and alert-view scripts and the data all inlined, so it opens from disk with
 * no network. The data travels as JSON in a script element, with every "<" escaped.
 */
import { readAsset, type VendorFile } from '../index.js';

const SCRIPTS: Array<VendorFile | string> = ['chart.umd.min.js', 'chartjs-chart-matrix.min.js', 'charts.js', 'alert-view.js', 'report.js'];

/** Source map comments would make a browser look for files that are not there. */
const inlineScript = (src: string) => `<script>\n${src.replace(/^\/\/# sourceMappingURL=.*$/gm, '').replace(/<\/script/gi, '<\\/script')}\n</script>`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function reportHtml(title: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
${readAsset('style.css')}
</style>
<script type="application/json" id="report-data">${json}</script>
${SCRIPTS.map((s) => inlineScript(readAsset(s))).join('\n')}
</head>
<body>
<header class="top"><h1>${escapeHtml(title)}</h1></header>
<main id="report"></main>
</body>
</html>
`;
}
