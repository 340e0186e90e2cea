import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateIndicator, detectType } from '../../src/detect/ioc/validate.js';
import { canonicalIp, parseCidr, isLocalAddress } from '../../src/detect/ioc/ip.js';
import { importIocText } from '../../src/detect/ioc/importers/index.js';
import { patternComparisons } from '../../src/detect/ioc/importers/stix.js';
import { hostWithoutPort, refang } from '../../src/detect/ioc/domain.js';

test('IP addresses have one canonical spelling (RFC 5952 for IPv6; mapped IPv4 becomes IPv4)', () => {
  assert.equal(canonicalIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1'); // leftmost of two equal runs
  assert.equal(canonicalIp('2001:0db8:0000:0000:0000:ff00:0042:8329'), '2001:db8::ff00:42:8329');
  assert.equal(canonicalIp('::ffff:198.51.100.7'), '198.51.100.7');
  assert.equal(canonicalIp('fe80::1%eth0'), 'fe80::1');
  assert.equal(canonicalIp('::'), '::');
  assert.equal(canonicalIp('1:2:3:4:5:6:7:8'), '1:2:3:4:5:6:7:8');
  assert.equal(canonicalIp('2001:db8::0:1'), '2001:db8::1');
  for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', 'gggg::1', ':1:2', '1.2.3.4.5', '']) {
    assert.equal(canonicalIp(bad), undefined, bad);
  }
  assert.ok(isLocalAddress('192.168.1.2') && isLocalAddress('fe80::1') && isLocalAddress('224.0.0.251') && isLocalAddress('fd00::5'));
  assert.ok(!isLocalAddress('8.8.8.8') && !isLocalAddress('2001:4860::8888') && !isLocalAddress('172.32.0.1'));
});

test('CIDRs: canonical network, host bits noticed, IPv6 ranges', () => {
  assert.deepEqual(parseCidr('10.1.2.3/8')?.text, '10.0.0.0/8');
  assert.equal(parseCidr('10.1.2.3/8')?.hostBitsSet, true);
  assert.equal(parseCidr('2001:db8::/32')?.text, '2001:db8::/32');
  assert.equal(parseCidr('1.2.3.4/33'), undefined);
  const v = validateIndicator('cidr', '199.36.154.0/2'); // TinyCheck whitelist's to_delete value
  assert.deepEqual(v, { ok: true, value: '192.0.0.0/2', warning: 'host bits set; taken as 192.0.0.0/2' });
});

test('a value that fails its declared type is refused, never filed as another type', () => {
  assert.deepEqual(validateIndicator('domain', '178.63.71.15'), { ok: false, reason: 'an IP address, not a domain name' });
  assert.equal(validateIndicator('domain', 'https://github.com/x/y').ok, false);
  assert.equal(validateIndicator('ip4', '2001:db8::1').ok, false);
  assert.equal(validateIndicator('ip6', '1.2.3.4').ok, false);
  assert.equal(validateIndicator('sha1cert', 'abc').ok, false);
  assert.equal(validateIndicator('snort', 'alert tcp any any -> any any (msg:"x";)').ok, false, 'a rule needs a sid');
  assert.equal(validateIndicator('tld', 'x').ok, false);
  assert.equal(validateIndicator('domain', 'localhost').ok, false, 'one label');
  assert.equal(validateIndicator('domain', `${'a'.repeat(64)}.com`).ok, false, 'label over 63');
});

test('values are normalised: refanged, lower-cased, punycode, fingerprints without colons', () => {
  assert.deepEqual(validateIndicator('domain', 'Evil[.]Example[.]COM.'), { ok: true, value: 'evil.example.com' });
  assert.deepEqual(validateIndicator('domain', '*.evil.com'), { ok: true, value: 'evil.com', warning: 'leading wildcard removed (suffix matching covers subdomains)' });
  assert.deepEqual(validateIndicator('domain', 'bücher.example'), { ok: true, value: 'xn--bcher-kva.example' });
  assert.deepEqual(validateIndicator('url', 'hxxps://evil[.]com/a?b#frag'), { ok: true, value: 'https://evil.com/a?b' });
  assert.deepEqual(validateIndicator('sha1cert', 'BE:58:0F:8C:FA:AF:14:B5:04:66:9F:91:97:EF:C1:C8:47:41:B7:4E'), { ok: true, value: 'be580f8cfaaf14b504669f9197efc1c84741b74e' });
  assert.deepEqual(validateIndicator('tld', 'XYZ'), { ok: true, value: '.xyz' });
  assert.deepEqual(validateIndicator('ip6', '2001:DB8::0001'), { ok: true, value: '2001:db8::1' });
  assert.equal(refang('a[.]b[.]c(dot)d'), 'a.b.c.d', 'every occurrence, not the first only');
  assert.equal(hostWithoutPort('X.Evil.com:8080'), 'x.evil.com');
  assert.equal(hostWithoutPort('[2001:db8::1]:443'), '2001:db8::1');
  assert.equal(detectType('10.0.0.0/8'), 'cidr');
  assert.equal(detectType('d41d8cd98f00b204e9800998ecf8427e'), 'md5');
  assert.equal(detectType('evil.com'), 'domain');
  assert.equal(detectType('not a thing'), undefined);
});

