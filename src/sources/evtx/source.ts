/**
 * Where EVTX bytes come from: a file on disk (read with positional reads, so nothing but the
 * chunks in flight is in memory), a stream (an archive member), or a buffer (tests). All three
 * hand out the file header and then batches of whole 64 KiB chunks, in file order.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from './file-header.js';

export interface ChunkBatch {
  /** Whole chunks back to back; the last one is zero-padded when the file ends inside it. */
  buf: Buffer;
  /** Index of the first chunk in the batch. */
  first: number;
  count: number;
  /** Bytes of the last chunk actually present in the file (CHUNK_SIZE unless truncated). */
  lastLength: number;
}

export interface ChunkSource {
  /** File size when known (files and buffers). */
  readonly size?: number;
  /** The first `FILE_HEADER_SIZE` bytes (fewer when the input is that short). */
  header(): Promise<Buffer>;
  /** The next `max` chunks (fewer at the end), or null when the input is exhausted. */
  next(max: number): Promise<ChunkBatch | null>;
  close(): Promise<void>;
}

/**
 * A buffer of its own (not a slice of Node's shared pool), so that workers can take ownership of
 * its memory without a copy.
 */
function ownBuffer(size: number): Buffer {
  return Buffer.from(new ArrayBuffer(size));
}

/** Bytes read from disk at a time (whatever the batch size): fewer, larger reads. */
const READ_AHEAD = 16 * CHUNK_SIZE;

class FileSource implements ChunkSource {
  private chunk = 0;
  private block = Buffer.alloc(0);
  private blockStart = 0;
  private constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      return new FileSource(fh, st.size);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async header(): Promise<Buffer> {
    const n = Math.min(FILE_HEADER_SIZE, this.size);
    const buf = Buffer.alloc(n);
    await readFully(this.fh, buf, 0, n, 0);
    return buf;
  }

  async next(max: number): Promise<ChunkBatch | null> {
    const start = FILE_HEADER_SIZE + this.chunk * CHUNK_SIZE;
    const left = this.size - start;
    if (left <= 0) return null;
    const count = Math.min(max, Math.ceil(left / CHUNK_SIZE));
    const want = Math.min(left, count * CHUNK_SIZE);
    if (start < this.blockStart || start + want > this.blockStart + this.block.length) {
      const len = Math.min(left, Math.max(want, READ_AHEAD));
      const block = Buffer.allocUnsafe(len);
      const got = await readFully(this.fh, block, 0, len, start);
      this.block = block.subarray(0, got);
      this.blockStart = start;
    }
    const from = start - this.blockStart;
    const have = Math.min(want, this.block.length - from);
    const buf = ownBuffer(count * CHUNK_SIZE);
    this.block.copy(buf, 0, from, from + have);
    const first = this.chunk;
    this.chunk += count;
    return { buf, first, count, lastLength: have - (count - 1) * CHUNK_SIZE };
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Reads up to `len` bytes at `pos`; returns how many (fewer only at the end of the file). */
async function readFully(fh: FileHandle, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
  let got = 0;
  while (len > 0) {
    const { bytesRead } = await fh.read(buf, off, len, pos);
    if (bytesRead === 0) break;
    off += bytesRead;
    len -= bytesRead;
    pos += bytesRead;
    got += bytesRead;
  }
  return got;
}

/** Re-cuts a stream's pieces into the header and whole chunks. */
class StreamSource implements ChunkSource {
  private readonly it: AsyncIterator<Buffer>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;
  private chunk = 0;

  constructor(private readonly stream: Readable) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Buffers at least `n` bytes (or everything left). */
  private async fill(n: number): Promise<void> {
    while (this.pendingBytes < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const piece = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
      this.pending.push(piece);
      this.pendingBytes += piece.length;
    }
  }

  /** Moves up to `n` buffered bytes into `dst` at `off`; returns how many. */
  private take(dst: Buffer, off: number, n: number): number {
    let copied = 0;
    while (copied < n && this.pending.length) {
      const head = this.pending[0];
      const k = Math.min(head.length, n - copied);
      head.copy(dst, off + copied, 0, k);
      copied += k;
      if (k === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(k);
    }
    this.pendingBytes -= copied;
    return copied;
  }

  async header(): Promise<Buffer> {
    await this.fill(FILE_HEADER_SIZE);
    const buf = Buffer.alloc(Math.min(FILE_HEADER_SIZE, this.pendingBytes));
    this.take(buf, 0, buf.length);
    return buf;
  }

  async next(max: number): Promise<ChunkBatch | null> {
    await this.fill(max * CHUNK_SIZE);
    if (this.pendingBytes === 0) return null;
    const count = Math.min(max, Math.ceil(this.pendingBytes / CHUNK_SIZE));
    const buf = ownBuffer(count * CHUNK_SIZE);
    const got = this.take(buf, 0, count * CHUNK_SIZE);
    const first = this.chunk;
    this.chunk += count;
    return { buf, first, count, lastLength: got - (count - 1) * CHUNK_SIZE };
  }

  async close(): Promise<void> {
    this.stream.destroy();
  }
}

class BufferSource implements ChunkSource {
  private chunk = 0;
  readonly size: number;
  constructor(private readonly data: Buffer) {
    this.size = data.length;
  }

  async header(): Promise<Buffer> {
    return this.data.subarray(0, Math.min(FILE_HEADER_SIZE, this.size));
  }

  async next(max: number): Promise<ChunkBatch | null> {
    const start = FILE_HEADER_SIZE + this.chunk * CHUNK_SIZE;
    const left = this.size - start;
    if (left <= 0) return null;
    const count = Math.min(max, Math.ceil(left / CHUNK_SIZE));
    const want = Math.min(left, count * CHUNK_SIZE);
    const buf = ownBuffer(count * CHUNK_SIZE);
    this.data.copy(buf, 0, start, start + want);
    const first = this.chunk;
    this.chunk += count;
    return { buf, first, count, lastLength: want - (count - 1) * CHUNK_SIZE };
  }

  async close(): Promise<void> {}
}

export type EvtxSourceSpec = string | Readable | Buffer;

export async function openSource(spec: EvtxSourceSpec): Promise<ChunkSource> {
  if (typeof spec === 'string') return FileSource.open(spec);
  if (Buffer.isBuffer(spec)) return new BufferSource(spec);
  return new StreamSource(spec);
}
