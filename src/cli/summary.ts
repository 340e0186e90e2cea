/**
 * The closing summary of a run, as Hayabusa users expect it: what was read per file and format,
 * what was in error and why, what the graph holds, what fired, per level, rule and host.
 */
import { LEVELS, type Alert } from '../detect/types.js';
import type { AnalyzeResult } from '../pipeline/analyze.js';
import type { CaseCounts } from '../store/types.js';
import type { ThreatRecord } from '../store/threats.js';
import { threatLine, threatText } from '../detect/chains/render.js';
import { num, safe, table } from './format.js';

export interface SummaryData {
  caseName: string;
  db: string;
  result: AnalyzeResult;
  counts: CaseCounts;
  alerts: Alert[];
  notes: string[];
  /** Threats from process-chain scoring, latest first (see detect/chains). */
  threats?: ThreatRecord[];
}

export function summaryJson(d: SummaryData) {
  const byRule = new Map<string, { title: string; level: string; count: number }>();
  const byHost = new Map<string, number>();
  for (const a of d.alerts) {
    const r = byRule.get(a.ruleId) ?? { title: a.title, level: a.level, count: 0 };
    r.count++;
    byRule.set(a.ruleId, r);
    if (a.host) byHost.set(a.host, (byHost.get(a.host) ?? 0) + 1);
  }
  const formats: Record<string, { files: number; events: number; errors: number }> = {};
  for (const f of d.result.files) {
    const s = (formats[f.format] ??= { files: 0, events: 0, errors: 0 });
    s.files++;
    s.events += f.events;
    s.errors += f.errors;
  }
  return {
    case: d.caseName,
    db: d.db,
    files: d.result.files,
    formats,
    totals: { files: d.result.files.length, events: d.result.events, errors: d.result.errors, unreadable: d.result.unreadable, ms: d.result.ms },
    graph: { nodes: d.counts.nodesByType, edges: d.counts.edgesByType },
    alerts: {
      byLevel: d.counts.alertsByLevel,
      topRules: [...byRule.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 15).map(([id, r]) => ({ id, ...r })),
      byHost: Object.fromEntries([...byHost.entries()].sort((a, b) => b[1] - a[1])),
    },
    threats: (d.threats ?? []).map((t) => ({
      id: t.id,
      host: t.host,
      score: t.score,
      level: t.level,
      head: t.head.image,
      members: t.members,
      hits: t.hitCount,
      techniques: t.techniques.map((x) => x.id),
      tactics: t.tactics,
      attribution: t.attribution.map((a) => ({ id: a.id, name: a.name, score: a.score })),
      state: t.state,
    })),
    notes: d.notes,
  };
}

export function summaryText(d: SummaryData): string {
  const j = summaryJson(d);
  const out: string[] = [];
  out.push(`Loupe analysis: case "${safe(d.caseName)}" in ${d.db}`);
  out.push('');
  out.push('Files');
  out.push(table(['format', 'events', 'errors', 'file'], d.result.files.map((f) => [f.format, f.events, f.errors, safe(f.name, 120)]), [1, 2]));
  const errs = d.result.files.filter((f) => f.errors > 0);
  if (errs.length) {
    out.push('');
    out.push('Records in error (first reasons)');
    for (const f of errs) {
      out.push(`  ${safe(f.name, 120)}: ${num(f.errors)}`);
      for (const s of f.errorSamples.slice(0, 3)) out.push(`    - ${safe(s, 160)}`);
    }
  }
  // A file read cleanly that gave nothing: say what it held, so it is not mistaken for a skip.
  const empty = d.result.files.filter((f) => f.events === 0 && f.errors === 0);
  if (empty.length) {
    out.push('');
    out.push('Read, no events');
    for (const f of empty.slice(0, 20)) {
      const facts = Object.entries(f.facts ?? {}).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      out.push(`  ${safe(f.name, 120)}: ${safe(facts.join('; ') || 'no records', 200)}`);
    }
    if (empty.length > 20) out.push(`  … and ${num(empty.length - 20)} more`);
  }
  out.push('');
  out.push('Formats');
  out.push(table(['format', 'files', 'events', 'errors'], Object.entries(j.formats).map(([k, v]) => [k, v.files, v.events, v.errors]), [1, 2, 3]));
  out.push('');
  out.push('Graph');
  out.push(`  nodes: ${Object.entries(j.graph.nodes).map(([k, v]) => `${k} ${num(v)}`).join(', ') || 'none'}`);
  out.push(`  edges: ${Object.entries(j.graph.edges).map(([k, v]) => `${k} ${num(v)}`).join(', ') || 'none'}`);
  out.push('');
  out.push('Alerts');
  out.push(`  by level: ${[...LEVELS].reverse().map((l) => `${l} ${num(j.alerts.byLevel[l] ?? 0)}`).join(', ')}`);
  if (j.alerts.topRules.length) {
    out.push('  top rules:');
    out.push(table(['count', 'level', 'rule'], j.alerts.topRules.map((r) => [r.count, r.level, safe(r.title, 100)]), [0]).replace(/^/gm, '  '));
  }
  const hosts = Object.entries(j.alerts.byHost);
  if (hosts.length) out.push(`  by host: ${hosts.slice(0, 10).map(([h, n]) => `${safe(h, 60)} ${num(n)}`).join(', ')}`);
  for (const n of d.notes) out.push(`  note: ${n}`);
  if (d.threats?.length) {
    // The first few with their process trees and hits; the rest one line each (`loupe threats show ID`).
    out.push('');
    out.push(`Threats (process chains scored past the threshold): ${num(d.threats.length)}`);
    d.threats.forEach((t, i) => out.push(i < 5 ? threatText(t).replace(/^/gm, '  ') : `  ${threatLine(t)}`));
  }
  out.push('');
  const secs = d.result.ms / 1000;
  out.push(
    `Read ${num(d.result.events)} events from ${num(d.result.files.length)} inputs (${num(d.result.unreadable)} unreadable, ${num(d.result.errors)} records in error) in ${secs.toFixed(1)} s` +
      (secs > 0 ? ` (${num(Math.round(d.result.events / secs))} events/s)` : ''),
  );
  return out.join('\n');
}
