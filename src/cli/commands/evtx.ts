/**
 * `loupe evtx dump FILE`: the records of an EVTX file, rendered as the evtx crate renders them
 * (JSON by default, one record per line; XML on request), for people who just want the records.
 * Damaged records go to stderr with their offset and reason; the exit code says whether any were
 * lost (0 none, 1 some, 2 the file could not be read at all).
 */
import type { Command } from 'commander';
import { readEvtx, type Issue } from '../../sources/evtx/read.js';

interface DumpOptions {
  xml?: boolean;
  json?: boolean;
  pretty?: boolean;
  separateJsonAttributes?: boolean;
  threads?: string;
  warnings?: boolean;
}

export function register(program: Command): void {
  const evtx = program.command('evtx').description('Windows EVTX files, read natively');
  evtx
    .command('dump')
    .description('print every record of an EVTX file as JSON (one per line, the evtx crate\'s shape) or XML')
    .argument('<file>', 'the .evtx file')
    .option('--json', 'JSON, one record per line (default)')
    .option('--xml', 'XML, as the evtx crate renders it')
    .option('--pretty', 'JSON indented (two spaces), records one after another')
    .option('--separate-json-attributes', 'attributes as "<Name>_attributes" siblings instead of "#attributes"')
    .option('--threads <n>', 'worker threads (default: one per core for files of 8 MiB or more)')
    .option('--no-warnings', 'do not print CRC mismatches and other damage that lost no record')
    .action(async (file: string, o: DumpOptions) => {
      process.exitCode = await dump(file, o);
    });
}

/** Resolves when `out` can take more, or has failed (each wait removes its own listeners). */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.removeListener('drain', done);
      out.removeListener('error', done);
      resolve();
    };
    out.once('drain', done);
    out.once('error', done);
  });
}

async function dump(file: string, o: DumpOptions): Promise<number> {
  if (o.xml && o.json) {
    process.stderr.write('loupe evtx dump: choose one of --json and --xml\n');
    return 2;
  }
  const xml = o.xml === true;
  const threads = o.threads === undefined ? undefined : Number(o.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0)) {
    process.stderr.write(`loupe evtx dump: --threads wants a whole number, got ${o.threads}\n`);
    return 2;
  }
  let records = 0;
  let errors = 0;
  let warnings = 0;
  let unreadable = false;
  const onIssue = (i: Issue): void => {
    const where = `${file}: offset ${i.offset}${i.recordId !== undefined ? ` record ${i.recordId}` : ''}`;
    if (i.kind === 'warning') {
      warnings++;
      if (o.warnings !== false) process.stderr.write(`warning: ${where}: ${i.reason}\n`);
      return;
    }
    if (i.chunk < 0) unreadable = true;
    errors++;
    process.stderr.write(`error: ${where}: ${i.reason}\n`);
  };
  const out = process.stdout;
  let closed = false;
  out.on('error', () => {
    closed = true; // a reader that went away (`| head`) is not an error of ours
  });
  try {
    for await (const batch of readEvtx(file, {
      json: !xml,
      xml,
      text: true,
      pretty: o.pretty === true,
      separateAttributes: o.separateJsonAttributes,
      threads,
      onIssue,
    })) {
      if (closed) break;
      let text = '';
      for (const r of batch) text += r.text + '\n';
      records += batch.length;
      if (!out.write(text) && !closed) await drained(out);
    }
  } catch (e) {
    if (closed || (e as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    process.stderr.write(`loupe evtx dump: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  process.stderr.write(`${file}: ${records} records, ${errors} in error, ${warnings} warnings\n`);
  if (unreadable) return 2;
  return errors ? 1 : 0;
}
