/**
 * Loupe's `evtx` reader: recognises `ElfFile\0`, reads the file natively (chunk by chunk, on worker
 * threads for large files) and hands over normalised events. Damaged records go to `ctx.error`
 * with their record id and file offset; damage that lost nothing (CRC mismatches, wiped space, a
 * truncated end) is summed up as facts at the end.
 */
import type { Event } from '../../normalize/event.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { isEvtxMagic } from './file-header.js';
import { readEvtxEvents, type Issue } from './read.js';

/** Warnings listed in the run summary; the count covers them all. */
const MAX_LISTED_WARNINGS = 20;

export const evtxReader: Reader = {
  format: 'evtx',
  description: 'Windows XML Event Log files (.evtx), read natively: Sysmon, Security, PowerShell, System and any other channel',
  sniff(input: Input): number {
    return isEvtxMagic(input.head) ? 1 : 0;
  },
  read(input: Input, ctx: ReadContext): AsyncIterable<Event[]> {
    return readEvents(input, ctx);
  },
};

async function* readEvents(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const warnings: string[] = [];
  let warningCount = 0;
  const onIssue = (i: Issue): void => {
    if (i.kind === 'warning') {
      warningCount++;
      if (warnings.length < MAX_LISTED_WARNINGS) warnings.push(`offset ${i.offset}: ${i.reason}`);
      return;
    }
    ctx.error({ record: i.recordId, offset: i.offset }, i.reason);
  };
  yield* readEvtxEvents(input.path ?? input.open(), input.name, {
    onIssue,
    onProgress: ctx.progress ? (b) => ctx.progress!(b) : undefined,
    onHeader: (h) => {
      if (h.flags & 1) ctx.fact?.('evtx.dirty', 'the log was not closed cleanly (dirty flag set)');
    },
  });
  if (warningCount) {
    ctx.fact?.('evtx.warnings', { count: warningCount, first: warnings });
  }
}
