/**
 * The server's security rules, from outside: no token 401; an agent token cannot read threats (and
 * an analyst token cannot send events); no GET changes anything (the whole database compared
 * before and after every GET there is, with and without tokens, RmEye's state-change-by-GET
 * included); bodies over the limit get 413, compressed or not; a hostile command line is stored
 * and returned intact, and escaped wherever it is rendered (terminal, HTML, the JSON text itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { threatHtml, threatText } from '../../src/detect/chains/render.js';
import { openAgentRegistry } from '../../src/store/threats.js';
import { EXPLORER, guid, T0 } from '../chains/helpers.js';
import { ndjson, nxConnect, nxStart, testServer, type TestServer } from './helpers.js';

const E = { guid: guid(1), pid: 1000, image: EXPLORER };
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const RULES = [
  { match: 'EVIL', id: 'evil', level: 'high' as const, techniques: ['T1059.001'] },
  { match: '198.51.100.7', id: 'c2', level: 'high' as const, techniques: ['T1071.001'] },
];

/** A command line an attacker would like a console to render: markup, terminal escapes, bidi override, very long. */
const HOSTILE =
  'powershell -enc EVIL "<script>alert(document.cookie)</script>" & <img src=x onerror=alert(1)> ' +
  '\u0000\u0007\u001b[31mRED\u001b[0m\u001b]0;owned\u0007 \u202eexe.txt\u2028\u2029 \u0085 ' +
  'A'.repeat(100_000);
const HOSTILE_HOST = 'ws1<svg onload=alert(1)>';

async function withThreat(): Promise<{ s: TestServer; id: string }> {
  const s = await testServer({ rules: RULES });
  const p = { guid: guid(7), pid: 700, image: PS, cmd: HOSTILE };
  const r = await s.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: { authorization: `Bearer ${s.agent}` },
    payload: ndjson([nxStart(T0, HOSTILE_HOST, p, E), nxConnect(T0 + 1000, HOSTILE_HOST, p, '198.51.100.7')]),
  });
  assert.equal(r.json().accepted, 2, r.body);
  const id = s.threats.listThreats()[0]!.id;
  return { s, id };
}

test('no token, a wrong or revoked token: 401; an agent token cannot read threats; an analyst token cannot send events', async () => {
  const { s, id } = await withThreat();
  try {
    const reads = ['/api/v1/hosts', '/api/v1/threats', `/api/v1/threats/${id}`];
    for (const url of [...reads, '/api/v1/openapi.json']) {
      assert.equal((await s.app.inject({ url })).statusCode, 401, url);
      assert.equal((await s.app.inject({ url, headers: { authorization: 'Bearer lpa_wrong-token-0000000000' } })).statusCode, 401, url);
      assert.equal((await s.app.inject({ url, headers: { authorization: s.analyst } })).statusCode, 401, `${url} without "Bearer"`);
    }
    for (const url of reads) {
      const r = await s.app.inject({ url, headers: { authorization: `Bearer ${s.agent}` } });
      assert.equal(r.statusCode, 403, url);
      assert.ok(!r.body.includes('EVIL'), 'nothing of a threat in the refusal');
    }
    const state = await s.app.inject({ method: 'POST', url: `/api/v1/threats/${id}/state`, headers: { authorization: `Bearer ${s.agent}` }, payload: { state: 'ignored' } });
    assert.equal(state.statusCode, 403);
    assert.equal(s.threats.threat(id)!.state, 'new');
    const ingest = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', payload: ndjson([nxConnect(T0, 'ws1', { guid: guid(9), pid: 9, image: PS }, '192.0.2.1')]) });
    assert.equal(ingest.statusCode, 401);
    const byAnalyst = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.analyst}` }, payload: '{}' });
    assert.equal(byAnalyst.statusCode, 403);
    openAgentRegistry(s.store).revoke('ws-agent-1');
    const revoked = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}` }, payload: '{}' });
    assert.equal(revoked.statusCode, 401);
    // The health check alone needs no token, and tells nothing about threats.
    const h = await s.app.inject({ url: '/api/v1/health' });
    assert.equal(h.statusCode, 200);
    assert.deepEqual(Object.keys(h.json()).sort(), ['queued', 'status', 'version']);
  } finally {
    await s.close();
  }
});

/** Every row of every table, hashed: equal fingerprints mean nothing was written. */
function fingerprint(s: TestServer): string {
  const db = s.store.db;
  const h = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    h.update(`#${name}\n`);
    for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).iterate()) h.update(`${JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))}\n`);
  }
  return h.digest('hex');
}

