/**
 * `loupe pcap FILE --zeek DIR`: a packet capture (pcap, pcapng, or either gzip-compressed) into
 * Zeek logs (conn, dns, http, ssl, x509, files) that Zeek's own tools read, without Zeek.
 */
import { createReadStream, createWriteStream, mkdirSync, openSync, readSync, closeSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Command } from 'commander';
import { captureRecords } from '../../sources/pcap/reader.js';
import { captureFormat } from '../../sources/pcap/capture.js';
import { ZeekTsvWriter } from '../../sources/zeek/writer.js';
import { SCHEMAS } from '../../sources/zeek/schema.js';

export interface PcapToZeekResult {
  packets: number;
  rows: Record<string, number>;
  errors: Array<{ offset?: number; reason: string }>;
  errorCount: number;
  facts: Record<string, unknown>;
  files: string[];
}

type LogName = keyof typeof SCHEMAS;

function openCapture(path: string): Readable {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(4);
  readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  const s = createReadStream(path, { highWaterMark: 1 << 20 });
  return head[0] === 0x1f && head[1] === 0x8b ? s.pipe(createGunzip()) : s;
}

/** Reads a capture and writes its Zeek logs into `outDir` (TSV, or JSON lines with `json`). */
export async function pcapToZeek(path: string, outDir: string, opts: { json?: boolean; validateChecksums?: boolean; now?: () => Date } = {}): Promise<PcapToZeekResult> {
  mkdirSync(outDir, { recursive: true });
  const res: PcapToZeekResult = { packets: 0, rows: {}, errors: [], errorCount: 0, facts: {}, files: [] };
  const writers = new Map<string, { stream: WriteStream; tsv?: ZeekTsvWriter }>();
  const writer = (log: LogName) => {
    let w = writers.get(log);
    if (!w) {
      const file = join(outDir, `${log}.log`);
      const stream = createWriteStream(file);
      res.files.push(file);
      if (opts.json) w = { stream };
      else {
        const tsv = new ZeekTsvWriter(log, opts.now);
        stream.write(tsv.header());
        w = { stream, tsv };
      }
      writers.set(log, w);
    }
    return w;
  };
  const ctx = {
    error: (where: { offset?: number }, reason: string) => {
      res.errorCount++;
      if (res.errors.length < 1000) res.errors.push({ offset: where.offset, reason });
    },
    fact: (k: string, v: unknown) => {
      res.facts[k] = v;
    },
  };
  for await (const recs of captureRecords(openCapture(path), ctx, { validateChecksums: opts.validateChecksums })) {
    for (const r of recs) {
      if (!(r.log in SCHEMAS)) continue;
      const log = r.log as LogName;
      const w = writer(log);
      const row = r.row as unknown as Record<string, unknown>;
      const line = w.tsv ? w.tsv.row(row) : `${JSON.stringify({ _path: log, ...row })}\n`;
      if (!w.stream.write(line)) await new Promise<void>((ok) => w.stream.once('drain', () => ok()));
      res.rows[log] = (res.rows[log] ?? 0) + 1;
    }
  }
  for (const w of writers.values()) {
    if (w.tsv) w.stream.write(w.tsv.close());
    await new Promise<void>((ok, ko) => w.stream.end((e?: Error | null) => (e ? ko(e) : ok())));
  }
  res.packets = Number(res.facts.packets ?? 0);
  return res;
}

export function register(program: Command): void {
  program
    .command('pcap')
    .description('analyse a packet capture (pcap, pcapng, .gz) into Zeek logs: conn, dns, http, ssl, x509, files')
    .argument('<file>', 'capture file')
    .requiredOption('--zeek <dir>', 'folder to write the Zeek logs into')
    .option('--json', 'write Zeek JSON lines instead of TSV')
    .option('--validate-checksums', "drop packets with bad TCP/UDP checksums as Zeek does without -C (default: keep them, like 'zeek -C')")
    .option('--summary-json', 'print the summary as JSON')
    .action(async (file: string, o: { zeek: string; json?: boolean; validateChecksums?: boolean; summaryJson?: boolean }) => {
      let head: Buffer;
      try {
        const fd = openSync(file, 'r');
        head = Buffer.alloc(4);
        readSync(fd, head, 0, 4, 0);
        closeSync(fd);
      } catch (e) {
        process.stderr.write(`loupe pcap: cannot read ${file}: ${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      if (!captureFormat(head) && !(head[0] === 0x1f && head[1] === 0x8b)) {
        process.stderr.write(`loupe pcap: ${file} is not a pcap or pcapng file\n`);
        process.exitCode = 2;
        return;
      }
      const res = await pcapToZeek(file, o.zeek, { json: o.json, validateChecksums: o.validateChecksums });
      if (o.summaryJson) {
        process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
        return;
      }
      const out = [`${file}: ${res.packets} packets`];
      for (const [log, n] of Object.entries(res.rows)) out.push(`  ${log}.log  ${n} rows`);
      for (const [k, v] of Object.entries(res.facts)) if (k !== 'packets') out.push(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      if (res.errorCount > 0) {
        out.push(`  ${res.errorCount} damaged records or protocol violations; first ones:`);
        for (const e of res.errors.slice(0, 10)) out.push(`    at byte ${e.offset ?? '?'}: ${e.reason}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
