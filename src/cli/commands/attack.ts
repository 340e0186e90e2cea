/**
 * `loupe attack layer`: an ATT&CK Navigator layer of what fired in a case (or in an alerts
 * file), or of what a rule set covers. `loupe attack show T1059.001`: a technique, its tactics,
 * and the groups and software known to use it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { attackData, tactic, technique, usersOf } from '../../detect/attack/data.js';
import { navigatorLayer, techniqueHits } from '../../detect/attack/layer.js';
import { attackFromTags } from '../../detect/attack/tags.js';
import { SigmaEngine } from '../../detect/sigma/engine.js';
import type { Alert } from '../../detect/types.js';
import { defaultDbPath, openStore } from '../../store/index.js';
import { safe } from '../format.js';

/** Where command output goes (tests capture it here instead of patching process.stdout). */
let write = (text: string): void => {
  process.stdout.write(text);
};
export function setOutput(fn: (text: string) => void): void {
  write = fn;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** Alerts from JSON lines (an Alert or `{alert: Alert}` per line) or a JSON document with `alerts`. */
export function readAlertsFile(path: string): Alert[] {
  const text = readFileSync(path, 'utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    try {
      const doc = JSON.parse(text) as { alerts?: Alert[] };
      if (Array.isArray(doc.alerts)) return doc.alerts;
    } catch {
      /* fall through to JSON lines */
    }
  }
  const out: Alert[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${i + 1}: not JSON`);
    }
    const a = (v && typeof v === 'object' && 'alert' in v ? (v as { alert: unknown }).alert : v) as Alert;
    if (a && Array.isArray(a.techniques)) out.push(a);
  });
  return out;
}

export function register(program: Command): void {
  const attack = program.command('attack').description('MITRE ATT&CK: Navigator layers and technique look-ups');

  attack
    .command('layer')
    .description('write an ATT&CK Navigator layer (JSON, format 4.5) of what fired, or of what rules cover')
    .option('--case <name>', 'case whose alerts to map', 'default')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--alerts <file>', 'alerts from a file instead of the store: JSON lines or a report JSON (repeatable)', collect)
    .option('--rules <path>', 'map the techniques of these Sigma rules instead (coverage; repeatable)', collect)
    .option('--name <name>', 'layer name')
    .option('-o, --out <file>', 'write the layer here (default: standard output)')
    .action((o) => {
      let alerts: Pick<Alert, 'techniques' | 'title' | 'count' | 'level'>[];
      let description: string;
      if (o.rules?.length) {
        const engine = SigmaEngine.fromPaths(o.rules);
        alerts = [
          ...engine.index.rules.map((r) => ({ techniques: attackFromTags(r.rule.tags).techniques, title: r.rule.title, count: 1, level: r.rule.level })),
          ...engine.correlations.map((c) => ({ techniques: attackFromTags(c.c.tags).techniques, title: c.c.title, count: 1, level: c.c.level })),
        ];
        description = `Coverage of ${alerts.length} Sigma rules from ${o.rules.join(', ')}; score = number of rules`;
      } else if (o.alerts?.length) {
        alerts = o.alerts.flatMap((f: string) => readAlertsFile(f));
        description = `Techniques of ${alerts.length} alerts from ${o.alerts.join(', ')}; score = number of alerts naming each technique`;
      } else {
        const store = openStore(o.db ?? defaultDbPath());
        try {
          const c = store.findCase(o.case);
          if (!c) {
            process.stderr.write(`loupe attack layer: no case named '${safe(o.case)}'\n`);
            process.exitCode = 2;
            return;
          }
          alerts = c.alerts();
          description = `Techniques of the ${alerts.length} alerts of case '${o.case}'; score = number of alerts`;
        } finally {
          store.close();
        }
      }
      const layer = navigatorLayer(techniqueHits(alerts), { name: o.name ?? (o.rules ? 'Loupe rule coverage' : 'Loupe detections'), description });
      const json = `${JSON.stringify(layer, null, 2)}\n`;
      if (o.out) {
        writeFileSync(o.out, json);
        process.stderr.write(`${layer.techniques.filter((t) => t.score !== undefined).length} techniques written to ${o.out}\n`);
      } else write(json);
    });

  attack
    .command('show')
    .description('a technique: name, tactics, parent, and the groups and software that use it')
    .argument('<id>', 'technique id, e.g. T1059.001')
    .option('--json', 'machine-readable output')
    .action((id: string, o) => {
      const t = technique(id);
      if (!t) {
        process.stderr.write(`loupe attack show: ${safe(id)} is not in ATT&CK ${attackData().version}\n`);
        process.exitCode = 1;
        return;
      }
      const users = usersOf(t.id);
      if (o.json) {
        write(`${JSON.stringify({ ...t, ...users }, null, 2)}\n`);
        return;
      }
      const lines = [
        `${t.id} ${t.name}${t.revoked ? ` (revoked${t.revokedBy ? `, now ${t.revokedBy}` : ''})` : ''}${t.deprecated ? ' (deprecated)' : ''}`,
        `  tactics: ${t.tactics.map((x) => tactic(x)?.name ?? x).join(', ') || '-'}`,
      ];
      if (t.parent) lines.push(`  parent: ${t.parent} ${technique(t.parent)?.name ?? ''}`);
      lines.push(`  groups (${users.groups.length}): ${users.groups.map((g) => `${g.name} (${g.id})`).join(', ') || '-'}`);
      lines.push(`  software (${users.software.length}): ${users.software.map((s) => `${s.name} (${s.id})`).join(', ') || '-'}`);
      write(`${lines.join('\n')}\n`);
    });
}