test('plain lists: comments, auto-detected types, bad lines reported with their number', () => {
  const text = ['# feed', 'evil.com', '198.51.100.7  # C2', '', 'not an indicator', '2001:db8::/48', 'hxxp://bad[.]org/x'].join('\n');
  const r = importIocText(text, { name: 'list.txt' });
  assert.equal(r.format, 'list');
  assert.deepEqual(r.indicators.map((i) => [i.type, i.value]), [
    ['domain', 'evil.com'],
    ['ip4', '198.51.100.7'],
    ['cidr', '2001:db8::/48'],
    ['url', 'http://bad.org/x'],
  ]);
  assert.deepEqual(r.issues.map((i) => [i.severity, i.line]), [['error', 5]]);
  const typed = importIocText('evil.com\n1.2.3.4\n', { type: 'domain' });
  assert.deepEqual(typed.issues.map((i) => [i.line, i.reason]), [[2, 'domain: an IP address, not a domain name']]);
});

test('hosts files: names kept, sinkhole addresses and localhost left out', () => {
  const text = '127.0.0.1 localhost\n0.0.0.0 evil.com www.evil.com # x\n0.0.0.0 spy.example\n::1 ip6-localhost\n';
  const r = importIocText(text, { name: 'blocklist' });
  assert.equal(r.format, 'hosts');
  assert.deepEqual(r.indicators.map((i) => i.value), ['evil.com', 'www.evil.com', 'spy.example']);
  assert.deepEqual(r.skipped, { 'reserved host name': 2 });
});

test('CSV: columns by name, types mapped, damaged rows reported by line and the rest read', () => {
  const text = 'Type,Value,Tag,TLP,comment\nip-dst,198.51.100.7,apt,amber,c2\ndomain,evil.com,,,\nhostname,"unterminated,x\n';
  const r = importIocText(text, { name: 'x.csv' });
  assert.equal(r.format, 'csv');
  assert.deepEqual(r.indicators.map((i) => [i.type, i.value, i.tag, i.tlp]), [
    ['ip4', '198.51.100.7', 'apt', 'amber'],
    ['domain', 'evil.com', 'suspect', 'white'],
  ]);
  assert.equal(r.issues.filter((i) => i.severity === 'error').length, 1);
  const noValue = importIocText('a,b\n1,2\n', { format: 'csv' });
  assert.match(noValue.issues[0]!.reason, /no value column/);
});

test('MISP: event and object attributes, composite types, tags and TLP, the rest counted as skipped', () => {
  const ev = {
    Event: {
      Tag: [{ name: 'tlp:amber' }, { name: 'misp-galaxy:threat-actor="APT29"' }],
      Attribute: [
        { type: 'ip-dst', value: '198.51.100.7' },
        { type: 'domain|ip', value: 'evil.com|203.0.113.9' },
        { type: 'ip-dst|port', value: '2001:db8::1|443' },
        { type: 'x509-fingerprint-sha1', value: 'BE580F8CFAAF14B504669F9197EFC1C84741B74E' },
        { type: 'ja3-fingerprint-md5', value: 'e0fe397a5edfba9a6facc7c7b341f4eb' },
        { type: 'snort', value: 'alert tcp any any -> any any (msg:"x"; sid:1; rev:1;)' },
        { type: 'comment', value: 'hello' },
        { type: 'domain', value: '10.0.0.1' },
      ],
      Object: [{ name: 'android-app', Attribute: [{ type: 'text', object_relation: 'name', value: 'SpyApp' }, { type: 'sha1', object_relation: 'certificate', value: 'a'.repeat(40) }, { type: 'sha256', value: 'b'.repeat(64) }] }],
    },
  };
  const r = importIocText(JSON.stringify(ev));
  assert.equal(r.format, 'misp');
  assert.deepEqual(r.indicators.map((i) => `${i.type}:${i.value}`), [
    'ip4:198.51.100.7',
    'domain:evil.com',
    'ip4:203.0.113.9',
    'ip6:2001:db8::1',
    'sha1cert:be580f8cfaaf14b504669f9197efc1c84741b74e',
    'ja3:e0fe397a5edfba9a6facc7c7b341f4eb',
    'snort:alert tcp any any -> any any (msg:"x"; sid:1; rev:1;)',
    `sha256:${'b'.repeat(64)}`,
  ]);
  assert.ok(r.indicators.every((i) => i.tlp === 'amber' && i.tag === 'apt29'));
  assert.equal(r.indicators.at(-1)!.comment, 'SpyApp');
  assert.deepEqual(r.skipped, { comment: 1, text: 1, 'sha1 (app signing certificate)': 1 });
  assert.deepEqual(r.issues.map((i) => [i.severity, i.path]), [['error', 'events[0].Attribute[7]']]);
});

