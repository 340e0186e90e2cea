/**
 * The web UI's API from outside, on the built-in example analysed into a store (plus one hostile
 * process start): tokens (401 without, 403 for an agent), each endpoint's shape, the caps that keep
 * the whole graph out of the browser, paging that loses and repeats nothing, GET-only, strings from
 * evidence cut to size and never markup in the reply text, the page served with a strict CSP.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attackData } from '../../src/detect/attack/data.js';
import { exampleServer, HOSTILE_CMD, HOSTILE_PID, type ExampleServer } from './helpers.js';

let s: ExampleServer;
let base: string;
let webRoot: string;

before(async () => {
  // A stand-in build, so these tests do not depend on `vite build` having run.
  webRoot = mkdtempSync(join(tmpdir(), 'loupe-webroot-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><script type="module" src="/assets/app-abc123.js"></script>');
  writeFileSync(join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
  s = await exampleServer({ hostile: true, webRoot });
  base = `/api/v1/ui/cases/${s.caseStore.id}`;
});

after(async () => {
  await s.close();
  rmSync(webRoot, { recursive: true, force: true });
});

/** `null`: no token at all. */
async function get(url: string, token: string | null = s.analyst) {
  const r = await s.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.statusCode, body: r.body, json: () => r.json(), headers: r.headers };
}

async function ok<T = any>(url: string): Promise<T> {
  const r = await get(url);
  assert.equal(r.status, 200, `${url}: ${r.body.slice(0, 300)}`);
  return r.json() as T;
}

function endpoints(): string[] {
  return [
    '/api/v1/ui/cases',
    `${base}/overview`,
    `${base}/alerts`,
    `${base}/alerts/x`,
    `${base}/threats`,
    `${base}/threats/t0000000000000000`,
    `${base}/search?q=powershell`,
    `${base}/nodes/0000000000000000`,
    `${base}/nodes/0000000000000000/neighbours`,
    `${base}/edges/0000000000000000`,
    `${base}/hosts`,
    `${base}/process-tree?host=x`,
    `${base}/timeline`,
    `${base}/attack`,
  ];
}

test('every UI endpoint needs the analyst token: 401 without or with a wrong one, 403 for an agent token', async () => {
  for (const url of endpoints()) {
    const none = await get(url, null);
    assert.equal(none.status, 401, url);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="loupe"');
    assert.equal((await get(url, 'lpa_wrong-token-000000000000')).status, 401, url);
    const agent = await get(url, s.agent);
    assert.equal(agent.status, 403, url);
    assert.ok(!agent.body.includes('WINWORD'), 'nothing of the case in a refusal');
  }
});

test('cases: every case in the store, with the served one named; an unknown case is 404, a malformed one 400', async () => {
  const j = await ok('/api/v1/ui/cases');
  assert.equal(j.served, s.caseStore.id);
  const names = j.cases.map((c: { name: string }) => c.name).sort();
  assert.deepEqual(names, ['empty case', 'example']);
  const ex = j.cases.find((c: { name: string }) => c.name === 'example');
  // writeExample's own count of lines written, plus the one hostile line.
  assert.equal(ex.events, s.events);
  assert.equal(ex.evidence, 2);
  assert.equal((await get('/api/v1/ui/cases/999/overview')).status, 404);
  assert.equal((await get('/api/v1/ui/cases/abc/overview')).status, 400);
  const empty = await ok(`/api/v1/ui/cases/${s.emptyCase.id}/overview`);
  assert.equal(empty.counts.events, 0);
  assert.deepEqual((await ok(`/api/v1/ui/cases/${s.emptyCase.id}/threats`)).threats, []);
});

