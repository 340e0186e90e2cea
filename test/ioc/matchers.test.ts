import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrIndex } from '../../src/detect/ioc/matchers/cidr-index.js';
import { DomainSuffixIndex } from '../../src/detect/ioc/matchers/domain-suffix.js';
import { Ipv4Table } from '../../src/detect/ioc/matchers/ipv4-table.js';
import { IocIndex, Whitelist } from '../../src/detect/ioc/ioc-index.js';
import { formatIPv4, parseIPv4 } from '../../src/detect/ioc/ip.js';
import type { Indicator } from '../../src/detect/ioc/types.js';

const ind = (type: Indicator['type'], value: string, tag = 'suspect'): Indicator => ({ type, value, tag, tlp: 'white', source: 't' });

test('domain suffixes match on label boundaries only', () => {
  const d = new DomainSuffixIndex<string>();
  d.add('evil.com', 'E');
  d.add('c2.evil.com', 'C');
  assert.equal(d.longest('notevil.com'), undefined, 'TinyCheck matched this (endswith)');
  assert.equal(d.longest('evil.com.example')?.suffix, undefined);
  assert.equal(d.longest('evil.com')?.suffix, 'evil.com');
  assert.equal(d.longest('a.c2.evil.com')?.suffix, 'c2.evil.com');
  assert.deepEqual(d.all('a.c2.evil.com').map((h) => h.suffix), ['c2.evil.com', 'evil.com']);
  assert.equal(d.strictParent('evil.com'), undefined);
  assert.equal(d.strictParent('x.evil.com')?.suffix, 'evil.com');
});

test('domain suffix index agrees with a naive label-boundary scan on random names, as its table grows (property)', () => {
  let seed = 4242;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const labels = ['a', 'b', 'c2', 'mail', 'cdn', 'evil', 'notevil', 'x-y', 'com', 'net', 'ru', 'example', 'bücher', 'пример'];
  const name = (n: number) => Array.from({ length: n }, () => labels[Math.floor(rnd() * labels.length)]).join('.');
  const d = new DomainSuffixIndex<number>();
  const entries = new Set<string>();
  // Naive answer: the longest entry equal to the name or ending in '.' + entry.
  const naive = (q: string) => [...entries].filter((e) => q === e || q.endsWith(`.${e}`)).sort((x, y) => y.length - x.length)[0];
  const check = (k: number) => {
    for (let i = 0; i < k; i++) {
      const q = name(1 + Math.floor(rnd() * 5));
      assert.equal(d.longest(q)?.suffix, naive(q), q);
      assert.equal(d.has(q), naive(q) !== undefined, q);
    }
  };
  for (let i = 0; i < 5000; i++) {
    const e = name(1 + Math.floor(rnd() * 4));
    entries.add(e);
    d.add(e, i);
    if (i === 10 || i === 200 || i === 4999) check(300); // before and after the table grows
  }
  assert.equal(d.size, entries.size);
});

test('IPv4 table agrees with a Map on random addresses, the extremes included, as it grows (property)', () => {
  let seed = 99;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0));
  const t = new Ipv4Table<number>();
  const m = new Map<number, number[]>();
  const add = (a: number, v: number) => {
    t.add(a, v);
    const have = m.get(a);
    if (have) have.push(v);
    else m.set(a, [v]);
  };
  add(0, -1); // 0.0.0.0
  add(0xffffffff, -2); // 255.255.255.255: negative as an int32
  add(0x80000000, -3);
  for (let i = 0; i < 20_000; i++) add(i % 7 === 0 ? 0x0a000000 + (rnd() & 0xff) : rnd(), i); // some repeats
  assert.equal(t.size, m.size);
  for (const [a, v] of m) assert.deepEqual(t.get(a), v, formatIPv4(a));
  for (let i = 0; i < 20_000; i++) {
    const a = rnd();
    assert.deepEqual(t.get(a), m.get(a), formatIPv4(a));
  }
});

