/**
 * TLS (SSLv3 to TLS 1.3) handshakes over a reassembled TCP stream into Zeek ssl.log rows, with
 * JA3, JA3S and JA4 fingerprints and the server's certificate chain (x509.log rows). Records and
 * handshake messages are length-checked; a damaged record stops the analysis of that direction.
 */
import { createHash } from 'node:crypto';
import type { SslRow, X509Row } from '../../normalize/zeek-rows.js';
import type { App, Conn } from './flows.js';
import { nameMatches, parseCertificate } from './x509.js';

export const TLS_VERSIONS: Record<number, string> = {
  0x0002: 'SSLv2', 0x0300: 'SSLv3', 0x0301: 'TLSv10', 0x0302: 'TLSv11', 0x0303: 'TLSv12', 0x0304: 'TLSv13',
  0xfeff: 'DTLSv10', 0xfefd: 'DTLSv12', 0xfefc: 'DTLSv13',
};

export function tlsVersionName(v: number): string {
  if (TLS_VERSIONS[v]) return TLS_VERSIONS[v]!;
  if ((v & 0xff00) === 0x7f00) return `TLSv13-draft${v & 0xff}`;
  return `unknown-${v}`;
}

const C: Record<number, string> = {
  0x0000: 'TLS_NULL_WITH_NULL_NULL', 0x0001: 'TLS_RSA_WITH_NULL_MD5', 0x0002: 'TLS_RSA_WITH_NULL_SHA', 0x0003: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5',
  0x0004: 'TLS_RSA_WITH_RC4_128_MD5', 0x0005: 'TLS_RSA_WITH_RC4_128_SHA', 0x0006: 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5',
  0x0007: 'TLS_RSA_WITH_IDEA_CBC_SHA', 0x0008: 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 0x0009: 'TLS_RSA_WITH_DES_CBC_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 0x0011: 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', 0x0012: 'TLS_DHE_DSS_WITH_DES_CBC_SHA',
  0x0013: 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', 0x0014: 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 0x0015: 'TLS_DHE_RSA_WITH_DES_CBC_SHA',
  0x0016: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', 0x0018: 'TLS_DH_anon_WITH_RC4_128_MD5', 0x001b: 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA', 0x0032: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA', 0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  0x0034: 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA', 0x0038: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA',
  0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 0x003a: 'TLS_DH_anon_WITH_AES_256_CBC_SHA', 0x003b: 'TLS_RSA_WITH_NULL_SHA256',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256', 0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256', 0x0040: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256',
  0x0041: 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', 0x0044: 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA', 0x0045: 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA',
  0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 0x006a: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256', 0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0x0084: 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 0x0087: 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA', 0x0088: 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA',
  0x008a: 'TLS_PSK_WITH_RC4_128_SHA', 0x008b: 'TLS_PSK_WITH_3DES_EDE_CBC_SHA', 0x008c: 'TLS_PSK_WITH_AES_128_CBC_SHA', 0x008d: 'TLS_PSK_WITH_AES_256_CBC_SHA',
  0x0096: 'TLS_RSA_WITH_SEED_CBC_SHA', 0x009a: 'TLS_DHE_RSA_WITH_SEED_CBC_SHA',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256', 0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384', 0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 0x00a2: 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', 0x00a3: 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384',
  0x00a8: 'TLS_PSK_WITH_AES_128_GCM_SHA256', 0x00a9: 'TLS_PSK_WITH_AES_256_GCM_SHA384',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x5600: 'TLS_FALLBACK_SCSV',
  0x1301: 'TLS_AES_128_GCM_SHA256', 0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256', 0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0xc001: 'TLS_ECDH_ECDSA_WITH_NULL_SHA', 0xc002: 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA', 0xc003: 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA',
  0xc004: 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', 0xc005: 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', 0xc006: 'TLS_ECDHE_ECDSA_WITH_NULL_SHA',
  0xc007: 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 0xc008: 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', 0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 0xc00b: 'TLS_ECDH_RSA_WITH_NULL_SHA', 0xc00c: 'TLS_ECDH_RSA_WITH_RC4_128_SHA',
  0xc00d: 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA', 0xc00e: 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', 0xc00f: 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA',
  0xc010: 'TLS_ECDHE_RSA_WITH_NULL_SHA', 0xc011: 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 0xc015: 'TLS_ECDH_anon_WITH_NULL_SHA',
  0xc016: 'TLS_ECDH_anon_WITH_RC4_128_SHA', 0xc017: 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA', 0xc018: 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA',
  0xc019: 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 0xc025: 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc026: 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384', 0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xc029: 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', 0xc02a: 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384', 0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 0xc02d: 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', 0xc02e: 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 0xc031: 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256',
  0xc032: 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', 0xc09c: 'TLS_RSA_WITH_AES_128_CCM', 0xc09d: 'TLS_RSA_WITH_AES_256_CCM',
  0xc0ac: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', 0xc0ad: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xcc13: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD',
  0xcc14: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256_OLD', 0xcc15: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD',
  0x0060: 'TLS_RSA_EXPORT1024_WITH_RC4_56_MD5', 0x0061: 'TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5', 0x0062: 'TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA',
  0x0063: 'TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA', 0x0064: 'TLS_RSA_EXPORT1024_WITH_RC4_56_SHA', 0x0065: 'TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA',
  0x0066: 'TLS_DHE_DSS_WITH_RC4_128_SHA',
};

