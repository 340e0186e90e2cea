/**
 * Names: domain indicators are validated strictly (labels, length, no IP posing as a name);
 * names from evidence (DNS queries, HTTP Host headers, TLS SNI) are only normalised, cheaply,
 * because they are looked up millions of times.
 */
import { domainToASCII } from 'node:url';
import { looksLikeIp } from './ip.js';

/** DNS limits (RFC 1035): 253 characters in text form, 63 per label. */
export const MAX_NAME = 253;
const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?|xn--[a-z0-9-]{1,59})$/;

/**
 * Undo the usual defanging (`evil[.]com`, `hxxps://`, `evil(dot)com`). Every occurrence is
 * replaced, unlike TinyCheck's UI, which replaced only the first.
 */
const DEFANGED = /[[({]|^hxxp|^fxp/i;

export function refang(s: string): string {
  // Nearly every value is not defanged: one cheap test before five replacements.
  if (!DEFANGED.test(s)) return s;
  return s
    .replace(/\[\s*\.\s*\]|\(\s*\.\s*\)|\{\s*\.\s*\}|\[dot\]|\(dot\)|\{dot\}/gi, '.')
    .replace(/\[\s*:\s*\]/g, ':')
    .replace(/\[:\/\/\]/g, '://')
    .replace(/^hxxp(s?)(?=:\/\/|\[:\/\/\])/i, 'http$1')
    .replace(/^fxp(?=:\/\/)/i, 'ftp');
}

export type DomainCheck = { ok: true; value: string; changed?: string } | { ok: false; reason: string };

/** A domain indicator: refanged, lower-case, IDN to punycode, no trailing dot, no `*.`; at least two labels. */
/** Lower-case letters, digits, `-`, `_`, `.` only: the usual case, checked without splitting. */
const PLAIN_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+(?:[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;

export function validateDomain(input: string, opts: { minLabels?: number } = {}): DomainCheck {
  // Fast path: an already canonical name of two labels or more (one regex, no allocation).
  if ((opts.minLabels ?? 2) <= 2 && input.length <= MAX_NAME && PLAIN_NAME.test(input) && !looksLikeIp(input)) {
    return { ok: true, value: input };
  }
  let s = refang(input.trim());
  let changed: string | undefined;
  if (s.startsWith('*.')) {
    s = s.slice(2);
    changed = 'leading wildcard removed (suffix matching covers subdomains)';
  } else if (s.startsWith('.')) {
    s = s.slice(1);
  }
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.length === 0) return { ok: false, reason: 'empty name' };
  if (looksLikeIp(s)) return { ok: false, reason: 'an IP address, not a domain name' };
  if (/[/:@?#\s]/.test(s)) return { ok: false, reason: 'not a domain name (contains a URL or port character or a space)' };
  // Non-ASCII names go to punycode; domainToASCII returns '' for names it cannot convert.
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) {
    const ascii = domainToASCII(s);
    if (!ascii) return { ok: false, reason: 'international name that cannot be converted to punycode' };
    s = ascii;
  }
  s = s.toLowerCase();
  if (s.length > MAX_NAME) return { ok: false, reason: `longer than ${MAX_NAME} characters` };
  const labels = s.split('.');
  if (labels.length < (opts.minLabels ?? 2)) return { ok: false, reason: 'a domain needs at least two labels' };
  for (const l of labels) {
    if (!LABEL.test(l)) return { ok: false, reason: `bad label "${l.slice(0, 70)}"` };
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return { ok: false, reason: 'the top-level label is numeric' };
  return changed ? { ok: true, value: s, changed } : { ok: true, value: s };
}

/**
 * A name seen in evidence, ready for lookup: lower-case, without a trailing dot; undefined when
 * empty or longer than DNS allows (hostile input is bounded here, once).
 */
export function normalizeName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  let s = name;
  if (s.length === 0 || s.length > MAX_NAME + 1) return undefined;
  if (s.charCodeAt(s.length - 1) === 46) s = s.slice(0, -1);
  if (s.length === 0) return undefined;
  // Lower-case only when needed: most names already are.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}

/**
 * An HTTP Host header to a bare name: `x.evil.com:8080` → `x.evil.com`, `[::1]:80` → `::1`.
 * TinyCheck compared the header with its port and so never matched it.
 */
export function hostWithoutPort(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  let h = host.trim();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : undefined;
  }
  const colon = h.indexOf(':');
  // More than one colon: a bare IPv6 address without brackets, keep it whole.
  if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
  return normalizeName(h);
}

/** The labels of a name from the right: `a.b.c` → `c`, `b.c`, `a.b.c` (a generator, no array). */
export function* suffixes(name: string): Generator<string> {
  let i = name.length;
  while (i > 0) {
    const dot = name.lastIndexOf('.', i - 1);
    yield name.slice(dot + 1);
    if (dot < 0) break;
    i = dot;
  }
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