test('STIX 2.1: pattern comparisons to indicators, TLP from markings, other objects skipped', () => {
  assert.deepEqual(patternComparisons("[ipv4-addr:value = '198.51.100.7' OR domain-name:value IN ('a.com', 'b\\'c.com')]").map((c) => [c.objectType, c.op, c.values]), [
    ['ipv4-addr', '=', ['198.51.100.7']],
    ['domain-name', 'IN', ['a.com', "b'c.com"]],
  ]);
  const bundle = {
    type: 'bundle',
    id: 'bundle--1',
    objects: [
      { type: 'identity', id: 'identity--1', name: 'x' },
      { type: 'indicator', id: 'indicator--1', pattern_type: 'stix', pattern: "[domain-name:value = 'evil.com']", valid_from: '2024-01-02T00:00:00Z', indicator_types: ['malicious-activity'], object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'] },
      { type: 'indicator', id: 'indicator--2', pattern_type: 'stix', pattern: "[file:hashes.'SHA-256' = '" + 'c'.repeat(64) + "'] AND [file:hashes.MD5 = '" + 'd'.repeat(32) + "']" },
      { type: 'indicator', id: 'indicator--3', pattern_type: 'stix', pattern: "[ipv6-addr:value ISSUBSET '2001:db8::/32']" },
      { type: 'indicator', id: 'indicator--4', pattern_type: 'stix', pattern: "[x509-certificate:hashes.'SHA-1' = '" + 'e'.repeat(40) + "']" },
      { type: 'indicator', id: 'indicator--5', pattern_type: 'yara', pattern: 'rule x {}' },
      { type: 'indicator', id: 'indicator--6', pattern_type: 'stix', pattern: "[url:value = 'http://evil.com/x']" },
      { type: 'indicator', id: 'indicator--7', pattern_type: 'stix', pattern: "[domain-name:value = 'not valid!']" },
    ],
  };
  const r = importIocText(JSON.stringify(bundle));
  assert.equal(r.format, 'stix');
  assert.deepEqual(r.indicators.map((i) => `${i.type}:${i.value}`), [
    'domain:evil.com',
    `sha256:${'c'.repeat(64)}`,
    `md5:${'d'.repeat(32)}`,
    'cidr:2001:db8::/32',
    `sha1cert:${'e'.repeat(40)}`,
    'url:http://evil.com/x',
  ]);
  assert.equal(r.indicators[0]!.tlp, 'amber');
  assert.equal(r.indicators[0]!.tag, 'malicious-activity');
  assert.equal(r.indicators[0]!.firstSeen, Date.parse('2024-01-02T00:00:00Z'));
  assert.deepEqual(r.skipped, { identity: 1, 'indicator (yara pattern)': 1 });
  assert.deepEqual(r.issues.map((i) => i.entry), [8]);
});

test('bad JSON and unknown JSON shapes are reported, not thrown', () => {
  const bad = importIocText('{"iocs": [', { name: 'x.json' });
  assert.equal(bad.indicators.length, 0);
  assert.match(bad.issues[0]!.reason, /invalid JSON/);
  const odd = importIocText('{"hello": 1}');
  assert.match(odd.issues[0]!.reason, /neither TinyCheck/);
  const tc = importIocText(JSON.stringify({ iocs: [{ type: 'ip4addr', value: '1.2.3.4', tag: 'x', tlp: 'purple' }, { type: 'weird', value: 'a' }, 7] }));
  assert.deepEqual(tc.issues.map((i) => [i.severity, i.entry]), [['warning', 1], ['error', 2], ['error', 3]]);
});
