/**
 * The network report, as TinyCheck's promise asks: what was analysed, a verdict banner a
 * non-expert can read, the alerts by level, and the destinations sorted into suspect,
 * uncategorised and whitelisted. One self-contained HTML file (no script, no fetch: a
 * Content-Security-Policy forbids both) in any of the ten languages, and the same as JSON.
 * Every string from evidence goes through `escapeHtml`.
 */
import { LEVELS, levelRank, type Alert, type Level } from '../detect/types.js';
import { NetworkDetector, type DestinationRow, type NetworkFindings } from '../detect/network/index.js';
import type { Detector } from '../detect/types.js';
import { alertText, isAlertKey, levelText, reportText, resolveLanguage, type Language, type Params, type ReportKey } from './i18n/index.js';
import { escapeHtml as h } from './escape.js';
import type { EvidenceFile } from './network/collect.js';

/**
 * The findings of the network detector among a run's detectors (after `finish`), for whoever
 * writes the run's report: `loupe analyze --out` can hand them to `renderNetworkReportHtml`.
 */
export async function networkFindingsOf(detectors: readonly Detector[]): Promise<NetworkFindings | undefined> {
  const d = detectors.find((x): x is NetworkDetector => x instanceof NetworkDetector);
  return d ? d.analyse() : undefined;
}

export interface NetworkReportInput {
  findings: NetworkFindings;
  evidence?: EvidenceFile[];
  indicators?: { iocs: number; whitelist: number; messages?: string[] };
  /** Epoch ms (default: now). */
  generatedAt?: number;
}

/** Rows per destination table in the HTML (the JSON has them all). */
const MAX_ROWS = 500;
const MAX_ALERTS = 2000;

function iso(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '—' : `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

function span(first?: number, last?: number): string {
  if (first === undefined || last === undefined) return '—';
  const s = Math.max(0, Math.round((last - first) / 1000));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${d > 0 ? `${d} d ` : ''}${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

/** Title and description in the report's language, from the parameters the detector kept. */
export function localisedAlert(a: Alert, lang: Language): { title: string; description: string } {
  const params = (a.details?.params ?? {}) as Params;
  if (a.detector === 'network' && isAlertKey(a.ruleId)) {
    return { title: alertText(lang, a.ruleId, 'title', params), description: alertText(lang, a.ruleId, 'description', params) };
  }
  return { title: a.title, description: a.description ?? '' };
}

export interface Verdict {
  level: Level | 'none';
  count: number;
  text: string;
}

export function verdictOf(alerts: readonly Alert[], lang: Language): Verdict {
  const byLevel = (l: Level) => alerts.filter((a) => a.level === l).length;
  const high = byLevel('critical') + byLevel('high');
  if (high > 0) return { level: 'high', count: high, text: reportText(lang, 'verdict_high', { count: high }) };
  const medium = byLevel('medium');
  if (medium > 0) return { level: 'medium', count: medium, text: reportText(lang, 'verdict_medium', { count: medium }) };
  const low = byLevel('low');
  if (low > 0) return { level: 'low', count: low, text: reportText(lang, 'verdict_low', { count: low }) };
  return { level: 'none', count: 0, text: reportText(lang, 'verdict_none') };
}

function destinationTable(rows: DestinationRow[], lang: Language, withAlerts: boolean): string {
  if (rows.length === 0) return `<p class="muted">${h(reportText(lang, 'none'))}</p>`;
  const head: ReportKey[] = ['col_protocol', 'col_domain', 'col_dst_ip', 'col_dst_port', 'col_connections', ...(withAlerts ? (['col_alerts'] as const) : [])];
  const body = rows
    .slice(0, MAX_ROWS)
    .map((d) => {
      const cells = [
        h(d.proto.toUpperCase() + (d.service ? ` (${d.service})` : '')),
        d.names.length ? d.names.map((n) => `<code>${h(n)}</code>`).join('<br>') : '—',
        `<code>${h(d.ip)}</code>`,
        String(d.port),
        String(d.connections),
        ...(withAlerts ? [h(d.rules.join(', '))] : []),
      ];
      return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const more = rows.length > MAX_ROWS ? `<p class="muted">${h(reportText(lang, 'more_rows', { count: rows.length - MAX_ROWS }))}</p>` : '';
  return `<table><tr>${head.map((k) => `<th>${h(reportText(lang, k))}</th>`).join('')}</tr>\n${body}</table>${more}`;
}

function detailsBlock(a: Alert): string {
  const d = { ...(a.details ?? {}) };
  delete d.params;
  const parts: string[] = [];
  if (a.techniques.length) parts.push(`ATT&amp;CK: ${a.techniques.map((t) => h(t)).join(', ')}`);
  const json = JSON.stringify(d, (_k, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…` : v));
  if (json && json !== '{}') parts.push(`<code>${h(json.length > 2000 ? `${json.slice(0, 2000)}…` : json)}</code>`);
  if (a.events.length) parts.push(`<code>${h(a.events.slice(0, 5).map((e) => e.id).join(' '))}</code>`);
  return parts.join('<br>');
}