test('overview: evidence read with records and errors, counts, alerts per level, threats', async () => {
  const o = await ok(`${base}/overview`);
  assert.equal(o.case.name, 'example');
  assert.equal(o.counts.events, s.events);
  assert.equal(o.evidence.length, 2);
  // Every line of both files became one event: records add up to the events written, no errors.
  assert.equal(o.evidence.reduce((n: number, e: { records: number }) => n + e.records, 0), s.events);
  assert.equal(o.evidence.reduce((n: number, e: { errors: number }) => n + e.errors, 0), 0);
  const levels = Object.values(o.counts.alertsByLevel as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(levels, s.caseStore.alerts().length);
  assert.ok(o.threats.total >= 1, 'the example story is a scored chain');
  assert.equal(typeof o.firstEvent, 'number');
});

test('alerts: filters by level, rule, host and technique; facets count every alert; paging slices the same order', async () => {
  const all = await ok(`${base}/alerts?limit=500`);
  const stored = s.caseStore.alerts();
  assert.equal(all.total, stored.length);
  assert.equal(Object.values(all.facets.levels as Record<string, number>).reduce((a, b) => a + b, 0), stored.length);
  // Most severe first.
  const ranks = ['informational', 'low', 'medium', 'high', 'critical'];
  for (let i = 1; i < all.alerts.length; i++) assert.ok(ranks.indexOf(all.alerts[i - 1].level) >= ranks.indexOf(all.alerts[i].level));
  for (const a of all.alerts) {
    assert.ok(Array.isArray(a.techniques) && Array.isArray(a.entities));
    for (const t of a.techniques) assert.match(t.id, /^T\d{4}(\.\d{3})?$/);
  }
  const high = await ok(`${base}/alerts?level=high`);
  assert.equal(high.total, stored.filter((a) => a.level === 'high').length);
  assert.ok(high.alerts.every((a: { level: string }) => a.level === 'high'));
  // T1059 matches T1059 and its sub-techniques, counted here straight from the stored alerts.
  const t1059 = await ok(`${base}/alerts?technique=T1059`);
  assert.equal(t1059.total, stored.filter((a) => a.techniques.some((t) => t === 'T1059' || t.startsWith('T1059.'))).length);
  assert.ok(t1059.total > 0);
  const rule = stored[0]!.ruleId;
  assert.equal((await ok(`${base}/alerts?rule=${encodeURIComponent(rule)}`)).total, stored.filter((a) => a.ruleId === rule).length);
  assert.equal((await ok(`${base}/alerts?host=wkstn-07.corp.example.com`)).total, stored.filter((a) => a.host?.toLowerCase() === 'wkstn-07.corp.example.com').length);
  assert.equal((await ok(`${base}/alerts?host=nobody`)).total, 0);
  const page = await ok(`${base}/alerts?limit=2&offset=1`);
  assert.deepEqual(page.alerts.map((a: { id: string }) => a.id), all.alerts.slice(1, 3).map((a: { id: string }) => a.id));
  assert.equal((await get(`${base}/alerts?level=severe`)).status, 400);
  assert.equal((await get(`${base}/alerts?limit=100000`)).status, 400);
  // One alert in full: details, events, the entities it is about, and its node in the graph.
  const withNode = all.alerts.find((a: { graphNode?: string }) => a.graphNode);
  assert.ok(withNode, 'alerts about entities have an Alert node');
  const d = (await ok(`${base}/alerts/${encodeURIComponent(withNode.id)}`)).alert;
  assert.equal(d.id, withNode.id);
  assert.ok(d.events.length >= 1 && d.eventTotal >= d.events.length);
  assert.equal((await get(`${base}/alerts/nope`)).status, 404);
});

test('threats: list and one threat with its tree, hits, attribution and the head process in the graph', async () => {
  const list = await ok(`${base}/threats`);
  assert.ok(list.total >= 1);
  const t = list.threats[0];
  assert.match(t.id, /^t[0-9a-f]{16}$/);
  const d = await ok(`${base}/threats/${t.id}`);
  assert.equal(d.threat.id, t.id);
  assert.ok(d.threat.tree.length >= 2, 'a chain has a tree');
  // The example's story starts from Word opening a macro document.
  assert.match(d.threat.head.image, /WINWORD\.EXE$/i);
  assert.ok(d.hitTotal >= d.hits.length && d.hits.length > 0);
  assert.ok(Array.isArray(d.threat.attribution));
  const head = await ok(`${base}/nodes/${d.graphNode}`);
  assert.equal(head.node.type, 'Process');
  assert.equal(head.node.props.pid, d.threat.head.pid);
  assert.equal((await get(`${base}/threats/t0000000000000000`)).status, 404);
  assert.equal((await get(`${base}/threats?state=bogus`)).status, 400);
});

test('search, node, neighbours capped with a "more" count, edge with occurrences', async () => {
  const hits = (await ok(`${base}/search?q=OneDriveUpdater`)).hits;
  const proc = hits.find((h: { node: { type: string } }) => h.node.type === 'Process');
  assert.ok(proc, 'the payload process is found by name');
  assert.match(proc.node.label, /OneDriveUpdater\.exe/);
  const node = await ok(`${base}/nodes/${proc.node.id}`);
  const counts = node.edgeTypes as Record<string, { in: number; out: number }>;
  const total = Object.values(counts).reduce((n, c) => n + c.in + c.out, 0);
  assert.ok(total >= 3, `the payload has several relations (${total})`);
  // A cap of 2: two edges, and the rest counted as more.
  const capped = await ok(`${base}/nodes/${proc.node.id}/neighbours?limit=2`);
  assert.equal(capped.total, total);
  assert.equal(capped.edges.length, 2);
  assert.equal(capped.more, total - 2);
  for (const e of capped.edges) {
    assert.ok(e.src === proc.node.id || e.dst === proc.node.id);
    const other = e.src === proc.node.id ? e.dst : e.src;
    assert.ok(capped.nodes.some((n: { id: string }) => n.id === other), 'the other end of each edge comes with it');
  }
  const rest = await ok(`${base}/nodes/${proc.node.id}/neighbours?limit=200&offset=2`);
  assert.equal(rest.more, 0);
  const ids = new Set([...capped.edges, ...rest.edges].map((e: { id: string }) => e.id));
  assert.equal(ids.size, total, 'pages neither repeat nor lose an edge');
  // Only some types, one direction.
  const launched = await ok(`${base}/nodes/${proc.node.id}/neighbours?types=launched&direction=out&limit=200`);
  assert.equal(launched.total, counts.launched?.out ?? 0);
  assert.ok(launched.edges.every((e: { type: string; src: string }) => e.type === 'launched' && e.src === proc.node.id));
  assert.equal((await get(`${base}/nodes/${proc.node.id}/neighbours?types=exploded`)).status, 400);
  assert.equal((await get(`${base}/nodes/${proc.node.id}/neighbours?limit=5000`)).status, 400, 'no asking for the whole neighbourhood at once');
  // An edge and its occurrences: as many as its count.
  const e = rest.edges[0] ?? capped.edges[0];
  const ed = await ok(`${base}/edges/${e.id}`);
  assert.equal(ed.edge.id, e.id);
  assert.equal(ed.occurrences.length, Math.min(100, ed.edge.count));
  assert.equal(ed.total, ed.edge.count);
  assert.ok(ed.src && ed.dst);
  assert.equal((await get(`${base}/nodes/zzz`)).status, 404);
});

test('hosts and process tree: every process of the host once, the hostile one under Word, its command line cut to size', async () => {
  const hosts = (await ok(`${base}/hosts`)).hosts;
  assert.equal(hosts.length, 1);
  const host = hosts[0];
  assert.equal(host.name, 'WKSTN-07.corp.example.com');
  const tree = await ok(`${base}/process-tree?host=${encodeURIComponent(host.name)}&limit=2000`);
  // Every process reached once from the roots (a property of a tree), and all of the host's.
  const seen: string[] = [];
  const walk = (id: string) => {
    seen.push(id);
    for (const c of tree.nodes[id].children) walk(c);
  };
  for (const r of tree.roots) walk(r);
  assert.equal(new Set(seen).size, seen.length);
  assert.equal(seen.length, host.processes);
  const hostile = Object.values(tree.nodes as Record<string, { pid?: number; id: string; commandLine: string }>).find((n) => n.pid === HOSTILE_PID)!;
  assert.ok(hostile, 'the hostile process is in the tree');
  const parent = Object.values(tree.nodes as Record<string, { children: string[]; image?: string }>).find((n) => n.children.includes(hostile.id))!;
  assert.match(parent.image!, /WINWORD\.EXE$/i);
  assert.ok(hostile.commandLine.startsWith(HOSTILE_CMD.slice(0, 2000)));
  assert.ok(hostile.commandLine.length < 2100, 'bounded');
  // A small budget: fewer nodes, children left to fetch are counted.
  const small = await ok(`${base}/process-tree?host=${encodeURIComponent(host.name)}&limit=3`);
  assert.ok(Object.keys(small.nodes).length <= 3 + 3);
  assert.equal((await get(`${base}/process-tree`)).status, 400);
});

test('timeline: pages by time lose and repeat nothing, each alert shows once; host filter', async () => {
  const events: { id: string; time: number }[] = [];
  const alerts: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const p = await ok(`${base}/timeline?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    events.push(...p.events);
    alerts.push(...p.alerts.map((a: { id: string }) => a.id));
    assert.ok(p.events.length <= 7);
    cursor = p.next;
    if (!cursor) break;
  }
  assert.equal(events.length, s.events);
  assert.equal(new Set(events.map((e) => e.id)).size, s.events);
  for (let i = 1; i < events.length; i++) assert.ok(events[i - 1]!.time <= events[i]!.time, 'in time order');
  assert.equal(alerts.length, s.caseStore.alerts().length);
  assert.equal(new Set(alerts).size, alerts.length);
  const none = await ok(`${base}/timeline?host=nobody`);
  assert.equal(none.events.length, 0);
  assert.equal(none.alerts.length, 0);
  // From a time: nothing before it.
  const mid = events[Math.floor(events.length / 2)]!.time;
  const later = await ok(`${base}/timeline?from=${mid}&limit=500`);
  assert.ok(later.events.every((e: { time: number }) => e.time >= mid));
  assert.equal(later.events.length, events.filter((e) => e.time >= mid).length);
  const iso = await ok(`${base}/timeline?from=${encodeURIComponent(new Date(mid).toISOString())}&limit=500`);
  assert.equal(iso.events.length, later.events.length);
  assert.equal((await get(`${base}/timeline?cursor=bad`)).status, 400);
  assert.equal((await get(`${base}/timeline?from=yesterday`)).status, 400);
});

test('ATT&CK matrix: tactics in matrix order, fired techniques counted from the alerts (sub-techniques roll up once per alert)', async () => {
  const m = await ok(`${base}/attack`);
  assert.deepEqual(m.tactics.map((t: { shortName: string }) => t.shortName), attackData().tactics.map((t) => t[1]));
  const stored = s.caseStore.alerts();
  const exec = m.tactics.find((t: { shortName: string }) => t.shortName === 'execution');
  const t1059 = exec.techniques.find((c: { id: string }) => c.id === 'T1059');
  // Alerts naming T1059 or any T1059.x, each counted once.
  assert.equal(t1059.alerts, stored.filter((a) => a.techniques.some((t) => t.startsWith('T1059'))).length);
  const sub = t1059.subs.find((x: { id: string }) => x.id === 'T1059.001');
  assert.equal(sub.alerts, stored.filter((a) => a.techniques.includes('T1059.001')).length);
  const only = await ok(`${base}/attack?fired=only`);
  for (const t of only.tactics) for (const c of t.techniques) assert.ok(c.alerts > 0);
  assert.ok(only.fired.some((f: { id: string }) => f.id === 'T1059.001'));
});

test('no GET changes anything and nothing under /api/v1/ui takes another method', async () => {
  const db = s.store.db;
  const fingerprint = () => {
    const h = createHash('sha256');
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]) {
      h.update(`#${name}\n`);
      for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).iterate()) h.update(`${JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))}\n`);
    }
    return h.digest('hex');
  };
  const before = fingerprint();
  for (const url of endpoints()) for (const t of [null, s.agent, s.analyst]) await get(url, t);
  assert.equal(fingerprint(), before);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
    const r = await s.app.inject({ method, url: `${base}/alerts`, headers: { authorization: `Bearer ${s.analyst}` }, payload: {} });
    assert.equal(r.statusCode, 404, method);
  }
});

