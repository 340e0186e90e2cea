import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { captureRecords, pcapReader, pcapngReader } from '../../src/sources/pcap/reader.js';
import type { NetworkRecord } from '../../src/normalize/zeek-rows.js';
import { bufferInput, readAll } from '../zeek/input.js';
import { dnsMessage, eth, F, httpSession, pcap, pcapng, tcp, udp, type Frame } from './build.js';

async function records(buf: Buffer, validateChecksums = false) {
  const errors: Array<{ offset?: number; reason: string }> = [];
  const facts: Record<string, unknown> = {};
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for await (const recs of captureRecords(Readable.from([buf]), { error: (w, reason) => errors.push({ offset: w.offset, reason }), fact: (k, v) => { facts[k] = v; } }, { validateChecksums })) {
    for (const r of recs as NetworkRecord[]) (out[r.log] ??= []).push(r.row as Record<string, unknown>);
  }
  return { out, errors, facts };
}

const BODY = '<html><body>hello</body></html>';
const REQ_LEN = 'GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test-agent\r\n\r\n'.length; // 73
const REP_LEN = `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\nContent-Type: text/html\r\n\r\n`.length + BODY.length;

test('an HTTP session in a µs little-endian pcap: conn, http and files rows as Zeek writes them', async () => {
  const { out, errors } = await records(pcap(httpSession(1600000000, BODY)), true);
  assert.deepEqual(errors, []);
  const c = out.conn![0]!;
  assert.equal(c['id.orig_h'], '10.0.0.1');
  assert.equal(c['id.resp_p'], 80);
  assert.equal(c.proto, 'tcp');
  assert.equal(c.service, 'http');
  assert.equal(c.conn_state, 'SF');
  // S (SYN) h (SYN-ACK) A (pure ACK) D (request) d (reply) F f (FINs); no pure ACK from the server.
  assert.equal(c.history, 'ShADdFf');
  assert.equal(c.orig_bytes, REQ_LEN);
  assert.equal(c.resp_bytes, REP_LEN);
  assert.equal(c.orig_pkts, 5);
  assert.equal(c.resp_pkts, 3);
  assert.equal(c.orig_ip_bytes, 5 * 40 + REQ_LEN); // 20 IP + 20 TCP per packet
  assert.equal(c.resp_ip_bytes, 3 * 40 + REP_LEN);
  assert.equal(c.duration, 0.07); // 8 frames 10 ms apart
  const h = out.http![0]!;
  assert.equal(h.method, 'GET');
  assert.equal(h.host, 'example.com');
  assert.equal(h.uri, '/index.html?q=1');
  assert.equal(h.user_agent, 'test-agent');
  assert.equal(h.status_code, 200);
  assert.equal(h.response_body_len, BODY.length);
  assert.deepEqual(h.resp_mime_types, ['text/html']);
  const f = out.files![0]!;
  assert.equal(f.seen_bytes, BODY.length);
  assert.equal(f.md5, createHash('md5').update(BODY).digest('hex'));
  assert.equal(f.sha256, createHash('sha256').update(BODY).digest('hex'));
  assert.deepEqual((h.resp_fuids as string[])[0], f.fuid);
});

test('the same session as a nanosecond big-endian pcap gives the same rows', async () => {
  const a = await records(pcap(httpSession(1600000000.123456, BODY)));
  const b = await records(pcap(httpSession(1600000000.123456, BODY), { nano: true, bigEndian: true }));
  assert.deepEqual(b.errors, []);
  assert.equal(a.out.conn![0]!.ts, b.out.conn![0]!.ts);
  assert.deepEqual({ ...b.out.conn![0], uid: 0 }, { ...a.out.conn![0], uid: 0 });
});

