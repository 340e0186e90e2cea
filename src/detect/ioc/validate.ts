/**
 * One canonical spelling per indicator type, and refusal of anything else. A value that fails its
 * declared type is an error for that entry: it is never re-filed under another type (an IP given
 * as a `domain` is reported, not silently turned into an `ip4`).
 */
import { refang, validateDomain } from './domain.js';
import { canonicalIp, parseCidr, parseIPv4, parseIPv6, isIPv4Mapped } from './ip.js';
import { IOC_TYPES, type IocType } from './types.js';

export type Validation = { ok: true; value: string; warning?: string } | { ok: false; reason: string };

const HEX = /^[0-9a-f]+$/;

function hexDigest(raw: string, length: number, what: string): Validation {
  // Fingerprints are often written with colons or spaces (`AB:CD:...`) and in upper case.
  const v = raw.trim().replace(/[:\s-]/g, '').toLowerCase();
  if (v.length !== length || !HEX.test(v)) return { ok: false, reason: `not a ${what} (${length} hex digits expected)` };
  return { ok: true, value: v };
}

/** Parses the parts of a Snort/Suricata rule that alerts need: sid, rev, msg. */
export function parseRuleMeta(rule: string): { sid?: number; rev?: number; msg?: string } {
  const sid = /(?:^|[;(\s])sid\s*:\s*(\d+)\s*;/.exec(rule);
  const rev = /(?:^|[;(\s])rev\s*:\s*(\d+)\s*;/.exec(rule);
  const msg = /(?:^|[;(\s])msg\s*:\s*"((?:[^"\\]|\\.)*)"\s*;/.exec(rule);
  return {
    sid: sid ? Number(sid[1]) : undefined,
    rev: rev ? Number(rev[1]) : undefined,
    msg: msg ? msg[1] : undefined,
  };
}

const RULE_ACTIONS = /^(alert|drop|reject|pass|rejectsrc|rejectdst|rejectboth)\s/;

export function validateIndicator(type: IocType, raw: string): Validation {
  if (typeof raw !== 'string') return { ok: false, reason: 'value is not text' };
  if (raw.length > 65536) return { ok: false, reason: 'value longer than 64 KiB' };
  const trimmed = raw.trim();
  if (trimmed.length === 0) return { ok: false, reason: 'empty value' };
  switch (type) {
    case 'ip4': {
      const v = refang(trimmed);
      if (parseIPv4(v) === undefined) {
        return { ok: false, reason: parseIPv6(v) ? 'an IPv6 address given as ip4' : 'not an IPv4 address' };
      }
      return { ok: true, value: v };
    }
    case 'ip6': {
      const v = refang(trimmed);
      const w = parseIPv6(v);
      if (w === undefined) {
        return { ok: false, reason: parseIPv4(v) !== undefined ? 'an IPv4 address given as ip6' : 'not an IPv6 address' };
      }
      if (isIPv4Mapped(w)) return { ok: false, reason: 'an IPv4-mapped address given as ip6 (use ip4)' };
      return { ok: true, value: canonicalIp(v)! };
    }
    case 'cidr': {
      const c = parseCidr(refang(trimmed));
      if (c === undefined) return { ok: false, reason: 'not a CIDR range (address/prefix)' };
      return c.hostBitsSet
        ? { ok: true, value: c.text, warning: `host bits set; taken as ${c.text}` }
        : { ok: true, value: c.text };
    }
    case 'domain':
    case 'ns':
    case 'freedns': {
      const d = validateDomain(trimmed);
      if (!d.ok) return d;
      return d.changed ? { ok: true, value: d.value, warning: d.changed } : { ok: true, value: d.value };
    }
    case 'tld': {
      let v = trimmed.toLowerCase();
      if (v.startsWith('*.')) v = v.slice(1);
      if (!v.startsWith('.')) v = `.${v}`;
      if (v.endsWith('.')) v = v.slice(0, -1);
      if (!/^\.(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(v)) return { ok: false, reason: 'not a top-level domain (".xyz")' };
      return { ok: true, value: v };
    }
    case 'sha1cert':
    case 'sha1':
      return hexDigest(trimmed, 40, 'SHA-1');
    case 'md5':
      return hexDigest(trimmed, 32, 'MD5');
    case 'ja3':
      return hexDigest(trimmed, 32, 'JA3 fingerprint (MD5)');
    case 'sha256':
      return hexDigest(trimmed, 64, 'SHA-256');
    case 'url': {
      const v = refang(trimmed);
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        return { ok: false, reason: 'not an absolute URL' };
      }
      if (!/^(https?|ftp|wss?):$/.test(u.protocol)) return { ok: false, reason: `unsupported URL scheme ${u.protocol}` };
      if (!u.hostname) return { ok: false, reason: 'URL without a host' };
      u.hash = '';
      return { ok: true, value: u.href };
    }
    case 'snort': {
      if (!RULE_ACTIONS.test(trimmed)) return { ok: false, reason: 'not a Snort/Suricata rule (must start with an action such as "alert ")' };
      const meta = parseRuleMeta(trimmed);
      if (meta.sid === undefined) return { ok: false, reason: 'rule without a sid' };
      return { ok: true, value: trimmed };
    }
  }
}