test('replies carry evidence intact but never as markup: no < or > in the reply text, long strings cut', async () => {
  for (const url of [`${base}/timeline?limit=500`, `${base}/search?q=${encodeURIComponent('<script>')}`, `${base}/process-tree?host=WKSTN-07.corp.example.com`]) {
    const r = await get(url);
    assert.equal(r.status, 200);
    assert.ok(!/[<>]/.test(r.body), `${url}: no < or > in the text`);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  }
  const tl = await ok(`${base}/timeline?limit=500`);
  const row = tl.events.find((e: { summary: string }) => e.summary.includes('<script>'));
  assert.ok(row, 'the hostile start is in the timeline, intact once parsed');
  assert.ok(row.summary.startsWith(HOSTILE_CMD.slice(0, 900)));
  assert.ok(row.summary.length <= 1000 + 40, 'a row is bounded');
  const found = (await ok(`${base}/search?q=${encodeURIComponent('<script>')}`)).hits;
  assert.ok(found.length >= 1, 'hostile text is searchable');
});

test('the page: / and its assets from the build, with a strict Content-Security-Policy; nothing else of the disk', async () => {
  const page = await get('/', null);
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  const js = await get('/assets/app-abc123.js', null);
  assert.equal(js.status, 200);
  assert.match(String(js.headers['content-type']), /^text\/javascript/);
  assert.match(String(js.headers['cache-control']), /immutable/);
  for (const url of ['/assets/../index.html', '/assets/%2e%2e/%2e%2e/package.json', '/package.json', '/assets/nope.js', '/api/v1/ui/nope'])
    assert.equal((await get(url, null)).status, 404, url);
  // The JSON API keeps the server's own policy.
  const api = await get(`${base}/overview`);
  assert.equal(api.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
});