test('pcapng with two interfaces, each its own link type and time resolution', async () => {
  const q = udp('192.168.1.2', 5353 + 1, '8.8.8.8', 53, dnsMessage(0x1234, 'Example.COM'));
  const r = udp('8.8.8.8', 53, '192.168.1.2', 5354, dnsMessage(0x1234, 'Example.COM', { ip: '93.184.216.34', ttl: 300 }));
  const frames: Frame[] = [
    ...httpSession(1600000000, BODY).map((f) => ({ ...f, iface: 0 })),
    { ts: 1600000001.5, data: q, iface: 1 },
    { ts: 1600000001.525, data: r, iface: 1 },
  ];
  const { out, errors } = await records(pcapng(frames, [{ linktype: 1 }, { linktype: 101, tsresol: 9 }]));
  assert.deepEqual(errors, []);
  const d = out.dns![0]!;
  assert.equal(d.query, 'example.com'); // Zeek lower-cases queries
  assert.equal(d.qtype_name, 'A');
  assert.equal(d.rcode_name, 'NOERROR');
  assert.deepEqual(d.answers, ['93.184.216.34']);
  assert.deepEqual(d.TTLs, [300]);
  assert.equal(d.rtt, 0.025); // 1.525 - 1.5
  assert.equal(d.ts, 1600000001.5);
  const dnsConn = out.conn!.find((c) => c.proto === 'udp')!;
  assert.equal(dnsConn.conn_state, 'SF');
  assert.equal(dnsConn.history, 'Dd');
  assert.equal(dnsConn.service, 'dns');
});

test('a SYN answered by RST is REJ; a lone SYN is S0', async () => {
  const frames: Frame[] = [
    { ts: 10, data: eth(tcp('10.0.0.1', 1234, '10.0.0.2', 22, 100, 0, F.SYN)) },
    { ts: 10.001, data: eth(tcp('10.0.0.2', 22, '10.0.0.1', 1234, 0, 101, F.RST | F.ACK)) },
    { ts: 11, data: eth(tcp('10.0.0.1', 1235, '10.0.0.3', 443, 100, 0, F.SYN)) },
  ];
  const { out } = await records(pcap(frames));
  const by = Object.fromEntries(out.conn!.map((c) => [c['id.resp_p'], c]));
  assert.equal(by[22]!.conn_state, 'REJ');
  assert.equal(by[22]!.history, 'Sr');
  assert.equal(by[443]!.conn_state, 'S0');
  assert.equal(by[443]!.history, 'S');
  assert.equal(by[443]!.duration, undefined); // one packet: no duration, no bytes (Zeek)
});

test('damaged records are reported with their offset and reading goes on', async () => {
  const good = pcap(httpSession(1600000000, BODY));
  // Corrupt the 4th record's length field (offset of record 4 = 24 + sum of the first three).
  const frames = httpSession(1600000000, BODY);
  let off = 24;
  for (let i = 0; i < 3; i++) off += 16 + frames[i]!.data.length;
  const bad = Buffer.from(good);
  bad.writeUInt32LE(0x7fffffff, off + 8);
  const { out, errors } = await records(bad);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.offset, off);
  assert.match(errors[0]!.reason, /record length/);
  // The reader resynchronised on the next record: the FIN packets still close the connection.
  assert.equal(out.conn!.length, 1);
  assert.equal(out.conn![0]!.orig_pkts, 4);
  // A truncated file: the last record is cut.
  const cut = await records(good.subarray(0, good.length - 10));
  assert.equal(cut.errors.length, 1);
  assert.match(cut.errors[0]!.reason, /truncated/);
  assert.equal(cut.out.conn!.length, 1);
});

test('readers sniff content and yield events, never payloads', async () => {
  const buf = pcap(httpSession(1600000000, BODY));
  const input = bufferInput(buf, 'x.bin');
  assert.equal(pcapReader.sniff(input), 1);
  assert.equal(pcapngReader.sniff(input), 0);
  assert.equal(pcapngReader.sniff(bufferInput(pcapng([], [{ linktype: 1 }]))), 1);
  const r = await readAll(pcapReader, input);
  assert.deepEqual(r.errors, []);
  const sets = r.events.map((e) => e.event.dataset).sort();
  assert.deepEqual(sets, ['zeek.conn', 'zeek.files', 'zeek.http']);
  assert.equal(r.facts.packets, 8);
  assert.ok(!JSON.stringify(r.events).includes('hello'), 'no payload in events');
  const http = r.events.find((e) => e.event.dataset === 'zeek.http')!;
  assert.equal(http.url!.full, 'http://example.com/index.html?q=1');
  assert.equal(http['@timestamp'], 1600000000030); // the request was the 4th frame, 30 ms in
});

