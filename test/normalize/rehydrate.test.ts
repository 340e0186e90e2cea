/**
 * Stored events are the raw record plus where it came from, normalised again when read. That is
 * only sound if normalising again gives the very same event: checked here, event by event, over
 * real data in every Windows shape and over Zeek logs, through the store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Event } from '../../src/normalize/event.js';
import { needShared, shared } from '../helpers/shared.js';

function firstFiles(dir: string, ext: string, n: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(ext) && out.length < n) out.push(p);
    }
  };
  walk(dir);
  return out;
}

async function roundTrip(paths: string[]): Promise<number> {
  const c = openSqliteStore(':memory:').openCase('t');
  const seen = new Map<string, Event>();
  // Event ids come from the evidence's content: two files with the same bytes share them, so
  // key by id and file.
  await analyzePaths(paths, { store: c, onEvent: (e, id) => seen.set(`${id}|${e.origin.file}`, structuredClone(e)) });
  let n = 0;
  for (const s of c.events()) {
    const want = seen.get(`${s.id}|${s.event.origin.file}`);
    assert.ok(want, s.id);
    assert.deepEqual(s.event, want, `event ${s.id} (${want.origin.file} ${JSON.stringify(want.origin)})`);
    n++;
  }
  assert.equal(n, seen.size);
  return n;
}

test('Windows events (evtx-crate JSON, NXLog, Winlogbeat 6) come back from the store unchanged', { skip: needShared('mordor') }, async () => {
  const w = shared('mordor', 'datasets', 'atomic', 'windows');
  const n = await roundTrip([
    ...firstFiles(shared('sigma-regression', 'regression_data'), '.json', 40),
    join(w, 'execution', 'host', 'cmd_sharpview_pcre_net.zip'),
    join(w, 'defense_evasion', 'host', 'cmd_bitsadmin_download_psh_script.zip'),
    join(w, 'credential_access', 'host', 'empire_mimikatz_opth.tar.gz'), // Winlogbeat 6
  ]);
  assert.ok(n > 6000, `${n} events`);
});

test('Zeek log rows come back from the store unchanged', { skip: needShared('mordor', 'datasets', 'compound', 'apt29') }, async () => {
  const n = await roundTrip([shared('mordor', 'datasets', 'compound', 'apt29', 'day1', 'zeek', 'individual_zeek_logs')]);
  assert.ok(n > 1000, `${n} events`);
});
