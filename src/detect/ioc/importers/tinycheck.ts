/**
 * TinyCheck's feed formats: IOCs `{"iocs":[{type,tag,tlp,value}], "to_delete":[{value}]}` and
 * whitelists `{"elements":[{type,element}], "to_delete":[{element}]}`. TinyCheck's type names
 * (`ip4addr`, `ip6addr`, `unknown`) map to ours; each entry is validated on its own.
 */
import { Collector, type ImportOptions } from './collector.js';
import { detectType, validateIndicator } from '../validate.js';
import type { ImportResult } from '../types.js';

export function looksLikeTinyCheck(doc: unknown): boolean {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    !Array.isArray(doc) &&
    (Array.isArray((doc as Record<string, unknown>).iocs) || Array.isArray((doc as Record<string, unknown>).elements))
  );
}

export function importTinyCheck(doc: unknown, options: ImportOptions & { name?: string } = {}): ImportResult {
  const d = doc as Record<string, unknown>;
  const isWhitelist = Array.isArray(d.elements) && !Array.isArray(d.iocs);
  const c = new Collector('tinycheck', options, isWhitelist ? 'whitelist' : options.list ?? 'ioc');
  const key = isWhitelist ? 'elements' : 'iocs';
  const valueKey = isWhitelist ? 'element' : 'value';
  const entries = d[key] as unknown[];
  entries.forEach((e, i) => {
    const where = { entry: i + 1, path: `${key}[${i}]` };
    if (typeof e !== 'object' || e === null) {
      c.error(where, 'entry is not an object', e);
      return;
    }
    const o = e as Record<string, unknown>;
    const type = typeof o.type === 'string' ? o.type : 'unknown';
    c.add(type, o[valueKey], where, {
      tag: typeof o.tag === 'string' ? o.tag : undefined,
      tlp: typeof o.tlp === 'string' ? o.tlp : undefined,
    });
  });
  const del = d.to_delete;
  if (Array.isArray(del)) {
    del.forEach((e, i) => {
      const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[valueKey] ?? (e as Record<string, unknown>).value : e;
      if (typeof v === 'string' && v.trim()) {
        // Deleted in the form it is stored in (canonical address, network-address CIDR).
        const t = detectType(v);
        const canon = t !== undefined ? validateIndicator(t, v) : undefined;
        c.removals.push(canon?.ok ? canon.value : v.trim().toLowerCase());
      }
      else c.error({ entry: i + 1, path: `to_delete[${i}]` }, 'deletion without a value', e);
    });
  }
  return c.result();
}
