/**
 * Traditional PKWARE zip encryption ("ZipCrypto"), the one malware exchanges use with the
 * password `infected`. Decryption only: three 32-bit keys updated through CRC-32 with every plain
 * byte (APPNOTE.TXT §6.1). AES-encrypted members (method 99) are not handled.
 */
import { Transform, type TransformCallback } from 'node:stream';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

class Keys {
  k0 = 0x12345678;
  k1 = 0x23456789;
  k2 = 0x34567890;

  constructor(password: Buffer) {
    for (const b of password) this.update(b);
  }

  update(b: number): void {
    this.k0 = (CRC_TABLE[(this.k0 ^ b) & 0xff] ^ (this.k0 >>> 8)) >>> 0;
    this.k1 = (this.k1 + (this.k0 & 0xff)) >>> 0;
    this.k1 = (Math.imul(this.k1, 134775813) + 1) >>> 0;
    this.k2 = (CRC_TABLE[(this.k2 ^ (this.k1 >>> 24)) & 0xff] ^ (this.k2 >>> 8)) >>> 0;
  }

  /** Decrypts one byte and updates the keys with the plain byte. */
  decrypt(c: number): number {
    const t = (this.k2 | 2) & 0xffff;
    const p = (c ^ ((Math.imul(t, t ^ 1) >>> 8) & 0xff)) & 0xff;
    this.update(p);
    return p;
  }
}

/**
 * Whether `password` opens a member, from its 12-byte encryption header: the header's last plain
 * byte must equal `check` (the high byte of the member's CRC-32, or of its modification time when
 * the sizes follow the data). One wrong password in 256 passes this test; inflating then fails.
 */
export function passwordFits(header: Buffer, password: string, check: number): boolean {
  const keys = new Keys(Buffer.from(password, 'utf8'));
  let last = 0;
  for (let i = 0; i < 12; i++) last = keys.decrypt(header[i]);
  return last === check;
}

/** Decrypts a member's data stream (the 12-byte header first), giving the compressed bytes. */
export class ZipDecrypt extends Transform {
  private readonly keys: Keys;
  private skip = 12;

  constructor(password: string) {
    super();
    this.keys = new Keys(Buffer.from(password, 'utf8'));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const p = this.keys.decrypt(chunk[i]);
      if (this.skip > 0) this.skip--;
      else out[n++] = p;
    }
    cb(null, out.subarray(0, n));
  }
}
