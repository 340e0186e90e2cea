/**
 * What the user points at, turned into `Input`s: plain files, folders (walked in name order),
 * and archives opened directly (zip and FireEye `.mans`, gzip, tar and tar.gz), nested up to a
 * few levels. Archive members are decompressed as they are read; tar members, which can only be
 * read once and in order, are spooled to a temporary file first.
 *
 * Decompression is bounded: a member that inflates beyond `maxRatio` times its compressed size
 * (once past 16 MiB) or beyond `maxBytes` is stopped and reported as a probable zip bomb.
 */
import { createReadStream, createWriteStream, promises as fsp, statSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createGunzip, createInflateRaw } from 'node:zlib';
import { passwordFits, ZipDecrypt } from './zip-crypto.js';
import tarStream from 'tar-stream';
import yauzl from 'yauzl';
import type { Input } from './types.js';

export const HEAD_BYTES = 64 * 1024;

export interface ExpandOptions {
  /** Largest decompressed size accepted for one member (default 16 GiB). */
  maxBytes?: number;
  /** Largest ratio of decompressed to compressed size (default 200), checked past 16 MiB. */
  maxRatio?: number;
  /** How deep archives inside archives are opened (default 3). */
  maxDepth?: number;
  /**
   * Passwords to try on encrypted zip members (ZipCrypto), after `infected` and `malware`, the
   * conventions of malware exchanges.
   */
  passwords?: string[];
}

/** An input that could not be opened at all (a broken archive, a permission error). */
export interface InputProblem {
  name: string;
  reason: string;
}

export type Expanded = { input: Input } | { problem: InputProblem };

const LIMITS = { maxBytes: 16 * 1024 ** 3, maxRatio: 200, maxDepth: 3, passwords: [] as string[] };
const CONVENTIONAL_PASSWORDS = ['infected', 'malware'];

/** Stops a stream that inflates past the limits: the zip-bomb guard. */
class InflateGuard extends Transform {
  private seen = 0;
  constructor(private readonly name: string, private readonly compressed: number | undefined, private readonly limits: typeof LIMITS) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limits.maxBytes) return cb(new Error(`${this.name}: decompressed size passed ${this.limits.maxBytes} bytes; stopped (possible zip bomb)`));
    if (this.compressed !== undefined && this.seen > 16 * 1024 * 1024 && this.seen / Math.max(1, this.compressed) > this.limits.maxRatio)
      return cb(new Error(`${this.name}: decompression ratio passed ${this.limits.maxRatio}:1; stopped (possible zip bomb)`));
    cb(null, chunk);
  }
}

async function readHead(open: () => Readable): Promise<Buffer> {
  const s = open();
  const parts: Buffer[] = [];
  let len = 0;
  try {
    for await (const c of s as AsyncIterable<Buffer>) {
      parts.push(c);
      len += c.length;
      if (len >= HEAD_BYTES) break;
    }
  } finally {
    s.destroy();
  }
  return Buffer.concat(parts).subarray(0, HEAD_BYTES);
}

async function fileHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function fileInput(path: string, name = path): Promise<Input> {
  const size = statSync(path).size;
  return { name, size, path, head: await fileHead(path), open: () => createReadStream(path, { highWaterMark: 1024 * 1024 }) };
}

type Kind = 'zip' | 'gzip' | 'tar' | 'plain';

function archiveKind(head: Buffer): Kind {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip'; // empty zip
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return 'plain';
}

/** Walks the user's paths and yields every input inside them, archives opened. */
export async function* expandPaths(paths: string[], opts: ExpandOptions = {}): AsyncGenerator<Expanded> {
  // An option given as undefined (a CLI flag not used) keeps its default.
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const limits = { ...LIMITS, ...given };
  for (const p of paths) {
    let st;
    try {
      st = await fsp.stat(p);
    } catch (err) {
      yield { problem: { name: p, reason: `cannot open: ${(err as Error).message}` } };
      continue;
    }
    if (st.isDirectory()) {
      const names = (await fsp.readdir(p)).sort();
      yield* expandPaths(names.filter((n) => !n.startsWith('.')).map((n) => join(p, n)), opts);
      continue;
    }
    let input: Input;
    try {
      input = await fileInput(p);
    } catch (err) {
      yield { problem: { name: p, reason: `cannot read: ${(err as Error).message}` } };
      continue;
    }
    yield* expandInput(input, limits, 0);
  }
}

async function* expandInput(input: Input, limits: typeof LIMITS, depth: number): AsyncGenerator<Expanded> {
  const kind = archiveKind(input.head);
  if (kind === 'plain' || depth >= limits.maxDepth) {
    yield { input };
    return;
  }
  try {
    if (kind === 'zip') yield* expandZip(input, limits, depth);
    else if (kind === 'gzip') yield* expandGzip(input, limits, depth);
    else yield* expandTar(input, input.open(), limits, depth);
  } catch (err) {
    yield { problem: { name: input.name, reason: (err as Error).message } };
  }
}

