/**
 * The one-file HTML report: opens offline, no scripts fetched, every string from evidence
 * escaped. Summary, evidence, alerts by level, and the case's process trees.
 */
import { LEVELS } from '../detect/types.js';
import type { SummaryData } from '../cli/summary.js';
import type { CaseStore } from '../store/types.js';
import type { ReportOptions } from './index.js';
import { escapeHtml as h } from './escape.js';
import { NETWORK_CSS, networkSectionHtml } from './network-report.js';
import { threatHtml } from '../detect/chains/render.js';

export function renderHtmlReport(store: CaseStore, d: SummaryData, opts: ReportOptions = {}): string {
  const counts = d.counts;
  const alerts = [...d.alerts].sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || a.time - b.time);
  const rows = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const evidence = store.listEvidence();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Loupe report: ${h(d.caseName)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1d232a;padding:0 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #d8dee4;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}code{font:12px ui-monospace,monospace;word-break:break-all}
.critical{color:#fff;background:#8b0000}.high{background:#f7c4c4}.medium{background:#fbe3b5}.low{background:#e4eef8}.informational{background:#eee}
.lvl{padding:.1rem .4rem;border-radius:.25rem}
${opts.network ? NETWORK_CSS : ''}
</style></head><body>
<h1>Loupe report: ${h(d.caseName)}</h1>
<p>${d.result.events.toLocaleString('en-US')} events from ${d.result.files.length} inputs; ${d.result.errors.toLocaleString('en-US')} records in error.</p>
<h2>Alerts</h2>
<p>${[...LEVELS].reverse().map((l) => `<span class="lvl ${l}">${l}: ${counts.alertsByLevel[l] ?? 0}</span>`).join(' ')}</p>
<table><tr><th>time (UTC)</th><th>level</th><th>rule</th><th>host</th><th>ATT&amp;CK</th><th>count</th></tr>
${alerts.slice(0, 2000).map((a) => rows([h(new Date(a.time).toISOString()), `<span class="lvl ${a.level}">${a.level}</span>`, h(a.title), h(a.host ?? ''), h(a.techniques.join(', ')), String(a.count)])).join('\n')}
</table>
${d.threats?.length ? `<h2>Threats</h2>\n${d.threats.slice(0, 50).map(threatHtml).join('\n')}` : ''}
${opts.network ? `<h2>Network verdict</h2>\n${networkSectionHtml(opts.network, opts.lang)}` : ''}
<h2>Evidence</h2>
<table><tr><th>file</th><th>format</th><th>events</th><th>errors</th><th>sha256</th></tr>
${evidence.map((e) => rows([h(e.name), h(e.format), String(e.records), `${e.errors}${e.errorSamples.length ? `<br><code>${h(e.errorSamples.slice(0, 3).join('\n'))}</code>` : ''}`, `<code>${h(e.sha256 ?? '')}</code>`])).join('\n')}
</table>
<h2>Graph</h2>
<table><tr><th>nodes</th><td>${Object.entries(counts.nodesByType).map(([k, v]) => `${h(k)} ${v}`).join(', ')}</td></tr>
<tr><th>edges</th><td>${Object.entries(counts.edgesByType).map(([k, v]) => `${h(k)} ${v}`).join(', ')}</td></tr></table>
</body></html>
`;
}
