/**
 * Files carried by a protocol (HTTP bodies): size, MIME type from the content, MD5/SHA-1/SHA-256
 * computed as the bytes stream by (never stored), written as a Zeek files.log row.
 */
import { createHash, type Hash } from 'node:crypto';
import type { FilesRow } from '../../normalize/zeek-rows.js';
import type { Conn } from './flows.js';

/** MIME type from the first bytes, for the types Zeek's libmagic signatures name most often. */
export function sniffMime(b: Buffer): string | undefined {
  if (b.length === 0) return undefined;
  const s = (o: number, t: string) => b.length >= o + t.length && b.toString('latin1', o, o + t.length) === t;
  if (s(0, 'MZ')) return 'application/x-dosexec';
  if (s(0, '\x7fELF')) return 'application/x-executable';
  if (s(0, '%PDF-')) return 'application/pdf';
  if (s(0, '\x89PNG\r\n\x1a\n')) return 'image/png';
  if (s(0, 'GIF87a') || s(0, 'GIF89a')) return 'image/gif';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (s(0, 'BM') && b.length > 14) return 'image/x-ms-bmp';
  if (s(0, '\x00\x00\x01\x00')) return 'image/x-icon';
  if (s(0, 'RIFF') && s(8, 'WEBP')) return 'image/webp';
  if (s(0, 'PK\x03\x04')) return 'application/zip';
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'application/x-gzip';
  if (s(0, 'Rar!')) return 'application/x-rar';
  if (s(0, '7z\xbc\xaf\x27\x1c')) return 'application/x-7z-compressed';
  if (s(0, '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1')) return 'application/vnd.ms-office';
  if (s(0, 'CWS') || s(0, 'FWS') || s(0, 'ZWS')) return 'application/x-shockwave-flash';
  if (s(0, '\xca\xfe\xba\xbe')) return 'application/x-java-applet';
  if (s(0, 'OggS')) return 'application/ogg';
  if (s(0, 'ID3') || (b.length > 1 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (s(4, 'ftyp')) return 'video/mp4';
  if (s(0, '\x30\x82')) return 'application/x-x509-ca-cert';
  const head = b.toString('latin1', 0, Math.min(b.length, 512)).replace(/^\ufeff/, '');
  const lower = head.trimStart().toLowerCase();
  if (lower.startsWith('<?xml')) return lower.includes('<svg') ? 'image/svg+xml' : 'application/xml';
  if (/^<!doctype html|^<html|^<head|^<body|^<title|^<script|^<!--|^<table|^<div|^<h1|^<p[ >]/.test(lower)) return 'text/html';
  if (lower.startsWith('{') || lower.startsWith('[')) return /^[[{]\s*["{[\]}0-9tfn-]/.test(lower) ? 'text/json' : 'text/plain';
  // Mostly printable text.
  let printable = 0;
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc0) printable++;
  }
  if (printable / n > 0.95) return 'text/plain';
  return 'application/octet-stream';
}

const HASH_CHUNK = 64 * 1024;

export class FileTransfer {
  readonly fuid: string;
  private md5: Hash = createHash('md5');
  private sha1: Hash = createHash('sha1');
  private sha256: Hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLen = 0;
  seen = 0;
  missing = 0;
  mime?: string;
  readonly start: number;
  last: number;

  constructor(
    fuid: string,
    private readonly conn: Conn,
    readonly isOrig: boolean,
    ts: number,
    readonly total?: number,
    readonly filename?: string,
    private readonly source = 'HTTP',
  ) {
    this.fuid = fuid;
    this.start = ts;
    this.last = ts;
  }

  /** Bytes wait here and are hashed 64 KiB at a time: each hash call has a fixed cost. */
  private pending?: Buffer;
  private pendingLen = 0;

  private flushHashes(): void {
    if (this.pendingLen === 0 || !this.pending) return;
    const chunk = this.pending.subarray(0, this.pendingLen);
    this.md5.update(chunk);
    this.sha1.update(chunk);
    this.sha256.update(chunk);
    this.pendingLen = 0;
  }

  data(b: Buffer, ts: number): void {
    if (b.length === 0) return;
    if (b.length >= HASH_CHUNK) {
      this.flushHashes();
      this.md5.update(b);
      this.sha1.update(b);
      this.sha256.update(b);
    } else {
      if (this.pendingLen + b.length > HASH_CHUNK) this.flushHashes();
      this.pending ??= Buffer.allocUnsafe(HASH_CHUNK);
      b.copy(this.pending, this.pendingLen);
      this.pendingLen += b.length;
    }
    this.seen += b.length;
    this.last = ts;
    if (this.headLen < 512) {
      this.head.push(Buffer.from(b.subarray(0, 512 - this.headLen)));
      this.headLen += Math.min(b.length, 512 - this.headLen);
    }
  }

  gap(len: number): void {
    this.missing += len;
  }

  /** The MIME type as soon as enough bytes have been seen (for http.log). */
  mimeType(): string | undefined {
    if (this.mime === undefined && this.headLen > 0) this.mime = sniffMime(Buffer.concat(this.head));
    return this.mime;
  }

  row(): FilesRow {
    const c = this.conn;
    const r: FilesRow = {
      ts: this.start,
      fuid: this.fuid,
      uid: c.uid,
      'id.orig_h': c.origH,
      'id.orig_p': c.origP,
      'id.resp_h': c.respH,
      'id.resp_p': c.respP,
      source: this.source,
      depth: 0,
      analyzers: ['MD5', 'SHA1', 'SHA256'],
    };
    const mime = this.mimeType();
    if (mime) r.mime_type = mime;
    if (this.filename) r.filename = this.filename;
    r.duration = Math.round((this.last - this.start) * 1e6) / 1e6;
    r.is_orig = this.isOrig;
    r.seen_bytes = this.seen;
    if (this.total !== undefined) r.total_bytes = this.total;
    r.missing_bytes = this.missing;
    r.overflow_bytes = 0;
    r.timedout = false;
    this.flushHashes();
    this.pending = undefined;
    if (this.missing === 0 && this.seen > 0) {
      r.md5 = this.md5.digest('hex');
      r.sha1 = this.sha1.digest('hex');
      r.sha256 = this.sha256.digest('hex');
    }
    return r;
  }
}
