/**
 * Gathers the indicators of one run: built-in defaults (unless turned off), the store, and the
 * files given on the command line; applies deletions; builds the indexes. Reports per source
 * what was loaded and what was refused, so nothing is dropped silently.
 */
import { importIocFile } from './importers/index.js';
import { DEFAULT_SOURCE, locateDefaultFeed } from './defaults.js';
import { IocIndex, Whitelist } from './ioc-index.js';
import type { IocRepository } from './repository.js';
import { countByType, type ImportIssue, type Indicator, type IocFormat, type IocList, type IocType } from './types.js';

export interface LoadOptions {
  iocFiles?: string[];
  whitelistFiles?: string[];
  /** TinyCheck's feed as built-in IOCs (default true). */
  defaultIocs?: boolean;
  /** TinyCheck's whitelist as built-in whitelist (default true). */
  defaultWhitelist?: boolean;
  repository?: IocRepository;
  format?: IocFormat;
  env?: NodeJS.ProcessEnv;
}

export interface SourceReport {
  name: string;
  list: IocList;
  format?: string;
  loaded: number;
  byType: Partial<Record<IocType, number>>;
  errors: number;
  warnings: number;
  /** The first few issues, with where they were. */
  issues: ImportIssue[];
}

export interface LoadReport {
  sources: SourceReport[];
  /** Plain sentences for the user (missing defaults, removals applied). */
  messages: string[];
  iocCount: number;
  whitelistCount: number;
}

export interface LoadedIndicators {
  iocs: IocIndex;
  whitelist: Whitelist;
  report: LoadReport;
}

const MAX_ISSUES_KEPT = 20;

export async function loadIndicators(opts: LoadOptions = {}): Promise<LoadedIndicators> {
  const lists: Record<IocList, Indicator[]> = { ioc: [], whitelist: [] };
  const removals: Record<IocList, Set<string>> = { ioc: new Set(), whitelist: new Set() };
  const report: LoadReport = { sources: [], messages: [], iocCount: 0, whitelistCount: 0 };

  const fromFile = async (path: string, list: IocList, source?: string): Promise<void> => {
    let r;
    try {
      r = await importIocFile(path, { format: opts.format, list, source });
    } catch (err) {
      report.sources.push({ name: path, list, loaded: 0, byType: {}, errors: 1, warnings: 0, issues: [{ severity: 'error', reason: `cannot read: ${(err as Error).message}` }] });
      return;
    }
    // A TinyCheck whitelist file names itself; anything else goes where it was asked to.
    const target: IocList = r.format === 'tinycheck' ? r.list : list;
    for (const i of r.indicators) lists[target].push(i);
    for (const v of r.removals) removals[target].add(v);
    const errors = r.issues.filter((i) => i.severity === 'error').length;
    report.sources.push({
      name: source ?? path,
      list: target,
      format: r.format,
      loaded: r.indicators.length,
      byType: countByType(r.indicators),
      errors,
      warnings: r.issues.length - errors,
      issues: r.issues.slice(0, MAX_ISSUES_KEPT),
    });
  };

  if (opts.defaultIocs !== false || opts.defaultWhitelist !== false) {
    const feed = locateDefaultFeed(opts.env);
    if (!feed.dir) {
      report.messages.push(
        `Built-in TinyCheck feed and whitelist not found (looked in: ${feed.tried.join(', ')}). ` +
          'Running without them; set LOUPE_TINYCHECK_DIR to a folder holding iocs.json and whitelist.json, or pass --iocs/--whitelist.',
      );
    } else {
      if (opts.defaultIocs !== false) {
        if (feed.iocs) await fromFile(feed.iocs, 'ioc', `${DEFAULT_SOURCE}:${feed.iocs}`);
        else report.messages.push(`Built-in TinyCheck feed missing in ${feed.dir}.`);
      }
      if (opts.defaultWhitelist !== false) {
        if (feed.whitelist) await fromFile(feed.whitelist, 'whitelist', `${DEFAULT_SOURCE}:${feed.whitelist}`);
        else report.messages.push(`Built-in TinyCheck whitelist missing in ${feed.dir}.`);
      }
    }
  }

  if (opts.repository) {
    for (const list of ['ioc', 'whitelist'] as const) {
      let n = 0;
      for (const s of opts.repository.iterate({ list })) {
        lists[list].push(s);
        n++;
      }
      if (n > 0) report.sources.push({ name: 'store', list, loaded: n, byType: opts.repository.countByType(list), errors: 0, warnings: 0, issues: [] });
    }
  }

  for (const f of opts.iocFiles ?? []) await fromFile(f, 'ioc');
  for (const f of opts.whitelistFiles ?? []) await fromFile(f, 'whitelist');

  for (const list of ['ioc', 'whitelist'] as const) {
    if (removals[list].size === 0) continue;
    const before = lists[list].length;
    lists[list] = lists[list].filter((i) => !removals[list].has(i.value));
    report.messages.push(`${removals[list].size} deletion(s) from feeds applied to the ${list === 'ioc' ? 'IOC list' : 'whitelist'}: ${before - lists[list].length} indicator(s) removed.`);
  }

  // One indicator per (type, value): the defaults, the store and a file often repeat each other.
  for (const list of ['ioc', 'whitelist'] as const) {
    const seen = new Set<string>();
    const before = lists[list].length;
    lists[list] = lists[list].filter((i) => {
      const k = `${i.type}\u0000${i.value}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const dups = before - lists[list].length;
    if (dups > 0) report.messages.push(`${dups} ${list === 'ioc' ? 'indicator(s)' : 'whitelist entries'} given by more than one source counted once.`);
  }
  const iocs = IocIndex.from(lists.ioc);
  const whitelist = Whitelist.from(lists.whitelist);
  report.iocCount = iocs.size;
  report.whitelistCount = whitelist.size;
  return { iocs, whitelist, report };
}
