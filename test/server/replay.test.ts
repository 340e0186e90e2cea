/**
 * Mordor recordings replayed through POST /api/v1/ingest (gzip NDJSON batches, as an agent sends
 * them) give the same threats as `loupe analyze` of the same files: same ids, scores, techniques,
 * trees and hit counts. Sigma (Loupe's and SigmaHQ's rules) and the chain engine on both sides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainEngine } from '../../src/detect/chains/engine.js';
import { chainCommit } from '../../src/detect/chains/persist.js';
import { SigmaDetector } from '../../src/detect/sigma/detector.js';
import { SigmaEngine } from '../../src/detect/sigma/engine.js';
import { builtinRulesDir } from '../../src/detect/sigma/loader.js';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { expandPaths } from '../../src/sources/inputs.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { openThreatStore, type ThreatRecord, type ThreatStore } from '../../src/store/threats.js';
import { needShared, shared } from '../helpers/shared.js';
import { gz, testServer } from './helpers.js';

const RECORDINGS = [
  'credential_access/host/cmd_sam_copy_esentutl.zip',
  'defense_evasion/host/cmd_mshta_vbscript_execute_psh.zip',
  'defense_evasion/host/psh_mavinject_dll_notepad.zip',
  'lateral_movement/host/empire_psremoting_stager.zip',
];
const skip = needShared('mordor', 'datasets', 'atomic', 'windows') || needShared('sigma', 'rules');

function shape(t: ThreatRecord) {
  return {
    id: t.id,
    chain: t.chainId,
    host: t.host,
    score: t.score,
    level: t.level,
    techniques: t.techniques.map((x) => `${x.id}:${x.hits}:${x.allowedOnly}`),
    tactics: t.tactics,
    members: t.members,
    hits: t.hitCount,
    attribution: t.attribution.map((a) => a.id),
    tree: t.tree.map((n) => `${n.key}<${n.parentKey ?? ''}|${n.commandLine ?? ''}|${n.hits.map((h) => `${h.ruleId}x${h.count}`).join(',')}`),
  };
}

function threatsOf(t: ThreatStore): ReturnType<typeof shape>[] {
  return t
    .listThreats({ limit: 1000 })
    .map((s) => shape(t.threat(s.id)!))
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function lines(path: string): Promise<string[]> {
  for await (const x of expandPaths([path])) {
    if ('problem' in x || x.input.name.includes('__MACOSX')) continue;
    let text = '';
    for await (const chunk of x.input.open() as AsyncIterable<Buffer>) text += chunk.toString('utf8');
    return text.split('\n').filter((l) => l.trim());
  }
  throw new Error(`nothing in ${path}`);
}

test('Mordor recordings replayed through the ingest API give the same threats as batch analysis', { skip, timeout: 240_000 }, async () => {
  const sigma = SigmaEngine.fromPaths([builtinRulesDir(), shared('sigma', 'rules')]);
  let compared = 0;
  for (const rel of RECORDINGS) {
    const path = shared('mordor', 'datasets', 'atomic', 'windows', ...rel.split('/'));
    // Batch: loupe analyze.
    const store = openSqliteStore(':memory:');
    const c = store.openCase('batch');
    const threats = openThreatStore(store, c);
    const engine = new ChainEngine();
    await analyzePaths([path], { store: c, detectors: [new SigmaDetector(sigma), engine], commit: chainCommit(engine, threats) });
    const batch = threatsOf(threats);
    store.close();

    // Live: the same lines, in order, 500 a batch, gzip.
    const s = await testServer({ detectors: [new SigmaDetector(sigma), new ChainEngine()] });
    try {
      const all = await lines(path);
      let accepted = 0;
      for (let i = 0; i < all.length; i += 500) {
        const r = await s.app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: { authorization: `Bearer ${s.agent}`, 'content-encoding': 'gzip', 'idempotency-key': `replay-${i}` },
          payload: gz(all.slice(i, i + 500).join('\n')),
        });
        assert.equal(r.statusCode, 200, r.body);
        accepted += r.json().accepted;
      }
      assert.equal(accepted, all.length, `${rel}: every line accepted`);
      const live = threatsOf(s.threats);
      assert.ok(batch.length > 0, `${rel}: batch analysis found threats`);
      assert.deepEqual(live, batch, rel);
      compared += batch.length;
    } finally {
      await s.close();
    }
  }
  assert.ok(compared >= RECORDINGS.length);
});
