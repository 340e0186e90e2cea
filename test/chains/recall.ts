/**
 * Threats and technique recall over the 67 Mordor recordings (printed by `npm run bench -- server`).
 *
 * Every recording is analysed as `loupe analyze --rules <SigmaHQ rules>` would (built-in and SigmaHQ
 * Sigma rules, network detectors, chain engine), into its own in-memory case. Printed per
 * recording: events, alerts, threats with their techniques, and which of the techniques named by
 * the recording's `_metadata` yaml appear in its alerts or threats; then the overall recall.
 */
import { chainFamily } from '../../src/detect/chains/family.js';
import { chainCommit } from '../../src/detect/chains/persist.js';
import type { ChainEngine } from '../../src/detect/chains/engine.js';
import { networkFamily } from '../../src/detect/network/family.js';
import { SigmaDetector } from '../../src/detect/sigma/detector.js';
import { SigmaEngine } from '../../src/detect/sigma/engine.js';
import { builtinRulesDir } from '../../src/detect/sigma/loader.js';
import type { Detector } from '../../src/detect/types.js';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { openThreatStore } from '../../src/store/threats.js';
import { shared } from '../helpers/shared.js';
import { found, recordings } from './mordor.js';

export interface RecallRow {
  file: string;
  meta?: string;
  events: number;
  alerts: number;
  threats: { id: string; score: number; techniques: string[]; head?: string; attribution?: string }[];
  named: string[];
  inAlerts: string[];
  inThreats: string[];
  ms: number;
}

export async function mordorRecall(opts: { only?: (file: string) => boolean; log?: (s: string) => void } = {}): Promise<RecallRow[]> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const t0 = Date.now();
  // SigmaHQ's whole published set: the main rules, the emerging threats and the threat-hunting
  // ones (LOUPE_RECALL_RULES=main for the main folder only).
  const folders = process.env.LOUPE_RECALL_RULES === 'main' ? ['rules'] : ['rules', 'rules-emerging-threats', 'rules-threat-hunting'];
  const sigma = SigmaEngine.fromPaths([builtinRulesDir(), ...folders.map((f) => shared('sigma', f))]);
  log(`sigma: ${sigma.ruleCount} rules compiled in ${Date.now() - t0} ms`);
  const rows: RecallRow[] = [];
  for (const rec of recordings()) {
    if (opts.only && !opts.only(rec.file)) continue;
    const started = Date.now();
    const store = openSqliteStore(':memory:');
    const c = store.openCase('mordor');
    const threats = openThreatStore(store, c);
    const net = await networkFamily({});
    const chains = await chainFamily({});
    const engine = chains.detectors[0] as ChainEngine;
    const detectors: Detector[] = [new SigmaDetector(sigma), ...net.detectors, engine];
    const r = await analyzePaths([rec.path], { store: c, detectors, commit: chainCommit(engine, threats) });
    const alerts = c.alerts();
    const alertTechs = new Set<string>();
    for (const a of alerts) if (a.detector !== 'chain') for (const t of a.techniques) alertTechs.add(t);
    const list = threats.listThreats({ limit: 1000 });
    const threatTechs = new Set<string>();
    for (const t of list) for (const x of t.techniques) threatTechs.add(x.id);
    rows.push({
      file: rec.file,
      meta: rec.meta,
      events: r.events,
      alerts: alerts.filter((a) => a.detector !== 'chain').length,
      threats: list.map((t) => ({
        id: t.id,
        score: t.score,
        techniques: t.techniques.map((x) => x.id),
        head: t.head.image,
        attribution: t.attribution[0]?.name,
      })),
      named: rec.techniques,
      inAlerts: rec.techniques.filter((n) => found(n, alertTechs)),
      inThreats: rec.techniques.filter((n) => found(n, threatTechs)),
      ms: Date.now() - started,
    });
    store.close();
    const row = rows[rows.length - 1]!;
    log(
      `${rec.file}: ${row.events} events, ${row.alerts} alerts, ${row.threats.length} threats, ` +
        (rec.meta ? `named ${rec.techniques.join(' ') || '-'}; found ${[...new Set([...row.inAlerts, ...row.inThreats])].join(' ') || '-'}` : 'no metadata') +
        ` (${row.ms} ms)`,
    );
  }
  return rows;
}

export function recallTable(rows: RecallRow[]): string {
  const out: string[] = [];
  let named = 0;
  let hit = 0;
  let inThreats = 0;
  const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
  out.push(`${pad('recording', 62)} ${pad('events', 7)} ${pad('alerts', 7)} ${pad('threats', 7)} recall  named → found (alerts or threats) [in threats]`);
  for (const r of rows) {
    const any = [...new Set([...r.inAlerts, ...r.inThreats])];
    if (r.meta) {
      named += r.named.length;
      hit += any.length;
      inThreats += r.inThreats.length;
    }
    const recall = r.meta && r.named.length ? `${any.length}/${r.named.length}` : '-';
    out.push(
      `${pad(r.file, 62)} ${pad(String(r.events), 7)} ${pad(String(r.alerts), 7)} ${pad(String(r.threats.length), 7)} ${pad(recall, 7)} ` +
        (r.meta ? `${r.named.join(' ')} → ${any.join(' ') || '-'} [${r.inThreats.join(' ') || '-'}]` : '(no _metadata yaml names this file)'),
    );
    for (const t of r.threats.slice(0, 5))
      out.push(`    threat ${t.id} score ${t.score} head ${t.head ?? '?'}: ${t.techniques.join(' ')}${t.attribution ? ` ~ ${t.attribution}` : ''}`);
    if (r.threats.length > 5) out.push(`    ... ${r.threats.length - 5} more threats`);
  }
  const withMeta = rows.filter((r) => r.meta).length;
  out.push('');
  out.push(`recordings: ${rows.length} (${withMeta} named by a _metadata yaml)`);
  out.push(`recall (named techniques found in alerts or threats): ${hit}/${named} = ${named ? ((100 * hit) / named).toFixed(1) : '0'}%`);
  out.push(`recall in threats alone: ${inThreats}/${named} = ${named ? ((100 * inThreats) / named).toFixed(1) : '0'}%`);
  return out.join('\n');
}