export function cipherName(c: number): string {
  return C[c] ?? `unknown-${c}`;
}

const CURVE_NAMES: Record<number, string> = {
  1: 'sect163k1', 2: 'sect163r1', 3: 'sect163r2', 4: 'sect193r1', 5: 'sect193r2', 6: 'sect233k1', 7: 'sect233r1', 8: 'sect239k1',
  9: 'sect283k1', 10: 'sect283r1', 11: 'sect409k1', 12: 'sect409r1', 13: 'sect571k1', 14: 'sect571r1', 15: 'secp160k1', 16: 'secp160r1',
  17: 'secp160r2', 18: 'secp192k1', 19: 'secp192r1', 20: 'secp224k1', 21: 'secp224r1', 22: 'secp256k1', 23: 'secp256r1', 24: 'secp384r1',
  25: 'secp521r1', 26: 'brainpoolP256r1', 27: 'brainpoolP384r1', 28: 'brainpoolP512r1', 29: 'x25519', 30: 'x448',
  256: 'ffdhe2048', 257: 'ffdhe3072', 258: 'ffdhe4096', 259: 'ffdhe6144', 260: 'ffdhe8192', 0x11ec: 'X25519MLKEM768',
  0x6399: 'X25519Kyber768Draft00',
};

const isGrease = (v: number) => (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);

interface Hello {
  version: number;
  sessionId: Buffer;
  ciphers: number[];
  extensions: number[];
  groups: number[];
  pointFormats: number[];
  sni?: string;
  alpn: string[];
  supportedVersions: number[];
  sigAlgs: number[];
  keyShareGroup?: number;
  pskSelected?: boolean;
}

function parseExtensions(b: Buffer, p: number, end: number, h: Hello, isClient: boolean): void {
  while (p + 4 <= end) {
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    const d = p + 4;
    if (d + len > end) return;
    h.extensions.push(type);
    const e = d + len;
    switch (type) {
      case 0:
        if (isClient && len >= 5) {
          const nameLen = b.readUInt16BE(d + 3);
          if (b[d + 2] === 0 && d + 5 + nameLen <= e) h.sni = b.toString('latin1', d + 5, d + 5 + nameLen);
        }
        break;
      case 10:
        if (len >= 2) for (let q = d + 2; q + 2 <= Math.min(e, d + 2 + b.readUInt16BE(d)); q += 2) h.groups.push(b.readUInt16BE(q));
        break;
      case 11:
        if (len >= 1) for (let q = d + 1; q < Math.min(e, d + 1 + b[d]!); q++) h.pointFormats.push(b[q]!);
        break;
      case 13:
        if (len >= 2) for (let q = d + 2; q + 2 <= Math.min(e, d + 2 + b.readUInt16BE(d)); q += 2) h.sigAlgs.push(b.readUInt16BE(q));
        break;
      case 16: {
        let q = isClient || len >= 2 ? d + 2 : d;
        while (q < e) {
          const l = b[q]!;
          if (q + 1 + l > e) break;
          h.alpn.push(b.toString('latin1', q + 1, q + 1 + l));
          q += 1 + l;
        }
        break;
      }
      case 43:
        if (isClient) {
          for (let q = d + 1; q + 2 <= Math.min(e, d + 1 + b[d]!); q += 2) h.supportedVersions.push(b.readUInt16BE(q));
        } else if (len >= 2) h.supportedVersions.push(b.readUInt16BE(d));
        break;
      case 51:
        if (!isClient && len >= 2) h.keyShareGroup = b.readUInt16BE(d);
        break;
      case 41:
        if (!isClient) h.pskSelected = true;
        break;
      default:
        break;
    }
    p = e;
  }
}

