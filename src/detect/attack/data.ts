/**
 * The compact ATT&CK table shipped as `data/attack.json` (built by scripts/build-attack.ts from
 * MITRE's STIX bundle) and the lookups over it. Loaded once, lazily.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AttackData {
  source: string;
  version: string;
  /** [TA id, short name, display name], in matrix order. */
  tactics: [string, string, string][];
  /** Technique id → [name, space-separated tactic short names, flags ('r' revoked, 'd' deprecated)?]. */
  techniques: Record<string, [string, string] | [string, string, string]>;
  /** Revoked technique id → the technique that replaced it. */
  revokedBy: Record<string, string>;
  /** G id → group name. */
  groups: Record<string, string>;
  /** S id → [name, 't' tool | 'm' malware]. */
  software: Record<string, [string, string]>;
  /** Technique id → space-separated G and S ids that use it. */
  usedBy: Record<string, string>;
}

export interface Technique {
  id: string;
  name: string;
  tactics: string[];
  /** For sub-techniques: the parent technique id (T1059 for T1059.001). */
  parent?: string;
  revoked: boolean;
  deprecated: boolean;
  /** The replacement, for revoked techniques. */
  revokedBy?: string;
}

let cached: AttackData | undefined;

/** `data/attack.json` beside the package: three levels up from src/detect/attack, four from dist/src/... */
export function attackDataPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', 'data', 'attack.json'), join(here, '..', '..', '..', '..', 'data', 'attack.json')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}


export function attackData(): AttackData {
  if (!cached) cached = JSON.parse(readFileSync(attackDataPath(), 'utf8')) as AttackData;
  return cached;
}

/** For tests: use a given table instead of the shipped file. */
export function setAttackData(d: AttackData | undefined): void {
  cached = d;
}

export function technique(id: string): Technique | undefined {
  const d = attackData();
  const key = id.toUpperCase();
  const t = d.techniques[key];
  if (!t) return undefined;
  const dot = key.indexOf('.');
  return {
    id: key,
    name: t[0],
    tactics: t[1] ? t[1].split(' ') : [],
    parent: dot > 0 ? key.slice(0, dot) : undefined,
    revoked: (t[2] ?? '').includes('r'),
    deprecated: (t[2] ?? '').includes('d'),
    revokedBy: d.revokedBy[key],
  };
}

/** Tactic short name (`execution`) → [TA id, display name]. */
export function tactic(shortName: string): { id: string; shortName: string; name: string } | undefined {
  const t = attackData().tactics.find((x) => x[1] === shortName);
  return t ? { id: t[0], shortName: t[1], name: t[2] } : undefined;
}

export function tacticOrder(): string[] {
  return attackData().tactics.map((t) => t[1]);
}

/** Groups and software that use a technique (ATT&CK "uses" relationships). */
export function usersOf(id: string): { groups: { id: string; name: string }[]; software: { id: string; name: string; type: 'tool' | 'malware' }[] } {
  const d = attackData();
  const ids = d.usedBy[id.toUpperCase()]?.split(' ') ?? [];
  const groups: { id: string; name: string }[] = [];
  const software: { id: string; name: string; type: 'tool' | 'malware' }[] = [];
  for (const x of ids) {
    if (x.startsWith('G') && d.groups[x]) groups.push({ id: x, name: d.groups[x]! });
    else if (x.startsWith('S') && d.software[x]) {
      const [name, kind] = d.software[x]!;
      software.push({ id: x, name, type: kind === 't' ? 'tool' : 'malware' });
    }
  }
  return { groups, software };
}
