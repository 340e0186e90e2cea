/** Inputs for tests: from a file on disk or from bytes in memory. */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Event } from '../../src/normalize/event.js';
import type { Input, Location, ReadContext, Reader } from '../../src/sources/types.js';

export function fileInput(path: string, name = path): Input {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(65536);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  return { name, path, size: statSync(path).size, head: head.subarray(0, n), open: () => createReadStream(path, { highWaterMark: 1 << 20 }) };
}

export function bufferInput(buf: Buffer, name = 'memory'): Input {
  return { name, size: buf.length, head: buf.subarray(0, 65536), open: () => Readable.from([buf]) };
}

export interface Collected {
  events: Event[];
  errors: Array<{ where: Location; reason: string }>;
  facts: Record<string, unknown>;
}

export function collector(): ReadContext & { errors: Collected['errors']; facts: Record<string, unknown> } {
  const errors: Collected['errors'] = [];
  const facts: Record<string, unknown> = {};
  return { errors, facts, error: (where, reason) => errors.push({ where, reason }), fact: (k, v) => { facts[k] = v; } };
}

export async function readAll(reader: Reader, input: Input): Promise<Collected> {
  const ctx = collector();
  const events: Event[] = [];
  for await (const batch of reader.read(input, ctx)) for (const e of batch) events.push(e);
  return { events, errors: ctx.errors, facts: ctx.facts };
}
