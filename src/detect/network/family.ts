/**
 * The network detector family for `loupe analyze`: indicators and whitelist from the built-in
 * TinyCheck defaults, the store (`loupe iocs import`) and `--iocs`/`--whitelist` files; the
 * alert language from `--lang`. What was loaded, and what was refused, goes to the run's notes.
 */
import { existsSync } from 'node:fs';
import type { DetectorOptions, DetectorSet } from '../index.js';
import { loadIndicators } from '../ioc/load.js';
import type { IocRepository } from '../ioc/repository.js';
import { defaultDbPath } from '../../store/index.js';
import { openIocRepository } from '../../store/sqlite/iocs.js';
import { NetworkDetector } from './detector.js';

export async function networkFamily(opts: DetectorOptions & { db?: string }): Promise<DetectorSet> {
  const notes: string[] = [];
  const dbPath = opts.db ?? defaultDbPath();
  let repo: { repository: IocRepository; close(): void } | undefined;
  try {
    if (existsSync(dbPath)) repo = openIocRepository(dbPath);
  } catch (e) {
    notes.push(`network: stored indicators not read (${(e as Error).message})`);
  }
  try {
    const { iocs, whitelist, report } = await loadIndicators({ iocFiles: opts.iocs, whitelistFiles: opts.whitelist, repository: repo?.repository });
    notes.push(`network: ${report.iocCount} indicators and ${report.whitelistCount} whitelist entries loaded`);
    for (const s of report.sources) {
      if (s.errors || s.warnings) {
        const first = s.issues.slice(0, 3).map((i) => `${i.line !== undefined ? `line ${i.line}` : i.path ?? `entry ${i.entry ?? '?'}`}: ${i.reason}`).join('; ');
        notes.push(`network: ${s.name}: ${s.errors} refused, ${s.warnings} warnings${first ? ` (${first}${s.issues.length > 3 ? '; ...' : ''})` : ''}`);
      }
    }
    notes.push(...report.messages.map((m) => `network: ${m}`));
    return { detectors: [new NetworkDetector({ iocs, whitelist, lang: opts.lang })], notes };
  } finally {
    repo?.close();
  }
}