/** The type a bare value most likely has (plain lists without a type, TinyCheck's `unknown`). */
export function detectType(raw: string): IocType | undefined {
  const v = refang(raw.trim());
  if (v.length === 0) return undefined;
  if (parseIPv4(v) !== undefined) return 'ip4';
  if (v.includes(':') && !v.includes('/') && parseIPv6(v) !== undefined) return 'ip6';
  if (v.includes('/') && parseCidr(v) !== undefined) return 'cidr';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return 'url';
  if (RULE_ACTIONS.test(v)) return 'snort';
  const hex = v.replace(/:/g, '');
  if (HEX.test(hex.toLowerCase())) {
    if (hex.length === 32) return 'md5';
    if (hex.length === 40) return 'sha1';
    if (hex.length === 64) return 'sha256';
  }
  if (v.startsWith('.') && /^\.[a-z]{2,63}$/i.test(v)) return 'tld';
  if (validateDomain(v).ok) return 'domain';
  return undefined;
}

/** Type names used by TinyCheck, MISP, STIX-ish CSVs and people, to ours. */
const ALIASES: Record<string, IocType | 'auto'> = {
  ip4addr: 'ip4',
  ipv4: 'ip4',
  'ipv4-addr': 'ip4',
  ip6addr: 'ip6',
  ipv6: 'ip6',
  'ipv6-addr': 'ip6',
  ip: 'auto',
  'ip-dst': 'auto',
  'ip-src': 'auto',
  address: 'auto',
  net: 'cidr',
  network: 'cidr',
  subnet: 'cidr',
  range: 'cidr',
  hostname: 'domain',
  host: 'domain',
  fqdn: 'domain',
  'domain-name': 'domain',
  nameserver: 'ns',
  'x509-fingerprint-sha1': 'sha1cert',
  'ja3-fingerprint-md5': 'ja3',
  suricata: 'snort',
  rule: 'snort',
  uri: 'url',
  link: 'url',
  unknown: 'auto',
  auto: 'auto',
};

/** A declared type to ours; `auto` means "detect from the value"; undefined means unknown type name. */
export function resolveTypeName(name: string): IocType | 'auto' | undefined {
  const n = name.trim().toLowerCase();
  if ((IOC_TYPES as readonly string[]).includes(n)) return n as IocType;
  return ALIASES[n];
}

/** Bounds a value from an input before it goes into an issue message. */
export function clip(s: unknown, max = 200): string {
  const t = typeof s === 'string' ? s : JSON.stringify(s) ?? String(s);
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
