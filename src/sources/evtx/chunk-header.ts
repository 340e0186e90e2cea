/**
 * The 512-byte chunk header: record range, free-space offset, two CRC32s, and the heads of the
 * chunk's string and template tables. Offsets inside a chunk are relative to its first byte.
 */
import { crc32 } from 'node:zlib';
import * as bytes from './bytes.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError, need, u32, u64n } = bytes;

export const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
export const CHUNK_HEADER_SIZE = 512;
/** Chunk flag: the chunk carries no CRC32s (seen in the wild, e.g. Application_no_crc32.evtx). */
export const CHUNK_FLAG_NO_CRC32 = 0x4;

export interface ChunkHeader {
  firstRecordNumber: number;
  lastRecordNumber: number;
  firstRecordId: number;
  lastRecordId: number;
  headerSize: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  dataChecksum: number;
  flags: number;
  headerChecksum: number;
  /** 64 string-table bucket heads (0 = empty). */
  stringOffsets: number[];
  /** 32 template-table bucket heads (0 = empty). */
  templateOffsets: number[];
}

export function hasChunkMagic(chunk: Uint8Array): boolean {
  if (chunk.length < 8) return false;
  for (let i = 0; i < 8; i++) if (chunk[i] !== CHUNK_MAGIC[i]) return false;
  return true;
}

export function parseChunkHeader(chunk: Uint8Array): ChunkHeader {
  need(chunk, 0, CHUNK_HEADER_SIZE, 'chunk header');
  if (!hasChunkMagic(chunk)) {
    const got = Buffer.from(chunk.subarray(0, 8)).toString('hex');
    throw new EvtxFormatError(`chunk header: bad magic ${got} (expected "ElfChnk\\0")`, 0);
  }
  const stringOffsets: number[] = new Array(64);
  for (let i = 0; i < 64; i++) stringOffsets[i] = u32(chunk, 128 + i * 4);
  const templateOffsets: number[] = new Array(32);
  for (let i = 0; i < 32; i++) templateOffsets[i] = u32(chunk, 384 + i * 4);
  return {
    firstRecordNumber: u64n(chunk, 8),
    lastRecordNumber: u64n(chunk, 16),
    firstRecordId: u64n(chunk, 24),
    lastRecordId: u64n(chunk, 32),
    headerSize: u32(chunk, 40),
    lastRecordOffset: u32(chunk, 44),
    freeSpaceOffset: u32(chunk, 48),
    dataChecksum: u32(chunk, 52),
    flags: u32(chunk, 120),
    headerChecksum: u32(chunk, 124),
    stringOffsets,
    templateOffsets,
  };
}

/** What is wrong with the chunk's CRCs, or undefined when both match (or the chunk has none). */
export function chunkChecksumProblem(chunk: Uint8Array, h: ChunkHeader): string | undefined {
  if (h.flags & CHUNK_FLAG_NO_CRC32) return undefined;
  const head = crc32(chunk.subarray(128, CHUNK_HEADER_SIZE), crc32(chunk.subarray(0, 120)));
  const problems: string[] = [];
  if (head !== h.headerChecksum) problems.push(`header CRC32 ${hex(head)} != stored ${hex(h.headerChecksum)}`);
  if (h.freeSpaceOffset < CHUNK_HEADER_SIZE || h.freeSpaceOffset > chunk.length) {
    problems.push(`free space offset ${h.freeSpaceOffset} outside the chunk`);
  } else {
    const data = crc32(chunk.subarray(CHUNK_HEADER_SIZE, h.freeSpaceOffset));
    if (data !== h.dataChecksum) problems.push(`records CRC32 ${hex(data)} != stored ${hex(h.dataChecksum)}`);
  }
  return problems.length ? problems.join('; ') : undefined;
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