/**
 * Remembers the last 8 bytes of a gzip stream (CRC32 and ISIZE) so that a stream cut short can
 * be told apart from a whole one once decompression ends.
 */
class GzipTrailer extends Transform {
  tail = Buffer.alloc(0);
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.tail = Buffer.concat([this.tail, chunk.subarray(Math.max(0, chunk.length - 8))]).subarray(-8);
    cb(null, chunk);
  }
}

async function* expandGzip(input: Input, limits: typeof LIMITS, depth: number): AsyncGenerator<Expanded> {
  // `x.json.gz` holds `x.json.gz!/x.json`; a tar inside lists its members as `x.tar.gz!/member`.
  const base = basename(input.name.replace(/!\/.*$/, '')).replace(/\.(gz|tgz)$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : ''));
  const name = `${input.name}!/${base}`;
  const notes: string[] = [];
  // Lenient decompression: a stream cut short still gives everything up to the cut (as gzip -dc
  // does), and the cut is reported instead of losing the whole member.
  const openInner = () => {
    const guard = new InflateGuard(name, input.size, limits);
    const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const trailer = new GzipTrailer();
    const src = input.open();
    let out = 0;
    src.on('error', (e) => guard.destroy(e));
    gunzip.on('error', (e) => guard.destroy(new Error(`${input.name}: ${e.message}`)));
    gunzip.on('data', (c: Buffer) => (out += c.length));
    gunzip.on('end', () => {
      const t = trailer.tail;
      if (t.length === 8 && t.readUInt32LE(4) !== out % 2 ** 32 && !notes.length)
        notes.push(`gzip stream is truncated or damaged: read ${out} bytes up to the break`);
    });
    return src.pipe(trailer).pipe(gunzip).pipe(guard);
  };
  const head = await readHead(openInner).catch((e: Error) => {
    throw new Error(`${input.name}: not a readable gzip file (${e.message})`);
  });
  const member: Input = { name, head, open: openInner, notes };
  if (archiveKind(head) === 'tar') yield* expandTar({ ...member, name: input.name }, openInner(), limits, depth + 1);
  else yield* expandInput(member, limits, depth + 1);
}

/**
 * Zip files with bytes after their end record (a newline added by a careless upload, say) are
 * rejected by strict readers; the data is intact, so cut the tail and read it.
 */
function trimAfterEndRecord(buf: Buffer): { buf: Buffer; trimmed: number } | undefined {
  const from = Math.max(0, buf.length - 65557 - 1024);
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      const end = i + 22 + buf.readUInt16LE(i + 20);
      if (end < buf.length) return { buf: buf.subarray(0, end), trimmed: buf.length - end };
      return undefined;
    }
  }
  return undefined;
}

function openZip(input: Input, notes: string[]): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const fromBuffer = (buf: Buffer, firstErr?: Error) => {
      const fixed = trimAfterEndRecord(buf);
      const use = fixed ? fixed.buf : buf;
      if (fixed) notes.push(`${fixed.trimmed} bytes of trailing data after the zip's end record were ignored`);
      yauzl.fromBuffer(use, { lazyEntries: true }, (err, zf) => (err || !zf ? reject(firstErr ?? err ?? new Error('cannot open zip')) : resolve(zf)));
    };
    const done = (err: Error | null, zf?: yauzl.ZipFile) => {
      if (zf && !err) return resolve(zf);
      if (input.path && (input.size ?? 0) < 2 * 1024 ** 3) {
        fsp.readFile(input.path).then((buf) => fromBuffer(buf, err ?? undefined), reject);
      } else reject(err ?? new Error('cannot open zip'));
    };
    if (input.path) yauzl.open(input.path, { lazyEntries: true, autoClose: false }, done);
    else {
      // A zip inside an archive: yauzl needs random access, so read it into memory (bounded).
      const parts: Buffer[] = [];
      let len = 0;
      const s = input.open();
      s.on('data', (c: Buffer) => {
        len += c.length;
        if (len > 1024 ** 3) s.destroy(new Error('nested zip larger than 1 GiB'));
        else parts.push(c);
      });
      s.on('error', reject);
      s.on('end', () => fromBuffer(Buffer.concat(parts)));
    }
  });
}

