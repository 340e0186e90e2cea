/**
 * IP addresses without a dependency: parsing to numbers (IPv4 as one uint32, IPv6 as four), one
 * canonical spelling each (IPv4 dotted quad, IPv6 per RFC 5952), and the fixed-width hex form
 * the CIDR index compares. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) canonicalises to IPv4, so an
 * indicator and a log that spell the same host differently still meet.
 */

/** Dotted quad to uint32, or undefined. Leading zeros are refused (`010.0.0.1` is octal to some tools). */
export function parseIPv4(s: string): number | undefined {
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return undefined; // leading zero
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + part;
}

export function formatIPv4(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** IPv6 text to four uint32 words (big-endian), or undefined. Accepts `[..]`, a `%zone`, embedded IPv4. */
export function parseIPv6(input: string): [number, number, number, number] | undefined {
  let s = input;
  if (s.length > 2 && s.charCodeAt(0) === 91 && s.charCodeAt(s.length - 1) === 93) s = s.slice(1, -1);
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (s.length < 2 || s.length > 45) return undefined;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  const n = s.length;
  if (s.startsWith('::')) {
    gap = 0;
    i = 2;
    if (n === 2) return [0, 0, 0, 0];
  } else if (s.charCodeAt(0) === 58) {
    return undefined;
  }
  while (i < n) {
    // Embedded IPv4 in the last 32 bits.
    const nextColon = s.indexOf(':', i);
    const token = nextColon < 0 ? s.slice(i) : s.slice(i, nextColon);
    if (token.includes('.')) {
      if (nextColon >= 0 || groups.length > 6) return undefined;
      const v4 = parseIPv4(token);
      if (v4 === undefined) return undefined;
      groups.push((v4 >>> 16) & 0xffff, v4 & 0xffff);
      i = n;
      break;
    }
    let g = 0;
    let len = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      g = g * 16 + d;
      len++;
      i++;
      if (len > 4) return undefined;
    }
    if (len === 0) return undefined;
    groups.push(g);
    if (i === n) break;
    if (s.charCodeAt(i) !== 58) return undefined;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined; // two '::'
      gap = groups.length;
      i++;
      if (i === n) break;
    } else if (i === n) {
      return undefined; // trailing single ':'
    }
  }
  if (gap >= 0) {
    if (groups.length > 7) return undefined;
    const fill = new Array<number>(8 - groups.length).fill(0);
    groups.splice(gap, 0, ...fill);
  }
  if (groups.length !== 8) return undefined;
  return [
    ((groups[0]! << 16) | groups[1]!) >>> 0,
    ((groups[2]! << 16) | groups[3]!) >>> 0,
    ((groups[4]! << 16) | groups[5]!) >>> 0,
    ((groups[6]! << 16) | groups[7]!) >>> 0,
  ];
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`, leftmost on ties. */
export function formatIPv6(w: readonly number[]): string {
  const g: number[] = [];
  for (const word of w) g.push((word >>> 16) & 0xffff, word & 0xffff);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/** 32 lower-case hex digits: fixed width, so string order is numeric order. */
export function ipv6Hex(w: readonly number[]): string {
  let out = '';
  for (const word of w) out += (word >>> 0).toString(16).padStart(8, '0');
  return out;
}

export function isIPv4Mapped(w: readonly number[]): boolean {
  return w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
}

export type ParsedIp = { version: 4; v4: number } | { version: 6; v6: [number, number, number, number] };

/** Either family; IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(s: string): ParsedIp | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { version: 4, v4 };
  if (s.indexOf(':') < 0) return undefined;
  const v6 = parseIPv6(s);
  if (v6 === undefined) return undefined;
  if (isIPv4Mapped(v6)) return { version: 4, v4: v6[3] };
  return { version: 6, v6 };
}

export function formatIp(p: ParsedIp): string {
  return p.version === 4 ? formatIPv4(p.v4) : formatIPv6(p.v6);
}

/** The canonical spelling of an address, or undefined when it is not one. */
export function canonicalIp(s: string): string | undefined {
  // Fast path: a dotted quad without leading zeros is already canonical.
  if (parseIPv4(s) !== undefined) return s;
  const p = parseIp(s);
  return p === undefined ? undefined : formatIp(p);
}

export function looksLikeIp(s: string): boolean {
  return parseIp(s) !== undefined;
}

/** A 128-bit mask applied to the four words. */
export function maskIPv6(w: readonly number[], prefix: number): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    const bits = Math.max(0, Math.min(32, prefix - 32 * k));
    const m = bits === 0 ? 0 : bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
    out[k] = (w[k]! & m) >>> 0;
  }
  return out;
}

export function lastIPv6(w: readonly number[], prefix: number): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    const bits = Math.max(0, Math.min(32, prefix - 32 * k));
    const m = bits === 0 ? 0 : bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
    out[k] = ((w[k]! & m) | (~m >>> 0)) >>> 0;
  }
  return out;
}

export function maskIPv4(v: number, prefix: number): number {
  if (prefix === 0) return 0;
  const m = (0xffffffff << (32 - prefix)) >>> 0;
  return (v & m) >>> 0;
}

export function lastIPv4(v: number, prefix: number): number {
  if (prefix === 0) return 0xffffffff;
  const m = (0xffffffff << (32 - prefix)) >>> 0;
  return ((v & m) | (~m >>> 0)) >>> 0;
}

export interface ParsedCidr {
  version: 4 | 6;
  prefix: number;
  /** Canonical `network/prefix`. */
  text: string;
  /** True when the input had host bits set (`10.0.0.1/8`); the range is taken from the masked network. */
  hostBitsSet: boolean;
  v4?: { first: number; last: number };
  v6?: { first: string; last: string };
}

/** `a.b.c.d/n` or `v6/n`; a bare address is a /32 or /128. */
export function parseCidr(s: string): ParsedCidr | undefined {
  const slash = s.indexOf('/');
  const addr = slash >= 0 ? s.slice(0, slash) : s;
  const lenText = slash >= 0 ? s.slice(slash + 1) : undefined;
  if (lenText !== undefined && !/^\d{1,3}$/.test(lenText)) return undefined;
  const p = parseIPv4(addr);
  if (p !== undefined) {
    const prefix = lenText === undefined ? 32 : Number(lenText);
    if (prefix > 32) return undefined;
    const first = maskIPv4(p, prefix);
    return {
      version: 4,
      prefix,
      text: `${formatIPv4(first)}/${prefix}`,
      hostBitsSet: first !== p,
      v4: { first, last: lastIPv4(p, prefix) },
    };
  }
  const w = parseIPv6(addr);
  if (w === undefined) return undefined;
  const prefix = lenText === undefined ? 128 : Number(lenText);
  if (prefix > 128) return undefined;
  const first = maskIPv6(w, prefix);
  const hostBitsSet = first.some((x, k) => x !== w[k]);
  return {
    version: 6,
    prefix,
    text: `${formatIPv6(first)}/${prefix}`,
    hostBitsSet,
    v6: { first: ipv6Hex(first), last: ipv6Hex(lastIPv6(w, prefix)) },
  };
}

/**
 * Addresses that never leave the local network: private, loopback, link-local, multicast,
 * broadcast, unspecified, CGNAT, ULA. PROTO-01 is about traffic that does leave it.
 */
export function isLocalAddress(s: string): boolean {
  const p = parseIp(s);
  if (p === undefined) return false;
  if (p.version === 4) {
    const a = p.v4 >>> 24;
    const b = (p.v4 >>> 16) & 255;
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  const top = p.v6[0] >>> 16;
  const isZeroPrefix = p.v6[0] === 0 && p.v6[1] === 0 && p.v6[2] === 0;
  return (
    (isZeroPrefix && (p.v6[3] === 0 || p.v6[3] === 1)) || // :: and ::1
    (top & 0xfe00) === 0xfc00 || // fc00::/7 ULA
    (top & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (top & 0xff00) === 0xff00 // ff00::/8 multicast
  );
}
