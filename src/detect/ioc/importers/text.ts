/**
 * Line formats: plain lists (one indicator a line, `#` comments, type given or detected per
 * line) and hosts files (`0.0.0.0 evil.com other.evil.com`, or bare names). In a hosts file the
 * address is the sinkhole, not an indicator: only the names are kept.
 */
import { Collector, type ImportOptions } from './collector.js';
import type { ImportResult } from '../types.js';

/** Hosts-file names that are never indicators. */
const HOSTS_RESERVED = new Set([
  'localhost',
  'localhost.localdomain',
  'local',
  'broadcasthost',
  'ip6-localhost',
  'ip6-loopback',
  'ip6-localnet',
  'ip6-mcastprefix',
  'ip6-allnodes',
  'ip6-allrouters',
  'ip6-allhosts',
  '0.0.0.0',
]);

function* lines(text: string): Generator<[number, string]> {
  let start = 0;
  let n = 0;
  if (text.charCodeAt(0) === 0xfeff) start = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    n++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    yield [n, line];
    start = end + 1;
  }
}

/** Strips a `#` comment that starts the line or follows whitespace (`evil.com  # C2`). */
function stripComment(line: string): string {
  const t = line.trim();
  if (t.startsWith('#') || t.startsWith('//') || t.startsWith(';')) return '';
  const m = /\s#/.exec(t);
  return m ? t.slice(0, m.index).trim() : t;
}

export function importList(text: string, options: ImportOptions & { name?: string } = {}): ImportResult {
  const c = new Collector('list', options);
  const type = options.type ?? 'auto';
  for (const [n, raw] of lines(text)) {
    const line = stripComment(raw);
    if (line === '') continue;
    // A rule is one whole line; everything else is one value a line.
    c.add(type, line, { line: n });
  }
  return c.result();
}

export function importHosts(text: string, options: ImportOptions & { name?: string } = {}): ImportResult {
  const c = new Collector('hosts', options);
  for (const [n, raw] of lines(text)) {
    const line = stripComment(raw);
    if (line === '') continue;
    const fields = line.split(/\s+/);
    // `IP name...` or a bare name.
    const names = fields.length > 1 && /^[0-9a-f:.]+$/i.test(fields[0]!) ? fields.slice(1) : fields;
    for (const name of names) {
      if (HOSTS_RESERVED.has(name.toLowerCase())) {
        c.skip('reserved host name');
        continue;
      }
      c.add('domain', name, { line: n });
    }
  }
  return c.result();
}

/** A hosts file if most non-comment lines start with an address followed by a name. */
export function looksLikeHosts(text: string): boolean {
  let hosts = 0;
  let seen = 0;
  for (const [, raw] of lines(text.slice(0, 65536))) {
    const line = stripComment(raw);
    if (line === '') continue;
    seen++;
    if (/^(0\.0\.0\.0|127\.0\.0\.1|::1?|::)\s+\S+/.test(line)) hosts++;
    if (seen >= 50) break;
  }
  return seen > 0 && hosts / seen > 0.5;
}
