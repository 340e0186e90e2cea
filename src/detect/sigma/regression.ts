/**
 * SigmaHQ regression cases: a folder per rule with `info.yml` (which rule, how many matches
 * are expected) and the recorded events (`<rule id>.evtx` and its JSON rendering `.json`).
 * This module finds the cases and judges a run; reading the event files is the caller's job
 * (the CLI and the tests hand in events from Loupe's readers).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import yaml from 'js-yaml';
import type { Event } from '../../normalize/event.js';
import type { Alert } from '../types.js';
import { SigmaDetector } from './detector.js';
import type { SigmaEngine } from './engine.js';

export interface RegressionCase {
  info: string;
  ruleId: string;
  title?: string;
  /** At least this many matches are expected (1 where info.yml gives none). */
  matchCount: number;
  evtx?: string;
  json?: string;
}

export interface CaseResult {
  case: RegressionCase;
  events: number;
  matches: number;
  pass: boolean;
  errors: string[];
}

export function findRegressionCases(root: string, out: RegressionCase[] = []): RegressionCase[] {
  if (statSync(root).isFile()) {
    if (basename(root) === 'info.yml') out.push(readCase(root));
    return out;
  }
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name);
    if (statSync(p).isDirectory()) findRegressionCases(p, out);
    else if (name === 'info.yml') out.push(readCase(p));
  }
  return out;
}

interface InfoYaml {
  rule_metadata?: { id?: string; title?: string }[];
  regression_tests_info?: { match_count?: number | string; path?: string; type?: string }[];
}

export function readCase(info: string): RegressionCase {
  const y = (yaml.load(readFileSync(info, 'utf8')) ?? {}) as InfoYaml;
  const meta = y.rule_metadata?.[0];
  if (!meta?.id) throw new Error(`${info}: no rule_metadata id`);
  const test = y.regression_tests_info?.[0];
  const dir = dirname(info);
  const named = test?.path ? join(dir, basename(test.path)) : undefined;
  const files = readdirSync(dir);
  const find = (ext: string) => {
    if (named && named.endsWith(ext) && existsSync(named)) return named;
    if (named) {
      const sibling = named.replace(/\.[^.]+$/, ext);
      if (existsSync(sibling)) return sibling;
    }
    const f = files.find((n) => n.endsWith(ext));
    return f ? join(dir, f) : undefined;
  };
  const mc = Number(test?.match_count ?? 1);
  return { info, ruleId: meta.id, title: meta.title, matchCount: Number.isFinite(mc) && mc > 0 ? mc : 1, evtx: find('.evtx'), json: find('.json') };
}

/** Runs the engine over a case's events and counts the named rule's alerts. */
export async function runCase(
  engine: SigmaEngine,
  c: RegressionCase,
  batches: AsyncIterable<Event[]>,
  errors: string[] = [],
): Promise<CaseResult> {
  const det = new SigmaDetector(engine);
  let events = 0;
  let matches = 0;
  const emit = (a: Alert) => {
    if (a.ruleId === c.ruleId) matches++;
  };
  for await (const batch of batches) {
    for (const ev of batch) {
      events++;
      det.onEvent(ev, { eventId: `${basename(c.info)}:${events}`, emit });
    }
  }
  await det.finish(emit);
  return { case: c, events, matches, pass: matches >= c.matchCount, errors };
}
