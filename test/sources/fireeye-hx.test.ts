/**
 * FireEye HX triage: a hand-made .mans (a zip) with metadata.json, one stateagentinspector event
 * stream, another audit and hits.json. Expected events and edges read off the fixture by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Event } from '../../src/normalize/event.js';
import { makeZip } from '../helpers/zip.js';

// Fixed-width uids: the truncation test cuts at a fixed offset into an item's start tag, which a
// random uid's length would move (it did: one run in a hundred cut after the tag instead).
let uid = 100000;
const item = (ts: string, type: string, d: Record<string, string>) =>
  `<eventItem sequence_num="1" uid="${uid++}"><timestamp>${ts}</timestamp><eventType>${type}</eventType><details>${Object.entries(d)
    .map(([k, v]) => `<detail><name>${k}</name><value>${v}</value></detail>`)
    .join('')}</details></eventItem>`;

const items = [
  // 1: cmd.exe (6036) starts find.exe (4024); the parent's image is cmd.exe, never find.exe
  item('2018-05-24T18:00:30.041Z', 'processEvent', { eventType: 'start', pid: '4024', processPath: 'C:\\Windows\\System32\\find.exe', process: 'find.exe', parentPid: '6036', parentProcessPath: 'C:\\Windows\\System32\\cmd.exe', parentProcess: 'cmd.exe', username: 'NT AUTHORITY\\SYSTEM', startTime: '2018-05-24T18:00:30.041Z', md5: '84f50f355a74df0fb58b8d6edd2bc197', processCmdLine: 'find  /i &quot;Listening&quot;   ' }),
  // 2: a write by find.exe; processPath here is the folder
  item('2018-05-24T18:00:31.000Z', 'fileWriteEvent', { fullPath: 'C:\\Users\\abcd.txt', filePath: 'Users\\', drive: 'C', fileName: 'abcd.txt', pid: '4024', process: 'find.exe', processPath: 'C:\\Windows\\System32', md5: 'a'.repeat(32), textAtLowestOffset: 'hi' }),
  // 3: url monitor
  item('2018-05-24T18:00:32.000Z', 'urlMonitorEvent', { hostname: 'crl.usertrust.com', requestUrl: '/foobar', urlMethod: 'GET', userAgent: 'Microsoft-CryptoAPI/6.1', remoteIpAddress: '192.0.2.7', remotePort: '80', pid: '4024', process: 'find.exe', processPath: 'C:\\Windows\\System32' }),
  // 4: network, 5: dns, 6: image load, 7: registry value set
  item('2018-05-24T18:00:33.000Z', 'ipv4NetworkEvent', { remoteIP: '192.0.2.8', remotePort: '443', localIP: '10.0.0.1', localPort: '53978', protocol: 'TCP', pid: '4024', process: 'find.exe', processPath: 'C:\\Windows\\System32' }),
  item('2018-05-24T18:00:34.000Z', 'dnsLookupEvent', { hostname: 'www.example.org', pid: '4024', process: 'find.exe', processPath: 'C:\\Windows\\System32' }),
  item('2018-05-24T18:00:35.000Z', 'imageLoadEvent', { fullPath: 'C:\\Windows\\System32\\kernel32.dll', pid: '4024', process: 'find.exe', processPath: 'C:\\Windows\\System32' }),
  item('2018-05-24T18:00:36.000Z', 'regKeyEvent', { hive: 'HKEY_USERS\\S-1', keyPath: 'Software\\Microsoft\\Internet Explorer\\Toolbar', path: 'HKEY_USERS\\S-1\\Software\\Microsoft\\Internet Explorer\\Toolbar\\Locked', eventType: '1', valueName: 'Locked', valueType: 'REG_DWORD', text: '1', pid: '4024', process: 'find.exe', processPath: 'C:\\Windows\\System32' }),
  // 8: bad timestamp → error; 9: unknown type → fact
  item('yesterday', 'dnsLookupEvent', { hostname: 'x', pid: '1' }),
  item('2018-05-24T18:00:37.000Z', 'addressNotificationEvent', { address: '10.0.0.1' }),
];
const stream = `<?xml version="1.0" encoding="UTF-8"?>\n<itemList generator="stateagentinspector" generatorVersion="29.7.8" itemSchemaLocation="http://schemas.mandiant.com/2013/11/stateagentinspector.xsd">\n${items.join('\n')}\n</itemList>\n`;

async function analyze(mans: Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-hx-'));
  const f = join(dir, 'triage.mans');
  writeFileSync(f, mans);
  const c = openSqliteStore(':memory:').openCase('t');
  const events: Event[] = [];
  const r = await analyzePaths([f], { store: c, onEvent: (e) => events.push(e) });
  return { c, r, events };
}

test('HX .mans: event stream read, host from metadata.json, other members recognised, errors with line', async () => {
  const mans = makeZip([
    { name: 'metadata.json', data: Buffer.from(JSON.stringify({ agent: { _id: 'A1', sysinfo: { hostname: 'WS-042', platform: 'win' } }, appliance_uri: 'https://hx' })) },
    { name: 'b61a3c', data: Buffer.from(stream) },
    { name: 'c77d10', data: Buffer.from('<?xml version="1.0"?><itemList generator="w32processes-memory" generatorVersion="1"><ProcessItem/></itemList>') },
    { name: 'hits.json', data: Buffer.from('[{"_id": 1, "threat_id": "t", "matched_at": "2018-06-28T07:54:55.000Z"}]') },
  ]);
  const { c, r, events } = await analyze(mans);
  const byName = Object.fromEntries(r.files.map((f) => [f.name.replace(/^.*!\//, ''), f]));
  assert.equal(byName.b61a3c.format, 'fireeye-hx');
  assert.equal(byName.b61a3c.events, 7);
  assert.equal(byName.b61a3c.errors, 1);
  assert.match(byName.b61a3c.errorSamples[0], /^line 10, record 8: eventItem without a readable timestamp/);
  assert.deepEqual(byName.b61a3c.facts?.['not turned into events'], { addressNotificationEvent: 1 });
  assert.equal(byName.c77d10.format, 'fireeye-hx');
  assert.equal(byName.c77d10.errors, 0);
  assert.equal(byName['hits.json'].format, 'fireeye-hx');
  assert.equal(byName['metadata.json'].errors, 0);
  const start = events[0];
  assert.equal(start.host?.name, 'WS-042');
  assert.equal(start.process?.executable, 'C:\\Windows\\System32\\find.exe');
  assert.equal(start.process?.command_line, 'find  /i "Listening"   ');
  assert.equal(start.process?.parent?.executable, 'C:\\Windows\\System32\\cmd.exe');
  assert.equal(events[1].process?.executable, 'C:\\Windows\\System32\\find.exe');
  assert.equal(events[2].url?.full, 'http://crl.usertrust.com/foobar');
  assert.deepEqual(events[6].registry, { path: 'HKU\\S-1\\Software\\Microsoft\\Internet Explorer\\Toolbar\\Locked', hive: 'HKU', key: 'S-1\\Software\\Microsoft\\Internet Explorer\\Toolbar', value: 'Locked', data: { strings: ['1'], type: 'REG_DWORD' } });
  const k = c.counts();
  // by hand: launched cmd→find 1; file_of find.exe→find, cmd.exe→cmd 2; wrote abcd.txt 1; http_request_to 1;
  // uri_of 1; resolves_to crl.usertrust.com→192.0.2.7 1; connected_to 192.0.2.8 1; dns_query_for 1; loaded 1; changed_value 1
  assert.deepEqual(k.edgesByType, { changed_value: 1, connected_to: 1, dns_query_for: 1, file_of: 2, http_request_to: 1, launched: 1, loaded: 1, resolves_to: 1, uri_of: 1, wrote: 1 });
  // find.exe's image and cmd.exe's image are two File nodes, with abcd.txt and kernel32.dll: 4
  assert.equal(k.nodesByType.File, 4);
  assert.equal(k.nodesByType.Process, 2);
});

test('HX stream cut short: items before the cut kept, the cut reported', async () => {
  const cut = stream.slice(0, stream.indexOf('<eventItem', stream.indexOf('dnsLookupEvent')) + 40);
  const { r } = await analyze(makeZip([{ name: 'b61a3c', data: Buffer.from(cut) }]));
  const f = r.files[0];
  assert.equal(f.events, 5); // items 1-5 whole, the 6th (image load) cut
  assert.equal(f.errors, 1);
  assert.match(f.errorSamples[0], /the stream ends before <\/itemList> \(truncated\)/); // cut inside the 6th item's start tag
  assert.match(String(f.facts?.host), /^hx:triage\.mans/);
});
