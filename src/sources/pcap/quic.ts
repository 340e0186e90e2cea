/**
 * QUIC (v1, RFC 9000/9001, and v2, RFC 9369) Initial packets: their protection keys derive from
 * the client's destination connection id, so the TLS ClientHello and ServerHello they carry can
 * be read without any secret. The handshake bytes go to the TLS analyzer, which writes the
 * ssl.log row (TLSv13, cipher, curve, SNI) as Zeek's QUIC analyzer does.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { App, Conn } from './flows.js';
import type { TlsAnalyzer } from './tls.js';

const V1 = 0x00000001;
const V2 = 0x6b3343cf;
const SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex');
const SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex');

function hkdfExtract(salt: Buffer, ikm: Buffer): Buffer {
  return createHmac('sha256', salt).update(ikm).digest();
}

function hkdfExpandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    prev = createHmac('sha256', secret).update(Buffer.concat([prev, info, Buffer.from([i])])).digest();
    out.push(prev);
  }
  return Buffer.concat(out).subarray(0, length);
}

interface Keys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

function initialKeys(version: number, dcid: Buffer, client: boolean): Keys {
  const v2 = version === V2;
  const initial = hkdfExtract(v2 ? SALT_V2 : SALT_V1, dcid);
  const secret = hkdfExpandLabel(initial, client ? 'client in' : 'server in', 32);
  const p = v2 ? 'quicv2 ' : 'quic ';
  return { key: hkdfExpandLabel(secret, `${p}key`, 16), iv: hkdfExpandLabel(secret, `${p}iv`, 12), hp: hkdfExpandLabel(secret, `${p}hp`, 16) };
}

/** QUIC variable-length integer at `o`: value and size, or undefined past the end. */
function varint(b: Buffer, o: number): { v: number; n: number } | undefined {
  if (o >= b.length) return undefined;
  const n = 1 << (b[o]! >> 6);
  if (o + n > b.length) return undefined;
  let v = b[o]! & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[o + i]!;
  return { v, n };
}

/** Does this datagram start with a QUIC v1/v2 long-header Initial packet? */
export function looksLikeQuicInitial(b: Buffer): boolean {
  if (b.length < 7 || (b[0]! & 0xc0) !== 0xc0) return false;
  const version = b.readUInt32BE(1);
  if (version !== V1 && version !== V2) return false;
  const type = (b[0]! >> 4) & 3;
  return version === V1 ? type === 0 : type === 1;
}

export class QuicAnalyzer implements App {
  /** The client's original destination connection id (keys for both directions derive from it). */
  private clientDcid?: Buffer;
  private version = V1;
  private crypto: [Map<number, Buffer>, Map<number, Buffer>] = [new Map(), new Map()];
  private delivered: [number, number] = [0, 0];
  private packets = 0;
  private confirmed = false;

  constructor(private readonly conn: Conn, private readonly tls: TlsAnalyzer, private readonly onError: (r: string) => void) {}

  data(isOrig: boolean, dgram: Buffer, ts: number): void {
    // Only the first packets of a connection can be Initials; stop looking after a while.
    if (++this.packets > 64) return;
    let b = dgram;
    while (b.length > 0 && (b[0]! & 0x80) !== 0) {
      const used = this.packet(isOrig, b, ts);
      if (used <= 0) return;
      b = b.subarray(used);
    }
  }

  /** Decrypts one long-header packet; returns its length (to find coalesced ones) or 0. */
  private packet(isOrig: boolean, b: Buffer, ts: number): number {
    if (b.length < 7) return 0;
    const version = b.readUInt32BE(1);
    if (version !== V1 && version !== V2) return 0;
    let p = 5;
    const dcidLen = b[p]!;
    if (dcidLen > 20 || p + 1 + dcidLen >= b.length) return 0;
    const dcid = b.subarray(p + 1, p + 1 + dcidLen);
    p += 1 + dcidLen;
    const scidLen = b[p]!;
    if (scidLen > 20 || p + 1 + scidLen >= b.length) return 0;
    p += 1 + scidLen;
    const type = (b[0]! >> 4) & 3;
    const isInitial = version === V1 ? type === 0 : type === 1;
    const isRetry = version === V1 ? type === 3 : type === 0;
    if (isRetry) return 0;
    if (isInitial) {
      const tok = varint(b, p);
      if (!tok) return 0;
      p += tok.n + tok.v;
    }
    const len = varint(b, p);
    if (!len) return 0;
    p += len.n;
    const end = p + len.v;
    if (end > b.length) return 0;
    if (!isInitial) return end;
    if (isOrig) {
      this.clientDcid = Buffer.from(dcid);
      this.version = version;
    }
    if (!this.clientDcid) return end;
    const keys = initialKeys(this.version, this.clientDcid, isOrig);
    const plain = this.unprotect(b, p, end, keys);
    if (!plain) {
      this.onError('QUIC Initial packet does not decrypt');
      return end;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      this.conn.services.add('quic');
    }
    this.frames(isOrig, plain, ts);
    return end;
  }

