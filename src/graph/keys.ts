/**
 * Entity identity. Each function returns the canonical key of an entity; `nodeId` hashes
 * type + key into a stable id, so the same entity gets the same id in every run, on every
 * machine, from every evidence file.
 *
 * - Process: host + ProcessGuid, else host + pid + start time.
 * - File: host + normalised, case-folded Windows path.
 * - Domain: lower case, no trailing dot. IP: canonical text (IPv6 compressed, v4-mapped → v4).
 * - URI: scheme://host[:port]/path?query with the host lower-cased (the path keeps its case).
 * - RegistryKey: host + case-folded key path with the hive abbreviated.
 * - Host: lower-case name. User: lower-case `domain\name`.
 */
import { isIP } from 'node:net';
import type { NodeType } from './types.js';
import { sha1Hex } from '../util/sha1.js';

/**
 * Ids of recent keys, so that the entities every event names (host, user, parent image) are
 * hashed once. Emptied when full: 20,000 entries keep the hit rate and are full within the first
 * tens of thousands of events, so memory does not climb with the input.
 */
const CACHE_MAX = 20_000;
const idCache = new Map<string, string>();

export function nodeId(type: NodeType, key: string): string {
  const k = `${type}\u0000${key}`;
  let id = idCache.get(k);
  if (id === undefined) {
    id = sha1Hex(k).slice(0, 16);
    if (idCache.size > CACHE_MAX) idCache.clear();
    idCache.set(k, id);
  }
  return id;
}

const edgeCache = new Map<string, string>();

export function edgeId(type: string, src: string, dst: string): string {
  const k = `${type}\u0000${src}\u0000${dst}`;
  let id = edgeCache.get(k);
  if (id === undefined) {
    id = sha1Hex(k).slice(0, 16);
    if (edgeCache.size > CACHE_MAX) edgeCache.clear();
    edgeCache.set(k, id);
  }
  return id;
}

export function hostKey(host: string | undefined): string {
  return (host ?? '').trim().toLowerCase();
}

/**
 * Windows paths name one file in many spellings: case, `/` for `\`, `\??\` and `\\?\` prefixes,
 * `\SystemRoot\`, surrounding quotes. All fold to one key.
 */
export function normalisePath(path: string): string {
  // Most paths need only the case folding: skip the rewrites when none can apply.
  return PATH_NEEDS_REWRITE.test(path) ? rewritePath(path) : path.toLowerCase();
}

/** Every rewrite of normalisePath, applied whether or not it can change the path (tests compare). */
export function rewritePath(path: string): string {
  let p = path.trim();
  if (p.length >= 2 && p.startsWith('"') && p.endsWith('"')) p = p.slice(1, -1);
  p = p.replace(/\//g, '\\');
  p = p.replace(/^\\\?\?\\/, '').replace(/^\\\\\?\\/, '');
  p = p.replace(/^\\systemroot\\/i, 'c:\\windows\\');
  p = p.replace(/^%systemroot%\\/i, 'c:\\windows\\').replace(/^%windir%\\/i, 'c:\\windows\\');
  p = p.replace(/\\{2,}/g, (m, off: number) => (off === 0 ? m : '\\'));
  return p.toLowerCase();
}

/** A path some rewrite in normalisePath applies to: quotes, `/`, a prefix, doubled `\\`, spaces at an end. */
const PATH_NEEDS_REWRITE = /^[\s"\\%]|\/|.\\\\|\s$/;

export function fileKey(host: string | undefined, path: string): string {
  return `${hostKey(host)}|${normalisePath(path)}`;
}


export function domainKey(name: string): string | undefined {
  let d = name.trim().toLowerCase();
  while (d.endsWith('.')) d = d.slice(0, -1);
  return d || undefined;
}

const ipCache = new Map<string, string | null>();

/** Canonical text of an IP address, or undefined when the string is not one. */
export function canonicalIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const hit = ipCache.get(ip);
  if (hit !== undefined) return hit ?? undefined;
  const c = canonicalIpUncached(ip);
  if (ipCache.size > CACHE_MAX) ipCache.clear();
  ipCache.set(ip, c ?? null);
  return c;
}

function canonicalIpUncached(ip: string): string | undefined {
  let s = ip.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone > 0) s = s.slice(0, zone);
  const v = isIP(s);
  if (v === 4) return s.split('.').map((o) => String(Number(o))).join('.');
  if (v !== 6) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  if (mapped) return mapped[1];
  // The URL parser writes IPv6 in its canonical compressed form (RFC 5952).
  try {
    const host = new URL(`http://[${s}]/`).hostname;
    const inner = host.slice(1, -1);
    const m2 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(inner);
    if (m2) {
      const a = parseInt(m2[1], 16);
      const b = parseInt(m2[2], 16);
      return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
    }
    return inner;
  } catch {
    return undefined;
  }
}

/**
 * A URL as one canonical string. `host` supplies the host when the source logged only a path
 * (Zeek's `uri` with the `Host` header beside it).
 */
export function canonicalUri(uri: string, host?: string, scheme = 'http'): { key: string; host?: string } | undefined {
  const u = uri.trim();
  if (!u) return undefined;
  let full = u;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    if (!host) return { key: u };
    full = `${scheme}://${host}${u.startsWith('/') ? '' : '/'}${u}`;
  }
  try {
    const url = new URL(full);
    const h = url.hostname.toLowerCase();
    const port = url.port ? `:${url.port}` : '';
    return { key: `${url.protocol}//${h}${port}${url.pathname}${url.search}`, host: h.startsWith('[') ? h.slice(1, -1) : h };
  } catch {
    return { key: full, host: host?.toLowerCase() };
  }
}

export function registryKeyPath(host: string | undefined, keyPath: string): string {
  return `${hostKey(host)}|${keyPath.toLowerCase()}`;
}

export function userKey(domain: string | undefined, name: string): string {
  return `${(domain ?? '').toLowerCase()}\\${name.toLowerCase()}`;
}
