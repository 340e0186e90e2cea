/**
 * STIX 2.1 bundles: `indicator` objects whose STIX patterns compare observable values
 * (`[domain-name:value = 'evil.com' OR ipv4-addr:value = '198.51.100.7']`). Each `=` or `IN`
 * comparison on a path we match becomes an indicator; `ISSUBSET` on an address gives a CIDR.
 * Snort/Suricata pattern types give rules. The rest of the bundle is counted as skipped.
 */
import { Collector, normalizeTag, parseWhen, type ImportOptions } from './collector.js';
import type { ImportResult } from '../types.js';

type Json = Record<string, unknown>;

/** Well-known TLP 1.0 marking definitions (fixed ids in the STIX 2.x specification). */
const TLP_MARKINGS: Record<string, string> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'white',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

export function looksLikeStix(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const d = doc as Json;
  return (d.type === 'bundle' && Array.isArray(d.objects)) || (typeof d.type === 'string' && d.type === 'indicator' && typeof d.pattern === 'string');
}

export interface PatternComparison {
  objectType: string;
  path: string;
  op: string;
  values: string[];
  negated: boolean;
}

/** Reads a quoted STIX string literal starting at `i` (the quote); returns the value and the next index. */
function readString(p: string, i: number): [string, number] | undefined {
  let out = '';
  let j = i + 1;
  while (j < p.length) {
    const ch = p[j]!;
    if (ch === '\\' && j + 1 < p.length) {
      out += p[j + 1];
      j += 2;
      continue;
    }
    if (ch === "'") return [out, j + 1];
    out += ch;
    j++;
  }
  return undefined;
}

/**
 * The comparisons in a STIX pattern, in order. Not a full grammar: Boolean structure, qualifiers
 * and FOLLOWEDBY are ignored, which is the usual reading for matching single observables.
 */
export function patternComparisons(pattern: string): PatternComparison[] {
  const out: PatternComparison[] = [];
  const re = /([a-z0-9][a-z0-9-]*):([A-Za-z0-9_.'\-[\]*]+)\s+(NOT\s+)?(=|!=|<=|>=|<|>|IN|LIKE|MATCHES|ISSUBSET|ISSUPERSET)\s*/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(pattern)) !== null) {
    let i = re.lastIndex;
    const values: string[] = [];
    if (pattern[i] === "'") {
      const s = readString(pattern, i);
      if (!s) break;
      values.push(s[0]);
      i = s[1];
    } else if (pattern[i] === '(') {
      i++;
      while (i < pattern.length && pattern[i] !== ')') {
        if (pattern[i] === "'") {
          const s = readString(pattern, i);
          if (!s) break;
          values.push(s[0]);
          i = s[1];
        } else {
          i++;
        }
      }
    }
    re.lastIndex = i;
    out.push({ objectType: m[1]!.toLowerCase(), path: m[2]!, op: m[4]!.toUpperCase(), values, negated: Boolean(m[3]) });
  }
  return out;
}

/** A comparison to our type name, or undefined for paths we do not match. */
function typeFor(c: PatternComparison): string | undefined {
  const path = c.path.replace(/'/g, '').toLowerCase();
  switch (c.objectType) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      if (path !== 'value') return undefined;
      if (c.op === 'ISSUBSET') return 'cidr';
      return c.values.some((v) => v.includes('/')) ? 'cidr' : c.objectType === 'ipv4-addr' ? 'ip4' : 'ip6';
    case 'domain-name':
      return path === 'value' ? 'domain' : undefined;
    case 'url':
      return path === 'value' ? 'url' : undefined;
    case 'file':
    case 'artifact':
      if (path === 'hashes.md5') return 'md5';
      if (path === 'hashes.sha-1' || path === 'hashes.sha1') return 'sha1';
      if (path === 'hashes.sha-256' || path === 'hashes.sha256') return 'sha256';
      return undefined;
    case 'x509-certificate':
      if (path === 'hashes.sha-1' || path === 'hashes.sha1') return 'sha1cert';
      return undefined;
    case 'network-traffic':
      if (path === 'dst_ref.value' || path === 'src_ref.value') return 'auto';
      return undefined;
    default:
      return undefined;
  }
}

export function importStix(doc: unknown, options: ImportOptions & { name?: string } = {}): ImportResult {
  const c = new Collector('stix', options);
  const d = doc as Json;
  const objects: unknown[] = d.type === 'bundle' ? (d.objects as unknown[]) : [d];
  // TLP from the bundle's own marking definitions first, then the well-known ids.
  const markings = new Map<string, string>(Object.entries(TLP_MARKINGS));
  for (const o of objects) {
    if (typeof o !== 'object' || o === null) continue;
    const ob = o as Json;
    if (ob.type !== 'marking-definition' || typeof ob.id !== 'string') continue;
    const def = ob.definition as Json | undefined;
    const tlp = typeof def?.tlp === 'string' ? def.tlp : typeof ob.name === 'string' ? ob.name.replace(/^TLP:/i, '') : undefined;
    if (tlp) markings.set(ob.id, tlp.toLowerCase());
  }
  objects.forEach((o, i) => {
    const where = { entry: i + 1, path: `objects[${i}]` };
    if (typeof o !== 'object' || o === null) {
      c.error(where, 'object is not an object', o);
      return;
    }
    const ob = o as Json;
    if (ob.type !== 'indicator') {
      c.skip(typeof ob.type === 'string' ? ob.type : '(no type)');
      return;
    }
    if (typeof ob.pattern !== 'string') {
      c.error(where, 'indicator without a pattern');
      return;
    }
    const types = Array.isArray(ob.indicator_types) ? ob.indicator_types : Array.isArray(ob.labels) ? ob.labels : [];
    const refs = Array.isArray(ob.object_marking_refs) ? ob.object_marking_refs : [];
    const tlp = refs.map((r) => (typeof r === 'string' ? markings.get(r) : undefined)).find((x) => x !== undefined);
    const meta = {
      tag: typeof types[0] === 'string' ? normalizeTag(types[0]) : undefined,
      tlp,
      firstSeen: parseWhen(ob.valid_from),
      comment: typeof ob.name === 'string' ? ob.name : undefined,
    };
    const ptype = typeof ob.pattern_type === 'string' ? ob.pattern_type.toLowerCase() : 'stix';
    if (ptype === 'snort' || ptype === 'suricata') {
      c.add('snort', ob.pattern, where, meta);
      return;
    }
    if (ptype !== 'stix') {
      c.skip(`indicator (${ptype} pattern)`);
      return;
    }
    const comps = patternComparisons(ob.pattern);
    let used = 0;
    for (const comp of comps) {
      if (comp.negated || !(comp.op === '=' || comp.op === 'IN' || comp.op === 'ISSUBSET')) continue;
      const t = typeFor(comp);
      if (t === undefined) continue;
      for (const v of comp.values) {
        c.add(t, v, where, meta);
        used++;
      }
    }
    if (used === 0) {
      if (comps.length === 0) c.error(where, 'pattern could not be read', ob.pattern);
      else c.skip('indicator (no matchable comparison)');
    }
  });
  return c.result();
}