function parseHello(b: Buffer, isClient: boolean, dtls = false): Hello | undefined {
  if (b.length < 38) return undefined;
  const h: Hello = { version: b.readUInt16BE(0), sessionId: Buffer.alloc(0), ciphers: [], extensions: [], groups: [], pointFormats: [], alpn: [], supportedVersions: [], sigAlgs: [] };
  let p = 34;
  const sidLen = b[p]!;
  if (p + 1 + sidLen > b.length) return undefined;
  h.sessionId = Buffer.from(b.subarray(p + 1, p + 1 + sidLen));
  p += 1 + sidLen;
  if (isClient && dtls) {
    // DTLS ClientHello: a cookie follows the session id.
    if (p + 1 > b.length) return undefined;
    p += 1 + b[p]!;
  }
  if (isClient) {
    if (p + 2 > b.length) return undefined;
    const cl = b.readUInt16BE(p);
    if (p + 2 + cl > b.length) return undefined;
    for (let q = p + 2; q + 2 <= p + 2 + cl; q += 2) h.ciphers.push(b.readUInt16BE(q));
    p += 2 + cl;
    if (p + 1 > b.length) return undefined;
    p += 1 + b[p]!;
  } else {
    if (p + 3 > b.length) return undefined;
    h.ciphers.push(b.readUInt16BE(p));
    p += 3;
  }
  if (p + 2 <= b.length) {
    const el = b.readUInt16BE(p);
    parseExtensions(b, p + 2, Math.min(b.length, p + 2 + el), h, isClient);
  }
  return h;
}

export function ja3(h: Hello): string {
  const f = (a: number[]) => a.filter((v) => !isGrease(v)).join('-');
  const s = `${h.version},${f(h.ciphers)},${f(h.extensions)},${f(h.groups)},${h.pointFormats.join('-')}`;
  return createHash('md5').update(s).digest('hex');
}

export function ja3s(h: Hello): string {
  const s = `${h.version},${h.ciphers[0]},${h.extensions.filter((v) => !isGrease(v)).join('-')}`;
  return createHash('md5').update(s).digest('hex');
}

export function ja4(h: Hello, quic: boolean): string {
  const vers = h.supportedVersions.filter((v) => !isGrease(v));
  const v = vers.length > 0 ? Math.max(...vers) : h.version;
  const vs = ({ 0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0002: 's2', 0xfeff: 'd1', 0xfefd: 'd2', 0xfefc: 'd3' } as Record<number, string>)[v] ?? '00';
  const ciphers = h.ciphers.filter((c) => !isGrease(c));
  const exts = h.extensions.filter((e) => !isGrease(e));
  const alpn = h.alpn[0];
  const a = alpn && alpn.length > 0 ? `${alpn[0]}${alpn[alpn.length - 1]}` : '00';
  const two = (n: number) => String(Math.min(n, 99)).padStart(2, '0');
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  const hash12 = (s: string) => (s.length === 0 ? '000000000000' : createHash('sha256').update(s).digest('hex').slice(0, 12));
  const cs = ciphers.map(hex).sort().join(',');
  const es = exts.filter((e) => e !== 0 && e !== 16).map(hex).sort().join(',');
  const sig = h.sigAlgs.filter((s) => !isGrease(s)).map(hex).join(',');
  const ext = es.length === 0 ? '' : sig.length > 0 ? `${es}_${sig}` : es;
  return `${quic ? 'q' : 't'}${vs}${h.sni !== undefined ? 'd' : 'i'}${two(ciphers.length)}${two(exts.length)}${a.replace(/[^\x21-\x7e]/g, '9').slice(0, 2)}_${hash12(cs)}_${hash12(ext)}`;
}

const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow', 30: 'decompression_failure',
  40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate', 43: 'unsupported_certificate', 44: 'certificate_revoked',
  45: 'certificate_expired', 46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error',
  51: 'decrypt_error', 60: 'export_restriction', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension', 110: 'unsupported_extension',
  112: 'unrecognized_name', 113: 'bad_certificate_status_response', 115: 'unknown_psk_identity', 116: 'certificate_required',
  120: 'no_application_protocol',
};

