/**
 * The Mordor (Security-Datasets) recordings and the ATT&CK techniques their `_metadata` yaml names,
 * matched by the recording's file name as listed in the yaml. Shared by the recall test and the
 * bench. A named technique counts as found when an alert or threat of the recording names it, or
 * one of its sub-techniques (revoked ids are read as their replacements on both sides).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { technique } from '../../src/detect/attack/data.js';
import { shared } from '../helpers/shared.js';

export const MORDOR = shared('mordor', 'datasets', 'atomic');

export interface Recording {
  path: string;
  file: string;
  /** The metadata's id (SDWIN-...), when a yaml names the file. */
  meta?: string;
  title?: string;
  techniques: string[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every Windows host recording, with the techniques its metadata names. */
export function recordings(): Recording[] {
  const byFile = new Map<string, { id: string; title: string; techniques: string[] }>();
  const metaDir = join(MORDOR, '_metadata');
  for (const f of readdirSync(metaDir).filter((x) => x.endsWith('.yaml')).sort()) {
    const doc = yaml.load(readFileSync(join(metaDir, f), 'utf8')) as {
      id?: string;
      title?: string;
      attack_mappings?: { technique?: string; 'sub-technique'?: string | number | null }[];
      files?: { link?: string }[];
    };
    const techniques: string[] = [];
    for (const m of doc.attack_mappings ?? []) {
      if (!m.technique) continue;
      const sub = m['sub-technique'];
      const id = sub !== undefined && sub !== null && String(sub).trim() !== '' ? `${m.technique}.${String(sub).padStart(3, '0')}` : m.technique;
      if (!techniques.includes(id.toUpperCase())) techniques.push(id.toUpperCase());
    }
    for (const l of doc.files ?? []) if (l.link) byFile.set(basename(l.link), { id: doc.id ?? f, title: doc.title ?? '', techniques });
  }
  const files = walk(join(MORDOR, 'windows'))
    .filter((p) => /\/host\//.test(p))
    .sort();
  return files.map((path) => {
    const file = basename(path);
    const m = byFile.get(file);
    return m ? { path, file, meta: m.id, title: m.title, techniques: m.techniques } : { path, file, techniques: [] };
  });
}

/** A technique id as the current table names it (revoked ids read as their replacement). */
export function current(id: string): string {
  const t = technique(id);
  return t?.revokedBy ?? id.toUpperCase();
}

/** Is the named technique found among these? Exact, or a sub-technique of it. */
export function found(named: string, seen: Iterable<string>): boolean {
  const n = current(named);
  for (const s of seen) {
    const c = current(s);
    if (c === n || c.startsWith(`${n}.`)) return true;
  }
  return false;
}