test('no GET changes anything: the database and the open chains are the same after every GET there is', async () => {
  const { s, id } = await withThreat();
  try {
    const before = fingerprint(s);
    const chains = s.live.engine!.chains.size;
    const nodes = s.live.engine!.forest.size;
    const gets = [
      '/api/v1/health',
      '/api/v1/openapi.json',
      '/api/v1/hosts',
      '/api/v1/threats',
      '/api/v1/threats?state=new&host=ws1&open=true&limit=5&offset=0',
      '/api/v1/threats?state=bogus',
      `/api/v1/threats/${id}`,
      `/api/v1/threats/${id}?hitsLimit=1&hitsOffset=1`,
      '/api/v1/threats/t0000000000000000',
      // RmEye changed states and deleted threats with GETs.
      `/api/v1/threats/${id}/state?state=ignored`,
      `/api/v1/threats/${id}/state`,
      '/api/v1/ingest',
      '/api/v1/ingest?x=1',
      `/api/v1/get/process_chain/handle?id=${id}&handletype=2`,
      `/api/v1/get/process_chain/delete?id=${id}`,
      '/',
    ];
    const tokens = [undefined, s.agent, s.analyst, 'lpg_not-a-token-000000000000'];
    for (const url of gets)
      for (const t of tokens) {
        for (const method of ['GET', 'HEAD'] as const) {
          const r = await s.app.inject({ method, url, headers: t ? { authorization: `Bearer ${t}` } : {} });
          assert.ok(r.statusCode < 500, `${method} ${url}: ${r.statusCode}`);
        }
      }
    assert.equal(fingerprint(s), before);
    assert.equal(s.live.engine!.chains.size, chains);
    assert.equal(s.live.engine!.forest.size, nodes);
    assert.equal(s.threats.threat(id)!.state, 'new');
  } finally {
    await s.close();
  }
});

test('a body over the limit gets 413, sent plain, gzip-compressed (a zip bomb) or as a state change', async () => {
  const s = await testServer({ server: { bodyLimit: 8192, decodedLimit: 64 * 1024 } });
  try {
    const line = `${JSON.stringify(nxConnect(T0, 'ws1', { guid: guid(2), pid: 2, image: PS }, '192.0.2.1'))}\n`;
    const big = line.repeat(Math.ceil(9000 / line.length));
    const plain = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}` }, payload: big });
    assert.equal(plain.statusCode, 413);
    // 1 MiB of the same line compresses to a few KiB but unpacks past the 64 KiB decoded limit.
    const bomb = gzipSync(Buffer.from(line.repeat(Math.ceil((1 << 20) / line.length))), { level: 9 });
    assert.ok(bomb.length < 8192, `bomb is ${bomb.length} bytes`);
    const zipped = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}`, 'content-encoding': 'gzip' }, payload: bomb });
    assert.equal(zipped.statusCode, 413, zipped.body);
    const enc = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}`, 'content-encoding': 'br' }, payload: 'x' });
    assert.equal(enc.statusCode, 415);
    const state = await s.app.inject({
      method: 'POST',
      url: '/api/v1/threats/t0000000000000000/state',
      headers: { authorization: `Bearer ${s.analyst}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ state: 'handled', note: 'x'.repeat(100_000) }),
    });
    assert.equal(state.statusCode, 413);
    assert.equal((s.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, 0, 'nothing of it stored');
    // Just under the limit goes through.
    const ok = await s.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${s.agent}` }, payload: line.repeat(Math.floor(8000 / line.length)) });
    assert.equal(ok.statusCode, 200);
  } finally {
    await s.close();
  }
});

test('a hostile command line is stored and returned intact, and escaped wherever it is rendered', async () => {
  const { s, id } = await withThreat();
  try {
    // Stored intact.
    const stored = [...s.caseStore.events()][0]!.event;
    assert.equal(stored.raw.CommandLine, HOSTILE);
    assert.equal(stored.process?.command_line, HOSTILE);
    // Returned intact: parse the reply and the string is the same, byte for byte.
    const r = await s.app.inject({ url: `/api/v1/threats/${id}`, headers: { authorization: `Bearer ${s.analyst}` } });
    assert.equal(r.statusCode, 200);
    const j = r.json();
    const node = j.threat.tree.find((n: { pid?: number }) => n.pid === 700);
    assert.equal(node.commandLine, HOSTILE);
    assert.equal(j.threat.head.commandLine, HOSTILE);
    assert.equal(j.threat.host, HOSTILE_HOST);
    const list = await s.app.inject({ url: '/api/v1/threats', headers: { authorization: `Bearer ${s.analyst}` } });
    assert.equal(list.json().threats[0].head.commandLine, HOSTILE);
    // ... and the JSON text itself has no markup and no raw control characters.
    for (const body of [r.body, list.body]) {
      assert.ok(!/[<>]/.test(body), 'no < or > in the reply text');
      assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(body), 'no raw control characters in the reply text');
    }
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    // Rendered in a terminal: escapes instead of control and bidi characters, the long line cut.
    const text = threatText(s.threats.threat(id)!);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028\u2029]/.test(text), 'terminal text has no control characters but newlines');
    assert.ok(text.includes('\\x1b[31mRED'), 'the escape sequence is shown, not run');
    assert.ok(text.length < 20_000);
    const wide = threatText(s.threats.threat(id)!, { width: 1000 });
    assert.ok(wide.includes('\\u{202e}exe.txt\\u{2028}'), 'bidi override and line separators shown as escapes');
    // Rendered in HTML: escaped.
    const html = threatHtml(s.threats.threat(id)!);
    assert.ok(!html.includes('<script>') && !html.includes('<img') && !html.includes('<svg'));
    assert.ok(html.includes('&lt;script&gt;alert(document.cookie)&lt;/script&gt;'));
    assert.ok(html.includes('ws1&lt;svg onload=alert(1)&gt;'));
  } finally {
    await s.close();
  }
});
