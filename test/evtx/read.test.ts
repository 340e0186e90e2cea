/**
 * The streaming reader: the same records from a path, a stream and a buffer; the same records in
 * the same order with worker threads; a truncated file read as far as it goes; the Reader plugged
 * into Loupe (sniffing, events, errors with offsets); and the dump command's output and exit codes.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { REPO, needShared, shared } from '../helpers/shared.js';
import { closeEvtxWorkers } from '../../src/sources/evtx/read.js';
import { evtxReader } from '../../src/sources/evtx/reader.js';
import { chooseReader } from '../../src/sources/registry.js';
import type { Input } from '../../src/sources/types.js';
import { readAll } from './helpers.js';
import { ChunkBuilder, evtxFile } from './fixtures.js';

const skip = needShared('evtx', 'samples');
const sample = (f: string): string => shared('evtx', 'samples', f);
const BAD_CHECKSUM = '2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx';

after(() => closeEvtxWorkers());

function ids(r: { records: { recordId: number; offset: number }[] }): string[] {
  return r.records.map((x) => `${x.recordId}@${x.offset}`);
}

test('path, stream and buffer give the same records and issues', { skip }, async () => {
  const path = sample(BAD_CHECKSUM);
  const a = await readAll(path);
  // A stream cut into odd-sized pieces, as an archive member would arrive.
  const b = await readAll(createReadStream(path, { highWaterMark: 7777 }));
  const c = await readAll(readFileSync(path));
  assert.equal(a.records.length, 1910);
  assert.deepEqual(ids(b), ids(a));
  assert.deepEqual(ids(c), ids(a));
  assert.deepEqual(b.records.map((r) => r.json), a.records.map((r) => r.json));
  assert.deepEqual(b.errors, a.errors);
  assert.deepEqual(c.warnings, a.warnings);
});

test('worker threads: same records, same order, same issues', { skip }, async () => {
  const path = sample(BAD_CHECKSUM);
  const inline = await readAll(path, { threads: 0 });
  // One chunk per batch and two workers: 16 batches answered out of order must come back in order.
  const pooled = await readAll(path, { threads: 2, batchChunks: 1 });
  assert.deepEqual(ids(pooled), ids(inline));
  assert.deepEqual(pooled.records.map((r) => r.json), inline.records.map((r) => r.json));
  assert.deepEqual(pooled.errors, inline.errors);
  assert.deepEqual(pooled.warnings.filter((w) => !/worker thread failed/.test(w.reason)), inline.warnings);
});

test('worker threads: XML and JSON text come back identical too', { skip }, async () => {
  const path = sample('security.evtx');
  const texts = async (o: object): Promise<(string | undefined)[]> =>
    (await readAll(path, o)).records.map((r) => r.xml ?? r.text);
  assert.deepEqual(await texts({ threads: 2, xml: true, json: false, batchChunks: 3 }), await texts({ threads: 0, xml: true, json: false }));
  const lines = await texts({ threads: 2, text: true, batchChunks: 3 });
  assert.deepEqual(lines, await texts({ threads: 0, text: true }));
  assert.equal(lines.length, 2261);
});

test('a file cut inside a chunk: the records that fit are read, the cut is reported', async () => {
  const c = new ChunkBuilder();
  for (let id = 1; id <= 20; id++) c.record(id, (w) => w.fragmentHeader().open('E').closeStart().text(`record ${id}`).end().eof());
  const file = evtxFile([c.finish()]);
  // Keep the header and the first 2,000 bytes of the chunk.
  const cut = file.subarray(0, 4096 + 2000);
  const r = await readAll(cut);
  assert.ok(r.records.length > 0 && r.records.length < 20);
  assert.deepEqual(r.records.map((x) => x.json), r.records.map((x) => ({ E: `record ${x.recordId}` })));
  assert.ok(r.warnings.some((w) => /file ends inside chunk 0 \(2000 of 65536 bytes\)/.test(w.reason)));
  // Not EVTX at all: one error, no records, no exception.
  const junk = await readAll(Buffer.from('not an evtx file'));
  assert.equal(junk.records.length, 0);
  assert.match(junk.errors[0].reason, /not an EVTX file/);
});

test('the evtx Reader: chosen by content, events normalised, errors with record and offset', { skip }, async () => {
  const path = sample(BAD_CHECKSUM);
  const head = readFileSync(path).subarray(0, 65536);
  const input: Input = { name: 'case/rdp.evtx', head, path, open: () => createReadStream(path) };
  assert.equal(chooseReader(input)?.reader, evtxReader);
  assert.equal(evtxReader.sniff({ ...input, head: Buffer.from('{"Event":{}}') }), 0);
  const errors: { where: { record?: number; offset?: number }; reason: string }[] = [];
  const facts: [string, unknown][] = [];
  let events = 0;
  let first: Record<string, unknown> | undefined;
  for await (const batch of evtxReader.read({ ...input, path: undefined }, {
    error: (where, reason) => errors.push({ where, reason }),
    fact: (k, v) => facts.push([k, v]),
  })) {
    first ??= batch[0] as unknown as Record<string, unknown>;
    events += batch.length;
  }
  assert.equal(events, 1910);
  assert.equal(errors.length, 4);
  assert.deepEqual(errors[0].where, { record: 6335011, offset: 53200 });
  assert.deepEqual((first as { origin: unknown }).origin, { file: 'case/rdp.evtx', format: 'evtx', record: 6334916, offset: 4608 });
  assert.equal((first as { winlog: { event_id: number } }).winlog.event_id, 148);
  assert.ok(facts.some(([k]) => k === 'evtx.warnings'));
});

test('Sysmon events from an .evtx equal those from its crate rendering', { skip: needShared('sigma-regression') }, async () => {
  const { fromEvtxJson, normalizeWindows } = await import('../../src/normalize/windows.js');
  const { splitConcatenatedJson } = await import('./helpers.js');
  const dir = shared('sigma-regression', 'regression_data', 'rules', 'windows', 'process_creation', 'proc_creation_win_renamed_curl');
  const { readdirSync } = await import('node:fs');
  const evtx = readdirSync(dir).find((f) => f.endsWith('.evtx'));
  if (!evtx) return;
  const path = `${dir}/${evtx}`;
  const rendered = splitConcatenatedJson(readFileSync(path.replace(/\.evtx$/, '.json'), 'utf8'));
  const head = readFileSync(path).subarray(0, 65536);
  const events = [];
  for await (const b of evtxReader.read({ name: 'x.evtx', head, path, open: () => createReadStream(path) }, { error: () => {} })) events.push(...b);
  assert.equal(events.length, rendered.length);
  for (let i = 0; i < events.length; i++) {
    const expected = normalizeWindows(fromEvtxJson(rendered[i])!, events[i].origin);
    assert.deepEqual(events[i], expected);
  }
});

test('a stream that is not a Buffer stream still reads', async () => {
  const c = new ChunkBuilder();
  c.record(1, (w) => w.fragmentHeader().open('E').closeEmpty().eof());
  const file = evtxFile([c.finish()]);
  const r = await readAll(Readable.from([file.subarray(0, 100), file.subarray(100)]));
  assert.deepEqual(r.records.map((x) => x.json), [{ E: null }]);
});

test('loupe evtx dump: records on stdout, damage on stderr, exit code 0 / 1 / 2', { skip }, () => {
  const dump = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `import { main } from ${JSON.stringify(`${REPO}/src/cli/main.ts`)}; process.exitCode = await main(["node", "loupe", ...process.argv.slice(1)]);`, 'evtx', 'dump', ...args],
      { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
  const ok = dump(sample('issue_201.evtx'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout.trim()).Event.System.EventRecordID, '3229');
  const damaged = dump(sample(BAD_CHECKSUM));
  assert.equal(damaged.status, 1);
  assert.equal(damaged.stdout.trim().split('\n').length, 1910);
  assert.match(damaged.stderr, /error: .*offset 53200 record 6335011: substitution 10/);
  assert.match(damaged.stderr, /1910 records, 4 in error, 2 warnings/);
  const notEvtx = dump(`${REPO}/package.json`);
  assert.equal(notEvtx.status, 2);
  assert.match(notEvtx.stderr, /not an EVTX file/);
});
