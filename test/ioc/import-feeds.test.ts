// Importing the real feeds in ../shared/data/iocs: counts per type against a separate, simple
// count of the same file (JSON.parse and a loop, no Loupe code), and the stalkerware set in its
// four formats against what its source (ioc.yaml) says each format holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { importIocFile } from '../../src/detect/ioc/importers/index.js';
import { countByType } from '../../src/detect/ioc/types.js';
import { needShared, shared } from '../helpers/shared.js';

const TINYCHECK_TYPE: Record<string, string> = { ip4addr: 'ip4', ip6addr: 'ip6' };

function simpleCount(items: Array<{ type: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) {
    const t = TINYCHECK_TYPE[i.type] ?? i.type;
    out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}

test('TinyCheck iocs.json: counts per type equal a plain count of the file', { skip: needShared('iocs', 'tinycheck', 'iocs.json') }, async () => {
  const path = shared('iocs', 'tinycheck', 'iocs.json');
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { iocs: Array<{ type: string }> };
  const expected = simpleCount(raw.iocs);
  // The reference notes give the same figures: domain 2110, freedns 669, cidr 349, sha1cert 132,
  // snort 81, ip4addr 36, tld 23, ns 20 (3,420 in all).
  assert.equal(raw.iocs.length, 3420);
  const r = await importIocFile(path);
  assert.equal(r.format, 'tinycheck');
  assert.equal(r.list, 'ioc');
  assert.deepEqual(r.issues.filter((i) => i.severity === 'error'), []);
  assert.deepEqual(countByType(r.indicators), expected);
  assert.equal(r.indicators.length, 3420);
});

test('TinyCheck whitelist.json: counts per type, and its to_delete entry', { skip: needShared('iocs', 'tinycheck', 'whitelist.json') }, async () => {
  const path = shared('iocs', 'tinycheck', 'whitelist.json');
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { elements: Array<{ type: string }>; to_delete: Array<{ element: string }> };
  const r = await importIocFile(path);
  assert.equal(r.list, 'whitelist');
  assert.deepEqual(countByType(r.indicators), simpleCount(raw.elements));
  // The one deletion, 199.36.154.0/2, has host bits set; it is kept in the stored (network
  // address) form: 199 = 0b11000111, the top two bits give 192.0.0.0/2.
  assert.deepEqual(raw.to_delete.map((d) => d.element), ['199.36.154.0/2']);
  assert.deepEqual(r.removals, ['192.0.0.0/2']);
});

/** A name a DNS resolver could be asked for: what each format's file should give as domains. */
function plainDomain(s: string): boolean {
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/i.test(s) && !/^\d+(\.\d+){3}$/.test(s);
}

test('stalkerware indicators: MISP, TinyCheck JSON, CSV and hosts agree on the domains', { skip: needShared('iocs', 'stalkerware') }, async () => {
  const dir = (f: string) => shared('iocs', 'stalkerware', f);
  // What the source says: hosts = C2 domains; CSV = C2 + distribution; TinyCheck = C2 + websites
  // + distribution; MISP = C2 + a watchware list that is not in this ioc.yaml.
  const yaml = parseYaml(readFileSync(dir('ioc.yaml'), 'utf8')) as Array<{ c2?: { domains?: string[] }; websites?: string[]; distribution?: string[] }>;
  const c2 = new Set(yaml.flatMap((e) => e.c2?.domains ?? []));
  const websites = new Set(yaml.flatMap((e) => e.websites ?? []));
  const distribution = new Set(yaml.flatMap((e) => e.distribution ?? []));
  const valid = (s: Set<string>) => new Set([...s].filter(plainDomain));

  const domainsOf = async (f: string) => {
    const r = await importIocFile(dir(f));
    return { r, set: new Set(r.indicators.filter((i) => i.type === 'domain').map((i) => i.value)) };
  };
  const misp = await domainsOf('misp_event.json');
  const tc = await domainsOf('indicators-for-tinycheck.json');
  const csv = await domainsOf('network.csv');
  const hosts = await domainsOf('hosts');
  assert.equal(misp.r.format, 'misp');
  assert.equal(tc.r.format, 'tinycheck');
  assert.equal(csv.r.format, 'csv');

  // Each format against a plain reading of its own file.
  const mispDoc = JSON.parse(readFileSync(dir('misp_event.json'), 'utf8')) as { Object: Array<{ Attribute: Array<{ type: string; value: string }> }> };
  const mispPlain = new Set(mispDoc.Object.flatMap((o) => o.Attribute).filter((a) => a.type === 'domain').map((a) => a.value));
  assert.deepEqual(misp.set, valid(mispPlain));
  const tcDoc = JSON.parse(readFileSync(dir('indicators-for-tinycheck.json'), 'utf8')) as { iocs: Array<{ type: string; value: string }> };
  const tcPlain = new Set(tcDoc.iocs.filter((i) => i.type === 'domain').map((i) => i.value));
  assert.deepEqual(tc.set, valid(tcPlain));
  const csvLines = readFileSync(dir('network.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.deepEqual(csv.set, valid(new Set(csvLines.filter((f) => f[0] === 'domain').map((f) => f[1]!))));
  const hostLines = readFileSync(dir('hosts'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  assert.deepEqual(hosts.set, new Set(hostLines));

  // The same C2 set in all four; each format holds what its generator put in it.
  assert.deepEqual(hosts.set, valid(c2));
  const common = [...misp.set].filter((d) => tc.set.has(d) && csv.set.has(d) && hosts.set.has(d));
  assert.deepEqual(new Set(common), valid(c2));
  assert.deepEqual(csv.set, valid(new Set([...c2, ...distribution])));
  assert.deepEqual(tc.set, valid(new Set([...c2, ...websites, ...distribution])));
  for (const d of c2) assert.ok(misp.set.has(d), d);

  // The entries that are not domains are refused and reported where they are, never re-typed:
  // the TinyCheck file has two GitHub URLs typed `domain`; the CSV has those and an IP typed `domain`.
  const tcErrors = tc.r.issues.filter((i) => i.severity === 'error');
  assert.equal(tcErrors.length, [...tcPlain].filter((d) => !plainDomain(d)).length);
  for (const e of tcErrors) assert.ok(e.entry !== undefined && e.path?.startsWith('iocs['));
  const csvErrors = csv.r.issues.filter((i) => i.severity === 'error');
  const badCsvLines = csvLines.map((f, i) => ({ f, line: i + 2 })).filter((x) => x.f[0] === 'domain' && !plainDomain(x.f[1]!)).map((x) => x.line);
  assert.deepEqual(csvErrors.map((e) => e.line), badCsvLines);
  assert.ok(csv.r.indicators.every((i) => i.value !== '178.63.71.15' || i.type !== 'ip4'), 'an IP typed domain is not stored as ip4');
  // IPs: the TinyCheck and CSV files carry the same 65 addresses.
  const ips = (r: typeof tc.r) => new Set(r.indicators.filter((i) => i.type === 'ip4').map((i) => i.value));
  assert.equal(ips(tc.r).size, 65);
  assert.deepEqual(ips(csv.r), ips(tc.r));
});