test('memory holds live connections only: UDP flows time out after a minute of capture time', async () => {
  // 20,000 one-packet UDP flows, one every 30 ms (10 minutes): about 60 s / 30 ms = 2,000 are
  // live at once, plus up to 10 s between sweeps (333 more).
  const frames: Frame[] = [];
  for (let i = 0; i < 20000; i++) {
    frames.push({ ts: 1000 + i * 0.03, data: eth(udp(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1000 + (i % 50000), '10.255.0.1', 9999, Buffer.from('x'))) });
  }
  const { out, facts } = await records(pcap(frames));
  assert.equal(out.conn!.length, 20000);
  const peak = facts['peak live connections'] as number;
  assert.ok(peak <= 2400 && peak >= 2000, `peak live connections ${peak}`);
});

test('link layers: SLL, SLL2, null, loop, raw, PPP, MPLS, QinQ and PPPoE frames all reach the flow table', async () => {
  const ip = udp('10.1.1.1', 40000, '10.2.2.2', 53, dnsMessage(1, 'x.example'));
  const be16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
  const macs = Buffer.alloc(12, 0x11);
  const cases: Array<{ name: string; linktype: number; frame: Buffer }> = [
    { name: 'SLL', linktype: 113, frame: Buffer.concat([Buffer.alloc(14), be16(0x0800), ip]) },
    { name: 'SLL2', linktype: 276, frame: Buffer.concat([be16(0x0800), Buffer.alloc(18), ip]) },
    { name: 'null (little-endian AF_INET)', linktype: 0, frame: Buffer.concat([Buffer.from([2, 0, 0, 0]), ip]) },
    { name: 'loop (network order)', linktype: 108, frame: Buffer.concat([Buffer.from([0, 0, 0, 2]), ip]) },
    { name: 'raw', linktype: 101, frame: ip },
    { name: 'PPP', linktype: 9, frame: Buffer.concat([Buffer.from([0xff, 0x03, 0x00, 0x21]), ip]) },
    // MPLS: two labels, the second with bottom-of-stack.
    { name: 'MPLS', linktype: 1, frame: Buffer.concat([macs, be16(0x8847), Buffer.from([0, 0x01, 0x00, 0x40, 0, 0x02, 0x01, 0x40]), ip]) },
    { name: 'QinQ', linktype: 1, frame: Buffer.concat([macs, be16(0x88a8), be16(100), be16(0x8100), be16(200), be16(0x0800), ip]) },
    // PPPoE session: version/type, code, session id, length, then PPP protocol 0x0021.
    { name: 'PPPoE', linktype: 1, frame: Buffer.concat([macs, be16(0x8864), Buffer.from([0x11, 0x00, 0x00, 0x01]), be16(ip.length + 2), be16(0x0021), ip]) },
  ];
  for (const c of cases) {
    const { out, errors } = await records(pcap([{ ts: 5, data: c.frame }], { linktype: c.linktype }));
    assert.deepEqual(errors, [], c.name);
    const conn = out.conn?.[0];
    assert.ok(conn, `${c.name}: no connection`);
    assert.equal(conn['id.orig_h'], '10.1.1.1', c.name);
    assert.equal(conn['id.resp_p'], 53, c.name);
    assert.equal(out.dns?.[0]?.query, 'x.example', c.name);
    if (c.name === 'QinQ') {
      assert.equal(conn.vlan, 100);
      assert.equal(conn.inner_vlan, 200);
    }
  }
});
