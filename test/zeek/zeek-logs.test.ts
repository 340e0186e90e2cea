import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { shared, needShared } from '../helpers/shared.js';
import { zeekJsonReader, zeekTsvReader, readZeekJsonRows } from '../../src/sources/zeek/reader.js';
import { parseZeekTsv } from '../../src/sources/zeek/tsv.js';
import { ZeekTsvWriter, escapeZeek } from '../../src/sources/zeek/writer.js';
import { SCHEMAS } from '../../src/sources/zeek/schema.js';
import { inferLog, logFromFileName } from '../../src/sources/zeek/json.js';
import { zeekRowToEvent } from '../../src/normalize/zeek.js';
import { bufferInput, collector, fileInput, readAll } from './input.js';

const DAY1 = shared('mordor', 'datasets', 'compound', 'apt29', 'day1', 'zeek', 'individual_zeek_logs');
const BASELINES = shared('zeek', 'baselines');
const LOGS = ['conn', 'dns', 'http', 'ssl', 'x509', 'files'] as const;

/** Numbers compare to the microsecond (TSV keeps six decimals); arrays element-wise. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return a === b;
}

test('Zeek JSON logs of APT29 day 1: every line read, none in error', { skip: needShared('mordor', 'datasets', 'compound', 'apt29', 'day1') }, async () => {
  for (const f of readdirSync(DAY1)) {
    const text = readFileSync(join(DAY1, f), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim().length > 0).length;
    const input = fileInput(join(DAY1, f), f);
    assert.ok(zeekJsonReader.sniff(input) > 0.5, `${f} sniffed as Zeek JSON`);
    assert.equal(zeekTsvReader.sniff(input), 0);
    const r = await readAll(zeekJsonReader, input);
    assert.deepEqual(r.errors, [], f);
    assert.equal(r.events.length, lines, f);
    const stream = JSON.parse(text.slice(0, text.indexOf('\n')))['@stream'];
    assert.equal(r.events[0]!.event.dataset, `zeek.${stream}`, f);
  }
});

test('combined APT29 day 1 log: per-stream counts as the @stream field says', { skip: needShared('mordor', 'datasets', 'compound', 'apt29', 'day1') }, async () => {
  const path = join(DAY1, '..', 'combined_zeek.log');
  const expected: Record<string, number> = {};
  for (const l of readFileSync(path, 'utf8').split('\n')) if (l.trim()) { const s = JSON.parse(l)['@stream']; expected[s] = (expected[s] ?? 0) + 1; }
  const got: Record<string, number> = {};
  const r = await readAll(zeekJsonReader, fileInput(path));
  for (const e of r.events) got[e.zeek!.log!] = (got[e.zeek!.log!] ?? 0) + 1;
  assert.deepEqual(got, expected);
});

test('Zeek JSON without a _path: the log is inferred from the fields, the file name breaks ties', { skip: needShared('mordor', 'datasets', 'compound', 'apt29', 'day1') }, async () => {
  for (const [f, log] of [['NASHUA_conn.log', 'conn'], ['NASHUA_dns.log', 'dns'], ['SCRANTON_http.log', 'http'], ['NASHUA_ssl.log', 'ssl'], ['NASHUA_x509.log', 'x509'], ['NASHUA_files.log', 'files']] as const) {
    const lines = readFileSync(join(DAY1, f), 'utf8').split('\n').filter(Boolean).slice(0, 50)
      .map((l) => { const o = JSON.parse(l); delete o['@stream']; return JSON.stringify(o); });
    const ctx = collector();
    const logs = new Set<string>();
    for await (const r of readZeekJsonRows(bufferInput(Buffer.from(lines.join('\n')), 'nameless'), ctx)) logs.add(r.log);
    assert.deepEqual([...logs], [log], f);
  }
  assert.equal(logFromFileName('NASHUA_smb_files.log'), 'smb_files');
  assert.equal(logFromFileName('conn.00:00:00-01:00:00.log.gz'), 'conn');
  assert.equal(inferLog({ ts: 1, uid: 'C', 'id.orig_h': '1.2.3.4' }, 'x/kerberos.log'), 'kerberos');
});

test('Zeek TSV baselines: every data line read; only masked times are reported', { skip: needShared('zeek', 'baselines') }, async () => {
  let files = 0;
  for (const dir of readdirSync(BASELINES)) {
    for (const log of LOGS) {
      const p = join(BASELINES, dir, `${log}.log`);
      if (!existsSync(p)) continue;
      files++;
      const text = readFileSync(p, 'utf8');
      // Some btests keep zeek-cut output (a line of names, no #separator): not a Zeek log.
      if (!/^#separator /m.test(text)) continue;
      const dataLines = text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#')).length;
      const parsed = parseZeekTsv(text);
      assert.deepEqual(parsed.errors, [], p);
      assert.equal(parsed.rows.length, dataLines, p);
      const input = fileInput(p, `${dir}/${log}.log`);
      assert.equal(zeekTsvReader.sniff(input), 0.99);
      const ctx = collector();
      const r = await readAll(zeekTsvReader, input);
      void ctx;
      // A masked ts is reported twice (the value, then the row without a time); nothing else is.
      const masked = text.split('\n').filter((l) => l.startsWith('XXXXXXXXXX.XXXXXX')).length;
      assert.equal(r.events.length, dataLines - masked, p);
      for (const e of r.errors) assert.match(e.reason, /XXXXXXXXXX|ts/, p);
    }
  }
  assert.ok(files >= 100, `found ${files} baseline logs`);
});

test('gzip Zeek logs are sniffed and read', async () => {
  const tsv = '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers\tTTLs\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]\tvector[interval]\n1600000000.250000\tCabc\t10.0.0.1\t5353\t8.8.8.8\t53\tudp\tevil\\x2ccom\ta.example,1.2.3.4\t60.000000,30.000000\n';
  const gz = gzipSync(Buffer.from(tsv));
  const input = bufferInput(gz, 'dns.log.gz');
  assert.equal(zeekTsvReader.sniff(input), 0.99);
  const r = await readAll(zeekTsvReader, input);
  assert.equal(r.events.length, 1);
  const e = r.events[0]!;
  assert.equal(e['@timestamp'], 1600000000250); // 1600000000.25 s × 1000
  assert.equal(e.dns!.question!.name, 'evil,com'); // \x2c is an escaped comma
  assert.deepEqual(e.dns!.resolved_ip, ['1.2.3.4']);
  assert.deepEqual(e.dns!.answers!.map((a) => a.ttl), [60, 30]);
  const json = gzipSync(Buffer.from('{"_path":"conn","ts":"2020-09-13T12:26:40.5Z","uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":80,"proto":"tcp","conn_state":"SF"}\nnot json\n'));
  const jin = bufferInput(json, 'conn.json.gz');
  assert.equal(zeekJsonReader.sniff(jin), 0.9);
  const jr = await readAll(zeekJsonReader, jin);
  assert.equal(jr.events.length, 1);
  assert.equal(jr.events[0]!['@timestamp'], 1600000000500); // 2020-09-13T12:26:40Z is epoch 1600000000
  assert.equal(jr.errors.length, 1);
  assert.equal(jr.errors[0]!.where.line, 2);
});

test('damaged TSV lines are reported with their line and reading goes on', async () => {
  const text = '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tproto\n#types\ttime\tstring\tenum\n1.0\tC1\ttcp\n1.0\tC2\n2.0\tC3\tudp\nabc\tC4\ttcp\n';
  const r = await readAll(zeekTsvReader, bufferInput(Buffer.from(text), 'conn.log'));
  assert.deepEqual(r.events.map((e) => e.zeek!.uid), ['C1', 'C3']);
  assert.deepEqual(r.errors.map((e) => e.where.line), [6, 8, 8]);
});

test('round trip: APT29 day 1 JSON and the baselines through our TSV writer come back the same', { skip: needShared('mordor', 'datasets', 'compound', 'apt29', 'day1') }, async () => {
  const sources: Array<{ log: (typeof LOGS)[number]; rows: Record<string, unknown>[]; name: string }> = [];
  for (const f of readdirSync(DAY1)) {
    const log = logFromFileName(f) as (typeof LOGS)[number];
    if (!LOGS.includes(log)) continue;
    const rows: Record<string, unknown>[] = [];
    for await (const r of readZeekJsonRows(fileInput(join(DAY1, f)), collector())) rows.push(r.row);
    sources.push({ log, rows, name: f });
  }
  for (const dir of existsSync(BASELINES) ? readdirSync(BASELINES) : []) {
    for (const log of LOGS) {
      const p = join(BASELINES, dir, `${log}.log`);
      if (existsSync(p) && /^#separator /m.test(readFileSync(p, 'utf8'))) sources.push({ log, rows: parseZeekTsv(readFileSync(p, 'utf8')).rows, name: `${dir}/${log}` });
    }
  }
  let compared = 0;
  for (const { log, rows, name } of sources) {
    const w = new ZeekTsvWriter(log, () => new Date(0));
    const text = w.header() + rows.map((r) => w.row(r)).join('') + w.close();
    const back = parseZeekTsv(text);
    assert.deepEqual(back.errors, [], name);
    assert.equal(back.path, log);
    assert.equal(back.rows.length, rows.length, name);
    rows.forEach((r, i) => {
      for (const [field] of SCHEMAS[log].fields) {
        assert.ok(sameValue(back.rows[i]![field], r[field]), `${name} row ${i + 1} ${field}: ${JSON.stringify(r[field])} → ${JSON.stringify(back.rows[i]![field])}`);
        compared++;
      }
    });
  }
  assert.ok(compared > 10000);
});

test('writer escapes as Zeek does', () => {
  assert.equal(escapeZeek('-', false), '\\x2d');
  assert.equal(escapeZeek('(empty)', false), '\\x28empty)');
  assert.equal(escapeZeek('a\tb\\c', false), 'a\\x09b\\\\c');
  assert.equal(escapeZeek('a,b', true), 'a\\x2cb');
  const w = new ZeekTsvWriter('conn', () => new Date(Date.UTC(2020, 0, 2, 3, 4, 5)));
  assert.match(w.header(), /^#separator \\x09\n#set_separator\t,\n#empty_field\t\(empty\)\n#unset_field\t-\n#path\tconn\n#open\t2020-01-02-03-04-05\n/);
  assert.equal(w.row({ ts: 1.5, uid: 'C', proto: 'tcp', tunnel_parents: [] }).split('\t').slice(0, 8).join('|'), '1.500000|C|-|-|-|-|tcp|-');
});

test('zeekRowToEvent fills ECS fields (hand-written rows)', () => {
  const origin = { file: 'f', format: 'zeek-tsv' };
  const conn = zeekRowToEvent('conn', { ts: 1000.5, uid: 'CX', 'id.orig_h': '10.0.0.1', 'id.orig_p': 1234, 'id.resp_h': '1.1.1.1', 'id.resp_p': 443, proto: 'tcp', service: 'ssl,http', duration: 2.5, orig_bytes: 100, resp_bytes: 200, conn_state: 'SF', history: 'ShADadFf', missed_bytes: 0, orig_pkts: 5, resp_pkts: 6 }, origin)!;
  assert.equal(conn['@timestamp'], 1000500);
  assert.equal(conn.event.dataset, 'zeek.conn');
  assert.equal(conn.event.duration, 2_500_000_000); // 2.5 s in ns
  assert.deepEqual(conn.source, { ip: '10.0.0.1', port: 1234, bytes: 100, packets: 5 });
  assert.deepEqual(conn.destination, { ip: '1.1.1.1', port: 443, bytes: 200, packets: 6 });
  assert.deepEqual(conn.network, { transport: 'tcp', protocol: 'ssl', bytes: 300, packets: 11 });
  assert.deepEqual(conn.zeek, { log: 'conn', uid: 'CX', conn_state: 'SF', history: 'ShADadFf', service: 'ssl,http', missed_bytes: 0 });
  assert.equal(conn.raw.uid, 'CX');

  const http = zeekRowToEvent('http', { ts: 1, uid: 'CH', 'id.orig_h': '10.0.0.1', 'id.orig_p': 1, 'id.resp_h': '2.2.2.2', 'id.resp_p': 8080, method: 'GET', host: 'evil.com:8080', uri: '/a/b?x=1', user_agent: 'UA', status_code: 200, response_body_len: 10, resp_mime_types: ['text/html'], version: '1.1' }, origin)!;
  assert.deepEqual(http.url, { original: '/a/b?x=1', path: '/a/b', query: 'x=1', domain: 'evil.com', port: 8080, full: 'http://evil.com:8080/a/b?x=1', scheme: 'http' });
  assert.equal(http.http!.request!.method, 'GET');
  assert.equal(http.http!.response!.status_code, 200);
  assert.equal(http.http!.response!.mime_type, 'text/html');
  assert.equal(http.user_agent!.original, 'UA');

  const ssl = zeekRowToEvent('ssl', { ts: 1, uid: 'CS', version: 'TLSv12', cipher: 'TLS_AES_128_GCM_SHA256', server_name: 'a.b', established: true, ja3: 'j' }, origin)!;
  assert.equal(ssl.tls!.version, '1.2');
  assert.equal(ssl.tls!.version_protocol, 'tls');
  assert.equal(ssl.tls!.client!.server_name, 'a.b');
  assert.equal(ssl.tls!.client!.ja3, 'j');

  const files = zeekRowToEvent('files', { ts: 1, fuid: 'F', md5: 'AA', sha1: 'bb', total_bytes: 5, mime_type: 'application/x-dosexec', filename: 'C:\\x\\y.exe' }, origin)!;
  assert.deepEqual(files.file, { hash: { md5: 'aa', sha1: 'bb' }, size: 5, mime_type: 'application/x-dosexec', name: 'y.exe', path: 'C:\\x\\y.exe' });

  const x = zeekRowToEvent('x509', { ts: 1, 'certificate.subject': 'CN=a\\,b,O=c', 'certificate.not_valid_after': 2 }, origin)!;
  assert.deepEqual(x.tls!.server!.x509!.subject!.common_name, ['a,b']);
  assert.equal(x.tls!.server!.not_after, 2000);
  assert.equal(zeekRowToEvent('conn', { uid: 'no ts' }, origin), undefined);
});

test("Zeek's loaded_scripts log (no times, no activity) is recognised and counted, not reported as rows in error", { skip: needShared('mordor', 'datasets', 'compound', 'apt29', 'day2', 'zeek', 'individual_zeek_logs') }, async () => {
  const path = shared('mordor', 'datasets', 'compound', 'apt29', 'day2', 'zeek', 'individual_zeek_logs', 'NEWYORK_loaded_scripts.log');
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  assert.ok(lines > 100);
  const input = fileInput(path);
  assert.equal(zeekJsonReader.sniff(input), 0.9);
  const r = await readAll(zeekJsonReader, input);
  assert.equal(r.events.length, 0);
  assert.deepEqual(r.errors, []);
  assert.equal(r.facts["loaded_scripts rows (Zeek's own metadata, no activity)"], lines);
  const tsv = '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tloaded_scripts\n#fields\tname\n#types\tstring\n/usr/share/zeek/base/init-bare.zeek\n  /usr/share/zeek/base/bif/const.bif.zeek\n';
  const t = await readAll(zeekTsvReader, bufferInput(Buffer.from(tsv), 'loaded_scripts.log'));
  assert.deepEqual([t.events.length, t.errors.length, t.facts["loaded_scripts rows (Zeek's own metadata, no activity)"]], [0, 0, 2]);
});