  private unprotect(b: Buffer, pnOff: number, end: number, k: Keys): Buffer | undefined {
    if (pnOff + 4 + 16 > end) return undefined;
    const sample = b.subarray(pnOff + 4, pnOff + 20);
    const ecb = createCipheriv('aes-128-ecb', k.hp, null);
    const mask = ecb.update(sample);
    const header = Buffer.from(b.subarray(0, pnOff + 4));
    header[0] = header[0]! ^ (mask[0]! & 0x0f);
    const pnLen = (header[0]! & 3) + 1;
    let pn = 0;
    for (let i = 0; i < pnLen; i++) {
      header[pnOff + i] = header[pnOff + i]! ^ mask[1 + i]!;
      pn = pn * 256 + header[pnOff + i]!;
    }
    const aad = header.subarray(0, pnOff + pnLen);
    const nonce = Buffer.from(k.iv);
    for (let i = 0; i < 8; i++) nonce[11 - i] = nonce[11 - i]! ^ (Math.floor(pn / 2 ** (8 * i)) & 0xff);
    const body = b.subarray(pnOff + pnLen, end);
    if (body.length < 16) return undefined;
    try {
      const d = createDecipheriv('aes-128-gcm', k.key, nonce);
      d.setAAD(aad);
      d.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]);
    } catch {
      return undefined;
    }
  }

  private frames(isOrig: boolean, f: Buffer, ts: number): void {
    let p = 0;
    while (p < f.length) {
      const t = varint(f, p);
      if (!t) return;
      p += t.n;
      switch (t.v) {
        case 0x00:
        case 0x01:
          break;
        case 0x02:
        case 0x03: {
          // ACK: largest, delay, range count, first range, ranges, [ECN counts]
          const vals: number[] = [];
          for (let i = 0; i < 4; i++) {
            const v = varint(f, p);
            if (!v) return;
            vals.push(v.v);
            p += v.n;
          }
          for (let i = 0; i < vals[2]! * 2 + (t.v === 0x03 ? 3 : 0); i++) {
            const v = varint(f, p);
            if (!v) return;
            p += v.n;
          }
          break;
        }
        case 0x06: {
          const off = varint(f, p);
          if (!off) return;
          p += off.n;
          const len = varint(f, p);
          if (!len) return;
          p += len.n;
          if (p + len.v > f.length) return;
          this.cryptoData(isOrig, off.v, f.subarray(p, p + len.v), ts);
          p += len.v;
          break;
        }
        case 0x1c:
        case 0x1d:
          return;
        default:
          return;
      }
    }
  }

  private cryptoData(isOrig: boolean, offset: number, data: Buffer, ts: number): void {
    const i = isOrig ? 0 : 1;
    const pending = this.crypto[i];
    if (pending.size < 64) pending.set(offset, Buffer.from(data));
    // Hand over what is contiguous from where we are.
    for (;;) {
      let progressed = false;
      for (const [off, buf] of pending) {
        if (off <= this.delivered[i] && off + buf.length > this.delivered[i]) {
          this.tls.handshakeBytes(isOrig, buf.subarray(this.delivered[i] - off), ts);
          this.delivered[i] = off + buf.length;
          pending.delete(off);
          progressed = true;
        } else if (off + buf.length <= this.delivered[i]) {
          pending.delete(off);
        }
      }
      if (!progressed) return;
    }
  }

  done(ts: number): void {
    this.tls.done(ts);
  }
}
