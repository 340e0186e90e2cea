/** A minimal zip writer for test fixtures (stored or deflated members, ZipCrypto, no zip64). */
import { crc32, deflateRawSync } from 'node:zlib';

/** Traditional PKWARE encryption (APPNOTE §6.1), written here independently of Loupe's decryptor. */
function zipCryptoEncrypt(data: Buffer, password: string, crc: number): Buffer {
  const table: number[] = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table.push(c >>> 0);
  }
  const crcByte = (c: number, b: number) => (table[(c ^ b) & 0xff] ^ (c >>> 8)) >>> 0;
  let k0 = 0x12345678, k1 = 0x23456789, k2 = 0x34567890;
  const update = (b: number) => {
    k0 = crcByte(k0, b);
    k1 = (Math.imul((k1 + (k0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    k2 = crcByte(k2, k1 >>> 24);
  };
  for (const b of Buffer.from(password)) update(b);
  const header = Buffer.from([7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (crc >>> 24) & 0xff]);
  const plain = Buffer.concat([header, data]);
  const out = Buffer.alloc(plain.length);
  for (let i = 0; i < plain.length; i++) {
    const t = (k2 | 2) & 0xffff;
    out[i] = plain[i] ^ ((Math.imul(t, t ^ 1) >>> 8) & 0xff);
    update(plain[i]);
  }
  return out;
}

export function makeZip(members: Array<{ name: string; data: Buffer; deflate?: boolean; password?: string }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const crc = crc32(m.data) >>> 0;
    const packed = m.deflate === false ? m.data : deflateRawSync(m.data, { level: 9 });
    const body = m.password !== undefined ? zipCryptoEncrypt(packed, m.password, crc) : packed;
    const method = m.deflate === false ? 0 : 8;
    const flags = m.password !== undefined ? 1 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(m.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
