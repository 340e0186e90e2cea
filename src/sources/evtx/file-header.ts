/**
 * The EVTX file header: the first 4096 bytes, of which 128 carry data. Read once; the reader then
 * walks chunks by position, never trusting the header's chunk count alone (dirty files have chunks
 * past it, and the 16-bit count overflows on files above 4 GB).
 */
import { crc32 } from 'node:zlib';
import * as bytes from './bytes.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError, need, u16, u32, u64n } = bytes;

export const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');
export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;

export interface FileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  /** Size of the header block (4096 in every file seen). */
  headerBlockSize: number;
  chunkCount: number;
  /** 0x1 dirty (not closed cleanly), 0x2 full. */
  flags: number;
  checksum: number;
  /** CRC32 of the first 120 bytes equals `checksum`. */
  checksumOk: boolean;
}

export function isEvtxMagic(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  for (let i = 0; i < 8; i++) if (head[i] !== FILE_MAGIC[i]) return false;
  return true;
}

/** Parses the file header; throws `EvtxFormatError` when the magic is wrong or bytes are missing. */
export function parseFileHeader(buf: Buffer): FileHeader {
  need(buf, 0, 128, 'file header');
  if (!isEvtxMagic(buf)) throw new EvtxFormatError('file header: bad magic (expected "ElfFile\\0")', 0);
  const checksum = u32(buf, 124);
  return {
    firstChunk: u64n(buf, 8),
    lastChunk: u64n(buf, 16),
    nextRecordId: u64n(buf, 24),
    headerSize: u32(buf, 32),
    minorVersion: u16(buf, 36),
    majorVersion: u16(buf, 38),
    headerBlockSize: u16(buf, 40),
    chunkCount: u16(buf, 42),
    flags: u32(buf, 120),
    checksum,
    checksumOk: crc32(buf.subarray(0, 120)) === checksum,
  };
}
