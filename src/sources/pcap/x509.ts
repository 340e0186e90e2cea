/**
 * X.509 certificates seen in TLS handshakes into Zeek x509.log rows, parsed with node:crypto's
 * X509Certificate (subject, issuer, validity, SANs, key) plus a small DER walk for what it does not
 * expose (version, algorithm names, basic constraints). Bad certificates give undefined.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { X509Row } from '../../normalize/zeek-rows.js';

const OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.1': 'dsaEncryption',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

const CURVES: Record<string, string> = { 'prime256v1': 'prime256v1', 'secp384r1': 'secp384r1', 'secp521r1': 'secp521r1', 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256 };

interface Der {
  tag: number;
  start: number;
  len: number;
  hdr: number;
}

function der(b: Buffer, o: number): Der | undefined {
  if (o + 2 > b.length) return undefined;
  const tag = b[o]!;
  let len = b[o + 1]!;
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || o + 2 + n > b.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[o + 2 + i]!;
    hdr = 2 + n;
  }
  if (o + hdr + len > b.length) return undefined;
  return { tag, start: o + hdr, len, hdr };
}

function children(b: Buffer, node: Der): Der[] {
  const out: Der[] = [];
  let p = node.start;
  const end = node.start + node.len;
  while (p < end && out.length < 64) {
    const c = der(b, p);
    if (!c) break;
    out.push(c);
    p = c.start + c.len;
  }
  return out;
}

function oid(b: Buffer, node: Der): string {
  const bytes = b.subarray(node.start, node.start + node.len);
  if (bytes.length === 0) return '';
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let v = 0;
  for (let i = 1; i < bytes.length; i++) {
    v = v * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

interface DerFacts {
  version?: number;
  sigAlg?: string;
  keyAlg?: string;
  ca?: boolean;
  pathLen?: number;
}

function derFacts(b: Buffer): DerFacts {
  const f: DerFacts = {};
  const cert = der(b, 0);
  if (!cert) return f;
  const [tbs, sigAlg] = children(b, cert);
  if (sigAlg) {
    const o = children(b, sigAlg)[0];
    if (o && o.tag === 6) f.sigAlg = OIDS[oid(b, o)] ?? oid(b, o);
  }
  if (!tbs) return f;
  const t = children(b, tbs);
  let i = 0;
  if (t[0] && t[0].tag === 0xa0) {
    const v = children(b, t[0])[0];
    if (v && v.tag === 2 && v.len >= 1) f.version = b[v.start + v.len - 1]! + 1;
    i = 1;
  } else f.version = 1;
  // serial, signature, issuer, validity, subject, subjectPublicKeyInfo
  const spki = t[i + 5];
  if (spki) {
    const algSeq = children(b, spki)[0];
    const o = algSeq ? children(b, algSeq)[0] : undefined;
    if (o && o.tag === 6) f.keyAlg = OIDS[oid(b, o)] ?? oid(b, o);
  }
  for (const ext of t.slice(i + 6)) {
    if (ext.tag !== 0xa3) continue;
    const seq = children(b, ext)[0];
    if (!seq) continue;
    for (const e of children(b, seq)) {
      const parts = children(b, e);
      if (!parts[0] || oid(b, parts[0]) !== '2.5.29.19') continue;
      const octet = parts[parts.length - 1]!;
      const inner = der(b, octet.start);
      f.ca = false;
      if (inner) {
        for (const c of children(b, inner)) {
          if (c.tag === 1) f.ca = b[c.start] !== 0;
          if (c.tag === 2 && c.len >= 1) f.pathLen = b.readUIntBE(c.start, Math.min(c.len, 6));
        }
      }
    }
  }
  return f;
}

/** OpenSSL-style RFC 2253 DN from node's multi-line one: most specific first, commas escaped. */
export function rfc2253(nodeDn: string): string {
  const parts = nodeDn.split('\n').filter((l) => l.length > 0).map((l) => {
    const eq = l.indexOf('=');
    if (eq < 0) return l;
    let v = l.slice(eq + 1);
    if (v.startsWith('"') && v.endsWith('"')) {
      try {
        v = JSON.parse(v) as string;
      } catch {
        v = v.slice(1, -1);
      }
    }
    v = v.replace(/([,+"\\<>;])/g, '\\$1');
    return `${l.slice(0, eq)}=${v}`;
  });
  return parts.reverse().join(',');
}

export interface ParsedCert {
  row: X509Row;
  fingerprint: string;
  sha1: string;
  sans: string[];
  subjectCn: string[];
}

export function parseCertificate(derBytes: Buffer, ts: number, hostCert: boolean, clientCert: boolean): ParsedCert | undefined {
  let x: X509Certificate;
  try {
    x = new X509Certificate(derBytes);
  } catch {
    return undefined;
  }
  const fingerprint = createHash('sha256').update(derBytes).digest('hex');
  const sha1 = createHash('sha1').update(derBytes).digest('hex');
  let facts: DerFacts = {};
  try {
    facts = derFacts(derBytes);
  } catch {
    // Odd encodings node accepted but our small walker does not: those fields stay unset.
  }
  const row: X509Row = { ts, fingerprint };
  if (facts.version !== undefined) row['certificate.version'] = facts.version;
  row['certificate.serial'] = x.serialNumber.toUpperCase();
  row['certificate.subject'] = rfc2253(x.subject);
  row['certificate.issuer'] = rfc2253(x.issuer);
  const nb = Date.parse(x.validFrom);
  const na = Date.parse(x.validTo);
  if (Number.isFinite(nb)) row['certificate.not_valid_before'] = nb / 1000;
  if (Number.isFinite(na)) row['certificate.not_valid_after'] = na / 1000;
  if (facts.keyAlg) row['certificate.key_alg'] = facts.keyAlg;
  if (facts.sigAlg) row['certificate.sig_alg'] = facts.sigAlg;
  try {
    const k = x.publicKey;
    const d = k.asymmetricKeyDetails ?? {};
    if (k.asymmetricKeyType === 'rsa' || k.asymmetricKeyType === 'rsa-pss') {
      row['certificate.key_type'] = 'rsa';
      if (d.modulusLength) row['certificate.key_length'] = d.modulusLength;
      if (d.publicExponent !== undefined) row['certificate.exponent'] = d.publicExponent.toString();
    } else if (k.asymmetricKeyType === 'ec') {
      row['certificate.key_type'] = 'ecdsa';
      const curve = d.namedCurve ? CURVES[d.namedCurve] ?? d.namedCurve : undefined;
      if (curve) {
        row['certificate.curve'] = curve;
        if (CURVE_BITS[curve]) row['certificate.key_length'] = CURVE_BITS[curve];
      }
    } else if (k.asymmetricKeyType === 'dsa') {
      row['certificate.key_type'] = 'dsa';
      if (d.modulusLength) row['certificate.key_length'] = d.modulusLength;
    }
  } catch {
    // Unusual keys: leave the key fields unset.
  }
  const sans: string[] = [];
  const uris: string[] = [];
  const emails: string[] = [];
  const ips: string[] = [];
  for (const part of (x.subjectAltName ?? '').split(/,\s*/)) {
    const m = /^(DNS|URI|email|IP Address):(.*)$/.exec(part.trim());
    if (!m) continue;
    const v = m[2]!.replace(/^"|"$/g, '');
    if (m[1] === 'DNS') sans.push(v);
    else if (m[1] === 'URI') uris.push(v);
    else if (m[1] === 'email') emails.push(v);
    else ips.push(v);
  }
  if (sans.length > 0) row['san.dns'] = sans;
  if (uris.length > 0) row['san.uri'] = uris;
  if (emails.length > 0) row['san.email'] = emails;
  if (ips.length > 0) row['san.ip'] = ips;
  if (facts.ca !== undefined) row['basic_constraints.ca'] = facts.ca;
  if (facts.pathLen !== undefined) row['basic_constraints.path_len'] = facts.pathLen;
  row.host_cert = hostCert;
  row.client_cert = clientCert;
  row.sha1 = sha1;
  let selfSigned = false;
  try {
    selfSigned = x.subject === x.issuer && x.checkIssued(x) && x.verify(x.publicKey);
  } catch {
    selfSigned = false;
  }
  row.self_signed = selfSigned;
  const subjectCn = x.subject.split('\n').filter((l) => l.startsWith('CN=')).map((l) => l.slice(3));
  return { row, fingerprint, sha1, sans, subjectCn };
}

/** Does a host name match a certificate name (with a leading `*.` wildcard)? */
export function nameMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) {
    const rest = p.slice(2);
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === rest;
  }
  return h === p;
}