/** The report's style sheet (also used by the case report). */
export const NETWORK_CSS = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;color:#1d232a;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #d8dee4}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
td,th{border-bottom:1px solid #d8dee4;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f7}
code{font:12px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}.muted{color:#57606a;font-size:.9em}
.banner{padding:1rem 1.2rem;border-radius:.4rem;font-size:1.15rem;font-weight:600}
.banner.high{background:#b42318;color:#fff}.banner.medium{background:#f79009;color:#1d232a}.banner.low{background:#dbe8f7}.banner.ok{background:#1a7f37;color:#fff}
.alert{border-left:5px solid #999;padding:.4rem .8rem;margin:.6rem 0;background:#fafbfc}.alert p{margin:.3rem 0}
.alert.critical,.alert.high{border-color:#b42318}.alert.medium{border-color:#f79009}.alert.low{border-color:#2f6fb3}.alert.informational{border-color:#8c959f}
.id{font:12px ui-monospace,monospace;background:#eaeef2;padding:.05rem .35rem;border-radius:.2rem}
.lvl{padding:.1rem .45rem;border-radius:.25rem;font-size:.9em}.lvl.critical,.lvl.high{background:#b42318;color:#fff}.lvl.medium{background:#f79009}.lvl.low{background:#dbe8f7}.lvl.informational{background:#eaeef2}
`;

/** The report's body (banner, facts, alerts, destinations), for this page and for the case report. */
export function networkSectionHtml(input: NetworkReportInput, langIn?: string): string {
  const lang = resolveLanguage(langIn);
  const f = input.findings;
  const alerts = [...f.alerts].sort((x, y) => levelRank(y.level) - levelRank(x.level) || x.time - y.time).slice(0, MAX_ALERTS);
  const verdict = verdictOf(f.alerts, lang);
  const records = Object.values(f.records).reduce((a, b) => a + b, 0);
  const facts: Array<[string, string]> = [
    [reportText(lang, 'evidence_files'), (input.evidence ?? []).map((e) => `<code>${h(e.name)}</code>${e.format ? ` (${h(e.format)})` : ''}: ${e.records}${e.errors ? ` / ${e.errors} ✗` : ''}`).join('<br>') || '—'],
    [reportText(lang, 'records_read'), `${records} (${Object.entries(f.records).map(([k, v]) => `${h(k)} ${v}`).join(', ')})`],
    [reportText(lang, 'first_record'), h(iso(f.first))],
    [reportText(lang, 'last_record'), h(iso(f.last))],
    [reportText(lang, 'capture_duration'), h(span(f.first, f.last))],
    [reportText(lang, 'hosts_seen'), f.localHosts.slice(0, 50).map((x) => `<code>${h(x)}</code>`).join(' ') || '—'],
  ];
  if (input.indicators) facts.push(['IOC', h(reportText(lang, 'indicators_loaded', { iocs: input.indicators.iocs, whitelist: input.indicators.whitelist }))]);
  const levelsPresent = [...LEVELS].reverse().filter((l) => alerts.some((a) => a.level === l));
  const alertSections = levelsPresent
    .map((l) => {
      const list = alerts.filter((a) => a.level === l);
      const items = list
        .map((a) => {
          const t = localisedAlert(a, lang);
          return `<div class="alert ${l}"><div class="head"><span class="id">${h(a.ruleId)}</span> <strong>${h(t.title)}</strong></div>
<p>${h(t.description)}</p>
<p class="muted">${h(reportText(lang, 'alert_count', { count: a.count }))} · ${h(iso(a.time))}${a.lastTime !== undefined ? ` → ${h(iso(a.lastTime))}` : ''}</p>
<details><summary>${h(reportText(lang, 'details'))}</summary><p class="muted">${detailsBlock(a)}</p></details></div>`;
        })
        .join('\n');
      return `<h3><span class="lvl ${l}">${h(levelText(lang, l))}</span> ${list.length}</h3>\n${items}`;
    })
    .join('\n');
  const by = (s: DestinationRow['status']) => f.destinations.filter((d) => d.status === s);
  const banner = verdict.level === 'none' ? 'ok' : verdict.level;
  return `<div class="banner ${banner}">${h(verdict.text)}</div>
<h2>${h(reportText(lang, 'capture_facts'))}</h2>
<table>${facts.map(([k, v]) => `<tr><th>${h(k)}</th><td>${v}</td></tr>`).join('\n')}</table>
${(input.indicators?.messages ?? []).map((m) => `<p class="muted">${h(m)}</p>`).join('\n')}
<h2>${h(reportText(lang, 'alerts_title'))}</h2>
${alertSections || `<p>${h(reportText(lang, 'no_alerts'))}</p>`}
<h2>${h(reportText(lang, 'suspect_title'))}</h2>
${destinationTable(by('suspect'), lang, true)}
<h2>${h(reportText(lang, 'uncat_title'))}</h2>
${destinationTable(by('uncategorised'), lang, false)}
<h2>${h(reportText(lang, 'whitelist_title'))}</h2>
${destinationTable(by('whitelisted'), lang, false)}
<p class="muted">${h(reportText(lang, 'footer'))}</p>
`;
}

export function renderNetworkReportHtml(input: NetworkReportInput, langIn?: string): string {
  const lang = resolveLanguage(langIn);
  return `<!doctype html>
<html lang="${h(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(reportText(lang, 'title'))}</title>
<style>
${NETWORK_CSS}</style></head><body>
<h1>${h(reportText(lang, 'title'))}</h1>
<p class="muted">${h(reportText(lang, 'generated_on', { date: iso(input.generatedAt ?? Date.now()) }))}</p>
${networkSectionHtml(input, lang)}</body></html>
`;
}

/** The same report as data: alerts with texts in the chosen language, every destination. */
export function networkReportJson(input: NetworkReportInput, langIn?: string): Record<string, unknown> {
  const lang = resolveLanguage(langIn);
  const f = input.findings;
  const verdict = verdictOf(f.alerts, lang);
  return {
    language: lang,
    generatedAt: new Date(input.generatedAt ?? Date.now()).toISOString(),
    verdict,
    capture: { evidence: input.evidence ?? [], records: f.records, skipped: f.skipped, first: f.first, last: f.last, localHosts: f.localHosts },
    indicators: input.indicators,
    alerts: f.alerts.map((a) => ({ ...a, ...localisedAlert(a, lang) })),
    destinations: {
      suspect: f.destinations.filter((d) => d.status === 'suspect'),
      uncategorised: f.destinations.filter((d) => d.status === 'uncategorised'),
      whitelisted: f.destinations.filter((d) => d.status === 'whitelisted'),
    },
    active: f.active,
  };
}
