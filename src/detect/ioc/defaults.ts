/**
 * TinyCheck's default feed and whitelist as Loupe's built-in defaults, read from where they are
 * rather than copied into the repository. Looked for, in order:
 *   1. `$LOUPE_TINYCHECK_DIR` (a user's replacement, same file names),
 *   2. `<package>/data/iocs/tinycheck/` (where a release may ship them: both are Apache-2.0),
 *   3. `$LOUPE_SHARED_DATA/iocs/tinycheck/`, then `<package>/../shared/data/iocs/tinycheck/`.
 * When none holds them, analysis goes on without defaults and says so once.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_IOCS_FILE = 'iocs.json';
export const DEFAULT_WHITELIST_FILE = 'whitelist.json';
export const DEFAULT_SOURCE = 'tinycheck-default';

/** The package root: the nearest folder above this file holding a package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

export interface DefaultFeed {
  /** The folder used, when one was found. */
  dir?: string;
  iocs?: string;
  whitelist?: string;
  /** Every folder looked at, for the message when nothing was found. */
  tried: string[];
}

export function locateDefaultFeed(env: NodeJS.ProcessEnv = process.env): DefaultFeed {
  const root = packageRoot();
  const candidates: string[] = [];
  if (env.LOUPE_TINYCHECK_DIR) candidates.push(resolve(env.LOUPE_TINYCHECK_DIR));
  candidates.push(join(root, 'data', 'iocs', 'tinycheck'));
  if (env.LOUPE_SHARED_DATA) candidates.push(join(resolve(env.LOUPE_SHARED_DATA), 'iocs', 'tinycheck'));
  candidates.push(resolve(root, '..', 'shared', 'data', 'iocs', 'tinycheck'));
  for (const dir of candidates) {
    const iocs = join(dir, DEFAULT_IOCS_FILE);
    const whitelist = join(dir, DEFAULT_WHITELIST_FILE);
    const hasI = existsSync(iocs);
    const hasW = existsSync(whitelist);
    if (hasI || hasW) return { dir, iocs: hasI ? iocs : undefined, whitelist: hasW ? whitelist : undefined, tried: candidates };
  }
  return { tried: candidates };
}
