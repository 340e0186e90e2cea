/**
 * Bad input never stops a run and is never dropped without a word: each case below is analysed
 * together with one good file, and the good file's events must all arrive while the bad one is
 * reported with its name and the place of the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzePaths, type AnalyzeResult } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { makeZip } from '../helpers/zip.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-bad-'));

function sysmonLine(n: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'ws1', UtcTime: `2024-05-01 10:00:0${n % 10}.000`,
    ProcessGuid: `{11111111-2222-3333-4444-${String(n).padStart(12, '0')}}`, ProcessId: 100 + n, Image: 'C:\\Windows\\System32\\cmd.exe',
    CommandLine: 'cmd.exe /c echo hi', ParentProcessGuid: '{11111111-2222-3333-4444-999999999999}', ParentProcessId: 4, ParentImage: 'C:\\Windows\\explorer.exe', ...extra,
  });
}

const good = join(dir, 'good.json');
writeFileSync(good, [1, 2, 3].map((n) => sysmonLine(n)).join('\n') + '\n');

async function run(bad: string): Promise<{ r: AnalyzeResult; badFile: AnalyzeResult['files'][number] }> {
  const store = openSqliteStore(':memory:').openCase('t');
  const r = await analyzePaths([bad, good], { store });
  const goodFile = r.files.find((f) => f.name === good)!;
  assert.equal(goodFile.events, 3, 'the good file is read in full');
  assert.equal(goodFile.errors, 0);
  const badFile = r.files.find((f) => f.name.startsWith(bad))!;
  assert.ok(badFile, 'the bad file is listed');
  assert.equal(store.listEvidence().length, r.files.length, 'every input is recorded as evidence');
  return { r, badFile };
}

test('an empty file is reported as empty', async () => {
  const p = join(dir, 'empty.json');
  writeFileSync(p, '');
  const { badFile } = await run(p);
  assert.equal(badFile.events, 0);
  assert.equal(badFile.errors, 1);
  assert.match(badFile.errorSamples[0], /empty/);
});

test('a truncated JSON line is reported with its line number; the lines around it are read', async () => {
  const p = join(dir, 'truncated.json');
  writeFileSync(p, [sysmonLine(1), sysmonLine(2).slice(0, 80), sysmonLine(3)].join('\n') + '\n');
  const { badFile } = await run(p);
  assert.equal(badFile.events, 2);
  assert.equal(badFile.errors, 1);
  assert.match(badFile.errorSamples[0], /^line 2.*invalid JSON/);
});

test('binary garbage is reported as an unknown format, with its first bytes', async () => {
  const p = join(dir, 'garbage.bin');
  writeFileSync(p, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 255, 254, 7, 7]));
  const { badFile } = await run(p);
  assert.equal(badFile.format, 'unknown');
  assert.match(badFile.errorSamples[0], /not a format Loupe reads \(starts with de ad be ef/);
});

test('text in no known format is reported as an unknown format', async () => {
  const p = join(dir, 'notes.txt');
  writeFileSync(p, 'Meeting notes\nnothing to see here\n');
  const { badFile } = await run(p);
  assert.equal(badFile.format, 'unknown');
  assert.equal(badFile.errors, 1);
});

test('a 10 MB field is cut, reported with its field name and line, and the record kept', async () => {
  const p = join(dir, 'huge-field.json');
  const huge = 'A'.repeat(10 * 1024 * 1024);
  writeFileSync(p, [sysmonLine(1), sysmonLine(2, { CommandLine: huge })].join('\n') + '\n');
  const store = openSqliteStore(':memory:').openCase('t');
  const r = await analyzePaths([p], { store });
  assert.equal(r.files[0].events, 2);
  assert.equal(r.files[0].errors, 1);
  assert.match(r.files[0].errorSamples[0], /^line 2, record 2: field CommandLine is 10485760 characters/);
  const ev = [...store.events()].map((s) => s.event).find((e) => e.origin.line === 2)!;
  assert.ok(String(ev.raw.CommandLine).length < 1.1 * 1024 * 1024);
  assert.match(String(ev.raw.CommandLine), /more characters\]$/);
});

test('a zip bomb is stopped by the ratio limit and reported; the other members are read', async () => {
  const p = join(dir, 'bomb.zip');
  // A good line, then 200 MiB of spaces: they deflate to about 200 KiB, a ratio near 1000:1,
  // over the 200:1 limit.
  writeFileSync(p, makeZip([
    { name: 'ok.json', data: Buffer.from(sysmonLine(7) + '\n') },
    { name: 'zeros.json', data: Buffer.concat([Buffer.from(sysmonLine(8) + '\n'), Buffer.alloc(200 * 1024 * 1024, 0x20)]) },
  ]));
  const { r } = await run(p);
  const ok = r.files.find((f) => f.name.endsWith('!/ok.json'))!;
  assert.equal(ok.events, 1);
  const bomb = r.files.find((f) => f.name.endsWith('!/zeros.json'))!;
  assert.equal(bomb.events, 0);
  assert.ok(bomb.errors >= 1);
  assert.match(bomb.errorSamples.join('\n'), /zip bomb/);
});

test('a damaged gzip is read up to the break and the break reported', async () => {
  const p = join(dir, 'cut.json.gz');
  const gz = gzipSync(Buffer.from([1, 2, 3, 4, 5].map((n) => sysmonLine(n)).join('\n') + '\n'));
  writeFileSync(p, gz.subarray(0, gz.length - 6)); // trailer cut
  const { badFile } = await run(p);
  assert.equal(badFile.events, 5);
  assert.match(badFile.errorSamples.join('\n'), /gzip stream is truncated/);
});

test('a path that does not exist is reported, and the run goes on', async () => {
  const store = openSqliteStore(':memory:').openCase('t');
  const r = await analyzePaths([join(dir, 'no-such-file.json'), good], { store });
  assert.equal(r.events, 3);
  assert.match(r.files[0].errorSamples[0], /cannot open/);
});
