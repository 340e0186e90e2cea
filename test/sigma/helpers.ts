/** Small helpers for Sigma tests: compile inline rules, run them over hand-written records. */
import { baseEvent, type Event } from '../../src/normalize/event.js';
import { SigmaDetector } from '../../src/detect/sigma/detector.js';
import { SigmaEngine } from '../../src/detect/sigma/engine.js';
import { loadRuleText } from '../../src/detect/sigma/loader.js';
import type { ParseOptions } from '../../src/detect/sigma/parser.js';
import type { Alert } from '../../src/detect/types.js';

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

/** A whole rule around a detection block (indented by 4), on Sysmon by default. */
export function rule(detection: string, opts: { logsource?: string; id?: string; title?: string; level?: string; name?: string; tags?: string[] } = {}): string {
  const lines = [
    `title: ${opts.title ?? 'Test rule'}`,
    `id: ${opts.id ?? '00000000-0000-4000-8000-000000000001'}`,
  ];
  if (opts.name) lines.push(`name: ${opts.name}`);
  lines.push('status: test', `level: ${opts.level ?? 'high'}`);
  if (opts.tags) lines.push('tags:', ...opts.tags.map((t) => `    - ${t}`));
  lines.push('logsource:', ...(opts.logsource ?? 'product: windows\nservice: sysmon').split('\n').map((l) => `    ${l}`));
  lines.push('detection:', ...detection.replace(/^\n/, '').split('\n').map((l) => `    ${l}`));
  return lines.join('\n') + '\n';
}

export function engineOf(yamlText: string, opts: ParseOptions = {}): SigmaEngine {
  return new SigmaEngine(loadRuleText(yamlText, 'inline.yml', opts));
}

export type Raw = Record<string, unknown> & { '@t'?: number };

let counter = 0;

export function eventOf(raw: Raw, extra: Partial<Event> = {}): Event {
  const { '@t': t, ...fields } = raw;
  const e = baseEvent(t ?? 1_700_000_000_000, 'other', [], [], fields, { file: 'test', format: 'test', record: ++counter });
  return { ...e, ...extra };
}

/** Runs the engine over records (Sysmon channel unless a record says otherwise); returns alerts. */
export function run(engine: SigmaEngine, records: (Raw | Event)[]): Alert[] {
  const det = new SigmaDetector(engine);
  const alerts: Alert[] = [];
  records.forEach((r, i) => {
    const ev = 'raw' in r && 'origin' in r ? (r as Event) : eventOf({ Channel: SYSMON, EventID: 1, ...(r as Raw) });
    det.onEvent(ev, { eventId: `e${i + 1}`, emit: (a) => alerts.push(a) });
  });
  det.finish((a) => alerts.push(a));
  return alerts;
}

/** True when the one-rule engine built from `detection` fires on `raw`. */
export function fires(detection: string, raw: Raw, opts: ParseOptions = {}): boolean {
  const engine = engineOf(rule(detection), opts);
  if (engine.failures.length) throw new Error(engine.failures.map((f) => f.reason).join('; '));
  return run(engine, [raw]).length > 0;
}

/** The reason the rule fails to load (throws when it loads). */
export function loadError(detection: string, opts: ParseOptions = {}): string {
  const engine = engineOf(rule(detection), opts);
  if (!engine.failures.length) throw new Error('rule loaded');
  return engine.failures.map((f) => f.reason).join('; ');
}
