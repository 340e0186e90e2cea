/**
 * Where the shared real-world data lives (`../shared/data` beside the repository). Tests read it
 * in place and skip with a clear message when it is absent; CI always has it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = process.env.LOUPE_SHARED_DATA ?? resolve(REPO, '..', 'shared', 'data');

export function shared(...parts: string[]): string {
  return join(SHARED, ...parts);
}

/** For `test(name, { skip: needShared('evtx') }, ...)`: false when present, else the reason. */
export function needShared(...parts: string[]): false | string {
  const p = shared(...parts);
  return existsSync(p) ? false : `shared data not found at ${p} (set LOUPE_SHARED_DATA)`;
}