/** Does this look like the start of a TLS stream (a handshake record)? */
export function looksLikeTls(b: Buffer): boolean {
  if (b.length < 3) return false;
  if (b[0] === 0x16 && b[1] === 0x03 && b[2]! <= 0x04) return true;
  // SSLv2-compatible ClientHello.
  return (b[0]! & 0x80) !== 0 && b.length >= 3 && b[2] === 0x01;
}

const MAX_HANDSHAKE = 256 * 1024;

export class TlsAnalyzer implements App {
  private buf: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  private hs: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  private lost: [boolean, boolean] = [false, false];
  private encrypted: [boolean, boolean] = [false, false];
  private ccs: [boolean, boolean] = [false, false];
  private appData: [boolean, boolean] = [false, false];
  private client?: Hello;
  private server?: Hello;
  private row: SslRow;
  private certs: X509Row[] = [];
  private chain: string[] = [];
  private certNames: string[] = [];
  private written = false;
  private startTs: number;
  /** Set when the handshake travels in QUIC (JA4 starts with `q`). */
  quic = false;
  /** Set for DTLS over UDP (records and handshake messages carry sequence numbers). */
  dtls = false;
  private dtlsFrags: [Map<number, { len: number; type: number; parts: Map<number, Buffer> }>, Map<number, { len: number; type: number; parts: Map<number, Buffer> }>] = [new Map(), new Map()];
  private dtlsDone: [Set<number>, Set<number>] = [new Set(), new Set()];

  /** One UDP datagram of DTLS: 13-byte record headers, 12-byte handshake headers with fragments. */
  private dtlsFlip?: boolean;

  datagram(isOrig: boolean, b: Buffer, ts: number): void {
    // In WebRTC the DTLS client may be the UDP responder: the side that sends the ClientHello is the client.
    if (this.dtlsFlip === undefined) {
      if (b.length < 26 || b[0] !== 22 || b[13] !== 1) return;
      this.dtlsFlip = !isOrig;
    }
    if (this.dtlsFlip) isOrig = !isOrig;
    const i = isOrig ? 0 : 1;
    let p = 0;
    while (p + 13 <= b.length) {
      const type = b[p]!;
      if (type < 20 || type > 24 || b[p + 1] !== 0xfe) return;
      const epoch = b.readUInt16BE(p + 3);
      const len = b.readUInt16BE(p + 11);
      const body = b.subarray(p + 13, Math.min(b.length, p + 13 + len));
      p += 13 + len;
      if (type === 22 && epoch === 0) this.dtlsHandshake(isOrig, body, ts);
      else if (type === 20) {
        this.ccs[i] = true;
        this.encrypted[i] = true;
        if (this.ccs[0] && this.ccs[1]) this.row.established = true;
      } else if (type === 21 && epoch === 0 && body.length >= 2) this.row.last_alert = ALERTS[body[1]!] ?? `unknown-${body[1]}`;
      else if (type === 23) this.appData[i] = true;
    }
  }

  private dtlsHandshake(isOrig: boolean, b: Buffer, ts: number): void {
    const i = isOrig ? 0 : 1;
    let p = 0;
    while (p + 12 <= b.length) {
      const mt = b[p]!;
      const len = b.readUIntBE(p + 1, 3);
      const seq = b.readUInt16BE(p + 4);
      const fOff = b.readUIntBE(p + 6, 3);
      const fLen = b.readUIntBE(p + 9, 3);
      const frag = b.subarray(p + 12, Math.min(b.length, p + 12 + fLen));
      p += 12 + fLen;
      if (len > MAX_HANDSHAKE || this.dtlsDone[i].has(seq)) continue;
      let m = this.dtlsFrags[i].get(seq);
      if (!m) {
        if (this.dtlsFrags[i].size > 32) return;
        m = { len, type: mt, parts: new Map() };
        this.dtlsFrags[i].set(seq, m);
      }
      m.parts.set(fOff, Buffer.from(frag));
      // Complete when the fragments cover the message.
      let covered = 0;
      for (const [o, d] of [...m.parts].sort((x, y) => x[0] - y[0])) {
        if (o > covered) break;
        covered = Math.max(covered, o + d.length);
      }
      if (covered >= len) {
        const whole = Buffer.alloc(len);
        for (const [o, d] of m.parts) d.copy(whole, o, 0, Math.max(0, Math.min(d.length, len - o)));
        this.dtlsFrags[i].delete(seq);
        this.dtlsDone[i].add(seq);
        if (mt !== 3) this.handshake(isOrig, mt, whole, ts);
      }
    }
  }

