/**
 * The network detector family for `loupe analyze`: indicators and whitelist from the built-in
 * TinyCheck defaults, the store (`loupe iocs import`) and `--iocs`/`--whitelist` files; the
 * alert language from `--lang`. What was loaded, and what was refused, goes to the run's notes.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DetectorOptions, DetectorSet } from '../index.js';
import { loadIndicators } from '../ioc/load.js';
import type { IocRepository } from '../ioc/repository.js';
import { defaultDbPath } from '../../store/index.js';
import { openIocRepository } from '../../store/sqlite/iocs.js';
import { NetworkDetector } from './detector.js';

/** Options `loupe analyze` may pass beyond the shared ones (additive: absent means default). */
export interface NetworkFamilyOptions extends DetectorOptions {
  /** The store file holding `loupe iocs import`ed indicators (default: $LOUPE_DB or ./loupe-data/loupe.db). */
  db?: string;
  /** ACT-01/02 (live DNS and WHOIS look-ups); also on with LOUPE_NETWORK_ACTIVE=1. */
  active?: boolean;
  /** Leave out TinyCheck's built-in feed / whitelist. */
  noDefaultIocs?: boolean;
  noDefaultWhitelist?: boolean;
}

export async function networkFamily(opts: NetworkFamilyOptions): Promise<DetectorSet> {
  const notes: string[] = [];
  const dbPath = opts.db ?? defaultDbPath();
  let repo: { repository: IocRepository; close(): void } | undefined;
  try {
    if (existsSync(dbPath)) repo = openIocRepository(dbPath);
  } catch (e) {
    notes.push(`network: stored indicators not read (${(e as Error).message})`);
  }
  try {
    const { iocs, whitelist, report } = await loadIndicators({
      iocFiles: opts.iocs,
      whitelistFiles: opts.whitelist,
      repository: repo?.repository,
      defaultIocs: opts.noDefaultIocs !== true,
      defaultWhitelist: opts.noDefaultWhitelist !== true,
    });
    notes.push(`network: ${report.iocCount} indicators and ${report.whitelistCount} whitelist entries loaded`);
    for (const s of report.sources) {
      if (s.errors || s.warnings) {
        const first = s.issues.slice(0, 3).map((i) => `${i.line !== undefined ? `line ${i.line}` : i.path ?? `entry ${i.entry ?? '?'}`}: ${i.reason}`).join('; ');
        notes.push(`network: ${s.name}: ${s.errors} refused, ${s.warnings} warnings${first ? ` (${first}${s.issues.length > 3 ? '; ...' : ''})` : ''}`);
      }
    }
    notes.push(...report.messages.map((m) => `network: ${m}`));
    const active = opts.active === true || process.env.LOUPE_NETWORK_ACTIVE === '1';
    if (active) notes.push('network: active checks on (name servers and WHOIS of contacted domains are looked up)');
    const cachePath = active ? join(dirname(dbPath), 'active-lookups.json') : undefined;
    return { detectors: [new NetworkDetector({ iocs, whitelist, lang: opts.lang, active: { enabled: active, cachePath } })], notes };
  } finally {
    repo?.close();
  }
}
