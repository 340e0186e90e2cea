/**
 * MISP event JSON (`{"Event":{...}}`, a bare event, a list of them, or a REST search `response`).
 * Attributes come from the event and from its objects. Network and file types map to ours;
 * composite types (`domain|ip`, `ip-dst|port`, `filename|sha256`) give their indicator parts;
 * everything else (`text`, `link`, `comment`...) is counted as skipped, by MISP type.
 */
import { Collector, normalizeTag, normalizeTlp, parseWhen, type ImportOptions } from './collector.js';
import type { ImportResult } from '../types.js';

/** MISP attribute type → our type name (`auto` for IPs, which may be v4, v6 or a CIDR). */
const SIMPLE: Record<string, string> = {
  'ip-dst': 'auto',
  'ip-src': 'auto',
  domain: 'domain',
  hostname: 'domain',
  url: 'url',
  uri: 'url',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  'x509-fingerprint-sha1': 'sha1cert',
  'ja3-fingerprint-md5': 'ja3',
  snort: 'snort',
};

type Json = Record<string, unknown>;

export function looksLikeMisp(doc: unknown): boolean {
  if (Array.isArray(doc)) return doc.length > 0 && looksLikeMisp(doc[0]);
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Json;
  return 'Event' in d || ('response' in d && Array.isArray(d.response)) || Array.isArray(d.Attribute) || Array.isArray(d.Object);
}

function eventsOf(doc: unknown): Json[] {
  if (Array.isArray(doc)) return doc.flatMap(eventsOf);
  if (typeof doc !== 'object' || doc === null) return [];
  const d = doc as Json;
  if (Array.isArray(d.response)) return d.response.flatMap(eventsOf);
  if (typeof d.Event === 'object' && d.Event !== null) return [d.Event as Json];
  return [d];
}

function tagsOf(x: Json): string[] {
  const t = x.Tag;
  if (!Array.isArray(t)) return [];
  return t.map((e) => (typeof e === 'object' && e !== null ? (e as Json).name : undefined)).filter((n): n is string => typeof n === 'string');
}

/** `tlp:amber` sets the TLP; the first other tag becomes the tag (`misp-galaxy:...="X"` → X). */
function splitTags(tags: string[]): { tag?: string; tlp?: string } {
  let tag: string | undefined;
  let tlp: string | undefined;
  for (const t of tags) {
    if (/^tlp:/i.test(t)) {
      tlp ??= normalizeTlp(t);
      continue;
    }
    if (tag === undefined) {
      const q = /="([^"]*)"$/.exec(t);
      tag = normalizeTag(q ? q[1] : t);
    }
  }
  return { tag, tlp };
}

export function importMisp(doc: unknown, options: ImportOptions & { name?: string } = {}): ImportResult {
  const c = new Collector('misp', options);
  let entry = 0;
  eventsOf(doc).forEach((ev, ei) => {
    const evTags = splitTags(tagsOf(ev));
    const visit = (attrs: unknown, base: string, objectName?: string): void => {
      if (!Array.isArray(attrs)) return;
      attrs.forEach((a, ai) => {
        entry++;
        const where = { entry, path: `${base}[${ai}]` };
        if (typeof a !== 'object' || a === null) {
          c.error(where, 'attribute is not an object', a);
          return;
        }
        const at = a as Json;
        const type = typeof at.type === 'string' ? at.type : '';
        const value = at.value;
        const own = splitTags(tagsOf(at));
        const meta = {
          tag: own.tag ?? evTags.tag,
          tlp: own.tlp ?? evTags.tlp,
          firstSeen: parseWhen(at.first_seen) ?? parseWhen(at.timestamp),
          comment: typeof at.comment === 'string' && at.comment ? at.comment : objectName,
        };
        // An android-app object's `certificate` is the APK signing certificate, not a TLS
        // certificate: filing it as sha1cert would promise a match that can never happen.
        if (type === 'sha1' && at.object_relation === 'certificate') {
          c.skip('sha1 (app signing certificate)');
          return;
        }
        const simple = SIMPLE[type];
        if (simple !== undefined) {
          c.add(simple, value, where, meta);
          return;
        }
        if (type.includes('|') && typeof value === 'string') {
          const [t1, t2] = type.split('|') as [string, string];
          const parts = value.split('|');
          if (parts.length !== 2) {
            c.error(where, `composite ${type} without two parts`, value);
            return;
          }
          let used = false;
          for (const [t, v] of [
            [t1, parts[0]!],
            [t2, parts[1]!],
          ] as const) {
            const mapped = t === 'ip' ? 'auto' : SIMPLE[t];
            if (mapped !== undefined) {
              c.add(mapped, v, where, meta);
              used = true;
            }
          }
          if (!used) c.skip(type);
          return;
        }
        c.skip(type || '(no type)');
      });
    };
    visit(ev.Attribute, `events[${ei}].Attribute`);
    const objects = ev.Object;
    if (Array.isArray(objects)) {
      objects.forEach((o, oi) => {
        if (typeof o !== 'object' || o === null) return;
        const attrs = (o as Json).Attribute;
        // The object's own `name` attribute (an app name) says more than the template name.
        const named = Array.isArray(attrs)
          ? attrs.find((a): a is Json => typeof a === 'object' && a !== null && (a as Json).object_relation === 'name' && typeof (a as Json).value === 'string')
          : undefined;
        const name = named ? (named.value as string) : typeof (o as Json).name === 'string' ? ((o as Json).name as string) : undefined;
        visit(attrs, `events[${ei}].Object[${oi}].Attribute`, name);
      });
    }
  });
  return c.result();
}