  constructor(
    private readonly conn: Conn,
    private readonly emit: (row: SslRow) => void,
    private readonly emitX509: (row: X509Row) => void,
    private readonly onError: (reason: string) => void,
    ts: number,
  ) {
    this.startTs = ts;
    this.row = { ts, uid: conn.uid, 'id.orig_h': conn.origH, 'id.orig_p': conn.origP, 'id.resp_h': conn.respH, 'id.resp_p': conn.respP };
  }

  /** Bytes of the current non-handshake record still to pass over, per direction (never buffered). */
  private skip: [number, number] = [0, 0];

  data(isOrig: boolean, input: Buffer, ts: number): void {
    const i = isOrig ? 0 : 1;
    if (this.lost[i]) return;
    if (this.skip[i] > 0) {
      const n = Math.min(this.skip[i], input.length);
      this.skip[i] -= n;
      input = input.subarray(n);
      if (input.length === 0) return;
    }
    let b = this.buf[i].length > 0 ? Buffer.concat([this.buf[i], input]) : input;
    while (b.length >= 5) {
      const type = b[0]!;
      if (type < 20 || type > 24 || (b[1] !== 0x03 && !(b[1] === 0x02 || b[1] === 0x00))) {
        if ((b[0]! & 0x80) && !this.client && isOrig) {
          this.sslv2Hello(b);
        } else this.onError(`TLS record type ${type} / version ${b[1]}.${b[2]} not understood`);
        this.lost[i] = true;
        this.buf[i] = Buffer.alloc(0);
        return;
      }
      const len = b.readUInt16BE(3);
      if (len > 18432 + 2048) {
        this.onError(`TLS record length ${len} too large`);
        this.lost[i] = true;
        return;
      }
      if (b.length < 5 + len) {
        if (type === 23 || type === 20 || (type === 22 && this.encrypted[i])) {
          // Application data (and encrypted handshakes) need only their header: pass over the body.
          this.record(isOrig, type, b.subarray(5, 5), ts);
          this.skip[i] = 5 + len - b.length;
          b = b.subarray(b.length);
        }
        break;
      }
      this.record(isOrig, type, b.subarray(5, 5 + len), ts);
      b = b.subarray(5 + len);
    }
    this.buf[i] = b.length > 0 ? Buffer.from(b) : Buffer.alloc(0);
    // Once both sides are encrypted and the outcome is known, nothing more can be learnt.
    if (this.row.established && this.encrypted[0] && this.encrypted[1]) this.lost = [true, true];
  }

  private sslv2Hello(b: Buffer): void {
    // SSLv2 ClientHello: 2-byte length, type 1, version, cipher spec length, session id length, challenge length.
    if (b.length < 11 || b[2] !== 1) return;
    this.conn.services.add('ssl');
    this.row.version = tlsVersionName(b.readUInt16BE(3));
  }

  gap(isOrig: boolean): void {
    this.lost[isOrig ? 0 : 1] = true;
  }

  private record(isOrig: boolean, type: number, body: Buffer, ts: number): void {
    const i = isOrig ? 0 : 1;
    if (type === 20) {
      this.ccs[i] = true;
      this.encrypted[i] = true;
      this.checkEstablished();
      return;
    }
    if (type === 21) {
      if (!this.encrypted[i] && body.length >= 2) this.row.last_alert = ALERTS[body[1]!] ?? `unknown-${body[1]}`;
      return;
    }
    if (type === 23) {
      this.appData[i] = true;
      this.checkEstablished();
      return;
    }
    if (type !== 22 || this.encrypted[i]) return;
    this.handshakeBytes(isOrig, body, ts);
  }

  /** Handshake-layer bytes (from TLS records, or from QUIC CRYPTO frames). */
  handshakeBytes(isOrig: boolean, body: Buffer, ts: number): void {
    const i = isOrig ? 0 : 1;
    if (this.lost[i] && !this.quic) return;
    let hs = this.hs[i].length > 0 ? Buffer.concat([this.hs[i], body]) : body;
    while (hs.length >= 4) {
      const mt = hs[0]!;
      const ml = hs.readUIntBE(1, 3);
      if (ml > MAX_HANDSHAKE) {
        this.onError(`TLS handshake message of ${ml} bytes`);
        this.lost[i] = true;
        return;
      }
      if (hs.length < 4 + ml) break;
      this.handshake(isOrig, mt, hs.subarray(4, 4 + ml), ts);
      hs = hs.subarray(4 + ml);
    }
    this.hs[i] = hs.length > 0 ? Buffer.from(hs) : Buffer.alloc(0);
  }

