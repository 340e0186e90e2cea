/**
 * The load run, short (the long one is `npm run bench -- server`): a real `loupe serve` process on
 * loopback, 2 agents at 500 events/s for 6 s, the server killed with SIGKILL 3 s in and restarted on
 * the same database, agents retrying their unacknowledged batches. Everything generated is
 * acknowledged, and what is acknowledged is exactly what is stored: no loss, nothing twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, freePort, loadRun } from './load.js';

test('load with a SIGKILL mid-run: acknowledged = stored, zero loss', { timeout: 150_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-load-test-'));
  try {
    const r = await loadRun({ dir, port: await freePort(), agents: 2, rate: 500, seconds: 6, batch: 250, killAt: 3, drainSeconds: 90 });
    process.stdout.write(`${describe(r).replace(/^/gm, '# ')}\n`);
    assert.equal(r.kills, 1);
    assert.ok(r.drained, 'agents got everything acknowledged in time');
    assert.equal(r.scheduled, 2 * 500 * 6);
    assert.equal(r.generated, r.scheduled);
    assert.equal(r.acknowledged, r.generated, 'nothing lost');
    assert.equal(r.stored, r.acknowledged, 'acknowledged = stored');
    assert.ok(r.errors > 0, 'agents saw the server go away and retried');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
