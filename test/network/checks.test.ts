// Each alert id on small hand-written Zeek logs (JSON lines through the Zeek log reader): it
// fires when it must, stays silent when it must not, and TinyCheck's bugs (see
// ../shared/reference/tinycheck.md) are regression cases. Expected answers are worked out by
// hand from the rows written here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, conn, dns, http, ssl, x509, files, idsAlert, OPTS, fired, DEVICE, ind, TEST_IOCS, TEST_WHITELIST } from './helpers.js';
import { IocIndex } from '../../src/detect/ioc/ioc-index.js';

describe('PROTO: protocols and ports', () => {
  test('PROTO-01 fires for UDP and ICMP leaving the network, whatever the case of the protocol name', async () => {
    // TinyCheck compared with "UDP"/"ICMP" while Zeek writes lower case: dead code; QUIC raised nothing.
    const f = await analyse({ 'conn.log': [conn('93.184.216.34', 443, { proto: 'udp' }), conn('93.184.216.35', 0, { proto: 'ICMP' })], 'dns.log': [dns('quic.example.org', ['93.184.216.34'])] }, OPTS);
    assert.deepEqual(fired(f, 'PROTO-01'), ['PROTO-01 93.184.216.35', 'PROTO-01 quic.example.org']);
    assert.equal(f.alerts.find((a) => a.ruleId === 'PROTO-01')!.level, 'medium');
  });
  test('PROTO-01 is silent for TCP and for local destinations (even with the whitelist off)', async () => {
    const f = await analyse({ 'conn.log': [conn('93.184.216.34', 443), conn('10.0.0.1', 53, { proto: 'udp' }), conn('224.0.0.251', 5353, { proto: 'udp' })] }, { ...OPTS, useWhitelist: false });
    assert.deepEqual(fired(f, 'PROTO-01'), []);
  });
  test('PROTO-02 fires at and above max_ports (1024 included, as TinyCheck), not below, not for ICMP', async () => {
    const f = await analyse({ 'conn.log': [conn('93.184.216.1', 1024), conn('93.184.216.2', 8443), conn('93.184.216.3', 1023), conn('93.184.216.4', 3000, { proto: 'icmp' })] }, OPTS);
    assert.deepEqual(fired(f, 'PROTO-02'), ['PROTO-02 93.184.216.1', 'PROTO-02 93.184.216.2']);
    const a = f.alerts.find((x) => x.ruleId === 'PROTO-02')!;
    assert.equal(a.level, 'low');
    assert.equal(a.details!.params && (a.details!.params as Record<string, unknown>).max_ports, 1024);
  });
  test('PROTO-03 on port 80 and PROTO-04 elsewhere; the service is a list, compared in one case', async () => {
    const f = await analyse({ 'conn.log': [conn('93.184.216.10', 80, { service: 'HTTP' }), conn('93.184.216.11', 8080, { service: 'ssl,http' }), conn('93.184.216.12', 443, { service: 'ssl' })] }, OPTS);
    assert.deepEqual(fired(f, 'PROTO-03'), ['PROTO-03 93.184.216.10']);
    assert.deepEqual(fired(f, 'PROTO-04'), ['PROTO-04 93.184.216.11']);
  });
  test('PROTO-05 fires for an address no DNS answer named, wherever the DNS record sits in the input', async () => {
    // The DNS answer comes after the connection in the input: judged at the end, not on the fly.
    const f = await analyse({ 'conn.log': [conn('93.184.216.20', 443), conn('93.184.216.21', 443)], 'dns.log': [dns('named.example.org', ['93.184.216.21'])] }, OPTS);
    assert.deepEqual(fired(f, 'PROTO-05'), ['PROTO-05 93.184.216.20']);
  });
});

