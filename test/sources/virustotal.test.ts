/**
 * The six VirusTotal files in shared/data/sandbox/virustotal, read into a graph.
 *
 * How the expected counts were worked out, outside Loupe: a Python script over each report's
 * JSON applying the rules of docs/sources.md ("VirusTotal"), written before looking at what Loupe
 * printed:
 *   - Process: `processes_tree` entries (pre-order) resolved with rule 2 (same pid/name/offset
 *     under the same parent process is one process) and rule 3 (a top-level entry joins the
 *     nearest earlier, else later, child entry with the same pid/name/offset not yet taken);
 *     launched = processes with a parent; file_of = processes (each has an image).
 *   - File: distinct case-folded paths among process images (Tencent's bare names completed from
 *     processes_created/terminated when one path has that name), files_opened, files_written,
 *     files_attribute_changed, files_deleted, modules_loaded, files_dropped[].path,
 *     files_copied[].destination.
 *   - RegistryKey: distinct case-folded keys of registry_keys_opened and registry_keys_deleted,
 *     and of registry_keys_set[].key minus its last component (the value name), hives written as
 *     HKLM/HKU after `<HKLM>\`, `\REGISTRY\MACHINE\`, `\Registry\User\`.
 *   - Domain: dns_lookups[].hostname and non-IP URL hosts; IPAddress: resolved_ips, ip_traffic
 *     destinations, IP URL hosts; URI: distinct http_conversations URLs; resolves_to: distinct
 *     (hostname, resolved ip) pairs; uri_of: one per URI, to its own host.
 *   - Host: 1 (the sandbox run). Nothing else: these reports never say which process did what, so
 *     there are no wrote/accessed/connected_to/dns_query_for/http_request_to edges.
 * The script (kept in the comment at the end of this file) printed, per report:
 *   drweb_api:           Process 24, File 131, RegistryKey 91;          launched 18, file_of 24
 *   drweb_api_with_net:  Process 47, File 18, RegistryKey 108, Domain 5, IPAddress 6, URI 1;
 *                        launched 43, file_of 47, resolves_to 7, uri_of 1
 *   drweb_nested:        Process 618, File 14, RegistryKey 203;         launched 615, file_of 618
 *   tencent_habo1:       Process 52, File 128, RegistryKey 391, Domain 3, URI 3;
 *                        launched 48, file_of 52, uri_of 3
 *   tencent_very_nested: Process 317, File 128, RegistryKey 177;        launched 312, file_of 317
 * copied_to (File -> File, source to destination): distinct (source, destination) pairs of
 *   files_copied, counted with the same case folding and trailing spaces trimmed: drweb_api 21,
 *   drweb_api_with_net 2, tencent_very_nested 3 (two copies of 996E.exe, one of msbuild.exe);
 *   every source is already a File by the rules above, so File counts do not change.
 * Cross-checks by arithmetic: with_net's 7 dns_lookups give 7 distinct (name, ip) pairs (Beagle
 * made 14 events of them); its 5 domains are the 7 lookups' 5 distinct names; its 6 IPs are 4
 * distinct resolved addresses + 24.151.31.150 (ip_traffic) + 107.10.49.252 (the URL's host).
 * nested_children: 1,820 tree entries, 617 distinct pid/name/offset, + 1 because find.exe 1892
 * (offset 22) sits under two different cmd.exe processes (3912 and 3300) = 618; 3 roots without
 * a parent (the three detonations' samples) → 615 launched. habo1: 52 entries, 4 roots, no
 * repeats under one parent → 52 processes, 48 launched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { CaseStore } from '../../src/store/types.js';
import { bufferInput } from '../../src/sources/inputs.js';
import { virusTotalReader } from '../../src/sources/sandbox/virustotal.js';
import type { Event } from '../../src/normalize/event.js';
import { needShared, shared } from '../helpers/shared.js';

const skip = needShared('sandbox', 'virustotal');
const vt = (name: string) => shared('sandbox', 'virustotal', name);

async function graphOf(file: string): Promise<{ c: CaseStore; events: Event[]; result: Awaited<ReturnType<typeof analyzePaths>> }> {
  const c = openSqliteStore(':memory:').openCase('t');
  const events: Event[] = [];
  const result = await analyzePaths([file], { store: c, onEvent: (e) => events.push(e) });
  return { c, events, result };
}

const EXPECTED: Record<string, { nodes: Record<string, number>; edges: Record<string, number> }> = {
  'example_drweb_api.json': {
    nodes: { Host: 1, Process: 24, File: 131, RegistryKey: 91 },
    edges: { launched: 18, file_of: 24, copied_to: 21 },
  },
  'example_drweb_api_with_net.json': {
    nodes: { Host: 1, Process: 47, File: 18, RegistryKey: 108, Domain: 5, IPAddress: 6, URI: 1 },
    edges: { launched: 43, file_of: 47, resolves_to: 7, uri_of: 1, copied_to: 2 },
  },
  'example_drweb_nested_children.json': {
    nodes: { Host: 1, Process: 618, File: 14, RegistryKey: 203 },
    edges: { launched: 615, file_of: 618 },
  },
  'example_tencent_habo1.json': {
    nodes: { Host: 1, Process: 52, File: 128, RegistryKey: 391, Domain: 3, URI: 3 },
    edges: { launched: 48, file_of: 52, uri_of: 3 },
  },
  'example_tencent_habo_very_nested.json': {
    nodes: { Host: 1, Process: 317, File: 128, RegistryKey: 177 },
    edges: { launched: 312, file_of: 317, copied_to: 3 },
  },
};

for (const [name, want] of Object.entries(EXPECTED)) {
  test(`VirusTotal ${name}: nodes and edges by type as counted by hand`, { skip }, async () => {
    const { c, result } = await graphOf(vt(name));
    assert.equal(result.files[0].format, 'virustotal');
    assert.equal(result.errors, 0, result.files[0].errorSamples.join('; '));
    const k = c.counts();
    assert.deepEqual(k.nodesByType, want.nodes);
    assert.deepEqual(k.edgesByType, want.edges);
  });
}

test('VirusTotal: every URI links only to its own host', { skip }, async () => {
  let checked = 0;
  for (const name of Object.keys(EXPECTED)) {
    const { c } = await graphOf(vt(name));
    const nodes = new Map([...c.nodes()].map((n) => [n.id, n]));
    for (const e of c.edges()) {
      if (e.type !== 'uri_of') continue;
      const uri = nodes.get(e.src)!;
      const dom = nodes.get(e.dst)!;
      const host = new URL(String(uri.props.uri)).hostname.toLowerCase();
      assert.equal(dom.label, host, `${uri.label} links to ${dom.label}`);
      checked++;
    }
    // each URI has exactly one uri_of
    const uris = [...c.nodes()].filter((n) => n.type === 'URI').length;
    assert.equal([...c.edges()].filter((e) => e.type === 'uri_of').length, uris);
  }
  assert.equal(checked, 4); // with_net's 1 + habo1's 3
});

test('VirusTotal: one DNS event per lookup (7 lookups, 7 events), none attributed to a process', { skip }, async () => {
  const { events } = await graphOf(vt('example_drweb_api_with_net.json'));
  const dns = events.filter((e) => e.event.action === 'dns-query');
  assert.equal(dns.length, 7);
  assert.deepEqual(dns.map((e) => e.dns?.question?.name), [
    'www.google-analytics.com', 'ocsp.pki.goog', 'crl.pki.goog', 'appwallsuite.azurewebsites.net',
    'wallhd.azurewebsites.net', 'www.google-analytics.com', 'ocsp.pki.goog',
  ]);
  for (const e of events) if (e.event.action !== 'process-start') assert.equal(e.process, undefined);
  // analysis_date 1551027115 is the time of everything without an offset
  assert.equal(dns[0]['@timestamp'], 1551027115 * 1000);
});

test('VirusTotal: real pids and parents; pid reuse across merged detonations gives separate processes', { skip }, async () => {
  const { c, events } = await graphOf(vt('example_drweb_api_with_net.json'));
  const starts = events.filter((e) => e.event.action === 'process-start');
  // svchost 800 appears under services.exe 420 (first detonation) and services.exe 412 (second)
  const svc800 = starts.filter((e) => e.process?.pid === 800);
  assert.deepEqual(svc800.map((e) => e.process?.parent?.pid).sort(), [412, 420]);
  assert.notEqual(svc800[0].process?.entity_id, svc800[1].process?.entity_id);
  // wordpadmouse 1968 (offset 6 s) was started by wordpadmouse 2500, itself by services.exe 420
  const w = starts.find((e) => e.process?.pid === 1968)!;
  assert.equal(w.process?.parent?.pid, 2500);
  assert.equal(w['@timestamp'], (1551027115 + 6) * 1000);
  // in the graph: the dwm.exe 728 launched by svchost 800 of the first detonation only
  const nodes = [...c.nodes()];
  const byPid = (pid: number) => nodes.filter((n) => n.type === 'Process' && n.props.pid === pid);
  assert.equal(byPid(800).length, 2);
  const launched = [...c.edges()].filter((e) => e.type === 'launched');
  const dwm = byPid(728)[0];
  const parents = launched.filter((e) => e.dst === dwm.id).map((e) => e.src);
  assert.equal(parents.length, 1);
  const grand = launched.filter((e) => e.dst === parents[0]).map((e) => nodes.find((n) => n.id === e.src)?.props.pid);
  assert.deepEqual(grand, [420]);
});

test('VirusTotal: Tencent names split into image and command line, images completed to full paths', { skip }, async () => {
  const { events } = await graphOf(vt('example_tencent_habo1.json'));
  const ie = events.find((e) => e.event.action === 'process-start' && e.process?.pid === 404)!;
  assert.equal(ie.process?.executable, 'C:\\Program Files\\Internet Explorer\\IEXPLORE.EXE');
  assert.match(ie.process?.command_line ?? '', /^iexplore\.exe htt\?source=news-googledisplay/);
  assert.equal(ie.process?.parent?.pid, 1572);
});

test('VirusTotal: the /files/{id} metadata object gives facts and no events', { skip }, async () => {
  const { result } = await graphOf(vt('example_vt3_api_results.json'));
  const f = result.files[0];
  assert.equal(f.format, 'virustotal');
  assert.equal(f.events, 0);
  assert.equal(f.errors, 0);
  assert.equal((f.facts?.sample as { sha256: string }).sha256, 'f72f904929760f52dbe26f8061427c33c257460880b7abd0b497ecdf6b743ece');
});

test('VirusTotal: the /behaviours list (several sandboxes) and a truncated report', async () => {
  const report = (sandbox: string, extra: object) => ({
    type: 'file_behaviour',
    id: `aa11_${sandbox}`,
    attributes: { sandbox_name: sandbox, analysis_date: 1700000000, processes_tree: [{ process_id: '100', name: 'a.exe', children: [{ process_id: '200', name: 'b.exe', time_offset: 3 }] }], ...extra },
  });
  const doc = JSON.stringify({ data: [report('S1', { dns_lookups: [{ hostname: 'x.example', resolved_ips: ['10.0.0.1'] }] }), report('S2', {})] });
  const ctxErrors: string[] = [];
  const ctx = { error: (_w: unknown, r: string) => ctxErrors.push(r), fact: () => {} };
  const input = bufferInput('list.json', Buffer.from(doc));
  assert.ok(virusTotalReader.sniff(input) >= 0.9);
  const evs: Event[] = [];
  for await (const b of virusTotalReader.read(input, ctx)) evs.push(...b);
  // 2 sandboxes × 2 processes + 1 DNS lookup; two hosts
  assert.equal(evs.length, 5);
  assert.deepEqual([...new Set(evs.map((e) => e.host?.name))], ['sandbox:virustotal:aa11_S1', 'sandbox:virustotal:aa11_S2']);
  assert.equal(evs[1]['@timestamp'], 1700000003000);
  assert.deepEqual(ctxErrors, []);

  // cut inside the second report: the first is read whole, the error says where
  const cut = Buffer.from(doc.slice(0, doc.indexOf('b.exe', doc.indexOf('aa11_S2')) - 8));
  const errs: string[] = [];
  const evs2: Event[] = [];
  for await (const b of virusTotalReader.read(bufferInput('cut.json', cut), { error: (w, r) => errs.push(`${JSON.stringify(w)} ${r}`) })) evs2.push(...b);
  // S1: 2 processes + 1 lookup; S2: its root (the child entry is cut in the middle of its name)
  assert.equal(evs2.length, 4);
  assert.equal(errs.length, 2);
  assert.match(errs[0], /truncated/);
  assert.match(errs[0], new RegExp(`"offset":${cut.length}`));
  // the cut-off child entry has a pid but no name: reported with where it was
  assert.match(errs[1], /data\[1\]: processes_tree\[0\]\.children\[0\]: process entry without a name/);
});

/* The hand-count script (python3 vt_counts.py REPORT):
import json, sys, re, ipaddress
from urllib.parse import urlsplit
def norm_path(p): return p.strip().replace('/', '\\').lower()
def reg(p):
    p = re.sub(r'^<(HK[A-Z]+)>', lambda m: m.group(1).upper(), p.strip(), flags=re.I)
    for pre, short in [(r'\REGISTRY\MACHINE', 'HKLM'), (r'\REGISTRY\USER', 'HKU'), ('HKEY_LOCAL_MACHINE', 'HKLM'), ('HKEY_USERS', 'HKU'), ('HKEY_CURRENT_USER', 'HKCU')]:
        if re.match(re.escape(pre) + r'(?=\\|$)', p, re.I): p = short + p[len(pre):]; break
    return p
def is_ip(s):
    try: ipaddress.ip_address(s); return True
    except ValueError: return False
a = json.load(open(sys.argv[1]))['attributes']
E = []
def walk(n, parent):
    e = dict(i=len(E), key=(n['process_id'], n['name'], n.get('time_offset')), parent=parent, name=n['name']); E.append(e)
    for c in n.get('children', []): walk(c, e)
for r in a.get('processes_tree', []): walk(r, None)
up = list(range(len(E)))
def find(i):
    while up[i] != i: i = up[i]
    return i
def union(x, y):
    x, y = find(x), find(y)
    if x != y: up[max(x, y)] = min(x, y)
taken = set()
for e in E:
    if e['parent'] is not None: continue
    c = [x['i'] for x in E if x['parent'] is not None and x['key'] == e['key'] and x['i'] not in taken]
    before = [i for i in c if i < e['i']]; after = [i for i in c if i > e['i']]
    pick = before[-1] if before else (after[0] if after else None)
    if pick is not None: taken.add(pick); union(e['i'], pick)
changed = True
while changed:
    changed = False; seen = {}
    for e in E:
        if e['parent'] is None: continue
        k = (find(e['parent']['i']), e['key'])
        if k in seen and find(seen[k]) != find(e['i']): union(seen[k], e['i']); changed = True
        seen.setdefault(k, e['i'])
procs = {find(e['i']) for e in E}
parent_of = {}
for e in E:
    if e['parent'] is not None: parent_of.setdefault(find(e['i']), find(e['parent']['i']))
full = {}
for p in a.get('processes_created', []) + a.get('processes_terminated', []):
    n = p.split('\\')[-1].lower()
    full[n] = p if n not in full or (full[n] or '').lower() == p.lower() else None
def exe(name):
    m = re.match(r'^(\S+\.(?:exe|com|bat|cmd|scr|pif|dll|msi|ps1|vbs|js))\s+(.+)$', name, re.I)
    img = m.group(1) if m and '\\' not in name else name
    return (full.get(img.lower()) or img) if '\\' not in img else img
files = {norm_path(exe(E[p]['name'])) for p in procs}
for k in ['files_opened', 'files_written', 'files_attribute_changed', 'files_deleted', 'modules_loaded']:
    files |= {norm_path(x) for x in a.get(k, [])}
files |= {norm_path(d['path']) for d in a.get('files_dropped', [])}
files |= {norm_path(c['destination']) for c in a.get('files_copied', [])}
keys = {reg(k).lower() for k in a.get('registry_keys_opened', []) + a.get('registry_keys_deleted', [])}
keys |= {reg(s['key']).rsplit('\\', 1)[0].lower() for s in a.get('registry_keys_set', [])}
domains, ips, uris, resolves, uri_of = set(), set(), set(), set(), set()
for d in a.get('dns_lookups', []):
    h = d['hostname'].lower().rstrip('.'); domains.add(h)
    for ip in d.get('resolved_ips', []): ips.add(ip); resolves.add((h, ip))
for h in a.get('http_conversations', []):
    u = urlsplit(h['url']); host = u.hostname
    key = f"{u.scheme}://{host}{':' + str(u.port) if u.port else ''}{u.path or '/'}{'?' + u.query if u.query else ''}"
    uris.add(key); uri_of.add((key, host))
    (ips if is_ip(host) else domains).add(host)
ips |= {t['destination_ip'] for t in a.get('ip_traffic', [])}
nodes = dict(Host=1, Process=len(procs), File=len(files), RegistryKey=len(keys), Domain=len(domains), IPAddress=len(ips), URI=len(uris))
edges = dict(launched=len(parent_of), file_of=len(procs), resolves_to=len(resolves), uri_of=len(uri_of))
print({k: v for k, v in nodes.items() if v}, {k: v for k, v in edges.items() if v})
*/