  private checkEstablished(): void {
    const v = this.server?.supportedVersions[0] ?? this.server?.version;
    if (v === 0x0304) {
      if (this.appData[0] && this.appData[1]) this.row.established = true;
    } else if (this.ccs[0] && this.ccs[1]) this.row.established = true;
  }

  private handshake(isOrig: boolean, mt: number, m: Buffer, ts: number): void {
    switch (mt) {
      case 1: {
        if (!isOrig || this.client) return;
        const h = parseHello(m, true, this.dtls);
        if (!h) {
          this.onError('TLS ClientHello damaged');
          return;
        }
        this.client = h;
        this.conn.services.add('ssl');
        this.row.ts = ts;
        if (h.sni !== undefined) this.row.server_name = h.sni;
        this.row.ja3 = ja3(h);
        this.row.ja4 = ja4(h, this.quic);
        if (this.row.version === undefined) this.row.version = tlsVersionName(h.version);
        break;
      }
      case 2: {
        if (isOrig || this.server) return;
        const h = parseHello(m, false, this.dtls);
        if (!h) {
          this.onError('TLS ServerHello damaged');
          return;
        }
        this.server = h;
        this.conn.services.add('ssl');
        const v = h.supportedVersions[0] ?? h.version;
        this.row.version = tlsVersionName(v);
        this.row.cipher = cipherName(h.ciphers[0]!);
        this.row.ja3s = ja3s(h);
        if (h.alpn.length > 0) this.row.next_protocol = h.alpn[0];
        if (v === 0x0304) {
          if (h.keyShareGroup !== undefined) this.row.curve = CURVE_NAMES[h.keyShareGroup] ?? `unknown-${h.keyShareGroup}`;
          this.row.resumed = h.pskSelected === true;
          // The rest of a TLS 1.3 handshake is encrypted.
          this.encrypted[1] = true;
        } else {
          this.row.resumed = h.sessionId.length > 0 && this.client !== undefined && h.sessionId.equals(this.client.sessionId);
        }
        break;
      }
      case 11: {
        // Certificate: 3-byte total, then 3-byte length + DER per certificate.
        if (m.length < 3) return;
        let p = 3;
        const end = Math.min(m.length, 3 + m.readUIntBE(0, 3));
        let first = true;
        while (p + 3 <= end) {
          const l = m.readUIntBE(p, 3);
          if (p + 3 + l > end) break;
          const der = m.subarray(p + 3, p + 3 + l);
          const c = parseCertificate(der, ts, !isOrig, isOrig);
          if (c) {
            if (!isOrig) {
              this.chain.push(c.fingerprint);
              if (first) this.certNames = [...c.subjectCn, ...c.sans];
              this.certs.push(c.row);
            }
            this.emitX509(c.row);
          } else this.onError('X.509 certificate unreadable');
          first = false;
          p += 3 + l;
        }
        if (isOrig) this.row.client_cert_chain_fps = this.row.client_cert_chain_fps ?? [];
        break;
      }
      case 12: {
        // ServerKeyExchange: ECDHE with a named curve.
        if (!isOrig && m.length >= 3 && m[0] === 3) this.row.curve = CURVE_NAMES[m.readUInt16BE(1)] ?? `unknown-${m.readUInt16BE(1)}`;
        break;
      }
      default:
        break;
    }
  }

  done(_ts: number): void {
    if (this.written) return;
    this.written = true;
    if (!this.client && !this.server && this.row.version === undefined) return;
    const r = this.row;
    if (r.resumed === undefined) r.resumed = false;
    if (r.established === undefined) r.established = false;
    r.cert_chain_fps = this.chain;
    r.client_cert_chain_fps = r.client_cert_chain_fps ?? [];
    if (r.server_name !== undefined && this.certNames.length > 0) r.sni_matches_cert = this.certNames.some((n) => nameMatches(r.server_name!, n));
    void this.startTs;
    this.emit(r);
  }
}
