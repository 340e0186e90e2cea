/** IPv4 and IPv6 addresses and networks for the `cidr` modifier: parse once, test with integer masks. */

export type Ip = { v: 4; n: number } | { v: 6; w: Uint16Array };

export interface Cidr {
  v: 4 | 6;
  /** v4: network as uint32 and mask; v6: network words and prefix length. */
  net4?: number;
  mask4?: number;
  net6?: Uint16Array;
  bits: number;
  text: string;
}

export function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n >>> 0;
}

export function parseIpv6(input: string): Uint16Array | undefined {
  let s = input;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return undefined;
  // an embedded IPv4 tail (::ffff:1.2.3.4) is rewritten as two hex words
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string) => (h === '' ? [] : h.split(':'));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const out = new Uint16Array(8);
  let i = 0;
  for (const w of head) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    out[i++] = parseInt(w, 16);
  }
  i = 8 - rest.length;
  for (const w of rest) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    out[i++] = parseInt(w, 16);
  }
  return out;
}

export function parseIp(s: string): Ip | undefined {
  const t = s.trim();
  const n = parseIpv4(t);
  if (n !== undefined) return { v: 4, n };
  const w = parseIpv6(t);
  return w ? { v: 6, w } : undefined;
}

export function parseCidr(text: string): Cidr {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash >= 0 ? t.slice(0, slash) : t;
  const ip = parseIp(addr);
  if (!ip) throw new Error(`not an IP network: '${text}'`);
  const maxBits = ip.v === 4 ? 32 : 128;
  const bits = slash >= 0 ? Number(t.slice(slash + 1)) : maxBits;
  if (!Number.isInteger(bits) || bits < 0 || bits > maxBits || (slash >= 0 && !/^\d+$/.test(t.slice(slash + 1)))) {
    throw new Error(`bad prefix length in '${text}'`);
  }
  if (ip.v === 4) {
    const mask4 = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return { v: 4, net4: (ip.n & mask4) >>> 0, mask4, bits, text };
  }
  const net6 = new Uint16Array(8);
  for (let i = 0; i < 8; i++) net6[i] = ip.w[i]! & wordMask(bits, i);
  return { v: 6, net6, bits, text };
}

function wordMask(bits: number, word: number): number {
  const left = bits - word * 16;
  if (left >= 16) return 0xffff;
  if (left <= 0) return 0;
  return (0xffff << (16 - left)) & 0xffff;
}

export function cidrContains(c: Cidr, ip: Ip): boolean {
  if (c.v === 4) {
    if (ip.v === 4) return ((ip.n & c.mask4!) >>> 0) === c.net4;
    // IPv4-mapped IPv6 (::ffff:a.b.c.d) is the same host
    const w = ip.w;
    if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
      const n = ((w[6]! << 16) | w[7]!) >>> 0;
      return ((n & c.mask4!) >>> 0) === c.net4;
    }
    return false;
  }
  if (ip.v !== 6) return false;
  for (let i = 0; i < 8; i++) {
    const m = wordMask(c.bits, i);
    if (m === 0) break;
    if ((ip.w[i]! & m) !== c.net6![i]) return false;
  }
  return true;
}