describe('IOC: addresses and ranges', () => {
  test('IOC-01 fires on an exact address in any spelling; IOC-02 on v4 and v6 ranges', async () => {
    const f = await analyse({ 'conn.log': [conn('198.51.100.66', 443), conn('2001:DB8:0::66', 443), conn('198.51.100.67', 443), conn('203.0.113.9', 443), conn('2001:db8:bad::1', 443), conn('203.0.114.1', 443)] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-01'), ['IOC-01 198.51.100.66', 'IOC-01 2001:DB8:0::66']);
    assert.deepEqual(fired(f, 'IOC-02'), ['IOC-02 2001:db8:bad::1', 'IOC-02 203.0.113.9']);
    assert.equal(f.alerts.find((a) => a.ruleId === 'IOC-01')!.level, 'high');
    assert.equal(f.alerts.find((a) => a.ruleId === 'IOC-02')!.level, 'medium');
  });
});

describe('IOC: names', () => {
  test('IOC-03 matches on label boundaries only: notevil.com is not evil.com', async () => {
    const f = await analyse({ 'conn.log': [conn('93.184.216.30', 443), conn('93.184.216.31', 443)], 'dns.log': [dns('c2.evil.com', ['93.184.216.30']), dns('notevil.com', ['93.184.216.31'])] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-03'), ['IOC-03 c2.evil.com']);
    const a = f.alerts.find((x) => x.ruleId === 'IOC-03')!;
    assert.equal(a.level, 'high');
    assert.equal(a.title, 'Communication with c2.evil.com, a known stalkerware domain');
    // One alert, counting the connection and the DNS query.
    assert.equal(a.count, 2);
  });
  test('every DNS name of a shared address is checked, not only the first (IOC-03 and IOC-04)', async () => {
    // TinyCheck's resolve() returned the first name only: gps.trackerdomain.com sharing an IP
    // with a.example.com produced no IOC-04.
    const f = await analyse({ 'dns.log': [dns('a.example.com', ['93.184.216.40']), dns('gps.trackerdomain.com', ['93.184.216.40']), dns('cdn.example.net', ['CNAME.Evil.com.', '93.184.216.41'])], 'conn.log': [conn('93.184.216.40', 443), conn('93.184.216.41', 443)] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-04'), ['IOC-04 gps.trackerdomain.com']);
    // A CNAME target in the answer chain is a name of the address too.
    assert.deepEqual(fired(f, 'IOC-03'), ['IOC-03 cname.evil.com']);
    assert.equal(f.alerts.find((a) => a.ruleId === 'IOC-04')!.level, 'medium');
  });
  test('names queried but never connected to are checked (TinyCheck issue #51)', async () => {
    const f = await analyse({ 'dns.log': [dns('dead.evil.com', undefined)] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-03'), ['IOC-03 dead.evil.com']);
    assert.equal(f.alerts[0]!.details!.via, 'dns');
  });
  test('IOC-05: strict subdomains of a free DNS provider only; IOC-06: the last label only', async () => {
    const f = await analyse({ 'dns.log': [dns('me.ddns.net', ['93.184.216.50']), dns('ddns.net', ['93.184.216.51']), dns('fooddns.net', ['93.184.216.52']), dns('shop.xyz', ['93.184.216.53']), dns('xyz.com', ['93.184.216.54'])] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-05'), ['IOC-05 me.ddns.net']);
    assert.deepEqual(fired(f, 'IOC-06'), ['IOC-06 shop.xyz']);
    assert.equal(f.alerts.find((a) => a.ruleId === 'IOC-06')!.level, 'low');
  });
  test('IOC-08/09/10: HTTP Host headers with a port are matched (TinyCheck never matched them)', async () => {
    const f = await analyse({ 'http.log': [http('93.184.216.60', 'X.Evil.com:8080'), http('93.184.216.61', 'foo.ddns.net:8080'), http('93.184.216.62', 'fooddns.net'), http('93.184.216.63', 'a.xyz'), http('93.184.216.64', 'gps.trackerdomain.com')] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-08'), ['IOC-08 x.evil.com']);
    // TinyCheck's IOC-09 had no dot boundary: fooddns.net matched ddns.net.
    assert.deepEqual(fired(f, 'IOC-09'), ['IOC-09 foo.ddns.net']);
    assert.deepEqual(fired(f, 'IOC-10'), ['IOC-10 a.xyz']);
    // TinyCheck skipped tracker indicators in HTTP hosts entirely.
    assert.deepEqual(fired(f, 'IOC-04'), ['IOC-04 gps.trackerdomain.com']);
  });
  test('IOC-08 stays silent when DNS already covered the host (IOC-03 fires instead), and for whitelisted hosts', async () => {
    const f = await analyse({ 'dns.log': [dns('x.evil.com', ['93.184.216.60'])], 'http.log': [http('93.184.216.60', 'x.evil.com'), http('93.184.216.70', 'evil.com.google.com')] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-08'), []);
    assert.deepEqual(fired(f, 'IOC-03'), ['IOC-03 x.evil.com']);
  });
  test('IOC-13: the full URL of a request against URL indicators', async () => {
    const f = await analyse({ 'http.log': [http('93.184.216.80', 'files.example.net', { uri: '/payload.bin' }), http('93.184.216.80', 'files.example.net', { uri: '/other.bin' })] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-13'), ['IOC-13 files.example.net']);
    assert.equal(f.alerts.find((a) => a.ruleId === 'IOC-13')!.count, 1);
  });
});

describe('certificates and TLS', () => {
  test('IOC-07 from the certificate chain names the server, not the device', async () => {
    // TinyCheck took the host from id.orig_h of files.log: "communication to 192.168.100.2".
    const f = await analyse({ 'ssl.log': [ssl('93.184.216.90', 443, { server_name: 'api.example.org', cert_chain_fps: ['fp1'] })], 'x509.log': [x509('fp1', { sha1: 'A'.repeat(40) })] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-07'), ['IOC-07 api.example.org']);
    const g = await analyse({ 'files.log': [files({ 'id.orig_h': DEVICE, 'id.resp_h': '93.184.216.91', 'id.orig_p': 5, 'id.resp_p': 443, is_orig: false, mime_type: 'application/x-x509-user-cert', sha1: 'a'.repeat(40) })] }, OPTS);
    assert.deepEqual(fired(g, 'IOC-07'), ['IOC-07 93.184.216.91']);
    assert.ok(!JSON.stringify(g.alerts[0]!.details).includes(`"subject":"${DEVICE}"`));
  });
  test('SSL-01 compares hosts exactly: a session with .7 does not flag .70', async () => {
    // TinyCheck tested `"198.51.100.7" in "198.51.100.70"` (a substring) and flagged the wrong flows.
    const f = await analyse({ 'conn.log': [conn('198.51.100.7', 8443), conn('198.51.100.70', 443)], 'ssl.log': [ssl('198.51.100.7', 8443), ssl('198.51.100.70', 443)] }, OPTS);
    assert.deepEqual(fired(f, 'SSL-01'), ['SSL-01 198.51.100.7']);
    const d70 = f.destinations.find((d) => d.ip === '198.51.100.70')!;
    assert.ok(!d70.rules.includes('SSL-01'), d70.rules.join());
  });
  test('SSL-02 knows free issuers by DN or organisation (Let\'s Encrypt intermediates beyond R3)', async () => {
    const f = await analyse({ 'ssl.log': [ssl('93.184.216.100', 443, { server_name: 'a.example.org', issuer: "CN=R3,O=Let's Encrypt,C=US" }), ssl('93.184.216.101', 443, { server_name: 'b.example.org', issuer: "CN=E5,O=Let's Encrypt,C=US" }), ssl('93.184.216.102', 443, { server_name: 'c.example.org', issuer: 'CN=DigiCert TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US' })] }, OPTS);
    assert.deepEqual(fired(f, 'SSL-02'), ['SSL-02 a.example.org', 'SSL-02 b.example.org']);
  });
  test('SSL-03 reads both OpenSSL spellings, leaf and chain, and a subject equal to its issuer', async () => {
    // TinyCheck matched only "self signed certificate in certificate chain": never on OpenSSL 3.
    const f = await analyse({
      'ssl.log': [
        ssl('93.184.216.110', 443, { server_name: 'a.example.org', validation_status: 'self-signed certificate' }),
        ssl('93.184.216.111', 443, { server_name: 'b.example.org', validation_status: 'self signed certificate in certificate chain' }),
        ssl('93.184.216.112', 443, { server_name: 'c.example.org', cert_chain_fps: ['fpc'] }),
        ssl('93.184.216.113', 443, { server_name: 'd.example.org', validation_status: 'ok', cert_chain_fps: ['fpd'] }),
      ],
      'x509.log': [x509('fpc', { 'certificate.subject': 'CN=c.example.org,O=X', 'certificate.issuer': 'O=X, CN=c.example.org' }), x509('fpd')],
    }, OPTS);
    assert.deepEqual(fired(f, 'SSL-03'), ['SSL-03 a.example.org', 'SSL-03 b.example.org', 'SSL-03 c.example.org']);
  });
  test('SSL-04 shows the server name, not the indicator; not when DNS covered it; label boundaries', async () => {
    // TinyCheck's SSL-04 title named the IOC (evil.com) instead of the SNI (c2.evil.com).
    const f = await analyse({ 'ssl.log': [ssl('93.184.216.120', 443, { server_name: 'c2.evil.com' }), ssl('93.184.216.121', 443, { server_name: 'notevil.com' }), ssl('93.184.216.122', 443, { server_name: 'seen.evil.com' })], 'dns.log': [dns('seen.evil.com', ['93.184.216.122'])] }, OPTS);
    assert.deepEqual(fired(f, 'SSL-04'), ['SSL-04 c2.evil.com']);
    assert.match(f.alerts.find((a) => a.ruleId === 'SSL-04')!.title, /c2\.evil\.com/);
    assert.deepEqual(fired(f, 'IOC-03'), ['IOC-03 seen.evil.com']);
  });
  test('SSL-05 expired and SSL-06 not yet valid, against the time of the session; SSL-07 for TLS 1.3', async () => {
    // Sessions at 1700000002 (2023-11-14): expired on 1690000000 (2023-07-22); valid from 1710000000 (2024-03-09).
    const f = await analyse({
      'ssl.log': [
        ssl('93.184.216.130', 443, { server_name: 'old.example.org', cert_chain_fps: ['old'] }),
        ssl('93.184.216.131', 443, { server_name: 'new.example.org', cert_chain_fps: ['new'] }),
        ssl('93.184.216.132', 443, { server_name: 'fine.example.org', cert_chain_fps: ['fine'] }),
        ssl('93.184.216.133', 443, { server_name: 'tls13.example.org', version: 'TLSv13' }),
        ssl('93.184.216.134', 443, { server_name: 'tls12.example.org', version: 'TLSv12' }),
      ],
      'x509.log': [x509('old', { 'certificate.not_valid_after': 1690000000 }), x509('new', { 'certificate.not_valid_before': 1710000000 }), x509('fine')],
    }, OPTS);
    assert.deepEqual(fired(f, 'SSL-05'), ['SSL-05 old.example.org']);
    assert.equal((f.alerts.find((a) => a.ruleId === 'SSL-05')!.details!.params as Record<string, unknown>).date, '2023-07-22');
    assert.deepEqual(fired(f, 'SSL-06'), ['SSL-06 new.example.org']);
    assert.deepEqual(fired(f, 'SSL-07'), ['SSL-07 tls13.example.org']);
    assert.equal(f.alerts.find((a) => a.ruleId === 'SSL-07')!.level, 'informational');
  });
  test('IOC-11 JA3 and IOC-12 file hashes', async () => {
    const f = await analyse({ 'ssl.log': [ssl('93.184.216.140', 443, { server_name: 'x.example.org', ja3: 'B'.repeat(32) })], 'files.log': [files({ 'id.orig_h': DEVICE, 'id.resp_h': '93.184.216.141', 'id.orig_p': 5, 'id.resp_p': 80, is_orig: false, mime_type: 'application/vnd.android.package-archive', md5: 'c'.repeat(32) })] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-11'), ['IOC-11 x.example.org']);
    assert.deepEqual(fired(f, 'IOC-12'), ['IOC-12 93.184.216.141']);
  });
});

describe('ADV, SNORT and active checks', () => {
  test('ADV-01 fires at max_alerts different alerts on one destination, not below', async () => {
    // 93.184.216.150: PROTO-02 (port 8443), PROTO-05 (no DNS), SSL-01 (TLS on 8443) = 3 rules.
    // 93.184.216.151: PROTO-05 and SSL-03 only = 2 rules.
    const f = await analyse({ 'conn.log': [conn('93.184.216.150', 8443), conn('93.184.216.151', 443)], 'ssl.log': [ssl('93.184.216.150', 8443), ssl('93.184.216.151', 443, { validation_status: 'self-signed certificate' })] }, OPTS);
    assert.deepEqual(fired(f, 'ADV-01'), ['ADV-01 93.184.216.150']);
    assert.deepEqual(f.alerts.find((a) => a.ruleId === 'ADV-01')!.details!.rules, ['PROTO-02', 'PROTO-05', 'SSL-01']);
  });
  test('SNORT-01: level from the rule severity, whitelisted remote ends left out', async () => {
    const f = await analyse({ 'ids_alert.log': [idsAlert(DEVICE, '93.184.216.160', { signature_id: 2000001, signature: 'ET MALWARE Test', severity: 2 }), idsAlert('93.184.216.161', DEVICE, { signature_id: 2000002, signature: 'ET POLICY inbound', severity: 1 }), idsAlert(DEVICE, '8.8.8.8', { signature_id: 2000003, signature: 'ET DNS noise', severity: 3 })] }, OPTS);
    assert.deepEqual(fired(f, 'SNORT-01'), ['SNORT-01 93.184.216.160', 'SNORT-01 93.184.216.161']);
    assert.deepEqual(f.alerts.filter((a) => a.ruleId === 'SNORT-01').map((a) => a.level).sort(), ['high', 'medium']);
  });
  test('ACT-01/02 are off by default: no lookup is made', async () => {
    let calls = 0;
    const lookups = { nameservers: async () => (calls++, []), registered: async () => (calls++, undefined) };
    const f = await analyse({ 'dns.log': [dns('shop.example.org', ['93.184.216.170'])], 'conn.log': [conn('93.184.216.170', 443)] }, { ...OPTS, active: { enabled: false, lookups } });
    assert.equal(calls, 0);
    assert.equal(f.active, undefined);
  });
  test('ACT-01/02 when enabled: one lookup per registrable domain, suspect name servers and young domains', async () => {
    const asked: string[] = [];
    const now = Date.parse('2024-06-01T00:00:00Z');
    const lookups = {
      nameservers: async (d: string) => (asked.push(`ns ${d}`), d === 'young-example.com' ? ['ns1.njalla.no'] : ['ns1.example-dns.com']),
      registered: async (d: string) => (asked.push(`whois ${d}`), d === 'young-example.com' ? Date.parse('2024-05-02T00:00:00Z') : Date.parse('2001-01-01T00:00:00Z')),
    };
    const f = await analyse({ 'dns.log': [dns('a.young-example.com', ['93.184.216.171']), dns('b.young-example.com', ['93.184.216.172']), dns('old-example.com', ['93.184.216.173'])], 'conn.log': [conn('93.184.216.171', 443), conn('93.184.216.172', 443), conn('93.184.216.173', 443), conn('93.184.216.174', 443)] }, { ...OPTS, now, active: { enabled: true, lookups } });
    assert.deepEqual(asked.sort(), ['ns old-example.com', 'ns young-example.com', 'whois old-example.com', 'whois young-example.com']);
    assert.deepEqual(fired(f, 'ACT-01'), ['ACT-01 young-example.com']);
    assert.deepEqual(fired(f, 'ACT-02'), ['ACT-02 young-example.com']);
    // 2024-06-01 − 2024-05-02 = 30 days.
    assert.equal((f.alerts.find((a) => a.ruleId === 'ACT-02')!.details!.params as Record<string, unknown>).days, 30);
  });
  test('ACT lookups that fail or hang never fail the run: counted, bounded by timeouts', async () => {
    const lookups = { nameservers: () => new Promise<string[]>(() => undefined), registered: async () => Promise.reject(new Error('ECONNREFUSED')) };
    const t0 = Date.now();
    const f = await analyse({ 'dns.log': [dns('x.example.org', ['93.184.216.180'])], 'conn.log': [conn('93.184.216.180', 443)] }, { ...OPTS, active: { enabled: true, lookups, timeoutMs: 50 } });
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(f.active!.failed, 1);
    assert.deepEqual(fired(f, 'ACT-01'), []);
  });
});

describe('whitelist everywhere', () => {
  test('a whitelisted destination raises nothing, whatever the check', async () => {
    // google.com and 8.8.8.8 and 192.168.0.0/16 are whitelisted in these tests. TinyCheck left
    // SSL-04, IOC-07..10 and SNORT-01 outside its whitelist.
    const wl = IocIndex.from([...[ind('domain', 'mail.google.com'), ind('sha1cert', 'd'.repeat(40)), ind('ip4', '8.8.8.8'), ind('tld', '.com')]]);
    const long = [0, 1, 2, 3, 4, 5].map((i) => conn('8.8.8.8', 853, { ts: 1700000000 + i * 600, duration: i === 0 ? 50000 : 1, orig_ip_bytes: 100 }));
    const f = await analyse({
      'dns.log': [dns('mail.google.com', ['142.250.1.1'])],
      'conn.log': [conn('142.250.1.1', 8443, { proto: 'udp' }), ...long, conn('192.168.100.1', 53, { proto: 'udp' })],
      'ssl.log': [ssl('142.250.1.1', 8443, { server_name: 'mail.google.com', validation_status: 'self-signed certificate', cert_chain_fps: ['g'] })],
      'x509.log': [x509('g', { sha1: 'd'.repeat(40), 'certificate.not_valid_after': 1 })],
      'http.log': [http('142.250.1.1', 'mail.google.com:8080')],
      'ids_alert.log': [idsAlert(DEVICE, '8.8.8.8', { signature_id: 1, signature: 'x', severity: 1 })],
    }, { iocs: wl, whitelist: TEST_WHITELIST });
    assert.deepEqual(fired(f), []);
    assert.ok(f.destinations.every((d) => d.status === 'whitelisted'));
  });
  test('a malicious name sharing an address with a whitelisted one keeps the destination checked', async () => {
    const f = await analyse({ 'dns.log': [dns('www.google.com', ['93.184.216.190']), dns('c2.evil.com', ['93.184.216.190'])], 'conn.log': [conn('93.184.216.190', 443)] }, OPTS);
    assert.deepEqual(fired(f, 'IOC-03'), ['IOC-03 c2.evil.com']);
  });
  test('turning checks off: iocChecks false silences IOC rules, heuristics false silences PROTO/SSL', async () => {
    const logs = { 'conn.log': [conn('198.51.100.66', 8443)], 'ssl.log': [ssl('198.51.100.66', 8443)] };
    assert.deepEqual(fired(await analyse(logs, { ...OPTS, iocChecks: false })).filter((r) => r.startsWith('IOC')), []);
    assert.deepEqual(fired(await analyse(logs, { ...OPTS, heuristics: false })), ['IOC-01 198.51.100.66']);
  });
});

describe('beyond TinyCheck: DNS tunnels, DGA, long connections', () => {
  const label = (i: number, len: number) => {
    // Deterministic pseudo-random base32-ish labels.
    let s = '';
    let x = (Math.imul(i + 1, 2654435761) + 12345) >>> 0;
    for (let k = 0; k < len; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      s += 'abcdefghijklmnopqrstuvwxyz234567'[x >>> 27];
    }
    return s;
  };
  test('DNS-01: ten names with long random labels under one domain fire, nine do not', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => dns(`${label(i, 45)}.t.tunnel-example.org`, undefined, { qtype_name: 'TXT' }));
    const f = await analyse({ 'dns.log': ten }, OPTS);
    assert.deepEqual(fired(f, 'DNS-01'), ['DNS-01 tunnel-example.org']);
    const g = await analyse({ 'dns.log': ten.slice(0, 9) }, OPTS);
    assert.deepEqual(fired(g, 'DNS-01'), []);
  });
  test('DNS-02 at 500/800/1000 distinct subdomains (low/medium/high), silent at 499', async () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => dns(`host${i}.many.example.org`, ['93.184.216.200']));
    assert.deepEqual(fired(await analyse({ 'dns.log': names(499) }, OPTS), 'DNS-02'), []);
    const f = await analyse({ 'dns.log': names(500) }, OPTS);
    assert.equal(f.alerts.find((a) => a.ruleId === 'DNS-02')!.level, 'low');
    const h = await analyse({ 'dns.log': names(1000) }, OPTS);
    assert.equal(h.alerts.find((a) => a.ruleId === 'DNS-02')!.level, 'high');
    assert.equal((h.alerts.find((a) => a.ruleId === 'DNS-02')!.details!.params as Record<string, unknown>).count, 1000);
  });
  test('DNS-03 at 50 TXT queries under one domain, not 49; reverse lookups never count', async () => {
    const txt = (n: number) => Array.from({ length: n }, () => dns('cmd.txt-example.org', undefined, { qtype_name: 'TXT' }));
    assert.deepEqual(fired(await analyse({ 'dns.log': txt(50) }, OPTS), 'DNS-03'), ['DNS-03 txt-example.org']);
    assert.deepEqual(fired(await analyse({ 'dns.log': txt(49) }, OPTS), 'DNS-03'), []);
    const ptr = Array.from({ length: 600 }, (_, i) => dns(`${i % 250}.${Math.floor(i / 250)}.168.192.in-addr.arpa`, undefined, { qtype_name: 'PTR' }));
    assert.deepEqual(fired(await analyse({ 'dns.log': ptr }, OPTS), 'DNS-02'), []);
  });
  test('DGA-01 on a resolved generated-looking name; common names stay silent', async () => {
    const f = await analyse({ 'dns.log': [dns('xkqzvbtrwpl.com', ['93.184.216.210']), dns('en.wikipedia.org', ['93.184.216.211']), dns('stackoverflow.com', ['93.184.216.212']), dns('googleusercontent.com', ['93.184.216.213'])] }, OPTS);
    assert.deepEqual(fired(f, 'DGA-01'), ['DGA-01 xkqzvbtrwpl.com']);
  });
  test('DGA-02 when one host asks for five generated-looking names that do not exist; not four; not single labels', async () => {
    const nx = ['qxvzkrtbwpm.com', 'zkq7v9xwtr2b.net', 'bvcxzlkjhgf.org', 'wqrtzpxkvnm.info', 'mnbvzxcqwrt.biz'].map((n) => dns(n, undefined));
    assert.deepEqual(fired(await analyse({ 'dns.log': nx }, OPTS), 'DGA-02'), [`DGA-02 `]);
    assert.equal((await analyse({ 'dns.log': nx }, OPTS)).alerts.find((a) => a.ruleId === 'DGA-02')!.host, DEVICE);
    assert.deepEqual(fired(await analyse({ 'dns.log': nx.slice(0, 4) }, OPTS), 'DGA-02'), []);
    // Chrome's intranet-redirect probes: random single labels, NXDOMAIN.
    const chrome = ['qwxkzjdbrl', 'vbnzxkqwtr', 'plkjhzxcvb', 'trwqzxcvbn', 'mnbvcxzqwe'].map((n) => dns(n, undefined));
    assert.deepEqual(fired(await analyse({ 'dns.log': chrome }, OPTS), 'DGA-02'), []);
  });
  test('CONN-01 by duration: 5 h low, 13 h high, 30 min nothing', async () => {
    const f = await analyse({ 'dns.log': [dns('vpn.example.org', ['93.184.216.220', '93.184.216.221', '93.184.216.222'])], 'conn.log': [conn('93.184.216.220', 443, { duration: 5 * 3600 }), conn('93.184.216.221', 443, { duration: 13 * 3600 }), conn('93.184.216.222', 443, { duration: 1800 })] }, OPTS);
    assert.deepEqual(f.alerts.filter((a) => a.ruleId === 'CONN-01').map((a) => `${a.level} ${(a.details as Record<string, unknown>).ip}`).sort(), ['high 93.184.216.221', 'low 93.184.216.220']);
  });
});

describe('robustness', () => {
  test('rows missing what a check needs are counted, not fatal; hostile strings are kept as text', async () => {
    const f = await analyse({ 'conn.log': [JSON.stringify({ _path: 'conn', ts: 1700000000, uid: 'x', proto: 'tcp', conn_state: 'SF' })], 'dns.log': [dns('<script>alert(1)</script>.evil.com', ['93.184.216.230'])] }, OPTS);
    assert.equal(f.skipped['conn without id.resp_h/id.resp_p'], 1);
    // Not a valid DNS name, but looked at as the text it is; matching is on labels.
    assert.deepEqual(fired(f, 'IOC-03'), ['IOC-03 <script>alert(1)</script>.evil.com']);
  });
  test('the same input gives the same alerts, ids and order in every run', async () => {
    const logs = { 'conn.log': [conn('198.51.100.66', 8443), conn('93.184.216.240', 80, { service: 'http' })], 'dns.log': [dns('c2.evil.com', ['93.184.216.240'])] };
    const a = await analyse(logs, OPTS);
    const b = await analyse(logs, OPTS);
    assert.deepEqual(a.alerts.map((x) => x.id), b.alerts.map((x) => x.id));
    assert.deepEqual(a.alerts.map((x) => x.level), [...a.alerts.map((x) => x.level)].sort((p, q) => ['informational', 'low', 'medium', 'high', 'critical'].indexOf(q) - ['informational', 'low', 'medium', 'high', 'critical'].indexOf(p)));
  });
  test('TEST_IOCS is what the helper says (guards the fixtures themselves)', () => {
    assert.equal(TEST_IOCS.size, 13);
    assert.ok(TEST_WHITELIST.hasIp('192.168.100.1'));
  });
});

describe('hostile and malformed rows (short fuzz)', () => {
  test('rows with fields of the wrong type or absurd size never throw', async () => {
    const { NetworkDetector } = await import('../../src/detect/network/index.js');
    let seed = 99;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const values: unknown[] = [undefined, null, 0, -1, 1e308, NaN, '', '-', 'x'.repeat(100000), [], ['a', 5, null], {}, true, '1.2.3.4', '::1', 'evil.com', 'TLSv13', 'NXDOMAIN', 443];
    const pick = () => values[Math.floor(rnd() * values.length)];
    const fields = ['ts', 'id.orig_h', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'orig_ip_bytes', 'query', 'answers', 'qtype_name', 'rcode_name', 'host', 'uri', 'server_name', 'version', 'validation_status', 'cert_chain_fps', 'issuer', 'subject', 'ja3', 'fingerprint', 'certificate.not_valid_after', 'sha1', 'md5', 'mime_type', 'is_orig', 'tx_hosts', 'signature_id', 'signature', 'severity'];
    const det = new NetworkDetector(OPTS);
    for (let i = 0; i < 3000; i++) {
      const raw: Record<string, unknown> = {};
      for (const f of fields) if (rnd() < 0.6) raw[f] = pick();
      const log = ['conn', 'dns', 'http', 'ssl', 'x509', 'files', 'ids_alert', 'weird'][i % 8]!;
      const ev = { '@timestamp': 1700000000000 + i, event: { kind: 'event', category: ['network'], type: ['info'], action: 'other' }, zeek: { log }, raw, origin: { file: 'fuzz', format: 'test', record: i } } as const;
      det.onEvent(ev as unknown as Parameters<typeof det.onEvent>[0], { eventId: `f${i}`, emit: () => undefined });
    }
    const f = await det.analyse();
    assert.ok(Array.isArray(f.alerts));
    for (const a of f.alerts) assert.ok(a.title.length < 5000, a.ruleId);
  });
});