async function* expandZip(input: Input, limits: typeof LIMITS, depth: number): AsyncGenerator<Expanded> {
  const notes: string[] = [...(input.notes ?? [])];
  const zf = await openZip(input, notes).catch((e: Error) => {
    throw new Error(`${input.name}: not a readable zip file (${e.message})`);
  });
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zf.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zf.readEntry();
    });
    zf.on('end', () => resolve());
    zf.on('error', reject);
    zf.readEntry();
  }).catch((e: Error) => {
    throw new Error(`${input.name}: damaged zip directory (${e.message})`);
  });
  try {
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const name = `${input.name}!/${entry.fileName}`;
      let password: string | undefined;
      if ((entry.generalPurposeBitFlag & 1) !== 0) {
        const found = await findPassword(zf, entry, [...CONVENTIONAL_PASSWORDS, ...limits.passwords]);
        if ('problem' in found) {
          yield { problem: { name, reason: found.problem } };
          continue;
        }
        password = found.password;
      }
      const openMember = (): Readable => {
        const guard = new InflateGuard(name, entry.compressedSize, limits);
        const opts = password !== undefined ? rawOptions(entry) : {};
        zf.openReadStream(entry, opts, (err, rs) => {
          if (err || !rs) return guard.destroy(new Error(`${name}: ${err?.message ?? 'cannot read member'}`));
          rs.on('error', (e) => guard.destroy(new Error(`${name}: ${e.message}`)));
          if (password === undefined) {
            rs.pipe(guard);
            return;
          }
          const decrypt = new ZipDecrypt(password);
          const plain = entry.compressionMethod === 8 ? rs.pipe(decrypt).pipe(createInflateRaw()) : rs.pipe(decrypt);
          plain.on('error', (e) => guard.destroy(new Error(`${name}: ${e.message} (wrong password?)`)));
          plain.pipe(guard);
        });
        return guard;
      };
      let head: Buffer;
      try {
        head = await readHead(openMember);
      } catch (err) {
        yield { problem: { name, reason: (err as Error).message } };
        continue;
      }
      yield* expandInput({ name, size: entry.uncompressedSize, head, open: openMember, notes: [...notes] }, limits, depth + 1);
    }
  } finally {
    zf.close();
  }
}

/** The member's bytes as stored (still encrypted); yauzl takes `decompress` only for compressed members. */
function rawOptions(entry: yauzl.Entry): { decrypt: false; decompress?: false } {
  return entry.compressionMethod === 0 ? { decrypt: false } : { decrypt: false, decompress: false };
}

/** The password that opens an encrypted member, tried against its 12-byte encryption header. */
async function findPassword(zf: yauzl.ZipFile, entry: yauzl.Entry, passwords: string[]): Promise<{ password: string } | { problem: string }> {
  if (entry.compressionMethod === 99) return { problem: 'member is AES-encrypted; extract it with its password first' };
  const header = await new Promise<Buffer>((resolve, reject) => {
    zf.openReadStream(entry, rawOptions(entry), (err, rs) => {
      if (err || !rs) return reject(err ?? new Error('cannot read member'));
      const parts: Buffer[] = [];
      let len = 0;
      rs.on('data', (c: Buffer) => {
        parts.push(c);
        len += c.length;
        if (len >= 12) rs.destroy();
      });
      rs.on('close', () => resolve(Buffer.concat(parts).subarray(0, 12)));
      rs.on('error', reject);
    });
  }).catch((e: Error) => e);
  if (header instanceof Error || header.length < 12) return { problem: `encrypted member unreadable${header instanceof Error ? `: ${header.message}` : ''}` };
  // The check byte: the CRC's high byte, or the modification time's when sizes follow the data.
  const check = (entry.generalPurposeBitFlag & 8) !== 0 ? (entry.lastModFileTime >> 8) & 0xff : (entry.crc32 >>> 24) & 0xff;
  for (const p of passwords) if (passwordFits(header, p, check)) return { password: p };
  return { problem: 'member is encrypted and none of the passwords given fits (--archive-password)' };
}

async function* expandTar(input: Input, stream: Readable, limits: typeof LIMITS, depth: number): AsyncGenerator<Expanded> {
  const dir = await mkdtemp(join(tmpdir(), 'loupe-tar-'));
  const extract = tarStream.extract();
  const src = stream;
  src.on('error', (e) => extract.destroy(e));
  src.pipe(extract);
  let n = 0;
  try {
    for await (const entry of extract) {
      const name = `${input.name}!/${entry.header.name}`;
      if (entry.header.type !== 'file') {
        entry.resume();
        continue;
      }
      const spooled = join(dir, `${n++}-${basename(entry.header.name).replace(/[^A-Za-z0-9._-]/g, '_')}`);
      let cut: string | undefined;
      await pipeline(entry, new InflateGuard(name, undefined, limits), createWriteStream(spooled)).catch((e: Error) => {
        cut = e.message;
      });
      const member = await fileInput(spooled, name);
      member.notes = [...(input.notes ?? [])];
      if (cut) member.notes.push(`archive member is incomplete (${cut}): read the ${member.size} bytes present`);
      yield* expandInput(member, limits, depth + 1);
      if (cut) break;
      // The consumer has finished with the member when it asks for the next one.
      await rm(spooled, { force: true });
    }
  } catch (err) {
    yield { problem: { name: input.name, reason: `damaged tar archive: ${(err as Error).message}` } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A stream over an in-memory buffer (tests, the server's uploads). */
export function bufferInput(name: string, data: Buffer): Input {
  return { name, size: data.length, head: data.subarray(0, HEAD_BYTES), open: () => Readable.from([data]) };
}