test('CIDR index: nested and disjoint ranges, most specific first, IPv4 and IPv6', () => {
  const c = new CidrIndex<string>();
  c.add('10.0.0.0/8', 'big');
  c.add('10.1.0.0/16', 'mid');
  c.add('10.1.2.0/24', 'small');
  c.add('10.2.0.0/16', 'other');
  c.add('2001:db8::/32', 'v6');
  c.add('2001:db8:1::/48', 'v6small');
  assert.deepEqual(c.match('10.1.2.3')?.map((h) => h.cidr), ['10.1.2.0/24', '10.1.0.0/16', '10.0.0.0/8']);
  assert.deepEqual(c.match('10.1.3.3')?.map((h) => h.cidr), ['10.1.0.0/16', '10.0.0.0/8']);
  // After 10.2.0.0/16 in sort order but only inside /8: the climb must go through the parent.
  assert.deepEqual(c.match('10.200.0.1')?.map((h) => h.cidr), ['10.0.0.0/8']);
  assert.equal(c.match('11.0.0.0'), undefined);
  assert.deepEqual(c.match('2001:db8:1::5')?.map((h) => h.cidr), ['2001:db8:1::/48', '2001:db8::/32']);
  assert.equal(c.match('2001:db9::1'), undefined);
  assert.deepEqual(c.match('::ffff:10.1.2.3')?.map((h) => h.cidr)[0], '10.1.2.0/24');
});

test('CIDR index agrees with a brute-force scan on random ranges (property)', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const ranges: Array<{ first: number; last: number; text: string }> = [];
  const c = new CidrIndex<number>();
  for (let i = 0; i < 400; i++) {
    const prefix = 8 + Math.floor(rnd() * 25);
    // Cluster addresses in 10/8 so ranges nest often.
    const addr = (10 * 2 ** 24 + Math.floor(rnd() * 2 ** 24)) >>> 0;
    const size = 2 ** (32 - prefix);
    const first = Math.floor(addr / size) * size;
    const text = `${formatIPv4(first)}/${prefix}`;
    ranges.push({ first, last: first + size - 1, text });
    c.add(text, i);
  }
  for (let k = 0; k < 3000; k++) {
    const ip = (10 * 2 ** 24 + Math.floor(rnd() * 2 ** 24)) >>> 0;
    const expected = new Set(ranges.filter((r) => r.first <= ip && ip <= r.last).map((r) => r.text));
    const got = new Set((c.match(formatIPv4(ip)) ?? []).map((h) => h.cidr));
    assert.deepEqual(got, expected, formatIPv4(ip));
  }
  assert.equal(parseIPv4(formatIPv4(0xffffffff)), 0xffffffff);
});

test('IOC index: exact IPs in any spelling, free DNS only below the provider, TLDs, hashes; whitelist', () => {
  const idx = IocIndex.from([
    ind('ip6', '2001:db8::1'),
    ind('freedns', 'ddns.net'),
    ind('tld', '.xyz'),
    ind('domain', 'evil.com'),
    ind('sha1cert', 'a'.repeat(40)),
    ind('cidr', '203.0.113.0/24'),
  ]);
  assert.ok(idx.matchIp('2001:0db8:0:0::1'));
  assert.equal(idx.matchFreeDns('ddns.net'), undefined);
  assert.equal(idx.matchFreeDns('foo.ddns.net')?.suffix, 'ddns.net');
  assert.equal(idx.matchFreeDns('fooddns.net'), undefined);
  assert.equal(idx.matchTld('a.xyz')?.suffix, 'xyz');
  assert.equal(idx.matchTld('xyz'), undefined);
  assert.equal(idx.matchTld('a.xyz.com'), undefined);
  assert.ok(idx.matchHash('sha1cert', 'A'.repeat(40)));
  assert.equal(idx.matchCidr('203.0.113.9')?.[0]?.cidr, '203.0.113.0/24');
  const w = Whitelist.from([ind('domain', 'google.com'), ind('cidr', '192.168.0.0/16'), ind('ip4', '8.8.8.8')]);
  assert.ok(w.hasDomain('www.google.com') && !w.hasDomain('notgoogle.com'));
  assert.ok(w.hasIp('192.168.100.2') && w.hasIp('8.8.8.8') && !w.hasIp('8.8.4.4'));
});
