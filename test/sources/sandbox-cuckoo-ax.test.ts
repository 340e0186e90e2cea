/**
 * Cuckoo/CAPE report.json and FireEye AX extended JSON: small hand-written reports in the shapes
 * those sandboxes write; expected events and graph edges read off the fixtures by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferInput } from '../../src/sources/inputs.js';
import { cuckooReader } from '../../src/sources/sandbox/cuckoo.js';
import { fireEyeAxReader } from '../../src/sources/sandbox/fireeye-ax.js';
import { chooseReader } from '../../src/sources/registry.js';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Event } from '../../src/normalize/event.js';
import type { Reader } from '../../src/sources/types.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-sbx-'));

async function read(reader: Reader, text: string) {
  const errors: string[] = [];
  const facts: Record<string, unknown> = {};
  const events: Event[] = [];
  for await (const b of reader.read(bufferInput('r.json', Buffer.from(text)), { error: (w, r) => errors.push(`${JSON.stringify(w)} ${r}`), fact: (k, v) => (facts[k] = v) })) events.push(...b);
  return { errors, facts, events };
}

async function graph(text: string) {
  const f = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, text);
  const c = openSqliteStore(':memory:').openCase('t');
  const r = await analyzePaths([f], { store: c });
  return { c, r, k: c.counts() };
}

const cuckoo = {
  info: { id: 7, started: '2019-03-21 14:01:58', ended: '2019-03-21 14:04:00', machine: { name: 'win7' }, package: 'exe', platform: 'windows', route: 'none', version: '2.0.6' },
  target: { category: 'file', file: { name: 'bad.exe', sha256: 'a'.repeat(64) } },
  behavior: {
    processes: [
      { process_id: 100, parent_id: 50, process_name: 'bad.exe', process_path: 'C:\\Users\\x\\bad.exe', command_line: '"C:\\Users\\x\\bad.exe"', first_seen: 1553176920.5, calls: [{ api: 'NtCreateFile', arguments: { FileName: 'x' } }] },
      { process_id: 200, parent_id: 100, process_name: 'cmd.exe', process_path: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd /c del bad.exe', first_seen: 1553176925.0, calls: [] },
    ],
    processtree: [],
    generic: [
      { pid: 100, ppid: 50, process_name: 'bad.exe', summary: { file_created: ['C:\\Users\\x\\AppData\\drop.dll'], regkey_written: ['HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\bad'], resolves_host: ['evil.example'], connects_ip: ['203.0.113.9'], fetches_url: ['http://evil.example/p.bin'], mutex: ['m1'] } },
      { pid: 200, ppid: 100, process_name: 'cmd.exe', summary: { file_deleted: ['C:\\Users\\x\\bad.exe'], dll_loaded: ['C:\\Windows\\System32\\kernel32.dll'] } },
    ],
  },
  network: {
    dns: [{ request: 'evil.example', type: 'A', answers: [{ type: 'A', data: '203.0.113.9' }] }],
    http: [{ host: 'evil.example', port: 80, uri: 'http://evil.example/p.bin', method: 'GET', path: '/p.bin', 'user-agent': 'x', dst: '203.0.113.9' }],
    tcp: [{ src: '192.168.56.101', sport: 49200, dst: '203.0.113.9', dport: 80, time: 3.25 }],
    udp: [],
  },
  signatures: [{ name: 'x' }],
  debug: { log: 'long' },
};

test('Cuckoo report.json: processes, per-process summaries, process-less network', async () => {
  const text = JSON.stringify(cuckoo, null, 2);
  assert.equal(chooseReader(bufferInput('report.json', Buffer.from(text)))?.reader.format, 'cuckoo');
  const { errors, events, facts } = await read(cuckooReader, text);
  assert.deepEqual(errors, []);
  // 2 starts + bad.exe's 5 summary events + cmd's 2 + dns 1 + http 1 + tcp 1 = 12
  assert.equal(events.length, 12);
  const start = events.find((e) => e.process?.pid === 200 && e.event.action === 'process-start')!;
  assert.equal(start.process?.parent?.pid, 100);
  assert.equal(start.process?.parent?.executable, 'C:\\Users\\x\\bad.exe');
  assert.equal(start['@timestamp'], 1553176925000);
  const reg = events.find((e) => e.event.action === 'registry-value-set')!;
  assert.equal(reg.process?.pid, 100);
  assert.equal(reg.registry?.path, 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\bad');
  const tcp = events.find((e) => e.event.code === 'network.tcp')!;
  assert.equal(tcp.process, undefined);
  assert.equal(tcp['@timestamp'], Date.UTC(2019, 2, 21, 14, 1, 58) + 3250);
  assert.deepEqual(facts['not turned into events'], { mutex: 1 });
  const { k } = await graph(text);
  // by hand: launched 50→100, 100→200 (2); file_of bad.exe, cmd.exe (2); wrote drop.dll; changed_value Run;
  // dns_query_for bad→evil.example; resolves_to evil.example→203.0.113.9 (dns answer, http dst: one edge);
  // connected_to bad→203.0.113.9 (connects_ip) and 192.168.56.101→203.0.113.9 (the capture's tcp flow, no process); http_request_to bad→URI; uri_of URI→evil.example; deleted cmd→bad.exe; loaded kernel32
  assert.deepEqual(k.edgesByType, { changed_value: 1, connected_to: 2, deleted: 1, dns_query_for: 1, file_of: 2, http_request_to: 1, launched: 2, loaded: 1, resolves_to: 1, uri_of: 1, wrote: 1 });
  // processes: 100, 200 and the placeholder for parent 50 = 3
  assert.equal(k.nodesByType.Process, 3);
});

const ax81 = {
  msg: 'extended',
  appliance: 'ax-01',
  version: '8.1.0',
  alert: [{
    id: 1234, name: 'MALWARE_OBJECT', severity: 'MAJR', occurred: '2018-03-31 13:40:01 +0000', alertUrl: 'https://foo',
    explanation: {
      malwareDetected: { malware: [{ name: 'Stuxnet' }] },
      osChanges: [{
        process: [
          { mode: 'started', pid: 1700, ppid: 4668, value: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', parentname: 'C:\\Windows\\explorer.exe', cmdline: '"C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe"', md5sum: 'b'.repeat(32), timestamp: 18552 },
        ],
        network: [
          { mode: 'dns_query', protocol_type: 'udp', hostname: 'foobar.example', qtype: 'Host Address', processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 27648 },
          { mode: 'dns_query_answer', protocol_type: 'udp', hostname: 'foobar.example', ipaddress: '198.51.100.1', processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 27650 },
          { mode: 'dns_query_answer', protocol_type: 'udp', hostname: 'foobar.example', ipaddress: '198.51.100.2', processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 27650 },
          { mode: 'connect', protocol_type: 'tcp', ipaddress: '198.51.100.1', destination_port: 3333, processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 28029 },
          { mode: 'http_request', protocol_type: 'tcp', ipaddress: '198.51.100.1', destination_port: 80, processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, http_request: 'GET /some_route.crl HTTP/1.1~~User-Agent: Microsoft-CryptoAPI/10.0~~Host: crl.example.com~~~~', timestamp: 433750 },
        ],
        file: [
          { mode: 'created', value: 'C:\\Users\\admin\\AppData\\Local\\Temp\\sy24ttkc.k25.ps1', processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 9494 },
          { mode: 'CopyFile', source: 'C:\\a.exe', value: 'C:\\b.exe', processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 9500 },
        ],
        regkey: [
          { mode: 'setval', value: '\\REGISTRY\\USER\\S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\"bar" = C:\\bar.exe', processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 9600 },
          { mode: 'queryvalue', value: '\\REGISTRY\\USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\"ProxyOverride"', processinfo: { imagepath: 'C:\\Users\\admin\\AppData\\Local\\Temp\\bar.exe', pid: 1700 }, timestamp: 6203 },
        ],
        mutex: [{ value: 'x' }],
      }],
    },
  }],
};

test('FireEye AX 8.1: one DNS event per lookup with its answers, processinfo attribution, times after "occurred"', async () => {
  const text = JSON.stringify(ax81, null, 1);
  assert.equal(chooseReader(bufferInput('ax.json', Buffer.from(text)))?.reader.format, 'fireeye-ax');
  const { errors, events } = await read(fireEyeAxReader, text);
  assert.deepEqual(errors, []);
  // 1 process + 1 dns (query + 2 answers) + connect + http + 2 file + 2 regkey = 8
  assert.equal(events.length, 8);
  const dns = events.filter((e) => e.event.action === 'dns-query');
  assert.equal(dns.length, 1);
  assert.deepEqual(dns[0].dns?.answers?.map((a) => a.data), ['198.51.100.1', '198.51.100.2']);
  const base = Date.UTC(2018, 2, 31, 13, 40, 1);
  assert.equal(dns[0]['@timestamp'], base + 27648);
  const http = events.find((e) => e.event.action === 'http-request')!;
  assert.equal(http.url?.full, 'http://crl.example.com/some_route.crl');
  assert.equal(http.process?.pid, 1700);
  const copy = events.find((e) => e.event.code === 'file.CopyFile')!;
  assert.equal(copy.file?.original_path, 'C:\\a.exe');
  const set = events.find((e) => e.event.action === 'registry-value-set')!;
  assert.deepEqual(set.registry, { path: 'HKU\\S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\bar', hive: 'HKU', key: 'S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', value: 'bar', data: { strings: ['C:\\bar.exe'] } });
  const { k } = await graph(text);
  // by hand: launched explorer→bar 1; file_of bar.exe, explorer.exe 2; dns_query_for 1; resolves_to .1 .2 (dns) (+ crl.example.com→.1 via http) 3;
  // connected_to bar→.1 1; http_request_to 1; uri_of 1; wrote ps1, b.exe 2; changed_value 1; read_key 1;
  // copied_to a.exe→b.exe (the CopyFile) 1
  assert.deepEqual(k.edgesByType, { changed_value: 1, connected_to: 1, copied_to: 1, dns_query_for: 1, file_of: 2, http_request_to: 1, launched: 1, read_key: 1, resolves_to: 3, uri_of: 1, wrote: 2 });
});

test('FireEye AX 8.2 (os-changes as an object, ISO occurred) and a report cut short', async () => {
  const ax82 = { version: '8.2.0', appliance: 'mas', alert: [{ id: 9, occurred: '2018-03-31T13:40:01Z', 'alert-url': 'u', explanation: { 'malware-detected': { malware: [{ name: 'x' }] }, 'os-changes': { process: [{ mode: 'started', pid: 10, ppid: 1, value: 'C:\\a.exe', parentname: 'C:\\p.exe', cmdline: 'a', timestamp: 1000 }], file: [{ mode: 'deleted', values: { value: 'C:\\gone.txt' }, processinfo: { pid: 10, imagepath: 'C:\\a.exe' }, timestamp: 2000 }] } } }] };
  const text = JSON.stringify(ax82);
  const { errors, events } = await read(fireEyeAxReader, text);
  assert.deepEqual(errors, []);
  assert.deepEqual(events.map((e) => [e.event.action, e['@timestamp'] - Date.UTC(2018, 2, 31, 13, 40, 1)]), [['process-start', 1000], ['file-delete', 2000]]);
  const cut = await read(fireEyeAxReader, text.slice(0, text.indexOf('"file"')));
  assert.equal(cut.events.length, 1);
  assert.equal(cut.errors.length, 1);
  assert.match(cut.errors[0], /truncated/);
});
