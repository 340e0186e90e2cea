import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suricataEveReader } from '../../src/sources/suricata/reader.js';
import { eveTime } from '../../src/sources/suricata/eve.js';
import { zeekJsonReader } from '../../src/sources/zeek/reader.js';
import { bufferInput, readAll } from './input.js';

// Hand-written EVE events in the shape Suricata 6/7 writes them.
const EVE = [
  { timestamp: '2020-05-01T07:03:39.797806+0000', flow_id: 1111, event_type: 'flow', src_ip: '10.0.1.5', src_port: 55979, dest_ip: '10.0.0.4', dest_port: 53, proto: 'UDP', app_proto: 'dns', flow: { pkts_toserver: 1, pkts_toclient: 1, bytes_toserver: 83, bytes_toclient: 249, start: '2020-05-01T07:03:39.797806+0000', end: '2020-05-01T07:03:39.861976+0000', state: 'established' } },
  { timestamp: '2020-05-01T07:03:39.797806+0000', flow_id: 1111, event_type: 'dns', src_ip: '10.0.1.5', src_port: 55979, dest_ip: '10.0.0.4', dest_port: 53, proto: 'UDP', dns: { type: 'answer', id: 40230, flags: '8180', qr: true, rd: true, ra: true, rrname: 'CTLDL.windowsupdate.com', rrtype: 'A', rcode: 'NOERROR', answers: [{ rrname: 'ctldl.windowsupdate.com', rrtype: 'CNAME', ttl: 2725, rdata: 'audownload.windowsupdate.nsatc.net' }, { rrname: 'a767.dscg3.akamai.net', rrtype: 'A', ttl: 19, rdata: '23.62.7.160' }] } },
  { timestamp: '2021-03-04T10:00:00.5Z', flow_id: 2222, event_type: 'http', src_ip: '192.168.1.10', src_port: 50000, dest_ip: '93.184.216.34', dest_port: 8080, proto: 'TCP', tx_id: 0, http: { hostname: 'example.com', http_port: 8080, url: '/a?b=1', http_user_agent: 'curl/7.68.0', http_content_type: 'text/html; charset=UTF-8', http_method: 'GET', protocol: 'HTTP/1.1', status: 200, length: 1256 } },
  { timestamp: '2021-03-04T10:00:01.000000+0100', flow_id: 3333, event_type: 'tls', src_ip: '192.168.1.10', src_port: 50001, dest_ip: '1.2.3.4', dest_port: 443, proto: 'TCP', tls: { subject: 'CN=evil.example', issuerdn: 'CN=evil.example', serial: '01:02:AB', fingerprint: 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD', sni: 'evil.example', version: 'TLS 1.2', notbefore: '2021-01-01T00:00:00', notafter: '2022-01-01T00:00:00', ja3: { hash: 'e7d705a3286e19ea42f587b344ee6865' }, ja3s: { hash: '5d79edf64e03689ff559a54e9d9487bc' } } },
  { timestamp: '2021-03-04T10:00:02.000000+0000', flow_id: 2222, event_type: 'fileinfo', src_ip: '93.184.216.34', src_port: 8080, dest_ip: '192.168.1.10', dest_port: 50000, proto: 'TCP', app_proto: 'http', fileinfo: { filename: '/a', state: 'CLOSED', md5: 'D41D8CD98F00B204E9800998ECF8427E', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', stored: false, size: 0, tx_id: 0 } },
  { timestamp: '2021-03-04T10:00:03.000000+0000', flow_id: 2222, event_type: 'alert', src_ip: '192.168.1.10', src_port: 50000, dest_ip: '93.184.216.34', dest_port: 8080, proto: 'TCP', alert: { action: 'allowed', gid: 1, signature_id: 2100498, rev: 7, signature: 'GPL ATTACK_RESPONSE id check returned root', category: 'Potentially Bad Traffic', severity: 2 } },
  { timestamp: '2021-03-04T10:00:04.000000+0000', event_type: 'anomaly', src_ip: '10.0.0.1', src_port: 1, dest_ip: '10.0.0.2', dest_port: 2, proto: 'TCP', anomaly: { type: 'stream', event: 'stream.pkt_invalid_timestamp' } },
  { timestamp: '2021-03-04T10:00:05.000000+0000', event_type: 'stats', stats: { uptime: 5 } },
];

test('EVE time stamps keep microseconds and honour the zone', () => {
  assert.equal(eveTime('2020-05-01T07:03:39.797806+0000'), 1588316619.797806); // 2020-05-01T07:03:39Z = 1588316619
  assert.equal(eveTime('2021-03-04T10:00:01.000000+0100'), 1614848401); // 09:00:01Z
  assert.equal(eveTime('nonsense'), undefined);
});

test('Suricata EVE: flow, dns, http, tls, fileinfo, alert, anomaly into Zeek-shaped events', async () => {
  const text = EVE.map((e) => JSON.stringify(e)).join('\n') + '\n{broken\n';
  const input = bufferInput(Buffer.from(text), 'eve.json');
  assert.equal(suricataEveReader.sniff(input), 0.95);
  assert.equal(zeekJsonReader.sniff(input), 0);
  const r = await readAll(suricataEveReader, input);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.where.line, 9);
  assert.equal(r.facts['suricata stats events'], 1);
  const by = (ds: string) => r.events.filter((e) => e.event.dataset === ds);
  const flow = by('suricata.flow')[0]!;
  assert.equal(flow.zeek!.conn_state, 'SF');
  assert.equal(flow.network!.protocol, 'dns');
  assert.equal(flow.event.duration, 64170000); // 39.861976 - 39.797806 = 0.06417 s
  assert.equal(flow.raw.orig_ip_bytes, 83);
  assert.equal(flow.raw.orig_bytes, undefined);
  const dns = by('suricata.dns')[0]!;
  assert.equal(dns.dns!.question!.name, 'ctldl.windowsupdate.com');
  assert.deepEqual(dns.dns!.resolved_ip, ['23.62.7.160']);
  assert.equal(dns.zeek!.uid, 'S1111');
  assert.equal(flow.zeek!.uid, 'S1111');
  const http = by('suricata.http')[0]!;
  assert.equal(http.url!.full, 'http://example.com:8080/a?b=1');
  assert.equal(http.url!.domain, 'example.com');
  assert.equal(http.http!.response!.mime_type, 'text/html');
  assert.equal(http['@timestamp'], 1614852000500);
  const tls = by('suricata.tls')[0]!;
  assert.equal(tls.tls!.version, '1.2');
  assert.equal(tls.tls!.client!.server_name, 'evil.example');
  assert.equal(tls.tls!.client!.ja3, 'e7d705a3286e19ea42f587b344ee6865');
  const x = by('suricata.tls.x509')[0]!;
  assert.equal(x.tls!.server!.hash!.sha1, 'aabbccddeeff00112233445566778899aabbccdd');
  const file = by('suricata.fileinfo')[0]!;
  assert.equal(file.file!.hash!.md5, 'd41d8cd98f00b204e9800998ecf8427e');
  const alert = by('suricata.alert')[0]!;
  assert.equal(alert.event.kind, 'alert');
  assert.equal(alert.rule!.id, '2100498');
  assert.equal(alert.rule!.category, 'Potentially Bad Traffic');
  assert.equal(by('suricata.anomaly')[0]!.message, 'stream.pkt_invalid_timestamp');
});
