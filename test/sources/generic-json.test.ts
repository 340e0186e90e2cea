/**
 * Generic JSON through a field map: only with --field-map, JSON lines and arrays, errors with
 * their line and record. Expected events read off the fixture by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { bufferInput } from '../../src/sources/inputs.js';
import { chooseReader } from '../../src/sources/registry.js';
import { parseFieldMap } from '../../src/sources/generic/field-map.js';
import type { Event } from '../../src/normalize/event.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-generic-'));
const MAP = `
name: acme-edr
time: ts
time_format: epoch_ms
event_type: kind
event_types: { proc: process-start, net: network-connection, web: http-request, dns: dns-query, fw: file-create }
host: device.name
process_image: proc.path
process_pid: proc.pid
parent_pid: proc.ppid
parent_image: proc.parent_path
command_line: proc.cmd
http_host: http.host
uri: http.uri
http_method: http.method
ip: dst.ip
port: dst.port
protocol: dst.proto
dns_query: dns.q
dns_answer: dns.a
file_path: file
`;
const lines = [
  { ts: 1700000000000, kind: 'proc', device: { name: 'ws9' }, proc: { path: 'C:\\Windows\\System32\\cmd.exe', pid: 20, ppid: 10, parent_path: 'C:\\Windows\\explorer.exe', cmd: 'cmd /c x' } },
  { ts: 1700000001000, kind: 'net', device: { name: 'ws9' }, proc: { path: 'C:\\Windows\\System32\\cmd.exe', pid: 20 }, dst: { ip: '198.51.100.4', port: 443, proto: 'TCP' } },
  { ts: 1700000002000, kind: 'web', device: { name: 'ws9' }, proc: { path: 'C:\\Windows\\System32\\cmd.exe', pid: 20 }, http: { host: 'evil.example', uri: '/a?b=1', method: 'get' }, dst: { ip: '198.51.100.4', port: 80 } },
  { ts: 1700000003000, kind: 'dns', device: { name: 'ws9' }, proc: { path: 'C:\\Windows\\System32\\cmd.exe', pid: 20 }, dns: { q: 'evil.example', a: ['198.51.100.4'] } },
  { ts: 'soon', kind: 'fw', device: { name: 'ws9' }, file: 'C:\\x' },
  { ts: 1700000005000, kind: 'fw', device: { name: 'ws9' }, proc: { path: 'C:\\Windows\\System32\\cmd.exe', pid: 20 }, file: 'C:\\Users\\bob\\p.exe' },
];

test('field map: parsed and checked', () => {
  const m = parseFieldMap(MAP);
  assert.equal(m.name, 'acme-edr');
  assert.equal(m.fields.process_pid, 'proc.pid');
  assert.throws(() => parseFieldMap('time: t\nproces_image: x\n'), /unknown key "proces_image"/);
  assert.throws(() => parseFieldMap('event_type: k\n'), /"time" is required/);
  assert.throws(() => parseFieldMap('time: t\nevent_types: { a: launched }\n'), /event_types.a: "launched" is not one of/);
});

test('generic JSON: claims nothing without --field-map; with it, JSON lines and arrays read into a graph', async () => {
  const mapFile = join(dir, 'map.yaml');
  writeFileSync(mapFile, MAP);
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n{broken\n';
  const f = join(dir, 'edr.json');
  writeFileSync(f, text);
  assert.equal(chooseReader(bufferInput(f, Buffer.from(text))), undefined);
  assert.equal(chooseReader(bufferInput(f, Buffer.from(text)), { fieldMap: mapFile })?.reader.format, 'generic-json');
  const c = openSqliteStore(':memory:').openCase('t');
  const events: Event[] = [];
  const r = await analyzePaths([f], { store: c, readerOptions: { fieldMap: mapFile }, onEvent: (e) => events.push(e) });
  const fs = r.files[0];
  // 6 records: the 5th has no readable time, the 7th line is not JSON → 5 events, 2 errors
  assert.equal(fs.events, 5);
  assert.equal(fs.errors, 2);
  assert.match(fs.errorSamples[0], /^line 5, record 5: no readable time in ts \("soon", format epoch_ms\)/);
  assert.match(fs.errorSamples[1], /^line 7/);
  assert.deepEqual(events.map((e) => e.event.action), ['process-start', 'network-connection', 'http-request', 'dns-query', 'file-create']);
  assert.equal(events[0].process?.parent?.pid, 10);
  assert.equal(events[2].url?.full, 'http://evil.example/a?b=1');
  assert.equal(events[2].http?.request?.method, 'GET');
  assert.equal(events[0].host?.name, 'ws9');
  const k = c.counts();
  // by hand: launched explorer(10)→cmd(20); file_of cmd.exe, explorer.exe; connected_to 198.51.100.4;
  // http_request_to URI; uri_of URI→evil.example; resolves_to evil.example→198.51.100.4 (http dst and dns answer: one edge);
  // dns_query_for evil.example; wrote p.exe
  assert.deepEqual(k.edgesByType, { connected_to: 1, dns_query_for: 1, file_of: 2, http_request_to: 1, launched: 1, resolves_to: 1, uri_of: 1, wrote: 1 });

  // the same records as one JSON array
  const g = join(dir, 'edr-array.json');
  writeFileSync(g, JSON.stringify(lines, null, 2));
  const c2 = openSqliteStore(':memory:').openCase('t');
  const r2 = await analyzePaths([g], { store: c2, readerOptions: { fieldMap: mapFile } });
  assert.equal(r2.files[0].events, 5);
  assert.equal(r2.files[0].errors, 1);
  assert.deepEqual(c2.counts().edgesByType, k.edgesByType);
});

test('generic JSON: a bad field map is one clear error', async () => {
  const mapFile = join(dir, 'bad.yaml');
  writeFileSync(mapFile, 'time: ts\nbogus: x\n');
  const f = join(dir, 'x.json');
  writeFileSync(f, '{"ts": 1}\n');
  const c = openSqliteStore(':memory:').openCase('t');
  const r = await analyzePaths([f], { store: c, readerOptions: { fieldMap: mapFile } });
  assert.equal(r.files[0].events, 0);
  assert.equal(r.files[0].errors, 1);
  assert.match(r.files[0].errorSamples[0], /unknown key "bogus"/);
});
