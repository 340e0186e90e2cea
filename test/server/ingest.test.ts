/**
 * POST /api/v1/ingest and the analyst API, through fastify's inject (no socket): what is acknowledged
 * is committed, retries are not stored twice, bad lines are reported by line, RmEye's shape is read
 * with its field names and values as sent, 429 + Retry-After when behind, analyst states with who
 * and when, and the OpenAPI document.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPLORER, guid, T0 } from '../chains/helpers.js';
import { gz, ndjson, nxConnect, nxStart, testServer } from './helpers.js';

const E = { guid: guid(1), pid: 1000, image: EXPLORER };
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

function count(db: import('better-sqlite3').Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

test('NDJSON (plain and gzip) is acknowledged once committed; bad lines are reported by line number', async () => {
  const s = await testServer();
  try {
    const lines = [
      nxStart(T0, 'ws1', { guid: guid(2), pid: 200, image: PS, cmd: 'powershell -c 1' }, E),
      '{not json',
      { hello: 'world' },
      nxConnect(T0 + 1000, 'ws1', { guid: guid(2), pid: 200, image: PS }, '192.0.2.1'),
    ];
    const body = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\r\n');
    const r = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}`, 'content-type': 'application/x-ndjson' }, payload: body });
    assert.equal(r.statusCode, 200, r.body);
    const j = r.json();
    assert.equal(j.accepted, 2);
    assert.equal(j.rejected, 2);
    assert.deepEqual(j.errors.map((e: { line: number }) => e.line), [2, 3]);
    assert.match(j.errors[0].reason, /invalid JSON/);
    // Acknowledged means stored: the reply came after the commit.
    assert.equal(count(s.store.db, 'SELECT count(*) AS n FROM events'), 2);

    const z = await s.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${s.agent}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      payload: gz(ndjson([nxConnect(T0 + 2000, 'ws1', { guid: guid(2), pid: 200, image: PS }, '192.0.2.2')])),
    });
    assert.equal(z.statusCode, 200, z.body);
    assert.equal(z.json().accepted, 1);
    assert.equal(z.json().firstSeq, 3, 'the agent numbers its events on from where it was');
    assert.equal(count(s.store.db, 'SELECT count(*) AS n FROM events'), 3);
    const hosts = await s.app.inject({ url: '/api/v1/hosts', headers: { authorization: `Bearer ${s.analyst}` } });
    assert.deepEqual(hosts.json().hosts.map((h: { host: string; events: number; agent: string }) => [h.host, h.events, h.agent]), [['ws1', 3, 'ws-agent-1']]);
  } finally {
    await s.close();
  }
});

test('a batch sent again with the same Idempotency-Key is answered from the ledger, not stored twice', async () => {
  const s = await testServer();
  try {
    const body = ndjson([nxStart(T0, 'ws1', { guid: guid(2), pid: 200, image: PS, cmd: 'x' }, E), nxConnect(T0 + 1, 'ws1', { guid: guid(2), pid: 200, image: PS }, '192.0.2.1')]);
    const send = (token: string) =>
      s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'batch-0001' }, payload: body });
    const a = (await send(s.agent)).json();
    const b = (await send(s.agent)).json();
    assert.equal(a.accepted, 2);
    assert.equal(a.duplicate, undefined);
    assert.equal(b.accepted, 2);
    assert.equal(b.duplicate, true);
    assert.equal(b.firstSeq, a.firstSeq);
    assert.equal(count(s.store.db, 'SELECT count(*) AS n FROM events'), 2);
    // Keys are per agent: another agent's batch with the same key is its own.
    const c = (await send(s.agent2)).json();
    assert.equal(c.duplicate, undefined);
    assert.equal(count(s.store.db, 'SELECT count(*) AS n FROM events'), 4);
    // Sent twice at once: the second waits for the first and is answered as a duplicate.
    const body2 = ndjson([nxConnect(T0 + 5, 'ws1', { guid: guid(2), pid: 200, image: PS }, '192.0.2.9')]);
    const h = { authorization: `Bearer ${s.agent}`, 'idempotency-key': 'batch-0002' };
    const [x, y] = await Promise.all([
      s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: h, payload: body2 }),
      s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: h, payload: body2 }),
    ]);
    assert.deepEqual([x.json().accepted, y.json().accepted], [1, 1]);
    assert.equal([x.json().duplicate, y.json().duplicate].filter(Boolean).length, 1);
    assert.equal(count(s.store.db, 'SELECT count(*) AS n FROM events'), 5);
    const bad = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}`, 'idempotency-key': 'no spaces allowed' }, payload: body2 });
    assert.equal(bad.statusCode, 400);
  } finally {
    await s.close();
  }
});

test("RmEye's {Action, Data} is read with field names and values exactly as sent", async () => {
  const s = await testServer({ rules: [{ match: 'FromBase64String', id: 'b64', level: 'high', techniques: ['T1027'] }] });
  try {
    const cmd = 'powershell.exe -nop -c [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String("SGVMbG8="))';
    const body = ndjson([
      { Action: 'ProcessCreate', Data: { Computer: 'WS9', UtcTime: '2024-01-10 09:00:00.000', ProcessId: 4242, Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: cmd, ParentProcessId: 1000, ParentImage: EXPLORER, Hashes: 'MD5=0123456789ABCDEF0123456789ABCDEF,SHA256=AA', User: 'CORP\\Bob' } },
      // ProcessAccess carries SourceProcessId, not ProcessId (RmEye answered 500 and lost it).
      { Action: 'ProcessAccess', Data: { Computer: 'WS9', UtcTime: '2024-01-10 09:00:01.000', SourceProcessId: 4242, SourceImage: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', TargetProcessId: 700, TargetImage: 'C:\\Windows\\system32\\lsass.exe', GrantedAccess: '0x1010' } },
      { Action: 'ProcessTerminal', Data: { Computer: 'WS9', UtcTime: '2024-01-10 09:00:02.000', ProcessId: 4242, Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' } },
      { Action: 'NoSuchAction', Data: {} },
    ]);
    const r = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}` }, payload: body });
    const j = r.json();
    assert.equal(j.accepted, 3);
    assert.equal(j.rejected, 1);
    assert.match(j.errors[0].reason, /unknown RmEye action/);
    const stored = [...s.caseStore.events()];
    assert.equal(stored.length, 3);
    const start = stored[0]!.event;
    assert.equal(start.event.action, 'process-start');
    assert.equal(start.host?.name, 'WS9');
    assert.equal(start.raw.CommandLine, cmd, 'case kept (RmEye lower-cased whole bodies)');
    assert.equal(start.process?.command_line, cmd);
    assert.equal(start['@timestamp'], Date.UTC(2024, 0, 10, 9, 0, 0));
    assert.equal(stored[1]!.event.event.action, 'process-access');
    assert.equal(stored[1]!.event.process?.pid, 4242);
    assert.equal(stored[2]!.event.event.action, 'process-end');
    // The rule matched the case-sensitive text; the hit landed on the process's chain.
    const chains = [...s.live.engine!.chains.values()].filter((c) => c.hitCount > 0);
    assert.equal(chains.length, 1);
    assert.equal(chains[0]!.head.pid, 4242);
  } finally {
    await s.close();
  }
});

test('when behind, 429 with Retry-After instead of dropping; the batch goes through when sent again', async () => {
  const s = await testServer({ server: { maxQueuedEvents: 50, groupEvents: 10 } });
  try {
    const batch = (k: number) =>
      ndjson(Array.from({ length: 40 }, (_, i) => nxConnect(T0 + k * 100 + i, 'ws1', { guid: guid(2), pid: 200, image: PS }, `192.0.2.${i + 1}`)));
    const send = (k: number) => s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}`, 'idempotency-key': `b${k}` }, payload: batch(k) });
    // 4 batches of 40 at once against a queue of 50: the first is queued, the next ones must wait.
    const replies = await Promise.all([0, 1, 2, 3].map(send));
    const codes = replies.map((r) => r.statusCode);
    assert.ok(codes.includes(200));
    assert.ok(codes.includes(429), `codes ${codes}`);
    for (const r of replies.filter((x) => x.statusCode === 429)) {
      assert.match(String(r.headers['retry-after']), /^\d+$/);
      assert.ok(Number(r.headers['retry-after']) >= 1);
    }
    // Resend the refused ones (an agent waits Retry-After; the test just sends again, one by one).
    let acked = replies.filter((r) => r.statusCode === 200).reduce((n, r) => n + r.json().accepted, 0);
    for (const [k, r] of replies.entries()) {
      if (r.statusCode !== 429) continue;
      const again = await send(k);
      assert.equal(again.statusCode, 200);
      acked += again.json().accepted;
    }
    assert.equal(acked, 160);
    assert.equal(count(s.store.db, 'SELECT count(*) AS n FROM events'), 160);
  } finally {
    await s.close();
  }
});

test('analyst states: set with who and when, history kept, unknown threats and states refused', async () => {
  const rules = [
    { match: 'EVIL', id: 'evil', level: 'high' as const, techniques: ['T1059.001'] },
    { match: '198.51.100.7', id: 'c2', level: 'high' as const, techniques: ['T1071.001'] },
  ];
  const s = await testServer({ rules });
  try {
    const p = { guid: guid(5), pid: 500, image: PS, cmd: 'powershell -enc EVIL' };
    await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}` }, payload: ndjson([nxStart(T0, 'ws1', p, E), nxConnect(T0 + 1000, 'ws1', p, '198.51.100.7')]) });
    const list = (await s.app.inject({ url: '/api/v1/threats', headers: { authorization: `Bearer ${s.analyst}` } })).json();
    assert.equal(list.total, 1);
    const id = list.threats[0].id;
    assert.equal(list.threats[0].state, 'new');
    assert.equal(list.threats[0].score, 100);
    const post = (state: unknown, tid = id) =>
      s.app.inject({ method: 'POST', url: `/api/v1/threats/${tid}/state`, headers: { authorization: `Bearer ${s.analyst}` }, payload: { state, note: 'looked at it' } });
    const before = Date.now();
    const r = await post('handled');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().by, 'alice');
    assert.ok(r.json().at >= before);
    assert.equal((await post('ignored')).statusCode, 200);
    assert.equal((await post('deleted')).statusCode, 400);
    assert.equal((await post('handled', 't0000000000000000')).statusCode, 404);
    assert.equal((await post('handled', '../../etc')).statusCode, 404);
    const one = (await s.app.inject({ url: `/api/v1/threats/${id}`, headers: { authorization: `Bearer ${s.analyst}` } })).json();
    assert.equal(one.threat.state, 'ignored');
    assert.equal(one.threat.stateBy, 'alice');
    assert.deepEqual(one.states.map((x: { state: string }) => x.state), ['handled', 'ignored']);
    assert.equal(one.hitTotal, 2);
    assert.ok(Array.isArray(one.threat.tree) && one.threat.tree.length >= 1);
    const handled = (await s.app.inject({ url: '/api/v1/threats?state=handled', headers: { authorization: `Bearer ${s.analyst}` } })).json();
    assert.equal(handled.total, 0);
    assert.equal((await s.app.inject({ url: '/api/v1/threats?state=bogus', headers: { authorization: `Bearer ${s.analyst}` } })).statusCode, 400);
    assert.equal((await s.app.inject({ url: '/api/v1/threats?limit=-1', headers: { authorization: `Bearer ${s.analyst}` } })).statusCode, 400);
    // More events on the chain: the threat grows and keeps its analyst state.
    await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}` }, payload: ndjson([nxConnect(T0 + 2000, 'ws1', p, '198.51.100.7')]) });
    const grown = (await s.app.inject({ url: `/api/v1/threats/${id}`, headers: { authorization: `Bearer ${s.analyst}` } })).json();
    assert.equal(grown.hitTotal, 3);
    assert.equal(grown.threat.state, 'ignored');
  } finally {
    await s.close();
  }
});

test('the OpenAPI description is served (with a token) and names every route', async () => {
  const s = await testServer();
  try {
    assert.equal((await s.app.inject({ url: '/api/v1/openapi.json' })).statusCode, 401);
    const r = await s.app.inject({ url: '/api/v1/openapi.json', headers: { authorization: `Bearer ${s.agent}` } });
    assert.equal(r.statusCode, 200);
    const doc = r.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const p of ['/api/v1/ingest', '/api/v1/hosts', '/api/v1/threats', '/api/v1/threats/{id}', '/api/v1/threats/{id}/state', '/api/v1/health', '/api/v1/openapi.json'])
      assert.ok(doc.paths[p], p);
    // Every $ref points at a schema that exists.
    for (const m of r.body.matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)) assert.ok(doc.components.schemas[m[1]!], m[1]);
    const health = await s.app.inject({ url: '/api/v1/health' });
    assert.equal(health.statusCode, 200);
    assert.equal(health.json().status, 'ok');
  } finally {
    await s.close();
  }
});
